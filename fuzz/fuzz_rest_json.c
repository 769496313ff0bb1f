/* fuzz_rest_json: the REST parameters whose value is JSON text
 * (symbols=[..] on the tickers and exchangeInfo, permissions=[..] on
 * exchangeInfo), through the real pipeline and handlers. The routes come
 * from the route table (every route that reads "symbols" or "permissions"),
 * so a new one is fuzzed without touching this file. Input: one selector
 * byte (route x parameter), then the decoded JSON value; the target
 * percent-encodes it into the query, so every byte reaches the handler.
 * Oracles: fz_rest, ASan/UBSan. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "endpoints.h"
#include "pct.h"
#include "pipeline.h"

static int reads(const api_route *r, const char *param)
{
    size_t n = strlen(param);
    for (const char *p = r->params; (p = strstr(p, param)) != NULL; p += n)
        if ((p == r->params || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const params[] = { "symbols", "permissions" };
    struct { const api_route *r; const char *param; } pick[64];
    size_t n = 0, nr;
    const api_route *r = endpoints_all(&nr);
    for (size_t i = 0; i < nr && n < 64; i++)
        for (size_t k = 0; k < 2 && n < 64; k++)
            if (reads(&r[i], params[k])) {
                pick[n].r = &r[i];
                pick[n++].param = params[k];
            }
    if (!size || !n) return 0;
    const api_route *route = pick[data[0] % n].r;
    const char *param = pick[data[0] % n].param;
    buf_t q = BUF_INIT;
    buf_puts(&q, param);
    buf_putc(&q, '=');
    pct_encode(&q, data + 1, size - 1);
    rest_req rq = {
        .method = route->method, .path = route->path,
        .query = buf_cstr(&q), .qlen = q.len, .body = "", .blen = 0,
        .hdrs = NULL, .nhdrs = 0, .client_ip = "127.0.0.1",
    };
    fz_rest(&rq);
    buf_free(&q);
    return 0;
}
