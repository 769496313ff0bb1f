/* groups.h: the handlers of every endpoint, one endpoints/<group>.c per
 * group; registry.c holds the one route table that points at them.
 * Private to endpoints/. */
#ifndef BC_EP_GROUPS_H
#define BC_EP_GROUPS_H
#include "api.h"

/* general.c */
void ep_ping(api_req *rq, api_resp *rs);
void ep_time(api_req *rq, api_resp *rs);
#endif
