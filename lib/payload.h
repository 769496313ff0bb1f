/* payload: the canonical signed payloads.
 * REST: the query string exactly as received minus its trailing signature
 * pair, concatenated with no separator to the body exactly as received minus
 * its trailing signature pair ("totalParams", fact sheet §2).
 * WebSocket API: all params except signature, sorted by name, name=value
 * joined by '&', values raw UTF-8, numbers/booleans as written (§7). */
#ifndef BC_PAYLOAD_H
#define BC_PAYLOAD_H
#include <stddef.h>
#include "buf.h"
#include "params.h"

typedef enum payload_status {
    PAYLOAD_OK = 0,
    PAYLOAD_NO_SIGNATURE,    /* no signature pair anywhere (payload still built) */
    PAYLOAD_SIG_NOT_LAST,    /* a signature pair that is not the last pair of its part */
    PAYLOAD_SIG_TWICE,       /* signature in both query and body, or twice in one part */
    PAYLOAD_OOM
} payload_status;

typedef struct payload_sig {
    const char *raw;         /* the signature value as on the wire (points into query/body), or NULL */
    size_t raw_len;
    param_src src;
} payload_sig;

const char *payload_status_str(payload_status s);
/* Build the REST payload into out and locate the signature (the first
 * signature pair, query before body; sig may be NULL). A signature pair is
 * a segment named exactly "signature" (raw bytes, not decoded). It must be
 * the final segment of its part: "a=1&signature=x&" is SIG_NOT_LAST. On
 * SIG_NOT_LAST / SIG_TWICE out still holds a diagnostic payload: each part
 * minus its first signature pair and one adjacent '&'. */
payload_status payload_rest(buf_t *out, const char *query, size_t qlen,
                            const char *body, size_t blen, payload_sig *sig);
/* Build the WS API payload from params (PARAM_JSON pairs; "signature" skipped). 0 ok, -1 oom. */
int payload_ws(buf_t *out, const params_t *p);
#endif
