/* ws_admin.c: the WebSocket admin API (/__admin/ws/<action>, routed here by
 * the server core): list connections, change options at run time, drop or
 * close connections, delay or withhold responses, send serverShutdown. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ws_int.h"
#include "ws_names.h"

static cJSON *ws_conn_json(const ws_conn *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "id", (double)c->id);
    cJSON_AddStringToObject(o, "kind", c->kind == WS_KIND_API ? "api" : "stream");
    cJSON_AddStringToObject(o, "path", c->path);
    cJSON_AddStringToObject(o, "ip", c->ip);
    cJSON_AddNumberToObject(o, "connectedMs", (double)(c->connected_us / 1000));
    if (c->logon_key[0]) cJSON_AddStringToObject(o, "apiKey", c->logon_key);
    else cJSON_AddNullToObject(o, "apiKey");
    cJSON_AddNumberToObject(o, "subscriptions", c->nsubs);
    cJSON *st = cJSON_AddArrayToObject(o, "streams");
    for (size_t i = 0; st && i < c->nstreams; i++)
        cJSON_AddItemToArray(st, cJSON_CreateString(c->streams[i]));
    return o;
}

/* A number member within [lo, hi]: 1 (*out set), 0 absent, -1 present but
 * not a number in range (then o gets "error" and the caller answers 400).
 * Checked as a double before any conversion: no overflow. */
static int ws_num(const cJSON *req, const char *name, double lo, double hi, int64_t *out, cJSON *o)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(req, name);
    if (!v) return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be a number from %.0f to %.0f", name, lo, hi);
        cJSON_AddStringToObject(o, "error", msg);
        return -1;
    }
    *out = (int64_t)v->valuedouble;
    return 1;
}

#define WS_MS_MAX 1099511627776.0   /* 2^40 ms, the --ws-*-ms flags' bound */
#define WS_ID_MAX 9007199254740992.0 /* 2^53: connection ids as JSON numbers */
#define WS_SETTLE_MS 2000              /* how long admin actions wait for handshakes in flight */

/* close: 0 none, 1 close frame, 2 drop (TCP close on the next frame in: a
 * ping is sent so that the client's pong triggers it at once) */
static int ws_admin_each(struct ws_hub *h, const cJSON *req, int shutdown_event, int close)
{
    int64_t conn = 0;
    int n = 0;
    (void)ws_num(req, "conn", 0, WS_ID_MAX, &conn, NULL);   /* checked by the caller */
    ws_hub_settle(h, WS_SETTLE_MS);
    pthread_mutex_lock(&h->mu);
    for (ws_conn *c = h->conns; c; c = c->next) {
        if (conn && (uint64_t)conn != c->id) continue;
        if (shutdown_event) ws_send_shutdown_event(h, c);
        if (close == 1) ws_conn_post_close(c, 1001);
        if (close == 2) {
            c->drop = 1;
            ws_conn_post(c, MG_WEBSOCKET_OPCODE_PING, "drop", 4);
        }
        n++;
    }
    pthread_mutex_unlock(&h->mu);
    return n;
}

int ws_hub_reset(struct ws_hub *h, int max_ms, int *closed)
{
    int n = 0, left = 0;
    ws_hub_settle(h, WS_SETTLE_MS);
    pthread_mutex_lock(&h->mu);
    for (ws_conn *c = h->conns; c; c = c->next, n++) {
        c->reset = 1;
        c->drop = 1;                     /* as /ws/drop: the client's pong ends it */
        ws_conn_post(c, MG_WEBSOCKET_OPCODE_PING, "reset", 5);
    }
    pthread_mutex_unlock(&h->mu);
    if (closed) *closed = n;
    for (int waited = 0; n > 0; waited += 5) {
        left = 0;
        pthread_mutex_lock(&h->mu);
        for (ws_conn *c = h->conns; c; c = c->next) left += c->reset;
        pthread_mutex_unlock(&h->mu);
        if (!left || waited >= max_ms) break;
        struct timespec ts = { 0, 5000000L };
        nanosleep(&ts, NULL);
    }
    return left;
}

/* "config": change the WS options at run time (tests make limits reachable). */
static int ws_admin_config(struct ws_hub *h, const cJSON *req, cJSON *o)
{
    static const struct { const char *name; size_t off; } ms_fields[] = {
        { "pingIntervalMs", offsetof(ws_opts, ping_interval_us) },
        { "pongTimeoutMs", offsetof(ws_opts, pong_timeout_us) },
        { "maxLifetimeMs", offsetof(ws_opts, max_lifetime_us) },
    };
    int64_t ms[3], maxc = 0, ready = 0, maxm = 0, maxs = 0;
    int has[3], hasc, hasr, hasm, hass;
    for (size_t i = 0; i < 3; i++)
        if ((has[i] = ws_num(req, ms_fields[i].name, 1, WS_MS_MAX, &ms[i], o)) < 0) return 400;
    double capc = h->o.max_connections_cap > 0 ? h->o.max_connections_cap : 100000;
    if ((hasc = ws_num(req, "maxConnections", 1, capc, &maxc, o)) < 0) return 400;
    if ((hasr = ws_num(req, "readyDelayMs", 0, 30000, &ready, o)) < 0) return 400;
    if ((hasm = ws_num(req, "maxMessagesPerSec", 0, 1000000, &maxm, o)) < 0) return 400;
    if ((hass = ws_num(req, "maxStreams", 1, 1000000, &maxs, o)) < 0) return 400;
    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < sizeof ms_fields / sizeof ms_fields[0]; i++) {
        int64_t *f = (int64_t *)((char *)&h->o + ms_fields[i].off);
        if (has[i]) *f = ms[i] * 1000;
        cJSON_AddNumberToObject(o, ms_fields[i].name, (double)(*f / 1000));
    }
    if (hasc) h->o.max_connections = (int)maxc;
    if (hasr) h->ready_delay_ms = (int)ready;
    if (hasm) h->o.max_msgs_per_sec = (int)maxm;
    if (hass) h->o.max_streams = (int)maxs;
    const cJSON *ln = cJSON_GetObjectItemCaseSensitive(req, "lenient");
    if (cJSON_IsBool(ln)) h->o.lenient = cJSON_IsTrue(ln);
    cJSON_AddNumberToObject(o, "maxConnections", h->o.max_connections);
    cJSON_AddNumberToObject(o, "maxMessagesPerSec", h->o.max_msgs_per_sec);
    cJSON_AddNumberToObject(o, "maxStreams", h->o.max_streams);
    cJSON_AddNumberToObject(o, "readyDelayMs", h->ready_delay_ms);
    cJSON_AddBoolToObject(o, "lenient", h->o.lenient);
    pthread_mutex_unlock(&h->mu);
    return 200;
}

/* "blockTrade": print a block trade on <symbol>@blockTrade (the simulator
 * makes none: block trades are negotiated off-book). {"symbol","price",
 * "qty","buyerMaker"?} -> the event sent. Price and qty are decimal strings. */
static int ws_admin_block_trade(struct ws_hub *h, const cJSON *req, cJSON *o)
{
    const char *sym = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "symbol"));
    const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "price"));
    const char *q = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "qty"));
    if (!sym || !p || !q || strlen(sym) >= 64 || strlen(p) > 40 || strlen(q) > 40
        || strspn(p, "0123456789.") != strlen(p) || strspn(q, "0123456789.") != strlen(q)) {
        cJSON_AddStringToObject(o, "error", "symbol, price and qty (decimal strings) required");
        return 400;
    }
    char name[WSN_MAX], low[64];
    size_t i = 0;
    for (; sym[i]; i++) low[i] = (sym[i] >= 'A' && sym[i] <= 'Z') ? (char)(sym[i] + 32) : sym[i];
    low[i] = '\0';
    snprintf(name, sizeof name, "%s@blockTrade", low);
    pthread_mutex_lock(&h->mu);
    int64_t now_ms = ws_now_us(h) / 1000, id = ++h->block_trade_id;
    cJSON_AddStringToObject(o, "e", "blockTrade");
    cJSON_AddNumberToObject(o, "E", (double)now_ms);
    cJSON_AddStringToObject(o, "s", sym);
    cJSON_AddNumberToObject(o, "t", (double)id);
    cJSON_AddStringToObject(o, "p", p);
    cJSON_AddStringToObject(o, "q", q);
    cJSON_AddNumberToObject(o, "T", (double)now_ms);
    cJSON_AddBoolToObject(o, "m", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "buyerMaker")));
    char *raw = cJSON_PrintUnformatted(o);
    if (raw) ws_stream_publish(h, name, raw);
    pthread_mutex_unlock(&h->mu);
    cJSON_free(raw);
    return 200;
}

int ws_hub_admin(struct ws_hub *h, const char *action, const cJSON *req, cJSON **out)
{
    cJSON *o = cJSON_CreateObject();
    *out = o;
    if (!o) return 500;
    if (!strcmp(action, "list")) {
        cJSON *arr = cJSON_AddArrayToObject(o, "connections");
        pthread_mutex_lock(&h->mu);
        for (ws_conn *c = h->conns; arr && c; c = c->next)
            cJSON_AddItemToArray(arr, ws_conn_json(c));
        pthread_mutex_unlock(&h->mu);
        return 200;
    }
    if (!strcmp(action, "config")) return ws_admin_config(h, req, o);
    if (!strcmp(action, "drop") || !strcmp(action, "shutdown")) {
        int64_t conn = 0;
        if (ws_num(req, "conn", 0, WS_ID_MAX, &conn, o) < 0) return 400;
        int drop = action[0] == 'd';
        const cJSON *flag = cJSON_GetObjectItemCaseSensitive(req, drop ? "graceful" : "close");
        int close = drop ? (cJSON_IsTrue(flag) ? 1 : 2) : cJSON_IsTrue(flag);
        cJSON_AddNumberToObject(o, drop ? "dropped" : "notified", ws_admin_each(h, req, !drop, close));
        return 200;
    }
    if (!strcmp(action, "delay") || !strcmp(action, "withhold")) {
        int64_t count = 1, ms = 1000;
        if (ws_num(req, "count", 0, 1000000, &count, o) < 0 || ws_num(req, "ms", 0, 30000, &ms, o) < 0)
            return 400;
        pthread_mutex_lock(&h->mu);
        if (action[0] == 'd') { h->delay_count = (int)count; h->delay_ms = (int)ms; }
        else h->withhold_count = (int)count;
        pthread_mutex_unlock(&h->mu);
        cJSON_AddNumberToObject(o, "count", (double)count);
        return 200;
    }
    if (!strcmp(action, "blockTrade")) return ws_admin_block_trade(h, req, o);
    cJSON_AddStringToObject(o, "error", "unknown ws admin action (list, config, drop, delay, withhold, shutdown, blockTrade)");
    return 404;
}
