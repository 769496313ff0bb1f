/* config: binance-mock's command line (DESIGN.md flags plus --threads and the
 * configurable rule choices) parsed into one immutable struct. */
#ifndef BC_CONFIG_H
#define BC_CONFIG_H
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include "errors.h"
#include "srv.h"
#include "ws/ws.h"

typedef enum check_order { CHECK_KEY_FIRST = 0, CHECK_SIGNATURE_FIRST = 1 } check_order;

typedef struct srv_config {
    char listen_host[128];
    int listen_port;
    const char *keys_file;          /* default BC_VECTORS_DIR "/keys/registry.json" */
    const char *symbols_file;       /* NULL = exchange built-in default */
    int64_t clock_offset_ms;
    const char *tls_cert, *tls_key;
    srv_profile profile;
    uint64_t seed;
    int rate_limits_on;
    const char *admin_token;        /* NULL: admin from loopback only */
    int threads;
    err_id recv_window_error;       /* ERR_BAD_RECV_WINDOW (-1131) or ERR_PARAM_GREATER_THAN (-1102) */
    check_order order;              /* API key before or after the mandatory-param check */
    size_t max_body;                /* bytes; larger bodies -> 413 */
    size_t max_params;              /* pairs; more -> -1101 */
    int keep_alive_ms;              /* idle keep-alive connection released after this */
    int pool_low_pct;               /* the pool is low at this % of --threads busy [75] */
    int keep_alive_low_ms;          /* pool low: idle keep-alive reaped after this; -1 = never [0] */
    int explain;                    /* run lib/explain on -1022 (journal + X-Mock-Explain) */
    ws_opts ws;                     /* WebSocket: ping/pong, lifetime, connections, --ws-lenient */
    int quiet;                      /* no access log on stderr */
    int64_t order_retention_ms;     /* closed orders archived (-2026) this long after closing; 0 = never */
    int archive_filled;             /* archive orders with fills too (Binance keeps them) */
    const char *replay_dir;         /* --replay DIR: Binance's market-data files (docs/replay.md) */
    int64_t replay_speed_milli;     /* --replay-speed x 1000 [1000] */
    int64_t replay_history_ms;      /* --replay-history-ms [0] */
    int64_t replay_start_ms;        /* --replay-start-ms [0 = next whole minute] */
    int replay_fill_touch;          /* --replay-fill through|touch [through] */
    int64_t replay_max_events;      /* --replay-max-events [5000000] */
} srv_config;

void config_defaults(srv_config *c);
/* 0 ok, 1 --help printed, -1 error (message in err). argv is kept by reference. */
int config_parse(srv_config *c, int argc, char **argv, char *err, size_t errlen);
void config_usage(FILE *f);
/* 1 if --listen names a loopback address (127.x, localhost, ::1). */
int config_listen_is_loopback(const srv_config *c);
#endif
