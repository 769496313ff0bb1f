/* api: the helpers every endpoint handler uses (api.h). */
#include <stdio.h>
#include <string.h>
#include "api.h"

const char *api_param(const api_req *rq, const char *name)
{
    return rq && rq->params ? params_value(rq->params, name) : NULL;
}

void api_error(api_resp *rs, err_id e, const char *a1, const char *a2)
{
    rs->err = e;
    snprintf(rs->err_a1, sizeof rs->err_a1, "%s", a1 ? a1 : "");
    snprintf(rs->err_a2, sizeof rs->err_a2, "%s", a2 ? a2 : "");
    if (rs->body) { cJSON_Delete(rs->body); rs->body = NULL; }
}

void api_error_me(api_resp *rs, err_id e, me_msg m)
{
    api_error(rs, e, me_text(m), NULL);
}

void api_ok(api_resp *rs, cJSON *body)
{
    if (rs->body && rs->body != body) cJSON_Delete(rs->body);
    rs->body = body;
    rs->err = ERR_NONE;
    if (!body) rs->err = ERR_UNKNOWN;     /* allocation failed in the handler */
}

double api_time(const api_req *rq, int64_t t_us)
{
    if (rq && rq->time_unit_us) return (double)t_us;
    int64_t ms = t_us >= 0 ? t_us / 1000 : -((-t_us + 999) / 1000);
    return (double)ms;
}
