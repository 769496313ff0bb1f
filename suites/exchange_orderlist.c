/* exchange_orderlist: order lists in the exchange itself, no HTTP - every
 * asset conserved and every lock accounted for (locked == what the open
 * orders hold, free >= 0) after thousands of random OCO / OTO / OTOCO /
 * OPO / OPOCO lists (some stop legs trailing, some legs pegged), plain orders, amends of
 * open orders and list legs (OCO pairs amended together) and cancels
 * against the simulator; the run must really have triggered OCO legs,
 * activated pending legs, amended list legs, and placed, priced (some
 * after placement) and filled pegged legs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "exchange_api.h"
#include "exs_ledger.h"
#include "orderlist.h"

#define T0 1700000000000000LL

typedef struct mkt { dec_t mid, tick, step, q0; } mkt;

static dec_t px(const mkt *m, int64_t permille)
{
    return dec_floor_step(m->mid + (dec_t)((__int128)m->mid * permille / 1000), m->tick);
}

static ex_order_req leg(ex_side side, ex_type type, dec_t price, dec_t stop, dec_t qty)
{
    ex_order_req o = { .side = side, .type = type, .stp = (ex_stp)-1 };
    int limit = type == EX_LIMIT || type == EX_LIMIT_MAKER || type == EX_STOP_LOSS_LIMIT || type == EX_TAKE_PROFIT_LIMIT;
    if (limit) { o.price = price; o.has_price = 1; }
    if (type == EX_LIMIT || type == EX_STOP_LOSS_LIMIT || type == EX_TAKE_PROFIT_LIMIT) o.tif = EX_GTC;
    if (type != EX_LIMIT && type != EX_LIMIT_MAKER && type != EX_MARKET) { o.stop_price = stop; o.has_stop = 1; }
    if (qty > 0) { o.qty = qty; o.has_qty = 1; }
    return o;
}

/* A SELL pair (stop-loss below first, limit maker above) or a BUY pair. */
static void pair(const mkt *m, ex_side side, dec_t q, uint64_t *r, ex_order_req *a, ex_order_req *b)
{
    int64_t near = 2 + (int64_t)(exs_rng_next(r) % 6);          /* 0.2 % .. 0.7 % from mid */
    if (side == EX_SELL) {
        *a = leg(EX_SELL, exs_rng_next(r) % 2 ? EX_STOP_LOSS : EX_STOP_LOSS_LIMIT, px(m, -near - 1), px(m, -near), q);
        *b = leg(EX_SELL, EX_LIMIT_MAKER, px(m, near), 0, q);
    } else {
        *a = leg(EX_BUY, exs_rng_next(r) % 2 ? EX_STOP_LOSS : EX_STOP_LOSS_LIMIT, px(m, near + 1), px(m, near), q);
        *b = leg(EX_BUY, EX_LIMIT_MAKER, px(m, -near), 0, q);
    }
}

/* A stop leg trails sometimes (trailingDelta 10..69 BIPS, its stopPrice kept). */
static void maybe_trail(ex_order_req *o, uint64_t *r)
{
    int stop = o->type == EX_STOP_LOSS || o->type == EX_STOP_LOSS_LIMIT || o->type == EX_TAKE_PROFIT
               || o->type == EX_TAKE_PROFIT_LIMIT;
    if (stop && exs_rng_next(r) % 3 == 0) o->trailing_delta = 10 + (int64_t)(exs_rng_next(r) % 60);
}

/* A leg is pegged sometimes (faqs/pegged_orders.md: any leg but STOP_LOSS /
 * TAKE_PROFIT; LIMIT_MAKER only PRIMARY_PEG): PRIMARY_PEG or MARKET_PEG,
 * 0..2 levels deep (stop-limit legs half the time, other limit legs a third),
 * its price dropped half the time (optional when pegged).
 * Now and then a market-type stop leg is pegged too: the list is refused. */
static void maybe_peg(ex_order_req *o, uint64_t *r)
{
    int limit = o->type == EX_LIMIT || o->type == EX_LIMIT_MAKER || o->type == EX_STOP_LOSS_LIMIT
                || o->type == EX_TAKE_PROFIT_LIMIT;
    int stop_limit = o->type == EX_STOP_LOSS_LIMIT || o->type == EX_TAKE_PROFIT_LIMIT;
    if (exs_rng_next(r) % (stop_limit ? 2 : limit ? 3 : 40)) return;
    o->peg.type = o->type == EX_LIMIT_MAKER || exs_rng_next(r) % 2 ? EX_PEG_PRIMARY : EX_PEG_MARKET;
    int off = (int)(exs_rng_next(r) % 3);
    if (off) { o->peg.has_offset = 1; o->peg.offset = off; }
    if (limit && exs_rng_next(r) % 2) { o->price = 0; o->has_price = 0; }
}

/* Amend one open order (or pending list leg) of acct to a smaller quantity. */
static void random_amend(struct exchange *ex, uint64_t *r, int acct, int64_t now, size_t *leg_amends)
{
    exchange_lock(ex);
    ex_account *a = ex_account_at(ex, acct);
    ex_order *o = NULL;
    for (int tries = 0; tries < 8 && a->norders && !o; tries++) {
        ex_order *c = a->orders[a->norders - 1 - exs_rng_next(r) % (a->norders < 32 ? a->norders : 32)];
        if (c->status == EX_NEW || c->status == EX_PARTIALLY_FILLED || c->status == EX_PENDING_NEW) o = c;
    }
    if (o && o->qty > 0) {
        ex_symbol *s = ex_symbol_at(ex, (size_t)o->sym);
        dec_t q = dec_floor_step(o->qty - (dec_t)((__int128)o->qty * (int64_t)(1 + exs_rng_next(r) % 9) / 10), s->f.step);
        ex_amend_req rq = { .account = acct, .sym = o->sym, .order_id = o->id, .new_qty = q, .now_us = now };
        ex_result out;
        int64_t exec;
        ex_order_amend_locked(ex, &rq, &out, &exec);
        *leg_amends += out.err == ERR_NONE && o->list_id >= 0;
    }
    exchange_unlock(ex);
}

static void random_list(struct exchange *ex, uint64_t *r, int acct, int64_t now)
{
    size_t si = exs_rng_next(r) % 3;                             /* BTCUSDT, ETHUSDT, BNBUSDT-like symbols */
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_at(ex, si);
    mkt m = { s->mid, s->f.tick, s->f.step, s->sim_qty };
    ex_list_req lr = { .kind = (ex_list_kind)(exs_rng_next(r) % 5), .account = acct, .sym = (int)si, .now_us = now };
    dec_t q = dec_floor_step((dec_t)((__int128)m.q0 * (int64_t)(1 + exs_rng_next(r) % 20) / 10), m.step);
    ex_side side = exs_rng_next(r) % 2 ? EX_BUY : EX_SELL;
    int opo = lr.kind == EX_LIST_OPO || lr.kind == EX_LIST_OPOCO;
    if (lr.kind == EX_LIST_OCO) {
        pair(&m, side, q, r, &lr.legs[0], &lr.legs[1]);
        lr.nlegs = 2;
    } else {
        ex_side ws = opo ? EX_BUY : side;
        lr.legs[0] = leg(ws, EX_LIMIT, px(&m, ws == EX_BUY ? 1 : -1) , 0, q);   /* crosses: fills soon */
        if (lr.kind == EX_LIST_OTO || lr.kind == EX_LIST_OPO) {
            static const ex_type pt[] = { EX_LIMIT, EX_LIMIT_MAKER, EX_MARKET, EX_STOP_LOSS_LIMIT };
            ex_type t = pt[exs_rng_next(r) % 4];
            ex_side ps = opo ? EX_SELL : (ws == EX_BUY ? EX_SELL : EX_BUY);
            int64_t d = ps == EX_SELL ? 5 : -5;
            lr.legs[1] = leg(ps, t, px(&m, t == EX_STOP_LOSS_LIMIT ? -d - 1 : d), px(&m, -d), opo ? 0 : q);
            lr.nlegs = 2;
        } else {
            pair(&m, opo ? EX_SELL : (ws == EX_BUY ? EX_SELL : EX_BUY), opo ? 0 : q, r, &lr.legs[1], &lr.legs[2]);
            if (opo) lr.legs[1].has_qty = lr.legs[2].has_qty = 0;
            lr.nlegs = 3;
        }
    }
    for (int i = 0; i < lr.nlegs; i++) {
        maybe_trail(&lr.legs[i], r);
        maybe_peg(&lr.legs[i], r);
    }
    ex_list_result out;
    ex_list_place_locked(ex, &lr, &out);
    if (out.err.err == ERR_NONE && exs_rng_next(r) % 4 == 0) {
        ex_list_result cr;
        ex_list_cancel_locked(ex, acct, (int)si, out.list.id, NULL, NULL, now, &cr);
        ex_list_result_free(&cr);
    }
    ex_list_result_free(&out);
    exchange_unlock(ex);
}

static void random_order(struct exchange *ex, uint64_t *r, int acct, int64_t now)
{
    size_t si = exs_rng_next(r) % 3;
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_at(ex, si);
    mkt m = { s->mid, s->f.tick, s->f.step, s->sim_qty };
    exchange_unlock(ex);
    ex_order_req rq = leg(exs_rng_next(r) % 2 ? EX_BUY : EX_SELL, exs_rng_next(r) % 3 ? EX_LIMIT : EX_MARKET,
                          px(&m, (int64_t)(exs_rng_next(r) % 21) - 10), 0,
                          dec_floor_step((dec_t)((__int128)m.q0 * (int64_t)(1 + exs_rng_next(r) % 40) / 10), m.step));
    rq.account = acct;
    rq.sym = (int)si;
    rq.now_us = now;
    if (rq.type == EX_LIMIT) rq.tif = EX_IOC;
    ex_result out;
    ex_order_place(ex, &rq, &out);
    ex_result_free(&out);
}

static void test_conservation_with_lists(void **state)
{
    (void)state;
    exchange_opts o = { .seed = 11, .now_us = T0 };
    char err[128];
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    assert_non_null(ex);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"1000000\",\"BTC\":\"50\",\"ETH\":\"500\",\"BNB\":\"2000\"}");
    char name[16];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "u%d", i);
        assert_int_equal(exchange_account_add(ex, name, bal), i + 1);
    }
    cJSON_Delete(bal);
    dec_t before[16], after[16];
    exs_supplies(ex, before);
    uint64_t r = 0x9E3779B97F4A7C15ULL;
    int64_t now = T0;
    size_t leg_amends = 0;
    for (int i = 0; i < 3000; i++) {
        int acct = 1 + (int)(exs_rng_next(&r) % 4);
        if (exs_rng_next(&r) % 3) random_list(ex, &r, acct, now);
        else random_order(ex, &r, acct, now);
        if (exs_rng_next(&r) % 2) random_amend(ex, &r, acct, now, &leg_amends);
        if (i % 10 == 0) { now += 8000000; exchange_advance(ex, now); }   /* 8 s: the market model moves about 0.03 % a second */
        if (i % 50 == 0) exs_check_ledger(ex, 4);
    }
    exs_supplies(ex, after);
    for (size_t i = 0; i < ex_asset_count(ex); i++)
        if (before[i] != after[i]) fail_msg("asset %s not conserved", ex_asset_at(ex, i));
    exs_check_ledger(ex, 4);
    /* the run exercised the contingencies */
    size_t lists = 0, done = 0, activated = 0, oco_trigger = 0, rejected_pending = 0;
    size_t pegged_lists = 0, pegged_legs = 0, pegged_priced = 0, pegged_filled = 0, pegged_late = 0;
    size_t pegged_triggered = 0;
    exchange_lock(ex);
    for (size_t i = 0; i < ex_list_count(ex); i++) {
        const ex_list *l = ex_list_at(ex, i);
        lists++;
        done += l->done;
        activated += l->activated;
        int pegged = 0;
        for (int k = 0; k < l->nlegs; k++) {
            const ex_order *lg = l->legs[k];
            if (lg->peg.type == EX_PEG_NONE) continue;
            pegged = 1;
            pegged_legs++;
            pegged_priced += lg->peg.priced;
            pegged_filled += lg->executed > 0;
            /* priced after placement: a triggered stop-limit, an activated pending limit leg */
            int stop = lg->type == EX_STOP_LOSS_LIMIT || lg->type == EX_TAKE_PROFIT_LIMIT;
            pegged_triggered += lg->peg.priced && stop;
            pegged_late += lg->peg.priced && (stop || (k > 0 && l->kind != EX_LIST_OCO));
        }
        pegged_lists += pegged;
        for (int k = 0; k < l->nlegs; k++) {
            const char *why = l->legs[k]->expiry_reason;
            oco_trigger += why && !strcmp(why, "OCO_TRIGGER");
            rejected_pending += why && !strcmp(why, "REJECTED");
        }
    }
    exchange_unlock(ex);
    printf("lists %zu, done %zu, activated %zu, OCO_TRIGGER %zu, pending rejected %zu, list legs amended %zu\n",
           lists, done, activated, oco_trigger, rejected_pending, leg_amends);
    printf("lists with pegged legs %zu: pegged legs %zu, priced %zu (after placement %zu, of them triggered "
           "stop-limits %zu), with fills %zu\n",
           pegged_lists, pegged_legs, pegged_priced, pegged_late, pegged_triggered, pegged_filled);
    assert_true(lists > 400 && done > 200 && activated > 100 && oco_trigger > 20 && leg_amends > 100);
    assert_true(pegged_lists > 50 && pegged_priced > 40 && pegged_late > 10 && pegged_triggered > 5
                && pegged_filled > 20);
    exchange_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation_with_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
