/* endpoints: the registry of every Binance endpoint the mock serves. Each
 * endpoints/<group>.c defines a table of api_route rows; endpoints_all()
 * returns them concatenated. The REST router and the WebSocket API both look
 * routes up here and nowhere else. */
#ifndef BC_ENDPOINTS_H
#define BC_ENDPOINTS_H
#include <stddef.h>
#include "api.h"

const api_route *endpoints_all(size_t *n);
/* Lookup helpers (linear or indexed; the result is a row of endpoints_all()). */
const api_route *endpoints_find_rest(const char *method, const char *path);
const api_route *endpoints_find_ws(const char *ws_method);
/* 1 if some route has this path with another method (-> 405 vs 404). */
int endpoints_path_known(const char *path);
#endif
