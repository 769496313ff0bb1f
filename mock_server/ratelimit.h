/* ratelimit: Binance's limits (fact sheet §6) on the virtual clock. Per IP:
 * REQUEST_WEIGHT per minute, RAW_REQUESTS per 5 minutes, 429 then 418 bans
 * (2 minutes doubling up to 3 days). Per account: ORDERS per 10 s and per
 * day. Fixed windows aligned like Binance's (minute, 10 s, day). With
 * enforcement off the counters still run, so headers stay truthful. */
#ifndef BC_RATELIMIT_H
#define BC_RATELIMIT_H
#include <pthread.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "errors.h"

typedef struct rl_limits {
    int64_t weight_per_minute;    /* 6000 */
    int64_t raw_per_5m;           /* 300000 */
    int64_t orders_per_10s;       /* 100 */
    int64_t orders_per_day;       /* 200000 */
    int64_t ban_after_429s;       /* 429s tolerated in one window before a 418 ban: 2 */
} rl_limits;

typedef struct rl_ip {
    char ip[48];
    int64_t w_window, w_used;     /* minute index, weight used in it */
    int64_t r_window, r_used;     /* 5-minute index, raw requests */
    int64_t n429, n429_window;    /* 429s answered in the current minute */
    int64_t banned_until_ms;
    int64_t ban_ms;               /* length of the last ban */
    int64_t last_ms;
} rl_ip;

typedef struct rl_acct {
    int id;
    int64_t s_window, s_count;    /* 10 s window */
    int64_t d_window, d_count;    /* day window */
} rl_acct;

typedef struct ratelimit {
    pthread_mutex_t mu;
    int enforce;
    rl_limits lim, start;
    rl_ip *ips; size_t nips, capips;
    rl_acct *accts; size_t naccts, capaccts;
} ratelimit;

/* Verdict of a pre-check. */
typedef struct rl_verdict {
    err_id err;                   /* ERR_NONE, ERR_IP_BANNED, ERR_TOO_MUCH_WEIGHT, ERR_TOO_MANY_REQUESTS, ERR_TOO_MANY_ORDERS_LIMIT */
    char a1[64], a2[64];
    int64_t retry_after_s;
} rl_verdict;

void rl_init(ratelimit *r, int enforce);
void rl_destroy(ratelimit *r);
void rl_limits_default(rl_limits *l);
/* Before the request: ban / weight / raw checks for ip. */
void rl_check_ip(ratelimit *r, const char *ip, int64_t weight, int64_t now_ms, rl_verdict *v);
/* Before an order-placing request: order count check for the account. */
void rl_check_orders(ratelimit *r, int account_id, int64_t now_ms, rl_verdict *v);
/* Charge weight (and one raw request); returns weight used in the current minute. */
int64_t rl_charge(ratelimit *r, const char *ip, int64_t weight, int64_t now_ms);
/* Weight used in the current minute without charging. */
int64_t rl_used(ratelimit *r, const char *ip, int64_t now_ms);
/* Count one placed order; returns the 10 s and day counts. */
void rl_count_order(ratelimit *r, int account_id, int64_t now_ms, int64_t *c10s, int64_t *c1d);
/* Current order counts (no increment). */
void rl_orders_used(ratelimit *r, int account_id, int64_t now_ms, int64_t *c10s, int64_t *c1d);
void rl_get_limits(ratelimit *r, rl_limits *out);
void rl_reset(ratelimit *r);                  /* counters, bans, limits back to start */
int rl_set_limits_json(ratelimit *r, const cJSON *in, char *err, size_t errlen);
cJSON *rl_limits_json(ratelimit *r);          /* admin view */
cJSON *rl_exchange_json(ratelimit *r);        /* exchangeInfo rateLimits */
/* Append one rateLimits[] item {rateLimitType, interval, intervalNum, limit[, count]}
 * (count < 0: omitted, as in exchangeInfo; WS API responses carry it). */
void rl_limit_json_add(cJSON *a, const char *type, const char *interval, int num, int64_t limit, int64_t count);
#endif
