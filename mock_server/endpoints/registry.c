/* registry.c: THE route table - every Binance endpoint the mock serves, one
 * api_route row each (method, path, WebSocket API twin, security type, base
 * weight, every parameter the handler reads) - and the lookups the REST
 * router and the WebSocket API use. Immutable.
 * Two kinds of rows besides the served ones, so that this table lists every
 * REST path and WebSocket API method of Binance's current docs (the README's
 * coverage table is generated from it, docs/coverage.md):
 *   NOT_IMPLEMENTED rows (fn NULL): documented by Binance, not served; the
 *     REST router and the WS API answer -1020 and journal "not implemented
 *     by binance-mock" (endpoints_implemented()).
 *   WS_ONLY rows (path NULL): WebSocket API methods without a REST twin,
 *     dispatched by ws_session.c; listed here for the coverage table only. */
#include <string.h>
#include "endpoints.h"
#include "groups.h"

#define SIGNED "recvWindow,timestamp,signature"
#define ORDER_PARAMS "symbol,side,type,timeInForce,quantity,quoteOrderQty,price,newClientOrderId," \
    "strategyId,strategyType,stopPrice,trailingDelta,icebergQty,newOrderRespType," \
    "selfTradePreventionMode,pegPriceType,pegOffsetValue,pegOffsetType," SIGNED

#define LEG(p) p "Type," p "ClientOrderId," p "Price," p "StopPrice," p "TrailingDelta," p "IcebergQty," \
    p "TimeInForce," p "StrategyId," p "StrategyType," p "PegPriceType," p "PegOffsetType," p "PegOffsetValue,"
#define LIST_PARAMS "symbol,listClientOrderId,newOrderRespType,selfTradePreventionMode,"
#define OTO_PARAMS LIST_PARAMS "workingSide,workingQuantity," LEG("working") "pendingSide,pendingQuantity,"

/* WS_ONLY rows' handler: never called (lookups skip rows without a path). */
static void ep_ws_only(api_req *rq, api_resp *rs)
{
    (void)rq;
    api_error(rs, ERR_UNSUPPORTED_OPERATION, NULL, NULL);
}

/* Documented by Binance, not served (yet): answered -1020 + journal note. */
#define NOT_IMPLEMENTED(m, p, ws, sec, w) { m, p, ws, sec, w, "", NULL }
/* A WebSocket API method without a REST path (ws_session.c serves it). */
#define WS_ONLY(ws, sec, w) { NULL, NULL, ws, sec, w, "", ep_ws_only }

static const api_route routes[] = {
    /* general */
    { "GET", "/api/v3/ping", "ping", SEC_NONE, 1, "", ep_ping },
    { "GET", "/api/v3/time", "time", SEC_NONE, 1, "", ep_time },
    { "GET", "/api/v3/exchangeInfo", "exchangeInfo", SEC_NONE, 20,
      "symbol,symbols,permissions,showPermissionSets,symbolStatus", ep_exchange_info },
    /* market data (weights that depend on parameters are set by the handler) */
    { "GET", "/api/v3/depth", "depth", SEC_NONE, 5, "symbol,limit,symbolStatus", ep_depth },
    { "GET", "/api/v3/trades", "trades.recent", SEC_NONE, 25, "symbol,limit", ep_trades },
    { "GET", "/api/v3/historicalTrades", "trades.historical", SEC_NONE, 25, "symbol,limit,fromId",
      ep_historical_trades },
    { "GET", "/api/v3/historicalBlockTrades", "blockTrades.historical", SEC_NONE, 25, "symbol,fromId,limit",
      ep_historical_block_trades },
    { "GET", "/api/v3/aggTrades", "trades.aggregate", SEC_NONE, 4, "symbol,fromId,startTime,endTime,limit",
      ep_agg_trades },
    { "GET", "/api/v3/klines", "klines", SEC_NONE, 2, "symbol,interval,startTime,endTime,timeZone,limit",
      ep_klines },
    { "GET", "/api/v3/uiKlines", "uiKlines", SEC_NONE, 2, "symbol,interval,startTime,endTime,timeZone,limit",
      ep_klines },
    { "GET", "/api/v3/avgPrice", "avgPrice", SEC_NONE, 2, "symbol", ep_avg_price },
    { "GET", "/api/v3/ticker/24hr", "ticker.24hr", SEC_NONE, 2, "symbol,symbols,type,symbolStatus",
      ep_ticker_24hr },
    { "GET", "/api/v3/ticker/price", "ticker.price", SEC_NONE, 2, "symbol,symbols,symbolStatus",
      ep_ticker_price },
    { "GET", "/api/v3/ticker/bookTicker", "ticker.book", SEC_NONE, 2, "symbol,symbols,symbolStatus",
      ep_ticker_book },
    { "GET", "/api/v3/ticker", "ticker", SEC_NONE, 4, "symbol,symbols,windowSize,type,symbolStatus",
      ep_ticker_window },
    { "GET", "/api/v3/referencePrice", "referencePrice", SEC_NONE, 2, "symbol", ep_reference_price },
    { "GET", "/api/v3/referencePrice/calculation", "referencePrice.calculation", SEC_NONE, 2,
      "symbol,symbolStatus", ep_reference_price },
    /* trading (successful placement / cancel cost 0: set by the handler) */
    { "POST", "/api/v3/order", "order.place", SEC_TRADE, 1, ORDER_PARAMS, ep_order_new },
    { "POST", "/api/v3/order/test", "order.test", SEC_TRADE, 1, ORDER_PARAMS ",computeCommissionRates",
      ep_order_test },
    { "GET", "/api/v3/order", "order.status", SEC_USER_DATA, 4, "symbol,orderId,origClientOrderId," SIGNED,
      ep_order_query },
    { "DELETE", "/api/v3/order", "order.cancel", SEC_TRADE, 1,
      "symbol,orderId,origClientOrderId,newClientOrderId,cancelRestrictions," SIGNED, ep_order_cancel },
    { "POST", "/api/v3/order/cancelReplace", "order.cancelReplace", SEC_TRADE, 1,
      ORDER_PARAMS ",cancelReplaceMode,cancelNewClientOrderId,cancelOrigClientOrderId,cancelOrderId,"
      "cancelRestrictions,orderRateLimitExceededMode", ep_cancel_replace },
    { "PUT", "/api/v3/order/amend/keepPriority", "order.amend.keepPriority", SEC_TRADE, 4,
      "symbol,orderId,origClientOrderId,newClientOrderId,newQty," SIGNED, ep_order_amend },
    { "GET", "/api/v3/order/amendments", "order.amendments", SEC_USER_DATA, 4,
      "symbol,orderId,fromExecutionId,limit," SIGNED, ep_order_amendments },
    { "GET", "/api/v3/openOrders", "openOrders.status", SEC_USER_DATA, 6, "symbol," SIGNED, ep_open_orders },
    { "DELETE", "/api/v3/openOrders", "openOrders.cancelAll", SEC_TRADE, 1, "symbol," SIGNED,
      ep_open_orders_cancel },
    /* order lists (successful placement / cancel cost 0, like orders) */
    { "POST", "/api/v3/order/oco", "orderList.place", SEC_TRADE, 1,
      LIST_PARAMS "side,quantity,price,stopPrice,stopLimitPrice,stopLimitTimeInForce,limitClientOrderId,"
      "stopClientOrderId,limitIcebergQty,stopIcebergQty,limitStrategyId,limitStrategyType,stopStrategyId,"
      "stopStrategyType,trailingDelta," SIGNED, ep_list_oco_legacy },
    { "POST", "/api/v3/orderList/oco", "orderList.place.oco", SEC_TRADE, 1,
      LIST_PARAMS "side,quantity," LEG("above") LEG("below") SIGNED, ep_list_oco },
    { "POST", "/api/v3/orderList/oto", "orderList.place.oto", SEC_TRADE, 1,
      OTO_PARAMS LEG("pending") SIGNED, ep_list_oto },
    { "POST", "/api/v3/orderList/otoco", "orderList.place.otoco", SEC_TRADE, 1,
      OTO_PARAMS LEG("pendingAbove") LEG("pendingBelow") SIGNED, ep_list_otoco },
    { "POST", "/api/v3/orderList/opo", "orderList.place.opo", SEC_TRADE, 1,
      OTO_PARAMS LEG("pending") SIGNED, ep_list_opo },
    { "POST", "/api/v3/orderList/opoco", "orderList.place.opoco", SEC_TRADE, 1,
      OTO_PARAMS LEG("pendingAbove") LEG("pendingBelow") SIGNED, ep_list_opoco },
    { "DELETE", "/api/v3/orderList", "orderList.cancel", SEC_TRADE, 1,
      "symbol,orderListId,listClientOrderId,newClientOrderId," SIGNED, ep_list_cancel },
    { "GET", "/api/v3/orderList", "orderList.status", SEC_USER_DATA, 4, "orderListId,origClientOrderId," SIGNED,
      ep_list_query },
    { "GET", "/api/v3/allOrderList", "allOrderLists", SEC_USER_DATA, 20,
      "fromId,startTime,endTime,limit," SIGNED, ep_list_all },
    { "GET", "/api/v3/openOrderList", "openOrderLists.status", SEC_USER_DATA, 6, SIGNED, ep_list_open },
    { "GET", "/api/v3/allOrders", "allOrders", SEC_USER_DATA, 20,
      "symbol,orderId,startTime,endTime,limit," SIGNED, ep_all_orders },
    { "GET", "/api/v3/myTrades", "myTrades", SEC_USER_DATA, 20,
      "symbol,orderId,startTime,endTime,fromId,limit," SIGNED, ep_my_trades },
    /* account */
    { "GET", "/api/v3/account", "account.status", SEC_USER_DATA, 20, "omitZeroBalances," SIGNED,
      ep_account_info },
    { "GET", "/api/v3/account/commission", "account.commission", SEC_USER_DATA, 20, "symbol," SIGNED,
      ep_account_commission },
    { "GET", "/api/v3/myFilters", "myFilters", SEC_USER_DATA, 40, "symbol," SIGNED, ep_my_filters },
    { "GET", "/api/v3/rateLimit/order", "account.rateLimits.orders", SEC_USER_DATA, 40, SIGNED,
      ep_rate_limit_order },
    /* legacy listenKey (alive in profile 2025-12 only) */
    { "POST", "/api/v3/userDataStream", NULL, SEC_USER_STREAM, 2, "", ep_stream_start },
    { "PUT", "/api/v3/userDataStream", NULL, SEC_USER_STREAM, 2, "listenKey", ep_stream_keepalive },
    { "DELETE", "/api/v3/userDataStream", NULL, SEC_USER_STREAM, 2, "listenKey", ep_stream_close },
    /* wallet and discovery endpoints multi-exchange libraries call */
    { "GET", "/sapi/v1/capital/config/getall", NULL, SEC_USER_DATA, 10, SIGNED, ep_capital_config },
    /* MARKET_DATA: key required, signature optional (ccxt's loadMarkets signs them) */
    { "GET", "/sapi/v1/margin/allPairs", NULL, SEC_MARKET_DATA, 1, "symbol," SIGNED, ep_margin_all_pairs },
    { "GET", "/sapi/v1/margin/isolated/allPairs", NULL, SEC_MARKET_DATA, 10, "symbol," SIGNED,
      ep_margin_isolated_pairs },
    { "GET", "/fapi/v1/exchangeInfo", NULL, SEC_NONE, 1, "", ep_futures_info },
    { "GET", "/dapi/v1/exchangeInfo", NULL, SEC_NONE, 1, "", ep_futures_info },
    /* WebSocket API methods without a REST path (served by ws_session.c;
     * the last three only in --profile 2025-12) */
    WS_ONLY("session.logon", SEC_USER_DATA, 2),
    WS_ONLY("session.status", SEC_NONE, 2),
    WS_ONLY("session.logout", SEC_NONE, 2),
    WS_ONLY("session.subscriptions", SEC_NONE, 2),
    WS_ONLY("userDataStream.subscribe", SEC_USER_STREAM, 2),
    WS_ONLY("userDataStream.subscribe.signature", SEC_USER_STREAM, 2),
    WS_ONLY("userDataStream.unsubscribe", SEC_NONE, 2),
    WS_ONLY("userDataStream.start", SEC_USER_STREAM, 2),
    WS_ONLY("userDataStream.ping", SEC_USER_STREAM, 2),
    WS_ONLY("userDataStream.stop", SEC_USER_STREAM, 2),
    /* documented by Binance, not served by binance-mock (yet) */
    NOT_IMPLEMENTED("GET", "/api/v3/executionRules", "executionRules", SEC_NONE, 40),
    NOT_IMPLEMENTED("GET", "/api/v3/ticker/tradingDay", "ticker.tradingDay", SEC_NONE, 4),
    NOT_IMPLEMENTED("POST", "/api/v3/sor/order", "sor.order.place", SEC_TRADE, 1),
    NOT_IMPLEMENTED("POST", "/api/v3/sor/order/test", "sor.order.test", SEC_TRADE, 1),
    NOT_IMPLEMENTED("GET", "/api/v3/myAllocations", "myAllocations", SEC_USER_DATA, 20),
    NOT_IMPLEMENTED("GET", "/api/v3/myPreventedMatches", "myPreventedMatches", SEC_USER_DATA, 2),
};

int endpoints_implemented(const api_route *r) { return r->fn != NULL; }

const api_route *endpoints_all(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

const api_route *endpoints_find_rest(const char *method, const char *path)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].path && strcmp(r[i].method, method) == 0 && strcmp(r[i].path, path) == 0) return &r[i];
    return NULL;
}

const api_route *endpoints_find_ws(const char *ws_method)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].path && r[i].ws_method && strcmp(r[i].ws_method, ws_method) == 0) return &r[i];
    return NULL;
}

int endpoints_path_known(const char *path)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].path && strcmp(r[i].path, path) == 0) return 1;
    return 0;
}
