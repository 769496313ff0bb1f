/* fz_common: the input splitter, the answer oracles and the in-memory input
 * file of fuzz.h. */
#define _GNU_SOURCE 1   /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "fuzz.h"
#include "pct.h"

int fz_field(fz_in *in, char sep, const char **f, size_t *fn)
{
    if (!in->p) return 0;
    const char *e = memchr(in->p, sep, in->n);
    *f = in->p;
    if (e) {
        *fn = (size_t)(e - in->p);
        in->n -= *fn + 1;
        in->p = e + 1;
    } else {
        *fn = in->n;
        in->p = NULL;
        in->n = 0;
    }
    return 1;
}

char *fz_strndup(const char *f, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) abort();
    if (n) memcpy(s, f, n);
    s[n] = '\0';
    return s;
}

static void fz_fail(const char *what, const char *why, const char *s, size_t n)
{
    fprintf(stderr, "fuzz oracle: %s is not %s (%zu bytes): %.*s\n", what, why, n,
            (int)(n > 400 ? 400 : n), s);
    abort();
}

void fz_assert_utf8(const char *what, const char *s, size_t n)
{
    if (!pct_utf8_valid(s, n, NULL)) fz_fail(what, "valid UTF-8", s, n);
}

void fz_assert_json(const char *what, const char *s, size_t n)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    int ok = j && end == s + n;
    cJSON_Delete(j);
    if (!ok) fz_fail(what, "one valid JSON value", s, n);
}

const char *fz_memfile(const void *data, size_t n)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-input", 0);
        if (fd < 0) abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) < 0 || (n && pwrite(fd, data, n, 0) != (ssize_t)n)) abort();
    return path;
}
