/* httpreq: a forgiving parser for pasted HTTP requests (see httpreq.h).
 * Forgiving about presentation (\n or \r\n, curl -v "> " prefixes, a bare
 * URL, surrounding quotes), strict about content: every rejection says
 * which line and why. Query and body bytes are never decoded or altered. */
#define _GNU_SOURCE 1 /* memmem */
#include "httpreq.h"
#include "buf.h"
#include "pct.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct hr_line {
    const char *s;
    size_t n;          /* without the line end */
    size_t next;       /* offset of the following line */
} hr_line;

/* 1 if c is one of curl -v's line prefixes (never matches NUL). */
static int hr_curl_prefix(char c, const char *set) { return c != '\0' && strchr(set, c) != NULL; }

static void hr_err(char *err, size_t errlen, const char *msg, size_t line) {
    if (!err || !errlen) return;
    if (line) snprintf(err, errlen, "line %zu: %s", line, msg);
    else snprintf(err, errlen, "%s", msg);
}

/* Line starting at off; returns 0 at end of text. */
static int hr_next_line(const char *t, size_t n, size_t off, hr_line *l) {
    if (off >= n) return 0;
    const char *nl = memchr(t + off, '\n', n - off);
    size_t end = nl ? (size_t)(nl - t) : n;
    l->s = t + off;
    l->next = nl ? end + 1 : n;
    if (end > off && t[end - 1] == '\r') end--;
    l->n = end - off;
    return 1;
}

static char *hr_dup(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int hr_is_blank(const hr_line *l) {
    for (size_t i = 0; i < l->n; i++)
        if (l->s[i] != ' ' && l->s[i] != '\t') return 0;
    return 1;
}

static int hr_tchar(unsigned char c) {
    return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

void httpreq_free(httpreq *r) {
    free(r->method);
    free(r->target);
    free(r->authority);
    free(r->path);
    free(r->query);
    free(r->version);
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

const char *httpreq_get_header(const httpreq *r, const char *name) {
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].name, name) == 0) return r->headers[i].value;
    return NULL;
}

int httpreq_is_form(const httpreq *r) {
    const char *ct = httpreq_get_header(r, "Content-Type");
    static const char form[] = "application/x-www-form-urlencoded";
    if (!ct || strncasecmp(ct, form, sizeof(form) - 1) != 0) return 0;
    char c = ct[sizeof(form) - 1];
    return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

/* curl -v transcript: keep the "> " lines (request head), drop "* ", "< ",
 * "{ ", "} " lines; other non-blank lines (curl does not print the body, so
 * users paste it below) become the body. Returns 1 and the rebuilt request in
 * out if text is a transcript. */
static int hr_curl_transcript(const char *t, size_t n, size_t off, buf_t *out, int *oom) {
    hr_line l;
    buf_t body = BUF_INIT;
    if (!hr_next_line(t, n, off, &l) || l.n < 1 || !hr_curl_prefix(l.s[0], "*<>{}") ||
        (l.n > 1 && l.s[1] != ' '))
        return 0;
    for (; hr_next_line(t, n, off, &l); off = l.next) {
        if (l.n >= 1 && l.s[0] == '>' && (l.n == 1 || l.s[1] == ' ')) {
            size_t skip = l.n >= 2 ? 2 : 1;
            if (buf_append(out, l.s + skip, l.n - skip) < 0 || buf_putc(out, '\n') < 0) *oom = 1;
        } else if (l.n >= 1 && hr_curl_prefix(l.s[0], "*<{}") && (l.n == 1 || l.s[1] == ' ')) {
            continue;
        } else if (!hr_is_blank(&l)) {
            if (buf_append(&body, l.s, l.n) < 0) *oom = 1;
        }
    }
    int has_blank = out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n';
    if (body.len && ((!has_blank && buf_putc(out, '\n') < 0) || buf_append(out, body.data, body.len) < 0))
        *oom = 1;
    buf_free(&body);
    return 1;
}

/* Split the request target into authority, path, query. */
static int hr_target(httpreq *r, const char *s, size_t n, char *err, size_t errlen) {
    size_t i = 0, a0 = 0, a1 = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c <= 0x20 || c == 0x7f) {
            hr_err(err, errlen, "request target contains a space or control character", 1);
            return -1;
        }
    }
    const char *sep = n >= 3 ? memmem(s, n, "://", 3) : NULL;
    if (s[0] != '/' && sep) {
        for (const char *p = s; p < sep; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
                hr_err(err, errlen, "request target has a malformed URL scheme", 1);
                return -1;
            }
        a0 = i = (size_t)(sep - s) + 3;
        while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#') i++;
        a1 = i;
        if (a1 == a0) {
            hr_err(err, errlen, "URL has no host", 1);
            return -1;
        }
    } else if (s[0] != '/') {
        hr_err(err, errlen, "request target must start with '/' or a scheme like https://", 1);
        return -1;
    }
    const char *hash = memchr(s + i, '#', n - i);
    size_t end = hash ? (size_t)(hash - s) : n;
    const char *q = memchr(s + i, '?', end - i);
    size_t pend = q ? (size_t)(q - s) : end;
    r->authority = hr_dup(s + a0, a1 - a0);
    r->path = pend > i ? hr_dup(s + i, pend - i) : hr_dup("/", 1);
    r->has_query = q != NULL;
    r->query_len = q ? end - pend - 1 : 0;
    r->query = hr_dup(q ? q + 1 : "", r->query_len);
    r->target = hr_dup(s, n);
    return r->authority && r->path && r->query && r->target ? 0 : -2;
}

static int hr_is_version(const char *s, size_t n) {
    if (n < 6 || memcmp(s, "HTTP/", 5) != 0) return 0;
    for (size_t i = 5; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && i > 5 && i + 1 < n))) return 0;
    return 1;
}

static int hr_looks_like_target(const char *s, size_t n) {
    return n && (s[0] == '/' || (n >= 3 && memmem(s, n, "://", 3)));
}

/* Request line: "METHOD TARGET [VERSION]" or a bare "TARGET [VERSION]". */
static int hr_request_line(httpreq *r, const char *s, size_t n, char *err, size_t errlen) {
    const char *tok[4] = {NULL, NULL, NULL, NULL};
    size_t len[4] = {0, 0, 0, 0}, nt = 0, i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= n) break;
        if (nt == 4) {
            hr_err(err, errlen, "request line has too many words (expected: METHOD URL [HTTP/1.1])", 1);
            return -1;
        }
        tok[nt] = s + i;
        while (i < n && s[i] != ' ' && s[i] != '\t') i++;
        len[nt] = (size_t)(s + i - tok[nt]);
        /* a URL pasted with shell quotes */
        if (len[nt] >= 2 && (tok[nt][0] == '\'' || tok[nt][0] == '"') &&
            tok[nt][len[nt] - 1] == tok[nt][0]) {
            tok[nt]++;
            len[nt] -= 2;
        }
        nt++;
    }
    if (nt == 0) {
        hr_err(err, errlen, "expected a request line 'METHOD URL [HTTP/1.1]' or a URL", 1);
        return -1;
    }
    size_t t = hr_looks_like_target(tok[0], len[0]) ? 0 : 1;
    if (nt < t + 1 || nt > t + 2 || len[t] == 0) {
        hr_err(err, errlen, "expected a request line 'METHOD URL [HTTP/1.1]' or a URL", 1);
        return -1;
    }
    for (size_t k = 0; t == 1 && k < len[0]; k++)
        if (!hr_tchar((unsigned char)tok[0][k])) {
            hr_err(err, errlen, "malformed HTTP method", 1);
            return -1;
        }
    if (nt == t + 2 && !hr_is_version(tok[t + 1], len[t + 1])) {
        hr_err(err, errlen, "malformed HTTP version (expected e.g. HTTP/1.1)", 1);
        return -1;
    }
    r->method = t ? hr_dup(tok[0], len[0]) : hr_dup("GET", 3);
    r->version = nt == t + 2 ? hr_dup(tok[t + 1], len[t + 1]) : hr_dup("", 0);
    if (!r->method || !r->version) return -2;
    return hr_target(r, tok[t], len[t], err, errlen);
}

static int hr_add_header(httpreq *r, const char *s, size_t n, size_t lineno, char *err, size_t errlen) {
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s) {
        hr_err(err, errlen, "not a header (expected 'Name: value')", lineno);
        return -1;
    }
    for (const char *p = s; p < colon; p++)
        if (!hr_tchar((unsigned char)*p)) {
            hr_err(err, errlen, "malformed header name", lineno);
            return -1;
        }
    if (r->nheaders >= HTTPREQ_MAX_HEADERS) {
        hr_err(err, errlen, "too many header lines", lineno);
        return -1;
    }
    if (r->nheaders % 16 == 0) {
        httpreq_header *h = realloc(r->headers, (r->nheaders + 16) * sizeof(*h));
        if (!h) return -2;
        r->headers = h;
    }
    const char *v = colon + 1, *e = s + n;
    while (v < e && (*v == ' ' || *v == '\t')) v++;
    while (e > v && (e[-1] == ' ' || e[-1] == '\t')) e--;
    httpreq_header *h = &r->headers[r->nheaders];
    h->name = hr_dup(s, (size_t)(colon - s));
    h->value = hr_dup(v, (size_t)(e - v));
    r->nheaders++;
    return h->name && h->value ? 0 : -2;
}

/* Continuation line (obs-fold): append to the previous header value. */
static int hr_fold(httpreq *r, const char *s, size_t n) {
    httpreq_header *h = &r->headers[r->nheaders - 1];
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    size_t vl = strlen(h->value);
    char *v = realloc(h->value, vl + n + 2);
    if (!v) return -2;
    v[vl] = ' ';
    memcpy(v + vl + 1, s, n);
    v[vl + 1 + n] = '\0';
    h->value = v;
    return 0;
}

static int hr_body(httpreq *r, const char *s, size_t n, char *err, size_t errlen) {
    const char *te = httpreq_get_header(r, "Transfer-Encoding");
    if (te && strcasecmp(te, "identity") != 0) {
        hr_err(err, errlen, "Transfer-Encoding is not supported; paste the decoded body with a Content-Length", 0);
        return -1;
    }
    const char *cl = httpreq_get_header(r, "Content-Length");
    size_t len = n;
    if (cl) {
        size_t v = 0;
        if (!*cl || strspn(cl, "0123456789") != strlen(cl) || strlen(cl) > 15) {
            hr_err(err, errlen, "Content-Length is not a number", 0);
            return -1;
        }
        for (const char *p = cl; *p; p++) v = v * 10 + (size_t)(*p - '0');
        if (v > n) {
            char msg[128];
            snprintf(msg, sizeof(msg), "body has %zu bytes but Content-Length says %zu", n, v);
            hr_err(err, errlen, msg, 0);
            return -1;
        }
        len = v;
    } else {
        while (len && (s[len - 1] == '\n' || s[len - 1] == '\r')) len--;   /* editor's newline */
    }
    r->body = hr_dup(s, len);
    r->body_len = len;
    return r->body ? 0 : -2;
}

static int hr_has_nul(const char *s, size_t n) { return memchr(s, '\0', n) != NULL; }

static int hr_parse_text(httpreq *r, const char *t, size_t n, char *err, size_t errlen) {
    hr_line l;
    size_t off = 0, lineno = 0;
    while (hr_next_line(t, n, off, &l) && hr_is_blank(&l)) off = l.next;
    if (!hr_next_line(t, n, off, &l)) {
        hr_err(err, errlen, "empty request", 0);
        return -1;
    }
    if (hr_has_nul(l.s, l.n)) {
        hr_err(err, errlen, "NUL byte in request line", 1);
        return -1;
    }
    int rc = hr_request_line(r, l.s, l.n, err, errlen);
    if (rc) return rc;
    for (off = l.next, lineno = 2; hr_next_line(t, n, off, &l); off = l.next, lineno++) {
        if (l.n == 0 || hr_is_blank(&l)) {
            off = l.next;
            return hr_body(r, t + off, n - off, err, errlen);
        }
        if (hr_has_nul(l.s, l.n)) {
            hr_err(err, errlen, "NUL byte in header", lineno);
            return -1;
        }
        if ((l.s[0] == ' ' || l.s[0] == '\t') && r->nheaders) rc = hr_fold(r, l.s, l.n);
        else rc = hr_add_header(r, l.s, l.n, lineno, err, errlen);
        if (rc) return rc;
    }
    return hr_body(r, t + n, 0, err, errlen);
}

/* ---- a pasted curl command line ---- */

#define HR_CURL_MAX_ARGS 256

typedef struct hr_args {
    buf_t v[HR_CURL_MAX_ARGS];
    size_t n;
} hr_args;

static void hr_args_free(hr_args *a) {
    for (size_t i = 0; i < a->n; i++) buf_free(&a->v[i]);
    a->n = 0;
}

/* POSIX-shell words: '...' literal, "..." with \" \\ \$ \` escapes,
 * backslash escapes outside quotes, backslash-newline continues the line.
 * 0 ok, -1 with err set. */
static int hr_shell_split(const char *t, size_t n, hr_args *a, char *err, size_t errlen) {
    size_t i = 0;
    int oom = 0;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) i++;
        if (i + 1 < n && t[i] == '\\' && (t[i + 1] == '\n' || t[i + 1] == '\r')) {
            i += 2;
            continue;
        }
        if (i >= n) break;
        if (a->n == HR_CURL_MAX_ARGS) {
            hr_err(err, errlen, "curl command has too many arguments", 0);
            return -1;
        }
        buf_t *w = &a->v[a->n++];
        buf_init(w);
        oom |= buf_append(w, "", 0);
        while (i < n && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r') {
            char c = t[i++];
            if (c == '\'') {
                const char *q = memchr(t + i, '\'', n - i);
                if (!q) goto unterminated;
                oom |= buf_append(w, t + i, (size_t)(q - t - i));
                i = (size_t)(q - t) + 1;
            } else if (c == '"') {
                while (i < n && t[i] != '"') {
                    if (t[i] == '\\' && i + 1 < n && strchr("\"\\$`\n", t[i + 1])) {
                        if (t[i + 1] != '\n') oom |= buf_putc(w, t[i + 1]);
                        i += 2;
                    } else {
                        oom |= buf_putc(w, t[i++]);
                    }
                }
                if (i >= n) goto unterminated;
                i++;
            } else if (c == '\\' && i < n) {
                if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') i++;
                if (t[i] != '\n' && t[i] != '\r') oom |= buf_putc(w, t[i]);
                i++;
            } else {
                oom |= buf_putc(w, c);
            }
        }
    }
    if (oom) {
        hr_err(err, errlen, "out of memory", 0);
        return -1;
    }
    return 0;
unterminated:
    hr_err(err, errlen, "curl command has an unterminated quote", 0);
    return -1;
}

/* curl options that take a value we do not use. */
static int hr_curl_skip_opt(const char *o) {
    static const char *const opts[] = {
        "-o", "--output", "-u", "--user", "-A", "--user-agent", "-e", "--referer", "-b", "--cookie",
        "-c", "--cookie-jar", "-m", "--max-time", "-x", "--proxy", "-w", "--write-out",
        "--connect-timeout", "--retry", "--cacert", "--capath", "-E", "--cert", "--key",
        "--resolve", "--interface", "--limit-rate", "-r", "--range", "--http-version", "-K", "--config",
        "--trace", "--trace-ascii", "-D", "--dump-header", "--max-redirs", "--retry-delay",
        "--retry-max-time", "--connect-to", "-U", "--proxy-user", "--unix-socket", NULL};
    for (size_t i = 0; opts[i]; i++)
        if (strcmp(o, opts[i]) == 0) return 1;
    return 0;
}

static int hr_curl_data_opt(const char *o) {
    return !strcmp(o, "-d") || !strcmp(o, "--data") || !strcmp(o, "--data-raw") ||
           !strcmp(o, "--data-ascii") || !strcmp(o, "--data-binary");
}

/* --data-urlencode: "name=content" -> name=enc(content); "=content" or
 * "content" -> enc(content) (curl's rules, unreserved set kept). */
static int hr_curl_urlencode(buf_t *data, const char *v) {
    const char *eq = strchr(v, '=');
    if (eq && eq != v && buf_append(data, v, (size_t)(eq - v + 1)) < 0) return -1;
    const char *content = eq ? eq + 1 : v;
    return pct_encode(data, content, strlen(content));
}

typedef struct hr_curl {
    const char *method, *url;
    int get;
    buf_t data, headers;
    int has_data, has_ct;
} hr_curl;

static int hr_curl_option(hr_curl *c, hr_args *a, size_t *i, char *err, size_t errlen) {
    const char *o = a->v[*i].data;
    char shortopt[3];
    const char *attached = NULL;
    if (o[0] == '-' && o[1] && strchr("XHd", o[1]) && o[2]) {   /* -XPOST, -H'X: y', -da=1 */
        shortopt[0] = '-';
        shortopt[1] = o[1];
        shortopt[2] = '\0';
        attached = o + 2;
        o = shortopt;
    }
    int takes = hr_curl_data_opt(o) || !strcmp(o, "--data-urlencode") || !strcmp(o, "-X") ||
                !strcmp(o, "--request") || !strcmp(o, "-H") || !strcmp(o, "--header") ||
                !strcmp(o, "--url") || hr_curl_skip_opt(o) || !strcmp(o, "-F") || !strcmp(o, "--form");
    if (!strcmp(o, "-G") || !strcmp(o, "--get")) c->get = 1;
    if (!takes) return 0;                       /* a flag such as -v, -s, -k, --compressed */
    if (!attached && *i + 1 >= a->n) {
        char msg[96];
        snprintf(msg, sizeof(msg), "curl option %s needs a value", o);
        hr_err(err, errlen, msg, 0);
        return -1;
    }
    const char *v = attached ? attached : a->v[++*i].data;
    int oom = 0;
    if (!strcmp(o, "-F") || !strcmp(o, "--form")) {
        hr_err(err, errlen, "curl -F (multipart) bodies are not supported by Binance; use -d", 0);
        return -1;
    }
    if ((hr_curl_data_opt(o) || !strcmp(o, "--data-urlencode")) && v[0] == '@') {
        hr_err(err, errlen, "curl @file data cannot be read here; paste the data itself", 0);
        return -1;
    }
    if (hr_curl_data_opt(o) || !strcmp(o, "--data-urlencode")) {
        if (c->has_data) oom |= buf_putc(&c->data, '&');
        c->has_data = 1;
        if (!strcmp(o, "--data-urlencode")) oom |= hr_curl_urlencode(&c->data, v);
        else oom |= buf_puts(&c->data, v);
    } else if (!strcmp(o, "-X") || !strcmp(o, "--request")) {
        c->method = v;
    } else if (!strcmp(o, "-H") || !strcmp(o, "--header")) {
        if (!strncasecmp(v, "Content-Type:", 13)) c->has_ct = 1;
        oom |= buf_puts(&c->headers, v);
        oom |= buf_putc(&c->headers, '\n');
    } else if (!strcmp(o, "--url")) {
        c->url = v;
    }
    if (oom) {
        hr_err(err, errlen, "out of memory", 0);
        return -1;
    }
    return 0;
}

/* Rebuild the request a curl command would send as raw HTTP text in out. */
static int hr_curl_command(const char *t, size_t n, buf_t *out, char *err, size_t errlen) {
    hr_args a;
    hr_curl c;
    int rc = 0;
    a.n = 0;
    memset(&c, 0, sizeof(c));
    if (hr_shell_split(t, n, &a, err, errlen) < 0) {
        hr_args_free(&a);
        return -1;
    }
    for (size_t i = 1; i < a.n && rc == 0; i++) {
        const char *w = a.v[i].data;
        if (w[0] == '-' && w[1]) rc = hr_curl_option(&c, &a, &i, err, errlen);
        else if (!c.url) c.url = w;
    }
    if (rc == 0 && !c.url) {
        hr_err(err, errlen, "curl command has no URL", 0);
        rc = -1;
    }
    if (rc == 0) {
        int oom = 0;
        const char *method = c.method ? c.method : (c.has_data && !c.get ? "POST" : "GET");
        oom |= buf_printf(out, "%s %s", method, c.url);
        if (c.get && c.has_data) {
            oom |= buf_putc(out, strchr(c.url, '?') ? '&' : '?');
            oom |= buf_append(out, c.data.data, c.data.len);
        }
        oom |= buf_puts(out, " HTTP/1.1\n");
        oom |= buf_append(out, buf_cstr(&c.headers), c.headers.len);
        if (c.has_data && !c.get) {
            if (!c.has_ct) oom |= buf_puts(out, "Content-Type: application/x-www-form-urlencoded\n");
            oom |= buf_printf(out, "Content-Length: %zu\n\n", c.data.len);
            oom |= buf_append(out, buf_cstr(&c.data), c.data.len);
        }
        if (oom) {
            hr_err(err, errlen, "out of memory", 0);
            rc = -1;
        }
    }
    buf_free(&c.data);
    buf_free(&c.headers);
    hr_args_free(&a);
    return rc;
}

static int hr_is_curl_command(const char *t, size_t n) {
    while (n && (*t == ' ' || *t == '\t')) { t++; n--; }
    return n >= 5 && memcmp(t, "curl", 4) == 0 && (t[4] == ' ' || t[4] == '\t');
}

int httpreq_parse(httpreq *r, const char *text, size_t n, char *err, size_t errlen) {
    memset(r, 0, sizeof(*r));
    if (err && errlen) err[0] = '\0';
    if (!text) n = 0;
    buf_t curl = BUF_INIT;
    hr_line l;
    size_t off = 0;
    int oom = 0, rc;
    while (hr_next_line(text, n, off, &l) && hr_is_blank(&l)) off = l.next;
    if (text && hr_is_curl_command(text + off, n - off)) {
        if (hr_curl_command(text + off, n - off, &curl, err, errlen) < 0) {
            buf_free(&curl);
            return -1;
        }
        rc = hr_parse_text(r, buf_cstr(&curl), curl.len, err, errlen);
    } else if (hr_curl_transcript(text, n, off, &curl, &oom))
        rc = oom ? -2 : hr_parse_text(r, buf_cstr(&curl), curl.len, err, errlen);
    else
        rc = hr_parse_text(r, text ? text : "", n, err, errlen);
    buf_free(&curl);
    if (rc == -2) hr_err(err, errlen, "out of memory", 0);
    if (rc) {
        httpreq_free(r);
        return -1;
    }
    return 0;
}
