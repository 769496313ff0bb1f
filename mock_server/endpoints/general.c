/* general.c: the general endpoints - GET /api/v3/ping, /api/v3/time and
 * /api/v3/exchangeInfo (symbol / symbols / permissions / showPermissionSets /
 * symbolStatus) - and GET /api/v3/myFilters, which renders the same filters
 * for one symbol and account. */
#include <stdio.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"
#include "json_guard.h"
#include "orderlist.h"

#define EP_RANGE_SYMBOLS "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$"

void ep_ping(api_req *rq, api_resp *rs)
{
    (void)rq;
    api_ok(rs, cJSON_CreateObject());
}

void ep_time(api_req *rq, api_resp *rs)
{
    cJSON *o = cJSON_CreateObject();
    if (o) ep_add_time(rq, o, "serverTime", rq->now_us);
    api_ok(rs, o);
}

static void add_filter_dec(cJSON *f, const char *k, dec_t v) { ep_add_dec(f, k, v); }

static cJSON *filter(const char *type)
{
    cJSON *f = cJSON_CreateObject();
    if (f) cJSON_AddStringToObject(f, "filterType", type);
    return f;
}

/* The exchange-wide filters (caller holds the exchange lock). */
static cJSON *exchange_filters_json(struct exchange *ex)
{
    ex_xfilters x;
    ex_exchange_filters(ex, &x);
    const struct { const char *type, *key; int v; } rows[] = {
        { "EXCHANGE_MAX_NUM_ORDERS", "maxNumOrders", x.max_orders },
        { "EXCHANGE_MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders", x.max_algo },
        { "EXCHANGE_MAX_NUM_ICEBERG_ORDERS", "maxNumIcebergOrders", x.max_iceberg },
        { "EXCHANGE_MAX_NUM_ORDER_LISTS", "maxNumOrderLists", x.max_lists },
    };
    cJSON *xf = cJSON_CreateArray();
    for (size_t i = 0; xf && i < sizeof rows / sizeof rows[0]; i++) {
        cJSON *f = rows[i].v ? filter(rows[i].type) : NULL;
        if (!f) continue;
        cJSON_AddNumberToObject(f, rows[i].key, rows[i].v);
        cJSON_AddItemToArray(xf, f);
    }
    return xf;
}

static cJSON *filters_json(const ex_symbol *s)
{
    const ex_filters *x = &s->f;
    cJSON *arr = cJSON_CreateArray(), *f;
    if (!arr) return NULL;
    if ((f = filter("PRICE_FILTER"))) {
        add_filter_dec(f, "minPrice", x->min_price); add_filter_dec(f, "maxPrice", x->max_price);
        add_filter_dec(f, "tickSize", x->tick); cJSON_AddItemToArray(arr, f);
    }
    if ((f = filter("LOT_SIZE"))) {
        add_filter_dec(f, "minQty", x->min_qty); add_filter_dec(f, "maxQty", x->max_qty);
        add_filter_dec(f, "stepSize", x->step); cJSON_AddItemToArray(arr, f);
    }
    if (x->iceberg_parts && (f = filter("ICEBERG_PARTS"))) {
        cJSON_AddNumberToObject(f, "limit", x->iceberg_parts); cJSON_AddItemToArray(arr, f);
    }
    if ((f = filter("MARKET_LOT_SIZE"))) {
        add_filter_dec(f, "minQty", x->mkt_min_qty); add_filter_dec(f, "maxQty", x->mkt_max_qty);
        add_filter_dec(f, "stepSize", x->mkt_step); cJSON_AddItemToArray(arr, f);
    }
    if (x->trail_max_above && (f = filter("TRAILING_DELTA"))) {
        cJSON_AddNumberToObject(f, "minTrailingAboveDelta", (double)x->trail_min_above);
        cJSON_AddNumberToObject(f, "maxTrailingAboveDelta", (double)x->trail_max_above);
        cJSON_AddNumberToObject(f, "minTrailingBelowDelta", (double)x->trail_min_below);
        cJSON_AddNumberToObject(f, "maxTrailingBelowDelta", (double)x->trail_max_below);
        cJSON_AddItemToArray(arr, f);
    }
    if (x->bid_up && (f = filter("PERCENT_PRICE_BY_SIDE"))) {
        char b[48];
        dec_t v[4] = { x->bid_up, x->bid_down, x->ask_up, x->ask_down };
        const char *k[4] = { "bidMultiplierUp", "bidMultiplierDown", "askMultiplierUp", "askMultiplierDown" };
        for (int i = 0; i < 4; i++) {
            /* Binance renders these multipliers without trailing zeros: "5", "0.2" */
            dec_format(b, sizeof b, v[i], 8);
            char *dot = strchr(b, '.');
            if (dot) {
                char *e = b + strlen(b) - 1;
                while (e > dot && *e == '0') *e-- = '\0';
                if (e == dot) *e = '\0';
            }
            cJSON_AddStringToObject(f, k[i], b);
        }
        cJSON_AddNumberToObject(f, "avgPriceMins", x->pp_avg_mins);
        cJSON_AddItemToArray(arr, f);
    }
    if (x->has_min_notional_legacy && (f = filter("MIN_NOTIONAL"))) {
        add_filter_dec(f, "minNotional", x->min_notional);
        cJSON_AddBoolToObject(f, "applyToMarket", x->apply_min_to_market);
        cJSON_AddNumberToObject(f, "avgPriceMins", x->notional_avg_mins);
        cJSON_AddItemToArray(arr, f);
    } else if ((f = filter("NOTIONAL"))) {
        add_filter_dec(f, "minNotional", x->min_notional);
        cJSON_AddBoolToObject(f, "applyMinToMarket", x->apply_min_to_market);
        add_filter_dec(f, "maxNotional", x->max_notional);
        cJSON_AddBoolToObject(f, "applyMaxToMarket", x->apply_max_to_market);
        cJSON_AddNumberToObject(f, "avgPriceMins", x->notional_avg_mins);
        cJSON_AddItemToArray(arr, f);
    }
    if (x->max_num_orders && (f = filter("MAX_NUM_ORDERS"))) {
        cJSON_AddNumberToObject(f, "maxNumOrders", x->max_num_orders); cJSON_AddItemToArray(arr, f);
    }
    if (x->max_num_algo_orders && (f = filter("MAX_NUM_ALGO_ORDERS"))) {
        cJSON_AddNumberToObject(f, "maxNumAlgoOrders", x->max_num_algo_orders); cJSON_AddItemToArray(arr, f);
    }
    if (x->max_num_order_lists && (f = filter("MAX_NUM_ORDER_LISTS"))) {
        cJSON_AddNumberToObject(f, "maxNumOrderLists", x->max_num_order_lists); cJSON_AddItemToArray(arr, f);
    }
    if (x->pct_up && (f = filter("PERCENT_PRICE"))) {
        add_filter_dec(f, "multiplierUp", x->pct_up); add_filter_dec(f, "multiplierDown", x->pct_down);
        cJSON_AddNumberToObject(f, "avgPriceMins", x->pct_avg_mins); cJSON_AddItemToArray(arr, f);
    }
    if (x->max_num_iceberg_orders && (f = filter("MAX_NUM_ICEBERG_ORDERS"))) {
        cJSON_AddNumberToObject(f, "maxNumIcebergOrders", x->max_num_iceberg_orders); cJSON_AddItemToArray(arr, f);
    }
    if (x->max_position && (f = filter("MAX_POSITION"))) {
        add_filter_dec(f, "maxPosition", x->max_position); cJSON_AddItemToArray(arr, f);
    }
    if (x->max_num_order_amends && (f = filter("MAX_NUM_ORDER_AMENDS"))) {
        cJSON_AddNumberToObject(f, "maxNumOrderAmends", x->max_num_order_amends); cJSON_AddItemToArray(arr, f);
    }
    return arr;
}

static cJSON *symbol_json(const ex_symbol *s, int show_sets)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "symbol", s->name);
    cJSON_AddStringToObject(o, "status", s->status);
    cJSON_AddStringToObject(o, "baseAsset", s->base);
    cJSON_AddNumberToObject(o, "baseAssetPrecision", s->base_prec);
    cJSON_AddStringToObject(o, "quoteAsset", s->quote);
    cJSON_AddNumberToObject(o, "quotePrecision", s->quote_prec);
    cJSON_AddNumberToObject(o, "quoteAssetPrecision", s->quote_prec);
    cJSON_AddNumberToObject(o, "baseCommissionPrecision", s->base_comm_prec);
    cJSON_AddNumberToObject(o, "quoteCommissionPrecision", s->quote_comm_prec);
    cJSON *ot = cJSON_AddArrayToObject(o, "orderTypes");
    static const ex_type order[] = { EX_LIMIT, EX_LIMIT_MAKER, EX_MARKET, EX_STOP_LOSS, EX_STOP_LOSS_LIMIT,
                                     EX_TAKE_PROFIT, EX_TAKE_PROFIT_LIMIT };
    for (size_t i = 0; ot && i < sizeof order / sizeof order[0]; i++)
        if (s->order_types & (1u << order[i])) cJSON_AddItemToArray(ot, cJSON_CreateString(ex_type_name(order[i])));
    cJSON_AddBoolToObject(o, "icebergAllowed", s->iceberg_allowed);
    cJSON_AddBoolToObject(o, "ocoAllowed", s->oco_allowed);
    cJSON_AddBoolToObject(o, "otoAllowed", s->oto_allowed);
    cJSON_AddBoolToObject(o, "opoAllowed", s->opo_allowed);
    cJSON_AddBoolToObject(o, "quoteOrderQtyMarketAllowed", s->quote_market_allowed);
    cJSON_AddBoolToObject(o, "allowTrailingStop", s->trailing_allowed);
    cJSON_AddBoolToObject(o, "cancelReplaceAllowed", s->cancel_replace_allowed);
    cJSON_AddBoolToObject(o, "amendAllowed", s->amend_allowed);
    cJSON_AddBoolToObject(o, "pegInstructionsAllowed", s->peg_allowed);
    cJSON_AddBoolToObject(o, "isSpotTradingAllowed", s->spot_allowed);
    cJSON_AddBoolToObject(o, "isMarginTradingAllowed", s->margin_allowed);
    cJSON_AddItemToObject(o, "filters", filters_json(s));
    cJSON_AddArrayToObject(o, "permissions");
    cJSON *ps = show_sets ? json_guard_parse_str(s->permission_sets) : NULL;
    cJSON_AddItemToObject(o, "permissionSets", ps ? ps : cJSON_CreateArray());
    cJSON_AddStringToObject(o, "defaultSelfTradePreventionMode", ex_stp_name(s->default_stp));
    cJSON *al = cJSON_AddArrayToObject(o, "allowedSelfTradePreventionModes");
    for (int m = 0; al && m < EX_STP__N; m++)
        if (s->allowed_stp & (1u << m)) cJSON_AddItemToArray(al, cJSON_CreateString(ex_stp_name(m)));
    return o;
}

static int has_permission(const ex_symbol *s, const cJSON *perms)
{
    if (!perms) return 1;
    const cJSON *p;
    cJSON_ArrayForEach(p, perms) {
        char q[64];
        if (!cJSON_IsString(p)) continue;
        snprintf(q, sizeof q, "\"%s\"", p->valuestring);
        if (strstr(s->permission_sets, q)) return 1;
    }
    return 0;
}

static int status_valid(const char *st)
{
    static const char *const ok[] = { "TRADING", "END_OF_DAY", "HALT", "BREAK", "CANCEL_ONLY" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(ok[i], st)) return 1;
    return 0;
}

/* Parse symbols=["A","B"]; NULL with the error set. */
static cJSON *parse_symbols(api_resp *rs, const char *v)
{
    cJSON *arr = json_guard_parse_str(v);
    const cJSON *it;
    int bad = !cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0;
    cJSON_ArrayForEach(it, arr) if (!cJSON_IsString(it)) bad = 1;
    if (bad) {
        cJSON_Delete(arr);
        api_error(rs, ERR_ILLEGAL_CHARS_PARAM, "symbols", EP_RANGE_SYMBOLS);
        return NULL;
    }
    return arr;
}

void ep_exchange_info(api_req *rq, api_resp *rs)
{
    const char *sym = ep_str(rq, "symbol"), *syms = ep_str(rq, "symbols");
    const char *perm = ep_str(rq, "permissions"), *status = ep_str(rq, "symbolStatus");
    int show = 1;
    if (ep_bool(rq, rs, "showPermissionSets", &show) < 0) return;
    /* symbolStatus and permissions cannot be combined with symbol/symbols (rest-api.md) */
    if ((sym && syms) || ((sym || syms) && (status || perm)))
        return api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    if (status && !status_valid(status)) return api_error(rs, ERR_INVALID_SYMBOLSTATUS, NULL, NULL);
    cJSON *list = NULL, *perms = NULL;
    if (syms && !(list = parse_symbols(rs, syms))) return;
    if (perm) {
        perms = perm[0] == '[' ? json_guard_parse_str(perm) : cJSON_CreateStringArray(&perm, 1);
        if (!cJSON_IsArray(perms)) {
            cJSON_Delete(perms);
            cJSON_Delete(list);
            return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "permissions", NULL);
        }
    }
    struct exchange *ex = ep_ex(rq);
    cJSON *body = cJSON_CreateObject(), *arr = NULL;
    cJSON *rl = srv_rate_limits_json(rq->srv);      /* outside the exchange lock */
    exchange_lock(ex);
    if (body) {
        cJSON_AddStringToObject(body, "timezone", "UTC");
        ep_add_time(rq, body, "serverTime", rq->now_us);
        cJSON_AddItemToObject(body, "rateLimits", rl ? rl : cJSON_CreateArray());
        rl = NULL;
        cJSON_AddItemToObject(body, "exchangeFilters", exchange_filters_json(ex));
        arr = cJSON_AddArrayToObject(body, "symbols");
    }
    err_id err = ERR_NONE;
    if (sym) {
        ex_symbol *s = ex_symbol_find(ex, sym);
        if (!s) err = ERR_BAD_SYMBOL;
        else if (arr) cJSON_AddItemToArray(arr, symbol_json(s, show));
    } else if (list) {
        const cJSON *it;
        cJSON_ArrayForEach(it, list) {
            ex_symbol *s = ex_symbol_find(ex, it->valuestring);
            if (!s) { err = ERR_BAD_SYMBOL; break; }
            if (arr) cJSON_AddItemToArray(arr, symbol_json(s, show));
        }
    } else {
        for (size_t i = 0; i < ex_symbol_count(ex); i++) {
            ex_symbol *s = ex_symbol_at(ex, i);
            if ((status && strcmp(s->status, status)) || !has_permission(s, perms)) continue;
            if (arr) cJSON_AddItemToArray(arr, symbol_json(s, show));
        }
    }
    if (body && ex_sors(ex)) cJSON_AddItemToObject(body, "sors", cJSON_Duplicate(ex_sors(ex), 1));
    exchange_unlock(ex);
    cJSON_Delete(rl);
    cJSON_Delete(list);
    cJSON_Delete(perms);
    if (err != ERR_NONE) {
        cJSON_Delete(body);
        return api_error(rs, err, NULL, NULL);
    }
    api_ok(rs, body);
}

/* GET /api/v3/myFilters, WS myFilters: the filters that apply to the account
 * on one symbol: exchangeFilters and symbolFilters are exchangeInfo's,
 * assetFilters the account's MAX_ASSET filters on the symbol's assets. */
void ep_my_filters(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    if (ep_account(rq, rs)) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *o = si >= 0 ? cJSON_CreateObject() : NULL;
    if (o) {
        cJSON_AddItemToObject(o, "exchangeFilters", exchange_filters_json(ex));
        cJSON_AddItemToObject(o, "symbolFilters", filters_json(ex_symbol_at(ex, (size_t)si)));
        cJSON_AddItemToObject(o, "assetFilters",
                              ex_asset_filters_json_locked(ex, rq->account_id, ex_symbol_at(ex, (size_t)si)));
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, o);
}
