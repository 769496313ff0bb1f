/* rest: the civetweb request handler. Builds the request record once
 * (method, path, raw query, raw body, headers, client ip), hands /__admin/
 * to admin.c and everything else to the pipeline, then writes the response
 * with Binance's headers. Bodies are bounded by --max-body (413). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "srv_core.h"
#include "pipeline.h"
#include "jsonw.h"

#define CT_JSON "application/json;charset=UTF-8"

/* Close the connection without a response: find our socket (peer address
 * and port) and shut it down; civetweb then sees EOF and closes it. */
static void rest_drop(const struct mg_request_info *ri)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *de;
    if (!d) return;
    while ((de = readdir(d)) != NULL) {
        int fd = atoi(de->d_name);
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        char ip[INET6_ADDRSTRLEN] = "";
        int port = 0;
        if (fd <= 2 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0) continue;
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
            port = ntohs(a->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
            port = ntohs(a->sin6_port);
        }
        if (port == ri->remote_port && !strcmp(ip, ri->remote_addr)) {
            shutdown(fd, SHUT_RDWR);
            break;
        }
    }
    closedir(d);
}

static int is_form(const char *ct)
{
    if (!ct) return 1;                        /* Binance reads an untyped body as a form */
    while (*ct == ' ') ct++;
    return !strncasecmp(ct, "application/x-www-form-urlencoded", 33);
}

/* Read the body (Content-Length or chunked) up to max; -1 too large. */
static int read_body(struct mg_connection *conn, const struct mg_request_info *ri, size_t max, buf_t *b)
{
    char chunk[8192];
    int n;
    if (ri->content_length > (long long)max) return -1;
    while ((n = mg_read(conn, chunk, sizeof chunk)) > 0) {
        if (b->len + (size_t)n > max) return -1;
        if (buf_append(b, chunk, (size_t)n) < 0) return -1;
    }
    return 0;
}

/* The whole response in one write: status line, headers, body (two writes
 * would meet Nagle + delayed ACK on keep-alive connections). */
static void send_raw(struct mg_connection *conn, int status, const char *extra, const char *body,
                     size_t blen, int close_conn)
{
    buf_t out = BUF_INIT;
    buf_reserve(&out, 256 + blen + (extra ? strlen(extra) : 0));
    buf_puts(&out, "HTTP/1.1 ");
    jsonw_int(&out, status);
    buf_putc(&out, ' ');
    buf_puts(&out, mg_get_response_code_text(conn, status));
    buf_puts(&out, "\r\nContent-Type: " CT_JSON "\r\nContent-Length: ");
    jsonw_int(&out, (long long)blen);
    buf_puts(&out, "\r\n");
    if (extra) buf_puts(&out, extra);
    if (close_conn) buf_puts(&out, "Connection: close\r\n");
    buf_puts(&out, "\r\n");
    if (blen) buf_append(&out, body, blen);
    if (out.data) mg_write(conn, out.data, out.len);
    buf_free(&out);
}

static void send_plain(struct mg_connection *conn, int status, const char *body, int close_conn)
{
    send_raw(conn, status, NULL, body, strlen(body), close_conn);
}

/* "X-MBX-USED-WEIGHT: w\r\nX-MBX-USED-WEIGHT-1M: w\r\n" into h (>= 128
 * bytes) without printf; returns its length. */
static int rest_weight_headers(char *h, long long w)
{
    char num[24];
    size_t k = sizeof num, n = 0;
    unsigned long long a = w < 0 ? 0ULL - (unsigned long long)w : (unsigned long long)w;
    do { num[--k] = (char)('0' + a % 10); a /= 10; } while (a);
    if (w < 0) num[--k] = '-';
    static const char *names[2] = { "X-MBX-USED-WEIGHT: ", "X-MBX-USED-WEIGHT-1M: " };
    for (int i = 0; i < 2; i++) {
        size_t l = strlen(names[i]);
        memcpy(h + n, names[i], l);
        n += l;
        memcpy(h + n, num + k, sizeof num - k);
        n += sizeof num - k;
        memcpy(h + n, "\r\n", 3);
        n += 2;
    }
    h[n] = '\0';
    return (int)n;
}

static void send_resp(struct mg_connection *conn, const rest_resp *r, int close_conn)
{
    char h[512];
    /* the legacy 1-minute header (2019 changelog) is still sent by Binance */
    int n = rest_weight_headers(h, r->used_weight);
    if (r->order_counted)
        n += snprintf(h + n, sizeof h - (size_t)n, "X-MBX-ORDER-COUNT-10S: %lld\r\nX-MBX-ORDER-COUNT-1D: %lld\r\n",
                      (long long)r->c10s, (long long)r->c1d);
    if (r->retry_after_s > 0 && (r->status == 429 || r->status == 418))
        n += snprintf(h + n, sizeof h - (size_t)n, "Retry-After: %lld\r\n", (long long)r->retry_after_s);
    if (r->explain_id > 0)
        snprintf(h + n, sizeof h - (size_t)n, "X-Mock-Explain: %lld\r\n", (long long)r->explain_id);
    send_raw(conn, r->status, h, r->body.data, r->body.len, close_conn);
}

int rest_handle(struct mg_connection *conn, void *cbdata)
{
    struct srv *s = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *path = ri->local_uri_raw ? ri->local_uri_raw : ri->local_uri;
    if (!path) path = "/";
    if (!strncmp(path, "/__admin/", 9) || !strcmp(path, "/__admin") || !strcmp(path, "/"))
        return admin_handle(conn, s);       /* "/" is the console's page */

    if (ri->num_headers >= MG_MAX_HEADERS) {       /* civetweb keeps 64 and drops the rest */
        mg_disable_keep_alive(conn);
        send_plain(conn, 431, "", 1);
        return 431;
    }
    buf_t body = BUF_INIT;
    if (read_body(conn, ri, s->cfg.max_body, &body) < 0) {
        buf_free(&body);
        mg_disable_keep_alive(conn);
        send_plain(conn, 413, "", 1);
        return 413;
    }
    rest_hdr hdrs[MG_MAX_HEADERS];
    size_t nh = 0;
    for (int i = 0; i < ri->num_headers && nh < MG_MAX_HEADERS; i++, nh++) {
        hdrs[nh].name = ri->http_headers[i].name;
        hdrs[nh].value = ri->http_headers[i].value ? ri->http_headers[i].value : "";
    }
    rest_req rq = {
        .method = ri->request_method, .path = path,
        .query = ri->query_string ? ri->query_string : "",
        .qlen = ri->query_string ? strlen(ri->query_string) : 0,
        .body = buf_cstr(&body), .blen = body.len,
        .hdrs = hdrs, .nhdrs = nh, .client_ip = ri->remote_addr,
    };
    rq.body_is_form = strcmp(rq.method, "GET") != 0 && body.len > 0 && is_form(rest_header(&rq, "Content-Type"));
    rest_resp out;
    pipeline_rest(s, &rq, &out);
    int shed = !out.drop && srv_pool_low(s);
    if (shed) {
        mg_disable_keep_alive(conn);
        pool_request_closing(&s->pool);
    }
    if (out.drop) rest_drop(ri);
    else send_resp(conn, &out, shed);
    int status = out.drop ? 500 : out.status;
    rest_resp_free(&out);
    buf_free(&body);
    return status;
}
