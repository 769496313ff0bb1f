#!/usr/bin/env node
// flows/ccxt.js: the issue-3 full flow through npm `ccxt`, for each key
// type (HMAC, RSA-2048, RSA-4096, Ed25519). See lib/flow.js for the steps and
// the command line (--server URL, or it starts binance-mock on port 0).
'use strict';
const { flowMain } = require('../lib/flow');
flowMain(require('../lib/drivers/ccxt'), process.argv.slice(2))
  .then((rc) => { process.exitCode = rc; })
  .catch((e) => { console.error(`flows/ccxt.js: ${e.message}`); process.exitCode = 2; });
