// lib/ws-spot.js: npm `@binance/spot` (Binance's official modular SDK)
// WebSocket clients behind the uniform WS flow driver of lib/wsflow.js:
// websocketAPI (per-request signing for HMAC/RSA keys; Ed25519: sessionLogon()
// once, then requests go unsigned on the session), userDataStreamSubscribe /
// userDataStreamSubscribeSignature and the `stream` emitter they return, and
// websocketStreams (market streams; connect({stream}) puts the stream in the
// handshake URL `/stream?streams=`, so the server has it before the order).
// URLs come from the SDK's `wsURL` options.
'use strict';
const { Spot } = require('@binance/spot');
const VERSION = require('./pkgversion').pkgVersion('@binance/spot');
const { wsEventQueue } = require('./wsqueue');

const quiet = { info() {}, warn() {}, debug() {}, error() {} };

// wssError: the SDK rejects a WS API call with the error frame's error
// ({code, msg}) or an Error (timeout, connection).
function wssError(e) {
  if (e && typeof e === 'object' && !(e instanceof Error) && typeof e.code === 'number')
    return { kind: 'ws', status: e.status, code: e.code, msg: e.msg };
  if (e && e.error && typeof e.error.code === 'number') return { kind: 'ws', status: e.status, code: e.error.code, msg: e.error.msg };
  return { kind: 'transport', message: (e && (e.message || e.code)) || JSON.stringify(e) };
}

// create({wsBase, key}) -> driver. wsBase is ws://HOST:PORT.
function create({ wsBase, key }) {
  const auth = key.type === 'hmac' ? { apiSecret: key.secret } : { privateKey: key.privateKey };
  const client = new Spot({
    configurationWebsocketAPI: { apiKey: key.apiKey, ...auth, wsURL: `${wsBase}/ws-api/v3`, timeout: 8000 },
    configurationWebsocketStreams: { wsURL: wsBase } });
  client.websocketAPI.logger = quiet;
  const session = key.type === 'ed25519';
  const user = wsEventQueue();
  let conn = null;
  let userStream = null;
  const streams = [];
  const data = async (p) => (await p).data;
  return {
    sdk: '@binance/spot', version: VERSION, mode: session ? 'session' : 'signed', errorOf: wssError,
    connect: async () => {
      conn = await client.websocketAPI.connect();
      if (!session) return { ping: await data(conn.ping()) };
      await conn.sessionLogon();
      return { session: await data(conn.sessionStatus()) };
    },
    exchangeInfo: (symbol) => data(conn.exchangeInfo({ symbol })),
    depth: (symbol) => data(conn.depth({ symbol, limit: 5 })),
    placeOrder: (p) => data(conn.orderPlace({ ...p })),
    testOrder: (p) => data(conn.orderTest({ ...p })),
    orderStatus: (p) => data(conn.orderStatus({ ...p })),
    cancelOrder: (p) => data(conn.orderCancel({ ...p })),
    placeOco: (p) => data(conn.orderListPlaceOco({ ...p })),
    placeOto: (p) => data(conn.orderListPlaceOto({ ...p })),
    cancelOrderList: (p) => data(conn.orderListCancel({ ...p })),
    // Ed25519: userDataStream.subscribe on the logged-on session; HMAC/RSA:
    // the signed userDataStream.subscribe.signature.
    subscribeUserData: async () => {
      const r = session ? await conn.userDataStreamSubscribe() : await conn.userDataStreamSubscribeSignature();
      userStream = r.stream;
      userStream.on('message', (ev) => { if (ev && typeof ev.e === 'string') user.push(ev); });
      return r.response.data;
    },
    userEvents: user,
    unsubscribeUserData: (subscriptionId) => data(conn.userDataStreamUnsubscribe({ subscriptionId })),
    streamOpen: async (symbol) => {
      const name = `${symbol.toLowerCase()}@trade`;
      const sc = await client.websocketStreams.connect({ stream: [name] });
      streams.push(sc);
      const q = wsEventQueue();
      sc.trade({ symbol }).on('message', (m) => { if (m && m.e === 'trade') q.push(m); });
      return { events: q, url: `${wsBase}/stream?streams=${name}` };
    },
    close: async () => {
      for (const s of streams) { try { await s.disconnect(); } catch { /* closed */ } }
      if (conn) { try { await conn.disconnect(); } catch { /* closed */ } }
    },
  };
}

module.exports = { name: 'spot', sdk: '@binance/spot', version: VERSION, keyTypes: ['hmac', 'rsa2048', 'rsa4096', 'ed25519'], create };
