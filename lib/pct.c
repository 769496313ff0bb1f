/* pct: percent-encoding (RFC 3986 unreserved set kept, upper-case hex) and
 * strict decoding that reports malformed escapes, invalid UTF-8 (overlongs,
 * surrogates, > U+10FFFF, truncated sequences) and NUL, with the offset of
 * the first offending input byte. Never reads past n, never crashes. */
#include "pct.h"
#include <string.h>

const char *pct_status_str(pct_status s) {
    switch (s) {
    case PCT_OK: return "ok";
    case PCT_BAD_ESCAPE: return "malformed percent escape";
    case PCT_BAD_UTF8: return "invalid UTF-8";
    case PCT_NUL: return "NUL byte";
    case PCT_OOM: return "out of memory";
    }
    return "unknown";
}

static int pct_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

static int pct_hexval(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int pct_encode(buf_t *out, const void *in, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = in;
    if (n > ((size_t)-1) / 3 - 1 || buf_reserve(out, n * 3) < 0) return -1;
    for (size_t i = 0; i < n; i++) {
        if (pct_unreserved(s[i])) {
            out->data[out->len++] = (char)s[i];
        } else {
            out->data[out->len++] = '%';
            out->data[out->len++] = hex[s[i] >> 4];
            out->data[out->len++] = hex[s[i] & 15];
        }
    }
    out->data[out->len] = '\0';
    return 0;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 if malformed.
 * *trunc (if not NULL) is set when the sequence is only cut short by n. */
static size_t pct_utf8_seq(const unsigned char *s, size_t n, int *trunc) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;       /* bounds of the second byte */
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }              /* no overlongs */
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }              /* no surrogates */
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }              /* no overlongs */
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }              /* <= U+10FFFF */
    else return 0;                                           /* 80..C1, F5..FF */
    if (n >= 2 && (s[1] < lo || s[1] > hi)) return 0;
    for (size_t i = 2; i < len && i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    if (n < len) {
        if (trunc) *trunc = 1;
        return 0;
    }
    return len;
}

int pct_utf8_valid(const void *p, size_t n, size_t *bad_off) {
    const unsigned char *s = p;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) { i++; continue; }  /* ASCII: the common case, no call */
        size_t l = pct_utf8_seq(s + i, n - i, NULL);
        if (!l) {
            if (bad_off) *bad_off = i;
            return 0;
        }
        i += l;
    }
    return 1;
}

size_t pct_utf8_cut(const char *s, size_t n, size_t max) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (n <= max) return n;
    while (i < max) {
        size_t l = pct_utf8_seq(u + i, n - i, NULL);
        if (!l) l = 1;                       /* a stray byte stands alone */
        if (i + l > max) break;
        i += l;
    }
    return i;
}

int pct_utf8_scrub(buf_t *out, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t l = pct_utf8_seq(u + i, n - i, NULL);
        if (l ? buf_append(out, s + i, l) : buf_append(out, "\xEF\xBF\xBD", 3)) return -1;
        i += l ? l : 1;
    }
    return 0;
}

int pct_is_encoded(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (pct_unreserved(c)) continue;
        if (c != '%' || n - i < 3 || pct_hexval((unsigned char)s[i + 1]) < 0 ||
            pct_hexval((unsigned char)s[i + 2]) < 0)
            return 0;
        i += 2;
    }
    return 1;
}

/* Offset in `in` of the input byte that produced decoded byte k. */
static size_t pct_input_offset(const char *in, size_t n, size_t k) {
    size_t i = 0, produced = 0;
    while (i < n && produced < k) {
        i += in[i] == '%' ? 3 : 1;
        produced++;
    }
    return i < n ? i : n;
}

pct_status pct_decode(buf_t *out, const char *in, size_t n, int plus_is_space, size_t *err_off) {
    size_t start = out->len, i = 0, esc_off = 0;
    pct_status st = PCT_OK;
    if (buf_reserve(out, n) < 0) return PCT_OOM;
    while (i < n) {
        /* A run of bytes that decode to themselves is copied in one go. */
        size_t run = i;
        while (run < n && in[run] != '%' && (in[run] != '+' || !plus_is_space)) run++;
        if (run > i) {
            memcpy(out->data + out->len, in + i, run - i);
            out->len += run - i;
            i = run;
            if (i == n) break;
        }
        unsigned char c = (unsigned char)in[i];
        if (c == '%') {
            int h = n - i >= 3 ? pct_hexval((unsigned char)in[i + 1]) : -1;
            int l = h >= 0 ? pct_hexval((unsigned char)in[i + 2]) : -1;
            if (l < 0) {
                st = PCT_BAD_ESCAPE;
                esc_off = i;
                break;
            }
            c = (unsigned char)(h << 4 | l);
            i += 3;
        } else {
            if (c == '+' && plus_is_space) c = ' ';
            i++;
        }
        out->data[out->len++] = (char)c;
    }
    out->data[out->len] = '\0';
    /* An error inside the decoded prefix comes before a bad escape. */
    const char *d = out->data + start;
    size_t dn = out->len - start, bad = 0;
    const char *nul = memchr(d, '\0', dn);
    int utf8_ok = pct_utf8_valid(d, dn, &bad);
    if (nul && (utf8_ok || (size_t)(nul - d) <= bad)) {
        if (err_off) *err_off = pct_input_offset(in, n, (size_t)(nul - d));
        return PCT_NUL;
    }
    int trunc = 0;
    if (!utf8_ok && st == PCT_BAD_ESCAPE)   /* cut short by the bad escape itself? */
        (void)pct_utf8_seq((const unsigned char *)d + bad, dn - bad, &trunc);
    if (!utf8_ok && !trunc) {
        if (err_off) *err_off = pct_input_offset(in, n, bad);
        return PCT_BAD_UTF8;
    }
    if (st != PCT_OK && err_off) *err_off = esc_off;
    return st;
}
