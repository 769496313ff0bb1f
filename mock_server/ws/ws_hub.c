/* ws_hub.c: the WebSocket hub - lifecycle, the civetweb websocket callbacks
 * for /ws-api/v3, /ws and /stream (handshake, message reassembly, close), the
 * connection table and the ticker (server pings, pong timeout, lifetime
 * limit, market simulator catch-up, timer-driven streams; all on the virtual
 * clock). Writes live in ws_send.c, the admin API in ws_admin.c. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "srv.h"
#include "exchange.h"
#include "errors.h"
#include "ws_deps.h"
#include "ws_frame.h"
#include "ws_int.h"

void ws_opts_default(ws_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ping_interval_us = 20LL * 1000000;
    o->pong_timeout_us = 60LL * 1000000;
    o->max_lifetime_us = 24LL * 3600 * 1000000;
    o->max_connections = 300;
    o->max_streams = 1024;
    o->tick_ms = 50;
    o->max_msgs_per_sec = 5;
}

int64_t ws_now_us(struct ws_hub *h) { return srv_now_us(h->srv); }

double ws_time(int time_unit_us, int64_t t_us)
{
    return time_unit_us ? (double)t_us : (double)(t_us / 1000);
}

/* ---- civetweb callbacks ---- */

/* A connection, private to its worker thread until ws_on_ready links it. */
ws_conn *ws_conn_new(struct ws_hub *h, const struct mg_request_info *ri)
{
    ws_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    pthread_mutex_init(&c->mu, NULL);
    c->hub = h;
    c->kind = strcmp(ri->local_uri ? ri->local_uri : "", "/ws-api/v3") ? WS_KIND_STREAM : WS_KIND_API;
    c->listen_account = -1;
    c->logon_account = -1;
    c->return_rate_limits = 1;
    snprintf(c->path, sizeof c->path, "%s", ri->local_uri ? ri->local_uri : "");
    snprintf(c->ip, sizeof c->ip, "%s", ri->remote_addr);
    c->connected_us = ws_now_us(h);
    c->connected_mono_us = c->last_ping_mono_us = srv_mono_us(h->srv);
    return c;
}

/* Before the 101: the connection's start time is stamped here, so a client
 * that moves the virtual clock as soon as it sees the 101 cannot make the
 * server date the connection after the move (civetweb calls the ready
 * handler only after sending the 101). */
static int ws_on_connect(const struct mg_connection *mc, void *cbdata)
{
    struct ws_hub *h = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(mc);
    ws_stream_preopen(h, ri->local_uri, ri->query_string);   /* before the 101 goes out */
    if (!srv_rate_limits_off(h->srv)) {
        char a1[96] = "", a2[96] = "";
        int64_t retry = 0;
        /* connecting costs weight 2 (fact sheet §6); a banned IP is refused */
        if (srv_limits_charge(h->srv, ri->remote_addr, -1, 2, 0, a1, a2, &retry) != ERR_NONE) return 1;
    }
    /* civetweb fails the handshake (500, and no close callback) when
     * Sec-WebSocket-Key + its 36-byte GUID do not fit 100 bytes: nothing to
     * allocate then, as nothing would free it */
    const char *key = mg_get_header(mc, "Sec-WebSocket-Key");
    if (!key || strlen(key) + 36 >= 100) return 0;
    ws_conn *c = ws_conn_new(h, ri);
    if (!c) return 1;
    mg_set_user_connection_data(mc, c);
    pthread_mutex_lock(&h->mu);
    c->pending = 1;                      /* admin drop/shutdown/reset wait for it (ws_hub_settle) */
    h->npending++;
    pthread_mutex_unlock(&h->mu);
    return 0;
}

/* A linked or closed connection is no longer an accepted handshake in flight. */
static void ws_pending_done(struct ws_hub *h, ws_conn *c)
{
    if (c->pending) { c->pending = 0; h->npending--; }
}

/* Wait (at most max_ms, real time) until every handshake the server accepted
 * is linked: civetweb sends the 101 before the ready handler links the
 * connection, so a client may act on a connection (an admin drop or
 * serverShutdown right after its streamSubscribe returned) that the hub does
 * not list yet. The admin actions that address every connection settle
 * first, so they reach it. Returns the handshakes still in flight. */
int ws_hub_settle(struct ws_hub *h, int max_ms)
{
    int left = 0;
    for (int waited = 0;; waited += 2) {
        pthread_mutex_lock(&h->mu);
        left = h->npending;
        pthread_mutex_unlock(&h->mu);
        if (!left || waited >= max_ms) break;
        struct timespec ts = { 0, 2000000L };
        nanosleep(&ts, NULL);
    }
    return left;
}

/* After the 101: finish initialising the connection, then publish it to the
 * other threads (ticker, writers, admin) under hub->mu. */
static void ws_on_ready(struct mg_connection *mc, void *cbdata)
{
    struct ws_hub *h = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(mc);
    ws_conn *c = mg_get_user_connection_data(mc);
    if (!c) return;
    pthread_mutex_lock(&h->mu);
    int delay_ms = h->ready_delay_ms;
    pthread_mutex_unlock(&h->mu);
    if (delay_ms > 0) usleep((useconds_t)delay_ms * 1000);   /* admin fault: a loaded server */
    ws_kind kind = c->kind;
    c->mc = mc;
    err_id opt = wsf_url_options(ri->query_string, &c->return_rate_limits, &c->time_unit_us);
    ws_writer_start(c);                  /* on failure frames queue until the bound cuts it */
    /* catch up first: what happened before it connected is not its business.
     * The URL's streams are opened only after the catch-up and once the
     * connection is linked, so a slot due at this instant (a kline close the
     * client triggered by moving the clock on seeing the 101) is sent to it,
     * not consumed while it was unlisted; the slot's count began in
     * ws_on_connect (ws_stream_preopen). */
    ws_pump(h);
    pthread_mutex_lock(&h->mu);
    ws_pending_done(h, c);
    c->id = ++h->next_conn_id;
    c->over_limit = h->nconns >= h->o.max_connections;
    int limit = h->o.max_connections;
    c->next = h->conns;
    h->conns = c;
    h->nconns++;
    pthread_mutex_unlock(&h->mu);
    if (c->over_limit) {
        buf_t b = BUF_INIT;
        char lim[32];
        snprintf(lim, sizeof lim, "%d", limit);
        if (!wsf_render_error(&b, "null", 0, ERR_TOO_MANY_CONNECTIONS, lim, NULL, NULL, NULL))
            ws_conn_send(c, b.data, b.len);
        buf_free(&b);
        ws_conn_close(c, 1008);
        return;
    }
    if (kind == WS_KIND_API && opt != ERR_NONE) {
        buf_t b = BUF_INIT;
        if (!wsf_render_error(&b, "null", 0, opt, NULL, NULL, NULL, NULL)) ws_conn_send(c, b.data, b.len);
        buf_free(&b);
        ws_conn_close(c, 1008);
    } else if (kind == WS_KIND_STREAM
               && (opt != ERR_NONE || ws_stream_open(c, ri->local_uri, ri->query_string) != 0)) {
        ws_conn_close(c, 1008);
    }
}

/* A complete text message (reassembled from fragments when needed). */
static void ws_on_text(ws_conn *c, const char *data, size_t n)
{
    if (c->kind == WS_KIND_API) ws_api_handle(c, data, n);
    else ws_stream_handle(c, data, n);
}

/* Fragments: civetweb hands over frames as they come (FIN = 0x80). Returns
 * 0 to keep going, -1 when the message outgrew WS_MAX_FRAME. */
static int ws_on_fragment(ws_conn *c, int flags, const char *data, size_t n)
{
    int op = flags & 0x0f, fin = (flags & 0x80) != 0;
    if (op == MG_WEBSOCKET_OPCODE_TEXT || op == MG_WEBSOCKET_OPCODE_BINARY) {
        buf_reset(&c->rx);
        c->rx_op = op;
    } else if (op != MG_WEBSOCKET_OPCODE_CONTINUATION || !c->rx_op) {
        return 0;
    }
    if (c->rx.len + n > WS_MAX_FRAME || buf_append(&c->rx, data, n)) {
        buf_reset(&c->rx);
        c->rx_op = 0;
        return -1;
    }
    if (!fin) return 0;
    if (c->rx_op == MG_WEBSOCKET_OPCODE_TEXT) ws_on_text(c, c->rx.data ? c->rx.data : "", c->rx.len);
    buf_reset(&c->rx);
    c->rx_op = 0;
    return 0;
}

/* Streams: "5 incoming messages per second" (web-socket-streams.md: ping,
 * pong and JSON control messages count) on the virtual clock; beyond it the
 * connection is closed (1008 "Too many requests", as Binance's close frame
 * reads [observed]). hub->mu held; 1 when this message is over the limit. */
static int ws_rate_over(struct ws_hub *h, ws_conn *c, int op)
{
    int lim = h->o.max_msgs_per_sec;
    if (c->kind != WS_KIND_STREAM || lim <= 0 || op == MG_WEBSOCKET_OPCODE_CONTINUATION
        || op == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE)
        return 0;
    if (lim > WS_RATE_MAX) lim = WS_RATE_MAX;
    int64_t now = ws_now_us(h);
    int over = c->rx_count >= (unsigned)lim
               && now - c->rx_times[(c->rx_count - (unsigned)lim) % WS_RATE_MAX] < 1000000;
    c->rx_times[c->rx_count++ % WS_RATE_MAX] = now;
    return over;
}

static int ws_on_data(struct mg_connection *mc, int flags, char *data, size_t n, void *cbdata)
{
    struct ws_hub *h = cbdata;
    ws_conn *c = mg_get_user_connection_data(mc);
    int op = flags & 0x0f;
    if (!c || c->over_limit) return op != MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE;
    pthread_mutex_lock(&h->mu);
    int drop = c->drop, closing = c->closing, over = !closing && !drop && ws_rate_over(h, c, op);
    if (over) c->closing = 1;
    pthread_mutex_unlock(&h->mu);
    if (drop) return 0;                  /* no close frame: the client sees an abnormal closure */
    if (over) {                          /* journalled before the client can see the close */
        static const char reason[] = "\x03\xf0Too many requests";       /* 1008 */
        ws_stream_journal_limit(c);
        pthread_mutex_lock(&h->mu);
        ws_conn_post(c, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, reason, sizeof reason - 1);
        pthread_mutex_unlock(&h->mu);
    }
    if (over || (closing && op != MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE)) return 1;
    switch (op) {
    case MG_WEBSOCKET_OPCODE_TEXT:
    case MG_WEBSOCKET_OPCODE_BINARY:
    case MG_WEBSOCKET_OPCODE_CONTINUATION:
        if (ws_on_fragment(c, flags, data, n)) ws_conn_close(c, 1009);   /* message too big */
        break;
    case MG_WEBSOCKET_OPCODE_PONG:
        pthread_mutex_lock(&h->mu);
        c->ping_out = 0;                 /* any pong (solicited or not) keeps it alive */
        pthread_mutex_unlock(&h->mu);
        break;
    case MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE:
        return 0;
    default:
        break;
    }
    return 1;
}

void ws_conn_free(ws_conn *c)
{
    ws_writer_stop(c);
    ws_queue_free(c);
    buf_free(&c->rx);
    for (size_t i = 0; i < c->nstreams; i++) free(c->streams[i]);
    free(c->streams);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static void ws_on_close(const struct mg_connection *mc, void *cbdata)
{
    struct ws_hub *h = cbdata;
    ws_conn *c = mg_get_user_connection_data(mc);
    if (!c) return;
    pthread_mutex_lock(&h->mu);
    for (ws_conn **pp = &h->conns; *pp; pp = &(*pp)->next)
        if (*pp == c) { *pp = c->next; h->nconns--; break; }
    ws_pending_done(h, c);
    ws_api_conn_gone(c);
    pthread_mutex_unlock(&h->mu);
    ws_writer_stop(c);                   /* unlinked: nobody queues any more */
    pthread_mutex_lock(&c->mu);
    c->dead = 1;
    pthread_mutex_unlock(&c->mu);
    mg_set_user_connection_data(mc, NULL);
    ws_conn_free(c);
}

/* ---- ticker ---- */

ws_poll_slot *ws_poll_slot_get(struct ws_hub *h, const char *name)
{
    for (size_t i = 0; i < h->npoll; i++)
        if (!strcmp(h->poll[i].name, name)) return &h->poll[i];
    if (h->npoll == h->cappoll) {
        size_t cap = h->cappoll ? h->cappoll * 2 : 16;
        if (cap > 4096) return NULL;
        ws_poll_slot *nv = realloc(h->poll, cap * sizeof *nv);
        if (!nv) return NULL;
        h->poll = nv;
        h->cappoll = cap;
    }
    ws_poll_slot *s = &h->poll[h->npoll++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    return s;
}

/* now: the forward-only clock (srv_mono_us); vnow: the virtual clock, for the
 * ping payload. Moving the virtual clock backwards leaves mono where it was,
 * so pings, the pong timeout and the lifetime keep counting from where they
 * were as soon as the clock moves forward again (docs/admin-api.md, "The clock"). */
static void ws_tick_conn(struct ws_hub *h, ws_conn *c, int64_t now, int64_t vnow)
{
    if (c->closing) return;
    if (now - c->connected_mono_us >= h->o.max_lifetime_us) {
        c->closing = 1;
        ws_conn_post_close(c, 1000);
        return;
    }
    if (c->ping_out && now - c->ping_out_mono_us >= h->o.pong_timeout_us) {
        c->closing = 1;
        ws_conn_post_close(c, 1008);
        return;
    }
    if (now - c->last_ping_mono_us >= h->o.ping_interval_us) {
        char payload[32];
        int n = snprintf(payload, sizeof payload, "%lld", (long long)(vnow / 1000));
        c->last_ping_mono_us = now;
        if (!c->ping_out) {
            c->ping_out = 1;
            c->ping_out_mono_us = now;
        }
        ws_conn_post(c, MG_WEBSOCKET_OPCODE_PING, payload, (size_t)n);
    }
}

void ws_pump(struct ws_hub *h)
{
    struct exchange *ex = srv_exchange(h->srv);
    pthread_mutex_lock(&h->pump_mu);
    int64_t now = ws_now_us(h);
    if (ex) exchange_advance(ex, now);         /* real-time events through the listener */
    pthread_mutex_lock(&h->mu);
    h->pump_no++;
    ws_depth_tick(h, now);
    pthread_mutex_unlock(&h->mu);
    ws_poll_tick(h, now);
    pthread_mutex_lock(&h->mu);
    now = ws_now_us(h);                        /* the catch-up may have taken long: re-read */
    int64_t mono = srv_mono_us(h->srv);
    for (ws_conn *c = h->conns; c; c = c->next)
        if (!c->over_limit) ws_tick_conn(h, c, mono, now);
    pthread_mutex_unlock(&h->mu);
    pthread_mutex_unlock(&h->pump_mu);
}

static void ws_tick(struct ws_hub *h)
{
    pthread_mutex_lock(&h->mu);
    int any = h->nconns > 0;
    pthread_mutex_unlock(&h->mu);
    if (any) ws_pump(h);                       /* REST-only runs keep the simulator lazy */
}

static void *ws_ticker_main(void *arg)
{
    struct ws_hub *h = arg;
    pthread_mutex_lock(&h->stop_mu);
    while (!h->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += (long)h->o.tick_ms * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&h->stop_cv, &h->stop_mu, &ts);
        if (h->stop) break;
        pthread_mutex_unlock(&h->stop_mu);
        ws_tick(h);
        pthread_mutex_lock(&h->stop_mu);
    }
    pthread_mutex_unlock(&h->stop_mu);
    return NULL;
}

static void ws_ticker_stop(struct ws_hub *h)
{
    if (!h->ticker_started) return;
    pthread_mutex_lock(&h->stop_mu);
    h->stop = 1;
    pthread_cond_signal(&h->stop_cv);
    pthread_mutex_unlock(&h->stop_mu);
    pthread_join(h->ticker, NULL);
    h->ticker_started = 0;
}

/* ---- lifecycle ---- */

struct ws_hub *ws_hub_new(struct srv *s, const ws_opts *o, char *err, size_t errlen)
{
    struct ws_hub *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "ws: out of memory");
        return NULL;
    }
    h->srv = s;
    if (o) h->o = *o; else ws_opts_default(&h->o);
    ws_opts def;
    ws_opts_default(&def);
    if (h->o.ping_interval_us <= 0) h->o.ping_interval_us = def.ping_interval_us;
    if (h->o.pong_timeout_us <= 0) h->o.pong_timeout_us = def.pong_timeout_us;
    if (h->o.max_lifetime_us <= 0) h->o.max_lifetime_us = def.max_lifetime_us;
    if (h->o.max_connections <= 0) h->o.max_connections = def.max_connections;
    if (h->o.max_connections_cap > 0 && h->o.max_connections > h->o.max_connections_cap)
        h->o.max_connections = h->o.max_connections_cap;
    if (h->o.max_streams <= 0) h->o.max_streams = def.max_streams;
    if (h->o.tick_ms <= 0) h->o.tick_ms = def.tick_ms;
    if (h->o.max_msgs_per_sec < 0) h->o.max_msgs_per_sec = 0;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->pump_mu, NULL);
    pthread_mutex_init(&h->stop_mu, NULL);
    pthread_cond_init(&h->stop_cv, NULL);
    struct exchange *ex = srv_exchange(s);
    if (ex) exchange_set_listener(ex, ws_stream_listener, h);
    return h;
}

void ws_hub_register(struct ws_hub *h, struct mg_context *ctx)
{
    static const char *const uris[] = { "/ws-api/v3", "/ws", "/stream" };
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++)
        mg_set_websocket_handler(ctx, uris[i], ws_on_connect, ws_on_ready, ws_on_data, ws_on_close, h);
    if (!h->ticker_started && pthread_create(&h->ticker, NULL, ws_ticker_main, h) == 0)
        h->ticker_started = 1;
}

void ws_hub_shutdown(struct ws_hub *h)
{
    ws_ticker_stop(h);
    pthread_mutex_lock(&h->mu);
    for (ws_conn *c = h->conns; c; c = c->next) {
        ws_send_shutdown_event(h, c);
        ws_conn_post_close(c, 1001);
    }
    pthread_mutex_unlock(&h->mu);
    ws_sender_drain(h, 1000);
}

void ws_hub_free(struct ws_hub *h)
{
    if (!h) return;
    ws_ticker_stop(h);
    struct exchange *ex = srv_exchange(h->srv);
    if (ex) exchange_set_listener(ex, NULL, NULL);
    while (h->conns) {
        ws_conn *c = h->conns;
        h->conns = c->next;
        ws_conn_free(c);
    }
    free(h->poll);
    ws_depth_free(h);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->pump_mu);
    pthread_mutex_destroy(&h->stop_mu);
    pthread_cond_destroy(&h->stop_cv);
    free(h);
}

void ws_hub_revoke_key(struct ws_hub *h, const char *api_key)
{
    if (!h || !api_key) return;
    pthread_mutex_lock(&h->mu);
    for (ws_conn *c = h->conns; c; c = c->next)
        if (c->logon_key[0] && !strcmp(c->logon_key, api_key)) c->revoked = 1;
    pthread_mutex_unlock(&h->mu);
}

int ws_hub_count(struct ws_hub *h)
{
    pthread_mutex_lock(&h->mu);
    int n = h->nconns;
    pthread_mutex_unlock(&h->mu);
    return n;
}
