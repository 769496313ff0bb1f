/* api: the transport-neutral endpoint interface. Every Binance endpoint is
 * one api_route with one handler; the REST layer (/api/v3/...) and the
 * WebSocket API (/ws-api/v3) both run the same security pipeline and then
 * call the same handler ("one implementation, two transports"). Handlers
 * never see HTTP: they read params, talk to the exchange, and fill api_resp. */
#ifndef BC_API_H
#define BC_API_H
#include <stdint.h>
#include <cjson/cJSON.h>
#include "errors.h"
#include "params.h"
#include "timing.h"

struct srv;                 /* server context (srv.h) */

/* SEC_MARKET_DATA: Binance's MARKET_DATA type, still used by the /sapi
 * discovery routes: an API key is required (any permission), a signature is
 * optional and, when sent, checked like USER_DATA's (ccxt signs them). */
typedef enum sec_type { SEC_NONE = 0, SEC_TRADE, SEC_USER_DATA, SEC_USER_STREAM, SEC_MARKET_DATA } sec_type;
typedef enum api_transport { API_REST = 0, API_WS = 1 } api_transport;

typedef struct api_req {
    struct srv *srv;
    const struct api_route *route;
    const params_t *params;       /* all params; use api_param() for the effective value */
    int account_id;               /* exchange account of the authenticated key, -1 for SEC_NONE */
    const char *api_key;          /* authenticated API key or NULL */
    const timing_req *timing;     /* parsed timestamp/recvWindow on signed requests, else NULL */
    int64_t now_us;               /* server (virtual) clock at receipt, µs */
    int time_unit_us;             /* 1: render time fields in µs (X-MBX-TIME-UNIT / timeUnit) */
    api_transport transport;
    const char *client_ip;
} api_req;

typedef struct api_resp {
    int status;                   /* HTTP status; 0 means 200 on success, catalogue status on error */
    cJSON *body;                  /* success body (object or array), owned by the response */
    err_id err;                   /* ERR_NONE on success */
    char err_a1[256], err_a2[256];/* template arguments of err */
    cJSON *err_data;              /* optional error "data" (cancelReplace -2021/-2022), owned */
    int order_placed;             /* n > 0: count n orders against order limits, send X-MBX-ORDER-COUNT-* */
    int weight;                   /* weight to charge; the pipeline presets route->weight */
} api_resp;

typedef void (*api_handler)(api_req *rq, api_resp *rs);

typedef struct api_route {
    const char *method;           /* "GET", "POST", "PUT", "DELETE" */
    const char *path;             /* "/api/v3/order" */
    const char *ws_method;        /* WebSocket API twin, e.g. "order.place", or NULL */
    sec_type sec;
    int weight;                   /* base request weight (fact sheet §6) */
    const char *params;           /* every parameter the endpoint reads, comma-separated,
                                     timestamp/recvWindow/signature included for signed ones;
                                     a param not listed -> -1104 (see pipeline) */
    api_handler fn;
} api_route;

/* Helpers every handler uses (api.c). */
const char *api_param(const api_req *rq, const char *name);       /* effective value or NULL */
void api_error(api_resp *rs, err_id e, const char *a1, const char *a2);
void api_error_me(api_resp *rs, err_id e, me_msg m);              /* -2010/-2011/-1013 with an ME text */
void api_ok(api_resp *rs, cJSON *body);
/* Time field in the requested unit (ms or µs). */
double api_time(const api_req *rq, int64_t t_us);
#endif
