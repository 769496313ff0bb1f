/* ws_inproc.c: in-process WebSocket connections - no socket, no civetweb,
 * no writer thread. A connection is opened on the hub like a real one (the
 * same URL options, stream open and connection table), its text frames run
 * through the same handlers (ws_api_handle / ws_stream_handle), and every
 * frame the server sends it (direct replies and queued events) goes to a
 * caller's sink. The fuzz targets (fuzz/) drive the WebSocket API and the
 * stream control protocol this way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws_frame.h"
#include "ws_int.h"

ws_conn *ws_inproc_open(struct ws_hub *h, const char *uri, const char *query, const char *ip,
                        ws_inproc_sink sink, void *ud)
{
    struct mg_request_info ri;
    memset(&ri, 0, sizeof ri);
    ri.local_uri = uri;
    ri.query_string = query;
    snprintf(ri.remote_addr, sizeof ri.remote_addr, "%s", ip);
    ws_conn *c = ws_conn_new(h, &ri);
    if (!c) return NULL;
    c->sink = sink;
    c->sink_ud = ud;
    int rrl, tu = 0;
    err_id e = wsf_url_options(query, c->kind == WS_KIND_API ? &c->return_rate_limits : &rrl, &tu);
    if (e != ERR_NONE || (c->kind == WS_KIND_STREAM && ws_stream_open(c, uri, query) != 0)) {
        ws_conn_free(c);              /* refused at the handshake: never published */
        return NULL;
    }
    c->time_unit_us = tu;
    pthread_mutex_lock(&h->mu);
    c->id = ++h->next_conn_id;
    c->next = h->conns;
    h->conns = c;
    h->nconns++;
    pthread_mutex_unlock(&h->mu);
    return c;
}

/* Hand the queued frames (events, closes) to the sink, in order. */
static void ws_inproc_flush(ws_conn *c)
{
    pthread_mutex_lock(&c->hub->mu);
    ws_msg *m = c->qhead;
    c->qhead = c->qtail = NULL;
    c->qbytes = 0;
    pthread_mutex_unlock(&c->hub->mu);
    while (m) {
        ws_msg *next = m->next;
        pthread_mutex_lock(&c->mu);
        c->sink(c->sink_ud, m->op, m->data, m->n);
        pthread_mutex_unlock(&c->mu);
        free(m);
        m = next;
    }
}

void ws_inproc_text(ws_conn *c, const char *text, size_t n)
{
    if (c->kind == WS_KIND_API) ws_api_handle(c, text, n);
    else ws_stream_handle(c, text, n);
    ws_inproc_flush(c);
}

void ws_inproc_close(ws_conn *c)
{
    if (!c) return;
    struct ws_hub *h = c->hub;
    pthread_mutex_lock(&h->mu);
    for (ws_conn **pp = &h->conns; *pp; pp = &(*pp)->next)
        if (*pp == c) { *pp = c->next; h->nconns--; break; }
    ws_api_conn_gone(c);
    pthread_mutex_unlock(&h->mu);
    ws_inproc_flush(c);
    ws_conn_free(c);
}
