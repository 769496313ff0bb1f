/* openssl_crosscheck: re-derive the expected signatures of every signature
 * vector file (rest_*.json, ws_*.json) with an INDEPENDENT implementation,
 * the `openssl` command line:
 *   HMAC     openssl dgst -sha256 -hmac SECRET
 *   RSA      openssl dgst -sha256 -sign KEY.pem        | openssl base64 -A
 *   Ed25519  openssl pkeyutl -sign -rawin -inkey KEY.pem | openssl base64 -A
 * Checked: every valid/acceptable signature equals openssl's signature of the
 * payload (HMAC case-insensitively); every invalid test that records the
 * bytes the client signed (signedPayload) carries openssl's signature of
 * those bytes; every other invalid signature differs from openssl's
 * signature of the payload. Usage: bc-vectors-crosscheck [FILE...] */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#ifndef BC_VECTORS_DIR
#define BC_VECTORS_DIR "vectors"
#endif
#ifndef BC_OPENSSL_CLI
#define BC_OPENSSL_CLI "openssl"
#endif

typedef struct xc {
    const char *vdir;
    char tmp[64];
    int checked, failed;
} xc;

static char *slurp(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    size_t n;
    while (s && (n = fread(s + len, 1, cap - len - 1, fp)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *t = realloc(s, cap *= 2);
            if (!t) { free(s); s = NULL; }
            else s = t;
        }
    }
    fclose(fp);
    if (s) s[len] = '\0';
    return s;
}

/* Run cmd, return its first output line (trimmed) in out. */
static int run(const char *cmd, char *out, size_t n) {
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    int rc = pclose(p);
    char *nl = strpbrk(out, "\r\n");
    if (nl) *nl = '\0';
    return rc == 0 ? 0 : -1;
}

static int openssl_sign(xc *x, const cJSON *g, const char *bytes, char *out, size_t n) {
    FILE *fp = fopen(x->tmp, "wb");
    if (!fp || fwrite(bytes, 1, strlen(bytes), fp) != strlen(bytes) || fclose(fp) != 0) return -1;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(g, "keyType"));
    const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(g, "keyFile"));
    char cmd[4096];
    if (!type || !file) return -1;
    if (strcmp(type, "HMAC") == 0) {
        const char *secret = cJSON_GetStringValue(cJSON_GetObjectItem(g, "secret"));
        if (!secret || strpbrk(secret, "'\\")) return -1;
        snprintf(cmd, sizeof(cmd), "'%s' dgst -sha256 -hmac '%s' -r '%s'", BC_OPENSSL_CLI, secret, x->tmp);
        if (run(cmd, out, n) < 0) return -1;
        char *sp = strchr(out, ' ');
        if (sp) *sp = '\0';
        return 0;
    }
    if (strcmp(type, "RSA") == 0)
        snprintf(cmd, sizeof(cmd), "'%s' dgst -sha256 -sign '%s/%s' '%s' | '%s' base64 -A",
                 BC_OPENSSL_CLI, x->vdir, file, x->tmp, BC_OPENSSL_CLI);
    else
        snprintf(cmd, sizeof(cmd), "'%s' pkeyutl -sign -rawin -inkey '%s/%s' -in '%s' | '%s' base64 -A",
                 BC_OPENSSL_CLI, x->vdir, file, x->tmp, BC_OPENSSL_CLI);
    return run(cmd, out, n);
}

static void check_test(xc *x, const char *fname, const cJSON *g, const cJSON *t) {
    const char *result = cJSON_GetStringValue(cJSON_GetObjectItem(t, "result"));
    const char *payload = cJSON_GetStringValue(cJSON_GetObjectItem(t, "payload"));
    const char *sig = cJSON_GetStringValue(cJSON_GetObjectItem(t, "signature"));
    const char *signed_p = cJSON_GetStringValue(cJSON_GetObjectItem(t, "signedPayload"));
    const char *mistake = cJSON_GetStringValue(cJSON_GetObjectItem(t, "mistake"));
    int id = cJSON_GetObjectItem(t, "tcId") ? cJSON_GetObjectItem(t, "tcId")->valueint : -1;
    if (!result || !payload || !sig) {
        printf("FAIL %s tc %d: missing result/payload/signature\n", fname, id);
        x->failed++;
        return;
    }
    if (mistake && (strcmp(mistake, "signature-not-last") == 0 || strcmp(mistake, "signature-twice") == 0))
        return;   /* a valid signature, misplaced: nothing for openssl to disagree with */
    int valid = strcmp(result, "invalid") != 0;
    char got[2048];
    if (openssl_sign(x, g, signed_p && !valid ? signed_p : payload, got, sizeof(got)) < 0) {
        printf("FAIL %s tc %d: openssl failed\n", fname, id);
        x->failed++;
        return;
    }
    x->checked++;
    int same = strcasecmp(got, sig) == 0;   /* hex is case-insensitive; base64 checked exactly below */
    if (same && got[0] && strlen(got) != 64) same = strcmp(got, sig) == 0;
    int ok = valid || signed_p ? same : !same;
    if (!ok) {
        printf("FAIL %s tc %d (%s): openssl signature %s the vector's\n", fname, id, result,
               same ? "equals" : "differs from");
        x->failed++;
    }
}

static void check_file(xc *x, const char *path) {
    char *text = slurp(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!root) {
        printf("FAIL %s: cannot read or parse\n", path);
        x->failed++;
        return;
    }
    const char *fname = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) check_test(x, fname, g, t);
    }
    cJSON_Delete(root);
}

static int is_sig_file(const char *name) {
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0 &&
           (strncmp(name, "rest_", 5) == 0 || strncmp(name, "ws_", 3) == 0);
}

static void usage(FILE *f) {
    fprintf(f, "usage: bc-vectors-crosscheck [VECTORFILE...]\n"
               "Re-makes every signature of the REST/WS vector files with the openssl CLI and\n"
               "compares it with the committed one. Default: every rest_*.json and ws_*.json\n"
               "of $BINSIG_VECTORS (default %s). Exit 0 iff all match.\n", BC_VECTORS_DIR);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(stdout); return 0; }
        if (argv[i][0] == '-') {
            fprintf(stderr, "bc-vectors-crosscheck: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    xc x = {getenv("BINSIG_VECTORS") ? getenv("BINSIG_VECTORS") : BC_VECTORS_DIR, "", 0, 0};
    snprintf(x.tmp, sizeof(x.tmp), "/tmp/bc-xcheck-XXXXXX");
    int fd = mkstemp(x.tmp);
    if (fd < 0) { perror("mkstemp"); return 2; }
    close(fd);
    int files = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++, files++) check_file(&x, argv[i]);
    } else {
        struct dirent **list;
        int n = scandir(x.vdir, &list, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            if (is_sig_file(list[i]->d_name)) {
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s", x.vdir, list[i]->d_name);
                check_file(&x, path);
                files++;
            }
            free(list[i]);
        }
        if (n >= 0) free(list);
    }
    unlink(x.tmp);
    printf("openssl cross-check: %d files, %d signatures checked, %d failed\n", files, x.checked, x.failed);
    return x.failed || files == 0 || x.checked == 0 ? 1 : 0;
}
