/* tool: the pieces of `binsig`, a thin command-line layer over lib/ (sig,
 * payload, params, httpreq, explain, timing, errors). Each subcommand lives
 * in its own file; this header is their shared contract. Exit codes:
 * 0 success/valid, 1 invalid/failed, 2 bad usage or unusable input/key. */
#ifndef BC_TOOL_H
#define BC_TOOL_H
#include <stddef.h>
#include "buf.h"
#include "params.h"
#include "sig.h"

#define TOOL_OK 0
#define TOOL_FAIL 1
#define TOOL_USAGE 2

/* Parsed command-line options (every subcommand uses a subset). */
typedef struct tool_opts {
    const char *secret, *secret_file, *key_file, *passphrase;
    const char *payload, *payload_file;
    const char *signature;
    const char *request;        /* file or "-" */
    const char *candidate_keys; /* explain: FILE[,FILE...] other registered keys to try */
    int ws, markdown, verbose, help;
    const char **rest;          /* positional arguments */
    size_t nrest;
} tool_opts;

/* Option names a subcommand accepts, e.g. "secret,secret-file,key,passphrase". */
int tool_parse(tool_opts *o, int argc, char **argv, const char *allowed, const char *cmd);
void tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read a whole file ("-" = stdin) into b. 0 ok, -1 (message printed). */
int tool_read_file(const char *path, buf_t *b);
/* Load the key of --secret / --secret-file / --key (+ --passphrase).
 * --secret-file strips ONE trailing newline ("\n" or "\r\n"). Returns NULL
 * with a message (never key material) on error or when none/several given. */
sig_key *tool_load_key(const tool_opts *o);
/* The payload bytes of --payload / --payload-file (exact bytes, no stripping). */
int tool_load_payload(const tool_opts *o, buf_t *b);

/* WS frame: locate the raw text of the top-level "params" object.
 * 0 ok (*p, *n set), -1 with a reason in err. */
int tool_ws_params(const char *frame, size_t len, const char **p, size_t *n,
                   char *err, size_t errlen);
/* Parse a WS frame's params into out (PARAM_JSON). 0 ok, -1 (message printed). */
int tool_ws_parse(const char *frame, size_t len, params_t *out);

int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_payload(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_vectors(int argc, char **argv);
int cmd_errors(int argc, char **argv);

/* vectors runners (tool_vectors*.c): each adds to *pass / *fail. */
typedef struct vec_run {
    const char *file;           /* base name, for messages */
    const char *dir;            /* directory of the file (keys are relative to it) */
    int pass, fail, verbose;
} vec_run;
struct cJSON;
void vec_fail(vec_run *v, const struct cJSON *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vec_pass(vec_run *v, const struct cJSON *t);
int vec_run_signatures(vec_run *v, const struct cJSON *root, int ws);
int vec_run_payloads(vec_run *v, const struct cJSON *root);
int vec_run_timing(vec_run *v, const struct cJSON *root);
#endif
