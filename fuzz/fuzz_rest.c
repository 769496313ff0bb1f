/* fuzz_rest: the whole REST side in-process - the security pipeline
 * (route, rate limit, time unit, parameters, API key, signature + explain,
 * timing, unread parameters) and every endpoint handler behind it, on the
 * same srv the server runs, without civetweb. Input (text):
 *   [!]METHOD PATH\n query\n {Header: value\n} \n body
 * A leading '!' has the target sign the request as alice (HMAC, the
 * signature appended to the body when there is one, else to the query, and
 * X-MBX-APIKEY added), so handlers behind the signature check are reached
 * too; the clock is frozen at timestamp=1700000000000.
 * Oracles: fz_rest (a status, a JSON body in valid UTF-8), ASan/UBSan. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fuzz.h"
#include "pipeline.h"

#define FZ_MAX_HDRS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { (const char *)data, size };
    const char *f, *q = "";
    size_t fn, qn = 0;
    if (!fz_field(&in, '\n', &f, &fn)) return 0;
    int sign = fn && f[0] == '!';
    char *line = fz_strndup(f + sign, fn - (size_t)sign);
    char *sp = strchr(line, ' ');
    const char *method = line, *path = sp ? sp + 1 : "/";
    if (sp) *sp = '\0';
    fz_field(&in, '\n', &q, &qn);

    rest_hdr hdrs[FZ_MAX_HDRS + 1];
    char *hcopy[FZ_MAX_HDRS];
    size_t nh = 0;
    const char *ct = NULL;
    while (in.p && fz_field(&in, '\n', &f, &fn) && fn) {
        if (nh == FZ_MAX_HDRS) continue;
        char *h = hcopy[nh] = fz_strndup(f, fn);
        char *colon = strchr(h, ':');
        hdrs[nh].name = h;
        hdrs[nh].value = "";
        if (colon) {
            *colon = '\0';
            hdrs[nh].value = colon + 1 + (colon[1] == ' ');
        }
        if (!strcasecmp(h, "Content-Type")) ct = hdrs[nh].value;
        nh++;
    }
    buf_t query = BUF_INIT, body = BUF_INIT;
    buf_append(&query, q, qn);
    buf_append(&body, in.p ? in.p : "", in.n);
    if (sign) {
        buf_t msg = BUF_INIT, sig = BUF_INIT;
        buf_append(&msg, query.data, query.len);
        buf_append(&msg, body.data, body.len);
        fz_sign_hmac(&sig, buf_cstr(&msg), msg.len);
        buf_t *to = body.len ? &body : &query;
        if (to->len) buf_putc(to, '&');
        buf_puts(to, "signature=");
        buf_append(to, sig.data, sig.len);
        buf_free(&msg);
        buf_free(&sig);
        hdrs[nh].name = "X-MBX-APIKEY";
        hdrs[nh].value = FZ_ALICE_HMAC_KEY;
        nh++;
    }
    rest_req rq = {
        .method = method, .path = path,
        .query = buf_cstr(&query), .qlen = query.len,
        .body = buf_cstr(&body), .blen = body.len,
        .hdrs = hdrs, .nhdrs = nh, .client_ip = "127.0.0.1",
    };
    /* as rest.c: a body is a form unless typed otherwise */
    rq.body_is_form = strcmp(method, "GET") && body.len
                      && (!ct || !strncasecmp(ct, "application/x-www-form-urlencoded", 33));
    fz_rest(&rq);
    buf_free(&query);
    buf_free(&body);
    for (size_t i = 0; i < nh - (size_t)sign; i++) free(hcopy[i]);
    free(line);
    fz_srv_tick(5000);
    return 0;
}
