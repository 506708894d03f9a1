/*
 * gen.c - the soak test's scenario generator (see gen.h).
 *
 * Design. A case is drawn in three steps. First the system: service rate,
 * workers (or a staffing schedule), a target load rho and from it the arrival
 * rate of the first sweep point; then the arrival process (a renewal law of
 * any documented shape, MMPP, a rate schedule or a trace) and the service law;
 * then everything about running and measuring it (stop, warm-up, initial
 * state, replications, method, protection, variants, comparisons, control
 * variates). Each choice respects what the earlier ones allow (README: a
 * time-varying workload has no warm-up and no stationary start; batch means
 * need a steady state, no protection and N >= 80 x batches tasks; a stationary
 * start needs M/M/c; capacity >= every worker count), so nearly every valid
 * case loads; the few that the loader still refuses must do so with a
 * well-formed message. Broken cases start from a valid one and change one
 * thing whose error location is known.
 *
 * Cost. Every case is meant to run in milliseconds under ASan: the run
 * length (tasks per replication, including warm-up and an initial backlog)
 * times replications times sweep points is held under SOAK_BUDGET tasks, and
 * time-based stops and warm-ups are converted from a task count through the
 * arrival rate.
 *
 * Each top-level key is one entry, emitted in a shuffled order (the loader
 * must not care) so that a broken entry's line is known after rendering.
 */
#include "gen.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOAK_BUDGET 40000.0
#define MAX_ENTRIES 40

/* ---- randomness: splitmix64, the same on every platform ---- */

struct rnd {
    uint64_t s;
};

static uint64_t rnd_next(struct rnd *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform on [0, 1). */
static double unif(struct rnd *r)
{
    return (double)(rnd_next(r) >> 11) * 0x1.0p-53;
}

static bool chance(struct rnd *r, double p)
{
    return unif(r) < p;
}

/* Whole number in [lo, hi]. */
static long irange(struct rnd *r, long lo, long hi)
{
    return lo + (long)(rnd_next(r) % (uint64_t)(hi - lo + 1));
}

/* Log-uniform on [lo, hi], lo > 0. */
static double logu(struct rnd *r, double lo, double hi)
{
    return lo * pow(hi / lo, unif(r));
}

/* An index in [0, n) with probability proportional to w[i]. */
static size_t pickw(struct rnd *r, const double *w, size_t n)
{
    double total = 0, u;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    u = unif(r) * total;
    for (size_t i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

#define PICK(r, w) pickw(r, w, sizeof w / sizeof w[0])

static const char *pick_str(struct rnd *r, const char *const *s, size_t n)
{
    return s[irange(r, 0, (long)n - 1)];
}

#define PICK_STR(r, s) pick_str(r, s, sizeof s / sizeof s[0])

/* ---- text ---- */

struct sb {
    char *p;
    size_t n, cap;
};

static void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0)
        abort();
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* A number as YAML reads it back: 6 significant digits, or a whole number. */
static const char *num(char *buf, double x)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, 32, "%.0f", x);
    else
        snprintf(buf, 32, "%.6g", x);
    return buf;
}

#define N(x) num((char[32]){0}, (x))

/* ---- the document: one entry per top-level key ---- */

struct entry {
    char key[24];
    struct sb text; /* the whole entry, "key: ...\n", possibly several lines */
    int line;       /* its first line once rendered */
};

struct doc {
    struct entry e[MAX_ENTRIES];
    size_t n;
};

/* A new entry for key (its text starts with "key: "), or the existing one emptied. */
static struct sb *entry(struct doc *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->e[i].key, key) == 0) {
            d->e[i].text.n = 0;
            sb_add(&d->e[i].text, "%s: ", key);
            return &d->e[i].text;
        }
    if (d->n == MAX_ENTRIES)
        abort();
    struct entry *e = &d->e[d->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->key, sizeof e->key, "%s", key);
    sb_add(&e->text, "%s: ", key);
    return &e->text;
}

static struct entry *find(struct doc *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->e[i].key, key) == 0)
            return &d->e[i];
    return NULL;
}

static void doc_fini(struct doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->e[i].text.p);
    d->n = 0;
}

static void shuffle(struct rnd *r, struct doc *d)
{
    for (size_t i = d->n; i > 1; i--) {
        size_t j = (size_t)irange(r, 0, (long)i - 1);
        struct entry t = d->e[i - 1];
        d->e[i - 1] = d->e[j];
        d->e[j] = t;
    }
}

/* The document's text, each entry's line recorded. */
static char *render(struct doc *d, const char *head, size_t *len)
{
    struct sb out = {0};
    int line = 1;
    sb_add(&out, "%s", head);
    for (const char *p = head; *p; p++)
        line += *p == '\n';
    for (size_t i = 0; i < d->n; i++) {
        d->e[i].line = line;
        sb_add(&out, "%s", d->e[i].text.p);
        for (size_t k = 0; k < d->e[i].text.n; k++)
            line += d->e[i].text.p[k] == '\n';
    }
    if (out.p == NULL)
        sb_add(&out, "%s", "");
    *len = out.n;
    return out.p;
}

/* ---- the system being generated ---- */

enum arrival_kind { ARR_RENEWAL, ARR_MMPP, ARR_SCHEDULE, ARR_TRACE };

struct sys {
    enum arrival_kind arrival;
    bool staffing;       /* workers vary in time */
    bool trace_services; /* the trace has a service column */
    bool trace_big;      /* the 19721-line trace */
    bool svc_trace;      /* service: {dist: trace} */
    bool arr_exp;        /* plain Poisson arrivals, no batches, one rate value */
    bool svc_exp;        /* exponential service, one rate value */
    bool protect;        /* capacity, shed, throttle or patience */
    bool batch_means;
    bool precision;
    bool variants;
    bool variant_workers; /* some variant sets workers or staffing */
    double mu;            /* service rate of the first point */
    double lam;           /* task arrival rate of the first point (estimate) */
    double rho_max;       /* the highest load of any point (estimate) */
    double c0, wmax;      /* workers of the first point; the most of any point */
    double capacity;      /* K, 0: none */
    size_t points;        /* sweep points, every variant's */
    size_t n_arrival, n_workers;
    long reps, reps_max;
    double tasks; /* measured tasks per replication (estimate) */
};

static double pick_mu(struct rnd *r)
{
    static const double w[] = {70, 8, 8, 14};
    switch (PICK(r, w)) {
    case 0:
        return logu(r, 0.5, 200);
    case 1:
        return logu(r, 1e-6, 1e-3);
    case 2:
        return logu(r, 1e5, 1e9);
    default:
        return 1;
    }
}

static double pick_rho(struct rnd *r)
{
    static const double w[] = {55, 12, 5, 3, 10, 10, 5};
    switch (PICK(r, w)) {
    case 0:
        return 0.1 + 0.8 * unif(r);
    case 1:
        return 0.9 + 0.099 * unif(r);
    case 2:
        return 1;
    case 3:
        return 0.9999;
    case 4:
        return 1.01 + 2 * unif(r);
    case 5:
        return logu(r, 1e-4, 0.1);
    default:
        return 0.5;
    }
}

static double pick_workers(struct rnd *r)
{
    static const double w[] = {30, 25, 20, 12, 9, 4};
    switch (PICK(r, w)) {
    case 0:
        return 1;
    case 1:
        return (double)irange(r, 2, 4);
    case 2:
        return (double)irange(r, 5, 20);
    case 3:
        return (double)irange(r, 21, 200);
    case 4:
        return (double)irange(r, 500, 2000);
    default:
        return (double)irange(r, 2001, 5000);
    }
}

/* A YAML single-quoted string with some characters CSV, JSON and the table must carry. */
static void odd_string(struct rnd *r, struct sb *b, const char *stem)
{
    static const char *const tails[] = {
        "",           " with, a comma", " \"quoted\"",
        " it''s",     " back\\slash",   " caf\xc3\xa9",
        " tab\there", " 100% {x}",      " # not a comment",
    };
    sb_add(b, "'%s%s'", stem, PICK_STR(r, tails));
}

/*
 * A distribution's shape keys for dist (without braces), and whether the shape fixes the mean
 * (no rate axis then). mean is the mean the shape should have if it fixes it.
 */
static bool shape_keys(struct rnd *r, struct sb *b, const char *dist, double mean,
                       const struct soak_paths *paths)
{
    char x[32];
    if (strcmp(dist, "uniform") == 0) {
        if (chance(r, 0.5)) {
            sb_add(b, ", scv: %s", num(x, logu(r, 0.001, 1.0 / 3.0)));
            return false;
        }
        double a = 0.05 + 0.9 * unif(r);
        sb_add(b, ", min: %s", num(x, mean * (1 - a)));
        sb_add(b, ", max: %s", num(x, mean * (1 + a)));
        return true;
    }
    if (strcmp(dist, "erlang") == 0) {
        static const double w[] = {40, 40, 15, 5};
        static const long k[] = {1, 2, 4, 1000};
        long kk = k[PICK(r, w)];
        sb_add(b, ", k: %ld", kk == 4 ? irange(r, 3, 30) : kk);
        return false;
    }
    if (strcmp(dist, "gamma") == 0 || strcmp(dist, "weibull") == 0) {
        if (chance(r, 0.6))
            sb_add(b, ", scv: %s", num(x, logu(r, 0.01, 20)));
        else
            sb_add(b, ", shape: %s", num(x, logu(r, 0.2, 20)));
        return false;
    }
    if (strcmp(dist, "lognormal") == 0) {
        sb_add(b, ", scv: %s", num(x, logu(r, 0.01, 20)));
        return false;
    }
    if (strcmp(dist, "pareto") == 0) {
        if (chance(r, 0.5))
            sb_add(b, ", scv: %s", num(x, logu(r, 0.05, 10)));
        else
            sb_add(b, ", shape: %s",
                   num(x, chance(r, 0.3) ? 1.5 + unif(r) * 0.5 : 2.1 + 3 * unif(r)));
        return false;
    }
    if (strcmp(dist, "hyperexponential") == 0) {
        if (chance(r, 0.6)) {
            sb_add(b, ", scv: %s", num(x, chance(r, 0.1) ? 1 : logu(r, 1, 30)));
            return false;
        }
        /* balanced: p / r1 = (1 - p) / r2 = mean / 2 */
        double p = (double)irange(r, 5, 95) / 100; /* two decimals: the pair sums to 1 */
        sb_add(b, ", probs: [%s", num(x, p));
        sb_add(b, ", %s]", num(x, 1 - p));
        sb_add(b, ", rates: [%s", num(x, 2 * p / mean));
        sb_add(b, ", %s]", num(x, 2 * (1 - p) / mean));
        return true;
    }
    if (strcmp(dist, "empirical") == 0) {
        sb_add(b, ", file: '%s'", paths->samples);
        return chance(r, 0.25);
    }
    return false; /* exponential, deterministic */
}

static const char *pick_dist(struct rnd *r, bool arrival)
{
    static const char *const names[] = {
        "exponential", "deterministic", "uniform", "erlang",           "gamma",
        "lognormal",   "weibull",       "pareto",  "hyperexponential", "empirical"};
    static const double wa[] = {40, 7, 6, 6, 6, 6, 6, 5, 10, 4};
    static const double ws[] = {45, 10, 6, 7, 6, 6, 5, 4, 8, 3};
    return names[arrival ? PICK(r, wa) : PICK(r, ws)];
}

/* A rate axis: one value v or a short list around it (n values written to *n). */
static void axis(struct rnd *r, struct sb *b, double v, double p_list, size_t *n)
{
    char x[32];
    *n = 1;
    if (!chance(r, p_list)) {
        sb_add(b, "%s", num(x, v));
        return;
    }
    *n = (size_t)irange(r, 2, 3);
    sb_add(b, "[%s", num(x, v));
    for (size_t i = 1; i < *n; i++)
        sb_add(b, ", %s", num(x, v * (0.5 + unif(r))));
    sb_add(b, "]");
}

/* batch: {size | mean | sizes + probs} */
static double batch_keys(struct rnd *r, struct sb *b)
{
    static const double w[] = {35, 35, 30};
    switch (PICK(r, w)) {
    case 0: {
        long k = chance(r, 0.05) ? 1000 : irange(r, 1, 5);
        sb_add(b, ", batch: {size: %ld}", k);
        return (double)k;
    }
    case 1: {
        double m = 1 + 3 * unif(r);
        sb_add(b, ", batch: {mean: %s}", N(m));
        return m;
    }
    default:
        sb_add(b, ", batch: {sizes: [1, 2, 5], probs: [0.5, 0.3, 0.2]}");
        return 0.5 + 0.6 + 1.0;
    }
}

/* arrival: renewal or MMPP, with a rate, load or mean (possibly a sweep list). */
static void arrival_renewal(struct rnd *r, struct doc *d, struct sys *s,
                            const struct soak_paths *paths)
{
    struct sb *b = entry(d, "arrival");
    const char *dist = chance(r, 0.08) ? "mmpp" : pick_dist(r, true);
    bool batch = chance(r, 0.12);
    sb_add(b, "{dist: %s", dist);
    if (strcmp(dist, "mmpp") == 0) {
        double on = logu(r, 1, 20), off = chance(r, 0.3) ? 0 : logu(r, 0.05, 1);
        double s_on = logu(r, 0.1, 10) / s->lam, s_off = logu(r, 0.1, 10) / s->lam;
        sb_add(b, ", rates: [%s", N(on * s->lam));
        sb_add(b, ", %s]", N(off * s->lam));
        sb_add(b, ", sojourns: [%s", N(s_on * 50));
        sb_add(b, ", %s]", N(s_off * 50));
        s->arrival = ARR_MMPP;
        if (chance(r, 0.2)) { /* the rates as written */
            s->lam = (on * s_on + off * s_off) / (s_on + s_off) * s->lam;
            s->n_arrival = 1;
        } else {
            sb_add(b, ", rate: ");
            axis(r, b, s->lam, 0.15, &s->n_arrival);
        }
    } else {
        bool fixed = shape_keys(r, b, dist, 1 / s->lam, paths);
        static const double w[] = {60, 20, 20};
        size_t how = fixed ? 3 : PICK(r, w);
        if (strcmp(dist, "empirical") == 0 && fixed)
            s->lam = 1 / 1.8; /* the samples' mean */
        if (how == 0) {
            sb_add(b, ", rate: ");
            axis(r, b, s->lam, 0.2, &s->n_arrival);
        } else if (how == 1) {
            sb_add(b, ", load: ");
            axis(r, b, s->lam / (s->c0 * s->mu), 0.2, &s->n_arrival);
        } else if (how == 2) {
            sb_add(b, ", mean: ");
            axis(r, b, 1 / s->lam, 0.1, &s->n_arrival);
        }
        s->arr_exp = strcmp(dist, "exponential") == 0 && s->n_arrival == 1;
    }
    if (batch) {
        batch_keys(r, b);
        s->arr_exp = false;
    }
    sb_add(b, "}\n");
}

/* arrival: {schedule: ...}: a rate that varies in time (no rate axis). */
static void arrival_schedule(struct rnd *r, struct doc *d, struct sys *s)
{
    struct sb *b = entry(d, "arrival");
    size_t n = (size_t)irange(r, 1, 5);
    double span = (double)irange(r, 20, 400) / s->lam, t = 0;
    sb_add(b, "{schedule: {times: [0");
    for (size_t i = 1; i < n; i++) {
        t += span / (double)n * (0.2 + unif(r));
        sb_add(b, ", %s", N(t));
    }
    sb_add(b, "], rates: [");
    for (size_t i = 0; i < n; i++) {
        double v = s->lam * (chance(r, 0.15) ? 0 : 0.2 + 2 * unif(r));
        if (i == 0 && v == 0)
            v = s->lam;
        sb_add(b, "%s%s", i ? ", " : "", N(v));
    }
    sb_add(b, "]");
    if (chance(r, 0.6))
        sb_add(b, ", interpolate: %s", chance(r, 0.5) ? "linear" : "step");
    sb_add(b, "}");
    if (chance(r, 0.1))
        batch_keys(r, b);
    sb_add(b, "}\n");
    s->arrival = ARR_SCHEDULE;
}

/* arrival: {trace: FILE, scale: x}: a recorded log (no rate axis). */
static void arrival_trace(struct rnd *r, struct doc *d, struct sys *s,
                          const struct soak_paths *paths)
{
    static const double w[] = {50, 25, 25};
    struct sb *b = entry(d, "arrival");
    size_t which = PICK(r, w);
    const char *file = which == 0   ? paths->trace_tiny
                       : which == 1 ? paths->trace_times
                                    : paths->trace_big;
    sb_add(b, "{trace: '%s'", file);
    if (chance(r, 0.4))
        sb_add(b, ", scale: %s", N(logu(r, 0.1, 10)));
    sb_add(b, "}\n");
    s->arrival = ARR_TRACE;
    s->trace_services = which != 1;
    s->trace_big = which == 2;
    s->lam = which == 2 ? 33 : 8;
}

static void service(struct rnd *r, struct doc *d, struct sys *s, const struct soak_paths *paths)
{
    struct sb *b = entry(d, "service");
    bool block = chance(r, 0.2);
    if (s->arrival == ARR_TRACE && s->trace_services && chance(r, 0.35)) {
        sb_add(b, block ? "\n  dist: trace\n" : "{dist: trace}\n");
        s->mu = s->trace_big ? 10 : 8;
        s->svc_trace = true;
        return;
    }
    const char *dist = pick_dist(r, false);
    struct sb inner = {0};
    size_t n = 1;
    bool fixed = shape_keys(r, &inner, dist, 1 / s->mu, paths);
    if (strcmp(dist, "empirical") == 0 && fixed)
        s->mu = 1 / 1.8;
    if (!fixed) {
        bool mean = chance(r, 0.3);
        sb_add(&inner, mean ? ", mean: " : ", rate: ");
        axis(r, &inner, mean ? 1 / s->mu : s->mu, 0.08, &n);
    }
    s->svc_exp = strcmp(dist, "exponential") == 0 && n == 1;
    s->points *= n;
    if (block) {
        /* the same keys, one per line */
        sb_add(b, "\n  dist: %s\n", dist);
        for (char *p = inner.p; p != NULL && *p;) {
            char *q = p + 2; /* skip ", " */
            char *next = strstr(q, ", ");
            /* a list holds ", " too: split only where a key follows */
            while (next != NULL && strchr("0123456789-.", next[2]) != NULL)
                next = strstr(next + 2, ", ");
            sb_add(b, "  %.*s\n", (int)(next ? next - q : (long)strlen(q)), q);
            p = next;
        }
    } else {
        sb_add(b, "{dist: %s%s}\n", dist, inner.p ? inner.p : "");
    }
    free(inner.p);
}

static void workers(struct rnd *r, struct doc *d, struct sys *s)
{
    struct sb *b;
    if (s->staffing) {
        size_t n = (size_t)irange(r, 1, 4);
        double t = 0, c;
        b = entry(d, "staffing");
        sb_add(b, "{times: [0");
        for (size_t i = 1; i < n; i++) {
            t += (double)irange(r, 5, 200) / s->lam;
            sb_add(b, ", %s", N(t));
        }
        sb_add(b, "], workers: [");
        s->wmax = 0;
        for (size_t i = 0; i < n; i++) {
            c = i == 0 ? s->c0 : (double)irange(r, 1, (long)s->c0 + 3);
            s->wmax = c > s->wmax ? c : s->wmax;
            sb_add(b, "%s%s", i ? ", " : "", N(c));
        }
        sb_add(b, "]}\n");
        return;
    }
    b = entry(d, "workers");
    s->wmax = s->c0;
    if (chance(r, 0.15)) {
        s->n_workers = (size_t)irange(r, 2, 3);
        sb_add(b, "[%s", N(s->c0));
        for (size_t i = 1; i < s->n_workers; i++) {
            double c = s->c0 + (double)irange(r, 1, 3) * (double)i;
            s->wmax = c > s->wmax ? c : s->wmax;
            sb_add(b, ", %s", N(c));
        }
        sb_add(b, "]\n");
    } else {
        sb_add(b, "%s\n", N(s->c0));
    }
}

/* A patience law: a distribution with one rate or mean. */
static void patience(struct rnd *r, struct sb *b, const struct sys *s,
                     const struct soak_paths *paths)
{
    static const char *const dists[] = {
        "exponential", "exponential", "exponential", "deterministic", "gamma",
        "weibull",     "uniform",     "empirical",   "lognormal",     "hyperexponential"};
    const char *dist = PICK_STR(r, dists);
    double mean = logu(r, 0.1, 10) / s->mu;
    struct sb inner = {0};
    bool fixed = shape_keys(r, &inner, dist, mean, paths);
    sb_add(b, "{dist: %s%s", dist, inner.p ? inner.p : "");
    if (!fixed && chance(r, 0.5))
        sb_add(b, ", rate: %s", N(1 / mean));
    else if (!fixed)
        sb_add(b, ", mean: %s", N(mean));
    sb_add(b, "}\n");
    free(inner.p);
}

static void protection(struct rnd *r, struct doc *d, struct sys *s, const struct soak_paths *paths)
{
    if (chance(r, 0.45)) {
        s->capacity = s->wmax + (double)irange(r, 0, chance(r, 0.2) ? 200 : 10);
        sb_add(entry(d, "capacity"), "%s\n", N(s->capacity));
    }
    if (chance(r, 0.4))
        sb_add(entry(d, "shed"), "{threshold: %ld%s}\n", irange(r, 0, 12),
               chance(r, 0.3)   ? ""
               : chance(r, 0.5) ? ", drop: newest"
                                : ", drop: oldest");
    if (chance(r, 0.5)) {
        struct sb *b = entry(d, "throttle");
        double rate = chance(r, 0.05) ? 1e-6 * s->lam : s->lam * (0.3 + 1.2 * unif(r));
        sb_add(b, "{rate: %s", N(rate));
        if (chance(r, 0.5))
            sb_add(b, ", burst: %ld", irange(r, 1, 20));
        if (chance(r, 0.8))
            sb_add(b, ", excess: %s", chance(r, 0.4) ? "reject" : "delay");
        sb_add(b, "}\n");
    }
    if (chance(r, 0.4) ||
        (find(d, "capacity") == NULL && find(d, "shed") == NULL && find(d, "throttle") == NULL))
        patience(r, entry(d, "patience"), s, paths);
    s->protect = true;
}

/* stop: tasks or time, perhaps with a precision rule. */
static void stop(struct rnd *r, struct doc *d, struct sys *s)
{
    double n = s->tasks;
    if (s->arrival == ARR_TRACE && chance(r, 0.5))
        return; /* the trace ends the run */
    struct sb *b = entry(d, "stop");
    if (s->precision) {
        static const char *const metrics[] = {"utilization", "throughput", "Lq", "L",
                                              "Wq",          "W",          "T",  "P_wait"};
        sb_add(b, "{tasks: %s, precision: %s", N(n), N(logu(r, 0.01, 0.5)));
        if (chance(r, 0.5))
            sb_add(b, ", metric: %s", PICK_STR(r, metrics));
        if (chance(r, 0.3))
            sb_add(b, ", confidence: %s", N(0.5 + 0.49 * unif(r)));
        sb_add(b, ", max_replications: %ld", s->reps_max);
        if (chance(r, 0.2))
            sb_add(b, ", max_time: 3600");
        sb_add(b, "}\n");
        return;
    }
    if (!s->batch_means && chance(r, 0.25)) {
        sb_add(b, "{time: %s}\n", N(n / s->lam));
        return;
    }
    sb_add(b, chance(r, 0.3) ? "%s\n" : "{tasks: %s}\n", N(n));
}

static void warmup(struct rnd *r, struct doc *d, const struct sys *s, bool stationary)
{
    bool tv = s->arrival == ARR_SCHEDULE || s->arrival == ARR_TRACE || s->staffing;
    double n = (double)irange(r, 0, 500);
    if (tv) {
        if (chance(r, 0.4))
            sb_add(entry(d, "warmup"), chance(r, 0.7) ? "none\n" : "0\n");
        return;
    }
    static const double w[] = {35, 10, 20, 10, 13, 12};
    size_t how = s->protect && chance(r, 0.3) ? 2 : PICK(r, w);
    if (s->batch_means && !stationary && (how == 2 || n == 0))
        how = 0;
    switch (how) {
    case 0:
        break; /* auto */
    case 1:
        sb_add(entry(d, "warmup"), "auto\n");
        break;
    case 2:
        sb_add(entry(d, "warmup"), "none\n");
        break;
    case 3:
        sb_add(entry(d, "warmup"), "%s\n", N(n));
        break;
    case 4:
        sb_add(entry(d, "warmup"), "{tasks: %s}\n", N(n));
        break;
    default:
        sb_add(entry(d, "warmup"), "{time: %s}\n", N(n / s->lam));
        break;
    }
}

/* Variants: 2 or 3, each changing one or two things about the system. */
static void variants(struct rnd *r, struct doc *d, struct sys *s)
{
    size_t n = (size_t)irange(r, 2, 3), base_points = s->points;
    struct sb *b = entry(d, "variants");
    sb_add(b, "\n");
    for (size_t v = 0; v < n; v++) {
        char stem[24];
        unsigned used = 0; /* each key at most once in a variant */
        snprintf(stem, sizeof stem, "v%zu", v);
        sb_add(b, "  - {name: ");
        if (chance(r, 0.2))
            odd_string(r, b, stem);
        else
            sb_add(b, "%s", stem);
        size_t k = v == 0 && chance(r, 0.5) ? 0 : (size_t)irange(r, 1, 2);
        for (size_t i = 0; i < k; i++) {
            static const double w[] = {20, 15, 12, 10, 10, 8, 8, 8, 9};
            size_t which = PICK(r, w);
            if (used & 1u << which)
                continue;
            used |= 1u << which;
            switch (which) {
            case 0:
                if (!s->svc_trace)
                    sb_add(b, ", service: {rate: %s}", N(s->mu * (0.5 + unif(r))));
                break;
            case 1:
                if (s->arrival == ARR_RENEWAL)
                    sb_add(b, ", arrival: {dist: hyperexponential, scv: %s}", N(logu(r, 1, 10)));
                else if (s->arrival == ARR_TRACE)
                    sb_add(b, ", arrival: {scale: %s}", N(logu(r, 0.5, 2)));
                break;
            case 2:
                if (!s->staffing && !s->variant_workers) {
                    double c = s->capacity > 0 ? s->capacity : s->wmax + 3;
                    sb_add(b, ", workers: %ld", irange(r, 1, (long)c));
                    s->variant_workers = true;
                }
                break;
            case 3:
                sb_add(b, ", network_delay: %s", N(logu(r, 1e-4, 1)));
                break;
            case 4:
                sb_add(b, ", mem_per_task: %s", N(logu(r, 0.01, 10)));
                break;
            case 5:
                if (!s->batch_means)
                    sb_add(b, ", patience: {rate: %s}", N(s->mu * logu(r, 0.1, 10)));
                break;
            case 6:
                if (!s->batch_means)
                    sb_add(b, ", capacity: %s", N(s->wmax + (double)irange(r, 0, 10)));
                break;
            case 7:
                if (!s->batch_means)
                    sb_add(b, ", throttle: {rate: %s, excess: %s}", N(s->lam * (0.5 + unif(r))),
                           chance(r, 0.5) ? "reject" : "delay");
                break;
            default:
                sb_add(b, ", description: ");
                odd_string(r, b, "variant");
                break;
            }
        }
        sb_add(b, "}\n");
    }
    s->points = base_points * n;
}

/* The run: stop, warm-up, initial state, replications, method and the rest. */
static void run_keys(struct rnd *r, struct doc *d, struct sys *s)
{
    bool tv = s->arrival == ARR_SCHEDULE || s->arrival == ARR_TRACE || s->staffing;
    bool stationary = false;
    double backlog = 0;
    if (!tv && s->arr_exp && s->svc_exp && !s->protect && s->rho_max < 0.98 && chance(r, 0.2)) {
        sb_add(entry(d, "initial"), "stationary\n");
        stationary = true;
    } else if (chance(r, 0.15)) {
        backlog = (double)irange(r, 0, chance(r, 0.2) ? 2000 : 50);
        sb_add(entry(d, "initial"), "{in_system: %s}\n", N(backlog));
    } else if (chance(r, 0.05)) {
        sb_add(entry(d, "initial"), "empty\n");
    }
    if (s->batch_means) {
        long batches = irange(r, 10, 25);
        sb_add(entry(d, "method"), "batch-means\n");
        if (chance(r, 0.6))
            sb_add(entry(d, "batches"), "%ld\n", batches);
        else
            batches = 30;
        if (chance(r, 0.5))
            sb_add(entry(d, "replications"), "1\n");
        s->tasks = (double)(80 * batches) + (double)irange(r, 0, 1000);
        s->reps = s->reps_max = 1;
    } else {
        if (chance(r, 0.05))
            sb_add(entry(d, "method"), "replications\n");
        bool cv = chance(r, 0.12);
        s->reps = cv && chance(r, 0.7) ? irange(r, 8, 12) : irange(r, 1, 5);
        if (cv)
            sb_add(entry(d, "control_variates"), "true\n");
        else if (chance(r, 0.05))
            sb_add(entry(d, "control_variates"), "false\n");
        if (chance(r, 0.9) || s->reps != 10)
            sb_add(entry(d, "replications"), "%ld\n", s->reps);
        s->reps_max = s->precision ? s->reps + irange(r, 0, 4) : s->reps;
        /* tasks per replication, within the budget */
        double per = SOAK_BUDGET / (double)s->points / (double)s->reps_max;
        s->tasks = floor(fmin(logu(r, 10, 3000), per - backlog));
        if (s->tasks < 10)
            s->tasks = 10;
    }
    stop(r, d, s);
    warmup(r, d, s, stationary);
}

static void misc_keys(struct rnd *r, struct doc *d, const struct sys *s)
{
    if (chance(r, 0.3)) {
        static const double delays[] = {0, 0.001, 0.05, 2, 1e6, 1e300};
        struct sb *b = entry(d, "network_delay");
        if (chance(r, 0.15))
            sb_add(b, "[0, 0.01]\n");
        else
            sb_add(b, "%s\n", N(delays[irange(r, 0, 5)]));
    }
    if (chance(r, 0.3)) {
        static const double mem[] = {0, 0.5, 1, 1e6};
        sb_add(entry(d, "mem_per_task"), "%s\n", N(mem[irange(r, 0, 3)]));
    }
    if (chance(r, 0.15))
        sb_add(entry(d, "wait_threshold"), "%s\n", chance(r, 0.2) ? "0" : N(3 * unif(r) / s->mu));
    if (s->points > 1 && chance(r, 0.35))
        sb_add(entry(d, "compare"), "%s\n", chance(r, 0.5) ? "adjacent" : "baseline");
    else if (chance(r, 0.03))
        sb_add(entry(d, "compare"), "none\n");
    if (chance(r, 0.8)) {
        uint64_t seed = chance(r, 0.1) ? UINT64_MAX : rnd_next(r) % 100000;
        sb_add(entry(d, "seed"), "%llu\n", (unsigned long long)seed);
    }
    if (chance(r, 0.15)) {
        static const char *const rngs[] = {"taus2", "mt19937", "ranlxd2", "gfsr4", "ranlux",
                                           "mrg",   "cmrg",    "taus",    "ran3"};
        sb_add(entry(d, "rng"), "%s\n", PICK_STR(r, rngs));
    }
    if (chance(r, 0.3)) {
        struct sb *b = entry(d, "name");
        odd_string(r, b, "soak");
        sb_add(b, "\n");
    }
    if (chance(r, 0.3)) {
        struct sb *b = entry(d, "description");
        odd_string(r, b, "a generated scenario");
        sb_add(b, "\n");
    }
}

/* Valid overrides that are safe for this scenario, appended to c. */
static void valid_overrides(struct rnd *r, struct soak_case *c, const struct sys *s,
                            const struct doc *d)
{
    size_t k = chance(r, 0.25) ? (size_t)irange(r, 1, 3) : 0;
    for (size_t i = 0; i < k && c->n_ov < SOAK_MAX_OV - 1; i++) {
        char *o = c->ov[c->n_ov];
        switch (irange(r, 0, 6)) {
        case 0:
            snprintf(o, SOAK_OV_LEN, "seed=%llu", (unsigned long long)(rnd_next(r) % 1000));
            break;
        case 1:
            snprintf(o, SOAK_OV_LEN, "mem_per_task=%s", N(logu(r, 0.1, 4)));
            break;
        case 2:
            snprintf(o, SOAK_OV_LEN, "network_delay=%s",
                     chance(r, 0.3) ? "[0, 0.002]" : N(logu(r, 1e-4, 1)));
            break;
        case 3:
            snprintf(o, SOAK_OV_LEN, "wait_threshold=%s", N(unif(r) / s->mu));
            break;
        case 4:
            if (s->batch_means || s->precision)
                continue;
            snprintf(o, SOAK_OV_LEN, "replications=%ld", irange(r, 1, s->reps));
            break;
        case 5:
            snprintf(o, SOAK_OV_LEN, "description=from --set %d", (int)i);
            break;
        default:
            if (s->staffing || s->capacity > 0 || s->variant_workers ||
                find((struct doc *)d, "initial"))
                continue;
            snprintf(o, SOAK_OV_LEN, "workers=[%s, %s]", N(s->c0), N(s->c0 + 1));
            break;
        }
        c->n_ov++;
    }
}

/* A valid-looking scenario into d (and overrides into c). */
static void valid(struct rnd *r, struct doc *d, struct soak_case *c, struct sys *s,
                  const struct soak_paths *paths)
{
    static const double wa[] = {80, 8, 8};
    *s = (struct sys){.mu = pick_mu(r), .c0 = pick_workers(r), .points = 1};
    double rho = pick_rho(r);
    s->staffing = chance(r, 0.07);
    s->lam = rho * s->c0 * s->mu;
    s->rho_max = rho;
    sb_add(entry(d, "model"), "mmc\n");
    switch (PICK(r, wa)) {
    case 0:
        arrival_renewal(r, d, s, paths);
        break;
    case 1:
        arrival_schedule(r, d, s);
        break;
    default:
        arrival_trace(r, d, s, paths);
        break;
    }
    service(r, d, s, paths);
    workers(r, d, s);
    s->n_arrival = s->n_arrival ? s->n_arrival : 1;
    s->n_workers = s->n_workers ? s->n_workers : 1;
    s->points *= s->n_arrival * s->n_workers;
    if (s->n_arrival > 1)
        s->rho_max *= 1.5;
    bool tv = s->arrival == ARR_SCHEDULE || s->arrival == ARR_TRACE || s->staffing;
    if (!tv && chance(r, 0.08))
        s->batch_means = true;
    if (!s->batch_means && chance(r, 0.25))
        protection(r, d, s, paths);
    s->precision = !s->batch_means && chance(r, 0.08);
    if (!s->batch_means && chance(r, 0.12)) {
        s->variants = true;
        variants(r, d, s);
    }
    misc_keys(r, d, s);
    if (find(d, "network_delay") && strchr(find(d, "network_delay")->text.p, '['))
        s->points *= 2;
    run_keys(r, d, s);
    valid_overrides(r, c, s, d);
}

/* ---- broken cases ---- */

/* Remove the valid overrides of top-level key (a later one would replace a broken value). */
static void drop_overrides(struct soak_case *c, const char *key)
{
    size_t k = 0, len = strlen(key);
    for (size_t i = 0; i < c->n_ov; i++) {
        const char *o = c->ov[i];
        if (strncmp(o, key, len) == 0 && (o[len] == '=' || o[len] == '.'))
            continue;
        if (k != i)
            memcpy(c->ov[k], c->ov[i], SOAK_OV_LEN);
        k++;
    }
    c->n_ov = k;
}

/* Keys a variant may set: a broken value there could be replaced by the variant's. */
static bool variant_settable(const char *key)
{
    static const char *const keys[] = {"arrival",      "service",  "workers",    "network_delay",
                                       "mem_per_task", "capacity", "shed",       "throttle",
                                       "patience",     "staffing", "description"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

struct bad_value {
    const char *key, *value;
};

/* One key set to a value of the wrong type or out of range: the error is on its line. */
static void break_value(struct rnd *r, struct doc *d, struct soak_case *c, const struct sys *s,
                        const char **key_out)
{
    static const struct bad_value bad[] = {
        {"model", "mmk"},
        {"model", "[mmc]"},
        {"replications", "0"},
        {"replications", "abc"},
        {"replications", "2.5"},
        {"replications", "\"3\""},
        {"seed", "-1"},
        {"seed", "18446744073709551616"},
        {"control_variates", "yes"},
        {"control_variates", "1"},
        {"method", "batchmeans"},
        {"compare", "both"},
        {"wait_threshold", "-0.5"},
        {"wait_threshold", ".nan"},
        {"rng", "nosuchrng"},
        {"stop", "0"},
        {"stop", "{tasks: 0}"},
        {"stop", "{time: -1}"},
        {"stop", "{tasks: 10, time: 5}"},
        {"stop", "soon"},
        {"warmup", "{tasks: -1}"},
        {"warmup", "later"},
        {"warmup", "1e400"},
        {"initial", "full"},
        {"initial", "{in_system: -2}"},
        {"workers", "0"},
        {"workers", "abc"},
        {"workers", "1.5"},
        {"workers", "[1, x]"},
        {"workers", "{c: 2}"},
        {"network_delay", "-1"},
        {"network_delay", ".inf"},
        {"mem_per_task", "\"1\""},
        {"capacity", "0"},
        {"arrival", "5"},
        {"arrival", "{rate: -3}"},
        {"arrival", "{rate: 1, load: 0.5}"},
        {"service", "{dist: nosuch, rate: 1}"},
        {"service", "{dist: gamma, k: 3, rate: 1}"},
        {"service", "{dist: hyperexponential, scv: 0.5, rate: 1}"},
        {"patience", "{rate: 1, mean: 2}"},
        {"shed", "{threshold: -1}"},
        {"throttle", "{rate: 0}"},
    };
    const struct bad_value *b;
    do {
        b = &bad[irange(r, 0, sizeof bad / sizeof bad[0] - 1)];
    } while ((s->variants && variant_settable(b->key)) ||
             (s->staffing && strcmp(b->key, "workers") == 0) ||
             (strcmp(b->key, "replications") == 0 && s->precision));
    sb_add(entry(d, b->key), "%s\n", b->value);
    drop_overrides(c, b->key);
    snprintf(c->what, sizeof c->what, "%s: %s", b->key, b->value);
    *key_out = b->key;
}

/* One override that must be refused, inserted among the valid ones. */
static void break_override(struct rnd *r, struct soak_case *c, const struct sys *s)
{
    static const struct bad_value bad[] = {
        {"", "arival.rate=3"},
        {"", "nosuchkey=1"},
        {"", "service.nosuch=1"},
        {"", "replications=0"},
        {"", "seed=-3"},
        {"", "stop={tasks: 0}"},
        {"", "stop.precision=2"},
        {"", "model=mm1"},
        {"", "rng=nope"},
        {"", "method=fast"},
        {"", "compare=sideways"},
        {"", "control_variates=maybe"},
        {"", "warmup={tasks: -5}"},
        {"", "initial={in_system: -1}"},
        {"", "wait_threshold=-1"},
        {"", "workers"},
        {"", "=3"},
        {"", "seed=[1,"},
        {"", "seed={a"},
        {"", "arrival..rate=2"},
        {"workers", "workers=abc"},
        {"workers", "workers=0"},
        {"workers", "workers=[1, x]"},
        {"arrival", "arrival.rate=.nan"},
        {"arrival", "arrival.rate=1e400"},
        {"arrival", "arrival.batch={size: 0}"},
        {"network_delay", "network_delay=-1"},
        {"mem_per_task", "mem_per_task=abc"},
        {"capacity", "capacity=-1"},
        {"shed", "shed={threshold: -1}"},
        {"throttle", "throttle={rate: 0}"},
        {"patience", "patience={rate: -1}"},
    };
    const struct bad_value *b;
    do {
        b = &bad[irange(r, 0, sizeof bad / sizeof bad[0] - 1)];
    } while ((s->variants && b->key[0] && variant_settable(b->key)) ||
             (strcmp(b->key, "workers") == 0 && s->staffing));
    char key[32];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(b->value, "=."), b->value);
    if (key[0] != '\0')
        drop_overrides(c, key);
    size_t at = (size_t)irange(r, 0, (long)c->n_ov);
    for (size_t i = c->n_ov; i > at; i--)
        memcpy(c->ov[i], c->ov[i - 1], SOAK_OV_LEN);
    snprintf(c->ov[at], SOAK_OV_LEN, "%s", b->value);
    c->n_ov++;
    c->bad_ov = at + 1;
    snprintf(c->what, sizeof c->what, "--set %s", b->value);
}

/* Small scenarios whose keys exclude each other; the error must still have a line and column. */
static void combo(struct rnd *r, struct soak_case *c)
{
    static const char *const combos[][2] = {
        {"batch-means with capacity",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nmethod: batch-means\n"
         "batches: 10\nstop: {tasks: 1000}\ncapacity: 5\n"},
        {"batch-means with patience",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nmethod: batch-means\n"
         "batches: 10\nstop: {tasks: 1000}\npatience: {rate: 1}\n"},
        {"stationary start with gamma service",
         "model: mmc\narrival: {rate: 1}\nservice: {dist: gamma, scv: 2, rate: 2}\nworkers: 1\n"
         "initial: stationary\nwarmup: none\nstop: 100\n"},
        {"stationary start with rho >= 1",
         "model: mmc\narrival: {rate: 3}\nservice: {rate: 1}\nworkers: [2, 4]\n"
         "initial: stationary\nstop: 100\n"},
        {"batch-means without a warm-up",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nmethod: batch-means\n"
         "batches: 10\nwarmup: none\nstop: {tasks: 1000}\n"},
        {"batch-means with too few tasks",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nmethod: batch-means\n"
         "stop: {tasks: 100}\n"},
        {"batch-means with a time stop",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nmethod: batch-means\n"
         "stop: {time: 5000}\n"},
        {"a schedule with a warm-up",
         "model: mmc\narrival: {schedule: {times: [0, 10], rates: [1, 2]}}\nservice: {rate: 3}\n"
         "workers: 1\nwarmup: {tasks: 10}\nstop: 50\n"},
        {"batches without batch-means",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nbatches: 20\nstop: 50\n"},
        {"capacity below workers",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: [1, 4]\ncapacity: 3\n"
         "stop: 50\n"},
        {"batch-means with 3 replications",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nmethod: batch-means\n"
         "replications: 3\nstop: {tasks: 3000}\n"},
        {"workers with staffing", "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\n"
                                  "staffing: {times: [0, 5], workers: [1, 2]}\nstop: 50\n"},
        {"a variant with staffing and workers",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nwarmup: none\nstop: 50\n"
         "variants:\n  - {name: a}\n  - {name: b, workers: 2, staffing: {times: [0], workers: "
         "[3]}}\n"},
        {"a variant that drops the base's mean",
         "model: mmc\narrival: {rate: 1}\nservice: {dist: hyperexponential, probs: [0.5, 0.5], "
         "rates: [1, 5]}\nworkers: 1\nstop: 50\nvariants:\n  - {name: a}\n  - {name: b, service: "
         "{dist: exponential}}\n"},
        {"precision below replications",
         "model: mmc\narrival: {rate: 1}\nservice: {rate: 2}\nworkers: 1\nreplications: 5\n"
         "stop: {tasks: 50, precision: 0.1, max_replications: 3}\n"},
        {"service trace without a trace",
         "model: mmc\narrival: {rate: 1}\nservice: {dist: trace}\nworkers: 1\nstop: 50\n"},
    };
    size_t i = (size_t)irange(r, 0, sizeof combos / sizeof combos[0] - 1);
    snprintf(c->what, sizeof c->what, "%s", combos[i][0]);
    c->len = strlen(combos[i][1]);
    c->yaml = malloc(c->len + 1);
    if (c->yaml == NULL)
        abort();
    memcpy(c->yaml, combos[i][1], c->len + 1);
}

void soak_gen(struct soak_case *c, uint64_t seed, uint64_t index, const struct soak_paths *p)
{
    struct rnd r0 = {seed}, r = {0};
    r.s = rnd_next(&r0) ^ (index * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
    rnd_next(&r);
    struct doc d = {0};
    struct sys s;
    const char *broken = NULL;
    static const double wk[] = {82, 7, 7, 4};
    *c = (struct soak_case){.seed = seed, .index = index};
    c->kind = (enum soak_kind)PICK(&r, wk);
    if (c->kind == SOAK_BAD_COMBO) {
        combo(&r, c);
        return;
    }
    valid(&r, &d, c, &s, p);
    shuffle(&r, &d);
    const char *head = "";
    char line[64];
    if (c->kind == SOAK_BAD_SET)
        break_override(&r, c, &s);
    else if (c->kind == SOAK_BAD_FILE) {
        static const double wb[] = {30, 45, 15, 10};
        switch (PICK(&r, wb)) {
        case 0: {
            static const char *const keys[] = {"wrokers", "arival", "servce",  "replicatons",
                                               "warm_up", "stopp",  "capcity", "Model"};
            const char *k = PICK_STR(&r, keys);
            snprintf(line, sizeof line, "%s: 3\n", k);
            head = line;
            c->bad_line = 1;
            snprintf(c->what, sizeof c->what, "unknown key %s", k);
            break;
        }
        case 1:
            break_value(&r, &d, c, &s, &broken);
            break;
        case 2:
            sb_add(entry(&d, "zz_syntax"), "%s", "");
            find(&d, "zz_syntax")->text.n = 0;
            sb_add(&find(&d, "zz_syntax")->text, "%s",
                   chance(&r, 0.5) ? "seed: [1, 2\n" : "seed: a: b\n");
            snprintf(c->what, sizeof c->what, "a YAML syntax error");
            break;
        default: {
            struct entry *e = find(&d, "model");
            sb_add(e ? &e->text : entry(&d, "model"), "model: mmc\n");
            snprintf(c->what, sizeof c->what, "a duplicate key");
            break;
        }
        }
    }
    c->yaml = render(&d, head, &c->len);
    if (broken != NULL)
        c->bad_line = find(&d, broken)->line;
    doc_fini(&d);
}

void soak_case_fini(struct soak_case *c)
{
    free(c->yaml);
    c->yaml = NULL;
}
