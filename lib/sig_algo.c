/* sig_algo: signing, HMAC and Ed25519 verification, and the sig_verify
 * dispatch. HMAC-SHA256 copies the key's keyed inner/outer SHA-256 states (a
 * struct copy: no allocation, no re-keying) and compares in constant time;
 * RSA PKCS#1 v1.5 + SHA-256 signs through EVP_DigestSign (RSA verification:
 * sig_rsa.c); Ed25519 goes through libsodium (about twice as fast as
 * OpenSSL 3.0's Ed25519 verify here). Keys are only read, so any number of
 * threads may sign/verify with the same key at once. */
#include "sig_internal.h"
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <string.h>

#define HMAC_LEN 32

static int hmac_compute(const sig_key *k, const void *msg, size_t n, unsigned char mac[HMAC_LEN]) {
    crypto_auth_hmacsha256_state st = k->hmac;
    int ok = crypto_auth_hmacsha256_update(&st, msg, n) == 0 && crypto_auth_hmacsha256_final(&st, mac) == 0;
    sodium_memzero(&st, sizeof st);
    return ok ? 0 : -1;
}

static int hex_nibble(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int sign_hmac(const sig_key *k, const void *msg, size_t n, buf_t *out) {
    static const char hx[] = "0123456789abcdef";
    unsigned char mac[HMAC_LEN];
    char hex[2 * HMAC_LEN];
    if (hmac_compute(k, msg, n, mac) < 0) return -1;
    for (int i = 0; i < HMAC_LEN; i++) {
        hex[2 * i] = hx[mac[i] >> 4];
        hex[2 * i + 1] = hx[mac[i] & 15];
    }
    return buf_append(out, hex, sizeof hex);
}

static int sign_rsa(const sig_key *k, const void *msg, size_t n, buf_t *out) {
    unsigned char sig[512];
    size_t slen = sizeof sig;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k->pkey) == 1 &&
             EVP_DigestSign(md, sig, &slen, msg, n) == 1;
    EVP_MD_CTX_free(md);
    if (!ok) {
        ERR_clear_error();
        return -1;
    }
    return sig_b64_encode(out, sig, slen);
}

static int sign_ed25519(const sig_key *k, const void *msg, size_t n, buf_t *out) {
    unsigned char sig[crypto_sign_BYTES];
    if (crypto_sign_detached(sig, NULL, msg, n, k->ed_sk) != 0) return -1;
    return sig_b64_encode(out, sig, sizeof sig);
}

int sig_sign(const sig_key *k, const void *msg, size_t n, buf_t *out, char *err, size_t errlen) {
    if (!k || !out || (!msg && n)) return sig_fail(err, errlen, "bad arguments");
    if (!k->has_private)
        return sig_fail(err, errlen, "%s public key: signing needs the private key", sig_type_name(k->type));
    int rc = -1;
    switch (k->type) {
    case SIG_HMAC: rc = sign_hmac(k, msg, n, out); break;
    case SIG_RSA: rc = sign_rsa(k, msg, n, out); break;
    case SIG_ED25519: rc = sign_ed25519(k, msg, n, out); break;
    default: break;
    }
    return rc < 0 ? sig_fail(err, errlen, "%s signing failed", sig_type_name(k->type)) : 0;
}

int sig_verify_hmac(const sig_key *k, const void *msg, size_t n, const char *hex, size_t hexlen) {
    if (!k || k->type != SIG_HMAC || !hex || hexlen != 2 * HMAC_LEN) return 0;
    unsigned char got[HMAC_LEN], want[HMAC_LEN];
    for (size_t i = 0; i < HMAC_LEN; i++) {
        int hi = hex_nibble((unsigned char)hex[2 * i]), lo = hex_nibble((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        got[i] = (unsigned char)(hi << 4 | lo);
    }
    if (hmac_compute(k, msg, n, want) < 0) return 0;
    return CRYPTO_memcmp(got, want, HMAC_LEN) == 0;
}

int sig_verify_ed25519(const sig_key *k, const void *msg, size_t n, const char *b64, size_t b64len) {
    if (!k || k->type != SIG_ED25519 || !b64 || b64len != 88) return 0;
    unsigned char raw[crypto_sign_BYTES + 3];
    size_t rawlen = 0;
    return sig_b64_decode_to(raw, sizeof raw, &rawlen, b64, b64len) == 0 && rawlen == crypto_sign_BYTES &&
           crypto_sign_verify_detached(raw, msg, n, k->ed_pk) == 0;
}

int sig_verify(const sig_key *k, const void *msg, size_t n, const char *sig, size_t siglen) {
    if (!k || (!msg && n)) return 0;
    switch (k->type) {
    case SIG_HMAC: return sig_verify_hmac(k, msg, n, sig, siglen);
    case SIG_RSA: return sig_verify_rsa(k, msg, n, sig, siglen);
    case SIG_ED25519: return sig_verify_ed25519(k, msg, n, sig, siglen);
    default: return 0;
    }
}
