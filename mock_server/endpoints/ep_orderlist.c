/* ep_orderlist.c: the order-list endpoints - POST order/oco (deprecated),
 * orderList/oco, /oto, /otoco, /opo, /opoco, DELETE and GET orderList,
 * GET allOrderList and openOrderList (REST and their WebSocket API twins) -
 * and the list JSON shape. Legs are parsed by ep_orderlist_parse.c; the
 * lists themselves live in exchange/orderlist*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "groups.h"
#include "ep_orderlist.h"

#define T(x) (1u << (x))
#define OCO_ABOVE (T(EX_STOP_LOSS) | T(EX_STOP_LOSS_LIMIT) | T(EX_LIMIT_MAKER) | T(EX_TAKE_PROFIT) | T(EX_TAKE_PROFIT_LIMIT))
/* rest-api.md lists no LIMIT_MAKER for belowType, but a BUY OCO's limit leg
 * is below (and the OTOCO table names pendingBelowType=LIMIT_MAKER): taken. */
#define OCO_BELOW OCO_ABOVE
#define WORKING (T(EX_LIMIT) | T(EX_LIMIT_MAKER))
#define ANY_TYPE ((1u << EX_TYPE__N) - 1)

typedef struct list_params {
    ex_list_req lr;
    ex_resp resp;
    char list_cid[40], cid[EX_LIST_MAX_LEGS][40];
} list_params;

static int fail(api_resp *rs, err_id e, const char *a1, const char *a2)
{
    api_error(rs, e, a1, a2);
    return -1;
}

static int recheck(api_req *rq, api_resp *rs)
{
    if (!rq->timing) return 0;
    err_id e = timing_recheck(rq->timing, srv_now_us(rq->srv));
    return e == ERR_NONE ? 0 : fail(rs, e, NULL, NULL);
}

/* symbol, listClientOrderId, newOrderRespType, selfTradePreventionMode (exchange locked). */
static int list_common(api_req *rq, api_resp *rs, struct exchange *ex, list_params *p, ex_list_kind kind)
{
    memset(p, 0, sizeof *p);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0) return -1;
    p->lr.kind = kind;
    p->lr.account = rq->account_id;
    p->lr.sym = si;
    p->lr.now_us = rq->now_us;
    if (ol_client_id(rq, rs, "listClientOrderId", p->list_cid)) return -1;
    p->lr.client_id = *p->list_cid ? p->list_cid : NULL;
    p->resp = EX_RESP_FULL;          /* web-socket-api.md: FULL is the default */
    const char *v = ep_str(rq, "newOrderRespType");
    if (v) {
        int r = ex_resp_parse(v);
        if (r < 0) return fail(rs, ERR_INVALID_PARAMETER_NAMED, "newOrderRespType", NULL);
        p->resp = (ex_resp)r;
    }
    return 0;
}

static int list_stp(api_req *rq, api_resp *rs, struct exchange *ex, list_params *p)
{
    const char *v = ep_str(rq, "selfTradePreventionMode");
    ex_stp stp = (ex_stp)-1;
    if (v) {
        int m = ex_stp_parse(v);
        if (m < 0 || !(ex_symbol_at(ex, (size_t)p->lr.sym)->allowed_stp & (1u << m)))
            return fail(rs, ERR_INVALID_PARAMETER_NAMED, "selfTradePreventionMode", NULL);
        stp = (ex_stp)m;
    }
    for (int i = 0; i < p->lr.nlegs; i++) p->lr.legs[i].stp = stp;
    return 0;
}

static cJSON *list_json(api_req *rq, const ex_symbol *s, const ex_list *l)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "orderListId", (double)l->id);
    cJSON_AddStringToObject(o, "contingencyType", ex_contingency_name(l->kind));
    cJSON_AddStringToObject(o, "listStatusType", ex_list_status_type(l));
    cJSON_AddStringToObject(o, "listOrderStatus", ex_list_order_status(l));
    cJSON_AddStringToObject(o, "listClientOrderId", l->client_id);
    ep_add_time(rq, o, "transactionTime", l->time_us);
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON *arr = cJSON_AddArrayToObject(o, "orders");
    for (int i = 0; arr && i < l->nlegs; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x) break;
        cJSON_AddStringToObject(x, "symbol", s->name);
        cJSON_AddNumberToObject(x, "orderId", (double)l->legs[i]->id);
        cJSON_AddStringToObject(x, "clientOrderId", l->legs[i]->client_id);
        cJSON_AddItemToArray(arr, x);
    }
    return o;
}

/* The list with its orderReports (placement: shape per newOrderRespType;
 * cancel: the cancel shape with the cancel's own clientOrderId). */
static cJSON *list_with_reports(api_req *rq, struct exchange *ex, const ex_list_result *r,
                                ep_order_shape shape, const char *cancel_cid)
{
    const ex_symbol *s = ex_symbol_at(ex, (size_t)r->list.sym);
    cJSON *o = list_json(rq, s, &r->list);
    cJSON *arr = o ? cJSON_AddArrayToObject(o, "orderReports") : NULL;
    for (int i = 0; arr && i < r->list.nlegs; i++)
        cJSON_AddItemToArray(arr, ep_order_json(rq, ex, &r->leg[i].order, shape, &r->leg[i], cancel_cid,
                                                r->list.time_us));
    return o;
}

static ep_order_shape shape_of(ex_resp r)
{
    return r == EX_RESP_ACK ? EP_ORDER_ACK : r == EX_RESP_RESULT ? EP_ORDER_RESULT : EP_ORDER_FULL;
}

/* Place the parsed list and answer (exchange locked on entry, unlocked on return). */
static void place(api_req *rq, api_resp *rs, struct exchange *ex, list_params *p)
{
    if (list_stp(rq, rs, ex, p) || recheck(rq, rs)) { exchange_unlock(ex); return; }
    ex_list_result r;
    ex_list_place_locked(ex, &p->lr, &r);
    cJSON *body = r.err.err == ERR_NONE ? list_with_reports(rq, ex, &r, shape_of(p->resp), NULL) : NULL;
    exchange_unlock(ex);
    if (r.err.err != ERR_NONE) ep_result_error(rs, &r.err);
    else {
        rs->weight = 0;
        rs->order_placed = p->lr.nlegs;
        api_ok(rs, body);
    }
    ex_list_result_free(&r);
}

/* OCO pair from above/below legs into lr.legs[first], [first+1]: the
 * stop-loss leg first (Binance's order of orders/orderReports). */
static int pair_legs(api_req *rq, api_resp *rs, list_params *p, int first, const char *above_prefix,
                     const char *below_prefix, const char *side_param, const char *qty_param)
{
    ol_leg_spec sa = { above_prefix, side_param, qty_param, OCO_ABOVE, ERR_OCO_ORDER_TYPE_REJECTED };
    ol_leg_spec sb = { below_prefix, side_param, qty_param, OCO_BELOW, ERR_OCO_ORDER_TYPE_REJECTED };
    ex_order_req a, b;
    char ca[40], cb[40];
    if (ol_parse_leg(rq, rs, &sa, &a, ca) || ol_parse_leg(rq, rs, &sb, &b, cb)) return -1;
    if (ol_check_pair(rs, a.side, a.type, b.type)) return -1;
    int a_first = a.type == EX_STOP_LOSS || a.type == EX_STOP_LOSS_LIMIT;
    p->lr.legs[first] = a_first ? a : b;
    p->lr.legs[first + 1] = a_first ? b : a;
    snprintf(p->cid[first], 40, "%s", a_first ? ca : cb);
    snprintf(p->cid[first + 1], 40, "%s", a_first ? cb : ca);
    for (int i = first; i < first + 2; i++) p->lr.legs[i].client_id = *p->cid[i] ? p->cid[i] : NULL;
    p->lr.nlegs = first + 2;
    return 0;
}

void ep_list_oco(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    list_params p;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    if (list_common(rq, rs, ex, &p, EX_LIST_OCO) || pair_legs(rq, rs, &p, 0, "above", "below", "side", "quantity")) {
        exchange_unlock(ex);
        return;
    }
    place(rq, rs, ex, &p);
}

/* Working leg into lr.legs[0]. */
static int working_leg(api_req *rq, api_resp *rs, list_params *p)
{
    ol_leg_spec w = { "working", "workingSide", "workingQuantity", WORKING, ERR_INVALID_ORDER_TYPE };
    if (ol_parse_leg(rq, rs, &w, &p->lr.legs[0], p->cid[0])) return -1;
    p->lr.legs[0].client_id = *p->cid[0] ? p->cid[0] : NULL;
    return 0;
}

/* OPO: working BUY, pending SELL, pending quantity never sent (faqs/opo.md). */
static int opo_rules(api_req *rq, api_resp *rs, const list_params *p, const char *qty_param)
{
    if (p->lr.legs[0].side != EX_BUY) return fail(rs, ERR_OPO_WORKING_MUST_BE_BUY, NULL, NULL);
    for (int i = 1; i < p->lr.nlegs; i++)
        if (p->lr.legs[i].side != EX_SELL) return fail(rs, ERR_OPO_PENDING_MUST_BE_SELL, NULL, NULL);
    if (ep_str(rq, qty_param)) return fail(rs, ERR_PENDING_PARAM_NOT_REQUIRED, qty_param, NULL);
    return 0;
}

static void oto_like(api_req *rq, api_resp *rs, ex_list_kind kind)
{
    struct exchange *ex = ep_ex(rq);
    list_params p;
    int opo = kind == EX_LIST_OPO;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    ol_leg_spec sp = { "pending", "pendingSide", opo ? NULL : "pendingQuantity", ANY_TYPE, ERR_INVALID_ORDER_TYPE };
    if (list_common(rq, rs, ex, &p, kind) || working_leg(rq, rs, &p)
        || ol_parse_leg(rq, rs, &sp, &p.lr.legs[1], p.cid[1])) {
        exchange_unlock(ex);
        return;
    }
    p.lr.legs[1].client_id = *p.cid[1] ? p.cid[1] : NULL;
    p.lr.nlegs = 2;
    if (opo && opo_rules(rq, rs, &p, "pendingQuantity")) { exchange_unlock(ex); return; }
    place(rq, rs, ex, &p);
}

static void otoco_like(api_req *rq, api_resp *rs, ex_list_kind kind)
{
    struct exchange *ex = ep_ex(rq);
    list_params p;
    int opo = kind == EX_LIST_OPOCO;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    if (list_common(rq, rs, ex, &p, kind) || working_leg(rq, rs, &p)
        || pair_legs(rq, rs, &p, 1, "pendingAbove", "pendingBelow", "pendingSide", opo ? NULL : "pendingQuantity")
        || (opo && opo_rules(rq, rs, &p, "pendingQuantity"))) {
        exchange_unlock(ex);
        return;
    }
    place(rq, rs, ex, &p);
}

void ep_list_oto(api_req *rq, api_resp *rs) { oto_like(rq, rs, EX_LIST_OTO); }
void ep_list_opo(api_req *rq, api_resp *rs) { oto_like(rq, rs, EX_LIST_OPO); }
void ep_list_otoco(api_req *rq, api_resp *rs) { otoco_like(rq, rs, EX_LIST_OTOCO); }
void ep_list_opoco(api_req *rq, api_resp *rs) { otoco_like(rq, rs, EX_LIST_OPOCO); }

/* The deprecated OCO: a LIMIT_MAKER leg (price) and a STOP_LOSS leg
 * (stopPrice), STOP_LOSS_LIMIT when stopLimitPrice is sent. */
static int legacy_legs(api_req *rq, api_resp *rs, list_params *p)
{
    const char *side, *tmp;
    ex_order_req *st = &p->lr.legs[0], *lm = &p->lr.legs[1];
    memset(st, 0, 2 * sizeof *st);
    if (ep_need(rq, rs, "side", &side) || ep_need(rq, rs, "quantity", &tmp) || ep_need(rq, rs, "price", &tmp)
        || ep_need(rq, rs, "stopPrice", &tmp))
        return -1;
    int sd = ex_side_parse(side);
    if (sd < 0) return fail(rs, ERR_INVALID_SIDE, NULL, NULL);
    st->side = lm->side = (ex_side)sd;
    if (ep_dec(rq, rs, "quantity", &st->qty) < 0 || ep_dec(rq, rs, "price", &lm->price) < 0
        || ep_dec(rq, rs, "stopPrice", &st->stop_price) < 0)
        return -1;
    lm->qty = st->qty;
    st->has_qty = lm->has_qty = lm->has_price = st->has_stop = 1;
    lm->type = EX_LIMIT_MAKER;
    st->type = EX_STOP_LOSS;
    int r = ep_dec(rq, rs, "stopLimitPrice", &st->price);
    if (r < 0) return -1;
    const char *tif = ep_str(rq, "stopLimitTimeInForce");
    if (r) {
        st->type = EX_STOP_LOSS_LIMIT;
        st->has_price = 1;
        if (!tif) return fail(rs, ERR_MANDATORY_PARAM_NAMED, "stopLimitTimeInForce", NULL);
    }
    if (tif) {
        int t = ex_tif_parse(tif);
        if (t < 0) return fail(rs, ERR_INVALID_TIF, NULL, NULL);
        if (!r) return fail(rs, ERR_TIF_NOT_REQUIRED, NULL, NULL);
        st->tif = (ex_tif)t;
    }
    if ((r = ep_dec(rq, rs, "limitIcebergQty", &lm->iceberg)) < 0) return -1;
    lm->has_iceberg = r && lm->iceberg > 0;
    if ((r = ep_dec(rq, rs, "stopIcebergQty", &st->iceberg)) < 0) return -1;
    st->has_iceberg = r && st->iceberg > 0;
    if (st->has_iceberg && (st->type != EX_STOP_LOSS_LIMIT || st->tif != EX_GTC))
        return fail(rs, ERR_OCO_ICEBERGQTY_TIMEINFORCE, "stopIcebergQty", NULL);
    if ((r = ep_int(rq, rs, "trailingDelta", &st->trailing_delta, 0)) < 0) return -1;   /* the stop leg's */
    if (r && st->trailing_delta == 0) st->trailing_delta = -1;
    static const char *const pre[2] = { "stop", "limit" };
    for (int i = 0; i < 2; i++) {
        ex_order_req *o = &p->lr.legs[i];
        char n[40];
        snprintf(n, sizeof n, "%sStrategyId", pre[i]);
        if ((r = ep_int(rq, rs, n, &o->strategy_id, 0)) < 0) return -1;
        o->has_strategy_id = r;
        snprintf(n, sizeof n, "%sStrategyType", pre[i]);
        if ((r = ep_int(rq, rs, n, &o->strategy_type, 0)) < 0) return -1;
        o->has_strategy_type = r;
        if (r && o->strategy_type < 1000000) return fail(rs, ERR_BAD_STRATEGY_TYPE, NULL, NULL);
        snprintf(n, sizeof n, "%sClientOrderId", pre[i]);
        if (ol_client_id(rq, rs, n, p->cid[i])) return -1;
        o->client_id = *p->cid[i] ? p->cid[i] : NULL;
    }
    p->lr.nlegs = 2;
    return 0;
}

void ep_list_oco_legacy(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    list_params p;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    if (list_common(rq, rs, ex, &p, EX_LIST_OCO) || legacy_legs(rq, rs, &p)) { exchange_unlock(ex); return; }
    place(rq, rs, ex, &p);
}

/* orderListId / listClientOrderId (name_cid varies: origClientOrderId on GET). */
static int list_ref(api_req *rq, api_resp *rs, const char *name_cid, int64_t *id, const char **cid)
{
    *id = -1;
    *cid = ep_str(rq, name_cid);
    int r = ep_int(rq, rs, "orderListId", id, 0);
    if (r < 0) return -1;
    if (r == 0 && !*cid) return fail(rs, ERR_MANDATORY_PARAM_EITHER, "orderListId", name_cid);
    return 0;
}

void ep_list_cancel(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t id;
    const char *cid;
    char ccid[40];
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0 || list_ref(rq, rs, "listClientOrderId", &id, &cid) || ol_client_id(rq, rs, "newClientOrderId", ccid)
        || recheck(rq, rs)) {
        exchange_unlock(ex);
        return;
    }
    if (!*ccid) ex_client_id_gen(ex, ccid);
    ex_list_result r;
    ex_list_cancel_locked(ex, rq->account_id, si, id, cid, ccid, rq->now_us, &r);
    cJSON *body = r.err.err == ERR_NONE ? list_with_reports(rq, ex, &r, EP_ORDER_CANCEL, ccid) : NULL;
    exchange_unlock(ex);
    if (r.err.err != ERR_NONE) ep_result_error(rs, &r.err);
    else {
        rs->weight = 0;
        api_ok(rs, body);
    }
    ex_list_result_free(&r);
}

size_t ep_lists_cancel_all_locked(api_req *rq, struct exchange *ex, int sym, cJSON *arr)
{
    size_t n = 0;
    for (size_t i = 0; i < ex_list_count(ex); i++) {
        const ex_list *l = ex_list_at(ex, i);
        if (l->account != rq->account_id || l->sym != sym || l->done) continue;
        char ccid[40];
        ex_client_id_gen(ex, ccid);
        ex_list_result r;
        ex_list_cancel_locked(ex, rq->account_id, sym, l->id, NULL, ccid, rq->now_us, &r);
        if (r.err.err == ERR_NONE && arr) cJSON_AddItemToArray(arr, list_with_reports(rq, ex, &r, EP_ORDER_CANCEL, ccid));
        n += r.err.err == ERR_NONE;
        ex_list_result_free(&r);
    }
    return n;
}

void ep_list_query(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t id;
    const char *cid;
    if (ep_account(rq, rs) || list_ref(rq, rs, "origClientOrderId", &id, &cid)) return;
    exchange_lock(ex);
    ex_list *l = ex_list_find_locked(ex, rq->account_id, id, id >= 0 ? NULL : cid);
    if (l && id >= 0 && cid && strcmp(l->client_id, cid)) l = NULL;
    cJSON *body = l ? list_json(rq, ex_symbol_at(ex, (size_t)l->sym), l) : NULL;
    exchange_unlock(ex);
    /* errors.md has no order-list text: an unknown list answers like an unknown order */
    if (!l) return api_error(rs, ERR_NO_SUCH_ORDER, NULL, NULL);
    api_ok(rs, body);
}

/* allOrderList: by fromId (ascending from it) or by transactionTime window
 * (fromId ignored then, as web-socket-api.md says); newest first, as the
 * rest-api.md sample lists them. */
void ep_list_all(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t from = -1, start = -1, end = -1;
    int limit;
    if (ep_account(rq, rs) || ep_int(rq, rs, "fromId", &from, 0) < 0 || ep_time_param(rq, rs, "startTime", &start) < 0
        || ep_time_param(rq, rs, "endTime", &end) < 0 || ep_limit(rq, rs, 500, 1000, &limit))
        return;
    if (start >= 0 && end >= 0 && end - start > 24LL * 3600 * 1000000)
        return api_error(rs, ERR_MORE_THAN_XX_HOURS_N, "24", NULL);
    if (start >= 0 || end >= 0) from = -1;
    cJSON *arr = cJSON_CreateArray();
    exchange_lock(ex);
    size_t n = ex_list_count(ex), idx[1000];
    int k = 0;
    if (from >= 0) {                 /* the `limit` lists from fromId upwards */
        for (size_t i = 0; i < n && k < limit; i++) {
            const ex_list *l = ex_list_at(ex, i);
            if (l->account == rq->account_id && l->id >= from) idx[k++] = i;
        }
    } else {                         /* the newest `limit` in the window */
        size_t tmp[1000];
        int m = 0;
        for (size_t i = n; i-- > 0 && m < limit;) {
            const ex_list *l = ex_list_at(ex, i);
            if (l->account != rq->account_id || (start >= 0 && l->time_us < start) || (end >= 0 && l->time_us > end))
                continue;
            tmp[m++] = i;
        }
        while (m > 0) idx[k++] = tmp[--m];
    }
    while (arr && k > 0) {           /* newest first */
        const ex_list *l = ex_list_at(ex, idx[--k]);
        cJSON_AddItemToArray(arr, list_json(rq, ex_symbol_at(ex, (size_t)l->sym), l));
    }
    exchange_unlock(ex);
    api_ok(rs, arr);
}

void ep_list_open(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    if (ep_account(rq, rs)) return;
    cJSON *arr = cJSON_CreateArray();
    exchange_lock(ex);
    for (size_t i = 0; arr && i < ex_list_count(ex); i++) {
        const ex_list *l = ex_list_at(ex, i);
        if (l->account == rq->account_id && !l->done)
            cJSON_AddItemToArray(arr, list_json(rq, ex_symbol_at(ex, (size_t)l->sym), l));
    }
    exchange_unlock(ex);
    api_ok(rs, arr);
}
