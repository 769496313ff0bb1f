#!/usr/bin/env node
// adapters/spot.js: harness adapter (harness/PROTOCOL.md) for npm `@binance/spot`
// Binance's official modular SDK: restAPI typed methods, sendSignedRequest /
// sendRequest for signedCall; the SDK's default retries (GET/DELETE, 3 times
// on 5xx); no time sync. WebSocket API (sendSignedMessage / sendMessage,
// sessionLogon for Ed25519), user data and market streams: lib/drivers/spot-ws.js.
'use strict';
const { adapterServe } = require('../lib/adapter');
const drv = require('../lib/drivers/spot');

adapterServe(drv, {
  library: '@binance/spot (npm)', version: drv.version,
  keyTypes: ['hmac', 'rsa', 'ed25519'],
  capabilities: ['rest', 'perCallRecvWindow', 'signedCall', 'wsApi', 'wsSession', 'wsUserData', 'streams', 'wsReconnect'],
  notes: 'Spot({configurationRestAPI:{basePath}}), restAPI methods; default retries (GET/DELETE x3 on 5xx); errors = classes (HTTP status from the class; 5xx body dropped); no time sync; WS API via websocketAPI.connect() (sendSignedMessage/sendMessage, sessionLogon with Ed25519), userDataStreamSubscribe[Signature], websocketStreams.connect({stream}) on /stream',
});
