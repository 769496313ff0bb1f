/* run: one case, end to end. Capability gate (UNSUPPORTED, never a pass),
 * server reset + accounts + setup (clock, faults, limits), configure the
 * adapter, then each step: expand templates, call the adapter, read the
 * journal entries the call caused, evaluate the checks, save values. */
#include "conform.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pct.h"

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double run_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* ---- templates: {{price SYM F}}, {{qty SYM NOTIONAL F}}, {{var NAME}} ---- */

static int run_decimals(const char *s)
{
    const char *dot = s ? strchr(s, '.') : NULL;
    int d = 0, i = 1;
    if (!dot)
        return 0;
    for (; dot[i] >= '0' && dot[i] <= '9'; i++)
        if (dot[i] != '0')
            d = i;
    return d;
}

static const cJSON *run_symbol(conform_ctx *cx, const char *sym, char *err, size_t n)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(cx->symbols, sym);
    buf_t t = BUF_INIT;
    cJSON *info, *s;
    if (c)
        return c;
    buf_puts(&t, "/api/v3/exchangeInfo?symbol=");
    pct_encode(&t, sym, strlen(sym));
    info = api_get(&cx->srv, buf_cstr(&t), err, n);
    buf_free(&t);
    s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(info, "symbols"), 0);
    if (!s) {
        if (info)
            snprintf(err, n, "exchangeInfo has no symbol %s", sym);
        cJSON_Delete(info);
        return NULL;
    }
    s = cJSON_DetachItemViaPointer(cJSON_GetObjectItemCaseSensitive(info, "symbols"), s);
    cJSON_Delete(info);
    cJSON_AddItemToObject(cx->symbols, sym, s);
    return s;
}

static const char *run_filter(const cJSON *sym, const char *type, const char *field)
{
    char path[96];
    const cJSON *v;
    snprintf(path, sizeof path, "filters[filterType=%s].%s", type, field);
    v = json_path(sym, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int run_bid(conform_ctx *cx, const char *sym, double *bid, char *err, size_t n)
{
    buf_t t = BUF_INIT;
    cJSON *r;
    double v = 0;
    buf_puts(&t, "/api/v3/ticker/bookTicker?symbol=");
    pct_encode(&t, sym, strlen(sym));
    r = api_get(&cx->srv, buf_cstr(&t), err, n);
    if (r && jstr(r, "bidPrice"))
        v = strtod(jstr(r, "bidPrice"), NULL);
    cJSON_Delete(r);
    if (v <= 0) {
        buf_reset(&t);
        buf_puts(&t, "/api/v3/ticker/price?symbol=");
        pct_encode(&t, sym, strlen(sym));
        r = api_get(&cx->srv, buf_cstr(&t), err, n);
        if (r && jstr(r, "price"))
            v = strtod(jstr(r, "price"), NULL);
        cJSON_Delete(r);
    }
    buf_free(&t);
    if (v <= 0)
        return snprintf(err, n, "no price for %s (bookTicker / ticker/price)", sym), -1;
    *bid = v;
    return 0;
}

static int run_tmpl_market(conform_ctx *cx, char **argv, int argc, buf_t *out, char *err, size_t n)
{
    const cJSON *sym;
    const char *tick, *step, *minq;
    double bid, f, price, qty, notional;
    int is_qty = strcmp(argv[0], "qty") == 0;
    if (argc != (is_qty ? 4 : 3))
        return snprintf(err, n, "template %s: wrong argument count", argv[0]), -1;
    if (!(sym = run_symbol(cx, argv[1], err, n)) || run_bid(cx, argv[1], &bid, err, n) != 0)
        return -1;
    tick = run_filter(sym, "PRICE_FILTER", "tickSize");
    step = run_filter(sym, "LOT_SIZE", "stepSize");
    minq = run_filter(sym, "LOT_SIZE", "minQty");
    f = strtod(argv[is_qty ? 3 : 2], NULL);
    double t = tick ? strtod(tick, NULL) : 0.01;
    price = floor(bid * f / t + 1e-9) * t;
    if (price <= 0)
        price = t;
    if (!is_qty)
        return buf_printf(out, "%.*f", run_decimals(tick ? tick : "0.01"), price);
    notional = strtod(argv[2], NULL);
    double s = step ? strtod(step, NULL) : 0.00001;
    qty = ceil(notional / price / s - 1e-9) * s;
    if (minq && qty < strtod(minq, NULL))
        qty = strtod(minq, NULL);
    return buf_printf(out, "%.*f", run_decimals(step ? step : "0.00001"), qty);
}

static int run_tmpl_one(conform_ctx *cx, const cJSON *vars, char *expr, buf_t *out, char *err,
                        size_t n)
{
    char *argv[8], *save = NULL, *tok;
    int argc = 0;
    for (tok = strtok_r(expr, " ", &save); tok && argc < 8; tok = strtok_r(NULL, " ", &save))
        argv[argc++] = tok;
    if (argc == 0)
        return snprintf(err, n, "empty template"), -1;
    if (strcmp(argv[0], "var") == 0 && argc == 2) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(vars, argv[1]);
        if (cJSON_IsNumber(v))
            return buf_printf(out, "%.17g", v->valuedouble);
        if (!cJSON_IsString(v))
            return snprintf(err, n, "template: no saved value '%s'", argv[1]), -1;
        return buf_puts(out, v->valuestring);
    }
    if (strcmp(argv[0], "price") == 0 || strcmp(argv[0], "qty") == 0)
        return run_tmpl_market(cx, argv, argc, out, err, n);
    return snprintf(err, n, "unknown template '%s'", argv[0]), -1;
}

static int run_expand_str(conform_ctx *cx, const cJSON *vars, const char *s, buf_t *out,
                          char *err, size_t n)
{
    const char *p = s;
    while (*p) {
        const char *open = strstr(p, "{{"), *close;
        char expr[256];
        if (!open)
            return buf_puts(out, p);
        close = strstr(open, "}}");
        if (!close || (size_t)(close - open - 2) >= sizeof expr)
            return snprintf(err, n, "unterminated template in '%s'", s), -1;
        buf_append(out, p, (size_t)(open - p));
        memcpy(expr, open + 2, (size_t)(close - open - 2));
        expr[close - open - 2] = '\0';
        if (run_tmpl_one(cx, vars, expr, out, err, n) != 0)
            return -1;
        p = close + 2;
    }
    return 0;
}

/* A saved number used as a whole value ("{{var orderId}}") stays a number, so
 * typed libraries get an integer id, not a string. NULL if not that shape. */
static const cJSON *run_whole_number_var(const cJSON *vars, const char *s)
{
    char name[128];
    const cJSON *v;
    size_t l = strlen(s);
    if (l < 11 || strncmp(s, "{{var ", 6) != 0 || strcmp(s + l - 2, "}}") != 0 || l - 8 >= sizeof name)
        return NULL;
    memcpy(name, s + 6, l - 8);
    name[l - 8] = '\0';
    v = cJSON_GetObjectItemCaseSensitive(vars, name);
    return cJSON_IsNumber(v) ? v : NULL;
}

/* Replace child it of node (object members keep their name and position). */
static void run_replace(cJSON *node, cJSON *it, cJSON *with)
{
    if (cJSON_IsObject(node) && it->string)
        cJSON_ReplaceItemInObjectCaseSensitive(node, it->string, with);
    else
        cJSON_ReplaceItemViaPointer(node, it, with);
}

/* Expand every string in the tree below node (in place). */
static int run_expand(conform_ctx *cx, const cJSON *vars, cJSON *node, char *err, size_t n)
{
    cJSON *it = node ? node->child : NULL, *next;
    for (; it; it = next) {
        const cJSON *num;
        next = it->next;
        if (cJSON_IsString(it) && (num = run_whole_number_var(vars, it->valuestring)) != NULL) {
            run_replace(node, it, cJSON_CreateNumber(num->valuedouble));
        } else if (cJSON_IsString(it) && strstr(it->valuestring, "{{")) {
            buf_t b = BUF_INIT;
            if (run_expand_str(cx, vars, it->valuestring, &b, err, n) != 0) {
                buf_free(&b);
                return -1;
            }
            run_replace(node, it, cJSON_CreateString(buf_cstr(&b)));
            buf_free(&b);
        } else if (run_expand(cx, vars, it, err, n) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- setup ---- */

static const keymat *run_keymat(conform_ctx *cx, const char *account, int kt, const char **api_key)
{
    const keymat *km = &cx->keys.acct[ACCT_MAIN][kt];
    *api_key = km->api_key;
    if (!account || strcmp(account, "main") == 0)
        return km;
    if (strcmp(account, "poor") == 0)
        km = &cx->keys.acct[ACCT_POOR][kt];
    else if (strcmp(account, "readonly") == 0)
        km = &cx->keys.acct[ACCT_READONLY][kt];
    else if (strcmp(account, "wrongKey") == 0)
        km = &cx->keys.wrong[kt];
    else if (strcmp(account, "unknownKey") == 0)
        *api_key = cx->keys.unknown_api_key;
    if (strcmp(account, "unknownKey") != 0)
        *api_key = km->api_key;
    return km;
}

/* "now" -> 0, "now+N" -> N (ms, 0..60000): how far ahead of the server's
 * current time a case freezes the clock. A case that signs requests on a
 * frozen clock uses a lead so the library's local timestamps stay behind the
 * server for a few seconds of real time (Binance refuses timestamps over
 * 1000 ms ahead: -1021), however slow the machine. */
static int run_freeze_lead(const char *s, long *lead)
{
    if (strcmp(s, "now") == 0) return *lead = 0, 0;
    if (strncmp(s, "now+", 4) != 0 || s[4] < '0' || s[4] > '9') return -1;
    char *end;
    long v = strtol(s + 4, &end, 10);
    if (*end || v < 0 || v > 60000) return -1;
    return *lead = v, 0;
}

static int run_setup_server(conform_ctx *cx, const cJSON *setup, char *err, size_t n)
{
    cJSON *r, *acc, *it, *body = NULL, *reset = NULL;
    const cJSON *clock = cJSON_GetObjectItemCaseSensitive(setup, "clock");
    const char *fz = cJSON_IsObject(clock) ? jstr(clock, "freeze") : NULL;
    if (fz) {   /* {"freeze":"now"} / "now+N": the reset freezes the clock N ms ahead of its now */
        long lead = 0;
        if (run_freeze_lead(fz, &lead) != 0)
            return snprintf(err, n, "setup.clock.freeze: '%s' is not \"now\" or \"now+N\" (N ms, 0..60000)", fz), -1;
        reset = cJSON_CreateObject();
        cJSON_AddNumberToObject(reset, "frozen_ahead_ms", (double)lead);
    }
    /* The market restarts at the frozen instant, so its next step is a whole
     * second later: a case that spends a few 100 ms of virtual time never
     * sees a simulator step between its snapshot and its last event. */
    r = admin_send(&cx->srv, "POST", "/__admin/reset", reset, err, n);
    cJSON_Delete(reset);
    if (!r)
        return -1;
    cJSON_Delete(r);
    if (wsgate_assert_no_ws(cx, err, n) != 0)
        return -1;
    acc = keys_accounts_json(&cx->keys);
    r = admin_send(&cx->srv, "POST", "/__admin/accounts", acc, err, n);
    cJSON_Delete(acc);
    if (!r)
        return -1;
    cJSON_Delete(r);
    if (cJSON_IsObject(clock)) {
        body = cJSON_Duplicate(clock, 1);
        cJSON_DeleteItemFromObject(body, "freeze");
    }
    if (body && cJSON_GetArraySize(body) > 0) {
        r = admin_send(&cx->srv, "POST", "/__admin/clock", body, err, n);
        if (!r) {
            cJSON_Delete(body);
            return -1;
        }
        cJSON_Delete(r);
    }
    cJSON_Delete(body);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(setup, "faults")) {
        if (!(r = admin_send(&cx->srv, "POST", "/__admin/faults", it, err, n)))
            return -1;
        cJSON_Delete(r);
    }
    if ((it = cJSON_GetObjectItemCaseSensitive(setup, "limits")) != NULL) {
        if (!(r = admin_send(&cx->srv, "POST", "/__admin/limits", it, err, n)))
            return -1;
        cJSON_Delete(r);
    }
    return 0;
}

static cJSON *run_configure_params(conform_ctx *cx, const cJSON *setup, int kt, const keymat **km)
{
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(setup, "config"), *it;
    const char *api_key;
    cJSON *p = cJSON_CreateObject();
    char url[320];          /* ws:// + host (255) + :port + path */
    *km = run_keymat(cx, jstr(setup, "account"), kt, &api_key);
    cJSON_AddStringToObject(p, "baseUrl", cx->server_url);
    snprintf(url, sizeof url, "ws://%s:%d/ws-api/v3", cx->srv.u.host, cx->srv.u.port);
    cJSON_AddStringToObject(p, "wsApiUrl", url);
    snprintf(url, sizeof url, "ws://%s:%d/ws", cx->srv.u.host, cx->srv.u.port);
    cJSON_AddStringToObject(p, "streamUrl", url);
    cJSON_AddStringToObject(p, "apiKey", api_key);
    cJSON_AddStringToObject(p, "keyType", kt_name(kt));
    cJSON_AddStringToObject(p, kt == KT_HMAC ? "secret" : "privateKeyPem", (*km)->private_text);
    cJSON_AddFalseToObject(p, "timeSync");
    cJSON_AddFalseToObject(p, "microsecondTimestamps");
    cJSON_AddNumberToObject(p, "timeoutMs", cx->o.timeout_ms > 2000 ? cx->o.timeout_ms - 1000 : 1000);
    cJSON_ArrayForEach(it, cfg) {
        cJSON_DeleteItemFromObjectCaseSensitive(p, it->string);
        cJSON_AddItemToObject(p, it->string, cJSON_Duplicate(it, 1));
    }
    return p;
}

/* Replace the HMAC secret in every string of the tree (reports never carry it). */
static void run_redact(cJSON *node, const char *secret)
{
    cJSON *it;
    char *hit;
    if (!secret || strlen(secret) < 16)
        return;
    if (cJSON_IsString(node) && (hit = strstr(node->valuestring, secret)) != NULL) {
        memset(hit, '*', strlen(secret));
        return;
    }
    cJSON_ArrayForEach(it, node)
        run_redact(it, secret);
}

/* ---- the case ---- */

/* Long reasons are cut on a UTF-8 character boundary (they end up in JSON/HTML). */
static void run_set(conform_case *c, verdict v, const char *reason)
{
    const char *r = reason ? reason : "";
    size_t n = strlen(r);
    c->v = v;
    if (n >= sizeof c->reason) {
        n = sizeof c->reason - 1;
        while (n > 0 && ((unsigned char)r[n] & 0xC0) == 0x80) n--;
    }
    memcpy(c->reason, r, n);
    c->reason[n] = '\0';
}

static int run_ensure_adapter(conform_ctx *cx, char *err, size_t n)
{
    adapter *a = &cx->ad;
    char *cmd, *log;
    if (adapter_alive(a))
        return 0;
    cmd = a->cmd;
    log = a->log_path;
    a->cmd = a->log_path = NULL;
    cJSON_Delete(a->hello);
    buf_free(&a->rbuf);
    int rc = adapter_start(a, cmd, log, cx->o.timeout_ms, err, n);
    free(cmd);
    free(log);
    return rc == 0 ? adapter_hello(a, err, n) : -1;
}

/* 0 continue, 1 case decided (verdict set). */
static int run_gate(conform_ctx *cx, conform_case *c, int *kt_out)
{
    int kt = case_key_type(c);
    const cJSON *it;
    char msg[160];
    if (kt < 0)
        kt = cx->default_kt;
    *kt_out = kt;
    if (kt < 0)
        return run_set(c, V_UNSUPPORTED, "no key type in common with the adapter"), 1;
    if (!adapter_has(&cx->ad, kt_name(kt))) {
        snprintf(msg, sizeof msg, "key type %s not declared by the adapter", kt_name(kt));
        return run_set(c, V_UNSUPPORTED, msg), 1;
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c->doc, "requires")) {
        if (cJSON_IsString(it) && !adapter_has(&cx->ad, it->valuestring)) {
            snprintf(msg, sizeof msg, "capability %s not declared by the adapter", it->valuestring);
            return run_set(c, V_UNSUPPORTED, msg), 1;
        }
    }
    return 0;
}

static void run_save(cJSON *vars, const cJSON *save, const cJSON *result)
{
    const cJSON *it, *d = cJSON_GetObjectItemCaseSensitive(result, "data");
    cJSON_ArrayForEach(it, save) {
        const cJSON *v = cJSON_IsString(it) ? json_path(d, it->valuestring) : NULL;
        if (!v)
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(vars, it->string);
        if (cJSON_IsString(v) || cJSON_IsNumber(v))
            cJSON_AddItemToObject(vars, it->string, cJSON_Duplicate(v, 0));
    }
}

/* Record a failed check: worst 0 none, 1 FAIL, 2 NON-STRICT, 3 an info-level
 * observation; the first reason wins per level, a worse level replaces it.
 * A stream op's reason also names the stream control frames the server
 * refused earlier in the case (a "timeout" then says why). */
static void run_note(conform_ctx *cx, int *worst, int lv, const char *op, const char *msg,
                     char *reason, size_t rn)
{
    if ((lv == 0 && *worst != 1) || (lv == 1 && (*worst == 0 || *worst == 3)) ||
        (lv == 2 && *worst == 0)) {
        *worst = lv == 0 ? 1 : lv == 1 ? 2 : 3;
        if (strncmp(op, "stream", 6) == 0 && cx->stream_note[0] && !strstr(msg, "[server: stream "))
            snprintf(reason, rn, "%s: %.200s (server: %.240s)", op, msg, cx->stream_note);
        else
            snprintf(reason, rn, "%s: %.440s", op, msg);
    }
}

/* An admin step ({"admin":"POST /__admin/ws/drop","body":{...}}): the runner
 * acts on the server (drop WS connections, serverShutdown, move the clock)
 * between adapter calls. Returns -1 to stop the case (verdict set). */
static int run_admin_step(conform_ctx *cx, conform_case *c, const cJSON *step, cJSON *steps_rec)
{
    const char *a = jstr(step, "admin");
    const char *sp = strchr(a, ' ');
    char method[16], err[512], msg[600];
    cJSON *rec = cJSON_CreateObject(), *r;
    cJSON_AddItemToArray(steps_rec, rec);
    cJSON_AddStringToObject(rec, "admin", a);
    if (!sp || (size_t)(sp - a) >= sizeof method || strncmp(sp + 1, "/__admin/", 9) != 0) {
        snprintf(msg, sizeof msg, "case file: admin step '%.200s' is not \"METHOD /__admin/...\"", a);
        return run_set(c, V_FAIL, msg), -1;
    }
    memcpy(method, a, (size_t)(sp - a));
    method[sp - a] = '\0';
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(step, "body");
    int closes = strcmp(sp + 1, "/__admin/ws/drop") == 0 ||
                 (strcmp(sp + 1, "/__admin/ws/shutdown") == 0 &&
                  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "close")));
    long max_id = closes ? admin_ws_scan(&cx->srv, -1, 0, NULL, NULL) : 0;
    r = admin_send(&cx->srv, method, sp + 1, body, err, sizeof err);
    if (!r) {
        snprintf(msg, sizeof msg, "harness setup: %s: %.400s", a, err);
        return run_set(c, V_FAIL, msg), -1;
    }
    cJSON_AddItemToObject(rec, "result", r);
    if (closes)
        wsgate_await_closed(cx, rec, max_id);
    return 0;
}

/* One step; returns -1 to stop the case (verdict already set). */
/* The id of the last entry of a step's journal (from: where it started). */
static long run_journal_end(const cJSON *journal, long from)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(journal, cJSON_GetArraySize(journal) - 1), "id");
    return cJSON_IsNumber(id) ? (long)id->valuedouble : (from < 0 ? 0 : from);
}

static int run_step(conform_ctx *cx, conform_case *c, const cJSON *step, const keymat *km,
                    cJSON *vars, cJSON *steps_rec, int *worst, char *reason, size_t rn)
{
    cJSON *rec = cJSON_CreateObject(), *params, *res, *journal, *checks;
    const cJSON *it, *grace;
    const char *op = jstr(step, "op");
    char err[512], msg[512], note[400] = "";
    long last;
    cJSON_AddItemToArray(steps_rec, rec);
    cJSON_AddStringToObject(rec, "op", op);
    params = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(step, "params"), 1);
    if (!params)
        params = cJSON_CreateObject();
    if (run_expand(cx, vars, params, err, sizeof err) != 0) {
        cJSON_Delete(params);
        snprintf(msg, sizeof msg, "harness setup: %.400s", err);
        return run_set(c, V_FAIL, msg), -1;
    }
    cJSON_AddItemToObject(rec, "params", cJSON_Duplicate(params, 1));
    /* A step's journal starts where the case's previous step stopped, so an
     * entry the server writes after that step's fetch (a SUBSCRIBE frame the
     * adapter sent just before returning) is the next step's, never lost. */
    last = cx->journal_seen >= 0 ? cx->journal_seen : admin_journal_last_id(&cx->srv);
    grace = cJSON_GetObjectItemCaseSensitive(step, "reconnect");
    res = adapter_call(&cx->ad, op, grace ? cJSON_Duplicate(params, 1) : params, err, sizeof err);
    if (res && grace)
        res = wsgate_reconnect_grace(cx, grace, op, params, res, rec, note, sizeof note);
    if (grace)
        cJSON_Delete(params);
    if (!res) {
        snprintf(msg, sizeof msg, "adapter: %.400s", note[0] ? note : err);
        return run_set(c, V_FAIL, msg), -1;
    }
    cJSON_AddItemToObject(rec, "result", res);
    if (note[0])
        run_note(cx, worst, 0, op, note, reason, rn);
    journal = admin_journal_since(&cx->srv, last < 0 ? 0 : last, err, sizeof err);
    if (!journal)
        journal = cJSON_CreateArray();
    cJSON_AddItemToObject(rec, "journal", journal);
    cx->journal_seen = run_journal_end(journal, last);
    wsgate_stream_refusals(cx, journal);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "unsupported"))) {
        snprintf(msg, sizeof msg, "operation %s unsupported by the adapter", op);
        return run_set(c, V_UNSUPPORTED, msg), -1;
    }
    checks = cJSON_AddArrayToObject(rec, "checks");
    check_env env = {cx, res, journal, km, vars};
    cJSON *implicit = cJSON_CreateObject();
    cJSON_AddStringToObject(implicit, "check", "noSecret");
    cJSON *expect = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(step, "expect"), 1);
    if (run_expand(cx, vars, expect, err, sizeof err) != 0)   /* {{var x}} in checks */
        run_note(cx, worst, 0, op, err, reason, rn);
    cJSON_ArrayForEach(it, expect) {
        int lv;
        if (!check_eval(&env, it, checks, &lv, msg, sizeof msg))
            run_note(cx, worst, lv, op, msg, reason, rn);
    }
    cJSON_Delete(expect);
    {
        int lv;
        if (!check_eval(&env, implicit, checks, &lv, msg, sizeof msg))
            run_note(cx, worst, lv, op, msg, reason, rn);
    }
    cJSON_Delete(implicit);
    run_redact(rec, km->private_text);   /* after the checks: reports never carry the secret */
    run_save(vars, cJSON_GetObjectItemCaseSensitive(step, "save"), res);
    if (jstr(step, "saveData")) {        /* the whole data, for the book checks */
        cJSON_DeleteItemFromObjectCaseSensitive(vars, jstr(step, "saveData"));
        cJSON_AddItemToObject(vars, jstr(step, "saveData"),
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(res, "data"), 1));
    }
    return 0;
}

void run_case(conform_ctx *cx, conform_case *c)
{
    const cJSON *setup = cJSON_GetObjectItemCaseSensitive(c->doc, "setup"), *st;
    const keymat *km;
    cJSON *rec = cJSON_CreateObject(), *steps, *vars = cJSON_CreateObject(), *cfg, *r;
    double t0 = run_now_ms();
    char err[512], reason[512] = "";
    int kt, worst = 0;
    cJSON_Delete(c->record);
    c->record = rec;
    cx->ws_drop_max_id = 0;
    cx->ws_drop_ms = 0;
    cx->stream_note[0] = '\0';
    cx->journal_seen = -1;
    cJSON_AddStringToObject(rec, "id", c->id);
    cJSON_AddStringToObject(rec, "title", c->title);
    cJSON_AddItemToObject(rec, "spec", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c->doc, "spec"), 1));
    steps = cJSON_AddArrayToObject(rec, "steps");
    if (run_gate(cx, c, &kt))
        goto out;
    cJSON_AddStringToObject(rec, "keyType", kt_name(kt));
    if (run_ensure_adapter(cx, err, sizeof err) != 0) {
        snprintf(reason, sizeof reason, "adapter restart failed: %.300s%s%.150s", err,
                 cx->ad.log_path && !cx->adapter_log_tmp ? "; its stderr: " : "",
                 cx->ad.log_path && !cx->adapter_log_tmp ? cx->ad.log_path : "");
        run_set(c, V_FAIL, reason);
        goto out;
    }
    if (cx->server_dead) {
        run_set(c, V_FAIL, "not run: binance-mock exited earlier in this run");
        goto out;
    }
    if (run_setup_server(cx, setup, err, sizeof err) != 0) {
        if (!cx->o.server && !mock_alive(&cx->mock)) {
            cx->server_dead = 1;
            snprintf(reason, sizeof reason, "harness: binance-mock exited (crashed?): see %s",
                     cx->o.report_dir ? "binance-mock.log in the report directory" : "its log");
        } else {
            snprintf(reason, sizeof reason, "harness setup: %.400s", err);
        }
        run_set(c, V_FAIL, reason);
        goto out;
    }
    cfg = run_configure_params(cx, setup, kt, &km);
    r = adapter_call(&cx->ad, "configure", cfg, err, sizeof err);
    if (!r || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "unsupported")) ||
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok"))) {
        int unsup = r && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "unsupported"));
        const char *m = jstr(cJSON_GetObjectItemCaseSensitive(r, "error"), "msg");
        snprintf(reason, sizeof reason, "configure %s: %.400s", unsup ? "unsupported" : "failed",
                 r ? (m ? m : "no message") : err);
        run_set(c, unsup ? V_UNSUPPORTED : V_FAIL, reason);
        cJSON_Delete(r);
        goto out;
    }
    cJSON_Delete(r);
    reason[0] = '\0';
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(c->doc, "steps")) {
        int rc = jstr(st, "admin") ? run_admin_step(cx, c, st, steps)
                                   : run_step(cx, c, st, km, vars, steps, &worst, reason, sizeof reason);
        if (rc != 0)
            goto out;
    }
    if (worst == 1)
        run_set(c, V_FAIL, reason);
    else if (worst == 2)
        run_set(c, V_NONSTRICT, reason);
    else if (jstr(c->doc, "verdictOnPass") && strcmp(jstr(c->doc, "verdictOnPass"), "INFO") == 0)
        run_set(c, V_INFO, worst == 3 ? reason : jstr(c->doc, "info"));
    else
        run_set(c, V_PASS, NULL);
out:
    c->ms = run_now_ms() - t0;
    cJSON_AddStringToObject(rec, "verdict", verdict_name(c->v));
    cJSON_AddStringToObject(rec, "reason", c->reason);
    cJSON_AddNumberToObject(rec, "ms", floor(c->ms));
    cJSON_Delete(vars);
}
