#!/usr/bin/env node
// flows/ws-binance.js: the WebSocket user flow (issue 5) through the npm
// `binance` SDK's WebSocket API and stream clients; see lib/wsflow.js.
'use strict';
const { wsflowMain } = require('../lib/wsflow');

wsflowMain(require('../lib/ws-binance'), process.argv.slice(2));
