/* ep_orderlist: shared by the order-list handlers (ep_orderlist.c) and
 * their leg parser (ep_orderlist_parse.c). Private to endpoints/. */
#ifndef BC_EP_ORDERLIST_H
#define BC_EP_ORDERLIST_H
#include "ep_util.h"
#include "orderlist.h"

/* How one leg is named on the wire. */
typedef struct ol_leg_spec {
    const char *prefix;       /* "above", "working", "pendingBelow", ... */
    const char *side_param;   /* "side", "workingSide", "pendingSide" */
    const char *qty_param;    /* "quantity", "workingQuantity", ...; NULL: none (OPO pending) */
    unsigned types;           /* bit per ex_type the leg accepts */
    err_id type_err;          /* answer for a type outside types */
} ol_leg_spec;

int ol_valid_client_id(const char *s);
/* Optional client id parameter: 0 ok (absent: buf ""), -1 error set. */
int ol_client_id(api_req *rq, api_resp *rs, const char *name, char buf[40]);
/* Parse one leg (its enums, numbers, type rules): 0 ok, -1 error set. */
int ol_parse_leg(api_req *rq, api_resp *rs, const ol_leg_spec *sp, ex_order_req *o, char cid[40]);
/* The slot rules of an OCO pair (-1158 family): 0 ok, -1 error set. */
int ol_check_pair(api_resp *rs, ex_side side, ex_type above, ex_type below);
/* DELETE openOrders: cancel the account's open lists on sym (exchange locked),
 * each rendered as a canceled list into arr; returns how many. */
size_t ep_lists_cancel_all_locked(api_req *rq, struct exchange *ex, int sym, cJSON *arr);
#endif
