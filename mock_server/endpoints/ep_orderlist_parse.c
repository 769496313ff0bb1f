/* ep_orderlist_parse.c: reading one leg of an order list from its prefixed
 * parameters (aboveType, workingPrice, pendingBelowStopPrice, ...) with
 * Binance's errors: -1102 for a missing mandatory one, -1106/-1114 for one
 * the leg's type does not take, -1160 for an iceberg leg whose timeInForce
 * is not GTC, and the leg's peg instructions (prefix + PegPriceType,
 * PegOffsetType, PegOffsetValue) with the rules of a single order's
 * (ep_peg: -1210/-1211/-1128/-1106; a pegged leg's price is optional; what
 * the engine refuses - a pegged STOP_LOSS leg, MARKET_PEG on LIMIT_MAKER -
 * is -2010 from peg.c). A stop leg takes a stopPrice, a trailingDelta or
 * both (trailing-stop FAQ: OCO legs may trail). */
#include <stdio.h>
#include <string.h>
#include "ep_orderlist.h"

static int fail(api_resp *rs, err_id e, const char *a1, const char *a2)
{
    api_error(rs, e, a1, a2);
    return -1;
}

static const char *pname(char *buf, size_t n, const char *prefix, const char *name)
{
    /* "above" + "Type" -> "aboveType"; "" + "price" -> "price" */
    snprintf(buf, n, "%s%s", prefix, name);
    if (!*prefix && buf[0] >= 'A' && buf[0] <= 'Z') buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

int ol_valid_client_id(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 36 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

/* An optional client id parameter into buf; 0 ok (absent: buf ""). */
int ol_client_id(api_req *rq, api_resp *rs, const char *name, char buf[40])
{
    const char *v = api_param(rq, name);
    buf[0] = '\0';
    if (!v) return 0;
    if (!*v) return fail(rs, ERR_EMPTY_NEW_CL_ORD_ID, NULL, NULL);
    if (!ol_valid_client_id(v)) return fail(rs, ERR_ILLEGAL_CHARS_PARAM, name, EP_RANGE_CLID);
    snprintf(buf, 40, "%s", v);
    return 0;
}

static int limit_priced(ex_type t)
{
    return t == EX_LIMIT || t == EX_LIMIT_MAKER || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT_LIMIT;
}
static int needs_tif(ex_type t) { return t == EX_LIMIT || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT_LIMIT; }
static int stop_type(ex_type t)
{
    return t == EX_STOP_LOSS || t == EX_STOP_LOSS_LIMIT || t == EX_TAKE_PROFIT || t == EX_TAKE_PROFIT_LIMIT;
}

static int leg_numbers(api_req *rq, api_resp *rs, const char *prefix, ex_order_req *o)
{
    char n[64];
    int r;
    if ((r = ep_dec(rq, rs, pname(n, sizeof n, prefix, "Price"), &o->price)) < 0) return -1;
    o->has_price = r;
    if ((r = ep_dec(rq, rs, pname(n, sizeof n, prefix, "StopPrice"), &o->stop_price)) < 0) return -1;
    o->has_stop = r;
    if ((r = ep_dec(rq, rs, pname(n, sizeof n, prefix, "IcebergQty"), &o->iceberg)) < 0) return -1;
    o->has_iceberg = r && o->iceberg > 0;
    if ((r = ep_int(rq, rs, pname(n, sizeof n, prefix, "StrategyId"), &o->strategy_id, 0)) < 0) return -1;
    o->has_strategy_id = r;
    if ((r = ep_int(rq, rs, pname(n, sizeof n, prefix, "StrategyType"), &o->strategy_type, 0)) < 0) return -1;
    o->has_strategy_type = r;
    if (r && o->strategy_type < 1000000) return fail(rs, ERR_BAD_STRATEGY_TYPE, NULL, NULL);
    /* trailingDelta 0 is sent and fails the TRAILING_DELTA filter (min > 0) */
    if ((r = ep_int(rq, rs, pname(n, sizeof n, prefix, "TrailingDelta"), &o->trailing_delta, 0)) < 0) return -1;
    if (r && o->trailing_delta == 0) o->trailing_delta = -1;
    const char *v = ep_str(rq, pname(n, sizeof n, prefix, "TimeInForce"));
    if (v) {
        int t = ex_tif_parse(v);
        if (t < 0) return fail(rs, ERR_INVALID_TIF, NULL, NULL);
        o->tif = (ex_tif)t;
    }
    return 0;
}

/* What the leg's type requires and refuses. */
static int leg_shape(api_req *rq, api_resp *rs, const char *prefix, const ex_order_req *o)
{
    char n[64];
    const char *tmp;
    ex_type t = o->type;
    if (needs_tif(t) && ep_need(rq, rs, pname(n, sizeof n, prefix, "TimeInForce"), &tmp)) return -1;
    /* a pegged leg's price is optional (rest-api.md "Pegged Orders Info",
     * which every leg's PegPriceType refers to) */
    if (limit_priced(t) && o->peg.type == EX_PEG_NONE && ep_need(rq, rs, pname(n, sizeof n, prefix, "Price"), &tmp))
        return -1;
    if (stop_type(t) && !o->trailing_delta && ep_need(rq, rs, pname(n, sizeof n, prefix, "StopPrice"), &tmp)) return -1;
    if (!stop_type(t) && o->trailing_delta)
        return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, pname(n, sizeof n, prefix, "TrailingDelta"), NULL);
    if (!limit_priced(t) && o->has_price) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, pname(n, sizeof n, prefix, "Price"), NULL);
    if (!stop_type(t) && o->has_stop) return fail(rs, ERR_PARAM_NOT_REQUIRED_NAMED, pname(n, sizeof n, prefix, "StopPrice"), NULL);
    if (!needs_tif(t) && o->tif != EX_TIF_NONE) return fail(rs, ERR_TIF_NOT_REQUIRED, NULL, NULL);
    if (o->has_iceberg && !limit_priced(t)) return fail(rs, ERR_UNKNOWN_ORDER_COMPOSITION, NULL, NULL);
    if (o->has_iceberg && t != EX_LIMIT_MAKER && o->tif != EX_GTC)
        return fail(rs, ERR_OCO_ICEBERGQTY_TIMEINFORCE, pname(n, sizeof n, prefix, "IcebergQty"), NULL);
    return 0;
}

int ol_parse_leg(api_req *rq, api_resp *rs, const ol_leg_spec *sp, ex_order_req *o, char cid[40])
{
    char n[64];
    const char *type, *side;
    memset(o, 0, sizeof *o);
    o->stp = (ex_stp)-1;
    if (ep_need(rq, rs, pname(n, sizeof n, sp->prefix, "Type"), &type)) return -1;
    int ty = ex_type_parse(type);
    if (ty < 0) return fail(rs, ERR_INVALID_ORDER_TYPE, NULL, NULL);
    if (!(sp->types & (1u << ty))) return fail(rs, sp->type_err, NULL, NULL);
    o->type = (ex_type)ty;
    if (ep_need(rq, rs, sp->side_param, &side)) return -1;
    int sd = ex_side_parse(side);
    if (sd < 0) return fail(rs, ERR_INVALID_SIDE, NULL, NULL);
    o->side = (ex_side)sd;
    if (sp->qty_param) {
        const char *tmp;
        if (ep_need(rq, rs, sp->qty_param, &tmp) || ep_dec(rq, rs, sp->qty_param, &o->qty) < 0) return -1;
        o->has_qty = 1;
    }
    if (leg_numbers(rq, rs, sp->prefix, o) || ep_peg(rq, rs, sp->prefix, &o->peg) || leg_shape(rq, rs, sp->prefix, o))
        return -1;
    if (ol_client_id(rq, rs, pname(n, sizeof n, sp->prefix, "ClientOrderId"), cid)) return -1;
    o->client_id = *cid ? cid : NULL;
    return 0;
}

/* Which slot of an OCO pair a type may take (rest-api.md: the limit or
 * take-profit order sits below for a BUY, above for a SELL; the stop-loss
 * the other way round): 0 ok, -1 error set. */
int ol_check_pair(api_resp *rs, ex_side side, ex_type above, ex_type below)
{
    int above_lm = above == EX_LIMIT_MAKER, below_lm = below == EX_LIMIT_MAKER;
    int above_sl = above == EX_STOP_LOSS || above == EX_STOP_LOSS_LIMIT;
    int below_sl = below == EX_STOP_LOSS || below == EX_STOP_LOSS_LIMIT;
    int above_tp = above == EX_TAKE_PROFIT || above == EX_TAKE_PROFIT_LIMIT;
    int below_tp = below == EX_TAKE_PROFIT || below == EX_TAKE_PROFIT_LIMIT;
    if (above_lm && below_lm) return fail(rs, ERR_BOTH_OCO_ORDERS_CANNOT_BE_LIMIT, NULL, NULL);
    if (side == EX_BUY) {
        if (above_lm) return fail(rs, ERR_BUY_OCO_LIMIT_MUST_BE_BELOW, NULL, NULL);
        if (above_tp) return fail(rs, ERR_BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW, NULL, NULL);
        if (below_sl) return fail(rs, ERR_BUY_OCO_STOP_LOSS_MUST_BE_ABOVE, NULL, NULL);
    } else {
        if (below_lm) return fail(rs, ERR_SELL_OCO_LIMIT_MUST_BE_ABOVE, NULL, NULL);
        if (below_tp) return fail(rs, ERR_SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE, NULL, NULL);
        if (above_sl) return fail(rs, ERR_SELL_OCO_STOP_LOSS_MUST_BE_BELOW, NULL, NULL);
    }
    return 0;
}
