/* names.c: Binance enum spellings (side, order type, timeInForce, status,
 * self-trade prevention mode, newOrderRespType) and their exact parsers. */
#include <string.h>
#include "exchange_api.h"

static const char *const sides[] = { "BUY", "SELL" };
static const char *const types[] = { "LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT",
                                     "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER" };
static const char *const tifs[] = { "", "GTC", "IOC", "FOK" };
static const char *const statuses[] = { "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED",
                                        "EXPIRED", "EXPIRED_IN_MATCH", "REJECTED", "PENDING_NEW" };
static const char *const stps[] = { "NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH",
                                    "DECREMENT" };
static const char *const resps[] = { "ACK", "RESULT", "FULL" };

#define N(a) ((int)(sizeof a / sizeof a[0]))
static const char *name_of(const char *const *t, int n, int v) { return v >= 0 && v < n ? t[v] : ""; }
static int parse_of(const char *const *t, int n, const char *s, int from)
{
    if (!s) return -1;
    for (int i = from; i < n; i++)
        if (strcmp(t[i], s) == 0) return i;
    return -1;
}

const char *ex_side_name(int v) { return name_of(sides, N(sides), v); }
const char *ex_type_name(int v) { return name_of(types, N(types), v); }
const char *ex_tif_name(int v) { return name_of(tifs, N(tifs), v); }
const char *ex_status_name(int v) { return name_of(statuses, N(statuses), v); }
const char *ex_stp_name(int v) { return name_of(stps, N(stps), v); }
const char *ex_resp_name(int v) { return name_of(resps, N(resps), v); }
int ex_side_parse(const char *s) { return parse_of(sides, N(sides), s, 0); }
int ex_type_parse(const char *s) { return parse_of(types, N(types), s, 0); }
int ex_tif_parse(const char *s) { return parse_of(tifs, N(tifs), s, 1); }
int ex_status_parse(const char *s) { return parse_of(statuses, N(statuses), s, 0); }
int ex_stp_parse(const char *s) { return parse_of(stps, N(stps), s, 0); }
int ex_resp_parse(const char *s) { return parse_of(resps, N(resps), s, 0); }
