/* srv: the server context's lifecycle (create, civetweb start with TLS and
 * the worker pool, reset, free) and the srv.h accessors. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "srv_core.h"
#include "json_guard.h"
#include "exchange.h"
#include "embed.h"

#ifdef BC_STATIC_BUILD
static int tls_compat_active(void) { return 1; }   /* civetweb calls OpenSSL 3 directly */
#else
int tls_compat_active(void);   /* tls_compat.c */
#endif

struct exchange *srv_exchange(struct srv *s) { return s->ex; }
int64_t srv_now_us(struct srv *s) { return vclock_now_us(&s->clock); }
int64_t srv_mono_us(struct srv *s) { return vclock_mono_us(&s->clock); }
srv_profile srv_get_profile(struct srv *s) { return s->cfg.profile; }
cJSON *srv_rate_limits_json(struct srv *s) { return rl_exchange_json(&s->rl); }
const char *srv_url(const struct srv *s) { return s->url; }

/* --keys FILE, or the bundled registry built into the binary (embed.h). */
static int srv_load_keys(struct srv *s, const srv_config *c, char *err, size_t errlen)
{
    if (c->keys_file) return keyreg_load_file(&s->keys, c->keys_file, s->ex, err, errlen);
    cJSON *root = json_guard_parse((const char *)builtin_keys[0].data, builtin_keys[0].len);
    int rc = root ? keyreg_load_json(&s->keys, root, s->ex, 0, err, errlen) : -1;
    if (!root) snprintf(err, errlen, "the built-in key registry is not valid JSON");
    cJSON_Delete(root);
    return rc;
}

struct srv *srv_new(const srv_config *c, char *err, size_t errlen)
{
    struct srv *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    s->cfg = *c;
    vclock_init(&s->clock, c->clock_offset_ms * 1000);
    keyreg_init(&s->keys);
    rl_init(&s->rl, c->rate_limits_on);
    faults_init(&s->flt);
    pthread_mutex_init(&s->admin_mu, NULL);
    if (pool_init(&s->pool, c->threads, c->pool_low_pct, c->keep_alive_low_ms) < 0) {
        snprintf(err, errlen, "out of memory");
        pthread_mutex_destroy(&s->admin_mu);
        free(s);
        return NULL;
    }
    timing_rule_default(&s->timing);
    s->timing.recv_window_too_big = c->recv_window_error;
    if (journal_init(&s->jr, SRV_JOURNAL_CAP) < 0) {
        snprintf(err, errlen, "out of memory");
        pool_destroy(&s->pool);
        free(s);   /* nothing else allocated yet beyond the inits */
        return NULL;
    }
    exchange_opts eo = { .symbols_file = c->symbols_file, .seed = c->seed, .now_us = vclock_now_us(&s->clock),
                         .retention_us = c->order_retention_ms * 1000, .keep_filled = !c->archive_filled,
                         .replay_dir = c->replay_dir, .replay_speed_milli = c->replay_speed_milli,
                         .replay_history_ms = c->replay_history_ms,
                         .replay_start_ms = c->replay_start_ms, .replay_fill_touch = c->replay_fill_touch,
                         .replay_max_events = (size_t)c->replay_max_events };
    char xerr[256] = "";
    s->ex = exchange_new(&eo, xerr, sizeof xerr);
    if (!s->ex) {
        snprintf(err, errlen, "exchange: %s", xerr);
        srv_free(s);
        return NULL;
    }
    if (srv_load_keys(s, c, err, errlen) < 0) {
        srv_free(s);
        return NULL;
    }
    ws_opts wo = c->ws;
    wo.max_connections_cap = c->threads - c->threads / 4;   /* see srv_pool_low */
    if (wo.max_connections_cap < 1) wo.max_connections_cap = 1;
    s->ws = ws_hub_new(s, &wo, xerr, sizeof xerr);
    if (!s->ws) {
        snprintf(err, errlen, "websocket: %s", xerr);
        srv_free(s);
        return NULL;
    }
    return s;
}

/* TLS: load cert chain + key ourselves so they may be two files. */
static int srv_init_ssl(void *ssl_ctx, void *user_data)
{
    struct srv *s = user_data;
    SSL_CTX *ctx = ssl_ctx;
    if (SSL_CTX_use_certificate_chain_file(ctx, s->cfg.tls_cert) != 1
        || SSL_CTX_use_PrivateKey_file(ctx, s->cfg.tls_key, SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(ctx) != 1)
        return -1;
    return 1;
}

/* The worker pool's view of each connection (srv_pool.c): from civetweb's
 * init_connection to its connection_close, and each request's begin and
 * end in between, all on the connection's worker thread. */
static int srv_conn_init(const struct mg_connection *conn, void **conn_data)
{
    struct srv *s = mg_get_user_data(mg_get_context(conn));
    (void)conn_data;
    if (s) pool_conn_open(&s->pool);
    return 0;
}

static int srv_begin_request(struct mg_connection *conn)
{
    struct srv *s = mg_get_user_data(mg_get_context(conn));
    if (s) pool_request_begin(&s->pool);
    return 0;                  /* civetweb goes on to our handlers */
}

static void srv_end_request(const struct mg_connection *conn, int status)
{
    struct srv *s = mg_get_user_data(mg_get_context(conn));
    if (s) pool_request_end(&s->pool, conn, status);
}

static void srv_conn_close(const struct mg_connection *conn)
{
    struct srv *s = mg_get_user_data(mg_get_context(conn));
    if (s) pool_conn_close(&s->pool);
}

void srv_write_head(struct mg_connection *conn, int status, const char *ctype, size_t len, const char *extra)
{
    char h[2048];
    int n = snprintf(h, sizeof h, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n",
                     status, mg_get_response_code_text(conn, status), ctype, len, extra ? extra : "");
    if (n > 0 && (size_t)n < sizeof h) mg_write(conn, h, (size_t)n);
}

int srv_pool_low(struct srv *s)
{
    return pool_low(&s->pool);
}

static int srv_log_message(const struct mg_connection *conn, const char *msg)
{
    (void)conn;
    (void)msg;
    return 1;   /* civetweb's own messages stay off stdout/stderr */
}

/* civetweb's own errors - a request it could not parse (bad request line or
 * HTTP version, oversized or too many headers, missing length, ...) or a
 * refused WebSocket upgrade - are answered here instead of by its default
 * page, which builds the status line from the request's version field: a
 * version like "1.1 x\r\nX-Injected: evil" put the client's bytes, CRLFs
 * included, into our headers. Nothing from the request is echoed: a fixed
 * HTTP/1.1 status line (400 unless a more specific 4xx applies), its
 * standard reason and a short plain body (what
 * Binance's edge answers such requests with is an HTML page, not an API
 * error), then the connection is closed. */
static const char *srv_error_reason(int *status)
{
    switch (*status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";
    default: *status = 400; return "Bad Request";   /* 505 bad version, 500 overlong WS key, ... */
    }
}

static int srv_http_error(struct mg_connection *conn, int status, const char *errmsg)
{
    (void)errmsg;                         /* may quote the request: never sent */
    const char *reason = srv_error_reason(&status);
    char head[256];
    int body_len = (int)strlen(reason) + 5;  /* "400 " + reason + "\n" */
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Length: %d\r\nConnection: close\r\n\r\n%d %s\n",
                     status, reason, body_len, status, reason);
    if (n > 0 && (size_t)n < sizeof head) mg_write(conn, head, (size_t)n);
    return 0;                             /* handled: civetweb sends nothing more */
}

/* Check the TLS files before civetweb does (its message names neither):
 * 0 ok, -1 with ERR naming the flag, the file and OpenSSL's reason. */
static int srv_check_tls(const struct srv *s, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    const char *flag = "--tls-cert", *file = s->cfg.tls_cert;
    int ok = ctx != NULL;
    ERR_clear_error();
    if (ok && SSL_CTX_use_certificate_chain_file(ctx, file) != 1) ok = 0;
    if (ok) { flag = "--tls-key"; file = s->cfg.tls_key; }
    if (ok && SSL_CTX_use_PrivateKey_file(ctx, file, SSL_FILETYPE_PEM) != 1) ok = 0;
    if (ok && SSL_CTX_check_private_key(ctx) != 1) { ok = 0; flag = "--tls-key"; }
    if (!ok) {
        char why[200] = "";
        unsigned long e = ERR_get_error();
        if (e) ERR_error_string_n(e, why, sizeof why);
        snprintf(err, errlen, "cannot use %s %s: %s", flag, file,
                 access(file, R_OK) ? strerror(errno)
                 : *why ? why : "not a PEM certificate/key pair");
    }
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return ok ? 0 : -1;
}

/* civetweb says only "Failed to setup server ports": find out why by
 * binding the address ourselves, and say how to pick another. */
static void srv_explain_listen(const struct srv *s, const char *mgerr, char *err, size_t errlen)
{
    struct addrinfo hints, *ai = NULL;
    char port[16];
    int why = 0;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof port, "%d", s->cfg.listen_port);
    if (getaddrinfo(s->cfg.listen_host, port, &hints, &ai) == 0 && ai) {
        int fd = socket(ai->ai_family, SOCK_STREAM, 0), one = 1;
        if (fd >= 0) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) why = errno;
            close(fd);
        }
        freeaddrinfo(ai);
    } else {
        why = EADDRNOTAVAIL;
    }
    if (why == EADDRINUSE)
        snprintf(err, errlen, "cannot listen on %s:%d: the address is already in use (another "
                 "binance-mock?); pick another port with --listen %s:PORT, or --listen %s:0 for "
                 "any free one (the real port is printed on the 'listening on' line)",
                 s->cfg.listen_host, s->cfg.listen_port, s->cfg.listen_host, s->cfg.listen_host);
    else if (why)
        snprintf(err, errlen, "cannot listen on %s:%d: %s", s->cfg.listen_host,
                 s->cfg.listen_port, strerror(why));
    else
        snprintf(err, errlen, "cannot listen on %s:%d: %s", s->cfg.listen_host,
                 s->cfg.listen_port, mgerr[0] ? mgerr : "civetweb failed to start");
}

int srv_start(struct srv *s, char *err, size_t errlen)
{
    char ports[200], threads[16], reqsize[32], keepalive[16];
    int tls = s->cfg.tls_cert != NULL;
    snprintf(ports, sizeof ports, "%s%s%s:%d%s", strchr(s->cfg.listen_host, ':') ? "[" : "",
             s->cfg.listen_host, strchr(s->cfg.listen_host, ':') ? "]" : "",
             s->cfg.listen_port, tls ? "s" : "");
    snprintf(threads, sizeof threads, "%d", s->cfg.threads);
    snprintf(reqsize, sizeof reqsize, "%d", 16384);
    snprintf(keepalive, sizeof keepalive, "%d", s->cfg.keep_alive_ms);
    const char *opts[] = {
        "listening_ports", ports,
        "num_threads", threads,
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", keepalive,
        "request_timeout_ms", "30000",
        "max_request_size", reqsize,
        "decode_url", "no",
        "tcp_nodelay", "1",
        NULL, NULL, NULL
    };
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.log_message = srv_log_message;
    cb.http_error = srv_http_error;
    cb.init_connection = srv_conn_init;
    cb.connection_close = srv_conn_close;
    cb.begin_request = srv_begin_request;
    cb.end_request = srv_end_request;
    if (tls) cb.init_ssl = srv_init_ssl;
    if (tls && !tls_compat_active()) {
        snprintf(err, errlen, "TLS support unavailable");
        return -1;
    }
    if (tls && srv_check_tls(s, err, errlen) < 0) return -1;
    mg_init_library(tls ? MG_FEATURES_TLS : 0);
    struct mg_init_data init = { &cb, s, opts };
    struct mg_error_data ed;
    char mgerr[256] = "";
    memset(&ed, 0, sizeof ed);
    ed.text = mgerr;
    ed.text_buffer_size = sizeof mgerr;
    s->mg = mg_start2(&init, &ed);
    if (!s->mg) {
        srv_explain_listen(s, mgerr, err, errlen);
        return -1;
    }
    mg_set_request_handler(s->mg, "/", rest_handle, s);
    ws_hub_register(s->ws, s->mg);
    struct mg_server_port sp[4];
    int n = mg_get_server_ports(s->mg, 4, sp);
    s->port = n > 0 ? sp[0].port : s->cfg.listen_port;
    if (pool_start(&s->pool, s->port) < 0) {
        snprintf(err, errlen, "cannot start the idle reaper thread");
        return -1;
    }
    snprintf(s->url, sizeof s->url, "%s://%s%s%s:%d", tls ? "https" : "http",
             strchr(s->cfg.listen_host, ':') ? "[" : "", s->cfg.listen_host,
             strchr(s->cfg.listen_host, ':') ? "]" : "", s->port);
    return 0;
}

int srv_reset(struct srv *s, int *ws_closed) { return srv_reset_at(s, -1, -1, ws_closed); }

int srv_reset_at(struct srv *s, int64_t at_us, int64_t ahead_us, int *ws_closed)
{
    /* The market is rebuilt first (its synthetic history takes a moment,
     * docs/market.md), then no WebSocket connection of before the reset
     * survives it: a case never sees the previous case's connections
     * (issue 11), and a client that reconnects as soon as it is dropped
     * finds the reset answered rather than still running. */
    pthread_mutex_lock(&s->admin_mu);
    vclock_reset(&s->clock);
    if (at_us < 0 && ahead_us >= 0) at_us = vclock_now_us(&s->clock) + ahead_us;
    if (at_us >= 0) vclock_freeze_at(&s->clock, at_us);
    exchange_reset(s->ex, vclock_now_us(&s->clock));
    pthread_mutex_unlock(&s->admin_mu);
    int ws_open = s->ws ? ws_hub_reset(s->ws, 2000, ws_closed) : 0;
    pthread_mutex_lock(&s->admin_mu);
    keyreg_reset(&s->keys, s->ex);
    journal_clear(&s->jr);
    rl_reset(&s->rl);
    faults_clear(&s->flt);
    pthread_mutex_unlock(&s->admin_mu);
    return ws_open;
}

/* civetweb's master thread polls its listening socket with a 2 s timeout
 * and only then sees the stop flag; a connection wakes it at once. */
typedef struct waker { struct srv *s; atomic_int done; } waker;

static void *srv_waker_main(void *arg)
{
    waker *w = arg;
    struct timespec pause = { 0, 20 * 1000000L };
    while (!atomic_load(&w->done)) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)w->s->port);
        if (inet_pton(AF_INET, w->s->cfg.listen_host, &a.sin_addr) != 1)
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd >= 0) {
            (void)connect(fd, (struct sockaddr *)&a, sizeof a);
            close(fd);
        }
        nanosleep(&pause, NULL);
    }
    return NULL;
}

static void srv_stop_mg(struct srv *s)
{
    waker w;
    w.s = s;
    atomic_init(&w.done, 0);
    pthread_t th;
    int started = pthread_create(&th, NULL, srv_waker_main, &w) == 0;
    mg_stop(s->mg);
    s->mg = NULL;
    atomic_store(&w.done, 1);
    if (started) pthread_join(th, NULL);
}

void srv_free(struct srv *s)
{
    if (!s) return;
    pool_stop(&s->pool);
    if (s->ws && s->mg) ws_hub_shutdown(s->ws);
    if (s->mg) srv_stop_mg(s);
    if (s->ws) ws_hub_free(s->ws);
    if (s->ex) exchange_free(s->ex);
    keyreg_free(&s->keys);
    rl_destroy(&s->rl);
    faults_destroy(&s->flt);
    journal_destroy(&s->jr);
    vclock_destroy(&s->clock);
    pthread_mutex_destroy(&s->admin_mu);
    pool_destroy(&s->pool);
    free(s);
}
