/* ws_poll.c: when the timer-driven market streams are pushed - partial book
 * (<symbol>@depth<5|10|20>[@100ms]), @ticker, @miniTicker, @ticker_<w>,
 * @avgPrice, @referencePrice, @kline_<i>[@+08:00], !miniTicker@arr and
 * !ticker_<w>@arr. A name is due when the virtual clock enters a new period
 * of its documented update speed (periods aligned to multiples of it); the
 * first period of a new subscription only starts the count (a stream starts
 * from now). A clock jump of several periods gives one event per pump, not
 * one per period. Klines: when the candle last pushed has closed, its final
 * state goes out with "x":true before the new candle. All-market arrays
 * carry only the symbols whose payload changed since the last push.
 * Payloads come from ws_render.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws_int.h"
#include "ws_names.h"
#include "ws_render.h"

typedef struct poll_due {
    char name[WSN_MAX];
    wsr_name pn;
    int64_t kline_open_us;
} poll_due;

/* hub->mu held: subscribed polled names that are due; their slot is updated. */
static size_t poll_collect(struct ws_hub *h, int64_t now, poll_due *out, size_t max)
{
    size_t n = 0;
    for (ws_conn *c = h->conns; c; c = c->next) {
        if (c->kind != WS_KIND_STREAM) continue;
        for (size_t i = 0; i < c->nstreams && n < max; i++) {
            wsr_name pn;
            if (wsr_parse(c->streams[i], &pn) == WSR_NONE) continue;
            ws_poll_slot *s = ws_poll_slot_get(h, c->streams[i]);
            if (!s || s->seen_pump == h->pump_no) continue;         /* done this pump */
            int fresh = (s->seen_pump + 1 != h->pump_no && !s->reserved) || s->last_us <= 0;
            s->reserved = 0;
            s->seen_pump = h->pump_no;
            if (fresh) {                       /* (re)subscribed: count from now */
                s->last_us = now;
                s->kline_open_us = 0;
                continue;
            }
            if (now / pn.period_us == s->last_us / pn.period_us) continue;
            s->last_us = now;
            snprintf(out[n].name, sizeof out[n].name, "%s", c->streams[i]);
            out[n].pn = pn;
            out[n].kline_open_us = s->kline_open_us;
            n++;
        }
    }
    return n;
}

/* A URL subscription is counted from the handshake (the client may move the
 * clock as soon as it sees the 101, before the connection is registered):
 * the slot starts its count now and stays reserved until registered. */
/* 1 when a registered connection other than self follows name */
static int poll_followed(struct ws_hub *h, const char *name, const ws_conn *self)
{
    for (ws_conn *c = h->conns; c; c = c->next) {
        if (c == self || c->kind != WS_KIND_STREAM) continue;
        for (size_t i = 0; i < c->nstreams; i++)
            if (!strcmp(c->streams[i], name)) return 1;
    }
    return 0;
}

void ws_poll_reserve(struct ws_hub *h, const char *name, int64_t now)
{
    ws_poll_touch(h, name, now, NULL);
    wsr_name pn;
    ws_poll_slot *s = wsr_parse(name, &pn) == WSR_NONE ? NULL : ws_poll_slot_get(h, name);
    if (s) s->reserved = 1;
}

void ws_poll_touch(struct ws_hub *h, const char *name, int64_t now, const ws_conn *self)
{
    wsr_name pn;
    if (wsr_parse(name, &pn) == WSR_NONE) return;
    ws_poll_slot *s = ws_poll_slot_get(h, name);
    if (s && s->reserved) {                    /* registered now: the count began at the handshake */
        s->reserved = 0;
        s->seen_pump = h->pump_no;
        return;
    }
    if (!s || (s->last_us > 0 && poll_followed(h, name, self))) return;   /* live: keep its rhythm */
    s->seen_pump = h->pump_no;
    s->last_us = now;
    s->kline_open_us = 0;
}

static uint64_t poll_hash(const char *s)
{
    uint64_t x = 1469598103934665603ULL;
    for (; *s; s++) x = (x ^ (unsigned char)*s) * 1099511628211ULL;
    return x ? x : 1;
}

/* hub->mu held: the per-symbol payloads that changed since the last push,
 * each with E added; NULL when none did. */
static char *poll_changed(struct ws_hub *h, const char *name, cJSON *arr, int64_t now)
{
    cJSON *keep = cJSON_CreateArray(), *it;
    int k = 0;
    char e_ms[24];
    snprintf(e_ms, sizeof e_ms, "%lld", (long long)(now / 1000));
    cJSON_ArrayForEach(it, arr) {
        char *t = cJSON_PrintUnformatted(it), slot[WSN_MAX + 80];
        const char *sym = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "s"));
        snprintf(slot, sizeof slot, "%s#%s", name, sym ? sym : "");
        ws_poll_slot *s = t ? ws_poll_slot_get(h, slot) : NULL;
        uint64_t hx = t ? poll_hash(t) : 0;
        cJSON_free(t);
        if (!s || s->mark == hx || !keep) continue;
        s->mark = hx;
        cJSON *d = cJSON_CreateObject();          /* the payload with E after "e" */
        if (!d) continue;
        for (const cJSON *f = it->child; f; f = f->next) {
            cJSON_AddItemToObject(d, f->string, cJSON_Duplicate(f, 1));
            if (f == it->child) cJSON_AddRawToObject(d, "E", e_ms);
        }
        cJSON_AddItemToArray(keep, d);
        k++;
    }
    char *txt = k && keep ? cJSON_PrintUnformatted(keep) : NULL;
    cJSON_Delete(keep);
    return txt;
}

static void poll_publish(struct ws_hub *h, const poll_due *d, wsr_out *o, int64_t now)
{
    pthread_mutex_lock(&h->mu);
    ws_poll_slot *s = ws_poll_slot_get(h, d->name);
    if (s && d->pn.kind == WSR_KLINE) s->kline_open_us = o->kline_open_us;
    for (int i = 0; i < o->n; i++) {
        char *raw = d->pn.kind == WSR_ALL_MINI || d->pn.kind == WSR_ALL_WINDOW
                    ? poll_changed(h, d->name, o->ev[i], now) : cJSON_PrintUnformatted(o->ev[i]);
        if (raw) ws_stream_publish(h, d->name, raw);
        cJSON_free(raw);
    }
    pthread_mutex_unlock(&h->mu);
}

void ws_poll_tick(struct ws_hub *h, int64_t now)
{
    enum { MAX_DUE = 256 };
    poll_due *due = malloc(MAX_DUE * sizeof *due);
    if (!due) return;
    pthread_mutex_lock(&h->mu);
    size_t n = poll_collect(h, now, due, MAX_DUE);
    pthread_mutex_unlock(&h->mu);
    for (size_t i = 0; i < n; i++) {
        wsr_out o;
        memset(&o, 0, sizeof o);
        o.kline_open_us = due[i].kline_open_us;
        if (wsr_render(h, &due[i].pn, now, &o) == 0) poll_publish(h, &due[i], &o, now); /* exchange lock, no hub lock */
        for (int k = 0; k < o.n; k++) cJSON_Delete(o.ev[k]);
    }
    free(due);
}
