/* fuzz_params: the parameter parser (lib/params) on what a request carries:
 * a query string, a form body and a JSON object (WS API params), then every
 * lookup the pipeline makes. Input: query \n body \n json.
 * Oracles: pair counts respect max_pairs; every pair keeps its raw bytes
 * inside the input; the sorted view holds every pair in (name, arrival)
 * order; a lookup returns a pair of the set. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "params.h"

#define FZ_MAX_PAIRS 64

static int name_cmp(const param_t *a, const param_t *b)
{
    size_t l = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, l);
    return c ? c : (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static void check(const params_t *p)
{
    const param_t **v = params_sorted(p);
    if (p->n && !v) abort();
    for (size_t i = 1; i < p->n; i++) {
        int c = name_cmp(v[i - 1], v[i]);
        if (c > 0 || (c == 0 && v[i - 1]->index > v[i]->index)) abort();
    }
    for (size_t i = 0; i < p->n; i++) {
        const param_t *g = params_get(p, p->v[i].name);
        if (!g || strcmp(g->name, p->v[i].name)) abort();
        if (strlen(p->v[i].name) > p->v[i].name_len) abort();
    }
    free((void *)v);
    if (params_count_distinct(p) > p->n) abort();
    (void)params_find_dup(p);
    (void)params_first_bad(p);
    (void)params_value(p, "signature");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { (const char *)data, size };
    const char *q = "", *b = "", *j = "";
    size_t qn = 0, bn = 0, jn = 0;
    fz_field(&in, '\n', &q, &qn);
    fz_field(&in, '\n', &b, &bn);
    fz_field(&in, '\n', &j, &jn);

    params_t p;
    params_init(&p);
    int rq = params_parse(&p, q, qn, PARAM_QUERY, FZ_MAX_PAIRS);
    int rb = rq == 0 ? params_parse(&p, b, bn, PARAM_BODY, FZ_MAX_PAIRS) : 0;
    if ((rq == 0 && rb == 0 && p.n > FZ_MAX_PAIRS) || rq == -1 || rb == -1) abort();
    check(&p);
    params_free(&p);

    params_init(&p);
    int r = params_parse_json_max(&p, j, jn, FZ_MAX_PAIRS);
    if (r == 0) {
        if (p.n > FZ_MAX_PAIRS) abort();
        for (size_t i = 0; i < p.n; i++)
            if (p.v[i].src != PARAM_JSON || p.v[i].raw_len > jn) abort();
        check(&p);
    }
    params_free(&p);
    return 0;
}
