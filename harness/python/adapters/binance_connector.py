#!/usr/bin/env python3
"""adapters/binance_connector.py: binance-conform adapter (harness/PROTOCOL.md)
for PyPI `binance-connector` (binance.spot.Spot, Binance's official and now
deprecated connector), REST side.

Pointed at the mock with Spot(base_url=...). Keys: HMAC as api_secret,
RSA/Ed25519 PEM as private_key (the library tries Ed25519 first, then RSA).
No server-time sync and no client-wide recvWindow (per call only); the
public sign_request / send_request are its generic signed / unsigned calls.
WS API: SpotWebsocketAPIClient(stream_url=wsApiUrl), answers matched by id
from its on_message callback; it signs WS requests with HMAC only
(websocket_api_signature) and has no session.logon and no reconnection, so
signed wsCalls with RSA/Ed25519 keys and session calls answer unsupported.
Market streams: one SpotWebsocketStreamClient(stream_url, is_combined) per
subscription (/ws or /stream), subscribe(streams, id=...) and its answer
awaited from on_message, so the server has the subscription before the case
goes on; events buffered in bcpy.events.EventQueue. User data is not wired:
the connector's only WS user-data wrapper is the retired userDataStream.start."""
import json
import os
import sys
import threading
import uuid

# harness/python (for bcpy) replaces this script's folder, whose adapters/<lib>.py
# would otherwise shadow the library of the same name
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.proto import Unsupported, proto_serve  # noqa: E402
from bcpy.errors import error_from  # noqa: E402
from bcpy.events import EventQueue, EventTimeout  # noqa: E402

from binance.__version__ import __version__ as VERSION  # noqa: E402
from binance.spot import Spot  # noqa: E402
from binance.error import ClientError, ServerError, Error  # noqa: E402
from binance.websocket.spot.websocket_api import SpotWebsocketAPIClient  # noqa: E402
from binance.websocket.spot.websocket_stream import SpotWebsocketStreamClient  # noqa: E402

WS_METHODS = {'order.test': 'new_order_test', 'order.place': 'new_order', 'account.status': 'account',
              'ping': 'ping_connectivity', 'time': 'server_time'}
WS_SIGNED = {'order.test', 'order.place', 'account.status'}


class WsTimeout(Exception):
    pass


class WsError(Exception):
    """A WS API error frame, as the on_message callback delivered it."""


class Adapter:
    def __init__(self):
        self.client = None
        self.ws = None
        self.cfg = {}
        self.frames = {}
        self.cond = threading.Condition()
        self.streams = {}

    def hello(self):
        return {'protocol': 1, 'library': 'binance-connector', 'version': VERSION,
                'language': 'Python %d.%d' % sys.version_info[:2], 'keyTypes': ['hmac', 'rsa', 'ed25519'],
                'capabilities': ['rest', 'perCallRecvWindow', 'signedCall', 'wsApi', 'streams']}

    def configure(self, p):
        if p.get('timeSync') or p.get('microsecondTimestamps') or p.get('recvWindow') is not None:
            raise Unsupported()
        kw = {'base_url': p['baseUrl'], 'timeout': p.get('timeoutMs', 14000) / 1000}
        if p['keyType'] == 'hmac':
            kw['api_secret'] = p['secret']
        else:
            kw['private_key'] = p['privateKeyPem']
        self.client = Spot(p['apiKey'], **kw)
        self.close()
        self.cfg = p

    def on_message(self, _sock, message):
        try:
            frame = json.loads(message)
        except ValueError:
            return
        with self.cond:
            self.frames[str(frame.get('id'))] = (frame, message)
            self.cond.notify_all()

    def ws_call(self, p):
        method, params = p['method'], dict(p.get('params') or {})
        if p.get('session') or method not in WS_METHODS or (method in WS_SIGNED) != bool(p.get('signed')):
            raise Unsupported()
        if method in WS_SIGNED and self.cfg.get('keyType') != 'hmac':
            raise Unsupported()  # the connector signs WS requests with HMAC only
        if self.ws is None:
            self.ws = SpotWebsocketAPIClient(stream_url=self.cfg['wsApiUrl'], api_key=self.cfg['apiKey'],
                                             api_secret=self.cfg.get('secret'), on_message=self.on_message)
        rid = str(p.get('id') or uuid.uuid4())
        fn = getattr(self.ws, WS_METHODS[method])
        if method in ('order.test', 'order.place'):
            fn(params.pop('symbol'), params.pop('side'), params.pop('type'), id=rid, **params)
        else:
            fn(id=rid, **params)
        with self.cond:
            if not self.cond.wait_for(lambda: rid in self.frames, self.cfg.get('timeoutMs', 14000) / 1000 - 0.5):
                raise WsTimeout('no answer to %s id %s' % (method, rid))
            frame, raw = self.frames.pop(rid)
        if frame.get('status') == 200:
            return frame.get('result', {})
        err = frame.get('error') or {}
        raise WsError({'httpStatus': frame.get('status'), 'code': err.get('code'), 'msg': err.get('msg'), 'raw': raw})

    def stream_subscribe(self, p):
        streams = [str(x) for x in p.get('streams') or []]
        if p.get('kind') != 'market' or not streams:
            raise Unsupported()
        combined = bool(p.get('combined'))
        q, acks, cond = EventQueue(), {}, threading.Condition()

        def on_message(_sock, message):
            try:
                f = json.loads(message)
            except ValueError:
                return
            if isinstance(f, dict) and 'id' in f and ('result' in f or 'error' in f):
                with cond:
                    acks[f['id']] = f
                    cond.notify_all()
            elif isinstance(f, dict) and combined and isinstance(f.get('data'), dict):
                q.push(dict(f['data'], _stream=f.get('stream')))
            else:
                q.push(f)
        base = str(self.cfg.get('streamUrl', '')).rsplit('/ws', 1)[0]
        client = SpotWebsocketStreamClient(stream_url=base, on_message=on_message, is_combined=combined)
        rid = len(self.streams) + 1
        client.subscribe(streams, id=rid)
        with cond:
            if not cond.wait_for(lambda: rid in acks, self.cfg.get('timeoutMs', 14000) / 1000 - 0.5):
                client.stop()
                raise WsTimeout('no answer to SUBSCRIBE')
        if acks[rid].get('error'):
            client.stop()
            raise WsError({'code': acks[rid]['error'].get('code'), 'msg': acks[rid]['error'].get('msg'),
                           'raw': json.dumps(acks[rid])})
        handle = 'h%d' % rid
        self.streams[handle] = (client, q)
        return {'handle': handle}

    def stream_op(self, op, p):
        if op == 'streamSubscribe':
            return self.stream_subscribe(p)
        client, q = self.streams.get(str(p.get('handle')), (None, None))
        if client is None:
            raise WsError({'msg': 'unknown handle %r' % p.get('handle')})
        if op == 'streamNext':
            return q.next(p.get('match') or {}, p.get('timeoutMs', 3000) / 1000.0)
        del self.streams[str(p['handle'])]
        client.stop()
        return {}

    def close_ws(self):
        if self.ws is not None:
            ws, self.ws = self.ws, None
            ws.stop()

    def close(self):
        for client, _q in self.streams.values():
            client.stop()
        self.streams = {}
        self.close_ws()

    def call(self, op, p):
        c = self.client
        if c is None:
            raise Unsupported()
        p = dict(p)
        if op == 'time':
            return c.time()
        if op == 'ping':
            return c.ping()
        if op == 'exchangeInfo':
            return c.exchange_info(**p)
        if op == 'depth':
            return c.depth(p.pop('symbol'), **p)
        if op == 'klines':
            return c.klines(p.pop('symbol'), p.pop('interval'), **p)
        if op == 'account':
            return c.account(**p)
        if op in ('newOrder', 'testOrder'):
            fn = c.new_order if op == 'newOrder' else c.new_order_test
            return fn(p.pop('symbol'), p.pop('side'), p.pop('type'), **p)
        if op == 'getOrder':
            return c.get_order(p.pop('symbol'), **p)
        if op == 'cancelOrder':
            return c.cancel_order(p.pop('symbol'), **p)
        if op == 'openOrders':
            return c.get_open_orders(**p)
        if op == 'myTrades':
            return c.my_trades(p.pop('symbol'), **p)
        if op == 'wsCall':
            return self.ws_call(p)
        if op == 'wsClose':
            self.close_ws()
            return {}
        if op in ('streamSubscribe', 'streamNext', 'streamClose'):
            return self.stream_op(op, p)
        if op == 'signedCall':
            sec = p.get('security', 'SIGNED')
            fn = c.sign_request if sec == 'SIGNED' else c.send_request
            return fn(p['method'], p['path'], dict(p.get('params') or {}))
        raise Unsupported()

    def error_of(self, e):
        if isinstance(e, EventTimeout):
            return error_from(msg='timeout')
        if isinstance(e, WsError):
            return {k: v for k, v in e.args[0].items() if v is not None}
        if isinstance(e, ClientError):
            err = error_from(e.status_code, None, e.header, e.error_message)
            if isinstance(e.error_code, int):
                err['code'] = e.error_code
            return err
        if isinstance(e, ServerError):  # status + body text, no headers
            return error_from(e.status_code, e.message)
        if isinstance(e, Error):
            return error_from(msg='%s: %s' % (type(e).__name__, e))
        return error_from(msg='%s: %s' % (type(e).__name__, e))


if __name__ == '__main__':
    proto_serve(Adapter())
