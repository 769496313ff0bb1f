/* journal: ring buffer of the most recent requests (contract D). Entries are
 * kept as compact JSON text (cheap on the hot path); the journal appends
 * "id" and "timeMs". Secrets never enter it (callers only record public
 * data). */
#ifndef BC_JOURNAL_H
#define BC_JOURNAL_H
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "buf.h"

/* A slot keeps its buffer (cap bytes) from one entry to the next: entries are
 * copied in, so the ring's memory stays put under load (no cross-thread
 * free of every old entry, no allocator drift). */
typedef struct journal_slot { int64_t id; char *text; size_t cap; } journal_slot;

typedef struct journal {
    pthread_mutex_t mu;
    journal_slot *ring;
    size_t cap, head, count;     /* head: next slot */
    int64_t next_id;
} journal;

int journal_init(journal *j, size_t cap);
void journal_destroy(journal *j);
/* obj: the text of a JSON object with at least one member, WITHOUT its
 * closing '}' (e.g. {"transport":"rest",...). Takes the buffer's memory.
 * Returns the id (>= 1), or 0 on oom. */
int64_t journal_add_text(journal *j, buf_t *obj, int64_t time_ms);
/* Takes ownership of entry (printed, then freed); returns its id or 0. */
int64_t journal_add(journal *j, cJSON *entry, int64_t time_ms);
/* Copies: {"entries":[...]} newest last; limit <= 0 -> all; since: id > since. */
cJSON *journal_list(journal *j, int64_t limit, int64_t since);
cJSON *journal_get(journal *j, int64_t id);   /* copy or NULL */
void journal_clear(journal *j);
#endif
