/* console: the browser console's files, built into the binary (console.c;
 * the bytes come from console/ through console/embed.cmake). */
#ifndef BC_CONSOLE_H
#define BC_CONSOLE_H
#include "embed.h"

struct mg_connection;

/* Is PATH one of the console's URLs ("/", "/__admin/ui", "/__admin/ui/<file>")? */
int console_is_path(const char *path);
/* Serve it (GET/HEAD only); returns the HTTP status sent. */
int console_serve(struct mg_connection *conn, const char *method, const char *path);
#endif
