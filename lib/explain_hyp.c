/* explain_hyp: the hypotheses for the mistakes bot developers really make
 * (issue 11), each reported only when the mistaken bytes verify:
 *   key side     - the HMAC secret with a trailing newline / surrounding
 *                  spaces; another registered key (the caller's candidates);
 *   payload side - a value signed in one percent-encoding and sent in
 *                  another (REST); a parameter added after signing; a
 *                  timestamp regenerated between signing and sending (a
 *                  bounded window around the one sent, nearest first).
 * Every search is bounded (see explain.h): explain runs only after a failed
 * verify, and its cost per request stays small. */
#include "explain_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const buf_t *hy_sig(const ex_ctx *c)
{
    return c->sig_alt ? c->sig_alt : &c->r->sig_received;
}

static int hy_verify_with(ex_ctx *c, const sig_key *k)
{
    const buf_t *s = hy_sig(c);
    c->r->attempts++;
    return sig_verify(k, buf_cstr(&c->r->payload), c->r->payload.len, buf_cstr(s), s->len);
}

/* ---- key side ---------------------------------------------------------- */

int ex_secret_whitespace(ex_ctx *c)
{
    static const struct { const char *pre, *suf, *what; } v[] = {
        {"", "\n", "followed by a newline (\\n), as read from a file"},
        {"", "\r\n", "followed by \\r\\n, as read from a file"},
        {"", " ", "followed by a space"},
        {" ", "", "preceded by a space"},
        {" ", " ", "surrounded by spaces"},
        {"", "\t", "followed by a tab"},
    };
    if (sig_key_type(c->k) != SIG_HMAC) return 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sig_key *alt = NULL;
        if (sig_key_hmac_variant(c->k, v[i].pre, v[i].suf, &alt) != 0) continue;
        int ok = hy_verify_with(c, alt);
        sig_key_free(alt);
        if (!ok) continue;
        ex_set(c, MISTAKE_SECRET_WHITESPACE, EXPLAIN_BASIS_VERIFIED, buf_cstr(&c->r->payload),
               c->r->payload.len, buf_cstr(hy_sig(c)), hy_sig(c)->len);
        snprintf(c->r->detail, sizeof c->r->detail, "signed with the secret %s", v[i].what);
        return 1;
    }
    return 0;
}

int ex_other_key(ex_ctx *c)
{
    explain_result *r = c->r;
    for (size_t i = 0; i < r->ncands && i < EXPLAIN_MAX_CANDIDATES; i++) {
        const explain_candidate *k = &r->cands[i];
        if (!k->key || k->key == c->k) continue;
        if (!hy_verify_with(c, k->key)) continue;
        ex_set(c, MISTAKE_OTHER_KEY, EXPLAIN_BASIS_VERIFIED, buf_cstr(&r->payload), r->payload.len,
               buf_cstr(hy_sig(c)), hy_sig(c)->len);
        snprintf(r->detail, sizeof r->detail, "the signature verifies with the key of %.180s",
                 k->label ? k->label : "another registered key");
        return 1;
    }
    return 0;
}

/* ---- percent-encoding variants (REST) ----------------------------------- */

static int hy_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* mode 1: '+' -> "%20" (signed %20, sent +); mode 2: "%20" -> '+'. */
static int hy_space(buf_t *out, const buf_t *in, int mode)
{
    const char *s = buf_cstr(in);
    int changed = 0;
    for (size_t i = 0; i < in->len; i++) {
        if (mode == 1 && s[i] == '+') {
            changed = 1;
            if (buf_puts(out, "%20") < 0) return -1;
        } else if (mode == 2 && s[i] == '%' && i + 2 < in->len && s[i + 1] == '2' && s[i + 2] == '0') {
            changed = 1;
            i += 2;
            if (buf_putc(out, '+') < 0) return -1;
        } else if (buf_putc(out, s[i]) < 0) {
            return -1;
        }
    }
    return buf_append(out, "", 0) < 0 ? -1 : changed;
}

/* The marks encodeURIComponent leaves raw and form encoders escape. mode 1:
 * escaped -> raw (signed raw, sent %7E); mode 2: raw -> %XX (signed escaped). */
static int hy_marks(buf_t *out, const buf_t *in, int mode)
{
    static const char marks[] = "!'()*~";
    const char *s = buf_cstr(in);
    int changed = 0;
    for (size_t i = 0; i < in->len; i++) {
        if (mode == 1 && s[i] == '%' && i + 2 < in->len && hy_hex(s[i + 1]) && hy_hex(s[i + 2])) {
            char hx[3] = {s[i + 1], s[i + 2], 0};
            int v = (int)strtol(hx, NULL, 16);
            if (v && strchr(marks, v)) {
                changed = 1;
                i += 2;
                if (buf_putc(out, (char)v) < 0) return -1;
                continue;
            }
        }
        if (mode == 2 && s[i] && strchr(marks, s[i])) {
            changed = 1;
            if (buf_printf(out, "%%%02X", (unsigned)(unsigned char)s[i]) < 0) return -1;
            continue;
        }
        if (buf_putc(out, s[i]) < 0) return -1;
    }
    return buf_append(out, "", 0) < 0 ? -1 : changed;
}

/* mode 1: escapes' hex to upper case, mode 2: to lower case. */
static int hy_hexcase(buf_t *out, const buf_t *in, int mode)
{
    int changed = 0;
    if (buf_append(out, buf_cstr(in), in->len) < 0 || buf_append(out, "", 0) < 0) return -1;
    for (size_t i = 0; i + 2 < out->len; i++) {
        if (out->data[i] != '%' || !hy_hex(out->data[i + 1]) || !hy_hex(out->data[i + 2])) continue;
        for (int j = 1; j <= 2; j++) {
            char *ch = &out->data[i + j];
            if (mode == 1 && *ch >= 'a' && *ch <= 'f') *ch -= 32, changed = 1;
            if (mode == 2 && *ch >= 'A' && *ch <= 'F') *ch += 32, changed = 1;
        }
    }
    return changed;
}

static void hy_encoding_detail(explain_result *r, int a, int b, int h)
{
    size_t l = 0;
    const char *what[3][3] = {
        {NULL, "signed a space as %20, sent it as +", "signed a space as +, sent it as %20"},
        {NULL, "signed ~ (or !'()*) raw, sent it escaped (%7E)", "signed ~ (or !'()*) escaped (%7E), sent it raw"},
        {NULL, "signed upper-case hex escapes, sent lower-case", "signed lower-case hex escapes, sent upper-case"},
    };
    int m[3] = {a, b, h};
    r->detail[0] = '\0';
    for (int i = 0; i < 3; i++)
        if (m[i] && l < sizeof r->detail)
            l += (size_t)snprintf(r->detail + l, sizeof r->detail - l, "%s%s", l ? "; " : "", what[i][m[i]]);
}

int ex_encoding_mismatch(ex_ctx *c, const buf_t *payload)
{
    buf_t s1 = BUF_INIT, s2 = BUF_INIT, s3 = BUF_INIT;
    int hit = 0;
    /* 3 x 3 x 3 variants, less the ones with no change or only the hex
     * case (that one is "hex-case-escapes"): at most 24 verifies */
    for (int a = 0; a < 3 && !hit && !c->oom; a++) {
        buf_reset(&s1);
        int ca = a ? hy_space(&s1, payload, a) : (buf_append(&s1, buf_cstr(payload), payload->len), 0);
        if (ca < 0 || (a && !ca)) { c->oom |= ca < 0; continue; }
        for (int b = 0; b < 3 && !hit; b++) {
            buf_reset(&s2);
            int cb = b ? hy_marks(&s2, &s1, b) : (buf_append(&s2, buf_cstr(&s1), s1.len), 0);
            if (cb < 0 || (b && !cb)) { c->oom |= cb < 0; continue; }
            if (!a && !b) continue;
            for (int h = 0; h < 3 && !hit; h++) {
                buf_reset(&s3);
                int ch = h ? hy_hexcase(&s3, &s2, h) : (buf_append(&s3, buf_cstr(&s2), s2.len), 0);
                if (ch < 0 || (h && !ch)) { c->oom |= ch < 0; continue; }
                if (ex_try_payload(c, MISTAKE_ENCODING_MISMATCH, &s3)) {
                    hy_encoding_detail(c->r, a, b, h);
                    hit = 1;
                }
            }
        }
    }
    buf_free(&s1);
    buf_free(&s2);
    buf_free(&s3);
    return hit;
}

/* ---- edits of one pair --------------------------------------------------- */

/* The parts concatenated, with pair `skip` of part `sp` left out (skip < 0: none). */
static int hy_join(buf_t *out, const buf_t *const *parts, int nparts, int sp, int skip)
{
    for (int p = 0; p < nparts; p++) {
        const char *s = buf_cstr(parts[p]);
        size_t n = parts[p]->len, i = 0;
        int idx = 0, first = 1;
        while (i < n) {
            const char *amp = memchr(s + i, '&', n - i);
            size_t end = amp ? (size_t)(amp - s) : n;
            if (!(p == sp && idx == skip)) {
                if ((!first && buf_putc(out, '&') < 0) || buf_append(out, s + i, end - i) < 0) return -1;
                first = 0;
            }
            idx++;
            i = end + 1;
        }
    }
    return buf_append(out, "", 0);
}

int ex_added_after_signing(ex_ctx *c, const buf_t *const *parts, int nparts)
{
    buf_t t = BUF_INIT;
    int hit = 0, tries = 0;
    for (int p = 0; p < nparts && !hit; p++) {
        const char *s = buf_cstr(parts[p]);
        size_t n = parts[p]->len, i = 0;
        for (int idx = 0; i < n && !hit && tries < 64; idx++, tries++) {
            const char *amp = memchr(s + i, '&', n - i);
            size_t end = amp ? (size_t)(amp - s) : n;
            buf_reset(&t);
            if (hy_join(&t, parts, nparts, p, idx) < 0) { c->oom = 1; break; }
            if (t.len && ex_try_payload(c, MISTAKE_ADDED_AFTER_SIGNING, &t)) {
                snprintf(c->r->detail, sizeof c->r->detail, "%.*s was not in the signed payload",
                         (int)(end - i > 120 ? 120 : end - i), s + i);
                hit = 1;
            }
            i = end + 1;
        }
    }
    buf_free(&t);
    return hit;
}

/* v in decimal at out (24 bytes is enough); returns the length. snprintf
 * would be most of the cost of the timestamp search (4000 tries). */
static size_t ts_digits(char *out, unsigned long long v)
{
    char tmp[24];
    size_t n = 0, k = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) out[k++] = tmp[--n];
    return k;
}

int ex_timestamp_changed(ex_ctx *c, const buf_t *const *parts, int nparts)
{
    buf_t pre = BUF_INIT, suf = BUF_INIT, t = BUF_INIT;
    const char *val = NULL;
    size_t vlen = 0;
    int hit = 0, where = -1;
    for (int p = 0; p < nparts && where < 0; p++) {          /* find timestamp=<digits> */
        const char *s = buf_cstr(parts[p]);
        for (const char *q = s; (q = strstr(q, "timestamp=")) != NULL; q++)
            if (q == s || q[-1] == '&') {
                val = q + 10;
                vlen = strspn(val, "0123456789");
                where = p;
                break;
            }
    }
    if (where < 0 || vlen == 0 || vlen > 18 || c->sig_alt) return 0;   /* not with a mangled signature too */
    unsigned long long v = strtoull(val, NULL, 10);
    long long window = sig_key_type(c->k) == SIG_HMAC ? EXPLAIN_TS_WINDOW_HMAC : EXPLAIN_TS_WINDOW_ASYM;
    for (int p = 0; p < nparts; p++) {                       /* the bytes around the value */
        const char *s = buf_cstr(parts[p]);
        if (p < where) buf_append(&pre, s, parts[p]->len);
        else if (p > where) buf_append(&suf, s, parts[p]->len);
        else {
            buf_append(&pre, s, (size_t)(val - s));
            buf_append(&suf, val + vlen, parts[p]->len - (size_t)(val - s) - vlen);
        }
    }
    for (long long d = 1; d <= window && !hit && !c->oom; d++) {
        for (int sign = -1; sign <= 1 && !hit; sign += 2) {  /* signed earlier first */
            long long delta = sign * d;
            if (delta < 0 && (unsigned long long)-delta > v) continue;
            char num[24];
            size_t nl = ts_digits(num, v + (unsigned long long)delta);
            buf_reset(&t);
            if (buf_append(&t, buf_cstr(&pre), pre.len) < 0 || buf_append(&t, num, nl) < 0 ||
                buf_append(&t, buf_cstr(&suf), suf.len) < 0) {
                c->oom = 1;
                break;
            }
            if (ex_try_payload(c, MISTAKE_TIMESTAMP_CHANGED, &t)) {
                snprintf(c->r->detail, sizeof c->r->detail,
                         "signed timestamp=%llu, sent timestamp=%llu (%lld %s %s)",
                         v + (unsigned long long)delta, v, d, vlen >= 16 ? "µs" : "ms",
                         delta < 0 ? "later" : "earlier");
                hit = 1;
            }
        }
    }
    buf_free(&pre);
    buf_free(&suf);
    buf_free(&t);
    return hit;
}
