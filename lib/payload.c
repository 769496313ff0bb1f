/* payload: the canonical signed payloads of fact sheet §2 (REST) and §7 (WS
 * API). REST works on the wire bytes only: it never decodes, re-encodes or
 * reorders anything; the signature pair is located by its raw name. */
#include "payload.h"
#include <stdlib.h>
#include <string.h>

const char *payload_status_str(payload_status s) {
    switch (s) {
    case PAYLOAD_OK: return "ok";
    case PAYLOAD_NO_SIGNATURE: return "no signature parameter";
    case PAYLOAD_SIG_NOT_LAST: return "signature is not the last parameter of its part";
    case PAYLOAD_SIG_TWICE: return "signature sent more than once";
    case PAYLOAD_OOM: return "out of memory";
    }
    return "unknown";
}

/* The signature pairs of one part (query or body): how many, and the span of
 * the first one. A pair is "signature=..." (or a bare "signature"). */
typedef struct payload_part {
    const char *s;
    size_t n;
    size_t count;           /* signature pairs found */
    size_t start, end;      /* span of the first signature pair in s */
    int last;               /* 1 if that pair is the final segment of s */
} payload_part;

static int payload_is_sig(const char *s, size_t n) {
    static const char nm[] = "signature";
    return n >= sizeof(nm) - 1 && memcmp(s, nm, sizeof(nm) - 1) == 0 &&
           (n == sizeof(nm) - 1 || s[sizeof(nm) - 1] == '=');
}

static void payload_scan(payload_part *pp, const char *s, size_t n) {
    memset(pp, 0, sizeof(*pp));
    pp->s = s ? s : "";
    pp->n = s ? n : 0;
    size_t i = 0;
    while (i < pp->n) {
        const char *amp = memchr(pp->s + i, '&', pp->n - i);
        size_t end = amp ? (size_t)(amp - pp->s) : pp->n;
        if (payload_is_sig(pp->s + i, end - i) && pp->count++ == 0) {
            pp->start = i;
            pp->end = end;
            pp->last = end == pp->n;
        }
        i = end + 1;
    }
}

/* Append the part without its first signature pair and one adjacent '&'. */
static int payload_append_part(buf_t *out, const payload_part *pp) {
    if (!pp->count) return buf_append(out, pp->s, pp->n);
    size_t a = pp->start, b = pp->end;
    if (a > 0) a--;                       /* drop the '&' before it */
    else if (b < pp->n) b++;              /* first pair: drop the '&' after it */
    if (buf_append(out, pp->s, a) < 0) return -1;
    return buf_append(out, pp->s + b, pp->n - b);
}

static void payload_locate(const payload_part *pp, param_src src, payload_sig *sig) {
    const char *eq = memchr(pp->s + pp->start, '=', pp->end - pp->start);
    sig->raw = eq ? eq + 1 : pp->s + pp->end;
    sig->raw_len = (size_t)(pp->s + pp->end - sig->raw);
    sig->src = src;
}

payload_status payload_rest(buf_t *out, const char *query, size_t qlen,
                            const char *body, size_t blen, payload_sig *sig) {
    payload_part q, b;
    payload_scan(&q, query, qlen);
    payload_scan(&b, body, blen);
    payload_sig dummy;
    if (!sig) sig = &dummy;
    memset(sig, 0, sizeof(*sig));
    if (q.count) payload_locate(&q, PARAM_QUERY, sig);
    else if (b.count) payload_locate(&b, PARAM_BODY, sig);
    if (payload_append_part(out, &q) < 0 || payload_append_part(out, &b) < 0) return PAYLOAD_OOM;
    if (q.count + b.count == 0) return PAYLOAD_NO_SIGNATURE;
    if (q.count + b.count > 1) return PAYLOAD_SIG_TWICE;
    if (!(q.count ? q.last : b.last)) return PAYLOAD_SIG_NOT_LAST;
    return PAYLOAD_OK;
}

int payload_ws(buf_t *out, const params_t *p) {
    const param_t **v = params_sorted(p);
    if (!v) return -1;
    int first = 1, rc = 0;
    for (size_t i = 0; i < p->n && rc == 0; i++) {
        if (strcmp(v[i]->name, "signature") == 0 && v[i]->name_len == 9) continue;
        if (!first) rc = buf_putc(out, '&');
        first = 0;
        if (rc == 0) rc = buf_append(out, v[i]->name, v[i]->name_len);
        if (rc == 0) rc = buf_putc(out, '=');
        if (rc == 0) rc = buf_append(out, v[i]->value, v[i]->value_len);
    }
    free(v);
    if (rc == 0) rc = buf_append(out, "", 0);   /* NUL-terminated even when empty */
    return rc;
}
