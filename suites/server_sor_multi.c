/* server_sor_multi: smart order routing across every book of an SOR
 * configuration, on the real binance-mock started with
 * examples/sor/symbols.json (BTCUSDT, BTCUSDC, BTCUSDP, quiet books).
 * faqs/sor_faq.md's Examples 1-4 with the FAQ's books and numbers, print by
 * print (REST and WS API): fills, allocIds, cummulativeQuoteQty, status,
 * workingFloor; the taker's executionReports (b, a, t = -1, L per book) and
 * balances in its own quote asset; the makers' normal reports and balances
 * in their book's quote; the other books' trades and depth; the SOR
 * liquidity account (GET /__admin/sor); myAllocations / myTrades; a GTC
 * remainder resting on the submitted book, an IOC remainder expiring; ties
 * between books, self-trade prevention across them, a stop in another book
 * triggered by an SOR print there.
 * The FAQ leaves commission out; binance-mock charges its 0.1 % on every
 * fill, so commission is asserted as 0.001 x qty (BTC) or x quote. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS 10000

typedef bcs_fx fx;

static int setup(void **state)
{
    char path[512];
    const char *src = getenv("BC_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/examples/sor/symbols.json", src ? src : ".");
    const char *args[] = { "--symbols", path, NULL };
    if (bcs_fx_start(state, args, 0)) return -1;
    fx *f = *state;
    if (bcs_admin(&f->m, "POST", "/__admin/accounts",
                  "{\"accounts\":[{\"name\":\"alice\",\"balances\":{\"USDT\":\"1000000\",\"BTC\":\"20\"}},"
                  "{\"name\":\"bob\",\"balances\":{\"BTC\":\"100\",\"USDT\":\"1000000\",\"USDC\":\"1000000\","
                  "\"USDP\":\"1000000\"}}]}", NULL) != 200)
        return -1;
    f->key = bcs_key("hmac.secret");
    f->api_key = bcs_api_key("hmac.secret");
    return f->key && f->api_key ? 0 : -1;
}
static int teardown(void **state) { return bcs_fx_stop(state); }

static double dnum(const cJSON *o, const char *k) { return atof(bcs_jstr(o, k)); }
static int near(double a, double b) { return fabs(a - b) < 1e-6; }

/* A signed REST call as bob (the makers' account). */
static void as_bob(fx *f, const char *method, const char *path, const char *params, bcs_resp *r)
{
    sig_key *k = f->key;
    const char *ak = f->api_key;
    f->key = bcs_key("bob-hmac.secret");
    f->api_key = bcs_api_key("bob-hmac.secret");
    bcs_fx_call(f, method, path, params, NULL, r);
    sig_key_free(f->key);
    f->key = k;
    f->api_key = ak;
}

static void bob_limit(fx *f, const char *sym, const char *side, const char *qty, const char *price)
{
    char q[256];
    snprintf(q, sizeof q, "symbol=%s&side=%s&type=LIMIT&timeInForce=GTC&quantity=%s&price=%s", sym, side, qty,
             price);
    bcs_resp r;
    as_bob(f, "POST", "/api/v3/order", q, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(bcs_jstr(r.json, "status"), "NEW");
    bcs_resp_free(&r);
}

/* The ASK books of Examples 1-3. */
static void faq_asks(fx *f)
{
    bob_limit(f, "BTCUSDT", "SELL", "3", "30800");
    bob_limit(f, "BTCUSDT", "SELL", "3", "30500");
    bob_limit(f, "BTCUSDC", "SELL", "1", "30000");
    bob_limit(f, "BTCUSDC", "SELL", "1", "28000");
    bob_limit(f, "BTCUSDP", "SELL", "1", "35000");
    bob_limit(f, "BTCUSDP", "SELL", "1", "29000");
}

/* free balance of asset for alice (bob = 0) or bob (1) */
static double free_of(fx *f, int bob, const char *asset)
{
    bcs_resp r;
    if (bob) as_bob(f, "GET", "/api/v3/account", "", &r);
    else bcs_fx_call(f, "GET", "/api/v3/account", "", NULL, &r);
    assert_int_equal(r.status, 200);
    double v = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(r.json, "balances"))
        if (!strcmp(bcs_jstr(b, "asset"), asset)) v = dnum(b, "free");
    bcs_resp_free(&r);
    return v;
}

/* The SOR liquidity account's balance of asset (GET /__admin/sor). */
static double sor_ledger(fx *f, const char *asset, double *cross)
{
    bcs_resp r;
    assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/sor", NULL, &r), 200);
    assert_string_equal(bcs_jstr(r.json, "account"), "__sor_liquidity");
    double v = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(r.json, "balances"))
        if (!strcmp(bcs_jstr(b, "asset"), asset)) v = dnum(b, "free");
    if (cross) *cross = bcs_jnum(r.json, "crossBookFills");
    bcs_resp_free(&r);
    return v;
}

typedef struct pr { double price, qty; } pr;

/* An SOR response: status, executedQty, cummulativeQuoteQty, the fills
 * exactly (price, qty, allocId from 0, tradeId -1, commission 0.1 %). */
static void check_sor_order(const cJSON *o, const char *status, double exec, double cum, const pr *fills, int n,
                            const char *comm_asset)
{
    assert_string_equal(bcs_jstr(o, "symbol"), "BTCUSDT");
    assert_string_equal(bcs_jstr(o, "status"), status);
    assert_true(near(dnum(o, "executedQty"), exec));
    assert_true(near(dnum(o, "cummulativeQuoteQty"), cum));
    assert_string_equal(bcs_jstr(o, "workingFloor"), "SOR");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "usedSor")));
    assert_string_equal(bcs_jstr(o, "selfTradePreventionMode"), "NONE");
    const cJSON *fl = cJSON_GetObjectItemCaseSensitive(o, "fills");
    assert_int_equal(cJSON_GetArraySize(fl), n);
    for (int i = 0; i < n; i++) {
        const cJSON *x = cJSON_GetArrayItem(fl, i);
        assert_string_equal(bcs_jstr(x, "matchType"), "ONE_PARTY_TRADE_REPORT");
        assert_true(near(dnum(x, "price"), fills[i].price));
        assert_true(near(dnum(x, "qty"), fills[i].qty));
        assert_string_equal(bcs_jstr(x, "commissionAsset"), comm_asset);
        double base = !strcmp(comm_asset, "BTC") ? fills[i].qty : fills[i].qty * fills[i].price;
        assert_true(near(dnum(x, "commission"), base * 0.001));
        assert_true(bcs_jnum(x, "tradeId") == -1);
        assert_true(bcs_jnum(x, "allocId") == i);
    }
}

static const pr EX1[] = { { 28000, 0.5 } };
static const pr EX2[] = { { 28000, 1 }, { 29000, 1 }, { 30000, 1 }, { 30500, 2 } };
static const pr EX3[] = { { 28000, 1 }, { 29000, 1 }, { 30000, 1 }, { 30500, 3 }, { 30800, 3 }, { 35000, 1 } };
static const pr EX4[] = { { 35000, 5 }, { 30000, 5 } };

/* The next user-data event of type e (and execution type x if given) on c. */
static cJSON *next_event(bcws *c, const char *e, const char *x)
{
    for (int i = 0; i < 64; i++) {
        cJSON *ev = bcws_recv_event(c, WAIT_MS);
        assert_non_null(ev);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(ev, "event");
        if (!strcmp(bcs_jstr(b, "e"), e) && (!x || !strcmp(bcs_jstr(b, "x"), x))) return ev;
        cJSON_Delete(ev);
    }
    fail_msg("no %s event", e);
    return NULL;
}

static bcws *ws_user(fx *f, const char *key_file)
{
    bcws *c = bcs_fx_ws(f, "/ws-api/v3");
    char ts[64];
    snprintf(ts, sizeof ts, "timestamp=%lld", (long long)f->now_ms);
    const char *pairs[2] = { ts, NULL };
    sig_key *k = bcs_key(key_file);
    char *params = bcws_signed_params(k, bcs_api_key(key_file), pairs, 0);
    sig_key_free(k);
    char fr[2048];
    snprintf(fr, sizeof fr, "{\"id\":\"logon\",\"method\":\"session.logon\",\"params\":%s}", params);
    free(params);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    bcs_ws_ok(r);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":\"sub\",\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
    bcs_ws_ok(r);
    cJSON_Delete(r);
    return c;
}

/* outboundAccountPosition: its keys, and the free balance of asset
 * (*seen = 1 if listed; *locked = its locked amount). */
static double pos_balance(const cJSON *ev, const char *asset, int *seen, double *locked)
{
    static const char *const keys[] = { "e", "E", "u", "B", NULL }, *const bkeys[] = { "a", "f", "l", NULL };
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event"), *b;
    bcs_assert_keys(e, keys);
    *seen = 0;
    double f = 0;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(e, "B")) {
        bcs_assert_keys(b, bkeys);
        if (strcmp(bcs_jstr(b, "a"), asset)) continue;
        *seen = 1;
        f = dnum(b, "f");
        if (locked) *locked = dnum(b, "l");
    }
    return f;
}
static double pos_free(const cJSON *ev, const char *asset, int *seen) { return pos_balance(ev, asset, seen, NULL); }

/* Place an SOR order (kv: name, value, ..., NULL) over REST (ws NULL) or as
 * sor.order.place on the logged-on WS API connection ws; the order object. */
static cJSON *place_sor(fx *f, bcws *ws, const char *const *kv)
{
    char q[1024] = "";
    size_t n = 0;
    for (int i = 0; kv[i]; i += 2)
        n += (size_t)snprintf(q + n, sizeof q - n, ws ? "%s\"%s\":\"%s\"" : "%s%s=%s", i ? (ws ? "," : "&") : "",
                              kv[i], kv[i + 1]);
    if (!ws) {
        bcs_resp r;
        bcs_fx_call(f, "POST", "/api/v3/sor/order", q, NULL, &r);
        assert_int_equal(r.status, 200);
        cJSON *o = cJSON_Duplicate(r.json, 1);
        bcs_resp_free(&r);
        return o;
    }
    char fr[1400];
    snprintf(fr, sizeof fr, "{\"id\":\"sor\",\"method\":\"sor.order.place\",\"params\":{%s,\"timestamp\":%lld}}", q,
             (long long)f->now_ms);
    cJSON *r = bcws_call(ws, fr, WAIT_MS);
    const cJSON *res = bcs_ws_ok(r);
    assert_int_equal(cJSON_GetArraySize(res), 1);   /* web-socket-api.md: an array of one order */
    cJSON *o = cJSON_Duplicate(cJSON_GetArrayItem(res, 0), 1);
    cJSON_Delete(r);
    return o;
}

/* Example 1 over REST and the WS API: best price across the books is BTCUSDC 28000; alice
 * pays 14000 USDT (not USDC), bob's BTCUSDC ask trades normally and he is
 * paid USDC; the SOR liquidity account took 14000 USDT and paid 14000 USDC. */
static void faq_example1(fx *f, int via_ws)
{
    faq_asks(f);
    bcws *a = ws_user(f, "ed25519.pem"), *b = ws_user(f, "bob-ed25519.pem");
    bcws *mk = bcs_fx_ws(f, "/stream?streams=btcusdc@trade/btcusdc@depth@100ms");
    bcs_fx_ws_sync(mk, "/stream", WAIT_MS);
    double usdt0 = free_of(f, 0, "USDT"), btc0 = free_of(f, 0, "BTC"), usdc0 = free_of(f, 1, "USDC");
    static const char *const kv[] = { "symbol", "BTCUSDT", "side", "BUY", "type", "LIMIT", "timeInForce", "GTC",
        "quantity", "0.5", "price", "31000", "newClientOrderId", "faq1", NULL };
    cJSON *o = place_sor(f, via_ws ? a : NULL, kv);
    check_sor_order(o, "FILLED", 0.5, 14000, EX1, 1, "BTC");
    assert_true(near(dnum(o, "price"), 31000));
    cJSON_Delete(o);
    bcs_resp r;

    /* alice: TRADE executionReport on BTCUSDT at BTCUSDC's price, as an allocation */
    cJSON *ev = next_event(a, "executionReport", "TRADE");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
    assert_string_equal(bcs_jstr(e, "s"), "BTCUSDT");
    assert_string_equal(bcs_jstr(e, "c"), "faq1");
    assert_string_equal(bcs_jstr(e, "X"), "FILLED");
    assert_true(near(dnum(e, "l"), 0.5) && near(dnum(e, "L"), 28000) && near(dnum(e, "Y"), 14000));
    assert_true(near(dnum(e, "z"), 0.5) && near(dnum(e, "Z"), 14000));
    assert_true(near(dnum(e, "n"), 0.0005));
    assert_string_equal(bcs_jstr(e, "N"), "BTC");
    assert_string_equal(bcs_jstr(e, "b"), "ONE_PARTY_TRADE_REPORT");
    assert_true(bcs_jnum(e, "a") == 0 && bcs_jnum(e, "t") == -1);
    assert_string_equal(bcs_jstr(e, "k"), "SOR");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "uS")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "m")));
    cJSON_Delete(ev);
    ev = next_event(a, "outboundAccountPosition", NULL);
    int seen = 0;
    double lk = -1;
    assert_true(near(pos_balance(ev, "USDT", &seen, &lk), usdt0 - 14000) && seen && lk == 0);
    assert_true(near(pos_balance(ev, "BTC", &seen, &lk), btc0 + 0.5 - 0.0005) && seen && lk == 0);
    pos_free(ev, "USDC", &seen);
    assert_false(seen);                      /* the taker never holds the other book's quote */
    cJSON_Delete(ev);

    /* bob: an ordinary maker TRADE on BTCUSDC, paid in USDC */
    ev = next_event(b, "executionReport", "TRADE");
    e = cJSON_GetObjectItemCaseSensitive(ev, "event");
    assert_string_equal(bcs_jstr(e, "s"), "BTCUSDC");
    assert_string_equal(bcs_jstr(e, "X"), "PARTIALLY_FILLED");
    assert_true(near(dnum(e, "l"), 0.5) && near(dnum(e, "L"), 28000));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "m")));
    assert_true(bcs_jnum(e, "t") >= 0);
    assert_null(cJSON_GetObjectItemCaseSensitive(e, "b"));   /* an ordinary trade: no allocation fields */
    assert_null(cJSON_GetObjectItemCaseSensitive(e, "a"));
    assert_null(cJSON_GetObjectItemCaseSensitive(e, "k"));
    assert_null(cJSON_GetObjectItemCaseSensitive(e, "uS"));
    assert_true(near(dnum(e, "z"), 0.5) && near(dnum(e, "Z"), 14000) && near(dnum(e, "Y"), 14000));
    assert_string_equal(bcs_jstr(e, "N"), "USDC");
    assert_true(near(dnum(e, "n"), 14));
    cJSON_Delete(ev);
    ev = next_event(b, "outboundAccountPosition", NULL);
    assert_true(near(pos_balance(ev, "USDC", &seen, &lk), usdc0 + 14000 - 14) && seen && lk == 0);
    assert_true(near(pos_balance(ev, "BTC", &seen, &lk), 90) && seen && near(lk, 9.5));   /* 10 BTC of asks, 0.5 sold */
    cJSON_Delete(ev);
    bcws_close(a);
    bcws_close(b);
    /* BTCUSDC's public streams: its trade and its depthUpdate (28000 down to 0.5) */
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", "{\"advance_ms\":200}", NULL), 200);
    f->now_ms += 200;                        /* closes the 100 ms depth window (virtual clock) */
    cJSON *sy = bcws_call(mk, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":9}", WAIT_MS);
    assert_non_null(sy);                     /* the events up to now are queued before the reply */
    cJSON_Delete(sy);
    int got_trade = 0, got_depth = 0;
    cJSON *fr;
    while ((fr = bcws_recv_json(mk, 0)) != NULL) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(fr, "data");
        if (!strcmp(bcs_jstr(d, "e"), "trade")) {
            got_trade++;
            assert_string_equal(bcs_jstr(d, "s"), "BTCUSDC");
            assert_true(near(dnum(d, "p"), 28000) && near(dnum(d, "q"), 0.5));
        } else if (!strcmp(bcs_jstr(d, "e"), "depthUpdate")) {
            const cJSON *lv;
            cJSON_ArrayForEach(lv, cJSON_GetObjectItemCaseSensitive(d, "a"))
                if (near(atof(cJSON_GetArrayItem(lv, 0)->valuestring), 28000)) {
                    got_depth++;
                    assert_true(near(atof(cJSON_GetArrayItem(lv, 1)->valuestring), 0.5));
                }
        }
        cJSON_Delete(fr);
    }
    assert_int_equal(got_trade, 1);
    assert_int_equal(got_depth, 1);
    bcws_close(mk);

    assert_true(near(free_of(f, 0, "USDT"), usdt0 - 14000));
    assert_true(near(free_of(f, 0, "USDC"), 0));
    /* the print is a real trade of BTCUSDC; its book lost 0.5 at 28000 */
    bcs_http(&f->m, "GET", "/api/v3/trades?symbol=BTCUSDC", NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_true(near(dnum(cJSON_GetArrayItem(r.json, 0), "price"), 28000));
    assert_true(near(dnum(cJSON_GetArrayItem(r.json, 0), "qty"), 0.5));
    bcs_resp_free(&r);
    bcs_http(&f->m, "GET", "/api/v3/trades?symbol=BTCUSDT", NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    bcs_resp_free(&r);
    bcs_http(&f->m, "GET", "/api/v3/depth?symbol=BTCUSDC", NULL, NULL, &r);
    const cJSON *best = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "asks"), 0);
    assert_true(near(atof(cJSON_GetArrayItem(best, 0)->valuestring), 28000));
    assert_true(near(atof(cJSON_GetArrayItem(best, 1)->valuestring), 0.5));
    bcs_resp_free(&r);
    double cross = 0;
    assert_true(near(sor_ledger(f, "USDT", &cross), 14000));
    assert_true(near(sor_ledger(f, "USDC", NULL), -14000));
    assert_true(cross == 1);
}

/* Example 2 over REST and the WS API: four allocations over three books,
 * 148000 USDT; then myAllocations lists them and myTrades does not, bob's
 * myTrades on each book lists his maker trades. */
static void faq_example2(fx *f, int via_ws)
{
    faq_asks(f);
    bcws *c = ws_user(f, "ed25519.pem");
    double usdt0 = free_of(f, 0, "USDT");
    static const char *const kv[] = { "symbol", "BTCUSDT", "side", "BUY", "type", "LIMIT", "timeInForce", "GTC",
        "quantity", "5", "price", "31000", NULL };
    cJSON *o = place_sor(f, via_ws ? c : NULL, kv);
    check_sor_order(o, "FILLED", 5, 148000, EX2, 4, "BTC");
    double oid = bcs_jnum(o, "orderId");
    cJSON_Delete(o);
    if (via_ws) {                            /* WS myAllocations: the same four */
        char fr[256];
        snprintf(fr, sizeof fr, "{\"id\":\"al\",\"method\":\"myAllocations\",\"params\":{\"symbol\":\"BTCUSDT\","
                 "\"orderId\":%.0f,\"timestamp\":%lld}}", oid, (long long)f->now_ms);
        cJSON *r = bcws_call(c, fr, WAIT_MS);
        const cJSON *res = bcs_ws_ok(r);
        assert_int_equal(cJSON_GetArraySize(res), 4);
        for (int i = 0; i < 4; i++) {
            const cJSON *al = cJSON_GetArrayItem(res, i);
            assert_true(bcs_jnum(al, "allocationId") == i);
            assert_true(near(dnum(al, "price"), EX2[i].price) && near(dnum(al, "qty"), EX2[i].qty));
        }
        cJSON_Delete(r);
    }
    /* one TRADE per allocation, in the FAQ's order, L from each book */
    for (int i = 0; i < 4; i++) {
        cJSON *ev = next_event(c, "executionReport", "TRADE");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
        assert_true(near(dnum(e, "L"), EX2[i].price) && near(dnum(e, "l"), EX2[i].qty));
        assert_true(bcs_jnum(e, "a") == i && bcs_jnum(e, "t") == -1);
        assert_string_equal(bcs_jstr(e, "X"), i == 3 ? "FILLED" : "PARTIALLY_FILLED");
        cJSON_Delete(ev);
    }
    bcws_close(c);
    assert_true(near(free_of(f, 0, "USDT"), usdt0 - 148000));
    double cross = 0;
    assert_true(near(sor_ledger(f, "USDT", &cross), 28000 + 29000 + 30000));
    assert_true(near(sor_ledger(f, "USDC", NULL), -58000));
    assert_true(near(sor_ledger(f, "USDP", NULL), -29000));
    assert_true(cross == 3);                 /* the BTCUSDT fill needs no swap */

    char q[128];
    bcs_resp rr;
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", oid);
    bcs_fx_call(f, "GET", "/api/v3/myAllocations", q, NULL, &rr);
    assert_int_equal(rr.status, 200);
    assert_int_equal(cJSON_GetArraySize(rr.json), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *al = cJSON_GetArrayItem(rr.json, i);
        assert_string_equal(bcs_jstr(al, "symbol"), "BTCUSDT");     /* the symbol the order was sent to */
        assert_string_equal(bcs_jstr(al, "allocationType"), "SOR");
        assert_true(bcs_jnum(al, "allocationId") == i);
        assert_true(near(dnum(al, "price"), EX2[i].price) && near(dnum(al, "qty"), EX2[i].qty));
        assert_true(near(dnum(al, "quoteQty"), EX2[i].price * EX2[i].qty));
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(al, "isBuyer")));
    }
    bcs_resp_free(&rr);
    bcs_fx_call(f, "GET", "/api/v3/myTrades", "symbol=BTCUSDC", NULL, &rr);
    assert_int_equal(cJSON_GetArraySize(rr.json), 0);
    bcs_resp_free(&rr);
    as_bob(f, "GET", "/api/v3/myTrades", "symbol=BTCUSDC", &rr);
    assert_int_equal(cJSON_GetArraySize(rr.json), 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rr.json, 0), "isMaker")));
    bcs_resp_free(&rr);
    as_bob(f, "GET", "/api/v3/myTrades", "symbol=BTCUSDP", &rr);
    assert_int_equal(cJSON_GetArraySize(rr.json), 1);
    bcs_resp_free(&rr);
}

static void test_faq_example1_rest(void **state) { faq_example1(*state, 0); }
static void test_faq_example1_ws(void **state) { faq_example1(*state, 1); }
static void test_faq_example2_rest(void **state) { faq_example2(*state, 0); }
static void test_faq_example2_ws(void **state) { faq_example2(*state, 1); }

/* Example 3 over REST: MARKET BUY 11 takes all 10 BTC of the three books
 * (305900 USDT) and the remaining 1 expires. */
static void test_faq_example3_market_expires(void **state)
{
    fx *f = *state;
    faq_asks(f);
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=11", NULL, &r);
    assert_int_equal(r.status, 200);
    check_sor_order(r.json, "EXPIRED", 10, 305900, EX3, 6, "BTC");
    bcs_resp_free(&r);
    static const char *const syms[] = { "BTCUSDT", "BTCUSDC", "BTCUSDP" };
    for (int i = 0; i < 3; i++) {
        char p[96];
        snprintf(p, sizeof p, "/api/v3/depth?symbol=%s", syms[i]);
        bcs_http(&f->m, "GET", p, NULL, NULL, &r);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "asks")), 0);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "bids")), 0);
        bcs_resp_free(&r);
    }
    assert_true(near(free_of(f, 0, "USDT"), 1000000 - 305900));
}

/* Example 4 over the WS API: LIMIT GTC SELL 10 at 29000 sells 5 + 5 into
 * BTCUSDC's bids for 325000 USDT (commission in USDT), nothing rests. */
static void test_faq_example4_sell_ws(void **state)
{
    fx *f = *state;
    bob_limit(f, "BTCUSDT", "BUY", "5", "29500");
    bob_limit(f, "BTCUSDC", "BUY", "5", "35000");
    bob_limit(f, "BTCUSDC", "BUY", "5", "30000");
    bob_limit(f, "BTCUSDP", "BUY", "5", "28000");
    bcws *c = ws_user(f, "ed25519.pem");
    char fr[512];
    snprintf(fr, sizeof fr, "{\"id\":8,\"method\":\"sor.order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"SELL\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"10\",\"price\":\"29000\","
             "\"timestamp\":%lld}}", (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    check_sor_order(cJSON_GetArrayItem(bcs_ws_ok(r), 0), "FILLED", 10, 325000, EX4, 2, "USDT");
    cJSON_Delete(r);
    bcws_close(c);
    assert_true(near(free_of(f, 0, "USDT"), 1000000 + 325000 - 325));
    assert_true(near(free_of(f, 0, "BTC"), 10));
    assert_true(near(sor_ledger(f, "USDT", NULL), -325000));
    assert_true(near(sor_ledger(f, "USDC", NULL), 325000));
}

/* A LIMIT GTC that the three books cannot fill: 9 BTC across them, the
 * remaining 3 rest on BTCUSDT (the submitted book) at the order's price;
 * the same as IOC expires instead. */
static void test_gtc_rests_ioc_expires(void **state)
{
    fx *f = *state;
    faq_asks(f);
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC"
                "&quantity=2.5&price=29000", NULL, &r);
    assert_int_equal(r.status, 200);
    static const pr ioc[] = { { 28000, 1 }, { 29000, 1 } };
    check_sor_order(r.json, "EXPIRED", 2, 57000, ioc, 2, "BTC");
    bcs_resp_free(&r);
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
                "&quantity=10&price=31000", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(bcs_jstr(r.json, "status"), "PARTIALLY_FILLED");
    assert_true(near(dnum(r.json, "executedQty"), 7));      /* 1 @ 30000, 3 @ 30500, 3 @ 30800 */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "fills")), 3);
    bcs_resp_free(&r);
    bcs_http(&f->m, "GET", "/api/v3/depth?symbol=BTCUSDT", NULL, NULL, &r);
    const cJSON *bid = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "bids"), 0);
    assert_non_null(bid);
    assert_true(near(atof(cJSON_GetArrayItem(bid, 0)->valuestring), 31000));
    assert_true(near(atof(cJSON_GetArrayItem(bid, 1)->valuestring), 3));
    bcs_resp_free(&r);
    static const char *const others[] = { "BTCUSDC", "BTCUSDP" };
    for (int i = 0; i < 2; i++) {
        char p[96];
        snprintf(p, sizeof p, "/api/v3/depth?symbol=%s", others[i]);
        bcs_http(&f->m, "GET", p, NULL, NULL, &r);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "bids")), 0);
        bcs_resp_free(&r);
    }
    bcs_fx_call(f, "GET", "/api/v3/openOrders", "symbol=BTCUSDT", NULL, &r);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_true(near(dnum(cJSON_GetArrayItem(r.json, 0), "origQty"), 10));
    bcs_resp_free(&r);
}

static double depth_qty(fx *f, const char *sym, const char *side)
{
    char p[96];
    bcs_resp r;
    snprintf(p, sizeof p, "/api/v3/depth?symbol=%s", sym);
    bcs_http(&f->m, "GET", p, NULL, NULL, &r);
    double q = 0;
    const cJSON *lv;
    cJSON_ArrayForEach(lv, cJSON_GetObjectItemCaseSensitive(r.json, side)) q += atof(cJSON_GetArrayItem(lv, 1)->valuestring);
    bcs_resp_free(&r);
    return q;
}

/* Ties (docs silent): at one price the submitted book first, then the
 * group's order (BTCUSDC before BTCUSDP). STP across books: alice's own
 * BTCUSDP ask at a better price is a self-trade; EXPIRE_MAKER expires it. */
static void test_ties_and_stp_across_books(void **state)
{
    fx *f = *state;
    bob_limit(f, "BTCUSDP", "SELL", "1", "30000");
    bob_limit(f, "BTCUSDC", "SELL", "1", "30000");
    bob_limit(f, "BTCUSDT", "SELL", "1", "30000");
    double cross = -1;
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1", NULL, &r);
    assert_string_equal(bcs_jstr(r.json, "status"), "FILLED");
    bcs_resp_free(&r);
    assert_true(depth_qty(f, "BTCUSDT", "asks") == 0);      /* its own book first */
    sor_ledger(f, "USDT", &cross);
    assert_true(cross == 0);
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1", NULL, &r);
    bcs_resp_free(&r);
    assert_true(depth_qty(f, "BTCUSDC", "asks") == 0);      /* then the group's order */
    assert_true(depth_qty(f, "BTCUSDP", "asks") == 1);
    bcs_fx_call(f, "POST", "/api/v3/order", "symbol=BTCUSDP&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1"
                "&price=29000&newClientOrderId=own-ask", NULL, &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    bcs_fx_call(f, "POST", "/api/v3/sor/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1"
                "&price=31000&selfTradePreventionMode=EXPIRE_MAKER", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(bcs_jstr(r.json, "status"), "FILLED");
    assert_true(near(dnum(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "fills"), 0), "price"), 30000));
    bcs_resp_free(&r);
    bcs_fx_call(f, "GET", "/api/v3/order", "symbol=BTCUSDP&origClientOrderId=own-ask", NULL, &r);
    assert_string_equal(bcs_jstr(r.json, "status"), "EXPIRED_IN_MATCH");
    bcs_resp_free(&r);
    assert_true(depth_qty(f, "BTCUSDP", "asks") == 0);
}

/* A print an SOR order makes in another book triggers that book's stops:
 * bob's SELL STOP_LOSS_LIMIT on BTCUSDC (stop 28500; the book's start
 * price is 30000) goes live at the 28000 print of Example 1 and rests as
 * a 28500 ask. */
static void test_other_book_stops_trigger(void **state)
{
    fx *f = *state;
    faq_asks(f);
    bcs_resp r;
    as_bob(f, "POST", "/api/v3/order", "symbol=BTCUSDC&side=SELL&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=1"
           "&price=28500&stopPrice=28500&newClientOrderId=bob-stop", &r);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_true(near(depth_qty(f, "BTCUSDC", "asks"), 2));
    static const char *const kv[] = { "symbol", "BTCUSDT", "side", "BUY", "type", "MARKET", "quantity", "0.5", NULL };
    cJSON *o = place_sor(f, NULL, kv);
    check_sor_order(o, "FILLED", 0.5, 14000, EX1, 1, "BTC");
    cJSON_Delete(o);
    assert_true(near(depth_qty(f, "BTCUSDC", "asks"), 2.5));     /* 0.5 @ 28000, 1 @ 28500, 1 @ 30000 */
    as_bob(f, "GET", "/api/v3/order", "symbol=BTCUSDC&origClientOrderId=bob-stop", &r);
    assert_string_equal(bcs_jstr(r.json, "status"), "NEW");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "isWorking")));
    bcs_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_faq_example1_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faq_example1_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faq_example2_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faq_example2_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faq_example3_market_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faq_example4_sell_ws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gtc_rests_ioc_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ties_and_stp_across_books, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_book_stops_trigger, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
