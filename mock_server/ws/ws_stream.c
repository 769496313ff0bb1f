/* ws_stream.c: market streams - opening /ws/<a>/<b> and /stream?streams=a/b,
 * the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY /
 * GET_PROPERTY control frames, and the exchange listener that fans market
 * events out (raw, or wrapped {"stream":..,"data":..} on combined streams)
 * and user events to ws_api_user_event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "errors.h"
#include "json_guard.h"
#include "pct.h"
#include "ws_frame.h"
#include "ws_int.h"
#include "ws_names.h"

/* hub->mu held */
static int ws_stream_has(const ws_conn *c, const char *name)
{
    for (size_t i = 0; i < c->nstreams; i++)
        if (!strcmp(c->streams[i], name)) return 1;
    return 0;
}

/* The account of the first listenKey among names, or -1 (no hub->mu held:
 * the exchange lock is taken). */
static int ws_stream_listen_account(struct ws_hub *h, char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int lk = 0;
        if (wsn_valid(names[i], &lk) && lk) {
            int acct = ws_listen_key_account(h, names[i]);
            if (acct >= 0) return acct;
        }
    }
    return -1;
}

int ws_stream_open(ws_conn *c, const char *uri, const char *query)
{
    struct ws_hub *h = c->hub;
    char list[8192] = "";
    if (!strcmp(uri, "/stream")) {
        c->combined = 1;
        if (query && wsn_query_streams(query, list, sizeof list) != 0) list[0] = '\0';
    } else if (!strncmp(uri, "/ws/", 4)) {
        snprintf(list, sizeof list, "%s", uri + 4);
    } else if (strcmp(uri, "/ws") != 0) {
        return -1;
    }
    char **v = NULL;
    size_t n = 0;
    int r = wsn_split(list, &v, &n, (size_t)h->o.max_streams);
    int acct = r >= 0 ? ws_stream_listen_account(h, v, n) : -1;
    pthread_mutex_lock(&h->mu);
    if (r >= 0) {
        c->streams = v;
        c->nstreams = n;
        c->listen_account = acct;
    }
    pthread_mutex_unlock(&h->mu);
    if (r < 0) {
        for (size_t i = 0; i < n; i++) free(v[i]);
        free(v);
        return -1;
    }
    return 0;
}

/* ---- control frames ---- */

static void ws_stream_reply(ws_conn *c, const char *text, size_t n, const char *id_raw,
                            const char *result_json)
{
    buf_t b = BUF_INIT;
    if (!buf_printf(&b, "{\"result\":%s,\"id\":%s}", result_json, id_raw)) {
        ws_stream_journal(c, text, n, b.data, b.len, 0);   /* before the client can see it */
        ws_conn_send(c, b.data, b.len);
    }
    buf_free(&b);
}

/* Template arguments of a stream error: the unknown method as serde quotes it
 * (`FOO`), or the line/column where the JSON broke. */
static void ws_stream_error_args(const char *text, size_t n, wsc_status st, char *a1, char *a2, size_t an)
{
    a1[0] = a2[0] = '\0';
    if (st == WSC_UNKNOWN_METHOD) {
        cJSON *j = json_guard_parse(text, n);
        const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "method"));
        if (m) {   /* cut on a UTF-8 boundary, stray bytes as U+FFFD: the frame stays valid text */
            buf_t q = BUF_INIT;
            if (!pct_utf8_scrub(&q, m, pct_utf8_cut(m, strlen(m), 64)))
                snprintf(a1, an, "`%s`", buf_cstr(&q));
            buf_free(&q);
        }
        cJSON_Delete(j);
    } else if (st == WSC_BAD_JSON || st == WSC_TOO_DEEP) {
        const char *end = NULL;
        cJSON_Delete(json_guard_parse_opts(text, n, &end, NULL));
        /* cJSON stops one byte past the offending one: that count is serde's 1-based column */
        size_t off = end && end >= text && end <= text + n ? (size_t)(end - text) : n, line = 1, col = 0;
        for (size_t i = 0; i < off; i++) {
            if (text[i] == '\n') { line++; col = 0; } else col++;
        }
        snprintf(a1, an, "%zu", line);
        snprintf(a2, an, "%zu", col);
    }
}

/* {"error":{"code":N,"msg":"..."},"id":..}; code and text from the catalogue
 * (lib/errors.def, STREAM_* rows). */
static void ws_stream_error(ws_conn *c, const char *text, size_t n, const char *id_raw, wsc_status st)
{
    buf_t b = BUF_INIT;
    const err_def *d = err_by_id_name(wsc_status_err_name(st));
    int r = buf_printf(&b, "{\"error\":{\"code\":%d", d ? d->code : wsc_status_code(st));
    if (!r && d) {
        char msg[1024], a1[256], a2[256];
        ws_stream_error_args(text, n, st, a1, a2, sizeof a1);
        size_t ml = err_format(msg, sizeof msg, d->id, a1, a2);
        r = buf_puts(&b, ",\"msg\":") || buf_json_string(&b, msg, ml);
    }
    if (!r && !buf_printf(&b, "},\"id\":%s}", id_raw)) {
        ws_stream_journal(c, text, n, b.data, b.len, d ? d->code : wsc_status_code(st));
        ws_conn_send(c, b.data, b.len);
    }
    buf_free(&b);
}

static int ws_stream_add(ws_conn *c, const char *name)
{
    if (ws_stream_has(c, name)) return 0;
    if (c->nstreams >= (size_t)c->hub->o.max_streams) return -1;
    char **nv = realloc(c->streams, (c->nstreams + 1) * sizeof *nv);
    if (!nv) return -1;
    c->streams = nv;
    if (!(nv[c->nstreams] = strdup(name))) return -1;
    c->nstreams++;
    return 0;
}

static void ws_stream_del(ws_conn *c, const char *name)
{
    for (size_t i = 0; i < c->nstreams; i++)
        if (!strcmp(c->streams[i], name)) {
            free(c->streams[i]);
            memmove(&c->streams[i], &c->streams[i + 1], (c->nstreams - i - 1) * sizeof *c->streams);
            c->nstreams--;
            return;
        }
}

static char *ws_stream_list_json(ws_conn *c)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < c->nstreams; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(c->streams[i]));
    char *t = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return t;
}

void ws_stream_handle(ws_conn *c, const char *text, size_t n)
{
    struct ws_hub *h = c->hub;
    wsc_request r;
    wsc_status st = wsc_parse(text, n, &r);
    if (st != WSC_OK) {
        ws_stream_error(c, text, n, r.id_raw, st);
        wsc_free(&r);
        return;
    }
    char *list = NULL;
    const char *result = "null";
    int fail = 0;
    int acct = r.method == WSC_SUBSCRIBE ? ws_stream_listen_account(h, r.params, r.nparams) : -1;
    pthread_mutex_lock(&h->mu);
    switch (r.method) {
    case WSC_SUBSCRIBE:
        for (size_t i = 0; i < r.nparams && !fail; i++) fail = ws_stream_add(c, r.params[i]);
        if (acct >= 0) c->listen_account = acct;
        break;
    case WSC_UNSUBSCRIBE:
        for (size_t i = 0; i < r.nparams; i++) ws_stream_del(c, r.params[i]);
        break;
    case WSC_LIST:
        result = list = ws_stream_list_json(c);
        break;
    case WSC_SET_PROPERTY:
        c->combined = r.bool_value;
        break;
    case WSC_GET_PROPERTY:
        result = c->combined ? "true" : "false";
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&h->mu);
    if (fail) ws_stream_error(c, text, n, r.id_raw, WSC_BAD_PARAMS);
    else ws_stream_reply(c, text, n, r.id_raw, result ? result : "[]");
    cJSON_free(list);
    wsc_free(&r);
}

/* ---- fan-out ---- */

/* hub->mu held */
void ws_stream_publish(struct ws_hub *h, const char *name, const char *raw)
{
    buf_t b = BUF_INIT;
    char *raw_us = NULL;
    for (ws_conn *c = h->conns; c; c = c->next) {
        if (c->kind != WS_KIND_STREAM || !ws_stream_has(c, name)) continue;
        const char *r = raw;
        if (c->time_unit_us) {
            if (!raw_us && !(raw_us = wsf_event_text_to_us(raw))) continue;
            r = raw_us;
        }
        if (!c->combined) {
            ws_conn_post_text(c, r, strlen(r));
            continue;
        }
        buf_reset(&b);
        if (!buf_puts(&b, "{\"stream\":") && !buf_json_string(&b, name, strlen(name))
            && !buf_printf(&b, ",\"data\":%s}", r))
            ws_conn_post_text(c, b.data, b.len);
    }
    cJSON_free(raw_us);
    buf_free(&b);
}

/* hub->mu held */
void ws_stream_market_event(struct ws_hub *h, const cJSON *ev)
{
    char names[WSN_EVENT_MAX][WSN_MAX];
    int nn = wsn_event_streams(ev, names);
    if (nn <= 0) return;
    char *raw = NULL;
    for (int i = 0; i < nn; i++) {
        int any = 0;
        for (ws_conn *c = h->conns; c && !any; c = c->next)
            any = c->kind == WS_KIND_STREAM && ws_stream_has(c, names[i]);
        if (!any) continue;
        if (!raw && !(raw = cJSON_PrintUnformatted(ev))) return;
        ws_stream_publish(h, names[i], raw);
    }
    cJSON_free(raw);
}

void ws_stream_listener(void *ud, const cJSON *event, int account_id)
{
    struct ws_hub *h = ud;
    if (!h || !event) return;
    pthread_mutex_lock(&h->mu);
    if (account_id >= 0) ws_api_user_event(h, event, account_id);
    else ws_stream_market_event(h, event);
    pthread_mutex_unlock(&h->mu);
}
