// lib/wsqueue.js: an arrival-ordered event buffer for the WS flows. Producers
// push(); consumers await next(pred, timeoutMs), which takes the first
// buffered event matching pred (earlier non-matching ones stay buffered) or
// rejects after timeoutMs. Never hangs: every wait has a timer.
'use strict';

function wsEventQueue() {
  const buf = [];
  const waiters = [];
  function push(ev) {
    for (let i = 0; i < waiters.length; i++) {
      if (waiters[i].pred(ev)) { const w = waiters.splice(i, 1)[0]; clearTimeout(w.timer); w.resolve(ev); return; }
    }
    buf.push(ev);
  }
  function next(pred = () => true, timeoutMs = 5000, what = 'event') {
    const i = buf.findIndex(pred);
    if (i >= 0) return Promise.resolve(buf.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      w.timer = setTimeout(() => {
        const k = waiters.indexOf(w);
        if (k >= 0) waiters.splice(k, 1);
        reject(new Error(`no ${what} within ${timeoutMs} ms (${buf.length} other event(s) buffered)`));
      }, timeoutMs);
      waiters.push(w);
    });
  }
  return { push, next, size: () => buf.length };
}

module.exports = { wsEventQueue };
