/* explain: why a signature failed. Given a key and a request as received
 * (REST: raw query + raw body; WS API: the params of the JSON frame), it
 * rebuilds the canonical payload, verifies it, and on failure tries each
 * known client mistake: a mistake is "reproduced" only when the mistaken
 * payload/signature really verifies with the key (or, for a key that can
 * sign, when the expected signature shows it); shape-only diagnoses (wrong
 * key type, truncated without a private key) say so (basis "shape").
 * Not on the hot path: run it after a failed verify. Work is bounded (the
 * RSA/Ed25519 case-flip search is capped at EXPLAIN_MAX_FLIPS verifies).
 * Used by the server's journal (explain_render_json) and `binsig explain`
 * (explain_render_text). */
#ifndef BC_EXPLAIN_H
#define BC_EXPLAIN_H
#include <stddef.h>
#include <cjson/cJSON.h>
#include "buf.h"
#include "params.h"
#include "payload.h"
#include "sig.h"

#define EXPLAIN_MAX_FLIPS 700
/* Other registered keys tried for "other-key" (the first ones given). */
#define EXPLAIN_MAX_CANDIDATES 64
/* "timestamp-changed": nearby timestamps tried, nearest first, in the
 * timestamp's own unit (ms, or µs for 16-digit ones): +-2000 with an HMAC
 * key (4000 HMACs, a few ms), +-100 with RSA/Ed25519 (200 verifies). */
#define EXPLAIN_TS_WINDOW_HMAC 2000
#define EXPLAIN_TS_WINDOW_ASYM 100
/* Bound on the verifications one explain makes (r->attempts): case flips,
 * the timestamp window (not repeated for a mangled signature), 64 candidate
 * keys, 64 pair removals and 24 encodings (twice: also for a mangled
 * signature), and the fixed hypotheses. */
#define EXPLAIN_MAX_ATTEMPTS (EXPLAIN_MAX_FLIPS + 2 * EXPLAIN_TS_WINDOW_HMAC + EXPLAIN_MAX_CANDIDATES + \
                              3 * (64 + 24 + 16) + 32)

typedef enum explain_mode { EXPLAIN_REST = 0, EXPLAIN_WS = 1 } explain_mode;

typedef enum explain_verdict {
    EXPLAIN_VALID = 0,       /* the canonical payload verifies and the request shape is fine */
    EXPLAIN_INVALID,         /* -1022 */
    EXPLAIN_MISSING          /* no signature parameter at all */
} explain_verdict;

/* Stable ids (explain_mistake_id), kebab-case; never renumber or rename. */
typedef enum explain_mistake {
    MISTAKE_NONE = 0,
    MISTAKE_RAW_UTF8,            /* "raw-utf8" */
    MISTAKE_AMP_BETWEEN,         /* "amp-between-query-and-body" */
    MISTAKE_SORTED_COPY,         /* "sorted-copy" */
    MISTAKE_PLUS_AS_SPACE,       /* "plus-as-space" */
    MISTAKE_DOUBLE_ENCODED,      /* "double-encoded" */
    MISTAKE_SIG_NOT_LAST,        /* "signature-not-last" */
    MISTAKE_HEX_CASE_ESCAPES,    /* "hex-case-escapes" */
    MISTAKE_CASE_FLIPPED,        /* "case-flipped" */
    MISTAKE_TRUNCATED,           /* "truncated" */
    MISTAKE_WRONG_KEY_TYPE,      /* "wrong-key-type" */
    MISTAKE_HMAC_BASE64,         /* "hmac-base64" */
    MISTAKE_WS_PERCENT_ENCODED,  /* "ws-percent-encoded" */
    MISTAKE_WS_UNSORTED,         /* "ws-unsorted" */
    MISTAKE_WS_MISSING_APIKEY,   /* "ws-missing-apikey" */
    MISTAKE_WS_SIG_ENCODED,      /* "ws-signature-encoded" */
    MISTAKE_SIG_TWICE,           /* "signature-twice" */
    MISTAKE_UNKNOWN,             /* "unknown" */
    MISTAKE_SECRET_WHITESPACE,   /* "secret-whitespace" (issue 11: appended, ids stay stable) */
    MISTAKE_OTHER_KEY,           /* "other-key" */
    MISTAKE_ENCODING_MISMATCH,   /* "encoding-mismatch" */
    MISTAKE_TIMESTAMP_CHANGED,   /* "timestamp-changed" */
    MISTAKE_ADDED_AFTER_SIGNING, /* "added-after-signing" */
    MISTAKE_COUNT_
} explain_mistake;

typedef enum explain_basis {
    EXPLAIN_BASIS_NONE = 0,      /* no mistake, or unknown */
    EXPLAIN_BASIS_VERIFIED,      /* the mistaken payload/signature verifies with the key */
    EXPLAIN_BASIS_EXPECTED,      /* shown by the expected signature (key can sign), e.g. a prefix */
    EXPLAIN_BASIS_SHAPE,         /* from the signature's shape only */
    EXPLAIN_BASIS_REQUEST        /* from the request's structure (signature twice) */
} explain_basis;

/* Another registered key the request may have been signed with ("other-key"):
 * label names it in the diagnosis (e.g. "apiKey vmPU…1ba (account poor)"). */
typedef struct explain_candidate {
    const char *label;
    const sig_key *key;
} explain_candidate;

typedef struct explain_result {
    explain_mode mode;
    explain_verdict verdict;
    sig_type key_type;
    int key_bits;
    char key_fingerprint[65];    /* SHA-256 of the SPKI DER; "" for HMAC */
    payload_status pstatus;      /* REST: payload_rest's status; WS: PAYLOAD_OK/NO_SIGNATURE */
    params_t params;             /* REST: query + body pairs (owned) */
    const params_t *ws_params;   /* WS: the caller's params (borrowed; keep alive while rendering) */
    buf_t payload;               /* the canonical payload verified */
    buf_t sig_wire;              /* the signature value as on the wire (REST: before %-decoding) */
    buf_t sig_received;          /* the signature as verified (decoded) */
    buf_t sig_expected;          /* the key's own signature of payload (has_expected) */
    int has_expected;
    explain_mistake mistake;
    explain_basis basis;
    buf_t mistake_payload;       /* the payload that reproduced the mistake */
    buf_t mistake_sig;           /* the signature that verified it (after undoing a signature mistake) */
    const char *note;            /* a remark that is not a mistake (e.g. upper-case HMAC hex), or NULL */
    unsigned attempts;           /* verifications tried */
    char detail[240];            /* what exactly (which key, which encoding, which timestamp), or "" */
    const explain_candidate *cands;   /* other keys to try (borrowed), see explain_set_candidates */
    size_t ncands;
} explain_result;

void explain_init(explain_result *r);
/* Other keys for the "other-key" hypothesis (after explain_init, before
 * explain_rest/ws; borrowed; at most EXPLAIN_MAX_CANDIDATES are tried). */
void explain_set_candidates(explain_result *r, const explain_candidate *c, size_t n);
void explain_free(explain_result *r);
/* REST: query/body exactly as received (no '?'). 0 ok, -1 out of memory. */
int explain_rest(explain_result *r, const sig_key *k, const char *query, size_t qlen,
                 const char *body, size_t blen);
/* WS API: params from params_parse_json of the frame's "params" (signature
 * and apiKey included). p is borrowed by r. 0 ok, -1 out of memory. */
int explain_ws(explain_result *r, const sig_key *k, const params_t *p);

const char *explain_mistake_id(explain_mistake m);      /* "sorted-copy", ... ("none" for MISTAKE_NONE) */
const char *explain_mistake_text(explain_mistake m);    /* one line: what happened and the fix */
explain_mistake explain_mistake_parse(const char *id);  /* MISTAKE_COUNT_ if unknown */
const char *explain_verdict_str(explain_verdict v);     /* "valid", "invalid", "missing" */
const char *explain_basis_str(explain_basis b);         /* "none", "verified", "expected", "shape", "request" */

/* JSON object (caller cJSON_Delete): mode, verdict, key, payload, signatures,
 * mistake {id, text, basis, payload, signature}. Non-UTF-8 bytes are given
 * as base64 in "<field>Base64" instead. NULL on oom. */
cJSON *explain_render_json(const explain_result *r);
/* Human report: parsed params (source, raw, decoded), payload, expected vs
 * received signature, verdict, diagnosis. 0 ok, -1 oom. */
int explain_render_text(buf_t *out, const explain_result *r);
#endif
