/* report: what a run leaves behind. The console summary table, report.json
 * (the one source the other formats and --matrix read), junit.xml, and the
 * expected-results comparison (--expect FILE) used by CI gates. */
#include "conform.h"
#include "json_guard.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const verdict_names[V__COUNT] = {"PASS", "FAIL", "NON-STRICT", "UNSUPPORTED", "INFO"};

const char *verdict_name(verdict v) { return v < V__COUNT ? verdict_names[v] : "?"; }

int verdict_parse(const char *s, verdict *out)
{
    for (int i = 0; s && i < V__COUNT; i++)
        if (strcmp(s, verdict_names[i]) == 0)
            return *out = (verdict)i, 0;
    return -1;
}

int mkdir_p(const char *dir)
{
    char tmp[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, dir, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    int rc;
    if (!f)
        return -1;
    rc = fwrite(s, 1, n, f) == n ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    buf_t b = BUF_INIT;
    char tmp[8192];
    size_t r;
    if (!f)
        return NULL;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (buf_append(&b, tmp, r) != 0) {
            fclose(f);
            buf_free(&b);
            return NULL;
        }
    fclose(f);
    *n = b.len;
    if (!b.data)
        return strdup("");
    return buf_steal(&b);
}

static void report_counts(const conform_ctx *cx, size_t counts[V__COUNT])
{
    memset(counts, 0, sizeof(size_t) * V__COUNT);
    for (size_t i = 0; i < cx->cases.n; i++)
        counts[cx->cases.v[i].v]++;
}

cJSON *report_build(const conform_ctx *cx)
{
    cJSON *r = cJSON_CreateObject(), *sum, *cases, *ad;
    size_t counts[V__COUNT];
    char when[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(r, "tool", "binance-conform");
    cJSON_AddNumberToObject(r, "protocol", CONFORM_PROTOCOL);
    cJSON_AddStringToObject(r, "generated", when);
    ad = cJSON_AddObjectToObject(r, "adapter");
    cJSON_AddStringToObject(ad, "command", cx->o.adapter_cmd);
    if (cx->ad.hello)
        cJSON_AddItemToObject(ad, "hello", cJSON_Duplicate(cx->ad.hello, 1));
    cJSON_AddStringToObject(r, "server", cx->server_url);
    cJSON_AddBoolToObject(r, "strict", cx->o.strict);
    report_counts(cx, counts);
    sum = cJSON_AddObjectToObject(r, "summary");
    for (int v = 0; v < V__COUNT; v++)
        cJSON_AddNumberToObject(sum, verdict_names[v], (double)counts[v]);
    cJSON_AddNumberToObject(sum, "total", (double)cx->cases.n);
    cases = cJSON_AddArrayToObject(r, "cases");
    for (size_t i = 0; i < cx->cases.n; i++)
        if (cx->cases.v[i].record)
            cJSON_AddItemToArray(cases, cJSON_Duplicate(cx->cases.v[i].record, 1));
    return r;
}

static void xml_escape(buf_t *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                buf_putc(b, ' ');
            else
                buf_putc(b, *s);
        }
    }
}

void html_escape(buf_t *b, const char *s) { xml_escape(b, s); }

static int report_junit(const conform_ctx *cx, const char *path)
{
    buf_t b = BUF_INIT;
    size_t counts[V__COUNT];
    double total = 0;
    int rc;
    report_counts(cx, counts);
    for (size_t i = 0; i < cx->cases.n; i++)
        total += cx->cases.v[i].ms / 1000.0;
    buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
               "<testsuite name=\"binance-conform\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
               "errors=\"0\" time=\"%.3f\">\n", cx->cases.n,
               counts[V_FAIL] + (cx->o.strict ? counts[V_NONSTRICT] : 0), counts[V_UNSUPPORTED], total);
    for (size_t i = 0; i < cx->cases.n; i++) {
        const conform_case *c = &cx->cases.v[i];
        const char *dot = strchr(c->id, '.');
        const char *dot2 = dot ? strchr(dot + 1, '.') : NULL;
        int group_len = dot2 ? (int)(dot2 - c->id) : (int)strlen(c->id);
        buf_printf(&b, "  <testcase classname=\"%.*s\" name=\"", group_len, c->id);
        xml_escape(&b, c->id);
        buf_printf(&b, "\" time=\"%.3f\">", c->ms / 1000.0);
        if (c->v == V_FAIL || (c->v == V_NONSTRICT && cx->o.strict)) {
            buf_printf(&b, "<failure type=\"%s\" message=\"", verdict_name(c->v));
            xml_escape(&b, c->reason);
            buf_puts(&b, "\">");
            xml_escape(&b, c->title);
            buf_puts(&b, "</failure>");
        } else if (c->v == V_UNSUPPORTED) {
            buf_puts(&b, "<skipped message=\"");
            xml_escape(&b, c->reason);
            buf_puts(&b, "\"/>");
        }
        buf_printf(&b, "<system-out>%s: ", verdict_name(c->v));
        xml_escape(&b, c->title);
        if (c->reason[0]) {
            buf_puts(&b, " | ");
            xml_escape(&b, c->reason);
        }
        buf_puts(&b, "</system-out></testcase>\n");
    }
    buf_puts(&b, "</testsuite>\n</testsuites>\n");
    rc = write_file(path, buf_cstr(&b), b.len);
    buf_free(&b);
    return rc;
}

int report_write_all(const conform_ctx *cx, const cJSON *report, char *err, size_t errlen)
{
    char path[4096];
    char *text;
    int rc = 0;
    if (mkdir_p(cx->o.report_dir) != 0)
        return snprintf(err, errlen, "cannot create %s: %s", cx->o.report_dir, strerror(errno)), -1;
    text = cJSON_Print(report);
    snprintf(path, sizeof path, "%s/report.json", cx->o.report_dir);
    if (!text || write_file(path, text, strlen(text)) != 0)
        rc = -1;
    free(text);
    snprintf(path, sizeof path, "%s/junit.xml", cx->o.report_dir);
    if (rc == 0 && report_junit(cx, path) != 0)
        rc = -1;
    snprintf(path, sizeof path, "%s/report.html", cx->o.report_dir);
    if (rc == 0 && report_write_html(report, path) != 0)
        rc = -1;
    if (rc != 0)
        snprintf(err, errlen, "cannot write reports into %s", cx->o.report_dir);
    return rc;
}

/* Summary: one row per group (first two ID components) and a total row. */
void report_print_summary(const conform_ctx *cx)
{
    char groups[64][48];
    size_t counts[64][V__COUNT], ng = 0, tot[V__COUNT] = {0};
    memset(counts, 0, sizeof counts);
    for (size_t i = 0; i < cx->cases.n; i++) {
        const conform_case *c = &cx->cases.v[i];
        const char *dot = strchr(c->id, '.'), *dot2 = dot ? strchr(dot + 1, '.') : NULL;
        char g[48];
        size_t k, gl = dot2 ? (size_t)(dot2 - c->id) : strlen(c->id);
        snprintf(g, sizeof g, "%.*s", (int)gl, c->id);
        for (k = 0; k < ng && strcmp(groups[k], g) != 0; k++)
            ;
        if (k == ng && ng < 64)
            snprintf(groups[ng++], sizeof groups[0], "%s", g);
        if (k < 64)
            counts[k][c->v]++;
        tot[c->v]++;
    }
    printf("\n%-22s %6s %6s %11s %12s %6s\n", "group", "PASS", "FAIL", "NON-STRICT", "UNSUPPORTED", "INFO");
    printf("---------------------- ------ ------ ----------- ------------ ------\n");
    for (size_t k = 0; k < ng; k++)
        printf("%-22s %6zu %6zu %11zu %12zu %6zu\n", groups[k], counts[k][V_PASS], counts[k][V_FAIL],
               counts[k][V_NONSTRICT], counts[k][V_UNSUPPORTED], counts[k][V_INFO]);
    printf("---------------------- ------ ------ ----------- ------------ ------\n");
    printf("%-22s %6zu %6zu %11zu %12zu %6zu\n", "total", tot[V_PASS], tot[V_FAIL], tot[V_NONSTRICT],
           tot[V_UNSUPPORTED], tot[V_INFO]);
    fflush(stdout);
}

/* Expected-results file: {"client":..., "default":"PASS",
 *   "cases":{"<id>":{"verdict":"FAIL","reason":"why this is expected"}}} */
int report_expect(const cJSON *report, const char *expect_path)
{
    size_t n = 0;
    char *text = read_file(expect_path, &n);
    cJSON *exp = text ? json_guard_parse(text, n) : NULL, *cases, *it;
    const cJSON *def, *rc_cases = cJSON_GetObjectItemCaseSensitive(report, "cases");
    verdict dv = V_PASS;
    int diff = 0;
    free(text);
    if (!exp) {
        fprintf(stderr, "binance-conform: cannot read expected-results file %s\n", expect_path);
        return -1;
    }
    def = cJSON_GetObjectItemCaseSensitive(exp, "default");
    if (cJSON_IsString(def) && verdict_parse(def->valuestring, &dv) != 0) {
        fprintf(stderr, "%s: bad default verdict\n", expect_path);
        cJSON_Delete(exp);
        return -1;
    }
    cases = cJSON_GetObjectItemCaseSensitive(exp, "cases");
    cJSON_ArrayForEach(it, cases) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "verdict");
        const cJSON *why = cJSON_GetObjectItemCaseSensitive(it, "reason");
        verdict ev;
        if (!cJSON_IsString(v) || verdict_parse(v->valuestring, &ev) != 0 ||
            (ev != V_PASS && (!cJSON_IsString(why) || !why->valuestring[0]))) {
            fprintf(stderr, "%s: case %s needs a valid verdict and, unless PASS, a reason\n",
                    expect_path, it->string);
            cJSON_Delete(exp);
            return -1;
        }
    }
    cJSON_ArrayForEach(it, rc_cases) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id"));
        const char *got = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "verdict"));
        const cJSON *e = id ? cJSON_GetObjectItemCaseSensitive(cases, id) : NULL;
        if (!id || !got) {
            fprintf(stderr, "binance-conform: a report case without id/verdict\n");
            cJSON_Delete(exp);
            return -1;
        }
        const char *want = e ? cJSON_GetObjectItemCaseSensitive(e, "verdict")->valuestring
                             : verdict_name(dv);
        if (!e && strcmp(got, "INFO") == 0)
            continue;   /* an unlisted INFO case is an observation, it never gates */
        if (strcmp(want, got) != 0) {
            const cJSON *why = cJSON_GetObjectItemCaseSensitive(it, "reason");
            printf("EXPECT  %s: expected %s, got %s%s%s\n", id, want, got,
                   cJSON_IsString(why) && why->valuestring[0] ? " - " : "",
                   cJSON_IsString(why) ? why->valuestring : "");
            diff = 1;
        }
    }
    printf("expected results (%s): %s\n", expect_path, diff ? "DIFFERENT" : "match");
    cJSON_Delete(exp);
    return diff;
}
