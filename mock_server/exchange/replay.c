/* replay.c: plays the prints read by replay_csv.c into the replayed symbols
 * on the virtual clock (docs/replay.md). A print of file time t plays at
 *   origin_play + (t - origin_data) / speed
 * where origin_data is the data's first whole minute and origin_play the
 * first whole minute at or after the server start (or --replay-start-ms),
 * less --replay-history-ms (prints due by the start are history: in the
 * ring, never streamed). Each print enters the trade ring with
 * the exchange's own trade id (user fills interleave with it) and goes out
 * on the trade / aggTrade streams. Matching rule: a print at P of quantity Q
 * fills resting user bids priced above P (at or above with --replay-fill
 * touch) and user asks priced below P (at or below), best first, at their own
 * limit price, up to Q in all per side: the market-maker account sends an IOC
 * order at the crossing price through the ordinary engine, so balances,
 * executionReports and myTrades are the usual ones. Between prints the book
 * holds the user orders plus one market-maker quote a tick either side of the
 * last print, so MARKET orders and marketable limits fill at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

static int64_t floor_min(int64_t us) { return us - us % 60000000LL; }

static int64_t play_at(const ex_replay *rp, const ex_rp_event *e)
{
    __int128 d = (__int128)(e->t_us - rp->origin_data_us) * 1000 / rp->speed_milli;
    return rp->origin_play_us + (int64_t)d;
}

int ex_replay_load(struct exchange *ex, const ex_replay_opts *o, char *err, size_t errlen)
{
    if (!o || !o->dir) return 0;
    ex_replay *rp = calloc(1, sizeof *rp);
    if (!rp) { snprintf(err, errlen, "out of memory"); return -1; }
    if (ex_rp_load(rp, o->dir, o->max_events ? o->max_events : EX_RP_DEFAULT_MAX, err, errlen)) {
        ex_rp_free(rp);
        free(rp);
        return -1;
    }
    rp->speed_milli = o->speed_milli > 0 ? o->speed_milli : 1000;
    rp->history_us = o->history_ms > 0 ? o->history_ms * 1000 : 0;
    rp->start_us = o->start_ms > 0 ? o->start_ms * 1000 : 0;
    rp->fill_touch = o->fill_touch;
    int64_t first = rp->syms[0].ev[0].t_us;
    for (size_t i = 1; i < rp->nsyms; i++)
        if (rp->syms[i].ev[0].t_us < first) first = rp->syms[i].ev[0].t_us;
    rp->origin_data_us = floor_min(first);
    ex->replay = rp;
    return 0;
}

void ex_replay_free(struct exchange *ex)
{
    if (!ex->replay) return;
    ex_rp_free(ex->replay);
    free(ex->replay);
    ex->replay = NULL;
}

/* After the symbols load (start and reset): mark the replayed symbols (the
 * simulator skips them: no sim levels, no synthetic history), size their
 * trade rings for the whole replay, rewind. */
int ex_replay_apply(struct exchange *ex, char *err, size_t errlen)
{
    ex_replay *rp = ex->replay;
    if (!rp) return 0;
    int64_t start = ex->start_us;
    int64_t ceil_min = floor_min(start) + (start % 60000000LL ? 60000000LL : 0);
    rp->origin_play_us = (rp->start_us ? rp->start_us : ceil_min) - floor_min(rp->history_us);
    for (size_t i = 0; i < rp->nsyms; i++) {
        ex_rp_sym *rs = &rp->syms[i];
        ex_symbol *s = ex_symbol_find(ex, rs->name);
        if (!s) {
            snprintf(err, errlen, "replay: symbol %s of the data files is not in the symbols config "
                     "(add it to a --symbols file)", rs->name);
            return -1;
        }
        rs->sym = ex_symbol_index(ex, s);
        rs->cursor = 0;
        rs->quoted = 0;
        rs->mark = 0;
        s->replayed = 1;
        s->sim_levels = 0;
        size_t cap = rs->n + rs->n / 4 + EX_RING_CAP;
        ex_trade *ring = calloc(cap, sizeof *ring);
        if (!ring) { snprintf(err, errlen, "out of memory (trade ring of %s)", rs->name); return -1; }
        free(s->ring);
        s->ring = ring;
        s->ring_cap = cap;
        s->ring_n = s->ring_head = 0;
    }
    return 0;
}

static dec_t tick_of(const ex_symbol *s) { return s->f.tick > 0 ? s->f.tick : 1; }

static int mm_order(struct exchange *ex, ex_symbol *s, ex_side side, ex_tif tif, dec_t price, dec_t qty, int64_t at)
{
    if (price <= 0 || qty <= 0) return -1;
    ex_order_req rq = { .account = EX_MM_ACCOUNT, .sym = ex_symbol_index(ex, s), .side = side,
                        .type = EX_LIMIT, .tif = tif, .price = price, .has_price = 1, .qty = qty,
                        .has_qty = 1, .stp = EX_STP_NONE, .now_us = at, .unfiltered = 1 };
    ex_result r;
    ex_place_locked(ex, &rq, &r);
    int rc = r.err == ERR_NONE ? 0 : -1;
    ex_result_free(&r);
    return rc;
}

static void unquote(struct exchange *ex, ex_symbol *s, ex_rp_sym *rs, int64_t at)
{
    for (int k = 0; k < 2; k++) {
        ex_book *b = k ? &s->asks : &s->bids;
        for (size_t i = b->n; i-- > 0;)
            if (b->v[i]->account == EX_MM_ACCOUNT) ex_cancel_order_locked(ex, b->v[i], EX_CANCELED, at);
    }
    rs->quoted = 0;
}

/* Best user order of a book (the first that is not the market maker's). */
static const ex_order *best_user(const ex_book *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i]->account != EX_MM_ACCOUNT) return b->v[i];
    return NULL;
}

/* One quote a tick either side of the last replayed print (not of a user
 * fill after it), never crossing a user order. */
static void requote(struct exchange *ex, ex_symbol *s, ex_rp_sym *rs, int64_t at)
{
    unquote(ex, s, rs, at);
    dec_t tick = tick_of(s), p = dec_floor_step(rs->mark, tick);
    if (p <= 0) return;
    dec_t bid = p - tick, ask = p + tick;
    const ex_order *ub = best_user(&s->bids), *ua = best_user(&s->asks);
    if (ua && ua->price - tick < bid) bid = ua->price - tick;
    if (ub && ub->price + tick > ask) ask = ub->price + tick;
    dec_t q = s->sim_qty > 0 ? s->sim_qty * 100 : DEC_ONE;
    mm_order(ex, s, EX_BUY, EX_GTC, bid, q, at);
    mm_order(ex, s, EX_SELL, EX_GTC, ask, q, at);
    rs->quoted = 1;
}

/* The matching rule (top of file) for one print. */
static void fill_users(struct exchange *ex, ex_replay *rp, ex_symbol *s, ex_rp_sym *rs,
                       const ex_rp_event *e, int64_t at)
{
    dec_t tick = tick_of(s), lo = dec_floor_step(e->price, tick);
    int on_grid = lo == e->price;
    /* user bids at >= sell_px and asks at <= buy_px are crossed */
    dec_t sell_px = rp->fill_touch && on_grid ? lo : lo + tick;
    dec_t buy_px = rp->fill_touch || !on_grid ? lo : lo - tick;
    const ex_order *ub = best_user(&s->bids), *ua = best_user(&s->asks);
    int bids = ub && ub->price >= sell_px, asks = ua && buy_px > 0 && ua->price <= buy_px;
    if (!bids && !asks) return;
    if (rs->quoted) unquote(ex, s, rs, at);
    if (bids) mm_order(ex, s, EX_SELL, EX_IOC, sell_px, e->qty, at);
    if (asks) mm_order(ex, s, EX_BUY, EX_IOC, buy_px, e->qty, at);
}

static void play(struct exchange *ex, ex_replay *rp, ex_rp_sym *rs, const ex_rp_event *e, int64_t at)
{
    ex_symbol *s = &ex->syms[rs->sym];
    ex_trade t = { .id = s->next_trade_id++, .time_us = at, .price = e->price, .qty = e->qty,
                   .buyer_maker = e->buyer_maker, .buy_order = -1, .sell_order = -1 };
    /* aggTrades: a trades file's prints of one instant, price and side are one
     * aggregate (one taker order); an aggTrades row or a kline print is its own */
    const ex_trade *prev = s->ring_n ? ex_trade_at(s, s->ring_n - 1) : NULL;
    if (rs->kind == EX_RP_TRADES && s->last_agg_taker == -2 && prev && prev->time_us == at
        && prev->price == e->price && prev->buyer_maker == e->buyer_maker)
        t.agg_id = s->next_agg_id - 1;
    else
        t.agg_id = s->next_agg_id++;
    s->last_agg_taker = -2;          /* no taker order id is -2: engine trades never join */
    ex_ring_push(s, &t);
    s->last_price = rs->mark = e->price;
    ex_emit_trade(ex, s, &t);
    ex_trail_print(s, e->price, at);         /* trailing stops watch replayed prints too */
    fill_users(ex, rp, s, rs, e, at);
    if (s->nstops) {                         /* stops this print reached go live now, against */
        s->last_price = e->price;            /* a quote around it: placing the quote runs the */
        requote(ex, s, rs, at);              /* engine's stop check at the last price */
    }
}

void ex_replay_run(struct exchange *ex, int64_t now_us)
{
    ex_replay *rp = ex->replay;
    if (!rp) return;
    int64_t last = 0;
    for (;;) {
        ex_rp_sym *best = NULL;
        int64_t bt = 0;
        for (size_t i = 0; i < rp->nsyms; i++) {
            ex_rp_sym *rs = &rp->syms[i];
            if (rs->cursor >= rs->n) continue;
            int64_t t = play_at(rp, &rs->ev[rs->cursor]);
            if (t <= now_us && (!best || t < bt)) { best = rs; bt = t; }
        }
        if (!best) break;
        play(ex, rp, best, &best->ev[best->cursor++], bt);
        best->dirty = 1;
        last = bt;
    }
    for (size_t i = 0; i < rp->nsyms; i++) {
        ex_rp_sym *rs = &rp->syms[i];
        if (rs->quoted && !rs->dirty) continue;
        rs->dirty = 0;
        requote(ex, &ex->syms[rs->sym], rs, last ? last : now_us);
    }
}

/* Prints of the history window play at start without stream events. */
void ex_replay_prime(struct exchange *ex)
{
    if (!ex->replay) return;
    exchange_listener l = ex->listener;
    ex->listener = NULL;
    ex_replay_run(ex, ex->start_us);
    ex->listener = l;
}

int ex_replay_active(const struct exchange *ex) { return ex->replay != NULL; }
