/* sig_internal: the layout of a loaded key, shared by the sig_*.c files only
 * (never include it elsewhere; use sig.h). A key is immutable after load,
 * except for its pool of prepared RSA verify contexts (own mutex). */
#ifndef BC_SIG_INTERNAL_H
#define BC_SIG_INTERNAL_H
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include "sig.h"

#define SIG_RSA_POOL 16            /* idle prepared RSA verify contexts kept per key */

struct sig_key {
    sig_type type;
    int has_private;
    int bits;
    EVP_PKEY *pkey;            /* RSA and Ed25519 (SPKI export, fingerprint, RSA sign/verify) */
    crypto_auth_hmacsha256_state hmac;  /* HMAC: inner/outer SHA-256 states keyed once; copied per call */
    /* RSA verify: EVP_PKEY_CTXs prepared once (verify_init, PKCS#1 v1.5,
     * SHA-256) and reused; a context serves one thread at a time, so idle
     * ones wait here under pool_mu (the key's only mutable part). */
    pthread_mutex_t pool_mu;
    EVP_PKEY_CTX *pool[SIG_RSA_POOL];
    int npool;
    unsigned char ed_pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char ed_sk[crypto_sign_SECRETKEYBYTES]; /* seed || pk, when has_private */
    unsigned char *secret;     /* HMAC: a copy of the secret (explain's whitespace variants) */
    size_t secret_len;
};

/* Set err (if any) with printf-style text; returns -1 for `return sig_fail(...)`. */
int sig_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
