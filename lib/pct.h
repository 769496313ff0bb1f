/* pct: percent-encoding as Binance requires it (RFC 3986 unreserved set
 * A-Z a-z 0-9 - . _ ~ kept, every other byte %XX with upper-case hex) and
 * strict decoding that reports malformed escapes and invalid UTF-8. */
#ifndef BC_PCT_H
#define BC_PCT_H
#include <stddef.h>
#include "buf.h"

typedef enum pct_status {
    PCT_OK = 0,
    PCT_BAD_ESCAPE,   /* '%' not followed by two hex digits */
    PCT_BAD_UTF8,     /* decoded bytes are not valid UTF-8 */
    PCT_NUL,          /* decoded bytes contain NUL (%00) */
    PCT_OOM
} pct_status;

const char *pct_status_str(pct_status s);
/* Append the encoding of in[0..n) to out. 0 ok, -1 oom. */
int pct_encode(buf_t *out, const void *in, size_t n);
/* Append the decoding of in[0..n) to out. plus_is_space: '+' -> ' '
 * (application/x-www-form-urlencoded). On error *err_off (if not NULL) is the
 * offset in `in` of the first bad byte/escape (the earliest error wins; a
 * UTF-8 sequence cut short by a bad escape is reported as the escape). out
 * holds the bytes decoded before a bad escape, or the whole decoding for
 * PCT_BAD_UTF8 / PCT_NUL. */
pct_status pct_decode(buf_t *out, const char *in, size_t n, int plus_is_space, size_t *err_off);
/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int pct_utf8_valid(const void *s, size_t n, size_t *bad_off);
/* The longest prefix of s[0..n) of at most max bytes that does not end
 * inside a well-formed UTF-8 sequence: where the server cuts a string into
 * a frame or JSON (an unknown stream method, a config name in an error). */
size_t pct_utf8_cut(const char *s, size_t n, size_t max);
/* Append s[0..n) to out with every byte that does not start a well-formed
 * UTF-8 sequence replaced by U+FFFD. 0 ok, -1 oom. */
int pct_utf8_scrub(buf_t *out, const char *s, size_t n);
/* 1 if every byte is in the unreserved set or a well-formed %XX escape. */
int pct_is_encoded(const char *s, size_t n);
#endif
