/* tool_request: `binsig payload` and `binsig explain` - both start from a
 * request as received: a raw HTTP request (lib/httpreq: request line,
 * headers, body; `curl -v` output and bare URLs work too) or, with --ws (or
 * when the input starts with '{'), a WebSocket API JSON request frame. */
#include "tool.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain.h"
#include "httpreq.h"
#include "payload.h"

static const char payload_help[] =
    "usage: binsig payload [--ws] (--request FILE | -)\n\n"
    "Prints the canonical payload the signature must cover, followed by a newline\n"
    "(the newline is not part of the payload; $(binsig payload ...) strips it).\n"
    "REST (default): FILE is a raw HTTP request (request line, headers, blank line, body),\n"
    "  `curl -v` output or a URL. payload = query string minus its trailing signature pair,\n"
    "  concatenated with NO separator to the body minus its trailing signature pair.\n"
    "--ws: FILE is a WebSocket API request frame {\"id\":..,\"method\":..,\"params\":{..}};\n"
    "  payload = params except signature, sorted by name, values raw UTF-8.\n"
    "  (A request starting with '{' is taken as a WS frame even without --ws.)\n"
    "Problems with the request (signature not last, sent twice, missing) are noted on stderr.\n"
    "Exit: 0 payload printed, 2 bad usage or unreadable request.\n";

static const char explain_help[] =
    "usage: binsig explain [--ws] (--secret S | --secret-file F | --key PEMFILE [--passphrase P])\n"
    "                      [--candidate-keys FILE[,FILE...]] (--request FILE | -)\n\n"
    "Explains a request's signature: the parsed parameters (source, raw, decoded), the\n"
    "canonical payload, the expected and received signatures, the verdict and, on failure,\n"
    "which known client mistake reproduces the received signature (raw-utf8,\n"
    "amp-between-query-and-body, sorted-copy, plus-as-space, double-encoded,\n"
    "signature-not-last, case-flipped, truncated, wrong-key-type, hmac-base64,\n"
    "ws-unsorted, ws-percent-encoded, secret-whitespace, encoding-mismatch,\n"
    "timestamp-changed, added-after-signing, other-key, ... or unknown).\n"
    "--candidate-keys: other keys registered on the exchange (HMAC secret files, one\n"
    "  trailing newline stripped, or public/private PEMs; at most 64): if the request was\n"
    "  signed with one of them, the diagnosis is other-key, naming the file.\n"
    "Request as for `binsig payload`; key options as for `binsig sign` (a public PEM works,\n"
    "a private key also shows the expected signature).\n"
    "Exit: 0 valid, 1 invalid or no signature, 2 bad usage or unusable key/request.\n";

typedef struct req_in {
    buf_t text;
    int ws;
    httpreq http;
    params_t params;          /* WS only */
} req_in;

static const char *req_source(const tool_opts *o, const char *cmd) {
    if (o->request && o->nrest == 0) return o->request;
    if (!o->request && o->nrest == 1) return o->rest[0];
    tool_err("%s: give the request once: --request FILE, or '-' for stdin", cmd);
    return NULL;
}

static int req_load(req_in *r, const tool_opts *o, const char *cmd) {
    memset(r, 0, sizeof(*r));
    params_init(&r->params);
    const char *src = req_source(o, cmd);
    if (!src || tool_read_file(src, &r->text) < 0) return -1;
    size_t i = 0;
    while (i < r->text.len && strchr(" \t\r\n", r->text.data[i])) i++;
    r->ws = o->ws || (i < r->text.len && r->text.data[i] == '{');
    if (r->ws) return tool_ws_parse(r->text.data, r->text.len, &r->params);
    char err[256] = "";
    if (httpreq_parse(&r->http, r->text.data, r->text.len, err, sizeof(err)) != 0) {
        tool_err("%s: cannot parse the HTTP request: %s", cmd, err);
        return -1;
    }
    if (r->http.body_len && httpreq_get_header(&r->http, "Content-Type") && !httpreq_is_form(&r->http))
        fputs("binsig: note: the body is not application/x-www-form-urlencoded; Binance reads no parameters from it\n", stderr);
    return 0;
}

static void req_free(req_in *r) {
    buf_free(&r->text);
    httpreq_free(&r->http);
    params_free(&r->params);
}

int cmd_payload(int argc, char **argv) {
    tool_opts o;
    if (tool_parse(&o, argc, argv, "ws,request", "payload") < 0) { free(o.rest); return TOOL_USAGE; }
    if (o.help) { fputs(payload_help, stdout); free(o.rest); return TOOL_OK; }
    req_in r;
    buf_t out = BUF_INIT;
    int rc = TOOL_USAGE;
    if (req_load(&r, &o, "payload") < 0) goto done;
    if (r.ws) {
        if (payload_ws(&out, &r.params) != 0) { tool_err("out of memory"); goto done; }
        if (!params_get(&r.params, "signature")) fputs("binsig: note: the frame has no signature\n", stderr);
    } else {
        payload_status st = payload_rest(&out, r.http.query, r.http.query_len, r.http.body, r.http.body_len, NULL);
        if (st == PAYLOAD_OOM) { tool_err("out of memory"); goto done; }
        if (st != PAYLOAD_OK) fprintf(stderr, "binsig: note: %s\n", payload_status_str(st));
    }
    fwrite(buf_cstr(&out), 1, out.len, stdout);
    fputc('\n', stdout);
    rc = TOOL_OK;
done:
    req_free(&r);
    buf_free(&out);
    free(o.rest);
    return rc;
}

/* --candidate-keys a,b,c: load each (HMAC secret files lose one trailing
 * newline, as with --secret-file). Returns the count, -1 (message printed). */
static int load_candidates(const char *list, sig_key **keys, char (*names)[512], explain_candidate *c) {
    int n = 0;
    for (const char *p = list; p && *p && n < EXPLAIN_MAX_CANDIDATES;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        buf_t text = BUF_INIT;
        char err[256] = "";
        snprintf(names[n], sizeof names[n], "%.*s", (int)(l < 500 ? l : 500), p);
        if (tool_read_file(names[n], &text) < 0) return -1;
        size_t tl = text.len;
        if (!strstr(buf_cstr(&text), "-----BEGIN") && tl && text.data[tl - 1] == '\n') {
            tl--;
            if (tl && text.data[tl - 1] == '\r') tl--;
        }
        keys[n] = NULL;
        int rc = sig_key_load(&keys[n], text.data, tl, NULL, err, sizeof err);
        if (text.data) memset(text.data, 0, text.cap);
        buf_free(&text);
        if (rc != 0) {
            tool_err("explain: candidate key %s: %s", names[n], err);
            return -1;
        }
        c[n] = (explain_candidate){names[n], keys[n]};
        n++;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

int cmd_explain(int argc, char **argv) {
    tool_opts o;
    if (tool_parse(&o, argc, argv, "ws,request,secret,secret-file,key,passphrase,candidate-keys", "explain") < 0) {
        free(o.rest);
        return TOOL_USAGE;
    }
    if (o.help) { fputs(explain_help, stdout); free(o.rest); return TOOL_OK; }
    req_in r;
    explain_result ex;
    explain_init(&ex);
    buf_t out = BUF_INIT;
    sig_key *k = NULL, *ckeys[EXPLAIN_MAX_CANDIDATES] = {0};
    static char cnames[EXPLAIN_MAX_CANDIDATES][512];
    explain_candidate cands[EXPLAIN_MAX_CANDIDATES];
    int ncand = 0, rc = TOOL_USAGE;
    if (req_load(&r, &o, "explain") < 0 || !(k = tool_load_key(&o))) goto done;
    if ((ncand = load_candidates(o.candidate_keys, ckeys, cnames, cands)) < 0) goto done;
    explain_set_candidates(&ex, cands, (size_t)ncand);
    int e = r.ws ? explain_ws(&ex, k, &r.params)
                 : explain_rest(&ex, k, r.http.query, r.http.query_len, r.http.body, r.http.body_len);
    if (e != 0 || explain_render_text(&out, &ex) != 0) { tool_err("out of memory"); goto done; }
    fwrite(buf_cstr(&out), 1, out.len, stdout);
    if (out.len && out.data[out.len - 1] != '\n') fputc('\n', stdout);
    rc = ex.verdict == EXPLAIN_VALID ? TOOL_OK : TOOL_FAIL;
done:
    explain_free(&ex);
    sig_key_free(k);
    for (int i = 0; i < EXPLAIN_MAX_CANDIDATES; i++) sig_key_free(ckeys[i]);
    req_free(&r);
    buf_free(&out);
    free(o.rest);
    return rc;
}
