/* pipeline: the REST request record and THE security pipeline (contract C),
 * in this order, each step one function below:
 *   1 route lookup            404 unknown path / 405 known path, other method
 *   2 faults (admin)          delay, drop, error (execute=true: after step 11)
 *   3 rate limit              418 IP ban, 429 weight / raw requests
 *   4 X-MBX-TIME-UNIT         -1194
 *   5 parameters              -1101 too many / duplicate in one source, -1100 bad escape / UTF-8
 *   6 security (by type)      --check-order key-first (default):
 *                               API key -2014/-2015 -> mandatory signature, timestamp -1102
 *                             --check-order signature-first: the two swapped
 *                             then signature -1022 (+ X-Mock-Explain) -> timing -1021/-1131/-1102
 *   7 unread parameters       -1104 (route->params)
 *   8 order count             429 -1015 (TRADE POST routes except order tests)
 *   9 handler                 its own validation; trade handlers re-check recvWindow
 * Binance documents none of the orders between steps 3..7 precisely; the
 * key/signature order is configurable. Every request is journaled. */
#ifndef BC_PIPELINE_H
#define BC_PIPELINE_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

struct srv;

typedef struct rest_hdr { const char *name, *value; } rest_hdr;

typedef struct rest_req {
    const char *method, *path;
    const char *query; size_t qlen;       /* raw bytes after '?' */
    const char *body; size_t blen;        /* raw body */
    int body_is_form;                     /* body holds form parameters */
    const rest_hdr *hdrs; size_t nhdrs;
    const char *client_ip;
} rest_req;

typedef struct rest_resp {
    int status;
    buf_t body;                           /* JSON text ("" for 404/405) */
    int64_t used_weight;
    int order_counted;
    int64_t c10s, c1d;
    int64_t retry_after_s;                /* 0: no Retry-After */
    int64_t explain_id;                   /* 0: no X-Mock-Explain */
    int drop;                             /* close without a response */
} rest_resp;

void pipeline_rest(struct srv *s, const rest_req *rq, rest_resp *out);
void rest_resp_free(rest_resp *r);
/* Value of a request header (case-insensitive) or NULL. */
const char *rest_header(const rest_req *rq, const char *name);
#endif
