/* jsonw: fast JSON text writers for the REST hot path.
 * jsonw_print() appends exactly the bytes cJSON_PrintUnformatted() would
 * produce for the same tree (same escapes, same number text), without
 * cJSON's printf/sscanf round trip for integral numbers. jsonw_string()
 * appends exactly what buf_json_string() appends, copying safe runs in one
 * go instead of byte by byte. */
#ifndef BC_JSONW_H
#define BC_JSONW_H
#include <stddef.h>
#include <cjson/cJSON.h>
#include "buf.h"

/* 0 ok; -1 out of memory or an item cJSON cannot print (b then holds a
 * partial text: the caller discards it). */
int jsonw_print(buf_t *b, const cJSON *item);
/* Same bytes as buf_json_string(b, s, n); 0 ok, -1 out of memory. */
int jsonw_string(buf_t *b, const char *s, size_t n);
/* A string as cJSON prints it (NULL prints ""). */
int jsonw_cstring(buf_t *b, const char *s);
/* A number as cJSON prints it. */
int jsonw_number(buf_t *b, double d);
/* 1 if every byte is printable ASCII (0x20..0x7e): valid UTF-8, no NUL. */
int jsonw_print_ascii(const char *s, size_t n);
/* Decimal text of an integer (as %lld). */
int jsonw_int(buf_t *b, long long v);
#endif
