"""bcpy/events.py: the buffer behind PROTOCOL.md's streamSubscribe/streamNext:
every event of one subscription in arrival order (pushed from a library's
callback thread), next() returns the first one whose top-level fields match
and drops the ones before it."""
import queue
import time

from bcpy.proto import Unsupported


class EventTimeout(Exception):
    """No matching event in time: the protocol's {"msg": "timeout"}."""

    def __init__(self):
        super().__init__('timeout')


class EventQueue:
    def __init__(self):
        self.q = queue.Queue()

    def push(self, ev):
        self.q.put(ev)

    def next(self, match, timeout_s):
        end = time.monotonic() + timeout_s
        while True:
            left = end - time.monotonic()
            try:
                if left <= 0:
                    raise queue.Empty
                ev = self.q.get(timeout=left)
            except queue.Empty:
                raise EventTimeout()
            if isinstance(ev, dict) and all(ev.get(k) == v for k, v in (match or {}).items()):
                return ev


def stream_op(streams, subscribe, op, p, error):
    """PROTOCOL.md's streamSubscribe / streamNext / streamClose over a dict of
    handles -> (EventQueue, close). subscribe(p) gives (queue, close), or None
    for a subscription the library cannot make (the caller's Unsupported);
    error(msg) builds the adapter's exception for an unknown handle."""
    if op == 'streamSubscribe':
        sub = subscribe(p)
        if sub is None:
            raise Unsupported()
        handle = 'h%d' % (len(streams) + 1)
        streams[handle] = sub
        return {'handle': handle}
    q, close = streams.get(str(p.get('handle')), (None, None))
    if q is None:
        raise error('unknown handle %r' % p.get('handle'))
    if op == 'streamNext':
        return q.next(p.get('match') or {}, p.get('timeoutMs', 3000) / 1000.0)
    del streams[str(p['handle'])]
    close()
    return {}
