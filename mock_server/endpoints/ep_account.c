/* ep_account.c: the USER_DATA endpoints - GET /api/v3/order, openOrders,
 * allOrders, myTrades, account, rateLimit/order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"
#include "jsonw.h"

void ep_order_query(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t id = -1;
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    const char *cid = ep_str(rq, "origClientOrderId");
    int r = si >= 0 ? ep_int(rq, rs, "orderId", &id, 0) : -1;
    cJSON *body = NULL;
    err_id err = ERR_NONE;
    if (si >= 0 && r >= 0) {
        if (r == 0 && !cid) err = ERR_MANDATORY_PARAM_EITHER;
        else {
            ex_order *o = ex_order_find_locked(ex, rq->account_id, si, id, cid);
            if (o && ex_order_is_archived(ex, o)) err = ERR_ORDER_ARCHIVED;
            else if (!o)
                err = ex_history_was_archived(ex_account_at(ex, rq->account_id), si, id, id >= 0 ? NULL : cid)
                    ? ERR_ORDER_ARCHIVED : ERR_NO_SUCH_ORDER;
            else if (id >= 0 && cid && strcmp(o->client_id, cid)) err = ERR_CLIENT_ORDER_ID_INVALID;
            else body = ep_order_json(rq, ex, o, EP_ORDER_QUERY, NULL, NULL, 0);
        }
    }
    exchange_unlock(ex);
    if (si < 0 || r < 0) return;
    if (err == ERR_MANDATORY_PARAM_EITHER) return api_error(rs, err, "origClientOrderId", "orderId");
    if (err != ERR_NONE) return api_error(rs, err, NULL, NULL);
    api_ok(rs, body);
}

void ep_open_orders(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 0);
    if (si < 0 && ep_str(rq, "symbol")) { exchange_unlock(ex); return; }
    rs->weight = si >= 0 ? 6 : 80;
    cJSON *arr = cJSON_CreateArray();
    ex_order **open = NULL;
    size_t n = ex_open_orders_locked(ex, rq->account_id, si, &open);
    for (size_t i = 0; arr && i < n; i++)
        cJSON_AddItemToArray(arr, ep_order_json(rq, ex, open[i], EP_ORDER_QUERY, NULL, NULL, 0));
    exchange_unlock(ex);
    free(open);
    api_ok(rs, arr);
}

void ep_all_orders(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t from = -1, st = -1, et = -1;
    int limit;
    if (ep_account(rq, rs) || ep_int(rq, rs, "orderId", &from, 0) < 0 || ep_time_param(rq, rs, "startTime", &st) < 0
        || ep_time_param(rq, rs, "endTime", &et) < 0 || ep_limit(rq, rs, 500, 1000, &limit))
        return;
    if (st >= 0 && et >= 0 && et - st > 86400000000LL) return api_error(rs, ERR_MORE_THAN_XX_HOURS_N, "24", NULL);
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *arr = si >= 0 ? cJSON_CreateArray() : NULL;
    ex_account *a = ex_account_at(ex, rq->account_id);
    size_t n = 0, first = 0, total = 0;
    for (size_t pass = 0; pass < 2 && arr && a; pass++) {
        for (size_t i = 0; i < a->norders; i++) {
            ex_order *o = a->orders[i];
            if (o->sym != si || (from >= 0 && o->id < from) || (st >= 0 && o->time_us < st) || (et >= 0 && o->time_us > et)
                || ex_order_is_archived(ex, o))
                continue;
            if (pass == 0) { total++; continue; }
            if (n++ < first) continue;
            if (n - first > (size_t)limit) break;
            cJSON_AddItemToArray(arr, ep_order_json(rq, ex, o, EP_ORDER_QUERY, NULL, NULL, 0));
        }
        /* without orderId the newest `limit` orders are returned */
        if (pass == 0 && from < 0 && st < 0 && total > (size_t)limit) first = total - (size_t)limit;
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, arr);
}

static cJSON *mytrade_json(api_req *rq, const ex_symbol *s, const ex_mytrade *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON_AddNumberToObject(o, "id", (double)t->id);
    cJSON_AddNumberToObject(o, "orderId", (double)t->order_id);
    cJSON_AddNumberToObject(o, "orderListId", (double)t->list_id);
    ep_add_dec(o, "price", t->price);
    ep_add_dec(o, "qty", t->qty);
    ep_add_dec(o, "quoteQty", t->quote);
    ep_add_dec(o, "commission", t->commission);
    cJSON_AddStringToObject(o, "commissionAsset", t->comm_asset_is_base ? s->base : s->quote);
    ep_add_time(rq, o, "time", t->time_us);
    cJSON_AddBoolToObject(o, "isBuyer", t->is_buyer);
    cJSON_AddBoolToObject(o, "isMaker", t->is_maker);
    cJSON_AddBoolToObject(o, "isBestMatch", 1);
    return o;
}

/* A fill is listed while its order is (archiving an order drops its fills). */
static int trade_kept(struct exchange *ex, ex_account *a, const ex_mytrade *t)
{
    const ex_order *o = ex_order_by_id(a, t->order_id);
    return o && !ex_order_is_archived(ex, o);
}

void ep_my_trades(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int64_t oid = -1, st = -1, et = -1, from = -1;
    int limit, r1, r2, r3, r4;
    if (ep_account(rq, rs)) return;
    if ((r1 = ep_int(rq, rs, "orderId", &oid, 0)) < 0 || (r2 = ep_time_param(rq, rs, "startTime", &st)) < 0
        || (r3 = ep_time_param(rq, rs, "endTime", &et)) < 0 || (r4 = ep_int(rq, rs, "fromId", &from, 0)) < 0
        || ep_limit(rq, rs, 500, 1000, &limit))
        return;
    /* allowed: none; orderId; startTime; endTime; fromId; startTime+endTime; orderId+fromId */
    if ((r1 && (r2 || r3)) || (r4 && (r2 || r3))) return api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    if (r2 && r3 && et - st > 86400000000LL) return api_error(rs, ERR_MORE_THAN_XX_HOURS_N, "24", NULL);
    if (r1) rs->weight = 5;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *arr = si >= 0 ? cJSON_CreateArray() : NULL;
    ex_account *a = ex_account_at(ex, rq->account_id);
    if (arr && a) {
        size_t lo = 0, cnt = 0;
        if (!r2 && !r4) {
            /* newest `limit` matching trades */
            size_t m = 0;
            for (size_t i = a->ntrades; i-- > 0;) {
                const ex_mytrade *t = &a->trades[i];
                if (t->sym == si && (!r1 || t->order_id == oid) && (!r3 || t->time_us <= et) && trade_kept(ex, a, t)) {
                    lo = i;
                    if (++m == (size_t)limit) break;
                }
            }
        }
        for (size_t i = lo; i < a->ntrades && cnt < (size_t)limit; i++) {
            const ex_mytrade *t = &a->trades[i];
            if (t->sym != si || (r1 && t->order_id != oid) || (r4 && t->id < from)
                || (r2 && t->time_us < st) || (r3 && t->time_us > et) || !trade_kept(ex, a, t))
                continue;
            cJSON_AddItemToArray(arr, mytrade_json(rq, ex_symbol_at(ex, (size_t)si), t));
            cnt++;
        }
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, arr);
}

/* The account document as a cJSON tree (the WebSocket API's result). */
static cJSON *account_json(api_req *rq, const ex_account *a, int omit)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    dec_t mk = a ? a->maker_rate : 0, tk = a ? a->taker_rate : 0;
    cJSON_AddNumberToObject(o, "makerCommission", (double)(mk / 10000));
    cJSON_AddNumberToObject(o, "takerCommission", (double)(tk / 10000));
    cJSON_AddNumberToObject(o, "buyerCommission", 0);
    cJSON_AddNumberToObject(o, "sellerCommission", 0);
    cJSON *cr = cJSON_AddObjectToObject(o, "commissionRates");
    if (cr) {
        ep_add_dec(cr, "maker", mk);
        ep_add_dec(cr, "taker", tk);
        ep_add_dec(cr, "buyer", 0);
        ep_add_dec(cr, "seller", 0);
    }
    cJSON_AddBoolToObject(o, "canTrade", 1);
    cJSON_AddBoolToObject(o, "canWithdraw", 1);
    cJSON_AddBoolToObject(o, "canDeposit", 1);
    cJSON_AddBoolToObject(o, "brokered", 0);
    cJSON_AddBoolToObject(o, "requireSelfTradePrevention", 0);
    cJSON_AddBoolToObject(o, "preventSor", 0);
    ep_add_time(rq, o, "updateTime", a && a->update_us ? a->update_us : 0);
    cJSON_AddStringToObject(o, "accountType", "SPOT");
    cJSON *bal = cJSON_AddArrayToObject(o, "balances");
    for (size_t i = 0; bal && a && i < a->nbal; i++) {
        if (omit && a->bal[i].free == 0 && a->bal[i].locked == 0) continue;
        cJSON *b = cJSON_CreateObject();
        if (!b) break;
        cJSON_AddStringToObject(b, "asset", a->bal[i].asset);
        ep_add_dec(b, "free", a->bal[i].free);
        ep_add_dec(b, "locked", a->bal[i].locked);
        cJSON_AddItemToArray(bal, b);
    }
    cJSON *perm = cJSON_AddArrayToObject(o, "permissions");
    if (perm) cJSON_AddItemToArray(perm, cJSON_CreateString("SPOT"));
    cJSON_AddNumberToObject(o, "uid", 354000000 + rq->account_id);
    return o;
}

/* key (JSON text up to the value) then "<decimal with 8 places>" as
 * ep_add_dec renders it, written straight into reserved space */
static void account_text_dec_n(buf_t *b, const char *key, size_t klen, dec_t v)
{
    if (buf_reserve(b, klen + 52) < 0) return;
    char *o = b->data + b->len;
    memcpy(o, key, klen);
    o += klen;
    *o++ = '"';
    o += dec_format(o, 48, v, 8);
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->data);
}
#define account_text_dec(b, key, v) account_text_dec_n((b), (key), sizeof(key) - 1, (v))

/* The same document, byte for byte as cJSON prints account_json(), written
 * straight to text: the REST hot path (no tree to build, print and free).
 * Returns a raw cJSON item holding the text, NULL on oom. */
static cJSON *account_raw(api_req *rq, const ex_account *a, int omit)
{
    buf_t b = BUF_INIT;
    dec_t mk = a ? a->maker_rate : 0, tk = a ? a->taker_rate : 0;
    buf_reserve(&b, 1000);
    buf_puts(&b, "{\"makerCommission\":");
    jsonw_number(&b, (double)(mk / 10000));
    buf_puts(&b, ",\"takerCommission\":");
    jsonw_number(&b, (double)(tk / 10000));
    buf_puts(&b, ",\"buyerCommission\":0,\"sellerCommission\":0");
    account_text_dec(&b, ",\"commissionRates\":{\"maker\":", mk);
    account_text_dec(&b, ",\"taker\":", tk);
    account_text_dec(&b, ",\"buyer\":", 0);
    account_text_dec(&b, ",\"seller\":", 0);
    buf_puts(&b, "},\"canTrade\":true,\"canWithdraw\":true,\"canDeposit\":true,\"brokered\":false,"
                 "\"requireSelfTradePrevention\":false,\"preventSor\":false,\"updateTime\":");
    /* as an integer: jsonw_number prints a µs time ending in 0 as 1.79524134e+15 */
    jsonw_int(&b, (long long)api_time(rq, a && a->update_us ? a->update_us : 0));
    buf_puts(&b, ",\"accountType\":\"SPOT\",\"balances\":[");
    int first = 1;
    for (size_t i = 0; a && i < a->nbal; i++) {
        if (omit && a->bal[i].free == 0 && a->bal[i].locked == 0) continue;
        buf_puts(&b, first ? "{\"asset\":" : ",{\"asset\":");
        first = 0;
        jsonw_cstring(&b, a->bal[i].asset);
        account_text_dec(&b, ",\"free\":", a->bal[i].free);
        account_text_dec(&b, ",\"locked\":", a->bal[i].locked);
        buf_putc(&b, '}');
    }
    buf_puts(&b, "],\"permissions\":[\"SPOT\"],\"uid\":");
    jsonw_number(&b, 354000000 + rq->account_id);
    int ok = buf_putc(&b, '}') == 0;
    cJSON *raw = ok ? cJSON_CreateRaw(b.data) : NULL;
    buf_free(&b);
    return raw;
}

void ep_account_info(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int omit = 0;
    if (ep_account(rq, rs) || ep_bool(rq, rs, "omitZeroBalances", &omit) < 0) return;
    exchange_lock(ex);
    const ex_account *a = ex_account_at(ex, rq->account_id);
    cJSON *o = rq->transport == API_REST ? account_raw(rq, a, omit) : account_json(rq, a, omit);
    exchange_unlock(ex);
    if (!o) return api_error(rs, ERR_UNKNOWN, NULL, NULL);
    api_ok(rs, o);
}

/* ORDERS limits as configured, with this account's current counts. */
void ep_rate_limit_order(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    if (ep_account(rq, rs)) return;
    cJSON *all = srv_rate_limits_json(rq->srv), *arr = cJSON_CreateArray(), *it;
    exchange_lock(ex);
    ex_account *a = ex_account_at(ex, rq->account_id);
    cJSON_ArrayForEach(it, all) {
        const cJSON *t = cJSON_GetObjectItem(it, "rateLimitType");
        if (!cJSON_IsString(t) || strcmp(t->valuestring, "ORDERS")) continue;
        const cJSON *iv = cJSON_GetObjectItem(it, "interval"), *num = cJSON_GetObjectItem(it, "intervalNum");
        int64_t unit = 1000000;
        if (cJSON_IsString(iv)) {
            if (!strcmp(iv->valuestring, "MINUTE")) unit = 60000000LL;
            else if (!strcmp(iv->valuestring, "HOUR")) unit = 3600000000LL;
            else if (!strcmp(iv->valuestring, "DAY")) unit = 86400000000LL;
        }
        int64_t win = unit * (cJSON_IsNumber(num) ? num->valueint : 1), count = 0;
        for (size_t i = 0; a && i < a->norders; i++)
            if (a->orders[i]->time_us > rq->now_us - win) count++;
        cJSON *o = cJSON_Duplicate(it, 1);
        if (o) { cJSON_AddNumberToObject(o, "count", (double)count); cJSON_AddItemToArray(arr, o); }
    }
    exchange_unlock(ex);
    cJSON_Delete(all);
    api_ok(rs, arr);
}

static cJSON *rates4(dec_t mk, dec_t tk)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    ep_add_dec(o, "maker", mk);
    ep_add_dec(o, "taker", tk);
    ep_add_dec(o, "buyer", 0);
    ep_add_dec(o, "seller", 0);
    return o;
}

void ep_account_commission(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    ex_account *a = ex_account_at(ex, rq->account_id);
    cJSON *o = si >= 0 ? cJSON_CreateObject() : NULL;
    if (o) {
        cJSON_AddStringToObject(o, "symbol", ex_symbol_at(ex, (size_t)si)->name);
        cJSON_AddItemToObject(o, "standardCommission", rates4(a ? a->maker_rate : 0, a ? a->taker_rate : 0));
        cJSON_AddItemToObject(o, "specialCommission", rates4(0, 0));
        cJSON_AddItemToObject(o, "taxCommission", rates4(0, 0));
        cJSON *d = cJSON_AddObjectToObject(o, "discount");
        if (d) {
            cJSON_AddBoolToObject(d, "enabledForAccount", 1);
            cJSON_AddBoolToObject(d, "enabledForSymbol", 1);
            cJSON_AddStringToObject(d, "discountAsset", "BNB");
            cJSON_AddStringToObject(d, "discount", "0.75000000");
        }
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, o);
}
