/* gen_rest: rest_hmac_sha256.json, rest_rsa.json, rest_ed25519.json. Each
 * parameter set is sent in every shape its method allows (query / body /
 * split / signature-only-in-body), then the known client mistakes are
 * applied to a selection of them; the documentation examples H1-H4 open the
 * HMAC file with the docs' key. */
#include "gen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SH_QUERY, SH_BODY, SH_SPLIT, SH_SIG_BODY, SH__N };
static const char *shape_flag[] = {"QueryOnly", "BodyOnly", "QueryAndBody", "SignatureInBody"};
static const char *shape_name[] = {"all in query", "all in body", "split query/body", "signature alone in body"};

/* A REST request being built: params-only parts, then the wire. */
typedef struct rreq {
    const char *method, *path;
    buf_t q, b;          /* parameters without the signature */
    buf_t payload;       /* what the server verifies */
} rreq;

static void rreq_free(rreq *r) {
    buf_free(&r->q);
    buf_free(&r->b);
    buf_free(&r->payload);
}

/* Lay out the parameters of ps in shape sh; enc=0 leaves values raw. */
static void rreq_build(rreq *r, const gen_pset *ps, int sh, int enc) {
    memset(r, 0, sizeof(*r));
    r->method = ps->method;
    r->path = ps->path;
    size_t k = sh == SH_SPLIT ? ps->n / 2 : sh == SH_BODY ? 0 : ps->n;
    gen_join(&r->q, ps->kv, k, enc);
    gen_join(&r->b, ps->kv + k, ps->n - k, enc);
    buf_append(&r->payload, r->q.data ? r->q.data : "", r->q.len);
    buf_append(&r->payload, r->b.data ? r->b.data : "", r->b.len);
}

static int shape_ok(const gen_pset *ps, int sh) {
    if (ps->traits & GT_QUERY_ONLY) return sh == SH_QUERY;
    if (strcmp(ps->method, "DELETE") == 0) return sh == SH_QUERY || sh == SH_BODY;
    return 1;
}

/* Append "signature=<wire>" to the part that carries it (the body for
 * SH_BODY/SH_SPLIT/SH_SIG_BODY); not_last puts it before that part's last pair. */
static void wire_part(buf_t *out, const buf_t *part, const char *sigwire, int carries, int not_last) {
    const char *s = buf_cstr((buf_t *)part);
    if (!carries) { buf_puts(out, s); return; }
    if (not_last) {
        const char *amp = strrchr(s, '&');
        if (!amp) gen_die("signature-not-last needs two pairs");
        buf_append(out, s, (size_t)(amp - s));
        buf_printf(out, "&signature=%s%s", sigwire, amp);
        return;
    }
    buf_printf(out, "%s%ssignature=%s", s, part->len ? "&" : "", sigwire);
}

typedef struct rtest {
    const char *comment;
    const char *const *flags;
    int sh;
    const char *sigwire;     /* the signature as written on the wire */
    const char *sigserver;   /* the signature as the server decodes it */
    const char *result;      /* valid / invalid / acceptable */
    const char *mistake;     /* NULL for valid */
    const char *signed_payload; /* what the client signed, when not the payload */
    int not_last;
    int twice;               /* the signature in both query and body */
} rtest;

static void emit(gen_file *f, cJSON *g, rreq *r, const rtest *t) {
    buf_t q = BUF_INIT, b = BUF_INIT;
    int in_query = t->sh == SH_QUERY;
    wire_part(&q, &r->q, t->sigwire, in_query || t->twice, t->not_last && in_query);
    wire_part(&b, &r->b, t->sigwire, !in_query || t->twice, t->not_last && !in_query);
    if (t->sh == SH_SIG_BODY) {     /* params in query, signature alone in the body */
        buf_reset(&q);
        buf_puts(&q, buf_cstr(&r->q));
    }
    cJSON *o = gen_test(f, g, t->comment, t->flags);
    cJSON_AddStringToObject(o, "method", r->method);
    cJSON_AddStringToObject(o, "path", r->path);
    cJSON_AddStringToObject(o, "apiKey", cJSON_GetStringValue(cJSON_GetObjectItem(g, "apiKey")));
    cJSON_AddStringToObject(o, "query", buf_cstr(&q));
    cJSON_AddStringToObject(o, "body", buf_cstr(&b));
    cJSON_AddStringToObject(o, "payload", buf_cstr(&r->payload));
    cJSON_AddStringToObject(o, "signature", t->sigserver);
    cJSON_AddStringToObject(o, "result", t->result);
    if (t->signed_payload) cJSON_AddStringToObject(o, "signedPayload", t->signed_payload);
    if (t->mistake) {
        cJSON_AddStringToObject(o, "mistake", t->mistake);
        gen_test_error(o, ERR_INVALID_SIGNATURE, NULL, NULL);
    }
    buf_free(&q);
    buf_free(&b);
}

static const char *content_flag(const gen_pset *ps) {
    return (ps->traits & GT_NONASCII) ? "NonAscii" : (ps->traits & GT_RESERVED) ? "ReservedChars" : "Ascii";
}

static void valid_tests(gen_file *f, cJSON *g, const gen_key *k) {
    const gen_pset *ps;
    size_t n = gen_psets_rest(&ps);
    for (size_t i = 0; i < n; i++) {
        for (int sh = 0; sh < SH__N; sh++) {
            if (!shape_ok(&ps[i], sh)) continue;
            rreq r;
            rreq_build(&r, &ps[i], sh, 1);
            buf_t sig = BUF_INIT, wire = BUF_INIT;
            gen_sign(k, r.payload.data, r.payload.len, &sig);
            gen_pct(&wire, sig.data, sig.len);
            char comment[256];
            snprintf(comment, sizeof(comment), "%s %s: %s, %s", ps[i].method, ps[i].path,
                     ps[i].comment, shape_name[sh]);
            const char *flags[] = {content_flag(&ps[i]), shape_flag[sh],
                                   strstr(ps[i].id, "-us") ? "Microseconds" : NULL, NULL};
            rtest t = {comment, flags, sh, wire.data, sig.data, "valid", NULL, NULL, 0, 0};
            emit(f, g, &r, &t);
            buf_free(&sig);
            buf_free(&wire);
            rreq_free(&r);
        }
    }
}

/* One invalid test: sign `signed_bytes` (or use `sig_override`), put it on
 * the wire as `wire_fn` says, with the request laid out as (ps, sh). */
typedef enum { WIRE_PCT, WIRE_RAW, WIRE_DOUBLE } wire_mode;

static void bad_test(gen_file *f, cJSON *g, const gen_key *k, const gen_pset *ps, int sh,
                     const char *comment, const char *flag, const char *mistake,
                     const char *signed_bytes, const char *sig_override, wire_mode wm, int not_last,
                     const char *result) {
    rreq r;
    rreq_build(&r, ps, sh, 1);
    buf_t sig = BUF_INIT, wire = BUF_INIT, server = BUF_INIT;
    if (sig_override) buf_puts(&sig, sig_override);
    else gen_sign(k, signed_bytes ? signed_bytes : r.payload.data,
                  signed_bytes ? strlen(signed_bytes) : r.payload.len, &sig);
    if (wm == WIRE_RAW) {
        buf_puts(&wire, sig.data);
        for (size_t i = 0; i < sig.len; i++) buf_putc(&server, sig.data[i] == '+' ? ' ' : sig.data[i]);
    } else if (wm == WIRE_DOUBLE) {
        gen_pct(&server, sig.data, sig.len);
        gen_pct(&wire, server.data, server.len);
    } else {
        gen_pct(&wire, sig.data, sig.len);
        buf_puts(&server, sig.data);
    }
    const char *flags[] = {flag, content_flag(ps), shape_flag[sh], NULL};
    char c[300];
    snprintf(c, sizeof(c), "%s (%s %s, %s)", comment, ps->method, ps->path, shape_name[sh]);
    const char *sp = signed_bytes && strcmp(signed_bytes, r.payload.data) ? signed_bytes : NULL;
    rtest t = {c, flags, sh, wire.data, server.data, result ? result : "invalid",
               result ? NULL : mistake, sp, not_last, 0};
    emit(f, g, &r, &t);
    buf_free(&sig);
    buf_free(&wire);
    buf_free(&server);
    rreq_free(&r);
}

static const gen_pset *pset(const char *id) {
    const gen_pset *ps;
    size_t n = gen_psets_rest(&ps);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ps[i].id, id) == 0) return &ps[i];
    gen_die("no parameter set %s", id);
}

static void mistakes_payload(gen_file *f, cJSON *g, const gen_key *k) {
    static const char *raw_ids[] = {"testnet-unicode", "fullwidth", "clientid-reserved",
                                    "clientid-space", "mytrades-fullwidth", "cancel-unicode"};
    for (size_t i = 0; i < 6; i++) {
        const gen_pset *ps = pset(raw_ids[i]);
        buf_t raw = BUF_INIT;
        gen_join(&raw, ps->kv, ps->n, 0);
        bad_test(f, g, k, ps, SH_QUERY, "signed the raw text, sent it percent-encoded",
                 "RawUtf8Signed", MK_RAW_UTF8, raw.data, NULL, WIRE_PCT, 0, NULL);
        buf_free(&raw);
    }
    static const char *amp_ids[] = {"limit-ltcbtc", "testnet-unicode", "stop-limit-us", "iceberg"};
    for (size_t i = 0; i < 4; i++) {
        const gen_pset *ps = pset(amp_ids[i]);
        rreq r;
        rreq_build(&r, ps, SH_SPLIT, 1);
        buf_t amp = BUF_INIT;
        buf_printf(&amp, "%s&%s", buf_cstr(&r.q), buf_cstr(&r.b));
        bad_test(f, g, k, ps, SH_SPLIT, "signed query + '&' + body", "AmpersandJoin", MK_AMP_JOIN,
                 amp.data, NULL, WIRE_PCT, 0, NULL);
        buf_free(&amp);
        rreq_free(&r);
    }
    static const struct { const char *id; int sh; } sorted[] = {
        {"limit-ltcbtc", SH_QUERY}, {"market-quote", SH_BODY}, {"account", SH_QUERY},
        {"cancel", SH_BODY}, {"clientid-reserved", SH_QUERY}};
    for (size_t i = 0; i < 5; i++) {
        const gen_pset *ps = pset(sorted[i].id);
        buf_t s = BUF_INIT;
        gen_join_sorted(&s, ps->kv, ps->n, 1);
        bad_test(f, g, k, ps, sorted[i].sh, "signed a sorted copy, sent in insertion order",
                 "SortedCopy", MK_SORTED_REST, s.data, NULL, WIRE_PCT, 0, NULL);
        buf_free(&s);
    }
}

static void sig_twice_test(gen_file *f, cJSON *g, const gen_key *k) {
    const gen_pset *ps = pset("limit-ltcbtc");
    rreq r;
    rreq_build(&r, ps, SH_SPLIT, 1);
    buf_t sig = BUF_INIT, wire = BUF_INIT;
    gen_sign(k, r.payload.data, r.payload.len, &sig);
    gen_pct(&wire, sig.data, sig.len);
    const char *flags[] = {"SignatureTwice", "Ascii", "QueryAndBody", NULL};
    rtest t = {"the same signature sent in both query and body (POST /api/v3/order, split query/body)",
               flags, SH_SPLIT, wire.data, sig.data, "invalid", MK_SIG_TWICE, NULL, 0, 1};
    emit(f, g, &r, &t);
    buf_free(&sig);
    buf_free(&wire);
    rreq_free(&r);
}

static void mistakes_transport(gen_file *f, cJSON *g, const gen_key *k, const gen_key *other_type,
                               const gen_key *same_type_other) {
    sig_twice_test(f, g, k);
    bad_test(f, g, k, pset("limit-ltcbtc"), SH_QUERY, "signature pair in the middle of the query",
             "SignatureNotLast", MK_SIG_NOT_LAST, NULL, NULL, WIRE_PCT, 1, NULL);
    bad_test(f, g, k, pset("market-quote"), SH_BODY, "signature pair in the middle of the body",
             "SignatureNotLast", MK_SIG_NOT_LAST, NULL, NULL, WIRE_PCT, 1, NULL);
    static const char *trunc_ids[] = {"open-orders", "cancel"};
    for (size_t i = 0; i < 2; i++) {
        const gen_pset *ps = pset(trunc_ids[i]);
        rreq r;
        rreq_build(&r, ps, SH_QUERY, 1);
        buf_t sig = BUF_INIT;
        gen_sign(k, r.payload.data, r.payload.len, &sig);
        sig.data[sig.len - (k->type == GK_HMAC ? 1 + i : 4 * (i + 1))] = '\0';
        bad_test(f, g, k, ps, SH_QUERY, "signature truncated", "Truncated", MK_TRUNCATED, NULL,
                 sig.data, WIRE_PCT, 0, NULL);
        buf_free(&sig);
        rreq_free(&r);
    }
    {   /* wrong key type: the right payload, signed with another kind of key */
        const gen_pset *ps = pset("order-test");
        rreq r;
        rreq_build(&r, ps, SH_BODY, 1);
        buf_t sig = BUF_INIT;
        gen_sign(other_type, r.payload.data, r.payload.len, &sig);
        char c[128];
        snprintf(c, sizeof(c), "signed with a %s key", other_type->type == GK_HMAC ? "HMAC" : other_type->type == GK_RSA ? "RSA" : "Ed25519");
        bad_test(f, g, k, ps, SH_BODY, c, "WrongKeyType", MK_WRONG_KEY_TYPE, NULL, sig.data,
                 WIRE_PCT, 0, NULL);
        buf_free(&sig);
        rreq_free(&r);
    }
    {   /* another key of the same type: nothing to explain */
        const gen_pset *ps = pset("account");
        rreq r;
        rreq_build(&r, ps, SH_QUERY, 1);
        buf_t sig = BUF_INIT;
        gen_sign(same_type_other, r.payload.data, r.payload.len, &sig);
        bad_test(f, g, k, ps, SH_QUERY, "signed with a different key of the same type", "WrongKey",
                 MK_UNKNOWN, NULL, sig.data, WIRE_PCT, 0, NULL);
        buf_free(&sig);
        rreq_free(&r);
    }
}

/* payload with every occurrence of `from` replaced by `to` (gen_die if none). */
static void gen_replace(buf_t *out, const char *payload, const char *from, const char *to) {
    size_t fl = strlen(from);
    int n = 0;
    for (const char *p = payload; *p;) {
        if (!strncmp(p, from, fl)) {
            buf_puts(out, to);
            p += fl;
            n++;
        } else {
            buf_putc(out, *p++);
        }
    }
    if (!n) gen_die("gen_replace: '%s' not in '%s'", from, payload);
}

/* The mistakes of issue 11: a value signed in another percent-encoding, a
 * regenerated timestamp, recvWindow added after signing, the HMAC secret
 * with its trailing newline, another registered key (named in
 * candidateKeyFile: the key explain is given to try). */
static void mistakes_issue11(gen_file *f, cJSON *g, const gen_key *k, const gen_key *other) {
    rreq r;
    buf_t a = BUF_INIT, b = BUF_INIT, sig = BUF_INIT;
    rreq_build(&r, pset("clientid-space"), SH_QUERY, 1);
    gen_replace(&a, r.payload.data, "%20", "+");
    gen_replace(&b, a.data, "~", "%7E");
    bad_test(f, g, k, pset("clientid-space"), SH_QUERY,
             "signed a space as + and ~ as %7E, sent %20 and ~", "EncodingMismatch", MK_ENCODING,
             b.data, NULL, WIRE_PCT, 0, NULL);
    rreq_free(&r);
    buf_reset(&a);
    rreq_build(&r, pset("account"), SH_QUERY, 1);
    {
        const char *ts = strstr(r.payload.data, "timestamp=");
        if (!ts) gen_die("account: no timestamp");
        unsigned long long v = strtoull(ts + 10, NULL, 10);
        char from[40], to[40];
        snprintf(from, sizeof from, "timestamp=%llu", v);
        snprintf(to, sizeof to, "timestamp=%llu", v - 7);
        gen_replace(&a, r.payload.data, from, to);
        bad_test(f, g, k, pset("account"), SH_QUERY, "signed with timestamp 7 ms earlier than the one sent",
                 "TimestampChanged", MK_TS_CHANGED, a.data, NULL, WIRE_PCT, 0, NULL);
    }
    rreq_free(&r);
    buf_reset(&a);
    rreq_build(&r, pset("limit-ltcbtc"), SH_BODY, 1);
    gen_replace(&a, r.payload.data, "&recvWindow=5000", "");
    bad_test(f, g, k, pset("limit-ltcbtc"), SH_BODY, "recvWindow=5000 added after signing",
             "AddedAfterSigning", MK_ADDED_AFTER, a.data, NULL, WIRE_PCT, 0, NULL);
    rreq_free(&r);
    rreq_build(&r, pset("cancel"), SH_QUERY, 1);
    if (k->type == GK_HMAC) {
        gen_key nl = *k;
        size_t sl = strlen(k->secret);
        if (sl + 2 > sizeof nl.secret) gen_die("secret too long");
        memcpy(nl.secret, k->secret, sl);
        memcpy(nl.secret + sl, "\n", 2);
        gen_sign(&nl, r.payload.data, r.payload.len, &sig);
        bad_test(f, g, k, pset("cancel"), SH_QUERY, "signed with the secret file's trailing newline kept",
                 "SecretWhitespace", MK_SECRET_WS, NULL, sig.data, WIRE_PCT, 0, NULL);
        buf_reset(&sig);
    }
    gen_sign(other, r.payload.data, r.payload.len, &sig);
    bad_test(f, g, k, pset("cancel"), SH_QUERY, "signed with another registered key of the same type",
             "OtherRegisteredKey", MK_OTHER_KEY, NULL, sig.data, WIRE_PCT, 0, NULL);
    {
        cJSON *tests = cJSON_GetObjectItem(g, "tests");
        cJSON_AddStringToObject(cJSON_GetArrayItem(tests, cJSON_GetArraySize(tests) - 1),
                                "candidateKeyFile", other->pub_file ? other->pub_file : other->file);
    }
    rreq_free(&r);
    buf_free(&a);
    buf_free(&b);
    buf_free(&sig);
}

/* Upper/mixed-case hex (valid) and base64 of the digest (invalid). */
static void hmac_specials(gen_file *f, cJSON *g, const gen_key *k) {
    static const struct { const char *id; int sh; int mixed; } cases[] = {
        {"limit-ltcbtc", SH_QUERY, 0}, {"testnet-unicode", SH_BODY, 0}, {"cancel", SH_QUERY, 1},
        {"clientid-reserved", SH_SPLIT, 1}};
    for (size_t i = 0; i < 4; i++) {
        const gen_pset *ps = pset(cases[i].id);
        rreq r;
        rreq_build(&r, ps, cases[i].sh, 1);
        buf_t sig = BUF_INIT;
        gen_sign(k, r.payload.data, r.payload.len, &sig);
        for (size_t j = 0; j < sig.len; j++)
            if (!cases[i].mixed || j % 2 == 0)
                sig.data[j] = (char)(sig.data[j] >= 'a' && sig.data[j] <= 'f' ? sig.data[j] - 32 : sig.data[j]);
        const char *flags[] = {"HmacHexCase", content_flag(ps), shape_flag[cases[i].sh], NULL};
        rtest t = {cases[i].mixed ? "HMAC hex in mixed case (case-insensitive: valid)"
                                  : "HMAC hex in upper case (case-insensitive: valid)",
                   flags, cases[i].sh, sig.data, sig.data, "valid", NULL, NULL, 0, 0};
        emit(f, g, &r, &t);
        buf_free(&sig);
        rreq_free(&r);
    }
    static const char *b64_ids[] = {"limit-ltcbtc", "fullwidth", "account"};
    for (size_t i = 0; i < 3; i++) {
        const gen_pset *ps = pset(b64_ids[i]);
        rreq r;
        rreq_build(&r, ps, SH_QUERY, 1);
        buf_t sig = BUF_INIT;
        gen_hmac_b64(k, r.payload.data, r.payload.len, &sig);
        bad_test(f, g, k, ps, SH_QUERY, "HMAC digest sent as base64 instead of hex", "HmacBase64",
                 MK_HMAC_B64, NULL, sig.data, WIRE_PCT, 0, NULL);
        buf_free(&sig);
        rreq_free(&r);
    }
}

/* Lower-case %xx escapes: signed as sent (acceptable), or signed upper and sent lower. */
static void pct_case_tests(gen_file *f, cJSON *g, const gen_key *k) {
    const gen_pset *ps = pset("fullwidth");
    rreq r;
    memset(&r, 0, sizeof(r));
    r.method = ps->method;
    r.path = ps->path;
    for (size_t i = 0; i < ps->n; i++) {
        if (i) buf_putc(&r.q, '&');
        buf_printf(&r.q, "%s=", ps->kv[i].name);
        gen_pct_lower(&r.q, ps->kv[i].value, strlen(ps->kv[i].value));
    }
    buf_puts(&r.payload, buf_cstr(&r.q));
    buf_t sig = BUF_INIT, wire = BUF_INIT;
    gen_sign(k, r.payload.data, r.payload.len, &sig);
    gen_pct(&wire, sig.data, sig.len);
    const char *flags[] = {"LowercasePercentHex", "NonAscii", "QueryOnly", NULL};
    rtest t = {"lower-case percent-escapes (%ef%bc%91...) signed exactly as sent", flags, SH_QUERY,
               wire.data, sig.data, "acceptable", NULL, NULL, 0, 0};
    emit(f, g, &r, &t);
    /* signed the upper-case escapes, sent lower-case ones */
    buf_t upper = BUF_INIT;
    gen_join(&upper, ps->kv, ps->n, 1);
    buf_reset(&sig);
    buf_reset(&wire);
    gen_sign(k, upper.data, upper.len, &sig);
    gen_pct(&wire, sig.data, sig.len);
    const char *flags2[] = {"HexCaseEscapes", "NonAscii", "QueryOnly", NULL};
    rtest t2 = {"signed upper-case percent-escapes, sent lower-case ones", flags2, SH_QUERY,
                wire.data, sig.data, "invalid", MK_HEX_CASE_ESC, upper.data, 0, 0};
    emit(f, g, &r, &t2);
    buf_free(&upper);
    buf_free(&sig);
    buf_free(&wire);
    rreq_free(&r);
}

static void base64_specials(gen_file *f, cJSON *g, const gen_key *k) {
    const gen_pset *ps;
    size_t n = gen_psets_rest(&ps);
    int flips = 0, plus = 0, dbl = 0;
    for (size_t i = 0; i < n; i++) {
        int sh = shape_ok(&ps[i], SH_BODY) ? SH_BODY : SH_QUERY;
        rreq r;
        rreq_build(&r, &ps[i], sh, 1);
        buf_t sig = BUF_INIT;
        gen_sign(k, r.payload.data, r.payload.len, &sig);
        if (flips < 3) {   /* flip the case of the first letter (flips+1 letters) */
            buf_t fl = BUF_INIT;
            buf_puts(&fl, sig.data);
            int done = 0;
            for (size_t j = 0; j < fl.len && done <= flips; j++) {
                char ch = fl.data[j];
                if (ch >= 'a' && ch <= 'z') { fl.data[j] = (char)(ch - 32); done++; }
                else if (ch >= 'A' && ch <= 'Z') { fl.data[j] = (char)(ch + 32); done++; }
            }
            bad_test(f, g, k, &ps[i], sh, "base64 signature with letter case changed", "Base64CaseFlip",
                     MK_CASE_FLIP, NULL, fl.data, WIRE_PCT, 0, NULL);
            buf_free(&fl);
            flips++;
        } else if (plus < 3 && strchr(sig.data, '+')) {
            bad_test(f, g, k, &ps[i], sh, "base64 '+' sent unencoded, read as space", "PlusAsSpace",
                     MK_PLUS_SPACE, NULL, sig.data, WIRE_RAW, 0, NULL);
            plus++;
        } else if (dbl < 3) {
            bad_test(f, g, k, &ps[i], sh, "signature percent-encoded twice", "DoubleEncoded",
                     MK_DOUBLE_ENC, NULL, sig.data, WIRE_DOUBLE, 0, NULL);
            dbl++;
        }
        buf_free(&sig);
        rreq_free(&r);
    }
    if (plus < 2) gen_die("too few signatures with '+' for PlusAsSpace");
}

/* ---- documentation examples (HMAC, docs key) ---- */

typedef struct docx {
    const char *comment, *method, *path, *query, *body, *expect;
    const char *result, *mistake, *signed_payload;
    int upper;
} docx;

static const char H1P[] = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
static const char H2P[] = "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
static const char H2RAW[] = "symbol=１２３４５６&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
static const char H3Q[] = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC";
static const char H3B[] = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
#define H1S "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
#define H2S "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"
#define H3S "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"
#define H4S "d84e6641b1e328e7b418fff030caed655c266299c9355e36ce801ed14631eed4"

static void doc_tests(gen_file *f, cJSON *g, const gen_key *k) {
    static const docx d[] = {
        {"H1: docs example, all parameters in the query", "POST", "/api/v3/order", H1P, "", H1S, "valid", NULL, NULL, 0},
        {"H1: docs example, all parameters in the body", "POST", "/api/v3/order", "", H1P, H1S, "valid", NULL, NULL, 0},
        {"H1: docs example, HMAC hex in upper case", "POST", "/api/v3/order", H1P, "", H1S, "valid", NULL, NULL, 1},
        {"H2: docs example, non-ASCII symbol percent-encoded before signing", "POST", "/api/v3/order", H2P, "", H2S, "valid", NULL, NULL, 0},
        {"H2 payload signed as raw UTF-8 (the pre-2026 habit)", "POST", "/api/v3/order", H2P, "", NULL, "invalid", MK_RAW_UTF8, H2RAW, 0},
        {"H3: docs example, mixed query and body (GTCquantity=1, no '&')", "POST", "/api/v3/order", H3Q, H3B, H3S, "valid", NULL, NULL, 0},
        {"H3 request signed with '&' between query and body", "POST", "/api/v3/order", H3Q, H3B, NULL, "invalid", MK_AMP_JOIN, H1P, 0},
        {"H4: binance-signature-examples, timestamp only", "GET", "/api/v3/account", "timestamp=1578963600000", "", H4S, "valid", NULL, NULL, 0},
    };
    for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
        rreq r;
        memset(&r, 0, sizeof(r));
        r.method = d[i].method;
        r.path = d[i].path;
        buf_puts(&r.q, d[i].query);
        buf_puts(&r.b, d[i].body);
        buf_printf(&r.payload, "%s%s", d[i].query, d[i].body);
        buf_t sig = BUF_INIT;
        const char *sp = d[i].signed_payload ? d[i].signed_payload : r.payload.data;
        gen_sign(k, sp, strlen(sp), &sig);
        if (d[i].expect && strcmp(sig.data, d[i].expect) != 0)
            gen_die("docs example mismatch: %s", d[i].comment);
        if (d[i].upper)
            for (size_t j = 0; j < sig.len; j++)
                if (sig.data[j] >= 'a' && sig.data[j] <= 'f') sig.data[j] = (char)(sig.data[j] - 32);
        int sh = d[i].body[0] ? (d[i].query[0] ? SH_SPLIT : SH_BODY) : SH_QUERY;
        const char *flags[] = {"DocExample", d[i].mistake ? (strcmp(d[i].mistake, MK_RAW_UTF8) ? "AmpersandJoin" : "RawUtf8Signed")
                                             : d[i].upper ? "HmacHexCase" : shape_flag[sh], NULL};
        rtest t = {d[i].comment, flags, sh, sig.data, sig.data, d[i].result, d[i].mistake,
                   d[i].signed_payload, 0, 0};
        emit(f, g, &r, &t);
        buf_free(&sig);
        rreq_free(&r);
    }
}

static const char *const hdr_common[] = {
    "Known-answer vectors for Binance Spot REST request signatures (binance-conformance).",
    "Each test is a request as sent: method, path, raw query, raw x-www-form-urlencoded body and the group's apiKey (X-MBX-APIKEY).",
    "payload = query string minus its trailing signature pair, concatenated with NO separator to the body minus its trailing signature pair.",
    "signature = the signature value as the server reads it after form-decoding; result valid/invalid/acceptable; invalid tests name the client mistake that produced them.",
    "Generated by vectors/gen (bc-vectorgen); do not edit by hand.",
    NULL};

void gen_rest_file(gen_ctx *c, const char *name, gen_ktype t) {
    gen_file f;
    const char *alg = t == GK_HMAC ? "HMAC-SHA256" : t == GK_RSA ? "RSASSA-PKCS1-v1_5-SHA256" : "Ed25519";
    gen_file_init(&f, alg, "signature_schema.json", hdr_common);
    cJSON_AddStringToObject(f.root, "transport", "REST");
    if (t == GK_HMAC) {
        cJSON *g = gen_group(&f, "RestSignatureTest");
        gen_group_key(g, &c->docs_hmac);
        doc_tests(&f, g, &c->docs_hmac);
        g = gen_group(&f, "RestSignatureTest");
        gen_group_key(g, &c->hmac);
        valid_tests(&f, g, &c->hmac);
        hmac_specials(&f, g, &c->hmac);
        pct_case_tests(&f, g, &c->hmac);
        mistakes_payload(&f, g, &c->hmac);
        mistakes_transport(&f, g, &c->hmac, &c->ed25519, &c->docs_hmac);
        mistakes_issue11(&f, g, &c->hmac, &c->docs_hmac);
    } else {
        gen_key *keys[2] = {t == GK_RSA ? &c->rsa2048 : &c->ed25519, t == GK_RSA ? &c->rsa4096 : NULL};
        for (int i = 0; i < 2 && keys[i]; i++) {
            cJSON *g = gen_group(&f, "RestSignatureTest");
            gen_group_key(g, keys[i]);
            valid_tests(&f, g, keys[i]);
            base64_specials(&f, g, keys[i]);
            pct_case_tests(&f, g, keys[i]);
            mistakes_payload(&f, g, keys[i]);
            gen_key *other = t == GK_RSA ? &c->ed25519 : &c->hmac;
            gen_key *same = t == GK_RSA ? keys[1 - i] ? keys[1 - i] : &c->rsa4096 : &c->docs_ed25519;
            mistakes_transport(&f, g, keys[i], other, same);
            mistakes_issue11(&f, g, keys[i], same);
        }
    }
    gen_file_write(&f, c->out_dir, name);
}
