/* server_ws_unit: the WebSocket layer's pure pieces without a server -
 * WS API frame parsing (ids kept verbatim, "v3/" prefix, raw params span),
 * response rendering from the catalogue, connection URL options, stream
 * control frames and their error codes, stream-name validation, URL
 * splitting and the stream names an exchange event feeds. Data-driven:
 * adding a case is adding a row. (server_* suites link bc_testsupport, not
 * bc_server, so the two pure modules are compiled in here.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws/ws_frame.h"
#include "ws/ws_names.h"

/* ---- WS API request frames ---- */

typedef struct req_case {
    const char *frame;
    wsf_status st;
    const char *id_raw, *method, *params;   /* expected (params NULL = absent) */
} req_case;

static const req_case req_cases[] = {
    { "{\"id\":1,\"method\":\"ping\"}", WSF_OK, "1", "ping", NULL },
    { "{\"id\":\"x y\",\"method\":\"v3/order.place\",\"params\":{\"price\":52000.00}}", WSF_OK,
      "\"x y\"", "order.place", "{\"price\":52000.00}" },
    { " { \"params\" : { \"a\" : [1, {\"b\":\"}\"}] } , \"method\":\"m\", \"id\" : null } ", WSF_OK,
      "null", "m", "{ \"a\" : [1, {\"b\":\"}\"}] }" },
    { "{\"id\":1e3,\"method\":\"time\"}", WSF_OK, "1e3", "time", NULL },
    { "{\"id\":\"a\\\"b\",\"method\":\"time\",\"params\":null}", WSF_OK, "\"a\\\"b\"", "time", NULL },
    { "{\"method\":\"time\"}", WSF_OK, "null", "time", NULL },
    { "{\"id\":1,\"method\":\"\"}", WSF_NO_METHOD, "1", NULL, NULL },
    { "{\"id\":1}", WSF_NO_METHOD, "1", NULL, NULL },
    { "{\"id\":true,\"method\":\"ping\"}", WSF_BAD_ID, "null", NULL, NULL },
    { "{\"id\":[1],\"method\":\"ping\"}", WSF_BAD_ID, "null", NULL, NULL },
    { "{\"id\":1,\"method\":\"ping\",\"params\":[1]}", WSF_BAD_PARAMS, "1", "ping", NULL },
    { "{\"id\":1,\"method\":\"ping\"", WSF_BAD_JSON, "null", NULL, NULL },
    { "[]", WSF_BAD_JSON, "null", NULL, NULL },
    { "", WSF_BAD_JSON, "null", NULL, NULL },
    /* the id is echoed verbatim, so it must be valid JSON text (fuzz_ws_frame):
     * raw control bytes and invalid UTF-8 make the frame invalid JSON */
    { "{\"id\":\"a\x01" "b\",\"method\":\"time\"}", WSF_BAD_JSON, "null", NULL, NULL },
    { "{\"id\":\"a\xed\xea" "b\",\"method\":\"time\"}", WSF_BAD_JSON, "null", NULL, NULL },
    { "{\"id\":\"\xe8\xbf\x99\\u0001\",\"method\":\"time\"}", WSF_OK, "\"\xe8\xbf\x99\\u0001\"", "time", NULL },
    /* cJSON skips every byte <= 0x20 as a blank: the id span came out empty
     * and the reply began {"id":, (fuzz_ws_api) */
    { "{\"id\":\x02\"x\",\"method\":\"time\"}", WSF_BAD_JSON, "null", NULL, NULL },
    { "{\"id\":1,\"method\":\"time\",\"params\":{\"a\":\"\x7f\tb\"}}", WSF_BAD_JSON, "null", NULL, NULL },
    /* an escaped NUL ends cJSON's string: "time\u0000x" read as time, and
     * "v3/\u0000..." as an empty method (fuzz_ws_frame); now the method's
     * JSON text, which names no method; "v3/" alone is no method either */
    { "{\"id\":1,\"method\":\"time\\u0000x\"}", WSF_OK, "1", "time\\u0000x", NULL },
    { "{\"id\":1,\"method\":\"v3/\\u0000`time\"}", WSF_OK, "1", "v3/\\u0000`time", NULL },
    { "{\"id\":1,\"method\":\"time\\\\u0000\"}", WSF_OK, "1", "time\\u0000", NULL },
    { "{\"id\":1,\"method\":\"v3/\"}", WSF_OK, "1", "v3/", NULL },
    { "{\"id\":1,\"method\":\"v3/time\"}", WSF_OK, "1", "time", NULL },
};

static void test_parse_request(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof req_cases / sizeof req_cases[0]; i++) {
        const req_case *c = &req_cases[i];
        wsf_request r;
        wsf_status st = wsf_parse_request(c->frame, strlen(c->frame), &r);
        if (st != c->st) fprintf(stderr, "case %zu: %s\n", i, c->frame);
        assert_int_equal(st, c->st);
        assert_string_equal(r.id_raw, c->id_raw);
        if (c->method) assert_string_equal(r.method, c->method);
        if (c->st != WSF_OK) continue;
        if (!c->params) {
            assert_null(r.params);
        } else {
            assert_non_null(r.params);
            assert_int_equal(r.params_len, strlen(c->params));
            assert_memory_equal(r.params, c->params, r.params_len);
        }
    }
}

/* A raw NUL inside the id (cJSON accepts it) cut the echoed id short:
 * the reply was not JSON (fuzz_ws_frame). */
static void test_parse_request_nul_id(void **state)
{
    (void)state;
    static const char frame[] = "{\"id\":\"a\0b\",\"method\":\"time\"}";
    wsf_request r;
    assert_int_equal(wsf_parse_request(frame, sizeof frame - 1, &r), WSF_BAD_JSON);
    assert_string_equal(r.id_raw, "null");
}

/* ---- rendering ---- */

static void test_render(void **state)
{
    (void)state;
    buf_t b = BUF_INIT;
    cJSON *res = cJSON_CreateObject(), *rl = cJSON_CreateArray(), *data = cJSON_CreateObject();
    cJSON_AddNumberToObject(res, "serverTime", 1);
    cJSON_AddNumberToObject(data, "retryAfter", 7);
    assert_int_equal(wsf_render_result(&b, "\"a\"", 0, res, NULL), 0);
    assert_string_equal(buf_cstr(&b), "{\"id\":\"a\",\"status\":200,\"result\":{\"serverTime\":1}}");
    buf_reset(&b);
    assert_int_equal(wsf_render_result(&b, "7", 0, res, rl), 0);
    assert_string_equal(buf_cstr(&b), "{\"id\":7,\"status\":200,\"result\":{\"serverTime\":1},\"rateLimits\":[]}");
    buf_reset(&b);
    assert_int_equal(wsf_render_error(&b, "null", 0, ERR_MANDATORY_PARAM_NAMED, "timestamp", NULL, NULL, NULL), 0);
    assert_string_equal(buf_cstr(&b), "{\"id\":null,\"status\":400,\"error\":{\"code\":-1102,\"msg\":\"Mandatory "
                        "parameter 'timestamp' was not sent, was empty/null, or malformed.\"}}");
    buf_reset(&b);
    assert_int_equal(wsf_render_error(&b, "1", 0, ERR_REJECTED_MBX_KEY, NULL, NULL, data, NULL), 0);
    assert_string_equal(buf_cstr(&b), "{\"id\":1,\"status\":401,\"error\":{\"code\":-2015,\"msg\":\"Invalid "
                        "API-key, IP, or permissions for action.\",\"data\":{\"retryAfter\":7}}}");
    buf_free(&b);
    cJSON_Delete(res);
    cJSON_Delete(rl);
    cJSON_Delete(data);
}

/* ---- URL options ---- */

typedef struct url_case { const char *q; err_id e; int rrl, us; } url_case;

static void test_url_options(void **state)
{
    static const url_case cases[] = {
        { NULL, ERR_NONE, 1, 0 },
        { "", ERR_NONE, 1, 0 },
        { "returnRateLimits=false", ERR_NONE, 0, 0 },
        { "returnRateLimits=true&timeUnit=MICROSECOND", ERR_NONE, 1, 1 },
        { "timeUnit=microsecond", ERR_NONE, 1, 1 },
        { "timeUnit=MILLISECOND&returnRateLimits=false", ERR_NONE, 0, 0 },
        { "timeUnit=SECOND", ERR_INVALID_TIME_UNIT, 1, 0 },
        { "timeUnit=", ERR_INVALID_TIME_UNIT, 1, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rrl = -1, us = -1;
        assert_int_equal(wsf_url_options(cases[i].q, &rrl, &us), cases[i].e);
        if (cases[i].e != ERR_NONE) continue;
        assert_int_equal(rrl, cases[i].rrl);
        assert_int_equal(us, cases[i].us);
    }
}

/* ---- stream control frames ---- */

typedef struct ctl_case {
    const char *frame;
    wsc_status st;
    int code;                 /* Binance stream error code when st != WSC_OK */
    wsc_method m;
    size_t nparams;
    const char *id_raw;
} ctl_case;

static void test_control_parse(void **state)
{
    static const ctl_case cases[] = {
        { "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@depth\"],\"id\":1}", WSC_OK, 0, WSC_SUBSCRIBE, 2, "1" },
        { "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@depth\"],\"id\":312}", WSC_OK, 0, WSC_UNSUBSCRIBE, 1, "312" },
        { "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}", WSC_OK, 0, WSC_LIST, 0, "3" },
        { "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":5}", WSC_OK, 0, WSC_SET_PROPERTY, 1, "5" },
        { "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":2}", WSC_OK, 0, WSC_GET_PROPERTY, 1, "2" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[]}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "null" },
        { "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",1],\"id\":5}", WSC_BAD_VALUE, 1, WSC_SET_PROPERTY, 1, "5" },
        { "{\"method\":\"GET_PROPERTY\",\"params\":[\"other\"],\"id\":5}", WSC_UNKNOWN_PROPERTY, 0, WSC_GET_PROPERTY, 1, "5" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[1],\"id\":1}", WSC_BAD_PARAMS, 2, WSC_SUBSCRIBE, 0, "1" },
        { "{\"method\":\"SUBSCRIBE\",\"id\":1}", WSC_BAD_PARAMS, 2, WSC_SUBSCRIBE, 0, "1" },
        { "{\"method\":\"subscribe\",\"params\":[],\"id\":1}", WSC_UNKNOWN_METHOD, 2, WSC_NONE, 0, "1" },
        { "{\"params\":[],\"id\":1}", WSC_NO_METHOD, 2, WSC_NONE, 0, "1" },
        /* id forms: 64-bit signed integer, alphanumeric string <= 36, null */
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"1\"}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "\"1\"" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"0123456789abcdef0123456789ABCDEF\"}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "\"0123456789abcdef0123456789ABCDEF\"" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"abcdefghijklmnopqrstuvwxyz0123456789\"}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "\"abcdefghijklmnopqrstuvwxyz0123456789\"" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":-1}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "-1" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":-9223372036854775808}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "-9223372036854775808" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":9223372036854775807}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "9223372036854775807" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":null}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":9223372036854775808}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"abcdefghijklmnopqrstuvwxyz01234567890\"}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"a.b\"}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"a-b_c\"}", WSC_OK, 0, WSC_SUBSCRIBE, 0, "\"a-b_c\"" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":\"\"}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":1.5}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":1e3}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":true}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":{}}", WSC_BAD_ID, 2, WSC_NONE, 0, "null" },
        /* too many parameters */
        { "{\"method\":\"LIST_SUBSCRIPTIONS\",\"params\":[\"x\"],\"id\":3}", WSC_TOO_MANY_PARAMS, 2, WSC_LIST, 0, "3" },
        { "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\",true],\"id\":3}", WSC_TOO_MANY_PARAMS, 2, WSC_GET_PROPERTY, 0, "3" },
        { "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true,1],\"id\":3}", WSC_TOO_MANY_PARAMS, 2, WSC_SET_PROPERTY, 0, "3" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[\"a@trade\",\"b@trade\",\"c@trade\",\"d@trade\",\"e@trade\"],\"id\":3}", WSC_TOO_MANY_PARAMS, 2, WSC_SUBSCRIBE, 0, "3" },
        { "SUBSCRIBE", WSC_BAD_JSON, 3, WSC_NONE, 0, "null" },
        /* stream names are echoed by LIST_SUBSCRIPTIONS (fuzz_ws_stream): raw
         * control bytes are invalid JSON (as for serde), a non-UTF-8 name a bad param */
        { "{\"method\":\"SUBSCRIBE\",\"params\":[\"\xaf@trade\"],\"id\":1}", WSC_BAD_PARAMS, 2, WSC_SUBSCRIBE, 0, "1" },
        { "{\"method\":\"SUBSCRIBE\",\"params\":[\"a\x01" "b\"],\"id\":1}", WSC_BAD_JSON, 3, WSC_NONE, 0, "null" },
        { "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\x01" "3}", WSC_BAD_JSON, 3, WSC_NONE, 0, "null" },
        { "{\"method\":\"SUBSCRIBE\",\t\"params\":[\"\xe8\xbf\x99@trade\"],\n\"id\":1}", WSC_OK, 0, WSC_SUBSCRIBE, 1, "1" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wsc_request r;
        wsc_status st = wsc_parse(cases[i].frame, strlen(cases[i].frame), 4, &r);
        if (st != cases[i].st) fprintf(stderr, "case %zu: %s -> %d\n", i, cases[i].frame, st);
        assert_int_equal(st, cases[i].st);
        assert_string_equal(r.id_raw, cases[i].id_raw);
        if (st == WSC_OK) {
            assert_int_equal(r.method, cases[i].m);
            assert_int_equal(r.nparams, cases[i].nparams);
        } else {
            assert_int_equal(wsc_status_code(st), cases[i].code);
            assert_non_null(wsc_status_err_name(st));
        }
        wsc_free(&r);
    }
}

/* ---- stream names ---- */

typedef struct name_case { const char *name; int valid, listen_key, depth_levels; } name_case;

static void test_stream_names(void **state)
{
    static const name_case cases[] = {
        { "btcusdt@trade", 1, 0, 0 }, { "btcusdt@aggTrade", 1, 0, 0 },
        { "btcusdt@kline_1s", 1, 0, 0 }, { "btcusdt@kline_1M", 1, 0, 0 }, { "btcusdt@kline_2m", 0, 0, 0 },
        { "btcusdt@depth", 1, 0, 0 }, { "btcusdt@depth@100ms", 1, 0, 0 }, { "btcusdt@depth@1000ms", 1, 0, 0 },
        { "btcusdt@depth5", 1, 0, 5 }, { "btcusdt@depth10@100ms", 1, 0, 10 }, { "btcusdt@depth20", 1, 0, 20 },
        { "btcusdt@depth15", 0, 0, 0 }, { "btcusdt@depth@10ms", 0, 0, 0 },
        { "btcusdt@bookTicker", 1, 0, 0 }, { "btcusdt@miniTicker", 1, 0, 0 }, { "btcusdt@ticker", 1, 0, 0 },
        { "btcusdt@avgPrice", 1, 0, 0 }, { "BTCUSDT@trade", 0, 0, 0 }, { "btcusdt@", 0, 0, 0 },
        { "btcusdt@referencePrice", 1, 0, 0 }, { "btcusdt@blockTrade", 1, 0, 0 },
        { "btcusdt@kline_1m@+08:00", 1, 0, 0 }, { "btcusdt@kline_1M@+08:00", 1, 0, 0 },
        { "btcusdt@kline_1m@+09:00", 0, 0, 0 }, { "btcusdt@kline_1m@", 0, 0, 0 },
        { "btcusdt@ticker_1h", 1, 0, 0 }, { "btcusdt@ticker_4h", 1, 0, 0 }, { "btcusdt@ticker_1d", 1, 0, 0 },
        { "btcusdt@ticker_2h", 0, 0, 0 }, { "!miniTicker@arr", 1, 0, 0 }, { "!ticker_1h@arr", 1, 0, 0 },
        { "!ticker_4h@arr", 1, 0, 0 }, { "!ticker_1d@arr", 1, 0, 0 }, { "!ticker@arr", 0, 0, 0 },
        { "!ticker_1w@arr", 0, 0, 0 }, { "btcusdt@nonsense", 0, 0, 0 },
        { "@trade", 0, 0, 0 }, { "btcusdt", 0, 0, 0 }, { "btcusdt@bookticker", 0, 0, 0 },
        { "\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456@trade", 1, 0, 0 },
        { "\xff\xfe@trade", 0, 0, 0 },
        { "pqHfpfsNaBQMdHrW4YqoVUlVuFgkxbOPeUGNrkdNGQMu9Ovd5UDe2n3iDNh6zzxB", 1, 1, 0 },
        { "pqHfpfsNaBQMdHrW4YqoVUlVuFgkxbOPeUGNrkdNGQMu9Ovd5UDe2n3iDNh6zzx!", 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int lk = -1;
        if (wsn_valid(cases[i].name, &lk) != cases[i].valid) fprintf(stderr, "case %s\n", cases[i].name);
        assert_int_equal(wsn_valid(cases[i].name, &lk), cases[i].valid);
        assert_int_equal(lk, cases[i].listen_key);
        char sym[64];
        if (cases[i].valid) assert_int_equal(wsn_shape_ok(cases[i].name), 1);
        if (cases[i].valid && !cases[i].listen_key && cases[i].name[0] != '!')
            assert_int_equal(wsn_partial_depth(cases[i].name, sym, sizeof sym), cases[i].depth_levels);
    }
}

/* well-formed names of an unknown / upper-case symbol are accepted (silent) */
static void test_stream_name_shape(void **state)
{
    (void)state;
    assert_int_equal(wsn_shape_ok("BTCUSDT@trade"), 1);
    assert_int_equal(wsn_shape_ok("xrpxrp@miniTicker"), 1);
    assert_int_equal(wsn_shape_ok("BtcUsdt@depth5@100ms"), 1);
    assert_int_equal(wsn_shape_ok("btcusdt@nonsense"), 0);
    assert_int_equal(wsn_shape_ok("not asdfads"), 0);
    assert_int_equal(wsn_shape_ok("btc-usdt@trade"), 0);
    assert_int_equal(wsn_shape_ok("BTCUSDT@kline_7m"), 0);
}

static void test_split_and_query(void **state)
{
    (void)state;
    char **v = NULL;
    size_t n = 0;
    assert_int_equal(wsn_split("btcusdt@trade//ethusdt@depth/", &v, &n, 10), 2);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "btcusdt@trade");
    assert_string_equal(v[1], "ethusdt@depth");
    assert_int_equal(wsn_split("a/b/c", &v, &n, 4), -1);        /* over the per-connection cap */
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
    char out[256];
    assert_int_equal(wsn_query_streams("x=1&streams=btcusdt%40trade/ethusdt@depth", out, sizeof out), 0);
    assert_string_equal(out, "btcusdt@trade/ethusdt@depth");
    assert_int_equal(wsn_query_streams("x=1", out, sizeof out), -1);
    assert_int_equal(wsn_query_streams("streams=%zz", out, sizeof out), -1);
}

typedef struct ev_case { const char *event; int n; const char *first, *last; } ev_case;

static void test_event_streams(void **state)
{
    static const ev_case cases[] = {
        { "{\"e\":\"trade\",\"s\":\"BTCUSDT\"}", 1, "btcusdt@trade", NULL },
        { "{\"e\":\"aggTrade\",\"s\":\"ETHBTC\"}", 1, "ethbtc@aggTrade", NULL },
        /* depthUpdate goes to the depth windows; timer-driven kinds are rendered, not fed */
        { "{\"e\":\"depthUpdate\",\"s\":\"BNBUSDT\",\"U\":1,\"u\":2}", 0, NULL, NULL },
        { "{\"e\":\"kline\",\"s\":\"BTCUSDT\",\"k\":{\"i\":\"1h\"}}", 0, NULL, NULL },
        { "{\"u\":4,\"s\":\"BTCUSDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}", 1, "btcusdt@bookTicker", NULL },
        { "{\"e\":\"blockTrade\",\"s\":\"BTCUSDT\"}", 1, "btcusdt@blockTrade", NULL },
        { "{\"e\":\"24hrTicker\",\"s\":\"BTCUSDT\"}", 0, NULL, NULL },
        { "{\"e\":\"executionReport\",\"s\":\"BTCUSDT\"}", 0, NULL, NULL },
        { "{\"e\":\"trade\"}", 0, NULL, NULL },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *ev = cJSON_Parse(cases[i].event);
        char names[WSN_EVENT_MAX][WSN_MAX];
        int n = wsn_event_streams(ev, names);
        assert_int_equal(n, cases[i].n);
        if (n) assert_string_equal(names[0], cases[i].first);
        if (cases[i].last) assert_string_equal(names[n - 1], cases[i].last);
        cJSON_Delete(ev);
    }
}

static void test_event_to_us(void **state)
{
    static const char *const cases[][2] = {
        { "{\"e\":\"trade\",\"E\":1700000000001,\"T\":1700000000000,\"t\":5}",
          "{\"e\":\"trade\",\"E\":1700000000001000,\"T\":1700000000000000,\"t\":5}" },
        { "{\"e\":\"outboundAccountPosition\",\"E\":2,\"u\":3,\"B\":[]}",
          "{\"e\":\"outboundAccountPosition\",\"E\":2000,\"u\":3000,\"B\":[]}" },
        { "{\"e\":\"depthUpdate\",\"E\":2,\"U\":3,\"u\":4}", "{\"e\":\"depthUpdate\",\"E\":2000,\"U\":3,\"u\":4}" },
        { "{\"e\":\"kline\",\"E\":1,\"k\":{\"t\":2,\"T\":3,\"n\":4}}",
          "{\"e\":\"kline\",\"E\":1000,\"k\":{\"t\":2000,\"T\":3000,\"n\":4}}" },
        { "{\"e\":\"executionReport\",\"E\":1,\"T\":2,\"O\":3,\"W\":4,\"i\":5}",
          "{\"e\":\"executionReport\",\"E\":1000,\"T\":2000,\"O\":3000,\"W\":4000,\"i\":5}" },
        { "{\"lastUpdateId\":7,\"bids\":[]}", "{\"lastUpdateId\":7,\"bids\":[]}" },
        { "{\"e\":\"referencePrice\",\"s\":\"X\",\"r\":null,\"t\":5}", "{\"e\":\"referencePrice\",\"s\":\"X\",\"r\":null,\"t\":5000}" },
        { "[{\"e\":\"1hTicker\",\"E\":1,\"O\":2,\"C\":3,\"n\":4}]", "[{\"e\":\"1hTicker\",\"E\":1000,\"O\":2000,\"C\":3000,\"n\":4}]" },
        { "[{\"e\":\"24hrMiniTicker\",\"E\":1,\"c\":\"2\"}]", "[{\"e\":\"24hrMiniTicker\",\"E\":1000,\"c\":\"2\"}]" },
        /* a time whose µs do not fit int64 stays in ms (fuzz_ws_frame: UBSan) */
        { "{\"e\":\"kline\",\"E\":1,\"k\":{\"t\":17000000000000017000000,\"T\":3}}",
          "{\"e\":\"kline\",\"E\":1000,\"k\":{\"t\":1.7000000000000017e+22,\"T\":3000}}" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = wsf_event_text_to_us(cases[i][0]);
        assert_non_null(t);
        assert_string_equal(t, cases[i][1]);
        cJSON_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_request),
        cmocka_unit_test(test_parse_request_nul_id),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_url_options),
        cmocka_unit_test(test_control_parse),
        cmocka_unit_test(test_stream_names),
        cmocka_unit_test(test_stream_name_shape),
        cmocka_unit_test(test_split_and_query),
        cmocka_unit_test(test_event_streams),
        cmocka_unit_test(test_event_to_us),
    };
    return cmocka_run_group_tests_name("ws_unit", tests, NULL, NULL);
}
