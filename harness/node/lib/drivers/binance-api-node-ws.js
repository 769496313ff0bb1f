// lib/drivers/binance-api-node-ws.js: the WebSocket half of the
// `binance-api-node` driver (lib/drivers/binance-api-node.js): the adapter's
// streamSubscribe through the SDK's client.ws.* helpers, and its user data.
// - Market streams: each helper opens its own /ws/<name> connection
//   (reconnecting-websocket, no SUBSCRIBE frame, never /stream): depth
//   ('BTCUSDT@100ms' -> btcusdt@depth@100ms), partialDepth ({symbol, level}
//   -> btcusdt@depth5), candles (btcusdt@kline_1m), trades, aggTrades. The
//   SDK's third argument `transform = false` hands the callback the raw event.
//   The helpers return only a close function: no open event reaches the
//   caller, so the driver waits until the server lists the connection
//   (POST /__admin/ws/list) before events can be caused - a wait an SDK
//   user cannot make (findings.md).
// - User data: client.ws.user(cb, false) opens the WS API connection (option
//   wsApi), sends userDataStream.subscribe.signature and resolves on its
//   answer; events come as {type: <e>, ...} (the SDK renames `e` even with
//   transform off). The SDK has no other WS API method (no order.*, ping,
//   session.logon).
'use strict';
const assert = require('node:assert/strict');
const { wsEventQueue } = require('../wsqueue');
const { mockStreamsListed } = require('../mock');

const unsupported = (why) => { throw { unsupported: true, why }; };

// streamHelper: Binance stream name -> (client, cb) => close, via the SDK helper
function streamHelper(name) {
  let m;
  if ((m = /^([a-z0-9]+)@depth(?:@(\d+ms))?$/.exec(name))) {
    const arg = m[1].toUpperCase() + (m[2] ? `@${m[2]}` : '');
    return (c, cb) => c.ws.depth(arg, cb, false);
  }
  if ((m = /^([a-z0-9]+)@depth(5|10|20)(?:@(\d+ms))?$/.exec(name))) {
    const sym = m[1].toUpperCase() + (m[3] ? `@${m[3]}` : '');
    return (c, cb) => c.ws.partialDepth({ symbol: sym, level: Number(m[2]) }, cb, false);
  }
  if ((m = /^([a-z0-9]+)@kline_(\w+)$/.exec(name))) return (c, cb) => c.ws.candles(m[1].toUpperCase(), m[2], cb, false);
  if ((m = /^([a-z0-9]+)@trade$/.exec(name))) return (c, cb) => c.ws.trades(m[1].toUpperCase(), cb, false);
  if ((m = /^([a-z0-9]+)@aggTrade$/.exec(name))) return (c, cb) => c.ws.aggTrades(m[1].toUpperCase(), cb, false);
  return null;
}

function bapiWs(client, cfg) {
  const closers = [];
  const listed = (names) => mockStreamsListed(cfg.baseUrl, names);
  async function subscribeMarket(streams, combined) {
    if (combined) unsupported('binance-api-node opens one /ws/<name> connection per stream; it never uses /stream?streams=');
    const helpers = streams.map((s) => [s, streamHelper(s)]);
    const bad = helpers.find(([, h]) => !h);
    if (bad) unsupported(`binance-api-node has no ws.* helper for ${bad[0]}`);
    const q = wsEventQueue();
    const mine = helpers.map(([, h]) => h(client, (ev) => { if (ev && typeof ev === 'object') q.push(JSON.parse(JSON.stringify(ev))); }));
    closers.push(...mine);
    await listed(streams);
    return { events: q, close: async () => { for (const c of mine) c(); } };
  }
  async function subscribeUser() {
    const q = wsEventQueue();
    const close = await client.ws.user((ev) => q.push(JSON.parse(JSON.stringify(ev))), false);
    closers.push(close);
    return { events: q, close: async () => close() };
  }
  async function streamSubscribe({ kind, streams = [], combined = false } = {}) {
    if (kind === 'userData') return subscribeUser();
    if (kind === 'market' && Array.isArray(streams) && streams.length) return subscribeMarket(streams.map(String), !!combined);
    throw new Error(`streamSubscribe: unknown kind ${JSON.stringify(kind)}`);
  }
  async function close() {
    for (const c of closers.splice(0)) { try { c(); } catch { /* closed */ } }
    return {};
  }
  return { streamSubscribe, close };
}

// bapiWsSteps: the flow's WebSocket steps (lib/flow.js, per key type): user
// data through ws.user() (signed userDataStream.subscribe.signature) and the
// trade stream through ws.trades(), then one MARKET order whose events must
// arrive on both. Every event is caused by the flow's own order.
function bapiWsSteps(client, ws, symbol) {
  const st = {};
  return [
    ['wsUser', async () => {
      st.user = await ws.streamSubscribe({ kind: 'userData' });
      st.trades = await ws.streamSubscribe({ kind: 'market', streams: [`${symbol.toLowerCase()}@trade`] });
      return 'ws.user(cb, false) subscribed (userDataStream.subscribe.signature answered); ws.trades listed by the server';
    }],
    ['wsUserEvents', async () => {
      const book = await client.book({ symbol, limit: 5 });
      const qty = (15 / Number(book.asks[0].price)).toFixed(5);
      const o = JSON.parse(JSON.stringify(await client.order({ symbol, side: 'BUY', type: 'MARKET', quantity: qty, newOrderRespType: 'FULL' })));
      assert.equal(o.status, 'FILLED');
      const ev = await st.user.events.next((e) => e.type === 'executionReport' && String(e.i) === String(o.orderId) && e.X === 'FILLED', 5000, 'executionReport FILLED');
      // with transform = false the SDK still renames the event type: `e` -> `type`
      assert.equal(ev.e, undefined, 'the raw event kept `e`: the SDK no longer renames it (update findings.md)');
      assert.ok(o.fills.some((f) => String(f.tradeId) === String(ev.t)), `trade ${ev.t} not among the fills`);
      await st.user.events.next((e) => e.type === 'outboundAccountPosition', 5000, 'outboundAccountPosition');
      const tr = await st.trades.events.next((e) => e.e === 'trade' && o.fills.some((f) => String(f.tradeId) === String(e.t)), 5000, 'trade event');
      await st.user.close(); await st.trades.close();
      return `MARKET order ${o.orderId}: executionReport FILLED (as {type:'executionReport', …}: no \`e\`) + outboundAccountPosition on ws.user, trade ${tr.t} on ws.trades`;
    }],
  ];
}

module.exports = { bapiWs, bapiWsSteps, streamHelper };
