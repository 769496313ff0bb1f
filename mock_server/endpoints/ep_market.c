/* ep_market.c: market data endpoints - depth, trades, historicalTrades,
 * aggTrades, klines, uiKlines, avgPrice and the tickers (24hr, price,
 * bookTicker, rolling window, trading day) - and referencePrice(/calculation),
 * historicalBlockTrades. All read the exchange under its lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "groups.h"
#include "ep_util.h"
#include "market.h"
#include "json_guard.h"

#define EP_RANGE_SYMBOLS "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$"

static cJSON *level_json(const ex_level *l)
{
    cJSON *a = cJSON_CreateArray();
    if (a) { cJSON_AddItemToArray(a, ep_dec_str(l->price)); cJSON_AddItemToArray(a, ep_dec_str(l->qty)); }
    return a;
}

static int valid_status(const char *st)
{
    return !strcmp(st, "TRADING") || !strcmp(st, "HALT") || !strcmp(st, "BREAK") || !strcmp(st, "END_OF_DAY")
           || !strcmp(st, "CANCEL_ONLY");
}

/* The mandatory symbol and the optional symbolStatus it must have (depth,
 * referencePrice/calculation): index, or -1 with -1102/-1121/-1122/-1220 set. */
static int symbol_with_status(api_req *rq, api_resp *rs, struct exchange *ex)
{
    int si = ep_symbol(rq, rs, ex, 1);
    const char *status = ep_str(rq, "symbolStatus");
    if (si < 0 || !status) return si;
    if (!valid_status(status)) return api_error(rs, ERR_INVALID_SYMBOLSTATUS, NULL, NULL), -1;
    if (strcmp(ex_symbol_at(ex, (size_t)si)->status, status))
        return api_error(rs, ERR_SYMBOL_DOES_NOT_MATCH_STATUS, NULL, NULL), -1;
    return si;
}

void ep_depth(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int limit;
    if (ep_limit(rq, rs, 100, 5000, &limit)) return;
    rs->weight = limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    ex_level *lv = malloc((size_t)limit * sizeof *lv);
    if (!lv) return api_error(rs, ERR_UNKNOWN, NULL, NULL);
    exchange_lock(ex);
    int si = symbol_with_status(rq, rs, ex);
    cJSON *o = si >= 0 ? cJSON_CreateObject() : NULL;
    if (o) {
        ex_symbol *s = ex_symbol_at(ex, (size_t)si);
        cJSON_AddNumberToObject(o, "lastUpdateId", (double)s->update_id);
        for (int k = 0; k < 2; k++) {
            cJSON *arr = cJSON_AddArrayToObject(o, k ? "asks" : "bids");
            size_t n = ex_depth_locked(s, k, (size_t)limit, lv);
            for (size_t i = 0; arr && i < n; i++) cJSON_AddItemToArray(arr, level_json(&lv[i]));
        }
    }
    exchange_unlock(ex);
    free(lv);
    if (si >= 0) api_ok(rs, o);
}

static cJSON *trade_json(api_req *rq, const ex_trade *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "id", (double)t->id);
    ep_add_dec(o, "price", t->price);
    ep_add_dec(o, "qty", t->qty);
    ep_add_dec(o, "quoteQty", (dec_t)((__int128)t->price * t->qty / DEC_SCALE));
    ep_add_time(rq, o, "time", t->time_us);
    cJSON_AddBoolToObject(o, "isBuyerMaker", t->buyer_maker);
    cJSON_AddBoolToObject(o, "isBestMatch", 1);
    return o;
}

static void trades_common(api_req *rq, api_resp *rs, int historical)
{
    struct exchange *ex = ep_ex(rq);
    int limit;
    int64_t from = -1;
    if (ep_limit(rq, rs, 500, 1000, &limit)) return;
    if (historical && ep_int(rq, rs, "fromId", &from, 0) < 0) return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *arr = si >= 0 ? cJSON_CreateArray() : NULL;
    if (arr) {
        ex_symbol *s = ex_symbol_at(ex, (size_t)si);
        size_t start = s->ring_n > (size_t)limit ? s->ring_n - (size_t)limit : 0;
        if (from >= 0) {
            start = s->ring_n;
            for (size_t i = 0; i < s->ring_n; i++)
                if (ex_trade_at(s, i)->id >= from) { start = i; break; }
        }
        for (size_t i = start; i < s->ring_n && i < start + (size_t)limit; i++)
            cJSON_AddItemToArray(arr, trade_json(rq, ex_trade_at(s, i)));
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, arr);
}

void ep_trades(api_req *rq, api_resp *rs) { trades_common(rq, rs, 0); }
void ep_historical_trades(api_req *rq, api_resp *rs) { trades_common(rq, rs, 1); }

static cJSON *agg_json(api_req *rq, const ex_symbol *s, size_t i, size_t *next)
{
    const ex_trade *t = ex_trade_at(s, i);
    dec_t q = t->qty;
    size_t j = i + 1;
    while (j < s->ring_n && ex_trade_at(s, j)->agg_id == t->agg_id) q += ex_trade_at(s, j++)->qty;
    *next = j;
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "a", (double)t->agg_id);
    ep_add_dec(o, "p", t->price);
    ep_add_dec(o, "q", q);
    cJSON_AddNumberToObject(o, "f", (double)t->id);
    cJSON_AddNumberToObject(o, "l", (double)ex_trade_at(s, j - 1)->id);
    ep_add_time(rq, o, "T", t->time_us);
    cJSON_AddBoolToObject(o, "m", t->buyer_maker);
    cJSON_AddBoolToObject(o, "M", 1);
    return o;
}

/* Ring index of the first trade of the aggregate that contains trade k. */
static size_t agg_start(const ex_symbol *s, size_t k)
{
    int64_t id = ex_trade_at(s, k)->agg_id;
    while (k > 0 && ex_trade_at(s, k - 1)->agg_id == id) k--;
    return k;
}

/* Start of the newest `limit` aggregates among trades [0, end). */
static size_t agg_tail(const ex_symbol *s, size_t end, size_t limit)
{
    size_t k = end, cnt = 0;
    while (k > 0 && cnt < limit) {
        k = agg_start(s, k - 1);
        cnt++;
    }
    return k;
}

/* fromId: aggregates from that id; startTime (and endTime): from that time;
 * endTime alone: the newest before it; nothing: the newest. No time-span
 * limit (removed by Binance; CHANGELOG "Changes to GET /api/v3/aggTrades"). */
void ep_agg_trades(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int limit;
    int64_t from = -1, st = -1, et = -1;
    if (ep_limit(rq, rs, 500, 1000, &limit) || ep_int(rq, rs, "fromId", &from, 0) < 0
        || ep_time_param(rq, rs, "startTime", &st) < 0 || ep_time_param(rq, rs, "endTime", &et) < 0)
        return;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *arr = si >= 0 ? cJSON_CreateArray() : NULL;
    if (arr) {
        ex_symbol *s = ex_symbol_at(ex, (size_t)si);
        size_t i = 0, next, n = 0, end = s->ring_n;
        if (from < 0 && st < 0) {
            if (et >= 0)
                while (end > 0 && ex_trade_at(s, end - 1)->time_us > et) end--;
            i = agg_tail(s, end, (size_t)limit);
        }
        while (i < end && n < (size_t)limit) {
            const ex_trade *t = ex_trade_at(s, i);
            int skip = (from >= 0 && t->agg_id < from) || (st >= 0 && t->time_us < st);
            if (et >= 0 && t->time_us > et) break;
            cJSON *o = agg_json(rq, s, i, &next);
            if (skip) cJSON_Delete(o);
            else { cJSON_AddItemToArray(arr, o); n++; }
            i = next;
        }
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, arr);
}

/* timeZone: "0", "8", "-1:30", "+08:00"; range -12:00..+14:00. */
static int parse_tz(const char *s, int64_t *us)
{
    int sign = 1, h = 0, m = 0;
    if (*s == '+' || *s == '-') { sign = *s == '-' ? -1 : 1; s++; }
    char extra;
    int n = sscanf(s, "%d:%d%c", &h, &m, &extra);
    if (n < 1 || n > 2 || h < 0 || m < 0 || m > 59 || strspn(s, "0123456789:") != strlen(s)) return -1;
    int64_t min = sign * (h * 60 + m);
    if (min < -12 * 60 || min > 14 * 60) return -1;
    *us = min * 60000000LL;
    return 0;
}

/* Kline times as integer text: as a double, a µs open time (X-MBX-TIME-UNIT:
 * MICROSECOND) prints 1.79524098e+15, not an integer. */
static cJSON *kline_time(api_req *rq, int64_t us)
{
    char txt[24];
    snprintf(txt, sizeof txt, "%lld", (long long)api_time(rq, us));
    return cJSON_CreateRaw(txt);
}

void ep_klines(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    const char *ivs;
    int limit;
    int64_t st = -1, et = -1, tz = 0;
    ex_interval iv;
    if (ep_need(rq, rs, "symbol", &ivs) || ep_need(rq, rs, "interval", &ivs)) return;
    if (ex_interval_parse(ivs, &iv)) return api_error(rs, ERR_BAD_INTERVAL, NULL, NULL);
    if (ep_limit(rq, rs, 500, 1000, &limit) || ep_time_param(rq, rs, "startTime", &st) < 0
        || ep_time_param(rq, rs, "endTime", &et) < 0)
        return;
    const char *tzs = ep_str(rq, "timeZone");
    if (tzs && parse_tz(tzs, &tz)) return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "timeZone", NULL);
    ex_kline *k = malloc((size_t)limit * sizeof *k);
    if (!k) return api_error(rs, ERR_UNKNOWN, NULL, NULL);
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *arr = si >= 0 ? cJSON_CreateArray() : NULL;
    if (arr) {
        size_t n = ex_klines_locked(ex, ex_symbol_at(ex, (size_t)si), &iv, st, et, (size_t)limit, tz, k);
        for (size_t i = 0; i < n; i++) {
            cJSON *row = cJSON_CreateArray();
            if (!row) break;
            cJSON_AddItemToArray(row, kline_time(rq, k[i].open_us));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].o));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].h));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].l));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].c));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].vol));
            cJSON_AddItemToArray(row, kline_time(rq, k[i].close_us + 999));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].qvol));
            cJSON_AddItemToArray(row, cJSON_CreateNumber((double)k[i].n));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].tbv));
            cJSON_AddItemToArray(row, ep_dec_str(k[i].tbq));
            cJSON_AddItemToArray(row, cJSON_CreateString("0"));
            cJSON_AddItemToArray(arr, row);
        }
    }
    exchange_unlock(ex);
    free(k);
    if (si >= 0) api_ok(rs, arr);
}

void ep_avg_price(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    cJSON *o = si >= 0 ? cJSON_CreateObject() : NULL;
    if (o) {
        int64_t close;
        dec_t p = ex_avg_price_locked(ex, ex_symbol_at(ex, (size_t)si), 5, &close);
        cJSON_AddNumberToObject(o, "mins", 5);
        ep_add_dec(o, "price", p);
        ep_add_time(rq, o, "closeTime", close);
    }
    exchange_unlock(ex);
    if (si >= 0) api_ok(rs, o);
}

/* ---- tickers ---- */

typedef enum tk_kind { TK_24HR, TK_PRICE, TK_BOOK, TK_WINDOW, TK_DAY } tk_kind;

/* Which symbols: *single = 1 for symbol=, list for symbols=, all otherwise.
 * Returns the count of indices in idx (malloc'd) or -1 with the error set. */
static int pick_symbols(api_req *rq, api_resp *rs, struct exchange *ex, int **idx, int *single)
{
    const char *sym = ep_str(rq, "symbol"), *syms = ep_str(rq, "symbols");
    *single = 0;
    *idx = NULL;
    if (sym && syms) { api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL); return -1; }
    if (sym) {
        ex_symbol *s = ex_symbol_find(ex, sym);
        if (!s) { api_error(rs, ERR_BAD_SYMBOL, NULL, NULL); return -1; }
        *idx = malloc(sizeof **idx);
        if (!*idx) return -1;
        (*idx)[0] = ex_symbol_index(ex, s);
        *single = 1;
        return 1;
    }
    if (syms) {
        cJSON *arr = json_guard_parse_str(syms);
        int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
        if (n <= 0) { cJSON_Delete(arr); api_error(rs, ERR_ILLEGAL_CHARS_PARAM, "symbols", EP_RANGE_SYMBOLS); return -1; }
        *idx = malloc((size_t)n * sizeof **idx);
        int k = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, arr) {
            ex_symbol *s = cJSON_IsString(it) ? ex_symbol_find(ex, it->valuestring) : NULL;
            if (!s || !*idx) { cJSON_Delete(arr); free(*idx); *idx = NULL; api_error(rs, ERR_BAD_SYMBOL, NULL, NULL); return -1; }
            for (int j = 0; j < k; j++)
                if ((*idx)[j] == ex_symbol_index(ex, s)) {
                    cJSON_Delete(arr); free(*idx); *idx = NULL;
                    api_error(rs, ERR_DUPLICATE_SYMBOLS, NULL, NULL);
                    return -1;
                }
            (*idx)[k++] = ex_symbol_index(ex, s);
        }
        cJSON_Delete(arr);
        return k;
    }
    int n = (int)ex_symbol_count(ex);
    *idx = malloc((size_t)(n ? n : 1) * sizeof **idx);
    if (!*idx) return -1;
    for (int i = 0; i < n; i++) (*idx)[i] = i;
    return n;
}

static void add_pct(cJSON *o, dec_t change, dec_t open)
{
    char b[48];
    dec_t pct = open ? (dec_t)((__int128)change * 100 * DEC_SCALE / open) : 0;
    dec_format(b, sizeof b, pct, 3);
    cJSON_AddStringToObject(o, "priceChangePercent", b);
}

static cJSON *stats_json(api_req *rq, struct exchange *ex, ex_symbol *s, int64_t window_us, int mini, int rolling)
{
    ex_stats st;
    int64_t from = rq->now_us - window_us;
    if (rolling) from -= from % 60000000LL;   /* the window opens on a minute (up to 59999 ms wider) */
    ex_stats_locked(ex, s, from, rq->now_us, &st);
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    dec_t open = st.count ? st.open : 0, change = st.count ? st.last - st.open : 0;
    cJSON_AddStringToObject(o, "symbol", s->name);
    if (!mini) {
        ep_add_dec(o, "priceChange", change);
        add_pct(o, change, open);
        ep_add_dec(o, "weightedAvgPrice", st.volume ? dec_div(st.quote_volume, st.volume) : 0);
        if (!rolling) {
            ep_add_dec(o, "prevClosePrice", st.prev_close);
            ep_add_dec(o, "lastPrice", st.last);
            ep_add_dec(o, "lastQty", st.last_qty);
            ex_level b = { 0, 0 }, a = { 0, 0 };
            ex_depth_locked(s, 0, 1, &b);
            ex_depth_locked(s, 1, 1, &a);
            ep_add_dec(o, "bidPrice", b.price);
            ep_add_dec(o, "bidQty", b.qty);
            ep_add_dec(o, "askPrice", a.price);
            ep_add_dec(o, "askQty", a.qty);
        }
    }
    ep_add_dec(o, "openPrice", open);
    ep_add_dec(o, "highPrice", st.high);
    ep_add_dec(o, "lowPrice", st.low);
    if (mini || rolling) ep_add_dec(o, "lastPrice", st.last);
    ep_add_dec(o, "volume", st.volume);
    ep_add_dec(o, "quoteVolume", st.quote_volume);
    ep_add_time(rq, o, "openTime", st.open_us);
    ep_add_time(rq, o, "closeTime", st.close_us);
    cJSON_AddNumberToObject(o, "firstId", (double)st.first_id);
    cJSON_AddNumberToObject(o, "lastId", (double)st.last_id);
    cJSON_AddNumberToObject(o, "count", (double)st.count);
    return o;
}

static cJSON *price_json(ex_symbol *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "symbol", s->name);
    ep_add_dec(o, "price", s->last_price);
    return o;
}

static cJSON *book_json(ex_symbol *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    ex_level b = { 0, 0 }, a = { 0, 0 };
    ex_depth_locked(s, 0, 1, &b);
    ex_depth_locked(s, 1, 1, &a);
    cJSON_AddStringToObject(o, "symbol", s->name);
    ep_add_dec(o, "bidPrice", b.price);
    ep_add_dec(o, "bidQty", b.qty);
    ep_add_dec(o, "askPrice", a.price);
    ep_add_dec(o, "askQty", a.qty);
    return o;
}

/* windowSize: 1m..59m, 1h..23h, 1d..7d. */
static int parse_window(const char *s, int64_t *us)
{
    char unit = 0, extra;
    int n = 0;
    if (sscanf(s, "%d%c%c", &n, &unit, &extra) != 2 || s[0] == '0' || s[0] == '+' || s[0] == '-') return -1;
    if (unit == 'm' && n >= 1 && n <= 59) *us = n * 60000000LL;
    else if (unit == 'h' && n >= 1 && n <= 23) *us = n * 3600000000LL;
    else if (unit == 'd' && n >= 1 && n <= 7) *us = n * 86400000000LL;
    else return -1;
    return 0;
}

/* The trading day (a UTC day shifted by timeZone) that holds now. */
static int64_t trading_day_start(int64_t now_us, int64_t tz_us)
{
    const int64_t day = 86400000000LL;
    int64_t local = now_us + tz_us;
    int64_t start = local - ((local % day) + day) % day;
    return start - tz_us;
}

/* ticker/tradingDay: openTime/closeTime are the trading day's bounds
 * (closeTime its last millisecond, as rest-api.md's sample shows), not the
 * trades' times. */
static void day_times(api_req *rq, cJSON *o, int64_t day0)
{
    cJSON *tmp = o ? cJSON_CreateObject() : NULL;
    if (!tmp) return;
    ep_add_time(rq, tmp, "openTime", day0);
    ep_add_time(rq, tmp, "closeTime", day0 + 86400000000LL - 1000);
    cJSON *ot = cJSON_DetachItemFromObjectCaseSensitive(tmp, "openTime");
    cJSON *ct = cJSON_DetachItemFromObjectCaseSensitive(tmp, "closeTime");
    if (ot && !cJSON_ReplaceItemInObjectCaseSensitive(o, "openTime", ot)) cJSON_Delete(ot);
    if (ct && !cJSON_ReplaceItemInObjectCaseSensitive(o, "closeTime", ct)) cJSON_Delete(ct);
    cJSON_Delete(tmp);
}

static void tickers(api_req *rq, api_resp *rs, tk_kind kind)
{
    struct exchange *ex = ep_ex(rq);
    const char *type = ep_str(rq, "type"), *status = ep_str(rq, "symbolStatus"), *ws = ep_str(rq, "windowSize");
    int mini = 0;
    int64_t window = 86400000000LL;
    if (type && strcmp(type, "FULL") && strcmp(type, "MINI")) return api_error(rs, ERR_INVALID_TICKER_TYPE, NULL, NULL);
    mini = type && !strcmp(type, "MINI");
    if (ws && parse_window(ws, &window)) return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "windowSize", NULL);
    if (status && !valid_status(status))
        return api_error(rs, ERR_INVALID_SYMBOLSTATUS, NULL, NULL);
    if ((kind == TK_WINDOW || kind == TK_DAY) && !ep_str(rq, "symbol") && !ep_str(rq, "symbols"))
        return api_error(rs, ERR_MANDATORY_PARAM_EITHER, "symbol", "symbols");
    int64_t tz = 0, day0 = 0;
    if (kind == TK_DAY) {
        const char *tzs = ep_str(rq, "timeZone");
        if (tzs && parse_tz(tzs, &tz)) return api_error(rs, ERR_INVALID_PARAMETER_NAMED, "timeZone", NULL);
        day0 = trading_day_start(rq->now_us, tz);
        window = rq->now_us - day0;
    }
    int *idx, single;
    exchange_lock(ex);
    int n = pick_symbols(rq, rs, ex, &idx, &single);
    if (n < 0) { exchange_unlock(ex); free(idx); return; }
    int nsyms_sent = ep_str(rq, "symbols") ? n : -1;
    if (kind == TK_DAY && nsyms_sent > 100) {
        exchange_unlock(ex);
        free(idx);
        return api_error(rs, ERR_TOO_MANY_SYMBOLS, "symbols", "100");
    }
    if (kind == TK_DAY) rs->weight = n > 50 ? 200 : n * 4;
    else if (kind == TK_24HR) rs->weight = single ? 2 : nsyms_sent < 0 ? 80 : n <= 20 ? 2 : n <= 100 ? 40 : 80;
    else if (kind == TK_WINDOW) rs->weight = n * 4 > 200 ? 200 : n * 4;
    else rs->weight = single ? 2 : 4;
    cJSON *arr = cJSON_CreateArray(), *one = NULL;
    err_id err = ERR_NONE;
    for (int i = 0; arr && i < n; i++) {
        ex_symbol *s = ex_symbol_at(ex, (size_t)idx[i]);
        if (status && strcmp(s->status, status)) {
            if (single) err = ERR_SYMBOL_DOES_NOT_MATCH_STATUS;
            continue;
        }
        cJSON *o = kind == TK_PRICE ? price_json(s) : kind == TK_BOOK ? book_json(s)
                 : stats_json(rq, ex, s, window, mini, kind == TK_WINDOW || kind == TK_DAY);
        if (kind == TK_DAY) day_times(rq, o, day0);
        if (single) one = o; else cJSON_AddItemToArray(arr, o);
    }
    exchange_unlock(ex);
    free(idx);
    if (err != ERR_NONE) { cJSON_Delete(arr); cJSON_Delete(one); return api_error(rs, err, NULL, NULL); }
    if (single) { cJSON_Delete(arr); api_ok(rs, one); }
    else api_ok(rs, arr);
}

void ep_ticker_24hr(api_req *rq, api_resp *rs) { tickers(rq, rs, TK_24HR); }
void ep_ticker_price(api_req *rq, api_resp *rs) { tickers(rq, rs, TK_PRICE); }
void ep_ticker_book(api_req *rq, api_resp *rs) { tickers(rq, rs, TK_BOOK); }
void ep_ticker_window(api_req *rq, api_resp *rs) { tickers(rq, rs, TK_WINDOW); }
void ep_ticker_trading_day(api_req *rq, api_resp *rs) { tickers(rq, rs, TK_DAY); }

/* GET /api/v3/referencePrice and /referencePrice/calculation (WS API
 * referencePrice, referencePrice.calculation). binance-mock never sets a
 * reference price (price range execution rules are not simulated), so both
 * answer what rest-api.md shows for such a symbol: -2043, after the symbol
 * (and the calculation's symbolStatus) are validated like depth's. */
void ep_reference_price(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    exchange_lock(ex);
    int si = symbol_with_status(rq, rs, ex);
    exchange_unlock(ex);
    if (si >= 0) api_error(rs, ERR_NO_REFERENCE_PRICE, NULL, NULL);
}

/* GET /api/v3/historicalBlockTrades (WS blockTrades.historical): binance-mock
 * prints no block trades (the simulator and the engine trade on the book
 * only), so a valid request answers []. symbol and fromId are mandatory. */
void ep_historical_block_trades(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    int limit;
    int64_t from;
    const char *tmp;
    exchange_lock(ex);
    int si = ep_symbol(rq, rs, ex, 1);
    exchange_unlock(ex);
    if (si < 0 || ep_need(rq, rs, "fromId", &tmp) || ep_int(rq, rs, "fromId", &from, 0) < 0
        || ep_limit(rq, rs, 500, 1000, &limit))
        return;
    api_ok(rs, cJSON_CreateArray());
}

/* GET /api/v3/executionRules (WS API executionRules): the execution rules of
 * each symbol. binance-mock simulates no price range rule (the same reason
 * referencePrice answers -2043), so every symbol answers "rules": [] - the
 * docs are silent on a symbol without rules; this is binance-mock's choice.
 * symbol, symbols and symbolStatus are exclusive (-1128); symbolStatus
 * takes TRADING, HALT or BREAK (-1122 otherwise). */
void ep_execution_rules(api_req *rq, api_resp *rs)
{
    struct exchange *ex = ep_ex(rq);
    const char *sym = ep_str(rq, "symbol"), *syms = ep_str(rq, "symbols"), *status = ep_str(rq, "symbolStatus");
    if ((sym != NULL) + (syms != NULL) + (status != NULL) > 1)
        return api_error(rs, ERR_OPTIONAL_PARAMS_BAD_COMBO, NULL, NULL);
    if (status && strcmp(status, "TRADING") && strcmp(status, "HALT") && strcmp(status, "BREAK"))
        return api_error(rs, ERR_INVALID_SYMBOLSTATUS, NULL, NULL);
    int *idx, single;
    exchange_lock(ex);
    int n = pick_symbols(rq, rs, ex, &idx, &single);
    if (n < 0) { exchange_unlock(ex); free(idx); return; }
    rs->weight = (sym || syms) ? (n * 2 > 40 ? 40 : n * 2) : 40;
    cJSON *o = cJSON_CreateObject(), *arr = o ? cJSON_AddArrayToObject(o, "symbolRules") : NULL;
    for (int i = 0; arr && i < n; i++) {
        ex_symbol *s = ex_symbol_at(ex, (size_t)idx[i]);
        if (status && strcmp(s->status, status)) continue;
        cJSON *r = cJSON_CreateObject();
        if (!r) break;
        cJSON_AddStringToObject(r, "symbol", s->name);
        cJSON_AddArrayToObject(r, "rules");
        cJSON_AddItemToArray(arr, r);
    }
    exchange_unlock(ex);
    free(idx);
    if (!arr) { cJSON_Delete(o); return api_error(rs, ERR_UNKNOWN, NULL, NULL); }
    api_ok(rs, o);
}
