/* ep_sor.c: smart order routing and the account's look-back lists -
 * POST /api/v3/sor/order and /sor/order/test (WS sor.order.place,
 * sor.order.test), GET /api/v3/myAllocations (WS myAllocations) and
 * GET /api/v3/myPreventedMatches (WS myPreventedMatches). The engine side
 * (allocations, prevented matches, the single-book routing) is
 * exchange/sor.c; docs/sor.md says what binance-mock chooses where the
 * docs are silent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"
#include "ep_trade.h"
#include "records.h"

/* The SOR-only rules on top of a new order's: LIMIT or MARKET, no
 * quoteOrderQty (rest-api.md), a symbol of an SOR configuration. Which
 * errors Binance answers is not documented: binance-mock answers -1116 for
 * another type, -1106 for quoteOrderQty and -1020 for a symbol without SOR. */
static int sor_parse(api_req *rq, api_resp *rs, struct exchange *ex, order_params *p)
{
    const char *ty = ep_str(rq, "type");
    if (ty && strcmp(ty, "LIMIT") && strcmp(ty, "MARKET") && ex_type_parse(ty) >= 0)
        return api_error(rs, ERR_INVALID_ORDER_TYPE, NULL, NULL), -1;
    if (ep_str(rq, "quoteOrderQty")) return api_error(rs, ERR_PARAM_NOT_REQUIRED_NAMED, "quoteOrderQty", NULL), -1;
    if (ep_order_parse(rq, rs, ex, p)) return -1;
    if (!ex_sor_symbol(ex, ex_symbol_at(ex, (size_t)p->rq.sym)))
        return api_error(rs, ERR_UNSUPPORTED_OPERATION, NULL, NULL), -1;
    p->rq.sor = 1;
    return ep_order_recheck(rq, rs);
}

static cJSON *alloc_fills(const ex_symbol *s, const ex_result *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < r->nfills; i++) {
        const ex_fill *f = &r->fills[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        cJSON_AddStringToObject(o, "matchType", "ONE_PARTY_TRADE_REPORT");
        ep_add_dec(o, "price", f->price);
        ep_add_dec(o, "qty", f->qty);
        ep_add_dec(o, "commission", f->commission);
        cJSON_AddStringToObject(o, "commissionAsset", f->comm_is_base ? s->base : s->quote);
        cJSON_AddNumberToObject(o, "tradeId", -1);
        cJSON_AddNumberToObject(o, "allocId", (double)f->alloc_id);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* The order in the shape rest-api.md shows for sor/order: fills as
 * allocations, then workingFloor (SOR when the order took liquidity,
 * EXCHANGE when it only rests on the book - binance-mock's choice),
 * selfTradePreventionMode, usedSor. */
static cJSON *sor_json(api_req *rq, struct exchange *ex, const ex_result *r, ex_resp resp)
{
    ep_order_shape shape = resp == EX_RESP_ACK ? EP_ORDER_ACK : resp == EX_RESP_RESULT ? EP_ORDER_RESULT : EP_ORDER_FULL;
    cJSON *o = ep_order_json(rq, ex, &r->order, shape, r, NULL, rq->now_us);
    if (!o || shape == EP_ORDER_ACK) return o;
    cJSON *stp = cJSON_DetachItemFromObjectCaseSensitive(o, "selfTradePreventionMode");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "fills");
    if (shape == EP_ORDER_FULL) cJSON_AddItemToObject(o, "fills", alloc_fills(ex_symbol_at(ex, (size_t)r->order.sym), r));
    cJSON_AddStringToObject(o, "workingFloor", r->nfills ? "SOR" : "EXCHANGE");
    if (stp) cJSON_AddItemToObject(o, "selfTradePreventionMode", stp);
    cJSON_AddBoolToObject(o, "usedSor", 1);
    return o;
}

void ep_sor_order(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    order_params p;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    if (sor_parse(rq, rs, ex, &p)) { exchange_unlock(ex); return; }
    ex_result r;
    ex_order_place_locked(ex, &p.rq, &r);
    cJSON *body = r.err == ERR_NONE ? sor_json(rq, ex, &r, p.resp) : NULL;
    exchange_unlock(ex);
    if (r.err != ERR_NONE) ep_result_error(rs, &r);
    else {
        rs->weight = 0;
        rs->order_placed = 1;
        if (rq->transport == API_WS && body) {   /* web-socket-api.md: "result" is an array of one */
            cJSON *arr = cJSON_CreateArray();
            if (arr) { cJSON_AddItemToArray(arr, body); body = arr; }
        }
        api_ok(rs, body);
    }
    ex_result_free(&r);
}

void ep_sor_order_test(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    order_params p;
    int rates = 0;
    if (ep_account(rq, rs) || ep_bool(rq, rs, "computeCommissionRates", &rates) < 0) return;
    if (rates) rs->weight = 20;
    exchange_lock(ex);
    if (sor_parse(rq, rs, ex, &p)) { exchange_unlock(ex); return; }
    p.rq.test_only = 1;
    ex_result r;
    ex_order_place_locked(ex, &p.rq, &r);
    cJSON *body = r.err != ERR_NONE ? NULL
                : rates ? ep_commission_json(ex_account_at(ex, rq->account_id)) : cJSON_CreateObject();
    exchange_unlock(ex);
    if (r.err != ERR_NONE) ep_result_error(rs, &r);
    else api_ok(rs, body);
    ex_result_free(&r);
}

static cJSON *alloc_json(api_req *rq, const ex_symbol *s, const ex_alloc *x)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON_AddNumberToObject(o, "allocationId", (double)x->id);
    cJSON_AddStringToObject(o, "allocationType", "SOR");
    cJSON_AddNumberToObject(o, "orderId", (double)x->order_id);
    cJSON_AddNumberToObject(o, "orderListId", (double)x->list_id);
    ep_add_dec(o, "price", x->price);
    ep_add_dec(o, "qty", x->qty);
    ep_add_dec(o, "quoteQty", x->quote);
    ep_add_dec(o, "commission", x->commission);
    cJSON_AddStringToObject(o, "commissionAsset", x->comm_is_base ? s->base : s->quote);
    ep_add_time(rq, o, "time", x->time_us);
    cJSON_AddBoolToObject(o, "isBuyer", x->is_buyer);
    cJSON_AddBoolToObject(o, "isMaker", 0);         /* an allocation always takes (the SOR is the maker) */
    cJSON_AddBoolToObject(o, "isAllocator", 0);
    return o;
}

/* GET myAllocations: symbol, then [startTime] [endTime] (at most 24 h apart)
 * or fromAllocationId, [orderId], limit (500, max 1000). Oldest first;
 * endTime alone gives the newest up to it. */
void ep_my_allocations(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t start = -1, end = -1, from = -1, oid = -1;
    int limit, hs, he, hf, ho;
    if (ep_account(rq, rs)) return;
    if ((hs = ep_time_param(rq, rs, "startTime", &start)) < 0 || (he = ep_time_param(rq, rs, "endTime", &end)) < 0
        || (hf = ep_int(rq, rs, "fromAllocationId", &from, 0)) < 0 || (ho = ep_int(rq, rs, "orderId", &oid, 0)) < 0
        || ep_limit(rq, rs, 500, 1000, &limit))
        return;
    if (hf && (hs || he)) return api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    if (ho && (hs || he)) return api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    if (hs && he && end - start > 86400000000LL) return api_error(rs, ERR_MORE_THAN_XX_HOURS_N, "24", NULL);
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0) { exchange_unlock(ex); return; }
    ex_account *a = ex_account_at(ex, rq->account_id);
    const ex_records *rec = a ? a->rec : NULL;
    size_t n = rec ? rec->nal : 0, lo = 0, hi = n;
    cJSON *arr = cJSON_CreateArray();
    size_t *pick = n ? malloc(n * sizeof *pick) : NULL, k = 0;
    for (size_t i = lo; pick && i < hi; i++) {
        const ex_alloc *x = &rec->al[i];
        if (x->sym != si || (ho && x->order_id != oid) || (hf && x->id < from)) continue;
        if ((hs && x->time_us < start) || (he && x->time_us > end)) continue;
        pick[k++] = i;
    }
    size_t first = (he && !hs && k > (size_t)limit) ? k - (size_t)limit : 0;
    for (size_t j = first; arr && j < k && j - first < (size_t)limit; j++)
        cJSON_AddItemToArray(arr, alloc_json(rq, ex_symbol_at(ex, (size_t)si), &rec->al[pick[j]]));
    exchange_unlock(ex);
    free(pick);
    api_ok(rs, arr);
}

static cJSON *prevented_json(api_req *rq, const ex_symbol *s, const ex_prevented *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON_AddNumberToObject(o, "preventedMatchId", (double)p->id);
    cJSON_AddNumberToObject(o, "takerOrderId", (double)p->taker_id);
    cJSON_AddStringToObject(o, "makerSymbol", s->name);
    cJSON_AddNumberToObject(o, "makerOrderId", (double)p->maker_id);
    cJSON_AddNumberToObject(o, "tradeGroupId", -1);  /* no trade groups: as "u" of the events */
    cJSON_AddStringToObject(o, "selfTradePreventionMode", ex_stp_name(p->mode));
    ep_add_dec(o, "price", p->price);
    ep_add_dec(o, "makerPreventedQuantity", p->maker_qty);
    ep_add_time(rq, o, "transactTime", p->time_us);
    return o;
}

/* GET myPreventedMatches: symbol + preventedMatchId, or symbol + orderId
 * [+ fromPreventedMatchId] [+ limit] (rest-api.md's combinations; any other
 * answers -1128). An orderId matches the taker or the maker of the match. */
void ep_my_prevented_matches(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t pid = -1, oid = -1, from = -1;
    int limit, hp, ho, hf;
    if (ep_account(rq, rs)) return;
    if ((hp = ep_int(rq, rs, "preventedMatchId", &pid, 0)) < 0 || (ho = ep_int(rq, rs, "orderId", &oid, 0)) < 0
        || (hf = ep_int(rq, rs, "fromPreventedMatchId", &from, 0)) < 0 || ep_limit(rq, rs, 500, 1000, &limit))
        return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    if (si < 0) { exchange_unlock(ex); rs->weight = 2; return; }
    if (hp == ho || (hp && (hf || ep_str(rq, "limit")))) {
        exchange_unlock(ex);
        return api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    }
    rs->weight = hp ? 2 : 20;
    ex_account *a = ex_account_at(ex, rq->account_id);
    const ex_records *rec = a ? a->rec : NULL;
    cJSON *arr = cJSON_CreateArray();
    int k = 0;
    for (size_t i = 0; arr && rec && i < rec->npm && k < limit; i++) {
        const ex_prevented *p = &rec->pm[i];
        if (p->sym != si) continue;
        if (hp && p->id != pid) continue;
        if (ho && p->taker_id != oid && p->maker_id != oid) continue;
        if (hf && p->id < from) continue;
        cJSON_AddItemToArray(arr, prevented_json(rq, ex_symbol_at(ex, (size_t)si), p));
        k++;
    }
    exchange_unlock(ex);
    api_ok(rs, arr);
}
