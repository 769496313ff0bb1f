/* endpoints: the registry of every Binance endpoint the mock serves. Each
 * endpoints/<group>.c defines a table of api_route rows; endpoints_all()
 * returns them concatenated. The REST router and the WebSocket API both look
 * routes up here and nowhere else. */
#ifndef BC_ENDPOINTS_H
#define BC_ENDPOINTS_H
#include <stddef.h>
#include "api.h"

/* Every row, WS_ONLY rows (path NULL) and not-implemented rows included. */
const api_route *endpoints_all(size_t *n);
/* 0 for a NOT_IMPLEMENTED row: documented by Binance, not served (-1020). */
int endpoints_implemented(const api_route *r);
/* The journal's note for a request of a not-implemented route. */
#define ENDPOINTS_NOT_IMPLEMENTED_NOTE "not implemented by binance-mock"
/* Lookup helpers (linear or indexed; the result is a row of endpoints_all()
 * with a REST path: WS_ONLY rows are never returned). */
const api_route *endpoints_find_rest(const char *method, const char *path);
const api_route *endpoints_find_ws(const char *ws_method);
/* 1 if some route has this path with another method (-> 405 vs 404). */
int endpoints_path_known(const char *path);
#endif
