/* sig_key: loading keys (HMAC secret, PEM of every kind Binance clients use,
 * raw Ed25519), their metadata, fingerprint and public-half export.
 * The algorithm comes from the decoded key itself, never from the PEM label;
 * the label only picks the decoder and the wording of errors. */
#define _GNU_SOURCE                 /* memmem */
#include "sig_internal.h"
#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PEM_LABEL_MAX 64

int sig_fail(char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    ERR_clear_error();     /* never leave OpenSSL's per-thread queue dirty */
    return -1;
}

const char *sig_type_name(sig_type t) {
    switch (t) {
    case SIG_HMAC: return "HMAC";
    case SIG_RSA: return "RSA";
    case SIG_ED25519: return "ED25519";
    default: return "NONE";
    }
}

sig_type sig_type_parse(const char *s) {
    if (!s) return SIG_NONE;
    if (!strcasecmp(s, "HMAC")) return SIG_HMAC;
    if (!strcasecmp(s, "RSA")) return SIG_RSA;
    if (!strcasecmp(s, "ED25519")) return SIG_ED25519;
    return SIG_NONE;
}

static sig_key *key_new(sig_type t) {
    sig_key *k = calloc(1, sizeof(*k));
    if (!k) return NULL;
    if (pthread_mutex_init(&k->pool_mu, NULL) != 0) { free(k); return NULL; }
    k->type = t;
    return k;
}

void sig_key_free(sig_key *k) {
    if (!k) return;
    sig_rsa_release(k);
    pthread_mutex_destroy(&k->pool_mu);
    EVP_PKEY_free(k->pkey);
    sodium_memzero(&k->hmac, sizeof(k->hmac));
    sodium_memzero(k->ed_sk, sizeof(k->ed_sk));
    if (k->secret) OPENSSL_clear_free(k->secret, k->secret_len);
    free(k);
}

sig_type sig_key_type(const sig_key *k) { return k ? k->type : SIG_NONE; }
int sig_key_has_private(const sig_key *k) { return k ? k->has_private : 0; }
int sig_key_bits(const sig_key *k) { return k ? k->bits : 0; }

/* ---- HMAC -------------------------------------------------------------- */

static int key_load_hmac(sig_key **out, const char *secret, size_t len, char *err, size_t errlen) {
    if (len == 0) return sig_fail(err, errlen, "empty HMAC secret");
    if (len > 4096) return sig_fail(err, errlen, "HMAC secret too long (%zu bytes, max 4096)", len);
    sig_key *k = key_new(SIG_HMAC);
    if (!k) return sig_fail(err, errlen, "out of memory");
    k->has_private = 1;
    k->bits = (int)(len * 8);
    /* libsodium's HMAC-SHA256 (RFC 2104; keys over 64 bytes hashed first) */
    if (crypto_auth_hmacsha256_init(&k->hmac, (const unsigned char *)secret, len) != 0) {
        sig_key_free(k);
        return sig_fail(err, errlen, "cannot set up HMAC-SHA256");
    }
    if (!(k->secret = OPENSSL_malloc(len))) {
        sig_key_free(k);
        return sig_fail(err, errlen, "out of memory");
    }
    memcpy(k->secret, secret, len);
    k->secret_len = len;
    *out = k;
    return 0;
}

int sig_key_hmac_variant(const sig_key *k, const char *prefix, const char *suffix, sig_key **out) {
    size_t pl = prefix ? strlen(prefix) : 0, sl = suffix ? strlen(suffix) : 0;
    if (!k || k->type != SIG_HMAC || !k->secret || pl > 16 || sl > 16) return -1;
    char *t = OPENSSL_malloc(k->secret_len + pl + sl);
    if (!t) return -1;
    memcpy(t, prefix ? prefix : "", pl);
    memcpy(t + pl, k->secret, k->secret_len);
    memcpy(t + pl + k->secret_len, suffix ? suffix : "", sl);
    int rc = key_load_hmac(out, t, k->secret_len + pl + sl, NULL, 0);
    OPENSSL_clear_free(t, k->secret_len + pl + sl);
    return rc;
}

/* ---- PEM --------------------------------------------------------------- */

typedef struct pem_info {
    char label[PEM_LABEL_MAX];   /* e.g. "PRIVATE KEY", "RSA PUBLIC KEY" */
    int has_end;                 /* the matching END line is present */
    int encrypted;               /* ENCRYPTED PRIVATE KEY or legacy Proc-Type */
    int legacy_headers;          /* "Proc-Type:" headers inside (legacy encrypted PEM) */
    size_t begin, body, body_end, end;  /* offsets: BEGIN marker, body, END marker, past END marker */
} pem_info;

static const char *mem_find(const char *h, size_t hn, const char *needle) {
    return memmem(h, hn, needle, strlen(needle));
}

/* Read the first BEGIN label; 0 ok, -1 when the header line is malformed. */
static int pem_scan(const char *t, size_t n, pem_info *pi) {
    memset(pi, 0, sizeof(*pi));
    const char *b = mem_find(t, n, "-----BEGIN ");
    if (!b) return -1;
    const char *l = b + 11, *end = t + n;
    const char *e = memmem(l, (size_t)(end - l), "-----", 5);
    if (!e || e - l <= 0 || e - l >= PEM_LABEL_MAX || memchr(l, '\n', (size_t)(e - l))) return -1;
    memcpy(pi->label, l, (size_t)(e - l));
    char endline[PEM_LABEL_MAX + 16];
    snprintf(endline, sizeof endline, "-----END %s-----", pi->label);
    const char *body = e + 5;
    const char *em = mem_find(body, (size_t)(end - body), endline);
    pi->has_end = em != NULL;
    pi->begin = (size_t)(b - t);
    pi->body = (size_t)(body - t);
    pi->body_end = em ? (size_t)(em - t) : n;
    pi->end = em ? pi->body_end + strlen(endline) : n;
    pi->legacy_headers = mem_find(body, pi->body_end - pi->body, "Proc-Type:") != NULL;
    pi->encrypted = !strcmp(pi->label, "ENCRYPTED PRIVATE KEY") ||
                    mem_find(body, pi->body_end - pi->body, "Proc-Type: 4,ENCRYPTED") != NULL;
    return 0;
}

/* Free a buffer that held key material, zeroing it first. */
static void buf_wipe(buf_t *b) {
    if (b->data) OPENSSL_cleanse(b->data, b->cap);
    buf_free(b);
}

static int is_b64_char(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/' || c == '=';
}

/* Rebuild the block as OpenSSL wants it: markers on their own lines, body
 * re-wrapped at 64. Tolerates indentation, CRLF, a PEM flattened onto one
 * line and literal "\n" escapes (keys pasted into env vars or JSON).
 * Legacy blocks with headers are passed through. -1 on a non-base64 byte. */
static int pem_normalize(const char *t, const pem_info *pi, buf_t *out) {
    if (pi->legacy_headers) return buf_append(out, t + pi->begin, pi->end - pi->begin) || buf_putc(out, '\n');
    buf_t b64 = BUF_INIT;
    int rc = 0;
    for (size_t i = pi->body; i < pi->body_end && rc == 0; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '\\' && i + 1 < pi->body_end && (t[i + 1] == 'n' || t[i + 1] == 'r')) {
            i++;
            continue;
        }
        rc = is_b64_char(c) ? buf_putc(&b64, (char)c) : -1;
    }
    if (rc == 0) rc = buf_printf(out, "-----BEGIN %s-----\n", pi->label);
    for (size_t i = 0; i < b64.len && rc == 0; i += 64)
        rc = buf_append(out, b64.data + i, b64.len - i < 64 ? b64.len - i : 64) || buf_putc(out, '\n');
    if (rc == 0) rc = buf_printf(out, "-----END %s-----\n", pi->label);
    buf_wipe(&b64);
    return rc ? -1 : 0;
}

typedef struct pw_ctx { const char *pass; } pw_ctx;

static int pem_pw_cb(char *buf, int size, int rwflag, void *u) {
    const pw_ctx *pc = u;
    (void)rwflag;
    if (!pc || !pc->pass) return -1;               /* never prompt on a terminal */
    size_t n = strlen(pc->pass);
    if (n > (size_t)size) return -1;
    memcpy(buf, pc->pass, n);
    return (int)n;
}

static EVP_PKEY *pem_decode_private(const char *t, size_t n, const char *pass) {
    BIO *bio = BIO_new_mem_buf(t, (int)n);
    if (!bio) return NULL;
    pw_ctx pc = {pass};
    EVP_PKEY *pk = PEM_read_bio_PrivateKey(bio, NULL, pem_pw_cb, &pc);
    BIO_free(bio);
    return pk;
}

/* SPKI ("PUBLIC KEY") and PKCS#1 ("RSA PUBLIC KEY") through the 3.0 decoders. */
static EVP_PKEY *pem_decode_public(const char *t, size_t n) {
    BIO *bio = BIO_new_mem_buf(t, (int)n);
    if (!bio) return NULL;
    EVP_PKEY *pk = NULL;
    OSSL_DECODER_CTX *dc = OSSL_DECODER_CTX_new_for_pkey(&pk, "PEM", NULL, NULL,
                                                         EVP_PKEY_PUBLIC_KEY, NULL, NULL);
    if (dc && !OSSL_DECODER_from_bio(dc, bio)) {
        EVP_PKEY_free(pk);
        pk = NULL;
    }
    OSSL_DECODER_CTX_free(dc);
    BIO_free(bio);
    return pk;
}

static int key_from_ed25519_pkey(sig_key *k, int priv, char *err, size_t errlen) {
    size_t len = crypto_sign_PUBLICKEYBYTES;
    if (!EVP_PKEY_get_raw_public_key(k->pkey, k->ed_pk, &len) || len != crypto_sign_PUBLICKEYBYTES)
        return sig_fail(err, errlen, "cannot extract the Ed25519 public key");
    if (!priv) return 0;
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    len = sizeof seed;
    int ok = EVP_PKEY_get_raw_private_key(k->pkey, seed, &len) && len == sizeof seed &&
             crypto_sign_seed_keypair(pk, k->ed_sk, seed) == 0 &&
             sodium_memcmp(pk, k->ed_pk, sizeof pk) == 0;
    sodium_memzero(seed, sizeof seed);
    if (!ok) return sig_fail(err, errlen, "cannot extract the Ed25519 private key");
    k->has_private = 1;
    return 0;
}

/* A private RSA key must sign what its own public half verifies. DER that
 * parses is not enough: legacy PEM encryption has no integrity check, so a
 * damaged file (or, rarely, a wrong passphrase) can decrypt to a well-formed
 * but inconsistent key (found by fuzz_sigkey) that would sign garbage. */
static int key_rsa_selftest(const sig_key *k) {
    static const char m[] = "binance-conformance key self-test";
    buf_t s = BUF_INIT;
    int ok = sig_sign(k, m, sizeof m - 1, &s, NULL, 0) == 0 &&
             sig_verify_rsa(k, m, sizeof m - 1, s.data, s.len) == 1;
    buf_free(&s);
    return ok;
}

/* Accept the decoded key if Binance would: RSA 2048..4096 bits or Ed25519. */
static int key_adopt_pkey(sig_key **out, EVP_PKEY *pk, int priv, char *err, size_t errlen) {
    int id = EVP_PKEY_get_base_id(pk);
    sig_key *k = NULL;
    if (id == EVP_PKEY_RSA) {
        int bits = EVP_PKEY_get_bits(pk);
        if (bits < 2048 || bits > 4096) {
            EVP_PKEY_free(pk);
            return sig_fail(err, errlen, "RSA key of %d bits: Binance accepts RSA keys of 2048 to 4096 bits", bits);
        }
        if (!(k = key_new(SIG_RSA))) goto oom;
        k->pkey = pk;
        k->bits = bits;
        k->has_private = priv;
        if (sig_rsa_prepare(k, err, errlen) < 0) {
            sig_key_free(k);
            return -1;
        }
        if (priv && !key_rsa_selftest(k)) {
            sig_key_free(k);
            return sig_fail(err, errlen, "corrupt private key: its signatures do not verify with its "
                            "own public key (damaged file or wrong passphrase)");
        }
    } else if (id == EVP_PKEY_ED25519) {
        if (!(k = key_new(SIG_ED25519))) goto oom;
        k->pkey = pk;
        k->bits = 256;
        if (key_from_ed25519_pkey(k, priv, err, errlen) < 0) {
            sig_key_free(k);
            return -1;
        }
    } else {
        const char *name = id == EVP_PKEY_RSA_PSS ? "RSA-PSS" : EVP_PKEY_get0_type_name(pk);
        char nb[48];
        snprintf(nb, sizeof nb, "%s", name ? name : "unknown");
        EVP_PKEY_free(pk);
        return sig_fail(err, errlen, "unsupported key algorithm %s: Binance accepts HMAC secrets, "
                        "RSA (PKCS#1 v1.5, 2048-4096 bits) and Ed25519 keys", nb);
    }
    *out = k;
    return 0;
oom:
    EVP_PKEY_free(pk);
    return sig_fail(err, errlen, "out of memory");
}

static int key_load_pem(sig_key **out, const char *t, size_t n, const char *pass,
                        char *err, size_t errlen) {
    pem_info pi;
    if (n > 1u << 20) return sig_fail(err, errlen, "PEM text too large");
    if (pem_scan(t, n, &pi) < 0) return sig_fail(err, errlen, "malformed PEM header line");
    if (!pi.has_end)
        return sig_fail(err, errlen, "truncated PEM: no '-----END %s-----' line", pi.label);
    if (!strcmp(pi.label, "OPENSSH PRIVATE KEY"))
        return sig_fail(err, errlen, "OpenSSH private key format is not supported: convert it to PKCS#8 "
                        "(ssh-keygen -p -m PKCS8 -f FILE) or use openssl genpkey");
    int priv = strstr(pi.label, "PRIVATE KEY") != NULL;
    if (!priv && !strstr(pi.label, "PUBLIC KEY"))
        return sig_fail(err, errlen, "PEM block '%s' is not a key (expected a private or public key)", pi.label);
    if (pi.encrypted && (!pass || !*pass))
        return sig_fail(err, errlen, "encrypted private key (%s): a passphrase is required", pi.label);
    buf_t norm = BUF_INIT;
    if (pem_normalize(t, &pi, &norm) < 0) {
        buf_wipe(&norm);
        return sig_fail(err, errlen, "garbled PEM '%s' block: non-base64 characters in the body", pi.label);
    }
    EVP_PKEY *pk = priv ? pem_decode_private(norm.data, norm.len, pass) : pem_decode_public(norm.data, norm.len);
    buf_wipe(&norm);
    if (!pk) {
        if (pi.encrypted)
            return sig_fail(err, errlen, "cannot decrypt the private key: wrong passphrase or corrupt key");
        return sig_fail(err, errlen, "cannot decode the PEM '%s' block: garbled or truncated "
                        "base64/DER, or an unsupported key", pi.label);
    }
    ERR_clear_error();
    return key_adopt_pkey(out, pk, priv, err, errlen);
}

int sig_key_load(sig_key **out, const char *text, size_t len, const char *passphrase,
                 char *err, size_t errlen) {
    if (!out || (!text && len)) return sig_fail(err, errlen, "no key given");
    *out = NULL;
    if (sodium_init() < 0) return sig_fail(err, errlen, "libsodium failed to initialise");
    if (len >= 10 && memmem(text, len, "-----BEGIN", 10))
        return key_load_pem(out, text, len, passphrase, err, errlen);
    return key_load_hmac(out, text, len, err, errlen);
}

int sig_key_ed25519_raw(sig_key **out, const uint8_t key[32], int is_private,
                        char *err, size_t errlen) {
    if (!out || !key) return sig_fail(err, errlen, "no key given");
    *out = NULL;
    if (sodium_init() < 0) return sig_fail(err, errlen, "libsodium failed to initialise");
    EVP_PKEY *pk = is_private ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key, 32)
                              : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, 32);
    if (!pk) return sig_fail(err, errlen, "invalid raw Ed25519 key");
    return key_adopt_pkey(out, pk, is_private, err, errlen);
}

/* ---- public half ------------------------------------------------------- */

int sig_key_fingerprint(const sig_key *k, char out[65]) {
    out[0] = '\0';
    if (!k || !k->pkey) return k ? 0 : -1;
    unsigned char *der = NULL, md[32];
    int n = i2d_PUBKEY(k->pkey, &der);
    if (n <= 0) return sig_fail(NULL, 0, "i2d");
    unsigned int mdlen = 0;
    int ok = EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
    OPENSSL_free(der);
    if (!ok || mdlen != 32) return sig_fail(NULL, 0, "digest");
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[md[i] >> 4];
        out[2 * i + 1] = hx[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

int sig_key_public_pem(const sig_key *k, buf_t *out) {
    if (!k || !k->pkey) return -1;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return -1;
    char *p = NULL;
    int rc = -1;
    if (PEM_write_bio_PUBKEY(bio, k->pkey)) {
        long n = BIO_get_mem_data(bio, &p);
        if (n > 0) rc = buf_append(out, p, (size_t)n);
    }
    BIO_free(bio);
    ERR_clear_error();
    return rc;
}
