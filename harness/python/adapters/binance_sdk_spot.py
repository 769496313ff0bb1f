#!/usr/bin/env python3
"""adapters/binance_sdk_spot.py: binance-conform adapter (harness/PROTOCOL.md)
for PyPI `binance-sdk-spot` (Binance's official modular Python SDK,
binance_sdk_spot.spot.Spot + binance_common): REST here, the WebSocket API,
user data and market streams in adapters/sdk_spot_ws.py.

Pointed at the mock with ConfigurationRestAPI(base_path=...). Keys: HMAC as
api_secret, RSA/Ed25519 PEM as private_key. Methods take snake_case keyword
arguments (recv_window, new_client_order_id, ...): the adapter renames
Binance's camelCase params, values as given. The library's defaults are kept
(retries=3 with backoff for GET/DELETE 5xx). No server-time sync and no
client-wide recvWindow; send_signed_request / send_request are its generic
calls. Errors: one class per HTTP status (BadRequestError = 400, ...), whose
`status_code` attribute holds Binance's error *code*, not the HTTP status;
the adapter reports the status the class stands for and that code."""
import os
import re
import sys
from importlib.metadata import version

# harness/python (for bcpy) replaces this script's folder, whose adapters/<lib>.py
# would otherwise shadow the library of the same name
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.proto import Unsupported, proto_serve  # noqa: E402
from bcpy.errors import error_from  # noqa: E402
from bcpy.events import EventTimeout  # noqa: E402

from binance_common import errors as E  # noqa: E402
from binance_common.configuration import ConfigurationRestAPI  # noqa: E402
from binance_sdk_spot.spot import Spot  # noqa: E402
from adapters.sdk_spot_ws import SpotWs, WsError  # noqa: E402

# exception class -> the HTTP status it stands for (binance_common.utils.send_request)
STATUS_OF = [(E.BadRequestError, 400), (E.UnauthorizedError, 401), (E.ForbiddenError, 403),
             (E.NotFoundError, 404), (E.RateLimitBanError, 418), (E.TooManyRequestsError, 429)]
METHODS = {'time': 'time', 'ping': 'ping', 'exchangeInfo': 'exchange_info', 'depth': 'depth',
           'klines': 'klines', 'account': 'get_account', 'newOrder': 'new_order', 'testOrder': 'order_test',
           'getOrder': 'get_order', 'cancelOrder': 'delete_order', 'openOrders': 'get_open_orders',
           'myTrades': 'my_trades'}


def snake(name):
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


def plain(x):
    """SDK models back to Binance's JSON (the models' by-alias dicts)."""
    if hasattr(x, 'to_dict'):
        x = x.to_dict()
    elif hasattr(x, 'model_dump'):
        x = x.model_dump(by_alias=True, exclude_none=True)
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if hasattr(x, 'value') and not isinstance(x, (int, float, str)):  # enums
        return x.value
    return x


class Adapter:
    def __init__(self):
        self.client = None
        self.ws = None
        self.cfg = None
        self.subs = {}

    def hello(self):
        return {'protocol': 1, 'library': 'binance-sdk-spot', 'version': version('binance-sdk-spot'),
                'language': 'Python %d.%d' % sys.version_info[:2], 'keyTypes': ['hmac', 'rsa', 'ed25519'],
                'capabilities': ['rest', 'perCallRecvWindow', 'signedCall', 'wsApi', 'wsSession',
                                 'wsUserData', 'streams', 'wsReconnect']}

    def configure(self, p):
        if p.get('timeSync') or p.get('microsecondTimestamps') or p.get('recvWindow') is not None:
            raise Unsupported()
        kw = {'api_key': p['apiKey'], 'base_path': p['baseUrl'], 'timeout': p.get('timeoutMs', 14000)}
        if p['keyType'] == 'hmac':
            kw['api_secret'] = p['secret']
        else:
            kw['private_key'] = p['privateKeyPem']
        self.close()
        self.cfg = p
        self.client = Spot(config_rest_api=ConfigurationRestAPI(**kw))

    def ws_client(self):
        if self.ws is None:
            self.ws = SpotWs(Spot, self.cfg, plain)
        return self.ws

    def call_ws(self, op, p):
        if op == 'wsCall':
            return self.ws_client().call(p)
        if op == 'wsLogon':
            return self.ws_client().logon()
        if op == 'wsClose':
            self.close()
            return {}
        if op == 'streamSubscribe':
            q, unsub = self.ws_client().subscribe(p)
            handle = 'h%d' % (len(self.subs) + 1)
            self.subs[handle] = (q, unsub)
            return {'handle': handle}
        q, unsub = self.subs.get(str(p.get('handle')), (None, None))
        if q is None:
            raise WsError({'msg': 'unknown handle %r' % p.get('handle')})
        if op == 'streamNext':
            return q.next(p.get('match') or {}, p.get('timeoutMs', 3000) / 1000.0)
        del self.subs[str(p['handle'])]
        unsub()
        return {}

    def close(self):
        self.subs = {}
        if self.ws is not None:
            ws, self.ws = self.ws, None
            ws.close()

    def call(self, op, p):
        if self.client is None:
            raise Unsupported()
        if op in ('wsCall', 'wsLogon', 'wsClose', 'streamSubscribe', 'streamNext', 'streamClose'):
            return self.call_ws(op, p)
        api = self.client.rest_api
        if op == 'signedCall':
            sec = p.get('security', 'SIGNED')
            fn = api.send_signed_request if sec == 'SIGNED' else api.send_request
            return plain(fn(p['path'], p['method'], query_params=dict(p.get('params') or {})).data())
        if op not in METHODS:
            raise Unsupported()
        r = getattr(api, METHODS[op])(**{snake(k): v for k, v in p.items()})
        return {} if op == 'ping' else plain(r.data())

    def error_of(self, e):
        if isinstance(e, EventTimeout):
            return error_from(msg='timeout')
        if isinstance(e, WsError):  # an error frame: {code, msg} without the status
            err = error_from(msg=e.err.get('msg'))
            if isinstance(e.err.get('code'), int):
                err['code'] = e.err['code']
            return err
        for cls, status in STATUS_OF:
            if isinstance(e, cls):
                err = error_from(status, msg=e.error_message)
                if isinstance(e.status_code, int):  # holds the Binance code
                    err['code'] = e.status_code
                if getattr(e, 'retry_after', None) is not None:
                    err['retryAfter'] = str(e.retry_after)
                return err
        if isinstance(e, E.ServerError):  # after the library's own retries
            return error_from(e.status_code, msg=e.error_message)
        if isinstance(e, E.Error):
            return error_from(getattr(e, 'status_code', None) if isinstance(e, E.ClientError) else None,
                              msg='%s: %s' % (type(e).__name__, getattr(e, 'error_message', e)))
        return error_from(msg='%s: %s' % (type(e).__name__, e))


if __name__ == '__main__':
    proto_serve(Adapter())
