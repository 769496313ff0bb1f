/* symbols.c: the symbol set - loads Binance-shaped exchangeInfo symbol
 * objects (plus a "sim" block) from JSON text into ex_symbol rows with their
 * filters, and keeps the list of assets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"
#include "json_guard.h"
#include "market.h"

static int copy_str(char *dst, size_t n, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) >= n) return -1;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

static int get_int(const cJSON *o, const char *key, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valueint : def;
}

static int get_bool(const cJSON *o, const char *key, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/* A number, or a decimal string ("0.025"). */
static double get_double(const cJSON *o, const char *key, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(v)) return v->valuedouble;
    dec_t d;
    if (cJSON_IsString(v) && dec_parse(v->valuestring, &d, 0) == DEC_OK) return (double)d / DEC_SCALE;
    return def;
}

static dec_t get_dec(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    dec_t d = 0;
    if (cJSON_IsString(v)) dec_parse(v->valuestring, &d, 0);
    return d;
}

/* One symbol filter into f; -1 for a type binance-mock does not know (an
 * error at start-up: a filter silently dropped would let orders through that
 * Binance refuses). */
static int load_filter(ex_filters *f, const cJSON *o)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "filterType");
    const char *n = cJSON_IsString(t) ? t->valuestring : "";
    if (!strcmp(n, "PRICE_FILTER")) {
        f->min_price = get_dec(o, "minPrice"); f->max_price = get_dec(o, "maxPrice");
        f->tick = get_dec(o, "tickSize");
    } else if (!strcmp(n, "LOT_SIZE")) {
        f->min_qty = get_dec(o, "minQty"); f->max_qty = get_dec(o, "maxQty");
        f->step = get_dec(o, "stepSize");
    } else if (!strcmp(n, "MARKET_LOT_SIZE")) {
        f->mkt_min_qty = get_dec(o, "minQty"); f->mkt_max_qty = get_dec(o, "maxQty");
        f->mkt_step = get_dec(o, "stepSize");
    } else if (!strcmp(n, "NOTIONAL")) {
        f->min_notional = get_dec(o, "minNotional"); f->max_notional = get_dec(o, "maxNotional");
        f->apply_min_to_market = get_bool(o, "applyMinToMarket", 1);
        f->apply_max_to_market = get_bool(o, "applyMaxToMarket", 0);
        f->notional_avg_mins = get_int(o, "avgPriceMins", 5);
    } else if (!strcmp(n, "MIN_NOTIONAL")) {
        f->has_min_notional_legacy = 1;
        f->min_notional = get_dec(o, "minNotional");
        f->apply_min_to_market = get_bool(o, "applyToMarket", 1);
        f->notional_avg_mins = get_int(o, "avgPriceMins", 5);
    } else if (!strcmp(n, "PERCENT_PRICE_BY_SIDE")) {
        f->bid_up = get_dec(o, "bidMultiplierUp"); f->bid_down = get_dec(o, "bidMultiplierDown");
        f->ask_up = get_dec(o, "askMultiplierUp"); f->ask_down = get_dec(o, "askMultiplierDown");
        f->pp_avg_mins = get_int(o, "avgPriceMins", 5);
    } else if (!strcmp(n, "ICEBERG_PARTS")) {
        f->iceberg_parts = get_int(o, "limit", 0);
    } else if (!strcmp(n, "MAX_NUM_ORDERS")) {
        f->max_num_orders = get_int(o, "maxNumOrders", 0);
    } else if (!strcmp(n, "MAX_NUM_ORDER_LISTS")) {
        f->max_num_order_lists = get_int(o, "maxNumOrderLists", 0);
    } else if (!strcmp(n, "MAX_NUM_ALGO_ORDERS")) {
        f->max_num_algo_orders = get_int(o, "maxNumAlgoOrders", 0);
    } else if (!strcmp(n, "TRAILING_DELTA")) {
        f->trail_min_above = get_int(o, "minTrailingAboveDelta", 0);
        f->trail_max_above = get_int(o, "maxTrailingAboveDelta", 0);
        f->trail_min_below = get_int(o, "minTrailingBelowDelta", 0);
        f->trail_max_below = get_int(o, "maxTrailingBelowDelta", 0);
    } else if (!strcmp(n, "PERCENT_PRICE")) {
        f->pct_up = get_dec(o, "multiplierUp"); f->pct_down = get_dec(o, "multiplierDown");
        f->pct_avg_mins = get_int(o, "avgPriceMins", 5);
        if (f->pct_up <= 0) return -1;
    } else if (!strcmp(n, "MAX_NUM_ICEBERG_ORDERS")) {
        f->max_num_iceberg_orders = get_int(o, "maxNumIcebergOrders", 0);
    } else if (!strcmp(n, "MAX_POSITION")) {
        f->max_position = get_dec(o, "maxPosition");
    } else if (!strcmp(n, "MAX_NUM_ORDER_AMENDS")) {
        f->max_num_order_amends = get_int(o, "maxNumOrderAmends", 0);
    } else return -1;
    return 0;
}

/* One of "exchangeFilters"; -1 for an unknown type. */
static int load_exchange_filter(struct exchange *ex, const cJSON *o)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "filterType");
    const char *n = cJSON_IsString(t) ? t->valuestring : "";
    if (!strcmp(n, "EXCHANGE_MAX_NUM_ORDER_LISTS")) ex->max_num_order_lists = get_int(o, "maxNumOrderLists", 0);
    else if (!strcmp(n, "EXCHANGE_MAX_NUM_ORDERS")) ex->xmax_orders = get_int(o, "maxNumOrders", 0);
    else if (!strcmp(n, "EXCHANGE_MAX_NUM_ALGO_ORDERS")) ex->xmax_algo = get_int(o, "maxNumAlgoOrders", 0);
    else if (!strcmp(n, "EXCHANGE_MAX_NUM_ICEBERG_ORDERS")) ex->xmax_iceberg = get_int(o, "maxNumIcebergOrders", 0);
    else return -1;
    return 0;
}

void ex_exchange_filters(struct exchange *ex, ex_xfilters *out)
{
    out->max_orders = ex->xmax_orders;
    out->max_algo = ex->xmax_algo;
    out->max_iceberg = ex->xmax_iceberg;
    out->max_lists = ex->max_num_order_lists;
}

static int add_asset(struct exchange *ex, const char *a)
{
    for (size_t i = 0; i < ex->nassets; i++)
        if (!strcmp(ex->assets[i], a)) return 0;
    char (*nv)[48] = realloc(ex->assets, (ex->nassets + 1) * sizeof *nv);
    if (!nv) return -1;
    ex->assets = nv;
    snprintf(ex->assets[ex->nassets++], 48, "%s", a);
    return 0;
}

static int load_symbol(struct exchange *ex, ex_symbol *s, const cJSON *o)
{
    if (copy_str(s->name, sizeof s->name, o, "symbol") || copy_str(s->base, sizeof s->base, o, "baseAsset")
        || copy_str(s->quote, sizeof s->quote, o, "quoteAsset"))
        return -1;
    if (copy_str(s->status, sizeof s->status, o, "status")) strcpy(s->status, "TRADING");
    s->base_prec = get_int(o, "baseAssetPrecision", 8);
    s->quote_prec = get_int(o, "quoteAssetPrecision", 8);
    s->base_comm_prec = get_int(o, "baseCommissionPrecision", 8);
    s->quote_comm_prec = get_int(o, "quoteCommissionPrecision", 8);
    const cJSON *ot = cJSON_GetObjectItemCaseSensitive(o, "orderTypes"), *it;
    cJSON_ArrayForEach(it, ot) {
        int t = cJSON_IsString(it) ? ex_type_parse(it->valuestring) : -1;
        if (t >= 0) s->order_types |= 1u << t;
    }
    s->iceberg_allowed = get_bool(o, "icebergAllowed", 1);
    s->oco_allowed = get_bool(o, "ocoAllowed", 1);
    s->oto_allowed = get_bool(o, "otoAllowed", 1);
    s->opo_allowed = get_bool(o, "opoAllowed", 1);
    s->quote_market_allowed = get_bool(o, "quoteOrderQtyMarketAllowed", 1);
    s->trailing_allowed = get_bool(o, "allowTrailingStop", 1);
    s->cancel_replace_allowed = get_bool(o, "cancelReplaceAllowed", 1);
    s->amend_allowed = get_bool(o, "amendAllowed", 1);
    s->peg_allowed = get_bool(o, "pegInstructionsAllowed", 0);   /* peg.c */
    s->spot_allowed = get_bool(o, "isSpotTradingAllowed", 1);
    s->margin_allowed = get_bool(o, "isMarginTradingAllowed", 0);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "filters");
    cJSON_ArrayForEach(it, f)
        if (load_filter(&s->f, it)) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "filterType");
            snprintf(s->bad_filter, sizeof s->bad_filter, "%.60s", cJSON_IsString(t) ? t->valuestring : "?");
            return -1;
        }
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(o, "permissionSets");
    char *pst = ps ? cJSON_PrintUnformatted(ps) : NULL;
    snprintf(s->permission_sets, sizeof s->permission_sets, "%s", pst && strlen(pst) < 128 ? pst : "[[\"SPOT\"]]");
    free(pst);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "defaultSelfTradePreventionMode");
    int stp = cJSON_IsString(d) ? ex_stp_parse(d->valuestring) : -1;
    s->default_stp = stp >= 0 ? (ex_stp)stp : EX_STP_EXPIRE_MAKER;
    const cJSON *al = cJSON_GetObjectItemCaseSensitive(o, "allowedSelfTradePreventionModes");
    cJSON_ArrayForEach(it, al) {
        int m = cJSON_IsString(it) ? ex_stp_parse(it->valuestring) : -1;
        if (m >= 0) s->allowed_stp |= 1u << m;
    }
    const cJSON *sim = cJSON_GetObjectItemCaseSensitive(o, "sim");
    s->sim_price = get_dec(sim, "price");
    s->sim_qty = get_dec(sim, "qty");
    s->sim_levels = get_int(sim, "levels", 20);
    if (s->sim_price <= 0) s->sim_price = s->f.tick > 0 ? s->f.tick * 1000 : DEC_ONE;
    if (s->sim_qty <= 0) s->sim_qty = s->f.min_qty > 0 ? s->f.min_qty * 10 : DEC_ONE;
    if (s->sim_levels < 0 || s->sim_levels > 500) s->sim_levels = 20;   /* 0: no simulator */
    /* market model (docs/market.md); defaults from public BTCUSDT figures */
    s->sim_tpm = get_int(sim, "tradesPerMin", 1000);
    if (s->sim_tpm < 0 || s->sim_tpm > 20000) s->sim_tpm = 1000;
    s->sim_trade_qty = get_dec(sim, "tradeQty");
    if (s->sim_trade_qty <= 0) s->sim_trade_qty = s->sim_qty / 10 > 0 ? s->sim_qty / 10 : s->sim_qty;
    s->sim_spread_ticks = get_int(sim, "spreadTicks", 1);
    if (s->sim_spread_ticks < 1 || s->sim_spread_ticks > 10000) s->sim_spread_ticks = 1;
    s->sim_vol_daily = get_double(sim, "volDaily", 0.025);
    if (!(s->sim_vol_daily >= 0 && s->sim_vol_daily <= 0.5)) s->sim_vol_daily = 0.025;
    s->sim_gap_bp = get_double(sim, "levelGapBp", 0.5);
    if (!(s->sim_gap_bp > 0 && s->sim_gap_bp <= 1000)) s->sim_gap_bp = 0.5;
    s->ring_cap = EX_RING_MIN;    /* grows on demand (ex_ring_push): a config load stays cheap */
    s->ring = calloc(s->ring_cap, sizeof *s->ring);
    if (!s->ring) return -1;
    return add_asset(ex, s->base) || add_asset(ex, s->quote) ? -1 : 0;
}

int ex_symbols_load(struct exchange *ex, const char *json, char *err, size_t errlen)
{
    cJSON *root = json_guard_parse_str(json);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "symbols");
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n <= 0) {
        if (err && errlen)
            snprintf(err, errlen, "symbols config: %s", !root ? "not valid JSON"
                     : !arr ? "no \"symbols\" array"
                     : !cJSON_IsArray(arr) ? "\"symbols\" must be an array"
                     : "\"symbols\" is empty: list at least one symbol");
        cJSON_Delete(root);
        return -1;
    }
    ex->syms = calloc((size_t)n, sizeof *ex->syms);
    if (!ex->syms) { cJSON_Delete(root); return -1; }
    const cJSON *it;
    ex->max_num_order_lists = ex->xmax_orders = ex->xmax_algo = ex->xmax_iceberg = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "exchangeFilters")) {
        if (load_exchange_filter(ex, it)) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "filterType");
            if (err && errlen)
                snprintf(err, errlen, "symbols config: unknown exchange filter type \"%.60s\" "
                         "(not supported by binance-mock)", cJSON_IsString(t) ? t->valuestring : "?");
            cJSON_Delete(root);
            return -1;
        }
    }
    cJSON_ArrayForEach(it, arr) {
        ex_symbol *s = &ex->syms[ex->nsyms++];
        if (load_symbol(ex, s, it)) {
            if (err && errlen && s->bad_filter[0])
                snprintf(err, errlen, "symbols config: symbol #%zu: unknown filter type \"%s\" "
                         "(not supported by binance-mock)", ex->nsyms, s->bad_filter);
            else if (err && errlen) snprintf(err, errlen, "symbols config: bad symbol #%zu", ex->nsyms);
            cJSON_Delete(root);
            return -1;
        }
    }
    int rc = ex_sors_load(ex, root, err, errlen);
    cJSON_Delete(root);
    return rc;
}

void ex_symbols_free(struct exchange *ex)
{
    for (size_t i = 0; i < ex->nsyms; i++) {
        ex_symbol *s = &ex->syms[i];
        ex_book_free(&s->bids);
        ex_book_free(&s->asks);
        free(s->stops);
        free(s->ring);
        ex_candles_free(s);
    }
    free(ex->syms);
    ex->syms = NULL;
    ex->nsyms = 0;
    free(ex->assets);
    ex->assets = NULL;
    ex->nassets = 0;
    cJSON_Delete(ex->sors);
    ex->sors = NULL;
}

size_t ex_symbol_count(struct exchange *ex) { return ex->nsyms; }
ex_symbol *ex_symbol_at(struct exchange *ex, size_t i) { return i < ex->nsyms ? &ex->syms[i] : NULL; }
int ex_symbol_index(struct exchange *ex, const ex_symbol *s) { return (int)(s - ex->syms); }
size_t ex_asset_count(struct exchange *ex) { return ex->nassets; }
const char *ex_asset_at(struct exchange *ex, size_t i) { return i < ex->nassets ? ex->assets[i] : NULL; }

ex_symbol *ex_symbol_find(struct exchange *ex, const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < ex->nsyms; i++)
        if (!strcmp(ex->syms[i].name, name)) return &ex->syms[i];
    return NULL;
}
