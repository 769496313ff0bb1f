/* exs_ledger.c: the random-traffic helpers of the exchange suites
 * (exs_ledger.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "exs_ledger.h"

uint64_t exs_rng_next(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

void exs_supplies(struct exchange *ex, dec_t *out)
{
    for (size_t i = 0; i < ex_asset_count(ex); i++) out[i] = ex_asset_supply(ex, ex_asset_at(ex, i));
}

static int order_open(const ex_order *o)
{
    return o->status == EX_NEW || o->status == EX_PARTIALLY_FILLED || o->status == EX_PENDING_NEW;
}

void exs_check_ledger(struct exchange *ex, int nacct)
{
    exchange_lock(ex);
    for (int a = 1; a <= nacct; a++) {
        ex_account *ac = ex_account_at(ex, a);
        for (size_t i = 0; i < ac->nbal; i++) {
            dec_t held = 0;
            for (size_t k = 0; k < ac->norders; k++) {
                ex_order *o = ac->orders[k];
                ex_symbol *s = ex_symbol_at(ex, (size_t)o->sym);
                if (!strcmp(o->side == EX_BUY ? s->quote : s->base, ac->bal[i].asset)) held += o->locked;
                if (!order_open(o) && o->locked != 0)
                    fail_msg("ended order %lld still holds %lld", (long long)o->id, (long long)o->locked);
            }
            assert_true(ac->bal[i].free >= 0);
            assert_int_equal(ac->bal[i].locked, held);
        }
    }
    exchange_unlock(ex);
}
