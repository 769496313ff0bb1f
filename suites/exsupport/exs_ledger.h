/* exs_ledger: what the exchange suites' random-traffic tests share - a
 * seeded xorshift generator, the supply of every asset (conservation is
 * before == after), and the ledger check of an account range. Linked into
 * every exchange_* suite (suites/CMakeLists.txt). */
#ifndef BC_EXS_LEDGER_H
#define BC_EXS_LEDGER_H
#include <stdint.h>
#include "exchange_api.h"

uint64_t exs_rng_next(uint64_t *s);
/* out[i] = the total supply of asset i (ex_asset_count entries). */
void exs_supplies(struct exchange *ex, dec_t *out);
/* Accounts 1..nacct: every balance's free >= 0, its locked equal to what
 * the account's open orders hold in that asset, and no ended order (not
 * NEW, PARTIALLY_FILLED or PENDING_NEW) still holding funds. */
void exs_check_ledger(struct exchange *ex, int nacct);
#endif
