/* server_core: binance-mock's transport over a real socket - readiness,
 * Binance headers, 404/405, X-MBX-TIME-UNIT, parameter parsing errors,
 * the journal, many keep-alive clients, command line and SIGTERM. */
#include <stdio.h>
#include <stdlib.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include "bcs_test.h"

#define T0 1767225600000LL    /* 2026-01-01T00:00:00Z, the frozen clock */

static void test_ping_headers(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "{}");
    assert_string_equal(bcs_header(&r, "Content-Type"), "application/json;charset=UTF-8");
    assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
    assert_true(atoi(bcs_header(&r, "X-MBX-USED-WEIGHT-1M")) >= 1);
    assert_string_equal(bcs_header(&r, "X-MBX-USED-WEIGHT"), bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
    bcs_resp_free(&r);
}

typedef struct tu_case { const char *header; int expect_us; err_id err; } tu_case;

static void test_time_unit(void **state)
{
    static const tu_case cases[] = {
        { NULL, 0, ERR_NONE },
        { "X-MBX-TIME-UNIT: MILLISECOND", 0, ERR_NONE },
        { "X-MBX-TIME-UNIT: millisecond", 0, ERR_NONE },
        { "X-MBX-TIME-UNIT: MICROSECOND", 1, ERR_NONE },
        { "X-MBX-TIME-UNIT: microsecond", 1, ERR_NONE },
        { "X-MBX-TIME-UNIT: SECOND", 0, ERR_INVALID_TIME_UNIT },
        { "X-MBX-TIME-UNIT: Microsecond", 0, ERR_INVALID_TIME_UNIT },
    };
    bcs_mock *m = *state;
    assert_int_equal(bcs_clock_freeze(m, T0), 200);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *h[] = { cases[i].header, NULL };
        bcs_resp r;
        assert_int_equal(bcs_http(m, "GET", "/api/v3/time", h, NULL, &r), 0);
        if (cases[i].err) {
            bcs_assert_err(&r, cases[i].err, NULL, NULL);
        } else {
            assert_int_equal(r.status, 200);
            double t = cJSON_GetObjectItem(r.json, "serverTime")->valuedouble;
            assert_true(t == (cases[i].expect_us ? (double)T0 * 1000 : (double)T0));
        }
        assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
        bcs_resp_free(&r);
    }
    assert_int_equal(bcs_clock_unfreeze(m), 200);
}

static void test_unknown_route(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/nope", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
    bcs_resp_free(&r);
    assert_int_equal(bcs_http(m, "POST", "/api/v3/ping", NULL, "", &r), 0);
    assert_int_equal(r.status, 405);
    bcs_resp_free(&r);
}

typedef struct param_case { const char *target; err_id err; const char *a1, *a2; } param_case;

/* Parameter problems on a NONE endpoint, each a data row. */
static void test_param_errors(void **state)
{
    static const param_case cases[] = {
        { "/api/v3/ping?a=1&a=2", ERR_DUPLICATE_PARAMETER, NULL, NULL },
        { "/api/v3/ping?x=%zz", ERR_ILLEGAL_CHARS, NULL, NULL },
        { "/api/v3/ping?x=%C3%28", ERR_ILLEGAL_CHARS, NULL, NULL },
        { "/api/v3/ping?x=%", ERR_ILLEGAL_CHARS, NULL, NULL },
        { "/api/v3/ping?x=1", ERR_UNREAD_PARAMETERS_N, "0", "1" },
        { "/api/v3/ping?x=1&y=2&x2=3", ERR_UNREAD_PARAMETERS_N, "0", "3" },
        { "/api/v3/time?foo=bar", ERR_UNREAD_PARAMETERS_N, "0", "1" },
    };
    bcs_mock *m = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bcs_resp r;
        assert_int_equal(bcs_http(m, "GET", cases[i].target, NULL, NULL, &r), 0);
        bcs_assert_err(&r, cases[i].err, cases[i].a1, cases[i].a2);
        assert_non_null(bcs_header(&r, "X-MBX-USED-WEIGHT-1M"));
        bcs_resp_free(&r);
    }
}

static void test_journal(void **state)
{
    bcs_mock *m = *state;
    bcs_resp r, j;
    assert_int_equal(bcs_admin(m, "DELETE", "/__admin/journal", NULL, NULL), 200);
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping?zz=1", NULL, NULL, &r), 0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &j), 200);
    cJSON *entries = cJSON_GetObjectItem(j.json, "entries");
    assert_int_equal(cJSON_GetArraySize(entries), 1);
    cJSON *e = cJSON_GetArrayItem(entries, 0);
    assert_string_equal(cJSON_GetObjectItem(e, "transport")->valuestring, "rest");
    assert_string_equal(cJSON_GetObjectItem(e, "method")->valuestring, "GET");
    assert_string_equal(cJSON_GetObjectItem(e, "path")->valuestring, "/api/v3/ping");
    assert_string_equal(cJSON_GetObjectItem(e, "query")->valuestring, "zz=1");
    assert_string_equal(cJSON_GetObjectItem(e, "route")->valuestring, "GET /api/v3/ping");
    assert_string_equal(cJSON_GetObjectItem(e, "security")->valuestring, "NONE");
    assert_string_equal(cJSON_GetObjectItem(e, "clientIp")->valuestring, "127.0.0.1");
    assert_int_equal(cJSON_GetObjectItem(e, "status")->valueint, 400);
    assert_int_equal(cJSON_GetObjectItem(e, "code")->valueint, -1104);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "verdict")));
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(e, "headers")));
    long id = (long)cJSON_GetObjectItem(e, "id")->valuedouble;
    cJSON *one = bcs_journal_entry(m, id);
    assert_non_null(one);
    assert_int_equal((long)cJSON_GetObjectItem(one, "id")->valuedouble, id);
    cJSON_Delete(one);
    /* since=id: nothing newer */
    char path[80];
    bcs_resp k;
    snprintf(path, sizeof path, "/__admin/journal?since=%ld", id);
    assert_int_equal(bcs_admin(m, "GET", path, NULL, &k), 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(k.json, "entries")), 0);
    bcs_resp_free(&k);
    bcs_resp_free(&j);
}

/* Many persistent connections, each used several times, interleaved. */
static void test_many_keepalive_clients(void **state)
{
    enum { N = 48, ROUNDS = 3 };
    bcs_mock *m = *state;
    bcs_conn c[N];
    char req[200];
    int n = snprintf(req, sizeof req, "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n");
    for (int i = 0; i < N; i++) assert_int_equal(bcs_conn_open(&c[i], m), 0);
    for (int k = 0; k < ROUNDS; k++) {
        for (int i = 0; i < N; i++) assert_int_equal(bcs_conn_send(&c[i], req, (size_t)n), 0);
        for (int i = 0; i < N; i++) {
            bcs_resp r;
            assert_int_equal(bcs_conn_recv(&c[i], &r, 10000), 0);
            assert_int_equal(r.status, 200);
            bcs_resp_free(&r);
        }
    }
    for (int i = 0; i < N; i++) bcs_conn_close(&c[i]);
}

/* More keep-alive clients than worker threads: idle connections release
 * their thread after --keep-alive-ms, so every client is answered. */
static void test_clients_more_than_threads(void **state)
{
    enum { N = 12 };
    (void)state;
    const char *args[] = { "--threads", "4", "--keep-alive-ms", "200", NULL };
    bcs_mock m;
    bcs_conn c[N];
    const char req[] = "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(bcs_mock_start(&m, args), 0);
    for (int i = 0; i < N; i++) assert_int_equal(bcs_conn_open(&c[i], &m), 0);
    for (int i = 0; i < N; i++) assert_int_equal(bcs_conn_send(&c[i], req, sizeof req - 1), 0);
    for (int i = 0; i < N; i++) {
        bcs_resp r;
        assert_int_equal(bcs_conn_recv(&c[i], &r, 15000), 0);
        assert_int_equal(r.status, 200);
        bcs_resp_free(&r);
    }
    for (int i = 0; i < N; i++) bcs_conn_close(&c[i]);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

static int run_mock(const char *const *args)
{
    const char *bin = getenv("BINANCE_MOCK");
    const char *argv[16] = { bin };
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 15; i++) argv[n++] = args[i];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int st = -1;
    if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, NULL) == 0) waitpid(pid, &st, 0);
    posix_spawn_file_actions_destroy(&fa);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

typedef struct flag_case { const char *args[6]; int exit_code; } flag_case;

static void test_flags(void **state)
{
    static const flag_case cases[] = {
        { { "--help" }, 0 },
        { { "--bogus" }, 2 },
        { { "--listen" }, 2 },
        { { "--listen", "nohostport" }, 2 },
        { { "--listen", "127.0.0.1:99999" }, 2 },
        { { "--profile", "2019" }, 2 },
        { { "--rate-limits", "maybe" }, 2 },
        { { "--threads", "0" }, 2 },
        { { "--recv-window-error", "1000" }, 2 },
        { { "--check-order", "random" }, 2 },
        { { "--explain", "maybe" }, 2 },
        { { "--keep-alive-ms", "1" }, 2 },
        { { "--ws-ping-interval-ms", "0" }, 2 },
        { { "--ws-pong-timeout-ms", "x" }, 2 },
        { { "--ws-max-lifetime-ms", "-5" }, 2 },
        { { "--ws-max-connections", "0" }, 2 },
        { { "--tls-cert", "/nonexistent" }, 2 },
        { { "--keys", "/nonexistent/registry.json", "--listen", "127.0.0.1:0" }, 1 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(run_mock(cases[i].args), cases[i].exit_code);
}

/* The --ws-* flags reach the WebSocket layer (as its admin config shows). */
static void test_ws_flags(void **state)
{
    static const char *const args[] = { "--ws-ping-interval-ms", "1234", "--ws-pong-timeout-ms", "5000",
                                         "--ws-max-lifetime-ms", "60000", "--ws-max-connections", "7",
                                         "--ws-lenient", NULL };
    bcs_mock m;
    bcs_resp r;
    (void)state;
    assert_int_equal(bcs_mock_start(&m, args), 0);
    assert_int_equal(bcs_admin(&m, "GET", "/__admin/ws/config", NULL, &r), 200);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "pingIntervalMs")) == 1234.0);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "pongTimeoutMs")) == 5000.0);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "maxLifetimeMs")) == 60000.0);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(r.json, "maxConnections")) == 7.0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "lenient")));
    bcs_resp_free(&r);
    bcs_mock_stop(&m);
}

typedef struct reg_case { const char *json; const char *says; } reg_case;

/* A broken key registry stops the server with exit 1 and a clear message. */
static void test_bad_registry(void **state)
{
    static const reg_case cases[] = {
        { "not json", "not valid JSON" },
        { "{\"accounts\":{}}", "\"accounts\" array" },
        { "{\"accounts\":[{\"keys\":[]}]}", "without a \"name\"" },
        { "{\"accounts\":[{\"name\":\"a\",\"keys\":[{\"apiKey\":\"k1\",\"type\":\"DSA\",\"secret\":\"x\"}]}]}", "must be HMAC, RSA or ED25519" },
        { "{\"accounts\":[{\"name\":\"a\",\"keys\":[{\"apiKey\":\"k1\",\"type\":\"HMAC\"}]}]}", "missing \"secret\"" },
        { "{\"accounts\":[{\"name\":\"a\",\"keys\":[{\"apiKey\":\"k1\",\"type\":\"RSA\",\"publicKey\":\"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n\"}]}]}", "k1" },
        { "{\"accounts\":[{\"name\":\"a\",\"keys\":[{\"apiKey\":\"k1\",\"type\":\"HMAC\",\"secret\":\"s\",\"permissions\":[\"ALL\"]}]}]}", "unknown permission" },
        { "{\"accounts\":[{\"name\":\"a\",\"keys\":[{\"apiKey\":\"bad key\",\"type\":\"HMAC\",\"secret\":\"s\"}]}]}", "valid \"apiKey\"" },
    };
    (void)state;
    char *dir = bcs_tmpdir();
    assert_non_null(dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char reg[600], errf[600], cmd[2000];
        snprintf(reg, sizeof reg, "%s/reg.json", dir);
        snprintf(errf, sizeof errf, "%s/err.txt", dir);
        FILE *f = fopen(reg, "w");
        assert_non_null(f);
        fputs(cases[i].json, f);
        fclose(f);
        snprintf(cmd, sizeof cmd, "'%s' --listen 127.0.0.1:0 --keys '%s' >/dev/null 2>'%s'", getenv("BINANCE_MOCK"), reg, errf);
        int st = system(cmd);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
        f = fopen(errf, "r");
        assert_non_null(f);
        char msg[1024] = "";
        size_t n = fread(msg, 1, sizeof msg - 1, f);
        msg[n] = 0;
        fclose(f);
        if (!strstr(msg, cases[i].says)) fail_msg("registry %zu: '%s' lacks '%s'", i, msg, cases[i].says);
        assert_non_null(strstr(msg, "binance-mock: key registry"));
    }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* A port in use: exit 1 with a message, the running server is unharmed. */
static void test_port_in_use(void **state)
{
    bcs_mock *m = *state;
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", m->port);
    const char *args[] = { "--listen", listen, NULL };
    assert_int_equal(run_mock(args), 1);
    bcs_resp r;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
}

static void test_sigterm_clean_exit(void **state)
{
    (void)state;
    bcs_mock m;
    bcs_resp r;
    assert_int_equal(bcs_mock_start(&m, NULL), 0);
    assert_int_equal(bcs_http(&m, "GET", "/api/v3/ping", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    bcs_resp_free(&r);
    assert_int_equal(bcs_mock_stop(&m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ping_headers),
        cmocka_unit_test(test_time_unit),
        cmocka_unit_test(test_unknown_route),
        cmocka_unit_test(test_param_errors),
        cmocka_unit_test(test_journal),
        cmocka_unit_test(test_many_keepalive_clients),
        cmocka_unit_test(test_clients_more_than_threads),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_ws_flags),
        cmocka_unit_test(test_bad_registry),
        cmocka_unit_test(test_port_in_use),
        cmocka_unit_test(test_sigterm_clean_exit),
    };
    return cmocka_run_group_tests_name("server_core", tests, bcs_group_setup, bcs_group_stop);
}
