/* accounts.c: accounts by name, their balances (free/locked per asset),
 * their order and fill histories, the collected-fees ledger and the SOR
 * liquidity account's (sor_route.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"
#include "records.h"

ex_balance *ex_balance_find(ex_account *a, const char *asset)
{
    for (size_t i = 0; i < a->nbal; i++)
        if (!strcmp(a->bal[i].asset, asset)) return &a->bal[i];
    return NULL;
}

static ex_balance *ledger_get(ex_balance **v, size_t *n, size_t *cap, const char *asset)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i].asset, asset)) return &(*v)[i];
    if (strlen(asset) >= sizeof (*v)->asset) return NULL;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        ex_balance *nv = realloc(*v, nc * sizeof *nv);
        if (!nv) return NULL;
        *v = nv;
        *cap = nc;
    }
    ex_balance *b = &(*v)[(*n)++];
    memset(b, 0, sizeof *b);
    strcpy(b->asset, asset);
    return b;
}

ex_balance *ex_balance_get(ex_account *a, const char *asset)
{
    return ledger_get(&a->bal, &a->nbal, &a->capbal, asset);
}

void ex_fee_add(struct exchange *ex, const char *asset, dec_t amount)
{
    ex_balance *b = ledger_get(&ex->fees, &ex->nfees, &ex->capfees, asset);
    if (b) b->free += amount;
}

void ex_sor_ledger_add(struct exchange *ex, const char *asset, dec_t amount)
{
    ex_balance *b = ledger_get(&ex->sor_ledger, &ex->nsor_ledger, &ex->capsor_ledger, asset);
    if (b) b->free += amount;
}

/* One balance value: "123.45" or a JSON number (read through its text). */
static int balance_value(const cJSON *v, dec_t *out)
{
    if (cJSON_IsString(v)) return dec_parse(v->valuestring, out, 0) == DEC_OK ? 0 : -1;
    if (cJSON_IsNumber(v)) {
        char tmp[64];
        if (v->valuedouble < 0 || v->valuedouble > 9e10) return -1;
        snprintf(tmp, sizeof tmp, "%.8f", v->valuedouble);
        return dec_parse(tmp, out, 0) == DEC_OK ? 0 : -1;
    }
    return -1;
}

int ex_account_set_balances(ex_account *a, const cJSON *balances)
{
    if (!balances) return 0;
    const cJSON *it;
    if (cJSON_IsObject(balances)) {
        cJSON_ArrayForEach(it, balances) {
            dec_t v;
            if (balance_value(it, &v)) return -1;
            ex_balance *b = ex_balance_get(a, it->string);
            if (!b) return -1;
            b->free = v;          /* locked funds stay with their open orders */
        }
        return 0;
    }
    if (!cJSON_IsArray(balances)) return -1;
    cJSON_ArrayForEach(it, balances) {
        const cJSON *as = cJSON_GetObjectItemCaseSensitive(it, "asset");
        dec_t v;
        if (!cJSON_IsString(as) || balance_value(cJSON_GetObjectItemCaseSensitive(it, "free"), &v))
            return -1;
        ex_balance *b = ex_balance_get(a, as->valuestring);
        if (!b) return -1;
        b->free = v;
    }
    return 0;
}

int ex_account_push_order(ex_account *a, ex_order *o)
{
    if (a->norders == a->caporders) {
        size_t nc = a->caporders ? a->caporders * 2 : 16;
        ex_order **nv = realloc(a->orders, nc * sizeof *nv);
        if (!nv) return -1;
        a->orders = nv;
        a->caporders = nc;
    }
    a->orders[a->norders++] = o;
    return 0;
}

int ex_account_push_trade(ex_account *a, const ex_mytrade *t)
{
    if (a->ntrades == a->captrades) {
        size_t nc = a->captrades ? a->captrades * 2 : 16;
        ex_mytrade *nv = realloc(a->trades, nc * sizeof *nv);
        if (!nv) return -1;
        a->trades = nv;
        a->captrades = nc;
    }
    a->trades[a->ntrades++] = *t;
    return 0;
}

static void account_clear(ex_account *a)
{
    for (size_t i = 0; i < a->norders; i++) free(a->orders[i]);
    free(a->orders);
    ex_oidx_free(a);
    ex_rec_free(a);
    free(a->trades);
    free(a->bal);
    free(a->amends);
    a->amends = NULL;
    a->namends = a->capamends = 0;
    a->orders = NULL; a->trades = NULL; a->bal = NULL;
    a->norders = a->caporders = a->ntrades = a->captrades = a->nbal = a->capbal = 0;
    a->listen_key[0] = '\0';
    a->update_us = 0;
    a->orders_placed = 0;
}

void ex_accounts_free(struct exchange *ex)
{
    for (int i = 0; i < ex->naccts; i++) {
        account_clear(&ex->accts[i]);
        cJSON_Delete(ex->accts[i].initial);
        cJSON_Delete(ex->accts[i].asset_filters);
    }
    free(ex->accts);
    ex->accts = NULL;
    ex->naccts = ex->capaccts = 0;
    free(ex->fees);
    ex->fees = NULL;
    ex->nfees = ex->capfees = 0;
    free(ex->sor_ledger);
    ex->sor_ledger = NULL;
    ex->nsor_ledger = ex->capsor_ledger = 0;
}

/* Reset: clear histories and restore the balances last set (the fees and
 * the SOR liquidity account back to nothing). */
void ex_accounts_reset(struct exchange *ex)
{
    for (int i = 0; i < ex->naccts; i++) {
        ex_account *a = &ex->accts[i];
        account_clear(a);
        ex_account_set_balances(a, a->initial);
    }
    ex->nfees = 0;
    ex->nsor_ledger = 0;
    ex->sor_cross_fills = 0;
}

ex_account *ex_account_at(struct exchange *ex, int id)
{
    return id >= 0 && id < ex->naccts ? &ex->accts[id] : NULL;
}

int ex_account_count(struct exchange *ex)
{
    return ex->naccts;
}

static int find_locked(struct exchange *ex, const char *name)
{
    for (int i = 0; i < ex->naccts; i++)
        if (!strcmp(ex->accts[i].name, name)) return i;
    return -1;
}

/* Add or update under the lock. */
int ex_account_add_locked(struct exchange *ex, const char *name, const cJSON *balances)
{
    if (!name || !*name || strlen(name) >= sizeof ex->accts->name) return -1;
    if (balances && !cJSON_IsObject(balances) && !cJSON_IsArray(balances)) return -1;
    int id = find_locked(ex, name);
    if (id < 0) {
        if (ex->naccts == ex->capaccts) {
            int nc = ex->capaccts ? ex->capaccts * 2 : 8;
            ex_account *nv = realloc(ex->accts, (size_t)nc * sizeof *nv);
            if (!nv) return -1;
            ex->accts = nv;
            ex->capaccts = nc;
        }
        id = ex->naccts++;
        ex_account *a = &ex->accts[id];
        memset(a, 0, sizeof *a);
        strcpy(a->name, name);
        a->maker_rate = 100000;   /* 0.001 */
        a->taker_rate = 100000;
    }
    ex_account *a = &ex->accts[id];
    if (balances) {
        cJSON *copy = cJSON_Duplicate(balances, 1);
        if (!copy) return -1;
        /* free amounts before, to report deposits/withdrawals as balanceUpdate */
        size_t nb = a->nbal;
        ex_balance *old = nb ? malloc(nb * sizeof *old) : NULL;
        if (old) memcpy(old, a->bal, nb * sizeof *old);
        if (ex_account_set_balances(a, balances)) { cJSON_Delete(copy); free(old); return -1; }
        for (size_t i = 0; i < a->nbal; i++) {
            dec_t before = 0;
            for (size_t k = 0; old && k < nb; k++)
                if (!strcmp(old[k].asset, a->bal[i].asset)) before = old[k].free;
            if (a->bal[i].free == before) continue;
            /* a deposit/withdrawal: balanceUpdate, then the position of that asset */
            const char *asset = a->bal[i].asset;
            ex_emit_balance_update(ex, id, asset, a->bal[i].free - before, ex->now_us);
            ex_emit_account_assets(ex, id, &asset, 1, ex->now_us);
        }
        free(old);
        cJSON_Delete(a->initial);
        a->initial = copy;
    }
    return id;
}

int exchange_account_add(struct exchange *ex, const char *name, const cJSON *balances)
{
    exchange_lock(ex);
    int id = ex_account_add_locked(ex, name, balances);
    exchange_unlock(ex);
    return id;
}

int exchange_account_find(struct exchange *ex, const char *name)
{
    if (!name) return -1;
    exchange_lock(ex);
    int id = find_locked(ex, name);
    exchange_unlock(ex);
    return id;
}

dec_t ex_asset_supply(struct exchange *ex, const char *asset)
{
    dec_t sum = 0;
    exchange_lock(ex);
    for (int i = 0; i < ex->naccts; i++) {
        ex_balance *b = ex_balance_find(&ex->accts[i], asset);
        if (b) sum += b->free + b->locked;
    }
    for (size_t i = 0; i < ex->nfees; i++)
        if (!strcmp(ex->fees[i].asset, asset)) sum += ex->fees[i].free;
    for (size_t i = 0; i < ex->nsor_ledger; i++)
        if (!strcmp(ex->sor_ledger[i].asset, asset)) sum += ex->sor_ledger[i].free;
    exchange_unlock(ex);
    return sum;
}
