// lib/ws-connector.js: npm `@binance/connector` WebSocket clients behind the
// uniform WS flow driver of lib/wsflow.js - WebsocketAPI (callback-based:
// every frame goes to callbacks.message, answers are matched to requests by
// the `id` the SDK methods accept) and WebsocketStream (market streams,
// `/ws/<stream>`). The SDK signs WS API requests with HMAC only and has no
// session.logon nor a userDataStream.subscribe wrapper: user data is
// subscribed with its public sendSignatureMessage('userDataStream.subscribe.signature').
'use strict';
const { Console } = require('node:console');
const crypto = require('node:crypto');
const { WebsocketAPI, WebsocketStream } = require('@binance/connector');
const VERSION = require('@binance/connector/package.json').version;
const { wsEventQueue } = require('./wsqueue');

const logger = new Console({ stdout: new (require('node:stream').Writable)({ write(c, e, cb) { cb(); } }), stderr: process.stderr });

function wscError(e) {
  if (e && e.wsFrame) { const er = e.wsFrame.error || {}; return { kind: 'ws', status: e.wsFrame.status, code: er.code, msg: er.msg }; }
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e) };
}

// withTimeout: resolve/reject with p, or reject after ms.
function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: no answer within ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(t));
}

// create({wsBase, key, timeoutMs}) -> driver. wsBase is ws://HOST:PORT.
function create({ wsBase, key, timeoutMs = 8000 }) {
  if (key.type !== 'hmac') throw Object.assign(new Error('WS API signing is HMAC-only in @binance/connector'), { unsupported: true });
  const pending = new Map();
  const user = wsEventQueue();
  const orphans = wsEventQueue();   // answers to SDK methods that take no id
  let opened;
  const ready = new Promise((resolve) => { opened = resolve; });
  const api = new WebsocketAPI(key.apiKey, key.secret, { wsURL: `${wsBase}/ws-api/v3`, logger, callbacks: {
    open: () => opened(),
    message: (text) => {
      let f; try { f = JSON.parse(text); } catch { return; }
      if (f && f.event && f.subscriptionId !== undefined) return user.push(f.event);
      const done = f && f.id !== undefined && pending.get(String(f.id));
      if (done) { pending.delete(String(f.id)); done(f); } else if (f && f.id !== undefined) orphans.push(f);
    } } });
  const streams = [];

  // call(send): send(id) issues one SDK request with that id; resolves the
  // frame's result or throws {wsFrame} for an error frame.
  async function call(what, send) {
    await withTimeout(ready, timeoutMs, 'WebSocket API connection');
    const id = crypto.randomBytes(8).toString('hex');
    const f = await withTimeout(new Promise((resolve) => { pending.set(id, resolve); send(id); }), timeoutMs, what)
      .finally(() => pending.delete(id));
    if (f.status !== 200 || f.error) throw { wsFrame: f };
    return f.result;
  }
  const split = (p) => { const { symbol, side, type, ...o } = p; return [symbol, side, type, o]; };

  return {
    sdk: '@binance/connector', version: VERSION, mode: 'signed', errorOf: wscError,
    connect: async () => ({ ping: await call('ping', (id) => api.ping({ id })) }),
    exchangeInfo: (symbol) => call('exchangeInfo', (id) => api.exchangeInfo({ symbol, id })),
    depth: (symbol) => call('depth', (id) => api.orderbook(symbol, { limit: 5, id })),
    placeOrder: (p) => { const [s, side, t, o] = split(p); return call('order.place', (id) => api.newOrder(s, side, t, { ...o, id })); },
    testOrder: (p) => { const [s, side, t, o] = split(p); return call('order.test', (id) => api.testNewOrder(s, side, t, { ...o, id })); },
    orderStatus: ({ symbol, ...o }) => call('order.status', (id) => api.getOrder(symbol, { ...o, id })),
    cancelOrder: ({ symbol, ...o }) => call('order.cancel', (id) => api.cancelOrder(symbol, { ...o, id })),
    // OCO: newOCOOrder / cancelOCOOrder (orderList.cancel); the SDK has no OTO method
    placeOco: ({ symbol, side, quantity, aboveType, belowType, ...o }) => call('orderList.place.oco',
      (id) => api.newOCOOrder(symbol, side, quantity, aboveType, belowType, { ...o, id })),
    cancelOrderList: ({ symbol, ...o }) => call('orderList.cancel', (id) => api.cancelOCOOrder(symbol, { ...o, id })),
    subscribeUserData: () => call('userDataStream.subscribe.signature',
      (id) => api.sendSignatureMessage('userDataStream.subscribe.signature', { id })),
    unsubscribeUserData: (subscriptionId) => call('userDataStream.unsubscribe',
      (id) => api.sendMessage('userDataStream.unsubscribe', { subscriptionId, id })),
    userEvents: user,
    // legacyUserDataStart: the SDK's only WS user-data wrapper,
    // startUserDataStream() (userDataStream.start; takes no id: its answer
    // is the next unmatched frame). Returns the frame.
    legacyUserDataStart: async () => {
      await withTimeout(ready, timeoutMs, 'WebSocket API connection');
      api.startUserDataStream();
      return orphans.next((f) => f.error !== undefined || f.result !== undefined, timeoutMs, 'userDataStream.start answer');
    },
    // streamOpen: WebsocketStream.trade() opens /ws/<symbol>@trade; once open,
    // the same subscribe() sends a SUBSCRIBE frame whose answer proves the
    // server has registered the connection (the 101 may come first).
    streamOpen: async (symbol) => {
      const q = wsEventQueue();
      const acks = wsEventQueue();
      let onOpen;
      const isOpen = new Promise((resolve) => { onOpen = resolve; });
      const s = new WebsocketStream({ wsURL: wsBase, logger, callbacks: {
        open: () => onOpen(),
        message: (text) => {
          let m; try { m = JSON.parse(text); } catch { return; }
          if (m && m.e === 'trade') q.push(m); else if (m && 'result' in m) acks.push(m);
        } } });
      streams.push(s);
      s.trade(symbol);
      await withTimeout(isOpen, timeoutMs, 'stream connection');
      s.subscribe(`${symbol.toLowerCase()}@trade`);
      const ack = await acks.next(() => true, timeoutMs, 'SUBSCRIBE answer');
      if (ack.result !== null) throw new Error(`SUBSCRIBE answered ${JSON.stringify(ack)}`);
      return { events: q, url: `${wsBase}/ws/${symbol.toLowerCase()}@trade` };
    },
    close: async () => { for (const s of streams) s.disconnect(); if (api.isConnected()) api.disconnect(); },
  };
}

module.exports = { name: 'connector', sdk: '@binance/connector', version: VERSION, keyTypes: ['hmac'],
  unsupported: 'RSA/Ed25519 keys (WS API signing is HMAC-only; no session.logon)', create };
