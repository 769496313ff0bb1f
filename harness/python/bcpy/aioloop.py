"""bcpy/aioloop.py: an asyncio event loop on a daemon thread, for adapters of
asyncio libraries: the library's coroutines and callbacks run there while the
adapter's protocol loop (a plain thread) waits for each call with a timeout."""
import asyncio
import concurrent.futures
import threading


class LoopThread:
    """run(coro) answers within timeout_s or raises error(msg) (the adapter's
    own exception type); stop() ends the loop and joins its thread."""

    def __init__(self, timeout_s, error):
        self.timeout_s = timeout_s
        self.error = error
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro):
        fut = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return fut.result(self.timeout_s)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise self.error('no answer from the library within %d ms' % (self.timeout_s * 1000)) from None

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(2)
