/* ws_render: payloads of the timer-driven market streams (ws_render.c),
 * scheduled by ws_poll.c. */
#ifndef BC_WS_RENDER_H
#define BC_WS_RENDER_H
#include <stdint.h>
#include <cjson/cJSON.h>
#include "ws_names.h"

struct ws_hub;

typedef enum wsr_kind {
    WSR_NONE = 0, WSR_DEPTH, WSR_TICKER, WSR_MINI, WSR_WINDOW, WSR_AVG, WSR_REFPRICE, WSR_KLINE,
    WSR_ALL_MINI, WSR_ALL_WINDOW
} wsr_kind;

typedef struct wsr_name {
    wsr_kind kind;
    char symbol[64];          /* upper-case, for the REST twin */
    char arg[16];             /* depth levels, kline interval or window size */
    int64_t tz_us;            /* kline timezone offset */
    int64_t period_us;        /* documented update speed */
} wsr_name;

typedef struct wsr_out {
    cJSON *ev[2];             /* events to publish in order (owned) */
    int n;
    int64_t kline_open_us;    /* in: candle last pushed (0 none); out: candle pushed now */
} wsr_out;

/* Classify a subscribed name; WSR_NONE for event-driven or unknown names. */
wsr_kind wsr_parse(const char *name, wsr_name *out);
/* Render the events due now; all-market kinds give one array of per-symbol
 * payloads without "E" (ws_poll.c keeps the changed ones). 0 ok, -1 none. */
int wsr_render(struct ws_hub *h, const wsr_name *pn, int64_t now_us, wsr_out *out);
#endif
