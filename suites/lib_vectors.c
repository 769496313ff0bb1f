/* lib_vectors: the known-answer vectors of vectors/ run in-process against
 * lib/ (so the sanitizer build checks lib/ on every vector): timing.json
 * through lib/timing (verdict, error id, code, exact message, HTTP status),
 * canonical_payload.json through lib/payload, and every signature file's
 * requests through lib/payload + lib/sig (payload, received signature,
 * verdict). lib_explain checks the explain diagnoses of the same files.
 * Adding a vector = adding a row to a JSON file; no code here changes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "errors.h"
#include "params.h"
#include "payload.h"
#include "pct.h"
#include "sig.h"
#include "timing.h"

static const char *jstr(const cJSON *o, const char *name) {
    return cJSON_GetStringValue(cJSON_GetObjectItem(o, name));
}

static char *read_file(const char *rel, size_t *len) {
    const char *root = getenv("BC_SOURCE_DIR");
    char path[2048];
    snprintf(path, sizeof(path), "%s/vectors/%s", root ? root : ".", rel);
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot open %s", path);
    buf_t b = BUF_INIT;
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0) assert_int_equal(buf_append(&b, tmp, n), 0);
    fclose(fp);
    assert_int_equal(buf_append(&b, "", 0), 0);
    *len = b.len;
    return buf_steal(&b);
}

static cJSON *load(const char *name) {
    size_t n;
    char *text = read_file(name, &n);
    cJSON *root = cJSON_ParseWithLength(text, n);
    free(text);
    if (!root) fail_msg("%s is not valid JSON", name);
    return root;
}

/* Every test of every group, with a running count checked against numberOfTests. */
#define FOR_TESTS(root, g, t) \
    for (const cJSON *g = cJSON_GetObjectItem(root, "testGroups")->child; g; g = g->next) \
        for (const cJSON *t = cJSON_GetObjectItem(g, "tests")->child; t; t = t->next)

static int tc(const cJSON *t) { return cJSON_GetObjectItem(t, "tcId")->valueint; }

static void check_count(const cJSON *root, int ran) {
    assert_int_equal(cJSON_GetObjectItem(root, "numberOfTests")->valueint, ran);
    assert_true(ran > 0);
}

/* ---- timing.json ---- */

static void test_timing(void **state) {
    (void)state;
    cJSON *root = load("timing.json");
    timing_rule rule;
    timing_rule_default(&rule);
    int ran = 0;
    FOR_TESTS(root, g, t) {
        const char *bad = NULL;
        int64_t now = (int64_t)cJSON_GetObjectItem(t, "serverTimeUs")->valuedouble;
        err_id got = timing_verify(&rule, jstr(t, "timestamp"), jstr(t, "recvWindow"), now, &bad);
        const cJSON *e = cJSON_GetObjectItem(t, "error");
        if (!strcmp(jstr(t, "result"), "valid")) {
            if (got != ERR_NONE) fail_msg("timing tc %d: rejected (%d), expected accepted", tc(t), (int)got);
        } else {
            const err_def *d = err_get(got);
            if (!d) fail_msg("timing tc %d: accepted, expected %s", tc(t), jstr(e, "id"));
            char msg[512];
            err_format(msg, sizeof(msg), got, bad, NULL);
            if (strcmp(d->id_name, jstr(e, "id")) || strcmp(msg, jstr(e, "msg")))
                fail_msg("timing tc %d: %s '%s', expected %s '%s'", tc(t), d->id_name, msg, jstr(e, "id"), jstr(e, "msg"));
            assert_int_equal(d->code, cJSON_GetObjectItem(e, "code")->valueint);
            assert_int_equal(d->http_status, cJSON_GetObjectItem(e, "httpStatus")->valueint);
        }
        ran++;
    }
    check_count(root, ran);
    cJSON_Delete(root);
}

/* ---- canonical_payload.json ---- */

static const char *status_name(payload_status s) {
    static const char *names[] = {"OK", "NO_SIGNATURE", "SIG_NOT_LAST", "SIG_TWICE", "OOM"};
    return (unsigned)s < 5 ? names[s] : "?";
}

/* The raw "params" object of a WS frame (the vectors' frames are simple). */
static void ws_payload(const char *frame, params_t *p, buf_t *out) {
    const char *s = strstr(frame, "\"params\":");
    assert_non_null(s);
    s += 9;
    size_t n = strlen(s);
    assert_true(n >= 2 && s[n - 1] == '}');    /* frames end with the params object then '}' */
    assert_int_equal(params_parse_json(p, s, n - 1), 0);
    assert_int_equal(payload_ws(out, p), 0);
}

static void test_canonical_payload(void **state) {
    (void)state;
    cJSON *root = load("canonical_payload.json");
    int ran = 0;
    FOR_TESTS(root, g, t) {
        buf_t out = BUF_INIT;
        if (jstr(t, "frame")) {
            params_t p;
            params_init(&p);
            ws_payload(jstr(t, "frame"), &p, &out);
            params_free(&p);
        } else {
            const char *q = jstr(t, "query"), *b = jstr(t, "body");
            payload_sig ps;
            payload_status st = payload_rest(&out, q, strlen(q), b, strlen(b), &ps);
            if (strcmp(status_name(st), jstr(t, "payloadStatus")))
                fail_msg("payload tc %d: status %s, expected %s", tc(t), status_name(st), jstr(t, "payloadStatus"));
            const char *raw = jstr(t, "signatureRaw");
            if (raw) {
                assert_non_null(ps.raw);
                assert_int_equal(ps.raw_len, strlen(raw));
                assert_memory_equal(ps.raw, raw, ps.raw_len);
                assert_string_equal(jstr(t, "signatureSource"), ps.src == PARAM_BODY ? "body" : "query");
            }
        }
        if (strcmp(buf_cstr(&out), jstr(t, "payload")))
            fail_msg("payload tc %d:\n  got  %s\n  want %s", tc(t), buf_cstr(&out), jstr(t, "payload"));
        buf_free(&out);
        ran++;
    }
    check_count(root, ran);
    cJSON_Delete(root);
}

/* ---- signature files: payload, received signature, verdict ---- */

static sig_key *group_key(const cJSON *g) {
    sig_key *k = NULL;
    char err[256] = "";
    const char *secret = jstr(g, "secret");
    if (secret) {
        assert_int_equal(sig_key_load(&k, secret, strlen(secret), NULL, err, sizeof(err)), 0);
        return k;
    }
    size_t n;
    char *pem = read_file(jstr(g, "keyFile"), &n);
    if (sig_key_load(&k, pem, n, NULL, err, sizeof(err)) != 0) fail_msg("key %s: %s", jstr(g, "keyFile"), err);
    free(pem);
    return k;
}

static void run_signature_file(const char *name) {
    cJSON *root = load(name);
    int ws = name[0] == 'w', ran = 0;
    for (const cJSON *g = cJSON_GetObjectItem(root, "testGroups")->child; g; g = g->next) {
        sig_key *k = group_key(g);
        for (const cJSON *t = cJSON_GetObjectItem(g, "tests")->child; t; t = t->next) {
            buf_t payload = BUF_INIT, sig = BUF_INIT;
            params_t p;
            params_init(&p);
            payload_status st = PAYLOAD_OK;
            if (ws) {
                ws_payload(jstr(t, "frame"), &p, &payload);
                const char *s = params_value(&p, "signature");
                assert_non_null(s);
                assert_int_equal(buf_puts(&sig, s), 0);
            } else {
                const char *q = jstr(t, "query"), *b = jstr(t, "body");
                payload_sig ps;
                st = payload_rest(&payload, q, strlen(q), b, strlen(b), &ps);
                assert_non_null(ps.raw);
                assert_int_equal(pct_decode(&sig, ps.raw, ps.raw_len, 1, NULL), PCT_OK);
            }
            if (strcmp(buf_cstr(&payload), jstr(t, "payload")))
                fail_msg("%s tc %d: payload\n  got  %s\n  want %s", name, tc(t), buf_cstr(&payload), jstr(t, "payload"));
            if (strcmp(buf_cstr(&sig), jstr(t, "signature")))
                fail_msg("%s tc %d: received signature '%s'", name, tc(t), buf_cstr(&sig));
            int valid = st == PAYLOAD_OK && sig_verify(k, payload.data, payload.len, sig.data, sig.len) == 1;
            int want = strcmp(jstr(t, "result"), "invalid") != 0;
            if (valid != want) fail_msg("%s tc %d: verified %d, expected %s", name, tc(t), valid, jstr(t, "result"));
            buf_free(&payload);
            buf_free(&sig);
            params_free(&p);
            ran++;
        }
        sig_key_free(k);
    }
    check_count(root, ran);
    cJSON_Delete(root);
}

static void test_rest_hmac(void **state) { (void)state; run_signature_file("rest_hmac_sha256.json"); }
static void test_rest_rsa(void **state) { (void)state; run_signature_file("rest_rsa.json"); }
static void test_rest_ed25519(void **state) { (void)state; run_signature_file("rest_ed25519.json"); }
static void test_ws_hmac(void **state) { (void)state; run_signature_file("ws_hmac_sha256.json"); }
static void test_ws_rsa(void **state) { (void)state; run_signature_file("ws_rsa.json"); }
static void test_ws_ed25519(void **state) { (void)state; run_signature_file("ws_ed25519.json"); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timing),
        cmocka_unit_test(test_canonical_payload),
        cmocka_unit_test(test_rest_hmac),
        cmocka_unit_test(test_rest_rsa),
        cmocka_unit_test(test_rest_ed25519),
        cmocka_unit_test(test_ws_hmac),
        cmocka_unit_test(test_ws_rsa),
        cmocka_unit_test(test_ws_ed25519),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
