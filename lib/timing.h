/* timing: Binance's timing-security rule, in exactly one place (fact sheet §4).
 * timestamp in ms (13 digits) or µs (16 digits); recvWindow in ms with up to
 * 3 decimals, default 5000, max 60000. Accept iff
 *   timestamp < serverTime + 1000 ms  and  serverTime - timestamp <= recvWindow,
 * compared at the resolution of the timestamp (ms timestamps against the
 * server's ms clock, µs timestamps against its µs clock).
 * Unit by magnitude: value < 10^14 is ms, >= 10^14 is µs (timing.c has the
 * full parsing rules). Timestamps before 2017-01-01 fail the recvWindow check. */
#ifndef BC_TIMING_H
#define BC_TIMING_H
#include <stdint.h>
#include "errors.h"

typedef struct timing_rule {
    int64_t default_recv_window_us;   /* 5000000 */
    int64_t max_recv_window_us;       /* 60000000 */
    int64_t ahead_tolerance_us;       /* 1000000 */
    /* recvWindow > max: ERR_BAD_RECV_WINDOW (-1131, default, observed) or
     * ERR_PARAM_GREATER_THAN (-1102 variant of errors.md). Configurable
     * because Binance's docs are silent. */
    err_id recv_window_too_big;
} timing_rule;

typedef struct timing_req {
    int64_t timestamp_us;     /* the timestamp converted to µs */
    int timestamp_is_us;      /* 1 if sent in µs */
    int64_t recv_window_us;   /* effective window in µs */
} timing_req;

void timing_rule_default(timing_rule *r);
/* Parse timestamp / recvWindow strings (recvWindow NULL -> default).
 * On error returns the catalogue id (ERR_MANDATORY_PARAM_NAMED with
 * *bad_param = "timestamp" or "recvWindow", ERR_BAD_PRECISION for >3 decimals,
 * r->recv_window_too_big for > max); ERR_NONE on success. */
err_id timing_parse(const timing_rule *r, const char *timestamp, const char *recv_window,
                    timing_req *out, const char **bad_param);
/* The acceptance check at receipt: ERR_NONE, ERR_TIMESTAMP_AHEAD or
 * ERR_TIMESTAMP_OUTSIDE_WINDOW. now_us is the server's clock in µs. */
err_id timing_check(const timing_rule *r, const timing_req *t, int64_t now_us);
/* The second check just before matching (recvWindow only). */
err_id timing_recheck(const timing_req *t, int64_t now_us);
/* The max recvWindow in ms as text ("60000"; decimals only when needed), for
 * the second argument of ERR_PARAM_GREATER_THAN ('%s' = bad_param). Returns out. */
const char *timing_max_recv_window_text(const timing_rule *r, char out[32]);
/* Convenience: parse + check. */
err_id timing_verify(const timing_rule *r, const char *timestamp, const char *recv_window,
                     int64_t now_us, const char **bad_param);
#endif
