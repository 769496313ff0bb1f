/* server_ws_stream: market streams and the connection lifecycle of the real
 * binance-mock - SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / properties
 * and their errors, raw and combined streams fed by the market simulator
 * (driven through the virtual clock), depth update-id continuity, server
 * pings / pong timeout / 24 h limit on the virtual clock, serverShutdown and
 * the WS admin faults (withhold, delay, drop, list). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

typedef bcs_fx fx;


/* many control frames on a frozen clock: the 5-a-second limit is off here
 * (server_ws_market pins it) */
static int setup(void **state)
{
    static const char *const args[] = { "--ws-max-messages-per-sec", "0", NULL };
    return bcs_fx_start(state, args, 0);
}

static int teardown(void **state) { return bcs_fx_stop(state); }

/* Each test starts from a reset exchange and a frozen clock. */
static int per_test(void **state)
{
    fx *f = *state;
    f->now_ms = bcs_real_ms();
    if (bcs_reset(&f->m) != 200) return -1;
    return bcs_clock_freeze(&f->m, f->now_ms) == 200 ? 0 : -1;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void advance(fx *f, int64_t ms)
{
    char j[64];
    snprintf(j, sizeof j, "{\"advance_ms\":%lld}", (long long)ms);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", j, NULL), 200);
    f->now_ms += ms;
}

static bcws *ws_open(fx *f, const char *path)
{
    bcws *c = bcs_fx_ws(f, path);
    /* one round trip: the server's ready handler has run (the client may see
     * the 101 before the server registered the connection) */
    bcs_fx_ws_sync(c, path, WAIT_MS);
    return c;
}

static void expect_text(bcws *c, const char *frame, const char *want)
{
    assert_int_equal(bcws_send(c, frame), 0);
    char *t = bcws_recv(c, WAIT_MS);
    assert_non_null(t);
    if (strcmp(t, want)) fprintf(stderr, "sent %s\n got %s\nwant %s\n", frame, t, want);
    assert_string_equal(t, want);
    free(t);
}

static void expect_stream_error(bcws *c, const char *frame, int code, const char *id, const char *msg)
{
    assert_int_equal(bcws_send(c, frame), 0);
    cJSON *r = bcws_recv_json(c, WAIT_MS);
    assert_non_null(r);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    if (!e) fprintf(stderr, "sent %s got %s\n", frame, cJSON_PrintUnformatted(r));
    assert_non_null(e);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "code")), code);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "msg")), msg);
    char *idt = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "id"));
    assert_string_equal(idt, id);
    free(idt);
    cJSON_Delete(r);
}

/* ---- control frames ---- */

static void test_control_frames(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}", "{\"result\":[],\"id\":1}");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@depth\"],\"id\":2}",
                "{\"result\":null,\"id\":2}");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}",
                "{\"result\":[\"btcusdt@trade\",\"btcusdt@depth\"],\"id\":3}");
    expect_text(c, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":4}",
                "{\"result\":null,\"id\":4}");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":5}", "{\"result\":[\"btcusdt@depth\"],\"id\":5}");
    expect_text(c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":6}", "{\"result\":false,\"id\":6}");
    expect_text(c, "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":7}", "{\"result\":null,\"id\":7}");
    expect_text(c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":8}", "{\"result\":true,\"id\":8}");
    bcws_close(c);
}

typedef struct serr { const char *frame; int code; const char *id; const char *msg; } serr;

static void test_control_errors(void **state)
{
    static const serr cases[] = {
        { "{not json", 3, "null", "Invalid JSON: expected value at line 1 column 2" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":\"x y\"}", 2, "null", "Invalid request: request ID must be an unsigned integer" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":1.5}", 2, "null", "Invalid request: request ID must be an unsigned integer" },
        { "{\"params\":[\"btcusdt@trade\"],\"id\":1}", 2, "1", "Invalid request: missing field `method` at line 1 column 73" },
        { "{\"method\":\"SUBSCRIBEX\",\"params\":[],\"id\":1}", 2, "1", "Invalid request: unknown variant `SUBSCRIBEX`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[1],\"id\":1}", 2, "1", "Invalid request: property name must be a string" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":\"btcusdt@trade\",\"id\":1}", 2, "1", "Invalid request: property name must be a string" },
        { "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":1}", 1, "1", "Invalid value type: expected Boolean" },
        { "{\"method\":\"GET_PROPERTY\",\"params\":[\"colour\"],\"id\":1}", 0, "1", "Unknown property" },
    };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws/btcusdt@trade");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_stream_error(c, cases[i].frame, cases[i].code, cases[i].id, cases[i].msg);
    bcws_close(c);
}

/* ---- market data ---- */

static cJSON *next_event_named(bcws *c, const char *e_name, int max_frames)
{
    for (int i = 0; i < max_frames; i++) {
        cJSON *j = bcws_recv_json(c, WAIT_MS);
        if (!j) return NULL;
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "data");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(d ? d : j, "e");
        if (cJSON_IsString(e) && !strcmp(e->valuestring, e_name)) return j;
        cJSON_Delete(j);
    }
    return NULL;
}

static void test_raw_trade_stream(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws/btcusdt@trade");
    advance(f, 120000);
    cJSON *j = next_event_named(c, "trade", 50);
    assert_non_null(j);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "s")), "BTCUSDT");
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "p")));
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "stream"));
    double E_ms = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "E"));
    assert_true(E_ms <= (double)f->now_ms && E_ms > (double)f->now_ms - 200000);
    cJSON_Delete(j);
    bcws_close(c);

    c = ws_open(f, "/ws/btcusdt@trade?timeUnit=MICROSECOND");     /* times in µs */
    advance(f, 60000);
    j = next_event_named(c, "trade", 50);
    assert_non_null(j);
    double E_us = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "E"));
    if (getenv("BC_WS_DEBUG")) fprintf(stderr, "E_us %.0f now_ms %lld\n", E_us, (long long)f->now_ms);
    assert_true(E_us > 1e15 && E_us <= (double)f->now_ms * 1000);     /* µs, not ms */
    cJSON_Delete(j);
    bcws_close(c);
}

static void test_combined_stream(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/stream?streams=btcusdt@aggTrade/btcusdt@depth@100ms");
    advance(f, 120000);
    int seen_agg = 0, seen_depth = 0;
    for (int i = 0; i < 400 && !(seen_agg && seen_depth); i++) {
        cJSON *j = bcws_recv_json(c, WAIT_MS);
        assert_non_null(j);
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "stream"));
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "data");
        assert_non_null(st);
        assert_non_null(d);
        const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "e"));
        if (!strcmp(st, "btcusdt@aggTrade")) { assert_string_equal(e, "aggTrade"); seen_agg = 1; }
        else { assert_string_equal(st, "btcusdt@depth@100ms"); assert_string_equal(e, "depthUpdate"); seen_depth = 1; }
        cJSON_Delete(j);
    }
    assert_true(seen_agg && seen_depth);
    bcws_close(c);
}

/* timer-driven streams: rendered from the REST twins on the virtual clock */
static void test_timer_streams(void **state)
{
    static const char *const want[][2] = {
        { "btcusdt@depth5@100ms", NULL }, { "btcusdt@ticker", "24hrTicker" },
        { "btcusdt@miniTicker", "24hrMiniTicker" }, { "btcusdt@avgPrice", "avgPrice" },
        { "ethusdt@kline_1m", "kline" },
    };
    fx *f = *state;
    advance(f, 5000);
    bcws *c = ws_open(f, "/stream?streams=btcusdt@depth5@100ms/btcusdt@ticker/btcusdt@miniTicker/"
                         "btcusdt@avgPrice/ethusdt@kline_1m");
    int seen[5] = { 0 }, depth_frames = 0;
    for (int round = 0; round < 3; round++) {
        advance(f, 1000);
        cJSON *j;
        while ((j = bcws_recv_json(c, 400)) != NULL) {
            const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "stream"));
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "data");
            assert_non_null(st);
            for (int i = 0; i < 5; i++) {
                if (strcmp(st, want[i][0])) continue;
                seen[i]++;
                if (!want[i][1]) {
                    depth_frames++;
                    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "bids")) <= 5);
                    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "lastUpdateId")));
                } else {
                    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "e")), want[i][1]);
                    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(d, "E")) <= (double)f->now_ms);
                }
            }
            cJSON_Delete(j);
        }
    }
    for (int i = 0; i < 5; i++) assert_true(seen[i] >= 1);
    assert_true(depth_frames >= 3);
    bcws_close(c);
}

/* depthUpdate ids chain without gaps: U == previous u + 1 */
static void test_depth_ids_continuous(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws/ethusdt@depth");
    advance(f, 300000);
    double prev_u = -1;
    int n = 0;
    for (;;) {
        cJSON *j = bcws_recv_json(c, 1000);
        if (!j) break;
        double U = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "U"));
        double u = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "u"));
        assert_true(U <= u);
        if (prev_u >= 0) assert_true(U == prev_u + 1);
        prev_u = u;
        n++;
        cJSON_Delete(j);
    }
    assert_true(n > 10);
    bcws_close(c);
}

/* A subscriber that never reads must not stall the exchange or REST: its
 * frames queue (bounded) in the hub and the connection is cut when full. */
static void test_slow_consumer(void **state)
{
    fx *f = *state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)f->m.port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    static const char hs[] = "GET /ws/btcusdt@depth@100ms/ethusdt@depth/bnbusdt@depth HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    assert_int_equal(write(fd, hs, sizeof hs - 1), (ssize_t)(sizeof hs - 1));
    for (int i = 0; i < 4; i++) {          /* 3 symbols x 8 min of depth updates (> 8 MB), never read */
        advance(f, 120000);
        bcs_resp r;
        memset(&r, 0, sizeof r);
        int64_t t0 = bcs_real_ms();
        assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/depth?symbol=BTCUSDT&limit=5", NULL, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        assert_true(bcs_real_ms() - t0 < 15000 * bcs_slow());               /* answered, not stuck behind the socket */
        bcs_resp_free(&r);
    }
    if (getenv("BC_WS_DEBUG")) {
        bcs_resp lr;
        memset(&lr, 0, sizeof lr);
        bcs_admin(&f->m, "POST", "/__admin/ws/list", "{}", &lr);
        fprintf(stderr, "after slow consumer: %s\n", lr.body.data ? lr.body.data : "");
        bcs_resp_free(&lr);
    }
    close(fd);
}

/* ---- lifecycle on the virtual clock ---- */

/* Bounded wait (real time) for the ticker to notice a clock move. */
static void wait_pings(bcws *c, int n)
{
    for (int i = 0; i < 200 * bcs_slow() && bcws_pings(c) < n; i++) bcws_wait_closed(c, 25);
}

static void test_server_ping_and_pong_timeout(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    bcws_auto_pong(c, 0);
    assert_int_equal(bcws_pings(c), 0);
    advance(f, 19000);
    cJSON *r = bcws_call(c, "{\"id\":1,\"method\":\"ping\"}", WAIT_MS);   /* a tick has passed */
    assert_non_null(r);
    cJSON_Delete(r);
    assert_int_equal(bcws_pings(c), 0);
    advance(f, 1000);
    wait_pings(c, 1);
    assert_int_equal(bcws_pings(c), 1);
    assert_false(bcws_wait_closed(c, 0));
    advance(f, 60000);                                     /* unanswered for 1 min -> closed */
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);

    c = ws_open(f, "/ws/btcusdt@bookTicker");             /* answering keeps it open */
    for (int k = 0; k < 4; k++) {
        advance(f, 30000);
        wait_pings(c, k + 1);
        assert_int_equal(bcws_pings(c), k + 1);
    }
    /* still open: a round trip after the last tick's ping (no real-time window) */
    bcs_fx_ws_sync(c, "/ws/btcusdt@bookTicker", WAIT_MS);
    assert_false(bcws_wait_closed(c, 0));
    bcws_close(c);
}

static void test_lifetime_24h(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    advance(f, 24LL * 3600 * 1000 - 1000);
    /* a tick has run after the move (it pinged: the connection was kept), and
     * the connection still answers - events, not a real-time window */
    wait_pings(c, 1);
    assert_int_equal(bcws_pings(c), 1);
    bcs_fx_ws_sync(c, "/ws-api/v3", WAIT_MS);
    advance(f, 1000);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

static void test_server_shutdown_event(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/shutdown", "{}", NULL), 200);
    cJSON *j = bcws_recv_event(c, WAIT_MS);
    assert_non_null(j);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "event");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "e")), "serverShutdown");
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "E")) == (double)f->now_ms);
    cJSON_Delete(j);
    bcs_fx_ws_sync(c, "/ws-api/v3", WAIT_MS);                /* still open after the event */
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/shutdown", "{\"close\":true}", NULL), 200);
    j = bcws_recv_event(c, WAIT_MS);
    assert_non_null(j);
    cJSON_Delete(j);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

static void test_admin_faults(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/withhold", "{\"count\":1}", NULL), 200);
    assert_int_equal(bcws_send(c, "{\"id\":1,\"method\":\"ping\"}"), 0);
    /* replies keep request order: the first reply being id 2 proves id 1 was withheld */
    cJSON *r = bcws_call(c, "{\"id\":2,\"method\":\"ping\"}", WAIT_MS);
    assert_non_null(r);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "id")), 2);
    cJSON_Delete(r);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/delay", "{\"count\":1,\"ms\":700}", NULL), 200);
    /* the delay is a real one (clients test their timeouts): the reply cannot
     * come earlier than 700 ms after the send - a lower bound only, no window */
    int64_t sent = mono_ms();
    assert_int_equal(bcws_send(c, "{\"id\":3,\"method\":\"ping\"}"), 0);
    r = bcws_recv_reply(c, WAIT_MS);
    assert_non_null(r);
    assert_true(mono_ms() - sent >= 700);
    cJSON_Delete(r);
    bcs_resp lr;
    memset(&lr, 0, sizeof lr);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/list", "{}", &lr), 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(lr.json, "connections")) >= 1);
    bcs_resp_free(&lr);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/drop", "{}", NULL), 200);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

/* SIGTERM: every WS API connection gets serverShutdown, then the server exits cleanly */
static void test_sigterm_sends_server_shutdown(void **state)
{
    (void)state;
    bcs_mock m;
    assert_int_equal(bcs_mock_start(&m, NULL), 0);
    char err[256] = "";
    bcws *c = bcws_open(m.port, "/ws-api/v3", err, sizeof err);
    assert_non_null(c);
    cJSON *r = bcws_call(c, "{\"id\":1,\"method\":\"ping\"}", WAIT_MS);
    assert_non_null(r);
    cJSON_Delete(r);
    assert_int_equal(bcs_mock_stop(&m), 0);
    cJSON *j = bcws_recv_event(c, WAIT_MS);
    assert_non_null(j);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "event");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "e")), "serverShutdown");
    cJSON_Delete(j);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

/* A request frame over 1 MiB closes the connection (1009), bounded work */
static void test_oversized_frame(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    size_t n = (1u << 20) + 100;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    memcpy(big, "{\"id\":1,\"method\":\"ping\"}", 24);
    big[n] = '\0';
    int sent = bcws_send(c, big);                  /* may fail once the server hung up */
    free(big);
    assert_true(sent == 0 || sent == -1);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, per_test)
    const struct CMUnitTest tests[] = {
        T(test_control_frames),
        T(test_control_errors),
        T(test_raw_trade_stream),
        T(test_combined_stream),
        T(test_depth_ids_continuous),
        T(test_timer_streams),
        T(test_slow_consumer),
        T(test_server_ping_and_pong_timeout),
        T(test_lifetime_24h),
        T(test_server_shutdown_event),
        T(test_admin_faults),
        T(test_oversized_frame),
    };
    const struct CMUnitTest own_server[] = {
        cmocka_unit_test(test_sigterm_sends_server_shutdown),
    };
    int fails = cmocka_run_group_tests_name("ws_stream", tests, setup, teardown);
    fails += cmocka_run_group_tests_name("ws_sigterm", own_server, NULL, NULL);
    return fails;
}
