/* exchange_replay: --replay at the exchange level (no HTTP). Each layout of
 * Binance's public spot files (docs/replay.md, binance-spec.md §8.2) read
 * from a generated directory: trades / aggTrades / klines, header or not,
 * ms or µs, daily or monthly names; the source chosen per symbol, repeats
 * dropped; the time mapping on the clock (stepped, ×N, history); the
 * matching rule (through, touch, market orders against the quote); every
 * start-up error names its file and line. */
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
#include "replay.h"

#define T0 1800000000000000LL        /* the exchange's start, µs (a whole minute) */
#define S0 (T0 + 600000000LL)         /* --replay-start-ms: 10 minutes later */
#define D25 1735689600000000LL        /* 2025-01-01T00:00:00Z, µs */
#define D24 1733011200000LL           /* 2024-12-01T00:00:00Z, ms */

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void clear_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -f %s/*", dir);
    assert_int_equal(system(cmd), 0);
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/bc_replayXXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    clear_dir();
    rmdir(dir);
    return 0;
}

static struct exchange *open_ex(const exchange_opts *extra, char *err, size_t errlen)
{
    exchange_opts o = { .seed = 1, .now_us = T0, .replay_dir = dir, .replay_start_ms = S0 / 1000 };
    if (extra) {
        o.replay_speed_milli = extra->replay_speed_milli;
        o.replay_history_ms = extra->replay_history_ms;
        o.replay_fill_touch = extra->replay_fill_touch;
        o.replay_max_events = extra->replay_max_events;
    }
    return exchange_new(&o, err, errlen);
}

static struct exchange *open_ok(const exchange_opts *extra)
{
    char err[512] = "";
    struct exchange *ex = open_ex(extra, err, sizeof err);
    if (!ex) fprintf(stderr, "exchange_new: %s\n", err);
    assert_non_null(ex);
    return ex;
}

static dec_t D(const char *s)
{
    dec_t v;
    assert_int_equal(dec_parse(s, &v, 0), DEC_OK);
    return v;
}

static size_t ring_n(struct exchange *ex, const char *sym)
{
    exchange_lock(ex);
    size_t n = ex_symbol_find(ex, sym)->ring_n;
    exchange_unlock(ex);
    return n;
}

static ex_trade trade_at(struct exchange *ex, const char *sym, size_t i)
{
    exchange_lock(ex);
    ex_trade t = *ex_trade_at(ex_symbol_find(ex, sym), i);
    exchange_unlock(ex);
    return t;
}

static void assert_trade(struct exchange *ex, const char *sym, size_t i, int64_t at, const char *p,
                         const char *q, int bm)
{
    ex_trade t = trade_at(ex, sym, i);
    if (t.time_us != at || t.price != D(p) || t.qty != D(q) || t.buyer_maker != bm)
        fprintf(stderr, "%s trade %zu: time %lld price %lld qty %lld m %d\n", sym, i, (long long)t.time_us,
                (long long)t.price, (long long)t.qty, t.buyer_maker);
    assert_int_equal(t.time_us, at);
    assert_int_equal(t.price, D(p));
    assert_int_equal(t.qty, D(q));
    assert_int_equal(t.buyer_maker, bm);
}

static void test_names(void **state)
{
    (void)state;
    static const struct { const char *name; int ok; ex_rp_kind kind; const char *sym, *iv; } v[] = {
        { "BTCUSDT-1m-2025-01-01.csv", 1, EX_RP_KLINES, "BTCUSDT", "1m" },
        { "BTCUSDT-1mo-2024-12.csv", 1, EX_RP_KLINES, "BTCUSDT", "1mo" },
        { "ETHBTC-12h-2024-12.csv", 1, EX_RP_KLINES, "ETHBTC", "12h" },
        { "BTCUSDT-trades-2025-01.csv", 1, EX_RP_TRADES, "BTCUSDT", "" },
        { "BNBUSDT-aggTrades-2025-01-31.csv", 1, EX_RP_AGGTRADES, "BNBUSDT", "" },
        { "BTCUSDT-2m-2025-01-01.csv", 0, 0, 0, 0 },          /* no such interval */
        { "BTCUSDT-trades-2025-1-01.csv", 0, 0, 0, 0 },
        { "BTCUSDT-trades-2025-01-01.zip", 0, 0, 0, 0 },
        { "btcusdt-trades-2025-01-01.csv", 0, 0, 0, 0 },
        { "BTCUSDT-bookTicker-2025-01-01.csv", 0, 0, 0, 0 },
        { "BTCUSDT-trades-2025-01-01-x.csv", 0, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char sym[64] = "", iv[8] = "";
        ex_rp_kind k = EX_RP_NONE;
        int rc = ex_rp_name_parse(v[i].name, sym, sizeof sym, &k, iv, sizeof iv);
        if (!v[i].ok) { assert_int_not_equal(rc, 0); continue; }
        assert_int_equal(rc, 0);
        assert_int_equal(k, v[i].kind);
        assert_string_equal(sym, v[i].sym);
        assert_string_equal(iv, v[i].iv);
    }
}

/* trades, µs, header, daily: prints play at S0 + (t - first minute), in
 * order, with the file's price, quantity and side, ids the exchange's own. */
static void test_trades_us_header_daily(void **state)
{
    (void)state;
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv",
               "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n"
               "51175358,60000.10000000,0.01000000,600.00100000,1735689600010866,True,True\n"
               "51175359,60000.20000000,0.02000000,1200.00400000,1735689601500000,False,True\n"
               "51175360,59999.00000000,0.03000000,1799.97000000,1735689665000000,True,True\n");
    struct exchange *ex = open_ok(NULL);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 0);       /* nothing before S0 */
    exchange_advance(ex, S0 + 10866 - 1);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 0);
    exchange_advance(ex, S0 + 10866);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 1);
    exchange_advance(ex, S0 + 2000000);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 2);
    exchange_advance(ex, S0 + 70000000);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 3);
    assert_trade(ex, "BTCUSDT", 0, S0 + 10866, "60000.1", "0.01", 1);
    assert_trade(ex, "BTCUSDT", 1, S0 + 1500000, "60000.2", "0.02", 0);
    assert_trade(ex, "BTCUSDT", 2, S0 + 65000000, "59999", "0.03", 1);
    assert_int_equal(trade_at(ex, "BTCUSDT", 0).id + 1, trade_at(ex, "BTCUSDT", 1).id);
    /* the other symbols are untouched by the replay, still simulated */
    assert_true(ring_n(ex, "ETHUSDT") > 0);
    exchange_free(ex);
}

/* trades, ms, no header, monthly name, CRLF: the same mapping in ms. */
static void test_trades_ms_monthly(void **state)
{
    (void)state;
    clear_dir();
    char text[512];
    snprintf(text, sizeof text, "7,2000.5,1.5,3000.75,%lld,False,True\r\n8,2001,0.5,1000.5,%lld,True,True\r\n",
             (long long)(D24 + 30000), (long long)(D24 + 86400000));
    write_file("ETHUSDT-trades-2024-12.csv", text);
    struct exchange *ex = open_ok(NULL);
    exchange_advance(ex, S0 + 86400000000LL);
    assert_int_equal(ring_n(ex, "ETHUSDT"), 2);
    assert_trade(ex, "ETHUSDT", 0, S0 + 30000000, "2000.5", "1.5", 0);
    assert_trade(ex, "ETHUSDT", 1, S0 + 86400000000LL, "2001", "0.5", 1);
    exchange_free(ex);
}

/* aggTrades (8 columns, µs, header): one print per row, each its own aggregate. */
static void test_aggtrades(void **state)
{
    (void)state;
    clear_dir();
    write_file("BNBUSDT-aggTrades-2025-01-01.csv",
               "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match\n"
               "0,700.00000000,50.00000000,0,3,1735689600010866,False,True\n"
               "1,700.00000000,2.00000000,4,4,1735689600010866,False,True\n");
    struct exchange *ex = open_ok(NULL);
    exchange_advance(ex, S0 + 1000000);
    assert_int_equal(ring_n(ex, "BNBUSDT"), 2);
    assert_trade(ex, "BNBUSDT", 0, S0 + 10866, "700", "50", 0);
    ex_trade a = trade_at(ex, "BNBUSDT", 0), b = trade_at(ex, "BNBUSDT", 1);
    assert_int_not_equal(a.agg_id, b.agg_id);
    exchange_free(ex);
}

/* A trades file's prints of one instant, price and side form one aggregate. */
static void test_trades_aggregate(void **state)
{
    (void)state;
    clear_dir();
    write_file("BNBUSDT-trades-2025-01-01.csv",
               "1,700,1,700,1735689600000001,False,True\n"
               "2,700,1,700,1735689600000001,False,True\n"
               "3,700,1,700,1735689600000001,True,True\n");
    struct exchange *ex = open_ok(NULL);
    exchange_advance(ex, S0 + 1000);
    ex_trade a = trade_at(ex, "BNBUSDT", 0), b = trade_at(ex, "BNBUSDT", 1), c = trade_at(ex, "BNBUSDT", 2);
    assert_int_equal(a.agg_id, b.agg_id);
    assert_int_not_equal(b.agg_id, c.agg_id);
    exchange_free(ex);
}

static void assert_kline(const ex_kline *k, int64_t open, const char *o, const char *h, const char *l,
                         const char *c, const char *v)
{
    assert_int_equal(k->open_us, open);
    assert_int_equal(k->o, D(o));
    assert_int_equal(k->h, D(h));
    assert_int_equal(k->l, D(l));
    assert_int_equal(k->c, D(c));
    assert_int_equal(k->vol, D(v));
}

/* klines (µs, no header, daily): each bar's open time, O/H/L/C and volume
 * come back exactly in the served 1m klines (four prints per bar). */
static void test_klines_us(void **state)
{
    (void)state;
    clear_dir();
    write_file("BTCUSDT-1m-2025-01-01.csv",
               "1735689600000000,100.00000000,105.00000000,99.00000000,104.00000000,8.00000000,1735689659999999,800.0,13,4.0,400.0,0\n"
               "1735689660000000,104.00000000,104.50000000,101.00000000,102.00000000,2.00000003,1735689719999999,204.0,9,1.0,102.0,0\n");
    struct exchange *ex = open_ok(NULL);
    exchange_advance(ex, S0 + 120000000);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 8);
    ex_interval iv;
    assert_int_equal(ex_interval_parse("1m", &iv), 0);
    ex_kline k[4];
    exchange_lock(ex);
    size_t n = ex_klines_locked(ex, ex_symbol_find(ex, "BTCUSDT"), &iv, -1, -1, 4, 0, k);
    exchange_unlock(ex);
    assert_int_equal(n, 3);                            /* and the open bar of now */
    assert_kline(&k[0], S0, "100", "105", "99", "104", "8");
    assert_kline(&k[1], S0 + 60000000, "104", "104.5", "101", "102", "2.00000003");
    assert_trade(ex, "BTCUSDT", 1, S0 + 15000000, "99", "2", 1);   /* rising bar: low first */
    assert_trade(ex, "BTCUSDT", 5, S0 + 75000000, "104.5", "0.5", 0); /* falling bar: high first */
    exchange_free(ex);
}

/* klines in ms with a header, monthly name; a daily file repeating its bars
 * adds nothing; trades of the same symbol take precedence over klines. */
static void test_klines_ms_monthly_dedup(void **state)
{
    (void)state;
    clear_dir();
    char text[1024];
    snprintf(text, sizeof text,
             "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
             "%lld,10,12,9,11,4,%lld,44,4,2,22,0\n", (long long)D24, (long long)D24 + 299999);
    write_file("ETHUSDT-5m-2024-12.csv", text);
    write_file("ETHUSDT-5m-2024-12-01.csv", strchr(text, '\n') + 1);
    write_file("ETHUSDT-1h-2024-12-01.csv", "1733011200000,1,1,1,1,1,1733014799999,1,1,1,1,0\n");
    struct exchange *ex = open_ok(NULL);
    exchange_advance(ex, S0 + 300000000);
    assert_int_equal(ring_n(ex, "ETHUSDT"), 4);        /* 5m chosen over 1h, bar read once */
    assert_trade(ex, "ETHUSDT", 0, S0, "10", "1", 0);
    assert_trade(ex, "ETHUSDT", 3, S0 + 225000000, "11", "1", 1);   /* a downtick from the high */
    exchange_free(ex);
    write_file("ETHUSDT-trades-2024-12-01.csv", "1,50,1,50,1733011260000,True,True\n");
    ex = open_ok(NULL);
    exchange_advance(ex, S0 + 300000000);
    assert_int_equal(ring_n(ex, "ETHUSDT"), 1);
    assert_trade(ex, "ETHUSDT", 0, S0, "50", "1", 1);   /* the data starts at its first minute */
    exchange_free(ex);
}

/* ×N and history: at speed 60 a minute of data plays in a second; with
 * --replay-history-ms the first minute is already in the ring at start. */
static void test_speed_history(void **state)
{
    (void)state;
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv",
               "1,100,1,100,1735689600000000,True,True\n"
               "2,101,1,101,1735689660000000,True,True\n"
               "3,102,1,102,1735689720000000,True,True\n");
    exchange_opts o = { .replay_speed_milli = 60000 };
    struct exchange *ex = open_ok(&o);
    exchange_advance(ex, S0 + 999999);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 1);
    exchange_advance(ex, S0 + 1000000);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 2);
    assert_trade(ex, "BTCUSDT", 1, S0 + 1000000, "101", "1", 1);
    exchange_free(ex);
    exchange_opts h = { .replay_history_ms = 660000 };   /* start - 11 min: two prints due at T0 */
    ex = open_ok(&h);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 2);
    assert_trade(ex, "BTCUSDT", 1, S0 - 600000000, "101", "1", 1);
    exchange_advance(ex, S0 + 60000000);
    assert_int_equal(ring_n(ex, "BTCUSDT"), 3);
    exchange_reset(ex, T0);                              /* reset rewinds the replay */
    assert_int_equal(ring_n(ex, "BTCUSDT"), 2);
    exchange_free(ex);
}

/* ---- the matching rule ---- */

static const char *rule_data =
    "1,100.00,1,100,1735689600000000,True,True\n"     /* S0: quote 99.99 / 100.01 */
    "2,99.50,1,99.5,1735689601000000,True,True\n"     /* S0+1s: at the bid's price */
    "3,99.00,0.4,39.6,1735689602000000,True,True\n"   /* S0+2s: through it, 0.4 */
    "4,98.90,5,494.5,1735689603000000,True,True\n";   /* S0+3s: through, the rest */

static int alice(struct exchange *ex)
{
    cJSON *bal = cJSON_Parse("{\"USDT\":\"100000\",\"BTC\":\"10\"}");
    int id = exchange_account_add(ex, "alice", bal);
    cJSON_Delete(bal);
    assert_true(id > 0);
    return id;
}

static ex_result place(struct exchange *ex, int acct, ex_side side, ex_type type, const char *price,
                       const char *qty, int64_t now)
{
    exchange_lock(ex);
    int sym = ex_symbol_index(ex, ex_symbol_find(ex, "BTCUSDT"));
    exchange_unlock(ex);
    ex_order_req r = { .account = acct, .sym = sym, .side = side, .type = type, .stp = (ex_stp)-1,
                       .now_us = now, .tif = type == EX_LIMIT ? EX_GTC : EX_TIF_NONE };
    if (price) { r.price = D(price); r.has_price = 1; }
    r.qty = D(qty);
    r.has_qty = 1;
    ex_result out;
    ex_order_place(ex, &r, &out);
    assert_int_equal(out.err, ERR_NONE);
    return out;
}

static dec_t executed(struct exchange *ex, int acct, int64_t id)
{
    exchange_lock(ex);
    ex_order *o = ex_order_find_locked(ex, acct, ex_symbol_index(ex, ex_symbol_find(ex, "BTCUSDT")), id, NULL);
    dec_t v = o ? o->executed : -1;
    exchange_unlock(ex);
    return v;
}

static void test_fill_through(void **state)
{
    (void)state;
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv", rule_data);
    struct exchange *ex = open_ok(NULL);
    int a = alice(ex);
    exchange_advance(ex, S0);
    ex_result r = place(ex, a, EX_BUY, EX_LIMIT, "99.50", "1", S0);
    assert_int_equal(r.order.status, EX_NEW);
    int64_t id = r.order.id;
    ex_result_free(&r);
    exchange_advance(ex, S0 + 1000000);
    assert_int_equal(executed(ex, a, id), 0);                 /* a print at the price: no fill */
    exchange_advance(ex, S0 + 2000000);
    assert_int_equal(executed(ex, a, id), D("0.4"));          /* through: the print's quantity */
    exchange_advance(ex, S0 + 3000000);
    assert_int_equal(executed(ex, a, id), D("1"));
    /* the fills are at the order's own price */
    size_t n = ring_n(ex, "BTCUSDT");
    assert_int_equal(trade_at(ex, "BTCUSDT", n - 2).price, D("98.9"));   /* the print, then its fill */
    assert_int_equal(trade_at(ex, "BTCUSDT", n - 1).price, D("99.5"));
    assert_int_equal(trade_at(ex, "BTCUSDT", n - 1).qty, D("0.6"));
    exchange_free(ex);
}

static void test_fill_touch_and_market(void **state)
{
    (void)state;
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv", rule_data);
    exchange_opts o = { .replay_fill_touch = 1 };
    struct exchange *ex = open_ok(&o);
    int a = alice(ex);
    exchange_advance(ex, S0);
    /* a marketable limit fills at once against the quote a tick below the last print */
    ex_result r = place(ex, a, EX_SELL, EX_LIMIT, "99.50", "0.5", S0);
    assert_int_equal(r.order.status, EX_FILLED);
    assert_int_equal(r.fills[0].price, D("99.99"));
    ex_result_free(&r);
    r = place(ex, a, EX_BUY, EX_LIMIT, "99.50", "2", S0);
    int64_t buy = r.order.id;
    assert_int_equal(r.order.status, EX_NEW);
    ex_result_free(&r);
    exchange_advance(ex, S0 + 1000000);
    assert_int_equal(executed(ex, a, buy), D("1"));           /* touch: a print at the price fills */
    /* a MARKET order fills at once against the quote a tick above the last print */
    r = place(ex, a, EX_BUY, EX_MARKET, NULL, "0.1", S0 + 1000000);
    assert_int_equal(r.order.status, EX_FILLED);
    assert_int_equal(r.nfills, 1);
    assert_int_equal(r.fills[0].price, D("99.51"));
    ex_result_free(&r);
    exchange_free(ex);
}

/* A stop order is triggered by a replayed print and fills at once against
 * the quote around that print. */
static void test_stop_triggered_by_print(void **state)
{
    (void)state;
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv", rule_data);
    struct exchange *ex = open_ok(NULL);
    int a = alice(ex);
    exchange_advance(ex, S0);
    exchange_lock(ex);
    int sym = ex_symbol_index(ex, ex_symbol_find(ex, "BTCUSDT"));
    exchange_unlock(ex);
    ex_order_req rq = { .account = a, .sym = sym, .side = EX_SELL, .type = EX_STOP_LOSS, .stp = (ex_stp)-1,
                        .now_us = S0, .qty = D("0.5"), .has_qty = 1, .stop_price = D("99.60"), .has_stop = 1 };
    ex_result r;
    ex_order_place(ex, &rq, &r);
    assert_int_equal(r.err, ERR_NONE);
    int64_t id = r.order.id;
    ex_result_free(&r);
    assert_int_equal(executed(ex, a, id), 0);
    exchange_advance(ex, S0 + 2000000);       /* one jump over the prints at 99.50 and 99.00 */
    assert_int_equal(executed(ex, a, id), D("0.5"));
    /* triggered by the 99.50 print, at its time, against the quote around it
     * (not at the end of the jump, around 99.00) */
    assert_int_equal(trade_at(ex, "BTCUSDT", 2).price, D("99.49"));
    assert_int_equal(trade_at(ex, "BTCUSDT", 2).time_us, S0 + 1000000);
    assert_int_equal(trade_at(ex, "BTCUSDT", 3).price, D("99"));
    exchange_free(ex);
}

/* The sell side: a resting ask fills when a print goes up through it (or
 * touches it, with touch); the quote never crosses what is left of it. */
static const char *rising =
    "1,100.00,1,100,1735689600000000,False,True\n"
    "2,100.50,1,100.5,1735689601000000,False,True\n"
    "3,101.00,0.3,30.3,1735689602000000,False,True\n";

static void sell_side(int touch, const char *after_touch, const char *after_through)
{
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv", rising);
    exchange_opts o = { .replay_fill_touch = touch };
    struct exchange *ex = open_ok(&o);
    int a = alice(ex);
    exchange_advance(ex, S0);
    ex_result r = place(ex, a, EX_SELL, EX_LIMIT, "100.50", "1", S0);
    assert_int_equal(r.order.status, EX_NEW);
    int64_t id = r.order.id;
    ex_result_free(&r);
    exchange_advance(ex, S0 + 1000000);
    assert_int_equal(executed(ex, a, id), D(after_touch));
    exchange_advance(ex, S0 + 2000000);
    assert_int_equal(executed(ex, a, id), D(after_through));
    exchange_advance(ex, S0 + 3000000);                       /* quotes refreshed, no print */
    assert_int_equal(executed(ex, a, id), D(after_through));
    exchange_free(ex);
}

static void test_fill_sell_side(void **state)
{
    (void)state;
    sell_side(0, "0", "0.3");
    sell_side(1, "1", "1");
}

/* ---- start-up errors ---- */

static void expect_error(const char *name, const char *text, const char *want, size_t max_events)
{
    clear_dir();
    write_file(name, text);
    char err[512] = "", full[300];
    exchange_opts o = { .replay_max_events = max_events };
    struct exchange *ex = open_ex(&o, err, sizeof err);
    if (ex) exchange_free(ex);
    assert_null(ex);
    snprintf(full, sizeof full, want, dir);
    if (!strstr(err, full)) fprintf(stderr, "error '%s' lacks '%s'\n", err, full);
    assert_non_null(strstr(err, full));
}

static void test_errors(void **state)
{
    (void)state;
    const char *ok = "1,100,1,100,1735689600000000,True,True\n";
    char long_line[700];
    memset(long_line, '1', sizeof long_line - 2);
    long_line[sizeof long_line - 2] = '\n';
    long_line[sizeof long_line - 1] = 0;
    expect_error("BTCUSDT-trades-2025-01-01.csv", "1,100,1,100,1735689600000000,True,True\n2,abc,1,1,1735689600000000,True,True\n",
                 "%s/BTCUSDT-trades-2025-01-01.csv:2: bad price", 0);
    expect_error("BTCUSDT-trades-2025-01-01.csv", "1,100,1,100,1735689600000000,Yes,True\n",
                 "%s/BTCUSDT-trades-2025-01-01.csv:1: bad isBuyerMaker", 0);
    expect_error("BTCUSDT-trades-2025-01-01.csv", "1,100,1\n", "%s/BTCUSDT-trades-2025-01-01.csv:1: a trades row has 6 or 7 columns", 0);
    expect_error("BTCUSDT-aggTrades-2025-01-01.csv", "1,100,1,100,1735689600000000,True\n", "%s/BTCUSDT-aggTrades-2025-01-01.csv:1: an aggTrades row has 7 or 8 columns", 0);
    expect_error("BTCUSDT-1m-2025-01-01.csv", "1735689600000000,10,11,9,10,1,1735689599999999,1,1,1,1,0\n",
                 "%s/BTCUSDT-1m-2025-01-01.csv:1: bad open or close time", 0);
    expect_error("BTCUSDT-1m-2025-01-01.csv", "1735689600000000,10,11,9,10,1,999999999999999999,1,1,1,1,0\n",
                 "%s/BTCUSDT-1m-2025-01-01.csv:1: bad open or close time", 0);
    expect_error("BTCUSDT-1m-2025-01-01.csv", "1735689600000000,10,9,11,10,1,1735689659999999,1,1,1,1,0\n",
                 "%s/BTCUSDT-1m-2025-01-01.csv:1: bad open/high/low/close", 0);
    expect_error("BTCUSDT-trades-2025-01-01.csv", long_line, "%s/BTCUSDT-trades-2025-01-01.csv:1: line longer than 512 bytes", 0);
    expect_error("BTCUSDT-trades-2025-01-01.csv", "1,2,3,4,5,6,7,8,9,10,11,12,13,14\n", "%s/BTCUSDT-trades-2025-01-01.csv:1: too many columns", 0);
    expect_error("BTCUSDT-trades-2025-01-01.csv", "1,100,1,100,1735689600000000,True,True\n2,100,1,100,1735689600000000,True,True\n",
                 "%s/BTCUSDT-trades-2025-01-01.csv:2: too many prints", 1);
    expect_error("BTCUSDT-trade-2025-01-01.csv", ok, "%s/BTCUSDT-trade-2025-01-01.csv: not a Binance market-data file name", 0);
    expect_error("BTCUSDT-trades-2025-01-01.zip", "PK", "%s/BTCUSDT-trades-2025-01-01.zip: zip archives are not read; unzip", 0);
    expect_error("DOGEUSDT-trades-2025-01-01.csv", ok, "symbol DOGEUSDT of the data files is not in the symbols config", 0);
    expect_error("BTCUSDT-trades-2025-01-01.csv", "id,price\n", "%s: no print for BTCUSDT", 0);
    expect_error("README.txt", "x", "%s holds no market-data .csv file", 0);
    /* a zip next to its CSV (unzipped in place) is fine */
    clear_dir();
    write_file("BTCUSDT-trades-2025-01-01.csv", ok);
    write_file("BTCUSDT-trades-2025-01-01.zip", "PK");
    write_file("BTCUSDT-trades-2025-01-01.zip.CHECKSUM", "x");
    exchange_free(open_ok(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_trades_us_header_daily),
        cmocka_unit_test(test_trades_ms_monthly),
        cmocka_unit_test(test_aggtrades),
        cmocka_unit_test(test_trades_aggregate),
        cmocka_unit_test(test_klines_us),
        cmocka_unit_test(test_klines_ms_monthly_dedup),
        cmocka_unit_test(test_speed_history),
        cmocka_unit_test(test_fill_through),
        cmocka_unit_test(test_fill_touch_and_market),
        cmocka_unit_test(test_fill_sell_side),
        cmocka_unit_test(test_stop_triggered_by_print),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
