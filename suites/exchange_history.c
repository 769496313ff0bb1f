/* exchange_history: the order indexes and the bounded history without HTTP -
 * duplicate clientOrderId detection and MAX_NUM_ORDERS / MAX_NUM_ALGO_ORDERS
 * through every way an order stops resting (cancel, fill, iceberg refresh,
 * stop trigger), the indexes against a brute-force scan after random
 * operations (self-matches under every STP mode included), placement cost independent of history length, and archiving:
 * closed orders past the retention window leave memory with their fills and
 * stay recognisable (-2026) by orderId and clientOrderId. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "exchange_api.h"

#define T0 1700000000000000LL
#define DAY 86400000000LL

static const char test_symbols[] =
    "{\"symbols\":[{\"symbol\":\"TSTUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"TST\",\"quoteAsset\":\"USDT\","
    "\"orderTypes\":[\"LIMIT\",\"LIMIT_MAKER\",\"MARKET\",\"STOP_LOSS\",\"STOP_LOSS_LIMIT\",\"TAKE_PROFIT\",\"TAKE_PROFIT_LIMIT\"],"
    "\"icebergAllowed\":true,"
    "\"filters\":["
    "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"10000\",\"tickSize\":\"0.01\"},"
    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"1000\",\"stepSize\":\"0.001\"},"
    "{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":5},"
    "{\"filterType\":\"MAX_NUM_ALGO_ORDERS\",\"maxNumAlgoOrders\":2}],"
    "\"sim\":{\"price\":\"100\",\"qty\":\"1\",\"levels\":0}},"
    "{\"symbol\":\"XYZUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"XYZ\",\"quoteAsset\":\"USDT\","
    "\"orderTypes\":[\"LIMIT\",\"MARKET\"],"
    "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"10000\",\"tickSize\":\"0.01\"},"
    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"1000000\",\"stepSize\":\"0.001\"}],"
    "\"sim\":{\"price\":\"100\",\"qty\":\"1\",\"levels\":0}}]}";

typedef struct fx {
    struct exchange *ex;
    int alice, bob;
    char path[64];
} fx;

static dec_t D(const char *s)
{
    dec_t v = 0;
    assert_int_equal(dec_parse(s, &v, 0), DEC_OK);
    return v;
}

static fx *make(int64_t retention_us, int keep_filled)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->path, "/tmp/bc_exhistXXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, test_symbols, sizeof test_symbols - 1), (ssize_t)(sizeof test_symbols - 1));
    close(fd);
    exchange_opts o = { .symbols_file = f->path, .seed = 1, .now_us = T0, .retention_us = retention_us,
                        .keep_filled = keep_filled };
    char err[128];
    f->ex = exchange_new(&o, err, sizeof err);
    assert_non_null(f->ex);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"100000000\",\"TST\":\"1000000\",\"XYZ\":\"1000000\"}");
    f->alice = exchange_account_add(f->ex, "alice", bal);
    f->bob = exchange_account_add(f->ex, "bob", bal);
    cJSON_Delete(bal);
    return f;
}

static int setup(void **state) { *state = make(0, 0); return 0; }
static int setup_archive(void **state) { *state = make(DAY, 0); return 0; }
static int setup_keep_filled(void **state) { *state = make(DAY, 1); return 0; }

static int teardown(void **state)
{
    fx *f = *state;
    exchange_free(f->ex);
    unlink(f->path);
    free(f);
    return 0;
}

static int next_stp = -1;            /* STP mode of the next place_at (-1: symbol default) */

static ex_result place_at(fx *f, int acct, int sym, ex_side side, ex_type type, ex_tif tif, const char *price,
                          const char *qty, const char *cid, int64_t now)
{
    ex_order_req r = { .account = acct, .sym = sym, .side = side, .type = type, .tif = tif, .stp = (ex_stp)next_stp,
                       .client_id = cid, .now_us = now };
    if (type == EX_STOP_LOSS_LIMIT) { r.stop_price = D(price); r.has_stop = 1; }
    if (price) { r.price = D(price); r.has_price = 1; }
    r.qty = D(qty);
    r.has_qty = 1;
    ex_result out;
    ex_order_place(f->ex, &r, &out);
    ex_result_free(&out);
    return out;
}

static ex_result limit(fx *f, int acct, ex_side side, const char *price, const char *qty, const char *cid)
{
    return place_at(f, acct, 0, side, EX_LIMIT, EX_GTC, price, qty, cid, T0);
}

static void assert_duplicate(ex_result r)
{
    assert_int_equal(r.err, ERR_NEW_ORDER_REJECTED);
    assert_int_equal(r.me, ME_DUPLICATE_ORDER);
}

static void cancel(fx *f, int acct, int64_t id)
{
    ex_result c;
    ex_order_cancel(f->ex, acct, 0, id, NULL, EX_CR_NONE, T0, &c);
    assert_int_equal(c.err, ERR_NONE);
}

static size_t open_count(fx *f, int acct, int algo)
{
    exchange_lock(f->ex);
    size_t n = ex_open_order_count_locked(f->ex, acct, 0, algo);
    exchange_unlock(f->ex);
    return n;
}

static void test_duplicate_client_id(void **state)
{
    fx *f = *state;
    ex_result a = limit(f, f->alice, EX_BUY, "90", "1", "dup-1");
    assert_int_equal(a.err, ERR_NONE);
    assert_duplicate(limit(f, f->alice, EX_BUY, "91", "1", "dup-1"));
    /* another symbol, same account: the id is still in use (account-wide) */
    assert_duplicate(place_at(f, f->alice, 1, EX_BUY, EX_LIMIT, EX_GTC, "50", "1", "dup-1", T0));
    assert_int_equal(limit(f, f->bob, EX_BUY, "91", "1", "dup-1").err, ERR_NONE);  /* other account */
    cancel(f, f->alice, a.order.id);
    ex_result b = limit(f, f->alice, EX_SELL, "110", "2", "dup-1");                /* free again */
    assert_int_equal(b.err, ERR_NONE);
    /* partly filled: still open, still in use; filled: free */
    assert_int_equal(limit(f, f->bob, EX_BUY, "110", "1", NULL).err, ERR_NONE);
    assert_duplicate(limit(f, f->alice, EX_SELL, "120", "1", "dup-1"));
    assert_int_equal(limit(f, f->bob, EX_BUY, "110", "1", NULL).err, ERR_NONE);
    assert_int_equal(limit(f, f->alice, EX_SELL, "120", "1", "dup-1").err, ERR_NONE);
    /* an iceberg whose slice refreshes (leaves and re-enters the book) stays indexed */
    ex_order_req ice = { .account = f->alice, .sym = 0, .side = EX_SELL, .type = EX_LIMIT, .tif = EX_GTC,
                         .stp = (ex_stp)-1, .price = D("130"), .has_price = 1, .qty = D("3"), .has_qty = 1,
                         .iceberg = D("1"), .has_iceberg = 1, .client_id = "ice", .now_us = T0 };
    ex_result ir;
    ex_order_place(f->ex, &ice, &ir);
    assert_int_equal(ir.err, ERR_NONE);
    assert_int_equal(limit(f, f->bob, EX_BUY, "130", "1", NULL).err, ERR_NONE);  /* takes the first slice */
    assert_duplicate(limit(f, f->alice, EX_SELL, "140", "1", "ice"));
    /* a waiting stop order holds its id; triggered into the book it still does */
    ex_result st = place_at(f, f->alice, 0, EX_BUY, EX_STOP_LOSS_LIMIT, EX_GTC, "125", "1", "stop-1", T0);
    assert_int_equal(st.err, ERR_NONE);
    assert_duplicate(limit(f, f->alice, EX_SELL, "150", "1", "stop-1"));
    exchange_lock(f->ex);
    ex_order *o = ex_order_find_locked(f->ex, f->alice, 0, -1, "stop-1");
    assert_non_null(o);
    assert_int_equal(o->id, st.order.id);
    exchange_unlock(f->ex);
}

static void test_max_num_orders(void **state)
{
    fx *f = *state;
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        ex_result r = limit(f, f->alice, EX_BUY, "90", "1", NULL);
        assert_int_equal(r.err, ERR_NONE);
        ids[i] = r.order.id;
    }
    assert_int_equal(open_count(f, f->alice, 0), 5);
    ex_result over = limit(f, f->alice, EX_BUY, "90", "1", NULL);
    assert_int_equal(over.err, ERR_FILTER_FAILURE);
    assert_string_equal(over.filter, "MAX_NUM_ORDERS");
    assert_int_equal(limit(f, f->bob, EX_BUY, "90", "1", NULL).err, ERR_NONE);   /* per account */
    cancel(f, f->alice, ids[0]);
    assert_int_equal(open_count(f, f->alice, 0), 4);
    assert_int_equal(limit(f, f->alice, EX_BUY, "89", "1", NULL).err, ERR_NONE);
    /* a fill closes one: room again */
    assert_int_equal(limit(f, f->bob, EX_SELL, "90", "1", NULL).err, ERR_NONE);
    assert_int_equal(open_count(f, f->alice, 0), 4);
    assert_int_equal(limit(f, f->alice, EX_BUY, "89", "1", NULL).err, ERR_NONE);
    /* stops: two may wait; they count as open orders too */
    ex_order **all = NULL;
    exchange_lock(f->ex);
    size_t n = ex_open_orders_locked(f->ex, f->alice, 0, &all);
    exchange_unlock(f->ex);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) cancel(f, f->alice, all[i]->id);
    free(all);
    assert_int_equal(place_at(f, f->alice, 0, EX_BUY, EX_STOP_LOSS_LIMIT, EX_GTC, "150", "1", NULL, T0).err, ERR_NONE);
    assert_int_equal(place_at(f, f->alice, 0, EX_BUY, EX_STOP_LOSS_LIMIT, EX_GTC, "160", "1", NULL, T0).err, ERR_NONE);
    assert_int_equal(open_count(f, f->alice, 1), 2);
    ex_result algo = place_at(f, f->alice, 0, EX_BUY, EX_STOP_LOSS_LIMIT, EX_GTC, "170", "1", NULL, T0);
    assert_int_equal(algo.err, ERR_FILTER_FAILURE);
    assert_string_equal(algo.filter, "MAX_NUM_ALGO_ORDERS");
    /* a trade at 150 triggers the first stop: it leaves the algo count, rests as a LIMIT */
    assert_int_equal(limit(f, f->bob, EX_SELL, "150", "1", NULL).err, ERR_NONE);
    assert_int_equal(limit(f, f->alice, EX_BUY, "150", "1", NULL).err, ERR_NONE);
    assert_int_equal(open_count(f, f->alice, 1), 1);
}

/* Brute force over the whole history: what the indexes must agree with. */
static void check_against_scan(fx *f, int acct)
{
    exchange_lock(f->ex);
    ex_account *a = ex_account_at(f->ex, acct);
    for (int sym = 0; sym < 2; sym++) {
        size_t open = 0, stops = 0;
        for (size_t i = 0; i < a->norders; i++) {
            const ex_order *o = a->orders[i];
            if (o->sym != sym || (o->status != EX_NEW && o->status != EX_PARTIALLY_FILLED)) continue;
            open++;
            if (!o->is_working) stops++;
            assert_ptr_equal(ex_order_find_locked(f->ex, acct, sym, -1, o->client_id), o);
            assert_ptr_equal(ex_order_find_locked(f->ex, acct, sym, o->id, NULL), o);
        }
        assert_int_equal(ex_open_order_count_locked(f->ex, acct, sym, 0), open);
        assert_int_equal(ex_open_order_count_locked(f->ex, acct, sym, 1), stops);
        ex_order **v = NULL;
        size_t n = ex_open_orders_locked(f->ex, acct, sym, &v);
        assert_int_equal(n, open);
        for (size_t i = 1; i < n; i++) assert_true(v[i - 1]->id < v[i]->id);
        free(v);
    }
    exchange_unlock(f->ex);
}

static void test_index_matches_scan(void **state)
{
    fx *f = *state;
    uint64_t rng = 12345;
    static const char *px[] = { "98", "99", "100", "101", "102" };
    for (int step = 0; step < 3000; step++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned r = (unsigned)(rng >> 33);
        int acct = (r & 1) ? f->alice : f->bob, sym = (r >> 1) & 1;
        char cid[16];
        snprintf(cid, sizeof cid, "c%u", (r >> 2) % 12);              /* a small pool: reuse and clashes */
        if ((r >> 8) % 4 == 0) {
            ex_order **v = NULL;
            exchange_lock(f->ex);
            size_t n = ex_open_orders_locked(f->ex, acct, sym, &v);
            if (n) {
                ex_result c;
                ex_order_cancel_locked(f->ex, acct, sym, v[(r >> 12) % n]->id, NULL, EX_CR_NONE, T0, &c);
            }
            exchange_unlock(f->ex);
            free(v);
        } else {
            ex_tif tif = (r >> 10) % 3 == 0 ? EX_IOC : EX_GTC;
            next_stp = (int)((r >> 22) % EX_STP__N);          /* self-matches under every STP mode */
            place_at(f, acct, sym, (r >> 14) & 1 ? EX_BUY : EX_SELL, EX_LIMIT, tif, px[(r >> 15) % 5],
                     (r >> 18) & 1 ? "1" : "2", (r >> 19) % 3 ? cid : NULL, T0);
        }
        next_stp = -1;
        if (step % 50 == 0) { check_against_scan(f, f->alice); check_against_scan(f, f->bob); }
    }
    check_against_scan(f, f->alice);
    check_against_scan(f, f->bob);
}

static ex_order *find(fx *f, int acct, int sym, int64_t id, const char *cid)
{
    return ex_order_find_locked(f->ex, acct, sym, id, cid);
}

static void test_archive(void **state)
{
    fx *f = *state;
    ex_result c = limit(f, f->alice, EX_BUY, "90", "1", "gone");       /* canceled, no fill */
    cancel(f, f->alice, c.order.id);
    ex_result m = limit(f, f->alice, EX_SELL, "100", "1", "filled");   /* filled */
    assert_int_equal(limit(f, f->bob, EX_BUY, "100", "1", NULL).err, ERR_NONE);
    ex_result o = limit(f, f->alice, EX_BUY, "80", "1", "open");       /* stays open */
    exchange_lock(f->ex);
    size_t trades0 = ex_account_at(f->ex, f->alice)->ntrades;
    exchange_unlock(f->ex);
    assert_int_equal(trades0, 1);

    /* exactly the retention later: nothing archived yet */
    exchange_advance(f->ex, T0 + DAY);
    exchange_lock(f->ex);
    assert_false(ex_order_is_archived(f->ex, find(f, f->alice, 0, c.order.id, NULL)));
    exchange_unlock(f->ex);
    /* 1 µs more: archived (read-time rule, before any sweep) */
    exchange_advance(f->ex, T0 + DAY + 1);
    exchange_lock(f->ex);
    assert_true(ex_order_is_archived(f->ex, find(f, f->alice, 0, c.order.id, NULL)));
    assert_true(ex_order_is_archived(f->ex, find(f, f->alice, 0, m.order.id, NULL)));
    assert_false(ex_order_is_archived(f->ex, find(f, f->alice, 0, o.order.id, NULL)));
    exchange_unlock(f->ex);
    /* a placement sweeps: the archived orders and their fills leave memory */
    assert_int_equal(place_at(f, f->alice, 0, EX_BUY, EX_LIMIT, EX_GTC, "81", "1", "gone", T0 + DAY + 1).err,
                     ERR_NONE);
    exchange_lock(f->ex);
    ex_account *a = ex_account_at(f->ex, f->alice);
    assert_int_equal(a->norders, 2);                                  /* "open" and the new one */
    assert_int_equal(a->ntrades, 0);
    assert_null(find(f, f->alice, 0, c.order.id, NULL));
    assert_null(find(f, f->alice, 0, m.order.id, NULL));
    assert_true(ex_history_was_archived(a, 0, c.order.id, NULL));
    assert_true(ex_history_was_archived(a, 0, m.order.id, NULL));
    assert_true(ex_history_was_archived(a, 0, -1, "filled"));
    assert_false(ex_history_was_archived(a, 0, -1, "never-used"));
    assert_false(ex_history_was_archived(a, 1, -1, "filled"));         /* other symbol */
    assert_false(ex_history_was_archived(a, 0, o.order.id + 100, NULL));
    assert_non_null(find(f, f->alice, 0, o.order.id, NULL));
    exchange_unlock(f->ex);
}

static void test_archive_keep_filled(void **state)
{
    fx *f = *state;
    ex_result c = limit(f, f->alice, EX_BUY, "90", "1", NULL);
    cancel(f, f->alice, c.order.id);
    ex_result m = limit(f, f->alice, EX_SELL, "100", "1", NULL);
    assert_int_equal(limit(f, f->bob, EX_BUY, "100", "1", NULL).err, ERR_NONE);
    exchange_advance(f->ex, T0 + 2 * DAY);
    assert_int_equal(place_at(f, f->alice, 0, EX_BUY, EX_LIMIT, EX_GTC, "81", "1", NULL, T0 + 2 * DAY).err, ERR_NONE);
    exchange_lock(f->ex);
    ex_account *a = ex_account_at(f->ex, f->alice);
    assert_null(find(f, f->alice, 0, c.order.id, NULL));               /* Binance's rule: no fill -> archived */
    ex_order *kept = find(f, f->alice, 0, m.order.id, NULL);           /* with fills: kept */
    assert_non_null(kept);
    assert_false(ex_order_is_archived(f->ex, kept));
    assert_int_equal(a->ntrades, 1);
    exchange_unlock(f->ex);
}

/* 100k orders in one account: memory stays bounded by the retention and the
 * indexes keep every placement O(1) (a scan of the history would make this
 * quadratic: ~10^10 steps). */
static void test_history_bounded(void **state)
{
    fx *f = *state;
    int64_t now = T0;
    for (int i = 0; i < 100000; i++) {
        now += 10000000;                                           /* 10 s apart: ~8,640 per day */
        exchange_advance(f->ex, now);
        ex_result r = place_at(f, f->alice, 1, EX_BUY, EX_LIMIT, EX_IOC, "1", "1", NULL, now);  /* expires */
        assert_int_equal(r.err, ERR_NONE);
        assert_int_equal(r.order.status, EX_EXPIRED);
    }
    exchange_lock(f->ex);
    size_t n = ex_account_at(f->ex, f->alice)->norders;
    exchange_unlock(f->ex);
    assert_true(n <= 8640 + 8640 / 16 + 2);
    assert_true(n >= 8640);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_duplicate_client_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_num_orders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_matches_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive, setup_archive, teardown),
        cmocka_unit_test_setup_teardown(test_archive_keep_filled, setup_keep_filled, teardown),
        cmocka_unit_test_setup_teardown(test_history_bounded, setup_archive, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
