/* lib_json_guard: the nesting bound checked before cJSON parses untrusted
 * JSON - exact limit, brackets inside strings and escapes ignored, the
 * offset reported, and the parse wrappers refusing what is too deep. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "buf.h"
#include "json_guard.h"

static char *nested(int depth, const char *inner)
{
    buf_t b = BUF_INIT;
    for (int i = 0; i < depth; i++) buf_puts(&b, i % 2 ? "{\"k\":" : "[");
    buf_puts(&b, depth % 2 ? inner : "1");         /* an object member needs a value */
    for (int i = depth - 1; i >= 0; i--) buf_putc(&b, i % 2 ? '}' : ']');
    return b.data;
}

static void test_depth_bound(void **state)
{
    (void)state;
    assert_int_equal(json_guard_too_deep("[[1]]", 5, 2), 0);
    assert_int_equal(json_guard_too_deep("[[[1]]]", 7, 2), 3);           /* the third '[' */
    assert_int_equal(json_guard_too_deep("[1],[2],[3]", 11, 1), 0);      /* siblings do not add up */
    assert_int_equal(json_guard_too_deep("{\"a\":[{}]}", 10, 2), 7);
    /* brackets in strings, escaped quotes, do not count */
    const char *s = "[\"[[[\\\"[[\",\"]]]\"]";
    assert_int_equal(json_guard_too_deep(s, strlen(s), 1), 0);
    assert_int_equal(json_guard_too_deep(NULL, 0, 1), 0);
}

static void test_parse_refuses_deep(void **state)
{
    (void)state;
    for (int depth = JSON_GUARD_MAX_DEPTH - 1; depth <= JSON_GUARD_MAX_DEPTH + 1; depth++) {
        char *t = nested(depth, "");
        cJSON *j = json_guard_parse(t, strlen(t));
        if (depth <= JSON_GUARD_MAX_DEPTH) assert_non_null(j);
        else assert_null(j);
        cJSON_Delete(j);
        const char *end = NULL;
        int deep = -1;
        j = json_guard_parse_opts(t, strlen(t), &end, &deep);
        assert_int_equal(deep, depth > JSON_GUARD_MAX_DEPTH);
        if (deep) assert_int_equal(end[-1], JSON_GUARD_MAX_DEPTH % 2 ? '{' : '[');   /* the opening bracket of level max+1 */
        cJSON_Delete(j);
        free(t);
    }
    /* 900 deep: cJSON alone would recurse 900 times (it allows 1000) */
    char *t = nested(900, "1");
    assert_null(json_guard_parse_str(t));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_bound),
        cmocka_unit_test(test_parse_refuses_deep),
    };
    return cmocka_run_group_tests_name("lib_json_guard", tests, NULL, NULL);
}
