/* server_coverage: the README's coverage table, generated from the route
 * table (mock_server/endpoints/registry.c) so it cannot drift, and the
 * promise behind its "not served" rows.
 *   --print-markdown   prints the table (the README holds it between the
 *                      coverage:begin / coverage:end markers)
 *   --print-markdown --suites
 *                      prints the suites that name each route
 *   --print-markdown --list
 *                      prints "REST <METHOD> <path>" / "WS <method>" per row of
 *                      the current docs (ci/coverage_docs.py compares it with
 *                      Binance's docs)
 * "tested" = a suite names the route: `"METHOD", "/path` (REST; a bare
 * `"/path` when no other method shares the path) or
 * `\"method\":\"name\"` / a dotted `"name"` literal (WS API) in the suites/ C files,
 * or a row of suites/openapi/cases.json. docs/coverage.md explains it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"
#include "buf.h"
#include "endpoints/endpoints.h"

#define MAX_SUITES 96

typedef struct corpus { char *name[MAX_SUITES]; char *text[MAX_SUITES]; int n; } corpus;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    fclose(f);
    if (buf_putc(&b, '\0') < 0) { buf_free(&b); return NULL; }
    return buf_steal(&b);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The suites/ C files that drive a real server (server_*, tool_*; sorted) and suites/openapi/cases.json (named "openapi"). */
static int corpus_load(corpus *c, const char *src)
{
    char path[4096];
    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, "%s/suites", src);
    DIR *d = opendir(path);
    if (!d) return -1;
    struct dirent *e;
    char *names[MAX_SUITES];
    int n = 0;
    while ((e = readdir(d)) && n < MAX_SUITES - 1) {
        size_t l = strlen(e->d_name);
        int served = !strncmp(e->d_name, "server_", 7) || !strncmp(e->d_name, "tool_", 5);
        if (served && l > 2 && !strcmp(e->d_name + l - 2, ".c") && strcmp(e->d_name, "server_coverage.c"))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], name_cmp);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/suites/%s", src, names[i]);
        names[i][strlen(names[i]) - 2] = '\0';
        c->name[c->n] = names[i];
        c->text[c->n] = slurp(path);
        if (!c->text[c->n]) { free(names[i]); continue; }
        c->n++;
    }
    snprintf(path, sizeof path, "%s/suites/openapi/cases.json", src);
    c->text[c->n] = slurp(path);
    if (c->text[c->n]) c->name[c->n++] = strdup("openapi");
    return 0;
}

static void corpus_free(corpus *c)
{
    for (int i = 0; i < c->n; i++) { free(c->name[i]); free(c->text[i]); }
}

/* needle occurs in text followed by one of the bytes of `after`. */
static int has_token(const char *text, const char *needle, const char *after)
{
    size_t l = strlen(needle);
    for (const char *p = text; (p = strstr(p, needle)); p += l)
        if (p[l] && strchr(after, p[l])) return 1;
    return 0;
}

/* 1 if no other row has r's path (then a bare "/path" literal names it). */
static int path_unique(const api_route *r)
{
    size_t n;
    const api_route *all = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (&all[i] != r && all[i].path && !strcmp(all[i].path, r->path)) return 0;
    return 1;
}

static int names_rest(const char *name, const char *text, const api_route *r)
{
    char n[300];
    if (!strcmp(name, "openapi")) {
        snprintf(n, sizeof n, "\"method\": \"%s\", \"path\": \"%s", r->method, r->path);
        return has_token(text, n, "\"");
    }
    snprintf(n, sizeof n, "\"%s\", \"%s", r->method, r->path);
    if (has_token(text, n, "\"?")) return 1;
    snprintf(n, sizeof n, "\"%s", r->path);
    return path_unique(r) && has_token(text, n, "\"?");
}

static int names_ws(const char *name, const char *text, const api_route *r)
{
    char n[300];
    if (!strcmp(name, "openapi")) return 0;
    snprintf(n, sizeof n, "\\\"method\\\":\\\"%s\\\"", r->ws_method);
    if (strstr(text, n)) return 1;
    if (!strchr(r->ws_method, '.')) return 0;       /* "time", "depth": too common to count */
    snprintf(n, sizeof n, "\"%s", r->ws_method);
    return has_token(text, n, "\"");
}

/* "yes" when a suite names the route, "—" when none. Only yes/no: suite
 * names would change the table whenever any suite is added, and every
 * branch merging one would have to regenerate it. */
static void tested_cell(buf_t *b, const corpus *c, const api_route *r, int ws)
{
    for (int i = 0; i < c->n; i++)
        if (ws ? names_ws(c->name[i], c->text[i], r) : names_rest(c->name[i], c->text[i], r)) {
            buf_puts(b, "yes");
            return;
        }
    buf_puts(b, "—");
}

/* --print-markdown --suites: the suites naming each route (for a person). */
static void render_suites(buf_t *b, const corpus *c)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        for (int ws = 0; ws < 2; ws++) {
            if (ws ? !r[i].ws_method : !r[i].path) continue;
            buf_puts(b, ws ? r[i].ws_method : r[i].path);
            if (!ws) { buf_puts(b, " "); buf_puts(b, r[i].method); }
            buf_puts(b, ":");
            for (int k = 0; k < c->n; k++)
                if (ws ? names_ws(c->name[k], c->text[k], &r[i]) : names_rest(c->name[k], c->text[k], &r[i])) {
                    buf_puts(b, " ");
                    buf_puts(b, c->name[k]);
                }
            buf_puts(b, "\n");
        }
}

static const char *sec_label(sec_type s)
{
    switch (s) {
    case SEC_TRADE: return "TRADE";
    case SEC_USER_DATA: return "USER_DATA";
    case SEC_USER_STREAM: return "USER_STREAM";
    case SEC_MARKET_DATA: return "MARKET_DATA";
    default: return "NONE";
    }
}

/* Retired from Binance's current docs; served in --profile 2025-12 only. */
static int is_retired(const api_route *r)
{
    if (r->path) return !strcmp(r->path, "/api/v3/userDataStream");
    return !strcmp(r->ws_method, "userDataStream.start") || !strcmp(r->ws_method, "userDataStream.ping")
           || !strcmp(r->ws_method, "userDataStream.stop");
}

static int is_spot(const api_route *r) { return !r->path || !strncmp(r->path, "/api/v3/", 8); }

static void render_counts(buf_t *b, const api_route *r, size_t n)
{
    int rest = 0, rest_ok = 0, ws = 0, ws_ok = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_spot(&r[i]) || is_retired(&r[i])) continue;
        if (r[i].path) { rest++; rest_ok += endpoints_implemented(&r[i]); }
        if (r[i].ws_method) { ws++; ws_ok += endpoints_implemented(&r[i]); }
    }
    char t[256];
    snprintf(t, sizeof t, "Served: **%d of %d** REST paths and **%d of %d** WebSocket API methods of "
             "Binance's current docs.\n\n", rest_ok, rest, ws_ok, ws);
    buf_puts(b, t);
}

static void render_markdown(buf_t *b, const corpus *c)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    buf_puts(b, "<!-- generated by `build/bin/server_coverage --print-markdown` from "
                "mock_server/endpoints/registry.c; ctest server_coverage fails when it differs -->\n");
    render_counts(b, r, n);
    buf_puts(b, "| REST | WS API | security | served | REST tested | WS API tested |\n"
                "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "| ");
        if (r[i].path) { buf_puts(b, "`"); buf_puts(b, r[i].method); buf_puts(b, " ");
                         buf_puts(b, r[i].path); buf_puts(b, "`"); }
        else buf_puts(b, "—");
        buf_puts(b, " | ");
        if (r[i].ws_method) { buf_puts(b, "`"); buf_puts(b, r[i].ws_method); buf_puts(b, "`"); }
        else buf_puts(b, "—");
        buf_puts(b, " | ");
        buf_puts(b, sec_label(r[i].sec));
        buf_puts(b, " | ");
        buf_puts(b, !endpoints_implemented(&r[i]) ? "**no** (-1020)"
                    : is_retired(&r[i]) ? "profile 2025-12" : "yes");
        buf_puts(b, " | ");
        if (r[i].path) tested_cell(b, c, &r[i], 0); else buf_puts(b, "n/a");
        buf_puts(b, " | ");
        if (r[i].ws_method) tested_cell(b, c, &r[i], 1); else buf_puts(b, "n/a");
        buf_puts(b, " |\n");
    }
}

static void render_list(buf_t *b)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    char t[300];
    for (size_t i = 0; i < n; i++) {
        if (!is_spot(&r[i]) || is_retired(&r[i])) continue;
        if (r[i].path) { snprintf(t, sizeof t, "REST %s %s\n", r[i].method, r[i].path); buf_puts(b, t); }
        if (r[i].ws_method) { snprintf(t, sizeof t, "WS %s\n", r[i].ws_method); buf_puts(b, t); }
    }
}

#define MARK_BEGIN "<!-- coverage:begin -->\n"
#define MARK_END "<!-- coverage:end -->"

static void test_readme_table(void **state)
{
    (void)state;
    const char *src = getenv("BC_SOURCE_DIR");
    assert_non_null(src);
    corpus c;
    assert_int_equal(corpus_load(&c, src), 0);
    assert_true(c.n > 10);
    buf_t md = BUF_INIT;
    render_markdown(&md, &c);
    corpus_free(&c);
    char path[4096];
    snprintf(path, sizeof path, "%s/README.md", src);
    char *readme = slurp(path);
    assert_non_null(readme);
    const char *a = strstr(readme, MARK_BEGIN), *z = a ? strstr(a, MARK_END) : NULL;
    if (!a || !z) fail_msg("README.md lacks the " MARK_BEGIN " ... " MARK_END " markers");
    a += strlen(MARK_BEGIN);
    if ((size_t)(z - a) != md.len || memcmp(a, md.data, md.len) != 0)
        fail_msg("README.md's coverage table is out of date; regenerate it with "
                 "`build/bin/server_coverage --print-markdown` (between the coverage markers)");
    free(readme);
    buf_free(&md);
}

/* Every row is one route: no REST (method, path) and no WS method twice. */
static void test_table_invariants(void **state)
{
    (void)state;
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(r[i].path || r[i].ws_method);
        for (size_t j = i + 1; j < n; j++) {
            if (r[i].path && r[j].path && !strcmp(r[i].path, r[j].path))
                assert_string_not_equal(r[i].method, r[j].method);
            if (r[i].ws_method && r[j].ws_method) assert_string_not_equal(r[i].ws_method, r[j].ws_method);
        }
    }
}

static cJSON *journal_last(const bcs_mock *m)
{
    bcs_resp j;
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &j), 200);
    cJSON *doc = cJSON_Parse(j.body.data);
    bcs_resp_free(&j);
    assert_non_null(doc);
    cJSON *e = cJSON_DetachItemFromArray(cJSON_GetObjectItem(doc, "entries"), 0);
    cJSON_Delete(doc);
    assert_non_null(e);
    return e;
}

static void assert_noted(const bcs_mock *m, const char *transport)
{
    cJSON *e = journal_last(m);
    assert_string_equal(cJSON_GetObjectItem(e, "transport")->valuestring, transport);
    assert_int_equal(cJSON_GetObjectItem(e, "code")->valueint, -1020);
    cJSON *note = cJSON_GetObjectItem(e, "note");
    assert_true(cJSON_IsString(note));
    assert_string_equal(note->valuestring, ENDPOINTS_NOT_IMPLEMENTED_NOTE);
    cJSON_Delete(e);
}

/* A documented route the mock lacks answers Binance's error shape (-1020,
 * HTTP 400) over REST and the WS API, and the journal says why; a served
 * route's entry carries no note. */
static void test_not_implemented(void **state)
{
    bcs_mock *m = *state;
    size_t n;
    const api_route *r = endpoints_all(&n);
    bcws *w = bcws_open(m->port, "/ws-api/v3", NULL, 0);
    assert_non_null(w);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (endpoints_implemented(&r[i])) continue;
        seen++;
        bcs_resp rs;
        assert_int_equal(bcs_http(m, r[i].method, r[i].path, NULL, NULL, &rs), 0);
        bcs_assert_err(&rs, ERR_UNSUPPORTED_OPERATION, NULL, NULL);
        bcs_resp_free(&rs);
        assert_noted(m, "rest");
        if (!r[i].ws_method) continue;
        char fr[256];
        snprintf(fr, sizeof fr, "{\"id\":\"ni\",\"method\":\"%s\",\"params\":{\"symbol\":\"BTCUSDT\"}}",
                 r[i].ws_method);
        cJSON *rep = bcws_call(w, fr, 5000);
        assert_non_null(rep);
        assert_int_equal(cJSON_GetObjectItem(rep, "status")->valueint, 400);
        assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rep, "error"), "code")->valueint, -1020);
        cJSON_Delete(rep);
        assert_noted(m, "ws");
    }
    /* Every documented route is served today (48/48, 55/55): the loop above
     * has nothing to check until a route is added as NOT_IMPLEMENTED again. */
    if (seen == 0) fprintf(stderr, "test_not_implemented: no NOT_IMPLEMENTED route in the table\n");
    bcs_resp rs;
    assert_int_equal(bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &rs), 0);
    assert_int_equal(rs.status, 200);
    bcs_resp_free(&rs);
    cJSON *e = journal_last(m);
    assert_null(cJSON_GetObjectItem(e, "note"));
    cJSON_Delete(e);
    bcws_close(w);
}

const char bcs_cli_option[] = "--print-markdown";   /* see suites/cli/bcs_cli.c */

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--print-markdown")) {
        buf_t b = BUF_INIT;
        if (argc > 2 && !strcmp(argv[2], "--list")) render_list(&b);
        else {
            corpus c;
            if (corpus_load(&c, getenv("BC_SOURCE_DIR")) < 0) return 1;
            if (argc > 2 && !strcmp(argv[2], "--suites")) render_suites(&b, &c);
            else render_markdown(&b, &c);
            corpus_free(&c);
        }
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_invariants),
        cmocka_unit_test(test_readme_table),
        cmocka_unit_test(test_not_implemented),
    };
    return cmocka_run_group_tests_name("server_coverage", tests, bcs_group_setup, bcs_group_stop);
}
