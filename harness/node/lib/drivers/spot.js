// lib/drivers/spot.js: npm `@binance/spot` (Binance's official modular SDK,
// generated from their OpenAPI spec) behind the uniform driver interface
// used by the flows and the adapter. new Spot({configurationRestAPI: {apiKey,
// apiSecret | privateKey, basePath}}); each op calls the typed restAPI method
// and unwraps `await res.data()`. retries: 0 so a 5xx is surfaced, not
// replayed (the SDK's default is 3 retries, 1 s apart: see findings).
// Errors are the SDK's classes (BadRequestError, UnauthorizedError,
// TooManyRequestsError, RateLimitBanError, ServerError, ...) carrying the
// Binance code; the HTTP status is not a field, only the class says it.
'use strict';
const { Spot } = require('@binance/spot');
const VERSION = require('../pkgversion').pkgVersion('@binance/spot');

const quiet = { info() {}, warn() {}, debug() {}, error() {} };

// cfg: {baseUrl, apiKey, keyType, secret, privateKey, recvWindow, timeSync}
function create(cfg) {
  const auth = cfg.keyType === 'hmac' ? { apiSecret: cfg.secret } : { privateKey: cfg.privateKey };
  const rest = { apiKey: cfg.apiKey || '', ...(cfg.apiKey ? auth : {}), basePath: cfg.baseUrl,
    timeout: cfg.timeoutMs || 20000, retries: cfg.retries === undefined ? 0 : cfg.retries };
  const client = new Spot({ configurationRestAPI: rest });
  const api = client.restAPI;
  const rw = (p) => (cfg.recvWindow !== undefined && p.recvWindow === undefined ? { ...p, recvWindow: cfg.recvWindow } : { ...p });
  const data = async (promise) => (await promise).data();
  const num = (p) => { const o = { ...p }; for (const k of ['limit', 'orderId', 'recvWindow']) if (o[k] !== undefined) o[k] = Number(o[k]); return o; };
  return {
    sdk: '@binance/spot', version: VERSION, client,
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

// errorOf: the SDK's error classes; the class name stands for the status.
const STATUS_OF = { BadRequestError: 400, UnauthorizedError: 401, ForbiddenError: 403, NotFoundError: 404,
  RateLimitBanError: 418, TooManyRequestsError: 429 };
function errorOf(e) {
  const name = e && e.constructor && e.constructor.name;
  if (e && (STATUS_OF[name] !== undefined || name === 'ServerError' || name === 'ConnectorClientError') && e.code !== undefined) {
    return { kind: 'http', status: e.statusCode ?? e.status, code: typeof e.code === 'number' ? e.code : Number(e.code),
      msg: e.message, body: JSON.stringify({ code: e.code, msg: e.message }), headers: {}, cls: name };
  }
  return { kind: 'transport', message: `${name || 'Error'}: ${(e && (e.message || e.code)) || String(e)}`, code: e && e.code };
}

module.exports = { name: 'spot', sdk: '@binance/spot', version: VERSION, create, errorOf };
