/* fuzz_sigkey: key loading (lib/sig: HMAC secrets, PKCS#8 / SPKI / PKCS#1
 * PEM, encrypted PKCS#8) and strict base64. Input: an optional first line
 * "passphrase:<text>", then the key text.
 * Oracles: a loaded key has a known type; its exported public PEM loads back
 * to the same fingerprint; a key that can sign verifies its own signature and
 * rejects it for another message; base64 decoding that succeeds re-encodes
 * to the same text; a failure always says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "sig.h"

/* Fingerprints of keys whose export/sign oracles already passed: most
 * inputs that load are the seed keys with harmless mutations, and an RSA
 * sign costs more than everything else an input does, so each distinct key
 * is checked once (a few slots, round robin: the harness's only state). */
#define SEEN_SLOTS 16
static char seen[SEEN_SLOTS][67];
static unsigned seen_next;

static int seen_before(const char *fp, sig_type t, int priv)
{
    char tag[67];
    snprintf(tag, sizeof tag, "%s%c%c", fp, "?HRE"[t == SIG_HMAC ? 1 : t == SIG_RSA ? 2 : 3], priv ? 'p' : 'k');
    for (int i = 0; i < SEEN_SLOTS; i++)
        if (!strcmp(seen[i], tag)) return 1;
    memcpy(seen[seen_next++ % SEEN_SLOTS], tag, sizeof tag);
    return 0;
}

static void check_key(sig_key *k)
{
    sig_type t = sig_key_type(k);
    if (t != SIG_HMAC && t != SIG_RSA && t != SIG_ED25519) abort();
    (void)sig_key_bits(k);
    char fp[65] = "";
    if (sig_key_fingerprint(k, fp) == 0 && fp[0] && seen_before(fp, t, sig_key_has_private(k))) return;
    buf_t pem = BUF_INIT;
    if (t != SIG_HMAC && sig_key_public_pem(k, &pem) == 0) {
        sig_key *pub = NULL;
        char err[256], fp2[65];
        if (sig_key_load(&pub, pem.data, pem.len, NULL, err, sizeof err) < 0) abort();
        if (sig_key_fingerprint(pub, fp2) < 0 || strcmp(fp, fp2)) abort();
        sig_key_free(pub);
    }
    buf_free(&pem);
    static const char msg[] = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_t sig = BUF_INIT;
    char err[256];
    if (sig_key_has_private(k) && sig_sign(k, msg, sizeof msg - 1, &sig, err, sizeof err) == 0) {
        if (sig_verify(k, msg, sizeof msg - 1, sig.data, sig.len) != 1) abort();
        if (sig_verify(k, "x", 1, sig.data, sig.len) != 0) abort();
    }
    buf_free(&sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { (const char *)data, size };
    const char *pass = NULL;
    char *passbuf = NULL;
    if (size > 11 && !memcmp(data, "passphrase:", 11)) {
        const char *f;
        size_t fn;
        fz_field(&in, '\n', &f, &fn);
        pass = passbuf = fz_strndup(f + 11, fn - 11);
    }
    const char *text = in.p ? in.p : "";
    size_t n = in.n;
    sig_key *k = NULL;
    char err[512] = "";
    if (sig_key_load(&k, text, n, pass, err, sizeof err) == 0) {
        check_key(k);
        (void)sig_verify(k, "m", 1, text, n);
        sig_key_free(k);
    } else if (!err[0]) {
        abort();                          /* a failure always says why */
    }
    free(passbuf);

    buf_t dec = BUF_INIT, enc = BUF_INIT;
    if (sig_b64_decode(&dec, text, n) == 0) {
        if (sig_b64_encode(&enc, dec.data ? dec.data : "", dec.len) != 0) abort();
        if (enc.len != n || (n && memcmp(enc.data, text, n))) abort();
    }
    buf_free(&dec);
    buf_free(&enc);
    return 0;
}
