/* bcs_oracle: the suites' independent oracle for Binance error responses -
 * suites/data/binance_errors.json, literals taken from Binance's errors.md
 * (not from lib/errors.def). bcs_assert_err and the admin suite build the
 * expected status, code and message from here; lib_errors checks the
 * catalogue against the same file row by row. */
#ifndef BC_BCS_ORACLE_H
#define BC_BCS_ORACLE_H
#include <stddef.h>

typedef struct bcs_oracle_err {
    int code;
    int status;
    char name[64];
    char msg[512];             /* template: "%s" placeholders, filled in order */
} bcs_oracle_err;

/* The row of catalogue id id_name (e.g. "INVALID_SIDE") into *out.
 * 0 found, -1 not in the oracle (or the file cannot be read: reported). */
int bcs_oracle_get(const char *id_name, bcs_oracle_err *out);
/* tmpl with its "%s" replaced by a1, a2 in order (NULL -> ""), into out
 * (NUL-terminated, truncated to n-1 bytes). Returns out. */
char *bcs_oracle_format(char *out, size_t n, const char *tmpl, const char *a1, const char *a2);
#endif
