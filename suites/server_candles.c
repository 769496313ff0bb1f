/* server_candles: the generated market over REST and streams (issue 10,
 * docs/market.md) on a frozen virtual clock - 1000 candles of every
 * interval up to 1d, each the exact merge of its children for every
 * interval pair; trades, aggTrades, 1s/1m klines and the 24 h ticker
 * agreeing; the gap rule (a clock jump leaves no empty candle, ids stay
 * contiguous, timer streams send one event per stream); determinism under
 * --seed (the same seed and start time give the same market). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bcs_test.h"
#include "dec.h"

#define WAIT_MS 10000
#define MIN_MS 60000LL
#define DAY_MS 86400000LL

typedef bcs_fx fx;

static int setup(void **state)
{
    static const char *const args[] = { "--ws-max-messages-per-sec", "0", "--rate-limits", "off", NULL };
    return bcs_fx_start(state, args, 0);
}

static int teardown(void **state) { return bcs_fx_stop(state); }

/* frozen at a fixed instant (a minute and a bit past midnight), market reset there */
#define T_START 1767225600000LL + 37 * DAY_MS + 13 * 3600000LL + 17 * MIN_MS + 4321

/* reset with the market starting at T_START, the clock frozen there */
static int reset_at(fx *f)
{
    char j[64];
    snprintf(j, sizeof j, "{\"frozen_at_ms\":%lld}", (long long)T_START);
    f->now_ms = T_START;
    return bcs_admin(&f->m, "POST", "/__admin/reset", j, NULL) == 200 ? 0 : -1;
}

static int per_test(void **state) { return reset_at(*state); }

static void advance(fx *f, int64_t ms)
{
    char j[64];
    snprintf(j, sizeof j, "{\"advance_ms\":%lld}", (long long)ms);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", j, NULL), 200);
    f->now_ms += ms;
}

static cJSON *get_json(fx *f, const char *target)
{
    bcs_resp r;
    memset(&r, 0, sizeof r);
    assert_int_equal(bcs_http(&f->m, "GET", target, NULL, NULL, &r), 0);
    if (r.status != 200) fail_msg("%s: %d %s", target, r.status, buf_cstr(&r.body));
    cJSON *j = r.json;
    r.json = NULL;
    bcs_resp_free(&r);
    return j;
}

typedef struct kl { int64_t open, close, n; dec_t o, h, l, c, v, q, tbv, tbq; } kl;

static dec_t dec_of(const cJSON *v)
{
    dec_t d = 0;
    assert_true(cJSON_IsString(v) && dec_parse(v->valuestring, &d, 0) == DEC_OK);
    return d;
}

static kl kl_of(const cJSON *row)
{
    kl k = { (int64_t)cJSON_GetArrayItem(row, 0)->valuedouble, (int64_t)cJSON_GetArrayItem(row, 6)->valuedouble,
             (int64_t)cJSON_GetArrayItem(row, 8)->valuedouble,
             dec_of(cJSON_GetArrayItem(row, 1)), dec_of(cJSON_GetArrayItem(row, 2)), dec_of(cJSON_GetArrayItem(row, 3)),
             dec_of(cJSON_GetArrayItem(row, 4)), dec_of(cJSON_GetArrayItem(row, 5)), dec_of(cJSON_GetArrayItem(row, 7)),
             dec_of(cJSON_GetArrayItem(row, 9)), dec_of(cJSON_GetArrayItem(row, 10)) };
    return k;
}

/* klines of [from, to] (open times), paging by 1000; start -1: the newest `limit`. */
static size_t klines(fx *f, const char *sym, const char *iv, int64_t from, int64_t to, size_t limit, kl *out, size_t max)
{
    size_t n = 0;
    char q[200];
    if (from < 0) {
        snprintf(q, sizeof q, "/api/v3/klines?symbol=%s&interval=%s&limit=%zu", sym, iv, limit);
        cJSON *a = get_json(f, q), *row;
        cJSON_ArrayForEach(row, a) if (n < max) out[n++] = kl_of(row);
        cJSON_Delete(a);
        return n;
    }
    for (;;) {
        snprintf(q, sizeof q, "/api/v3/klines?symbol=%s&interval=%s&startTime=%lld&endTime=%lld&limit=1000", sym, iv,
                 (long long)from, (long long)to);
        cJSON *a = get_json(f, q), *row;
        int got = cJSON_GetArraySize(a);
        cJSON_ArrayForEach(row, a) if (n < max) out[n++] = kl_of(row);
        cJSON_Delete(a);
        if (got < 1000 || n == max) return n;
        from = out[n - 1].close + 1;
    }
}

static void kl_merge(kl *acc, const kl *b, int first)
{
    if (first) { *acc = *b; return; }
    if (b->h > acc->h) acc->h = b->h;
    if (b->l < acc->l) acc->l = b->l;
    acc->c = b->c; acc->close = b->close;
    acc->n += b->n; acc->v += b->v; acc->q += b->q; acc->tbv += b->tbv; acc->tbq += b->tbq;
}

static void kl_assert_equal(const kl *a, const kl *b, const char *what)
{
    if (a->open != b->open || a->close != b->close || a->n != b->n || a->o != b->o || a->h != b->h || a->l != b->l
        || a->c != b->c || a->v != b->v || a->q != b->q || a->tbv != b->tbv || a->tbq != b->tbq)
        fail_msg("%s: candle %lld: merge n=%lld o=%lld h=%lld l=%lld c=%lld v=%lld, candle n=%lld o=%lld h=%lld "
                 "l=%lld c=%lld v=%lld", what, (long long)b->open, (long long)a->n, (long long)a->o, (long long)a->h,
                 (long long)a->l, (long long)a->c, (long long)a->v, (long long)b->n, (long long)b->o,
                 (long long)b->h, (long long)b->l, (long long)b->c, (long long)b->v);
}

/* Every parent candle whose children all exist equals their merge; returns how many. */
static size_t check_merge(fx *f, const char *sym, const char *parent, const char *child, size_t limit)
{
    enum { MAXK = 4200 };
    kl *P = malloc(1000 * sizeof *P), *C = malloc(MAXK * sizeof *C);
    assert_non_null(P);
    assert_non_null(C);
    size_t np = klines(f, sym, parent, -1, -1, limit, P, 1000);
    size_t nc = klines(f, sym, child, P[0].open, P[np - 1].close, 0, C, MAXK), j = 0, checked = 0;
    char what[64];
    snprintf(what, sizeof what, "%s %s from %s", sym, parent, child);
    for (size_t i = 0; i < np; i++) {
        while (j < nc && C[j].open < P[i].open) j++;
        if (j == nc || C[j].open != P[i].open) continue;     /* no children this far back */
        kl acc;
        size_t k = j;
        for (; k < nc && C[k].close <= P[i].close; k++) kl_merge(&acc, &C[k], k == j);
        if (acc.close != P[i].close) continue;                /* the open candle's children are cut at now */
        kl_assert_equal(&acc, &P[i], what);
        checked++;
        j = k;
    }
    free(P);
    free(C);
    return checked;
}

/* 1000 candles of every interval up to 1d, none without trades. */
static void assert_full_history(fx *f, const char *sym)
{
    static const char *const ivs[] = { "1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d" };
    kl *K = malloc(1000 * sizeof *K);
    assert_non_null(K);
    for (size_t i = 0; i < sizeof ivs / sizeof ivs[0]; i++) {
        size_t n = klines(f, sym, ivs[i], -1, -1, 1000, K, 1000);
        size_t want = strcmp(ivs[i], "1s") ? 1000 : 900;     /* 1s: as far as the trade ring reaches */
        if (n < want) fail_msg("%s %s: %zu candles", sym, ivs[i], n);
        for (size_t k = strcmp(ivs[i], "1s") ? 0 : 1; k < n; k++)
            if (K[k].n == 0 && strcmp(ivs[i], "1s")) fail_msg("%s %s: candle %lld has no trade", sym, ivs[i], (long long)K[k].open);
        for (size_t k = 1; k < n; k++) assert_true(K[k].open == K[k - 1].close + 1);   /* no hole */
    }
    free(K);
}

static void test_history_every_interval(void **state)
{
    fx *f = *state;
    assert_full_history(f, "BTCUSDT");
    static const struct { const char *p, *c; size_t min; } pairs[] = {
        { "3m", "1m", 990 }, { "5m", "1m", 590 }, { "15m", "5m", 990 }, { "30m", "15m", 990 }, { "1h", "30m", 495 },
        { "1h", "1m", 45 }, { "2h", "1h", 990 }, { "4h", "2h", 990 }, { "6h", "2h", 990 }, { "8h", "4h", 990 },
        { "12h", "6h", 980 }, { "1d", "12h", 495 }, { "1d", "1h", 170 }, { "3d", "1d", 300 }, { "1w", "1d", 150 },
        { "1M", "1d", 34 },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        size_t n = check_merge(f, "BTCUSDT", pairs[i].p, pairs[i].c, 1000);
        if (n < pairs[i].min) fail_msg("%s from %s: %zu candles checked", pairs[i].p, pairs[i].c, n);
    }
}

/* aggTrades of a closed minute == its 1m candle == the merge of its 1s candles. */
static void check_minute_trades(fx *f, const char *sym)
{
    kl m[2], s1[60];
    assert_int_equal(klines(f, sym, "1m", -1, -1, 2, m, 2), 2);
    char q[200];
    snprintf(q, sizeof q, "/api/v3/aggTrades?symbol=%s&startTime=%lld&endTime=%lld&limit=1000", sym,
             (long long)m[0].open, (long long)m[0].close);
    cJSON *a = get_json(f, q), *t;
    assert_true(cJSON_GetArraySize(a) < 1000);
    kl acc = { .open = m[0].open, .close = m[0].close };
    int first = 1;
    cJSON_ArrayForEach(t, a) {
        dec_t p = dec_of(cJSON_GetObjectItem(t, "p")), v = dec_of(cJSON_GetObjectItem(t, "q"));
        dec_t qv = (dec_t)((__int128)p * v / DEC_SCALE);
        int64_t n = (int64_t)(cJSON_GetObjectItem(t, "l")->valuedouble - cJSON_GetObjectItem(t, "f")->valuedouble) + 1;
        int taker_buys = !cJSON_IsTrue(cJSON_GetObjectItem(t, "m"));
        kl one = { m[0].open, m[0].close, n, p, p, p, p, v, qv, taker_buys ? v : 0, taker_buys ? qv : 0 };
        kl_merge(&acc, &one, first);
        first = 0;
    }
    cJSON_Delete(a);
    assert_false(first);
    acc.q = m[0].q;        /* quote volume: summed per trade on the server, not per aggregate */
    acc.tbq = m[0].tbq;
    kl_assert_equal(&acc, &m[0], "aggTrades of a minute");
    assert_int_equal(klines(f, sym, "1s", m[0].open, m[0].close, 0, s1, 60), 60);
    kl acc1;
    int have = 0;
    for (size_t i = 0; i < 60; i++)
        if (s1[i].n) { kl_merge(&acc1, &s1[i], !have); have = 1; }   /* a second without trades adds nothing */
    assert_true(have);
    acc1.open = m[0].open;
    acc1.close = m[0].close;
    kl_assert_equal(&acc1, &m[0], "1s candles of a minute");
}

/* 24 h ticker == the 1m candles of its window; ids contiguous; last == newest trade. */
static void check_ticker(fx *f, const char *sym)
{
    char q[200];
    snprintf(q, sizeof q, "/api/v3/ticker/24hr?symbol=%s", sym);
    cJSON *t = get_json(f, q);
    double first = cJSON_GetObjectItem(t, "firstId")->valuedouble, last = cJSON_GetObjectItem(t, "lastId")->valuedouble;
    double count = cJSON_GetObjectItem(t, "count")->valuedouble;
    assert_true(count > 0 && last - first + 1 == count);
    int64_t open = (int64_t)cJSON_GetObjectItem(t, "openTime")->valuedouble;
    kl *K = malloc(1500 * sizeof *K);
    assert_non_null(K);
    size_t n = klines(f, sym, "1m", open - open % MIN_MS, f->now_ms, 0, K, 1500);
    assert_true(n >= 1440);
    kl acc;
    for (size_t i = 0; i < n; i++) kl_merge(&acc, &K[i], i == 0);
    free(K);
    assert_true(acc.n == (int64_t)count);
    assert_true(acc.v == dec_of(cJSON_GetObjectItem(t, "volume")));
    assert_true(acc.h == dec_of(cJSON_GetObjectItem(t, "highPrice")));
    assert_true(acc.l == dec_of(cJSON_GetObjectItem(t, "lowPrice")));
    assert_true(acc.c == dec_of(cJSON_GetObjectItem(t, "lastPrice")));
    snprintf(q, sizeof q, "/api/v3/trades?symbol=%s&limit=1", sym);
    cJSON *tr = get_json(f, q);
    const cJSON *newest = cJSON_GetArrayItem(tr, 0);
    if (cJSON_GetObjectItem(newest, "id")->valuedouble != last)
        fail_msg("%s: newest trade %.0f, ticker lastId %.0f firstId %.0f count %.0f", sym,
                 cJSON_GetObjectItem(newest, "id")->valuedouble, last, first, count);
    assert_true(dec_of(cJSON_GetObjectItem(newest, "price")) == acc.c);
    cJSON_Delete(tr);
    cJSON_Delete(t);
}

static void test_trades_klines_ticker_agree(void **state)
{
    fx *f = *state;
    check_minute_trades(f, "ETHUSDT");
    check_ticker(f, "BTCUSDT");
    advance(f, 150000);                  /* live trading, a step a second */
    check_minute_trades(f, "ETHUSDT");
    check_ticker(f, "ETHUSDT");
    assert_true(check_merge(f, "BTCUSDT", "5m", "1m", 20) >= 19);
}

/* After a jump: no empty candle in it, merges exact, ids contiguous. */
static void check_after_jump(fx *f, size_t minutes)
{
    kl *K = malloc(1000 * sizeof *K);
    assert_non_null(K);
    size_t n = klines(f, "BTCUSDT", "1m", -1, -1, minutes, K, 1000);
    assert_int_equal(n, minutes);
    for (size_t i = 0; i < n; i++)
        if (K[i].n == 0) fail_msg("1m candle %lld (%zu of %zu) has no trade", (long long)K[i].open, i, n);
    for (size_t i = 1; i < n; i++) assert_true(K[i].open == K[i - 1].close + 1);
    free(K);
    assert_true(check_merge(f, "BTCUSDT", "1h", "1m", 16) >= 15);
    assert_true(check_merge(f, "BTCUSDT", "1d", "1h", 30) >= 29);
    check_ticker(f, "BTCUSDT");
}

static void test_gap_rule(void **state)
{
    fx *f = *state;
    advance(f, 3600000);                 /* an hour: minutes drawn, the last minute(s) live */
    check_after_jump(f, 70);
    advance(f, DAY_MS);
    check_after_jump(f, 1000);
    advance(f, 30 * DAY_MS);             /* beyond 7 days: the history is drawn again */
    check_after_jump(f, 1000);
    assert_full_history(f, "BTCUSDT");
}

/* A jump over many periods: one kline update (plus the close of the candle
 * last sent) and one ticker event, not one per missed period. */
static void test_gap_streams_once(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws(f, "/stream?streams=btcusdt@kline_1m/btcusdt@ticker/btcusdt@depth5");
    cJSON *r = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}", WAIT_MS);
    assert_non_null(r);
    cJSON_Delete(r);
    advance(f, 3000);                     /* a kline pushed: the candle it follows */
    r = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}", WAIT_MS);
    cJSON_Delete(r);
    cJSON *j;
    while ((j = bcws_recv_json(c, 0)) != NULL) cJSON_Delete(j);
    advance(f, 3600000);
    r = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}", WAIT_MS);
    cJSON_Delete(r);
    int kline = 0, closed = 0, ticker = 0, depth = 0;
    while ((j = bcws_recv_json(c, 0)) != NULL) {
        const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, "stream"));
        const cJSON *d = cJSON_GetObjectItem(j, "data");
        if (s && !strcmp(s, "btcusdt@kline_1m")) {
            kline++;
            closed += cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "k"), "x"));
        }
        ticker += s && !strcmp(s, "btcusdt@ticker");
        depth += s && !strcmp(s, "btcusdt@depth5");
        cJSON_Delete(j);
    }
    assert_int_equal(kline, 2);
    assert_int_equal(closed, 1);
    assert_int_equal(ticker, 1);
    assert_int_equal(depth, 1);
    bcws_close(c);
}

/* A digest of what a client sees of the market. */
static uint64_t market_digest(fx *f)
{
    static const char *const q[] = {
        "/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=1000", "/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1000",
        "/api/v3/klines?symbol=ETHUSDT&interval=1m&limit=1000", "/api/v3/trades?symbol=BTCUSDT&limit=1000",
        "/api/v3/depth?symbol=BTCUSDT&limit=100",
    };
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        bcs_resp r;
        memset(&r, 0, sizeof r);
        assert_int_equal(bcs_http(&f->m, "GET", q[i], NULL, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        for (const char *p = buf_cstr(&r.body); *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        bcs_resp_free(&r);
    }
    return h;
}

static uint64_t run_digest(fx *f)
{
    uint64_t a = market_digest(f);
    advance(f, 45000);
    uint64_t b = market_digest(f);
    advance(f, 2 * 3600000);
    return a ^ (b * 31) ^ (market_digest(f) * 131);
}

static void test_seed_determinism(void **state)
{
    fx *f = *state;
    uint64_t one = run_digest(f);
    assert_int_equal(per_test(state), 0);        /* the same start instant, the same seed */
    assert_true(run_digest(f) == one);
    /* another seed: another market */
    static const char *const args[] = { "--seed", "43", NULL };
    void *other = NULL;
    assert_int_equal(bcs_fx_start(&other, args, 0), 0);
    fx *g = other;
    assert_int_equal(reset_at(g), 0);
    assert_true(run_digest(g) != one);
    bcs_fx_stop(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_history_every_interval, per_test),
        cmocka_unit_test_setup(test_trades_klines_ticker_agree, per_test),
        cmocka_unit_test_setup(test_gap_rule, per_test),
        cmocka_unit_test_setup(test_gap_streams_once, per_test),
        cmocka_unit_test_setup(test_seed_determinism, per_test),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
