/* explain: the diagnosis engine (see explain.h). Verifies the canonical
 * payload, then tries each known client mistake in a fixed order:
 * request structure, signature-side mistakes (on the canonical payload),
 * shape checks, payload-side mistakes (with the received signature), and
 * last the bounded case-flip search. The first hypothesis that reproduces
 * the received signature wins. Renderers live in explain_render.c. */
#include "explain.h"
#include "explain_int.h"
#include "pct.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *id, *text; } mistakes[MISTAKE_COUNT_] = {
    [MISTAKE_NONE] = {"none", "No mistake: the signature is valid."},
    [MISTAKE_RAW_UTF8] = {"raw-utf8", "The client signed the parameters before percent-encoding them "
        "(raw UTF-8) but sent them encoded; percent-encode first, then sign exactly the bytes sent."},
    [MISTAKE_AMP_BETWEEN] = {"amp-between-query-and-body", "The client joined query string and body "
        "with '&' when signing; the payload is the query concatenated to the body with no separator."},
    [MISTAKE_SORTED_COPY] = {"sorted-copy", "The client signed a sorted copy of the parameters but sent "
        "them in another order; on REST sign the parameters in the order they are sent."},
    [MISTAKE_PLUS_AS_SPACE] = {"plus-as-space", "The base64 signature was not percent-encoded, so its '+' "
        "was read as a space; percent-encode the signature ('+' %2B, '/' %2F, '=' %3D)."},
    [MISTAKE_DOUBLE_ENCODED] = {"double-encoded", "The signature was percent-encoded twice (e.g. %252B); "
        "percent-encode it exactly once."},
    [MISTAKE_SIG_NOT_LAST] = {"signature-not-last", "The signature pair is not the last parameter of the "
        "query string or body carrying it; send signature=... as the last parameter."},
    [MISTAKE_HEX_CASE_ESCAPES] = {"hex-case-escapes", "The client signed percent-escapes in one hex case "
        "but sent the other (%e8 vs %E8); sign exactly the bytes sent (upper-case hex recommended)."},
    [MISTAKE_CASE_FLIPPED] = {"case-flipped", "One letter of the base64 signature changed case; RSA and "
        "Ed25519 signatures are case-sensitive (only HMAC hex is not): send the signature unmodified."},
    [MISTAKE_TRUNCATED] = {"truncated", "The signature is truncated (complete: HMAC 64 hex, Ed25519 88, "
        "RSA-2048 344, RSA-4096 684 base64 characters); send all of it."},
    [MISTAKE_WRONG_KEY_TYPE] = {"wrong-key-type", "The signature has the shape of another key type or size "
        "(HMAC 64 hex, Ed25519 88, RSA 344/684 base64); sign with the key registered for this API key."},
    [MISTAKE_HMAC_BASE64] = {"hmac-base64", "The HMAC-SHA256 was sent as base64; Binance expects it as "
        "64 hex characters."},
    [MISTAKE_WS_PERCENT_ENCODED] = {"ws-percent-encoded", "The WebSocket payload was percent-encoded "
        "before signing; the WS API signs the raw UTF-8 values, not percent-encoded."},
    [MISTAKE_WS_UNSORTED] = {"ws-unsorted", "The WebSocket payload was signed in the order the params "
        "were sent; the WS API signs all params sorted by name."},
    [MISTAKE_WS_MISSING_APIKEY] = {"ws-missing-apikey", "The WebSocket payload was signed without apiKey; "
        "the WS API signs every param except signature, apiKey included."},
    [MISTAKE_WS_SIG_ENCODED] = {"ws-signature-encoded", "The signature in the WebSocket JSON was "
        "percent-encoded; the WS API takes the base64 signature as-is."},
    [MISTAKE_SIG_TWICE] = {"signature-twice", "The signature parameter was sent more than once (query and "
        "body, or twice in one part); send it once, as the last parameter."},
    [MISTAKE_UNKNOWN] = {"unknown", "No known client mistake reproduces this signature: check that the "
        "key matches the API key and that the signed bytes are exactly the bytes sent."},
    [MISTAKE_SECRET_WHITESPACE] = {"secret-whitespace", "The HMAC secret was used with extra whitespace "
        "(the trailing newline of the file it was read from, or surrounding spaces); sign with the secret "
        "exactly as issued."},
    [MISTAKE_OTHER_KEY] = {"other-key", "The request was signed with another registered key than the one "
        "its API key names (another account's, or another key of the same account); sign with the key "
        "that belongs to the API key sent."},
    [MISTAKE_ENCODING_MISMATCH] = {"encoding-mismatch", "A value was signed in one percent-encoding and "
        "sent in another (a space as %20 vs +, ~ vs %7E, !'()* raw vs escaped, lower- vs upper-case hex); "
        "encode once, then sign exactly the bytes sent."},
    [MISTAKE_TIMESTAMP_CHANGED] = {"timestamp-changed", "The timestamp was regenerated between signing "
        "and sending: the signature is valid for a nearby timestamp; build the parameters once, sign "
        "them and send those same bytes."},
    [MISTAKE_ADDED_AFTER_SIGNING] = {"added-after-signing", "A parameter (typically recvWindow) was added "
        "to the request after it was signed; add every parameter first, then sign."},
};

const char *explain_mistake_id(explain_mistake m) {
    return (unsigned)m < MISTAKE_COUNT_ ? mistakes[m].id : "unknown";
}

const char *explain_mistake_text(explain_mistake m) {
    return (unsigned)m < MISTAKE_COUNT_ ? mistakes[m].text : mistakes[MISTAKE_UNKNOWN].text;
}

explain_mistake explain_mistake_parse(const char *id) {
    for (int i = 0; id && i < MISTAKE_COUNT_; i++)
        if (!strcmp(mistakes[i].id, id)) return (explain_mistake)i;
    return MISTAKE_COUNT_;
}

const char *explain_verdict_str(explain_verdict v) {
    switch (v) {
    case EXPLAIN_VALID: return "valid";
    case EXPLAIN_INVALID: return "invalid";
    case EXPLAIN_MISSING: return "missing";
    }
    return "invalid";
}

const char *explain_basis_str(explain_basis b) {
    static const char *names[] = {"none", "verified", "expected", "shape", "request"};
    return (unsigned)b < 5 ? names[b] : "none";
}

void explain_init(explain_result *r) {
    memset(r, 0, sizeof(*r));
    params_init(&r->params);
}

void explain_set_candidates(explain_result *r, const explain_candidate *c, size_t n) {
    r->cands = c;
    r->ncands = n > EXPLAIN_MAX_CANDIDATES ? EXPLAIN_MAX_CANDIDATES : n;
}

void explain_free(explain_result *r) {
    params_free(&r->params);
    buf_free(&r->payload);
    buf_free(&r->sig_wire);
    buf_free(&r->sig_received);
    buf_free(&r->sig_expected);
    buf_free(&r->mistake_payload);
    buf_free(&r->mistake_sig);
    explain_init(r);
}

/* ---- hypothesis plumbing ----------------------------------------------- */

int ex_set(ex_ctx *c, explain_mistake m, explain_basis b, const char *p, size_t pn,
                  const char *s, size_t sn) {
    explain_result *r = c->r;
    r->mistake = m;
    r->basis = b;
    buf_reset(&r->mistake_payload);
    buf_reset(&r->mistake_sig);
    if (buf_append(&r->mistake_payload, p ? p : "", p ? pn : 0) < 0 ||
        buf_append(&r->mistake_sig, s ? s : "", s ? sn : 0) < 0)
        c->oom = 1;
    return 1;
}

/* 1 (and the result set) if sig verifies over payload. */
static int ex_try(ex_ctx *c, explain_mistake m, const buf_t *payload, const char *s, size_t sn) {
    c->r->attempts++;
    if (!sig_verify(c->k, buf_cstr(payload), payload->len, s, sn)) return 0;
    return ex_set(c, m, EXPLAIN_BASIS_VERIFIED, buf_cstr(payload), payload->len, s, sn);
}

int ex_try_payload(ex_ctx *c, explain_mistake m, const buf_t *cand) {
    const buf_t *rs = c->sig_alt ? c->sig_alt : &c->r->sig_received;
    if (cand->len == c->r->payload.len && !memcmp(buf_cstr(cand), buf_cstr(&c->r->payload), cand->len))
        return 0;                                     /* same bytes: nothing new to learn */
    return ex_try(c, m, cand, buf_cstr(rs), rs->len);
}

static int ex_try_sig(ex_ctx *c, explain_mistake m, const buf_t *sig) {
    return ex_try(c, m, &c->r->payload, buf_cstr(sig), sig->len);
}

/* ---- signature shapes -------------------------------------------------- */

static int is_hex(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i]) return 0;
    return 1;
}

static int is_b64_alpha(const char *s, size_t n) {      /* base64 alphabet, '=' tail allowed */
    size_t i = 0;
    for (; i < n && s[i] && strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", s[i]); i++) {}
    for (; i < n && s[i] == '='; i++) {}
    return i == n;
}

/* Length of a complete signature of key k. */
static size_t sig_full_len(const sig_key *k) {
    switch (sig_key_type(k)) {
    case SIG_HMAC: return 64;
    case SIG_ED25519: return 88;
    case SIG_RSA: return 4 * (((size_t)(sig_key_bits(k) + 7) / 8 + 2) / 3);
    default: return 0;
    }
}

static int ex_shape_sig_len(size_t n) { return n == 88 || n == 344 || n == 684 || n == 64; }

/* The algorithm a signature's shape belongs to: 64 hex, 88 / 344 / 684 base64. */
static sig_type shape_type(const char *s, size_t n) {
    if (n == 64) return is_hex(s, n) ? SIG_HMAC : SIG_NONE;
    if (!ex_shape_sig_len(n)) return SIG_NONE;
    buf_t raw = BUF_INIT;
    int b64 = sig_b64_decode(&raw, s, n) == 0;
    buf_free(&raw);
    return !b64 ? SIG_NONE : n == 88 ? SIG_ED25519 : SIG_RSA;
}

/* Another algorithm's signature shape. An RSA signature of the other size
 * is the same type with another key: not this mistake (a note says so). */
static int ex_wrong_type(ex_ctx *c) {
    const buf_t *rs = &c->r->sig_received;
    const char *s = buf_cstr(rs);
    size_t n = rs->len;
    sig_type st = shape_type(s, n), kt = sig_key_type(c->k);
    if (st == SIG_NONE) return 0;
    if (st == kt) {
        if (kt == SIG_RSA && n != sig_full_len(c->k))
            c->r->note = "the signature has the length of another RSA key size: signed with a different RSA key";
        return 0;
    }
    return ex_set(c, MISTAKE_WRONG_KEY_TYPE, EXPLAIN_BASIS_SHAPE, NULL, 0, s, n);
}

static int ex_truncated(ex_ctx *c) {
    explain_result *r = c->r;
    const char *s = buf_cstr(&r->sig_received);
    size_t n = r->sig_received.len, full = sig_full_len(c->k);
    if (n == 0 || n >= full) return 0;
    if (r->has_expected) {
        int hmac = sig_key_type(c->k) == SIG_HMAC;
        if ((hmac ? strncasecmp(s, r->sig_expected.data, n) : memcmp(s, r->sig_expected.data, n)) != 0)
            return 0;
        return ex_set(c, MISTAKE_TRUNCATED, EXPLAIN_BASIS_EXPECTED, NULL, 0, r->sig_expected.data, full);
    }
    int ok = sig_key_type(c->k) == SIG_HMAC ? is_hex(s, n) : is_b64_alpha(s, n);
    if (!ok || ex_shape_sig_len(n)) return 0;
    return ex_set(c, MISTAKE_TRUNCATED, EXPLAIN_BASIS_SHAPE, NULL, 0, s, n);
}

static int ex_hmac_base64(ex_ctx *c) {
    const buf_t *rs = &c->r->sig_received;
    if (sig_key_type(c->k) != SIG_HMAC || rs->len != 44) return 0;
    buf_t raw = BUF_INIT, hex = BUF_INIT;
    int hit = 0;
    if (sig_b64_decode(&raw, buf_cstr(rs), rs->len) == 0 && raw.len == 32) {
        static const char hx[] = "0123456789abcdef";
        for (size_t i = 0; i < 32; i++) {
            buf_putc(&hex, hx[(unsigned char)raw.data[i] >> 4]);
            buf_putc(&hex, hx[(unsigned char)raw.data[i] & 15]);
        }
        hit = hex.len == 64 && ex_try_sig(c, MISTAKE_HMAC_BASE64, &hex);
    }
    buf_free(&raw);
    buf_free(&hex);
    return hit;
}

/* The received signature repaired from a transport mistake: which=0 '+'
 * read as space, which=1 percent-encoded once too often. 1 if it applies. */
static int sig_repair(const buf_t *rs, int which, buf_t *t) {
    const char *s = buf_cstr(rs);
    buf_reset(t);
    if (which == 0) {
        if (!memchr(s, ' ', rs->len)) return 0;
        for (size_t i = 0; i < rs->len; i++)
            if (buf_putc(t, s[i] == ' ' ? '+' : s[i]) < 0) return 0;
        return 1;
    }
    return memchr(s, '%', rs->len) && pct_decode(t, s, rs->len, 0, NULL) == PCT_OK;
}

static int ex_sig_encoding(ex_ctx *c, explain_mistake enc_id) {
    buf_t t = BUF_INIT;
    int hit = 0;
    for (int which = 0; which < 2 && !hit; which++)
        if (sig_repair(&c->r->sig_received, which, &t))
            hit = ex_try_sig(c, which == 0 ? MISTAKE_PLUS_AS_SPACE : enc_id, &t);
    buf_free(&t);
    return hit;
}

/* Two mistakes at once: a payload mistake and a mangled signature. The
 * payload mistake is reported; a note names the signature's. */
static int ex_combined(ex_ctx *c, int (*payload_hyp)(ex_ctx *, const void *), const void *arg) {
    buf_t t = BUF_INIT;
    int hit = 0;
    for (int which = 0; which < 2 && !hit; which++) {
        if (!sig_repair(&c->r->sig_received, which, &t)) continue;
        c->sig_alt = &t;
        hit = payload_hyp(c, arg);
        c->sig_alt = NULL;
        if (hit)
            c->r->note = which == 0 ? "and the signature was not percent-encoded: its '+' arrived as a space"
                                    : "and the signature was percent-encoded twice";
    }
    buf_free(&t);
    return hit;
}

/* Letters' case flipped in RSA/Ed25519 base64. With the private key the
 * expected signature shows it directly; with a public key: every single
 * flip, then every combination of the first CASE_FLIP_HEAD letters, all
 * within EXPLAIN_MAX_FLIPS verifies. */
#define CASE_FLIP_HEAD 6

static int is_letter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

static int ex_case_flip(ex_ctx *c) {
    explain_result *r = c->r;
    const buf_t *rs = &r->sig_received;
    if (sig_key_type(c->k) == SIG_HMAC || rs->len != sig_full_len(c->k)) return 0;
    if (r->has_expected) {
        if (r->sig_expected.len != rs->len || strcasecmp(r->sig_expected.data, buf_cstr(rs)) != 0) return 0;
        return ex_set(c, MISTAKE_CASE_FLIPPED, EXPLAIN_BASIS_EXPECTED, NULL, 0, r->sig_expected.data,
                      r->sig_expected.len);
    }
    buf_t t = BUF_INIT;
    if (buf_append(&t, buf_cstr(rs), rs->len) < 0) { c->oom = 1; return 0; }
    unsigned tries = 0;
    int hit = 0;
    size_t head[CASE_FLIP_HEAD], nh = 0;
    for (size_t i = 0; i < t.len && !hit && tries < EXPLAIN_MAX_FLIPS; i++) {
        if (!is_letter(t.data[i])) continue;
        if (nh < CASE_FLIP_HEAD) head[nh++] = i;
        t.data[i] ^= 32;
        tries++;
        hit = ex_try_sig(c, MISTAKE_CASE_FLIPPED, &t);
        t.data[i] ^= 32;
    }
    for (unsigned m = 1; m < (1u << nh) && !hit && tries < EXPLAIN_MAX_FLIPS; m++) {
        if (!(m & (m - 1))) continue;                    /* single flips done above */
        for (size_t j = 0; j < nh; j++) if (m >> j & 1) t.data[head[j]] ^= 32;
        tries++;
        hit = ex_try_sig(c, MISTAKE_CASE_FLIPPED, &t);
        for (size_t j = 0; j < nh; j++) if (m >> j & 1) t.data[head[j]] ^= 32;
    }
    buf_free(&t);
    return hit;
}

/* ---- payload rewrites -------------------------------------------------- */

static int hexv(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Decode only the escapes of non-ASCII bytes (%80..%FF): the raw UTF-8 the client signed. */
static int rw_decode_nonascii(buf_t *out, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexv(s[i + 1])) >= 8 && (lo = hexv(s[i + 2])) >= 0) {
            if (buf_putc(out, (char)(hi << 4 | lo)) < 0) return -1;
            i += 2;
        } else if (buf_putc(out, s[i]) < 0) {
            return -1;
        }
    }
    return buf_append(out, "", 0);
}

/* Flip the hex digits of every %XX escape to upper (up=1) or lower case. */
static int rw_escape_case(buf_t *out, const char *s, size_t n, int up) {
    if (buf_append(out, s, n) < 0) return -1;
    for (size_t i = 0; i + 2 < out->len; i++) {
        if (out->data[i] != '%' || hexv(out->data[i + 1]) < 0 || hexv(out->data[i + 2]) < 0) continue;
        for (int j = 1; j <= 2; j++) {
            char *ch = &out->data[i + j];
            if (up && *ch >= 'a' && *ch <= 'f') *ch -= 32;
            if (!up && *ch >= 'A' && *ch <= 'F') *ch += 32;
        }
    }
    return 0;
}

typedef struct seg { const char *s; size_t n; size_t idx; } seg;

static int seg_cmp(const void *a, const void *b) {
    const seg *x = a, *y = b;
    const char *ex = memchr(x->s, '=', x->n), *ey = memchr(y->s, '=', y->n);
    size_t nx = ex ? (size_t)(ex - x->s) : x->n, ny = ey ? (size_t)(ey - y->s) : y->n;
    int c = memcmp(x->s, y->s, nx < ny ? nx : ny);
    if (c) return c;
    if (nx != ny) return nx < ny ? -1 : 1;
    return x->idx < y->idx ? -1 : 1;
}

/* The '&'-separated pairs of a and b (non-empty), sorted by name, joined by '&'. */
static int rw_sorted(buf_t *out, const buf_t *a, const buf_t *b) {
    size_t cap = 2;
    for (size_t i = 0; i < a->len; i++) cap += a->data[i] == '&';
    for (size_t i = 0; i < b->len; i++) cap += b->data[i] == '&';
    seg *v = calloc(cap, sizeof(*v));
    if (!v) return -1;
    size_t nv = 0;
    const buf_t *parts[2] = {a, b};
    for (int p = 0; p < 2; p++) {
        const char *s = buf_cstr(parts[p]);
        size_t n = parts[p]->len, i = 0;
        while (i < n && nv < cap) {
            const char *amp = memchr(s + i, '&', n - i);
            size_t end = amp ? (size_t)(amp - s) : n;
            if (end > i) v[nv] = (seg){s + i, end - i, nv}, nv++;
            i = end + 1;
        }
    }
    qsort(v, nv, sizeof(*v), seg_cmp);
    int rc = 0;
    for (size_t i = 0; i < nv && rc == 0; i++) {
        if (i) rc = buf_putc(out, '&');
        if (rc == 0) rc = buf_append(out, v[i].s, v[i].n);
    }
    free(v);
    return rc < 0 ? -1 : buf_append(out, "", 0);
}

/* ---- REST -------------------------------------------------------------- */

static int ex_rest_payloads(ex_ctx *c, const char *q, size_t qn, const char *b, size_t bn) {
    explain_result *r = c->r;
    buf_t qp = BUF_INIT, bp = BUF_INIT, t = BUF_INIT;
    int hit = 0;
    payload_rest(&qp, q, qn, NULL, 0, NULL);           /* each part without its signature pair */
    payload_rest(&bp, b, bn, NULL, 0, NULL);
    const char *p = buf_cstr(&r->payload);
    size_t pn = r->payload.len;
    if (!hit && rw_decode_nonascii(&t, p, pn) == 0) hit = ex_try_payload(c, MISTAKE_RAW_UTF8, &t);
    buf_reset(&t);
    if (!hit && pct_decode(&t, p, pn, 1, NULL) == PCT_OK) hit = ex_try_payload(c, MISTAKE_RAW_UTF8, &t);
    buf_reset(&t);
    if (!hit && qp.len && bp.len && buf_append(&t, qp.data, qp.len) == 0 && buf_putc(&t, '&') == 0 &&
        buf_append(&t, bp.data, bp.len) == 0)
        hit = ex_try_payload(c, MISTAKE_AMP_BETWEEN, &t);
    buf_reset(&t);
    if (!hit && rw_sorted(&t, &qp, &bp) == 0) hit = ex_try_payload(c, MISTAKE_SORTED_COPY, &t);
    for (int up = 0; up < 2 && !hit; up++) {
        buf_reset(&t);
        if (rw_escape_case(&t, p, pn, up) == 0) hit = ex_try_payload(c, MISTAKE_HEX_CASE_ESCAPES, &t);
    }
    const buf_t *parts[2] = {&qp, &bp};
    if (!hit) hit = ex_encoding_mismatch(c, &r->payload);
    if (!hit) hit = ex_added_after_signing(c, parts, 2);
    if (!hit) hit = ex_timestamp_changed(c, parts, 2);
    buf_free(&qp);
    buf_free(&bp);
    buf_free(&t);
    return hit;
}

static void ex_expected(ex_ctx *c) {
    explain_result *r = c->r;
    if (!sig_key_has_private(c->k)) return;
    if (sig_sign(c->k, buf_cstr(&r->payload), r->payload.len, &r->sig_expected, NULL, 0) == 0)
        r->has_expected = 1;
}

static void ex_key_info(explain_result *r, const sig_key *k) {
    r->key_type = sig_key_type(k);
    r->key_bits = sig_key_bits(k);
    sig_key_fingerprint(k, r->key_fingerprint);
}

/* Common tail: verdict on the canonical payload, then the hypotheses. */
static void ex_diagnose(ex_ctx *c, explain_mistake sig_enc_id,
                        int (*payload_hyp)(ex_ctx *, const void *), const void *arg) {
    explain_result *r = c->r;
    const buf_t *rs = &r->sig_received;
    ex_expected(c);
    r->attempts++;
    int ok = sig_verify(c->k, buf_cstr(&r->payload), r->payload.len, buf_cstr(rs), rs->len);
    if (r->pstatus == PAYLOAD_SIG_TWICE) {
        ex_set(c, MISTAKE_SIG_TWICE, EXPLAIN_BASIS_REQUEST, r->payload.data, r->payload.len, NULL, 0);
        return;
    }
    if (ok && r->pstatus == PAYLOAD_SIG_NOT_LAST) {
        ex_set(c, MISTAKE_SIG_NOT_LAST, EXPLAIN_BASIS_VERIFIED, buf_cstr(&r->payload), r->payload.len,
               buf_cstr(rs), rs->len);
        return;
    }
    if (ok) {
        r->verdict = EXPLAIN_VALID;
        r->mistake = MISTAKE_NONE;
        if (r->key_type == SIG_HMAC && strpbrk(buf_cstr(rs), "ABCDEF"))
            r->note = "upper-case HMAC hex: accepted (HMAC signatures are case-insensitive), not a mistake";
        return;
    }
    if (ex_sig_encoding(c, sig_enc_id) || ex_hmac_base64(c) || ex_secret_whitespace(c) ||
        ex_other_key(c) || ex_truncated(c) || ex_wrong_type(c) ||
        payload_hyp(c, arg) || ex_case_flip(c) || ex_combined(c, payload_hyp, arg))
        return;
    ex_set(c, MISTAKE_UNKNOWN, EXPLAIN_BASIS_NONE, NULL, 0, NULL, 0);
}

typedef struct rest_arg { const char *q; size_t qn; const char *b; size_t bn; } rest_arg;

static int ex_rest_hyp(ex_ctx *c, const void *arg) {
    const rest_arg *a = arg;
    return ex_rest_payloads(c, a->q, a->qn, a->b, a->bn);
}

int explain_rest(explain_result *r, const sig_key *k, const char *query, size_t qlen,
                 const char *body, size_t blen) {
    ex_ctx c = {.r = r, .k = k};
    r->mode = EXPLAIN_REST;
    r->verdict = EXPLAIN_INVALID;
    ex_key_info(r, k);
    if (!query) qlen = 0;
    if (!body) blen = 0;
    if (params_parse(&r->params, query ? query : "", qlen, PARAM_QUERY, 0) == -1 ||
        params_parse(&r->params, body ? body : "", blen, PARAM_BODY, 0) == -1)
        return -1;
    payload_sig ps;
    r->pstatus = payload_rest(&r->payload, query, qlen, body, blen, &ps);
    if (r->pstatus == PAYLOAD_OOM) return -1;
    if (buf_append(&r->payload, "", 0) < 0) return -1;
    if (r->pstatus == PAYLOAD_NO_SIGNATURE) {
        r->verdict = EXPLAIN_MISSING;
        ex_expected(&c);
        return c.oom ? -1 : 0;
    }
    if (buf_append(&r->sig_wire, ps.raw, ps.raw_len) < 0) return -1;
    if (pct_decode(&r->sig_received, ps.raw, ps.raw_len, 1, NULL) == PCT_OOM) return -1;
    if (buf_append(&r->sig_received, "", 0) < 0) return -1;
    rest_arg a = {query, qlen, body, blen};
    ex_diagnose(&c, MISTAKE_DOUBLE_ENCODED, ex_rest_hyp, &a);
    return c.oom ? -1 : 0;
}

/* ---- WebSocket API ------------------------------------------------------ */

static int is_name(const param_t *p, const char *n) { return !strcmp(p->name, n); }

/* Join the pairs in v (skipping signature and, if skip, that name), values
 * percent-encoded when enc. */
static int ws_join(buf_t *out, const param_t **v, size_t n, const char *skip, int enc) {
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (is_name(v[i], "signature") || (skip && is_name(v[i], skip))) continue;
        if (!first && buf_putc(out, '&') < 0) return -1;
        first = 0;
        if ((enc ? pct_encode(out, v[i]->name, v[i]->name_len) : buf_append(out, v[i]->name, v[i]->name_len)) < 0 ||
            buf_putc(out, '=') < 0 ||
            (enc ? pct_encode(out, v[i]->value, v[i]->value_len) : buf_append(out, v[i]->value, v[i]->value_len)) < 0)
            return -1;
    }
    return buf_append(out, "", 0);
}

static int ex_ws_hyp(ex_ctx *c, const void *arg) {
    const params_t *p = arg;
    const param_t **sorted = params_sorted(p);
    const param_t **arrival = calloc(p->n ? p->n : 1, sizeof(*arrival));
    buf_t t = BUF_INIT;
    int hit = 0;
    if (!sorted || !arrival) {
        c->oom = 1;
        goto done;
    }
    for (size_t i = 0; i < p->n; i++) arrival[i] = &p->v[i];
    if (ws_join(&t, sorted, p->n, NULL, 1) == 0) hit = ex_try_payload(c, MISTAKE_WS_PERCENT_ENCODED, &t);
    buf_reset(&t);
    if (!hit && ws_join(&t, arrival, p->n, NULL, 0) == 0) hit = ex_try_payload(c, MISTAKE_WS_UNSORTED, &t);
    buf_reset(&t);
    if (!hit && params_value(p, "apiKey") && ws_join(&t, sorted, p->n, "apiKey", 0) == 0)
        hit = ex_try_payload(c, MISTAKE_WS_MISSING_APIKEY, &t);
    const buf_t *parts[1] = {&c->r->payload};
    if (!hit) hit = ex_added_after_signing(c, parts, 1);
    if (!hit) hit = ex_timestamp_changed(c, parts, 1);
done:
    free(sorted);
    free(arrival);
    buf_free(&t);
    return hit;
}

int explain_ws(explain_result *r, const sig_key *k, const params_t *p) {
    ex_ctx c = {.r = r, .k = k};
    r->mode = EXPLAIN_WS;
    r->verdict = EXPLAIN_INVALID;
    r->ws_params = p;
    ex_key_info(r, k);
    if (payload_ws(&r->payload, p) < 0) return -1;
    const char *sig = params_value(p, "signature");
    size_t nsig = 0;
    for (size_t i = 0; i < p->n; i++) nsig += is_name(&p->v[i], "signature");
    r->pstatus = !sig ? PAYLOAD_NO_SIGNATURE : nsig > 1 ? PAYLOAD_SIG_TWICE : PAYLOAD_OK;
    if (!sig) {
        r->verdict = EXPLAIN_MISSING;
        ex_expected(&c);
        return c.oom ? -1 : 0;
    }
    const param_t *sp = params_get(p, "signature");
    if (buf_append(&r->sig_wire, sp->value, sp->value_len) < 0 ||
        buf_append(&r->sig_received, sp->value, sp->value_len) < 0)
        return -1;
    ex_diagnose(&c, MISTAKE_WS_SIG_ENCODED, ex_ws_hyp, p);
    return c.oom ? -1 : 0;
}
