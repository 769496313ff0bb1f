/* ws_depth.c: the book streams as Binance paces them. The exchange reports
 * every book change (a depthUpdate covering one update id range, quantities
 * absolute); here they are merged per symbol into 1000 ms (@depth,
 * @depth@1000ms) and 100 ms (@depth@100ms) windows on the virtual clock and
 * published once per window with the U..u range of the window (a level
 * changed twice carries its last quantity). Windows are aligned to multiples
 * of their length; the event time E is the window's end. bookTicker events
 * are passed on only when the top of book (price or quantity) changed.
 * All functions run with hub->mu held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws_int.h"
#include "ws_names.h"

#define WSD_LEVELS_MAX 20000        /* distinct levels one window may carry */

static const int64_t wsd_period[WSD_WINDOWS] = { 1000000, 100000 };

static wsd_sym *wsd_find(struct ws_hub *h, const char *symbol)
{
    for (size_t i = 0; i < h->ndepth; i++)
        if (!strcmp(h->depth[i].symbol, symbol)) return &h->depth[i];
    if (strlen(symbol) >= sizeof h->depth[0].symbol) return NULL;
    if (h->ndepth == h->capdepth) {
        size_t cap = h->capdepth ? h->capdepth * 2 : 8;
        if (cap > 4096) return NULL;
        wsd_sym *nv = realloc(h->depth, cap * sizeof *nv);
        if (!nv) return NULL;
        h->depth = nv;
        h->capdepth = cap;
    }
    wsd_sym *d = &h->depth[h->ndepth++];
    memset(d, 0, sizeof *d);
    snprintf(d->symbol, sizeof d->symbol, "%s", symbol);
    return d;
}

static void wsd_side_set(wsd_side *s, const char *price, const char *qty)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].price, price)) {
            snprintf(s->v[i].qty, sizeof s->v[i].qty, "%s", qty);
            return;
        }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        if (cap > WSD_LEVELS_MAX) return;
        wsd_level *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv) return;
        s->v = nv;
        s->cap = cap;
    }
    snprintf(s->v[s->n].price, sizeof s->v[s->n].price, "%s", price);
    snprintf(s->v[s->n].qty, sizeof s->v[s->n].qty, "%s", qty);
    s->n++;
}

static void wsd_side_merge(wsd_side *s, const cJSON *arr)
{
    const cJSON *lv;
    cJSON_ArrayForEach(lv, arr) {
        const char *p = cJSON_GetStringValue(cJSON_GetArrayItem(lv, 0));
        const char *q = cJSON_GetStringValue(cJSON_GetArrayItem(lv, 1));
        if (p && q) wsd_side_set(s, p, q);
    }
}

static int wsd_side_json(buf_t *b, const wsd_side *s)
{
    if (buf_putc(b, '[')) return -1;
    for (size_t i = 0; i < s->n; i++)
        if (buf_printf(b, "%s[\"%s\",\"%s\"]", i ? "," : "", s->v[i].price, s->v[i].qty)) return -1;
    return buf_putc(b, ']');
}

/* Publish the window (if it saw a change) and empty it. */
static void wsd_flush(struct ws_hub *h, wsd_sym *d, int k)
{
    wsd_window *w = &d->w[k];
    if (!w->end_us) return;
    buf_t b = BUF_INIT;
    char name[WSN_MAX];
    int r = buf_puts(&b, "{\"e\":\"depthUpdate\",\"E\":")
         || buf_printf(&b, "%lld,\"s\":", (long long)(w->end_us / 1000))
         || buf_json_string(&b, d->name, strlen(d->name))
         || buf_printf(&b, ",\"U\":%lld,\"u\":%lld,\"b\":", (long long)w->U, (long long)w->u)
         || wsd_side_json(&b, &w->bids) || buf_puts(&b, ",\"a\":") || wsd_side_json(&b, &w->asks)
         || buf_putc(&b, '}');
    if (!r) {
        if (k == 0) {
            snprintf(name, sizeof name, "%s@depth", d->symbol);
            ws_stream_publish(h, name, buf_cstr(&b));
            snprintf(name, sizeof name, "%s@depth@1000ms", d->symbol);
            ws_stream_publish(h, name, buf_cstr(&b));
        } else {
            snprintf(name, sizeof name, "%s@depth@100ms", d->symbol);
            ws_stream_publish(h, name, buf_cstr(&b));
        }
    }
    buf_free(&b);
    w->end_us = 0;
    w->bids.n = w->asks.n = 0;
}

static void wsd_lower(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    dst[i] = '\0';
}

void ws_depth_event(struct ws_hub *h, const cJSON *ev)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "s"));
    const cJSON *E = cJSON_GetObjectItemCaseSensitive(ev, "E");
    const cJSON *U = cJSON_GetObjectItemCaseSensitive(ev, "U"), *u = cJSON_GetObjectItemCaseSensitive(ev, "u");
    if (!s || !cJSON_IsNumber(E) || !cJSON_IsNumber(U) || !cJSON_IsNumber(u)) return;
    char sym[64];
    wsd_lower(sym, sizeof sym, s);
    wsd_sym *d = wsd_find(h, sym);
    if (!d) return;
    snprintf(d->name, sizeof d->name, "%s", s);
    int64_t t = (int64_t)E->valuedouble * 1000;
    for (int k = 0; k < WSD_WINDOWS; k++) {
        wsd_window *w = &d->w[k];
        if (w->end_us && (int64_t)U->valuedouble <= w->u) {   /* ids went back: the exchange was reset */
            w->end_us = 0;
            w->bids.n = w->asks.n = 0;
        }
        if (w->end_us && t >= w->end_us) wsd_flush(h, d, k);
        if (!w->end_us) {
            w->end_us = (t / wsd_period[k] + 1) * wsd_period[k];
            w->U = (int64_t)U->valuedouble;
        }
        w->u = (int64_t)u->valuedouble;
        wsd_side_merge(&w->bids, cJSON_GetObjectItemCaseSensitive(ev, "b"));
        wsd_side_merge(&w->asks, cJSON_GetObjectItemCaseSensitive(ev, "a"));
    }
}

void ws_depth_tick(struct ws_hub *h, int64_t now_us)
{
    for (size_t i = 0; i < h->ndepth; i++)
        for (int k = 0; k < WSD_WINDOWS; k++)
            if (h->depth[i].w[k].end_us && h->depth[i].w[k].end_us <= now_us) wsd_flush(h, &h->depth[i], k);
}

int ws_depth_top_changed(struct ws_hub *h, const cJSON *ev)
{
    static const char *const keys[4] = { "b", "B", "a", "A" };
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "s"));
    if (!s) return 0;
    char sym[64];
    wsd_lower(sym, sizeof sym, s);
    wsd_sym *d = wsd_find(h, sym);
    if (!d) return 1;
    int changed = !d->has_top;
    for (int i = 0; i < 4; i++) {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, keys[i]));
        if (!v) return 0;
        if (strcmp(d->top[i], v)) {
            changed = 1;
            snprintf(d->top[i], sizeof d->top[i], "%s", v);
        }
    }
    d->has_top = 1;
    return changed;
}

void ws_depth_free(struct ws_hub *h)
{
    for (size_t i = 0; i < h->ndepth; i++)
        for (int k = 0; k < WSD_WINDOWS; k++) {
            free(h->depth[i].w[k].bids.v);
            free(h->depth[i].w[k].asks.v);
        }
    free(h->depth);
    h->depth = NULL;
    h->ndepth = h->capdepth = 0;
}
