/* gen_util: the generator's crypto (OpenSSL EVP, independent of lib/sig),
 * its percent-encoder (independent of lib/pct) and the Wycheproof-shaped
 * JSON file builder (header, notes of the flags used, groups, tests). */
#include "gen.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

void gen_die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("bc-vectorgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

const char *gen_cstr(buf_t *b) { return buf_cstr(b); }

static char *gen_slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) gen_die("cannot open %s", path);
    buf_t b = BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
        if (buf_append(&b, tmp, n) < 0) gen_die("out of memory");
    fclose(fp);
    *len = b.len;
    return buf_steal(&b);
}

int gen_key_load(gen_key *k, const char *dir) {
    char path[4096];
    size_t len;
    snprintf(path, sizeof(path), "%s/%s", dir, k->file);
    char *text = gen_slurp(path, &len);
    if (k->type == GK_HMAC) {
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
        if (len >= sizeof(k->secret)) gen_die("secret too long in %s", path);
        memcpy(k->secret, text, len);
        k->secret[len] = '\0';
        k->bits = (int)len * 8;
        free(text);
        return 0;
    }
    BIO *bio = BIO_new_mem_buf(text, (int)len);
    k->pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    free(text);
    if (!k->pkey) gen_die("cannot read private key %s", path);
    int id = EVP_PKEY_get_base_id(k->pkey);
    if ((k->type == GK_RSA && id != EVP_PKEY_RSA) || (k->type == GK_ED25519 && id != EVP_PKEY_ED25519))
        gen_die("%s is not the expected key type", path);
    k->bits = EVP_PKEY_get_bits(k->pkey);
    snprintf(path, sizeof(path), "%s/%s", dir, k->pub_file);
    k->pub_pem = gen_slurp(path, &len);
    return 0;
}

void gen_key_free(gen_key *k) {
    EVP_PKEY_free(k->pkey);
    free(k->pub_pem);
    k->pkey = NULL;
    k->pub_pem = NULL;
}

static void gen_b64(buf_t *out, const unsigned char *in, size_t n) {
    size_t need = 4 * ((n + 2) / 3) + 1;
    unsigned char *tmp = malloc(need);
    if (!tmp) gen_die("out of memory");
    int w = EVP_EncodeBlock(tmp, in, (int)n);
    if (w < 0 || buf_append(out, tmp, (size_t)w) < 0) gen_die("base64 failed");
    free(tmp);
}

static void gen_hmac_raw(const gen_key *k, const void *msg, size_t n, unsigned char md[32]) {
    unsigned int mdlen = 32;
    if (!HMAC(EVP_sha256(), k->secret, (int)strlen(k->secret), msg, n, md, &mdlen) || mdlen != 32)
        gen_die("HMAC failed");
}

void gen_hmac_b64(const gen_key *k, const void *msg, size_t n, buf_t *out) {
    unsigned char md[32];
    gen_hmac_raw(k, msg, n, md);
    gen_b64(out, md, sizeof(md));
}

void gen_sign(const gen_key *k, const void *msg, size_t n, buf_t *out) {
    if (k->type == GK_HMAC) {
        unsigned char md[32];
        gen_hmac_raw(k, msg, n, md);
        for (int i = 0; i < 32; i++)
            if (buf_printf(out, "%02x", md[i]) < 0) gen_die("out of memory");
        return;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const EVP_MD *md = k->type == GK_RSA ? EVP_sha256() : NULL;
    size_t slen = 0;
    if (!ctx || EVP_DigestSignInit(ctx, NULL, md, NULL, k->pkey) != 1 ||
        EVP_DigestSign(ctx, NULL, &slen, msg, n) != 1)
        gen_die("sign init failed");
    unsigned char *sig = malloc(slen);
    if (!sig || EVP_DigestSign(ctx, sig, &slen, msg, n) != 1) gen_die("sign failed");
    gen_b64(out, sig, slen);
    free(sig);
    EVP_MD_CTX_free(ctx);
}

static int gen_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

static void gen_pct_case(buf_t *out, const char *s, size_t n, const char *hex) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int rc = gen_unreserved(c) ? buf_putc(out, (char)c)
                                   : buf_printf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
        if (rc < 0) gen_die("out of memory");
    }
}

void gen_pct(buf_t *out, const char *s, size_t n) { gen_pct_case(out, s, n, "0123456789ABCDEF"); }
void gen_pct_lower(buf_t *out, const char *s, size_t n) { gen_pct_case(out, s, n, "0123456789abcdef"); }

static void gen_pair(buf_t *out, const gen_kv *kv, int enc, int first) {
    if (!first && buf_putc(out, '&') < 0) gen_die("out of memory");
    if (buf_puts(out, kv->name) < 0 || buf_putc(out, '=') < 0) gen_die("out of memory");
    if (enc) gen_pct(out, kv->value, strlen(kv->value));
    else if (buf_puts(out, kv->value) < 0) gen_die("out of memory");
}

void gen_join(buf_t *out, const gen_kv *kv, size_t n, int enc) {
    for (size_t i = 0; i < n; i++) gen_pair(out, &kv[i], enc, i == 0);
}

static int gen_kv_cmp(const void *a, const void *b) {
    return strcmp(((const gen_kv *)a)->name, ((const gen_kv *)b)->name);
}

void gen_join_sorted(buf_t *out, const gen_kv *kv, size_t n, int enc) {
    gen_kv tmp[GEN_MAX_KV + 2];
    if (n > GEN_MAX_KV + 2) gen_die("too many params");
    memcpy(tmp, kv, n * sizeof(*kv));
    qsort(tmp, n, sizeof(*tmp), gen_kv_cmp);
    gen_join(out, tmp, n, enc);
}

/* ---- JSON file builder ---- */

void gen_file_init(gen_file *f, const char *algorithm, const char *schema,
                   const char *const *header) {
    memset(f, 0, sizeof(*f));
    f->next_id = 1;
    f->root = cJSON_CreateObject();
    cJSON_AddStringToObject(f->root, "algorithm", algorithm);
    cJSON_AddStringToObject(f->root, "generatorVersion", GEN_VERSION);
    cJSON_AddNumberToObject(f->root, "numberOfTests", 0);
    cJSON *h = cJSON_AddArrayToObject(f->root, "header");
    for (size_t i = 0; header[i]; i++) cJSON_AddItemToArray(h, cJSON_CreateString(header[i]));
    cJSON_AddObjectToObject(f->root, "notes");
    cJSON_AddStringToObject(f->root, "schema", schema);
    f->groups = cJSON_AddArrayToObject(f->root, "testGroups");
    if (!f->groups) gen_die("out of memory");
}

cJSON *gen_group(gen_file *f, const char *type) {
    cJSON *g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "type", type);
    cJSON_AddItemToArray(f->groups, g);
    return g;
}

void gen_group_key(cJSON *g, const gen_key *k) {
    static const char *names[] = {"", "HMAC", "RSA", "ED25519"};
    cJSON_AddStringToObject(g, "keyType", names[k->type]);
    cJSON_AddNumberToObject(g, "keySize", k->bits);
    cJSON_AddStringToObject(g, "apiKey", k->api_key);
    cJSON_AddStringToObject(g, "keyFile", k->file);
    if (k->type == GK_HMAC) {
        cJSON_AddStringToObject(g, "secret", k->secret);
    } else {
        cJSON_AddStringToObject(g, "publicKeyFile", k->pub_file);
        cJSON_AddStringToObject(g, "publicKeyPem", k->pub_pem);
    }
    cJSON_AddArrayToObject(g, "tests");
}

static void gen_flag_seen(gen_file *f, const char *flag) {
    char probe[128];
    snprintf(probe, sizeof(probe), "\n%s\n", flag);
    if (f->flags_used.len && strstr(buf_cstr(&f->flags_used), probe)) return;
    if (!f->flags_used.len) buf_putc(&f->flags_used, '\n');
    buf_printf(&f->flags_used, "%s\n", flag);
}

cJSON *gen_test(gen_file *f, cJSON *group, const char *comment, const char *const *flags) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "tcId", f->next_id++);
    cJSON_AddStringToObject(t, "comment", comment);
    cJSON *fl = cJSON_AddArrayToObject(t, "flags");
    for (size_t i = 0; flags && flags[i]; i++) {
        if (!gen_flag_note(flags[i], NULL)) gen_die("flag %s has no note", flags[i]);
        cJSON_AddItemToArray(fl, cJSON_CreateString(flags[i]));
        gen_flag_seen(f, flags[i]);
    }
    cJSON_AddItemToArray(cJSON_GetObjectItem(group, "tests"), t);
    f->count++;
    return t;
}

void gen_test_error(cJSON *t, err_id id, const char *a1, const char *a2) {
    const err_def *d = err_get(id);
    char msg[512];
    if (!d) gen_die("unknown error id %d", (int)id);
    err_format(msg, sizeof(msg), id, a1, a2);
    cJSON *e = cJSON_AddObjectToObject(t, "error");
    cJSON_AddStringToObject(e, "id", d->id_name);
    cJSON_AddNumberToObject(e, "code", d->code);
    cJSON_AddStringToObject(e, "msg", msg);
    cJSON_AddNumberToObject(e, "httpStatus", d->http_status);
}

static void gen_file_notes(gen_file *f) {
    cJSON *notes = cJSON_GetObjectItem(f->root, "notes");
    const char *s = buf_cstr(&f->flags_used);
    while (*s) {
        const char *nl = strchr(s + 1, '\n');
        if (!nl) break;
        char flag[128];
        size_t n = (size_t)(nl - s - 1);
        if (n >= sizeof(flag)) gen_die("flag too long");
        memcpy(flag, s + 1, n);
        flag[n] = '\0';
        const char *bug = NULL;
        const char *desc = gen_flag_note(flag, &bug);
        cJSON *o = cJSON_AddObjectToObject(notes, flag);
        cJSON_AddStringToObject(o, "bugType", bug);
        cJSON_AddStringToObject(o, "description", desc);
        s = nl;
    }
}

/* Pretty-print with 2-space indentation (Wycheproof style); arrays of
 * scalars that fit stay on one line. */
static void gen_json_scalar(buf_t *out, const cJSON *item) {
    double d = item->valuedouble;
    if (cJSON_IsNumber(item) && d == (double)(long long)d && d > -9007199254740992.0 && d < 9007199254740992.0) {
        if (buf_printf(out, "%lld", (long long)d) < 0) gen_die("out of memory");   /* never 1.766e+15 */
        return;
    }
    char *s = cJSON_PrintUnformatted(item);
    if (!s || buf_puts(out, s) < 0) gen_die("out of memory");
    free(s);
}

static int gen_json_inline(const cJSON *arr) {
    size_t len = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, arr) {
        if (cJSON_IsObject(c) || cJSON_IsArray(c)) return 0;
        len += cJSON_IsString(c) ? strlen(c->valuestring) + 4 : 24;
    }
    return len < 90;
}

static void gen_json_print(buf_t *out, const cJSON *item, int indent) {
    int obj = cJSON_IsObject(item);
    if (!obj && !cJSON_IsArray(item)) { gen_json_scalar(out, item); return; }
    if (!item->child) { buf_puts(out, obj ? "{}" : "[]"); return; }
    int one_line = !obj && gen_json_inline(item);
    buf_putc(out, obj ? '{' : '[');
    const cJSON *c;
    cJSON_ArrayForEach(c, item) {
        if (one_line) {
            if (c != item->child) buf_puts(out, ", ");
        } else {
            buf_printf(out, "%s\n%*s", c == item->child ? "" : ",", indent + 2, "");
        }
        if (obj) {
            buf_json_string(out, c->string, strlen(c->string));
            buf_puts(out, ": ");
        }
        gen_json_print(out, c, indent + 2);
    }
    if (!one_line) buf_printf(out, "\n%*s", indent, "");
    buf_putc(out, obj ? '}' : ']');
}

void gen_file_write(gen_file *f, const char *dir, const char *name) {
    cJSON_SetNumberValue(cJSON_GetObjectItem(f->root, "numberOfTests"), f->count);
    gen_file_notes(f);
    buf_t pretty = BUF_INIT;
    gen_json_print(&pretty, f->root, 0);
    char *text = buf_steal(&pretty);
    if (!text) gen_die("out of memory");
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp || fputs(text, fp) < 0 || fputc('\n', fp) < 0 || fclose(fp) != 0)
        gen_die("cannot write %s", path);
    printf("%s: %d tests\n", name, f->count);
    free(text);
    cJSON_Delete(f->root);
    buf_free(&f->flags_used);
}
