/* server_orderlist: order lists over REST on the real binance-mock - OCO
 * (new and deprecated), OTO, OTOCO, OPO, OPOCO placement shapes, the legs'
 * statuses, contingencies after another account (bob) trades against a leg
 * (OCO: the other leg EXPIRED with OCO_TRIGGER; OTO: the pending leg goes
 * live; OPO: its quantity is what the working order received), cancel,
 * the queries, balances, and every list error with its exact code/message.
 * Frozen clock; alice signs with hmac.secret, bob with bob-hmac.secret. */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "bcs_test.h"

typedef struct ctx { bcs_fx *fx; sig_key *bob; const char *bob_key; } ctx;

static int setup(void **state)
{
    void *fx = NULL;
    if (bcs_fx_start_signed(&fx, "hmac.secret")) return -1;
    ctx *c = calloc(1, sizeof *c);
    c->fx = fx;
    c->bob = bcs_key("bob-hmac.secret");
    c->bob_key = bcs_api_key("bob-hmac.secret");
    *state = c;
    return c->bob && c->bob_key ? 0 : -1;
}

static int teardown(void **state)
{
    ctx *c = *state;
    if (!c) return 0;
    void *fx = c->fx;
    sig_key_free(c->bob);
    free(c);
    return bcs_fx_stop(&fx);
}

static void call(ctx *c, const char *method, const char *path, const char *params, bcs_resp *r)
{
    bcs_fx_call(c->fx, method, path, params, NULL, r);
}

static void call_bob(ctx *c, const char *method, const char *path, const char *params, bcs_resp *r)
{
    char q[2048];
    snprintf(q, sizeof q, "%s&timestamp=%lld", params, (long long)c->fx->now_ms);
    assert_int_equal(bcs_signed(&c->fx->m, method, path, c->bob, c->bob_key, q, NULL, 0, NULL, r), 0);
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v)) fail_msg("no number %s", k);
    return v->valuedouble;
}

static const char *const LIST_KEYS[] = { "orderListId", "contingencyType", "listStatusType", "listOrderStatus",
    "listClientOrderId", "transactionTime", "symbol", "orders", NULL };
static const char *const PLACED_KEYS[] = { "orderListId", "contingencyType", "listStatusType", "listOrderStatus",
    "listClientOrderId", "transactionTime", "symbol", "orders", "orderReports", NULL };

/* Best bid / ask and last price of BTCUSDT, in cents. */
static void market(ctx *c, long long *bid, long long *ask, long long *last)
{
    bcs_resp r;
    bcs_http(&c->fx->m, "GET", "/api/v3/ticker/bookTicker?symbol=BTCUSDT", NULL, NULL, &r);
    *bid = llround(atof(str(r.json, "bidPrice")) * 100);
    *ask = llround(atof(str(r.json, "askPrice")) * 100);
    bcs_resp_free(&r);
    bcs_http(&c->fx->m, "GET", "/api/v3/ticker/price?symbol=BTCUSDT", NULL, NULL, &r);
    *last = llround(atof(str(r.json, "price")) * 100);
    bcs_resp_free(&r);
    assert_true(*bid > 0 && *ask > *bid + 2 && *last > 0);
}

/* free / locked of an asset of alice, in units of 1e-8. */
static void balance(ctx *c, const char *asset, long long *fr, long long *lk)
{
    bcs_resp r;
    call(c, "GET", "/api/v3/account", "", &r);
    assert_int_equal(r.status, 200);
    const cJSON *b;
    *fr = *lk = -1;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(r.json, "balances")) {
        if (strcmp(str(b, "asset"), asset)) continue;
        *fr = llround(atof(str(b, "free")) * 1e8);
        *lk = llround(atof(str(b, "locked")) * 1e8);
    }
    bcs_resp_free(&r);
}

static const cJSON *report(const bcs_resp *r, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r->json, "orderReports"), i);
}

static const char *order_status(ctx *c, double id, bcs_resp *q)
{
    char p[128];
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderId=%.0f", id);
    call(c, "GET", "/api/v3/order", p, q);
    assert_int_equal(q->status, 200);
    return str(q->json, "status");
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

#define CENTS(x) (double)(x) / 100.0

static void test_oco_place_query_cancel(void **state)
{
    ctx *c = *state;
    long long bid, ask, last, f0, l0, f1, l1;
    market(c, &bid, &ask, &last);
    balance(c, "BTC", &f0, &l0);
    char p[512];
    snprintf(p, sizeof p, "symbol=BTCUSDT&side=SELL&quantity=0.01&listClientOrderId=oco-1&aboveType=LIMIT_MAKER"
             "&abovePrice=%.2f&aboveClientOrderId=oco-1-lm&belowType=STOP_LOSS_LIMIT&belowStopPrice=%.2f"
             "&belowPrice=%.2f&belowTimeInForce=GTC&newOrderRespType=RESULT",
             CENTS(last * 11 / 10), CENTS(last * 9 / 10), CENTS(last * 89 / 100));
    bcs_resp r, q;
    call(c, "POST", "/api/v3/orderList/oco", p, &r);
    assert_int_equal(r.status, 200);
    bcs_assert_keys(r.json, PLACED_KEYS);
    assert_string_equal(str(r.json, "contingencyType"), "OCO");
    assert_string_equal(str(r.json, "listStatusType"), "EXEC_STARTED");
    assert_string_equal(str(r.json, "listOrderStatus"), "EXECUTING");
    assert_string_equal(str(r.json, "listClientOrderId"), "oco-1");
    assert_true(num(r.json, "transactionTime") == (double)c->fx->now_ms);
    double lid = num(r.json, "orderListId");
    /* the stop-loss leg first, then the limit maker (rest-api.md samples) */
    const cJSON *o0 = report(&r, 0), *o1 = report(&r, 1);
    static const char *const stop_keys[] = { "symbol", "orderId", "orderListId", "clientOrderId", "transactTime",
        "price", "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status", "timeInForce",
        "type", "side", "stopPrice", "workingTime", "selfTradePreventionMode", NULL };
    bcs_assert_keys(o0, stop_keys);
    assert_string_equal(str(o0, "type"), "STOP_LOSS_LIMIT");
    assert_true(num(o0, "workingTime") == -1);
    assert_string_equal(str(o1, "type"), "LIMIT_MAKER");
    assert_string_equal(str(o1, "clientOrderId"), "oco-1-lm");
    assert_true(num(o0, "orderListId") == lid && num(o1, "orderListId") == lid);
    assert_string_equal(str(o0, "status"), "NEW");
    assert_string_equal(str(o1, "status"), "NEW");
    const cJSON *ord = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "orders"), 1);
    static const char *const ref_keys[] = { "symbol", "orderId", "clientOrderId", NULL };
    bcs_assert_keys(ord, ref_keys);
    double lm_id = num(o1, "orderId"), st_id = num(o0, "orderId");
    /* one lock for the pair */
    balance(c, "BTC", &f1, &l1);
    assert_true(l1 - l0 == 1000000 && f0 - f1 == 1000000);
    bcs_resp_free(&r);

    snprintf(p, sizeof p, "orderListId=%.0f", lid);
    call(c, "GET", "/api/v3/orderList", p, &q);
    assert_int_equal(q.status, 200);
    bcs_assert_keys(q.json, LIST_KEYS);
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/orderList", "origClientOrderId=oco-1", &q);
    assert_true(num(q.json, "orderListId") == lid);
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/openOrderList", "", &q);
    assert_int_equal(cJSON_GetArraySize(q.json), 1);
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=oco-1-lm", &q);
    assert_true(num(q.json, "orderListId") == lid);
    bcs_resp_free(&q);

    call(c, "DELETE", "/api/v3/orderList", "symbol=BTCUSDT&listClientOrderId=oco-1&newClientOrderId=oco-1-x", &q);
    assert_int_equal(q.status, 200);
    bcs_assert_keys(q.json, PLACED_KEYS);
    assert_string_equal(str(q.json, "listStatusType"), "ALL_DONE");
    assert_string_equal(str(q.json, "listOrderStatus"), "ALL_DONE");
    static const char *const cancel_keys[] = { "symbol", "origClientOrderId", "orderId", "orderListId",
        "clientOrderId", "transactTime", "price", "origQty", "executedQty", "origQuoteOrderQty",
        "cummulativeQuoteQty", "status", "timeInForce", "type", "side", "stopPrice", "selfTradePreventionMode", NULL };
    bcs_assert_keys(report(&q, 0), cancel_keys);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(str(report(&q, i), "status"), "CANCELED");
        assert_string_equal(str(report(&q, i), "clientOrderId"), "oco-1-x");
    }
    bcs_resp_free(&q);
    assert_string_equal(order_status(c, lm_id, &q), "CANCELED");
    bcs_resp_free(&q);
    assert_string_equal(order_status(c, st_id, &q), "CANCELED");
    bcs_resp_free(&q);
    balance(c, "BTC", &f1, &l1);
    assert_true(f1 == f0 && l1 == l0);
    call(c, "DELETE", "/api/v3/orderList", "symbol=BTCUSDT&listClientOrderId=oco-1", &q);
    bcs_assert_err(&q, ERR_CANCEL_REJECTED, me_text(ME_UNKNOWN_ORDER), NULL);
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/openOrderList", "", &q);
    assert_int_equal(cJSON_GetArraySize(q.json), 0);
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/allOrderList", "", &q);
    assert_true(cJSON_GetArraySize(q.json) >= 1);
    assert_string_equal(str(cJSON_GetArrayItem(q.json, 0), "listOrderStatus"), "ALL_DONE");
    bcs_resp_free(&q);
}

/* A BUY pair locks once, the larger need of its legs (here the stop-limit's
 * price x qty, not the limit maker's). */
static void test_buy_oco_locks_larger_leg(void **state)
{
    ctx *c = *state;
    long long bid, ask, last, f0, l0, f1, l1;
    market(c, &bid, &ask, &last);
    balance(c, "USDT", &f0, &l0);
    long long lm = last * 9 / 10, stop = last * 11 / 10, lim = last * 112 / 100;
    char p[512];
    snprintf(p, sizeof p, "symbol=BTCUSDT&side=BUY&quantity=0.01&aboveType=STOP_LOSS_LIMIT&aboveStopPrice=%.2f"
             "&abovePrice=%.2f&aboveTimeInForce=GTC&belowType=LIMIT_MAKER&belowPrice=%.2f",
             CENTS(stop), CENTS(lim), CENTS(lm));
    bcs_resp r;
    call(c, "POST", "/api/v3/orderList/oco", p, &r);
    assert_int_equal(r.status, 200);
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderListId=%.0f", num(r.json, "orderListId"));
    bcs_resp_free(&r);
    balance(c, "USDT", &f1, &l1);
    assert_true(l1 - l0 == lim * 10000 && f0 - f1 == lim * 10000);
    call(c, "DELETE", "/api/v3/orderList", p, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    balance(c, "USDT", &f1, &l1);
    assert_true(f1 == f0 && l1 == l0);
}

/* bob buys alice's LIMIT_MAKER leg: it fills, the stop leg expires (OCO_TRIGGER). */
static void test_oco_fill_expires_other_leg(void **state)
{
    ctx *c = *state;
    long long bid, ask, last, bf0, bl0, bf1, bl1;
    market(c, &bid, &ask, &last);
    long long px = ask - 1 > last ? ask - 1 : last + 1;
    assert_true(px > bid);
    balance(c, "BTC", &bf0, &bl0);
    char p[512];
    snprintf(p, sizeof p, "symbol=BTCUSDT&side=SELL&quantity=0.01000&price=%.2f&stopPrice=%.2f",
             CENTS(px), CENTS(last * 9 / 10));
    bcs_resp r, q;
    call(c, "POST", "/api/v3/order/oco", p, &r);       /* the deprecated OCO: FULL shape */
    assert_int_equal(r.status, 200);
    assert_string_equal(str(report(&r, 0), "type"), "STOP_LOSS");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(report(&r, 1), "fills"));
    double lid = num(r.json, "orderListId"), st = num(report(&r, 0), "orderId"), lm = num(report(&r, 1), "orderId");
    bcs_resp_free(&r);
    snprintf(p, sizeof p, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=%.5f&price=%.2f",
             (double)(asks_upto(&c->fx->m, px) - 1000) / 1e5 + 0.01, CENTS(px));
    call_bob(c, "POST", "/api/v3/order", p, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "status"), "FILLED");
    bcs_resp_free(&r);
    assert_string_equal(order_status(c, lm, &q), "FILLED");
    bcs_resp_free(&q);
    assert_string_equal(order_status(c, st, &q), "EXPIRED");
    assert_string_equal(str(q.json, "expiryReason"), "OCO_TRIGGER");
    bcs_resp_free(&q);
    snprintf(p, sizeof p, "orderListId=%.0f", lid);
    call(c, "GET", "/api/v3/orderList", p, &q);
    assert_string_equal(str(q.json, "listOrderStatus"), "ALL_DONE");
    bcs_resp_free(&q);
    balance(c, "BTC", &bf1, &bl1);
    assert_true(bl1 == bl0 && bf0 - bf1 == 1000000);  /* sold 0.01 once, nothing left locked */
    call(c, "GET", "/api/v3/myTrades", "symbol=BTCUSDT&limit=1", &q);
    assert_true(num(cJSON_GetArrayItem(q.json, 0), "orderListId") == lid);
    bcs_resp_free(&q);
}

/* OTO: the pending leg waits (PENDING_NEW) until bob fills the working order. */
static void test_oto_pending_goes_live(void **state)
{
    ctx *c = *state;
    long long bid, ask, last;
    market(c, &bid, &ask, &last);
    long long wpx = bid + 1;
    char p[512];
    snprintf(p, sizeof p, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingPrice=%.2f&workingQuantity=0.01"
             "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice=%.2f"
             "&pendingQuantity=0.005&newOrderRespType=RESULT", CENTS(wpx), CENTS(ask * 12 / 10));
    bcs_resp r, q;
    call(c, "POST", "/api/v3/orderList/oto", p, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "contingencyType"), "OTO");
    assert_string_equal(str(report(&r, 0), "status"), "NEW");
    assert_string_equal(str(report(&r, 1), "status"), "PENDING_NEW");
    assert_true(num(report(&r, 1), "workingTime") == -1);
    double lid = num(r.json, "orderListId"), pend = num(report(&r, 1), "orderId");
    bcs_resp_free(&r);
    assert_string_equal(order_status(c, pend, &q), "PENDING_NEW");
    bcs_resp_free(&q);
    snprintf(p, sizeof p, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=0.01&price=%.2f", CENTS(wpx));
    call_bob(c, "POST", "/api/v3/order", p, &r);
    assert_string_equal(str(r.json, "status"), "FILLED");
    bcs_resp_free(&r);
    assert_string_equal(order_status(c, pend, &q), "NEW");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(q.json, "isWorking")));
    bcs_resp_free(&q);
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderListId=%.0f", lid);
    call(c, "DELETE", "/api/v3/orderList", p, &q);
    assert_int_equal(q.status, 200);
    assert_string_equal(str(report(&q, 0), "status"), "FILLED");
    assert_string_equal(str(report(&q, 1), "status"), "CANCELED");
    bcs_resp_free(&q);
}

/* OPO: the pending SELL's quantity is what the working BUY received. */
static void test_opo_quantity_from_working(void **state)
{
    ctx *c = *state;
    long long bid, ask, last, f0, l0, f1, l1;
    market(c, &bid, &ask, &last);
    long long wpx = bid + 1;
    char p[512];
    snprintf(p, sizeof p, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingPrice=%.2f&workingQuantity=0.01"
             "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice=%.2f"
             "&newOrderRespType=RESULT", CENTS(wpx), CENTS(ask * 12 / 10));
    bcs_resp r, q;
    call(c, "POST", "/api/v3/orderList/opo", p, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "contingencyType"), "OTO");
    assert_null(cJSON_GetObjectItemCaseSensitive(report(&r, 1), "origQty"));   /* rest-api.md sample */
    double pend = num(report(&r, 1), "orderId");
    bcs_resp_free(&r);
    balance(c, "BTC", &f0, &l0);
    snprintf(p, sizeof p, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=0.01&price=%.2f", CENTS(wpx));
    call_bob(c, "POST", "/api/v3/order", p, &r);
    assert_string_equal(str(r.json, "status"), "FILLED");
    bcs_resp_free(&r);
    /* received 0.01 - 0.1% commission = 0.00999, all of it for the pending SELL */
    assert_string_equal(order_status(c, pend, &q), "NEW");
    assert_string_equal(str(q.json, "origQty"), "0.00999000");
    bcs_resp_free(&q);
    balance(c, "BTC", &f1, &l1);
    assert_true(l1 - l0 == 999000 && f1 == f0);
    call(c, "DELETE", "/api/v3/openOrders", "symbol=BTCUSDT", &q);   /* cancels the list too */
    assert_int_equal(q.status, 200);
    bcs_resp_free(&q);
    call(c, "GET", "/api/v3/openOrderList", "", &q);
    assert_int_equal(cJSON_GetArraySize(q.json), 0);
    bcs_resp_free(&q);
}

static void test_otoco_opoco_shapes(void **state)
{
    ctx *c = *state;
    long long bid, ask, last;
    market(c, &bid, &ask, &last);
    char p[768];
    const char *paths[2] = { "/api/v3/orderList/otoco", "/api/v3/orderList/opoco" };
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof p, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingPrice=%.2f"
                 "&workingQuantity=0.01&workingTimeInForce=GTC&pendingSide=SELL%s&pendingAboveType=LIMIT_MAKER"
                 "&pendingAbovePrice=%.2f&pendingBelowType=STOP_LOSS&pendingBelowStopPrice=%.2f",
                 CENTS(bid * 9 / 10), k ? "" : "&pendingQuantity=0.01", CENTS(ask * 12 / 10), CENTS(bid * 8 / 10));
        bcs_resp r, q;
        call(c, "POST", paths[k], p, &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "orders")), 3);
        assert_string_equal(str(report(&r, 0), "type"), "LIMIT");
        assert_string_equal(str(report(&r, 1), "type"), "STOP_LOSS");
        assert_string_equal(str(report(&r, 2), "type"), "LIMIT_MAKER");
        assert_string_equal(str(report(&r, 1), "status"), "PENDING_NEW");
        assert_string_equal(str(report(&r, 2), "status"), "PENDING_NEW");
        snprintf(p, sizeof p, "symbol=BTCUSDT&orderListId=%.0f", num(r.json, "orderListId"));
        bcs_resp_free(&r);
        call(c, "DELETE", "/api/v3/orderList", p, &q);
        for (int i = 0; i < 3; i++) assert_string_equal(str(report(&q, i), "status"), "CANCELED");
        bcs_resp_free(&q);
    }
}

/* "symbol=BTCUSDT&" + tmpl with {HI} {LO} {LO2} replaced. */
static void subst(char *out, size_t n, const char *tmpl, const char *hi, const char *lo, const char *lo2)
{
    size_t k = (size_t)snprintf(out, n, "symbol=BTCUSDT&");
    for (const char *t = tmpl; *t && k + 32 < n;) {
        const char *v = !strncmp(t, "{HI}", 4) ? hi : !strncmp(t, "{LO}", 4) ? lo : !strncmp(t, "{LO2}", 5) ? lo2 : NULL;
        if (v) { k += (size_t)snprintf(out + k, n - k, "%s", v); t += v == lo2 ? 5 : 4; }
        else out[k++] = *t++;
    }
    out[k] = '\0';
}

/* Canceling the PENDING_NEW leg alone cancels the whole list. */
static void test_cancel_pending_leg_cancels_list(void **state)
{
    ctx *c = *state;
    long long bid, ask, last;
    market(c, &bid, &ask, &last);
    char p[512];
    snprintf(p, sizeof p, "symbol=BTCUSDT&workingType=LIMIT_MAKER&workingSide=BUY&workingPrice=%.2f"
             "&workingQuantity=0.01&pendingType=MARKET&pendingSide=SELL&pendingQuantity=0.01", CENTS(bid * 9 / 10));
    bcs_resp r, q;
    call(c, "POST", "/api/v3/orderList/oto", p, &r);
    assert_int_equal(r.status, 200);
    double lid = num(r.json, "orderListId"), w = num(report(&r, 0), "orderId"), pend = num(report(&r, 1), "orderId");
    bcs_resp_free(&r);
    snprintf(p, sizeof p, "symbol=BTCUSDT&orderId=%.0f", pend);
    call(c, "DELETE", "/api/v3/order", p, &q);
    assert_int_equal(q.status, 200);
    assert_string_equal(str(q.json, "status"), "CANCELED");
    assert_true(num(q.json, "orderListId") == lid);
    bcs_resp_free(&q);
    assert_string_equal(order_status(c, w, &q), "CANCELED");
    bcs_resp_free(&q);
    snprintf(p, sizeof p, "orderListId=%.0f", lid);
    call(c, "GET", "/api/v3/orderList", p, &q);
    assert_string_equal(str(q.json, "listStatusType"), "ALL_DONE");
    bcs_resp_free(&q);
}

/* A pending stop leg counts against MAX_NUM_ALGO_ORDERS (5 on BNBUSDT)
 * before it is live; a list is refused whole when its legs would exceed it. */
static void test_pending_legs_count_as_orders(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    bcs_http(&c->fx->m, "GET", "/api/v3/ticker/price?symbol=BNBUSDT", NULL, NULL, &r);
    long long last = llround(atof(str(r.json, "price")) * 100);
    bcs_resp_free(&r);
    char p[512];
    for (int i = 0; i < 5; i++) {       /* 4 OCOs (one stop leg each) + 1 OTO with a pending stop */
        if (i < 4)
            snprintf(p, sizeof p, "symbol=BNBUSDT&side=SELL&quantity=0.1&aboveType=LIMIT_MAKER&abovePrice=%.2f"
                     "&belowType=STOP_LOSS&belowStopPrice=%.2f", CENTS(last * 13 / 10), CENTS(last * 7 / 10));
        else
            snprintf(p, sizeof p, "symbol=BNBUSDT&workingType=LIMIT&workingSide=BUY&workingPrice=%.2f"
                     "&workingQuantity=0.1&workingTimeInForce=GTC&pendingType=STOP_LOSS&pendingSide=SELL"
                     "&pendingStopPrice=%.2f&pendingQuantity=0.1", CENTS(last * 8 / 10), CENTS(last * 7 / 10));
        call(c, "POST", i < 4 ? "/api/v3/orderList/oco" : "/api/v3/orderList/oto", p, &r);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    snprintf(p, sizeof p, "symbol=BNBUSDT&side=SELL&type=STOP_LOSS&quantity=0.1&stopPrice=%.2f", CENTS(last * 7 / 10));
    call(c, "POST", "/api/v3/order", p, &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "MAX_NUM_ALGO_ORDERS", NULL);
    bcs_resp_free(&r);
    call(c, "DELETE", "/api/v3/openOrders", "symbol=BNBUSDT", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 5);    /* the 5 lists, each whole */
    const cJSON *x = cJSON_GetArrayItem(r.json, 4);
    bcs_assert_keys(x, PLACED_KEYS);
    assert_string_equal(str(x, "listOrderStatus"), "ALL_DONE");
    assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(x, "orderReports"), 1), "status"),
                        "CANCELED");
    bcs_resp_free(&r);
    call(c, "GET", "/api/v3/openOrderList", "", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    bcs_resp_free(&r);
}

typedef struct bad_case { const char *path, *params; err_id err; const char *a1; me_msg me; } bad_case;

static void test_list_errors(void **state)
{
    ctx *c = *state;
    long long bid, ask, last;
    market(c, &bid, &ask, &last);
    char hi[32], lo[32], lo2[32];
    snprintf(hi, sizeof hi, "%.2f", CENTS(last * 11 / 10));
    snprintf(lo, sizeof lo, "%.2f", CENTS(last * 9 / 10));
    snprintf(lo2, sizeof lo2, "%.2f", CENTS(last * 8 / 10));
    const char *O = "/api/v3/orderList/oco";
    const bad_case cases[] = {
        { O, "quantity=0.01&side=BUY&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}",
          ERR_BUY_OCO_LIMIT_MUST_BE_BELOW, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=STOP_LOSS&aboveStopPrice={HI}&belowType=LIMIT_MAKER&belowPrice={LO}",
          ERR_SELL_OCO_LIMIT_MUST_BE_ABOVE, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=LIMIT_MAKER&belowPrice={LO}",
          ERR_BOTH_OCO_ORDERS_CANNOT_BE_LIMIT, NULL, 0 },
        { O, "quantity=0.01&side=BUY&aboveType=TAKE_PROFIT&aboveStopPrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}",
          ERR_BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW, NULL, 0 },
        { O, "quantity=0.01&side=BUY&aboveType=TAKE_PROFIT&aboveStopPrice={HI}&belowType=LIMIT_MAKER&belowPrice={LO}",
          ERR_BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW, NULL, 0 },
        { O, "quantity=0.01&side=BUY&aboveType=STOP_LOSS&aboveStopPrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}",
          ERR_BUY_OCO_STOP_LOSS_MUST_BE_ABOVE, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=STOP_LOSS&aboveStopPrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}",
          ERR_SELL_OCO_STOP_LOSS_MUST_BE_BELOW, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=TAKE_PROFIT&aboveStopPrice={HI}&belowType=TAKE_PROFIT&belowStopPrice={LO}",
          ERR_SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT&abovePrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}",
          ERR_OCO_ORDER_TYPE_REJECTED, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT_MAKER&abovePrice={LO}&belowType=STOP_LOSS&belowStopPrice={HI}",
          ERR_NEW_ORDER_REJECTED, NULL, ME_PRICE_RELATIONSHIP },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=STOP_LOSS_LIMIT&belowStopPrice={LO}"
             "&belowPrice={LO2}&belowTimeInForce=IOC&belowIcebergQty=0.002",
          ERR_OCO_ICEBERGQTY_TIMEINFORCE, "belowIcebergQty", 0 },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=STOP_LOSS_LIMIT&belowStopPrice={LO}",
          ERR_MANDATORY_PARAM_NAMED, "belowTimeInForce", 0 },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}"
             "&belowPegPriceType=NOPE", ERR_INVALID_PEG_PRICE_TYPE, NULL, 0 },
        { O, "quantity=0.01&side=SELL&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}"
             "&belowPegPriceType=PRIMARY_PEG&belowPegOffsetType=NOPE", ERR_INVALID_PEG_OFFSET_TYPE, NULL, 0 },
        { O, "side=SELL&quantity=100&aboveType=LIMIT_MAKER&abovePrice={HI}&belowType=STOP_LOSS&belowStopPrice={LO}",
          ERR_NEW_ORDER_REJECTED, NULL, ME_INSUFFICIENT_BALANCE },
        { "/api/v3/orderList/opo", "workingType=LIMIT&workingSide=SELL&workingPrice={HI}&workingQuantity=0.01"
          "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice={HI}",
          ERR_OPO_WORKING_MUST_BE_BUY, NULL, 0 },
        { "/api/v3/orderList/opo", "workingType=LIMIT&workingSide=BUY&workingPrice={LO}&workingQuantity=0.01"
          "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=BUY&pendingPrice={LO2}",
          ERR_OPO_PENDING_MUST_BE_SELL, NULL, 0 },
        { "/api/v3/orderList/opo", "workingType=LIMIT&workingSide=BUY&workingPrice={LO}&workingQuantity=0.01"
          "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice={HI}&pendingQuantity=1",
          ERR_PENDING_PARAM_NOT_REQUIRED, "pendingQuantity", 0 },
        { "/api/v3/orderList/oto", "workingType=MARKET&workingSide=BUY&workingQuantity=0.01"
          "&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice={HI}&pendingQuantity=0.01",
          ERR_INVALID_ORDER_TYPE, NULL, 0 },
        { "/api/v3/order/oco", "quantity=0.01&side=SELL&price={HI}&stopPrice={LO}&stopLimitPrice={LO2}",
          ERR_MANDATORY_PARAM_NAMED, "stopLimitTimeInForce", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char p[600];
        subst(p, sizeof p, cases[i].params, hi, lo, lo2);
        bcs_resp r;
        call(c, "POST", cases[i].path, p, &r);
        if (r.status == 200) fail_msg("case %zu (%s) placed", i, p);
        if (cases[i].err == ERR_NEW_ORDER_REJECTED) bcs_assert_err(&r, cases[i].err, me_text(cases[i].me), NULL);
        else bcs_assert_err(&r, cases[i].err, cases[i].a1, NULL);
        bcs_resp_free(&r);
    }
    bcs_resp r;
    call(c, "GET", "/api/v3/orderList", "", &r);
    bcs_assert_err(&r, ERR_MANDATORY_PARAM_EITHER, "orderListId", "origClientOrderId");
    bcs_resp_free(&r);
    call(c, "GET", "/api/v3/orderList", "orderListId=999999", &r);
    bcs_assert_err(&r, ERR_NO_SUCH_ORDER, NULL, NULL);
    bcs_resp_free(&r);
    call(c, "GET", "/api/v3/openOrderList", "", &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);               /* nothing was placed */
    bcs_resp_free(&r);
}

/* ---- filters: a mock with MAX_NUM_ORDER_LISTS 2 on BTCUSDT and an
 * EXCHANGE_MAX_NUM_ORDER_LISTS 3 exchange filter (a --symbols file) ---- */

static char symbols_path[512];

static int setup_filters(void **state)
{
    char src[512], *dir = bcs_tmpdir();
    snprintf(src, sizeof src, "%s/mock_server/config/symbols.json", getenv("BC_SOURCE_DIR"));
    FILE *f = fopen(src, "rb");
    if (!f || !dir) return -1;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, "\"maxNumOrderLists\": 20");          /* BTCUSDT's */
    if (!at) return -1;
    memcpy(at, "\"maxNumOrderLists\":  2", 22);
    /* ETHBTC (the 4th symbol): no OCO, no OTO, no OPO */
    char *flags = text;
    for (int i = 0; i < 4 && flags; i++) flags = strstr(flags + 1, "\"ocoAllowed\": true, \"otoAllowed\": true, \"opoAllowed\": true");
    if (!flags) return -1;
    memcpy(flags, "\"ocoAllowed\":false, \"otoAllowed\":false, \"opoAllowed\":false", 58);
    snprintf(symbols_path, sizeof symbols_path, "%s/symbols.json", dir);
    free(dir);
    f = fopen(symbols_path, "wb");
    if (!f) return -1;
    fprintf(f, "{ \"exchangeFilters\": [{ \"filterType\": \"EXCHANGE_MAX_NUM_ORDER_LISTS\", \"maxNumOrderLists\": 3 }],%s",
            strchr(text, '{') + 1);
    fclose(f);
    const char *args[] = { "--symbols", symbols_path, NULL };
    void *fx = NULL;
    if (bcs_fx_start(&fx, args, 0)) return -1;
    ctx *c = calloc(1, sizeof *c);
    c->fx = fx;
    c->fx->key = bcs_key("hmac.secret");
    c->fx->api_key = bcs_api_key("hmac.secret");
    c->bob = bcs_key("bob-hmac.secret");
    c->bob_key = bcs_api_key("bob-hmac.secret");
    *state = c;
    return c->fx->key && c->bob ? 0 : -1;
}

static int teardown_filters(void **state)
{
    unlink(symbols_path);
    return teardown(state);
}

static void oco_on(ctx *c, const char *sym, long long last, bcs_resp *r)
{
    char p[512];
    snprintf(p, sizeof p, "symbol=%s&side=SELL&quantity=0.01&aboveType=LIMIT_MAKER&abovePrice=%.2f"
             "&belowType=STOP_LOSS&belowStopPrice=%.2f", sym, CENTS(last * 13 / 10), CENTS(last * 7 / 10));
    call(c, "POST", "/api/v3/orderList/oco", p, r);
}

/* exchangeInfo flags say false where a symbol refuses a list kind. */
static void test_symbol_flags(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    bcs_http(&c->fx->m, "GET", "/api/v3/exchangeInfo?symbol=ETHBTC", NULL, NULL, &r);
    const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "symbols"), 0);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(s, "ocoAllowed")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(s, "opoAllowed")));
    bcs_resp_free(&r);
    call(c, "POST", "/api/v3/orderList/oco", "symbol=ETHBTC&side=SELL&quantity=0.1&aboveType=LIMIT_MAKER"
         "&abovePrice=0.09&belowType=STOP_LOSS&belowStopPrice=0.01", &r);
    bcs_assert_err(&r, ERR_NEW_ORDER_REJECTED, me_text(ME_OCO_NOT_SUPPORTED), NULL);
    bcs_resp_free(&r);
    call(c, "POST", "/api/v3/orderList/opo", "symbol=ETHBTC&workingType=LIMIT&workingSide=BUY&workingPrice=0.01"
         "&workingQuantity=0.1&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice=0.09", &r);
    bcs_assert_err(&r, ERR_NEW_ORDER_REJECTED, me_text(ME_OPO_NOT_SUPPORTED), NULL);
    bcs_resp_free(&r);
    call(c, "POST", "/api/v3/orderList/oto", "symbol=ETHBTC&workingType=LIMIT&workingSide=BUY&workingPrice=0.01"
         "&workingQuantity=0.1&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingSide=SELL&pendingPrice=0.09"
         "&pendingQuantity=0.1", &r);
    bcs_assert_err(&r, ERR_UNSUPPORTED_OPERATION, NULL, NULL);
    bcs_resp_free(&r);
}

static void test_order_list_count_filters(void **state)
{
    ctx *c = *state;
    bcs_resp r;
    bcs_http(&c->fx->m, "GET", "/api/v3/exchangeInfo?symbol=BTCUSDT", NULL, NULL, &r);
    const cJSON *xf = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "exchangeFilters"), 0);
    assert_string_equal(str(xf, "filterType"), "EXCHANGE_MAX_NUM_ORDER_LISTS");
    assert_true(num(xf, "maxNumOrderLists") == 3);
    const cJSON *flt;
    int seen = 0;
    cJSON_ArrayForEach(flt, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json,
                       "symbols"), 0), "filters"))
        if (!strcmp(str(flt, "filterType"), "MAX_NUM_ORDER_LISTS")) seen = (int)num(flt, "maxNumOrderLists");
    assert_int_equal(seen, 2);
    bcs_resp_free(&r);
    long long bid, ask, last;
    market(c, &bid, &ask, &last);
    bcs_http(&c->fx->m, "GET", "/api/v3/ticker/price?symbol=ETHUSDT", NULL, NULL, &r);
    long long eth = llround(atof(str(r.json, "price")) * 100);
    bcs_resp_free(&r);
    for (int i = 0; i < 2; i++) {
        oco_on(c, "BTCUSDT", last, &r);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    oco_on(c, "BTCUSDT", last, &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "MAX_NUM_ORDER_LISTS", NULL);
    bcs_resp_free(&r);
    oco_on(c, "ETHUSDT", eth, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    oco_on(c, "ETHUSDT", eth, &r);
    bcs_assert_err(&r, ERR_FILTER_FAILURE, "EXCHANGE_MAX_NUM_ORDER_LISTS", NULL);
    bcs_resp_free(&r);
    /* a canceled list no longer counts */
    call(c, "DELETE", "/api/v3/openOrders", "symbol=BTCUSDT", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    oco_on(c, "BTCUSDT", last, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oco_place_query_cancel),
        cmocka_unit_test(test_buy_oco_locks_larger_leg),
        cmocka_unit_test(test_oco_fill_expires_other_leg),
        cmocka_unit_test(test_oto_pending_goes_live),
        cmocka_unit_test(test_opo_quantity_from_working),
        cmocka_unit_test(test_otoco_opoco_shapes),
        cmocka_unit_test(test_cancel_pending_leg_cancels_list),
        cmocka_unit_test(test_pending_legs_count_as_orders),
        cmocka_unit_test(test_list_errors),
    };
    const struct CMUnitTest filters[] = {
        cmocka_unit_test(test_order_list_count_filters),
        cmocka_unit_test(test_symbol_flags),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    return failed + cmocka_run_group_tests(filters, setup_filters, teardown_filters);
}
