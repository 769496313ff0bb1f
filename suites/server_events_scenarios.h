/* server_events_scenarios.h: the scenario tables of server_events.c (one
 * place for the data; the types step/xev and the ER/TR/CX/RJ/TP/POS/END
 * macros are that file's). Each step is a REST call (or its WS API twin) and
 * the events it must cause, in order per account; the fills, trade ids,
 * prevented matches and balances are worked out by hand from the orders
 * placed, following the docs (the STP FAQ's scenarios are lettered as
 * there). Included once, by server_events.c. */
#ifndef BC_SERVER_EVENTS_SCENARIOS_H
#define BC_SERVER_EVENTS_SCENARIOS_H

/* LIMIT resting with strategy ids, a partial fill (maker bob, taker alice),
 * then bob cancels with his own cancel id: c = that id, C = the original. */
static const step limit_partial_cancel[] = {
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=2&price=100"
      "&newClientOrderId=b1&strategyId=7&strategyType=1000000", 200, "b1", NULL, "NEW",
      { ER(BO, "b1", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=100"
      "&newClientOrderId=a1", 200, "a1", NULL, "FILLED",
      { ER(AL, "a1", "NEW", "NEW"), TR(BO, "b1", "PARTIALLY_FILLED", "0.5", "100", 1, 1), POS(BO),
        TR(AL, "a1", "FILLED", "0.5", "100", 0, 1), POS(AL), END } },
    { BO, "DELETE", ORDER, "symbol=" SYM "&origClientOrderId=b1&newClientOrderId=b1cancel", 200, NULL, NULL, "CANCELED",
      { CX(BO, "b1", "b1cancel"), POS(BO), END } },
};

/* A LIMIT taker that rests after a partial fill (w true on its TRADE), an
 * IOC and a FOK that expire with their reasons, DELETE openOrders (c = the
 * generated cancel id of the response). */
static const step limit_tif_expiries[] = {
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=50&newClientOrderId=b1",
      200, "b1", NULL, "NEW", { ER(BO, "b1", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.5&price=50&newClientOrderId=a1",
      200, "a1", NULL, "PARTIALLY_FILLED",
      { ER(AL, "a1", "NEW", "NEW"), TR(BO, "b1", "FILLED", "1", "50", 1, 1), POS(BO),
        TR(AL, "a1", "PARTIALLY_FILLED", "1", "50", 0, 1), POS(AL), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=IOC&quantity=2&price=50&newClientOrderId=b2",
      200, "b2", NULL, "EXPIRED",
      { ER(BO, "b2", "NEW", "NEW"), TR(AL, "a1", "FILLED", "0.5", "50", 1, 2), POS(AL),
        TR(BO, "b2", "PARTIALLY_FILLED", "0.5", "50", 0, 2), ER(BO, "b2", "EXPIRED", "EXPIRED"), POS(BO), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=FOK&quantity=2&price=50&newClientOrderId=b3",
      200, "b3", NULL, "EXPIRED", { ER(BO, "b3", "NEW", "NEW"), ER(BO, "b3", "EXPIRED", "EXPIRED"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.25&price=40&newClientOrderId=a2",
      200, "a2", NULL, "NEW", { ER(AL, "a2", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=41&newClientOrderId=a3",
      200, "a3", NULL, "NEW", { ER(AL, "a3", "NEW", "NEW"), POS(AL), END } },
    { AL, "DELETE", "/api/v3/openOrders", "symbol=" SYM, 200, NULL, NULL, NULL,
      { CX(AL, "a2", "*"), POS(AL), CX(AL, "a3", "*"), POS(AL), END } },
};

/* MARKET by quantity against two levels with too little liquidity: two
 * PARTIALLY_FILLED trades, then EXPIRED (eR INSUFFICIENT_LIQUIDITY). */
static const step market_by_quantity[] = {
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=100&newClientOrderId=b1",
      200, "b1", NULL, "NEW", { ER(BO, "b1", "NEW", "NEW"), POS(BO), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=101&newClientOrderId=b2",
      200, "b2", NULL, "NEW", { ER(BO, "b2", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=MARKET&quantity=3&newClientOrderId=a1", 200, "a1", NULL, "EXPIRED",
      { ER(AL, "a1", "NEW", "NEW"),
        TR(BO, "b1", "FILLED", "1", "100", 1, 1), POS(BO), TR(AL, "a1", "PARTIALLY_FILLED", "1", "100", 0, 1),
        TR(BO, "b2", "FILLED", "1", "101", 1, 2), POS(BO), TR(AL, "a1", "PARTIALLY_FILLED", "1", "101", 0, 2),
        ER(AL, "a1", "EXPIRED", "EXPIRED"), POS(AL), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=MARKET&quantity=1&newClientOrderId=b3", 200, "b3", NULL, "EXPIRED",
      { ER(BO, "b3", "NEW", "NEW"), ER(BO, "b3", "EXPIRED", "EXPIRED"), POS(BO), END } },
};

/* MARKET BUY by quoteOrderQty 150.5 against 1 @ 100 and 1 @ 101: it buys
 * 1 + 0.5 (50.5 / 101), so q = origQty = 1.5 from NEW on and the last fill
 * says FILLED. A SELL by quoteOrderQty 30 against a bid of 1 @ 20: 1. */
static const step market_by_quote[] = {
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=100&newClientOrderId=b1",
      200, "b1", NULL, "NEW", { ER(BO, "b1", "NEW", "NEW"), POS(BO), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=101&newClientOrderId=b2",
      200, "b2", NULL, "NEW", { ER(BO, "b2", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=MARKET&quoteOrderQty=150.5&newClientOrderId=a1", 200, "a1", "1.5", "FILLED",
      { ER(AL, "a1", "NEW", "NEW"),
        TR(BO, "b1", "FILLED", "1", "100", 1, 1), POS(BO), TR(AL, "a1", "PARTIALLY_FILLED", "1", "100", 0, 1),
        TR(BO, "b2", "PARTIALLY_FILLED", "0.5", "101", 1, 2), POS(BO), TR(AL, "a1", "FILLED", "0.5", "101", 0, 2),
        POS(AL), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=20&newClientOrderId=b3",
      200, "b3", NULL, "NEW", { ER(BO, "b3", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=MARKET&quoteOrderQty=30&newClientOrderId=a2", 200, "a2", "1", "FILLED",
      { ER(AL, "a2", "NEW", "NEW"), TR(BO, "b3", "FILLED", "1", "20", 1, 3), POS(BO),
        TR(AL, "a2", "FILLED", "1", "20", 0, 3), POS(AL), END } },
};

/* cancelReplace: a new order that fails a filter cancels nothing (-1013,
 * no event); a new LIMIT_MAKER that would take fails after the cancel:
 * CANCELED (c = cancelNewClientOrderId) then REJECTED
 * (r WOULD_MATCH_IMMEDIATELY); a good one: CANCELED then NEW. */
static const step cancel_replace[] = {
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=95&newClientOrderId=b1",
      200, "b1", NULL, "NEW", { ER(BO, "b1", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=90&newClientOrderId=a1",
      200, "a1", NULL, "NEW", { ER(AL, "a1", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", "/api/v3/order/cancelReplace", "symbol=" SYM "&cancelReplaceMode=STOP_ON_FAILURE"
      "&cancelOrigClientOrderId=a1&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=90.005&newClientOrderId=a2",
      400, NULL, NULL, NULL, { END } },
    { AL, "POST", "/api/v3/order/cancelReplace", "symbol=" SYM "&cancelReplaceMode=STOP_ON_FAILURE"
      "&cancelOrigClientOrderId=a1&cancelNewClientOrderId=a1x&side=BUY&type=LIMIT_MAKER&quantity=1&price=96"
      "&newClientOrderId=a3", 409, "a3", NULL, NULL,
      { CX(AL, "a1", "a1x"), POS(AL), RJ(AL, "a3", "WOULD_MATCH_IMMEDIATELY"), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=80&newClientOrderId=a4",
      200, "a4", NULL, "NEW", { ER(AL, "a4", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", "/api/v3/order/cancelReplace", "symbol=" SYM "&cancelReplaceMode=ALLOW_FAILURE"
      "&cancelOrigClientOrderId=a4&side=BUY&type=LIMIT&timeInForce=GTC&quantity=2&price=81&newClientOrderId=a5",
      200, "a5", NULL, "NEW", { CX(AL, "a4", "*"), POS(AL), ER(AL, "a5", "NEW", "NEW"), POS(AL), END } },
};

/* STP FAQ scenario B (EXPIRE_MAKER): three makers expire, the taker rests;
 * one outboundAccountPosition for the whole match. */
static const step stp_expire_maker[] = {
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.2&price=1.2&newClientOrderId=m1",
      200, "m1", NULL, "NEW", { ER(AL, "m1", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.3&price=1.1&newClientOrderId=m2",
      200, "m2", NULL, "NEW", { ER(AL, "m2", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=8.1&price=1&newClientOrderId=m3",
      200, "m3", NULL, "NEW", { ER(AL, "m3", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=3&price=1"
      "&selfTradePreventionMode=EXPIRE_MAKER&newClientOrderId=t1", 200, "t1", NULL, "NEW",
      { ER(AL, "t1", "NEW", "NEW"),
        TP(AL, "m1", "EXPIRED_IN_MATCH", 1, "1.2", "t1", "1.2", "1.2"),
        TP(AL, "m2", "EXPIRED_IN_MATCH", 2, "1.3", "t1", "1.3", "1.1"),
        TP(AL, "m3", "EXPIRED_IN_MATCH", 3, "8.1", "t1", "3", "1"), POS(AL), END } },
};

/* Scenario A (NONE): the account trades with itself; one position at the end. */
static const step stp_none[] = {
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1&newClientOrderId=m1",
      200, "m1", NULL, "NEW", { ER(AL, "m1", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=1"
      "&selfTradePreventionMode=NONE&newClientOrderId=t1", 200, "t1", NULL, "FILLED",
      { ER(AL, "t1", "NEW", "NEW"), TR(AL, "m1", "FILLED", "1", "1", 1, 1), TR(AL, "t1", "FILLED", "1", "1", 0, 1),
        POS(AL), END } },
};

/* Scenario C (EXPIRE_TAKER): the makers stay, the taker expires with its
 * whole quantity prevented; with E, the maker's own mode (EXPIRE_MAKER)
 * does not matter, the taker's does. */
static const step stp_expire_taker[] = {
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.2&price=1.2"
      "&selfTradePreventionMode=EXPIRE_MAKER&newClientOrderId=m1",
      200, "m1", NULL, "NEW", { ER(AL, "m1", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.3&price=1.1&newClientOrderId=m2",
      200, "m2", NULL, "NEW", { ER(AL, "m2", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=3&price=1"
      "&selfTradePreventionMode=EXPIRE_TAKER&newClientOrderId=t1", 200, "t1", NULL, "EXPIRED_IN_MATCH",
      { ER(AL, "t1", "NEW", "NEW"), TP(AL, "t1", "EXPIRED_IN_MATCH", 1, "3", "m1", "1.2", "1.2"), POS(AL), END } },
};

/* Scenario D (EXPIRE_BOTH) and F (a MARKET taker, EXPIRE_MAKER: the maker
 * expires in match, the taker EXPIRED for liquidity). */
static const step stp_expire_both[] = {
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1&newClientOrderId=m1",
      200, "m1", NULL, "NEW", { ER(AL, "m1", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=3&price=1"
      "&selfTradePreventionMode=EXPIRE_BOTH&newClientOrderId=t1", 200, "t1", NULL, "EXPIRED_IN_MATCH",
      { ER(AL, "t1", "NEW", "NEW"), TP(AL, "m1", "EXPIRED_IN_MATCH", 1, "1", "t1", "1", "1"),
        TP(AL, "t1", "EXPIRED_IN_MATCH", 1, "3", "m1", "1", "1"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1&newClientOrderId=m2",
      200, "m2", NULL, "NEW", { ER(AL, "m2", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=MARKET&quantity=1"
      "&selfTradePreventionMode=EXPIRE_MAKER&newClientOrderId=t2", 200, "t2", NULL, "EXPIRED",
      { ER(AL, "t2", "NEW", "NEW"), TP(AL, "m2", "EXPIRED_IN_MATCH", 2, "1", "t2", "1", "1"),
        ER(AL, "t2", "EXPIRED", "EXPIRED"), POS(AL), END } },
};

/* Scenario G (DECREMENT): both get the match's quantity prevented; the
 * smaller (the taker) expires, the maker keeps 4 on the book and its lock
 * shrinks. Then the other way round: the maker is smaller and expires, the
 * taker rests with 3 - 1 available, and a later fill by bob completes it. */
static const step stp_decrement[] = {
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=6&price=2&newClientOrderId=m1",
      200, "m1", NULL, "NEW", { ER(AL, "m1", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=2&price=2"
      "&selfTradePreventionMode=DECREMENT&newClientOrderId=t1", 200, "t1", NULL, "EXPIRED_IN_MATCH",
      { ER(AL, "t1", "NEW", "NEW"), TP(AL, "m1", "NEW", 1, "2", "t1", "2", "2"),
        TP(AL, "t1", "EXPIRED_IN_MATCH", 1, "2", "m1", "2", "2"), POS(AL), END } },
    { AL, "DELETE", ORDER, "symbol=" SYM "&origClientOrderId=m1&newClientOrderId=m1c", 200, NULL, NULL, "CANCELED",
      { CX(AL, "m1", "m1c"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=3&newClientOrderId=m2",
      200, "m2", NULL, "NEW", { ER(AL, "m2", "NEW", "NEW"), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=3&price=3"
      "&selfTradePreventionMode=DECREMENT&newClientOrderId=t2", 200, "t2", NULL, "NEW",
      { ER(AL, "t2", "NEW", "NEW"), TP(AL, "m2", "EXPIRED_IN_MATCH", 2, "1", "t2", "1", "3"),
        TP(AL, "t2", "NEW", 2, "1", "m2", "1", "3"), POS(AL), END } },
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=5&price=3&newClientOrderId=b1",
      200, "b1", NULL, "PARTIALLY_FILLED",
      { TR(AL, "t2", "FILLED", "2", "3", 1, 1), POS(AL), ER(BO, "b1", "NEW", "NEW"),
        TR(BO, "b1", "PARTIALLY_FILLED", "2", "3", 0, 1), POS(BO), END } },
};

/* A stop order waiting for its trigger: not working, so w false and no W. */
static const step stop_waiting[] = {
    { BO, "POST", ORDER, "symbol=" SYM "&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=100&newClientOrderId=b1",
      200, "b1", NULL, "NEW", { ER(BO, "b1", "NEW", "NEW"), POS(BO), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=100&newClientOrderId=a1",
      200, "a1", NULL, "FILLED",
      { ER(AL, "a1", "NEW", "NEW"), TR(BO, "b1", "FILLED", "1", "100", 1, 1), POS(BO),
        TR(AL, "a1", "FILLED", "1", "100", 0, 1), POS(AL), END } },
    { AL, "POST", ORDER, "symbol=" SYM "&side=SELL&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=0.5&price=89"
      "&stopPrice=90&newClientOrderId=a2", 200, "a2", NULL, NULL, { ER(AL, "a2", "NEW", "NEW"), POS(AL), END } },
    { AL, "DELETE", ORDER, "symbol=" SYM "&origClientOrderId=a2", 200, NULL, NULL, "CANCELED",
      { CX(AL, "a2", "*"), POS(AL), END } },
};

#endif
