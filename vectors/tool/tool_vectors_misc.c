/* tool_vectors_misc: runners for canonical_payload.json (request -> payload,
 * payload status, signature location) and timing.json (serverTime,
 * timestamp, recvWindow -> verdict with the exact code, message, status). */
#include "tool.h"
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "errors.h"
#include "payload.h"
#include "timing.h"

static const char *jstr(const cJSON *o, const char *name) {
    return cJSON_GetStringValue(cJSON_GetObjectItem(o, name));
}

static const char *status_name(payload_status s) {
    switch (s) {
    case PAYLOAD_OK: return "OK";
    case PAYLOAD_NO_SIGNATURE: return "NO_SIGNATURE";
    case PAYLOAD_SIG_NOT_LAST: return "SIG_NOT_LAST";
    case PAYLOAD_SIG_TWICE: return "SIG_TWICE";
    case PAYLOAD_OOM: return "OOM";
    }
    return "?";
}

static void rest_payload_test(vec_run *v, const cJSON *t) {
    const char *q = jstr(t, "query"), *b = jstr(t, "body"), *want = jstr(t, "payload");
    const char *st_want = jstr(t, "payloadStatus"), *sig_want = jstr(t, "signatureRaw");
    const char *src_want = jstr(t, "signatureSource");
    if (!q || !b || !want || !st_want) { vec_fail(v, t, "missing query/body/payload/payloadStatus"); return; }
    buf_t out = BUF_INIT;
    payload_sig ps;
    payload_status st = payload_rest(&out, q, strlen(q), b, strlen(b), &ps);
    if (strcmp(buf_cstr(&out), want) != 0)
        vec_fail(v, t, "payload differs:\n  got  %s\n  want %s", buf_cstr(&out), want);
    else if (strcmp(status_name(st), st_want) != 0)
        vec_fail(v, t, "payload status %s, expected %s", status_name(st), st_want);
    else if (sig_want && (!ps.raw || ps.raw_len != strlen(sig_want) || memcmp(ps.raw, sig_want, ps.raw_len)))
        vec_fail(v, t, "signature located as '%.*s'", ps.raw ? (int)ps.raw_len : 0, ps.raw ? ps.raw : "");
    else if (src_want && strcmp(src_want, ps.src == PARAM_BODY ? "body" : "query") != 0)
        vec_fail(v, t, "signature found in the %s", ps.src == PARAM_BODY ? "body" : "query");
    else vec_pass(v, t);
    buf_free(&out);
}

static void ws_payload_test(vec_run *v, const cJSON *t) {
    const char *frame = jstr(t, "frame"), *want = jstr(t, "payload"), *p;
    size_t n;
    char err[160];
    if (!frame || !want) { vec_fail(v, t, "missing frame/payload"); return; }
    params_t prm;
    params_init(&prm);
    buf_t out = BUF_INIT;
    if (tool_ws_params(frame, strlen(frame), &p, &n, err, sizeof(err)) < 0) vec_fail(v, t, "%s", err);
    else if (params_parse_json(&prm, p, n) != 0) vec_fail(v, t, "params do not parse");
    else if (payload_ws(&out, &prm) != 0) vec_fail(v, t, "out of memory");
    else if (strcmp(buf_cstr(&out), want) != 0)
        vec_fail(v, t, "payload differs:\n  got  %s\n  want %s", buf_cstr(&out), want);
    else vec_pass(v, t);
    params_free(&prm);
    buf_free(&out);
}

int vec_run_payloads(vec_run *v, const cJSON *root) {
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        int ws = !strcmp(jstr(g, "type") ? jstr(g, "type") : "", "WsPayloadTest");
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            if (ws) ws_payload_test(v, t);
            else rest_payload_test(v, t);
        }
    }
    return 0;
}

static void timing_test(vec_run *v, const timing_rule *rule, const cJSON *t) {
    const cJSON *now = cJSON_GetObjectItem(t, "serverTimeUs");
    const char *result = jstr(t, "result");
    if (!cJSON_IsNumber(now) || !result) { vec_fail(v, t, "missing serverTimeUs/result"); return; }
    const char *bad = NULL;
    err_id got = timing_verify(rule, jstr(t, "timestamp"), jstr(t, "recvWindow"), (int64_t)now->valuedouble, &bad);
    const cJSON *e = cJSON_GetObjectItem(t, "error");
    if (!strcmp(result, "valid")) {
        if (got == ERR_NONE) vec_pass(v, t);
        else vec_fail(v, t, "rejected with %s, expected accepted", err_get(got) ? err_get(got)->id_name : "?");
        return;
    }
    const err_def *d = err_get(got);
    char msg[512];
    err_format(msg, sizeof(msg), got, bad, NULL);
    const char *want_id = jstr(e, "id"), *want_msg = jstr(e, "msg");
    const cJSON *code = cJSON_GetObjectItem(e, "code"), *status = cJSON_GetObjectItem(e, "httpStatus");
    if (!d) vec_fail(v, t, "accepted, expected %s", want_id ? want_id : "an error");
    else if (!want_id || strcmp(d->id_name, want_id) != 0)
        vec_fail(v, t, "error %s, expected %s", d->id_name, want_id ? want_id : "?");
    else if (!cJSON_IsNumber(code) || code->valueint != d->code)
        vec_fail(v, t, "code %d differs from the vector's", d->code);
    else if (!want_msg || strcmp(msg, want_msg) != 0)
        vec_fail(v, t, "message differs:\n  got  %s\n  want %s", msg, want_msg ? want_msg : "");
    else if (!cJSON_IsNumber(status) || status->valueint != d->http_status)
        vec_fail(v, t, "HTTP status %d differs from the vector's", d->http_status);
    else vec_pass(v, t);
}

int vec_run_timing(vec_run *v, const cJSON *root) {
    timing_rule rule;
    timing_rule_default(&rule);
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) timing_test(v, &rule, t);
    }
    return 0;
}
