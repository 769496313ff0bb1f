"""bcpy/proto.py: the stdin/stdout loop of harness/PROTOCOL.md (protocol 1).

An adapter is an object with
  hello() -> dict                      the `hello` data (library, version, keyTypes, capabilities)
  configure(params) -> None            make a fresh client; raise Unsupported if an option cannot be honoured
  call(op, params) -> data             run one op through the library; raise Unsupported for unknown ops
  error_of(exc) -> dict                the protocol error object for what the library raised
The loop answers one JSON line per request, flushed, and keeps stdout for
protocol lines only (libraries' logging goes to stderr)."""
import json
import logging
import sys


class Unsupported(Exception):
    """The library cannot do this operation or honour this option."""


def json_safe(x):
    """Binance-shaped data as JSON: Decimals and other scalars as strings."""
    return json.loads(json.dumps(x, default=str))


def proto_answer(adapter, op, params):
    if op == 'hello':
        return {'ok': True, 'data': adapter.hello()}
    if op == 'shutdown':
        return {'ok': True}
    try:
        if op == 'configure':
            adapter.configure(params)
            return {'ok': True}
        data = adapter.call(op, params)
        return {'ok': True, 'data': json_safe(data)}
    except Unsupported:
        return {'unsupported': True}
    except Exception as e:  # what the library surfaced
        return {'ok': False, 'error': adapter.error_of(e)}


def proto_serve(adapter):
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    out = sys.stdout
    sys.stdout = sys.stderr  # a stray print() in a library must not corrupt the protocol
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError:
            continue
        op = req.get('op')
        try:
            answer = proto_answer(adapter, op, req.get('params') or {})
        except Exception as e:  # a bug in the adapter itself
            answer = {'ok': False, 'error': {'msg': 'adapter: %r' % e}}
        out.write(json.dumps(dict(id=req.get('id'), **answer)) + '\n')
        out.flush()
        if op == 'shutdown':
            break
    close = getattr(adapter, 'close', None)
    if close:
        close()
