/* exchange_candles: the candle store without HTTP - the replay entry point
 * (ex_market_replay_begin: the simulator leaves the symbol, pushed minutes
 * cascade into 5m/1h/1d and come back exactly as klines of every interval,
 * pushed trades roll into minutes as the clock passes them) and the
 * simulator's history reaching 1000 candles of every interval up to 1d. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "exchange_api.h"
#include "market.h"

#define T0 1767225600000000LL            /* 2026-01-01T00:00Z: a day boundary */
#define MIN 60000000LL

static struct exchange *make(void)
{
    exchange_opts o = { .seed = 5, .now_us = T0 + 3 * 3600 * 1000000LL };
    char err[128];
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    assert_non_null(ex);
    return ex;
}

static ex_bar minute(int64_t i, int64_t *next_id)
{
    dec_t p = (100 + i % 7) * DEC_ONE;
    ex_bar b = { .first_id = *next_id, .n = 1 + i % 3, .o = p, .h = p + DEC_ONE, .l = p - DEC_ONE, .c = p,
                 .vol = DEC_ONE, .qvol = p, .tbv = DEC_ONE / 2, .tbq = p / 2 };
    *next_id += b.n;
    return b;
}

static void test_replay_minutes(void **state)
{
    (void)state;
    struct exchange *ex = make();
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_find(ex, "BTCUSDT");
    assert_int_equal(ex_market_replay_begin(ex, s, T0), 0);
    for (size_t i = 0; i < s->bids.n; i++) assert_int_not_equal(s->bids.v[i]->account, 0);   /* no market maker */
    int64_t id = 1;
    for (int64_t i = 0; i < 180; i++) {
        ex_bar b = minute(i, &id);
        assert_int_equal(ex_candles_push_minute(s, &b), 0);
    }
    s->next_trade_id = id;
    /* the minutes cascaded: 36 five-minute bars, 3 hours, no whole day yet */
    assert_int_equal(s->tiers[1].n, 36);
    assert_int_equal(s->tiers[2].n, 3);
    assert_int_equal(s->tiers[3].n, 0);
    exchange_unlock(ex);
    exchange_advance(ex, T0 + 3 * 3600 * 1000000LL + 5 * MIN);   /* the simulator leaves it alone */
    exchange_lock(ex);
    assert_int_equal(s->ring_n, 0);
    ex_interval m1, h1;
    assert_int_equal(ex_interval_parse("1m", &m1), 0);
    assert_int_equal(ex_interval_parse("1h", &h1), 0);
    ex_kline k[200];
    size_t n = ex_klines_locked(ex, s, &m1, T0, T0 + 180 * MIN - 1, 200, 0, k);
    assert_int_equal(n, 180);
    int64_t want = 1;
    for (int64_t i = 0; i < 180; i++) {
        ex_bar b = minute(i, &want);
        assert_true(k[i].open_us == T0 + i * MIN);
        assert_true(k[i].o == b.o && k[i].h == b.h && k[i].l == b.l && k[i].c == b.c && k[i].n == b.n);
        assert_true(k[i].first_id == b.first_id && k[i].last_id == b.first_id + b.n - 1);
    }
    ex_kline h[3];
    assert_int_equal(ex_klines_locked(ex, s, &h1, T0, T0 + 3 * 3600 * 1000000LL - 1, 3, 0, h), 3);
    for (int j = 0; j < 3; j++) {
        int64_t cnt = 0;
        dec_t hi = 0, vol = 0;
        for (int i = 60 * j; i < 60 * (j + 1); i++) {
            cnt += k[i].n;
            vol += k[i].vol;
            if (k[i].h > hi) hi = k[i].h;
        }
        assert_true(h[j].n == cnt && h[j].vol == vol && h[j].h == hi);
        assert_true(h[j].o == k[60 * j].o && h[j].c == k[60 * j + 59].c);
    }
    exchange_unlock(ex);
    exchange_free(ex);
}

static void test_replay_trades_roll(void **state)
{
    (void)state;
    struct exchange *ex = make();
    int64_t now = T0 + 3 * 3600 * 1000000LL;
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_find(ex, "ETHUSDT");
    assert_int_equal(ex_market_replay_begin(ex, s, now), 0);
    for (int64_t i = 0; i < 120; i++) {          /* one trade every 2 s for 4 minutes */
        ex_trade t = { .id = 1 + i, .agg_id = 1 + i, .time_us = now + i * 2000000LL,
                       .price = (3000 + i) * DEC_ONE, .qty = DEC_ONE, .buyer_maker = (int)(i % 2) };
        ex_ring_push(s, &t);
    }
    s->next_trade_id = 121;
    exchange_unlock(ex);
    exchange_advance(ex, now + 4 * MIN);
    exchange_lock(ex);
    assert_int_equal(s->tiers[0].n, 4);          /* four minutes closed */
    ex_interval m1;
    assert_int_equal(ex_interval_parse("1m", &m1), 0);
    ex_kline k[4];
    assert_int_equal(ex_klines_locked(ex, s, &m1, now, -1, 4, 0, k), 4);
    for (int j = 0; j < 4; j++) {
        assert_int_equal(k[j].n, 30);
        assert_true(k[j].o == (3000 + 30 * j) * DEC_ONE && k[j].c == (3029 + 30 * j) * DEC_ONE);
        assert_true(k[j].vol == 30 * DEC_ONE && k[j].tbv == 15 * DEC_ONE);
        assert_true(k[j].first_id == 1 + 30 * j && k[j].last_id == 30 + 30 * j);
    }
    exchange_unlock(ex);
    exchange_free(ex);
}

static void test_history_depth(void **state)
{
    (void)state;
    struct exchange *ex = make();
    static const char *const ivs[] = { "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d" };
    static ex_kline k[1000];
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_find(ex, "BTCUSDT");
    for (size_t i = 0; i < sizeof ivs / sizeof ivs[0]; i++) {
        ex_interval iv;
        assert_int_equal(ex_interval_parse(ivs[i], &iv), 0);
        size_t n = ex_klines_locked(ex, s, &iv, -1, -1, 1000, 0, k);
        if (n != 1000) fail_msg("%s: %zu candles", ivs[i], n);
        for (size_t j = 0; j < n; j++) {     /* the open candle may have no trade yet at the start instant */
            assert_true(k[j].l <= k[j].o && k[j].o <= k[j].h && k[j].l <= k[j].c && k[j].c <= k[j].h);
            if (j + 1 < n && k[j].n == 0) fail_msg("%s: candle %zu has no trade", ivs[i], j);
        }
    }
    exchange_unlock(ex);
    exchange_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_minutes),
        cmocka_unit_test(test_replay_trades_roll),
        cmocka_unit_test(test_history_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
