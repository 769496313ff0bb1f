/* records.c: per-account prevented matches and SOR allocations (records.h):
 * two growable arrays hung off the account, oldest first. */
#include <stdlib.h>
#include "records.h"

static ex_records *rec_get(ex_account *a)
{
    if (!a->rec) a->rec = calloc(1, sizeof *a->rec);
    return a->rec;
}

/* Grow *v (element size sz) to hold one more; -1 on failure. */
static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, nc * sz);
    if (!nv) return -1;
    *v = nv;
    *cap = nc;
    return 0;
}

int ex_rec_prevented(ex_account *a, const ex_prevented *p)
{
    ex_records *r = rec_get(a);
    if (!r || grow((void **)&r->pm, &r->cappm, r->npm, sizeof *r->pm)) return -1;
    r->pm[r->npm++] = *p;
    return 0;
}

int ex_rec_alloc(ex_account *a, const ex_alloc *x)
{
    ex_records *r = rec_get(a);
    if (!r || grow((void **)&r->al, &r->capal, r->nal, sizeof *r->al)) return -1;
    r->al[r->nal++] = *x;
    return 0;
}

void ex_rec_free(ex_account *a)
{
    if (!a->rec) return;
    free(a->rec->pm);
    free(a->rec->al);
    free(a->rec);
    a->rec = NULL;
}
