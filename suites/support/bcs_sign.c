/* bcs_sign: the bundled test keys (vectors/keys), their apiKeys (matched in
 * registry.json by secret / public-key fingerprint) and signed requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bcs.h"
#include "pct.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b = BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) buf_append(&b, tmp, n);
    fclose(f);
    if (len) *len = b.len;
    return b.data ? buf_steal(&b) : strdup("");
}

static char *key_path(const char *file)
{
    const char *src = getenv("BC_SOURCE_DIR");
    buf_t p = BUF_INIT;
    buf_printf(&p, "%s/vectors/keys/%s", src ? src : ".", file);
    return buf_steal(&p);
}

/* Key text; secrets lose their trailing newline. */
static char *key_text(const char *file, size_t *len)
{
    char *path = key_path(file);
    char *t = slurp(path, len);
    free(path);
    if (t && !strstr(t, "-----BEGIN"))
        while (*len && (t[*len - 1] == '\n' || t[*len - 1] == '\r')) t[--*len] = 0;
    return t;
}

sig_key *bcs_key(const char *file)
{
    size_t n = 0;
    char err[200];
    sig_key *k = NULL;
    char *t = key_text(file, &n);
    if (t && sig_key_load(&k, t, n, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "bcs: key %s: %s\n", file, err);
        k = NULL;
    }
    free(t);
    return k;
}

/* Stable per-file results (test-process cache, not server state). */
#define BCS_KEY_SLOTS 32
static __thread struct { char file[96]; char api[300]; } key_cache[BCS_KEY_SLOTS];

static char *api_slot(const char *file, int *hit)
{
    for (int i = 0; i < BCS_KEY_SLOTS; i++) {
        if (!strcmp(key_cache[i].file, file)) { *hit = 1; return key_cache[i].api; }
        if (!key_cache[i].file[0]) {
            snprintf(key_cache[i].file, sizeof key_cache[i].file, "%s", file);
            *hit = 0;
            return key_cache[i].api;
        }
    }
    *hit = 0;
    return key_cache[BCS_KEY_SLOTS - 1].api;
}

const char *bcs_api_key(const char *file)
{
    int hit = 0;
    char *out = api_slot(file, &hit);
    if (hit && out[0]) return out;
    size_t n = 0;
    char *t = key_text(file, &n), fp[65] = "", fp2[65] = "";
    sig_key *k = bcs_key(file);
    char *path = key_path("registry.json");
    char *reg = slurp(path, NULL);
    cJSON *root = reg ? cJSON_Parse(reg) : NULL, *a, *kk;
    out[0] = 0;
    if (k) sig_key_fingerprint(k, fp);
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(root, "accounts"))
        cJSON_ArrayForEach(kk, cJSON_GetObjectItem(a, "keys")) {
            const char *secret = cJSON_GetStringValue(cJSON_GetObjectItem(kk, "secret"));
            const char *pub = cJSON_GetStringValue(cJSON_GetObjectItem(kk, "publicKey"));
            const char *api = cJSON_GetStringValue(cJSON_GetObjectItem(kk, "apiKey"));
            int match = 0;
            if (secret && t && !strcmp(secret, t)) match = 1;
            if (pub && k && sig_key_type(k) != SIG_HMAC) {
                sig_key *pk = NULL;
                char err[100];
                if (sig_key_load(&pk, pub, strlen(pub), NULL, err, sizeof err) == 0) {
                    sig_key_fingerprint(pk, fp2);
                    match = !strcmp(fp, fp2);
                    sig_key_free(pk);
                }
            }
            if (match && api && !out[0]) snprintf(out, 300, "%s", api);
        }
    cJSON_Delete(root);
    free(reg);
    free(path);
    free(t);
    sig_key_free(k);
    return out;
}

char *bcs_sign(const sig_key *k, const char *payload, size_t n)
{
    buf_t sig = BUF_INIT, enc = BUF_INIT;
    char err[200];
    if (sig_sign(k, payload, n, &sig, err, sizeof err) < 0) { buf_free(&sig); return NULL; }
    pct_encode(&enc, sig.data, sig.len);
    buf_free(&sig);
    return buf_steal(&enc);
}

int bcs_signed(const bcs_mock *m, const char *method, const char *path, const sig_key *k,
               const char *api_key, const char *query, const char *body, int sig_in_body,
               const char *const *extra_headers, bcs_resp *r)
{
    buf_t payload = BUF_INIT, target = BUF_INIT, fbody = BUF_INIT, hk = BUF_INIT;
    const char *hdrs[16];
    size_t nh = 0;
    buf_puts(&payload, query ? query : "");
    buf_puts(&payload, body ? body : "");
    char *sig = bcs_sign(k, buf_cstr(&payload), payload.len);
    buf_puts(&target, path);
    if ((query && *query) || !sig_in_body) buf_putc(&target, '?');
    if (query) buf_puts(&target, query);
    if (!sig_in_body) buf_printf(&target, "%s%s%s", query && *query ? "&" : "", "signature=", sig ? sig : "");
    if (body || sig_in_body) {
        buf_puts(&fbody, body ? body : "");
        if (sig_in_body) buf_printf(&fbody, "%ssignature=%s", body && *body ? "&" : "", sig ? sig : "");
    }
    if (api_key) { buf_printf(&hk, "X-MBX-APIKEY: %s", api_key); hdrs[nh++] = hk.data; }
    for (size_t i = 0; extra_headers && extra_headers[i] && nh < 15; i++) hdrs[nh++] = extra_headers[i];
    hdrs[nh] = NULL;
    int rc = bcs_http(m, method, buf_cstr(&target), hdrs, (body || sig_in_body) ? buf_cstr(&fbody) : NULL, r);
    free(sig);
    buf_free(&payload);
    buf_free(&target);
    buf_free(&fbody);
    buf_free(&hk);
    return rc;
}
