/* fuzz_symbols: the exchange's symbol configuration loader (binance-mock
 * --symbols FILE: symbols, filters, permissions, the market maker set up
 * from them) through exchange_new, exactly as the server starts.
 * Oracles: a loaded exchange has symbols, each found again by its name;
 * a failure says why; ASan/UBSan, no leak on either path. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "exchange_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exchange_opts o = { .symbols_file = fz_memfile(data, size), .seed = 42, .now_us = FZ_NOW_MS * 1000 };
    char err[256] = "";
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    if (!ex) {
        if (!err[0]) abort();
        return 0;
    }
    size_t n = ex_symbol_count(ex);
    if (!n) abort();
    for (size_t i = 0; i < n; i++) {
        ex_symbol *s = ex_symbol_at(ex, i);
        ex_symbol *f = ex_symbol_find(ex, s->name);
        if (!f || strcmp(f->name, s->name)) abort();
    }
    exchange_free(ex);
    return 0;
}
