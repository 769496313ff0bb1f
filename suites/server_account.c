/* server_account: the account endpoints of binance-mock over HTTP - account
 * (shape, omitZeroBalances, balances moving exactly by a fill and its
 * commission), account/commission, rateLimit/order counts, the wallet coin
 * list, microsecond time fields on trading responses. Signed as bob. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

typedef bcs_fx ctx;

static int setup(void **state) { return bcs_fx_start_signed(state, "bob-hmac.secret"); }

static int teardown(void **state) { return bcs_fx_stop(state); }


typedef long long dec_t;

/* "123.45000000" -> 12345000000 (8 decimals, exact). */
static dec_t field(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    assert_true(cJSON_IsString(v));
    const char *s = v->valuestring, *dot = strchr(s, '.');
    assert_non_null(dot);
    assert_int_equal(strlen(dot + 1), 8);
    dec_t ip = strtoll(s, NULL, 10), fp = strtoll(dot + 1, NULL, 10);
    return ip * 100000000LL + fp;
}

static dec_t balance(ctx *c, const char *asset, const char *which)
{
    bcs_resp r;
    bcs_fx_call(c, "GET", "/api/v3/account", "", NULL, &r);
    assert_int_equal(r.status, 200);
    const cJSON *b;
    dec_t v = -1;
    cJSON_ArrayForEach(b, cJSON_GetObjectItem(r.json, "balances"))
        if (!strcmp(cJSON_GetObjectItem(b, "asset")->valuestring, asset)) v = field(b, which);
    bcs_resp_free(&r);
    return v;
}

static void test_account_shape(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    bcs_fx_call(c, "GET", "/api/v3/account", "", NULL, &r);
    assert_int_equal(r.status, 200);
    static const char *const keys[] = { "makerCommission", "takerCommission", "buyerCommission", "sellerCommission",
        "commissionRates", "canTrade", "canWithdraw", "canDeposit", "brokered", "requireSelfTradePrevention",
        "preventSor", "updateTime", "accountType", "balances", "permissions", "uid" };
    const cJSON *it = r.json->child;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++, it = it->next) {
        assert_non_null(it);
        assert_string_equal(it->string, keys[i]);
    }
    assert_string_equal(cJSON_GetObjectItem(r.json, "accountType")->valuestring, "SPOT");
    assert_int_equal((int)cJSON_GetObjectItem(r.json, "makerCommission")->valuedouble, 10);
    int all = cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "balances"));
    assert_true(all >= 6);
    bcs_resp_free(&r);
    bcs_fx_call(c, "GET", "/api/v3/account", "omitZeroBalances=true", NULL, &r);
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItem(r.json, "balances"))
        assert_true(field(b, "free") + field(b, "locked") > 0);
    bcs_resp_free(&r);
    bcs_fx_call(c, "GET", "/api/v3/account/commission", "symbol=BTCUSDT", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "standardCommission"), "maker")->valuestring,
                        "0.00100000");
    bcs_resp_free(&r);
}

/* A fill moves the balances by exactly its quote amount and commission. */
static void test_balances_follow_fills(void **state)
{
    ctx *c = *state;
    dec_t usdt0 = balance(c, "USDT", "free"), btc0 = balance(c, "BTC", "free");
    bcs_resp r;
    bcs_fx_call(c, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.02000", NULL, &r);
    assert_int_equal(r.status, 200);
    dec_t quote = field(r.json, "cummulativeQuoteQty"), comm = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(r.json, "fills")) comm += field(f, "commission");
    assert_int_equal(comm, 2000);                        /* 0.1% of 0.02 BTC */
    bcs_resp_free(&r);
    assert_int_equal(balance(c, "USDT", "free"), usdt0 - quote);
    assert_int_equal(balance(c, "BTC", "free"), btc0 + 2000000 - comm);
    /* a resting order locks its funds; the cancel releases them */
    bcs_fx_call(c, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=90000", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_int_equal(balance(c, "BTC", "locked"), 1000000);
    bcs_fx_call(c, "DELETE", "/api/v3/openOrders", "symbol=BTCUSDT", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_int_equal(balance(c, "BTC", "locked"), 0);
}

static void test_rate_limit_order(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    bcs_fx_call(c, "GET", "/api/v3/rateLimit/order", "", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) >= 1);
    const cJSON *e = cJSON_GetArrayItem(r.json, 0);
    assert_string_equal(cJSON_GetObjectItem(e, "rateLimitType")->valuestring, "ORDERS");
    assert_true(cJSON_GetObjectItem(e, "count")->valuedouble >= 2);     /* the two orders above */
    bcs_resp_free(&r);
}

static void test_wallet_coins(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    bcs_fx_call(c, "GET", "/sapi/v1/capital/config/getall", "", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 6);     /* BTC USDT ETH BNB 这是测试币 456 */
    const cJSON *coin = cJSON_GetArrayItem(r.json, 0);
    assert_non_null(cJSON_GetObjectItem(coin, "networkList"));
    assert_string_equal(cJSON_GetObjectItem(coin, "coin")->valuestring, "BTC");
    bcs_resp_free(&r);
}

static void test_microsecond_times(void **state)
{
    ctx *c = *state;
    const char *h[] = { "X-MBX-TIME-UNIT: MICROSECOND", NULL };
    bcs_resp r;
    bcs_fx_call(c, "POST", "/api/v3/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0100&price=2000.00", h, &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetObjectItem(r.json, "transactTime")->valuedouble == (double)c->now_ms * 1000);
    assert_true(cJSON_GetObjectItem(r.json, "workingTime")->valuedouble == (double)c->now_ms * 1000);
    bcs_resp_free(&r);
    bcs_fx_call(c, "GET", "/api/v3/openOrders", "symbol=ETHUSDT", h, &r);
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "time")->valuedouble == (double)c->now_ms * 1000);
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_shape),
        cmocka_unit_test(test_balances_follow_fills),
        cmocka_unit_test(test_rate_limit_order),
        cmocka_unit_test(test_wallet_coins),
        cmocka_unit_test(test_microsecond_times),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
