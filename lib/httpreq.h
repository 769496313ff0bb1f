/* httpreq: parse a raw HTTP/1.x request as a user pastes it (or as `curl -v`
 * prints it, "> " prefixes) into method, path, raw query, headers and raw
 * body, so tools can rebuild the REST payload offline. Also accepts a bare
 * URL ("https://host/path?q" or "/path?q"), a "METHOD URL" line, or a
 * pasted curl command (shell quoting; -X, -H, -d/--data*, --data-urlencode,
 * -G, --url; the request curl would send is rebuilt, with curl's default
 * form Content-Type for -d).
 * Line ends may be \n or \r\n. Nothing is decoded: query and body are the
 * bytes as written. */
#ifndef BC_HTTPREQ_H
#define BC_HTTPREQ_H
#include <stddef.h>

typedef struct httpreq_header {
    char *name;            /* as written */
    char *value;           /* leading/trailing spaces trimmed */
} httpreq_header;

typedef struct httpreq {
    char *method;          /* "GET", "POST", ...; "GET" for a bare URL */
    char *target;          /* the request target as written, e.g. "/api/v3/order?a=1" */
    char *authority;       /* "api.binance.com" from an absolute URL, else "" */
    char *path;            /* "/api/v3/order" ("/" when an absolute URL has none) */
    char *query;           /* raw bytes after the first '?' (before any '#'), "" if none */
    size_t query_len;
    int has_query;         /* 1 if the target contained '?' */
    char *version;         /* "HTTP/1.1", or "" when the line had none */
    httpreq_header *headers;
    size_t nheaders;
    char *body;            /* raw body, "" if none (NUL-terminated, may contain NULs) */
    size_t body_len;
} httpreq;

#define HTTPREQ_MAX_HEADERS 256

/* Parse text[0..n). 0 ok; -1 with a clear one-line reason in err (the
 * request is then freed/empty). httpreq_free is safe after either result. */
int httpreq_parse(httpreq *r, const char *text, size_t n, char *err, size_t errlen);
void httpreq_free(httpreq *r);
/* Value of the first header with that name (case-insensitive), or NULL. */
const char *httpreq_get_header(const httpreq *r, const char *name);
/* 1 if Content-Type is application/x-www-form-urlencoded (parameters ignored). */
int httpreq_is_form(const httpreq *r);
#endif
