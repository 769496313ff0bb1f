/* wsgate: the runner's WebSocket gates (issue 11). Isolation (no
 * connection of an earlier case survives the server reset), the synchronous
 * admin drop / close (the next call never races the close), the reconnect
 * grace of PROTOCOL.md §2.1 (reconnect: {withinMs, loggedOn}), and the
 * stream control frames the server refused (named in a stream op's reason). */
#include "conform.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *wg_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double wg_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Isolation: the reset closed every WebSocket connection (the server waits
 * for them to go); one still listed belongs to an earlier case's client that
 * ignored the close or reconnected on its own, and would receive this case's
 * drops and serverShutdown events. */
int wsgate_assert_no_ws(conform_ctx *cx, char *err, size_t n)
{
    cJSON *l = admin_get(&cx->srv, "/__admin/ws/list", err, n);
    const cJSON *conns = cJSON_GetObjectItemCaseSensitive(l, "connections"), *c;
    int count = cJSON_GetArraySize(conns);
    if (!l)
        return -1;
    if (count > 0) {
        c = cJSON_GetArrayItem(conns, 0);
        snprintf(err, n, "isolation: %d WebSocket connection(s) of an earlier case still open after "
                 "the server reset (e.g. #%d %s): the previous client ignored the close or "
                 "reconnected; configure must close the previous client for good", count,
                 (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "id")),
                 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "path")));
        cJSON_Delete(l);
        return -1;
    }
    cJSON_Delete(l);
    return 0;
}

/* After an admin drop / close: wait (bounded) until the server has closed
 * every connection it had, so the next call always meets a library whose
 * connection is already gone - never one racing the close (issue 11: the
 * same library hung 14 s in one run and failed in 38 ms in another). */
void wsgate_await_closed(conform_ctx *cx, cJSON *rec, long max_id)
{
    double t0 = wg_now_ms();
    int older = 1;
    while (max_id > 0 && wg_now_ms() - t0 < 5000) {
        if (admin_ws_scan(&cx->srv, max_id, 0, NULL, &older) < 0 || older == 0)
            break;
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    }
    cx->ws_drop_max_id = max_id > 0 ? max_id : 0;
    cx->ws_drop_ms = wg_now_ms();
    cJSON_AddNumberToObject(rec, "closedAfterMs", floor(cx->ws_drop_ms - t0));
    if (max_id > 0 && older > 0)
        cJSON_AddNumberToObject(rec, "stillOpen", older);
}

/* The same call again; while it fails and the server has seen the new
 * connection, again every 50 ms until the grace ends (deadline, 0: once).
 * The server sees a connection at its 101, a moment before the library
 * has handled its own "open": a call in between is still refused by some
 * libraries ("Not connected") although the reconnect works. */
static cJSON *wg_retry(conform_ctx *cx, const char *op, const cJSON *params, double deadline, cJSON *g,
                       char *err, size_t errlen)
{
    int tries = 1;
    cJSON *r = adapter_call(&cx->ad, op, cJSON_Duplicate(params, 1), err, errlen);
    while (r && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")) && wg_now_ms() + 50 < deadline &&
           tries < 100) {
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
        cJSON_Delete(r);
        r = adapter_call(&cx->ad, op, cJSON_Duplicate(params, 1), err, errlen);
        tries++;
    }
    cJSON_AddNumberToObject(g, "attempts", tries);
    return r;
}

/* The grace a case gives a library to reconnect ("reconnect": {"withinMs": N,
 * "loggedOn": bool} on the step after a drop; PROTOCOL.md §2.1). The call
 * right after the drop was refused (an error answer): wait until the server
 * sees a new WS API connection (logged on, with loggedOn) or until N ms after
 * the drop, then make the same call again (wg_retry); that answer is the step's.
 * A library that reconnects on the call itself never gets here. Returns the
 * answer to keep (the second one, or res). */
cJSON *wsgate_reconnect_grace(conform_ctx *cx, const cJSON *grace, const char *op,
                                  const cJSON *params, cJSON *res, cJSON *rec, char *note, size_t nn)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(grace, "withinMs");
    int logged_on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(grace, "loggedOn")), fresh = 0;
    double within = cJSON_IsNumber(w) ? w->valuedouble : 10000, start = cx->ws_drop_ms, t;
    const char *m1 = wg_str(cJSON_GetObjectItemCaseSensitive(res, "error"), "msg");
    char err[512];
    cJSON *res2, *g;
    note[0] = '\0';
    if (!cJSON_IsObject(grace) || !res || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "ok")) ||
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "unsupported")))
        return res;
    if (start <= 0)
        start = wg_now_ms();
    /* with loggedOn, a new connection that is not logged on within 2 s is
     * taken as a library that logs on again on the call itself */
    double seen = 0;
    while ((t = wg_now_ms()) - start < within) {
        int any = 0;
        if (admin_ws_scan(&cx->srv, cx->ws_drop_max_id, logged_on, &fresh, NULL) < 0 || fresh > 0)
            break;
        if (logged_on && admin_ws_scan(&cx->srv, cx->ws_drop_max_id, 0, &any, NULL) >= 0 && any > 0) {
            if (!seen)
                seen = t;
            else if (t - seen >= 2000)
                break;
        }
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
    if (logged_on && !fresh && seen)
        fresh = -1;   /* a new connection, not logged on (yet) */
    g = cJSON_AddObjectToObject(rec, "reconnect");
    cJSON_AddNumberToObject(g, "withinMs", within);
    cJSON_AddNumberToObject(g, "retriedAfterMs", floor(wg_now_ms() - start));
    cJSON_AddBoolToObject(g, "newConnection", fresh != 0);
    if (logged_on)
        cJSON_AddBoolToObject(g, "loggedOnBeforeRetry", fresh > 0);
    cJSON_AddItemToObject(rec, "firstResult", res);
    res2 = wg_retry(cx, op, params, fresh != 0 ? start + within : 0, g, err, sizeof err);
    if (!res2 || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res2, "ok"))) {
        const char *m2 = res2 ? wg_str(cJSON_GetObjectItemCaseSensitive(res2, "error"), "msg") : err;
        snprintf(note, nn, "no working reconnect within %.0f ms of the drop: the call right after it "
                 "got \"%.80s\", %s, the same call at +%.0f ms got \"%.80s\"", within,
                 m1 ? m1 : "an error", fresh != 0 ? (fresh > 0 && logged_on ? "a new logged-on connection came"
                                                                           : "a new connection came")
                 : (logged_on ? "no new logged-on WS API connection in that time"
                              : "no new WS API connection in that time"),
                 floor(wg_now_ms() - start), m2 ? m2 : "an error");
    }
    return res2;
}

/* Keep the first stream control frame the server refused (journal entries of
 * transport "stream": SUBSCRIBE and its error). */
void wsgate_stream_refusals(conform_ctx *cx, const cJSON *journal)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, journal) {
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
        const char *t = wg_str(e, "transport");
        if (cx->stream_note[0] || !t || strcmp(t, "stream") != 0 || !cJSON_IsNumber(st) ||
            st->valuedouble == 200)
            continue;
        snprintf(cx->stream_note, sizeof cx->stream_note, "%.40s on %.60s refused: %.200s",
                 wg_str(e, "method") ? wg_str(e, "method") : "?", wg_str(e, "path") ? wg_str(e, "path") : "?",
                 wg_str(e, "reply") ? wg_str(e, "reply") : "");
    }
}
