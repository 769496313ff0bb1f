/* embed: files built into the binary by cmake/embed.cmake (the console's
 * page, the bundled key registry). Each table ends with a NULL name; data
 * is NUL-terminated one byte past len. */
#ifndef BC_EMBED_H
#define BC_EMBED_H
#include <stddef.h>

typedef struct embedded_file {
    const char *name, *type;
    const unsigned char *data;
    size_t len;
} embedded_file;

extern const embedded_file console_assets[];   /* console/: index.html, console.js, console.css */
extern const embedded_file builtin_keys[];     /* vectors/keys/registry.json */
#endif
