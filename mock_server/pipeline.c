/* pipeline: THE REST security pipeline (order documented in pipeline.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "pipeline.h"
#include "srv_core.h"
#include "endpoints/endpoints.h"
#include "exchange.h"
#include "payload.h"
#include "pct.h"
#include "sig.h"
#include "sigcheck.h"
#include "jsonw.h"
#include "json_guard.h"

typedef struct pctx {
    struct srv *s;
    const rest_req *rq;
    const api_route *route;
    int64_t now_us;
    int time_unit_us;
    params_t params;
    const key_entry *key;
    const char *api_key;           /* header value */
    timing_req timing;
    int has_timing;
    sigcheck sc;
    fault f;
    int has_fault;
    int http_status;               /* 404/405/fault: overrides the catalogue */
    err_id err;
    char a1[256], a2[256];
    api_resp rs;
    int handler_ran;
} pctx;

static const char *sec_name(sec_type t)
{
    switch (t) {
    case SEC_TRADE: return "TRADE";
    case SEC_USER_DATA: return "USER_DATA";
    case SEC_USER_STREAM: return "USER_STREAM";
    case SEC_MARKET_DATA: return "MARKET_DATA";
    default: return "NONE";
    }
}

const char *rest_header(const rest_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nhdrs; i++)
        if (!strcasecmp(rq->hdrs[i].name, name)) return rq->hdrs[i].value;
    return NULL;
}

static err_id fail(pctx *c, err_id e, const char *a1, const char *a2)
{
    c->err = e;
    snprintf(c->a1, sizeof c->a1, "%s", a1 ? a1 : "");
    snprintf(c->a2, sizeof c->a2, "%s", a2 ? a2 : "");
    return e;
}

/* 1: route lookup. Returns 0 to continue. */
static int step_route(pctx *c)
{
    c->route = endpoints_find_rest(c->rq->method, c->rq->path);
    if (c->route) return 0;
    c->http_status = endpoints_path_known(c->rq->path) ? 405 : 404;
    return -1;
}

/* 2: faults taken before anything else; delay now, drop/error unless execute. */
static int step_faults(pctx *c, rest_resp *out)
{
    c->has_fault = faults_take(&c->s->flt, c->rq->method, c->route->path, &c->f);
    if (!c->has_fault) return 0;
    if (c->f.delay_ms > 0) {
        struct timespec ts = { c->f.delay_ms / 1000, (c->f.delay_ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }
    if (c->f.execute) return 0;
    if (c->f.drop) { out->drop = 1; return -1; }
    return c->f.code ? -1 : 0;
}

/* 3: IP ban and weight. */
static err_id step_ratelimit(pctx *c, rest_resp *out)
{
    rl_verdict v;
    rl_check_ip(&c->s->rl, c->rq->client_ip, c->route->weight, c->now_us / 1000, &v);
    if (v.err == ERR_NONE) return ERR_NONE;
    out->retry_after_s = v.retry_after_s;
    return fail(c, v.err, v.a1, v.a2);
}

/* 4: X-MBX-TIME-UNIT. */
static err_id step_time_unit(pctx *c)
{
    const char *u = rest_header(c->rq, "X-MBX-TIME-UNIT");
    if (!u) return ERR_NONE;
    if (!strcmp(u, "MICROSECOND") || !strcmp(u, "microsecond")) { c->time_unit_us = 1; return ERR_NONE; }
    if (!strcmp(u, "MILLISECOND") || !strcmp(u, "millisecond")) return ERR_NONE;
    return fail(c, ERR_INVALID_TIME_UNIT, NULL, NULL);
}

/* 5: parse query (+ form body unless GET). */
static err_id step_params(pctx *c)
{
    size_t max = c->s->cfg.max_params;
    int rc = params_parse(&c->params, c->rq->query, c->rq->qlen, PARAM_QUERY, max);
    if (rc == 0 && c->rq->body_is_form)
        rc = params_parse(&c->params, c->rq->body, c->rq->blen, PARAM_BODY, max);
    if (rc == -2 || c->params.n > max) return fail(c, ERR_TOO_MANY_PARAMETERS, NULL, NULL);
    if (rc < 0) return fail(c, ERR_UNKNOWN, NULL, NULL);
    if (params_first_bad(&c->params)) return fail(c, ERR_ILLEGAL_CHARS, NULL, NULL);
    if (params_find_dup(&c->params)) return fail(c, ERR_DUPLICATE_PARAMETER, NULL, NULL);
    return ERR_NONE;
}

static unsigned perm_bit(sec_type t) { return 1u << t; }

static err_id check_key(pctx *c)
{
    c->api_key = rest_header(c->rq, "X-MBX-APIKEY");
    if (!c->api_key || !key_format_ok(c->api_key)) return fail(c, ERR_BAD_API_KEY_FMT, NULL, NULL);
    c->key = keyreg_find(&c->s->keys, c->api_key);
    if (!c->key && !key_shape_ok(c->api_key)) return fail(c, ERR_BAD_API_KEY_FMT, NULL, NULL);
    int any_perm = c->route->sec == SEC_MARKET_DATA;
    if (!c->key || !(any_perm || (c->key->perms & perm_bit(c->route->sec)))
        || !key_ip_allowed(c->key, c->rq->client_ip)) {
        return fail(c, ERR_REJECTED_MBX_KEY, NULL, NULL);
    }
    return ERR_NONE;
}

static err_id check_mandatory(pctx *c)
{
    const char *sig = params_value(&c->params, "signature");
    const char *ts = params_value(&c->params, "timestamp");
    if (!sig || !*sig) return fail(c, ERR_MANDATORY_PARAM_NAMED, "signature", NULL);
    if (!ts || !*ts) return fail(c, ERR_MANDATORY_PARAM_NAMED, "timestamp", NULL);
    return ERR_NONE;
}

static err_id check_signature(pctx *c)
{
    const char *body = c->rq->body_is_form ? c->rq->body : "";
    size_t blen = c->rq->body_is_form ? c->rq->blen : 0;
    c->sc.reg = &c->s->keys;   /* explain names another registered key that verifies */
    int ok = sigcheck_rest(&c->sc, c->key->key, c->rq->query, c->rq->qlen, body, blen,
                           c->s->cfg.profile == PROFILE_2025_12, c->s->cfg.explain);
    return ok ? ERR_NONE : fail(c, ERR_INVALID_SIGNATURE, NULL, NULL);
}

static err_id check_timing(pctx *c)
{
    const char *bad = NULL;
    err_id e = timing_parse(&c->s->timing, params_value(&c->params, "timestamp"),
                            params_value(&c->params, "recvWindow"), &c->timing, &bad);
    if (e == ERR_PARAM_GREATER_THAN) return fail(c, e, "recvWindow", "60000");
    if (e != ERR_NONE) return fail(c, e, bad ? bad : "timestamp", NULL);
    c->has_timing = 1;
    e = timing_check(&c->s->timing, &c->timing, c->now_us);
    return e == ERR_NONE ? ERR_NONE : fail(c, e, NULL, NULL);
}

/* 6: by security type. */
static err_id step_security(pctx *c)
{
    sec_type t = c->route->sec;
    err_id e;
    if (t == SEC_NONE) return ERR_NONE;
    if (t == SEC_USER_STREAM) return check_key(c);       /* legacy listenKey: key only */
    if (t == SEC_MARKET_DATA && !params_value(&c->params, "signature"))
        return check_key(c);                             /* key only unless signed */
    if (c->s->cfg.order == CHECK_KEY_FIRST) {
        if ((e = check_key(c)) || (e = check_mandatory(c))) return e;
    } else {
        if ((e = check_mandatory(c)) || (e = check_key(c))) return e;
    }
    if ((e = check_signature(c))) return e;
    return check_timing(c);
}

/* 1 if name is in the comma-separated list. */
static int list_has(const char *list, const char *name, size_t nlen)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        while (l && p[0] == ' ') { p++; l--; }
        if (l == nlen && !memcmp(p, name, nlen)) return 1;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

/* 7: every sent name must be one the endpoint reads. */
static err_id step_unread(pctx *c)
{
    if (c->params.n == 0) return ERR_NONE;
    const param_t **v = params_sorted(&c->params);
    if (!v) return fail(c, ERR_UNKNOWN, NULL, NULL);
    size_t sent = 0, read = 0;
    for (size_t i = 0; i < c->params.n; i++) {
        if (i && v[i]->name_len == v[i - 1]->name_len && !memcmp(v[i]->name, v[i - 1]->name, v[i]->name_len))
            continue;
        sent++;
        if (list_has(c->route->params, v[i]->name, v[i]->name_len)) read++;
    }
    free(v);
    if (read == sent) return ERR_NONE;
    char n[32], m[32];
    snprintf(n, sizeof n, "%zu", read);
    snprintf(m, sizeof m, "%zu", sent);
    return fail(c, ERR_UNREAD_PARAMETERS_N, n, m);
}

static int places_orders(const api_route *r)
{
    size_t l = strlen(r->path);
    return r->sec == SEC_TRADE && !strcmp(r->method, "POST") && !(l >= 5 && !strcmp(r->path + l - 5, "/test"));
}

/* 8: order count per account. */
static err_id step_orders(pctx *c, rest_resp *out)
{
    if (!places_orders(c->route) || !c->key) return ERR_NONE;
    rl_verdict v;
    rl_check_orders(&c->s->rl, c->key->account_id, c->now_us / 1000, &v);
    if (v.err == ERR_NONE) return ERR_NONE;
    out->retry_after_s = v.retry_after_s;
    return fail(c, v.err, v.a1, v.a2);
}

/* 9: the endpoint. */
static void step_handler(pctx *c)
{
    api_req rq = {
        .srv = c->s, .route = c->route, .params = &c->params,
        .account_id = c->key ? c->key->account_id : -1,
        .api_key = c->key ? c->key->api_key : NULL,
        .timing = c->has_timing ? &c->timing : NULL,
        .now_us = c->now_us, .time_unit_us = c->time_unit_us,
        .transport = API_REST, .client_ip = c->rq->client_ip,
    };
    c->rs.weight = c->route->weight;
    exchange_advance(c->s->ex, c->now_us);
    c->route->fn(&rq, &c->rs);
    c->handler_ran = 1;
    if (c->rs.err != ERR_NONE) {
        c->err = c->rs.err;
        memcpy(c->a1, c->rs.err_a1, sizeof c->a1);
        memcpy(c->a2, c->rs.err_a2, sizeof c->a2);
        if (c->rs.status) c->http_status = c->rs.status;
    }
}

static void render_fault(pctx *c, rest_resp *out)
{
    out->status = c->f.status ? c->f.status : 500;
    const err_def *d = err_by_code_status(c->f.code, out->status);
    buf_reset(&out->body);
    buf_printf(&out->body, "{\"code\":%d,\"msg\":", c->f.code);
    if (c->f.msg[0]) buf_json_string(&out->body, c->f.msg, strlen(c->f.msg));
    else if (d) {
        char m[512], until[32];
        /* a scripted ban reads like a real one: banned for 2 minutes from now */
        snprintf(until, sizeof until, "%lld", (long long)(c->now_us / 1000 + 120000));
        size_t n = err_format(m, sizeof m, d->id, d->id == ERR_IP_BANNED ? until : NULL, NULL);
        buf_json_string(&out->body, m, n);
    } else buf_json_string(&out->body, "", 0);
    buf_putc(&out->body, '}');
}

static void render(pctx *c, rest_resp *out)
{
    if (c->route == NULL && c->http_status) { out->status = c->http_status; return; }
    if (c->err != ERR_NONE) {
        const err_def *d = err_get(c->err);
        out->status = c->http_status ? c->http_status : d ? d->http_status : 400;
        if (c->rs.err_data) {
            buf_t data = BUF_INIT;
            int ok = jsonw_print(&data, c->rs.err_data) == 0;
            buf_puts(&out->body, "{");
            buf_t tmp = BUF_INIT;
            err_render_json(&tmp, c->err, c->a1, c->a2);
            buf_append(&out->body, tmp.data + 1, tmp.len - 2);   /* drop the braces */
            buf_free(&tmp);
            if (ok) { buf_puts(&out->body, ",\"data\":"); buf_append(&out->body, data.data, data.len); }
            buf_putc(&out->body, '}');
            buf_free(&data);
        } else err_render_json(&out->body, c->err, c->a1, c->a2);
        return;
    }
    out->status = c->rs.status ? c->rs.status : 200;
    buf_reset(&out->body);
    if (!c->rs.body || buf_reserve(&out->body, 1024) < 0 || jsonw_print(&out->body, c->rs.body) < 0) {
        buf_reset(&out->body);
        out->status = 500;
        err_render_json(&out->body, ERR_UNKNOWN, NULL, NULL);
    }
}

static void account_charges(pctx *c, rest_resp *out)
{
    int limited = c->err == ERR_IP_BANNED || c->err == ERR_TOO_MUCH_WEIGHT
                  || c->err == ERR_TOO_MANY_REQUESTS;
    int64_t w = c->handler_ran ? c->rs.weight : c->route ? c->route->weight : 1;
    int64_t now_ms = c->now_us / 1000;
    out->used_weight = limited ? rl_used(&c->s->rl, c->rq->client_ip, now_ms)
                               : rl_charge(&c->s->rl, c->rq->client_ip, w, now_ms);
    if (c->handler_ran && c->err == ERR_NONE && c->rs.order_placed && c->key) {
        for (int i = 0; i < c->rs.order_placed; i++)      /* an order list counts each leg */
            rl_count_order(&c->s->rl, c->key->account_id, now_ms, &out->c10s, &out->c1d);
        out->order_counted = 1;
    }
}

/* A JSON string of bytes; bytes that are not UTF-8 (or NUL) are written as
 * U+FFFD so the entry stays valid JSON; returns 0 when that happened. */
static int jval(buf_t *b, const char *v, size_t n)
{
    if (jsonw_print_ascii(v, n) || (pct_utf8_valid(v, n, NULL) && !memchr(v, 0, n))) {
        jsonw_string(b, v, n);
        return 1;
    }
    buf_t lossy = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch >= 0x20 && ch < 0x7f) buf_putc(&lossy, (char)ch);
        else buf_puts(&lossy, "\xEF\xBF\xBD");
    }
    jsonw_string(b, buf_cstr(&lossy), lossy.len);
    buf_free(&lossy);
    return 0;
}

/* ,"key":"value" or ,"key":null */
static int jstr_n(buf_t *b, const char *key, const char *v, size_t n)
{
    buf_puts(b, ",\"");
    buf_puts(b, key);
    buf_puts(b, "\":");
    if (!v) { buf_puts(b, "null"); return 1; }
    return jval(b, v, n);
}

static void jstr(buf_t *b, const char *key, const char *v) { jstr_n(b, key, v, v ? strlen(v) : 0); }

/* Journal fields are capped so 2000 entries of 1 MiB bodies cannot pile up. */
#define JOURNAL_MAX_FIELD 65536

/* Raw request bytes (capped: "<key>Truncated" gives the full length);
 * non-UTF-8 ones also as exact "<key>Base64". */
static void jbytes(buf_t *b, const char *key, const char *p, size_t n)
{
    if (n > JOURNAL_MAX_FIELD) {
        buf_printf(b, ",\"%sTruncated\":%zu", key, n);
        n = JOURNAL_MAX_FIELD;
    }
    if (jstr_n(b, key, p, n)) return;
    buf_t b64 = BUF_INIT;
    sig_b64_encode(&b64, p, n);
    buf_printf(b, ",\"%sBase64\":", key);
    buf_json_string(b, buf_cstr(&b64), b64.len);
    buf_free(&b64);
}

static void jheaders(buf_t *b, const rest_req *rq)
{
    buf_puts(b, ",\"headers\":{");
    for (size_t i = 0; i < rq->nhdrs; i++) {
        if (i) buf_putc(b, ',');
        jval(b, rq->hdrs[i].name, strlen(rq->hdrs[i].name));
        buf_putc(b, ':');
        jval(b, rq->hdrs[i].value, strlen(rq->hdrs[i].value));
    }
    buf_putc(b, '}');
}

/* Code and message of an error body. */
static void jverdict(buf_t *b, const rest_resp *out)
{
    cJSON *e = out->status != 200 && out->body.len ? json_guard_parse(out->body.data, out->body.len) : NULL;
    cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    if (cJSON_IsNumber(code)) { buf_puts(b, ",\"code\":"); jsonw_int(b, code->valueint); }
    else buf_puts(b, ",\"code\":null");
    jstr(b, "msg", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "msg")));
    cJSON_Delete(e);
}

/* "METHOD /path" like snprintf("%s %s"), truncated to n - 1 bytes. */
static void route_name(char *dst, size_t n, const api_route *r)
{
    size_t ml = strlen(r->method), pl = strlen(r->path), k = 0;
    if (n == 0) return;
    if (ml > n - 1) ml = n - 1;
    memcpy(dst, r->method, ml);
    k = ml;
    if (k < n - 1) dst[k++] = ' ';
    if (pl > n - 1 - k) pl = n - 1 - k;
    memcpy(dst + k, r->path, pl);
    dst[k + pl] = '\0';
}

/* The journal entry of contract D, written as JSON text; sets
 * out->explain_id on -1022. */
static void journal_request(pctx *c, rest_resp *out)
{
    const rest_req *rq = c->rq;
    buf_t b = BUF_INIT;
    char route[200];
    int checked = c->sc.verdict >= 0;
    buf_reserve(&b, 768 + (rq->qlen < JOURNAL_MAX_FIELD ? rq->qlen : JOURNAL_MAX_FIELD) * 2
                    + (rq->blen < JOURNAL_MAX_FIELD ? rq->blen : JOURNAL_MAX_FIELD) + c->sc.payload.len);
    buf_puts(&b, "{\"transport\":\"rest\"");
    jstr(&b, "clientIp", rq->client_ip);
    jstr(&b, "method", rq->method);
    jstr(&b, "path", rq->path);
    jbytes(&b, "query", rq->query, rq->qlen);
    jbytes(&b, "body", rq->body, rq->blen);
    jheaders(&b, rq);
    if (c->route) route_name(route, sizeof route, c->route);
    jstr(&b, "route", c->route ? route : NULL);
    jstr(&b, "security", c->route ? sec_name(c->route->sec) : NULL);
    jstr(&b, "apiKey", c->api_key);
    jstr(&b, "keyType", c->key ? sig_type_name(c->key->type) : NULL);
    buf_puts(&b, ",\"status\":");
    jsonw_int(&b, out->drop ? 0 : out->status);
    jverdict(&b, out);
    if (checked) jbytes(&b, "payload", c->sc.payload.data ? c->sc.payload.data : "", c->sc.payload.len);
    else jstr(&b, "payload", NULL);
    jstr(&b, "signature", checked && c->sc.has_sig ? buf_cstr(&c->sc.sig) : NULL);
    jstr(&b, "verdict", !checked ? NULL : c->sc.verdict ? "valid" : "invalid");
    char *x = c->sc.explain ? cJSON_PrintUnformatted(c->sc.explain) : NULL;
    buf_puts(&b, ",\"explain\":");
    buf_puts(&b, x ? x : "null");
    free(x);
    buf_puts(&b, ",\"weight\":");
    jsonw_int(&b, c->handler_ran ? c->rs.weight : c->route ? c->route->weight : 0);
    if (out->drop) buf_puts(&b, ",\"dropped\":true");
    if (c->has_fault) buf_puts(&b, ",\"fault\":true");
    int64_t id = journal_add_text(&c->s->jr, &b, c->now_us / 1000);
    buf_free(&b);
    if (c->err == ERR_INVALID_SIGNATURE) out->explain_id = id;
}

void pipeline_rest(struct srv *s, const rest_req *rq, rest_resp *out)
{
    pctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.s = s;
    c.rq = rq;
    c.now_us = vclock_now_us(&s->clock);
    params_init(&c.params);
    sigcheck_init(&c.sc);
    if (step_route(&c) == 0) {
        if (step_faults(&c, out) == 0) {
            (void)(step_ratelimit(&c, out) || step_time_unit(&c) || step_params(&c)
                   || step_security(&c) || step_unread(&c) || step_orders(&c, out));
            if (c.err == ERR_NONE) step_handler(&c);
        }
    }
    render(&c, out);
    if (c.has_fault && c.f.code) render_fault(&c, out);
    if (c.has_fault && c.f.drop) out->drop = 1;
    if (c.route) account_charges(&c, out);
    else out->used_weight = rl_used(&s->rl, rq->client_ip, c.now_us / 1000);
    journal_request(&c, out);
    cJSON_Delete(c.rs.body);
    cJSON_Delete(c.rs.err_data);
    sigcheck_free(&c.sc);
    params_free(&c.params);
}

void rest_resp_free(rest_resp *r) { buf_free(&r->body); }
