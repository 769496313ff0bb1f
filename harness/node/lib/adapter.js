// lib/adapter.js: the harness adapter protocol (harness/PROTOCOL.md, protocol
// 1) over one SDK driver: JSON lines on stdin, one JSON answer line per
// request on stdout ({"id","ok":true,"data"} | {"id","ok":false,"error"} |
// {"id","unsupported":true}), everything else on stderr. Requests are served
// one at a time, in order. Errors report only what the SDK surfaced.
'use strict';
const readline = require('node:readline');

const OPS = ['time', 'ping', 'exchangeInfo', 'depth', 'klines', 'account', 'newOrder',
  'testOrder', 'getOrder', 'cancelOrder', 'openOrders', 'myTrades'];
const KEY_TYPES = ['hmac', 'rsa', 'ed25519'];

// The protocol owns stdout: SDK logging (console.*) goes to stderr.
function adapterGuardStdout() {
  const out = process.stdout.write.bind(process.stdout);
  for (const m of ['log', 'info', 'warn', 'debug', 'trace']) {
    console[m] = (...a) => process.stderr.write(a.map((x) => (typeof x === 'string' ? x : require('node:util').inspect(x))).join(' ') + '\n');
  }
  return (obj) => out(JSON.stringify(obj) + '\n');
}

// adapterError: the protocol error object from what the driver surfaced.
function adapterError(driverMod, e) {
  const x = driverMod.errorOf(e);
  if (x.kind !== 'http') return { msg: String(x.message), transport: true };
  const err = {};
  if (x.status !== undefined) err.httpStatus = x.status;
  if (typeof x.code === 'number') err.code = x.code;
  if (typeof x.msg === 'string') err.msg = x.msg;
  const ra = x.headers && (x.headers['retry-after'] ?? x.headers['Retry-After']);
  if (ra !== undefined) err.retryAfter = String(ra);
  if (x.body !== undefined) err.raw = typeof x.body === 'string' ? x.body : JSON.stringify(x.body);
  return err;
}

// WS API ops (§2.1) passed to the driver when it implements them and the
// adapter declared the capability they need.
const has = (caps, c) => caps.includes(c);
const WS_OPS = {
  wsCall: (caps, p) => has(caps, 'wsApi') && (!p.session || has(caps, 'wsSession')),
  wsClose: (caps) => has(caps, 'wsApi'),
  wsLogon: (caps) => has(caps, 'wsApi') && has(caps, 'wsSession'),
};
const STREAM_OPS = ['streamSubscribe', 'streamNext', 'streamClose'];

// adapterStreams: the handles of streamSubscribe. The driver's
// streamSubscribe(p) returns {events: wsEventQueue (lib/wsqueue.js), close()}
// and buffers every event of the subscription in arrival order; streamNext
// takes the next one matching `match` (top-level fields equal).
function adapterStreams() {
  const open = new Map();
  let seq = 0;
  const needs = (kind) => (kind === 'userData' ? ['wsApi', 'wsUserData'] : ['streams']);
  const get = (p) => {
    const s = open.get(String(p.handle));
    if (!s) throw new Error(`unknown handle ${JSON.stringify(p.handle)}`);
    return s;
  };
  return {
    has(op, p, caps, drv) {
      if (!drv.streamSubscribe) return false;
      if (op === 'streamSubscribe') return needs(p.kind).every((c) => caps.includes(c));
      return true;
    },
    async streamSubscribe(drv, p) {
      const sub = await drv.streamSubscribe({ ...p });
      const handle = `h${++seq}`;
      open.set(handle, sub);
      return { handle };
    },
    async streamNext(drv, p) {
      const match = p.match && typeof p.match === 'object' ? p.match : {};
      const pred = (ev) => ev && Object.keys(match).every((k) => ev[k] === match[k]);
      const t = Number.isFinite(p.timeoutMs) ? p.timeoutMs : 3000;
      return get(p).events.next(pred, t, 'event').catch(() => { throw new Error('timeout'); });
    },
    async streamClose(drv, p) {
      const s = get(p);
      open.delete(String(p.handle));
      await s.close();
      return {};
    },
    async closeAll() {
      for (const s of open.values()) await s.close().catch(() => {});
      open.clear();
    },
  };
}

// adapterServe(driverMod, hello): run the protocol loop until stdin closes or
// "shutdown". hello = {library, version, capabilities, keyTypes, notes, caps}
// where caps.timeSync / caps.microsecondTimestamps say what configure accepts.
function adapterServe(driverMod, hello) {
  const send = adapterGuardStdout();
  let drv = null;
  const streams = adapterStreams();
  const reply = (id, body) => send({ id: id === undefined ? null : id, ...body });

  async function handle(req) {
    const { id, op } = req; const p = req.params || {};
    if (op === 'hello') {
      return reply(id, { ok: true, data: { protocol: 1, library: hello.library, version: hello.version,
        language: 'JavaScript (Node.js ' + process.versions.node + ')', keyTypes: hello.keyTypes || KEY_TYPES,
        capabilities: hello.capabilities, notes: hello.notes } });
    }
    if (op === 'shutdown') { reply(id, { ok: true }); return 'quit'; }
    if (op === 'configure') {
      if ((p.timeSync && !hello.capabilities.includes('timeSync')) ||
          (p.microsecondTimestamps && !hello.capabilities.includes('microsecondTimestamps'))) {
        return reply(id, { unsupported: true, error: { msg: 'timeSync / microsecondTimestamps not available in this SDK' } });
      }
      if (!(hello.keyTypes || KEY_TYPES).includes(p.keyType)) return reply(id, { unsupported: true });
      try {
        await streams.closeAll();
        if (drv && drv.close) await drv.close().catch(() => {});
        drv = driverMod.create({ baseUrl: String(p.baseUrl || '').replace(/\/$/, ''), apiKey: p.apiKey, wsApiUrl: p.wsApiUrl,
          keyType: p.keyType, secret: p.secret, privateKey: p.privateKeyPem, recvWindow: p.recvWindow,
          timeSync: !!p.timeSync, timeoutMs: p.timeoutMs });
        if (drv.ready) await drv.ready;
        return reply(id, { ok: true });
      } catch (e) {
        drv = null;
        return reply(id, { ok: false, error: { msg: `configure: ${e && e.message ? e.message : e}` } });
      }
    }
    if (!drv) return reply(id, { ok: false, error: { msg: 'not configured' } });
    let call;
    if (OPS.includes(op)) call = () => drv[op]({ ...p });
    else if (op === 'signedCall' && hello.capabilities.includes('signedCall')) {
      if (!p.method || !p.path) return reply(id, { ok: false, error: { msg: 'signedCall: method and path are required' } });
      const sec = p.security || 'SIGNED';
      call = sec === 'NONE' || sec === 'USER_STREAM'
        ? () => drv.publicCall(p.method, p.path, p.params || {})
        : () => drv.signedCall(p.method, p.path, p.params || {});
    } else if (WS_OPS[op] && WS_OPS[op](hello.capabilities, p) && drv[op]) {
      call = async () => drv[op]({ ...p });
    } else if (STREAM_OPS.includes(op) && streams.has(op, p, hello.capabilities, drv)) {
      call = () => streams[op](drv, p);
    } else return reply(id, { unsupported: true });
    try {
      const data = await call();
      if (op === 'wsCall' || op === 'wsLogon') return reply(id, { ok: true, data: data.data, ...(data.rateLimits ? { rateLimits: data.rateLimits } : {}) });
      return reply(id, { ok: true, data: data === undefined ? null : data });
    } catch (e) {
      if (e && e.unsupported) { process.stderr.write(`${op}: unsupported: ${e.why}\n`); return reply(id, { unsupported: true }); }
      return reply(id, { ok: false, error: adapterError(driverMod, e) });
    }
  }

  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    if (!line.trim()) return;
    chain = chain.then(async () => {
      let req;
      try { req = JSON.parse(line); } catch { return reply(null, { ok: false, error: { msg: 'request is not valid JSON' } }); }
      if (!req || typeof req.op !== 'string') return reply(req && req.id, { ok: false, error: { msg: 'missing op' } });
      try {
        if (await handle(req) === 'quit') { rl.close(); process.exit(0); }
      } catch (e) {
        reply(req.id, { ok: false, error: { msg: `adapter: ${e && e.message ? e.message : e}` } });
      }
    });
  });
  rl.on('close', () => { chain.then(() => process.exit(0)); });
}

module.exports = { adapterServe, adapterError, OPS };
