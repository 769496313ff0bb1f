/* exchange.c: lifecycle of the exchange (contract A) - creation from a
 * symbols config, reset to the start state, the clock and simulator
 * catch-up, the lock, and the event listener. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

void exchange_lock(struct exchange *ex) { pthread_mutex_lock(&ex->mu); }
void exchange_unlock(struct exchange *ex) { pthread_mutex_unlock(&ex->mu); }
int64_t ex_now_us(struct exchange *ex) { return ex->now_us; }

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "cannot open %s", path); return NULL; }
    char *buf = NULL;
    size_t n = 0, cap = 0, r;
    char chunk[8192];
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + r + 1 > cap || n + r > 16u << 20) {
            if (n + r > 16u << 20) { free(buf); fclose(f); snprintf(err, errlen, "%s too big", path); return NULL; }
            cap = (n + r + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); snprintf(err, errlen, "out of memory"); return NULL; }
            buf = nb;
        }
        memcpy(buf + n, chunk, r);
        n += r;
    }
    fclose(f);
    if (!buf) { snprintf(err, errlen, "%s is empty", path); return NULL; }
    buf[n] = '\0';
    return buf;
}

/* Market maker: a huge balance of every asset, no commission. */
static int mm_setup(struct exchange *ex)
{
    cJSON *bal = cJSON_CreateObject();
    if (!bal) return -1;
    for (size_t i = 0; i < ex->nassets; i++) cJSON_AddStringToObject(bal, ex->assets[i], "1000000000");
    int id = ex_account_add_locked(ex, EX_MM_NAME, bal);
    cJSON_Delete(bal);
    if (id != EX_MM_ACCOUNT) return -1;
    ex->accts[id].maker_rate = ex->accts[id].taker_rate = 0;
    return 0;
}

static int state_init(struct exchange *ex, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) { err = dummy; errlen = sizeof dummy; }
    if (ex_symbols_load(ex, ex->symbols_json, err, errlen)) return -1;
    ex->next_order_id = 1;
    ex->next_exec_id = 1;
    ex->next_list_id = 1;
    ex->next_seq = 1;
    ex->now_us = ex->start_us;
    ex->id_rng = ex->seed * 0x9E3779B97F4A7C15ULL + 1;
    if (ex_replay_apply(ex, err, errlen)) return -1;
    ex_sim_init(ex);
    ex_replay_prime(ex);
    return 0;
}

struct exchange *exchange_new(const exchange_opts *o, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) { err = dummy; errlen = sizeof dummy; }
    struct exchange *ex = calloc(1, sizeof *ex);
    if (!ex) { snprintf(err, errlen, "out of memory"); return NULL; }
    pthread_mutex_init(&ex->mu, NULL);
    ex->seed = o ? o->seed : 0;
    ex->start_us = o ? o->now_us : 0;
    ex->retention_us = o && o->retention_us > 0 ? o->retention_us : 0;
    ex->archive_filled = o ? !o->keep_filled : 1;
    if (o && o->symbols_file) ex->symbols_json = read_file(o->symbols_file, err, errlen);
    else ex->symbols_json = strdup(ex_symbols_default_json());
    if (!ex->symbols_json) { exchange_free(ex); return NULL; }
    ex_replay_opts ro = { .dir = o ? o->replay_dir : NULL, .speed_milli = o ? o->replay_speed_milli : 0,
                          .history_ms = o ? o->replay_history_ms : 0,
                          .start_ms = o ? o->replay_start_ms : 0, .fill_touch = o ? o->replay_fill_touch : 0,
                          .max_events = o ? o->replay_max_events : 0 };
    if (ex_replay_load(ex, &ro, err, errlen)) { exchange_free(ex); return NULL; }
    /* assets are known after the symbols load; the market maker needs them */
    if (ex_symbols_load(ex, ex->symbols_json, err, errlen) || mm_setup(ex)) {
        exchange_free(ex);
        return NULL;
    }
    ex_symbols_free(ex);
    if (state_init(ex, err, errlen)) { exchange_free(ex); return NULL; }
    return ex;
}

void exchange_free(struct exchange *ex)
{
    if (!ex) return;
    ex_symbols_free(ex);
    ex_lists_free(ex);
    ex_accounts_free(ex);
    ex_replay_free(ex);
    free(ex->symbols_json);
    pthread_mutex_destroy(&ex->mu);
    free(ex);
}

void exchange_reset(struct exchange *ex, int64_t now_us)
{
    exchange_lock(ex);
    ex_symbols_free(ex);
    ex_lists_free(ex);
    ex_accounts_reset(ex);
    ex->start_us = now_us;
    state_init(ex, NULL, 0);
    exchange_unlock(ex);
}

void exchange_advance(struct exchange *ex, int64_t now_us)
{
    exchange_lock(ex);
    if (now_us > ex->now_us) {
        ex->now_us = now_us;
        ex_replay_run(ex, now_us);
        ex_sim_run(ex, now_us);
    }
    exchange_unlock(ex);
}

void exchange_set_listener(struct exchange *ex, exchange_listener fn, void *ud)
{
    exchange_lock(ex);
    ex->listener = fn;
    ex->listener_ud = ud;
    exchange_unlock(ex);
}
