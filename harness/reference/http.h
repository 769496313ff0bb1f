/* http: a minimal blocking HTTP/1.1 client over plain TCP sockets (one
 * request per connection, Connection: close), used by the reference client
 * and by binance-conform's admin calls. Content-Length and chunked bodies;
 * every wait is bounded by a timeout. No TLS: the harness talks to a local
 * binance-mock over http://. */
#ifndef BC_HTTP_H
#define BC_HTTP_H
#include <stddef.h>
#include "buf.h"

typedef struct http_url {
    char host[256];
    int port;
} http_url;

typedef struct http_resp {
    int status;          /* HTTP status, 0 if none was read */
    buf_t head;          /* raw header block (status line excluded), "\r\n"-separated */
    buf_t body;          /* decoded body (de-chunked) */
} http_resp;

/* Parse "http://host:port[/...]" (port defaults to 80). 0 ok, -1 bad URL. */
int http_url_parse(http_url *u, const char *url);
void http_resp_init(http_resp *r);
void http_resp_free(http_resp *r);
/* Send one request. target: path plus "?query" as bytes to put on the wire.
 * extra_headers: "Name: value\r\n" lines or NULL. body may be NULL.
 * Returns 0 when a response was read, -1 on a transport error (err says why;
 * err starts with "timeout" on a timeout). */
int http_request(const http_url *u, const char *method, const char *target,
                 const char *extra_headers, const char *body, size_t blen,
                 int timeout_ms, http_resp *out, char *err, size_t errlen);
/* Value of a response header (case-insensitive name) copied into out; 1 found, 0 not. */
int http_header(const http_resp *r, const char *name, char *out, size_t outlen);
#endif
