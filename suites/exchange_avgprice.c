/* exchange_avgprice: the average price (avgPrice, PERCENT_PRICE_BY_SIDE,
 * NOTIONAL's avgPriceMins) is kept incrementally per window; it must equal a
 * fresh sum over the symbol's trade ring whatever happens in between - new
 * trades, the ring overwriting its oldest trades, the clock moving forward and
 * backward, several window lengths asked in turn. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "ex_int.h"

#define T0 1700000000000000LL

static dec_t brute(struct exchange *ex, ex_symbol *s, int mins)
{
    int64_t from = ex->now_us - (int64_t)mins * 60000000LL;
    __int128 q = 0, v = 0;
    size_t i = 0;
    while (i < s->ring_n && ex_trade_at(s, i)->time_us < from) i++;
    for (; i < s->ring_n; i++) {
        const ex_trade *t = ex_trade_at(s, i);
        q += t->qty;
        v += (__int128)t->price * t->qty;
    }
    return q == 0 ? s->last_price : (dec_t)(v / q);
}

static void test_incremental_equals_fresh_sum(void **state)
{
    (void)state;
    exchange_opts o = { .seed = 3, .now_us = T0 };
    struct exchange *ex = exchange_new(&o, NULL, 0);
    assert_non_null(ex);
    ex_symbol *s = ex_symbol_at(ex, 0);
    /* the simulator's own history is in the ring; add 3 ring-fulls at 10 ms steps */
    int64_t now = ex->now_us;
    uint64_t rng = 7;
    static const int mins[] = { 5, 1, 5, 15, 2, 3, 5 };
    for (size_t n = 0; n < 3 * EX_RING_CAP; n++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        now += 10000;
        ex_trade t = { .id = (int64_t)n, .time_us = now, .price = (dec_t)(1000000000 + (rng >> 40) % 100000000),
                       .qty = (dec_t)(1 + (rng >> 20) % 1000000) };
        ex_ring_push(s, &t);
        if (n % 97 == 0) {
            /* the clock: mostly now, sometimes behind or ahead of the last trade */
            int64_t jitter = (int64_t)((rng >> 8) % 5) - 2;
            ex->now_us = now + jitter * 45000000LL;
            int m = mins[(rng >> 4) % (sizeof mins / sizeof mins[0])];
            assert_int_equal(ex_avg_price_locked(ex, s, m, NULL), brute(ex, s, m));
        }
    }
    /* the ring grew from EX_RING_MIN to its full size, oldest first */
    assert_int_equal(s->ring_n, EX_RING_CAP);
    assert_int_equal(ex_trade_at(s, 0)->id, (int64_t)(2 * EX_RING_CAP));
    assert_int_equal(ex_trade_at(s, EX_RING_CAP - 1)->id, (int64_t)(3 * EX_RING_CAP - 1));
    exchange_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_incremental_equals_fresh_sum) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
