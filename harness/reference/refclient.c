/* refclient: the reference Binance Spot REST client (see refclient.h). */
#define _GNU_SOURCE
#include "refclient.h"
#include "json_guard.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pct.h"

static const struct { const char *name; unsigned bit; } ref_mut_names[] = {
    {"raw-utf8", REF_MUT_RAW_UTF8},       {"amp-join", REF_MUT_AMP_JOIN},
    {"no-recvwindow", REF_MUT_NO_RECVWINDOW}, {"sort-params", REF_MUT_SORT_PARAMS},
    {"no-timesync", REF_MUT_NO_TIMESYNC}, {"sig-mid", REF_MUT_SIG_MID},
    {"sign-none", REF_MUT_SIGN_NONE},     {"retry-5xx", REF_MUT_RETRY_5XX},
    {"secret-header", REF_MUT_SECRET_HEADER}, {"no-apikey", REF_MUT_NO_APIKEY},
    {"ws-pct", REF_MUT_WS_PCT},           {"ws-unsorted", REF_MUT_WS_UNSORTED},
    {"ws-no-reconnect", REF_MUT_WS_NO_RECONNECT}, {"stream-skip", REF_MUT_STREAM_SKIP},
    {"ws-keep-old", REF_MUT_WS_KEEP_OLD}, {"ws-reconnect-late", REF_MUT_WS_LATE},
    {"stream-bad-subscribe", REF_MUT_STREAM_BAD_SUB},
};

int ref_mutation_parse(const char *list, unsigned *out)
{
    char tmp[256], *save = NULL, *tok;
    *out = 0;
    if (strlen(list) >= sizeof tmp)
        return -1;
    strcpy(tmp, list);
    for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i, found = 0;
        for (i = 0; i < sizeof ref_mut_names / sizeof ref_mut_names[0]; i++)
            if (strcmp(tok, ref_mut_names[i].name) == 0) {
                *out |= ref_mut_names[i].bit;
                found = 1;
            }
        if (!found)
            return -1;
    }
    return 0;
}

void ref_params_init(ref_params *p) { memset(p, 0, sizeof *p); }

void ref_params_free(ref_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->name[i]);
        free(p->value[i]);
    }
    free(p->name);
    free(p->value);
    memset(p, 0, sizeof *p);
}

int ref_params_add(ref_params *p, const char *name, const char *value)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 16;
        char **nn = realloc(p->name, nc * sizeof *nn);
        if (!nn)
            return -1;
        p->name = nn;
        char **nv = realloc(p->value, nc * sizeof *nv);
        if (!nv)
            return -1;
        p->value = nv;
        p->cap = nc;
    }
    p->name[p->n] = strdup(name);
    p->value[p->n] = strdup(value);
    if (!p->name[p->n] || !p->value[p->n]) {
        free(p->name[p->n]);
        free(p->value[p->n]);
        return -1;
    }
    p->n++;
    return 0;
}

const char *ref_params_get(const ref_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->name[i], name) == 0)
            return p->value[i];
    return NULL;
}

void ref_client_init(ref_client *c)
{
    memset(c, 0, sizeof *c);
    c->timeout_ms = 10000;
}

void ref_client_free(ref_client *c)
{
    free(c->api_key);
    if (c->secret) {
        memset(c->secret, 0, strlen(c->secret));
        free(c->secret);
    }
    sig_key_free(c->key);
    memset(c, 0, sizeof *c);
}

int ref_client_set_key(ref_client *c, const char *api_key, const char *key_text,
                       char *err, size_t errlen)
{
    free(c->api_key);
    c->api_key = api_key ? strdup(api_key) : NULL;
    sig_key_free(c->key);
    c->key = NULL;
    if (!key_text)
        return 0;
    if (sig_key_load(&c->key, key_text, strlen(key_text), NULL, err, errlen) != 0)
        return -1;
    if (sig_key_type(c->key) == SIG_HMAC)
        c->secret = strdup(key_text);
    return 0;
}

void ref_result_init(ref_result *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->raw);
}

void ref_result_free(ref_result *r)
{
    cJSON_Delete(r->json);
    buf_free(&r->raw);
    memset(r, 0, sizeof *r);
}

static int64_t ref_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Append name=value pairs i in order[] (percent-encoded unless raw) joined by '&'. */
static int ref_join(buf_t *out, const ref_params *p, const size_t *order, size_t from,
                    size_t to, int raw)
{
    for (size_t k = from; k < to; k++) {
        size_t i = order[k];
        if (k > from && buf_putc(out, '&') != 0)
            return -1;
        if (raw) {
            if (buf_printf(out, "%s=%s", p->name[i], p->value[i]) != 0)
                return -1;
        } else if (pct_encode(out, p->name[i], strlen(p->name[i])) != 0 ||
                   buf_putc(out, '=') != 0 ||
                   pct_encode(out, p->value[i], strlen(p->value[i])) != 0) {
            return -1;
        }
    }
    return 0;
}

static int ref_sort_cmp(const void *a, const void *b, void *ctx)
{
    const ref_params *p = ctx;
    return strcmp(p->name[*(const size_t *)a], p->name[*(const size_t *)b]);
}

static int ref_time_sync(ref_client *c)
{
    ref_result r;
    ref_params none;
    int64_t t0 = ref_now_us(), t1;
    cJSON *st;
    ref_result_init(&r);
    ref_params_init(&none);
    if (ref_call(c, "GET", "/api/v3/time", REF_NONE, &none, &r) != 0 || r.status != 200) {
        ref_result_free(&r);
        return -1;
    }
    t1 = ref_now_us();
    st = cJSON_GetObjectItemCaseSensitive(r.json, "serverTime");
    if (cJSON_IsNumber(st)) {
        c->offset_ms = (int64_t)st->valuedouble - (t0 + t1) / 2000;
        c->time_synced = 1;
    }
    ref_result_free(&r);
    return c->time_synced ? 0 : -1;
}

/* The full parameter list of a call: caller's params, then recvWindow and timestamp. */
static int ref_build_params(ref_client *c, const ref_params *in, ref_sec sec, ref_params *all)
{
    int sign = sec == REF_SIGNED || (c->mutations & REF_MUT_SIGN_NONE);
    char ts[32];
    for (size_t i = 0; i < in->n; i++) {
        if (strcmp(in->name[i], "recvWindow") == 0 && (c->mutations & REF_MUT_NO_RECVWINDOW))
            continue;
        if (ref_params_add(all, in->name[i], in->value[i]) != 0)
            return -1;
    }
    if (!sign)
        return 0;
    if (c->recv_window[0] && !ref_params_get(in, "recvWindow") &&
        !(c->mutations & REF_MUT_NO_RECVWINDOW) &&
        ref_params_add(all, "recvWindow", c->recv_window) != 0)
        return -1;
    if (c->micro)
        snprintf(ts, sizeof ts, "%lld", (long long)(ref_now_us() + c->offset_ms * 1000));
    else
        snprintf(ts, sizeof ts, "%lld", (long long)(ref_now_us() / 1000 + c->offset_ms));
    return ref_params_add(all, "timestamp", ts);
}

/* Build the wire query/body and the signature. */
static int ref_encode(ref_client *c, const ref_params *all, int sign, int body_mode,
                      buf_t *query, buf_t *body)
{
    size_t *order = calloc(all->n + 1, sizeof *order), split = 0;
    buf_t signed_bytes = BUF_INIT, sig = BUF_INIT, encsig = BUF_INIT;
    char err[128];
    int rc = -1;
    if (!order)
        return -1;
    for (size_t i = 0; i < all->n; i++)
        order[i] = i;
    if (body_mode && (c->mutations & REF_MUT_AMP_JOIN))
        split = all->n > 1 ? all->n / 2 : 0;
    if (body_mode && !split) {
        if (ref_join(body, all, order, 0, all->n, 0) != 0)
            goto done;
    } else if (body_mode) {
        if (ref_join(query, all, order, 0, split, 0) != 0 ||
            ref_join(body, all, order, split, all->n, 0) != 0)
            goto done;
    } else if (ref_join(query, all, order, 0, all->n, 0) != 0) {
        goto done;
    }
    if (!sign) {
        rc = 0;
        goto done;
    }
    /* The bytes to sign: what is sent (query then body, no separator). */
    if (c->mutations & REF_MUT_SORT_PARAMS) {
        qsort_r(order, all->n, sizeof *order, ref_sort_cmp, (void *)all);
        if (ref_join(&signed_bytes, all, order, 0, all->n, 0) != 0)
            goto done;
    } else if (c->mutations & REF_MUT_RAW_UTF8) {
        if (ref_join(&signed_bytes, all, order, 0, all->n, 1) != 0)
            goto done;
    } else if (buf_append(&signed_bytes, buf_cstr(query), query->len) != 0 ||
               (split && (c->mutations & REF_MUT_AMP_JOIN) && buf_putc(&signed_bytes, '&') != 0) ||
               buf_append(&signed_bytes, buf_cstr(body), body->len) != 0) {
        goto done;
    }
    if (sig_sign(c->key, buf_cstr(&signed_bytes), signed_bytes.len, &sig, err, sizeof err) != 0 ||
        pct_encode(&encsig, buf_cstr(&sig), sig.len) != 0)
        goto done;
    {
        buf_t *part = body_mode ? body : query;
        if (c->mutations & REF_MUT_SIG_MID) {
            buf_t moved = BUF_INIT;
            if (buf_printf(&moved, "signature=%s%s%s", buf_cstr(&encsig), part->len ? "&" : "",
                           buf_cstr(part)) != 0) {
                buf_free(&moved);
                goto done;
            }
            buf_free(part);
            *part = moved;
        } else if (buf_printf(part, "%ssignature=%s", part->len ? "&" : "",
                              buf_cstr(&encsig)) != 0) {
            goto done;
        }
    }
    rc = 0;
done:
    free(order);
    buf_free(&signed_bytes);
    buf_free(&sig);
    buf_free(&encsig);
    return rc;
}

static int ref_send(ref_client *c, const char *method, const char *path, ref_sec sec,
                    const buf_t *query, const buf_t *body, ref_result *out)
{
    buf_t target = BUF_INIT, hdrs = BUF_INIT;
    http_resp resp;
    int rc = -1;
    http_resp_init(&resp);
    if (buf_printf(&target, "%s%s%s", path, query->len ? "?" : "", buf_cstr(query)) != 0)
        goto done;
    if (sec != REF_NONE && c->api_key && !(c->mutations & REF_MUT_NO_APIKEY) &&
        buf_printf(&hdrs, "X-MBX-APIKEY: %s\r\n", c->api_key) != 0)
        goto done;
    if (sec != REF_NONE && c->secret && (c->mutations & REF_MUT_SECRET_HEADER) &&
        buf_printf(&hdrs, "X-Secret-Key: %s\r\n", c->secret) != 0)
        goto done;
    if (body->len && buf_puts(&hdrs, "Content-Type: application/x-www-form-urlencoded\r\n") != 0)
        goto done;
    if (http_request(&c->url, method, buf_cstr(&target), buf_cstr(&hdrs),
                     body->len ? buf_cstr(body) : NULL, body->len, c->timeout_ms, &resp,
                     out->err, sizeof out->err) != 0)
        goto done;
    out->transport_ok = 1;
    out->status = resp.status;
    http_header(&resp, "Retry-After", out->retry_after, sizeof out->retry_after);
    cJSON_Delete(out->json);
    out->json = json_guard_parse(buf_cstr(&resp.body), resp.body.len);
    buf_reset(&out->raw);
    if (buf_append(&out->raw, buf_cstr(&resp.body), resp.body.len) != 0)
        goto done;
    rc = 0;
done:
    buf_free(&target);
    buf_free(&hdrs);
    http_resp_free(&resp);
    return rc;
}

int ref_call(ref_client *c, const char *method, const char *path, ref_sec sec,
             const ref_params *p, ref_result *out)
{
    ref_params all;
    buf_t query = BUF_INIT, body = BUF_INIT;
    int sign = sec == REF_SIGNED || (sec == REF_NONE && (c->mutations & REF_MUT_SIGN_NONE));
    int body_mode = strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0;
    int rc = -1;
    ref_params_init(&all);
    if (sign && !c->key) {
        snprintf(out->err, sizeof out->err, "no key configured for a signed call");
        return -1;
    }
    if (sec == REF_SIGNED && c->time_sync && !c->time_synced &&
        !(c->mutations & REF_MUT_NO_TIMESYNC) && ref_time_sync(c) != 0) {
        snprintf(out->err, sizeof out->err, "time sync failed");
        return -1;
    }
    if (ref_build_params(c, p, sign ? REF_SIGNED : sec, &all) != 0 ||
        ref_encode(c, &all, sign, body_mode, &query, &body) != 0) {
        snprintf(out->err, sizeof out->err, "out of memory or signing failed");
        goto done;
    }
    rc = ref_send(c, method, path, sec, &query, &body, out);
    if (rc == 0 && out->status >= 500 && (c->mutations & REF_MUT_RETRY_5XX))
        rc = ref_send(c, method, path, sec, &query, &body, out);
done:
    ref_params_free(&all);
    buf_free(&query);
    buf_free(&body);
    return rc;
}
