#!/usr/bin/env python3
"""adapters/ccxt.py: binance-conform adapter (harness/PROTOCOL.md) for PyPI
`ccxt` (ccxt.binance, sync REST).

Pointed at the mock by rewriting the host of every entry of
exchange.urls['api'] (api., fapi., dapi., ...) (README "Point your SDK at it"). Ops go through ccxt's
implicit API methods (public_get_depth, private_post_order, ...), which return
Binance's JSON as received and sign exactly as the unified methods do; the
flow (flows/ccxt.py) drives the unified ones (load_markets, create_order, ...).
Keys: HMAC secret, or the RSA/Ed25519 PEM as `secret` (ccxt picks RSA when the
PEM is longer than 120 characters). timeSync = ccxt's load_time_difference()
(the `adjustForTimeDifference` option); config recvWindow = options['recvWindow']
(ccxt's default is 10000). Errors: ccxt raises its own classes whose message
is "binance <body>": code/msg/raw come from that body; the HTTP status is not
kept anywhere; Retry-After is read from exchange.last_response_headers.
WebSocket (WS API, user data, trade streams): adapters/ccxt_ws.py, ccxt.pro's
unified *Ws / watch* methods."""
import json
import os
import re
import sys

# harness/python (for bcpy) replaces this script's folder, whose adapters/<lib>.py
# would otherwise shadow the library of the same name
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.proto import Unsupported, proto_serve  # noqa: E402
from bcpy.errors import error_from  # noqa: E402
from bcpy.events import EventTimeout, stream_op  # noqa: E402
from adapters.ccxt_ws import CcxtWs, WsError  # noqa: E402

import ccxt  # noqa: E402

PROD_HOST = re.compile(r'^https://[a-z0-9]+\.binance\.com')
OPS = {'time': 'public_get_time', 'ping': 'public_get_ping', 'exchangeInfo': 'public_get_exchangeinfo',
       'depth': 'public_get_depth', 'klines': 'public_get_klines', 'account': 'private_get_account',
       'newOrder': 'private_post_order', 'testOrder': 'private_post_order_test', 'getOrder': 'private_get_order',
       'cancelOrder': 'private_delete_order', 'openOrders': 'private_get_openorders',
       'myTrades': 'private_get_mytrades'}


def ccxt_binance(p):
    """A fresh ccxt.binance for the configure params (also used by the flow)."""
    ex = ccxt.binance({'apiKey': p['apiKey'], 'secret': p.get('secret') or p.get('privateKeyPem'),
                       'timeout': p.get('timeoutMs', 14000)})
    # every host (api., fapi., dapi., ...): load_markets() also asks the futures
    # exchangeInfo routes, which the mock answers well-formed and empty
    ex.urls['api'] = {k: PROD_HOST.sub(p['baseUrl'], v) for k, v in ex.urls['api'].items()}
    if p.get('recvWindow') is not None:
        ex.options['recvWindow'] = p['recvWindow']
    if p.get('timeSync'):
        ex.options['adjustForTimeDifference'] = True
        ex.load_time_difference()
    return ex


class Adapter:
    def __init__(self):
        self.ex = None
        self.ws = None
        self.streams = {}

    def hello(self):
        return {'protocol': 1, 'library': 'ccxt', 'version': ccxt.__version__,
                'language': 'Python %d.%d' % sys.version_info[:2], 'keyTypes': ['hmac', 'rsa', 'ed25519'],
                'capabilities': ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall', 'wsApi', 'wsUserData',
                                 'streams']}

    def configure(self, p):
        if p.get('microsecondTimestamps'):
            raise Unsupported()
        self.ex = None
        self.close()
        self.ex = ccxt_binance(p)
        self.ws = CcxtWs(p)

    def close(self):
        if self.ws is not None:
            ws, self.ws, self.streams = self.ws, None, {}
            ws.close()

    def call(self, op, p):
        if self.ex is None:
            raise Unsupported()
        if op == 'signedCall':
            return self.signed_call(p)
        if op == 'wsCall':
            done, result = self.ws.call(p)
            if not done:
                raise Unsupported()
            return result
        if op in ('streamSubscribe', 'streamNext', 'streamClose'):
            return self.stream_op(op, p)
        if op not in OPS:
            raise Unsupported()
        return getattr(self.ex, OPS[op])(dict(p))

    def stream_op(self, op, p):
        return stream_op(self.streams, lambda q: self.ws.subscribe(q), op, p, WsError)

    def signed_call(self, p):
        path, sec = p['path'], p.get('security', 'SIGNED')
        for prefix, api in (('/api/v3/', 'private' if sec != 'NONE' else 'public'), ('/sapi/v1/', 'sapi')):
            if path.startswith(prefix):
                return self.ex.request(path[len(prefix):], [api], p['method'],  # as its implicit methods do
                                       dict(p.get('params') or {}))
        raise Unsupported()

    def error_of(self, e):
        if isinstance(e, EventTimeout):
            return error_from(msg='timeout')
        if isinstance(e, WsError):
            return e.err
        text = str(e)
        body = text[len('binance '):] if text.startswith('binance ') else None
        try:
            json.loads(body) if body else None
        except ValueError:
            body = None
        headers = self.ex.last_response_headers if self.ex is not None else None
        if body is not None:
            return error_from(None, body, headers)
        return error_from(msg='%s: %s' % (type(e).__name__, text), headers=headers)


if __name__ == '__main__':
    proto_serve(Adapter())
