// lib/drivers/node-binance-api.js: npm `node-binance-api` behind the uniform
// driver interface used by the flows and the adapter. new Binance({APIKEY,
// APISECRET | PRIVATEKEY, urls: {base: '<url>/api/', ...}}): the `urls`
// option moves REST and streams; the WS API URL has no option (the public
// field `wsApi` is set instead). The SDK adds recvWindow (5000) to every
// signed call and a newClientOrderId to every order; its time sync is
// useServerTime() (timeOffset). Errors are Error(<response body text>): code
// and msg are parsed from the text; the HTTP status is only in the SDK's
// statusCode() getter (the last response's status), read right after the call.
'use strict';
const Binance = require('node-binance-api');
const VERSION = require('../pkgversion').pkgVersion('node-binance-api');
const { nbaWs, nbaWsSteps } = require('./node-binance-api-ws');

// cfg: {baseUrl, apiKey, keyType, secret, privateKey, recvWindow, timeSync}
function create(cfg) {
  const ws = cfg.baseUrl.replace(/^http/, 'ws');
  const opts = { urls: { base: `${cfg.baseUrl}/api/`, sapi: `${cfg.baseUrl}/sapi/`, stream: `${ws}/ws/`,
    combineStream: `${ws}/stream?streams=` }, log: (...a) => console.error(...a) };
  if (cfg.apiKey) {
    opts.APIKEY = cfg.apiKey;
    if (cfg.keyType === 'hmac') opts.APISECRET = cfg.secret; else opts.PRIVATEKEY = cfg.privateKey;
  }
  if (cfg.recvWindow !== undefined) opts.recvWindow = cfg.recvWindow;
  const client = new Binance();
  client.assignOptions(opts);
  client.wsApi = `${ws}/ws-api/v3`;
  const last = { status: undefined };
  const track = async (p) => { try { return await p; } catch (e) { e.httpStatus = client.statusCode(); throw e; } };
  const rel = (path) => path.replace(/^\/?api\//, '');
  const split = (p, ...names) => { const o = { ...p }; const a = names.map((n) => { const v = o[n]; delete o[n]; return v; }); return [a, o]; };
  const wsd = nbaWs(client, cfg, cfg.timeoutMs || 20000);
  return {
    sdk: 'node-binance-api', version: VERSION, client, last,
    streamSubscribe: wsd.streamSubscribe, close: wsd.close,
    wsSteps: (symbol) => nbaWsSteps(client, wsd, symbol, cfg.timeoutMs || 20000),   // flows/ws-node-binance-api.js
    ready: cfg.timeSync ? client.useServerTime() : undefined,
    ping: () => track(client.ping()),
    time: () => track(client.time()),
    exchangeInfo: (p = {}) => track(client.publicSpotRequest('v3/exchangeInfo', { ...p })),
    depth: (p) => track(client.publicSpotRequest('v3/depth', { ...p })),
    klines: (p) => track(client.publicSpotRequest('v3/klines', { ...p })),
    account: (p = {}) => track(client.account({ ...p })),
    newOrder: (p) => { const [[type, side, symbol, q, price], o] = split(p, 'type', 'side', 'symbol', 'quantity', 'price'); return track(client.order(type, side, symbol, q, price, o)); },
    testOrder: (p) => { const [[type, side, symbol, q, price], o] = split(p, 'type', 'side', 'symbol', 'quantity', 'price'); return track(client.order(type, side, symbol, q, price, { ...o, test: true })); },
    getOrder: (p) => { const [[s, id], o] = split(p, 'symbol', 'orderId'); return track(client.orderStatus(s, id, o)); },
    cancelOrder: (p) => { const [[s, id], o] = split(p, 'symbol', 'orderId'); return track(client.cancel(s, id, o)); },
    openOrders: (p = {}) => { const [[s], o] = split(p, 'symbol'); return track(client.openOrders(s, o)); },
    myTrades: (p) => { const [[s], o] = split(p, 'symbol'); return track(client.myTrades(s, o)); },
    signedCall: (method, path, p = {}) => track(client.privateSpotRequest(rel(path), { ...p }, method)),
    publicCall: (method, path, p = {}) => track(client.publicSpotRequest(rel(path), { ...p }, method)),
  };
}

// errorOf: Error(body text) + httpStatus from the SDK's statusCode().
function errorOf(e) {
  if (e instanceof Error && e.httpStatus !== undefined && e.httpStatus !== 0 && e.httpStatus !== 200) {
    let body; try { body = JSON.parse(e.message); } catch { body = undefined; }
    return { kind: 'http', status: e.httpStatus, code: body && body.code, msg: body && body.msg, body: e.message, headers: {} };
  }
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e), code: e && e.code };
}

// knownBugs: per key of the flow, the signing bug the mock must diagnose
// (flow.js asserts it, so a fixed SDK turns the flow red until updated).
const RSA_POST = { mistake: 'double-encoded', why: 'RSA signature encodeURIComponent-ed, then form-encoded again on POST (%252B)' };
const knownBugs = { rsa2048: RSA_POST, rsa4096: RSA_POST,
  ed25519: { mistake: 'plus-as-space', why: "Ed25519 base64 signature put in the GET/DELETE query without percent-encoding: '+' reads as a space" } };

module.exports = { knownBugs, name: 'node-binance-api', sdk: 'node-binance-api', version: VERSION, create, errorOf };
