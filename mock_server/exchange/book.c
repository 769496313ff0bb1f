/* book.c: a symbol's order book (two priority-sorted arrays of resting
 * orders), its list of untriggered stop orders and its trade-history ring.
 * Entering or leaving the book or the stop list is what opens or closes an
 * order in the account's index (oindex.c). */
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

static int grow(ex_order ***v, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need) nc *= 2;
    ex_order **nv = realloc(*v, nc * sizeof *nv);
    if (!nv) return -1;
    *v = nv;
    *cap = nc;
    return 0;
}

/* 1 if a goes before b in the book of its side. */
static int before(const ex_order *a, const ex_order *b)
{
    if (a->price != b->price) return a->side == EX_BUY ? a->price > b->price : a->price < b->price;
    return a->seq < b->seq;
}

static void touch(ex_symbol *s, const ex_order *o)
{
    int k = o->side == EX_BUY ? 0 : 1;
    for (int i = 0; i < s->ntouched[k]; i++)
        if (s->touched[k][i] == o->price) return;
    if (s->ntouched[k] < 64) s->touched[k][s->ntouched[k]++] = o->price;
}

void ex_book_touch(ex_symbol *s, const ex_order *o) { touch(s, o); }

int ex_book_insert(struct exchange *ex, ex_symbol *s, ex_order *o)
{
    ex_book *b = o->side == EX_BUY ? &s->bids : &s->asks;
    if (grow(&b->v, &b->cap, b->n + 1)) return -1;
    o->seq = ex->next_seq++;
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (before(b->v[mid], o)) lo = mid + 1; else hi = mid;
    }
    if (o->iceberg > 0 && o->ice_visible <= 0) {
        dec_t rem = ex_order_remaining(o);
        o->ice_visible = o->iceberg < rem ? o->iceberg : rem;
    }
    memmove(b->v + lo + 1, b->v + lo, (b->n - lo) * sizeof *b->v);
    b->v[lo] = o;
    b->n++;
    o->in_book = 1;
    s->update_id++;
    touch(s, o);
    ex_oidx_open(ex, o);
    return 0;
}

void ex_book_remove(struct exchange *ex, ex_symbol *s, ex_order *o)
{
    ex_book *b = o->side == EX_BUY ? &s->bids : &s->asks;
    for (size_t i = 0; i < b->n; i++) {
        if (b->v[i] == o) {
            memmove(b->v + i, b->v + i + 1, (b->n - i - 1) * sizeof *b->v);
            b->n--;
            o->in_book = 0;
            s->update_id++;
            touch(s, o);
            ex_oidx_close(ex, o);
            return;
        }
    }
}

void ex_book_free(ex_book *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i]->account == EX_MM_ACCOUNT) free(b->v[i]);
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

int ex_stops_add(struct exchange *ex, ex_symbol *s, ex_order *o)
{
    if (grow(&s->stops, &s->capstops, s->nstops + 1)) return -1;
    s->stops[s->nstops++] = o;
    ex_oidx_open(ex, o);
    return 0;
}

void ex_stops_remove(struct exchange *ex, ex_symbol *s, ex_order *o)
{
    for (size_t i = 0; i < s->nstops; i++) {
        if (s->stops[i] == o) {
            memmove(s->stops + i, s->stops + i + 1, (s->nstops - i - 1) * sizeof *s->stops);
            s->nstops--;
            ex_oidx_close(ex, o);
            return;
        }
    }
}

/* Double the ring (up to EX_RING_CAP). Only while it has never wrapped
 * (head 0), so the trades stay in order; on failure the ring keeps its
 * size and simply wraps sooner. */
static void ring_grow(ex_symbol *s)
{
    size_t cap = s->ring_cap * 2 > EX_RING_CAP ? EX_RING_CAP : s->ring_cap * 2;
    ex_trade *r = realloc(s->ring, cap * sizeof *r);
    if (!r) return;
    s->ring = r;
    s->ring_cap = cap;
}

void ex_ring_push(ex_symbol *s, const ex_trade *t)
{
    if (s->ring_n == s->ring_cap && s->ring_cap && s->ring_cap < EX_RING_CAP && s->ring_head == 0) ring_grow(s);
    if (s->ring_n == s->ring_cap && s->ring_cap)   /* the oldest leaves the avgPrice windows too */
        ex_avg_evict(s, &s->ring[s->ring_head], s->ring_pushed - s->ring_n);
    s->ring_pushed++;
    if (s->ring_n < s->ring_cap) {
        s->ring[(s->ring_head + s->ring_n) % s->ring_cap] = *t;
        s->ring_n++;
    } else {
        s->ring[s->ring_head] = *t;
        s->ring_head = (s->ring_head + 1) % s->ring_cap;
    }
}

const ex_trade *ex_trade_at(const ex_symbol *s, size_t i)
{
    return i < s->ring_n ? &s->ring[(s->ring_head + i) % s->ring_cap] : NULL;
}

/* STP FAQ: original quantity - executed - prevented = available quantity. */
dec_t ex_order_remaining(const ex_order *o)
{
    return o->qty - o->executed - o->prevented_qty;
}

dec_t ex_order_visible(const ex_order *o)
{
    dec_t rem = ex_order_remaining(o);
    return o->iceberg > 0 && o->in_book && o->ice_visible < rem ? o->ice_visible : rem;
}
