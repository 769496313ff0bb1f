/* tool_sign: `binsig sign` and `binsig verify` - one payload, one key. */
#include "tool.h"
#include "pct.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sign_help[] =
    "usage: binsig sign (--secret S | --secret-file F | --key PEMFILE [--passphrase P])\n"
    "                   (--payload P | --payload-file F)\n\n"
    "Signs the payload bytes exactly as given and prints the signature on one line:\n"
    "HMAC-SHA256 as lower-case hex, RSA (PKCS#1 v1.5 + SHA-256) and Ed25519 as standard\n"
    "base64 (not percent-encoded; percent-encode it yourself for a REST query/body).\n"
    "  --secret S          HMAC secret key text\n"
    "  --secret-file F     file holding the HMAC secret; ONE trailing newline is stripped\n"
    "  --key PEMFILE       RSA or Ed25519 private key (PKCS#8, PKCS#1 RSA); the type is read from the key\n"
    "  --passphrase P      passphrase of an encrypted PKCS#8 key\n"
    "  --payload P         the payload text\n"
    "  --payload-file F    the payload bytes of F, exactly (no newline is stripped; '-' = stdin)\n"
    "Exit: 0 signed, 2 bad usage or unusable key.\n";

static const char verify_help[] =
    "usage: binsig verify (--secret S | --secret-file F | --key PEMFILE [--passphrase P])\n"
    "                     --signature SIG (--payload P | --payload-file F)\n\n"
    "Verifies SIG over the payload bytes and prints 'valid' or 'invalid'. A SIG with\n"
    "percent-escapes (copied from a URL) is percent-decoded once first, as the server does.\n"
    "HMAC hex is compared case-insensitively and in constant\n"
    "time; base64 (RSA/Ed25519) is case-sensitive. --key takes a private or public PEM.\n"
    "Key and payload options as for `binsig sign` (--secret-file strips one trailing newline).\n"
    "Exit: 0 valid, 1 invalid, 2 bad usage or unusable key.\n";

#define KEY_OPTS "secret,secret-file,key,passphrase"

int cmd_sign(int argc, char **argv) {
    tool_opts o;
    if (tool_parse(&o, argc, argv, KEY_OPTS ",payload,payload-file", "sign") < 0) { free(o.rest); return TOOL_USAGE; }
    if (o.help) { fputs(sign_help, stdout); free(o.rest); return TOOL_OK; }
    int rc = TOOL_USAGE;
    buf_t payload = BUF_INIT, sig = BUF_INIT;
    sig_key *k = NULL;
    if (o.nrest) { tool_err("sign: unexpected argument '%s'", o.rest[0]); goto out; }
    if (tool_load_payload(&o, &payload) < 0 || !(k = tool_load_key(&o))) goto out;
    char err[256] = "";
    if (sig_sign(k, payload.data, payload.len, &sig, err, sizeof(err)) != 0) {
        tool_err("cannot sign: %s", err[0] ? err : "signing failed");
        goto out;
    }
    printf("%s\n", buf_cstr(&sig));
    rc = TOOL_OK;
out:
    sig_key_free(k);
    buf_free(&payload);
    buf_free(&sig);
    free(o.rest);
    return rc;
}

int cmd_verify(int argc, char **argv) {
    tool_opts o;
    if (tool_parse(&o, argc, argv, KEY_OPTS ",payload,payload-file,signature", "verify") < 0) { free(o.rest); return TOOL_USAGE; }
    if (o.help) { fputs(verify_help, stdout); free(o.rest); return TOOL_OK; }
    int rc = TOOL_USAGE;
    buf_t payload = BUF_INIT;
    sig_key *k = NULL;
    if (o.nrest) { tool_err("verify: unexpected argument '%s'", o.rest[0]); goto out; }
    if (!o.signature) { tool_err("verify: --signature SIG is required"); goto out; }
    if (tool_load_payload(&o, &payload) < 0 || !(k = tool_load_key(&o))) goto out;
    /* '%' never occurs in hex or base64: a signature copied from a URL is
     * percent-decoded once, as the server does (a '+' is kept: no form rule here). */
    buf_t sig = BUF_INIT;
    if (strchr(o.signature, '%')) {
        if (pct_decode(&sig, o.signature, strlen(o.signature), 0, NULL) != PCT_OK) {
            tool_err("verify: the signature has a malformed percent-escape");
            buf_free(&sig);
            goto out;
        }
        fputs("binsig: note: the signature was percent-decoded before verifying\n", stderr);
    } else if (buf_puts(&sig, o.signature) < 0) {
        tool_err("out of memory");
        goto out;
    }
    int ok = sig_verify(k, payload.data, payload.len, buf_cstr(&sig), sig.len) == 1;
    buf_free(&sig);
    printf("%s\n", ok ? "valid" : "invalid");
    rc = ok ? TOOL_OK : TOOL_FAIL;
out:
    sig_key_free(k);
    buf_free(&payload);
    free(o.rest);
    return rc;
}
