// lib/mock.js: start/stop a binance-mock for the Node flows and adapters, and
// talk to its admin API (/__admin/*). Nothing here knows about any SDK.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const REPO = process.env.BC_SOURCE_DIR || path.resolve(__dirname, '..', '..', '..');

// mock_find_binary: --mock PATH, $BINANCE_MOCK, $BC_BIN_DIR/binance-mock, build/bin.
function mockFindBinary(explicit) {
  const cands = [explicit, process.env.BINANCE_MOCK,
    process.env.BC_BIN_DIR && path.join(process.env.BC_BIN_DIR, 'binance-mock'),
    path.join(REPO, 'build', 'bin', 'binance-mock')].filter(Boolean);
  for (const c of cands) if (fs.existsSync(c)) return c;
  throw new Error('binance-mock not found (tried: ' + cands.join(', ') + ')');
}

// mockStart: spawn on an ephemeral port, resolve {url, stop} once it prints
// "listening on URL". Extra flags (e.g. --seed) may be passed in opts.args.
function mockStart(opts = {}) {
  const bin = mockFindBinary(opts.binary);
  const keys = opts.keys || path.join(REPO, 'vectors', 'keys', 'registry.json');
  const args = ['--listen', '127.0.0.1:0', '--keys', keys, ...(opts.args || [])];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('binance-mock did not start within 15 s')); }, 15000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`binance-mock exited (${code ?? sig}) before listening`)); });
    child.stdout.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/listening on (https?:\/\/\S+)/);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.resume();
      resolve({ url: m[1].replace(/\/$/, ''), child, stop: () => mockStop(child) });
    });
  });
}

function mockStop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(t); resolve(); });
    child.kill('SIGTERM');
  });
}

// mockAdmin: JSON call to /__admin/<what>; returns the parsed body.
async function mockAdmin(url, method, what, body) {
  const r = await fetch(`${url}/__admin/${what}`, {
    method, headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`admin ${method} ${what}: HTTP ${r.status} ${text.slice(0, 200)}`);
  try { return JSON.parse(text); } catch { return text; }
}

// mockStreamsListed: wait (bounded: 400 round trips of POST /__admin/ws/list,
// 10 ms apart) until every stream name is on an open server-side stream
// connection. For SDKs whose stream helpers give the caller no signal that
// the server registered the connection (findings.md).
async function mockStreamsListed(url, names) {
  for (let i = 0; i < 400; i++) {
    const l = await mockAdmin(url, 'POST', 'ws/list', {});
    const streams = (l.connections || []).filter((c) => c.kind === 'stream').flatMap((c) => c.streams || []);
    if (names.every((n) => streams.includes(n))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no server-side stream connection for ${names.join(',')} within 400 round trips`);
}

module.exports = { REPO, mockFindBinary, mockStart, mockStop, mockAdmin, mockStreamsListed };
