/* ws_names.c: market stream names - what a client may subscribe to, how the
 * URL forms split into names, and which names an exchange event feeds. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pct.h"
#include "ws_names.h"

static const char *const wsn_intervals[] = {
    "1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h",
    "1d", "3d", "1w", "1M", NULL
};

static int wsn_in(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(s, *set)) return 1;
    return 0;
}

static int wsn_symbol_ok(const char *s, size_t n)
{
    if (n == 0 || n > 40) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !(islower(c) || isdigit(c))) return 0;
    }
    return pct_utf8_valid(s, n, NULL);
}

static int wsn_listen_key(const char *s)
{
    size_t n = strlen(s);
    if (n != 64) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i])) return 0;
    return 1;
}

/* "depth", "depth@100ms", "depth5@1000ms" ... -> 1 */
static int wsn_depth_ok(const char *t)
{
    if (strncmp(t, "depth", 5) != 0) return 0;
    t += 5;
    if (!strncmp(t, "10", 2) || !strncmp(t, "20", 2)) t += 2;
    else if (*t == '5') t++;
    return !*t || !strcmp(t, "@100ms") || !strcmp(t, "@1000ms");
}

/* The part after '@' of a per-symbol stream (web-socket-streams.md, the 15
 * documented kinds; depth@1000ms is accepted as the spelled-out default). */
static int wsn_type_ok(const char *t)
{
    static const char *const plain[] = { "trade", "aggTrade", "bookTicker", "miniTicker", "ticker",
                                         "avgPrice", "referencePrice", "blockTrade",
                                         "ticker_1h", "ticker_4h", "ticker_1d", NULL };
    if (wsn_in(t, plain) || wsn_depth_ok(t)) return 1;
    if (strncmp(t, "kline_", 6) != 0) return 0;
    char iv[8];
    const char *tz = strchr(t + 6, '@');
    size_t n = tz ? (size_t)(tz - t - 6) : strlen(t + 6);
    if (n >= sizeof iv) return 0;
    memcpy(iv, t + 6, n);
    iv[n] = '\0';
    return wsn_in(iv, wsn_intervals) && (!tz || !strcmp(tz, "@+08:00"));
}

/* All-market streams: !miniTicker@arr, !ticker_<1h|4h|1d>@arr. */
static int wsn_global_ok(const char *name)
{
    static const char *const all[] = { "!miniTicker@arr", "!ticker_1h@arr", "!ticker_4h@arr",
                                       "!ticker_1d@arr", NULL };
    return wsn_in(name, all);
}

/* strict: the symbol must be lower-case (what Binance serves); else any
 * letters/digits (the shape of a stream name whose symbol is unknown). */
static int wsn_check(const char *name, int *is_listen_key, int strict)
{
    if (is_listen_key) *is_listen_key = 0;
    if (!name || strlen(name) >= WSN_MAX) return 0;
    if (wsn_listen_key(name)) {
        if (is_listen_key) *is_listen_key = 1;
        return 1;
    }
    if (wsn_global_ok(name)) return 1;
    const char *at = strchr(name, '@');
    if (!at || !wsn_type_ok(at + 1)) return 0;
    size_t n = (size_t)(at - name);
    if (strict) return wsn_symbol_ok(name, n);
    if (n == 0 || n > 40) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x80 && !isalnum(c)) return 0;
    }
    return pct_utf8_valid(name, n, NULL);
}

int wsn_valid(const char *name, int *is_listen_key) { return wsn_check(name, is_listen_key, 1); }

int wsn_shape_ok(const char *name) { return wsn_check(name, NULL, 0); }

int wsn_split(const char *list, char ***v, size_t *n, size_t max)
{
    int added = 0;
    const char *p = list;
    while (p && *p) {
        const char *sl = strchr(p, '/');
        size_t len = sl ? (size_t)(sl - p) : strlen(p);
        if (len) {
            if (*n >= max || len >= WSN_MAX) return -1;
            char **nv = realloc(*v, (*n + 1) * sizeof **v);
            if (!nv) return -1;
            *v = nv;
            if (!(nv[*n] = strndup(p, len))) return -1;
            (*n)++;
            added++;
        }
        p = sl ? sl + 1 : NULL;
    }
    return added;
}

int wsn_query_streams(const char *query, char *out, size_t cap)
{
    const char *p = query;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 8 && !strncmp(p, "streams=", 8)) {
            buf_t b = BUF_INIT;
            pct_status st = pct_decode(&b, p + 8, len - 8, 0, NULL);
            int ok = st == PCT_OK && b.len < cap;
            if (ok) memcpy(out, buf_cstr(&b), b.len + 1);
            buf_free(&b);
            return ok ? 0 : -1;
        }
        p = amp ? amp + 1 : NULL;
    }
    return -1;
}

static void wsn_lower(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) dst[i] = (char)tolower((unsigned char)s[i]);
    dst[i] = '\0';
}

int wsn_event_streams(const cJSON *ev, char out[WSN_EVENT_MAX][WSN_MAX])
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(ev, "s");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(ev, "e");
    char sym[64];
    if (!cJSON_IsString(s)) return 0;
    wsn_lower(sym, sizeof sym, s->valuestring);
    if (!cJSON_IsString(e)) {           /* bookTicker events carry no "e" */
        if (cJSON_GetObjectItemCaseSensitive(ev, "b") && cJSON_GetObjectItemCaseSensitive(ev, "A")) {
            snprintf(out[0], WSN_MAX, "%s@bookTicker", sym);
            return 1;
        }
        return 0;
    }
    const char *t = e->valuestring;
    const char *name = !strcmp(t, "trade") ? "trade" : !strcmp(t, "aggTrade") ? "aggTrade"
                     : !strcmp(t, "blockTrade") ? "blockTrade" : !strcmp(t, "bookTicker") ? "bookTicker"
                     : NULL;
    if (!name) return 0;
    snprintf(out[0], WSN_MAX, "%s@%s", sym, name);
    return 1;
}

int wsn_partial_depth(const char *name, char *sym, size_t cap)
{
    const char *at = strchr(name, '@');
    if (!at || strncmp(at + 1, "depth", 5) != 0) return 0;
    const char *t = at + 6;
    int lv = !strncmp(t, "10", 2) ? 10 : !strncmp(t, "20", 2) ? 20 : *t == '5' ? 5 : 0;
    if (lv && (size_t)(at - name) < cap) {
        memcpy(sym, name, (size_t)(at - name));
        sym[at - name] = '\0';
    }
    return lv;
}
