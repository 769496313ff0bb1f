/* sim.c: the seeded market simulator. The market-maker account keeps a
 * ladder of resting orders around a drifting mid price for every symbol and
 * sends small market orders that print trades (taking whatever rests at the
 * top of the book, user orders included). One step per virtual second, run
 * lazily by exchange_advance; deterministic for a seed and clock sequence.
 * At start it also writes 24 h of synthetic history (one print a minute). */
#include <string.h>
#include "ex_int.h"

uint64_t ex_rand(uint64_t *st)
{
    uint64_t x = *st ? *st : 0x9E3779B97F4A7C15ULL;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *st = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int64_t rnd(struct exchange *ex, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(ex_rand(&ex->rng) % (uint64_t)(hi - lo + 1));
}

static dec_t tick_of(const ex_symbol *s) { return s->f.tick > 0 ? s->f.tick : 1; }

/* Random walk of the mid: up to ±0.05% per step, kept within [p/2, 2p]. */
static void walk(struct exchange *ex, ex_symbol *s)
{
    dec_t d = (dec_t)((__int128)s->mid * rnd(ex, -500, 500) / 1000000);
    d = dec_floor_step(d, tick_of(s));
    s->mid += d;
    if (s->mid < s->sim_price / 2 || s->mid > s->sim_price * 2) s->mid -= 2 * d;
    if (s->mid < 2 * tick_of(s)) s->mid = 2 * tick_of(s);
}

static dec_t sim_qty(struct exchange *ex, const ex_symbol *s, int lo, int hi)
{
    dec_t q = (dec_t)((__int128)s->sim_qty * rnd(ex, lo, hi) / 10);
    q = dec_floor_step(q, s->f.step);
    return q < s->f.min_qty ? s->f.min_qty : q;
}

static void history(struct exchange *ex, ex_symbol *s)
{
    int64_t t0 = ex->start_us - (int64_t)EX_HISTORY_STEPS * 60000000LL;
    for (int i = 0; i < EX_HISTORY_STEPS; i++) {
        walk(ex, s);
        ex_trade t = { .id = s->next_trade_id++, .agg_id = s->next_agg_id++,
                       .time_us = t0 + (int64_t)i * 60000000LL + rnd(ex, 0, 59) * 1000000LL,
                       .price = dec_floor_step(s->mid, tick_of(s)), .qty = sim_qty(ex, s, 1, 5),
                       .buyer_maker = (int)rnd(ex, 0, 1), .buy_order = -1, .sell_order = -1 };
        ex_ring_push(s, &t);
        s->last_price = t.price;
    }
    s->last_agg_taker = -1;
}

static dec_t gap_of(const ex_symbol *s)
{
    dec_t g = dec_floor_step((dec_t)((__int128)s->mid * 2 / 10000), tick_of(s));
    return g > tick_of(s) ? g : tick_of(s);
}

static void mm_place(struct exchange *ex, ex_symbol *s, ex_side side, ex_type type, dec_t price, dec_t qty)
{
    ex_order_req rq = { .account = EX_MM_ACCOUNT, .sym = ex_symbol_index(ex, s), .side = side,
                        .type = type, .tif = type == EX_LIMIT ? EX_GTC : EX_TIF_NONE,
                        .price = price, .has_price = type == EX_LIMIT, .qty = qty, .has_qty = 1,
                        .stp = EX_STP_NONE, .now_us = ex->sim_us };
    ex_result r;
    ex_place_locked(ex, &rq, &r);
    ex_result_free(&r);
}

/* Keep one market-maker order on every ladder price, none elsewhere. */
static void ladder(struct exchange *ex, ex_symbol *s)
{
    dec_t gap = gap_of(s), base = dec_floor_step(s->mid, tick_of(s));
    int L = s->sim_levels;
    for (int k = 0; k < 2; k++) {
        ex_book *b = k ? &s->asks : &s->bids;
        for (size_t i = b->n; i-- > 0;) {
            ex_order *o = b->v[i];
            if (o->account != EX_MM_ACCOUNT) continue;
            dec_t off = k ? o->price - base : base - o->price;
            if (off <= 0 || off % gap || off / gap > L) ex_cancel_order_locked(ex, o, EX_CANCELED, ex->sim_us);
        }
        for (int lv = 1; lv <= L; lv++) {
            dec_t p = k ? base + gap * lv : base - gap * lv;
            if (p <= 0) break;
            int have = 0;
            for (size_t i = 0; i < b->n && !have; i++)
                have = b->v[i]->account == EX_MM_ACCOUNT && b->v[i]->price == p;
            if (!have) mm_place(ex, s, k ? EX_SELL : EX_BUY, EX_LIMIT, p, sim_qty(ex, s, 5, 40));
        }
    }
}

static void step(struct exchange *ex)
{
    for (size_t i = 0; i < ex->nsyms; i++) {
        ex_symbol *s = &ex->syms[i];
        if (!s->sim_levels) continue;
        walk(ex, s);
        ladder(ex, s);
        if (rnd(ex, 0, 9) < 3)
            mm_place(ex, s, rnd(ex, 0, 1) ? EX_BUY : EX_SELL, EX_MARKET, 0, sim_qty(ex, s, 1, 5));
    }
}

void ex_sim_init(struct exchange *ex)
{
    ex->rng = ex->seed ^ 0x5DEECE66DULL;
    ex->sim_us = ex->start_us;
    for (size_t i = 0; i < ex->nsyms; i++) {
        ex_symbol *s = &ex->syms[i];
        s->mid = s->sim_price;
        s->next_trade_id = 1;
        s->next_agg_id = 1;
        s->next_prevented_id = 1;
        s->update_id = 1;
        s->last_agg_taker = -1;
        if (!s->sim_levels) continue;
        history(ex, s);
        s->mid = s->last_price;
        ladder(ex, s);
    }
}

void ex_sim_run(struct exchange *ex, int64_t now_us)
{
    if (now_us - ex->sim_us > EX_SIM_MAX_STEPS * EX_SIM_STEP_US)
        ex->sim_us = now_us - EX_SIM_MAX_STEPS * EX_SIM_STEP_US;
    while (ex->sim_us + EX_SIM_STEP_US <= now_us) {
        ex->sim_us += EX_SIM_STEP_US;
        step(ex);
    }
}
