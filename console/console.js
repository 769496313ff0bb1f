/* console.js: the binance-mock console. A page served by the mock itself that
 * shows, live, what the server sees - the journal with each request's explain
 * record, accounts and balances, the book and trades - and drives the clock,
 * faults, reset and WebSocket connections. It uses only the documented admin
 * API (docs/admin-api.md) and the same token rule. Every server string is put
 * into the page as text (textContent), never as HTML. No framework, no build. */
'use strict';

const state = {
  token: sessionStorage.getItem('bcAdminToken') || '',
  entries: [],          // journal entries, oldest first
  lastId: 0,
  selected: 0,
  tab: 'journal',
  symbol: '',
};
const MAX_ENTRIES = 2000;
const $ = (sel) => document.querySelector(sel);

/* ---- admin API ---- */
async function api(method, path, body) {
  const headers = {};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { $('#token-bar').hidden = false; throw new Error('admin token required'); }
  const j = await r.json().catch(() => ({ error: 'HTTP ' + r.status + ' without a JSON body' }));
  if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
  return j;
}

function say(text, isError) {
  const s = $('#status');
  s.textContent = text;
  s.className = 'status' + (isError ? ' error' : '');
}

async function act(label, fn) {
  try { await fn(); say(label + ': done'); } catch (e) { say(label + ': ' + e.message, true); }
  refreshClock();
}

/* ---- DOM helpers (text only) ---- */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) tr.appendChild(c instanceof Node ? c : el('td', c));
  return tr;
}
function td(text, cls) { return el('td', text, cls); }
function fill(tbody, rows) { tbody.replaceChildren(...rows); }
function hhmmss(ms) {
  if (typeof ms !== 'number') return '';
  return new Date(ms).toISOString().slice(11, 23);
}

/* ---- clock ---- */
async function refreshClock() {
  try {
    const c = await api('GET', '/__admin/clock');
    $('#clock-now').textContent = new Date(c.nowMs).toISOString().replace('T', ' ').replace('Z', ' UTC');
    $('#clock-now').dataset.nowMs = c.nowMs;
    const st = $('#clock-state');
    st.textContent = (c.frozen ? 'frozen' : 'running') + (c.offsetMs ? ', offset ' + c.offsetMs + ' ms' : '');
    st.className = 'pill' + (c.frozen ? ' frozen' : '');
  } catch (e) { say('clock: ' + e.message, true); }
}

/* ---- journal ---- */
function entryRoute(e) {
  if (e.transport === 'rest') return (e.method || '') + ' ' + (e.path || '');
  return e.route || e.method || '';
}
function entryVerdict(e) {
  const m = e.explain && e.explain.mistake;
  if (m && m.id) return m.id === 'unknown' ? 'bad signature' : m.id;
  return e.verdict || '';
}
function entryIsError(e) { return (e.status && e.status >= 400) || (e.code !== null && e.code !== undefined); }
function entryText(e) {
  return [entryRoute(e), e.apiKey, e.keyType, e.code, e.msg, entryVerdict(e), e.status, e.transport,
    e.query, e.body].join(' ').toLowerCase();
}

function renderJournal() {
  const f = $('#filter').value.trim().toLowerCase();
  const tr = $('#filter-transport').value;
  const errs = $('#filter-errors').checked;
  const rows = [];
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const e = state.entries[i];
    if (tr && e.transport !== tr) continue;
    if (errs && !entryIsError(e)) continue;
    if (f && !entryText(e).includes(f)) continue;
    const verdict = entryVerdict(e);
    const r = row([
      td(e.id), td(hhmmss(e.timeMs)), td(e.transport), td(entryRoute(e)),
      td(e.apiKey ? e.apiKey.slice(0, 8) + '… ' + (e.keyType || '') : ''),
      td(verdict, e.explain ? 'bad' : verdict === 'ok' ? 'ok' : ''),
      td(e.status, e.status >= 500 ? 'warn' : e.status >= 400 ? 'bad' : 'ok'),
      td(e.code === null || e.code === undefined ? '' : e.code),
    ]);
    r.dataset.id = e.id;
    if (e.id === state.selected) r.className = 'selected';
    rows.push(r);
    if (rows.length >= 500) break;
  }
  fill($('#journal tbody'), rows);
  $('#journal-count').textContent = state.entries.length + ' requests';
}

async function pollJournal() {
  if (!$('#follow').checked) return;
  try {
    const j = await api('GET', '/__admin/journal?limit=500&since=' + state.lastId);
    const got = j.entries || [];
    if (got.length && got[0].id < state.lastId) state.entries = [];   // the server was reset
    for (const e of got) { state.entries.push(e); state.lastId = Math.max(state.lastId, e.id); }
    if (state.entries.length > MAX_ENTRIES) state.entries.splice(0, state.entries.length - MAX_ENTRIES);
    if (got.length) renderJournal();
  } catch (e) { say('journal: ' + e.message, true); }
}

/* Character diff of two strings (LCS; both sides bounded), as DOM nodes:
 * what only `a` has is <del>, what only `b` has is <ins>. */
function diffNodes(a, b) {
  const A = Array.from(a), B = Array.from(b);
  const out = [];
  if (A.length * B.length > 4e6) {            // too long: common prefix/suffix only
    let p = 0; while (p < A.length && p < B.length && A[p] === B[p]) p++;
    let s = 0; while (s < A.length - p && s < B.length - p && A[A.length - 1 - s] === B[B.length - 1 - s]) s++;
    out.push(document.createTextNode(A.slice(0, p).join('')));
    out.push(el('del', A.slice(p, A.length - s).join('')));
    out.push(el('ins', B.slice(p, B.length - s).join('')));
    out.push(document.createTextNode(A.slice(A.length - s).join('')));
    return out;
  }
  const n = A.length, m = B.length, L = new Array((n + 1) * (m + 1)).fill(0);
  for (let i = n - 1; i >= 0; i--)
    for (let k = m - 1; k >= 0; k--)
      L[i * (m + 1) + k] = A[i] === B[k] ? L[(i + 1) * (m + 1) + k + 1] + 1
        : Math.max(L[(i + 1) * (m + 1) + k], L[i * (m + 1) + k + 1]);
  let i = 0, k = 0, kind = '', buf = '';
  const flush = () => { if (buf) out.push(kind ? el(kind, buf) : document.createTextNode(buf)); buf = ''; };
  const put = (t, c) => { if (t !== kind) { flush(); kind = t; } buf += c; };
  while (i < n && k < m) {
    if (A[i] === B[k]) { put('', A[i]); i++; k++; }
    else if (L[(i + 1) * (m + 1) + k] >= L[i * (m + 1) + k + 1]) put('del', A[i++]);
    else put('ins', B[k++]);
  }
  while (i < n) put('del', A[i++]);
  while (k < m) put('ins', B[k++]);
  flush();
  return out;
}

function pre(text) { return el('pre', text === undefined || text === null ? '' : text); }

function renderDetail(e) {
  const d = $('#detail');
  const parts = [el('h4', '#' + e.id + ' ' + entryRoute(e))];
  parts.push(el('p', 'answered ' + e.status + (e.code !== null && e.code !== undefined ? ' ' + e.code : '')
    + (e.msg ? ': ' + e.msg : '') + ' at ' + hhmmss(e.timeMs) + ' (server time)'));
  if (e.apiKey) parts.push(el('p', 'key ' + e.apiKey + ' (' + (e.keyType || '?') + ')', 'muted'));
  const x = e.explain;
  if (x) {
    const m = x.mistake || {};
    const known = m.id && m.id !== 'unknown';
    const diag = el('div', null, 'diagnosis' + (known ? '' : ' none'));
    diag.appendChild(el('strong', known ? 'Diagnosis: ' + m.id : 'No known mistake reproduces this signature'));
    diag.appendChild(el('div', m.text || ''));
    parts.push(diag);
    if (m.payload !== undefined && x.payload !== undefined) {
      parts.push(el('h4', 'What the server verified (the bytes sent) vs what the client signed'));
      const p = el('pre');
      p.replaceChildren(...diffNodes(x.payload, m.payload));
      p.id = 'payload-diff';
      parts.push(p);
      parts.push(el('p', 'red: only in the bytes sent; green: only in what the client signed', 'muted'));
    } else {
      parts.push(el('h4', 'Payload the server verified'), pre(x.payload));
    }
    parts.push(el('h4', 'Signature received'), pre(x.signatureReceived));
    if (x.signatureExpected) parts.push(el('h4', 'Signature the key gives for that payload'), pre(x.signatureExpected));
  } else if (e.payload) {
    parts.push(el('h4', 'Signed payload'), pre(e.payload));
  }
  if (e.transport === 'rest') {
    parts.push(el('h4', 'Request'), pre((e.method || '') + ' ' + (e.path || '') + (e.query ? '?' + e.query : '')));
    if (e.body) parts.push(el('h4', 'Body'), pre(e.body));
    if (e.headers) parts.push(el('h4', 'Headers'), pre(Object.entries(e.headers).map(([k, v]) => k + ': ' + v).join('\n')));
  } else if (e.body) {
    parts.push(el('h4', 'Frame'), pre(e.body));
  }
  parts.push(el('h4', 'Journal entry'), pre(JSON.stringify(e, null, 1)));
  d.replaceChildren(...parts);
}

/* ---- accounts ---- */
async function refreshAccounts() {
  try {
    const j = await api('GET', '/__admin/accounts');
    const boxes = (j.accounts || []).map((a) => {
      const box = el('div', null, 'account');
      box.appendChild(el('h3', a.name + '  (account ' + a.id + ')'));
      if (a.keys && a.keys.length)
        box.appendChild(el('p', 'keys: ' + a.keys.map((k) => k.type + ' ' + k.apiKey.slice(0, 10) + '…'
          + (k.revoked ? ' (revoked)' : '') + ' [' + k.permissions.join(',') + ']').join('; '), 'muted'));
      const bal = el('table', null, 'num');
      bal.appendChild(row([el('th', 'asset'), el('th', 'free'), el('th', 'locked')]));
      for (const b of a.balances || []) bal.appendChild(row([td(b.asset), td(b.free), td(b.locked)]));
      box.appendChild(bal);
      const oo = a.openOrders || [];
      box.appendChild(el('h3', oo.length + ' open orders'));
      if (oo.length) {
        const t = el('table', null, 'num');
        t.appendChild(row(['symbol', 'orderId', 'side', 'type', 'price', 'qty', 'executed', 'status', 'time'].map((h) => el('th', h))));
        for (const o of oo) t.appendChild(row([td(o.symbol), td(o.orderId), td(o.side), td(o.type + (o.working ? '' : ' (waiting)')),
          td(o.price), td(o.origQty), td(o.executedQty), td(o.status), td(hhmmss(o.time))]));
        box.appendChild(t);
      }
      return box;
    });
    $('#accounts').replaceChildren(...boxes);
  } catch (e) { say('accounts: ' + e.message, true); }
}

/* ---- market ---- */
async function refreshMarket() {
  try {
    const j = await api('GET', '/__admin/market' + (state.symbol ? '?symbol=' + encodeURIComponent(state.symbol) : ''));
    const sel = $('#market-symbol');
    if (sel.options.length !== (j.symbols || []).length) {
      sel.replaceChildren(...j.symbols.map((s) => el('option', s)));
    }
    state.symbol = j.symbol;
    sel.value = j.symbol;
    const lv = (arr) => arr.slice(0, 25).map(([p, q]) => row([td(p), td(q)]));
    fill($('#bids tbody'), lv(j.bids || []));
    fill($('#asks tbody'), lv(j.asks || []));
    fill($('#trades tbody'), (j.trades || []).slice(0, 40).map((t) =>
      row([td(hhmmss(t.time)), td(t.price), td(t.qty), td(t.isBuyerMaker ? 'sell' : 'buy', t.isBuyerMaker ? 'bad' : 'ok')])));
    $('#market-update').textContent = 'lastUpdateId ' + j.lastUpdateId;
  } catch (e) { say('market: ' + e.message, true); }
}

/* ---- faults ---- */
async function refreshFaults() {
  try {
    const j = await api('GET', '/__admin/faults');
    fill($('#faults tbody'), (j.faults || []).map((f) => row([td(f.route), td(f.count), td(f.status || ''), td(f.code || ''),
      td(f.msg || ''), td(f.delay_ms || ''), td(f.drop ? 'yes' : ''), td(f.execute ? 'yes' : '')])));
  } catch (e) { say('faults: ' + e.message, true); }
}

function faultFromForm(form) {
  const f = new FormData(form), rule = { route: f.get('route') };
  for (const k of ['count', 'status', 'code', 'delay_ms']) if (f.get(k)) rule[k] = Number(f.get(k));
  if (f.get('msg')) rule.msg = f.get('msg');
  if (f.get('drop')) rule.drop = true;
  if (f.get('execute')) rule.execute = true;
  return rule;
}

/* ---- WebSocket connections ---- */
async function refreshWs() {
  try {
    const j = await api('POST', '/__admin/ws/list', {});
    fill($('#ws tbody'), (j.connections || []).map((c) => {
      const b = el('td');
      const drop = el('button', 'Drop'); drop.type = 'button';
      drop.onclick = () => act('drop ' + c.id, () => api('POST', '/__admin/ws/drop', { conn: c.id })).then(refreshWs);
      const sd = el('button', 'serverShutdown'); sd.type = 'button';
      sd.onclick = () => act('serverShutdown ' + c.id, () => api('POST', '/__admin/ws/shutdown', { conn: c.id })).then(refreshWs);
      b.append(drop, ' ', sd);
      return row([td(c.id), td(c.kind), td(c.path), td(c.ip), td(hhmmss(c.connectedMs)),
        td(c.apiKey ? c.apiKey.slice(0, 10) + '…' : ''), td((c.streams || []).join(' ')), b]);
    }));
  } catch (e) { say('ws: ' + e.message, true); }
}

/* ---- wiring ---- */
const tabRefresh = { accounts: refreshAccounts, market: refreshMarket, faults: refreshFaults, ws: refreshWs };

function showTab(name) {
  state.tab = name;
  for (const b of document.querySelectorAll('nav button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const s of document.querySelectorAll('.tab')) s.classList.toggle('active', s.id === 'tab-' + name);
  if (tabRefresh[name]) tabRefresh[name]();
}

function wire() {
  for (const b of document.querySelectorAll('nav button')) b.onclick = () => showTab(b.dataset.tab);
  $('#btn-freeze').onclick = () => act('freeze', () => api('POST', '/__admin/clock', { frozen: true }));
  $('#btn-unfreeze').onclick = () => act('run', () => api('POST', '/__admin/clock', { frozen: false }));
  $('#btn-advance').onclick = () => act('advance', () => api('POST', '/__admin/clock', { advance_ms: Number($('#advance-ms').value) }));
  $('#btn-offset').onclick = () => act('offset', () => api('POST', '/__admin/clock', { offset_ms: Number($('#offset-ms').value) }));
  $('#btn-reset').onclick = () => {
    if (!confirm('Reset the server: orders, balances, market, journal, limits, faults and clock?')) return;
    act('reset', async () => { await api('POST', '/__admin/reset'); state.entries = []; state.lastId = 0; renderJournal(); });
  };
  $('#btn-token').onclick = () => {
    state.token = $('#token').value;
    sessionStorage.setItem('bcAdminToken', state.token);
    $('#token-bar').hidden = true;
    tick();
  };
  for (const id of ['#filter', '#filter-transport', '#filter-errors']) $(id).oninput = renderJournal;
  $('#journal tbody').onclick = (ev) => {
    const tr = ev.target.closest('tr');
    if (!tr) return;
    state.selected = Number(tr.dataset.id);
    const e = state.entries.find((x) => x.id === state.selected);
    if (e) renderDetail(e);
    renderJournal();
  };
  $('#market-symbol').onchange = (ev) => { state.symbol = ev.target.value; refreshMarket(); };
  $('#fault-form').onsubmit = (ev) => {
    ev.preventDefault();
    act('add fault', () => api('POST', '/__admin/faults', faultFromForm(ev.target))).then(refreshFaults);
  };
  $('#btn-faults-clear').onclick = () => act('clear faults', () => api('DELETE', '/__admin/faults')).then(refreshFaults);
  $('#btn-ws-drop-all').onclick = () => act('drop all', () => api('POST', '/__admin/ws/drop', {})).then(refreshWs);
  $('#btn-ws-shutdown-all').onclick = () => act('serverShutdown', () => api('POST', '/__admin/ws/shutdown', {})).then(refreshWs);
}

let ticks = 0;
function tick() {
  pollJournal();
  refreshClock();
  if (++ticks % 2 === 0 && tabRefresh[state.tab]) tabRefresh[state.tab]();
}

wire();
tick();
setInterval(tick, 1000);
