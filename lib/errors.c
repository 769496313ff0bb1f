/* errors: the catalogue table generated from errors.def / me_msgs.def by the
 * X-macro, lookups, and the renderers (plain message, Binance JSON body,
 * Markdown for docs/errors.md). Templates are filled by our own "%s"
 * substitution: user data never reaches a printf format string. */
#include "errors.h"
#include <string.h>

static const err_def err_table[] = {
#define ERR(id, code, name, status, tmpl) {ERR_##id, code, name, status, tmpl, #id},
#include "errors.def"
#undef ERR
};

static const char *const me_table[] = {
#define MEMSG(id, text) text,
#include "me_msgs.def"
#undef MEMSG
};

static const char *const me_names[] = {
#define MEMSG(id, text) #id,
#include "me_msgs.def"
#undef MEMSG
};

size_t err_count(void) { return sizeof(err_table) / sizeof(err_table[0]); }

const err_def *err_at(size_t i) { return i < err_count() ? &err_table[i] : NULL; }

const err_def *err_get(err_id id) {
    if (id <= ERR_NONE || id >= ERR__COUNT) return NULL;
    return &err_table[id - 1];
}

const err_def *err_by_id_name(const char *id_name) {
    if (!id_name) return NULL;
    for (size_t i = 0; i < err_count(); i++)
        if (strcmp(err_table[i].id_name, id_name) == 0) return &err_table[i];
    return NULL;
}

const err_def *err_first_by_code(int code) {
    for (size_t i = 0; i < err_count(); i++)
        if (err_table[i].code == code) return &err_table[i];
    return NULL;
}

const err_def *err_by_code_status(int code, int http_status) {
    for (size_t i = 0; i < err_count(); i++)
        if (err_table[i].code == code && err_table[i].http_status == http_status) return &err_table[i];
    return err_first_by_code(code);
}

const char *me_text(me_msg m) {
    if ((int)m < 0 || m >= ME__COUNT) return "";
    return me_table[m];
}

const char *me_id_name(me_msg m) {
    if ((int)m < 0 || m >= ME__COUNT) return "";
    return me_names[m];
}

int err_format_buf(buf_t *out, err_id id, const char *a1, const char *a2) {
    const err_def *d = err_get(id);
    if (!d) return buf_append(out, "", 0);
    const char *args[2] = {a1 ? a1 : "", a2 ? a2 : ""};
    int used = 0;
    for (const char *t = d->tmpl; *t;) {
        const char *pct = strstr(t, "%s");
        size_t lit = pct ? (size_t)(pct - t) : strlen(t);
        if (buf_append(out, t, lit) < 0) return -1;
        if (!pct) break;
        if (buf_puts(out, used < 2 ? args[used] : "") < 0) return -1;
        used++;
        t = pct + 2;
    }
    return buf_append(out, "", 0);
}

size_t err_format(char *out, size_t n, err_id id, const char *a1, const char *a2) {
    buf_t b = BUF_INIT;
    size_t len = 0;
    if (n == 0) return 0;
    if (err_format_buf(&b, id, a1, a2) == 0) len = b.len < n - 1 ? b.len : n - 1;
    if (len) memcpy(out, b.data, len);
    out[len] = '\0';
    buf_free(&b);
    return len;
}

int err_render_json(buf_t *out, err_id id, const char *a1, const char *a2) {
    const err_def *d = err_get(id);
    buf_t msg = BUF_INIT;
    if (err_format_buf(&msg, id, a1, a2) < 0) {
        buf_free(&msg);
        return -1;
    }
    int rc = buf_printf(out, "{\"code\":%d,\"msg\":", d ? d->code : 0);
    if (rc == 0) rc = buf_json_string(out, buf_cstr(&msg), msg.len);
    if (rc == 0) rc = buf_putc(out, '}');
    buf_free(&msg);
    return rc;
}

/* Markdown code span: fence longer than any backtick run inside, '|' escaped
 * so GitHub tables keep their columns. */
static int err_md_code(buf_t *out, const char *s) {
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    size_t len = strlen(s);
    int pad = len && (s[0] == '`' || s[len - 1] == '`');
    for (size_t i = 0; i <= longest; i++)
        if (buf_putc(out, '`') < 0) return -1;
    if (pad && buf_putc(out, ' ') < 0) return -1;
    for (const char *p = s; *p; p++)
        if ((*p == '|' ? buf_puts(out, "\\|") : buf_putc(out, *p)) < 0) return -1;
    if (pad && buf_putc(out, ' ') < 0) return -1;
    for (size_t i = 0; i <= longest; i++)
        if (buf_putc(out, '`') < 0) return -1;
    return 0;
}

static int err_md_row(buf_t *out, const err_def *d) {
    if (buf_printf(out, "| %d | %s | %d | ", d->code, d->name, d->http_status) < 0 ||
        err_md_code(out, d->tmpl) < 0 || buf_printf(out, " | `ERR_%s` |\n", d->id_name) < 0)
        return -1;
    return 0;
}

int err_render_markdown(buf_t *out) {
    if (buf_puts(out,
                 "# Error catalogue\n\n"
                 "Generated from `lib/errors.def` and `lib/me_msgs.def` by `err_render_markdown()`;\n"
                 "do not edit by hand (the `lib_errors` suite fails when this file drifts).\n"
                 "One row per message variant. `%s` marks a value filled in at run time.\n"
                 "Bodies are `{\"code\":<code>,\"msg\":\"<message>\"}`.\n\n"
                 "| Code | Name | HTTP | Message | Id |\n"
                 "|---:|---|---:|---|---|\n") < 0)
        return -1;
    for (size_t i = 0; i < err_count(); i++)
        if (err_md_row(out, &err_table[i]) < 0) return -1;
    if (buf_puts(out,
                 "\n## Matching-engine messages\n\n"
                 "Carried as the message of -1010, -1013, -2010, -2011 and -2038.\n\n"
                 "| Message | Id |\n"
                 "|---|---|\n") < 0)
        return -1;
    for (int m = 0; m < ME__COUNT; m++) {
        if (buf_puts(out, "| ") < 0 || err_md_code(out, me_table[m]) < 0 ||
            buf_printf(out, " | `ME_%s` |\n", me_names[m]) < 0)
            return -1;
    }
    return 0;
}
