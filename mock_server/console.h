/* console: the browser console's files, built into the binary (console.c;
 * the bytes come from console/ through console/embed.cmake). */
#ifndef BC_CONSOLE_H
#define BC_CONSOLE_H
#include <stddef.h>

struct mg_connection;
struct srv;

typedef struct console_asset {
    const char *name, *type;
    const unsigned char *data;
    size_t len;
} console_asset;

extern const console_asset console_assets[];   /* ends with a NULL name */

/* Is PATH one of the console's URLs ("/", "/__admin/ui", "/__admin/ui/<file>")? */
int console_is_path(const char *path);
/* Serve it (GET/HEAD only); returns the HTTP status sent. */
int console_serve(struct mg_connection *conn, const char *method, const char *path);
#endif
