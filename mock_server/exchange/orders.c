/* orders.c: order lookup, cancel (single, with cancelRestrictions; all open
 * orders of a symbol), expiry reasons and clientOrderId generation. */
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

ex_order *ex_order_find_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                               const char *client_id)
{
    ex_account *a = ex_account_at(ex, account);
    if (!a) return NULL;
    if (order_id >= 0) {
        ex_order *o = ex_order_by_id(a, order_id);
        return o && o->sym == sym ? o : NULL;
    }
    if (!client_id) return NULL;
    ex_order *o = ex_oidx_open_by_cid(a, client_id);   /* the open one is the newest */
    if (o && o->sym == sym) return o;
    for (size_t i = a->norders; i-- > 0;) {            /* closed / pending orders: newest first */
        o = a->orders[i];
        if (o->sym == sym && !strcmp(o->client_id, client_id)) return o;
    }
    return NULL;
}

static int is_open(const ex_order *o) { return o->status == EX_NEW || o->status == EX_PARTIALLY_FILLED; }

void ex_result_free(ex_result *r)
{
    free(r->fills);
    r->fills = NULL;
    r->nfills = 0;
}

void ex_order_cancel_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                            const char *client_id, ex_cancel_restr restr, int64_t now_us,
                            ex_result *out)
{
    ex_order_cancel_as_locked(ex, account, sym, order_id, client_id, restr, NULL, now_us, out);
}

void ex_order_cancel_as_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                               const char *client_id, ex_cancel_restr restr, const char *cancel_client_id,
                               int64_t now_us, ex_result *out)
{
    memset(out, 0, sizeof *out);
    ex_order *o = ex_order_find_locked(ex, account, sym, order_id, client_id);
    if (o && order_id >= 0 && client_id && strcmp(o->client_id, client_id) != 0) o = NULL;
    /* a PENDING_NEW order-list leg may be canceled too (it cancels its list) */
    if (!o || !(is_open(o) || o->status == EX_PENDING_NEW)) {
        out->err = ERR_CANCEL_REJECTED;
        out->me = ME_UNKNOWN_ORDER;
        out->has_me = 1;
    } else if ((restr == EX_CR_ONLY_NEW && o->status != EX_NEW)
               || (restr == EX_CR_ONLY_PARTIALLY_FILLED && o->status != EX_PARTIALLY_FILLED)) {
        out->err = ERR_CANCEL_REJECTED;
        out->me = ME_CANCEL_RESTRICTED;
        out->has_me = 1;
    } else {
        ex_cancel_order_as_locked(ex, o, cancel_client_id, now_us);
        out->order = *o;
    }
}

void ex_order_cancel(struct exchange *ex, int account, int sym, int64_t order_id,
                     const char *client_id, ex_cancel_restr restr, int64_t now_us,
                     ex_result *out)
{
    exchange_lock(ex);
    ex_order_cancel_locked(ex, account, sym, order_id, client_id, restr, now_us, out);
    exchange_unlock(ex);
}

size_t ex_order_cancel_all_locked(struct exchange *ex, int account, int sym, int64_t now_us,
                                  ex_order **out)
{
    ex_order **open = NULL;
    size_t n = 0, nopen = ex_open_orders_locked(ex, account, sym, &open);
    *out = nopen ? malloc(nopen * sizeof **out) : NULL;
    for (size_t i = 0; *out && i < nopen; i++) {
        if (!is_open(open[i])) continue;               /* a list cancel may have ended it already */
        ex_cancel_order_as_locked(ex, open[i], NULL, now_us);
        (*out)[n++] = *open[i];
    }
    free(open);
    return n;
}

size_t ex_order_cancel_all(struct exchange *ex, int account, int sym, int64_t now_us, ex_order **out)
{
    exchange_lock(ex);
    size_t n = ex_order_cancel_all_locked(ex, account, sym, now_us, out);
    exchange_unlock(ex);
    return n;
}

const char *ex_order_expiry_reason(const ex_order *o)
{
    if (o->status != EX_EXPIRED) return NULL;
    if (o->expiry_reason) return o->expiry_reason;     /* set by the order-list logic */
    if (o->type == EX_MARKET || o->type == EX_STOP_LOSS || o->type == EX_TAKE_PROFIT) return "INSUFFICIENT_LIQUIDITY";
    if (o->tif == EX_IOC) return "UNFILLED_IOC_QUANTITY_EXPIRED";
    if (o->tif == EX_FOK) return "UNFILLED_FOK_ORDER_EXPIRED";
    return "NONE";
}

void ex_client_id_gen(struct exchange *ex, char out[40])
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 22; i++) out[i] = al[ex_rand(&ex->id_rng) % 62];
    out[22] = '\0';
}
