/* book: the local order book checks of the stream cases (Binance's "how to
 * manage a local order book correctly"): a REST depth snapshot saved by a
 * step ("saveData"), the library's depthUpdate events applied to it in order
 * (bookApply: first event must straddle lastUpdateId + 1, then U = previous
 * u + 1; quantity 0 removes a level), and the result compared with a fresh
 * REST depth (bookEquals). The runner keeps the book; the library must
 * deliver every event, in order, unaltered. */
#include "conform.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double book_num(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return v->valuedouble;
    return cJSON_IsString(v) ? strtod(v->valuestring, NULL) : -1;
}

static cJSON *book_get(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(ck, "book");
    cJSON *b = cJSON_IsString(name) ? cJSON_GetObjectItemCaseSensitive(env->vars, name->valuestring) : NULL;
    if (!cJSON_IsObject(b) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(b, "bids")))
        snprintf(msg, n, "harness: no saved depth snapshot '%s' (saveData)",
                 cJSON_IsString(name) ? name->valuestring : "?");
    return cJSON_IsObject(b) ? b : NULL;
}

/* Set (or remove, qty 0) one level of a side kept sorted (bids down, asks up). */
static void book_set(cJSON *side, const cJSON *lvl, int desc)
{
    double p = book_num(cJSON_GetArrayItem(lvl, 0)), q = book_num(cJSON_GetArrayItem(lvl, 1));
    cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, side) {
        double ip = book_num(cJSON_GetArrayItem(it, 0));
        if (ip == p) {
            if (q == 0)
                cJSON_DeleteItemFromArray(side, i);
            else
                cJSON_ReplaceItemInArray(side, i, cJSON_Duplicate(lvl, 1));
            return;
        }
        if (desc ? ip < p : ip > p)
            break;
        i++;
    }
    if (q == 0)
        return;
    if (it)
        cJSON_InsertItemInArray(side, i, cJSON_Duplicate(lvl, 1));
    else
        cJSON_AddItemToArray(side, cJSON_Duplicate(lvl, 1));
}

int ck_book_apply(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    cJSON *b = book_get(env, ck, msg, n), *d = cJSON_GetObjectItemCaseSensitive(env->result, "data");
    const cJSON *it;
    double last, U, u;
    if (!b)
        return 0;
    if (!cJSON_IsObject(d) || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "U")))
        return snprintf(msg, n, "no depthUpdate event (U, u, b, a) surfaced"), 0;
    last = book_num(cJSON_GetObjectItemCaseSensitive(b, "lastUpdateId"));
    U = book_num(cJSON_GetObjectItemCaseSensitive(d, "U"));
    u = book_num(cJSON_GetObjectItemCaseSensitive(d, "u"));
    if (u <= last)
        return 1;                        /* older than the snapshot: dropped */
    if (U > last + 1)
        return snprintf(msg, n, "depth events missed: event U=%.0f after lastUpdateId %.0f", U, last), 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "b"))
        book_set(cJSON_GetObjectItemCaseSensitive(b, "bids"), it, 1);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "a"))
        book_set(cJSON_GetObjectItemCaseSensitive(b, "asks"), it, 0);
    cJSON_ReplaceItemInObjectCaseSensitive(b, "lastUpdateId", cJSON_CreateNumber(u));
    return 1;
}

static int book_side_equal(const cJSON *mine, const cJSON *srv, const char *name, char *msg, size_t n)
{
    int i = 0, ns = cJSON_GetArraySize(srv);
    const cJSON *a;
    cJSON_ArrayForEach(a, mine) {
        const cJSON *b = cJSON_GetArrayItem(srv, i);
        if (i >= ns)
            return 1;                    /* the snapshot had more levels than this read */
        if (book_num(cJSON_GetArrayItem(a, 0)) != book_num(cJSON_GetArrayItem(b, 0)) ||
            book_num(cJSON_GetArrayItem(a, 1)) != book_num(cJSON_GetArrayItem(b, 1)))
            return snprintf(msg, n, "local book %s[%d] differs from the server's depth", name, i), 0;
        i++;
    }
    if (i < ns && i < 100)
        return snprintf(msg, n, "local book has %d %s levels, the server %d", i, name, ns), 0;
    return 1;
}

int ck_book_equals(const check_env *env, const cJSON *ck, char *msg, size_t n)
{
    cJSON *b = book_get(env, ck, msg, n);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(env->result, "data");
    double mine, srv;
    if (!b)
        return 0;
    mine = book_num(cJSON_GetObjectItemCaseSensitive(b, "lastUpdateId"));
    srv = book_num(cJSON_GetObjectItemCaseSensitive(d, "lastUpdateId"));
    if (mine != srv)
        return snprintf(msg, n, "local book at update %.0f, the server's depth at %.0f (events missing)",
                        mine, srv), 0;
    return book_side_equal(cJSON_GetObjectItemCaseSensitive(b, "bids"),
                           cJSON_GetObjectItemCaseSensitive(d, "bids"), "bids", msg, n) &&
           book_side_equal(cJSON_GetObjectItemCaseSensitive(b, "asks"),
                           cJSON_GetObjectItemCaseSensitive(d, "asks"), "asks", msg, n);
}
