/* server_ws_orderlist: order lists over the WebSocket API of the real
 * binance-mock - an Ed25519 session places an OCO (orderList.place.oco) and
 * a deprecated OCO (orderList.place), queries them (orderList.status,
 * openOrderLists.status, allOrderLists), cancels (orderList.cancel), and the
 * session's user-data subscription carries the legs' executionReports
 * (g = orderListId) and the listStatus events, exact to the field. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

typedef bcs_fx fx;

static int setup(void **state) { return bcs_fx_start(state, NULL, 10000); }
static int teardown(void **state) { return bcs_fx_stop(state); }

/* The user events up to and including the next listStatus (n of them in ev). */
static int events_until_list_status(bcws *c, cJSON **ev, int max)
{
    int n = 0;
    while (n < max) {
        cJSON *j = bcws_recv_event(c, WAIT_MS);
        if (!j) break;
        ev[n++] = j;
        if (!strcmp(bcs_jstr(cJSON_GetObjectItemCaseSensitive(j, "event"), "e"), "listStatus")) return n;
    }
    fail_msg("no listStatus within %d events", n);
    return n;
}

static void free_events(cJSON **ev, int n)
{
    for (int i = 0; i < n; i++) cJSON_Delete(ev[i]);
}

static long long last_cents(fx *f)
{
    bcs_resp r;
    bcs_http(&f->m, "GET", "/api/v3/ticker/price?symbol=BTCUSDT", NULL, NULL, &r);
    long long v = llround(atof(bcs_jstr(r.json, "price")) * 100);
    bcs_resp_free(&r);
    assert_true(v > 0);
    return v;
}

/* Quantity (units of 1e-5 BTC) resting on BTCUSDT asks at or below px cents:
 * a BUY of that much more than alice's order at px surely reaches hers. */
static long long asks_upto(const bcs_mock *m, long long px)
{
    bcs_resp r;
    bcs_http(m, "GET", "/api/v3/depth?symbol=BTCUSDT&limit=100", NULL, NULL, &r);
    long long q = 0;
    const cJSON *lv;
    cJSON_ArrayForEach(lv, cJSON_GetObjectItemCaseSensitive(r.json, "asks")) {
        if (llround(atof(cJSON_GetArrayItem(lv, 0)->valuestring) * 100) > px) break;
        q += llround(atof(cJSON_GetArrayItem(lv, 1)->valuestring) * 1e5);
    }
    bcs_resp_free(&r);
    return q;
}

static const char *const LS_KEYS[] = { "e", "E", "s", "g", "c", "l", "L", "r", "C", "T", "O", NULL };

static void check_list_status(const cJSON *ev, double lid, const char *l, const char *L, const char *cid,
                              const cJSON *orders)
{
    bcs_assert_keys(ev, LS_KEYS);
    assert_string_equal(bcs_jstr(ev, "s"), "BTCUSDT");
    assert_true(bcs_jnum(ev, "g") == lid);
    assert_string_equal(bcs_jstr(ev, "c"), "OCO");
    assert_string_equal(bcs_jstr(ev, "l"), l);
    assert_string_equal(bcs_jstr(ev, "L"), L);
    assert_string_equal(bcs_jstr(ev, "r"), "NONE");
    assert_string_equal(bcs_jstr(ev, "C"), cid);
    const cJSON *O = cJSON_GetObjectItemCaseSensitive(ev, "O");
    assert_int_equal(cJSON_GetArraySize(O), 2);
    static const char *const o_keys[] = { "s", "i", "c", NULL };
    for (int i = 0; i < 2; i++) {
        const cJSON *x = cJSON_GetArrayItem(O, i), *y = cJSON_GetArrayItem(orders, i);
        bcs_assert_keys(x, o_keys);
        assert_true(bcs_jnum(x, "i") == bcs_jnum(y, "orderId"));
        assert_string_equal(bcs_jstr(x, "c"), bcs_jstr(y, "clientOrderId"));
    }
}

static void test_oco_over_ws_with_events(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    long long last = last_cents(f);
    char fr[1024];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"orderList.place.oco\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"SELL\",\"quantity\":\"0.01\",\"listClientOrderId\":\"ws-oco\",\"aboveType\":\"LIMIT_MAKER\","
             "\"abovePrice\":\"%.2f\",\"belowType\":\"STOP_LOSS\",\"belowStopPrice\":\"%.2f\",\"timestamp\":%lld}}",
             (double)(last * 11 / 10) / 100, (double)(last * 9 / 10) / 100, (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    const cJSON *res = bcs_ws_ok(r);
    assert_string_equal(bcs_jstr(res, "listStatusType"), "EXEC_STARTED");
    double lid = bcs_jnum(res, "orderListId");
    cJSON *orders = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(res, "orders"), 1);
    cJSON_Delete(r);

    cJSON *ev[16];
    int n = events_until_list_status(c, ev, 16);
    int reports = 0;
    for (int i = 0; i < n - 1; i++) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev[i], "event");
        if (strcmp(bcs_jstr(e, "e"), "executionReport")) continue;
        reports++;
        assert_true(bcs_jnum(e, "g") == lid);
        assert_string_equal(bcs_jstr(e, "x"), "NEW");
    }
    assert_int_equal(reports, 2);
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(ev[n - 1], "event");
    check_list_status(ls, lid, "EXEC_STARTED", "EXECUTING", "ws-oco", orders);
    assert_true(bcs_jnum(ls, "T") == (double)f->now_ms && bcs_jnum(ls, "E") == (double)f->now_ms);
    free_events(ev, n);

    snprintf(fr, sizeof fr, "{\"id\":2,\"method\":\"orderList.status\",\"params\":{\"orderListId\":%.0f,"
             "\"timestamp\":%lld}}", lid, (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_string_equal(bcs_jstr(bcs_ws_ok(r), "listClientOrderId"), "ws-oco");
    cJSON_Delete(r);
    snprintf(fr, sizeof fr, "{\"id\":3,\"method\":\"openOrderLists.status\",\"params\":{\"timestamp\":%lld}}",
             (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_int_equal(cJSON_GetArraySize(bcs_ws_ok(r)), 1);
    cJSON_Delete(r);

    snprintf(fr, sizeof fr, "{\"id\":4,\"method\":\"orderList.cancel\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"listClientOrderId\":\"ws-oco\",\"newClientOrderId\":\"ws-oco-x\",\"timestamp\":%lld}}",
             (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_string_equal(bcs_jstr(bcs_ws_ok(r), "listOrderStatus"), "ALL_DONE");
    cJSON_Delete(r);
    n = events_until_list_status(c, ev, 16);
    reports = 0;
    for (int i = 0; i < n - 1; i++) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev[i], "event");
        if (!strcmp(bcs_jstr(e, "e"), "executionReport")) {
            reports++;
            assert_string_equal(bcs_jstr(e, "X"), "CANCELED");
            assert_string_equal(bcs_jstr(e, "c"), "ws-oco-x");          /* the cancel's id; C = the leg's own */
            assert_string_equal(bcs_jstr(e, "C"), bcs_jstr(cJSON_GetArrayItem(orders, reports - 1), "clientOrderId"));
        }
    }
    assert_int_equal(reports, 2);
    check_list_status(cJSON_GetObjectItemCaseSensitive(ev[n - 1], "event"), lid, "ALL_DONE", "ALL_DONE", "ws-oco",
                      orders);
    free_events(ev, n);
    cJSON_Delete(orders);

    snprintf(fr, sizeof fr, "{\"id\":5,\"method\":\"allOrderLists\",\"params\":{\"timestamp\":%lld}}",
             (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(bcs_ws_ok(r), 0), "listOrderStatus"), "ALL_DONE");
    cJSON_Delete(r);
    /* the same errors as REST: the list is gone */
    snprintf(fr, sizeof fr, "{\"id\":6,\"method\":\"orderList.cancel\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"orderListId\":%.0f,\"timestamp\":%lld}}", lid, (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    assert_int_equal((int)bcs_jnum(e, "code"), -2011);
    assert_string_equal(bcs_jstr(e, "msg"), me_text(ME_UNKNOWN_ORDER));
    cJSON_Delete(r);
    bcws_close(c);
}

static void test_deprecated_oco_over_ws(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    long long last = last_cents(f);
    char fr[1024];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"orderList.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"quantity\":\"0.01\",\"price\":\"%.2f\",\"stopPrice\":\"%.2f\","
             "\"stopLimitPrice\":\"%.2f\",\"stopLimitTimeInForce\":\"GTC\",\"newOrderRespType\":\"RESULT\","
             "\"timestamp\":%lld}}", (double)(last * 9 / 10) / 100, (double)(last * 11 / 10) / 100,
             (double)(last * 12 / 10) / 100, (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    const cJSON *res = bcs_ws_ok(r);
    const cJSON *rep = cJSON_GetObjectItemCaseSensitive(res, "orderReports");
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(rep, 0), "type"), "STOP_LOSS_LIMIT");
    assert_string_equal(bcs_jstr(cJSON_GetArrayItem(rep, 1), "type"), "LIMIT_MAKER");
    assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rep, 1), "fills"));
    cJSON_Delete(r);
    /* the order-count headers of REST are rateLimits here: two orders counted */
    snprintf(fr, sizeof fr, "{\"id\":2,\"method\":\"account.rateLimits.orders\",\"params\":{\"timestamp\":%lld}}",
             (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    const cJSON *lim;
    int counted = 0;
    cJSON_ArrayForEach(lim, bcs_ws_ok(r)) if (!strcmp(bcs_jstr(lim, "interval"), "DAY")) counted = (int)bcs_jnum(lim, "count");
    assert_true(counted >= 2);
    cJSON_Delete(r);
    bcws_close(c);
}

/* bob (REST) buys alice's LIMIT_MAKER leg: alice's session sees the stop
 * leg EXPIRED with eR OCO_TRIGGER, the maker leg's TRADE / FILLED, then
 * listStatus ALL_DONE. */
static void test_oco_trigger_events(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws_user(f, WAIT_MS);
    bcs_resp r;
    bcs_http(&f->m, "GET", "/api/v3/ticker/bookTicker?symbol=BTCUSDT", NULL, NULL, &r);
    long long bid = llround(atof(bcs_jstr(r.json, "bidPrice")) * 100), ask = llround(atof(bcs_jstr(r.json, "askPrice")) * 100);
    bcs_resp_free(&r);
    long long last = last_cents(f), px = ask - 1 > last ? ask - 1 : last + 1;
    assert_true(px > bid);
    char fr[1024];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"orderList.place.oco\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"SELL\",\"quantity\":\"0.01\",\"aboveType\":\"LIMIT_MAKER\",\"abovePrice\":\"%.2f\","
             "\"belowType\":\"STOP_LOSS\",\"belowStopPrice\":\"%.2f\",\"timestamp\":%lld}}",
             (double)px / 100, (double)(last * 9 / 10) / 100, (long long)f->now_ms);
    cJSON *res = bcws_call(c, fr, WAIT_MS);
    double lid = bcs_jnum(bcs_ws_ok(res), "orderListId");
    double stop = bcs_jnum(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(bcs_ws_ok(res), "orders"), 0), "orderId");
    cJSON_Delete(res);
    cJSON *ev[24];
    int n = events_until_list_status(c, ev, 24);              /* the placement's */
    free_events(ev, n);
    sig_key *bob = bcs_key("bob-hmac.secret");
    char q[512];
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=%.5f&price=%.2f&timestamp=%lld",
             (double)(asks_upto(&f->m, px) - 1000) / 1e5 + 0.01, (double)px / 100, (long long)f->now_ms);
    assert_int_equal(bcs_signed(&f->m, "POST", "/api/v3/order", bob, bcs_api_key("bob-hmac.secret"), q, NULL, 0,
                                NULL, &r), 0);
    sig_key_free(bob);
    assert_string_equal(bcs_jstr(r.json, "status"), "FILLED");
    bcs_resp_free(&r);
    n = events_until_list_status(c, ev, 24);
    int expired = 0, filled = 0;
    for (int i = 0; i < n - 1; i++) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev[i], "event");
        if (strcmp(bcs_jstr(e, "e"), "executionReport")) continue;
        assert_true(bcs_jnum(e, "g") == lid);
        if (bcs_jnum(e, "i") == stop) {
            assert_string_equal(bcs_jstr(e, "x"), "EXPIRED");
            assert_string_equal(bcs_jstr(e, "X"), "EXPIRED");
            assert_string_equal(bcs_jstr(e, "eR"), "OCO_TRIGGER");
            expired++;
        } else if (!strcmp(bcs_jstr(e, "X"), "FILLED")) {
            assert_string_equal(bcs_jstr(e, "x"), "TRADE");
            filled++;
        }
    }
    assert_int_equal(expired, 1);
    assert_int_equal(filled, 1);
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(ev[n - 1], "event");
    assert_string_equal(bcs_jstr(ls, "l"), "ALL_DONE");
    assert_string_equal(bcs_jstr(ls, "L"), "ALL_DONE");
    free_events(ev, n);
    bcws_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oco_over_ws_with_events),
        cmocka_unit_test(test_deprecated_oco_over_ws),
        cmocka_unit_test(test_oco_trigger_events),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
