/* dec.c: parsing, formatting and exact arithmetic of fixed-point decimals. */
#include <string.h>
#include "dec.h"

dec_status dec_parse(const char *s, dec_t *out, int allow_negative)
{
    if (!s || !*s) return DEC_MALFORMED;
    int neg = 0;
    if (*s == '-') {
        if (!allow_negative) return DEC_MALFORMED;
        neg = 1;
        s++;
    }
    __int128 ip = 0;
    int nint = 0, nfrac = 0, frac_nonzero_beyond = 0;
    int64_t frac = 0;
    for (; *s >= '0' && *s <= '9'; s++, nint++) {
        ip = ip * 10 + (*s - '0');
        if (ip > (__int128)(DEC_MAX / DEC_SCALE)) return DEC_OVERFLOW;
    }
    if (*s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (nfrac < DEC_DIGITS) frac = frac * 10 + (*s - '0');
            else if (*s != '0') frac_nonzero_beyond = 1;
            nfrac++;
        }
        if (nfrac == 0 && nint == 0) return DEC_MALFORMED;
    }
    if (*s != '\0' || (nint == 0 && nfrac == 0)) return DEC_MALFORMED;
    if (frac_nonzero_beyond) return DEC_PRECISION;
    for (int i = nfrac < DEC_DIGITS ? nfrac : DEC_DIGITS; i < DEC_DIGITS; i++) frac *= 10;
    __int128 v = ip * DEC_SCALE + frac;
    if (v > DEC_MAX) return DEC_OVERFLOW;
    *out = neg ? -(dec_t)v : (dec_t)v;
    return DEC_OK;
}

size_t dec_format(char *out, size_t n, dec_t v, int decimals)
{
    char tmp[48];
    size_t k = 0;
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t ip = a / DEC_SCALE, fp = a % DEC_SCALE;
    if (decimals < 0) decimals = 0;
    if (decimals > DEC_DIGITS) decimals = DEC_DIGITS;
    char digits[24];
    int nd = 0;
    do { digits[nd++] = (char)('0' + ip % 10); ip /= 10; } while (ip);
    if (v < 0) tmp[k++] = '-';
    while (nd) tmp[k++] = digits[--nd];
    if (decimals > 0) {
        char f[DEC_DIGITS];
        for (int i = DEC_DIGITS - 1; i >= 0; i--) { f[i] = (char)('0' + fp % 10); fp /= 10; }
        tmp[k++] = '.';
        memcpy(tmp + k, f, (size_t)decimals);
        k += (size_t)decimals;
    }
    if (n == 0) return k;
    size_t w = k < n - 1 ? k : n - 1;
    memcpy(out, tmp, w);
    out[w] = '\0';
    return w;
}

dec_t dec_mul(dec_t a, dec_t b, int *overflow)
{
    __int128 p = (__int128)a * b / DEC_SCALE;
    if (p > DEC_MAX || p < -DEC_MAX) {
        if (overflow) *overflow = 1;
        return p > 0 ? DEC_MAX : -DEC_MAX;
    }
    return (dec_t)p;
}

dec_t dec_div(dec_t a, dec_t b)
{
    __int128 q = (__int128)a * DEC_SCALE / b;
    if (q > DEC_MAX) return DEC_MAX;
    if (q < -DEC_MAX) return -DEC_MAX;
    return (dec_t)q;
}

dec_t dec_muldiv(dec_t a, dec_t b, dec_t c)
{
    __int128 q = (__int128)a * b / c;
    if (q > DEC_MAX) return DEC_MAX;
    if (q < -DEC_MAX) return -DEC_MAX;
    return (dec_t)q;
}

int dec_is_multiple(dec_t v, dec_t step)
{
    return step <= 0 || v % step == 0;
}

dec_t dec_floor_step(dec_t v, dec_t step)
{
    return step <= 0 ? v : v - v % step;
}
