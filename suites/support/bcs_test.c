/* bcs_test: cmocka group setup/teardown, the frozen-clock fixture and error
 * assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include "bcs_test.h"
#include "bcs_oracle.h"

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

void bcs_assert_err_(const bcs_resp *r, int status, err_id id, const char *a1, const char *a2,
                     const char *file, int line)
{
    /* The catalogue only names the row; status, code and message are the
     * oracle's literals (suites/data/binance_errors.json). */
    const err_def *d = err_get(id);
    bcs_oracle_err o;
    if (!d || bcs_oracle_get(d->id_name, &o) != 0)
        fail_msg("%s:%d: error row %d is not in suites/data/binance_errors.json", file, line, (int)id);
    char msg[1024];
    bcs_oracle_format(msg, sizeof msg, o.msg, a1, a2);
    if (status) o.status = status;
    if (r->status != o.status || bcs_code(r) != o.code || strcmp(bcs_msg(r), msg)) {
        fprintf(stderr, "%s:%d: expected %d {\"code\":%d,\"msg\":\"%s\"}\n  got %d %.*s\n", file, line,
                o.status, o.code, msg, r->status,
                (int)(r->body.len > 400 ? 400 : r->body.len), r->body.data ? r->body.data : "");
        fail_msg("error response mismatch at %s:%d", file, line);
    }
}

int64_t bcs_real_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int bcs_fx_start(void **state, const char *const *args, int64_t advance_ms)
{
    bcs_fx *f = calloc(1, sizeof *f);
    if (!f || bcs_mock_start(&f->m, args) != 0) { free(f); return -1; }
    *state = f;   /* from here on bcs_fx_stop cleans up */
    f->now_ms = bcs_real_ms();
    if (bcs_clock_freeze(&f->m, f->now_ms) != 200) return -1;
    if (advance_ms > 0) {
        char body[64];
        snprintf(body, sizeof body, "{\"advance_ms\":%lld}", (long long)advance_ms);
        if (bcs_admin(&f->m, "POST", "/__admin/clock", body, NULL) != 200) return -1;
        f->now_ms += advance_ms;
    }
    return 0;
}

int bcs_fx_start_signed(void **state, const char *key_file)
{
    if (bcs_fx_start(state, NULL, 0) != 0) return -1;
    bcs_fx *f = *state;
    f->key = bcs_key(key_file);
    f->api_key = bcs_api_key(key_file);
    return f->key && f->api_key ? 0 : -1;
}

int bcs_fx_stop(void **state)
{
    bcs_fx *f = *state;
    int rc = f && f->m.pid > 0 ? bcs_mock_stop(&f->m) : 0;
    if (f) sig_key_free(f->key);
    free(f);
    *state = NULL;
    return rc == 0 ? 0 : -1;
}

bcws *bcs_fx_ws(const bcs_fx *f, const char *path)
{
    char err[256] = "";
    bcws *c = bcws_open(f->m.port, path, err, sizeof err);
    if (!c) fprintf(stderr, "ws open %s: %s\n", path, err);
    assert_non_null(c);
    return c;
}

void bcs_fx_ws_sync(bcws *c, const char *path, int timeout_ms)
{
    cJSON *r = bcws_call(c, strncmp(path, "/ws-api", 7) ? "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":424242}"
                                                    : "{\"id\":424242,\"method\":\"ping\"}", timeout_ms);
    assert_non_null(r);
    cJSON_Delete(r);
}

void bcs_fx_call(bcs_fx *f, const char *method, const char *path, const char *params,
                 const char *const *hdrs, bcs_resp *r)
{
    char q[2048];
    snprintf(q, sizeof q, "%s%stimestamp=%lld", params, *params ? "&" : "", (long long)f->now_ms);
    assert_int_equal(bcs_signed(&f->m, method, path, f->key, f->api_key, q, NULL, 0, hdrs, r), 0);
}
