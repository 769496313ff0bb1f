/* gen_ws: ws_hmac_sha256.json, ws_rsa.json, ws_ed25519.json. Each test is a
 * WebSocket API request frame (JSON text, exactly as sent) whose payload is
 * every param but signature, sorted by name, raw UTF-8 values, literals as
 * written. The docs' examples H5-H8 open the HMAC file with the docs' key. */
#include "gen.h"
#include <stdio.h>
#include <string.h>

#define WS_MAX (GEN_MAX_KV + 2)

/* The params of a frame in frame order (apiKey included, signature not). */
typedef struct wparams {
    gen_kv kv[WS_MAX];
    size_t n;
} wparams;

/* order: 0 = pset order with apiKey first, 1 = reversed with apiKey last. */
static void wp_build(wparams *w, const gen_pset *ps, const char *api_key, int order) {
    w->n = 0;
    if (order == 0) w->kv[w->n++] = (gen_kv){"apiKey", api_key, 0};
    for (size_t i = 0; i < ps->n; i++)
        w->kv[w->n++] = order == 0 ? ps->kv[i] : ps->kv[ps->n - 1 - i];
    if (order != 0) w->kv[w->n++] = (gen_kv){"apiKey", api_key, 0};
}

static void ws_frame(buf_t *out, const char *id, const char *method, const wparams *w,
                     const char *sig) {
    buf_printf(out, "{\"id\":\"%s\",\"method\":\"%s\",\"params\":{", id, method);
    for (size_t i = 0; i < w->n; i++) {
        if (i) buf_putc(out, ',');
        buf_json_string(out, w->kv[i].name, strlen(w->kv[i].name));
        buf_putc(out, ':');
        if (w->kv[i].json_literal) buf_puts(out, w->kv[i].value);
        else buf_json_string(out, w->kv[i].value, strlen(w->kv[i].value));
    }
    buf_puts(out, ",\"signature\":");
    buf_json_string(out, sig, strlen(sig));
    buf_puts(out, "}}");
}

typedef struct wtest {
    const char *comment;
    const char *const *flags;
    const char *method;
    const wparams *w;
    const char *sig;
    const char *result, *mistake, *signed_payload;
} wtest;

static void emit(gen_file *f, cJSON *g, const wtest *t) {
    buf_t frame = BUF_INIT, payload = BUF_INIT;
    char id[32];
    snprintf(id, sizeof(id), "tc-%d", f->next_id);
    ws_frame(&frame, id, t->method, t->w, t->sig);
    gen_join_sorted(&payload, t->w->kv, t->w->n, 0);
    cJSON *o = gen_test(f, g, t->comment, t->flags);
    cJSON_AddStringToObject(o, "frame", frame.data);
    cJSON_AddStringToObject(o, "payload", buf_cstr(&payload));
    cJSON_AddStringToObject(o, "signature", t->sig);
    cJSON_AddStringToObject(o, "result", t->result);
    if (t->signed_payload && strcmp(t->signed_payload, buf_cstr(&payload)))
        cJSON_AddStringToObject(o, "signedPayload", t->signed_payload);
    if (t->mistake) {
        cJSON_AddStringToObject(o, "mistake", t->mistake);
        gen_test_error(o, ERR_INVALID_SIGNATURE, NULL, NULL);
    }
    buf_free(&frame);
    buf_free(&payload);
}

static const char *content_flag(const gen_pset *ps) {
    return (ps->traits & GT_NONASCII) ? "NonAscii" : (ps->traits & GT_RESERVED) ? "ReservedChars" : "Ascii";
}

static const char *extra_flag(const gen_pset *ps) {
    if (strcmp(ps->id, "json-literals") == 0) return "JsonLiterals";
    if (strcmp(ps->id, "us-timestamp") == 0) return "Microseconds";
    return NULL;
}

static const gen_pset *wpset(const char *id) {
    const gen_pset *ps;
    size_t n = gen_psets_ws(&ps);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ps[i].id, id) == 0) return &ps[i];
    gen_die("no ws parameter set %s", id);
}

static void sign_sorted(const gen_key *k, const wparams *w, buf_t *sig) {
    buf_t p = BUF_INIT;
    gen_join_sorted(&p, w->kv, w->n, 0);
    gen_sign(k, p.data, p.len, sig);
    buf_free(&p);
}

static void valid_tests(gen_file *f, cJSON *g, const gen_key *k) {
    const gen_pset *ps;
    size_t n = gen_psets_ws(&ps);
    for (size_t i = 0; i < n; i++) {
        for (int order = 0; order < 2; order++) {
            if (order == 1 && ps[i].n < 2) continue;
            wparams w;
            wp_build(&w, &ps[i], k->api_key, order);
            buf_t sig = BUF_INIT;
            sign_sorted(k, &w, &sig);
            char c[256];
            snprintf(c, sizeof(c), "%s: %s, %s", ps[i].method, ps[i].comment,
                     order ? "params in reverse order, apiKey last" : "apiKey first");
            const char *flags[] = {content_flag(&ps[i]), extra_flag(&ps[i]), NULL};
            wtest t = {c, flags, ps[i].method, &w, sig.data, "valid", NULL, NULL};
            emit(f, g, &t);
            buf_free(&sig);
        }
    }
}

static void bad(gen_file *f, cJSON *g, const gen_pset *ps, const wparams *w, const char *comment,
                const char *flag, const char *mistake, const char *sig, const char *signed_payload) {
    const char *flags[] = {flag, content_flag(ps), NULL};
    char c[256];
    snprintf(c, sizeof(c), "%s (%s: %s)", comment, ps->method, ps->comment);
    wtest t = {c, flags, ps->method, w, sig, "invalid", mistake, signed_payload};
    emit(f, g, &t);
}

/* s with the first `from` replaced by `to` (gen_die if absent). */
static void ws_replace(buf_t *out, const char *s, const char *from, const char *to) {
    const char *hit = strstr(s, from);
    if (!hit) gen_die("ws_replace: '%s' not in '%s'", from, s);
    buf_append(out, s, (size_t)(hit - s));
    buf_puts(out, to);
    buf_puts(out, hit + strlen(from));
}

/* Issue 11 on the WS API: a timestamp regenerated after signing, recvWindow
 * added after signing (order-place: recvWindow=100, timestamp=1645423376532). */
static void mistakes_issue11(gen_file *f, cJSON *g, const gen_key *k) {
    const gen_pset *ps = wpset("order-place");
    wparams w;
    wp_build(&w, ps, k->api_key, 0);
    buf_t p = BUF_INIT, q = BUF_INIT, sig = BUF_INIT;
    gen_join_sorted(&p, w.kv, w.n, 0);
    ws_replace(&q, p.data, "timestamp=1645423376532", "timestamp=1645423376523");
    gen_sign(k, q.data, q.len, &sig);
    bad(f, g, ps, &w, "signed with a timestamp 9 ms earlier than the one sent", "TimestampChanged",
        MK_TS_CHANGED, sig.data, q.data);
    buf_reset(&q);
    buf_reset(&sig);
    ws_replace(&q, p.data, "&recvWindow=100", "");
    gen_sign(k, q.data, q.len, &sig);
    bad(f, g, ps, &w, "recvWindow added after signing", "AddedAfterSigning", MK_ADDED_AFTER, sig.data, q.data);
    buf_free(&p);
    buf_free(&q);
    buf_free(&sig);
}

static void mistakes(gen_file *f, cJSON *g, const gen_key *k, const gen_key *other_type,
                     const gen_key *same_type_other) {
    static const char *unsorted[] = {"order-place", "order-place-unicode", "json-literals", "account-status"};
    for (size_t i = 0; i < 4; i++) {
        const gen_pset *ps = wpset(unsorted[i]);
        wparams w;
        wp_build(&w, ps, k->api_key, 0);
        buf_t p = BUF_INIT, sig = BUF_INIT;
        gen_join(&p, w.kv, w.n, 0);
        gen_sign(k, p.data, p.len, &sig);
        bad(f, g, ps, &w, "signed the params in frame order, not sorted", "WsUnsorted", MK_WS_UNSORTED,
            sig.data, p.data);
        buf_free(&p);
        buf_free(&sig);
    }
    static const char *pct[] = {"order-place-unicode", "order-place-fullwidth", "clientid-reserved", "cancel-unicode"};
    for (size_t i = 0; i < 4; i++) {
        const gen_pset *ps = wpset(pct[i]);
        wparams w;
        wp_build(&w, ps, k->api_key, 1);
        buf_t p = BUF_INIT, sig = BUF_INIT;
        gen_join_sorted(&p, w.kv, w.n, 1);
        gen_sign(k, p.data, p.len, &sig);
        bad(f, g, ps, &w, "percent-encoded the values before signing (REST habit)", "WsPercentEncoded",
            MK_WS_PCT, sig.data, p.data);
        buf_free(&p);
        buf_free(&sig);
    }
    {
        const gen_pset *ps = wpset("cancel");
        wparams w;
        wp_build(&w, ps, k->api_key, 0);
        buf_t sig = BUF_INIT;
        sign_sorted(k, &w, &sig);
        sig.data[sig.len - (k->type == GK_HMAC ? 2 : 4)] = '\0';
        bad(f, g, ps, &w, "signature truncated", "Truncated", MK_TRUNCATED, sig.data, NULL);
        buf_free(&sig);
    }
    {
        const gen_pset *ps = wpset("order-place");
        wparams w;
        wp_build(&w, ps, k->api_key, 1);
        buf_t sig = BUF_INIT;
        sign_sorted(other_type, &w, &sig);
        bad(f, g, ps, &w, "signed with a key of another type", "WrongKeyType", MK_WRONG_KEY_TYPE, sig.data, NULL);
        buf_reset(&sig);
        sign_sorted(same_type_other, &w, &sig);
        bad(f, g, ps, &w, "signed with a different key of the same type", "WrongKey", MK_UNKNOWN, sig.data, NULL);
        buf_free(&sig);
    }
    static const char *noapi[] = {"order-place", "cancel-unicode"};
    for (size_t i = 0; i < 2; i++) {
        const gen_pset *ps = wpset(noapi[i]);
        wparams w;
        wp_build(&w, ps, k->api_key, (int)i);
        buf_t p = BUF_INIT, sig = BUF_INIT;
        gen_join_sorted(&p, ps->kv, ps->n, 0);
        gen_sign(k, p.data, p.len, &sig);
        bad(f, g, ps, &w, "left apiKey out of the signed payload", "WsMissingApiKey", MK_WS_NO_APIKEY,
            sig.data, p.data);
        buf_free(&p);
        buf_free(&sig);
    }
    if (k->type != GK_HMAC) {
        static const char *ids[] = {"order-place", "order-place-unicode"};
        for (size_t i = 0; i < 2; i++) {
            const gen_pset *ps = wpset(ids[i]);
            wparams w;
            wp_build(&w, ps, k->api_key, (int)i);
            buf_t sig = BUF_INIT, enc = BUF_INIT;
            sign_sorted(k, &w, &sig);
            gen_pct(&enc, sig.data, sig.len);
            bad(f, g, ps, &w, "percent-encoded the signature inside the JSON frame", "WsSignatureEncoded",
                MK_WS_SIG_ENC, enc.data, NULL);
            buf_free(&sig);
            buf_free(&enc);
        }
    }
    if (k->type == GK_HMAC) {
        static const char *ids[] = {"order-place", "us-timestamp"};
        for (size_t i = 0; i < 2; i++) {
            const gen_pset *ps = wpset(ids[i]);
            wparams w;
            wp_build(&w, ps, k->api_key, (int)i);
            buf_t p = BUF_INIT, sig = BUF_INIT;
            gen_join_sorted(&p, w.kv, w.n, 0);
            gen_sign(k, p.data, p.len, &sig);
            for (size_t j = 0; j < sig.len; j++)
                if (sig.data[j] >= 'a' && sig.data[j] <= 'f' && (i == 0 || j % 3 == 0))
                    sig.data[j] = (char)(sig.data[j] - 32);
            const char *flags[] = {"HmacHexCase", content_flag(ps), NULL};
            wtest t = {i ? "HMAC hex in mixed case (valid)" : "HMAC hex in upper case (valid)",
                       flags, ps->method, &w, sig.data, "valid", NULL, NULL};
            emit(f, g, &t);
            buf_reset(&sig);
            gen_hmac_b64(k, p.data, p.len, &sig);
            bad(f, g, ps, &w, "HMAC digest sent as base64 instead of hex", "HmacBase64", MK_HMAC_B64, sig.data, NULL);
            buf_free(&p);
            buf_free(&sig);
        }
    } else {
        static const char *ids[] = {"order-place", "account-status", "order-place-unicode"};
        for (size_t i = 0; i < 3; i++) {
            const gen_pset *ps = wpset(ids[i]);
            wparams w;
            wp_build(&w, ps, k->api_key, 0);
            buf_t sig = BUF_INIT;
            sign_sorted(k, &w, &sig);
            size_t flipped = 0;
            for (size_t j = 0; j < sig.len && flipped <= i; j++) {
                char ch = sig.data[j];
                if (ch >= 'a' && ch <= 'z') { sig.data[j] = (char)(ch - 32); flipped++; }
                else if (ch >= 'A' && ch <= 'Z') { sig.data[j] = (char)(ch + 32); flipped++; }
            }
            bad(f, g, ps, &w, "base64 signature with letter case changed", "Base64CaseFlip", MK_CASE_FLIP, sig.data, NULL);
            buf_free(&sig);
        }
    }
}

/* ---- documentation examples H5-H8 (docs HMAC key) ---- */
#define DOC_API "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"

static void doc_tests(gen_file *f, cJSON *g, const gen_key *k) {
    static const gen_pset h5 = {"H5", "order.place", NULL, "H5", GT_UNSORTED, 9,
        {{"symbol", "BTCUSDT", 0}, {"side", "SELL", 0}, {"type", "LIMIT", 0}, {"timeInForce", "GTC", 0},
         {"quantity", "0.01000000", 0}, {"price", "52000.00", 0}, {"recvWindow", "100", 1},
         {"timestamp", "1645423376532", 1}, {"apiKey", DOC_API, 0}}};
    static const gen_pset h6 = {"H6", "order.place", NULL, "H6", GT_NONASCII | GT_UNSORTED, 9,
        {{"symbol", "１２３４５６", 0}, {"side", "BUY", 0}, {"type", "LIMIT", 0}, {"timeInForce", "GTC", 0},
         {"quantity", "1.00000000", 0}, {"price", "0.10000000", 0}, {"recvWindow", "5000", 1},
         {"timestamp", "1645423376532", 1}, {"apiKey", DOC_API, 0}}};
    static const gen_pset h7 = {"H7", "order.place", NULL, "H7", GT_UNSORTED, 10,
        {{"symbol", "BTCUSDT", 0}, {"side", "SELL", 0}, {"type", "LIMIT", 0}, {"timeInForce", "GTC", 0},
         {"quantity", "0.01000000", 0}, {"price", "52000.00", 0}, {"newOrderRespType", "ACK", 0},
         {"recvWindow", "100", 1}, {"timestamp", "1645423376532", 1}, {"apiKey", DOC_API, 0}}};
    static const gen_pset h8 = {"H8", "account.status", NULL, "H8", 0, 2,
        {{"apiKey", DOC_API, 0}, {"timestamp", "1649729878532", 1}}};
    static const struct { const gen_pset *ps; const char *comment, *expect; int mistake; } d[] = {
        {&h5, "H5: docs order.place example (params sorted by name, apiKey included)",
         "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24", 0},
        {&h6, "H6: docs non-ASCII example, raw UTF-8 in the WS payload",
         "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd", 0},
        {&h7, "H7: older docs example with newOrderRespType=ACK",
         "cc15477742bd704c29492d96c7ead9414dfd8e0ec4a00f947bb5bb454ddbd08a", 0},
        {&h8, "H8: the signature of web-socket-api.md's session.logon example, an HMAC of apiKey+timestamp (logon itself is Ed25519-only, so the frame here is account.status)",
         "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed", 0},
        {&h6, "H6 parameters percent-encoded before signing (REST habit on WS)", NULL, 1},
        {&h5, "H5 parameters signed in frame order instead of sorted", NULL, 2},
    };
    for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
        wparams w;
        w.n = d[i].ps->n;
        memcpy(w.kv, d[i].ps->kv, w.n * sizeof(gen_kv));
        buf_t p = BUF_INIT, sig = BUF_INIT;
        if (d[i].mistake == 2) gen_join(&p, w.kv, w.n, 0);
        else gen_join_sorted(&p, w.kv, w.n, d[i].mistake == 1);
        gen_sign(k, p.data, p.len, &sig);
        if (d[i].expect && strcmp(sig.data, d[i].expect) != 0) gen_die("docs example mismatch: %s", d[i].comment);
        const char *flags[] = {"DocExample", d[i].mistake == 1 ? "WsPercentEncoded" : d[i].mistake == 2 ? "WsUnsorted"
                               : (d[i].ps->traits & GT_NONASCII) ? "NonAscii" : "Ascii", NULL};
        wtest t = {d[i].comment, flags, d[i].ps->method, &w, sig.data, d[i].mistake ? "invalid" : "valid",
                   d[i].mistake == 1 ? MK_WS_PCT : d[i].mistake == 2 ? MK_WS_UNSORTED : NULL, p.data};
        emit(f, g, &t);
        buf_free(&p);
        buf_free(&sig);
    }
}

static const char *const hdr[] = {
    "Known-answer vectors for Binance Spot WebSocket API request signatures (binance-conformance).",
    "Each test is a request frame exactly as sent (JSON text). payload = every param except signature, sorted by name, name=value joined by '&', values raw UTF-8 (never percent-encoded), numbers and booleans as written.",
    "signature = params.signature of the frame; result valid/invalid; invalid tests name the client mistake that produced them.",
    "Generated by vectors/gen (bc-vectorgen); do not edit by hand.",
    NULL};

void gen_ws_file(gen_ctx *c, const char *name, gen_ktype t) {
    gen_file f;
    const char *alg = t == GK_HMAC ? "HMAC-SHA256" : t == GK_RSA ? "RSASSA-PKCS1-v1_5-SHA256" : "Ed25519";
    gen_file_init(&f, alg, "signature_schema.json", hdr);
    cJSON_AddStringToObject(f.root, "transport", "WS");
    if (t == GK_HMAC) {
        cJSON *g = gen_group(&f, "WsSignatureTest");
        gen_group_key(g, &c->docs_hmac);
        doc_tests(&f, g, &c->docs_hmac);
    }
    gen_key *keys[2] = {t == GK_HMAC ? &c->hmac : t == GK_RSA ? &c->rsa2048 : &c->ed25519,
                        t == GK_RSA ? &c->rsa4096 : NULL};
    for (int i = 0; i < 2 && keys[i]; i++) {
        cJSON *g = gen_group(&f, "WsSignatureTest");
        gen_group_key(g, keys[i]);
        valid_tests(&f, g, keys[i]);
        gen_key *other = t == GK_ED25519 ? &c->hmac : &c->ed25519;
        gen_key *same = t == GK_HMAC ? &c->docs_hmac : t == GK_ED25519 ? &c->docs_ed25519
                        : keys[1 - i] ? keys[1 - i] : &c->rsa2048;
        mistakes(&f, g, keys[i], other, same);
        mistakes_issue11(&f, g, keys[i]);
    }
    gen_file_write(&f, c->out_dir, name);
}
