/* ws_int: the hub's private structures, shared by ws_hub.c (lifecycle,
 * civetweb callbacks, ticker), ws_send.c (writes, queues, writer threads),
 * ws_admin.c, ws_api.c / ws_auth.c / ws_session.c (WebSocket API),
 * ws_stream.c / ws_poll.c (streams). Lock order: exchange lock -> hub->mu ->
 * conn->mu; a conn->mu holder never takes hub->mu. Socket writes happen only
 * under conn->mu: from the connection's own worker thread (replies) or its
 * writer thread (everything queued), never under hub->mu or the exchange
 * lock. */
#ifndef BC_WS_INT_H
#define BC_WS_INT_H
#include <pthread.h>
#include <stdint.h>
#include <civetweb.h>
#include <cjson/cJSON.h>
#include "ws.h"
#include "buf.h"

#define WS_MAX_SUBS 8          /* user data subscriptions per connection */
#define WS_KEY_MAX 128         /* longest API key kept */

#define WS_MAX_FRAME (1u << 20)  /* longest request frame accepted, bytes */
#define WS_QUEUE_MAX (8u << 20)  /* bytes queued per connection before it is closed */
#define WS_RATE_MAX 64           /* incoming messages remembered for the per-second limit */

typedef struct ws_msg {          /* one queued outgoing frame */
    struct ws_msg *next;
    int op;
    size_t n;
    char data[];
} ws_msg;

typedef enum ws_kind { WS_KIND_API = 0, WS_KIND_STREAM = 1 } ws_kind;

typedef struct ws_sub {
    int id;                    /* subscriptionId */
    int account_id;
    int via_logon;             /* made by userDataStream.subscribe (closed by logout) */
} ws_sub;

typedef struct ws_conn {
    struct ws_hub *hub;
    struct mg_connection *mc;  /* valid while !dead; writes under mu */
    pthread_mutex_t mu;
    int dead;
    uint64_t id;
    ws_kind kind;
    char path[256];
    char ip[64];
    int64_t connected_us;      /* virtual time of the upgrade request, stamped before the 101 */
    /* Timers (hub->mu) on the forward-only clock (srv_mono_us): a backwards
     * jump of the virtual clock neither fires nor stalls them. */
    int64_t connected_mono_us; /* the lifetime limit counts from here */
    int64_t last_ping_mono_us; /* last server ping (or the connect) */
    int64_t ping_out_mono_us;  /* the outstanding ping, when ping_out */
    int ping_out;              /* a server ping awaits its pong */
    int over_limit;            /* refused at ready time (-1034) */
    int pending;               /* counted in hub->npending until linked or closed */
    int closing;               /* a close frame is queued (hub->mu) */
    int64_t rx_times[WS_RATE_MAX]; /* streams: virtual times of the last incoming messages (ring) */
    unsigned rx_count;
    int drop;                  /* admin drop: close the TCP connection on the next frame in */
    int reset;                 /* closed by a server reset: waited for until gone (hub->mu) */
    buf_t rx;                  /* a fragmented message being reassembled (worker thread only) */
    int rx_op;
    /* WS API (guarded by hub->mu) */
    int return_rate_limits;
    int time_unit_us;
    char logon_key[WS_KEY_MAX];/* "" when not logged on */
    int logon_account;
    int64_t authorized_since_us;
    int revoked;               /* logon key revoked by the admin API */
    ws_sub subs[WS_MAX_SUBS];
    int nsubs;
    int sub_seq;               /* next subscriptionId (lifetime counter) */
    /* streams (guarded by hub->mu) */
    char **streams;
    size_t nstreams;
    int combined;              /* wrap events as {"stream":..,"data":..} */
    int listen_account;        /* /ws/<listenKey>: account fed raw user events, else -1 */
    /* outgoing queue, flushed by the writer thread (hub->mu) */
    ws_msg *qhead, *qtail;
    size_t qbytes;
    int q_overflow;
    int sending;               /* the writer is writing a batch */
    pthread_t tx;              /* the connection's writer thread */
    /* in-process connections (ws_inproc.c): frames go here instead of a socket */
    void (*sink)(void *ud, int op, const char *data, size_t n);
    void *sink_ud;
    pthread_cond_t tx_cv;      /* signalled (under hub->mu) when frames are queued */
    int tx_started, tx_stop;
    struct ws_conn *next;
} ws_conn;

typedef struct ws_poll_slot {    /* last push of a timer-driven stream name */
    char name[160];
    int64_t last_us;
    uint64_t seen_pump;        /* the pump that last saw a subscriber */
    int64_t kline_open_us;     /* kline streams: open time of the candle last pushed (0: none) */
    uint64_t mark;             /* all-market streams ("<name>#<SYMBOL>"): hash of the last payload */
    int reserved;              /* counted from a handshake whose connection is not registered yet */
} ws_poll_slot;

/* ws_depth.c: diff-depth windows and the last top of book, per symbol */
#define WSD_WINDOWS 2              /* [0] 1000 ms (@depth), [1] 100 ms (@depth@100ms) */
typedef struct wsd_level { char price[40], qty[40]; } wsd_level;
typedef struct wsd_side { wsd_level *v; size_t n, cap; } wsd_side;
typedef struct wsd_window {
    int64_t end_us;            /* 0: empty */
    int64_t U, u;
    wsd_side bids, asks;
} wsd_window;
typedef struct wsd_sym {
    char symbol[64];           /* lower-case, as in stream names */
    char name[64];             /* as the exchange spells it */
    wsd_window w[WSD_WINDOWS];
    char top[4][40];           /* b, B, a, A of the last bookTicker sent */
    int has_top;
} wsd_sym;


struct ws_hub {
    struct srv *srv;
    ws_opts o;
    pthread_mutex_t mu;
    ws_conn *conns;
    int nconns;
    int npending;              /* handshakes accepted (ws_on_connect) but not yet linked (ws_on_ready) */
    uint64_t next_conn_id;
    /* admin faults (hub->mu) */
    int withhold_count;
    int delay_count;
    int delay_ms;
    int ready_delay_ms;        /* the post-101 handler waits this long (real time) */
    ws_poll_slot *poll;        /* hub->mu */
    size_t npoll, cappoll;
    uint64_t pump_no;          /* pumps run (hub->mu) */
    wsd_sym *depth;            /* diff-depth windows per symbol (hub->mu) */
    size_t ndepth, capdepth;
    int64_t block_trade_id;    /* last blockTrade id sent (admin-injected block trades) */
    pthread_mutex_t pump_mu;   /* one pump at a time (ticker, control frames, new connections) */
    /* ticker */
    pthread_t ticker;
    int ticker_started;
    int stop;
    pthread_mutex_t stop_mu;
    pthread_cond_t stop_cv;
};

/* ws_send.c */
int ws_conn_send(ws_conn *c, const char *text, size_t n);     /* 0 ok, -1 closed */
void ws_conn_close(ws_conn *c, int code);                    /* send a close frame */
void ws_queue_free(ws_conn *c);
void ws_send_shutdown_event(struct ws_hub *h, ws_conn *c);   /* hub->mu held */
int ws_writer_start(ws_conn *c);                             /* 0 ok */
void ws_writer_stop(ws_conn *c);                             /* no lock held */
void ws_sender_drain(struct ws_hub *h, int max_ms);        /* bounded real-time wait */

/* ws_send.c: queued writes */
/* Queue a frame for the connection's writer (hub->mu held; never blocks on the
 * socket, so the exchange lock and hub->mu are never held across a write). */
void ws_conn_post(ws_conn *c, int op, const char *data, size_t n);
void ws_conn_post_text(ws_conn *c, const char *text, size_t n);
void ws_conn_post_close(ws_conn *c, int code);

/* ws_hub.c */
int64_t ws_now_us(struct ws_hub *h);
/* A new, unlinked connection for request ri (local_uri, remote_addr), dated now. */
ws_conn *ws_conn_new(struct ws_hub *h, const struct mg_request_info *ri);
void ws_conn_free(ws_conn *c);                               /* unlinked, no writer left */
double ws_time(int time_unit_us, int64_t t_us);

/* ws_api.c */
void ws_api_handle(ws_conn *c, const char *text, size_t n);
/* send a {"subscriptionId":N,"event":ev} frame to every subscribed API conn,
 * and ev raw to every listenKey stream of the account (hub->mu held). */
void ws_api_user_event(struct ws_hub *h, const cJSON *ev, int account_id);
void ws_api_conn_gone(ws_conn *c);                            /* hub->mu held */
/* Account of a legacy listenKey (the exchange's store); call WITHOUT hub->mu. -1 unknown. */
int ws_listen_key_account(struct ws_hub *h, const char *key);
/* ws_hub.c: wait up to max_ms until no accepted handshake awaits linking; returns those left. */
int ws_hub_settle(struct ws_hub *h, int max_ms);

/* ws_stream.c */
void ws_stream_handle(ws_conn *c, const char *text, size_t n);
int ws_stream_open(ws_conn *c, const char *uri, const char *query); /* 0 ok, -1 refuse */
/* At the handshake (no lock held): timer-driven names of the URL start their count. */
void ws_stream_preopen(struct ws_hub *h, const char *uri, const char *query);
void ws_stream_market_event(struct ws_hub *h, const cJSON *ev);      /* hub->mu held */
void ws_stream_listener(void *ud, const cJSON *event, int account_id);
/* Journal a connection closed for the per-second message limit (no lock held). */
void ws_stream_journal_limit(ws_conn *c);
/* Send raw (or {"stream":name,"data":raw} on combined conns) to every
 * subscriber of name (hub->mu held). */
void ws_stream_publish(struct ws_hub *h, const char *name, const char *raw);

/* ws_depth.c (hub->mu held) */
void ws_depth_event(struct ws_hub *h, const cJSON *ev);        /* merge one book change */
void ws_depth_tick(struct ws_hub *h, int64_t now_us);          /* publish windows that ended */
int ws_depth_top_changed(struct ws_hub *h, const cJSON *ev);   /* bookTicker: 1 send, 0 same top */
void ws_depth_free(struct ws_hub *h);

/* ws_hub.c: bring every stream up to the virtual now - the simulator's
 * catch-up (real-time events), diff-depth windows that ended, timer-driven
 * streams that are due, pings and limits. No lock held; serialised. */
void ws_pump(struct ws_hub *h);

/* ws_poll.c: timer-driven streams (partial depth, tickers, avgPrice, klines);
 * called by the ticker with no lock held. */
void ws_poll_tick(struct ws_hub *h, int64_t now_us);
/* A name was just subscribed (hub->mu held, right after a pump): a timer-driven
 * name nobody was following starts its count now, so the first event comes
 * at the next period boundary whichever pump runs first. */
void ws_poll_touch(struct ws_hub *h, const char *name, int64_t now_us, const ws_conn *self);
void ws_poll_reserve(struct ws_hub *h, const char *name, int64_t now_us);
/* ws_hub.c: the slot of a timer-driven name (hub->mu held; NULL when full). */
ws_poll_slot *ws_poll_slot_get(struct ws_hub *h, const char *name);
/* ws_stream_journal.c: journal a stream control frame and its answer (code 0: success). */
void ws_stream_journal(ws_conn *c, const char *req, size_t n, const char *reply, size_t rn, int code);
#endif
