/* server_filters: the filters a --symbols file may carry beyond the basic
 * ones - PERCENT_PRICE, MAX_NUM_ICEBERG_ORDERS, MAX_POSITION and the
 * EXCHANGE_MAX_NUM_* family - as exchangeInfo and GET /api/v3/myFilters (REST
 * and WS API) render them and as orders meet them; an unknown filter type is
 * a start-up error; the flags of unserved features say false. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

static char symbols_path[512];

/* The default symbol set with extra filters on BTCUSDT and two exchange
 * filters; extra is inserted first in BTCUSDT's "filters" array. */
static int write_symbols(const char *path, const char *xfilters, const char *extra)
{
    char src[512];
    snprintf(src, sizeof src, "%s/mock_server/config/symbols.json", getenv("BC_SOURCE_DIR"));
    FILE *f = fopen(src, "rb");
    if (!f) return -1;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, "\"filters\": [");              /* BTCUSDT's, the first symbol */
    if (!at) return -1;
    at += strlen("\"filters\": [");
    f = fopen(path, "wb");
    if (!f) return -1;
    fprintf(f, "{ \"exchangeFilters\": [%s],%.*s%s,%s", xfilters, (int)(at - strchr(text, '{') - 1),
            strchr(text, '{') + 1, extra, at);
    fclose(f);
    return 0;
}

static int setup(void **state)
{
    char *dir = bcs_tmpdir();
    if (!dir) return -1;
    snprintf(symbols_path, sizeof symbols_path, "%s/symbols.json", dir);
    free(dir);
    if (write_symbols(symbols_path,
                      "{\"filterType\":\"EXCHANGE_MAX_NUM_ORDERS\",\"maxNumOrders\":4},"
                      "{\"filterType\":\"EXCHANGE_MAX_NUM_ICEBERG_ORDERS\",\"maxNumIcebergOrders\":9}",
                      "{\"filterType\":\"PERCENT_PRICE\",\"multiplierUp\":\"1.1000\",\"multiplierDown\":\"0.9000\","
                      "\"avgPriceMins\":5},"
                      "{\"filterType\":\"MAX_NUM_ICEBERG_ORDERS\",\"maxNumIcebergOrders\":1},"
                      "{\"filterType\":\"MAX_POSITION\",\"maxPosition\":\"10.05000000\"}"))
        return -1;
    const char *args[] = { "--symbols", symbols_path, NULL };
    if (bcs_fx_start(state, args, 60000)) return -1;
    bcs_fx *fx = *state;
    fx->key = bcs_key("hmac.secret");
    fx->api_key = bcs_api_key("hmac.secret");
    return fx->key ? 0 : -1;
}

static int teardown(void **state)
{
    unlink(symbols_path);
    return bcs_fx_stop(state);
}

static const char *str(const cJSON *o, const char *k)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
    return v ? v : "";
}

static const cJSON *find_filter(const cJSON *arr, const char *type)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
        if (!strcmp(str(it, "filterType"), type)) return it;
    return NULL;
}

static long long avg_cents(bcs_fx *fx)
{
    bcs_resp r;
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/avgPrice?symbol=BTCUSDT", NULL, NULL, &r), 0);
    long long c = llround(atof(str(r.json, "price")) * 100);
    bcs_resp_free(&r);
    assert_true(c > 0);
    return c;
}

static void order(bcs_fx *fx, const char *sym, const char *side, const char *qty, long long cents,
                  const char *extra, bcs_resp *r)
{
    char p[512];
    snprintf(p, sizeof p, "symbol=%s&side=%s&type=LIMIT&timeInForce=GTC&quantity=%s&price=%lld.%02lld%s",
             sym, side, qty, cents / 100, cents % 100, extra);
    bcs_fx_call(fx, "POST", "/api/v3/order", p, NULL, r);
}

static void cancel_all(bcs_fx *fx)
{
    const char *syms[] = { "BTCUSDT", "ETHUSDT" };
    for (int i = 0; i < 2; i++) {
        bcs_resp r;
        char p[64];
        snprintf(p, sizeof p, "symbol=%s", syms[i]);
        bcs_fx_call(fx, "DELETE", "/api/v3/openOrders", p, NULL, &r);
        bcs_resp_free(&r);
    }
}

/* exchangeInfo renders the filters as filters.md shows them, and says false
 * for the flags of features binance-mock does not serve (trailing stops,
 * amend) while pegInstructionsAllowed says what the symbols file says. */
static void test_exchange_info(void **state)
{
    bcs_fx *fx = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/exchangeInfo?symbol=BTCUSDT", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    const cJSON *xf = cJSON_GetObjectItemCaseSensitive(r.json, "exchangeFilters");
    assert_int_equal(cJSON_GetArraySize(xf), 2);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(find_filter(xf, "EXCHANGE_MAX_NUM_ORDERS"),
                                                              "maxNumOrders")), 4);
    assert_non_null(find_filter(xf, "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"));
    const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "symbols"), 0);
    const cJSON *fl = cJSON_GetObjectItemCaseSensitive(s, "filters");
    const cJSON *pp = find_filter(fl, "PERCENT_PRICE");
    assert_non_null(pp);
    assert_string_equal(str(pp, "multiplierUp"), "1.10000000");
    assert_string_equal(str(pp, "multiplierDown"), "0.90000000");
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(pp, "avgPriceMins")), 5);
    assert_string_equal(str(find_filter(fl, "MAX_POSITION"), "maxPosition"), "10.05000000");
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(find_filter(fl, "MAX_NUM_ICEBERG_ORDERS"),
                                                              "maxNumIcebergOrders")), 1);
    /* served features default to true when the file omits their flag; pegged
     * orders (peg.c) take the file's flag */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "allowTrailingStop")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "amendAllowed")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "pegInstructionsAllowed")));
    bcs_resp_free(&r);
}

/* GET /api/v3/myFilters: the same filters, for the account, on one symbol. */
static void test_my_filters_rest(void **state)
{
    bcs_fx *fx = *state;
    bcs_resp r;
    bcs_fx_call(fx, "GET", "/api/v3/myFilters", "symbol=BTCUSDT", NULL, &r);
    assert_int_equal(r.status, 200);
    const cJSON *it = r.json->child;
    const char *keys[] = { "exchangeFilters", "symbolFilters", "assetFilters" };
    for (int i = 0; i < 3; i++, it = it->next) {
        assert_non_null(it);
        assert_string_equal(it->string, keys[i]);
        assert_true(cJSON_IsArray(it));
    }
    assert_null(it);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "exchangeFilters")), 2);
    assert_non_null(find_filter(cJSON_GetObjectItem(r.json, "symbolFilters"), "MAX_POSITION"));
    assert_non_null(find_filter(cJSON_GetObjectItem(r.json, "symbolFilters"), "PRICE_FILTER"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "assetFilters")), 0);
    bcs_resp_free(&r);
    bcs_fx_call(fx, "GET", "/api/v3/myFilters", "", NULL, &r);
    bcs_assert_err(&r, ERR_MANDATORY_PARAM_NAMED, "symbol", NULL);
    bcs_resp_free(&r);
    bcs_fx_call(fx, "GET", "/api/v3/myFilters", "symbol=NOPEUSDT", NULL, &r);
    bcs_assert_err(&r, ERR_BAD_SYMBOL, NULL, NULL);
    bcs_resp_free(&r);
}

/* WS API myFilters: the same result, signed. */
static void test_my_filters_ws(void **state)
{
    bcs_fx *fx = *state;
    bcws *c = bcs_fx_ws(fx, "/ws-api/v3");
    char ts[64];
    snprintf(ts, sizeof ts, "timestamp=%lld", (long long)fx->now_ms);
    const char *pairs[] = { "symbol=BTCUSDT", ts, NULL };
    char *params = bcws_signed_params(fx->key, fx->api_key, pairs, 0);
    char fr[2048];
    snprintf(fr, sizeof fr, "{\"id\":\"mf\",\"method\":\"myFilters\",\"params\":%s}", params);
    free(params);
    cJSON *rep = bcws_call(c, fr, WAIT_MS);
    assert_non_null(rep);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(rep, "status")), 200);
    const cJSON *res = cJSON_GetObjectItem(rep, "result");
    assert_non_null(find_filter(cJSON_GetObjectItem(res, "symbolFilters"), "PERCENT_PRICE"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(res, "exchangeFilters")), 2);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(res, "assetFilters")));
    cJSON_Delete(rep);
    bcws_close(c);
}

/* PERCENT_PRICE: price within [avg * down, avg * up] (both bounds). */
static void test_percent_price(void **state)
{
    bcs_fx *fx = *state;
    long long avg = avg_cents(fx);
    bcs_resp r;
    order(fx, "BTCUSDT", "SELL", "0.01", avg * 112 / 100, "", &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "PERCENT_PRICE", NULL);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "BUY", "0.01", avg * 88 / 100, "", &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "PERCENT_PRICE", NULL);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "SELL", "0.01", avg * 108 / 100, "", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    cancel_all(fx);
}

/* MAX_NUM_ICEBERG_ORDERS 1: a second open iceberg fails; a plain order does not. */
static void test_max_num_iceberg(void **state)
{
    bcs_fx *fx = *state;
    long long avg = avg_cents(fx);
    bcs_resp r;
    order(fx, "BTCUSDT", "SELL", "0.02", avg * 105 / 100, "&icebergQty=0.01", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "SELL", "0.02", avg * 106 / 100, "&icebergQty=0.01", &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "MAX_NUM_ICEBERG_ORDERS", NULL);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "SELL", "0.02", avg * 106 / 100, "", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    cancel_all(fx);
    order(fx, "BTCUSDT", "SELL", "0.02", avg * 106 / 100, "&icebergQty=0.01", &r);
    assert_int_equal(r.status, 200);       /* the canceled one no longer counts */
    bcs_resp_free(&r);
    cancel_all(fx);
}

/* MAX_POSITION 10.05 with 10 BTC: free + locked + open BUY quantity + this
 * order's quantity may not pass it; SELL orders are not limited. */
static void test_max_position(void **state)
{
    bcs_fx *fx = *state;
    long long avg = avg_cents(fx);
    bcs_resp r;
    order(fx, "BTCUSDT", "BUY", "0.04", avg * 95 / 100, "", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "BUY", "0.02", avg * 95 / 100, "", &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "MAX_POSITION", NULL);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "BUY", "0.01", avg * 95 / 100, "", &r);
    assert_int_equal(r.status, 200);       /* exactly 10.05 */
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "SELL", "0.02", avg * 105 / 100, "", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    cancel_all(fx);
}

/* EXCHANGE_MAX_NUM_ORDERS 4: open orders on every symbol count. */
static void test_exchange_max_num_orders(void **state)
{
    bcs_fx *fx = *state;
    long long avg = avg_cents(fx);
    bcs_resp r;
    for (int i = 0; i < 2; i++) {
        order(fx, "BTCUSDT", "SELL", "0.01", avg * (103 + i) / 100, "", &r);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/ticker/price?symbol=ETHUSDT", NULL, NULL, &r), 0);
    long long eth = llround(atof(str(r.json, "price")) * 100);
    bcs_resp_free(&r);
    for (int i = 0; i < 2; i++) {
        order(fx, "ETHUSDT", "SELL", "0.1", eth * (110 + i) / 100, "", &r);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    order(fx, "ETHUSDT", "SELL", "0.1", eth * 115 / 100, "", &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "EXCHANGE_MAX_NUM_ORDERS", NULL);
    bcs_resp_free(&r);
    order(fx, "BTCUSDT", "SELL", "0.01", avg * 105 / 100, "", &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "EXCHANGE_MAX_NUM_ORDERS", NULL);
    bcs_resp_free(&r);
    cancel_all(fx);
}

/* An unknown filter type in a --symbols file stops the start (exit 1) with
 * the type named; so does an unknown exchange filter. */
static void test_unknown_filter_is_startup_error(void **state)
{
    (void)state;
    static const struct { const char *x, *extra, *want; } cases[] = {
        { "", "{\"filterType\":\"NOT_A_FILTER\",\"limit\":1}", "unknown filter type \"NOT_A_FILTER\"" },
        { "{\"filterType\":\"EXCHANGE_MAX_NUM_WIDGETS\",\"maxNumWidgets\":1}",
          "{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":200}",
          "unknown exchange filter type \"EXCHANGE_MAX_NUM_WIDGETS\"" },
    };
    char *dir = bcs_tmpdir();
    assert_non_null(dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[600], errf[600], cmd[2000];
        snprintf(path, sizeof path, "%s/bad.json", dir);
        snprintf(errf, sizeof errf, "%s/err.txt", dir);
        assert_int_equal(write_symbols(path, cases[i].x, cases[i].extra), 0);
        /* timeout: a mock that starts (the bug) must not hang the suite */
        snprintf(cmd, sizeof cmd, "timeout 30 '%s' --listen 127.0.0.1:0 --symbols '%s' >/dev/null 2>'%s'",
                 getenv("BINANCE_MOCK"), path, errf);
        int st = system(cmd);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
        FILE *f = fopen(errf, "r");
        assert_non_null(f);
        char msg[1024] = "";
        size_t n = fread(msg, 1, sizeof msg - 1, f);
        msg[n] = 0;
        fclose(f);
        if (!strstr(msg, cases[i].want)) fail_msg("case %zu: stderr '%s' lacks '%s'", i, msg, cases[i].want);
        unlink(path);
        unlink(errf);
    }
    rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange_info),
        cmocka_unit_test(test_my_filters_rest),
        cmocka_unit_test(test_my_filters_ws),
        cmocka_unit_test(test_percent_price),
        cmocka_unit_test(test_max_num_iceberg),
        cmocka_unit_test(test_max_position),
        cmocka_unit_test(test_exchange_max_num_orders),
        cmocka_unit_test(test_unknown_filter_is_startup_error),
    };
    return cmocka_run_group_tests_name("server_filters", tests, setup, teardown);
}
