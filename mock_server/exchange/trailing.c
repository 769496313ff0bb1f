/* trailing.c: trailing stop orders (faqs/trailing-stop-faq.md) - the
 * TRAILING_DELTA filter, when a trailing order starts tracking, the high /
 * low water mark every print moves, and when the trail fires. The engine
 * keeps trailing orders with the other untriggered stops (s->stops) and asks
 * ex_stop_triggered() which of them go live.
 *
 * Choices where the docs are silent (docs/trailing.md):
 *  - The trail watches every print, one by one: a taker sweeping several
 *    levels moves the mark (and may fire the trail) at each price it trades,
 *    not only at the last one. A fired order starts working once the taker
 *    that fired it has finished.
 *  - Without stopPrice, tracking starts at placement from the last price
 *    (scenario E); with no trade yet, the first print sets the mark.
 *  - With stopPrice, the first print meeting the stop condition starts
 *    tracking and sets the mark at that print's price. A stopPrice the last
 *    price already meets at placement is not "would trigger immediately":
 *    tracking starts at placement from the last price.
 *  - The trigger compares exactly: SELL fires when price <= mark *
 *    (1 - delta/10000), BUY when price >= mark * (1 + delta/10000). */
#include "ex_int.h"

#define BIPS 10000

static int is_loss(ex_type t) { return t == EX_STOP_LOSS || t == EX_STOP_LOSS_LIMIT; }

/* "Above" deltas (filters.md / FAQ): STOP_LOSS* BUY and TAKE_PROFIT* SELL. */
static int uses_above(const ex_order_req *rq)
{
    return is_loss(rq->type) ? rq->side == EX_BUY : rq->side == EX_SELL;
}

int ex_trail_check(const ex_symbol *s, const ex_order_req *rq, ex_result *out)
{
    if (rq->trailing_delta == 0) return 0;        /* -1: trailingDelta=0 was sent */
    if (!s->trailing_allowed) {
        out->err = ERR_NEW_ORDER_REJECTED;
        out->me = ME_TRAILING_NOT_SUPPORTED;
        out->has_me = 1;
        return -1;
    }
    const ex_filters *f = &s->f;
    if (!f->trail_max_above && !f->trail_max_below && !f->trail_min_above && !f->trail_min_below) return 0;
    int64_t lo = uses_above(rq) ? f->trail_min_above : f->trail_min_below;
    int64_t hi = uses_above(rq) ? f->trail_max_above : f->trail_max_below;
    if (rq->trailing_delta < lo || (hi > 0 && rq->trailing_delta > hi)) {
        out->err = ERR_FILTER_FAILURE;
        out->filter = "TRAILING_DELTA";
        return -1;
    }
    return 0;
}

/* The plain stopPrice condition (the FAQ's "Stop price condition" column). */
static int stop_condition(const ex_order *o, dec_t price)
{
    if (price <= 0 || o->stop_price <= 0) return 0;
    int up = (is_loss(o->type) && o->side == EX_BUY) || (!is_loss(o->type) && o->side == EX_SELL);
    return up ? price >= o->stop_price : price <= o->stop_price;
}

static void begin_tracking(ex_order *o, dec_t mark, int64_t now_us)
{
    o->trailing_time_us = now_us;
    o->trail_mark = mark;
}

void ex_trail_start(ex_symbol *s, ex_order *o, int64_t now_us)
{
    if (o->trailing_delta <= 0) return;
    o->trail_fired = 0;
    o->trailing_time_us = -1;
    o->trail_mark = 0;
    if (o->stop_price <= 0 || stop_condition(o, s->last_price)) begin_tracking(o, s->last_price, now_us);
}

/* One print for one trailing order. */
static void trail_step(ex_order *o, dec_t price, int64_t now_us)
{
    if (o->trailing_time_us < 0) {
        if (stop_condition(o, price)) begin_tracking(o, price, now_us);
        return;
    }
    if (o->trail_mark <= 0) { o->trail_mark = price; return; }
    __int128 p = (__int128)price * BIPS;
    if (o->side == EX_SELL) {            /* high water mark, fires on a fall of delta */
        if (price > o->trail_mark) o->trail_mark = price;
        else if (p <= (__int128)o->trail_mark * (BIPS - o->trailing_delta)) o->trail_fired = 1;
    } else {                             /* low water mark, fires on a rise of delta */
        if (price < o->trail_mark) o->trail_mark = price;
        else if (p >= (__int128)o->trail_mark * (BIPS + o->trailing_delta)) o->trail_fired = 1;
    }
}

void ex_trail_print(ex_symbol *s, dec_t price, int64_t now_us)
{
    for (size_t i = 0; i < s->nstops; i++) {
        ex_order *o = s->stops[i];
        if (o->trailing_delta > 0 && !o->trail_fired && o->status != EX_PENDING_NEW) trail_step(o, price, now_us);
    }
}

int ex_stop_triggered(const ex_order *o, dec_t last)
{
    if (o->trailing_delta > 0) return o->trail_fired;
    return stop_condition(o, last);
}

/* A trailing STOP_LOSS / TAKE_PROFIT BUY without stopPrice has no price to
 * lock for: it locks quantity * last price * (1 + delta) - the price its
 * trail would fire at from the last price (0 before any trade). */
dec_t ex_trail_lock_price(const ex_symbol *s, const ex_order_req *rq)
{
    if (rq->trailing_delta <= 0) return 0;
    return (dec_t)((__int128)s->last_price * (BIPS + rq->trailing_delta) / BIPS);
}
