/* ws_stream_journal.c: journal entries for the market-stream control frames
 * (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY)
 * and the reply or error each got: transport "stream", the connection's path
 * as path, the request frame as body, the answer frame as reply. Without
 * them a case that failed on a rejected SUBSCRIBE showed only "timeout". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws_deps.h"
#include "ws_int.h"
#include "json_guard.h"

void ws_stream_journal(ws_conn *c, const char *req, size_t n, const char *reply, size_t rn, int code)
{
    struct srv *s = c->hub->srv;
    cJSON *j = cJSON_CreateObject(), *f = json_guard_parse(req, n);   /* nesting bounded: the frame is the client's */
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(f, "method");
    char *body = strndup(req, n > 8192 ? 8192 : n), *rep = strndup(reply, rn > 8192 ? 8192 : rn);
    if (j) {
        cJSON_AddNumberToObject(j, "timeMs", (double)(ws_now_us(c->hub) / 1000));
        cJSON_AddStringToObject(j, "transport", "stream");
        cJSON_AddStringToObject(j, "clientIp", c->ip);
        cJSON_AddStringToObject(j, "method", cJSON_IsString(m) ? m->valuestring : "?");
        cJSON_AddStringToObject(j, "path", c->path);
        cJSON_AddStringToObject(j, "body", body ? body : "");
        cJSON_AddStringToObject(j, "reply", rep ? rep : "");
        cJSON_AddNumberToObject(j, "status", code ? 400 : 200);
        if (code) cJSON_AddNumberToObject(j, "code", code);
        else cJSON_AddNullToObject(j, "code");
        srv_journal_add(s, j);
    }
    free(body);
    free(rep);
    cJSON_Delete(f);
}
