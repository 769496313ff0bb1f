/* orderlist: order lists (OCO, OTO, OTOCO, OPO, OPOCO) - the list records,
 * their placement, cancel and queries, used by the endpoint handlers
 * (ep_orderlist*.c). Same locking rules as exchange_api.h: every function
 * here expects the exchange lock held. */
#ifndef BC_ORDERLIST_H
#define BC_ORDERLIST_H
#include "exchange_api.h"

typedef enum ex_list_kind { EX_LIST_OCO = 0, EX_LIST_OTO, EX_LIST_OTOCO, EX_LIST_OPO, EX_LIST_OPOCO } ex_list_kind;

#define EX_LIST_MAX_LEGS 3

typedef struct ex_list {
    int64_t id;
    int account, sym;
    ex_list_kind kind;
    char client_id[40];
    int done;                 /* listOrderStatus ALL_DONE */
    int activated;            /* OTO family: the pending legs went live */
    int64_t time_us;          /* transactionTime: the list's last status change */
    /* legs in Binance's response order: OCO [stop-loss leg, other leg];
     * OTO/OPO [working, pending]; OTOCO/OPOCO [working, pending stop-loss
     * leg, pending other leg]. Orders are owned by their account. */
    ex_order *legs[EX_LIST_MAX_LEGS];
    int nlegs;
} ex_list;

typedef struct ex_list_req {
    ex_list_kind kind;
    int account, sym;
    const char *client_id;    /* NULL = generate */
    ex_order_req legs[EX_LIST_MAX_LEGS];   /* in the legs[] order above */
    int nlegs;
    int64_t now_us;
} ex_list_req;

typedef struct ex_list_result {
    ex_result err;            /* err.err != ERR_NONE: rejected, nothing placed */
    ex_list list;             /* snapshot after placement / cancel */
    ex_result leg[EX_LIST_MAX_LEGS];   /* per leg: order snapshot and its fills */
} ex_list_result;

const char *ex_contingency_name(ex_list_kind k);       /* "OCO" or "OTO" */
const char *ex_list_status_type(const ex_list *l);     /* EXEC_STARTED / ALL_DONE */
const char *ex_list_order_status(const ex_list *l);    /* EXECUTING / ALL_DONE */

/* Validate and place a whole list (every leg validated before any is placed). */
void ex_list_place_locked(struct exchange *ex, const ex_list_req *rq, ex_list_result *out);
/* Cancel an open list by id (>= 0) or client id; both given must agree.
 * cancel_client_id: the cancel request's clientOrderId (the legs' CANCELED
 * events carry it as c), NULL = one generated per leg. */
void ex_list_cancel_locked(struct exchange *ex, int account, int sym, int64_t list_id,
                           const char *client_id, const char *cancel_client_id, int64_t now_us,
                           ex_list_result *out);
void ex_list_result_free(ex_list_result *r);
/* A list of the account by id (>= 0) or client id (the newest with it). */
ex_list *ex_list_find_locked(struct exchange *ex, int account, int64_t list_id, const char *client_id);
/* Lists of the account (oldest first): all, or only open ones. */
size_t ex_list_count(struct exchange *ex);
ex_list *ex_list_at(struct exchange *ex, size_t i);
/* EXCHANGE_MAX_NUM_ORDER_LISTS of the symbols config's "exchangeFilters" (0 = none). */
int ex_max_num_order_lists(struct exchange *ex);
/* Open lists of an account on a symbol (sym < 0: on every symbol). */
size_t ex_open_list_count_locked(struct exchange *ex, int account, int sym);
#endif
