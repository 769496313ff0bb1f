/* exchange.c: lifecycle of the exchange (contract A) - creation, reset,
 * accounts by name, clock advance and the event listener. Bootstrap version:
 * the matching engine and simulator are added behind this API. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "exchange.h"

struct exchange {
    pthread_mutex_t mu;
    uint64_t seed;
    int64_t now_us;
    char **names;
    int n_accounts, cap_accounts;
    exchange_listener listener;
    void *listener_ud;
};

struct exchange *exchange_new(const exchange_opts *o, char *err, size_t errlen)
{
    struct exchange *ex = calloc(1, sizeof *ex);
    if (!ex) {
        if (err && errlen) snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&ex->mu, NULL);
    ex->seed = o ? o->seed : 0;
    ex->now_us = o ? o->now_us : 0;
    return ex;
}

void exchange_free(struct exchange *ex)
{
    if (!ex) return;
    for (int i = 0; i < ex->n_accounts; i++) free(ex->names[i]);
    free(ex->names);
    pthread_mutex_destroy(&ex->mu);
    free(ex);
}

void exchange_reset(struct exchange *ex, int64_t now_us)
{
    pthread_mutex_lock(&ex->mu);
    ex->now_us = now_us;
    pthread_mutex_unlock(&ex->mu);
}

static int find_locked(struct exchange *ex, const char *name)
{
    for (int i = 0; i < ex->n_accounts; i++)
        if (strcmp(ex->names[i], name) == 0) return i;
    return -1;
}

int exchange_account_add(struct exchange *ex, const char *name, const cJSON *balances)
{
    (void)balances;
    if (!name) return -1;
    pthread_mutex_lock(&ex->mu);
    int id = find_locked(ex, name);
    if (id < 0) {
        if (ex->n_accounts == ex->cap_accounts) {
            int nc = ex->cap_accounts ? ex->cap_accounts * 2 : 8;
            char **nv = realloc(ex->names, (size_t)nc * sizeof *nv);
            if (!nv) { pthread_mutex_unlock(&ex->mu); return -1; }
            ex->names = nv;
            ex->cap_accounts = nc;
        }
        char *dup = strdup(name);
        if (!dup) { pthread_mutex_unlock(&ex->mu); return -1; }
        id = ex->n_accounts++;
        ex->names[id] = dup;
    }
    pthread_mutex_unlock(&ex->mu);
    return id;
}

int exchange_account_find(struct exchange *ex, const char *name)
{
    pthread_mutex_lock(&ex->mu);
    int id = name ? find_locked(ex, name) : -1;
    pthread_mutex_unlock(&ex->mu);
    return id;
}

void exchange_advance(struct exchange *ex, int64_t now_us)
{
    pthread_mutex_lock(&ex->mu);
    if (now_us > ex->now_us) ex->now_us = now_us;
    pthread_mutex_unlock(&ex->mu);
}

void exchange_set_listener(struct exchange *ex, exchange_listener fn, void *ud)
{
    pthread_mutex_lock(&ex->mu);
    ex->listener = fn;
    ex->listener_ud = ud;
    pthread_mutex_unlock(&ex->mu);
}
