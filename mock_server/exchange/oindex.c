/* oindex.c: per-account indexes of the orders, kept incrementally so that
 * placing, cancelling and looking up an order never scans the account's
 * history: the open orders by clientOrderId (duplicate check, cancel and
 * query by origClientOrderId, openOrders), open-order counters per symbol
 * (MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS; PENDING_NEW order-list legs count
 * too) and lookup by orderId (binary search:
 * an account's history is in id order). An order is open exactly while it
 * rests in a book or waits in a symbol's stop list, so book.c calls
 * ex_oidx_open / ex_oidx_close there and nowhere else. The market maker's
 * orders are not indexed (nothing looks them up). */
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

static uint64_t cid_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;              /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

ex_oidx *ex_oidx_get(struct exchange *ex, ex_account *a)
{
    if (a->idx) return a->idx;
    ex_oidx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->nsyms = ex->nsyms;
    x->cnt = calloc(4 * (x->nsyms ? x->nsyms : 1), sizeof *x->cnt);
    if (!x->cnt) { free(x); return NULL; }
    a->idx = x;
    return x;
}

void ex_oidx_free(ex_account *a)
{
    if (!a->idx) return;
    free(a->idx->open);
    free(a->idx->cnt);
    free(a->idx->arch_max_id);
    free(a->idx->arch_cids);
    free(a->idx);
    a->idx = NULL;
}

/* Slot of cid in the open map (its order, or the empty slot to put it in). */
static size_t map_slot(const ex_oidx *x, const char *cid)
{
    size_t mask = x->cap - 1, i = (size_t)cid_hash(cid) & mask;
    while (x->open[i] && strcmp(x->open[i]->client_id, cid) != 0) i = (i + 1) & mask;
    return i;
}

static int map_grow(ex_oidx *x)
{
    size_t nc = x->cap ? x->cap * 2 : 16;
    ex_order **old = x->open;
    size_t ocap = x->cap;
    x->open = calloc(nc, sizeof *x->open);
    if (!x->open) { x->open = old; return -1; }
    x->cap = nc;
    for (size_t i = 0; i < ocap; i++)
        if (old[i]) x->open[map_slot(x, old[i]->client_id)] = old[i];
    free(old);
    return 0;
}

/* Linear-probing delete: shift back the entries of the probe run. */
static void map_delete(ex_oidx *x, size_t i)
{
    size_t mask = x->cap - 1, j = i;
    x->open[i] = NULL;
    for (;;) {
        j = (j + 1) & mask;
        if (!x->open[j]) return;
        size_t home = (size_t)cid_hash(x->open[j]->client_id) & mask;
        /* move j back to i unless its home lies cyclically in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            x->open[i] = x->open[j];
            x->open[j] = NULL;
            i = j;
        }
    }
}

void ex_oidx_open(struct exchange *ex, ex_order *o)
{
    ex_account *a = ex_account_at(ex, o->account);
    if (!a || o->account == EX_MM_ACCOUNT) return;
    ex_oidx *x = ex_oidx_get(ex, a);
    if (!x) return;
    if ((size_t)o->sym < x->nsyms) {
        x->cnt[4 * o->sym]++;
        if (!o->is_working) x->cnt[4 * o->sym + 1]++;
    }
    if ((x->n + 1) * 2 > x->cap && map_grow(x)) return;
    size_t i = map_slot(x, o->client_id);
    if (!x->open[i]) x->n++;
    x->open[i] = o;                    /* a clientOrderId is open at most once */
}

void ex_oidx_close(struct exchange *ex, ex_order *o)
{
    ex_account *a = ex_account_at(ex, o->account);
    ex_oidx *x = a ? a->idx : NULL;
    if (!x || o->account == EX_MM_ACCOUNT) return;
    if ((size_t)o->sym < x->nsyms) {
        x->cnt[4 * o->sym]--;
        if (!o->is_working) x->cnt[4 * o->sym + 1]--;
    }
    if (!x->cap) return;
    size_t i = map_slot(x, o->client_id);
    if (x->open[i] == o) { map_delete(x, i); x->n--; }
}

/* A PENDING_NEW order-list leg counts towards MAX_NUM_ORDERS (rest-api.md: a
 * list adds all its orders), and towards MAX_NUM_ALGO_ORDERS by its type. */
void ex_oidx_pending(struct exchange *ex, const ex_order *o, int delta)
{
    ex_account *a = ex_account_at(ex, o->account);
    if (!a || o->account == EX_MM_ACCOUNT) return;
    ex_oidx *x = ex_oidx_get(ex, a);
    if (!x || (size_t)o->sym >= x->nsyms) return;
    x->cnt[4 * o->sym + 2] += delta;
    if (o->type != EX_LIMIT && o->type != EX_LIMIT_MAKER && o->type != EX_MARKET) x->cnt[4 * o->sym + 3] += delta;
}

ex_order *ex_oidx_open_by_cid(ex_account *a, const char *cid)
{
    ex_oidx *x = a ? a->idx : NULL;
    if (!x || !x->cap || !cid) return NULL;
    return x->open[map_slot(x, cid)];
}

size_t ex_open_order_count_locked(struct exchange *ex, int account, int sym, int algo_only)
{
    ex_account *a = ex_account_at(ex, account);
    ex_oidx *x = a ? a->idx : NULL;
    if (!x || account == EX_MM_ACCOUNT || sym < 0 || (size_t)sym >= x->nsyms) return 0;
    return algo_only ? x->cnt[4 * sym + 1] + x->cnt[4 * sym + 3] : x->cnt[4 * sym] + x->cnt[4 * sym + 2];
}

static int by_id(const void *p, const void *q)
{
    const ex_order *a = *(ex_order *const *)p, *b = *(ex_order *const *)q;
    return (a->id > b->id) - (a->id < b->id);
}

size_t ex_open_orders_locked(struct exchange *ex, int account, int sym, ex_order ***out)
{
    ex_account *a = ex_account_at(ex, account);
    ex_oidx *x = a ? a->idx : NULL;
    size_t n = 0;
    *out = NULL;
    if (!x || !x->n) return 0;
    ex_order **v = malloc(x->n * sizeof *v);
    if (!v) return 0;
    for (size_t i = 0; i < x->cap; i++)
        if (x->open[i] && (sym < 0 || x->open[i]->sym == sym)) v[n++] = x->open[i];
    qsort(v, n, sizeof *v, by_id);
    *out = v;
    return n;
}

ex_order *ex_order_by_id(ex_account *a, int64_t id)
{
    size_t lo = 0, hi = a ? a->norders : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t m = a->orders[mid]->id;
        if (m == id) return a->orders[mid];
        if (m < id) lo = mid + 1; else hi = mid;
    }
    return NULL;
}
