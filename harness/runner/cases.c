/* cases: loading the case files (harness/cases/<name>.json; adding a case =
 * adding a file). Each file is one case: id, title, spec, optional
 * keyType/requires/setup/verdictOnPass, and steps (see PROTOCOL.md
 * "Case files"). Validated on load so a broken file fails loudly. */
#define _GNU_SOURCE
#include "conform.h"
#include "json_guard.h"
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cases_match(const char *id, const char *patterns)
{
    char tmp[1024], *save = NULL, *tok;
    if (!patterns || !*patterns)
        return 1;
    snprintf(tmp, sizeof tmp, "%s", patterns);
    for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (fnmatch(tok, id, 0) == 0)
            return 1;
        if (!strpbrk(tok, "*?[") && strncmp(id, tok, strlen(tok)) == 0)
            return 1;   /* a bare prefix selects a group: "rest.sig" */
    }
    return 0;
}

static int cases_cmp(const void *a, const void *b)
{
    return strcmp(((const conform_case *)a)->id, ((const conform_case *)b)->id);
}

static const char *cases_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int cases_validate(const cJSON *doc, const char *path, char *err, size_t errlen)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(doc, "steps"), *st;
    const char *kt = cases_str(doc, "keyType");
    if (!cases_str(doc, "id") || !cases_str(doc, "title") ||
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "spec")))
        return snprintf(err, errlen, "%s: needs string id, title and a spec object", path), -1;
    if (kt && kt_parse(kt) < 0)
        return snprintf(err, errlen, "%s: keyType must be hmac, rsa or ed25519", path), -1;
    if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0)
        return snprintf(err, errlen, "%s: needs a non-empty steps array", path), -1;
    cJSON_ArrayForEach(st, steps) {
        if (cases_str(st, "admin"))      /* runner-side server action, no checks */
            continue;
        if (!cases_str(st, "op"))
            return snprintf(err, errlen, "%s: every step needs an op (or admin)", path), -1;
        if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(st, "expect")))
            return snprintf(err, errlen, "%s: every step needs an expect array", path), -1;
    }
    return 0;
}

static int cases_add(case_list *cl, size_t *cap, const char *path, const char *patterns,
                     char *err, size_t errlen)
{
    size_t n = 0;
    char *text = read_file(path, &n);
    cJSON *doc;
    conform_case *c;
    if (!text)
        return snprintf(err, errlen, "cannot read %s", path), -1;
    doc = json_guard_parse(text, n);
    free(text);
    if (!doc)
        return snprintf(err, errlen, "%s: not valid JSON", path), -1;
    if (cases_validate(doc, path, err, errlen) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    if (!cases_match(cases_str(doc, "id"), patterns)) {
        cJSON_Delete(doc);
        return 0;
    }
    if (cl->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        conform_case *nv = realloc(cl->v, nc * sizeof *nv);
        if (!nv) {
            cJSON_Delete(doc);
            return snprintf(err, errlen, "out of memory"), -1;
        }
        cl->v = nv;
        *cap = nc;
    }
    c = &cl->v[cl->n++];
    memset(c, 0, sizeof *c);
    c->doc = doc;
    c->id = strdup(cases_str(doc, "id"));
    c->title = strdup(cases_str(doc, "title"));
    c->path = strdup(path);
    if (!c->id || !c->title || !c->path)
        return snprintf(err, errlen, "out of memory"), -1;
    return 0;
}

int cases_load(case_list *cl, const char *dir, const char *patterns, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0;
    memset(cl, 0, sizeof *cl);
    if (!d)
        return snprintf(err, errlen, "cannot open cases directory %s", dir), -1;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        char path[4096];
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (cases_add(cl, &cap, path, patterns, err, errlen) != 0) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    if (cl->n)
        qsort(cl->v, cl->n, sizeof *cl->v, cases_cmp);
    for (size_t i = 1; i < cl->n; i++)
        if (strcmp(cl->v[i].id, cl->v[i - 1].id) == 0)
            return snprintf(err, errlen, "duplicate case id %s (%s, %s)", cl->v[i].id,
                            cl->v[i].path, cl->v[i - 1].path), -1;
    return 0;
}

void cases_free(case_list *cl)
{
    for (size_t i = 0; i < cl->n; i++) {
        free(cl->v[i].id);
        free(cl->v[i].title);
        free(cl->v[i].path);
        cJSON_Delete(cl->v[i].doc);
        cJSON_Delete(cl->v[i].record);
    }
    free(cl->v);
    memset(cl, 0, sizeof *cl);
}

int case_key_type(const conform_case *c)
{
    const char *kt = cases_str(c->doc, "keyType");
    return kt ? kt_parse(kt) : -1;
}
