/* ws_send.c: everything that writes to WebSocket connections - direct
 * writes from a connection's own worker thread (ws_conn_send), the bounded
 * per-connection queues every other thread posts to (ws_conn_post*), and the
 * per-connection writer threads that drain them with no hub or exchange lock
 * held, so a client that stops reading can never stall the exchange. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ws_int.h"

/* ---- sends ---- */

int ws_conn_send(ws_conn *c, const char *text, size_t n)
{
    int r = -1;
    pthread_mutex_lock(&c->mu);
    if (c->sink) { c->sink(c->sink_ud, MG_WEBSOCKET_OPCODE_TEXT, text, n); r = 0; }
    else if (!c->dead && mg_websocket_write(c->mc, MG_WEBSOCKET_OPCODE_TEXT, text, n) > 0) r = 0;
    pthread_mutex_unlock(&c->mu);
    return r;
}

static void ws_conn_send_op(ws_conn *c, int op, const char *data, size_t n)
{
    pthread_mutex_lock(&c->mu);
    if (c->sink) c->sink(c->sink_ud, op, data, n);
    else if (!c->dead) mg_websocket_write(c->mc, op, data, n);
    pthread_mutex_unlock(&c->mu);
}

void ws_conn_close(ws_conn *c, int code)
{
    char payload[2] = { (char)((code >> 8) & 0xff), (char)(code & 0xff) };
    ws_conn_send_op(c, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, payload, sizeof payload);
}

void ws_conn_post(ws_conn *c, int op, const char *data, size_t n)
{
    if (c->q_overflow) return;
    if (c->qbytes + n > WS_QUEUE_MAX) {          /* a consumer that does not read: cut it off */
        c->q_overflow = 1;
        if (c->tx_started) pthread_cond_signal(&c->tx_cv);
        return;
    }
    ws_msg *m = malloc(sizeof *m + n + 1);
    if (!m) return;
    m->next = NULL;
    m->op = op;
    m->n = n;
    memcpy(m->data, data, n);
    m->data[n] = '\0';
    if (c->qtail) c->qtail->next = m; else c->qhead = m;
    c->qtail = m;
    c->qbytes += n;
    if (c->tx_started) pthread_cond_signal(&c->tx_cv);
}

void ws_conn_post_text(ws_conn *c, const char *text, size_t n)
{
    ws_conn_post(c, MG_WEBSOCKET_OPCODE_TEXT, text, n);
}

void ws_conn_post_close(ws_conn *c, int code)
{
    char payload[2] = { (char)((code >> 8) & 0xff), (char)(code & 0xff) };
    ws_conn_post(c, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, payload, sizeof payload);
}

void ws_queue_free(ws_conn *c)
{
    while (c->qhead) {
        ws_msg *m = c->qhead;
        c->qhead = m->next;
        free(m);
    }
    c->qtail = NULL;
    c->qbytes = 0;
}

/* hub->mu held. WS API: {"event":{..}}; raw streams: the event itself;
 * combined streams: {"stream":"!serverShutdown","data":{..}}. */
void ws_send_shutdown_event(struct ws_hub *h, ws_conn *c)
{
    char ev[96], msg[160];
    snprintf(ev, sizeof ev, "{\"e\":\"serverShutdown\",\"E\":%.0f}", ws_time(c->time_unit_us, ws_now_us(h)));
    int n = c->kind == WS_KIND_API ? snprintf(msg, sizeof msg, "{\"event\":%s}", ev)
          : c->combined ? snprintf(msg, sizeof msg, "{\"stream\":\"!serverShutdown\",\"data\":%s}", ev)
          : snprintf(msg, sizeof msg, "%s", ev);
    ws_conn_post_text(c, msg, (size_t)n);
}

/* ---- per-connection writer threads: queued frames are written with no hub
 * or exchange lock held; a client that stops reading blocks only its own
 * writer, never the exchange, the ticker or other connections ---- */

static void ws_send_batch(ws_conn *c, ws_msg *m, int overflow)
{
    while (m) {
        ws_msg *next = m->next;
        pthread_mutex_lock(&c->mu);
        if (!c->dead) mg_websocket_write(c->mc, m->op, m->data, m->n);
        pthread_mutex_unlock(&c->mu);
        free(m);
        m = next;
    }
    if (overflow) ws_conn_close(c, 1008);
}

static void *ws_writer_main(void *arg)
{
    ws_conn *c = arg;
    struct ws_hub *h = c->hub;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!c->qhead && c->q_overflow != 1 && !c->tx_stop) pthread_cond_wait(&c->tx_cv, &h->mu);
        if (c->tx_stop) break;
        ws_msg *m = c->qhead;
        int ov = c->q_overflow == 1;
        if (ov) c->q_overflow = 2;               /* closed once */
        c->qhead = c->qtail = NULL;
        c->qbytes = 0;
        c->sending = 1;
        pthread_mutex_unlock(&h->mu);
        ws_send_batch(c, m, ov);
        pthread_mutex_lock(&h->mu);
        c->sending = 0;
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int ws_writer_start(ws_conn *c)
{
    pthread_cond_init(&c->tx_cv, NULL);
    if (pthread_create(&c->tx, NULL, ws_writer_main, c) != 0) {
        pthread_cond_destroy(&c->tx_cv);
        return -1;
    }
    c->tx_started = 1;
    return 0;
}

/* Stop and join the writer (call with no lock held; c unlinked from the hub). */
void ws_writer_stop(ws_conn *c)
{
    if (!c->tx_started) return;
    pthread_mutex_lock(&c->hub->mu);
    c->tx_stop = 1;
    pthread_cond_signal(&c->tx_cv);
    pthread_mutex_unlock(&c->hub->mu);
    pthread_join(c->tx, NULL);
    pthread_cond_destroy(&c->tx_cv);
    c->tx_started = 0;
}

/* Wait (real time, bounded) until every queue is written. */
void ws_sender_drain(struct ws_hub *h, int max_ms)
{
    for (int waited = 0; waited < max_ms; waited += 10) {
        int busy = 0;
        pthread_mutex_lock(&h->mu);
        for (ws_conn *c = h->conns; c && !busy; c = c->next) busy = c->qhead || c->sending;
        pthread_mutex_unlock(&h->mu);
        if (!busy) return;
        struct timespec ts = { 0, 10000000L };
        nanosleep(&ts, NULL);
    }
}
