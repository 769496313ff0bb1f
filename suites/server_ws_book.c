/* server_ws_book: keep a local order book from the depth stream exactly as
 * Binance documents it (buffer events, REST snapshot, drop u <= lastUpdateId,
 * first event straddles lastUpdateId+1, then apply absolute quantities) over
 * >= 10,000 simulated book updates driven through the virtual clock, and
 * check it equals GET /api/v3/depth level for level, lastUpdateId included. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "bcs.h"
#include "ws_client.h"

#define WAIT_MS (10000 * bcs_slow())
#define TARGET_UPDATES 10000
#define MAX_LEVELS 20000

typedef struct level { char price[40], qty[40]; } level;
typedef struct side { level v[MAX_LEVELS]; size_t n; } side;
typedef struct book { side bids, asks; double last_u; } book;

static void side_set(side *s, const char *price, const char *qty)
{
    int zero = strspn(qty, "0.") == strlen(qty);
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].price, price)) {
            if (zero) s->v[i] = s->v[--s->n];
            else snprintf(s->v[i].qty, sizeof s->v[i].qty, "%s", qty);
            return;
        }
    if (zero) return;
    assert_true(s->n < MAX_LEVELS);
    snprintf(s->v[s->n].price, sizeof s->v[s->n].price, "%s", price);
    snprintf(s->v[s->n].qty, sizeof s->v[s->n].qty, "%s", qty);
    s->n++;
}

static void side_load(side *s, const cJSON *arr)
{
    const cJSON *lv;
    s->n = 0;
    cJSON_ArrayForEach(lv, arr)
        side_set(s, cJSON_GetArrayItem(lv, 0)->valuestring, cJSON_GetArrayItem(lv, 1)->valuestring);
}

static void side_apply(side *s, const cJSON *arr)
{
    const cJSON *lv;
    cJSON_ArrayForEach(lv, arr)
        side_set(s, cJSON_GetArrayItem(lv, 0)->valuestring, cJSON_GetArrayItem(lv, 1)->valuestring);
}

static int level_cmp(const void *a, const void *b)
{
    return strcmp(((const level *)a)->price, ((const level *)b)->price);
}

static void side_assert_equal(side *a, side *b)
{
    assert_int_equal(a->n, b->n);
    qsort(a->v, a->n, sizeof a->v[0], level_cmp);
    qsort(b->v, b->n, sizeof b->v[0], level_cmp);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->v[i].price, b->v[i].price);
        assert_string_equal(a->v[i].qty, b->v[i].qty);
    }
}

static cJSON *rest_depth(const bcs_mock *m)
{
    bcs_resp r;
    memset(&r, 0, sizeof r);
    assert_int_equal(bcs_http(m, "GET", "/api/v3/depth?symbol=BTCUSDT&limit=5000", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = r.json;
    r.json = NULL;
    bcs_resp_free(&r);
    return j;
}

/* Apply one depthUpdate; returns the number of update ids it covers. */
static double book_apply(book *b, const cJSON *ev)
{
    double U = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ev, "U"));
    double u = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ev, "u"));
    if (u <= b->last_u) return 0;                          /* older than the snapshot */
    assert_true(U <= b->last_u + 1);                       /* no gap */
    side_apply(&b->bids, cJSON_GetObjectItemCaseSensitive(ev, "b"));
    side_apply(&b->asks, cJSON_GetObjectItemCaseSensitive(ev, "a"));
    double n = u - b->last_u;
    b->last_u = u;
    return n;
}

static void test_local_book_equals_rest(void **state)
{
    (void)state;
    bcs_mock m;
    static const char *const args[] = { "--ws-max-messages-per-sec", "0", NULL };  /* many sync round trips */
    assert_int_equal(bcs_mock_start(&m, args), 0);
    struct timeval tv;                 /* freeze at "now": the simulator never runs backwards */
    gettimeofday(&tv, NULL);
    assert_int_equal(bcs_clock_freeze(&m, (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000), 200);
    char err[256] = "";
    bcws *c = bcws_open(m.port, "/ws/btcusdt@depth@100ms", err, sizeof err);
    assert_non_null(c);
    cJSON *sync = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}", WAIT_MS);
    assert_non_null(sync);                  /* the server has registered the stream */
    cJSON_Delete(sync);
    book *b = calloc(1, sizeof *b);
    assert_non_null(b);

    /* events before the snapshot are buffered by the client queue */
    assert_int_equal(bcs_admin(&m, "POST", "/__admin/clock", "{\"advance_ms\":2000}", NULL), 200);
    cJSON *snap = rest_depth(&m);
    b->last_u = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(snap, "lastUpdateId"));
    side_load(&b->bids, cJSON_GetObjectItemCaseSensitive(snap, "bids"));
    side_load(&b->asks, cJSON_GetObjectItemCaseSensitive(snap, "asks"));
    cJSON_Delete(snap);

    double applied = 0;
    int events = 0;
    while (applied < TARGET_UPDATES) {
        assert_int_equal(bcs_admin(&m, "POST", "/__admin/clock", "{\"advance_ms\":25000}", NULL), 200);
        cJSON *sy = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}", WAIT_MS);
        assert_non_null(sy);                /* the events up to now are queued before the reply */
        cJSON_Delete(sy);
        cJSON *ev;
        while ((ev = bcws_recv_json(c, 0)) != NULL) {
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "e")), "depthUpdate");
            applied += book_apply(b, ev);
            events++;
            cJSON_Delete(ev);
        }
        assert_true(events < 1000000);
        if (getenv("BC_WS_DEBUG")) fprintf(stderr, "applied %.0f events %d\n", applied, events);
    }
    /* clock frozen: the book is still, but the last 100 ms window is sent
     * when it ends; step 100 ms at a time (the simulator steps once a
     * second) until the stream has caught up with REST, then compare */
    for (int i = 0; i < 20; i++) {
        snap = rest_depth(&m);
        if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(snap, "lastUpdateId")) == b->last_u) break;
        cJSON_Delete(snap);
        snap = NULL;
        assert_int_equal(bcs_admin(&m, "POST", "/__admin/clock", "{\"advance_ms\":100}", NULL), 200);
        cJSON *sy = bcws_call(c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}", WAIT_MS);
        assert_non_null(sy);                /* every event due before the reply is queued before it */
        cJSON_Delete(sy);
        cJSON *ev;
        while ((ev = bcws_recv_json(c, 0)) != NULL) {
            applied += book_apply(b, ev);
            events++;
            cJSON_Delete(ev);
        }
    }
    assert_non_null(snap);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(snap, "lastUpdateId")) == b->last_u);
    book *r = calloc(1, sizeof *r);
    assert_non_null(r);
    side_load(&r->bids, cJSON_GetObjectItemCaseSensitive(snap, "bids"));
    side_load(&r->asks, cJSON_GetObjectItemCaseSensitive(snap, "asks"));
    cJSON_Delete(snap);
    side_assert_equal(&b->bids, &r->bids);
    side_assert_equal(&b->asks, &r->asks);
    assert_true(b->bids.n > 0 && b->asks.n > 0);
    fprintf(stderr, "local book == REST depth after %.0f updates in %d events (%zu bids, %zu asks)\n",
            applied, events, b->bids.n, b->asks.n);
    free(r);
    free(b);
    bcws_close(c);
    bcs_mock_stop(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_book_equals_rest),
    };
    return cmocka_run_group_tests_name("ws_book", tests, NULL, NULL);
}
