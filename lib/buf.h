/* buf: a growable, always NUL-terminated byte buffer. Every module that
 * builds bytes (payloads, signatures, JSON text) appends to one. */
#ifndef BC_BUF_H
#define BC_BUF_H
#include <stddef.h>
#include <stdarg.h>

typedef struct buf {
    char *data;   /* NUL-terminated when len > 0 or after any append; may be NULL when empty */
    size_t len;
    size_t cap;
} buf_t;

#define BUF_INIT {NULL, 0, 0}
void buf_init(buf_t *b);
void buf_free(buf_t *b);
void buf_reset(buf_t *b);                           /* len = 0, keeps memory */
int buf_reserve(buf_t *b, size_t extra);            /* 0 ok, -1 out of memory / overflow */
int buf_append(buf_t *b, const void *p, size_t n);  /* 0 ok, -1 oom */
int buf_puts(buf_t *b, const char *s);
int buf_putc(buf_t *b, char c);
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf_t *b, const char *fmt, va_list ap);
int buf_json_string(buf_t *b, const char *s, size_t n); /* append "s" JSON-escaped, quotes included */
const char *buf_cstr(const buf_t *b);               /* "" when empty */
char *buf_steal(buf_t *b);                          /* caller frees; buffer reset */
#endif
