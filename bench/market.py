#!/usr/bin/env python3
"""bench/market.py: the market model's costs (docs/market.md), for ci/bench.

Starts binance-mock (--mock PATH) on a free loopback port, and measures:
start-up (process start to the 'listening on' line, the synthetic history of
every symbol included), the server's RSS after start, an admin reset, and
virtual-clock jumps of 1 min, 5 min, 1 h, 1 day and 7 days (each timed from
the POST /__admin/clock to the answer of the next request, which runs the
simulator's catch-up), each repeated --repeat times (median and max). Prints
a table and one line 'MARKET_JSON {...}'. Python standard library only."""
import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mock", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", default="42")
    a = ap.parse_args()
    t0 = time.monotonic()
    p = subprocess.Popen([a.mock, "--listen", "127.0.0.1:0", "--rate-limits", "off", "--seed", a.seed],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = None
    try:
        for line in p.stdout:
            if line.startswith("listening on "):
                base = line.split()[-1]
                break
        startup_ms = (time.monotonic() - t0) * 1000
        if not base:
            print("market.py: binance-mock did not start", file=sys.stderr)
            return 1

        def req(method, path, body=None):
            r = urllib.request.Request(base + path, data=body.encode() if body else None, method=method)
            with urllib.request.urlopen(r, timeout=60) as resp:
                return resp.read()

        req("GET", "/api/v3/ping")
        rss0 = rss_kib(p.pid)
        t = time.monotonic()
        req("POST", "/__admin/reset", json.dumps({"frozen_at_ms": 1767225600000}))
        reset_ms = (time.monotonic() - t) * 1000
        jumps = {"1m": 60000, "5m": 300000, "1h": 3600000, "1d": 86400000, "7d": 604800000}
        out = {}
        for name, ms in jumps.items():
            runs = []
            for _ in range(a.repeat):
                t = time.monotonic()
                req("POST", "/__admin/clock", json.dumps({"advance_ms": ms}))
                req("GET", "/api/v3/ping")
                runs.append((time.monotonic() - t) * 1000)
            out[name] = {"median_ms": round(statistics.median(runs), 1), "max_ms": round(max(runs), 1)}
        t = time.monotonic()
        for iv in ("1m", "1h", "1d", "1M"):
            req("GET", f"/api/v3/klines?symbol=BTCUSDT&interval={iv}&limit=1000")
        klines_ms = (time.monotonic() - t) * 1000 / 4
        rss1 = rss_kib(p.pid)
        res = {"startup_ms": round(startup_ms, 1), "reset_ms": round(reset_ms, 1), "rss_kib_start": rss0,
               "rss_kib_end": rss1, "advance": out, "klines_1000_ms": round(klines_ms, 1)}
        print(f"market: start-up {res['startup_ms']} ms (history of every symbol), reset {res['reset_ms']} ms, "
              f"RSS {rss0} -> {rss1} KiB, 1000 klines {res['klines_1000_ms']} ms")
        for name, r in out.items():
            print(f"  clock +{name:<3} then a request: median {r['median_ms']:8.1f} ms, max {r['max_ms']:8.1f} ms")
        print("MARKET_JSON " + json.dumps(res))
        return 0
    finally:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


if __name__ == "__main__":
    sys.exit(main())
