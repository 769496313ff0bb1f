/* sig_b64: strict standard base64 (RFC 4648 §4, with padding). Encoding
 * through OpenSSL's EVP_EncodeBlock; decoding is ours, in one table-driven
 * pass (a signature is decoded on every signed request; OpenSSL's decoder
 * also trims blanks and ignores non-zero pad bits, so it could only follow a
 * separate strictness scan): length a multiple of 4, alphabet only, '=' only
 * as the last one or two bytes, and canonical pad bits (a '+' turned into ' '
 * or a flipped tail never decodes). */
#include "sig.h"
#include <limits.h>
#include <openssl/evp.h>
#include <string.h>

#define X 0xff
/* Alphabet value of each byte; X (bit 7 set) for every other byte. */
static const unsigned char b64_val[256] = {
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
    X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
    X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
};
#undef X

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

/* Decode in[0..n) (strict, see above) into out, which has room for the
 * decoded bytes; the decoded length, or -1. */
static long b64_decode_raw(unsigned char *out, size_t cap, const char *in, size_t n) {
    if (n % 4) return -1;
    if (n == 0) return 0;
    const unsigned char *p = (const unsigned char *)in;
    size_t pad = p[n - 1] != '=' ? 0 : p[n - 2] != '=' ? 1 : 2;
    size_t olen = n / 4 * 3 - pad;
    if (olen > cap) return -1;
    unsigned bad = 0;
    size_t o = 0, i = 0;
    for (; i + 4 < n; i += 4) {                        /* every group but the last */
        unsigned a = b64_val[p[i]], b = b64_val[p[i + 1]], c = b64_val[p[i + 2]], d = b64_val[p[i + 3]];
        bad |= a | b | c | d;
        out[o++] = (unsigned char)(a << 2 | b >> 4);
        out[o++] = (unsigned char)(b << 4 | c >> 2);
        out[o++] = (unsigned char)(c << 6 | d);
    }
    unsigned a = b64_val[p[i]], b = b64_val[p[i + 1]];
    unsigned c = pad == 2 ? 0 : b64_val[p[i + 2]], d = pad ? 0 : b64_val[p[i + 3]];
    bad |= a | b | c | d;
    if (bad & 0x80) return -1;                         /* a byte outside the alphabet ('=' included) */
    if ((pad == 2 && (b & 0x0f)) || (pad == 1 && (c & 0x03))) return -1;   /* non-zero pad bits */
    out[o++] = (unsigned char)(a << 2 | b >> 4);
    if (pad < 2) out[o++] = (unsigned char)(b << 4 | c >> 2);
    if (pad < 1) out[o++] = (unsigned char)(c << 6 | d);
    return (long)o;
}

int sig_b64_decode(buf_t *out, const char *in, size_t n) {
    if ((!in && n) || n > (size_t)INT_MAX) return -1;
    if (buf_reserve(out, n / 4 * 3 + 1) < 0) return -1;
    long r = b64_decode_raw((unsigned char *)out->data + out->len, n / 4 * 3, in, n);
    if (r < 0) return -1;
    out->len += (size_t)r;
    out->data[out->len] = '\0';
    return 0;
}

int sig_b64_decode_to(unsigned char *out, size_t cap, size_t *outlen, const char *in, size_t n) {
    if ((!in && n) || n > (size_t)INT_MAX) return -1;
    long r = b64_decode_raw(out, cap, in, n);
    if (r < 0) return -1;
    *outlen = (size_t)r;
    return 0;
}
