/* ws_render.c: the payloads of the timer-driven market streams, in the key
 * order of web-socket-streams.md - partial depth, 24hrTicker, 24hrMiniTicker,
 * <w>Ticker (rolling windows), avgPrice and referencePrice from the REST
 * twin's handler (one implementation of each statistic), klines straight
 * from the exchange (they carry the first/last trade ids the REST rows do
 * not). Called with no hub lock held; takes the exchange lock. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "endpoints.h"
#include "exchange.h"
#include "market.h"
#include "srv.h"
#include "ws_int.h"
#include "ws_render.h"

/* Run a registry route's handler with params; returns its body (owned) or NULL. */
static cJSON *wsr_route(struct ws_hub *h, const char *ws_method, const char *const *kv, int64_t now)
{
    const api_route *r = endpoints_find_ws(ws_method);
    if (!r) return NULL;
    params_t p;
    params_init(&p);
    for (size_t i = 0; kv[i]; i += 2)
        if (params_add(&p, kv[i], kv[i + 1], PARAM_QUERY)) { params_free(&p); return NULL; }
    api_req rq = { .srv = h->srv, .route = r, .params = &p, .account_id = -1, .now_us = now,
                   .transport = API_WS, .client_ip = "127.0.0.1" };
    api_resp rs;
    memset(&rs, 0, sizeof rs);
    rs.weight = r->weight;
    r->fn(&rq, &rs);
    params_free(&p);
    cJSON_Delete(rs.err_data);
    if (rs.err != ERR_NONE) { cJSON_Delete(rs.body); return NULL; }
    return rs.body;
}

static void wsr_copy(cJSON *ev, const char *to, const cJSON *from, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);
    if (v) cJSON_AddItemToObject(ev, to, cJSON_Duplicate(v, 1));
}

static void wsr_time(cJSON *o, const char *name, int64_t ms)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)ms);
    cJSON_AddRawToObject(o, name, t);
}

typedef struct wsr_map { const char *key, *from; } wsr_map;

static const wsr_map wsr_full[] = {
    { "p", "priceChange" }, { "P", "priceChangePercent" }, { "w", "weightedAvgPrice" },
    { "x", "prevClosePrice" }, { "c", "lastPrice" }, { "Q", "lastQty" }, { "b", "bidPrice" },
    { "B", "bidQty" }, { "a", "askPrice" }, { "A", "askQty" }, { "o", "openPrice" },
    { "h", "highPrice" }, { "l", "lowPrice" }, { "v", "volume" }, { "q", "quoteVolume" },
    { "O", "openTime" }, { "C", "closeTime" }, { "F", "firstId" }, { "L", "lastId" }, { "n", "count" },
    { NULL, NULL },
};
static const wsr_map wsr_mini[] = {
    { "c", "lastPrice" }, { "o", "openPrice" }, { "h", "highPrice" }, { "l", "lowPrice" },
    { "v", "volume" }, { "q", "quoteVolume" }, { NULL, NULL },
};
static const wsr_map wsr_window[] = {
    { "p", "priceChange" }, { "P", "priceChangePercent" }, { "o", "openPrice" }, { "h", "highPrice" },
    { "l", "lowPrice" }, { "c", "lastPrice" }, { "w", "weightedAvgPrice" }, { "v", "volume" },
    { "q", "quoteVolume" }, { "O", "openTime" }, { "C", "closeTime" }, { "F", "firstId" },
    { "L", "lastId" }, { "n", "count" }, { NULL, NULL },
};

/* {"e":type,"E":now,"s":symbol, mapped fields}; with_E 0 leaves E out (the
 * all-market streams add it after comparing payloads). */
static cJSON *wsr_ticker(const char *type, const cJSON *t, const wsr_map *map, int64_t now, int with_E)
{
    cJSON *ev = cJSON_CreateObject();
    if (!ev) return NULL;
    cJSON_AddStringToObject(ev, "e", type);
    if (with_E) wsr_time(ev, "E", now / 1000);
    wsr_copy(ev, "s", t, "symbol");
    for (size_t i = 0; map[i].key; i++) wsr_copy(ev, map[i].key, t, map[i].from);
    return ev;
}

/* Upper-case names of every listed symbol (NULL-terminated, malloc'd). */
static char **wsr_symbols(struct ws_hub *h)
{
    struct exchange *ex = srv_exchange(h->srv);
    if (!ex) return NULL;
    exchange_lock(ex);
    size_t n = ex_symbol_count(ex);
    char **v = calloc(n + 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++) v[i] = strdup(ex_symbol_at(ex, i)->name);
    exchange_unlock(ex);
    return v;
}

static void wsr_symbols_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++) free(v[i]);
    free(v);
}

static cJSON *wsr_window_one(struct ws_hub *h, const char *symbol, const char *w, int64_t now, int with_E)
{
    const char *kv[] = { "symbol", symbol, "windowSize", w, NULL };
    char type[16];
    snprintf(type, sizeof type, "%sTicker", w);
    cJSON *body = wsr_route(h, "ticker", kv, now), *ev = NULL;
    if (body) ev = wsr_ticker(type, body, wsr_window, now, with_E);
    cJSON_Delete(body);
    return ev;
}

static void wsr_dec(cJSON *o, const char *k, dec_t v)
{
    char b[48];
    dec_format(b, sizeof b, v, 8);
    cJSON_AddStringToObject(o, k, b);
}

static cJSON *wsr_kline_json(const wsr_name *pn, const ex_kline *k, int64_t now, int closed)
{
    cJSON *ev = cJSON_CreateObject(), *o = cJSON_CreateObject();
    if (!ev || !o) { cJSON_Delete(ev); cJSON_Delete(o); return NULL; }
    cJSON_AddStringToObject(ev, "e", "kline");
    wsr_time(ev, "E", now / 1000);
    cJSON_AddStringToObject(ev, "s", pn->symbol);
    wsr_time(o, "t", k->open_us / 1000);
    wsr_time(o, "T", (k->close_us + 999) / 1000);
    cJSON_AddStringToObject(o, "s", pn->symbol);
    cJSON_AddStringToObject(o, "i", pn->arg);
    wsr_time(o, "f", k->first_id);
    wsr_time(o, "L", k->last_id);
    wsr_dec(o, "o", k->o);
    wsr_dec(o, "c", k->c);
    wsr_dec(o, "h", k->h);
    wsr_dec(o, "l", k->l);
    wsr_dec(o, "v", k->vol);
    wsr_time(o, "n", k->n);
    cJSON_AddBoolToObject(o, "x", closed);
    wsr_dec(o, "q", k->qvol);
    wsr_dec(o, "V", k->tbv);
    wsr_dec(o, "Q", k->tbq);
    cJSON_AddStringToObject(o, "B", "0");
    cJSON_AddItemToObject(ev, "k", o);
    return ev;
}

/* The candle open now, and (when prev_open_us names an earlier candle) that
 * one, closed. */
static int wsr_kline(struct ws_hub *h, const wsr_name *pn, int64_t now, wsr_out *out)
{
    struct exchange *ex = srv_exchange(h->srv);
    ex_interval iv;
    if (!ex || ex_interval_parse(pn->arg, &iv)) return -1;
    ex_kline cur, prev;
    size_t nc = 0, np = 0;
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_find(ex, pn->symbol);
    if (s) {
        nc = ex_klines_locked(ex, s, &iv, -1, -1, 1, pn->tz_us, &cur);
        if (nc && out->kline_open_us && out->kline_open_us < cur.open_us)
            np = ex_klines_locked(ex, s, &iv, out->kline_open_us, -1, 1, pn->tz_us, &prev);
    }
    exchange_unlock(ex);
    if (!nc) return -1;
    if (np && prev.open_us < cur.open_us) out->ev[out->n++] = wsr_kline_json(pn, &prev, now, 1);
    out->ev[out->n++] = wsr_kline_json(pn, &cur, now, 0);
    out->kline_open_us = cur.open_us;
    return 0;
}

static int wsr_all(struct ws_hub *h, const wsr_name *pn, int64_t now, wsr_out *out)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr) return -1;
    if (pn->kind == WSR_ALL_MINI) {
        const char *kv[] = { NULL };
        cJSON *body = wsr_route(h, "ticker.24hr", kv, now);
        const cJSON *t;
        cJSON_ArrayForEach(t, body) cJSON_AddItemToArray(arr, wsr_ticker("24hrMiniTicker", t, wsr_mini, now, 0));
        cJSON_Delete(body);
    } else {
        char **syms = wsr_symbols(h);
        for (size_t i = 0; syms && syms[i]; i++) {
            cJSON *ev = wsr_window_one(h, syms[i], pn->arg, now, 0);
            if (ev) cJSON_AddItemToArray(arr, ev);
        }
        wsr_symbols_free(syms);
    }
    out->ev[out->n++] = arr;
    return 0;
}

int wsr_render(struct ws_hub *h, const wsr_name *pn, int64_t now, wsr_out *out)
{
    cJSON *body = NULL, *ev = NULL;
    const char *sym[] = { "symbol", pn->symbol, NULL };
    out->n = 0;
    switch (pn->kind) {
    case WSR_DEPTH: {
        const char *kv[] = { "symbol", pn->symbol, "limit", pn->arg, NULL };
        ev = wsr_route(h, "depth", kv, now);        /* {lastUpdateId, bids, asks} as is */
        break;
    }
    case WSR_TICKER:
    case WSR_MINI:
        if ((body = wsr_route(h, "ticker.24hr", sym, now)))
            ev = pn->kind == WSR_MINI ? wsr_ticker("24hrMiniTicker", body, wsr_mini, now, 1)
                                      : wsr_ticker("24hrTicker", body, wsr_full, now, 1);
        break;
    case WSR_WINDOW:
        ev = wsr_window_one(h, pn->symbol, pn->arg, now, 1);
        break;
    case WSR_AVG:
        if ((body = wsr_route(h, "avgPrice", sym, now)) && (ev = cJSON_CreateObject())) {
            cJSON_AddStringToObject(ev, "e", "avgPrice");
            wsr_time(ev, "E", now / 1000);
            cJSON_AddStringToObject(ev, "s", pn->symbol);
            cJSON_AddStringToObject(ev, "i", "5m");
            wsr_copy(ev, "w", body, "price");
            wsr_copy(ev, "T", body, "closeTime");
        }
        break;
    case WSR_REFPRICE:
        /* no symbol of the mock has a reference price (price range execution
         * rules are not simulated): "r" is null, as documented for that case */
        if ((ev = cJSON_CreateObject())) {
            cJSON_AddStringToObject(ev, "e", "referencePrice");
            cJSON_AddStringToObject(ev, "s", pn->symbol);
            cJSON_AddNullToObject(ev, "r");
            wsr_time(ev, "t", now / 1000);
        }
        break;
    case WSR_KLINE:
        return wsr_kline(h, pn, now, out);
    case WSR_ALL_MINI:
    case WSR_ALL_WINDOW:
        return wsr_all(h, pn, now, out);
    default:
        return -1;
    }
    cJSON_Delete(body);
    if (!ev) return -1;
    out->ev[out->n++] = ev;
    return 0;
}

static void wsr_upper(char *dst, size_t cap, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++) dst[i] = (char)toupper((unsigned char)s[i]);
    dst[i] = '\0';
}

wsr_kind wsr_parse(const char *name, wsr_name *out)
{
    memset(out, 0, sizeof *out);
    if (!wsn_valid(name, NULL)) return WSR_NONE;
    out->period_us = 1000000;
    if (!strcmp(name, "!miniTicker@arr")) return out->kind = WSR_ALL_MINI;
    if (!strncmp(name, "!ticker_", 8)) {
        snprintf(out->arg, sizeof out->arg, "%.2s", name + 8);
        return out->kind = WSR_ALL_WINDOW;
    }
    const char *at = strchr(name, '@');
    if (!at) return WSR_NONE;
    wsr_upper(out->symbol, sizeof out->symbol, name, (size_t)(at - name));
    const char *t = at + 1;
    char sym[64];
    int lv = wsn_partial_depth(name, sym, sizeof sym);
    if (lv) {
        snprintf(out->arg, sizeof out->arg, "%d", lv);
        if (strstr(t, "@100ms")) out->period_us = 100000;
        return out->kind = WSR_DEPTH;
    }
    if (!strcmp(t, "ticker")) return out->kind = WSR_TICKER;
    if (!strcmp(t, "miniTicker")) return out->kind = WSR_MINI;
    if (!strcmp(t, "avgPrice")) return out->kind = WSR_AVG;
    if (!strcmp(t, "referencePrice")) return out->kind = WSR_REFPRICE;
    if (!strncmp(t, "ticker_", 7)) {
        snprintf(out->arg, sizeof out->arg, "%s", t + 7);
        return out->kind = WSR_WINDOW;
    }
    if (!strncmp(t, "kline_", 6)) {
        const char *tz = strchr(t + 6, '@');
        snprintf(out->arg, sizeof out->arg, "%.*s", (int)(tz ? tz - t - 6 : (long)strlen(t + 6)), t + 6);
        out->tz_us = tz ? 8LL * 3600 * 1000000 : 0;       /* the one documented offset: +08:00 */
        out->period_us = strcmp(out->arg, "1s") ? 2000000 : 1000000;
        return out->kind = WSR_KLINE;
    }
    return WSR_NONE;
}
