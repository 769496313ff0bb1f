/* engine.c: the matching engine - validation (symbol rules, filters,
 * balance), locking funds, price-time priority matching with partial fills,
 * commissions, self-trade prevention, stop triggers, cancels. Runs with the
 * exchange lock held; every state change emits its events here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

typedef struct mctx {
    struct exchange *ex;
    ex_symbol *s;
    ex_order *t;               /* taker */
    ex_result *out;            /* fills of the taker, or NULL */
    int64_t now;
    dec_t quote_left;          /* quote budget of a quoteOrderQty market BUY, else -1 */
} mctx;

static dec_t mul_floor(dec_t p, dec_t q) { return (dec_t)((__int128)p * q / DEC_SCALE); }
static dec_t mul_ceil(dec_t p, dec_t q)
{
    __int128 x = (__int128)p * q;
    return (dec_t)((x + DEC_SCALE - 1) / DEC_SCALE);
}

static const char *lock_asset(const ex_symbol *s, ex_side side) { return side == EX_BUY ? s->quote : s->base; }

static int is_stop_type(ex_type t)
{
    return t == EX_STOP_LOSS || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT || t == EX_TAKE_PROFIT_LIMIT;
}
static int has_limit_price(ex_type t)
{
    return t == EX_LIMIT || t == EX_LIMIT_MAKER || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT_LIMIT;
}

/* Release what an order still has locked. */
static void release(struct exchange *ex, ex_order *o)
{
    ex_account *a = ex_account_at(ex, o->account);
    if (!a || o->locked <= 0) { o->locked = 0; return; }
    ex_balance *b = ex_balance_get(a, lock_asset(&ex->syms[o->sym], o->side));
    if (b) { b->locked -= o->locked; b->free += o->locked; }
    o->locked = 0;
}

static int crosses(const ex_order *maker, ex_side taker_side, dec_t limit)
{
    if (limit <= 0) return 1;
    return taker_side == EX_BUY ? maker->price <= limit : maker->price >= limit;
}

static void order_done(struct exchange *ex, ex_order *o)
{
    release(ex, o);
    if (o->list_id >= 0) ex_list_leg_ended(ex, o);
    if (o->account == EX_MM_ACCOUNT) free(o);
}

/* One print between taker t and maker m. */
static void trade(mctx *c, ex_order *m, dec_t qty)
{
    struct exchange *ex = c->ex;
    ex_symbol *s = c->s;
    ex_order *t = c->t;
    dec_t price = m->price, quote = mul_floor(price, qty);
    ex_order *buy = t->side == EX_BUY ? t : m, *sell = t->side == EX_BUY ? m : t;
    ex_account *ba = ex_account_at(ex, buy->account), *sa = ex_account_at(ex, sell->account);
    dec_t bcomm = mul_floor(qty, buy == t ? ba->taker_rate : ba->maker_rate);
    dec_t scomm = mul_floor(quote, sell == t ? sa->taker_rate : sa->maker_rate);
    /* an SOR taker in another book of its configuration pays / receives its
     * own symbol's quote; the SOR liquidity account swaps it 1:1 (sor_route.c) */
    const char *tq = ex->syms[t->sym].quote;
    const char *bqa = buy == t ? tq : s->quote, *sqa = sell == t ? tq : s->quote;
    ex_balance *bq = ex_balance_get(ba, bqa), *bb = ex_balance_get(ba, s->base);
    if (bq) { bq->locked -= quote; }
    buy->locked -= quote;
    if (bb) bb->free += qty - bcomm;
    ex_balance *sb = ex_balance_get(sa, s->base), *sq = ex_balance_get(sa, sqa);
    if (sb) sb->locked -= qty;
    sell->locked -= qty;
    if (sq) sq->free += quote - scomm;
    if (bcomm) ex_fee_add(ex, s->base, bcomm);
    if (scomm) ex_fee_add(ex, sqa, scomm);
    if (strcmp(tq, s->quote)) ex_sor_swap(ex, t->side, tq, s->quote, quote);
    if (c->quote_left >= 0) c->quote_left -= quote;

    ex_trade tr = { .id = s->next_trade_id++, .time_us = c->now, .price = price, .qty = qty,
                    .buyer_maker = buy == m, .buy_order = buy->id, .sell_order = sell->id };
    if (s->last_agg_taker == t->id && s->last_agg_price == price && s->ring_n) tr.agg_id = s->next_agg_id - 1;
    else tr.agg_id = s->next_agg_id++;
    s->last_agg_taker = t->id;
    s->last_agg_price = price;
    ex_ring_push(s, &tr);
    s->last_price = price;
    ex_trail_print(s, price, c->now);        /* trailing stops watch every print */
    s->update_id++;
    ex_book_touch(s, m);
    ex_emit_trade(ex, s, &tr);

    ex_order *os[2] = { m, t };
    for (int k = 0; k < 2; k++) {
        ex_order *o = os[k];
        o->executed += qty;
        o->cum_quote += quote;
        o->update_us = c->now;
        o->status = ex_order_remaining(o) <= 0 ? EX_FILLED : EX_PARTIALLY_FILLED;
        int is_buyer = o == buy;
        dec_t comm = is_buyer ? bcomm : scomm;
        ex_fill f = { price, qty, comm, is_buyer, tr.id, 0, 0 };
        if (o == t && t->sor) ex_sor_allocate(ex, t, &f, c->now);
        else if (o->account != EX_MM_ACCOUNT) {
            ex_mytrade mt = { .id = tr.id, .order_id = o->id, .time_us = c->now,
                              .sym = ex_symbol_index(ex, s), .price = price, .qty = qty,
                              .quote = quote, .commission = comm, .comm_asset_is_base = is_buyer,
                              .is_buyer = is_buyer, .is_maker = o == m, .list_id = o->list_id };
            ex_account_push_trade(ex_account_at(ex, o->account), &mt);
            ex_account_at(ex, o->account)->update_us = c->now;
        }
        if (o == t && c->out) {
            ex_fill *nv = realloc(c->out->fills, (c->out->nfills + 1) * sizeof *nv);
            if (nv) { c->out->fills = nv; nv[c->out->nfills++] = f; }
        }
        ex_emit_execution(ex, o, "TRADE", &f, f.has_alloc ? -1 : tr.id, o == m, c->now);
    }
    if (m->account != t->account || m->sym != t->sym) ex_emit_account(ex, m->account, s, c->now);
    if (m->status == EX_FILLED) {
        ex_book_remove(ex, s, m);
        order_done(ex, m);
    } else if (m->iceberg > 0 && (m->ice_visible -= qty) <= 0) {
        /* the displayed slice is gone: a new one goes to the back of the level */
        ex_book_remove(ex, s, m);
        m->ice_visible = 0;
        ex_book_insert(ex, s, m);
    }
}

/* Quantity the taker may take from maker m (0 = stop). */
static dec_t take_qty(mctx *c, const ex_order *m)
{
    ex_order *t = c->t;
    dec_t q = ex_order_remaining(t), mr = ex_order_visible(m);
    if (mr < q) q = mr;
    dec_t step = c->s->f.step;
    if (c->quote_left >= 0) {
        dec_t afford = dec_floor_step(dec_div(c->quote_left, m->price), step);
        if (afford < q) q = afford;
    }
    if (t->side == EX_BUY && mul_floor(m->price, q) > t->locked) {
        dec_t afford = dec_floor_step(dec_div(t->locked, m->price), step);
        if (afford < q) q = afford;
    }
    return q > 0 ? q : 0;
}

/* Release the funds an order no longer needs once qty of it will never trade
 * (STP DECREMENT): base for a SELL, price * qty for a priced BUY. A MARKET
 * BUY keeps its lock until it ends (its lock never counted its own orders). */
static void release_part(struct exchange *ex, ex_order *o, dec_t qty)
{
    dec_t amt = o->side == EX_SELL ? qty : o->price > 0 ? mul_floor(o->price, qty) : 0;
    if (amt > o->locked) amt = o->locked;
    ex_account *a = ex_account_at(ex, o->account);
    ex_balance *b = a && amt > 0 ? ex_balance_get(a, lock_asset(&ex->syms[o->sym], o->side)) : NULL;
    if (!b) return;
    b->locked -= amt;
    b->free += amt;
    o->locked -= amt;
}

/* One order's side of a prevented match: prevented quantity += last, a
 * TRADE_PREVENTION event, and the order expires (EXPIRED_IN_MATCH) when
 * nothing is left. A maker leaves the book (or keeps its place with less);
 * the events' outboundAccountPosition and depthUpdate come once, at the end
 * of the taker's execution. Returns 1 if the order expired. */
static int stp_hit(mctx *c, ex_order *o, int64_t counter_id, int64_t pid, dec_t last,
                   dec_t match_qty, dec_t match_price)
{
    ex_symbol *s = c->s;
    o->prevented_match_id = pid;
    o->prevented_qty += last;
    o->update_us = c->now;
    int gone = ex_order_remaining(o) <= 0;
    if (o->in_book) {
        if (gone) ex_book_remove(c->ex, s, o);
        else {
            s->update_id++;
            ex_book_touch(s, o);
            if (o->iceberg > 0 && (o->ice_visible -= last) <= 0) {
                ex_book_remove(c->ex, s, o);
                o->ice_visible = 0;
                ex_book_insert(c->ex, s, o);
            }
        }
    }
    if (gone) o->status = EX_EXPIRED_IN_MATCH;
    ex_exec x = { .type = "TRADE_PREVENTION", .trade_id = -1, .stp = 1, .prevented_id = pid,
                  .counter_id = counter_id, .last_prevented = last, .match_qty = match_qty,
                  .match_price = match_price };
    ex_emit_exec(c->ex, o, &x, c->now);
    if (!gone) release_part(c->ex, o, last);
    else if (o != c->t) order_done(c->ex, o);    /* the taker settles in execute() */
    return gone;
}

/* Self-trade prevention by the taker's mode (STP FAQ): EXPIRE_TAKER /
 * EXPIRE_MAKER / EXPIRE_BOTH expire the whole remaining quantity of the
 * taker / maker / both; DECREMENT adds the prevented match's quantity to
 * both and expires the one left with nothing (both when equal).
 * 1 = keep matching, 0 = stop. */
static int stp_apply(mctx *c, ex_order *m)
{
    ex_order *t = c->t;
    ex_stp mode = t->stp;
    if (mode == EX_STP_NONE) return 1;
    int64_t pid = c->s->next_prevented_id++;
    dec_t rt = ex_order_remaining(t), rm = ex_order_visible(m), price = m->price;
    dec_t pq = rt < rm ? rt : rm;
    int maker = mode == EX_STP_EXPIRE_MAKER || mode == EX_STP_EXPIRE_BOTH || mode == EX_STP_DECREMENT;
    int taker = mode == EX_STP_EXPIRE_TAKER || mode == EX_STP_EXPIRE_BOTH || mode == EX_STP_DECREMENT;
    dec_t mlast = mode == EX_STP_DECREMENT ? pq : ex_order_remaining(m);
    dec_t tlast = mode == EX_STP_DECREMENT ? pq : rt;
    int64_t mid = m->id;                         /* m may be freed (market maker) */
    ex_sor_prevented(c->ex, t, m, pid, price, maker ? mlast : 0, c->now);
    if (maker) stp_hit(c, m, t->id, pid, mlast, pq, price);
    if (taker) {
        stp_hit(c, t, mid, pid, tlast, pq, price);
        if (t->status == EX_EXPIRED_IN_MATCH) return 0;
    }
    return 1;
}

/* The next maker: the top of the order's book, or for an SOR order the best
 * of its configuration's books (bc->s = that book's symbol). */
static ex_order *next_maker(mctx *c, mctx *bc, dec_t limit)
{
    *bc = *c;
    if (c->t->sor) return ex_sor_next_maker(c->ex, c->t, limit, &bc->s);
    ex_book *b = c->t->side == EX_BUY ? &c->s->asks : &c->s->bids;
    return b->n > 0 && crosses(b->v[0], c->t->side, limit) ? b->v[0] : NULL;
}

static void match(mctx *c, dec_t limit)
{
    ex_order *t = c->t;
    while (ex_order_remaining(t) > 0 && t->status != EX_EXPIRED_IN_MATCH) {
        mctx bc;
        ex_order *m = next_maker(c, &bc, limit);
        if (!m) break;
        if (m->account == t->account && t->stp != EX_STP_NONE) {
            if (!stp_apply(&bc, m)) break;    /* m may be gone (and freed): not read again */
            continue;
        }
        if (m->list_id >= 0) ex_list_leg_working(c->ex, m, c->now);   /* OCO: the other leg expires */
        dec_t q = take_qty(&bc, m);
        if (q <= 0) break;
        trade(&bc, m, q);
        c->quote_left = bc.quote_left;
    }
}

/* Fillable quantity and its cost against the book (no state change). */
static void dry_run(struct exchange *ex, const ex_symbol *s, int account, ex_side side, dec_t limit,
                    dec_t qty, dec_t quote_budget, dec_t *filled, dec_t *cost)
{
    const ex_book *b = side == EX_BUY ? &s->asks : &s->bids;
    dec_t f = 0, c = 0;
    (void)ex;
    for (size_t i = 0; i < b->n; i++) {
        const ex_order *m = b->v[i];
        if (!crosses(m, side, limit)) break;
        if (m->account == account) continue;
        dec_t q = ex_order_remaining(m);
        if (qty > 0 && q > qty - f) q = qty - f;
        if (quote_budget >= 0) {
            dec_t afford = dec_floor_step(dec_div(quote_budget - c, m->price), s->f.step);
            if (afford < q) q = afford;
        }
        if (q <= 0) break;
        f += q;
        c += mul_floor(m->price, q);
        if (qty > 0 && f >= qty) break;
    }
    *filled = f;
    *cost = c;
}

/* ---- validation ---- */

static void reject(ex_result *out, err_id e, me_msg m)
{
    out->err = e;
    out->me = m;
    out->has_me = 1;
}

static void filter_fail(ex_result *out, const char *name)
{
    out->err = ERR_FILTER_FAILURE;
    out->filter = name;
}

static int type_supported(const ex_symbol *s, ex_type t, ex_result *out)
{
    static const me_msg msgs[EX_TYPE__N] = {
        [EX_LIMIT] = ME_UNSUPPORTED_COMBINATION, [EX_MARKET] = ME_MARKET_NOT_SUPPORTED,
        [EX_STOP_LOSS] = ME_STOP_LOSS_NOT_SUPPORTED, [EX_STOP_LOSS_LIMIT] = ME_STOP_LOSS_LIMIT_NOT_SUPPORTED,
        [EX_TAKE_PROFIT] = ME_TAKE_PROFIT_NOT_SUPPORTED,
        [EX_TAKE_PROFIT_LIMIT] = ME_TAKE_PROFIT_LIMIT_NOT_SUPPORTED, [EX_LIMIT_MAKER] = ME_UNSUPPORTED_COMBINATION,
    };
    if (s->order_types & (1u << t)) return 1;
    reject(out, ERR_NEW_ORDER_REJECTED, msgs[t]);
    return 0;
}

static int price_ok(const ex_filters *f, dec_t p)
{
    if (f->min_price > 0 && p < f->min_price) return 0;
    if (f->max_price > 0 && p > f->max_price) return 0;
    return dec_is_multiple(p - f->min_price, f->tick);
}

static int qty_ok(dec_t q, dec_t min, dec_t max, dec_t step)
{
    if (min > 0 && q < min) return 0;
    if (max > 0 && q > max) return 0;
    return dec_is_multiple(q - min, step);
}

/* PERCENT_PRICE, MAX_NUM_ICEBERG_ORDERS, MAX_POSITION, MAX_ASSET and the exchange-wide
 * EXCHANGE_MAX_NUM_ORDERS / _ALGO_ORDERS / _ICEBERG_ORDERS (filters.md).
 * PERCENT_PRICE with avgPriceMins 0 uses the last trade price; binance-mock
 * has no reference price, so the average is used otherwise. */
static int more_filters_ok(struct exchange *ex, ex_symbol *s, const ex_order_req *rq, ex_result *out)
{
    const ex_filters *f = &s->f;
    if (f->pct_up > 0 && rq->has_price && has_limit_price(rq->type)) {
        dec_t ref = f->pct_avg_mins > 0 ? ex_avg_price_locked(ex, s, f->pct_avg_mins, NULL) : s->last_price;
        if (ref > 0 && (rq->price > dec_mul(ref, f->pct_up, NULL) || rq->price < dec_mul(ref, f->pct_down, NULL)))
            return filter_fail(out, "PERCENT_PRICE"), 0;
    }
    int iceberg = rq->has_iceberg && rq->iceberg > 0, algo = is_stop_type(rq->type);
    if (iceberg && f->max_num_iceberg_orders > 0
        && ex_open_order_count_locked(ex, rq->account, rq->sym, EX_COUNT_ICEBERG) >= (size_t)f->max_num_iceberg_orders)
        return filter_fail(out, "MAX_NUM_ICEBERG_ORDERS"), 0;
    /* a BUY fails when the position already exceeds the maximum, or this
     * order's quantity would take it past (filters.md) */
    if (f->max_position > 0 && rq->side == EX_BUY
        && ex_position_locked(ex, rq->account, rq->sym) + (rq->has_qty ? rq->qty : 0) > f->max_position)
        return filter_fail(out, "MAX_POSITION"), 0;
    if (!ex_max_asset_ok(ex, s, rq)) return filter_fail(out, "MAX_ASSET"), 0;
    ex_xfilters x;
    ex_exchange_filters(ex, &x);
    if (x.max_orders > 0 && ex_open_order_count_locked(ex, rq->account, -1, EX_COUNT_ALL) >= (size_t)x.max_orders)
        return filter_fail(out, "EXCHANGE_MAX_NUM_ORDERS"), 0;
    if (algo && x.max_algo > 0 && ex_open_order_count_locked(ex, rq->account, -1, EX_COUNT_ALGO) >= (size_t)x.max_algo)
        return filter_fail(out, "EXCHANGE_MAX_NUM_ALGO_ORDERS"), 0;
    if (iceberg && x.max_iceberg > 0
        && ex_open_order_count_locked(ex, rq->account, -1, EX_COUNT_ICEBERG) >= (size_t)x.max_iceberg)
        return filter_fail(out, "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"), 0;
    return 1;
}

static int filters_ok(struct exchange *ex, ex_symbol *s, const ex_order_req *rq, ex_result *out)
{
    const ex_filters *f = &s->f;
    int market = rq->type == EX_MARKET;
    const char *notional = f->has_min_notional_legacy ? "MIN_NOTIONAL" : "NOTIONAL";
    if (rq->unfiltered) return 1;
    if (rq->has_price && has_limit_price(rq->type) && !price_ok(f, rq->price))
        return filter_fail(out, "PRICE_FILTER"), 0;
    if (rq->has_stop && is_stop_type(rq->type) && !price_ok(f, rq->stop_price))
        return filter_fail(out, "PRICE_FILTER"), 0;
    if (rq->has_qty && !qty_ok(rq->qty, f->min_qty, f->max_qty, f->step))
        return filter_fail(out, "LOT_SIZE"), 0;
    if (market && rq->has_qty && !qty_ok(rq->qty, f->mkt_min_qty, f->mkt_max_qty, f->mkt_step))
        return filter_fail(out, "MARKET_LOT_SIZE"), 0;
    if (rq->has_iceberg && rq->iceberg > 0) {
        if (!dec_is_multiple(rq->iceberg, f->step)) return filter_fail(out, "LOT_SIZE"), 0;
        if (f->iceberg_parts > 0 && (rq->qty + rq->iceberg - 1) / rq->iceberg > f->iceberg_parts)
            return filter_fail(out, "ICEBERG_PARTS"), 0;
    }
    dec_t avg = ex_avg_price_locked(ex, s, f->pp_avg_mins ? f->pp_avg_mins : 5, NULL);
    if (avg > 0 && rq->has_price && has_limit_price(rq->type) && (f->bid_up || f->ask_up)) {
        dec_t up = rq->side == EX_BUY ? f->bid_up : f->ask_up, dn = rq->side == EX_BUY ? f->bid_down : f->ask_down;
        if ((up > 0 && rq->price > dec_mul(avg, up, NULL)) || (dn > 0 && rq->price < dec_mul(avg, dn, NULL)))
            return filter_fail(out, "PERCENT_PRICE_BY_SIDE"), 0;
    }
    dec_t value = -1;
    if (rq->pending && !rq->has_qty) value = -1;   /* OPO pending leg: its quantity comes later */
    else if (has_limit_price(rq->type)) value = mul_floor(rq->price, rq->qty);
    else if (market && rq->has_quote_qty) value = rq->quote_qty;
    else if (market && f->apply_min_to_market) value = avg > 0 ? mul_floor(avg, rq->qty) : -1;
    else if (!market && rq->has_stop) value = mul_floor(rq->stop_price, rq->qty);
    if (value >= 0 && f->min_notional > 0 && value < f->min_notional) return filter_fail(out, notional), 0;
    if (value >= 0 && f->max_notional > 0 && value > f->max_notional && (!market || f->apply_max_to_market))
        return filter_fail(out, notional), 0;
    if (f->max_num_orders > 0 && ex_open_order_count_locked(ex, rq->account, rq->sym, 0) >= (size_t)f->max_num_orders)
        return filter_fail(out, "MAX_NUM_ORDERS"), 0;
    if (is_stop_type(rq->type) && f->max_num_algo_orders > 0
        && ex_open_order_count_locked(ex, rq->account, rq->sym, 1) >= (size_t)f->max_num_algo_orders)
        return filter_fail(out, "MAX_NUM_ALGO_ORDERS"), 0;
    return more_filters_ok(ex, s, rq, out);
}

/* Funds to lock for the order; -1 if the book cannot say (empty). */
static dec_t lock_amount(struct exchange *ex, ex_symbol *s, const ex_order_req *rq, ex_stp stp)
{
    if (rq->side == EX_SELL) {
        if (rq->type == EX_MARKET && rq->has_quote_qty) {
            dec_t f, c;
            dry_run(ex, s, stp == EX_STP_NONE ? -2 : rq->account, EX_SELL, 0, 0, rq->quote_qty, &f, &c);
            return f;
        }
        return rq->qty;
    }
    if (has_limit_price(rq->type)) return mul_ceil(rq->price, rq->qty);
    if (rq->type == EX_MARKET && rq->has_quote_qty) return rq->quote_qty;
    if (rq->type == EX_MARKET) {
        dec_t f, c;
        if (rq->sor) ex_sor_dry_run(ex, rq->sym, stp == EX_STP_NONE ? -2 : rq->account, EX_BUY, 0, rq->qty, &f, &c);
        else dry_run(ex, s, stp == EX_STP_NONE ? -2 : rq->account, EX_BUY, 0, rq->qty, -1, &f, &c);
        return c;
    }
    return mul_ceil(rq->stop_price > 0 ? rq->stop_price : ex_trail_lock_price(s, rq), rq->qty);
}

static int client_id_in_use(struct exchange *ex, int account, const char *cid)
{
    return ex_oidx_open_by_cid(ex_account_at(ex, account), cid) != NULL;
}

static void init_order(struct exchange *ex, ex_order *o, const ex_order_req *rq, ex_stp stp)
{
    memset(o, 0, sizeof *o);
    o->account = rq->account;
    o->sym = rq->sym;
    o->side = rq->side;
    o->type = rq->type;
    o->tif = rq->tif != EX_TIF_NONE ? rq->tif : EX_GTC;
    o->status = EX_NEW;
    o->stp = stp;
    o->price = has_limit_price(rq->type) ? rq->price : 0;
    o->qty = rq->has_qty ? rq->qty : 0;
    o->quote_qty = rq->has_quote_qty ? rq->quote_qty : 0;
    o->stop_price = rq->has_stop ? rq->stop_price : 0;
    o->iceberg = rq->has_iceberg ? rq->iceberg : 0;
    o->time_us = o->update_us = rq->now_us;
    o->is_working = !is_stop_type(rq->type);
    o->working_us = o->is_working ? rq->now_us : -1;
    o->strategy_id = rq->strategy_id;
    o->strategy_type = rq->strategy_type;
    o->has_strategy_id = rq->has_strategy_id;
    o->has_strategy_type = rq->has_strategy_type;
    o->prevented_match_id = -1;
    o->list_id = rq->list_id > 0 ? rq->list_id : -1;
    o->trailing_delta = rq->trailing_delta > 0 ? rq->trailing_delta : 0;
    o->trailing_time_us = -1;
    o->sor = rq->sor;
    o->peg = rq->peg;
    if (rq->client_id && *rq->client_id) snprintf(o->client_id, sizeof o->client_id, "%s", rq->client_id);
    else ex_client_id_gen(ex, o->client_id);
}

/* Run a working order against the book and settle its final state. */
static void execute(struct exchange *ex, ex_symbol *s, ex_order *o, ex_result *out, int64_t now)
{
    int market = o->type == EX_MARKET || o->type == EX_STOP_LOSS || o->type == EX_TAKE_PROFIT;
    mctx c = { ex, s, o, out, now, (market && o->quote_qty > 0 && o->side == EX_BUY) ? o->quote_qty : -1 };
    int64_t first = s->update_id;
    ex_sor_marks mk = { 0 };
    if (o->sor) ex_sor_mark(ex, o, &mk);
    if (o->tif == EX_FOK && !market) {
        dec_t f, cost;
        int acct = o->stp == EX_STP_NONE ? -2 : o->account;
        if (o->sor) ex_sor_dry_run(ex, o->sym, acct, o->side, o->price, o->qty, &f, &cost);
        else dry_run(ex, s, acct, o->side, o->price, o->qty, -1, &f, &cost);
        if (f < o->qty) o->status = EX_EXPIRED;
    }
    if (o->status != EX_EXPIRED) match(&c, market ? 0 : o->price);
    o->update_us = now;
    if (o->status == EX_FILLED || o->status == EX_EXPIRED_IN_MATCH) {
        release(ex, o);                          /* EXPIRED_IN_MATCH: its event came from stp_hit */
        if (o->list_id >= 0) ex_list_leg_ended(ex, o);
    } else if (o->status == EX_EXPIRED || market || o->tif == EX_IOC || o->tif == EX_FOK) {
        o->status = EX_EXPIRED;
        ex_emit_execution(ex, o, "EXPIRED", NULL, -1, 0, now);
        release(ex, o);
        if (o->list_id >= 0) ex_list_leg_ended(ex, o);
    } else {
        ex_book_insert(ex, s, o);
    }
    ex_emit_account(ex, o->account, s, now);
    if (s->update_id != first) ex_emit_depth(ex, s, first + 1, now);
    if (mk.n) ex_sor_flush_depth(ex, &mk, now);
}

/* Trigger the stops that the last price reached, repeatedly. */
static void run_stops(struct exchange *ex, ex_symbol *s, int64_t now)
{
    for (int guard = 0; guard < 64; guard++) {
        ex_order *hit = NULL;
        for (size_t i = 0; i < s->nstops; i++)
            if (ex_stop_triggered(s->stops[i], s->last_price)) { hit = s->stops[i]; break; }
        if (!hit) return;
        ex_stops_remove(ex, s, hit);
        if (hit->list_id >= 0) ex_list_leg_working(ex, hit, now);   /* OCO: the other leg expires */
        hit->is_working = 1;
        hit->working_us = now;
        if (hit->peg.type != EX_PEG_NONE && ex_peg_trigger(ex, s, hit)) {
            hit->status = EX_EXPIRED;          /* no price to peg to, or no funds for it */
            ex_emit_execution(ex, hit, "EXPIRED", NULL, -1, 0, now);
            int acct = hit->account;
            order_done(ex, hit);
            ex_emit_account(ex, acct, s, now);
            continue;
        }
        execute(ex, s, hit, NULL, now);
    }
}

/* The quantity of a quoteOrderQty MARKET order, fixed before its NEW event
 * ("the correct quantity will be determined based on the market liquidity
 * and quoteOrderQty", rest-api.md): what the book fills within the budget.
 * q and origQty show it, and the last fill reports FILLED. A SELL locks
 * exactly that quantity. */
static dec_t quote_order_qty(struct exchange *ex, ex_symbol *s, const ex_order_req *rq, ex_stp stp, dec_t lock)
{
    if (rq->side == EX_SELL) return lock > 0 ? lock : 0;
    dec_t f, cost;
    dry_run(ex, s, stp == EX_STP_NONE ? -2 : rq->account, EX_BUY, 0, 0, rq->quote_qty, &f, &cost);
    return f;
}

/* Lock the funds, announce the order, then book it (stops wait for their
 * trigger) or match it. out->order is the order's state afterwards. */
static void go_live(struct exchange *ex, ex_symbol *s, ex_account *a, ex_order *o, dec_t lock,
                    ex_result *out, int64_t now)
{
    if (lock > 0) {
        ex_balance *b = ex_balance_get(a, lock_asset(s, o->side));
        b->free -= lock;
        b->locked += lock;
        o->locked = lock;
    }
    a->orders_placed++;
    a->update_us = now;
    if (is_stop_type(o->type)) ex_trail_start(s, o, now);     /* the NEW event shows D */
    ex_emit_execution(ex, o, "NEW", NULL, -1, 0, now);
    if (is_stop_type(o->type)) {
        ex_stops_add(ex, s, o);
        ex_emit_account(ex, o->account, s, now);
        out->order = *o;
        return;
    }
    int peers[EX_SOR_MAX], np = o->sor ? ex_sor_peers(ex, o->sym, peers, EX_SOR_MAX) : 0;
    execute(ex, s, o, out, now);
    out->order = *o;                 /* the taker's state; stops may move it later */
    if (o->account == EX_MM_ACCOUNT && !o->in_book) free(o);
    run_stops(ex, s, now);
    for (int i = 1; i < np; i++) run_stops(ex, &ex->syms[peers[i]], now);   /* the other books an SOR order printed in */
}

/* The checks that depend on the market at the moment an order goes live:
 * stop trigger, LIMIT_MAKER crossing, balance. 0 ok, -1 rejected. */
static int live_checks(ex_symbol *s, ex_account *a, const ex_order_req *rq, const ex_order *tmp, dec_t lock,
                       ex_result *out)
{
    if (is_stop_type(rq->type) && ex_stop_triggered(tmp, s->last_price))
        return reject(out, ERR_NEW_ORDER_REJECTED, ME_WOULD_TRIGGER_IMMEDIATELY), -1;
    if (rq->type == EX_LIMIT_MAKER) {
        ex_book *ob = rq->side == EX_BUY ? &s->asks : &s->bids;
        if (ob->n && crosses(ob->v[0], rq->side, rq->price))
            return reject(out, ERR_NEW_ORDER_REJECTED, ME_WOULD_MATCH_AND_TAKE), -1;
    }
    ex_balance *b = ex_balance_find(a, lock_asset(s, rq->side));
    if (lock > 0 && (!b || b->free < lock))
        return reject(out, ERR_NEW_ORDER_REJECTED, ME_INSUFFICIENT_BALANCE), -1;
    return 0;
}

void ex_place_locked(struct exchange *ex, const ex_order_req *rq, ex_result *out)
{
    memset(out, 0, sizeof *out);
    ex_symbol *s = ex_symbol_at(ex, (size_t)rq->sym);
    ex_account *a = ex_account_at(ex, rq->account);
    if (!s || !a) { out->err = ERR_BAD_SYMBOL; return; }
    if (!type_supported(s, rq->type, out)) return;
    if (strcmp(s->status, "TRADING") != 0) return reject(out, ERR_NEW_ORDER_REJECTED, ME_MARKET_CLOSED);
    if (rq->type == EX_MARKET && rq->has_quote_qty && !s->quote_market_allowed)
        return reject(out, ERR_NEW_ORDER_REJECTED, ME_QUOTE_QTY_MARKET_NOT_SUPPORTED);
    if (rq->has_iceberg && rq->iceberg > 0 && !s->iceberg_allowed)
        return reject(out, ERR_NEW_ORDER_REJECTED, ME_ICEBERG_NOT_SUPPORTED);
    if (rq->has_iceberg && rq->iceberg > rq->qty)
        return reject(out, ERR_NEW_ORDER_REJECTED, ME_ICEBERG_QTY_EXCEEDS);
    ex_order_req pq;
    if (rq->peg.type != EX_PEG_NONE) {      /* pegged: the sent price must pass too, then the book's */
        if (rq->has_price && !filters_ok(ex, s, rq, out)) return;
        if (ex_peg_prepare(ex, s, rq, &pq, out)) return;
        rq = &pq;
    }
    if (!filters_ok(ex, s, rq, out) || ex_trail_check(s, rq, out)) return;
    ex_stp stp = (int)rq->stp >= 0 ? rq->stp : s->default_stp;
    ex_order tmp;
    init_order(ex, &tmp, rq, stp);
    dec_t lock = rq->has_lock_as ? rq->lock_as : lock_amount(ex, s, rq, stp);
    /* a pending order-list leg meets the market only when it goes live */
    if (!rq->pending && live_checks(s, a, rq, &tmp, lock, out)) return;
    if (rq->account != EX_MM_ACCOUNT && client_id_in_use(ex, rq->account, tmp.client_id))
        return reject(out, ERR_NEW_ORDER_REJECTED, ME_DUPLICATE_ORDER);
    if (rq->test_only) { out->order = tmp; return; }

    ex_order *o = malloc(sizeof *o);
    if (!o) { out->err = ERR_UNKNOWN; return; }
    *o = tmp;
    o->id = ex->next_order_id++;
    if (rq->type == EX_MARKET && rq->has_quote_qty) o->qty = quote_order_qty(ex, s, rq, stp, lock);
    if (rq->account != EX_MM_ACCOUNT && ex_account_push_order(a, o)) { free(o); out->err = ERR_UNKNOWN; return; }
    if (rq->account != EX_MM_ACCOUNT) ex_history_maybe_sweep(ex, a);
    if (rq->pending) {
        o->status = EX_PENDING_NEW;
        ex_oidx_pending(ex, o, 1);
        o->is_working = 0;
        o->working_us = -1;
        a->update_us = rq->now_us;
        ex_emit_execution(ex, o, "NEW", NULL, -1, 0, rq->now_us);
        out->order = *o;
        return;
    }
    ex->engine_depth++;
    go_live(ex, s, a, o, lock, out, rq->now_us);
    ex->engine_depth--;
    ex_lists_settle(ex, rq->now_us);
}

int ex_order_activate_locked(struct exchange *ex, ex_order *o, int has_lock_as, dec_t lock_as,
                             int64_t now_us, ex_result *out)
{
    memset(out, 0, sizeof *out);
    ex_symbol *s = &ex->syms[o->sym];
    ex_account *a = ex_account_at(ex, o->account);
    ex_order_req rq = { .account = o->account, .sym = o->sym, .side = o->side, .type = o->type, .tif = o->tif,
                        .price = o->price, .has_price = o->price > 0, .qty = o->qty, .has_qty = 1,
                        .stop_price = o->stop_price, .has_stop = o->stop_price > 0, .iceberg = o->iceberg,
                        .has_iceberg = o->iceberg > 0, .stp = o->stp, .now_us = now_us,
                        .trailing_delta = o->trailing_delta };
    /* the order-count filters already count this PENDING_NEW leg: not while it is checked */
    o->status = EX_EXPIRED;
    ex_oidx_pending(ex, o, -1);
    int ok = a && filters_ok(ex, s, &rq, out);
    ex_oidx_pending(ex, o, 1);
    o->status = EX_PENDING_NEW;
    if (!ok) return -1;
    dec_t lock = has_lock_as ? lock_as : lock_amount(ex, s, &rq, o->stp);
    if (live_checks(s, a, &rq, o, lock, out)) return -1;
    ex_oidx_pending(ex, o, -1);
    o->status = EX_NEW;
    o->is_working = !is_stop_type(o->type);
    o->working_us = o->is_working ? now_us : -1;
    o->update_us = now_us;
    ex->engine_depth++;
    go_live(ex, s, a, o, lock, out, now_us);
    ex->engine_depth--;
    return 0;
}

static void cancel_with(struct exchange *ex, ex_order *o, ex_status st, const char *ccid, int64_t now_us)
{
    ex_symbol *s = &ex->syms[o->sym];
    int64_t first = s->update_id;
    if (o->in_book) ex_book_remove(ex, s, o);
    else ex_stops_remove(ex, s, o);
    if (o->status == EX_PENDING_NEW) ex_oidx_pending(ex, o, -1);
    o->status = st;
    o->update_us = now_us;
    ex_exec x = { .type = st == EX_CANCELED ? "CANCELED" : st == EX_EXPIRED_IN_MATCH ? "TRADE_PREVENTION" : "EXPIRED",
                  .trade_id = -1 };
    if (st == EX_CANCELED && o->account != EX_MM_ACCOUNT) {
        /* the cancel request's own clientOrderId: "c" of the event, "C" = the original */
        if (ccid && *ccid) snprintf(o->cancel_client_id, sizeof o->cancel_client_id, "%s", ccid);
        else ex_client_id_gen(ex, o->cancel_client_id);
        x.cancel_client_id = o->cancel_client_id;
    }
    ex_emit_exec(ex, o, &x, now_us);
    int acct = o->account;
    if (s->update_id != first) ex_emit_depth(ex, s, first + 1, now_us);
    order_done(ex, o);
    ex_emit_account(ex, acct, s, now_us);
    ex_lists_settle(ex, now_us);
}

void ex_cancel_order_locked(struct exchange *ex, ex_order *o, ex_status st, int64_t now_us)
{
    cancel_with(ex, o, st, NULL, now_us);
}

void ex_cancel_order_as_locked(struct exchange *ex, ex_order *o, const char *cancel_client_id, int64_t now_us)
{
    cancel_with(ex, o, EX_CANCELED, cancel_client_id, now_us);
}

/* r of a REJECTED event (user-data-stream.md "Order Reject Reason"); the
 * docs list no reason for other rejections: NONE. */
static const char *reject_reason(const ex_result *r)
{
    if (!r->has_me) return "NONE";
    switch (r->me) {
    case ME_INSUFFICIENT_BALANCE: return "INSUFFICIENT_BALANCES";
    case ME_WOULD_TRIGGER_IMMEDIATELY: return "STOP_PRICE_WOULD_TRIGGER_IMMEDIATELY";
    case ME_WOULD_MATCH_AND_TAKE: return "WOULD_MATCH_IMMEDIATELY";
    default: return "NONE";
    }
}

void ex_order_reject_event_locked(struct exchange *ex, const ex_order_req *rq, const ex_result *r)
{
    ex_symbol *s = ex_symbol_at(ex, (size_t)rq->sym);
    if (!s || !ex_account_at(ex, rq->account)) return;
    ex_order o;
    init_order(ex, &o, rq, (int)rq->stp >= 0 ? rq->stp : s->default_stp);
    o.id = ex->next_order_id++;
    o.status = EX_REJECTED;
    o.is_working = 0;
    if (rq->type == EX_MARKET && rq->has_quote_qty) o.qty = 0;
    ex_exec x = { .type = "REJECTED", .trade_id = -1, .reject = reject_reason(r) };
    ex_emit_exec(ex, &o, &x, rq->now_us);
}

void ex_order_place_locked(struct exchange *ex, const ex_order_req *rq, ex_result *out)
{
    ex_place_locked(ex, rq, out);
}

void ex_order_place(struct exchange *ex, const ex_order_req *rq, ex_result *out)
{
    exchange_lock(ex);
    ex_place_locked(ex, rq, out);
    exchange_unlock(ex);
}
