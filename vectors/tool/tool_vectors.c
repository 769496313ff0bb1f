/* tool_vectors: `binsig vectors [FILE...]` - load each vector file, hand it
 * to the runner for its test type (signatures, payloads, timing), print one
 * line per failure and the final "N passed, M failed". The default set is
 * every *.json in BC_VECTORS_DIR, or in $BINSIG_VECTORS when set. */
#include "tool.h"
#include "json_guard.h"
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#ifndef BC_VECTORS_DIR
#define BC_VECTORS_DIR "vectors"
#endif

static const char vectors_help[] =
    "usage: binsig vectors [--verbose] [FILE...]\n\n"
    "Runs every known-answer test of the given vector files (default: every *.json in\n"
    "$BINSIG_VECTORS, else " BC_VECTORS_DIR "):\n"
    "  signature files  re-derive the payload from the request, verify the signature with the\n"
    "                   group's key, and for invalid tests check that explain names the mistake\n"
    "  canonical_payload  re-derive payload, payload status and signature location\n"
    "  timing           check the verdict and the exact error code, message and HTTP status\n"
    "Prints one line per failure (--verbose: per test) and finally 'N passed, M failed'.\n"
    "Exit: 0 all passed, 1 any failure, 2 unreadable file or bad usage.\n";

void vec_fail(vec_run *v, const cJSON *t, const char *fmt, ...) {
    const cJSON *id = cJSON_GetObjectItem(t, "tcId");
    printf("FAIL %s tcId %d: ", v->file, id ? id->valueint : -1);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    v->fail++;
}

void vec_pass(vec_run *v, const cJSON *t) {
    v->pass++;
    if (v->verbose) {
        const cJSON *id = cJSON_GetObjectItem(t, "tcId");
        printf("ok   %s tcId %d\n", v->file, id ? id->valueint : -1);
    }
}

static int run_file(const char *path, int verbose, int *pass, int *fail) {
    buf_t text = BUF_INIT;
    if (tool_read_file(path, &text) < 0) return -1;
    cJSON *root = json_guard_parse(text.data, text.len);
    buf_free(&text);
    if (!root) { tool_err("vectors: %s is not valid JSON", path); return -1; }
    char dir[4096];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    vec_run v = {slash ? slash + 1 : path, dir, 0, 0, verbose};
    const cJSON *g0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "testGroups"), 0);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(g0, "type"));
    int rc = 0;
    if (!type) { tool_err("vectors: %s has no testGroups[0].type", path); rc = -1; }
    else if (!strcmp(type, "RestSignatureTest")) rc = vec_run_signatures(&v, root, 0);
    else if (!strcmp(type, "WsSignatureTest")) rc = vec_run_signatures(&v, root, 1);
    else if (!strcmp(type, "RestPayloadTest") || !strcmp(type, "WsPayloadTest")) rc = vec_run_payloads(&v, root);
    else if (!strcmp(type, "TimingTest")) rc = vec_run_timing(&v, root);
    else { tool_err("vectors: %s: unknown test type '%s'", path, type); rc = -1; }
    const cJSON *declared = cJSON_GetObjectItem(root, "numberOfTests");
    if (rc == 0 && cJSON_IsNumber(declared) && declared->valueint != v.pass + v.fail) {
        printf("FAIL %s: numberOfTests is %d but %d tests ran\n", v.file, declared->valueint, v.pass + v.fail);
        v.fail++;
    }
    cJSON_Delete(root);
    *pass += v.pass;
    *fail += v.fail;
    return rc;
}

static int is_json(const char *name) {
    size_t n = strlen(name);
    return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".json") == 0;
}

int cmd_vectors(int argc, char **argv) {
    tool_opts o;
    if (tool_parse(&o, argc, argv, "verbose", "vectors") < 0) { free(o.rest); return TOOL_USAGE; }
    if (o.help) { fputs(vectors_help, stdout); free(o.rest); return TOOL_OK; }
    int pass = 0, fail = 0, bad = 0;
    if (o.nrest) {
        for (size_t i = 0; i < o.nrest; i++) bad |= run_file(o.rest[i], o.verbose, &pass, &fail) < 0;
    } else {
        const char *dir = getenv("BINSIG_VECTORS");
        if (!dir || !*dir) dir = BC_VECTORS_DIR;
        struct dirent **list;
        int n = scandir(dir, &list, NULL, alphasort);
        if (n < 0) { tool_err("vectors: cannot list %s", dir); free(o.rest); return TOOL_USAGE; }
        int files = 0;
        for (int i = 0; i < n; i++) {
            if (is_json(list[i]->d_name)) {
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
                bad |= run_file(path, o.verbose, &pass, &fail) < 0;
                files++;
            }
            free(list[i]);
        }
        free(list);
        if (!files) { tool_err("vectors: no *.json files in %s", dir); bad = 1; }
    }
    printf("%d passed, %d failed\n", pass, fail);
    free(o.rest);
    return bad ? TOOL_USAGE : fail ? TOOL_FAIL : TOOL_OK;
}
