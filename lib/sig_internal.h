/* sig_internal: the layout of a loaded key, shared by the sig_*.c files only
 * (never include it elsewhere; use sig.h). A key is immutable after load,
 * except for its pool of RSA verify scratch space (own mutex). */
#ifndef BC_SIG_INTERNAL_H
#define BC_SIG_INTERNAL_H
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include "sig.h"

#define SIG_RSA_POOL 16            /* idle RSA verify scratch sets kept per key */
#define SIG_RSA_MAX_BYTES 512      /* 4096-bit modulus */

/* One verify's working space: a BN_CTX and three numbers (sig_rsa.c). */
typedef struct sig_rsa_scratch sig_rsa_scratch;

struct sig_key {
    sig_type type;
    int has_private;
    int bits;
    EVP_PKEY *pkey;            /* RSA and Ed25519 (SPKI export, fingerprint, RSA signing) */
    crypto_auth_hmacsha256_state hmac;  /* HMAC: inner/outer SHA-256 states keyed once; copied per call */
    /* RSA verify (sig_rsa.c), prepared at load: the public key (n, e), the
     * Montgomery context of n (read-only once set, shared by all threads),
     * and EMSA-PKCS1-v1_5 of SHA-256 for a k-byte modulus up to the digest
     * (00 01 FF..FF 00 DigestInfo: k - 32 bytes). Scratch sets serve one
     * thread at a time; idle ones wait in the pool under pool_mu (the key's
     * only mutable part). */
    BIGNUM *rsa_n, *rsa_e;
    BN_MONT_CTX *rsa_mont;
    size_t rsa_k;
    unsigned char rsa_em[SIG_RSA_MAX_BYTES - 32];
    pthread_mutex_t pool_mu;
    sig_rsa_scratch *pool[SIG_RSA_POOL];
    int npool;
    unsigned char ed_pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char ed_sk[crypto_sign_SECRETKEYBYTES]; /* seed || pk, when has_private */
    unsigned char *secret;     /* HMAC: a copy of the secret (explain's whitespace variants) */
    size_t secret_len;
};

/* sig_rsa.c: prepare k (k->pkey an RSA key) for verification; 0 ok, -1
 * (err says why). Free what it made (and the pool) with sig_rsa_release. */
int sig_rsa_prepare(sig_key *k, char *err, size_t errlen);
void sig_rsa_release(sig_key *k);

/* Set err (if any) with printf-style text; returns -1 for `return sig_fail(...)`. */
int sig_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
