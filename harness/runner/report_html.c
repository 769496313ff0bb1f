/* report_html: the self-contained HTML pages. report.html (one client: a
 * summary, then per case its title, spec section, verdict, the requests the
 * server received from the journal with the canonical payload and explain
 * record, and what the library surfaced); html_head (with the inline CSS)
 * is shared with the --matrix page (report_matrix.c). No external resources. */
#include "conform.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char html_css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
    ".v{display:inline-block;min-width:7.5em;text-align:center;border-radius:3px;font-weight:600;color:#fff;padding:1px 4px}"
    ".PASS{background:#2e7d32}.FAIL{background:#c62828}.NON-STRICT{background:#ef6c00}"
    ".UNSUPPORTED{background:#757575}.INFO{background:#1565c0}.NONE{background:#eee;color:#999}"
    "td code{word-break:break-all}details{border:1px solid #ddd;border-radius:4px;margin:4px 0;padding:4px 8px}summary{cursor:pointer}"
    "pre{background:#f6f6f6;padding:6px;overflow:auto;max-height:24em;white-space:pre-wrap;word-break:break-all;margin:4px 0}"
    ".ok{color:#2e7d32}.bad{color:#c62828}.muted{color:#777}code{background:#f0f0f0;padding:0 3px}"
    ".step{border-left:3px solid #ddd;padding-left:8px;margin:8px 0}";

static void html_json(buf_t *b, const cJSON *j)
{
    char *s = j ? cJSON_Print(j) : NULL;
    buf_puts(b, "<pre>");
    html_escape(b, s ? s : "null");
    buf_puts(b, "</pre>");
    free(s);
}

static const char *hstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void html_kv(buf_t *b, const char *k, const char *v)
{
    if (!v)
        return;
    buf_printf(b, "<tr><th>%s</th><td><code>", k);
    html_escape(b, v);
    buf_puts(b, "</code></td></tr>");
}

static void html_entry(buf_t *b, const cJSON *e)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(e, "explain");
    buf_puts(b, "<table>");
    buf_printf(b, "<tr><th>request</th><td><b>");
    html_escape(b, hstr(e, "method"));
    buf_puts(b, " ");
    html_escape(b, hstr(e, "path"));
    buf_printf(b, "</b> &rarr; %d", cJSON_IsNumber(st) ? (int)st->valuedouble : 0);
    if (cJSON_IsNumber(code))
        buf_printf(b, " (code %d)", (int)code->valuedouble);
    buf_puts(b, "</td></tr>");
    html_kv(b, "security", hstr(e, "security"));
    html_kv(b, "query", hstr(e, "query"));
    html_kv(b, "body", hstr(e, "body"));
    html_kv(b, "canonical payload", hstr(e, "payload"));
    html_kv(b, "key type", hstr(e, "keyType"));
    html_kv(b, "signature verdict", hstr(e, "verdict"));
    html_kv(b, "msg", hstr(e, "msg"));
    html_kv(b, "reply", hstr(e, "reply"));   /* stream control frames */
    if (cJSON_GetObjectItemCaseSensitive(e, "headers")) {
        buf_puts(b, "<tr><th>headers</th><td>");
        html_json(b, cJSON_GetObjectItemCaseSensitive(e, "headers"));
        buf_puts(b, "</td></tr>");
    }
    if (ex && !cJSON_IsNull(ex)) {
        buf_puts(b, "<tr><th>explain</th><td>");
        html_json(b, ex);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</table>");
}

static void html_step(buf_t *b, const cJSON *s)
{
    const cJSON *it;
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "admin"))) {   /* runner's server action */
        buf_puts(b, "<div class=step><b>server action ");
        html_escape(b, hstr(s, "admin"));
        buf_puts(b, "</b>");
        html_json(b, cJSON_GetObjectItemCaseSensitive(s, "result"));
        buf_puts(b, "</div>");
        return;
    }
    buf_puts(b, "<div class=step><b>op ");
    html_escape(b, hstr(s, "op"));
    buf_puts(b, "</b>");
    html_json(b, cJSON_GetObjectItemCaseSensitive(s, "params"));
    buf_puts(b, "<div>library surfaced:</div>");
    html_json(b, cJSON_GetObjectItemCaseSensitive(s, "result"));
    buf_puts(b, "<div>checks:</div><ul>");
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(s, "checks")) {
        int pass = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "pass"));
        buf_printf(b, "<li class=%s>%s <code>", pass ? "ok" : "bad", pass ? "&#10003;" : "&#10007;");
        html_escape(b, hstr(it, "check"));
        buf_puts(b, "</code> <span class=muted>[");
        html_escape(b, hstr(it, "level"));
        buf_puts(b, "]</span> ");
        html_escape(b, hstr(it, "msg"));
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
    buf_printf(b, "<div>requests the server received (%d):</div>",
               cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "journal")));
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(s, "journal"))
        html_entry(b, it);
    buf_puts(b, "</div>");
}

static void html_case(buf_t *b, const cJSON *c)
{
    const char *v = hstr(c, "verdict");
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(c, "spec"), *it, *kv;
    /* FAILs open by default: the page starts where the work is. */
    buf_printf(b, "<details data-v=\"%s\"%s><summary><span class=\"v %s\">%s</span> <code>", v,
               v && strcmp(v, "FAIL") == 0 ? " open" : "", v, v);
    html_escape(b, hstr(c, "id"));
    buf_puts(b, "</code> ");
    html_escape(b, hstr(c, "title"));
    if (hstr(c, "reason") && hstr(c, "reason")[0]) {
        buf_puts(b, " <span class=muted>&mdash; ");
        html_escape(b, hstr(c, "reason"));
        buf_puts(b, "</span>");
    }
    buf_puts(b, "</summary><table>");
    cJSON_ArrayForEach(kv, spec)
        if (cJSON_IsString(kv))
            html_kv(b, kv->string, kv->valuestring);
    html_kv(b, "key type", hstr(c, "keyType"));
    buf_puts(b, "</table>");
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c, "steps"))
        html_step(b, it);
    buf_puts(b, "</details>\n");
}

void html_head(buf_t *b, const char *title)
{
    buf_puts(b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
    html_escape(b, title);
    buf_printf(b, "</title><style>%s</style></head><body>", html_css);
}

int report_write_html(const cJSON *report, const char *path)
{
    buf_t b = BUF_INIT;
    const cJSON *ad = cJSON_GetObjectItemCaseSensitive(report, "adapter");
    const cJSON *hello = cJSON_GetObjectItemCaseSensitive(ad, "hello");
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(report, "summary"), *it;
    int rc;
    html_head(&b, "binance-conform report");
    buf_puts(&b, "<h1>binance-conform: ");
    html_escape(&b, hstr(hello, "library") ? hstr(hello, "library") : "adapter");
    buf_puts(&b, " ");
    html_escape(&b, hstr(hello, "version"));
    buf_puts(&b, "</h1><p class=muted>adapter <code>");
    html_escape(&b, hstr(ad, "command"));
    buf_puts(&b, "</code>, server ");
    html_escape(&b, hstr(report, "server"));
    buf_puts(&b, ", generated ");
    html_escape(&b, hstr(report, "generated"));
    buf_puts(&b, "</p><table><tr>");
    cJSON_ArrayForEach(it, sum)
        buf_printf(&b, "<th>%s</th>", it->string);
    buf_puts(&b, "</tr><tr>");
    cJSON_ArrayForEach(it, sum)
        buf_printf(&b, "<td>%d</td>", (int)it->valuedouble);
    buf_puts(&b, "</tr></table><p>Click a case for the requests the server received, the canonical "
                 "payload, the explain record and what the library surfaced.</p>\n<p>Show: ");
    {
        static const char *const vs[] = {"all", "FAIL", "NON-STRICT", "UNSUPPORTED", "INFO", "PASS"};
        for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
            buf_printf(&b, "<button onclick=\"show('%s')\">%s</button> ", vs[i], vs[i]);
    }
    buf_puts(&b, "</p><script>function show(v){document.querySelectorAll('details[data-v]')"
                 ".forEach(function(d){d.style.display=(v==='all'||d.dataset.v===v)?'':'none';});}"
                 "</script>\n");
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(report, "cases"))
        html_case(&b, it);
    buf_puts(&b, "</body></html>\n");
    rc = write_file(path, buf_cstr(&b), b.len);
    buf_free(&b);
    return rc;
}
