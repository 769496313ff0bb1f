/* tool_errors: `binsig errors [--markdown]` - the error catalogue of
 * lib/errors.def, as text lines or as the Markdown table of the docs. */
#include "tool.h"
#include <stdio.h>
#include <stdlib.h>
#include "errors.h"

static const char errors_help[] =
    "usage: binsig errors [--markdown]\n\n"
    "Prints every Binance error the project emits (lib/errors.def): code, name, HTTP status,\n"
    "catalogue id and message template, one per line; --markdown prints a Markdown table.\n";

int cmd_errors(int argc, char **argv) {
    tool_opts o;
    if (tool_parse(&o, argc, argv, "markdown", "errors") < 0) { free(o.rest); return TOOL_USAGE; }
    int rc = TOOL_OK;
    if (o.help) {
        fputs(errors_help, stdout);
    } else if (o.nrest) {
        tool_err("errors: unexpected argument '%s'", o.rest[0]);
        rc = TOOL_USAGE;
    } else if (o.markdown) {
        buf_t b = BUF_INIT;
        if (err_render_markdown(&b) != 0) { tool_err("out of memory"); rc = TOOL_FAIL; }
        else fwrite(buf_cstr(&b), 1, b.len, stdout);
        buf_free(&b);
    } else {
        for (size_t i = 0; i < err_count(); i++) {
            const err_def *d = err_at(i);
            printf("%d\t%s\t%d\t%s\t%s\n", d->code, d->name, d->http_status, d->id_name, d->tmpl);
        }
    }
    free(o.rest);
    return rc;
}
