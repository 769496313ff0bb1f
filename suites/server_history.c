/* server_history: the bounded order history over HTTP - a closed order is
 * archived --order-retention-ms (default 90 days, virtual clock) after it
 * closed: GET /api/v3/order by orderId or origClientOrderId answers -2026
 * ORDER_ARCHIVED with Binance's message (before and after the sweep that
 * frees it), allOrders and myTrades no longer list it or its fills, an order
 * that never existed still answers -2013. Signed as bob. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define RETENTION_MS (90LL * 86400000)

static int setup(void **state) { return bcs_fx_start_signed(state, "bob-hmac.secret"); }
static int teardown(void **state) { return bcs_fx_stop(state); }

static int64_t place(bcs_fx *c, const char *params)
{
    bcs_resp r;
    bcs_fx_call(c, "POST", "/api/v3/order", params, NULL, &r);
    assert_int_equal(r.status, 200);
    int64_t id = (int64_t)cJSON_GetObjectItem(r.json, "orderId")->valuedouble;
    bcs_resp_free(&r);
    return id;
}

static void query_status(bcs_fx *c, const char *params, int status, err_id err)
{
    bcs_resp r;
    bcs_fx_call(c, "GET", "/api/v3/order", params, NULL, &r);
    if (err != ERR_NONE) bcs_assert_err(&r, err, NULL, NULL);
    else assert_int_equal(r.status, status);
    bcs_resp_free(&r);
}

/* Number of entries of GET path?params whose key equals id. */
static int listed(bcs_fx *c, const char *path, const char *params, const char *key, int64_t id)
{
    bcs_resp r;
    bcs_fx_call(c, "GET", path, params, NULL, &r);
    assert_int_equal(r.status, 200);
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, r.json)
        if ((int64_t)cJSON_GetObjectItem(it, key)->valuedouble == id) n++;
    bcs_resp_free(&r);
    return n;
}

static void move_clock(bcs_fx *c, int64_t to_ms)
{
    char body[64];
    snprintf(body, sizeof body, "{\"frozen_at_ms\":%lld}", (long long)to_ms);
    assert_int_equal(bcs_admin(&c->m, "POST", "/__admin/clock", body, NULL), 200);
    c->now_ms = to_ms;
}

static void test_archived_orders(void **state)
{
    bcs_fx *c = *state;
    char q[160];
    int64_t t0 = c->now_ms;
    int64_t canceled = place(c, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01000"
                                "&price=90000&newClientOrderId=hist-canceled");
    bcs_resp r;
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)canceled);
    bcs_fx_call(c, "DELETE", "/api/v3/order", q, NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    int64_t filled = place(c, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newClientOrderId=hist-filled");
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)filled);
    assert_true(listed(c, "/api/v3/myTrades", q, "orderId", filled) >= 1);
    query_status(c, "symbol=BTCUSDT&orderId=999999999", 0, ERR_NO_SUCH_ORDER);

    /* exactly at the retention: still there */
    move_clock(c, t0 + RETENTION_MS);
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)canceled);
    query_status(c, q, 200, ERR_NONE);
    /* 1 ms later: archived, though nothing swept it from memory yet */
    move_clock(c, t0 + RETENTION_MS + 1);
    query_status(c, q, 0, ERR_ORDER_ARCHIVED);
    query_status(c, "symbol=BTCUSDT&origClientOrderId=hist-canceled", 0, ERR_ORDER_ARCHIVED);
    query_status(c, "symbol=BTCUSDT&origClientOrderId=hist-filled", 0, ERR_ORDER_ARCHIVED);
    assert_int_equal(listed(c, "/api/v3/allOrders", "symbol=BTCUSDT", "orderId", canceled), 0);
    assert_int_equal(listed(c, "/api/v3/allOrders", "symbol=BTCUSDT", "orderId", filled), 0);
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)filled);
    assert_int_equal(listed(c, "/api/v3/myTrades", q, "orderId", filled), 0);
    assert_int_equal(listed(c, "/api/v3/myTrades", "symbol=BTCUSDT", "orderId", filled), 0);

    /* a placement 2 s of virtual time later sweeps them out of memory: same answers */
    move_clock(c, t0 + RETENTION_MS + 2000);
    int64_t fresh = place(c, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01000"
                             "&price=90000&newClientOrderId=hist-canceled");
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)canceled);
    query_status(c, q, 0, ERR_ORDER_ARCHIVED);
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)filled);
    query_status(c, q, 0, ERR_ORDER_ARCHIVED);
    query_status(c, "symbol=BTCUSDT&origClientOrderId=hist-filled", 0, ERR_ORDER_ARCHIVED);
    /* the reused clientOrderId finds the live order */
    query_status(c, "symbol=BTCUSDT&origClientOrderId=hist-canceled", 200, ERR_NONE);
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%lld", (long long)fresh);
    query_status(c, q, 200, ERR_NONE);
    query_status(c, "symbol=BTCUSDT&orderId=999999999", 0, ERR_NO_SUCH_ORDER);
    query_status(c, "symbol=BTCUSDT&origClientOrderId=never-placed", 0, ERR_NO_SUCH_ORDER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_archived_orders, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
