/* exchange_trail_amend: trailing stops and order amend keepPriority in the
 * exchange itself, no HTTP. A symbol without simulator so that every print
 * is one the test makes: the trailing-stop FAQ's scenarios A and E step by
 * step (tracking start, water mark, the exact trigger), a taker sweeping two
 * levels firing a trail (the per-print choice), the TRAILING_DELTA bounds;
 * amend keeps book priority, unlocks, records the amendment, answers the
 * docs' rejections, MAX_NUM_ORDER_AMENDS, expiry at executedQty, an OCO pair
 * amended together. Then conservation of every asset and every lock after
 * random plain, trailing and amend traffic against the simulator. */
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
#include "exs_ledger.h"
#include "orderlist.h"

#define T0 1700000000000000LL
#define D(x) ((dec_t)((x) * 100) * 1000000LL)     /* x with 2 decimals -> dec_t */

static const char *SYMS =
    "{\"symbols\":[{\"symbol\":\"TSTUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"TST\",\"quoteAsset\":\"USDT\","
    "\"orderTypes\":[\"LIMIT\",\"LIMIT_MAKER\",\"MARKET\",\"STOP_LOSS\",\"STOP_LOSS_LIMIT\",\"TAKE_PROFIT\",\"TAKE_PROFIT_LIMIT\"],"
    "\"allowTrailingStop\":true,\"amendAllowed\":true,"
    "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"1000000\",\"tickSize\":\"0.01\"},"
    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"1000\",\"stepSize\":\"0.001\"},"
    "{\"filterType\":\"TRAILING_DELTA\",\"minTrailingAboveDelta\":10,\"maxTrailingAboveDelta\":2000,"
    "\"minTrailingBelowDelta\":20,\"maxTrailingBelowDelta\":1000},"
    "{\"filterType\":\"MAX_NUM_ORDER_AMENDS\",\"maxNumOrderAmends\":3}],"
    "\"sim\":{\"levels\":0}},"
    "{\"symbol\":\"OFFUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"OFF\",\"quoteAsset\":\"USDT\","
    "\"orderTypes\":[\"LIMIT\",\"STOP_LOSS_LIMIT\"],\"allowTrailingStop\":false,\"amendAllowed\":false,"
    "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"1000000\",\"tickSize\":\"0.01\"},"
    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"1000\",\"stepSize\":\"0.001\"}],"
    "\"sim\":{\"levels\":0}}]}";

typedef struct fx { struct exchange *ex; char path[64]; int64_t now; } fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/bc_trail_XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0 || write(fd, SYMS, strlen(SYMS)) != (ssize_t)strlen(SYMS)) return -1;
    close(fd);
    exchange_opts o = { .symbols_file = f->path, .seed = 1, .now_us = T0 };
    char err[128];
    f->ex = exchange_new(&o, err, sizeof err);
    if (!f->ex) { fprintf(stderr, "%s\n", err); return -1; }
    cJSON *bal = cJSON_Parse("{\"USDT\":\"10000000\",\"TST\":\"1000\",\"OFF\":\"1000\"}");
    for (int i = 0; i < 3; i++) {
        char n[8];
        snprintf(n, sizeof n, "u%d", i);
        if (exchange_account_add(f->ex, n, bal) != i + 1) return -1;
    }
    cJSON_Delete(bal);
    f->now = T0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    exchange_free(f->ex);
    unlink(f->path);
    free(f);
    return 0;
}

static ex_order_req req(int acct, ex_side side, ex_type type, dec_t price, dec_t qty, int64_t now)
{
    ex_order_req r = { .account = acct, .sym = 0, .side = side, .type = type, .stp = EX_STP_NONE, .now_us = now,
                       .qty = qty, .has_qty = 1 };
    if (type != EX_MARKET && type != EX_STOP_LOSS && type != EX_TAKE_PROFIT) { r.price = price; r.has_price = 1; }
    if (type == EX_LIMIT || type == EX_STOP_LOSS_LIMIT || type == EX_TAKE_PROFIT_LIMIT) r.tif = EX_GTC;
    return r;
}

static int64_t place(fx *f, const ex_order_req *r, err_id want)
{
    ex_result out;
    ex_order_place(f->ex, r, &out);
    if (out.err != want) fail_msg("place: err %d, want %d", (int)out.err, (int)want);
    int64_t id = out.order.id;
    ex_result_free(&out);
    return id;
}

/* One print at px between u1 (sell) and u2 (buy), 1 second later. */
static void print_at(fx *f, dec_t px)
{
    f->now += 1000000;
    ex_order_req s = req(1, EX_SELL, EX_LIMIT, px, D(0.01), f->now), b = req(2, EX_BUY, EX_LIMIT, px, D(0.01), f->now);
    place(f, &s, ERR_NONE);
    place(f, &b, ERR_NONE);
}

static ex_order *order(fx *f, int acct, int64_t id)
{
    return ex_order_find_locked(f->ex, acct, 0, id, NULL);
}

static ex_order trailing_state(fx *f, int64_t id)
{
    exchange_lock(f->ex);
    ex_order o = *order(f, 3, id);
    exchange_unlock(f->ex);
    return o;
}

/* Scenario E: STOP_LOSS_LIMIT SELL, delta 700, no stopPrice, placed at 40,000. */
static void test_trailing_scenario_e(void **state)
{
    fx *f = *state;
    print_at(f, D(40000));
    ex_order_req r = req(3, EX_SELL, EX_STOP_LOSS_LIMIT, D(39000), D(0.01), f->now);
    r.trailing_delta = 700;
    int64_t id = place(f, &r, ERR_NONE);
    ex_order o = trailing_state(f, id);
    assert_int_equal(o.trailing_delta, 700);
    assert_int_equal(o.trailing_time_us, f->now);       /* tracking from placement */
    assert_int_equal(o.trail_mark, D(40000));
    print_at(f, D(42000));
    print_at(f, D(39500));                                /* ~595 BIPS: not enough */
    print_at(f, D(45500));
    print_at(f, D(42315.01));                             /* one cent short of 45,500 * 0.93 */
    o = trailing_state(f, id);
    assert_int_equal(o.trail_mark, D(45500));
    assert_false(o.is_working);
    print_at(f, D(42315));                                /* = 45,500 * 0.93: triggers */
    o = trailing_state(f, id);
    assert_true(o.is_working);
    assert_int_equal(o.status, EX_NEW);                   /* works at its limit 39,000: no bid left */
}

/* Scenario A: STOP_LOSS_LIMIT BUY, stopPrice 44,000, delta 500, limit 45,000. */
static void test_trailing_scenario_a(void **state)
{
    fx *f = *state;
    print_at(f, D(40000));
    ex_order_req r = req(3, EX_BUY, EX_STOP_LOSS_LIMIT, D(45000), D(0.01), f->now);
    r.trailing_delta = 500;
    r.stop_price = D(44000);
    r.has_stop = 1;
    int64_t id = place(f, &r, ERR_NONE);
    assert_int_equal(trailing_state(f, id).trailing_time_us, -1);
    print_at(f, D(37000));                                /* 750 BIPS down, not tracking: ignored */
    assert_int_equal(trailing_state(f, id).trailing_time_us, -1);
    print_at(f, D(44000));                                /* meets stopPrice: tracking, low = 44,000 */
    ex_order o = trailing_state(f, id);
    assert_int_equal(o.trailing_time_us, f->now);
    assert_int_equal(o.trail_mark, D(44000));
    print_at(f, D(46000));                                /* ~454 BIPS up: no */
    print_at(f, D(42000));                                /* new low */
    print_at(f, D(44099.99));
    assert_false(trailing_state(f, id).is_working);
    print_at(f, D(44100));                                /* = 42,000 * 1.05 */
    assert_true(trailing_state(f, id).is_working);
}

/* Our choice: the trail sees every print of a sweep, not only the last one. */
static void test_trailing_per_print(void **state)
{
    fx *f = *state;
    print_at(f, D(40000));
    ex_order_req r = req(3, EX_SELL, EX_STOP_LOSS, 0, D(0.01), f->now);
    r.trailing_delta = 700;
    int64_t id = place(f, &r, ERR_NONE);
    f->now += 1000000;
    ex_order_req b1 = req(2, EX_BUY, EX_LIMIT, D(45500), D(0.01), f->now);
    ex_order_req b2 = req(2, EX_BUY, EX_LIMIT, D(42315), D(0.01), f->now);
    int64_t bid1 = place(f, &b1, ERR_NONE);
    place(f, &b2, ERR_NONE);
    ex_order_req sweep = req(1, EX_SELL, EX_LIMIT, D(42315), D(0.02), f->now);
    place(f, &sweep, ERR_NONE);                            /* prints 45,500 then 42,315 */
    exchange_lock(f->ex);
    assert_int_equal(order(f, 2, bid1)->status, EX_FILLED);
    exchange_unlock(f->ex);
    ex_order o = trailing_state(f, id);
    assert_int_equal(o.trail_mark, D(45500));
    assert_true(o.trail_fired);
    assert_true(o.status == EX_EXPIRED || o.status == EX_FILLED);   /* a MARKET SELL into an empty book */
}

static void test_trailing_filter(void **state)
{
    fx *f = *state;
    print_at(f, D(40000));
    static const struct { ex_side side; ex_type type; int64_t delta; err_id want; } cases[] = {
        { EX_BUY, EX_STOP_LOSS_LIMIT, 10, ERR_NONE },             /* above: 10..2000 */
        { EX_BUY, EX_STOP_LOSS_LIMIT, 9, ERR_FILTER_FAILURE },
        { EX_BUY, EX_STOP_LOSS_LIMIT, 2001, ERR_FILTER_FAILURE },
        { EX_SELL, EX_TAKE_PROFIT_LIMIT, 2000, ERR_NONE },
        { EX_SELL, EX_STOP_LOSS_LIMIT, 19, ERR_FILTER_FAILURE },  /* below: 20..1000 */
        { EX_SELL, EX_STOP_LOSS_LIMIT, 20, ERR_NONE },
        { EX_BUY, EX_TAKE_PROFIT_LIMIT, 1001, ERR_FILTER_FAILURE },
        { EX_BUY, EX_TAKE_PROFIT_LIMIT, 1000, ERR_NONE },
        { EX_SELL, EX_STOP_LOSS_LIMIT, -1, ERR_FILTER_FAILURE },  /* trailingDelta=0 sent */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ex_order_req r = req(3, cases[i].side, cases[i].type, D(40000), D(0.01), f->now);
        r.trailing_delta = cases[i].delta;
        ex_result out;
        ex_order_place(f->ex, &r, &out);
        if (out.err != cases[i].want) fail_msg("case %zu: err %d", i, (int)out.err);
        if (out.err == ERR_FILTER_FAILURE) assert_string_equal(out.filter, "TRAILING_DELTA");
        ex_result_free(&out);
    }
    ex_order_req r = req(3, EX_SELL, EX_STOP_LOSS_LIMIT, D(40000), D(0.01), f->now);
    r.sym = 1;
    r.trailing_delta = 100;
    ex_result out;
    ex_order_place(f->ex, &r, &out);
    assert_int_equal(out.err, ERR_NEW_ORDER_REJECTED);
    assert_int_equal(out.me, ME_TRAILING_NOT_SUPPORTED);
}

static void amend(fx *f, int acct, int64_t id, dec_t q, err_id want, ex_result *out)
{
    ex_amend_req a = { .account = acct, .sym = 0, .order_id = id, .new_qty = q, .now_us = f->now };
    int64_t exec;
    ex_order_amend_locked(f->ex, &a, out, &exec);
    if (out->err != want) fail_msg("amend: err %d, want %d", (int)out->err, (int)want);
    if (want == ERR_NONE) assert_true(exec > 0);
}

static void test_amend_keeps_priority(void **state)
{
    fx *f = *state;
    ex_order_req a = req(1, EX_SELL, EX_LIMIT, D(100), D(5), f->now), b = req(3, EX_SELL, EX_LIMIT, D(100), D(4), f->now);
    int64_t ida = place(f, &a, ERR_NONE), idb = place(f, &b, ERR_NONE);
    exchange_lock(f->ex);
    ex_account *u1 = ex_account_at(f->ex, 1);
    dec_t locked0 = ex_balance_find(u1, "TST")->locked;
    size_t n0 = u1->namends;
    char cid0[40];
    snprintf(cid0, sizeof cid0, "%s", order(f, 1, ida)->client_id);
    ex_result r;
    amend(f, 1, ida, D(3), ERR_NONE, &r);
    assert_int_equal(r.order.qty, D(3));
    assert_int_equal(ex_balance_find(u1, "TST")->locked, locked0 - D(2));   /* 2 TST unlocked */
    assert_int_equal(u1->namends, n0 + 1);
    assert_string_equal(u1->amends[n0].orig_cid, cid0);
    assert_string_equal(u1->amends[n0].new_cid, r.order.client_id);
    assert_string_not_equal(cid0, r.order.client_id);
    assert_int_equal(u1->amends[n0].orig_qty, D(5));
    assert_int_equal(u1->amends[n0].new_qty, D(3));
    amend(f, 1, ida, D(4), ERR_ORDER_AMEND_REJECTED, &r);
    assert_int_equal(r.me, ME_AMEND_QTY_INCREASE);
    amend(f, 1, ida, D(3), ERR_ORDER_AMEND_REJECTED, &r);
    assert_int_equal(r.me, ME_NO_STATE_CHANGE);
    amend(f, 1, ida, D(2.5) + 1, ERR_FILTER_FAILURE, &r);   /* off the LOT_SIZE step */
    amend(f, 1, 999999, D(1), ERR_ORDER_AMEND_REJECTED, &r);
    assert_int_equal(r.me, ME_UNKNOWN_ORDER);
    exchange_unlock(f->ex);
    /* u2 buys 3 at 100: the amended order is still first at its level */
    ex_order_req t = req(2, EX_BUY, EX_LIMIT, D(100), D(3), f->now);
    place(f, &t, ERR_NONE);
    exchange_lock(f->ex);
    assert_int_equal(order(f, 1, ida)->status, EX_FILLED);
    assert_int_equal(order(f, 3, idb)->executed, 0);
    assert_int_equal(ex_balance_find(u1, "TST")->locked, locked0 - D(5));
    exchange_unlock(f->ex);
}

static void test_amend_limits_and_expiry(void **state)
{
    fx *f = *state;
    ex_order_req a = req(3, EX_BUY, EX_LIMIT, D(10), D(10), f->now);
    int64_t id = place(f, &a, ERR_NONE);
    ex_result r;
    exchange_lock(f->ex);
    for (int i = 0; i < 3; i++) amend(f, 3, id, D(9 - i), ERR_NONE, &r);
    amend(f, 3, id, D(5), ERR_ORDER_AMEND_REJECTED, &r);   /* maxNumOrderAmends 3 */
    assert_string_equal(r.filter, "MAX_NUM_ORDER_AMENDS");
    assert_false(r.has_me);
    assert_int_equal(order(f, 3, id)->qty, D(7));
    exchange_unlock(f->ex);
}

static void test_amend_expires_at_executed(void **state)
{
    fx *f = *state;
    ex_order_req b = req(3, EX_BUY, EX_LIMIT, D(20), D(10), f->now), s = req(1, EX_SELL, EX_LIMIT, D(20), D(2), f->now);
    int64_t id = place(f, &b, ERR_NONE);
    place(f, &s, ERR_NONE);
    exchange_lock(f->ex);
    ex_account *u3 = ex_account_at(f->ex, 3);
    assert_int_equal(order(f, 3, id)->executed, D(2));
    dec_t locked0 = ex_balance_find(u3, "USDT")->locked;
    ex_result r;
    amend(f, 3, id, D(2), ERR_NONE, &r);
    assert_int_equal(r.order.status, EX_EXPIRED);
    assert_int_equal(order(f, 3, id)->locked, 0);
    assert_int_equal(ex_balance_find(u3, "USDT")->locked, locked0 - D(160));
    exchange_unlock(f->ex);
}

/* An iceberg's visible slice only shrinks when newQty leaves less than it
 * (FAQ); orderId + a clientOrderId of another order answers -2039. */
static void test_amend_iceberg_and_ids(void **state)
{
    fx *f = *state;
    ex_order_req a = req(1, EX_SELL, EX_LIMIT, D(100), D(10), f->now);
    a.iceberg = D(2);
    a.has_iceberg = 1;
    int64_t id = place(f, &a, ERR_NONE);
    exchange_lock(f->ex);
    ex_result r;
    amend(f, 1, id, D(5), ERR_NONE, &r);
    assert_int_equal(order(f, 1, id)->ice_visible, D(2));        /* 5 left > the 2 shown */
    amend(f, 1, id, D(1.5), ERR_NONE, &r);
    assert_int_equal(order(f, 1, id)->ice_visible, D(1.5));      /* less than shown: shrinks */
    ex_amend_req bad = { .account = 1, .sym = 0, .order_id = id, .orig_client_id = "not-this-one",
                         .new_qty = D(1), .now_us = f->now };
    int64_t exec;
    ex_order_amend_locked(f->ex, &bad, &r, &exec);
    assert_int_equal(r.err, ERR_CLIENT_ORDER_ID_INVALID);
    exchange_unlock(f->ex);
}

static void test_amend_oco_pair(void **state)
{
    fx *f = *state;
    print_at(f, D(100));
    ex_list_req lr = { .kind = EX_LIST_OCO, .account = 3, .sym = 0, .now_us = f->now, .nlegs = 2 };
    lr.legs[0] = req(3, EX_SELL, EX_STOP_LOSS_LIMIT, D(90), D(4), f->now);
    lr.legs[0].stop_price = D(91);
    lr.legs[0].has_stop = 1;
    lr.legs[1] = req(3, EX_SELL, EX_LIMIT_MAKER, D(110), D(4), f->now);
    lr.legs[1].tif = EX_TIF_NONE;
    exchange_lock(f->ex);
    ex_list_result out;
    ex_list_place_locked(f->ex, &lr, &out);
    assert_int_equal(out.err.err, ERR_NONE);
    int64_t a = out.leg[0].order.id, b = out.leg[1].order.id;
    ex_list_result_free(&out);
    ex_result r;
    amend(f, 3, b, D(3), ERR_NONE, &r);
    assert_int_equal(order(f, 3, a)->qty, D(3));
    assert_int_equal(order(f, 3, b)->qty, D(3));
    exchange_unlock(f->ex);
}

/* ---- conservation after random plain, trailing and amend traffic ---- */

static void random_step(struct exchange *ex, uint64_t *r, int acct, int64_t now, size_t *amends)
{
    int si = (int)(exs_rng_next(r) % 3);
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_at(ex, (size_t)si);
    dec_t mid = s->mid, tick = s->f.tick, step = s->f.step, q0 = s->sim_qty;
    int what = (int)(exs_rng_next(r) % 4);
    if (what == 0) {                                     /* amend one of the account's open orders */
        ex_order **v = NULL;
        size_t n = ex_open_orders_locked(ex, acct, si, &v);
        if (n) {
            ex_order *o = v[exs_rng_next(r) % n];
            dec_t q = dec_floor_step(o->qty - (dec_t)((__int128)o->qty * (int64_t)(1 + exs_rng_next(r) % 9) / 10), step);
            ex_amend_req a = { .account = acct, .sym = si, .order_id = o->id, .new_qty = q, .now_us = now };
            ex_result out;
            int64_t exec;
            ex_order_amend_locked(ex, &a, &out, &exec);
            *amends += out.err == ERR_NONE;
        }
        free(v);
        exchange_unlock(ex);
        return;
    }
    exchange_unlock(ex);
    static const ex_type types[] = { EX_LIMIT, EX_STOP_LOSS, EX_STOP_LOSS_LIMIT, EX_TAKE_PROFIT, EX_TAKE_PROFIT_LIMIT };
    ex_type t = types[exs_rng_next(r) % 5];
    ex_side side = exs_rng_next(r) % 2 ? EX_BUY : EX_SELL;
    int64_t off = (int64_t)(exs_rng_next(r) % 21) - 10;
    dec_t price = dec_floor_step(mid + (dec_t)((__int128)mid * off / 1000), tick);
    dec_t q = dec_floor_step((dec_t)((__int128)q0 * (int64_t)(1 + exs_rng_next(r) % 40) / 10), step);
    ex_order_req rq = { .account = acct, .sym = si, .side = side, .type = t, .stp = (ex_stp)-1, .now_us = now,
                        .qty = q, .has_qty = 1 };
    if (t != EX_STOP_LOSS && t != EX_TAKE_PROFIT) { rq.price = price; rq.has_price = 1; rq.tif = EX_GTC; }
    if (t != EX_LIMIT) {
        rq.trailing_delta = 10 + (int64_t)(exs_rng_next(r) % 60);       /* 0.1 % .. 0.7 % */
        if (exs_rng_next(r) % 2) {                                       /* with a stopPrice near the market */
            rq.stop_price = dec_floor_step(mid + (dec_t)((__int128)mid * ((int64_t)(exs_rng_next(r) % 7) - 3) / 1000), tick);
            rq.has_stop = 1;
        }
    }
    ex_result out;
    ex_order_place(ex, &rq, &out);
    ex_result_free(&out);
}

static void test_conservation_trailing_amend(void **state)
{
    (void)state;
    exchange_opts o = { .seed = 7, .now_us = T0 };
    char err[128];
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    assert_non_null(ex);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"1000000\",\"BTC\":\"50\",\"ETH\":\"500\",\"BNB\":\"2000\"}");
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "u%d", i);
        assert_int_equal(exchange_account_add(ex, name, bal), i + 1);
    }
    cJSON_Delete(bal);
    dec_t before[16], after[16];
    exs_supplies(ex, before);
    uint64_t r = 0x2545F4914F6CDD1DULL;
    int64_t now = T0;
    size_t amends = 0;
    for (int i = 0; i < 4000; i++) {
        random_step(ex, &r, 1 + (int)(exs_rng_next(&r) % 4), now, &amends);
        if (i % 10 == 0) { now += 8000000; exchange_advance(ex, now); }   /* 8 s: the market model moves about 0.03 % a second */
        if (i % 500 == 0) exs_check_ledger(ex, 4);
    }
    exs_supplies(ex, after);
    for (size_t i = 0; i < ex_asset_count(ex); i++)
        if (before[i] != after[i]) fail_msg("asset %s not conserved", ex_asset_at(ex, i));
    exs_check_ledger(ex, 4);
    size_t trailing = 0, fired = 0, tracking = 0;
    exchange_lock(ex);
    for (int a = 1; a <= 4; a++) {
        ex_account *ac = ex_account_at(ex, a);
        for (size_t k = 0; k < ac->norders; k++) {
            const ex_order *x = ac->orders[k];
            if (x->trailing_delta <= 0) continue;
            trailing++;
            fired += x->trail_fired;
            tracking += x->trailing_time_us >= 0;
        }
    }
    exchange_unlock(ex);
    printf("trailing %zu, tracking %zu, fired %zu, amends %zu\n", trailing, tracking, fired, amends);
    assert_true(trailing > 100 && fired > 50 && tracking > fired && amends > 100);
    exchange_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_trailing_scenario_e, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_scenario_a, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_per_print, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_keeps_priority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_limits_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_expires_at_executed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_iceberg_and_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_oco_pair, setup, teardown),
        cmocka_unit_test(test_conservation_trailing_amend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
