/* admin: the runner's calls to binance-mock's admin API (/__admin/..., JSON
 * in and out) and its own plain reads of the Binance API. */
#include "conform.h"
#include "json_guard.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_TIMEOUT_MS 10000

static cJSON *admin_do(const srv_conn *u, const char *method, const char *target,
                       const char *body, char *err, size_t errlen)
{
    http_resp r;
    cJSON *j = NULL;
    char hdrs[400];
    snprintf(hdrs, sizeof hdrs, "%s%s", body ? "Content-Type: application/json\r\n" : "",
             strncmp(target, "/__admin", 8) == 0 ? u->auth : "");
    http_resp_init(&r);
    if (http_request(&u->u, method, target, hdrs, body,
                     body ? strlen(body) : 0, ADMIN_TIMEOUT_MS, &r, err, errlen) != 0)
        goto done;
    j = json_guard_parse(buf_cstr(&r.body), r.body.len);
    if (r.status < 200 || r.status > 299) {
        snprintf(err, errlen, "%s %s -> HTTP %d: %.200s", method, target, r.status,
                 buf_cstr(&r.body));
        cJSON_Delete(j);
        j = NULL;
    } else if (!j) {
        j = cJSON_CreateObject();   /* empty / non-JSON 2xx body */
    }
done:
    http_resp_free(&r);
    return j;
}

cJSON *admin_get(const srv_conn *u, const char *target, char *err, size_t errlen)
{
    return admin_do(u, "GET", target, NULL, err, errlen);
}

cJSON *admin_send(const srv_conn *u, const char *method, const char *target, const cJSON *body,
                  char *err, size_t errlen)
{
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON *r = admin_do(u, method, target, text ? text : (body ? NULL : "{}"), err, errlen);
    free(text);
    return r;
}

cJSON *api_get(const srv_conn *u, const char *target, char *err, size_t errlen)
{
    return admin_do(u, "GET", target, NULL, err, errlen);
}

static cJSON *admin_entries(cJSON *j)
{
    cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "entries");
    return cJSON_IsArray(e) ? e : NULL;
}

long admin_journal_last_id(const srv_conn *u)
{
    char err[256];
    cJSON *j = admin_get(u, "/__admin/journal?limit=1", err, sizeof err), *e, *last, *id;
    long r = -1;
    if (!j)
        return -1;
    e = admin_entries(j);
    if (e) {
        last = cJSON_GetArrayItem(e, cJSON_GetArraySize(e) - 1);
        id = cJSON_GetObjectItemCaseSensitive(last, "id");
        r = cJSON_IsNumber(id) ? (long)id->valuedouble : 0;
    }
    cJSON_Delete(j);
    return r;
}

cJSON *admin_journal_since(const srv_conn *u, long id, char *err, size_t errlen)
{
    char target[96];
    cJSON *j, *e, *out, *it;
    snprintf(target, sizeof target, "/__admin/journal?limit=200&since=%ld", id);
    j = admin_get(u, target, err, errlen);
    if (!j)
        return NULL;
    e = admin_entries(j);
    out = cJSON_CreateArray();
    if (e) {
        cJSON_ArrayForEach(it, e) {
            cJSON *iid = cJSON_GetObjectItemCaseSensitive(it, "id");
            const cJSON *path = cJSON_GetObjectItemCaseSensitive(it, "path");
            if (cJSON_IsNumber(iid) && (long)iid->valuedouble <= id)
                continue;
            if (cJSON_IsString(path) && strncmp(path->valuestring, "/__admin", 8) == 0)
                continue;
            cJSON_AddItemToArray(out, cJSON_Duplicate(it, 1));
        }
    }
    cJSON_Delete(j);
    return out;
}

long admin_ws_scan(const srv_conn *u, long newer_than, int logged_on, int *count, int *older)
{
    char err[256];
    cJSON *l = admin_get(u, "/__admin/ws/list", err, sizeof err);
    const cJSON *c;
    long max = 0;
    if (count)
        *count = 0;
    if (older)
        *older = 0;
    if (!l)
        return -1;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(l, "connections")) {
        long id = (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "kind"));
        if (id > max)
            max = id;
        if (older && id <= newer_than)
            (*older)++;
        if (count && newer_than >= 0 && id > newer_than && kind && strcmp(kind, "api") == 0 &&
            (!logged_on || cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "apiKey"))))
            (*count)++;
    }
    cJSON_Delete(l);
    return max;
}
