/* refws: the reference client's WebSocket API and streams (see refws.h). */
#define _GNU_SOURCE
#include "refws.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pct.h"
#include "sig.h"
#include "ws_client.h"

void ref_ws_init(ref_ws *w) { memset(w, 0, sizeof *w); }

int ref_ws_available(const ref_ws *w) { return w->port > 0; }

void ref_ws_close(ref_ws *w)
{
    bcws_close(w->api);
    w->api = NULL;
    w->logged_on = 0;
}

void ref_ws_free(ref_ws *w)
{
    bcws *kept[32];
    int nkept = w->nkept;
    for (int i = 0; i < w->nst; i++)
        bcws_close(w->st[i].c);
    ref_ws_close(w);
    memcpy(kept, w->kept, sizeof kept);
    ref_ws_init(w);
    memcpy(w->kept, kept, sizeof kept);
    w->nkept = nkept;
}

void ref_ws_release(ref_ws *w)
{
    for (int i = 0; i < w->nkept; i++)
        bcws_close(w->kept[i]);
    w->nkept = 0;
    ref_ws_free(w);
}

/* ws-keep-old mutant: the previous client is dropped without closing its
 * connections (they stay open, answering pings, until the adapter exits). */
static void ref_ws_keep(ref_ws *w)
{
    for (int i = 0; i < w->nst && w->nkept < 32; i++)
        if (w->st[i].c) {
            w->kept[w->nkept++] = w->st[i].c;
            w->st[i].c = NULL;
        }
    if (w->api && w->nkept < 32) {
        w->kept[w->nkept++] = w->api;
        w->api = NULL;
    }
}

static long long ref_ws_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ws://127.0.0.1:PORT/path -> port, path. Local server only (bcws). */
static int ref_ws_url(const char *url, int *port, char *path, size_t pn)
{
    const char *h, *colon, *slash;
    if (!url || strncmp(url, "ws://", 5) != 0)
        return -1;
    h = url + 5;
    if (strncmp(h, "127.0.0.1:", 10) != 0 && strncmp(h, "localhost:", 10) != 0)
        return -1;
    colon = strchr(h, ':');
    *port = atoi(colon + 1);
    slash = strchr(colon, '/');
    if (*port <= 0 || !slash || strlen(slash) >= pn)
        return -1;
    strcpy(path, slash);
    return 0;
}

int ref_ws_configure(ref_ws *w, ref_client *rc, const char *api_url, const char *stream_url,
                     char *err, size_t n)
{
    int p2 = 0;
    if (rc && (rc->mutations & REF_MUT_WS_KEEP_OLD))
        ref_ws_keep(w);
    ref_ws_free(w);
    w->rc = rc;
    if (!api_url)
        return 0;      /* REST only */
    (void)err;
    (void)n;
    if (ref_ws_url(api_url, &w->port, w->api_path, sizeof w->api_path) != 0 ||
        (stream_url && ref_ws_url(stream_url, &p2, w->stream_base, sizeof w->stream_base) != 0))
        w->port = 0;     /* not a local server: the WS ops answer unsupported, REST works */
    return 0;
}

static int ref_ws_closed(bcws *c) { return !c || bcws_wait_closed(c, 0); }

/* ---- signing ---- */

static int ref_ws_cmp(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* Value of a param as it goes into the signed payload (raw UTF-8). */
static char *ref_ws_value(const cJSON *v)
{
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    return cJSON_PrintUnformatted(v);
}

/* payload = sorted name=value pairs joined by '&' (values raw, or
 * percent-encoded under the ws-pct mutation). */
static int ref_ws_payload(const ref_ws *w, const cJSON *params, buf_t *out)
{
    const cJSON *it, **v;
    int n = cJSON_GetArraySize(params), i = 0, rc = 0;
    if (n == 0)
        return 0;
    if (!(v = calloc((size_t)n, sizeof *v)))
        return -1;
    cJSON_ArrayForEach(it, params)
        v[i++] = it;
    if (!(w->rc->mutations & REF_MUT_WS_UNSORTED))
        qsort(v, (size_t)n, sizeof *v, ref_ws_cmp);
    for (i = 0; i < n && rc == 0; i++) {
        char *s = ref_ws_value(v[i]);
        if (!s) {
            rc = -1;
            break;
        }
        buf_printf(out, "%s%s=", i ? "&" : "", v[i]->string);
        if (w->rc->mutations & REF_MUT_WS_PCT)
            pct_encode(out, s, strlen(s));
        else
            buf_puts(out, s);
        free(s);
    }
    free(v);
    return rc;
}

static void ref_ws_timestamp(const ref_ws *w, cJSON *p)
{
    struct timespec ts;
    long long ms;
    clock_gettime(CLOCK_REALTIME, &ts);
    ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (w->rc->time_synced)
        ms += w->rc->offset_ms;
    if (w->rc->recv_window[0] && !cJSON_HasObjectItem(p, "recvWindow"))
        cJSON_AddNumberToObject(p, "recvWindow", strtod(w->rc->recv_window, NULL));
    cJSON_DeleteItemFromObjectCaseSensitive(p, "timestamp");
    cJSON_AddNumberToObject(p, "timestamp", (double)ms);
}

/* Add apiKey + timestamp (+ recvWindow) and the signature to p. 0 ok. */
static int ref_ws_sign(ref_ws *w, cJSON *p, char *err, size_t n)
{
    buf_t pay = BUF_INIT, sig = BUF_INIT;
    int rc = -1;
    if (!w->rc->key || !w->rc->api_key)
        return snprintf(err, n, "no key configured"), -1;
    cJSON_DeleteItemFromObjectCaseSensitive(p, "apiKey");
    cJSON_AddStringToObject(p, "apiKey", w->rc->api_key);
    ref_ws_timestamp(w, p);
    if (ref_ws_payload(w, p, &pay) == 0 &&
        sig_sign(w->rc->key, buf_cstr(&pay), pay.len, &sig, err, n) == 0) {
        cJSON_AddStringToObject(p, "signature", buf_cstr(&sig));
        rc = 0;
    }
    buf_free(&pay);
    buf_free(&sig);
    return rc;
}

/* ---- connection ---- */

static int ref_ws_open(ref_ws *w, char *err, size_t n)
{
    int was = w->api != NULL, relogon = w->logged_on;
    if (!ref_ws_closed(w->api))
        return 0;
    if (!w->port)
        return snprintf(err, n, "WebSocket API not configured (no wsApiUrl)"), -1;
    if (was && (w->rc->mutations & REF_MUT_WS_NO_RECONNECT))
        return snprintf(err, n, "WebSocket connection closed"), -1;
    if (was && (w->rc->mutations & REF_MUT_WS_LATE)) {   /* like a 3 s reconnect timer */
        if (!w->closed_seen_ms)
            w->closed_seen_ms = ref_ws_now_ms();
        if (ref_ws_now_ms() - w->closed_seen_ms < 3000)
            return snprintf(err, n, "Not connected (reconnecting in 3 s)"), -1;
        w->closed_seen_ms = 0;
    }
    bcws_close(w->api);
    w->logged_on = 0;
    if (!(w->api = bcws_open(w->port, w->api_path, err, n)))
        return -1;
    if (was)
        w->reconnects++;
    if (relogon) {       /* a reconnect keeps the session: log on again */
        cJSON *r = ref_ws_logon(w, err, n);
        cJSON_Delete(r);
    }
    return 0;
}

static cJSON *ref_ws_exchange(ref_ws *w, const char *frame, char *err, size_t n)
{
    cJSON *r;
    int to = w->rc->timeout_ms > 0 ? w->rc->timeout_ms : 10000;
    if (bcws_send(w->api, frame) != 0)
        return snprintf(err, n, "WebSocket send failed"), NULL;
    if (!(r = bcws_recv_reply(w->api, to)))
        snprintf(err, n, ref_ws_closed(w->api) ? "WebSocket connection closed" : "WebSocket API: no answer");
    return r;
}

/* Orders are never resent: their fate on a dropped connection is unknown. */
static int ref_ws_resendable(const char *method)
{
    return strncmp(method, "order", 5) != 0 && strncmp(method, "sor.", 4) != 0;
}

cJSON *ref_ws_call(ref_ws *w, const char *method, const cJSON *params, int sign, int session,
                   const cJSON *id, char *err, size_t n)
{
    cJSON *f = cJSON_CreateObject(), *p, *r = NULL;
    char *text = NULL;
    if (!f)
        return NULL;
    if (ref_ws_open(w, err, n) != 0)
        goto out;
    if (cJSON_IsString(id) || cJSON_IsNumber(id))
        cJSON_AddItemToObject(f, "id", cJSON_Duplicate(id, 0));
    else
        cJSON_AddStringToObject(f, "id", "");
    if (!cJSON_IsString(id) && !cJSON_IsNumber(id)) {
        char idb[32];
        snprintf(idb, sizeof idb, "ref-%ld", ++w->next_id);
        cJSON_ReplaceItemInObjectCaseSensitive(f, "id", cJSON_CreateString(idb));
    }
    cJSON_AddStringToObject(f, "method", method);
    p = cJSON_IsObject(params) ? cJSON_Duplicate(params, 1) : cJSON_CreateObject();
    cJSON_AddItemToObject(f, "params", p);
    if (sign && ref_ws_sign(w, p, err, n) != 0)
        goto out;
    if (session && !sign)
        ref_ws_timestamp(w, p);
    if (cJSON_GetArraySize(p) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(f, "params");
    if (!(text = cJSON_PrintUnformatted(f)))
        goto out;
    r = ref_ws_exchange(w, text, err, n);
    if (!r && ref_ws_closed(w->api) && ref_ws_resendable(method) && ref_ws_open(w, err, n) == 0)
        r = ref_ws_exchange(w, text, err, n);
out:
    free(text);
    cJSON_Delete(f);
    return r;
}

cJSON *ref_ws_logon(ref_ws *w, char *err, size_t n)
{
    cJSON *r;
    const cJSON *st;
    w->logged_on = 0;
    r = ref_ws_call(w, "session.logon", NULL, 1, 0, NULL, err, n);
    st = cJSON_GetObjectItemCaseSensitive(r, "status");
    if (cJSON_IsNumber(st) && st->valuedouble == 200)
        w->logged_on = 1;
    return r;
}

/* ---- streams ---- */

static ref_ws_stream *ref_ws_find(ref_ws *w, const char *handle)
{
    for (int i = 0; handle && i < w->nst; i++)
        if (strcmp(w->st[i].handle, handle) == 0)
            return &w->st[i];
    return NULL;
}

static int ref_ws_market_path(ref_ws *w, const cJSON *streams, int combined, buf_t *path)
{
    const cJSON *it;
    int i = 0;
    char base[128];
    snprintf(base, sizeof base, "%s", w->stream_base);
    if (combined) {          /* /ws -> /stream?streams=a/b */
        char *slash = strrchr(base, '/');
        if (slash)
            *slash = '\0';
        buf_printf(path, "%s/stream?streams=", base);
    } else {
        buf_printf(path, "%s/", base);
    }
    cJSON_ArrayForEach(it, streams) {
        if (!cJSON_IsString(it))
            return -1;
        buf_printf(path, "%s%s", i++ ? "/" : "", it->valuestring);
    }
    return i > 0 ? 0 : -1;
}

int ref_ws_subscribe(ref_ws *w, const cJSON *params, char *out, size_t outn, cJSON **frame,
                     char *err, size_t n)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(params, "kind");
    ref_ws_stream *s;
    *frame = NULL;
    if (w->nst >= REF_WS_MAX_STREAMS)
        return snprintf(err, n, "too many streams"), -1;
    s = &w->st[w->nst];
    memset(s, 0, sizeof *s);
    if (cJSON_IsString(kind) && strcmp(kind->valuestring, "userData") == 0) {
        if (w->logged_on)
            *frame = ref_ws_call(w, "userDataStream.subscribe", NULL, 0, 0, NULL, err, n);
        else
            *frame = ref_ws_call(w, "userDataStream.subscribe.signature", NULL, 1, 0, NULL, err, n);
        if (!*frame)
            return -1;
    } else {
        buf_t path = BUF_INIT;
        s->combined = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(params, "combined"));
        if (!w->port || ref_ws_market_path(w, cJSON_GetObjectItemCaseSensitive(params, "streams"),
                                           s->combined, &path) != 0) {
            buf_free(&path);
            return snprintf(err, n, "streamSubscribe: streams (array of names) required"), -1;
        }
        if (w->rc->mutations & REF_MUT_STREAM_BAD_SUB) {   /* params must be an array */
            const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(params, "streams"), 0);
            char sub[256];
            snprintf(sub, sizeof sub, "{\"method\":\"SUBSCRIBE\",\"params\":\"%.200s\",\"id\":1}",
                     cJSON_GetStringValue(first));
            s->c = bcws_open(w->port, w->stream_base, err, n);
            if (s->c)
                bcws_send(s->c, sub);
        } else {
            s->c = bcws_open(w->port, buf_cstr(&path), err, n);
        }
        buf_free(&path);
        if (!s->c)
            return -1;
    }
    snprintf(s->handle, sizeof s->handle, "h%d", ++w->next_handle);
    snprintf(out, outn, "%s", s->handle);
    w->nst++;
    return 0;
}

static int ref_ws_matches(const cJSON *ev, const cJSON *match)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, match) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, it->string);
        if (!v || !cJSON_Compare(v, it, 1))
            return 0;
    }
    return 1;
}

/* The event proper: user data {"event":{...}}, combined {"stream","data"}. */
static cJSON *ref_ws_unwrap(cJSON *f, int combined)
{
    const char *key = combined ? "data" : "event";
    cJSON *inner = cJSON_DetachItemFromObjectCaseSensitive(f, key), *st;
    if (!cJSON_IsObject(inner)) {
        cJSON_Delete(inner);
        return f;
    }
    if (combined && (st = cJSON_GetObjectItemCaseSensitive(f, "stream")) != NULL)
        cJSON_AddItemToObject(inner, "_stream", cJSON_Duplicate(st, 0));
    cJSON_Delete(f);
    return inner;
}

cJSON *ref_ws_next(ref_ws *w, const char *handle, int timeout_ms, const cJSON *match, char *err,
                   size_t n)
{
    ref_ws_stream *s = ref_ws_find(w, handle);
    struct timespec t0, t1;
    if (!s)
        return snprintf(err, n, "streamNext: unknown handle"), NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        long left;
        cJSON *ev;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        left = timeout_ms - ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
        if (!s->c && !w->api)
            return snprintf(err, n, "streamNext: no WebSocket API connection"), NULL;
        if (left <= 0 || !(ev = bcws_recv_event(s->c ? s->c : w->api, (int)left)))
            return snprintf(err, n, "timeout"), NULL;
        ev = ref_ws_unwrap(ev, s->c ? s->combined : 0);
        if (s->c && ++s->seen == 2 && (w->rc->mutations & REF_MUT_STREAM_SKIP)) {
            cJSON_Delete(ev);           /* stream-skip mutant: the second event is lost */
            continue;
        }
        if (ref_ws_matches(ev, match))
            return ev;
        cJSON_Delete(ev);
    }
}

int ref_ws_stream_close(ref_ws *w, const char *handle)
{
    ref_ws_stream *s = ref_ws_find(w, handle);
    if (!s)
        return -1;
    bcws_close(s->c);
    *s = w->st[--w->nst];
    return 0;
}
