/* history.c: the bounded order history - Binance archives closed orders
 * (CANCELED/EXPIRED/EXPIRED_IN_MATCH with no executed quantity, over 90 days
 * after they closed) and answers -2026 ORDER_ARCHIVED for them. The mock does
 * the same after --order-retention-ms (default 90 days, virtual clock) and,
 * unless --archive-filled off, archives FILLED and partly filled closed orders
 * too, with their trades, so memory stays bounded under any order rate
 * (Binance keeps those; the mock's choice, documented in docs/order-history.md).
 * Reads decide "archived" from the order itself (ex_order_is_archived), so
 * answers are exact whenever the sweep that frees memory runs; the sweep is
 * amortised on order placement. An archived order's id stays recognisable
 * through a per-symbol high-water mark, its clientOrderId through a fixed-size
 * hash set (EX_ARCH_CIDS entries per account; older ones may fall out and
 * then answer -2013). Legs of order lists are never archived: the lists,
 * which are kept for ever, point at them. */
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

#define EX_ARCH_CIDS 65536           /* remembered archived clientOrderIds per account */

static int is_closed(const ex_order *o)
{
    return o->status != EX_NEW && o->status != EX_PARTIALLY_FILLED && o->status != EX_PENDING_NEW;
}

int ex_order_is_archived(const struct exchange *ex, const ex_order *o)
{
    /* order-list legs stay: the lists (kept for ever) point at them */
    if (!is_closed(o) || ex->retention_us <= 0 || o->list_id >= 0) return 0;
    if (!ex->archive_filled && o->executed != 0) return 0;
    return ex->now_us - o->update_us > ex->retention_us;
}

static uint64_t arch_key(int sym, const char *cid)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)sym;
    for (; *cid; cid++) h = (h ^ (unsigned char)*cid) * 1099511628211ULL;
    return h | 1;                     /* 0 marks an empty slot */
}

/* Remember that o (about to be freed) existed. */
static void remember(struct exchange *ex, ex_oidx *x, const ex_order *o)
{
    if (!x->arch_max_id) x->arch_max_id = calloc(x->nsyms ? x->nsyms : 1, sizeof *x->arch_max_id);
    if (x->arch_max_id && (size_t)o->sym < x->nsyms && o->id > x->arch_max_id[o->sym])
        x->arch_max_id[o->sym] = o->id;
    if (!x->arch_cids) x->arch_cids = calloc(EX_ARCH_CIDS, sizeof *x->arch_cids);
    if (x->arch_cids) {
        uint64_t k = arch_key(o->sym, o->client_id);
        x->arch_cids[k % EX_ARCH_CIDS] = k;
    }
    (void)ex;
}

int ex_history_was_archived(ex_account *a, int sym, int64_t order_id, const char *cid)
{
    ex_oidx *x = a ? a->idx : NULL;
    if (!x || sym < 0 || (size_t)sym >= x->nsyms) return 0;
    if (order_id >= 0) return x->arch_max_id && order_id <= x->arch_max_id[sym];
    if (!cid || !x->arch_cids) return 0;
    uint64_t k = arch_key(sym, cid);
    return x->arch_cids[k % EX_ARCH_CIDS] == k;
}

/* Drop the archived orders of a and the trades whose order is gone. */
static void sweep(struct exchange *ex, ex_account *a)
{
    ex_oidx *x = a->idx;
    size_t w = 0;
    for (size_t i = 0; i < a->norders; i++) {
        ex_order *o = a->orders[i];
        if (ex_order_is_archived(ex, o)) { remember(ex, x, o); free(o); }
        else a->orders[w++] = o;
    }
    if (w == a->norders) return;
    a->norders = w;
    size_t t = 0;
    for (size_t i = 0; i < a->ntrades; i++)
        if (ex_order_by_id(a, a->trades[i].order_id)) a->trades[t++] = a->trades[i];
    a->ntrades = t;
    /* give memory back when the history shrank a lot */
    if (a->caporders > 64 && a->norders < a->caporders / 4) {
        ex_order **nv = realloc(a->orders, a->caporders / 2 * sizeof *nv);
        if (nv) { a->orders = nv; a->caporders /= 2; }
    }
    if (a->captrades > 64 && a->ntrades < a->captrades / 4) {
        ex_mytrade *nv = realloc(a->trades, a->captrades / 2 * sizeof *nv);
        if (nv) { a->trades = nv; a->captrades /= 2; }
    }
}

/* After a placement: sweep a's history when due. A sweep costs O(history);
 * the next one is due a sixteenth of the retention later (at least 1 s of
 * virtual time) or once the history doubled, so placement stays O(1)
 * amortised. */
void ex_history_maybe_sweep(struct exchange *ex, ex_account *a)
{
    if (ex->retention_us <= 0 || !ex_oidx_get(ex, a)) return;
    if (ex->now_us < a->idx->sweep_due_us && a->norders < a->idx->sweep_at_n) return;
    sweep(ex, a);
    int64_t gap = ex->retention_us / 16;
    a->idx->sweep_due_us = ex->now_us + (gap > 1000000 ? gap : 1000000);
    a->idx->sweep_at_n = a->norders * 2 > 1024 ? a->norders * 2 : 1024;
}
