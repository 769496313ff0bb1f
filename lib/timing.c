/* timing: Binance's timing-security rule (fact sheet §4, §11 items 16-24).
 *
 * timestamp: ASCII digits only, at most 18 of them. Unit by magnitude:
 *   value <  10^14 -> milliseconds (13 digits today; 10^14 ms is year 5138),
 *   value >= 10^14 -> microseconds (16 digits today; 10^14 µs is 1973).
 * Leading zeros count toward the value, not the unit. Anything else
 * (empty, sign, spaces, letters, 19+ digits) is "malformed": -1102 'timestamp'.
 * recvWindow: digits with an optional '.' and 1..3 more digits (ms with µs
 * precision). Empty, negative, garbage -> -1102 'recvWindow'; 4+ decimals
 * (even zeros, the digits are counted as written) -> -1111 'recvWindow';
 * above max -> rule->recv_window_too_big. Checks run in that order,
 * timestamp before recvWindow.
 * Accept iff timestamp < now + 1000 ms and now - timestamp <= recvWindow,
 * both at the timestamp's resolution: a ms timestamp is compared with the
 * server clock truncated to whole ms. Timestamps before 2017-01-01 are
 * outside the recvWindow whatever the window (changelog 2024-12-09). */
#include "timing.h"
#include <stddef.h>

#define TIMING_US_THRESHOLD 100000000000000LL      /* 10^14 */
#define TIMING_MIN_TS_US    1483228800000000LL     /* 2017-01-01T00:00:00Z */
#define TIMING_RW_CAP_MS    1000000000000LL        /* saturate absurd windows */

void timing_rule_default(timing_rule *r) {
    r->default_recv_window_us = 5000000;
    r->max_recv_window_us = 60000000;
    r->ahead_tolerance_us = 1000000;
    r->recv_window_too_big = ERR_BAD_RECV_WINDOW;
}

static int timing_is_digit(char c) { return c >= '0' && c <= '9'; }

/* 0 ok and *ts_us / *is_us set; -1 malformed. */
static int timing_parse_timestamp(const char *s, int64_t *ts_us, int *is_us) {
    int64_t v = 0;
    size_t n = 0;
    if (!s || !*s) return -1;
    for (; s[n]; n++) {
        if (!timing_is_digit(s[n]) || n >= 18) return -1;
        v = v * 10 + (s[n] - '0');
    }
    *is_us = v >= TIMING_US_THRESHOLD;
    *ts_us = *is_us ? v : v * 1000;
    return 0;
}

/* ERR_NONE and *us, or the error for recvWindow text s. */
static err_id timing_parse_window(const timing_rule *r, const char *s, int64_t *us) {
    int64_t ms = 0, frac = 0;
    size_t i = 0, decimals = 0;
    if (!*s) return ERR_MANDATORY_PARAM_NAMED;
    for (; timing_is_digit(s[i]); i++)
        if ((ms = ms * 10 + (s[i] - '0')) > TIMING_RW_CAP_MS) ms = TIMING_RW_CAP_MS;
    if (i == 0) return ERR_MANDATORY_PARAM_NAMED;
    if (s[i] == '.') {
        for (i++; timing_is_digit(s[i]); i++, decimals++)
            if (decimals < 3) frac = frac * 10 + (s[i] - '0');
        if (decimals == 0) return ERR_MANDATORY_PARAM_NAMED;
    }
    if (s[i]) return ERR_MANDATORY_PARAM_NAMED;
    if (decimals > 3) return ERR_BAD_PRECISION;
    for (size_t d = decimals; d < 3; d++) frac *= 10;
    *us = ms * 1000 + frac;
    if (*us > r->max_recv_window_us) return r->recv_window_too_big;
    return ERR_NONE;
}

err_id timing_parse(const timing_rule *r, const char *timestamp, const char *recv_window,
                    timing_req *out, const char **bad_param) {
    const char *dummy;
    if (!bad_param) bad_param = &dummy;
    *bad_param = NULL;
    if (timing_parse_timestamp(timestamp, &out->timestamp_us, &out->timestamp_is_us) < 0) {
        *bad_param = "timestamp";
        return ERR_MANDATORY_PARAM_NAMED;
    }
    out->recv_window_us = r->default_recv_window_us;
    if (!recv_window) return ERR_NONE;
    err_id e = timing_parse_window(r, recv_window, &out->recv_window_us);
    if (e != ERR_NONE) *bad_param = "recvWindow";
    return e;
}

/* Floor division (server clocks are positive, but stay correct anyway). */
static int64_t timing_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The server clock at the timestamp's resolution, in µs. */
static int64_t timing_now_at_res(const timing_req *t, int64_t now_us) {
    return t->timestamp_is_us ? now_us : timing_floor_div(now_us, 1000) * 1000;
}

err_id timing_recheck(const timing_req *t, int64_t now_us) {
    if (t->timestamp_us < TIMING_MIN_TS_US) return ERR_TIMESTAMP_OUTSIDE_WINDOW;
    int64_t now = timing_now_at_res(t, now_us);
    if (now - t->timestamp_us > t->recv_window_us) return ERR_TIMESTAMP_OUTSIDE_WINDOW;
    return ERR_NONE;
}

err_id timing_check(const timing_rule *r, const timing_req *t, int64_t now_us) {
    int64_t now = timing_now_at_res(t, now_us);
    if (t->timestamp_us - now >= r->ahead_tolerance_us) return ERR_TIMESTAMP_AHEAD;
    return timing_recheck(t, now_us);
}

err_id timing_verify(const timing_rule *r, const char *timestamp, const char *recv_window,
                     int64_t now_us, const char **bad_param) {
    timing_req t;
    err_id e = timing_parse(r, timestamp, recv_window, &t, bad_param);
    return e != ERR_NONE ? e : timing_check(r, &t, now_us);
}

const char *timing_max_recv_window_text(const timing_rule *r, char out[32]) {
    int64_t us = r->max_recv_window_us, ms = us / 1000, frac = us % 1000;
    char tmp[32];
    size_t n = 0, k = 0;
    do { tmp[n++] = (char)('0' + ms % 10); ms /= 10; } while (ms && n < 20);
    while (n) out[k++] = tmp[--n];
    if (frac) {
        out[k++] = '.';
        out[k++] = (char)('0' + frac / 100);
        out[k++] = (char)('0' + frac / 10 % 10);
        out[k++] = (char)('0' + frac % 10);
        while (out[k - 1] == '0') k--;
    }
    out[k] = '\0';
    return out;
}
