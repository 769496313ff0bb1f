/* server_ws_api: the WebSocket API (/ws-api/v3) of the real binance-mock over
 * a socket - frames and id types, request errors, rateLimits and timeUnit,
 * per-request HMAC/RSA/Ed25519 signing (sorted raw UTF-8 payload, the
 * percent-encoded mistake and --ws-lenient), Ed25519 session logon, user
 * data stream subscriptions, key revocation. The clock is frozen through
 * the admin API so timestamps are exact. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bcs_test.h"

#define WAIT_MS (10000 * bcs_slow())

typedef bcs_fx fx;


static int setup(void **state) { return bcs_fx_start(state, NULL, 0); }

static int setup_lenient(void **state)
{
    static const char *const args[] = { "--ws-lenient", NULL };
    return bcs_fx_start(state, args, 0);
}

static int teardown(void **state) { return bcs_fx_stop(state); }

static bcws *ws_open(fx *f, const char *path) { return bcs_fx_ws(f, path); }

static void assert_error(const cJSON *r, int status, int code, const char *msg)
{
    assert_non_null(r);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    if (!e) fprintf(stderr, "no error in %s\n", cJSON_PrintUnformatted(r));
    assert_non_null(e);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status")), status);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "code")), code);
    if (msg) assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "msg")), msg);
}

static const cJSON *assert_ok(const cJSON *r)
{
    assert_non_null(r);
    if (cJSON_GetObjectItemCaseSensitive(r, "error")) fprintf(stderr, "error: %s\n", cJSON_PrintUnformatted(r));
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status")), 200);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(r, "result");
    assert_non_null(res);
    return res;
}

/* ---- frames ---- */

typedef struct id_case { const char *frame; const char *echo; } id_case;

static void test_id_types(void **state)
{
    static const id_case cases[] = {
        { "{\"id\":1,\"method\":\"ping\"}", "{\"id\":1," },
        { "{\"id\":\"a-b_c\",\"method\":\"ping\"}", "{\"id\":\"a-b_c\"," },
        { "{\"id\":null,\"method\":\"ping\"}", "{\"id\":null," },
        { "{\"method\":\"ping\"}", "{\"id\":null," },
        { "{\"id\":12345678901234567890,\"method\":\"ping\"}", "{\"id\":12345678901234567890," },
        { "{\"id\":\"\xe4\xb8\xad\",\"method\":\"v3/ping\"}", "{\"id\":\"\xe4\xb8\xad\"," },
    };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(bcws_send(c, cases[i].frame), 0);
        char *t = bcws_recv(c, WAIT_MS);
        assert_non_null(t);
        if (strncmp(t, cases[i].echo, strlen(cases[i].echo))) fprintf(stderr, "got %s\n", t);
        assert_memory_equal(t, cases[i].echo, strlen(cases[i].echo));
        assert_non_null(strstr(t, "\"status\":200,\"result\":{}"));
        free(t);
    }
    bcws_close(c);
}

typedef struct err_case { const char *frame; int status, code; const char *msg; } err_case;

static void test_request_errors(void **state)
{
    static const err_case cases[] = {
        { "{bad json", 400, -1135, "Invalid JSON Request" },
        { "[1,2]", 400, -1135, "Invalid JSON Request" },
        { "{\"id\":1}", 400, -1102, "Mandatory parameter 'method' was not sent, was empty/null, or malformed." },
        { "{\"id\":1,\"method\":5}", 400, -1102, NULL },
        { "{\"id\":1,\"method\":\"no.such.method\"}", 400, -1020, "This operation is not supported." },
        { "{\"id\":1,\"method\":\"time\\u0000x\"}", 400, -1020, "This operation is not supported." },
        { "{\"id\":1,\"method\":\"v3/\"}", 400, -1020, "This operation is not supported." },
        { "{\"id\":1,\"method\":\"ping\",\"params\":{\"x\":1}}", 400, -1104,
          "Not all sent parameters were read; read '0' parameter(s) but was sent '1'." },
        { "{\"id\":1,\"method\":\"ping\",\"params\":[1]}", 400, -1135, NULL },
        { "{\"id\":1,\"method\":\"session.status\",\"params\":{\"a\":1,\"b\":2}}", 400, -1104,
          "Not all sent parameters were read; read '0' parameter(s) but was sent '2'." },
    };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(bcws_send(c, cases[i].frame), 0);
        cJSON *r = bcws_recv_json(c, WAIT_MS);
        assert_error(r, cases[i].status, cases[i].code, cases[i].msg);
        cJSON_Delete(r);
    }
    bcws_close(c);
}

static void test_rate_limits_options(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = bcws_call(c, "{\"id\":1,\"method\":\"ping\"}", WAIT_MS);
    const cJSON *rl = cJSON_GetObjectItemCaseSensitive(r, "rateLimits");
    assert_true(cJSON_IsArray(rl));
    const cJSON *w = cJSON_GetArrayItem(rl, 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "rateLimitType")), "REQUEST_WEIGHT");
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(w, "count")) >= 1);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":2,\"method\":\"ping\",\"params\":{\"returnRateLimits\":false}}", WAIT_MS);
    assert_ok(r);
    assert_null(cJSON_GetObjectItemCaseSensitive(r, "rateLimits"));
    cJSON_Delete(r);
    bcws_close(c);

    c = ws_open(f, "/ws-api/v3?returnRateLimits=false");
    r = bcws_call(c, "{\"id\":3,\"method\":\"ping\"}", WAIT_MS);
    assert_ok(r);
    assert_null(cJSON_GetObjectItemCaseSensitive(r, "rateLimits"));
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":4,\"method\":\"ping\",\"params\":{\"returnRateLimits\":true}}", WAIT_MS);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(r, "rateLimits"));
    cJSON_Delete(r);
    bcws_close(c);
}

static void test_time_unit(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3?timeUnit=MICROSECOND");
    cJSON *r = bcws_call(c, "{\"id\":1,\"method\":\"time\"}", WAIT_MS);
    double t = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(assert_ok(r), "serverTime"));
    assert_true(t == (double)f->now_ms * 1000);
    cJSON_Delete(r);
    bcws_close(c);

    c = ws_open(f, "/ws-api/v3?timeUnit=millisecond");
    r = bcws_call(c, "{\"id\":1,\"method\":\"time\"}", WAIT_MS);
    t = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(assert_ok(r), "serverTime"));
    assert_true(t == (double)f->now_ms);
    cJSON_Delete(r);
    bcws_close(c);

    c = ws_open(f, "/ws-api/v3?timeUnit=SECOND");
    r = bcws_recv_json(c, WAIT_MS);
    assert_error(r, 400, -1194, "Invalid value for time unit; expected either MICROSECOND or MILLISECOND.");
    cJSON_Delete(r);
    assert_true(bcws_wait_closed(c, WAIT_MS));
    bcws_close(c);
}

/* ---- signing (userDataStream.subscribe.signature: signed, any key type) ---- */

static char *frame_signed(fx *f, const char *method, const char *keyfile, const char *const *extra,
                          int pct, int64_t ts_delta)
{
    char ts[64];
    const char *pairs[16];
    size_t n = 0;
    snprintf(ts, sizeof ts, "timestamp=%lld", (long long)(f->now_ms + ts_delta));
    pairs[n++] = ts;
    for (size_t i = 0; extra && extra[i] && n < 15; i++) pairs[n++] = extra[i];
    pairs[n] = NULL;
    sig_key *k = bcs_key(keyfile);
    assert_non_null(k);
    char *params = bcws_signed_params(k, bcs_api_key(keyfile), pairs, pct);
    sig_key_free(k);
    assert_non_null(params);
    size_t len = strlen(params) + strlen(method) + 64;
    char *fr = malloc(len);
    snprintf(fr, len, "{\"id\":7,\"method\":\"%s\",\"params\":%s}", method, params);
    free(params);
    return fr;
}

static cJSON *call_signed(bcws *c, fx *f, const char *method, const char *keyfile,
                          const char *const *extra, int pct, int64_t ts_delta)
{
    char *fr = frame_signed(f, method, keyfile, extra, pct, ts_delta);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    free(fr);
    return r;
}

static void unsubscribe_all(bcws *c)
{
    cJSON *r = bcws_call(c, "{\"id\":99,\"method\":\"userDataStream.unsubscribe\"}", WAIT_MS);
    assert_ok(r);
    cJSON_Delete(r);
}

static void test_sign_each_key_type(void **state)
{
    static const char *const keys[] = { "hmac.secret", "rsa2048.pem", "rsa4096.pem", "ed25519.pem" };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        cJSON *r = call_signed(c, f, "userDataStream.subscribe.signature", keys[i], NULL, 0, 0);
        const cJSON *res = assert_ok(r);
        assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(res, "subscriptionId")));
        cJSON_Delete(r);
        /* same account twice on one connection -> -2035 */
        r = call_signed(c, f, "userDataStream.subscribe.signature", keys[i], NULL, 0, 0);
        assert_error(r, 400, -2035, "User Data Stream subscription already active.");
        cJSON_Delete(r);
        unsubscribe_all(c);
        cJSON *ev = bcws_recv_event(c, WAIT_MS);      /* eventStreamTerminated */
        assert_non_null(ev);
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "e")), "eventStreamTerminated");
        cJSON_Delete(ev);
    }
    bcws_close(c);
}

/* A non-ASCII value signed over raw UTF-8 passes the signature (then -1104
 * for the extra param); signed over percent-encoded values it is -1022. */
static void test_sign_non_ascii(void **state)
{
    static const char *const extra[] = { "symbol=\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456", NULL };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = call_signed(c, f, "userDataStream.subscribe.signature", "hmac.secret", extra, 0, 0);
    assert_error(r, 400, -1104, "Not all sent parameters were read; read '3' parameter(s) but was sent '4'.");
    cJSON_Delete(r);
    r = call_signed(c, f, "userDataStream.subscribe.signature", "ed25519.pem", extra, 1, 0);
    assert_error(r, 400, -1022, "Signature for this request is not valid.");
    cJSON_Delete(r);
    bcws_close(c);
    /* the journal names the mistake */
    bcs_resp jr;
    memset(&jr, 0, sizeof jr);
    assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/journal?limit=1", NULL, &jr), 200);
    const cJSON *ents = cJSON_GetObjectItemCaseSensitive(jr.json, "entries");
    const cJSON *last = cJSON_GetArrayItem(ents, cJSON_GetArraySize(ents) - 1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(last, "transport")), "ws");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(last, "code")), -1022);
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(last, "explain");
    const cJSON *mk = cJSON_GetObjectItemCaseSensitive(x, "mistake");
    if (!mk) fprintf(stderr, "journal: %s\n", cJSON_PrintUnformatted(last));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(mk, "id")), "ws-percent-encoded");
    bcs_resp_free(&jr);
}

static void test_lenient_accepts_percent_encoded(void **state)
{
    static const char *const extra[] = { "symbol=\xe8\xbf\x99\xe6\x98\xaf" "456", NULL };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = call_signed(c, f, "userDataStream.subscribe.signature", "ed25519.pem", extra, 1, 0);
    assert_error(r, 400, -1104, NULL);                   /* past the signature check */
    cJSON_Delete(r);
    r = call_signed(c, f, "userDataStream.subscribe.signature", "ed25519.pem", NULL, 1, 0);
    assert_ok(r);                                        /* ASCII only: same payload anyway */
    cJSON_Delete(r);
    bcws_close(c);
}

static void test_security_errors(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = bcws_call(c, "{\"id\":1,\"method\":\"userDataStream.subscribe.signature\",\"params\":{}}", WAIT_MS);
    assert_error(r, 400, -1102, "Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed.");
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":1,\"method\":\"userDataStream.subscribe.signature\",\"params\":{\"apiKey\":\"x!\"}}", WAIT_MS);
    assert_error(r, 401, -2014, "API-key format invalid.");
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":1,\"method\":\"userDataStream.subscribe.signature\",\"params\":{\"apiKey\":\"abc123\"}}", WAIT_MS);
    assert_error(r, 401, -2014, "API-key format invalid.");          /* wrong length */
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":1,\"method\":\"userDataStream.subscribe.signature\",\"params\":{\"apiKey\":"
                     "\"0000000000000000000000000000000000000000000000000000000000000000\"}}", WAIT_MS);
    assert_error(r, 401, -2015, "Invalid API-key, IP, or permissions for action.");
    cJSON_Delete(r);
    char fr[512];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"userDataStream.subscribe.signature\",\"params\":"
             "{\"apiKey\":\"%s\",\"timestamp\":%lld}}", bcs_api_key("hmac.secret"), (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_error(r, 400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    cJSON_Delete(r);
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"userDataStream.subscribe.signature\",\"params\":"
             "{\"apiKey\":\"%s\",\"signature\":\"00\"}}", bcs_api_key("hmac.secret"));
    r = bcws_call(c, fr, WAIT_MS);
    assert_error(r, 400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    cJSON_Delete(r);
    r = call_signed(c, f, "userDataStream.subscribe.signature", "hmac.secret", NULL, 0, -5001);
    assert_error(r, 400, -1021, "Timestamp for this request is outside of the recvWindow.");
    cJSON_Delete(r);
    r = call_signed(c, f, "userDataStream.subscribe.signature", "hmac.secret", NULL, 0, 1000);
    assert_error(r, 400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    cJSON_Delete(r);
    r = call_signed(c, f, "userDataStream.subscribe.signature", "hmac.secret", NULL, 0, -5000);
    assert_ok(r);
    cJSON_Delete(r);
    unsubscribe_all(c);
    bcws_close(c);
}

/* ---- session ---- */

static void test_logon_rejects_hmac_rsa(void **state)
{
    static const char *const keys[] = { "hmac.secret", "rsa2048.pem" };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    for (size_t i = 0; i < 2; i++) {
        cJSON *r = call_signed(c, f, "session.logon", keys[i], NULL, 0, 0);
        assert_error(r, 401, -2015, NULL);
        cJSON_Delete(r);
    }
    bcws_close(c);
}

static void test_logon_session(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = call_signed(c, f, "session.logon", "ed25519.pem", NULL, 0, 0);
    const cJSON *res = assert_ok(r);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res, "apiKey")), bcs_api_key("ed25519.pem"));
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "authorizedSince")) == (double)f->now_ms);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(res, "userDataStream")));
    cJSON_Delete(r);

    r = bcws_call(c, "{\"id\":2,\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
    res = assert_ok(r);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "subscriptionId")), 0);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":3,\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
    assert_error(r, 400, -2035, NULL);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":4,\"method\":\"session.subscriptions\"}", WAIT_MS);
    char *t = cJSON_PrintUnformatted(assert_ok(r));
    assert_string_equal(t, "[{\"subscriptionId\":0}]");
    free(t);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":5,\"method\":\"session.status\"}", WAIT_MS);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(assert_ok(r), "userDataStream")));
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":6,\"method\":\"userDataStream.unsubscribe\",\"params\":{\"subscriptionId\":5}}", WAIT_MS);
    assert_error(r, 400, -2036, "User Data Stream subscription not active.");
    cJSON_Delete(r);

    r = bcws_call(c, "{\"id\":7,\"method\":\"session.logout\"}", WAIT_MS);
    res = assert_ok(r);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(res, "apiKey")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(res, "authorizedSince")));
    cJSON_Delete(r);
    cJSON *ev = bcws_recv_event(c, WAIT_MS);
    assert_non_null(ev);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ev, "subscriptionId")), 0);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "event");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "e")), "eventStreamTerminated");
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "E")) == (double)f->now_ms);
    cJSON_Delete(ev);
    r = bcws_call(c, "{\"id\":8,\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
    assert_error(r, 401, -1002, NULL);            /* not logged on */
    cJSON_Delete(r);
    bcws_close(c);
}

static void test_logged_on_request(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = call_signed(c, f, "session.logon", "ed25519.pem", NULL, 0, 0);
    assert_ok(r);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":1,\"method\":\"account.status\",\"params\":{}}", WAIT_MS);
    assert_error(r, 400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    cJSON_Delete(r);
    char fr[160];
    snprintf(fr, sizeof fr, "{\"id\":2,\"method\":\"account.status\",\"params\":{\"timestamp\":%lld}}",
             (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(assert_ok(r), "balances"));
    cJSON_Delete(r);
    bcws_close(c);
}

static void test_revoke_session(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = call_signed(c, f, "session.logon", "bob-ed25519.pem", NULL, 0, 0);
    assert_ok(r);
    cJSON_Delete(r);
    char j[160];
    snprintf(j, sizeof j, "{\"apiKey\":\"%s\"}", bcs_api_key("bob-ed25519.pem"));
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/keys/revoke", j, NULL), 200);
    assert_int_equal(bcws_send(c, "{\"id\":3,\"method\":\"userDataStream.subscribe\"}"), 0);
    char *t = bcws_recv(c, WAIT_MS);
    assert_non_null(t);
    assert_string_equal(t, "{\"id\":null,\"status\":401,\"error\":{\"code\":-2015,"
                           "\"msg\":\"Invalid API-key, IP, or permissions for action.\"}}");
    free(t);
    r = bcws_call(c, "{\"id\":4,\"method\":\"session.status\"}", WAIT_MS);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(assert_ok(r), "apiKey")));
    cJSON_Delete(r);
    bcws_close(c);
    assert_int_equal(bcs_reset(&f->m), 200);
    assert_int_equal(bcs_clock_freeze(&f->m, f->now_ms), 200);
}

/* Connection limit (-1034) and request weight (429 -1003 with data.retryAfter),
 * made reachable through the admin API; the limits are reset afterwards. */
static void test_limits(void **state)
{
    fx *f = *state;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/config", "{\"maxConnections\":1}", NULL), 200);
    bcws *a = ws_open(f, "/ws-api/v3");
    bcs_fx_ws_sync(a, "/ws-api/v3", WAIT_MS);   /* a is registered before b asks */
    bcws *b = ws_open(f, "/ws-api/v3");
    cJSON *r = bcws_recv_json(b, WAIT_MS);
    assert_error(r, 429, -1034, "Too many concurrent connections; current limit is '1'.");
    cJSON_Delete(r);
    assert_true(bcws_wait_closed(b, WAIT_MS));
    bcws_close(b);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/ws/config", "{\"maxConnections\":300}", NULL), 200);

    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/limits", "{\"weightPerMinute\":30}", NULL), 200);
    cJSON *last = NULL;
    for (int i = 0; i < 40; i++) {
        cJSON_Delete(last);
        last = bcws_call(a, "{\"id\":1,\"method\":\"ping\"}", WAIT_MS);
        assert_non_null(last);
        if (cJSON_GetObjectItemCaseSensitive(last, "error")) break;
    }
    assert_error(last, 429, -1003, NULL);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(last, "error"), "data");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "retryAfter")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "serverTime")));
    cJSON_Delete(last);
    bcws_close(a);
    assert_int_equal(bcs_reset(&f->m), 200);
    assert_int_equal(bcs_clock_freeze(&f->m, f->now_ms), 200);
}

/* Issue 11: POST /__admin/reset drops every WebSocket connection (API and
 * streams) and answers once they are gone: a conformance case never sees
 * connections of the one before it. */
static void test_reset_closes_connections(void **state)
{
    fx *f = *state;
    bcws *a = ws_open(f, "/ws-api/v3"), *s = ws_open(f, "/ws/btcusdt@trade");
    cJSON *r = bcws_call(a, "{\"id\":1,\"method\":\"ping\"}", WAIT_MS);
    assert_non_null(r);
    cJSON_Delete(r);
    bcs_resp rr;
    memset(&rr, 0, sizeof rr);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/reset", NULL, &rr), 200);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rr.json, "wsClosed")), 2);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rr.json, "wsOpen")), 0);
    bcs_resp_free(&rr);
    memset(&rr, 0, sizeof rr);
    assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/ws/list", NULL, &rr), 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rr.json, "connections")), 0);
    bcs_resp_free(&rr);
    assert_true(bcws_wait_closed(a, WAIT_MS));
    assert_true(bcws_wait_closed(s, WAIT_MS));
    bcws_close(a);
    bcws_close(s);
    /* nothing to close: still answers, with zeros */
    memset(&rr, 0, sizeof rr);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/reset", NULL, &rr), 200);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rr.json, "wsClosed")), 0);
    bcs_resp_free(&rr);
}

/* Issue 11: market-stream control frames are journalled with their answer
 * (transport "stream", method, the connection's path, reply, status/code). */
static void test_stream_control_frames_journalled(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws");
    char *t;
    bcs_resp jr;
    const cJSON *e;
    int ok = 0, bad = 0;
    assert_int_equal(bcws_send(c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":7}"), 0);
    t = bcws_recv(c, WAIT_MS);
    assert_non_null(t);
    assert_non_null(strstr(t, "\"result\":null"));
    free(t);
    assert_int_equal(bcws_send(c, "{\"method\":\"SUBSCRIBE\",\"params\":\"btcusdt@trade\",\"id\":8}"), 0);
    t = bcws_recv(c, WAIT_MS);
    assert_non_null(t);
    assert_non_null(strstr(t, "\"error\""));
    free(t);
    memset(&jr, 0, sizeof jr);
    assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/journal", NULL, &jr), 200);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(jr.json, "entries")) {
        const char *tr = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "transport"));
        if (getenv("BC_WS_DEBUG")) fprintf(stderr, "%s\n", cJSON_PrintUnformatted(e));
        if (!tr || strcmp(tr, "stream") != 0) continue;
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "method")), "SUBSCRIBE");
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "path")), "/ws");
        const char *reply = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "reply"));
        assert_non_null(reply);
        int st = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "status"));
        if (st == 200) {
            ok++;
            assert_non_null(strstr(reply, "\"id\":7"));
        } else {
            bad++;
            assert_int_equal(st, 400);
            assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(e, "code")));
            assert_non_null(strstr(reply, "\"error\""));
        }
    }
    assert_int_equal(ok, 1);
    assert_int_equal(bad, 1);
    bcs_resp_free(&jr);
    bcws_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_types),
        cmocka_unit_test(test_request_errors),
        cmocka_unit_test(test_rate_limits_options),
        cmocka_unit_test(test_time_unit),
        cmocka_unit_test(test_sign_each_key_type),
        cmocka_unit_test(test_sign_non_ascii),
        cmocka_unit_test(test_security_errors),
        cmocka_unit_test(test_logon_rejects_hmac_rsa),
        cmocka_unit_test(test_logon_session),
        cmocka_unit_test(test_logged_on_request),
        cmocka_unit_test(test_revoke_session),
        cmocka_unit_test(test_limits),
    };
    const struct CMUnitTest lenient[] = {
        cmocka_unit_test(test_lenient_accepts_percent_encoded),
    };
    const struct CMUnitTest resets[] = {
        cmocka_unit_test(test_reset_closes_connections),
        cmocka_unit_test(test_stream_control_frames_journalled),
    };
    int fails = cmocka_run_group_tests_name("ws_api", tests, setup, teardown);
    fails += cmocka_run_group_tests_name("ws_api_reset", resets, setup, teardown);
    fails += cmocka_run_group_tests_name("ws_api_lenient", lenient, setup_lenient, teardown);
    return fails;
}
