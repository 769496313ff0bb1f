/* refclient: the reference Binance Spot REST client in C. Small but real:
 * parameters kept in insertion order, percent-encoded (lib/pct) before
 * signing, signed with HMAC / RSA / Ed25519 (lib/sig), signature appended as
 * the last pair, timestamp in ms or µs, optional recvWindow, optional server
 * time sync, errors surfaced with HTTP status, code, msg and Retry-After.
 * Mutations deliberately break one rule each (the harness's mutant adapters). */
#ifndef BC_REFCLIENT_H
#define BC_REFCLIENT_H
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "buf.h"
#include "http.h"
#include "sig.h"

typedef enum ref_mutation {
    REF_MUT_RAW_UTF8 = 1 << 0,      /* sign the raw UTF-8 pairs, send them percent-encoded */
    REF_MUT_AMP_JOIN = 1 << 1,      /* POST: split query/body, sign query + "&" + body */
    REF_MUT_NO_RECVWINDOW = 1 << 2, /* never send recvWindow */
    REF_MUT_SORT_PARAMS = 1 << 3,   /* sign a sorted copy, send insertion order */
    REF_MUT_NO_TIMESYNC = 1 << 4,   /* ignore the timeSync setting */
    REF_MUT_SIG_MID = 1 << 5,       /* put signature first instead of last */
    REF_MUT_SIGN_NONE = 1 << 6,     /* add timestamp + signature to public calls */
    REF_MUT_RETRY_5XX = 1 << 7,     /* blindly retry any 5xx once (double orders) */
    REF_MUT_SECRET_HEADER = 1 << 8, /* leak the HMAC secret in a request header */
    REF_MUT_NO_APIKEY = 1 << 9,     /* omit X-MBX-APIKEY */
    REF_MUT_WS_PCT = 1 << 10,       /* WS API: sign percent-encoded values (refws.c) */
    REF_MUT_WS_UNSORTED = 1 << 11,  /* WS API: sign the params in insertion order, unsorted */
    REF_MUT_WS_NO_RECONNECT = 1 << 12, /* WS API: never reopen a closed connection */
    REF_MUT_STREAM_SKIP = 1 << 13,  /* market streams: lose the second event of each stream */
    REF_MUT_WS_KEEP_OLD = 1 << 14,  /* configure leaves the previous client's WS connections open */
    REF_MUT_WS_LATE = 1 << 15,      /* WS API: after a drop, refuse calls for 3 s, then reconnect */
    REF_MUT_STREAM_BAD_SUB = 1 << 16 /* market streams: a malformed SUBSCRIBE frame on /ws */
} ref_mutation;

typedef enum ref_sec { REF_NONE = 0, REF_SIGNED = 1, REF_KEY_ONLY = 2 } ref_sec;

typedef struct ref_params {
    char **name, **value;
    size_t n, cap;
} ref_params;

typedef struct ref_client {
    http_url url;
    char *api_key;
    char *secret;                /* HMAC only, for the secret-header mutation */
    sig_key *key;
    char recv_window[32];        /* "" = don't send */
    int time_sync;
    int time_synced;
    int64_t offset_ms;           /* server - local, when synced */
    int micro;                   /* µs timestamps */
    int timeout_ms;
    unsigned mutations;
} ref_client;

typedef struct ref_result {
    int transport_ok;            /* 0: no HTTP response (err says why) */
    int status;
    cJSON *json;                 /* parsed body or NULL */
    char retry_after[32];
    char err[256];
    buf_t raw;                   /* raw body */
} ref_result;

int ref_mutation_parse(const char *list, unsigned *out);  /* "a,b" -> bits; -1 unknown */
void ref_params_init(ref_params *p);
void ref_params_free(ref_params *p);
int ref_params_add(ref_params *p, const char *name, const char *value);
const char *ref_params_get(const ref_params *p, const char *name);

void ref_client_init(ref_client *c);
void ref_client_free(ref_client *c);
/* key_text: HMAC secret or PEM private key. 0 ok, -1 (err filled). */
int ref_client_set_key(ref_client *c, const char *api_key, const char *key_text,
                       char *err, size_t errlen);
void ref_result_init(ref_result *r);
void ref_result_free(ref_result *r);
/* One call. The result owns its JSON. Returns 0 when an HTTP response came back. */
int ref_call(ref_client *c, const char *method, const char *path, ref_sec sec,
             const ref_params *p, ref_result *out);
#endif
