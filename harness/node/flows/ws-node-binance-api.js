#!/usr/bin/env node
// flows/ws-node-binance-api.js: the WebSocket flow of npm `node-binance-api`
// (ctest node_wsflow_node-binance-api). The SDK has no WS API order methods:
// per key type, userData() (signed userDataStream.subscribe.signature) and
// subscribe('<symbol>@trade'), then a REST marketBuy whose executionReport,
// outboundAccountPosition and trade must arrive (lib/drivers/node-binance-api-ws.js).
// RSA keys: the expected failure is asserted exactly - the subscription gets
// -1022 and the server's explain names ws-signature-encoded (the SDK
// percent-encodes the base64 signature it puts into the JSON frame); the SDK
// only logs it and retries on a 5 s timer, subscribed_callback never fires.
// Usage: node flows/ws-node-binance-api.js [--mock PATH] [--keys hmac,rsa2048,ed25519] [--timeout-s 30]
'use strict';
const assert = require('node:assert/strict');
const { mockStart, mockAdmin } = require('../lib/mock');
const { keysLoad } = require('../lib/keys');
const drvMod = require('../lib/drivers/node-binance-api');

const SYMBOL = 'BTCUSDT';

// rsaSubscriptionRefused: userData() with an RSA key; wait for the SDK's
// logged error (its only signal), then read the server's diagnosis.
async function rsaSubscriptionRefused(d, url, timeoutMs) {
  let logged;
  const seen = new Promise((resolve) => { logged = resolve; });
  d.client.Options.log = (...a) => { const l = a.join(' '); if (/User Data Stream subscription error/.test(l)) logged(l); };
  d.client.userData(() => {}, undefined, undefined, () => logged('subscribed'));
  let t;
  const line = await Promise.race([seen, new Promise((_, rej) => { t = setTimeout(() => rej(new Error('userData(): neither subscribed nor an error logged')), timeoutMs); })])
    .finally(() => clearTimeout(t));
  assert.notEqual(line, 'subscribed', 'RSA userData() subscribed: the SDK no longer percent-encodes the WS signature (update findings.md)');
  const j = await mockAdmin(url, 'GET', 'journal');
  const e = (Array.isArray(j) ? j : j.entries).filter((x) => x.method === 'userDataStream.subscribe.signature').pop();
  assert.ok(e, 'no userDataStream.subscribe.signature in the journal');
  assert.equal(e.code, -1022);
  assert.equal(e.explain && e.explain.mistake && e.explain.mistake.id, 'ws-signature-encoded');
  return `EXPECTED FAILURE (SDK bug): userDataStream.subscribe.signature -> -1022, explain ws-signature-encoded (signature ${e.signature.slice(0, 16)}…); the SDK only logged "${line.slice(0, 60)}"`;
}

async function main(argv) {
  const a = { mock: undefined, keys: ['hmac', 'rsa2048', 'ed25519'], timeoutS: 30 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mock') a.mock = argv[++i];
    else if (argv[i] === '--keys') a.keys = argv[++i].split(',');
    else if (argv[i] === '--timeout-s') a.timeoutS = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const m = await mockStart({ binary: a.mock });
  const hard = setTimeout(() => { console.log(`FAIL hard timeout ${a.timeoutS} s`); m.child.kill('SIGKILL'); process.exit(1); }, a.timeoutS * 1000);
  let failed = 0;
  try {
    for (const kn of a.keys) {
      const k = keysLoad(kn);
      const d = drvMod.create({ baseUrl: m.url, apiKey: k.apiKey, keyType: k.type, secret: k.secret, privateKey: k.privateKey, timeoutMs: 5000 });
      const steps = k.type === 'rsa' ? [['wsUserData', () => rsaSubscriptionRefused(d, m.url, 5000)]] : d.wsSteps(SYMBOL);
      for (const [name, fn] of steps) {
        const t0 = Date.now();
        try { console.log(`ok   node-binance-api ${kn} ${name}: ${await fn()} (${Date.now() - t0} ms)`); } catch (e) {
          failed++; console.log(`FAIL node-binance-api ${kn} ${name}: ${e.message.split('\n')[0]}`); break;
        }
      }
      // switch the SDK's reconnect/retry off and close its connections
      d.client.Options.reconnect = false;
      for (const id of Object.keys(d.client.wsApiConnections)) { try { d.client.terminateWsApi(id, false); } catch { /* closed */ } }
      await d.close();
      await mockAdmin(m.url, 'POST', 'reset', {});
    }
  } finally { clearTimeout(hard); await m.stop(); }
  console.log(`# node-binance-api ws: ${a.keys.length - failed}/${a.keys.length} key types passed`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => { process.exit(rc); }).catch((e) => { console.error(`flows/ws-node-binance-api.js: ${e.message}`); process.exit(2); });
