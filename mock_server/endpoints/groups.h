/* groups.h: the handlers of every endpoint, one endpoints/<group>.c per
 * group; registry.c holds the one route table that points at them.
 * Private to endpoints/. */
#ifndef BC_EP_GROUPS_H
#define BC_EP_GROUPS_H
#include "api.h"

/* general.c */
void ep_ping(api_req *rq, api_resp *rs);
void ep_time(api_req *rq, api_resp *rs);
void ep_exchange_info(api_req *rq, api_resp *rs);
void ep_my_filters(api_req *rq, api_resp *rs);
/* ep_market.c */
void ep_depth(api_req *rq, api_resp *rs);
void ep_trades(api_req *rq, api_resp *rs);
void ep_historical_trades(api_req *rq, api_resp *rs);
void ep_agg_trades(api_req *rq, api_resp *rs);
void ep_klines(api_req *rq, api_resp *rs);
void ep_avg_price(api_req *rq, api_resp *rs);
void ep_ticker_24hr(api_req *rq, api_resp *rs);
void ep_ticker_price(api_req *rq, api_resp *rs);
void ep_ticker_book(api_req *rq, api_resp *rs);
void ep_ticker_window(api_req *rq, api_resp *rs);
void ep_reference_price(api_req *rq, api_resp *rs);
void ep_historical_block_trades(api_req *rq, api_resp *rs);
/* ep_trade.c */
void ep_order_new(api_req *rq, api_resp *rs);
void ep_order_test(api_req *rq, api_resp *rs);
void ep_order_cancel(api_req *rq, api_resp *rs);
void ep_open_orders_cancel(api_req *rq, api_resp *rs);
void ep_cancel_replace(api_req *rq, api_resp *rs);
/* ep_amend.c */
void ep_order_amend(api_req *rq, api_resp *rs);
void ep_order_amendments(api_req *rq, api_resp *rs);
/* ep_orderlist.c */
void ep_list_oco(api_req *rq, api_resp *rs);
void ep_list_oco_legacy(api_req *rq, api_resp *rs);
void ep_list_oto(api_req *rq, api_resp *rs);
void ep_list_otoco(api_req *rq, api_resp *rs);
void ep_list_opo(api_req *rq, api_resp *rs);
void ep_list_opoco(api_req *rq, api_resp *rs);
void ep_list_cancel(api_req *rq, api_resp *rs);
void ep_list_query(api_req *rq, api_resp *rs);
void ep_list_all(api_req *rq, api_resp *rs);
void ep_list_open(api_req *rq, api_resp *rs);
/* ep_account.c */
void ep_order_query(api_req *rq, api_resp *rs);
void ep_open_orders(api_req *rq, api_resp *rs);
void ep_all_orders(api_req *rq, api_resp *rs);
void ep_my_trades(api_req *rq, api_resp *rs);
void ep_account_info(api_req *rq, api_resp *rs);
void ep_account_commission(api_req *rq, api_resp *rs);
void ep_rate_limit_order(api_req *rq, api_resp *rs);
/* ep_misc.c */
void ep_stream_start(api_req *rq, api_resp *rs);
void ep_stream_keepalive(api_req *rq, api_resp *rs);
void ep_stream_close(api_req *rq, api_resp *rs);
void ep_capital_config(api_req *rq, api_resp *rs);
void ep_margin_all_pairs(api_req *rq, api_resp *rs);
void ep_margin_isolated_pairs(api_req *rq, api_resp *rs);
void ep_futures_info(api_req *rq, api_resp *rs);
#endif
