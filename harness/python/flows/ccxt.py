#!/usr/bin/env python3
"""flows/ccxt.py: the end-to-end flow through PyPI `ccxt` (ccxt.binance), per
key type (HMAC, RSA-2048, RSA-4096, Ed25519), against a binance-mock it starts
on port 0 (or --server URL). First the shared steps (bcpy/flow.py) through
ccxt's implicit API (adapters/ccxt.py), then the way most ccxt users trade,
the unified API: load_markets() (its start-up path: exchangeInfo plus the
signed margin discovery routes), fetch_time, fetch_balance, create_order
LIMIT, fetch_order, cancel_order, create_order MARKET, fetch_my_trades.
Then ccxt.pro (adapters/ccxt_ws.py): fetch_balance_ws, create_order_ws,
fetch_order_ws, cancel_order_ws, an order.test; watch_trades and the user
data (watch_orders / watch_balance) around a MARKET create_order_ws."""
import os
import sys

# harness/python replaces this script's folder (flows/ccxt.py would shadow the library)
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.flow import flow_main, ws_market_order_events  # noqa: E402
from adapters.ccxt import Adapter  # noqa: E402
from bcpy.mock import mock_last_id, mock_requests_ok  # noqa: E402


def u_markets(a, st):
    since = mock_last_id(st['url'])
    m = a.ex.load_markets(True)
    assert 'BTC/USDT' in m, 'BTC/USDT market loaded'
    st['u_sym'] = 'BTC/USDT'
    seen, ok = mock_requests_ok(st['url'], since)
    assert ok and any('/api/v3/exchangeInfo' in s for s in seen), 'every start-up request answered: %s' % seen
    return '%d markets via %s' % (len(m), ', '.join(seen))


def u_time_balance(a, st):
    t = a.ex.fetch_time()
    bal = a.ex.fetch_balance()
    assert isinstance(t, int) and bal['USDT']['free'] > 0, (t, bal.get('USDT'))
    st['u_btc0'] = bal['BTC']['free']
    return 'serverTime %d, USDT free %s, BTC free %s' % (t, bal['USDT']['free'], bal['BTC']['free'])


def u_limit(a, st):
    o = a.ex.create_order(st['u_sym'], 'limit', 'buy', float(st['qty']), float(st['price']))
    assert o['status'] == 'open' and o['id'], o
    got = a.ex.fetch_order(o['id'], st['u_sym'])
    assert got['id'] == o['id'] and got['status'] == 'open', got
    c = a.ex.cancel_order(o['id'], st['u_sym'])
    assert c['status'] == 'canceled', c
    return 'order %s open -> fetched -> canceled' % o['id']


def u_market(a, st):
    o = a.ex.create_order(st['u_sym'], 'market', 'buy', float(st['qty']))
    assert o['status'] == 'closed' and o['filled'] == float(st['qty']), o
    trades = [t for t in a.ex.fetch_my_trades(st['u_sym']) if t['order'] == o['id']]
    assert trades and abs(sum(t['amount'] for t in trades) - o['filled']) < 1e-9, trades
    btc = a.ex.fetch_balance()['BTC']['free']
    assert btc > st['u_btc0'], 'BTC balance grew'
    return 'order %s closed, %d trade(s), BTC free %s -> %s' % (o['id'], len(trades), st['u_btc0'], btc)


def pro_ws_api(a, st):
    """ccxt.pro's unified *Ws methods (adapters/ccxt_ws.py: its loop thread)."""
    w = a.ws
    ex = w.run(w.exchange())
    bal = w.run(ex.fetch_balance_ws())
    # finding (docs/findings.md): on spot, fetch_balance_ws parses the
    # account.status result with parse_balance_custom(result) and no type, so
    # the futures branch reads result['assets']: every spot balance is lost
    # although `info` holds them. Pinned: this turns red once ccxt fixes it.
    assert bal['info']['balances'] and bal['free'] == {} and 'USDT' not in bal, \
        'ccxt fetch_balance_ws spot parse changed (re-pin the finding): %s' % {k: bal[k] for k in bal if k != 'info'}
    o = w.run(ex.create_order_ws('BTC/USDT', 'limit', 'buy', float(st['qty']), float(st['price'])))
    assert o['status'] == 'open' and o['id'], o
    got = w.run(ex.fetch_order_ws(o['id'], 'BTC/USDT'))
    assert got['id'] == o['id'] and got['status'] == 'open', got
    c = w.run(ex.cancel_order_ws(o['id'], 'BTC/USDT'))
    assert c['status'] == 'canceled', c
    t = w.run(ex.create_order_ws('BTC/USDT', 'limit', 'buy', float(st['qty']), float(st['price']), {'test': True}))
    assert isinstance(t, dict), t
    return 'fetchBalanceWs (%d balances in info, none parsed), createOrderWs %s open -> fetchOrderWs -> cancelOrderWs canceled, order.test' % (len(bal['info']['balances']), o['id'])


def pro_watch(a, st):
    """watch_trades (btcusdt@trade) and the user data (watch_orders /
    watch_balance after authenticate(): userDataStream.subscribe.signature),
    then a MARKET createOrderWs: its executionReport FILLED, the
    outboundAccountPosition and its trade, each as ccxt surfaced it (info)."""
    o, tr = ws_market_order_events(a, st)
    return 'order %d: executionReport FILLED, outboundAccountPosition, trade %d via watch_trades' % (
        o['orderId'], tr['t'])


if __name__ == '__main__':
    sys.exit(flow_main(Adapter, ['hmac', 'rsa2048', 'rsa4096', 'ed25519'],
                       [('unified.loadMarkets', u_markets), ('unified.timeBalance', u_time_balance),
                        ('unified.limitQueryCancel', u_limit), ('unified.marketTrades', u_market),
                        ('pro.wsApi', pro_ws_api), ('pro.watch', pro_watch)]))
