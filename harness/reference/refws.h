/* refws: the reference client's WebSocket side: the WS API (/ws-api/v3:
 * per-request signing over the sorted raw UTF-8 payload, Ed25519
 * session.logon, logged-on requests), user data on the WS API connection,
 * market streams (/ws/<name>, /stream?streams=), and reconnection after a
 * dropped connection or serverShutdown. Transport: civetweb's WebSocket
 * client through suites/support/ws_client.c (bcws), local server only. */
#ifndef BC_REFWS_H
#define BC_REFWS_H
#include <stddef.h>
#include <cjson/cJSON.h>
#include "refclient.h"

#define REF_WS_MAX_STREAMS 8

typedef struct bcws bcws;

typedef struct ref_ws_stream {
    char handle[16];
    bcws *c;                     /* NULL for user data (events of the API connection) */
    int combined;
    int seen;                    /* market events received (stream-skip mutant) */
} ref_ws_stream;

typedef struct ref_ws {
    ref_client *rc;              /* key, apiKey, recvWindow, clock offset, mutations */
    int port;
    char api_path[128], stream_base[128];
    bcws *api;
    int logged_on;               /* session.logon succeeded: re-logon after a reconnect */
    int reconnects;              /* connections re-opened after a drop / serverShutdown */
    long next_id;
    ref_ws_stream st[REF_WS_MAX_STREAMS];
    int nst, next_handle;
    long long closed_seen_ms;    /* ws-reconnect-late: when a call first found it closed */
    bcws *kept[32];              /* ws-keep-old: earlier clients' connections, left open */
    int nkept;
} ref_ws;

void ref_ws_init(ref_ws *w);
void ref_ws_free(ref_ws *w);          /* keeps the ws-keep-old connections */
void ref_ws_release(ref_ws *w);       /* at exit: everything */
int ref_ws_available(const ref_ws *w);
/* URLs from configure (ws://127.0.0.1:PORT/ws-api/v3, ws://127.0.0.1:PORT/ws). 0 ok;
 * other hosts leave the WS side unavailable (ref_ws_available 0), REST unaffected. */
int ref_ws_configure(ref_ws *w, ref_client *rc, const char *api_url, const char *stream_url,
                     char *err, size_t n);
/* One WS API request; returns the answer frame (caller frees) or NULL (err).
 * sign: apiKey + timestamp + signature; session: timestamp only (after logon). */
cJSON *ref_ws_call(ref_ws *w, const char *method, const cJSON *params, int sign, int session,
                   const cJSON *id, char *err, size_t n);
cJSON *ref_ws_logon(ref_ws *w, char *err, size_t n);
/* kind "market" (streams, combined) or "userData"; handle copied to out. 0 ok. */
int ref_ws_subscribe(ref_ws *w, const cJSON *params, char *out, size_t outn, cJSON **frame,
                     char *err, size_t n);
/* Next event of a handle (match: top-level fields that must be equal). NULL: err. */
cJSON *ref_ws_next(ref_ws *w, const char *handle, int timeout_ms, const cJSON *match, char *err,
                   size_t n);
int ref_ws_stream_close(ref_ws *w, const char *handle);
void ref_ws_close(ref_ws *w);
#endif
