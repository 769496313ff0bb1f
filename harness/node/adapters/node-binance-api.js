#!/usr/bin/env node
// adapters/node-binance-api.js: harness adapter (harness/PROTOCOL.md) for npm `node-binance-api`
// (REST). new Binance({urls:{base}}); time sync = useServerTime();
// HTTP status read from the SDK's statusCode() getter. Market streams:
// subscribe()/subscribeCombined() (lib/drivers/node-binance-api-ws.js); no WS API
// request methods beyond userData()'s subscription: wsApi not declared.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/node-binance-api');

adapterServe(drv, {
  library: 'node-binance-api (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa'],  // Ed25519: signature sent unencoded, -1022 on about 3 requests in 4 (flow asserts it)
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall', 'streams'],
  notes: 'Binance({urls:{base,sapi,stream,combineStream}}); recvWindow 5000 always; errors = Error(body text), status via statusCode(); streams = subscribe(/ws/<name>) / subscribeCombined(/stream?streams=)',
});
