#!/usr/bin/env python3
"""flows/python_binance.py: the end-to-end flow (bcpy/flow.py: time, exchangeInfo,
account, LIMIT order, query, cancel, MARKET fill, myTrades, order/test) through
PyPI `python-binance`'s own methods (adapters/python_binance.py), per key type
(HMAC, RSA-2048, RSA-4096, Ed25519), against a binance-mock it starts on port 0
(or --server URL). Then its WS API through the Client's own ws_* methods
(ws_ping, ws_get_account, a MARKET ws_create_order that fills,
ws_create_test_order) with HMAC and Ed25519 keys (closing its connection takes
up to 10 s, its read timeout, so not every key type)."""
import os
import sys

# harness/python replaces this script's folder (flows/<lib>.py would shadow the library)
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.flow import flow_main  # noqa: E402
from adapters.python_binance import Adapter  # noqa: E402



def ws_api(a, st):
    if a.cfg_key not in ('hmac', 'ed25519'):
        return 'skipped for this key type (flow time)'
    c = a.client
    try:
        c.ws_ping()
        acct = c.ws_get_account(recvWindow=60000)
        assert acct['canTrade'] is True and acct['balances'], acct
        o = c.ws_create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity=st['qty'],
                              recvWindow=60000)
        assert o['status'] == 'FILLED' and float(o['executedQty']) == float(st['qty']), o
        t = c.ws_create_test_order(symbol='BTCUSDT', side='BUY', type='LIMIT', timeInForce='GTC',
                                   quantity=st['qty'], price=st['price'], recvWindow=60000)
        assert t == {}, t
    finally:
        a.close()
    return 'WS API ping, account.status (%d balances), order.place %d FILLED, order.test {}' % (
        len(acct['balances']), o['orderId'])


if __name__ == '__main__':
    sys.exit(flow_main(Adapter, ['hmac', 'rsa2048', 'rsa4096', 'ed25519'], [('wsApi', ws_api)]))
