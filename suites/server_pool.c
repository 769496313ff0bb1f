/* server_pool: civetweb's worker pool (one thread per connection, WebSocket
 * included) against more connections than threads (issue 8: 128 idle
 * sockets used to starve every new client for 30 s). The default pool holds
 * a thousand and more idle connections and still serves a fresh client;
 * when the pool runs low (3/4 busy) REST responses close their keep-alive
 * connection so idle clients give their worker back; WebSocket connections
 * are capped at 3/4 of the threads, so -1034 is reachable and REST keeps a
 * quarter of the workers; and while the pool is low the idle reaper closes
 * the longest-idle keep-alive connections (orderly EOF), never a WebSocket. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())
#define IDLE_CONNS 1500

/* A fresh client's ping is answered within ms, on a new connection. */
static int fresh_ping_ok(const bcs_mock *m, int ms)
{
    bcs_conn c;
    bcs_resp r;
    const char req[] = "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (bcs_conn_open(&c, m) < 0) return 0;
    bcs_conn_send(&c, req, sizeof req - 1);
    int ok = bcs_conn_recv(&c, &r, ms) == 0 && r.status == 200;
    bcs_resp_free(&r);
    bcs_conn_close(&c);
    return ok;
}

/* 1 when the server closed c in order (EOF: recv 0) within ms; 0 when c
 * stays open that long; a reset fails the test. */
static int conn_eof_within(bcs_conn *c, int ms)
{
    struct pollfd pf = { .fd = c->fd, .events = POLLIN };
    if (poll(&pf, 1, ms) <= 0) return 0;
    char b;
    ssize_t n = recv(c->fd, &b, 1, 0);
    if (n < 0) fail_msg("reaped connection reset (errno %d), not closed in order", errno);
    assert_int_equal(n, 0);                 /* no stray bytes either */
    return 1;
}

/* 1,500 connections that never send a byte, then a fresh client: served at
 * once by the default pool. */
static void test_default_pool_many_idle(void **state)
{
    (void)state;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < IDLE_CONNS + 200 && rl.rlim_max >= IDLE_CONNS + 200) {
        rl.rlim_cur = IDLE_CONNS + 200;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < IDLE_CONNS + 200) skip();
    bcs_mock m;
    assert_int_equal(bcs_mock_start(&m, NULL), 0);
    bcs_conn *c = calloc(IDLE_CONNS, sizeof *c);
    assert_non_null(c);
    for (int i = 0; i < IDLE_CONNS; i++) assert_int_equal(bcs_conn_open(&c[i], &m), 0);
    assert_true(fresh_ping_ok(&m, 5000));
    for (int i = 0; i < IDLE_CONNS; i++) bcs_conn_close(&c[i]);
    free(c);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

/* 8 threads, keep-alive 60 s: 8 keep-alive clients make one request each.
 * Once 3/4 of the pool is busy the responses say Connection: close and the
 * server closes them (the client reads EOF), so a fresh client is served although every client
 * kept its connection (without shedding: starved for 60 s). */
static void test_pool_low_sheds_keep_alive(void **state)
{
    enum { N = 8 };
    (void)state;
    const char *args[] = { "--threads", "8", "--keep-alive-ms", "60000", NULL };
    const char req[] = "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n";
    bcs_mock m;
    bcs_conn c[N];
    int closed = 0;
    assert_int_equal(bcs_mock_start(&m, args), 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(bcs_conn_open(&c[i], &m), 0);
        assert_int_equal(bcs_conn_send(&c[i], req, sizeof req - 1), 0);
        bcs_resp r;
        assert_int_equal(bcs_conn_recv(&c[i], &r, WAIT_MS), 0);
        assert_int_equal(r.status, 200);
        const char *h = bcs_header(&r, "Connection");
        int close_said = h && !strcmp(h, "close");
        closed += close_said;
        bcs_resp_free(&r);
        if (close_said) assert_true(conn_eof_within(&c[i], WAIT_MS));   /* civetweb closes it */
    }
    assert_true(closed >= 1);
    assert_true(fresh_ping_ok(&m, 3000));
    for (int i = 0; i < N; i++) bcs_conn_close(&c[i]);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

/* 16 threads: WebSocket connections are capped at 12 (300 configured), the
 * 13th gets -1034, and REST is still served with 12 WebSockets open. */
static void test_ws_limit_reachable(void **state)
{
    enum { CAP = 12 };
    (void)state;
    const char *args[] = { "--threads", "16", NULL };
    bcs_mock m;
    bcws *ws[CAP + 1];
    char err[256];
    assert_int_equal(bcs_mock_start(&m, args), 0);
    bcs_resp r;
    assert_int_equal(bcs_admin(&m, "GET", "/__admin/ws/config", NULL, &r), 200);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "maxConnections")) == CAP);
    bcs_resp_free(&r);
    for (int i = 0; i < CAP; i++) {
        ws[i] = bcws_open(m.port, "/ws-api/v3", err, sizeof err);
        assert_non_null(ws[i]);
        bcs_fx_ws_sync(ws[i], "/ws-api/v3", WAIT_MS);
    }
    ws[CAP] = bcws_open(m.port, "/ws-api/v3", err, sizeof err);
    assert_non_null(ws[CAP]);
    cJSON *j = bcws_recv_json(ws[CAP], WAIT_MS);
    assert_non_null(j);
    const cJSON *e = cJSON_GetObjectItem(j, "error");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "code")), -1034);
    cJSON_Delete(j);
    assert_true(bcws_wait_closed(ws[CAP], WAIT_MS));
    assert_true(fresh_ping_ok(&m, 3000));
    for (int i = 0; i <= CAP; i++) bcws_close(ws[i]);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

/* One GET /__admin/pool: busy, idle and reaped, read together. */
typedef struct pool_view { int busy, idle, reaped; } pool_view;

static pool_view pool_stats(const bcs_mock *m)
{
    bcs_resp r;
    pool_view v;
    assert_int_equal(bcs_admin(m, "GET", "/__admin/pool", NULL, &r), 200);
    v.busy = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r.json, "busy"));
    v.idle = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r.json, "idle"));
    v.reaped = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r.json, "reaped"));
    bcs_resp_free(&r);
    return v;
}

/* Wait (bounded) until the server counts n idle connections: it marks a
 * connection idle just after writing its response, so the client may be
 * answered first. The admin calls say Connection: close: never idle. */
static void wait_idle(const bcs_mock *m, int n)
{
    int64_t end = bcs_real_ms() + WAIT_MS;
    while (pool_stats(m).idle != n) assert_true(bcs_real_ms() < end);
}

static void ping_keep_alive(bcs_conn *c)
{
    const char req[] = "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n";
    bcs_resp r;
    assert_int_equal(bcs_conn_send(c, req, sizeof req - 1), 0);
    assert_int_equal(bcs_conn_recv(c, &r, WAIT_MS), 0);
    assert_int_equal(r.status, 200);
    assert_null(bcs_header(&r, "Connection"));  /* kept alive */
    bcs_resp_free(&r);
}

/* 16 threads (the pool is low at 12), keep-alive 60 s: 8 keep-alive
 * clients make one request each and stay idle; nothing is reaped while the
 * pool is not low. Then 8 WebSocket clients fill the pool (16): without the
 * reaper a fresh client would wait 60 s. The reaper closes the
 * longest-idle keep-alive connections (each sees an orderly EOF, the
 * oldest first), the fresh client is served at once, every WebSocket still
 * answers, and the keep-alive clients not reaped still work. */
static void test_pool_low_reaps_idle_keep_alive(void **state)
{
    enum { KA = 8, WS = 8 };
    (void)state;
    const char *args[] = { "--threads", "16", "--keep-alive-ms", "60000", NULL };
    bcs_mock m;
    bcs_conn c[KA];
    bcws *ws[WS];
    char err[256];
    assert_int_equal(bcs_mock_start(&m, args), 0);
    for (int i = 0; i < KA; i++) {                          /* idle in this order */
        assert_int_equal(bcs_conn_open(&c[i], &m), 0);
        ping_keep_alive(&c[i]);
        wait_idle(&m, i + 1);
    }
    /* The admin calls' connections close on the server's side just after
     * their answer: under load a few may still count (well under 12). */
    pool_view v;
    int64_t end = bcs_real_ms() + WAIT_MS;
    for (v = pool_stats(&m); v.busy != KA + 1; v = pool_stats(&m))   /* the call's own */
        assert_true(bcs_real_ms() < end);
    assert_int_equal(v.reaped, 0);                          /* not low: nothing reaped */
    for (int i = 0; i < WS; i++) {
        ws[i] = bcws_open(m.port, "/ws-api/v3", err, sizeof err);
        assert_non_null(ws[i]);
        bcs_fx_ws_sync(ws[i], "/ws-api/v3", WAIT_MS);
    }
    assert_true(fresh_ping_ok(&m, 3000 * bcs_slow()));      /* keep-alive is 60 s */
    for (int i = 0; i < WS; i++) bcs_fx_ws_sync(ws[i], "/ws-api/v3", WAIT_MS);
    for (int i = 0; i < WS; i++) bcws_close(ws[i]);
    /* Once the WebSockets are gone no pass can reap more (busy <= 11 =
     * reapTo), and the stats are read after any pass in flight. */
    end = bcs_real_ms() + WAIT_MS;
    for (v = pool_stats(&m); v.busy > KA - v.reaped + 1; v = pool_stats(&m))
        assert_true(bcs_real_ms() < end);
    int reaped = v.reaped;
    assert_true(reaped >= 1);
    for (int i = 0; i < reaped; i++)                        /* the oldest idle first */
        assert_true(conn_eof_within(&c[i], WAIT_MS));
    for (int i = reaped; i < KA; i++) ping_keep_alive(&c[i]);
    assert_int_equal(pool_stats(&m).reaped, reaped);
    for (int i = 0; i < KA; i++) bcs_conn_close(&c[i]);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_pool_many_idle),
        cmocka_unit_test(test_pool_low_sheds_keep_alive),
        cmocka_unit_test(test_ws_limit_reachable),
        cmocka_unit_test(test_pool_low_reaps_idle_keep_alive),
    };
    return cmocka_run_group_tests_name("server_pool", tests, NULL, NULL);
}
