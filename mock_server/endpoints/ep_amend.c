/* ep_amend.c: order amend keepPriority - PUT /api/v3/order/amend/keepPriority
 * (WS order.amend.keepPriority) and GET /api/v3/order/amendments (WS
 * order.amendments): parameters, the response shapes of rest-api.md, the
 * weight rule (0 only when the amendment expires the order) and no
 * unfilled-order count. The exchange side is exchange/amend.c. */
#include <stdio.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"
#include "orderlist.h"

static int valid_client_id(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 36 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static int is_stop(ex_type t)
{
    return t == EX_STOP_LOSS || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT || t == EX_TAKE_PROFIT_LIMIT;
}

/* "amendedOrder" (rest-api.md), then the conditional order fields. */
static cJSON *amended_json(api_req *rq, const ex_symbol *s, const ex_order *x, const char *orig_cid)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON_AddNumberToObject(o, "orderId", (double)x->id);
    cJSON_AddNumberToObject(o, "orderListId", (double)x->list_id);
    cJSON_AddStringToObject(o, "origClientOrderId", orig_cid);
    cJSON_AddStringToObject(o, "clientOrderId", x->client_id);
    ep_add_dec(o, "price", x->price);
    ep_add_dec(o, "qty", x->qty);
    ep_add_dec(o, "executedQty", x->executed);
    ep_add_dec(o, "preventedQty", x->prevented_qty);
    ep_add_dec(o, "quoteOrderQty", x->quote_qty);
    ep_add_dec(o, "cumulativeQuoteQty", x->cum_quote);
    cJSON_AddStringToObject(o, "status", ex_status_name(x->status));
    cJSON_AddStringToObject(o, "timeInForce", ex_tif_name(x->tif));
    cJSON_AddStringToObject(o, "type", ex_type_name(x->type));
    cJSON_AddStringToObject(o, "side", ex_side_name(x->side));
    if (is_stop(x->type)) ep_add_dec(o, "stopPrice", x->stop_price);
    if (x->is_working) ep_add_time(rq, o, "workingTime", x->working_us);
    if (x->iceberg > 0) ep_add_dec(o, "icebergQty", x->iceberg);
    cJSON_AddStringToObject(o, "selfTradePreventionMode", ex_stp_name(x->stp));
    if (x->has_strategy_id) cJSON_AddNumberToObject(o, "strategyId", (double)x->strategy_id);
    if (x->has_strategy_type) cJSON_AddNumberToObject(o, "strategyType", (double)x->strategy_type);
    if (x->trailing_delta > 0) {
        cJSON_AddNumberToObject(o, "trailingDelta", (double)x->trailing_delta);
        if (x->trailing_time_us >= 0) ep_add_time(rq, o, "trailingTime", x->trailing_time_us);
        else cJSON_AddNumberToObject(o, "trailingTime", -1);
    }
    return o;
}

/* "listStatus" of an amended list order (rest-api.md sample). */
static cJSON *list_json(const ex_symbol *s, const ex_list *l)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "orderListId", (double)l->id);
    cJSON_AddStringToObject(o, "contingencyType", ex_contingency_name(l->kind));
    cJSON_AddStringToObject(o, "listOrderStatus", ex_list_order_status(l));
    cJSON_AddStringToObject(o, "listClientOrderId", l->client_id);
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON *arr = cJSON_AddArrayToObject(o, "orders");
    for (int i = 0; arr && i < l->nlegs; i++) {
        cJSON *g = cJSON_CreateObject();
        if (!g) break;
        cJSON_AddStringToObject(g, "symbol", s->name);
        cJSON_AddNumberToObject(g, "orderId", (double)l->legs[i]->id);
        cJSON_AddStringToObject(g, "clientOrderId", l->legs[i]->client_id);
        cJSON_AddItemToArray(arr, g);
    }
    return o;
}

static int amend_params(api_req *rq, api_resp *rs, struct exchange *ex, ex_amend_req *a)
{
    const char *tmp;
    memset(a, 0, sizeof *a);
    a->account = rq->account_id;
    a->now_us = rq->now_us;
    a->order_id = -1;
    if ((a->sym = ep_symbol(rq, rs, ex, 1)) < 0) return -1;
    const char *raw = api_param(rq, "origClientOrderId");
    if (raw && !*raw) return api_error(rs, ERR_EMPTY_ORG_CL_ORD_ID, NULL, NULL), -1;
    a->orig_client_id = ep_str(rq, "origClientOrderId");
    int r = ep_int(rq, rs, "orderId", &a->order_id, 0);
    if (r < 0) return -1;
    if (r == 0 && !a->orig_client_id)
        return api_error(rs, ERR_MANDATORY_PARAM_EITHER, "origClientOrderId", "orderId"), -1;
    if ((raw = api_param(rq, "newClientOrderId"))) {
        if (!*raw) return api_error(rs, ERR_EMPTY_NEW_CL_ORD_ID, NULL, NULL), -1;
        if (!valid_client_id(raw)) return api_error(rs, ERR_ILLEGAL_CHARS_PARAM, "newClientOrderId", EP_RANGE_CLID), -1;
        a->new_client_id = raw;
    }
    if (ep_need(rq, rs, "newQty", &tmp)) return -1;
    if (ep_dec(rq, rs, "newQty", &a->new_qty) < 0) return -1;
    if (a->new_qty <= 0) return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "newQty", NULL), -1;
    if (rq->timing) {                     /* the second recvWindow check, before the engine */
        err_id e = timing_recheck(rq->timing, srv_now_us(rq->srv));
        if (e != ERR_NONE) return api_error(rs, e, NULL, NULL), -1;
    }
    return 0;
}

static void amend_error(api_resp *rs, const ex_result *r)
{
    if (r->err == ERR_ORDER_AMEND_REJECTED && !r->has_me && r->filter) {
        char msg[256];                    /* MAX_NUM_ORDER_AMENDS: -2038 "Filter failure: ..." */
        err_format(msg, sizeof msg, ERR_FILTER_FAILURE, r->filter, NULL);
        return api_error(rs, ERR_ORDER_AMEND_REJECTED, msg, NULL);
    }
    ep_result_error(rs, r);
}

void ep_order_amend(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    ex_amend_req a;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    if (amend_params(rq, rs, ex, &a)) { exchange_unlock(ex); return; }
    ex_order *before = ex_order_find_locked(ex, a.account, a.sym, a.order_id, a.orig_client_id);
    char orig[40];
    snprintf(orig, sizeof orig, "%s", before ? before->client_id : "");
    ex_result r;
    int64_t exec_id;
    ex_order_amend_locked(ex, &a, &r, &exec_id);
    cJSON *body = NULL;
    if (r.err == ERR_NONE && (body = cJSON_CreateObject())) {
        const ex_symbol *s = ex_symbol_at(ex, (size_t)a.sym);
        ep_add_time(rq, body, "transactTime", rq->now_us);
        cJSON_AddNumberToObject(body, "executionId", (double)exec_id);
        cJSON_AddItemToObject(body, "amendedOrder", amended_json(rq, s, &r.order, orig));
        const ex_list *l = r.order.list_id >= 0 ? ex_list_find_locked(ex, a.account, r.order.list_id, NULL) : NULL;
        if (l) cJSON_AddItemToObject(body, "listStatus", list_json(s, l));
    }
    exchange_unlock(ex);
    if (r.err != ERR_NONE) return amend_error(rs, &r);
    if (r.order.status == EX_EXPIRED) rs->weight = 0;   /* CHANGELOG 2026-04-02 */
    api_ok(rs, body);
}

void ep_order_amendments(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    const char *tmp;
    int64_t order_id, from = 0;
    int limit;
    if (ep_account(rq, rs)) return;
    if (ep_need(rq, rs, "orderId", &tmp) || ep_int(rq, rs, "orderId", &order_id, 0) < 0
        || ep_int(rq, rs, "fromExecutionId", &from, 0) < 0 || ep_limit(rq, rs, 500, 1000, &limit) < 0)
        return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0) { exchange_unlock(ex); return; }
    ex_account *acc = ex_account_at(ex, rq->account_id);
    if (!ex_order_find_locked(ex, rq->account_id, si, order_id, NULL)) {
        exchange_unlock(ex);
        return api_error(rs, ERR_NO_SUCH_ORDER, NULL, NULL);
    }
    const ex_symbol *s = ex_symbol_at(ex, (size_t)si);
    cJSON *arr = cJSON_CreateArray();
    int n = 0;
    for (size_t i = 0; arr && acc && i < acc->namends && n < limit; i++) {
        const ex_amend *m = &acc->amends[i];
        if (m->sym != si || m->order_id != order_id || m->exec_id < from) continue;
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        cJSON_AddStringToObject(o, "symbol", s->name);
        cJSON_AddNumberToObject(o, "orderId", (double)m->order_id);
        cJSON_AddNumberToObject(o, "executionId", (double)m->exec_id);
        cJSON_AddStringToObject(o, "origClientOrderId", m->orig_cid);
        cJSON_AddStringToObject(o, "newClientOrderId", m->new_cid);
        ep_add_dec(o, "origQty", m->orig_qty);
        ep_add_dec(o, "newQty", m->new_qty);
        ep_add_time(rq, o, "time", m->time_us);
        cJSON_AddItemToArray(arr, o);
        n++;
    }
    exchange_unlock(ex);
    api_ok(rs, arr);
}
