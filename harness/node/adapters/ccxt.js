#!/usr/bin/env node
// adapters/ccxt.js: harness adapter (harness/PROTOCOL.md) for npm `ccxt`
// (REST). Ops are ccxt's implicit API methods (it signs them);
// time sync = options.adjustForTimeDifference + loadTimeDifference(). WebSocket
// (lib/drivers/ccxt-ws.js): the WS API through createOrderWs/fetchOrderWs/...,
// user data through watchOrders/watchBalance, <symbol>@trade through watchTrades.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/ccxt');

adapterServe(drv, {
  library: 'ccxt (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall', 'wsApi', 'wsUserData', 'streams'],
  notes: 'class binance (ccxt.pro), urls.api rewritten to the mock; ops = implicit API (publicGetDepth, privatePostOrder, ...); time sync = adjustForTimeDifference; HTTP status only inside the exception message; WS API = unified *Ws methods (order.place/test, order.status, order.cancel, account.status, openOrders.status; always signed, no session.logon, no ping), user data = watchOrders/watchBalance (info), streams = watchTrades only (info)',
});
