/* fuzz_pct: percent decoding (both '+' modes) and encoding (lib/pct).
 * Oracles: decoding never reads or writes out of bounds; an error offset lies
 * inside the input; a successful decoding is valid UTF-8 without NUL; and
 * encode -> decode gives back the exact bytes, as a well-formed encoding. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "pct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    for (int plus = 0; plus < 2; plus++) {
        buf_t out = BUF_INIT;
        size_t off = (size_t)-1;
        pct_status st = pct_decode(&out, in, size, plus, &off);
        if (st == PCT_OK) {
            if (!pct_utf8_valid(out.data, out.len, NULL) || (out.len && memchr(out.data, 0, out.len))) abort();
        } else if (st != PCT_OOM && off >= size) {
            abort();
        }
        buf_free(&out);
    }
    size_t bad = 0;
    (void)pct_utf8_valid(in, size, &bad);
    (void)pct_is_encoded(in, size);

    buf_t enc = BUF_INIT, dec = BUF_INIT;
    if (pct_encode(&enc, in, size) == 0) {
        if (!pct_is_encoded(enc.data ? enc.data : "", enc.len)) abort();
        pct_status st = pct_decode(&dec, enc.data ? enc.data : "", enc.len, 0, NULL);
        int utf8 = pct_utf8_valid(in, size, NULL) && !memchr(in, 0, size);
        if (utf8 && (st != PCT_OK || dec.len != size || (size && memcmp(dec.data, in, size)))) abort();
    }
    buf_free(&enc);
    buf_free(&dec);
    return 0;
}
