/* fuzz_keys: the API key registry loader (binance-mock --keys FILE, the same
 * code as POST /__admin/accounts): accounts, balances, keys of every type,
 * permissions, IP whitelists, through keyreg_load_file against a real
 * exchange. Oracles: every loaded key is found again by its API key (unless
 * a later entry with the same key shadows it) with its type; a failure says
 * why; ASan/UBSan, no leak. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "exchange.h"
#include "keys.h"

static struct exchange *ex;
static unsigned count;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ex || ++count % 200 == 0) {
        exchange_free(ex);
        exchange_opts o = { .symbols_file = NULL, .seed = 42, .now_us = FZ_NOW_MS * 1000 };
        ex = exchange_new(&o, NULL, 0);
        if (!ex) abort();
    }
    keyreg r;
    keyreg_init(&r);
    char err[512] = "";
    if (keyreg_load_file(&r, fz_memfile(data, size), ex, err, sizeof err) == 0) {
        for (size_t i = 0; i < r.n; i++) {
            const key_entry *e = keyreg_find(&r, r.v[i]->api_key);
            if (!e || strcmp(e->api_key, r.v[i]->api_key) || !e->key) abort();
            (void)key_ip_allowed(e, "127.0.0.1");
        }
    } else if (!err[0]) {
        abort();
    }
    keyreg_free(&r);
    return 0;
}
