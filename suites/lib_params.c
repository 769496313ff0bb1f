/* lib_params: query/body/JSON parameter parsing (lib/params.c): raw bytes,
 * decoding, source, order, duplicates, query-wins lookups, JSON values as
 * written, bounds (max_pairs) and 10k-parameter requests. */
#define _GNU_SOURCE 1 /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "params.h"

#define S(x) x, strlen(x)

/* One form-parsing row: input, then the expected pairs as
 * "raw|name|value" strings (at most 4), NULL-terminated. */
typedef struct form_case {
    const char *in;
    const char *pairs[5];
    pct_status st0;     /* status of the first pair */
} form_case;

static const form_case form_cases[] = {
    {"", {NULL}, PCT_OK},
    {"&&&", {NULL}, PCT_OK},
    {"a=1", {"a=1|a|1", NULL}, PCT_OK},
    {"symbol=LTCBTC&side=BUY", {"symbol=LTCBTC|symbol|LTCBTC", "side=BUY|side|BUY", NULL}, PCT_OK},
    {"&a=1&&b=2&", {"a=1|a|1", "b=2|b|2", NULL}, PCT_OK},
    {"a", {"a|a|", NULL}, PCT_OK},
    {"a=", {"a=|a|", NULL}, PCT_OK},
    {"=v", {"=v||v", NULL}, PCT_OK},
    {"a=b=c", {"a=b=c|a|b=c", NULL}, PCT_OK},
    {"q=a+b%20c", {"q=a+b%20c|q|a b c", NULL}, PCT_OK},
    {"na%6De=x", {"na%6De=x|name|x", NULL}, PCT_OK},
    {"sig=abc%2B%2F%3D", {"sig=abc%2B%2F%3D|sig|abc+/=", NULL}, PCT_OK},
    {"sig=abc+def", {"sig=abc+def|sig|abc def", NULL}, PCT_OK}, /* '+' is a space */
    {"symbol=%EF%BC%91", {"symbol=%EF%BC%91|symbol|\xef\xbc\x91", NULL}, PCT_OK},
    {"a=%zz&b=1", {"a=%zz|a|", "b=1|b|1", NULL}, PCT_BAD_ESCAPE},
    {"a=%C0%AF", {"a=%C0%AF|a|\xc0\xaf", NULL}, PCT_BAD_UTF8},
    {"a%zz=1", {"a%zz=1|a|1", NULL}, PCT_BAD_ESCAPE},
    {"a=%00", {"a=%00|a|", NULL}, PCT_NUL},
};

static void check_pair(const param_t *q, const char *spec) {
    char raw[128], name[64], value[64];
    const char *b1 = strchr(spec, '|'), *b2 = strchr(b1 + 1, '|');
    snprintf(raw, sizeof(raw), "%.*s", (int)(b1 - spec), spec);
    snprintf(name, sizeof(name), "%.*s", (int)(b2 - b1 - 1), b1 + 1);
    snprintf(value, sizeof(value), "%s", b2 + 1);
    assert_int_equal(q->raw_len, strlen(raw));
    assert_string_equal(q->raw, raw);
    assert_string_equal(q->name, name);
    assert_int_equal(q->name_len, strlen(q->name));
    if (q->status != PCT_NUL) assert_string_equal(q->value, value);
}

static void test_form_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(form_cases) / sizeof(form_cases[0]); i++) {
        const form_case *c = &form_cases[i];
        for (int src = PARAM_QUERY; src <= PARAM_BODY; src++) {
            params_t p;
            params_init(&p);
            assert_int_equal(params_parse(&p, S(c->in), (param_src)src, 0), 0);
            size_t n = 0;
            while (c->pairs[n]) n++;
            assert_int_equal(p.n, n);
            for (size_t k = 0; k < n; k++) {
                check_pair(&p.v[k], c->pairs[k]);
                assert_int_equal(p.v[k].src, src);
                assert_int_equal(p.v[k].index, k);
                assert_int_equal(p.v[k].json_string, 0);
            }
            if (n) assert_int_equal(p.v[0].status, c->st0);
            if (c->st0 != PCT_OK) assert_ptr_equal(params_first_bad(&p), &p.v[0]);
            else assert_null(params_first_bad(&p));
            params_free(&p);
        }
    }
}

static void test_nul_value_length(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    assert_int_equal(params_parse(&p, S("a=x%00y"), PARAM_QUERY, 0), 0);
    assert_int_equal(p.v[0].status, PCT_NUL);
    assert_int_equal(p.v[0].value_len, 3);
    assert_memory_equal(p.v[0].value, "x\0y", 3);
    params_free(&p);
}

static void test_query_wins_and_order(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    assert_int_equal(params_parse(&p, S("symbol=LTCBTC&price=1"), PARAM_QUERY, 0), 0);
    assert_int_equal(params_parse(&p, S("price=2&quantity=5"), PARAM_BODY, 0), 0);
    assert_int_equal(p.n, 4);
    for (unsigned i = 0; i < 4; i++) assert_int_equal(p.v[i].index, i);
    assert_int_equal(p.v[2].src, PARAM_BODY);
    assert_string_equal(params_value(&p, "price"), "1");            /* query wins */
    assert_int_equal(params_get(&p, "price")->src, PARAM_QUERY);
    assert_string_equal(params_value(&p, "quantity"), "5");
    assert_null(params_value(&p, "timestamp"));
    assert_null(params_value(&p, "Symbol"));                         /* case-sensitive */
    assert_null(params_find_dup(&p));                                /* across sources: no dup */
    assert_int_equal(params_count_distinct(&p), 3);
    params_free(&p);

    /* body first, query second: the query still wins */
    params_init(&p);
    assert_int_equal(params_parse(&p, S("price=2"), PARAM_BODY, 0), 0);
    assert_int_equal(params_parse(&p, S("price=1"), PARAM_QUERY, 0), 0);
    assert_string_equal(params_value(&p, "price"), "1");
    params_free(&p);
}

static void test_duplicates(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    assert_int_equal(params_parse(&p, S("a=1&b=2&a=3&b=4"), PARAM_QUERY, 0), 0);
    const param_t *d = params_find_dup(&p);
    assert_non_null(d);
    assert_string_equal(d->name, "a");
    assert_int_equal(d->index, 2);
    assert_string_equal(params_value(&p, "a"), "1");                 /* first one */
    assert_int_equal(params_count_distinct(&p), 2);
    params_free(&p);

    params_init(&p);
    assert_int_equal(params_parse(&p, S("x=1"), PARAM_QUERY, 0), 0);
    assert_int_equal(params_parse(&p, S("b=1&a=2&b=3"), PARAM_BODY, 0), 0);
    d = params_find_dup(&p);
    assert_non_null(d);
    assert_string_equal(d->name, "b");
    assert_int_equal(d->src, PARAM_BODY);
    params_free(&p);

    /* decoded names compare: a and %61 are the same parameter */
    params_init(&p);
    assert_int_equal(params_parse(&p, S("a=1&%61=2"), PARAM_QUERY, 0), 0);
    assert_non_null(params_find_dup(&p));
    params_free(&p);
}

static void test_max_pairs(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    assert_int_equal(params_parse(&p, S("a=1&b=2&c=3"), PARAM_QUERY, 2), -2);
    assert_int_equal(p.n, 0);                                         /* nothing added */
    assert_int_equal(params_parse(&p, S("a=1&b=2&c=3"), PARAM_QUERY, 3), 0);
    assert_int_equal(p.n, 3);
    assert_int_equal(params_parse(&p, S("d=4"), PARAM_BODY, 3), -2);   /* the bound is total */
    assert_int_equal(params_parse(&p, S("&&"), PARAM_BODY, 3), 0);     /* empty pairs are free */
    assert_int_equal(params_parse(&p, S("d=4"), PARAM_BODY, 4), 0);
    assert_int_equal(p.n, 4);
    params_free(&p);
}

static void build_many(buf_t *b, size_t n, int dup_last, int json) {
    buf_reset(b);
    if (json) buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        size_t k = dup_last && i == n - 1 ? 0 : i;
        if (json) buf_printf(b, "%s\"p%zu\":%zu", i ? "," : "", k, i);
        else buf_printf(b, "%sp%zu=%zu", i ? "&" : "", k, i);
    }
    if (json) buf_putc(b, '}');
}

static void test_ten_thousand(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    params_t p;
    for (int json = 0; json <= 1; json++) {
        build_many(&b, 10000, 0, json);
        params_init(&p);
        if (json) assert_int_equal(params_parse_json(&p, b.data, b.len), 0);
        else assert_int_equal(params_parse(&p, b.data, b.len, PARAM_QUERY, 0), 0);
        assert_int_equal(p.n, 10000);
        assert_null(params_find_dup(&p));
        assert_int_equal(params_count_distinct(&p), 10000);
        assert_string_equal(params_value(&p, "p9999"), "9999");
        params_free(&p);

        build_many(&b, 10000, 1, json);
        params_init(&p);
        if (json) assert_int_equal(params_parse_json_max(&p, b.data, b.len, 20000), 0);
        else assert_int_equal(params_parse(&p, b.data, b.len, PARAM_BODY, 20000), 0);
        const param_t *d = params_find_dup(&p);
        assert_non_null(d);
        assert_int_equal(d->index, 9999);
        params_free(&p);

        params_init(&p);
        if (json) assert_int_equal(params_parse_json_max(&p, b.data, b.len, 1000), -2);
        else assert_int_equal(params_parse(&p, b.data, b.len, PARAM_BODY, 1000), -2);
        assert_int_equal(p.n, 0);
        params_free(&p);
    }
    buf_free(&b);
}

static void test_add(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    assert_int_equal(params_add(&p, "symbol", "BTCUSDT", PARAM_JSON), 0);
    assert_int_equal(params_add(&p, "n", "", PARAM_QUERY), 0);
    assert_string_equal(p.v[0].raw, "symbol=BTCUSDT");
    assert_int_equal(p.v[0].raw_len, 14);
    assert_int_equal(p.v[0].json_string, 1);
    assert_int_equal(p.v[1].index, 1);
    assert_string_equal(params_value(&p, "n"), "");
    params_free(&p);
    params_free(&p);                                                  /* idempotent */
}

/* JSON rows: text, expected "name|value|json_string" triples. */
typedef struct json_case {
    const char *in;
    int rc;
    const char *pairs[8];
} json_case;

static const json_case json_cases[] = {
    {"{}", 0, {NULL}},
    {" { } ", 0, {NULL}},
    {"{\"price\":52000.00}", 0, {"price|52000.00|0", NULL}},
    {"{\"quantity\":0.01000000,\"recvWindow\":100}", 0,
     {"quantity|0.01000000|0", "recvWindow|100|0", NULL}},
    {"{ \"a\" : -1.5e+3 , \"b\" :true,\"c\":false ,\"d\": null }", 0,
     {"a|-1.5e+3|0", "b|true|0", "c|false|0", "d|null|0", NULL}},
    {"{\"symbols\":[ \"A\",\"B\" ]}", 0, {"symbols|[ \"A\",\"B\" ]|0", NULL}},
    {"{\"o\":{\"x\":[1,{\"y\":\"}]\"}]},\"z\":\"]\"}", 0,
     {"o|{\"x\":[1,{\"y\":\"}]\"}]}|0", "z|]|1", NULL}},
    {"{\"symbol\":\"\\uff11\\uff12\"}", 0, {"symbol|\xef\xbc\x91\xef\xbc\x92|1", NULL}},
    {"{\"symbol\":\"\xef\xbc\x91\"}", 0, {"symbol|\xef\xbc\x91|1", NULL}},
    {"{\"q\":\"a\\\"b\\\\c\\/d\"}", 0, {"q|a\"b\\c/d|1", NULL}},
    {"{\"s\":\"52000.00\",\"n\":52000.00}", 0, {"s|52000.00|1", "n|52000.00|0", NULL}},
    {"{\"k\\u0041\":1}", 0, {"kA|1|0", NULL}},
    {"{\n\t\"a\"\n:\n1\n,\r\n\"b\":2\n}\n", 0, {"a|1|0", "b|2|0", NULL}},
    {"{\"a\":1,\"a\":2}", 0, {"a|1|0", "a|2|0", NULL}},
    {"[1,2]", -3, {NULL}},
    {"1", -3, {NULL}},
    {"\"x\"", -3, {NULL}},
    {"", -3, {NULL}},
    {"{", -3, {NULL}},
    {"{\"a\":}", -3, {NULL}},
    {"{\"a\":1,}", -3, {NULL}},
    {"{a:1}", -3, {NULL}},
    {"{\"a\":1} x", -3, {NULL}},
    {"{\"a\":01}", -3, {NULL}},
    {"{\"a\":\"x\ty\"}", -3, {NULL}},                                /* raw control byte */
    {"{\"a\":1.}", -3, {NULL}},
    {"{\"a\":+1}", -3, {NULL}},
    {"{\"a\":-}", -3, {NULL}},
};

static void test_json_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
        const json_case *c = &json_cases[i];
        params_t p;
        params_init(&p);
        print_message("json case %zu: %s\n", i, c->in);
        assert_int_equal(params_parse_json(&p, c->in, strlen(c->in)), c->rc);
        size_t n = 0;
        while (c->pairs[n]) n++;
        assert_int_equal(p.n, n);
        for (size_t k = 0; k < n; k++) {
            char exp[256];
            snprintf(exp, sizeof(exp), "%s|%s|%d", p.v[k].name, p.v[k].value, p.v[k].json_string);
            assert_string_equal(exp, c->pairs[k]);
            assert_int_equal(p.v[k].src, PARAM_JSON);
            assert_int_equal(p.v[k].status, PCT_OK);
            assert_int_equal(p.v[k].value_len, strlen(p.v[k].value));
            assert_non_null(strstr(c->in, p.v[k].raw));               /* raw is a span of the text */
            assert_int_equal(p.v[k].raw[0], '"');
        }
        params_free(&p);
    }
}

static void test_json_raw_span(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    const char *j = "{ \"price\" : 52000.00 , \"s\":\"x\" }";
    assert_int_equal(params_parse_json(&p, j, strlen(j)), 0);
    assert_string_equal(p.v[0].raw, "\"price\" : 52000.00");
    assert_string_equal(p.v[1].raw, "\"s\":\"x\"");
    /* appends after query pairs, continuing the order */
    assert_int_equal(params_parse(&p, S("x=1"), PARAM_QUERY, 0), 0);
    assert_int_equal(p.v[2].index, 2);
    params_free(&p);
}

static void test_json_bad_strings(void **state) {
    (void)state;
    params_t p;
    params_init(&p);
    const char *j = "{\"a\":\"x\\u0000y\",\"b\":\"\xc0\xaf\",\"c\":\"ok\"}";
    assert_int_equal(params_parse_json(&p, j, strlen(j)), 0);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.v[0].status, PCT_NUL);
    assert_int_equal(p.v[1].status, PCT_BAD_UTF8);
    assert_int_equal(p.v[2].status, PCT_OK);
    assert_ptr_equal(params_first_bad(&p), &p.v[0]);
    params_free(&p);
    /* length-bounded: a valid object followed by garbage outside n */
    params_init(&p);
    assert_int_equal(params_parse_json(&p, "{\"a\":1}GARBAGE", 7), 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(params_parse_json(&p, NULL, 0), -3);
    params_free(&p);
}

static void test_json_deep_nesting(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    buf_puts(&b, "{\"a\":");
    for (int i = 0; i < 100000; i++) buf_putc(&b, '[');
    for (int i = 0; i < 100000; i++) buf_putc(&b, ']');
    buf_putc(&b, '}');
    params_t p;
    params_init(&p);
    assert_int_equal(params_parse_json(&p, b.data, b.len), -3);   /* cJSON's nesting limit */
    params_free(&p);
    buf_free(&b);
}

/* Mutated JSON objects: either rejected whole, or every pair's raw is a
 * span of the text and the values agree with the names' order. */
static void test_json_mutations(void **state) {
    (void)state;
    static const char *seeds[] = {
        "{\"symbol\":\"BTCUSDT\",\"price\":52000.00,\"a\":[1,{\"b\":\"]}\"}],\"t\":true}",
        "{ \"k\\\"q\" : \"v\\\\\" , \"n\" : -0.5e-3 , \"o\" : { } , \"z\" : null }",
    };
    static const char noise[] = "{}[]\",:\\ 0-.eE\x01\xff";
    unsigned seed = 4242;
    for (int iter = 0; iter < 20000; iter++) {
        char text[128];
        const char *sd = seeds[iter % 2];
        size_t n = strlen(sd);
        memcpy(text, sd, n);
        int muts = 1 + rand_r(&seed) % 3;
        for (int m = 0; m < muts; m++) {
            size_t at = (size_t)rand_r(&seed) % n;
            int op = rand_r(&seed) % 3;
            char c = noise[rand_r(&seed) % (sizeof(noise) - 1)];
            if (op == 0) text[at] = c;                                   /* replace */
            else if (op == 1 && n > 1) { memmove(text + at, text + at + 1, n - at - 1); n--; } /* delete */
            else if (n < sizeof(text)) { memmove(text + at + 1, text + at, n - at); text[at] = c; n++; }
        }
        params_t p;
        params_init(&p);
        int rc = params_parse_json(&p, text, n);
        assert_true(rc == 0 || rc == -3);
        if (rc == -3) assert_int_equal(p.n, 0);
        for (size_t k = 0; k < p.n; k++) {
            assert_true(p.v[k].raw_len <= n);
            assert_non_null(memmem(text, n, p.v[k].raw, p.v[k].raw_len));
            assert_int_equal(p.v[k].raw[0], '"');
        }
        params_free(&p);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_table),
        cmocka_unit_test(test_nul_value_length),
        cmocka_unit_test(test_query_wins_and_order),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_max_pairs),
        cmocka_unit_test(test_ten_thousand),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_json_table),
        cmocka_unit_test(test_json_raw_span),
        cmocka_unit_test(test_json_bad_strings),
        cmocka_unit_test(test_json_deep_nesting),
        cmocka_unit_test(test_json_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
