/* ep_trade.c: the TRADE endpoints - POST /api/v3/order, POST order/test,
 * DELETE order, DELETE openOrders, POST order/cancelReplace. Parameter
 * validation in Binance's order, the second recvWindow check just before
 * matching, weight 0 on successful placement/cancel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"
#include "ep_trade.h"
#include "ep_orderlist.h"


static int is_limit_priced(ex_type t)
{
    return t == EX_LIMIT || t == EX_LIMIT_MAKER || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT_LIMIT;
}
static int needs_tif(ex_type t) { return t == EX_LIMIT || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT_LIMIT; }
static int needs_stop(ex_type t)
{
    return t == EX_STOP_LOSS || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT || t == EX_TAKE_PROFIT_LIMIT;
}

static int valid_client_id(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 36 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static int fail(api_resp *rs, err_id e, const char *a1, const char *a2)
{
    api_error(rs, e, a1, a2);
    return -1;
}

/* Per-type mandatory and not-required parameters. */
static int check_type_params(api_req *rq, api_resp *rs, const ex_order_req *o)
{
    const char *tmp;
    ex_type t = o->type;
    if (needs_tif(t) && ep_need(rq, rs, "timeInForce", &tmp)) return -1;
    if (t == EX_MARKET) {
        if (!o->has_qty && !o->has_quote_qty) return fail(rs, ERR_MANDATORY_PARAM_EITHER, "quantity", "quoteOrderQty");
        if (o->has_qty && o->has_quote_qty) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, "quoteOrderQty", NULL);
    } else {
        if (ep_need(rq, rs, "quantity", &tmp)) return -1;
        if (o->has_quote_qty) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, "quoteOrderQty", NULL);
    }
    /* "If pegPriceType is specified, price becomes optional" */
    if (is_limit_priced(t) && o->peg.type == EX_PEG_NONE && ep_need(rq, rs, "price", &tmp)) return -1;
    if (needs_stop(t) && !o->has_stop && !o->trailing_delta)   /* stopPrice or trailingDelta */
        return fail(rs, ERR_MANDATORY_PARAM_NAMED, "stopPrice", NULL);
    if (!needs_stop(t) && o->trailing_delta) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, "trailingDelta", NULL);
    if (!is_limit_priced(t) && o->has_price) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, "price", NULL);
    if (!needs_tif(t) && o->tif != EX_TIF_NONE) return fail(rs, ERR_TIF_NOT_REQUIRED, NULL, NULL);
    if (!needs_stop(t) && o->has_stop) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, "stopPrice", NULL);
    if (o->has_iceberg && (!is_limit_priced(t) || (o->tif != EX_GTC && t != EX_LIMIT_MAKER)))
        return fail(rs, ERR_UNKNOWN_ORDER_COMPOSITION, NULL, NULL);
    return 0;
}

static int parse_enums(api_req *rq, api_resp *rs, order_params *p, ex_symbol *s)
{
    const char *v;
    if ((v = ep_str(rq, "timeInForce"))) {
        int t = ex_tif_parse(v);
        if (t < 0) return fail(rs, ERR_INVALID_TIF, NULL, NULL);
        p->rq.tif = (ex_tif)t;
    }
    p->resp = p->rq.type == EX_LIMIT || p->rq.type == EX_MARKET ? EX_RESP_FULL : EX_RESP_ACK;
    if ((v = ep_str(rq, "newOrderRespType"))) {
        int r = ex_resp_parse(v);
        if (r < 0) return fail(rs, ERR_INVALID_PARAMETER_NAMED, "newOrderRespType", NULL);
        p->resp = (ex_resp)r;
    }
    p->rq.stp = (ex_stp)-1;
    if ((v = ep_str(rq, "selfTradePreventionMode"))) {
        int m = ex_stp_parse(v);
        if (m < 0 || !(s->allowed_stp & (1u << m)))
            return fail(rs, ERR_INVALID_PARAMETER_NAMED, "selfTradePreventionMode", NULL);
        p->rq.stp = (ex_stp)m;
    }
    if ((v = api_param(rq, "newClientOrderId"))) {
        if (!*v) return fail(rs, ERR_EMPTY_NEW_CL_ORD_ID, NULL, NULL);
        if (!valid_client_id(v)) return fail(rs, ERR_ILLEGAL_CHARS_PARAM, "newClientOrderId", EP_RANGE_CLID);
        snprintf(p->client_id, sizeof p->client_id, "%s", v);
        p->rq.client_id = p->client_id;
    }
    return ep_peg(rq, rs, "", &p->rq.peg);   /* pegPriceType, pegOffsetType, pegOffsetValue */
}

static int parse_numbers(api_req *rq, api_resp *rs, ex_order_req *o)
{
    int r;
    if ((r = ep_dec(rq, rs, "quantity", &o->qty)) < 0) return -1;
    o->has_qty = r;
    if ((r = ep_dec(rq, rs, "quoteOrderQty", &o->quote_qty)) < 0) return -1;
    o->has_quote_qty = r;
    if ((r = ep_dec(rq, rs, "price", &o->price)) < 0) return -1;
    o->has_price = r;
    if ((r = ep_dec(rq, rs, "stopPrice", &o->stop_price)) < 0) return -1;
    o->has_stop = r;
    if ((r = ep_dec(rq, rs, "icebergQty", &o->iceberg)) < 0) return -1;
    o->has_iceberg = r && o->iceberg > 0;
    if ((r = ep_int(rq, rs, "strategyId", &o->strategy_id, 0)) < 0) return -1;
    o->has_strategy_id = r;
    if ((r = ep_int(rq, rs, "strategyType", &o->strategy_type, 0)) < 0) return -1;
    o->has_strategy_type = r;
    if (r && o->strategy_type < 1000000) return fail(rs, ERR_BAD_STRATEGY_TYPE, NULL, NULL);
    /* trailingDelta 0 is sent and fails the TRAILING_DELTA filter (min > 0) */
    if ((r = ep_int(rq, rs, "trailingDelta", &o->trailing_delta, 0)) < 0) return -1;
    if (r && o->trailing_delta == 0) o->trailing_delta = -1;
    return 0;
}

int ep_order_parse(api_req *rq, api_resp *rs, struct exchange *ex, order_params *p)
{
    const char *sym, *side, *type;
    memset(p, 0, sizeof *p);
    if (ep_need(rq, rs, "symbol", &sym) || ep_need(rq, rs, "side", &side) || ep_need(rq, rs, "type", &type))
        return -1;
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0) return -1;
    int sd = ex_side_parse(side), ty = ex_type_parse(type);
    if (sd < 0) return fail(rs, ERR_INVALID_SIDE, NULL, NULL);
    if (ty < 0) return fail(rs, ERR_INVALID_ORDER_TYPE, NULL, NULL);
    p->rq.account = rq->account_id;
    p->rq.sym = si;
    p->rq.side = (ex_side)sd;
    p->rq.type = (ex_type)ty;
    p->rq.now_us = rq->now_us;
    if (parse_enums(rq, rs, p, ex_symbol_at(ex, (size_t)si)) || parse_numbers(rq, rs, &p->rq)
        || check_type_params(rq, rs, &p->rq))
        return -1;
    return 0;
}

int ep_order_recheck(api_req *rq, api_resp *rs)
{
    if (!rq->timing) return 0;
    err_id e = timing_recheck(rq->timing, srv_now_us(rq->srv));
    if (e == ERR_NONE) return 0;
    return fail(rs, e, NULL, NULL);
}

static ep_order_shape shape_of(ex_resp r)
{
    return r == EX_RESP_ACK ? EP_ORDER_ACK : r == EX_RESP_RESULT ? EP_ORDER_RESULT : EP_ORDER_FULL;
}

void ep_order_new(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    order_params p;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    if (ep_order_parse(rq, rs, ex, &p) || ep_order_recheck(rq, rs)) { exchange_unlock(ex); return; }
    ex_result r;
    ex_order_place_locked(ex, &p.rq, &r);
    cJSON *body = r.err == ERR_NONE ? ep_order_json(rq, ex, &r.order, shape_of(p.resp), &r, NULL, rq->now_us) : NULL;
    exchange_unlock(ex);
    if (r.err != ERR_NONE) ep_result_error(rs, &r);
    else {
        rs->weight = 0;
        rs->order_placed = 1;
        api_ok(rs, body);
    }
    ex_result_free(&r);
}

static cJSON *rate_pair(const char *maker, const char *taker)
{
    cJSON *o = cJSON_CreateObject();
    if (o) { cJSON_AddStringToObject(o, "maker", maker); cJSON_AddStringToObject(o, "taker", taker); }
    return o;
}

cJSON *ep_commission_json(const ex_account *a)
{
    char mk[48], tk[48];
    dec_format(mk, sizeof mk, a ? a->maker_rate : 0, 8);
    dec_format(tk, sizeof tk, a ? a->taker_rate : 0, 8);
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddItemToObject(o, "standardCommissionForOrder", rate_pair(mk, tk));
    cJSON_AddItemToObject(o, "specialCommissionForOrder", rate_pair("0.00000000", "0.00000000"));
    cJSON_AddItemToObject(o, "taxCommissionForOrder", rate_pair("0.00000000", "0.00000000"));
    cJSON *d = cJSON_AddObjectToObject(o, "discount");
    if (d) {
        cJSON_AddBoolToObject(d, "enabledForAccount", 1);
        cJSON_AddBoolToObject(d, "enabledForSymbol", 1);
        cJSON_AddStringToObject(d, "discountAsset", "BNB");
        cJSON_AddStringToObject(d, "discount", "0.75000000");
    }
    return o;
}

void ep_order_test(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    order_params p;
    int rates = 0;
    if (ep_account(rq, rs) || ep_bool(rq, rs, "computeCommissionRates", &rates) < 0) return;
    if (rates) rs->weight = 20;
    exchange_lock(ex);
    if (ep_order_parse(rq, rs, ex, &p) || ep_order_recheck(rq, rs)) { exchange_unlock(ex); return; }
    p.rq.test_only = 1;
    ex_result r;
    ex_order_place_locked(ex, &p.rq, &r);
    cJSON *body = r.err == ERR_NONE ? (rates ? ep_commission_json(ex_account_at(ex, rq->account_id)) : cJSON_CreateObject()) : NULL;
    exchange_unlock(ex);
    if (r.err != ERR_NONE) ep_result_error(rs, &r);
    else api_ok(rs, body);
    ex_result_free(&r);
}

/* orderId / origClientOrderId (names vary for cancelReplace). */
static int order_ref(api_req *rq, api_resp *rs, const char *id_name, const char *cid_name,
                     int64_t *id, const char **cid)
{
    *id = -1;
    *cid = ep_str(rq, cid_name);
    const char *raw = api_param(rq, cid_name);
    if (raw && !*raw) return fail(rs, ERR_EMPTY_ORG_CL_ORD_ID, NULL, NULL);
    int r = ep_int(rq, rs, id_name, id, 0);
    if (r < 0) return -1;
    if (r == 0 && !*cid) return fail(rs, ERR_MANDATORY_PARAM_EITHER, cid_name, id_name);
    return 0;
}

static int parse_restriction(api_req *rq, api_resp *rs, ex_cancel_restr *out)
{
    const char *v = ep_str(rq, "cancelRestrictions");
    *out = EX_CR_NONE;
    if (!v) return 0;
    if (!strcmp(v, "ONLY_NEW")) *out = EX_CR_ONLY_NEW;
    else if (!strcmp(v, "ONLY_PARTIALLY_FILLED")) *out = EX_CR_ONLY_PARTIALLY_FILLED;
    else return fail(rs, ERR_INVALID_CANCEL_RESTRICTIONS_WIRE, NULL, NULL);
    return 0;
}

/* The cancel's own clientOrderId: given (validated) or generated. */
static int cancel_client_id(api_req *rq, api_resp *rs, struct exchange *ex, const char *name, char out[40])
{
    const char *v = ep_str(rq, name);
    if (v && !valid_client_id(v)) return fail(rs, ERR_ILLEGAL_CHARS_PARAM, name, EP_RANGE_CLID);
    if (v) snprintf(out, 40, "%s", v);
    else ex_client_id_gen(ex, out);
    return 0;
}

void ep_order_cancel(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t id;
    const char *cid;
    ex_cancel_restr restr;
    char ccid[40];
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0 || order_ref(rq, rs, "orderId", "origClientOrderId", &id, &cid)
        || parse_restriction(rq, rs, &restr) || cancel_client_id(rq, rs, ex, "newClientOrderId", ccid)
        || ep_order_recheck(rq, rs)) {
        exchange_unlock(ex);
        return;
    }
    ex_result r;
    ex_order_cancel_as_locked(ex, rq->account_id, si, id, cid, restr, ccid, rq->now_us, &r);
    cJSON *body = r.err == ERR_NONE ? ep_order_json(rq, ex, &r.order, EP_ORDER_CANCEL, NULL, NULL, rq->now_us) : NULL;
    exchange_unlock(ex);
    if (r.err != ERR_NONE) return ep_result_error(rs, &r);
    rs->weight = 0;
    api_ok(rs, body);
}

void ep_open_orders_cancel(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0 || ep_order_recheck(rq, rs)) { exchange_unlock(ex); return; }
    ex_order *v = NULL;
    cJSON *lists = cJSON_CreateArray();   /* order lists first, whole (rest-api.md sample) */
    size_t nl = ep_lists_cancel_all_locked(rq, ex, si, lists);
    size_t n = ex_order_cancel_all_locked(ex, rq->account_id, si, rq->now_us, &v);
    cJSON *arr = n || nl ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; arr && i < n; i++)   /* each cancel's generated id, as in its event */
        cJSON_AddItemToArray(arr, ep_order_json(rq, ex, &v[i], EP_ORDER_CANCEL, NULL, NULL, rq->now_us));
    while (arr && lists && cJSON_GetArraySize(lists) > 0)    /* then the lists */
        cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(lists, 0));
    cJSON_Delete(lists);
    exchange_unlock(ex);
    free(v);
    if (!n && !nl) return api_error_me(rs, ERR_CANCEL_REJECTED, ME_UNKNOWN_ORDER);
    rs->weight = 0;
    api_ok(rs, arr);
}

/* {"code":..,"msg":..} of an exchange result, for cancelReplace data. */
static cJSON *error_obj(const ex_result *r)
{
    char msg[512];
    const char *a1 = r->err == ERR_FILTER_FAILURE ? r->filter : r->has_me ? me_text(r->me) : r->bad_param;
    err_format(msg, sizeof msg, r->err, a1, NULL);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "code", err_get(r->err) ? err_get(r->err)->code : -1000);
        cJSON_AddStringToObject(o, "msg", msg);
    }
    return o;
}

static cJSON *cr_data(const char *cres, const char *nres, cJSON *cresp, cJSON *nresp)
{
    cJSON *d = cJSON_CreateObject();
    if (!d) { cJSON_Delete(cresp); cJSON_Delete(nresp); return NULL; }
    cJSON_AddStringToObject(d, "cancelResult", cres);
    cJSON_AddStringToObject(d, "newOrderResult", nres);
    cJSON_AddItemToObject(d, "cancelResponse", cresp ? cresp : cJSON_CreateNull());
    cJSON_AddItemToObject(d, "newOrderResponse", nresp ? nresp : cJSON_CreateNull());
    return d;
}

/* "Filters and Order Count are evaluated before the processing of the
 * cancellation and order placement occurs" (rest-api.md): a new order that
 * fails a filter is a plain -1013 and nothing is cancelled. The open-order
 * count filters are left to the placement, since the cancel frees a slot. */
static int filters_first(api_req *rq, api_resp *rs, struct exchange *ex, const ex_order_req *o)
{
    ex_order_req t = *o;
    t.test_only = 1;
    ex_result r;
    ex_order_place_locked(ex, &t, &r);
    ex_result_free(&r);
    if (r.err != ERR_FILTER_FAILURE || !strcmp(r.filter, "MAX_NUM_ORDERS") || !strcmp(r.filter, "MAX_NUM_ALGO_ORDERS"))
        return 0;
    ep_result_error(rs, &r);
    return -1;
}

void ep_cancel_replace(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    order_params p;
    int64_t id;
    const char *cid, *mode;
    ex_cancel_restr restr;
    char ccid[40];
    if (ep_account(rq, rs) || ep_need(rq, rs, "cancelReplaceMode", &mode)) return;
    int allow = !strcmp(mode, "ALLOW_FAILURE");
    if (!allow && strcmp(mode, "STOP_ON_FAILURE")) return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "cancelReplaceMode", NULL);
    const char *rlm = ep_str(rq, "orderRateLimitExceededMode");
    if (rlm && strcmp(rlm, "DO_NOTHING") && strcmp(rlm, "CANCEL_ONLY"))
        return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "orderRateLimitExceededMode", NULL);
    exchange_lock(ex);
    if (ep_order_parse(rq, rs, ex, &p) || order_ref(rq, rs, "cancelOrderId", "cancelOrigClientOrderId", &id, &cid)
        || parse_restriction(rq, rs, &restr) || cancel_client_id(rq, rs, ex, "cancelNewClientOrderId", ccid)
        || ep_order_recheck(rq, rs)) {
        exchange_unlock(ex);
        return;
    }
    if (!ex_symbol_at(ex, (size_t)p.rq.sym)->cancel_replace_allowed) {
        exchange_unlock(ex);
        return api_error_me(rs, ERR_NEW_ORDER_REJECTED, ME_CANCEL_REPLACE_NOT_SUPPORTED);
    }
    if (filters_first(rq, rs, ex, &p.rq)) { exchange_unlock(ex); return; }
    ex_result c, n;
    memset(&n, 0, sizeof n);
    ex_order_cancel_as_locked(ex, rq->account_id, p.rq.sym, id, cid, restr, ccid, rq->now_us, &c);
    int cancel_ok = c.err == ERR_NONE, placed = 0;
    cJSON *cresp = cancel_ok ? ep_order_json(rq, ex, &c.order, EP_ORDER_CANCEL, NULL, NULL, rq->now_us) : error_obj(&c);
    cJSON *nresp = NULL;
    if (cancel_ok || allow) {
        ex_order_place_locked(ex, &p.rq, &n);
        placed = n.err == ERR_NONE;
        nresp = placed ? ep_order_json(rq, ex, &n.order, shape_of(p.resp), &n, NULL, rq->now_us) : error_obj(&n);
        if (!placed && cancel_ok) ex_order_reject_event_locked(ex, &p.rq, &n);
    }
    exchange_unlock(ex);
    const char *nres = cancel_ok || allow ? (placed ? "SUCCESS" : "FAILURE") : "NOT_ATTEMPTED";
    cJSON *d = cr_data(cancel_ok ? "SUCCESS" : "FAILURE", nres, cresp, nresp);
    rs->order_placed = 1;    /* even NOT_ATTEMPTED counts one unfilled order (rest-api.md) */
    if (cancel_ok && placed) {
        rs->weight = 0;
        api_ok(rs, d);
    } else if (cancel_ok || placed) {
        api_error(rs, ERR_CANCEL_REPLACE_PARTIAL, NULL, NULL);
        rs->err_data = d;
    } else {
        api_error(rs, ERR_CANCEL_REPLACE_FAILED, NULL, NULL);
        rs->err_data = d;
    }
    ex_result_free(&n);
}
