/* server_tls: HTTPS with --tls-cert/--tls-key. A self-signed certificate is
 * made at test time with the openssl CLI in a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "bcs_test.h"

typedef struct tls_ctx { char *dir; char cert[512], key[512], key2[512]; } tls_ctx;

static int sh(const char *cmd) { return system(cmd); }

static int setup(void **state)
{
    tls_ctx *t = calloc(1, sizeof *t);
    char cmd[2048];
    if (!t || !(t->dir = bcs_tmpdir())) return -1;
    snprintf(t->cert, sizeof t->cert, "%s/cert.pem", t->dir);
    snprintf(t->key, sizeof t->key, "%s/key.pem", t->dir);
    snprintf(t->key2, sizeof t->key2, "%s/other.pem", t->dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
             "-subj /CN=127.0.0.1 -keyout %s -out %s >/dev/null 2>&1 && "
             "openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out %s >/dev/null 2>&1",
             t->key, t->cert, t->key2);
    if (sh(cmd) != 0) return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tls_ctx *t = *state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    sh(cmd);
    free(t->dir);
    free(t);
    return 0;
}

static void test_https(void **state)
{
    tls_ctx *t = *state;
    const char *args[] = { "--tls-cert", t->cert, "--tls-key", t->key, NULL };
    bcs_mock m;
    bcs_resp r;
    assert_int_equal(bcs_mock_start(&m, args), 0);
    assert_int_equal(strncmp(m.url, "https://127.0.0.1:", 18), 0);
    assert_int_equal(bcs_http(&m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "{}");
    assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
    bcs_resp_free(&r);
    /* a signed request over TLS */
    sig_key *k = bcs_key("ed25519.pem");
    assert_int_equal(bcs_http(&m, "GET", "/api/v3/time", NULL, NULL, &r), 0);
    char q[64];
    snprintf(q, sizeof q, "timestamp=%.0f", cJSON_GetObjectItem(r.json, "serverTime")->valuedouble);
    bcs_resp_free(&r);
    assert_int_equal(bcs_signed(&m, "GET", "/api/v3/account", k, bcs_api_key("ed25519.pem"), q, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    sig_key_free(k);
    /* admin works over TLS too */
    assert_int_equal(bcs_admin(&m, "GET", "/__admin/clock", NULL, NULL), 200);
    /* plain HTTP on the TLS port gets no HTTP answer */
    m.tls = 0;
    int rc = bcs_http(&m, "GET", "/api/v3/ping", NULL, NULL, &r);
    assert_true(rc != 0 || r.status != 200);
    bcs_resp_free(&r);
    m.tls = 1;
    assert_true(bcs_mock_alive(&m));
    assert_int_equal(bcs_mock_stop(&m), 0);
}

static void test_bad_tls_files(void **state)
{
    tls_ctx *t = *state;
    const char *missing[] = { "--tls-cert", "/nonexistent/cert.pem", "--tls-key", t->key, NULL };
    const char *mismatch[] = { "--tls-cert", t->cert, "--tls-key", t->key2, NULL };
    bcs_mock m;
    assert_int_equal(bcs_mock_start(&m, missing), -1);
    assert_int_equal(bcs_mock_start(&m, mismatch), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_https),
        cmocka_unit_test(test_bad_tls_files),
    };
    return cmocka_run_group_tests_name("server_tls", tests, setup, teardown);
}
