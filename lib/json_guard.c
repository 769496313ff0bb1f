/* json_guard: nesting bound checked before cJSON parses untrusted JSON
 * (see json_guard.h). */
#include "json_guard.h"
#include <string.h>

/* Index just past the string that opens at s[i] ('"'), or n if unterminated. */
static size_t guard_skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (s[i] == '\\') i++;
        else if (s[i] == '"') return i + 1;
    }
    return n;
}

size_t json_guard_too_deep(const char *s, size_t n, int max_depth)
{
    long depth = 0;
    size_t i = 0;
    if (!s) return 0;
    while (i < n) {
        char c = s[i];
        if (c == '"') { i = guard_skip_string(s, n, i); continue; }
        if (c == '[' || c == '{') {
            if (++depth > max_depth) return i + 1;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
        i++;
    }
    return 0;
}

cJSON *json_guard_parse(const char *s, size_t n)
{
    if (!s || json_guard_too_deep(s, n, JSON_GUARD_MAX_DEPTH)) return NULL;
    return cJSON_ParseWithLength(s, n);
}

cJSON *json_guard_parse_str(const char *s)
{
    return s ? json_guard_parse(s, strlen(s)) : NULL;
}

cJSON *json_guard_parse_opts(const char *s, size_t n, const char **end, int *deep)
{
    size_t off = s ? json_guard_too_deep(s, n, JSON_GUARD_MAX_DEPTH) : 0;
    if (deep) *deep = off != 0;
    if (off) {
        if (end) *end = s + off;
        return NULL;
    }
    return cJSON_ParseWithLengthOpts(s, n, end, 0);
}
