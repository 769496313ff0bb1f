/* ws_frame: pure text-frame parsing and rendering for the WebSocket API and
 * the stream control protocol (no civetweb, no server state: unit-testable).
 * The request's "id" and "params" are kept as the exact source text, so ids
 * echo verbatim and numbers in params keep the digits the client signed. */
#ifndef BC_WS_FRAME_H
#define BC_WS_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "buf.h"
#include "errors.h"

typedef enum wsf_status {
    WSF_OK = 0,
    WSF_BAD_JSON,        /* not JSON, or not an object */
    WSF_BAD_ID,          /* id neither number, string nor null */
    WSF_NO_METHOD,       /* method missing / not a string / empty */
    WSF_BAD_PARAMS,      /* params present but not an object */
    WSF_OOM
} wsf_status;

typedef struct wsf_request {
    char id_raw[128];    /* the id token as written ("null" when absent) */
    char method[128];    /* method without a "v3/" version prefix */
    const char *params;  /* raw text of the params object (points into the frame), or NULL */
    size_t params_len;
} wsf_request;

/* Find the raw text of top-level member `name` of the JSON object text
 * s[0..n) (assumed valid JSON). 1 found (*v, *vlen), 0 not found. */
int wsf_member_span(const char *s, size_t n, const char *name, const char **v, size_t *vlen);
/* Parse a WS API request frame. */
wsf_status wsf_parse_request(const char *s, size_t n, wsf_request *out);

/* {"id":<id_raw>,"status":<status>,"result":<result>[,"rateLimits":<rl>]} */
int wsf_render_result(buf_t *out, const char *id_raw, int status, const cJSON *result,
                      const cJSON *rate_limits);
/* {"id":..,"status":..,"error":{"code":..,"msg":..[,"data":..]}[,"rateLimits":..]} */
int wsf_render_error(buf_t *out, const char *id_raw, int status, err_id e, const char *a1,
                     const char *a2, const cJSON *data, const cJSON *rate_limits);

/* Connection URL query options of /ws-api/v3 (and streams): returnRateLimits,
 * timeUnit. Returns ERR_NONE or ERR_INVALID_TIME_UNIT. */
err_id wsf_url_options(const char *query, int *return_rate_limits, int *time_unit_us);
/* timeUnit value check: 1 MICROSECOND/microsecond, 0 MILLISECOND/millisecond, -1 bad. */
int wsf_time_unit(const char *v);
/* Boolean param: 1 "true", 0 "false", -1 anything else. */
int wsf_bool(const char *v);

/* A copy of a Binance event with its time fields (E, T, O, W; u of
 * outboundAccountPosition; C of 24hrTicker; k.t/k.T of kline) in µs instead
 * of ms, for connections opened with timeUnit=MICROSECOND. NULL on oom. */
cJSON *wsf_event_to_us(const cJSON *ev);
/* Add an integer time field in ms or µs (as raw text: exact, never 1e+15). */
cJSON *wsf_add_time(cJSON *o, const char *name, int time_unit_us, int64_t t_us);
/* The same for event text; malloc'd (cJSON_free), NULL on error. */
char *wsf_event_text_to_us(const char *raw);

/* Stream control frames: {"method":"SUBSCRIBE","params":[...],"id":N} */
typedef enum wsc_method {
    WSC_NONE = 0, WSC_SUBSCRIBE, WSC_UNSUBSCRIBE, WSC_LIST, WSC_SET_PROPERTY, WSC_GET_PROPERTY
} wsc_method;

typedef enum wsc_status {
    WSC_OK = 0,
    WSC_BAD_JSON,        /* code 3: invalid JSON */
    WSC_TOO_DEEP,        /* code 3: nested deeper than json_guard allows */
    WSC_BAD_ID,          /* code 2: request ID must be an unsigned integer */
    WSC_NO_METHOD,       /* code 2: missing field method */
    WSC_UNKNOWN_METHOD,  /* code 2: unknown variant */
    WSC_BAD_PARAMS,      /* code 2: property name must be a string / params not an array of strings */
    WSC_UNKNOWN_PROPERTY,/* code 0 */
    WSC_BAD_VALUE,       /* code 1: expected Boolean */
    WSC_TOO_MANY_PARAMS, /* code 2: too many parameters (also > max streams in one SUBSCRIBE) */
    WSC_INVALID_STREAM,  /* code 2: invalid stream (a malformed stream name; [observed]) */
    WSC_OOM
} wsc_status;

typedef struct wsc_request {
    wsc_method method;
    char id_raw[48];     /* the id as it is echoed: integer as written, "string", or null */
    char **params;       /* stream names / property args (owned) */
    size_t nparams;
    int bool_value;      /* SET_PROPERTY value */
} wsc_request;

/* Parse a control frame; a params array longer than max_streams is
 * WSC_TOO_MANY_PARAMS. */
wsc_status wsc_parse(const char *s, size_t n, size_t max_streams, wsc_request *out);
void wsc_free(wsc_request *r);
/* Binance stream protocol error code of a status (0..3). */
int wsc_status_code(wsc_status st);
/* Catalogue id name of the message of a status, for err_by_id_name(). */
const char *wsc_status_err_name(wsc_status st);
#endif
