/* sig_b64: strict standard base64 (RFC 4648 §4, with padding) on top of
 * OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock. OpenSSL's decoder trims blanks
 * and ignores non-zero pad bits, so the strictness checks are ours: length a
 * multiple of 4, alphabet only, '=' only as the last one or two bytes, and
 * canonical pad bits (a '+' turned into ' ' or a flipped tail never decodes). */
#include "sig.h"
#include <limits.h>
#include <openssl/evp.h>
#include <string.h>

static int b64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

int sig_b64_encode(buf_t *out, const void *in, size_t n) {
    if (n > (size_t)INT_MAX / 4 * 3 - 3) return -1;
    size_t olen = 4 * ((n + 2) / 3);
    if (buf_reserve(out, olen + 1) < 0) return -1;
    int w = EVP_EncodeBlock((unsigned char *)out->data + out->len, in, (int)n);
    if (w < 0 || (size_t)w != olen) return -1;
    out->len += olen;
    out->data[out->len] = '\0';
    return 0;
}

/* Number of '=' (0..2) if in[0..n) is canonical strict base64, else -1. */
static int b64_check(const char *in, size_t n) {
    if (n % 4) return -1;
    if (n == 0) return 0;
    int pad = 0;
    if (in[n - 1] == '=') pad = in[n - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < n - (size_t)pad; i++)
        if (b64_value((unsigned char)in[i]) < 0) return -1;
    if (pad) {
        int last = b64_value((unsigned char)in[n - pad - 1]);
        if (last & (pad == 2 ? 0x0f : 0x03)) return -1;   /* non-zero pad bits */
    }
    return pad;
}

int sig_b64_decode(buf_t *out, const char *in, size_t n) {
    if (!in && n) return -1;
    if (n > (size_t)INT_MAX) return -1;
    int pad = b64_check(in, n);
    if (pad < 0) return -1;
    if (n == 0) return buf_append(out, "", 0);
    size_t olen = n / 4 * 3;
    if (buf_reserve(out, olen + 1) < 0) return -1;
    int r = EVP_DecodeBlock((unsigned char *)out->data + out->len, (const unsigned char *)in, (int)n);
    if (r < 0 || (size_t)r != olen) return -1;
    out->len += olen - (size_t)pad;                    /* DecodeBlock counts the pad bytes */
    out->data[out->len] = '\0';
    return 0;
}

int sig_b64_decode_to(unsigned char *out, size_t cap, size_t *outlen, const char *in, size_t n) {
    if ((!in && n) || n > (size_t)INT_MAX) return -1;
    int pad = b64_check(in, n);
    if (pad < 0 || n / 4 * 3 > cap) return -1;
    int r = n ? EVP_DecodeBlock(out, (const unsigned char *)in, (int)n) : 0;
    if (r < 0 || (size_t)r != n / 4 * 3) return -1;
    *outlen = (size_t)r - (size_t)pad;
    return 0;
}
