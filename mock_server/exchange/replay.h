/* replay.h: replay of Binance's public market-data files (docs/replay.md).
 * replay_csv.c reads a directory of klines / trades / aggTrades CSV files into
 * one time-ordered print list per symbol; replay.c plays those prints into
 * the symbols' trade rings on the virtual clock and fills user orders by the
 * documented rule. Private to the exchange (ex_int.h includes it). */
#ifndef BC_EX_REPLAY_H
#define BC_EX_REPLAY_H
#include <stddef.h>
#include <stdint.h>
#include "dec.h"

#define EX_RP_LINE_MAX 512            /* longest accepted CSV line (bytes) */
#define EX_RP_MAX_FILES 4096

typedef enum ex_rp_kind { EX_RP_NONE = 0, EX_RP_KLINES, EX_RP_AGGTRADES, EX_RP_TRADES } ex_rp_kind;

typedef struct ex_rp_event {          /* one print to replay */
    int64_t t_us;                     /* the file's time, µs */
    int64_t id;                       /* file id (trade / aggTrade id, kline open time): dedup key */
    dec_t price, qty;
    int32_t sub;                      /* klines: which of the 4 derived prints */
    int32_t buyer_maker;
} ex_rp_event;

typedef struct ex_rp_sym {            /* the prints of one symbol */
    char name[64];
    ex_rp_kind kind;                  /* the source used (trades > aggTrades > klines) */
    int64_t kline_us;                 /* klines: interval length from the file name (0 = 1mo) */
    char kline_iv[8];
    ex_rp_event *ev;
    size_t n, cap;
    size_t cursor;                    /* next print to play */
    int sym;                          /* index in ex->syms */
    int quoted;                       /* the market maker's quotes are on the book */
    int dirty;                        /* printed since the last quote */
    dec_t mark;                       /* the last replayed price: the quotes' centre */
} ex_rp_sym;

typedef struct ex_replay {
    ex_rp_sym *syms;
    size_t nsyms;
    size_t nfiles;                    /* files read */
    int64_t origin_data_us;           /* the data's first whole minute */
    int64_t origin_play_us;           /* where it plays on the virtual clock */
    int64_t speed_milli;              /* 1000 = real time */
    int64_t history_us;               /* data already played at start */
    int64_t start_us;                 /* --replay-start-ms (0 = the first whole minute at or after start) */
    int fill_touch;                   /* 1: fill at a print at the limit price; 0: only through it */
} ex_replay;

typedef struct ex_replay_opts {
    const char *dir;                  /* NULL = no replay */
    int64_t speed_milli;              /* 0 = 1000 */
    int64_t history_ms;
    int64_t start_ms;
    int fill_touch;
    size_t max_events;                /* 0 = EX_RP_DEFAULT_MAX */
} ex_replay_opts;
#define EX_RP_DEFAULT_MAX 5000000u   /* ~40 B a print here + ~80 B in the trade ring */

/* replay_csv.c: a file name as Binance publishes it -> symbol, kind, interval.
 * 0 if recognised. */
int ex_rp_name_parse(const char *file, char *sym, size_t symlen, ex_rp_kind *kind, char *iv, size_t ivlen);
/* Read every recognised file of dir. 0 ok; -1 with err naming file and line. */
int ex_rp_load(ex_replay *rp, const char *dir, size_t max_events, char *err, size_t errlen);
void ex_rp_free(ex_replay *rp);
#endif
