/* server_peg: pegged orders on the real binance-mock over REST and the
 * WebSocket API (faqs/pegged_orders.md) - the price a peg selects from the
 * book (PRIMARY_PEG, MARKET_PEG, PRICE_LEVEL offsets), the response fields
 * (price = the sent price, pegPriceType, pegOffsetType/Value, peggedPrice),
 * the events' gP/gOT/gOV/gp, the funds a pegged order locks, a pegged
 * STOP_LOSS_LIMIT priced when it triggers, and the peg errors. */
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
static int has(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k) != NULL; }

/* Price of level i (0 = best) of BTCUSDT's bids or asks. */
static double level(fx *f, const char *side, int i)
{
    bcs_resp r;
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/depth?symbol=BTCUSDT&limit=20", NULL, NULL, &r), 0);
    const cJSON *lv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, side), i);
    assert_non_null(lv);
    double p = atof(cJSON_GetArrayItem(lv, 0)->valuestring);
    bcs_resp_free(&r);
    return p;
}

static void usdt(fx *f, double *free_, double *locked)
{
    bcs_resp r;
    bcs_fx_call(f, "GET", "/api/v3/account", "", NULL, &r);
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(r.json, "balances"))
        if (!strcmp(bcs_jstr(b, "asset"), "USDT")) { *free_ = dnum(b, "free"); *locked = dnum(b, "locked"); }
    bcs_resp_free(&r);
}

/* The next executionReport of the session's subscription. */
static cJSON *next_report(bcws *c)
{
    for (;;) {
        cJSON *ev = bcws_recv_event(c, WAIT_MS);
        assert_non_null(ev);
        cJSON *e = cJSON_DetachItemFromObjectCaseSensitive(ev, "event");
        cJSON_Delete(ev);
        if (!strcmp(bcs_jstr(e, "e"), "executionReport")) return e;
        cJSON_Delete(e);
    }
}

/* PRIMARY_PEG BUY without price: pegged at the best bid, price 0, rests and
 * locks peggedPrice * qty; the NEW event carries gP and gp, p = 0. */
static void test_primary_peg_rest(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    double bid = level(f, "bids", 0), free0 = 0, lock0 = 0, free1 = 0, lock1 = 0;
    usdt(f, &free0, &lock0);
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01"
                "&pegPriceType=PRIMARY_PEG&newClientOrderId=peg-1", NULL, &r);
    assert_int_equal(r.status, 200);
    static const char *const keys[] = { "symbol", "orderId", "orderListId", "clientOrderId", "transactTime", "price",
        "pegPriceType", "peggedPrice", "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status",
        "timeInForce", "type", "side", "workingTime", "selfTradePreventionMode", "fills", NULL };
    bcs_assert_keys(r.json, keys);
    assert_string_equal(bcs_jstr(r.json, "price"), "0.00000000");
    assert_string_equal(bcs_jstr(r.json, "pegPriceType"), "PRIMARY_PEG");
    assert_true(fabs(dnum(r.json, "peggedPrice") - bid) < 1e-9);
    assert_string_equal(bcs_jstr(r.json, "status"), "NEW");
    double oid = bcs_jnum(r.json, "orderId");
    bcs_resp_free(&r);
    usdt(f, &free1, &lock1);
    assert_true(fabs((lock1 - lock0) - bid * 0.01) < 1e-6);
    assert_true(fabs((free0 - free1) - bid * 0.01) < 1e-6);

    cJSON *e = next_report(c);
    assert_string_equal(bcs_jstr(e, "x"), "NEW");
    assert_string_equal(bcs_jstr(e, "p"), "0.00000000");
    assert_string_equal(bcs_jstr(e, "gP"), "PRIMARY_PEG");
    assert_true(fabs(dnum(e, "gp") - bid) < 1e-9);
    assert_false(has(e, "gOT") || has(e, "gOV"));
    cJSON_Delete(e);

    char q[128];
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", oid);
    bcs_fx_call(f, "GET", "/api/v3/order", q, NULL, &r);
    assert_string_equal(bcs_jstr(r.json, "pegPriceType"), "PRIMARY_PEG");
    assert_true(fabs(dnum(r.json, "peggedPrice") - bid) < 1e-9);
    bcs_resp_free(&r);
    /* the pegged order is now the best bid: the book shows it there */
    assert_true(fabs(level(f, "bids", 0) - bid) < 1e-9);
    bcs_fx_call(f, "DELETE", "/api/v3/order", q, NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    e = next_report(c);
    assert_string_equal(bcs_jstr(e, "x"), "CANCELED");
    assert_string_equal(bcs_jstr(e, "gP"), "PRIMARY_PEG");
    cJSON_Delete(e);
    bcws_close(c);
}

/* MARKET_PEG SELL IOC at the second bid level (PRICE_LEVEL 1) over the WS
 * API: the best two bid levels fill it (the peg is a limit), the events say
 * gOT/gOV. */
static void test_market_peg_offset_ws(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    double b0 = level(f, "bids", 0), b1 = level(f, "bids", 1);
    char fr[1024];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",\"side\":\"SELL\","
             "\"type\":\"LIMIT\",\"timeInForce\":\"IOC\",\"quantity\":\"5\",\"pegPriceType\":\"MARKET_PEG\","
             "\"pegOffsetType\":\"PRICE_LEVEL\",\"pegOffsetValue\":1,\"timestamp\":%lld}}", (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    const cJSON *o = bcs_ws_ok(r);
    assert_string_equal(bcs_jstr(o, "pegPriceType"), "MARKET_PEG");
    assert_string_equal(bcs_jstr(o, "pegOffsetType"), "PRICE_LEVEL");
    assert_int_equal((int)bcs_jnum(o, "pegOffsetValue"), 1);
    assert_true(fabs(dnum(o, "peggedPrice") - b1) < 1e-9);
    assert_string_equal(bcs_jstr(o, "status"), "EXPIRED");      /* 5 BTC is more than two levels hold */
    const cJSON *fl;
    int n = 0;
    cJSON_ArrayForEach(fl, cJSON_GetObjectItemCaseSensitive(o, "fills")) {
        double p = dnum(fl, "price");
        assert_true(fabs(p - b0) < 1e-9 || fabs(p - b1) < 1e-9);
        n++;
    }
    assert_true(n >= 2);
    cJSON_Delete(r);
    cJSON *e = next_report(c);
    assert_string_equal(bcs_jstr(e, "gP"), "MARKET_PEG");
    assert_string_equal(bcs_jstr(e, "gOT"), "PRICE_LEVEL");
    assert_int_equal((int)bcs_jnum(e, "gOV"), 1);
    assert_true(fabs(dnum(e, "gp") - b1) < 1e-9);
    cJSON_Delete(e);
    bcws_close(c);
}

/* A pegged STOP_LOSS_LIMIT SELL has no peggedPrice until it triggers; alice's
 * own MARKET SELL pushes the last price through the stop, and the stop
 * enters the book at the best ask of that moment (no event: a triggered
 * stop that rests says nothing until it trades or ends); its CANCELED event
 * carries that gp. */
static void test_pegged_stop_limit(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    double b0 = level(f, "bids", 0), b2 = level(f, "bids", 2);
    char q[256];
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=SELL&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=0.01"
             "&stopPrice=%.2f&pegPriceType=PRIMARY_PEG&newClientOrderId=peg-stop", (b0 + b2) / 2);
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/order", q, NULL, &r);
    if (r.status != 200) fprintf(stderr, "%s %s\n", bcs_jstr(r.json, "msg"), q);
    assert_int_equal(r.status, 200);
    assert_false(has(r.json, "peggedPrice"));
    bcs_resp_free(&r);
    cJSON *e = next_report(c);
    assert_string_equal(bcs_jstr(e, "x"), "NEW");
    assert_false(has(e, "gp"));
    assert_string_equal(bcs_jstr(e, "gP"), "PRIMARY_PEG");
    cJSON_Delete(e);
    /* sell through the first three bid levels */
    bcs_fx_call(f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.6", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    double ask = level(f, "asks", 0);
    bcs_fx_call(f, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=peg-stop", NULL, &r);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "isWorking")));
    assert_string_equal(bcs_jstr(r.json, "status"), "NEW");
    assert_string_equal(bcs_jstr(r.json, "price"), "0.00000000");
    double pegged = dnum(r.json, "peggedPrice");
    assert_true(fabs(pegged - ask) < 1e-9);       /* it joined the best ask level */
    bcs_resp_free(&r);
    /* the events of the market sell, then the stop's cancel with its gp */
    bcs_fx_call(f, "DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=peg-stop", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    int seen = 0;
    for (int i = 0; i < 40 && !seen; i++) {
        e = next_report(c);
        if (!strcmp(bcs_jstr(e, "C"), "peg-stop")) {
            assert_string_equal(bcs_jstr(e, "x"), "CANCELED");
            assert_true(fabs(dnum(e, "gp") - pegged) < 1e-9);
            seen = 1;
        }
        cJSON_Delete(e);
    }
    assert_true(seen);
    bcws_close(c);
}

static void test_peg_errors(void **state)
{
    fx *f = *state;
    static const struct { const char *params; err_id e; const char *a1, *a2; me_msg me; } cases[] = {
        { "type=LIMIT&timeInForce=GTC&pegPriceType=BEST", ERR_INVALID_PEG_PRICE_TYPE, NULL, NULL, 0 },
        { "type=LIMIT&timeInForce=GTC&pegPriceType=PRIMARY_PEG&pegOffsetType=TICKS&pegOffsetValue=1",
          ERR_INVALID_PEG_OFFSET_TYPE, NULL, NULL, 0 },
        { "type=LIMIT&timeInForce=GTC&pegPriceType=PRIMARY_PEG&pegOffsetValue=1", ERR_OPTIONAL_PARAMS_BOTH,
          "pegOffsetType", "pegOffsetValue", 0 },
        { "type=LIMIT&timeInForce=GTC", ERR_MANDATORY_PARAM_NAMED, "price", NULL, 0 },
        { "type=MARKET&pegPriceType=MARKET_PEG", ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_ORDER_TYPE },
        { "type=LIMIT_MAKER&pegPriceType=MARKET_PEG", ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_PRICE_TYPE },
        { "type=LIMIT&timeInForce=IOC&pegPriceType=PRIMARY_PEG", ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_PRICE_TYPE },
        { "type=LIMIT&timeInForce=GTC&pegPriceType=PRIMARY_PEG&pegOffsetType=PRICE_LEVEL&pegOffsetValue=100",
          ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_LIQUIDITY_LOW },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char q[256];
        snprintf(q, sizeof q, "symbol=BTCUSDT&side=BUY&quantity=0.01&%s", cases[i].params);
        bcs_resp r;
        bcs_fx_call(f, "POST", "/api/v3/order", q, NULL, &r);
        if (cases[i].e == ERR_NEW_ORDER_REJECTED) {
            assert_int_equal(r.status, 400);
            assert_int_equal(bcs_code(&r), -2010);
            assert_string_equal(bcs_msg(&r), me_text(cases[i].me));
        } else bcs_assert_err(&r, cases[i].e, cases[i].a1, cases[i].a2);
        bcs_resp_free(&r);
    }
    /* SOR does not take pegs (faqs/pegged_orders.md) */
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01"
                "&pegPriceType=PRIMARY_PEG", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_int_equal(bcs_code(&r), err_get(ERR_UNREAD_PARAMETERS)->code);
    bcs_resp_free(&r);
    /* exchangeInfo says pegs work */
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/exchangeInfo?symbol=BTCUSDT", NULL, NULL, &r), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "symbols"), 0), "pegInstructionsAllowed")));
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_primary_peg_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_market_peg_offset_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pegged_stop_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peg_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
