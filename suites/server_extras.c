/* server_extras: the account and market extras of Binance's current docs
 * over REST and the WebSocket API - referencePrice and
 * referencePrice/calculation (binance-mock never sets a reference price:
 * -2043 after the symbol checks) and historicalBlockTrades (no block trades:
 * []). */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

static int setup(void **state) { return bcs_fx_start(state, NULL, 0); }
static int teardown(void **state) { return bcs_fx_stop(state); }

static void ws_error(bcws *c, const char *fr, int status, err_id e, const char *a1)
{
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    assert_non_null(r);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status")), status);
    const cJSON *err = cJSON_GetObjectItem(r, "error");
    const err_def *d = err_get(e);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(err, "code")), d->code);
    char msg[512];
    err_format(msg, sizeof msg, e, a1, NULL);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(err, "msg")), msg);
    cJSON_Delete(r);
}

static void test_reference_price_rest(void **state)
{
    bcs_fx *fx = *state;
    static const struct { const char *target; err_id e; } cases[] = {
        { "/api/v3/referencePrice?symbol=BTCUSDT", ERR_NO_REFERENCE_PRICE },
        { "/api/v3/referencePrice/calculation?symbol=BTCUSDT", ERR_NO_REFERENCE_PRICE },
        { "/api/v3/referencePrice/calculation?symbol=BTCUSDT&symbolStatus=TRADING", ERR_NO_REFERENCE_PRICE },
        { "/api/v3/referencePrice/calculation?symbol=BTCUSDT&symbolStatus=HALT", ERR_SYMBOL_DOES_NOT_MATCH_STATUS },
        { "/api/v3/referencePrice/calculation?symbol=BTCUSDT&symbolStatus=NOPE", ERR_INVALID_SYMBOLSTATUS },
        { "/api/v3/referencePrice?symbol=NOPEUSDT", ERR_BAD_SYMBOL },
        { "/api/v3/referencePrice/calculation?symbol=NOPEUSDT", ERR_BAD_SYMBOL },
        { "/api/v3/referencePrice?symbolStatus=TRADING&symbol=BTCUSDT", ERR_UNREAD_PARAMETERS },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bcs_resp r;
        assert_int_equal(bcs_http(&fx->m, "GET", cases[i].target, NULL, NULL, &r), 0);
        if (cases[i].e == ERR_UNREAD_PARAMETERS) {
            assert_int_equal(r.status, 400);
            assert_int_equal(bcs_code(&r), err_get(ERR_UNREAD_PARAMETERS)->code);
        } else bcs_assert_err(&r, cases[i].e, NULL, NULL);
        bcs_resp_free(&r);
    }
    bcs_resp r;
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/referencePrice", NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_MANDATORY_PARAM_NAMED, "symbol", NULL);
    bcs_resp_free(&r);
}

static void test_reference_price_ws(void **state)
{
    bcs_fx *fx = *state;
    bcws *c = bcs_fx_ws(fx, "/ws-api/v3");
    ws_error(c, "{\"id\":1,\"method\":\"referencePrice\",\"params\":{\"symbol\":\"BTCUSDT\"}}", 400,
             ERR_NO_REFERENCE_PRICE, NULL);
    ws_error(c, "{\"id\":2,\"method\":\"referencePrice.calculation\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"symbolStatus\":\"TRADING\"}}", 400, ERR_NO_REFERENCE_PRICE, NULL);
    ws_error(c, "{\"id\":3,\"method\":\"referencePrice.calculation\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"symbolStatus\":\"BREAK\"}}", 400, ERR_SYMBOL_DOES_NOT_MATCH_STATUS, NULL);
    ws_error(c, "{\"id\":4,\"method\":\"referencePrice\",\"params\":{}}", 400, ERR_MANDATORY_PARAM_NAMED,
             "symbol");
    bcws_close(c);
}

/* historicalBlockTrades: [] (binance-mock prints no block trades) after
 * symbol, fromId and limit are validated. */
static void test_historical_block_trades(void **state)
{
    bcs_fx *fx = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/historicalBlockTrades?symbol=BTCUSDT&fromId=0&limit=10",
                              NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "[]");
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/historicalBlockTrades?symbol=BTCUSDT", NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_MANDATORY_PARAM_NAMED, "fromId", NULL);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&fx->m, "GET", "/api/v3/historicalBlockTrades?symbol=NOPEUSDT&fromId=1", NULL, NULL,
                              &r), 0);
    bcs_assert_err(&r, ERR_BAD_SYMBOL, NULL, NULL);
    bcs_resp_free(&r);
    bcws *c = bcs_fx_ws(fx, "/ws-api/v3");
    cJSON *rep = bcws_call(c, "{\"id\":5,\"method\":\"blockTrades.historical\",\"params\":{\"symbol\":\"BTCUSDT\","
                              "\"fromId\":3}}", WAIT_MS);
    assert_non_null(rep);
    assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(rep, "status")), 200);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(rep, "result")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rep, "result")), 0);
    cJSON_Delete(rep);
    ws_error(c, "{\"id\":6,\"method\":\"blockTrades.historical\",\"params\":{\"symbol\":\"BTCUSDT\"}}", 400,
             ERR_MANDATORY_PARAM_NAMED, "fromId");
    bcws_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_price_rest),
        cmocka_unit_test(test_reference_price_ws),
        cmocka_unit_test(test_historical_block_trades),
    };
    return cmocka_run_group_tests_name("server_extras", tests, setup, teardown);
}
