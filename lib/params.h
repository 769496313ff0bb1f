/* params: a request's parameters, parsed once, keeping for every pair the raw
 * wire bytes, the decoded name and value, the source (query / body / JSON)
 * and the arrival order. Lookups follow Binance: the query wins over the body. */
#ifndef BC_PARAMS_H
#define BC_PARAMS_H
#include <stddef.h>
#include "pct.h"

typedef enum param_src { PARAM_QUERY = 0, PARAM_BODY = 1, PARAM_JSON = 2 } param_src;

typedef struct param {
    char *raw;            /* the "name=value" pair exactly as received (owned copy) */
    size_t raw_len;
    char *name;           /* decoded, NUL-terminated */
    size_t name_len;
    char *value;          /* decoded, NUL-terminated; JSON: strings unescaped, other tokens as written */
    size_t value_len;
    param_src src;
    unsigned index;       /* 0-based arrival order across all sources */
    pct_status status;    /* decoding status of this pair (PCT_OK normally) */
    int json_string;      /* PARAM_JSON only: 1 if the value was a JSON string */
} param_t;

typedef struct params {
    param_t *v;
    size_t n, cap;
} params_t;

void params_init(params_t *p);
void params_free(params_t *p);
/* Append the pairs of a query string or form body (split on '&', empty pairs
 * skipped, '+' decoded as space). Decoding errors are recorded per pair, not
 * fatal. max_pairs bounds the work (0 = no bound): returns -2 when exceeded.
 * 0 ok, -1 oom. */
int params_parse(params_t *p, const char *s, size_t n, param_src src, size_t max_pairs);
/* Append the members of a JSON object text ({"a":1,"b":"x"}) as PARAM_JSON
 * pairs, values as written (numbers keep their digits, e.g. 52000.00).
 * 0 ok, -1 oom, -3 not a JSON object. */
int params_parse_json(params_t *p, const char *json, size_t n);
/* Same, bounded: -2 when the object has more than max_pairs members in all
 * (0 = no bound). The raw of a JSON pair is the member text as written,
 * from the key's opening quote to the end of the value. */
int params_parse_json_max(params_t *p, const char *json, size_t n, size_t max_pairs);
/* Add one decoded pair (tests, WS). 0 ok, -1 oom. */
int params_add(params_t *p, const char *name, const char *value, param_src src);
/* The effective pair for name: first in the query, else first in the body/JSON. */
const param_t *params_get(const params_t *p, const char *name);
const char *params_value(const params_t *p, const char *name); /* NULL if absent */
/* First pair whose name repeats within the same source, or NULL. */
const param_t *params_find_dup(const params_t *p);
/* First pair whose decoding failed, or NULL. */
const param_t *params_first_bad(const params_t *p);
/* Pointers to every pair sorted by (name bytes, arrival order), NULL on oom;
 * caller frees the array (not the pairs). O(n log n) for large requests. */
const param_t **params_sorted(const params_t *p);
/* Number of distinct names (query+body merged), for -1104 counting. */
size_t params_count_distinct(const params_t *p);
#endif
