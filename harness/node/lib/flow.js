// lib/flow.js: the full user flow of issue 3, run through one SDK driver per
// key type: time, exchangeInfo, account, LIMIT order that rests, query it,
// cancel it, MARKET order that fills, myTrades shows the fill, order/test
// (+ computeCommissionRates, a non-ASCII symbol and reserved characters in
// newClientOrderId). Each step asserts its result and prints one line.
// Usage: node flows/<sdk>.js [--server URL | --mock PATH] [--keys hmac,rsa2048,...]
//                            [--symbol BTCUSDT]
// Without --server (or $BC_SERVER_URL) it starts binance-mock on port 0 itself.
// Exit status: 0 when every step of every key type passed, 1 otherwise.
'use strict';
const assert = require('node:assert/strict');
const { mockStart, mockAdmin } = require('./mock');
const { keysLoad } = require('./keys');
const { marketPlan } = require('./market');

const UNICODE_SYMBOL = '这是测试币456';

function flowArgs(argv) {
  const a = { server: process.env.BC_SERVER_URL, mock: undefined,
    keys: ['hmac', 'rsa2048', 'rsa4096', 'ed25519'], symbol: 'BTCUSDT' };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--server': a.server = v; i++; break;
      case '--mock': a.mock = v; i++; break;
      case '--keys': a.keys = v.split(','); i++; break;
      case '--symbol': a.symbol = v; i++; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return a;
}

// flowDescribe: one line for a failure surfaced by the SDK.
function flowDescribe(driverMod, e) {
  if (e instanceof assert.AssertionError) return `assertion: ${e.message.split('\n')[0]}`;
  const x = driverMod.errorOf(e);
  return x.kind === 'http' ? `HTTP ${x.status ?? '?'} code ${x.code} msg ${JSON.stringify(x.msg)}` : `transport: ${x.message}`;
}

const num = (s) => Number(s);
const fmt = (x) => String(Number(x.toFixed(8)));

// flowSteps: the ordered steps; each gets the shared state object.
function flowSteps(symbol) {
  return [
    // startup: the library's own start-up path (ccxt: loadMarkets()), when
    // the driver has one; every request it makes must succeed.
    ['startup', async (d) => {
      if (d.ready) await d.ready;
      if (!d.startup) return null;
      return `start-up path ok (${await d.startup()})`;
    }],
    ['time', async (d, st) => {
      const r = await d.time();
      assert.equal(typeof r.serverTime, 'number');
      assert.ok(Math.abs(r.serverTime - Date.now()) < 60000, 'serverTime near local clock');
      return `serverTime ${r.serverTime}`;
    }],
    ['exchangeInfo', async (d, st) => {
      const r = await d.exchangeInfo({ symbol });
      assert.ok(Array.isArray(r.symbols) && r.symbols.length === 1, 'one symbol');
      st.sym = r.symbols[0];
      assert.equal(st.sym.symbol, symbol);
      const types = st.sym.filters.map((f) => f.filterType);
      for (const t of ['PRICE_FILTER', 'LOT_SIZE']) assert.ok(types.includes(t), `filter ${t}`);
      const book = await d.depth({ symbol, limit: 5 });
      assert.ok(book.bids.length > 0 && book.asks.length > 0, 'book has both sides');
      const bid = num(book.bids[0][0]); const ask = num(book.asks[0][0]);
      assert.ok(bid < ask, 'best bid < best ask');
      st.plan = marketPlan(st.sym, { bid, ask, avg: (bid + ask) / 2 });
      return `${symbol} filters ${types.length}, bid ${book.bids[0][0]} ask ${book.asks[0][0]}`;
    }],
    ['account', async (d, st) => {
      const r = await d.account();
      assert.equal(r.canTrade, true);
      const bal = (a) => r.balances.find((b) => b.asset === a);
      st.base0 = num((bal(st.sym.baseAsset) || { free: '0' }).free);
      assert.ok(bal(st.sym.quoteAsset) && num(bal(st.sym.quoteAsset).free) > 0, 'quote balance');
      return `${r.balances.length} balances, ${st.sym.baseAsset} free ${st.base0}`;
    }],
    ['limitOrder', async (d, st) => {
      const r = await d.newOrder({ symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC',
        quantity: st.plan.qty, price: st.plan.restPrice });
      assert.equal(r.status, 'NEW');
      assert.equal(typeof r.orderId, 'number');
      assert.equal(num(r.price), num(st.plan.restPrice));
      st.limit = r;
      return `orderId ${r.orderId} BUY ${st.plan.qty} @ ${st.plan.restPrice} NEW`;
    }],
    ['getOrder', async (d, st) => {
      const r = await d.getOrder({ symbol, orderId: st.limit.orderId });
      assert.equal(r.orderId, st.limit.orderId);
      assert.equal(r.clientOrderId, st.limit.clientOrderId);
      assert.equal(r.status, 'NEW');
      assert.equal(num(r.origQty), num(st.plan.qty));
      return `orderId ${r.orderId} status ${r.status}`;
    }],
    ['cancelOrder', async (d, st) => {
      const r = await d.cancelOrder({ symbol, orderId: st.limit.orderId });
      assert.equal(r.orderId, st.limit.orderId);
      assert.equal(r.status, 'CANCELED');
      const open = await d.openOrders({ symbol });
      assert.ok(!open.some((o) => o.orderId === st.limit.orderId), 'not in openOrders');
      return `orderId ${r.orderId} CANCELED`;
    }],
    ['marketOrder', async (d, st) => {
      const r = await d.newOrder({ symbol, side: 'BUY', type: 'MARKET', quantity: st.plan.qty });
      assert.equal(r.status, 'FILLED');
      assert.equal(num(r.executedQty), num(st.plan.qty));
      assert.ok(Array.isArray(r.fills) && r.fills.length > 0, 'FULL response has fills');
      st.market = r;
      return `orderId ${r.orderId} FILLED ${r.executedQty} in ${r.fills.length} fill(s)`;
    }],
    ['myTrades', async (d, st) => {
      const r = await d.myTrades({ symbol, orderId: st.market.orderId });
      assert.ok(r.length > 0, 'trades for the market order');
      for (const t of r) { assert.equal(t.orderId, st.market.orderId); assert.equal(t.isBuyer, true); }
      const sum = r.reduce((s, t) => s + num(t.qty), 0);
      assert.ok(Math.abs(sum - num(st.market.executedQty)) < 1e-9, `trade qty ${sum} = executedQty`);
      const acct = await d.account();
      const base = num(acct.balances.find((b) => b.asset === st.sym.baseAsset).free);
      assert.ok(base > st.base0, `${st.sym.baseAsset} balance grew`);
      return `${r.length} trade(s), qty ${fmt(sum)}, ${st.sym.baseAsset} free ${fmt(st.base0)} -> ${fmt(base)}`;
    }],
    ['testOrder', async (d, st) => {
      const r = await d.testOrder({ symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC',
        quantity: st.plan.qty, price: st.plan.restPrice });
      assert.deepEqual(r, {});
      const c = await d.testOrder({ symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC',
        quantity: st.plan.qty, price: st.plan.restPrice, computeCommissionRates: true });
      for (const k of ['standardCommissionForOrder', 'taxCommissionForOrder', 'discount']) assert.ok(c[k], k);
      return `{} and commission rates (maker ${c.standardCommissionForOrder.maker})`;
    }],
    ['testOrderUnicode', async (d, st) => {
      const info = await d.exchangeInfo({ symbol: UNICODE_SYMBOL });
      const sym = info.symbols[0];
      assert.equal(sym.symbol, UNICODE_SYMBOL);
      const book = await d.depth({ symbol: UNICODE_SYMBOL, limit: 5 });
      const bid = num(book.bids[0] ? book.bids[0][0] : 0); const ask = num(book.asks[0] ? book.asks[0][0] : 0);
      const plan = marketPlan(sym, { bid, ask, avg: bid && ask ? (bid + ask) / 2 : (bid || ask) });
      const r = await d.testOrder({ symbol: UNICODE_SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC',
        quantity: plan.qty, price: plan.restPrice, newClientOrderId: 'flow-unicode_1' });
      assert.deepEqual(r, {});
      return `signed order/test on ${UNICODE_SYMBOL} with newClientOrderId 'flow-unicode_1' accepted`;
    }],
  ];
}

// flowRunKey: all steps for one key type; returns the number of failures (0/1).
async function flowRunKey(driverMod, url, keyName, symbol) {
  const k = keysLoad(keyName);
  const d = driverMod.create({ baseUrl: url, apiKey: k.apiKey, keyType: k.type, secret: k.secret,
    privateKey: k.privateKey, timeWorkaround: true });
  const st = {};
  // a driver's extraSteps (same shape) run after the common ones
  for (const [name, fn] of [...flowSteps(symbol), ...(d.extraSteps ? d.extraSteps(symbol) : [])]) {
    const t0 = Date.now();
    try {
      const msg = await fn(d, st);
      if (msg === null) continue;
      console.log(`ok   ${driverMod.name} ${keyName} ${name}: ${msg} (${Date.now() - t0} ms)`);
    } catch (e) {
      if (d.close) await d.close();
      const known = driverMod.knownBugs && driverMod.knownBugs[keyName];
      if (known && await flowKnownBug(driverMod, url, e, known)) {
        console.log(`ok   ${driverMod.name} ${keyName} ${name}: EXPECTED FAILURE (SDK bug): -1022, explain ${known.mistake}: ${known.why}`);
        return 0;
      }
      console.log(`FAIL ${driverMod.name} ${keyName} ${name}: ${flowDescribe(driverMod, e)}`);
      return 1;
    }
  }
  if (d.close) await d.close();
  const known = driverMod.knownBugs && driverMod.knownBugs[keyName];
  if (known) {
    console.log(`FAIL ${driverMod.name} ${keyName}: every step passed, the known SDK bug (${known.mistake}) did not show: fixed? update knownBugs`);
    return 1;
  }
  return 0;
}

// flowKnownBug: e is the -1022 the driver's knownBugs[key] predicts, and the
// mock's journal diagnoses the newest -1022 as that mistake.
async function flowKnownBug(driverMod, url, e, known) {
  const x = driverMod.errorOf(e);
  if (x.kind !== 'http' || x.code !== -1022) return false;
  const j = await mockAdmin(url, 'GET', 'journal');
  const list = (Array.isArray(j) ? j : (j.entries || j.journal || [])).filter((r) => r.code === -1022);
  const r = list[list.length - 1];
  return !!(r && r.explain && r.explain.mistake && r.explain.mistake.id === known.mistake);
}

// flowMain: entry point of flows/<sdk>.js.
async function flowMain(driverMod, argv) {
  const a = flowArgs(argv);
  let mock = null;
  if (!a.server) { mock = await mockStart({ binary: a.mock }); a.server = mock.url; }
  console.log(`# ${driverMod.sdk}@${driverMod.version} against ${a.server}, keys ${a.keys.join(',')}`);
  let failed = 0;
  try {
    for (const k of a.keys) failed += await flowRunKey(driverMod, a.server, k, a.symbol);
  } finally {
    if (mock) await mock.stop();
  }
  console.log(`# ${driverMod.sdk}: ${a.keys.length - failed}/${a.keys.length} key types passed`);
  return failed ? 1 : 0;
}

module.exports = { flowMain, flowArgs, flowSteps, UNICODE_SYMBOL };
