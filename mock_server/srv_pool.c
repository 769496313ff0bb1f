/* srv_pool: the worker pool's bookkeeping and the idle reaper (srv_pool.h,
 * docs/pool.md).
 *
 * Each civetweb worker thread owns one slot, found through a thread-local
 * pointer (worker bookkeeping; the slots themselves live in the server
 * context). A slot is FREE (no connection), BUSY (connected, in a request,
 * or a WebSocket), CLOSING (its response closes the connection), IDLE (a
 * keep-alive connection between two requests: since when, and its peer
 * address) or REAPED (shut down, closing).
 *
 * civetweb 1.15 gives the application no handle on an idle connection's
 * socket, so the reaper finds it: it lists our process's sockets
 * (/proc/self/fd), keeps those bound to our listening port and matches
 * their peer address against the chosen idle slots. A socket is shut down
 * (SHUT_RDWR: the client reads an orderly EOF, civetweb's waiting worker
 * reads EOF and closes) under the slot's lock, the lock a request's start
 * takes to mark the slot BUSY, and only while the slot is still IDLE since
 * the same instant and no request byte waits in the socket: a connection
 * that started a request is never cut. civetweb runs connection_close
 * (which takes the same lock) before it closes the socket, so an IDLE slot's
 * socket is open and its descriptor not reused while the lock is held. A
 * request sent at the very instant of the shutdown meets the ordinary
 * keep-alive close race every HTTP client handles.
 *
 * Cost: a pass reads every slot once (O(--threads)) and, only when it has
 * candidates, every descriptor once (O(open files)); passes are at most one
 * per POOL_PASS_GAP_MS, and happen only while the pool is low. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <civetweb.h>
#include "srv_pool.h"

#define POOL_PASS_GAP_MS 10      /* at most 100 passes a second */
#define POOL_PERIOD_MS 100       /* while low, a pass at least this often */
#define POOL_FD_SCAN_MAX 65536   /* without /proc: descriptors probed */

enum { SLOT_FREE, SLOT_BUSY, SLOT_CLOSING, SLOT_IDLE, SLOT_REAPED };

typedef struct pool_peer {
    int family;
    uint16_t port;
    unsigned char addr[16];
} pool_peer;

struct pool_slot {
    pthread_mutex_t mu;
    int state;
    int64_t idle_since_us;       /* monotonic; IDLE only */
    pool_peer peer;              /* IDLE only */
};

struct pool_cand {
    int slot, fd;
    int64_t since_us;
    pool_peer peer;
};

static _Thread_local pool_slot *tl_slot;
static _Thread_local const srv_pool *tl_pool;
static _Thread_local int tl_counted;

static int64_t pool_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int pool_init(srv_pool *p, int threads, int low_pct, int reap_after_ms)
{
    memset(p, 0, sizeof *p);
    p->threads = threads;
    p->low_mark = (threads * low_pct + 99) / 100;
    if (p->low_mark < 1) p->low_mark = 1;
    int margin = threads / 16 > 1 ? threads / 16 : 1;   /* hysteresis: a pass frees a batch */
    p->reap_to = p->low_mark - margin > 0 ? p->low_mark - margin : 0;
    p->reap_after_ms = reap_after_ms;
    atomic_init(&p->active, 0);
    atomic_init(&p->next_slot, 0);
    p->slots = calloc((size_t)threads, sizeof *p->slots);
    p->cand = calloc((size_t)threads, sizeof *p->cand);
    if (!p->slots || !p->cand) {
        free(p->slots); free(p->cand);
        p->slots = NULL; p->cand = NULL;
        return -1;
    }
    for (int i = 0; i < threads; i++) pthread_mutex_init(&p->slots[i].mu, NULL);
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->pass_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    return 0;
}

void pool_destroy(srv_pool *p)
{
    if (!p->slots) return;
    pool_stop(p);
    for (int i = 0; i < p->threads; i++) pthread_mutex_destroy(&p->slots[i].mu);
    free(p->slots);
    free(p->cand);
    p->slots = NULL;
    p->cand = NULL;
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->pass_mu);
    pthread_cond_destroy(&p->cv);
}

int pool_low(srv_pool *p)
{
    return atomic_load(&p->active) >= p->low_mark;
}

/* The calling worker's slot (handed out on its first connection); NULL if
 * civetweb ever ran more workers than --threads. */
static pool_slot *pool_my_slot(srv_pool *p)
{
    if (tl_pool != p) {
        int i = atomic_fetch_add(&p->next_slot, 1);
        tl_pool = p;
        tl_slot = i < p->threads ? &p->slots[i] : NULL;
    }
    return tl_slot;
}

static void pool_slot_set(pool_slot *sl, int state)
{
    if (!sl) return;
    pthread_mutex_lock(&sl->mu);
    sl->state = state;
    pthread_mutex_unlock(&sl->mu);
}

static void pool_kick(srv_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->kicked = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Counted from init_connection to connection_close, both on the worker's
 * own thread. A TLS handshake failure closes without an init: the
 * per-thread flag keeps the count paired. */
void pool_conn_open(srv_pool *p)
{
    if (tl_counted) return;
    tl_counted = 1;
    int n = atomic_fetch_add(&p->active, 1) + 1;
    pool_slot_set(pool_my_slot(p), SLOT_BUSY);
    if (n >= p->low_mark && p->reap_after_ms >= 0) pool_kick(p);
}

void pool_conn_close(srv_pool *p)
{
    if (!tl_counted) return;
    tl_counted = 0;
    pool_slot_set(pool_my_slot(p), SLOT_FREE);
    atomic_fetch_sub(&p->active, 1);
}

void pool_request_begin(srv_pool *p)
{
    pool_slot_set(pool_my_slot(p), SLOT_BUSY);
}

static int pool_peer_parse(const char *ip, int port, pool_peer *out)
{
    memset(out, 0, sizeof *out);
    out->port = (uint16_t)port;
    if (inet_pton(AF_INET, ip, out->addr) == 1) { out->family = AF_INET; return 0; }
    if (inet_pton(AF_INET6, ip, out->addr) == 1) { out->family = AF_INET6; return 0; }
    return -1;
}

void pool_request_closing(srv_pool *p)
{
    pool_slot_set(pool_my_slot(p), SLOT_CLOSING);
}

/* A request ended: the connection now waits, idle, for its next request -
 * unless it was a WebSocket (101: its end is the connection's end) or
 * either side said Connection: close. */
void pool_request_end(srv_pool *p, const struct mg_connection *conn, int status)
{
    pool_slot *sl = pool_my_slot(p);
    const char *hdr = mg_get_header(conn, "Connection");
    if (!sl || status == 101 || (hdr && !strcasecmp(hdr, "close"))) return;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    pool_peer peer;
    if (!ri || pool_peer_parse(ri->remote_addr, ri->remote_port, &peer) < 0) return;
    int64_t now = pool_mono_us();
    pthread_mutex_lock(&sl->mu);
    if (sl->state == SLOT_BUSY) {
        sl->state = SLOT_IDLE;
        sl->idle_since_us = now;
        sl->peer = peer;
    }
    pthread_mutex_unlock(&sl->mu);
}

/* ---- the reaper ---- */

static int pool_peer_cmp(const pool_peer *a, const pool_peer *b)
{
    if (a->family != b->family) return a->family < b->family ? -1 : 1;
    if (a->port != b->port) return a->port < b->port ? -1 : 1;
    return memcmp(a->addr, b->addr, sizeof a->addr);
}

static int pool_cand_by_since(const void *x, const void *y)
{
    const pool_cand *a = x, *b = y;
    return a->since_us < b->since_us ? -1 : a->since_us > b->since_us;
}

static int pool_cand_by_peer(const void *x, const void *y)
{
    return pool_peer_cmp(&((const pool_cand *)x)->peer, &((const pool_cand *)y)->peer);
}

static int pool_sockaddr_peer(const struct sockaddr_storage *ss, pool_peer *out)
{
    memset(out, 0, sizeof *out);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        out->family = AF_INET;
        out->port = ntohs(a->sin_port);
        memcpy(out->addr, &a->sin_addr, 4);
        return 0;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        out->family = AF_INET6;
        out->port = ntohs(a->sin6_port);
        memcpy(out->addr, &a->sin6_addr, 16);
        return 0;
    }
    return -1;
}

/* fd: one of our accepted sockets (local port = ours)? Its peer then. */
static int pool_fd_peer(const srv_pool *p, int fd, pool_peer *peer)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return -1;
    if (pool_sockaddr_peer(&ss, peer) < 0 || peer->port != p->port) return -1;
    len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) return -1;
    return pool_sockaddr_peer(&ss, peer);
}

/* One descriptor of the scan: a chosen candidate's socket? */
static int pool_match_fd(srv_pool *p, int fd, pool_cand *cand, int n)
{
    pool_cand key;
    if (pool_fd_peer(p, fd, &key.peer) < 0) return 0;
    pool_cand *c = bsearch(&key, cand, (size_t)n, sizeof *cand, pool_cand_by_peer);
    if (!c || c->fd >= 0) return 0;
    c->fd = fd;
    return 1;
}

/* Find the candidates' sockets: every descriptor at most once. */
static void pool_find_fds(srv_pool *p, pool_cand *cand, int n)
{
    int found = 0;
    p->scans++;
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        struct dirent *e;
        int self = dirfd(d);
        while (found < n && (e = readdir(d)) != NULL) {
            char *end;
            long fd = strtol(e->d_name, &end, 10);
            if (*end || end == e->d_name || fd == self) continue;
            found += pool_match_fd(p, (int)fd, cand, n);
        }
        closedir(d);
        return;
    }
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < POOL_FD_SCAN_MAX
              ? (int)rl.rlim_cur : POOL_FD_SCAN_MAX;
    for (int fd = 0; fd < max && found < n; fd++) found += pool_match_fd(p, fd, cand, n);
}

/* Shut a candidate's socket down if its slot is still the same idle
 * connection and no request byte is waiting. 1 when reaped. */
static int pool_reap_one(srv_pool *p, const pool_cand *c)
{
    pool_slot *sl = &p->slots[c->slot];
    int done = 0, pending = 0;
    pthread_mutex_lock(&sl->mu);
    if (sl->state == SLOT_IDLE && sl->idle_since_us == c->since_us && !pool_peer_cmp(&sl->peer, &c->peer)
        && ioctl(c->fd, FIONREAD, &pending) == 0 && pending == 0
        && shutdown(c->fd, SHUT_RDWR) == 0) {
        sl->state = SLOT_REAPED;
        done = 1;
    }
    pthread_mutex_unlock(&sl->mu);
    return done;
}

/* One pass (pass_mu held): the longest-idle connections, down to reap_to.
 * Connections reaped by an earlier pass but not closed yet are already on
 * their way out: not reaped for twice. */
static void pool_reap_pass(srv_pool *p)
{
    int need = atomic_load(&p->active) - p->reap_to, n = 0, leaving = 0;
    if (need <= 0) return;
    p->passes++;
    int64_t now = pool_mono_us(), min_idle = (int64_t)p->reap_after_ms * 1000;
    for (int i = 0; i < p->threads; i++) {
        pool_slot *sl = &p->slots[i];
        pthread_mutex_lock(&sl->mu);
        leaving += sl->state == SLOT_REAPED;
        if (sl->state == SLOT_IDLE && now - sl->idle_since_us >= min_idle)
            p->cand[n++] = (pool_cand){ .slot = i, .fd = -1, .since_us = sl->idle_since_us, .peer = sl->peer };
        pthread_mutex_unlock(&sl->mu);
    }
    need -= leaving;
    if (n == 0 || need <= 0) return;
    qsort(p->cand, (size_t)n, sizeof *p->cand, pool_cand_by_since);
    if (n > need) n = need;
    qsort(p->cand, (size_t)n, sizeof *p->cand, pool_cand_by_peer);
    pool_find_fds(p, p->cand, n);
    for (int i = 0; i < n; i++)
        if (p->cand[i].fd >= 0) p->reaped += (uint64_t)pool_reap_one(p, &p->cand[i]);
}

static void pool_wait_until(srv_pool *p, int64_t until_us)
{
    struct timespec ts = { (time_t)(until_us / 1000000), (long)(until_us % 1000000) * 1000 };
    pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

/* Sleeps until a new connection finds the pool low (a kick); then passes,
 * at most one per POOL_PASS_GAP_MS, and one per POOL_PERIOD_MS while the
 * pool stays low (an idle connection may grow old enough: --keep-alive-low-ms).
 * mu guards only the wake-up; a pass runs under pass_mu, so a kick never
 * waits for a scan. */
static void *pool_reaper_main(void *arg)
{
    srv_pool *p = arg;
    int64_t last = -(int64_t)POOL_PERIOD_MS * 1000;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        int64_t now = pool_mono_us();
        int low = pool_low(p);
        if (!p->kicked && !(low && now >= last + POOL_PERIOD_MS * 1000)) {
            if (low) pool_wait_until(p, last + POOL_PERIOD_MS * 1000);
            else pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        if (now < last + POOL_PASS_GAP_MS * 1000) {
            pool_wait_until(p, last + POOL_PASS_GAP_MS * 1000);
            continue;
        }
        p->kicked = 0;
        last = now;
        pthread_mutex_unlock(&p->mu);
        pthread_mutex_lock(&p->pass_mu);
        pool_reap_pass(p);
        pthread_mutex_unlock(&p->pass_mu);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int pool_start(srv_pool *p, int port)
{
    p->port = port;
    if (p->reap_after_ms < 0 || p->running) return 0;
    p->stop = 0;
    if (pthread_create(&p->th, NULL, pool_reaper_main, p) != 0) return -1;
    p->running = 1;
    return 0;
}

void pool_stop(srv_pool *p)
{
    if (!p->running) return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    p->running = 0;
}

cJSON *pool_json(srv_pool *p)
{
    int idle = 0;
    for (int i = 0; i < p->threads; i++) {
        pthread_mutex_lock(&p->slots[i].mu);
        idle += p->slots[i].state == SLOT_IDLE;
        pthread_mutex_unlock(&p->slots[i].mu);
    }
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    pthread_mutex_lock(&p->pass_mu);   /* after any pass in flight */
    cJSON_AddNumberToObject(o, "threads", p->threads);
    cJSON_AddNumberToObject(o, "lowMark", p->low_mark);
    cJSON_AddNumberToObject(o, "busy", atomic_load(&p->active));
    cJSON_AddNumberToObject(o, "idle", idle);
    cJSON_AddBoolToObject(o, "low", pool_low(p));
    if (p->reap_after_ms < 0) cJSON_AddNullToObject(o, "keepAliveLowMs");
    else cJSON_AddNumberToObject(o, "keepAliveLowMs", p->reap_after_ms);
    cJSON_AddNumberToObject(o, "reapTo", p->reap_to);
    cJSON_AddNumberToObject(o, "reaped", (double)p->reaped);
    cJSON_AddNumberToObject(o, "reapPasses", (double)p->passes);
    cJSON_AddNumberToObject(o, "fdScans", (double)p->scans);
    pthread_mutex_unlock(&p->pass_mu);
    return o;
}
