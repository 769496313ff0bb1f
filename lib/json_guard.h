/* json_guard: the one door every untrusted JSON text goes through before
 * cJSON sees it. cJSON parses (and frees, prints, duplicates) recursively and
 * allows 1000 levels, far more than a civetweb worker's stack holds (~700
 * levels overflowed its 100 KiB), so the nesting is measured first by an
 * iterative scan and anything deeper than JSON_GUARD_MAX_DEPTH is refused
 * without parsing. 127 levels is what serde_json's default recursion limit
 * (128) lets through, the limit Binance's stream servers answer with; the
 * docs give none for REST or the WS API, so the same bound serves all. */
#ifndef BC_JSON_GUARD_H
#define BC_JSON_GUARD_H
#include <stddef.h>
#include <cjson/cJSON.h>

#define JSON_GUARD_MAX_DEPTH 127

/* 0 when no array/object in s[0..n) nests deeper than max_depth (strings and
 * their escapes skipped); else the 1-based offset of the '[' or '{' that
 * opens level max_depth + 1. Iterative, O(n). */
size_t json_guard_too_deep(const char *s, size_t n, int max_depth);
/* cJSON_ParseWithLength, NULL when invalid or nested too deep. */
cJSON *json_guard_parse(const char *s, size_t n);
/* Same for a NUL-terminated text (NULL s gives NULL). */
cJSON *json_guard_parse_str(const char *s);
/* cJSON_ParseWithLengthOpts(s, n, end, 0). When too deep: NULL, *deep = 1
 * and *end one past the offending bracket (where a streaming parser stops);
 * otherwise *deep = 0. deep may be NULL. */
cJSON *json_guard_parse_opts(const char *s, size_t n, const char **end, int *deep);
#endif
