/* ws_frame.c: WebSocket API / stream control text frames - parsing with the
 * raw spans of "id" and "params" kept, and rendering of response frames from
 * the one error catalogue. Pure functions (cJSON + lib/ only). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pct.h"
#include "ws_frame.h"
#include "json_guard.h"

/* ---- a minimal scanner over already-validated JSON text ---- */

static size_t ws_skip_space(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    return i;
}

static size_t ws_skip_string(const char *s, size_t n, size_t i)
{
    i++; /* opening quote */
    while (i < n && s[i] != '"') i += (s[i] == '\\') ? 2 : 1;
    return i < n ? i + 1 : n;
}

static size_t ws_skip_value(const char *s, size_t n, size_t i)
{
    if (i >= n) return n;
    if (s[i] == '"') return ws_skip_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') { i = ws_skip_string(s, n, i); continue; }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') { depth--; if (depth == 0) return i + 1; }
            i++;
        }
        return n;
    }
    while (i < n && !strchr(",}] \t\r\n", s[i])) i++;
    return i;
}

int wsf_member_span(const char *s, size_t n, const char *name, const char **v, size_t *vlen)
{
    size_t nl = strlen(name), i = ws_skip_space(s, n, 0);
    if (i >= n || s[i] != '{') return 0;
    i++;
    for (;;) {
        i = ws_skip_space(s, n, i);
        if (i >= n || s[i] != '"') return 0;
        size_t ks = i + 1, ke = ws_skip_string(s, n, i) - 1;
        i = ws_skip_space(s, n, ke + 1);
        if (i >= n || s[i] != ':') return 0;
        i = ws_skip_space(s, n, i + 1);
        size_t vs = i, ve = ws_skip_value(s, n, i);
        if (ke - ks == nl && memcmp(s + ks, name, nl) == 0) {
            *v = s + vs;
            *vlen = ve - vs;
            return 1;
        }
        i = ws_skip_space(s, n, ve);
        if (i >= n || s[i] != ',') return 0;
        i++;
    }
}

/* ---- WS API requests ---- */

/* 1 if s[0..n) has none of the raw bytes cJSON lets through but JSON text
 * (RFC 8259) forbids: a control byte inside a string, or outside one other
 * than the four blanks (cJSON skips every byte <= 0x20 as blank, NUL
 * included); with utf8, also invalid UTF-8. Found by fuzz_ws_frame /
 * fuzz_ws_api / fuzz_ws_stream: ids and stream names are echoed, and such
 * bytes made reply frames that are not JSON or not UTF-8. */
static int ws_json_text_ok(const char *s, size_t n, int utf8)
{
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && (in || (c != '\t' && c != '\n' && c != '\r'))) return 0;
        if (in && c == '\\') i++;
        else if (c == '"') in = !in;
    }
    return !utf8 || pct_utf8_valid(s, n, NULL);
}

static void ws_copy_span(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* 1 if the JSON string text v[0..vl) (quotes included) decodes to a NUL. */
static int ws_json_str_has_nul(const char *v, size_t vl)
{
    for (size_t i = 1; i + 1 < vl; i++) {
        if (v[i] != '\\') continue;
        if (v[i + 1] == 'u' && i + 5 < vl && memcmp(v + i + 2, "0000", 4) == 0) return 1;
        i++;                                  /* the escaped character */
    }
    return 0;
}

wsf_status wsf_parse_request(const char *s, size_t n, wsf_request *out)
{
    memset(out, 0, sizeof *out);
    strcpy(out->id_raw, "null");
    if (!ws_json_text_ok(s, n, 0)) return WSF_BAD_JSON;
    cJSON *root = json_guard_parse(s, n);
    if (!root) return WSF_BAD_JSON;
    wsf_status st = WSF_OK;
    if (!cJSON_IsObject(root)) { st = WSF_BAD_JSON; goto done; }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    if (id) {
        const char *v; size_t vl;
        if (!cJSON_IsNumber(id) && !cJSON_IsString(id) && !cJSON_IsNull(id)) {
            st = WSF_BAD_ID; goto done;
        }
        if (!wsf_member_span(s, n, "id", &v, &vl) || vl >= sizeof out->id_raw) {
            st = WSF_BAD_ID; goto done;
        }
        if (!vl || !pct_utf8_valid(v, vl, NULL)) { st = WSF_BAD_JSON; goto done; }   /* echoed verbatim */
        ws_copy_span(out->id_raw, sizeof out->id_raw, v, vl);
    }
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "method");
    if (!cJSON_IsString(m) || !m->valuestring[0] || strlen(m->valuestring) >= sizeof out->method) {
        st = WSF_NO_METHOD; goto done;
    }
    const char *name = m->valuestring, *mv;
    size_t mvl;
    if (wsf_member_span(s, n, "method", &mv, &mvl) && ws_json_str_has_nul(mv, mvl)) {
        /* cJSON's string ends at an escaped NUL ("time\u0000x" would read as
         * "time"): such a method names no method; its JSON text (unquoted)
         * matches no route and is what the journal shows */
        if (mvl - 2 >= sizeof out->method) { st = WSF_NO_METHOD; goto done; }
        ws_copy_span(out->method, sizeof out->method, mv + 1, mvl - 2);
    } else {
        if (strncmp(name, "v3/", 3) == 0 && name[3]) name += 3;   /* "v3/" alone stays: no such method */
        snprintf(out->method, sizeof out->method, "%s", name);
    }
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "params");
    if (p && !cJSON_IsNull(p)) {
        if (!cJSON_IsObject(p)) { st = WSF_BAD_PARAMS; goto done; }
        if (!wsf_member_span(s, n, "params", &out->params, &out->params_len)) st = WSF_BAD_PARAMS;
    }
done:
    cJSON_Delete(root);
    return st;
}

static int ws_put_json(buf_t *out, const cJSON *j)
{
    char *t = cJSON_PrintUnformatted(j);
    if (!t) return -1;
    int r = buf_puts(out, t);
    cJSON_free(t);
    return r;
}

static int ws_put_tail(buf_t *out, const cJSON *rate_limits)
{
    if (rate_limits && (buf_puts(out, ",\"rateLimits\":") || ws_put_json(out, rate_limits))) return -1;
    return buf_putc(out, '}');
}

int wsf_render_result(buf_t *out, const char *id_raw, int status, const cJSON *result,
                      const cJSON *rate_limits)
{
    if (buf_printf(out, "{\"id\":%s,\"status\":%d,\"result\":", id_raw, status ? status : 200))
        return -1;
    if (result ? ws_put_json(out, result) : buf_puts(out, "{}")) return -1;
    return ws_put_tail(out, rate_limits);
}

int wsf_render_error(buf_t *out, const char *id_raw, int status, err_id e, const char *a1,
                     const char *a2, const cJSON *data, const cJSON *rate_limits)
{
    const err_def *d = err_get(e);
    if (!status) status = d ? d->http_status : 400;
    if (buf_printf(out, "{\"id\":%s,\"status\":%d,\"error\":", id_raw, status)) return -1;
    if (err_render_json(out, e, a1, a2)) return -1;
    if (data) {                     /* splice ,"data":{..} before the closing brace */
        out->len--;
        if (buf_puts(out, ",\"data\":") || ws_put_json(out, data) || buf_putc(out, '}')) return -1;
    }
    return ws_put_tail(out, rate_limits);
}

/* ---- URL options ---- */

int wsf_time_unit(const char *v)
{
    if (!strcmp(v, "MICROSECOND") || !strcmp(v, "microsecond")) return 1;
    if (!strcmp(v, "MILLISECOND") || !strcmp(v, "millisecond")) return 0;
    return -1;
}

int wsf_bool(const char *v)
{
    if (!strcmp(v, "true")) return 1;
    if (!strcmp(v, "false")) return 0;
    return -1;
}

err_id wsf_url_options(const char *query, int *return_rate_limits, int *time_unit_us)
{
    *return_rate_limits = 1;
    *time_unit_us = 0;
    if (!query) return ERR_NONE;
    const char *p = query;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        char pair[128];
        if (len < sizeof pair) {
            memcpy(pair, p, len);
            pair[len] = '\0';
            char *eq = strchr(pair, '=');
            if (eq) {
                *eq = '\0';
                if (!strcmp(pair, "returnRateLimits")) *return_rate_limits = wsf_bool(eq + 1) != 0;
                if (!strcmp(pair, "timeUnit")) {
                    int u = wsf_time_unit(eq + 1);
                    if (u < 0) return ERR_INVALID_TIME_UNIT;
                    *time_unit_us = u;
                }
            }
        }
        p += len;
        if (*p == '&') p++;
    }
    return ERR_NONE;
}

/* ---- time unit of events ---- */

/* Integers as raw text: cJSON prints 1700000000001000 as 1.700000000001e+15. */
static void ws_field_us(cJSON *o, const char *name)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    char t[32];
    /* a value whose µs would not fit int64 stays as it is (found by fuzz_ws_frame) */
    if (!cJSON_IsNumber(v) || !(v->valuedouble > -9.2e15 && v->valuedouble < 9.2e15)) return;
    snprintf(t, sizeof t, "%lld", (long long)v->valuedouble * 1000);
    cJSON *r = cJSON_CreateRaw(t);
    if (r) cJSON_ReplaceItemInObjectCaseSensitive(o, name, r);
}

cJSON *wsf_add_time(cJSON *o, const char *name, int time_unit_us, int64_t t_us)
{
    char t[32];
    snprintf(t, sizeof t, "%lld", (long long)(time_unit_us ? t_us : t_us / 1000));
    return cJSON_AddRawToObject(o, name, t);
}

static void ws_object_to_us(cJSON *d)
{
    static const char *const common[] = { "E", "T", "O", "W" };
    const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "e"));
    size_t el = e ? strlen(e) : 0;
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) ws_field_us(d, common[i]);
    if (e && !strcmp(e, "outboundAccountPosition")) ws_field_us(d, "u");
    if (e && !strcmp(e, "referencePrice")) ws_field_us(d, "t");
    if (e && (!strcmp(e, "24hrTicker") || (el > 6 && !strcmp(e + el - 6, "Ticker") && isdigit((unsigned char)e[0]))))
        ws_field_us(d, "C");                     /* 24hrTicker, 1hTicker, 4hTicker, 1dTicker */
    if (e && !strcmp(e, "kline")) {
        cJSON *k = cJSON_GetObjectItemCaseSensitive(d, "k");
        ws_field_us(k, "t");
        ws_field_us(k, "T");
    }
}

cJSON *wsf_event_to_us(const cJSON *ev)
{
    cJSON *d = cJSON_Duplicate(ev, 1);
    if (!d) return NULL;
    if (cJSON_IsArray(d)) {                      /* all-market streams */
        cJSON *it;
        cJSON_ArrayForEach(it, d) ws_object_to_us(it);
    } else {
        ws_object_to_us(d);
    }
    return d;
}

char *wsf_event_text_to_us(const char *raw)
{
    cJSON *ev = json_guard_parse_str(raw);
    cJSON *d = ev ? wsf_event_to_us(ev) : NULL;
    char *t = d ? cJSON_PrintUnformatted(d) : NULL;
    cJSON_Delete(ev);
    cJSON_Delete(d);
    return t;
}

/* ---- stream control frames ---- */

static const struct { const char *name; wsc_method m; } wsc_methods[] = {
    { "SUBSCRIBE", WSC_SUBSCRIBE }, { "UNSUBSCRIBE", WSC_UNSUBSCRIBE },
    { "LIST_SUBSCRIPTIONS", WSC_LIST }, { "SET_PROPERTY", WSC_SET_PROPERTY },
    { "GET_PROPERTY", WSC_GET_PROPERTY },
};

/* The id forms of web-socket-streams.md: a 64-bit signed integer, an
 * alphanumeric string of at most 36 characters, or null (absent = null).
 * "Alphanumeric" includes '-' and '_' here: the changelog gives stream ids
 * "the same values as used for id in the WebSocket API", whose docs suggest
 * UUIDs ("189da436-d4bd-..."), and Binance's official Python SDK
 * (binance-sdk-spot) subscribes with uuid4 strings. Anything else (float,
 * exponent, out of range, object, bool, a string with other characters, an
 * empty string) is the documented "request ID must be an unsigned integer"
 * error (the text is historical). */
static int wsc_id_char(unsigned char c) { return isalnum(c) || c == '-' || c == '_'; }

static wsc_status wsc_parse_id(const char *s, size_t n, const cJSON *id, wsc_request *out)
{
    const char *v; size_t vl;
    if (!id || cJSON_IsNull(id)) return WSC_OK;
    if (cJSON_IsString(id)) {
        size_t l = strlen(id->valuestring);
        if (l == 0 || l > 36) return WSC_BAD_ID;
        for (size_t i = 0; i < l; i++)
            if (!wsc_id_char((unsigned char)id->valuestring[i])) return WSC_BAD_ID;
        snprintf(out->id_raw, sizeof out->id_raw, "\"%s\"", id->valuestring);
        return WSC_OK;
    }
    if (!cJSON_IsNumber(id) || !wsf_member_span(s, n, "id", &v, &vl) || vl == 0 || vl > 20)
        return WSC_BAD_ID;
    size_t i = v[0] == '-' ? 1 : 0;
    if (i == vl) return WSC_BAD_ID;
    for (; i < vl; i++)
        if (!isdigit((unsigned char)v[i])) return WSC_BAD_ID;
    char tmp[24];
    ws_copy_span(tmp, sizeof tmp, v, vl);
    errno = 0;
    char *end = NULL;
    long long ll = strtoll(tmp, &end, 10);
    (void)ll;
    if (errno == ERANGE || !end || *end) return WSC_BAD_ID;
    ws_copy_span(out->id_raw, sizeof out->id_raw, v, vl);
    return WSC_OK;
}

/* Parameter count rules: LIST_SUBSCRIPTIONS takes none, GET_PROPERTY one,
 * SET_PROPERTY two; more is "too many parameters". */
static wsc_status wsc_parse_params(const cJSON *p, wsc_request *out, size_t max_streams)
{
    if (!p) return out->method == WSC_LIST ? WSC_OK : WSC_BAD_PARAMS;
    if (!cJSON_IsArray(p)) return WSC_BAD_PARAMS;
    int n = cJSON_GetArraySize(p);
    if ((out->method == WSC_LIST && n > 0) || (out->method == WSC_GET_PROPERTY && n > 1)
        || (out->method == WSC_SET_PROPERTY && n > 2) || (size_t)n > max_streams)
        return WSC_TOO_MANY_PARAMS;
    out->params = calloc((size_t)n + 1, sizeof *out->params);
    if (!out->params) return WSC_OOM;
    const cJSON *it;
    cJSON_ArrayForEach(it, p) {
        if (out->method == WSC_SET_PROPERTY && out->nparams == 1) {
            if (!cJSON_IsBool(it)) return WSC_BAD_VALUE;
            out->bool_value = cJSON_IsTrue(it);
            continue;
        }
        /* names are echoed (LIST_SUBSCRIPTIONS): invalid UTF-8 is refused (fuzz_ws_stream) */
        if (!cJSON_IsString(it) || !pct_utf8_valid(it->valuestring, strlen(it->valuestring), NULL))
            return WSC_BAD_PARAMS;
        if (!(out->params[out->nparams++] = strdup(it->valuestring))) return WSC_OOM;
    }
    if (out->method == WSC_SET_PROPERTY || out->method == WSC_GET_PROPERTY) {
        if (out->nparams < 1) return WSC_BAD_PARAMS;
        if (strcmp(out->params[0], "combined") != 0) return WSC_UNKNOWN_PROPERTY;
        if (out->method == WSC_SET_PROPERTY && n != 2) return WSC_BAD_VALUE;
    }
    return WSC_OK;
}

wsc_status wsc_parse(const char *s, size_t n, size_t max_streams, wsc_request *out)
{
    memset(out, 0, sizeof *out);
    strcpy(out->id_raw, "null");
    if (!ws_json_text_ok(s, n, 0)) return WSC_BAD_JSON;
    int deep = 0;
    cJSON *root = json_guard_parse_opts(s, n, NULL, &deep);
    if (!root) return deep ? WSC_TOO_DEEP : WSC_BAD_JSON;
    wsc_status st = WSC_OK;
    if (!cJSON_IsObject(root)) { st = WSC_BAD_JSON; goto done; }
    if ((st = wsc_parse_id(s, n, cJSON_GetObjectItemCaseSensitive(root, "id"), out))) goto done;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "method");
    if (!m) { st = WSC_NO_METHOD; goto done; }
    if (!cJSON_IsString(m)) { st = WSC_UNKNOWN_METHOD; goto done; }
    for (size_t i = 0; i < sizeof wsc_methods / sizeof wsc_methods[0]; i++)
        if (!strcmp(m->valuestring, wsc_methods[i].name)) out->method = wsc_methods[i].m;
    if (!out->method) { st = WSC_UNKNOWN_METHOD; goto done; }
    st = wsc_parse_params(cJSON_GetObjectItemCaseSensitive(root, "params"), out, max_streams);
done:
    cJSON_Delete(root);
    return st;
}

void wsc_free(wsc_request *r)
{
    if (r->params)
        for (size_t i = 0; i < r->nparams; i++) free(r->params[i]);
    free(r->params);
    r->params = NULL;
    r->nparams = 0;
}

int wsc_status_code(wsc_status st)
{
    switch (st) {
    case WSC_UNKNOWN_PROPERTY: return 0;
    case WSC_BAD_VALUE: return 1;
    case WSC_BAD_JSON: case WSC_TOO_DEEP: return 3;
    default: return 2;
    }
}

/* Catalogue rows requested from lib/errors.def (web-socket-streams.md
 * "Error Messages"); until they exist the error frame carries the code only. */
const char *wsc_status_err_name(wsc_status st)
{
    switch (st) {
    case WSC_UNKNOWN_PROPERTY: return "STREAM_UNKNOWN_PROPERTY";
    case WSC_BAD_VALUE: return "STREAM_EXPECTED_BOOLEAN";
    case WSC_BAD_JSON: return "STREAM_INVALID_JSON";
    case WSC_TOO_DEEP: return "STREAM_RECURSION_LIMIT";
    case WSC_BAD_ID: return "STREAM_BAD_REQUEST_ID";
    case WSC_NO_METHOD: return "STREAM_MISSING_METHOD";
    case WSC_UNKNOWN_METHOD: return "STREAM_UNKNOWN_METHOD";
    case WSC_BAD_PARAMS: return "STREAM_BAD_PROPERTY_NAME";
    case WSC_TOO_MANY_PARAMS: return "STREAM_TOO_MANY_PARAMS";
    case WSC_INVALID_STREAM: return "STREAM_INVALID_STREAM";
    default: return "STREAM_INVALID_REQUEST";
    }
}
