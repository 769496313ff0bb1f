/* dec: exact fixed-point decimals for prices and quantities - int64 scaled
 * by 10^8 (Binance's 8 decimals), products and quotients through __int128.
 * Never binary floating point. */
#ifndef BC_DEC_H
#define BC_DEC_H
#include <stddef.h>
#include <stdint.h>

typedef int64_t dec_t;
#define DEC_SCALE 100000000LL
#define DEC_DIGITS 8
#define DEC_MAX INT64_MAX
#define DEC_ONE DEC_SCALE

typedef enum dec_status {
    DEC_OK = 0,
    DEC_MALFORMED,      /* not a decimal number (-> -1102/-1100 by caller) */
    DEC_PRECISION,      /* more than 8 significant decimals (-> -1111) */
    DEC_OVERFLOW        /* does not fit (-> -1108/-1102) */
} dec_status;

/* Parse "123", "0.1", "1.50000000", "1e-3" is malformed; a leading '-' only
 * with allow_negative. Trailing zeros beyond 8 decimals are accepted. */
dec_status dec_parse(const char *s, dec_t *out, int allow_negative);
/* Format with exactly `decimals` digits after the point (Binance renders 8:
 * "0.10000000"). Returns the length written (buffer >= 32). */
size_t dec_format(char *out, size_t n, dec_t v, int decimals);
/* a*b rounded toward zero; *overflow set on overflow (if not NULL). */
dec_t dec_mul(dec_t a, dec_t b, int *overflow);
/* a/b rounded toward zero (b != 0). */
dec_t dec_div(dec_t a, dec_t b);
/* a*b/c rounded toward zero through __int128 (c != 0). */
dec_t dec_muldiv(dec_t a, dec_t b, dec_t c);
/* 1 if v is an exact multiple of step (step 0 -> 1). */
int dec_is_multiple(dec_t v, dec_t step);
/* v rounded down to a multiple of step (step 0 -> v). */
dec_t dec_floor_step(dec_t v, dec_t step);
#endif
