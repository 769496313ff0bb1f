/* market.c: market data computed from a symbol's trade ring - average
 * price, klines for every Binance interval (with timeZone), rolling-window
 * statistics for the tickers - and the book's aggregated levels. */
#include <string.h>
#include <time.h>
#include "ex_int.h"
#include "market.h"

/* Index of the first trade with time >= t (ring order is time order). */
static size_t first_at(const ex_symbol *s, int64_t t)
{
    size_t lo = 0, hi = s->ring_n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ex_trade_at(s, mid)->time_us < t) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* The ring's trade with absolute index abs (it must be in the ring). */
static const ex_trade *trade_abs(const ex_symbol *s, uint64_t abs)
{
    return ex_trade_at(s, (size_t)(abs - (s->ring_pushed - s->ring_n)));
}

static void win_add(struct ex_avg_win *w, const ex_trade *t, int sign)
{
    w->q += sign * (__int128)t->qty;
    w->v += sign * (__int128)t->price * t->qty;
}

void ex_avg_evict(ex_symbol *s, const ex_trade *t, uint64_t abs)
{
    for (size_t k = 0; k < sizeof s->avg_win / sizeof s->avg_win[0]; k++) {
        struct ex_avg_win *w = &s->avg_win[k];
        if (w->mins && w->lo == abs && w->hi > abs) { win_add(w, t, -1); w->lo++; }
    }
}

/* The cached window for mins (a free or the least useful slot otherwise),
 * moved to [lo, hi) by adding and removing only the trades in between: the
 * sums equal a fresh sum over the window, at O(trades since the last call). */
static struct ex_avg_win *avg_window(ex_symbol *s, int mins, uint64_t lo, uint64_t hi)
{
    size_t nw = sizeof s->avg_win / sizeof s->avg_win[0], k = 0;
    while (k < nw && s->avg_win[k].mins != mins) k++;
    if (k == nw) {
        for (k = 0; k < nw - 1 && s->avg_win[k].mins; k++) {}
        s->avg_win[k] = (struct ex_avg_win){ .mins = mins, .lo = lo, .hi = lo };
    }
    struct ex_avg_win *w = &s->avg_win[k];
    uint64_t base = s->ring_pushed - s->ring_n;
    if (w->hi < base || w->lo < base) { w->lo = w->hi = lo; w->q = w->v = 0; }   /* defensive: stale */
    while (w->hi < hi) win_add(w, trade_abs(s, w->hi++), 1);
    while (w->lo < lo) win_add(w, trade_abs(s, w->lo++), -1);
    while (w->lo > lo) win_add(w, trade_abs(s, --w->lo), 1);
    return w;
}

dec_t ex_avg_price_locked(struct exchange *ex, ex_symbol *s, int mins, int64_t *close_us)
{
    int64_t from = ex->now_us - (int64_t)mins * 60000000LL;
    uint64_t base = s->ring_pushed - s->ring_n;
    const struct ex_avg_win *w = avg_window(s, mins > 0 ? mins : -1, base + first_at(s, from), s->ring_pushed);
    __int128 q = w->q, v = w->v;
    if (close_us) *close_us = s->ring_n ? ex_trade_at(s, s->ring_n - 1)->time_us : ex->now_us;
    if (q == 0) return s->last_price;
    return (dec_t)(v / q);
}

static const struct { const char *name; int64_t sec; int months; } intervals[] = {
    { "1s", 1, 0 }, { "1m", 60, 0 }, { "3m", 180, 0 }, { "5m", 300, 0 }, { "15m", 900, 0 },
    { "30m", 1800, 0 }, { "1h", 3600, 0 }, { "2h", 7200, 0 }, { "4h", 14400, 0 },
    { "6h", 21600, 0 }, { "8h", 28800, 0 }, { "12h", 43200, 0 }, { "1d", 86400, 0 },
    { "3d", 259200, 0 }, { "1w", 604800, 0 }, { "1M", 0, 1 },
};

int ex_interval_parse(const char *s, ex_interval *out)
{
    for (size_t i = 0; s && i < sizeof intervals / sizeof intervals[0]; i++) {
        if (!strcmp(intervals[i].name, s)) {
            out->us = intervals[i].sec * 1000000LL;
            out->months = intervals[i].months;
            return 0;
        }
    }
    return -1;
}

static int64_t bucket_start(const ex_interval *iv, int64_t t, int64_t tz)
{
    int64_t x = t + tz;
    if (iv->months) {
        time_t sec = (time_t)(x >= 0 ? x / 1000000 : (x - 999999) / 1000000);
        struct tm tm;
        gmtime_r(&sec, &tm);
        tm.tm_mday = 1; tm.tm_hour = 0; tm.tm_min = 0; tm.tm_sec = 0;
        return (int64_t)timegm(&tm) * 1000000LL - tz;
    }
    int64_t off = iv->us == 604800000000LL ? 3 * 86400000000LL : 0;   /* weeks start Monday */
    int64_t y = x + off, b = y >= 0 ? y / iv->us * iv->us : -((-y + iv->us - 1) / iv->us) * iv->us;
    return b - off - tz;
}

static int64_t bucket_next(const ex_interval *iv, int64_t b, int64_t tz)
{
    if (!iv->months) return b + iv->us;
    return bucket_start(iv, b + 32LL * 86400000000LL, tz);
}

static void kline_from_bar(ex_kline *k, const ex_bar *b, int have, dec_t prev_close)
{
    if (!have || b->n == 0) {
        k->o = k->h = k->l = k->c = have ? b->c : prev_close;
        k->first_id = k->last_id = -1;
        return;
    }
    k->o = b->o; k->h = b->h; k->l = b->l; k->c = b->c;
    k->vol = b->vol; k->qvol = b->qvol; k->tbv = b->tbv; k->tbq = b->tbq;
    k->n = b->n;
    k->first_id = b->first_id;
    k->last_id = b->first_id + b->n - 1;
}

/* Klines from the candle store (candles.c): an interval starts where the
 * coarsest tier that divides it starts; 1s klines come from the trade ring. */
size_t ex_klines_locked(struct exchange *ex, ex_symbol *s, const ex_interval *iv, int64_t start_us,
                        int64_t end_us, size_t limit, int64_t tz_us, ex_kline *out)
{
    if (limit == 0) return 0;
    int top = ex_candles_top(iv, tz_us);
    int64_t data0 = ex_candles_data_start(s, top);
    if (top < 0 && !s->ring_n) return 0;
    int64_t first = bucket_start(iv, data0, tz_us);
    if (first < data0) first = bucket_next(iv, first, tz_us);   /* whole candles only */
    int64_t last_t = end_us >= 0 && end_us < ex->now_us ? end_us : ex->now_us;
    int64_t b;
    if (start_us >= 0) {
        /* klines whose open time is >= startTime */
        b = bucket_start(iv, start_us, tz_us);
        if (b < start_us) b = bucket_next(iv, b, tz_us);
        if (b < first) b = first;
    } else {
        b = bucket_start(iv, last_t, tz_us);
        for (size_t i = 1; i < limit && b > first; i++) b = bucket_start(iv, b - 1, tz_us);
        if (b < first) b = first;
    }
    dec_t prev = ex_candles_close_before(s, b);
    size_t n = 0;
    while (n < limit && b <= last_t) {
        ex_kline *k = &out[n];
        memset(k, 0, sizeof *k);
        k->open_us = b;
        int64_t nb = bucket_next(iv, b, tz_us);
        k->close_us = nb - 1000;     /* Binance: closeTime = next open - 1 ms */
        ex_bar acc;
        int have = 0;
        ex_candles_merge(s, top, b, nb, &acc, &have);
        kline_from_bar(k, &acc, have, prev);
        prev = k->c;
        n++;
        b = nb;
    }
    return n;
}

/* Rolling statistics over [from, to]: the candle store's bars (from rounded
 * down to the bar containing it, as Binance's windows may open up to a
 * minute early) and the trades not yet rolled. */
void ex_stats_locked(struct exchange *ex, ex_symbol *s, int64_t from_us, int64_t to_us, ex_stats *st)
{
    (void)ex;
    memset(st, 0, sizeof *st);
    st->open_us = from_us;
    st->close_us = to_us;
    st->first_id = st->last_id = -1;
    st->prev_close = ex_candles_close_before(s, from_us - from_us % 60000000LL);
    ex_bar acc;
    int have = 0;
    ex_candles_merge(s, EX_NTIERS - 1, from_us, to_us + 1, &acc, &have);
    if (have && acc.n > 0) {
        st->open = acc.o; st->high = acc.h; st->low = acc.l; st->last = acc.c;
        st->volume = acc.vol; st->quote_volume = acc.qvol;
        st->count = acc.n;
        st->first_id = acc.first_id;
        st->last_id = acc.first_id + acc.n - 1;
        size_t i = first_at(s, to_us + 1);
        if (i > 0) st->last_qty = ex_trade_at(s, i - 1)->qty;
    }
    if (st->count == 0) st->last = s->last_price;
}

size_t ex_depth_locked(ex_symbol *s, int asks, size_t limit, ex_level *out)
{
    const ex_book *b = asks ? &s->asks : &s->bids;
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        const ex_order *o = b->v[i];
        if (n && out[n - 1].price == o->price) { out[n - 1].qty += ex_order_visible(o); continue; }
        if (n == limit) break;
        out[n].price = o->price;
        out[n].qty = ex_order_visible(o);
        n++;
    }
    return n;
}
