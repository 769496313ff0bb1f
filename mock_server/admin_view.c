/* admin_view: the read-only views of the admin API that the console shows -
 * GET /__admin/accounts (every account: balances, open orders, keys),
 * GET /__admin/market?symbol=S (book levels and recent trades) and
 * GET /__admin/sor (the SOR configurations and the SOR liquidity account). Read under
 * the exchange lock, rendered with cJSON; never journalled, never charged to
 * a rate limit (they are not Binance requests). Open orders come from the
 * books and stop lists, so the cost is bounded by what rests, not by an
 * account's history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "admin_view.h"
#include "exchange_api.h"
#include "market.h"
#include "srv_core.h"

#define VIEW_MAX_LEVELS 100
#define VIEW_MAX_TRADES 100
#define VIEW_MAX_ORDERS 200     /* open orders listed per account */

static void view_dec(cJSON *o, const char *name, dec_t v)
{
    char txt[48];
    dec_format(txt, sizeof txt, v, 8);
    cJSON_AddStringToObject(o, name, txt);
}

static cJSON *view_order(struct exchange *ex, const ex_order *o)
{
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddStringToObject(j, "symbol", ex_symbol_at(ex, (size_t)o->sym)->name);
    cJSON_AddNumberToObject(j, "orderId", (double)o->id);
    cJSON_AddStringToObject(j, "clientOrderId", o->client_id);
    cJSON_AddStringToObject(j, "side", ex_side_name(o->side));
    cJSON_AddStringToObject(j, "type", ex_type_name(o->type));
    cJSON_AddStringToObject(j, "status", ex_status_name(o->status));
    view_dec(j, "price", o->price);
    view_dec(j, "origQty", o->qty);
    view_dec(j, "executedQty", o->executed);
    view_dec(j, "stopPrice", o->stop_price);
    cJSON_AddBoolToObject(j, "working", o->is_working);
    cJSON_AddNumberToObject(j, "time", (double)(o->time_us / 1000));
    return j;
}

/* Open orders of account `id`: resting on either side of every book, then
 * the untriggered stops. */
static void view_open_orders(struct exchange *ex, int id, cJSON *arr)
{
    int n = 0;
    for (size_t si = 0; si < ex_symbol_count(ex); si++) {
        ex_symbol *s = ex_symbol_at(ex, si);
        const ex_book *side[2] = { &s->bids, &s->asks };
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < side[k]->n && n < VIEW_MAX_ORDERS; i++)
                if (side[k]->v[i]->account == id && cJSON_AddItemToArray(arr, view_order(ex, side[k]->v[i])))
                    n++;
        for (size_t i = 0; i < s->nstops && n < VIEW_MAX_ORDERS; i++)
            if (s->stops[i]->account == id && cJSON_AddItemToArray(arr, view_order(ex, s->stops[i])))
                n++;
    }
}

static const char *view_perm_names[] = { [SEC_TRADE] = "TRADE", [SEC_USER_DATA] = "USER_DATA",
                                         [SEC_USER_STREAM] = "USER_STREAM" };

static void view_keys(keyreg *r, int id, cJSON *arr)
{
    pthread_rwlock_rdlock(&r->lk);
    for (size_t i = 0; i < r->n; i++) {
        const key_entry *e = r->v[i];
        cJSON *k;
        if (e->account_id != id || e->revoked == 2 || !(k = cJSON_CreateObject())) continue;
        cJSON_AddStringToObject(k, "apiKey", e->api_key);
        cJSON_AddStringToObject(k, "type", sig_type_name(e->type));
        cJSON *p = cJSON_AddArrayToObject(k, "permissions");
        for (size_t b = 0; p && b < sizeof view_perm_names / sizeof *view_perm_names; b++)
            if (view_perm_names[b] && (e->perms & (1u << b)))
                cJSON_AddItemToArray(p, cJSON_CreateString(view_perm_names[b]));
        cJSON_AddBoolToObject(k, "revoked", e->revoked != 0);
        cJSON_AddItemToArray(arr, k);
    }
    pthread_rwlock_unlock(&r->lk);
}

cJSON *admin_view_accounts(struct srv *s)
{
    struct exchange *ex = s->ex;
    cJSON *out = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(out, "accounts");
    if (!arr) { cJSON_Delete(out); return NULL; }
    exchange_lock(ex);
    for (int id = 0; id < ex_account_count(ex); id++) {
        ex_account *a = ex_account_at(ex, id);
        cJSON *j = cJSON_CreateObject();
        if (!j) break;
        cJSON_AddNumberToObject(j, "id", id);
        cJSON_AddStringToObject(j, "name", a->name);
        cJSON *bal = cJSON_AddArrayToObject(j, "balances");
        for (size_t i = 0; bal && i < a->nbal; i++) {
            cJSON *b;
            if ((!a->bal[i].free && !a->bal[i].locked) || !(b = cJSON_CreateObject())) continue;
            cJSON_AddStringToObject(b, "asset", a->bal[i].asset);
            view_dec(b, "free", a->bal[i].free);
            view_dec(b, "locked", a->bal[i].locked);
            cJSON_AddItemToArray(bal, b);
        }
        cJSON *oo = cJSON_AddArrayToObject(j, "openOrders");
        if (oo) view_open_orders(ex, id, oo);
        cJSON_AddItemToArray(arr, j);
    }
    exchange_unlock(ex);
    cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        cJSON *k = cJSON_AddArrayToObject(it, "keys");
        if (k) view_keys(&s->keys, (int)cJSON_GetObjectItem(it, "id")->valuedouble, k);
    }
    return out;
}

static cJSON *view_levels(ex_symbol *s, int asks, ex_level *lv)
{
    cJSON *arr = cJSON_CreateArray();
    size_t n = ex_depth_locked(s, asks, VIEW_MAX_LEVELS, lv);
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *l = cJSON_CreateArray();
        char p[48], q[48];
        dec_format(p, sizeof p, lv[i].price, 8);
        dec_format(q, sizeof q, lv[i].qty, 8);
        cJSON_AddItemToArray(l, cJSON_CreateString(p));
        cJSON_AddItemToArray(l, cJSON_CreateString(q));
        cJSON_AddItemToArray(arr, l);
    }
    return arr;
}

cJSON *admin_view_market(struct srv *s, const char *symbol, char *err, size_t errlen)
{
    struct exchange *ex = s->ex;
    ex_level *lv = malloc(VIEW_MAX_LEVELS * sizeof *lv);
    cJSON *out = cJSON_CreateObject(), *syms = cJSON_AddArrayToObject(out, "symbols");
    if (!lv || !syms) { free(lv); cJSON_Delete(out); snprintf(err, errlen, "out of memory"); return NULL; }
    exchange_lock(ex);
    for (size_t i = 0; i < ex_symbol_count(ex); i++)
        cJSON_AddItemToArray(syms, cJSON_CreateString(ex_symbol_at(ex, i)->name));
    ex_symbol *sym = symbol && *symbol ? ex_symbol_find(ex, symbol) : ex_symbol_at(ex, 0);
    if (sym) {
        cJSON_AddStringToObject(out, "symbol", sym->name);
        cJSON_AddNumberToObject(out, "lastUpdateId", (double)sym->update_id);
        cJSON_AddItemToObject(out, "bids", view_levels(sym, 0, lv));
        cJSON_AddItemToObject(out, "asks", view_levels(sym, 1, lv));
        cJSON *tr = cJSON_AddArrayToObject(out, "trades");
        size_t first = sym->ring_n > VIEW_MAX_TRADES ? sym->ring_n - VIEW_MAX_TRADES : 0;
        for (size_t k = sym->ring_n; tr && k-- > first;) {          /* newest first */
            const ex_trade *t = ex_trade_at(sym, k);
            cJSON *j = cJSON_CreateObject();
            if (!j) break;
            cJSON_AddNumberToObject(j, "id", (double)t->id);
            view_dec(j, "price", t->price);
            view_dec(j, "qty", t->qty);
            cJSON_AddNumberToObject(j, "time", (double)(t->time_us / 1000));
            cJSON_AddBoolToObject(j, "isBuyerMaker", t->buyer_maker);
            cJSON_AddItemToArray(tr, j);
        }
    }
    exchange_unlock(ex);
    free(lv);
    if (!sym) {
        cJSON_Delete(out);
        snprintf(err, errlen, "unknown symbol");
        return NULL;
    }
    return out;
}

/* The SOR liquidity account: its non-zero balances (the quote assets of the
 * books SOR orders swapped between; over one configuration they sum to 0,
 * the swap being 1:1) and the count of fills taken from another book. */
cJSON *admin_view_sor(struct srv *s)
{
    struct exchange *ex = s->ex;
    cJSON *out = cJSON_CreateObject();
    if (!out) return NULL;
    exchange_lock(ex);
    const cJSON *sors = ex_sors(ex);
    cJSON_AddItemToObject(out, "sors", sors ? cJSON_Duplicate(sors, 1) : cJSON_CreateArray());
    cJSON_AddStringToObject(out, "account", "__sor_liquidity");
    cJSON *bal = cJSON_AddArrayToObject(out, "balances");
    for (size_t i = 0; bal && i < ex_asset_count(ex); i++) {
        const char *asset = ex_asset_at(ex, i);
        dec_t v = ex_sor_ledger_balance(ex, asset);
        cJSON *b;
        if (!v || !(b = cJSON_CreateObject())) continue;
        cJSON_AddStringToObject(b, "asset", asset);
        view_dec(b, "free", v);
        cJSON_AddItemToArray(bal, b);
    }
    cJSON_AddNumberToObject(out, "crossBookFills", (double)ex_sor_cross_fills(ex));
    exchange_unlock(ex);
    return out;
}
