/* ws_poll.c: the market streams Binance pushes on a timer rather than per
 * book change - <symbol>@depth<5|10|20>[@100ms] (partial book), @ticker,
 * @miniTicker, @avgPrice and @kline_<interval>. Each tick (ticker thread, no
 * hub lock held) the subscribed names that are due on the virtual clock are
 * rendered from the REST twin's handler (depth, ticker.24hr, avgPrice,
 * klines: one implementation) and published to their subscribers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "endpoints.h"
#include "srv.h"
#include "ws_int.h"
#include "ws_names.h"

typedef enum poll_kind { POLL_NONE = 0, POLL_DEPTH, POLL_TICKER, POLL_MINI, POLL_AVG, POLL_KLINE } poll_kind;

typedef struct poll_name {
    poll_kind kind;
    char symbol[64];          /* upper-case, for the REST twin */
    char arg[16];             /* depth levels or kline interval */
    int64_t period_us;
} poll_name;

static void poll_upper(char *dst, size_t cap, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++) dst[i] = (char)toupper((unsigned char)s[i]);
    dst[i] = '\0';
}

/* Classify a subscribed name; POLL_NONE for event-driven or unknown names. */
static poll_kind poll_parse(const char *name, poll_name *out)
{
    const char *at = strchr(name, '@');
    memset(out, 0, sizeof *out);
    if (!at || !wsn_valid(name, NULL)) return POLL_NONE;
    poll_upper(out->symbol, sizeof out->symbol, name, (size_t)(at - name));
    const char *t = at + 1;
    char sym[64];
    int lv = wsn_partial_depth(name, sym, sizeof sym);
    out->period_us = 1000000;
    if (lv) {
        snprintf(out->arg, sizeof out->arg, "%d", lv);
        if (strstr(t, "@100ms")) out->period_us = 100000;
        return out->kind = POLL_DEPTH;
    }
    if (!strcmp(t, "ticker")) return out->kind = POLL_TICKER;
    if (!strcmp(t, "miniTicker")) return out->kind = POLL_MINI;
    if (!strcmp(t, "avgPrice")) return out->kind = POLL_AVG;
    if (!strncmp(t, "kline_", 6)) {
        snprintf(out->arg, sizeof out->arg, "%s", t + 6);
        out->period_us = strcmp(out->arg, "1s") ? 2000000 : 1000000;
        return out->kind = POLL_KLINE;
    }
    return POLL_NONE;
}

/* Run a registry route's handler with params; returns its body (owned) or NULL. */
static cJSON *poll_route(struct ws_hub *h, const char *ws_method, const char *const *kv, int64_t now)
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

static void poll_copy(cJSON *ev, const char *to, const cJSON *from, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);
    if (v) cJSON_AddItemToObject(ev, to, cJSON_Duplicate(v, 1));
}

static cJSON *poll_ticker(const poll_name *pn, const cJSON *t, int64_t now, int mini)
{
    static const char *const full[][2] = {
        { "p", "priceChange" }, { "P", "priceChangePercent" }, { "w", "weightedAvgPrice" },
        { "x", "prevClosePrice" }, { "c", "lastPrice" }, { "Q", "lastQty" }, { "b", "bidPrice" },
        { "B", "bidQty" }, { "a", "askPrice" }, { "A", "askQty" }, { "o", "openPrice" },
        { "h", "highPrice" }, { "l", "lowPrice" }, { "v", "volume" }, { "q", "quoteVolume" },
        { "O", "openTime" }, { "C", "closeTime" }, { "F", "firstId" }, { "L", "lastId" }, { "n", "count" },
    };
    static const char *const small[][2] = {
        { "c", "lastPrice" }, { "o", "openPrice" }, { "h", "highPrice" }, { "l", "lowPrice" },
        { "v", "volume" }, { "q", "quoteVolume" },
    };
    cJSON *ev = cJSON_CreateObject();
    if (!ev) return NULL;
    cJSON_AddStringToObject(ev, "e", mini ? "24hrMiniTicker" : "24hrTicker");
    cJSON_AddNumberToObject(ev, "E", (double)(now / 1000));
    cJSON_AddStringToObject(ev, "s", pn->symbol);
    size_t n = mini ? sizeof small / sizeof small[0] : sizeof full / sizeof full[0];
    for (size_t i = 0; i < n; i++)
        poll_copy(ev, mini ? small[i][0] : full[i][0], t, mini ? small[i][1] : full[i][1]);
    return ev;
}

static cJSON *poll_kline(const poll_name *pn, const cJSON *rows, int64_t now)
{
    const cJSON *k = cJSON_GetArrayItem(rows, cJSON_GetArraySize(rows) - 1);
    if (!cJSON_IsArray(k) || cJSON_GetArraySize(k) < 11) return NULL;
    cJSON *ev = cJSON_CreateObject(), *o = cJSON_CreateObject();
    if (!ev || !o) { cJSON_Delete(ev); cJSON_Delete(o); return NULL; }
    cJSON_AddStringToObject(ev, "e", "kline");
    cJSON_AddNumberToObject(ev, "E", (double)(now / 1000));
    cJSON_AddStringToObject(ev, "s", pn->symbol);
    static const struct { const char *key; int idx; } map[] = {
        { "t", 0 }, { "T", 6 }, { "o", 1 }, { "c", 4 }, { "h", 2 }, { "l", 3 }, { "v", 5 },
        { "n", 8 }, { "q", 7 }, { "V", 9 }, { "Q", 10 },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        cJSON_AddItemToObject(o, map[i].key, cJSON_Duplicate(cJSON_GetArrayItem(k, map[i].idx), 1));
        if (i == 1) {
            cJSON_AddStringToObject(o, "s", pn->symbol);
            cJSON_AddStringToObject(o, "i", pn->arg);
            cJSON_AddNumberToObject(o, "f", -1);     /* trade ids of the bar: not tracked by klines */
            cJSON_AddNumberToObject(o, "L", -1);
        }
    }
    double close = cJSON_GetNumberValue(cJSON_GetArrayItem(k, 6));
    cJSON_AddBoolToObject(o, "x", (double)(now / 1000) > close);
    cJSON_AddStringToObject(o, "B", "0");
    cJSON_AddItemToObject(ev, "k", o);
    return ev;
}

static cJSON *poll_render(struct ws_hub *h, const poll_name *pn, int64_t now)
{
    cJSON *body, *ev = NULL;
    switch (pn->kind) {
    case POLL_DEPTH: {
        const char *kv[] = { "symbol", pn->symbol, "limit", pn->arg, NULL };
        return poll_route(h, "depth", kv, now);        /* {lastUpdateId, bids, asks} as is */
    }
    case POLL_TICKER:
    case POLL_MINI: {
        const char *kv[] = { "symbol", pn->symbol, NULL };
        if ((body = poll_route(h, "ticker.24hr", kv, now)))
            ev = poll_ticker(pn, body, now, pn->kind == POLL_MINI);
        break;
    }
    case POLL_AVG: {
        const char *kv[] = { "symbol", pn->symbol, NULL };
        if ((body = poll_route(h, "avgPrice", kv, now)) && (ev = cJSON_CreateObject())) {
            cJSON_AddStringToObject(ev, "e", "avgPrice");
            cJSON_AddNumberToObject(ev, "E", (double)(now / 1000));
            cJSON_AddStringToObject(ev, "s", pn->symbol);
            cJSON_AddStringToObject(ev, "i", "5m");
            poll_copy(ev, "w", body, "price");
            poll_copy(ev, "T", body, "closeTime");
        }
        break;
    }
    case POLL_KLINE: {
        const char *kv[] = { "symbol", pn->symbol, "interval", pn->arg, "limit", "1", NULL };
        if ((body = poll_route(h, "klines", kv, now))) ev = poll_kline(pn, body, now);
        break;
    }
    default:
        return NULL;
    }
    cJSON_Delete(body);
    return ev;
}

/* hub->mu held: subscribed polled names that are due; their last time is set. */
static size_t poll_due(struct ws_hub *h, int64_t now, char (*out)[WSN_MAX], size_t max)
{
    size_t n = 0;
    for (ws_conn *c = h->conns; c; c = c->next) {
        if (c->kind != WS_KIND_STREAM) continue;
        for (size_t i = 0; i < c->nstreams && n < max; i++) {
            poll_name pn;
            if (poll_parse(c->streams[i], &pn) == POLL_NONE) continue;
            int seen = 0;
            for (size_t j = 0; j < n && !seen; j++) seen = !strcmp(out[j], c->streams[i]);
            if (seen) continue;
            ws_poll_slot *s = ws_poll_slot_get(h, c->streams[i]);
            if (!s || now - s->last_us < pn.period_us) continue;
            s->last_us = now;
            snprintf(out[n++], WSN_MAX, "%s", c->streams[i]);
        }
    }
    return n;
}

void ws_poll_tick(struct ws_hub *h, int64_t now)
{
    enum { MAX_DUE = 256 };
    char (*due)[WSN_MAX] = malloc(MAX_DUE * sizeof *due);
    if (!due) return;
    pthread_mutex_lock(&h->mu);
    size_t n = poll_due(h, now, due, MAX_DUE);
    pthread_mutex_unlock(&h->mu);
    for (size_t i = 0; i < n; i++) {
        poll_name pn;
        poll_parse(due[i], &pn);
        cJSON *ev = poll_render(h, &pn, now);   /* takes the exchange lock; no hub lock held */
        char *raw = ev ? cJSON_PrintUnformatted(ev) : NULL;
        cJSON_Delete(ev);
        if (!raw) continue;
        pthread_mutex_lock(&h->mu);
        ws_stream_publish(h, due[i], raw);
        pthread_mutex_unlock(&h->mu);
        cJSON_free(raw);
    }
    free(due);
}
