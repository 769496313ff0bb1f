/* jsonw: cJSON_PrintUnformatted-identical printer and a fast JSON string
 * escaper (see jsonw.h). Numbers: an integral value below 1e15 in magnitude
 * prints as its digits, which is exactly what cJSON's "%1.15g" gives; every
 * other number (fractions, huge values, -0, NaN/Inf) is printed by cJSON
 * itself, so the text stays byte-identical. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "jsonw.h"

/* Eight bytes at a time (bit hacks; each test is exact as a boolean). */
#define JW_ONES 0x0101010101010101ULL
#define JW_HIGHS 0x8080808080808080ULL
static inline uint64_t jw_load(const char *p) { uint64_t w; memcpy(&w, p, 8); return w; }
static inline uint64_t jw_has_less(uint64_t x, unsigned n) { return (x - JW_ONES * n) & ~x & JW_HIGHS; }
static inline uint64_t jw_has_byte(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (JW_ONES * c);
    return (y - JW_ONES) & ~y & JW_HIGHS;
}
/* 1 if none of the 8 bytes needs escaping */
static inline int jw_plain8(uint64_t x)
{
    return !(jw_has_less(x, 0x20) | jw_has_byte(x, '"') | jw_has_byte(x, '\\'));
}

int jsonw_print_ascii(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = jw_load(s + i);
        if ((x & JW_HIGHS) || jw_has_less(x, 0x20) || jw_has_byte(x, 0x7f)) return 0;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) return 0;
    return 1;
}

/* 1 for bytes both escapers copy verbatim. */
static inline int jsonw_plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

/* Escape one byte that is not plain into o; returns the bytes written.
 * cjson = 1 writes \b and \f (cJSON's print_string_ptr), 0 writes \u0008
 * and \u000c (buf_json_string). */
static size_t jsonw_esc1(char *o, unsigned char c, int cjson)
{
    static const char hex[] = "0123456789abcdef";
    char e = 0;
    switch (c) {
    case '"': e = '"'; break;
    case '\\': e = '\\'; break;
    case '\n': e = 'n'; break;
    case '\r': e = 'r'; break;
    case '\t': e = 't'; break;
    case '\b': e = cjson ? 'b' : 0; break;
    case '\f': e = cjson ? 'f' : 0; break;
    default: break;
    }
    o[0] = '\\';
    if (e) { o[1] = e; return 2; }
    memcpy(o + 1, "u00", 3);
    o[4] = hex[c >> 4];
    o[5] = hex[c & 15];
    return 6;
}

/* "s[0..n)" JSON-escaped, written straight into reserved space, a chunk at
 * a time (a chunk of k bytes needs at most 6k). */
static int jsonw_escape(buf_t *b, const char *s, size_t n, int cjson)
{
    enum { CHUNK = 2048 };
    if (buf_putc(b, '"') < 0) return -1;
    for (size_t at = 0; at < n;) {
        size_t k = n - at < CHUNK ? n - at : CHUNK;
        if (buf_reserve(b, k * 6 + 1) < 0) return -1;
        char *o = b->data + b->len;
        for (size_t i = at; i < at + k;) {
            if (i + 8 <= at + k && jw_plain8(jw_load(s + i))) {
                memcpy(o, s + i, 8);
                o += 8;
                i += 8;
                continue;
            }
            unsigned char c = (unsigned char)s[i++];
            if (jsonw_plain(c)) *o++ = (char)c;
            else o += jsonw_esc1(o, c, cjson);
        }
        b->len = (size_t)(o - b->data);
        b->data[b->len] = '\0';
        at += k;
    }
    return buf_putc(b, '"');
}

int jsonw_string(buf_t *b, const char *s, size_t n) { return jsonw_escape(b, s, n, 0); }

int jsonw_int(buf_t *b, long long v)
{
    char tmp[24];
    size_t k = sizeof tmp;
    unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do { tmp[--k] = (char)('0' + a % 10); a /= 10; } while (a);
    if (v < 0) tmp[--k] = '-';
    return buf_append(b, tmp + k, sizeof tmp - k);
}

int jsonw_number(buf_t *b, double d)
{
    if (isfinite(d) && fabs(d) < 1e15 && d == floor(d) && !(d == 0 && signbit(d)))
        return jsonw_int(b, (long long)d);
    /* the rare case: let cJSON print this one number */
    cJSON *one = cJSON_CreateNumber(d);
    char *txt = one ? cJSON_PrintUnformatted(one) : NULL;
    cJSON_Delete(one);
    int rc = txt ? buf_puts(b, txt) : -1;
    free(txt);
    return rc;
}

int jsonw_cstring(buf_t *b, const char *s)
{
    return jsonw_escape(b, s ? s : "", s ? strlen(s) : 0, 1);
}

static int jsonw_children(buf_t *b, const cJSON *item, int object)
{
    if (buf_putc(b, object ? '{' : '[') < 0) return -1;
    for (const cJSON *c = item->child; c; c = c->next) {
        if (c != item->child && buf_putc(b, ',') < 0) return -1;
        if (object) {
            if (jsonw_cstring(b, c->string) < 0 || buf_putc(b, ':') < 0) return -1;   /* NULL key: "" as cJSON */
        }
        if (jsonw_print(b, c) < 0) return -1;
    }
    return buf_putc(b, object ? '}' : ']');
}

int jsonw_print(buf_t *b, const cJSON *item)
{
    if (!item) return -1;
    switch (item->type & 0xFF) {
    case cJSON_NULL: return buf_append(b, "null", 4);
    case cJSON_False: return buf_append(b, "false", 5);
    case cJSON_True: return buf_append(b, "true", 4);
    case cJSON_Number: return jsonw_number(b, item->valuedouble);
    case cJSON_Raw: return item->valuestring ? buf_puts(b, item->valuestring) : -1;
    case cJSON_String: return jsonw_cstring(b, item->valuestring);
    case cJSON_Array: return jsonw_children(b, item, 0);
    case cJSON_Object: return jsonw_children(b, item, 1);
    default: return -1;
    }
}
