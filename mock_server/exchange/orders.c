/* orders.c: order lookup, cancel (single, with cancelRestrictions; all open
 * orders of a symbol), open-order counts, expiry reasons and clientOrderId
 * generation. */
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

ex_order *ex_order_find_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                               const char *client_id)
{
    ex_account *a = ex_account_at(ex, account);
    if (!a) return NULL;
    for (size_t i = a->norders; i-- > 0;) {
        ex_order *o = a->orders[i];
        if (o->sym != sym) continue;
        if (order_id >= 0 ? o->id == order_id : (client_id && !strcmp(o->client_id, client_id))) return o;
    }
    return NULL;
}

static int is_open(const ex_order *o) { return o->status == EX_NEW || o->status == EX_PARTIALLY_FILLED; }

size_t ex_open_order_count_locked(struct exchange *ex, int account, int sym, int algo_only)
{
    ex_account *a = ex_account_at(ex, account);
    size_t n = 0;
    if (!a || account == EX_MM_ACCOUNT) return 0;
    for (size_t i = 0; i < a->norders; i++) {
        ex_order *o = a->orders[i];
        /* a PENDING_NEW order-list leg counts too (rest-api.md: a list adds all its orders) */
        int pending = o->status == EX_PENDING_NEW;
        int algo = pending ? o->type != EX_LIMIT && o->type != EX_LIMIT_MAKER && o->type != EX_MARKET : !o->is_working;
        if (o->sym == sym && (is_open(o) || pending) && (!algo_only || algo)) n++;
    }
    return n;
}

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
    ex_account *a = ex_account_at(ex, account);
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; a && i < a->norders; i++) {
        ex_order *o = a->orders[i];
        if (o->sym != sym || !is_open(o)) continue;
        ex_cancel_order_as_locked(ex, o, NULL, now_us);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            ex_order *nv = realloc(*out, nc * sizeof *nv);
            if (!nv) break;
            *out = nv;
            cap = nc;
        }
        (*out)[n++] = *o;
    }
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
