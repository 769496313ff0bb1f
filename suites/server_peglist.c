/* server_peglist: pegged legs of order lists on the real binance-mock, over
 * REST and the WebSocket API alike (faqs/pegged_orders.md "OCO", "OTO and
 * OTOCO"; rest-api.md: the above, below, working, pending... peg parameters).
 * Each list type places pegged legs and is driven to its contingency (bob
 * trades against a leg, or alice's own sell moves the last price through a
 * stop): the orderReports' price / pegPriceType / pegOffsetType /
 * pegOffsetValue / peggedPrice, the legs' executionReports (gP gOT gOV gp)
 * and listStatus events, the funds locked at the pegged price; then every
 * refusal (-2010 peg texts, -1210/-1211/-1128/-1106/-1100, the OCO price
 * relationship checked at the pegged price) and binance-mock's choice where
 * the docs are silent (a pending pegged leg with no level to enter at). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

typedef struct ctx { bcs_fx *fx; sig_key *bob; const char *bob_key; } ctx;

static int setup(void **state)
{
    void *fx = NULL;
    if (bcs_fx_start(&fx, NULL, 10000)) return -1;
    bcs_fx *f = fx;
    f->key = bcs_key("ed25519.pem");
    f->api_key = bcs_api_key("ed25519.pem");
    ctx *c = calloc(1, sizeof *c);
    if (!c) return -1;
    c->fx = f;
    c->bob = bcs_key("bob-hmac.secret");
    c->bob_key = bcs_api_key("bob-hmac.secret");
    *state = c;
    return f->key && c->bob && c->bob_key ? 0 : -1;
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

static double dnum(const cJSON *o, const char *k) { return atof(bcs_jstr(o, k)); }
static int has(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k) != NULL; }
static int same(double a, double b) { return fabs(a - b) < 1e-9; }

/* Price (qty: quantity) of level i (0 = best) of BTCUSDT's bids or asks. */
static double level(ctx *c, const char *side, int i, double *qty)
{
    bcs_resp r;
    assert_int_equal(bcs_http(&c->fx->m, "GET", "/api/v3/depth?symbol=BTCUSDT&limit=20", NULL, NULL, &r), 0);
    const cJSON *lv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, side), i);
    assert_non_null(lv);
    double p = atof(cJSON_GetArrayItem(lv, 0)->valuestring);
    if (qty) *qty = atof(cJSON_GetArrayItem(lv, 1)->valuestring);
    bcs_resp_free(&r);
    return p;
}

static double last_price(ctx *c)
{
    bcs_resp r;
    bcs_http(&c->fx->m, "GET", "/api/v3/ticker/price?symbol=BTCUSDT", NULL, NULL, &r);
    double v = dnum(r.json, "price");
    bcs_resp_free(&r);
    return v;
}

/* alice's free / locked of an asset. */
static void balance(ctx *c, const char *asset, double *fr, double *lk)
{
    bcs_resp r;
    bcs_fx_call(c->fx, "GET", "/api/v3/account", "", NULL, &r);
    assert_int_equal(r.status, 200);
    const cJSON *b;
    *fr = *lk = -1;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(r.json, "balances"))
        if (!strcmp(bcs_jstr(b, "asset"), asset)) { *fr = dnum(b, "free"); *lk = dnum(b, "locked"); }
    bcs_resp_free(&r);
}

static void call_bob(ctx *c, const char *method, const char *path, const char *params, bcs_resp *r)
{
    char q[2048];
    snprintf(q, sizeof q, "%s&timestamp=%lld", params, (long long)c->fx->now_ms);
    assert_int_equal(bcs_signed(&c->fx->m, method, path, c->bob, c->bob_key, q, NULL, 0, NULL, r), 0);
}

/* "a=1&b=x" as a WS API params object (string values) plus timestamp. */
static void ws_params(char *out, size_t n, const char *qs, long long ts)
{
    size_t o = (size_t)snprintf(out, n, "{");
    const char *p = qs;
    while (*p && o < n) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p), *eq = memchr(p, '=', (size_t)(end - p));
        assert_non_null(eq);
        o += (size_t)snprintf(out + o, n - o, "\"%.*s\":\"%.*s\",", (int)(eq - p), p, (int)(end - eq - 1), eq + 1);
        p = amp ? amp + 1 : end;
    }
    snprintf(out + o, n - o, "\"timestamp\":%lld}", ts);
}

/* Place a list over REST (path) or the WS API (method); the list JSON, or
 * NULL with *code set on an error. */
static cJSON *place(ctx *c, bcws *ws, const char *path, const char *method, const char *qs, int *code,
                    char *msg, size_t msgn)
{
    *code = 0;
    if (!ws) {
        bcs_resp r;
        bcs_fx_call(c->fx, "POST", path, qs, NULL, &r);
        cJSON *out = NULL;
        if (r.status == 200) out = cJSON_Duplicate(r.json, 1);
        else {
            *code = bcs_code(&r);
            snprintf(msg, msgn, "%s", bcs_msg(&r));
        }
        bcs_resp_free(&r);
        return out;
    }
    char params[4096], fr[4600];
    ws_params(params, sizeof params, qs, (long long)c->fx->now_ms);
    snprintf(fr, sizeof fr, "{\"id\":7,\"method\":\"%s\",\"params\":%s}", method, params);
    cJSON *r = bcws_call(ws, fr, WAIT_MS);
    assert_non_null(r);
    cJSON *out = NULL;
    if (bcs_jnum(r, "status") == 200) out = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(r, "result"), 1);
    else {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
        *code = (int)bcs_jnum(e, "code");
        snprintf(msg, msgn, "%s", bcs_jstr(e, "msg"));
    }
    cJSON_Delete(r);
    return out;
}

static cJSON *place_ok(ctx *c, bcws *ws, const char *path, const char *method, const char *qs)
{
    int code;
    char msg[256];
    cJSON *l = place(c, ws, path, method, qs, &code, msg, sizeof msg);
    if (!l) fail_msg("%s refused: %d %s", qs, code, msg);
    return l;
}

static const cJSON *rep(const cJSON *l, int i)
{
    const cJSON *o = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(l, "orderReports"), i);
    assert_non_null(o);
    return o;
}

/* The next user event of type e (others skipped). */
static cJSON *next_event(bcws *ws, const char *e)
{
    for (int i = 0; i < 200; i++) {
        cJSON *ev = bcws_recv_event(ws, WAIT_MS);
        assert_non_null(ev);
        cJSON *x = cJSON_DetachItemFromObjectCaseSensitive(ev, "event");
        cJSON_Delete(ev);
        if (x && !strcmp(bcs_jstr(x, "e"), e)) return x;
        cJSON_Delete(x);
    }
    fail_msg("no %s event", e);
    return NULL;
}

/* The next executionReport of order oid with execution type x and, if
 * X, order status X (others skipped). */
static cJSON *next_report_x(bcws *ws, double oid, const char *x, const char *X)
{
    for (int i = 0; i < 200; i++) {
        cJSON *e = next_event(ws, "executionReport");
        if (bcs_jnum(e, "i") == oid && !strcmp(bcs_jstr(e, "x"), x) && (!X || !strcmp(bcs_jstr(e, "X"), X)))
            return e;
        cJSON_Delete(e);
    }
    fail_msg("no %s report of %.0f", x, oid);
    return NULL;
}

static cJSON *next_report(bcws *ws, double oid, const char *x) { return next_report_x(ws, oid, x, NULL); }

/* A pegged leg's fields in a response: price (the sent one, 0 if none),
 * pegPriceType, the offset if any, peggedPrice once priced (pegged < 0: not yet). */
static void assert_peg_fields(const cJSON *o, const char *type, int offset, double pegged)
{
    assert_string_equal(bcs_jstr(o, "price"), "0.00000000");
    assert_string_equal(bcs_jstr(o, "pegPriceType"), type);
    if (offset >= 0) {
        assert_string_equal(bcs_jstr(o, "pegOffsetType"), "PRICE_LEVEL");
        assert_int_equal((int)bcs_jnum(o, "pegOffsetValue"), offset);
    } else assert_false(has(o, "pegOffsetType") || has(o, "pegOffsetValue"));
    if (pegged < 0) assert_false(has(o, "peggedPrice"));
    else if (!same(dnum(o, "peggedPrice"), pegged)) fail_msg("peggedPrice %s, want %.8f", bcs_jstr(o, "peggedPrice"), pegged);
}

/* The same in an executionReport: gP, gOT/gOV, gp; p is the sent price. */
static void assert_peg_event(const cJSON *e, double lid, const char *type, int offset, double pegged)
{
    assert_true(bcs_jnum(e, "g") == lid);
    assert_string_equal(bcs_jstr(e, "p"), "0.00000000");
    assert_string_equal(bcs_jstr(e, "gP"), type);
    if (offset >= 0) {
        assert_string_equal(bcs_jstr(e, "gOT"), "PRICE_LEVEL");
        assert_int_equal((int)bcs_jnum(e, "gOV"), offset);
    } else assert_false(has(e, "gOT") || has(e, "gOV"));
    if (pegged < 0) assert_false(has(e, "gp"));
    else if (!same(dnum(e, "gp"), pegged)) fail_msg("gp %s, want %.8f", bcs_jstr(e, "gp"), pegged);
}

static void assert_list_status(bcws *ws, double lid, const char *contingency, const char *l, const char *L)
{
    cJSON *e = next_event(ws, "listStatus");
    assert_true(bcs_jnum(e, "g") == lid);
    assert_string_equal(bcs_jstr(e, "c"), contingency);
    assert_string_equal(bcs_jstr(e, "l"), l);
    assert_string_equal(bcs_jstr(e, "L"), L);
    cJSON_Delete(e);
}

/* GET order by id: its JSON (caller frees). */
static cJSON *get_order(ctx *c, double oid)
{
    char q[128];
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", oid);
    bcs_resp r;
    bcs_fx_call(c->fx, "GET", "/api/v3/order", q, NULL, &r);
    assert_int_equal(r.status, 200);
    cJSON *o = cJSON_Duplicate(r.json, 1);
    bcs_resp_free(&r);
    return o;
}

static void cancel_list(ctx *c, double lid)
{
    char q[128];
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderListId=%.0f", lid);
    bcs_resp r;
    bcs_fx_call(c->fx, "DELETE", "/api/v3/orderList", q, NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
}

/* bob takes everything resting at px on one side (alice's pegged order
 * joined that level last: it fills too). */
static void bob_takes_level(ctx *c, const char *side, double px, double qty)
{
    char q[256];
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=%s&type=LIMIT&timeInForce=IOC&quantity=%.5f&price=%.2f",
             side, qty, px);
    bcs_resp r;
    call_bob(c, "POST", "/api/v3/order", q, &r);
    if (r.status != 200) fail_msg("bob: %s", r.body);
    assert_string_equal(bcs_jstr(r.json, "status"), "FILLED");
    bcs_resp_free(&r);
}

/* OCO SELL: the above LIMIT_MAKER pegged PRIMARY_PEG one level deep enters
 * at the second ask level at once (the best ask may equal the last price,
 * which the OCO price relationship refuses); the below STOP_LOSS_LIMIT
 * pegged PRIMARY_PEG has no price until alice's MARKET SELL pushes the last
 * price through its stop, then it enters at the best ask of that moment
 * and the LIMIT_MAKER expires (OCO_TRIGGER) while the stop leg stays live.
 * One lock (the quantity) for the pair throughout. */
static void oco_pegged(ctx *c, int over_ws)
{
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    double a1 = level(c, "asks", 1, NULL), b0 = level(c, "bids", 0, NULL), b2 = level(c, "bids", 2, NULL);
    double fr0, lk0, fr1, lk1;
    balance(c, "BTC", &fr0, &lk0);
    char qs[1024];
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=SELL&quantity=0.01&listClientOrderId=pl-oco&aboveType=LIMIT_MAKER"
             "&abovePegPriceType=PRIMARY_PEG&abovePegOffsetType=PRICE_LEVEL&abovePegOffsetValue=1&belowType=STOP_LOSS_LIMIT&belowStopPrice=%.2f&belowTimeInForce=GTC"
             "&belowPegPriceType=PRIMARY_PEG", (b0 + b2) / 2);
    cJSON *l = place_ok(c, over_ws ? ws : NULL, "/api/v3/orderList/oco", "orderList.place.oco", qs);
    double lid = bcs_jnum(l, "orderListId");
    const cJSON *stop = rep(l, 0), *lm = rep(l, 1);
    assert_string_equal(bcs_jstr(stop, "type"), "STOP_LOSS_LIMIT");
    assert_peg_fields(stop, "PRIMARY_PEG", -1, -1);
    assert_string_equal(bcs_jstr(lm, "type"), "LIMIT_MAKER");
    assert_peg_fields(lm, "PRIMARY_PEG", 1, a1);
    assert_string_equal(bcs_jstr(lm, "status"), "NEW");
    double sid = bcs_jnum(stop, "orderId"), mid = bcs_jnum(lm, "orderId");
    cJSON_Delete(l);
    balance(c, "BTC", &fr1, &lk1);
    assert_true(same(lk1 - lk0, 0.01) && same(fr0 - fr1, 0.01));
    cJSON *e = next_report(ws, sid, "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, -1);
    cJSON_Delete(e);
    e = next_report(ws, mid, "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", 1, a1);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OCO", "EXEC_STARTED", "EXECUTING");
    assert_true(same(level(c, "asks", 1, NULL), a1));   /* the leg joined the second ask level */

    /* trigger the stop: sell through the first three bid levels */
    bcs_resp r;
    bcs_fx_call(c->fx, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.6", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    e = next_report(ws, mid, "EXPIRED");
    assert_peg_event(e, lid, "PRIMARY_PEG", 1, a1);
    assert_string_equal(bcs_jstr(e, "eR"), "OCO_TRIGGER");
    cJSON_Delete(e);
    double ask = level(c, "asks", 0, NULL);
    cJSON *o = get_order(c, sid);
    if (strcmp(bcs_jstr(o, "status"), "NEW")) fail_msg("stop leg %s", cJSON_PrintUnformatted(o));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "isWorking")));
    assert_peg_fields(o, "PRIMARY_PEG", -1, ask);
    cJSON_Delete(o);
    double fr2, lk2;
    balance(c, "BTC", &fr2, &lk2);
    assert_true(same(lk2 - lk0, 0.01));                 /* the pair's lock moved to the live leg */
    cancel_list(c, lid);
    e = next_report(ws, sid, "CANCELED");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, ask);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OCO", "ALL_DONE", "ALL_DONE");
    balance(c, "BTC", &fr2, &lk2);
    assert_true(same(lk2, lk0));
    bcws_close(ws);
}

/* OTO: working SELL LIMIT_MAKER pegged PRIMARY_PEG (the best ask now);
 * pending BUY LIMIT pegged PRIMARY_PEG: PENDING_NEW without peggedPrice,
 * nothing locked; bob takes the ask level, the working leg fills and the
 * pending one enters at the best bid of that moment, locking that price x
 * quantity in USDT. */
static void oto_pegged(ctx *c, int over_ws)
{
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    double aq, a0 = level(c, "asks", 0, &aq);
    double ufr0, ulk0, ufr1, ulk1, bfr0, blk0, bfr1, blk1;
    balance(c, "USDT", &ufr0, &ulk0);
    balance(c, "BTC", &bfr0, &blk0);
    const char *qs = "symbol=BTCUSDT&workingType=LIMIT_MAKER&workingSide=SELL&workingQuantity=0.01"
        "&workingPegPriceType=PRIMARY_PEG&pendingType=LIMIT&pendingSide=BUY&pendingQuantity=0.01"
        "&pendingTimeInForce=GTC&pendingPegPriceType=PRIMARY_PEG";
    cJSON *l = place_ok(c, over_ws ? ws : NULL, "/api/v3/orderList/oto", "orderList.place.oto", qs);
    double lid = bcs_jnum(l, "orderListId");
    const cJSON *w = rep(l, 0), *p = rep(l, 1);
    assert_peg_fields(w, "PRIMARY_PEG", -1, a0);
    assert_string_equal(bcs_jstr(w, "status"), "NEW");
    assert_peg_fields(p, "PRIMARY_PEG", -1, -1);
    assert_string_equal(bcs_jstr(p, "status"), "PENDING_NEW");
    double wid = bcs_jnum(w, "orderId"), pid = bcs_jnum(p, "orderId");
    cJSON_Delete(l);
    balance(c, "USDT", &ufr1, &ulk1);
    balance(c, "BTC", &bfr1, &blk1);
    assert_true(same(ulk1, ulk0) && same(blk1 - blk0, 0.01));
    cJSON *e = next_report(ws, wid, "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, a0);
    cJSON_Delete(e);
    e = next_report(ws, pid, "NEW");
    assert_string_equal(bcs_jstr(e, "X"), "PENDING_NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, -1);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OTO", "EXEC_STARTED", "EXECUTING");

    double b0 = level(c, "bids", 0, NULL);
    bob_takes_level(c, "BUY", a0, aq + 0.01);
    e = next_report(ws, wid, "TRADE");
    assert_string_equal(bcs_jstr(e, "X"), "FILLED");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, a0);
    cJSON_Delete(e);
    e = next_report(ws, pid, "NEW");
    assert_string_equal(bcs_jstr(e, "X"), "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, b0);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OTO", "EXEC_STARTED", "EXECUTING");
    cJSON *o = get_order(c, pid);
    assert_string_equal(bcs_jstr(o, "status"), "NEW");
    assert_peg_fields(o, "PRIMARY_PEG", -1, b0);
    cJSON_Delete(o);
    balance(c, "USDT", &ufr1, &ulk1);
    assert_true(fabs((ulk1 - ulk0) - b0 * 0.01) < 1e-6);   /* locked at the pegged price */
    assert_true(same(level(c, "bids", 0, NULL), b0));
    cancel_list(c, lid);
    e = next_report(ws, pid, "CANCELED");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, b0);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OTO", "ALL_DONE", "ALL_DONE");
    balance(c, "USDT", &ufr1, &ulk1);
    assert_true(same(ulk1, ulk0));
    bcws_close(ws);
}

/* OTOCO: working BUY LIMIT_MAKER pegged (best bid); pending SELL pair: an
 * above LIMIT_MAKER pegged PRIMARY_PEG one level deep, a below
 * STOP_LOSS_LIMIT pegged PRIMARY_PEG. bob takes the bid level: the pair
 * goes live, the LIMIT_MAKER at the second ask level of that moment, the
 * stop still unpriced; one BTC lock for the pair. */
static void otoco_pegged(ctx *c, int over_ws)
{
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    double bq, b0 = level(c, "bids", 0, &bq), b3 = level(c, "bids", 3, NULL);
    double fr0, lk0, fr1, lk1;
    balance(c, "BTC", &fr0, &lk0);
    char qs[1024];
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&workingType=LIMIT_MAKER&workingSide=BUY&workingQuantity=0.01"
             "&workingPegPriceType=PRIMARY_PEG&pendingSide=SELL&pendingQuantity=0.01&pendingAboveType=LIMIT_MAKER"
             "&pendingAbovePegPriceType=PRIMARY_PEG&pendingAbovePegOffsetType=PRICE_LEVEL&pendingAbovePegOffsetValue=1"
             "&pendingBelowType=STOP_LOSS_LIMIT&pendingBelowStopPrice=%.2f&pendingBelowTimeInForce=GTC"
             "&pendingBelowPegPriceType=PRIMARY_PEG", b3);
    cJSON *l = place_ok(c, over_ws ? ws : NULL, "/api/v3/orderList/otoco", "orderList.place.otoco", qs);
    double lid = bcs_jnum(l, "orderListId");
    assert_peg_fields(rep(l, 0), "PRIMARY_PEG", -1, b0);
    assert_peg_fields(rep(l, 1), "PRIMARY_PEG", -1, -1);
    assert_string_equal(bcs_jstr(rep(l, 1), "type"), "STOP_LOSS_LIMIT");
    assert_peg_fields(rep(l, 2), "PRIMARY_PEG", 1, -1);
    assert_string_equal(bcs_jstr(rep(l, 2), "status"), "PENDING_NEW");
    double wid = bcs_jnum(rep(l, 0), "orderId"), sid = bcs_jnum(rep(l, 1), "orderId");
    double mid = bcs_jnum(rep(l, 2), "orderId");
    cJSON_Delete(l);
    cJSON *e = next_report(ws, mid, "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", 1, -1);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OTO", "EXEC_STARTED", "EXECUTING");

    double a1 = level(c, "asks", 1, NULL);
    bob_takes_level(c, "SELL", b0, bq + 0.01);
    e = next_report(ws, wid, "TRADE");
    assert_string_equal(bcs_jstr(e, "X"), "FILLED");
    cJSON_Delete(e);
    e = next_report(ws, sid, "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, -1);
    cJSON_Delete(e);
    e = next_report(ws, mid, "NEW");
    assert_string_equal(bcs_jstr(e, "X"), "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", 1, a1);
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OTO", "EXEC_STARTED", "EXECUTING");
    cJSON *o = get_order(c, mid);
    assert_peg_fields(o, "PRIMARY_PEG", 1, a1);
    cJSON_Delete(o);
    balance(c, "BTC", &fr1, &lk1);
    assert_true(same(lk1 - lk0, 0.01));
    cancel_list(c, lid);
    assert_list_status(ws, lid, "OTO", "ALL_DONE", "ALL_DONE");
    balance(c, "BTC", &fr1, &lk1);
    assert_true(same(lk1, lk0));
    bcws_close(ws);
}

/* OPO / OPOCO: the working BUY LIMIT pegged MARKET_PEG, k levels deep
 * (the first level holding 0.01 BTC with those before it), takes the asks
 * at once and fills; the pending SELL leg(s) go live in the same request,
 * the pegged LIMIT_MAKER at the best ask after that fill, with the quantity
 * the working order received. */
static void opo_pegged(ctx *c, int over_ws, int opoco)
{
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    double cum = 0, aq, ak = 0, b3 = level(c, "bids", 3, NULL);
    int k = 0;
    for (; k < 10; k++) {
        ak = level(c, "asks", k, &aq);
        if ((cum += aq) > 0.0105) break;
    }
    assert_true(k < 10);
    char qs[1024];
    if (opoco)
        snprintf(qs, sizeof qs, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingQuantity=0.01"
                 "&workingTimeInForce=GTC&workingPegPriceType=MARKET_PEG&workingPegOffsetType=PRICE_LEVEL"
                 "&workingPegOffsetValue=%d&pendingSide=SELL"
                 "&pendingAboveType=LIMIT_MAKER&pendingAbovePegPriceType=PRIMARY_PEG"
                 "&pendingBelowType=STOP_LOSS_LIMIT&pendingBelowStopPrice=%.2f&pendingBelowTimeInForce=GTC"
                 "&pendingBelowPegPriceType=PRIMARY_PEG", k, b3);
    else
        snprintf(qs, sizeof qs, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingQuantity=0.01"
                 "&workingTimeInForce=GTC&workingPegPriceType=MARKET_PEG&workingPegOffsetType=PRICE_LEVEL"
                 "&workingPegOffsetValue=%d&pendingSide=SELL&pendingType=LIMIT_MAKER&pendingPegPriceType=PRIMARY_PEG", k);
    cJSON *l = place_ok(c, over_ws ? ws : NULL, opoco ? "/api/v3/orderList/opoco" : "/api/v3/orderList/opo",
                        opoco ? "orderList.place.opoco" : "orderList.place.opo", qs);
    double lid = bcs_jnum(l, "orderListId");
    const cJSON *w = rep(l, 0);
    assert_peg_fields(w, "MARKET_PEG", k, ak);
    assert_string_equal(bcs_jstr(w, "status"), "FILLED");
    double wid = bcs_jnum(w, "orderId"), mid = bcs_jnum(rep(l, opoco ? 2 : 1), "orderId");
    double sid = opoco ? bcs_jnum(rep(l, 1), "orderId") : -1;
    cJSON_Delete(l);
    double ask = level(c, "asks", 0, NULL);
    cJSON *e = next_report_x(ws, wid, "TRADE", "FILLED");
    assert_peg_event(e, lid, "MARKET_PEG", k, ak);
    cJSON_Delete(e);
    e = next_report_x(ws, mid, "NEW", "NEW");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, ask);
    double q = dnum(e, "q");
    assert_true(q > 0 && q <= 0.01);
    cJSON_Delete(e);
    cJSON *o = get_order(c, mid);
    assert_string_equal(bcs_jstr(o, "status"), "NEW");
    assert_peg_fields(o, "PRIMARY_PEG", -1, ask);
    cJSON_Delete(o);
    if (opoco) {
        o = get_order(c, sid);
        assert_string_equal(bcs_jstr(o, "status"), "NEW");
        assert_peg_fields(o, "PRIMARY_PEG", -1, -1);
        cJSON_Delete(o);
    }
    cancel_list(c, lid);
    bcws_close(ws);
}

static void test_oco_rest(void **state) { oco_pegged(*state, 0); }
static void test_oco_ws(void **state) { oco_pegged(*state, 1); }
static void test_oto_rest(void **state) { oto_pegged(*state, 0); }
static void test_oto_ws(void **state) { oto_pegged(*state, 1); }
static void test_otoco_rest(void **state) { otoco_pegged(*state, 0); }
static void test_otoco_ws(void **state) { otoco_pegged(*state, 1); }
static void test_opo_rest(void **state) { opo_pegged(*state, 0, 0); }
static void test_opo_ws(void **state) { opo_pegged(*state, 1, 0); }
static void test_opoco_rest(void **state) { opo_pegged(*state, 0, 1); }
static void test_opoco_ws(void **state) { opo_pegged(*state, 1, 1); }

/* Not pegged, the same contingency (found with the pegged OCO above): a
 * triggered STOP_LOSS_LIMIT leg whose limit rests stays live; only the
 * other leg expires (OCO_TRIGGER) and the list keeps executing. */
static void test_oco_triggered_stop_limit_stays_live(void **state)
{
    ctx *c = *state;
    double b0 = level(c, "bids", 0, NULL), b2 = level(c, "bids", 2, NULL), a2 = level(c, "asks", 2, NULL);
    char qs[1024];
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=SELL&quantity=0.01&aboveType=LIMIT_MAKER&abovePrice=%.2f"
             "&belowType=STOP_LOSS_LIMIT&belowStopPrice=%.2f&belowPrice=%.2f&belowTimeInForce=GTC",
             a2 + 100, (b0 + b2) / 2, a2);
    cJSON *l = place_ok(c, NULL, "/api/v3/orderList/oco", NULL, qs);
    double lid = bcs_jnum(l, "orderListId"), sid = bcs_jnum(rep(l, 0), "orderId"), mid = bcs_jnum(rep(l, 1), "orderId");
    cJSON_Delete(l);
    bcs_resp r;
    bcs_fx_call(c->fx, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.6", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    cJSON *o = get_order(c, sid);
    assert_string_equal(bcs_jstr(o, "status"), "NEW");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "isWorking")));
    cJSON_Delete(o);
    o = get_order(c, mid);
    assert_string_equal(bcs_jstr(o, "status"), "EXPIRED");
    assert_string_equal(bcs_jstr(o, "expiryReason"), "OCO_TRIGGER");
    cJSON_Delete(o);
    char q[128];
    snprintf(q, sizeof q, "orderListId=%.0f", lid);
    bcs_fx_call(c->fx, "GET", "/api/v3/orderList", q, NULL, &r);
    assert_string_equal(bcs_jstr(r.json, "listOrderStatus"), "EXECUTING");
    bcs_resp_free(&r);
    cancel_list(c, lid);
}

/* BUY OCO: the pair's one USDT lock is the larger leg's at the pegged
 * price: the LIMIT_MAKER pegged one level deep (bids[1]) locks more than a
 * stop-limit with a low limit price (bids[4]). */
static void test_buy_oco_lock_at_pegged_price(void **state)
{
    ctx *c = *state;
    double b1 = level(c, "bids", 1, NULL), b4 = level(c, "bids", 4, NULL), a2 = level(c, "asks", 2, NULL);
    double fr0, lk0, fr1, lk1;
    balance(c, "USDT", &fr0, &lk0);
    char qs[1024];
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=BUY&quantity=0.01&belowType=LIMIT_MAKER"
             "&belowPegPriceType=PRIMARY_PEG&belowPegOffsetType=PRICE_LEVEL&belowPegOffsetValue=1"
             "&aboveType=STOP_LOSS_LIMIT&aboveStopPrice=%.2f&abovePrice=%.2f&aboveTimeInForce=GTC", a2, b4);
    cJSON *l = place_ok(c, NULL, "/api/v3/orderList/oco", NULL, qs);
    assert_peg_fields(rep(l, 1), "PRIMARY_PEG", 1, b1);
    assert_false(has(rep(l, 0), "pegPriceType"));
    double lid = bcs_jnum(l, "orderListId");
    cJSON_Delete(l);
    balance(c, "USDT", &fr1, &lk1);
    if (fabs((lk1 - lk0) - b1 * 0.01) > 1e-6) fail_msg("locked %.8f, want %.8f", lk1 - lk0, b1 * 0.01);
    cancel_list(c, lid);
    balance(c, "USDT", &fr1, &lk1);
    assert_true(same(lk1, lk0) && same(fr1, fr0));
}

/* BUY OCO whose STOP_LOSS_LIMIT leg is pegged PRIMARY_PEG without a price:
 * until it triggers its stopPrice stands in (the pair locks stopPrice x
 * quantity); alice's MARKET BUY lifts the last price through the stop, the
 * leg enters at the best bid of that moment and the lock follows it down
 * (the rest goes back to free); the LIMIT_MAKER expires. */
static void test_buy_oco_pegged_stop_moves_lock(void **state)
{
    ctx *c = *state;
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    double a0 = level(c, "asks", 0, NULL), a2 = level(c, "asks", 2, NULL), b3 = level(c, "bids", 3, NULL);
    double stop = floor((a0 + a2) / 2 * 100) / 100;
    double fr0, lk0, fr1, lk1;
    balance(c, "USDT", &fr0, &lk0);
    char qs[1024];
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=BUY&quantity=0.01&belowType=LIMIT_MAKER&belowPrice=%.2f"
             "&aboveType=STOP_LOSS_LIMIT&aboveStopPrice=%.2f&aboveTimeInForce=GTC&abovePegPriceType=PRIMARY_PEG",
             b3, stop);
    cJSON *l = place_ok(c, NULL, "/api/v3/orderList/oco", NULL, qs);
    double lid = bcs_jnum(l, "orderListId"), sid = bcs_jnum(rep(l, 0), "orderId");
    assert_peg_fields(rep(l, 0), "PRIMARY_PEG", -1, -1);
    cJSON_Delete(l);
    balance(c, "USDT", &fr1, &lk1);
    if (fabs((lk1 - lk0) - stop * 0.01) > 1e-6) fail_msg("locked %.8f, want %.8f", lk1 - lk0, stop * 0.01);
    double b0 = level(c, "bids", 0, NULL);
    bcs_resp r;
    bcs_fx_call(c->fx, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.6", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    cJSON *o = get_order(c, sid);
    assert_string_equal(bcs_jstr(o, "status"), "NEW");
    assert_peg_fields(o, "PRIMARY_PEG", -1, b0);
    cJSON_Delete(o);
    balance(c, "USDT", &fr1, &lk1);
    if (fabs((lk1 - lk0) - b0 * 0.01) > 1e-6) fail_msg("locked %.8f, want %.8f", lk1 - lk0, b0 * 0.01);
    cancel_list(c, lid);
    cJSON *e = next_report(ws, sid, "CANCELED");
    assert_peg_event(e, lid, "PRIMARY_PEG", -1, b0);
    cJSON_Delete(e);
    balance(c, "USDT", &fr1, &lk1);
    assert_true(same(lk1, lk0));
    bcws_close(ws);
}

/* The OCO price relationship is checked at the pegged price: after a small
 * sell at the best bid the last price equals it, so a BUY OCO whose
 * LIMIT_MAKER pegs to the best bid fails it (-2010), while the same OCO at
 * a fixed price one level lower is accepted. */
static void test_oco_relationship_at_pegged_price(void **state)
{
    ctx *c = *state;
    double bq, b0 = level(c, "bids", 0, &bq), b1 = level(c, "bids", 1, NULL), a2 = level(c, "asks", 2, NULL);
    double sq = floor(bq * 1e5 / 2) / 1e5;
    assert_true(sq >= 0.0001);
    bcs_resp r;
    char sell[128];
    snprintf(sell, sizeof sell, "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=%.5f", sq > 0.001 ? 0.001 : sq);
    bcs_fx_call(c->fx, "POST", "/api/v3/order", sell, NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_true(same(last_price(c), b0) && same(level(c, "bids", 0, NULL), b0));
    char qs[1024], msg[256];
    int code;
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=BUY&quantity=0.01&belowType=LIMIT_MAKER&belowPegPriceType=PRIMARY_PEG"
             "&aboveType=STOP_LOSS&aboveStopPrice=%.2f", a2);
    assert_null(place(c, NULL, "/api/v3/orderList/oco", NULL, qs, &code, msg, sizeof msg));
    assert_int_equal(code, -2010);
    assert_string_equal(msg, me_text(ME_PRICE_RELATIONSHIP));
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=BUY&quantity=0.01&belowType=LIMIT_MAKER&belowPrice=%.2f"
             "&aboveType=STOP_LOSS&aboveStopPrice=%.2f", b1, a2);
    cJSON *l = place_ok(c, NULL, "/api/v3/orderList/oco", NULL, qs);
    cancel_list(c, bcs_jnum(l, "orderListId"));
    cJSON_Delete(l);
}

/* A pending pegged leg with no level to enter at when the working order
 * fills (the docs are silent): it stands in at its sent price when placed,
 * and is rejected at activation like a leg failing its re-validation -
 * EXPIRED, and the list ends. */
static void test_pending_peg_without_level(void **state)
{
    ctx *c = *state;
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    double aq, a0 = level(c, "asks", 0, &aq), b5 = level(c, "bids", 5, NULL);
    char qs[1024];
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&workingType=LIMIT_MAKER&workingSide=SELL&workingQuantity=0.01"
             "&workingPegPriceType=PRIMARY_PEG&pendingType=LIMIT&pendingSide=BUY&pendingQuantity=0.01"
             "&pendingTimeInForce=GTC&pendingPrice=%.2f&pendingPegPriceType=PRIMARY_PEG"
             "&pendingPegOffsetType=PRICE_LEVEL&pendingPegOffsetValue=100", b5);
    cJSON *l = place_ok(c, NULL, "/api/v3/orderList/oto", NULL, qs);
    double lid = bcs_jnum(l, "orderListId"), pid = bcs_jnum(rep(l, 1), "orderId");
    assert_true(same(dnum(rep(l, 1), "price"), b5));     /* the sent price, no peggedPrice yet */
    assert_false(has(rep(l, 1), "peggedPrice"));
    cJSON_Delete(l);
    bob_takes_level(c, "BUY", a0, aq + 0.01);
    cJSON *e = next_report(ws, pid, "EXPIRED");
    assert_false(has(e, "gp"));
    assert_string_equal(bcs_jstr(e, "gP"), "PRIMARY_PEG");
    cJSON_Delete(e);
    assert_list_status(ws, lid, "OTO", "ALL_DONE", "ALL_DONE");
    bcws_close(ws);
}

/* Every refusal of a pegged leg, over REST, and one over the WS API; nothing
 * is placed. */
static void test_pegged_leg_refusals(void **state)
{
    ctx *c = *state;
    double b3 = level(c, "bids", 3, NULL);
    char oco[256], oto[512];
    snprintf(oco, sizeof oco, "symbol=BTCUSDT&side=SELL&quantity=0.01&aboveType=LIMIT_MAKER"
             "&belowStopPrice=%.2f", b3);
    snprintf(oto, sizeof oto, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingQuantity=0.01"
             "&workingPrice=%.2f&pendingSide=SELL&pendingQuantity=0.01", b3);
    static const struct { int list; const char *params; err_id e; const char *a1, *a2; me_msg me; } cases[] = {
        { 0, "&abovePegPriceType=PRIMARY_PEG&belowType=STOP_LOSS&belowPegPriceType=PRIMARY_PEG",
          ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_ORDER_TYPE },
        { 0, "&abovePegPriceType=MARKET_PEG&belowType=STOP_LOSS_LIMIT&belowTimeInForce=GTC&belowPrice=1000",
          ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_PRICE_TYPE },
        { 0, "&abovePegPriceType=PRIMARY_PEG&abovePegOffsetType=PRICE_LEVEL&abovePegOffsetValue=100"
          "&belowType=STOP_LOSS_LIMIT&belowTimeInForce=GTC&belowPrice=1000", ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_LIQUIDITY_LOW },
        { 0, "&abovePegPriceType=BEST&belowType=STOP_LOSS_LIMIT&belowTimeInForce=GTC&belowPrice=1000", ERR_INVALID_PEG_PRICE_TYPE,
          NULL, NULL, 0 },
        { 0, "&belowType=STOP_LOSS_LIMIT&belowTimeInForce=GTC&belowPrice=1000", ERR_MANDATORY_PARAM_NAMED, "abovePrice", NULL, 0 },
        { 1, "&workingTimeInForce=IOC&workingPegPriceType=PRIMARY_PEG&pendingType=LIMIT_MAKER&pendingPrice=1000000",
          ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_PRICE_TYPE },
        { 1, "&workingTimeInForce=GTC&pendingType=TAKE_PROFIT&pendingStopPrice=1000000&pendingPegPriceType=MARKET_PEG",
          ERR_NEW_ORDER_REJECTED, NULL, NULL, ME_PEG_ORDER_TYPE },
        { 1, "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingPegPriceType=PRIMARY_PEG&pendingPegOffsetValue=1",
          ERR_OPTIONAL_PARAMS_BOTH, "pendingPegOffsetType", "pendingPegOffsetValue", 0 },
        { 1, "&workingTimeInForce=GTC&workingPegOffsetType=PRICE_LEVEL&workingPegOffsetValue=1"
          "&pendingType=LIMIT_MAKER&pendingPrice=1000000", ERR_PARAM_NOT_REQUIRED_NAMED, "workingPegOffsetType", NULL, 0 },
        { 1, "&workingTimeInForce=GTC&workingPegPriceType=PRIMARY_PEG&workingPegOffsetType=PRICE_LEVEL"
          "&workingPegOffsetValue=101&pendingType=LIMIT_MAKER&pendingPrice=1000000", ERR_ILLEGAL_CHARS_PARAM,
          "workingPegOffsetValue", "^(100|[1-9]?[0-9])$", 0 },
        { 1, "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingPegPriceType=PRIMARY_PEG"
          "&pendingPegOffsetType=TICKS&pendingPegOffsetValue=1", ERR_INVALID_PEG_OFFSET_TYPE, NULL, NULL, 0 },
        { 1, "&workingTimeInForce=GTC&pendingType=LIMIT_MAKER&pendingPegPriceType=PRIMARY_PEG"
          "&pendingPegOffsetType=PRICE_LEVEL&pendingPegOffsetValue=100", ERR_NEW_ORDER_REJECTED, NULL, NULL,
          ME_PEG_LIQUIDITY_LOW },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char q[1024];
        snprintf(q, sizeof q, "%s%s", cases[i].list ? oto : oco, cases[i].params);
        bcs_resp r;
        bcs_fx_call(c->fx, "POST", cases[i].list ? "/api/v3/orderList/oto" : "/api/v3/orderList/oco", q, NULL, &r);
        if (cases[i].e == ERR_NEW_ORDER_REJECTED) {
            if (r.status != 400 || bcs_code(&r) != -2010 || strcmp(bcs_msg(&r), me_text(cases[i].me)))
                fail_msg("case %zu: %d %s", i, r.status, r.body);
        } else bcs_assert_err(&r, cases[i].e, cases[i].a1, cases[i].a2);
        bcs_resp_free(&r);
    }
    /* the OTOCO names and the WS API */
    bcws *ws = bcs_fx_ws_user(c->fx, WAIT_MS);
    char qs[1024], msg[256];
    int code;
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingQuantity=0.01&workingPrice=%.2f"
             "&workingTimeInForce=GTC&pendingSide=SELL&pendingQuantity=0.01&pendingAboveType=LIMIT_MAKER"
             "&pendingAbovePegPriceType=BEST&pendingBelowType=STOP_LOSS&pendingBelowStopPrice=%.2f", b3, b3);
    assert_null(place(c, ws, NULL, "orderList.place.otoco", qs, &code, msg, sizeof msg));
    assert_int_equal(code, -1210);
    assert_string_equal(msg, err_get(ERR_INVALID_PEG_PRICE_TYPE)->tmpl);
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&workingType=LIMIT&workingSide=BUY&workingQuantity=0.01&workingPrice=%.2f"
             "&workingTimeInForce=GTC&pendingSide=SELL&pendingQuantity=0.01&pendingAboveType=LIMIT_MAKER"
             "&pendingAbovePegPriceType=PRIMARY_PEG&pendingBelowType=STOP_LOSS&pendingBelowStopPrice=%.2f"
             "&pendingBelowPegPriceType=PRIMARY_PEG", b3, b3);
    assert_null(place(c, ws, NULL, "orderList.place.otoco", qs, &code, msg, sizeof msg));
    assert_int_equal(code, -2010);
    assert_string_equal(msg, me_text(ME_PEG_ORDER_TYPE));
    bcws_close(ws);
    /* the deprecated order/oco documents no peg parameters: not read */
    bcs_resp r;
    snprintf(qs, sizeof qs, "symbol=BTCUSDT&side=SELL&quantity=0.01&price=%.2f&stopPrice=%.2f"
             "&limitPegPriceType=PRIMARY_PEG", b3 * 1.2, b3);
    bcs_fx_call(c->fx, "POST", "/api/v3/order/oco", qs, NULL, &r);
    assert_int_equal(bcs_code(&r), err_get(ERR_UNREAD_PARAMETERS)->code);
    bcs_resp_free(&r);
    bcs_fx_call(c->fx, "GET", "/api/v3/openOrderList", "", NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_oco_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oco_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oto_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oto_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_otoco_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_otoco_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_opo_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_opo_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_opoco_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_opoco_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oco_triggered_stop_limit_stays_live, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buy_oco_lock_at_pegged_price, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buy_oco_pegged_stop_moves_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oco_relationship_at_pegged_price, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_peg_without_level, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pegged_leg_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
