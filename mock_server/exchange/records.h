/* records: what an account can look back at beyond its orders and trades -
 * the prevented matches of self-trade prevention (GET myPreventedMatches)
 * and the allocations of SOR orders (GET myAllocations). Append-only per
 * account, freed with the account (reset clears them). Exchange locked. */
#ifndef BC_RECORDS_H
#define BC_RECORDS_H
#include "exchange_api.h"

typedef struct ex_prevented {
    int64_t id, taker_id, maker_id, time_us;
    int sym;
    ex_stp mode;
    dec_t price, maker_qty;   /* makerPreventedQuantity: what the maker lost (0 if it kept it) */
} ex_prevented;

typedef struct ex_alloc {
    int64_t id, order_id, list_id, time_us;
    int sym;
    dec_t price, qty, quote, commission;
    int comm_is_base, is_buyer;
} ex_alloc;

typedef struct ex_records {
    ex_prevented *pm;
    size_t npm, cappm;
    ex_alloc *al;
    size_t nal, capal;
} ex_records;

/* Append (0 ok, -1 out of memory: the record is lost, trading goes on). */
int ex_rec_prevented(ex_account *a, const ex_prevented *p);
int ex_rec_alloc(ex_account *a, const ex_alloc *x);
void ex_rec_free(ex_account *a);
#endif
