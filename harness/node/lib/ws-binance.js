// lib/ws-binance.js: npm `binance` WebSocket clients behind the uniform WS
// flow driver of lib/wsflow.js - WebsocketAPIClient (WS API: per-request
// signing for HMAC/RSA keys, session.logon on connect for Ed25519 keys,
// userDataStream.subscribe[.signature] and the user data events it emits)
// and WebsocketClient (market streams, `/stream` + SUBSCRIBE). Every call
// goes through the SDK's own public methods; URLs come from its `wsUrl`
// option (the SDK appends `/ws-api/v3` or `/stream` itself).
'use strict';
const { WebsocketAPIClient, WebsocketClient, WS_KEY_MAP } = require('binance');
const VERSION = require('binance/package.json').version;
const { wsEventQueue } = require('./wsqueue');

const KEY = WS_KEY_MAP.mainWSAPI;

// A logger that keeps the SDK quiet but shows its errors on stderr.
const quiet = { trace() {}, info() {}, error: (...a) => console.error('[binance]', ...a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)).slice(0, 300))) };

// wsbError: the SDK rejects a WS API call with the error frame
// ({wsKey, id, status, error:{code,msg}}); anything else is a transport error.
function wsbError(e) {
  if (e && typeof e === 'object' && e.error && e.status !== undefined)
    return { kind: 'ws', status: e.status, code: e.error.code, msg: e.error.msg };
  return { kind: 'transport', message: (e && (e.message || e.code)) || JSON.stringify(e) };
}

// create({wsBase, key}) -> driver. wsBase is ws://HOST:PORT.
function create({ wsBase, key }) {
  const secret = key.type === 'hmac' ? key.secret : key.privateKey;
  const api = new WebsocketAPIClient({ api_key: key.apiKey, api_secret: secret, wsUrl: wsBase,
    beautify: false, attachEventListeners: false, muteLatencyWarning: true }, quiet);
  const ws = api.getWSClient();
  const user = wsEventQueue();
  ws.on('message', (m) => { if (m && typeof m.e === 'string') user.push(m); });
  ws.on('exception', () => {});     // error frames also reject the call's promise
  const session = key.type === 'ed25519';
  const streams = [];
  const unwrap = (r) => (r && r.result !== undefined ? r.result : r);
  // Signed methods: the caller supplies `timestamp` (as the SDK's README does).
  const ts = (p) => ({ ...p, timestamp: Date.now() });

  return {
    sdk: 'binance', version: VERSION, mode: session ? 'session' : 'signed', errorOf: wsbError,
    // connect: for Ed25519 the SDK logs the connection on (session.logon)
    // before resolving; session.status then names the key.
    connect: async () => {
      await ws.connectWSAPI(KEY, !session);
      if (!session) return { ping: unwrap(await api.testSpotConnectivity()) };
      return { session: unwrap(await api.getSpotSessionStatus()) };
    },
    exchangeInfo: async (symbol) => unwrap(await api.getSpotExchangeInfo({ symbol })),
    depth: async (symbol) => unwrap(await api.getSpotOrderBook({ symbol, limit: 5 })),
    placeOrder: async (p) => unwrap(await api.submitNewSpotOrder(ts(p))),
    testOrder: async (p) => unwrap(await api.testSpotOrder(ts(p))),
    orderStatus: async (p) => unwrap(await api.getSpotOrderStatus(ts(p))),
    cancelOrder: async (p) => unwrap(await api.cancelSpotOrder(ts(p))),
    placeOco: async (p) => unwrap(await api.placeSpotOCOOrderList(ts(p))),
    placeOto: async (p) => unwrap(await api.placeSpotOTOOrderList(ts(p))),
    cancelOrderList: async (p) => unwrap(await api.cancelSpotOrderList(ts(p))),
    // Ed25519: userDataStream.subscribe on the session; HMAC/RSA: the SDK
    // sends a signed userDataStream.subscribe.signature.
    subscribeUserData: async () => unwrap(await api.subscribeUserDataStream(KEY)),
    userEvents: user,
    // streamOpen: the SDK's market stream client, `<symbol>@trade`; resolves
    // once the SDK reports the subscription sent and the server answered.
    streamOpen: async (symbol) => {
      const sc = new WebsocketClient({ wsUrl: wsBase, beautify: false }, quiet);
      streams.push(sc);
      const q = wsEventQueue();
      sc.on('message', (m) => { if (m && m.e === 'trade') q.push(m); });
      sc.on('exception', () => {});
      // The SDK resolves before the server answered SUBSCRIBE; its 'response'
      // event carries that answer ({result:null,id}, with the request).
      const acks = wsEventQueue();
      sc.on('response', (r) => acks.push(r));
      await sc.subscribeSpotTrades(symbol);
      const ack = await acks.next((r) => r && r.request && r.request.method === 'SUBSCRIBE', 8000, 'SUBSCRIBE answer');
      if (ack.result !== null) throw new Error(`SUBSCRIBE answered ${JSON.stringify(ack.result)}`);
      return { events: q, url: `${wsBase}/stream` };
    },
    unsubscribeUserData: async () => unwrap(await api.unsubscribeUserDataStream(KEY)),
    close: async () => {
      await api.disconnectAll().catch(() => {});
      for (const s of streams) { try { await s.closeAll(true); } catch { /* already closed */ } }
    },
  };
}

module.exports = { name: 'binance', sdk: 'binance', version: VERSION, keyTypes: ['hmac', 'rsa2048', 'rsa4096', 'ed25519'], create };
