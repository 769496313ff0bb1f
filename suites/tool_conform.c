/* tool_conform: binance-conform as a process: the shipped case files load
 * and validate (>= 60, unique, well-formed IDs), usage errors exit 2, a hung
 * or garbage-speaking adapter cannot hang the run, a failing hello names the
 * saved stderr log, --expect / --from-report compare verdicts (0 same, 1
 * differ, 2 bad file), --matrix renders several reports side by side, the
 * WebSocket cases issue 5 asks for are shipped (fact sheet §7/§8) and admin
 * steps validate. Live runs (its own binance-mock, the reference adapter's
 * mutants) check issue 11's runner fixes: case isolation of WS connections,
 * the reconnect grace, verdict messages from the journal, refused stream
 * control frames in the reason. The full live gates (reference client,
 * mutants) are the ctest tests conform_* in harness/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

typedef struct tc_env {
    char bin[1024];
    char src[1024];
    char tmp[256];
} tc_env;

static int tc_setup(void **state)
{
    tc_env *e = calloc(1, sizeof *e);
    const char *bin = getenv("BC_BIN_DIR"), *src = getenv("BC_SOURCE_DIR");
    assert_non_null(e);
    assert_non_null(bin);
    assert_non_null(src);
    snprintf(e->bin, sizeof e->bin, "%s/binance-conform", bin);
    snprintf(e->src, sizeof e->src, "%s", src);
    snprintf(e->tmp, sizeof e->tmp, "/tmp/tool_conform.XXXXXX");
    assert_non_null(mkdtemp(e->tmp));
    *state = e;
    return 0;
}

static int tc_teardown(void **state)
{
    tc_env *e = *state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->tmp);
    assert_int_equal(system(cmd), 0);
    free(e);
    return 0;
}

/* Run a shell command line, stdout+stderr into out (may be NULL); exit status. */
static int tc_run(const tc_env *e, const char *args, char *out, size_t n)
{
    char cmd[4096], path[512];
    FILE *f;
    int st;
    size_t r;
    snprintf(path, sizeof path, "%s/out.txt", e->tmp);
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>&1", e->bin, args, path);
    st = system(cmd);
    assert_true(WIFEXITED(st));
    if (out) {
        f = fopen(path, "r");
        assert_non_null(f);
        r = fread(out, 1, n - 1, f);
        out[r] = '\0';
        fclose(f);
    }
    return WEXITSTATUS(st);
}

static void tc_write(const tc_env *e, const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", e->tmp, name);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_shipped_cases_load(void **state)
{
    tc_env *e = *state;
    char args[1200], *out = malloc(1 << 20), *line, *save = NULL;
    int n = 0;
    assert_non_null(out);
    snprintf(args, sizeof args, "--list --cases-dir '%s/harness/cases'", e->src);
    assert_int_equal(tc_run(e, args, out, 1 << 20), 0);
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t idl = strcspn(line, " ");
        assert_true(idl > 3);
        assert_true(strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789.-") == idl);
        assert_non_null(strchr(line, '['));   /* spec section present */
        n++;
    }
    assert_true(n >= 60);
    free(out);
}

static void test_case_patterns_and_key_types(void **state)
{
    tc_env *e = *state;
    char args[1200], out[65536];
    snprintf(args, sizeof args, "--list --cases-dir '%s/harness/cases' --cases 'rest.sig' --key-types ed25519",
             e->src);
    assert_int_equal(tc_run(e, args, out, sizeof out), 0);
    assert_non_null(strstr(out, "rest.sig.ed25519.post-unicode"));
    assert_null(strstr(out, "rest.sig.hmac."));
    assert_null(strstr(out, "time."));
}

static void test_bad_case_file_rejected(void **state)
{
    tc_env *e = *state;
    char args[600], out[4096], dir[400];
    snprintf(dir, sizeof dir, "%s/cases", e->tmp);
    assert_int_equal(mkdir(dir, 0755), 0);
    tc_write(e, "cases/x.json", "{\"id\":\"x.y\",\"title\":\"t\",\"spec\":{},\"steps\":[{\"op\":\"time\"}]}");
    snprintf(args, sizeof args, "--list --cases-dir '%s'", dir);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "expect array"));
}

/* Issue 5's WebSocket cases: present, each citing fact sheet §7 or §8. */
static void test_ws_cases_shipped(void **state)
{
    static const char *const ids[] = {
        "ws.session.ed25519-logon", "ws.sig.hmac.per-request", "ws.sig.rsa.per-request",
        "ws.sig.ed25519.per-request", "ws.sig.hmac.non-ascii", "ws.session.no-timestamp",
        "ws.userdata.fill-events", "ws.reconnect.drop", "ws.reconnect.server-shutdown",
        "stream.depth.local-book",
    };
    tc_env *e = *state;
    char args[1200], *out = malloc(1 << 16), *line, *save = NULL;
    int n = 0;
    assert_non_null(out);
    snprintf(args, sizeof args, "--list --cases-dir '%s/harness/cases' --cases 'ws.*,stream.*'", e->src);
    assert_int_equal(tc_run(e, args, out, 1 << 16), 0);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char want[96];
        snprintf(want, sizeof want, "%s ", ids[i]);
        assert_non_null(strstr(out, want));
    }
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++)
        assert_true(strstr(line, "[§7") || strstr(line, "[§8"));
    assert_true(n >= 15);
    free(out);
}

static void test_admin_step_validates(void **state)
{
    tc_env *e = *state;
    char args[600], out[4096], dir[400];
    snprintf(dir, sizeof dir, "%s/cases", e->tmp);
    assert_int_equal(mkdir(dir, 0755), 0);
    /* an admin step needs no op / expect */
    tc_write(e, "cases/a.json", "{\"id\":\"a.b\",\"title\":\"t\",\"spec\":{\"factSheet\":\"§7\"},\"steps\":["
             "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[]},"
             "{\"admin\":\"POST /__admin/ws/drop\",\"body\":{}}]}");
    snprintf(args, sizeof args, "--list --cases-dir '%s'", dir);
    assert_int_equal(tc_run(e, args, out, sizeof out), 0);
    assert_non_null(strstr(out, "a.b "));
    /* any other step still needs an op */
    tc_write(e, "cases/a.json", "{\"id\":\"a.b\",\"title\":\"t\",\"spec\":{},\"steps\":[{\"expect\":[]}]}");
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "needs an op"));
}

static void test_usage_errors(void **state)
{
    tc_env *e = *state;
    char out[4096];
    assert_int_equal(tc_run(e, "", out, sizeof out), 2);
    assert_non_null(strstr(out, "usage:"));
    assert_int_equal(tc_run(e, "--adapter x --key-types dsa", out, sizeof out), 2);
    assert_int_equal(tc_run(e, "--help", out, sizeof out), 0);
}

static void test_hung_adapter_times_out(void **state)
{
    tc_env *e = *state;
    char args[1200], out[4096];
    snprintf(args, sizeof args, "--cases-dir '%s/harness/cases' --adapter 'exec sleep 20' --timeout 300",
             e->src);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "timeout"));
}

static void test_garbage_adapter(void **state)
{
    tc_env *e = *state;
    char args[1200], out[4096];
    snprintf(args, sizeof args, "--cases-dir '%s/harness/cases' --adapter 'echo hello; echo [1]'",
             e->src);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "adapter"));
}

/* Issue 11: an adapter that dies before answering hello: exit 2, one block
 * on stderr naming the saved stderr log (with its last lines) and the exit
 * status, and no other output around it. */
static void test_hello_failure_names_log(void **state)
{
    tc_env *e = *state;
    char args[2400], out[8192], want[600];
    snprintf(args, sizeof args, "--cases-dir '%s/harness/cases' --report '%s/r' "
             "--adapter 'echo cannot load the library >&2; exit 3'", e->src, e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    /* stdout + stderr: the block and nothing else, in one piece */
    assert_int_equal(strncmp(out, "binance-conform: adapter: hello failed", 38), 0);
    assert_non_null(strstr(out, "hello failed: adapter exited (status 3)"));
    snprintf(want, sizeof want, "adapter stderr saved in %s/r/adapter-stderr.log", e->tmp);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "  | cannot load the library\n"));
    /* without --report the log is kept in /tmp and named all the same */
    snprintf(args, sizeof args, "--cases-dir '%s/harness/cases' --adapter 'echo gone >&2; exit 4'",
             e->src);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    char *p = strstr(out, "adapter stderr saved in /tmp/binance-conform-adapter-");
    assert_non_null(p);
    assert_non_null(strstr(out, "  | gone"));
    p += strlen("adapter stderr saved in ");
    p[strcspn(p, ";")] = '\0';
    assert_int_equal(unlink(p), 0);                     /* it exists: remove it */
}

/* Read DIR/report.json of a run; the case object with that id (caller frees root). */
static cJSON *tc_case(const tc_env *e, const char *dir, const char *id, cJSON **root)
{
    char path[600], *text;
    FILE *f;
    long n;
    const cJSON *c;
    snprintf(path, sizeof path, "%s/%s/report.json", e->tmp, dir);
    f = fopen(path, "r");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *root = cJSON_Parse(text);
    free(text);
    assert_non_null(*root);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(*root, "cases"))
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id")), id) == 0)
            return (cJSON *)c;
    fail_msg("case %s not in the report", id);
    return NULL;
}

static const char *tc_verdict(const cJSON *c)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
}

/* Issue 11: connections of one case do not survive into the next. The
 * ws-keep-old mutant leaves its previous client's API and stream
 * connections open across configure; the server reset closes them, so the
 * next case's drop closes only its own connection (before: 3) and the
 * serverShutdown reaches only its own. */
static void test_cases_isolated_ws(void **state)
{
    tc_env *e = *state;
    char args[2400], dir[400];
    cJSON *root;
    const cJSON *c, *st;
    snprintf(dir, sizeof dir, "%s/cases", e->tmp);
    assert_int_equal(mkdir(dir, 0755), 0);
    tc_write(e, "cases/iso.a.json", "{\"id\":\"iso.a\",\"title\":\"t\",\"spec\":{},\"steps\":["
             "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[{\"check\":\"ok\"}]},"
             "{\"op\":\"streamSubscribe\",\"params\":{\"kind\":\"market\",\"streams\":[\"btcusdt@trade\"]},"
             "\"expect\":[{\"check\":\"ok\"}]}]}");
    tc_write(e, "cases/iso.b.json", "{\"id\":\"iso.b\",\"title\":\"t\",\"spec\":{},\"steps\":["
             "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[{\"check\":\"ok\"}]},"
             "{\"admin\":\"POST /__admin/ws/drop\",\"body\":{}},"
             "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[{\"check\":\"ok\"}]}]}");
    tc_write(e, "cases/iso.c.json", "{\"id\":\"iso.c\",\"title\":\"t\",\"spec\":{},\"steps\":["
             "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[{\"check\":\"ok\"}]},"
             "{\"admin\":\"POST /__admin/ws/shutdown\",\"body\":{\"close\":true}},"
             "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[{\"check\":\"ok\"}]}]}");
    snprintf(args, sizeof args, "--cases-dir '%s' --report '%s/r' --adapter "
             "'%s/binance-ref-adapter --mutate ws-keep-old'", dir, e->tmp, getenv("BC_BIN_DIR"));
    assert_int_equal(tc_run(e, args, NULL, 0), 0);
    c = tc_case(e, "r", "iso.b", &root);
    assert_string_equal(tc_verdict(c), "PASS");
    st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "steps"), 1);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(st, "result"), "dropped")), 1);
    assert_null(cJSON_GetObjectItemCaseSensitive(st, "stillOpen"));   /* gone before the next call */
    cJSON_Delete(root);
    c = tc_case(e, "r", "iso.c", &root);
    assert_string_equal(tc_verdict(c), "PASS");
    st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "steps"), 1);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(st, "result"), "notified")), 1);
    assert_null(cJSON_GetObjectItemCaseSensitive(st, "stillOpen"));
    cJSON_Delete(root);
}

/* Issue 11: the reconnect grace. The ws-reconnect-late mutant refuses calls
 * for 3 s after a drop (like a library's reconnect timer), then reconnects.
 * With "reconnect": {"withinMs": 5000} it PASSes (the runner waits, then
 * calls again); with 1000 it FAILs naming what happened. Same verdicts on
 * every run: the margins are 2 s either way. */
static void test_reconnect_grace(void **state)
{
    tc_env *e = *state;
    char args[2400], dir[400], body[1024];
    cJSON *root;
    const cJSON *c;
    const char *reason;
    snprintf(dir, sizeof dir, "%s/cases", e->tmp);
    assert_int_equal(mkdir(dir, 0755), 0);
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body, "{\"id\":\"rc.w%d\",\"title\":\"t\",\"spec\":{},\"steps\":["
                 "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"expect\":[{\"check\":\"ok\"}]},"
                 "{\"admin\":\"POST /__admin/ws/drop\",\"body\":{}},"
                 "{\"op\":\"wsCall\",\"params\":{\"method\":\"ping\"},\"reconnect\":{\"withinMs\":%d},"
                 "\"expect\":[{\"check\":\"ok\"}]}]}", i ? 5000 : 1000, i ? 5000 : 1000);
        snprintf(args, sizeof args, "cases/rc.w%d.json", i ? 5000 : 1000);
        tc_write(e, args, body);
    }
    snprintf(args, sizeof args, "--cases-dir '%s' --report '%s/r' --adapter "
             "'%s/binance-ref-adapter --mutate ws-reconnect-late'", dir, e->tmp, getenv("BC_BIN_DIR"));
    assert_int_equal(tc_run(e, args, NULL, 0), 1);
    c = tc_case(e, "r", "rc.w5000", &root);
    assert_string_equal(tc_verdict(c), "PASS");
    cJSON_Delete(root);
    c = tc_case(e, "r", "rc.w1000", &root);
    assert_string_equal(tc_verdict(c), "FAIL");
    reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "reason"));
    assert_non_null(strstr(reason, "no working reconnect within 1000 ms of the drop"));
    assert_non_null(strstr(reason, "Not connected (reconnecting in 3 s)"));
    cJSON_Delete(root);
}

/* Issue 11: verdict messages come from the journal. The retry-5xx mutant
 * resends a cancel that got 503 -1007 and reports the retry's 400 -2011;
 * the message names that (it used to say "no HTTP status, only code -2011"
 * although HTTP 400 was reported). */
static void test_unknown_message_from_journal(void **state)
{
    tc_env *e = *state;
    char args[2400];
    cJSON *root;
    const cJSON *c;
    const char *reason;
    snprintf(args, sizeof args, "--cases-dir '%s/harness/cases' --cases errors.5xx.cancel-unknown "
             "--report '%s/r' --adapter '%s/binance-ref-adapter --mutate retry-5xx'", e->src, e->tmp,
             getenv("BC_BIN_DIR"));
    assert_int_equal(tc_run(e, args, NULL, 0), 1);
    c = tc_case(e, "r", "errors.5xx.cancel-unknown", &root);
    assert_string_equal(tc_verdict(c), "FAIL");
    reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "reason"));
    assert_non_null(strstr(reason, "retried a non-idempotent DELETE /api/v3/order after 503 -1007"));
    assert_non_null(strstr(reason, "then got 400 -2011 and reported HTTP 400, code -2011: hid the unknown outcome"));
    cJSON_Delete(root);
}

/* Issue 11: a case that fails on a refused SUBSCRIBE says so (it showed only
 * "timeout"): the stream-bad-subscribe mutant's malformed frame and the
 * server's error come from the journal into the reason and the report. */
static void test_stream_refusal_in_reason(void **state)
{
    tc_env *e = *state;
    char args[2400];
    cJSON *root;
    const cJSON *c, *st, *j;
    const char *reason;
    int found = 0;
    snprintf(args, sizeof args, "--cases-dir '%s/harness/cases' --cases stream.depth.combined "
             "--report '%s/r' --adapter '%s/binance-ref-adapter --mutate stream-bad-subscribe'", e->src,
             e->tmp, getenv("BC_BIN_DIR"));
    assert_int_equal(tc_run(e, args, NULL, 0), 1);
    c = tc_case(e, "r", "stream.depth.combined", &root);
    assert_string_equal(tc_verdict(c), "FAIL");
    reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "reason"));
    assert_non_null(strstr(reason, "timeout"));
    assert_non_null(strstr(reason, "SUBSCRIBE on /ws"));
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(c, "steps"))
        cJSON_ArrayForEach(j, cJSON_GetObjectItemCaseSensitive(st, "journal"))
            found += cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "reply")) != NULL;
    assert_int_equal(found, 1);   /* the frame and its error, in the case's report */
    cJSON_Delete(root);
}

static const char tc_report_a[] =
    "{\"tool\":\"binance-conform\",\"adapter\":{\"hello\":{\"library\":\"liba\",\"version\":\"1\"}},"
    "\"cases\":[{\"id\":\"a.one\",\"verdict\":\"PASS\",\"reason\":\"\"},"
    "{\"id\":\"a.two\",\"verdict\":\"FAIL\",\"reason\":\"signature <invalid>\"},"
    "{\"id\":\"a.info\",\"verdict\":\"INFO\",\"reason\":\"observed\"}]}";
static const char tc_report_b[] =
    "{\"tool\":\"binance-conform\",\"adapter\":{\"hello\":{\"library\":\"libb\",\"version\":\"2\"}},"
    "\"cases\":[{\"id\":\"a.one\",\"verdict\":\"UNSUPPORTED\",\"reason\":\"no rsa\"},"
    "{\"id\":\"a.three\",\"verdict\":\"NON-STRICT\",\"reason\":\"no Retry-After\"}]}";

static void test_expect_modes(void **state)
{
    tc_env *e = *state;
    char args[1200], out[4096];
    assert_int_equal(mkdir(strcat(strcpy(args, e->tmp), "/ra"), 0755), 0);
    tc_write(e, "ra/report.json", tc_report_a);
    tc_write(e, "same.json", "{\"default\":\"PASS\",\"cases\":{\"a.two\":{\"verdict\":\"FAIL\",\"reason\":\"known\"}}}");
    tc_write(e, "diff.json", "{\"default\":\"PASS\",\"cases\":{}}");
    tc_write(e, "bad.json", "{\"default\":\"PASS\",\"cases\":{\"a.two\":{\"verdict\":\"FAIL\"}}}");
    snprintf(args, sizeof args, "--from-report '%s/ra' --expect '%s/same.json'", e->tmp, e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 0);
    assert_non_null(strstr(out, "match"));
    snprintf(args, sizeof args, "--from-report '%s/ra' --expect '%s/diff.json'", e->tmp, e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 1);
    assert_non_null(strstr(out, "EXPECT  a.two: expected PASS, got FAIL"));
    snprintf(args, sizeof args, "--from-report '%s/ra' --expect '%s/bad.json'", e->tmp, e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "reason"));
}

static void test_matrix(void **state)
{
    tc_env *e = *state;
    char args[1200], out[4096], path[512], *html;
    FILE *f;
    long n;
    snprintf(path, sizeof path, "%s/ma", e->tmp);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/mb", e->tmp);
    assert_int_equal(mkdir(path, 0755), 0);
    tc_write(e, "ma/report.json", tc_report_a);
    tc_write(e, "mb/report.json", tc_report_b);
    snprintf(args, sizeof args, "--matrix '%s/ma' '%s/mb' --out '%s/m.html'", e->tmp, e->tmp, e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 0);
    snprintf(path, sizeof path, "%s/m.html", e->tmp);
    f = fopen(path, "r");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    html = calloc(1, (size_t)n + 1);
    assert_non_null(html);
    assert_int_equal(fread(html, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_non_null(strstr(html, "liba"));
    assert_non_null(strstr(html, "libb"));
    assert_non_null(strstr(html, "a.three"));
    assert_non_null(strstr(html, "signature &lt;invalid&gt;"));   /* escaped */
    assert_non_null(strstr(html, "class=\"v NON-STRICT\""));
    assert_non_null(strstr(html, "not run"));
    free(html);
    snprintf(args, sizeof args, "--matrix '%s/nope'", e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
}

/* tc_slurp: the whole file tmp/name, NUL-terminated (free it). */
static char *tc_slurp(tc_env *e, const char *name)
{
    char path[512], *text;
    FILE *f;
    long n;
    snprintf(path, sizeof path, "%s/%s", e->tmp, name);
    f = fopen(path, "r");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

/* --matrix also takes pinned expected files (unlisted shipped cases get the
 * default verdict) and writes Markdown and JSON beside the page. */
static void test_matrix_md_json(void **state)
{
    tc_env *e = *state;
    char args[1200], out[4096], path[512], *md, *js;
    snprintf(path, sizeof path, "%s/ma", e->tmp);
    assert_int_equal(mkdir(path, 0755), 0);
    tc_write(e, "ma/report.json", tc_report_a);
    tc_write(e, "x.json", "{\"client\":\"libx 1.0\",\"default\":\"PASS\",\"cases\":{"
                          "\"market.ping\":{\"verdict\":\"FAIL\",\"reason\":\"why | pipe\"},"
                          "\"ws.session.ed25519-logon\":{\"verdict\":\"UNSUPPORTED\",\"reason\":\"no logon\"}}}");
    snprintf(args, sizeof args, "--matrix '%s/x.json' '%s/ma' --out '%s/m.html'", e->tmp, e->tmp, e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 0);
    md = tc_slurp(e, "m.md");
    assert_non_null(strstr(md, "| client | REST ("));
    assert_non_null(strstr(md, "| libx 1.0 | "));
    assert_non_null(strstr(md, "1 FAIL"));
    assert_non_null(strstr(md, "| `market.ping` | FAIL |"));
    assert_non_null(strstr(md, "| `market.klines.1h` | PASS | – |"));   /* default; not in the report */
    assert_non_null(strstr(md, "- FAIL `market.ping`: why \\| pipe\n"));
    assert_non_null(strstr(md, "- UNSUPPORTED `ws.session.ed25519-logon`: no logon\n"));
    js = tc_slurp(e, "m.json");
    assert_non_null(strstr(js, "\"client\":\t\"libx 1.0\""));
    assert_non_null(strstr(js, "\"id\":\t\"market.ping\""));
    assert_non_null(strstr(js, "\"reason\":\t\"why | pipe\""));
    free(md);
    free(js);
    tc_write(e, "bad.json", "{\"client\":\"x\",\"cases\":3}");
    snprintf(args, sizeof args, "--matrix '%s/bad.json'", e->tmp);
    assert_int_equal(tc_run(e, args, out, sizeof out), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shipped_cases_load, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_case_patterns_and_key_types, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_bad_case_file_rejected, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_ws_cases_shipped, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_admin_step_validates, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_usage_errors, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_hung_adapter_times_out, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_garbage_adapter, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_hello_failure_names_log, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_cases_isolated_ws, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_reconnect_grace, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_message_from_journal, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_stream_refusal_in_reason, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_expect_modes, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_matrix, tc_setup, tc_teardown),
        cmocka_unit_test_setup_teardown(test_matrix_md_json, tc_setup, tc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
