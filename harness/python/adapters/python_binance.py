#!/usr/bin/env python3
"""adapters/python_binance.py: binance-conform adapter (harness/PROTOCOL.md)
for PyPI `python-binance` (binance.client.Client, sync REST).

How a user points it at the mock: Client's URLs are class attributes, and
Client() pings the server in __init__, so they are set on a subclass before
construction (README "Point your SDK at it"). Keys: HMAC as api_secret,
RSA/Ed25519 PEM as private_key (the library tells them apart by length).
No server-time sync (timestamp_offset is left to the user), no generic
signed call (only private _request_api): neither is declared. Config
recvWindow goes to the REQUEST_RECVWINDOW attribute (default 10000), per-call
recvWindow is passed as the documented keyword. Imports go through
binance.client / binance.exceptions, not the package root: binance-connector
installs into the same `binance` package and its empty __init__.py may
replace python-binance's (docs/findings.md).
WebSocket (WS API, market streams, user data): adapters/python_binance_ws.py,
the library's AsyncClient.ws_* and BinanceSocketManager on one event loop in a
background thread (the sync Client runs its loop only inside a call, so its
idle connection could not answer the server's close nor reconnect).
No session.logon method: session calls answer unsupported."""
import json
import os
import sys
from importlib.metadata import version

# harness/python (for bcpy) replaces this script's folder, whose adapters/<lib>.py
# would otherwise shadow the library of the same name
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.proto import Unsupported, proto_serve  # noqa: E402
from bcpy.errors import error_from  # noqa: E402
from bcpy.events import EventTimeout, stream_op  # noqa: E402
from adapters.python_binance_ws import PbWs, WsError  # noqa: E402

from binance.client import Client  # noqa: E402
from binance.exceptions import BinanceAPIException, BinanceRequestException  # noqa: E402


class Adapter:
    def __init__(self):
        self.client = None
        self.ws = None
        self.streams = {}

    def hello(self):
        return {'protocol': 1, 'library': 'python-binance', 'version': version('python-binance'),
                'language': 'Python %d.%d' % sys.version_info[:2], 'keyTypes': ['hmac', 'rsa', 'ed25519'],
                'capabilities': ['rest', 'perCallRecvWindow', 'wsApi', 'wsUserData', 'streams', 'wsReconnect']}

    def configure(self, p):
        if p.get('timeSync') or p.get('microsecondTimestamps'):
            raise Unsupported()
        self.close()
        cls = type('MockClient', (Client,), {'API_URL': p['baseUrl'] + '/api',
                                             'MARGIN_API_URL': p['baseUrl'] + '/sapi',
                                             'WS_API_URL': p.get('wsApiUrl', '')})
        kw = {'requests_params': {'timeout': p.get('timeoutMs', 14000) / 1000}}
        if p['keyType'] == 'hmac':
            kw['api_secret'] = p['secret']
        else:
            kw['private_key'] = p['privateKeyPem']
        self.cfg_key = p['keyType']
        self.client = cls(p['apiKey'], **kw)  # pings, as every user's Client() does
        if p.get('recvWindow') is not None:
            self.client.REQUEST_RECVWINDOW = p['recvWindow']
        self.ws = PbWs(p)

    def call(self, op, p):
        c = self.client
        if c is None:
            raise Unsupported()
        if op == 'wsCall':
            done, result = self.ws.call(p)
            if not done:
                raise Unsupported()
            return result  # the library hands back the frame's result
        if op == 'wsClose':
            self.ws.close_api()
            return {}
        if op in ('streamSubscribe', 'streamNext', 'streamClose'):
            return self.stream_op(op, p)
        if op == 'time':
            return c.get_server_time()
        if op == 'ping':
            return c.ping()
        if op == 'exchangeInfo':  # takes no symbol: the whole exchangeInfo (get_symbol_info() drops rateLimits)
            return c.get_exchange_info()
        if op == 'depth':
            return c.get_order_book(**p)
        if op == 'klines':
            return c.get_klines(**p)
        if op == 'account':
            return c.get_account(**p)
        if op == 'newOrder':
            return c.create_order(**p)
        if op == 'testOrder':
            return c.create_test_order(**p)
        if op == 'getOrder':
            return c.get_order(**p)
        if op == 'cancelOrder':
            return c.cancel_order(**p)
        if op == 'openOrders':
            return c.get_open_orders(**p)
        if op == 'myTrades':
            return c.get_my_trades(**p)
        raise Unsupported()

    def stream_op(self, op, p):
        return stream_op(self.streams, lambda q: self.ws.subscribe(q), op, p, WsError)

    def close(self):
        if self.ws is not None:
            ws, self.ws, self.streams = self.ws, None, {}
            ws.close()

    def error_of(self, e):
        if isinstance(e, EventTimeout):
            return error_from(msg='timeout')
        if isinstance(e, WsError):
            return e.err
        if isinstance(e, BinanceAPIException) and isinstance(e.response, dict):  # a WS API error frame
            err = error_from(e.status_code, json.dumps(e.response), None, e.message)
            if isinstance(e.code, int):
                err['code'] = e.code
            return err
        if isinstance(e, BinanceAPIException):
            r = e.response
            return error_from(e.status_code, r.text if r is not None else None,
                              r.headers if r is not None else None, e.message)
        if isinstance(e, BinanceRequestException):
            return error_from(msg=e.message)
        return error_from(msg='%s: %s' % (type(e).__name__, e))


if __name__ == '__main__':
    proto_serve(Adapter())
