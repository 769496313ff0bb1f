/* ws_session.c: the WebSocket-API-only methods - session.logon/status/
 * logout/subscriptions, userDataStream.subscribe[.signature]/unsubscribe,
 * the retired userDataStream.start/ping/stop of profile 2025-12 (on the REST
 * twins' listenKey store), and the delivery of user data events to subscriptions and listenKey
 * streams (fact sheet §7, §8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "endpoints.h"
#include "exchange_api.h"
#include "srv.h"
#include "ws_api.h"

#define WS_SUB_ID_MAX 65535

/* ---- event frames ---- */

static void ws_send_terminated(ws_conn *c, int sub_id, int64_t now_us)
{
    char msg[160];
    int n = snprintf(msg, sizeof msg,
                     "{\"subscriptionId\":%d,\"event\":{\"e\":\"eventStreamTerminated\",\"E\":%.0f}}",
                     sub_id, ws_time(c->time_unit_us, now_us));
    ws_conn_post_text(c, msg, (size_t)n);
}

static void ws_sub_remove(ws_conn *c, int i, int64_t now_us)
{
    ws_send_terminated(c, c->subs[i].id, now_us);
    c->subs[i] = c->subs[--c->nsubs];
}

/* hub->mu held */
void ws_api_user_event(struct ws_hub *h, const cJSON *ev, int account_id)
{
    char *raw[2] = { cJSON_PrintUnformatted(ev), NULL };   /* ms, µs (lazily) */
    if (!raw[0]) return;
    buf_t b = BUF_INIT;
    for (ws_conn *c = h->conns; c; c = c->next) {
        int us = c->time_unit_us != 0;
        int wanted = (c->kind == WS_KIND_STREAM && c->listen_account == account_id);
        for (int i = 0; i < c->nsubs && !wanted; i++) wanted = c->subs[i].account_id == account_id;
        if (!wanted) continue;
        if (us && !raw[1] && !(raw[1] = wsf_event_text_to_us(raw[0]))) continue;
        if (c->kind == WS_KIND_STREAM) {
            ws_conn_post_text(c, raw[us], strlen(raw[us]));
            continue;
        }
        for (int i = 0; i < c->nsubs; i++) {
            if (c->subs[i].account_id != account_id) continue;
            buf_reset(&b);
            if (!buf_printf(&b, "{\"subscriptionId\":%d,\"event\":%s}", c->subs[i].id, raw[us]))
                ws_conn_post_text(c, b.data, b.len);
        }
    }
    buf_free(&b);
    cJSON_free(raw[0]);
    cJSON_free(raw[1]);
}

void ws_api_conn_gone(ws_conn *c) { (void)c; }

/* ---- session ---- */

static cJSON *ws_session_json(ws_call *k)
{
    ws_conn *c = k->c;
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    if (c->logon_key[0]) {
        cJSON_AddStringToObject(o, "apiKey", c->logon_key);
        wsf_add_time(o, "authorizedSince", k->time_unit_us, c->authorized_since_us);
    } else {
        cJSON_AddNullToObject(o, "apiKey");
        cJSON_AddNullToObject(o, "authorizedSince");
    }
    wsf_add_time(o, "connectedSince", k->time_unit_us, c->connected_us);
    cJSON_AddBoolToObject(o, "returnRateLimits", c->return_rate_limits);
    wsf_add_time(o, "serverTime", k->time_unit_us, k->now_us);
    cJSON_AddBoolToObject(o, "userDataStream", c->nsubs > 0);
    return o;
}

/* Drop the logon and its subscription (hub->mu held). */
static void ws_session_clear(ws_conn *c, int64_t now_us)
{
    for (int i = 0; i < c->nsubs; i++)
        if (c->subs[i].via_logon) { ws_sub_remove(c, i, now_us); break; }
    c->logon_key[0] = '\0';
    c->logon_account = -1;
    c->authorized_since_us = 0;
    c->revoked = 0;
}

void ws_session_revoke(ws_conn *c)
{
    struct ws_hub *h = c->hub;
    buf_t b = BUF_INIT;
    if (!wsf_render_error(&b, "null", 401, ERR_REJECTED_MBX_KEY, NULL, NULL, NULL, NULL))
        ws_conn_send(c, b.data, b.len);
    buf_free(&b);
    pthread_mutex_lock(&h->mu);
    ws_session_clear(c, ws_now_us(h));
    pthread_mutex_unlock(&h->mu);
}

static int ws_no_params(ws_call *k)
{
    err_id e = ws_auth_unread(&k->auth, &k->params, "");
    if (e == ERR_NONE) return 0;
    snprintf(k->a1, sizeof k->a1, "%s", k->auth.a1);
    snprintf(k->a2, sizeof k->a2, "%s", k->auth.a2);
    k->err = e;
    return -1;
}

static void ws_logon(ws_call *k)
{
    struct ws_hub *h = k->c->hub;
    if (ws_call_auth(k, SEC_NONE, 1, 0, "apiKey,signature,timestamp,recvWindow")) return;
    if (sig_key_type(k->auth.key) != SIG_ED25519) {   /* Ed25519 only [doc]; code [inferred] */
        k->err = ERR_REJECTED_MBX_KEY;
        return;
    }
    pthread_mutex_lock(&h->mu);
    if (k->c->logon_key[0] && strcmp(k->c->logon_key, k->auth.api_key))
        ws_session_clear(k->c, k->now_us);
    snprintf(k->c->logon_key, sizeof k->c->logon_key, "%s", k->auth.api_key);
    k->c->logon_account = k->auth.account_id;
    k->c->authorized_since_us = k->now_us;
    k->c->revoked = 0;
    k->result = ws_session_json(k);
    pthread_mutex_unlock(&h->mu);
}

static void ws_status_or_logout(ws_call *k, int logout)
{
    struct ws_hub *h = k->c->hub;
    if (ws_no_params(k)) return;
    pthread_mutex_lock(&h->mu);
    if (logout) ws_session_clear(k->c, k->now_us);
    k->result = ws_session_json(k);
    pthread_mutex_unlock(&h->mu);
}

static void ws_subscriptions(ws_call *k)
{
    struct ws_hub *h = k->c->hub;
    if (ws_no_params(k)) return;
    cJSON *a = cJSON_CreateArray();
    pthread_mutex_lock(&h->mu);
    for (int i = 0; a && i < k->c->nsubs; i++) {
        cJSON *o = cJSON_CreateObject();
        if (o) cJSON_AddNumberToObject(o, "subscriptionId", k->c->subs[i].id);
        cJSON_AddItemToArray(a, o);
    }
    pthread_mutex_unlock(&h->mu);
    k->result = a;
}

/* ---- user data stream subscriptions ---- */

static void ws_sub_add(ws_call *k, int account_id, int via_logon)
{
    ws_conn *c = k->c;
    pthread_mutex_lock(&c->hub->mu);
    for (int i = 0; i < c->nsubs; i++)
        if (c->subs[i].account_id == account_id) {
            k->err = ERR_SUBSCRIPTION_ACTIVE;
            goto out;
        }
    if (c->sub_seq >= WS_SUB_ID_MAX || c->nsubs >= WS_MAX_SUBS) {
        k->err = ERR_MAXIMUM_SUBSCRIPTION_IDS;
        goto out;
    }
    ws_sub *s = &c->subs[c->nsubs++];
    s->id = c->sub_seq++;
    s->account_id = account_id;
    s->via_logon = via_logon;
    k->result = cJSON_CreateObject();
    if (k->result) cJSON_AddNumberToObject(k->result, "subscriptionId", s->id);
out:
    pthread_mutex_unlock(&c->hub->mu);
}

static void ws_uds_subscribe(ws_call *k)
{
    if (ws_no_params(k)) return;
    pthread_mutex_lock(&k->c->hub->mu);
    int revoked = k->c->revoked, acct = k->c->logon_key[0] ? k->c->logon_account : -1;
    pthread_mutex_unlock(&k->c->hub->mu);
    if (revoked) {
        ws_session_revoke(k->c);
        k->revoked = 1;
        return;
    }
    if (acct < 0) {                 /* needs an Ed25519 logon [doc]; code [inferred] */
        k->err = ERR_UNAUTHORIZED;
        return;
    }
    ws_sub_add(k, acct, 1);
}

static void ws_uds_subscribe_signature(ws_call *k)
{
    if (ws_call_auth(k, SEC_USER_STREAM, 1, 0, "apiKey,signature,timestamp,recvWindow")) return;
    ws_sub_add(k, k->auth.account_id, 0);
}

static void ws_uds_unsubscribe(ws_call *k)
{
    ws_conn *c = k->c;
    const char *sid = params_value(&k->params, "subscriptionId");
    if (ws_auth_unread(&k->auth, &k->params, "subscriptionId") != ERR_NONE) {
        ws_no_params(k);
        return;
    }
    char *end = NULL;
    long id = sid ? strtol(sid, &end, 10) : -1;
    if (sid && (!*sid || *end || id < 0)) {
        snprintf(k->a1, sizeof k->a1, "subscriptionId");
        k->err = ERR_INVALID_PARAMETER_NAMED;
        return;
    }
    pthread_mutex_lock(&c->hub->mu);
    int found = 0;
    for (int i = c->nsubs - 1; i >= 0; i--)
        if (!sid || c->subs[i].id == id) {
            ws_sub_remove(c, i, k->now_us);
            found = 1;
        }
    pthread_mutex_unlock(&c->hub->mu);
    if (sid && !found) k->err = ERR_SUBSCRIPTION_INACTIVE;
    else k->result = cJSON_CreateObject();
}

/* ---- retired listenKey methods (profile 2025-12) ---- */

/* userDataStream.start/ping/stop: API key only, then the REST twin's handler
 * (POST/PUT/DELETE /api/v3/userDataStream) - one listenKey store. */
static void ws_lk_call(ws_call *k, const char *http_method, const char *allowed)
{
    if (ws_call_auth(k, SEC_USER_STREAM, 0, 0, allowed)) return;
    const api_route *r = endpoints_find_rest(http_method, "/api/v3/userDataStream");
    if (!r) {
        k->err = ERR_UNSUPPORTED_OPERATION;
        return;
    }
    ws_call_handler(k, r);
}

int ws_listen_key_account(struct ws_hub *h, const char *key)
{
    struct exchange *ex = srv_exchange(h->srv);
    int acct = -1;
    if (!ex || !key || strlen(key) != 64) return -1;
    exchange_lock(ex);
    for (int i = 0; i < 100000 && acct < 0; i++) {
        ex_account *a = ex_account_at(ex, i);
        if (!a) break;
        if (a->listen_key[0] && !strcmp(a->listen_key, key)) acct = i;
    }
    exchange_unlock(ex);
    return acct;
}

/* ---- dispatch ---- */

int ws_session_dispatch(ws_call *k)
{
    const char *m = k->fr.method;
    int legacy = srv_get_profile(k->c->hub->srv) == PROFILE_2025_12;
    static const char *const names[] = { "session.logon", "session.status", "session.logout",
        "session.subscriptions", "userDataStream.subscribe", "userDataStream.subscribe.signature",
        "userDataStream.unsubscribe", "userDataStream.start", "userDataStream.ping",
        "userDataStream.stop", NULL };
    int known = 0;
    for (int i = 0; names[i]; i++)
        if (!strcmp(m, names[i])) known = i < 7 || legacy;
    if (!known) return 0;
    err_id le = ws_call_charge(k, 2, 0);        /* every method here weighs 2 */
    if (le != ERR_NONE) {
        k->err = le;
        return 1;
    }
    if (!strcmp(m, "session.logon")) ws_logon(k);
    else if (!strcmp(m, "session.status")) ws_status_or_logout(k, 0);
    else if (!strcmp(m, "session.logout")) ws_status_or_logout(k, 1);
    else if (!strcmp(m, "session.subscriptions")) ws_subscriptions(k);
    else if (!strcmp(m, "userDataStream.subscribe")) ws_uds_subscribe(k);
    else if (!strcmp(m, "userDataStream.subscribe.signature")) ws_uds_subscribe_signature(k);
    else if (!strcmp(m, "userDataStream.unsubscribe")) ws_uds_unsubscribe(k);
    else if (!strcmp(m, "userDataStream.start")) ws_lk_call(k, "POST", "apiKey");
    else if (!strcmp(m, "userDataStream.ping")) ws_lk_call(k, "PUT", "apiKey,listenKey");
    else if (!strcmp(m, "userDataStream.stop")) ws_lk_call(k, "DELETE", "apiKey,listenKey");
    return 1;
}
