/* lib_pct: percent-encoding and strict decoding (lib/pct.c). Table-driven:
 * one row per case; malformed escapes, invalid UTF-8 (overlongs, surrogates,
 * > U+10FFFF, truncation), NUL, offsets; plus a seeded random round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "pct.h"

typedef struct enc_case { const char *in; size_t n; const char *out; } enc_case;

static const enc_case enc_cases[] = {
    {"", 0, ""},
    {"AZaz09-._~", 10, "AZaz09-._~"},
    {" ", 1, "%20"},
    {"+/=&?#%", 7, "%2B%2F%3D%26%3F%23%25"},
    {"symbol=LTCBTC&side=BUY", 22, "symbol%3DLTCBTC%26side%3DBUY"},
    {"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96", 18,
     "%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"},        /* fact sheet §2 */
    {"\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456", 18,
     "%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456"},              /* testnet symbol */
    {"\x00\x01\x7f\x80\xff", 5, "%00%01%7F%80%FF"},
    {"[\"BTCUSDT\",\"BNBUSDT\"]", 21, "%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D"},
};

static void test_encode_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++) {
        buf_t b = BUF_INIT;
        assert_int_equal(pct_encode(&b, enc_cases[i].in, enc_cases[i].n), 0);
        assert_string_equal(buf_cstr(&b), enc_cases[i].out);
        assert_true(pct_is_encoded(buf_cstr(&b), b.len));
        buf_free(&b);
    }
}

static void test_encode_appends(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    assert_int_equal(buf_puts(&b, "a="), 0);
    assert_int_equal(pct_encode(&b, "x y", 3), 0);
    assert_string_equal(b.data, "a=x%20y");
    buf_free(&b);
}

typedef struct dec_case {
    const char *in;
    size_t n;           /* 0: strlen(in) */
    int plus;
    pct_status st;
    const char *out;    /* expected decoded bytes (partial on error) */
    size_t out_len;     /* 0: strlen(out) */
    size_t off;         /* expected error offset (status != OK) */
} dec_case;

static const dec_case dec_cases[] = {
    {"", 0, 0, PCT_OK, "", 0, 0},
    {"abc", 0, 0, PCT_OK, "abc", 0, 0},
    {"a%20b", 0, 0, PCT_OK, "a b", 0, 0},
    {"a+b", 0, 1, PCT_OK, "a b", 0, 0},
    {"a+b", 0, 0, PCT_OK, "a+b", 0, 0},
    {"%2B%2b", 0, 1, PCT_OK, "++", 0, 0},                  /* lower-case hex decodes too */
    {"%EF%BC%91", 0, 0, PCT_OK, "\xef\xbc\x91", 0, 0},
    {"\xef\xbc\x91", 0, 0, PCT_OK, "\xef\xbc\x91", 0, 0},  /* raw UTF-8 passes through */
    {"%F0%9F%98%80", 0, 0, PCT_OK, "\xf0\x9f\x98\x80", 0, 0},
    {"%F4%8F%BF%BF", 0, 0, PCT_OK, "\xf4\x8f\xbf\xbf", 0, 0}, /* U+10FFFF */
    {"%", 0, 0, PCT_BAD_ESCAPE, "", 0, 0},
    {"%4", 0, 0, PCT_BAD_ESCAPE, "", 0, 0},
    {"%4G", 0, 0, PCT_BAD_ESCAPE, "", 0, 0},
    {"ab%zz", 0, 0, PCT_BAD_ESCAPE, "ab", 0, 2},
    {"ab%2", 0, 0, PCT_BAD_ESCAPE, "ab", 0, 2},
    {"a%20%", 0, 0, PCT_BAD_ESCAPE, "a ", 0, 4},
    {"%%41", 0, 0, PCT_BAD_ESCAPE, "", 0, 0},
    {"%C0%AF", 0, 0, PCT_BAD_UTF8, "\xc0\xaf", 0, 0},      /* overlong '/' */
    {"%C1%BF", 0, 0, PCT_BAD_UTF8, "\xc1\xbf", 0, 0},
    {"x%E0%80%AF", 0, 0, PCT_BAD_UTF8, "x\xe0\x80\xaf", 0, 1}, /* 3-byte overlong */
    {"%F0%8F%BF%BF", 0, 0, PCT_BAD_UTF8, "\xf0\x8f\xbf\xbf", 0, 0}, /* 4-byte overlong */
    {"%ED%A0%80", 0, 0, PCT_BAD_UTF8, "\xed\xa0\x80", 0, 0}, /* surrogate D800 */
    {"%ED%BF%BF", 0, 0, PCT_BAD_UTF8, "\xed\xbf\xbf", 0, 0}, /* surrogate DFFF */
    {"%F4%90%80%80", 0, 0, PCT_BAD_UTF8, "\xf4\x90\x80\x80", 0, 0}, /* > U+10FFFF */
    {"%F5%80%80%80", 0, 0, PCT_BAD_UTF8, "\xf5\x80\x80\x80", 0, 0},
    {"%FF", 0, 0, PCT_BAD_UTF8, "\xff", 0, 0},
    {"ok%80", 0, 0, PCT_BAD_UTF8, "ok\x80", 0, 2},          /* lone continuation */
    {"%E2%82", 0, 0, PCT_BAD_UTF8, "\xe2\x82", 0, 0},       /* truncated at the end */
    {"ab\xc3", 0, 0, PCT_BAD_UTF8, "ab\xc3", 0, 2},
    {"%E2%28%A1", 0, 0, PCT_BAD_UTF8, "\xe2(\xa1", 0, 0},
    {"%E2%82%ZZ", 0, 0, PCT_BAD_ESCAPE, "\xe2\x82", 0, 6},  /* cut short by the bad escape */
    {"%E2%28%ZZ", 0, 0, PCT_BAD_UTF8, "\xe2(", 0, 0},       /* invalid before the escape */
    {"a%00b", 0, 0, PCT_NUL, "a\0b", 3, 1},
    {"x%00%FF", 0, 0, PCT_NUL, "x\0\xff", 3, 1},            /* NUL comes first */
    {"%FF%00", 0, 0, PCT_BAD_UTF8, "\xff\0", 2, 0},         /* bad UTF-8 comes first */
    {"a\0b", 3, 0, PCT_NUL, "a\0b", 3, 1},                  /* raw NUL byte */
    {"%00%zz", 0, 0, PCT_NUL, "\0", 1, 0},
};

static void test_decode_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(dec_cases) / sizeof(dec_cases[0]); i++) {
        const dec_case *c = &dec_cases[i];
        size_t n = c->n ? c->n : strlen(c->in);
        size_t ol = c->out_len ? c->out_len : strlen(c->out);
        buf_t b = BUF_INIT;
        size_t off = 12345;
        print_message("case %zu: %s\n", i, c->in);
        pct_status st = pct_decode(&b, c->in, n, c->plus, &off);
        assert_int_equal(st, c->st);
        assert_int_equal(b.len, ol);
        assert_memory_equal(buf_cstr(&b), c->out, ol);
        if (st != PCT_OK) assert_int_equal(off, c->off);
        else assert_int_equal(off, 12345);
        /* a NULL err_off is allowed */
        buf_reset(&b);
        assert_int_equal(pct_decode(&b, c->in, n, c->plus, NULL), c->st);
        buf_free(&b);
    }
}

static void test_decode_appends(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    buf_puts(&b, "prefix:");
    size_t off = 0;
    assert_int_equal(pct_decode(&b, "x%FFy", 5, 0, &off), PCT_BAD_UTF8);
    assert_int_equal(off, 1);          /* offset in the input, not the buffer */
    assert_string_equal(b.data, "prefix:x\xffy");
    buf_free(&b);
}

static void test_status_str(void **state) {
    (void)state;
    for (int s = PCT_OK; s <= PCT_OOM; s++) assert_non_null(pct_status_str((pct_status)s));
    assert_string_equal(pct_status_str(PCT_BAD_ESCAPE), "malformed percent escape");
}

static void test_utf8_valid(void **state) {
    (void)state;
    size_t off = 99;
    assert_true(pct_utf8_valid("", 0, &off));
    assert_true(pct_utf8_valid("plain", 5, &off));
    assert_true(pct_utf8_valid("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 10, &off));
    assert_false(pct_utf8_valid("ab\xc2", 3, &off));
    assert_int_equal(off, 2);
    assert_false(pct_utf8_valid("abc\xed\xa0\x80", 6, &off));
    assert_int_equal(off, 3);
    assert_false(pct_utf8_valid("\xf0\x9f\x98", 3, NULL));
    assert_true(pct_utf8_valid("\0", 1, NULL));           /* NUL is valid UTF-8 */
}

static void test_is_encoded(void **state) {
    (void)state;
    assert_true(pct_is_encoded("", 0));
    assert_true(pct_is_encoded("abc-._~", 7));
    assert_true(pct_is_encoded("%2F%2f", 6));
    assert_false(pct_is_encoded("%2", 2));
    assert_false(pct_is_encoded("%zz", 3));
    assert_false(pct_is_encoded("a b", 3));
    assert_false(pct_is_encoded("a+b", 3));
    assert_false(pct_is_encoded("a=b", 3));
    assert_false(pct_is_encoded("\xef\xbc\x91", 3));
}

/* decode(encode(x)) == x for random bytes; random text never crashes. */
static void test_random_round_trip(void **state) {
    (void)state;
    unsigned seed = 12345;
    for (int iter = 0; iter < 2000; iter++) {
        unsigned char in[64];
        size_t n = (size_t)(rand_r(&seed) % 64);
        for (size_t i = 0; i < n; i++) in[i] = (unsigned char)rand_r(&seed);
        buf_t e = BUF_INIT, d = BUF_INIT;
        assert_int_equal(pct_encode(&e, in, n), 0);
        assert_true(pct_is_encoded(buf_cstr(&e), e.len));
        size_t off = 0;
        pct_status st = pct_decode(&d, buf_cstr(&e), e.len, 1, &off);
        assert_true(st == PCT_OK || st == PCT_BAD_UTF8 || st == PCT_NUL);
        assert_int_equal(d.len, n);
        if (n) assert_memory_equal(d.data, in, n);
        /* garbage straight into the decoder */
        buf_reset(&d);
        st = pct_decode(&d, (const char *)in, n, iter & 1, &off);
        if (st != PCT_OK) assert_true(off <= n);
        buf_free(&e);
        buf_free(&d);
    }
}

static void test_utf8_cut_and_scrub(void **state) {
    (void)state;
    const char *s = "ab\xe8\xbf\x99" "c";                 /* a b 这 c */
    assert_int_equal(pct_utf8_cut(s, 6, 10), 6);          /* short enough: whole */
    assert_int_equal(pct_utf8_cut(s, 6, 5), 5);
    assert_int_equal(pct_utf8_cut(s, 6, 4), 2);           /* not inside 这 */
    assert_int_equal(pct_utf8_cut(s, 6, 3), 2);
    assert_int_equal(pct_utf8_cut("a\xff\xfe" "b", 4, 2), 2);   /* stray bytes count one each */
    buf_t b = BUF_INIT;
    assert_int_equal(pct_utf8_scrub(&b, "a\xff\xe8\xbf\x99\xc3(", 7), 0);
    assert_string_equal(buf_cstr(&b), "a\xef\xbf\xbd\xe8\xbf\x99\xef\xbf\xbd(");
    assert_true(pct_utf8_valid(b.data, b.len, NULL));
    buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_table),
        cmocka_unit_test(test_encode_appends),
        cmocka_unit_test(test_decode_table),
        cmocka_unit_test(test_decode_appends),
        cmocka_unit_test(test_status_str),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_is_encoded),
        cmocka_unit_test(test_random_round_trip),
        cmocka_unit_test(test_utf8_cut_and_scrub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
