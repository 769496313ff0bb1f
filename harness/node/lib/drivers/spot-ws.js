// lib/drivers/spot-ws.js: the WebSocket half of the `@binance/spot` driver
// (lib/drivers/spot.js): the adapter's wsCall / wsLogon / wsClose and
// streamSubscribe through the SDK's own public entry points.
// - WS API: client.websocketAPI.connect() -> connection; sendSignedMessage
//   (the SDK adds apiKey, timestamp, signature) for signed calls, sendMessage
//   for the rest; sessionLogon() for Ed25519 sessions (the SDK then sends
//   logged-on requests with neither apiKey nor signature, as the docs ask).
// - User data: userDataStreamSubscribe() on a logged-on session, else
//   userDataStreamSubscribeSignature(); events arrive on the returned stream.
// - Market streams: client.websocketStreams.connect({stream}) opens
//   `/stream?streams=a/b` (the SDK always uses the combined endpoint), and the
//   connection's 'message' listener gets every frame {stream, data}.
// URLs come from the SDK's wsURL options, as a user sets them.
'use strict';
const { wsEventQueue } = require('../wsqueue');

const quiet = { info() {}, warn() {}, debug() {}, error() {} };

function spotWs(Spot, cfg) {
  const wsBase = String(cfg.wsApiUrl || '').replace(/\/ws-api\/v3\/?$/, '');
  const auth = cfg.keyType === 'hmac' ? { apiSecret: cfg.secret } : { privateKey: cfg.privateKey };
  const client = new Spot({
    configurationWebsocketAPI: { apiKey: cfg.apiKey || '', ...auth, wsURL: `${wsBase}/ws-api/v3`,
      timeout: cfg.timeoutMs || 8000 },
    configurationWebsocketStreams: { wsURL: wsBase } });
  client.websocketAPI.logger = quiet;
  client.websocketStreams.logger = quiet;
  let conn = null;
  let loggedOn = false;
  const markets = [];
  const users = [];

  // One connection per configure: after a drop the SDK reconnects by itself
  // (its reconnectDelay, 5 s by default); the adapter never opens a new one.
  async function connection() {
    if (!conn) conn = await client.websocketAPI.connect();
    return conn;
  }
  const shape = (r) => ({ data: r && r.data !== undefined ? r.data : null, rateLimits: r && r.rateLimits });

  async function call({ method, params = {}, signed = false, session = false } = {}) {
    const c = await connection();
    const p = { ...params };
    // session: the SDK sends a logged-on connection's signed requests with a
    // timestamp and no apiKey/signature (its autoSessionReLogon default).
    const r = signed || session ? await c.sendSignedMessage(method, p) : await c.sendMessage(method, p);
    return shape(r);
  }
  // logon: sessionLogon() with whatever key is configured (Binance accepts
  // Ed25519 only; the SDK sends it anyway, so an HMAC key gets the server's error).
  async function logon() {
    const c = await connection();
    const r = await c.sessionLogon();
    loggedOn = true;
    return shape(Array.isArray(r) ? r[0] : r);
  }
  async function subscribeUser() {
    const c = await connection();
    const r = loggedOn ? await c.userDataStreamSubscribe() : await c.userDataStreamSubscribeSignature();
    const q = wsEventQueue();
    r.stream.on('message', (ev) => { if (ev && typeof ev.e === 'string') q.push(ev); });
    users.push(r.stream);
    return { events: q, close: async () => { try { r.stream.unsubscribe(); } catch { /* closed */ } } };
  }
  async function subscribeMarket(streams, combined) {
    const sc = await client.websocketStreams.connect({ stream: streams });
    markets.push(sc);
    const q = wsEventQueue();
    sc.on('message', (text) => {
      let m; try { m = typeof text === 'string' ? JSON.parse(text) : JSON.parse(String(text)); } catch { return; }
      if (m && m.data && typeof m.stream === 'string') q.push(combined ? { ...m.data, _stream: m.stream } : m.data);
    });
    return { events: q, close: async () => { try { await sc.disconnect(); } catch { /* closed */ } } };
  }
  async function streamSubscribe({ kind, streams = [], combined = false } = {}) {
    if (kind === 'userData') return subscribeUser();
    if (kind === 'market' && Array.isArray(streams) && streams.length) return subscribeMarket(streams.map(String), !!combined);
    throw new Error(`streamSubscribe: unknown kind ${JSON.stringify(kind)}`);
  }
  async function close() {
    for (const sc of markets.splice(0)) { try { await sc.disconnect(); } catch { /* closed */ } }
    users.splice(0);
    if (conn) { const c = conn; conn = null; loggedOn = false; try { await c.disconnect(); } catch { /* closed */ } }
    return {};
  }
  return { call, logon, close, streamSubscribe };
}

module.exports = { spotWs };
