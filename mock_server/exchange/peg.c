/* peg.c: pegged orders (faqs/pegged_orders.md) - the peg rules of a new
 * order, the price a peg selects from the book, and the late pricing of a
 * pegged stop-limit order when it triggers.
 *
 * A pegged order is a limit order whose price comes from the book when it
 * enters the market: PRIMARY_PEG the best price of its own side, MARKET_PEG
 * the best of the other side, pegOffsetValue price levels deeper with
 * pegOffsetType PRICE_LEVEL. LIMIT and LIMIT_MAKER orders are priced when
 * placed (a pending order-list leg: when it goes live, ex_peg_enter);
 * STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT when triggered. The FAQ says
 * nothing of repricing once the order rests: binance-mock keeps the price
 * an order entered with (peggedPrice never changes afterwards). Rejections
 * use the -2010 texts errors.md lists for pegged orders. docs/pegged.md. */
#include <string.h>
#include "ex_int.h"

const char *ex_peg_name(int v)
{
    return v == EX_PEG_PRIMARY ? "PRIMARY_PEG" : v == EX_PEG_MARKET ? "MARKET_PEG" : "";
}

int ex_peg_parse(const char *s)
{
    if (!s) return -1;
    if (!strcmp(s, "PRIMARY_PEG")) return EX_PEG_PRIMARY;
    if (!strcmp(s, "MARKET_PEG")) return EX_PEG_MARKET;
    return -1;
}

/* The price of the level `level` (0 = best) of one side, or 0 if the book
 * has fewer levels. */
static dec_t level_price(const ex_book *b, int level)
{
    dec_t last = 0;
    int seen = -1;
    for (size_t i = 0; i < b->n; i++) {
        if (b->v[i]->price == last && seen >= 0) continue;
        last = b->v[i]->price;
        if (++seen == level) return last;
    }
    return 0;
}

dec_t ex_peg_book_price(const ex_symbol *s, ex_side side, const ex_peg *p)
{
    int own = p->type == EX_PEG_PRIMARY;
    const ex_book *b = (side == EX_BUY) == own ? &s->bids : &s->asks;
    return level_price(b, p->has_offset ? p->offset : 0);
}

static int stop_limit(ex_type t) { return t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT_LIMIT; }

static int peg_reject(ex_result *out, me_msg m)
{
    out->err = ERR_NEW_ORDER_REJECTED;
    out->me = m;
    out->has_me = 1;
    return -1;
}

int ex_peg_prepare(struct exchange *ex, const ex_symbol *s, const ex_order_req *rq, ex_order_req *pq,
                   ex_result *out)
{
    (void)ex;
    if (!s->peg_allowed) return peg_reject(out, ME_PEG_NOT_SUPPORTED);
    if (rq->type != EX_LIMIT && rq->type != EX_LIMIT_MAKER && !stop_limit(rq->type))
        return peg_reject(out, ME_PEG_ORDER_TYPE);
    if (rq->type == EX_LIMIT_MAKER && rq->peg.type == EX_PEG_MARKET) return peg_reject(out, ME_PEG_PRICE_TYPE);
    /* "With pegPriceType=PRIMARY_PEG only timeInForce=GTC is allowed": the
     * docs name no error; binance-mock answers the peg/order-type text */
    if (rq->type == EX_LIMIT && rq->peg.type == EX_PEG_PRIMARY && rq->tif != EX_GTC)
        return peg_reject(out, ME_PEG_PRICE_TYPE);
    *pq = *rq;
    pq->peg.user_price = rq->has_price ? rq->price : 0;
    if (stop_limit(rq->type)) {
        /* priced on trigger; until then the sent price, else the stop
         * price, stands in for the lock and the NOTIONAL filter */
        pq->price = rq->has_price ? rq->price : rq->stop_price;
        pq->has_price = 1;
        pq->peg.priced = 0;
        return 0;
    }
    dec_t p = ex_peg_book_price(s, rq->side, &rq->peg);
    if (rq->pending) {
        /* a pending order-list leg is priced when it goes live
         * (ex_peg_enter); until then the price the peg would select now,
         * else the sent price, stands in for the filters and the list's
         * price relationship; neither: the liquidity rejection of a single
         * pegged order (the docs are silent; docs/pegged.md) */
        if (p <= 0) p = rq->has_price ? rq->price : 0;
        if (p <= 0) return peg_reject(out, ME_PEG_LIQUIDITY_LOW);
        pq->price = p;
        pq->has_price = 1;
        pq->peg.priced = 0;
        return 0;
    }
    if (p <= 0) return peg_reject(out, ME_PEG_LIQUIDITY_LOW);
    pq->price = p;
    pq->has_price = 1;
    pq->peg.priced = 1;
    return 0;
}

int ex_peg_enter(const ex_symbol *s, ex_order *o)
{
    if (o->peg.type == EX_PEG_NONE || stop_limit(o->type)) return 0;
    dec_t p = ex_peg_book_price(s, o->side, &o->peg);
    if (p <= 0) return -1;
    o->price = p;
    o->peg.priced = 1;
    return 0;
}

int ex_peg_trigger(struct exchange *ex, ex_symbol *s, ex_order *o)
{
    dec_t p = ex_peg_book_price(s, o->side, &o->peg);
    if (p <= 0) return -1;
    if (o->side == EX_BUY) {
        /* the lock follows the new price: more is taken from free, or the
         * order expires when free cannot cover it; the excess goes back */
        __int128 x = (__int128)p * ex_order_remaining(o);
        dec_t need = (dec_t)((x + DEC_SCALE - 1) / DEC_SCALE);
        ex_account *a = ex_account_at(ex, o->account);
        ex_balance *b = a ? ex_balance_get(a, s->quote) : NULL;
        if (!b) return -1;
        dec_t diff = need - o->locked;
        if (diff > 0 && b->free < diff) return -1;
        b->free -= diff;
        b->locked += diff;
        o->locked = need;
    }
    o->price = p;
    o->peg.priced = 1;
    return 0;
}
