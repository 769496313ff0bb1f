/* exchange_peg_sor: pegged orders, SOR orders and self-trade prevention in
 * the exchange itself, no HTTP - every asset conserved and every lock
 * accounted for (locked == what the open orders hold, free >= 0) after
 * thousands of random pegged LIMIT / LIMIT_MAKER / stop-limit orders, SOR
 * orders, plain orders with every STP mode, and cancels against the
 * simulator; the run must really have priced pegs from the book, triggered
 * pegged stops, allocated SOR fills and prevented matches. A second run
 * routes SOR orders across the three books of examples/sor/symbols.json
 * (BTCUSDT/BTCUSDC/BTCUSDP, here with simulators): every asset conserved,
 * the SOR liquidity account's quote balances summing to 0, and many fills
 * really taken from another book than the order's. */
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
#include "records.h"

#define T0 1700000000000000LL
#define NACCT 4

typedef struct counts { int pegged, peg_rejected, stops, sor, cancels; } counts;

static dec_t px(dec_t mid, dec_t tick, int64_t permille)
{
    return dec_floor_step(mid + (dec_t)((__int128)mid * permille / 1000), tick);
}

static void random_order(struct exchange *ex, uint64_t *r, int acct, int64_t now, counts *n)
{
    size_t si = exs_rng_next(r) % 3;                   /* BTCUSDT (the SOR symbol), ETHUSDT, BNBUSDT */
    exchange_lock(ex);
    ex_symbol *s = ex_symbol_at(ex, si);
    dec_t mid = s->mid, tick = s->f.tick, step = s->f.step, q0 = s->sim_qty;
    ex_order_req rq = { .account = acct, .sym = (int)si, .now_us = now, .side = exs_rng_next(r) % 2 ? EX_BUY : EX_SELL,
                        .stp = (ex_stp)(exs_rng_next(r) % EX_STP__N) };
    rq.qty = dec_floor_step((dec_t)((__int128)q0 * (int64_t)(1 + exs_rng_next(r) % 30) / 10), step);
    rq.has_qty = 1;
    int kind = (int)(exs_rng_next(r) % 6);
    int64_t d = (int64_t)(exs_rng_next(r) % 8) + 1;
    if (kind <= 2) {                               /* pegged LIMIT / LIMIT_MAKER / stop-limit */
        static const ex_type types[] = { EX_LIMIT, EX_LIMIT_MAKER, EX_STOP_LOSS_LIMIT, EX_TAKE_PROFIT_LIMIT };
        rq.type = types[exs_rng_next(r) % 4];
        rq.peg.type = rq.type == EX_LIMIT_MAKER || exs_rng_next(r) % 2 ? EX_PEG_PRIMARY : EX_PEG_MARKET;
        rq.tif = rq.type == EX_LIMIT_MAKER ? EX_TIF_NONE
               : rq.type == EX_LIMIT && rq.peg.type == EX_PEG_MARKET && exs_rng_next(r) % 2 ? EX_IOC : EX_GTC;
        if (exs_rng_next(r) % 2) { rq.peg.has_offset = 1; rq.peg.offset = (int)(exs_rng_next(r) % 4); }
        if (rq.type == EX_STOP_LOSS_LIMIT || rq.type == EX_TAKE_PROFIT_LIMIT) {
            int loss = rq.type == EX_STOP_LOSS_LIMIT, up = (loss && rq.side == EX_BUY) || (!loss && rq.side == EX_SELL);
            rq.stop_price = px(mid, tick, up ? d : -d);
            rq.has_stop = 1;
        }
    } else if (kind == 3) {                        /* SOR on BTCUSDT */
        rq.sym = 0;
        rq.sor = 1;
        s = ex_symbol_at(ex, 0);
        rq.qty = dec_floor_step((dec_t)((__int128)s->sim_qty * (int64_t)(1 + exs_rng_next(r) % 30) / 10), s->f.step);
        rq.type = exs_rng_next(r) % 2 ? EX_MARKET : EX_LIMIT;
        if (rq.type == EX_LIMIT) {
            rq.tif = exs_rng_next(r) % 2 ? EX_GTC : EX_IOC;
            rq.price = px(s->mid, s->f.tick, (int64_t)(exs_rng_next(r) % 11) - 5);
            rq.has_price = 1;
        }
    } else {                                       /* plain LIMIT near the mid: self-trades for STP */
        rq.type = EX_LIMIT;
        rq.tif = EX_GTC;
        rq.price = px(mid, tick, (int64_t)(exs_rng_next(r) % 9) - 4);
        rq.has_price = 1;
    }
    ex_result out;
    ex_order_place_locked(ex, &rq, &out);
    if (rq.peg.type) { if (out.err == ERR_NONE) n->pegged++; else n->peg_rejected++; }
    if (rq.sor && out.err == ERR_NONE) n->sor++;
    if (out.err == ERR_NONE && out.order.status == EX_NEW && exs_rng_next(r) % 3 == 0) {
        ex_result cr;
        ex_order_cancel_locked(ex, acct, rq.sym, out.order.id, NULL, EX_CR_NONE, now, &cr);
        n->cancels += cr.err == ERR_NONE;
        ex_result_free(&cr);
    }
    ex_result_free(&out);
    exchange_unlock(ex);
}

static void test_conservation_peg_sor(void **state)
{
    (void)state;
    exchange_opts o = { .seed = 23, .now_us = T0 };
    char err[128];
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    assert_non_null(ex);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"1000000\",\"BTC\":\"50\",\"ETH\":\"500\",\"BNB\":\"2000\"}");
    char name[16];
    for (int i = 0; i < NACCT; i++) {
        snprintf(name, sizeof name, "u%d", i);
        assert_int_equal(exchange_account_add(ex, name, bal), i + 1);
    }
    cJSON_Delete(bal);
    dec_t before[16], after[16];
    exs_supplies(ex, before);
    counts n = { 0 };
    uint64_t r = 0x2545F4914F6CDD1DULL;
    int64_t now = T0;
    for (int i = 0; i < 4000; i++) {
        random_order(ex, &r, 1 + (int)(exs_rng_next(&r) % NACCT), now, &n);
        if (i % 10 == 0) { now += 5000000; exchange_advance(ex, now); }
        if (i % 500 == 0) exs_check_ledger(ex, NACCT);
    }
    exs_supplies(ex, after);
    for (size_t i = 0; i < ex_asset_count(ex); i++)
        if (before[i] != after[i]) fail_msg("asset %s not conserved", ex_asset_at(ex, i));
    exs_check_ledger(ex, NACCT);
    /* the run exercised what it claims to */
    size_t allocs = 0, prevented = 0, stops_priced = 0, pegged_traded = 0;
    exchange_lock(ex);
    for (int a = 1; a <= NACCT; a++) {
        ex_account *ac = ex_account_at(ex, a);
        if (ac->rec) { allocs += ac->rec->nal; prevented += ac->rec->npm; }
        for (size_t k = 0; k < ac->norders; k++) {
            const ex_order *x = ac->orders[k];
            if (!x->peg.type) continue;
            stops_priced += x->peg.priced && (x->type == EX_STOP_LOSS_LIMIT || x->type == EX_TAKE_PROFIT_LIMIT);
            pegged_traded += x->executed > 0;
        }
    }
    exchange_unlock(ex);
    printf("pegged %d (rejected %d, traded %zu, stops priced on trigger %zu), SOR %d (allocations %zu), "
           "prevented matches %zu, cancels %d\n", n.pegged, n.peg_rejected, pegged_traded, stops_priced, n.sor, allocs,
           prevented, n.cancels);
    assert_true(n.pegged > 500 && pegged_traded > 100 && stops_priced > 10);
    assert_true(n.sor > 300 && allocs > 300 && prevented > 20);
    exchange_free(ex);
}

/* examples/sor/symbols.json with a simulator on each book, the three
 * markets a little apart so SOR orders find their best prices elsewhere. */
static int write_multi_symbols(char *path, size_t n)
{
    const char *src = getenv("BC_SOURCE_DIR");
    char in[512];
    snprintf(in, sizeof in, "%s/examples/sor/symbols.json", src ? src : ".");
    FILE *fp = fopen(in, "r");
    if (!fp) return -1;
    static char txt[65536];
    size_t len = fread(txt, 1, sizeof txt - 1, fp);
    fclose(fp);
    txt[len] = 0;
    cJSON *root = cJSON_Parse(txt);
    static const char *const prices[] = { "30000.00", "29990.00", "30012.00" };
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "symbols")) {
        cJSON *sim = cJSON_GetObjectItemCaseSensitive(it, "sim");
        cJSON_ReplaceItemInObject(sim, "price", cJSON_CreateString(prices[i++ % 3]));
        cJSON_ReplaceItemInObject(sim, "levels", cJSON_CreateNumber(20));
        cJSON_AddNumberToObject(sim, "tradesPerMin", 200);
        cJSON_AddNumberToObject(sim, "spreadTicks", 100);
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    snprintf(path, n, "/tmp/bc_sormultiXXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || !out) { free(out); return -1; }
    FILE *wf = fdopen(fd, "w");
    fputs(out, wf);
    fclose(wf);
    free(out);
    return 0;
}

static void random_multi(struct exchange *ex, uint64_t *r, int acct, int64_t now, int *nsor)
{
    exchange_lock(ex);
    int si = (int)(exs_rng_next(r) % 3);
    ex_symbol *s = ex_symbol_at(ex, (size_t)si);
    ex_order_req rq = { .account = acct, .sym = si, .now_us = now, .side = exs_rng_next(r) % 2 ? EX_BUY : EX_SELL,
                        .stp = (ex_stp)(exs_rng_next(r) % EX_STP__N), .has_qty = 1 };
    rq.qty = dec_floor_step((dec_t)((__int128)s->sim_qty * (int64_t)(1 + exs_rng_next(r) % 40) / 10), s->f.step);
    int kind = (int)(exs_rng_next(r) % 3);
    rq.sor = kind < 2;
    rq.type = kind == 0 ? EX_MARKET : EX_LIMIT;
    if (rq.type == EX_LIMIT) {
        static const ex_tif tifs[] = { EX_GTC, EX_IOC, EX_FOK };
        rq.tif = rq.sor ? tifs[exs_rng_next(r) % 3] : EX_GTC;
        rq.price = px(s->mid, s->f.tick, (int64_t)(exs_rng_next(r) % 13) - 6);
        rq.has_price = 1;
    }
    ex_result out;
    ex_order_place_locked(ex, &rq, &out);
    if (rq.sor && out.err == ERR_NONE) (*nsor)++;
    if (out.err == ERR_NONE && out.order.status == EX_NEW && exs_rng_next(r) % 3 == 0) {
        ex_result cr;
        ex_order_cancel_locked(ex, acct, rq.sym, out.order.id, NULL, EX_CR_NONE, now, &cr);
        ex_result_free(&cr);
    }
    ex_result_free(&out);
    exchange_unlock(ex);
}

static void test_conservation_sor_multi(void **state)
{
    (void)state;
    char path[64];
    assert_int_equal(write_multi_symbols(path, sizeof path), 0);
    exchange_opts o = { .seed = 29, .now_us = T0, .symbols_file = path };
    char err[128];
    struct exchange *ex = exchange_new(&o, err, sizeof err);
    unlink(path);
    if (!ex) fail_msg("%s", err);
    cJSON *bal = cJSON_Parse("{\"USDT\":\"2000000\",\"USDC\":\"2000000\",\"USDP\":\"2000000\",\"BTC\":\"60\"}");
    char name[16];
    for (int i = 0; i < NACCT; i++) {
        snprintf(name, sizeof name, "u%d", i);
        assert_int_equal(exchange_account_add(ex, name, bal), i + 1);
    }
    cJSON_Delete(bal);
    dec_t before[16], after[16];
    exs_supplies(ex, before);
    uint64_t r = 0x9E3779B97F4A7C15ULL;
    int64_t now = T0;
    int nsor = 0;
    for (int i = 0; i < 4000; i++) {
        random_multi(ex, &r, 1 + (int)(exs_rng_next(&r) % NACCT), now, &nsor);
        if (i % 10 == 0) { now += 5000000; exchange_advance(ex, now); }
        if (i % 500 == 0) exs_check_ledger(ex, NACCT);
    }
    exs_supplies(ex, after);
    for (size_t i = 0; i < ex_asset_count(ex); i++)
        if (before[i] != after[i]) fail_msg("asset %s not conserved", ex_asset_at(ex, i));
    exs_check_ledger(ex, NACCT);
    exchange_lock(ex);
    dec_t sum = ex_sor_ledger_balance(ex, "USDT") + ex_sor_ledger_balance(ex, "USDC") + ex_sor_ledger_balance(ex, "USDP");
    int64_t cross = ex_sor_cross_fills(ex);
    size_t allocs = 0;
    for (int a = 1; a <= NACCT; a++) {
        ex_account *ac = ex_account_at(ex, a);
        if (ac->rec) allocs += ac->rec->nal;
    }
    exchange_unlock(ex);
    printf("multi-book SOR: %d SOR orders, %zu allocations, %lld of them from another book\n", nsor, allocs,
           (long long)cross);
    assert_int_equal(sum, 0);                /* the swap is 1:1 */
    assert_true(nsor > 1500 && cross > 500 && (int64_t)allocs > cross);
    exchange_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation_peg_sor),
        cmocka_unit_test(test_conservation_sor_multi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
