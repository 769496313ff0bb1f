/* ws_client.c: WebSocket test client on civetweb's client API - a frame
 * queue filled by civetweb's reader thread, bounded waits for the test
 * thread, automatic pongs, and WS API request signing (see ws_client.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <civetweb.h>
#include "buf.h"
#include "pct.h"
#include "ws_client.h"

typedef struct bcws_msg { char *text; struct bcws_msg *next; } bcws_msg;

struct bcws {
    struct mg_connection *mc;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bcws_msg *head, *tail;
    int closed, pings, auto_pong;
    char last_ping[64];
};

static int bcws_on_data(struct mg_connection *mc, int flags, char *data, size_t n, void *ud)
{
    bcws *c = ud;
    int op = flags & 0x0f;
    if (op == MG_WEBSOCKET_OPCODE_PING) {
        pthread_mutex_lock(&c->mu);
        c->pings++;
        snprintf(c->last_ping, sizeof c->last_ping, "%.*s", (int)(n < 63 ? n : 63), data);
        int pong = c->auto_pong;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        if (pong) mg_websocket_client_write(mc, MG_WEBSOCKET_OPCODE_PONG, data, n);
        return 1;
    }
    if (op == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE) {
        /* RFC 6455 5.5.1: answer a close frame with one (echoing its status
         * code), so the server can end the TCP connection at once */
        mg_websocket_client_write(mc, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, data, n < 2 ? n : 2);
        pthread_mutex_lock(&c->mu);
        c->closed = 1;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    if (op != MG_WEBSOCKET_OPCODE_TEXT && op != MG_WEBSOCKET_OPCODE_BINARY) return 1;
    bcws_msg *m = calloc(1, sizeof *m);
    if (!m || !(m->text = strndup(data, n))) {
        free(m);
        return 1;
    }
    pthread_mutex_lock(&c->mu);
    if (c->tail) c->tail->next = m; else c->head = m;
    c->tail = m;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return 1;
}

static void bcws_on_close(const struct mg_connection *mc, void *ud)
{
    (void)mc;
    bcws *c = ud;
    pthread_mutex_lock(&c->mu);
    c->closed = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

bcws *bcws_open(int port, const char *path, char *err, size_t errlen)
{
    bcws *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->auto_pong = 1;
    mg_init_library(0);
    c->mc = mg_connect_websocket_client("127.0.0.1", port, 0, err, errlen, path, NULL,
                                        bcws_on_data, bcws_on_close, c);
    if (!c->mc) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        free(c);
        return NULL;
    }
    return c;
}

void bcws_close(bcws *c)
{
    if (!c) return;
    /* a close handshake first: mg_close_connection alone waits for a read timeout */
    if (!bcws_wait_closed(c, 0)) {
        mg_websocket_client_write(c->mc, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, "\x03\xe8", 2);
        bcws_wait_closed(c, 2000);
    }
    mg_close_connection(c->mc);
    while (c->head) {
        bcws_msg *m = c->head;
        c->head = m->next;
        free(m->text);
        free(m);
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}

int bcws_send_op(bcws *c, int opcode, const char *data, size_t n)
{
    return mg_websocket_client_write(c->mc, opcode, data, n) > 0 ? 0 : -1;
}

int bcws_send(bcws *c, const char *text)
{
    return bcws_send_op(c, MG_WEBSOCKET_OPCODE_TEXT, text, strlen(text));
}

static void bcws_deadline(struct timespec *ts, int timeout_ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += timeout_ms / 1000;
    ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) { ts->tv_sec++; ts->tv_nsec -= 1000000000L; }
}

typedef int (*bcws_pred)(const cJSON *j);

/* Remove and return the first queued frame accepted by pred (NULL: any). */
static char *bcws_take(bcws *c, bcws_pred pred, int timeout_ms)
{
    struct timespec ts;
    bcws_deadline(&ts, timeout_ms);
    pthread_mutex_lock(&c->mu);
    for (;;) {
        for (bcws_msg **pp = &c->head, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
            bcws_msg *m = *pp;
            int ok = 1;
            if (pred) {
                cJSON *j = cJSON_Parse(m->text);
                ok = j && pred(j);
                cJSON_Delete(j);
            }
            if (!ok) continue;
            *pp = m->next;
            if (c->tail == m) c->tail = prev;
            pthread_mutex_unlock(&c->mu);
            char *t = m->text;
            free(m);
            return t;
        }
        if (c->closed) break;
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT) break;
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

char *bcws_recv(bcws *c, int timeout_ms) { return bcws_take(c, NULL, timeout_ms); }

static cJSON *bcws_parse_take(bcws *c, bcws_pred pred, int timeout_ms)
{
    char *t = bcws_take(c, pred, timeout_ms);
    cJSON *j = t ? cJSON_Parse(t) : NULL;
    free(t);
    return j;
}

cJSON *bcws_recv_json(bcws *c, int timeout_ms) { return bcws_parse_take(c, NULL, timeout_ms); }

static int bcws_is_reply(const cJSON *j) { return cJSON_HasObjectItem(j, "id"); }
static int bcws_is_event(const cJSON *j) { return !cJSON_HasObjectItem(j, "id"); }

cJSON *bcws_recv_reply(bcws *c, int timeout_ms) { return bcws_parse_take(c, bcws_is_reply, timeout_ms); }
cJSON *bcws_recv_event(bcws *c, int timeout_ms) { return bcws_parse_take(c, bcws_is_event, timeout_ms); }

cJSON *bcws_call(bcws *c, const char *frame, int timeout_ms)
{
    if (bcws_send(c, frame)) return NULL;
    return bcws_recv_reply(c, timeout_ms);
}

int bcws_pings(bcws *c)
{
    pthread_mutex_lock(&c->mu);
    int n = c->pings;
    pthread_mutex_unlock(&c->mu);
    return n;
}

const char *bcws_last_ping(bcws *c) { return c->last_ping; }

int bcws_wait_closed(bcws *c, int timeout_ms)
{
    struct timespec ts;
    bcws_deadline(&ts, timeout_ms);
    pthread_mutex_lock(&c->mu);
    while (!c->closed)
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT) break;
    int r = c->closed;
    pthread_mutex_unlock(&c->mu);
    return r;
}

void bcws_auto_pong(bcws *c, int on)
{
    pthread_mutex_lock(&c->mu);
    c->auto_pong = on;
    pthread_mutex_unlock(&c->mu);
}

/* ---- signing ---- */

static int bcws_numeric(const char *v)
{
    if (!*v) return 0;
    for (const char *p = v; *p; p++)
        if (!strchr("0123456789.-", *p)) return 0;
    return 1;
}

static int bcws_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
    int r = memcmp(x, y, nx < ny ? nx : ny);
    return r ? r : (nx > ny) - (nx < ny);
}

char *bcws_signed_params(const sig_key *k, const char *api_key, const char *const *pairs,
                         int pct_encode_values)
{
    size_t n = 0;
    while (pairs && pairs[n]) n++;
    const char **v = calloc(n + 2, sizeof *v);
    size_t kl = strlen(api_key) + 8;
    char *keypair = malloc(kl);
    if (!v || !keypair) { free(v); free(keypair); return NULL; }
    snprintf(keypair, kl, "apiKey=%s", api_key);
    for (size_t i = 0; i < n; i++) v[i] = pairs[i];
    v[n++] = keypair;
    qsort(v, n, sizeof *v, bcws_cmp);
    buf_t pl = BUF_INIT, sig = BUF_INIT, js = BUF_INIT;
    char err[128];
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(v[i], '=');
        if (i) buf_putc(&pl, '&');
        buf_append(&pl, v[i], (size_t)(eq - v[i]) + 1);
        if (pct_encode_values) pct_encode(&pl, eq + 1, strlen(eq + 1));
        else buf_puts(&pl, eq + 1);
    }
    char *out = NULL;
    if (sig_sign(k, buf_cstr(&pl), pl.len, &sig, err, sizeof err) == 0) {
        buf_putc(&js, '{');
        for (size_t i = 0; i < n; i++) {
            const char *eq = strchr(v[i], '=');
            buf_json_string(&js, v[i], (size_t)(eq - v[i]));
            buf_putc(&js, ':');
            if (bcws_numeric(eq + 1)) buf_puts(&js, eq + 1);
            else buf_json_string(&js, eq + 1, strlen(eq + 1));
            buf_putc(&js, ',');
        }
        buf_puts(&js, "\"signature\":");
        buf_json_string(&js, buf_cstr(&sig), sig.len);
        buf_putc(&js, '}');
        out = buf_steal(&js);
    }
    buf_free(&pl);
    buf_free(&sig);
    buf_free(&js);
    free(keypair);
    free(v);
    return out;
}
