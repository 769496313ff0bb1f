#!/usr/bin/env python3
"""bench/soak.py: ci/bench's soak - N HMAC-signed MARKET orders (BUY and SELL
alternating, so balances stay put) from one account, each signed at the real
clock and followed by G unsigned GET /api/v3/ticker/price (default 4: 200k
orders make 1M requests), all on one keep-alive connection, with the order
rate and the server's RSS (from /proc/PID/status) recorded per decile.

Prints one JSON line: per decile the orders/s and the RSS in KiB after it,
plus errors (non-200 answers). Traffic goes only to the given loopback address."""
import argparse, hashlib, hmac, http.client, json, time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True, help="binance-mock's pid (for RSS)")
    ap.add_argument("--api-key", required=True)
    ap.add_argument("--secret-file", required=True)
    ap.add_argument("--orders", type=int, default=200000)
    ap.add_argument("--symbol", default="BTCUSDT")
    ap.add_argument("--quantity", default="0.00020")
    ap.add_argument("--gets-per-order", type=int, default=4)
    a = ap.parse_args()
    secret = open(a.secret_file, "rb").read().strip()
    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    hdr = {"X-MBX-APIKEY": a.api_key, "Content-Type": "application/x-www-form-urlencoded"}
    decile = max(1, a.orders // 10)
    rows, errors, sample = [], 0, None
    t0 = time.monotonic()
    for i in range(a.orders):
        side = "BUY" if i % 2 == 0 else "SELL"
        q = (f"symbol={a.symbol}&side={side}&type=MARKET&quantity={a.quantity}"
             f"&newOrderRespType=ACK&timestamp={int(time.time() * 1000)}")
        sig = hmac.new(secret, q.encode(), hashlib.sha256).hexdigest()
        c.request("POST", "/api/v3/order", body=f"{q}&signature={sig}", headers=hdr)
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            errors += 1
            if sample is None:
                sample = body[:200].decode(errors="replace")
        for _ in range(a.gets_per_order):
            c.request("GET", f"/api/v3/ticker/price?symbol={a.symbol}")
            r = c.getresponse()
            r.read()
            if r.status != 200:
                errors += 1
        if (i + 1) % decile == 0:
            t1 = time.monotonic()
            rows.append({"orders": i + 1, "orders_per_s": round(decile / (t1 - t0), 1), "rss_kib": rss_kib(a.pid)})
            t0 = t1
    out = {"orders": a.orders, "requests": a.orders * (1 + a.gets_per_order), "errors": errors, "first_error": sample, "deciles": rows}
    print("SOAK_JSON " + json.dumps(out))


if __name__ == "__main__":
    main()
