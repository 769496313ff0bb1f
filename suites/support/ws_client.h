/* ws_client: a small WebSocket test client over civetweb's client API
 * (mg_connect_websocket_client): frames received on civetweb's thread are
 * queued; the test thread takes them with a bounded wait. Plus helpers to
 * sign WebSocket API params (sorted, raw UTF-8 payload, lib/sig). */
#ifndef BC_WS_CLIENT_H
#define BC_WS_CLIENT_H
#include <stddef.h>
#include <cjson/cJSON.h>
#include "sig.h"

typedef struct bcws bcws;

/* Connect to ws://127.0.0.1:port<path>. NULL on failure (err filled). */
bcws *bcws_open(int port, const char *path, char *err, size_t errlen);
void bcws_close(bcws *c);
int bcws_send(bcws *c, const char *text);                 /* 0 ok */
int bcws_send_op(bcws *c, int opcode, const char *data, size_t n);
/* Next text frame (malloc'd, caller frees) within timeout_ms, or NULL
 * (timeout / closed). Control frames are counted, not returned. */
char *bcws_recv(bcws *c, int timeout_ms);
cJSON *bcws_recv_json(bcws *c, int timeout_ms);
/* Next frame that has an "id" member (events before it stay queued). */
cJSON *bcws_recv_reply(bcws *c, int timeout_ms);
/* Next frame without "id" / with "subscriptionId" or "event" (an event). */
cJSON *bcws_recv_event(bcws *c, int timeout_ms);
/* Send frame and wait for the reply with an "id" member. */
cJSON *bcws_call(bcws *c, const char *frame, int timeout_ms);
int bcws_pings(bcws *c);                                  /* PING frames received */
const char *bcws_last_ping(bcws *c);                      /* payload of the last one */
/* 1 once the server closed the connection; waits up to timeout_ms. */
int bcws_wait_closed(bcws *c, int timeout_ms);
void bcws_auto_pong(bcws *c, int on);                     /* answer pings (default on) */

/* WS API signing: params "name=value" pairs (values as they go in JSON,
 * numbers unquoted when numeric) -> params JSON object text with apiKey and
 * signature added (signature over the sorted raw payload, unless
 * pct_encode_values, which signs the percent-encoded values: a client bug). */
char *bcws_signed_params(const sig_key *k, const char *api_key, const char *const *pairs,
                         int pct_encode_values);
#endif
