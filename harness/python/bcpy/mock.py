"""bcpy/mock.py: start/stop a binance-mock on an ephemeral port for the
Python flows (binary from --mock, $BINANCE_MOCK, $BC_BIN_DIR or build/bin)."""
import os
import re
import subprocess
import threading

from .keys import REPO, KEYS_DIR


def mock_find_binary(explicit=None):
    cands = [explicit, os.environ.get('BINANCE_MOCK'),
             os.environ.get('BC_BIN_DIR') and os.path.join(os.environ['BC_BIN_DIR'], 'binance-mock'),
             os.path.join(REPO, 'build', 'bin', 'binance-mock')]
    for c in cands:
        if c and os.path.exists(c):
            return c
    raise RuntimeError('binance-mock not found (tried: %s)' % ', '.join(c for c in cands if c))


class Mock:
    def __init__(self, binary=None, args=()):
        cmd = [mock_find_binary(binary), '--listen', '127.0.0.1:0',
               '--keys', os.path.join(KEYS_DIR, 'registry.json')] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        timer = threading.Timer(30, self.proc.kill)
        timer.start()
        self.url = None
        for line in self.proc.stdout:
            m = re.search(r'listening on (https?://\S+)', line)
            if m:
                self.url = m.group(1).rstrip('/')
                break
        timer.cancel()
        if not self.url:
            raise RuntimeError('binance-mock exited (%s) before listening' % self.proc.poll())
        # keep draining stdout so the server never blocks on a full pipe
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        self.ws_url = 'ws' + self.url[4:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def mock_journal(url, since=0):
    """The server's journal entries with id > since (GET /__admin/journal)."""
    import json
    import urllib.request
    with urllib.request.urlopen('%s/__admin/journal?since=%d&limit=2000' % (url, since), timeout=10) as r:
        return json.loads(r.read())['entries']


def mock_last_id(url):
    entries = mock_journal(url)
    return entries[-1]['id'] if entries else 0


def mock_requests_ok(url, since):
    """(['GET /api/v3/ping 200', ...], all_ok) for the requests journalled after `since`."""
    seen = ['%s %s %s' % (e.get('method'), e.get('path'), e.get('status')) for e in mock_journal(url, since)]
    bad = [e for e in mock_journal(url, since) if (e.get('status') or 0) >= 400]
    return seen, not bad
