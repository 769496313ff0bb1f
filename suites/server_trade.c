/* server_trade: the trading endpoints of binance-mock over HTTP - order
 * placement (shapes per newOrderRespType, fills, headers), query, cancel,
 * openOrders, allOrders, cancelReplace, order/test, and every error path
 * with its exact status/code/message (fact sheet §11 items 34, 37-41, 45).
 * Signed with the bundled HMAC key of alice on a frozen clock. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

typedef bcs_fx ctx;

static int setup(void **state) { return bcs_fx_start_signed(state, "hmac.secret"); }

static int teardown(void **state) { return bcs_fx_stop(state); }

/* Signed call: params without timestamp; it is appended. */
static void call(ctx *c, const char *method, const char *path, const char *params, bcs_resp *r)
{
    bcs_fx_call(c, method, path, params, NULL, r);
}

static const char *str(const bcs_resp *r, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(r->json, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

/* The exact key order of a JSON object. */
static void test_limit_order_lifecycle(void **state)
{
    ctx *c = *state;
    bcs_resp r, q;
    call(c, "POST", "/api/v3/order",
         "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=30000.00&newClientOrderId=life-1", &r);
    assert_int_equal(r.status, 200);
    static const char *const full[] = { "symbol", "orderId", "orderListId", "clientOrderId", "transactTime",
        "price", "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status", "timeInForce",
        "type", "side", "workingTime", "selfTradePreventionMode", "fills", NULL };
    bcs_assert_keys(r.json, full);
    assert_string_equal(str(&r, "status"), "NEW");
    assert_string_equal(str(&r, "price"), "30000.00000000");
    assert_string_equal(str(&r, "origQty"), "0.01000000");
    assert_string_equal(str(&r, "clientOrderId"), "life-1");
    assert_true(num(r.json, "transactTime") == (double)c->now_ms);
    assert_non_null(bcs_header(&r, "X-MBX-ORDER-COUNT-10S"));
    assert_non_null(bcs_header(&r, "X-MBX-ORDER-COUNT-1D"));
    long long id = (long long)num(r.json, "orderId");
    char p[256];
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderId=%lld", id);
    call(c, "GET", "/api/v3/order", p, &q);
    assert_int_equal(q.status, 200);
    static const char *const query[] = { "symbol", "orderId", "orderListId", "clientOrderId", "price", "origQty",
        "executedQty", "cummulativeQuoteQty", "status", "timeInForce", "type", "side", "stopPrice", "icebergQty",
        "time", "updateTime", "isWorking", "workingTime", "origQuoteOrderQty", "selfTradePreventionMode", NULL };
    bcs_assert_keys(q.json, query);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(q.json, "isWorking")));
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=life-1", &q);
    assert_int_equal((long long)num(q.json, "orderId"), id);
    bcs_resp_free(&q);
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderId=%lld&origClientOrderId=other", id);
    call(c, "GET", "/api/v3/order", p, &q);
    bcs_assert_err(&q, ERR_CLIENT_ORDER_ID_INVALID, NULL, NULL);        /* §37 */
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/openOrders", "symbol=BTCUSDT", &q);
    assert_int_equal(q.status, 200);
    assert_int_equal(cJSON_GetArraySize(q.json), 1);
    bcs_resp_free(&q);
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderId=%lld", id);
    call(c, "DELETE", "/api/v3/order", p, &q);
    assert_int_equal(q.status, 200);
    static const char *const cancel[] = { "symbol", "origClientOrderId", "orderId", "orderListId", "clientOrderId",
        "transactTime", "price", "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status",
        "timeInForce", "type", "side", "selfTradePreventionMode", NULL };
    bcs_assert_keys(q.json, cancel);
    assert_string_equal(str(&q, "status"), "CANCELED");
    assert_string_equal(str(&q, "origClientOrderId"), "life-1");
    bcs_resp_free(&q);
    call(c, "DELETE", "/api/v3/order", p, &q);
    bcs_assert_err(&q, ERR_CANCEL_REJECTED, "Unknown order sent.", NULL);   /* §38 */
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/allOrders", "symbol=BTCUSDT", &q);
    assert_int_equal(q.status, 200);
    assert_true(cJSON_GetArraySize(q.json) >= 1);
    bcs_resp_free(&q);
    bcs_resp_free(&r);
}

static void test_market_order_fills(void **state)
{
    ctx *c = *state;
    bcs_resp r, t;
    call(c, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01000", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(str(&r, "status"), "FILLED");
    const cJSON *fills = cJSON_GetObjectItem(r.json, "fills");
    assert_true(cJSON_GetArraySize(fills) >= 1);
    static const char *const fill[] = { "price", "qty", "commission", "commissionAsset", "tradeId", NULL };
    bcs_assert_keys(cJSON_GetArrayItem(fills, 0), fill);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(fills, 0), "commissionAsset")->valuestring, "BTC");
    char p[128];
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderId=%lld", (long long)num(r.json, "orderId"));
    call(c, "GET", "/api/v3/myTrades", p, &t);
    assert_int_equal(t.status, 200);
    assert_int_equal(cJSON_GetArraySize(t.json), cJSON_GetArraySize(fills));
    static const char *const mt[] = { "symbol", "id", "orderId", "orderListId", "price", "qty", "quoteQty",
        "commission", "commissionAsset", "time", "isBuyer", "isMaker", "isBestMatch", NULL };
    bcs_assert_keys(cJSON_GetArrayItem(t.json, 0), mt);
    bcs_resp_free(&t);
    call(c, "GET", "/api/v3/myTrades", "symbol=BTCUSDT&fromId=1&startTime=1", &t);
    bcs_assert_err(&t, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    bcs_resp_free(&t);
    /* ACK and RESULT shapes */
    call(c, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.00100&newOrderRespType=ACK", &t);
    static const char *const ack[] = { "symbol", "orderId", "orderListId", "clientOrderId", "transactTime", NULL };
    bcs_assert_keys(t.json, ack);
    bcs_resp_free(&t);
    call(c, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quoteOrderQty=100.00&newOrderRespType=RESULT", &t);
    assert_int_equal(t.status, 200);
    assert_null(cJSON_GetObjectItem(t.json, "fills"));
    assert_string_equal(str(&t, "origQuoteOrderQty"), "100.00000000");
    bcs_resp_free(&t);
    bcs_resp_free(&r);
}

typedef struct err_case { const char *method, *path, *params; err_id err; const char *a1, *a2; } err_case;

/* Every row: one request and the exact error it must get. */
static const err_case errors[] = {
    { "POST", "/api/v3/order", "symbol=NOPE&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1", ERR_BAD_SYMBOL, NULL, NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01", ERR_MANDATORY_PARAM_NAMED, "price", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01&price=30000", ERR_MANDATORY_PARAM_NAMED, "timeInForce", NULL },
    { "POST", "/api/v3/order", "side=BUY&type=LIMIT", ERR_MANDATORY_PARAM_NAMED, "symbol", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET", ERR_MANDATORY_PARAM_EITHER, "quantity", "quoteOrderQty" },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.000015&price=30000", ERR_FILTER_FAILURE, "LOT_SIZE", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000.001", ERR_FILTER_FAILURE, "PRICE_FILTER", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00010&price=30000", ERR_FILTER_FAILURE, "NOTIONAL", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=1000", ERR_FILTER_FAILURE, "PERCENT_PRICE_BY_SIDE", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=3&price=59000", ERR_NEW_ORDER_REJECTED, "Account has insufficient balance for requested action.", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=LIMIT_MAKER&quantity=0.01&price=30000", ERR_NEW_ORDER_REJECTED, "Order would immediately match and take.", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=STOP_LOSS&quantity=0.01&stopPrice=90000", ERR_NEW_ORDER_REJECTED, "Order would trigger immediately.", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=1.123456789", ERR_BAD_PRECISION, "price", NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=abc&price=30000", ERR_ILLEGAL_CHARS_PARAM, "quantity", "^([0-9]{1,20})(\\.[0-9]{1,20})?$" },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000&newClientOrderId=bad%20id", ERR_ILLEGAL_CHARS_PARAM, "newClientOrderId", "^[a-zA-Z0-9-_]{1,36}$" },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUYY&type=LIMIT", ERR_INVALID_SIDE, NULL, NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMITT", ERR_INVALID_ORDER_TYPE, NULL, NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.01&price=30000", ERR_INVALID_TIF, NULL, NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timeInForce=GTC", ERR_TIF_NOT_REQUIRED, NULL, NULL },
    { "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000&strategyType=5", ERR_BAD_STRATEGY_TYPE, NULL, NULL },
    { "GET", "/api/v3/order", "symbol=BTCUSDT", ERR_MANDATORY_PARAM_EITHER, "origClientOrderId", "orderId" },
    { "GET", "/api/v3/order", "symbol=BTCUSDT&orderId=999999", ERR_NO_SUCH_ORDER, NULL, NULL },
    { "DELETE", "/api/v3/order", "symbol=BTCUSDT", ERR_MANDATORY_PARAM_EITHER, "origClientOrderId", "orderId" },
    { "DELETE", "/api/v3/order", "symbol=BTCUSDT&orderId=1&cancelRestrictions=SOMETIMES", ERR_INVALID_CANCEL_RESTRICTIONS_WIRE, NULL, NULL },
    { "DELETE", "/api/v3/openOrders", "symbol=ETHBTC", ERR_CANCEL_REJECTED, "Unknown order sent.", NULL },
    { "GET", "/api/v3/myTrades", "symbol=BTCUSDT&startTime=1700000000000&endTime=1700200000000", ERR_MORE_THAN_XX_HOURS_N, "24", NULL },
    { "GET", "/api/v3/account", "omitZeroBalances=maybe", ERR_INVALID_PARAMETER_NAMED, "omitZeroBalances", NULL },
};

static void test_errors(void **state)
{
    ctx *c = *state;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        bcs_resp r;
        call(c, errors[i].method, errors[i].path, errors[i].params, &r);
        print_message("row %zu: %s %s %s\n", i, errors[i].method, errors[i].path, errors[i].params);
        bcs_assert_err(&r, errors[i].err, errors[i].a1, errors[i].a2);
        bcs_resp_free(&r);
    }
}

static void test_order_test(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    call(c, "POST", "/api/v3/order/test", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "{}");                                   /* §45 */
    bcs_resp_free(&r);
    call(c, "GET", "/api/v3/openOrders", "symbol=BTCUSDT", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);                          /* no order created */
    bcs_resp_free(&r);
    call(c, "POST", "/api/v3/order/test",
         "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000&computeCommissionRates=true", &r);
    static const char *const keys[] = { "standardCommissionForOrder", "specialCommissionForOrder",
                                        "taxCommissionForOrder", "discount", NULL };
    bcs_assert_keys(r.json, keys);
    bcs_resp_free(&r);
    char q[256];
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timestamp=%lld&signature=%064d", (long long)c->now_ms, 0);
    const char *h[2];
    char hk[128];
    snprintf(hk, sizeof hk, "X-MBX-APIKEY: %s", c->api_key);
    h[0] = hk; h[1] = NULL;
    char target[512];
    snprintf(target, sizeof target, "/api/v3/order/test?%s", q);
    assert_int_equal(bcs_http(&c->m, "POST", target, h, "", &r), 0);
    bcs_assert_err(&r, ERR_INVALID_SIGNATURE, NULL, NULL);
    bcs_resp_free(&r);
}

static void test_cancel_replace(void **state)
{
    ctx *c = *state;
    bcs_resp r, q;
    call(c, "POST", "/api/v3/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1000&price=2000.00&newClientOrderId=cr-1", &r);
    assert_int_equal(r.status, 200);
    call(c, "POST", "/api/v3/order/cancelReplace",
         "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.2000&price=2100.00&cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=cr-1", &q);
    assert_int_equal(q.status, 200);
    assert_string_equal(str(&q, "cancelResult"), "SUCCESS");
    assert_string_equal(str(&q, "newOrderResult"), "SUCCESS");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(q.json, "cancelResponse"), "status")->valuestring, "CANCELED");
    bcs_resp_free(&q);
    call(c, "POST", "/api/v3/order/cancelReplace",
         "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.2000&price=2100.00&cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=cr-1", &q);
    bcs_assert_err(&q, ERR_CANCEL_REPLACE_FAILED, NULL, NULL);
    const cJSON *d = cJSON_GetObjectItem(q.json, "data");
    assert_string_equal(cJSON_GetObjectItem(d, "cancelResult")->valuestring, "FAILURE");
    assert_string_equal(cJSON_GetObjectItem(d, "newOrderResult")->valuestring, "NOT_ATTEMPTED");
    assert_int_equal((int)num(cJSON_GetObjectItem(d, "cancelResponse"), "code"), -2011);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "newOrderResponse")));
    bcs_resp_free(&q);
    call(c, "POST", "/api/v3/order/cancelReplace",
         "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.2000&price=2100.00&cancelReplaceMode=ALLOW_FAILURE&cancelOrigClientOrderId=cr-1", &q);
    bcs_assert_err(&q, ERR_CANCEL_REPLACE_PARTIAL, NULL, NULL);           /* 409 */
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(q.json, "data"), "newOrderResult")->valuestring, "SUCCESS");
    bcs_resp_free(&q);
    call(c, "DELETE", "/api/v3/openOrders", "symbol=ETHUSDT", &q);
    assert_int_equal(q.status, 200);
    assert_int_equal(cJSON_GetArraySize(q.json), 2);
    bcs_resp_free(&q);
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_order_lifecycle),
        cmocka_unit_test(test_market_order_fills),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_order_test),
        cmocka_unit_test(test_cancel_replace),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
