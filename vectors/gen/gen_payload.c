/* gen_payload: canonical_payload.json - request -> canonical payload, for
 * REST (query/body as sent, signature pair located and removed; signature
 * not last / alone in the body / twice / absent) and for WS API frames
 * (sorted, raw UTF-8, JSON escapes decoded, literals as written). The
 * expected payloads are written out by hand here, not computed by lib/. */
#include "gen.h"
#include <stdio.h>
#include <string.h>

#define SIG "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
#define SIGB64 "dGVzdCtzaWc%2Fb2s%3D"
#define H1Q "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
#define H3Q "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC"
#define H3B "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
#define FW "%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"
#define UNI "%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456"

typedef struct rcase {
    const char *comment, *flag, *method, *query, *body, *payload, *status, *sig_raw, *sig_src;
} rcase;

static const rcase rest_cases[] = {
    {"H1 all in the query", "QueryOnly", "POST", H1Q "&signature=" SIG, "", H1Q, "OK", SIG, "query"},
    {"H1 all in the body", "BodyOnly", "POST", "", H1Q "&signature=" SIG, H1Q, "OK", SIG, "body"},
    {"H3 split: query + body, no separator (GTCquantity)", "QueryAndBody", "POST", H3Q, H3B "&signature=" SIG,
     H3Q H3B, "OK", SIG, "body"},
    {"signature last in the query, more parameters in the body", "QueryAndBody", "POST", H3Q "&signature=" SIG, H3B,
     H3Q H3B, "OK", SIG, "query"},
    {"all parameters in the query, signature alone in the body (docs RSA shell pattern)", "SignatureInBody", "POST",
     H1Q, "signature=" SIGB64, H1Q, "OK", SIGB64, "body"},
    {"H2 non-ASCII symbol percent-encoded on the wire, payload keeps the escapes", "NonAscii", "POST",
     "symbol=" FW "&side=BUY&timestamp=1499827319559&signature=" SIG, "", "symbol=" FW "&side=BUY&timestamp=1499827319559",
     "OK", SIG, "query"},
    {"testnet symbol 这是测试币456 percent-encoded", "NonAscii", "DELETE", "", "symbol=" UNI "&orderId=1&timestamp=1766000000000&signature=" SIG,
     "symbol=" UNI "&orderId=1&timestamp=1766000000000", "OK", SIG, "body"},
    {"raw UTF-8 on the wire: the payload is the bytes as received", "NonAscii", "GET",
     "symbol=这是测试币456&timestamp=1766000000000&signature=" SIG, "", "symbol=这是测试币456&timestamp=1766000000000",
     "OK", SIG, "query"},
    {"lower-case percent-escapes stay as sent", "LowercasePercentHex", "GET",
     "symbol=%ef%bc%91%ef%bc%92&timestamp=1766000000000&signature=" SIG, "",
     "symbol=%ef%bc%91%ef%bc%92&timestamp=1766000000000", "OK", SIG, "query"},
    {"'+' and %20 in a value stay as sent", "ReservedChars", "POST", "",
     "symbol=BTCUSDT&newClientOrderId=a+b%20c&timestamp=1766000000000&signature=" SIG,
     "symbol=BTCUSDT&newClientOrderId=a+b%20c&timestamp=1766000000000", "OK", SIG, "body"},
    {"JSON array value, comma unencoded as in the docs", "JsonArrayValue", "GET",
     "symbols=%5B%22BTCUSDT%22,%22BNBUSDT%22%5D&timestamp=1766000000000&signature=" SIG, "",
     "symbols=%5B%22BTCUSDT%22,%22BNBUSDT%22%5D&timestamp=1766000000000", "OK", SIG, "query"},
    {"a parameter whose name starts with 'signature' is not the signature", "ReservedChars", "GET",
     "signatureType=1&timestamp=1766000000000&signature=" SIG, "", "signatureType=1&timestamp=1766000000000",
     "OK", SIG, "query"},
    {"empty pairs are payload bytes like any other", "EmptyPairs", "GET",
     "symbol=BTCUSDT&&timestamp=1766000000000&signature=" SIG, "", "symbol=BTCUSDT&&timestamp=1766000000000",
     "OK", SIG, "query"},
    {"timestamp only", "QueryOnly", "GET", "timestamp=1578963600000&signature=" SIG, "",
     "timestamp=1578963600000", "OK", SIG, "query"},
    {"signature in the middle of the query", "SignatureNotLast", "GET",
     "symbol=BTCUSDT&signature=" SIG "&timestamp=1766000000000", "", "symbol=BTCUSDT&timestamp=1766000000000",
     "SIG_NOT_LAST", SIG, "query"},
    {"signature first in the query", "SignatureNotLast", "GET",
     "signature=" SIG "&symbol=BTCUSDT&timestamp=1766000000000", "", "symbol=BTCUSDT&timestamp=1766000000000",
     "SIG_NOT_LAST", SIG, "query"},
    {"signature in the middle of the body", "SignatureNotLast", "POST", H3Q,
     "quantity=1&signature=" SIG "&timestamp=1499827319559", H3Q "quantity=1&timestamp=1499827319559",
     "SIG_NOT_LAST", SIG, "body"},
    {"signature in both query and body", "SignatureTwice", "POST", H3Q "&signature=" SIG,
     H3B "&signature=" SIG, H3Q H3B, "SIG_TWICE", SIG, "query"},
    {"signature twice in the query: only the first pair is removed", "SignatureTwice", "GET",
     "timestamp=1766000000000&signature=" SIG "&signature=" SIG, "",
     "timestamp=1766000000000&signature=" SIG, "SIG_TWICE", SIG, "query"},
    {"no signature: payload is the whole query + body", "NoSignature", "POST", H3Q, H3B, H3Q H3B,
     "NO_SIGNATURE", NULL, NULL},
    {"body only, no query, signature in the body", "BodyOnly", "DELETE", "",
     "symbol=BTCUSDT&origClientOrderId=x-1&timestamp=1766000000000&signature=" SIGB64,
     "symbol=BTCUSDT&origClientOrderId=x-1&timestamp=1766000000000", "OK", SIGB64, "body"},
};

typedef struct wcase { const char *comment, *flag, *frame, *payload; } wcase;

#define DK "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
static const wcase ws_cases[] = {
    {"H5 frame: params sorted by name, numbers as written", "DocExample",
     "{\"id\":\"4885f793-e5ad-4c3b-8f6c-55d891472b71\",\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",\"side\":\"SELL\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"0.01000000\",\"price\":\"52000.00\",\"recvWindow\":100,\"timestamp\":1645423376532,\"apiKey\":\"" DK "\",\"signature\":\"aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24\"}}",
     "apiKey=" DK "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT"},
    {"H6 frame: raw UTF-8 value, not percent-encoded", "NonAscii",
     "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"１２３４５６\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"1.00000000\",\"price\":\"0.10000000\",\"recvWindow\":5000,\"timestamp\":1645423376532,\"apiKey\":\"" DK "\",\"signature\":\"b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd\"}}",
     "apiKey=" DK "&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT"},
    {"\\u escapes in the frame decode to raw UTF-8 in the payload", "NonAscii",
     "{\"id\":null,\"method\":\"order.cancel\",\"params\":{\"symbol\":\"\\u8fd9\\u662f\\u6d4b\\u8bd5\\u5e01456\",\"orderId\":7,\"timestamp\":1766000000000,\"apiKey\":\"k\",\"signature\":\"s\"}}",
     "apiKey=k&orderId=7&symbol=这是测试币456&timestamp=1766000000000"},
    {"JSON literals: 10.50, true, false stay as written", "JsonLiterals",
     "{\"id\":\"a\",\"method\":\"order.test\",\"params\":{\"quantity\":10.50,\"computeCommissionRates\":true,\"symbol\":\"BNBUSDT\",\"timestamp\":1766000000000,\"apiKey\":\"k\",\"signature\":\"s\"}}",
     "apiKey=k&computeCommissionRates=true&quantity=10.50&symbol=BNBUSDT&timestamp=1766000000000"},
    {"signature first in params: ignored wherever it is", "Ascii",
     "{\"id\":\"b\",\"method\":\"account.status\",\"params\":{\"signature\":\"s\",\"timestamp\":1766000000000,\"apiKey\":\"k\"}}",
     "apiKey=k&timestamp=1766000000000"},
    {"escaped characters in a string value: \\/ and \\\" decode", "ReservedChars",
     "{\"id\":\"c\",\"method\":\"order.place\",\"params\":{\"newClientOrderId\":\"a\\/b\\\"c d\",\"apiKey\":\"k\",\"timestamp\":1766000000000,\"signature\":\"s\"}}",
     "apiKey=k&newClientOrderId=a/b\"c d&timestamp=1766000000000"},
    {"byte-order sort: timeInForce before timestamp ('I' < 's'), newClientOrderId before newOrderRespType", "Ascii",
     "{\"id\":\"d\",\"method\":\"order.place\",\"params\":{\"timestamp\":1766000000000,\"timeInForce\":\"GTC\",\"newOrderRespType\":\"ACK\",\"newClientOrderId\":\"x\",\"apiKey\":\"k\",\"signature\":\"s\"}}",
     "apiKey=k&newClientOrderId=x&newOrderRespType=ACK&timeInForce=GTC&timestamp=1766000000000"},
    {"reserved characters stay raw in the WS payload", "ReservedChars",
     "{\"id\":\"e\",\"method\":\"order.place\",\"params\":{\"newClientOrderId\":\"my order/1+2=3&x?#%\",\"apiKey\":\"k\",\"timestamp\":1766000000000,\"signature\":\"s\"}}",
     "apiKey=k&newClientOrderId=my order/1+2=3&x?#%&timestamp=1766000000000"},
    {"µs timestamp and fractional recvWindow as written", "Microseconds",
     "{\"id\":\"f\",\"method\":\"openOrders.status\",\"params\":{\"recvWindow\":6000.346,\"timestamp\":1766000000000123,\"apiKey\":\"k\",\"signature\":\"s\"}}",
     "apiKey=k&recvWindow=6000.346&timestamp=1766000000000123"},
};

static const char *const hdr[] = {
    "Canonical payload vectors (binance-conformance): request as sent -> the exact bytes the signature covers.",
    "REST: payload = query string minus its signature pair, concatenated with no separator to the body minus its signature pair; payloadStatus OK / SIG_NOT_LAST / SIG_TWICE / NO_SIGNATURE (anything but OK is rejected with -1022 or -1102).",
    "WS: payload = params except signature, sorted by name (bytes), name=value joined by '&', values raw UTF-8, JSON literals as written.",
    "Generated by vectors/gen (bc-vectorgen); do not edit by hand.",
    NULL};

void gen_payload_file(gen_ctx *c) {
    gen_file f;
    gen_file_init(&f, "CanonicalPayload", "payload_schema.json", hdr);
    cJSON *g = gen_group(&f, "RestPayloadTest");
    cJSON_AddStringToObject(g, "transport", "REST");
    cJSON_AddArrayToObject(g, "tests");
    for (size_t i = 0; i < sizeof(rest_cases) / sizeof(rest_cases[0]); i++) {
        const rcase *r = &rest_cases[i];
        const char *flags[] = {r->flag, NULL};
        cJSON *t = gen_test(&f, g, r->comment, flags);
        cJSON_AddStringToObject(t, "method", r->method);
        cJSON_AddStringToObject(t, "query", r->query);
        cJSON_AddStringToObject(t, "body", r->body);
        cJSON_AddStringToObject(t, "payload", r->payload);
        cJSON_AddStringToObject(t, "payloadStatus", r->status);
        if (r->sig_raw) {
            cJSON_AddStringToObject(t, "signatureRaw", r->sig_raw);
            cJSON_AddStringToObject(t, "signatureSource", r->sig_src);
        }
        cJSON_AddStringToObject(t, "result", strcmp(r->status, "OK") ? "invalid" : "valid");
    }
    g = gen_group(&f, "WsPayloadTest");
    cJSON_AddStringToObject(g, "transport", "WS");
    cJSON_AddArrayToObject(g, "tests");
    for (size_t i = 0; i < sizeof(ws_cases) / sizeof(ws_cases[0]); i++) {
        const wcase *w = &ws_cases[i];
        const char *flags[] = {w->flag, NULL};
        cJSON *t = gen_test(&f, g, w->comment, flags);
        cJSON_AddStringToObject(t, "frame", w->frame);
        cJSON_AddStringToObject(t, "payload", w->payload);
        cJSON_AddStringToObject(t, "result", "valid");
    }
    gen_file_write(&f, c->out_dir, "canonical_payload.json");
}
