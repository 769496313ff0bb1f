#!/usr/bin/env python3
"""bench/conns.py: hold many idle keep-alive connections to binance-mock and
time a fresh client meanwhile (ci/bench's connection load test).

Opens N sockets to HOST:PORT; each sends one GET /api/v3/ping (keep-alive)
and, if answered, stays open and idle. Then --silent M more sockets connect
and send nothing (each holds a server worker, as a slow client or a
WebSocket does). While they are held, a fresh client connects every 0.5 s,
sends GET /api/v3/ping and times the answer (or its absence after
--probe-timeout). Prints one JSON line: connections opened, answered, probes
served, probe latency p50/max in ms, how many the server closed (EOF) or
reset, and the server's GET /__admin/pool (its idle reaper's count).
Traffic goes only to the given loopback address."""
import argparse, errno, json, selectors, socket, time

REQ = b"GET /api/v3/ping HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n"


def probe(host, port, timeout):
    t0 = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(max(0.001, timeout - (time.monotonic() - t0)))
            s.sendall(b"GET /api/v3/ping HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 200"):
                return (time.monotonic() - t0) * 1000
    except OSError:
        pass
    return None


def pool_stats(host, port):
    """GET /__admin/pool (the worker pool and the idle reaper), or None."""
    try:
        with socket.create_connection((host, port), timeout=10) as s:
            s.sendall(b"GET /__admin/pool HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                d = s.recv(65536)
                if not d:
                    break
                data += d
        head, _, body = data.partition(b"\r\n\r\n")
        return json.loads(body) if head.startswith(b"HTTP/1.1 200") else None
    except (OSError, ValueError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--connections", type=int, default=3000)
    ap.add_argument("--hold", type=float, default=10.0, help="seconds to hold them after opening")
    ap.add_argument("--probe-timeout", type=float, default=5.0)
    ap.add_argument("--silent", type=int, default=0,
                    help="then open this many more connections that send nothing")
    a = ap.parse_args()

    sel = selectors.DefaultSelector()
    socks, opened, answered = [], 0, 0
    t_open = time.monotonic()
    for _ in range(a.connections):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((a.host, a.port))
            socks.append(s)
            opened += 1
        except OSError:
            break
    for s in socks:                    # send the first request once connected
        sel.register(s, selectors.EVENT_WRITE)
    pending_send = set(socks)
    pending_recv = set()
    deadline = time.monotonic() + 30
    while (pending_send or pending_recv) and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=0.5):
            s = key.fileobj
            if s in pending_send and ev & selectors.EVENT_WRITE:
                try:
                    s.send(REQ)
                except OSError:
                    pending_send.discard(s); sel.unregister(s); continue
                pending_send.discard(s)
                pending_recv.add(s)
                sel.modify(s, selectors.EVENT_READ)
            elif s in pending_recv and ev & selectors.EVENT_READ:
                try:
                    d = s.recv(4096)
                except OSError:
                    d = b""
                if d.startswith(b"HTTP/1.1 200"):
                    answered += 1
                pending_recv.discard(s)
                sel.unregister(s)
    open_s = time.monotonic() - t_open
    for s in list(pending_send | pending_recv):
        try:
            sel.unregister(s)
        except (KeyError, ValueError):
            pass

    silent = []
    for _ in range(a.silent):
        try:
            silent.append(socket.create_connection((a.host, a.port), timeout=5))
        except OSError:
            break

    lat, misses = [], 0
    end = time.monotonic() + a.hold
    while time.monotonic() < end:
        r = probe(a.host, a.port, a.probe_timeout)
        if r is None:
            misses += 1
        else:
            lat.append(r)
        time.sleep(0.5)
    pool = pool_stats(a.host, a.port)
    still_open = closed = reset = 0
    for s in socks:                    # connections the server kept (no EOF yet)
        try:
            s.setblocking(False)
            d = s.recv(1, socket.MSG_PEEK)
            if d == b"":
                closed += 1
            else:
                still_open += 1
        except BlockingIOError:
            still_open += 1
        except OSError as e:
            reset += e.errno == errno.ECONNRESET
        s.close()
    for s in silent:
        s.close()
    lat.sort()
    out = {"connections": a.connections, "opened": opened, "answered": answered,
           "open_seconds": round(open_s, 2), "held_open_at_end": still_open,
           "closed_by_server": closed, "reset_by_server": reset, "silent": len(silent),
           "pool": pool,
           "probes": len(lat) + misses, "probes_served": len(lat),
           "probe_p50_ms": round(lat[len(lat) // 2], 2) if lat else None,
           "probe_max_ms": round(lat[-1], 2) if lat else None,
           "probe_timeout_s": a.probe_timeout}
    print("CONNS_JSON " + json.dumps(out))


if __name__ == "__main__":
    main()
