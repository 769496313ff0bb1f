/* lib_httpreq: parsing pasted HTTP requests (lib/httpreq.c): raw requests
 * with \n or \r\n, curl -v transcripts, bare URLs and "METHOD URL" lines,
 * Content-Length bodies, header lookup, and a clear error for each kind of
 * garbage. Then the H3 request end to end: paste -> REST payload. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "httpreq.h"
#include "payload.h"

typedef struct ok_case {
    const char *name;
    const char *text;
    const char *method, *authority, *path, *query, *version, *body;
    int has_query;
    size_t nheaders;
} ok_case;

#define H3_Q "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC"
#define H3_B "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"

static const ok_case ok_cases[] = {
    {"CRLF request with body",
     "POST /api/v3/order?" H3_Q " HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: key\r\n"
     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 135\r\n\r\n" H3_B,
     "POST", "", "/api/v3/order", H3_Q, "HTTP/1.1", H3_B, 1, 4},
    {"LF line ends, no Content-Length, editor newline dropped",
     "POST /api/v3/order HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\n" H3_B "\n",
     "POST", "", "/api/v3/order", "", "HTTP/1.1", H3_B, 0, 1},
    {"Content-Length shorter than the rest",
     "POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\na=1&b=2", "POST", "", "/x", "", "HTTP/1.1", "a=1", 0, 1},
    {"Content-Length 0", "DELETE /x?a=1 HTTP/1.0\r\nContent-Length: 0\r\n\r\n", "DELETE", "", "/x", "a=1",
     "HTTP/1.0", "", 1, 1},
    {"GET without headers or blank line", "GET /api/v3/time HTTP/1.1", "GET", "", "/api/v3/time", "",
     "HTTP/1.1", "", 0, 0},
    {"leading blank lines", "\n\r\n  \nGET /a HTTP/1.1\n\n", "GET", "", "/a", "", "HTTP/1.1", "", 0, 0},
    {"bare absolute URL", "https://api.binance.com/api/v3/account?timestamp=1&signature=abc",
     "GET", "api.binance.com", "/api/v3/account", "timestamp=1&signature=abc", "", "", 1, 0},
    {"bare URL with a port and no path", "http://127.0.0.1:8080?x=1", "GET", "127.0.0.1:8080", "/",
     "x=1", "", "", 1, 0},
    {"bare path", "/api/v3/order?symbol=%EF%BC%91&x=a+b", "GET", "", "/api/v3/order",
     "symbol=%EF%BC%91&x=a+b", "", "", 1, 0},
    {"METHOD URL line", "POST https://testnet.binance.vision/api/v3/order?a=1", "POST",
     "testnet.binance.vision", "/api/v3/order", "a=1", "", "", 1, 0},
    {"quoted URL as pasted from a shell", "'https://api.binance.com/api/v3/order?a=1&b=2'", "GET",
     "api.binance.com", "/api/v3/order", "a=1&b=2", "", "", 1, 0},
    {"fragment dropped, empty query kept", "GET /p?#frag HTTP/1.1", "GET", "", "/p", "", "HTTP/1.1",
     "", 1, 0},
    {"second ? belongs to the query", "GET /p?a=1?b=2 HTTP/1.1", "GET", "", "/p", "a=1?b=2",
     "HTTP/1.1", "", 1, 0},
    {"HTTP/2 as curl -v prints it", "GET /p HTTP/2\n", "GET", "", "/p", "", "HTTP/2", "", 0, 0},
    {"folded header", "GET /p HTTP/1.1\r\nX-Long: a\r\n  b\r\n\r\n", "GET", "", "/p", "", "HTTP/1.1",
     "", 0, 1},
    {"curl -v transcript with body pasted below",
     "*   Trying 127.0.0.1:8080...\n* Connected to localhost\n> POST /api/v3/order?" H3_Q " HTTP/1.1\n"
     "> Host: localhost:8080\n> User-Agent: curl/7.88.1\n> Accept: */*\n> X-MBX-APIKEY: key\n"
     "> Content-Length: 135\n> Content-Type: application/x-www-form-urlencoded\n>\n" H3_B "\n"
     "< HTTP/1.1 200 OK\n< Content-Type: application/json\n<\n{ [2 bytes data]\n* Connection #0 left intact\n",
     "POST", "", "/api/v3/order", H3_Q, "HTTP/1.1", H3_B, 1, 6},
    {"curl command, mixed query + body",
     "curl -X POST \"https://api.binance.com/api/v3/order?" H3_Q "\" -H \"X-MBX-APIKEY: key\" -d '" H3_B "'",
     "POST", "api.binance.com", "/api/v3/order", H3_Q, "HTTP/1.1", H3_B, 1, 3},
    {"curl command over lines, --data-urlencode, flags",
     "  curl -s -k --compressed -H 'X-MBX-APIKEY: k' \\\n  --data-urlencode 'symbol=\xe8\xbf\x99 x' \\\r\n"
     "  --data-urlencode '=a&b' -d \"t=\\\"1\\\"\" -o /dev/null 'https://x/api/v3/order'\n",
     "POST", "x", "/api/v3/order", "", "HTTP/1.1", "symbol=%E8%BF%99%20x&a%26b&t=\"1\"", 0, 3},
    {"curl -G moves data to the query", "curl -G https://x/p?z=0 -d a=1 --data b=2", "GET", "x", "/p",
     "z=0&a=1&b=2", "HTTP/1.1", "", 1, 0},
    {"curl GET, attached -X and -H", "curl -XDELETE -H'X-MBX-APIKEY: k' 'https://x/p?a=1'", "DELETE",
     "x", "/p", "a=1", "HTTP/1.1", "", 1, 1},
    {"curl explicit Content-Type kept", "curl --url https://x/p -H 'Content-Type: application/json' -d '{}'",
     "POST", "x", "/p", "", "HTTP/1.1", "{}", 0, 2},
    {"curl -v transcript, GET", "> GET /api/v3/time HTTP/1.1\r\n> Host: x\r\n> \r\n< HTTP/1.1 200 OK\r\n",
     "GET", "", "/api/v3/time", "", "HTTP/1.1", "", 0, 1},
};

static void test_ok_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
        const ok_case *c = &ok_cases[i];
        httpreq r;
        char err[256];
        print_message("httpreq case: %s\n", c->name);
        int rc = httpreq_parse(&r, c->text, strlen(c->text), err, sizeof(err));
        if (rc) fail_msg("%s: %s", c->name, err);
        assert_string_equal(r.method, c->method);
        assert_string_equal(r.authority, c->authority);
        assert_string_equal(r.path, c->path);
        assert_string_equal(r.query, c->query);
        assert_int_equal(r.query_len, strlen(c->query));
        assert_int_equal(r.has_query, c->has_query);
        assert_string_equal(r.version, c->version);
        assert_string_equal(r.body, c->body);
        assert_int_equal(r.body_len, strlen(c->body));
        assert_int_equal(r.nheaders, c->nheaders);
        httpreq_free(&r);
        httpreq_free(&r);                       /* idempotent */
    }
}

static void test_headers(void **state) {
    (void)state;
    const char *t = "POST /p HTTP/1.1\r\nx-mbx-apikey:   abc  \r\ncontent-type: Application/X-WWW-Form-Urlencoded; charset=utf-8\r\n"
                    "X-Long: a\r\n\tb\r\nEmpty:\r\nX-MBX-APIKEY: second\r\n\r\n";
    httpreq r;
    char err[128];
    assert_int_equal(httpreq_parse(&r, t, strlen(t), err, sizeof(err)), 0);
    assert_string_equal(httpreq_get_header(&r, "X-MBX-APIKEY"), "abc");     /* first one, trimmed */
    assert_string_equal(httpreq_get_header(&r, "X-Long"), "a b");
    assert_string_equal(httpreq_get_header(&r, "empty"), "");
    assert_null(httpreq_get_header(&r, "Host"));
    assert_true(httpreq_is_form(&r));
    assert_string_equal(r.target, "/p");
    httpreq_free(&r);

    const char *j = "POST /p HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{}";
    assert_int_equal(httpreq_parse(&r, j, strlen(j), err, sizeof(err)), 0);
    assert_false(httpreq_is_form(&r));
    assert_string_equal(r.body, "{}");
    httpreq_free(&r);
    const char *x = "POST /p HTTP/1.1\r\nContent-Type: application/x-www-form-urlencodedX\r\n\r\n";
    assert_int_equal(httpreq_parse(&r, x, strlen(x), err, sizeof(err)), 0);
    assert_false(httpreq_is_form(&r));
    httpreq_free(&r);
}

static void test_binary_body(void **state) {
    (void)state;
    const char t[] = "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\na\0b\r\n";
    httpreq r;
    assert_int_equal(httpreq_parse(&r, t, sizeof(t) - 1, NULL, 0), 0);
    assert_int_equal(r.body_len, 5);
    assert_memory_equal(r.body, "a\0b\r\n", 5);
    httpreq_free(&r);
}

typedef struct bad_case { const char *name; const char *text; size_t n; const char *err; } bad_case;

static const bad_case bad_cases[] = {
    {"empty", "", 0, "empty request"},
    {"only blank lines", "\n\r\n \n", 0, "empty request"},
    {"curl transcript without a request", "* Trying 1.2.3.4\n< HTTP/1.1 200 OK\n", 0, "empty request"},
    {"no target", "GET", 0, "line 1: expected a request line"},
    {"relative target", "GET api/v3/order HTTP/1.1", 0, "line 1: request target must start with '/'"},
    {"bad version", "GET /p HTTX/1.1", 0, "line 1: malformed HTTP version"},
    {"version without digits", "GET /p HTTP/", 0, "line 1: malformed HTTP version"},
    {"too many words", "GET /p HTTP/1.1 extra words", 0, "line 1: request line has too many words"},
    {"bad method", "GE(T /p HTTP/1.1", 0, "line 1: malformed HTTP method"},
    {"bad scheme", "GET ht-tp://x/p HTTP/1.1", 0, "line 1: request target has a malformed URL scheme"},
    {"URL without host", "https:///p", 0, "line 1: URL has no host"},
    {"control char in target", "GET /p\x01q HTTP/1.1", 0, "line 1: request target contains"},
    {"header without colon", "GET /p HTTP/1.1\r\nHost example.com\r\n\r\n", 0, "line 2: not a header"},
    {"header with empty name", "GET /p HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n", 0, "line 3: not a header"},
    {"header name with space", "GET /p HTTP/1.1\r\nBad Name: v\r\n\r\n", 0, "line 2: malformed header name"},
    {"Content-Length not a number", "POST /p HTTP/1.1\r\nContent-Length: 1x\r\n\r\nabc", 0,
     "Content-Length is not a number"},
    {"Content-Length negative", "POST /p HTTP/1.1\r\nContent-Length: -1\r\n\r\nabc", 0,
     "Content-Length is not a number"},
    {"body shorter than Content-Length", "POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", 0,
     "body has 3 bytes but Content-Length says 10"},
    {"curl transcript without its body", "> POST /p HTTP/1.1\n> Content-Length: 5\n>\n< HTTP/1.1 400\n", 0,
     "body has 0 bytes but Content-Length says 5"},
    {"chunked", "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 0,
     "Transfer-Encoding is not supported"},
    {"curl option without value", "curl https://x/p -X", 0, "curl option -X needs a value"},
    {"curl without URL", "curl -v -s", 0, "curl command has no URL"},
    {"curl unterminated quote", "curl 'https://x/p", 0, "curl command has an unterminated quote"},
    {"curl unterminated double quote", "curl \"https://x/p", 0, "curl command has an unterminated quote"},
    {"curl @file", "curl -d @body.txt https://x/p", 0, "curl @file data cannot be read here"},
    {"curl multipart", "curl -F a=1 https://x/p", 0, "curl -F (multipart) bodies are not supported"},
    {"curl relative URL", "curl api.binance.com/api/v3/time", 0, "line 1: request target must start"},
    {"NUL in request line", "GET /p\0 HTTP/1.1", 16, "line 1: NUL byte in request line"},
    {"NUL in header", "GET /p HTTP/1.1\r\nA: b\0c\r\n\r\n", 27, "line 2: NUL byte in header"},
};

static void test_bad_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case *c = &bad_cases[i];
        httpreq r;
        char err[256];
        size_t n = c->n ? c->n : strlen(c->text);
        print_message("httpreq bad case: %s\n", c->name);
        assert_int_equal(httpreq_parse(&r, c->text, n, err, sizeof(err)), -1);
        if (strncmp(err, c->err, strlen(c->err)) != 0) fail_msg("%s: got '%s', want '%s'", c->name, err, c->err);
        assert_null(r.method);                    /* freed on error */
        httpreq_free(&r);
        assert_int_equal(httpreq_parse(&r, c->text, n, NULL, 0), -1);   /* no err buffer */
        httpreq_free(&r);
    }
    httpreq r;
    assert_int_equal(httpreq_parse(&r, NULL, 5, NULL, 0), -1);
    char small[8];
    assert_int_equal(httpreq_parse(&r, "", 0, small, sizeof(small)), -1);
    assert_string_equal(small, "empty r");                 /* truncated, terminated */
}

static void test_too_many_headers(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    buf_puts(&b, "GET /p HTTP/1.1\r\n");
    for (int i = 0; i < HTTPREQ_MAX_HEADERS; i++) buf_printf(&b, "H%d: v\r\n", i);
    httpreq r;
    char err[128];
    assert_int_equal(httpreq_parse(&r, b.data, b.len, err, sizeof(err)), 0);
    assert_int_equal(r.nheaders, HTTPREQ_MAX_HEADERS);
    httpreq_free(&r);
    buf_puts(&b, "One-More: v\r\n");
    assert_int_equal(httpreq_parse(&r, b.data, b.len, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "too many header lines"));
    buf_free(&b);
}

/* The fact sheet's H3: pasted request -> the documented payload. */
static void test_h3_end_to_end(void **state) {
    (void)state;
    const char *t = ok_cases[0].text;
    httpreq r;
    assert_int_equal(httpreq_parse(&r, t, strlen(t), NULL, 0), 0);
    buf_t p = BUF_INIT;
    payload_sig sig;
    assert_int_equal(payload_rest(&p, r.query, r.query_len, r.body, r.body_len, &sig), PAYLOAD_OK);
    assert_string_equal(p.data, "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
    assert_int_equal(sig.src, PARAM_BODY);
    assert_int_equal(sig.raw_len, 64);
    buf_free(&p);
    httpreq_free(&r);
}

/* Random garbage never crashes and always either parses or explains. */
static void test_random_garbage(void **state) {
    (void)state;
    unsigned seed = 777;
    static const char alphabet[] = "GET POST /?&=:\r\n\t HTTP/1.1 Content-Length: 5 >*<\x01'\"\\-d-H-X-G@";
    for (int iter = 0; iter < 6000; iter++) {
        char text[96];
        size_t n = (size_t)(rand_r(&seed) % sizeof(text)), i0 = 0;
        if (iter % 2 && n >= 5) {               /* half of them are curl commands */
            memcpy(text, "curl ", 5);
            i0 = 5;
        }
        for (size_t i = i0; i < n; i++)
            text[i] = (rand_r(&seed) & 7) ? alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)]
                                           : (char)rand_r(&seed);
        httpreq r;
        char err[128];
        int rc = httpreq_parse(&r, text, n, err, sizeof(err));
        if (rc == 0) assert_non_null(r.method);
        else assert_true(strlen(err) > 0);
        httpreq_free(&r);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_table),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_binary_body),
        cmocka_unit_test(test_bad_table),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_h3_end_to_end),
        cmocka_unit_test(test_random_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
