/* server_jsonw: the REST hot path's JSON writer (mock_server/jsonw) must write
 * exactly the bytes cJSON_PrintUnformatted() and buf_json_string() write, so
 * the performance work can never change a response. Random trees and strings
 * from a fixed seed, plus the number edge cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "buf.h"
#include "jsonw.h"

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A string of random bytes biased towards what JSON escaping cares about. */
static size_t rand_bytes(uint64_t *s, char *out, size_t cap)
{
    static const char pool[] = "\"\\/\b\f\n\r\t\x01\x1f\x7f az09{}[]:,";
    static const char *const utf8[] = { "\xc3\xa9", "\xe8\xbf\x99", "\xef\xbc\x91", "\xf0\x9f\x98\x80" };
    size_t n = rng_next(s) % 24, k = 0;
    for (size_t i = 0; i < n && k + 4 < cap; i++) {
        uint64_t r = rng_next(s) % 10;
        if (r < 4) out[k++] = pool[rng_next(s) % (sizeof pool - 1)];
        else if (r < 6) {
            const char *u = utf8[rng_next(s) % 4];
            size_t ul = strlen(u);
            memcpy(out + k, u, ul);
            k += ul;
        } else out[k++] = (char)(0x20 + rng_next(s) % 95);
    }
    out[k] = '\0';
    return k;
}

static double rand_number(uint64_t *s)
{
    static const double edge[] = { 0.0, -0.0, 1.0, -1.0, 1e15, 1e15 - 1, -1e15, 1e16, 0.1, 0.1 + 0.2,
                                   52000.5, 1795241754299.0, 1795241754299123.0, 1e-7, 123456789.125,
                                   9007199254740993.0, 1e300, -2.5e-300 };
    uint64_t r = rng_next(s) % 4;
    if (r == 0) return edge[rng_next(s) % (sizeof edge / sizeof edge[0])];
    if (r == 1) return (double)(int64_t)(rng_next(s) % 4000000000000ULL) - 2e12;
    if (r == 2) return (double)(rng_next(s) % 100000000) / 1e8;
    return ((double)(rng_next(s) % 2000000) - 1e6) * pow(10.0, (double)(rng_next(s) % 40) - 20);
}

static cJSON *rand_tree(uint64_t *s, int depth)
{
    char str[128];
    uint64_t kind = rng_next(s) % (depth > 3 ? 5 : 7);
    switch (kind) {
    case 0: return cJSON_CreateNull();
    case 1: return cJSON_CreateBool((int)(rng_next(s) & 1));
    case 2: return cJSON_CreateNumber(rand_number(s));
    case 3:
    case 4: rand_bytes(s, str, sizeof str); return cJSON_CreateString(str);
    default: {
        int object = kind == 5;
        cJSON *c = object ? cJSON_CreateObject() : cJSON_CreateArray();
        size_t n = rng_next(s) % 6;
        for (size_t i = 0; i < n; i++) {
            cJSON *child = rand_tree(s, depth + 1);
            if (object) {
                rand_bytes(s, str, sizeof str);
                cJSON_AddItemToObject(c, str, child);
            } else cJSON_AddItemToArray(c, child);
        }
        return c;
    }
    }
}

static void assert_same_as_cjson(const cJSON *t)
{
    char *want = cJSON_PrintUnformatted(t);
    buf_t got = BUF_INIT;
    assert_non_null(want);
    assert_int_equal(jsonw_print(&got, t), 0);
    if (strcmp(buf_cstr(&got), want) != 0)
        fail_msg("jsonw wrote\n  %s\ncJSON wrote\n  %s", buf_cstr(&got), want);
    free(want);
    buf_free(&got);
}

static void test_trees_match_cjson(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 20000; i++) {
        cJSON *t = rand_tree(&seed, 0);
        assert_non_null(t);
        assert_same_as_cjson(t);
        cJSON_Delete(t);
    }
}

static void test_numbers_match_cjson(void **state)
{
    (void)state;
    uint64_t seed = 42;
    for (int i = 0; i < 50000; i++) {
        cJSON *n = cJSON_CreateNumber(rand_number(&seed));
        assert_same_as_cjson(n);
        cJSON_Delete(n);
    }
    buf_t b = BUF_INIT;
    assert_int_equal(jsonw_int(&b, -9223372036854775807LL - 1), 0);
    assert_string_equal(buf_cstr(&b), "-9223372036854775808");
    buf_free(&b);
}

static void test_strings_match_buf(void **state)
{
    (void)state;
    uint64_t seed = 7;
    char s[160];
    for (int i = 0; i < 50000; i++) {
        size_t n = rand_bytes(&seed, s, sizeof s);
        if (i % 7 == 0 && n) s[rng_next(&seed) % n] = '\0';   /* embedded NUL */
        buf_t a = BUF_INIT, b = BUF_INIT;
        assert_int_equal(buf_json_string(&a, s, n), 0);
        assert_int_equal(jsonw_string(&b, s, n), 0);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        assert_int_equal(jsonw_print_ascii(s, n), strspn(s, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~") >= n);
        buf_free(&a);
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trees_match_cjson),
        cmocka_unit_test(test_numbers_match_cjson),
        cmocka_unit_test(test_strings_match_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
