/* server_amend_trail: order amend keepPriority and trailing stops on the
 * real binance-mock - order.amend.keepPriority / order.amendments over an
 * Ed25519 WS API session (response and REPLACED executionReport field by
 * field, funds unlocked, the -2038 rejections), REST (weight 4, no order
 * counted, errors), trailing orders placed over the WS API (trailingDelta /
 * trailingTime in the response and order.status, d / D in the event), and
 * an OCO with a trailing leg amended as a pair (listStatus UPDATED). */
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS 10000

typedef bcs_fx fx;

static int setup(void **state) { return bcs_fx_start(state, NULL, 10000); }
static int setup_signed(void **state) { return bcs_fx_start_signed(state, "hmac.secret"); }
static int teardown(void **state) { return bcs_fx_stop(state); }

static const char *str(const cJSON *o, const char *k)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
    return v ? v : "";
}

static double num(const cJSON *o, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k)); }

static const cJSON *ok_result(const cJSON *r)
{
    assert_non_null(r);
    if (cJSON_GetObjectItemCaseSensitive(r, "error")) fprintf(stderr, "error: %s\n", cJSON_PrintUnformatted(r));
    assert_int_equal((int)num(r, "status"), 200);
    return cJSON_GetObjectItemCaseSensitive(r, "result");
}

static void assert_keys(const cJSON *o, const char *const *keys)
{
    const cJSON *it = o ? o->child : NULL;
    for (size_t i = 0; keys[i]; i++, it = it->next) {
        if (!it) fail_msg("missing key %s", keys[i]);
        if (strcmp(it->string, keys[i])) fail_msg("key %zu: got %s, want %s", i, it->string, keys[i]);
    }
    if (it) fail_msg("extra key %s", it->string);
}

static bcws *logged_on(fx *f)
{
    bcws *c = bcs_fx_ws(f, "/ws-api/v3");
    const char *pairs[2];
    char ts[64];
    snprintf(ts, sizeof ts, "timestamp=%lld", (long long)f->now_ms);
    pairs[0] = ts;
    pairs[1] = NULL;
    sig_key *k = bcs_key("ed25519.pem");
    char *params = bcws_signed_params(k, bcs_api_key("ed25519.pem"), pairs, 0);
    sig_key_free(k);
    char fr[2048];
    snprintf(fr, sizeof fr, "{\"id\":\"logon\",\"method\":\"session.logon\",\"params\":%s}", params);
    free(params);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    ok_result(r);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":\"sub\",\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
    ok_result(r);
    cJSON_Delete(r);
    return c;
}

static long long last_cents(fx *f)
{
    bcs_resp r;
    bcs_http(&f->m, "GET", "/api/v3/ticker/price?symbol=BTCUSDT", NULL, NULL, &r);
    long long v = llround(atof(str(r.json, "price")) * 100);
    bcs_resp_free(&r);
    assert_true(v > 0);
    return v;
}


/* The next executionReport of the session (skipping other user events). */
static cJSON *next_report(bcws *c)
{
    for (int i = 0; i < 16; i++) {
        cJSON *j = bcws_recv_event(c, WAIT_MS);
        if (!j) break;
        if (!strcmp(str(cJSON_GetObjectItemCaseSensitive(j, "event"), "e"), "executionReport")) return j;
        cJSON_Delete(j);
    }
    fail_msg("no executionReport");
    return NULL;
}

static const char *const ER_KEYS[] = { "e", "E", "s", "c", "S", "o", "f", "q", "p", "P", "F", "g", "C", "x", "X",
    "r", "i", "l", "z", "L", "n", "N", "T", "t", "I", "w", "m", "M", "O", "Z", "Y", "Q", "W", "V", NULL };
static const char *const ER_TRAIL_KEYS[] = { "e", "E", "s", "c", "S", "o", "f", "q", "p", "P", "F", "g", "C", "x",
    "X", "r", "i", "l", "z", "L", "n", "N", "T", "t", "I", "w", "m", "M", "O", "Z", "Y", "Q", "V", "d", "D", NULL };
static const char *const AMENDED_KEYS[] = { "symbol", "orderId", "orderListId", "origClientOrderId", "clientOrderId",
    "price", "qty", "executedQty", "preventedQty", "quoteOrderQty", "cumulativeQuoteQty", "status", "timeInForce",
    "type", "side", "workingTime", "selfTradePreventionMode", NULL };
static const char *const AMENDMENT_KEYS[] = { "symbol", "orderId", "executionId", "origClientOrderId",
    "newClientOrderId", "origQty", "newQty", "time", NULL };

static cJSON *call(bcws *c, const char *fmt, ...)
{
    char fr[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fr, sizeof fr, fmt, ap);
    va_end(ap);
    return bcws_call(c, fr, WAIT_MS);
}

/* USDT locked of alice (account.status over the session). */
static double usdt_locked(fx *f, bcws *c)
{
    cJSON *r = call(c, "{\"id\":\"a\",\"method\":\"account.status\",\"params\":{\"timestamp\":%lld}}", (long long)f->now_ms);
    const cJSON *b;
    double v = -1;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(ok_result(r), "balances"))
        if (!strcmp(str(b, "asset"), "USDT")) v = atof(str(b, "locked"));
    cJSON_Delete(r);
    return v;
}

/* order.amend.keepPriority over the WS API: the response field by field,
 * the REPLACED executionReport, the funds unlocked, order.amendments, and
 * the docs' rejections. */
static void test_amend_over_ws(void **state)
{
    fx *f = *state;
    bcws *c = logged_on(f);
    long long last = last_cents(f);
    double px = (double)(last / 2) / 100;
    cJSON *r = call(c, "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\","
                    "\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"0.002\",\"price\":\"%.2f\","
                    "\"newClientOrderId\":\"am-1\",\"timestamp\":%lld}}", px, (long long)f->now_ms);
    double id = num(ok_result(r), "orderId");
    cJSON_Delete(r);
    cJSON_Delete(next_report(c));                                  /* NEW */
    double locked0 = usdt_locked(f, c);
    r = call(c, "{\"id\":2,\"method\":\"order.amend.keepPriority\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"orderId\":%.0f,\"newQty\":\"0.001\",\"newClientOrderId\":\"am-2\",\"timestamp\":%lld}}",
             id, (long long)f->now_ms);
    const cJSON *res = ok_result(r);
    static const char *const top[] = { "transactTime", "executionId", "amendedOrder", NULL };
    assert_keys(res, top);
    assert_true(num(res, "transactTime") == (double)f->now_ms);
    double exec_id = num(res, "executionId");
    const cJSON *ao = cJSON_GetObjectItemCaseSensitive(res, "amendedOrder");
    assert_keys(ao, AMENDED_KEYS);
    assert_true(num(ao, "orderId") == id);
    assert_string_equal(str(ao, "origClientOrderId"), "am-1");
    assert_string_equal(str(ao, "clientOrderId"), "am-2");
    assert_string_equal(str(ao, "qty"), "0.00100000");
    assert_string_equal(str(ao, "status"), "NEW");
    cJSON_Delete(r);
    cJSON *ev = next_report(c);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
    assert_keys(e, ER_KEYS);
    assert_string_equal(str(e, "x"), "REPLACED");
    assert_string_equal(str(e, "X"), "NEW");
    assert_string_equal(str(e, "c"), "am-2");
    assert_string_equal(str(e, "C"), "am-1");
    assert_string_equal(str(e, "q"), "0.00100000");
    assert_string_equal(str(e, "l"), "0.00000000");
    assert_true(num(e, "i") == id && num(e, "I") == exec_id && num(e, "t") == -1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "w")));
    cJSON_Delete(ev);
    double locked1 = usdt_locked(f, c);
    assert_true(fabs((locked0 - locked1) - px * 0.001) < 0.011);  /* price * 0.001 unlocked */
    r = call(c, "{\"id\":3,\"method\":\"order.amendments\",\"params\":{\"symbol\":\"BTCUSDT\",\"orderId\":%.0f,"
             "\"timestamp\":%lld}}", id, (long long)f->now_ms);
    res = ok_result(r);
    assert_int_equal(cJSON_GetArraySize(res), 1);
    const cJSON *a0 = cJSON_GetArrayItem(res, 0);
    assert_keys(a0, AMENDMENT_KEYS);
    assert_true(num(a0, "executionId") == exec_id);
    assert_string_equal(str(a0, "origQty"), "0.00200000");
    assert_string_equal(str(a0, "newQty"), "0.00100000");
    assert_string_equal(str(a0, "newClientOrderId"), "am-2");
    cJSON_Delete(r);
    static const struct { const char *qty; me_msg me; } bad[] = {
        { "0.001", ME_NO_STATE_CHANGE }, { "0.003", ME_AMEND_QTY_INCREASE } };
    for (int i = 0; i < 2; i++) {
        r = call(c, "{\"id\":4,\"method\":\"order.amend.keepPriority\",\"params\":{\"symbol\":\"BTCUSDT\","
                 "\"origClientOrderId\":\"am-2\",\"newQty\":\"%s\",\"timestamp\":%lld}}", bad[i].qty, (long long)f->now_ms);
        e = cJSON_GetObjectItemCaseSensitive(r, "error");
        assert_int_equal((int)num(e, "code"), -2038);
        assert_string_equal(str(e, "msg"), me_text(bad[i].me));
        cJSON_Delete(r);
    }
    bcws_close(c);
}

/* REST: an amend answers 200 with weight 4 and counts no order (no
 * X-MBX-ORDER-COUNT header); the errors with the catalogue's texts. */
static void test_amend_rest_errors(void **state)
{
    fx *f = *state;
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.004"
                "&price=100000&newClientOrderId=rest-am", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(bcs_header(&r, "X-MBX-ORDER-COUNT-1D"));
    bcs_resp_free(&r);
    const char *w0;
    bcs_fx_call(f, "GET", "/api/v3/ping", "", NULL, &r);
    w0 = bcs_header(&r, "X-MBX-USED-WEIGHT-1M");
    int weight0 = w0 ? atoi(w0) : -1;
    bcs_resp_free(&r);
    bcs_fx_call(f, "PUT", "/api/v3/order/amend/keepPriority", "symbol=BTCUSDT&origClientOrderId=rest-am&newQty=0.003",
                NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(bcs_header(&r, "X-MBX-ORDER-COUNT-1D"));
    assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
    assert_int_equal(atoi(bcs_header(&r, "X-MBX-USED-WEIGHT-1M")), weight0 + 4);
    const cJSON *ao = cJSON_GetObjectItemCaseSensitive(r.json, "amendedOrder");
    assert_string_equal(str(ao, "qty"), "0.00300000");
    assert_string_equal(str(ao, "origClientOrderId"), "rest-am");
    assert_int_equal((int)strlen(str(ao, "clientOrderId")), 22);     /* generated */
    bcs_resp_free(&r);
    bcs_fx_call(f, "PUT", "/api/v3/order/amend/keepPriority", "symbol=BTCUSDT&orderId=987654&newQty=0.001", NULL, &r);
    bcs_assert_err(&r, ERR_ORDER_AMEND_REJECTED, "Unknown order sent.", NULL);
    bcs_resp_free(&r);
    bcs_fx_call(f, "PUT", "/api/v3/order/amend/keepPriority", "symbol=BTCUSDT&orderId=1", NULL, &r);
    bcs_assert_err(&r, ERR_MANDATORY_PARAM_NAMED, "newQty", NULL);
    bcs_resp_free(&r);
    bcs_fx_call(f, "GET", "/api/v3/order/amendments", "symbol=BTCUSDT&orderId=987654", NULL, &r);
    bcs_assert_err(&r, ERR_NO_SUCH_ORDER, NULL, NULL);
    bcs_resp_free(&r);
    bcs_fx_call(f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=STOP_LOSS&quantity=0.001&trailingDelta=5", NULL, &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "TRAILING_DELTA", NULL);
    bcs_resp_free(&r);
    bcs_fx_call(f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.001&price=90000&trailingDelta=100", NULL, &r);
    bcs_assert_err(&r, ERR_PARAM_NOT_REQUIRED_NAMED, "trailingDelta", NULL);
    bcs_resp_free(&r);
}

/* Trailing stops over the WS API: trailingDelta / trailingTime in the
 * response and order.status, d / D in the NEW event (D = -1 while a
 * stopPrice not yet met holds tracking back). */
static void test_trailing_over_ws(void **state)
{
    fx *f = *state;
    bcws *c = logged_on(f);
    long long last = last_cents(f);
    cJSON *r = call(c, "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",\"side\":\"SELL\","
                    "\"type\":\"STOP_LOSS_LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"0.001\",\"price\":\"%.2f\","
                    "\"trailingDelta\":150,\"newOrderRespType\":\"RESULT\",\"timestamp\":%lld}}",
                    (double)(last / 2) / 100, (long long)f->now_ms);
    const cJSON *res = ok_result(r);
    assert_true(num(res, "trailingDelta") == 150 && num(res, "trailingTime") == (double)f->now_ms);
    assert_true(num(res, "workingTime") == -1);
    double id = num(res, "orderId");
    cJSON_Delete(r);
    cJSON *ev = next_report(c);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
    assert_keys(e, ER_TRAIL_KEYS);
    assert_true(num(e, "d") == 150 && num(e, "D") == (double)f->now_ms);
    cJSON_Delete(ev);
    r = call(c, "{\"id\":2,\"method\":\"order.status\",\"params\":{\"symbol\":\"BTCUSDT\",\"orderId\":%.0f,"
             "\"timestamp\":%lld}}", id, (long long)f->now_ms);
    res = ok_result(r);
    assert_true(num(res, "trailingDelta") == 150 && num(res, "trailingTime") == (double)f->now_ms);
    cJSON_Delete(r);
    /* with a stopPrice the last price has not met: tracking waits (-1) */
    r = call(c, "{\"id\":3,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",\"side\":\"SELL\","
             "\"type\":\"STOP_LOSS\",\"quantity\":\"0.001\",\"stopPrice\":\"%.2f\",\"trailingDelta\":200,"
             "\"newOrderRespType\":\"RESULT\",\"timestamp\":%lld}}", (double)(last / 2) / 100, (long long)f->now_ms);
    res = ok_result(r);
    assert_true(num(res, "trailingDelta") == 200 && num(res, "trailingTime") == -1);
    cJSON_Delete(r);
    ev = next_report(c);
    e = cJSON_GetObjectItemCaseSensitive(ev, "event");
    assert_true(num(e, "d") == 200 && num(e, "D") == -1);
    cJSON_Delete(ev);
    bcws_close(c);
}

/* An OCO with a trailing stop-loss leg (belowTrailingDelta, no stopPrice)
 * over the WS API; amending its limit leg amends both legs: two REPLACED
 * events, listStatus l=UPDATED, and the response's listStatus. */
static void test_oco_trailing_leg_amend(void **state)
{
    fx *f = *state;
    bcws *c = logged_on(f);
    long long last = last_cents(f);
    cJSON *r = call(c, "{\"id\":1,\"method\":\"orderList.place.oco\",\"params\":{\"symbol\":\"BTCUSDT\","
                    "\"side\":\"SELL\",\"quantity\":\"0.004\",\"aboveType\":\"LIMIT_MAKER\",\"abovePrice\":\"%.2f\","
                    "\"belowType\":\"STOP_LOSS\",\"belowTrailingDelta\":300,\"newOrderRespType\":\"RESULT\","
                    "\"timestamp\":%lld}}", (double)(last * 2) / 100, (long long)f->now_ms);
    const cJSON *res = ok_result(r);
    const cJSON *rep = cJSON_GetObjectItemCaseSensitive(res, "orderReports");
    const cJSON *stop = cJSON_GetArrayItem(rep, 0), *lim = cJSON_GetArrayItem(rep, 1);
    assert_string_equal(str(stop, "type"), "STOP_LOSS");
    assert_true(num(stop, "trailingDelta") == 300 && num(stop, "trailingTime") == (double)f->now_ms);
    assert_null(cJSON_GetObjectItemCaseSensitive(lim, "trailingDelta"));
    double lid = num(res, "orderListId"), stop_id = num(stop, "orderId"), lim_id = num(lim, "orderId");
    cJSON_Delete(r);
    for (int i = 0; i < 8; i++) {                                  /* NEW x2, positions, listStatus */
        cJSON *j = bcws_recv_event(c, WAIT_MS);
        assert_non_null(j);
        int done = !strcmp(str(cJSON_GetObjectItemCaseSensitive(j, "event"), "e"), "listStatus");
        cJSON_Delete(j);
        if (done) break;
    }
    r = call(c, "{\"id\":2,\"method\":\"order.amend.keepPriority\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"orderId\":%.0f,\"newQty\":\"0.002\",\"timestamp\":%lld}}", lim_id, (long long)f->now_ms);
    res = ok_result(r);
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(res, "listStatus");
    static const char *const ls_keys[] = { "orderListId", "contingencyType", "listOrderStatus", "listClientOrderId",
                                           "symbol", "orders", NULL };
    assert_keys(ls, ls_keys);
    assert_true(num(ls, "orderListId") == lid);
    assert_string_equal(str(ls, "contingencyType"), "OCO");
    assert_string_equal(str(ls, "listOrderStatus"), "EXECUTING");
    assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ls, "orders"), 1), "clientOrderId"),
                        str(cJSON_GetObjectItemCaseSensitive(res, "amendedOrder"), "clientOrderId"));
    cJSON_Delete(r);
    int replaced = 0, updated = 0;
    for (int i = 0; i < 8 && !updated; i++) {
        cJSON *j = bcws_recv_event(c, WAIT_MS);
        assert_non_null(j);
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "event");
        if (!strcmp(str(e, "e"), "executionReport")) {
            assert_string_equal(str(e, "x"), "REPLACED");
            assert_string_equal(str(e, "q"), "0.00200000");
            assert_true(num(e, "g") == lid);
            assert_true(num(e, "i") == (replaced ? stop_id : lim_id));
            if (num(e, "i") == stop_id) assert_true(num(e, "d") == 300);
            replaced++;
        } else if (!strcmp(str(e, "e"), "listStatus")) {
            assert_string_equal(str(e, "l"), "UPDATED");
            assert_string_equal(str(e, "L"), "EXECUTING");
            updated = 1;
        }
        cJSON_Delete(j);
    }
    assert_int_equal(replaced, 2);
    assert_true(updated);
    bcws_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_amend_over_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_rest_errors, setup_signed, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_over_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oco_trailing_leg_amend, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
