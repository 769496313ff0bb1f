/* replay_csv.c: reads a directory of Binance's public spot market-data files
 * (data.binance.vision: <SYMBOL>-<interval>-<date>.csv klines,
 * <SYMBOL>-trades-<date>.csv, <SYMBOL>-aggTrades-<date>.csv; daily or monthly;
 * with or without a header row; ms or µs timestamps) into one time-ordered
 * print list per symbol (ex_replay). Per symbol the finest source wins:
 * trades, else aggTrades, else the klines of the shortest interval; klines
 * become four prints each (open, low/high, high/low, close: docs/replay.md).
 * Every error names the file and line; lines and event counts are bounded. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay.h"

static const struct { const char *name; int64_t sec; } rp_intervals[] = {
    { "1s", 1 }, { "1m", 60 }, { "3m", 180 }, { "5m", 300 }, { "15m", 900 }, { "30m", 1800 },
    { "1h", 3600 }, { "2h", 7200 }, { "4h", 14400 }, { "6h", 21600 }, { "8h", 28800 },
    { "12h", 43200 }, { "1d", 86400 }, { "3d", 259200 }, { "1w", 604800 }, { "1mo", 0 },
};

static int64_t interval_sec(const char *iv)
{
    for (size_t i = 0; i < sizeof rp_intervals / sizeof *rp_intervals; i++)
        if (!strcmp(iv, rp_intervals[i].name)) return rp_intervals[i].sec;
    return -1;
}

static int all_digits(const char *s, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* "YYYY-MM" or "YYYY-MM-DD". */
static int date_ok(const char *d)
{
    size_t n = strlen(d);
    if (n != 7 && n != 10) return 0;
    if (!all_digits(d, 4) || d[4] != '-' || !all_digits(d + 5, 2)) return 0;
    return n == 7 || (d[7] == '-' && all_digits(d + 8, 2));
}

int ex_rp_name_parse(const char *file, char *sym, size_t symlen, ex_rp_kind *kind, char *iv, size_t ivlen)
{
    size_t n = strlen(file);
    char buf[256];
    if (n < 5 || n >= sizeof buf || strcmp(file + n - 4, ".csv")) return -1;
    memcpy(buf, file, n - 4);
    buf[n - 4] = 0;
    char *d1 = strchr(buf, '-');
    if (!d1 || d1 == buf) return -1;
    char *d2 = strchr(d1 + 1, '-');
    if (!d2) return -1;
    *d1 = *d2 = 0;
    const char *s = buf, *k = d1 + 1, *date = d2 + 1;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) return -1;
    if (!date_ok(date) || strlen(s) >= symlen) return -1;
    if (!strcmp(k, "trades")) *kind = EX_RP_TRADES;
    else if (!strcmp(k, "aggTrades")) *kind = EX_RP_AGGTRADES;
    else if (interval_sec(k) >= 0 && strlen(k) < ivlen) { *kind = EX_RP_KLINES; snprintf(iv, ivlen, "%s", k); }
    else return -1;
    if (*kind != EX_RP_KLINES && ivlen) iv[0] = 0;
    snprintf(sym, symlen, "%s", s);
    return 0;
}

/* ---- one file ---- */

typedef struct rp_file {
    const char *path;
    long line;
    char *err;
    size_t errlen;
    size_t max_events, *total;
} rp_file;

static int fail(rp_file *f, const char *msg)
{
    snprintf(f->err, f->errlen, "replay: %s:%ld: %s", f->path, f->line, msg);
    return -1;
}

static int parse_int(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (!all_digits(s, n) || n > 18) return -1;
    *out = strtoll(s, NULL, 10);
    return 0;
}

/* ms (13 digits today) or µs (16 digits, Binance's spot files from 2025):
 * told apart by magnitude - 10^14 ms would be the year 5138. */
static int parse_time(const char *s, int64_t *us, int64_t *unit)
{
    int64_t v;
    if (parse_int(s, &v)) return -1;
    if (v >= 100000000000000LL) { *us = v; *unit = 1; }
    else { *us = v * 1000; *unit = 1000; }
    return 0;
}

static int parse_bool(const char *s, int32_t *out)
{
    if (!strcmp(s, "True") || !strcmp(s, "true")) { *out = 1; return 0; }
    if (!strcmp(s, "False") || !strcmp(s, "false")) { *out = 0; return 0; }
    return -1;
}

static int parse_price(const char *s, dec_t *out)
{
    return dec_parse(s, out, 0) == DEC_OK ? 0 : -1;
}

static int push(rp_file *f, ex_rp_sym *rs, const ex_rp_event *e)
{
    if (++*f->total > f->max_events) return fail(f, "too many prints (raise --replay-max-events)");
    if (rs->n == rs->cap) {
        size_t nc = rs->cap ? rs->cap * 2 : 4096;
        ex_rp_event *nv = realloc(rs->ev, nc * sizeof *nv);
        if (!nv) return fail(f, "out of memory");
        rs->ev = nv;
        rs->cap = nc;
    }
    rs->ev[rs->n++] = *e;
    return 0;
}

/* Split a line in place at commas; returns the field count, or max + 1
 * (nothing split) when there are more than max. */
static int split(char *line, char **fld, int max)
{
    int n = 1;
    for (const char *q = line; (q = strchr(q, ',')); q++) n++;
    if (n > max) return max + 1;
    n = 0;
    for (char *p = line;;) {
        fld[n++] = p;
        char *c = strchr(p, ',');
        if (!c) return n;
        *c = 0;
        p = c + 1;
    }
}

static int row_trade(rp_file *f, ex_rp_sym *rs, char **v, int n, int agg)
{
    ex_rp_event e = { 0 };
    int64_t unit;
    int lo = agg ? 7 : 6, ti = agg ? 5 : 4, mi = agg ? 6 : 5;
    if (n < lo || n > lo + 1)
        return fail(f, agg ? "an aggTrades row has 7 or 8 columns" : "a trades row has 6 or 7 columns");
    if (parse_int(v[0], &e.id)) return fail(f, "bad id");
    if (parse_price(v[1], &e.price) || e.price <= 0) return fail(f, "bad price");
    if (parse_price(v[2], &e.qty) || e.qty <= 0) return fail(f, "bad quantity");
    if (parse_time(v[ti], &e.t_us, &unit)) return fail(f, "bad time");
    if (parse_bool(v[mi], &e.buyer_maker)) return fail(f, "bad isBuyerMaker (True or False)");
    return push(f, rs, &e);
}

/* A kline as four prints at open, +1/4, +1/2, +3/4 of its span: open, then
 * low and high (high first on a falling bar), then close; the volume split
 * in four (the last takes the rest). Exact again in the served klines of the
 * file's interval: open time, open, high, low, close, volume. */
static int row_kline(rp_file *f, ex_rp_sym *rs, char **v, int n)
{
    int64_t open_us, close_us, unit, unit2;
    dec_t o, h, l, c, vol;
    if (n < 11 || n > 12) return fail(f, "a klines row has 11 or 12 columns");
    if (parse_time(v[0], &open_us, &unit) || parse_time(v[6], &close_us, &unit2) || close_us < open_us
        || close_us - open_us > 31LL * 86400000000LL)      /* 1mo at most */
        return fail(f, "bad open or close time");
    if (parse_price(v[1], &o) || parse_price(v[2], &h) || parse_price(v[3], &l) || parse_price(v[4], &c)
        || l <= 0 || h < l || o < l || o > h || c < l || c > h)
        return fail(f, "bad open/high/low/close");
    if (parse_price(v[5], &vol)) return fail(f, "bad volume");
    if (vol <= 0) return 0;                      /* no trade in the bar: no print */
    int64_t span = close_us + unit2 - open_us;
    dec_t q = vol / 4, p[4] = { o, c >= o ? l : h, c >= o ? h : l, c };
    for (int k = 0; k < 4; k++) {
        ex_rp_event e = { .t_us = open_us + span * k / 4, .id = open_us, .sub = k, .price = p[k],
                          .qty = k == 3 ? vol - 3 * q : q, .buyer_maker = k && p[k] < p[k - 1] };
        if (e.qty <= 0) continue;                /* dust volume: fewer prints */
        if (push(f, rs, &e)) return -1;
    }
    return 0;
}

static int load_file(rp_file *f, ex_rp_sym *rs, ex_rp_kind kind)
{
    FILE *fp = fopen(f->path, "rb");
    char line[EX_RP_LINE_MAX + 2];
    f->line = 0;
    if (!fp) return fail(f, "cannot open");
    int rc = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        f->line++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[--n] = 0;
        else if (!feof(fp)) { rc = fail(f, "line longer than 512 bytes"); break; }
        if (n && line[n - 1] == '\r') line[--n] = 0;
        if (memchr(line, 0, n)) { rc = fail(f, "NUL byte"); break; }
        if (!n) continue;
        char *v[14];
        int nf = split(line, v, 13);
        if (nf > 13) rc = fail(f, "too many columns");
        else if (f->line == 1 && !all_digits(v[0], strlen(v[0]))) continue;   /* header row */
        else if (kind == EX_RP_KLINES) rc = row_kline(f, rs, v, nf);
        else rc = row_trade(f, rs, v, nf, kind == EX_RP_AGGTRADES);
    }
    if (!rc && ferror(fp)) rc = fail(f, "read error");
    fclose(fp);
    return rc;
}

/* ---- the directory ---- */

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int cmp_event(const void *a, const void *b)
{
    const ex_rp_event *x = a, *y = b;
    if (x->t_us != y->t_us) return x->t_us < y->t_us ? -1 : 1;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return (x->sub > y->sub) - (x->sub < y->sub);
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static int list_dir(const char *dir, char ***out, size_t *nout, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) { snprintf(err, errlen, "replay: cannot open directory %s", dir); return -1; }
    char **v = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        if (n == EX_RP_MAX_FILES) { snprintf(err, errlen, "replay: %s holds more than %d files", dir, EX_RP_MAX_FILES); goto bad; }
        char **nv = realloc(v, (n + 1) * sizeof *v);
        if (!nv || !(nv[n] = strdup(de->d_name))) { if (nv) v = nv; snprintf(err, errlen, "out of memory"); goto bad; }
        v = nv;
        n++;
    }
    closedir(d);
    if (n) qsort(v, n, sizeof *v, cmp_name);
    *out = v;
    *nout = n;
    return 0;
bad:
    closedir(d);
    free_names(v, n);
    return -1;
}

static int has_name(char **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) if (!strcmp(v[i], name)) return 1;
    return 0;
}

static ex_rp_sym *sym_get(ex_replay *rp, const char *name)
{
    for (size_t i = 0; i < rp->nsyms; i++) if (!strcmp(rp->syms[i].name, name)) return &rp->syms[i];
    ex_rp_sym *nv = realloc(rp->syms, (rp->nsyms + 1) * sizeof *nv);
    if (!nv) return NULL;
    rp->syms = nv;
    ex_rp_sym *s = &rp->syms[rp->nsyms++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    return s;
}

/* Is (kind, interval) a finer source than the one chosen so far? */
static int finer(const ex_rp_sym *s, ex_rp_kind kind, const char *iv)
{
    if (kind != s->kind) return kind > s->kind;
    if (kind != EX_RP_KLINES) return 0;
    int64_t a = interval_sec(iv), b = interval_sec(s->kline_iv);
    return a && (!b || a < b);
}

/* Pass 1: names only - every file recognised, the source of each symbol chosen. */
static int choose(ex_replay *rp, const char *dir, char **names, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        const char *nm = names[i];
        size_t len = strlen(nm);
        char sym[64], iv[8], csv[256];
        ex_rp_kind kind;
        if (len > 9 && !strcmp(nm + len - 9, ".CHECKSUM")) continue;
        if (len > 4 && !strcmp(nm + len - 4, ".zip")) {
            snprintf(csv, sizeof csv, "%.*s.csv", (int)(len - 4), nm);
            if (has_name(names, n, csv)) continue;
            snprintf(err, errlen, "replay: %s/%s: zip archives are not read; unzip them first "
                     "(cd %s && unzip -o '*.zip')", dir, nm, dir);
            return -1;
        }
        if (len <= 4 || strcmp(nm + len - 4, ".csv")) continue;   /* not a data file */
        if (ex_rp_name_parse(nm, sym, sizeof sym, &kind, iv, sizeof iv)) {
            snprintf(err, errlen, "replay: %s/%s: not a Binance market-data file name "
                     "(SYMBOL-1m-2025-01-01.csv, SYMBOL-trades-2025-01.csv, SYMBOL-aggTrades-...)", dir, nm);
            return -1;
        }
        ex_rp_sym *s = sym_get(rp, sym);
        if (!s) { snprintf(err, errlen, "out of memory"); return -1; }
        if (finer(s, kind, iv)) {
            s->kind = kind;
            snprintf(s->kline_iv, sizeof s->kline_iv, "%s", iv);
            s->kline_us = kind == EX_RP_KLINES ? interval_sec(iv) * 1000000 : 0;
        }
    }
    if (!rp->nsyms) { snprintf(err, errlen, "replay: %s holds no market-data .csv file", dir); return -1; }
    return 0;
}

/* Sort by time and drop repeats (a monthly file and a daily file of the same days). */
static void order_events(ex_rp_sym *s)
{
    if (s->n > 1) qsort(s->ev, s->n, sizeof *s->ev, cmp_event);
    size_t w = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (w && s->ev[w - 1].id == s->ev[i].id && s->ev[w - 1].sub == s->ev[i].sub
            && s->ev[w - 1].t_us == s->ev[i].t_us)
            continue;
        s->ev[w++] = s->ev[i];
    }
    s->n = w;
}

int ex_rp_load(ex_replay *rp, const char *dir, size_t max_events, char *err, size_t errlen)
{
    char **names = NULL;
    size_t n = 0, total = 0;
    if (list_dir(dir, &names, &n, err, errlen)) return -1;
    int rc = choose(rp, dir, names, n, err, errlen);
    for (size_t i = 0; !rc && i < n; i++) {
        char sym[64], iv[8], path[4200];
        ex_rp_kind kind;
        if (ex_rp_name_parse(names[i], sym, sizeof sym, &kind, iv, sizeof iv)) continue;
        ex_rp_sym *s = sym_get(rp, sym);
        if (!s || s->kind != kind || (kind == EX_RP_KLINES && strcmp(iv, s->kline_iv))) continue;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rp_file f = { .path = path, .err = err, .errlen = errlen, .max_events = max_events, .total = &total };
        rc = load_file(&f, s, kind);
        rp->nfiles++;
    }
    free_names(names, n);
    for (size_t i = 0; !rc && i < rp->nsyms; i++) {
        order_events(&rp->syms[i]);
        if (!rp->syms[i].n) {
            snprintf(err, errlen, "replay: %s: no print for %s in its files", dir, rp->syms[i].name);
            rc = -1;
        }
    }
    return rc;
}

void ex_rp_free(ex_replay *rp)
{
    for (size_t i = 0; i < rp->nsyms; i++) free(rp->syms[i].ev);
    free(rp->syms);
    memset(rp, 0, sizeof *rp);
}
