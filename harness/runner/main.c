/* binance-conform: the conformance runner's command line. Starts the
 * adapter and (unless --server) its own binance-mock, runs every selected
 * case through cmocka (one cmocka test per case; our own verdict capture,
 * because cmocka knows only pass/fail/skip and we grade five verdicts),
 * prints a line per case and a summary, writes the reports, and exits
 * non-zero iff a case FAILs (or is NON-STRICT under --strict), or, with
 * --expect FILE, iff the verdicts differ from the expected-results file. */
#define _GNU_SOURCE
#include "bc_version.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "conform.h"
#include "json_guard.h"

#ifndef BC_HARNESS_DIR
#define BC_HARNESS_DIR "harness"
#endif

typedef struct case_slot {
    conform_ctx *cx;
    conform_case *c;
} case_slot;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: binance-conform --adapter \"CMD ARGS\" [--cases PATTERN[,PATTERN]]\n"
        "                       [--key-types hmac,rsa,ed25519] [--report DIR] [--strict]\n"
        "                       [--server URL [--admin-token T] | --mock PATH] [--expect FILE]\n"
        "                       [--timeout MS] [--cases-dir DIR] [--list]\n"
        "       binance-conform --matrix DIR|EXPECTED.json... [--out FILE.html] [--cases-dir DIR]\n"
        "                       (writes FILE.html, FILE.md and FILE.json: library x case,\n"
        "                       verdict + reason; an expected-results file gives its pinned verdicts)\n"
        "       binance-conform --version\n"
        "       binance-conform --from-report DIR --expect FILE\n"
        "Runs the conformance cases against a client library's adapter (harness/PROTOCOL.md).\n"
        "Exit: 0 all good, 1 a case FAILed (or NON-STRICT with --strict, or --expect differs),\n"
        "      2 usage or setup error.\n");
}

static void conform_test(void **state)
{
    case_slot *s = *state;
    conform_case *c = s->c;
    run_case(s->cx, c);
    printf("%-11s %-44s %s (%.0f ms)%s%s\n", verdict_name(c->v), c->id, c->title, c->ms,
           c->reason[0] ? " - " : "", c->reason);
    fflush(stdout);
    if (c->v == V_FAIL || (c->v == V_NONSTRICT && s->cx->o.strict))
        fail_msg("%s: %s", c->id, c->reason);
    if (c->v == V_UNSUPPORTED)
        skip();
}

static int run_all_cmocka(conform_ctx *cx)
{
    struct CMUnitTest *tests = calloc(cx->cases.n + 1, sizeof *tests);
    case_slot *slots = calloc(cx->cases.n + 1, sizeof *slots);
    char xml[4096], log[4096];
    int saved, quiet;
    if (!tests || !slots) {
        free(tests);
        free(slots);
        return -1;
    }
    for (size_t i = 0; i < cx->cases.n; i++) {
        slots[i].cx = cx;
        slots[i].c = &cx->cases.v[i];
        tests[i].name = cx->cases.v[i].id;
        tests[i].test_func = conform_test;
        tests[i].initial_state = &slots[i];
    }
    /* cmocka's own console output would interleave with ours: send its
     * (JUnit-style) XML to a side file instead. */
    if (cx->o.report_dir)
        snprintf(xml, sizeof xml, "%s/cmocka.xml", cx->o.report_dir);
    else
        snprintf(xml, sizeof xml, "/tmp/binance-conform-cmocka-%ld.xml", (long)getpid());
    unlink(xml);
    setenv("CMOCKA_XML_FILE", xml, 1);
    cmocka_set_message_output(CM_OUTPUT_XML);
    /* cmocka also prints failures on stderr: our progress lines already
     * carry them, so park stderr in a side log during the run. */
    snprintf(log, sizeof log, "%s/cmocka.log", cx->o.report_dir ? cx->o.report_dir : "/tmp");
    fflush(stderr);
    saved = dup(2);
    quiet = open(cx->o.report_dir ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (quiet >= 0)
        dup2(quiet, 2);
    _cmocka_run_group_tests("binance-conform", tests, cx->cases.n, NULL, NULL);
    fflush(stderr);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (quiet >= 0)
        close(quiet);
    if (!cx->o.report_dir)
        unlink(xml);
    free(tests);
    free(slots);
    return 0;
}

static int parse_key_types(const char *s, unsigned *mask, int order[KT__COUNT])
{
    char tmp[128], *save = NULL, *tok;
    int n = 0;
    *mask = 0;
    snprintf(tmp, sizeof tmp, "%s", s);
    for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int kt = kt_parse(tok);
        if (kt < 0)
            return -1;
        if (!(*mask & (1u << kt)) && n < KT__COUNT)
            order[n++] = kt;
        *mask |= 1u << kt;
    }
    for (; n < KT__COUNT; n++)
        order[n] = -1;
    return *mask ? 0 : -1;
}

static void default_mock_path(char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
    const char *env = getenv("BINANCE_MOCK");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return;
    }
    if (l > 0) {
        self[l] = '\0';
        snprintf(out, n, "%s/binance-mock", dirname(self));
    } else {
        snprintf(out, n, "binance-mock");
    }
}

/* Drop cases whose explicit key type is excluded by --key-types. */
static void filter_key_types(case_list *cl, unsigned mask)
{
    size_t w = 0;
    for (size_t i = 0; i < cl->n; i++) {
        int kt = case_key_type(&cl->v[i]);
        if (kt >= 0 && !(mask & (1u << kt))) {
            conform_case tmp = cl->v[i];
            free(tmp.id);
            free(tmp.title);
            free(tmp.path);
            cJSON_Delete(tmp.doc);
            continue;
        }
        cl->v[w++] = cl->v[i];
    }
    cl->n = w;
}

static int start_server(conform_ctx *cx, char *err, size_t n)
{
    char mock_path[PATH_MAX], log[PATH_MAX];
    if (cx->o.server) {
        snprintf(cx->server_url, sizeof cx->server_url, "%s", cx->o.server);
    } else {
        if (cx->o.mock_path)
            snprintf(mock_path, sizeof mock_path, "%s", cx->o.mock_path);
        else
            default_mock_path(mock_path, sizeof mock_path);
        if (cx->o.report_dir)
            snprintf(log, sizeof log, "%s/binance-mock.log", cx->o.report_dir);
        else
            snprintf(log, sizeof log, "/tmp/binance-conform-mock-%ld.log", (long)getpid());
        if (mock_start(&cx->mock, mock_path, log, err, n) != 0)
            return -1;
        snprintf(cx->server_url, sizeof cx->server_url, "%s", cx->mock.url);
    }
    if (cx->o.admin_token)
        snprintf(cx->srv.auth, sizeof cx->srv.auth, "Authorization: Bearer %.256s\r\n",
                 cx->o.admin_token);
    if (http_url_parse(&cx->srv.u, cx->server_url) != 0)
        return snprintf(err, n, "server URL must be http://host:port, got '%s'", cx->server_url), -1;
    return 0;
}

static void shutdown_all(conform_ctx *cx)
{
    char err[256];
    if (adapter_alive(&cx->ad)) {
        cx->ad.timeout_ms = 2000;
        cJSON_Delete(adapter_call(&cx->ad, "shutdown", NULL, err, sizeof err));
    }
    adapter_stop(&cx->ad);
    if (cx->adapter_log_tmp && cx->ad.log_path)
        unlink(cx->ad.log_path);
    free(cx->ad.cmd);
    free(cx->ad.log_path);
    cJSON_Delete(cx->ad.hello);
    buf_free(&cx->ad.rbuf);
    if (cx->mock.log_path) {
        char *log = strdup(cx->mock.log_path);
        mock_stop(&cx->mock);
        if (log && !cx->o.report_dir && !cx->server_dead)
            unlink(log);
        else if (log && cx->server_dead)
            fprintf(stderr, "binance-conform: server log kept: %s\n", log);
        free(log);
    }
    keys_free(&cx->keys);
    cJSON_Delete(cx->symbols);
    cases_free(&cx->cases);
}

static int mode_from_report(const char *dir, const char *expect)
{
    char path[PATH_MAX];
    size_t n = 0;
    char *text;
    cJSON *rep;
    int rc;
    snprintf(path, sizeof path, "%s/report.json", dir);
    text = read_file(path, &n);
    rep = text ? json_guard_parse(text, n) : NULL;
    free(text);
    if (!rep) {
        fprintf(stderr, "binance-conform: cannot read %s\n", path);
        return 2;
    }
    rc = report_expect(rep, expect);
    cJSON_Delete(rep);
    return rc < 0 ? 2 : rc;
}

/* --list: validate and print the selected cases (id, title, spec). */
static int mode_list(conform_ctx *cx)
{
    char err[1024];
    if (cases_load(&cx->cases, cx->o.cases_dir, cx->o.patterns, err, sizeof err) != 0)
        return fprintf(stderr, "binance-conform: %s\n", err), 2;
    filter_key_types(&cx->cases, cx->o.key_types);
    for (size_t i = 0; i < cx->cases.n; i++) {
        const cJSON *spec = cJSON_GetObjectItemCaseSensitive(cx->cases.v[i].doc, "spec");
        const char *fs = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(spec, "factSheet"));
        printf("%-44s %s [%s]\n", cx->cases.v[i].id, cx->cases.v[i].title, fs ? fs : "");
    }
    cases_free(&cx->cases);
    return 0;
}

static int run_main(conform_ctx *cx, const int order[KT__COUNT])
{
    char err[1024], log[PATH_MAX];
    size_t fails = 0, nonstrict = 0;
    int rc;
    if (cases_load(&cx->cases, cx->o.cases_dir, cx->o.patterns, err, sizeof err) != 0)
        return fprintf(stderr, "binance-conform: %s\n", err), 2;
    filter_key_types(&cx->cases, cx->o.key_types);
    if (cx->cases.n == 0)
        return fprintf(stderr, "binance-conform: no case matches\n"), 2;
    if (cx->o.report_dir) {
        if (mkdir_p(cx->o.report_dir) != 0)
            return fprintf(stderr, "binance-conform: cannot create %s: %s\n", cx->o.report_dir,
                           strerror(errno)), 2;
        snprintf(log, sizeof log, "%s/adapter-stderr.log", cx->o.report_dir);
    } else {   /* kept only when the adapter fails to start (named in the message) */
        snprintf(log, sizeof log, "/tmp/binance-conform-adapter-%ld.log", (long)getpid());
        cx->adapter_log_tmp = 1;
    }
    unlink(log);   /* this run's lines only (restarts append) */
    if (adapter_start(&cx->ad, cx->o.adapter_cmd, log, cx->o.timeout_ms, err, sizeof err) != 0) {
        adapter_report_failure(&cx->ad, "cannot start", err);
        cx->adapter_log_tmp = 0;
        return 2;
    }
    if (adapter_hello(&cx->ad, err, sizeof err) != 0) {
        adapter_report_failure(&cx->ad, "hello failed", err);
        cx->adapter_log_tmp = 0;
        return 2;
    }
    cx->default_kt = -1;
    for (int i = 0; i < KT__COUNT && cx->default_kt < 0; i++)
        if (order[i] >= 0 && adapter_has(&cx->ad, kt_name(order[i])))
            cx->default_kt = order[i];
    if (keys_generate(&cx->keys, err, sizeof err) != 0 || start_server(cx, err, sizeof err) != 0)
        return fprintf(stderr, "binance-conform: %s\n", err), 2;
    {
        cJSON *probe = admin_get(&cx->srv, "/__admin/clock", err, sizeof err);
        if (!probe)
            return fprintf(stderr, "binance-conform: the server's admin API is not usable "
                           "(--admin-token?): %s\n", err), 2;
        cJSON_Delete(probe);
    }
    cx->symbols = cJSON_CreateObject();
    printf("binance-conform: %zu case(s), adapter %s %s, server %s\n", cx->cases.n,
           cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cx->ad.hello, "library")),
           cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cx->ad.hello, "version")),
           cx->server_url);
    fflush(stdout);
    run_all_cmocka(cx);
    report_print_summary(cx);
    for (size_t i = 0; i < cx->cases.n; i++) {
        fails += cx->cases.v[i].v == V_FAIL;
        nonstrict += cx->cases.v[i].v == V_NONSTRICT;
    }
    cJSON *rep = report_build(cx);
    if (cx->o.report_dir) {
        if (report_write_all(cx, rep, err, sizeof err) != 0)
            fprintf(stderr, "binance-conform: %s\n", err);
        else
            printf("reports: %s/report.html, report.json, junit.xml\n", cx->o.report_dir);
    }
    if (cx->server_dead) {
        fprintf(stderr, "binance-conform: binance-mock exited during the run: the verdicts after "
                "that point are not about the library (exit 2)\n");
        rc = 2;
    } else if (cx->o.expect_file) {
        int d = report_expect(rep, cx->o.expect_file);
        rc = d < 0 ? 2 : d;
    } else {
        rc = fails || (cx->o.strict && nonstrict) ? 1 : 0;
    }
    cJSON_Delete(rep);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"adapter", 1, 0, 'a'}, {"cases", 1, 0, 'c'}, {"key-types", 1, 0, 'k'},
        {"report", 1, 0, 'r'}, {"strict", 0, 0, 's'}, {"server", 1, 0, 'S'},
        {"mock", 1, 0, 'm'}, {"matrix", 0, 0, 'M'}, {"out", 1, 0, 'o'},
        {"expect", 1, 0, 'e'}, {"from-report", 1, 0, 'f'}, {"timeout", 1, 0, 't'},
        {"cases-dir", 1, 0, 'd'}, {"list", 0, 0, 'l'}, {"admin-token", 1, 0, 'T'}, {"help", 0, 0, 'h'},
        {"version", 0, 0, 'V'}, {0, 0, 0, 0}};
    conform_ctx cx;
    int order[KT__COUNT] = {KT_HMAC, KT_ED25519, KT_RSA}, matrix = 0, list = 0, opt, rc;
    const char *out = NULL, *from = NULL;
    memset(&cx, 0, sizeof cx);
    cx.o.cases_dir = BC_HARNESS_DIR "/cases";
    cx.o.key_types = 7;
    cx.o.timeout_ms = 15000;
    while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (opt) {
        case 'a': cx.o.adapter_cmd = optarg; break;
        case 'c': cx.o.patterns = optarg; break;
        case 'k':
            if (parse_key_types(optarg, &cx.o.key_types, order) != 0)
                return fprintf(stderr, "binance-conform: --key-types takes hmac,rsa,ed25519\n"), 2;
            break;
        case 'r': cx.o.report_dir = optarg; break;
        case 's': cx.o.strict = 1; break;
        case 'S': cx.o.server = optarg; break;
        case 'm': cx.o.mock_path = optarg; break;
        case 'M': matrix = 1; break;
        case 'o': out = optarg; break;
        case 'e': cx.o.expect_file = optarg; break;
        case 'f': from = optarg; break;
        case 't': cx.o.timeout_ms = atoi(optarg) > 0 ? atoi(optarg) : 15000; break;
        case 'd': cx.o.cases_dir = optarg; break;
        case 'l': list = 1; break;
        case 'T': cx.o.admin_token = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("binance-conform %s (git %s)\n", BC_VERSION, BC_GIT_REV); return 0;
        default: usage(stderr); return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (matrix) {
        char err[512], path[PATH_MAX];
        if (optind >= argc)
            return usage(stderr), 2;
        snprintf(path, sizeof path, "%s", out ? out : "matrix.html");
        if (report_matrix(argv + optind, argc - optind, cx.o.cases_dir, path, err, sizeof err) != 0)
            return fprintf(stderr, "binance-conform: %s\n", err), 2;
        printf("matrix: %s (+ .md, .json)\n", path);
        return 0;
    }
    if (list)
        return mode_list(&cx);
    if (from) {
        if (!cx.o.expect_file)
            return fprintf(stderr, "binance-conform: --from-report needs --expect FILE\n"), 2;
        return mode_from_report(from, cx.o.expect_file);
    }
    if (!cx.o.adapter_cmd || optind < argc)
        return usage(stderr), 2;
    rc = run_main(&cx, order);
    shutdown_all(&cx);
    return rc;
}
