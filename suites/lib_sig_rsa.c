/* lib_sig_rsa: RSA PKCS#1 v1.5 + SHA-256 verification (lib/sig_rsa.c)
 * against OpenSSL's own verify as the independent oracle, on the edge cases
 * of RFC 8017 §8.2.2: signature representatives out of range (s >= n, s + n
 * congruent to a valid s, s = 0, 1, n - 1, all-ones), encoded messages that
 * are almost right (padding bytes, block type, separator, PS length,
 * DigestInfo without NULL or with another OID, digest), random signatures,
 * keys of 2048, 2050 (k = 257, a partial top byte), 3072 and 4096 bits and
 * exponents 3, 65537 and 2^31 - 1 (every bit set: the multiplications
 * between squarings), and keys that are not RSA keys (even e, e = 1). The
 * crafted signatures are raw RSA private operations (RSA_NO_PADDING) on the
 * crafted encoded message, so each case is exactly the bytes it names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sig.h"

#define MAXK 512

typedef struct rkey {
    const char *file;
    sig_key *k;          /* lib/sig */
    EVP_PKEY *pk;        /* OpenSSL, the oracle and the raw signer */
    BIGNUM *n;
    int len;             /* k: bytes of n */
} rkey;

static const char *paths[] = {
    "vectors/keys/rsa2048.pem",
    "vectors/keys/rsa4096.pem",
    "suites/data/sig/rsa2050-e3.pem",
    "suites/data/sig/rsa3072-e2147483647.pem",
};

static char *slurp(const char *rel, size_t *len) {
    const char *root = getenv("BC_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    static char b[16384];
    *len = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    b[*len] = '\0';
    return b;
}

static void rkey_load(rkey *r, const char *file) {
    size_t n;
    char *t = slurp(file, &n), err[256] = "";
    r->file = file;
    if (sig_key_load(&r->k, t, n, NULL, err, sizeof err) != 0) fail_msg("%s: %s", file, err);
    BIO *bio = BIO_new_mem_buf(t, (int)n);
    r->pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    assert_non_null(r->pk);
    r->n = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(r->pk, OSSL_PKEY_PARAM_RSA_N, &r->n), 1);
    r->len = BN_num_bytes(r->n);
}

static void rkey_free(rkey *r) {
    sig_key_free(r->k);
    EVP_PKEY_free(r->pk);
    BN_free(r->n);
}

/* s = em^d mod n, no padding: the signature whose RSAVP1 image is em. */
static void raw_sign(const rkey *r, const unsigned char *em, unsigned char *s) {
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, r->pk, NULL);
    size_t sl = MAXK;
    assert_non_null(c);
    assert_int_equal(EVP_PKEY_sign_init(c), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING), 1);
    assert_int_equal(EVP_PKEY_sign(c, s, &sl, em, (size_t)r->len), 1);
    assert_int_equal(sl, (size_t)r->len);
    EVP_PKEY_CTX_free(c);
}

/* OpenSSL's verdict: EVP_DigestVerify, SHA-256, PKCS#1 v1.5. */
static int ossl_verify(const rkey *r, const unsigned char *s, const char *msg) {
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    assert_non_null(m);
    int ok = EVP_DigestVerifyInit_ex(m, NULL, "SHA256", NULL, NULL, r->pk, NULL) == 1 &&
             EVP_DigestVerify(m, s, (size_t)r->len, (const unsigned char *)msg, strlen(msg)) == 1;
    EVP_MD_CTX_free(m);
    return ok;
}

static int lib_verify(const rkey *r, const unsigned char *s, const char *msg) {
    buf_t b = BUF_INIT;
    assert_int_equal(sig_b64_encode(&b, s, (size_t)r->len), 0);
    int ok = sig_verify(r->k, msg, strlen(msg), b.data, b.len);
    buf_free(&b);
    return ok;
}

/* Both verdicts must be `want`. */
static void expect(const rkey *r, const unsigned char *s, const char *msg, int want, const char *what) {
    int lib = lib_verify(r, s, msg), ossl = ossl_verify(r, s, msg);
    if (lib != want || ossl != want)
        fail_msg("%s, %s: lib/sig %d, OpenSSL %d, expected %d", r->file, what, lib, ossl, want);
}

static const unsigned char di_sha256[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                            0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

/* EMSA-PKCS1-v1_5 of msg with SHA-256 over k bytes, built here independently. */
static void em_encode(unsigned char *em, int k, const char *msg) {
    unsigned char h[32];
    unsigned int hl = 0;
    assert_int_equal(EVP_Digest(msg, strlen(msg), h, &hl, EVP_sha256(), NULL), 1);
    int ps = k - 3 - 19 - 32;
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, (size_t)ps);
    em[2 + ps] = 0x00;
    memcpy(em + 3 + ps, di_sha256, 19);
    memcpy(em + k - 32, h, 32);
}

static const char msg[] = "symbol=BTCUSDT&side=BUY&type=LIMIT&timestamp=1700000000000";

/* One almost-right encoded message per case: the case's name, then the
 * change to the right one (em of k bytes, PS of ps bytes). */
static const char *em_case(int i, unsigned char *em, int k) {
    int ps = k - 3 - 19 - 32, t = 3 + ps;              /* t: where DigestInfo starts */
    switch (i) {
    case 0: return "the right encoding";
    case 1: em[2 + ps / 2] = 0xfe; return "a PS byte 0xFE";
    case 2: em[k - 33] = 0xfe; return "DigestInfo's digest length 0xFE";
    case 3: em[1] = 0x02; return "block type 02";
    case 4: em[2 + ps] = 0xff; return "no 00 separator";
    case 5: em[0] = 0x01; return "first byte 01";
    case 6: /* PS one byte shorter, a stray byte after the digest */
        memmove(em + t - 2, em + t - 1, (size_t)(k - t + 1));
        em[k - 1] = 0x00;
        return "PS one byte short, a trailing 00";
    case 7: /* PS one byte longer, the digest's last byte lost */
        memmove(em + t, em + t - 1, (size_t)(k - t));
        em[t - 1] = 0xff;
        return "PS one byte long, the digest cut";
    case 8: { /* DigestInfo without the NULL parameters (RFC 8017 §9.2 note 2) */
        static const unsigned char di[17] = {0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
                                             0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20};
        em[t - 1] = 0xff;
        em[t] = 0xff;
        em[t + 1] = 0x00;
        memcpy(em + t + 2, di, sizeof di);
        return "DigestInfo without NULL parameters";
    }
    case 9: em[t + 14] = 0x03; return "DigestInfo naming SHA-512";
    case 10: em[t + 14] = 0x04; return "DigestInfo naming SHA-224";
    case 11: em[k - 1] ^= 0x01; return "the digest's last bit";
    case 12: em[k - 32] ^= 0x80; return "the digest's first bit";
    case 13: em[t + 1] = 0x30; return "DigestInfo length 0x30";
    default: return NULL;
    }
}

/* Encoded messages near the right one, signed raw: only the right one verifies. */
static void test_rsa_encoded_messages(void **state) {
    (void)state;
    for (size_t f = 0; f < sizeof paths / sizeof *paths; f++) {
        rkey r;
        rkey_load(&r, paths[f]);
        unsigned char em[MAXK], s[MAXK];
        const char *what;
        for (int i = 0; (em_encode(em, r.len, msg), what = em_case(i, em, r.len)); i++) {
            raw_sign(&r, em, s);
            expect(&r, s, msg, i == 0, what);
        }
        buf_t b = BUF_INIT;                            /* and lib/sig's own signature */
        assert_int_equal(sig_sign(r.k, msg, strlen(msg), &b, NULL, 0), 0);
        assert_true(sig_verify(r.k, msg, strlen(msg), b.data, b.len));
        assert_false(sig_verify(r.k, msg, strlen(msg) - 1, b.data, b.len));
        buf_free(&b);
        rkey_free(&r);
    }
}

static void bn_to_sig(const BIGNUM *v, unsigned char *s, int k) {
    assert_int_equal(BN_bn2binpad(v, s, k), k);
}

/* Signature representatives out of range or trivial (RFC 8017 §5.2.2 step 1). */
static void test_rsa_representatives(void **state) {
    (void)state;
    for (size_t f = 0; f < sizeof paths / sizeof *paths; f++) {
        rkey r;
        rkey_load(&r, paths[f]);
        int k = r.len;
        unsigned char s[MAXK], em[MAXK];
        BIGNUM *v = BN_new();
        assert_non_null(v);
        memset(s, 0, (size_t)k);
        expect(&r, s, msg, 0, "s = 0");
        s[k - 1] = 1;
        expect(&r, s, msg, 0, "s = 1");
        assert_non_null(BN_copy(v, r.n));
        bn_to_sig(v, s, k);
        expect(&r, s, msg, 0, "s = n");
        assert_true(BN_sub_word(v, 1));
        bn_to_sig(v, s, k);
        expect(&r, s, msg, 0, "s = n - 1");
        assert_true(BN_add_word(v, 2));
        bn_to_sig(v, s, k);
        expect(&r, s, msg, 0, "s = n + 1");
        memset(s, 0xff, (size_t)k);
        expect(&r, s, msg, 0, "s = 2^(8k) - 1");
        /* s + n: the same residue as a valid signature, but not below n.
         * Search for a message whose signature s leaves room for s + n. */
        char m[64];
        int found = 0;
        for (int i = 0; i < 400 && !found; i++) {
            snprintf(m, sizeof m, "timestamp=%d&recvWindow=5000", 1700000000 + i);
            em_encode(em, k, m);
            raw_sign(&r, em, s);
            BIGNUM *sv = BN_bin2bn(s, k, NULL);
            assert_non_null(sv);
            assert_true(BN_add(v, sv, r.n));
            if (BN_num_bytes(v) <= k) {
                expect(&r, s, m, 1, "a valid s");
                bn_to_sig(v, s, k);
                expect(&r, s, m, 0, "s + n (congruent to a valid s)");
                found = 1;
            }
            BN_free(sv);
        }
        if (!found) fail_msg("%s: no signature with s + n < 2^(8k) in 400 messages", r.file);
        BN_free(v);
        rkey_free(&r);
    }
}

/* Random signatures, and valid ones with one byte changed: never valid,
 * same verdict as OpenSSL; random messages signed by OpenSSL: valid. */
static void test_rsa_random(void **state) {
    (void)state;
    unsigned seed = 8017;
    for (size_t f = 0; f < sizeof paths / sizeof *paths; f++) {
        rkey r;
        rkey_load(&r, paths[f]);
        int k = r.len;
        unsigned char s[MAXK];
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j < k; j++) s[j] = (unsigned char)rand_r(&seed);
            expect(&r, s, msg, 0, "random bytes");
        }
        for (int i = 0; i < 24; i++) {
            char m[80];
            snprintf(m, sizeof m, "symbol=ETHBTC&quantity=%u&timestamp=17000000%05u", rand_r(&seed) % 1000, (unsigned)i);
            EVP_MD_CTX *c = EVP_MD_CTX_new();
            size_t sl = MAXK;
            assert_non_null(c);
            assert_int_equal(EVP_DigestSignInit_ex(c, NULL, "SHA256", NULL, NULL, r.pk, NULL), 1);
            assert_int_equal(EVP_DigestSign(c, s, &sl, (const unsigned char *)m, strlen(m)), 1);
            EVP_MD_CTX_free(c);
            assert_int_equal(sl, (size_t)k);
            expect(&r, s, m, 1, "OpenSSL's signature");
            int at = (int)(rand_r(&seed) % (unsigned)k);
            s[at] ^= (unsigned char)(1 + rand_r(&seed) % 255);
            expect(&r, s, m, 0, "one byte changed");
        }
        rkey_free(&r);
    }
}

/* A public key PEM with rsa2048's n and exponent e. */
static void pub_pem_with_e(unsigned long e, buf_t *out) {
    rkey r;
    rkey_load(&r, paths[0]);
    BIGNUM *be = BN_new();
    assert_non_null(be);
    assert_true(BN_set_word(be, e));
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    assert_non_null(bld);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, r.n), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be), 1);
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *pk = NULL;
    assert_int_equal(EVP_PKEY_fromdata_init(c), 1);
    assert_int_equal(EVP_PKEY_fromdata(c, &pk, EVP_PKEY_PUBLIC_KEY, params), 1);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PUBKEY(bio, pk), 1);
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    assert_int_equal(buf_append(out, p, (size_t)n), 0);
    BIO_free(bio);
    EVP_PKEY_free(pk);
    EVP_PKEY_CTX_free(c);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(be);
    rkey_free(&r);
}

/* RFC 8017 §3.1: e odd, 3 <= e < n. A key outside is refused at load with
 * a reason (it could never be a working RSA key). */
static void test_rsa_exponent_refused(void **state) {
    (void)state;
    static const unsigned long es[] = {1, 2, 65536, 65537};
    for (size_t i = 0; i < sizeof es / sizeof *es; i++) {
        buf_t pem = BUF_INIT;
        pub_pem_with_e(es[i], &pem);
        sig_key *k = NULL;
        char err[256] = "";
        int rc = sig_key_load(&k, pem.data, pem.len, NULL, err, sizeof err);
        if (es[i] == 65537) {
            assert_int_equal(rc, 0);
            sig_key_free(k);
        } else {
            assert_int_equal(rc, -1);
            assert_non_null(strstr(err, "invalid RSA public key"));
        }
        buf_free(&pem);
    }
}

/* More threads than the key's pool of scratch sets (16), each verifying a
 * valid, a wrong-message and an out-of-range signature: every verdict right
 * (and, in the TSan build, no race on the pool or the shared Montgomery
 * context). */
typedef struct thr { const rkey *r; const unsigned char *good, *high; int bad; } thr;

static void *thr_run(void *p) {
    thr *t = p;
    for (int i = 0; i < 6; i++) {
        t->bad += lib_verify(t->r, t->good, msg) != 1;
        t->bad += lib_verify(t->r, t->good, "timestamp=1") != 0;
        t->bad += lib_verify(t->r, t->high, msg) != 0;
    }
    return NULL;
}

static void test_rsa_threads(void **state) {
    (void)state;
    rkey r;
    rkey_load(&r, paths[0]);
    unsigned char em[MAXK], good[MAXK], high[MAXK];
    em_encode(em, r.len, msg);
    raw_sign(&r, em, good);
    memset(high, 0xff, sizeof high);
    enum { NT = 24 };
    pthread_t tid[NT];
    thr a[NT];
    for (int i = 0; i < NT; i++) {
        a[i] = (thr){&r, good, high, 0};
        assert_int_equal(pthread_create(&tid[i], NULL, thr_run, &a[i]), 0);
    }
    for (int i = 0; i < NT; i++) {
        pthread_join(tid[i], NULL);
        assert_int_equal(a[i].bad, 0);
    }
    rkey_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsa_encoded_messages),
        cmocka_unit_test(test_rsa_representatives),
        cmocka_unit_test(test_rsa_random),
        cmocka_unit_test(test_rsa_exponent_refused),
        cmocka_unit_test(test_rsa_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
