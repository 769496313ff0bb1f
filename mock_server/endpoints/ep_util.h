/* ep_util: what every handler shares - reading and validating parameters
 * with Binance's exact errors (-1100 legal ranges, -1102, -1111, -1121),
 * and rendering exchange objects (orders, fills, decimals, times) in
 * Binance's JSON shapes and field order. Private to endpoints/. */
#ifndef BC_EP_UTIL_H
#define BC_EP_UTIL_H
#include "api.h"
#include "srv.h"
#include "exchange_api.h"

#define EP_RANGE_DEC "^([0-9]{1,20})(\\.[0-9]{1,20})?$"
#define EP_RANGE_INT "^[0-9]{1,20}$"
#define EP_RANGE_LONG "^-?[0-9]{1,20}$"
#define EP_RANGE_CLID "^[a-zA-Z0-9-_]{1,36}$"

struct exchange *ep_ex(api_req *rq);
/* The value, or NULL when absent or empty. */
const char *ep_str(api_req *rq, const char *name);
/* Mandatory string: 0 ok, -1 with -1102 named set. */
int ep_need(api_req *rq, api_resp *rs, const char *name, const char **out);
/* Decimal: 0 absent, 1 present, -1 error set (-1100 range, -1111 precision). */
int ep_dec(api_req *rq, api_resp *rs, const char *name, dec_t *v);
/* Integer (allow_negative for ids that may be -1): 0 absent, 1 present, -1 error set. */
int ep_int(api_req *rq, api_resp *rs, const char *name, int64_t *v, int allow_negative);
/* A time parameter (ms or µs by magnitude), converted to µs. */
int ep_time_param(api_req *rq, api_resp *rs, const char *name, int64_t *us);
/* limit: default def, clamped to [1, max]; -1 on a malformed value. */
int ep_limit(api_req *rq, api_resp *rs, int def, int max, int *out);
/* Boolean "true"/"false" (case-insensitive): 0 absent, 1 present, -1 error set. */
int ep_bool(api_req *rq, api_resp *rs, const char *name, int *v);
/* Peg instructions prefix + PegPriceType/PegOffsetType/PegOffsetValue
 * (prefix "": pegPriceType, ...; rest-api.md "Pegged Orders Info"): -1210 /
 * -1211 for a bad enum; the offset's two parameters go together (-1128); an
 * offset without the price type is not required (-1106); the value is 0..100
 * (-1100 otherwise - binance-mock's choice). 0 ok (peg->type EX_PEG_NONE if
 * none sent), -1 error set. */
int ep_peg(api_req *rq, api_resp *rs, const char *prefix, ex_peg *peg);
/* Symbol by name (exchange locked): index, or -1 with -1102 (missing) / -1121 set. */
int ep_symbol(api_req *rq, api_resp *rs, struct exchange *ex, int required);
/* Require a signed account. */
int ep_account(api_req *rq, api_resp *rs);

void ep_add_dec(cJSON *o, const char *key, dec_t v);
void ep_add_time(api_req *rq, cJSON *o, const char *key, int64_t us);
cJSON *ep_dec_str(dec_t v);

typedef enum ep_order_shape { EP_ORDER_ACK, EP_ORDER_RESULT, EP_ORDER_FULL, EP_ORDER_QUERY, EP_ORDER_CANCEL } ep_order_shape;
/* One order object in the given shape (fills only for FULL); cancel_client_id
 * is the cancel request's own clientOrderId (CANCEL shape). */
cJSON *ep_order_json(api_req *rq, struct exchange *ex, const ex_order *o, ep_order_shape shape,
                     const ex_result *r, const char *cancel_client_id, int64_t transact_us);
/* An exchange result's error into the response. */
void ep_result_error(api_resp *rs, const ex_result *r);
#endif
