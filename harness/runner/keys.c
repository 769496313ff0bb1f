/* keys: the run's own throwaway test keys. Every run generates fresh HMAC
 * secrets, one RSA-2048 and one Ed25519 key pair (plus a "wrong" key of each
 * type whose signatures must fail) and registers three accounts through
 * POST /__admin/accounts: main (funded), poor (no balances) and readonly
 * (USER_DATA only). Private halves never leave the runner except to the
 * adapter's configure message; the server only gets public keys. */
#include "conform.h"
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

static const char *const kt_names[KT__COUNT] = {"hmac", "rsa", "ed25519"};
static const char *const kt_registry[KT__COUNT] = {"HMAC", "RSA", "ED25519"};
static const char *const acct_names[ACCT__COUNT] = {"conform-main", "conform-poor", "conform-readonly"};

const char *kt_name(int kt) { return kt >= 0 && kt < KT__COUNT ? kt_names[kt] : "?"; }

int kt_parse(const char *s)
{
    for (int i = 0; i < KT__COUNT; i++)
        if (strcmp(s, kt_names[i]) == 0)
            return i;
    return -1;
}

static int keys_alnum(char *out, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char rnd[128];
    if (n > sizeof rnd || RAND_bytes(rnd, (int)n) != 1)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = al[rnd[i] % 62];
    out[n] = '\0';
    OPENSSL_cleanse(rnd, sizeof rnd);
    return 0;
}

static char *keys_bio_text(BIO *b)
{
    char *p = NULL, *out;
    long n = BIO_get_mem_data(b, &p);
    if (n <= 0)
        return NULL;
    out = malloc((size_t)n + 1);
    if (out) {
        memcpy(out, p, (size_t)n);
        out[n] = '\0';
    }
    return out;
}

static int keys_pair(keymat *km, const char *alg)
{
    EVP_PKEY *k = strcmp(alg, "RSA") == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
                                          : EVP_PKEY_Q_keygen(NULL, NULL, alg);
    BIO *pri = BIO_new(BIO_s_mem()), *pub = BIO_new(BIO_s_mem());
    int rc = -1;
    if (k && pri && pub && PEM_write_bio_PrivateKey(pri, k, NULL, NULL, 0, NULL, NULL) == 1 &&
        PEM_write_bio_PUBKEY(pub, k) == 1) {
        km->private_text = keys_bio_text(pri);
        km->public_pem = keys_bio_text(pub);
        rc = km->private_text && km->public_pem ? 0 : -1;
    }
    EVP_PKEY_free(k);
    BIO_free(pri);
    BIO_free(pub);
    return rc;
}

static int keys_hmac(keymat *km)
{
    km->private_text = malloc(65);
    return km->private_text ? keys_alnum(km->private_text, 64) : -1;
}

static int keys_copy(keymat *dst, const keymat *src)
{
    dst->private_text = strdup(src->private_text);
    dst->public_pem = src->public_pem ? strdup(src->public_pem) : NULL;
    return dst->private_text && (!src->public_pem || dst->public_pem) ? 0 : -1;
}

int keys_generate(keyset *ks, char *err, size_t errlen)
{
    memset(ks, 0, sizeof *ks);
    if (keys_hmac(&ks->acct[ACCT_MAIN][KT_HMAC]) || keys_pair(&ks->acct[ACCT_MAIN][KT_RSA], "RSA") ||
        keys_pair(&ks->acct[ACCT_MAIN][KT_ED25519], "ED25519") || keys_hmac(&ks->wrong[KT_HMAC]) ||
        keys_pair(&ks->wrong[KT_RSA], "RSA") || keys_pair(&ks->wrong[KT_ED25519], "ED25519"))
        goto fail;
    for (int a = 0; a < ACCT__COUNT; a++)
        for (int t = 0; t < KT__COUNT; t++) {
            if (a != ACCT_MAIN && (t == KT_HMAC ? keys_hmac(&ks->acct[a][t])
                                                : keys_copy(&ks->acct[a][t], &ks->acct[ACCT_MAIN][t])))
                goto fail;
            if (keys_alnum(ks->acct[a][t].api_key, 64))
                goto fail;
        }
    for (int t = 0; t < KT__COUNT; t++)
        memcpy(ks->wrong[t].api_key, ks->acct[ACCT_MAIN][t].api_key, 65);
    if (keys_alnum(ks->unknown_api_key, 64))
        goto fail;
    return 0;
fail:
    snprintf(err, errlen, "cannot generate test keys (OpenSSL)");
    keys_free(ks);
    return -1;
}

static void keymat_free(keymat *km)
{
    if (km->private_text) {
        OPENSSL_cleanse(km->private_text, strlen(km->private_text));
        free(km->private_text);
    }
    free(km->public_pem);
    memset(km, 0, sizeof *km);
}

void keys_free(keyset *ks)
{
    for (int a = 0; a < ACCT__COUNT; a++)
        for (int t = 0; t < KT__COUNT; t++)
            keymat_free(&ks->acct[a][t]);
    for (int t = 0; t < KT__COUNT; t++)
        keymat_free(&ks->wrong[t]);
}

static cJSON *keys_balances(int acct)
{
    static const char *main_bal[][2] = {{"USDT", "1000000"}, {"BTC", "100"}, {"ETH", "1000"},
                                        {"BNB", "10000"}, {"\xe8\xbf\x99\xe6\x98\xaf\xe6\xb5\x8b\xe8\xaf\x95\xe5\xb8\x81", "1000000"},
                                        {"456", "100000000"}};
    cJSON *b = cJSON_CreateObject();
    if (acct == ACCT_POOR)
        return b;
    for (size_t i = 0; i < sizeof main_bal / sizeof main_bal[0]; i++)
        cJSON_AddStringToObject(b, main_bal[i][0], main_bal[i][1]);
    return b;
}

cJSON *keys_accounts_json(const keyset *ks)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "accounts");
    for (int a = 0; a < ACCT__COUNT; a++) {
        cJSON *acc = cJSON_CreateObject(), *keys;
        cJSON_AddStringToObject(acc, "name", acct_names[a]);
        cJSON_AddItemToObject(acc, "balances", keys_balances(a));
        keys = cJSON_AddArrayToObject(acc, "keys");
        for (int t = 0; t < KT__COUNT; t++) {
            cJSON *k = cJSON_CreateObject();
            const keymat *km = &ks->acct[a][t];
            cJSON_AddStringToObject(k, "apiKey", km->api_key);
            cJSON_AddStringToObject(k, "type", kt_registry[t]);
            if (t == KT_HMAC)
                cJSON_AddStringToObject(k, "secret", km->private_text);
            else
                cJSON_AddStringToObject(k, "publicKey", km->public_pem);
            if (a == ACCT_READONLY) {
                cJSON *perm = cJSON_AddArrayToObject(k, "permissions");
                cJSON_AddItemToArray(perm, cJSON_CreateString("USER_DATA"));
            }
            cJSON_AddItemToArray(keys, k);
        }
        cJSON_AddItemToArray(arr, acc);
    }
    return root;
}
