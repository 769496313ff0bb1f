/* ws_names: market stream names - validation of the names clients subscribe
 * to, the /ws/<a>/<b> and /stream?streams=a/b URL forms, and the stream names
 * an exchange event feeds. Pure functions (unit-testable). */
#ifndef BC_WS_NAMES_H
#define BC_WS_NAMES_H
#include <stddef.h>
#include <cjson/cJSON.h>

#define WSN_MAX 160                 /* longest stream name accepted, bytes */
#define WSN_EVENT_MAX 4             /* stream names one event can feed */

/* 1 if name is a stream this mock serves: <symbol>@trade|aggTrade|blockTrade|
 * referencePrice|kline_<interval>[@+08:00]|depth[@100ms|@1000ms]|
 * depth<5|10|20>[@100ms|@1000ms]|bookTicker|miniTicker|ticker|
 * ticker_<1h|4h|1d>|avgPrice (symbol lower-case), !miniTicker@arr,
 * !ticker_<1h|4h|1d>@arr, or a 64-char alphanumeric listenKey
 * (is_listen_key set). */
int wsn_valid(const char *name, int *is_listen_key);
/* 1 if name has the shape of a stream name even though its symbol part may
 * be upper-case or unknown (Binance accepts those and stays silent); 0 for a
 * malformed name ("invalid stream"). */
int wsn_shape_ok(const char *name);
/* Split "a/b/c" (from /ws/a/b/c or ?streams=a/b/c) into names, appended to
 * *v (realloc'd, each strdup'd). Returns the count added, -1 oom/too long. */
int wsn_split(const char *list, char ***v, size_t *n, size_t max);
/* The value of streams= in a query string, percent-decoded into out. 0 ok, -1 none. */
int wsn_query_streams(const char *query, char *out, size_t cap);
/* Stream names fed by a real-time market event (trade, aggTrade,
 * blockTrade, bookTicker). Returns how many. */
int wsn_event_streams(const cJSON *ev, char out[WSN_EVENT_MAX][WSN_MAX]);
/* Partial book stream: levels (5/10/20) of "sym@depth10[@100ms]", else 0;
 * the symbol (lower-case) is copied to sym. */
int wsn_partial_depth(const char *name, char *sym, size_t cap);
#endif
