/* http: minimal blocking HTTP/1.1 client (see http.h). */
#define _GNU_SOURCE
#include "http.h"
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HTTP_MAX_RESPONSE (64u * 1024u * 1024u)

static long long http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int http_url_parse(http_url *u, const char *url)
{
    const char *p = url, *host, *colon, *end;
    size_t hl;
    if (strncmp(p, "http://", 7) != 0)
        return -1;
    host = p + 7;
    end = host + strcspn(host, "/?");
    colon = memchr(host, ':', (size_t)(end - host));
    hl = (size_t)((colon ? colon : end) - host);
    if (hl == 0 || hl >= sizeof(u->host))
        return -1;
    memcpy(u->host, host, hl);
    u->host[hl] = '\0';
    u->port = 80;
    if (colon) {
        char *e;
        long port = strtol(colon + 1, &e, 10);
        if (e != end || port <= 0 || port > 65535)
            return -1;
        u->port = (int)port;
    }
    return 0;
}

void http_resp_init(http_resp *r)
{
    r->status = 0;
    buf_init(&r->head);
    buf_init(&r->body);
}

void http_resp_free(http_resp *r)
{
    buf_free(&r->head);
    buf_free(&r->body);
    r->status = 0;
}

static int http_connect(const http_url *u, int timeout_ms, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[16];
    int fd = -1, rc;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof port, "%d", u->port);
    rc = getaddrinfo(u->host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "resolve %s: %s", u->host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, errlen, "connect %s:%d: %s", u->host, u->port, strerror(errno));
    return fd;
}

static int http_send_all(int fd, const char *p, size_t n, char *err, size_t errlen)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "%s: %s", errno == EAGAIN ? "timeout sending" : "send",
                     strerror(errno));
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Read until EOF or deadline into raw. */
static int http_read_all(int fd, buf_t *raw, long long deadline, char *err, size_t errlen)
{
    char tmp[16384];
    for (;;) {
        long long left = deadline - http_now_ms();
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr;
        ssize_t r;
        if (left <= 0) {
            snprintf(err, errlen, "timeout waiting for the response");
            return -1;
        }
        pr = poll(&pfd, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0) {
            snprintf(err, errlen, "timeout waiting for the response");
            return -1;
        }
        r = recv(fd, tmp, sizeof tmp, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "recv: %s", strerror(errno));
            return -1;
        }
        if (r == 0)
            return 0;
        if (raw->len + (size_t)r > HTTP_MAX_RESPONSE || buf_append(raw, tmp, (size_t)r) != 0) {
            snprintf(err, errlen, "response too large");
            return -1;
        }
    }
}

static int http_dechunk(const char *p, size_t n, buf_t *out)
{
    size_t i = 0;
    while (i < n) {
        char *e;
        unsigned long sz = strtoul(p + i, &e, 16);
        const char *crlf = memchr(p + i, '\n', n - i);
        if (!crlf || e == p + i)
            return -1;
        i = (size_t)(crlf - p) + 1;
        if (sz == 0)
            return 0;
        if (sz > n - i)
            return -1;
        if (buf_append(out, p + i, sz) != 0)
            return -1;
        i += sz;
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
    return 0;
}

static int http_parse(const buf_t *raw, http_resp *out, char *err, size_t errlen)
{
    const char *p = buf_cstr(raw), *hend, *line_end;
    size_t hl;
    char te[64] = "";
    if (raw->len < 12 || strncmp(p, "HTTP/1.", 7) != 0) {
        snprintf(err, errlen, "malformed response (no status line)");
        return -1;
    }
    out->status = atoi(p + 9);
    hend = strstr(p, "\r\n\r\n");
    if (!hend) {
        snprintf(err, errlen, "malformed response (no header end)");
        return -1;
    }
    line_end = strstr(p, "\r\n");
    hl = (size_t)(hend - (line_end + 2));
    if (buf_append(&out->head, line_end + 2, hl) != 0 || buf_puts(&out->head, "\r\n") != 0)
        return -1;
    hend += 4;
    if (http_header(out, "Transfer-Encoding", te, sizeof te) && strcasestr(te, "chunked"))
        return http_dechunk(hend, raw->len - (size_t)(hend - p), &out->body);
    return buf_append(&out->body, hend, raw->len - (size_t)(hend - p));
}

int http_request(const http_url *u, const char *method, const char *target,
                 const char *extra_headers, const char *body, size_t blen,
                 int timeout_ms, http_resp *out, char *err, size_t errlen)
{
    buf_t req = BUF_INIT, raw = BUF_INIT;
    long long deadline = http_now_ms() + timeout_ms;
    int fd, rc = -1;
    err[0] = '\0';
    fd = http_connect(u, timeout_ms, err, errlen);
    if (fd < 0)
        return -1;
    if (buf_printf(&req, "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n"
                   "User-Agent: binance-conformance-ref/1\r\n%s",
                   method, target, u->host, u->port, extra_headers ? extra_headers : "") != 0)
        goto done;
    if (body && buf_printf(&req, "Content-Length: %zu\r\n", blen) != 0)
        goto done;
    if (buf_puts(&req, "\r\n") != 0 || (body && buf_append(&req, body, blen) != 0))
        goto done;
    if (http_send_all(fd, req.data, req.len, err, errlen) != 0)
        goto done;
    if (http_read_all(fd, &raw, deadline, err, errlen) != 0)
        goto done;
    rc = http_parse(&raw, out, err, errlen);
done:
    if (rc != 0 && !err[0])
        snprintf(err, errlen, "out of memory or malformed response");
    close(fd);
    buf_free(&req);
    buf_free(&raw);
    return rc;
}

int http_header(const http_resp *r, const char *name, char *out, size_t outlen)
{
    const char *p = buf_cstr(&r->head);
    size_t nl = strlen(name);
    while (*p) {
        const char *eol = strstr(p, "\r\n");
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        if (ll > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            size_t vl;
            while (*v == ' ' || *v == '\t')
                v++;
            vl = (size_t)(p + ll - v);
            if (outlen) {
                if (vl >= outlen)
                    vl = outlen - 1;
                memcpy(out, v, vl);
                out[vl] = '\0';
            }
            return 1;
        }
        if (!eol)
            break;
        p = eol + 2;
    }
    return 0;
}
