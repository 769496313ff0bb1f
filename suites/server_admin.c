/* server_admin: the /__admin API over a socket - virtual clock, faults
 * (error code/status, delay, drop), limits, reset, token auth. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "bcs_test.h"
#include "bcs_oracle.h"

#define T0 1767225600000LL

static double num(const cJSON *o, const char *k)
{
    const cJSON *j = cJSON_GetObjectItem(o, k);
    assert_non_null(j);
    return j->valuedouble;
}

static double server_time(const bcs_mock *m)
{
    bcs_resp r;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/time", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    double t = num(r.json, "serverTime");
    bcs_resp_free(&r);
    return t;
}

static void test_clock(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(m, "GET", "/__admin/clock", NULL, &r), 200);
    assert_true(cJSON_IsBool(cJSON_GetObjectItem(r.json, "frozen")));
    assert_true(num(r.json, "nowMs") > 1.7e12);
    bcs_resp_free(&r);

    assert_int_equal(bcs_clock_freeze(m, T0), 200);
    assert_true(server_time(m) == (double)T0);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/clock", "{\"advance_ms\":1500}", &r), 200);
    assert_true(num(r.json, "nowMs") == (double)(T0 + 1500));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "frozen")));
    bcs_resp_free(&r);
    assert_true(server_time(m) == (double)(T0 + 1500));
    assert_int_equal(bcs_admin(m, "POST", "/__admin/clock", "{\"advance_ms\":-2500}", NULL), 200);
    assert_true(server_time(m) == (double)(T0 - 1000));

    /* unfreeze, then a one-hour offset */
    assert_int_equal(bcs_admin(m, "POST", "/__admin/clock", "{\"frozen\":false,\"offset_ms\":3600000}", &r), 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "frozen")));
    assert_true(num(r.json, "offsetMs") == 3600000.0);
    bcs_resp_free(&r);
    /* exact, no window: the server's time is read between two real-time
     * readings (same CLOCK_REALTIME), so it lies between them + 1 h */
    int64_t before = bcs_real_ms();
    double t = server_time(m);
    int64_t after = bcs_real_ms();
    assert_true(t >= (double)(before + 3600000) && t <= (double)(after + 3600000));
    assert_int_equal(bcs_admin(m, "POST", "/__admin/clock", "{\"offset_ms\":\"x\"}", NULL), 400);
    assert_int_equal(bcs_clock_unfreeze(m), 200);
}

typedef struct fault_case {
    const char *rule;          /* POST /__admin/faults body */
    const char *method, *target;
    int status, code;
    const char *msg;           /* NULL: the oracle message of row `row` */
    const char *row;           /* suites/data/binance_errors.json id */
} fault_case;

static void test_fault_errors(void **state)
{
    static const fault_case cases[] = {
        { "{\"route\":\"GET /api/v3/ping\",\"code\":-1007}", "GET", "/api/v3/ping", 503, -1007, NULL, "TIMEOUT" },
        { "{\"route\":\"/api/v3/time\",\"code\":-1006}", "GET", "/api/v3/time", 500, -1006, NULL, "UNEXPECTED_RESP" },
        { "{\"route\":\"*\",\"code\":-1008,\"status\":502}", "GET", "/api/v3/ping", 502, -1008, NULL, "SERVER_BUSY" },
        { "{\"route\":\"/api/v3/ping\",\"code\":-1001,\"msg\":\"scripted\"}", "GET", "/api/v3/ping", 500, -1001, "scripted", NULL },
        { "{\"route\":\"GET /api/v3/ping\",\"code\":-1003,\"status\":429}", "GET", "/api/v3/ping", 429, -1003, NULL, "TOO_MANY_REQUESTS" },
        { "{\"route\":\"GET /api/v3/ping\",\"code\":-1003,\"status\":418}", "GET", "/api/v3/ping", 418, -1003, NULL, "IP_BANNED" },
    };
    bcs_mock *m = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const fault_case *c = &cases[i];
        bcs_resp r;
        assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", c->rule, NULL), 200);
        assert_int_equal(bcs_http(m, c->method, c->target, NULL, NULL, &r), 0);
        assert_int_equal(r.status, c->status);
        assert_int_equal(bcs_code(&r), c->code);
        if (c->msg) assert_string_equal(bcs_msg(&r), c->msg);
        else if (c->status == 418) {   /* the ban text, with a real "until" time */
            assert_non_null(strstr(bcs_msg(&r), "Way too much request weight used; IP banned until 1"));
            assert_non_null(strstr(bcs_msg(&r), ". Please use WebSocket Streams for live updates to avoid bans."));
        } else {
            bcs_oracle_err o;   /* the message from the oracle, not the catalogue */
            assert_int_equal(bcs_oracle_get(c->row, &o), 0);
            assert_int_equal(o.code, c->code);
            assert_string_equal(bcs_msg(&r), o.msg);
        }
        assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
        bcs_resp_free(&r);
        /* count defaults to 1: the next request is normal */
        assert_int_equal(bcs_http(m, c->method, c->target, NULL, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
}

static void test_fault_count_list_clear(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults",
                               "{\"route\":\"GET /api/v3/ping\",\"count\":3,\"code\":-1007}", NULL), 200);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
        assert_int_equal(r.status, 503);
        bcs_resp_free(&r);
    }
    assert_int_equal(bcs_admin(m, "GET", "/__admin/faults", NULL, &r), 200);
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "faults"), 0);
    assert_non_null(f);
    assert_true(num(f, "count") == 1.0);
    bcs_resp_free(&r);
    /* another route is untouched */
    assert_int_equal(bcs_http(m, "GET", "/api/v3/time", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "DELETE", "/__admin/faults", NULL, NULL), 200);
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    /* bad rules */
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "{\"count\":1,\"code\":-1007}", NULL), 400);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "{\"route\":\"*\"}", NULL), 400);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "{\"route\":\"*\",\"delay_ms\":99999999}", NULL), 400);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "not json", NULL), 400);
}

static void test_fault_drop(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "{\"route\":\"GET /api/v3/ping\",\"drop\":true}", NULL), 200);
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), -1);
    assert_int_equal(r.status, 0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_true(bcs_mock_alive(m));
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_fault_delay(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "{\"route\":\"GET /api/v3/ping\",\"delay_ms\":300}", NULL), 200);
    int64_t t0 = mono_ms();
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    int64_t dt = mono_ms() - t0;
    assert_int_equal(r.status, 200);
    assert_true(dt >= 300);
    bcs_resp_free(&r);
    /* delay + error: the error arrives late */
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults",
                               "{\"route\":\"GET /api/v3/ping\",\"delay_ms\":200,\"code\":-1007}", NULL), 200);
    t0 = mono_ms();
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_true(mono_ms() - t0 >= 200);
    assert_int_equal(r.status, 503);
    bcs_resp_free(&r);
}

static void test_fault_execute(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r, j;
    /* execute=true runs the request, then answers with the error; the journal says so */
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults",
                               "{\"route\":\"GET /api/v3/time\",\"code\":-1007,\"execute\":true}", NULL), 200);
    assert_int_equal(bcs_http(m, "GET", "/api/v3/time", NULL, NULL, &r), 0);
    bcs_assert_err(&r, ERR_TIMEOUT, NULL, NULL);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &j), 200);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(j.json, "entries"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "fault")));
    assert_int_equal(cJSON_GetObjectItem(e, "code")->valueint, -1007);
    bcs_resp_free(&j);
}

/* 5xx "execution status unknown" on an order: execute=true places it,
 * execute=false does not; either way the client sees the same error. */
static void order_with_fault(const bcs_mock *m, int execute, const char *cid, int expect_found)
{
    sig_key *k = bcs_key("hmac.secret");
    const char *api = bcs_api_key("hmac.secret");
    char rule[200], q[300], ts[32];
    bcs_resp r;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/time", NULL, NULL, &r), 0);
    snprintf(ts, sizeof ts, "%.0f", num(r.json, "serverTime"));
    bcs_resp_free(&r);
    snprintf(rule, sizeof rule, "{\"route\":\"POST /api/v3/order\",\"code\":-1007,\"execute\":%s}",
             execute ? "true" : "false");
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", rule, NULL), 200);
    snprintf(q, sizeof q, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newClientOrderId=%s&timestamp=%s", cid, ts);
    assert_int_equal(bcs_signed(m, "POST", "/api/v3/order", k, api, q, NULL, 0, NULL, &r), 0);
    bcs_assert_err(&r, ERR_TIMEOUT, NULL, NULL);
    bcs_resp_free(&r);
    snprintf(q, sizeof q, "symbol=BTCUSDT&origClientOrderId=%s&timestamp=%s", cid, ts);
    assert_int_equal(bcs_signed(m, "GET", "/api/v3/order", k, api, q, NULL, 0, NULL, &r), 0);
    if (expect_found) assert_int_equal(r.status, 200);
    else bcs_assert_err(&r, ERR_NO_SUCH_ORDER, NULL, NULL);
    bcs_resp_free(&r);
    sig_key_free(k);
}

static void test_fault_execute_order(void **state)
{
    bcs_mock *m = *state;
    order_with_fault(m, 1, "fault-exec-1", 1);
    order_with_fault(m, 0, "fault-skip-1", 0);
}

static void test_limits_and_reset(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(m, "POST", "/__admin/limits", "{\"weightPerMinute\":7,\"ordersPer10s\":3}", &r), 200);
    assert_true(num(r.json, "weightPerMinute") == 7.0);
    assert_true(num(r.json, "ordersPer10s") == 3.0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/limits", "{\"weightPerMinute\":-1}", NULL), 400);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/faults", "{\"route\":\"*\",\"code\":-1007,\"count\":5}", NULL), 200);
    assert_int_equal(bcs_clock_freeze(m, T0), 200);

    assert_int_equal(bcs_reset(m), 200);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/limits", NULL, &r), 200);
    assert_true(num(r.json, "weightPerMinute") == 6000.0);
    assert_true(num(r.json, "ordersPer10s") == 100.0);
    assert_true(num(r.json, "ordersPerDay") == 200000.0);
    assert_true(num(r.json, "rawRequestsPer5m") == 300000.0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/faults", NULL, &r), 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "faults")), 0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/clock", NULL, &r), 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "frozen")));
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal", NULL, &r), 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "entries")), 0);
    bcs_resp_free(&r);
}

static void test_admin_errors(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_admin(m, "GET", "/__admin/nope", NULL, &r), 404);
    assert_non_null(cJSON_GetObjectItem(r.json, "error"));
    assert_null(cJSON_GetObjectItem(r.json, "code"));     /* never Binance-shaped */
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "PUT", "/__admin/clock", NULL, NULL), 405);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal/999999999", NULL, NULL), 404);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/keys/revoke", "{\"apiKey\":\"nope\"}", NULL), 400);
}

static void test_admin_token(void **state)
{
    (void)state;
    const char *args[] = { "--admin-token", "s3cret-token", NULL };
    bcs_mock m;
    assert_int_equal(bcs_mock_start(&m, args), 0);
    assert_int_equal(bcs_admin(&m, "GET", "/__admin/clock", NULL, NULL), 401);
    snprintf(m.admin_token, sizeof m.admin_token, "wrong");
    assert_int_equal(bcs_admin(&m, "GET", "/__admin/clock", NULL, NULL), 401);
    snprintf(m.admin_token, sizeof m.admin_token, "s3cret-token");
    assert_int_equal(bcs_admin(&m, "GET", "/__admin/clock", NULL, NULL), 200);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_fault_errors),
        cmocka_unit_test(test_fault_count_list_clear),
        cmocka_unit_test(test_fault_drop),
        cmocka_unit_test(test_fault_delay),
        cmocka_unit_test(test_fault_execute),
        cmocka_unit_test(test_fault_execute_order),
        cmocka_unit_test(test_limits_and_reset),
        cmocka_unit_test(test_admin_errors),
        cmocka_unit_test(test_admin_token),
    };
    return cmocka_run_group_tests_name("server_admin", tests, bcs_group_setup, bcs_group_stop);
}
