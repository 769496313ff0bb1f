"""adapters/ccxt_ws.py: the WebSocket half of the ccxt adapter (adapters/ccxt.py):
PROTOCOL.md §2.1 ops through ccxt.pro.binance's own unified asyncio methods,
run on one event loop in a background thread (as adapters/sdk_spot_ws.py).

Pointed at the mock by the same host rewrite as the REST side, applied to
the nested urls['api']['ws'] entries too (wss://stream.binance.com:9443/ws,
wss://ws-api.binance.com:443/ws-api/v3, ...): ccxt.pro (aiohttp) speaks
ws:// with no other setting. Unified symbols come from load_markets() (the
Binance id -> ccxt symbol, e.g. BTCUSDT -> BTC/USDT), as a user's code has;
loaded once per server and handed to each new client with set_markets().
- WS API: create_order_ws (order.place; params {'test': True} = order.test),
  fetch_order_ws (order.status), cancel_order_ws (order.cancel),
  fetch_balance_ws (account.status). The answers are ccxt's unified
  structures; the protocol's data is their `info` (Binance's result as
  received). ccxt has no WS API ping/time call and no session.logon:
  those wsCalls / wsLogon are unsupported.
- User data: authenticate() (userDataStream.subscribe.signature on the WS
  API) awaited, then watch_orders / watch_balance loops: each update's `info`
  is the raw event (executionReport, outboundAccountPosition).
- Market streams: watch_trades (<symbol>@trade): each trade's `info` is the
  raw trade event; un_watch_trades closes it. ccxt's other watch* methods
  hand over only its own structures (watch_order_book a maintained book,
  watch_ohlcv bare [t,o,h,l,c,v] rows, no closed flag), never the events:
  those subscriptions are unsupported."""
import asyncio
import re
import sys

from bcpy.aioloop import LoopThread
from bcpy.events import EventQueue

import ccxt.pro as ccxtpro

PROD_URL = re.compile(r'^(https|wss)://[a-z0-9.-]+\.binance\.(?:com|vision)(?::\d+)?')
TRADE_STREAM = re.compile(r'([a-z0-9]+)@trade')
# load_markets() (7 REST requests and their parsing, seconds on a loaded
# machine) once per server: the markets of one mock never change
MARKETS = {}


def urls_to_mock(v, base, ws_base):
    """Every https:// / wss:// Binance host of ccxt's urls['api'] (nested) -> the mock."""
    if isinstance(v, dict):
        return {k: urls_to_mock(x, base, ws_base) for k, x in v.items()}
    if isinstance(v, str):
        return PROD_URL.sub(lambda m: base if m.group(1) == 'https' else ws_base, v)
    return v


class WsError(Exception):
    def __init__(self, msg):
        super().__init__(msg)
        self.err = {'msg': msg}


class CcxtWs:
    def __init__(self, p):
        self.p = p
        self.timeout_s = p.get('timeoutMs', 14000) / 1000.0
        self.aio = LoopThread(self.timeout_s, lambda m: WsError(m))
        self.loop, self.run = self.aio.loop, self.aio.run
        self.ex = None


    async def exchange(self):
        if self.ex is None:
            p = self.p
            ex = ccxtpro.binance({'apiKey': p['apiKey'], 'secret': p.get('secret') or p.get('privateKeyPem'),
                                  'timeout': p.get('timeoutMs', 14000)})
            ws_base = str(p.get('wsApiUrl', '')).rsplit('/ws-api/', 1)[0]
            ex.urls['api'] = urls_to_mock(ex.urls['api'], p['baseUrl'], ws_base)
            if p.get('recvWindow') is not None:
                ex.options['recvWindow'] = p['recvWindow']
            self.ex = ex
            cached = MARKETS.get(p['baseUrl'])
            if cached:  # as a long-running program: markets loaded once, handed to each new client
                ex.set_markets(*cached)
            else:
                await ex.load_markets()
                MARKETS[p['baseUrl']] = (ex.markets, ex.currencies)
        return self.ex

    def symbol_of(self, market_id):
        m = self.ex.markets_by_id.get(market_id)
        return m[0]['symbol'] if m else market_id

    async def ws_call(self, p):
        method, params = p['method'], dict(p.get('params') or {})
        if p.get('session') or not p.get('signed') or method not in (
                'order.place', 'order.test', 'order.status', 'order.cancel', 'account.status'):
            return False, None
        ex = await self.exchange()
        if method == 'account.status':
            return True, (await ex.fetch_balance_ws(params))['info']
        sym = self.symbol_of(params.pop('symbol', ''))
        if method in ('order.status', 'order.cancel'):
            oid = params.pop('orderId', None)
            fn = ex.fetch_order_ws if method == 'order.status' else ex.cancel_order_ws
            return True, (await fn(str(oid) if oid is not None else None, sym, params))['info']
        typ, side = params.pop('type').lower(), params.pop('side').lower()
        amount, price = params.pop('quantity', None), params.pop('price', None)
        if method == 'order.test':
            params['test'] = True
        o = await ex.create_order_ws(sym, typ, side, amount, price, params)
        return True, o.get('info') if isinstance(o, dict) else o

    def call(self, p):
        return self.run(self.ws_call(p))

    def subscribe(self, p):
        """-> (EventQueue, close function); None when ccxt cannot surface the events."""
        q = EventQueue()
        if p.get('kind') == 'userData':
            self.run(self._auth())
            pumps = [self.pump(q, lambda: self.ex.watch_orders(), lambda os: [o.get('info') for o in os]),
                     self.pump(q, lambda: self.ex.watch_balance(), lambda b: [b.get('info')])]
            return q, self.closer([asyncio.run_coroutine_threadsafe(c, self.loop) for c in pumps], None)
        streams = [str(s) for s in p.get('streams') or []]
        m = TRADE_STREAM.fullmatch(streams[0]) if p.get('kind') == 'market' and len(streams) == 1 else None
        if m is None:
            return None
        self.run(self.exchange())
        sym = self.symbol_of(m.group(1).upper())
        # ccxt keeps the SUBSCRIBE answer to itself: the first watch_trades()
        # returns with the first trade, proof that the subscription is live
        first = self.run(self.ex.watch_trades(sym))
        for t in first:
            q.push(t.get('info'))
        pump = self.pump(q, lambda: self.ex.watch_trades(sym), lambda t: [x.get('info') for x in t])
        task = asyncio.run_coroutine_threadsafe(pump, self.loop)
        return q, self.closer([task], lambda: self.ex.un_watch_trades(sym))

    async def _auth(self):
        ex = await self.exchange()
        await ex.authenticate({'type': 'spot'})

    @staticmethod
    async def pump(q, watch, events):
        while True:
            for ev in events(await watch()):
                q.push(ev)

    def closer(self, tasks, unwatch):
        def close():
            if unwatch is not None:
                self.run(unwatch())
            for t in tasks:
                t.cancel()
        return close

    async def teardown(self):
        me = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not me]
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=2)
        if self.ex is not None:
            await self.ex.close()

    def close(self):
        try:
            self.run(self.teardown())
        except Exception as e:  # noqa: BLE001 (logged: the next case's isolation gate tells)
            print('ccxt_ws: teardown: %r' % e, file=sys.stderr)
        self.ex = None
        self.aio.stop()
