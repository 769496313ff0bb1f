/* admin_view: read-only admin views for the console (admin_view.c). */
#ifndef BC_ADMIN_VIEW_H
#define BC_ADMIN_VIEW_H
#include <stddef.h>
#include <cjson/cJSON.h>

struct srv;

/* {"accounts":[{id,name,balances,openOrders,keys}]} */
cJSON *admin_view_accounts(struct srv *s);
/* {"symbols":[…],"symbol","lastUpdateId","bids","asks","trades"}; NULL + err
 * for an unknown symbol. symbol NULL/"" = the first one. */
cJSON *admin_view_market(struct srv *s, const char *symbol, char *err, size_t errlen);
/* {"sors":[…],"account":"__sor_liquidity","balances":[{asset,free}],"crossBookFills"} */
cJSON *admin_view_sor(struct srv *s);
#endif
