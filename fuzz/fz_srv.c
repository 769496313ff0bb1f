/* fz_srv: the in-process binance-mock the server-level fuzz targets drive -
 * srv_new without srv_start (no civetweb, no socket, no thread), the bundled
 * key registry, rate limits off (a fuzzer would only meet 429/418), the
 * virtual clock frozen at FZ_NOW_MS so signed seeds stay inside recvWindow,
 * plus alice's keys so a target can sign what the fuzzer wrote. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "pipeline.h"
#include "ws/ws.h"
#include "sig.h"
#include "srv_core.h"

const char FZ_ALICE_HMAC_KEY[] = "bjwWbLax0Q0j3R4WAWjuDe29HnV6Ab6UofaDKcayu40jgi7H7WDLo2oIFbnUv9lX";
const char FZ_ALICE_ED25519_KEY[] = "NN9PaonFYWEkmrOpnnYN9defS7cIYFWI5WECuprqCca9bqWTo0E8Rvt1JEhBTFqP";

static struct srv *fz_s;
static unsigned fz_count;
static sig_key *fz_hmac, *fz_ed;

static sig_key *fz_key_file(const char *path, int strip_newline)
{
    FILE *f = fopen(path, "rb");
    char text[8192];
    size_t n = f ? fread(text, 1, sizeof text, f) : 0;
    if (f) fclose(f);
    if (strip_newline) while (n && (text[n - 1] == '\n' || text[n - 1] == '\r')) n--;
    sig_key *k = NULL;
    char err[256];
    if (!n || sig_key_load(&k, text, n, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "fuzz: cannot load %s\n", path);
        abort();
    }
    return k;
}

struct srv *fz_srv(void)
{
    if (fz_s) return fz_s;
    srv_config c;
    config_defaults(&c);
    c.rate_limits_on = 0;
    c.quiet = 1;
    char err[512];
    fz_s = srv_new(&c, err, sizeof err);
    if (!fz_s) {
        fprintf(stderr, "fuzz: srv_new: %s\n", err);
        abort();
    }
    vclock_freeze_at(&fz_s->clock, FZ_NOW_MS * 1000);
    return fz_s;
}

void fz_srv_tick(unsigned every)
{
    if (++fz_count % every) return;
    srv_free(fz_s);
    fz_s = NULL;
}

static void fz_sign(sig_key **k, const char *file, int strip, buf_t *out, const char *msg, size_t n)
{
    char err[256];
    if (!*k) *k = fz_key_file(file, strip);
    if (sig_sign(*k, msg, n, out, err, sizeof err) < 0) abort();
}

void fz_sign_hmac(buf_t *out, const char *msg, size_t n)
{
    fz_sign(&fz_hmac, BC_VECTORS_DIR "/keys/hmac.secret", 1, out, msg, n);
}

void fz_sign_ed25519(buf_t *out, const char *msg, size_t n)
{
    fz_sign(&fz_ed, BC_VECTORS_DIR "/keys/ed25519.pem", 0, out, msg, n);
}

/* BC_FUZZ_TRACE=1 prints every answer (to check what a seed reaches). */
static int fz_trace(void)
{
    static int t = -1;
    if (t < 0) t = getenv("BC_FUZZ_TRACE") != NULL;
    return t;
}

void fz_rest(const rest_req *rq)
{
    rest_resp out;
    pipeline_rest(fz_srv(), rq, &out);
    if (fz_trace()) fprintf(stderr, "REST %s %s -> %d %s\n", rq->method, rq->path, out.status, buf_cstr(&out.body));
    if (out.status < 100 || out.status > 599) abort();
    if (out.body.len) {
        fz_assert_utf8("REST response body", out.body.data, out.body.len);
        fz_assert_json("REST response body", out.body.data, out.body.len);
    }
    rest_resp_free(&out);
}

static void fz_ws_sink(void *ud, int op, const char *data, size_t n)
{
    (void)ud;
    if (op != 1) return;                           /* text frames only (1 = MG_WEBSOCKET_OPCODE_TEXT) */
    if (fz_trace()) fprintf(stderr, "WS <- %.*s\n", (int)(n > 300 ? 300 : n), data);
    fz_assert_utf8("WebSocket text frame", data, n);
    fz_assert_json("WebSocket text frame", data, n);
}

void fz_ws(const char *uri, const char *data, size_t size, int logon)
{
    fz_in in = { data, size };
    const char *f;
    size_t fn;
    fz_field(&in, '\n', &f, &fn);
    for (size_t i = 0; i < fn; i++)           /* civetweb answers 400 to anything else in a request target */
        if ((unsigned char)f[i] <= 0x20 || (unsigned char)f[i] >= 0x7f) return;
    char *url = fz_strndup(f, fn);
    char *qm = strchr(url, '?');
    if (qm) *qm++ = '\0';
    struct srv *s = fz_srv();
    struct ws_conn *c = ws_inproc_open(s->ws, uri ? uri : url, qm, "127.0.0.1", fz_ws_sink, NULL);
    if (c && logon) {   /* the same frame every time (fixed timestamp): signed once, kept */
        static buf_t frame = BUF_INIT;
        if (!frame.len) {
            static const char payload[] = "apiKey=%s&timestamp=1700000000000";
            buf_t p = BUF_INIT, sig = BUF_INIT;
            buf_printf(&p, payload, FZ_ALICE_ED25519_KEY);
            fz_sign_ed25519(&sig, p.data, p.len);
            buf_printf(&frame, "{\"id\":0,\"method\":\"session.logon\",\"params\":{\"apiKey\":\"%s\","
                       "\"signature\":\"%s\",\"timestamp\":1700000000000}}", FZ_ALICE_ED25519_KEY, sig.data);
            buf_free(&p);
            buf_free(&sig);
        }
        ws_inproc_text(c, frame.data, frame.len);
    }
    while (c && fz_field(&in, '\x1e', &f, &fn)) ws_inproc_text(c, f, fn);
    ws_inproc_close(c);
    free(url);
}
