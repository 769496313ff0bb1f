/* ex_int: private state of the exchange shared by its modules (lifecycle,
 * symbols, accounts, book, engine, simulator, events). Not for handlers. */
#ifndef BC_EX_INT_H
#define BC_EX_INT_H
#include <pthread.h>
#include "exchange_api.h"
#include "orderlist.h"
#include "replay.h"

#define EX_MM_ACCOUNT 0              /* the simulator's market-maker account */
#define EX_MM_NAME "__market_maker"
#define EX_RING_CAP 65536           /* trades kept per symbol (historicalTrades, avgPrice) */
#define EX_RING_MIN 2048            /* the ring starts this big and doubles up to EX_RING_CAP */
#define EX_SIM_STEP_US 1000000LL     /* one simulator step per virtual second */
#define EX_SIM_MAX_STEPS 300         /* a jump up to this many steps runs live ... */
#define EX_SIM_LIVE_TAIL 60          /* ... a longer one draws candles, then this many live (sim.c) */

struct exchange {
    pthread_mutex_t mu;
    uint64_t seed;
    int64_t start_us, now_us, sim_us;
    uint64_t rng, id_rng;
    double gauss_spare;              /* synth.c: ex_gauss's second normal */
    int has_gauss_spare;
    char *symbols_json;              /* the config text (for reset) */
    ex_symbol *syms;
    size_t nsyms;
    char (*assets)[48];
    size_t nassets;
    ex_account *accts;
    int naccts, capaccts;
    ex_balance *fees;                /* collected commissions per asset */
    size_t nfees, capfees;
    int64_t next_order_id, next_seq;
    int64_t next_exec_id;            /* executionReport "I": one per event, exchange-wide */
    int64_t next_alloc_id;           /* SOR allocationId, exchange-wide from 0 (records.c) */
    cJSON *sors;                     /* exchangeInfo "sors" of the symbols config, or NULL (sor.c) */
    exchange_listener listener;
    void *listener_ud;
    ex_list **lists;                 /* every order list, oldest first (orderlist.c) */
    size_t nlists, caplists;
    int64_t next_list_id;
    int max_num_order_lists;         /* EXCHANGE_MAX_NUM_ORDER_LISTS (0 = none) */
    int xmax_orders, xmax_algo, xmax_iceberg; /* EXCHANGE_MAX_NUM_ORDERS / _ALGO_ / _ICEBERG_ */
    int engine_depth;                /* >0 while an order is being placed / matched */
    int lists_settling, lists_dirty; /* list contingencies run after the engine returns */
    int64_t retention_us;            /* closed orders archived this long after closing (0 = never) */
    int archive_filled;              /* archive orders with fills too */
    ex_replay *replay;               /* --replay data (replay.c), NULL = none */
};

/* Per-account order indexes (oindex.c) and archive memory (history.c). */
typedef struct ex_oidx {
    ex_order **open;                 /* open orders by client_id: linear probing, cap = 2^k */
    size_t cap, n;
    size_t nsyms;
    int *cnt;                        /* per symbol [4*sym]: open orders, +1 of them untriggered
                                      * stops, +2 PENDING_NEW order-list legs, +3 of them algo types */
    int64_t *arch_max_id;            /* per symbol: highest archived orderId */
    uint64_t *arch_cids;             /* hashes of archived (symbol, clientOrderId) */
    int64_t sweep_due_us;            /* next history sweep: virtual time ... */
    size_t sweep_at_n;               /* ... or history length */
} ex_oidx;

/* symbols.c */
int ex_symbols_load(struct exchange *ex, const char *json, char *err, size_t errlen);
void ex_symbols_free(struct exchange *ex);
const char *ex_symbols_default_json(void);
/* accounts.c */
ex_balance *ex_balance_get(ex_account *a, const char *asset);     /* create if missing */
int ex_account_set_balances(ex_account *a, const cJSON *balances);
void ex_accounts_free(struct exchange *ex);
void ex_accounts_reset(struct exchange *ex);
int ex_account_add_locked(struct exchange *ex, const char *name, const cJSON *balances);
void ex_fee_add(struct exchange *ex, const char *asset, dec_t amount);
int ex_account_push_order(ex_account *a, ex_order *o);
int ex_account_push_trade(ex_account *a, const ex_mytrade *t);
/* oindex.c: book.c reports every order that starts / stops resting; the
 * engine every PENDING_NEW order-list leg that appears / goes live or ends */
ex_oidx *ex_oidx_get(struct exchange *ex, ex_account *a);        /* create if missing */
void ex_oidx_free(ex_account *a);
void ex_oidx_open(struct exchange *ex, ex_order *o);
void ex_oidx_close(struct exchange *ex, ex_order *o);
void ex_oidx_pending(struct exchange *ex, const ex_order *o, int delta);
ex_order *ex_oidx_open_by_cid(ex_account *a, const char *cid);  /* the open order with this id */
/* history.c */
void ex_history_maybe_sweep(struct exchange *ex, ex_account *a);
/* book.c */
int ex_book_insert(struct exchange *ex, ex_symbol *s, ex_order *o);
void ex_book_remove(struct exchange *ex, ex_symbol *s, ex_order *o);
void ex_book_free(ex_book *b);
void ex_book_touch(ex_symbol *s, const ex_order *o);
int ex_stops_add(struct exchange *ex, ex_symbol *s, ex_order *o);
void ex_stops_remove(struct exchange *ex, ex_symbol *s, ex_order *o);
void ex_ring_push(ex_symbol *s, const ex_trade *t);
/* market.c: trade abs (the oldest of the ring) is being overwritten */
void ex_avg_evict(ex_symbol *s, const ex_trade *t, uint64_t abs);
/* engine.c */
void ex_place_locked(struct exchange *ex, const ex_order_req *rq, ex_result *out);
void ex_cancel_order_locked(struct exchange *ex, ex_order *o, ex_status st, int64_t now_us);
/* Cancel o as the request cancel_client_id (CANCELED event c/C). */
void ex_cancel_order_as_locked(struct exchange *ex, ex_order *o, const char *cancel_client_id, int64_t now_us);
/* A PENDING_NEW list leg goes live like a new order: re-validated (filters,
 * trigger, LIMIT_MAKER, balance), lock_as locked when has_lock_as, NEW event,
 * book/stops/matching. 0 ok; -1 rejected (out->err set, the order untouched). */
int ex_order_activate_locked(struct exchange *ex, ex_order *o, int has_lock_as, dec_t lock_as,
                             int64_t now_us, ex_result *out);
/* orderlist.c: the engine's hooks. A list leg is about to trade or its stop
 * triggered (OCO: the other leg expires now, its lock moves to this one); a
 * list leg reached a final state (the list is settled later); settle runs the
 * contingencies once the engine is back at depth 0. */
void ex_list_leg_working(struct exchange *ex, ex_order *o, int64_t now_us);
void ex_list_leg_ended(struct exchange *ex, const ex_order *o);
void ex_lists_settle(struct exchange *ex, int64_t now_us);
void ex_lists_free(struct exchange *ex);
/* listStatus user-data event of a list (orderlist.c); _as with the list
 * status type l given (amend: "UPDATED"). */
void ex_emit_list_status(struct exchange *ex, const ex_list *l, int64_t now_us);
void ex_emit_list_status_as(struct exchange *ex, const ex_list *l, const char *type, int64_t now_us);
/* trailing.c: trailing stops (faqs/trailing-stop-faq.md) */
/* TRAILING_DELTA filter and symbol permission: 0 ok, -1 out->err set. */
int ex_trail_check(const ex_symbol *s, const ex_order_req *rq, ex_result *out);
/* A trailing order starts waiting: tracking begins now unless a stopPrice must be met first. */
void ex_trail_start(ex_symbol *s, ex_order *o, int64_t now_us);
/* Every print moves the water marks of the symbol's trailing stops (and may fire them). */
void ex_trail_print(ex_symbol *s, dec_t price, int64_t now_us);
/* The price a trailing BUY without stopPrice locks for (last price + delta). */
dec_t ex_trail_lock_price(const ex_symbol *s, const ex_order_req *rq);
/* 1 if the stop o triggers at last price `last` (trailing or plain stopPrice rule). */
int ex_stop_triggered(const ex_order *o, dec_t last);
/* sor.c: the engine's hooks for SOR orders and self-trade prevention.
 * A taker fill of an SOR order becomes an allocation (f gets its id; the
 * account's myTrades does not list it); a prevented match is recorded for
 * myPreventedMatches. */
void ex_sor_allocate(struct exchange *ex, const ex_order *t, ex_fill *f, int64_t now_us);
void ex_sor_prevented(struct exchange *ex, const ex_order *t, const ex_order *m, int64_t pid, dec_t price,
                      dec_t maker_qty, int64_t now_us);
/* "sors" of the symbols config: each {baseAsset, symbols[]} naming known
 * symbols of that base asset; 0 ok, -1 with err set. */
int ex_sors_load(struct exchange *ex, const cJSON *root, char *err, size_t errlen);
/* peg.c: the peg rules of a new pegged order and its price: *pq = *rq
 * priced from the book (stop-limit orders: later); 0 ok, -1 rejected (out
 * set). ex_peg_trigger prices a triggered pegged stop-limit order and moves
 * its lock to match; -1 if the book or the balance cannot (it expires). */
int ex_peg_prepare(struct exchange *ex, const ex_symbol *s, const ex_order_req *rq, ex_order_req *pq,
                   ex_result *out);
int ex_peg_trigger(struct exchange *ex, ex_symbol *s, ex_order *o);
/* A pegged pending LIMIT / LIMIT_MAKER list leg going live: its price from
 * the book now; -1 if the book has none (the leg is rejected). Other
 * orders: nothing to do, 0. */
int ex_peg_enter(const ex_symbol *s, ex_order *o);
dec_t ex_peg_book_price(const ex_symbol *s, ex_side side, const ex_peg *p);
/* assetfilter.c: the MAX_ASSET filters of the ordering account: 1 ok, 0 failed. */
int ex_max_asset_ok(struct exchange *ex, const ex_symbol *s, const ex_order_req *rq);
/* sim.c */
uint64_t ex_rand(uint64_t *state);
void ex_sim_init(struct exchange *ex);
void ex_sim_run(struct exchange *ex, int64_t now_us);
/* synth.c */
double ex_gauss(struct exchange *ex);              /* standard normal from ex->rng */
int64_t ex_count(struct exchange *ex, double lam); /* Poisson count with mean lam */
/* History ending at at_us at end_price; trade ids from s->next_trade_id. */
int ex_synth_history(struct exchange *ex, ex_symbol *s, int64_t at_us, dec_t end_price);
#define EX_SYNTH_MAX_MINUTES 10080   /* a jump drawing more minutes than this redraws the history */
/* Whole minutes from the 1m tier's end up to upto_us, drawn as candles. */
void ex_synth_minutes(struct exchange *ex, ex_symbol *s, int64_t upto_us);
/* replay.c: load at creation; apply after each symbols load (start, reset),
 * before ex_sim_init; prime after it; run on every clock advance. */
int ex_replay_load(struct exchange *ex, const ex_replay_opts *o, char *err, size_t errlen);
int ex_replay_apply(struct exchange *ex, char *err, size_t errlen);
void ex_replay_prime(struct exchange *ex);
void ex_replay_run(struct exchange *ex, int64_t now_us);
void ex_replay_free(struct exchange *ex);
/* events.c */
/* What one executionReport says beyond the order's own state. */
typedef struct ex_exec {
    const char *type;                /* x: NEW, TRADE, CANCELED, EXPIRED, TRADE_PREVENTION, REJECTED */
    const ex_fill *fill;             /* TRADE: the fill (l, L, n, N, Y) */
    int64_t trade_id;                /* t, -1 if none */
    int is_maker;                    /* m */
    const char *reject;              /* r (NULL = "NONE") */
    const char *cancel_client_id;    /* CANCELED by a request: c = this, C = the order's id */
    const char *orig_client_id;      /* REPLACED (amend): C = this, c = the order's (new) id */
    int stp;                         /* TRADE_PREVENTION: the STP fields below */
    int64_t prevented_id, counter_id;/* v, U */
    dec_t last_prevented;            /* B: what this prevented match expired of this order */
    dec_t match_qty, match_price;    /* pl, pL (pY = pl * pL) */
} ex_exec;
void ex_emit_exec(struct exchange *ex, const ex_order *o, const ex_exec *x, int64_t now_us);
void ex_emit_execution(struct exchange *ex, const ex_order *o, const char *exec_type,
                       const ex_fill *f, int64_t trade_id, int is_maker, int64_t now_us);
/* outboundAccountPosition with the assets of s (all assets when s is NULL). */
void ex_emit_account(struct exchange *ex, int account, const ex_symbol *s, int64_t now_us);
/* outboundAccountPosition with these assets (a deposit or withdrawal). */
void ex_emit_account_assets(struct exchange *ex, int account, const char *const *assets, size_t n, int64_t now_us);
void ex_emit_balance_update(struct exchange *ex, int account, const char *asset, dec_t delta, int64_t now_us);
void ex_emit_trade(struct exchange *ex, const ex_symbol *s, const ex_trade *t);
void ex_emit_depth(struct exchange *ex, ex_symbol *s, int64_t first_id, int64_t now_us);
#endif
