#!/usr/bin/env python3
"""flows/binance_sdk_spot.py: the end-to-end flow (bcpy/flow.py: time, exchangeInfo,
account, LIMIT order, query, cancel, MARKET fill, myTrades, order/test) through
PyPI `binance-sdk-spot`'s own methods (adapters/binance_sdk_spot.py), per key type
(HMAC, RSA-2048, RSA-4096, Ed25519), against a binance-mock it starts on port 0
(or --server URL). Then its WebSocket side (adapters/sdk_spot_ws.py): session.logon
with the Ed25519 key, user data (userDataStream.subscribe on the session, else
.subscribe.signature), a trade stream, a MARKET order.place that fills, and the
executionReport FILLED + trade event it causes; account.status and ping."""
import os
import sys

# harness/python replaces this script's folder (flows/<lib>.py would shadow the library)
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.flow import flow_main  # noqa: E402
from adapters.binance_sdk_spot import Adapter  # noqa: E402


def ws_side(a, st):
    session = a.cfg['keyType'] == 'ed25519'
    if session:
        logon = a.call('wsLogon', {})
        assert logon['apiKey'] == a.cfg['apiKey'], logon
    a.call('wsCall', {'method': 'ping', 'params': {}})
    acct = a.call('wsCall', {'method': 'account.status', 'params': {}, 'signed': True})
    assert acct['canTrade'] is True and acct['balances'], acct
    user = a.call('streamSubscribe', {'kind': 'userData'})['handle']
    trades = a.call('streamSubscribe', {'kind': 'market', 'streams': ['btcusdt@trade']})['handle']
    o = a.call('wsCall', {'method': 'order.place', 'signed': True, 'params': {
        'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': st['qty']}})
    assert o['status'] == 'FILLED' and float(o['executedQty']) == float(st['qty']), o
    ev = a.call('streamNext', {'handle': user, 'timeoutMs': 5000,
                               'match': {'e': 'executionReport', 'X': 'FILLED', 'i': o['orderId']}})
    assert float(ev['z']) == float(st['qty']), ev
    tr = a.call('streamNext', {'handle': trades, 'timeoutMs': 5000, 'match': {'e': 'trade'}})
    assert tr['s'] == 'BTCUSDT' and float(tr['q']) > 0, tr
    a.call('streamClose', {'handle': trades})
    a.call('wsClose', {})
    return '%sWS API account.status (%d balances), order.place %d FILLED, executionReport FILLED, trade %s' % (
        'session.logon, ' if session else '', len(acct['balances']), o['orderId'], tr['t'])


if __name__ == '__main__':
    sys.exit(flow_main(Adapter, ['hmac', 'rsa2048', 'rsa4096', 'ed25519'], [('ws', ws_side)]))
