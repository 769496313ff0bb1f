/* lib_explain: the signature explain engine (lib/explain.h). One data row
 * per known client mistake: the row's builder constructs the mistaken
 * request exactly as a buggy client would send it (REST query/body or a WS
 * params object), and the test asserts the verdict, the mistake id, the
 * basis and, where it applies, the payload the client really signed. Plus
 * the JSON and text renderers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain.h"
#include "pct.h"

#define SYM_RAW "\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81" "456"
#define SYM_PCT "%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456"
#define SYM_PCT_LOWER "%e8%bf%99%e6%98%af%e6%b5%8b%e8%af%95%e5%b8%81456"
#define APIKEY "NN9PaonFYWEkmrOpnnYN9defS7cIYFWI5WECuprqCca9bqWTo0E8Rvt1JEhBTFqP"

static sig_key *load_key(const char *rel) {
    const char *root = getenv("BC_SOURCE_DIR");
    char path[1024], err[256] = "";
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    char text[8192];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    if (strstr(rel, ".secret") && n && text[n - 1] == '\n') n--;
    sig_key *k = NULL;
    if (sig_key_load(&k, text, n, NULL, err, sizeof err) < 0) fail_msg("%s: %s", rel, err);
    return k;
}

/* The request a row builds: REST query/body, or WS params JSON. */
typedef struct req {
    buf_t query, body, json;
    buf_t signed_payload;      /* what the buggy client signed (expected mistake payload) */
    int ws;
} req;

static void sign_into(const sig_key *k, const char *payload, buf_t *sig) {
    char err[128];
    if (sig_sign(k, payload, strlen(payload), sig, err, sizeof err) < 0) fail_msg("sign: %s", err);
}

/* Append "signature=<pct-encoded sig of payload>" (pct: 0 raw, 1 once, 2 twice). */
static void put_sig(buf_t *to, const sig_key *k, const char *payload, int pct) {
    buf_t s = BUF_INIT, e1 = BUF_INIT, e2 = BUF_INIT;
    sign_into(k, payload, &s);
    pct_encode(&e1, s.data, s.len);
    pct_encode(&e2, e1.data, e1.len);
    buf_puts(to, "signature=");
    buf_puts(to, pct == 0 ? s.data : pct == 1 ? e1.data : e2.data);
    buf_free(&s); buf_free(&e1); buf_free(&e2);
}

static void signed_is(req *r, const char *p) { buf_puts(&r->signed_payload, p); }

/* --- REST builders ------------------------------------------------------- */

static void b_valid(const sig_key *k, req *r) {
    buf_puts(&r->query, "symbol=" SYM_PCT "&side=BUY&timestamp=1700000000000&");
    put_sig(&r->query, k, "symbol=" SYM_PCT "&side=BUY&timestamp=1700000000000", 1);
}

static void b_valid_mixed(const sig_key *k, req *r) {     /* H3 shape: query + body */
    buf_puts(&r->query, "symbol=BTCUSDT&side=BUY");
    buf_puts(&r->body, "quantity=1&timestamp=1700000000000&");
    put_sig(&r->body, k, "symbol=BTCUSDT&side=BUYquantity=1&timestamp=1700000000000", 1);
}

static void b_upper_hex(const sig_key *k, req *r) {
    buf_t s = BUF_INIT;
    sign_into(k, "timestamp=1700000000000", &s);
    for (size_t i = 0; i < s.len; i++) if (s.data[i] >= 'a' && s.data[i] <= 'f') s.data[i] -= 32;
    buf_printf(&r->query, "timestamp=1700000000000&signature=%s", s.data);
    buf_free(&s);
}

static void b_raw_utf8(const sig_key *k, req *r) {
    const char *p = "symbol=" SYM_RAW "&side=BUY&timestamp=1700000000000";
    buf_puts(&r->query, "symbol=" SYM_PCT "&side=BUY&timestamp=1700000000000&");
    put_sig(&r->query, k, p, 1);
    signed_is(r, p);
}

static void b_raw_json_array(const sig_key *k, req *r) {  /* symbols=[..] signed unencoded */
    const char *p = "symbols=[\"BTCUSDT\",\"BNBUSDT\"]&timestamp=1700000000000";
    buf_puts(&r->query, "symbols=%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D&timestamp=1700000000000&");
    put_sig(&r->query, k, p, 1);
    signed_is(r, p);
}

static void b_amp(const sig_key *k, req *r) {
    const char *p = "symbol=BTCUSDT&side=BUY&quantity=1&timestamp=1700000000000";
    buf_puts(&r->query, "symbol=BTCUSDT&side=BUY");
    buf_puts(&r->body, "quantity=1&timestamp=1700000000000&");
    put_sig(&r->body, k, p, 1);
    signed_is(r, p);
}

static void b_sorted(const sig_key *k, req *r) {
    const char *p = "quantity=1&side=BUY&symbol=BTCUSDT&timestamp=1700000000000";
    buf_puts(&r->query, "symbol=BTCUSDT&side=BUY&quantity=1&timestamp=1700000000000&");
    put_sig(&r->query, k, p, 1);
    signed_is(r, p);
}

/* A timestamp whose signature contains c (deterministic algorithms). */
static long ts_with(const sig_key *k, const char *fmt, char c) {
    for (long ts = 1700000000000; ts < 1700000000400; ts++) {
        char p[256];
        buf_t s = BUF_INIT;
        snprintf(p, sizeof p, fmt, ts);
        sign_into(k, p, &s);
        int has = strchr(s.data, c) != NULL;
        buf_free(&s);
        if (has) return ts;
    }
    fail_msg("no signature with '%c'", c);
    return 0;
}

static void b_plus_space(const sig_key *k, req *r) {
    char p[128];
    snprintf(p, sizeof p, "symbol=BTCUSDT&timestamp=%ld", ts_with(k, "symbol=BTCUSDT&timestamp=%ld", '+'));
    buf_printf(&r->query, "%s&", p);
    put_sig(&r->query, k, p, 0);                           /* not percent-encoded */
    signed_is(r, p);
}

static void b_raw_utf8_plus(const sig_key *k, req *r) {  /* two mistakes at once */
    char p[160];
    long ts = ts_with(k, "symbol=" SYM_RAW "&timestamp=%ld", '+');
    snprintf(p, sizeof p, "symbol=" SYM_RAW "&timestamp=%ld", ts);
    buf_printf(&r->query, "symbol=%s&timestamp=%ld&", SYM_PCT, ts);
    put_sig(&r->query, k, p, 0);
    signed_is(r, p);
}

static void b_double(const sig_key *k, req *r) {
    char p[128];
    snprintf(p, sizeof p, "symbol=BTCUSDT&timestamp=%ld", ts_with(k, "symbol=BTCUSDT&timestamp=%ld", '/'));
    buf_printf(&r->body, "%s&", p);
    put_sig(&r->body, k, p, 2);
    signed_is(r, p);
}

static void b_not_last(const sig_key *k, req *r) {
    const char *p = "symbol=BTCUSDT&side=BUY&timestamp=1700000000000";
    buf_puts(&r->query, "symbol=BTCUSDT&");
    put_sig(&r->query, k, p, 1);
    buf_puts(&r->query, "&side=BUY&timestamp=1700000000000");
    signed_is(r, p);
}

static void b_hex_case(const sig_key *k, req *r) {
    const char *p = "symbol=" SYM_PCT_LOWER "&timestamp=1700000000000";
    buf_puts(&r->query, "symbol=" SYM_PCT "&timestamp=1700000000000&");
    put_sig(&r->query, k, p, 1);
    signed_is(r, p);
}

static void b_case_flip(const sig_key *k, req *r) {
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_t s = BUF_INIT, e = BUF_INIT;
    sign_into(k, p, &s);
    char *c = s.data + s.len / 2;
    while (!((*c | 32) >= 'a' && (*c | 32) <= 'z')) c++;
    *c ^= 32;
    pct_encode(&e, s.data, s.len);
    buf_printf(&r->query, "%s&signature=%s", p, e.data);
    buf_free(&s); buf_free(&e);
}

static void b_case_flip3(const sig_key *k, req *r) {      /* the first three letters */
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_t s = BUF_INIT, e = BUF_INIT;
    sign_into(k, p, &s);
    for (size_t i = 0, n = 0; i < s.len && n < 3; i++)
        if ((s.data[i] | 32) >= 'a' && (s.data[i] | 32) <= 'z') s.data[i] ^= 32, n++;
    pct_encode(&e, s.data, s.len);
    buf_printf(&r->query, "%s&signature=%s", p, e.data);
    buf_free(&s); buf_free(&e);
}

static void b_truncated(const sig_key *k, req *r) {
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_t s = BUF_INIT, e = BUF_INIT;
    sign_into(k, p, &s);
    pct_encode(&e, s.data, s.len - 8);
    buf_printf(&r->query, "%s&signature=%s", p, e.data);
    buf_free(&s); buf_free(&e);
}

static void b_hmac_base64(const sig_key *k, req *r) {
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_t s = BUF_INIT, raw = BUF_INIT, b = BUF_INIT, e = BUF_INIT;
    sign_into(k, p, &s);
    for (size_t i = 0; i < 64; i += 2) {
        unsigned v;
        sscanf(s.data + i, "%2x", &v);
        buf_putc(&raw, (char)v);
    }
    sig_b64_encode(&b, raw.data, raw.len);
    pct_encode(&e, b.data, b.len);
    buf_printf(&r->query, "%s&signature=%s", p, e.data);
    buf_free(&s); buf_free(&raw); buf_free(&b); buf_free(&e);
}

static void b_twice(const sig_key *k, req *r) {
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_printf(&r->query, "%s&", p);
    put_sig(&r->query, k, p, 1);
    put_sig(&r->body, k, p, 1);
}

static void b_missing(const sig_key *k, req *r) {
    (void)k;
    buf_puts(&r->query, "symbol=BTCUSDT&timestamp=1700000000000");
}

static void b_other_key(const sig_key *k, req *r) {    /* k is the *other* key here */
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_printf(&r->query, "%s&", p);
    put_sig(&r->query, k, p, 1);
}

/* --- issue 11: the mistakes bot developers really make ------------------- */

static void b_secret_newline(const sig_key *k, req *r) {   /* secret read with its "\n" */
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    sig_key *nl = NULL;
    if (sig_key_hmac_variant(k, "", "\n", &nl) != 0) fail_msg("hmac variant");
    buf_printf(&r->query, "%s&", p);
    put_sig(&r->query, nl, p, 1);
    sig_key_free(nl);
}

static void b_secret_spaces(const sig_key *k, req *r) {    /* " secret " */
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    sig_key *sp = NULL;
    if (sig_key_hmac_variant(k, " ", " ", &sp) != 0) fail_msg("hmac variant");
    buf_printf(&r->query, "%s&", p);
    put_sig(&r->query, sp, p, 1);
    sig_key_free(sp);
}

/* @binance/spot with a reserved origClientOrderId: signed %20 and ~, sent + and %7E */
static void b_encoding(const sig_key *k, req *r) {
    const char *sent = "symbol=BTCUSDT&origClientOrderId=a+b%7Ec&timestamp=1700000000000";
    const char *p = "symbol=BTCUSDT&origClientOrderId=a%20b~c&timestamp=1700000000000";
    buf_printf(&r->query, "%s&", sent);
    put_sig(&r->query, k, p, 1);
    signed_is(r, p);
}

static void b_ts_changed(const sig_key *k, req *r) {        /* signed 12 ms before the one sent */
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_puts(&r->query, "symbol=BTCUSDT&timestamp=1700000000012&");
    put_sig(&r->query, k, p, 1);
    signed_is(r, p);
}

static void b_ts_far(const sig_key *k, req *r) {            /* 10 s away: beyond the bounded window */
    buf_puts(&r->query, "symbol=BTCUSDT&timestamp=1700000010000&");
    put_sig(&r->query, k, "symbol=BTCUSDT&timestamp=1700000000000", 1);
}

static void b_added_after(const sig_key *k, req *r) {       /* recvWindow appended after signing */
    const char *p = "symbol=BTCUSDT&timestamp=1700000000000";
    buf_puts(&r->body, "symbol=BTCUSDT&timestamp=1700000000000&recvWindow=5000&");
    put_sig(&r->body, k, p, 1);
    signed_is(r, p);
}

/* --- WS builders (params JSON) ------------------------------------------- */

#define WS_SORTED "apiKey=" APIKEY "&quantity=1.00000000&side=BUY&symbol=" SYM_RAW "&timestamp=1700000000000"

static void ws_put(req *r, const char *order, const sig_key *k, const char *payload, int pct) {
    buf_t s = BUF_INIT, e = BUF_INIT;
    sign_into(k, payload, &s);
    if (pct) pct_encode(&e, s.data, s.len);
    r->ws = 1;
    buf_printf(&r->json, "{%s,\"signature\":\"%s\"}", order, pct ? e.data : s.data);
    buf_free(&s); buf_free(&e);
}

#define WS_ORDER "\"symbol\":\"" SYM_RAW "\",\"side\":\"BUY\",\"quantity\":1.00000000,\"apiKey\":\"" APIKEY "\",\"timestamp\":1700000000000"

static void w_valid(const sig_key *k, req *r) { ws_put(r, WS_ORDER, k, WS_SORTED, 0); }

static void w_pct(const sig_key *k, req *r) {
    const char *p = "apiKey=" APIKEY "&quantity=1.00000000&side=BUY&symbol=" SYM_PCT "&timestamp=1700000000000";
    ws_put(r, WS_ORDER, k, p, 0);
    signed_is(r, p);
}

static void w_unsorted(const sig_key *k, req *r) {
    const char *p = "symbol=" SYM_RAW "&side=BUY&quantity=1.00000000&apiKey=" APIKEY "&timestamp=1700000000000";
    ws_put(r, WS_ORDER, k, p, 0);
    signed_is(r, p);
}

static void w_no_apikey(const sig_key *k, req *r) {
    const char *p = "quantity=1.00000000&side=BUY&symbol=" SYM_RAW "&timestamp=1700000000000";
    ws_put(r, WS_ORDER, k, p, 0);
    signed_is(r, p);
}

static void w_sig_encoded(const sig_key *k, req *r) {
    char order[512], p[512];
    long ts = ts_with(k, "apiKey=" APIKEY "&timestamp=%ld", '/');
    snprintf(order, sizeof order, "\"apiKey\":\"" APIKEY "\",\"timestamp\":%ld", ts);
    snprintf(p, sizeof p, "apiKey=" APIKEY "&timestamp=%ld", ts);
    ws_put(r, order, k, p, 1);
    signed_is(r, p);
}

static void w_added_after(const sig_key *k, req *r) {
    const char *p = "apiKey=" APIKEY "&quantity=1.00000000&side=BUY&symbol=" SYM_RAW "&timestamp=1700000000000";
    ws_put(r, WS_ORDER ",\"recvWindow\":5000", k, p, 0);
    signed_is(r, p);
}

static void w_ts_changed(const sig_key *k, req *r) {
    const char *p = "apiKey=" APIKEY "&quantity=1.00000000&side=BUY&symbol=" SYM_RAW "&timestamp=1699999999995";
    ws_put(r, WS_ORDER, k, p, 0);
    signed_is(r, p);
}

static void w_case_flip(const sig_key *k, req *r) {
    buf_t s = BUF_INIT;
    sign_into(k, WS_SORTED, &s);
    char *c = s.data + 3;
    while (!((*c | 32) >= 'a' && (*c | 32) <= 'z')) c++;
    *c ^= 32;
    r->ws = 1;
    buf_printf(&r->json, "{" WS_ORDER ",\"signature\":\"%s\"}", s.data);
    buf_free(&s);
}

/* --- the table ----------------------------------------------------------- */

#define K_HMAC "vectors/keys/hmac.secret"
#define K_RSA "vectors/keys/rsa2048.pem"
#define K_RSA_PUB "vectors/keys/rsa2048.pub.pem"
#define K_RSA4 "vectors/keys/rsa4096.pub.pem"
#define K_ED "vectors/keys/ed25519.pem"
#define K_ED_PUB "vectors/keys/ed25519.pub.pem"

typedef struct row {
    const char *name;
    const char *verify_key;     /* the server's key */
    const char *sign_key;       /* the client's key (NULL: the private half / same) */
    void (*build)(const sig_key *, req *);
    explain_verdict verdict;
    const char *id;             /* "none" for valid/missing */
    explain_basis basis;
} row;

static const row rows[] = {
    {"valid hmac", K_HMAC, NULL, b_valid, EXPLAIN_VALID, "none", EXPLAIN_BASIS_NONE},
    {"valid rsa pub", K_RSA_PUB, K_RSA, b_valid, EXPLAIN_VALID, "none", EXPLAIN_BASIS_NONE},
    {"valid ed25519 mixed", K_ED, NULL, b_valid_mixed, EXPLAIN_VALID, "none", EXPLAIN_BASIS_NONE},
    {"upper-case hmac hex", K_HMAC, NULL, b_upper_hex, EXPLAIN_VALID, "none", EXPLAIN_BASIS_NONE},
    {"raw utf8 hmac", K_HMAC, NULL, b_raw_utf8, EXPLAIN_INVALID, "raw-utf8", EXPLAIN_BASIS_VERIFIED},
    {"raw utf8 ed25519 pub", K_ED_PUB, K_ED, b_raw_utf8, EXPLAIN_INVALID, "raw-utf8", EXPLAIN_BASIS_VERIFIED},
    {"raw json array", K_HMAC, NULL, b_raw_json_array, EXPLAIN_INVALID, "raw-utf8", EXPLAIN_BASIS_VERIFIED},
    {"raw utf8 and plus as space", K_ED_PUB, K_ED, b_raw_utf8_plus, EXPLAIN_INVALID, "raw-utf8", EXPLAIN_BASIS_VERIFIED},
    {"amp between", K_HMAC, NULL, b_amp, EXPLAIN_INVALID, "amp-between-query-and-body", EXPLAIN_BASIS_VERIFIED},
    {"sorted copy", K_ED, NULL, b_sorted, EXPLAIN_INVALID, "sorted-copy", EXPLAIN_BASIS_VERIFIED},
    {"plus as space ed25519", K_ED, NULL, b_plus_space, EXPLAIN_INVALID, "plus-as-space", EXPLAIN_BASIS_VERIFIED},
    {"plus as space rsa", K_RSA_PUB, K_RSA, b_plus_space, EXPLAIN_INVALID, "plus-as-space", EXPLAIN_BASIS_VERIFIED},
    {"double encoded", K_RSA, NULL, b_double, EXPLAIN_INVALID, "double-encoded", EXPLAIN_BASIS_VERIFIED},
    {"signature not last", K_HMAC, NULL, b_not_last, EXPLAIN_INVALID, "signature-not-last", EXPLAIN_BASIS_VERIFIED},
    {"hex case escapes", K_HMAC, NULL, b_hex_case, EXPLAIN_INVALID, "hex-case-escapes", EXPLAIN_BASIS_VERIFIED},
    {"case flipped rsa", K_RSA_PUB, K_RSA, b_case_flip, EXPLAIN_INVALID, "case-flipped", EXPLAIN_BASIS_VERIFIED},
    {"case flipped ed25519", K_ED, NULL, b_case_flip, EXPLAIN_INVALID, "case-flipped", EXPLAIN_BASIS_EXPECTED},
    {"3 letters flipped rsa4096 pub", K_RSA4, "vectors/keys/rsa4096.pem", b_case_flip3, EXPLAIN_INVALID, "case-flipped", EXPLAIN_BASIS_VERIFIED},
    {"3 letters flipped ed25519", K_ED, NULL, b_case_flip3, EXPLAIN_INVALID, "case-flipped", EXPLAIN_BASIS_EXPECTED},
    {"truncated hmac", K_HMAC, NULL, b_truncated, EXPLAIN_INVALID, "truncated", EXPLAIN_BASIS_EXPECTED},
    {"truncated ed25519 pub", K_ED_PUB, K_ED, b_truncated, EXPLAIN_INVALID, "truncated", EXPLAIN_BASIS_SHAPE},
    {"ed25519 sig on hmac key", K_HMAC, K_ED, b_other_key, EXPLAIN_INVALID, "wrong-key-type", EXPLAIN_BASIS_SHAPE},
    {"hmac sig on rsa key", K_RSA_PUB, K_HMAC, b_other_key, EXPLAIN_INVALID, "wrong-key-type", EXPLAIN_BASIS_SHAPE},
    {"rsa2048 sig on rsa4096 key", K_RSA4, K_RSA, b_other_key, EXPLAIN_INVALID, "unknown", EXPLAIN_BASIS_NONE},
    {"hmac as base64", K_HMAC, NULL, b_hmac_base64, EXPLAIN_INVALID, "hmac-base64", EXPLAIN_BASIS_VERIFIED},
    {"signature twice", K_HMAC, NULL, b_twice, EXPLAIN_INVALID, "signature-twice", EXPLAIN_BASIS_REQUEST},
    {"missing", K_HMAC, NULL, b_missing, EXPLAIN_MISSING, "none", EXPLAIN_BASIS_NONE},
    {"wrong secret", K_HMAC, "vectors/keys/bob-hmac.secret", b_other_key, EXPLAIN_INVALID, "unknown", EXPLAIN_BASIS_NONE},
    {"secret with newline", K_HMAC, NULL, b_secret_newline, EXPLAIN_INVALID, "secret-whitespace", EXPLAIN_BASIS_VERIFIED},
    {"secret with spaces", K_HMAC, NULL, b_secret_spaces, EXPLAIN_INVALID, "secret-whitespace", EXPLAIN_BASIS_VERIFIED},
    {"encoding mismatch hmac", K_HMAC, NULL, b_encoding, EXPLAIN_INVALID, "encoding-mismatch", EXPLAIN_BASIS_VERIFIED},
    {"encoding mismatch ed25519 pub", K_ED_PUB, K_ED, b_encoding, EXPLAIN_INVALID, "encoding-mismatch", EXPLAIN_BASIS_VERIFIED},
    {"timestamp changed hmac", K_HMAC, NULL, b_ts_changed, EXPLAIN_INVALID, "timestamp-changed", EXPLAIN_BASIS_VERIFIED},
    {"timestamp changed rsa pub", K_RSA_PUB, K_RSA, b_ts_changed, EXPLAIN_INVALID, "timestamp-changed", EXPLAIN_BASIS_VERIFIED},
    {"timestamp far beyond the window", K_HMAC, NULL, b_ts_far, EXPLAIN_INVALID, "unknown", EXPLAIN_BASIS_NONE},
    {"recvWindow added after signing", K_HMAC, NULL, b_added_after, EXPLAIN_INVALID, "added-after-signing", EXPLAIN_BASIS_VERIFIED},
    {"recvWindow added after signing ed25519", K_ED, NULL, b_added_after, EXPLAIN_INVALID, "added-after-signing", EXPLAIN_BASIS_VERIFIED},
    {"ws recvWindow added after signing", K_ED_PUB, K_ED, w_added_after, EXPLAIN_INVALID, "added-after-signing", EXPLAIN_BASIS_VERIFIED},
    {"ws timestamp changed", K_HMAC, NULL, w_ts_changed, EXPLAIN_INVALID, "timestamp-changed", EXPLAIN_BASIS_VERIFIED},
    {"ws valid hmac", K_HMAC, NULL, w_valid, EXPLAIN_VALID, "none", EXPLAIN_BASIS_NONE},
    {"ws valid ed25519", K_ED_PUB, K_ED, w_valid, EXPLAIN_VALID, "none", EXPLAIN_BASIS_NONE},
    {"ws percent-encoded", K_HMAC, NULL, w_pct, EXPLAIN_INVALID, "ws-percent-encoded", EXPLAIN_BASIS_VERIFIED},
    {"ws unsorted", K_ED, NULL, w_unsorted, EXPLAIN_INVALID, "ws-unsorted", EXPLAIN_BASIS_VERIFIED},
    {"ws missing apikey", K_RSA_PUB, K_RSA, w_no_apikey, EXPLAIN_INVALID, "ws-missing-apikey", EXPLAIN_BASIS_VERIFIED},
    {"ws signature encoded", K_ED, NULL, w_sig_encoded, EXPLAIN_INVALID, "ws-signature-encoded", EXPLAIN_BASIS_VERIFIED},
    {"ws case flipped", K_ED_PUB, K_ED, w_case_flip, EXPLAIN_INVALID, "case-flipped", EXPLAIN_BASIS_VERIFIED},
};

static const row *row_named(const char *name) {
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (!strcmp(rows[i].name, name)) return &rows[i];
    fail_msg("no row %s", name);
    return NULL;
}

static void run_row(const row *w, explain_result *res, req *r, sig_key **vk) {
    *vk = load_key(w->verify_key);
    sig_key *sk = w->sign_key ? load_key(w->sign_key) : *vk;
    memset(r, 0, sizeof(*r));
    w->build(sk, r);
    explain_init(res);
    if (r->ws) {
        params_t *p = malloc(sizeof(*p));
        assert_non_null(p);
        params_init(p);
        assert_int_equal(params_parse_json(p, r->json.data, r->json.len), 0);
        assert_int_equal(explain_ws(res, *vk, p), 0);
    } else {
        assert_int_equal(explain_rest(res, *vk, buf_cstr(&r->query), r->query.len,
                                      buf_cstr(&r->body), r->body.len), 0);
    }
    if (sk != *vk) sig_key_free(sk);
}

static void done_row(explain_result *res, req *r, sig_key *vk) {
    if (res->ws_params) {
        params_free((params_t *)res->ws_params);
        free((params_t *)res->ws_params);
    }
    explain_free(res);
    buf_free(&r->query); buf_free(&r->body); buf_free(&r->json); buf_free(&r->signed_payload);
    sig_key_free(vk);
}

static void test_mistake_rows(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *w = &rows[i];
        explain_result res;
        req r;
        sig_key *vk;
        run_row(w, &res, &r, &vk);
        if (res.verdict != w->verdict || strcmp(explain_mistake_id(res.mistake), w->id) || res.basis != w->basis)
            fail_msg("%s: verdict %s mistake %s basis %s", w->name, explain_verdict_str(res.verdict),
                     explain_mistake_id(res.mistake), explain_basis_str(res.basis));
        if (r.signed_payload.len && strcmp(buf_cstr(&res.mistake_payload), r.signed_payload.data))
            fail_msg("%s: mistake payload '%s'", w->name, buf_cstr(&res.mistake_payload));
        if (res.basis == EXPLAIN_BASIS_VERIFIED &&    /* the reproduction really verifies (key-side */
            res.mistake != MISTAKE_SECRET_WHITESPACE && res.mistake != MISTAKE_OTHER_KEY)   /* ones: below) */
            assert_true(sig_verify(vk, res.mistake_payload.data, res.mistake_payload.len,
                                   res.mistake_sig.data, res.mistake_sig.len));
        assert_true(res.attempts <= EXPLAIN_MAX_ATTEMPTS);
        if (strstr(w->name, "upper") || strstr(w->name, "on rsa4096") || strstr(w->name, " and "))
            assert_non_null(res.note);
        done_row(&res, &r, vk);
    }
}

/* other-key: only with candidates, and only the one that verifies is named */
static void test_other_key_candidates(void **state) {
    (void)state;
    explain_result res;
    req r;
    sig_key *vk;
    sig_key *bob = load_key("vectors/keys/bob-hmac.secret"), *docs = load_key("vectors/keys/docs-hmac.secret");
    sig_key *ed = load_key(K_ED_PUB);
    run_row(row_named("wrong secret"), &res, &r, &vk);            /* no candidates: unknown */
    assert_string_equal(explain_mistake_id(res.mistake), "unknown");
    explain_free(&res);
    explain_candidate c[3] = {{"docs key", docs}, {"ed key", ed}, {"bob's key", bob}};
    explain_init(&res);
    explain_set_candidates(&res, c, 3);
    assert_int_equal(explain_rest(&res, vk, buf_cstr(&r.query), r.query.len, "", 0), 0);
    assert_string_equal(explain_mistake_id(res.mistake), "other-key");
    assert_int_equal(res.basis, EXPLAIN_BASIS_VERIFIED);
    assert_non_null(strstr(res.detail, "bob's key"));
    cJSON *o = explain_render_json(&res);
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "mistake"), "detail")),
                           "bob's key"));
    cJSON_Delete(o);
    explain_free(&res);
    explain_init(&res);                                          /* candidates that do not verify */
    explain_set_candidates(&res, c, 2);
    assert_int_equal(explain_rest(&res, vk, buf_cstr(&r.query), r.query.len, "", 0), 0);
    assert_string_equal(explain_mistake_id(res.mistake), "unknown");
    done_row(&res, &r, vk);
    sig_key_free(bob);
    sig_key_free(docs);
    sig_key_free(ed);
}

/* Every issue-11 diagnosis says what exactly in `detail`. */
static void test_issue11_details(void **state) {
    (void)state;
    static const struct { const char *row, *want; } d[] = {
        {"secret with newline", "followed by a newline"},
        {"secret with spaces", "surrounded by spaces"},
        {"encoding mismatch hmac", "signed a space as %20, sent it as +; signed ~ (or !'()*) raw, sent it escaped"},
        {"timestamp changed hmac", "signed timestamp=1700000000000, sent timestamp=1700000000012 (12 ms later)"},
        {"recvWindow added after signing", "recvWindow=5000 was not in the signed payload"},
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        explain_result res;
        req r;
        sig_key *vk;
        run_row(row_named(d[i].row), &res, &r, &vk);
        if (!strstr(res.detail, d[i].want)) fail_msg("%s: detail '%s'", d[i].row, res.detail);
        if (i == 0) {                             /* it verifies with the secret + "\n" */
            sig_key *nl = NULL;
            assert_int_equal(sig_key_hmac_variant(vk, "", "\n", &nl), 0);
            assert_true(sig_verify(nl, res.mistake_payload.data, res.mistake_payload.len,
                                   res.mistake_sig.data, res.mistake_sig.len));
            assert_false(sig_verify(vk, res.mistake_payload.data, res.mistake_payload.len,
                                    res.mistake_sig.data, res.mistake_sig.len));
            sig_key_free(nl);
        }
        done_row(&res, &r, vk);
    }
}

static void test_expected_signature(void **state) {
    (void)state;
    explain_result res;
    req r;
    sig_key *vk;
    run_row(row_named("raw utf8 hmac"), &res, &r, &vk);                   /* raw utf8, HMAC */
    assert_true(res.has_expected);
    buf_t s = BUF_INIT;
    sign_into(vk, "symbol=" SYM_PCT "&side=BUY&timestamp=1700000000000", &s);
    assert_string_equal(res.sig_expected.data, s.data);
    assert_string_equal(res.payload.data, "symbol=" SYM_PCT "&side=BUY&timestamp=1700000000000");
    assert_int_equal(res.sig_received.len, 64);
    buf_free(&s);
    done_row(&res, &r, vk);
    run_row(row_named("raw utf8 ed25519 pub"), &res, &r, &vk);                   /* public key only */
    assert_false(res.has_expected);
    done_row(&res, &r, vk);
}

static void test_render_json(void **state) {
    (void)state;
    explain_result res;
    req r;
    sig_key *vk;
    run_row(row_named("sorted copy"), &res, &r, &vk);                   /* sorted copy */
    cJSON *o = explain_render_json(&res);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "verdict")->valuestring, "invalid");
    assert_string_equal(cJSON_GetObjectItem(o, "mode")->valuestring, "rest");
    assert_string_equal(cJSON_GetObjectItem(o, "keyType")->valuestring, "ED25519");
    cJSON *m = cJSON_GetObjectItem(o, "mistake");
    assert_string_equal(cJSON_GetObjectItem(m, "id")->valuestring, "sorted-copy");
    assert_string_equal(cJSON_GetObjectItem(m, "basis")->valuestring, "verified");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "reproduced")));
    assert_string_equal(cJSON_GetObjectItem(m, "payload")->valuestring, r.signed_payload.data);
    assert_non_null(cJSON_GetObjectItem(o, "signatureExpected")->valuestring);
    char *txt = cJSON_PrintUnformatted(o);
    assert_non_null(txt);
    cJSON *back = cJSON_Parse(txt);                     /* valid JSON */
    assert_non_null(back);
    cJSON_Delete(back);
    free(txt);
    cJSON_Delete(o);
    done_row(&res, &r, vk);

    sig_key *k = load_key(K_HMAC);                     /* invalid UTF-8 payload -> base64 field */
    explain_init(&res);
    const char *q = "a=\xff\xfe&signature=00";
    assert_int_equal(explain_rest(&res, k, q, strlen(q), NULL, 0), 0);
    o = explain_render_json(&res);
    assert_non_null(o);
    assert_null(cJSON_GetObjectItem(o, "payload"));
    assert_string_equal(cJSON_GetObjectItem(o, "payloadBase64")->valuestring, "YT3//g==");
    cJSON_Delete(o);
    explain_free(&res);
    sig_key_free(k);
}

static void test_render_text(void **state) {
    (void)state;
    explain_result res;
    req r;
    sig_key *vk;
    run_row(row_named("raw utf8 hmac"), &res, &r, &vk);                   /* raw utf8 */
    buf_t t = BUF_INIT;
    assert_int_equal(explain_render_text(&t, &res), 0);
    const char *want[] = {"mode:                  REST", "parameters (4):", "query raw symbol=" SYM_PCT,
                          "decoded symbol=" SYM_RAW, "signature (expected):", "signature (received):",
                          "verdict:               INVALID (-1022)", "diagnosis:             raw-utf8 (reproduced",
                          "payload it signed:   symbol=" SYM_RAW};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(t.data, want[i])) fail_msg("missing '%s' in:\n%s", want[i], t.data);
    assert_null(strstr(t.data, "-----BEGIN"));
    buf_free(&t);
    done_row(&res, &r, vk);
    run_row(row_named("ws missing apikey"), &res, &r, &vk);                  /* ws missing apikey, public key */
    assert_int_equal(explain_render_text(&t, &res), 0);
    assert_non_null(strstr(t.data, "WebSocket API"));
    assert_non_null(strstr(t.data, "json  raw \"apiKey\""));
    assert_non_null(strstr(t.data, "(public key only: cannot sign)"));
    assert_non_null(strstr(t.data, "ws-missing-apikey"));
    buf_free(&t);
    done_row(&res, &r, vk);
}

static void test_mistake_table(void **state) {
    (void)state;
    for (int m = 0; m < MISTAKE_COUNT_; m++) {
        const char *id = explain_mistake_id((explain_mistake)m);
        assert_int_equal(explain_mistake_parse(id), m);
        assert_true(strlen(explain_mistake_text((explain_mistake)m)) > 20);
        for (const char *c = id; *c; c++) assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-');
    }
    assert_int_equal(explain_mistake_parse("nope"), MISTAKE_COUNT_);
}

/* Garbage requests: never crash, always a verdict, never "valid". */
static void test_garbage(void **state) {
    (void)state;
    static const char *files[] = {K_HMAC, K_RSA_PUB, K_ED};
    static const char alpha[] = "ab=&%2B+ signature=\xe8\xbf\x99%E8%zz0123456789ABCDEF/\xff";
    unsigned seed = 11;
    for (int f = 0; f < 3; f++) {
        sig_key *k = load_key(files[f]);
        for (int it = 0; it < 150; it++) {
            char q[200], b[200];
            size_t qn = (size_t)(rand_r(&seed) % sizeof q), bn = (size_t)(rand_r(&seed) % sizeof b);
            for (size_t i = 0; i < qn; i++) q[i] = alpha[rand_r(&seed) % (sizeof alpha - 1)];
            for (size_t i = 0; i < bn; i++) b[i] = alpha[rand_r(&seed) % (sizeof alpha - 1)];
            explain_result res;
            explain_init(&res);
            assert_int_equal(explain_rest(&res, k, q, qn, b, bn), 0);
            assert_int_not_equal(res.verdict, EXPLAIN_VALID);
            cJSON *o = explain_render_json(&res);
            assert_non_null(o);
            char *txt = cJSON_PrintUnformatted(o);
            cJSON *back = cJSON_Parse(txt);
            assert_non_null(back);
            cJSON_Delete(back);
            free(txt);
            cJSON_Delete(o);
            buf_t t = BUF_INIT;
            assert_int_equal(explain_render_text(&t, &res), 0);
            buf_free(&t);
            explain_free(&res);
        }
        sig_key_free(k);
    }
}

/* ---- every signature test of vectors/ (rest_*, ws_*) agrees with the engine ---- */

static char *read_all(const char *rel, size_t *len) {
    const char *root = getenv("BC_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b = BUF_INIT;
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) assert_int_equal(buf_append(&b, tmp, n), 0);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

/* The raw text of the frame's "params" object (numbers as written). */
static int frame_params(const char *fr, const char **start, size_t *len) {
    const char *p = strstr(fr, "\"params\"");
    if (!p || !(p = strchr(p + 8, '{'))) return -1;
    int depth = 0, in_str = 0;
    for (const char *q = p; *q; q++) {
        if (in_str) {
            if (*q == '\\' && q[1]) q++;
            else if (*q == '"') in_str = 0;
        } else if (*q == '"') {
            in_str = 1;
        } else if (*q == '{') {
            depth++;
        } else if (*q == '}' && --depth == 0) {
            *start = p;
            *len = (size_t)(q - p + 1);
            return 0;
        }
    }
    return -1;
}

static const char *json_str(const cJSON *o, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Returns the number of tests checked in one file. A missing or unparsable
 * file, a group without a key, or an "invalid" row without a `mistake` fails
 * (every test of the file is either checked or "acceptable", and the two add
 * up to the file's numberOfTests). */
static int check_vector_file(const char *rel) {
    size_t n = 0;
    char *text = read_all(rel, &n);
    if (!text) fail_msg("%s: cannot read (vectors are committed; run from the checkout)", rel);
    cJSON *root = cJSON_ParseWithLength(text, n);
    assert_non_null(root);
    int checked = 0, acceptable = 0;
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        const char *kf = json_str(g, "publicKeyFile") ? json_str(g, "publicKeyFile") : json_str(g, "keyFile");
        if (!kf) fail_msg("%s: a test group names no key file", rel);
        char kpath[512];
        snprintf(kpath, sizeof kpath, "vectors/%s", kf);
        sig_key *k = load_key(kpath);
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            const char *result = json_str(t, "result"), *mistake = json_str(t, "mistake");
            if (!result) fail_msg("%s: a test has no result", rel);
            if (!strcmp(result, "acceptable")) { acceptable++; continue; }
            if (!strcmp(result, "invalid") && !mistake)
                fail_msg("%s tcId %d: invalid without a mistake", rel, cJSON_GetObjectItem(t, "tcId")->valueint);
            explain_result res;
            params_t p;
            explain_init(&res);
            params_init(&p);
            sig_key *cand = NULL;
            explain_candidate ec = {json_str(t, "candidateKeyFile"), NULL};
            if (ec.label) {                       /* other-key: the key explain may try */
                char cpath[512];
                snprintf(cpath, sizeof cpath, "vectors/%s", ec.label);
                ec.key = cand = load_key(cpath);
                explain_set_candidates(&res, &ec, 1);
            }
            const char *frame = json_str(t, "frame");
            if (frame) {
                const char *ps = NULL;
                size_t pl = 0;
                assert_int_equal(frame_params(frame, &ps, &pl), 0);
                assert_int_equal(params_parse_json(&p, ps, pl), 0);
                assert_int_equal(explain_ws(&res, k, &p), 0);
            } else {
                const char *q = json_str(t, "query"), *b = json_str(t, "body");
                assert_int_equal(explain_rest(&res, k, q ? q : "", q ? strlen(q) : 0, b ? b : "",
                                              b ? strlen(b) : 0), 0);
            }
            const char *got = explain_mistake_id(res.mistake);
            int ok = !strcmp(result, "valid") ? res.verdict == EXPLAIN_VALID
                                              : res.verdict != EXPLAIN_VALID && !strcmp(got, mistake);
            if (!ok)
                fail_msg("%s tcId %d: want %s/%s, got %s/%s", rel, cJSON_GetObjectItem(t, "tcId")->valueint,
                         result, mistake ? mistake : "-", explain_verdict_str(res.verdict), got);
            checked++;
            explain_free(&res);
            params_free(&p);
            sig_key_free(cand);
        }
        sig_key_free(k);
    }
    const cJSON *num = cJSON_GetObjectItem(root, "numberOfTests");
    assert_true(cJSON_IsNumber(num));
    assert_int_equal(checked + acceptable, num->valueint);
    cJSON_Delete(root);
    free(text);
    return checked;
}

static void test_vectors_agree(void **state) {
    (void)state;
    static const char *files[] = {"vectors/rest_hmac_sha256.json", "vectors/rest_rsa.json",
                                  "vectors/rest_ed25519.json", "vectors/ws_hmac_sha256.json",
                                  "vectors/ws_rsa.json", "vectors/ws_ed25519.json"};
    int total = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) total += check_vector_file(files[i]);
    assert_true(total > 0);
    print_message("explain agrees with %d vector tests\n", total);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mistake_rows),
        cmocka_unit_test(test_expected_signature),
        cmocka_unit_test(test_other_key_candidates),
        cmocka_unit_test(test_issue11_details),
        cmocka_unit_test(test_render_json),
        cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_mistake_table),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_vectors_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
