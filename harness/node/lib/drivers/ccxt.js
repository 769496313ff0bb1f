// lib/drivers/ccxt.js: npm `ccxt` (class binance, the `pro` build with its
// WebSocket methods) behind the uniform driver interface used by the flows
// and the adapter. ccxt has no base-URL option: a user points it at another
// host by rewriting `exchange.urls.api` (every REST and WS entry), which is
// what create() does; its watch* methods refuse ws:// until the documented
// `await exchange.loadHttpProxyAgent()` has run (ready). Ops call ccxt's own
// implicit API methods (publicGetDepth, privatePostOrder, ...: ccxt signs
// them; raw Binance JSON back) so the protocol's data checks apply; the flow
// adds ccxt's start-up path (loadMarkets) and its unified methods. ccxt picks
// the key type from the secret: a PEM with "PRIVATE KEY" longer than 120
// characters is RSA, shorter is Ed25519, anything else an HMAC secret.
'use strict';
const ccxt = require('ccxt');
const { mockAdmin } = require('../mock');
const VERSION = require('../pkgversion').pkgVersion('ccxt');
const { ccxtWs, ccxtWsSteps } = require('./ccxt-ws');

// ccxtLocal: rewrite every https://host and wss://host[:port] of urls.api to
// the mock's origin (http:// and ws://), in place.
function ccxtLocal(api, baseUrl) {
  const host = new URL(baseUrl).host;
  for (const [k, v] of Object.entries(api)) {
    if (typeof v === 'string') api[k] = v.replace(/^https:\/\/[^/]+/, `http://${host}`).replace(/^wss:\/\/[^/]+/, `ws://${host}`);
    else if (v && typeof v === 'object') ccxtLocal(v, baseUrl);
  }
}

// cfg: {baseUrl, apiKey, keyType, secret, privateKey, recvWindow, timeSync}
function create(cfg) {
  const opts = { enableRateLimit: false, timeout: cfg.timeoutMs || 20000, options: {} };
  if (cfg.apiKey) { opts.apiKey = cfg.apiKey; opts.secret = cfg.keyType === 'hmac' ? cfg.secret : cfg.privateKey; }
  if (cfg.recvWindow !== undefined) opts.options.recvWindow = cfg.recvWindow;
  // ccxt's own clock sync: options.adjustForTimeDifference + loadTimeDifference()
  if (cfg.timeSync) opts.options.adjustForTimeDifference = true;
  const ex = new ccxt.pro.binance(opts);
  ccxtLocal(ex.urls.api, cfg.baseUrl);
  const ws = ccxtWs(ex);
  const boot = (async () => {
    await ex.loadHttpProxyAgent();           // ws:// needs it (ccxt's documented way)
    if (cfg.timeSync) await ex.loadTimeDifference();
  })();
  const str = (p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]));
  const IMPLICIT = { GET: 'Get', POST: 'Post', PUT: 'Put', DELETE: 'Delete' };
  // implicit: ccxt's generated method for /api/v3/<path> (publicGetX/privatePostX).
  const implicit = (access, method, path, p) => {
    const rest = path.replace(/^\/?api\/v3\//, '');
    const name = access + IMPLICIT[method] + rest.split('/').map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('');
    if (typeof ex[name] !== 'function') throw new Error(`ccxt has no implicit method ${name} for ${method} ${path}`);
    return ex[name](str(p));
  };
  return {
    sdk: 'ccxt', version: VERSION, client: ex, ready: boot,
    wsCall: ws.call, wsClose: ws.closeApi, streamSubscribe: ws.streamSubscribe,
    // startup: what a ccxt user's first call does (fetchMarkets: /api/v3/exchangeInfo,
    // margin discovery, /fapi + /dapi exchangeInfo, capital/config/getall with a key).
    startup: async () => { const m = await ex.loadMarkets(); return Object.keys(m).length; },
    ping: () => ex.publicGetPing(),
    time: () => ex.publicGetTime(),
    exchangeInfo: (p = {}) => ex.publicGetExchangeInfo(str(p)),
    depth: (p) => ex.publicGetDepth(str(p)),
    klines: (p) => ex.publicGetKlines(str(p)),
    account: (p = {}) => ex.privateGetAccount(str(p)),
    newOrder: (p) => ex.privatePostOrder(str(p)),
    testOrder: (p) => ex.privatePostOrderTest(str(p)),
    getOrder: (p) => ex.privateGetOrder(str(p)),
    cancelOrder: (p) => ex.privateDeleteOrder(str(p)),
    openOrders: (p = {}) => ex.privateGetOpenOrders(str(p)),
    myTrades: (p) => ex.privateGetMyTrades(str(p)),
    signedCall: (method, path, p = {}) => implicit('private', method, path, p),
    publicCall: (method, path, p = {}) => implicit('public', method, path, p),
    // extraSteps: ccxt.pro's watchTrades over ws:// (possible only after
    // loadHttpProxyAgent()): once the mock's journal shows the stream's
    // SUBSCRIBE answered (ccxt does not expose it), a MARKET order's trade
    // must arrive as a unified trade.
    extraSteps: (symbol) => [['watchTrades', async () => {
      const market = Object.values(ex.markets || {}).find((m) => m.id === symbol && m.spot);
      if (!market) throw new Error(`no spot market ${symbol} after loadMarkets()`);
      const stream = `${symbol.toLowerCase()}@trade`;
      const journal = async () => { const j = await mockAdmin(cfg.baseUrl, 'GET', 'journal'); return Array.isArray(j) ? j : (j.entries || []); };
      const since = Math.max(0, ...(await journal()).map((r) => Number(r.id) || 0));
      const subscribed = async () => (await journal()).some((r) => Number(r.id) > since && r.transport === 'stream'
        && r.method === 'SUBSCRIBE' && String(r.body || '').includes(stream) && r.status === 200);
      // every trade seen, kept: the stream may deliver our trade before the
      // order's REST answer names its trade ids
      const ids = new Set();
      const seen = [];
      let found = null;
      const mine = new Promise((resolve, reject) => {
        found = () => { const t = seen.find((x) => ids.has(String(x.id))); if (t) resolve(t); };
        const loop = () => ex.watchTrades(market.symbol).then((ts) => { seen.push(...ts); found(); loop(); }, reject);
        loop();
      });
      for (let i = 0; !(await subscribed()); i++) {
        if (i >= 100) throw new Error(`no answered SUBSCRIBE ${stream} in the journal`);
        await new Promise((r) => setTimeout(r, 50));    // poll the journal (a round trip each), bounded
      }
      const book = await ex.publicGetDepth({ symbol, limit: 5 });
      const o = await ex.privatePostOrder({ symbol, side: 'BUY', type: 'MARKET',
        quantity: (15 / Number(book.asks[0][0])).toFixed(5), newOrderRespType: 'FULL' });
      for (const f of o.fills || []) ids.add(String(f.tradeId));
      found();
      let timer;
      const t = await Promise.race([mine, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('watchTrades: our trade did not arrive within 5 s')), 5000); })])
        .finally(() => clearTimeout(timer));
      return `watchTrades(${market.symbol}) over ws:// got trade ${t.id} of our MARKET order ${o.orderId}`;
    }], ...ccxtWsSteps(ex, ws, cfg, symbol)],
    close: ws.close,
  };
}

// errorOf: ccxt throws its own classes (AuthenticationError, InvalidOrder,
// ...) whose message is "binance <body>" for a Binance error body, or
// "binance <METHOD> <url> <status> <statusText> <body>" when only the HTTP
// status mapped (418/429/5xx). The HTTP status is not a field: it is read
// from the message when ccxt printed it there.
function errorOf(e) {
  if (e instanceof ccxt.BaseError) {
    const m = String(e.message || '');
    const j = m.indexOf('{');
    let body; try { body = j >= 0 ? JSON.parse(m.slice(j)) : undefined; } catch { body = undefined; }
    const st = m.match(/^\S+ (?:GET|POST|PUT|DELETE) \S+ (\d{3}) /);
    if (body || st) {
      return { kind: 'http', status: st ? Number(st[1]) : undefined, code: body && body.code, msg: body && body.msg,
        body: j >= 0 ? m.slice(j) : m, headers: {}, cls: e.constructor.name };
    }
    if (e instanceof ccxt.NetworkError) return { kind: 'transport', message: `${e.constructor.name}: ${m}` };
    return { kind: 'transport', message: `${e.constructor.name}: ${m}` };
  }
  return { kind: 'transport', message: (e && (e.message || e.code)) || String(e), code: e && e.code };
}

module.exports = { name: 'ccxt', sdk: 'ccxt', version: VERSION, create, errorOf, ccxtLocal };
