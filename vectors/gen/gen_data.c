/* gen_data: the generator's fixed inputs - the request parameter sets the
 * signature vectors are built from (ASCII, 这是测试币456, １２３４５６, reserved
 * characters in newClientOrderId, GET/POST/DELETE shapes) and the table of
 * flags with the description that goes into each file's `notes`. */
#include "gen.h"
#include <string.h>

#define KV(n, v) {n, v, 0}
#define KVJ(n, v) {n, v, 1}

static const gen_pset rest_sets[] = {
    {"limit-ltcbtc", "POST", "/api/v3/order", "LIMIT order, ASCII (the docs' example parameters)",
     GT_UNSORTED, 8, {KV("symbol", "LTCBTC"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "1"), KV("price", "0.1"),
     KV("recvWindow", "5000"), KV("timestamp", "1499827319559")}},
    {"testnet-unicode", "POST", "/api/v3/order", "LIMIT order on the testnet Unicode symbol 这是测试币456",
     GT_NONASCII | GT_UNSORTED, 7, {KV("symbol", "这是测试币456"), KV("side", "SELL"),
     KV("type", "LIMIT"), KV("timeInForce", "GTC"), KV("quantity", "2"), KV("price", "1.5"),
     KV("timestamp", "1766000000000")}},
    {"fullwidth", "POST", "/api/v3/order", "LIMIT order on the docs' fullwidth symbol １２３４５６",
     GT_NONASCII | GT_UNSORTED, 8, {KV("symbol", "１２３４５６"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "1"), KV("price", "0.1"),
     KV("recvWindow", "5000"), KV("timestamp", "1499827319559")}},
    {"clientid-reserved", "POST", "/api/v3/order", "newClientOrderId with reserved characters / + = & ? # %",
     GT_RESERVED | GT_UNSORTED, 8, {KV("symbol", "BTCUSDT"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "0.01"), KV("price", "52000.00"),
     KV("newClientOrderId", "my/order+1=2&3?#%"), KV("timestamp", "1766000000001")}},
    {"clientid-space", "POST", "/api/v3/order", "newClientOrderId with space : @ ! * ' ( ) and ~",
     GT_RESERVED | GT_UNSORTED, 7, {KV("symbol", "ETHBTC"), KV("side", "SELL"), KV("type", "MARKET"),
     KV("quantity", "0.5"), KV("newClientOrderId", "a b:c@d!e*f'(g)~h"),
     KV("newOrderRespType", "ACK"), KV("timestamp", "1766000000002")}},
    {"market-quote", "POST", "/api/v3/order", "MARKET order by quoteOrderQty",
     GT_UNSORTED, 6, {KV("symbol", "BNBUSDT"), KV("side", "BUY"), KV("type", "MARKET"),
     KV("quoteOrderQty", "100"), KV("newOrderRespType", "FULL"), KV("timestamp", "1766000000003")}},
    {"stop-limit-us", "POST", "/api/v3/order", "STOP_LOSS_LIMIT, µs timestamp, fractional recvWindow",
     GT_UNSORTED, 10, {KV("symbol", "ETHUSDT"), KV("side", "SELL"), KV("type", "STOP_LOSS_LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "0.5"), KV("price", "3000.00"),
     KV("stopPrice", "3010.00"), KV("newOrderRespType", "RESULT"), KV("recvWindow", "6000.346"),
     KV("timestamp", "1766000000000123")}},
    {"order-test", "POST", "/api/v3/order/test", "test order with computeCommissionRates",
     GT_UNSORTED, 8, {KV("symbol", "BTCUSDT"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "1"), KV("price", "100"),
     KV("computeCommissionRates", "true"), KV("timestamp", "1766000000004")}},
    {"iceberg", "POST", "/api/v3/order", "iceberg LIMIT with STP mode and strategy fields",
     GT_UNSORTED, 10, {KV("symbol", "BTCUSDT"), KV("side", "SELL"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "1.00000000"), KV("price", "60000.00"),
     KV("icebergQty", "0.10000000"), KV("selfTradePreventionMode", "EXPIRE_MAKER"),
     KV("strategyType", "1000000"), KV("timestamp", "1766000000005")}},
    {"account", "GET", "/api/v3/account", "GET account, timestamp before recvWindow",
     GT_QUERY_ONLY | GT_UNSORTED, 3, {KV("timestamp", "1766000000006"), KV("recvWindow", "60000"),
     KV("omitZeroBalances", "true")}},
    {"open-orders", "GET", "/api/v3/openOrders", "GET openOrders for one symbol",
     GT_QUERY_ONLY | GT_UNSORTED, 2, {KV("symbol", "ETHBTC"), KV("timestamp", "1766000000007")}},
    {"timestamp-only", "GET", "/api/v3/account", "GET with timestamp only",
     GT_QUERY_ONLY, 1, {KV("timestamp", "1578963600000")}},
    {"mytrades-fullwidth", "GET", "/api/v3/myTrades", "GET myTrades on １２３４５６",
     GT_QUERY_ONLY | GT_NONASCII | GT_UNSORTED, 3, {KV("symbol", "１２３４５６"), KV("limit", "500"),
     KV("timestamp", "1766000000008")}},
    {"cancel", "DELETE", "/api/v3/order", "DELETE order by orderId",
     GT_UNSORTED, 3, {KV("symbol", "BTCUSDT"), KV("orderId", "12345"), KV("timestamp", "1766000000009")}},
    {"cancel-unicode", "DELETE", "/api/v3/order", "DELETE by origClientOrderId on 这是测试币456",
     GT_NONASCII | GT_UNSORTED, 4, {KV("symbol", "这是测试币456"), KV("origClientOrderId", "订单-1"),
     KV("cancelRestrictions", "ONLY_NEW"), KV("timestamp", "1766000000010")}},
};

static const gen_pset ws_sets[] = {
    {"order-place", "order.place", NULL, "order.place, ASCII (docs-shaped parameters)",
     GT_UNSORTED, 8, {KV("symbol", "BTCUSDT"), KV("side", "SELL"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "0.01000000"), KV("price", "52000.00"),
     KV("recvWindow", "100"), KV("timestamp", "1645423376532")}},
    {"order-place-unicode", "order.place", NULL, "order.place on 这是测试币456 (raw UTF-8 in the payload)",
     GT_NONASCII | GT_UNSORTED, 7, {KV("symbol", "这是测试币456"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "2"), KV("price", "1.5"), KV("timestamp", "1766000000000")}},
    {"order-place-fullwidth", "order.place", NULL, "order.place on １２３４５６",
     GT_NONASCII | GT_UNSORTED, 8, {KV("symbol", "１２３４５６"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KV("quantity", "1.00000000"), KV("price", "0.10000000"),
     KV("recvWindow", "5000"), KV("timestamp", "1645423376532")}},
    {"clientid-reserved", "order.place", NULL, "newClientOrderId with / + = & ? # % and a space",
     GT_RESERVED | GT_UNSORTED, 7, {KV("symbol", "BTCUSDT"), KV("side", "BUY"), KV("type", "MARKET"),
     KV("quantity", "0.01"), KV("newClientOrderId", "my order/1+2=3&x?#%"),
     KV("newOrderRespType", "ACK"), KV("timestamp", "1766000000001")}},
    {"json-literals", "order.test", NULL, "numbers and booleans written as JSON literals",
     GT_UNSORTED, 8, {KV("symbol", "BNBUSDT"), KV("side", "BUY"), KV("type", "LIMIT"),
     KV("timeInForce", "GTC"), KVJ("quantity", "10.50"), KVJ("price", "600.00"),
     KVJ("computeCommissionRates", "true"), KVJ("timestamp", "1766000000002")}},
    {"account-status", "account.status", NULL, "account.status with omitZeroBalances",
     GT_UNSORTED, 3, {KV("timestamp", "1766000000003"), KV("omitZeroBalances", "true"),
     KV("recvWindow", "60000")}},
    {"cancel", "order.cancel", NULL, "order.cancel by origClientOrderId",
     GT_UNSORTED, 3, {KV("symbol", "ETHBTC"), KV("origClientOrderId", "x-abc_123.~"),
     KV("timestamp", "1766000000004")}},
    {"us-timestamp", "openOrders.status", NULL, "µs timestamp, fractional recvWindow",
     GT_UNSORTED, 3, {KV("symbol", "BTCUSDT"), KV("timestamp", "1766000000000123"),
     KV("recvWindow", "6000.346")}},
    {"subscribe-signature", "userDataStream.subscribe.signature", NULL, "user data stream, timestamp only",
     0, 1, {KV("timestamp", "1747385641636")}},
    {"cancel-unicode", "order.cancel", NULL, "order.cancel with a Unicode client order id",
     GT_NONASCII | GT_UNSORTED, 3, {KV("symbol", "这是测试币456"), KV("origClientOrderId", "订单-1"),
     KV("timestamp", "1766000000005")}},
};

size_t gen_psets_rest(const gen_pset **out) {
    *out = rest_sets;
    return sizeof(rest_sets) / sizeof(rest_sets[0]);
}

size_t gen_psets_ws(const gen_pset **out) {
    *out = ws_sets;
    return sizeof(ws_sets) / sizeof(ws_sets[0]);
}

typedef struct gen_note { const char *flag, *bug, *desc; } gen_note;

static const gen_note notes[] = {
    {"DocExample", "BASIC", "A worked example from Binance's API documentation (fact sheet H1-H8), with the documentation's own key; the expected signature is the one printed in the docs."},
    {"Ascii", "BASIC", "Every parameter is ASCII and needs no percent-encoding."},
    {"NonAscii", "BASIC", "A parameter value is non-ASCII UTF-8 (这是测试币456 or １２３４５６). REST: percent-encoded (upper-case hex) before signing. WS API: raw UTF-8 in the payload."},
    {"ReservedChars", "BASIC", "A value contains characters outside the RFC 3986 unreserved set (space / + = & ? # % : @ ! * ' ( )), percent-encoded on the wire and in the payload."},
    {"QueryOnly", "BASIC", "REST: every parameter, and the signature, in the query string."},
    {"BodyOnly", "BASIC", "REST: every parameter, and the signature, in the application/x-www-form-urlencoded body."},
    {"QueryAndBody", "BASIC", "REST: parameters split between query and body; payload = query + body with no separator."},
    {"SignatureInBody", "BASIC", "REST: all parameters in the query string, only the signature in the body; payload = the query string."},
    {"Microseconds", "EDGE_CASE", "timestamp in microseconds (16 digits) and/or recvWindow with decimals."},
    {"JsonLiterals", "EDGE_CASE", "WS API: numbers and booleans sent as JSON literals appear in the payload exactly as written (10.50 stays 10.50)."},
    {"HmacHexCase", "EDGE_CASE", "HMAC signature sent in upper-case or mixed-case hex: Binance documents the HMAC signature as case-insensitive, so it is valid."},
    {"LowercasePercentHex", "EDGE_CASE", "Percent-escapes with lower-case hex (%ef) signed exactly as sent. Binance's docs show upper-case; the server verifies the bytes it receives, so the mock accepts it (acceptable)."},
    {"RawUtf8Signed", "KNOWN_CLIENT_BUG", "REST: the client signed the raw (unencoded) text but sent it percent-encoded. Rejected with -1022 since 2026-01-15 (testnet 2025-12-17)."},
    {"AmpersandJoin", "KNOWN_CLIENT_BUG", "REST: the client joined query and body with '&' when signing; Binance concatenates them with no separator."},
    {"SortedCopy", "KNOWN_CLIENT_BUG", "REST: the client signed an alphabetically sorted copy of the parameters but sent them in another order; REST verifies the bytes as sent."},
    {"WsUnsorted", "KNOWN_CLIENT_BUG", "WS API: the client signed the parameters in their own order instead of sorted by name."},
    {"WsPercentEncoded", "KNOWN_CLIENT_BUG", "WS API: the client percent-encoded values in the payload; the WS payload uses raw UTF-8 values."},
    {"PlusAsSpace", "KNOWN_CLIENT_BUG", "REST: a base64 signature containing '+' was sent without percent-encoding, so form decoding turns '+' into a space."},
    {"DoubleEncoded", "KNOWN_CLIENT_BUG", "REST: the base64 signature was percent-encoded twice (%252F), so the server decodes it to text containing %2F."},
    {"SignatureNotLast", "KNOWN_CLIENT_BUG", "REST: the signature pair is not the last pair of the part that carries it; rejected with -1022."},
    {"Base64CaseFlip", "KNOWN_CLIENT_BUG", "RSA/Ed25519 base64 signature with letters case-changed; base64 is case-sensitive, so it is invalid."},
    {"Truncated", "KNOWN_CLIENT_BUG", "The signature is cut short."},
    {"WrongKeyType", "KNOWN_CLIENT_BUG", "The signature was made with another key type than the one registered for the apiKey (e.g. HMAC hex under an Ed25519 key)."},
    {"HmacBase64", "KNOWN_CLIENT_BUG", "HMAC-SHA256 sent as base64 of the raw digest instead of hex."},
    {"HexCaseEscapes", "KNOWN_CLIENT_BUG", "REST: the client signed upper-case percent-escapes (%EF) but sent lower-case ones (%ef), or the reverse; the server verifies the bytes it receives."},
    {"WsMissingApiKey", "KNOWN_CLIENT_BUG", "WS API: the client left apiKey out of the signed payload; every param except signature is signed, apiKey included."},
    {"WsSignatureEncoded", "KNOWN_CLIENT_BUG", "WS API: the base64 signature was percent-encoded (REST habit); in a JSON frame it is sent as is."},
    {"WrongKey", "BASIC", "Signed with a different key of the right type; no known mistake reproduces it."},
    {"SecretWhitespace", "KNOWN_CLIENT_BUG", "HMAC: the secret was read from a file with its trailing newline (or surrounding spaces) kept."},
    {"OtherRegisteredKey", "KNOWN_CLIENT_BUG", "Signed with another registered key (another account's, or another key of the same account); candidateKeyFile names the key the explain engine is given to try."},
    {"EncodingMismatch", "KNOWN_CLIENT_BUG", "REST: a value signed in one percent-encoding and sent in another (a space signed as + and sent as %20, ~ signed as %7E and sent raw)."},
    {"TimestampChanged", "KNOWN_CLIENT_BUG", "The timestamp was regenerated between signing and sending: the signature is valid for a timestamp a few ms earlier."},
    {"AddedAfterSigning", "KNOWN_CLIENT_BUG", "recvWindow was added to the request after it was signed."},
    {"AheadBoundary", "EDGE_CASE", "timestamp around serverTime + 1000 ms (accepted iff timestamp < serverTime + 1000 ms)."},
    {"WindowBoundary", "EDGE_CASE", "timestamp around serverTime - recvWindow (accepted iff serverTime - timestamp <= recvWindow)."},
    {"DefaultWindow", "BASIC", "No recvWindow: the default of 5000 ms applies."},
    {"MaxWindow", "EDGE_CASE", "recvWindow at or beyond the 60000 ms maximum; beyond -> -1131 (observed code, not in errors.md)."},
    {"RecvWindowPrecision", "EDGE_CASE", "recvWindow with decimals: up to 3 are accepted; 4 -> -1111 too much precision."},
    {"Pre2017", "EDGE_CASE", "timestamp before 2017-01-01 (1483228800000); rejected as outside the recvWindow."},
    {"Malformed", "BASIC", "Non-numeric or empty timestamp/recvWindow -> -1102 naming the parameter."},
    {"MissingTimestamp", "BASIC", "No timestamp on a signed request -> -1102 naming 'timestamp'."},
    {"ServerSubMs", "EDGE_CASE", "The server clock is between two milliseconds: a millisecond timestamp is compared with the server's millisecond clock."},
    {"TimestampDigits", "EDGE_CASE", "Timestamp length: up to 18 digits are read (unit by magnitude, leading zeros count toward the value, not the unit); 19 or more are malformed -> -1102."},
    {"SignatureTwice", "EDGE_CASE", "signature sent in both query and body (or twice); status SIG_TWICE."},
    {"NoSignature", "BASIC", "No signature pair: the payload is the whole query + body (status NO_SIGNATURE)."},
    {"EmptyPairs", "EDGE_CASE", "Empty pairs (&&) and trailing '&' are bytes of the payload like any other."},
    {"JsonArrayValue", "EDGE_CASE", "Array parameter sent as JSON text (symbols=[\"A\",\"B\"])."},
};

const char *gen_flag_note(const char *flag, const char **bug_type) {
    for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
        if (strcmp(notes[i].flag, flag) == 0) {
            if (bug_type) *bug_type = notes[i].bug;
            return notes[i].desc;
        }
    }
    return NULL;
}
