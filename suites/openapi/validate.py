#!/usr/bin/python3
"""suites/openapi/validate.py: validates every REST response of binance-mock
against Binance's official OpenAPI spec (spot_api.yaml, pinned by sha256).

It starts binance-mock on 127.0.0.1:0 (one process per --profile a case needs),
replays the request rows of cases.json (public, key-only and HMAC-signed, success
and error answers), picks the spec's schema for path + method + status, inlines
its $refs and validates the JSON body with jsonschema (Draft 4 = OpenAPI 3.0's
schema dialect for the keywords this spec uses). Known slips of the spec are
patched in memory by the explicit allow-list SLIPS below (the spec file is never
edited); any other mismatch fails with endpoint, status, JSON pointer, expected
and got. A key the mock sends that the spec does not list fails too, unless
EXTRA_KEYS lists it for that path (fields Binance documents that the 2024-10
spec predates or omits). With --notes, the listed extra keys and keys sent in
another order than the spec's `properties` are shown (order is never a
failure: the spec's property order is not always Binance's).

Dependencies: Debian python3-yaml and python3-jsonschema, run with /usr/bin/python3.
Exit status: 0 all valid, 1 mismatches, 2 setup error, 77 spec or modules missing
(suites/server_openapi.c, the ctest suite that runs this, then skips)."""
import argparse
import copy
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

SPEC_SHA256 = "0dd2f133e12dac2510cf5db1a4eb5de6e3c30c86b24c08867322030939df5e1c"

try:
    import yaml
    import jsonschema
except ImportError as e:  # pragma: no cover - environment check
    print(f"openapi: SKIP: {e} (apt-get install python3-yaml python3-jsonschema; "
          "run with /usr/bin/python3)")
    sys.exit(77)

# ---------------------------------------------------------------------------
# Spec slips: the allow-list. Each entry is one in-memory patch of the spec,
# with the reason. Nothing else may differ between the mock and the spec.
# ---------------------------------------------------------------------------

def _schemas(spec):
    return spec["components"]["schemas"]


def _op_response(spec, path, method, status):
    return spec["paths"][path][method]["responses"].setdefault(status, {})


def slip_aggtrade_t(spec):
    """aggTrade.T is typed boolean; Binance sends the trade time, an int64 ms
    timestamp (the spec's own example is 1498793709153)."""
    _schemas(spec)["aggTrade"]["properties"]["T"] = {"type": "integer", "format": "int64"}


# Binance's filters.md: each filter type's fields (S = decimal string,
# I = integer, B = boolean). Filters are validated by their filterType.
FILTER_FIELDS = {
    "PRICE_FILTER": "minPrice:S maxPrice:S tickSize:S",
    "PERCENT_PRICE": "multiplierUp:S multiplierDown:S avgPriceMins:I",
    "PERCENT_PRICE_BY_SIDE": "bidMultiplierUp:S bidMultiplierDown:S askMultiplierUp:S "
                             "askMultiplierDown:S avgPriceMins:I",
    "LOT_SIZE": "minQty:S maxQty:S stepSize:S",
    "MARKET_LOT_SIZE": "minQty:S maxQty:S stepSize:S",
    "MIN_NOTIONAL": "minNotional:S applyToMarket:B avgPriceMins:I",
    "NOTIONAL": "minNotional:S applyMinToMarket:B maxNotional:S applyMaxToMarket:B avgPriceMins:I",
    "ICEBERG_PARTS": "limit:I",
    "MAX_NUM_ORDERS": "maxNumOrders:I",
    "MAX_NUM_ALGO_ORDERS": "maxNumAlgoOrders:I",
    "MAX_NUM_ICEBERG_ORDERS": "maxNumIcebergOrders:I",
    "MAX_POSITION": "maxPosition:S",
    "TRAILING_DELTA": "minTrailingAboveDelta:I maxTrailingAboveDelta:I "
                      "minTrailingBelowDelta:I maxTrailingBelowDelta:I",
    "MAX_NUM_ORDER_AMENDS": "maxNumOrderAmends:I",
    "MAX_NUM_ORDER_LISTS": "maxNumOrderLists:I",
    "EXCHANGE_MAX_NUM_ORDERS": "maxNumOrders:I",
    "EXCHANGE_MAX_NUM_ALGO_ORDERS": "maxNumAlgoOrders:I",
    "EXCHANGE_MAX_NUM_ICEBERG_ORDERS": "maxNumIcebergOrders:I",
    "EXCHANGE_MAX_NUM_ORDER_LISTS": "maxNumOrderLists:I",
}


def _filter_schema():
    kinds = {"S": {"type": "string"}, "I": {"type": "integer"}, "B": {"type": "boolean"}}
    variants = []
    for ftype, fields in FILTER_FIELDS.items():
        props = {"filterType": {"type": "string", "enum": [ftype]}}
        for f in fields.split():
            name, kind = f.split(":")
            props[name] = dict(kinds[kind])
        variants.append({"type": "object", "properties": props, "required": list(props)})
    return {"anyOf": variants}


def slip_filters_by_type(spec):
    """exchangeInfo symbol filters: the spec's one filter item requires
    PRICE_FILTER's minPrice/maxPrice/tickSize, so LOT_SIZE, NOTIONAL, ... can
    never validate. Read: each filter by its filterType, with the fields and
    types Binance's filters.md gives that type (stricter than the spec: an
    unknown filterType or a missing/mistyped field fails). exchangeFilters too."""
    sch = _op_response(spec, "/api/v3/exchangeInfo", "get", "200")["content"]["application/json"]["schema"]
    sch["properties"]["symbols"]["items"]["properties"]["filters"]["items"] = _filter_schema()
    sch["properties"]["exchangeFilters"] = {"type": "array", "items": _filter_schema()}


# The spec's oneOf nodes whose variants overlap (no discriminator), so oneOf
# rejects every valid answer: read as anyOf HERE ONLY. Every other oneOf keeps
# its exactly-one meaning (klines cells, ticker/price, ticker/bookTicker, ...).
ONEOF_AS_ANYOF = [
    # ACK c RESULT c FULL: a FULL answer also matches RESULT and ACK
    ("/api/v3/order", "post", "200"),
    # FULL ticker also matches the MINI shape slip_ticker_24hr_mini adds
    ("/api/v3/ticker/24hr", "get", "200"),
]


def slip_oneof_as_anyof(spec):
    """Overlapping oneOf variants without a discriminator (the order
    response's ACK/RESULT/FULL, ticker/24hr FULL vs MINI): read as anyOf, at
    the response roots listed in ONEOF_AS_ANYOF only (each must hold a oneOf)."""
    for path, method, status in ONEOF_AS_ANYOF:
        sch = _op_response(spec, path, method, status)["content"]["application/json"]["schema"]
        if "oneOf" not in sch:
            raise RuntimeError(f"ONEOF_AS_ANYOF: {method} {path} {status} has no oneOf")
        sch["anyOf"] = sch.pop("oneOf")


def slip_ticker_24hr_mini(spec):
    """/api/v3/ticker/24hr describes only the FULL ticker; type=MINI (documented
    in Binance's rest-api.md) answers the MINI shape, which the spec lacks."""
    mini = {"type": "object",
            "properties": {k: {"type": "string"} for k in (
                "symbol", "openPrice", "highPrice", "lowPrice", "lastPrice",
                "volume", "quoteVolume")},
            "required": ["symbol", "openPrice", "highPrice", "lowPrice", "lastPrice",
                         "volume", "quoteVolume", "openTime", "closeTime",
                         "firstId", "lastId", "count"]}
    for k in ("openTime", "closeTime", "firstId", "lastId", "count"):
        mini["properties"][k] = {"type": "integer", "format": "int64"}
    spec["components"]["schemas"]["x-tickerMini"] = mini
    sch = _op_response(spec, "/api/v3/ticker/24hr", "get", "200")["content"]["application/json"]["schema"]
    variants = sch.get("anyOf") or sch.get("oneOf")
    variants += [{"$ref": "#/components/schemas/x-tickerMini"},
                 {"type": "array", "items": {"$ref": "#/components/schemas/x-tickerMini"}}]


def slip_ticker_window_list(spec):
    """/api/v3/ticker (rolling window) describes one FULL object only; with
    `symbols` Binance answers an array, and type=MINI the MINI shape
    (rest-api.md "Rolling window price change statistics")."""
    sch = _op_response(spec, "/api/v3/ticker", "get", "200")["content"]["application/json"]
    full = sch["schema"]
    mini = copy.deepcopy(full)
    for k in ("priceChange", "priceChangePercent", "weightedAvgPrice"):
        mini["properties"].pop(k, None)
        if k in mini.get("required", []):
            mini["required"].remove(k)
    sch["schema"] = {"anyOf": [full, {"type": "array", "items": full},
                               mini, {"type": "array", "items": mini}]}


def slip_error_statuses(spec):
    """Statuses the spec omits but Binance documents with the same {code,msg}
    error body: 409 for cancelReplace (cancel failed/new order failed: the body
    is {code,msg,data}, rest-api.md), 410 for the retired listenKey endpoints
    (profile current; libraries report 410 Gone), 401 for a missing/invalid
    API key on the listenKey endpoints (USER_STREAM security: -2014/-2015, as
    on every keyed endpoint; the spec lists 401 elsewhere but not here)."""
    err = {"$ref": "#/components/schemas/error"}
    for path, method, status in (("/api/v3/order/cancelReplace", "post", "409"),
                                 ("/api/v3/userDataStream", "post", "410"),
                                 ("/api/v3/userDataStream", "put", "410"),
                                 ("/api/v3/userDataStream", "delete", "410"),
                                 ("/api/v3/userDataStream", "post", "401"),
                                 ("/api/v3/userDataStream", "put", "401"),
                                 ("/api/v3/userDataStream", "delete", "401")):
        _op_response(spec, path, method, status)["content"] = {"application/json": {"schema": err}}
    # cancelReplace 400/409 may carry `data` (rest-api.md): when present,
    # require its documented keys (a strengthening, not a relaxation).
    data = {"type": "object", "properties": {"data": {
        "type": "object",
        "properties": {"cancelResult": {"type": "string"}, "newOrderResult": {"type": "string"},
                       "cancelResponse": {"type": "object"},
                       "newOrderResponse": {"type": ["object", "null"]}},
        "required": ["cancelResult", "newOrderResult", "cancelResponse", "newOrderResponse"]}}}
    for status in ("400", "409"):
        resp = _op_response(spec, "/api/v3/order/cancelReplace", "post", status)
        resp["content"]["application/json"]["schema"] = {"allOf": [err, data]}


def slip_rate_limit_statuses(spec):
    """429 (rate limit broken) and 418 (IP banned after 429s) apply to every
    endpoint (rest-api.md "HTTP Return Codes", with the usual {code,msg}
    body); the spec describes neither on any operation."""
    err = {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}
    for ops in spec["paths"].values():
        for op in ops.values():
            if isinstance(op, dict) and "responses" in op:
                for status in ("418", "429"):
                    op["responses"].setdefault(status, {"content": copy.deepcopy(err)})


# Keys the mock sends that the spec does not list: a failure unless listed
# here, per path, as JSON pointers ("*" = any array index), each with the
# Binance doc that has the key (rest-api.md unless said otherwise; fields
# added after the spec's 2024-10 release or omitted by it).
_ORDER_EXTRA = ["/origQuoteOrderQty",        # order responses, since 2023-ish
                "/icebergQty", "/stopPrice",  # conditional order fields (rest-api.md "Conditional fields")
                "/trailingDelta", "/trailingTime",   # trailing stops: the same "Conditional fields" table
                "/pegPriceType", "/pegOffsetType", "/pegOffsetValue", "/peggedPrice",  # pegged orders (same table)
                "/fills/*/tradeId"]           # FULL response fills
_LIST_EXTRA = ["/orderReports/*" + k for k in _ORDER_EXTRA + ["/fills"]]
_OPO_RESULT = ["/orderReports/*/" + k for k in (
    "price", "executedQty", "cummulativeQuoteQty", "status", "timeInForce", "type", "side",
    "workingTime", "selfTradePreventionMode")]
EXTRA_KEYS = {
    "/api/v3/order": _ORDER_EXTRA,
    "/api/v3/openOrders": ["/*" + k for k in _ORDER_EXTRA] + ["/*" + k for k in _LIST_EXTRA],
    "/api/v3/allOrders": ["/*/trailingDelta", "/*/trailingTime"],
    "/api/v3/order/cancelReplace": ["/cancelResponse" + k for k in _ORDER_EXTRA]
                                   + ["/newOrderResponse" + k for k in _ORDER_EXTRA],
    # order lists (rest-api.md order-list responses): the same order extras in orderReports
    "/api/v3/orderList": _LIST_EXTRA,
    "/api/v3/orderList/oco": _LIST_EXTRA,
    "/api/v3/order/oco": _LIST_EXTRA,
    "/api/v3/orderList/oto": _LIST_EXTRA,
    "/api/v3/orderList/otoco": _LIST_EXTRA,
    # OPO/OPOCO (2025, not in the spec; described by oto/otoco): their reports
    # validate only as the ACK shape, so the RESULT fields rest-api.md shows
    # for them are listed too
    "/api/v3/orderList/opo": _LIST_EXTRA + _OPO_RESULT,
    "/api/v3/orderList/opoco": _LIST_EXTRA + _OPO_RESULT,
    # account commission: specialCommission (2025 changelog)
    "/api/v3/account/commission": ["/specialCommission"],
    # exchangeInfo symbol flags the spec predates; "sors" (rest-api.md exchangeInfo
    # sample: "Present only when SOR is available")
    "/api/v3/exchangeInfo": ["/symbols/*/quotePrecision", "/symbols/*/opoAllowed",
                             "/symbols/*/amendAllowed", "/symbols/*/pegInstructionsAllowed", "/sors"],
    # sor/order: origQuoteOrderQty (rest-api.md "New order using SOR" sample)
    "/api/v3/sor/order": ["/origQuoteOrderQty"],
    # FULL 24hr ticker: rest-api.md lists weightedAvgPrice and lastQty, the spec's `ticker` does not
    "/api/v3/ticker/24hr": ["/weightedAvgPrice", "/lastQty", "/*/weightedAvgPrice", "/*/lastQty"],
    # /sapi coin config (Binance wallet docs) fields newer than the spec
    "/sapi/v1/capital/config/getall": ["/*/networkList/*/" + k for k in (
        "resetAddressStatus", "estimatedArrivalTime", "busy", "contractAddressUrl", "contractAddress")],
}


def extra_allowed(path, ptr):
    """ptr (a note's '/a/*/b' pointer) is listed in EXTRA_KEYS for path."""
    return ptr in EXTRA_KEYS.get(path, [])


ORDER_LIST_PLACEMENTS = ("/api/v3/orderList/oco", "/api/v3/orderList/oto", "/api/v3/orderList/otoco")


def _list_reports(spec, path, method):
    sch = _op_response(spec, path, method, "200")["content"]["application/json"]["schema"]
    return spec_deref(spec, sch)["properties"]["orderReports"]


def slip_order_list_reports(spec):
    """Order-list orderReports: the spec requires stopPrice in every report,
    but rest-api.md's own samples omit it for LIMIT / LIMIT_MAKER legs (it is
    a conditional field of order responses); and "Response format for
    orderReports is selected using the newOrderRespType parameter": with ACK
    a report is the ACK order shape, which the spec does not describe."""
    ack = {"type": "object", "required": ["symbol", "orderId", "orderListId", "clientOrderId", "transactTime"],
           "properties": {"symbol": {"type": "string"}, "orderId": {"type": "integer"},
                          "orderListId": {"type": "integer"}, "clientOrderId": {"type": "string"},
                          "transactTime": {"type": "integer"}}}
    for path, method in [(p, "post") for p in ORDER_LIST_PLACEMENTS] + [("/api/v3/orderList", "delete")]:
        reports = _list_reports(spec, path, method)
        item = copy.deepcopy(spec_deref(spec, reports["items"]))
        item["required"] = [k for k in item.get("required", []) if k != "stopPrice"]
        reports["items"] = {"anyOf": [item, ack]} if method == "post" else item


def slip_order_list_missing_paths(spec):
    """POST /api/v3/order/oco (deprecated, still served), /api/v3/orderList/opo
    and /opoco (added 2025) are not in the 2024-10 spec. Their responses are
    documented (rest-api.md) as the same list shape as orderList/oco, /oto
    and /otoco: described by those operations."""
    for new, old in (("/api/v3/order/oco", "/api/v3/orderList/oco"), ("/api/v3/orderList/opo", "/api/v3/orderList/oto"),
                     ("/api/v3/orderList/opoco", "/api/v3/orderList/otoco")):
        spec["paths"].setdefault(new, {})["post"] = copy.deepcopy(spec["paths"][old]["post"])


def slip_all_order_list_isolated(spec):
    """GET /api/v3/allOrderList requires `isIsolated`, a margin field: Binance's
    spot rest-api.md response has no such key (nor has openOrderList's)."""
    sch = _op_response(spec, "/api/v3/allOrderList", "get", "200")["content"]["application/json"]["schema"]
    item = spec_deref(spec, sch["items"])
    item["required"] = [k for k in item["required"] if k != "isIsolated"]


def slip_amend_missing_paths(spec):
    """PUT /api/v3/order/amend/keepPriority and GET /api/v3/order/amendments
    (added 2025) are not in the 2024-10 spec: described here from rest-api.md's
    response samples (every key of the samples required, conditional order
    fields allowed), with the spec's own error responses of PUT order."""
    S, I = {"type": "string"}, {"type": "integer"}
    order = {"type": "object", "required": ["symbol", "orderId", "orderListId", "origClientOrderId", "clientOrderId",
                                            "price", "qty", "executedQty", "preventedQty", "quoteOrderQty",
                                            "cumulativeQuoteQty", "status", "timeInForce", "type", "side",
                                            "selfTradePreventionMode"],
             "properties": {"symbol": S, "orderId": I, "orderListId": I, "origClientOrderId": S, "clientOrderId": S,
                            "price": S, "qty": S, "executedQty": S, "preventedQty": S, "quoteOrderQty": S,
                            "cumulativeQuoteQty": S, "status": S, "timeInForce": S, "type": S, "side": S,
                            "workingTime": I, "selfTradePreventionMode": S, "stopPrice": S, "icebergQty": S,
                            "strategyId": I, "strategyType": I, "trailingDelta": I, "trailingTime": I}}
    leg = {"type": "object", "required": ["symbol", "orderId", "clientOrderId"],
           "properties": {"symbol": S, "orderId": I, "clientOrderId": S}}
    lst = {"type": "object", "required": ["orderListId", "contingencyType", "listOrderStatus", "listClientOrderId",
                                          "symbol", "orders"],
           "properties": {"orderListId": I, "contingencyType": S, "listOrderStatus": S, "listClientOrderId": S,
                          "symbol": S, "orders": {"type": "array", "items": leg}}}
    amend = {"type": "object", "required": ["transactTime", "executionId", "amendedOrder"],
             "properties": {"transactTime": I, "executionId": I, "amendedOrder": order, "listStatus": lst}}
    rec = {"type": "object", "required": ["symbol", "orderId", "executionId", "origClientOrderId", "newClientOrderId",
                                          "origQty", "newQty", "time"],
           "properties": {"symbol": S, "orderId": I, "executionId": I, "origClientOrderId": S,
                          "newClientOrderId": S, "origQty": S, "newQty": S, "time": I}}
    errors = {k: v for k, v in spec["paths"]["/api/v3/order"]["post"]["responses"].items() if k != "200"}

    def op(schema):
        r = {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
        r.update(copy.deepcopy(errors))
        return {"responses": r}
    spec["paths"].setdefault("/api/v3/order/amend/keepPriority", {})["put"] = op(amend)
    spec["paths"].setdefault("/api/v3/order/amendments", {})["get"] = op({"type": "array", "items": rec})


def slip_trading_day_mini(spec):
    """/api/v3/ticker/tradingDay describes only the FULL ticker (dayTicker);
    type=MINI (rest-api.md "Trading Day Ticker", "Response - MINI") answers
    the MINI shape: the same one as ticker/24hr's MINI. A FULL ticker also
    matches the MINI schema, so the variants are anyOf, not oneOf."""
    sch = _op_response(spec, "/api/v3/ticker/tradingDay", "get", "200")["content"]["application/json"]["schema"]
    if "oneOf" in sch:
        sch["anyOf"] = sch.pop("oneOf")
    variants = sch["anyOf"]
    variants += [{"$ref": "#/components/schemas/x-tickerMini"},
                 {"type": "array", "items": {"$ref": "#/components/schemas/x-tickerMini"}}]


def slip_sor_order_shapes(spec):
    """POST /api/v3/sor/order requires `fills`: rest-api.md shows the FULL
    response, but newOrderRespType takes ACK and RESULT too (same parameter
    table as POST /api/v3/order), whose shapes carry no fills."""
    sch = _op_response(spec, "/api/v3/sor/order", "post", "200")["content"]["application/json"]["schema"]
    sch = spec_deref(spec, sch)
    sch["required"] = [k for k in sch.get("required", []) if k != "fills"]


SLIPS = [slip_aggtrade_t, slip_filters_by_type, slip_oneof_as_anyof,
         slip_ticker_24hr_mini, slip_ticker_window_list, slip_error_statuses,
         slip_rate_limit_statuses, slip_order_list_reports, slip_order_list_missing_paths,
         slip_all_order_list_isolated, slip_amend_missing_paths, slip_trading_day_mini, slip_sor_order_shapes]

# ---------------------------------------------------------------------------
# Spec loading and schema lookup
# ---------------------------------------------------------------------------

def spec_load(path):
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SPEC_SHA256:
        print(f"openapi: {path}: sha256 {digest} is not the pinned {SPEC_SHA256}")
        sys.exit(2)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(raw, Loader=loader)
    for slip in SLIPS:
        slip(spec)
    return spec


def spec_schema(spec, path, method, status):
    """The response schema for path+method+status, or None with a reason."""
    op = spec["paths"].get(path, {}).get(method.lower())
    if op is None:
        return None, f"{method} {path} is not in the spec"
    resp = op["responses"].get(str(status))
    if resp is None:
        return None, f"status {status} is not described (has {sorted(op['responses'])})"
    sch = resp.get("content", {}).get("application/json", {}).get("schema")
    if sch is None:
        return None, f"status {status} has no application/json schema"
    return sch, None


def spec_inline(spec, node, depth=0):
    """node with every $ref replaced by its target (the spec's schemas are not
    recursive), so validation never searches the whole 1 MB document."""
    if depth > 64:
        raise RuntimeError("$ref nesting deeper than 64")
    if isinstance(node, dict):
        if "$ref" in node:
            return spec_inline(spec, spec_deref(spec, node), depth + 1)
        return {k: spec_inline(spec, v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [spec_inline(spec, v, depth + 1) for v in node]
    return node


def spec_deref(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = spec["components"]["schemas"][name]
    return node

# ---------------------------------------------------------------------------
# Validation and notes
# ---------------------------------------------------------------------------

def json_pointer(parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def short(v, n=120):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."


def _error_leaves(err):
    """The errors to report for err: for anyOf, those of the closest variant
    (variants failing an enum - e.g. another filterType - or of another JSON
    type are not close; else the one with the fewest errors)."""
    if not err.context:
        return [err]
    groups = {}
    for e in err.context:
        groups.setdefault(e.relative_schema_path[0], []).append(e)
    close = [g for g in groups.values() if not any(e.validator == "enum" for e in g)]
    typed = [g for g in close if not any(e.validator == "type" and not e.relative_path for e in g)]
    close = typed or close
    if not close:  # no variant's discriminating enum matches: say which values are
        enums = sorted({str(x) for g in groups.values() for e in g
                        if e.validator == "enum" for x in e.validator_value})
        e = next(e for g in groups.values() for e in g if e.validator == "enum")
        e.validator_value = enums
        return [e]
    best = min(close, key=len)
    return [leaf for e in best for leaf in _error_leaves(e)]


def validate_body(spec, schema, body):
    """List of 'pointer: expected ... got ...' lines (empty = valid)."""
    v = jsonschema.Draft4Validator(spec_inline(spec, schema))
    out = []
    errors = sorted(v.iter_errors(body), key=lambda e: list(e.absolute_path))
    for leaf in (leaf for err in errors for leaf in _error_leaves(err)):
        if leaf.validator == "required":
            missing = [k for k in leaf.validator_value
                       if isinstance(leaf.instance, dict) and k not in leaf.instance]
            exp = f"required keys {missing}"
        else:
            exp = f"{leaf.validator}: {short(leaf.validator_value, 200)}"
        line = f"{json_pointer(leaf.absolute_path)}: expected {exp}; got {short(leaf.instance)}"
        if line not in out:  # Draft 4 reports each missing required key apart
            out.append(line)
    return out


def _variant_pick(spec, variants, body):
    """The anyOf/oneOf variant that describes body best: among the variants
    it validates against, the one whose properties name most of its keys."""
    ok = [v for v in variants
          if jsonschema.Draft4Validator(spec_inline(spec, v)).is_valid(body)] or variants

    def named(v):
        v = spec_deref(spec, v)
        if isinstance(body, list) and body:
            v, b = spec_deref(spec, v.get("items", {})), body[0]
        else:
            b = body
        return len(set(b) & set(v.get("properties", {}))) if isinstance(b, dict) else 0
    return max(ok, key=named)


def shape_notes(spec, schema, body, ptr="", out=None):
    """Informational differences the schema cannot express: keys in body that
    the spec does not list ('extra /a/*/b'), and keys listed by the spec that
    body sends in another order ('order /a: x before y')."""
    out = [] if out is None else out
    schema = spec_deref(spec, schema)
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        return shape_notes(spec, _variant_pick(spec, variants, body), body, ptr, out)
    if "allOf" in schema:
        merged = {"type": "object", "properties": {}}
        for part in schema["allOf"]:
            merged["properties"].update(spec_deref(spec, part).get("properties", {}))
        return shape_notes(spec, merged, body, ptr, out)
    if isinstance(body, dict) and "properties" in schema:
        props = list(schema["properties"])
        known = [k for k in body if k in schema["properties"]]
        want = sorted(known, key=props.index)
        if known != want:
            first = next(i for i, (a, b) in enumerate(zip(known, want)) if a != b)
            note = f"order {ptr or '/'}: spec has {want[first]} before {known[first]}"
            if note not in out:
                out.append(note)
        for k, v in body.items():
            if k not in schema["properties"]:
                if f"extra {ptr}/{k}" not in out:
                    out.append(f"extra {ptr}/{k}")
            else:
                shape_notes(spec, schema["properties"][k], v, f"{ptr}/{k}", out)
    elif isinstance(body, list) and "items" in schema:
        for v in body:
            shape_notes(spec, schema["items"], v, f"{ptr}/*", out)
    return out


def negatives_check(spec, path):
    """Problems if a known-bad body of negative.json validates, or is
    rejected for another reason than the row expects."""
    probs = []
    for row in json.load(open(path, encoding="utf-8"))["bodies"]:
        where = f"negative {row['method']} {row['path']} {row['status']}"
        schema, why = spec_schema(spec, row["path"], row["method"], row["status"])
        got = [why] if schema is None else validate_body(spec, schema, row["body"])
        if not got:
            probs.append(f"{where}: validated, expected a rejection ({row['expect']})")
        elif row["expect"] not in got[0]:
            probs.append(f"{where}: rejected with {got[0]!r}, expected {row['expect']!r}")
    return probs


# ---------------------------------------------------------------------------
# The mock and the requests
# ---------------------------------------------------------------------------

class Mock:
    def __init__(self, binary, profile, symbols=None):
        self.profile = profile
        self.saved = {}  # fields rows saved for later rows ("save")
        self.sent = 0
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--profile", profile] + (["--symbols", symbols] if symbols else []),
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.stop()
            raise RuntimeError(f"binance-mock did not start: {line!r}")
        host, port = line[len("listening on http://"):].rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port), timeout=10)
        # Freeze the virtual clock on a whole millisecond: every run renders
        # the same times (µs times end in 000, the case that once printed as
        # 1.79524098e+15), rate-limit windows never roll mid-run, and
        # signed rows use this time, so no recvWindow race on slow machines.
        self.now_ms = int(time.time() * 1000)
        body = json.dumps({"frozen_at_ms": self.now_ms})
        self.conn.request("POST", "/__admin/clock", body=body,
                          headers={"Content-Type": "application/json"})
        r = self.conn.getresponse()
        r.read()
        if r.status != 200:
            self.stop()
            raise RuntimeError(f"POST /__admin/clock: HTTP {r.status}")

    def request(self, method, target, headers):
        self.sent += 1
        self.conn.request(method, target, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()

    def stop(self):
        """Stop the mock; its stderr if it did not exit cleanly (e.g. a
        sanitizer report), else None."""
        if hasattr(self, "conn"):
            self.conn.close()  # else the server waits out the keep-alive
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.seek(0)
        err = self.log.read()
        self.log.close()
        if self.proc.returncode != 0:
            return f"exit status {self.proc.returncode}: {err[-2000:]}"
        return None


def keys_load(src):
    """Key aliases -> (apiKey, secret) from vectors/keys (README.md table)."""
    kdir = os.path.join(src, "vectors", "keys")
    reg = json.load(open(os.path.join(kdir, "registry.json"), encoding="utf-8"))
    secrets = {}
    for acct in reg["accounts"]:
        for k in acct["keys"]:
            if k["type"] == "HMAC":
                secrets[k["secret"]] = k["apiKey"]
    out = {}
    for alias, fname in (("alice", "hmac.secret"), ("readonly", "readonly-hmac.secret"),
                         ("ipwl", "ipwl-hmac.secret"), ("bob", "bob-hmac.secret")):
        with open(os.path.join(kdir, fname), encoding="ascii") as f:
            secret = f.read().rstrip("\n")
        out[alias] = (secrets[secret], secret)
    out["unknown"] = ("x" * 64, "y" * 64)
    return out


def case_target(case, keys, saved, now_ms):
    """Request target and headers of one case row ("$name" values are the
    fields earlier rows saved)."""
    params = [(k, str(saved.get(v[1:], v)) if v.startswith("$") else v)
              for k, v in case.get("params", {}).items()]
    auth = case.get("auth", "none")
    headers = dict(case.get("headers", {}))
    if auth in ("key", "signed"):
        api_key, secret = keys[case.get("key", "alice")]
        headers["X-MBX-APIKEY"] = api_key
    if auth == "signed":
        ts = now_ms + case.get("timestampShiftMs", 0)
        params.append(("timestamp", str(ts)))
        query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
        sig = hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()
        if case.get("badSignature"):
            sig = "0" * 64
        query += "&signature=" + sig
    else:
        query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
    return case["path"] + ("?" + query if query else ""), headers


def case_run(spec, mock, case, keys, notes):
    """Problems of one case (empty = the response validates)."""
    name = f"{case['method']} {case['path']} [{case['id']}]"
    for _ in range(case.get("repeatUntilStatus", 1)):
        target, headers = case_target(case, keys, mock.saved, mock.now_ms)
        status, raw = mock.request(case["method"], target, headers)
        if status == case["status"]:
            break
    where = f"{name}: HTTP {status}"
    if status != case["status"]:
        return [f"{where}: expected HTTP {case['status']}, body {raw[:200]!r}"]
    try:
        body = json.loads(raw)
    except ValueError:
        return [f"{where}: body is not JSON: {raw[:200]!r}"]
    if "code" in case and (not isinstance(body, dict) or body.get("code") != case["code"]):
        return [f"{where}: expected code {case['code']}, got {short(body)}"]
    schema, why = spec_schema(spec, case["path"], case["method"], status)
    if schema is None:
        return [f"{where}: {why}"]
    probs = [f"{where}: {p}" for p in validate_body(spec, schema, body)]
    for var, field in case.get("save", {}).items():
        if not isinstance(body, dict) or field not in body:
            probs.append(f"{where}: no {field} to save")
        else:
            mock.saved[var] = body[field]
    if not probs:
        for k in shape_notes(spec, schema, body):
            if k.startswith("extra ") and not extra_allowed(case["path"], k[len("extra "):]):
                probs.append(f"{where}: key {k[len('extra '):]} is not in the spec "
                             "(list it in EXTRA_KEYS with the Binance doc that has it)")
            elif notes is not None:
                notes.setdefault(f"{name} {status}", []).append(k)
    return probs

# ---------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.environ.get("BC_SOURCE_DIR", os.path.normpath(os.path.join(here, "..", "..")))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mock", default=os.environ.get("BINANCE_MOCK",
                                                     os.path.join(src, "build", "bin", "binance-mock")))
    ap.add_argument("--spec", default=os.environ.get("BC_OPENAPI_SPEC", os.path.normpath(
        os.path.join(src, "..", "shared", "openapi", "spot_api.yaml"))))
    ap.add_argument("--cases", default=os.path.join(here, "cases.json"))
    ap.add_argument("--notes", action="store_true", help="list keys the spec does not describe and key-order differences")
    args = ap.parse_args()
    if not os.path.exists(args.spec):
        print(f"openapi: SKIP: spec {args.spec} not found (set BC_OPENAPI_SPEC)")
        return 77
    t0 = time.time()
    spec = spec_load(args.spec)
    try:
        cases = json.load(open(args.cases, encoding="utf-8"))["cases"]
        keys = keys_load(src)
        negatives = negatives_check(spec, os.path.join(here, "negative.json"))
    except (OSError, ValueError, KeyError) as e:
        print(f"openapi: setup error: cases, negative.json or vectors/keys: {e}")
        return 2
    mocks, problems, notes, seen, bad = {}, list(negatives), {}, set(), 0
    try:
        for case in cases:
            prof = case.get("profile", "current")
            # "symbols": a --symbols file (relative to the repository) for its own mock
            mkey = prof + ("|" + case["symbols"] if case.get("symbols") else "")
            if mkey not in mocks:
                mocks[mkey] = Mock(args.mock, prof, os.path.join(src, case["symbols"]) if case.get("symbols") else None)
            probs = case_run(spec, mocks[mkey], case, keys, notes if args.notes else None)
            problems += probs
            bad += 1 if probs else 0
            seen.add((case["method"], case["path"]))
    except (RuntimeError, OSError) as e:
        print(f"openapi: setup error: {e}")
        return 2
    finally:
        for m in mocks.values():
            died = m.stop()
            if died:
                problems.append(f"binance-mock --profile {m.profile}: {died}")
    for p in problems:
        print("FAIL", p)
    if args.notes:
        for k in sorted(notes):
            print(f"note: {k}: {'; '.join(notes[k])}")
    if args.notes:
        untested = sorted(f"{m.upper()} {p}" for p, ops in spec["paths"].items()
                          if p.startswith("/api/v3/") for m in ops
                          if (m.upper(), p) not in seen)
        print(f"note: spec /api/v3 endpoints without a case: {', '.join(untested)}")
    sent = sum(m.sent for m in mocks.values())
    print(f"openapi: {len(cases) - bad}/{len(cases)} responses valid ({sent} requests sent), "
          f"{len(negatives)} negative-body problems, "
          f"{len(seen)} endpoints, {len(SLIPS)} spec slips patched, {time.time() - t0:.1f}s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
