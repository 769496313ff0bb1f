/* exchange_matching: the matching engine without HTTP - resting and
 * cancelling, price-time priority, partial fills, IOC/FOK, MARKET by quantity
 * and by quoteOrderQty, LIMIT_MAKER, stop triggers, commissions, self-trade
 * prevention, filters (one data row per rule), balance locking, events. */
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
#include "market.h"

#define T0 1700000000000000LL
#define D(s) dparse(s)

/* One quiet symbol (no simulator) with every filter the tests exercise. */
static const char test_symbols[] =
    "{\"symbols\":[{\"symbol\":\"TSTUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"TST\",\"quoteAsset\":\"USDT\","
    "\"orderTypes\":[\"LIMIT\",\"LIMIT_MAKER\",\"MARKET\",\"STOP_LOSS\",\"STOP_LOSS_LIMIT\",\"TAKE_PROFIT\",\"TAKE_PROFIT_LIMIT\"],"
    "\"filters\":["
    "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"10000\",\"tickSize\":\"0.01\"},"
    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"1000\",\"stepSize\":\"0.001\"},"
    "{\"filterType\":\"MARKET_LOT_SIZE\",\"minQty\":\"0\",\"maxQty\":\"50\",\"stepSize\":\"0\"},"
    "{\"filterType\":\"ICEBERG_PARTS\",\"limit\":10},"
    "{\"filterType\":\"NOTIONAL\",\"minNotional\":\"1\",\"applyMinToMarket\":true,\"maxNotional\":\"100000\",\"applyMaxToMarket\":false,\"avgPriceMins\":5},"
    "{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":5},"
    "{\"filterType\":\"MAX_NUM_ALGO_ORDERS\",\"maxNumAlgoOrders\":2}],"
    "\"defaultSelfTradePreventionMode\":\"EXPIRE_MAKER\",\"sim\":{\"price\":\"100\",\"qty\":\"1\",\"levels\":0}}]}";

typedef struct fx {
    struct exchange *ex;
    int alice, bob, carol;
    char path[64];
    int events;
    cJSON *log;               /* copies of the events: [{"account":N,"event":{...}}] */
} fx;

static dec_t dparse(const char *s)
{
    dec_t v = 0;
    assert_int_equal(dec_parse(s, &v, 0), DEC_OK);
    return v;
}

static void count_events(void *ud, const cJSON *ev, int account)
{
    fx *f = ud;
    f->events++;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "account", account);
    cJSON_AddItemToObject(e, "event", cJSON_Duplicate(ev, 1));
    cJSON_AddItemToArray(f->log, e);
}

/* The n-th logged event with this "e" (and account, -2 = any). */
static const cJSON *find_event(fx *f, const char *type, int account, int n)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, f->log) {
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(it, "event"), *e = cJSON_GetObjectItemCaseSensitive(ev, "e");
        int acct = (int)cJSON_GetObjectItemCaseSensitive(it, "account")->valuedouble;
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(ev, "u");
        int is_type = e ? !strcmp(e->valuestring, type) : (!strcmp(type, "bookTicker") && u);
        if (is_type && (account == -2 || acct == account) && n-- == 0) return ev;
    }
    return NULL;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    strcpy(f->path, "/tmp/bc_exsymXXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, test_symbols, sizeof test_symbols - 1), (ssize_t)(sizeof test_symbols - 1));
    close(fd);
    exchange_opts o = { .symbols_file = f->path, .seed = 42, .now_us = T0 };
    char err[128];
    f->ex = exchange_new(&o, err, sizeof err);
    assert_non_null(f->ex);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"10000\",\"TST\":\"100\"}");
    f->alice = exchange_account_add(f->ex, "alice", bal);
    f->bob = exchange_account_add(f->ex, "bob", bal);
    f->carol = exchange_account_add(f->ex, "carol", bal);
    cJSON_Delete(bal);
    assert_true(f->alice > 0 && f->bob > f->alice && f->carol > f->bob);
    f->log = cJSON_CreateArray();
    exchange_set_listener(f->ex, count_events, f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    exchange_free(f->ex);
    unlink(f->path);
    cJSON_Delete(f->log);
    free(f);
    return 0;
}

static ex_order_req req(int acct, ex_side side, ex_type type, const char *price, const char *qty)
{
    ex_order_req r = { .account = acct, .sym = 0, .side = side, .type = type, .stp = (ex_stp)-1,
                       .now_us = T0 };
    if (type == EX_LIMIT || type == EX_STOP_LOSS_LIMIT || type == EX_TAKE_PROFIT_LIMIT) r.tif = EX_GTC;
    if (price) { r.price = D(price); r.has_price = 1; }
    if (qty) { r.qty = D(qty); r.has_qty = 1; }
    return r;
}

static ex_result place(fx *f, ex_order_req r)
{
    ex_result out;
    ex_order_place(f->ex, &r, &out);
    return out;
}

static dec_t bal(fx *f, int acct, const char *asset, int locked)
{
    exchange_lock(f->ex);
    ex_balance *b = ex_balance_find(ex_account_at(f->ex, acct), asset);
    dec_t v = b ? (locked ? b->locked : b->free) : 0;
    exchange_unlock(f->ex);
    return v;
}

static void test_rest_and_cancel(void **state)
{
    fx *f = *state;
    ex_result r = place(f, req(f->alice, EX_BUY, EX_LIMIT, "100", "1"));
    assert_int_equal(r.err, ERR_NONE);
    assert_int_equal(r.order.status, EX_NEW);
    assert_int_equal(bal(f, f->alice, "USDT", 1), D("100"));
    assert_int_equal(bal(f, f->alice, "USDT", 0), D("9900"));
    ex_result c;
    ex_order_cancel(f->ex, f->alice, 0, r.order.id, NULL, EX_CR_NONE, T0, &c);
    assert_int_equal(c.err, ERR_NONE);
    assert_int_equal(c.order.status, EX_CANCELED);
    assert_int_equal(bal(f, f->alice, "USDT", 1), 0);
    assert_int_equal(bal(f, f->alice, "USDT", 0), D("10000"));
    ex_order_cancel(f->ex, f->alice, 0, r.order.id, NULL, EX_CR_NONE, T0, &c);
    assert_int_equal(c.err, ERR_CANCEL_REJECTED);
    assert_int_equal(c.me, ME_UNKNOWN_ORDER);
    assert_true(f->events > 0);
    ex_result_free(&r);
}

static void test_partial_fill_and_commission(void **state)
{
    fx *f = *state;
    ex_result s = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "2"));
    ex_result b = place(f, req(f->bob, EX_BUY, EX_LIMIT, "101", "1.5"));
    assert_int_equal(b.err, ERR_NONE);
    assert_int_equal(b.order.status, EX_FILLED);
    assert_int_equal(b.nfills, 1);
    assert_int_equal(b.fills[0].price, D("100"));          /* maker's price */
    assert_int_equal(b.fills[0].commission, D("0.0015"));  /* 0.1% of the base received */
    assert_int_equal(b.fills[0].comm_is_base, 1);
    assert_int_equal(b.order.cum_quote, D("150"));
    assert_int_equal(bal(f, f->bob, "TST", 0), D("101.4985"));
    assert_int_equal(bal(f, f->bob, "USDT", 0), D("9850"));   /* the 101 limit's excess released */
    assert_int_equal(bal(f, f->bob, "USDT", 1), 0);
    assert_int_equal(bal(f, f->alice, "USDT", 0), D("10149.85"));
    assert_int_equal(bal(f, f->alice, "TST", 1), D("0.5"));
    exchange_lock(f->ex);
    ex_order *o = ex_order_find_locked(f->ex, f->alice, 0, s.order.id, NULL);
    assert_int_equal(o->status, EX_PARTIALLY_FILLED);
    assert_int_equal(o->executed, D("1.5"));
    exchange_unlock(f->ex);
    ex_result_free(&s);
    ex_result_free(&b);
}

static void test_price_time_priority(void **state)
{
    fx *f = *state;
    ex_result a = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "1"));
    ex_result c = place(f, req(f->carol, EX_SELL, EX_LIMIT, "100", "1"));
    ex_result c2 = place(f, req(f->carol, EX_SELL, EX_LIMIT, "99", "1"));
    ex_result b = place(f, req(f->bob, EX_BUY, EX_LIMIT, "100", "2.5"));
    assert_int_equal(b.nfills, 3);
    assert_int_equal(b.fills[0].price, D("99"));
    assert_int_equal(b.fills[1].price, D("100"));
    assert_int_equal(b.fills[1].qty, D("1"));
    assert_int_equal(b.fills[2].qty, D("0.5"));
    exchange_lock(f->ex);
    assert_int_equal(ex_order_find_locked(f->ex, f->alice, 0, a.order.id, NULL)->status, EX_FILLED);
    assert_int_equal(ex_order_find_locked(f->ex, f->carol, 0, c.order.id, NULL)->status, EX_PARTIALLY_FILLED);
    exchange_unlock(f->ex);
    ex_result_free(&a); ex_result_free(&c); ex_result_free(&c2); ex_result_free(&b);
}

static void test_ioc_fok(void **state)
{
    fx *f = *state;
    ex_result s = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "2"));
    ex_order_req r = req(f->bob, EX_BUY, EX_LIMIT, "100", "5");
    r.tif = EX_FOK;
    ex_result fok = place(f, r);
    assert_int_equal(fok.order.status, EX_EXPIRED);
    assert_int_equal(fok.nfills, 0);
    assert_int_equal(bal(f, f->bob, "USDT", 0), D("10000"));
    r.tif = EX_IOC;
    ex_result ioc = place(f, r);
    assert_int_equal(ioc.order.status, EX_EXPIRED);
    assert_int_equal(ioc.order.executed, D("2"));
    assert_int_equal(bal(f, f->bob, "USDT", 1), 0);
    assert_int_equal(bal(f, f->bob, "USDT", 0), D("9800"));
    ex_result_free(&s); ex_result_free(&fok); ex_result_free(&ioc);
}

static void test_market_orders(void **state)
{
    fx *f = *state;
    ex_result s1 = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "1"));
    ex_result s2 = place(f, req(f->alice, EX_SELL, EX_LIMIT, "102", "1"));
    ex_result m = place(f, req(f->bob, EX_BUY, EX_MARKET, NULL, "1.5"));
    assert_int_equal(m.err, ERR_NONE);
    assert_int_equal(m.order.status, EX_FILLED);
    assert_int_equal(m.order.cum_quote, D("151"));
    ex_order_req q = req(f->bob, EX_BUY, EX_MARKET, NULL, NULL);
    q.quote_qty = D("20.4");
    q.has_quote_qty = 1;
    ex_result mq = place(f, q);
    assert_int_equal(mq.err, ERR_NONE);
    assert_int_equal(mq.order.executed, D("0.2"));
    assert_int_equal(mq.order.cum_quote, D("20.4"));
    ex_result ms = place(f, req(f->carol, EX_SELL, EX_MARKET, NULL, "1"));
    assert_int_equal(ms.order.status, EX_EXPIRED);                /* no bids at all */
    assert_int_equal(ms.order.executed, 0);
    assert_int_equal(bal(f, f->carol, "TST", 0), D("100"));
    ex_result big = place(f, req(f->carol, EX_BUY, EX_MARKET, NULL, "51"));
    assert_int_equal(big.err, ERR_FILTER_FAILURE);
    assert_string_equal(big.filter, "MARKET_LOT_SIZE");
    ex_result_free(&s1); ex_result_free(&s2); ex_result_free(&m); ex_result_free(&mq);
    ex_result_free(&ms); ex_result_free(&big);
}

static void test_limit_maker_and_stops(void **state)
{
    fx *f = *state;
    ex_result s = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "1"));
    ex_result lm = place(f, req(f->bob, EX_BUY, EX_LIMIT_MAKER, "100", "1"));
    assert_int_equal(lm.err, ERR_NEW_ORDER_REJECTED);
    assert_int_equal(lm.me, ME_WOULD_MATCH_AND_TAKE);
    ex_result t = place(f, req(f->bob, EX_BUY, EX_LIMIT, "100", "0.5"));   /* last = 100 */
    ex_order_req st = req(f->carol, EX_SELL, EX_STOP_LOSS_LIMIT, "95", "1");
    st.stop_price = D("101"); st.has_stop = 1;
    ex_result now = place(f, st);
    assert_int_equal(now.me, ME_WOULD_TRIGGER_IMMEDIATELY);
    st.stop_price = D("99");
    ex_result wait = place(f, st);
    assert_int_equal(wait.err, ERR_NONE);
    assert_int_equal(wait.order.is_working, 0);
    assert_int_equal(bal(f, f->carol, "TST", 1), D("1"));
    /* a print at 98 triggers the stop; its limit 95 then rests */
    ex_result s98 = place(f, req(f->alice, EX_SELL, EX_LIMIT, "98", "0.1"));
    ex_result b98 = place(f, req(f->bob, EX_BUY, EX_LIMIT, "98", "0.1"));
    assert_int_equal(b98.order.status, EX_FILLED);
    exchange_lock(f->ex);
    ex_order *o = ex_order_find_locked(f->ex, f->carol, 0, wait.order.id, NULL);
    assert_int_equal(o->is_working, 1);
    assert_int_equal(o->in_book, 1);
    exchange_unlock(f->ex);
    ex_result_free(&s); ex_result_free(&lm); ex_result_free(&t); ex_result_free(&now);
    ex_result_free(&wait); ex_result_free(&s98); ex_result_free(&b98);
}

static void test_self_trade_prevention(void **state)
{
    fx *f = *state;
    ex_result s = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "1"));
    ex_result b = place(f, req(f->alice, EX_BUY, EX_LIMIT, "100", "1"));
    assert_int_equal(b.nfills, 0);
    assert_int_equal(b.order.status, EX_NEW);                    /* maker expired, taker rests */
    exchange_lock(f->ex);
    ex_order *mk = ex_order_find_locked(f->ex, f->alice, 0, s.order.id, NULL);
    assert_int_equal(mk->status, EX_EXPIRED_IN_MATCH);
    assert_int_equal(mk->prevented_match_id, 1);          /* on the order that expired */
    assert_int_equal(mk->prevented_qty, D("1"));
    exchange_unlock(f->ex);
    assert_int_equal(b.order.prevented_match_id, -1);    /* the taker did not expire */
    assert_int_equal(bal(f, f->alice, "TST", 1), 0);
    ex_order_req r = req(f->alice, EX_SELL, EX_LIMIT, "100", "1");
    r.stp = EX_STP_EXPIRE_TAKER;
    ex_result t = place(f, r);
    assert_int_equal(t.order.status, EX_EXPIRED_IN_MATCH);
    assert_int_equal(t.order.prevented_match_id, 2);
    assert_int_equal(t.order.prevented_qty, D("1"));
    ex_result_free(&s); ex_result_free(&b); ex_result_free(&t);
}

/* One row per rule: the request and the filter it must fail (NULL = passes). */
static const struct { ex_type type; ex_side side; const char *price, *qty, *stop, *iceberg, *filter; } filter_rows[] = {
    { EX_LIMIT, EX_BUY, "100.001", "1", NULL, NULL, "PRICE_FILTER" },
    { EX_LIMIT, EX_BUY, "20000", "0.1", NULL, NULL, "PRICE_FILTER" },
    { EX_LIMIT, EX_BUY, "100", "0.0005", NULL, NULL, "LOT_SIZE" },
    { EX_LIMIT, EX_BUY, "1", "1001", NULL, NULL, "LOT_SIZE" },
    { EX_LIMIT, EX_BUY, "100", "1.0005", NULL, NULL, "LOT_SIZE" },
    { EX_LIMIT, EX_BUY, "0.5", "1", NULL, NULL, "NOTIONAL" },
    { EX_LIMIT, EX_BUY, "100", "1", NULL, "0.05", "ICEBERG_PARTS" },
    { EX_LIMIT, EX_BUY, "100", "1", NULL, "0.1", NULL },
    { EX_STOP_LOSS_LIMIT, EX_BUY, "100", "1", "100.005", NULL, "PRICE_FILTER" },
    { EX_LIMIT, EX_BUY, "10", "1", NULL, NULL, NULL },
};

static void test_filters(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < sizeof filter_rows / sizeof filter_rows[0]; i++) {
        ex_order_req r = req(f->bob, filter_rows[i].side, filter_rows[i].type, filter_rows[i].price, filter_rows[i].qty);
        if (filter_rows[i].stop) { r.stop_price = D(filter_rows[i].stop); r.has_stop = 1; }
        if (filter_rows[i].iceberg) { r.iceberg = D(filter_rows[i].iceberg); r.has_iceberg = 1; }
        r.test_only = 1;
        ex_result out = place(f, r);
        if (filter_rows[i].filter) {
            if (out.err != ERR_FILTER_FAILURE) fail_msg("row %zu: err %d", i, out.err);
            assert_string_equal(out.filter, filter_rows[i].filter);
        } else if (out.err != ERR_NONE) {
            fail_msg("row %zu: unexpected err %d", i, out.err);
        }
        ex_result_free(&out);
    }
    /* MAX_NUM_ORDERS = 5 open orders per symbol */
    for (int i = 0; i < 5; i++) {
        ex_result o = place(f, req(f->carol, EX_BUY, EX_LIMIT, "10", "1"));
        assert_int_equal(o.err, ERR_NONE);
    }
    ex_result o = place(f, req(f->carol, EX_BUY, EX_LIMIT, "10", "1"));
    assert_int_equal(o.err, ERR_FILTER_FAILURE);
    assert_string_equal(o.filter, "MAX_NUM_ORDERS");
    /* insufficient balance */
    ex_result big = place(f, req(f->bob, EX_BUY, EX_LIMIT, "9000", "2"));
    assert_int_equal(big.err, ERR_NEW_ORDER_REJECTED);
    assert_int_equal(big.me, ME_INSUFFICIENT_BALANCE);
    /* duplicate clientOrderId among open orders */
    ex_order_req d = req(f->bob, EX_BUY, EX_LIMIT, "10", "1");
    d.client_id = "dup-1";
    ex_result d1 = place(f, d), d2 = place(f, d);
    assert_int_equal(d1.err, ERR_NONE);
    assert_int_equal(d2.me, ME_DUPLICATE_ORDER);
    ex_result_free(&d1); ex_result_free(&d2);
}

static void test_cancel_restrictions_and_reset(void **state)
{
    fx *f = *state;
    ex_result s = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "2"));
    ex_result b = place(f, req(f->bob, EX_BUY, EX_LIMIT, "100", "1"));
    ex_result c;
    ex_order_cancel(f->ex, f->alice, 0, s.order.id, NULL, EX_CR_ONLY_NEW, T0, &c);
    assert_int_equal(c.me, ME_CANCEL_RESTRICTED);
    ex_order_cancel(f->ex, f->alice, 0, -1, s.order.client_id, EX_CR_ONLY_PARTIALLY_FILLED, T0, &c);
    assert_int_equal(c.err, ERR_NONE);
    exchange_reset(f->ex, T0);
    assert_int_equal(bal(f, f->alice, "USDT", 0), D("10000"));
    assert_int_equal(bal(f, f->alice, "TST", 0), D("100"));
    assert_int_equal(exchange_account_find(f->ex, "bob"), f->bob);
    ex_result_free(&s); ex_result_free(&b);
}

static dec_t level_at(fx *f, int asks, size_t i)
{
    ex_level lv[8];
    exchange_lock(f->ex);
    size_t n = ex_depth_locked(ex_symbol_at(f->ex, 0), asks, 8, lv);
    exchange_unlock(f->ex);
    return i < n ? lv[i].qty : -1;
}

/* An iceberg shows one slice; a consumed slice goes to the back of its level. */
static void test_iceberg(void **state)
{
    fx *f = *state;
    ex_order_req r = req(f->alice, EX_SELL, EX_LIMIT, "100", "1");
    r.iceberg = D("0.2");
    r.has_iceberg = 1;
    ex_result a = place(f, r);
    assert_int_equal(a.err, ERR_NONE);
    assert_int_equal(level_at(f, 1, 0), D("0.2"));
    ex_result c = place(f, req(f->carol, EX_SELL, EX_LIMIT, "100", "0.5"));
    assert_int_equal(level_at(f, 1, 0), D("0.7"));
    ex_result b = place(f, req(f->bob, EX_BUY, EX_LIMIT, "100", "0.3"));
    assert_int_equal(b.nfills, 2);
    assert_int_equal(b.fills[0].qty, D("0.2"));      /* alice's slice */
    assert_int_equal(b.fills[1].qty, D("0.1"));      /* then carol, ahead of alice's new slice */
    assert_int_equal(level_at(f, 1, 0), D("0.6"));
    ex_result b2 = place(f, req(f->bob, EX_BUY, EX_LIMIT, "100", "1.2"));
    assert_int_equal(b2.order.status, EX_FILLED);    /* the hidden part is still matchable */
    assert_int_equal(level_at(f, 1, 0), -1);
    ex_result_free(&a); ex_result_free(&c); ex_result_free(&b); ex_result_free(&b2);
}

static void test_events(void **state)
{
    fx *f = *state;
    ex_result s = place(f, req(f->alice, EX_SELL, EX_LIMIT, "100", "2"));
    ex_result b = place(f, req(f->bob, EX_BUY, EX_LIMIT, "100", "1"));
    const cJSON *ev = find_event(f, "executionReport", f->alice, 0);
    assert_non_null(ev);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "x")->valuestring, "NEW");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "s")->valuestring, "TSTUSDT");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "q")->valuestring, "2.00000000");
    ev = find_event(f, "executionReport", f->alice, 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "x")->valuestring, "TRADE");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "X")->valuestring, "PARTIALLY_FILLED");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "l")->valuestring, "1.00000000");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "N")->valuestring, "USDT");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev, "m")));
    ev = find_event(f, "executionReport", f->bob, 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "X")->valuestring, "FILLED");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "N")->valuestring, "TST");
    ev = find_event(f, "outboundAccountPosition", f->bob, 0);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(ev, "B"));
    ev = find_event(f, "trade", -1, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "p")->valuestring, "100.00000000");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ev, "m")));   /* the buyer took */
    assert_non_null(find_event(f, "aggTrade", -1, 0));
    const cJSON *d0 = find_event(f, "depthUpdate", -1, 0), *d1 = find_event(f, "depthUpdate", -1, 1);
    assert_non_null(d0);
    assert_non_null(d1);
    /* consecutive diffs chain: U(next) = u(prev) + 1 */
    assert_true(cJSON_GetObjectItemCaseSensitive(d1, "U")->valuedouble == cJSON_GetObjectItemCaseSensitive(d0, "u")->valuedouble + 1);
    assert_non_null(find_event(f, "bookTicker", -1, 0));
    /* outboundAccountPosition carries the symbol's assets only */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(find_event(f, "outboundAccountPosition", f->bob, 0), "B")), 2);
    /* an admin balance change is a deposit: balanceUpdate; open orders keep their locks */
    cJSON *dep = cJSON_Parse("{\"USDT\":\"10500\"}");
    assert_int_equal(exchange_account_add(f->ex, "alice", dep), f->alice);
    cJSON_Delete(dep);
    ev = find_event(f, "balanceUpdate", f->alice, 0);
    assert_non_null(ev);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "a")->valuestring, "USDT");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ev, "d")->valuestring, "400.10000000");  /* 10500 - 10099.9 */
    assert_int_equal(bal(f, f->alice, "TST", 1), D("1"));
    ex_result_free(&s);
    ex_result_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rest_and_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_fill_and_commission, setup, teardown),
        cmocka_unit_test_setup_teardown(test_price_time_priority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ioc_fok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_market_orders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_maker_and_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self_trade_prevention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_restrictions_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iceberg, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
