#!/usr/bin/env node
// lib/repin.js: re-pin expected/<sdk>.json after a deliberate change (new
// cases, a new SDK version, a grading change): runs binance-conform with each
// adapter and rewrites the expected file from the report, reasons taken from
// notes/<sdk>.json (by case-id prefix) or else the runner's own reason.
// Review the diff (git diff harness/node/expected) before committing it.
// Usage: node lib/repin.js [--conform PATH] [--mock PATH] [SDK...] (binance, connector, ccxt,
//        spot, binance-api-node, node-binance-api; none = all)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO } = require('./mock');
const { pkgVersion } = require('./pkgversion');

const HERE = path.resolve(__dirname, '..');
const CLIENTS = { binance: () => `binance ${require('binance/package.json').version} (npm)`,
  connector: () => `@binance/connector ${require('@binance/connector/package.json').version} (npm)`,
  ccxt: () => `ccxt ${pkgVersion('ccxt')} (npm)`,
  spot: () => `@binance/spot ${pkgVersion('@binance/spot')} (npm)`,
  'binance-api-node': () => `binance-api-node ${pkgVersion('binance-api-node')} (npm)`,
  'node-binance-api': () => `node-binance-api ${pkgVersion('node-binance-api')} (npm)` };

const args = process.argv.slice(2);
let conform = path.join(REPO, 'build', 'bin', 'binance-conform');
const env = { ...process.env };
const sdks = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--conform') conform = args[++i];
  else if (args[i] === '--mock') env.BINANCE_MOCK = args[++i];
  else if (CLIENTS[args[i]]) sdks.push(args[i]);
  else { console.error(`repin.js: unknown argument ${args[i]}`); process.exit(2); }
}
if (!env.BINANCE_MOCK) env.BINANCE_MOCK = path.join(path.dirname(conform), 'binance-mock');
for (const sdk of sdks.length ? sdks : Object.keys(CLIENTS)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `repin-${sdk}-`));
  const r = spawnSync(conform, ['--adapter', `${process.execPath} ${path.join(HERE, 'adapters', sdk + '.js')}`,
    '--report', dir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(path.join(dir, 'report.json'))) { console.error(`repin.js: ${sdk}: no report (exit ${r.status})`); process.exit(1); }
  const out = spawnSync(process.execPath, [path.join(__dirname, 'expect-from-report.js'), dir, CLIENTS[sdk](),
    path.join(HERE, 'notes', sdk + '.json')], { encoding: 'utf8' });
  if (out.status !== 0) { console.error(out.stderr); process.exit(1); }
  fs.writeFileSync(path.join(HERE, 'expected', sdk + '.json'), out.stdout);
  const n = Object.keys(JSON.parse(out.stdout).cases).length;
  console.log(`${sdk}: expected/${sdk}.json written (${n} non-PASS cases; report in ${dir})`);
}
