// console.test.js: the console in a real browser. Starts binance-mock, opens
// its console in Debian's headless Chromium (playwright-core, no downloaded
// browser), sends a wrongly signed request and checks that it appears in the
// journal with its diagnosis and a byte diff, advances the virtual clock with
// the button and checks the server's time moved, shows accounts and the book,
// and walks the token prompt of a server started with --admin-token.
// Leaves a screenshot in OUTDIR. Exit 0 all passed, 1 a check failed,
// 77 (skipped) when Chromium or playwright-core is missing.
//   node console.test.js BINANCE_MOCK SOURCE_DIR OUTDIR
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const [mockBin, srcDir, outDir] = process.argv.slice(2);
if (!mockBin || !srcDir || !outDir) {
  console.log('usage: node console.test.js BINANCE_MOCK SOURCE_DIR OUTDIR');
  process.exit(process.argv.includes('--help') ? 0 : 2);
}
const CHROMIUM = process.env.BC_CHROMIUM || '/usr/bin/chromium';
let chromium;
try { ({ chromium } = require('playwright-core')); } catch (e) {
  console.log('SKIPPED: playwright-core is not installed (npm ci in console/test)');
  process.exit(77);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log('SKIPPED: no Chromium at ' + CHROMIUM + ' (apt-get install chromium)');
  process.exit(77);
}

const HMAC_KEY = 'bjwWbLax0Q0j3R4WAWjuDe29HnV6Ab6UofaDKcayu40jgi7H7WDLo2oIFbnUv9lX'; // alice, bundled test key
const secret = fs.readFileSync(path.join(srcDir, 'vectors/keys/hmac.secret'), 'utf8').trim();
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log('ok   ' + name); } else { failed++; console.log('FAIL ' + name + (detail ? ': ' + detail : '')); }
}

function startMock(extra) {
  return new Promise((resolve, reject) => {
    const p = spawn(mockBin, ['--listen', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) resolve({ proc: p, url: m[1] });
    });
    p.on('exit', (code) => reject(new Error('binance-mock exited ' + code)));
  });
}

async function json(url, opts) { const r = await fetch(url, opts); return { status: r.status, headers: r.headers, body: await r.json() }; }

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const mock = await startMock([]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const consoleErrors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(mock.url + '/');
    check('page loads at /', (await page.title()) === 'binance-mock console');
    await page.waitForFunction(() => /\d{4}-\d\d-\d\d/.test(document.querySelector('#clock-now').textContent));
    check('clock shown', true);

    // A wrongly signed request: signed over raw UTF-8, sent percent-encoded.
    const t = (await json(mock.url + '/api/v3/time')).body.serverTime;
    const raw = 'symbol=这是测试币456&timestamp=' + t;
    const sent = 'symbol=' + encodeURIComponent('这是测试币456') + '&timestamp=' + t;
    const sig = crypto.createHmac('sha256', secret).update(raw).digest('hex');
    const bad = await json(mock.url + '/api/v3/openOrders?' + sent + '&signature=' + sig, { headers: { 'X-MBX-APIKEY': HMAC_KEY } });
    const jid = Number(bad.headers.get('x-mock-explain'));
    check('bad signature answered -1022 with X-Mock-Explain', bad.status === 400 && bad.body.code === -1022 && jid > 0,
      JSON.stringify(bad.body));
    const rowSel = `#journal tbody tr[data-id="${jid}"]`;
    await page.waitForSelector(rowSel, { timeout: 15000 });
    const rowText = await page.textContent(rowSel);
    check('request appears in the journal with its diagnosis', rowText.includes('raw-utf8') && rowText.includes('-1022'), rowText);
    await page.click(rowSel);
    await page.waitForSelector('#detail .diagnosis');
    const diag = await page.textContent('#detail .diagnosis');
    check('detail names the mistake in words', diag.includes('raw-utf8') && /percent-encod/i.test(diag), diag);
    const diff = await page.$$eval('#payload-diff del, #payload-diff ins', (n) => n.map((x) => x.tagName + ':' + x.textContent));
    check('payload diff highlights the differing bytes',
      diff.some((d) => d.startsWith('DEL:') && d.includes('%')) && diff.some((d) => d.startsWith('INS:') && /[这是测试币]/.test(d)),
      JSON.stringify(diff));
    await page.fill('#filter', 'raw-utf8');
    const filtered = await page.$$eval('#journal tbody tr', (rows) => rows.length);
    check('filter narrows the journal to the matching request', filtered === 1, String(filtered));
    await page.fill('#filter', '');
    await page.screenshot({ path: path.join(outDir, 'console-journal.png') });

    // The clock: freeze, then advance one hour with the button.
    await page.click('#btn-freeze');
    await page.waitForFunction(() => document.querySelector('#clock-state').textContent.startsWith('frozen'));
    const before = (await json(mock.url + '/__admin/clock')).body.nowMs;
    await page.fill('#advance-ms', '3600000');
    await page.click('#btn-advance');
    await page.waitForFunction((want) => Number(document.querySelector('#clock-now').dataset.nowMs) === want, before + 3600000);
    const after = (await json(mock.url + '/api/v3/time')).body.serverTime;
    check('Advance moved the server time by 3600000 ms', after === before + 3600000, `${before} -> ${after}`);

    // Accounts and the market.
    await page.click('nav button[data-tab="accounts"]');
    await page.waitForSelector('#accounts .account');
    const acc = await page.textContent('#accounts');
    check('accounts tab lists alice with her balances', acc.includes('alice') && acc.includes('USDT'));
    await page.click('nav button[data-tab="market"]');
    await page.waitForSelector('#bids tbody tr');
    const nb = await page.$$eval('#bids tbody tr', (r) => r.length), na = await page.$$eval('#asks tbody tr', (r) => r.length);
    check('market tab shows both sides of the book', nb > 0 && na > 0, `${nb} bids, ${na} asks`);
    await page.screenshot({ path: path.join(outDir, 'console-market.png') });
    check('no script errors on the page', consoleErrors.length === 0, consoleErrors.join(' | '));
  } finally {
    await browser.close().catch(() => {});
    mock.proc.kill('SIGTERM');
  }

  // A server with --admin-token: the page asks for the token, then works.
  const tok = await startMock(['--admin-token', 's3cret-token']);
  const b2 = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await b2.newPage();
    await page.goto(tok.url + '/__admin/ui');
    await page.waitForSelector('#token-bar:not([hidden])');
    check('with --admin-token the page asks for the token', true);
    const noTok = await fetch(tok.url + '/__admin/journal');
    check('admin data still needs the token', noTok.status === 401, String(noTok.status));
    await page.fill('#token', 's3cret-token');
    await page.click('#btn-token');
    await page.waitForFunction(() => /\d{4}-\d\d-\d\d/.test(document.querySelector('#clock-now').textContent));
    check('with the token the console reads the server', await page.isHidden('#token-bar'));
  } finally {
    await b2.close().catch(() => {});
    tok.proc.kill('SIGTERM');
  }
  console.log(`console: ${passed} passed, ${failed} failed (screenshots in ${outDir})`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.log('FAIL ' + (e && e.stack || e)); process.exit(1); });
