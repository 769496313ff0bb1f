#!/usr/bin/env node
// adapters/spot.js: harness adapter (harness/PROTOCOL.md) for npm `@binance/spot`
// (REST). Binance's official modular SDK: restAPI typed methods,
// sendSignedRequest/sendRequest for signedCall; the SDK's default retries
// (GET/DELETE, 3 times on 5xx). No time sync. REST only here (the SDK has a WS API + streams).
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/spot');

adapterServe(drv, {
  library: '@binance/spot (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'perCallRecvWindow', 'signedCall'],
  notes: 'Spot({configurationRestAPI:{basePath}}), restAPI methods; default retries (GET/DELETE x3 on 5xx); errors = classes (HTTP status from the class; 5xx body dropped); no time sync; REST only (WS not wired)',
});
