#!/usr/bin/env node
// adapters/connector.js: harness adapter (harness/PROTOCOL.md) for npm
// `@binance/connector` (Spot REST client). The library signs HMAC, RSA and
// Ed25519; recvWindow is a per-call option (a configured recvWindow is passed
// on every signed call); it has no time sync and no µs timestamps.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/connector');

adapterServe(drv, {
  library: '@binance/connector (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'perCallRecvWindow', 'signedCall', 'wsApi', 'wsUserData', 'streams', 'wsReconnect'],
  notes: 'REST Spot client; signedCall = Spot#signRequest / publicRequest; no time sync; WS API: HMAC-only signing (sendSignatureMessage), no session.logon; user data via userDataStream.subscribe.signature; market streams = WebsocketStream; reconnect = the SDK\'s own timer (5 s after an unexpected close)',
});
