/* registry.c: THE route table - every Binance endpoint the mock serves, one
 * api_route row each (method, path, WebSocket API twin, security type, base
 * weight, every parameter the handler reads) - and the lookups the REST
 * router and the WebSocket API use. Immutable. */
#include <string.h>
#include "endpoints.h"
#include "groups.h"

static const api_route routes[] = {
    { "GET", "/api/v3/ping", "ping", SEC_NONE, 1, "", ep_ping },
    { "GET", "/api/v3/time", "time", SEC_NONE, 1, "", ep_time },
};

const api_route *endpoints_all(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

const api_route *endpoints_find_rest(const char *method, const char *path)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].method, method) == 0 && strcmp(r[i].path, path) == 0) return &r[i];
    return NULL;
}

const api_route *endpoints_find_ws(const char *ws_method)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].ws_method && strcmp(r[i].ws_method, ws_method) == 0) return &r[i];
    return NULL;
}

int endpoints_path_known(const char *path)
{
    size_t n;
    const api_route *r = endpoints_all(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].path, path) == 0) return 1;
    return 0;
}
