// lib/drivers/connector.js: npm `@binance/connector` (Spot REST client) behind
// the uniform driver interface used by the flows and the adapter. Each method
// calls the SDK's own public method; results are the SDK's response data;
// errors are normalised by errorOf() from what the SDK surfaced (an axios
// error: HTTP status, Binance code/msg body, headers).
'use strict';
const { Console } = require('node:console');
const crypto = require('node:crypto');
const { Spot, WebsocketAPI } = require('@binance/connector');
const VERSION = require('@binance/connector/package.json').version;

const quietLogger = new Console({ stdout: process.stderr, stderr: process.stderr });

// cfg: {baseUrl, apiKey, keyType:'hmac'|'rsa'|'ed25519', secret, privateKey,
//       passphrase, recvWindow}
function create(cfg) {
  const opts = { baseURL: cfg.baseUrl, logger: quietLogger, timeout: cfg.timeoutMs || 20000 };
  if (cfg.keyType === 'rsa' || cfg.keyType === 'ed25519') {
    opts.privateKey = cfg.privateKey;
    if (cfg.passphrase) opts.privateKeyPassphrase = cfg.passphrase;
    opts.privateKeyAlgo = cfg.keyType === 'ed25519' ? 'Ed25519' : 'RSA';
  }
  const client = new Spot(cfg.apiKey || '', cfg.keyType === 'hmac' ? cfg.secret : '', opts);
  // The connector has no client-wide recvWindow: it is a per-call option.
  const rw = (p) => (cfg.recvWindow !== undefined && p.recvWindow === undefined
    ? { ...p, recvWindow: cfg.recvWindow } : { ...p });
  const data = async (promise) => (await promise).data;
  const split = (p, ...names) => { const o = { ...p }; const a = names.map((n) => { const v = o[n]; delete o[n]; return v; }); return [a, o]; };

  const ws = wsApi(cfg);
  return {
    sdk: '@binance/connector', version: VERSION, client,
    wsCall: ws.call, wsClose: ws.close, close: ws.close,
    ping: () => data(client.ping()),
    time: () => data(client.time()),
    exchangeInfo: (p = {}) => data(client.exchangeInfo({ ...p })),
    depth: (p) => { const [[s], o] = split(p, 'symbol'); return data(client.depth(s, o)); },
    klines: (p) => { const [[s, i], o] = split(p, 'symbol', 'interval'); return data(client.klines(s, i, o)); },
    account: (p = {}) => data(client.account(rw(p))),
    newOrder: (p) => { const [[s, side, t], o] = split(p, 'symbol', 'side', 'type'); return data(client.newOrder(s, side, t, rw(o))); },
    testOrder: (p) => { const [[s, side, t], o] = split(p, 'symbol', 'side', 'type'); return data(client.newOrderTest(s, side, t, rw(o))); },
    getOrder: (p) => { const [[s], o] = split(p, 'symbol'); return data(client.getOrder(s, rw(o))); },
    cancelOrder: (p) => { const [[s], o] = split(p, 'symbol'); return data(client.cancelOrder(s, rw(o))); },
    openOrders: (p = {}) => data(client.openOrders(rw(p))),
    myTrades: (p) => { const [[s], o] = split(p, 'symbol'); return data(client.myTrades(s, rw(o))); },
    // The connector's generic entry points (used by every module method).
    signedCall: (method, path, p = {}) => data(client.signRequest(method, path, rw(p))),
    publicCall: (method, path, p = {}) => data(client.publicRequest(method, path, { ...p })),
  };
}

// wsApi: the SDK's WebsocketAPI client (callback-based; every frame goes to
// callbacks.message, so answers are matched to requests by id). The SDK signs
// WS requests with HMAC only (sendSignatureMessage) and has no session.logon.
function wsApi(cfg) {
  let conn = null;
  const timeoutMs = cfg.timeoutMs || 20000;
  function open() {
    if (conn && conn.client.isConnected()) return Promise.resolve(conn);
    return new Promise((resolve, reject) => {
      const pending = new Map();
      const t = setTimeout(() => reject(new Error('WebSocket API: no connection')), timeoutMs);
      const client = new WebsocketAPI(cfg.apiKey || '', cfg.keyType === 'hmac' ? cfg.secret : '', {
        wsURL: cfg.wsApiUrl, logger: quietLogger, callbacks: {
          open: () => { clearTimeout(t); conn = { client, pending }; resolve(conn); },
          message: (text) => {
            let f; try { f = JSON.parse(text); } catch { return; }
            const done = pending.get(String(f.id));
            if (done) { pending.delete(String(f.id)); done(f, text); }
          },
        } });
    });
  }
  async function call({ method, params = {}, signed = false, session = false, id } = {}) {
    if (session) throw { unsupported: true, why: 'no session.logon in @binance/connector' };
    if (signed && cfg.keyType !== 'hmac') throw { unsupported: true, why: 'WS API signing is HMAC-only in @binance/connector' };
    const c = await open();
    const rid = id !== undefined && id !== null ? id : crypto.randomBytes(8).toString('hex');
    const { f, text } = await new Promise((resolve, reject) => {
      const t = setTimeout(() => { c.pending.delete(String(rid)); reject(new Error('WebSocket API: no answer')); }, timeoutMs);
      c.pending.set(String(rid), (frame, raw) => { clearTimeout(t); resolve({ f: frame, text: raw }); });
      const opts = { ...params, id: rid };
      if (signed) c.client.sendSignatureMessage(method, opts); else c.client.sendMessage(method, opts);
    });
    if (f.status !== 200 || f.error) throw { wsFrame: f, raw: text };
    return { data: f.result === undefined ? null : f.result, rateLimits: f.rateLimits };
  }
  async function close() { if (conn) { const c = conn; conn = null; c.client.disconnect(); } return {}; }
  return { call, close };
}

// errorOf: what the SDK surfaced for a failed call.
function errorOf(e) {
  if (e && e.wsFrame) {
    const f = e.wsFrame; const er = f.error || {};
    return { kind: 'http', status: f.status, code: er.code, msg: er.msg, body: e.raw, headers: {} };
  }
  const r = e && e.response;
  if (r) {
    const body = r.data;
    return { kind: 'http', status: r.status, code: body && typeof body === 'object' ? body.code : undefined,
      msg: body && typeof body === 'object' ? body.msg : undefined, body, headers: r.headers ? { ...r.headers } : {} };
  }
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e), code: e && e.code };
}

module.exports = { name: 'connector', sdk: '@binance/connector', version: VERSION, create, errorOf };
