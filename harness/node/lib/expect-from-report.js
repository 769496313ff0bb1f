#!/usr/bin/env node
// lib/expect-from-report.js: draft an expected-results file (PROTOCOL.md §6)
// from a binance-conform report.json: every non-PASS case with the runner's
// reason, or the human note from NOTES (id prefix -> why) when there is one.
// Usage: node lib/expect-from-report.js REPORT_DIR CLIENT_NAME [notes/<sdk>.json] > expected/<sdk>.json
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [dir, client, notesFile] = process.argv.slice(2);
if (!dir || !client) { console.error('usage: expect-from-report.js REPORT_DIR CLIENT [NOTES.json]'); process.exit(2); }
const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
const notes = notesFile ? JSON.parse(fs.readFileSync(notesFile, 'utf8')) : {};
const noteFor = (id) => { const k = Object.keys(notes).filter((p) => id.startsWith(p)).sort((a, b) => b.length - a.length)[0]; return k ? notes[k] : null; };
const out = { client, default: 'PASS', cases: {} };
for (const c of report.cases) {
  if (c.verdict === 'PASS') continue;
  const n = noteFor(c.id);
  out.cases[c.id] = { verdict: c.verdict, reason: n || c.reason };
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
