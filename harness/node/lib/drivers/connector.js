// lib/drivers/connector.js: npm `@binance/connector` (Spot REST client) behind
// the uniform driver interface used by the flows and the adapter. Each method
// calls the SDK's own public method; results are the SDK's response data;
// errors are normalised by errorOf() from what the SDK surfaced (an axios
// error: HTTP status, Binance code/msg body, headers).
'use strict';
const { Console } = require('node:console');
const crypto = require('node:crypto');
const { Spot, WebsocketAPI, WebsocketStream } = require('@binance/connector');
const { wsEventQueue } = require('../wsqueue');
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
    wsCall: ws.call, wsClose: ws.close, close: ws.close, streamSubscribe: ws.streamSubscribe,
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
// streamSubscribe (user data, market streams) returns a lib/wsqueue.js buffer
// that adapter.js reads for streamNext.
function wsApi(cfg) {
  let conn = null;
  let user = wsEventQueue();
  const markets = [];
  const timeoutMs = cfg.timeoutMs || 20000;
  // One WebsocketAPI client per configure. After an unexpected close the SDK
  // reconnects by itself (websocketBase.js: initConnect() again after its
  // reconnectDelay, 5 s); until then its send methods only log "Not
  // connected" and drop the request, which call() reports as that error
  // instead of waiting for an answer that cannot come.
  function open() {
    if (conn) {
      if (conn.client.isConnected()) return Promise.resolve(conn);
      return Promise.reject(new Error('Not connected (the SDK logged it and dropped the request; it reconnects on its own timer)'));
    }
    return new Promise((resolve, reject) => {
      const pending = new Map();
      const t = setTimeout(() => reject(new Error('WebSocket API: no connection')), timeoutMs);
      const client = new WebsocketAPI(cfg.apiKey || '', cfg.keyType === 'hmac' ? cfg.secret : '', {
        wsURL: cfg.wsApiUrl, logger: quietLogger, callbacks: {
          open: () => { clearTimeout(t); if (!conn) { conn = { client, pending }; resolve(conn); } },
          message: (text) => {
            let f; try { f = JSON.parse(text); } catch { return; }
            // user data: {subscriptionId, event} frames on the same connection
            if (f && f.event && f.subscriptionId !== undefined) return user.push(f.event);
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
  // User data: the SDK has no userDataStream.subscribe wrapper; its public
  // sendSignatureMessage() sends the signed userDataStream.subscribe.signature.
  async function subscribeUser() {
    const r = await call({ method: 'userDataStream.subscribe.signature', signed: true });
    const subscriptionId = r.data && r.data.subscriptionId;
    return { events: user, close: async () => {
      await call({ method: 'userDataStream.unsubscribe', params: { subscriptionId } }).catch(() => {});
    } };
  }
  // Market streams: WebsocketStream opens /ws/<name> (or, with its
  // combinedStreams option, /stream?streams=a/b) and hands every frame to
  // callbacks.message as text. Once open, the same subscribe() sends a
  // SUBSCRIBE whose answer proves the server registered the connection (the
  // 101 may come first). Combined frames {stream, data}: data + `_stream`.
  async function subscribeMarket(streams, combined) {
    const q = wsEventQueue();
    const acks = wsEventQueue();
    let onOpen;
    const isOpen = new Promise((resolve) => { onOpen = resolve; });
    const s = new WebsocketStream({ wsURL: String(cfg.wsApiUrl || '').replace(/\/ws-api\/v3\/?$/, ''), combinedStreams: combined,
      logger: quietLogger, callbacks: {
        open: () => onOpen(),
        message: (text) => {
          let m; try { m = JSON.parse(text); } catch { return; }
          if (m && 'result' in m && 'id' in m) return acks.push(m);
          if (combined && m && m.data && typeof m.stream === 'string') return q.push({ ...m.data, _stream: m.stream });
          if (m && typeof m.e === 'string') q.push(m);
        } } });
    markets.push(s);
    s.subscribe(streams);
    let t;
    await Promise.race([isOpen, new Promise((_, rej) => { t = setTimeout(() => rej(new Error('stream connection: not open')), timeoutMs); })])
      .finally(() => clearTimeout(t));
    s.subscribe(streams);
    const ack = await acks.next(() => true, timeoutMs, 'SUBSCRIBE answer');
    if (ack.result !== null) throw new Error(`SUBSCRIBE answered ${JSON.stringify(ack)}`);
    return { events: q, close: async () => { s.disconnect(); } };
  }
  async function streamSubscribe({ kind, streams = [], combined = false } = {}) {
    if (kind === 'userData') return subscribeUser();
    if (kind === 'market' && Array.isArray(streams) && streams.length) return subscribeMarket(streams.map(String), !!combined);
    throw new Error(`streamSubscribe: unknown kind ${JSON.stringify(kind)}`);
  }
  async function close() {
    for (const s of markets.splice(0)) { s.initConnect = () => {}; try { s.disconnect(); } catch { /* already closed */ } }
    if (conn) {
      const c = conn; conn = null;
      // The SDK has no switch for its reconnect timer: a client whose
      // connection the server closed would come back up to 5 s later, in the
      // next case (PROTOCOL.md: close the previous client for good).
      c.client.initConnect = () => {};
      c.client.disconnect();
    }
    user = wsEventQueue();
    return {};
  }
  return { call, close, streamSubscribe };
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
