/* binance-ref-adapter: the reference C client (refclient) behind the harness
 * adapter protocol (harness/PROTOCOL.md, protocol 1): JSON lines on stdin,
 * one JSON line answer per request on stdout, logs on stderr.
 * WebSocket ops (wsLogon, wsCall, wsClose, streamSubscribe, streamNext,
 * streamClose) go to refws.c.
 * `--mutate RULE[,RULE]` turns it into a mutant adapter that breaks one
 * Binance rule each (see refclient.h and harness/mutants/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "refclient.h"
#include "json_guard.h"
#include "refws.h"

#define ADAPTER_VERSION "0.1.0"

typedef struct op_def {
    const char *op, *method, *path;
    ref_sec sec;
} op_def;

static const op_def adapter_ops[] = {
    {"time", "GET", "/api/v3/time", REF_NONE},
    {"ping", "GET", "/api/v3/ping", REF_NONE},
    {"exchangeInfo", "GET", "/api/v3/exchangeInfo", REF_NONE},
    {"depth", "GET", "/api/v3/depth", REF_NONE},
    {"klines", "GET", "/api/v3/klines", REF_NONE},
    {"account", "GET", "/api/v3/account", REF_SIGNED},
    {"newOrder", "POST", "/api/v3/order", REF_SIGNED},
    {"testOrder", "POST", "/api/v3/order/test", REF_SIGNED},
    {"getOrder", "GET", "/api/v3/order", REF_SIGNED},
    {"cancelOrder", "DELETE", "/api/v3/order", REF_SIGNED},
    {"openOrders", "GET", "/api/v3/openOrders", REF_SIGNED},
    {"myTrades", "GET", "/api/v3/myTrades", REF_SIGNED},
};

static void adapter_reply(cJSON *msg)
{
    char *s = cJSON_PrintUnformatted(msg);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        fflush(stdout);
        free(s);
    }
    cJSON_Delete(msg);
}

static cJSON *adapter_base(const cJSON *id)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    return r;
}

static void adapter_fail(const cJSON *id, const char *msg)
{
    cJSON *r = adapter_base(id), *e;
    cJSON_AddFalseToObject(r, "ok");
    e = cJSON_AddObjectToObject(r, "error");
    cJSON_AddStringToObject(e, "msg", msg);
    adapter_reply(r);
}

static void adapter_hello(const cJSON *id)
{
    cJSON *r = adapter_base(id), *d;
    const char *caps[] = {"rest", "timeSync", "perCallRecvWindow", "microsecondTimestamps",
                          "signedCall", "wsApi", "wsSession", "wsUserData", "streams",
                          "wsReconnect"};
    const char *kts[] = {"hmac", "rsa", "ed25519"};
    cJSON_AddTrueToObject(r, "ok");
    d = cJSON_AddObjectToObject(r, "data");
    cJSON_AddNumberToObject(d, "protocol", 1);
    cJSON_AddStringToObject(d, "library", "binance-conformance reference client (C)");
    cJSON_AddStringToObject(d, "version", ADAPTER_VERSION);
    cJSON_AddStringToObject(d, "language", "C");
    cJSON_AddItemToObject(d, "keyTypes", cJSON_CreateStringArray(kts, 3));
    cJSON_AddItemToObject(d, "capabilities", cJSON_CreateStringArray(caps, (int)(sizeof caps / sizeof caps[0])));
    adapter_reply(r);
}

static const char *adapter_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void adapter_configure(ref_client *c, ref_ws *w, unsigned mutations, const cJSON *id,
                              const cJSON *p)
{
    const char *url = adapter_str(p, "baseUrl"), *key = adapter_str(p, "apiKey");
    const char *secret = adapter_str(p, "secret"), *pem = adapter_str(p, "privateKeyPem");
    const cJSON *rw = cJSON_GetObjectItemCaseSensitive(p, "recvWindow");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(p, "timeoutMs");
    char err[256];
    cJSON *r;
    ref_client_free(c);
    ref_client_init(c);
    c->mutations = mutations;
    if (!url || http_url_parse(&c->url, url) != 0)
        return adapter_fail(id, "configure: baseUrl missing or not http://host:port");
    if (ref_client_set_key(c, key, secret ? secret : pem, err, sizeof err) != 0)
        return adapter_fail(id, err);
    if (cJSON_IsNumber(rw))
        snprintf(c->recv_window, sizeof c->recv_window, "%.15g", rw->valuedouble);
    else if (cJSON_IsString(rw))
        snprintf(c->recv_window, sizeof c->recv_window, "%s", rw->valuestring);
    c->time_sync = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "timeSync"));
    c->micro = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "microsecondTimestamps"));
    if (cJSON_IsNumber(to) && to->valuedouble > 0)
        c->timeout_ms = (int)to->valuedouble;
    if (ref_ws_configure(w, c, adapter_str(p, "wsApiUrl"), adapter_str(p, "streamUrl"), err,
                         sizeof err) != 0)
        return adapter_fail(id, err);
    r = adapter_base(id);
    cJSON_AddTrueToObject(r, "ok");
    adapter_reply(r);
}

/* JSON params object -> ordered string pairs. */
static int adapter_params(const cJSON *obj, ref_params *out)
{
    const cJSON *it;
    char num[64];
    cJSON_ArrayForEach(it, obj) {
        const char *v = num;
        if (cJSON_IsString(it))
            v = it->valuestring;
        else if (cJSON_IsNumber(it))
            snprintf(num, sizeof num, "%.17g", it->valuedouble);
        else if (cJSON_IsBool(it))
            v = cJSON_IsTrue(it) ? "true" : "false";
        else
            continue;
        if (ref_params_add(out, it->string, v) != 0)
            return -1;
    }
    return 0;
}

static void adapter_result(const cJSON *id, ref_result *res)
{
    cJSON *r = adapter_base(id), *e;
    if (res->status == 200) {
        cJSON_AddTrueToObject(r, "ok");
        cJSON_AddItemToObject(r, "data", res->json ? res->json : cJSON_CreateNull());
        res->json = NULL;
        return adapter_reply(r);
    }
    cJSON_AddFalseToObject(r, "ok");
    e = cJSON_AddObjectToObject(r, "error");
    cJSON_AddNumberToObject(e, "httpStatus", res->status);
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(res->json, "code");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(res->json, "msg");
        if (cJSON_IsNumber(code))
            cJSON_AddNumberToObject(e, "code", code->valuedouble);
        if (cJSON_IsString(msg))
            cJSON_AddStringToObject(e, "msg", msg->valuestring);
    }
    cJSON_AddStringToObject(e, "raw", buf_cstr(&res->raw));
    if (res->retry_after[0])
        cJSON_AddStringToObject(e, "retryAfter", res->retry_after);
    if (res->status >= 500)
        cJSON_AddTrueToObject(e, "unknown");
    adapter_reply(r);
}

static void adapter_call(ref_client *c, const cJSON *id, const char *method, const char *path,
                         ref_sec sec, const cJSON *params)
{
    ref_params p;
    ref_result res;
    ref_params_init(&p);
    ref_result_init(&res);
    if (adapter_params(params, &p) != 0)
        adapter_fail(id, "out of memory");
    else if (ref_call(c, method, path, sec, &p, &res) != 0)
        adapter_fail(id, res.err[0] ? res.err : "request failed");
    else
        adapter_result(id, &res);
    ref_params_free(&p);
    ref_result_free(&res);
}

static void adapter_signed_call(ref_client *c, const cJSON *id, const cJSON *p)
{
    const char *method = adapter_str(p, "method"), *path = adapter_str(p, "path");
    const char *sec = adapter_str(p, "security");
    ref_sec s = REF_SIGNED;
    if (!method || !path)
        return adapter_fail(id, "signedCall: method and path are required");
    if (sec && strcmp(sec, "NONE") == 0)
        s = REF_NONE;
    else if (sec && strcmp(sec, "USER_STREAM") == 0)
        s = REF_KEY_ONLY;
    adapter_call(c, id, method, path, s, cJSON_GetObjectItemCaseSensitive(p, "params"));
}

/* ---- WebSocket ops (PROTOCOL.md "WebSocket operations") ---- */

/* A WS API answer frame -> protocol answer (status 200: data = result). */
static void adapter_ws_frame(const cJSON *id, cJSON *f, const char *err)
{
    cJSON *r, *e;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(f, "status");
    const cJSON *er = cJSON_GetObjectItemCaseSensitive(f, "error");
    if (!f)
        return adapter_fail(id, err && err[0] ? err : "WebSocket API call failed");
    r = adapter_base(id);
    if (cJSON_IsNumber(st) && st->valuedouble == 200 && !er) {
        cJSON *res = cJSON_DetachItemFromObjectCaseSensitive(f, "result");
        cJSON *rl = cJSON_DetachItemFromObjectCaseSensitive(f, "rateLimits");
        cJSON_AddTrueToObject(r, "ok");
        cJSON_AddItemToObject(r, "data", res ? res : cJSON_CreateNull());
        if (rl)
            cJSON_AddItemToObject(r, "rateLimits", rl);
    } else {
        char *raw = cJSON_PrintUnformatted(f);
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(er, "code");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(er, "msg");
        cJSON_AddFalseToObject(r, "ok");
        e = cJSON_AddObjectToObject(r, "error");
        if (cJSON_IsNumber(st))
            cJSON_AddNumberToObject(e, "httpStatus", st->valuedouble);
        if (cJSON_IsNumber(code))
            cJSON_AddNumberToObject(e, "code", code->valuedouble);
        if (cJSON_IsString(msg))
            cJSON_AddStringToObject(e, "msg", msg->valuestring);
        if (raw)
            cJSON_AddStringToObject(e, "raw", raw);
        free(raw);
    }
    cJSON_Delete(f);
    adapter_reply(r);
}

static void adapter_ok(const cJSON *id, cJSON *data)
{
    cJSON *r = adapter_base(id);
    cJSON_AddTrueToObject(r, "ok");
    cJSON_AddItemToObject(r, "data", data ? data : cJSON_CreateObject());
    adapter_reply(r);
}

static void adapter_ws_call(ref_ws *w, const cJSON *id, const cJSON *p)
{
    const char *method = adapter_str(p, "method");
    char err[256] = "";
    if (!method)
        return adapter_fail(id, "wsCall: method is required");
    adapter_ws_frame(id, ref_ws_call(w, method, cJSON_GetObjectItemCaseSensitive(p, "params"),
                                     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "signed")),
                                     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "session")),
                                     cJSON_GetObjectItemCaseSensitive(p, "id"), err, sizeof err),
                     err);
}

static void adapter_stream_subscribe(ref_ws *w, const cJSON *id, const cJSON *p)
{
    char handle[16], err[256] = "";
    cJSON *frame = NULL, *d;
    const cJSON *st;
    if (ref_ws_subscribe(w, p, handle, sizeof handle, &frame, err, sizeof err) != 0)
        return frame ? adapter_ws_frame(id, frame, err) : adapter_fail(id, err);
    st = cJSON_GetObjectItemCaseSensitive(frame, "status");
    if (frame && !(cJSON_IsNumber(st) && st->valuedouble == 200)) {
        ref_ws_stream_close(w, handle);
        return adapter_ws_frame(id, frame, err);
    }
    cJSON_Delete(frame);
    d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "handle", handle);
    adapter_ok(id, d);
}

static void adapter_stream_next(ref_ws *w, const cJSON *id, const cJSON *p)
{
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(p, "timeoutMs");
    char err[256] = "";
    cJSON *ev = ref_ws_next(w, adapter_str(p, "handle"), cJSON_IsNumber(to) ? (int)to->valuedouble : 3000,
                            cJSON_GetObjectItemCaseSensitive(p, "match"), err, sizeof err);
    if (!ev)
        return adapter_fail(id, err);
    adapter_ok(id, ev);
}

static const char *const adapter_ws_ops[] = {"wsCall", "wsLogon", "wsClose", "streamSubscribe",
                                              "streamNext", "streamClose"};

static int adapter_ws_dispatch(ref_ws *w, const cJSON *id, const char *op, const cJSON *params)
{
    char err[256] = "";
    size_t i, n = sizeof adapter_ws_ops / sizeof adapter_ws_ops[0];
    for (i = 0; i < n && strcmp(op, adapter_ws_ops[i]) != 0; i++)
        ;
    if (i == n)
        return 0;
    if (!ref_ws_available(w)) {          /* no local WS server (remote --server) */
        cJSON *r = adapter_base(id);
        cJSON_AddTrueToObject(r, "unsupported");
        adapter_reply(r);
        return 1;
    }
    if (strcmp(op, "wsCall") == 0)
        adapter_ws_call(w, id, params);
    else if (strcmp(op, "wsLogon") == 0)
        adapter_ws_frame(id, ref_ws_logon(w, err, sizeof err), err);
    else if (strcmp(op, "wsClose") == 0)
        ref_ws_close(w), adapter_ok(id, NULL);
    else if (strcmp(op, "streamSubscribe") == 0)
        adapter_stream_subscribe(w, id, params);
    else if (strcmp(op, "streamNext") == 0)
        adapter_stream_next(w, id, params);
    else if (strcmp(op, "streamClose") == 0)
        ref_ws_stream_close(w, adapter_str(params, "handle")), adapter_ok(id, NULL);
    else
        return 0;
    return 1;
}

/* One request line; returns 1 when the adapter should exit. */
static int adapter_dispatch(ref_client *c, ref_ws *w, unsigned mutations, const char *line)
{
    cJSON *req = json_guard_parse_str(line), *r;
    const cJSON *id, *params;
    const char *op;
    int quit = 0;
    if (!req) {
        adapter_fail(NULL, "request is not valid JSON");
        return 0;
    }
    id = cJSON_GetObjectItemCaseSensitive(req, "id");
    op = adapter_str(req, "op");
    params = cJSON_GetObjectItemCaseSensitive(req, "params");
    if (!op) {
        adapter_fail(id, "missing op");
    } else if (strcmp(op, "hello") == 0) {
        adapter_hello(id);
    } else if (strcmp(op, "configure") == 0) {
        adapter_configure(c, w, mutations, id, params);
    } else if (strcmp(op, "shutdown") == 0) {
        r = adapter_base(id);
        cJSON_AddTrueToObject(r, "ok");
        adapter_reply(r);
        quit = 1;
    } else if (strcmp(op, "signedCall") == 0) {
        adapter_signed_call(c, id, params);
    } else if (adapter_ws_dispatch(w, id, op, params)) {
        /* answered */
    } else {
        size_t i, n = sizeof adapter_ops / sizeof adapter_ops[0];
        for (i = 0; i < n && strcmp(adapter_ops[i].op, op) != 0; i++)
            ;
        if (i < n) {
            adapter_call(c, id, adapter_ops[i].method, adapter_ops[i].path, adapter_ops[i].sec,
                         params);
        } else {
            r = adapter_base(id);
            cJSON_AddTrueToObject(r, "unsupported");
            adapter_reply(r);
        }
    }
    cJSON_Delete(req);
    return quit;
}

static void adapter_usage(FILE *f)
{
    fputs("usage: binance-ref-adapter [--mutate RULE[,RULE]]\n"
          "The reference C client behind the binance-conform adapter protocol\n"
          "(harness/PROTOCOL.md): JSON lines on stdin, one answer line per request on\n"
          "stdout, logs on stderr. Run it through binance-conform:\n"
          "  binance-conform --adapter build/bin/binance-ref-adapter\n"
          "--mutate RULE breaks one signing/hygiene rule on purpose (the mutants of\n"
          "harness/mutants/README.md), e.g. --mutate raw-utf8.\n", f);
}

int main(int argc, char **argv)
{
    ref_client c;
    ref_ws w;
    unsigned mutations = 0;
    char *line = NULL;
    size_t cap = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mutate") == 0 && i + 1 < argc) {
            if (ref_mutation_parse(argv[++i], &mutations) != 0) {
                fprintf(stderr, "binance-ref-adapter: unknown mutation '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            adapter_usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "binance-ref-adapter: %s '%s'\n",
                    strcmp(argv[i], "--mutate") ? "unknown option" : "missing the RULE of", argv[i]);
            adapter_usage(stderr);
            return 2;
        }
    }
    ref_client_init(&c);
    ref_ws_init(&w);
    while (getline(&line, &cap, stdin) > 0) {
        if (line[0] == '\n')
            continue;
        if (adapter_dispatch(&c, &w, mutations, line))
            break;
    }
    free(line);
    ref_ws_release(&w);
    ref_client_free(&c);
    return 0;
}
