/* params: parse a query string, a form body or a WS API JSON `params` object
 * into one ordered list of pairs, each keeping its raw wire bytes, decoded
 * name/value, source and arrival order. Lookups: the query wins over the body.
 * JSON values keep their exact source text (cJSON validates and unescapes
 * strings; the raw token spans come from our own scan of the same text). */
#define _GNU_SOURCE 1 /* memmem */
#include "params.h"
#include "json_guard.h"
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void params_init(params_t *p) { p->v = NULL; p->n = 0; p->cap = 0; }

static void params_pair_free(param_t *q) { free(q->raw); free(q->name); free(q->value); }

void params_free(params_t *p) {
    for (size_t i = 0; i < p->n; i++) params_pair_free(&p->v[i]);
    free(p->v);
    params_init(p);
}

static param_t *params_slot(params_t *p) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof(param_t)) return NULL;
        param_t *v = realloc(p->v, cap * sizeof(param_t));
        if (!v) return NULL;
        p->v = v;
        p->cap = cap;
    }
    param_t *q = &p->v[p->n];
    memset(q, 0, sizeof(*q));
    q->index = (unsigned)p->n;
    return q;
}

static char *params_dup(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Decode one part of a pair; on error keep the first status. */
static int params_decode(const char *s, size_t n, char **out, size_t *out_len, pct_status *st) {
    buf_t b = BUF_INIT;
    pct_status r = pct_decode(&b, s, n, 1, NULL);
    if (r == PCT_OOM) { buf_free(&b); return -1; }
    if (r != PCT_OK && *st == PCT_OK) *st = r;
    *out_len = b.len;
    *out = buf_steal(&b);
    return *out ? 0 : -1;
}

static int params_add_raw(params_t *p, const char *s, size_t n, param_src src) {
    param_t *q = params_slot(p);
    if (!q) return -1;
    const char *eq = memchr(s, '=', n);
    size_t nl = eq ? (size_t)(eq - s) : n;
    q->src = src;
    q->status = PCT_OK;
    if (!(q->raw = params_dup(s, n)) ||
        params_decode(s, nl, &q->name, &q->name_len, &q->status) < 0 ||
        params_decode(eq ? eq + 1 : s + n, eq ? n - nl - 1 : 0, &q->value, &q->value_len,
                      &q->status) < 0) {
        params_pair_free(q);
        return -1;
    }
    q->raw_len = n;
    p->n++;
    return 0;
}

static size_t params_count_pairs(const char *s, size_t n) {
    size_t count = 0, i = 0;
    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - s) : n;
        if (end > i) count++;
        i = end + 1;
    }
    return count;
}

int params_parse(params_t *p, const char *s, size_t n, param_src src, size_t max_pairs) {
    if (!s) n = 0;
    if (max_pairs && params_count_pairs(s, n) > max_pairs - (p->n < max_pairs ? p->n : max_pairs))
        return -2;
    size_t i = 0;
    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - s) : n;
        if (end > i && params_add_raw(p, s + i, end - i, src) < 0) return -1;
        i = end + 1;
    }
    return 0;
}

int params_add(params_t *p, const char *name, const char *value, param_src src) {
    param_t *q = params_slot(p);
    if (!q) return -1;
    size_t nl = strlen(name), vl = strlen(value);
    q->src = src;
    q->name = params_dup(name, nl);
    q->value = params_dup(value, vl);
    q->raw = malloc(nl + vl + 2);
    if (!q->name || !q->value || !q->raw) {
        params_pair_free(q);
        return -1;
    }
    memcpy(q->raw, name, nl);
    q->raw[nl] = '=';
    memcpy(q->raw + nl + 1, value, vl + 1);
    q->name_len = nl;
    q->value_len = vl;
    q->raw_len = nl + vl + 1;
    q->status = PCT_OK;
    q->json_string = src == PARAM_JSON;
    p->n++;
    return 0;
}

/* ---- JSON: token spans of an already validated text ---- */

static size_t json_ws(const char *s, size_t n, size_t i) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* s[i] == '"': index just past the closing quote. */
static size_t json_skip_string(const char *s, size_t n, size_t i) {
    for (i++; i < n; i++) {
        if (s[i] == '\\') i++;
        else if (s[i] == '"') return i + 1;
    }
    return n;
}

/* Index just past the value starting at s[i]: a string, a container (with
 * its nested values) or a scalar token (ends at the next ',', '}' or ']'). */
static size_t json_skip_value(const char *s, size_t n, size_t i) {
    if (i < n && s[i] == '"') return json_skip_string(s, n, i);
    if (i < n && (s[i] == '{' || s[i] == '[')) {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = json_skip_string(s, n, i);
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
            i++;
        }
        return n;
    }
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']') i++;
    return i;
}

/* 1 if the text holds no raw control byte, in strings or as "whitespace"
 * (cJSON lets both in; RFC 8259 does not). */
static int json_strings_clean(const char *s, size_t n) {
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && (in || (c != ' ' && c != '\t' && c != '\n' && c != '\r'))) return 0;
        if (in && c == '\\') i++;
        else if (c == '"') in = !in;
    }
    return 1;
}

/* 1 if s[0..n) is a strict JSON number (cJSON also takes 01, 1., +1). */
static int json_strict_number(const char *s, size_t n) {
    size_t i = 0;
    if (i < n && s[i] == '-') i++;
    if (i >= n) return 0;
    if (s[i] == '0') i++;
    else if (s[i] >= '1' && s[i] <= '9') while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    else return 0;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == d) return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == d) return 0;
    }
    return i == n;
}

/* Trim trailing JSON whitespace of a scalar token span. */
static size_t json_trim_end(const char *s, size_t a, size_t b) {
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r'))
        b--;
    return b;
}

static int params_json_member(params_t *p, const cJSON *m, const char *json, size_t ks, size_t vs,
                              size_t ve) {
    param_t *q = params_slot(p);
    if (!q) return -1;
    q->src = PARAM_JSON;
    q->status = PCT_OK;
    q->json_string = cJSON_IsString(m);
    const char *name = m->string ? m->string : "";
    q->name_len = strlen(name);
    q->name = params_dup(name, q->name_len);
    if (q->json_string) {
        q->value_len = strlen(m->valuestring);
        q->value = params_dup(m->valuestring, q->value_len);
        if (memmem(json + vs, ve - vs, "\\u0000", 6)) q->status = PCT_NUL;
        else if (!pct_utf8_valid(q->value ? q->value : "", q->value_len, NULL))
            q->status = PCT_BAD_UTF8;
    } else {
        q->value_len = ve - vs;
        q->value = params_dup(json + vs, q->value_len);
    }
    q->raw_len = ve - ks;
    q->raw = params_dup(json + ks, q->raw_len);
    if (!q->name || !q->value || !q->raw) {
        params_pair_free(q);
        return -1;
    }
    if (!pct_utf8_valid(q->name, q->name_len, NULL) && q->status == PCT_OK) q->status = PCT_BAD_UTF8;
    p->n++;
    return 0;
}

int params_parse_json_max(params_t *p, const char *json, size_t n, size_t max_pairs) {
    if (!json) return -3;
    const char *end = NULL;
    cJSON *root = json_guard_parse_opts(json, n, &end, NULL);
    if (!root) return -3;
    if (!cJSON_IsObject(root) || !json_strings_clean(json, n) || !end || end < json || json_ws(json, n, (size_t)(end - json)) != n) {
        cJSON_Delete(root);
        return -3;
    }
    if (max_pairs && (size_t)cJSON_GetArraySize(root) > max_pairs - (p->n < max_pairs ? p->n : max_pairs)) {
        cJSON_Delete(root);
        return -2;
    }
    size_t i = json_ws(json, n, 0) + 1, n0 = p->n;   /* past '{' */
    int rc = 0;
    for (const cJSON *m = root->child; m && rc == 0; m = m->next) {
        i = json_ws(json, n, i);
        if (i < n && json[i] == ',') i = json_ws(json, n, i + 1);
        size_t ks = i;
        i = json_skip_string(json, n, i);
        i = json_ws(json, n, i);
        i = json_ws(json, n, i + 1);           /* past ':' */
        size_t vs = i;
        i = json_skip_value(json, n, i);
        size_t ve = json_trim_end(json, vs, i);
        if (ve > n || vs > ve || (cJSON_IsNumber(m) && !json_strict_number(json + vs, ve - vs))) {
            rc = -3;
            break;
        }
        rc = params_json_member(p, m, json, ks, vs, ve);
    }
    cJSON_Delete(root);
    while (rc != 0 && p->n > n0) params_pair_free(&p->v[--p->n]);   /* all or nothing */
    return rc;
}

int params_parse_json(params_t *p, const char *json, size_t n) {
    return params_parse_json_max(p, json, n, 0);
}

/* ---- lookups ---- */

const param_t *params_get(const params_t *p, const char *name) {
    const param_t *other = NULL;
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->v[i].name, name) != 0) continue;
        if (p->v[i].src == PARAM_QUERY) return &p->v[i];
        if (!other) other = &p->v[i];
    }
    return other;
}

const char *params_value(const params_t *p, const char *name) {
    const param_t *q = params_get(p, name);
    return q ? q->value : NULL;
}

/* Sort key: name bytes (with embedded NULs), then arrival order. */
static int params_cmp_name(const param_t *a, const param_t *b) {
    size_t l = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, l);
    if (c) return c;
    return a->name_len < b->name_len ? -1 : a->name_len > b->name_len;
}

static int params_cmp_ptr(const void *x, const void *y) {
    const param_t *a = *(const param_t *const *)x, *b = *(const param_t *const *)y;
    int c = params_cmp_name(a, b);
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Pointers to every pair sorted by (name, index); caller frees. */
const param_t **params_sorted(const params_t *p) {
    const param_t **v = malloc((p->n ? p->n : 1) * sizeof(*v));
    if (!v) return NULL;
    for (size_t i = 0; i < p->n; i++) v[i] = &p->v[i];
    qsort(v, p->n, sizeof(*v), params_cmp_ptr);
    return v;
}

const param_t *params_find_dup(const params_t *p) {
    const param_t **v = params_sorted(p);
    const param_t *best = NULL;
    if (!v) return NULL;
    for (size_t i = 0; i < p->n; i++) {
        /* the later duplicate of the first pair with the same name and source */
        for (size_t j = i + 1; j < p->n && params_cmp_name(v[i], v[j]) == 0; j++) {
            if (v[j]->src != v[i]->src) continue;
            if (!best || v[j]->index < best->index) best = v[j];
            break;
        }
    }
    free(v);
    return best;
}

const param_t *params_first_bad(const params_t *p) {
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].status != PCT_OK) return &p->v[i];
    return NULL;
}

size_t params_count_distinct(const params_t *p) {
    const param_t **v = params_sorted(p);
    size_t count = 0;
    if (!v) return p->n;
    for (size_t i = 0; i < p->n; i++)
        if (i == 0 || params_cmp_name(v[i - 1], v[i]) != 0) count++;
    free(v);
    return count;
}
