#!/usr/bin/env python3
"""replay_gen.py: writes synthetic market-data files in exactly the CSV
layouts Binance publishes on data.binance.vision (spot klines, trades,
aggTrades; daily or monthly file names; with or without a header row;
millisecond or microsecond timestamps), for binance-mock --replay tests,
the example data set (examples/replay/) and ci/bench. Nothing is downloaded:
the prices are a seeded random walk. Deterministic for a seed."""
import argparse
import calendar
import os
import random
import sys
from datetime import datetime, timezone

HEADERS = {
    "klines": "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
              "taker_buy_volume,taker_buy_quote_volume,ignore",
    "trades": "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match",
    "aggTrades": "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,"
                 "is_buyer_maker,is_best_match",
}
INTERVALS = {"1s": 1, "1m": 60, "3m": 180, "5m": 300, "15m": 900, "30m": 1800, "1h": 3600,
             "2h": 7200, "4h": 14400, "6h": 21600, "8h": 28800, "12h": 43200, "1d": 86400}


def d8(x):
    return "%.8f" % x


def span(date):
    """(start_ms, end_ms) of a YYYY-MM-DD day or a YYYY-MM month, UTC."""
    if len(date) == 7:
        y, m = int(date[:4]), int(date[5:7])
        start = datetime(y, m, 1, tzinfo=timezone.utc)
        days = calendar.monthrange(y, m)[1]
        return int(start.timestamp()) * 1000, int(start.timestamp() + days * 86400) * 1000
    start = datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return int(start.timestamp()) * 1000, int(start.timestamp() + 86400) * 1000


def unit_of(args, ms):
    """A timestamp in the file's unit: µs when asked, or by Binance's rule
    (spot files from 2025-01-01 in µs) with --unit auto."""
    if args.unit == "us" or (args.unit == "auto" and ms >= 1735689600000):
        return 1000
    return 1


class Walk:
    def __init__(self, seed, price, tick):
        self.r = random.Random(seed)
        self.p = price
        self.tick = tick

    def step(self, bps=5):
        self.p *= 1 + self.r.uniform(-bps, bps) / 10000
        self.p = max(self.tick * 10, round(self.p / self.tick) * self.tick)
        return self.p


def gen_trades(args, out, start, end, agg):
    w = Walk(args.seed, args.price, args.tick)
    n = args.count
    tid = args.first_id
    step = (end - start) * 1000 // n                      # µs between prints
    for i in range(n):
        t_us = start * 1000 + i * step + w.r.randrange(step)
        u = unit_of(args, start)
        t = t_us if u == 1000 else t_us // 1000
        p = w.step(2)
        q = round(w.r.uniform(0.0001, 0.05), 5)
        m = "True" if w.r.random() < 0.5 else "False"
        if agg:
            out.write("%d,%s,%s,%d,%d,%d,%s,True\n" % (tid, d8(p), d8(q), tid * 2, tid * 2 + 1, t, m))
        else:
            out.write("%d,%s,%s,%s,%d,%s,True\n" % (tid, d8(p), d8(q), d8(p * q), t, m))
        tid += 1


def gen_klines(args, out, start, end):
    w = Walk(args.seed, args.price, args.tick)
    iv = INTERVALS[args.interval] * 1000
    u = unit_of(args, start)
    for t in range(start, end, iv):
        o = w.p
        prices = [w.step(4) for _ in range(4)]
        h, lo, c = max([o] + prices), min([o] + prices), prices[-1]
        vol = round(w.r.uniform(1, 50), 5)
        tb = round(vol * w.r.uniform(0.2, 0.8), 5)
        n = w.r.randrange(50, 2000)
        qv = vol * (o + c) / 2
        out.write("%d,%s,%s,%s,%s,%s,%d,%s,%d,%s,%s,0\n" % (
            t * u, d8(o), d8(h), d8(lo), d8(c), d8(vol), (t + iv) * u - 1, d8(qv), n, d8(tb),
            d8(tb * (o + c) / 2)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="directory to write into")
    ap.add_argument("--symbol", default="BTCUSDT")
    ap.add_argument("--kind", choices=["klines", "trades", "aggTrades"], default="klines")
    ap.add_argument("--interval", default="1m", choices=sorted(INTERVALS), help="klines interval")
    ap.add_argument("--date", required=True, help="YYYY-MM-DD (daily file) or YYYY-MM (monthly file)")
    ap.add_argument("--unit", choices=["auto", "ms", "us"], default="auto",
                    help="timestamps: auto = Binance's rule (µs from 2025-01-01)")
    ap.add_argument("--header", action="store_true", help="write a header row")
    ap.add_argument("--count", type=int, default=1000, help="trades/aggTrades rows")
    ap.add_argument("--first-id", type=int, default=1000000)
    ap.add_argument("--price", type=float, default=60000.0)
    ap.add_argument("--tick", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    start, end = span(args.date)
    mid = args.interval if args.kind == "klines" else args.kind
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "%s-%s-%s.csv" % (args.symbol, mid, args.date))
    with open(path, "w", newline="") as out:
        if args.header:
            out.write(HEADERS[args.kind] + "\n")
        if args.kind == "klines":
            gen_klines(args, out, start, end)
        else:
            gen_trades(args, out, start, end, args.kind == "aggTrades")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
