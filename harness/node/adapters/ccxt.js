#!/usr/bin/env node
// adapters/ccxt.js: harness adapter (harness/PROTOCOL.md) for npm `ccxt`
// (REST). Ops are ccxt's implicit API methods (it signs them);
// time sync = options.adjustForTimeDifference + loadTimeDifference(). REST only here:
// ccxt's WS API (createOrderWs, ...) and watch* are not wired to PROTOCOL §2.1 yet.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/ccxt');

adapterServe(drv, {
  library: 'ccxt (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall'],
  notes: 'class binance (ccxt.pro), urls.api rewritten to the mock; ops = implicit API (publicGetDepth, privatePostOrder, ...); time sync = adjustForTimeDifference; HTTP status only inside the exception message; REST only (WS not wired)',
});
