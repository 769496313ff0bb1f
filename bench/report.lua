-- bench/report.lua: wrk script used by ci/bench. Sends the request given on
-- the command line unchanged (wrk's fast path: no per-request Lua), and at
-- the end prints one machine-readable line:
--   BENCH_JSON {"requests":N,"seconds":S,"rps":R,"p50_ms":..,"p99_ms":..,
--               "errors":E,"non2xx":M}
-- errors = connect/read/write/timeout errors; non2xx = HTTP status >= 400.
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,' ..
    '"p99_ms":%.3f,"errors":%d,"non2xx":%d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
