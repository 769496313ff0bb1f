/* lib_payload: the REST and WS API canonical payloads (lib/payload.c),
 * checked row by row and against the Binance documentation digests H1-H8
 * of the fact sheet (HMAC-SHA256 computed here with OpenSSL directly, so the
 * payload bytes are pinned independently of lib/sig). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "payload.h"

#define DOC_SECRET "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
#define DOC_KEY "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
#define H1_PAIRS "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
#define H1 "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
#define H2_PAIRS "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
#define H2 "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"
#define H3 "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"
#define H4 "d84e6641b1e328e7b418fff030caed655c266299c9355e36ce801ed14631eed4"

static void hmac_hex(const char *msg, size_t n, char out[65]) {
    unsigned char md[32];
    unsigned int mdlen = 0;
    assert_non_null(HMAC(EVP_sha256(), DOC_SECRET, (int)strlen(DOC_SECRET),
                         (const unsigned char *)msg, n, md, &mdlen));
    assert_int_equal(mdlen, 32);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
}

typedef struct rest_case {
    const char *name;
    const char *query, *body;
    const char *payload;
    payload_status st;
    const char *sig;         /* expected signature value, NULL = none */
    param_src src;
    const char *hmac;        /* expected HMAC of the payload with the docs' secret, or NULL */
} rest_case;

static const rest_case rest_cases[] = {
    {"H1 all in query", H1_PAIRS "&signature=" H1, "", H1_PAIRS, PAYLOAD_OK, H1, PARAM_QUERY, H1},
    {"H1 all in body", "", H1_PAIRS "&signature=" H1, H1_PAIRS, PAYLOAD_OK, H1, PARAM_BODY, H1},
    {"H2 percent-encoded non-ASCII", H2_PAIRS "&signature=" H2, "", H2_PAIRS, PAYLOAD_OK, H2,
     PARAM_QUERY, H2},
    {"H3 mixed query+body", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
     "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=" H3,
     "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
     PAYLOAD_OK, H3, PARAM_BODY, H3},
    {"H4", "timestamp=1578963600000&signature=" H4, NULL, "timestamp=1578963600000", PAYLOAD_OK, H4,
     PARAM_QUERY, H4},
    {"signature in body, rest in query (doc RSA script)", H1_PAIRS, "signature=" H1, H1_PAIRS,
     PAYLOAD_OK, H1, PARAM_BODY, H1},
    {"signature last of query, body after it", "symbol=LTCBTC&signature=abc", "quantity=1",
     "symbol=LTCBTCquantity=1", PAYLOAD_OK, "abc", PARAM_QUERY, NULL},
    {"percent-encoded base64 kept raw", "a=1&signature=ab%2Bc%2F%3D%3D", "", "a=1", PAYLOAD_OK,
     "ab%2Bc%2F%3D%3D", PARAM_QUERY, NULL},
    {"only a signature", "signature=x", "", "", PAYLOAD_OK, "x", PARAM_QUERY, NULL},
    {"empty signature value", "a=1&signature=", "", "a=1", PAYLOAD_OK, "", PARAM_QUERY, NULL},
    {"bare signature name", "a=1&signature", "", "a=1", PAYLOAD_OK, "", PARAM_QUERY, NULL},
    {"no signature", "a=1&b=2", "c=3", "a=1&b=2c=3", PAYLOAD_NO_SIGNATURE, NULL, PARAM_QUERY, NULL},
    {"nothing at all", NULL, NULL, "", PAYLOAD_NO_SIGNATURE, NULL, PARAM_QUERY, NULL},
    {"not a signature: signatures=", "a=1&signatures=x", "", "a=1&signatures=x",
     PAYLOAD_NO_SIGNATURE, NULL, PARAM_QUERY, NULL},
    {"not a signature: xsignature=", "xsignature=x", "", "xsignature=x", PAYLOAD_NO_SIGNATURE, NULL,
     PARAM_QUERY, NULL},
    {"percent-encoded name is not the signature", "a=1&%73ignature=x", "", "a=1&%73ignature=x",
     PAYLOAD_NO_SIGNATURE, NULL, PARAM_QUERY, NULL},
    {"signature mid-query", "symbol=LTCBTC&signature=abc&timestamp=1", "", "symbol=LTCBTC&timestamp=1",
     PAYLOAD_SIG_NOT_LAST, "abc", PARAM_QUERY, NULL},
    {"signature first of query", "signature=abc&timestamp=1", "", "timestamp=1", PAYLOAD_SIG_NOT_LAST,
     "abc", PARAM_QUERY, NULL},
    {"signature mid-body", "", "a=1&signature=abc&b=2", "a=1&b=2", PAYLOAD_SIG_NOT_LAST, "abc",
     PARAM_BODY, NULL},
    {"trailing & after signature", "a=1&signature=abc&", "", "a=1&", PAYLOAD_SIG_NOT_LAST, "abc",
     PARAM_QUERY, NULL},
    {"signature in query and body", "a=1&signature=q", "b=2&signature=b", "a=1b=2",
     PAYLOAD_SIG_TWICE, "q", PARAM_QUERY, NULL},
    {"signature twice in query", "signature=1&a=1&signature=2", "", "a=1&signature=2",
     PAYLOAD_SIG_TWICE, "1", PARAM_QUERY, NULL},
    {"query bytes kept as sent (lower-case hex, +)", "symbol=%ef%bc%91&note=a+b&signature=s", "",
     "symbol=%ef%bc%91&note=a+b", PAYLOAD_OK, "s", PARAM_QUERY, NULL},
    {"empty pairs kept as sent", "a=1&&b=2&signature=s", "", "a=1&&b=2", PAYLOAD_OK, "s",
     PARAM_QUERY, NULL},
};

static void test_rest_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(rest_cases) / sizeof(rest_cases[0]); i++) {
        const rest_case *c = &rest_cases[i];
        buf_t out = BUF_INIT;
        payload_sig sig;
        print_message("rest case: %s\n", c->name);
        payload_status st = payload_rest(&out, c->query, c->query ? strlen(c->query) : 0, c->body,
                                         c->body ? strlen(c->body) : 0, &sig);
        assert_int_equal(st, c->st);
        assert_string_equal(buf_cstr(&out), c->payload);
        if (c->sig) {
            assert_non_null(sig.raw);
            assert_int_equal(sig.raw_len, strlen(c->sig));
            assert_memory_equal(sig.raw, c->sig, sig.raw_len);
            assert_int_equal(sig.src, c->src);
            /* raw points into the part that carried it */
            const char *part = c->src == PARAM_QUERY ? c->query : c->body;
            assert_true(sig.raw >= part && sig.raw + sig.raw_len <= part + strlen(part));
        } else {
            assert_null(sig.raw);
        }
        if (c->hmac) {
            char hex[65];
            hmac_hex(out.data, out.len, hex);
            assert_string_equal(hex, c->hmac);
        }
        /* a NULL sig is allowed */
        buf_reset(&out);
        assert_int_equal(payload_rest(&out, c->query, c->query ? strlen(c->query) : 0, c->body,
                                      c->body ? strlen(c->body) : 0, NULL),
                         c->st);
        buf_free(&out);
    }
}

/* Known client mistakes produce different bytes than Binance verifies. */
static void test_rest_mistakes_differ(void **state) {
    (void)state;
    char hex[65];
    const char *amp = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    hmac_hex(amp, strlen(amp), hex);   /* '&' inserted between query and body */
    assert_string_not_equal(hex, H3);
    assert_string_equal(hex, H1);      /* ...which is the all-in-one-part H1 */
}

static void test_rest_bounded(void **state) {
    (void)state;
    buf_t out = BUF_INIT;
    payload_sig sig;
    /* lengths are honoured: bytes after n are not read */
    assert_int_equal(payload_rest(&out, "a=1&signature=xyz", 3, "b=2GARBAGE", 3, &sig),
                     PAYLOAD_NO_SIGNATURE);
    assert_string_equal(out.data, "a=1b=2");
    buf_free(&out);
    for (int s = PAYLOAD_OK; s <= PAYLOAD_OOM; s++) assert_non_null(payload_status_str((payload_status)s));
}

typedef struct ws_case {
    const char *name;
    const char *json;
    const char *payload;
    const char *hmac;
} ws_case;

static const ws_case ws_cases[] = {
    {"H5 order.place",
     "{\"symbol\":\"BTCUSDT\",\"side\":\"SELL\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\","
     "\"quantity\":\"0.01000000\",\"price\":\"52000.00\",\"recvWindow\":100,"
     "\"timestamp\":1645423376532,\"apiKey\":\"" DOC_KEY "\",\"signature\":\"zzz\"}",
     "apiKey=" DOC_KEY "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
     "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"},
    {"H5 with numbers as JSON numbers (as written)",
     "{\"price\":52000.00,\"quantity\":0.01000000,\"symbol\":\"BTCUSDT\",\"side\":\"SELL\","
     "\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"recvWindow\":100,\"timestamp\":1645423376532,"
     "\"apiKey\":\"" DOC_KEY "\"}",
     "apiKey=" DOC_KEY "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
     "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"},
    {"H6 non-ASCII raw UTF-8 (JSON \\u escapes)",
     "{\"symbol\":\"\\uff11\\uff12\\uff13\\uff14\\uff15\\uff16\",\"side\":\"BUY\",\"type\":\"LIMIT\","
     "\"timeInForce\":\"GTC\",\"quantity\":\"1.00000000\",\"price\":\"0.10000000\","
     "\"recvWindow\":5000,\"timestamp\":1645423376532,\"apiKey\":\"" DOC_KEY "\"}",
     "apiKey=" DOC_KEY "&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol="
     "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96"
     "&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
     "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd"},
    {"H7 older example with newOrderRespType",
     "{\"type\":\"LIMIT\",\"newOrderRespType\":\"ACK\",\"symbol\":\"BTCUSDT\",\"side\":\"SELL\","
     "\"timeInForce\":\"GTC\",\"quantity\":\"0.01000000\",\"price\":\"52000.00\",\"recvWindow\":100,"
     "\"timestamp\":1645423376532,\"apiKey\":\"" DOC_KEY "\",\"signature\":\"x\"}",
     "apiKey=" DOC_KEY "&newOrderRespType=ACK&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
     "cc15477742bd704c29492d96c7ead9414dfd8e0ec4a00f947bb5bb454ddbd08a"},
    {"H8 session.logon",
     "{\"timestamp\":1649729878532,\"apiKey\":\"" DOC_KEY "\",\"signature\":\"x\"}",
     "apiKey=" DOC_KEY "&timestamp=1649729878532",
     "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed"},
    {"booleans and arrays as written", "{\"b\":true,\"a\":[ \"A\",\"B\" ],\"c\":false}",
     "a=[ \"A\",\"B\" ]&b=true&c=false", NULL},
    {"byte order, not locale: upper before lower", "{\"b\":1,\"B\":2,\"a\":3,\"_\":4}",
     "B=2&_=4&a=3&b=1", NULL},
    {"prefix names sort first", "{\"ab\":1,\"a\":2}", "a=2&ab=1", NULL},
    {"values never percent-encoded", "{\"q\":\"a b&c=d%20\"}", "q=a b&c=d%20", NULL},
    {"only a signature", "{\"signature\":\"x\"}", "", NULL},
    {"empty", "{}", "", NULL},
};

static void test_ws_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(ws_cases) / sizeof(ws_cases[0]); i++) {
        const ws_case *c = &ws_cases[i];
        params_t p;
        buf_t out = BUF_INIT;
        print_message("ws case: %s\n", c->name);
        params_init(&p);
        assert_int_equal(params_parse_json(&p, c->json, strlen(c->json)), 0);
        assert_int_equal(payload_ws(&out, &p), 0);
        assert_non_null(out.data);
        assert_string_equal(out.data, c->payload);
        if (c->hmac) {
            char hex[65];
            hmac_hex(out.data, out.len, hex);
            assert_string_equal(hex, c->hmac);
        }
        params_free(&p);
        buf_free(&out);
    }
}

static void test_ws_duplicates_stable(void **state) {
    (void)state;
    params_t p;
    buf_t out = BUF_INIT;
    params_init(&p);
    assert_int_equal(params_add(&p, "b", "2", PARAM_JSON), 0);
    assert_int_equal(params_add(&p, "a", "first", PARAM_JSON), 0);
    assert_int_equal(params_add(&p, "a", "second", PARAM_JSON), 0);
    assert_int_equal(params_add(&p, "signature", "s", PARAM_JSON), 0);
    assert_int_equal(payload_ws(&out, &p), 0);
    assert_string_equal(out.data, "a=first&a=second&b=2");   /* equal names keep arrival order */
    params_free(&p);
    buf_free(&out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rest_table),
        cmocka_unit_test(test_rest_mistakes_differ),
        cmocka_unit_test(test_rest_bounded),
        cmocka_unit_test(test_ws_table),
        cmocka_unit_test(test_ws_duplicates_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
