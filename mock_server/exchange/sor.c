/* sor.c: smart order routing (SOR) and the prevented-match record - the
 * "sors" configuration of the symbols config, the allocations of SOR
 * orders and the prevented matches of self-trade prevention (records.h).
 *
 * An SOR order takes from every book of its SOR configuration
 * (sor_route.c). Each of its taker fills - in its own book or another - is
 * reported the way faqs/sor_faq.md's examples show: an allocation
 * (matchType ONE_PARTY_TRADE_REPORT, tradeId -1, allocId), listed by
 * myAllocations and not by myTrades. A GTC remainder rests on the submitted
 * symbol's book; its later fills as a maker are ordinary trades. docs/sor.md. */
#include <stdio.h>
#include <string.h>
#include "ex_int.h"
#include "records.h"

void ex_sor_allocate(struct exchange *ex, const ex_order *t, ex_fill *f, int64_t now_us)
{
    f->has_alloc = 1;
    f->alloc_id = ex->next_alloc_id++;
    ex_account *a = ex_account_at(ex, t->account);
    if (!a || t->account == EX_MM_ACCOUNT) return;
    ex_alloc x = { .id = f->alloc_id, .order_id = t->id, .list_id = t->list_id, .time_us = now_us,
                   .sym = t->sym, .price = f->price, .qty = f->qty,
                   .quote = (dec_t)((__int128)f->price * f->qty / DEC_SCALE), .commission = f->commission,
                   .comm_is_base = f->comm_is_base, .is_buyer = t->side == EX_BUY };
    ex_rec_alloc(a, &x);
    a->update_us = now_us;
}

void ex_sor_prevented(struct exchange *ex, const ex_order *t, const ex_order *m, int64_t pid, dec_t price,
                      dec_t maker_qty, int64_t now_us)
{
    ex_account *a = ex_account_at(ex, t->account);
    if (!a || t->account == EX_MM_ACCOUNT) return;
    ex_prevented p = { .id = pid, .taker_id = t->id, .maker_id = m->id, .time_us = now_us, .sym = t->sym,
                       .mode = t->stp, .price = price, .maker_qty = maker_qty };
    ex_rec_prevented(a, &p);
}

static int sor_fail(char *err, size_t errlen, const char *why, size_t i)
{
    if (err && errlen) snprintf(err, errlen, "symbols config: sors #%zu: %s", i + 1, why);
    return -1;
}

int ex_sors_load(struct exchange *ex, const cJSON *root, char *err, size_t errlen)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "sors");
    cJSON_Delete(ex->sors);
    ex->sors = NULL;
    if (!arr) return 0;
    if (!cJSON_IsArray(arr)) return sor_fail(err, errlen, "\"sors\" must be an array", 0);
    size_t i = 0;
    const cJSON *g;
    cJSON_ArrayForEach(g, arr) {
        const cJSON *base = cJSON_GetObjectItemCaseSensitive(g, "baseAsset");
        const cJSON *syms = cJSON_GetObjectItemCaseSensitive(g, "symbols");
        if (!cJSON_IsString(base) || !cJSON_IsArray(syms) || cJSON_GetArraySize(syms) < 1)
            return sor_fail(err, errlen, "needs \"baseAsset\" and a non-empty \"symbols\" array", i);
        if (cJSON_GetArraySize(syms) > EX_SOR_MAX)
            return sor_fail(err, errlen, "more than 16 symbols", i);
        const cJSON *it;
        cJSON_ArrayForEach(it, syms) {
            ex_symbol *s = cJSON_IsString(it) ? ex_symbol_find(ex, it->valuestring) : NULL;
            if (!s) return sor_fail(err, errlen, "names a symbol the config does not list", i);
            if (strcmp(s->base, base->valuestring))
                return sor_fail(err, errlen, "a symbol's base asset is not the group's baseAsset", i);
        }
        i++;
    }
    ex->sors = cJSON_Duplicate(arr, 1);
    return ex->sors ? 0 : sor_fail(err, errlen, "out of memory", 0);
}

const cJSON *ex_sors(struct exchange *ex) { return ex->sors; }

int ex_sor_symbol(struct exchange *ex, const ex_symbol *s)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, ex->sors) {
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(g, "symbols"))
            if (cJSON_IsString(it) && !strcmp(it->valuestring, s->name)) return 1;
    }
    return 0;
}
