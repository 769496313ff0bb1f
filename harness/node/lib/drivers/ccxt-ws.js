// lib/drivers/ccxt-ws.js: the WebSocket half of the npm `ccxt` driver
// (lib/drivers/ccxt.js): the adapter's wsCall / wsClose and streamSubscribe
// through ccxt.pro's own unified methods, on the URLs ccxtLocal() rewrote
// (urls.api.ws['ws-api'].spot, urls.api.ws.spot) after loadHttpProxyAgent().
// - WS API: ccxt has no generic WS API call, only unified *Ws methods, so
//   wsCall maps Binance's method to the one ccxt method that sends it:
//   order.place / order.test -> createOrderWs (test: true), order.status ->
//   fetchOrderWs, order.cancel -> cancelOrderWs, account.status ->
//   fetchBalanceWs, openOrders.status -> fetchOpenOrdersWs. Every one is
//   signed by ccxt (signParams: apiKey, timestamp, sorted, rawencode, then
//   HMAC/RSA/Ed25519 by the secret's form); `data` is the unified result's
//   `info` (the frame's raw `result`). Any other method (ping,
//   session.logon, ...) has no ccxt method: unsupported.
// - User data: watchOrders() and watchBalance() (ccxt subscribes with
//   userDataStream.subscribe.signature on the WS API connection); every
//   executionReport / outboundAccountPosition reaches the buffer as the
//   unified object's `info` (the raw event).
// - Market streams: only <symbol>@trade maps to a ccxt method that surfaces
//   the raw event (watchTrades: each trade's `info`); depth diffs, partial
//   depth and klines come back as ccxt's own structures (a local book,
//   [t,o,h,l,c,v] rows) without the event: unsupported, with the reason.
'use strict';
const assert = require('node:assert/strict');
const { wsEventQueue } = require('../wsqueue');
const { mockAdmin } = require('../mock');
const { marketPlan } = require('../market');

const unsupported = (why) => { throw { unsupported: true, why }; };

function ccxtWs(ex) {
  const loops = [];
  const acks = wsEventQueue();
  // tap: ccxt binds exchange.handleMessage into each WS client it creates;
  // wrapping it on this instance (before any client exists) observes the
  // frames without changing what ccxt does with them.
  const handle = ex.handleMessage;
  ex.handleMessage = function tap(client, message) {
    if (message && !Array.isArray(message) && typeof message === 'object' && 'result' in message && 'id' in message
      && String(client.url).startsWith(ex.urls.api.ws.spot)) acks.push(message);
    return handle.call(this, client, message);
  };
  let closed = false;
  const unified = async (id) => {
    await ex.loadMarkets();
    const m = ex.safeMarket(String(id), undefined, undefined, 'spot');
    if (!m || !m.symbol || m.id !== String(id)) throw new Error(`ccxt has no spot market ${id}`);
    return m.symbol;
  };
  // order: Binance's order params -> createOrderWs(symbol, type, side, amount, price, rest)
  async function order(p, test) {
    const { symbol, type, side, quantity, price, ...rest } = p;
    const sym = await unified(symbol);
    const extra = { ...rest };
    if (test) extra.test = true;
    const o = await ex.createOrderWs(sym, String(type).toLowerCase(), String(side).toLowerCase(), quantity, price, extra);
    return test ? (o && o.info && Object.keys(o.info).length ? o.info : {}) : o.info;
  }
  const METHODS = {
    'order.place': (p) => order(p, false),
    'order.test': (p) => order(p, true),
    'order.status': async ({ symbol, orderId, ...rest }) => (await ex.fetchOrderWs(orderId !== undefined ? String(orderId) : undefined, await unified(symbol), rest)).info,
    'order.cancel': async ({ symbol, orderId, ...rest }) => (await ex.cancelOrderWs(orderId !== undefined ? String(orderId) : undefined, await unified(symbol), rest)).info,
    'account.status': async (p) => (await ex.fetchBalanceWs({ ...p })).info,
    'openOrders.status': async ({ symbol, ...rest }) => (await ex.fetchOpenOrdersWs(symbol ? await unified(symbol) : undefined, undefined, undefined, rest)).map((o) => o.info),
  };
  async function call({ method, params = {}, signed = false, session = false } = {}) {
    if (session) unsupported('ccxt has no session.logon: every WS API request is signed');
    const f = METHODS[method];
    if (!f) unsupported(`ccxt has no method that sends the WS API request ${method}`);
    if (!signed) unsupported(`ccxt signs every WS API request; ${method} unsigned is not possible`);
    return { data: await f({ ...params }) };
  }
  // loop: call watch() until closed, pushing what it yields; a rejection
  // (connection closed, unWatch) ends the loop.
  function loop(watch, push) {
    const run = () => { if (!closed) watch().then((xs) => { for (const x of xs) push(x); run(); }, () => {}); };
    run();
    loops.push(run);
  }
  async function subscribeUser() {
    await ex.loadMarkets();
    const q = wsEventQueue();
    // authenticate() alone first: it sends userDataStream.subscribe.signature
    // and resolves on its answer. Started together with watchBalance() and
    // watchOrders() (each calls authenticate() itself), the balance watch was
    // left waiting on a never-resolved 'authenticate:signature:spot' future in
    // about half the runs and outboundAccountPosition never surfaced.
    await ex.authenticate();
    const info = (x) => { if (x && x.info && typeof x.info.e === 'string') q.push(x.info); };
    loop(() => ex.watchOrders(), info);
    loop(() => ex.watchBalance().then((b) => [b]), info);
    await new Promise((r) => setImmediate(r));  // both watch() futures are registered by now
    return { events: q, close: async () => {} };
  }
  async function subscribeMarket(streams, combined) {
    if (combined) unsupported('ccxt opens one /ws connection and SUBSCRIBEs; it never uses /stream?streams=');
    const syms = [];
    for (const s of streams) {
      const m = /^([a-z0-9]+)@trade$/.exec(s);
      if (!m) unsupported(`ccxt surfaces no raw event for ${s} (watchOrderBook keeps a local book, watchOHLCV gives [t,o,h,l,c,v] rows: no depthUpdate, no kline x flag)`);
      syms.push(await unified(m[1].toUpperCase()));
    }
    const q = wsEventQueue();
    for (const sym of syms) {
      // watchTrades resolves on the first trade; its SUBSCRIBE is answered
      // before that: wait for ccxt's subscription to be confirmed.
      loop(() => ex.watchTrades(sym), (t) => { if (t && t.info) q.push(t.info); });
    }
    await subscribed(syms.length);
    return { events: q, close: async () => { for (const sym of syms) await ex.unWatchTrades(sym).catch(() => {}); } };
  }
  // subscribed: ccxt hides the market stream's SUBSCRIBE answer (its
  // handleSubscriptionStatus keeps nothing a caller can await); tap() sees
  // every raw frame on its way into ccxt's own handleMessage, so the driver
  // waits for `{"result":null,"id":…}` before events can be caused.
  async function subscribed(n) {
    for (let i = 0; i < n; i++) {
      const ack = await acks.next((m) => m && 'result' in m && 'id' in m, 10000, 'SUBSCRIBE answer');
      if (ack.result !== null) throw new Error(`SUBSCRIBE answered ${JSON.stringify(ack)}`);
    }
  }
  async function streamSubscribe({ kind, streams = [], combined = false } = {}) {
    if (kind === 'userData') return subscribeUser();
    if (kind === 'market' && Array.isArray(streams) && streams.length) return subscribeMarket(streams.map(String), !!combined);
    throw new Error(`streamSubscribe: unknown kind ${JSON.stringify(kind)}`);
  }
  async function close() {
    closed = true;
    loops.splice(0);
    await ex.close().catch(() => {});
    return {};
  }
  // closeApi: close the WS API connection only (ccxt keeps one client per URL).
  async function closeApi() {
    const url = ex.urls.api.ws['ws-api'].spot;
    const c = ex.clients[url];
    if (c) { delete ex.clients[url]; await c.close().catch(() => {}); }
    return {};
  }
  return { call, close, closeApi, streamSubscribe };
}

// ccxtWsSteps: the flow's WebSocket steps (lib/flow.js runs them after the
// common ones, per key type): user data via watchOrders/watchBalance, then
// every order through ccxt's WS API methods, each answer and its
// executionReport asserted; then the server drops every WS connection and
// the next *Ws call must work (ccxt reconnects on demand). Every event is
// caused by the flow's own orders: no clock, no waiting on timers.
function ccxtWsSteps(ex, ws, cfg, symbol) {
  const st = {};
  const report = (q, pred, what) => q.next(pred, 5000, what);
  return [
    ['wsUserData', async () => {
      st.sym = ex.markets_by_id[symbol].find((m) => m.spot).symbol;
      st.sub = await ws.streamSubscribe({ kind: 'userData' });
      const info = await ex.publicGetExchangeInfo({ symbol });
      const book = await ex.publicGetDepth({ symbol, limit: 5 });
      st.plan = marketPlan(info.symbols[0], { bid: Number(book.bids[0][0]), ask: Number(book.asks[0][0]) });
      return `authenticate() (userDataStream.subscribe.signature), then watchOrders() + watchBalance() armed`;
    }],
    ['createOrderWs', async () => {
      const o = await ex.createOrderWs(st.sym, 'limit', 'buy', st.plan.qty, st.plan.restPrice, { timeInForce: 'GTC' });
      assert.equal(o.info.status, 'NEW');
      assert.equal(o.status, 'open');
      st.limitId = o.id;
      const ev = await report(st.sub.events, (e) => e.e === 'executionReport' && String(e.i) === o.id && e.X === 'NEW', 'executionReport NEW');
      assert.equal(ev.s, symbol);
      return `order.place LIMIT ${st.plan.qty} @ ${st.plan.restPrice}: NEW (order ${o.id}), executionReport NEW via watchOrders()`;
    }],
    ['fetchOrderWs', async () => {
      const o = await ex.fetchOrderWs(st.limitId, st.sym);
      assert.equal(o.info.status, 'NEW');
      return `order.status ${st.limitId}: NEW`;
    }],
    ['cancelOrderWs', async () => {
      const o = await ex.cancelOrderWs(st.limitId, st.sym);
      assert.equal(o.info.status, 'CANCELED');
      await report(st.sub.events, (e) => e.e === 'executionReport' && String(e.i) === st.limitId && e.X === 'CANCELED', 'executionReport CANCELED');
      return `order.cancel ${st.limitId}: CANCELED, executionReport CANCELED`;
    }],
    ['marketOrderWs', async () => {
      const o = await ex.createOrderWs(st.sym, 'market', 'buy', st.plan.qty, undefined);
      assert.equal(o.info.status, 'FILLED');
      const ev = await report(st.sub.events, (e) => e.e === 'executionReport' && String(e.i) === o.id && e.X === 'FILLED', 'executionReport FILLED');
      assert.ok(o.info.fills.some((f) => f.tradeId === ev.t), `trade ${ev.t} not among the order's fills`);
      const pos = await report(st.sub.events, (e) => e.e === 'outboundAccountPosition', 'outboundAccountPosition');
      const base = symbol.replace(/USDT$/, '');
      assert.ok(pos.B.some((b) => b.a === base), `outboundAccountPosition without ${base}`);
      return `order.place MARKET: FILLED (order ${o.id}), executionReport FILLED trade ${ev.t}, outboundAccountPosition via watchBalance()`;
    }],
    ['wsReconnect', async () => {
      const before = await ex.fetchBalanceWs();
      const url = ex.urls.api.ws['ws-api'].spot;
      const old = ex.clients[url];
      // ccxt's own onclose runs first (registered at connect), so once this
      // listener fires ccxt has dropped the client (Exchange.onClose)
      const closed = new Promise((r) => old.connection.once('close', (code) => r(code)));
      await mockAdmin(cfg.baseUrl, 'POST', 'ws/drop', {});
      const code = await closed;
      assert.equal(ex.clients[url], undefined, 'ccxt kept the dropped client');
      const b = await ex.fetchBalanceWs();     // ccxt dials again on demand
      assert.ok(ex.clients[url] && ex.clients[url] !== old);
      assert.equal(b.info.balances.length, before.info.balances.length);
      return `POST /__admin/ws/drop closed ccxt's WS API connection (code ${code}); the next fetchBalanceWs() dialled a new one and succeeded`;
    }],
  ];
}

module.exports = { ccxtWs, ccxtWsSteps };
