#!/usr/bin/env node
// adapters/binance-api-node.js: harness adapter (harness/PROTOCOL.md) for npm `binance-api-node`
// (REST). Binance({httpBase}); time sync = the SDK's per-call
// useServerTime; no generic signed-call entry point; REST only here.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/binance-api-node');

adapterServe(drv, {
  library: 'binance-api-node (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow'],
  notes: 'Binance({httpBase, wsBase}); book/candles reshaped back to Binance arrays; time sync = useServerTime per call; errors carry code + message, no HTTP status; REST only',
});
