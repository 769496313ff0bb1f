/* server_events: every field of the user-data events (executionReport,
 * outboundAccountPosition, balanceUpdate) of the real binance-mock, checked
 * against values this file computes itself from the orders it placed and the
 * fills each scenario lists - never through the engine's code.
 *
 * One quiet symbol (no simulator), two traders (alice, bob) each with a WS API
 * session subscribed to its user data, REST orders at a frozen clock moved one
 * second per step. After each step a marker deposit (asset MRK) is made for
 * both accounts: its balanceUpdate + outboundAccountPosition close the step,
 * so "no other event" is checked too. A scenario is data: the steps (REST
 * calls) and, per step, the events expected in order, each given by what the
 * docs make it depend on (x, X, the fill, maker side, the STP match); the
 * checker derives the whole event from its own order and balance model and
 * compares the exact key set and every value. The key-set rule is
 * docs/events.md (from Binance's user-data-stream.md); the scenarios are in
 * server_events_scenarios.h, each run over REST and some over the WS API. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())
#define SYM "TSTUSDT"
#define NREC 32
#define MAXEV 24

enum { AL = 0, BO = 1 };
static const char *const acct_name[2] = { "alice", "bob" };
static const char *const rest_key[2] = { "hmac.secret", "bob-hmac.secret" };
static const char *const ws_key[2] = { "ed25519.pem", "bob-ed25519.pem" };

/* ---- fixed point, 8 decimals, independent of lib/dec ---- */
typedef long long q8;
#define Q8 100000000LL

static q8 q8p(const char *s)
{
    q8 ip = 0, fp = 0;
    int n = 0, neg = *s == '-';
    if (neg) s++;
    while (*s >= '0' && *s <= '9') ip = ip * 10 + (*s++ - '0');
    if (*s == '.') s++;
    while (*s >= '0' && *s <= '9' && n < 8) { fp = fp * 10 + (*s++ - '0'); n++; }
    while (n++ < 8) fp *= 10;
    return (neg ? -1 : 1) * (ip * Q8 + fp);
}

static const char *q8s(q8 v, char *out)
{
    snprintf(out, 32, "%s%lld.%08lld", v < 0 ? "-" : "", (v < 0 ? -v : v) / Q8, (v < 0 ? -v : v) % Q8);
    return out;
}

static q8 q8mul(q8 a, q8 b) { return (q8)((__int128)a * b / Q8); }
static q8 fee(q8 v) { return v / 1000; }          /* 0.1 % commission, rounded down */

/* ---- the test's own model: orders and balances ---- */
typedef struct rec {
    char name[40];             /* clientOrderId */
    long long id;
    int acct;
    char side[8], type[24], tif[8], stp[16];
    q8 price, qty, stop, iceberg, quote;
    long long sid, stype;
    int has_sid, has_stype;
    long long time_ms;
    int working;
    q8 z, Z, prevented, lock;  /* lock: what is still locked for it (priced orders) */
    int open;
} rec;

enum { USDT = 0, TST = 1 };
typedef struct ledger { q8 free[2], locked[2]; } ledger;

typedef struct ctx {
    bcs_fx *f;
    sig_key *key[2];
    bcws *ws[2];
    int sub[2];
    rec recs[NREC];
    int nrec;
    ledger led[2];
    long long now_ms;
    int marker;
    long long last_exec[2];
    long long exec_seen[256];
    int nexec;
    bcs_resp resp;             /* the last response (a WS API one: status and result/error) */
    int over_ws;               /* steps go over the WS API session instead of REST */
} ctx;

static rec *rec_find(ctx *c, const char *name)
{
    for (int i = 0; i < c->nrec; i++)
        if (!strcmp(c->recs[i].name, name)) return &c->recs[i];
    return NULL;
}

/* value of name=... in a query string (exact name), into out; 0 if absent */
static int qparam(const char *q, const char *name, char *out, size_t n)
{
    size_t ln = strlen(name);
    for (const char *p = q; p && *p;) {
        if (!strncmp(p, name, ln) && p[ln] == '=') {
            const char *v = p + ln + 1, *e = strchr(v, '&');
            size_t len = e ? (size_t)(e - v) : strlen(v);
            snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), v);
            return 1;
        }
        p = strchr(p, '&');
        if (p) p++;
    }
    return 0;
}

static int priced(const rec *r)
{
    return !strcmp(r->type, "LIMIT") || !strcmp(r->type, "LIMIT_MAKER") || !strcmp(r->type, "STOP_LOSS_LIMIT")
           || !strcmp(r->type, "TAKE_PROFIT_LIMIT");
}
static int market_like(const rec *r)
{
    return !strcmp(r->type, "MARKET") || !strcmp(r->type, "STOP_LOSS") || !strcmp(r->type, "TAKE_PROFIT");
}
static int is_stop(const rec *r) { return strstr(r->type, "STOP") || strstr(r->type, "TAKE"); }
static int buy(const rec *r) { return !strcmp(r->side, "BUY"); }

/* A new order record from the request's own parameters. */
static rec *rec_new(ctx *c, int acct, const char *params, const char *fixed_q)
{
    assert_true(c->nrec < NREC);
    rec *r = &c->recs[c->nrec++];
    char v[64];
    memset(r, 0, sizeof *r);
    r->acct = acct;
    assert_true(qparam(params, "newClientOrderId", r->name, sizeof r->name));
    qparam(params, "side", r->side, sizeof r->side);
    qparam(params, "type", r->type, sizeof r->type);
    snprintf(r->tif, sizeof r->tif, "GTC");
    qparam(params, "timeInForce", r->tif, sizeof r->tif);
    snprintf(r->stp, sizeof r->stp, "NONE");         /* the symbol's default */
    qparam(params, "selfTradePreventionMode", r->stp, sizeof r->stp);
    if (qparam(params, "price", v, sizeof v)) r->price = q8p(v);
    if (qparam(params, "quantity", v, sizeof v)) r->qty = q8p(v);
    if (qparam(params, "stopPrice", v, sizeof v)) r->stop = q8p(v);
    if (qparam(params, "icebergQty", v, sizeof v)) r->iceberg = q8p(v);
    if (qparam(params, "quoteOrderQty", v, sizeof v)) r->quote = q8p(v);
    if ((r->has_sid = qparam(params, "strategyId", v, sizeof v))) r->sid = atoll(v);
    if ((r->has_stype = qparam(params, "strategyType", v, sizeof v))) r->stype = atoll(v);
    if (fixed_q) r->qty = q8p(fixed_q);
    r->time_ms = c->now_ms;
    r->working = !is_stop(r);
    return r;
}

/* ---- the scenario tables ---- */
typedef struct xev {
    int acct;
    char kind;                 /* 'E' executionReport, 'P' outboundAccountPosition */
    const char *ord, *x, *X;
    const char *l, *L;         /* TRADE: the fill */
    int maker;
    long long t;               /* TRADE: trade id */
    const char *c;             /* CANCELED: the cancel's clientOrderId ("*" = the REST response's) */
    const char *r;             /* REJECTED: reason */
    int v;                     /* TRADE_PREVENTION: prevented match id ... */
    const char *B, *U, *pl, *pL;   /* ... last prevented qty, counter order, match qty and price */
} xev;

typedef struct step {
    int acct;
    const char *method, *path, *params;
    int http;                  /* expected HTTP status */
    const char *creates;       /* clientOrderId of the order it places (NULL: none) */
    const char *q;             /* quoteOrderQty order: the quantity it will have */
    const char *status;        /* expected REST "status" of that order (NULL: not checked) */
    xev ev[MAXEV];
} step;

#define ER(a, o, x, X) { a, 'E', o, x, X, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL }
#define TR(a, o, X, l, L, mk, t) { a, 'E', o, "TRADE", X, l, L, mk, t, NULL, NULL, 0, NULL, NULL, NULL, NULL }
#define CX(a, o, cid) { a, 'E', o, "CANCELED", "CANCELED", NULL, NULL, 0, 0, cid, NULL, 0, NULL, NULL, NULL, NULL }
#define RJ(a, o, r) { a, 'E', o, "REJECTED", "REJECTED", NULL, NULL, 0, 0, NULL, r, 0, NULL, NULL, NULL, NULL }
#define TP(a, o, X, v, B, U, pl, pL) { a, 'E', o, "TRADE_PREVENTION", X, NULL, NULL, 0, 0, NULL, NULL, v, B, U, pl, pL }
#define POS(a) { a, 'P', NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL }
#define END { -1, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL }
#define ORDER "/api/v3/order"

/* ---- setup ---- */
static const char symbols_json[] =
    "{\"symbols\":[{\"symbol\":\"" SYM "\",\"status\":\"TRADING\",\"baseAsset\":\"TST\",\"quoteAsset\":\"USDT\","
    "\"orderTypes\":[\"LIMIT\",\"LIMIT_MAKER\",\"MARKET\",\"STOP_LOSS\",\"STOP_LOSS_LIMIT\",\"TAKE_PROFIT\",\"TAKE_PROFIT_LIMIT\"],"
    "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"100000\",\"tickSize\":\"0.01\"},"
    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"10000\",\"stepSize\":\"0.001\"}],"
    "\"defaultSelfTradePreventionMode\":\"NONE\","
    "\"allowedSelfTradePreventionModes\":[\"NONE\",\"EXPIRE_TAKER\",\"EXPIRE_MAKER\",\"EXPIRE_BOTH\",\"DECREMENT\"],"
    "\"sim\":{\"price\":\"100\",\"qty\":\"1\",\"levels\":0}}]}";

static char symbols_path[64];

static int group_setup(void **state)
{
    (void)state;
    strcpy(symbols_path, "/tmp/bc_evsymXXXXXX");
    int fd = mkstemp(symbols_path);
    if (fd < 0) return -1;
    ssize_t n = write(fd, symbols_json, sizeof symbols_json - 1);
    close(fd);
    return n == (ssize_t)(sizeof symbols_json - 1) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    unlink(symbols_path);
    return 0;
}

static void set_balances(ctx *c, const char *json)
{
    assert_int_equal(bcs_admin(&c->f->m, "POST", "/__admin/accounts", json, NULL), 200);
}

static int setup(void **state)
{
    const char *args[] = { "--symbols", symbols_path, NULL };
    void *fxs = NULL;
    if (bcs_fx_start(&fxs, args, 0)) return -1;
    ctx *c = calloc(1, sizeof *c);
    c->f = fxs;
    c->now_ms = c->f->now_ms;
    set_balances(c, "{\"accounts\":[{\"name\":\"alice\",\"balances\":{\"USDT\":\"10000\",\"TST\":\"100\"}},"
                    "{\"name\":\"bob\",\"balances\":{\"USDT\":\"10000\",\"TST\":\"100\"}}]}");
    for (int a = 0; a < 2; a++) {
        c->led[a].free[USDT] = q8p("10000");
        c->led[a].free[TST] = q8p("100");
        c->key[a] = bcs_key(rest_key[a]);
        assert_non_null(c->key[a]);
        c->ws[a] = bcs_fx_ws(c->f, "/ws-api/v3");
        char ts[48];
        snprintf(ts, sizeof ts, "timestamp=%lld", c->now_ms);
        const char *pairs[] = { ts, NULL };
        sig_key *k = bcs_key(ws_key[a]);
        char *params = bcws_signed_params(k, bcs_api_key(ws_key[a]), pairs, 0);
        sig_key_free(k);
        char fr[1024];
        snprintf(fr, sizeof fr, "{\"id\":\"logon\",\"method\":\"session.logon\",\"params\":%s}", params);
        free(params);
        cJSON *r = bcws_call(c->ws[a], fr, WAIT_MS);
        assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status")), 200);
        cJSON_Delete(r);
        r = bcws_call(c->ws[a], "{\"id\":\"sub\",\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(r, "result");
        assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(res, "subscriptionId")));
        c->sub[a] = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "subscriptionId"));
        cJSON_Delete(r);
    }
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    for (int a = 0; a < 2; a++) {
        if (c->ws[a]) bcws_close(c->ws[a]);
        sig_key_free(c->key[a]);
    }
    bcs_resp_free(&c->resp);
    void *fxs = c->f;
    free(c);
    return bcs_fx_stop(&fxs);
}

/* ---- comparing ---- */
static void fail_ev(const cJSON *got, const cJSON *want, const char *why, const char *key)
{
    char *g = cJSON_PrintUnformatted(got), *w = want ? cJSON_PrintUnformatted(want) : NULL;
    fprintf(stderr, "event mismatch (%s \"%s\")\n  got:  %s\n  want: %s\n", why, key, g, w ? w : "-");
    free(g);
    free(w);
    fail_msg("event mismatch: %s %s", why, key);
}

/* Exact key set and every value; keys in skip are only checked for presence. */
static void compare(const cJSON *got, const cJSON *want, const char *skip)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, got)
        if (!cJSON_GetObjectItemCaseSensitive(want, it->string)) fail_ev(got, want, "unexpected key", it->string);
    cJSON_ArrayForEach(it, want) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, it->string);
        if (!g) fail_ev(got, want, "missing key", it->string);
        char k[8];
        snprintf(k, sizeof k, ",%s,", it->string);
        if (skip && strstr(skip, k)) continue;
        if (!cJSON_Compare(g, it, 1)) fail_ev(got, want, "wrong value", it->string);
    }
}

static void add_q8(cJSON *o, const char *k, q8 v)
{
    char b[32];
    cJSON_AddStringToObject(o, k, q8s(v, b));
}

static const char *expiry_reason(const rec *r)
{
    if (market_like(r)) return "INSUFFICIENT_LIQUIDITY";
    if (!strcmp(r->tif, "IOC")) return "UNFILLED_IOC_QUANTITY_EXPIRED";
    if (!strcmp(r->tif, "FOK")) return "UNFILLED_FOK_ORDER_EXPIRED";
    return "NONE";
}

/* The model's balance move for one event of order r (before it is rendered). */
static void model_apply(ctx *c, rec *r, const xev *x)
{
    ledger *g = &c->led[r->acct];
    int b = buy(r);
    if (!strcmp(x->x, "NEW")) {
        r->open = 1;
        if (b && priced(r)) r->lock = q8mul(r->price, r->qty);
        else if (!b && !market_like(r)) r->lock = r->qty;
        g->free[b ? USDT : TST] -= r->lock;
        g->locked[b ? USDT : TST] += r->lock;
    } else if (!strcmp(x->x, "TRADE")) {
        q8 l = q8p(x->l), L = q8p(x->L), quote = q8mul(l, L);
        r->z += l;
        r->Z += quote;
        int held = r->lock > 0;
        if (b) {
            if (held) { g->locked[USDT] -= quote; r->lock -= quote; }
            else g->free[USDT] -= quote;
            g->free[TST] += l - fee(l);
        } else {
            if (held) { g->locked[TST] -= l; r->lock -= l; }
            else g->free[TST] -= l;
            g->free[USDT] += quote - fee(quote);
        }
    } else if (!strcmp(x->x, "TRADE_PREVENTION")) {
        q8 last = q8p(x->B), part = b ? (priced(r) ? q8mul(r->price, last) : 0) : last;
        r->prevented += last;
        if (strcmp(x->X, "EXPIRED_IN_MATCH") && part > 0) {     /* DECREMENT: the rest stays */
            if (part > r->lock) part = r->lock;
            r->lock -= part;
            g->locked[b ? USDT : TST] -= part;
            g->free[b ? USDT : TST] += part;
        }
    }
    if (!strcmp(x->X, "FILLED") || !strcmp(x->X, "CANCELED") || !strcmp(x->X, "EXPIRED")
        || !strcmp(x->X, "EXPIRED_IN_MATCH") || !strcmp(x->X, "REJECTED")) {
        g->locked[b ? USDT : TST] -= r->lock;
        g->free[b ? USDT : TST] += r->lock;
        r->lock = 0;
        r->open = 0;
    }
}

/* w: on the book (docs/events.md): a working order's NEW event; later, an
 * open order of a type that rests. */
static int model_w(const rec *r, const xev *x)
{
    if (!strcmp(x->x, "NEW")) return r->working;
    if (strcmp(x->X, "NEW") && strcmp(x->X, "PARTIALLY_FILLED")) return 0;
    return r->working && !market_like(r) && strcmp(r->tif, "IOC") && strcmp(r->tif, "FOK");
}

static cJSON *want_execution(ctx *c, rec *r, const xev *x, const char *cancel_cid, long long got_i)
{
    char b[32];
    int trade = !strcmp(x->x, "TRADE"), stp = !strcmp(x->x, "TRADE_PREVENTION");
    q8 l = trade ? q8p(x->l) : 0, L = trade ? q8p(x->L) : 0;
    if (!r->id) r->id = got_i;          /* a REJECTED order has no REST response to name it */
    model_apply(c, r, x);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "e", "executionReport");
    cJSON_AddNumberToObject(e, "E", (double)c->now_ms);
    cJSON_AddStringToObject(e, "s", SYM);
    cJSON_AddStringToObject(e, "c", cancel_cid ? cancel_cid : r->name);
    cJSON_AddStringToObject(e, "S", r->side);
    cJSON_AddStringToObject(e, "o", r->type);
    cJSON_AddStringToObject(e, "f", r->tif);
    add_q8(e, "q", !strcmp(x->x, "REJECTED") && r->quote ? 0 : r->qty);
    add_q8(e, "p", r->price);
    add_q8(e, "P", r->stop);
    add_q8(e, "F", r->iceberg);
    cJSON_AddNumberToObject(e, "g", -1);
    cJSON_AddStringToObject(e, "C", cancel_cid ? r->name : "");
    cJSON_AddStringToObject(e, "x", x->x);
    cJSON_AddStringToObject(e, "X", x->X);
    cJSON_AddStringToObject(e, "r", x->r ? x->r : "NONE");
    cJSON_AddNumberToObject(e, "i", (double)r->id);
    add_q8(e, "l", l);
    add_q8(e, "z", r->z);
    add_q8(e, "L", L);
    if (trade) add_q8(e, "n", buy(r) ? fee(l) : fee(q8mul(l, L)));
    else cJSON_AddStringToObject(e, "n", "0");
    if (trade) cJSON_AddStringToObject(e, "N", buy(r) ? "TST" : "USDT");
    else cJSON_AddNullToObject(e, "N");
    cJSON_AddNumberToObject(e, "T", (double)c->now_ms);
    cJSON_AddNumberToObject(e, "t", trade ? (double)x->t : -1);
    cJSON_AddNumberToObject(e, "I", 0);                        /* checked apart: increasing, unique */
    cJSON_AddBoolToObject(e, "w", model_w(r, x));
    cJSON_AddBoolToObject(e, "m", trade && x->maker);
    cJSON_AddBoolToObject(e, "M", trade);
    cJSON_AddNumberToObject(e, "O", (double)r->time_ms);
    add_q8(e, "Z", r->Z);
    add_q8(e, "Y", q8mul(l, L));
    add_q8(e, "Q", r->quote);
    if (r->working && strcmp(x->x, "REJECTED")) cJSON_AddNumberToObject(e, "W", (double)r->time_ms);
    cJSON_AddStringToObject(e, "V", r->stp);
    if (r->has_sid) cJSON_AddNumberToObject(e, "j", (double)r->sid);
    if (r->has_stype) cJSON_AddNumberToObject(e, "J", (double)r->stype);
    if (stp) {
        rec *u = rec_find(c, x->U);
        assert_non_null(u);
        cJSON_AddNumberToObject(e, "v", x->v);
        add_q8(e, "A", r->prevented);
        cJSON_AddStringToObject(e, "B", q8s(q8p(x->B), b));
        cJSON_AddNumberToObject(e, "u", -1);
        cJSON_AddNumberToObject(e, "U", (double)u->id);
        cJSON_AddStringToObject(e, "Cs", SYM);
        add_q8(e, "pl", q8p(x->pl));
        add_q8(e, "pL", q8p(x->pL));
        add_q8(e, "pY", q8mul(q8p(x->pl), q8p(x->pL)));
    }
    if (!strcmp(x->X, "EXPIRED")) cJSON_AddStringToObject(e, "eR", expiry_reason(r));
    return e;
}

static cJSON *want_position(ctx *c, int acct, const char *const *assets, const q8 *fr, const q8 *lk, int n)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "e", "outboundAccountPosition");
    cJSON_AddNumberToObject(e, "E", (double)c->now_ms);
    cJSON_AddNumberToObject(e, "u", (double)c->now_ms);
    cJSON *arr = cJSON_AddArrayToObject(e, "B");
    for (int i = 0; i < n; i++) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "a", assets[i]);
        add_q8(b, "f", fr[i]);
        add_q8(b, "l", lk[i]);
        cJSON_AddItemToArray(arr, b);
    }
    (void)acct;
    return e;
}

/* B in any order: sort both by asset before comparing */
static void compare_position(const cJSON *got, cJSON *want)
{
    const cJSON *gb = cJSON_GetObjectItemCaseSensitive(got, "B");
    cJSON *wb = cJSON_GetObjectItemCaseSensitive(want, "B");
    if (!cJSON_IsArray(gb) || cJSON_GetArraySize(gb) != cJSON_GetArraySize(wb)) fail_ev(got, want, "balances", "B");
    const cJSON *g;
    cJSON_ArrayForEach(g, gb) {
        const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "a"));
        const cJSON *w = NULL, *it;
        cJSON_ArrayForEach(it, wb)
            if (a && !strcmp(a, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "a")))) w = it;
        if (!w) fail_ev(got, want, "unexpected asset", a ? a : "?");
        compare(g, w, NULL);
    }
    cJSON *copy = cJSON_Duplicate(got, 1);
    cJSON_ReplaceItemInObjectCaseSensitive(copy, "B", cJSON_Duplicate(wb, 1));
    compare(copy, want, NULL);
    cJSON_Delete(copy);
}

static void check_exec_id(ctx *c, int acct, const cJSON *ev)
{
    const cJSON *I = cJSON_GetObjectItemCaseSensitive(ev, "I");
    assert_true(cJSON_IsNumber(I));
    long long v = (long long)cJSON_GetNumberValue(I);
    if (v <= c->last_exec[acct]) fail_ev(ev, NULL, "execution id not increasing", "I");
    c->last_exec[acct] = v;
    for (int i = 0; i < c->nexec; i++)
        if (c->exec_seen[i] == v) fail_ev(ev, NULL, "execution id reused", "I");
    if (c->nexec < 256) c->exec_seen[c->nexec++] = v;
}

/* Next event of acct's subscription (unwrapped, owned by *holder). */
static const cJSON *next_event(ctx *c, int acct, cJSON **holder)
{
    *holder = bcws_recv_event(c->ws[acct], WAIT_MS);
    if (!*holder) fail_msg("%s: no event within %d ms", acct_name[acct], WAIT_MS);
    const cJSON *sid = cJSON_GetObjectItemCaseSensitive(*holder, "subscriptionId");
    assert_int_equal((int)cJSON_GetNumberValue(sid), c->sub[acct]);
    return cJSON_GetObjectItemCaseSensitive(*holder, "event");
}

/* The marker that closes a step: balanceUpdate of MRK, then its position. */
static void expect_marker(ctx *c, int acct, const cJSON *ev)
{
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "e", "balanceUpdate");
    cJSON_AddNumberToObject(w, "E", (double)c->now_ms);
    cJSON_AddStringToObject(w, "a", "MRK");
    cJSON_AddStringToObject(w, "d", "1.00000000");
    cJSON_AddNumberToObject(w, "T", (double)c->now_ms);
    compare(ev, w, NULL);
    cJSON_Delete(w);
    cJSON *h;
    const cJSON *p = next_event(c, acct, &h);
    static const char *const mrk[] = { "MRK" };
    q8 fr = (q8)c->marker * Q8, lk = 0;
    w = want_position(c, acct, mrk, &fr, &lk, 1);
    compare_position(p, w);
    cJSON_Delete(w);
    cJSON_Delete(h);
}

static int is_marker(const cJSON *ev)
{
    const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "e"));
    const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "a"));
    return e && a && !strcmp(e, "balanceUpdate") && !strcmp(a, "MRK");
}

/* The cancel's clientOrderId of order name in the last REST response. */
static const char *resp_cancel_cid(ctx *c, const char *name)
{
    const cJSON *j = c->resp.json, *it;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "data");
    if (d) j = d;
    if (cJSON_GetObjectItemCaseSensitive(j, "cancelResponse")) j = cJSON_GetObjectItemCaseSensitive(j, "cancelResponse");
    if (cJSON_IsObject(j)) {
        const char *o = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "origClientOrderId"));
        return o && !strcmp(o, name) ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "clientOrderId")) : NULL;
    }
    cJSON_ArrayForEach(it, j) {
        const char *o = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "origClientOrderId"));
        if (o && !strcmp(o, name)) return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "clientOrderId"));
    }
    return NULL;
}

static void check_events(ctx *c, const step *s)
{
    for (int a = 0; a < 2; a++) {
        int k = 0;
        for (;;) {
            cJSON *h;
            const cJSON *ev = next_event(c, a, &h);
            while (k < MAXEV && s->ev[k].acct >= 0 && s->ev[k].acct != a) k++;
            const xev *x = k < MAXEV && s->ev[k].acct == a ? &s->ev[k] : NULL;
            if (is_marker(ev)) {
                if (x) fail_ev(ev, NULL, "event missing before the marker", x->x ? x->x : "position");
                expect_marker(c, a, ev);
                cJSON_Delete(h);
                break;
            }
            if (!x) fail_ev(ev, NULL, "unexpected event", acct_name[a]);
            const char *et = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "e"));
            if (x->kind == 'P') {
                static const char *const assets[] = { "USDT", "TST" };
                cJSON *w = want_position(c, a, assets, c->led[a].free, c->led[a].locked, 2);
                compare_position(ev, w);
                cJSON_Delete(w);
            } else {
                if (!et || strcmp(et, "executionReport")) fail_ev(ev, NULL, "expected executionReport", x->x);
                rec *r = rec_find(c, x->ord);
                assert_non_null(r);
                const char *ccid = x->c && !strcmp(x->c, "*") ? resp_cancel_cid(c, x->ord) : x->c;
                if (x->c) assert_non_null(ccid);
                long long gi = (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ev, "i"));
                cJSON *w = want_execution(c, r, x, ccid, gi);
                compare(ev, w, ",I,");
                check_exec_id(c, a, ev);
                cJSON_Delete(w);
            }
            cJSON_Delete(h);
            k++;
        }
    }
}

/* The WS API method of a REST route (registry.c pairs them). */
static const char *ws_method(const char *method, const char *path)
{
    if (!strcmp(path, ORDER)) return !strcmp(method, "POST") ? "order.place" : "order.cancel";
    if (!strcmp(path, "/api/v3/openOrders")) return "openOrders.cancelAll";
    if (!strcmp(path, "/api/v3/order/cancelReplace")) return "order.cancelReplace";
    if (!strcmp(path, "/api/v3/account")) return "account.status";
    return NULL;
}

/* The same request over the account's logged-on WS API session: the reply
 * into c->resp (status; result, or the error object with its data). */
static void ws_request(ctx *c, const step *s)
{
    const char *m = ws_method(s->method, s->path);
    assert_non_null(m);
    cJSON *fr = cJSON_CreateObject(), *pr = cJSON_AddObjectToObject(fr, "params");
    cJSON_AddStringToObject(fr, "id", "step");
    cJSON_AddStringToObject(fr, "method", m);
    char buf[1024], *save = NULL;
    snprintf(buf, sizeof buf, "%s", s->params);
    for (char *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq) continue;
        *eq = '\0';
        cJSON_AddStringToObject(pr, kv, eq + 1);
    }
    cJSON_AddNumberToObject(pr, "timestamp", (double)c->now_ms);
    char *text = cJSON_PrintUnformatted(fr);
    cJSON_Delete(fr);
    cJSON *r = bcws_call(c->ws[s->acct], text, WAIT_MS);
    free(text);
    assert_non_null(r);
    c->resp.status = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status"));
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(r, c->resp.status == 200 ? "result" : "error");
    c->resp.json = cJSON_Duplicate(body, 1);
    cJSON_Delete(r);
}

static void run_step(ctx *c, const step *s)
{
    c->now_ms += 1000;
    assert_int_equal(bcs_clock_freeze(&c->f->m, c->now_ms), 200);
    char q[1024];
    snprintf(q, sizeof q, "%s&timestamp=%lld", s->params, c->now_ms);
    bcs_resp_free(&c->resp);
    memset(&c->resp, 0, sizeof c->resp);
    rec *r = s->creates ? rec_new(c, s->acct, s->params, s->q) : NULL;
    if (c->over_ws) ws_request(c, s);
    else assert_int_equal(bcs_signed(&c->f->m, s->method, s->path, c->key[s->acct], bcs_api_key(rest_key[s->acct]),
                                     q, NULL, 0, NULL, &c->resp), 0);
    if (c->resp.status != s->http) {
        char *t = c->resp.json ? cJSON_PrintUnformatted(c->resp.json) : NULL;
        fprintf(stderr, "%s %s: status %d, want %d: %s\n", s->method, s->path, c->resp.status, s->http, t ? t : "");
        free(t);
        fail_msg("unexpected status");
    }
    const cJSON *o = c->resp.json;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "data");
    if (d) o = d;                                    /* cancelReplace: 4xx with data, 200 without */
    if (cJSON_GetObjectItemCaseSensitive(o, "newOrderResponse")) o = cJSON_GetObjectItemCaseSensitive(o, "newOrderResponse");
    if (r && cJSON_GetObjectItemCaseSensitive(o, "orderId")) {
        r->id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "orderId"));
        char b[32];
        const char *oq = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "origQty"));
        if (oq) assert_string_equal(oq, q8s(r->qty, b));               /* origQty = q */
    }
    if (s->status) {
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "status"));
        assert_non_null(st);
        assert_string_equal(st, s->status);
    }
    c->marker++;
    char j[256];
    snprintf(j, sizeof j, "{\"accounts\":[{\"name\":\"alice\",\"balances\":{\"MRK\":\"%d\"}},"
             "{\"name\":\"bob\",\"balances\":{\"MRK\":\"%d\"}}]}", c->marker, c->marker);
    set_balances(c, j);
    check_events(c, s);
}

static void run(void **state, const step *steps, size_t n)
{
    ctx *c = *state;
    for (size_t i = 0; i < n; i++) run_step(c, &steps[i]);
}
#define RUN(state, steps) run(state, steps, sizeof steps / sizeof steps[0])

/* ---- scenarios ---- */
#include "server_events_scenarios.h"

static void test_limit_partial_cancel(void **state) { RUN(state, limit_partial_cancel); }
static void test_limit_tif_expiries(void **state) { RUN(state, limit_tif_expiries); }
static void test_market_by_quantity(void **state) { RUN(state, market_by_quantity); }
static void test_market_by_quote(void **state) { RUN(state, market_by_quote); }
static void test_cancel_replace(void **state) { RUN(state, cancel_replace); }
static void test_stp_expire_maker(void **state) { RUN(state, stp_expire_maker); }
static void test_stp_expire_taker(void **state) { RUN(state, stp_expire_taker); }
static void test_stp_none(void **state) { RUN(state, stp_none); }
static void test_stp_expire_both(void **state) { RUN(state, stp_expire_both); }
static void test_stp_decrement(void **state) { RUN(state, stp_decrement); }
static void test_stop_waiting(void **state) { RUN(state, stop_waiting); }

/* The same scenarios with every order request over the WS API session. */
static void over_ws(void **state) { ((ctx *)*state)->over_ws = 1; }
static void test_ws_limit_partial_cancel(void **state) { over_ws(state); RUN(state, limit_partial_cancel); }
static void test_ws_limit_tif_expiries(void **state) { over_ws(state); RUN(state, limit_tif_expiries); }
static void test_ws_market_by_quote(void **state) { over_ws(state); RUN(state, market_by_quote); }
static void test_ws_cancel_replace(void **state) { over_ws(state); RUN(state, cancel_replace); }
static void test_ws_stp_decrement(void **state) { over_ws(state); RUN(state, stp_decrement); }

/* A deposit: balanceUpdate with the delta, then outboundAccountPosition of
 * that asset (the marker checks exactly this after every step; here a
 * withdrawal too: a negative delta). */
static void test_deposit_and_withdrawal(void **state)
{
    ctx *c = *state;
    c->now_ms += 1000;
    assert_int_equal(bcs_clock_freeze(&c->f->m, c->now_ms), 200);
    set_balances(c, "{\"accounts\":[{\"name\":\"alice\",\"balances\":{\"TST\":\"107.5\"}}]}");
    set_balances(c, "{\"accounts\":[{\"name\":\"alice\",\"balances\":{\"TST\":\"100\"}}]}");
    static const char *const d[] = { "7.50000000", "-7.50000000" };
    static const char *const tst[] = { "TST" };
    const q8 fr[] = { q8p("107.5"), q8p("100") }, zero = 0;
    for (int i = 0; i < 2; i++) {
        cJSON *h;
        const cJSON *ev = next_event(c, AL, &h);
        cJSON *w = cJSON_CreateObject();
        cJSON_AddStringToObject(w, "e", "balanceUpdate");
        cJSON_AddNumberToObject(w, "E", (double)c->now_ms);
        cJSON_AddStringToObject(w, "a", "TST");
        cJSON_AddStringToObject(w, "d", d[i]);
        cJSON_AddNumberToObject(w, "T", (double)c->now_ms);
        compare(ev, w, NULL);
        cJSON_Delete(w);
        cJSON_Delete(h);
        ev = next_event(c, AL, &h);
        w = want_position(c, AL, tst, &fr[i], &zero, 1);
        compare_position(ev, w);
        cJSON_Delete(w);
        cJSON_Delete(h);
    }
    static const step none = { AL, "GET", "/api/v3/account", "omitZeroBalances=true", 200, NULL, NULL, NULL, { END } };
    run_step(c, &none);                              /* and nothing else came */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_limit_partial_cancel), T(test_limit_tif_expiries), T(test_market_by_quantity),
        T(test_market_by_quote), T(test_cancel_replace), T(test_stp_expire_maker),
        T(test_stp_none), T(test_stp_expire_taker), T(test_stp_expire_both), T(test_stp_decrement),
        T(test_stop_waiting), T(test_deposit_and_withdrawal),
        T(test_ws_limit_partial_cancel), T(test_ws_limit_tif_expiries), T(test_ws_market_by_quote),
        T(test_ws_cancel_replace), T(test_ws_stp_decrement),
    };
    return cmocka_run_group_tests_name("events", tests, group_setup, group_teardown);
}
