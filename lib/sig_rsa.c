/* sig_rsa: RSASSA-PKCS1-v1_5 + SHA-256 verification (RFC 8017 §8.2.2) on
 * OpenSSL's public BIGNUM API, with everything that depends only on the key
 * prepared once at load: n and e, n's Montgomery context, and the encoded
 * message EMSA-PKCS1-v1_5 (§9.2) up to the digest. A verify is then: strict
 * base64 to k bytes, s < n (RSAVP1, §5.2.2), m = s^e mod n, EM' = the
 * prepared prefix || SHA-256(msg), and one constant-time compare of all k
 * bytes (never a parse of the padding). It allocates nothing once a
 * scratch set is pooled, and takes no OpenSSL lock: the Montgomery context is
 * only read. Measured against EVP_PKEY_verify in README "Performance":
 * OpenSSL's public decrypt adds a BN_CTX, buffers, the key's lock and the
 * error queue per call, and its exponentiation does two Montgomery
 * operations more than the 16 squarings + 2 multiplications needed here for
 * e = 65537. Exactness is checked against OpenSSL's verify by suites/lib_sig
 * (test_rsa_*). */
#include "sig_internal.h"
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

struct sig_rsa_scratch {
    BN_CTX *bn;
    BIGNUM *s, *sm, *x;        /* s, s in Montgomery form, the running power */
};

/* DER of DigestInfo{sha256, NULL} without the digest (RFC 8017 §9.2 note 1). */
static const unsigned char sha256_digest_info[19] = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

#define DIGEST_LEN 32

static void scratch_free(sig_rsa_scratch *sc) {
    if (!sc) return;
    BN_CTX_free(sc->bn);
    BN_free(sc->s);
    BN_free(sc->sm);
    BN_free(sc->x);
    free(sc);
}

static sig_rsa_scratch *scratch_new(void) {
    sig_rsa_scratch *sc = calloc(1, sizeof *sc);
    if (!sc) return NULL;
    sc->bn = BN_CTX_new();
    sc->s = BN_new();
    sc->sm = BN_new();
    sc->x = BN_new();
    if (sc->bn && sc->s && sc->sm && sc->x) return sc;
    scratch_free(sc);
    return NULL;
}

/* An idle scratch set of k, else a new one (NULL when out of memory). */
static sig_rsa_scratch *scratch_take(sig_key *k) {
    sig_rsa_scratch *sc = NULL;
    pthread_mutex_lock(&k->pool_mu);
    if (k->npool > 0) sc = k->pool[--k->npool];
    pthread_mutex_unlock(&k->pool_mu);
    return sc ? sc : scratch_new();
}

static void scratch_put(sig_key *k, sig_rsa_scratch *sc) {
    pthread_mutex_lock(&k->pool_mu);
    if (k->npool < SIG_RSA_POOL) { k->pool[k->npool++] = sc; sc = NULL; }
    pthread_mutex_unlock(&k->pool_mu);
    scratch_free(sc);
}

/* EMSA-PKCS1-v1_5 (§9.2 steps 2-5) for a k-byte modulus, without the
 * trailing digest: 00 01, k - 3 - 51 bytes FF, 00, DigestInfo prefix. */
static void em_prefix(unsigned char *em, size_t k) {
    size_t ps = k - 3 - sizeof sha256_digest_info - DIGEST_LEN;
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, ps);
    em[2 + ps] = 0x00;
    memcpy(em + 3 + ps, sha256_digest_info, sizeof sha256_digest_info);
}

int sig_rsa_prepare(sig_key *k, char *err, size_t errlen) {
    BN_CTX *bn = NULL;
    if (!EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &k->rsa_n) ||
        !EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_E, &k->rsa_e))
        return sig_fail(err, errlen, "cannot read the RSA public key (n, e)");
    /* RFC 8017 §3.1: n odd (a product of odd primes), 3 <= e < n, e odd
     * (coprime to the even lambda(n)); the exponentiation relies on both. */
    if (!BN_is_odd(k->rsa_n) || !BN_is_odd(k->rsa_e) || BN_num_bits(k->rsa_e) < 2 ||
        BN_cmp(k->rsa_e, k->rsa_n) >= 0)
        return sig_fail(err, errlen, "invalid RSA public key: n and e must be odd and 3 <= e < n");
    k->rsa_k = (size_t)BN_num_bytes(k->rsa_n);
    if (k->rsa_k > SIG_RSA_MAX_BYTES || k->rsa_k < 3 + sizeof sha256_digest_info + DIGEST_LEN + 8)
        return sig_fail(err, errlen, "RSA modulus of %zu bytes: unsupported", k->rsa_k);
    if (!(k->rsa_mont = BN_MONT_CTX_new()) || !(bn = BN_CTX_new()) ||
        !BN_MONT_CTX_set(k->rsa_mont, k->rsa_n, bn)) {
        BN_CTX_free(bn);
        return sig_fail(err, errlen, "cannot prepare the RSA key (out of memory)");
    }
    BN_CTX_free(bn);
    em_prefix(k->rsa_em, k->rsa_k);
    return 0;
}

void sig_rsa_release(sig_key *k) {
    for (int i = 0; i < k->npool; i++) scratch_free(k->pool[i]);
    k->npool = 0;
    BN_MONT_CTX_free(k->rsa_mont);
    BN_free(k->rsa_n);
    BN_free(k->rsa_e);
    k->rsa_mont = NULL;
    k->rsa_n = k->rsa_e = NULL;
}

/* RSAVP1's exponentiation: sc->x = sc->s ^ e mod n, for 0 <= s < n and odd
 * e. Left to right over e's bits with the running power in Montgomery form
 * (x = s^j R); the last multiplication takes s itself rather than s R, which
 * cancels the remaining factor R: mont(s^(e-1) R, s) = s^e. */
static int rsa_pow(const sig_key *k, sig_rsa_scratch *sc) {
    BN_MONT_CTX *mont = k->rsa_mont;
    int bits = BN_num_bits(k->rsa_e);
    if (!BN_to_montgomery(sc->sm, sc->s, mont, sc->bn) || !BN_copy(sc->x, sc->sm)) return -1;
    for (int i = bits - 2; i >= 1; i--) {
        if (!BN_mod_mul_montgomery(sc->x, sc->x, sc->x, mont, sc->bn)) return -1;
        if (BN_is_bit_set(k->rsa_e, i) && !BN_mod_mul_montgomery(sc->x, sc->x, sc->sm, mont, sc->bn))
            return -1;
    }
    if (!BN_mod_mul_montgomery(sc->x, sc->x, sc->x, mont, sc->bn) ||          /* bit 0: set (e odd) */
        !BN_mod_mul_montgomery(sc->x, sc->x, sc->s, mont, sc->bn))
        return -1;
    return 0;
}

/* §8.2.2 steps 2-4 on a k-byte signature: 1 valid, 0 not. */
static int rsa_check(const sig_key *k, sig_rsa_scratch *sc, const unsigned char *sig,
                     const unsigned char md[DIGEST_LEN]) {
    unsigned char em[SIG_RSA_MAX_BYTES], want[SIG_RSA_MAX_BYTES];
    size_t n = k->rsa_k;
    if (!BN_bin2bn(sig, (int)n, sc->s)) return -1;
    if (BN_ucmp(sc->s, k->rsa_n) >= 0) return 0;                   /* §5.2.2 step 1: s out of range */
    if (rsa_pow(k, sc) < 0 || BN_bn2binpad(sc->x, em, (int)n) != (int)n) return -1;
    memcpy(want, k->rsa_em, n - DIGEST_LEN);
    memcpy(want + n - DIGEST_LEN, md, DIGEST_LEN);
    return CRYPTO_memcmp(em, want, n) == 0;
}

int sig_verify_rsa(const sig_key *k, const void *msg, size_t n, const char *b64, size_t b64len) {
    if (!k || k->type != SIG_RSA || !b64 || !k->rsa_mont) return 0;
    if (b64len != 4 * ((k->rsa_k + 2) / 3)) return 0;              /* 344 / 684 chars */
    unsigned char raw[SIG_RSA_MAX_BYTES], md[DIGEST_LEN];
    size_t rawlen = 0;
    if (sig_b64_decode_to(raw, sizeof raw, &rawlen, b64, b64len) != 0 || rawlen != k->rsa_k) return 0;
    if (crypto_hash_sha256(md, msg, n) != 0) return 0;
    sig_key *mk = (sig_key *)k;                                    /* the pool is the key's mutable part */
    sig_rsa_scratch *sc = scratch_take(mk);
    int ok = sc ? rsa_check(k, sc, raw, md) : -1;
    if (sc) scratch_put(mk, sc);
    if (ok < 0) {                                                  /* out of memory: never valid */
        ERR_clear_error();
        ok = 0;
    }
    return ok;
}
