/* server_ws_market: the market streams exactly as web-socket-streams.md
 * documents them, on the real binance-mock and its virtual clock - the
 * payload of each of the 15 stream kinds (exact keys, in order, and value
 * types), their update speed (1000 ms, 100 ms, 2000 ms for klines, diff
 * depth in aligned windows with U..u ranges, bookTicker only on a changed
 * top of book), klines closing with "x":true and their trade ids, the
 * +08:00 variant, all-market arrays with only the changed symbols, a new
 * connection starting from now, control-message id forms and errors,
 * unknown stream names (answer + journal), the per-second message limit,
 * the stream-count limit, lifetime and serverShutdown on stream
 * connections. Every wait is a round trip: a control frame is answered only
 * after every event due on the virtual clock before it was queued. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

typedef bcs_fx fx;

/* the per-second message limit is off (0) except where a test turns it on */
static int setup(void **state)
{
    static const char *const args[] = { "--ws-max-messages-per-sec", "0", NULL };
    return bcs_fx_start(state, args, 0);
}

static int teardown(void **state) { return bcs_fx_stop(state); }

static int per_test(void **state)
{
    fx *f = *state;
    f->now_ms = bcs_real_ms();
    if (bcs_reset(&f->m) != 200) return -1;
    if (bcs_admin(&f->m, "POST", "/__admin/ws/config", "{\"maxMessagesPerSec\":0,\"maxStreams\":1024}", NULL) != 200)
        return -1;
    return bcs_clock_freeze(&f->m, f->now_ms) == 200 ? 0 : -1;
}

static void advance(fx *f, int64_t ms)
{
    char j[64];
    snprintf(j, sizeof j, "{\"advance_ms\":%lld}", (long long)ms);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", j, NULL), 200);
    f->now_ms += ms;
}

/* Round trip: afterwards every event due up to the server's now is queued. */
static void sync_conn(bcws *c)
{
    cJSON *r = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":999999}", WAIT_MS);
    assert_non_null(r);
    cJSON_Delete(r);
}

static bcws *open_sync(fx *f, const char *path)
{
    bcws *c = bcs_fx_ws(f, path);
    sync_conn(c);
    return c;
}

/* Every event queued now, in order, as one array (combined frames as sent). */
static cJSON *drain(bcws *c)
{
    cJSON *all = cJSON_CreateArray(), *j;
    while ((j = bcws_recv_json(c, 0)) != NULL) cJSON_AddItemToArray(all, j);
    return all;
}

static void step(fx *f, bcws *c, int64_t ms, cJSON *into)
{
    advance(f, ms);
    sync_conn(c);
    cJSON *got = drain(c), *it;
    while ((it = cJSON_DetachItemFromArray(got, 0)) != NULL) cJSON_AddItemToArray(into, it);
    cJSON_Delete(got);
}

static const cJSON *data_of(const cJSON *frame) { return cJSON_GetObjectItemCaseSensitive(frame, "data"); }

static const char *stream_of(const cJSON *frame)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(frame, "stream"));
}

static int count_stream(const cJSON *frames, const char *name)
{
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, frames) n += stream_of(it) && !strcmp(stream_of(it), name);
    return n;
}

static const cJSON *first_of(const cJSON *frames, const char *name)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, frames)
        if (stream_of(it) && !strcmp(stream_of(it), name)) return data_of(it);
    return NULL;
}

static double num(const cJSON *o, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k)); }

/* keys "e,E,s" in this order, types one letter each: s string, n number,
 * b bool, o object, a array, z null */
static void assert_shape(const cJSON *o, const char *keys, const char *types, const char *what)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", keys);
    const cJSON *it = o ? o->child : NULL;
    size_t i = 0;
    for (char *k = strtok(buf, ","); k; k = strtok(NULL, ","), i++) {
        if (!it || strcmp(it->string, k)) {
            char *t = cJSON_PrintUnformatted(o);
            fprintf(stderr, "%s: key %zu want %s got %s in %s\n", what, i, k, it ? it->string : "(end)", t);
            free(t);
            fail();
        }
        char ty = types[i];
        int ok = ty == 's' ? cJSON_IsString(it) : ty == 'n' ? cJSON_IsNumber(it) : ty == 'b' ? cJSON_IsBool(it)
               : ty == 'o' ? cJSON_IsObject(it) : ty == 'a' ? cJSON_IsArray(it) : cJSON_IsNull(it);
        if (!ok) fprintf(stderr, "%s: key %s is not of type %c\n", what, k, ty);
        assert_true(ok);
        it = it->next;
    }
    if (it) fprintf(stderr, "%s: extra key %s\n", what, it->string);
    assert_null(it);
    assert_int_equal(i, strlen(types));
}

/* ---- payloads of every stream kind ---- */

#define TRADE_KEYS "e,E,s,t,p,q,T,m,M", "snsnssnbb"
#define AGG_KEYS "e,E,s,a,p,q,f,l,T,m,M", "snsnssnnnbb"
#define BLOCK_KEYS "e,E,s,t,p,q,T,m", "snsnssnb"
#define KLINE_KEYS "e,E,s,k", "snso"
#define KLINE_K_KEYS "t,T,s,i,f,L,o,c,h,l,v,n,x,q,V,Q,B", "nnssnnsssssnbssss"
#define MINI_KEYS "e,E,s,c,o,h,l,v,q", "snsssssss"
#define TICKER_KEYS "e,E,s,p,P,w,x,c,Q,b,B,a,A,o,h,l,v,q,O,C,F,L,n", "snssssssssssssssssnnnnn"
#define WINDOW_KEYS "e,E,s,p,P,o,h,l,c,w,v,q,O,C,F,L,n", "snssssssssssnnnnn"
#define BOOK_KEYS "u,s,b,B,a,A", "nsssss"
#define AVG_KEYS "e,E,s,i,w,T", "snsssn"
#define PARTIAL_KEYS "lastUpdateId,bids,asks", "naa"
#define DIFF_KEYS "e,E,s,U,u,b,a", "snsnnaa"
#define REF_KEYS "e,s,r,t", "sszn"

static const char *const all_names[] = {
    "btcusdt@trade", "btcusdt@aggTrade", "btcusdt@blockTrade", "btcusdt@kline_1m",
    "btcusdt@kline_1d@+08:00", "btcusdt@miniTicker", "!miniTicker@arr", "btcusdt@ticker",
    "btcusdt@ticker_1h", "!ticker_4h@arr", "btcusdt@bookTicker", "btcusdt@avgPrice",
    "btcusdt@depth5", "btcusdt@depth@100ms", "btcusdt@referencePrice",
};

static void test_every_kind_shape(void **state)
{
    fx *f = *state;
    char path[1024] = "/stream?streams=";
    size_t nn = sizeof all_names / sizeof all_names[0];
    for (size_t i = 0; i < nn; i++) {
        strcat(path, all_names[i]);
        if (i + 1 < nn) strcat(path, "/");
    }
    bcws *c = open_sync(f, path);
    cJSON *frames = cJSON_CreateArray();
    for (int i = 0; i < 60; i++) {
        step(f, c, 1000, frames);
        if (count_stream(frames, "btcusdt@trade") && count_stream(frames, "btcusdt@bookTicker")) break;
    }
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/blockTrade",
                               "{\"symbol\":\"BTCUSDT\",\"price\":\"60000.5\",\"qty\":\"12.5\",\"buyerMaker\":true}", NULL), 200);
    step(f, c, 0, frames);
    for (size_t i = 0; i < nn; i++) {
        if (!count_stream(frames, all_names[i])) fprintf(stderr, "no event on %s\n", all_names[i]);
        assert_true(count_stream(frames, all_names[i]) > 0);
    }
    assert_shape(first_of(frames, "btcusdt@trade"), TRADE_KEYS, "trade");
    assert_shape(first_of(frames, "btcusdt@aggTrade"), AGG_KEYS, "aggTrade");
    const cJSON *bt = first_of(frames, "btcusdt@blockTrade");
    assert_shape(bt, BLOCK_KEYS, "blockTrade");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(bt, "p")), "60000.5");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(bt, "m")));
    const char *kl[] = { "btcusdt@kline_1m", "btcusdt@kline_1d@+08:00" };
    for (int i = 0; i < 2; i++) {
        const cJSON *k = first_of(frames, kl[i]);
        assert_shape(k, KLINE_KEYS, kl[i]);
        assert_shape(cJSON_GetObjectItemCaseSensitive(k, "k"), KLINE_K_KEYS, kl[i]);
    }
    assert_shape(first_of(frames, "btcusdt@miniTicker"), MINI_KEYS, "miniTicker");
    const cJSON *arr = first_of(frames, "!miniTicker@arr"), *it;
    assert_true(cJSON_IsArray(arr) && cJSON_GetArraySize(arr) >= 2);   /* every symbol on the first push */
    cJSON_ArrayForEach(it, arr) assert_shape(it, MINI_KEYS, "!miniTicker@arr");
    assert_shape(first_of(frames, "btcusdt@ticker"), TICKER_KEYS, "ticker");
    const cJSON *w = first_of(frames, "btcusdt@ticker_1h");
    assert_shape(w, WINDOW_KEYS, "ticker_1h");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "e")), "1hTicker");
    assert_true((int64_t)num(w, "O") % 60000 == 0);                     /* opens on a minute */
    assert_true(num(w, "C") == num(w, "E"));                            /* closes now */
    arr = first_of(frames, "!ticker_4h@arr");
    assert_true(cJSON_IsArray(arr) && cJSON_GetArraySize(arr) >= 2);
    cJSON_ArrayForEach(it, arr) {
        assert_shape(it, WINDOW_KEYS, "!ticker_4h@arr");
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "e")), "4hTicker");
    }
    assert_shape(first_of(frames, "btcusdt@bookTicker"), BOOK_KEYS, "bookTicker");
    assert_shape(first_of(frames, "btcusdt@avgPrice"), AVG_KEYS, "avgPrice");
    const cJSON *p5 = first_of(frames, "btcusdt@depth5");
    assert_shape(p5, PARTIAL_KEYS, "depth5");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p5, "bids")) == 5);
    assert_shape(first_of(frames, "btcusdt@depth@100ms"), DIFF_KEYS, "depth@100ms");
    const cJSON *rp = first_of(frames, "btcusdt@referencePrice");
    assert_shape(rp, REF_KEYS, "referencePrice");
    assert_true(num(rp, "t") <= (double)f->now_ms);
    cJSON_Delete(frames);
    bcws_close(c);
}

/* timeUnit=MICROSECOND reaches the new kinds' time fields too */
static void test_microseconds(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/stream?streams=btcusdt@ticker_1h/!miniTicker@arr/btcusdt@referencePrice"
                           "&timeUnit=MICROSECOND");
    cJSON *frames = cJSON_CreateArray();
    step(f, c, 1000, frames);
    step(f, c, 1000, frames);
    const cJSON *w = first_of(frames, "btcusdt@ticker_1h"), *arr = first_of(frames, "!miniTicker@arr");
    const cJSON *rp = first_of(frames, "btcusdt@referencePrice");
    assert_non_null(w);
    assert_non_null(arr);
    assert_non_null(rp);
    assert_true(num(w, "E") > 1e15 && num(w, "C") > 1e15 && num(w, "O") > 1e15);
    assert_true(num(cJSON_GetArrayItem(arr, 0), "E") > 1e15);
    assert_true(num(rp, "t") > 1e15);
    cJSON_Delete(frames);
    bcws_close(c);
}

/* ---- cadence on the virtual clock ---- */

static void test_cadence(void **state)
{
    fx *f = *state;
    advance(f, 3000);                       /* books built */
    bcws *c = open_sync(f, "/stream?streams=btcusdt@ticker/btcusdt@depth5@100ms/btcusdt@kline_1m/"
                           "btcusdt@depth/btcusdt@depth@100ms/btcusdt@bookTicker/btcusdt@kline_1s");
    cJSON *fr = cJSON_CreateArray();
    for (int i = 0; i < 100; i++) step(f, c, 100, fr);          /* 10 s in 100 ms steps */
    assert_int_equal(count_stream(fr, "btcusdt@ticker"), 10);       /* 1000 ms */
    assert_int_equal(count_stream(fr, "btcusdt@depth5@100ms"), 100); /* 100 ms */
    /* 1000 ms: 10 updates, and from the second one on the close of the second before */
    assert_int_equal(count_stream(fr, "btcusdt@kline_1s"), 10 + 9);
    int kline_updates = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, fr) {
        if (!stream_of(it) || strcmp(stream_of(it), "btcusdt@kline_1m")) continue;
        kline_updates += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(data_of(it), "k"), "x"));
    }
    assert_int_equal(kline_updates, 5);                                /* 2000 ms */
    /* diff depth: aligned windows, chained U..u, E on the window's end */
    const char *dn[] = { "btcusdt@depth", "btcusdt@depth@100ms" };
    const int64_t period[] = { 1000, 100 };
    double last_u[2] = { -1, -1 };
    int n[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        double prev_E = 0;
        cJSON_ArrayForEach(it, fr) {
            if (!stream_of(it) || strcmp(stream_of(it), dn[k])) continue;
            const cJSON *d = data_of(it);
            assert_true((int64_t)num(d, "E") % period[k] == 0);
            assert_true(num(d, "E") > prev_E);                  /* one event per window at most */
            assert_true(num(d, "E") <= (double)f->now_ms);
            assert_true(num(d, "U") <= num(d, "u"));
            if (last_u[k] >= 0) assert_true(num(d, "U") == last_u[k] + 1);
            last_u[k] = num(d, "u");
            prev_E = num(d, "E");
            n[k]++;
        }
    }
    assert_true(n[0] >= 5 && n[0] <= 10);                      /* the simulator moves the book once a second */
    assert_true(n[1] >= n[0]);
    assert_true(last_u[0] <= last_u[1]);
    /* bookTicker: every event differs from the one before */
    const cJSON *prev = NULL;
    int nb = 0;
    cJSON_ArrayForEach(it, fr) {
        if (!stream_of(it) || strcmp(stream_of(it), "btcusdt@bookTicker")) continue;
        const cJSON *d = data_of(it);
        if (prev) {
            int same = 1;
            const char *k4[] = { "b", "B", "a", "A" };
            for (int i = 0; i < 4; i++)
                same &= !strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, k4[i])),
                                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(prev, k4[i])));
            assert_false(same);
        }
        prev = d;
        nb++;
    }
    assert_true(nb >= 1);
    /* a frozen clock sends nothing more */
    sync_conn(c);
    cJSON *rest = drain(c);
    assert_int_equal(cJSON_GetArraySize(rest), 0);
    cJSON_Delete(rest);
    cJSON_Delete(fr);
    bcws_close(c);
}

/* A new connection starts from now: no backlog of what happened before it. */
static void test_starts_from_now(void **state)
{
    fx *f = *state;
    advance(f, 60000);                      /* a minute of market with nobody connected */
    int64_t at = f->now_ms;
    bcws *c = open_sync(f, "/stream?streams=btcusdt@trade/btcusdt@depth@100ms/btcusdt@aggTrade");
    cJSON *got = drain(c);
    assert_int_equal(cJSON_GetArraySize(got), 0);
    cJSON_Delete(got);
    cJSON *fr = cJSON_CreateArray();
    for (int i = 0; i < 30 && count_stream(fr, "btcusdt@trade") == 0; i++) step(f, c, 1000, fr);
    const cJSON *it;
    /* E is in ms: an event a few µs after the connection may carry E == at */
    cJSON_ArrayForEach(it, fr) assert_true(num(data_of(it), "E") >= (double)at);
    assert_true(count_stream(fr, "btcusdt@trade") > 0);
    cJSON_Delete(fr);
    bcws_close(c);
}

/* ---- klines ---- */

static void test_kline_close(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/ws/btcusdt@kline_1m");
    cJSON *ev = cJSON_CreateArray();
    const cJSON *closed = NULL, *after = NULL, *it;
    for (int i = 0; i < 40 && !after; i++) {
        step(f, c, 2000, ev);
        closed = NULL;
        cJSON_ArrayForEach(it, ev) {
            const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "k");
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "x"))) closed = it;
            else if (closed) { after = it; break; }
        }
    }
    assert_non_null(closed);
    assert_non_null(after);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(closed, "k"), *k2 = cJSON_GetObjectItemCaseSensitive(after, "k");
    assert_true((int64_t)num(k, "t") % 60000 == 0);
    assert_true(num(k, "T") == num(k, "t") + 59999);
    assert_true(num(k2, "t") == num(k, "T") + 1);                /* the next candle follows */
    assert_true(num(closed, "E") > num(k, "T"));
    assert_true(num(closed, "E") <= num(k, "T") + 2001);          /* sent at the close, not later */
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k2, "x")));
    double n = num(k, "n"), fi = num(k, "f"), la = num(k, "L");
    if (n > 0) assert_true(la - fi + 1 == n);                     /* trade ids of the bar */
    else assert_true(fi == -1 && la == -1);
    /* the closed candle equals the REST kline of the same open time */
    char q[160];
    snprintf(q, sizeof q, "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=%.0f&limit=1", num(k, "t"));
    bcs_resp r;
    memset(&r, 0, sizeof r);
    assert_int_equal(bcs_http(&f->m, "GET", q, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    const cJSON *row = cJSON_GetArrayItem(r.json, 0);
    static const struct { const char *key; int idx; } cmp[] = { { "o", 1 }, { "h", 2 }, { "l", 3 }, { "c", 4 }, { "v", 5 } };
    for (size_t i = 0; i < sizeof cmp / sizeof cmp[0]; i++)
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(k, cmp[i].key)),
                            cJSON_GetStringValue(cJSON_GetArrayItem(row, cmp[i].idx)));
    assert_true(cJSON_GetNumberValue(cJSON_GetArrayItem(row, 8)) == n);
    bcs_resp_free(&r);
    cJSON_Delete(ev);
    bcws_close(c);
}

/* @+08:00: a 1d candle opens at midnight UTC+8 (16:00 UTC) */
static void test_kline_timezone(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/stream?streams=btcusdt@kline_1d@+08:00/btcusdt@kline_1d");
    cJSON *fr = cJSON_CreateArray();
    step(f, c, 2000, fr);
    const cJSON *tz = cJSON_GetObjectItemCaseSensitive(first_of(fr, "btcusdt@kline_1d@+08:00"), "k");
    const cJSON *utc = cJSON_GetObjectItemCaseSensitive(first_of(fr, "btcusdt@kline_1d"), "k");
    assert_non_null(tz);
    assert_non_null(utc);
    assert_true((int64_t)num(tz, "t") % 86400000 == 16 * 3600000);
    assert_true((int64_t)num(utc, "t") % 86400000 == 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tz, "i")), "1d");
    cJSON_Delete(fr);
    bcws_close(c);
}

/* all-market arrays carry only symbols whose payload changed */
static void test_arr_only_changed(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/ws/!miniTicker@arr");
    cJSON *seen = cJSON_CreateObject();      /* symbol -> payload without E */
    int pushes = 0;
    for (int i = 0; i < 10; i++) {
        cJSON *fr = cJSON_CreateArray(), *it;
        step(f, c, 1000, fr);
        cJSON_ArrayForEach(it, fr) {
            const cJSON *el;
            pushes++;
            cJSON_ArrayForEach(el, it) {
                cJSON *d = cJSON_Duplicate(el, 1);
                cJSON_DeleteItemFromObjectCaseSensitive(d, "E");
                char *t = cJSON_PrintUnformatted(d);
                const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(el, "s"));
                const char *before = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(seen, s));
                if (before) assert_string_not_equal(before, t);
                cJSON_DeleteItemFromObjectCaseSensitive(seen, s);
                cJSON_AddStringToObject(seen, s, t);
                free(t);
                cJSON_Delete(d);
            }
        }
        cJSON_Delete(fr);
    }
    assert_true(pushes >= 1);
    assert_true(cJSON_GetArraySize(seen) >= 2);
    cJSON_Delete(seen);
    bcws_close(c);
}

/* ---- control messages ---- */

/* the reply's exact text (no event is queued on these connections) */
static void expect_text(bcws *c, const char *frame, const char *want)
{
    assert_int_equal(bcws_send(c, frame), 0);
    char *t = bcws_recv(c, WAIT_MS);
    assert_non_null(t);
    if (strcmp(t, want)) fprintf(stderr, "sent %s\n got %s\nwant %s\n", frame, t, want);
    assert_string_equal(t, want);
    free(t);
}

static void test_id_forms(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/ws");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth\"],\"id\":\"0123456789abcdef0123456789abcdef\"}",
                "{\"result\":null,\"id\":\"0123456789abcdef0123456789abcdef\"}");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":null}", "{\"result\":[\"btcusdt@depth\"],\"id\":null}");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\"}", "{\"result\":[\"btcusdt@depth\"],\"id\":null}");
    expect_text(c, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@depth\"],\"id\":-9223372036854775808}",
                "{\"result\":null,\"id\":-9223372036854775808}");
    expect_text(c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":9223372036854775807}",
                "{\"result\":false,\"id\":9223372036854775807}");
    expect_text(c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"}",
                "{\"result\":false,\"id\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"}");
    /* binance-sdk-spot (Python) subscribes with uuid4 ids */
    expect_text(c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":\"189da436-d4bd-48ca-9f95-9f613d621717\"}",
                "{\"result\":false,\"id\":\"189da436-d4bd-48ca-9f95-9f613d621717\"}");
    expect_text(c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":\"a_b\"}",
                "{\"result\":false,\"id\":\"a_b\"}");
    const char *bad[] = { "\"ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890\"", "\"a b\"", "\"a.b\"", "\"a/b\"", "\"\"", "1.0", "1e2",
                          "9223372036854775808", "true", "[1]" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char frame[160];
        snprintf(frame, sizeof frame, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":%s}", bad[i]);
        expect_text(c, frame, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"},\"id\":null}");
    }
    bcws_close(c);
}

static void test_too_many_params(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/ws");
    const char *frames[] = {
        "{\"method\":\"LIST_SUBSCRIPTIONS\",\"params\":[\"btcusdt@trade\"],\"id\":1}",
        "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\",true],\"id\":1}",
        "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true,false],\"id\":1}",
    };
    for (size_t i = 0; i < 3; i++)
        expect_text(c, frames[i], "{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many parameters\"},\"id\":1}");
    /* --ws-max-streams (admin maxStreams): nothing added past the limit */
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/config", "{\"maxStreams\":3}", NULL), 200);
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"ethusdt@trade\",\"bnbusdt@trade\",\"btcusdt@depth\"],\"id\":2}",
                "{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many parameters\"},\"id\":2}");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"ethusdt@trade\"],\"id\":3}", "{\"result\":null,\"id\":3}");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"bnbusdt@trade\"],\"id\":4}", "{\"result\":null,\"id\":4}");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth\"],\"id\":5}",
                "{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many parameters\"},\"id\":5}");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":6}",
                "{\"result\":[\"btcusdt@trade\",\"ethusdt@trade\",\"bnbusdt@trade\"],\"id\":6}");
    bcws_close(c);
}

/* The newest journal entry whose route is route and body contains needle. */
static cJSON *journal_find(const fx *f, const char *route, const char *needle)
{
    bcs_resp r;
    memset(&r, 0, sizeof r);
    assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/journal?limit=50", NULL, &r), 200);
    const cJSON *e, *hit = NULL;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r.json, "entries")) {
        const char *rt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "route"));
        const char *b = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "body"));
        const char *d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "diagnosis"));
        if (rt && !strcmp(rt, route) && ((b && strstr(b, needle)) || (d && strstr(d, needle)))) hit = e;
    }
    cJSON *out = hit ? cJSON_Duplicate(hit, 1) : NULL;
    bcs_resp_free(&r);
    return out;
}

static void test_unknown_stream_names(void **state)
{
    fx *f = *state;
    /* SUBSCRIBE: a malformed name -> "invalid stream", nothing added */
    bcws *c = open_sync(f, "/ws");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@nonsense\"],\"id\":7}",
                "{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":7}");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":8}", "{\"result\":[],\"id\":8}");
    cJSON *j = journal_find(f, "stream.invalid", "btcusdt@nonsense");
    assert_non_null(j);
    assert_int_equal((int)num(j, "code"), 2);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "transport")), "stream");
    cJSON_Delete(j);
    /* an upper-case symbol is well-formed: accepted, silent (Binance), journalled with the hint */
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"BTCUSDT@trade\"],\"id\":9}", "{\"result\":null,\"id\":9}");
    j = journal_find(f, "stream.unknown", "BTCUSDT@trade");
    assert_non_null(j);
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "diagnosis")), "btcusdt@trade"));
    cJSON_Delete(j);
    bcws_close(c);

    /* in the URL: dropped silently (ccxt opens /ws/0 and dies on any error
     * frame), the well-formed names kept, the connection open, journalled:
     * the first frame is the answer to our LIST_SUBSCRIPTIONS */
    c = bcs_fx_ws(f, "/ws/btcusdt@nonsense/btcusdt@trade");
    expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}", "{\"result\":[\"btcusdt@trade\"],\"id\":1}");
    bcws_close(c);
    j = journal_find(f, "stream.invalid", "btcusdt@nonsense");
    assert_non_null(j);
    cJSON_Delete(j);

    /* /ws/BTCUSDT@trade: accepted and silent; journalled */
    c = open_sync(f, "/ws/BTCUSDT@trade");
    j = journal_find(f, "stream.unknown", "BTCUSDT@trade");
    assert_non_null(j);
    cJSON_Delete(j);
    advance(f, 30000);
    sync_conn(c);
    cJSON *got = drain(c);
    assert_int_equal(cJSON_GetArraySize(got), 0);
    cJSON_Delete(got);
    bcws_close(c);
}

/* --ws-unknown-stream error: unknown symbols answer "invalid stream" too */
static void test_unknown_stream_error_mode(void **state)
{
    (void)state;
    static const char *const args[] = { "--ws-unknown-stream", "error", NULL };
    bcs_mock m;
    assert_int_equal(bcs_mock_start(&m, args), 0);
    char err[256] = "";
    bcws *c = bcws_open(m.port, "/ws", err, sizeof err);
    assert_non_null(c);
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"xrpxrp@trade\"],\"id\":1}",
                "{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":1}");
    expect_text(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":2}", "{\"result\":null,\"id\":2}");
    bcws_close(c);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

/* ---- limits ---- */

static void test_message_rate_limit(void **state)
{
    fx *f = *state;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/config", "{\"maxMessagesPerSec\":5}", NULL), 200);
    bcws *c = bcs_fx_ws(f, "/ws");
    for (int s = 0; s < 3; s++) {           /* 5 a second, second after second: fine */
        for (int i = 0; i < 5; i++) expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}", "{\"result\":[],\"id\":1}");
        advance(f, 1000);
    }
    assert_false(bcws_wait_closed(c, 0));
    for (int i = 0; i < 5; i++) expect_text(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}", "{\"result\":[],\"id\":1}");
    assert_int_equal(bcws_send(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}"), 0);  /* the 6th */
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
    cJSON *j = journal_find(f, "stream.limit", "Too many requests");
    assert_non_null(j);
    cJSON_Delete(j);
    /* pong frames count too */
    c = bcs_fx_ws(f, "/ws");
    for (int i = 0; i < 6; i++) bcws_send_op(c, 0xA, "", 0);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

static void test_stream_lifetime_24h(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/ws/btcusdt@depth5");
    advance(f, 24LL * 3600 * 1000 - 1000);
    sync_conn(c);                            /* still open: the round trip answers */
    advance(f, 1000);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

/* a server ping every 20 s; a minute without a pong closes a stream connection */
static void test_stream_ping_pong_timeout(void **state)
{
    fx *f = *state;
    bcws *c = open_sync(f, "/ws/btcusdt@depth5");
    bcws_auto_pong(c, 0);
    advance(f, 19999);
    sync_conn(c);
    assert_int_equal(bcws_pings(c), 0);
    advance(f, 1);
    sync_conn(c);                            /* the ping was queued before the reply */
    assert_int_equal(bcws_pings(c), 1);
    advance(f, 59999);
    sync_conn(c);
    assert_false(bcws_wait_closed(c, 0));
    advance(f, 1);                           /* unanswered for a minute */
    (void)bcws_send(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}");   /* a pump, unless the ticker closed it first */
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

static void test_server_shutdown_on_streams(void **state)
{
    fx *f = *state;
    bcws *raw = open_sync(f, "/ws/btcusdt@depth5");
    bcws *comb = open_sync(f, "/stream?streams=btcusdt@depth5");
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/shutdown", "{}", NULL), 200);
    char want[160];
    cJSON *j = bcws_recv_json(raw, WAIT_MS);
    assert_non_null(j);
    char *t = cJSON_PrintUnformatted(j);
    snprintf(want, sizeof want, "{\"e\":\"serverShutdown\",\"E\":%lld}", (long long)f->now_ms);
    assert_string_equal(t, want);
    free(t);
    cJSON_Delete(j);
    j = bcws_recv_json(comb, WAIT_MS);
    assert_non_null(j);
    t = cJSON_PrintUnformatted(j);
    snprintf(want, sizeof want, "{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":%lld}}",
             (long long)f->now_ms);
    assert_string_equal(t, want);
    free(t);
    cJSON_Delete(j);
    bcws_close(raw);
    bcws_close(comb);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, per_test)
    const struct CMUnitTest tests[] = {
        T(test_every_kind_shape),
        T(test_microseconds),
        T(test_cadence),
        T(test_starts_from_now),
        T(test_kline_close),
        T(test_kline_timezone),
        T(test_arr_only_changed),
        T(test_id_forms),
        T(test_too_many_params),
        T(test_unknown_stream_names),
        T(test_message_rate_limit),
        T(test_stream_lifetime_24h),
        T(test_stream_ping_pong_timeout),
        T(test_server_shutdown_on_streams),
    };
    const struct CMUnitTest own_server[] = {
        cmocka_unit_test(test_unknown_stream_error_mode),
    };
    int fails = cmocka_run_group_tests_name("ws_market", tests, setup, teardown);
    fails += cmocka_run_group_tests_name("ws_market_strict", own_server, NULL, NULL);
    return fails;
}
