/* market.h: market-data views of a symbol (market.c) - klines, rolling
 * statistics, aggregated depth. Call with the exchange lock held. */
#ifndef BC_EX_MARKET_H
#define BC_EX_MARKET_H
#include "exchange_api.h"

typedef struct ex_interval { int64_t us; int months; } ex_interval;
typedef struct ex_kline {
    int64_t open_us, close_us, n;
    int64_t first_id, last_id;    /* trade ids of the bar (-1 when it has no trade) */
    dec_t o, h, l, c, vol, qvol, tbv, tbq;
} ex_kline;
typedef struct ex_stats {
    int64_t open_us, close_us, first_id, last_id, count;
    dec_t open, high, low, last, last_qty, prev_close, volume, quote_volume;
} ex_stats;
typedef struct ex_level { dec_t price, qty; } ex_level;

/* "1s".."1M" (case-sensitive) -> 0, else -1. */
int ex_interval_parse(const char *s, ex_interval *out);
/* Up to limit klines (out has room for limit); start/end -1 = not sent. */
size_t ex_klines_locked(struct exchange *ex, ex_symbol *s, const ex_interval *iv, int64_t start_us,
                        int64_t end_us, size_t limit, int64_t tz_us, ex_kline *out);
void ex_stats_locked(struct exchange *ex, ex_symbol *s, int64_t from_us, int64_t to_us, ex_stats *st);
/* Aggregated price levels of one side, best first. */
size_t ex_depth_locked(ex_symbol *s, int asks, size_t limit, ex_level *out);
#endif
