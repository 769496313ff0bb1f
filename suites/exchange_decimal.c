/* exchange_decimal: fixed-point decimals - parsing with precision and
 * overflow checks, Binance formatting, exact arithmetic. Data-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "dec.h"

static const struct { const char *in; dec_status st; dec_t v; } parse_cases[] = {
    { "0", DEC_OK, 0 },
    { "1", DEC_OK, 100000000 },
    { "0.1", DEC_OK, 10000000 },
    { ".5", DEC_OK, 50000000 },
    { "5.", DEC_OK, 500000000 },
    { "0.00000001", DEC_OK, 1 },
    { "0.000000010000", DEC_OK, 1 },          /* trailing zeros beyond 8 decimals are fine */
    { "0.000000001", DEC_PRECISION, 0 },      /* -1111 */
    { "1.123456789", DEC_PRECISION, 0 },
    { "60000.12", DEC_OK, 6000012000000 },
    { "92233720368.54775807", DEC_OK, INT64_MAX },
    { "92233720369", DEC_OVERFLOW, 0 },
    { "99999999999999999999999", DEC_OVERFLOW, 0 },
    { "", DEC_MALFORMED, 0 },
    { ".", DEC_MALFORMED, 0 },
    { "abc", DEC_MALFORMED, 0 },
    { "1e5", DEC_MALFORMED, 0 },
    { "-1", DEC_MALFORMED, 0 },
    { "+1", DEC_MALFORMED, 0 },
    { " 1", DEC_MALFORMED, 0 },
    { "1 ", DEC_MALFORMED, 0 },
    { "1.2.3", DEC_MALFORMED, 0 },
    { "0x10", DEC_MALFORMED, 0 },
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        dec_t v = 0;
        dec_status st = dec_parse(parse_cases[i].in, &v, 0);
        if (st != parse_cases[i].st) fail_msg("parse '%s': status %d, want %d", parse_cases[i].in, st, parse_cases[i].st);
        if (st == DEC_OK) assert_int_equal(v, parse_cases[i].v);
    }
    dec_t v;
    assert_int_equal(dec_parse("-0.5", &v, 1), DEC_OK);
    assert_int_equal(v, -50000000);
    assert_int_equal(dec_parse(NULL, &v, 0), DEC_MALFORMED);
}

static const struct { dec_t v; int d; const char *out; } fmt_cases[] = {
    { 10000000, 8, "0.10000000" },
    { 0, 8, "0.00000000" },
    { 6000012000000, 8, "60000.12000000" },
    { 6000012000000, 2, "60000.12" },
    { 100000000, 0, "1" },
    { -150000000, 8, "-1.50000000" },
    { 1, 8, "0.00000001" },
    { INT64_MAX, 8, "92233720368.54775807" },
};

static void test_format(void **state)
{
    (void)state;
    char b[48];
    for (size_t i = 0; i < sizeof fmt_cases / sizeof fmt_cases[0]; i++) {
        dec_format(b, sizeof b, fmt_cases[i].v, fmt_cases[i].d);
        assert_string_equal(b, fmt_cases[i].out);
    }
    dec_format(b, 4, 6000012000000, 8);
    assert_string_equal(b, "600");               /* truncates safely */
}

static void test_roundtrip(void **state)
{
    (void)state;
    const char *vals[] = { "0.00001000", "123.45678901", "60000.00000000", "0.05000000" };
    for (size_t i = 0; i < 4; i++) {
        dec_t v;
        char b[48];
        assert_int_equal(dec_parse(vals[i], &v, 0), DEC_OK);
        dec_format(b, sizeof b, v, 8);
        assert_string_equal(b, vals[i]);
    }
}

static void test_arith(void **state)
{
    (void)state;
    int ovf = 0;
    /* 60000.01 * 0.00012 = 7.2000012 */
    assert_int_equal(dec_mul(6000001000000, 12000, &ovf), 720000120);
    assert_int_equal(ovf, 0);
    /* 0.1 + 0.2 is exactly 0.3 (no binary floating point) */
    assert_int_equal(10000000 + 20000000, 30000000);
    dec_mul(INT64_MAX, 2 * DEC_ONE, &ovf);
    assert_int_equal(ovf, 1);
    assert_int_equal(dec_div(DEC_ONE, 3 * DEC_ONE), 33333333);
    assert_int_equal(dec_muldiv(3, 5, 2), 7);
    assert_true(dec_is_multiple(300000, 1000));
    assert_false(dec_is_multiple(300001, 1000));
    assert_true(dec_is_multiple(5, 0));
    assert_int_equal(dec_floor_step(123456789, 1000000), 123000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_arith),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
