/* tool_ws: find the "params" object of a WebSocket API request frame
 * ({"id":..,"method":..,"params":{...}}) as raw text, so lib/params can
 * parse it with numbers kept as written. A small bounded JSON skipper: it
 * checks structure only as far as needed to find the member. */
#include "tool.h"
#include <stdio.h>
#include <string.h>

#define WS_MAX_DEPTH 64

static size_t ws_skip_space(const char *s, size_t i, size_t n) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* s[i] == '"': return the index after the closing quote, or 0 on error. */
static size_t ws_skip_string(const char *s, size_t i, size_t n) {
    for (i++; i < n; i++) {
        if (s[i] == '\\') { i++; continue; }
        if (s[i] == '"') return i + 1;
    }
    return 0;
}

/* Skip one JSON value starting at s[i]; index after it, or 0 on error. */
static size_t ws_skip_value(const char *s, size_t i, size_t n) {
    if (i >= n) return 0;
    if (s[i] == '"') return ws_skip_string(s, i, n);
    if (s[i] != '{' && s[i] != '[') {
        while (i < n && !strchr(",}] \t\r\n", s[i])) i++;
        return i;
    }
    int depth = 0;
    for (; i < n; i++) {
        if (s[i] == '"') {
            size_t j = ws_skip_string(s, i, n);
            if (!j) return 0;
            i = j - 1;
        } else if (s[i] == '{' || s[i] == '[') {
            if (++depth > WS_MAX_DEPTH) return 0;
        } else if (s[i] == '}' || s[i] == ']') {
            if (--depth == 0) return i + 1;
        }
    }
    return 0;
}

int tool_ws_params(const char *s, size_t n, const char **p, size_t *pn, char *err, size_t errlen) {
    size_t i = ws_skip_space(s, 0, n);
    if (i >= n || s[i] != '{') { snprintf(err, errlen, "the WS frame is not a JSON object"); return -1; }
    i = ws_skip_space(s, i + 1, n);
    while (i < n && s[i] == '"') {
        size_t key_end = ws_skip_string(s, i, n);
        if (!key_end) break;
        int is_params = key_end - i == 8 && memcmp(s + i, "\"params\"", 8) == 0;
        i = ws_skip_space(s, key_end, n);
        if (i >= n || s[i] != ':') break;
        i = ws_skip_space(s, i + 1, n);
        size_t v_end = ws_skip_value(s, i, n);
        if (!v_end) break;
        if (is_params) {
            if (s[i] != '{') { snprintf(err, errlen, "\"params\" is not a JSON object"); return -1; }
            *p = s + i;
            *pn = v_end - i;
            return 0;
        }
        i = ws_skip_space(s, v_end, n);
        if (i < n && s[i] == ',') i = ws_skip_space(s, i + 1, n);
    }
    snprintf(err, errlen, "no \"params\" object in the WS frame (or the frame is malformed)");
    return -1;
}

int tool_ws_parse(const char *frame, size_t len, params_t *out) {
    const char *p;
    size_t n;
    char err[128];
    if (tool_ws_params(frame, len, &p, &n, err, sizeof(err)) < 0) { tool_err("%s", err); return -1; }
    int rc = params_parse_json(out, p, n);
    if (rc == -3) { tool_err("\"params\" of the WS frame is not valid JSON"); return -1; }
    if (rc != 0) { tool_err("out of memory"); return -1; }
    return 0;
}
