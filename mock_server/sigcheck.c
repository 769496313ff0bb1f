/* sigcheck: REST signature verification + the explain record. */
#include <string.h>
#include "sigcheck.h"
#include "keys.h"
#include "pct.h"
#if __has_include("explain.h")
#include "explain.h"
#define SIGCHECK_HAVE_EXPLAIN 1
#endif

void sigcheck_init(sigcheck *c)
{
    memset(c, 0, sizeof *c);
    buf_init(&c->payload);
    buf_init(&c->sig);
    c->verdict = -1;
}

void sigcheck_free(sigcheck *c)
{
    buf_free(&c->payload);
    buf_free(&c->sig);
    cJSON_Delete(c->explain);
    c->explain = NULL;
}

static int verify_decoded(const sig_key *key, const sigcheck *c)
{
    buf_t dec = BUF_INIT;
    int ok = 0;
    if (pct_decode(&dec, buf_cstr(&c->payload), c->payload.len, 1, NULL) == PCT_OK && dec.len != c->payload.len)
        ok = sig_verify(key, dec.data, dec.len, c->sig.data, c->sig.len);
    buf_free(&dec);
    return ok;
}

static void sigcheck_explain(sigcheck *c, const sig_key *key, const char *query, size_t qlen,
                             const char *body, size_t blen)
{
#ifdef SIGCHECK_HAVE_EXPLAIN
    explain_result r;
    explain_candidate cands[EXPLAIN_MAX_CANDIDATES];
    const sig_key *keys[EXPLAIN_MAX_CANDIDATES];
    char labels[EXPLAIN_MAX_CANDIDATES][96];
    size_t n = c->reg ? keyreg_candidates(c->reg, key, keys, labels, EXPLAIN_MAX_CANDIDATES) : 0;
    for (size_t i = 0; i < n; i++)
        cands[i] = (explain_candidate){labels[i], keys[i]};
    explain_init(&r);
    explain_set_candidates(&r, cands, n);
    if (explain_rest(&r, key, query, qlen, body, blen) == 0)
        c->explain = explain_render_json(&r);
    explain_free(&r);
#else
    (void)key; (void)query; (void)qlen; (void)body; (void)blen;
    c->explain = cJSON_CreateObject();
    if (c->explain) {
        cJSON_AddStringToObject(c->explain, "payloadStatus", payload_status_str(c->pst));
        cJSON_AddNullToObject(c->explain, "diagnosis");
    }
#endif
}

int sigcheck_rest(sigcheck *c, const sig_key *key, const char *query, size_t qlen,
                  const char *body, size_t blen, int allow_decoded, int explain)
{
    payload_sig ps;
    memset(&ps, 0, sizeof ps);
    c->pst = payload_rest(&c->payload, query, qlen, body, blen, &ps);
    if (ps.raw) {
        c->has_sig = 1;
        if (pct_decode(&c->sig, ps.raw, ps.raw_len, 1, NULL) != PCT_OK) c->sig.len = 0;
    }
    c->verdict = 0;
    if (c->pst == PAYLOAD_OK && c->has_sig && c->sig.len) {
        if (sig_verify(key, buf_cstr(&c->payload), c->payload.len, c->sig.data, c->sig.len))
            c->verdict = 1;
        else if (allow_decoded && verify_decoded(key, c))
            c->verdict = 1, c->matched_decoded = 1;
    }
    if (!c->verdict && explain) sigcheck_explain(c, key, query, qlen, body, blen);
    return c->verdict;
}
