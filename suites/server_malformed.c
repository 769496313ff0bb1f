/* server_malformed: hostile and broken input over a raw socket - garbage
 * request lines, bad percent-encoding, invalid UTF-8, NUL, 10k parameters,
 * oversized URI/headers/body, too many headers, broken chunking, truncated
 * requests. Each gets a Binance error or a 4xx (or a closed connection for
 * what is not HTTP), never a crash or a hang: the server answers a ping
 * after every row. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include "bcs_test.h"

enum expect { EXP_ERR, EXP_4XX_OR_CLOSE, EXP_STATUS };

typedef struct mal_case {
    const char *name;
    buf_t (*make)(void);          /* builds the bytes (or NULL: use text) */
    const char *text;
    enum expect exp;
    err_id err;
    int status;
} mal_case;

static buf_t big_uri(void)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, "GET /api/v3/ping?x=");
    for (int i = 0; i < 20000; i++) buf_putc(&b, 'a');
    buf_puts(&b, " HTTP/1.1\r\nHost: x\r\n\r\n");
    return b;
}

static buf_t big_header(void)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\nX-Big: ");
    for (int i = 0; i < 20000; i++) buf_putc(&b, 'h');
    buf_puts(&b, "\r\n\r\n");
    return b;
}

static buf_t many_headers(void)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 100; i++) buf_printf(&b, "X-H%d: %d\r\n", i, i);
    buf_puts(&b, "\r\n");
    return b;
}

static buf_t ten_k_params(void)
{
    buf_t body = BUF_INIT, b = BUF_INIT;
    for (int i = 0; i < 10000; i++) buf_printf(&body, "%sp%d=%d", i ? "&" : "", i, i);
    buf_printf(&b, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %zu\r\n\r\n", body.len);
    buf_append(&b, body.data, body.len);
    buf_free(&body);
    return b;
}

static buf_t ten_k_same_param(void)
{
    buf_t body = BUF_INIT, b = BUF_INIT;
    for (int i = 0; i < 10000; i++) buf_printf(&body, "%sa=1", i ? "&" : "");
    buf_printf(&b, "DELETE /api/v3/openOrders HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n", body.len);
    buf_append(&b, body.data, body.len);
    buf_free(&body);
    return b;
}

/* Declares a 2 MiB body (over --max-body) and sends its first KiB. */
static buf_t big_body(void)
{
    buf_t b = BUF_INIT;
    size_t n = 2u << 20;
    buf_printf(&b, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %zu\r\n\r\n", n);
    for (size_t i = 0; i < 1024; i++) buf_putc(&b, 'a');   /* the server answers before the rest */
    return b;
}

static const mal_case cases[] = {
    { "garbage request line", NULL, "GARBAGE\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "binary junk", NULL, "\x01\x02\x03\xff\xfe\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "bad HTTP version", NULL, "GET /api/v3/ping HTTP/7.3\r\nHost: x\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "header without colon", NULL, "GET /api/v3/ping HTTP/1.1\r\nHost x\r\nNoColonHere\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "bad content-length", NULL, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "broken chunking", NULL, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nab\r\n0\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "oversized URI", big_uri, NULL, EXP_4XX_OR_CLOSE, 0, 0 },
    { "oversized header", big_header, NULL, EXP_4XX_OR_CLOSE, 0, 0 },
    { "100 headers", many_headers, NULL, EXP_4XX_OR_CLOSE, 0, 0 },
    { "oversized body", big_body, NULL, EXP_STATUS, 0, 413 },
    { "10k params", ten_k_params, NULL, EXP_ERR, ERR_TOO_MANY_PARAMETERS, 0 },
    { "10k copies of one param", ten_k_same_param, NULL, EXP_ERR, ERR_TOO_MANY_PARAMETERS, 0 },
    { "bad escape in query", NULL, "GET /api/v3/time?x=%2 HTTP/1.1\r\nHost: x\r\n\r\n", EXP_ERR, ERR_ILLEGAL_CHARS, 0 },
    { "non-hex escape", NULL, "GET /api/v3/time?x=%GG HTTP/1.1\r\nHost: x\r\n\r\n", EXP_ERR, ERR_ILLEGAL_CHARS, 0 },
    { "escaped invalid UTF-8", NULL, "GET /api/v3/time?x=%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n", EXP_ERR, ERR_ILLEGAL_CHARS, 0 },
    /* civetweb rejects raw non-ASCII bytes in the request line itself (400) */
    { "raw invalid UTF-8 in URI", NULL, "GET /api/v3/time?x=\xc3\x28 HTTP/1.1\r\nHost: x\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
    { "raw invalid UTF-8 in body", NULL, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nsymbol=\xc3\x28\xff", EXP_ERR, ERR_ILLEGAL_CHARS, 0 },
    { "escaped NUL", NULL, "GET /api/v3/time?x=%00 HTTP/1.1\r\nHost: x\r\n\r\n", EXP_ERR, ERR_ILLEGAL_CHARS, 0 },
    { "bad escape in body", NULL, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nsymbol=%Z", EXP_ERR, ERR_ILLEGAL_CHARS, 0 },
    { "duplicate in body", NULL, "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\na=1&a=2", EXP_ERR, ERR_DUPLICATE_PARAMETER, 0 },
    { "unknown method", NULL, "BREW /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n", EXP_4XX_OR_CLOSE, 0, 0 },
};

static void ping_ok(const bcs_mock *m, const char *after)
{
    bcs_resp r;
    if (bcs_http(m, "GET", "/api/v3/ping", NULL, NULL, &r) != 0 || r.status != 200)
        fail_msg("server did not answer a ping after '%s'", after);
    bcs_resp_free(&r);
}

static void test_malformed_rows(void **state)
{
    bcs_mock *m = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const mal_case *c = &cases[i];
        buf_t b = BUF_INIT;
        if (c->make) b = c->make();
        else buf_puts(&b, c->text);
        bcs_resp r;
        int rc = bcs_raw(m, b.data, b.len, &r);
        switch (c->exp) {
        case EXP_ERR:
            if (rc != 0) fail_msg("%s: no response", c->name);
            bcs_assert_err(&r, c->err, NULL, NULL);
            break;
        case EXP_STATUS:
            if (rc != 0 || r.status != c->status) fail_msg("%s: status %d, want %d", c->name, r.status, c->status);
            break;
        case EXP_4XX_OR_CLOSE:
            if (rc == 0 && (r.status < 400 || r.status > 499))
                fail_msg("%s: status %d, want 4xx or a closed connection", c->name, r.status);
            break;
        }
        bcs_resp_free(&r);
        buf_free(&b);
        assert_true(bcs_mock_alive(m));
        ping_ok(m, c->name);
    }
}

/* Half a request, then the client goes away; and a client that never
 * finishes its headers does not block others. */
static void test_truncated_and_stalled(void **state)
{
    bcs_mock *m = *state;
    bcs_conn c, stalled;
    const char part[] = "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nsymbol=BT";
    assert_int_equal(bcs_conn_open(&c, m), 0);
    assert_int_equal(bcs_conn_send(&c, part, sizeof part - 1), 0);
    bcs_conn_close(&c);
    assert_int_equal(bcs_conn_open(&stalled, m), 0);
    assert_int_equal(bcs_conn_send(&stalled, "GET /api/v3/pi", 14), 0);
    ping_ok(m, "a stalled client");
    bcs_conn_close(&stalled);
    ping_ok(m, "truncated requests");
}

/* Bytes that are not UTF-8 keep the journal valid JSON (+ exact base64). */
static void test_journal_binary_body(void **state)
{
    bcs_mock *m = *state;
    const char req[] = "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\na=\xff\x00\xfe\x01";
    bcs_resp r, j;
    assert_int_equal(bcs_raw(m, req, sizeof req - 1, &r), 0);
    assert_int_equal(r.status, 400);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &j), 200);
    assert_non_null(j.json);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(j.json, "entries"), 0);
    assert_non_null(e);
    assert_string_equal(cJSON_GetObjectItem(e, "bodyBase64")->valuestring, "YT3/AP4B");
    bcs_resp_free(&j);
    /* a large body is journaled capped, with its full length */
    buf_t big = BUF_INIT;
    buf_puts(&big, "symbol=");
    for (int i = 0; i < 200000; i++) buf_putc(&big, 'B');
    assert_int_equal(bcs_http(m, "POST", "/api/v3/order/test", NULL, big.data, &r), 0);
    bcs_resp_free(&r);
    assert_int_equal(bcs_admin(m, "GET", "/__admin/journal?limit=1", NULL, &j), 200);
    e = cJSON_GetArrayItem(cJSON_GetObjectItem(j.json, "entries"), 0);
    assert_int_equal((long)cJSON_GetObjectItem(e, "bodyTruncated")->valuedouble, (long)big.len);
    assert_int_equal(strlen(cJSON_GetObjectItem(e, "body")->valuestring), 65536);
    bcs_resp_free(&j);
    buf_free(&big);
}

/* Everything the server sends on a fresh connection for bytes, until it
 * closes (bounded wait). */
static void raw_all(const bcs_mock *m, const char *bytes, buf_t *out)
{
    bcs_conn c;
    assert_int_equal(bcs_conn_open(&c, m), 0);
    bcs_conn_send(&c, bytes, strlen(bytes));
    shutdown(c.fd, SHUT_WR);
    char chunk[4096];
    for (;;) {
        struct pollfd p = { c.fd, POLLIN, 0 };
        if (poll(&p, 1, 10000) <= 0) break;
        ssize_t n = read(c.fd, chunk, sizeof chunk);
        if (n <= 0) break;
        buf_append(out, chunk, (size_t)n);
    }
    bcs_conn_close(&c);
}

/* Requests civetweb cannot parse are answered by the server itself: an
 * HTTP/1.1 status line of our own, no request byte in any header or the body
 * (civetweb's default page copied the request's version field, CRLFs
 * included, into its status line: header injection). */
static void test_parse_errors_echo_nothing(void **state)
{
    bcs_mock *m = *state;
    static const struct { const char *req; const char *status_line; } rows[] = {
        { "GET /api/v3/ping HTTP/1.1 x\r\nX-Injected: evil\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
        { "GET /api/v3/ping HTTP/7.3evil\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
        { "GET /api/v3/ping\x01evil HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
        { "POST /api/v3/order HTTP/1.1\r\nHost: x\r\nContent-Length: evil\r\n\r\n", "HTTP/1.1 411 Length Required\r\n" },
        { "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: evilevilevilevilevilevilevilevilevilevilevilevilevilevilevilevilevil\r\n\r\n",
          "HTTP/1.1 400 Bad Request\r\n" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        buf_t out = BUF_INIT;
        raw_all(m, rows[i].req, &out);
        const char *t = buf_cstr(&out);
        if (strncmp(t, rows[i].status_line, strlen(rows[i].status_line)) || strstr(t, "evil") || strstr(t, "Injected"))
            fail_msg("row %zu answered:\n%s", i, t);
        const char *end = strstr(t, "\r\n\r\n");
        assert_non_null(end);
        assert_non_null(strstr(t, "Content-Length: "));
        buf_free(&out);
        ping_ok(m, rows[i].req);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_rows),
        cmocka_unit_test(test_truncated_and_stalled),
        cmocka_unit_test(test_journal_binary_body),
        cmocka_unit_test(test_parse_errors_echo_nothing),
    };
    return cmocka_run_group_tests_name("server_malformed", tests, bcs_group_setup, bcs_group_stop);
}
