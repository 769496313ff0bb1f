/* console: serves the browser console (console/ in the source tree, built
 * into the binary by cmake/embed.cmake) at "/" and "/__admin/ui". The files hold no data and no
 * secret: the page reads everything through the admin API, whose access rule
 * (loopback, or the --admin-token bearer) applies to every data call. */
#include <stdio.h>
#include <string.h>
#include <civetweb.h>
#include "console.h"
#include "srv_core.h"

#define CONSOLE_PREFIX "/__admin/ui"

static const embedded_file *console_find(const char *path)
{
    const char *name = "index.html";
    size_t pl = strlen(CONSOLE_PREFIX);
    if (!strncmp(path, CONSOLE_PREFIX "/", pl + 1) && path[pl + 1]) name = path + pl + 1;
    else if (strcmp(path, "/") && strcmp(path, CONSOLE_PREFIX) && strcmp(path, CONSOLE_PREFIX "/")) return NULL;
    for (const embedded_file *a = console_assets; a->name; a++)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}

int console_is_path(const char *path)
{
    return path && (!strcmp(path, "/") || !strcmp(path, CONSOLE_PREFIX)
                    || !strncmp(path, CONSOLE_PREFIX "/", strlen(CONSOLE_PREFIX) + 1));
}

static int console_plain(struct mg_connection *conn, int status, const char *text)
{
    srv_write_head(conn, status, "text/plain; charset=utf-8", strlen(text), NULL);
    mg_write(conn, text, strlen(text));
    return status;
}

int console_serve(struct mg_connection *conn, const char *method, const char *path)
{
    int head = !strcmp(method, "HEAD");
    if (strcmp(method, "GET") && !head) return console_plain(conn, 405, "use GET\n");
    const embedded_file *a = console_find(path);
    if (!a) return console_plain(conn, 404, "no such console file\n");
    srv_write_head(conn, 200, a->type, a->len,
                   "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                   "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
                   "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'\r\n");
    if (!head) mg_write(conn, a->data, a->len);
    return 200;
}
