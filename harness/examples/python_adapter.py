#!/usr/bin/env python3
"""Minimal binance-conform adapter (harness/PROTOCOL.md, protocol 1).

The "library" here is a 30-line HMAC REST client on the Python standard library,
so the example runs anywhere: replace `Client` with calls into the library you
want to test. Run:  binance-conform --adapter "python3 harness/examples/python_adapter.py"
"""
import hashlib, hmac, json, sys, time, urllib.error, urllib.parse, urllib.request

OPS = {  # op -> (method, path, signed)
    'time': ('GET', '/api/v3/time', False), 'ping': ('GET', '/api/v3/ping', False),
    'exchangeInfo': ('GET', '/api/v3/exchangeInfo', False), 'depth': ('GET', '/api/v3/depth', False),
    'klines': ('GET', '/api/v3/klines', False), 'account': ('GET', '/api/v3/account', True),
    'newOrder': ('POST', '/api/v3/order', True), 'testOrder': ('POST', '/api/v3/order/test', True),
    'getOrder': ('GET', '/api/v3/order', True), 'cancelOrder': ('DELETE', '/api/v3/order', True),
    'openOrders': ('GET', '/api/v3/openOrders', True), 'myTrades': ('GET', '/api/v3/myTrades', True),
}


class ApiError(Exception):
    def __init__(self, status, body, headers):
        super().__init__(body)
        self.status, self.body, self.headers = status, body, headers


class Client:
    """The 'library under test': percent-encode, then sign, signature last."""

    def __init__(self, base_url, api_key, secret, recv_window=None, time_sync=False, timeout=10):
        self.base, self.key, self.secret = base_url.rstrip('/'), api_key, secret
        self.recv_window, self.timeout, self.offset = recv_window, timeout, 0
        if time_sync:
            t0 = time.time() * 1000
            server = self.request('GET', '/api/v3/time', {}, False)['serverTime']
            self.offset = int(server - (t0 + time.time() * 1000) / 2)

    def request(self, method, path, params, signed):
        pairs = [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in params.items()]
        if signed:
            if self.recv_window is not None and 'recvWindow' not in params:
                pairs.append(('recvWindow', str(self.recv_window)))
            pairs.append(('timestamp', str(int(time.time() * 1000) + self.offset)))
        query = '&'.join(urllib.parse.quote(k, safe='-_.~') + '=' + urllib.parse.quote(v, safe='-_.~')
                         for k, v in pairs)
        if signed:
            sig = hmac.new(self.secret.encode(), query.encode(), hashlib.sha256).hexdigest()
            query += ('&' if query else '') + 'signature=' + sig
        req = urllib.request.Request(self.base + path + ('?' + query if query else ''), method=method)
        if signed:
            req.add_header('X-MBX-APIKEY', self.key)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return json.loads(r.read() or b'null')
        except urllib.error.HTTPError as e:
            raise ApiError(e.code, e.read().decode('utf-8', 'replace'), e.headers) from None


def error_of(e):
    if not isinstance(e, ApiError):
        return {'msg': str(e)}
    err = {'httpStatus': e.status, 'raw': e.body}
    try:
        body = json.loads(e.body)
        err.update({k: body[k] for k in ('code', 'msg') if k in body})
    except ValueError:
        pass
    if e.headers.get('Retry-After'):
        err['retryAfter'] = e.headers['Retry-After']
    if e.status >= 500:
        err['unknown'] = True
    return err


def handle(client, op, p):
    if op == 'hello':
        return None, {'ok': True, 'data': {'protocol': 1, 'library': 'example-python-hmac', 'version': '0.1',
                                           'language': 'Python %d.%d' % sys.version_info[:2], 'keyTypes': ['hmac'],
                                           'capabilities': ['rest', 'timeSync', 'perCallRecvWindow', 'signedCall']}}
    if op == 'configure':
        if p.get('keyType') != 'hmac' or p.get('microsecondTimestamps'):
            return None, {'unsupported': True}
        c = Client(p['baseUrl'], p['apiKey'], p['secret'], p.get('recvWindow'), p.get('timeSync', False),
                   p.get('timeoutMs', 10000) / 1000)
        return c, {'ok': True}
    if op == 'signedCall':
        call = (p['method'], p['path'], p.get('params', {}), p.get('security', 'SIGNED') == 'SIGNED')
    elif op in OPS and client:
        method, path, signed = OPS[op]
        call = (method, path, p, signed)
    else:
        return client, {'unsupported': True}
    try:
        return client, {'ok': True, 'data': client.request(*call)}
    except Exception as e:  # what the library surfaced
        return client, {'ok': False, 'error': error_of(e)}


def main():
    client = None
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req.get('op')
        try:
            new_client, answer = handle(client, op, req.get('params') or {})
            client = new_client if op == 'configure' else client
        except Exception as e:
            answer = {'ok': False, 'error': {'msg': 'adapter: %s' % e}}
        if op == 'shutdown':
            answer = {'ok': True}
        print(json.dumps(dict(id=req.get('id'), **answer)), flush=True)
        if op == 'shutdown':
            break


if __name__ == '__main__':
    main()
