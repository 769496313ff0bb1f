#!/usr/bin/env python3
"""flows/binance_sdk_spot.py: the end-to-end flow (bcpy/flow.py: time, exchangeInfo,
account, LIMIT order, query, cancel, MARKET fill, myTrades, order/test) through
PyPI `binance-sdk-spot`'s own methods (adapters/binance_sdk_spot.py), per key type
(HMAC, RSA-2048, RSA-4096, Ed25519), against a binance-mock it starts on port 0
(or --server URL)."""
import os
import sys

# harness/python replaces this script's folder (flows/<lib>.py would shadow the library)
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
from bcpy.flow import flow_main  # noqa: E402
from adapters.binance_sdk_spot import Adapter  # noqa: E402

if __name__ == '__main__':
    sys.exit(flow_main(Adapter, ['hmac', 'rsa2048', 'rsa4096', 'ed25519']))
