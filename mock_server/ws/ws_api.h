/* ws_api: one WebSocket API call in flight (shared by ws_api.c, the request
 * pipeline, and ws_session.c, the WS-only methods session.* and
 * userDataStream.*). */
#ifndef BC_WS_API_H
#define BC_WS_API_H
#include <stdint.h>
#include <cjson/cJSON.h>
#include "params.h"
#include "ws_auth.h"
#include "ws_frame.h"
#include "ws_int.h"

typedef struct ws_call {
    ws_conn *c;
    wsf_request fr;
    params_t params;
    int64_t now_us;
    int return_rate_limits;
    int time_unit_us;
    ws_auth auth;
    int weight;
    /* outcome */
    int status;                /* 0: 200 / the catalogue status */
    cJSON *result;             /* success body (owned) */
    err_id err;
    char a1[256], a2[256];
    cJSON *err_data;           /* owned */
    int revoked;               /* the id:null revocation frame was sent instead */
    int not_implemented;       /* a documented method binance-mock lacks (journal note) */
} ws_call;

/* Run ws_auth for the call (sec: permission needed; need_signature 0 for
 * API-key-only methods; allow_session: a logged-on session may stand in for
 * apiKey+signature; allowed_csv: params the method reads, NULL = skip
 * the -1104 check). 0 ok, -1 with k->err set (or k->revoked). */
int ws_call_auth(ws_call *k, sec_type sec, int need_signature, int allow_session,
                 const char *allowed_csv);
/* Charge weight / order count; ERR_NONE or the limiter's error (args in k->a1/a2). */
err_id ws_call_charge(ws_call *k, int weight, int orders);
/* Run a route's handler for the authenticated call and take its outcome. */
void ws_call_handler(ws_call *k, const struct api_route *r);
/* WS-only methods: 1 handled (k->result / k->err set), 0 not one of them. */
int ws_session_dispatch(ws_call *k);
/* Send {"id":null,"status":401,"error":-2015} and forget the session. */
void ws_session_revoke(ws_conn *c);
#endif
