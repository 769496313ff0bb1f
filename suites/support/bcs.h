/* bcs: support library of the server suites. Spawns binance-mock on
 * 127.0.0.1:0 and reads its "listening on" line; a raw HTTP/1.1 client that
 * sends exact bytes (malformed input included) and parses status, headers
 * and body (cJSON); TLS through civetweb's client; request signing with
 * lib/sig and the bundled keys; admin API helpers (clock, faults, limits,
 * reset, journal). */
#ifndef BC_BCS_H
#define BC_BCS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <cjson/cJSON.h>
#include "buf.h"
#include "sig.h"

typedef struct bcs_mock {
    pid_t pid;
    int port;
    int tls;
    char url[128];
    char admin_token[128];     /* sent as Bearer when set */
} bcs_mock;

/* Start $BINANCE_MOCK --listen 127.0.0.1:0 [args...] (NULL-terminated).
 * 0 ok (url/port filled), -1 (message on stderr). Waits at most 20 s. */
int bcs_mock_start(bcs_mock *m, const char *const *args);
/* BCS_SLOW (>= 1, default 1): how many times longer the suites wait for an
 * answer - the sanitizer/TSan builds run the server several times slower. */
int bcs_slow(void);
/* SIGTERM and wait; returns the exit status (0 clean), or -1 (killed/timeout). */
int bcs_mock_stop(bcs_mock *m);
int bcs_mock_alive(const bcs_mock *m);

typedef struct bcs_hdr { char *name, *value; } bcs_hdr;
typedef struct bcs_resp {
    int status;                /* 0: no response (connection closed / timeout) */
    bcs_hdr *hdrs; size_t nhdrs;
    buf_t body;
    cJSON *json;               /* parsed body or NULL */
} bcs_resp;

void bcs_resp_free(bcs_resp *r);
const char *bcs_header(const bcs_resp *r, const char *name);   /* case-insensitive */
int bcs_code(const bcs_resp *r);                                /* "code" or 0 */
const char *bcs_msg(const bcs_resp *r);                         /* "msg" or "" */

/* A plain TCP connection (keep-alive capable). */
typedef struct bcs_conn { int fd; buf_t in; } bcs_conn;
int bcs_conn_open(bcs_conn *c, const bcs_mock *m);
int bcs_conn_send(bcs_conn *c, const void *p, size_t n);
/* Read one response; timeout_ms bounds the wait. 0 ok, -1 closed/timeout (r->status 0). */
int bcs_conn_recv(bcs_conn *c, bcs_resp *r, int timeout_ms);
void bcs_conn_close(bcs_conn *c);

/* Exact bytes on a fresh connection, one response (timeout 10 s). */
int bcs_raw(const bcs_mock *m, const void *bytes, size_t n, bcs_resp *r);
/* METHOD target with extra header lines ("Name: value", NULL-terminated or
 * NULL) and an optional form body; over TLS when m->tls. */
int bcs_http(const bcs_mock *m, const char *method, const char *target,
             const char *const *headers, const char *body, bcs_resp *r);

/* Keys of vectors/keys (BC_SOURCE_DIR). file: "hmac.secret", "ed25519.pem", ... */
sig_key *bcs_key(const char *file);
const char *bcs_api_key(const char *file);          /* its apiKey from registry.json */
/* Signature of payload as it goes on the wire: HMAC hex, RSA/Ed25519 base64
 * percent-encoded. Caller frees. */
char *bcs_sign(const sig_key *k, const char *payload, size_t n);

/* Signed request: query/body are sent as given, "&signature=<sig>" appended to
 * the part named by sig_in_body (body when 1). The signature covers
 * query + body (REST totalParams). X-MBX-APIKEY is set when api_key != NULL. */
int bcs_signed(const bcs_mock *m, const char *method, const char *path, const sig_key *k,
               const char *api_key, const char *query, const char *body, int sig_in_body,
               const char *const *extra_headers, bcs_resp *r);

/* Admin: JSON body or NULL; returns the HTTP status (r optional). */
int bcs_admin(const bcs_mock *m, const char *method, const char *path, const char *json, bcs_resp *r);
int bcs_clock_freeze(const bcs_mock *m, int64_t at_ms);
int bcs_clock_unfreeze(const bcs_mock *m);
int bcs_reset(const bcs_mock *m);
/* Journal entry by id (new cJSON or NULL). */
cJSON *bcs_journal_entry(const bcs_mock *m, long id);
/* Path of a fresh temporary directory (caller frees). */
char *bcs_tmpdir(void);
#endif
