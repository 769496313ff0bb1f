/* tool_vectors_sig: the runner for signature vector files (rest_*.json,
 * ws_*.json). Per test: re-derive the payload from the request with
 * lib/payload, compare the signature the server reads, verify it with the
 * group's key (lib/sig) against the expected result, and run lib/explain:
 * its verdict must agree and, for invalid tests, it must name the mistake. */
#include "tool.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include "explain.h"
#include "payload.h"
#include "pct.h"

static const char *jstr(const cJSON *o, const char *name) {
    return cJSON_GetStringValue(cJSON_GetObjectItem(o, name));
}

/* The group's key: inline HMAC secret, else keyFile relative to the file's dir. */
static sig_key *group_key(vec_run *v, const cJSON *g) {
    const char *secret = jstr(g, "secret"), *file = jstr(g, "keyFile");
    buf_t text = BUF_INIT;
    sig_key *k = NULL;
    char err[256] = "";
    if (secret) {
        if (sig_key_load(&k, secret, strlen(secret), NULL, err, sizeof(err)) != 0) k = NULL;
    } else if (file) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", v->dir, file);
        if (tool_read_file(path, &text) == 0 &&
            sig_key_load(&k, text.data, text.len, NULL, err, sizeof(err)) != 0)
            k = NULL;
    }
    if (text.data) OPENSSL_cleanse(text.data, text.cap);
    buf_free(&text);
    if (!k) tool_err("vectors: %s: cannot load the group key%s%s", v->file, err[0] ? ": " : "", err);
    return k;
}

/* other-key vectors: the candidate key (candidateKeyFile, relative to the
 * file's dir; an HMAC .secret file's trailing newline is not part of it). */
static sig_key *candidate_key(vec_run *v, const cJSON *t) {
    const char *file = jstr(t, "candidateKeyFile");
    buf_t text = BUF_INIT;
    sig_key *k = NULL;
    char path[4096], err[256] = "";
    if (!file) return NULL;
    snprintf(path, sizeof(path), "%s/%s", v->dir, file);
    if (tool_read_file(path, &text) == 0) {
        size_t n = text.len;
        if (strstr(file, ".secret") && n && text.data[n - 1] == '\n') n--;
        if (sig_key_load(&k, text.data, n, NULL, err, sizeof(err)) != 0) k = NULL;
    }
    if (text.data) OPENSSL_cleanse(text.data, text.cap);
    buf_free(&text);
    return k;
}

typedef struct sig_case {
    buf_t payload, sig;
    payload_status st;
    params_t ws;             /* WS params (kept alive for explain) */
} sig_case;

/* Derive payload + received signature; -1 with reason in err. */
static int derive_rest(sig_case *c, const cJSON *t, char *err, size_t errlen) {
    const char *q = jstr(t, "query"), *b = jstr(t, "body");
    if (!q || !b) { snprintf(err, errlen, "missing query/body"); return -1; }
    payload_sig ps;
    c->st = payload_rest(&c->payload, q, strlen(q), b, strlen(b), &ps);
    if (c->st == PAYLOAD_OOM) { snprintf(err, errlen, "out of memory"); return -1; }
    if (ps.raw && pct_decode(&c->sig, ps.raw, ps.raw_len, 1, NULL) != PCT_OK) {
        snprintf(err, errlen, "the signature does not percent-decode");
        return -1;
    }
    return 0;
}

static int derive_ws(sig_case *c, const cJSON *t, char *err, size_t errlen) {
    const char *frame = jstr(t, "frame"), *p;
    size_t n;
    if (!frame) { snprintf(err, errlen, "missing frame"); return -1; }
    if (tool_ws_params(frame, strlen(frame), &p, &n, err, errlen) < 0) return -1;
    if (params_parse_json(&c->ws, p, n) != 0) { snprintf(err, errlen, "params do not parse"); return -1; }
    if (payload_ws(&c->payload, &c->ws) != 0) { snprintf(err, errlen, "out of memory"); return -1; }
    const char *s = params_value(&c->ws, "signature");
    c->st = s ? PAYLOAD_OK : PAYLOAD_NO_SIGNATURE;
    if (s) buf_puts(&c->sig, s);
    return 0;
}

static int check_explain(vec_run *v, const cJSON *t, const sig_key *k, sig_case *c, int ws, int expect_valid) {
    explain_result ex;
    explain_init(&ex);
    sig_key *cand = candidate_key(v, t);
    explain_candidate ec = {jstr(t, "candidateKeyFile"), cand};
    if (cand) explain_set_candidates(&ex, &ec, 1);
    const char *q = jstr(t, "query"), *b = jstr(t, "body");
    int rc = ws ? explain_ws(&ex, k, &c->ws) : explain_rest(&ex, k, q, strlen(q), b, strlen(b));
    int ok = 0;
    const char *want = jstr(t, "mistake");
    if (rc != 0) vec_fail(v, t, "explain failed (out of memory)");
    else if ((ex.verdict == EXPLAIN_VALID) != expect_valid)
        vec_fail(v, t, "explain says %s, expected %s", explain_verdict_str(ex.verdict),
                 expect_valid ? "valid" : "invalid");
    else if (!expect_valid && want && strcmp(explain_mistake_id(ex.mistake), want) != 0)
        vec_fail(v, t, "explain names mistake '%s' (basis %s), expected '%s'",
                 explain_mistake_id(ex.mistake), explain_basis_str(ex.basis), want);
    else ok = 1;
    explain_free(&ex);
    sig_key_free(cand);
    return ok;
}

static void run_test(vec_run *v, const cJSON *t, const sig_key *k, int ws) {
    const char *result = jstr(t, "result"), *want_payload = jstr(t, "payload"), *want_sig = jstr(t, "signature");
    if (!result || !want_payload || !want_sig) { vec_fail(v, t, "missing result/payload/signature"); return; }
    int expect_valid = strcmp(result, "invalid") != 0;
    sig_case c;
    memset(&c, 0, sizeof(c));
    params_init(&c.ws);
    char err[256];
    if ((ws ? derive_ws(&c, t, err, sizeof(err)) : derive_rest(&c, t, err, sizeof(err))) < 0)
        vec_fail(v, t, "%s", err);
    else if (strcmp(buf_cstr(&c.payload), want_payload) != 0)
        vec_fail(v, t, "payload differs:\n  got  %s\n  want %s", buf_cstr(&c.payload), want_payload);
    else if (strcmp(buf_cstr(&c.sig), want_sig) != 0)
        vec_fail(v, t, "received signature differs: got '%s'", buf_cstr(&c.sig));
    else {
        int valid = c.st == PAYLOAD_OK && sig_verify(k, c.payload.data, c.payload.len, c.sig.data, c.sig.len) == 1;
        if (valid != expect_valid)
            vec_fail(v, t, "verified %s (%s), expected %s", valid ? "valid" : "invalid",
                     payload_status_str(c.st), result);
        else if (check_explain(v, t, k, &c, ws, expect_valid))
            vec_pass(v, t);
    }
    buf_free(&c.payload);
    buf_free(&c.sig);
    params_free(&c.ws);
}

int vec_run_signatures(vec_run *v, const cJSON *root, int ws) {
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        sig_key *k = group_key(v, g);
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            if (k) run_test(v, t, k, ws);
            else vec_fail(v, t, "no usable key for this group");
        }
        sig_key_free(k);
    }
    return 0;
}
