/* ratelimit: fixed-window counters per IP and per account, one mutex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ratelimit.h"

#define RL_MAX_IPS 4096
#define MIN_MS 60000
#define BAN_MIN_MS (2 * MIN_MS)
#define BAN_MAX_MS (3 * 24 * 60 * MIN_MS)

void rl_limits_default(rl_limits *l)
{
    l->weight_per_minute = 6000;
    l->raw_per_5m = 300000;
    l->orders_per_10s = 100;
    l->orders_per_day = 200000;
    l->ban_after_429s = 2;
}

void rl_init(ratelimit *r, int enforce)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    r->enforce = enforce;
    rl_limits_default(&r->lim);
    r->start = r->lim;
}

void rl_destroy(ratelimit *r)
{
    free(r->ips);
    free(r->accts);
    pthread_mutex_destroy(&r->mu);
}

/* The IP's slot (created on demand; the least recently seen is recycled). */
static rl_ip *ip_slot(ratelimit *r, const char *ip, int64_t now_ms)
{
    size_t oldest = 0;
    for (size_t i = 0; i < r->nips; i++) {
        if (!strcmp(r->ips[i].ip, ip)) return &r->ips[i];
        if (r->ips[i].last_ms < r->ips[oldest].last_ms) oldest = i;
    }
    rl_ip *s;
    if (r->nips < r->capips) s = &r->ips[r->nips++];
    else if (r->capips < RL_MAX_IPS) {
        size_t nc = r->capips ? r->capips * 2 : 16;
        rl_ip *n = realloc(r->ips, nc * sizeof *n);
        if (!n) { if (!r->nips) return NULL; s = &r->ips[oldest]; goto init; }
        r->ips = n;
        r->capips = nc;
        s = &r->ips[r->nips++];
    } else s = &r->ips[oldest];
init:
    memset(s, 0, sizeof *s);
    snprintf(s->ip, sizeof s->ip, "%s", ip);
    s->last_ms = now_ms;
    return s;
}

static void ip_roll(rl_ip *s, int64_t now_ms)
{
    int64_t w = now_ms / MIN_MS, r5 = now_ms / (5 * MIN_MS);
    if (s->w_window != w) { s->w_window = w; s->w_used = 0; }
    if (s->r_window != r5) { s->r_window = r5; s->r_used = 0; }
    if (s->n429_window != w) { s->n429_window = w; s->n429 = 0; }
    s->last_ms = now_ms;
}

static int64_t ceil_s(int64_t ms) { return ms <= 0 ? 1 : (ms + 999) / 1000; }

static void ban(rl_ip *s, int64_t now_ms)
{
    s->ban_ms = s->ban_ms ? s->ban_ms * 2 : BAN_MIN_MS;
    if (s->ban_ms > BAN_MAX_MS) s->ban_ms = BAN_MAX_MS;
    s->banned_until_ms = now_ms + s->ban_ms;
}

static void verdict_banned(const rl_ip *s, int64_t now_ms, rl_verdict *v)
{
    v->err = ERR_IP_BANNED;
    snprintf(v->a1, sizeof v->a1, "%lld", (long long)s->banned_until_ms);
    v->retry_after_s = ceil_s(s->banned_until_ms - now_ms);
}

void rl_check_ip(ratelimit *r, const char *ip, int64_t weight, int64_t now_ms, rl_verdict *v)
{
    memset(v, 0, sizeof *v);
    pthread_mutex_lock(&r->mu);
    rl_ip *s = r->enforce ? ip_slot(r, ip, now_ms) : NULL;
    if (!s) goto out;
    ip_roll(s, now_ms);
    if (s->banned_until_ms > now_ms) { verdict_banned(s, now_ms, v); goto out; }
    int over_w = s->w_used + weight > r->lim.weight_per_minute;
    int over_r = s->r_used + 1 > r->lim.raw_per_5m;
    if (!over_w && !over_r) goto out;
    if (s->n429 >= r->lim.ban_after_429s) {          /* kept going after 429s */
        ban(s, now_ms);
        verdict_banned(s, now_ms, v);
        goto out;
    }
    s->n429++;
    if (over_w) {
        v->err = ERR_TOO_MUCH_WEIGHT;
        snprintf(v->a1, sizeof v->a1, "%lld", (long long)r->lim.weight_per_minute);
        snprintf(v->a2, sizeof v->a2, "1 MINUTE");
        v->retry_after_s = ceil_s(MIN_MS - now_ms % MIN_MS);
    } else {
        v->err = ERR_TOO_MANY_REQUESTS;
        v->retry_after_s = ceil_s(5 * MIN_MS - now_ms % (5 * MIN_MS));
    }
out:
    pthread_mutex_unlock(&r->mu);
}

static rl_acct *acct_slot(ratelimit *r, int id)
{
    for (size_t i = 0; i < r->naccts; i++)
        if (r->accts[i].id == id) return &r->accts[i];
    if (r->naccts == r->capaccts) {
        size_t nc = r->capaccts ? r->capaccts * 2 : 16;
        rl_acct *n = realloc(r->accts, nc * sizeof *n);
        if (!n) return NULL;
        r->accts = n;
        r->capaccts = nc;
    }
    rl_acct *a = &r->accts[r->naccts++];
    memset(a, 0, sizeof *a);
    a->id = id;
    return a;
}

static void acct_roll(rl_acct *a, int64_t now_ms)
{
    int64_t s = now_ms / 10000, d = now_ms / (24 * 60 * MIN_MS);
    if (a->s_window != s) { a->s_window = s; a->s_count = 0; }
    if (a->d_window != d) { a->d_window = d; a->d_count = 0; }
}

void rl_check_orders(ratelimit *r, int account_id, int64_t now_ms, rl_verdict *v)
{
    memset(v, 0, sizeof *v);
    if (account_id < 0) return;
    pthread_mutex_lock(&r->mu);
    rl_acct *a = r->enforce ? acct_slot(r, account_id) : NULL;
    if (a) {
        acct_roll(a, now_ms);
        if (a->s_count >= r->lim.orders_per_10s) {
            v->err = ERR_TOO_MANY_ORDERS_LIMIT;
            snprintf(v->a1, sizeof v->a1, "%lld", (long long)r->lim.orders_per_10s);
            snprintf(v->a2, sizeof v->a2, "10 SECOND");
            v->retry_after_s = ceil_s(10000 - now_ms % 10000);
        } else if (a->d_count >= r->lim.orders_per_day) {
            v->err = ERR_TOO_MANY_ORDERS_LIMIT;
            snprintf(v->a1, sizeof v->a1, "%lld", (long long)r->lim.orders_per_day);
            snprintf(v->a2, sizeof v->a2, "1 DAY");
            v->retry_after_s = ceil_s(24 * 60 * MIN_MS - now_ms % (24 * 60 * MIN_MS));
        }
    }
    pthread_mutex_unlock(&r->mu);
}

int64_t rl_charge(ratelimit *r, const char *ip, int64_t weight, int64_t now_ms)
{
    int64_t used = weight;
    pthread_mutex_lock(&r->mu);
    rl_ip *s = ip_slot(r, ip, now_ms);
    if (s) {
        ip_roll(s, now_ms);
        s->w_used += weight;
        s->r_used++;
        used = s->w_used;
    }
    pthread_mutex_unlock(&r->mu);
    return used;
}

int64_t rl_used(ratelimit *r, const char *ip, int64_t now_ms)
{
    int64_t used = 0;
    pthread_mutex_lock(&r->mu);
    rl_ip *s = ip_slot(r, ip, now_ms);
    if (s) { ip_roll(s, now_ms); used = s->w_used; }
    pthread_mutex_unlock(&r->mu);
    return used;
}

void rl_count_order(ratelimit *r, int account_id, int64_t now_ms, int64_t *c10s, int64_t *c1d)
{
    *c10s = *c1d = 1;
    pthread_mutex_lock(&r->mu);
    rl_acct *a = acct_slot(r, account_id);
    if (a) {
        acct_roll(a, now_ms);
        *c10s = ++a->s_count;
        *c1d = ++a->d_count;
    }
    pthread_mutex_unlock(&r->mu);
}

void rl_orders_used(ratelimit *r, int account_id, int64_t now_ms, int64_t *c10s, int64_t *c1d)
{
    *c10s = *c1d = 0;
    pthread_mutex_lock(&r->mu);
    rl_acct *a = acct_slot(r, account_id);
    if (a) {
        acct_roll(a, now_ms);
        *c10s = a->s_count;
        *c1d = a->d_count;
    }
    pthread_mutex_unlock(&r->mu);
}

void rl_get_limits(ratelimit *r, rl_limits *out)
{
    pthread_mutex_lock(&r->mu);
    *out = r->lim;
    pthread_mutex_unlock(&r->mu);
}

void rl_reset(ratelimit *r)
{
    pthread_mutex_lock(&r->mu);
    r->nips = 0;
    r->naccts = 0;
    r->lim = r->start;
    pthread_mutex_unlock(&r->mu);
}

static int set_field(const cJSON *in, const char *name, int64_t *dst, char *err, size_t errlen)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(in, name);
    if (!j) return 0;
    if (!cJSON_IsNumber(j) || j->valuedouble < 0 || j->valuedouble > 1e15) {
        snprintf(err, errlen, "\"%s\" must be a non-negative number", name);
        return -1;
    }
    *dst = (int64_t)j->valuedouble;
    return 1;
}

int rl_set_limits_json(ratelimit *r, const cJSON *in, char *err, size_t errlen)
{
    rl_limits l;
    pthread_mutex_lock(&r->mu);
    l = r->lim;
    pthread_mutex_unlock(&r->mu);
    if (set_field(in, "weightPerMinute", &l.weight_per_minute, err, errlen) < 0
        || set_field(in, "rawRequestsPer5m", &l.raw_per_5m, err, errlen) < 0
        || set_field(in, "ordersPer10s", &l.orders_per_10s, err, errlen) < 0
        || set_field(in, "ordersPerDay", &l.orders_per_day, err, errlen) < 0
        || set_field(in, "banAfter429s", &l.ban_after_429s, err, errlen) < 0)
        return -1;
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(in, "enforce");
    pthread_mutex_lock(&r->mu);
    r->lim = l;
    if (cJSON_IsBool(en)) r->enforce = cJSON_IsTrue(en);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

cJSON *rl_limits_json(ratelimit *r)
{
    pthread_mutex_lock(&r->mu);
    rl_limits l = r->lim;
    int en = r->enforce;
    pthread_mutex_unlock(&r->mu);
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "weightPerMinute", (double)l.weight_per_minute);
    cJSON_AddNumberToObject(o, "rawRequestsPer5m", (double)l.raw_per_5m);
    cJSON_AddNumberToObject(o, "ordersPer10s", (double)l.orders_per_10s);
    cJSON_AddNumberToObject(o, "ordersPerDay", (double)l.orders_per_day);
    cJSON_AddNumberToObject(o, "banAfter429s", (double)l.ban_after_429s);
    cJSON_AddBoolToObject(o, "enforce", en);
    return o;
}

void rl_limit_json_add(cJSON *a, const char *type, const char *interval, int num, int64_t limit, int64_t count)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return;
    cJSON_AddStringToObject(o, "rateLimitType", type);
    cJSON_AddStringToObject(o, "interval", interval);
    cJSON_AddNumberToObject(o, "intervalNum", num);
    cJSON_AddNumberToObject(o, "limit", (double)limit);
    if (count >= 0) cJSON_AddNumberToObject(o, "count", (double)count);
    cJSON_AddItemToArray(a, o);
}

cJSON *rl_exchange_json(ratelimit *r)
{
    pthread_mutex_lock(&r->mu);
    rl_limits l = r->lim;
    pthread_mutex_unlock(&r->mu);
    cJSON *a = cJSON_CreateArray();
    if (!a) return NULL;
    rl_limit_json_add(a, "REQUEST_WEIGHT", "MINUTE", 1, l.weight_per_minute, -1);
    rl_limit_json_add(a, "ORDERS", "SECOND", 10, l.orders_per_10s, -1);
    rl_limit_json_add(a, "ORDERS", "DAY", 1, l.orders_per_day, -1);
    rl_limit_json_add(a, "RAW_REQUESTS", "MINUTE", 5, l.raw_per_5m, -1);
    return a;
}
