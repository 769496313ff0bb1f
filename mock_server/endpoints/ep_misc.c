/* ep_misc.c: the legacy listenKey endpoints (POST/PUT/DELETE
 * /api/v3/userDataStream), the wallet coin list (/sapi/v1/capital/config/getall)
 * and the discovery endpoints multi-exchange libraries call while loading
 * markets (/sapi/v1/margin/allPairs, /sapi/v1/margin/isolated/allPairs,
 * /fapi/v1/exchangeInfo, /dapi/v1/exchangeInfo).
 *
 * Retired listenKey endpoints (profile "current"): Binance retired them on
 * 2026-02-20 (CHANGELOG 2026-01-21) without documenting the answer; client
 * libraries reported HTTP 410 Gone afterwards (unicorn-binance-websocket-api
 * PR #411). The mock answers 410 with the catalogue's -1016 "This service is
 * no longer available." body - the body is our choice. */
#include <stdio.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"

static int stream_retired(api_req *rq, api_resp *rs)
{
    if (srv_get_profile(rq->srv) == PROFILE_2025_12) return 0;
    api_error(rs, ERR_SERVICE_SHUTTING_DOWN, NULL, NULL);
    rs->status = 410;
    return 1;
}

void ep_stream_start(api_req *rq, api_resp *rs)
{
    if (stream_retired(rq, rs) || ep_account(rq, rs)) return;
    struct exchange *ex = ep_ex(rq);
    cJSON *o = cJSON_CreateObject();
    exchange_lock(ex);
    ex_account *a = ex_account_at(ex, rq->account_id);
    if (a && !a->listen_key[0]) {
        char part[40];
        for (int i = 0; i < 3; i++) {
            ex_client_id_gen(ex, part);
            strncat(a->listen_key, part, sizeof a->listen_key - 1 - strlen(a->listen_key));
        }
    }
    if (o && a) cJSON_AddStringToObject(o, "listenKey", a->listen_key);
    exchange_unlock(ex);
    api_ok(rs, o);
}

static void stream_key_op(api_req *rq, api_resp *rs, int close)
{
    const char *key;
    if (stream_retired(rq, rs) || ep_account(rq, rs) || ep_need(rq, rs, "listenKey", &key)) return;
    struct exchange *ex = ep_ex(rq);
    exchange_lock(ex);
    ex_account *a = ex_account_at(ex, rq->account_id);
    int ok = a && a->listen_key[0] && !strcmp(a->listen_key, key);
    if (ok && close) a->listen_key[0] = '\0';
    exchange_unlock(ex);
    if (!ok) return api_error(rs, ERR_INVALID_LISTEN_KEY, NULL, NULL);
    api_ok(rs, cJSON_CreateObject());
}

void ep_stream_keepalive(api_req *rq, api_resp *rs) { stream_key_op(rq, rs, 0); }
void ep_stream_close(api_req *rq, api_resp *rs) { stream_key_op(rq, rs, 1); }

static cJSON *network(const char *coin)
{
    cJSON *n = cJSON_CreateObject();
    if (!n) return NULL;
    cJSON_AddStringToObject(n, "network", "MOCK");
    cJSON_AddStringToObject(n, "coin", coin);
    cJSON_AddStringToObject(n, "withdrawIntegerMultiple", "0.00000001");
    cJSON_AddBoolToObject(n, "isDefault", 1);
    cJSON_AddBoolToObject(n, "depositEnable", 1);
    cJSON_AddBoolToObject(n, "withdrawEnable", 1);
    cJSON_AddStringToObject(n, "depositDesc", "");
    cJSON_AddStringToObject(n, "withdrawDesc", "");
    cJSON_AddStringToObject(n, "specialTips", "");
    cJSON_AddStringToObject(n, "name", "Mock network");
    cJSON_AddBoolToObject(n, "resetAddressStatus", 0);
    cJSON_AddStringToObject(n, "addressRegex", "^.*$");
    cJSON_AddStringToObject(n, "memoRegex", "");
    cJSON_AddStringToObject(n, "withdrawFee", "0");
    cJSON_AddStringToObject(n, "withdrawMin", "0");
    cJSON_AddStringToObject(n, "withdrawMax", "9999999999.99999999");
    cJSON_AddNumberToObject(n, "minConfirm", 1);
    cJSON_AddNumberToObject(n, "unLockConfirm", 0);
    cJSON_AddBoolToObject(n, "sameAddress", 0);
    cJSON_AddNumberToObject(n, "estimatedArrivalTime", 1);
    cJSON_AddBoolToObject(n, "busy", 0);
    cJSON_AddStringToObject(n, "contractAddressUrl", "");
    cJSON_AddStringToObject(n, "contractAddress", "");
    return n;
}

void ep_capital_config(api_req *rq, api_resp *rs)
{
    if (ep_account(rq, rs)) return;
    struct exchange *ex = ep_ex(rq);
    cJSON *arr = cJSON_CreateArray();
    exchange_lock(ex);
    ex_account *a = ex_account_at(ex, rq->account_id);
    for (size_t i = 0; arr && i < ex_asset_count(ex); i++) {
        const char *coin = ex_asset_at(ex, i);
        ex_balance *b = a ? ex_balance_find(a, coin) : NULL;
        cJSON *c = cJSON_CreateObject();
        if (!c) break;
        cJSON_AddStringToObject(c, "coin", coin);
        cJSON_AddBoolToObject(c, "depositAllEnable", 1);
        ep_add_dec(c, "free", b ? b->free : 0);
        ep_add_dec(c, "freeze", 0);
        ep_add_dec(c, "ipoable", 0);
        ep_add_dec(c, "ipoing", 0);
        cJSON_AddBoolToObject(c, "isLegalMoney", 0);
        ep_add_dec(c, "locked", b ? b->locked : 0);
        cJSON_AddStringToObject(c, "name", coin);
        cJSON *nl = cJSON_AddArrayToObject(c, "networkList");
        if (nl) cJSON_AddItemToArray(nl, network(coin));
        ep_add_dec(c, "storage", 0);
        cJSON_AddBoolToObject(c, "trading", 1);
        cJSON_AddBoolToObject(c, "withdrawAllEnable", 1);
        ep_add_dec(c, "withdrawing", 0);
        cJSON_AddItemToArray(arr, c);
    }
    exchange_unlock(ex);
    api_ok(rs, arr);
}

/* Key order of Binance's documented examples: cross pairs alphabetical
 * (base, id, isBuyAllowed, ...), isolated pairs symbol first. */
static void margin_cross_pair(cJSON *p, const ex_symbol *s, size_t i)
{
    /* id is an int64 beyond 2^53: as a double it would print 3.5163715014131584e+17 */
    char id[24];
    snprintf(id, sizeof id, "%lld", 351637150141315861LL + (long long)i);
    cJSON_AddStringToObject(p, "base", s->base);
    cJSON_AddRawToObject(p, "id", id);
    cJSON_AddBoolToObject(p, "isBuyAllowed", 1);
    cJSON_AddBoolToObject(p, "isMarginTrade", 1);
    cJSON_AddBoolToObject(p, "isSellAllowed", 1);
    cJSON_AddStringToObject(p, "quote", s->quote);
    cJSON_AddStringToObject(p, "symbol", s->name);
}

static void margin_isolated_pair(cJSON *p, const ex_symbol *s)
{
    cJSON_AddStringToObject(p, "symbol", s->name);
    cJSON_AddStringToObject(p, "base", s->base);
    cJSON_AddStringToObject(p, "quote", s->quote);
    cJSON_AddBoolToObject(p, "isMarginTrade", 1);
    cJSON_AddBoolToObject(p, "isBuyAllowed", 1);
    cJSON_AddBoolToObject(p, "isSellAllowed", 1);
}

static void margin_pairs(api_req *rq, api_resp *rs, int isolated)
{
    struct exchange *ex = ep_ex(rq);
    const char *want = ep_str(rq, "symbol");
    cJSON *arr = cJSON_CreateArray();
    exchange_lock(ex);
    if (want && !ex_symbol_find(ex, want)) {
        exchange_unlock(ex);
        cJSON_Delete(arr);
        return api_error(rs, ERR_BAD_SYMBOL, NULL, NULL);
    }
    for (size_t i = 0; arr && i < ex_symbol_count(ex); i++) {
        ex_symbol *s = ex_symbol_at(ex, i);
        if (!s->margin_allowed || (want && strcmp(want, s->name))) continue;
        cJSON *p = cJSON_CreateObject();
        if (!p) break;
        if (isolated) margin_isolated_pair(p, s);
        else margin_cross_pair(p, s, i);
        cJSON_AddItemToArray(arr, p);
    }
    exchange_unlock(ex);
    api_ok(rs, arr);
}

void ep_margin_all_pairs(api_req *rq, api_resp *rs) { margin_pairs(rq, rs, 0); }
void ep_margin_isolated_pairs(api_req *rq, api_resp *rs) { margin_pairs(rq, rs, 1); }

/* Futures discovery: well-formed and empty (the mock is Spot only). */
void ep_futures_info(api_req *rq, api_resp *rs)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return api_error(rs, ERR_UNKNOWN, NULL, NULL);
    cJSON_AddStringToObject(o, "timezone", "UTC");
    ep_add_time(rq, o, "serverTime", rq->now_us);
    cJSON *rl = srv_rate_limits_json(rq->srv);
    cJSON_AddItemToObject(o, "rateLimits", rl ? rl : cJSON_CreateArray());
    cJSON_AddArrayToObject(o, "exchangeFilters");
    cJSON_AddArrayToObject(o, "assets");
    cJSON_AddArrayToObject(o, "symbols");
    api_ok(rs, o);
}
