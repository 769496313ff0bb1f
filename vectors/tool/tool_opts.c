/* tool_opts: binsig's option parsing (--name VALUE or --name=VALUE, and a
 * lone "-" meaning stdin), file reading, and key/payload loading. Secrets are
 * wiped after use and never printed. */
#include "tool.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

void tool_err(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("binsig: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int opt_allowed(const char *allowed, const char *name) {
    size_t n = strlen(name);
    for (const char *p = allowed; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Map an option name to its slot; flags get NULL and *flag set. */
static const char **opt_slot(tool_opts *o, const char *name, int **flag) {
    *flag = NULL;
    if (!strcmp(name, "secret")) return &o->secret;
    if (!strcmp(name, "secret-file")) return &o->secret_file;
    if (!strcmp(name, "key")) return &o->key_file;
    if (!strcmp(name, "passphrase")) return &o->passphrase;
    if (!strcmp(name, "payload")) return &o->payload;
    if (!strcmp(name, "payload-file")) return &o->payload_file;
    if (!strcmp(name, "signature")) return &o->signature;
    if (!strcmp(name, "request")) return &o->request;
    if (!strcmp(name, "candidate-keys")) return &o->candidate_keys;
    if (!strcmp(name, "ws")) *flag = &o->ws;
    else if (!strcmp(name, "markdown")) *flag = &o->markdown;
    else if (!strcmp(name, "verbose")) *flag = &o->verbose;
    return NULL;
}

int tool_parse(tool_opts *o, int argc, char **argv, const char *allowed, const char *cmd) {
    memset(o, 0, sizeof(*o));
    o->rest = calloc((size_t)argc + 1, sizeof(char *));
    if (!o->rest) { tool_err("out of memory"); return -1; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { o->help = 1; continue; }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') { o->rest[o->nrest++] = a; continue; }
        char name[64];
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (n >= sizeof(name)) n = sizeof(name) - 1;
        memcpy(name, a + 2, n);
        name[n] = '\0';
        int *flag;
        const char **slot = opt_slot(o, name, &flag);
        if ((!slot && !flag) || !opt_allowed(allowed, name)) {
            tool_err("%s: unknown option --%s (see binsig %s --help)", cmd, name, cmd);
            return -1;
        }
        if (flag) {
            if (eq) { tool_err("%s: --%s takes no value", cmd, name); return -1; }
            *flag = 1;
            continue;
        }
        if (eq) *slot = eq + 1;
        else if (i + 1 < argc) *slot = argv[++i];
        else { tool_err("%s: --%s needs a value", cmd, name); return -1; }
    }
    return 0;
}

int tool_read_file(const char *path, buf_t *b) {
    FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!fp) { tool_err("cannot open %s: %s", path, strerror(errno)); return -1; }
    char tmp[8192];
    size_t n;
    int rc = 0;
    while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
        if (buf_append(b, tmp, n) < 0) { tool_err("out of memory reading %s", path); rc = -1; break; }
    if (ferror(fp)) { tool_err("error reading %s", path); rc = -1; }
    if (fp != stdin) fclose(fp);
    OPENSSL_cleanse(tmp, sizeof(tmp));
    if (rc == 0 && buf_append(b, "", 0) < 0) rc = -1;
    return rc;
}

static void tool_wipe(buf_t *b) {
    if (b->data) OPENSSL_cleanse(b->data, b->cap);
    buf_free(b);
}

sig_key *tool_load_key(const tool_opts *o) {
    int given = !!o->secret + !!o->secret_file + !!o->key_file;
    if (given != 1) {
        tool_err(given ? "give only one of --secret, --secret-file, --key"
                       : "a key is required: --secret S, --secret-file F or --key PEMFILE");
        return NULL;
    }
    buf_t text = BUF_INIT;
    const char *src = o->secret_file ? o->secret_file : o->key_file;
    if (o->secret) {
        if (buf_puts(&text, o->secret) < 0) { tool_err("out of memory"); return NULL; }
    } else if (tool_read_file(src, &text) < 0) {
        tool_wipe(&text);
        return NULL;
    }
    if (o->secret_file && text.len && text.data[text.len - 1] == '\n') {
        text.len--;
        if (text.len && text.data[text.len - 1] == '\r') text.len--;
        text.data[text.len] = '\0';
    }
    if (o->key_file && !strstr(buf_cstr(&text), "-----BEGIN")) {
        tool_err("%s is not a PEM file (--key takes an RSA/Ed25519 PEM; use --secret-file for an HMAC secret)", src);
        tool_wipe(&text);
        return NULL;
    }
    if (text.len == 0) {
        tool_err("the key %s is empty", o->secret ? "given with --secret" : src);
        tool_wipe(&text);
        return NULL;
    }
    sig_key *k = NULL;
    char err[256] = "";
    if (sig_key_load(&k, text.data, text.len, o->passphrase, err, sizeof(err)) != 0) {
        tool_err("unusable key%s%s: %s", o->secret ? "" : " in ", o->secret ? "" : src,
                 err[0] ? err : "cannot load");
        k = NULL;
    }
    tool_wipe(&text);
    return k;
}

int tool_load_payload(const tool_opts *o, buf_t *b) {
    if (!!o->payload + !!o->payload_file != 1) {
        tool_err("give exactly one of --payload P or --payload-file F");
        return -1;
    }
    if (o->payload) {
        if (buf_puts(b, o->payload) < 0 || buf_append(b, "", 0) < 0) { tool_err("out of memory"); return -1; }
        return 0;
    }
    return tool_read_file(o->payload_file, b);
}
