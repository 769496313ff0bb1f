#!/usr/bin/env node
// flows/ws-spot.js: the WebSocket user flow (issue 5) through npm
// `@binance/spot`'s WebSocket API and stream clients; see lib/wsflow.js.
'use strict';
const { wsflowMain } = require('../lib/wsflow');

wsflowMain(require('../lib/ws-spot'), process.argv.slice(2));
