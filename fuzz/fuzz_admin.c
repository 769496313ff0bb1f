/* fuzz_admin: the JSON bodies of the admin API (/__admin/clock, faults,
 * limits, accounts, keys/revoke, ws/<action>) through admin_apply, the
 * function admin.c's HTTP handler calls. Input: the route ("clock",
 * "ws/config", ...) on the first line, then the body.
 * Oracles: an HTTP status, an answer object that prints as valid JSON;
 * ASan/UBSan (e.g. time values that overflow µs). */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "fuzz.h"
#include "srv_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = { (const char *)data, size };
    const char *f;
    size_t fn;
    if (!fz_field(&in, '\n', &f, &fn)) return 0;
    char *what = fz_strndup(f, fn);
    cJSON *out = NULL;
    int status = admin_apply(fz_srv(), what, in.p ? in.p : "", in.n, &out);
    if (status < 200 || status > 599 || !cJSON_IsObject(out)) abort();
    char *t = cJSON_PrintUnformatted(out);
    if (!t) abort();
    fz_assert_json("admin answer", t, strlen(t));
    cJSON_free(t);
    cJSON_Delete(out);
    free(what);
    fz_srv_tick(500);
    return 0;
}
