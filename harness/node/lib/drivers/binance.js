// lib/drivers/binance.js: npm `binance` (MainClient, Spot REST) behind the
// uniform driver interface used by the flows and the adapter. Each method
// calls the SDK's own public method; errors are normalised by errorOf() from
// what the SDK surfaced. Known SDK behaviour (see README): the secret (HMAC)
// or private-key PEM (RSA/Ed25519) both go in `api_secret`, the key type is
// guessed from the PEM; getServerTime() and the time sync ignore `baseUrl`
// and always call https://api.binance.com. The HTTP agents given to the SDK
// refuse every host but baseUrl's, so such calls fail locally instead of
// leaving the machine (cfg.timeWorkaround: time() uses the generic get()).
'use strict';
const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const { MainClient, WebsocketAPIClient, WebsocketClient, WS_KEY_MAP } = require('binance');
const { wsEventQueue } = require('../wsqueue');
const VERSION = require('binance/package.json').version;

// sandboxAgents: http/https agents that resolve only the configured host.
function sandboxAgents(baseUrl) {
  const allowed = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  const lookup = (host, o, cb) => (host === allowed ? dns.lookup(host, o, cb)
    : cb(Object.assign(new Error(`sandbox: connection to ${host} refused (only ${allowed}, the configured baseUrl, is reachable)`), { code: 'ESANDBOX' })));
  // keepAlive as Node 20's global agents (the SDK's default transport).
  return { httpAgent: new http.Agent({ keepAlive: true, lookup }), httpsAgent: new https.Agent({ keepAlive: true, lookup }) };
}

// cfg: {baseUrl, apiKey, keyType, secret, privateKey, recvWindow, timeSync,
//       timeWorkaround}
function create(cfg) {
  const opts = { baseUrl: cfg.baseUrl, disableTimeSync: !cfg.timeSync, beautifyResponses: false };
  if (cfg.apiKey) {
    opts.api_key = cfg.apiKey;
    opts.api_secret = cfg.keyType === 'hmac' ? cfg.secret : cfg.privateKey;
  }
  if (cfg.recvWindow !== undefined) opts.recvWindow = cfg.recvWindow;
  const client = new MainClient(opts, { timeout: cfg.timeoutMs || 20000, ...sandboxAgents(cfg.baseUrl) });
  const M = { GET: 'getPrivate', POST: 'postPrivate', PUT: 'putPrivate', DELETE: 'deletePrivate' };
  const P = { GET: 'get', POST: 'post', PUT: 'put', DELETE: 'delete' };
  const rel = (path) => path.replace(/^\//, '');

  const ws = wsApi(cfg);
  return {
    sdk: 'binance', version: VERSION, client,
    wsCall: ws.call, wsClose: ws.close, close: ws.close, wsLogon: ws.logon, streamSubscribe: ws.streamSubscribe,
    // With time sync on, wait for the SDK's own syncTime() (its constructor
    // starts one but drops the promise).
    ready: cfg.timeSync ? client.syncTime() : undefined,
    ping: () => client.testConnectivity(),
    time: () => (cfg.timeWorkaround ? client.get('api/v3/time') : client.getServerTime().then((t) => ({ serverTime: t }))),
    exchangeInfo: (p = {}) => client.getExchangeInfo({ ...p }),
    depth: (p) => client.getOrderBook({ ...p }),
    klines: (p) => client.getKlines({ ...p }),
    account: (p = {}) => client.getAccountInformation({ ...p }),
    newOrder: (p) => client.submitNewOrder({ ...p }),
    testOrder: (p) => client.testNewOrder({ ...p }),
    getOrder: (p) => client.getOrder({ ...p }),
    cancelOrder: (p) => client.cancelOrder({ ...p }),
    openOrders: (p = {}) => client.getOpenOrders({ ...p }),
    myTrades: (p) => client.getAccountTradeList({ ...p }),
    // BaseRestClient's generic entry points (public for subclasses and users).
    signedCall: (method, path, p = {}) => client[M[method]](rel(path), { ...p }),
    publicCall: (method, path, p = {}) => client[P[method]](rel(path), { ...p }),
  };
}

// wsApi: the SDK's WebsocketAPIClient (promise per request). It signs each
// request for HMAC/RSA keys and logs the connection on (session.logon) for
// Ed25519 keys; the caller supplies `timestamp` (as its README shows). User
// data events ({subscriptionId, event}) reach its 'message' listener as the
// event object; market streams use the SDK's WebsocketClient (`/stream` +
// SUBSCRIBE, which it awaits only as "sent": the server's answer comes as a
// 'response' event).
function wsApi(cfg) {
  let api = null;
  let user = null;
  const markets = [];
  const quiet = { trace() {}, info() {}, error: (...a) => console.error(...a) };
  const wsBase = () => String(cfg.wsApiUrl || '').replace(/\/ws-api\/v3\/?$/, '');
  const get = () => {
    if (!api) {
      api = new WebsocketAPIClient({ api_key: cfg.apiKey, api_secret: cfg.keyType === 'hmac' ? cfg.secret : cfg.privateKey,
        wsUrl: wsBase(), beautify: false }, quiet);
      user = wsEventQueue();
      const u = user;
      api.getWSClient().on('message', (m) => { if (m && typeof m.e === 'string') u.push(m); });
    }
    return api.getWSClient();
  };
  async function call({ method, params = {}, signed = false, session = false } = {}) {
    if (session && cfg.keyType !== 'ed25519') throw { unsupported: true, why: 'the SDK logs a WS session on with Ed25519 keys only' };
    const p = { ...params };
    if ((signed || session) && p.timestamp === undefined) p.timestamp = Date.now();
    const r = await get().sendWSAPIRequest(WS_KEY_MAP.mainWSAPI, method, p, signed || session ? undefined : { authIsOptional: true });
    return { data: r && r.result !== undefined ? r.result : null, rateLimits: r && r.rateLimits };
  }
  // wsLogon: the SDK's connectWSAPI() logs an Ed25519 connection on
  // (session.logon) before it resolves; session.status then reports it.
  async function logon() {
    if (cfg.keyType !== 'ed25519') throw { unsupported: true, why: 'the SDK logs a WS session on with Ed25519 keys only' };
    await get().connectWSAPI(WS_KEY_MAP.mainWSAPI);
    const r = await api.getSpotSessionStatus();
    return { data: r && r.result !== undefined ? r.result : null, rateLimits: r && r.rateLimits };
  }
  async function subscribeUser() {
    get();
    const a = api;
    await a.subscribeUserDataStream(WS_KEY_MAP.mainWSAPI);
    return { events: user, close: async () => { await a.unsubscribeUserDataStream(WS_KEY_MAP.mainWSAPI).catch(() => {}); } };
  }
  async function subscribeMarket(streams, combined) {
    const sc = new WebsocketClient({ wsUrl: wsBase(), beautify: false }, quiet);
    markets.push(sc);
    const q = wsEventQueue();
    const acks = wsEventQueue();
    // The SDK always uses `/stream` and hands the stream name over as its
    // own `streamName` field: the protocol's `_stream` for combined streams.
    sc.on('message', (m) => {
      if (!m || typeof m.e !== 'string') return;
      q.push(combined && m.streamName !== undefined ? { ...m, _stream: m.streamName } : m);
    });
    sc.on('response', (r) => acks.push(r));
    sc.on('exception', () => {});
    await sc.subscribe(streams, WS_KEY_MAP.main);
    const ack = await acks.next((r) => r && r.request && r.request.method === 'SUBSCRIBE', cfg.timeoutMs || 8000, 'SUBSCRIBE answer');
    if (ack.result !== null) throw new Error(`SUBSCRIBE answered ${JSON.stringify(ack.result)}`);
    return { events: q, close: async () => { try { await sc.closeAll(true); } catch { /* already closed */ } } };
  }
  async function streamSubscribe({ kind, streams = [], combined = false } = {}) {
    if (kind === 'userData') return subscribeUser();
    if (kind === 'market' && Array.isArray(streams) && streams.length) return subscribeMarket(streams.map(String), !!combined);
    throw new Error(`streamSubscribe: unknown kind ${JSON.stringify(kind)}`);
  }
  async function close() {
    for (const sc of markets.splice(0)) { try { await sc.closeAll(true); } catch { /* already closed */ } }
    if (api) { const a = api; api = null; await a.disconnectAll().catch(() => {}); }
    return {};
  }
  return { call, close, logon, streamSubscribe };
}

// errorOf: the SDK throws {code, message, body, headers, requestUrl} for an
// HTTP error (no HTTP status), the raw Error for a transport failure.
function errorOf(e) {
  if (e && typeof e === 'object' && !(e instanceof Error) && 'wsKey' in e && 'status' in e) {  // WS API error frame
    const er = e.error || {};
    return { kind: 'http', status: e.status, code: er.code, msg: er.msg, body: JSON.stringify(e), headers: {} };
  }
  if (e && typeof e === 'object' && 'body' in e && 'headers' in e && !(e instanceof Error)) {
    return { kind: 'http', status: undefined, code: e.code, msg: e.message, body: e.body,
      headers: e.headers ? { ...e.headers } : {} };
  }
  if (typeof e === 'string') return { kind: 'transport', message: e };
  if (e && typeof e === 'object' && !(e instanceof Error) && !e.message) return { kind: 'transport', message: JSON.stringify(e).slice(0, 500) };
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e), code: e && e.code };
}

module.exports = { name: 'binance', sdk: 'binance', version: VERSION, create, errorOf };
