/* tool_binsig_mock: the signature vectors replayed against a running
 * binance-mock, so the server, binsig and the vectors agree on every case.
 * REST (rest_*.json): each request is sent byte for byte with its apiKey; an
 * invalid vector must get exactly HTTP 400 {"code":-1022,...} and an
 * X-Mock-Explain journal entry naming the vector's mistake; a valid one must
 * be journalled with signature verdict "valid" and answered 200, or 400 with
 * one of the endpoint's own codes listed in business_code() (the vectors'
 * orders reach the matching engine; a -1021, any other security code or a
 * 5xx fails). WS (ws_*.json): each frame is sent on /ws-api/v3, on a
 * connection opened at a frozen timestamp, synchronised by a ping round trip
 * and replaced before the clock has moved 10 s forward under it (the vectors
 * span years: one shared connection met its 24 h lifetime limit, issue 8);
 * same verdicts, the mistake read from the journal. The clock is frozen at
 * each request's timestamp. timing.json: every case (sub-ms server times
 * frozen with frozen_at_us) is a signed GET /api/v3/account at that frozen
 * time; the response must be exactly 200 with the account body, or exactly
 * the vector's status, code and message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "bcs.h"
#include "bcs_test.h"
#include "pct.h"
#include "ws_client.h"

static const char *jstr(const cJSON *o, const char *name) {
    return cJSON_GetStringValue(cJSON_GetObjectItem(o, name));
}

static cJSON *load(const char *name) {
    const char *root = getenv("BC_SOURCE_DIR");
    char path[2048];
    snprintf(path, sizeof(path), "%s/vectors/%s", root ? root : ".", name);
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot open %s", path);
    buf_t b = BUF_INIT;
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0) assert_int_equal(buf_append(&b, tmp, n), 0);
    fclose(fp);
    cJSON *j = cJSON_ParseWithLength(b.data, b.len);
    buf_free(&b);
    assert_non_null(j);
    return j;
}

/* The request's timestamp in ms (µs timestamps divided), from its payload. */
static int64_t payload_ts_ms(const char *payload) {
    const char *p = strstr(payload, "timestamp=");
    if (!p) return 0;
    long long v = strtoll(p + 10, NULL, 10);
    return v >= 100000000000000LL ? v / 1000 : v;
}

static int setup(void **state) {
    static const char *const args[] = {"--rate-limits", "off", NULL};
    return bcs_group_start(state, args);
}

static const char *journal_mistake(cJSON *entry) {
    const cJSON *x = cJSON_GetObjectItem(entry, "explain");
    return jstr(cJSON_GetObjectItem(x, "mistake"), "id");
}

static int tc(const cJSON *t) { return cJSON_GetObjectItem(t, "tcId")->valueint; }

/* The answers a correctly signed vector may get from its endpoint: the
 * vectors sign requests for the docs' and non-ASCII symbols, reserved
 * characters in newClientOrderId, cancels of orders that do not exist, ...;
 * the signature was checked first, so these prove it passed. */
static int business_code(int code) {
    switch (code) {
    case -1013:   /* Filter failure: the vectors' prices/quantities */
    case -1100:   /* reserved characters in newClientOrderId */
    case -1121:   /* symbols the mock does not list (LTCBTC, non-ASCII) */
    case -2010:   /* insufficient balance */
    case -2011:   /* cancel of an unknown order */
    case -2035:   /* user data subscription already active */
        return 1;
    default:
        return 0;
    }
}

/* A valid vector's answer: HTTP 200 without an error code, or 400 with a
 * business_code(); anything else (-1021, -1022, a 5xx, ...) is wrong. */
static int valid_answer(int status, int code) {
    return status == 200 ? code == 0 : status == 400 && business_code(code);
}

/* The signature verdict of the server's last journal entry ("" if none). */
static const char *last_verdict(bcs_mock *m, char *out, size_t n) {
    bcs_resp jr;
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &jr), 200);
    const cJSON *ents = cJSON_GetObjectItem(jr.json, "entries");
    const char *v = jstr(cJSON_GetArrayItem(ents, cJSON_GetArraySize(ents) - 1), "verdict");
    snprintf(out, n, "%s", v ? v : "");
    bcs_resp_free(&jr);
    return out;
}

/* The journal's diagnosis matches the vector's. The server holds the key
 * registry, so where the signing key is registered it names "other-key"
 * (verified with that key) while the offline vector, explained with the
 * group key alone, says "unknown" or "wrong-key-type" (issue 11). */
static int mistake_agrees(const char *journal, const char *vector) {
    if (!journal || !vector) return 0;
    if (!strcmp(journal, vector)) return 1;
    return !strcmp(journal, "other-key") && (!strcmp(vector, "unknown") || !strcmp(vector, "wrong-key-type"));
}

/* Mismatches are reported and counted, not fatal, so every vector runs and
 * the connection is closed before the test fails. */
#define MISMATCH(...) do { print_error(__VA_ARGS__); print_error("\n"); (*bad)++; } while (0)

/* ---- REST ---- */

static void rest_one(bcs_mock *m, const char *file, const cJSON *g, const cJSON *t, int *bad) {
    const char *q = jstr(t, "query"), *b = jstr(t, "body");
    buf_t req = BUF_INIT;
    assert_int_equal(buf_printf(&req, "%s %s%s%s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MBX-APIKEY: %s\r\n"
                                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n"
                                "Connection: close\r\n\r\n%s",
                                jstr(t, "method"), jstr(t, "path"), *q ? "?" : "", q, jstr(t, "apiKey"),
                                strlen(b), b), 0);
    assert_int_equal(bcs_clock_freeze(m, payload_ts_ms(jstr(t, "payload"))), 200);
    bcs_resp r;
    assert_int_equal(bcs_raw(m, req.data, req.len, &r), 0);
    buf_free(&req);
    int code = bcs_code(&r);
    if (strcmp(jstr(t, "result"), "invalid") != 0) {
        char v[16] = "";
        if (!valid_answer(r.status, code) || strcmp(last_verdict(m, v, sizeof v), "valid"))
            MISMATCH("%s tc %d (%s): valid vector: got %d %d %s, journal verdict '%s'", file, tc(t),
                     jstr(t, "comment"), r.status, code, bcs_msg(&r), v);
    } else if (r.status != 400 || code != -1022 || strcmp(bcs_msg(&r), jstr(cJSON_GetObjectItem(t, "error"), "msg"))) {
        MISMATCH("%s tc %d (%s): expected 400 -1022, got %d %d %s", file, tc(t), jstr(t, "comment"),
                 r.status, code, bcs_msg(&r));
    } else {
        const char *id = bcs_header(&r, "X-Mock-Explain");
        cJSON *e = id ? bcs_journal_entry(m, atol(id)) : NULL;
        const char *got = e ? journal_mistake(e) : NULL;
        if (!mistake_agrees(got, jstr(t, "mistake")))
            MISMATCH("%s tc %d: journal names '%s', vector '%s'", file, tc(t), got ? got : "(none)", jstr(t, "mistake"));
        cJSON_Delete(e);
    }
    bcs_resp_free(&r);
}

static void rest_file(bcs_mock *m, const char *file) {
    int mismatches = 0;
    cJSON *root = load(file);
    int n = 0;
    const cJSON *g, *t;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) { rest_one(m, file, g, t, &mismatches); n++; }
    assert_int_equal(n, cJSON_GetObjectItem(root, "numberOfTests")->valueint);
    cJSON_Delete(root);
    assert_int_equal(bcs_clock_unfreeze(m), 200);
    assert_int_equal(mismatches, 0);
}

static void test_rest_hmac(void **state) { rest_file(*state, "rest_hmac_sha256.json"); }
static void test_rest_rsa(void **state) { rest_file(*state, "rest_rsa.json"); }
static void test_rest_ed25519(void **state) { rest_file(*state, "rest_ed25519.json"); }

/* ---- WebSocket API ---- */

static const char *last_journal_mistake(bcs_mock *m, cJSON **hold) {
    bcs_resp jr;
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &jr), 200);
    const cJSON *ents = cJSON_GetObjectItem(jr.json, "entries");
    cJSON *last = cJSON_DetachItemFromArray((cJSON *)ents, cJSON_GetArraySize(ents) - 1);
    bcs_resp_free(&jr);
    *hold = last;
    return last ? journal_mistake(last) : NULL;
}

/* The connection the WS vectors go through, replaced before the clock's
 * forward moves since it opened reach 10 s: it never meets a server ping
 * (20 s) or its lifetime limit (24 h), whatever years the vectors span. */
typedef struct ws_link { bcws *c; int64_t at_ms, fwd_ms; } ws_link;

static bcws *ws_link_at(ws_link *l, bcs_mock *m, int64_t ts_ms) {
    if (l->c && ts_ms > l->at_ms) l->fwd_ms += ts_ms - l->at_ms;
    l->at_ms = ts_ms;
    if (l->c && l->fwd_ms < 10000) return l->c;
    if (l->c) bcws_close(l->c);
    l->fwd_ms = 0;
    char cerr[256] = "";
    l->c = bcws_open(m->port, "/ws-api/v3", cerr, sizeof(cerr));
    if (!l->c) fail_msg("ws connect: %s", cerr);
    cJSON *sync = bcws_call(l->c, "{\"id\":\"sync\",\"method\":\"ping\"}", 10000);
    if (!sync) fail_msg("no reply to the sync ping");   /* a round trip before the next clock move */
    cJSON_Delete(sync);
    return l->c;
}

static void ws_one(bcs_mock *m, ws_link *l, const char *file, const cJSON *t, int *bad) {
    int64_t ts = payload_ts_ms(jstr(t, "payload"));
    if (bcs_clock_freeze(m, ts) != 200) {
        MISMATCH("%s tc %d: cannot freeze the clock", file, tc(t));
        return;
    }
    cJSON *r = bcws_call(ws_link_at(l, m, ts), jstr(t, "frame"), 10000);
    if (!r) {
        MISMATCH("%s tc %d: no reply", file, tc(t));
        return;
    }
    const cJSON *err = cJSON_GetObjectItem(r, "error");
    int code = err ? cJSON_GetObjectItem(err, "code")->valueint : 0;
    const cJSON *st = cJSON_GetObjectItem(r, "status");
    if (strcmp(jstr(t, "result"), "invalid") != 0) {
        char v[16] = "";
        if (!cJSON_IsNumber(st) || !valid_answer(st->valueint, code) || strcmp(last_verdict(m, v, sizeof v), "valid"))
            MISMATCH("%s tc %d (%s): valid vector: got %d %d %s, journal verdict '%s'", file, tc(t), jstr(t, "comment"),
                     cJSON_IsNumber(st) ? st->valueint : 0, code, err ? jstr(err, "msg") : "", v);
    } else if (code != -1022 || !cJSON_IsNumber(cJSON_GetObjectItem(r, "status")) ||
               cJSON_GetObjectItem(r, "status")->valueint != 400 ||
               strcmp(jstr(err, "msg"), jstr(cJSON_GetObjectItem(t, "error"), "msg"))) {
        MISMATCH("%s tc %d (%s): expected 400 -1022, got %d", file, tc(t), jstr(t, "comment"), code);
    } else {
        cJSON *hold = NULL;
        const char *got = last_journal_mistake(m, &hold);
        if (!mistake_agrees(got, jstr(t, "mistake")))
            MISMATCH("%s tc %d: journal names '%s', vector '%s'", file, tc(t), got ? got : "(none)", jstr(t, "mistake"));
        cJSON_Delete(hold);
    }
    cJSON_Delete(r);
}

static void ws_file(bcs_mock *m, const char *file) {
    int mismatches = 0;
    cJSON *root = load(file);
    int n = 0;
    ws_link link = { NULL, 0, 0 };
    const cJSON *g, *t;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) { ws_one(m, &link, file, t, &mismatches); n++; }
    if (link.c) bcws_close(link.c);
    assert_int_equal(n, cJSON_GetObjectItem(root, "numberOfTests")->valueint);
    cJSON_Delete(root);
    assert_int_equal(bcs_clock_unfreeze(m), 200);
    assert_int_equal(mismatches, 0);
}

static void test_ws_hmac(void **state) { ws_file(*state, "ws_hmac_sha256.json"); }
static void test_ws_rsa(void **state) { ws_file(*state, "ws_rsa.json"); }
static void test_ws_ed25519(void **state) { ws_file(*state, "ws_ed25519.json"); }

/* ---- timing.json ---- */

static void timing_one(bcs_mock *m, const sig_key *k, const char *api, const cJSON *t, int *bad) {
    const char *ts = jstr(t, "timestamp"), *rw = jstr(t, "recvWindow");
    buf_t q = BUF_INIT;
    if (ts) { buf_puts(&q, "timestamp="); assert_int_equal(pct_encode(&q, ts, strlen(ts)), 0); }
    if (rw) { buf_puts(&q, q.len ? "&recvWindow=" : "recvWindow="); assert_int_equal(pct_encode(&q, rw, strlen(rw)), 0); }
    int64_t now_us = (int64_t)cJSON_GetObjectItem(t, "serverTimeUs")->valuedouble;
    char clk[64];
    snprintf(clk, sizeof clk, "{\"frozen_at_us\":%lld}", (long long)now_us);
    assert_int_equal(bcs_admin(m, "POST", "/__admin/clock", clk, NULL), 200);
    bcs_resp r;
    assert_int_equal(bcs_signed(m, "GET", "/api/v3/account", k, api, buf_cstr(&q), NULL, 0, NULL, &r), 0);
    const cJSON *e = cJSON_GetObjectItem(t, "error");
    if (!e) {
        if (r.status != 200 || !cJSON_IsArray(cJSON_GetObjectItem(r.json, "balances")))
            MISMATCH("timing tc %d (%s): expected 200 with balances, got %d %d %s", tc(t), jstr(t, "comment"), r.status, bcs_code(&r), bcs_msg(&r));
    } else if (r.status != cJSON_GetObjectItem(e, "httpStatus")->valueint || bcs_code(&r) != cJSON_GetObjectItem(e, "code")->valueint ||
               strcmp(bcs_msg(&r), jstr(e, "msg"))) {
        MISMATCH("timing tc %d (%s): expected %d %d %s, got %d %d %s", tc(t), jstr(t, "comment"),
                 cJSON_GetObjectItem(e, "httpStatus")->valueint, cJSON_GetObjectItem(e, "code")->valueint, jstr(e, "msg"),
                 r.status, bcs_code(&r), bcs_msg(&r));
    }
    bcs_resp_free(&r);
    buf_free(&q);
}

static void test_timing(void **state) {
    bcs_mock *m = *state;
    cJSON *root = load("timing.json");
    sig_key *k = bcs_key("hmac.secret");
    assert_non_null(k);
    int mismatches = 0, ran = 0;
    const cJSON *g, *t;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            timing_one(m, k, bcs_api_key("hmac.secret"), t, &mismatches);
            ran++;
        }
    sig_key_free(k);
    int want = cJSON_GetObjectItem(root, "numberOfTests")->valueint;
    cJSON_Delete(root);
    assert_int_equal(bcs_clock_unfreeze(m), 200);
    assert_int_equal(ran, want);
    assert_int_equal(mismatches, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rest_hmac),
        cmocka_unit_test(test_rest_rsa),
        cmocka_unit_test(test_rest_ed25519),
        cmocka_unit_test(test_ws_hmac),
        cmocka_unit_test(test_ws_rsa),
        cmocka_unit_test(test_ws_ed25519),
        cmocka_unit_test(test_timing),
    };
    return cmocka_run_group_tests(tests, setup, bcs_group_stop);
}
