// lib/drivers/connector.js: npm `@binance/connector` (Spot REST client) behind
// the uniform driver interface used by the flows and the adapter. Each method
// calls the SDK's own public method; results are the SDK's response data;
// errors are normalised by errorOf() from what the SDK surfaced (an axios
// error: HTTP status, Binance code/msg body, headers).
'use strict';
const { Console } = require('node:console');
const { Spot } = require('@binance/connector');
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

  return {
    sdk: '@binance/connector', version: VERSION, client,
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

// errorOf: what the SDK surfaced for a failed call.
function errorOf(e) {
  const r = e && e.response;
  if (r) {
    const body = r.data;
    return { kind: 'http', status: r.status, code: body && typeof body === 'object' ? body.code : undefined,
      msg: body && typeof body === 'object' ? body.msg : undefined, body, headers: r.headers ? { ...r.headers } : {} };
  }
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e), code: e && e.code };
}

module.exports = { name: 'connector', sdk: '@binance/connector', version: VERSION, create, errorOf };
