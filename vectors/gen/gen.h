/* gen: the known-answer vector generator (vectors/gen/). Deterministic:
 * HMAC, RSA PKCS#1 v1.5 and Ed25519 signatures are pure functions of key and
 * bytes, and every input is a fixed table. It signs with OpenSSL EVP directly
 * and builds payloads with its own small encoder, NOT with lib/sig or
 * lib/payload, so the vectors check lib/ instead of echoing it. lib/ is used
 * only for buf_t and the error catalogue texts. */
#ifndef BC_GEN_H
#define BC_GEN_H
#include <stddef.h>
#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include "buf.h"
#include "errors.h"

#define GEN_VERSION "1.0"

typedef enum gen_ktype { GK_HMAC = 1, GK_RSA, GK_ED25519 } gen_ktype;

typedef struct gen_key {
    const char *label;      /* "alice-hmac" */
    gen_ktype type;
    const char *api_key;
    const char *file;       /* path relative to vectors/, e.g. "keys/hmac.secret" */
    const char *pub_file;   /* RSA/Ed25519: "keys/x.pub.pem"; HMAC: NULL */
    int bits;
    char secret[128];       /* HMAC only */
    EVP_PKEY *pkey;         /* RSA / Ed25519 private key */
    char *pub_pem;          /* public SPKI PEM text (owned) */
} gen_key;

/* One parameter as the client holds it: decoded name and value. For WS,
 * json_literal marks a value written as a bare JSON token (number/bool). */
typedef struct gen_kv {
    const char *name;
    const char *value;
    int json_literal;
} gen_kv;

#define GEN_MAX_KV 20
typedef struct gen_pset {
    const char *id;          /* short id used in comments */
    const char *method;      /* REST: GET/POST/DELETE; WS: the WS method name */
    const char *path;        /* REST path */
    const char *comment;
    unsigned traits;         /* GT_* */
    size_t n;
    gen_kv kv[GEN_MAX_KV];
} gen_pset;

enum {
    GT_NONASCII = 1u << 0,   /* a value has non-ASCII characters */
    GT_RESERVED = 1u << 1,   /* a value has characters that must be percent-encoded */
    GT_UNSORTED = 1u << 2,   /* insertion order differs from sorted order */
    GT_QUERY_ONLY = 1u << 3  /* GET: parameters must be in the query */
};

/* A file under construction. */
typedef struct gen_file {
    cJSON *root;
    cJSON *groups;
    int next_id;
    int count;
    buf_t flags_used;        /* "\nflag\n" list of flags seen */
} gen_file;

/* ---- gen_util.c ---- */
int gen_key_load(gen_key *k, const char *vectors_dir);
void gen_key_free(gen_key *k);
/* Sign bytes: HMAC -> lower-case hex, RSA/Ed25519 -> base64. Aborts on error. */
void gen_sign(const gen_key *k, const void *msg, size_t n, buf_t *out);
/* Raw HMAC bytes, base64-encoded (the "HMAC sent as base64" mistake). */
void gen_hmac_b64(const gen_key *k, const void *msg, size_t n, buf_t *out);
/* Percent-encode with the RFC 3986 unreserved set kept, upper-case hex. */
void gen_pct(buf_t *out, const char *s, size_t n);
void gen_pct_lower(buf_t *out, const char *s, size_t n);
/* name=value&... with values percent-encoded (enc=1) or raw (enc=0). */
void gen_join(buf_t *out, const gen_kv *kv, size_t n, int enc);
void gen_join_sorted(buf_t *out, const gen_kv *kv, size_t n, int enc);
const char *gen_cstr(buf_t *b);
void gen_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void gen_file_init(gen_file *f, const char *algorithm, const char *schema,
                   const char *const *header);
cJSON *gen_group(gen_file *f, const char *type);           /* appends a testGroup, returns it */
void gen_group_key(cJSON *g, const gen_key *k);
cJSON *gen_test(gen_file *f, cJSON *group, const char *comment, const char *const *flags);
void gen_test_error(cJSON *t, err_id id, const char *a1, const char *a2);
void gen_file_write(gen_file *f, const char *dir, const char *name);

/* ---- gen_data.c ---- */
size_t gen_psets_rest(const gen_pset **out);
size_t gen_psets_ws(const gen_pset **out);
/* The description of a flag for the notes section, or NULL if unknown. */
const char *gen_flag_note(const char *flag, const char **bug_type);

/* ---- file writers ---- */
typedef struct gen_ctx {
    const char *out_dir;
    gen_key hmac, rsa2048, rsa4096, ed25519, docs_hmac, docs_ed25519;
} gen_ctx;

void gen_rest_file(gen_ctx *c, const char *name, gen_ktype t);
void gen_ws_file(gen_ctx *c, const char *name, gen_ktype t);
void gen_payload_file(gen_ctx *c);
void gen_timing_file(gen_ctx *c);

/* Mistake ids named by lib/explain (explain_mistake_id), kept in one place. */
#define MK_RAW_UTF8        "raw-utf8"
#define MK_AMP_JOIN        "amp-between-query-and-body"
#define MK_SORTED_REST     "sorted-copy"
#define MK_WS_UNSORTED     "ws-unsorted"
#define MK_WS_PCT          "ws-percent-encoded"
#define MK_WS_NO_APIKEY    "ws-missing-apikey"
#define MK_WS_SIG_ENC      "ws-signature-encoded"
#define MK_PLUS_SPACE      "plus-as-space"
#define MK_DOUBLE_ENC      "double-encoded"
#define MK_SIG_NOT_LAST    "signature-not-last"
#define MK_SIG_TWICE       "signature-twice"
#define MK_HEX_CASE_ESC    "hex-case-escapes"
#define MK_CASE_FLIP       "case-flipped"
#define MK_TRUNCATED       "truncated"
#define MK_WRONG_KEY_TYPE  "wrong-key-type"
#define MK_HMAC_B64        "hmac-base64"
#define MK_UNKNOWN         "unknown"
#define MK_SECRET_WS       "secret-whitespace"
#define MK_OTHER_KEY       "other-key"
#define MK_ENCODING        "encoding-mismatch"
#define MK_TS_CHANGED      "timestamp-changed"
#define MK_ADDED_AFTER     "added-after-signing"
#endif
