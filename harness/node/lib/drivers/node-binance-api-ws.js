// lib/drivers/node-binance-api-ws.js: the WebSocket half of the
// `node-binance-api` driver (lib/drivers/node-binance-api.js): market streams
// through the SDK's public subscribe(endpoint, cb, reconnect, opened) (/ws/<name>)
// and subscribeCombined(streams, …) (/stream?streams=), which hand the
// callback each frame parsed (raw Binance fields; combined: only its `data`,
// the stream name is dropped); closed with terminate(url).
// opened fires on the 101; the driver then waits until the server lists the
// stream (POST /__admin/ws/list), as the SDK sends no SUBSCRIBE whose answer
// would prove it. User data (flows only): userData(…) sends
// userDataStream.subscribe.signature on its WS API connection (the public
// field wsApi holds the URL: there is no option). The SDK has no WS API
// request methods of its own beyond that (its sendWsApiRequest sends
// unsigned frames), so wsApi is not declared.
'use strict';
const assert = require('node:assert/strict');
const { wsEventQueue } = require('../wsqueue');
const { mockStreamsListed } = require('../mock');

function nbaWs(client, cfg, timeoutMs) {
  const open = new Set();
  async function subscribeMarket(streams, combined) {
    const q = wsEventQueue();
    let ws;
    const opened = new Promise((resolve) => {
      // subscribeCombined calls back with the frame's `data` only: the
      // `stream` name is dropped, so there is no `_stream` to report
      const cb = (m) => { if (m && typeof m === 'object') q.push(JSON.parse(JSON.stringify(m))); };
      ws = combined ? client.subscribeCombined(streams, cb, undefined, resolve) : client.subscribe(streams[0], cb, undefined, resolve);
    });
    if (!combined && streams.length > 1) throw { unsupported: true, why: 'subscribe() takes one stream; several need subscribeCombined' };
    let t;
    await Promise.race([opened, new Promise((_, rej) => { t = setTimeout(() => rej(new Error('stream connection: not open')), timeoutMs); })])
      .finally(() => clearTimeout(t));
    open.add(ws);
    await mockStreamsListed(cfg.baseUrl, streams);
    return { events: q, close: async () => { open.delete(ws); client.terminate(ws.url); } };
  }
  async function streamSubscribe({ kind, streams = [], combined = false } = {}) {
    if (kind === 'market' && Array.isArray(streams) && streams.length) return subscribeMarket(streams.map(String), !!combined);
    throw new Error(`streamSubscribe: unknown kind ${JSON.stringify(kind)}`);
  }
  async function close() {
    for (const ws of open) { ws.reconnect = false; try { ws.terminate(); } catch { /* closed */ } }
    open.clear();
    return {};
  }
  return { streamSubscribe, close };
}

// nbaWsSteps: the flow's WebSocket steps (lib/flow.js, per key type):
// userData() (its signed userDataStream.subscribe.signature; all_updates
// callback) and subscribe('<symbol>@trade'), then one MARKET order whose
// executionReport, outboundAccountPosition and trade must arrive. Every event
// is caused by the flow's own order.
function nbaWsSteps(client, ws, symbol, timeoutMs) {
  const st = {};
  return [
    ['wsUserData', async () => {
      st.user = wsEventQueue();
      let t;
      await Promise.race([
        new Promise((resolve) => client.userData((ev) => st.user.push(JSON.parse(JSON.stringify(ev))), undefined, undefined, resolve)),
        new Promise((_, rej) => { t = setTimeout(() => rej(new Error('userData(): subscribed_callback not called')), timeoutMs); }),
      ]).finally(() => clearTimeout(t));
      st.trades = await ws.streamSubscribe({ kind: 'market', streams: [`${symbol.toLowerCase()}@trade`] });
      return `userData() subscribed (subscriptionId ${client.Options.userDataSubscriptionId}); subscribe('${symbol.toLowerCase()}@trade') open`;
    }],
    ['wsUserEvents', async () => {
      const book = await client.publicSpotRequest('v3/depth', { symbol, limit: 5 });
      const qty = (15 / Number(book.asks[0][0])).toFixed(5);
      const o = JSON.parse(JSON.stringify(await client.marketBuy(symbol, qty, { newOrderRespType: 'FULL' })));
      assert.equal(o.status, 'FILLED');
      const ev = await st.user.next((e) => e.e === 'executionReport' && String(e.i) === String(o.orderId) && e.X === 'FILLED', 5000, 'executionReport FILLED');
      assert.ok(o.fills.some((f) => String(f.tradeId) === String(ev.t)), `trade ${ev.t} not among the fills`);
      await st.user.next((e) => e.e === 'outboundAccountPosition', 5000, 'outboundAccountPosition');
      const tr = await st.trades.events.next((e) => e.e === 'trade' && o.fills.some((f) => String(f.tradeId) === String(e.t)), 5000, 'trade event');
      await st.trades.close();
      await client.spotCloseDataStream();
      return `marketBuy ${o.orderId}: executionReport FILLED + outboundAccountPosition on userData(), trade ${tr.t} on subscribe(); spotCloseDataStream()`;
    }],
  ];
}

module.exports = { nbaWs, nbaWsSteps };
