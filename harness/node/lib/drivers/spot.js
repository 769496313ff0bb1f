// lib/drivers/spot.js: npm `@binance/spot` (Binance's official modular SDK,
// generated from their OpenAPI spec) behind the uniform driver interface
// used by the flows and the adapter. new Spot({configurationRestAPI: {apiKey,
// apiSecret | privateKey, basePath}}); each op calls the typed restAPI method
// and unwraps `await res.data()`. The SDK's defaults stay: it retries GET and
// DELETE 3 times (1 s, 2 s, 3 s apart) on 5xx and network errors.
// Errors are the SDK's classes (BadRequestError, UnauthorizedError,
// TooManyRequestsError, RateLimitBanError, ServerError, ...); see errorOf.
'use strict';
const { Spot } = require('@binance/spot');
const VERSION = require('../pkgversion').pkgVersion('@binance/spot');
const { spotWs } = require('./spot-ws');

const quiet = { info() {}, warn() {}, debug() {}, error() {} };

// cfg: {baseUrl, apiKey, keyType, secret, privateKey, recvWindow, timeSync}
function create(cfg) {
  const auth = cfg.keyType === 'hmac' ? { apiSecret: cfg.secret } : { privateKey: cfg.privateKey };
  const rest = { apiKey: cfg.apiKey || '', ...(cfg.apiKey ? auth : {}), basePath: cfg.baseUrl,
    timeout: cfg.timeoutMs || 20000 };   // retries/backoff: the SDK's defaults (3, 1 s; GET/DELETE on 5xx)
  const client = new Spot({ configurationRestAPI: rest });
  const api = client.restAPI;
  const rw = (p) => (cfg.recvWindow !== undefined && p.recvWindow === undefined ? { ...p, recvWindow: cfg.recvWindow } : { ...p });
  const data = async (promise) => (await promise).data();
  const num = (p) => { const o = { ...p }; for (const k of ['limit', 'orderId', 'recvWindow']) if (o[k] !== undefined) o[k] = Number(o[k]); return o; };
  const ws = spotWs(Spot, cfg);
  return {
    sdk: '@binance/spot', version: VERSION, client,
    wsCall: ws.call, wsLogon: ws.logon, wsClose: ws.close, close: ws.close, streamSubscribe: ws.streamSubscribe,
    ping: () => data(api.ping()),
    time: () => data(api.time()),
    exchangeInfo: (p = {}) => data(api.exchangeInfo({ ...p })),
    depth: (p) => data(api.depth(num(p))),
    klines: (p) => data(api.klines(num(p))),
    account: (p = {}) => data(api.getAccount(rw(num(p)))),
    newOrder: (p) => data(api.newOrder(rw(num(p)))),
    testOrder: (p) => data(api.orderTest(rw(num(p)))),
    getOrder: (p) => data(api.getOrder(rw(num(p)))),
    cancelOrder: (p) => data(api.deleteOrder(rw(num(p)))),
    openOrders: (p = {}) => data(api.getOpenOrders(rw(num(p)))),
    myTrades: (p) => data(api.myTrades(rw(num(p)))),
    // The SDK's generic entry points: sendRequest / sendSignedRequest.
    signedCall: (method, path, p = {}) => data(api.sendSignedRequest(path, method, rw(p))),
    publicCall: (method, path, p = {}) => data(api.sendRequest(path, method, { ...p })),
  };
}

// errorOf: the SDK's error classes. Each 4xx class stands for one HTTP
// status (BadRequestError 400, ..., RateLimitBanError 418, TooManyRequestsError
// 429), so the status is reported from the class; ServerError carries
// statusCode but drops the body (no -1006/-1007). No headers are surfaced.
const STATUS_OF = { BadRequestError: 400, UnauthorizedError: 401, ForbiddenError: 403, NotFoundError: 404,
  RateLimitBanError: 418, TooManyRequestsError: 429 };
function errorOf(e) {
  const name = e && e.name;
  // WS API: the SDK rejects with the error frame's `error` object ({code, msg};
  // the frame's status is not surfaced).
  if (e && typeof e === 'object' && !(e instanceof Error) && typeof e.code === 'number') {
    return { kind: 'http', status: e.status, code: e.code, msg: e.msg, body: undefined, headers: {} };
  }
  if (e && STATUS_OF[name] !== undefined) {
    return { kind: 'http', status: STATUS_OF[name], code: e.code, msg: e.message,
      body: JSON.stringify({ code: e.code, msg: e.message }), headers: {}, cls: name };
  }
  if (e && name === 'ServerError') return { kind: 'http', status: e.statusCode, msg: e.message, headers: {}, cls: name };
  if (e && name === 'ConnectorClientError' && e.code !== undefined) {
    return { kind: 'http', status: undefined, code: e.code, msg: e.message, headers: {}, cls: name };
  }
  return { kind: 'transport', message: `${name || 'Error'}: ${(e && (e.message || e.code)) || String(e)}`, code: e && e.code };
}

module.exports = { name: 'spot', sdk: '@binance/spot', version: VERSION, create, errorOf };
