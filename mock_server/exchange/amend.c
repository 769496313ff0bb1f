/* amend.c: order amend keepPriority (faqs/order_amend_keep_priority.md) -
 * reduce an open order's quantity in place: same orderId, same place in
 * its price level, a new clientOrderId (given or generated), the funds it
 * no longer needs unlocked, an executionReport x=REPLACED, and one
 * amendment record per order for GET order/amendments. An OCO pair (OCO,
 * or the pending pair of an OTOCO/OPOCO) keeps one quantity: amending
 * either leg amends both. MAX_NUM_ORDER_AMENDS bounds amendments per order.
 *
 * Choices where the docs are silent (docs/amend.md):
 *  - newQty <= executedQty: the amendment is applied (REPLACED) and the
 *    order then expires (x=EXPIRED), as the weight rule of 2026-04-02
 *    ("when the order expires because of the amendment") implies.
 *  - Filters re-checked on the new quantity: LOT_SIZE and the minimum of
 *    NOTIONAL (priced orders), answered -1013 like a new order;
 *    MAX_NUM_ORDER_AMENDS answers -2038 (filters.md).
 *  - REPLACED event: c = the order's new clientOrderId, C = the one before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

static void reject(ex_result *out, me_msg m)
{
    out->err = ERR_ORDER_AMEND_REJECTED;
    out->me = m;
    out->has_me = 1;
}

static int is_open(const ex_order *o)
{
    return o->status == EX_NEW || o->status == EX_PARTIALLY_FILLED || o->status == EX_PENDING_NEW;
}

/* The other leg of o's OCO pair, or NULL. */
static ex_order *oco_partner(struct exchange *ex, const ex_order *o, const ex_list **lp)
{
    const ex_list *l = o->list_id >= 0 ? ex_list_find_locked(ex, o->account, o->list_id, NULL) : NULL;
    *lp = l;
    if (!l) return NULL;
    int first = l->kind == EX_LIST_OCO ? 0 : (l->kind == EX_LIST_OTOCO || l->kind == EX_LIST_OPOCO) ? 1 : -1;
    if (first < 0 || l->nlegs < first + 2) return NULL;
    if (l->legs[first] == o) return l->legs[first + 1];
    if (l->legs[first + 1] == o) return l->legs[first];
    return NULL;
}

static int filters_ok(const ex_symbol *s, const ex_order *o, dec_t q, ex_result *out)
{
    const ex_filters *f = &s->f;
    if ((f->min_qty > 0 && q < f->min_qty) || (f->max_qty > 0 && q > f->max_qty) || !dec_is_multiple(q - f->min_qty, f->step)) {
        out->err = ERR_FILTER_FAILURE;
        out->filter = "LOT_SIZE";
        return 0;
    }
    if (o->price > 0 && f->min_notional > 0 && dec_mul(o->price, q, NULL) < f->min_notional) {
        out->err = ERR_FILTER_FAILURE;
        out->filter = f->has_min_notional_legacy ? "MIN_NOTIONAL" : "NOTIONAL";
        return 0;
    }
    if (f->max_num_order_amends > 0 && o->amend_count >= f->max_num_order_amends) {
        out->err = ERR_ORDER_AMEND_REJECTED;     /* filters.md: -2038 */
        out->filter = "MAX_NUM_ORDER_AMENDS";
        return 0;
    }
    return 1;
}

/* Everything that can reject, before anything changes. */
static ex_order *validate(struct exchange *ex, const ex_amend_req *rq, ex_result *out, ex_order **partner,
                          const ex_list **lp)
{
    ex_symbol *s = ex_symbol_at(ex, (size_t)rq->sym);
    if (!s || !s->amend_allowed) return reject(out, ME_ORDER_AMEND_NOT_SUPPORTED), NULL;
    ex_order *o = ex_order_find_locked(ex, rq->account, rq->sym, rq->order_id, rq->orig_client_id);
    if (o && rq->order_id >= 0 && rq->orig_client_id && strcmp(o->client_id, rq->orig_client_id)) {
        out->err = ERR_CLIENT_ORDER_ID_INVALID;
        return NULL;
    }
    if (!o || !is_open(o) || ex_order_is_archived(ex, o)) return reject(out, ME_UNKNOWN_ORDER), NULL;
    *partner = oco_partner(ex, o, lp);
    if (o->status == EX_PENDING_NEW && *lp && ((*lp)->kind == EX_LIST_OPO || (*lp)->kind == EX_LIST_OPOCO))
        return reject(out, ME_AMEND_PENDING_OPO), NULL;
    if (rq->new_qty == o->qty) return reject(out, ME_NO_STATE_CHANGE), NULL;
    if (rq->new_qty > o->qty) return reject(out, ME_AMEND_QTY_INCREASE), NULL;
    if (!filters_ok(s, o, rq->new_qty, out)) return NULL;
    if (rq->new_client_id && strcmp(rq->new_client_id, o->client_id)) {
        ex_order *dup = ex_oidx_open_by_cid(ex_account_at(ex, rq->account), rq->new_client_id);
        if (dup && dup != o) return reject(out, ME_DUPLICATE_ORDER), NULL;
    }
    return o;
}

static int record(ex_account *a, const ex_amend *r)
{
    if (a->namends == a->capamends) {
        size_t nc = a->capamends ? a->capamends * 2 : 16;
        ex_amend *nv = realloc(a->amends, nc * sizeof *nv);
        if (!nv) return -1;
        a->amends = nv;
        a->capamends = nc;
    }
    a->amends[a->namends++] = *r;
    return 0;
}

/* Unlock what o no longer needs: its lock shrinks with its remaining
 * quantity (rounded up, so it never under-covers what is left). */
static void unlock_part(struct exchange *ex, ex_order *o, dec_t old_rem, dec_t new_rem)
{
    if (o->locked <= 0 || old_rem <= 0) return;
    dec_t need = new_rem <= 0 ? 0 : (dec_t)(((__int128)o->locked * new_rem + old_rem - 1) / old_rem);
    dec_t give = o->locked - need;
    ex_symbol *s = &ex->syms[o->sym];
    ex_balance *b = give > 0 ? ex_balance_get(ex_account_at(ex, o->account), o->side == EX_BUY ? s->quote : s->base) : NULL;
    if (!b) return;
    b->locked -= give;
    b->free += give;
    o->locked = need;
}

/* Apply the new quantity (and client id) to one order; its REPLACED event. */
static int64_t apply(struct exchange *ex, ex_order *o, dec_t new_qty, const char *new_cid, int64_t now_us)
{
    ex_symbol *s = &ex->syms[o->sym];
    char orig[40];
    snprintf(orig, sizeof orig, "%s", o->client_id);
    dec_t old_rem = ex_order_remaining(o), old_qty = o->qty;
    o->qty = new_qty;
    dec_t new_rem = ex_order_remaining(o);
    if (o->iceberg > 0 && o->ice_visible > new_rem) o->ice_visible = new_rem > 0 ? new_rem : 0;
    unlock_part(ex, o, old_rem, new_rem);
    int indexed = o->in_book || (o->status != EX_PENDING_NEW && !o->is_working);
    if (strcmp(new_cid, o->client_id)) {      /* the open-order index is keyed by client id */
        if (indexed) ex_oidx_close(ex, o);
        snprintf(o->client_id, sizeof o->client_id, "%s", new_cid);
        if (indexed) ex_oidx_open(ex, o);
    }
    o->amend_count++;
    o->update_us = now_us;
    int64_t exec_id = ex->next_exec_id;
    ex_exec x = { .type = "REPLACED", .trade_id = -1, .orig_client_id = orig };
    ex_emit_exec(ex, o, &x, now_us);
    ex_amend r = { .sym = o->sym, .order_id = o->id, .exec_id = exec_id, .time_us = now_us,
                   .orig_qty = old_qty, .new_qty = new_qty };
    snprintf(r.orig_cid, sizeof r.orig_cid, "%s", orig);
    snprintf(r.new_cid, sizeof r.new_cid, "%s", o->client_id);
    record(ex_account_at(ex, o->account), &r);
    if (o->in_book) {                          /* same place, smaller: a depth change */
        s->update_id++;
        ex_book_touch(s, o);
    }
    return exec_id;
}

void ex_order_amend_locked(struct exchange *ex, const ex_amend_req *rq, ex_result *out, int64_t *exec_id)
{
    memset(out, 0, sizeof *out);
    *exec_id = -1;
    ex_order *partner = NULL;
    const ex_list *l = NULL;
    ex_order *o = validate(ex, rq, out, &partner, &l);
    if (!o) return;
    ex_symbol *s = &ex->syms[o->sym];
    int64_t first = s->update_id;
    char cid[40];
    if (rq->new_client_id && *rq->new_client_id) snprintf(cid, sizeof cid, "%s", rq->new_client_id);
    else ex_client_id_gen(ex, cid);
    int cid_changed = strcmp(cid, o->client_id) != 0;
    *exec_id = apply(ex, o, rq->new_qty, cid, rq->now_us);
    if (partner && is_open(partner) && partner->qty > rq->new_qty)
        apply(ex, partner, rq->new_qty, partner->client_id, rq->now_us);
    if (l && cid_changed) ex_emit_list_status_as(ex, l, "UPDATED", rq->now_us);
    if (s->update_id != first) ex_emit_depth(ex, s, first + 1, rq->now_us);
    ex_account_at(ex, o->account)->update_us = rq->now_us;
    ex_emit_account(ex, o->account, s, rq->now_us);
    ex_order *both[2] = { o, partner };
    for (int i = 0; i < 2; i++)                /* nothing left to trade: the order expires */
        if (both[i] && is_open(both[i]) && both[i]->status != EX_PENDING_NEW && ex_order_remaining(both[i]) <= 0)
            ex_cancel_order_locked(ex, both[i], EX_EXPIRED, rq->now_us);
    out->order = *o;
}
