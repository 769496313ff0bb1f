/* bcs_test: cmocka glue shared by the server suites: a group setup that
 * starts one binance-mock per suite (state = bcs_mock *), the frozen-clock
 * fixture (state = bcs_fx *) and assertion helpers for Binance errors. */
#ifndef BC_BCS_TEST_H
#define BC_BCS_TEST_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "bcs.h"
#include "errors.h"
#include "sig.h"
#include "ws_client.h"

/* Start a mock with args (NULL-terminated) into *state. */
int bcs_group_start(void **state, const char *const *args);
int bcs_group_stop(void **state);
/* Default group setup: no extra args. */
int bcs_group_setup(void **state);

/* The frozen-clock fixture: one mock, its clock frozen at the real time when
 * started, and optionally a signing key of vectors/keys/. */
typedef struct bcs_fx {
    bcs_mock m;
    int64_t now_ms;            /* the frozen server clock */
    sig_key *key;              /* NULL unless started with bcs_fx_start_signed */
    const char *api_key;
} bcs_fx;

int64_t bcs_real_ms(void);
/* Start a mock with args (NULL-terminated or NULL) into *state, freeze its
 * clock at the real time, then advance it by advance_ms (0: not at all) so
 * the simulator builds its books. 0 ok, -1 error. */
int bcs_fx_start(void **state, const char *const *args, int64_t advance_ms);
/* bcs_fx_start(state, NULL, 0), signing with vectors/keys/<key_file>. */
int bcs_fx_start_signed(void **state, const char *key_file);
/* Stop the mock (if still running) and free the fixture. */
int bcs_fx_stop(void **state);
/* Open a WebSocket to path on the fixture's mock, or fail the test. */
bcws *bcs_fx_ws(const bcs_fx *f, const char *path);
/* One round trip on a fresh connection (LIST_SUBSCRIPTIONS on a stream, ping
 * on the WS API), so the server has surely registered it. */
void bcs_fx_ws_sync(bcws *c, const char *path, int timeout_ms);
/* Signed REST call at the frozen clock: params without timestamp (appended). */
void bcs_fx_call(bcs_fx *f, const char *method, const char *path, const char *params,
                 const char *const *hdrs, bcs_resp *r);

/* bcs_wsuser.c: a string field ("" if absent), a number field, o's keys
 * exactly keys[] (NULL-terminated) in that order, the result of a WS API
 * answer asserted 200, and a WS API connection logged on (session.logon,
 * vectors/keys/ed25519.pem, at the frozen clock) and subscribed to user data. */
const char *bcs_jstr(const cJSON *o, const char *k);
double bcs_jnum(const cJSON *o, const char *k);
void bcs_assert_keys(const cJSON *o, const char *const *keys);
const cJSON *bcs_ws_ok(const cJSON *r);
bcws *bcs_fx_ws_user(bcs_fx *f, int timeout_ms);

/* Assert status, code and message of catalogue row id (with a1/a2) against
 * the oracle suites/data/binance_errors.json (literals from Binance's docs). */
#define bcs_assert_err(r, id, a1, a2) bcs_assert_err_((r), 0, (id), (a1), (a2), __FILE__, __LINE__)
/* Same with an endpoint-specific HTTP status (e.g. 410 for the retired
 * listenKey endpoints' -1016): code and message still from the oracle. */
#define bcs_assert_err_status(r, status, id, a1, a2) \
    bcs_assert_err_((r), (status), (id), (a1), (a2), __FILE__, __LINE__)
void bcs_assert_err_(const bcs_resp *r, int status, err_id id, const char *a1, const char *a2,
                     const char *file, int line);
#endif
