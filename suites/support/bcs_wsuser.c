/* bcs_wsuser: JSON and WebSocket API helpers shared by the server suites
 * that trade over the WS API and read user-data events (server_amend_trail,
 * server_peg, server_sor, server_ws_orderlist): field readers, exact key
 * order of a response or event, a 200 answer's result, and a connection
 * logged on with the Ed25519 test key and subscribed to user data. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

const char *bcs_jstr(const cJSON *o, const char *k)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
    return v ? v : "";
}

double bcs_jnum(const cJSON *o, const char *k)
{
    return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

void bcs_assert_keys(const cJSON *o, const char *const *keys)
{
    const cJSON *it = o ? o->child : NULL;
    for (size_t i = 0; keys[i]; i++, it = it->next) {
        if (!it) fail_msg("missing key %s", keys[i]);
        if (strcmp(it->string, keys[i])) fail_msg("key %zu: got %s, want %s", i, it->string, keys[i]);
    }
    if (it) fail_msg("extra key %s", it->string);
}

const cJSON *bcs_ws_ok(const cJSON *r)
{
    assert_non_null(r);
    if (cJSON_GetObjectItemCaseSensitive(r, "error")) {
        char *t = cJSON_PrintUnformatted(r);
        fprintf(stderr, "error: %s\n", t ? t : "?");
        free(t);
    }
    assert_int_equal((int)bcs_jnum(r, "status"), 200);
    return cJSON_GetObjectItemCaseSensitive(r, "result");
}

bcws *bcs_fx_ws_user(bcs_fx *f, int timeout_ms)
{
    bcws *c = bcs_fx_ws(f, "/ws-api/v3");
    char ts[64];
    snprintf(ts, sizeof ts, "timestamp=%lld", (long long)f->now_ms);
    const char *pairs[2] = { ts, NULL };
    sig_key *k = bcs_key("ed25519.pem");
    assert_non_null(k);
    char *params = bcws_signed_params(k, bcs_api_key("ed25519.pem"), pairs, 0);
    sig_key_free(k);
    assert_non_null(params);
    char fr[2048];
    snprintf(fr, sizeof fr, "{\"id\":\"logon\",\"method\":\"session.logon\",\"params\":%s}", params);
    free(params);
    cJSON *r = bcws_call(c, fr, timeout_ms);
    bcs_ws_ok(r);
    cJSON_Delete(r);
    r = bcws_call(c, "{\"id\":\"sub\",\"method\":\"userDataStream.subscribe\"}", timeout_ms);
    bcs_ws_ok(r);
    cJSON_Delete(r);
    return c;
}
