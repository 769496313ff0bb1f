/* server_ratelimit: Binance's limits over a socket on the frozen virtual
 * clock, with limits lowered through /__admin/limits: X-MBX-USED-WEIGHT-1M
 * counting and minute windows, 429 + Retry-After, then the 418 ban (2 min,
 * doubling), per-account order counts (-1015) with X-MBX-ORDER-COUNT-*,
 * and --rate-limits off (never enforced, headers still sent). */
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include "bcs_test.h"

#define T0 1767225600000LL           /* minute-aligned */
#define TS "1767225600000"

static int setup(void **state)
{
    if (bcs_group_setup(state)) return -1;
    return 0;
}

static void fresh(const bcs_mock *m, const char *limits)
{
    assert_int_equal(bcs_reset(m), 200);
    assert_int_equal(bcs_clock_freeze(m, T0), 200);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/limits", limits, NULL), 200);
}

static void advance(const bcs_mock *m, long ms)
{
    char j[64];
    snprintf(j, sizeof j, "{\"advance_ms\":%ld}", ms);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/clock", j, NULL), 200);
}

static long ping(const bcs_mock *m, bcs_resp *r)
{
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, r), 0);
    const char *w = bcs_header(r, "X-MBX-USED-WEIGHT-1M");
    assert_non_null(w);
    return atol(w);
}

static void test_weight_header_and_window(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    fresh(m, "{}");
    for (long i = 1; i <= 3; i++) {
        assert_int_equal(ping(m, &r), i);
        bcs_resp_free(&r);
    }
    /* exchangeInfo weighs 20 */
    assert_int_equal(bcs_http(m, "GET", "/api/v3/exchangeInfo?symbol=BTCUSDT", NULL, NULL, &r), 0);
    assert_int_equal(atol(bcs_header(&r, "X-MBX-USED-WEIGHT-1M")), 23);
    bcs_resp_free(&r);
    /* errors are charged too */
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping?x=1", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 400);
    assert_int_equal(atol(bcs_header(&r, "X-MBX-USED-WEIGHT-1M")), 24);
    bcs_resp_free(&r);
    advance(m, 59999);
    assert_int_equal(ping(m, &r), 25);
    bcs_resp_free(&r);
    advance(m, 1);                         /* next minute */
    assert_int_equal(ping(m, &r), 1);
    bcs_resp_free(&r);
}

static void test_429_then_418(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    fresh(m, "{\"weightPerMinute\":5,\"banAfter429s\":1}");
    for (int i = 0; i < 5; i++) {
        ping(m, &r);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    ping(m, &r);
    bcs_assert_err(&r, ERR_TOO_MUCH_WEIGHT, "5", "1 MINUTE");
    assert_string_equal(bcs_header(&r, "Retry-After"), "60");
    bcs_resp_free(&r);
    /* keeps going: banned for 2 minutes */
    ping(m, &r);
    bcs_assert_err(&r, ERR_IP_BANNED, "1767225720000", NULL);
    assert_string_equal(bcs_header(&r, "Retry-After"), "120");
    bcs_resp_free(&r);
    advance(m, 60000);                     /* new minute, still banned */
    ping(m, &r);
    bcs_assert_err(&r, ERR_IP_BANNED, "1767225720000", NULL);
    assert_string_equal(bcs_header(&r, "Retry-After"), "60");
    bcs_resp_free(&r);
    advance(m, 60000);                     /* ban over */
    ping(m, &r);
    assert_int_equal(r.status, 200);
    assert_null(bcs_header(&r, "Retry-After"));
    bcs_resp_free(&r);
    /* the next ban doubles: 4 minutes */
    for (int i = 0; i < 4; i++) { ping(m, &r); bcs_resp_free(&r); }
    ping(m, &r);
    assert_int_equal(r.status, 429);
    bcs_resp_free(&r);
    ping(m, &r);
    bcs_assert_err(&r, ERR_IP_BANNED, "1767225960000", NULL);
    assert_string_equal(bcs_header(&r, "Retry-After"), "240");
    bcs_resp_free(&r);
    /* the admin API is never limited */
    assert_int_equal(bcs_admin(m, "GET", "/__admin/limits", NULL, NULL), 200);
}

static void test_raw_requests(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    fresh(m, "{\"rawRequestsPer5m\":3,\"banAfter429s\":5}");
    for (int i = 0; i < 3; i++) {
        ping(m, &r);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    ping(m, &r);
    bcs_assert_err(&r, ERR_TOO_MANY_REQUESTS, NULL, NULL);
    assert_string_equal(bcs_header(&r, "Retry-After"), "300");
    bcs_resp_free(&r);
    advance(m, 300000);
    ping(m, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
}

static void order(const bcs_mock *m, sig_key *k, const char *api, bcs_resp *r)
{
    assert_int_equal(bcs_signed(m, "POST", "/api/v3/order", k, api,
                                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newOrderRespType=ACK&timestamp=" TS,
                                NULL, 0, NULL, r), 0);
}

static void test_order_count(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    sig_key *k = bcs_key("hmac.secret"), *kb = bcs_key("bob-hmac.secret");
    const char *api = bcs_api_key("hmac.secret"), *apib = bcs_api_key("bob-hmac.secret");
    fresh(m, "{\"ordersPer10s\":2,\"ordersPerDay\":3}");
    for (int i = 1; i <= 2; i++) {
        order(m, k, api, &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(atol(bcs_header(&r, "X-MBX-ORDER-COUNT-10S")), i);
        assert_int_equal(atol(bcs_header(&r, "X-MBX-ORDER-COUNT-1D")), i);
        bcs_resp_free(&r);
    }
    order(m, k, api, &r);
    bcs_assert_err(&r, ERR_TOO_MANY_ORDERS_LIMIT, "2", "10 SECOND");
    assert_non_null(bcs_header(&r, "Retry-After"));
    assert_null(bcs_header(&r, "X-MBX-ORDER-COUNT-10S"));
    bcs_resp_free(&r);
    /* per account: bob is not affected */
    order(m, kb, apib, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    /* order/test never counts */
    assert_int_equal(bcs_signed(m, "POST", "/api/v3/order/test", k, api,
                                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&timestamp=" TS, NULL, 0, NULL, &r), 0);
    assert_int_not_equal(bcs_code(&r), -1015);
    bcs_resp_free(&r);
    advance(m, 10000);
    assert_int_equal(bcs_signed(m, "POST", "/api/v3/order", k, api,
                                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newOrderRespType=ACK&timestamp=1767225610000",
                                NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(atol(bcs_header(&r, "X-MBX-ORDER-COUNT-10S")), 1);
    assert_int_equal(atol(bcs_header(&r, "X-MBX-ORDER-COUNT-1D")), 3);
    bcs_resp_free(&r);
    advance(m, 10000);
    assert_int_equal(bcs_signed(m, "POST", "/api/v3/order", k, api,
                                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newOrderRespType=ACK&timestamp=1767225620000",
                                NULL, 0, NULL, &r), 0);
    bcs_assert_err(&r, ERR_TOO_MANY_ORDERS_LIMIT, "3", "1 DAY");
    bcs_resp_free(&r);
    sig_key_free(k);
    sig_key_free(kb);
}

typedef struct par_arg { const bcs_mock *m; int ok; } par_arg;

static void *order_burst(void *p)
{
    par_arg *a = p;
    sig_key *k = bcs_key("bob-hmac.secret");
    const char *api = bcs_api_key("bob-hmac.secret");
    for (int i = 0; i < 20; i++) {
        bcs_resp r;
        if (bcs_signed(a->m, "POST", "/api/v3/order", k, api,
                       "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newOrderRespType=ACK&timestamp=" TS,
                       NULL, 0, NULL, &r) == 0 && r.status == 200)
            a->ok++;
        bcs_resp_free(&r);
    }
    sig_key_free(k);
    return NULL;
}

/* 8 clients x 20 signed orders at once: every one answered and counted once. */
static void test_concurrent_orders_counted(void **state)
{
    enum { T = 8 };
    bcs_mock *m = *state;
    pthread_t th[T];
    par_arg a[T];
    bcs_resp r;
    fresh(m, "{\"ordersPer10s\":100000}");
    for (int i = 0; i < T; i++) {
        a[i].m = m;
        a[i].ok = 0;
        assert_int_equal(pthread_create(&th[i], NULL, order_burst, &a[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < T; i++) { pthread_join(th[i], NULL); ok += a[i].ok; }
    assert_int_equal(ok, T * 20);
    sig_key *k = bcs_key("bob-hmac.secret");
    assert_int_equal(bcs_signed(m, "POST", "/api/v3/order", k, bcs_api_key("bob-hmac.secret"),
                                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newOrderRespType=ACK&timestamp=" TS,
                                NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(atol(bcs_header(&r, "X-MBX-ORDER-COUNT-1D")), T * 20 + 1);
    bcs_resp_free(&r);
    sig_key_free(k);
}

static void test_rate_limits_off(void **state)
{
    (void)state;
    const char *args[] = { "--rate-limits", "off", NULL };
    bcs_mock m;
    bcs_resp r;
    assert_int_equal(bcs_mock_start(&m, args), 0);
    assert_int_equal(bcs_clock_freeze(&m, T0), 200);
    assert_int_equal(bcs_admin(&m, "POST", "/__admin/limits", "{\"weightPerMinute\":2,\"banAfter429s\":0}", NULL), 200);
    for (long i = 1; i <= 6; i++) {
        assert_int_equal(ping(&m, &r), i);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    assert_int_equal(bcs_mock_stop(&m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weight_header_and_window),
        cmocka_unit_test(test_429_then_418),
        cmocka_unit_test(test_raw_requests),
        cmocka_unit_test(test_order_count),
        cmocka_unit_test(test_concurrent_orders_counted),
        cmocka_unit_test(test_rate_limits_off),
    };
    return cmocka_run_group_tests_name("server_ratelimit", tests, setup, bcs_group_stop);
}
