/* srv: the one server context. All mutable server state (config, clock,
 * key registry, rate limiters, journal, faults, exchange, WebSocket sessions)
 * hangs off struct srv; there is no other global state. This header is the
 * contract the endpoint handlers and the WebSocket layer use; the struct
 * itself is private to the server core. */
#ifndef BC_SRV_H
#define BC_SRV_H
#include <stdint.h>
#include <cjson/cJSON.h>

struct srv;
struct exchange;

typedef enum srv_profile { PROFILE_CURRENT = 0, PROFILE_2025_12 = 1 } srv_profile;

struct exchange *srv_exchange(struct srv *s);
int64_t srv_now_us(struct srv *s);             /* virtual clock: real + offset, or frozen */
int64_t srv_mono_us(struct srv *s);            /* its forward moves only (vclock_mono_us) */
srv_profile srv_get_profile(struct srv *s);
/* exchangeInfo "rateLimits" array as currently configured (new object). */
cJSON *srv_rate_limits_json(struct srv *s);
#endif
