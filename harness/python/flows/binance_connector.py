#!/usr/bin/env python3
"""flows/binance_connector.py: the end-to-end flow (bcpy/flow.py: time, exchangeInfo,
account, LIMIT order, query, cancel, MARKET fill, myTrades, order/test) through
PyPI `binance-connector`'s own methods (adapters/binance_connector.py), per key type
(HMAC, RSA-2048, RSA-4096, Ed25519), against a binance-mock it starts on port 0
(or --server URL). Then its WS API client (SpotWebsocketAPIClient, HMAC only:
the connector signs WS requests with the secret): ping, account.status, a
MARKET order.place that fills, and order.test. Then its market-stream client
(SpotWebsocketStreamClient): a combined trade stream sees the trade of a
REST MARKET order."""
import os
import sys

# harness/python replaces this script's folder (flows/<lib>.py would shadow the library)
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.flow import flow_main  # noqa: E402
from adapters.binance_connector import Adapter  # noqa: E402



def ws_api(a, st):
    if a.cfg['keyType'] != 'hmac':
        return 'skipped: the connector signs WS API requests with HMAC only'
    a.call('wsCall', {'method': 'ping', 'params': {}})
    acct = a.call('wsCall', {'method': 'account.status', 'params': {}, 'signed': True})
    assert acct['canTrade'] is True and acct['balances'], acct
    o = a.call('wsCall', {'method': 'order.place', 'signed': True, 'params': {
        'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': st['qty']}})
    assert o['status'] == 'FILLED' and float(o['executedQty']) == float(st['qty']), o
    t = a.call('wsCall', {'method': 'order.test', 'signed': True, 'params': {
        'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC',
        'quantity': st['qty'], 'price': st['price']}})
    assert t == {}, t
    a.call('wsClose', {})
    return 'WS API ping, account.status (%d balances), order.place %d FILLED, order.test {}' % (
        len(acct['balances']), o['orderId'])


def stream(a, st):
    h = a.call('streamSubscribe', {'kind': 'market', 'streams': ['btcusdt@trade'], 'combined': True})['handle']
    o = a.call('newOrder', {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': st['qty'],
                            'recvWindow': 60000})
    assert o['status'] == 'FILLED', o
    tr = a.call('streamNext', {'handle': h, 'timeoutMs': 5000, 'match': {'e': 'trade', 'q': o['fills'][0]['qty']}})
    assert tr['_stream'] == 'btcusdt@trade' and tr['s'] == 'BTCUSDT', tr
    a.call('streamClose', {'handle': h})
    return 'combined btcusdt@trade: trade %s of order %d' % (tr['t'], o['orderId'])


if __name__ == '__main__':
    sys.exit(flow_main(Adapter, ['hmac', 'rsa2048', 'rsa4096', 'ed25519'], [('wsApi', ws_api), ('stream', stream)]))
