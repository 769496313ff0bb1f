/* journal: ring buffer of the most recent requests (contract D). Each entry
 * is a cJSON object built by the pipeline; the journal assigns "id" and
 * "timeMs". Secrets never enter it (the pipeline only records public data). */
#ifndef BC_JOURNAL_H
#define BC_JOURNAL_H
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef struct journal {
    pthread_mutex_t mu;
    cJSON **ring;
    size_t cap, head, count;     /* head: next slot */
    int64_t next_id;
} journal;

int journal_init(journal *j, size_t cap);
void journal_destroy(journal *j);
/* Takes ownership of entry; returns its id (>= 1). */
int64_t journal_add(journal *j, cJSON *entry, int64_t time_ms);
/* Copies: {"entries":[...]} newest last; limit <= 0 -> all; since: id > since. */
cJSON *journal_list(journal *j, int64_t limit, int64_t since);
cJSON *journal_get(journal *j, int64_t id);   /* copy or NULL */
void journal_clear(journal *j);
#endif
