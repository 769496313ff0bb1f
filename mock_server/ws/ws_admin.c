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

static int ws_num(const cJSON *req, const char *name, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(req, name);
    return cJSON_IsNumber(v) ? (int)v->valuedouble : def;
}

/* close: 0 none, 1 close frame, 2 drop (TCP close on the next frame in: a
 * ping is sent so that the client's pong triggers it at once) */
static int ws_admin_each(struct ws_hub *h, const cJSON *req, int shutdown_event, int close)
{
    int conn = ws_num(req, "conn", 0), n = 0;
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
    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < sizeof ms_fields / sizeof ms_fields[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(req, ms_fields[i].name);
        int64_t *f = (int64_t *)((char *)&h->o + ms_fields[i].off);
        if (cJSON_IsNumber(v) && v->valuedouble >= 1) *f = (int64_t)v->valuedouble * 1000;
        cJSON_AddNumberToObject(o, ms_fields[i].name, (double)(*f / 1000));
    }
    const cJSON *mc = cJSON_GetObjectItemCaseSensitive(req, "maxConnections");
    if (cJSON_IsNumber(mc) && mc->valuedouble >= 1) h->o.max_connections = (int)mc->valuedouble;
    const cJSON *mm = cJSON_GetObjectItemCaseSensitive(req, "maxMessagesPerSec");
    if (cJSON_IsNumber(mm) && mm->valuedouble >= 0 && mm->valuedouble <= 1000000)
        h->o.max_msgs_per_sec = (int)mm->valuedouble;
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(req, "maxStreams");
    if (cJSON_IsNumber(ms) && ms->valuedouble >= 1 && ms->valuedouble <= 1000000)
        h->o.max_streams = (int)ms->valuedouble;
    const cJSON *ln = cJSON_GetObjectItemCaseSensitive(req, "lenient");
    if (cJSON_IsBool(ln)) h->o.lenient = cJSON_IsTrue(ln);
    cJSON_AddNumberToObject(o, "maxConnections", h->o.max_connections);
    cJSON_AddNumberToObject(o, "maxMessagesPerSec", h->o.max_msgs_per_sec);
    cJSON_AddNumberToObject(o, "maxStreams", h->o.max_streams);
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
    if (!strcmp(action, "drop")) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(req, "graceful");
        cJSON_AddNumberToObject(o, "dropped", ws_admin_each(h, req, 0, cJSON_IsTrue(g) ? 1 : 2));
        return 200;
    }
    if (!strcmp(action, "shutdown")) {
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(req, "close");
        cJSON_AddNumberToObject(o, "notified", ws_admin_each(h, req, 1, cJSON_IsTrue(cl)));
        return 200;
    }
    if (!strcmp(action, "delay") || !strcmp(action, "withhold")) {
        int count = ws_num(req, "count", 1), ms = ws_num(req, "ms", 1000);
        if (count < 0 || ms < 0 || ms > 30000) {
            cJSON_AddStringToObject(o, "error", "count >= 0 and 0 <= ms <= 30000 required");
            return 400;
        }
        pthread_mutex_lock(&h->mu);
        if (action[0] == 'd') { h->delay_count = count; h->delay_ms = ms; }
        else h->withhold_count = count;
        pthread_mutex_unlock(&h->mu);
        cJSON_AddNumberToObject(o, "count", count);
        return 200;
    }
    if (!strcmp(action, "blockTrade")) return ws_admin_block_trade(h, req, o);
    cJSON_AddStringToObject(o, "error", "unknown ws admin action (list, config, drop, delay, withhold, shutdown, blockTrade)");
    return 404;
}
