/* lib_buf: the growable byte buffer (lib/buf.c): termination, growth,
 * embedded NULs, printf, JSON string escaping, steal/reset, overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "buf.h"

static void test_empty(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(b.len, 0);
    buf_reset(&b);                                   /* safe on an empty buffer */
    char *s = buf_steal(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    buf_init(&b);
    buf_free(&b);
    buf_free(&b);
    assert_null(b.data);
}

static void test_append_grow(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    for (int i = 0; i < 10000; i++) assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.data[26], 'a');
    assert_int_equal(buf_append(&b, "x\0y", 3), 0);
    assert_int_equal(b.len, 10003);
    assert_memory_equal(b.data + 10000, "x\0y", 4);  /* embedded NUL kept, terminator added */
    assert_int_equal(buf_append(&b, NULL, 0), 0);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_puts(&b, "abc"), 0);
    char *s = buf_steal(&b);
    assert_string_equal(s, "abc");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);
}

static void test_overflow(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    buf_puts(&b, "keep");
    assert_int_equal(buf_reserve(&b, SIZE_MAX), -1);
    assert_int_equal(buf_reserve(&b, SIZE_MAX - 4), -1);
    assert_string_equal(b.data, "keep");             /* untouched */
    assert_int_equal(buf_reserve(&b, 0), 0);
    buf_free(&b);
}

static void test_printf(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    assert_int_equal(buf_printf(&b, "%d-%s", -1021, "x"), 0);
    assert_int_equal(buf_printf(&b, "%05.1f", 2.25), 0);
    assert_string_equal(b.data, "-1021-x002.2");
    char big[5000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(buf_printf(&b, "%s", big), 0);
    assert_int_equal(b.len, 12 + sizeof(big) - 1);
    buf_free(&b);
}

typedef struct json_case { const char *in; size_t n; const char *out; } json_case;

static const json_case json_cases[] = {
    {"", 0, "\"\""},
    {"plain", 5, "\"plain\""},
    {"q\"b\\", 4, "\"q\\\"b\\\\\""},
    {"\n\r\t", 3, "\"\\n\\r\\t\""},
    {"\x01\x1f", 2, "\"\\u0001\\u001f\""},
    {"a\0b", 3, "\"a\\u0000b\""},
    {"\xef\xbc\x91/", 4, "\"\xef\xbc\x91/\""},       /* UTF-8 and '/' as is */
};

static void test_json_string(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
        buf_t b = BUF_INIT;
        assert_int_equal(buf_json_string(&b, json_cases[i].in, json_cases[i].n), 0);
        assert_string_equal(b.data, json_cases[i].out);
        /* cJSON reads it back to the same bytes (up to an embedded NUL) */
        cJSON *j = cJSON_Parse(b.data);
        assert_non_null(j);
        assert_true(cJSON_IsString(j));
        assert_int_equal(strncmp(j->valuestring, json_cases[i].in, json_cases[i].n), 0);
        cJSON_Delete(j);
        buf_free(&b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_append_grow),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_json_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
