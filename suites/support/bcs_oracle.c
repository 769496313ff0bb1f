/* bcs_oracle: reads suites/data/binance_errors.json (the literal error rows
 * from Binance's docs) for the suites' error assertions. The file is parsed
 * on each lookup: no state kept between tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "bcs_oracle.h"

#define ORACLE_MAX_BYTES (1 << 20)

static cJSON *oracle_load(void)
{
    const char *src = getenv("BC_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/suites/data/binance_errors.json", src ? src : ".");
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "bcs_oracle: cannot open %s\n", path); return NULL; }
    char *text = malloc(ORACLE_MAX_BYTES);
    size_t n = text ? fread(text, 1, ORACLE_MAX_BYTES, f) : 0;
    fclose(f);
    cJSON *root = text && n < ORACLE_MAX_BYTES ? cJSON_ParseWithLength(text, n) : NULL;
    free(text);
    if (!root) fprintf(stderr, "bcs_oracle: %s: unreadable or not JSON\n", path);
    return root;
}

static int oracle_row(const cJSON *row, bcs_oracle_err *out)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(row, "code");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(row, "status");
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "name"));
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "msg"));
    if (!cJSON_IsNumber(code) || !cJSON_IsNumber(status) || !name || !msg) return -1;
    if (strlen(name) >= sizeof out->name || strlen(msg) >= sizeof out->msg) return -1;
    out->code = code->valueint;
    out->status = status->valueint;
    memcpy(out->name, name, strlen(name) + 1);
    memcpy(out->msg, msg, strlen(msg) + 1);
    return 0;
}

int bcs_oracle_get(const char *id_name, bcs_oracle_err *out)
{
    if (!id_name) return -1;
    cJSON *root = oracle_load();
    if (!root) return -1;
    int rc = -1;
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(root, "errors")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "id"));
        bcs_oracle_err e;
        if (!id || oracle_row(row, &e) != 0) continue;
        if (strcmp(id, id_name) == 0) {
            *out = e;
            rc = 0;
            break;
        }
    }
    cJSON_Delete(root);
    return rc;
}

char *bcs_oracle_format(char *out, size_t n, const char *tmpl, const char *a1, const char *a2)
{
    const char *args[2] = { a1 ? a1 : "", a2 ? a2 : "" };
    size_t o = 0, k = 0;
    if (n == 0) return out;
    for (const char *p = tmpl; *p && o + 1 < n; p++) {
        if (p[0] == '%' && p[1] == 's' && k < 2) {
            for (const char *a = args[k++]; *a && o + 1 < n; a++) out[o++] = *a;
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}
