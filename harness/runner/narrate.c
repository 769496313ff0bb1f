/* narrate: verdict messages built from the journal - what the library did,
 * as the server saw it ("DELETE /api/v3/order -> 503 -1007, then DELETE
 * /api/v3/order -> 400 -2011"), so a FAIL names the behaviour (a retried
 * non-idempotent request, a request that never left, a stream control frame
 * the server refused) instead of only the symptom the adapter reported. */
#include "conform.h"
#include <stdio.h>
#include <string.h>

static const char *nr_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int nr_int(const cJSON *o, const char *k, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v))
        return 0;
    *out = (int)v->valuedouble;
    return 1;
}

static int nr_is_ws(const cJSON *e)
{
    const char *t = nr_str(e, "transport");
    return t && strcmp(t, "rest") != 0;
}

/* "DELETE /api/v3/order" (REST) or "ws order.cancel" (WS API) */
static void nr_request(const cJSON *e, char *out, size_t n)
{
    const char *m = nr_str(e, "method"), *p = nr_str(e, "path");
    const char *t = nr_str(e, "transport");
    if (t && strcmp(t, "stream") == 0)
        snprintf(out, n, "stream %.40s on %.60s", m ? m : "?", p ? p : "?");
    else if (nr_is_ws(e))
        snprintf(out, n, "ws %.60s", m ? m : "?");
    else
        snprintf(out, n, "%.10s %.80s", m ? m : "?", p ? p : "?");
}

/* "503 -1007", "200" */
static void nr_answer(const cJSON *e, char *out, size_t n)
{
    int st = 0, code = 0;
    int has_st = nr_int(e, "status", &st), has_code = nr_int(e, "code", &code);
    if (has_st && has_code)
        snprintf(out, n, "%d %d", st, code);
    else if (has_st)
        snprintf(out, n, "%d", st);
    else if (has_code)
        snprintf(out, n, "code %d", code);
    else
        snprintf(out, n, "no answer recorded");
}

void narrate_journal(const cJSON *journal, char *out, size_t n)
{
    const cJSON *e;
    size_t l = 0;
    int i = 0, total = cJSON_GetArraySize(journal);
    out[0] = '\0';
    if (total == 0) {
        snprintf(out, n, "no request reached the server");
        return;
    }
    cJSON_ArrayForEach(e, journal) {
        char rq[120], an[40];
        if (i == 4) {
            snprintf(out + l, n - l, ", … (%d in all)", total);
            return;
        }
        nr_request(e, rq, sizeof rq);
        nr_answer(e, an, sizeof an);
        l += (size_t)snprintf(out + l, n - l, "%s%s -> %s", i ? ", then " : "", rq, an);
        if (l >= n)
            return;
        i++;
    }
}

/* A request whose repetition is not harmless: REST POST/PUT/DELETE, WS
 * order.* / sor.* / orderList.* except the read-only ones. */
static int nr_non_idempotent(const cJSON *e)
{
    const char *m = nr_str(e, "method");
    if (!m)
        return 0;
    if (!nr_is_ws(e))
        return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "DELETE") == 0;
    if (strcmp(m, "order.status") == 0 || strncmp(m, "orderList.status", 16) == 0)
        return 0;
    return strncmp(m, "order.", 6) == 0 || strncmp(m, "sor.", 4) == 0 ||
           strncmp(m, "orderList.", 10) == 0 || strncmp(m, "openOrders.cancel", 17) == 0;
}

static int nr_same_request(const cJSON *a, const cJSON *b)
{
    const char *ma = nr_str(a, "method"), *mb = nr_str(b, "method");
    const char *pa = nr_str(a, "path"), *pb = nr_str(b, "path");
    return ma && mb && strcmp(ma, mb) == 0 && nr_is_ws(a) == nr_is_ws(b) &&
           (nr_is_ws(a) || (pa && pb && strcmp(pa, pb) == 0));
}

/* What the library surfaced, in a few words: "HTTP 400, code -2011". */
static void nr_surfaced(const cJSON *result, char *out, size_t n)
{
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(result, "error");
    int st = 0, code = 0;
    int has_st = nr_int(err, "httpStatus", &st), has_code = nr_int(err, "code", &code);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "ok")))
        snprintf(out, n, "success");
    else if (has_st && has_code)
        snprintf(out, n, "HTTP %d, code %d", st, code);
    else if (has_st)
        snprintf(out, n, "HTTP %d, no code", st);
    else if (has_code)
        snprintf(out, n, "no HTTP status, code %d", code);
    else
        snprintf(out, n, "no HTTP status, no code (\"%.80s\")",
                 nr_str(err, "msg") ? nr_str(err, "msg") : "");
}

/* The unknown-outcome check failed: say what the library did. */
void narrate_unknown(const cJSON *journal, const cJSON *result, char *out, size_t n)
{
    const cJSON *e, *first5xx = NULL, *last = NULL;
    int retries = 0, st;
    char rq[120], an5[40], anl[40], lib[160], story[600];
    cJSON_ArrayForEach(e, journal) {
        if (!first5xx && nr_int(e, "status", &st) && st >= 500 && st <= 599)
            first5xx = e;
        else if (first5xx && nr_same_request(first5xx, e))
            retries++, last = e;
    }
    nr_surfaced(result, lib, sizeof lib);
    narrate_journal(journal, story, sizeof story);
    if (!first5xx) {
        snprintf(out, n, "no 5xx reached the library (journal: %s); it reported %s", story, lib);
        return;
    }
    nr_request(first5xx, rq, sizeof rq);
    nr_answer(first5xx, an5, sizeof an5);
    if (retries > 0 && last) {
        nr_answer(last, anl, sizeof anl);
        snprintf(out, n, "retried a %s%s after %s (%d retr%s), then got %s and reported %s: "
                 "hid the unknown outcome (journal: %s)",
                 nr_non_idempotent(first5xx) ? "non-idempotent " : "", rq, an5, retries,
                 retries == 1 ? "y" : "ies", anl, lib, story);
        return;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "ok")))
        snprintf(out, n, "%s got %s (execution status unknown) and the library reported success",
                 rq, an5);
    else {
        int code = 0;
        int unknown_code = nr_int(cJSON_GetObjectItemCaseSensitive(result, "error"), "code", &code) &&
                           (code == -1006 || code == -1007);
        snprintf(out, n, "%s got %s (execution status unknown); the library reported %s: "
                 "no unknown flag, no 5xx status%s", rq, an5, lib,
                 unknown_code ? "" : ", no -1006/-1007 code");
    }
}
