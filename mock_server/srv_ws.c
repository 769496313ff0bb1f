/* srv_ws: the server-core services the WebSocket layer uses (ws/ws_deps.h):
 * key authentication, rate-limit charging and counts, the journal and the
 * timing rule, all backed by the same server context as REST. */
#include <stdio.h>
#include <string.h>
#include "srv_core.h"
#include "ws_deps.h"

size_t srv_key_candidates(struct srv *s, const sig_key *exclude, const sig_key **keys,
                          char (*labels)[96], size_t max)
{
    return keyreg_candidates(&s->keys, exclude, keys, labels, max);
}

err_id srv_key_auth(struct srv *s, const char *api_key, const char *client_ip, sec_type sec,
                    const sig_key **key, int *account_id)
{
    if (!api_key || !key_format_ok(api_key)) return ERR_BAD_API_KEY_FMT;
    const key_entry *k = keyreg_find(&s->keys, api_key);
    if (!k && !key_shape_ok(api_key)) return ERR_BAD_API_KEY_FMT;
    if (!k || (sec != SEC_NONE && !(k->perms & (1u << sec))) || !key_ip_allowed(k, client_ip))
        return ERR_REJECTED_MBX_KEY;
    if (key) *key = k->key;
    if (account_id) *account_id = k->account_id;
    return ERR_NONE;
}

err_id srv_limits_charge(struct srv *s, const char *client_ip, int account_id, int weight,
                         int orders, char *a1, char *a2, int64_t *retry_after_ms)
{
    int64_t now_ms = vclock_now_us(&s->clock) / 1000;
    rl_verdict v;
    rl_check_ip(&s->rl, client_ip, weight, now_ms, &v);
    if (v.err == ERR_NONE && orders > 0 && account_id >= 0)
        rl_check_orders(&s->rl, account_id, now_ms, &v);
    if (v.err != ERR_NONE) {
        snprintf(a1, 64, "%s", v.a1);
        snprintf(a2, 64, "%s", v.a2);
        if (retry_after_ms) *retry_after_ms = now_ms + v.retry_after_s * 1000;
        return v.err;
    }
    rl_charge(&s->rl, client_ip, weight, now_ms);
    for (int i = 0; i < orders && account_id >= 0; i++) {
        int64_t c10, c1d;
        rl_count_order(&s->rl, account_id, now_ms, &c10, &c1d);
    }
    return ERR_NONE;
}

cJSON *srv_limits_ws_json(struct srv *s, const char *client_ip, int account_id)
{
    int64_t now_ms = vclock_now_us(&s->clock) / 1000;
    rl_limits l;
    rl_get_limits(&s->rl, &l);
    cJSON *a = cJSON_CreateArray();
    if (!a) return NULL;
    rl_limit_json_add(a, "REQUEST_WEIGHT", "MINUTE", 1, l.weight_per_minute, rl_used(&s->rl, client_ip, now_ms));
    if (account_id >= 0) {
        int64_t c10, c1d;
        rl_orders_used(&s->rl, account_id, now_ms, &c10, &c1d);
        rl_limit_json_add(a, "ORDERS", "SECOND", 10, l.orders_per_10s, c10);
        rl_limit_json_add(a, "ORDERS", "DAY", 1, l.orders_per_day, c1d);
    }
    return a;
}

long srv_journal_add(struct srv *s, cJSON *entry)
{
    if (!entry) return -1;
    return (long)journal_add(&s->jr, entry, vclock_now_us(&s->clock) / 1000);
}

const timing_rule *srv_timing_rule(struct srv *s) { return &s->timing; }

int srv_rate_limits_off(struct srv *s) { return !s->rl.enforce; }
