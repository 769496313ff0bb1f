/* bcs_admin: /__admin helpers for the suites (clock, reset, journal). */
#include <stdio.h>
#include <string.h>
#include "bcs.h"

int bcs_admin(const bcs_mock *m, const char *method, const char *path, const char *json, bcs_resp *r)
{
    bcs_resp tmp;
    bcs_resp *out = r ? r : &tmp;
    char auth[200], ct[] = "Content-Type: application/json";
    const char *hdrs[3];
    size_t nh = 0;
    if (m->admin_token[0]) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", m->admin_token);
        hdrs[nh++] = auth;
    }
    if (json) hdrs[nh++] = ct;
    hdrs[nh] = NULL;
    int rc = bcs_http(m, method, path, hdrs, json, out);
    int status = rc < 0 ? 0 : out->status;
    if (!r) bcs_resp_free(&tmp);
    return status;
}

int bcs_clock_freeze(const bcs_mock *m, int64_t at_ms)
{
    char j[100];
    snprintf(j, sizeof j, "{\"frozen_at_ms\":%lld}", (long long)at_ms);
    return bcs_admin(m, "POST", "/__admin/clock", j, NULL);
}

int bcs_clock_unfreeze(const bcs_mock *m)
{
    return bcs_admin(m, "POST", "/__admin/clock", "{\"frozen\":false,\"offset_ms\":0}", NULL);
}

int bcs_reset(const bcs_mock *m)
{
    return bcs_admin(m, "POST", "/__admin/reset", NULL, NULL);
}

cJSON *bcs_journal_entry(const bcs_mock *m, long id)
{
    char path[64];
    bcs_resp r;
    snprintf(path, sizeof path, "/__admin/journal/%ld", id);
    if (bcs_admin(m, "GET", path, NULL, &r) != 200) { bcs_resp_free(&r); return NULL; }
    cJSON *e = r.json;
    r.json = NULL;
    bcs_resp_free(&r);
    return e;
}
