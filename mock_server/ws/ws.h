/* ws: the WebSocket side of binance-mock - the WebSocket API (/ws-api/v3),
 * market streams (/ws/<stream>[/<stream>...], /stream?streams=a/b) and user
 * data streams (WS API subscriptions; legacy /ws/<listenKey> in profile
 * 2025-12). All WebSocket state lives in one struct ws_hub that hangs off the
 * server context; the hub is the exchange's (single) event listener and fans
 * events out to the connections. Everything time-based reads srv_now_us(). */
#ifndef BC_WS_H
#define BC_WS_H
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

struct srv;
struct mg_context;
struct ws_hub;

typedef struct ws_opts {
    int64_t ping_interval_us;     /* server ping frame period; default 20 s */
    int64_t pong_timeout_us;      /* close when a ping is unanswered this long; default 60 s */
    int64_t max_lifetime_us;      /* connection lifetime; default 24 h */
    int max_connections;          /* concurrent WS connections; 0 = default 300 */
    int max_connections_cap;      /* bound on max_connections (3/4 of the worker threads,
                                   * so -1034 is reachable and REST keeps a quarter); 0 none */
    int max_streams;              /* streams per connection; 0 = default 1024 */
    int lenient;                  /* --ws-lenient: accept signatures over percent-encoded values */
    int tick_ms;                  /* real-time poll period of the ticker thread; default 50 */
    int max_msgs_per_sec;         /* streams: incoming messages per second (virtual clock) before
                                     the connection is dropped; default 5, 0 = no limit */
    int unknown_stream_error;     /* --ws-unknown-stream error: unknown symbols answer
                                     "invalid stream" too (default: accepted, silent, journalled) */
} ws_opts;

void ws_opts_default(ws_opts *o);
/* Create the hub: installs itself as the exchange listener (srv_exchange(s)). */
struct ws_hub *ws_hub_new(struct srv *s, const ws_opts *o, char *err, size_t errlen);
/* mg_set_websocket_handler for /ws-api/v3, /ws and /stream; starts the ticker thread. */
void ws_hub_register(struct ws_hub *h, struct mg_context *ctx);
/* Send serverShutdown to every connection ({"event":{..}} on the WS API, the
 * raw event or {"stream":"!serverShutdown","data":{..}} on streams), then
 * close every connection. Call before mg_stop(). */
void ws_hub_shutdown(struct ws_hub *h);
/* Stop the ticker, detach the listener, free. Call after mg_stop(). */
void ws_hub_free(struct ws_hub *h);
/* Admin key revoke: sessions logged on with api_key are revoked on their next request. */
void ws_hub_revoke_key(struct ws_hub *h, const char *api_key);
/* Admin faults, routed from /__admin/ws/<action> (JSON in, JSON out):
 *   "list"                       -> {"connections":[{id,kind,path,ip,apiKey,streams,...}]}
 *   "config"   {"pingIntervalMs","pongTimeoutMs","maxLifetimeMs","maxConnections","lenient",
 *               "maxMessagesPerSec","maxStreams",
 *               "readyDelayMs" (fault: the post-101 handler waits this long, real time)}
 *                                -> the options now in force (all fields optional)
 *   "drop"     {"conn":id?, "graceful":bool}
 *                                -> cut (all, or one) connection: by default the TCP
 *                                   connection closes without a close frame (abnormal
 *                                   closure, triggered by the client's next frame - a
 *                                   ping is sent to provoke the pong); graceful: close frame
 *   "delay"    {"ms":N,"count":C}-> the next C WS API responses are sent N ms late (real time, <= 30 s)
 *   "withhold" {"count":C}       -> the next C WS API responses are never sent
 *   "shutdown" {"close":bool}    -> serverShutdown event on every connection kind (and close when close=true)
 *   "blockTrade" {"symbol","price","qty","buyerMaker"?}
 *                                -> a blockTrade event on <symbol>@blockTrade (the event)
 * Returns an HTTP status (200, 400 bad request, 404 unknown action); *out is a
 * new JSON object (also for errors: {"error":"..."}). */
int ws_hub_admin(struct ws_hub *h, const char *action, const cJSON *req, cJSON **out);
/* Number of open WS connections (for /__admin and tests). */
int ws_hub_count(struct ws_hub *h);
/* The server reset: drop every connection (as /__admin/ws/drop: a ping, and
 * the client's pong - or any frame - ends the TCP connection at once), then
 * wait (real time, at most max_ms) until they are gone. Returns how many
 * are still open; *closed (may be NULL) says how many were closed. */
int ws_hub_reset(struct ws_hub *h, int max_ms, int *closed);

/* In-process connections (ws_inproc.c, used by fuzz/): opened on the hub as
 * /ws-api/v3, /ws/<streams> or /stream?streams=.. with the URL query (may be
 * NULL), fed whole text messages through the real handlers; every frame the
 * server sends (op = WebSocket opcode) goes to sink. NULL when the handshake
 * would be refused. */
struct ws_conn;
typedef void (*ws_inproc_sink)(void *ud, int op, const char *data, size_t n);
struct ws_conn *ws_inproc_open(struct ws_hub *h, const char *uri, const char *query,
                               const char *ip, ws_inproc_sink sink, void *ud);
void ws_inproc_text(struct ws_conn *c, const char *text, size_t n);
void ws_inproc_close(struct ws_conn *c);
#endif
