#!/usr/bin/env node
// adapters/binance.js: harness adapter (harness/PROTOCOL.md) for npm
// `binance` (MainClient, Spot REST). HMAC secret or PKCS#8 private-key PEM go
// in api_secret; client-wide and per-call recvWindow; time sync is the SDK's
// own (disableTimeSync:false + syncTime()). Known: getServerTime() and the time
// sync always query https://api.binance.com, ignoring baseUrl; the driver's
// HTTP agents refuse every host but baseUrl's, so those calls fail locally
// (and the time cases show it) instead of leaving the machine. HTTP errors are
// surfaced without the HTTP status: none is reported.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/binance');

adapterServe(drv, {
  library: 'binance (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall', 'wsApi', 'wsSession', 'wsUserData', 'streams', 'wsReconnect'],
  notes: 'MainClient REST; time = getServerTime(), time sync = syncTime(): both call https://api.binance.com whatever baseUrl says (blocked locally); errors carry no HTTP status; signedCall = getPrivate/postPrivate/deletePrivate, NONE/USER_STREAM = get/post/delete',
});
