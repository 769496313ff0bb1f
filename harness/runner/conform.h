/* conform: shared types of binance-conform, the conformance runner.
 * proc.c (adapter + server processes), admin.c (admin API of binance-mock),
 * keys.c (the run's throwaway test keys), cases.c (case files), run.c (one
 * case: setup, steps, templates), wsgate.c (WS isolation, drop, reconnect
 * grace), narrate.c (verdict messages from the journal), checks.c (check evaluation), report*.c
 * (console, JSON, JUnit, HTML, matrix, expected-results comparison),
 * book.c (local order book checks of the stream cases),
 * main.c (command line, cmocka runner). */
#ifndef BC_CONFORM_H
#define BC_CONFORM_H
#include <stddef.h>
#include <sys/types.h>
#include <cjson/cJSON.h>
#include "buf.h"
#include "http.h"

#define CONFORM_PROTOCOL 1

typedef enum verdict { V_PASS = 0, V_FAIL, V_NONSTRICT, V_UNSUPPORTED, V_INFO, V__COUNT } verdict;
const char *verdict_name(verdict v);
int verdict_parse(const char *s, verdict *out);   /* 0 ok, -1 unknown */

/* ---- processes (proc.c) ---- */
typedef struct adapter {
    pid_t pid;
    int to_fd, from_fd;
    buf_t rbuf;
    int timeout_ms;
    long next_id;
    char *cmd;
    char *log_path;             /* its stderr (a temporary file without --report) */
    int exit_status;            /* once stopped: exit status, 128 + signal, -1 unknown */
    cJSON *hello;               /* the hello data object */
} adapter;

int adapter_start(adapter *a, const char *cmd, const char *log_path, int timeout_ms,
                  char *err, size_t errlen);
/* Send {"id":N,"op":op,"params":params} (params consumed, may be NULL) and wait
 * for the answer with the same id. NULL on timeout / exit / garbage (err says). */
cJSON *adapter_call(adapter *a, const char *op, cJSON *params, char *err, size_t errlen);
int adapter_hello(adapter *a, char *err, size_t errlen);
int adapter_has(const adapter *a, const char *cap);    /* capability or key type */
int adapter_alive(const adapter *a);
void adapter_stop(adapter *a);
/* Print err, where the adapter's stderr is saved and its last lines (stdout flushed first). */
void adapter_report_failure(const adapter *a, const char *what, const char *err);

typedef struct mock_proc {
    pid_t pid;
    char url[160];
    char *log_path;
} mock_proc;

int mock_start(mock_proc *m, const char *path, const char *log_path, char *err, size_t errlen);
void mock_stop(mock_proc *m);
int mock_alive(mock_proc *m);                /* 0 once our binance-mock has exited */

/* ---- admin API (admin.c) ---- */
typedef struct srv_conn {
    http_url u;
    char auth[320];              /* "Authorization: Bearer T\r\n" or "" (--admin-token) */
} srv_conn;
cJSON *admin_get(const srv_conn *u, const char *target, char *err, size_t errlen);
cJSON *admin_send(const srv_conn *u, const char *method, const char *target, const cJSON *body,
                  char *err, size_t errlen);
/* A plain GET on the Binance API (runner's own reads: sameAs, templates). */
cJSON *api_get(const srv_conn *u, const char *target, char *err, size_t errlen);
long admin_journal_last_id(const srv_conn *u);      /* -1 on error */
/* The server's WS connections: highest id (0 none; -1 error); *count: API
 * connections with an id > newer_than (logged on only when logged_on);
 * *older: connections with an id <= newer_than. Both may be NULL. */
long admin_ws_scan(const srv_conn *u, long newer_than, int logged_on, int *count, int *older);
cJSON *admin_journal_since(const srv_conn *u, long id, char *err, size_t errlen);

/* ---- keys (keys.c) ---- */
enum { KT_HMAC = 0, KT_RSA, KT_ED25519, KT__COUNT };
enum { ACCT_MAIN = 0, ACCT_POOR, ACCT_READONLY, ACCT__COUNT };
typedef struct keymat {
    char api_key[65];
    char *private_text;          /* HMAC secret or PKCS#8 PEM */
    char *public_pem;            /* RSA/Ed25519 SPKI PEM; NULL for HMAC */
} keymat;
typedef struct keyset {
    keymat acct[ACCT__COUNT][KT__COUNT];
    keymat wrong[KT__COUNT];     /* another secret / private key: signatures won't verify */
    char unknown_api_key[65];
} keyset;
const char *kt_name(int kt);                 /* "hmac", "rsa", "ed25519" */
int kt_parse(const char *s);                 /* -1 unknown */
int keys_generate(keyset *ks, char *err, size_t errlen);
void keys_free(keyset *ks);
cJSON *keys_accounts_json(const keyset *ks);   /* {"accounts":[...]} */

/* ---- cases (cases.c) ---- */
typedef struct conform_case {
    char *id, *title, *path;
    cJSON *doc;                  /* the parsed case file */
    verdict v;
    char reason[512];
    double ms;
    cJSON *record;               /* for the reports */
} conform_case;

typedef struct case_list {
    conform_case *v;
    size_t n;
} case_list;

/* Load DIR/<name>.json sorted by id, keep those matching patterns ("a*,b*"; NULL = all). */
int cases_load(case_list *cl, const char *dir, const char *patterns, char *err, size_t errlen);
void cases_free(case_list *cl);
int case_key_type(const conform_case *c);    /* explicit keyType or -1 */

/* ---- running (run.c) ---- */
typedef struct conform_opts {
    const char *adapter_cmd, *cases_dir, *patterns, *report_dir, *server, *mock_path;
    const char *expect_file, *admin_token;
    unsigned key_types;          /* bit per KT_* allowed */
    int strict, timeout_ms, verbose;
} conform_opts;

typedef struct conform_ctx {
    conform_opts o;
    adapter ad;
    mock_proc mock;
    srv_conn srv;
    char server_url[160];
    keyset keys;
    int default_kt;
    cJSON *symbols;              /* cache: symbol -> exchangeInfo symbol object */
    int server_dead;             /* our binance-mock exited mid-run: stop, exit 2 */
    int adapter_log_tmp;         /* the adapter's stderr file is ours to delete at exit */
    long ws_drop_max_id;         /* last admin drop/close: highest connection id it closed */
    double ws_drop_ms;           /* ... and when it completed (monotonic ms; 0 none) */
    char stream_note[320];       /* this case's refused stream control frames (journal) */
    long journal_seen;           /* last journal id a step of this case took (-1: none yet) */
    case_list cases;
} conform_ctx;

void run_case(conform_ctx *cx, conform_case *c);

/* ---- WebSocket gates (wsgate.c) ---- */
/* After the server reset: 0 if no WS connection is left, else -1 (err says which). */
int wsgate_assert_no_ws(conform_ctx *cx, char *err, size_t n);
/* After an admin drop / close of the connections up to max_id: wait (<= 5 s)
 * until the server has closed them; notes closedAfterMs / stillOpen in rec. */
void wsgate_await_closed(conform_ctx *cx, cJSON *rec, long max_id);
/* The reconnect grace: res refused -> wait for a new connection (or withinMs
 * after the drop), make the call once more. Returns the answer to keep;
 * note says what happened when the second call fails too. */
cJSON *wsgate_reconnect_grace(conform_ctx *cx, const cJSON *grace, const char *op,
                              const cJSON *params, cJSON *res, cJSON *rec, char *note, size_t nn);
/* Keep the first stream control frame the server refused in cx->stream_note. */
void wsgate_stream_refusals(conform_ctx *cx, const cJSON *journal);

/* ---- checks (checks.c) ---- */
typedef struct check_env {
    conform_ctx *cx;
    const cJSON *result;         /* adapter answer */
    const cJSON *journal;        /* entries the step caused */
    const keymat *km;            /* configured key */
    cJSON *vars;                 /* the case's saved values (book checks update theirs) */
} check_env;
/* Evaluate one check; appends {"check","level","pass","msg"} to out.
 * Returns 1 pass, 0 fail. *level_out: 0 fail, 1 nonstrict, 2 info. */
int check_eval(const check_env *env, const cJSON *check, cJSON *out, int *level_out,
               char *msg, size_t msglen);
const cJSON *json_path(const cJSON *root, const char *path);
int ck_book_apply(const check_env *env, const cJSON *ck, char *msg, size_t n);   /* book.c */
int ck_book_equals(const check_env *env, const cJSON *ck, char *msg, size_t n);
int json_values_equal(const cJSON *a, const cJSON *b);

/* ---- verdict messages from the journal (narrate.c) ---- */
/* "POST /api/v3/order -> 503 -1007, then POST /api/v3/order -> 400 -2011" */
void narrate_journal(const cJSON *journal, char *out, size_t n);
/* Why a 5xx was not surfaced as unknown: the retry, the success, the hidden status. */
void narrate_unknown(const cJSON *journal, const cJSON *result, char *out, size_t n);

/* ---- reports (report.c, report_html.c) ---- */
cJSON *report_build(const conform_ctx *cx);
int report_write_all(const conform_ctx *cx, const cJSON *report, char *err, size_t errlen);
void report_print_summary(const conform_ctx *cx);
int report_write_html(const cJSON *report, const char *path);
/* report_matrix.c: INPUTs = report dirs or expected-results files; writes
 * OUT (.html) and OUT's .md and .json siblings. */
int report_matrix(char **inputs, int n, const char *cases_dir, const char *out_path, char *err,
                  size_t errlen);
void html_head(buf_t *b, const char *title);   /* report_html.c */
/* Compare a report with an expected-results file; prints differences. 0 same, 1 differ, -1 error. */
int report_expect(const cJSON *report, const char *expect_path);
int write_file(const char *path, const char *s, size_t n);
int mkdir_p(const char *dir);                 /* mkdir -p; 0 ok */
char *read_file(const char *path, size_t *n);
void html_escape(buf_t *b, const char *s);
#endif
