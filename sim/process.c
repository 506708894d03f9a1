/*
 * process.c - non-renewal arrival processes: MMPP-2, schedules, batch sizes, traces.
 *
 * MMPP-2. Write a_i = 1/s_i for the rate of leaving state i, pi_i = s_i / (s0 + s1)
 * for the stationary law of the state and lambda = pi0 r0 + pi1 r1 for the mean rate.
 * An arrival does not change the state, so the state just after an arrival has the
 * law phi_i = pi_i r_i / lambda, and the gap to the next arrival is phase-type with
 * initial law phi and sub-generator D0 = Q - diag(r): E[X^k] = k! phi (-D0)^-k 1
 * (Fischer and Meier-Hellstern, "The Markov-modulated Poisson process (MMPP)
 * cookbook", Performance Evaluation 18, 1993). Inverting the 2x2 matrix -D0 and
 * simplifying gives E[X] = 1/lambda and
 *     scv = lambda^2 E[X^2] - 1 = 1 + 2 pi0 pi1 (r0 - r1)^2 / (r0 r1 + r0 a1 + r1 a0),
 * which is 1 when r0 = r1 (Poisson) and, for r1 = 0 (the interrupted Poisson
 * process), the familiar 1 + 2 r0 a0 / (a0 + a1)^2. Counts: the rate process r(t)
 * has variance pi0 pi1 (r0 - r1)^2 and autocorrelation exp(-(a0 + a1) u), so
 * Var N(t) = lambda t + 2 int_0^t (t - u) Cov(r(0), r(u)) du and the index of
 * dispersion tends to 1 + 2 pi0 pi1 (r0 - r1)^2 / (lambda (a0 + a1)).
 * pi_i is computed as 1 / (1 + s_j / s_i), which neither overflows nor needs the sum.
 * Simulation uses memorylessness twice: an arrival is an exponential at the current
 * rate unless the state ends first, and then the draw restarts from the switch.
 *
 * Schedules. Segment i is [t[i], t[i+1]), the last one [t[n-1], inf) and constant.
 * Step segments are homogeneous Poisson, so a draw that overshoots the segment is
 * dropped and redrawn from its end (memorylessness again). Linear segments are
 * thinned (Lewis and Shedler, "Simulation of nonhomogeneous Poisson processes by
 * thinning", Naval Res. Logist. Q. 26, 1979): candidates at the segment's largest
 * rate, each kept with probability rate(x) / max. A linear integral is the exact
 * trapezoid.
 *
 * Batch sizes are built into a local and copied, so a rejected call leaves *b as
 * it was. Table probabilities are renormalised by their sum, so that draws and
 * moments agree. Traces are read by csv.h, one callback per data line.
 *
 * No state outside the arguments.
 */
#include "process.h"

#include "csv.h"
#include "dist.h"
#include "error.h"
#include "rng.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Report msg through why (which may be NULL) and fail. */
static int fail(const char **why, const char *msg)
{
    if (why != NULL)
        *why = msg;
    return -1;
}

/* ---- MMPP-2 ---- */

/* Stationary probability of state i. */
static double stationary(const struct mmc_mmpp *m, int i)
{
    return 1.0 / (1.0 + m->sojourn[1 - i] / m->sojourn[i]);
}

int mmc_mmpp_check(const struct mmc_mmpp *m, const char **why)
{
    for (int i = 0; i < 2; i++) {
        if (!(m->rate[i] >= 0.0 && isfinite(m->rate[i])))
            return fail(why, "mmpp: rates must be finite and >= 0");
        if (!(m->sojourn[i] > 0.0 && isfinite(m->sojourn[i])))
            return fail(why, "mmpp: mean sojourn times must be finite and > 0");
    }
    if (!(m->rate[0] > 0.0 || m->rate[1] > 0.0))
        return fail(why, "mmpp: at least one rate must be > 0");
    return 0;
}

double mmc_mmpp_mean_rate(const struct mmc_mmpp *m)
{
    return stationary(m, 0) * m->rate[0] + stationary(m, 1) * m->rate[1];
}

double mmc_mmpp_gap_scv(const struct mmc_mmpp *m)
{
    double d = m->rate[0] - m->rate[1];
    double den = m->rate[0] * m->rate[1] + m->rate[0] / m->sojourn[1] + m->rate[1] / m->sojourn[0];
    return 1.0 + 2.0 * stationary(m, 0) * stationary(m, 1) * d * d / den;
}

double mmc_mmpp_idc(const struct mmc_mmpp *m)
{
    double d = m->rate[0] - m->rate[1];
    double a = 1.0 / m->sojourn[0] + 1.0 / m->sojourn[1];
    return 1.0 + 2.0 * stationary(m, 0) * stationary(m, 1) * d * d / (mmc_mmpp_mean_rate(m) * a);
}

void mmc_mmpp_start(const struct mmc_mmpp *m, struct mmc_mmpp_state *st, double t, const gsl_rng *r)
{
    st->phase = gsl_rng_uniform(r) < stationary(m, 0) ? 0 : 1;
    st->t_switch = t + mmc_rng_exponential(r, m->sojourn[st->phase]);
}

/* Move st to the other phase at its switch time. */
static void switch_phase(const struct mmc_mmpp *m, struct mmc_mmpp_state *st, const gsl_rng *r)
{
    st->phase ^= 1;
    st->t_switch += mmc_rng_exponential(r, m->sojourn[st->phase]);
}

double mmc_mmpp_next(const struct mmc_mmpp *m, struct mmc_mmpp_state *st, double t, double scale,
                     const gsl_rng *r)
{
    assert(scale > 0.0 && (st->phase == 0 || st->phase == 1));
    while (st->t_switch <= t)
        switch_phase(m, st, r);
    for (;;) {
        double rate = scale * m->rate[st->phase];
        double x = rate > 0.0 ? t + mmc_rng_exponential(r, 1.0 / rate) : INFINITY;
        if (x < st->t_switch)
            return x;
        t = st->t_switch;
        switch_phase(m, st, r);
    }
}

/* ---- schedules ---- */

int mmc_schedule_check(const struct mmc_schedule *s, const char **why)
{
    if (s->n == 0 || s->t == NULL || s->v == NULL)
        return fail(why, "schedule: needs at least one breakpoint");
    if (s->t[0] != 0.0)
        return fail(why, "schedule: the first breakpoint must be at time 0");
    for (size_t i = 0; i < s->n; i++) {
        if (!(isfinite(s->t[i]) && (i == 0 || s->t[i] > s->t[i - 1])))
            return fail(why, "schedule: breakpoint times must be finite and strictly increasing");
        if (!(s->v[i] >= 0.0 && isfinite(s->v[i])))
            return fail(why, "schedule: values must be finite and >= 0");
    }
    return 0;
}

size_t mmc_schedule_segment(const struct mmc_schedule *s, double t)
{
    assert(t >= 0.0 && s->n >= 1);
    /* invariant: t[lo] <= t < t[hi], with t[n] taken as infinity */
    size_t lo = 0, hi = s->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->t[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* True when segment i holds one value throughout. */
static bool is_flat(const struct mmc_schedule *s, size_t i)
{
    return !s->linear || i + 1 == s->n;
}

/* The value at t inside segment i. */
static double value_in(const struct mmc_schedule *s, size_t i, double t)
{
    if (is_flat(s, i))
        return s->v[i];
    double f = (t - s->t[i]) / (s->t[i + 1] - s->t[i]);
    return s->v[i] + (s->v[i + 1] - s->v[i]) * f;
}

double mmc_schedule_at(const struct mmc_schedule *s, double t)
{
    return value_in(s, mmc_schedule_segment(s, t), t);
}

/* The integral over [a, b] inside segment i; a zero tail stays 0 up to b = infinity. */
static double piece(const struct mmc_schedule *s, size_t i, double a, double b)
{
    if (is_flat(s, i))
        return s->v[i] == 0.0 ? 0.0 : s->v[i] * (b - a);
    return (b - a) * (value_in(s, i, a) + value_in(s, i, b)) / 2.0;
}

double mmc_schedule_integral(const struct mmc_schedule *s, double t0, double t1)
{
    assert(t0 >= 0.0 && t0 <= t1);
    double sum = 0.0;
    for (size_t i = mmc_schedule_segment(s, t0); t0 < t1; i++) {
        double end = i + 1 < s->n ? s->t[i + 1] : INFINITY;
        double b = fmin(end, t1);
        sum += piece(s, i, t0, b);
        t0 = b;
    }
    return sum;
}

/* The first arrival after t at a constant rate, INFINITY at rate 0. */
static double draw_flat(double rate, double t, const gsl_rng *r)
{
    return rate > 0.0 ? t + mmc_rng_exponential(r, 1.0 / rate) : INFINITY;
}

/*
 * The first arrival after t in linear segment i (not the last), or INFINITY if none is before
 * the segment's end. By inversion, not thinning: from t the rate is a + b u (u = time since t), so
 * the cumulative intensity a u + b u^2 / 2 reaches an Exp(1) draw E at
 * u = 2E / (a + sqrt(a^2 + 2 b E)) (the form without cancellation; no root when a falling rate
 * reaches 0 first: no arrival in the segment). Thinning at the segment's top rate drew about
 * top / rate(t) candidates per arrival: 1e20 candidates, a hang, where a rate climbs from 5 to
 * 1.8e21 (found by fuzz-sim). One draw per segment visited; a Poisson process restarts afresh at
 * the next segment.
 */
static double draw_thinned(const struct mmc_schedule *s, size_t i, double t, double scale,
                           const gsl_rng *r)
{
    double end = s->t[i + 1];
    if (!(end > s->t[i]))
        return INFINITY;
    double a = scale * value_in(s, i, t);
    double b = scale * (s->v[i + 1] - s->v[i]) / (end - s->t[i]);
    double e = mmc_rng_exponential(r, 1.0);
    double disc = a * a + 2.0 * b * e;
    if (!(disc >= 0.0) || !(a + sqrt(disc) > 0.0))
        return INFINITY;
    double x = t + 2.0 * e / (a + sqrt(disc));
    return x < end ? x : INFINITY;
}

double mmc_schedule_next(const struct mmc_schedule *s, double t, double scale, const gsl_rng *r)
{
    assert(scale > 0.0);
    for (size_t i = mmc_schedule_segment(s, t);; i++) {
        if (i + 1 == s->n)
            return draw_flat(scale * s->v[i], t, r);
        double x = s->linear ? draw_thinned(s, i, t, scale, r) : draw_flat(scale * s->v[i], t, r);
        if (x < s->t[i + 1])
            return x;
        t = s->t[i + 1];
    }
}

/* ---- batch sizes ---- */

/* True when x is a whole number in [1, MMC_BATCH_SIZE_MAX]. */
static bool is_size(double x)
{
    return x >= 1.0 && x <= MMC_BATCH_SIZE_MAX && x == floor(x);
}

int mmc_batch_size_constant(struct mmc_batch_size *b, double size, const char **why)
{
    if (!is_size(size))
        return fail(why, "batch size: must be a whole number in 1..1000000");
    *b = (struct mmc_batch_size){
        .kind = MMC_BATCH_CONSTANT, .mean = size, .second_moment = size * size};
    return 0;
}

int mmc_batch_size_geometric(struct mmc_batch_size *b, double mean, const char **why)
{
    if (!(mean >= 1.0 && mean <= MMC_BATCH_SIZE_MAX))
        return fail(why, "batch size: geometric mean must be in [1, 1000000]");
    /* P(k) = p (1-p)^(k-1): E[B] = 1/p, Var B = (1-p)/p^2, so E[B^2] = 2 mean^2 - mean */
    *b = (struct mmc_batch_size){.kind = MMC_BATCH_GEOMETRIC,
                                 .mean = mean,
                                 .second_moment = 2.0 * mean * mean - mean,
                                 .p = 1.0 / mean};
    return 0;
}

int mmc_batch_size_table(struct mmc_batch_size *b, const double *sizes, const double *probs,
                         size_t n, const char **why)
{
    if (n == 0 || n > MMC_BATCH_MAX_SIZES)
        return fail(why, "batch size: a table needs 1 to 64 entries");
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!is_size(sizes[i]))
            return fail(why, "batch size: table sizes must be whole numbers in 1..1000000");
        if (!(probs[i] >= 0.0 && probs[i] <= 1.0))
            return fail(why, "batch size: table probabilities must be in [0, 1]");
        total += probs[i];
    }
    if (!(fabs(total - 1.0) <= 1e-9))
        return fail(why, "batch size: table probabilities must sum to 1");
    struct mmc_batch_size t = {.kind = MMC_BATCH_TABLE, .n = n};
    double cum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double p = probs[i] / total;
        cum += p;
        t.size[i] = sizes[i];
        t.cum_prob[i] = cum;
        t.mean += p * sizes[i];
        t.second_moment += p * sizes[i] * sizes[i];
    }
    t.cum_prob[n - 1] = 1.0; /* rounding must not leave a gap above the last entry */
    *b = t;
    return 0;
}

double mmc_batch_size_mean(const struct mmc_batch_size *b)
{
    return b->mean;
}

double mmc_batch_size_second_moment(const struct mmc_batch_size *b)
{
    return b->second_moment;
}

uint64_t mmc_batch_size_draw(const struct mmc_batch_size *b, const gsl_rng *r)
{
    switch (b->kind) {
    case MMC_BATCH_CONSTANT:
        return (uint64_t)b->mean;
    case MMC_BATCH_GEOMETRIC:
        /* by inversion, 1 + floor(log u / log(1-p)); exactly 1 when p = 1. At the largest mean
           (1e6) a draw reaches about 2.2e7 at u = 2^-32: well inside unsigned int */
        return gsl_ran_geometric(r, b->p);
    case MMC_BATCH_TABLE: {
        /* the first entry with u < cum_prob: zero-probability entries are never chosen */
        double u = gsl_rng_uniform(r);
        size_t lo = 0, hi = b->n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (u < b->cum_prob[mid])
                hi = mid;
            else
                lo = mid + 1;
        }
        return (uint64_t)b->size[lo];
    }
    }
    assert(!"mmc_batch_size_draw: not a batch size kind");
    return 1;
}

/* ---- traces ---- */

/* A trace as read so far; columns is 0 until the first data line fixes it. */
struct trace_reader {
    struct mmc_trace tr;
    size_t cap, columns;
};

/* Parse field as a finite number >= min into *x, or describe it (as what) in why and fail. */
static int parse_number(const char *field, const char *what, double min, double *x, char *why,
                        size_t why_len)
{
    enum mmc_csv_number st = mmc_csv_number(field, x);
    if (st == MMC_CSV_NUMBER && *x >= min)
        return 0;
    char expected[64];
    snprintf(expected, sizeof expected, "a %s%s", st == MMC_CSV_NOT_FINITE ? "finite " : "", what);
    mmc_csv_expected(why, why_len, expected, field);
    return -1;
}

/* Check that a line of n fields fits the trace's columns (fixed by the first line). */
static int check_columns(struct trace_reader *rd, size_t n, char *why, size_t why_len)
{
    if (rd->columns == 0 && n > 2) {
        snprintf(why, why_len, "expected timestamp[,service_time], got %zu fields", n);
        return -1;
    }
    if (rd->columns == 0)
        rd->columns = n;
    if (n != rd->columns) {
        snprintf(why, why_len, "expected %zu field%s as on the first line, got %zu", rd->columns,
                 rd->columns == 1 ? "" : "s", n);
        return -1;
    }
    return 0;
}

/* Append (t, svc) to the trace, doubling its arrays when full. */
static void append(struct trace_reader *rd, double t, double svc)
{
    struct mmc_trace *tr = &rd->tr;
    if (tr->n == rd->cap) {
        rd->cap = rd->cap ? 2 * rd->cap : 1024;
        tr->t = mmc_xrealloc(tr->t, rd->cap, sizeof *tr->t);
        if (rd->columns == 2)
            tr->svc = mmc_xrealloc(tr->svc, rd->cap, sizeof *tr->svc);
    }
    tr->t[tr->n] = t;
    if (rd->columns == 2)
        tr->svc[tr->n] = svc;
    tr->n++;
}

/* Take one data line of a trace file into ctx (a struct trace_reader). */
static int take_arrival(void *ctx, const char *const field[], size_t n_fields, char *why,
                        size_t why_len)
{
    struct trace_reader *rd = ctx;
    double t = 0.0, svc = 0.0;
    if (check_columns(rd, n_fields, why, why_len) != 0 ||
        parse_number(field[0], "timestamp", -INFINITY, &t, why, why_len) != 0)
        return -1;
    if (rd->tr.n > 0 && t < rd->tr.t[rd->tr.n - 1]) {
        snprintf(why, why_len, "timestamp %.15g is before the previous one, %.15g", t,
                 rd->tr.t[rd->tr.n - 1]);
        return -1;
    }
    if (n_fields == 2 && parse_number(field[1], "service time >= 0", 0.0, &svc, why, why_len) != 0)
        return -1;
    if (rd->tr.n == MMC_DIST_MAX_SAMPLES) {
        snprintf(why, why_len, "more than %lu arrivals", MMC_DIST_MAX_SAMPLES);
        return -1;
    }
    append(rd, t, svc);
    return 0;
}

int mmc_trace_read(const char *path, struct mmc_trace *tr, unsigned long *line, char *why,
                   size_t why_len)
{
    struct trace_reader rd = {0};
    *tr = (struct mmc_trace){0};
    int rc = mmc_csv_read(path, take_arrival, &rd, line, why, why_len);
    if (rc == 0 && rd.tr.n == 0) {
        snprintf(why, why_len, "no arrivals in the file");
        rc = -1;
    }
    if (rc != 0) {
        mmc_trace_fini(&rd.tr);
        return -1;
    }
    /* shift to 0: rounding is monotone, so the times stay non-decreasing */
    double t0 = rd.tr.t[0];
    for (size_t i = 0; i < rd.tr.n; i++)
        rd.tr.t[i] -= t0;
    *tr = rd.tr;
    return 0;
}

void mmc_trace_fini(struct mmc_trace *tr)
{
    free(tr->t);
    free(tr->svc);
    *tr = (struct mmc_trace){0};
}
