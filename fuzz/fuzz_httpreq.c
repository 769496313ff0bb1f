/* fuzz_httpreq: binsig's parser of pasted requests (lib/httpreq: raw HTTP,
 * curl -v transcripts, URLs, curl command lines), then the REST payload
 * built from what it found, as `binsig payload/explain` do.
 * Oracles: a parsed request has a method and a path, the query length
 * matches its text, at most HTTPREQ_MAX_HEADERS headers; a failure says why. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "httpreq.h"
#include "payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    httpreq r;
    char err[256] = "";
    memset(&r, 0, sizeof r);
    if (httpreq_parse(&r, (const char *)data, size, err, sizeof err) == 0) {
        if (!r.method || !r.path || !r.query || !r.body) abort();
        if (strlen(r.query) > r.query_len || r.nheaders > HTTPREQ_MAX_HEADERS) abort();
        (void)httpreq_get_header(&r, "X-MBX-APIKEY");
        (void)httpreq_is_form(&r);
        buf_t out = BUF_INIT;
        (void)payload_rest(&out, r.query, r.query_len, r.body, r.body_len, NULL);
        buf_free(&out);
    } else if (!err[0]) {
        abort();
    }
    httpreq_free(&r);
    return 0;
}
