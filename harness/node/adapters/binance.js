#!/usr/bin/env node
// adapters/binance.js: harness adapter (harness/PROTOCOL.md) for npm
// `binance` (MainClient, Spot REST). HMAC secret or PKCS#8 private-key PEM go
// in api_secret; client-wide and per-call recvWindow. Its time sync
// (disableTimeSync:false) always queries https://api.binance.com, ignoring
// baseUrl, so timeSync is not declared (the gate never contacts Binance).
// HTTP errors are surfaced without the HTTP status: none is reported.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/binance');

adapterServe(drv, {
  library: 'binance (npm, tiagosiebler)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'perCallRecvWindow', 'signedCall'],
  notes: 'MainClient REST; time sync not declared: getServerTime()/syncTime ignore baseUrl and call api.binance.com; errors carry no HTTP status; signedCall = getPrivate/postPrivate/deletePrivate, NONE/USER_STREAM = get/post/delete',
});
