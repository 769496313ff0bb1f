// lib/wsflow.js: the WebSocket user flow of issue 5, run through one SDK's WS
// driver (lib/ws-<sdk>.js) per key type: connect (Ed25519: session.logon +
// session.status), exchangeInfo + depth on the WS API, LIMIT order that rests,
// order.status, order.cancel, user data subscription, a trade stream on the
// SDK's stream client, MARKET order that fills, its executionReport and
// outboundAccountPosition events, its trade on the trade stream, an OCO and
// an OTO through the SDK's own list methods with their listStatus events,
// userDataStream.unsubscribe (+ eventStreamTerminated), and a signed
// order.test on a non-ASCII symbol (the SDKs' known percent-encoding bug:
// asserted as an expected -1022 for signed requests). Each step asserts its
// result and prints one line.
// Usage: node flows/ws-<sdk>.js [--server URL | --mock PATH] [--keys hmac,...]
//                               [--symbol BTCUSDT] [--timeout-s 30]
// Exit status: 0 when every step of every key type passed, 1 otherwise; a
// hard timer ends the process with 1 if the whole flow overruns.
'use strict';
const assert = require('node:assert/strict');
const { mockStart, mockAdmin } = require('./mock');
const { keysLoad } = require('./keys');
const { marketPlan, marketFloor } = require('./market');

const UNICODE_SYMBOL = '这是测试币456';
const EVENT_MS = 5000;
const num = (s) => Number(s);

function wsflowArgs(argv, keyTypes) {
  const a = { server: process.env.BC_SERVER_URL, mock: undefined, keys: keyTypes, symbol: 'BTCUSDT', timeoutS: 30 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--server': a.server = v; i++; break;
      case '--mock': a.mock = v; i++; break;
      case '--keys': a.keys = v.split(','); i++; break;
      case '--symbol': a.symbol = v; i++; break;
      case '--timeout-s': a.timeoutS = Number(v); i++; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return a;
}

function wsflowDescribe(d, e) {
  if (e instanceof assert.AssertionError) return `assertion: ${e.message.split('\n')[0]}`;
  const x = d.errorOf(e);
  return x.kind === 'ws' ? `status ${x.status} code ${x.code} msg ${JSON.stringify(x.msg)}` : `transport: ${x.message}`;
}

// wsflowJournalMistake: the explain record of the newest journaled WS request
// of `method` (the mock names the signing mistake it recognised).
async function wsflowJournalMistake(url, method) {
  const j = await mockAdmin(url, 'GET', 'journal');
  const list = Array.isArray(j) ? j : (j.entries || j.journal || []);
  const hits = list.filter((r) => r.transport === 'ws' && r.method === method);
  const r = hits[hits.length - 1];
  const ex = r && r.explain;
  return ex && ((ex.mistake && (ex.mistake.id || ex.mistake)) || ex.id || JSON.stringify(ex));
}

// listFlow: place an OCO or OTO with the driver's placeOco/placeOto (the
// SDK's method), see its listStatus EXEC_STARTED, cancel it with
// cancelOrderList, see listStatus ALL_DONE. A driver without the method
// prints why (the SDK has none).
async function listFlow(d, st, c, kind) {
  const place = kind === 'oco' ? d.placeOco : d.placeOto;
  if (!place || !d.cancelOrderList) return `no ${kind.toUpperCase()} method in ${d.sdk}: not run`;
  const pf = (st.sym.filters || []).find((f) => f.filterType === 'PRICE_FILTER') || {};
  const tick = pf.tickSize || '0.01';
  const book = await d.depth(c.symbol);
  const hi = marketFloor(num(book.asks[0][0]) * 1.05, tick), lo = marketFloor(num(book.bids[0][0]) * 0.95, tick);
  const q = st.plan.qty;
  const lcid = `flow-${kind}-${Date.now() % 100000}`;
  const p = kind === 'oco'
    ? { symbol: c.symbol, side: 'SELL', quantity: q, aboveType: 'LIMIT_MAKER', abovePrice: hi,
      belowType: 'STOP_LOSS', belowStopPrice: lo, listClientOrderId: lcid }
    : { symbol: c.symbol, workingType: 'LIMIT', workingSide: 'BUY', workingPrice: st.plan.restPrice,
      workingQuantity: q, workingTimeInForce: 'GTC', pendingType: 'LIMIT', pendingSide: 'SELL',
      pendingPrice: hi, pendingQuantity: q, pendingTimeInForce: 'GTC', listClientOrderId: lcid };
  const r = await place(p);
  assert.equal(r.listStatusType, 'EXEC_STARTED');
  assert.equal(r.listClientOrderId, lcid);
  assert.equal(r.orders.length, 2);
  const lid = r.orderListId;
  const mine = (e) => e.e === 'listStatus' && e.g === lid;
  const ev = await d.userEvents.next((e) => mine(e) && e.l === 'EXEC_STARTED', EVENT_MS, `listStatus EXEC_STARTED of list ${lid}`);
  assert.equal(ev.c, kind.toUpperCase());
  assert.equal(ev.L, 'EXECUTING');
  assert.equal(ev.C, lcid);
  const x = await d.cancelOrderList({ symbol: c.symbol, orderListId: lid });
  assert.equal(x.listOrderStatus, 'ALL_DONE');
  const done = await d.userEvents.next((e) => mine(e) && e.L === 'ALL_DONE', EVENT_MS, `listStatus ALL_DONE of list ${lid}`);
  assert.equal(done.l, 'ALL_DONE');
  return `orderList.place.${kind} list ${lid} -> listStatus ${ev.l}/${ev.L}; orderList.cancel -> listStatus ${done.l}/${done.L}`;
}

// wsflowSteps: the ordered steps; each gets the driver, the shared state and
// the run context {url, key, symbol}.
function wsflowSteps() {
  return [
    ['connect', async (d, st, c) => {
      const r = await d.connect();
      if (d.mode === 'session') {
        assert.equal(r.session.apiKey, c.key.apiKey, 'session.status names the logged-on key');
        assert.equal(typeof r.session.authorizedSince, 'number');
        return `session.logon ok, session.status apiKey ${c.key.apiKey.slice(0, 8)}…`;
      }
      assert.deepEqual(r.ping, {});
      return 'connected, ping {} (per-request signing)';
    }],
    ['exchangeInfo', async (d, st, c) => {
      const r = await d.exchangeInfo(c.symbol);
      assert.ok(Array.isArray(r.symbols) && r.symbols.length === 1, 'one symbol');
      st.sym = r.symbols[0];
      assert.equal(st.sym.symbol, c.symbol);
      const book = await d.depth(c.symbol);
      assert.ok(book.bids.length > 0 && book.asks.length > 0, 'book has both sides');
      const bid = num(book.bids[0][0]); const ask = num(book.asks[0][0]);
      assert.ok(bid < ask, 'best bid < best ask');
      st.plan = marketPlan(st.sym, { bid, ask, avg: (bid + ask) / 2 });
      return `${c.symbol} bid ${book.bids[0][0]} ask ${book.asks[0][0]}`;
    }],
    ['limitOrder', async (d, st, c) => {
      const r = await d.placeOrder({ symbol: c.symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC',
        quantity: st.plan.qty, price: st.plan.restPrice, newOrderRespType: 'RESULT' });
      assert.equal(r.status, 'NEW');
      assert.equal(typeof r.orderId, 'number');
      assert.equal(num(r.price), num(st.plan.restPrice));
      st.limit = r;
      return `order.place orderId ${r.orderId} BUY ${st.plan.qty} @ ${st.plan.restPrice} NEW`;
    }],
    ['orderStatus', async (d, st, c) => {
      const r = await d.orderStatus({ symbol: c.symbol, orderId: st.limit.orderId });
      assert.equal(r.orderId, st.limit.orderId);
      assert.equal(r.clientOrderId, st.limit.clientOrderId);
      assert.equal(r.status, 'NEW');
      return `order.status orderId ${r.orderId} NEW`;
    }],
    ['cancelOrder', async (d, st, c) => {
      const r = await d.cancelOrder({ symbol: c.symbol, orderId: st.limit.orderId });
      assert.equal(r.orderId, st.limit.orderId);
      assert.equal(r.status, 'CANCELED');
      const again = await d.orderStatus({ symbol: c.symbol, orderId: st.limit.orderId });
      assert.equal(again.status, 'CANCELED');
      return `order.cancel orderId ${r.orderId} CANCELED (order.status agrees)`;
    }],
    ['subscribeUserData', async (d, st) => {
      const r = await d.subscribeUserData();
      assert.equal(typeof r.subscriptionId, 'number', 'subscriptionId');
      st.subId = r.subscriptionId;
      return `${d.mode === 'session' ? 'userDataStream.subscribe' : 'userDataStream.subscribe.signature'} subscriptionId ${r.subscriptionId}`;
    }],
    ['tradeStream', async (d, st, c) => {
      st.stream = await d.streamOpen(c.symbol);
      return `subscribed ${c.symbol.toLowerCase()}@trade on ${st.stream.url}`;
    }],
    ['marketOrder', async (d, st, c) => {
      const r = await d.placeOrder({ symbol: c.symbol, side: 'BUY', type: 'MARKET', quantity: st.plan.qty, newOrderRespType: 'FULL' });
      assert.equal(r.status, 'FILLED');
      assert.equal(num(r.executedQty), num(st.plan.qty));
      assert.ok(Array.isArray(r.fills) && r.fills.length > 0, 'FULL response has fills');
      st.market = r;
      return `order.place MARKET orderId ${r.orderId} FILLED ${r.executedQty} in ${r.fills.length} fill(s)`;
    }],
    ['executionReport', async (d, st, c) => {
      const mine = (e) => e.e === 'executionReport' && e.i === st.market.orderId;
      const ev = await d.userEvents.next((e) => mine(e) && e.X === 'FILLED', EVENT_MS, `executionReport X=FILLED for order ${st.market.orderId}`);
      assert.equal(ev.s, c.symbol);
      assert.equal(ev.S, 'BUY');
      assert.equal(ev.x, 'TRADE');
      assert.equal(num(ev.z), num(st.market.executedQty), 'cumulative filled qty');
      st.tradeIds = new Set(st.market.fills.map((f) => f.tradeId));
      assert.ok(st.tradeIds.has(ev.t), `trade id ${ev.t} is one of the response's fills`);
      return `executionReport i=${ev.i} x=${ev.x} X=${ev.X} z=${ev.z} t=${ev.t}`;
    }],
    ['accountPosition', async (d, st) => {
      const ev = await d.userEvents.next((e) => e.e === 'outboundAccountPosition', EVENT_MS, 'outboundAccountPosition');
      assert.ok(Array.isArray(ev.B) && ev.B.length > 0, 'balances B[]');
      const assets = ev.B.map((b) => b.a);
      for (const a of [st.sym.baseAsset, st.sym.quoteAsset]) assert.ok(assets.includes(a), `balance of ${a}`);
      return `outboundAccountPosition with ${assets.join(', ')}`;
    }],
    ['tradeEvent', async (d, st, c) => {
      const ev = await st.stream.events.next((e) => st.tradeIds.has(e.t), EVENT_MS, `trade event for trade ids ${[...st.tradeIds].join(',')}`);
      assert.equal(ev.s, c.symbol);
      assert.equal(num(ev.q), num(st.market.fills.find((f) => f.tradeId === ev.t).qty));
      return `${c.symbol.toLowerCase()}@trade t=${ev.t} p=${ev.p} q=${ev.q}`;
    }],
    // Order lists through the SDK's own methods (where it has them), while
    // the user-data subscription is open: an OCO (LIMIT_MAKER above the ask,
    // STOP_LOSS below the bid) and an OTO (working BUY LIMIT that rests,
    // pending SELL LIMIT), each cancelled; the listStatus events must show
    // EXEC_STARTED and then ALL_DONE.
    ['ocoList', async (d, st, c) => listFlow(d, st, c, 'oco')],
    ['otoList', async (d, st, c) => listFlow(d, st, c, 'oto')],
    ['legacyUserData', async (d) => {
      if (!d.legacyUserDataStart) return null;     // not applicable: no line
      const f = await d.legacyUserDataStart();
      assert.equal(f.status, 400, `userDataStream.start answered ${JSON.stringify(f).slice(0, 200)}: retired method accepted?`);
      assert.equal(f.error.code, -1020);
      return `EXPECTED FAILURE (SDK gap): the SDK's only WS user-data wrapper startUserDataStream() -> userDataStream.start, retired: ${f.error.code} ${JSON.stringify(f.error.msg)}`;
    }],
    ['unsubscribeUserData', async (d, st) => {
      const r = await d.unsubscribeUserData(st.subId);
      assert.deepEqual(r, {});
      const ev = await d.userEvents.next((e) => e.e === 'eventStreamTerminated', EVENT_MS, 'eventStreamTerminated');
      assert.equal(typeof ev.E, 'number');
      return `userDataStream.unsubscribe {} (subscription ${st.subId}), eventStreamTerminated received`;
    }],
    ['testOrderUnicode', async (d, st, c) => {
      const info = await d.exchangeInfo(UNICODE_SYMBOL);
      const sym = info.symbols[0];
      assert.equal(sym.symbol, UNICODE_SYMBOL);
      const plan = marketPlan(sym, { bid: 1, ask: 1, avg: 1 });
      const p = { symbol: UNICODE_SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: plan.qty, price: plan.restPrice };
      if (d.mode === 'session') {
        assert.deepEqual(await d.testOrder(p), {});
        return `order.test on ${UNICODE_SYMBOL} accepted (session: no signature to get wrong)`;
      }
      let err = null;
      try { await d.testOrder(p); } catch (e) { err = e; }
      assert.ok(err, `signed order.test on ${UNICODE_SYMBOL} accepted: the SDK's percent-encoding bug is fixed, update this step`);
      const x = d.errorOf(err);
      assert.equal(x.kind, 'ws', wsflowDescribe(d, err));
      assert.equal(x.code, -1022, wsflowDescribe(d, err));
      const mistake = await wsflowJournalMistake(c.url, 'order.test');
      assert.equal(mistake, 'ws-percent-encoded', 'journal explain names the mistake');
      return `EXPECTED FAILURE (SDK bug): signed order.test on ${UNICODE_SYMBOL} -> ${x.code}, explain ${mistake}`;
    }],
  ];
}

// wsflowRunKey: all steps for one key type; returns the number of failures (0/1).
async function wsflowRunKey(mod, url, keyName, symbol) {
  const key = keysLoad(keyName);
  const wsBase = url.replace(/^http/, 'ws');
  let d;
  try { d = mod.create({ wsBase, key }); } catch (e) {
    if (e.unsupported) { console.log(`skip ${mod.name} ${keyName}: ${e.message}`); return 0; }
    throw e;
  }
  const st = {};
  const c = { url, key, symbol };
  try {
    for (const [name, fn] of wsflowSteps()) {
      const t0 = Date.now();
      try {
        const msg = await fn(d, st, c);
        if (msg !== null) console.log(`ok   ${mod.name} ${keyName} ${name}: ${msg} (${Date.now() - t0} ms)`);
      } catch (e) {
        console.log(`FAIL ${mod.name} ${keyName} ${name}: ${wsflowDescribe(d, e)}`);
        return 1;
      }
    }
  } finally {
    await d.close().catch(() => {});
  }
  return 0;
}

// wsflowMain: entry point of flows/ws-<sdk>.js; exits the process itself
// (the SDKs keep reconnect/ping timers alive).
async function wsflowMain(mod, argv) {
  const a = wsflowArgs(argv, mod.keyTypes);
  const hard = setTimeout(() => { console.log(`FAIL ${mod.name}: hard timeout ${a.timeoutS} s`); process.exit(1); }, a.timeoutS * 1000);
  let mock = null; let failed = 0;
  try {
    if (!a.server) { mock = await mockStart({ binary: a.mock }); a.server = mock.url; }
    console.log(`# ${mod.sdk}@${mod.version} WebSocket flow against ${a.server}, keys ${a.keys.join(',')}`);
    if (mod.unsupported) console.log(`# ${mod.sdk}: not supported by the SDK: ${mod.unsupported}`);
    for (const k of a.keys) failed += await wsflowRunKey(mod, a.server, k, a.symbol);
    console.log(`# ${mod.sdk}: ${a.keys.length - failed}/${a.keys.length} key types passed`);
  } catch (e) {
    console.log(`FAIL ${mod.name}: ${e && e.stack ? e.stack.split('\n')[0] : e}`);
    failed++;
  } finally {
    if (mock) await mock.stop();
    clearTimeout(hard);
  }
  process.exit(failed ? 1 : 0);
}

module.exports = { wsflowMain, wsflowSteps, wsflowArgs, UNICODE_SYMBOL };
