/* server_ws_user: trading and user data over the WebSocket API of the real
 * binance-mock - an Ed25519 session places and cancels orders without
 * apiKey/signature, user data events (executionReport,
 * outboundAccountPosition) arrive on the session's subscription after an
 * order fills, per-request HMAC/RSA signed order.test, a non-ASCII symbol
 * signed over raw UTF-8, and the legacy listenKey stream of profile 2025-12. */
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


/* the clock advanced 10 s so the simulator has built its books */
static int setup(void **state) { return bcs_fx_start(state, NULL, 10000); }

static int setup_legacy(void **state)
{
    static const char *const args[] = { "--profile", "2025-12", NULL };
    return bcs_fx_start(state, args, 10000);
}

static int teardown(void **state) { return bcs_fx_stop(state); }

static bcws *ws_open(fx *f, const char *path)
{
    bcws *c = bcs_fx_ws(f, path);
    if (strncmp(path, "/ws-api", 7)) bcs_fx_ws_sync(c, path, WAIT_MS);   /* stream: surely registered */
    return c;
}

static const cJSON *ok_result(const cJSON *r)
{
    assert_non_null(r);
    if (cJSON_GetObjectItemCaseSensitive(r, "error")) fprintf(stderr, "error: %s\n", cJSON_PrintUnformatted(r));
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "status")), 200);
    return cJSON_GetObjectItemCaseSensitive(r, "result");
}

static const char *str(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static char *signed_frame(fx *f, const char *method, const char *keyfile, const char *const *pairs)
{
    char ts[64];
    const char *v[16];
    size_t n = 0;
    snprintf(ts, sizeof ts, "timestamp=%lld", (long long)f->now_ms);
    v[n++] = ts;
    for (size_t i = 0; pairs && pairs[i] && n < 15; i++) v[n++] = pairs[i];
    v[n] = NULL;
    sig_key *k = bcs_key(keyfile);
    assert_non_null(k);
    char *params = bcws_signed_params(k, bcs_api_key(keyfile), v, 0);
    sig_key_free(k);
    assert_non_null(params);
    size_t len = strlen(params) + strlen(method) + 64;
    char *fr = malloc(len);
    snprintf(fr, len, "{\"id\":\"%s\",\"method\":\"%s\",\"params\":%s}", method, method, params);
    free(params);
    return fr;
}

static cJSON *call_signed(bcws *c, fx *f, const char *method, const char *keyfile, const char *const *pairs)
{
    char *fr = signed_frame(f, method, keyfile, pairs);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    free(fr);
    return r;
}

static bcws *logged_on_at(fx *f, const char *keyfile, const char *path)
{
    bcws *c = ws_open(f, path);
    cJSON *r = call_signed(c, f, "session.logon", keyfile, NULL);
    ok_result(r);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":\"sub\",\"method\":\"userDataStream.subscribe\"}", WAIT_MS);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ok_result(r), "subscriptionId")));
    cJSON_Delete(r);
    return c;
}

static bcws *logged_on(fx *f, const char *keyfile) { return logged_on_at(f, keyfile, "/ws-api/v3"); }

/* Next user event of type e_name on the WS API connection (others skipped). */
static cJSON *next_user_event(bcws *c, const char *e_name)
{
    for (int i = 0; i < 20; i++) {
        cJSON *j = bcws_recv_event(c, WAIT_MS);
        if (!j) return NULL;
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
        assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "subscriptionId")));
        if (ev && str(ev, "e") && !strcmp(str(ev, "e"), e_name)) return j;
        cJSON_Delete(j);
    }
    return NULL;
}

static void test_market_order_fills_with_events(void **state)
{
    fx *f = *state;
    bcws *c = logged_on(f, "ed25519.pem");
    char fr[400];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.001\",\"timestamp\":%lld}}",
             (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    const cJSON *res = ok_result(r);
    assert_string_equal(str(res, "status"), "FILLED");
    double order_id = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(res, "orderId"));
    cJSON_Delete(r);

    cJSON *j = NULL;
    for (int i = 0; i < 5; i++) {                     /* NEW then TRADE ... FILLED */
        j = next_user_event(c, "executionReport");
        assert_non_null(j);
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
        assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ev, "i")) == order_id);
        if (!strcmp(str(ev, "X"), "FILLED")) break;
        cJSON_Delete(j);
        j = NULL;
    }
    assert_non_null(j);
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
    assert_string_equal(str(ev, "x"), "TRADE");
    assert_string_equal(str(ev, "s"), "BTCUSDT");
    assert_string_equal(str(ev, "z"), "0.00100000");
    cJSON_Delete(j);
    j = next_user_event(c, "outboundAccountPosition");
    assert_non_null(j);
    assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "event"), "B")));
    cJSON_Delete(j);
    bcws_close(c);
}

static void test_place_and_cancel(void **state)
{
    fx *f = *state;
    bcws *c = logged_on(f, "ed25519.pem");
    char fr[400];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"v3/order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":0.001,"
             "\"price\":\"30000\",\"newClientOrderId\":\"ws-limit-1\",\"timestamp\":%lld}}", (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    assert_string_equal(str(ok_result(r), "status"), "NEW");
    cJSON_Delete(r);
    cJSON *j = next_user_event(c, "executionReport");
    assert_non_null(j);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(j, "event"), "x"), "NEW");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(j, "event"), "c"), "ws-limit-1");
    cJSON_Delete(j);
    snprintf(fr, sizeof fr, "{\"id\":2,\"method\":\"order.cancel\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"origClientOrderId\":\"ws-limit-1\",\"timestamp\":%lld}}", (long long)f->now_ms);
    r = bcws_call(c, fr, WAIT_MS);
    assert_string_equal(str(ok_result(r), "status"), "CANCELED");
    cJSON_Delete(r);
    j = next_user_event(c, "executionReport");
    assert_non_null(j);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(j, "event"), "x"), "CANCELED");
    cJSON_Delete(j);
    /* the same handler and errors as REST: unknown order */
    r = bcws_call(c, fr, WAIT_MS);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    assert_non_null(e);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "code")), -2011);
    cJSON_Delete(r);
    bcws_close(c);
}

/* timeUnit=MICROSECOND on the connection: user event times in µs, printed as integers */
static void test_user_events_in_microseconds(void **state)
{
    fx *f = *state;
    bcws *c = logged_on_at(f, "ed25519.pem", "/ws-api/v3?timeUnit=MICROSECOND");
    char fr[400];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\","
             "\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"0.001\","
             "\"price\":\"30000\",\"timestamp\":%lld}}", (long long)f->now_ms);
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    ok_result(r);
    cJSON_Delete(r);
    char *t = NULL;
    for (int i = 0; i < 10 && !t; i++) {
        t = bcws_recv(c, WAIT_MS);
        if (t && !strstr(t, "executionReport")) { free(t); t = NULL; }
    }
    assert_non_null(t);
    char want[64];
    snprintf(want, sizeof want, "\"E\":%lld000,", (long long)f->now_ms);
    if (!strstr(t, want)) fprintf(stderr, "%s\n", t);
    assert_non_null(strstr(t, want));
    free(t);
    bcws_close(c);
}

static void test_per_request_signing(void **state)
{
    static const char *const keys[] = { "hmac.secret", "rsa2048.pem", "rsa4096.pem", "ed25519.pem" };
    static const char *const order[] = { "symbol=BTCUSDT", "side=SELL", "type=LIMIT", "timeInForce=GTC",
                                         "quantity=0.001", "price=90000", NULL };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        cJSON *r = call_signed(c, f, "order.test", keys[i], order);
        const cJSON *res = ok_result(r);
        assert_true(cJSON_IsObject(res) && cJSON_GetArraySize(res) == 0);
        cJSON_Delete(r);
    }
    bcws_close(c);
}

static void test_non_ascii_symbol(void **state)
{
    static const char *const order[] = { "symbol=\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456",
                                         "side=BUY", "type=MARKET", "quantity=1", NULL };
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    cJSON *r = call_signed(c, f, "order.test", "ed25519.pem", order);
    assert_non_null(r);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    int code = e ? (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "code")) : 0;
    if (code) fprintf(stderr, "non-ASCII order.test: %s\n", cJSON_PrintUnformatted(r));
    assert_int_equal(code, 0);                       /* signature over sorted raw UTF-8 accepted */
    cJSON_Delete(r);
    bcws_close(c);
}

static void test_retired_methods_current_profile(void **state)
{
    fx *f = *state;
    bcws *c = ws_open(f, "/ws-api/v3");
    char fr[200];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"userDataStream.start\",\"params\":{\"apiKey\":\"%s\"}}",
             bcs_api_key("hmac.secret"));
    cJSON *r = bcws_call(c, fr, WAIT_MS);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    assert_non_null(e);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "code")), -1020);
    cJSON_Delete(r);
    bcws_close(c);
}

/* profile 2025-12: userDataStream.start -> listenKey -> /ws/<listenKey> gets raw events */
static void test_legacy_listen_key_stream(void **state)
{
    fx *f = *state;
    bcws *api = ws_open(f, "/ws-api/v3");
    char fr[300];
    snprintf(fr, sizeof fr, "{\"id\":1,\"method\":\"userDataStream.start\",\"params\":{\"apiKey\":\"%s\"}}",
             bcs_api_key("hmac.secret"));
    cJSON *r = bcws_call(api, fr, WAIT_MS);
    const char *lk = str(ok_result(r), "listenKey");
    assert_non_null(lk);
    assert_int_equal(strlen(lk), 64);
    char path[128];
    snprintf(path, sizeof path, "/ws/%s", lk);
    snprintf(fr, sizeof fr, "{\"id\":2,\"method\":\"userDataStream.ping\",\"params\":{\"apiKey\":\"%s\","
             "\"listenKey\":\"%s\"}}", bcs_api_key("hmac.secret"), lk);
    cJSON_Delete(r);
    r = bcws_call(api, fr, WAIT_MS);
    ok_result(r);
    cJSON_Delete(r);
    bcws *st = ws_open(f, path);
    static const char *const order[] = { "symbol=BTCUSDT", "side=BUY", "type=MARKET", "quantity=0.001", NULL };
    r = call_signed(api, f, "order.place", "hmac.secret", order);
    ok_result(r);
    cJSON_Delete(r);
    cJSON *j = bcws_recv_json(st, WAIT_MS);
    assert_non_null(j);
    assert_string_equal(str(j, "e"), "executionReport");        /* raw, not wrapped */
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "subscriptionId"));
    cJSON_Delete(j);
    bcws_close(st);
    bcws_close(api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_market_order_fills_with_events),
        cmocka_unit_test(test_place_and_cancel),
        cmocka_unit_test(test_user_events_in_microseconds),
        cmocka_unit_test(test_per_request_signing),
        cmocka_unit_test(test_non_ascii_symbol),
        cmocka_unit_test(test_retired_methods_current_profile),
    };
    const struct CMUnitTest legacy[] = {
        cmocka_unit_test(test_legacy_listen_key_stream),
    };
    int fails = cmocka_run_group_tests_name("ws_user", tests, setup, teardown);
    fails += cmocka_run_group_tests_name("ws_user_2025_12", legacy, setup_legacy, teardown);
    return fails;
}
