/* keys: the API key registry (DESIGN.md registry format). Maps an API key to
 * its verification key (HMAC secret, RSA/Ed25519 public key via lib/sig),
 * permissions, IP whitelist and exchange account. Entries are never freed
 * before keyreg_free, so a looked-up pointer stays valid; revoking and
 * admin resets only flip flags. */
#ifndef BC_KEYS_H
#define BC_KEYS_H
#include <pthread.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "sig.h"
#include "api.h"

struct exchange;

#define KEY_PERM_TRADE       (1u << SEC_TRADE)
#define KEY_PERM_USER_DATA   (1u << SEC_USER_DATA)
#define KEY_PERM_USER_STREAM (1u << SEC_USER_STREAM)

typedef struct key_entry {
    char *api_key;
    sig_key *key;
    sig_type type;
    unsigned perms;          /* KEY_PERM_* bits */
    char **ips;              /* whitelist; nips == 0: any */
    size_t nips;
    int account_id;
    int runtime;             /* added by the admin API (dropped by reset) */
    volatile int revoked;
} key_entry;

typedef struct key_account {
    char *name;
    cJSON *balances;         /* as loaded, re-applied by reset */
    int runtime;
} key_account;

typedef struct keyreg {
    pthread_rwlock_t lk;
    key_entry **v;
    size_t n, cap;
    key_account *acc;
    size_t nacc, acccap;
} keyreg;

void keyreg_init(keyreg *r);
void keyreg_free(keyreg *r);
/* Load {"accounts":[...]}: creates the accounts in the exchange and adds the
 * keys. runtime = 1 for admin additions. 0 ok, -1 with a message in err. */
int keyreg_load_json(keyreg *r, const cJSON *root, struct exchange *ex, int runtime,
                     char *err, size_t errlen);
int keyreg_load_file(keyreg *r, const char *path, struct exchange *ex, char *err, size_t errlen);
/* Active (not revoked) entry for the key, or NULL. */
const key_entry *keyreg_find(keyreg *r, const char *api_key);
int keyreg_revoke(keyreg *r, const char *api_key);   /* 0 ok, -1 unknown */
/* Up to max active keys other than `exclude`, for explain's "other-key"
 * hypothesis: keys[i] and a label naming it in labels[i] ("apiKey
 * AbCdEfGh… (account 3)"; never the secret). Returns the count. Entries
 * are never freed before keyreg_free, so the pointers stay valid. */
size_t keyreg_candidates(keyreg *r, const sig_key *exclude, const sig_key **keys,
                         char (*labels)[96], size_t max);
/* Drop runtime additions, un-revoke, re-create the accounts with their
 * configured balances (after exchange_reset). */
void keyreg_reset(keyreg *r, struct exchange *ex);
int key_ip_allowed(const key_entry *k, const char *ip);
/* 1 if the key text is well formed (else -2014). */
int key_format_ok(const char *api_key);
/* 1 if an unknown key has the shape of a Binance API key (64 letters and
 * digits): -2015 for it, -2014 for anything else (wrong length or
 * characters). A key of the registry is never malformed, whatever its shape. */
int key_shape_ok(const char *api_key);
#endif
