/* lib_timing: the timing rule (lib/timing.c), one row per case: every limit
 * at exactly -1/0/+1 ms (and µs for µs timestamps), recvWindow parsing
 * (decimals, precision, max, garbage), timestamp parsing, the ms/µs unit
 * threshold, resolution of the comparison, and the recheck. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "timing.h"

#define NOW_MS 1700000000000LL             /* server clock, whole ms */
#define NOW_US (NOW_MS * 1000)

typedef struct tcase {
    const char *name;
    int64_t now_us;
    const char *ts;           /* literal timestamp text, or NULL to use ts_delta */
    int64_t ts_delta;         /* timestamp = now + delta, in the unit of ts_us */
    int ts_us;                /* 1: timestamp sent in µs */
    const char *rw;           /* recvWindow text, NULL = absent */
    err_id expect;
    const char *bad;          /* expected bad_param or NULL */
} tcase;

#define OK ERR_NONE
#define AHEAD ERR_TIMESTAMP_AHEAD
#define OUT ERR_TIMESTAMP_OUTSIDE_WINDOW
#define MAND ERR_MANDATORY_PARAM_NAMED

static const tcase cases[] = {
    /* future bound: timestamp < serverTime + 1000 ms (strict) */
    {"ms +999", NOW_US, NULL, 999, 0, NULL, OK, NULL},
    {"ms +1000", NOW_US, NULL, 1000, 0, NULL, AHEAD, NULL},
    {"ms +1001", NOW_US, NULL, 1001, 0, NULL, AHEAD, NULL},
    {"ms +10s", NOW_US, NULL, 10000, 0, NULL, AHEAD, NULL},
    {"ms now", NOW_US, NULL, 0, 0, NULL, OK, NULL},
    /* past bound: serverTime - timestamp <= recvWindow (default 5000) */
    {"ms -4999 default", NOW_US, NULL, -4999, 0, NULL, OK, NULL},
    {"ms -5000 default", NOW_US, NULL, -5000, 0, NULL, OK, NULL},
    {"ms -5001 default", NOW_US, NULL, -5001, 0, NULL, OUT, NULL},
    {"ms -10000 rw 10000", NOW_US, NULL, -10000, 0, "10000", OK, NULL},
    {"ms -10001 rw 10000", NOW_US, NULL, -10001, 0, "10000", OUT, NULL},
    {"ms -59999 rw 60000", NOW_US, NULL, -59999, 0, "60000", OK, NULL},
    {"ms -60000 rw 60000", NOW_US, NULL, -60000, 0, "60000", OK, NULL},
    {"ms -60001 rw 60000", NOW_US, NULL, -60001, 0, "60000", OUT, NULL},
    {"ms -1 rw 0", NOW_US, NULL, -1, 0, "0", OUT, NULL},
    {"ms 0 rw 0", NOW_US, NULL, 0, 0, "0", OK, NULL},
    {"ms +999 rw 0", NOW_US, NULL, 999, 0, "0", OK, NULL},
    /* fractional recvWindow with ms timestamps: 6000.346 */
    {"ms -6000 rw 6000.346", NOW_US, NULL, -6000, 0, "6000.346", OK, NULL},
    {"ms -6001 rw 6000.346", NOW_US, NULL, -6001, 0, "6000.346", OUT, NULL},
    /* ms timestamps compare against the clock truncated to whole ms */
    {"ms +999, clock .999", NOW_US + 999, NULL, 999, 0, NULL, OK, NULL},
    {"ms +1000, clock .999", NOW_US + 999, NULL, 1000, 0, NULL, AHEAD, NULL},
    {"ms -5000, clock .999", NOW_US + 999, NULL, -5000, 0, NULL, OK, NULL},
    {"ms -5001, clock .999", NOW_US + 999, NULL, -5001, 0, NULL, OUT, NULL},
    /* µs timestamps: the same bounds at µs resolution */
    {"us +999999", NOW_US, NULL, 999999, 1, NULL, OK, NULL},
    {"us +1000000", NOW_US, NULL, 1000000, 1, NULL, AHEAD, NULL},
    {"us +1000001", NOW_US, NULL, 1000001, 1, NULL, AHEAD, NULL},
    {"us +999 ms", NOW_US, NULL, 999000, 1, NULL, OK, NULL},
    {"us -4999999", NOW_US, NULL, -4999999, 1, NULL, OK, NULL},
    {"us -5000000", NOW_US, NULL, -5000000, 1, NULL, OK, NULL},
    {"us -5000001", NOW_US, NULL, -5000001, 1, NULL, OUT, NULL},
    {"us -5000000, clock .999", NOW_US + 999, NULL, -5000000, 1, NULL, OK, NULL},
    {"us -60000000 rw 60000", NOW_US, NULL, -60000000, 1, "60000", OK, NULL},
    {"us -60000001 rw 60000", NOW_US, NULL, -60000001, 1, "60000", OUT, NULL},
    {"us -6000346 rw 6000.346", NOW_US, NULL, -6000346, 1, "6000.346", OK, NULL},
    {"us -6000347 rw 6000.346", NOW_US, NULL, -6000347, 1, "6000.346", OUT, NULL},
    {"us -500 rw 0.5", NOW_US, NULL, -500, 1, "0.5", OK, NULL},
    {"us -501 rw 0.5", NOW_US, NULL, -501, 1, "0.5", OUT, NULL},
    {"us -600 rw 0.5 (0.6 ms latency)", NOW_US, NULL, -600, 1, "0.5", OUT, NULL},
    {"us -1 rw 0.001", NOW_US, NULL, -1, 1, "0.001", OK, NULL},
    {"us -2 rw 0.001", NOW_US, NULL, -2, 1, "0.001", OUT, NULL},
    {"us -1 rw 0", NOW_US, NULL, -1, 1, "0", OUT, NULL},
    /* recvWindow: limits and syntax */
    {"rw 60000.000", NOW_US, NULL, 0, 0, "60000.000", OK, NULL},
    {"rw 60000.001", NOW_US, NULL, 0, 0, "60000.001", ERR_BAD_RECV_WINDOW, "recvWindow"},
    {"rw 60001", NOW_US, NULL, 0, 0, "60001", ERR_BAD_RECV_WINDOW, "recvWindow"},
    {"rw huge", NOW_US, NULL, 0, 0, "99999999999999999999999999", ERR_BAD_RECV_WINDOW, "recvWindow"},
    {"rw 5000.1234", NOW_US, NULL, 0, 0, "5000.1234", ERR_BAD_PRECISION, "recvWindow"},
    {"rw 5000.0000", NOW_US, NULL, 0, 0, "5000.0000", ERR_BAD_PRECISION, "recvWindow"},
    {"rw 60001.0001 precision first", NOW_US, NULL, 0, 0, "60001.0001", ERR_BAD_PRECISION, "recvWindow"},
    {"rw 5000.1", NOW_US, NULL, -5000, 0, "5000.1", OK, NULL},
    {"rw 5000.12", NOW_US, NULL, -5000, 0, "5000.12", OK, NULL},
    {"rw 05000", NOW_US, NULL, -5000, 0, "05000", OK, NULL},
    {"rw empty", NOW_US, NULL, 0, 0, "", MAND, "recvWindow"},
    {"rw -1", NOW_US, NULL, 0, 0, "-1", MAND, "recvWindow"},
    {"rw abc", NOW_US, NULL, 0, 0, "abc", MAND, "recvWindow"},
    {"rw 5000.", NOW_US, NULL, 0, 0, "5000.", MAND, "recvWindow"},
    {"rw .5", NOW_US, NULL, 0, 0, ".5", MAND, "recvWindow"},
    {"rw 5e3", NOW_US, NULL, 0, 0, "5e3", MAND, "recvWindow"},
    {"rw +5000", NOW_US, NULL, 0, 0, "+5000", MAND, "recvWindow"},
    {"rw space", NOW_US, NULL, 0, 0, " 5000", MAND, "recvWindow"},
    {"rw trailing space", NOW_US, NULL, 0, 0, "5000 ", MAND, "recvWindow"},
    {"rw 1.2.3", NOW_US, NULL, 0, 0, "1.2.3", MAND, "recvWindow"},
    /* timestamp syntax (checked before recvWindow) */
    {"ts missing", NOW_US, "", 0, 0, NULL, MAND, "timestamp"},
    {"ts abc", NOW_US, "abc", 0, 0, NULL, MAND, "timestamp"},
    {"ts -1", NOW_US, "-1", 0, 0, NULL, MAND, "timestamp"},
    {"ts 1.5", NOW_US, "1499827319559.5", 0, 0, NULL, MAND, "timestamp"},
    {"ts trailing x", NOW_US, "1499827319559x", 0, 0, NULL, MAND, "timestamp"},
    {"ts leading space", NOW_US, " 1499827319559", 0, 0, NULL, MAND, "timestamp"},
    {"ts 19 digits (ns)", NOW_US, "1700000000000000000", 0, 0, NULL, MAND, "timestamp"},
    {"ts bad wins over rw bad", NOW_US, "x", 0, 0, "x", MAND, "timestamp"},
    /* unit by magnitude: < 10^14 ms, >= 10^14 µs */
    {"ts 0 is ms, far past", NOW_US, "0", 0, 0, NULL, OUT, NULL},
    {"ts 99999999999999 is ms, far future", NOW_US, "99999999999999", 0, 0, NULL, AHEAD, NULL},
    {"ts 100000000000000 is us, far past", NOW_US, "100000000000000", 0, 0, NULL, OUT, NULL},
    {"ts leading zeros ms", NOW_US, "01700000000000", 0, 0, NULL, OK, NULL},
    {"ts 18 digits us far future", NOW_US, "999999999999999999", 0, 0, NULL, AHEAD, NULL},
    /* before 2017-01-01: outside the window even with the clock there */
    {"ts 2016-12-31T23:59:59.999", 1483228799999000LL, "1483228799999", 0, 0, NULL, OUT, NULL},
    {"ts 2017-01-01T00:00:00.000", 1483228800000000LL, "1483228800000", 0, 0, NULL, OK, NULL},
    {"ts us before 2017", 1483228799999999LL, "1483228799999999", 0, 0, NULL, OUT, NULL},
    /* documentation values */
    {"doc timestamp 1499827319559", 1499827319559000LL + 4000000, "1499827319559", 0, 0, "5000", OK, NULL},
};

static void fill_ts(const tcase *c, char *buf, size_t n) {
    if (c->ts) {
        snprintf(buf, n, "%s", c->ts);
        return;
    }
    int64_t now = c->ts_us ? c->now_us : c->now_us / 1000;
    snprintf(buf, n, "%lld", (long long)(now + c->ts_delta));
}

static void test_table(void **state) {
    (void)state;
    timing_rule r;
    timing_rule_default(&r);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const tcase *c = &cases[i];
        char ts[64];
        const char *bad = "unset";
        fill_ts(c, ts, sizeof(ts));
        print_message("timing case: %s (ts=%s rw=%s)\n", c->name, ts, c->rw ? c->rw : "-");
        err_id e = timing_verify(&r, ts, c->rw, c->now_us, &bad);
        assert_int_equal(e, c->expect);
        if (c->bad) assert_string_equal(bad, c->bad);
        else assert_null(bad);
        /* parse + check give the same verdict */
        timing_req t;
        err_id pe = timing_parse(&r, ts, c->rw, &t, NULL);
        if (pe == ERR_NONE) {
            assert_int_equal(timing_check(&r, &t, c->now_us), c->expect);
            if (!c->ts) assert_int_equal(t.timestamp_is_us, c->ts_us);
        } else {
            assert_int_equal(pe, c->expect);
        }
    }
}

static void test_null_timestamp(void **state) {
    (void)state;
    timing_rule r;
    timing_rule_default(&r);
    const char *bad = NULL;
    assert_int_equal(timing_verify(&r, NULL, NULL, NOW_US, &bad), ERR_MANDATORY_PARAM_NAMED);
    assert_string_equal(bad, "timestamp");
    assert_int_equal(timing_verify(&r, NULL, "5000", NOW_US, NULL), ERR_MANDATORY_PARAM_NAMED);
}

static void test_defaults_and_parse(void **state) {
    (void)state;
    timing_rule r;
    timing_rule_default(&r);
    assert_int_equal(r.default_recv_window_us, 5000000);
    assert_int_equal(r.max_recv_window_us, 60000000);
    assert_int_equal(r.ahead_tolerance_us, 1000000);
    assert_int_equal(r.recv_window_too_big, ERR_BAD_RECV_WINDOW);
    timing_req t;
    assert_int_equal(timing_parse(&r, "1499827319559", NULL, &t, NULL), ERR_NONE);
    assert_int_equal(t.timestamp_us, 1499827319559000LL);
    assert_int_equal(t.timestamp_is_us, 0);
    assert_int_equal(t.recv_window_us, 5000000);
    assert_int_equal(timing_parse(&r, "1499827319559123", "6000.346", &t, NULL), ERR_NONE);
    assert_int_equal(t.timestamp_us, 1499827319559123LL);
    assert_int_equal(t.timestamp_is_us, 1);
    assert_int_equal(t.recv_window_us, 6000346);
    assert_int_equal(timing_parse(&r, "1", "0.05", &t, NULL), ERR_NONE);
    assert_int_equal(t.recv_window_us, 50);
}

static void test_configurable_too_big(void **state) {
    (void)state;
    timing_rule r;
    timing_rule_default(&r);
    r.recv_window_too_big = ERR_PARAM_GREATER_THAN;
    const char *bad = NULL;
    assert_int_equal(timing_verify(&r, "1700000000000", "60001", NOW_US, &bad), ERR_PARAM_GREATER_THAN);
    assert_string_equal(bad, "recvWindow");
    char max[32];
    assert_string_equal(timing_max_recv_window_text(&r, max), "60000");
    char msg[160];
    err_format(msg, sizeof(msg), ERR_PARAM_GREATER_THAN, bad, max);
    assert_string_equal(msg, "'recvWindow' contains unexpected value. Cannot be greater than 60000.");
    r.max_recv_window_us = 1500;
    assert_string_equal(timing_max_recv_window_text(&r, max), "1.5");
    r.max_recv_window_us = 0;
    assert_string_equal(timing_max_recv_window_text(&r, max), "0");
    /* a different window / tolerance */
    timing_rule_default(&r);
    r.ahead_tolerance_us = 500000;
    assert_int_equal(timing_verify(&r, "1700000000499", NULL, NOW_US, NULL), ERR_NONE);
    assert_int_equal(timing_verify(&r, "1700000000500", NULL, NOW_US, NULL), ERR_TIMESTAMP_AHEAD);
}

static void test_recheck(void **state) {
    (void)state;
    timing_rule r;
    timing_rule_default(&r);
    timing_req t;
    assert_int_equal(timing_parse(&r, "1700000000000", "100", &t, NULL), ERR_NONE);
    assert_int_equal(timing_check(&r, &t, NOW_US + 99000), ERR_NONE);
    /* the second check, just before matching, sees a later clock */
    assert_int_equal(timing_recheck(&t, NOW_US + 100000), ERR_NONE);
    assert_int_equal(timing_recheck(&t, NOW_US + 100999), ERR_NONE);   /* same ms */
    assert_int_equal(timing_recheck(&t, NOW_US + 101000), ERR_TIMESTAMP_OUTSIDE_WINDOW);
    assert_int_equal(timing_parse(&r, "1700000000000000", "0.1", &t, NULL), ERR_NONE);
    assert_int_equal(timing_recheck(&t, NOW_US + 100), ERR_NONE);
    assert_int_equal(timing_recheck(&t, NOW_US + 101), ERR_TIMESTAMP_OUTSIDE_WINDOW);
}

static void test_messages(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    assert_int_equal(err_render_json(&b, ERR_TIMESTAMP_AHEAD, NULL, NULL), 0);
    assert_string_equal(b.data, "{\"code\":-1021,\"msg\":\"Timestamp for this request was 1000ms ahead of the server's time.\"}");
    buf_reset(&b);
    assert_int_equal(err_render_json(&b, ERR_TIMESTAMP_OUTSIDE_WINDOW, NULL, NULL), 0);
    assert_string_equal(b.data, "{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}");
    buf_reset(&b);
    assert_int_equal(err_render_json(&b, ERR_BAD_RECV_WINDOW, NULL, NULL), 0);
    assert_string_equal(b.data, "{\"code\":-1131,\"msg\":\"'recvWindow' must be less than 60000.\"}");
    buf_reset(&b);
    assert_int_equal(err_render_json(&b, ERR_MANDATORY_PARAM_NAMED, "timestamp", NULL), 0);
    assert_string_equal(b.data, "{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}");
    buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_null_timestamp),
        cmocka_unit_test(test_defaults_and_parse),
        cmocka_unit_test(test_configurable_too_big),
        cmocka_unit_test(test_recheck),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
