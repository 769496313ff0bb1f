"""adapters/python_binance_ws.py: the WebSocket half of the python-binance
adapter (adapters/python_binance.py): PROTOCOL.md §2.1 ops through the
library's own asyncio API (binance.async_client.AsyncClient and
binance.ws.streams.BinanceSocketManager, the engine under its
ThreadedWebsocketManager), run on one event loop in a background thread, so
the WS API connection stays open between calls and its own reconnection works.

Pointed at the mock as a user would: the URLs are class attributes, set on
subclasses (AsyncClient.API_URL / WS_API_URL: AsyncClient.create() pings the
REST API; BinanceSocketManager.STREAM_URL = "ws://HOST:PORT/", to which it
appends ws/<stream> or stream?streams=).
- WS API: AsyncClient.ws_* (ws_create_test_order, ws_create_order,
  ws_get_order, ws_cancel_order, ws_get_account, ws_ping, ws_get_time);
  error frames raise BinanceAPIException(frame, status, ...). No
  session.logon method: session calls are unsupported.
- Market streams: depth_socket / kline_socket / trade_socket for one
  stream, multiplex_socket for combined ones: the library names its streams
  in the URL (no SUBSCRIBE frame); the socket is entered (connected) before
  streamSubscribe answers, its recv() loop pushes every message.
- User data: user_socket(), which subscribes on the WS API with
  userDataStream.subscribe.signature (its KeepAliveWebsocket)."""
import asyncio
import concurrent.futures
import re
import sys

from bcpy.aioloop import LoopThread
from bcpy.events import EventQueue

from binance.async_client import AsyncClient
from binance.ws.constants import WSListenerState
from binance.ws.streams import BinanceSocketManager

WS_METHODS = {'order.test': ('ws_create_test_order', True), 'order.place': ('ws_create_order', True),
              'order.status': ('ws_get_order', True), 'order.cancel': ('ws_cancel_order', True),
              'account.status': ('ws_get_account', True), 'ping': ('ws_ping', False),
              'time': ('ws_get_time', False)}


class WsError(Exception):
    """A local failure (no answer in time, unknown handle): {msg}."""

    def __init__(self, msg):
        super().__init__(msg)
        self.err = {'msg': msg}


class PbWs:
    def __init__(self, p):
        base = p['baseUrl']
        ws_base = str(p.get('streamUrl', '')).rsplit('/ws', 1)[0] + '/'
        self.client_cls = type('MockAsyncClient', (AsyncClient,), {'API_URL': base + '/api',
                                                                  'MARGIN_API_URL': base + '/sapi',
                                                                  'WS_API_URL': p.get('wsApiUrl', '')})
        self.bsm_cls = type('MockSocketManager', (BinanceSocketManager,), {'STREAM_URL': ws_base})
        self.p = p
        self.timeout_s = p.get('timeoutMs', 14000) / 1000.0
        self.aio = LoopThread(self.timeout_s, lambda m: WsError(m))
        self.loop, self.run = self.aio.loop, self.aio.run
        self.client = None
        self.bsm = None
        self.socks = []


    def async_client(self):
        if self.client is None:
            p = self.p
            kw = {'api_secret': p['secret']} if p['keyType'] == 'hmac' else {'private_key': p['privateKeyPem']}
            kw['requests_params'] = {'timeout': self.timeout_s}
            self.client = self.run(self.client_cls.create(p['apiKey'], **kw))  # pings, as create() does
            self.bsm = self.run(self.in_loop(self.bsm_cls, self.client))
        return self.client

    @staticmethod
    async def in_loop(fn, *args):
        # the library binds each socket to the loop current at construction
        # (binance.helpers.get_loop): build them on the background loop
        return fn(*args)

    def call(self, p):
        """-> (True, result) or (False, None) when the library has no such call."""
        name, signed = WS_METHODS.get(p['method'], (None, None))
        if name is None or p.get('session') or signed != bool(p.get('signed')):
            return False, None
        params = dict(p.get('params') or {})
        if p.get('id') is not None:
            params['id'] = p['id']
        c = self.async_client()
        return True, self.run(getattr(c, name)(**params))

    def close_api(self):
        if self.client is not None:
            self.run(self.fast_close(self.client.ws_api))  # reopened by the next request

    def socket_for(self, streams, combined):
        bsm = self.bsm
        if combined or len(streams) != 1:
            return bsm.multiplex_socket(streams)
        m = re.fullmatch(r'([a-z0-9]+)@(trade|kline_(\w+)|depth(\d*)(?:@(\d+)ms)?)', streams[0])
        if m is None:
            return bsm.multiplex_socket(streams)
        sym = m.group(1).upper()
        if m.group(2) == 'trade':
            return bsm.trade_socket(sym)
        if m.group(3):
            return bsm.kline_socket(sym, m.group(3))
        return bsm.depth_socket(sym, depth=m.group(4) or None, interval=int(m.group(5)) if m.group(5) else None)

    def subscribe(self, p):
        """-> (EventQueue, close function); None for an unknown kind."""
        self.async_client()
        if p.get('kind') == 'userData':
            sock = self.run(self.in_loop(self.bsm.user_socket))
        elif p.get('kind') == 'market' and p.get('streams'):
            sock = self.run(self.in_loop(self.socket_for, [str(s) for s in p['streams']], bool(p.get('combined'))))
        else:
            return None
        self.socks.append(sock)
        q = EventQueue()
        opened = concurrent.futures.Future()

        async def pump():
            try:
                async with sock as s:
                    opened.set_result(True)
                    while True:
                        q.push(self.event_of(await s.recv()))
            except Exception as e:  # noqa: BLE001 (reported to streamSubscribe if not open yet)
                if not opened.done():
                    opened.set_exception(e)
        task = asyncio.run_coroutine_threadsafe(pump(), self.loop)
        try:
            opened.result(self.timeout_s)
        except concurrent.futures.TimeoutError:
            task.cancel()
            raise WsError('the socket did not open within %d ms' % (self.timeout_s * 1000))

        def close():
            self.run(self.fast_close(sock))
            task.cancel()
            try:
                task.result(self.timeout_s)
            except (concurrent.futures.CancelledError, concurrent.futures.TimeoutError, Exception):
                pass
        return q, close

    @staticmethod
    async def fast_close(sock):
        """ReconnectingWebsocket.close() first waits for its read loop, which
        sits in recv() for up to TIMEOUT (10 s) before it sees the exit flag:
        set the flag and close the socket first (no reconnect: the loop
        checks the flag before the state), then the library's own close()."""
        sock.ws_state = WSListenerState.EXITING
        if getattr(sock, 'ws', None) is not None:
            await sock.ws.close()
        await sock.close()

    @staticmethod
    def event_of(msg):
        # a combined stream's frame {stream, data}: the event with `_stream`
        if isinstance(msg, dict) and isinstance(msg.get('data'), dict) and 'stream' in msg:
            return dict(msg['data'], _stream=msg['stream'])
        return msg

    async def teardown(self):
        """The end of this client for good (configure, shutdown): a socket
        that is reconnecting cannot be closed by the library (its close()
        waits for a read loop that connect() puts back to STREAMING, so it
        streams on), so every task of this loop is cancelled, then every
        socket closed, as the end of the process would."""
        socks = list(self.socks) + ([self.client.ws_api] if self.client is not None else [])
        for sock in socks:
            sock.ws_state = WSListenerState.EXITING
        me = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not me]
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=2)
        for sock in socks:
            if getattr(sock, 'ws', None) is not None:
                try:
                    await asyncio.wait_for(sock.ws.close(), 1)
                except Exception:  # noqa: BLE001 (already closed)
                    pass
        if self.client is not None and self.client.session is not None:
            await self.client.session.close()

    def close(self):
        try:
            self.run(self.teardown())
        except Exception as e:  # noqa: BLE001 (logged: the next case's isolation gate tells)
            print('python_binance_ws: teardown: %r' % e, file=sys.stderr)
        self.socks, self.client = [], None
        self.aio.stop()
