"""bcpy/flow.py: the end-to-end user flow (as harness/node/lib/flow.js) run
through one adapter object per key type: time, exchangeInfo + depth, account,
a LIMIT order that rests, query it, cancel it (gone from openOrders), a MARKET
order that fills, myTrades shows the fill and the balance grew, order/test.
Each step calls the SDK's own methods (through the adapter's op table),
asserts the result and prints one line; flows/<lib>.py may append steps of
its own (WS API, streams, user data).
Usage: flows/<lib>.py [--server URL | --mock PATH] [--keys hmac,rsa2048,...]
Exit status 0 when every step of every key type passed, 1 otherwise."""
import argparse
import math
import sys
import time

from .keys import keys_load
from .mock import Mock, mock_last_id, mock_requests_ok


def _filter(sym, t):
    return next((f for f in sym.get('filters', []) if f['filterType'] == t), {})


def _decimals(step):
    s = str(step)
    return len(s.split('.')[1].rstrip('0')) if '.' in s else 0


def _floor(v, step):
    return '%.*f' % (_decimals(step), math.floor(v / float(step) + 1e-9) * float(step))


def _ceil(v, step):
    return '%.*f' % (_decimals(step), math.ceil(v / float(step) - 1e-9) * float(step))


def market_plan(sym, bid, ask):
    """A BUY LIMIT price well below the bid (it rests), a quantity worth 3x the
    minimum notional (a MARKET BUY of it fills), on the symbol's filters."""
    pf, lot, mlot = _filter(sym, 'PRICE_FILTER'), _filter(sym, 'LOT_SIZE'), _filter(sym, 'MARKET_LOT_SIZE')
    nf = _filter(sym, 'NOTIONAL') if _filter(sym, 'NOTIONAL').get('minNotional') else _filter(sym, 'MIN_NOTIONAL')
    pp = _filter(sym, 'PERCENT_PRICE_BY_SIDE')
    ref = (bid + ask) / 2 if bid and ask else (bid or ask)
    p = (bid or ref) * 0.9
    if pp.get('bidMultiplierDown'):
        p = max(p, ref * float(pp['bidMultiplierDown']) * 1.05)
    rest = _floor(p, pf.get('tickSize', '0.01'))
    step = mlot['stepSize'] if float(mlot.get('stepSize', 0)) > float(lot.get('stepSize', 0)) \
        else lot.get('stepSize', '0.00001')
    q = max(float(lot.get('minQty', 0)), float(mlot.get('minQty', 0)),
            float(nf.get('minNotional', 10)) * 3 / float(rest))
    return rest, _ceil(q, step)


# Signed calls carry a wide per-call recvWindow: on a heavily loaded machine a
# process can stall for seconds between signing and sending, and the flow
# tests function, not timing (the conformance cases test the defaults).
RW = {'recvWindow': 60000}


def flow_steps(symbol):
    def t_time(a, st):
        r = a.call('time', {})
        assert isinstance(r['serverTime'], int), r
        assert abs(r['serverTime'] - time.time() * 1000) < 60000, 'serverTime near local clock'
        return 'serverTime %d' % r['serverTime']

    def t_info(a, st):
        r = a.call('exchangeInfo', {'symbol': symbol})
        sym = next((x for x in r['symbols'] if x['symbol'] == symbol), None)  # some SDKs send no symbol
        assert sym, '%s in exchangeInfo' % symbol
        st['sym'] = sym
        types = [f['filterType'] for f in sym['filters']]
        assert 'PRICE_FILTER' in types and 'LOT_SIZE' in types, types
        book = a.call('depth', {'symbol': symbol, 'limit': 5})
        bid, ask = float(book['bids'][0][0]), float(book['asks'][0][0])
        assert bid < ask, 'best bid < best ask'
        st['price'], st['qty'] = market_plan(sym, bid, ask)
        return '%s filters %d, bid %s ask %s' % (symbol, len(types), book['bids'][0][0], book['asks'][0][0])

    def _free(acct, asset):
        return float(next((b['free'] for b in acct['balances'] if b['asset'] == asset), 0))

    def t_account(a, st):
        r = a.call('account', dict(RW))
        assert r['canTrade'] is True, r
        st['base0'] = _free(r, st['sym']['baseAsset'])
        assert _free(r, st['sym']['quoteAsset']) > 0, 'quote balance'
        return '%d balances, %s free %s' % (len(r['balances']), st['sym']['baseAsset'], st['base0'])

    def t_limit(a, st):
        r = a.call('newOrder', {**RW, 'symbol': symbol, 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC',
                                'quantity': st['qty'], 'price': st['price']})
        assert r['status'] == 'NEW' and isinstance(r['orderId'], int), r
        assert float(r['price']) == float(st['price']), r
        st['limit'] = r
        return 'orderId %d BUY %s @ %s NEW' % (r['orderId'], st['qty'], st['price'])

    def t_get(a, st):
        r = a.call('getOrder', {**RW, 'symbol': symbol, 'orderId': st['limit']['orderId']})
        assert r['orderId'] == st['limit']['orderId'] and r['clientOrderId'] == st['limit']['clientOrderId'], r
        assert r['status'] == 'NEW' and float(r['origQty']) == float(st['qty']), r
        return 'orderId %d status %s' % (r['orderId'], r['status'])

    def t_cancel(a, st):
        r = a.call('cancelOrder', {**RW, 'symbol': symbol, 'orderId': st['limit']['orderId']})
        assert r['orderId'] == st['limit']['orderId'] and r['status'] == 'CANCELED', r
        opn = a.call('openOrders', {**RW, 'symbol': symbol})
        assert not any(o['orderId'] == r['orderId'] for o in opn), 'not in openOrders'
        return 'orderId %d CANCELED' % r['orderId']

    def t_market(a, st):
        r = a.call('newOrder', {**RW, 'symbol': symbol, 'side': 'BUY', 'type': 'MARKET', 'quantity': st['qty']})
        assert r['status'] == 'FILLED' and float(r['executedQty']) == float(st['qty']), r
        assert r.get('fills'), 'FULL response has fills'
        st['market'] = r
        return 'orderId %d FILLED %s in %d fill(s)' % (r['orderId'], r['executedQty'], len(r['fills']))

    def t_trades(a, st):
        r = a.call('myTrades', {**RW, 'symbol': symbol})
        mine = [t for t in r if t['orderId'] == st['market']['orderId']]
        assert mine and all(t['isBuyer'] for t in mine), r
        total = sum(float(t['qty']) for t in mine)
        assert abs(total - float(st['market']['executedQty'])) < 1e-9, 'trade qty = executedQty'
        base = _free(a.call('account', dict(RW)), st['sym']['baseAsset'])
        assert base > st['base0'], 'base balance grew'
        return '%d trade(s), qty %g, %s free %g -> %g' % (len(mine), total, st['sym']['baseAsset'], st['base0'], base)

    def t_test(a, st):
        r = a.call('testOrder', {**RW, 'symbol': symbol, 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC',
                                 'quantity': st['qty'], 'price': st['price']})
        assert r == {}, r
        return 'order/test {}'

    return [('time', t_time), ('exchangeInfo', t_info), ('account', t_account), ('limitOrder', t_limit),
            ('getOrder', t_get), ('cancelOrder', t_cancel), ('marketOrder', t_market), ('myTrades', t_trades),
            ('testOrder', t_test)]


def _configure(a, url, k):
    p = {'baseUrl': url, 'wsApiUrl': 'ws' + url[4:] + '/ws-api/v3', 'streamUrl': 'ws' + url[4:] + '/ws',
         'apiKey': k['apiKey'], 'keyType': k['type'], 'timeSync': False, 'microsecondTimestamps': False,
         'timeoutMs': 14000}
    p.update({x: k[x] for x in ('secret', 'privateKeyPem') if x in k})
    a.configure(p)


def flow_run_key(make_adapter, url, key, symbol, extra_steps):
    a = make_adapter()
    name = a.hello()['library']
    st = {'url': url}
    try:
        since = mock_last_id(url)
        try:
            _configure(a, url, keys_load(key))  # the library's own start-up (python-binance's Client() pings)
        except Exception as e:
            print('FAIL %s %s configure: %s' % (name, key, a.error_of(e)), flush=True)
            return 1
        seen, ok = mock_requests_ok(url, since)
        print('%s %s %s configure: start-up requests %s' % ('ok  ' if ok else 'FAIL', name, key, seen or 'none'),
              flush=True)
        if not ok:
            return 1
        for step, fn in flow_steps(symbol) + list(extra_steps):
            t0 = time.time()
            try:
                msg = fn(a, st)
            except AssertionError as e:
                print('FAIL %s %s %s: assertion: %s' % (name, key, step, str(e)[:300]), flush=True)
                return 1
            except Exception as e:
                print('FAIL %s %s %s: %s' % (name, key, step, a.error_of(e)), flush=True)
                return 1
            print('ok   %s %s %s: %s (%d ms)' % (name, key, step, msg, (time.time() - t0) * 1000), flush=True)
        return 0
    finally:
        close = getattr(a, 'close', None)
        if close:
            close()


def flow_main(make_adapter, keys, extra_steps=()):
    ap = argparse.ArgumentParser()
    ap.add_argument('--server')
    ap.add_argument('--mock')
    ap.add_argument('--keys', default=','.join(keys))
    ap.add_argument('--symbol', default='BTCUSDT')
    args = ap.parse_args()
    mock = None
    if not args.server:
        mock = Mock(args.mock)
        args.server = mock.url
    key_list = args.keys.split(',')
    failed = 0
    try:  # the mock is stopped whatever happens: a leftover child would hold ctest's pipe open
        hello = make_adapter().hello()
        print('# %s %s against %s, keys %s' % (hello['library'], hello['version'], args.server, args.keys),
              flush=True)
        for k in key_list:
            failed += flow_run_key(make_adapter, args.server, k, args.symbol, extra_steps)
    finally:
        if mock:
            mock.stop()
    print('# %s: %d/%d key types passed' % (hello['library'], len(key_list) - failed, len(key_list)), flush=True)
    return 1 if failed else 0


def ws_market_order_events(a, st, order_extra=None):
    """A MARKET BUY placed over the WS API with btcusdt@trade and the user data
    subscribed first: its executionReport FILLED and an outboundAccountPosition
    with BTC on the user stream, its trade on the market stream. Returns
    (order, trade event)."""
    trades = a.call('streamSubscribe', {'kind': 'market', 'streams': ['btcusdt@trade']})['handle']
    user = a.call('streamSubscribe', {'kind': 'userData'})['handle']
    params = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': st['qty']}
    params.update(order_extra or {})
    o = a.call('wsCall', {'method': 'order.place', 'signed': True, 'params': params})
    assert o['status'] == 'FILLED', o
    er = a.call('streamNext', {'handle': user, 'timeoutMs': 5000,
                               'match': {'e': 'executionReport', 'X': 'FILLED', 'i': o['orderId']}})
    assert er['x'] == 'TRADE' and float(er['z']) == float(st['qty']), er
    pos = a.call('streamNext', {'handle': user, 'timeoutMs': 5000, 'match': {'e': 'outboundAccountPosition'}})
    assert any(b['a'] == 'BTC' for b in pos['B']), pos
    tr = a.call('streamNext', {'handle': trades, 'timeoutMs': 5000, 'match': {'e': 'trade', 't': er['t']}})
    assert tr['s'] == 'BTCUSDT' and float(tr['q']) == float(er['l']), tr
    a.call('streamClose', {'handle': user})
    a.call('streamClose', {'handle': trades})
    return o, tr
