/* keys: loading and looking up the API key registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "keys.h"
#include "pct.h"
#include "exchange.h"
#include "json_guard.h"

#define KEY_MAX_LEN 256

void keyreg_init(keyreg *r)
{
    memset(r, 0, sizeof *r);
    pthread_rwlock_init(&r->lk, NULL);
}

static void entry_free(key_entry *e)
{
    if (!e) return;
    free(e->api_key);
    sig_key_free(e->key);
    for (size_t i = 0; i < e->nips; i++) free(e->ips[i]);
    free(e->ips);
    free(e);
}

void keyreg_free(keyreg *r)
{
    for (size_t i = 0; i < r->n; i++) entry_free(r->v[i]);
    free(r->v);
    for (size_t i = 0; i < r->nacc; i++) {
        free(r->acc[i].name);
        cJSON_Delete(r->acc[i].balances);
    }
    free(r->acc);
    pthread_rwlock_destroy(&r->lk);
}

int key_shape_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n != 64) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return 0;
    }
    return 1;
}

int key_format_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > KEY_MAX_LEN) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

int key_ip_allowed(const key_entry *k, const char *ip)
{
    if (k->nips == 0) return 1;
    for (size_t i = 0; i < k->nips; i++)
        if (!strcmp(k->ips[i], ip) || !strcmp(k->ips[i], "*") || !strcmp(k->ips[i], "0.0.0.0/0"))
            return 1;
    return 0;
}

static int parse_perms(const cJSON *arr, unsigned *out, char *err, size_t errlen)
{
    if (!arr) { *out = KEY_PERM_TRADE | KEY_PERM_USER_DATA | KEY_PERM_USER_STREAM; return 0; }
    if (!cJSON_IsArray(arr)) { snprintf(err, errlen, "\"permissions\" must be an array"); return -1; }
    unsigned p = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        const char *s = cJSON_GetStringValue(it);
        if (!s) { snprintf(err, errlen, "\"permissions\" entries must be strings"); return -1; }
        if (!strcmp(s, "TRADE")) p |= KEY_PERM_TRADE;
        else if (!strcmp(s, "USER_DATA")) p |= KEY_PERM_USER_DATA;
        else if (!strcmp(s, "USER_STREAM")) p |= KEY_PERM_USER_STREAM;
        else if (!strcmp(s, "MARKET_DATA") || !strcmp(s, "NONE")) continue;
        else { snprintf(err, errlen, "unknown permission \"%.*s\"", (int)pct_utf8_cut(s, strlen(s), 40), s); return -1; }
    }
    *out = p;
    return 0;
}

static int parse_ips(key_entry *e, const cJSON *arr, char *err, size_t errlen)
{
    if (!arr) return 0;
    if (!cJSON_IsArray(arr)) { snprintf(err, errlen, "\"ipWhitelist\" must be an array"); return -1; }
    int n = cJSON_GetArraySize(arr);
    if (n == 0) return 0;
    e->ips = calloc((size_t)n, sizeof *e->ips);
    if (!e->ips) { snprintf(err, errlen, "out of memory"); return -1; }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        const char *s = cJSON_GetStringValue(it);
        if (!s) { snprintf(err, errlen, "\"ipWhitelist\" entries must be strings"); return -1; }
        if (!(e->ips[e->nips] = strdup(s))) { snprintf(err, errlen, "out of memory"); return -1; }
        e->nips++;
    }
    return 0;
}

static key_entry *entry_parse(const cJSON *jk, int account_id, char *err, size_t errlen)
{
    const char *api = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(jk, "apiKey"));
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(jk, "type"));
    const char *secret = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(jk, "secret"));
    const char *pub = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(jk, "publicKey"));
    char kerr[200] = "";
    if (!api || !key_format_ok(api)) { snprintf(err, errlen, "key without a valid \"apiKey\""); return NULL; }
    sig_type t = type ? sig_type_parse(type) : SIG_NONE;
    if (t == SIG_NONE) { snprintf(err, errlen, "key %.*s...: \"type\" must be HMAC, RSA or ED25519", (int)pct_utf8_cut(api, strlen(api), 16), api); return NULL; }
    const char *text = t == SIG_HMAC ? secret : pub;
    if (!text || !*text) {
        snprintf(err, errlen, "key %.*s...: missing \"%s\"", (int)pct_utf8_cut(api, strlen(api), 16), api, t == SIG_HMAC ? "secret" : "publicKey");
        return NULL;
    }
    key_entry *e = calloc(1, sizeof *e);
    if (!e || !(e->api_key = strdup(api))) { free(e); snprintf(err, errlen, "out of memory"); return NULL; }
    e->account_id = account_id;
    e->type = t;
    if (t == SIG_HMAC && strstr(text, "-----BEGIN")) {
        snprintf(err, errlen, "key %.*s...: HMAC secret looks like a PEM", (int)pct_utf8_cut(api, strlen(api), 16), api);
        goto fail;
    }
    if (sig_key_load(&e->key, text, strlen(text), NULL, kerr, sizeof kerr) < 0) {
        snprintf(err, errlen, "key %.*s...: %s", (int)pct_utf8_cut(api, strlen(api), 16), api, kerr);
        goto fail;
    }
    if (sig_key_type(e->key) != t) {
        snprintf(err, errlen, "key %.*s...: \"type\" is %s but the key is %s", (int)pct_utf8_cut(api, strlen(api), 16), api,
                 sig_type_name(t), sig_type_name(sig_key_type(e->key)));
        goto fail;
    }
    if (parse_perms(cJSON_GetObjectItemCaseSensitive(jk, "permissions"), &e->perms, err, errlen) < 0
        || parse_ips(e, cJSON_GetObjectItemCaseSensitive(jk, "ipWhitelist"), err, errlen) < 0)
        goto fail;
    return e;
fail:
    entry_free(e);
    return NULL;
}

static int reg_push(keyreg *r, key_entry *e)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        key_entry **nv = realloc(r->v, nc * sizeof *nv);
        if (!nv) return -1;
        r->v = nv;
        r->cap = nc;
    }
    r->v[r->n++] = e;
    return 0;
}

/* Remember an account's configured balances (name unique). */
static int acc_remember(keyreg *r, const char *name, const cJSON *bal, int runtime)
{
    for (size_t i = 0; i < r->nacc; i++)
        if (!strcmp(r->acc[i].name, name)) {
            if (runtime && !r->acc[i].runtime) return 0;  /* reset restores the file's */
            cJSON_Delete(r->acc[i].balances);
            r->acc[i].balances = bal ? cJSON_Duplicate(bal, 1) : NULL;
            return 0;
        }
    if (r->nacc == r->acccap) {
        size_t nc = r->acccap ? r->acccap * 2 : 8;
        key_account *na = realloc(r->acc, nc * sizeof *na);
        if (!na) return -1;
        r->acc = na;
        r->acccap = nc;
    }
    key_account *a = &r->acc[r->nacc];
    if (!(a->name = strdup(name))) return -1;
    a->balances = bal ? cJSON_Duplicate(bal, 1) : NULL;
    a->runtime = runtime;
    r->nacc++;
    return 0;
}

static int account_load(keyreg *r, const cJSON *ja, struct exchange *ex, int runtime,
                        char *err, size_t errlen)
{
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ja, "name"));
    const cJSON *bal = cJSON_GetObjectItemCaseSensitive(ja, "balances");
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(ja, "keys"), *jk;
    if (!name || !*name) { snprintf(err, errlen, "account without a \"name\""); return -1; }
    int id = exchange_account_add(ex, name, bal);
    if (id < 0) { snprintf(err, errlen, "account %.*s: bad \"balances\"", (int)pct_utf8_cut(name, strlen(name), 40), name); return -1; }
    const cJSON *af = cJSON_GetObjectItemCaseSensitive(ja, "assetFilters");   /* MAX_ASSET (assetfilter.c) */
    if (af && exchange_account_set_asset_filters(ex, id, af)) {
        snprintf(err, errlen, "account %.*s: bad \"assetFilters\" (MAX_ASSET rows: filterType, asset, limit)",
                 (int)pct_utf8_cut(name, strlen(name), 40), name);
        return -1;
    }
    if (acc_remember(r, name, bal, runtime) < 0) { snprintf(err, errlen, "out of memory"); return -1; }
    if (keys && !cJSON_IsArray(keys)) { snprintf(err, errlen, "account %.*s: \"keys\" must be an array", (int)pct_utf8_cut(name, strlen(name), 40), name); return -1; }
    cJSON_ArrayForEach(jk, keys) {
        char kerr[300];
        key_entry *e = entry_parse(jk, id, kerr, sizeof kerr);
        if (!e) { snprintf(err, errlen, "account %.*s: %s", (int)pct_utf8_cut(name, strlen(name), 40), name, kerr); return -1; }
        e->runtime = runtime;
        pthread_rwlock_wrlock(&r->lk);
        for (size_t i = 0; i < r->n; i++)       /* a re-added key replaces the old one */
            if (!strcmp(r->v[i]->api_key, e->api_key)) r->v[i]->revoked = 2;
        int rc = reg_push(r, e);
        pthread_rwlock_unlock(&r->lk);
        if (rc < 0) { entry_free(e); snprintf(err, errlen, "out of memory"); return -1; }
    }
    return 0;
}

int keyreg_load_json(keyreg *r, const cJSON *root, struct exchange *ex, int runtime,
                     char *err, size_t errlen)
{
    const cJSON *accs = cJSON_GetObjectItemCaseSensitive(root, "accounts"), *ja;
    if (!cJSON_IsArray(accs)) { snprintf(err, errlen, "registry needs an \"accounts\" array"); return -1; }
    cJSON_ArrayForEach(ja, accs)
        if (account_load(r, ja, ex, runtime, err, errlen) < 0) return -1;
    return 0;
}

int keyreg_load_file(keyreg *r, const char *path, struct exchange *ex, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "cannot open key registry %s", path); return -1; }
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[8192];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *nt = realloc(text, cap);
            if (!nt) { free(text); fclose(f); snprintf(err, errlen, "out of memory"); return -1; }
            text = nt;
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    fclose(f);
    cJSON *root = text ? json_guard_parse(text, len) : NULL;
    free(text);
    if (!root) { snprintf(err, errlen, "key registry %s is not valid JSON", path); return -1; }
    char e2[400] = "";
    int rc = keyreg_load_json(r, root, ex, 0, e2, sizeof e2);
    cJSON_Delete(root);
    if (rc < 0) snprintf(err, errlen, "key registry %s: %s", path, e2);
    return rc;
}

const key_entry *keyreg_find(keyreg *r, const char *api_key)
{
    const key_entry *found = NULL;
    pthread_rwlock_rdlock(&r->lk);
    for (size_t i = r->n; i-- > 0;)
        if (!r->v[i]->revoked && !strcmp(r->v[i]->api_key, api_key)) { found = r->v[i]; break; }
    pthread_rwlock_unlock(&r->lk);
    return found;
}

size_t keyreg_candidates(keyreg *r, const sig_key *exclude, const sig_key **keys,
                         char (*labels)[96], size_t max)
{
    size_t n = 0;
    pthread_rwlock_rdlock(&r->lk);
    for (size_t i = 0; i < r->n && n < max; i++) {
        const key_entry *e = r->v[i];
        if (e->revoked || e->key == exclude) continue;
        keys[n] = e->key;
        snprintf(labels[n], sizeof labels[n], "apiKey %.8s… (%s, account %d)", e->api_key,
                 sig_type_name(e->type), e->account_id);
        n++;
    }
    pthread_rwlock_unlock(&r->lk);
    return n;
}

int keyreg_revoke(keyreg *r, const char *api_key)
{
    int rc = -1;
    pthread_rwlock_wrlock(&r->lk);
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i]->revoked && !strcmp(r->v[i]->api_key, api_key)) { r->v[i]->revoked = 1; rc = 0; }
    pthread_rwlock_unlock(&r->lk);
    return rc;
}

void keyreg_reset(keyreg *r, struct exchange *ex)
{
    pthread_rwlock_wrlock(&r->lk);
    for (size_t i = 0; i < r->n; i++) {
        key_entry *e = r->v[i];
        e->revoked = e->runtime ? 1 : 0;
    }
    /* a file key shadowed by a runtime one with the same text stays active */
    pthread_rwlock_unlock(&r->lk);
    for (size_t i = 0; i < r->nacc; i++)
        if (!r->acc[i].runtime)
            exchange_account_add(ex, r->acc[i].name, r->acc[i].balances);
}
