/* journal: fixed-capacity ring of request records as JSON text, one mutex. */
#include <stdlib.h>
#include <string.h>
#include "journal.h"
#include "jsonw.h"
#include "json_guard.h"

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

int64_t journal_add_text(journal *j, buf_t *obj, int64_t time_ms)
{
    pthread_mutex_lock(&j->mu);
    int64_t id = j->next_id++;
    pthread_mutex_unlock(&j->mu);
    if (buf_puts(obj, ",\"id\":") < 0 || jsonw_int(obj, id) < 0 || buf_puts(obj, ",\"timeMs\":") < 0
        || jsonw_int(obj, time_ms) < 0 || buf_putc(obj, '}') < 0) {
        buf_free(obj);
        return 0;
    }
    pthread_mutex_lock(&j->mu);
    journal_slot *s = &j->ring[j->head];
    /* reuse the slot's buffer when it fits and is not far too big (a huge
     * entry's buffer is not kept once small ones follow) */
    if (s->text && s->cap > obj->len && (s->cap <= 8192 || s->cap / 4 <= obj->len)) {
        memcpy(s->text, obj->data, obj->len + 1);
    } else {                                           /* too small: swap buffers */
        char *old = s->text;
        s->text = obj->data;
        s->cap = obj->cap;
        obj->data = old;                               /* freed below, outside the lock */
        obj->cap = obj->len = 0;
    }
    s->id = id;
    j->head = (j->head + 1) % j->cap;
    if (j->count < j->cap) j->count++;
    pthread_mutex_unlock(&j->mu);
    free(obj->data);
    obj->data = NULL;
    obj->len = obj->cap = 0;
    return id;
}

int64_t journal_add(journal *j, cJSON *entry, int64_t time_ms)
{
    if (!entry) return 0;
    cJSON_DeleteItemFromObject(entry, "id");
    cJSON_DeleteItemFromObject(entry, "timeMs");
    char *txt = cJSON_PrintUnformatted(entry);
    cJSON_Delete(entry);
    size_t n = txt ? strlen(txt) : 0;
    if (n < 3 || txt[n - 1] != '}') { free(txt); return 0; }   /* {} has no member to follow */
    buf_t b = BUF_INIT;
    int rc = buf_append(&b, txt, n - 1);
    free(txt);
    return rc < 0 ? 0 : journal_add_text(j, &b, time_ms);
}

cJSON *journal_list(journal *j, int64_t limit, int64_t since)
{
    cJSON *out = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(out, "entries");
    if (!out || !arr) { cJSON_Delete(out); return NULL; }
    pthread_mutex_lock(&j->mu);
    size_t first = (j->head + j->cap - j->count) % j->cap, n = 0;
    for (size_t i = 0; i < j->count; i++)
        if (j->ring[(first + i) % j->cap].id > since) n++;
    size_t skip = (limit > 0 && (size_t)limit < n) ? n - (size_t)limit : 0;
    for (size_t i = 0; i < j->count; i++) {
        const journal_slot *s = &j->ring[(first + i) % j->cap];
        if (s->id <= since) continue;
        if (skip) { skip--; continue; }
        cJSON *e = json_guard_parse_str(s->text);
        if (e) cJSON_AddItemToArray(arr, e);
    }
    pthread_mutex_unlock(&j->mu);
    return out;
}

cJSON *journal_get(journal *j, int64_t id)
{
    cJSON *out = NULL;
    pthread_mutex_lock(&j->mu);
    for (size_t i = 0; i < j->cap && !out; i++)
        if (j->ring[i].text && j->ring[i].id == id) out = json_guard_parse_str(j->ring[i].text);
    pthread_mutex_unlock(&j->mu);
    return out;
}

void journal_clear(journal *j)
{
    pthread_mutex_lock(&j->mu);
    for (size_t i = 0; i < j->cap; i++) {
        free(j->ring[i].text);
        j->ring[i].text = NULL;
        j->ring[i].cap = 0;
        j->ring[i].id = 0;
    }
    j->head = j->count = 0;
    pthread_mutex_unlock(&j->mu);
}
