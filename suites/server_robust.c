/* server_robust: one request must never kill the server (issue 8). JSON
 * nested deeper than cJSON's recursion fits on a worker stack, through every
 * JSON entry point (REST params, admin bodies, WS API frames, stream control
 * frames); out-of-range admin time values; civetweb's own error paths
 * (malformed request lines) answered by the server without echoing request
 * bytes into headers; text frames cut on a UTF-8 boundary. After each hostile
 * input the server still answers. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"
#include "pct.h"

#define WAIT_MS (10000 * bcs_slow())
#define RANGE_SYMBOLS "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$"
#define DEEP 900               /* > ~700 overflowed a worker stack, < cJSON's own 1000 */

typedef bcs_fx fx;

static int setup(void **state) { return bcs_fx_start(state, NULL, 0); }
static int teardown(void **state) { return bcs_fx_stop(state); }

static void ping_ok(const bcs_mock *m, const char *after)
{
    bcs_resp r;
    if (!bcs_mock_alive(m) || bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r) != 0 || r.status != 200)
        fail_msg("server did not answer a ping after %s", after);
    bcs_resp_free(&r);
}

/* open^depth inner close^depth */
static void nest(buf_t *b, const char *open, const char *inner, const char *close, int depth)
{
    for (int i = 0; i < depth; i++) buf_puts(b, open);
    buf_puts(b, inner);
    for (int i = 0; i < depth; i++) buf_puts(b, close);
}

/* symbols= / permissions= nested 900 deep: Binance's error for the
 * parameter, as for any other malformed list. */
static void test_deep_json_rest_params(void **state)
{
    fx *f = *state;
    static const struct { const char *path, *param; err_id err; const char *a1, *a2; } rows[] = {
        { "/api/v3/ticker/price", "symbols", ERR_ILLEGAL_CHARS_PARAM, "symbols", RANGE_SYMBOLS },
        { "/api/v3/exchangeInfo", "symbols", ERR_ILLEGAL_CHARS_PARAM, "symbols", RANGE_SYMBOLS },
        { "/api/v3/exchangeInfo", "permissions", ERR_INVALID_PARAMETER_NAMED, "permissions", NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        buf_t t = BUF_INIT;
        buf_printf(&t, "%s?%s=", rows[i].path, rows[i].param);
        nest(&t, "%5B", "", "%5D", DEEP);
        bcs_resp r;
        assert_int_equal(bcs_http(&f->m, "GET", buf_cstr(&t), NULL, NULL, &r), 0);
        if (r.status == 0) fail_msg("%s %s: no answer (server alive: %d)", rows[i].path, rows[i].param, bcs_mock_alive(&f->m));
        bcs_assert_err(&r, rows[i].err, rows[i].a1, rows[i].a2);
        bcs_resp_free(&r);
        buf_free(&t);
        ping_ok(&f->m, rows[i].path);
    }
}

/* An admin JSON body nested 900 deep: 400 with a message, server alive. */
static void test_deep_json_admin(void **state)
{
    fx *f = *state;
    buf_t b = BUF_INIT;
    buf_puts(&b, "{\"x\":");
    nest(&b, "[", "1", "]", DEEP);
    buf_puts(&b, "}");
    bcs_resp r;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", buf_cstr(&b), &r), 400);
    assert_non_null(strstr(buf_cstr(&r.body), "nested"));
    bcs_resp_free(&r);
    buf_free(&b);
    ping_ok(&f->m, "a deep admin body");
}

/* A WS API frame nested 900 deep: -1135 Invalid JSON Request, id null. */
static void test_deep_json_ws_api(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws(f, "/ws-api/v3");
    bcs_fx_ws_sync(c, "/ws-api/v3", WAIT_MS);
    buf_t b = BUF_INIT;
    buf_puts(&b, "{\"id\":7,\"method\":\"ping\",\"params\":{\"x\":");
    nest(&b, "[", "1", "]", DEEP);
    buf_puts(&b, "}}");
    assert_int_equal(bcws_send(c, buf_cstr(&b)), 0);
    cJSON *j = bcws_recv_json(c, WAIT_MS);
    if (!j) fail_msg("no answer to a deep WS API frame (server alive: %d)", bcs_mock_alive(&f->m));
    const cJSON *e = cJSON_GetObjectItem(j, "error");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "code")), err_get(ERR_INVALID_JSON)->code);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "id")));
    cJSON_Delete(j);
    buf_free(&b);
    /* 127 levels in all is within the bound: parsed and answered */
    buf_t ok = BUF_INIT;
    buf_puts(&ok, "{\"id\":8,\"method\":\"ping\",\"params\":{\"x\":");
    nest(&ok, "[", "1", "]", 125);
    buf_puts(&ok, "}}");
    j = bcws_call(c, buf_cstr(&ok), WAIT_MS);
    assert_non_null(j);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "id")), 8);
    cJSON_Delete(j);
    buf_free(&ok);
    bcs_fx_ws_sync(c, "/ws-api/v3", WAIT_MS);   /* the connection still works */
    bcws_close(c);
    ping_ok(&f->m, "a deep WS API frame");
}

/* A stream SUBSCRIBE nested 900 deep: serde_json's answer, code 3 "recursion
 * limit exceeded" at the bracket that opens level 128. */
static void test_deep_json_stream(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws(f, "/ws");
    bcs_fx_ws_sync(c, "/ws", WAIT_MS);
    buf_t b = BUF_INIT;
    buf_puts(&b, "{\"method\":\"SUBSCRIBE\",\"params\":");   /* 31 bytes; the object is level 1 */
    nest(&b, "[", "", "]", DEEP);
    buf_puts(&b, ",\"id\":1}");
    assert_int_equal(bcws_send(c, buf_cstr(&b)), 0);
    cJSON *j = bcws_recv_json(c, WAIT_MS);
    if (!j) fail_msg("no answer to a deep SUBSCRIBE (server alive: %d)", bcs_mock_alive(&f->m));
    const cJSON *e = cJSON_GetObjectItem(j, "error");
    char want[256];
    err_format(want, sizeof want, ERR_STREAM_RECURSION_LIMIT, "1", "158");   /* 31 + 127 */
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "code")), 3);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "msg")), want);
    cJSON_Delete(j);
    buf_free(&b);
    bcs_fx_ws_sync(c, "/ws", WAIT_MS);
    bcws_close(c);
    ping_ok(&f->m, "a deep SUBSCRIBE");
}

/* Admin clock values out of range: 400 with a message, the clock unchanged,
 * and requests still served (a wrapped offset used to ban every client with
 * -1003 "banned until 0"); moves past the clock's ends stop there. */
static void test_admin_clock_ranges(void **state)
{
    fx *f = *state;
    static const char *const bad[] = {
        "{\"offset_ms\":9300000000000000}", "{\"offset_ms\":-9300000000000000}",
        "{\"advance_ms\":9300000000000000}", "{\"advance_ms\":-1e300}",
        "{\"frozen_at_ms\":9300000000000000}", "{\"frozen_at_ms\":-1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bcs_resp r;
        int st = bcs_admin(&f->m, "POST", "/__admin/clock", bad[i], &r);
        if (st != 400 || !strstr(buf_cstr(&r.body), "must be from"))
            fail_msg("%s: %d %s", bad[i], st, buf_cstr(&r.body));
        bcs_resp_free(&r);
        assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/clock", NULL, &r), 200);
        assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "nowMs")) == (double)f->now_ms);
        bcs_resp_free(&r);
        ping_ok(&f->m, bad[i]);
    }
    /* at the top end, a further advance stops at 9999-12-31T23:59:59.999Z */
    bcs_resp r;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", "{\"frozen_at_ms\":253402300799999}", NULL), 200);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", "{\"advance_ms\":253402300799999}", &r), 200);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "nowMs")) == 253402300799999.0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(&f->m, "GET", "/api/v3/time", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", "{\"frozen_at_ms\":0,\"advance_ms\":-5000}", &r), 200);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "nowMs")) == 0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_clock_freeze(&f->m, f->now_ms), 200);
    ping_ok(&f->m, "the clock's ends");
}

/* The depth's lastUpdateId for BTCUSDT (the book's change counter). */
static double depth_update_id(const bcs_mock *m)
{
    bcs_resp r;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/depth?symbol=BTCUSDT&limit=5", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    double id = cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "lastUpdateId"));
    bcs_resp_free(&r);
    return id;
}

/* reset {"frozen_ahead_ms":N}: the clock frozen N ms after the reset clock's
 * now and the market started there, so the simulator's first step is a whole
 * virtual second later (what the harness's freeze "now+N" relies on: a case
 * moving the clock 300 ms never sees a market step); bad values are 400. */
static void test_admin_reset_ahead(void **state)
{
    fx *f = *state;
    static const char *const bad[] = {
        "{\"frozen_ahead_ms\":-1}", "{\"frozen_ahead_ms\":86400001}", "{\"frozen_ahead_ms\":\"5\"}",
        "{\"frozen_ahead_ms\":5,\"frozen_at_ms\":5}", "[1]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bcs_resp r;
        int st = bcs_admin(&f->m, "POST", "/__admin/reset", bad[i], &r);
        if (st != 400) fail_msg("%s: %d %s", bad[i], st, buf_cstr(&r.body));
        bcs_resp_free(&r);
    }
    bcs_resp r;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/reset", "{\"frozen_ahead_ms\":3000}", NULL), 200);
    assert_int_equal(bcs_admin(&f->m, "GET", "/__admin/clock", NULL, &r), 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "frozen")));
    double off = cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "offsetMs"));
    bcs_resp_free(&r);
    assert_true(off > 0 && off <= 3000);          /* ahead of the real clock, by less as time passes */
    double id0 = depth_update_id(&f->m);
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", "{\"advance_ms\":999}", NULL), 200);
    assert_true(depth_update_id(&f->m) == id0);   /* no simulator step inside the first second */
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/clock", "{\"advance_ms\":1}", NULL), 200);
    assert_true(depth_update_id(&f->m) > id0);    /* the first step, a second after the start */
    assert_int_equal(bcs_reset(&f->m), 200);
    assert_int_equal(bcs_clock_freeze(&f->m, f->now_ms), 200);
}

/* An unknown stream method is quoted cut to 64 bytes: on a UTF-8 boundary
 * (63 a's + a 3-byte character used to be split inside the text frame), and
 * stray bytes replaced, so the frame is valid UTF-8. */
static void test_stream_method_utf8(void **state)
{
    fx *f = *state;
    bcws *c = bcs_fx_ws(f, "/ws");
    bcs_fx_ws_sync(c, "/ws", WAIT_MS);
    static const char *const methods[] = {
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe8\xbf\x99",   /* 63 + 3 bytes */
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xf0\x9f\x98\x80x", /* 62 + 4 */
        "bad\xff\xfe" "bytes",
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        buf_t b = BUF_INIT;
        buf_printf(&b, "{\"method\":\"%s\",\"id\":1}", methods[i]);
        assert_int_equal(bcws_send(c, buf_cstr(&b)), 0);
        char *t = bcws_recv(c, WAIT_MS);
        assert_non_null(t);
        if (!pct_utf8_valid(t, strlen(t), NULL)) fail_msg("method %zu: reply is not UTF-8: %s", i, t);
        assert_non_null(strstr(t, "unknown variant"));
        free(t);
        buf_free(&b);
    }
    bcws_close(c);
}

/* Admin error bodies that echo a client's name are valid UTF-8. */
static void test_admin_error_utf8(void **state)
{
    fx *f = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(&f->m, "POST", "/__admin/accounts",
                               "{\"accounts\":[{\"name\":\"x\xff\xc3(y\",\"keys\":5}]}", &r), 400);
    if (!pct_utf8_valid(r.body.data, r.body.len, NULL)) fail_msg("admin error not UTF-8: %s", buf_cstr(&r.body));
    assert_non_null(strstr(buf_cstr(&r.body), "must be an array"));
    bcs_resp_free(&r);
    assert_int_equal(bcs_reset(&f->m), 200);
    assert_int_equal(bcs_clock_freeze(&f->m, f->now_ms), 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deep_json_rest_params),
        cmocka_unit_test(test_deep_json_admin),
        cmocka_unit_test(test_deep_json_ws_api),
        cmocka_unit_test(test_deep_json_stream),
        cmocka_unit_test(test_admin_clock_ranges),
        cmocka_unit_test(test_admin_reset_ahead),
        cmocka_unit_test(test_stream_method_utf8),
        cmocka_unit_test(test_admin_error_utf8),
    };
    return cmocka_run_group_tests_name("server_robust", tests, setup, teardown);
}
