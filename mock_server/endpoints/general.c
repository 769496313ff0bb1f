/* general.c: the general endpoints - GET /api/v3/ping and /api/v3/time. */
#include "groups.h"
#include "srv.h"

void ep_ping(api_req *rq, api_resp *rs)
{
    (void)rq;
    api_ok(rs, cJSON_CreateObject());
}

void ep_time(api_req *rq, api_resp *rs)
{
    cJSON *o = cJSON_CreateObject();
    if (o) cJSON_AddNumberToObject(o, "serverTime", api_time(rq, rq->now_us));
    api_ok(rs, o);
}
