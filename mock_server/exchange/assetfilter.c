/* assetfilter.c: the account's asset filters - MAX_ASSET (filters.md): the
 * most of an asset one order may transact. On a symbol whose base asset it
 * is, the order's quantity counts; whose quote asset, its notional (price *
 * quantity for priced orders, quoteOrderQty, else quantity at the average
 * price - binance-mock's choice where the docs are silent). Configured per
 * account ("assetFilters" of the key registry's account entries) and shown
 * by myFilters. */
#include <string.h>
#include "ex_int.h"

static int filter_valid(const cJSON *f, dec_t *limit)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "filterType");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(f, "asset");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(f, "limit");
    if (!cJSON_IsString(t) || strcmp(t->valuestring, "MAX_ASSET")) return 0;
    if (!cJSON_IsString(a) || !*a->valuestring || strlen(a->valuestring) >= 48) return 0;
    return cJSON_IsString(l) && dec_parse(l->valuestring, limit, 0) == DEC_OK && *limit > 0;
}

int exchange_account_set_asset_filters(struct exchange *ex, int id, const cJSON *filters)
{
    dec_t lim;
    const cJSON *f;
    if (filters && !cJSON_IsArray(filters)) return -1;
    cJSON_ArrayForEach(f, filters)
        if (!filter_valid(f, &lim)) return -1;
    cJSON *copy = filters ? cJSON_Duplicate(filters, 1) : NULL;
    if (filters && !copy) return -1;
    exchange_lock(ex);
    ex_account *a = ex_account_at(ex, id);
    if (a) { cJSON_Delete(a->asset_filters); a->asset_filters = copy; copy = NULL; }
    exchange_unlock(ex);
    cJSON_Delete(copy);
    return a ? 0 : -1;
}

static dec_t notional(struct exchange *ex, ex_symbol *s, const ex_order_req *rq)
{
    __int128 p = rq->has_price ? rq->price : 0;
    if (rq->has_quote_qty) return rq->quote_qty;
    if (!p) p = rq->has_stop ? rq->stop_price : ex_avg_price_locked(ex, s, 5, NULL);
    return (dec_t)(p * (rq->has_qty ? rq->qty : 0) / DEC_SCALE);
}

int ex_max_asset_ok(struct exchange *ex, const ex_symbol *s, const ex_order_req *rq)
{
    ex_account *a = ex_account_at(ex, rq->account);
    const cJSON *f;
    if (!a || !a->asset_filters) return 1;
    cJSON_ArrayForEach(f, a->asset_filters) {
        dec_t lim;
        if (!filter_valid(f, &lim)) continue;
        const char *asset = cJSON_GetObjectItemCaseSensitive(f, "asset")->valuestring;
        if (!strcmp(asset, s->base) && rq->has_qty && rq->qty > lim) return 0;
        if (!strcmp(asset, s->quote) && notional(ex, (ex_symbol *)s, rq) > lim) return 0;
    }
    return 1;
}

cJSON *ex_asset_filters_json_locked(struct exchange *ex, int account, const ex_symbol *s)
{
    cJSON *arr = cJSON_CreateArray();
    ex_account *a = ex_account_at(ex, account);
    const cJSON *f;
    if (!arr || !a) return arr;
    cJSON_ArrayForEach(f, a->asset_filters) {
        dec_t lim;
        if (!filter_valid(f, &lim)) continue;
        const char *asset = cJSON_GetObjectItemCaseSensitive(f, "asset")->valuestring;
        if (strcmp(asset, s->base) && strcmp(asset, s->quote)) continue;
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        char b[48];
        dec_format(b, sizeof b, lim, 8);
        cJSON_AddStringToObject(o, "filterType", "MAX_ASSET");
        cJSON_AddStringToObject(o, "asset", asset);
        cJSON_AddStringToObject(o, "limit", b);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
