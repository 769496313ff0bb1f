/* config: parses binance-mock's flags into srv_config. Every flag of
 * DESIGN.md plus --threads, --recv-window-error, --check-order,
 * --symbols, --max-body, --max-params. Bad flags -> clear message, exit 2. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "pct.h"
#include "vclock.h"
#include "bc_version.h"

#ifndef BC_VECTORS_DIR
#define BC_VECTORS_DIR "vectors"
#endif

void config_defaults(srv_config *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->listen_host, "127.0.0.1");
    c->listen_port = 8080;
    c->keys_file = NULL;                 /* the bundled registry, built in */
    c->profile = PROFILE_CURRENT;
    c->seed = 42;
    c->rate_limits_on = 1;
    c->threads = 2048;
    c->recv_window_error = ERR_BAD_RECV_WINDOW;
    c->order = CHECK_KEY_FIRST;
    c->max_body = 1 << 20;
    c->max_params = 1024;
    c->keep_alive_ms = 5000;
    c->pool_low_pct = 75;
    c->keep_alive_low_ms = 0;
    c->explain = 1;
    c->order_retention_ms = INT64_C(90) * 86400000;   /* Binance: archived after 90 days */
    c->archive_filled = 1;
    c->replay_speed_milli = 1000;
    c->replay_max_events = 5000000;
    ws_opts_default(&c->ws);
}

void config_usage(FILE *f)
{
    fputs("usage: binance-mock [options]\n"
          "  --listen HOST:PORT          address (port 0 = any free port) [127.0.0.1:8080]\n"
          "  --keys FILE                 account/key registry [built in: the bundled test keys of\n"
          "                              vectors/keys/registry.json]\n"
          "  --symbols FILE              exchange symbol config [built-in]\n"
          "  --clock-offset-ms N         server clock = real clock + N ms [0]\n"
          "  --tls-cert FILE --tls-key FILE   serve HTTPS (PEM files)\n"
          "  --profile current|2025-12   Binance rule era [current]\n"
          "  --seed N                    market simulator seed [42]\n"
          "  --rate-limits on|off        enforce request-weight/order limits [on]\n"
          "  --admin-token T             require 'Authorization: Bearer T' on /__admin (also from\n"
          "                              $BINANCE_MOCK_ADMIN_TOKEN; listening off loopback without\n"
          "                              one, a random token is made and printed on stderr)\n"
          "  --threads N                 worker threads = concurrent keep-alive/WebSocket clients [2048]\n"
          "  --recv-window-error 1131|1102   code for recvWindow > 60000 [1131]\n"
          "  --check-order key-first|signature-first\n"
          "                              API-key check before/after the mandatory\n"
          "                              signature/timestamp check [key-first]\n"
          "  --explain on|off            diagnose -1022 signatures in the journal (costly for\n"
          "                              RSA/Ed25519 floods) [on]\n"
          "  --keep-alive-ms N           an idle keep-alive connection frees its thread after N ms [5000]\n"
          "  --pool-low-percent N        the worker pool runs low when N% of --threads hold a\n"
          "                              connection (50..100): responses then close their\n"
          "                              connection and idle keep-alive ones are reaped [75]\n"
          "  --keep-alive-low-ms N|off   pool low: close keep-alive connections idle for N ms,\n"
          "                              longest-idle first; off = wait for --keep-alive-ms [0]\n"
          "  --max-body BYTES            largest accepted request body [1048576]\n"
          "  --max-params N              most parameters per request [1024]\n"
          "  --order-retention-ms N      closed orders are archived (-2026) N ms after closing,\n"
          "                              0 = never [7776000000 = 90 days]\n"
          "  --archive-filled on|off     archive orders with fills too (Binance keeps them) [on]\n"
          "  --ws-lenient                WS API: also accept signatures over percent-encoded values\n"
          "  --ws-ping-interval-ms N     server ping frame period (virtual clock) [20000]\n"
          "  --ws-pong-timeout-ms N      close a connection whose ping is unanswered this long [60000]\n"
          "  --ws-max-lifetime-ms N      close connections older than this [86400000 = 24 h]\n"
          "  --ws-max-connections N      concurrent WebSocket connections (-1034 beyond;\n"
          "                              at most 3/4 of --threads) [300]\n"
          "  --ws-max-messages-per-sec N market streams: incoming messages a second (virtual clock)\n"
          "                              before the connection is closed; 0 = no limit [5]\n"
          "  --ws-max-streams N          market streams per connection [1024]\n"
          "  --ws-unknown-stream MODE    a well-formed stream name of an unknown or upper-case symbol:\n"
          "                              silent (accepted, never sends; Binance's way) or error\n"
          "                              (\"Invalid request: invalid stream\"); journalled either way [silent]\n"
          "  --replay DIR                replay Binance's public market-data files of DIR (klines,\n"
          "                              trades, aggTrades .csv as on data.binance.vision) as the\n"
          "                              market of their symbols (docs/replay.md)\n"
          "  --replay-speed X            replay at X times real time on the virtual clock\n"
          "                              (0.001..1000000, up to 3 decimals) [1]\n"
          "  --replay-history-ms N       the first N ms of the data are history at start [0]\n"
          "  --replay-start-ms T         the data's first minute plays at virtual time T (ms)\n"
          "                              [0 = the first whole minute at or after start]\n"
          "  --replay-fill through|touch a resting user order fills when a replayed print goes\n"
          "                              through its price, or also at it [through]\n"
          "  --replay-max-events N       refuse data with more prints than N (~120 bytes of memory\n"
          "                              each) [5000000]\n"
          "  --quiet                     (accepted for compatibility; no access log is written)\n"
          "  --healthcheck [URL]         GET URL [http://127.0.0.1:8080/api/v3/ping]: exit 0 iff 200\n"
          "                              (for container health checks; starts no server)\n"
          "  --version                   version and git revision\n"
          "  --help                      this text\n", f);
}

static int parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "2", "0.5", "1.25": a decimal with up to 3 decimals, x 1000, in [lo, hi]. */
static int parse_milli(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    int64_t v = 0;
    int dec = -1, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && dec < 0) { dec = 0; continue; }
        if (*p < '0' || *p > '9' || dec >= 3 || v > hi) return -1;
        v = v * 10 + (*p - '0');
        digits++;
        if (dec >= 0) dec++;
    }
    if (!digits || dec == 0) return -1;
    for (int d = dec < 0 ? 0 : dec; d < 3; d++) v *= 10;
    if (v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int parse_listen(srv_config *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    int64_t port;
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof c->listen_host)
        return -1;
    if (parse_i64(colon + 1, 0, 65535, &port) < 0)
        return -1;
    memcpy(c->listen_host, s, (size_t)(colon - s));
    c->listen_host[colon - s] = 0;
    c->listen_port = (int)port;
    return 0;
}

/* One flag with its value; returns 0 ok, -1 bad value. */
static int config_apply(srv_config *c, const char *flag, const char *v)
{
    int64_t n;
    if (!strcmp(flag, "--listen")) return parse_listen(c, v);
    if (!strcmp(flag, "--keys")) { c->keys_file = v; return 0; }
    if (!strcmp(flag, "--symbols")) { c->symbols_file = v; return 0; }
    if (!strcmp(flag, "--tls-cert")) { c->tls_cert = v; return 0; }
    if (!strcmp(flag, "--tls-key")) { c->tls_key = v; return 0; }
    if (!strcmp(flag, "--admin-token")) { c->admin_token = *v ? v : NULL; return *v ? 0 : -1; }
    if (!strcmp(flag, "--clock-offset-ms")) {
        if (parse_i64(v, -VCLOCK_MAX_MS, VCLOCK_MAX_MS, &n) < 0) return -1;
        c->clock_offset_ms = n; return 0;
    }
    if (!strcmp(flag, "--seed")) {
        if (parse_i64(v, 0, INT64_MAX, &n) < 0) return -1;
        c->seed = (uint64_t)n; return 0;
    }
    if (!strcmp(flag, "--threads")) {
        if (parse_i64(v, 1, 16384, &n) < 0) return -1;
        c->threads = (int)n; return 0;
    }
    if (!strcmp(flag, "--keep-alive-ms")) {
        if (parse_i64(v, 10, 3600000, &n) < 0) return -1;
        c->keep_alive_ms = (int)n; return 0;
    }
    if (!strcmp(flag, "--pool-low-percent")) {
        if (parse_i64(v, 50, 100, &n) < 0) return -1;
        c->pool_low_pct = (int)n; return 0;
    }
    if (!strcmp(flag, "--keep-alive-low-ms")) {
        if (!strcmp(v, "off")) { c->keep_alive_low_ms = -1; return 0; }
        if (parse_i64(v, 0, 3600000, &n) < 0) return -1;
        c->keep_alive_low_ms = (int)n; return 0;
    }
    if (!strcmp(flag, "--max-body")) {
        if (parse_i64(v, 1024, INT64_C(1) << 30, &n) < 0) return -1;
        c->max_body = (size_t)n; return 0;
    }
    if (!strcmp(flag, "--max-params")) {
        if (parse_i64(v, 16, 1000000, &n) < 0) return -1;
        c->max_params = (size_t)n; return 0;
    }
    if (!strcmp(flag, "--profile")) {
        if (!strcmp(v, "current")) c->profile = PROFILE_CURRENT;
        else if (!strcmp(v, "2025-12")) c->profile = PROFILE_2025_12;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--rate-limits")) {
        if (!strcmp(v, "on")) c->rate_limits_on = 1;
        else if (!strcmp(v, "off")) c->rate_limits_on = 0;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--recv-window-error")) {
        if (!strcmp(v, "1131") || !strcmp(v, "-1131")) c->recv_window_error = ERR_BAD_RECV_WINDOW;
        else if (!strcmp(v, "1102") || !strcmp(v, "-1102")) c->recv_window_error = ERR_PARAM_GREATER_THAN;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--explain")) {
        if (!strcmp(v, "on")) c->explain = 1;
        else if (!strcmp(v, "off")) c->explain = 0;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--ws-ping-interval-ms") || !strcmp(flag, "--ws-pong-timeout-ms")
        || !strcmp(flag, "--ws-max-lifetime-ms")) {
        if (parse_i64(v, 1, INT64_C(1) << 40, &n) < 0) return -1;
        int64_t *f = !strcmp(flag, "--ws-ping-interval-ms") ? &c->ws.ping_interval_us
                   : !strcmp(flag, "--ws-pong-timeout-ms") ? &c->ws.pong_timeout_us : &c->ws.max_lifetime_us;
        *f = n * 1000;
        return 0;
    }
    if (!strcmp(flag, "--ws-max-messages-per-sec")) {
        if (parse_i64(v, 0, 1000000, &n) < 0) return -1;
        c->ws.max_msgs_per_sec = (int)n; return 0;
    }
    if (!strcmp(flag, "--ws-max-streams")) {
        if (parse_i64(v, 1, 1000000, &n) < 0) return -1;
        c->ws.max_streams = (int)n; return 0;
    }
    if (!strcmp(flag, "--ws-unknown-stream")) {
        if (!strcmp(v, "silent")) c->ws.unknown_stream_error = 0;
        else if (!strcmp(v, "error")) c->ws.unknown_stream_error = 1;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--ws-max-connections")) {
        if (parse_i64(v, 1, 100000, &n) < 0) return -1;
        c->ws.max_connections = (int)n; return 0;
    }
    if (!strcmp(flag, "--order-retention-ms")) {
        if (parse_i64(v, 0, INT64_C(1) << 50, &n) < 0) return -1;
        c->order_retention_ms = n; return 0;
    }
    if (!strcmp(flag, "--archive-filled")) {
        if (!strcmp(v, "on")) c->archive_filled = 1;
        else if (!strcmp(v, "off")) c->archive_filled = 0;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--replay")) { c->replay_dir = v; return *v ? 0 : -1; }
    if (!strcmp(flag, "--replay-speed")) return parse_milli(v, 1, INT64_C(1000000000), &c->replay_speed_milli);
    if (!strcmp(flag, "--replay-history-ms")) return parse_i64(v, 0, INT64_C(3153600000000), &c->replay_history_ms);
    if (!strcmp(flag, "--replay-start-ms")) return parse_i64(v, 0, INT64_C(253402300799999), &c->replay_start_ms);
    if (!strcmp(flag, "--replay-max-events")) return parse_i64(v, 1, INT64_C(1000000000), &c->replay_max_events);
    if (!strcmp(flag, "--replay-fill")) {
        if (!strcmp(v, "through")) c->replay_fill_touch = 0;
        else if (!strcmp(v, "touch")) c->replay_fill_touch = 1;
        else return -1;
        return 0;
    }
    if (!strcmp(flag, "--check-order")) {
        if (!strcmp(v, "key-first")) c->order = CHECK_KEY_FIRST;
        else if (!strcmp(v, "signature-first")) c->order = CHECK_SIGNATURE_FIRST;
        else return -1;
        return 0;
    }
    return -2;
}

int config_listen_is_loopback(const srv_config *c)
{
    const char *h = c->listen_host;
    return !strncmp(h, "127.", 4) || !strcmp(h, "localhost") || !strcmp(h, "::1");
}

/* Is FLAG one of config_apply's? Asked on a scratch copy, so the flag table
 * stays the one in config_apply. */
static int config_known(const char *flag)
{
    srv_config probe;
    config_defaults(&probe);
    return config_apply(&probe, flag, "0") != -2;
}

int config_parse(srv_config *c, int argc, char **argv, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        char flag[64];
        const char *a = argv[i], *v = NULL, *eq;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            config_usage(stdout);
            return 1;
        }
        if (!strcmp(a, "--version")) {
            printf("binance-mock %s (git %s)\n", BC_VERSION, BC_GIT_REV);
            return 1;
        }
        if (!strcmp(a, "--quiet")) { c->quiet = 1; continue; }
        if (!strcmp(a, "--ws-lenient")) { c->ws.lenient = 1; continue; }
        if (strncmp(a, "--", 2) != 0) {
            snprintf(err, errlen, "unexpected argument '%s' (see --help)", a);
            return -1;
        }
        eq = strchr(a, '=');
        size_t fl = eq ? (size_t)(eq - a) : strlen(a);
        if (fl >= sizeof flag) {
            snprintf(err, errlen, "unknown option '%.*s...' (see --help)", (int)pct_utf8_cut(a, strlen(a), 40), a);
            return -1;
        }
        memcpy(flag, a, fl);
        flag[fl] = 0;
        if (!config_known(flag)) {
            snprintf(err, errlen, "unknown option '%s' (see --help)", flag);
            return -1;
        }
        if (eq) v = eq + 1;
        else if (i + 1 < argc) v = argv[++i];
        else {
            snprintf(err, errlen, "option %s needs a value (see --help)", flag);
            return -1;
        }
        int r = config_apply(c, flag, v);
        if (r == -2) {
            snprintf(err, errlen, "unknown option '%s' (see --help)", flag);
            return -1;
        }
        if (r < 0) {
            snprintf(err, errlen, "bad value '%s' for %s (see --help)", v, flag);
            return -1;
        }
    }
    if (!c->admin_token) {                  /* the container's way to set it */
        const char *env = getenv("BINANCE_MOCK_ADMIN_TOKEN");
        if (env && *env) c->admin_token = env;
    }
    if (!c->tls_cert != !c->tls_key) {
        snprintf(err, errlen, "--tls-cert and --tls-key must be given together");
        return -1;
    }
    return 0;
}
