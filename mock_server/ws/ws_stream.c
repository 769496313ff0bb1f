/* ws_stream.c: market streams - opening /ws/<a>/<b> and /stream?streams=a/b,
 * the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY /
 * GET_PROPERTY control frames (each first brings the streams up to the
 * virtual now, and answers through the connection's queue, after the events
 * before it), stream-name checks (a malformed name in SUBSCRIBE answers
 * "invalid stream", in the URL it is dropped silently;
 * a well-formed name of an unknown or upper-case symbol is accepted and stays
 * silent, as on Binance [observed]; both are journalled), and the exchange
 * listener that fans market events out (raw, or wrapped
 * {"stream":..,"data":..} on combined streams) and user events to
 * ws_api_user_event. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "errors.h"
#include "exchange.h"
#include "exchange_api.h"
#include "json_guard.h"
#include "pct.h"
#include "srv.h"
#include "ws_deps.h"
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

/* ---- stream-name checks and their journal entries ---- */

/* 1 when a well-formed name names a symbol this exchange lists (streams of
 * all symbols and listenKeys count as known). No lock held. */
static int ws_stream_symbol_known(struct ws_hub *h, const char *name)
{
    const char *at = strchr(name, '@');
    if (name[0] == '!' || !at) return 1;
    char sym[64];
    size_t n = (size_t)(at - name);
    if (n >= sizeof sym) return 0;
    for (size_t i = 0; i < n; i++) {
        if (isupper((unsigned char)name[i])) return 0;     /* stream symbols are lower-case */
        sym[i] = (char)toupper((unsigned char)name[i]);
    }
    sym[n] = '\0';
    struct exchange *ex = srv_exchange(h->srv);
    if (!ex) return 1;
    exchange_lock(ex);
    int known = ex_symbol_find(ex, sym) != NULL;
    exchange_unlock(ex);
    return known;
}

/* A journal entry for a stream connection (same fields as WS API entries;
 * route "stream.<what>", the reason in "diagnosis"). */
static void ws_stream_journal_name(ws_conn *c, const char *route, const char *body, err_id e,
                                   const char *diagnosis)
{
    cJSON *j = cJSON_CreateObject();
    if (!j) return;
    const err_def *d = e != ERR_NONE ? err_get(e) : NULL;
    cJSON_AddNumberToObject(j, "timeMs", (double)(ws_now_us(c->hub) / 1000));
    cJSON_AddStringToObject(j, "transport", "stream");
    cJSON_AddStringToObject(j, "clientIp", c->ip);
    cJSON_AddStringToObject(j, "method", route);
    cJSON_AddStringToObject(j, "path", c->path);
    cJSON_AddStringToObject(j, "query", "");
    cJSON_AddStringToObject(j, "body", body ? body : "");
    cJSON_AddItemToObject(j, "headers", cJSON_CreateObject());
    cJSON_AddStringToObject(j, "route", route);
    cJSON_AddNullToObject(j, "apiKey");
    cJSON_AddNullToObject(j, "keyType");
    cJSON_AddNumberToObject(j, "status", d ? 400 : 200);
    if (d) {
        cJSON_AddNumberToObject(j, "code", d->code);
        cJSON_AddStringToObject(j, "msg", d->tmpl);     /* STREAM_* texts have no arguments here */
    } else {
        cJSON_AddNullToObject(j, "code");
        cJSON_AddNullToObject(j, "msg");
    }
    cJSON_AddNullToObject(j, "payload");
    cJSON_AddNullToObject(j, "signature");
    cJSON_AddNullToObject(j, "verdict");
    cJSON_AddNullToObject(j, "explain");
    cJSON_AddStringToObject(j, "diagnosis", diagnosis);
    cJSON_AddNumberToObject(j, "weight", 0);
    srv_journal_add(c->hub->srv, j);
}

void ws_stream_journal_limit(ws_conn *c)
{
    char why[160];
    snprintf(why, sizeof why, "more than %d incoming messages (ping, pong, control) in one second: "
             "connection closed (1008 Too many requests)", c->hub->o.max_msgs_per_sec);
    ws_stream_journal_name(c, "stream.limit", "", ERR_NONE, why);
}

/* Sort names into malformed (bad), well-formed of an unknown symbol (unknown)
 * and fine; journal the first two kinds. Returns 1 when the request must be
 * refused (a malformed name, or an unknown one under --ws-unknown-stream error). */
static int ws_stream_check_names(ws_conn *c, char *const *names, size_t n, const char *body)
{
    int refuse = 0;
    for (size_t i = 0; i < n; i++) {
        char why[2 * WSN_MAX + 200];
        if (!wsn_shape_ok(names[i])) {
            snprintf(why, sizeof why, "\"%.*s\" is not a stream name (web-socket-streams.md lists the "
                     "<symbol>@<kind> forms): invalid stream", WSN_MAX, names[i]);
            ws_stream_journal_name(c, "stream.invalid", body, ERR_STREAM_INVALID_STREAM, why);
            refuse = 1;
        } else if (!ws_stream_symbol_known(c->hub, names[i])) {
            char low[WSN_MAX];
            size_t k = 0;
            for (; names[i][k] && k + 1 < sizeof low; k++) low[k] = (char)tolower((unsigned char)names[i][k]);
            low[k] = '\0';
            int upper = strcmp(low, names[i]) != 0;
            snprintf(why, sizeof why, "\"%.*s\": %s; the stream is accepted and stays silent, as on "
                     "Binance%s%.*s", WSN_MAX, names[i],
                     upper ? "stream symbols are lower-case" : "unknown symbol",
                     upper ? " (did you mean " : "", upper ? WSN_MAX : 0, upper ? low : "");
            if (upper) strncat(why, ")", sizeof why - strlen(why) - 1);
            int err = c->hub->o.unknown_stream_error;
            ws_stream_journal_name(c, "stream.unknown", body, err ? ERR_STREAM_INVALID_STREAM : ERR_NONE, why);
            if (err) refuse = 1;
        }
    }
    return refuse;
}

static void ws_stream_error(ws_conn *c, const char *text, size_t n, const char *id_raw, wsc_status st);

/* The URL's stream names, split (caller frees); -1 when the path is not a stream path. */
static int ws_stream_url_names(struct ws_hub *h, const char *uri, const char *query, char ***v, size_t *n)
{
    char list[8192] = "";
    if (!uri) return -1;
    if (!strcmp(uri, "/stream")) {
        if (query && wsn_query_streams(query, list, sizeof list) != 0) list[0] = '\0';
    } else if (!strncmp(uri, "/ws/", 4)) {
        snprintf(list, sizeof list, "%s", uri + 4);
    } else {
        return -1;
    }
    return wsn_split(list, v, n, (size_t)h->o.max_streams);
}

void ws_stream_preopen(struct ws_hub *h, const char *uri, const char *query)
{
    char **v = NULL;
    size_t n = 0;
    ws_stream_url_names(h, uri, query, &v, &n);
    int64_t now = ws_now_us(h);
    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < n; i++) ws_poll_reserve(h, v[i], now);
    pthread_mutex_unlock(&h->mu);
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
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
    if (r >= 0 && ws_stream_check_names(c, v, n, list)) {
        /* docs are silent on a bad name in the URL. Observed: Binance keeps
         * such a connection open and silent - ccxt opens /ws/<n> (n its own
         * connection counter, e.g. /ws/0) and SUBSCRIBEs on it, and treats
         * any error frame as fatal. So: no frame (the journal says why),
         * the well-formed names kept, the connection open; with
         * --ws-unknown-stream error the frame is sent (id null). */
        if (h->o.unknown_stream_error) ws_stream_error(c, "", 0, "null", WSC_INVALID_STREAM);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (wsn_shape_ok(v[i]) && (!h->o.unknown_stream_error || ws_stream_symbol_known(h, v[i])))
                v[k++] = v[i];
            else
                free(v[i]);
        }
        n = k;
    }
    int acct = r >= 0 ? ws_stream_listen_account(h, v, n) : -1;
    pthread_mutex_lock(&h->mu);
    if (r >= 0) {
        c->streams = v;
        c->nstreams = n;
        for (size_t i = 0; i < n; i++) ws_poll_touch(h, v[i], ws_now_us(h), c);
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

/* hub->mu held: replies queue behind the events sent before them; the frame
 * and its answer are journalled before the client can see the answer */
static void ws_stream_reply(ws_conn *c, const char *text, size_t n, const char *id_raw,
                            const char *result_json)
{
    buf_t b = BUF_INIT;
    if (!buf_printf(&b, "{\"result\":%s,\"id\":%s}", result_json, id_raw)) {
        ws_stream_journal(c, text, n, b.data, b.len, 0);
        ws_conn_post_text(c, b.data, b.len);
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
        if (n) ws_stream_journal(c, text, n, b.data, b.len, d ? d->code : wsc_status_code(st));
        pthread_mutex_lock(&c->hub->mu);           /* (n == 0: a bad name in the URL, journalled apart) */
        ws_conn_post_text(c, b.data, b.len);
        pthread_mutex_unlock(&c->hub->mu);
    }
    buf_free(&b);
}

/* hub->mu held: how many of names are not subscribed yet */
static size_t ws_stream_count_new(const ws_conn *c, char *const *names, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int dup = ws_stream_has(c, names[i]);
        for (size_t j = 0; j < i && !dup; j++) dup = !strcmp(names[j], names[i]);
        k += !dup;
    }
    return k;
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
    ws_pump(h);                          /* the reply follows every event due before it */
    wsc_status st = wsc_parse(text, n, (size_t)h->o.max_streams, &r);
    if (st == WSC_OK && r.method == WSC_SUBSCRIBE) {
        char *body = strndup(text, n > 4096 ? 4096 : n);
        if (ws_stream_check_names(c, r.params, r.nparams, body)) st = WSC_INVALID_STREAM;
        free(body);
    }
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
        /* the 1024-stream limit: docs silent on the answer; "too many parameters", nothing added */
        if (c->nstreams + ws_stream_count_new(c, r.params, r.nparams) > (size_t)h->o.max_streams) {
            fail = 1;
            break;
        }
        for (size_t i = 0; i < r.nparams; i++) {
            ws_stream_add(c, r.params[i]);
            ws_poll_touch(h, r.params[i], ws_now_us(h), c);
        }
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
    if (!fail) ws_stream_reply(c, text, n, r.id_raw, result ? result : "[]");
    pthread_mutex_unlock(&h->mu);
    if (fail) ws_stream_error(c, text, n, r.id_raw, WSC_TOO_MANY_PARAMS);
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

/* hub->mu held. depthUpdate goes to the depth windows (ws_depth.c);
 * bookTicker only when the top of book changed. */
void ws_stream_market_event(struct ws_hub *h, const cJSON *ev)
{
    const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "e"));
    if (e && !strcmp(e, "depthUpdate")) {
        ws_depth_event(h, ev);
        return;
    }
    if (!e && !ws_depth_top_changed(h, ev)) return;
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
