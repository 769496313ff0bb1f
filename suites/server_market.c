/* server_market: the public endpoints of binance-mock over HTTP - shapes,
 * field order and types of exchangeInfo, depth, trades, aggTrades, klines,
 * avgPrice and the tickers; their parameter rules and errors (fact sheet §11
 * items 34-36); weights by parameter; the Unicode symbol; the discovery
 * endpoints; the legacy listenKey endpoints in both profiles. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define UNI "%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456"   /* 这是测试币456 */

static void get(void **state, const char *target, bcs_resp *r)
{
    assert_int_equal(bcs_http(*state, "GET", target, NULL, NULL, r), 0);
}

/* A decimal string with exactly 8 decimals. */
static void assert_dec8(const cJSON *v)
{
    assert_true(cJSON_IsString(v));
    const char *dot = strchr(v->valuestring, '.');
    assert_non_null(dot);
    assert_int_equal(strlen(dot + 1), 8);
}

static void test_exchange_info(void **state)
{
    bcs_resp r;
    get(state, "/api/v3/exchangeInfo", &r);
    assert_int_equal(r.status, 200);
    static const char *const top[] = { "timezone", "serverTime", "rateLimits", "exchangeFilters", "symbols", "sors",
                                       NULL };
    bcs_assert_keys(r.json, top);
    const cJSON *syms = cJSON_GetObjectItem(r.json, "symbols");
    assert_int_equal(cJSON_GetArraySize(syms), 5);
    static const char *const sym[] = { "symbol", "status", "baseAsset", "baseAssetPrecision", "quoteAsset",
        "quotePrecision", "quoteAssetPrecision", "baseCommissionPrecision", "quoteCommissionPrecision",
        "orderTypes", "icebergAllowed", "ocoAllowed", "otoAllowed", "opoAllowed", "quoteOrderQtyMarketAllowed",
        "allowTrailingStop", "cancelReplaceAllowed", "amendAllowed", "pegInstructionsAllowed",
        "isSpotTradingAllowed", "isMarginTradingAllowed", "filters", "permissions", "permissionSets",
        "defaultSelfTradePreventionMode", "allowedSelfTradePreventionModes", NULL };
    const cJSON *s;
    cJSON_ArrayForEach(s, syms) bcs_assert_keys(s, sym);
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(syms, 0), "filters"), 0);
    assert_string_equal(cJSON_GetObjectItem(f, "filterType")->valuestring, "PRICE_FILTER");
    assert_string_equal(cJSON_GetObjectItem(f, "tickSize")->valuestring, "0.01000000");
    const cJSON *rl = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "rateLimits"), 0);
    assert_non_null(cJSON_GetObjectItem(rl, "rateLimitType"));
    bcs_resp_free(&r);
}

typedef struct row { const char *target; int status; err_id err; const char *a1; int count; const char *a2; } row;

static void test_exchange_info_params(void **state)
{
    static const row rows[] = {
        { "/api/v3/exchangeInfo?symbol=ETHBTC", 200, ERR_NONE, NULL, 1 , NULL },
        { "/api/v3/exchangeInfo?symbol=" UNI, 200, ERR_NONE, NULL, 1 , NULL },
        { "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22,%22BNBUSDT%22%5D", 200, ERR_NONE, NULL, 2 , NULL },
        { "/api/v3/exchangeInfo?symbolStatus=TRADING", 200, ERR_NONE, NULL, 5 , NULL },
        { "/api/v3/exchangeInfo?symbolStatus=HALT", 200, ERR_NONE, NULL, 0 , NULL },
        { "/api/v3/exchangeInfo?permissions=MARGIN", 200, ERR_NONE, NULL, 4 , NULL },
        { "/api/v3/exchangeInfo?permissions=%5B%22SPOT%22%5D", 200, ERR_NONE, NULL, 5 , NULL },
        { "/api/v3/exchangeInfo?symbol=NOPE", 400, ERR_BAD_SYMBOL, NULL, 0 , NULL },                 /* §34 */
        { "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22,%22NOPE%22%5D", 400, ERR_BAD_SYMBOL, NULL, 0 , NULL },
        { "/api/v3/exchangeInfo?symbolStatus=SLEEPING", 400, ERR_INVALID_SYMBOLSTATUS, NULL, 0 , NULL },
        { "/api/v3/exchangeInfo?symbol=BTCUSDT&symbolStatus=TRADING", 400, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, 0, NULL },
        { "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22%5D&permissions=SPOT", 400, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, 0, NULL },
        { "/api/v3/exchangeInfo?symbol=BTCUSDT&symbols=%5B%22BTCUSDT%22%5D", 400, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, 0 , NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        bcs_resp r;
        get(state, rows[i].target, &r);
        if (r.status != rows[i].status) fail_msg("row %zu: %d %s", i, r.status, r.body.data);
        if (rows[i].err) bcs_assert_err(&r, rows[i].err, rows[i].a1, NULL);
        else assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "symbols")), rows[i].count);
        bcs_resp_free(&r);
    }
}

static int used_weight(const bcs_resp *r)
{
    const char *w = bcs_header(r, "X-MBX-USED-WEIGHT-1M");
    assert_non_null(w);
    return atoi(w);
}

static void test_depth(void **state)
{
    static const struct { const char *q; int weight; } rows[] = {
        { "", 5 }, { "&limit=5", 5 }, { "&limit=101", 25 }, { "&limit=600", 50 }, { "&limit=10000", 250 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char t[128];
        bcs_resp a, b;
        get(state, "/api/v3/ping", &a);
        snprintf(t, sizeof t, "/api/v3/depth?symbol=BTCUSDT%s", rows[i].q);
        get(state, t, &b);
        assert_int_equal(b.status, 200);                                          /* §36: no error */
        assert_int_equal(used_weight(&b) - used_weight(&a), rows[i].weight);
        static const char *const keys[] = { "lastUpdateId", "bids", "asks", NULL };
        bcs_assert_keys(b.json, keys);
        const cJSON *bids = cJSON_GetObjectItem(b.json, "bids"), *asks = cJSON_GetObjectItem(b.json, "asks");
        assert_true(cJSON_GetArraySize(bids) > 0 && cJSON_GetArraySize(bids) <= 5000);
        assert_dec8(cJSON_GetArrayItem(cJSON_GetArrayItem(bids, 0), 0));
        if (!strcmp(rows[i].q, "&limit=5")) assert_int_equal(cJSON_GetArraySize(asks), 5);
        bcs_resp_free(&a);
        bcs_resp_free(&b);
    }
}

static void test_trades_and_klines(void **state)
{
    bcs_resp r;
    get(state, "/api/v3/trades?symbol=BTCUSDT&limit=3", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 3);
    static const char *const tk[] = { "id", "price", "qty", "quoteQty", "time", "isBuyerMaker", "isBestMatch", NULL };
    bcs_assert_keys(cJSON_GetArrayItem(r.json, 0), tk);
    double id0 = cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "id")->valuedouble;
    bcs_resp_free(&r);
    /* trade ids continue the synthetic history's: ids of the past years come first */
    char hq[128];
    snprintf(hq, sizeof hq, "/api/v3/historicalTrades?symbol=BTCUSDT&fromId=%.0f&limit=2", id0 - 5);
    get(state, hq, &r);
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "id")->valuedouble == id0 - 5);
    bcs_resp_free(&r);
    get(state, "/api/v3/aggTrades?symbol=" UNI "&limit=4", &r);
    assert_int_equal(r.status, 200);
    static const char *const ak[] = { "a", "p", "q", "f", "l", "T", "m", "M", NULL };
    bcs_assert_keys(cJSON_GetArrayItem(r.json, 0), ak);
    bcs_resp_free(&r);
    /* no time-span limit any more; endTime alone: the newest aggregates before it */
    get(state, "/api/v3/historicalTrades?symbol=BTCUSDT&fromId=0&limit=1", &r);   /* the ring's oldest */
    double oldest = cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "id")->valuedouble;
    bcs_resp_free(&r);
    get(state, "/api/v3/aggTrades?symbol=BTCUSDT&startTime=1&endTime=99999999999999&limit=2", &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 0), "f")->valuedouble == oldest);
    bcs_resp_free(&r);
    get(state, "/api/v3/aggTrades?symbol=BTCUSDT&endTime=99999999999999&limit=2", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(r.json, 1), "a")->valuedouble > 1000);
    bcs_resp_free(&r);
    get(state, "/api/v3/klines?symbol=ETHUSDT&interval=1h&limit=3", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 3);
    const cJSON *k = cJSON_GetArrayItem(r.json, 0);
    assert_int_equal(cJSON_GetArraySize(k), 12);
    assert_true(cJSON_IsNumber(cJSON_GetArrayItem(k, 0)) && cJSON_IsNumber(cJSON_GetArrayItem(k, 6))
                && cJSON_IsNumber(cJSON_GetArrayItem(k, 8)));
    assert_dec8(cJSON_GetArrayItem(k, 1));
    double open = cJSON_GetArrayItem(k, 0)->valuedouble, close = cJSON_GetArrayItem(k, 6)->valuedouble;
    assert_true(close - open == 3600000 - 1);
    bcs_resp_free(&r);
    get(state, "/api/v3/uiKlines?symbol=ETHUSDT&interval=1d&timeZone=%2B08:00&limit=1", &r);
    assert_int_equal(r.status, 200);
    double o8 = cJSON_GetArrayItem(cJSON_GetArrayItem(r.json, 0), 0)->valuedouble;
    assert_true((long long)(o8 + 8 * 3600000.0) % 86400000 == 0);
    bcs_resp_free(&r);
    static const row errs[] = {
        { "/api/v3/klines?symbol=BTCUSDT&interval=1H", 400, ERR_BAD_INTERVAL, NULL, 0 , NULL },              /* §35 */
        { "/api/v3/klines?symbol=BTCUSDT", 400, ERR_MANDATORY_PARAM_NAMED, "interval", 0 , NULL },
        { "/api/v3/klines?symbol=BTCUSDT&interval=1m&timeZone=15", 400, ERR_INVALID_PARAMETER_NAMED, "timeZone", 0 , NULL },
        { "/api/v3/trades?symbol=NOPE", 400, ERR_BAD_SYMBOL, NULL, 0 , NULL },
        { "/api/v3/trades", 400, ERR_MANDATORY_PARAM_NAMED, "symbol", 0 , NULL },
        { "/api/v3/trades?symbol=BTCUSDT&limit=ten", 400, ERR_ILLEGAL_CHARS_PARAM, "limit", 0, "^[0-9]{1,20}$" },
        { "/api/v3/ticker/24hr?type=HUGE", 400, ERR_INVALID_TICKER_TYPE, NULL, 0 , NULL },
        { "/api/v3/ticker?symbol=BTCUSDT&windowSize=8d", 400, ERR_INVALID_PARAMETER_NAMED, "windowSize", 0 , NULL },
        { "/api/v3/ticker", 400, ERR_MANDATORY_PARAM_EITHER, "symbol", 0, "symbols" },
        { "/api/v3/ticker/price?symbols=%5B%22BTCUSDT%22,%22BTCUSDT%22%5D", 400, ERR_DUPLICATE_SYMBOLS, NULL, 0 , NULL },
        { "/api/v3/avgPrice?symbol=NOPE", 400, ERR_BAD_SYMBOL, NULL, 0 , NULL },
        { "/api/v3/depth?symbol=BTCUSDT&symbolStatus=HALT", 400, ERR_SYMBOL_DOES_NOT_MATCH_STATUS, NULL, 0, NULL },
        { "/api/v3/ticker/price?symbol=BTCUSDT&symbolStatus=BREAK", 400, ERR_SYMBOL_DOES_NOT_MATCH_STATUS, NULL, 0, NULL },
        { "/api/v3/ticker/price?symbolStatus=HALTED", 400, ERR_INVALID_SYMBOLSTATUS, NULL, 0, NULL },
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        get(state, errs[i].target, &r);
        if (r.status != errs[i].status) fail_msg("row %zu: %d %s", i, r.status, r.body.data);
        bcs_assert_err(&r, errs[i].err, errs[i].a1, errs[i].a2);
        bcs_resp_free(&r);
    }
}

static void test_tickers(void **state)
{
    bcs_resp r;
    get(state, "/api/v3/ticker/24hr?symbol=BTCUSDT", &r);
    static const char *const full[] = { "symbol", "priceChange", "priceChangePercent", "weightedAvgPrice",
        "prevClosePrice", "lastPrice", "lastQty", "bidPrice", "bidQty", "askPrice", "askQty", "openPrice",
        "highPrice", "lowPrice", "volume", "quoteVolume", "openTime", "closeTime", "firstId", "lastId", "count", NULL };
    bcs_assert_keys(r.json, full);
    assert_true(cJSON_GetObjectItem(r.json, "count")->valuedouble > 0);
    bcs_resp_free(&r);
    get(state, "/api/v3/ticker/24hr?symbols=%5B%22BTCUSDT%22,%22ETHBTC%22%5D&type=MINI", &r);
    static const char *const mini[] = { "symbol", "openPrice", "highPrice", "lowPrice", "lastPrice", "volume",
        "quoteVolume", "openTime", "closeTime", "firstId", "lastId", "count", NULL };
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    bcs_assert_keys(cJSON_GetArrayItem(r.json, 1), mini);
    bcs_resp_free(&r);
    get(state, "/api/v3/ticker?symbol=BNBUSDT&windowSize=2h", &r);
    static const char *const win[] = { "symbol", "priceChange", "priceChangePercent", "weightedAvgPrice",
        "openPrice", "highPrice", "lowPrice", "lastPrice", "volume", "quoteVolume", "openTime", "closeTime",
        "firstId", "lastId", "count", NULL };
    bcs_assert_keys(r.json, win);
    bcs_resp_free(&r);
    get(state, "/api/v3/ticker/price", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 5);
    bcs_resp_free(&r);
    get(state, "/api/v3/ticker/price?symbols=%5B%22BTCUSDT%22%5D&symbolStatus=HALT", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);            /* mismatches dropped from lists */
    bcs_resp_free(&r);
    get(state, "/api/v3/ticker/price", &r);
    static const char *const pk[] = { "symbol", "price", NULL };
    bcs_assert_keys(cJSON_GetArrayItem(r.json, 0), pk);
    bcs_resp_free(&r);
    get(state, "/api/v3/ticker/bookTicker?symbol=" UNI, &r);
    static const char *const bk[] = { "symbol", "bidPrice", "bidQty", "askPrice", "askQty", NULL };
    bcs_assert_keys(r.json, bk);
    assert_string_equal(cJSON_GetObjectItem(r.json, "symbol")->valuestring, "\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456");
    bcs_resp_free(&r);
    get(state, "/api/v3/avgPrice?symbol=BTCUSDT", &r);
    static const char *const av[] = { "mins", "price", "closeTime", NULL };
    bcs_assert_keys(r.json, av);
    bcs_resp_free(&r);
}

static void test_discovery(void **state)
{
    static const char *const targets[] = { "/fapi/v1/exchangeInfo", "/dapi/v1/exchangeInfo" };
    bcs_resp r;
    for (size_t i = 0; i < 2; i++) {
        get(state, targets[i], &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "symbols")), 0);
        bcs_resp_free(&r);
    }
    /* MARKET_DATA: no key -> -2014; a key alone, or a signed request as
     * ccxt's loadMarkets() sends it, -> the pairs; a bad signature -> -1022. */
    get(state, "/sapi/v1/margin/allPairs", &r);
    assert_int_equal(r.status, 401);
    assert_int_equal(bcs_code(&r), -2014);
    bcs_resp_free(&r);
    const char *key = bcs_api_key("hmac.secret");
    char hk[160], q[96];
    snprintf(hk, sizeof hk, "X-MBX-APIKEY: %s", key);
    const char *h[] = { hk, NULL };
    assert_int_equal(bcs_http(*state, "GET", "/sapi/v1/margin/allPairs", h, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 4);
    bcs_resp_free(&r);
    bcs_resp tr;
    get(state, "/api/v3/time", &tr);
    snprintf(q, sizeof q, "timestamp=%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(tr.json, "serverTime")));
    bcs_resp_free(&tr);
    sig_key *k = bcs_key("hmac.secret");
    assert_int_equal(bcs_signed(*state, "GET", "/sapi/v1/margin/allPairs", k, key, q, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 4);
    bcs_resp_free(&r);
    char bad[160];
    snprintf(bad, sizeof bad, "/sapi/v1/margin/isolated/allPairs?symbol=BTCUSDT&%s&signature=00", q);
    assert_int_equal(bcs_http(*state, "GET", bad, h, NULL, &r), 0);
    assert_int_equal(r.status, 400);
    assert_int_equal(bcs_code(&r), -1022);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(*state, "GET", "/sapi/v1/margin/isolated/allPairs?symbol=BTCUSDT", h, NULL, &r), 0);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    bcs_resp_free(&r);
    sig_key_free(k);
}

/* Legacy listenKey: retired in "current" (410), alive in "2025-12". */
static void test_user_data_stream(void **state)
{
    const char *key = bcs_api_key("hmac.secret");
    char hk[160];
    snprintf(hk, sizeof hk, "X-MBX-APIKEY: %s", key);
    const char *h[] = { hk, NULL };
    bcs_resp r;
    assert_int_equal(bcs_http(*state, "POST", "/api/v3/userDataStream", h, "", &r), 0);
    assert_int_equal(r.status, 410);
    assert_int_equal(bcs_code(&r), -1016);          /* SERVICE_SHUTTING_DOWN */
    bcs_resp_free(&r);
    bcs_mock old;
    const char *args[] = { "--profile", "2025-12", NULL };
    assert_int_equal(bcs_mock_start(&old, args), 0);
    assert_int_equal(bcs_http(&old, "POST", "/api/v3/userDataStream", h, "", &r), 0);
    assert_int_equal(r.status, 200);
    char lk[80];
    snprintf(lk, sizeof lk, "%s", cJSON_GetObjectItem(r.json, "listenKey")->valuestring);
    assert_int_equal(strlen(lk), 64);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&old, "POST", "/api/v3/userDataStream", h, "", &r), 0);
    assert_string_equal(cJSON_GetObjectItem(r.json, "listenKey")->valuestring, lk);   /* same key on repeat */
    bcs_resp_free(&r);
    char t[160];
    snprintf(t, sizeof t, "/api/v3/userDataStream?listenKey=%s", lk);
    assert_int_equal(bcs_http(&old, "PUT", t, h, "", &r), 0);
    assert_string_equal(r.body.data, "{}");
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&old, "DELETE", t, h, "", &r), 0);
    assert_string_equal(r.body.data, "{}");
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&old, "PUT", t, h, "", &r), 0);
    bcs_assert_err(&r, ERR_INVALID_LISTEN_KEY, NULL, NULL);
    bcs_resp_free(&r);
    assert_int_equal(bcs_mock_stop(&old), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange_info),
        cmocka_unit_test(test_exchange_info_params),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_trades_and_klines),
        cmocka_unit_test(test_tickers),
        cmocka_unit_test(test_discovery),
        cmocka_unit_test(test_user_data_stream),
    };
    return cmocka_run_group_tests(tests, bcs_group_setup, bcs_group_stop);
}
