/* sig_internal: the layout of a loaded key, shared by the sig_*.c files only
 * (never include it elsewhere; use sig.h). A key is immutable after load. */
#ifndef BC_SIG_INTERNAL_H
#define BC_SIG_INTERNAL_H
#include <openssl/evp.h>
#include <sodium.h>
#include "sig.h"

struct sig_key {
    sig_type type;
    int has_private;
    int bits;
    EVP_PKEY *pkey;            /* RSA and Ed25519 (SPKI export, fingerprint, RSA sign/verify) */
    EVP_MAC *mac;              /* HMAC: the fetched algorithm ... */
    EVP_MAC_CTX *mac_ctx;      /* ... and a context keyed once; duplicated per call */
    unsigned char ed_pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char ed_sk[crypto_sign_SECRETKEYBYTES]; /* seed || pk, when has_private */
    unsigned char *secret;     /* HMAC: a copy of the secret (explain's whitespace variants) */
    size_t secret_len;
};

/* Set err (if any) with printf-style text; returns -1 for `return sig_fail(...)`. */
int sig_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
