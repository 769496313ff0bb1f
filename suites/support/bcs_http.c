/* bcs_http: a raw HTTP/1.1 client over a plain socket (exact bytes out,
 * status/headers/body parsed back), and TLS requests via civetweb. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <civetweb.h>
#include "bcs.h"

void bcs_resp_free(bcs_resp *r)
{
    for (size_t i = 0; i < r->nhdrs; i++) { free(r->hdrs[i].name); free(r->hdrs[i].value); }
    free(r->hdrs);
    buf_free(&r->body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

const char *bcs_header(const bcs_resp *r, const char *name)
{
    for (size_t i = 0; i < r->nhdrs; i++)
        if (!strcasecmp(r->hdrs[i].name, name)) return r->hdrs[i].value;
    return NULL;
}

int bcs_code(const bcs_resp *r)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(r->json, "code");
    return cJSON_IsNumber(c) ? c->valueint : 0;
}

const char *bcs_msg(const bcs_resp *r)
{
    const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->json, "msg"));
    return m ? m : "";
}

int bcs_conn_open(bcs_conn *c, const bcs_mock *m)
{
    struct sockaddr_in a;
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)m->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) { close(c->fd); c->fd = -1; return -1; }
    return 0;
}

int bcs_conn_send(bcs_conn *c, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

void bcs_conn_close(bcs_conn *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    buf_free(&c->in);
}

/* Read more bytes into c->in; 0 ok, -1 EOF/error/timeout. */
static int fill(bcs_conn *c, int timeout_ms)
{
    char tmp[16384];
    struct pollfd p = { c->fd, POLLIN, 0 };
    if (poll(&p, 1, timeout_ms) <= 0) return -1;
    ssize_t n = recv(c->fd, tmp, sizeof tmp, 0);
    if (n <= 0) return -1;
    return buf_append(&c->in, tmp, (size_t)n);
}

static void consume(bcs_conn *c, size_t n)
{
    memmove(c->in.data, c->in.data + n, c->in.len - n);
    c->in.len -= n;
    if (c->in.data) c->in.data[c->in.len] = 0;
}

static int parse_head(bcs_resp *r, const char *h, size_t n)
{
    const char *end = h + n, *line = h;
    const char *eol = memchr(line, '\n', (size_t)(end - line));
    if (!eol || strncmp(line, "HTTP/1.", 7)) return -1;
    r->status = atoi(line + 9);
    for (line = eol + 1; line < end; line = eol + 1) {
        eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol) eol = end;
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon) continue;
        const char *v = colon + 1, *ve = eol;
        while (v < ve && *v == ' ') v++;
        while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ')) ve--;
        bcs_hdr *nh = realloc(r->hdrs, (r->nhdrs + 1) * sizeof *nh);
        if (!nh) return -1;
        r->hdrs = nh;
        r->hdrs[r->nhdrs].name = strndup(line, (size_t)(colon - line));
        r->hdrs[r->nhdrs].value = strndup(v, (size_t)(ve - v));
        r->nhdrs++;
    }
    return 0;
}

/* Chunked body from c->in; 1 complete, 0 need more, -1 bad. */
static int dechunk(bcs_conn *c, bcs_resp *r, size_t *used)
{
    size_t pos = 0;
    buf_reset(&r->body);
    for (;;) {
        char *eol = memchr(c->in.data + pos, '\n', c->in.len - pos);
        if (!eol) return 0;
        size_t sz = strtoul(c->in.data + pos, NULL, 16);
        size_t start = (size_t)(eol - c->in.data) + 1;
        if (c->in.len < start + sz + 2) return 0;
        if (sz == 0) { *used = start + 2; return 1; }
        buf_append(&r->body, c->in.data + start, sz);
        pos = start + sz + 2;
    }
}

int bcs_conn_recv(bcs_conn *c, bcs_resp *r, int timeout_ms)
{
    char *hend;
    memset(r, 0, sizeof *r);
    while (!c->in.data || !(hend = strstr(c->in.data, "\r\n\r\n")))
        if (fill(c, timeout_ms) < 0) return -1;
    size_t hlen = (size_t)(hend - c->in.data) + 4;
    if (parse_head(r, c->in.data, hlen) < 0) { r->status = 0; return -1; }
    consume(c, hlen);
    const char *cl = bcs_header(r, "Content-Length"), *te = bcs_header(r, "Transfer-Encoding");
    if (te && !strcasecmp(te, "chunked")) {
        size_t used = 0;
        int d;
        while ((d = dechunk(c, r, &used)) == 0)
            if (fill(c, timeout_ms) < 0) return -1;
        if (d < 0) return -1;
        consume(c, used);
    } else if (cl) {
        size_t want = strtoul(cl, NULL, 10);
        while (c->in.len < want)
            if (fill(c, timeout_ms) < 0) return -1;
        buf_append(&r->body, c->in.data, want);
        consume(c, want);
    } else {
        while (fill(c, timeout_ms) == 0) {}
        if (c->in.len) buf_append(&r->body, c->in.data, c->in.len);
        consume(c, c->in.len);
    }
    if (r->body.len) r->json = cJSON_ParseWithLength(r->body.data, r->body.len);
    return 0;
}

int bcs_raw(const bcs_mock *m, const void *bytes, size_t n, bcs_resp *r)
{
    bcs_conn c;
    memset(r, 0, sizeof *r);
    if (bcs_conn_open(&c, m) < 0) return -1;
    bcs_conn_send(&c, bytes, n);      /* the server may answer (and close) before reading it all */
    int rc = bcs_conn_recv(&c, r, 10000 * bcs_slow());
    bcs_conn_close(&c);
    return rc;
}

static int build_request(buf_t *req, const bcs_mock *m, const char *method, const char *target,
                         const char *const *headers, const char *body)
{
    int has_ct = 0;
    buf_printf(req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", method, target, m->port);
    for (size_t i = 0; headers && headers[i]; i++) {
        if (!strncasecmp(headers[i], "Content-Type:", 13)) has_ct = 1;
        buf_printf(req, "%s\r\n", headers[i]);
    }
    if (body) {
        if (!has_ct) buf_puts(req, "Content-Type: application/x-www-form-urlencoded\r\n");
        buf_printf(req, "Content-Length: %zu\r\n", strlen(body));
    }
    buf_puts(req, "Connection: close\r\n\r\n");
    if (body) buf_puts(req, body);
    return 0;
}

/* TLS through civetweb's client (no certificate verification: test certs). */
static int bcs_https(const bcs_mock *m, const buf_t *req, bcs_resp *r)
{
    char ebuf[256] = "";
    struct mg_connection *conn = mg_connect_client("127.0.0.1", m->port, 1, ebuf, sizeof ebuf);
    if (!conn) { fprintf(stderr, "bcs: TLS connect failed: %s\n", ebuf); return -1; }
    mg_write(conn, req->data, req->len);
    if (mg_get_response(conn, ebuf, sizeof ebuf, 10000 * bcs_slow()) < 0) { mg_close_connection(conn); return -1; }
    const struct mg_response_info *ri = mg_get_response_info(conn);
    r->status = ri->status_code;
    r->hdrs = calloc((size_t)ri->num_headers + 1, sizeof *r->hdrs);
    for (int i = 0; r->hdrs && i < ri->num_headers; i++) {
        r->hdrs[i].name = strdup(ri->http_headers[i].name);
        r->hdrs[i].value = strdup(ri->http_headers[i].value);
        r->nhdrs++;
    }
    char tmp[8192];
    int n;
    while ((n = mg_read(conn, tmp, sizeof tmp)) > 0) buf_append(&r->body, tmp, (size_t)n);
    mg_close_connection(conn);
    if (r->body.len) r->json = cJSON_ParseWithLength(r->body.data, r->body.len);
    return 0;
}

int bcs_http(const bcs_mock *m, const char *method, const char *target,
             const char *const *headers, const char *body, bcs_resp *r)
{
    buf_t req = BUF_INIT;
    memset(r, 0, sizeof *r);
    build_request(&req, m, method, target, headers, body);
    int rc = m->tls ? bcs_https(m, &req, r) : bcs_raw(m, req.data, req.len, r);
    buf_free(&req);
    return rc;
}
