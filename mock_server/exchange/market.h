/* market.h: market-data views of a symbol (market.c) - klines, rolling
 * statistics, aggregated depth. Call with the exchange lock held. */
#ifndef BC_EX_MARKET_H
#define BC_EX_MARKET_H
#include "exchange_api.h"

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

/* ---- the candle store (candles.c) ----
 * How a replay feeds a symbol: ex_market_replay_begin(ex, s, t0) (lock
 * held; again after every exchange_reset, which reloads the symbols) marks
 * it replayed - the simulator then leaves it alone: no synthetic history,
 * no steps, no gap drawing - cancels the market maker's orders on it,
 * empties its trade ring and starts its tiers empty at t0's minute. Then
 * push closed minutes in time order with ex_candles_push_minute (klines
 * files; first_id/n keep trade ids contiguous) and/or trades with
 * ex_ring_push (ids contiguous, times in order, s->next_trade_id and
 * s->last_price kept up to date); exchange_advance rolls the trades of every
 * minute that has closed into the tiers (ex_candles_roll). */
int ex_market_replay_begin(struct exchange *ex, ex_symbol *s, int64_t t0_us);
void ex_ring_push(ex_symbol *s, const ex_trade *t);               /* book.c */
int ex_candles_init(ex_symbol *s, int64_t t0_us);      /* allocate / empty at t0 */
int ex_candles_begin(ex_symbol *s, int64_t t0_us);     /* empty, starting on t0's minute */
void ex_candles_free(ex_symbol *s);
/* Append the minute at the end of the 1m tier; coarser tiers follow. */
int ex_candles_push_minute(ex_symbol *s, const ex_bar *b);
/* Close every minute that ended by now_us from the trade ring. */
void ex_candles_roll(ex_symbol *s, int64_t now_us);
int64_t ex_tier_gran(int k);
size_t ex_tier_keep(int k);
int64_t ex_tier_end(const ex_tier *T);
const ex_bar *ex_tier_bar(const ex_tier *T, size_t i); /* 0 = oldest */
void ex_bar_merge(ex_bar *acc, const ex_bar *b, int *have);
void ex_bar_add_trade(ex_bar *acc, const ex_trade *t, int *have);

typedef struct ex_interval { int64_t us; int months; } ex_interval;
/* The coarsest tier serving an interval at a timeZone offset (-1: trades only). */
int ex_candles_top(const ex_interval *iv, int64_t tz_us);
/* Where the data of that tier (and the finer ones) starts. */
int64_t ex_candles_data_start(const ex_symbol *s, int top);
/* Merge of [from, to) from tiers top..0 and the ring (a bar counts when its
 * open time, from rounded down to its tier, is in the range). */
void ex_candles_merge(const ex_symbol *s, int top, int64_t from, int64_t to, ex_bar *acc, int *have);
dec_t ex_candles_close_before(const ex_symbol *s, int64_t t);

/* "1s".."1M" (case-sensitive) -> 0, else -1. */
int ex_interval_parse(const char *s, ex_interval *out);
/* Up to limit klines (out has room for limit); start/end -1 = not sent. */
size_t ex_klines_locked(struct exchange *ex, ex_symbol *s, const ex_interval *iv, int64_t start_us,
                        int64_t end_us, size_t limit, int64_t tz_us, ex_kline *out);
void ex_stats_locked(struct exchange *ex, ex_symbol *s, int64_t from_us, int64_t to_us, ex_stats *st);
/* Aggregated price levels of one side, best first. */
size_t ex_depth_locked(ex_symbol *s, int asks, size_t limit, ex_level *out);
#endif
