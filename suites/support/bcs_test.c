/* bcs_test: cmocka group setup/teardown and error assertions. */
#include <stdio.h>
#include <stdlib.h>
#include "bcs_test.h"

int bcs_group_start(void **state, const char *const *args)
{
    bcs_mock *m = calloc(1, sizeof *m);
    if (!m) return -1;
    if (bcs_mock_start(m, args) < 0) { free(m); return -1; }
    *state = m;
    return 0;
}

int bcs_group_setup(void **state) { return bcs_group_start(state, NULL); }

int bcs_group_stop(void **state)
{
    bcs_mock *m = *state;
    int rc = m ? bcs_mock_stop(m) : 0;
    free(m);
    return rc == 0 ? 0 : -1;
}

void bcs_assert_err_(const bcs_resp *r, err_id id, const char *a1, const char *a2,
                     const char *file, int line)
{
    const err_def *d = err_get(id);
    char msg[512];
    err_format(msg, sizeof msg, id, a1, a2);
    if (!d || r->status != d->http_status || bcs_code(r) != d->code || strcmp(bcs_msg(r), msg)) {
        fprintf(stderr, "%s:%d: expected %d {\"code\":%d,\"msg\":\"%s\"}\n  got %d %.*s\n", file, line,
                d ? d->http_status : 0, d ? d->code : 0, msg, r->status,
                (int)(r->body.len > 400 ? 400 : r->body.len), r->body.data ? r->body.data : "");
        fail_msg("error response mismatch at %s:%d", file, line);
    }
}
