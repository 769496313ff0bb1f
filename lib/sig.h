/* sig: keys, signing and verification for the three Binance key types.
 * HMAC-SHA256 (lower-case hex out, verification case-insensitive and
 * constant-time), RSA PKCS#1 v1.5 + SHA-256 (base64; 2048/4096 bits; PKCS#8,
 * SPKI and PKCS#1 PEM), Ed25519 (base64, libsodium; PKCS#8/SPKI PEM, raw 32
 * bytes). Key detection follows the popular SDKs: no PEM header -> HMAC
 * secret; otherwise the real algorithm from the DER, not the header text. */
#ifndef BC_SIG_H
#define BC_SIG_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

typedef enum sig_type { SIG_NONE = 0, SIG_HMAC = 1, SIG_RSA = 2, SIG_ED25519 = 3 } sig_type;

typedef struct sig_key sig_key;   /* opaque; immutable after load, safe to share across threads */

const char *sig_type_name(sig_type t);          /* "HMAC", "RSA", "ED25519" (the registry's spelling) */
sig_type sig_type_parse(const char *s);         /* case-insensitive; SIG_NONE if unknown */

/* Load a key from text: an HMAC secret (no "-----BEGIN"), or a PEM (private or
 * public; PKCS#8, SPKI, PKCS#1 RSA; encrypted PKCS#8 needs passphrase).
 * Returns 0 and *out, or -1 with a clear message in err (never key material).
 * An HMAC secret is used byte for byte as given: stripping the trailing
 * newline of a secret file is the caller's business. PEM: the algorithm comes
 * from the decoded key (RSA 2048..4096 bits or Ed25519; EC, RSA-PSS and other
 * sizes are rejected); errors name encrypted-without-passphrase, wrong
 * passphrase, truncated (no END line) and garbled PEM. Internals: sig_internal.h. */
int sig_key_load(sig_key **out, const char *text, size_t len, const char *passphrase,
                 char *err, size_t errlen);
/* Raw 32-byte Ed25519 key: is_private -> 32-byte seed, else public key. */
int sig_key_ed25519_raw(sig_key **out, const uint8_t key[32], int is_private,
                        char *err, size_t errlen);
void sig_key_free(sig_key *k);
/* HMAC only: a new key whose secret is prefix + k's secret + suffix (each at
 * most 16 bytes), for explain's "secret with whitespace" hypothesis. 0 ok. */
int sig_key_hmac_variant(const sig_key *k, const char *prefix, const char *suffix, sig_key **out);
sig_type sig_key_type(const sig_key *k);
int sig_key_has_private(const sig_key *k);      /* HMAC: always 1 */
int sig_key_bits(const sig_key *k);             /* RSA modulus bits; Ed25519 256; HMAC secret bits */
/* SHA-256 hex of the public key DER (SPKI), for logs and the journal; HMAC: "" */
int sig_key_fingerprint(const sig_key *k, char out[65]);
/* Export the public half as SPKI PEM (RSA/Ed25519). 0 ok, -1 on HMAC/oom. */
int sig_key_public_pem(const sig_key *k, buf_t *out);

/* Sign msg: HMAC -> 64 lower-case hex chars; RSA/Ed25519 -> standard base64
 * (not percent-encoded). 0 ok, -1 (err says why: e.g. public key only). */
int sig_sign(const sig_key *k, const void *msg, size_t n, buf_t *out, char *err, size_t errlen);
/* Verify the signature text as the server received it (already percent-decoded).
 * 1 valid, 0 invalid (wrong length, bad base64, mismatch: never crashes). */
int sig_verify(const sig_key *k, const void *msg, size_t n, const char *sig, size_t siglen);
int sig_verify_hmac(const sig_key *k, const void *msg, size_t n, const char *hex, size_t hexlen);
int sig_verify_rsa(const sig_key *k, const void *msg, size_t n, const char *b64, size_t b64len);
int sig_verify_ed25519(const sig_key *k, const void *msg, size_t n, const char *b64, size_t b64len);

/* Strict standard base64 (with padding) both ways; decode returns -1 on any
 * non-alphabet byte (blanks included: a '+' read as ' ' fails), bad padding,
 * length not a multiple of 4, or non-zero pad bits (non-canonical text). */
int sig_b64_encode(buf_t *out, const void *in, size_t n);
int sig_b64_decode(buf_t *out, const char *in, size_t n);
/* The same into a caller's buffer (no allocation): -1 unless the decoded bytes fit in cap. */
int sig_b64_decode_to(unsigned char *out, size_t cap, size_t *outlen, const char *in, size_t n);
#endif
