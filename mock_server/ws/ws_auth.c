/* ws_auth.c: WebSocket API request security, in REST's order (fact sheet §7,
 * contract C): API key (-2014/-2015) -> mandatory signature/timestamp
 * (-1102) -> signature over the WS canonical payload with the key's
 * algorithm (-1022; a signature over percent-encoded values is diagnosed as
 * "ws-percent-encoded" and accepted only with --ws-lenient) -> timing
 * (-1021/-1131) -> unread parameters (-1104). Logged-on sessions skip the key
 * and signature but still need timestamp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "payload.h"
#include "pct.h"
#include "ws_auth.h"
#include "ws_deps.h"

static const timing_rule *ws_rule(struct srv *s, timing_rule *tmp)
{
    const timing_rule *r = srv_timing_rule(s);
    if (r) return r;
    timing_rule_default(tmp);
    return tmp;
}

static err_id ws_key(ws_auth *a, struct srv *s, const char *key, const char *ip, sec_type sec)
{
    const sig_key *k = NULL;
    int acct = -1;
    err_id e = srv_key_auth(s, key, ip, sec, &k, &acct);
    if (e != ERR_NONE) return e;
    if (!k) return ERR_REJECTED_MBX_KEY;
    a->key = k;
    a->account_id = acct;
    snprintf(a->api_key, sizeof a->api_key, "%s", key);
    return ERR_NONE;
}

/* The payload a client produces when it percent-encodes names and values. */
static int ws_payload_pct(buf_t *out, const params_t *p)
{
    params_t q;
    params_init(&q);
    buf_t n = BUF_INIT, v = BUF_INIT;
    int r = 0;
    for (size_t i = 0; i < p->n && !r; i++) {
        buf_reset(&n);
        buf_reset(&v);
        if (pct_encode(&n, p->v[i].name, p->v[i].name_len) || pct_encode(&v, p->v[i].value, p->v[i].value_len)
            || params_add(&q, buf_cstr(&n), buf_cstr(&v), PARAM_JSON))
            r = -1;
    }
    if (!r) r = payload_ws(out, &q);
    buf_free(&n);
    buf_free(&v);
    params_free(&q);
    return r;
}

static err_id ws_verify(ws_auth *a, const params_t *p, int lenient)
{
    const char *sig = params_value(p, "signature");
    buf_reset(&a->payload);
    if (payload_ws(&a->payload, p)) return ERR_UNKNOWN;
    if (sig_verify(a->key, a->payload.data, a->payload.len, sig, strlen(sig))) {
        a->verdict = "valid";
        return ERR_NONE;
    }
    a->verdict = "invalid";
    buf_t alt = BUF_INIT;
    int pct_ok = !ws_payload_pct(&alt, p) && alt.len != a->payload.len
                 && sig_verify(a->key, alt.data, alt.len, sig, strlen(sig));
    buf_free(&alt);
    if (pct_ok) {
        a->mistake = "ws-percent-encoded";
        if (lenient) {
            a->verdict = "lenient";
            return ERR_NONE;
        }
    }
    return ERR_INVALID_SIGNATURE;
}

static err_id ws_timing(ws_auth *a, struct srv *s, const params_t *p, int64_t now_us)
{
    timing_rule tmp;
    const timing_rule *r = ws_rule(s, &tmp);
    const char *bad = NULL;
    err_id e = timing_parse(r, params_value(p, "timestamp"), params_value(p, "recvWindow"),
                            &a->timing, &bad);
    if (e != ERR_NONE) {
        snprintf(a->a1, sizeof a->a1, "%s", bad ? bad : "timestamp");
        return e;
    }
    a->has_timing = 1;
    return timing_check(r, &a->timing, now_us);
}

static err_id ws_named(ws_auth *a, const char *name)
{
    snprintf(a->a1, sizeof a->a1, "%s", name);
    return ERR_MANDATORY_PARAM_NAMED;
}

void ws_auth_init(ws_auth *a)
{
    memset(a, 0, sizeof *a);
    a->account_id = -1;
    buf_init(&a->payload);
}

void ws_auth_free(ws_auth *a) { buf_free(&a->payload); }

err_id ws_auth_check(ws_auth *a, const ws_auth_in *in, const params_t *p)
{
    const char *key = params_value(p, "apiKey"), *sig = params_value(p, "signature");
    err_id e;
    if (!key && !sig && in->session_key && in->session_key[0]) {
        if (in->session_revoked) return WS_AUTH_REVOKED;
        if ((e = ws_key(a, in->srv, in->session_key, in->ip, in->sec)) != ERR_NONE) return e;
        a->via_session = 1;
        if (!params_value(p, "timestamp")) return ws_named(a, "timestamp");
        return ws_timing(a, in->srv, p, in->now_us);
    }
    if (!key) return ws_named(a, "apiKey");
    if ((e = ws_key(a, in->srv, key, in->ip, in->sec)) != ERR_NONE) return e;
    if (!in->need_signature) return ERR_NONE;
    if (!sig) return ws_named(a, "signature");
    if (!params_value(p, "timestamp")) return ws_named(a, "timestamp");
    if ((e = ws_verify(a, p, in->lenient)) != ERR_NONE) return e;
    return ws_timing(a, in->srv, p, in->now_us);
}

/* ---- unread parameters ---- */

static int ws_csv_has(const char *csv, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = csv; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        while (len && *p == ' ') { p++; len--; }
        if (len == nl && !memcmp(p, name, nl)) return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

err_id ws_auth_unread(ws_auth *a, const params_t *p, const char *allowed_csv)
{
    static const char ws_level[] = "apiKey,signature,timestamp,recvWindow,returnRateLimits";
    size_t sent = 0, read = 0;
    for (size_t i = 0; i < p->n; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(p->v[j].name, p->v[i].name)) { first = 0; break; }
        if (!first) continue;
        sent++;
        if (ws_csv_has(ws_level, p->v[i].name) || ws_csv_has(allowed_csv, p->v[i].name)) read++;
    }
    if (read == sent) return ERR_NONE;
    snprintf(a->a1, sizeof a->a1, "%zu", read);
    snprintf(a->a2, sizeof a->a2, "%zu", sent);
    return ERR_UNREAD_PARAMETERS_N;
}
