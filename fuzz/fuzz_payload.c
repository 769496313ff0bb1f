/* fuzz_payload: the canonical signed payloads (lib/payload). Input:
 * query \n body \n ws-params-json. REST oracles: without any signature pair
 * the payload is query + body byte for byte; otherwise it is never longer
 * than that, and a located signature lies inside the query or the body.
 * WS: the payload of any params object that parses is built without error
 * and is exactly the other pairs, name=value joined by '&'. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "payload.h"

static int inside(const char *p, size_t n, const char *base, size_t bn)
{
    return p >= base && p + n <= base + bn;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { (const char *)data, size };
    const char *q = "", *b = "", *j = "";
    size_t qn = 0, bn = 0, jn = 0;
    fz_field(&in, '\n', &q, &qn);
    fz_field(&in, '\n', &b, &bn);
    fz_field(&in, '\n', &j, &jn);

    buf_t out = BUF_INIT;
    payload_sig sig;
    memset(&sig, 0, sizeof sig);
    payload_status st = payload_rest(&out, q, qn, b, bn, &sig);
    if (st == PAYLOAD_NO_SIGNATURE) {
        if (out.len != qn + bn || (qn && memcmp(out.data, q, qn)) || (bn && memcmp(out.data + qn, b, bn)))
            abort();
    } else if (st != PAYLOAD_OOM) {
        if (out.len > qn + bn) abort();
        if (!sig.raw || !(inside(sig.raw, sig.raw_len, q, qn) || inside(sig.raw, sig.raw_len, b, bn)))
            abort();
    }
    (void)payload_status_str(st);
    buf_free(&out);

    params_t p;
    params_init(&p);
    if (params_parse_json(&p, j, jn) == 0) {
        buf_t w = BUF_INIT;
        if (payload_ws(&w, &p) != 0) abort();
        size_t want = 0, k = 0;
        for (size_t i = 0; i < p.n; i++) {
            if (p.v[i].name_len == 9 && !strcmp(p.v[i].name, "signature")) continue;
            want += p.v[i].name_len + 1 + p.v[i].value_len;
            k++;
        }
        if (w.len != want + (k ? k - 1 : 0)) abort();
        buf_free(&w);
    }
    params_free(&p);
    return 0;
}
