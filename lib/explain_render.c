/* explain_render: the two views of an explain_result — a cJSON object for
 * the server's journal and a human report for `binsig explain`. Byte strings
 * that are not valid UTF-8 (or hold NUL) are never emitted raw: JSON gets a
 * "<field>Base64" member instead, text gets \xNN escapes. */
#include "explain.h"
#include "pct.h"
#include <stdio.h>
#include <string.h>

static int utf8_clean(const buf_t *b) {
    return memchr(buf_cstr(b), '\0', b->len) == NULL && pct_utf8_valid(buf_cstr(b), b->len, NULL);
}

/* Add field (or fieldBase64 when not clean UTF-8). 0 ok, -1 oom. */
static int json_bytes(cJSON *o, const char *field, const buf_t *b) {
    if (utf8_clean(b)) return cJSON_AddStringToObject(o, field, buf_cstr(b)) ? 0 : -1;
    buf_t e = BUF_INIT;
    char name[64];
    snprintf(name, sizeof name, "%sBase64", field);
    int rc = sig_b64_encode(&e, b->data, b->len) == 0 && cJSON_AddStringToObject(o, name, buf_cstr(&e)) ? 0 : -1;
    buf_free(&e);
    return rc;
}

static cJSON *json_mistake(const explain_result *r) {
    cJSON *m = cJSON_CreateObject();
    if (!m) return NULL;
    int bad = !cJSON_AddStringToObject(m, "id", explain_mistake_id(r->mistake)) ||
              !cJSON_AddStringToObject(m, "text", explain_mistake_text(r->mistake)) ||
              !cJSON_AddStringToObject(m, "basis", explain_basis_str(r->basis)) ||
              !cJSON_AddBoolToObject(m, "reproduced", r->basis == EXPLAIN_BASIS_VERIFIED ||
                                                         r->basis == EXPLAIN_BASIS_EXPECTED);
    if (!bad && r->detail[0]) bad = !cJSON_AddStringToObject(m, "detail", r->detail);
    if (!bad && r->mistake_payload.len) bad = json_bytes(m, "payload", &r->mistake_payload) < 0;
    if (!bad && r->mistake_sig.len) bad = json_bytes(m, "signature", &r->mistake_sig) < 0;
    if (bad) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

cJSON *explain_render_json(const explain_result *r) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    int bad = !cJSON_AddStringToObject(o, "mode", r->mode == EXPLAIN_WS ? "ws" : "rest") ||
              !cJSON_AddStringToObject(o, "verdict", explain_verdict_str(r->verdict)) ||
              !cJSON_AddStringToObject(o, "keyType", sig_type_name(r->key_type)) ||
              !cJSON_AddNumberToObject(o, "keyBits", r->key_bits) ||
              !cJSON_AddStringToObject(o, "keyFingerprint", r->key_fingerprint) ||
              !cJSON_AddStringToObject(o, "payloadStatus", payload_status_str(r->pstatus)) ||
              json_bytes(o, "payload", &r->payload) < 0 ||
              json_bytes(o, "signatureWire", &r->sig_wire) < 0 ||
              json_bytes(o, "signatureReceived", &r->sig_received) < 0;
    if (!bad)
        bad = r->has_expected ? json_bytes(o, "signatureExpected", &r->sig_expected) < 0
                              : !cJSON_AddNullToObject(o, "signatureExpected");
    if (!bad && r->verdict == EXPLAIN_INVALID) {
        cJSON *m = json_mistake(r);
        bad = !m || !cJSON_AddItemToObject(o, "mistake", m);
        if (bad) cJSON_Delete(m);
    }
    if (!bad && r->note) bad = !cJSON_AddStringToObject(o, "note", r->note);
    if (!bad) bad = !cJSON_AddNumberToObject(o, "attempts", r->attempts);
    if (bad) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- text --------------------------------------------------------------- */

/* Printable bytes and valid UTF-8 as is; controls and stray bytes as \xNN. */
static int text_bytes(buf_t *out, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        size_t len = ch < 0x80 ? 1 : ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : ch >= 0xc2 ? 2 : 0;
        if (len > 1 && i + len <= n && pct_utf8_valid(s + i, len, NULL)) {
            if (buf_append(out, s + i, len) < 0) return -1;
            i += len;
            continue;
        }
        if ((ch >= 0x20 && ch < 0x7f) ? buf_putc(out, (char)ch) : buf_printf(out, "\\x%02X", ch)) return -1;
        i++;
    }
    return 0;
}

static int text_line(buf_t *out, const char *label, const char *s, size_t n) {
    if (buf_printf(out, "%-22s ", label) < 0 || text_bytes(out, s, n) < 0) return -1;
    return buf_putc(out, '\n');
}

static const char *src_name(param_src s) {
    return s == PARAM_QUERY ? "query" : s == PARAM_BODY ? "body" : "json";
}

static int text_params(buf_t *out, const params_t *p) {
    if (buf_printf(out, "parameters (%zu):\n", p ? p->n : 0) < 0) return -1;
    for (size_t i = 0; p && i < p->n; i++) {
        const param_t *q = &p->v[i];
        if (buf_printf(out, "  %2u %-5s raw ", q->index, src_name(q->src)) < 0 ||
            text_bytes(out, q->raw, q->raw_len) < 0 || buf_puts(out, "\n           decoded ") < 0 ||
            text_bytes(out, q->name, q->name_len) < 0 || buf_putc(out, '=') < 0 ||
            text_bytes(out, q->value, q->value_len) < 0)
            return -1;
        if (q->status != PCT_OK && buf_printf(out, "   [%s]", pct_status_str(q->status)) < 0) return -1;
        if (buf_putc(out, '\n') < 0) return -1;
    }
    return 0;
}

static int text_diagnosis(buf_t *out, const explain_result *r) {
    if (r->verdict == EXPLAIN_MISSING)
        return buf_puts(out, "diagnosis:             no signature parameter was sent\n");
    if (r->verdict == EXPLAIN_VALID)
        return r->note ? buf_printf(out, "note:                  %s\n", r->note) : 0;
    const char *how = r->basis == EXPLAIN_BASIS_VERIFIED ? "reproduced: the mistaken bytes verify with this key"
                    : r->basis == EXPLAIN_BASIS_EXPECTED ? "reproduced: matches the expected signature"
                    : r->basis == EXPLAIN_BASIS_SHAPE    ? "shape only: not re-verified"
                    : r->basis == EXPLAIN_BASIS_REQUEST  ? "from the request's structure"
                                                         : "not reproduced";
    if (buf_printf(out, "diagnosis:             %s (%s)\n                       %s\n",
                   explain_mistake_id(r->mistake), how, explain_mistake_text(r->mistake)) < 0)
        return -1;
    if (r->detail[0] && buf_printf(out, "  what exactly:        %s\n", r->detail) < 0)
        return -1;
    if (r->mistake_payload.len && text_line(out, "  payload it signed:", r->mistake_payload.data,
                                            r->mistake_payload.len) < 0)
        return -1;
    if (r->mistake_sig.len && text_line(out, "  signature meant:", r->mistake_sig.data, r->mistake_sig.len) < 0)
        return -1;
    return 0;
}

int explain_render_text(buf_t *out, const explain_result *r) {
    const params_t *p = r->mode == EXPLAIN_WS ? r->ws_params : &r->params;
    char plabel[48];
    snprintf(plabel, sizeof plabel, "payload (%zu bytes):", r->payload.len);
    if (buf_printf(out, "mode:                  %s\nkey:                   %s, %d bits%s%s\n",
                   r->mode == EXPLAIN_WS ? "WebSocket API" : "REST", sig_type_name(r->key_type),
                   r->key_bits, r->key_fingerprint[0] ? ", SPKI sha256 " : "", r->key_fingerprint) < 0 ||
        text_params(out, p) < 0 ||
        buf_printf(out, "payload status:        %s\n", payload_status_str(r->pstatus)) < 0 ||
        text_line(out, plabel, buf_cstr(&r->payload), r->payload.len) < 0)
        return -1;
    if (r->verdict != EXPLAIN_MISSING) {
        if (r->mode == EXPLAIN_REST && text_line(out, "signature (wire):", buf_cstr(&r->sig_wire), r->sig_wire.len) < 0)
            return -1;
        if (text_line(out, "signature (received):", buf_cstr(&r->sig_received), r->sig_received.len) < 0)
            return -1;
    }
    if (r->has_expected ? text_line(out, "signature (expected):", r->sig_expected.data, r->sig_expected.len) < 0
                        : buf_puts(out, "signature (expected):  (public key only: cannot sign)\n") < 0)
        return -1;
    if (buf_printf(out, "verdict:               %s\n", r->verdict == EXPLAIN_VALID ? "VALID"
                   : r->verdict == EXPLAIN_MISSING ? "MISSING SIGNATURE" : "INVALID (-1022)") < 0)
        return -1;
    return text_diagnosis(out, r);
}
