/* orderlist_run.c: what happens to an order list after placement - the
 * contingencies. OCO: when one leg starts working (its stop triggers, or it
 * trades) the other expires at once (expiryReason OCO_TRIGGER) and the
 * pair's lock moves to the live leg. OTO/OTOCO: when the working order is
 * fully filled the pending leg(s) go live (re-validated; a rejected one
 * expires with REJECTED; a pegged pending limit leg is priced from the book
 * first, peg.c); when it ends unfilled they end too (CANCELED if it
 * was canceled, else EXPIRED with OTO_PHASE_ONE_EXPIRED). OPO/OPOCO: the
 * same, and what the working BUY receives (after commission) is locked for
 * the pending SELL leg(s), whose quantity is that amount floored to the
 * LOT_SIZE (MARKET_LOT_SIZE for MARKET) step; the remainder is unlocked.
 * Any leg canceled alone (a PENDING_NEW one too) cancels the whole list.
 * listStatus events: on placement and when pending legs went live
 * (EXEC_STARTED / EXECUTING; the docs are silent on the latter: chosen), and
 * when every leg has ended (ALL_DONE). Placing orders from inside the
 * matching loop is never done: the engine marks lists dirty and settle runs
 * once it is back at depth 0. Exchange lock held. */
#include <string.h>
#include "ex_int.h"

static int ended(const ex_order *o)
{
    return o->status == EX_FILLED || o->status == EX_CANCELED || o->status == EX_EXPIRED
        || o->status == EX_EXPIRED_IN_MATCH || o->status == EX_REJECTED;
}

static int is_live(const ex_order *o) { return o->status == EX_NEW || o->status == EX_PARTIALLY_FILLED; }

static ex_list *list_of(struct exchange *ex, const ex_order *o)
{
    for (size_t i = ex->nlists; i-- > 0;) {
        ex_list *l = ex->lists[i];
        if (l->id == o->list_id) return l;
    }
    return NULL;
}

/* The OCO pair of a list (legs p[0], p[1]) if it has one that is live now. */
static int pair_of(const ex_list *l, ex_order **p)
{
    if (l->kind == EX_LIST_OCO) { p[0] = l->legs[0]; p[1] = l->legs[1]; return 1; }
    if ((l->kind == EX_LIST_OTOCO || l->kind == EX_LIST_OPOCO) && l->activated && l->nlegs == 3) {
        p[0] = l->legs[1];
        p[1] = l->legs[2];
        return 1;
    }
    return 0;
}

static void end_leg(struct exchange *ex, ex_order *o, int canceled, const char *reason, int64_t now)
{
    if (ended(o)) return;
    if (!canceled) o->expiry_reason = reason;
    ex_cancel_order_locked(ex, o, canceled ? EX_CANCELED : EX_EXPIRED, now);
}

void ex_list_leg_working(struct exchange *ex, ex_order *o, int64_t now_us)
{
    ex_list *l = list_of(ex, o);
    ex_order *p[2];
    if (!l || l->done || !pair_of(l, p) || (o != p[0] && o != p[1])) return;
    ex_order *other = o == p[0] ? p[1] : p[0];
    if (ended(other)) return;
    /* the pair's one lock follows the live leg (same account, same asset) */
    o->locked += other->locked;
    other->locked = 0;
    int saved = ex->lists_settling;
    ex->lists_settling = 1;
    end_leg(ex, other, 0, "OCO_TRIGGER", now_us);
    ex->lists_settling = saved;
}

void ex_list_leg_ended(struct exchange *ex, const ex_order *o)
{
    (void)o;
    ex->lists_dirty = 1;
}

static void finish(struct exchange *ex, ex_list *l, int64_t now)
{
    l->done = 1;
    l->time_us = now;
    ex_emit_list_status(ex, l, now);
}

/* Base the working BUY of an OPO received so far, net of commission. */
static dec_t received(struct exchange *ex, const ex_order *w)
{
    ex_account *a = ex_account_at(ex, w->account);
    dec_t comm = 0;
    for (size_t i = a ? a->ntrades : 0; i-- > 0;) {
        const ex_mytrade *t = &a->trades[i];
        if (t->order_id == w->id && t->comm_asset_is_base) comm += t->commission;
    }
    return w->executed - comm;
}

/* OPO: what the working order received is locked for the pending leg(s),
 * held on legs[1] (a SELL: it locks base, as the ledger expects). */
static void opo_accrue(struct exchange *ex, ex_list *l)
{
    ex_order *w = l->legs[0], *p = l->legs[1];
    ex_account *a = ex_account_at(ex, w->account);
    const ex_symbol *s = &ex->syms[w->sym];
    ex_balance *b = a ? ex_balance_find(a, s->base) : NULL;
    dec_t want = received(ex, w) - p->locked;
    if (!b || want <= 0) return;
    if (want > b->free) want = b->free;
    b->free -= want;
    b->locked += want;
    p->locked += want;
}

/* OPO: the pending quantity from the locked amount; the lock is handed back
 * to free so activation locks exactly what the leg needs. */
static dec_t opo_quantity(struct exchange *ex, ex_list *l)
{
    ex_order *p = l->legs[1];
    const ex_symbol *s = &ex->syms[p->sym];
    dec_t have = p->locked;
    ex_account *a = ex_account_at(ex, p->account);
    ex_balance *b = a ? ex_balance_find(a, s->base) : NULL;
    if (b) { b->locked -= have; b->free += have; }
    p->locked = 0;
    dec_t step = p->type == EX_MARKET && s->f.mkt_step > 0 ? s->f.mkt_step : s->f.step;
    return step > 0 ? dec_floor_step(have, step) : have;
}

static dec_t need_of(const ex_order *o)
{
    if (o->side == EX_SELL) return o->qty;
    dec_t p = (o->type == EX_LIMIT || o->type == EX_LIMIT_MAKER || o->type == EX_STOP_LOSS_LIMIT
               || o->type == EX_TAKE_PROFIT_LIMIT) ? o->price : o->stop_price;
    __int128 x = (__int128)p * o->qty;
    return (dec_t)((x + DEC_SCALE - 1) / DEC_SCALE);
}

/* The working order filled: its pending leg(s) go live. */
static void activate(struct exchange *ex, ex_list *l, int64_t now)
{
    l->activated = 1;
    l->time_us = now;
    if (l->kind == EX_LIST_OPO || l->kind == EX_LIST_OPOCO) {
        dec_t q = opo_quantity(ex, l);
        for (int i = 1; i < l->nlegs; i++) l->legs[i]->qty = q;
    }
    /* pegged pending limit legs enter at the best price now
     * (faqs/pegged_orders.md); none on the book: rejected like a leg that
     * fails its re-validation (single pegged orders: -2010 liquidity) */
    const ex_symbol *s = &ex->syms[l->sym];
    int unpriced = 0;
    for (int i = 1; i < l->nlegs; i++) unpriced |= ex_peg_enter(s, l->legs[i]) != 0;
    ex_result r;
    if (unpriced) {
        for (int i = 1; i < l->nlegs; i++) end_leg(ex, l->legs[i], 0, "REJECTED", now);
        return;
    }
    if (l->nlegs == 2) {
        if (ex_order_activate_locked(ex, l->legs[1], 0, 0, now, &r)) end_leg(ex, l->legs[1], 0, "REJECTED", now);
        else if (is_live(l->legs[1])) ex_emit_list_status(ex, l, now);
        ex_result_free(&r);
        return;
    }
    ex_order *a = l->legs[1], *b = l->legs[2];
    dec_t na = need_of(a), nb = need_of(b);
    int bad = ex_order_activate_locked(ex, a, 1, na > nb ? na : nb, now, &r);
    ex_result_free(&r);
    if (!bad) {
        bad = ex_order_activate_locked(ex, b, 1, 0, now, &r);
        ex_result_free(&r);
    }
    if (bad) {                       /* the pair goes live whole or not at all */
        end_leg(ex, a, 0, "REJECTED", now);
        end_leg(ex, b, 0, "REJECTED", now);
    } else if (is_live(a) && is_live(b)) {
        ex_emit_list_status(ex, l, now);
    }
}

/* The other legs of a list when one ended without filling. */
static void end_others(struct exchange *ex, ex_list *l, const ex_order *why, const char *reason, int64_t now)
{
    for (int i = 0; i < l->nlegs; i++)
        if (l->legs[i] != why) end_leg(ex, l->legs[i], why->status == EX_CANCELED, reason, now);
}

/* Expired by its pair's contingency (ex_list_leg_working / end_others). */
static int by_pair(const ex_order *o)
{
    return o->status == EX_EXPIRED && o->expiry_reason && !strcmp(o->expiry_reason, "OCO_TRIGGER");
}

static void settle_one(struct exchange *ex, ex_list *l, int64_t now)
{
    int oto = l->kind != EX_LIST_OCO;
    if (oto && !l->activated) {
        ex_order *w = l->legs[0];
        if (l->kind == EX_LIST_OPO || l->kind == EX_LIST_OPOCO) opo_accrue(ex, l);
        if (w->status == EX_FILLED) {
            activate(ex, l, now);
            ex->lists_dirty = 1;
        } else if (ended(w)) {
            end_others(ex, l, w, "OTO_PHASE_ONE_EXPIRED", now);
        } else {
            for (int i = 1; i < l->nlegs; i++)      /* a pending leg canceled alone */
                if (ended(l->legs[i])) { end_others(ex, l, l->legs[i], "OTO_PHASE_ONE_EXPIRED", now); break; }
        }
    } else {
        /* a leg canceled alone cancels the list; an unfilled end expires the
         * rest - but not the leg that went live: a leg the pair expired
         * because the other started working (a stop-limit leg triggered and
         * rests) is no reason to end that one */
        for (int i = oto; i < l->nlegs; i++) {
            ex_order *o = l->legs[i];
            if (ended(o) && o->status != EX_FILLED && !by_pair(o)) { end_others(ex, l, o, "OCO_TRIGGER", now); break; }
        }
    }
    for (int i = 0; i < l->nlegs; i++)
        if (!ended(l->legs[i])) return;
    finish(ex, l, now);
}

void ex_lists_settle(struct exchange *ex, int64_t now_us)
{
    if (ex->engine_depth > 0 || ex->lists_settling || !ex->lists_dirty) return;
    ex->lists_settling = 1;
    for (int guard = 0; guard < 64 && ex->lists_dirty; guard++) {
        ex->lists_dirty = 0;
        for (size_t i = 0; i < ex->nlists; i++)
            if (!ex->lists[i]->done) settle_one(ex, ex->lists[i], now_us);
    }
    ex->lists_settling = 0;
}
