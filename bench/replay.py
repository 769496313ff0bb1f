#!/usr/bin/env python3
"""bench/replay.py: replay throughput and memory of binance-mock --replay
(ci/bench's replay test).

Writes a month of 1m klines (BTCUSDT, one monthly file) and a day of trades
(ETHUSDT, one daily file) with tools/replay_gen.py, starts binance-mock
--replay on them (load time = until "listening on"), then drives the frozen
virtual clock forward in steps of at most --step-events prints while one
stream client (btcusdt@trade + ethusdt@trade) reads every trade event; each
step waits until the client has seen all the prints due. Reports the prints
played, events received, wall time and events/s, and the server's RSS after
loading and after the replay, as one REPLAY_JSON line.
Traffic goes only to 127.0.0.1."""
import argparse, base64, json, os, re, socket, struct, subprocess, sys, tempfile, time


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def admin(port, body):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    data = json.dumps(body).encode()
    s.sendall(b"POST /__admin/clock HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
              b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(data), data))
    resp = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        resp += chunk
    s.close()
    if not resp.startswith(b"HTTP/1.1 200"):
        sys.exit("admin clock: %r" % resp[:200])


class WS:
    def __init__(self, port, path):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=120)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, key)).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.s.recv(4096)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            sys.exit("websocket upgrade failed: %r" % head[:200])

    def send(self, text):
        data, mask = text.encode(), os.urandom(4)
        hdr = bytes([0x81, 0x80 | len(data)]) if len(data) < 126 else bytes([0x81, 0xFE]) + struct.pack(">H", len(data))
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError("server closed the stream")
            self.buf += chunk

    def frame(self):
        self._need(2)
        b0, b1 = self.buf[0], self.buf[1]
        n, off = b1 & 0x7F, 2
        if n == 126:
            self._need(4); n = struct.unpack(">H", self.buf[2:4])[0]; off = 4
        elif n == 127:
            self._need(10); n = struct.unpack(">Q", self.buf[2:10])[0]; off = 10
        self._need(off + n)
        data, self.buf = self.buf[off:off + n], self.buf[off + n:]
        return b0 & 0x0F, data


def prints_of(work, trades_file, klines_file):
    """Play order of every print: (file time µs) of the trades and 4 per kline."""
    ts = []
    with open(trades_file) as f:
        for line in f:
            if line[0].isdigit():
                t = int(line.split(",")[4])
                ts.append(t if t >= 10 ** 14 else t * 1000)
    with open(klines_file) as f:
        for line in f:
            if line[0].isdigit():
                v = line.split(",")
                o, c = int(v[0]), int(v[6])
                o, c, u = (o, c, 1) if o >= 10 ** 14 else (o * 1000, c * 1000, 1000)
                span = c + u - o
                ts.extend(o + span * k // 4 for k in range(4))
    ts.sort()
    return ts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mock", required=True, help="binance-mock binary")
    ap.add_argument("--gen", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "replay_gen.py"))
    ap.add_argument("--trades", type=int, default=1000000, help="trades in the day of trades")
    ap.add_argument("--month", default="2025-01", help="the month of 1m klines")
    ap.add_argument("--step-events", type=int, default=20000, help="most prints per clock step")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="bc-replay-bench-")
    day = a.month + "-01"
    kf = subprocess.run([sys.executable, a.gen, "--out", work, "--symbol", "BTCUSDT", "--kind", "klines",
                         "--interval", "1m", "--date", a.month], check=True, capture_output=True, text=True).stdout.strip()
    tf = subprocess.run([sys.executable, a.gen, "--out", work, "--symbol", "ETHUSDT", "--kind", "trades",
                         "--date", day, "--count", str(a.trades), "--price", "3300"], check=True,
                        capture_output=True, text=True).stdout.strip()
    files_mb = (os.path.getsize(kf) + os.path.getsize(tf)) / 1e6
    ts = prints_of(work, tf, kf)
    origin = ts[0] - ts[0] % 60000000
    start_ms = (int(time.time() * 1000) // 60000 + 10) * 60000
    big = str(1 << 40)
    t0 = time.monotonic()
    srv = subprocess.Popen([a.mock, "--listen", "127.0.0.1:0", "--rate-limits", "off", "--replay", work,
                            "--replay-start-ms", str(start_ms), "--ws-ping-interval-ms", big,
                            "--ws-pong-timeout-ms", big, "--ws-max-lifetime-ms", big],
                           stdout=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        load_s = time.monotonic() - t0
        m = re.search(r":(\d+)\s*$", line)
        if not m:
            sys.exit("binance-mock did not start: %r" % line)
        port = int(m.group(1))
        admin(port, {"frozen_at_ms": start_ms - 1000})
        rss_loaded = rss_kib(srv.pid)
        ws = WS(port, "/stream?streams=btcusdt@trade/ethusdt@trade")
        ws.send('{"method":"LIST_SUBSCRIPTIONS","id":1}')      # registered before the clock moves
        while True:
            op, data = ws.frame()
            if op == 1 and b'"id":1' in data:
                break
        got = 0
        t1 = time.monotonic()
        i = 0
        while i < len(ts):
            j = min(len(ts), i + a.step_events)
            while j < len(ts) and ts[j] == ts[j - 1]:
                j += 1
            at_ms = start_ms + -(-(ts[j - 1] - origin) // 1000)    # a whole ms at or after it
            admin(port, {"frozen_at_ms": at_ms})
            while j < len(ts) and ts[j] - origin <= (at_ms - start_ms) * 1000:   # due as well
                j += 1
            while got < j:
                op, data = ws.frame()
                if op == 1 and b'"e":"trade"' in data:
                    got += 1
                elif op == 8:
                    raise EOFError("server closed the stream")
            i = j
        wall = time.monotonic() - t1
        rss_end = rss_kib(srv.pid)
        out = {"prints": len(ts), "klines": sum(1 for _ in open(kf)), "trades": a.trades,
               "files_mb": round(files_mb, 1), "load_s": round(load_s, 2), "events": got,
               "wall_s": round(wall, 2), "events_per_s": round(got / wall) if wall > 0 else 0,
               "rss_kib_loaded": rss_loaded, "rss_kib_end": rss_end}
        print("REPLAY_JSON " + json.dumps(out))
    finally:
        srv.terminate()
        srv.wait(30)
        subprocess.run(["rm", "-rf", work])
    return 0


if __name__ == "__main__":
    sys.exit(main())
