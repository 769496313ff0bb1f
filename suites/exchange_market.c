/* exchange_market: the exchange as a whole with the default symbol set -
 * conservation of every asset after thousands of random orders against the
 * simulator, simulator determinism per seed, market data (depth, klines,
 * stats), the symbols config file matching the built-in default. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "exchange_api.h"
#include "exs_ledger.h"
#include "market.h"

#define T0 1700000000000000LL

static struct exchange *make(uint64_t seed)
{
    exchange_opts o = { .seed = seed, .now_us = T0 };
    char err[128];
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    assert_non_null(ex);
    return ex;
}

/* Every balance non-negative, locked == what the open orders hold. */
static void check_ledger(struct exchange *ex, int nacct)
{
    exchange_lock(ex);
    for (int a = 1; a <= nacct; a++) {
        ex_account *ac = ex_account_at(ex, a);
        for (size_t i = 0; i < ac->nbal; i++) {
            dec_t held = 0;
            for (size_t k = 0; k < ac->norders; k++) {
                ex_order *o = ac->orders[k];
                ex_symbol *s = ex_symbol_at(ex, (size_t)o->sym);
                const char *asset = o->side == EX_BUY ? s->quote : s->base;
                if (!strcmp(asset, ac->bal[i].asset)) held += o->locked;
            }
            assert_true(ac->bal[i].free >= 0);
            assert_int_equal(ac->bal[i].locked, held);
        }
    }
    exchange_unlock(ex);
}

static void random_order(struct exchange *ex, uint64_t *r, int acct, int64_t now)
{
    size_t si = exs_rng_next(r) % ex_symbol_count(ex);
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_at(ex, si);
    dec_t mid = s->mid, tick = s->f.tick, step = s->f.step, q0 = s->sim_qty;
    exchange_unlock(ex);
    static const ex_type types[] = { EX_LIMIT, EX_LIMIT, EX_MARKET, EX_LIMIT_MAKER, EX_STOP_LOSS_LIMIT, EX_TAKE_PROFIT };
    ex_order_req rq = { .account = acct, .sym = (int)si, .side = exs_rng_next(r) % 2 ? EX_BUY : EX_SELL,
                        .type = types[exs_rng_next(r) % 6], .stp = (ex_stp)-1, .now_us = now };
    dec_t off = (dec_t)((int64_t)(exs_rng_next(r) % 41) - 20) * (mid / 2000 / tick) * tick;
    rq.price = dec_floor_step(mid + off, tick);
    rq.has_price = rq.type != EX_MARKET && rq.type != EX_TAKE_PROFIT;
    rq.qty = dec_floor_step((dec_t)((__int128)q0 * (int64_t)(1 + exs_rng_next(r) % 30) / 10), step);
    rq.has_qty = 1;
    if (rq.type == EX_MARKET && exs_rng_next(r) % 2) {
        rq.has_qty = 0;
        rq.quote_qty = dec_floor_step((dec_t)((__int128)mid * q0 / DEC_SCALE), tick);
        rq.has_quote_qty = 1;
    }
    if (rq.type == EX_LIMIT || rq.type == EX_STOP_LOSS_LIMIT)
        rq.tif = (ex_tif)(1 + exs_rng_next(r) % 3);
    if (rq.type == EX_STOP_LOSS_LIMIT || rq.type == EX_TAKE_PROFIT) {
        rq.stop_price = dec_floor_step(mid + off / 2, tick);
        rq.has_stop = 1;
    }
    ex_result out;
    ex_order_place(ex, &rq, &out);
    if (out.err == ERR_NONE && out.order.status == EX_NEW && exs_rng_next(r) % 3 == 0) {
        ex_result c;
        ex_order_cancel(ex, acct, (int)si, out.order.id, NULL, EX_CR_NONE, now, &c);
    }
    ex_result_free(&out);
}

static void test_conservation(void **state)
{
    (void)state;
    struct exchange *ex = make(7);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"1000000\",\"BTC\":\"50\",\"ETH\":\"500\",\"BNB\":\"2000\","
                             "\"\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81\":\"100000\",\"456\":\"100000\"}");
    char name[16];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "u%d", i);
        assert_int_equal(exchange_account_add(ex, name, bal), i + 1);
    }
    cJSON_Delete(bal);
    dec_t before[16], after[16];
    assert_true(ex_asset_count(ex) <= 16);
    exs_supplies(ex, before);
    uint64_t r = 88172645463325252ULL;
    int64_t now = T0;
    size_t trades = 0;
    for (int i = 0; i < 4000; i++) {
        random_order(ex, &r, 1 + (int)(exs_rng_next(&r) % 4), now);
        if (i % 10 == 0) { now += 1000000; exchange_advance(ex, now); }
    }
    exs_supplies(ex, after);
    for (size_t i = 0; i < ex_asset_count(ex); i++)
        if (before[i] != after[i]) fail_msg("asset %s not conserved", ex_asset_at(ex, i));
    check_ledger(ex, 4);
    exchange_lock(ex);
    for (int a = 1; a <= 4; a++) trades += ex_account_at(ex, a)->ntrades;
    exchange_unlock(ex);
    assert_true(trades > 500);          /* the run really traded */
    exchange_free(ex);
}

static void ring_digest(struct exchange *ex, uint64_t *h, size_t *n)
{
    *h = 1469598103934665603ULL;
    *n = 0;
    exchange_lock(ex);
    for (size_t i = 0; i < ex_symbol_count(ex); i++) {
        ex_symbol *s = ex_symbol_at(ex, i);
        for (size_t k = 0; k < s->ring_n; k++) {
            const ex_trade *t = ex_trade_at(s, k);
            *h = (*h ^ (uint64_t)t->price) * 1099511628211ULL;
            *h = (*h ^ (uint64_t)t->qty) * 1099511628211ULL;
            *h = (*h ^ (uint64_t)t->time_us) * 1099511628211ULL;
            (*n)++;
        }
    }
    exchange_unlock(ex);
}

static void test_determinism(void **state)
{
    (void)state;
    uint64_t h[3];
    size_t n[3];
    uint64_t seeds[3] = { 1, 1, 2 };
    for (int k = 0; k < 3; k++) {
        struct exchange *ex = make(seeds[k]);
        for (int64_t t = 1; t <= 120; t += 7) exchange_advance(ex, T0 + t * 1000000);
        ring_digest(ex, &h[k], &n[k]);
        exchange_free(ex);
    }
    assert_int_equal(h[0], h[1]);
    assert_int_equal(n[0], n[1]);
    assert_true(h[0] != h[2]);
    assert_true(n[0] > 1440 * 5);        /* history plus live prints */
}

static void test_market_data(void **state)
{
    (void)state;
    struct exchange *ex = make(3);
    exchange_advance(ex, T0 + 60000000);
    exchange_lock(ex);
    for (size_t i = 0; i < ex_symbol_count(ex); i++) {
        ex_symbol *s = ex_symbol_at(ex, i);
        ex_level lv[100];
        size_t nb = ex_depth_locked(s, 0, 100, lv);
        assert_true(nb >= 10);
        for (size_t k = 1; k < nb; k++) assert_true(lv[k].price < lv[k - 1].price);
        dec_t best_bid = lv[0].price;
        size_t na = ex_depth_locked(s, 1, 100, lv);
        assert_true(na >= 10);
        assert_true(lv[0].price > best_bid);
        ex_interval iv;
        assert_int_equal(ex_interval_parse("1m", &iv), 0);
        assert_int_equal(ex_interval_parse("1H", &iv), -1);
        assert_int_equal(ex_interval_parse("1M", &iv), 0);
        assert_int_equal(ex_interval_parse("1h", &iv), 0);
        ex_kline k[30];
        size_t nk = ex_klines_locked(ex, s, &iv, -1, -1, 30, 0, k);
        assert_int_equal(nk, 30);        /* the history reaches 1000 hours back (suites/exchange_candles.c) */
        for (size_t j = 0; j < nk; j++) {
            assert_int_equal(k[j].open_us % 3600000000LL, 0);
            assert_int_equal(k[j].close_us, k[j].open_us + 3600000000LL - 1000);
            assert_true(k[j].l <= k[j].o && k[j].o <= k[j].h);
        }
        /* startTime: klines opening at or after it */
        int64_t st0 = k[1].open_us + 1;
        ex_kline k2[3];
        assert_int_equal(ex_klines_locked(ex, s, &iv, st0, -1, 3, 0, k2), 3);
        assert_int_equal(k2[0].open_us, k[2].open_us);
        assert_int_equal(ex_klines_locked(ex, s, &iv, k[1].open_us, -1, 3, 0, k2), 3);
        assert_int_equal(k2[0].open_us, k[1].open_us);
        ex_stats st;
        ex_stats_locked(ex, s, ex_now_us(ex) - 86400000000LL, ex_now_us(ex), &st);
        assert_true(st.count > 1000);
        assert_true(st.low <= st.last && st.last <= st.high);
        assert_true(ex_avg_price_locked(ex, s, 5, NULL) > 0);
    }
    exchange_unlock(ex);
    exchange_free(ex);
}

static void test_config_matches_default(void **state)
{
    (void)state;
    const char *src = getenv("BC_SOURCE_DIR");
    assert_non_null(src);                       /* ctest always sets it */
    char path[512];
    snprintf(path, sizeof path, "%s/mock_server/config/symbols.json", src);
    exchange_opts o = { .symbols_file = path, .seed = 5, .now_us = T0 };
    char err[128];
    struct exchange *a = exchange_new(&o, err, sizeof err), *b = make(5);
    assert_non_null(a);
    uint64_t ha, hb;
    size_t na, nb;
    ring_digest(a, &ha, &na);
    ring_digest(b, &hb, &nb);
    assert_int_equal(ha, hb);
    assert_int_equal(ex_symbol_count(a), 5);
    assert_non_null(ex_symbol_find(a, "\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456"));
    exchange_free(a);
    exchange_free(b);
    o.symbols_file = "/nonexistent/symbols.json";
    assert_null(exchange_new(&o, err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
}

typedef struct worker { struct exchange *ex; int acct; uint64_t seed; } worker;

static void *work(void *arg)
{
    worker *w = arg;
    int64_t now = T0;
    for (int i = 0; i < 500; i++) {
        random_order(w->ex, &w->seed, w->acct, now);
        if (i % 25 == 0) { now += 1000000; exchange_advance(w->ex, now); }
    }
    return NULL;
}

/* Many threads at once (the exchange locks internally): still conserved. */
static void test_threads(void **state)
{
    (void)state;
    struct exchange *ex = make(11);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"1000000\",\"BTC\":\"50\",\"ETH\":\"500\",\"BNB\":\"2000\"}");
    worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", i);
        w[i] = (worker){ ex, exchange_account_add(ex, name, bal), 1000 + (uint64_t)i * 7919 };
    }
    cJSON_Delete(bal);
    dec_t before[16], after[16];
    exs_supplies(ex, before);
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    exs_supplies(ex, after);
    for (size_t i = 0; i < ex_asset_count(ex); i++) assert_int_equal(before[i], after[i]);
    check_ledger(ex, 4);
    exchange_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_market_data),
        cmocka_unit_test(test_config_matches_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
