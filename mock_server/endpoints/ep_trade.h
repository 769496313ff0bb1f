/* ep_trade.h: what ep_trade.c shares with the other order-placing handlers
 * (ep_sor.c): a new order's parameters parsed and validated the one way,
 * the second recvWindow check, the order/test commission body. Private to
 * endpoints/. */
#ifndef BC_EP_TRADE_H
#define BC_EP_TRADE_H
#include "ep_util.h"

typedef struct order_params {
    ex_order_req rq;
    ex_resp resp;
    char client_id[40];
} order_params;

/* Everything of a new order, exchange locked. 0 ok, -1 error set. */
int ep_order_parse(api_req *rq, api_resp *rs, struct exchange *ex, order_params *p);
/* The second recvWindow check, just before the matching engine. */
int ep_order_recheck(api_req *rq, api_resp *rs);
/* order/test's computeCommissionRates body. */
cJSON *ep_commission_json(const ex_account *a);
#endif
