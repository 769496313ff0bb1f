/* orderlist.c: the order-list records (OCO, OTO, OTOCO, OPO, OPOCO) - their
 * store, validation and placement (every leg validated before any is
 * placed; an OCO pair holds one lock, on whichever leg is live), cancel,
 * lookups and the listStatus user-data event. What happens to a list after
 * placement (contingencies) is orderlist_run.c. Exchange lock held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"

static const char *const kinds[] = { "OCO", "OTO", "OTO", "OTO", "OTO" };

const char *ex_contingency_name(ex_list_kind k) { return (unsigned)k < 5 ? kinds[k] : "OCO"; }
const char *ex_list_status_type(const ex_list *l) { return l->done ? "ALL_DONE" : "EXEC_STARTED"; }
const char *ex_list_order_status(const ex_list *l) { return l->done ? "ALL_DONE" : "EXECUTING"; }

int ex_max_num_order_lists(struct exchange *ex) { return ex->max_num_order_lists; }
size_t ex_list_count(struct exchange *ex) { return ex->nlists; }
ex_list *ex_list_at(struct exchange *ex, size_t i) { return i < ex->nlists ? ex->lists[i] : NULL; }

void ex_lists_free(struct exchange *ex)
{
    for (size_t i = 0; i < ex->nlists; i++) free(ex->lists[i]);
    free(ex->lists);
    ex->lists = NULL;
    ex->nlists = ex->caplists = 0;
    ex->lists_dirty = ex->lists_settling = 0;
}

void ex_list_result_free(ex_list_result *r)
{
    ex_result_free(&r->err);
    for (int i = 0; i < EX_LIST_MAX_LEGS; i++) ex_result_free(&r->leg[i]);
}

ex_list *ex_list_find_locked(struct exchange *ex, int account, int64_t list_id, const char *client_id)
{
    for (size_t i = ex->nlists; i-- > 0;) {
        ex_list *l = ex->lists[i];
        if (l->account != account) continue;
        if (list_id >= 0 ? l->id == list_id : (client_id && !strcmp(l->client_id, client_id))) return l;
    }
    return NULL;
}

size_t ex_open_list_count_locked(struct exchange *ex, int account, int sym)
{
    size_t n = 0;
    for (size_t i = 0; i < ex->nlists; i++) {
        const ex_list *l = ex->lists[i];
        if (l->account == account && !l->done && (sym < 0 || l->sym == sym)) n++;
    }
    return n;
}

void ex_emit_list_status(struct exchange *ex, const ex_list *l, int64_t now_us)
{
    ex_emit_list_status_as(ex, l, ex_list_status_type(l), now_us);
}

void ex_emit_list_status_as(struct exchange *ex, const ex_list *l, const char *type, int64_t now_us)
{
    if (!ex->listener || l->account == EX_MM_ACCOUNT) return;
    const ex_symbol *s = &ex->syms[l->sym];
    cJSON *e = cJSON_CreateObject();
    if (!e) return;
    cJSON_AddStringToObject(e, "e", "listStatus");
    cJSON_AddNumberToObject(e, "E", (double)(now_us / 1000));
    cJSON_AddStringToObject(e, "s", s->name);
    cJSON_AddNumberToObject(e, "g", (double)l->id);
    cJSON_AddStringToObject(e, "c", ex_contingency_name(l->kind));
    cJSON_AddStringToObject(e, "l", type);
    cJSON_AddStringToObject(e, "L", ex_list_order_status(l));
    cJSON_AddStringToObject(e, "r", "NONE");
    cJSON_AddStringToObject(e, "C", l->client_id);
    cJSON_AddNumberToObject(e, "T", (double)(l->time_us / 1000));
    cJSON *arr = cJSON_AddArrayToObject(e, "O");
    for (int i = 0; arr && i < l->nlegs; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        cJSON_AddStringToObject(o, "s", s->name);
        cJSON_AddNumberToObject(o, "i", (double)l->legs[i]->id);
        cJSON_AddStringToObject(o, "c", l->legs[i]->client_id);
        cJSON_AddItemToArray(arr, o);
    }
    ex->listener(ex->listener_ud, e, l->account);
    cJSON_Delete(e);
}

/* ---- validation ---- */

static int is_stop(ex_type t)
{
    return t == EX_STOP_LOSS || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT || t == EX_TAKE_PROFIT_LIMIT;
}

/* What an order locks (engine rule): SELL its quantity, BUY price x qty. */
static dec_t need_of(const ex_order_req *o)
{
    if (o->side == EX_SELL) return o->qty;
    dec_t p = (o->type == EX_LIMIT || o->type == EX_LIMIT_MAKER || o->type == EX_STOP_LOSS_LIMIT
               || o->type == EX_TAKE_PROFIT_LIMIT) ? o->price : o->stop_price;
    __int128 x = (__int128)p * o->qty;
    return (dec_t)((x + DEC_SCALE - 1) / DEC_SCALE);
}

static int fail_me(ex_list_result *out, err_id e, me_msg m)
{
    out->err.err = e;
    out->err.me = m;
    out->err.has_me = 1;
    return -1;
}

static int fail_filter(ex_list_result *out, const char *f)
{
    out->err.err = ERR_FILTER_FAILURE;
    out->err.filter = f;
    return -1;
}

static int list_flags_ok(const ex_symbol *s, ex_list_kind k, ex_list_result *out)
{
    int oco = k == EX_LIST_OCO || k == EX_LIST_OTOCO || k == EX_LIST_OPOCO;
    int opo = k == EX_LIST_OPO || k == EX_LIST_OPOCO;
    if (oco && !s->oco_allowed) return fail_me(out, ERR_NEW_ORDER_REJECTED, ME_OCO_NOT_SUPPORTED);
    if (opo && !s->opo_allowed) return fail_me(out, ERR_NEW_ORDER_REJECTED, ME_OPO_NOT_SUPPORTED);
    /* errors.md has no text for an OTO on a symbol without otoAllowed:
     * chosen -1020 (the generic "not supported"). */
    if (k != EX_LIST_OCO && !s->oto_allowed) {
        out->err.err = ERR_UNSUPPORTED_OPERATION;
        return -1;
    }
    return 0;
}

/* Order-count filters for the whole list (a list adds all its legs). */
static int counts_ok(struct exchange *ex, const ex_list_req *rq, ex_list_result *out)
{
    const ex_symbol *s = &ex->syms[rq->sym];
    const ex_filters *f = &s->f;
    if (f->max_num_order_lists > 0
        && ex_open_list_count_locked(ex, rq->account, rq->sym) >= (size_t)f->max_num_order_lists)
        return fail_filter(out, "MAX_NUM_ORDER_LISTS");
    if (ex->max_num_order_lists > 0
        && ex_open_list_count_locked(ex, rq->account, -1) >= (size_t)ex->max_num_order_lists)
        return fail_filter(out, "EXCHANGE_MAX_NUM_ORDER_LISTS");
    size_t open = ex_open_order_count_locked(ex, rq->account, rq->sym, 0);
    if (f->max_num_orders > 0 && open + (size_t)rq->nlegs > (size_t)f->max_num_orders)
        return fail_filter(out, "MAX_NUM_ORDERS");
    size_t algo = 0;
    for (int i = 0; i < rq->nlegs; i++) algo += is_stop(rq->legs[i].type);
    if (algo && f->max_num_algo_orders > 0
        && ex_open_order_count_locked(ex, rq->account, rq->sym, 1) + algo > (size_t)f->max_num_algo_orders)
        return fail_filter(out, "MAX_NUM_ALGO_ORDERS");
    return 0;
}

/* OCO prices around the last price: below leg's trigger < last < above
 * leg's (errors.md "The relationship of the prices ..."). Legs are
 * [stop-loss leg, other]; the above leg is the stop-loss one for a BUY. A
 * pegged LIMIT_MAKER leg is checked at the price its peg selects (the
 * price it enters with; a pegged stop leg's relationship is its stopPrice,
 * "only the limit price can be pegged"). */
static int oco_prices_ok(const ex_symbol *s, const ex_order_req *a, const ex_order_req *b)
{
    const ex_order_req *above = a->side == EX_BUY ? a : b, *below = a->side == EX_BUY ? b : a;
    dec_t hi = above->type == EX_LIMIT_MAKER ? above->price : above->stop_price;
    dec_t lo = below->type == EX_LIMIT_MAKER ? below->price : below->stop_price;
    if (hi <= 0) hi = DEC_MAX;       /* a trailing stop leg without stopPrice bounds nothing */
    if (lo >= hi) return 0;
    return s->last_price <= 0 || (lo < s->last_price && s->last_price < hi);
}

static int has_pair(ex_list_kind k) { return k == EX_LIST_OCO || k == EX_LIST_OTOCO || k == EX_LIST_OPOCO; }
static int first_pair_leg(ex_list_kind k) { return k == EX_LIST_OCO ? 0 : 1; }

/* The legs with the prices their validations and locks use: a pegged leg
 * at the price its peg selects now (faqs/pegged_orders.md: pegged orders
 * pass the checks "with the selected price"), a pegged stop-limit or
 * pending leg at its stand-in (peg.c). -1 with out set when a peg cannot be
 * used (peg.c's -2010 texts). */
static int priced_legs(struct exchange *ex, const ex_list_req *rq, ex_order_req *px, ex_list_result *out)
{
    const ex_symbol *s = ex_symbol_at(ex, (size_t)rq->sym);
    for (int i = 0; i < rq->nlegs; i++) {
        px[i] = rq->legs[i];
        px[i].pending = rq->kind != EX_LIST_OCO && i > 0;
        if (rq->legs[i].peg.type == EX_PEG_NONE) continue;
        ex_order_req t = px[i];
        if (ex_peg_prepare(ex, s, &t, &px[i], &out->err)) return -1;
    }
    return 0;
}

/* The per-leg requests as they will be placed (flags for lists); px: the
 * legs at their (pegged) prices, for the pair's one lock. */
static void leg_requests(const ex_list_req *rq, const ex_order_req *px, ex_order_req *legs, int64_t list_id)
{
    int p0 = first_pair_leg(rq->kind);
    for (int i = 0; i < rq->nlegs; i++) {
        legs[i] = rq->legs[i];
        legs[i].account = rq->account;
        legs[i].sym = rq->sym;
        legs[i].now_us = rq->now_us;
        legs[i].list_id = list_id;
        legs[i].pending = rq->kind != EX_LIST_OCO && i > 0;
    }
    if (has_pair(rq->kind)) {
        /* one lock for the pair, on its first leg (moved when the other goes live) */
        dec_t n0 = need_of(&px[p0]), n1 = need_of(&px[p0 + 1]);
        legs[p0].has_lock_as = legs[p0 + 1].has_lock_as = 1;
        legs[p0].lock_as = n0 > n1 ? n0 : n1;
        legs[p0 + 1].lock_as = 0;
        if (legs[p0].pending) legs[p0].has_lock_as = legs[p0 + 1].has_lock_as = 0;
    }
}

/* px: the legs at their (pegged) prices (priced_legs). */
static int validate(struct exchange *ex, const ex_list_req *rq, const ex_order_req *px, ex_order_req *legs,
                    ex_list_result *out)
{
    ex_symbol *s = ex_symbol_at(ex, (size_t)rq->sym);
    if (has_pair(rq->kind) && rq->kind == EX_LIST_OCO
        && !oco_prices_ok(s, &px[0], &px[1]))
        return fail_me(out, ERR_NEW_ORDER_REJECTED, ME_PRICE_RELATIONSHIP);
    if (has_pair(rq->kind) && rq->kind != EX_LIST_OCO) {
        const ex_order_req *a = &px[1], *b = &px[2];
        const ex_order_req *above = a->side == EX_BUY ? a : b, *below = a->side == EX_BUY ? b : a;
        dec_t hi = above->type == EX_LIMIT_MAKER ? above->price : above->stop_price;
        dec_t lo = below->type == EX_LIMIT_MAKER ? below->price : below->stop_price;
        if (lo >= hi) return fail_me(out, ERR_NEW_ORDER_REJECTED, ME_PRICE_RELATIONSHIP);
    }
    if (rq->client_id) {
        ex_list *dup = ex_list_find_locked(ex, rq->account, -1, rq->client_id);
        if (dup && !dup->done) return fail_me(out, ERR_NEW_ORDER_REJECTED, ME_DUPLICATE_ORDER);
    }
    for (int i = 0; i < rq->nlegs; i++)
        for (int k = 0; k < i; k++)
            if (legs[i].client_id && legs[k].client_id && !strcmp(legs[i].client_id, legs[k].client_id))
                return fail_me(out, ERR_NEW_ORDER_REJECTED, ME_DUPLICATE_ORDER);
    if (counts_ok(ex, rq, out)) return -1;
    for (int i = 0; i < rq->nlegs; i++) {
        ex_order_req t = legs[i];
        t.test_only = 1;
        ex_place_locked(ex, &t, &out->err);
        if (out->err.err != ERR_NONE) return -1;
    }
    return 0;
}

static ex_list *list_new(struct exchange *ex, const ex_list_req *rq)
{
    if (ex->nlists == ex->caplists) {
        size_t nc = ex->caplists ? ex->caplists * 2 : 16;
        ex_list **nv = realloc(ex->lists, nc * sizeof *nv);
        if (!nv) return NULL;
        ex->lists = nv;
        ex->caplists = nc;
    }
    ex_list *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->id = ex->next_list_id++;
    l->account = rq->account;
    l->sym = rq->sym;
    l->kind = rq->kind;
    l->time_us = rq->now_us;
    if (rq->client_id && *rq->client_id) snprintf(l->client_id, sizeof l->client_id, "%s", rq->client_id);
    else ex_client_id_gen(ex, l->client_id);
    ex->lists[ex->nlists++] = l;
    return l;
}

void ex_list_place_locked(struct exchange *ex, const ex_list_req *rq, ex_list_result *out)
{
    memset(out, 0, sizeof *out);
    ex_order_req legs[EX_LIST_MAX_LEGS], px[EX_LIST_MAX_LEGS];
    if (rq->nlegs < 2 || rq->nlegs > EX_LIST_MAX_LEGS) { out->err.err = ERR_UNKNOWN_ORDER_COMPOSITION; return; }
    ex_symbol *s = ex_symbol_at(ex, (size_t)rq->sym);
    if (!s || !ex_account_at(ex, rq->account)) { out->err.err = ERR_BAD_SYMBOL; return; }
    if (list_flags_ok(s, rq->kind, out) || priced_legs(ex, rq, px, out)) return;
    leg_requests(rq, px, legs, 0);
    if (validate(ex, rq, px, legs, out)) return;
    ex_list *l = list_new(ex, rq);
    if (!l) { out->err.err = ERR_UNKNOWN; return; }
    leg_requests(rq, px, legs, l->id);
    ex->engine_depth++;              /* contingencies wait until every leg exists */
    for (int i = 0; i < rq->nlegs; i++) {
        ex_place_locked(ex, &legs[i], &out->leg[i]);
        ex_order *o = out->leg[i].err == ERR_NONE
            ? ex_order_find_locked(ex, rq->account, rq->sym, out->leg[i].order.id, NULL) : NULL;
        if (o) l->legs[l->nlegs++] = o;
    }
    ex->engine_depth--;
    if (l->nlegs != rq->nlegs) {     /* cannot happen after validate; never leave half a list */
        for (int i = 0; i < l->nlegs; i++)
            if (l->legs[i]->status == EX_NEW || l->legs[i]->status == EX_PENDING_NEW)
                ex_cancel_order_locked(ex, l->legs[i], EX_CANCELED, rq->now_us);
        l->done = 1;
        out->err.err = ERR_UNKNOWN;
        return;
    }
    for (int i = 0; i < l->nlegs; i++) out->leg[i].order = *l->legs[i];
    out->list = *l;
    ex_emit_list_status(ex, l, rq->now_us);
    ex->lists_dirty = 1;
    ex_lists_settle(ex, rq->now_us);
}

void ex_list_cancel_locked(struct exchange *ex, int account, int sym, int64_t list_id,
                           const char *client_id, const char *cancel_client_id, int64_t now_us,
                           ex_list_result *out)
{
    memset(out, 0, sizeof *out);
    ex_list *l = ex_list_find_locked(ex, account, list_id, list_id >= 0 ? NULL : client_id);
    if (l && list_id >= 0 && client_id && strcmp(l->client_id, client_id)) l = NULL;
    if (!l || l->done || l->sym != sym) { fail_me(out, ERR_CANCEL_REJECTED, ME_UNKNOWN_ORDER); return; }
    ex->lists_settling = 1;          /* this cancel ends the list itself */
    for (int i = 0; i < l->nlegs; i++) {
        ex_order *o = l->legs[i];
        if (o->status != EX_NEW && o->status != EX_PARTIALLY_FILLED && o->status != EX_PENDING_NEW) continue;
        if (cancel_client_id) ex_cancel_order_as_locked(ex, o, cancel_client_id, now_us);
        else ex_cancel_order_locked(ex, o, EX_CANCELED, now_us);
    }
    l->done = 1;
    l->time_us = now_us;
    ex->lists_settling = 0;
    for (int i = 0; i < l->nlegs; i++) out->leg[i].order = *l->legs[i];
    out->list = *l;
    ex_emit_list_status(ex, l, now_us);
    ex_lists_settle(ex, now_us);
}
