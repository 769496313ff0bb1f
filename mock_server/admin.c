/* admin: the /__admin API (contract E). JSON in, JSON out, never shaped
 * like a Binance response: success {"ok":true,...}, failure {"error":"..."}.
 * With --admin-token T it requires "Authorization: Bearer T" (constant-time
 * compare); without, only loopback clients are served. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "srv_core.h"
#include "json_guard.h"
#include "pct.h"
#include "exchange.h"
#include "admin_view.h"
#include "console.h"

#define ADMIN_MAX_BODY (4 << 20)

/* Bodies are valid UTF-8 whatever bytes a client put in a name that an error
 * message echoes (cJSON keeps them raw): stray bytes become U+FFFD. */
static void admin_send(struct mg_connection *conn, int status, cJSON *o)
{
    char *txt = o ? cJSON_PrintUnformatted(o) : NULL;
    if (txt && !pct_utf8_valid(txt, strlen(txt), NULL)) {
        buf_t b = BUF_INIT;
        char *clean = pct_utf8_scrub(&b, txt, strlen(txt)) ? NULL : buf_steal(&b);
        buf_free(&b);
        free(txt);
        txt = clean;
    }
    const char *body = txt ? txt : "{\"error\":\"out of memory\"}";
    srv_write_head(conn, txt ? status : 500, "application/json", strlen(body), NULL);
    mg_write(conn, body, strlen(body));
    free(txt);
    cJSON_Delete(o);
}

static cJSON *admin_error_json(const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (o) cJSON_AddStringToObject(o, "error", msg);
    return o;
}

static int admin_error(struct mg_connection *conn, int status, const char *msg)
{
    admin_send(conn, status, admin_error_json(msg));
    return status;
}

static int admin_ok(struct mg_connection *conn, cJSON *o)
{
    if (!o && (o = cJSON_CreateObject()) != NULL) cJSON_AddBoolToObject(o, "ok", 1);
    admin_send(conn, 200, o);
    return 200;
}

static int is_loopback(const char *ip)
{
    return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11);
}

static int admin_authorized(struct mg_connection *conn, const struct srv *s, const char *ip)
{
    if (!s->cfg.admin_token) return is_loopback(ip);
    const char *h = mg_get_header(conn, "Authorization");
    char want[512];
    int n = snprintf(want, sizeof want, "Bearer %s", s->cfg.admin_token);
    if (!h || n < 0 || (size_t)n >= sizeof want || strlen(h) != (size_t)n) return 0;
    return CRYPTO_memcmp(h, want, (size_t)n) == 0;
}

/* Read the raw body (bounded); -1 and an error answer sent when too large. */
static int admin_read_body(struct mg_connection *conn, buf_t *b, int *status)
{
    char chunk[8192];
    int n;
    while ((n = mg_read(conn, chunk, sizeof chunk)) > 0) {
        if (b->len + (size_t)n > ADMIN_MAX_BODY || buf_append(b, chunk, (size_t)n) < 0) {
            *status = admin_error(conn, 413, "body too large");
            return -1;
        }
    }
    return 0;
}

static int64_t query_i64(const char *qs, const char *name, int64_t dflt)
{
    char v[32];
    if (!qs || mg_get_var(qs, strlen(qs), name, v, sizeof v) <= 0) return dflt;
    return strtoll(v, NULL, 10);
}

static int admin_journal(struct mg_connection *conn, struct srv *s, const char *method,
                         const char *rest, const char *qs)
{
    if (!strcmp(method, "DELETE") && !*rest) { journal_clear(&s->jr); return admin_ok(conn, NULL); }
    if (strcmp(method, "GET")) return admin_error(conn, 405, "use GET or DELETE");
    if (!*rest)
        return admin_ok(conn, journal_list(&s->jr, query_i64(qs, "limit", 100), query_i64(qs, "since", 0)));
    char *end;
    long long id = strtoll(rest + 1, &end, 10);
    if (rest[0] != '/' || *end || id <= 0) return admin_error(conn, 404, "no such journal entry");
    cJSON *e = journal_get(&s->jr, id);
    if (!e) return admin_error(conn, 404, "no such journal entry");
    admin_send(conn, 200, e);
    return 200;
}

static int clock_apply(struct srv *s, const cJSON *in, char *err, size_t errlen)
{
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(in, "offset_ms");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(in, "frozen_at_ms");
    /* frozen_at_us: a server time between two milliseconds (the timing
     * vectors' sub-ms server times); wins over frozen_at_ms */
    const cJSON *at_us = cJSON_GetObjectItemCaseSensitive(in, "frozen_at_us");
    const cJSON *adv = cJSON_GetObjectItemCaseSensitive(in, "advance_ms");
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(in, "frozen");
    if ((off && !cJSON_IsNumber(off)) || (at && !cJSON_IsNumber(at)) || (adv && !cJSON_IsNumber(adv))
        || (at_us && !cJSON_IsNumber(at_us)) || (fr && !cJSON_IsBool(fr))) {
        snprintf(err, errlen, "offset_ms, frozen_at_ms, frozen_at_us, advance_ms: numbers; frozen: bool");
        return -1;
    }
    /* ranges checked on the double, before any *1000 (issue 8: a huge value
     * wrapped and banned every client until 0) */
    const double max = (double)VCLOCK_MAX_MS;
    const struct { const cJSON *v; const char *name; double lo; } rng[] = {
        { off, "offset_ms", -max }, { at, "frozen_at_ms", 0 }, { adv, "advance_ms", -max },
    };
    for (size_t i = 0; i < sizeof rng / sizeof rng[0]; i++)
        if (rng[i].v && !(rng[i].v->valuedouble >= rng[i].lo && rng[i].v->valuedouble <= max)) {
            snprintf(err, errlen, "%s must be from %.0f to %.0f (ms since the epoch; the clock stays within 1970..9999)",
                     rng[i].name, rng[i].lo, max);
            return -1;
        }
    if (at_us && !(at_us->valuedouble >= 0 && at_us->valuedouble <= max * 1000)) {
        snprintf(err, errlen, "frozen_at_us must be from 0 to %.0f (µs since the epoch)", max * 1000);
        return -1;
    }
    if (at_us) at = NULL;
    if (fr && cJSON_IsFalse(fr)) vclock_unfreeze(&s->clock);
    if (off) vclock_set_offset(&s->clock, (int64_t)off->valuedouble * 1000);
    if (at) vclock_freeze_at(&s->clock, (int64_t)at->valuedouble * 1000);
    if (at_us) vclock_freeze_at(&s->clock, (int64_t)at_us->valuedouble);
    if (fr && cJSON_IsTrue(fr) && !at && !at_us) vclock_freeze_at(&s->clock, vclock_now_us(&s->clock));
    if (adv) vclock_advance(&s->clock, (int64_t)adv->valuedouble * 1000);
    return 0;
}

int admin_apply(struct srv *s, const char *what, const char *body, size_t n, cJSON **out)
{
    *out = NULL;
    if (n && json_guard_too_deep(body, n, JSON_GUARD_MAX_DEPTH)) {
        *out = admin_error_json("body nested deeper than 127 levels");
        return 400;
    }
    cJSON *in = n ? json_guard_parse(body, n) : cJSON_CreateObject();
    if (!cJSON_IsObject(in)) {
        cJSON_Delete(in);
        *out = admin_error_json("body must be a JSON object");
        return 400;
    }
    if (!strncmp(what, "ws/", 3)) {
        int status = s->ws ? ws_hub_admin(s->ws, what + 3, in, out) : 404;
        cJSON_Delete(in);
        if (!*out) {
            *out = admin_error_json("websocket admin failed");
            return status == 200 ? 500 : status;
        }
        return status;
    }
    int rc = 0;
    char err[400] = "";
    cJSON *res = NULL;
    pthread_mutex_lock(&s->admin_mu);
    if (!strcmp(what, "clock")) {
        if ((rc = clock_apply(s, in, err, sizeof err)) == 0) res = vclock_json(&s->clock);
    } else if (!strcmp(what, "faults")) {
        if ((rc = faults_add_json(&s->flt, in, err, sizeof err)) == 0) res = faults_json(&s->flt);
    } else if (!strcmp(what, "limits")) {
        if ((rc = rl_set_limits_json(&s->rl, in, err, sizeof err)) == 0) res = rl_limits_json(&s->rl);
    } else if (!strcmp(what, "accounts")) {
        /* a balance change is a deposit at the server's time (balanceUpdate E/T) */
        if (s->ex) exchange_advance(s->ex, srv_now_us(s));
        rc = keyreg_load_json(&s->keys, in, s->ex, 1, err, sizeof err);
    } else if (!strcmp(what, "revoke")) {
        const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "apiKey"));
        if (!k || keyreg_revoke(&s->keys, k) < 0) { rc = -1; snprintf(err, sizeof err, "unknown apiKey"); }
        else if (s->ws) ws_hub_revoke_key(s->ws, k);
    } else {
        rc = -1;
        snprintf(err, sizeof err, "unknown admin endpoint");
    }
    pthread_mutex_unlock(&s->admin_mu);
    cJSON_Delete(in);
    if (rc < 0) {
        cJSON_Delete(res);
        *out = admin_error_json(err);
        return 400;
    }
    if (!res && (res = cJSON_CreateObject()) != NULL) cJSON_AddBoolToObject(res, "ok", 1);
    *out = res;
    return 200;
}

/* POST /__admin/<what> and /__admin/ws/<action>: read the body, apply, answer. */
static int admin_post_json(struct mg_connection *conn, struct srv *s, const char *what)
{
    int status = 0;
    buf_t b = BUF_INIT;
    if (admin_read_body(conn, &b, &status) < 0) { buf_free(&b); return status; }
    cJSON *out = NULL;
    status = admin_apply(s, what, b.data ? b.data : "", b.len, &out);
    buf_free(&b);
    admin_send(conn, status, out);
    return status;
}

static int admin_market(struct mg_connection *conn, struct srv *s, const char *qs)
{
    char sym[64] = "", err[128] = "";
    if (qs && mg_get_var(qs, strlen(qs), "symbol", sym, sizeof sym) == -2)
        return admin_error(conn, 400, "symbol too long");
    cJSON *o = admin_view_market(s, sym, err, sizeof err);
    return o ? admin_ok(conn, o) : admin_error(conn, 404, err);
}

static int admin_route(struct mg_connection *conn, struct srv *s, const char *m, const char *p,
                       const char *qs)
{
    int get = !strcmp(m, "GET"), post = !strcmp(m, "POST"), del = !strcmp(m, "DELETE");
    if (!strncmp(p, "/__admin/journal", 16)) return admin_journal(conn, s, m, p + 16, qs);
    if (!strncmp(p, "/__admin/ws/", 12)) return admin_post_json(conn, s, p + 9);
    if (!strcmp(p, "/__admin/clock")) {
        if (get) return admin_ok(conn, vclock_json(&s->clock));
        if (post) return admin_post_json(conn, s, "clock");
    } else if (!strcmp(p, "/__admin/faults")) {
        if (get) return admin_ok(conn, faults_json(&s->flt));
        if (post) return admin_post_json(conn, s, "faults");
        if (del) { faults_clear(&s->flt); return admin_ok(conn, NULL); }
    } else if (!strcmp(p, "/__admin/limits")) {
        if (get) return admin_ok(conn, rl_limits_json(&s->rl));
        if (post) return admin_post_json(conn, s, "limits");
    } else if (!strcmp(p, "/__admin/reset")) {
        if (post) {
            /* optional {"frozen_at_ms":N}: the market starts at that instant,
             * the clock frozen there (a reproducible market: docs/market.md);
             * or {"frozen_ahead_ms":N}: the same, N ms after the reset clock's
             * now (a case that freezes "now+N" without a market step falling
             * inside it: the simulator steps a whole second after its start) */
            int status = 0;
            buf_t b = BUF_INIT;
            if (admin_read_body(conn, &b, &status) < 0) { buf_free(&b); return status; }
            int64_t at_us = -1, ahead_us = -1;
            if (b.len) {
                cJSON *in = json_guard_parse(b.data, b.len);
                const cJSON *at = cJSON_GetObjectItemCaseSensitive(in, "frozen_at_ms");
                const cJSON *ah = cJSON_GetObjectItemCaseSensitive(in, "frozen_ahead_ms");
                const char *bad = !cJSON_IsObject(in) ? "the body must be a JSON object"
                    : at && ah ? "give frozen_at_ms or frozen_ahead_ms, not both"
                    : at && (!cJSON_IsNumber(at) || at->valuedouble < 0 || at->valuedouble > 253402300799999.0)
                        ? "frozen_at_ms must be from 0 to 253402300799999"
                    : ah && (!cJSON_IsNumber(ah) || ah->valuedouble < 0 || ah->valuedouble > 86400000.0)
                        ? "frozen_ahead_ms must be from 0 to 86400000" : NULL;
                if (!bad && at) at_us = (int64_t)at->valuedouble * 1000;
                if (!bad && ah) ahead_us = (int64_t)ah->valuedouble * 1000;
                cJSON_Delete(in);
                if (bad) { buf_free(&b); return admin_error(conn, 400, bad); }
            }
            buf_free(&b);
            int closed = 0, open = srv_reset_at(s, at_us, ahead_us, &closed);
            cJSON *o = cJSON_CreateObject();
            if (o) {
                cJSON_AddBoolToObject(o, "ok", 1);
                cJSON_AddNumberToObject(o, "wsClosed", closed);
                cJSON_AddNumberToObject(o, "wsOpen", open);
            }
            return admin_ok(conn, o);
        }
    } else if (!strcmp(p, "/__admin/accounts")) {
        if (get) return admin_ok(conn, admin_view_accounts(s));
        if (post) return admin_post_json(conn, s, "accounts");
    } else if (!strcmp(p, "/__admin/market")) {
        if (get) return admin_market(conn, s, qs);
    } else if (!strcmp(p, "/__admin/sor")) {
        if (get) return admin_ok(conn, admin_view_sor(s));
    } else if (!strcmp(p, "/__admin/pool")) {
        if (get) return admin_ok(conn, pool_json(&s->pool));
    } else if (!strcmp(p, "/__admin/keys/revoke")) {
        if (post) return admin_post_json(conn, s, "revoke");
    } else {
        return admin_error(conn, 404, "unknown admin endpoint");
    }
    return admin_error(conn, 405, "method not allowed on this admin endpoint");
}

int admin_handle(struct mg_connection *conn, struct srv *s)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *p = ri->local_uri_raw ? ri->local_uri_raw : ri->local_uri;
    /* The console's files hold no data: served to whoever may reach the
     * admin API without a token (loopback), and to anyone when a token is
     * set (every data call the page makes then needs the token). */
    if (console_is_path(p)) {
        if (!s->cfg.admin_token && !is_loopback(ri->remote_addr))
            return admin_error(conn, 403, "admin API is served to loopback clients only");
        return console_serve(conn, ri->request_method, p);
    }
    if (!admin_authorized(conn, s, ri->remote_addr))
        return admin_error(conn, s->cfg.admin_token ? 401 : 403,
                           s->cfg.admin_token ? "admin API needs 'Authorization: Bearer <token>'"
                                              : "admin API is served to loopback clients only");
    return admin_route(conn, s, ri->request_method, p, ri->query_string);
}
