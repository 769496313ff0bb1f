/* fuzz: what the libFuzzer targets share - the entry point they define, the
 * input splitter (inputs are text: fields separated by a newline or by the
 * record separator 0x1E, so corpus files stay readable), the oracles every
 * answer must pass (valid UTF-8, valid JSON), and the in-process server
 * fixture (fz_srv.c) the server-level targets run against. */
#ifndef BC_FUZZ_H
#define BC_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A cursor over the input. */
typedef struct fz_in { const char *p; size_t n; } fz_in;

/* The next field up to sep (not included; the rest when sep is absent).
 * 0 when the input is used up. */
int fz_field(fz_in *in, char sep, const char **f, size_t *fn);
/* A NUL-terminated copy of f[0..n) (abort on oom: a fuzz target has no
 * better answer). */
char *fz_strndup(const char *f, size_t n);
/* Abort (a finding) unless s[0..n) is valid UTF-8 / valid JSON text. */
void fz_assert_utf8(const char *what, const char *s, size_t n);
void fz_assert_json(const char *what, const char *s, size_t n);

/* A path whose file holds data[0..n) (a memfd, rewritten on every call), for
 * loaders that only take a file name. */
const char *fz_memfile(const void *data, size_t n);

/* ---- the in-process server (fz_srv.c) ---- */
struct srv;
/* The server every server-level target talks to: bundled key registry,
 * rate limits off, clock frozen at FZ_NOW_MS; built on first use. */
struct srv *fz_srv(void);
/* Count one input; every `every` inputs the server is rebuilt from scratch so
 * state (orders, accounts, listen keys) never accumulates across a long run. */
void fz_srv_tick(unsigned every);
/* alice's HMAC key (vectors/keys/registry.json) and its signature of msg
 * (lower-case hex) into out. */
extern const char FZ_ALICE_HMAC_KEY[];
extern const char FZ_ALICE_ED25519_KEY[];
void fz_sign_hmac(buf_t *out, const char *msg, size_t n);
void fz_sign_ed25519(buf_t *out, const char *msg, size_t n);

/* Run one REST request through the real pipeline (mock_server/pipeline.c)
 * and check the answer: an HTTP status, a body that is empty or one valid
 * JSON value in valid UTF-8. */
struct rest_req;
void fz_rest(const struct rest_req *rq);

/* Open an in-process WebSocket connection (ws_inproc.c) and feed it text
 * messages. data: "<url>\n" then messages separated by 0x1E. A url line with
 * a byte civetweb refuses in a request target (blanks, controls, non-ASCII:
 * it answers 400) is skipped, as the handshake never happens. The url line
 * is "?query" for the WS API (uri = "/ws-api/v3") or the whole stream URL
 * ("/stream?streams=a/b", "/ws/a") when uri is NULL. logon: first a real
 * session.logon signed with alice's Ed25519 key. Every text frame the server
 * sends must be valid UTF-8 and one valid JSON value. */
void fz_ws(const char *uri, const char *data, size_t size, int logon);

#define FZ_NOW_MS 1700000000000LL   /* the frozen server clock; seeds use timestamp=1700000000000 */
#endif
