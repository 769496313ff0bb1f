/* ws_deps: the few server-core services the WebSocket layer needs beyond
 * srv.h (key registry, rate limiter, journal, timing rule), implemented by
 * the server core in mock_server/srv_ws.c with exactly these prototypes. */
#ifndef BC_WS_DEPS_H
#define BC_WS_DEPS_H
#include <stdint.h>
#include <cjson/cJSON.h>
#include "api.h"
#include "errors.h"
#include "sig.h"
#include "timing.h"

struct srv;

/* Authenticate an API key for a request of security type sec from client_ip.
 * ERR_NONE and *key (borrowed: valid while the server runs; revoked keys stay
 * allocated), *account_id on success; ERR_BAD_API_KEY_FMT (-2014) for a
 * malformed key; ERR_REJECTED_MBX_KEY (-2015) for an unknown/revoked key, a
 * missing permission or an IP not whitelisted. */
/* Other registered keys for explain's "other-key" hypothesis (keys.h keyreg_candidates). */
size_t srv_key_candidates(struct srv *s, const sig_key *exclude, const sig_key **keys,
                          char (*labels)[96], size_t max);
err_id srv_key_auth(struct srv *s, const char *api_key, const char *client_ip, sec_type sec,
                    const sig_key **key, int *account_id);

/* Charge weight (and, when orders > 0, the account's order counters) for one
 * WS request or connection attempt. Returns ERR_NONE, ERR_TOO_MUCH_WEIGHT /
 * ERR_IP_BANNED / ERR_TOO_MANY_ORDERS_LIMIT with template arguments in a1/a2
 * (each >= 64 bytes), and *retry_after_ms (epoch ms) for 429/418. */
err_id srv_limits_charge(struct srv *s, const char *client_ip, int account_id, int weight,
                         int orders, char *a1, char *a2, int64_t *retry_after_ms)
   ;

/* The WS "rateLimits" array after the request: [{rateLimitType, interval,
 * intervalNum, limit, count}] for this IP (and account when >= 0). New array. */
cJSON *srv_limits_ws_json(struct srv *s, const char *client_ip, int account_id)
   ;

/* Append a journal entry (contract D field names; "transport":"ws"); the
 * journal takes ownership of entry. Returns the entry id, or -1. */
long srv_journal_add(struct srv *s, cJSON *entry);

/* The configured timing rule (--recv-window-error); NULL -> library default. */
const timing_rule *srv_timing_rule(struct srv *s);

/* 1 when --rate-limits off. */
int srv_rate_limits_off(struct srv *s);
#endif
