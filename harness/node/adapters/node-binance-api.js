#!/usr/bin/env node
// adapters/node-binance-api.js: harness adapter (harness/PROTOCOL.md) for npm `node-binance-api`
// (REST). new Binance({urls:{base}}); time sync = useServerTime();
// HTTP status read from the SDK's statusCode() getter; REST only here.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/node-binance-api');

adapterServe(drv, {
  library: 'node-binance-api (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa'],  // Ed25519: signature sent unencoded, -1022 on about 3 requests in 4 (flow asserts it)
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall'],
  notes: 'Binance({urls:{base,sapi,stream,combineStream}}); recvWindow 5000 always; errors = Error(body text), status via statusCode(); REST only',
});
