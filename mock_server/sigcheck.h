/* sigcheck: verifies a REST request's signature over the canonical payload
 * (lib/payload) with the key's algorithm (lib/sig), and keeps what the
 * journal and the explain record need: the payload bytes, the decoded
 * signature received, the verdict and, on failure, the explain JSON. */
#ifndef BC_SIGCHECK_H
#define BC_SIGCHECK_H
#include <cjson/cJSON.h>
#include "buf.h"
#include "payload.h"
#include "sig.h"

typedef struct sigcheck {
    buf_t payload;          /* canonical payload (wire bytes) */
    buf_t sig;              /* received signature, percent-decoded */
    int has_sig;
    payload_status pst;
    int verdict;            /* -1 not checked, 0 invalid, 1 valid */
    int matched_decoded;    /* profile 2025-12: valid over the decoded payload */
    cJSON *explain;         /* lib/explain record on failure, or NULL */
    struct keyreg *reg;     /* set by the caller: other keys for explain's "other-key" (or NULL) */
} sigcheck;

void sigcheck_init(sigcheck *c);
void sigcheck_free(sigcheck *c);
/* 1 valid, 0 invalid. allow_decoded: also accept a signature over the
 * percent-decoded payload (profile 2025-12). explain: build the explain
 * record on failure. */
int sigcheck_rest(sigcheck *c, const sig_key *key, const char *query, size_t qlen,
                  const char *body, size_t blen, int allow_decoded, int explain);
#endif
