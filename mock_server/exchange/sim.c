/* sim.c: the seeded market simulator. The market-maker account keeps a
 * ladder of resting orders around a drifting mid price for every symbol and
 * sends small market orders that print trades (taking whatever rests at the
 * top of the book, user orders included). One step per virtual second, run
 * lazily by exchange_advance; deterministic for a seed and clock sequence.
 * At start it also writes 24 h of synthetic history (one print a minute). */
#include <math.h>
#include <string.h>
#include "ex_int.h"
#include "market.h"

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

/* The mid's random walk: a log-normal step of volDaily / sqrt(86400) per
 * second, kept within [p/2, 2p] of the configured price. */
static void walk(struct exchange *ex, ex_symbol *s)
{
    double sig = s->sim_vol_daily / 293.93876913398137;          /* sqrt(86400) */
    dec_t d = (dec_t)((double)s->mid * sig * ex_gauss(ex));
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

/* A taker's size: log-normal around tradeQty. */
static dec_t taker_qty(struct exchange *ex, const ex_symbol *s)
{
    double q = (double)s->sim_trade_qty * exp(0.9 * ex_gauss(ex) - 0.405);
    dec_t d = dec_floor_step((dec_t)q, s->f.step);
    return d < s->f.min_qty ? s->f.min_qty : d > 0 ? d : s->f.step > 0 ? s->f.step : 1;
}

/* Distance between two book levels: levelGapBp of the mid, at least a tick. */
static dec_t gap_of(const ex_symbol *s)
{
    dec_t g = dec_floor_step((dec_t)((double)s->mid * s->sim_gap_bp / 10000.0), tick_of(s));
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

/* Keep one market-maker order on every ladder price, none elsewhere: the
 * best bid just under the mid, the best ask spreadTicks above it, then a
 * level every gap. */
static void ladder(struct exchange *ex, ex_symbol *s)
{
    dec_t gap = gap_of(s), t = tick_of(s);
    dec_t bid0 = dec_floor_step(s->mid - t * s->sim_spread_ticks / 2, t), ask0 = bid0 + t * s->sim_spread_ticks;
    int L = s->sim_levels;
    for (int k = 0; k < 2; k++) {          /* first off-grid orders go, on both sides ... */
        ex_book *b = k ? &s->asks : &s->bids;
        dec_t top = k ? ask0 : bid0;
        for (size_t i = b->n; i-- > 0;) {
            ex_order *o = b->v[i];
            if (o->account != EX_MM_ACCOUNT) continue;
            dec_t off = k ? o->price - top : top - o->price;
            if (off < 0 || off % gap || off / gap >= L) ex_cancel_order_locked(ex, o, EX_CANCELED, ex->sim_us);
        }
    }
    for (int k = 0; k < 2; k++) {          /* ... then the missing levels come (no crossing of an old ladder) */
        ex_book *b = k ? &s->asks : &s->bids;
        dec_t top = k ? ask0 : bid0;
        for (int lv = 0; lv < L; lv++) {
            dec_t p = k ? top + gap * lv : top - gap * lv;
            if (p <= 0) break;
            int have = 0;
            for (size_t i = 0; i < b->n && !have; i++)
                have = b->v[i]->account == EX_MM_ACCOUNT && b->v[i]->price == p;
            if (!have) mm_place(ex, s, k ? EX_SELL : EX_BUY, EX_LIMIT, p, sim_qty(ex, s, 5, 40));
        }
    }
}

/* One second: the mid walks, the ladder follows, takers trade (a Poisson
 * count with mean tradesPerMin / 60). */
static void step(struct exchange *ex)
{
    for (size_t i = 0; i < ex->nsyms; i++) {
        ex_symbol *s = &ex->syms[i];
        if (!s->sim_levels || s->replayed) continue;
        walk(ex, s);
        ladder(ex, s);
        int64_t n = ex_count(ex, s->sim_tpm / 60.0);
        for (int64_t k = 0; k < n && k < 1000; k++)
            mm_place(ex, s, ex_rand(&ex->rng) & 1 ? EX_BUY : EX_SELL, EX_MARKET, 0, taker_qty(ex, s));
    }
}

void ex_sim_init(struct exchange *ex)
{
    ex->rng = ex->seed ^ 0x5DEECE66DULL;
    ex->has_gauss_spare = 0;
    ex->sim_us = ex->start_us;
    for (size_t i = 0; i < ex->nsyms; i++) {
        ex_symbol *s = &ex->syms[i];
        s->mid = s->sim_price;
        s->next_trade_id = 1;
        s->next_agg_id = 1;
        s->next_prevented_id = 1;
        s->update_id = 1;
        s->last_agg_taker = -1;
        s->last_price = s->sim_price;
        if (!s->sim_levels || s->replayed || ex_synth_history(ex, s, ex->start_us, s->sim_price)) {
            ex_candles_begin(s, ex->start_us);      /* no history: candles from now */
            continue;
        }
        ladder(ex, s);
    }
}

int ex_market_replay_begin(struct exchange *ex, ex_symbol *s, int64_t t0_us)
{
    s->replayed = 1;
    for (int k = 0; k < 2; k++) {                 /* the market maker leaves the book */
        ex_book *b = k ? &s->asks : &s->bids;
        for (size_t i = b->n; i-- > 0;)
            if (b->v[i]->account == EX_MM_ACCOUNT) ex_cancel_order_locked(ex, b->v[i], EX_CANCELED, ex->now_us);
    }
    s->ring_n = s->ring_head = 0;                 /* ids and times may restart */
    memset(s->avg_win, 0, sizeof s->avg_win);
    return ex_candles_begin(s, t0_us);
}

static void roll_all(struct exchange *ex, int64_t t)
{
    for (size_t i = 0; i < ex->nsyms; i++) ex_candles_roll(&ex->syms[i], t);
}

static void run_steps(struct exchange *ex, int64_t until_us)
{
    while (ex->sim_us + EX_SIM_STEP_US <= until_us) {
        ex->sim_us += EX_SIM_STEP_US;
        step(ex);
        if (ex->sim_us % 60000000LL == 0) roll_all(ex, ex->sim_us);
    }
}

/* The gap rule (docs/market.md): a jump of up to EX_SIM_MAX_STEPS seconds
 * runs live, a step a second (engine, trades, events in order). A longer
 * one runs the rest of the open minute live, draws the whole minutes up to
 * the last EX_SIM_LIVE_TAIL seconds as candles (no trades, no events; trade
 * ids advance by their counts) and runs from there to now live again. */
void ex_sim_run(struct exchange *ex, int64_t now_us)
{
    if (ex->sim_us < now_us - EX_SIM_MAX_STEPS * EX_SIM_STEP_US) {
        int64_t live_from = now_us - EX_SIM_LIVE_TAIL * EX_SIM_STEP_US;
        int64_t m_end = ex->sim_us - ex->sim_us % 60000000LL + 60000000LL;
        int64_t skip_to = live_from - live_from % 60000000LL;
        if (m_end < skip_to) {
            run_steps(ex, m_end - 1);           /* a step at m_end would print into a drawn minute */
            roll_all(ex, m_end);
            for (size_t i = 0; i < ex->nsyms; i++) {
                ex_symbol *s = &ex->syms[i];
                if (s->sim_levels && !s->replayed) ex_synth_minutes(ex, s, skip_to);
            }
            ex->sim_us = skip_to;
        }
    }
    run_steps(ex, now_us);
    roll_all(ex, now_us);
}
