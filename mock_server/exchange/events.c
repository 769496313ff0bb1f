/* events.c: Binance-shaped event JSON - executionReport,
 * outboundAccountPosition (user data) and trade, aggTrade, depthUpdate,
 * bookTicker (market) - handed to the listener by the code path that
 * changed the state. Event times are milliseconds. balanceUpdate is what
 * an admin balance change (exchange_account_add on an existing account)
 * looks like to the account: a deposit or withdrawal. */
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

void ex_emit_execution(struct exchange *ex, const ex_order *o, const char *exec_type,
                       const ex_fill *f, int64_t trade_id, int is_maker, int64_t now_us)
{
    if (!ex->listener || o->account == EX_MM_ACCOUNT) return;
    const ex_symbol *s = &ex->syms[o->sym];
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddStringToObject(e, "e", "executionReport");
    cJSON_AddNumberToObject(e, "E", ms(now_us));
    cJSON_AddStringToObject(e, "s", s->name);
    cJSON_AddStringToObject(e, "c", o->client_id);
    cJSON_AddStringToObject(e, "S", ex_side_name(o->side));
    cJSON_AddStringToObject(e, "o", ex_type_name(o->type));
    cJSON_AddStringToObject(e, "f", ex_tif_name(o->tif));
    add_dec(e, "q", o->qty);
    add_dec(e, "p", o->price);
    add_dec(e, "P", o->stop_price);
    add_dec(e, "F", o->iceberg);
    cJSON_AddNumberToObject(e, "g", (double)o->list_id);
    cJSON_AddStringToObject(e, "C", "");
    cJSON_AddStringToObject(e, "x", exec_type);
    cJSON_AddStringToObject(e, "X", ex_status_name(o->status));
    cJSON_AddStringToObject(e, "r", "NONE");
    cJSON_AddNumberToObject(e, "i", (double)o->id);
    add_dec(e, "l", f ? f->qty : 0);
    add_dec(e, "z", o->executed);
    add_dec(e, "L", f ? f->price : 0);
    add_dec(e, "n", f ? f->commission : 0);
    if (f) cJSON_AddStringToObject(e, "N", f->comm_is_base ? s->base : s->quote);
    else cJSON_AddNullToObject(e, "N");
    cJSON_AddNumberToObject(e, "T", ms(now_us));
    cJSON_AddNumberToObject(e, "t", (double)trade_id);
    if (o->prevented_match_id >= 0) cJSON_AddNumberToObject(e, "v", (double)o->prevented_match_id);
    cJSON_AddNumberToObject(e, "I", (double)(o->id * 4 + o->update_us % 4));
    cJSON_AddBoolToObject(e, "w", o->in_book);
    cJSON_AddBoolToObject(e, "m", is_maker);
    cJSON_AddBoolToObject(e, "M", 0);
    cJSON_AddNumberToObject(e, "O", ms(o->time_us));
    add_dec(e, "Z", o->cum_quote);
    add_dec(e, "Y", f ? (dec_t)((__int128)f->price * f->qty / DEC_SCALE) : 0);
    add_dec(e, "Q", o->quote_qty);
    cJSON_AddNumberToObject(e, "W", o->is_working ? ms(o->working_us) : -1);
    cJSON_AddStringToObject(e, "V", ex_stp_name(o->stp));
    /* eR (conditional): the order-list expiry reasons (OCO_TRIGGER, OTO_PHASE_ONE_EXPIRED, REJECTED) */
    if (o->status == EX_EXPIRED && o->expiry_reason) cJSON_AddStringToObject(e, "eR", o->expiry_reason);
    deliver(ex, e, o->account);
}

void ex_emit_account(struct exchange *ex, int account, const ex_symbol *s, int64_t now_us)
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
        if (s && strcmp(a->bal[i].asset, s->base) && strcmp(a->bal[i].asset, s->quote)) continue;
        cJSON *b = cJSON_CreateObject();
        if (!b) break;
        cJSON_AddStringToObject(b, "a", a->bal[i].asset);
        add_dec(b, "f", a->bal[i].free);
        add_dec(b, "l", a->bal[i].locked);
        cJSON_AddItemToArray(arr, b);
    }
    deliver(ex, e, account);
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
