"""bcpy/events.py: the buffer behind PROTOCOL.md's streamSubscribe/streamNext:
every event of one subscription in arrival order (pushed from a library's
callback thread), next() returns the first one whose top-level fields match
and drops the ones before it."""
import queue
import time


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
