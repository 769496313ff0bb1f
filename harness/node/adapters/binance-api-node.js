#!/usr/bin/env node
// adapters/binance-api-node.js: harness adapter (harness/PROTOCOL.md) for npm `binance-api-node`
// (REST). Binance({httpBase}); time sync = the SDK's per-call
// useServerTime; no generic signed-call entry point. Market streams: the
// SDK's client.ws.* helpers with transform = false (lib/drivers/binance-api-node-ws.js);
// its only WS API use is ws.user's userDataStream.subscribe.signature (no
// order.*, no ping, no session.logon): wsApi/wsUserData are not declared.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/binance-api-node');

adapterServe(drv, {
  library: 'binance-api-node (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow', 'streams'],
  notes: 'Binance({httpBase, wsBase}); book/candles reshaped back to Binance arrays; time sync = useServerTime per call; errors carry code + message, no HTTP status; streams = ws.depth/partialDepth/candles/trades/aggTrades(…, false) on /ws/<name>',
});
