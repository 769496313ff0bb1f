/* srv_pool: civetweb's worker pool as the server sees it (docs/pool.md).
 * civetweb gives every connection - idle keep-alive or WebSocket - one
 * worker thread of --threads. This module counts the connections holding a
 * worker, says when the pool runs low (--pool-low-percent of the threads),
 * tracks per worker whether its connection is idle between two requests
 * (since when, from which peer), and runs the idle reaper: one thread that,
 * while the pool is low, closes the longest-idle keep-alive connections
 * (shutdown of their socket, found by its peer address) so a fresh client
 * gets a worker. WebSocket connections are never idle here: never reaped. */
#ifndef BC_SRV_POOL_H
#define BC_SRV_POOL_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <cjson/cJSON.h>

struct mg_connection;
typedef struct pool_slot pool_slot;
typedef struct pool_cand pool_cand;

typedef struct srv_pool {
    int threads;
    int low_mark;            /* connections holding a worker at which the pool is low */
    int reap_to;             /* a reap pass closes idle connections down to this many */
    int reap_after_ms;       /* idle this long before reapable; -1 = reaper off */
    int port;                /* our listening port: the fd scan's filter */
    atomic_int active;       /* connections holding a worker */
    atomic_int next_slot;    /* slots handed to worker threads so far */
    pool_slot *slots;        /* one per worker thread */
    pool_cand *cand;         /* a pass's candidates (threads entries, reused) */
    pthread_mutex_t mu;      /* the reaper's wake-up: stop, kicked, cv */
    pthread_cond_t cv;
    int stop, kicked;        /* kicked: a new connection found the pool low */
    pthread_t th;
    int running;             /* the starting thread's own */
    pthread_mutex_t pass_mu; /* one pass at a time; the counters */
    uint64_t reaped, passes, scans;
} srv_pool;

/* 0 ok, -1 out of memory. low_pct 50..100; reap_after_ms -1 = no reaper. */
int pool_init(srv_pool *p, int threads, int low_pct, int reap_after_ms);
/* Start the reaper (no-op when off): port is the server's listening port. */
int pool_start(srv_pool *p, int port);
void pool_stop(srv_pool *p);             /* joins the reaper; callbacks may go on */
void pool_destroy(srv_pool *p);          /* after civetweb has stopped */

/* civetweb callbacks' halves, each on the connection's worker thread. */
void pool_conn_open(srv_pool *p);
void pool_request_begin(srv_pool *p);
void pool_request_end(srv_pool *p, const struct mg_connection *conn, int status);
/* The request being answered closes its connection: not idle after it. */
void pool_request_closing(srv_pool *p);
void pool_conn_close(srv_pool *p);

int pool_low(srv_pool *p);
/* {"threads","lowMark","busy","idle","low","keepAliveLowMs","reaped","reapPasses","fdScans"} */
cJSON *pool_json(srv_pool *p);
#endif
