/* server_sor: smart order routing and the account look-backs of the real
 * binance-mock over REST and the WebSocket API - sor/order (response shape,
 * fills as allocations, workingFloor/usedSor), the executionReports of an
 * SOR order field by field (b, a, k, uS, t = -1), balances moved by exactly
 * the allocations, myAllocations and myTrades, sor.order.place/test and the
 * SOR-only errors; myPreventedMatches after a self-trade prevention; the
 * ticker/tradingDay and executionRules endpoints; exchangeInfo.sors; the
 * MAX_ASSET account filter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS 10000

typedef bcs_fx fx;

static int setup(void **state)
{
    if (bcs_fx_start(state, NULL, 10000)) return -1;
    fx *f = *state;
    f->key = bcs_key("ed25519.pem");
    f->api_key = bcs_api_key("ed25519.pem");
    return f->key && f->api_key ? 0 : -1;
}
static int teardown(void **state) { return bcs_fx_stop(state); }

static double dnum(const cJSON *o, const char *k) { return atof(bcs_jstr(o, k)); }
static int is_true(const cJSON *o, const char *k) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k)); }

static void ws_err(bcws *c, const char *fr, err_id e, const char *a1)
{
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    assert_non_null(r);
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(r, "error");
    if (!err) fprintf(stderr, "no error: %s\n", cJSON_PrintUnformatted(r));
    assert_int_equal((int)bcs_jnum(err, "code"), err_get(e)->code);
    char msg[512];
    err_format(msg, sizeof msg, e, a1, NULL);
    assert_string_equal(bcs_jstr(err, "msg"), msg);
    cJSON_Delete(r);
}

/* free BTC and USDT of alice */
static void balances(fx *f, double *btc, double *usdt)
{
    bcs_resp r;
    bcs_fx_call(f, "GET", "/api/v3/account", "", NULL, &r);
    assert_int_equal(r.status, 200);
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(r.json, "balances")) {
        if (!strcmp(bcs_jstr(b, "asset"), "BTC")) *btc = dnum(b, "free");
        if (!strcmp(bcs_jstr(b, "asset"), "USDT")) *usdt = dnum(b, "free");
    }
    bcs_resp_free(&r);
}

static void test_exchange_info_sors(void **state)
{
    fx *f = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/exchangeInfo?symbol=BTCUSDT", NULL, NULL, &r), 0);
    const cJSON *sors = cJSON_GetObjectItemCaseSensitive(r.json, "sors");
    assert_int_equal(cJSON_GetArraySize(sors), 1);
    const cJSON *g = cJSON_GetArrayItem(sors, 0);
    static const char *const keys[] = { "baseAsset", "symbols", NULL };
    bcs_assert_keys(g, keys);
    assert_string_equal(bcs_jstr(g, "baseAsset"), "BTC");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "symbols"), 0)),
                        "BTCUSDT");
    bcs_resp_free(&r);
}

static const char *const SOR_KEYS[] = { "symbol", "orderId", "orderListId", "clientOrderId", "transactTime", "price",
    "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status", "timeInForce", "type", "side",
    "workingTime", "fills", "workingFloor", "selfTradePreventionMode", "usedSor", NULL };
static const char *const FILL_KEYS[] = { "matchType", "price", "qty", "commission", "commissionAsset", "tradeId",
    "allocId", NULL };

/* A MARKET BUY over REST: fills are allocations, the events say so (b, a,
 * k, uS; t = -1), balances move by exactly the allocations, myAllocations
 * lists them and myTrades does not. */
static void test_sor_market_rest(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    double btc0 = 0, usdt0 = 0, btc1 = 0, usdt1 = 0;
    balances(f, &btc0, &usdt0);
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.3"
                "&newClientOrderId=sor-mkt", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_assert_keys(r.json, SOR_KEYS);
    assert_string_equal(bcs_jstr(r.json, "status"), "FILLED");
    assert_string_equal(bcs_jstr(r.json, "workingFloor"), "SOR");
    assert_true(is_true(r.json, "usedSor"));
    double oid = bcs_jnum(r.json, "orderId"), cq = dnum(r.json, "cummulativeQuoteQty");
    const cJSON *fills = cJSON_GetObjectItemCaseSensitive(r.json, "fills"), *fl;
    int nf = cJSON_GetArraySize(fills);
    assert_true(nf >= 2);                    /* 0.3 BTC takes more than one level of the simulator's book */
    double qsum = 0, comm = 0, first_alloc = bcs_jnum(cJSON_GetArrayItem(fills, 0), "allocId");
    int k = 0;
    cJSON_ArrayForEach(fl, fills) {
        bcs_assert_keys(fl, FILL_KEYS);
        assert_string_equal(bcs_jstr(fl, "matchType"), "ONE_PARTY_TRADE_REPORT");
        assert_true(bcs_jnum(fl, "tradeId") == -1);
        assert_true(bcs_jnum(fl, "allocId") == first_alloc + k++);
        assert_string_equal(bcs_jstr(fl, "commissionAsset"), "BTC");
        qsum += dnum(fl, "qty");
        comm += dnum(fl, "commission");
    }
    assert_true(fabs(qsum - 0.3) < 1e-9);
    bcs_resp_free(&r);

    /* events: NEW, then one TRADE per allocation, then the account position */
    int trades = 0, news = 0;
    while (trades < nf) {
        cJSON *ev = bcws_recv_event(c, WAIT_MS);
        assert_non_null(ev);
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
        if (!strcmp(bcs_jstr(e, "e"), "executionReport")) {
            assert_string_equal(bcs_jstr(e, "c"), "sor-mkt");
            assert_string_equal(bcs_jstr(e, "k"), "SOR");
            assert_true(is_true(e, "uS"));
            if (!strcmp(bcs_jstr(e, "x"), "NEW")) {
                news++;
                assert_null(cJSON_GetObjectItemCaseSensitive(e, "b"));
                assert_null(cJSON_GetObjectItemCaseSensitive(e, "a"));
            } else {
                assert_string_equal(bcs_jstr(e, "x"), "TRADE");
                assert_string_equal(bcs_jstr(e, "b"), "ONE_PARTY_TRADE_REPORT");
                assert_true(bcs_jnum(e, "a") == first_alloc + trades);
                assert_true(bcs_jnum(e, "t") == -1);
                trades++;
            }
        }
        cJSON_Delete(ev);
    }
    assert_int_equal(news, 1);
    balances(f, &btc1, &usdt1);
    assert_true(fabs((btc1 - btc0) - (0.3 - comm)) < 1e-9);
    assert_true(fabs((usdt0 - usdt1) - cq) < 1e-6);

    char q[128];
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", oid);
    bcs_fx_call(f, "GET", "/api/v3/myAllocations", q, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), nf);
    static const char *const akeys[] = { "symbol", "allocationId", "allocationType", "orderId", "orderListId",
        "price", "qty", "quoteQty", "commission", "commissionAsset", "time", "isBuyer", "isMaker", "isAllocator",
        NULL };
    const cJSON *a;
    k = 0;
    double aq = 0;
    cJSON_ArrayForEach(a, r.json) {
        bcs_assert_keys(a, akeys);
        assert_true(bcs_jnum(a, "allocationId") == first_alloc + k++);
        assert_true(bcs_jnum(a, "orderId") == oid);
        assert_string_equal(bcs_jstr(a, "allocationType"), "SOR");
        assert_true(is_true(a, "isBuyer"));
        assert_true(bcs_jnum(a, "time") == (double)f->now_ms);
        aq += dnum(a, "quoteQty");
    }
    assert_true(fabs(aq - cq) < 1e-6);
    bcs_resp_free(&r);
    snprintf(q, sizeof q, "symbol=BTCUSDT&fromAllocationId=%.0f&limit=1", first_alloc + 1);
    bcs_fx_call(f, "GET", "/api/v3/myAllocations", q, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_true(bcs_jnum(cJSON_GetArrayItem(r.json, 0), "allocationId") == first_alloc + 1);
    bcs_resp_free(&r);
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", oid);
    bcs_fx_call(f, "GET", "/api/v3/myTrades", q, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);   /* allocations are not trades */
    bcs_resp_free(&r);
    bcs_fx_call(f, "GET", "/api/v3/myAllocations", "symbol=BTCUSDT&fromAllocationId=0&startTime=1", NULL, &r);
    bcs_assert_err(&r, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    bcs_resp_free(&r);
    bcws_close(c);
}

/* The WS API twins: sor.order.place answers an array of one order (as
 * web-socket-api.md shows), sor.order.test {} or the commission rates,
 * myAllocations; the SOR-only errors. A LIMIT GTC that does not cross rests:
 * workingFloor EXCHANGE. */
static void test_sor_ws(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    char fr[1024];
    long long ts = (long long)f->now_ms;
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"sor.order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"SELL\",\"type\":\"MARKET\",\"quantity\":\"0.01\",\"timestamp\":%lld}}", ts);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    const cJSON *res = bcs_ws_ok(r);
    assert_true(cJSON_IsArray(res));
    assert_int_equal(cJSON_GetArraySize(res), 1);
    const cJSON *o = cJSON_GetArrayItem(res, 0);
    bcs_assert_keys(o, SOR_KEYS);
    assert_string_equal(bcs_jstr(o, "side"), "SELL");
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "fills"), 0), "commissionAsset"),
                        "USDT");
    cJSON_Delete(r);

    snprintf(fr, sizeof fr, "{\"id\":2,\"method\":\"sor.order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"price\":\"20000\",\"quantity\":\"0.01\","
             "\"newOrderRespType\":\"RESULT\",\"timestamp\":%lld}}", ts);
    r = bcws_call(c, fr, WAIT_MS);
    o = cJSON_GetArrayItem(bcs_ws_ok(r), 0);
    static const char *const result_keys[] = { "symbol", "orderId", "orderListId", "clientOrderId", "transactTime",
        "price", "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status", "timeInForce", "type",
        "side", "workingTime", "workingFloor", "selfTradePreventionMode", "usedSor", NULL };
    bcs_assert_keys(o, result_keys);
    assert_string_equal(bcs_jstr(o, "status"), "NEW");
    assert_string_equal(bcs_jstr(o, "workingFloor"), "EXCHANGE");
    cJSON_Delete(r);

    snprintf(fr, sizeof fr, "{\"id\":3,\"method\":\"sor.order.test\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"price\":\"20000\",\"quantity\":\"0.01\","
             "\"timestamp\":%lld}}", ts);
    r = bcws_call(c, fr, WAIT_MS);
    res = bcs_ws_ok(r);
    assert_true(cJSON_IsObject(res) && res->child == NULL);
    cJSON_Delete(r);
    snprintf(fr, sizeof fr, "{\"id\":4,\"method\":\"sor.order.test\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.01\",\"computeCommissionRates\":true,"
             "\"timestamp\":%lld}}", ts);
    r = bcws_call(c, fr, WAIT_MS);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(bcs_ws_ok(r), "standardCommissionForOrder"));
    cJSON_Delete(r);

    snprintf(fr, sizeof fr, "{\"id\":5,\"method\":\"sor.order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"STOP_LOSS\",\"stopPrice\":\"1\",\"quantity\":\"0.01\",\"timestamp\":%lld}}", ts);
    ws_err(c, fr, ERR_INVALID_ORDER_TYPE, NULL);
    snprintf(fr, sizeof fr, "{\"id\":6,\"method\":\"sor.order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"MARKET\",\"quoteOrderQty\":\"10\",\"timestamp\":%lld}}", ts);
    ws_err(c, fr, ERR_PARAM_NOT_REQUIRED_NAMED, "quoteOrderQty");
    snprintf(fr, sizeof fr, "{\"id\":7,\"method\":\"sor.order.place\",\"params\":{\"symbol\":\"ETHUSDT\","
             "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.01\",\"timestamp\":%lld}}", ts);
    ws_err(c, fr, ERR_UNSUPPORTED_OPERATION, NULL);
    snprintf(fr, sizeof fr, "{\"id\":8,\"method\":\"myAllocations\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"timestamp\":%lld}}", ts);
    r = bcws_call(c, fr, WAIT_MS);
    res = bcs_ws_ok(r);
    assert_true(cJSON_GetArraySize(res) >= 1);
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(res, 0), "allocationType"), "SOR");
    cJSON_Delete(r);
    bcws_close(c);
}

/* STP: alice's SELL rests inside the spread, her BUY at that price with
 * EXPIRE_MAKER expires it; myPreventedMatches lists the match by id and by
 * either order (REST and WS), other combinations answer -1128. */
static void test_prevented_matches(void **state)
{
    fx *f = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/ticker/bookTicker?symbol=BTCUSDT", NULL, NULL, &r), 0);
    double mid = floor((dnum(r.json, "bidPrice") + dnum(r.json, "askPrice")) * 50) / 100;
    bcs_resp_free(&r);
    char q[256];
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.002&price=%.2f", mid);
    bcs_fx_call(f, "POST", "/api/v3/order", q, NULL, &r);
    assert_int_equal(r.status, 200);
    double maker = bcs_jnum(r.json, "orderId");
    bcs_resp_free(&r);
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=%.2f"
             "&selfTradePreventionMode=EXPIRE_MAKER", mid);
    bcs_fx_call(f, "POST", "/api/v3/order", q, NULL, &r);
    assert_int_equal(r.status, 200);
    double taker = bcs_jnum(r.json, "orderId");
    bcs_resp_free(&r);

    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", taker);
    bcs_fx_call(f, "GET", "/api/v3/myPreventedMatches", q, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    const cJSON *p = cJSON_GetArrayItem(r.json, 0);
    static const char *const keys[] = { "symbol", "preventedMatchId", "takerOrderId", "makerSymbol", "makerOrderId",
        "tradeGroupId", "selfTradePreventionMode", "price", "makerPreventedQuantity", "transactTime", NULL };
    bcs_assert_keys(p, keys);
    assert_true(bcs_jnum(p, "takerOrderId") == taker && bcs_jnum(p, "makerOrderId") == maker);
    assert_string_equal(bcs_jstr(p, "selfTradePreventionMode"), "EXPIRE_MAKER");
    assert_true(fabs(dnum(p, "price") - mid) < 1e-9);
    assert_true(fabs(dnum(p, "makerPreventedQuantity") - 0.002) < 1e-12);
    assert_true(bcs_jnum(p, "transactTime") == (double)f->now_ms);
    double pid = bcs_jnum(p, "preventedMatchId");
    bcs_resp_free(&r);

    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f&fromPreventedMatchId=%.0f&limit=5", maker, pid);
    bcs_fx_call(f, "GET", "/api/v3/myPreventedMatches", q, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    bcs_resp_free(&r);
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f&fromPreventedMatchId=%.0f", maker, pid + 1);
    bcs_fx_call(f, "GET", "/api/v3/myPreventedMatches", q, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    bcs_resp_free(&r);
    bcs_fx_call(f, "GET", "/api/v3/myPreventedMatches", "symbol=BTCUSDT", NULL, &r);
    bcs_assert_err(&r, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    bcs_resp_free(&r);
    snprintf(q, sizeof q, "symbol=BTCUSDT&preventedMatchId=%.0f&orderId=%.0f", pid, maker);
    bcs_fx_call(f, "GET", "/api/v3/myPreventedMatches", q, NULL, &r);
    bcs_assert_err(&r, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    bcs_resp_free(&r);

    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    char fr[512];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"myPreventedMatches\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"preventedMatchId\":%.0f,\"timestamp\":%lld}}", pid, (long long)f->now_ms);
    cJSON *w = bcws_call(c, fr, WAIT_MS);
    const cJSON *res = bcs_ws_ok(w);
    assert_int_equal(cJSON_GetArraySize(res), 1);
    assert_true(bcs_jnum(cJSON_GetArrayItem(res, 0), "makerOrderId") == maker);
    cJSON_Delete(w);
    bcws_close(c);
}

static const char *const DAY_FULL[] = { "symbol", "priceChange", "priceChangePercent", "weightedAvgPrice",
    "openPrice", "highPrice", "lowPrice", "lastPrice", "volume", "quoteVolume", "openTime", "closeTime", "firstId",
    "lastId", "count", NULL };
static const char *const DAY_MINI[] = { "symbol", "openPrice", "highPrice", "lowPrice", "lastPrice", "volume",
    "quoteVolume", "openTime", "closeTime", "firstId", "lastId", "count", NULL };

/* ticker/tradingDay: FULL and MINI shapes, the trading day's bounds (UTC and
 * shifted by timeZone), symbols lists, the errors; WS ticker.tradingDay. */
static void test_trading_day(void **state)
{
    fx *f = *state;
    const double day = 86400000.0;
    bcs_resp r;
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/ticker/tradingDay?symbol=BTCUSDT", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_assert_keys(r.json, DAY_FULL);
    double open = floor((double)f->now_ms / day) * day;
    assert_true(bcs_jnum(r.json, "openTime") == open);
    assert_true(bcs_jnum(r.json, "closeTime") == open + day - 1);
    assert_true(bcs_jnum(r.json, "count") >= 1);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/ticker/tradingDay?symbols=%5B%22BTCUSDT%22,%22ETHUSDT%22%5D"
                              "&type=MINI&timeZone=-1:30", NULL, NULL, &r), 0);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    const cJSON *o = cJSON_GetArrayItem(r.json, 1);
    bcs_assert_keys(o, DAY_MINI);
    assert_string_equal(bcs_jstr(o, "symbol"), "ETHUSDT");
    double tz = -90 * 60000.0, local = floor(((double)f->now_ms + tz) / day) * day - tz;
    assert_true(bcs_jnum(o, "openTime") == local);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/ticker/tradingDay", NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_MANDATORY_PARAM_EITHER, "symbol", "symbols");
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/ticker/tradingDay?symbol=BTCUSDT&symbolStatus=HALT", NULL, NULL,
                              &r), 0);
    bcs_assert_err(&r, ERR_SYMBOL_DOES_NOT_MATCH_STATUS, NULL, NULL);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/ticker/tradingDay?symbol=BTCUSDT&timeZone=99", NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_INVALID_PARAMETER_NAMED, "timeZone", NULL);
    bcs_resp_free(&r);
    bcws *c = bcs_fx_ws(f, "/ws-api/v3");
    cJSON *w = bcws_call(c, "{\"id\":1,\"method\":\"ticker.tradingDay\",\"params\":{\"symbol\":\"BTCUSDT\","
                         "\"type\":\"MINI\"}}", WAIT_MS);
    bcs_assert_keys(bcs_ws_ok(w), DAY_MINI);
    cJSON_Delete(w);
    bcws_close(c);
}

/* executionRules: one entry per symbol, no rules (no price range is
 * simulated); the exclusive parameters; WS executionRules. */
static void test_execution_rules(void **state)
{
    fx *f = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/executionRules", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    static const char *const top[] = { "symbolRules", NULL }, *const one[] = { "symbol", "rules", NULL };
    bcs_assert_keys(r.json, top);
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(r.json, "symbolRules");
    assert_true(cJSON_GetArraySize(rules) >= 4);
    bcs_assert_keys(cJSON_GetArrayItem(rules, 0), one);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rules, 0), "rules")), 0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/executionRules?symbol=BTCUSDT&symbols=%5B%22BTCUSDT%22%5D",
                              NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/executionRules?symbolStatus=CANCEL_ONLY", NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_INVALID_SYMBOLSTATUS, NULL, NULL);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/executionRules?symbolStatus=HALT", NULL, NULL, &r), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "symbolRules")), 0);
    bcs_resp_free(&r);
    bcws *c = bcs_fx_ws(f, "/ws-api/v3");
    cJSON *w = bcws_call(c, "{\"id\":1,\"method\":\"executionRules\",\"params\":{\"symbol\":\"ETHBTC\"}}", WAIT_MS);
    const cJSON *res = bcs_ws_ok(w);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "symbolRules")), 1);
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "symbolRules"), 0), "symbol"),
                        "ETHBTC");
    cJSON_Delete(w);
    bcws_close(c);
}

/* MAX_ASSET (filters.md): alice gets a USDT and a BTC limit through the
 * admin registry; an order over either fails -1013 MAX_ASSET, one within
 * passes, and myFilters lists the filters of the symbol's assets. */
static void test_max_asset(void **state)
{
    fx *f = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/accounts", "{\"accounts\":[{\"name\":\"alice\","
        "\"balances\":{\"USDT\":\"100000\",\"BTC\":\"10\",\"ETH\":\"100\"},\"assetFilters\":["
        "{\"filterType\":\"MAX_ASSET\",\"asset\":\"USDT\",\"limit\":\"1000\"},"
        "{\"filterType\":\"MAX_ASSET\",\"asset\":\"BTC\",\"limit\":\"0.5\"}]}]}", &r), 200);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/accounts", "{\"accounts\":[{\"name\":\"alice\","
        "\"assetFilters\":[{\"filterType\":\"MAX_QTY\",\"asset\":\"USDT\",\"limit\":\"1\"}]}]}", &r), 400);
    /* only MAX_ASSET rows */
    bcs_resp_free(&r);
    static const struct { const char *q; int ok; } cases[] = {
        { "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.02&price=40000", 1 },   /* 800 USDT */
        { "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.03&price=40000", 0 },   /* 1200 USDT */
        { "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01&price=90000", 1 },  /* 900 USDT */
        { "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=1001", 0 },
        { "symbol=ETHBTC&side=SELL&type=LIMIT&timeInForce=GTC&quantity=11&price=0.05", 0 },        /* 0.55 BTC */
        { "symbol=ETHBTC&side=SELL&type=LIMIT&timeInForce=GTC&quantity=9&price=0.05", 1 },         /* 0.45 BTC */
        { "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=4000", 0 },         /* 4000 USDT */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bcs_fx_call(f, "POST", "/api/v3/order/test", cases[i].q, NULL, &r);
        if (cases[i].ok) {
            if (r.status != 200) fprintf(stderr, "case %zu: %s\n", i, bcs_msg(&r));
            assert_int_equal(r.status, 200);
        } else bcs_assert_err(&r, ERR_FILTER_FAILURE, "MAX_ASSET", NULL);
        bcs_resp_free(&r);
    }
    bcs_fx_call(f, "GET", "/api/v3/myFilters", "symbol=ETHBTC", NULL, &r);
    const cJSON *af = cJSON_GetObjectItemCaseSensitive(r.json, "assetFilters");
    assert_int_equal(cJSON_GetArraySize(af), 1);
    static const char *const keys[] = { "filterType", "asset", "limit", NULL };
    bcs_assert_keys(cJSON_GetArrayItem(af, 0), keys);
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(af, 0), "asset"), "BTC");
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(af, 0), "limit"), "0.50000000");
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exchange_info_sors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sor_market_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sor_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prevented_matches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trading_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_execution_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_asset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
