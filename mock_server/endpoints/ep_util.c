/* ep_util.c: parameter readers and JSON renderers shared by the handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ep_util.h"

struct exchange *ep_ex(api_req *rq) { return srv_exchange(rq->srv); }

const char *ep_str(api_req *rq, const char *name)
{
    const char *v = api_param(rq, name);
    return v && *v ? v : NULL;
}

int ep_need(api_req *rq, api_resp *rs, const char *name, const char **out)
{
    *out = ep_str(rq, name);
    if (*out) return 0;
    api_error(rs, ERR_MANDATORY_PARAM_NAMED, name, NULL);
    return -1;
}

int ep_dec(api_req *rq, api_resp *rs, const char *name, dec_t *v)
{
    const char *s = ep_str(rq, name);
    if (!s) return 0;
    switch (dec_parse(s, v, 0)) {
    case DEC_OK: return 1;
    case DEC_PRECISION: api_error(rs, ERR_BAD_PRECISION, name, NULL); return -1;
    case DEC_OVERFLOW: api_error(rs, ERR_PARAM_OVERFLOW, name, NULL); return -1;
    default: api_error(rs, ERR_ILLEGAL_CHARS_PARAM, name, EP_RANGE_DEC); return -1;
    }
}

int ep_int(api_req *rq, api_resp *rs, const char *name, int64_t *v, int allow_negative)
{
    const char *s = ep_str(rq, name);
    if (!s) return 0;
    const char *p = s;
    if (allow_negative && *p == '-') p++;
    size_t n = strlen(p);
    int ok = n > 0 && n <= 19 && strspn(p, "0123456789") == n;
    if (!ok) {
        api_error(rs, ERR_ILLEGAL_CHARS_PARAM, name, allow_negative ? EP_RANGE_LONG : EP_RANGE_INT);
        return -1;
    }
    *v = strtoll(s, NULL, 10);
    return 1;
}

int ep_time_param(api_req *rq, api_resp *rs, const char *name, int64_t *us)
{
    int64_t v;
    int r = ep_int(rq, rs, name, &v, 0);
    if (r <= 0) return r;
    /* ms (13 digits) or µs (16 digits), told apart by magnitude like timestamp */
    *us = v >= 100000000000000LL ? v : v * 1000;
    return 1;
}

int ep_limit(api_req *rq, api_resp *rs, int def, int max, int *out)
{
    int64_t v;
    int r = ep_int(rq, rs, "limit", &v, 0);
    if (r < 0) return -1;
    if (r == 0) v = def;
    if (v < 1) v = 1;
    if (v > max) v = max;
    *out = (int)v;
    return 0;
}

int ep_bool(api_req *rq, api_resp *rs, const char *name, int *v)
{
    const char *s = ep_str(rq, name);
    if (!s) return 0;
    if (!strcasecmp(s, "true")) { *v = 1; return 1; }
    if (!strcasecmp(s, "false")) { *v = 0; return 1; }
    api_error(rs, ERR_INVALID_PARAMETER_NAMED, name, NULL);
    return -1;
}

/* prefix + "PegPriceType" -> "pegPriceType" (prefix "") or "workingPegPriceType" */
static const char *peg_name(char *buf, size_t n, const char *prefix, const char *name)
{
    snprintf(buf, n, "%s%s", prefix, name);
    if (!*prefix) buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

int ep_peg(api_req *rq, api_resp *rs, const char *prefix, ex_peg *peg)
{
    char pt_n[64], ot_n[64], ov_n[64];
    const char *pt = ep_str(rq, peg_name(pt_n, sizeof pt_n, prefix, "PegPriceType"));
    const char *ot = ep_str(rq, peg_name(ot_n, sizeof ot_n, prefix, "PegOffsetType"));
    int64_t off = 0;
    int has_off = ep_int(rq, rs, peg_name(ov_n, sizeof ov_n, prefix, "PegOffsetValue"), &off, 0);
    if (has_off < 0) return -1;
    memset(peg, 0, sizeof *peg);
    if (pt) {
        int t = ex_peg_parse(pt);
        if (t < 0) { api_error(rs, ERR_INVALID_PEG_PRICE_TYPE, NULL, NULL); return -1; }
        peg->type = (ex_peg_type)t;
    }
    if (ot && strcmp(ot, "PRICE_LEVEL")) { api_error(rs, ERR_INVALID_PEG_OFFSET_TYPE, NULL, NULL); return -1; }
    if ((ot != NULL) != (has_off > 0)) { api_error(rs, ERR_OPTIONAL_PARAMS_BOTH, ot_n, ov_n); return -1; }
    if (ot && !pt) { api_error(rs, ERR_PARAM_NOT_REQUIRED_NAMED, ot_n, NULL); return -1; }
    if (has_off && off > 100) { api_error(rs, ERR_ILLEGAL_CHARS_PARAM, ov_n, "^(100|[1-9]?[0-9])$"); return -1; }
    peg->has_offset = has_off > 0;
    peg->offset = (int)off;
    return 0;
}

int ep_symbol(api_req *rq, api_resp *rs, struct exchange *ex, int required)
{
    const char *name = ep_str(rq, "symbol");
    if (!name) {
        if (required) api_error(rs, ERR_MANDATORY_PARAM_NAMED, "symbol", NULL);
        return -1;
    }
    ex_symbol *s = ex_symbol_find(ex, name);
    if (!s) { api_error(rs, ERR_BAD_SYMBOL, NULL, NULL); return -1; }
    return ex_symbol_index(ex, s);
}

int ep_account(api_req *rq, api_resp *rs)
{
    if (rq->account_id >= 0) return 0;
    api_error(rs, ERR_REJECTED_MBX_KEY, NULL, NULL);
    return -1;
}

cJSON *ep_dec_str(dec_t v)
{
    char b[48];
    dec_format(b, sizeof b, v, 8);
    return cJSON_CreateString(b);
}

void ep_add_dec(cJSON *o, const char *key, dec_t v)
{
    cJSON_AddItemToObject(o, key, ep_dec_str(v));
}

/* Times as integer text: as a double, a µs time (X-MBX-TIME-UNIT:
 * MICROSECOND) ending in 0 prints 1.79524098357478e+15, not an integer. */
static void add_time_raw(cJSON *o, const char *key, double t)
{
    char txt[24];
    snprintf(txt, sizeof txt, "%lld", (long long)t);
    cJSON_AddRawToObject(o, key, txt);
}

void ep_add_time(api_req *rq, cJSON *o, const char *key, int64_t us)
{
    add_time_raw(o, key, api_time(rq, us));
}

static cJSON *fills_json(const ex_symbol *s, const ex_result *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && r && i < r->nfills; i++) {
        const ex_fill *f = &r->fills[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        ep_add_dec(o, "price", f->price);
        ep_add_dec(o, "qty", f->qty);
        ep_add_dec(o, "commission", f->commission);
        cJSON_AddStringToObject(o, "commissionAsset", f->comm_is_base ? s->base : s->quote);
        cJSON_AddNumberToObject(o, "tradeId", (double)f->trade_id);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* Conditional fields every order shape ends with: STP, strategy, expiry. */
static void add_conditional_tail(api_req *rq, cJSON *o, const ex_order *x)
{
    if (x->prevented_match_id >= 0) {
        cJSON_AddNumberToObject(o, "preventedMatchId", (double)x->prevented_match_id);
        ep_add_dec(o, "preventedQuantity", x->prevented_qty);
    }
    if (x->has_strategy_id) cJSON_AddNumberToObject(o, "strategyId", (double)x->strategy_id);
    if (x->has_strategy_type) cJSON_AddNumberToObject(o, "strategyType", (double)x->strategy_type);
    if (x->trailing_delta > 0) {   /* trailing stops: trailingTime -1 until tracking starts */
        cJSON_AddNumberToObject(o, "trailingDelta", (double)x->trailing_delta);
        add_time_raw(o, "trailingTime", x->trailing_time_us >= 0 ? api_time(rq, x->trailing_time_us) : -1);
    }
    if (ex_order_expiry_reason(x)) cJSON_AddStringToObject(o, "expiryReason", ex_order_expiry_reason(x));
}

static void add_conditional(api_req *rq, cJSON *o, const ex_order *x)
{
    if (x->iceberg > 0) ep_add_dec(o, "icebergQty", x->iceberg);
    add_conditional_tail(rq, o, x);
}

/* "price", then for a pegged order its peg fields (rest-api.md
 * "Conditional fields in Order Responses"; faqs/pegged_orders.md sample):
 * price is the price the request sent (0 if none), peggedPrice the price the
 * peg chose, once chosen. */
static void add_price(cJSON *o, const ex_order *x)
{
    if (x->peg.type == EX_PEG_NONE) { ep_add_dec(o, "price", x->price); return; }
    ep_add_dec(o, "price", x->peg.user_price);
    cJSON_AddStringToObject(o, "pegPriceType", ex_peg_name(x->peg.type));
    if (x->peg.has_offset) {
        cJSON_AddStringToObject(o, "pegOffsetType", "PRICE_LEVEL");
        cJSON_AddNumberToObject(o, "pegOffsetValue", x->peg.offset);
    }
    if (x->peg.priced) ep_add_dec(o, "peggedPrice", x->price);
}

cJSON *ep_order_json(api_req *rq, struct exchange *ex, const ex_order *x, ep_order_shape shape,
                     const ex_result *r, const char *cancel_client_id, int64_t transact_us)
{
    const ex_symbol *s = ex_symbol_at(ex, (size_t)x->sym);
    cJSON *o = cJSON_CreateObject();
    if (!o || !s) return o;
    int stop = x->type != EX_LIMIT && x->type != EX_MARKET && x->type != EX_LIMIT_MAKER;
    cJSON_AddStringToObject(o, "symbol", s->name);
    if (shape == EP_ORDER_CANCEL) cJSON_AddStringToObject(o, "origClientOrderId", x->client_id);
    cJSON_AddNumberToObject(o, "orderId", (double)x->id);
    cJSON_AddNumberToObject(o, "orderListId", (double)x->list_id);
    cJSON_AddStringToObject(o, "clientOrderId",
                            shape == EP_ORDER_CANCEL && cancel_client_id ? cancel_client_id
                            : shape == EP_ORDER_CANCEL && x->cancel_client_id[0] ? x->cancel_client_id : x->client_id);
    if (shape != EP_ORDER_QUERY) ep_add_time(rq, o, "transactTime", transact_us);
    if (shape == EP_ORDER_ACK) return o;
    add_price(o, x);
    /* an OPO pending leg has no quantity until its working order fills (rest-api.md sample) */
    if (!(x->status == EX_PENDING_NEW && x->qty == 0)) ep_add_dec(o, "origQty", x->qty);
    ep_add_dec(o, "executedQty", x->executed);
    if (shape != EP_ORDER_QUERY) ep_add_dec(o, "origQuoteOrderQty", x->quote_qty);
    ep_add_dec(o, "cummulativeQuoteQty", x->cum_quote);
    cJSON_AddStringToObject(o, "status", ex_status_name(x->status));
    cJSON_AddStringToObject(o, "timeInForce", ex_tif_name(x->tif));
    cJSON_AddStringToObject(o, "type", ex_type_name(x->type));
    cJSON_AddStringToObject(o, "side", ex_side_name(x->side));
    if (shape == EP_ORDER_QUERY) {
        ep_add_dec(o, "stopPrice", x->stop_price);
        ep_add_dec(o, "icebergQty", x->iceberg);
        ep_add_time(rq, o, "time", x->time_us);
        ep_add_time(rq, o, "updateTime", x->update_us);
        cJSON_AddBoolToObject(o, "isWorking", x->is_working);
        add_time_raw(o, "workingTime", x->is_working ? api_time(rq, x->working_us) : -1);
        ep_add_dec(o, "origQuoteOrderQty", x->quote_qty);
        cJSON_AddStringToObject(o, "selfTradePreventionMode", ex_stp_name(x->stp));
        add_conditional_tail(rq, o, x);
        return o;
    }
    if (stop) ep_add_dec(o, "stopPrice", x->stop_price);
    if (shape != EP_ORDER_CANCEL)
        add_time_raw(o, "workingTime", x->is_working ? api_time(rq, x->working_us) : -1);
    cJSON_AddStringToObject(o, "selfTradePreventionMode", ex_stp_name(x->stp));
    add_conditional(rq, o, x);
    if (shape == EP_ORDER_FULL) cJSON_AddItemToObject(o, "fills", fills_json(s, r));
    return o;
}

void ep_result_error(api_resp *rs, const ex_result *r)
{
    if (r->err == ERR_FILTER_FAILURE) api_error(rs, r->err, r->filter, NULL);
    else if (r->has_me) api_error_me(rs, r->err, r->me);
    else api_error(rs, r->err, r->bad_param, NULL);
}
