/* server_replay: binance-mock --replay over a real socket (docs/replay.md).
 * A generated directory of Binance-layout files (BTCUSDT trades in µs with
 * a header, ETHUSDT 1m klines in ms, the same day) is served on the frozen virtual clock:
 * nothing before --replay-start-ms, then REST trades / aggTrades / klines /
 * ticker and a trade stream client see exactly the prints due, in order, as
 * the clock is stepped; a signed limit order fills by the through rule. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

#define WAIT_MS 10000

typedef bcs_fx fx;
static char *dir;
static int64_t start_ms;         /* --replay-start-ms */
static char start_arg[32];

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* BTCUSDT prints at +0.5 s, +1 s, +1.5 s, +2 s, +3 s of the data's first minute. */
static const char *trades =
    "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n"
    "900,60000.00000000,0.01000000,600.00000000,1735689600500000,True,True\n"
    "901,60001.00000000,0.02000000,1200.02000000,1735689601000000,False,True\n"
    "902,60002.00000000,0.03000000,1800.06000000,1735689601500000,False,True\n"
    "903,59990.00000000,0.04000000,2399.60000000,1735689602000000,True,True\n"
    "904,59980.00000000,0.05000000,2999.00000000,1735689603000000,True,True\n";

static int setup(void **state)
{
    dir = bcs_tmpdir();
    if (!dir) return -1;
    write_file("BTCUSDT-trades-2025-01-01.csv", trades);
    /* same day in ms (symbols keep their relative timing: one origin for all) */
    write_file("ETHUSDT-1m-2025-01-01.csv",
               "1735689600000,3000.0,3010.0,2990.0,3005.0,12.0,1735689659999,36000.0,100,6.0,18000.0,0\n"
               "1735689660000,3005.0,3006.0,3001.0,3002.0,4.0,1735689719999,12000.0,50,2.0,6000.0,0\n");
    start_ms = (bcs_real_ms() / 60000 + 10) * 60000;   /* a whole minute, 10 minutes ahead */
    snprintf(start_arg, sizeof start_arg, "%lld", (long long)start_ms);
    const char *args[] = { "--replay", dir, "--replay-start-ms", start_arg, NULL };
    return bcs_fx_start(state, args, 0);
}

static int teardown(void **state)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return -1;
    free(dir);
    return bcs_fx_stop(state);
}

static cJSON *get(fx *f, const char *target)
{
    bcs_resp r;
    assert_int_equal(bcs_http(&f->m, "GET", target, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = cJSON_Duplicate(r.json, 1);
    bcs_resp_free(&r);
    return j;
}

static void freeze(fx *f, int64_t ms)
{
    assert_int_equal(bcs_clock_freeze(&f->m, ms), 200);
    f->now_ms = ms;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

/* The next trade event of the stream (other frames skipped). */
static cJSON *next_trade(bcws *c)
{
    for (int i = 0; i < 50; i++) {
        cJSON *e = bcws_recv_event(c, WAIT_MS);
        assert_non_null(e);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "e");
        if (cJSON_IsString(t) && !strcmp(t->valuestring, "trade")) return e;
        cJSON_Delete(e);
    }
    fail_msg("no trade event");
    return NULL;
}

static void test_rest_and_stream_on_the_clock(void **state)
{
    fx *f = *state;
    static const char *prices[] = { "60000.00000000", "60001.00000000", "60002.00000000", "59990.00000000", "59980.00000000" };
    static const int64_t at[] = { 500, 1000, 1500, 2000, 3000 };
    freeze(f, start_ms - 1000);
    cJSON *j = get(f, "/api/v3/trades?symbol=BTCUSDT");
    assert_int_equal(cJSON_GetArraySize(j), 0);                /* nothing before the start */
    cJSON_Delete(j);
    bcws *c = bcs_fx_ws(f, "/ws/btcusdt@trade");
    bcs_fx_ws_sync(c, "/ws/btcusdt@trade", WAIT_MS);
    freeze(f, start_ms + 2500);
    j = get(f, "/api/v3/trades?symbol=BTCUSDT");
    assert_int_equal(cJSON_GetArraySize(j), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *t = cJSON_GetArrayItem(j, i);
        assert_string_equal(str(t, "price"), prices[i]);
        assert_true(num(t, "time") == (double)(start_ms + at[i]));
        assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(t, "isBuyerMaker")), i == 0 || i == 3);
    }
    cJSON_Delete(j);
    for (int i = 0; i < 4; i++) {                              /* the stream: the same, in order */
        cJSON *e = next_trade(c);
        assert_string_equal(str(e, "p"), prices[i]);
        assert_true(num(e, "T") == (double)(start_ms + at[i]));
        cJSON_Delete(e);
    }
    freeze(f, start_ms + 3000);
    cJSON *e = next_trade(c);
    assert_string_equal(str(e, "p"), prices[4]);
    cJSON_Delete(e);
    bcws_close(c);
    j = get(f, "/api/v3/aggTrades?symbol=BTCUSDT");
    assert_int_equal(cJSON_GetArraySize(j), 5);
    assert_string_equal(str(cJSON_GetArrayItem(j, 4), "q"), "0.05000000");
    cJSON_Delete(j);
    j = get(f, "/api/v3/ticker/price?symbol=BTCUSDT");
    assert_string_equal(str(j, "price"), "59980.00000000");
    cJSON_Delete(j);
}

/* Klines-only data: the served 1m klines carry the file's open time
 * (shifted), open, high, low, close and volume. */
static void test_klines(void **state)
{
    fx *f = *state;
    freeze(f, start_ms + 120000);
    char q[160];
    snprintf(q, sizeof q, "/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=%lld&limit=2", (long long)start_ms);
    cJSON *j = get(f, q);
    assert_int_equal(cJSON_GetArraySize(j), 2);
    const cJSON *k = cJSON_GetArrayItem(j, 0), *k2 = cJSON_GetArrayItem(j, 1);
    assert_true(cJSON_GetArrayItem(k, 0)->valuedouble == (double)start_ms);
    assert_string_equal(cJSON_GetArrayItem(k, 1)->valuestring, "3000.00000000");
    assert_string_equal(cJSON_GetArrayItem(k, 2)->valuestring, "3010.00000000");
    assert_string_equal(cJSON_GetArrayItem(k, 3)->valuestring, "2990.00000000");
    assert_string_equal(cJSON_GetArrayItem(k, 4)->valuestring, "3005.00000000");
    assert_string_equal(cJSON_GetArrayItem(k, 5)->valuestring, "12.00000000");
    assert_string_equal(cJSON_GetArrayItem(k2, 4)->valuestring, "3002.00000000");
    assert_string_equal(cJSON_GetArrayItem(k2, 5)->valuestring, "4.00000000");
    cJSON_Delete(j);
}

/* The next event named e within a bounded wait (NULL if none came). */
static cJSON *next_of(bcws *c, const char *e, int wait_ms)
{
    for (int i = 0; i < 50; i++) {
        cJSON *ev = bcws_recv_event(c, wait_ms);
        if (!ev) return NULL;
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(ev, "e");
        if (cJSON_IsString(t) && !strcmp(t->valuestring, e)) return ev;
        cJSON_Delete(ev);
    }
    return NULL;
}

/* The kline stream of a klines-only symbol closes the file's bar with
 * "x":true and its open, high, low, close and volume. */
static void test_kline_stream_closes_the_bar(void **state)
{
    fx *f = *state;
    freeze(f, start_ms + 4000);                          /* where the first test left it */
    bcws *c = bcs_fx_ws(f, "/ws/ethusdt@kline_1m");
    bcs_fx_ws_sync(c, "/ws/ethusdt@kline_1m", WAIT_MS);
    cJSON *ev = NULL;
    for (int s = 2; s < 40 && !ev; s += 2) {             /* the stream starts: one period to count */
        freeze(f, start_ms + 4000 + s * 1000);
        ev = next_of(c, "kline", 300);
    }
    assert_non_null(ev);
    cJSON_Delete(ev);
    freeze(f, start_ms + 62000);
    const cJSON *k = NULL;
    for (int i = 0; i < 10 && !k; i++) {
        ev = next_of(c, "kline", 1000);
        assert_non_null(ev);
        k = cJSON_GetObjectItemCaseSensitive(ev, "k");
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "x"))) { cJSON_Delete(ev); k = NULL; }
    }
    assert_non_null(k);
    assert_true(num(k, "t") == (double)start_ms);
    assert_string_equal(str(k, "o"), "3000.00000000");
    assert_string_equal(str(k, "h"), "3010.00000000");
    assert_string_equal(str(k, "l"), "2990.00000000");
    assert_string_equal(str(k, "c"), "3005.00000000");
    assert_string_equal(str(k, "v"), "12.00000000");
    cJSON_Delete(ev);
    bcws_close(c);
}

/* A signed resting buy fills only when a print goes through its price (on
 * a server of its own: a replay untouched by the other tests' clock moves). */
static void test_order_fills_through(void **state)
{
    (void)state;
    const char *args[] = { "--replay", dir, "--replay-start-ms", start_arg, NULL };
    fx g = { .now_ms = 0 };
    assert_int_equal(bcs_mock_start(&g.m, args), 0);
    fx *f = &g;
    f->key = bcs_key("hmac.secret");
    f->api_key = bcs_api_key("hmac.secret");
    assert_non_null(f->key);
    freeze(f, start_ms + 1200);                                /* last print 60001.00 */
    bcs_resp r;
    bcs_fx_call(f, "POST", "/api/v3/order",
                "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=59995.00&quantity=0.1", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "status"), "NEW");
    char q[96];
    snprintf(q, sizeof q, "symbol=BTCUSDT&orderId=%.0f", num(r.json, "orderId"));
    bcs_resp_free(&r);
    freeze(f, start_ms + 2000);                                /* 59990.00 x 0.04: through */
    bcs_fx_call(f, "GET", "/api/v3/order", q, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "executedQty"), "0.04000000");
    assert_string_equal(str(r.json, "status"), "PARTIALLY_FILLED");
    bcs_resp_free(&r);
    freeze(f, start_ms + 3000);                                /* 59980.00 x 0.05 */
    bcs_fx_call(f, "GET", "/api/v3/order", q, NULL, &r);
    assert_string_equal(str(r.json, "executedQty"), "0.09000000");
    bcs_resp_free(&r);
    sig_key_free(f->key);
    assert_int_equal(bcs_mock_stop(&g.m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rest_and_stream_on_the_clock),
        cmocka_unit_test(test_kline_stream_closes_the_bar),
        cmocka_unit_test(test_klines),
        cmocka_unit_test(test_order_fills_through),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
