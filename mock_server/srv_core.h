/* srv_core: the private layout of struct srv (the one server context) and the
 * server core's internal entry points. Only the server core includes this;
 * handlers and the WebSocket layer use srv.h. */
#ifndef BC_SRV_CORE_H
#define BC_SRV_CORE_H
#include <pthread.h>
#include <stdatomic.h>
#include <civetweb.h>
#include "srv.h"
#include "config.h"
#include "vclock.h"
#include "keys.h"
#include "ratelimit.h"
#include "journal.h"
#include "faults.h"
#include "timing.h"
#include "ws.h"
#include "srv_pool.h"

#define SRV_JOURNAL_CAP 2000

struct srv {
    srv_config cfg;
    struct mg_context *mg;
    struct exchange *ex;
    vclock clock;
    keyreg keys;
    ratelimit rl;
    journal jr;
    faults flt;
    timing_rule timing;
    pthread_mutex_t admin_mu;     /* serialises admin mutations (reset, accounts) */
    struct ws_hub *ws;            /* WebSocket API and streams (ws/) */
    srv_pool pool;                /* worker pool: busy count, idle reaper (srv_pool.c) */
    int port;
    char url[200];
};

struct srv *srv_new(const srv_config *c, char *err, size_t errlen);
/* Start civetweb; fills s->port and s->url. 0 ok, -1 with message. */
int srv_start(struct srv *s, char *err, size_t errlen);
const char *srv_url(const struct srv *s);
void srv_free(struct srv *s);          /* stops civetweb first */
/* Admin reset: exchange, keys, journal, limits, faults, clock. */
/* Returns the WebSocket connections still open after it (see ws_hub_reset). */
int srv_reset(struct srv *s, int *ws_closed);
/* The same, the clock then frozen at at_us (>= 0), or ahead_us (>= 0) after the
 * reset clock's now, before the exchange restarts (-1: not frozen). */
int srv_reset_at(struct srv *s, int64_t at_us, int64_t ahead_us, int *ws_closed);

/* 1 when the worker pool runs low (--pool-low-percent of --threads hold a
 * connection): REST responses then close their keep-alive connection, so
 * active clients give their worker back at once, and the reaper closes the
 * longest-idle keep-alive connections (srv_pool.c). */
int srv_pool_low(struct srv *s);
/* Write a response's status line and headers ourselves: civetweb's
 * mg_response_header_send stamps a Date through gmtime(), whose static
 * buffer races between workers (ThreadSanitizer). extra: more header lines
 * ("Name: value\r\n"...) or NULL. The body follows with mg_write. */
void srv_write_head(struct mg_connection *conn, int status, const char *ctype, size_t len, const char *extra);

/* civetweb request handlers (rest.c, admin.c). */
int rest_handle(struct mg_connection *conn, void *cbdata);
int admin_handle(struct mg_connection *conn, struct srv *s);
/* The JSON admin routes without HTTP (admin.c; fuzz/ drives it in-process):
 * what is "clock", "faults", "limits", "accounts", "revoke" or "ws/<action>",
 * body the raw request body (empty = {}). Returns the HTTP status; *out is
 * the answer ({"ok":true}, the new state, or {"error":"..."}; NULL on oom). */
int admin_apply(struct srv *s, const char *what, const char *body, size_t n, cJSON **out);
#endif
