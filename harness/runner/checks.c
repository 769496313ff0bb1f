/* checks: evaluation of a step's checks against what the library surfaced
 * (the adapter's answer) and what the server saw (the journal entries the
 * step caused). One small function per check kind; the table at the end
 * maps the "check" name of a case file to it (PROTOCOL.md "Checks"). */
#include "conform.h"
#include "json_guard.h"
#include <strings.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*check_fn)(const check_env *env, const cJSON *ck, char *msg, size_t n);

/* ---- JSON helpers ---- */

/* Path: name(.name)*, each with optional [N] or [key=value] selectors. */
const cJSON *json_path(const cJSON *root, const char *path)
{
    const cJSON *cur = root;
    const char *p = path;
    while (cur && *p) {
        if (*p == '.')
            p++;
        if (*p != '[') {
            size_t l = strcspn(p, ".[");
            char name[128];
            if (l >= sizeof name)
                return NULL;
            memcpy(name, p, l);
            name[l] = '\0';
            cur = cJSON_GetObjectItemCaseSensitive(cur, name);
            p += l;
        }
        while (cur && *p == '[') {
            const char *end = strchr(p, ']'), *eq;
            char sel[160];
            size_t l;
            if (!end || (l = (size_t)(end - p - 1)) >= sizeof sel)
                return NULL;
            memcpy(sel, p + 1, l);
            sel[l] = '\0';
            eq = strchr(sel, '=');
            if (!eq) {
                cur = cJSON_GetArrayItem(cur, atoi(sel));
            } else {
                const cJSON *it, *found = NULL;
                sel[eq - sel] = '\0';
                cJSON_ArrayForEach(it, cur) {
                    const cJSON *f = cJSON_GetObjectItemCaseSensitive(it, sel);
                    if (cJSON_IsString(f) && strcmp(f->valuestring, eq + 1) == 0) {
                        found = it;
                        break;
                    }
                }
                cur = found;
            }
            p = end + 1;
        }
    }
    return cur;
}

static int json_num(const cJSON *v, double *out)
{
    char *end;
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return 1;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return 0;
    *out = strtod(v->valuestring, &end);
    return *end == '\0';
}

/* a (expected / the server's) equals b (the library's) as JSON: numbers and
 * numeric strings compared by value, objects by a's members (b may add more). */
int json_values_equal(const cJSON *a, const cJSON *b)
{
    double x, y;
    if (!a || !b)
        return a == b;
    if (json_num(a, &x) && json_num(b, &y))
        return fabs(x - y) <= 1e-9 * fmax(1.0, fmax(fabs(x), fabs(y)));
    if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        const cJSON *i = a->child, *j = b->child;
        for (; i && j; i = i->next, j = j->next)
            if (!json_values_equal(i, j))
                return 0;
        return !i && !j;
    }
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {   /* b may carry extra fields */
        const cJSON *i;
        cJSON_ArrayForEach(i, a)
            if (!json_values_equal(i, cJSON_GetObjectItemCaseSensitive(b, i->string)))
                return 0;
        return 1;
    }
    return cJSON_Compare(a, b, 1);
}

static void json_short(const cJSON *v, char *out, size_t n)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    snprintf(out, n, "%.120s%s", s ? s : "(absent)", s && strlen(s) > 120 ? "..." : "");
    free(s);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An adapter error object in one line: "HTTP 400, code -1022, \"msg\"". */
static void error_short(const cJSON *e, char *out, size_t n)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "httpStatus");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const char *msg = jstr(e, "msg");
    size_t l = 0;
    out[0] = '\0';
    if (cJSON_IsNumber(st))
        l += (size_t)snprintf(out + l, n - l, "HTTP %d", (int)st->valuedouble);
    else
        l += (size_t)snprintf(out + l, n - l, "no HTTP status");
    if (l < n && cJSON_IsNumber(code))
        l += (size_t)snprintf(out + l, n - l, ", code %d", (int)code->valuedouble);
    else if (l < n)
        l += (size_t)snprintf(out + l, n - l, ", no code");
    if (l < n && msg)
        snprintf(out + l, n - l, ", \"%.100s\"", msg);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "unknown")) && strlen(out) + 10 < n)
        strcat(out, ", unknown");
}

static int result_ok(const cJSON *r) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")); }

/* ---- journal helpers ---- */

static int entry_is_ws(const cJSON *e)
{
    const char *t = jstr(e, "transport");
    return t && strcmp(t, "ws") == 0;
}

/* REST: the endpoint's security type; WS API: the request carried a signature. */
static int entry_signed(const cJSON *e)
{
    const char *sec = jstr(e, "security");
    if (entry_is_ws(e))
        return jstr(e, "signature") != NULL;
    return sec && strcmp(sec, "NONE") != 0;
}

static int entry_selected(const cJSON *e, const cJSON *sel)
{
    const char *m = jstr(sel, "method"), *p = jstr(sel, "path"), *s = jstr(sel, "security");
    const char *em = jstr(e, "method"), *ep = jstr(e, "path"), *es = jstr(e, "security");
    const char *t = jstr(sel, "transport");
    if (t && strcmp(t, jstr(e, "transport") ? jstr(e, "transport") : "rest") != 0)
        return 0;   /* "rest", "ws" (WS API) or "stream" (stream control frames) */
    if (m && (!em || strcmp(m, em) != 0))
        return 0;
    if (p && (!ep || strcmp(p, ep) != 0))
        return 0;
    if (s && strcmp(s, "signed") == 0)
        return entry_signed(e);
    if (s && (!es || strcmp(s, es) != 0))
        return 0;
    return 1;
}

/* WS API: a member of the request frame's params, as text; 1 found. */
static int entry_ws_param(const cJSON *e, const char *name, char *out, size_t n)
{
    cJSON *f = jstr(e, "body") ? json_guard_parse_str(jstr(e, "body")) : NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f, "params"), name);
    char *t = NULL;
    if (v)
        t = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
    if (v)
        snprintf(out, n, "%s", cJSON_IsString(v) ? v->valuestring : t ? t : "");
    free(t);
    cJSON_Delete(f);
    return v != NULL;
}

/* Raw (still percent-encoded) value of a pair in query then body; 1 found.
 * WS API entries: the value in the request frame's params. */
static int entry_param(const cJSON *e, const char *name, char *out, size_t n)
{
    const char *parts[2] = {jstr(e, "query"), jstr(e, "body")};
    size_t nl = strlen(name);
    if (entry_is_ws(e))
        return entry_ws_param(e, name, out, n);
    for (int i = 0; i < 2; i++) {
        const char *p = parts[i];
        while (p && *p) {
            size_t l = strcspn(p, "&");
            if (l > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
                size_t vl = l - nl - 1 < n - 1 ? l - nl - 1 : n - 1;
                memcpy(out, p + nl + 1, vl);
                out[vl] = '\0';
                return 1;
            }
            p += l;
            if (*p == '&')
                p++;
        }
    }
    return 0;
}

static const cJSON *entry_header(const cJSON *e, const char *name)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(e, "headers"), *it;
    cJSON_ArrayForEach(it, h)
        if (it->string && strcasecmp(it->string, name) == 0)
            return it;
    return NULL;
}

/* The explain record's diagnosis: "mistake" as {"id","text"} or a string. */
static const char *entry_mistake(const cJSON *e, const char **text)
{
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(e, "explain");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(ex, "mistake");
    *text = NULL;
    if (cJSON_IsString(m))
        return m->valuestring;
    if (cJSON_IsObject(m)) {
        *text = jstr(m, "text");
        return jstr(m, "id");
    }
    return NULL;
}

static void entry_describe(const cJSON *e, char *out, size_t n)
{
    const char *text, *mistake = entry_mistake(e, &text);
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
    snprintf(out, n, "%s %s (status %d%s%s)", jstr(e, "method") ? jstr(e, "method") : "?",
             jstr(e, "path") ? jstr(e, "path") : "?", cJSON_IsNumber(st) ? (int)st->valuedouble : 0,
             mistake ? ", explain: " : "", mistake ? mistake : "");
}

/* Append the server's diagnosis of the first request whose signature failed. */
static void journal_explain_note(const check_env *env, char *msg, size_t n)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, env->journal) {
        const char *text, *mistake = entry_mistake(e, &text);
        size_t l = strlen(msg);
        if (!mistake || l + 1 >= n)
            continue;
        snprintf(msg + l, n - l, " [server explain: %s%s%.200s]", mistake, text ? ": " : "",
                 text ? text : "");
        return;
    }
}

/* Append what the server saw of the step: "[server: GET /api/v3/account -> 400 -1022]". */
static void journal_story_note(const check_env *env, char *msg, size_t n)
{
    char story[400];
    size_t l = strlen(msg);
    narrate_journal(env->journal, story, sizeof story);
    if (l + 12 < n)
        snprintf(msg + l, n - l, " [server: %s]", story);
}

/* ---- check kinds ---- */

static int ck_ok(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(env->result, "error");
    char s[200];
    if (result_ok(env->result))
        return 1;
    error_short(e, s, sizeof s);
    snprintf(msg, n, "expected success, library surfaced error (%s)", s);
    journal_story_note(env, msg, n);
    journal_explain_note(env, msg, n);
    return 0;
}

static int ck_error(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(env->result, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(ck, "code");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(ck, "httpStatus");
    char s[200];
    if (result_ok(env->result))
        return snprintf(msg, n, "expected an error, library reported success"), 0;
    error_short(e, s, sizeof s);
    if (code && !json_values_equal(code, cJSON_GetObjectItemCaseSensitive(e, "code"))) {
        snprintf(msg, n, "expected error code %d, library surfaced (%s)", (int)code->valuedouble, s);
        journal_explain_note(env, msg, n);
        return 0;
    }
    if (st && !json_values_equal(st, cJSON_GetObjectItemCaseSensitive(e, "httpStatus")))
        return snprintf(msg, n, "expected HTTP status %d, library surfaced (%s)",
                        (int)st->valuedouble, s), 0;
    /* "msg": the exact text, where Binance's errors.md fixes it for this code */
    const char *want = jstr(ck, "msg"), *got = jstr(e, "msg");
    if (want && (!got || strcmp(want, got) != 0))
        return snprintf(msg, n, "expected message \"%.150s\", library surfaced (%s)", want, s), 0;
    return 1;
}

static int ck_data(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const char *path = jstr(ck, "path");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(env->result, "data");
    const cJSON *v = path ? json_path(d, path) : d;
    const cJSON *eq = cJSON_GetObjectItemCaseSensitive(ck, "equals");
    char s[200];
    if (!result_ok(env->result))
        return snprintf(msg, n, "no data: the call failed"), 0;
    if (!v)
        return snprintf(msg, n, "data.%s is missing", path ? path : ""), 0;
    if (eq && !json_values_equal(eq, v)) {
        char want[200];
        json_short(eq, want, sizeof want);
        json_short(v, s, sizeof s);
        return snprintf(msg, n, "data.%s is %s, expected %s", path ? path : "", s, want), 0;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ck, "nonEmpty")) &&
        (cJSON_IsArray(v) || cJSON_IsObject(v)) && cJSON_GetArraySize(v) == 0)
        return snprintf(msg, n, "data.%s is empty", path ? path : ""), 0;
    return 1;
}

static int ck_same_as(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const char *req = jstr(ck, "request"), *path = jstr(ck, "path");
    const char *dpath = jstr(ck, "dataPath") ? jstr(ck, "dataPath") : path;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(env->result, "data");
    char err[256], a[160], b[160];
    cJSON *srv;
    int same;
    if (!result_ok(env->result))
        return snprintf(msg, n, "no data: the call failed"), 0;
    if (!req || !(srv = api_get(&env->cx->srv, req, err, sizeof err)))
        return snprintf(msg, n, "harness: cannot read %s: %s", req ? req : "?", err), 0;
    same = json_values_equal(path ? json_path(srv, path) : srv, dpath ? json_path(d, dpath) : d);
    if (!same) {
        json_short(path ? json_path(srv, path) : srv, a, sizeof a);
        json_short(dpath ? json_path(d, dpath) : d, b, sizeof b);
        snprintf(msg, n, "library read %s, server has %s", b, a);
    }
    cJSON_Delete(srv);
    return same;
}

static int ck_journal(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(ck, "select"), *e;
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(ck, "min");
    const cJSON *mx = cJSON_GetObjectItemCaseSensitive(ck, "max");
    const char *field = jstr(ck, "field"), *header = jstr(ck, "header"), *param = jstr(ck, "param");
    const cJSON *eq = cJSON_GetObjectItemCaseSensitive(ck, "equals");
    int count = 0, absent = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ck, "absent"));
    char d[300], s[200], pv[256];
    cJSON_ArrayForEach(e, env->journal) {
        if (!entry_selected(e, sel))
            continue;
        count++;
        entry_describe(e, d, sizeof d);
        if (field) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, field);
            if (eq && !json_values_equal(eq, v)) {
                json_short(v, s, sizeof s);
                return snprintf(msg, n, "server saw %s=%s on %s", field, s, d), 0;
            }
        }
        if (header && !absent && !entry_header(e, header))
            return snprintf(msg, n, "header %s missing on %s", header, d), 0;
        if (header && absent && entry_header(e, header))
            return snprintf(msg, n, "header %s present on %s", header, d), 0;
        if (param) {
            int has = entry_param(e, param, pv, sizeof pv);
            if (absent && has)
                return snprintf(msg, n, "parameter %s sent on %s", param, d), 0;
            if (!absent && !has)
                return snprintf(msg, n, "parameter %s not sent on %s", param, d), 0;
            if (has && eq && cJSON_IsString(eq) && strcmp(eq->valuestring, pv) != 0)
                return snprintf(msg, n, "%s=%s on %s, expected %s", param, pv, d, eq->valuestring), 0;
            if (has && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ck, "digits"))) {
                size_t want = (size_t)cJSON_GetObjectItemCaseSensitive(ck, "digits")->valuedouble;
                if (strlen(pv) != want || strspn(pv, "0123456789") != want)
                    return snprintf(msg, n, "%s=%s has %zu characters, expected %zu digits", param,
                                    pv, strlen(pv), want), 0;
            }
        }
    }
    if (cJSON_IsNumber(mn) && count < (int)mn->valuedouble)
        return snprintf(msg, n, "server received %d matching request(s), expected at least %d",
                        count, (int)mn->valuedouble), 0;
    if (cJSON_IsNumber(mx) && count > (int)mx->valuedouble)
        return snprintf(msg, n, "server received %d matching request(s), expected at most %d",
                        count, (int)mx->valuedouble), 0;
    return 1;
}

/* A piece of the key that must never be on the wire. */
static int secret_probe(const keymat *km, char *out, size_t n)
{
    const char *t = km ? km->private_text : NULL, *nl;
    if (!t)
        return 0;
    if (strncmp(t, "-----BEGIN", 10) != 0) {
        snprintf(out, n, "%s", t);
        return 1;
    }
    nl = strchr(t, '\n');
    if (!nl || strlen(nl) < 60)
        return 0;
    snprintf(out, n, "%.32s", nl + 20);   /* inside the private key's base64 */
    return 1;
}

static int ck_no_secret(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    char probe[128], d[300];
    const cJSON *e;
    if (!secret_probe(env->km, probe, sizeof probe))
        return 1;
    cJSON_ArrayForEach(e, env->journal) {
        char *s = cJSON_PrintUnformatted(e);
        int leak = s && strstr(s, probe) != NULL;
        free(s);
        if (leak) {
            entry_describe(e, d, sizeof d);
            return snprintf(msg, n, "the secret / private key was sent on the wire in %s", d), 0;
        }
    }
    return 1;
}

static int ck_signed_valid(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e;
    char d[300];
    int seen = 0;
    cJSON_ArrayForEach(e, env->journal) {
        const char *v = jstr(e, "verdict");
        if (!entry_signed(e))
            continue;
        seen++;
        if (!v || strcmp(v, "valid") != 0) {
            entry_describe(e, d, sizeof d);
            return snprintf(msg, n, "signature %s on %s", v ? v : "not verified", d), 0;
        }
    }
    if (!seen && !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ck, "required")))
        return snprintf(msg, n, "no signed request reached the server"), 0;
    return 1;
}

static int ck_no_sig_on_none(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e;
    char d[300], pv[256];
    cJSON_ArrayForEach(e, env->journal) {
        if (entry_signed(e) || !jstr(e, "security"))
            continue;
        if (entry_param(e, "signature", pv, sizeof pv) || entry_param(e, "timestamp", pv, sizeof pv)) {
            entry_describe(e, d, sizeof d);
            return snprintf(msg, n, "signature/timestamp sent on public endpoint %s", d), 0;
        }
    }
    return 1;
}

static int ck_no_retired(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    static const char *retired[] = {"/api/v1/", "/api/v2/", "/wapi/", "/api/v3/userDataStream"};
    const cJSON *e;
    cJSON_ArrayForEach(e, env->journal) {
        const char *p = jstr(e, "path");
        for (size_t i = 0; p && i < sizeof retired / sizeof retired[0]; i++)
            if (strncmp(p, retired[i], strlen(retired[i])) == 0)
                return snprintf(msg, n, "retired endpoint used: %s", p), 0;
    }
    return 1;
}

static int ck_api_key_header(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e, *h;
    char d[300];
    cJSON_ArrayForEach(e, env->journal) {
        if (!entry_signed(e))
            continue;
        entry_describe(e, d, sizeof d);
        h = entry_header(e, "X-MBX-APIKEY");
        if (!h)
            return snprintf(msg, n, "X-MBX-APIKEY header missing on %s", d), 0;
        if (env->km && cJSON_IsString(h) && strcmp(h->valuestring, env->km->api_key) != 0)
            return snprintf(msg, n, "X-MBX-APIKEY is not the configured key on %s", d), 0;
    }
    return 1;
}

static int ck_retry_after(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(env->result, "error");
    const cJSON *ra = cJSON_GetObjectItemCaseSensitive(e, "retryAfter");
    if (cJSON_IsString(ra) || cJSON_IsNumber(ra))
        return 1;
    return snprintf(msg, n, "the library did not surface the Retry-After header"), 0;
}

/* 5xx = execution status unknown. Passes on the adapter's unknown flag or a
 * surfaced 5xx status; "acceptCodes": [-1006, -1007] also accepts those
 * codes (they mean "execution status unknown" too) for a weaker check. */
static int ck_unknown(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(env->result, "error");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "httpStatus");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code"), *it;
    if (!result_ok(env->result)) {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "unknown")))
            return 1;
        if (cJSON_IsNumber(st) && st->valuedouble >= 500 && st->valuedouble <= 599)
            return 1;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ck, "acceptCodes"))
            if (cJSON_IsNumber(code) && json_values_equal(it, code))
                return 1;
    }
    narrate_unknown(env->journal, env->result, msg, n);   /* what the library did */
    return 0;
}

static const struct { const char *name; check_fn fn; } check_table[] = {
    {"ok", ck_ok},
    {"error", ck_error},
    {"data", ck_data},
    {"sameAs", ck_same_as},
    {"journal", ck_journal},
    {"noSecret", ck_no_secret},
    {"signedValid", ck_signed_valid},
    {"noSignatureOnNone", ck_no_sig_on_none},
    {"noRetired", ck_no_retired},
    {"apiKeyHeader", ck_api_key_header},
    {"retryAfter", ck_retry_after},
    {"unknown", ck_unknown},
    {"bookApply", ck_book_apply},
    {"bookEquals", ck_book_equals},
};

int check_eval(const check_env *env, const cJSON *check, cJSON *out, int *level_out,
               char *msg, size_t msglen)
{
    const char *name = jstr(check, "check"), *level = jstr(check, "level");
    int pass = 0, lv = 0;
    msg[0] = '\0';
    if (level && strcmp(level, "nonstrict") == 0)
        lv = 1;
    else if (level && strcmp(level, "info") == 0)
        lv = 2;
    for (size_t i = 0; name && i < sizeof check_table / sizeof check_table[0]; i++)
        if (strcmp(name, check_table[i].name) == 0) {
            pass = check_table[i].fn(env, check, msg, msglen);
            goto done;
        }
    snprintf(msg, msglen, "harness: unknown check '%s'", name ? name : "(none)");
done:
    if (out) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "check", name ? name : "?");
        cJSON_AddStringToObject(o, "level", lv == 0 ? "fail" : lv == 1 ? "nonstrict" : "info");
        cJSON_AddBoolToObject(o, "pass", pass);
        if (!pass)
            cJSON_AddStringToObject(o, "msg", msg);
        if (jstr(check, "why"))
            cJSON_AddStringToObject(o, "why", jstr(check, "why"));
        cJSON_AddItemToArray(out, o);
    }
    *level_out = lv;
    return pass;
}
