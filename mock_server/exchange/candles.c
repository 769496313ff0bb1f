/* candles.c: the candle store of a symbol - closed candles in four tiers
 * (1m, 5m, 1h, 1d), each a bounded ring of consecutive bars. A minute that
 * has closed is rolled up from the trade ring (or pushed by the history
 * generator / a replay) and cascades into the coarser tiers, so a coarse bar
 * is the exact merge of its children wherever both exist.
 *
 * Regions: tier k answers for [R_k, R_{k-1}), where R_{-1} is the end of the
 * 1m tier (the open minute: the trade ring answers from there), R_k is the
 * start of tier k rounded up to a bar of tier k+1, and the top tier answers
 * from its start. A range merges, region by region, the bars whose open time
 * is in it, then the trades not yet rolled. An interval is served from the
 * coarsest tier whose bar divides it (and the timeZone offset): its klines
 * start where that tier's region starts, so every candle served is exact.
 * Memory: 3010 + 6024 + 12048 + 1100 bars of 80 bytes per symbol (1.8 MB). */
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"
#include "market.h"

static const int64_t gran_us[EX_NTIERS] = { 60000000LL, 300000000LL, 3600000000LL, 86400000000LL };
/* 1000 candles of 3m (50 h of 1m bars), of 30m (500 h of 5m bars), of 12h
 * (500 days of 1h bars), of 1d (plus room for 1w and 1M), with a margin for
 * the rounding of region starts */
static const size_t keep_bars[EX_NTIERS] = { 3000 + 10, 6000 + 24, 12000 + 48, 1100 };

int64_t ex_tier_gran(int k) { return k >= 0 && k < EX_NTIERS ? gran_us[k] : 0; }
size_t ex_tier_keep(int k) { return k >= 0 && k < EX_NTIERS ? keep_bars[k] : 0; }

static int64_t floor_to(int64_t t, int64_t g) { return t >= 0 ? t / g * g : -((-t + g - 1) / g) * g; }
static int64_t ceil_to(int64_t t, int64_t g) { return -floor_to(-t, g); }

static dec_t sat_add(dec_t a, dec_t b) { return a > DEC_MAX - b ? DEC_MAX : a + b; }

const ex_bar *ex_tier_bar(const ex_tier *T, size_t i)
{
    return i < T->n ? &T->v[(T->head + i) % T->cap] : NULL;
}

int64_t ex_tier_end(const ex_tier *T) { return T->start_us + (int64_t)T->n * T->gran_us; }

static void tier_push(ex_tier *T, const ex_bar *b)
{
    if (!T->cap) return;
    if (T->n == T->cap) {                 /* drop the oldest */
        T->head = (T->head + 1) % T->cap;
        T->start_us += T->gran_us;
        T->n--;
    }
    T->v[(T->head + T->n) % T->cap] = *b;
    T->n++;
}

/* acc += b in time order (*have: acc holds something). A bar without trades
 * only carries the close forward, as a kline without trades does. */
void ex_bar_merge(ex_bar *acc, const ex_bar *b, int *have)
{
    if (!*have) { *acc = *b; *have = 1; return; }
    if (b->n == 0) return;
    if (acc->n == 0) {
        int64_t first = acc->first_id;
        *acc = *b;
        acc->first_id = first;
        return;
    }
    if (b->h > acc->h) acc->h = b->h;
    if (b->l < acc->l) acc->l = b->l;
    acc->c = b->c;
    acc->n += b->n;
    acc->vol = sat_add(acc->vol, b->vol);
    acc->qvol = sat_add(acc->qvol, b->qvol);
    acc->tbv = sat_add(acc->tbv, b->tbv);
    acc->tbq = sat_add(acc->tbq, b->tbq);
}

void ex_bar_add_trade(ex_bar *acc, const ex_trade *t, int *have)
{
    dec_t qv = (dec_t)((__int128)t->price * t->qty / DEC_SCALE);
    ex_bar b = { .first_id = t->id, .n = 1, .o = t->price, .h = t->price, .l = t->price, .c = t->price,
                 .vol = t->qty, .qvol = qv, .tbv = t->buyer_maker ? 0 : t->qty, .tbq = t->buyer_maker ? 0 : qv };
    ex_bar_merge(acc, &b, have);
}

int ex_candles_init(ex_symbol *s, int64_t t0_us)
{
    for (int k = 0; k < EX_NTIERS; k++) {
        ex_tier *T = &s->tiers[k];
        if (!T->v) {
            T->v = calloc(keep_bars[k], sizeof *T->v);
            if (!T->v) return -1;
        }
        T->cap = keep_bars[k];
        T->gran_us = gran_us[k];
        T->n = T->head = 0;
        T->start_us = floor_to(t0_us, gran_us[k]);
    }
    return 0;
}

void ex_candles_free(ex_symbol *s)
{
    for (int k = 0; k < EX_NTIERS; k++) {
        free(s->tiers[k].v);
        memset(&s->tiers[k], 0, sizeof s->tiers[k]);
    }
}

int ex_candles_begin(ex_symbol *s, int64_t t0_us)
{
    return ex_candles_init(s, floor_to(t0_us, gran_us[0]));
}

/* Push tier k's newest bar up while tier k ends on a bar of tier k+1. */
static void cascade(ex_symbol *s, int k)
{
    for (; k + 1 < EX_NTIERS; k++) {
        ex_tier *F = &s->tiers[k], *C = &s->tiers[k + 1];
        int64_t end = ex_tier_end(F);
        if (end % C->gran_us) return;
        size_t per = (size_t)(C->gran_us / F->gran_us);
        if (end - ex_tier_end(C) != C->gran_us || F->n < per) {
            if (!C->n) C->start_us = end;     /* started mid-bar: the coarse tier starts here */
            return;
        }
        ex_bar acc;
        int have = 0;
        for (size_t i = F->n - per; i < F->n; i++) ex_bar_merge(&acc, ex_tier_bar(F, i), &have);
        tier_push(C, &acc);
    }
}

int ex_candles_push_minute(ex_symbol *s, const ex_bar *b)
{
    if (!s->tiers[0].cap) return -1;
    tier_push(&s->tiers[0], b);
    cascade(s, 0);
    return 0;
}

/* Index of the first ring trade with time >= t. */
static size_t ring_first_at(const ex_symbol *s, int64_t t)
{
    size_t lo = 0, hi = s->ring_n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ex_trade_at(s, mid)->time_us < t) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* The trades of [from, to) merged into acc. */
static void ring_merge(const ex_symbol *s, int64_t from, int64_t to, ex_bar *acc, int *have)
{
    for (size_t i = ring_first_at(s, from); i < s->ring_n; i++) {
        const ex_trade *t = ex_trade_at(s, i);
        if (t->time_us >= to) break;
        ex_bar_add_trade(acc, t, have);
    }
}

/* The newest known price before time t. */
static dec_t close_before(const ex_symbol *s, int64_t t)
{
    size_t i = ring_first_at(s, t);
    if (i > 0 && ex_tier_end(&s->tiers[0]) <= ex_trade_at(s, i - 1)->time_us + 1) return ex_trade_at(s, i - 1)->price;
    for (int k = 0; k < EX_NTIERS; k++) {
        const ex_tier *T = &s->tiers[k];
        if (!T->n || t <= T->start_us) continue;
        int64_t j = (t - 1 - T->start_us) / T->gran_us;
        if ((size_t)j < T->n) return ex_tier_bar(T, (size_t)j)->c;
    }
    return i > 0 ? ex_trade_at(s, i - 1)->price : s->last_price;
}

void ex_candles_roll(ex_symbol *s, int64_t now_us)
{
    ex_tier *M = &s->tiers[0];
    if (!M->cap) return;
    /* no minute closed yet: the tiers start at the first trade's minute
     * (a replay's first print, or its history before the start) */
    if (!M->n && s->ring_n && floor_to(ex_trade_at(s, 0)->time_us, M->gran_us) != M->start_us)
        ex_candles_init(s, ex_trade_at(s, 0)->time_us);
    for (int64_t end = ex_tier_end(M); end + M->gran_us <= now_us; end = ex_tier_end(M)) {
        ex_bar b;
        int have = 0;
        size_t i = ring_first_at(s, end);
        ring_merge(s, end, end + M->gran_us, &b, &have);
        if (!have) {
            dec_t p = close_before(s, end);
            b = (ex_bar){ .first_id = i < s->ring_n ? ex_trade_at(s, i)->id : s->next_trade_id,
                          .o = p, .h = p, .l = p, .c = p };
        }
        ex_candles_push_minute(s, &b);
    }
}

/* R_k for k = -1..EX_NTIERS-1 in r[k + 1]. */
static void regions(const ex_symbol *s, int64_t r[EX_NTIERS + 1])
{
    r[0] = ex_tier_end(&s->tiers[0]);
    for (int k = 0; k < EX_NTIERS; k++) {
        const ex_tier *T = &s->tiers[k];
        int64_t v = !T->n ? r[k] : k + 1 < EX_NTIERS ? ceil_to(T->start_us, gran_us[k + 1]) : T->start_us;
        r[k + 1] = v < r[k] ? v : r[k];
    }
}

int ex_candles_top(const ex_interval *iv, int64_t tz_us)
{
    for (int k = EX_NTIERS - 1; k >= 0; k--) {
        int64_t g = gran_us[k];
        int64_t len = iv->months ? 86400000000LL : iv->us;   /* months and Monday weeks: whole days */
        if (len % g == 0 && tz_us % g == 0) return k;
    }
    return -1;
}

int64_t ex_candles_data_start(const ex_symbol *s, int top)
{
    if (top < 0) return s->ring_n ? ex_trade_at(s, 0)->time_us : ex_tier_end(&s->tiers[0]);
    int64_t r[EX_NTIERS + 1];
    regions(s, r);
    return r[top + 1];
}

void ex_candles_merge(const ex_symbol *s, int top, int64_t from, int64_t to, ex_bar *acc, int *have)
{
    if (top < 0) { ring_merge(s, from, to, acc, have); return; }
    int64_t r[EX_NTIERS + 1];
    regions(s, r);
    for (int k = top; k >= 0; k--) {
        const ex_tier *T = &s->tiers[k];
        int64_t lo = from > r[k + 1] ? floor_to(from, T->gran_us) : r[k + 1];
        int64_t hi = to < r[k] ? to : r[k];
        if (lo < r[k + 1]) lo = r[k + 1];
        for (int64_t t = lo; t < hi; t += T->gran_us) {
            const ex_bar *b = ex_tier_bar(T, (size_t)((t - T->start_us) / T->gran_us));
            if (b) ex_bar_merge(acc, b, have);
        }
    }
    ring_merge(s, from > r[0] ? from : r[0], to, acc, have);
}

dec_t ex_candles_close_before(const ex_symbol *s, int64_t t) { return close_before(s, t); }
