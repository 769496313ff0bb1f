/* synth.c: the synthetic market history of a simulated symbol, generated at
 * start without running the matching engine, and the minutes a long clock
 * jump skips (docs/market.md).
 *
 * History, top-down then bottom-up: a log-price path is drawn at day
 * boundaries (a random walk back from the start price), refined to hours,
 * 5 minutes and minutes by Brownian bridges between the coarser points, and
 * the last minutes to single trades; the finest bars of each tier are drawn
 * from the path (open/close on it, high/low/volume/count around it), every
 * coarser bar that has children is their exact merge, and trade ids are
 * handed out in time order, so trades, candles of every tier and tickers
 * agree. Parameters (sim block of the symbols file): volDaily, tradesPerMin,
 * tradeQty, spreadTicks. Deterministic for the seed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ex_int.h"
#include "market.h"

#define MIN_US 60000000LL
#define DAY_US 86400000000LL
#define HIST_TRADE_MINUTES 20     /* at most this many minutes of single trades at start (1000 1s candles) */

static int64_t floor_to(int64_t t, int64_t g) { return t >= 0 ? t / g * g : -((-t + g - 1) / g) * g; }

static double unif(struct exchange *ex) { return (double)(ex_rand(&ex->rng) >> 11) * (1.0 / 9007199254740992.0); }

/* Marsaglia's polar method: two normals per log, the second kept for the
 * next call (ex->gauss_spare, cleared with the rng at start and reset). */
double ex_gauss(struct exchange *ex)
{
    if (ex->has_gauss_spare) { ex->has_gauss_spare = 0; return ex->gauss_spare; }
    double u, v, q;
    do {
        u = 2.0 * unif(ex) - 1.0;
        v = 2.0 * unif(ex) - 1.0;
        q = u * u + v * v;
    } while (q >= 1.0 || q == 0.0);
    double f = sqrt(-2.0 * log(q) / q);
    ex->gauss_spare = v * f;
    ex->has_gauss_spare = 1;
    return u * f;
}

/* A count with mean lam (Poisson; its normal approximation above 30). */
int64_t ex_count(struct exchange *ex, double lam)
{
    if (lam <= 0) return 0;
    if (lam > 30) {
        double n = floor(lam + sqrt(lam) * ex_gauss(ex) + 0.5);
        return n < 0 ? 0 : (int64_t)n;
    }
    double L = exp(-lam), p = 1.0;
    int64_t k = 0;
    do { k++; p *= unif(ex); } while (p > L && k < 1000);
    return k - 1;
}

static dec_t tick_of(const ex_symbol *s) { return s->f.tick > 0 ? s->f.tick : 1; }
static dec_t step_of(const ex_symbol *s) { return s->f.step > 0 ? s->f.step : 1; }

/* Price of a log price, on the tick (floor, or ceil when up), at least a tick. */
static dec_t price_of(const ex_symbol *s, double x, int up)
{
    double p = exp(x) * (double)DEC_SCALE;
    dec_t t = tick_of(s);
    if (p > 9e17) p = 9e17;
    dec_t d = (dec_t)p;
    dec_t f = dec_floor_step(d, t);
    if (up && f < d) f += t;
    return f < t ? t : f;
}

static double sigma_of(const ex_symbol *s, int64_t dt_us) { return s->sim_vol_daily * sqrt((double)dt_us / (double)DAY_US); }

static dec_t qty_of(const ex_symbol *s, double q)
{
    dec_t d = dec_floor_step((dec_t)(q * (double)DEC_SCALE), step_of(s));
    dec_t mn = s->f.min_qty > step_of(s) ? s->f.min_qty : step_of(s);
    return d < mn ? mn : d;
}

/* A bar of length g drawn around the path from xo to xc (no trades kept). */
static void bar_synth(struct exchange *ex, const ex_symbol *s, ex_bar *b, double xo, double xc, int64_t g)
{
    double sig = sigma_of(s, g);
    memset(b, 0, sizeof *b);
    b->o = price_of(s, xo, 0);
    b->c = price_of(s, xc, 0);
    double xh = (xo > xc ? xo : xc) + fabs(ex_gauss(ex)) * sig * 0.5;
    double xl = (xo < xc ? xo : xc) - fabs(ex_gauss(ex)) * sig * 0.5;
    b->h = price_of(s, xh, 1);
    b->l = price_of(s, xl, 0);
    if (b->h < b->o) b->h = b->o;
    if (b->h < b->c) b->h = b->c;
    if (b->l > b->o) b->l = b->o;
    if (b->l > b->c) b->l = b->c;
    double activity = exp(0.3 * ex_gauss(ex) - 0.045);   /* busier and quieter bars, mean 1 */
    b->n = ex_count(ex, (double)s->sim_tpm * (double)g / (double)MIN_US * activity);
    if (b->n < 1) b->n = 1;
    double tq = (double)s->sim_trade_qty / (double)DEC_SCALE;
    double noise = 1.0 + 0.15 * ex_gauss(ex) / sqrt((double)b->n);
    b->vol = qty_of(s, (double)b->n * tq * (noise > 0.5 ? noise : 0.5));
    dec_t vwap = (b->o + b->h + b->l + b->c) / 4;
    b->qvol = (dec_t)((__int128)b->vol * vwap / DEC_SCALE);
    b->tbv = dec_floor_step((dec_t)((double)b->vol * (0.42 + 0.16 * unif(ex))), step_of(s));
    b->tbq = (dec_t)((__int128)b->tbv * vwap / DEC_SCALE);
}

/* One trade at time t around log price x. */
static ex_trade trade_at(struct exchange *ex, const ex_symbol *s, int64_t t, double x)
{
    ex_trade tr = { .time_us = t, .buy_order = -1, .sell_order = -1 };
    tr.buyer_maker = (int)(ex_rand(&ex->rng) & 1);
    tr.price = price_of(s, x, 0);
    if (!tr.buyer_maker) tr.price += tick_of(s) * s->sim_spread_ticks;   /* a buyer takes the ask */
    double tq = (double)s->sim_trade_qty / (double)DEC_SCALE;
    tr.qty = qty_of(s, tq * exp(0.9 * ex_gauss(ex) - 0.405));
    return tr;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The trades of [t, t + len) bridging xo to xc (xc NAN: a free walk), into
 * out (room for max). Returns the count. */
static size_t trades_span(struct exchange *ex, const ex_symbol *s, int64_t t, int64_t len, double xo, double xc,
                          ex_trade *out, size_t max)
{
    int64_t n = ex_count(ex, (double)s->sim_tpm * (double)len / (double)MIN_US);
    if (n < 1 && !isnan(xc)) n = 1;
    if ((size_t)n > max) n = (int64_t)max;
    if (n <= 0) return 0;
    int64_t *ts = malloc((size_t)n * sizeof *ts);
    if (!ts) return 0;
    for (int64_t i = 0; i < n; i++) ts[i] = t + (int64_t)(unif(ex) * (double)len);
    qsort(ts, (size_t)n, sizeof *ts, cmp_i64);
    double sig = sigma_of(s, len), x = xo;
    for (int64_t i = 0; i < n; i++) {
        int64_t left = n - i;                 /* steps left to xc */
        if (isnan(xc)) x += sig / sqrt((double)n) * ex_gauss(ex);
        else if (left == 1) x = xc;
        else x += (xc - x) / (double)left + sig * sqrt((double)(left - 1) / ((double)left * (double)n)) * ex_gauss(ex);
        out[i] = trade_at(ex, s, ts[i], x);
    }
    free(ts);
    return (size_t)n;
}

/* A log-price path on the grid t0 + j*g up to floor(E, g), plus E. */
typedef struct path { int64_t t0, g, E; size_t m; double *x; } path;

static double path_at(const path *p, int64_t t)
{
    if (t >= p->E) return p->x[p->m];
    return p->x[(t - p->t0) / p->g];
}

static int64_t path_time(const path *p, size_t j) { return j < p->m ? p->t0 + (int64_t)j * p->g : p->E; }

/* The top path: a random walk back from xE. */
static int path_top(struct exchange *ex, const ex_symbol *s, path *p, double xE)
{
    p->x = malloc((p->m + 1) * sizeof *p->x);
    if (!p->x) return -1;
    p->x[p->m] = xE;
    for (size_t j = p->m; j-- > 0;) {
        int64_t dt = path_time(p, j + 1) - path_time(p, j);
        p->x[j] = p->x[j + 1] - (dt > 0 ? sigma_of(s, dt) * ex_gauss(ex) : 0);
    }
    return 0;
}

/* A finer path: the coarse points where the grids meet, Brownian bridges between. */
static int path_refine(struct exchange *ex, const ex_symbol *s, path *p, const path *c)
{
    p->x = malloc((p->m + 1) * sizeof *p->x);
    if (!p->x) return -1;
    double var_us = s->sim_vol_daily * s->sim_vol_daily / (double)DAY_US;
    for (size_t j = 0; j <= p->m; j++) {
        int64_t t = path_time(p, j);
        if (j == p->m || t % c->g == 0) { p->x[j] = path_at(c, t); continue; }
        int64_t tb = floor_to(t, c->g) + c->g, tp = path_time(p, j - 1);
        if (tb > p->E) tb = p->E;
        double xb = path_at(c, tb), xp = p->x[j - 1];
        double w = (double)(t - tp) / (double)(tb - tp);
        double var = var_us * (double)(t - tp) * (double)(tb - t) / (double)(tb - tp);
        p->x[j] = xp + (xb - xp) * w + sqrt(var) * ex_gauss(ex);
    }
    return 0;
}

/* Trade ids in time order: a bar with children gets theirs. */
static void assign_ids(ex_symbol *s, int k, size_t i, int64_t *next)
{
    ex_tier *T = &s->tiers[k];
    ex_bar *b = &T->v[i];
    int64_t t = T->start_us + (int64_t)i * T->gran_us;
    if (k > 0 && t >= s->tiers[k - 1].start_us) {
        ex_tier *F = &s->tiers[k - 1];
        size_t per = (size_t)(T->gran_us / F->gran_us), c0 = (size_t)((t - F->start_us) / F->gran_us);
        for (size_t c = c0; c < c0 + per; c++) assign_ids(s, k - 1, c, next);
        b->first_id = F->v[c0].first_id;
        return;
    }
    b->first_id = *next;
    *next += b->n;
}

int ex_synth_history(struct exchange *ex, ex_symbol *s, int64_t at_us, dec_t end_price)
{
    int64_t E = floor_to(at_us, MIN_US);
    path P[EX_NTIERS];
    memset(P, 0, sizeof P);
    if (ex_candles_init(s, E)) return -1;
    int rc = -1;
    for (int k = EX_NTIERS - 1; k >= 0; k--) {
        ex_tier *T = &s->tiers[k];
        int64_t g = T->gran_us;
        T->start_us = floor_to(E, g) - (int64_t)T->cap * g;
        T->n = T->cap;
        T->head = 0;
        P[k].g = g;
        P[k].E = E;
        P[k].t0 = k == EX_NTIERS - 1 ? T->start_us : floor_to(T->start_us, P[k + 1].g);
        P[k].m = (size_t)((floor_to(E, g) - P[k].t0) / g) + (floor_to(E, g) == E ? 0 : 1);
        if (floor_to(E, g) == E) P[k].m = (size_t)((E - P[k].t0) / g);   /* E is the last grid point */
        int err = k == EX_NTIERS - 1 ? path_top(ex, s, &P[k], log((double)end_price / (double)DEC_SCALE))
                                     : path_refine(ex, s, &P[k], &P[k + 1]);
        if (err) goto out;
    }
    /* the last minutes as single trades (half the full ring at most; the
     * ring starts small and grows as they are pushed) */
    size_t tmax = EX_RING_CAP / 2, nt = 0;
    ex_trade *tr = malloc((tmax + 1) * sizeof *tr);
    size_t *tfirst = calloc(HIST_TRADE_MINUTES + 1, sizeof *tfirst);
    if (!tr || !tfirst) { free(tr); free(tfirst); goto out; }
    int64_t hm = s->sim_tpm > 0 ? (int64_t)(tmax / 2) / s->sim_tpm : HIST_TRADE_MINUTES;
    if (hm > HIST_TRADE_MINUTES) hm = HIST_TRADE_MINUTES;
    if (hm < 1) hm = 1;
    int64_t tspan = E - hm * MIN_US;
    ex_tier *M = &s->tiers[0];
    for (size_t i = 0; i < M->n; i++) {
        int64_t t = M->start_us + (int64_t)i * MIN_US;
        double xo = path_at(&P[0], t), xc = path_at(&P[0], t + MIN_US);
        if (t < tspan) { bar_synth(ex, s, &M->v[i], xo, xc, MIN_US); continue; }
        size_t mi = (size_t)((t - tspan) / MIN_US), k = trades_span(ex, s, t, MIN_US, xo, xc, tr + nt, tmax - nt);
        tfirst[mi] = nt;
        int have = 0;
        for (size_t j = 0; j < k; j++) ex_bar_add_trade(&M->v[i], &tr[nt + j], &have);
        if (!have) { dec_t p = price_of(s, xo, 0); M->v[i] = (ex_bar){ .o = p, .h = p, .l = p, .c = p }; }
        nt += k;
    }
    tfirst[hm] = nt;
    /* coarser bars: the merge of their children, else drawn */
    for (int k = 1; k < EX_NTIERS; k++) {
        ex_tier *T = &s->tiers[k], *F = &s->tiers[k - 1];
        size_t per = (size_t)(T->gran_us / F->gran_us);
        for (size_t i = 0; i < T->n; i++) {
            int64_t t = T->start_us + (int64_t)i * T->gran_us;
            if (t < F->start_us) {
                bar_synth(ex, s, &T->v[i], path_at(&P[k], t), path_at(&P[k], t + T->gran_us), T->gran_us);
                continue;
            }
            size_t c0 = (size_t)((t - F->start_us) / F->gran_us);
            int have = 0;
            for (size_t c = c0; c < c0 + per; c++) ex_bar_merge(&T->v[i], &F->v[c], &have);
        }
    }
    /* ids: whole top bars, then the bars of the partial periods after them */
    int64_t next = s->next_trade_id > 0 ? s->next_trade_id : 1;
    for (int k = EX_NTIERS - 1; k >= 0; k--) {
        ex_tier *T = &s->tiers[k];
        int64_t from = k == EX_NTIERS - 1 ? T->start_us : ex_tier_end(&s->tiers[k + 1]);
        for (size_t i = (size_t)((from - T->start_us) / T->gran_us); i < T->n; i++) assign_ids(s, k, i, &next);
    }
    for (int64_t mi = 0; mi < hm; mi++) {
        const ex_bar *b = &M->v[(size_t)((tspan - M->start_us) / MIN_US + (uint64_t)mi)];
        for (size_t j = tfirst[mi]; j < tfirst[mi + 1]; j++) tr[j].id = b->first_id + (int64_t)(j - tfirst[mi]);
    }
    /* the open minute up to the start: trades walking on from the path */
    size_t k = trades_span(ex, s, E, at_us - E, path_at(&P[0], E), NAN, tr + nt, tmax - nt);
    for (size_t j = 0; j < k; j++) tr[nt + j].id = next++;
    nt += k;
    for (size_t j = 0; j < nt; j++) {
        tr[j].agg_id = tr[j].id;
        ex_ring_push(s, &tr[j]);
    }
    s->next_trade_id = s->next_agg_id = next;
    s->last_price = nt ? tr[nt - 1].price : M->v[M->n - 1].c;
    s->mid = s->last_price;
    free(tr);
    free(tfirst);
    rc = 0;
out:
    for (int i = 0; i < EX_NTIERS; i++) free(P[i].x);
    return rc;
}

void ex_synth_minutes(struct exchange *ex, ex_symbol *s, int64_t upto_us)
{
    ex_tier *M = &s->tiers[0];
    if (!M->cap) return;
    if (upto_us - ex_tier_end(M) > EX_SYNTH_MAX_MINUTES * MIN_US) {
        /* a very long jump: the history is drawn again, ending at upto_us at
         * the last price; the trades before it leave the ring */
        s->ring_n = s->ring_head = 0;
        memset(s->avg_win, 0, sizeof s->avg_win);
        if (ex_synth_history(ex, s, upto_us, s->last_price) == 0) {
            ex_candles_roll(s, upto_us);
            return;
        }
        ex_candles_begin(s, upto_us);
        return;
    }
    for (int64_t t = ex_tier_end(M); t + MIN_US <= upto_us; t += MIN_US) {
        double xo = log((double)s->last_price / (double)DEC_SCALE);
        ex_bar b;
        bar_synth(ex, s, &b, xo, xo + sigma_of(s, MIN_US) * ex_gauss(ex), MIN_US);
        b.o = s->last_price;
        if (b.h < b.o) b.h = b.o;
        if (b.l > b.o) b.l = b.o;
        b.first_id = s->next_trade_id;
        s->next_trade_id += b.n;
        s->next_agg_id += b.n;
        ex_candles_push_minute(s, &b);
        s->last_price = s->mid = b.c;
    }
}
