/* journal: fixed-capacity ring of request records, one mutex. */
#include <stdlib.h>
#include "journal.h"

int journal_init(journal *j, size_t cap)
{
    j->ring = calloc(cap, sizeof *j->ring);
    if (!j->ring) return -1;
    pthread_mutex_init(&j->mu, NULL);
    j->cap = cap;
    j->head = j->count = 0;
    j->next_id = 1;
    return 0;
}

void journal_destroy(journal *j)
{
    journal_clear(j);
    free(j->ring);
    pthread_mutex_destroy(&j->mu);
}

int64_t journal_add(journal *j, cJSON *entry, int64_t time_ms)
{
    if (!entry) return 0;
    pthread_mutex_lock(&j->mu);
    int64_t id = j->next_id++;
    cJSON_AddItemToObject(entry, "id", cJSON_CreateNumber((double)id));
    cJSON_AddItemToObject(entry, "timeMs", cJSON_CreateNumber((double)time_ms));
    cJSON_Delete(j->ring[j->head]);
    j->ring[j->head] = entry;
    j->head = (j->head + 1) % j->cap;
    if (j->count < j->cap) j->count++;
    pthread_mutex_unlock(&j->mu);
    return id;
}

static int64_t entry_id(const cJSON *e)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    return id ? (int64_t)id->valuedouble : 0;
}

cJSON *journal_list(journal *j, int64_t limit, int64_t since)
{
    cJSON *out = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(out, "entries");
    if (!out || !arr) { cJSON_Delete(out); return NULL; }
    pthread_mutex_lock(&j->mu);
    size_t first = (j->head + j->cap - j->count) % j->cap, n = 0;
    /* count the matching entries, then skip the oldest beyond limit */
    for (size_t i = 0; i < j->count; i++)
        if (entry_id(j->ring[(first + i) % j->cap]) > since) n++;
    size_t skip = (limit > 0 && (size_t)limit < n) ? n - (size_t)limit : 0;
    for (size_t i = 0; i < j->count; i++) {
        const cJSON *e = j->ring[(first + i) % j->cap];
        if (entry_id(e) <= since) continue;
        if (skip) { skip--; continue; }
        cJSON_AddItemToArray(arr, cJSON_Duplicate(e, 1));
    }
    pthread_mutex_unlock(&j->mu);
    return out;
}

cJSON *journal_get(journal *j, int64_t id)
{
    cJSON *out = NULL;
    pthread_mutex_lock(&j->mu);
    for (size_t i = 0; i < j->count && !out; i++) {
        const cJSON *e = j->ring[i];
        if (e && entry_id(e) == id) out = cJSON_Duplicate(e, 1);
    }
    pthread_mutex_unlock(&j->mu);
    return out;
}

void journal_clear(journal *j)
{
    pthread_mutex_lock(&j->mu);
    for (size_t i = 0; i < j->cap; i++) { cJSON_Delete(j->ring[i]); j->ring[i] = NULL; }
    j->head = j->count = 0;
    pthread_mutex_unlock(&j->mu);
}
