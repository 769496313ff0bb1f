/* bench/sig_speed.c: CPU time of one signature verification, lib/sig's
 * path next to OpenSSL's own, per key type, with 1 and 2 threads verifying
 * at once (lock contention or shared cache lines would show as a higher
 * per-verify time with 2). Time is each thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), the two paths alternate in short rounds and the
 * median round counts, so that a machine shared with other jobs moves both
 * alike. Built and run by bench/sig-speed. Every verify must succeed.
 *   sig_verify RSA      lib/sig (sig_rsa.c): base64, SHA-256, s < n, s^e mod n, compare
 *   EVP_PKEY_verify     OpenSSL 3: a prepared EVP_PKEY_CTX (PKCS#1, SHA-256) per
 *                       thread, digest and decoded signature given (less work
 *                       than a request needs: no base64, no hashing)
 *   sig_verify Ed25519  lib/sig (libsodium crypto_sign_verify_detached)
 *   EVP_DigestVerify    OpenSSL 3 Ed25519, one EVP_MD_CTX per thread
 *   sig_verify HMAC     lib/sig (keyed HMAC-SHA256 state copied) */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sig.h"

#define ROUNDS 15

typedef struct path {
    const char *name;
    const char *keyfile;        /* under vectors/keys/ */
    int openssl;                /* 0: sig_verify; 1: EVP_PKEY_verify RSA; 2: EVP_DigestVerify Ed25519 */
    sig_key *k;
    EVP_PKEY *pk;
    buf_t sig;                  /* as a request carries it (base64 or hex) */
    unsigned char raw[512], md[32];
    size_t rawlen;
} path;

static const char msg[] = "timestamp=1796266152459&recvWindow=60000";
static int iters = 2000;

static double thread_cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *root, const char *file, size_t *n) {
    char p[1024];
    snprintf(p, sizeof p, "%s/vectors/keys/%s", root, file);
    FILE *f = fopen(p, "rb");
    if (!f) { fprintf(stderr, "sig_speed: cannot open %s\n", p); exit(1); }
    static char b[16384];
    *n = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    b[*n] = '\0';
    if (strstr(file, ".secret") && *n && b[*n - 1] == '\n') b[--*n] = '\0';
    return b;
}

static void path_load(path *p, const char *root) {
    size_t n;
    char *t = slurp(root, p->keyfile, &n), err[256];
    if (sig_key_load(&p->k, t, n, NULL, err, sizeof err)) { fprintf(stderr, "sig_speed: %s\n", err); exit(1); }
    if (sig_sign(p->k, msg, sizeof msg - 1, &p->sig, err, sizeof err)) { fprintf(stderr, "sig_speed: %s\n", err); exit(1); }
    if (p->openssl) {
        BIO *bio = BIO_new_mem_buf(t, (int)n);
        p->pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
        BIO_free(bio);
        if (!p->pk || sig_b64_decode_to(p->raw, sizeof p->raw, &p->rawlen, p->sig.data, p->sig.len)) exit(1);
        crypto_hash_sha256(p->md, (const unsigned char *)msg, sizeof msg - 1);
    }
}

typedef struct job { path *p; double us; int bad; } job;

static void *job_run(void *arg) {
    job *j = arg;
    path *p = j->p;
    EVP_PKEY_CTX *c = NULL;
    EVP_MD_CTX *m = NULL;
    if (p->openssl == 1) {
        c = EVP_PKEY_CTX_new_from_pkey(NULL, p->pk, NULL);
        if (!c || EVP_PKEY_verify_init(c) != 1 || EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) != 1 ||
            EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) != 1)
            j->bad = 1;
    }
    if (p->openssl == 2 && !(m = EVP_MD_CTX_new())) j->bad = 1;
    double t0 = thread_cpu();
    for (int i = 0; i < iters && !j->bad; i++) {
        int ok;
        if (p->openssl == 1) ok = EVP_PKEY_verify(c, p->raw, p->rawlen, p->md, sizeof p->md) == 1;
        else if (p->openssl == 2)
            ok = EVP_DigestVerifyInit_ex(m, NULL, NULL, NULL, NULL, p->pk, NULL) == 1 &&
                 EVP_DigestVerify(m, p->raw, p->rawlen, (const unsigned char *)msg, sizeof msg - 1) == 1;
        else ok = sig_verify(p->k, msg, sizeof msg - 1, p->sig.data, p->sig.len) == 1;
        j->bad |= !ok;
    }
    j->us = (thread_cpu() - t0) / iters * 1e6;
    EVP_PKEY_CTX_free(c);
    EVP_MD_CTX_free(m);
    return NULL;
}

/* One round of p on nt threads: the mean per-verify CPU time. */
static double round_run(path *p, int nt) {
    pthread_t t[2];
    job j[2] = {{p, 0, 0}, {p, 0, 0}};
    for (int i = 0; i < nt; i++)
        if (pthread_create(&t[i], NULL, job_run, &j[i])) exit(1);
    double sum = 0;
    for (int i = 0; i < nt; i++) {
        pthread_join(t[i], NULL);
        if (j[i].bad) { fprintf(stderr, "sig_speed: %s: a verification failed\n", p->name); exit(1); }
        sum += j[i].us;
    }
    return sum / nt;
}

static int dcmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : ".";
    if (argc > 2) iters = atoi(argv[2]);
    if (iters < 1 || sodium_init() < 0) return 2;
    path ps[] = {
        {.name = "sig_verify RSA-2048", .keyfile = "rsa2048.pem", .openssl = 0},
        {.name = "EVP_PKEY_verify RSA-2048", .keyfile = "rsa2048.pem", .openssl = 1},
        {.name = "sig_verify RSA-4096", .keyfile = "rsa4096.pem", .openssl = 0},
        {.name = "EVP_PKEY_verify RSA-4096", .keyfile = "rsa4096.pem", .openssl = 1},
        {.name = "sig_verify Ed25519", .keyfile = "ed25519.pem", .openssl = 0},
        {.name = "EVP_DigestVerify Ed25519", .keyfile = "ed25519.pem", .openssl = 2},
        {.name = "sig_verify HMAC", .keyfile = "hmac.secret", .openssl = 0},
    };
    size_t np = sizeof ps / sizeof ps[0];
    for (size_t i = 0; i < np; i++) path_load(&ps[i], root);
    printf("CPU time per verification, median of %d rounds of %d (thread CPU time)\n", ROUNDS, iters);
    printf("%-26s %12s %12s\n", "path", "1 thread us", "2 threads us");
    size_t pair;
    for (size_t i = 0; i < np; i += pair) {            /* lib/sig and OpenSSL alternate round by round */
        pair = i + 1 < np && ps[i + 1].openssl ? 2 : 1;
        double r[2][2][ROUNDS];
        for (int nt = 1; nt <= 2; nt++)
            for (int rd = 0; rd < ROUNDS; rd++)
                for (size_t q = 0; q < pair; q++) r[q][nt - 1][rd] = round_run(&ps[i + q], nt);
        for (size_t q = 0; q < pair; q++) {
            qsort(r[q][0], ROUNDS, sizeof(double), dcmp);
            qsort(r[q][1], ROUNDS, sizeof(double), dcmp);
            printf("%-26s %12.2f %12.2f\n", ps[i + q].name, r[q][0][ROUNDS / 2], r[q][1][ROUNDS / 2]);
        }
    }
    for (size_t i = 0; i < np; i++) {
        sig_key_free(ps[i].k);
        EVP_PKEY_free(ps[i].pk);
        buf_free(&ps[i].sig);
    }
    return 0;
}
