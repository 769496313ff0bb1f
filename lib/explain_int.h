/* explain_int: the hypothesis plumbing shared by explain.c (the engine and
 * the older hypotheses) and explain_hyp.c (key-side and payload-edit
 * hypotheses). Internal to lib/explain*.c. */
#ifndef BC_EXPLAIN_INT_H
#define BC_EXPLAIN_INT_H
#include "explain.h"

typedef struct ex_ctx {
    explain_result *r;
    const sig_key *k;
    const buf_t *sig_alt;    /* payload hypotheses use this signature instead of the received one */
    int oom;
} ex_ctx;

/* Record mistake m (always returns 1). */
int ex_set(ex_ctx *c, explain_mistake m, explain_basis b, const char *p, size_t pn, const char *s,
           size_t sn);
/* 1 (and the result set, basis verified) if the received (or sig_alt)
 * signature verifies over cand and cand differs from the canonical payload. */
int ex_try_payload(ex_ctx *c, explain_mistake m, const buf_t *cand);

/* explain_hyp.c. Each returns 1 when its mistaken bytes verify (result set). */
int ex_secret_whitespace(ex_ctx *c);                 /* HMAC secret + "\n", spaces, ... */
int ex_other_key(ex_ctx *c);                         /* another registered key verifies */
int ex_encoding_mismatch(ex_ctx *c, const buf_t *payload);   /* REST: %20/+, ~/%7E, hex case */
/* parts: the payload's parts without their signature pair, concatenated in
 * order to form it (REST: query, body; WS: the canonical payload). */
int ex_added_after_signing(ex_ctx *c, const buf_t *const *parts, int nparts);
int ex_timestamp_changed(ex_ctx *c, const buf_t *const *parts, int nparts);
#endif
