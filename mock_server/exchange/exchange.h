/* exchange: the mock exchange behind the endpoint handlers - symbols and
 * filters, accounts and balances, order books and the matching engine, the
 * seeded market simulator and event emission. Pure C, no HTTP. This header is
 * contract A (lifecycle, used by the server core); the trading / market data
 * API used by the endpoint handlers lives in exchange_api.h.
 * The exchange is internally locked: every function is safe to call from
 * many threads. */
#ifndef BC_EXCHANGE_H
#define BC_EXCHANGE_H
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

struct exchange;

typedef struct exchange_opts {
    const char *symbols_file;   /* NULL = built-in default symbol set */
    uint64_t seed;              /* market simulator seed */
    int64_t now_us;             /* virtual clock at start, µs */
    int64_t retention_us;       /* archive closed orders this long after closing; 0 = never */
    int keep_filled;            /* 1 = never archive orders with fills (Binance's rule) */
    const char *replay_dir;     /* --replay DIR (docs/replay.md); NULL = the simulated market */
    int64_t replay_speed_milli; /* --replay-speed x 1000 (0 = 1000) */
    int64_t replay_history_ms;  /* --replay-history-ms */
    int64_t replay_start_ms;    /* --replay-start-ms (0 = next whole minute) */
    int replay_fill_touch;      /* --replay-fill touch */
    size_t replay_max_events;   /* --replay-max-events (0 = default) */
} exchange_opts;

/* Event listener: every user-data event (executionReport,
 * outboundAccountPosition, balanceUpdate, listStatus; account_id >= 0) and market event
 * (trade, aggTrade, depthUpdate with U/u, kline, bookTicker; account_id = -1)
 * as Binance-shaped JSON, called from the code path that changes the state,
 * with the exchange lock held: the listener must not call back into the
 * exchange and must copy what it keeps. */
typedef void (*exchange_listener)(void *ud, const cJSON *event, int account_id);

struct exchange *exchange_new(const exchange_opts *o, char *err, size_t errlen);
void exchange_free(struct exchange *ex);
/* Admin reset: books, orders, trades, simulator back to the start state;
 * accounts keep their names and ids but their balances return to the last
 * values set by exchange_account_add. */
void exchange_reset(struct exchange *ex, int64_t now_us);
/* Account id 0 is the simulator's market maker ("__market_maker": huge
 * balances, no commission), so every trade has two real sides and assets are
 * conserved; accounts added here get ids from 1.
 * balances: {"USDT":"10000.00","BTC":"1"} (strings or numbers) or
 * [{"asset":"USDT","free":"10000"}]. Returns the id, or -1 on bad input.
 * An existing name keeps its id and gets these balances. */
int exchange_account_add(struct exchange *ex, const char *name, const cJSON *balances);
int exchange_account_find(struct exchange *ex, const char *name);
/* Run the market simulator up to now_us (lazy catch-up; deterministic for a
 * given seed and sequence of clock values). */
void exchange_advance(struct exchange *ex, int64_t now_us);
void exchange_set_listener(struct exchange *ex, exchange_listener fn, void *ud);
#endif
