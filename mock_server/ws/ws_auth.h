/* ws_auth: the WebSocket API security check of one request (key, signature
 * over the WS canonical payload, timing, unread params) - see ws_auth.c. */
#ifndef BC_WS_AUTH_H
#define BC_WS_AUTH_H
#include <stdint.h>
#include "api.h"
#include "buf.h"
#include "errors.h"
#include "params.h"
#include "sig.h"
#include "timing.h"

struct srv;

/* Returned by ws_auth_check when the session's key was revoked: answer with
 * the documented {"id":null,"status":401,"error":{-2015}} frame. */
#define WS_AUTH_REVOKED ((err_id)(ERR__COUNT + 1))

typedef struct ws_auth_in {
    struct srv *srv;
    const char *ip;
    sec_type sec;              /* permission needed (SEC_NONE: any valid key) */
    int need_signature;        /* 0: API key only (legacy listenKey methods) */
    const char *session_key;   /* logged-on key or NULL */
    int session_revoked;
    int lenient;               /* --ws-lenient */
    int64_t now_us;
} ws_auth_in;

typedef struct ws_auth {
    const sig_key *key;
    int account_id;
    char api_key[128];
    int via_session;
    timing_req timing;
    int has_timing;
    buf_t payload;             /* the canonical payload verified */
    const char *verdict;       /* "valid" / "invalid" / "lenient" / NULL */
    const char *mistake;       /* explain diagnosis, e.g. "ws-percent-encoded" */
    char a1[64], a2[64];       /* error template arguments */
} ws_auth;

void ws_auth_init(ws_auth *a);
void ws_auth_free(ws_auth *a);
err_id ws_auth_check(ws_auth *a, const ws_auth_in *in, const params_t *p);
/* -1104 when a sent name is neither WS-level nor in allowed_csv. */
err_id ws_auth_unread(ws_auth *a, const params_t *p, const char *allowed_csv);
#endif
