#!/usr/bin/env node
// adapters/spot.js: harness adapter (harness/PROTOCOL.md) for npm `@binance/spot`
// (REST). Binance's official modular SDK: restAPI typed methods,
// sendSignedRequest/sendRequest for signedCall; retries: 0 (default 3 would
// replay 5xx). No time sync. REST only here (the SDK has a WS API + streams).
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/spot');

adapterServe(drv, {
  library: '@binance/spot (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'perCallRecvWindow', 'signedCall'],
  notes: 'Spot({configurationRestAPI:{basePath}}), restAPI methods; retries 0; errors = classes (status implied by class); no time sync; REST only (WS not wired)',
});
