/* ws_api.c: the WebSocket API (/ws-api/v3) - one text frame in, one frame
 * out. Parses {id, method, params}, runs ws_auth, then either a route of the
 * endpoint registry (the same handler REST calls: one implementation, two
 * transports) or a WS-only method (ws_session.c), and renders
 * {id, status, result|error, rateLimits}. Also journals each request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "endpoints.h"
#include "explain.h"
#include "srv.h"
#include "ws_api.h"
#include "ws_deps.h"
#include "ws_frame.h"

/* ---- rateLimits ---- */

static cJSON *ws_rate_limits(ws_call *k)
{
    struct srv *s = k->c->hub->srv;
    if (!k->return_rate_limits) return NULL;
    return srv_limits_ws_json(s, k->c->ip, k->auth.account_id);
}

err_id ws_call_charge(ws_call *k, int weight, int orders)
{
    struct srv *s = k->c->hub->srv;
    k->weight += weight;
    if (weight <= 0 && orders <= 0) return ERR_NONE;
    int64_t retry = 0;
    err_id e = srv_limits_charge(s, k->c->ip, k->auth.account_id, weight, orders, k->a1, k->a2, &retry);
    if (e != ERR_NONE && retry) {
        k->err_data = cJSON_CreateObject();
        if (k->err_data) {
            cJSON_AddNumberToObject(k->err_data, "serverTime", (double)(k->now_us / 1000));
            cJSON_AddNumberToObject(k->err_data, "retryAfter", (double)retry);
        }
    }
    return e;
}

/* ---- journal ---- */

/* The explain record of a failed (or leniently accepted) signature. */
static cJSON *ws_explain(ws_call *k)
{
    const char *v = k->auth.verdict;
    if (!k->auth.key || !v || !strcmp(v, "valid")) return NULL;
    explain_result er;
    explain_candidate cands[EXPLAIN_MAX_CANDIDATES];
    const sig_key *keys[EXPLAIN_MAX_CANDIDATES];
    char labels[EXPLAIN_MAX_CANDIDATES][96];
    size_t n = srv_key_candidates(k->c->hub->srv, k->auth.key, keys, labels, EXPLAIN_MAX_CANDIDATES);
    for (size_t i = 0; i < n; i++)
        cands[i] = (explain_candidate){labels[i], keys[i]};
    explain_init(&er);
    explain_set_candidates(&er, cands, n);
    cJSON *x = NULL;
    if (explain_ws(&er, k->auth.key, &k->params) == 0) x = explain_render_json(&er);
    explain_free(&er);
    if (x && k->auth.mistake && !cJSON_GetObjectItemCaseSensitive(x, "diagnosis"))
        cJSON_AddStringToObject(x, "diagnosis", k->auth.mistake);
    return x;
}

static void ws_journal(ws_call *k, const char *text, size_t n, int status, err_id e)
{
    struct srv *s = k->c->hub->srv;
    cJSON *j = cJSON_CreateObject();
    if (!j) return;
    const err_def *d = err_get(e);
    char msg[512] = "";
    if (d) err_format(msg, sizeof msg, e, k->a1, k->a2);
    cJSON_AddNumberToObject(j, "timeMs", (double)(k->now_us / 1000));
    cJSON_AddStringToObject(j, "transport", "ws");
    cJSON_AddStringToObject(j, "clientIp", k->c->ip);
    cJSON_AddStringToObject(j, "method", k->fr.method);
    cJSON_AddStringToObject(j, "path", "/ws-api/v3");
    cJSON_AddStringToObject(j, "query", "");
    char *body = strndup(text, n > 65536 ? 65536 : n);
    cJSON_AddStringToObject(j, "body", body ? body : "");
    free(body);
    cJSON_AddItemToObject(j, "headers", cJSON_CreateObject());
    cJSON_AddStringToObject(j, "route", k->fr.method);
    if (k->auth.api_key[0]) cJSON_AddStringToObject(j, "apiKey", k->auth.api_key);
    else cJSON_AddNullToObject(j, "apiKey");
    if (k->auth.key) cJSON_AddStringToObject(j, "keyType", sig_type_name(sig_key_type(k->auth.key)));
    else cJSON_AddNullToObject(j, "keyType");
    cJSON_AddNumberToObject(j, "status", status);
    if (d) {
        cJSON_AddNumberToObject(j, "code", d->code);
        cJSON_AddStringToObject(j, "msg", msg);
    } else {
        cJSON_AddNullToObject(j, "code");
        cJSON_AddNullToObject(j, "msg");
    }
    if (k->auth.payload.len) cJSON_AddStringToObject(j, "payload", buf_cstr(&k->auth.payload));
    else cJSON_AddNullToObject(j, "payload");
    const char *sig = params_value(&k->params, "signature");
    if (sig) cJSON_AddStringToObject(j, "signature", sig);
    else cJSON_AddNullToObject(j, "signature");
    if (k->auth.verdict) cJSON_AddStringToObject(j, "verdict", k->auth.verdict);
    else cJSON_AddNullToObject(j, "verdict");
    cJSON *x = ws_explain(k);
    if (x) cJSON_AddItemToObject(j, "explain", x);
    else cJSON_AddNullToObject(j, "explain");
    cJSON_AddNumberToObject(j, "weight", k->weight);
    srv_journal_add(s, j);
}

/* ---- response ---- */

static void ws_send_frame(ws_call *k, buf_t *b)
{
    struct ws_hub *h = k->c->hub;
    int withhold = 0, delay = 0;
    pthread_mutex_lock(&h->mu);
    if (h->withhold_count > 0) { h->withhold_count--; withhold = 1; }
    else if (h->delay_count > 0) { h->delay_count--; delay = h->delay_ms; }
    pthread_mutex_unlock(&h->mu);
    if (withhold) return;
    if (delay > 0) usleep((useconds_t)delay * 1000);    /* a real delay: clients test timeouts */
    ws_conn_send(k->c, b->data, b->len);
}

static void ws_respond(ws_call *k, const char *text, size_t n)
{
    buf_t b = BUF_INIT;
    cJSON *rl = ws_rate_limits(k);
    int status;
    if (k->err != ERR_NONE) {
        const err_def *d = err_get(k->err);
        status = k->status ? k->status : d ? d->http_status : 400;
        wsf_render_error(&b, k->fr.id_raw, status, k->err, k->a1, k->a2, k->err_data, rl);
    } else {
        status = k->status ? k->status : 200;
        wsf_render_result(&b, k->fr.id_raw, status, k->result, rl);
    }
    ws_journal(k, text, n, status, k->err);
    if (b.len) ws_send_frame(k, &b);
    cJSON_Delete(rl);
    buf_free(&b);
}

/* ---- security ---- */

int ws_call_auth(ws_call *k, sec_type sec, int need_signature, int allow_session,
                 const char *allowed_csv)
{
    ws_conn *c = k->c;
    struct ws_hub *h = c->hub;
    ws_auth_in in = { .srv = h->srv, .ip = c->ip, .sec = sec, .need_signature = need_signature,
                      .now_us = k->now_us };
    char session_key[WS_KEY_MAX];
    pthread_mutex_lock(&h->mu);
    snprintf(session_key, sizeof session_key, "%s", c->logon_key);
    in.session_revoked = c->revoked;
    in.lenient = h->o.lenient;
    pthread_mutex_unlock(&h->mu);
    in.session_key = allow_session ? session_key : NULL;
    err_id e = ws_auth_check(&k->auth, &in, &k->params);
    if (e == WS_AUTH_REVOKED) {
        ws_session_revoke(c);
        k->revoked = 1;
        return -1;
    }
    if (e == ERR_NONE && allowed_csv) e = ws_auth_unread(&k->auth, &k->params, allowed_csv);
    if (e != ERR_NONE) {
        memcpy(k->a1, k->auth.a1, sizeof k->a1 < sizeof k->auth.a1 ? sizeof k->a1 : sizeof k->auth.a1);
        memcpy(k->a2, k->auth.a2, sizeof k->a2 < sizeof k->auth.a2 ? sizeof k->a2 : sizeof k->auth.a2);
        k->err = e;
        return -1;
    }
    return 0;
}

/* ---- routes of the endpoint registry ---- */

void ws_call_handler(ws_call *k, const api_route *r)
{
    api_req rq = { .srv = k->c->hub->srv, .route = r, .params = &k->params,
                   .account_id = r->sec == SEC_NONE ? -1 : k->auth.account_id,
                   .api_key = k->auth.api_key[0] ? k->auth.api_key : NULL,
                   .timing = k->auth.has_timing ? &k->auth.timing : NULL, .now_us = k->now_us,
                   .time_unit_us = k->time_unit_us, .transport = API_WS, .client_ip = k->c->ip };
    api_resp rs;
    memset(&rs, 0, sizeof rs);
    rs.weight = r->weight;
    r->fn(&rq, &rs);
    if (rs.weight > r->weight) ws_call_charge(k, rs.weight - r->weight, 0);
    if (rs.order_placed) ws_call_charge(k, 0, rs.order_placed);   /* an order list counts each leg */
    k->status = rs.status;
    if (rs.err != ERR_NONE) {
        k->err = rs.err;
        snprintf(k->a1, sizeof k->a1, "%s", rs.err_a1);
        snprintf(k->a2, sizeof k->a2, "%s", rs.err_a2);
        k->err_data = rs.err_data;
        cJSON_Delete(rs.body);
    } else {
        k->result = rs.body;
        cJSON_Delete(rs.err_data);
    }
}


static void ws_call_route(ws_call *k, const api_route *r)
{
    err_id le = ws_call_charge(k, r->weight, 0);
    if (le != ERR_NONE) { k->err = le; return; }
    if (r->sec != SEC_NONE) {
        if (ws_call_auth(k, r->sec, 1, 1, r->params)) return;
    } else {
        ws_auth a;
        ws_auth_init(&a);
        err_id e = ws_auth_unread(&a, &k->params, r->params);
        if (e != ERR_NONE) {
            snprintf(k->a1, sizeof k->a1, "%s", a.a1);
            snprintf(k->a2, sizeof k->a2, "%s", a.a2);
            k->err = e;
        }
        ws_auth_free(&a);
        if (e != ERR_NONE) return;
    }
    ws_call_handler(k, r);
}

/* ---- entry ---- */

static void ws_frame_error(ws_conn *c, const char *id_raw, err_id e, const char *a1)
{
    buf_t b = BUF_INIT;
    if (!wsf_render_error(&b, id_raw, 0, e, a1, NULL, NULL, NULL)) ws_conn_send(c, b.data, b.len);
    buf_free(&b);
}

static int ws_call_options(ws_call *k)
{
    const char *rrl = params_value(&k->params, "returnRateLimits");
    if (rrl) {
        int v = wsf_bool(rrl);
        if (v < 0) {
            snprintf(k->a1, sizeof k->a1, "returnRateLimits");
            k->err = ERR_INVALID_PARAMETER_NAMED;
            return -1;
        }
        k->return_rate_limits = v;
    }
    return 0;
}

void ws_api_handle(ws_conn *c, const char *text, size_t n)
{
    ws_call k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.now_us = ws_now_us(c->hub);
    ws_auth_init(&k.auth);
    params_init(&k.params);
    wsf_status st = wsf_parse_request(text, n, &k.fr);
    if (st == WSF_BAD_JSON || st == WSF_BAD_ID || st == WSF_OOM) {
        ws_frame_error(c, "null", ERR_INVALID_JSON, NULL);
        goto out;
    }
    if (st == WSF_NO_METHOD) { ws_frame_error(c, k.fr.id_raw, ERR_MANDATORY_PARAM_NAMED, "method"); goto out; }
    if (st == WSF_BAD_PARAMS) { ws_frame_error(c, k.fr.id_raw, ERR_INVALID_JSON_PARAM, "params"); goto out; }
    if (k.fr.params && params_parse_json(&k.params, k.fr.params, k.fr.params_len) != 0) {
        ws_frame_error(c, k.fr.id_raw, ERR_INVALID_JSON_PARAM, "params");
        goto out;
    }
    pthread_mutex_lock(&c->hub->mu);
    k.return_rate_limits = c->return_rate_limits;
    k.time_unit_us = c->time_unit_us;
    pthread_mutex_unlock(&c->hub->mu);
    if (ws_call_options(&k) == 0 && !ws_session_dispatch(&k)) {
        const api_route *r = endpoints_find_ws(k.fr.method);
        if (r) ws_call_route(&k, r);
        else k.err = ERR_UNSUPPORTED_OPERATION;     /* [inferred] unknown method */
    }
    if (!k.revoked) ws_respond(&k, text, n);
out:
    cJSON_Delete(k.result);
    cJSON_Delete(k.err_data);
    params_free(&k.params);
    ws_auth_free(&k.auth);
}
