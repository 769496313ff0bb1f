// lib/drivers/binance-api-node.js: npm `binance-api-node` behind the uniform
// driver interface used by the flows and the adapter. Binance({apiKey,
// apiSecret | privateKey, httpBase, wsBase}); each op calls the SDK's own
// method. The SDK reshapes some answers (book: {price, quantity} objects,
// candles: objects, time: a number); the driver turns them back into
// Binance's shapes for the protocol. Errors are Error(msg) with `code` (the
// Binance code) and `url`; the HTTP status is dropped (only a non-JSON body
// keeps `response`). Time sync: the SDK's per-call `useServerTime: true`
// (GET /api/v3/time before each signed call).
'use strict';
const Binance = require('binance-api-node').default;
const VERSION = require('../pkgversion').pkgVersion('binance-api-node');
const { bapiWs, bapiWsSteps } = require('./binance-api-node-ws');

const CANDLE = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades',
  'baseAssetVolume', 'quoteAssetVolume'];
const plain = (x) => JSON.parse(JSON.stringify(x));   // json-bigint values -> JSON numbers/strings

// cfg: {baseUrl, apiKey, keyType, secret, privateKey, recvWindow, timeSync}
function create(cfg) {
  const opts = { httpBase: cfg.baseUrl, wsBase: cfg.baseUrl.replace(/^http/, 'ws') + '/ws',
    wsApi: cfg.baseUrl.replace(/^http/, 'ws') + '/ws-api/v3' };
  if (cfg.apiKey) {
    opts.apiKey = cfg.apiKey;
    if (cfg.keyType === 'hmac') opts.apiSecret = cfg.secret; else opts.privateKey = cfg.privateKey;
  }
  const client = Binance(opts);
  const sp = (p) => {
    const o = { ...p };
    if (cfg.recvWindow !== undefined && o.recvWindow === undefined) o.recvWindow = cfg.recvWindow;
    if (cfg.timeSync) o.useServerTime = true;
    return o;
  };
  const out = async (x) => plain(await x);
  const ws = bapiWs(client, cfg);
  return {
    sdk: 'binance-api-node', version: VERSION, client,
    streamSubscribe: ws.streamSubscribe, close: ws.close,
    extraSteps: (symbol) => bapiWsSteps(client, ws, symbol),
    ping: async () => { await client.ping(); return {}; },
    time: async () => ({ serverTime: Number(await client.time()) }),
    exchangeInfo: (p = {}) => out(client.exchangeInfo({ ...p })),
    depth: async (p) => {
      const b = plain(await client.book({ ...p }));
      const arr = (l) => l.map((x) => [x.price, x.quantity]);
      return { lastUpdateId: b.lastUpdateId, bids: arr(b.bids), asks: arr(b.asks) };
    },
    klines: async (p) => plain(await client.candles({ ...p })).map((c) => [...CANDLE.map((f) => c[f]), '0']),
    account: (p = {}) => out(client.accountInfo(sp(p))),
    newOrder: (p) => out(client.order(sp(p))),
    testOrder: (p) => out(client.orderTest(sp(p))),
    getOrder: (p) => out(client.getOrder(sp(p))),
    cancelOrder: (p) => out(client.cancelOrder(sp(p))),
    openOrders: (p = {}) => out(client.openOrders(sp(p))),
    myTrades: (p) => out(client.myTrades(sp(p))),
  };
}

// errorOf: Error(msg) + code + url (JSON body), or Error("<status> <text> <body>")
// + response (non-JSON body).
function errorOf(e) {
  if (e instanceof Error && typeof e.code === 'number') {
    return { kind: 'http', status: undefined, code: e.code, msg: e.message, body: JSON.stringify({ code: e.code, msg: e.message }), headers: {} };
  }
  if (e instanceof Error && e.response) {
    const h = {}; e.response.headers.forEach((v, k) => { h[k] = v; });
    return { kind: 'http', status: e.response.status, body: e.responseText, headers: h };
  }
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e), code: e && e.code };
}

module.exports = { name: 'binance-api-node', sdk: 'binance-api-node', version: VERSION, create, errorOf };
