/* events.c: Binance-shaped event JSON - executionReport,
 * outboundAccountPosition (user data) and trade, aggTrade, depthUpdate,
 * bookTicker (market) - handed to the listener by the code path that
 * changed the state. Event times are milliseconds. balanceUpdate is what
 * an admin balance change (exchange_account_add on an existing account)
 * looks like to the account: a deposit or withdrawal, followed by the
 * outboundAccountPosition of that asset. The executionReport fields follow
 * user-data-stream.md; docs/events.md lists each field and our choices. */
#include <stdio.h>
#include <string.h>
#include "ex_int.h"

static void add_dec(cJSON *o, const char *k, dec_t v)
{
    char b[48];
    dec_format(b, sizeof b, v, 8);
    cJSON_AddStringToObject(o, k, b);
}

static double ms(int64_t us) { return (double)(us / 1000); }

static void deliver(struct exchange *ex, cJSON *ev, int account)
{
    if (ev) ex->listener(ex->listener_ud, ev, account);
    cJSON_Delete(ev);
}

/* w, "is the order on the book?": the NEW event of a working order says
 * true (Binance's MARKET-orders FAQ sample shows it for a MARKET order too);
 * later events say true while the order is open and rests on the book (not
 * MARKET-like, not IOC/FOK) - our choice where the docs are silent. */
static int on_book(const ex_order *o, const char *x)
{
    if (!strcmp(x, "NEW")) return o->is_working;
    if (o->status != EX_NEW && o->status != EX_PARTIALLY_FILLED) return 0;
    if (o->type == EX_MARKET || o->type == EX_STOP_LOSS || o->type == EX_TAKE_PROFIT) return 0;
    return o->is_working && o->tif != EX_IOC && o->tif != EX_FOK;
}

static dec_t mul_floor(dec_t p, dec_t q) { return (dec_t)((__int128)p * q / DEC_SCALE); }

/* The conditional fields of user-data-stream.md "Conditional Fields in
 * Execution Report" that the mock produces: d, D, j, J, STP (v A B u U Cs pl pL pY), eR. */
static void add_conditional(cJSON *e, const ex_symbol *s, const ex_order *o, const ex_exec *x)
{
    if (o->trailing_delta > 0) {     /* trailing stops: D is -1 until tracking starts */
        cJSON_AddNumberToObject(e, "d", (double)o->trailing_delta);
        cJSON_AddNumberToObject(e, "D", o->trailing_time_us >= 0 ? ms(o->trailing_time_us) : -1);
    }
    if (o->has_strategy_id) cJSON_AddNumberToObject(e, "j", (double)o->strategy_id);
    if (o->has_strategy_type) cJSON_AddNumberToObject(e, "J", (double)o->strategy_type);
    if (x->stp) {
        cJSON_AddNumberToObject(e, "v", (double)x->prevented_id);
        add_dec(e, "A", o->prevented_qty);
        add_dec(e, "B", x->last_prevented);
        cJSON_AddNumberToObject(e, "u", -1);          /* tradeGroupId: no trade groups in the mock */
        cJSON_AddNumberToObject(e, "U", (double)x->counter_id);
        cJSON_AddStringToObject(e, "Cs", s->name);
        add_dec(e, "pl", x->match_qty);
        add_dec(e, "pL", x->match_price);
        add_dec(e, "pY", mul_floor(x->match_price, x->match_qty));
    }
    const char *er = ex_order_expiry_reason(o);
    if (er) cJSON_AddStringToObject(e, "eR", er);
}

void ex_emit_exec(struct exchange *ex, const ex_order *o, const ex_exec *x, int64_t now_us)
{
    int64_t exec_id = ex->next_exec_id++;   /* every event takes one, seen or not */
    if (!ex->listener || o->account == EX_MM_ACCOUNT) return;
    const ex_symbol *s = &ex->syms[o->sym];
    const ex_fill *f = x->fill;
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddStringToObject(e, "e", "executionReport");
    cJSON_AddNumberToObject(e, "E", ms(now_us));
    cJSON_AddStringToObject(e, "s", s->name);
    cJSON_AddStringToObject(e, "c", x->cancel_client_id ? x->cancel_client_id : o->client_id);
    cJSON_AddStringToObject(e, "S", ex_side_name(o->side));
    cJSON_AddStringToObject(e, "o", ex_type_name(o->type));
    cJSON_AddStringToObject(e, "f", ex_tif_name(o->tif));
    add_dec(e, "q", o->qty);
    add_dec(e, "p", o->price);
    add_dec(e, "P", o->stop_price);
    add_dec(e, "F", o->iceberg);
    cJSON_AddNumberToObject(e, "g", (double)o->list_id);
    cJSON_AddStringToObject(e, "C", x->orig_client_id ? x->orig_client_id : x->cancel_client_id ? o->client_id : "");
    cJSON_AddStringToObject(e, "x", x->type);
    cJSON_AddStringToObject(e, "X", ex_status_name(o->status));
    cJSON_AddStringToObject(e, "r", x->reject ? x->reject : "NONE");
    cJSON_AddNumberToObject(e, "i", (double)o->id);
    add_dec(e, "l", f ? f->qty : 0);
    add_dec(e, "z", o->executed);
    add_dec(e, "L", f ? f->price : 0);
    if (f) add_dec(e, "n", f->commission);
    else cJSON_AddStringToObject(e, "n", "0");      /* as the docs' samples show it */
    if (f) cJSON_AddStringToObject(e, "N", f->comm_is_base ? s->base : s->quote);
    else cJSON_AddNullToObject(e, "N");
    cJSON_AddNumberToObject(e, "T", ms(now_us));
    cJSON_AddNumberToObject(e, "t", (double)(f ? x->trade_id : -1));
    cJSON_AddNumberToObject(e, "I", (double)exec_id);
    cJSON_AddBoolToObject(e, "w", on_book(o, x->type));
    cJSON_AddBoolToObject(e, "m", f && x->is_maker);
    cJSON_AddBoolToObject(e, "M", f != NULL);        /* "ignore"; true on trades as in the docs' samples */
    cJSON_AddNumberToObject(e, "O", ms(o->time_us));
    add_dec(e, "Z", o->cum_quote);
    add_dec(e, "Y", f ? mul_floor(f->price, f->qty) : 0);
    add_dec(e, "Q", o->quote_qty);
    if (o->is_working) cJSON_AddNumberToObject(e, "W", ms(o->working_us));
    cJSON_AddStringToObject(e, "V", ex_stp_name(o->stp));
    add_conditional(e, s, o, x);
    deliver(ex, e, o->account);
}

void ex_emit_execution(struct exchange *ex, const ex_order *o, const char *exec_type,
                       const ex_fill *f, int64_t trade_id, int is_maker, int64_t now_us)
{
    ex_exec x = { .type = exec_type, .fill = f, .trade_id = trade_id, .is_maker = is_maker };
    ex_emit_exec(ex, o, &x, now_us);
}

static int wanted(const char *asset, const ex_symbol *s, const char *const *assets, size_t n)
{
    if (s) return !strcmp(asset, s->base) || !strcmp(asset, s->quote);
    if (!assets) return 1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(asset, assets[i])) return 1;
    return 0;
}

static void emit_position(struct exchange *ex, int account, const ex_symbol *s,
                          const char *const *assets, size_t n, int64_t now_us)
{
    ex_account *a = ex_account_at(ex, account);
    if (!ex->listener || !a || account == EX_MM_ACCOUNT) return;
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddStringToObject(e, "e", "outboundAccountPosition");
    cJSON_AddNumberToObject(e, "E", ms(now_us));
    cJSON_AddNumberToObject(e, "u", ms(now_us));
    cJSON *arr = cJSON_AddArrayToObject(e, "B");
    for (size_t i = 0; arr && i < a->nbal; i++) {
        if (!wanted(a->bal[i].asset, s, assets, n)) continue;
        cJSON *b = cJSON_CreateObject();
        if (!b) break;
        cJSON_AddStringToObject(b, "a", a->bal[i].asset);
        add_dec(b, "f", a->bal[i].free);
        add_dec(b, "l", a->bal[i].locked);
        cJSON_AddItemToArray(arr, b);
    }
    deliver(ex, e, account);
}

void ex_emit_account(struct exchange *ex, int account, const ex_symbol *s, int64_t now_us)
{
    emit_position(ex, account, s, NULL, 0, now_us);
}

void ex_emit_account_assets(struct exchange *ex, int account, const char *const *assets, size_t n, int64_t now_us)
{
    if (n) emit_position(ex, account, NULL, assets, n, now_us);
}

void ex_emit_balance_update(struct exchange *ex, int account, const char *asset, dec_t delta, int64_t now_us)
{
    if (!ex->listener || account == EX_MM_ACCOUNT || delta == 0) return;
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddStringToObject(e, "e", "balanceUpdate");
    cJSON_AddNumberToObject(e, "E", ms(now_us));
    cJSON_AddStringToObject(e, "a", asset);
    add_dec(e, "d", delta);
    cJSON_AddNumberToObject(e, "T", ms(now_us));
    deliver(ex, e, account);
}

void ex_emit_trade(struct exchange *ex, const ex_symbol *s, const ex_trade *t)
{
    if (!ex->listener) return;
    for (int agg = 0; agg < 2; agg++) {
        cJSON *e = cJSON_CreateObject();
        if (!e) return;
        cJSON_AddStringToObject(e, "e", agg ? "aggTrade" : "trade");
        cJSON_AddNumberToObject(e, "E", ms(t->time_us));
        cJSON_AddStringToObject(e, "s", s->name);
        cJSON_AddNumberToObject(e, agg ? "a" : "t", (double)(agg ? t->agg_id : t->id));
        add_dec(e, "p", t->price);
        add_dec(e, "q", t->qty);
        if (agg) {
            cJSON_AddNumberToObject(e, "f", (double)t->id);
            cJSON_AddNumberToObject(e, "l", (double)t->id);
        }
        cJSON_AddNumberToObject(e, "T", ms(t->time_us));
        cJSON_AddBoolToObject(e, "m", t->buyer_maker);
        cJSON_AddBoolToObject(e, "M", 1);
        deliver(ex, e, -1);
    }
}

static dec_t level_qty(const ex_book *b, dec_t price)
{
    dec_t q = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i]->price == price) q += ex_order_visible(b->v[i]);
    return q;
}

static void emit_book_ticker(struct exchange *ex, ex_symbol *s)
{
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddNumberToObject(e, "u", (double)s->update_id);
    cJSON_AddStringToObject(e, "s", s->name);
    dec_t bp = s->bids.n ? s->bids.v[0]->price : 0, ap = s->asks.n ? s->asks.v[0]->price : 0;
    add_dec(e, "b", bp);
    add_dec(e, "B", bp ? level_qty(&s->bids, bp) : 0);
    add_dec(e, "a", ap);
    add_dec(e, "A", ap ? level_qty(&s->asks, ap) : 0);
    deliver(ex, e, -1);
}

void ex_emit_depth(struct exchange *ex, ex_symbol *s, int64_t first_id, int64_t now_us)
{
    if (!ex->listener) { s->ntouched[0] = s->ntouched[1] = 0; return; }
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddStringToObject(e, "e", "depthUpdate");
    cJSON_AddNumberToObject(e, "E", ms(now_us));
    cJSON_AddStringToObject(e, "s", s->name);
    cJSON_AddNumberToObject(e, "U", (double)first_id);
    cJSON_AddNumberToObject(e, "u", (double)s->update_id);
    for (int k = 0; k < 2; k++) {
        cJSON *arr = cJSON_AddArrayToObject(e, k ? "a" : "b");
        for (int i = 0; arr && i < s->ntouched[k]; i++) {
            char p[48], q[48];
            dec_format(p, sizeof p, s->touched[k][i], 8);
            dec_format(q, sizeof q, level_qty(k ? &s->asks : &s->bids, s->touched[k][i]), 8);
            cJSON *lv = cJSON_CreateArray();
            if (!lv) break;
            cJSON_AddItemToArray(lv, cJSON_CreateString(p));
            cJSON_AddItemToArray(lv, cJSON_CreateString(q));
            cJSON_AddItemToArray(arr, lv);
        }
        s->ntouched[k] = 0;
    }
    deliver(ex, e, -1);
    emit_book_ticker(ex, s);
}
