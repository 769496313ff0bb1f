#!/usr/bin/env python3
"""fuzz/seeds.py: (re)write the seed files (corpus/<target>/seed-*) of every
fuzz target from the project's own material - the known-answer vectors, the
bundled keys and symbol config, the route table - plus a few hand-written
edge cases. Entries ci/fuzz adds later are named by content hash and left
alone. Run from anywhere: python3 fuzz/seeds.py"""
import glob
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
RS = "\x1e"          # message separator of the WebSocket targets
TS = "1700000000000"  # the fuzz server's frozen clock (fuzz.h FZ_NOW_MS)
ALICE_HMAC = "bjwWbLax0Q0j3R4WAWjuDe29HnV6Ab6UofaDKcayu40jgi7H7WDLo2oIFbnUv9lX"


def load(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return json.load(f)


def tests(rel):
    for g in load(rel)["testGroups"]:
        for t in g["tests"]:
            yield g, t


def write(target, seeds):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(os.path.join(d, "seed-*")):
        os.remove(old)
    seen = set()
    for i, s in enumerate(seeds):
        b = s.encode("utf-8") if isinstance(s, str) else s
        if b in seen:
            continue
        seen.add(b)
        with open(os.path.join(d, "seed-%03d" % i), "wb") as f:
            f.write(b)


def routes():
    """(method, path, ws_method, params) of every row of the route table."""
    src = open(os.path.join(ROOT, "mock_server/endpoints/registry.c"), encoding="utf-8").read()
    macros = dict(re.findall(r'#define (\w+) ((?:(?:"[^"]*"|[A-Z_]+)\s*(?:\\\n\s*)?)+)', src))
    def expand(expr):
        out = ""
        for tok in re.findall(r'"([^"]*)"|(\b[A-Z_]+\b)', expr):
            out += tok[0] if tok[0] or not tok[1] else expand(macros.get(tok[1], ""))
        return out
    rows = []
    for m in re.finditer(r'\{\s*"(GET|POST|PUT|DELETE)",\s*"([^"]+)",\s*(NULL|"[^"]*"),\s*\w+,\s*\d+,\s*((?:[^{}])*?),\s*ep_\w+\s*\}', src):
        ws = None if m.group(3) == "NULL" else m.group(3).strip('"')
        rows.append((m.group(1), m.group(2), ws, [p for p in expand(m.group(4)).split(",") if p]))
    return rows


SAMPLE = {"symbol": "BTCUSDT", "symbols": '["BTCUSDT","ETHUSDT"]', "side": "BUY", "type": "LIMIT",
          "timeInForce": "GTC", "quantity": "0.01", "price": "50000", "limit": "5", "interval": "1m",
          "orderId": "1", "windowSize": "1d", "permissions": '["SPOT"]', "omitZeroBalances": "true",
          "newOrderRespType": "FULL", "recvWindow": "5000", "timestamp": TS, "listenKey": "x"}


def sample(path, p):
    return "FULL" if p == "type" and "ticker" in path else SAMPLE[p]


def query_of(path, params, skip=("signature", "symbols", "permissions")):
    from urllib.parse import quote
    return "&".join("%s=%s" % (p, quote(sample(path, p), safe="")) for p in params if p in SAMPLE and p not in skip)


def main():
    rest_vec = [t for f in ("rest_hmac_sha256", "rest_rsa", "rest_ed25519") for _, t in tests("vectors/%s.json" % f)]
    ws_vec = [t for f in ("ws_hmac_sha256", "ws_rsa", "ws_ed25519") for _, t in tests("vectors/%s.json" % f)]
    canon = [t for g, t in tests("vectors/canonical_payload.json") if "query" in t]
    ws_params = []
    for t in ws_vec:
        p = json.loads(t["frame"]).get("params")
        if p is not None:
            m = re.search(r'"params"\s*:\s*(\{.*\})\s*[,}]', t["frame"])
            ws_params.append(m.group(1) if m else json.dumps(p, ensure_ascii=False))
    rows = routes()

    # lib: pct, params, payload, httpreq
    write("pct", [t["query"] for t in canon[:40]] + [t["body"] for t in canon[:40] if t["body"]] +
          ["%E8%BF%99%E6%98%AF", "a+b%20c", "%zz", "%e8%bf", "%00", "\xff\xfe", "%F0%9F%98%80", "%ED%A0%80", ""])
    write("params", ["%s\n%s\n%s" % (t["query"], t["body"], ws_params[i % len(ws_params)]) for i, t in enumerate(canon[:40])] +
          ["a=1&a=2\nb=%ZZ\n{\"a\":1,\"a\":\"x\"}", "&&=&\n=\n{}", "x\ny\n{\"price\":52000.00,\"n\":-0.1e5}"])
    write("payload", ["%s\n%s\n%s" % (t["query"], t["body"], ws_params[i % len(ws_params)]) for i, t in enumerate(canon)] +
          ["a=1&signature=x&b=2\nsignature=y\n{\"signature\":\"s\"}"])
    reqs = []
    for t in rest_vec[:40]:
        target = t["path"] + ("?" + t["query"] if t["query"] else "")
        head = "%s %s HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: %s\r\n" % (t["method"], target, t["apiKey"])
        if t["body"]:
            head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n" % len(t["body"].encode())
        reqs.append(head + "\r\n" + t["body"])
    reqs += ["curl -X POST 'https://api.binance.com/api/v3/order?symbol=BTCUSDT' -H 'X-MBX-APIKEY: k' -d 'side=BUY&signature=ab'",
             "curl -G --data-urlencode 'symbol=这是' https://api.binance.com/api/v3/ticker/price",
             "> GET /api/v3/account?timestamp=1 HTTP/1.1\n> Host: x\n>\n", "https://api.binance.com/api/v3/time", "/p?q#f"]
    write("httpreq", reqs)

    # keys and key files
    keyfiles = sorted(glob.glob(os.path.join(ROOT, "vectors/keys/*.pem")) + glob.glob(os.path.join(ROOT, "vectors/keys/*.secret")) +
                      glob.glob(os.path.join(ROOT, "suites/data/sig/*.pem")) + glob.glob(os.path.join(ROOT, "suites/data/sig/*.key")))
    keys = [open(f, "rb").read() for f in keyfiles]
    enc = [open(f, "rb").read() for f in keyfiles if "enc" in os.path.basename(f)]
    write("sigkey", keys + [b"passphrase:binance-conformance\n" + e for e in enc] +
          [b"TWFu", b"TWE=", b"TQ==", b"TR==", b"-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"])

    # WebSocket frames
    frames = [t["frame"] for t in ws_vec]
    control = ['{"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@depth"],"id":1}',
               '{"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":312}',
               '{"method":"LIST_SUBSCRIPTIONS","id":3}', '{"method":"SET_PROPERTY","params":["combined",true],"id":5}',
               '{"method":"GET_PROPERTY","params":["combined"],"id":2}', '{"method":"FOO","id":1}',
               '{"method":"SUBSCRIBE","params":[],"id":-1}', "SUBSCRIBE", '{"method":"SUBSCRIBE",\n"params":[1]}']
    events = ['{"e":"kline","E":1700000000000,"k":{"t":1700000000000,"T":1700000059999}}',
              '{"e":"24hrTicker","E":1,"C":2}', '{"e":"executionReport","E":1,"T":2,"O":3,"W":4}']
    write("ws_frame", frames[:60] + control + events + ['{"id":1e3,"method":"time"}', '{"id":"a\\"b","method":"v3/time","params":null}'])

    ws_api = ["\n" + f for f in frames[:40]]
    for _, _, ws, params in rows:
        if ws:
            p = {k: sample(ws, k) for k in params if k in SAMPLE and k not in ("signature", "apiKey")}
            for k in ("symbols", "permissions"):
                if k in p:
                    p[k] = json.loads(p[k])
            ws_api.append("!\n" + json.dumps({"id": ws, "method": ws, "params": p}))
            ws_api.append("\n" + json.dumps({"id": 1, "method": ws, "params": p}))
    for m in ("session.status", "session.logout", "session.subscriptions", "userDataStream.subscribe",
              "userDataStream.unsubscribe", "userDataStream.start", "userDataStream.ping", "userDataStream.stop"):
        ws_api.append("!\n" + json.dumps({"id": m, "method": m, "params": {}}))
    ws_api += ["?returnRateLimits=false&timeUnit=MICROSECOND\n" + '{"id":1,"method":"time"}' + RS + '{"id":2,"method":"ping"}',
               "?timeUnit=bad\n{\"id\":1,\"method\":\"ping\"}", "\n{\"id\":1,\"method\":\"nope\"}" + RS + "[]" + RS + "{",
               "!\n" + json.dumps({"id": 1, "method": "order.place", "params": {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001", "timestamp": int(TS)}}) +
               RS + json.dumps({"id": 2, "method": "openOrders.status", "params": {"timestamp": int(TS)}})]
    write("ws_api", ws_api)
    write("ws_stream", ["/ws/btcusdt@trade\n" + RS.join(control), "/stream?streams=btcusdt@depth@100ms/ethusdt@kline_1m\n" + control[2],
                        "/ws\n" + control[0] + RS + control[3] + RS + control[2],
                        "/ws/btcusdt@depth5/btcusdt@ticker/!ticker@arr/btcusdt@avgPrice\n" + control[4],
                        "/stream?streams=BTCUSDT@trade\n" + control[5], "/ws/x\n" + control[6] + RS + control[7] + RS + control[8]])

    # REST
    rest = []
    for method, path, _, params in rows:
        q = query_of(path, params)
        signed = "signature" in params
        key = "\nX-MBX-APIKEY: " + ALICE_HMAC if "userDataStream" in path else ""
        rest.append("%s%s %s\n%s%s" % ("!" if signed else "", method, path, q, key))
        if signed and method != "GET":
            rest.append("!%s %s\n\nContent-Type: application/x-www-form-urlencoded\n\n%s" % (method, path, q))
    for t in rest_vec[:30]:
        rest.append("%s %s\n%s\nX-MBX-APIKEY: %s\n\n%s" % (t["method"], t["path"], t["query"], t["apiKey"], t["body"]))
    rest += ["GET /api/v3/ping\n\nX-MBX-TIME-UNIT: MICROSECOND", "GET /api/v3/nope\n", "PATCH /api/v3/order\n",
             "GET /api/v3/ticker/price\nsymbols=%5B%22BTCUSDT%22%5D", "GET /api/v3/exchangeInfo\npermissions=%5B%22SPOT%22%5D",
             "!POST /api/v3/order\nsymbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01&price=1e3&timestamp=" + TS,
             "!GET /api/v3/account\ntimestamp=%s&recvWindow=60001" % TS, "GET /api/v3/account\ntimestamp=1&signature=x\nX-MBX-APIKEY: %s" % ALICE_HMAC]
    write("rest", rest)
    n_json = sum(("symbols" in p) + ("permissions" in p) for _, _, _, p in rows)
    write("rest_json", [bytes([i]) + v for i in range(n_json) for v in
                        (b'["BTCUSDT","ETHUSDT"]', b'["BTCUSDT","BTCUSDT"]', b'[]', b'SPOT', b'["SPOT","MARGIN"]', b'[1,[2,{"a":3}]]', b'["\\u0000"]')])

    # admin JSON bodies
    write("admin", ["clock\n{\"advance_ms\":1500}", "clock\n{\"frozen\":false,\"offset_ms\":3600000}", "clock\n{\"frozen_at_ms\":%s}" % TS,
                    "clock\n{\"offset_ms\":\"x\"}", "faults\n{\"route\":\"GET /api/v3/ping\",\"code\":-1007,\"count\":5,\"msg\":\"m\"}",
                    "faults\n{\"route\":\"*\",\"drop\":true,\"execute\":true}", "faults\nnot json",
                    "limits\n{\"weightPerMinute\":7,\"ordersPer10s\":3,\"banAfter429s\":0,\"enforce\":true}",
                    "accounts\n{\"accounts\":[{\"name\":\"zed\",\"balances\":{\"USDT\":\"1\"},\"keys\":[{\"apiKey\":\"%s\",\"type\":\"HMAC\",\"secret\":\"s\",\"permissions\":[\"TRADE\"],\"ipWhitelist\":[\"10.0.0.1\"]}]}]}" % ("Z" * 64),
                    "revoke\n{\"apiKey\":\"%s\"}" % ALICE_HMAC, "ws/config\n{\"pingIntervalMs\":1000,\"maxConnections\":1,\"lenient\":true}",
                    "ws/list\n{}", "ws/drop\n{\"conn\":1,\"graceful\":true}", "ws/delay\n{\"count\":1,\"ms\":700}",
                    "ws/withhold\n{\"count\":1}", "ws/shutdown\n{\"close\":false}", "nope\n{}", "clock\n"])
    write("keys", [open(os.path.join(ROOT, "vectors/keys/registry.json"), "rb").read(),
                   b'{"accounts":[{"name":"a","balances":[{"asset":"USDT","free":"10"}],"keys":[]}]}', b'{"accounts":[{"keys":[]}]}'])
    # compact and split: libFuzzer truncates seeds longer than -max_len (8192)
    syms = load("mock_server/config/symbols.json")["symbols"]
    write("symbols", [json.dumps({"symbols": [x]}, separators=(",", ":"), ensure_ascii=False) for x in syms] +
                     [json.dumps({"symbols": syms[:2]}, separators=(",", ":"), ensure_ascii=False),
                      b'{"symbols":[{"symbol":"AB","baseAsset":"A","quoteAsset":"B","filters":[]}]}'])


if __name__ == "__main__":
    main()
