/* faults: the scripted-failure rules, one mutex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "faults.h"
#include "errors.h"

void faults_init(faults *f)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
}

void faults_destroy(faults *f)
{
    free(f->v);
    pthread_mutex_destroy(&f->mu);
}

static int num_field(const cJSON *in, const char *name, int64_t lo, int64_t hi, int64_t *out,
                     char *err, size_t errlen)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(in, name);
    if (!j) return 0;
    if (!cJSON_IsNumber(j) || j->valuedouble < (double)lo || j->valuedouble > (double)hi) {
        snprintf(err, errlen, "\"%s\" must be a number in [%lld, %lld]", name, (long long)lo, (long long)hi);
        return -1;
    }
    *out = (int64_t)j->valuedouble;
    return 1;
}

static int fault_parse(const cJSON *in, fault *r, char *err, size_t errlen)
{
    int64_t count = 1, status = 0, code = 0, delay = 0;
    const char *route = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "route"));
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(in, "msg");
    memset(r, 0, sizeof *r);
    if (!route || !*route || strlen(route) >= sizeof r->route) {
        snprintf(err, errlen, "\"route\" is required (\"POST /api/v3/order\", \"/api/v3/order\" or \"*\")");
        return -1;
    }
    if (num_field(in, "count", 1, 1000000, &count, err, errlen) < 0
        || num_field(in, "status", 100, 599, &status, err, errlen) < 0
        || num_field(in, "code", -99999, -1, &code, err, errlen) < 0
        || num_field(in, "delay_ms", 0, FAULT_MAX_DELAY_MS, &delay, err, errlen) < 0)
        return -1;
    if (msg && (!cJSON_IsString(msg) || strlen(msg->valuestring) >= sizeof r->msg)) {
        snprintf(err, errlen, "\"msg\" must be a string (< 256 bytes)");
        return -1;
    }
    snprintf(r->route, sizeof r->route, "%s", route);
    r->count = count;
    r->code = (int)code;
    r->delay_ms = delay;
    r->drop = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "drop"));
    r->execute = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "execute"));
    if (msg) snprintf(r->msg, sizeof r->msg, "%s", msg->valuestring);
    if (status && !code) r->code = -1000;   /* UNKNOWN: the catalogue's generic code */
    if (code && !status) {
        const err_def *d = err_first_by_code((int)code);
        status = d ? d->http_status : 500;
    }
    r->status = (int)status;
    if (!r->code && !r->drop && !r->delay_ms) {
        snprintf(err, errlen, "a fault needs \"code\"/\"status\", \"delay_ms\" or \"drop\"");
        return -1;
    }
    return 0;
}

int faults_add_json(faults *f, const cJSON *in, char *err, size_t errlen)
{
    fault r;
    if (fault_parse(in, &r, err, errlen) < 0) return -1;
    pthread_mutex_lock(&f->mu);
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 8;
        fault *nv = nc <= 1024 ? realloc(f->v, nc * sizeof *nv) : NULL;
        if (!nv) {
            pthread_mutex_unlock(&f->mu);
            snprintf(err, errlen, "too many fault rules");
            return -1;
        }
        f->v = nv;
        f->cap = nc;
    }
    f->v[f->n++] = r;
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static int fault_matches(const fault *r, const char *method, const char *path)
{
    if (!strcmp(r->route, "*")) return 1;
    if (r->route[0] == '/') return !strcmp(r->route, path);
    size_t ml = strlen(method);
    return !strncmp(r->route, method, ml) && r->route[ml] == ' ' && !strcmp(r->route + ml + 1, path);
}

int faults_take(faults *f, const char *method, const char *path, fault *out)
{
    int found = 0;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->n; i++) {
        if (!fault_matches(&f->v[i], method, path)) continue;
        *out = f->v[i];
        if (--f->v[i].count <= 0) {
            memmove(&f->v[i], &f->v[i + 1], (f->n - i - 1) * sizeof *f->v);
            f->n--;
        }
        found = 1;
        break;
    }
    pthread_mutex_unlock(&f->mu);
    return found;
}

cJSON *faults_json(faults *f)
{
    cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "faults");
    if (!o || !a) { cJSON_Delete(o); return NULL; }
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->n; i++) {
        const fault *r = &f->v[i];
        cJSON *j = cJSON_CreateObject();
        if (!j) break;
        cJSON_AddStringToObject(j, "route", r->route);
        cJSON_AddNumberToObject(j, "count", (double)r->count);
        if (r->code) {
            cJSON_AddNumberToObject(j, "status", r->status);
            cJSON_AddNumberToObject(j, "code", r->code);
        }
        if (r->msg[0]) cJSON_AddStringToObject(j, "msg", r->msg);
        cJSON_AddNumberToObject(j, "delay_ms", (double)r->delay_ms);
        cJSON_AddBoolToObject(j, "drop", r->drop);
        cJSON_AddBoolToObject(j, "execute", r->execute);
        cJSON_AddItemToArray(a, j);
    }
    pthread_mutex_unlock(&f->mu);
    return o;
}

void faults_clear(faults *f)
{
    pthread_mutex_lock(&f->mu);
    f->n = 0;
    pthread_mutex_unlock(&f->mu);
}
