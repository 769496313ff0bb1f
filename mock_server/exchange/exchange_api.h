/* exchange_api: what the endpoint handlers use - the data model (symbols and
 * filters, accounts and balances, orders, trades) and the trading / market
 * data operations. Read access to the structures is only valid between
 * exchange_lock() and exchange_unlock(); the operations below take the lock
 * themselves unless their name ends in _locked. Times are µs. */
#ifndef BC_EXCHANGE_API_H
#define BC_EXCHANGE_API_H
#include "exchange.h"
#include "dec.h"
#include "errors.h"

typedef enum ex_side { EX_BUY = 0, EX_SELL = 1 } ex_side;
typedef enum ex_type {
    EX_LIMIT = 0, EX_MARKET, EX_STOP_LOSS, EX_STOP_LOSS_LIMIT, EX_TAKE_PROFIT,
    EX_TAKE_PROFIT_LIMIT, EX_LIMIT_MAKER, EX_TYPE__N
} ex_type;
typedef enum ex_tif { EX_TIF_NONE = 0, EX_GTC, EX_IOC, EX_FOK } ex_tif;
typedef enum ex_status {
    EX_NEW = 0, EX_PARTIALLY_FILLED, EX_FILLED, EX_CANCELED, EX_EXPIRED,
    EX_EXPIRED_IN_MATCH, EX_REJECTED, EX_PENDING_NEW
} ex_status;
typedef enum ex_stp {
    EX_STP_NONE = 0, EX_STP_EXPIRE_TAKER, EX_STP_EXPIRE_MAKER, EX_STP_EXPIRE_BOTH,
    EX_STP_DECREMENT, EX_STP__N
} ex_stp;
typedef enum ex_resp { EX_RESP_ACK = 0, EX_RESP_RESULT, EX_RESP_FULL } ex_resp;

const char *ex_side_name(int v);
const char *ex_type_name(int v);
const char *ex_tif_name(int v);
const char *ex_status_name(int v);
const char *ex_stp_name(int v);
const char *ex_resp_name(int v);
/* name -> enum value, or -1 (exact, case-sensitive). */
int ex_side_parse(const char *s);
int ex_type_parse(const char *s);
int ex_tif_parse(const char *s);
int ex_stp_parse(const char *s);
int ex_resp_parse(const char *s);
int ex_status_parse(const char *s);

typedef struct ex_filters {
    dec_t min_price, max_price, tick;                  /* PRICE_FILTER */
    dec_t min_qty, max_qty, step;                      /* LOT_SIZE */
    dec_t mkt_min_qty, mkt_max_qty, mkt_step;          /* MARKET_LOT_SIZE */
    dec_t min_notional, max_notional;                  /* NOTIONAL */
    int apply_min_to_market, apply_max_to_market, notional_avg_mins;
    dec_t bid_up, bid_down, ask_up, ask_down;          /* PERCENT_PRICE_BY_SIDE */
    int pp_avg_mins;
    int iceberg_parts;                                 /* ICEBERG_PARTS */
    int max_num_orders, max_num_algo_orders;           /* MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS */
    int max_num_order_lists;                           /* MAX_NUM_ORDER_LISTS */
    int64_t trail_min_above, trail_max_above, trail_min_below, trail_max_below; /* TRAILING_DELTA */
    int has_min_notional_legacy;                       /* render MIN_NOTIONAL instead of NOTIONAL */
    dec_t pct_up, pct_down; int pct_avg_mins;          /* PERCENT_PRICE (pct_up 0: none) */
    int max_num_iceberg_orders;                        /* MAX_NUM_ICEBERG_ORDERS */
    dec_t max_position;                                /* MAX_POSITION (0: none) */
    int max_num_order_amends;                          /* MAX_NUM_ORDER_AMENDS (0: none) */
} ex_filters;

/* The exchange filters of the symbols config's "exchangeFilters" (0 = none). */
typedef struct ex_xfilters { int max_orders, max_algo, max_iceberg, max_lists; } ex_xfilters;
void ex_exchange_filters(struct exchange *ex, ex_xfilters *out);

/* Peg instructions of a pegged order (faqs/pegged_orders.md; peg.c). */
typedef enum ex_peg_type { EX_PEG_NONE = 0, EX_PEG_PRIMARY, EX_PEG_MARKET } ex_peg_type;
typedef struct ex_peg {
    ex_peg_type type;
    int has_offset;           /* pegOffsetType PRICE_LEVEL + pegOffsetValue sent */
    int offset;               /* price levels deeper than the best (0..100) */
    int priced;               /* peggedPrice determined (limit orders: on entry; stop-limit: on trigger) */
    dec_t user_price;         /* the price the request sent (0 if none): "price" of responses */
} ex_peg;
const char *ex_peg_name(int v);           /* PRIMARY_PEG / MARKET_PEG */
int ex_peg_parse(const char *s);          /* -> ex_peg_type, or -1 */

typedef struct ex_order {
    int64_t id;
    int account, sym;
    char client_id[40];
    ex_side side;
    ex_type type;
    ex_tif tif;
    ex_status status;
    ex_stp stp;
    dec_t price, qty, stop_price, quote_qty, iceberg;
    dec_t executed, cum_quote;
    dec_t locked;             /* still locked for this order (asset: quote if BUY else base) */
    dec_t ice_visible;        /* iceberg: what is left of the displayed slice */
    int64_t time_us, update_us, working_us;
    int is_working;           /* 0 while a stop order waits for its trigger */
    int64_t strategy_id, strategy_type;
    int has_strategy_id, has_strategy_type;
    int64_t seq;              /* book priority */
    int64_t prevented_match_id;
    dec_t prevented_qty;
    int in_book;
    char cancel_client_id[40];/* the cancel request's clientOrderId once CANCELED */
    int64_t list_id;          /* orderListId, -1 if the order is in no order list */
    const char *expiry_reason;/* static enums.md expiryReason set by the list logic, or NULL */
    /* trailing stops (trailing.c): trailingDelta in BIPS (0: not trailing);
     * trailingTime = when tracking began (-1: not yet); the high (SELL) or
     * low (BUY) water mark; 1 once the trail fired (the stop triggers). */
    int64_t trailing_delta, trailing_time_us;
    dec_t trail_mark;
    int trail_fired;
    int amend_count;          /* order amend keepPriority: amendments so far (amend.c) */
    int sor;                  /* placed with POST sor/order: its taker fills are SOR allocations */
    ex_peg peg;               /* pegged order (peg.c): price holds the pegged price once peg.priced */
} ex_order;

typedef struct ex_trade {      /* one print in a symbol's history ring */
    int64_t id, agg_id, time_us;
    dec_t price, qty;
    int buyer_maker;
    int64_t buy_order, sell_order;
} ex_trade;

/* One closed candle of the candle store (candles.c): trades first_id ..
 * first_id + n - 1 (ids are contiguous; first_id is the next id when n = 0). */
typedef struct ex_bar {
    int64_t first_id, n;
    dec_t o, h, l, c, vol, qvol, tbv, tbq;
} ex_bar;
#define EX_NTIERS 4                /* candle tiers: 1m, 5m, 1h, 1d */
typedef struct ex_tier {           /* a bounded ring of consecutive bars */
    int64_t gran_us, start_us;     /* bar length; open time of the oldest bar */
    ex_bar *v;
    size_t n, cap, head;
} ex_tier;

typedef struct ex_mytrade {    /* one fill seen by one account */
    int64_t id, order_id, time_us;
    int sym;
    dec_t price, qty, quote, commission;
    int comm_asset_is_base;
    int is_buyer, is_maker;
    int64_t list_id;          /* the order's orderListId (-1: none) */
} ex_mytrade;

typedef struct ex_book {
    ex_order **v;             /* priority order: bids price desc, asks price asc; then seq */
    size_t n, cap;
} ex_book;

typedef struct ex_symbol {
    char name[64], base[48], quote[48], status[16];
    char bad_filter[64];      /* load error: the unknown filterType */
    int base_prec, quote_prec, base_comm_prec, quote_comm_prec;
    unsigned order_types;     /* bit per ex_type */
    int iceberg_allowed, oco_allowed, oto_allowed, opo_allowed, quote_market_allowed,
        trailing_allowed, cancel_replace_allowed, amend_allowed, peg_allowed,
        spot_allowed, margin_allowed;
    ex_stp default_stp;
    unsigned allowed_stp;     /* bit per ex_stp */
    char permission_sets[128];/* JSON text, e.g. [["SPOT","MARGIN"]] */
    ex_filters f;
    dec_t sim_price, sim_qty;      /* "sim": start price, quantity per book level */
    int sim_levels;                /* book levels per side (0: no simulator) */
    dec_t sim_trade_qty;           /* mean taker trade size */
    int sim_tpm;                   /* trades per minute */
    int sim_spread_ticks;          /* best ask - best bid, in ticks */
    double sim_vol_daily;          /* standard deviation of the daily log return */
    double sim_gap_bp;             /* distance between book levels, basis points of the price */
    int replayed;                  /* 1: the market comes from --replay: no synthetic
                                    * history, no simulator steps, no gap synthesis */
    /* state */
    ex_book bids, asks;
    ex_order **stops;         /* untriggered stop orders */
    size_t nstops, capstops;
    ex_trade *ring;
    size_t ring_cap, ring_n, ring_head; /* head = index of the oldest */
    uint64_t ring_pushed;     /* trades ever pushed = absolute index of the next one */
    ex_tier tiers[EX_NTIERS]; /* closed candles (candles.c) */
    struct ex_avg_win {       /* avgPrice sums over [lo, hi) (absolute indexes), kept incrementally */
        int mins;             /* 0 = unused slot */
        uint64_t lo, hi;
        __int128 q, v;
    } avg_win[4];
    int64_t next_trade_id, next_agg_id, update_id, next_prevented_id;
    dec_t last_price, mid;
    int64_t last_agg_taker;   /* taker order of the newest aggTrade */
    dec_t last_agg_price;
    dec_t touched[2][64];     /* price levels changed since the last depthUpdate (bid, ask) */
    int ntouched[2];
} ex_symbol;

typedef struct ex_balance { char asset[48]; dec_t free, locked; } ex_balance;

struct ex_oidx;
typedef struct ex_account {
    char name[64];
    ex_balance *bal;
    size_t nbal, capbal;
    cJSON *initial;           /* balances as last set, for reset */
    dec_t maker_rate, taker_rate;
    ex_order **orders;        /* every order of the account, oldest first */
    size_t norders, caporders;
    ex_mytrade *trades;
    size_t ntrades, captrades;
    int64_t update_us;
    int64_t orders_placed;    /* lifetime count (order-rate bookkeeping) */
    char listen_key[65];      /* legacy userDataStream key, "" if none */
    struct ex_oidx *idx;      /* open orders by clientOrderId, open counts, archive memory */
    struct ex_amend *amends;  /* order amendments, oldest first (amend.c) */
    size_t namends, capamends;
    struct ex_records *rec;   /* prevented matches and SOR allocations (records.c) */
    cJSON *asset_filters;     /* MAX_ASSET filters of the account config, or NULL (assetfilter.c) */
} ex_account;

/* ---- locking and read access ---- */
void exchange_lock(struct exchange *ex);
void exchange_unlock(struct exchange *ex);
size_t ex_symbol_count(struct exchange *ex);
ex_symbol *ex_symbol_at(struct exchange *ex, size_t i);
ex_symbol *ex_symbol_find(struct exchange *ex, const char *name);   /* exact name */
int ex_symbol_index(struct exchange *ex, const ex_symbol *s);
ex_account *ex_account_at(struct exchange *ex, int id);             /* NULL if bad id */
int ex_account_count(struct exchange *ex);                          /* ids are 0..count-1 */
/* Balance row of an asset (NULL if the account never had it). */
ex_balance *ex_balance_find(ex_account *a, const char *asset);
/* Every asset the exchange knows (symbols' base and quote assets), in first-seen order. */
size_t ex_asset_count(struct exchange *ex);
const char *ex_asset_at(struct exchange *ex, size_t i);
int64_t ex_now_us(struct exchange *ex);
/* Trades of the ring, i = 0 oldest. */
const ex_trade *ex_trade_at(const ex_symbol *s, size_t i);
/* Average price over the last `mins` minutes of trades (0 if none) - avgPrice. */
dec_t ex_avg_price_locked(struct exchange *ex, ex_symbol *s, int mins, int64_t *close_us);
/* Remaining quantity of an order; the part a booked order displays (iceberg slice). */
dec_t ex_order_remaining(const ex_order *o);
dec_t ex_order_visible(const ex_order *o);
/* An order of the account in memory by orderId (order_id >= 0) or by
 * clientOrderId (the open one, else the newest); NULL if none. Archived orders
 * may still be found until a sweep frees them: check ex_order_is_archived. */
ex_order *ex_order_find_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                               const char *client_id);
ex_order *ex_order_by_id(ex_account *a, int64_t id);               /* binary search */
/* 1 if o is closed and past the retention window (answers -2026, listed nowhere). */
int ex_order_is_archived(const struct exchange *ex, const ex_order *o);
/* 1 if an order of a with this id (order_id >= 0) or clientOrderId on sym was
 * archived and freed (a lookup that found nothing then answers -2026). */
int ex_history_was_archived(ex_account *a, int sym, int64_t order_id, const char *cid);
/* Open orders of an account (sym < 0: every symbol) in orderId order; *out
 * is malloc'd (NULL when none). */
size_t ex_open_orders_locked(struct exchange *ex, int account, int sym, ex_order ***out);

/* ---- trading ---- */
typedef struct ex_order_req {
    int account, sym;
    ex_side side;
    ex_type type;
    ex_tif tif;               /* EX_TIF_NONE if not sent */
    dec_t price, qty, quote_qty, stop_price, iceberg;   /* 0 = not sent */
    int has_price, has_qty, has_quote_qty, has_stop, has_iceberg;
    const char *client_id;    /* NULL = generate */
    ex_stp stp;               /* -1 = symbol default */
    int64_t strategy_id, strategy_type;
    int has_strategy_id, has_strategy_type;
    int64_t now_us;
    int test_only;            /* order/test: validate only */
    /* order lists (orderlist.c): list_id > 0 puts the order in that list;
     * pending: create it PENDING_NEW (validated, nothing locked, not on the
     * book); has_lock_as: lock lock_as instead of the order's own need (an
     * OCO pair shares one lock; 0 skips the balance check). */
    int64_t list_id;
    int pending, has_lock_as;
    dec_t lock_as;
    int64_t trailing_delta;   /* trailingDelta (BIPS), 0 = not sent */
    int unfiltered;           /* replay's market maker (replay.c): no filter checks */
    int sor;                  /* sor/order: the taker fills become allocations (records.c) */
    ex_peg peg;               /* pegged order: peg.type != EX_PEG_NONE (price optional) */
} ex_order_req;

typedef struct ex_fill {
    dec_t price, qty, commission;
    int comm_is_base;
    int64_t trade_id;
    int has_alloc;            /* an SOR allocation (matchType ONE_PARTY_TRADE_REPORT, tradeId -1) */
    int64_t alloc_id;
} ex_fill;

typedef struct ex_result {
    err_id err;               /* ERR_NONE on success */
    me_msg me;                /* for -2010/-2011 rejections */
    int has_me;
    const char *filter;       /* for ERR_FILTER_FAILURE */
    const char *bad_param;    /* for -1102/-1111-like rejections */
    ex_order order;           /* snapshot after the operation */
    ex_fill *fills;           /* owned, free with ex_result_free */
    size_t nfills;
} ex_result;

void ex_result_free(ex_result *r);
/* Validate and place an order (matching included). */
void ex_order_place(struct exchange *ex, const ex_order_req *rq, ex_result *out);
typedef enum ex_cancel_restr { EX_CR_NONE = 0, EX_CR_ONLY_NEW, EX_CR_ONLY_PARTIALLY_FILLED } ex_cancel_restr;
/* Cancel by id or client id (one of them). err: ERR_CANCEL_REJECTED + ME_UNKNOWN_ORDER,
 * ERR_CLIENT_ORDER_ID_INVALID... */
void ex_order_cancel(struct exchange *ex, int account, int sym, int64_t order_id,
                     const char *client_id, ex_cancel_restr restr, int64_t now_us,
                     ex_result *out);
/* The same with the cancel request's own clientOrderId (newClientOrderId of
 * DELETE order / cancelNewClientOrderId; NULL = generate): the CANCELED
 * event carries it in "c" and the original id in "C", and the snapshot in
 * cancel_client_id. */
void ex_order_cancel_as_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                               const char *client_id, ex_cancel_restr restr, const char *cancel_client_id,
                               int64_t now_us, ex_result *out);
/* A cancelReplace whose new order failed after the cancel succeeded: the
 * executionReport x=REJECTED of that order (enums.md "Execution types"). */
void ex_order_reject_event_locked(struct exchange *ex, const ex_order_req *rq, const ex_result *r);
/* expiryReason / eR of an order (enums.md), or NULL when it did not expire. */
const char *ex_order_expiry_reason(const ex_order *o);
/* Cancel all open orders of account on sym: snapshots into *out (malloc'd). */
size_t ex_order_cancel_all(struct exchange *ex, int account, int sym, int64_t now_us,
                           ex_order **out);
/* The same three with the lock already held (handlers that read and trade
 * under one lock). */
void ex_order_place_locked(struct exchange *ex, const ex_order_req *rq, ex_result *out);
void ex_order_cancel_locked(struct exchange *ex, int account, int sym, int64_t order_id,
                            const char *client_id, ex_cancel_restr restr, int64_t now_us,
                            ex_result *out);
size_t ex_order_cancel_all_locked(struct exchange *ex, int account, int sym, int64_t now_us,
                                  ex_order **out);
/* Open orders of an account in this symbol (sym < 0: every symbol), for the
 * MAX_NUM_* filters; kind EX_COUNT_ALL, EX_COUNT_ALGO or EX_COUNT_ICEBERG. */
enum { EX_COUNT_ALL = 0, EX_COUNT_ALGO = 1, EX_COUNT_ICEBERG = 2 };
size_t ex_open_order_count_locked(struct exchange *ex, int account, int sym, int kind);
/* Base-asset position for MAX_POSITION: free + locked + open BUY quantity. */
dec_t ex_position_locked(struct exchange *ex, int account, int sym);
/* Total supply of an asset over all accounts (free+locked) plus collected fees
 * plus the SOR liquidity account's balance. */
dec_t ex_asset_supply(struct exchange *ex, const char *asset);
/* ---- order amend keepPriority (amend.c) ---- */
typedef struct ex_amend {     /* one amendment, as GET order/amendments lists it */
    int sym;
    int64_t order_id, exec_id, time_us;
    char orig_cid[40], new_cid[40];
    dec_t orig_qty, new_qty;
} ex_amend;
typedef struct ex_amend_req {
    int account, sym;
    int64_t order_id;         /* -1: by orig_client_id */
    const char *orig_client_id, *new_client_id;   /* NULL: absent / generate */
    dec_t new_qty;
    int64_t now_us;
} ex_amend_req;
/* Reduce an open order's quantity in place (keeps its book priority).
 * out->order is the amended order; *exec_id the REPLACED event's "I";
 * *list_id the order's list (-1: none). err: ERR_ORDER_AMEND_REJECTED +
 * me, ERR_FILTER_FAILURE (LOT_SIZE, NOTIONAL), ERR_CLIENT_ORDER_ID_INVALID. */
void ex_order_amend_locked(struct exchange *ex, const ex_amend_req *rq, ex_result *out, int64_t *exec_id);
/* myFilters' assetFilters: the account's MAX_ASSET filters on s's base or
 * quote asset (a new array). */
cJSON *ex_asset_filters_json_locked(struct exchange *ex, int account, const ex_symbol *s);
/* exchangeInfo "sors" (NULL: no SOR configured); 1 if symbol s is in one (sor.c). */
const cJSON *ex_sors(struct exchange *ex);
int ex_sor_symbol(struct exchange *ex, const ex_symbol *s);
/* The SOR liquidity account (sor_route.c, docs/sor.md), lock held: its
 * balance of an asset (0 if it never held it; may be negative) and how many
 * SOR fills came from another book than the order's own. */
dec_t ex_sor_ledger_balance(struct exchange *ex, const char *asset);
int64_t ex_sor_cross_fills(struct exchange *ex);
/* Generate a clientOrderId like Binance's (22 chars). */
void ex_client_id_gen(struct exchange *ex, char out[40]);
#endif
