/* errors: the one error catalogue (errors.def, me_msgs.def) and its renderers.
 * Every Binance error the project emits - REST body, WebSocket error object,
 * suite assertion, generated docs - comes from here. */
#ifndef BC_ERRORS_H
#define BC_ERRORS_H
#include <stddef.h>
#include "buf.h"

typedef enum err_id {
    ERR_NONE = 0,
#define ERR(id, code, name, status, tmpl) ERR_##id,
#include "errors.def"
#undef ERR
    ERR__COUNT
} err_id;

typedef enum me_msg {
#define MEMSG(id, text) ME_##id,
#include "me_msgs.def"
#undef MEMSG
    ME__COUNT
} me_msg;

typedef struct err_def {
    err_id id;
    int code;              /* e.g. -1021 */
    const char *name;      /* e.g. "INVALID_TIMESTAMP" */
    int http_status;       /* e.g. 400 */
    const char *tmpl;      /* message template, at most two "%s" */
    const char *id_name;   /* the enum name without ERR_, e.g. "TIMESTAMP_AHEAD" */
} err_def;

const err_def *err_get(err_id id);                 /* NULL for ERR_NONE / out of range */
const err_def *err_by_id_name(const char *id_name); /* "TIMESTAMP_AHEAD" -> row, or NULL */
const err_def *err_first_by_code(int code);         /* first row with that code, or NULL */
/* The row with that code and HTTP status (e.g. -1003 + 418 -> IP_BANNED), else
 * the first row with that code, or NULL. */
const err_def *err_by_code_status(int code, int http_status);
size_t err_count(void);                             /* rows, ERR_NONE excluded */
const err_def *err_at(size_t i);                    /* i in [0, err_count()) */
const char *me_text(me_msg m);
const char *me_id_name(me_msg m);                   /* "UNKNOWN_ORDER"; "" out of range */

/* Fill the template: a1, a2 replace the "%s" in order (NULL -> ""); the
 * arguments are copied verbatim, never interpreted. Returns the number of
 * bytes written to out (always NUL-terminated; truncated to n-1 bytes).
 * ERR_NONE / unknown ids give "". */
size_t err_format(char *out, size_t n, err_id id, const char *a1, const char *a2);
/* Same, appended to a buf (no truncation). 0 ok, -1 oom. */
int err_format_buf(buf_t *out, err_id id, const char *a1, const char *a2);
/* Append {"code":<code>,"msg":"<message>"} (JSON-escaped) to out. 0 ok, -1 oom. */
int err_render_json(buf_t *out, err_id id, const char *a1, const char *a2);
/* Append the whole catalogue as a Markdown table (used for docs/errors.md). */
int err_render_markdown(buf_t *out);
#endif
