/* sor_route.c: the multi-book routing of SOR orders - which book of the
 * order's SOR configuration holds the next maker, the merged dry run that
 * sizes a MARKET BUY's lock (and a FOK's check), the 1:1 quote swap through
 * the SOR liquidity account, and the books an SOR order touched (their
 * depthUpdate and stop triggers). The engine (engine.c) calls these hooks;
 * a plain order never reaches them.
 *
 * faqs/sor_faq.md: an SOR order takes the best price across every book of
 * its configuration (same base asset, quote assets interchangeable 1:1); the
 * taker always pays / receives the quote asset of the symbol it was sent to.
 * Where the docs are silent (docs/sor.md):
 *  - ties between books at one price: the submitted symbol's book first, then
 *    the others in the order the "sors" group lists them;
 *  - the swap: the docs do not say how the quote assets change hands. Here an
 *    internal account, the SOR liquidity account (__sor_liquidity, GET
 *    /__admin/sor), takes the taker's quote and pays the maker's (and the
 *    reverse for a SELL). Its balances start at 0 and may go negative: per
 *    configuration they always sum to 0 over the quote assets, and they count
 *    in every asset's supply, so every asset stays conserved;
 *  - self-trade prevention applies across the books (the same account's
 *    resting order in another book of the configuration is a self-trade). */
#include <string.h>
#include "ex_int.h"

static int sor_crosses(const ex_order *m, ex_side side, dec_t limit)
{
    if (limit <= 0) return 1;
    return side == EX_BUY ? m->price <= limit : m->price >= limit;
}

/* 1 if a is a strictly better price than b for a taker on side */
static int better(ex_side side, dec_t a, dec_t b) { return side == EX_BUY ? a < b : a > b; }

int ex_sor_peers(struct exchange *ex, int sym, int *out, int max)
{
    int n = 0;
    if (max < 1) return 0;
    out[n++] = sym;                          /* the submitted symbol's book first */
    ex_symbol *own = ex_symbol_at(ex, (size_t)sym);
    const cJSON *g;
    cJSON_ArrayForEach(g, ex->sors) {
        const cJSON *syms = cJSON_GetObjectItemCaseSensitive(g, "symbols"), *it;
        int member = 0;
        cJSON_ArrayForEach(it, syms)
            if (own && cJSON_IsString(it) && !strcmp(it->valuestring, own->name)) member = 1;
        if (!member) continue;
        cJSON_ArrayForEach(it, syms) {
            ex_symbol *p = cJSON_IsString(it) ? ex_symbol_find(ex, it->valuestring) : NULL;
            int pi = p ? ex_symbol_index(ex, p) : -1;
            if (pi >= 0 && pi != sym && n < max) out[n++] = pi;
        }
        break;                               /* the first group naming the symbol */
    }
    return n;
}

ex_order *ex_sor_next_maker(struct exchange *ex, const ex_order *t, dec_t limit, ex_symbol **book)
{
    int peers[EX_SOR_MAX];
    int n = ex_sor_peers(ex, t->sym, peers, EX_SOR_MAX);
    ex_order *best = NULL;
    for (int i = 0; i < n; i++) {
        ex_symbol *s = &ex->syms[peers[i]];
        ex_book *b = t->side == EX_BUY ? &s->asks : &s->bids;
        if (!b->n || !sor_crosses(b->v[0], t->side, limit)) continue;
        if (!best || better(t->side, b->v[0]->price, best->price)) {
            best = b->v[0];
            *book = s;
        }
    }
    return best;
}

void ex_sor_dry_run(struct exchange *ex, int sym, int account, ex_side side, dec_t limit, dec_t qty,
                    dec_t *filled, dec_t *cost)
{
    int peers[EX_SOR_MAX];
    size_t at[EX_SOR_MAX] = { 0 };
    int n = ex_sor_peers(ex, sym, peers, EX_SOR_MAX);
    dec_t f = 0, c = 0;
    while (qty <= 0 || f < qty) {
        int bi = -1;
        const ex_order *m = NULL;
        for (int i = 0; i < n; i++) {
            const ex_symbol *s = &ex->syms[peers[i]];
            const ex_book *b = side == EX_BUY ? &s->asks : &s->bids;
            while (at[i] < b->n && b->v[at[i]]->account == account) at[i]++;   /* STP: own orders */
            if (at[i] >= b->n || !sor_crosses(b->v[at[i]], side, limit)) continue;
            if (!m || better(side, b->v[at[i]]->price, m->price)) { m = b->v[at[i]]; bi = i; }
        }
        if (!m) break;
        at[bi]++;
        dec_t q = ex_order_remaining(m);
        if (qty > 0 && q > qty - f) q = qty - f;
        if (q <= 0) break;
        f += q;
        c += (dec_t)((__int128)m->price * q / DEC_SCALE);
    }
    *filled = f;
    *cost = c;
}

void ex_sor_swap(struct exchange *ex, ex_side taker_side, const char *taker_quote, const char *book_quote,
                 dec_t quote)
{
    /* a BUY taker pays taker_quote in, the maker is paid book_quote out; a SELL the reverse */
    ex_sor_ledger_add(ex, taker_quote, taker_side == EX_BUY ? quote : -quote);
    ex_sor_ledger_add(ex, book_quote, taker_side == EX_BUY ? -quote : quote);
    ex->sor_cross_fills++;
}

void ex_sor_mark(struct exchange *ex, const ex_order *o, ex_sor_marks *mk)
{
    mk->n = ex_sor_peers(ex, o->sym, mk->sym, EX_SOR_MAX);
    for (int i = 0; i < mk->n; i++) mk->first[i] = ex->syms[mk->sym[i]].update_id;
}

void ex_sor_flush_depth(struct exchange *ex, const ex_sor_marks *mk, int64_t now_us)
{
    for (int i = 1; i < mk->n; i++) {        /* [0] is the submitted symbol: execute() emits it */
        ex_symbol *s = &ex->syms[mk->sym[i]];
        if (s->update_id != mk->first[i]) ex_emit_depth(ex, s, mk->first[i] + 1, now_us);
    }
}

dec_t ex_sor_ledger_balance(struct exchange *ex, const char *asset)
{
    for (size_t i = 0; i < ex->nsor_ledger; i++)
        if (!strcmp(ex->sor_ledger[i].asset, asset)) return ex->sor_ledger[i].free;
    return 0;
}

int64_t ex_sor_cross_fills(struct exchange *ex) { return ex->sor_cross_fills; }
