/*
 * process.h - arrival processes beyond renewal: a two-state Markov-modulated
 * Poisson process (bursts), a time-varying rate given by a schedule
 * (non-homogeneous Poisson), batch sizes (compound arrivals), and traces of
 * arrival times read from a log.
 *
 * Pure functions over plain structs: a process's parameters are read-only,
 * its run state (if any) is a small struct in the caller's storage, and the
 * generator is passed in. "scale" multiplies arrival rates (a sweep over the
 * arrival rate scales the process), never sojourn times or breakpoints.
 * Checks and constructors return 0, or -1 with *why set to a static English
 * message naming the valid range (why may be NULL); a rejected constructor
 * leaves its output unchanged. Every other function assumes parameters that
 * passed their check (misuse is a bug, caught by assert where cheap).
 *
 * Ownership: a schedule borrows its arrays; a trace owns its arrays (free
 * with mmc_trace_fini); batch sizes need no freeing. Thread-safety: built
 * parameters may be shared read-only; draws touch only the state and the
 * generator passed in.
 */
#ifndef MMC_PROCESS_H
#define MMC_PROCESS_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Markov-modulated Poisson process, two states ---- */

/* Arrivals at rate[i] while in state i (rates >= 0, not both 0); the state is held for an
 * exponential time of mean sojourn[i] (> 0, model time units), then switches. */
struct mmc_mmpp {
    double rate[2];
    double sojourn[2];
};

/* Run state: the current phase (0 or 1) and the time it ends. */
struct mmc_mmpp_state {
    int phase;
    double t_switch;
};

/* 0 if m is valid (finite rates >= 0, not both 0; finite sojourns > 0), else -1. */
int mmc_mmpp_check(const struct mmc_mmpp *m, const char **why);

/* Long-run arrival rate (r0 s0 + r1 s1) / (s0 + s1) at scale 1. */
double mmc_mmpp_mean_rate(const struct mmc_mmpp *m);

/* Squared coefficient of variation of the stationary inter-arrival time, at scale 1 (it depends
 * on the scale: at scale k it is that of the process with rates k rate[i]). 1 when r0 = r1. */
double mmc_mmpp_gap_scv(const struct mmc_mmpp *m);

/* Limiting index of dispersion of counts, lim Var N(t) / E N(t) as t grows, at scale 1. */
double mmc_mmpp_idc(const struct mmc_mmpp *m);

/* Start at time t: the phase from the stationary law s_i / (s0 + s1), ending at t + Exp(mean
 * sojourn of that phase). (No scale: sojourns do not scale.) */
void mmc_mmpp_start(const struct mmc_mmpp *m, struct mmc_mmpp_state *st, double t,
                    const gsl_rng *r);

/* The first arrival after t, rates times scale (> 0); st (from mmc_mmpp_start) then holds the
 * phase at that arrival. t is the last arrival or start, or any later time (the phase is then
 * first carried forward to t). */
double mmc_mmpp_next(const struct mmc_mmpp *m, struct mmc_mmpp_state *st, double t, double scale,
                     const gsl_rng *r);

/* ---- Piecewise rate schedule (non-homogeneous Poisson arrivals, staffing) ---- */

/*
 * A function of time t >= 0 given at breakpoints t[0] = 0 < t[1] < ... < t[n-1] with values
 * v[i] >= 0: step (v[i] on [t[i], t[i+1])) or linear (interpolated between breakpoints); after
 * t[n-1], v[n-1] holds forever. The arrays are borrowed.
 */
struct mmc_schedule {
    size_t n;
    const double *t;
    const double *v;
    bool linear;
};

/* 0 if s is valid (n >= 1, t[0] = 0, t strictly increasing and finite, v finite >= 0), else -1. */
int mmc_schedule_check(const struct mmc_schedule *s, const char **why);

/* The segment holding t >= 0: the largest i with t[i] <= t (binary search). */
size_t mmc_schedule_segment(const struct mmc_schedule *s, double t);

/* The value at time t >= 0. */
double mmc_schedule_at(const struct mmc_schedule *s, double t);

/* The exact integral of the schedule over [t0, t1], 0 <= t0 <= t1 (t1 may be INFINITY: the
 * result is then INFINITY unless the value is 0 from some time on). */
double mmc_schedule_integral(const struct mmc_schedule *s, double t0, double t1);

/* The first arrival after t >= 0 of a Poisson process of rate scale (> 0) times the schedule;
 * INFINITY when the rate is 0 from t on. Step segments draw exponentials, linear ones thin. */
double mmc_schedule_next(const struct mmc_schedule *s, double t, double scale, const gsl_rng *r);

/* ---- Batch sizes ---- */

/* Most entries of a batch size table. */
#define MMC_BATCH_MAX_SIZES 64

/* Largest batch size of a constant or table, and largest mean of a geometric. */
#define MMC_BATCH_SIZE_MAX 1e6

enum mmc_batch_kind { MMC_BATCH_CONSTANT, MMC_BATCH_GEOMETRIC, MMC_BATCH_TABLE };

/* A distribution on 1, 2, 3, ... Built by the constructors below; fields are theirs. */
struct mmc_batch_size {
    enum mmc_batch_kind kind;
    double mean, second_moment;
    double p;                             /* geometric: success probability 1 / mean */
    size_t n;                             /* table: entries */
    double size[MMC_BATCH_MAX_SIZES];     /* table: sizes */
    double cum_prob[MMC_BATCH_MAX_SIZES]; /* table: P(entry <= i), the last exactly 1 */
};

/* Every batch of this size; -1 unless it is a whole number in [1, MMC_BATCH_SIZE_MAX]. */
int mmc_batch_size_constant(struct mmc_batch_size *b, double size, const char **why);

/* Geometric on {1, 2, ...}, P(k) = p (1-p)^(k-1) with p = 1 / mean; -1 unless 1 <= mean <=
 * MMC_BATCH_SIZE_MAX. Mean 1 is always 1. */
int mmc_batch_size_geometric(struct mmc_batch_size *b, double mean, const char **why);

/* sizes[i] with probability probs[i] (copied). -1 unless 1 <= n <= MMC_BATCH_MAX_SIZES, sizes are
 * whole numbers in [1, MMC_BATCH_SIZE_MAX], probs are in [0, 1] and sum to 1 within 1e-9. */
int mmc_batch_size_table(struct mmc_batch_size *b, const double *sizes, const double *probs,
                         size_t n, const char **why);

/* E[B]. */
double mmc_batch_size_mean(const struct mmc_batch_size *b);

/* E[B^2]. */
double mmc_batch_size_second_moment(const struct mmc_batch_size *b);

/* One batch size (>= 1). */
uint64_t mmc_batch_size_draw(const struct mmc_batch_size *b, const gsl_rng *r);

/* ---- Arrival traces ---- */

/* Arrival times t[0] = 0 <= t[1] <= ... (shifted by the first), and service times svc (NULL when
 * the file has none); both owned. */
struct mmc_trace {
    double *t;
    double *svc;
    size_t n;
};

/*
 * Read a trace from a CSV file (see csv.h: '#' comments, blank lines, a header line, CRLF):
 * timestamp[,service_time] per line, every line with the same number of fields; timestamps
 * finite and non-decreasing, service times finite and >= 0; 1 to MMC_DIST_MAX_SAMPLES (dist.h)
 * lines. On error returns -1 with *tr empty, *line = the 1-based line at fault (0 when none, e.g.
 * the file cannot be opened) and a message in why.
 */
int mmc_trace_read(const char *path, struct mmc_trace *tr, unsigned long *line, char *why,
                   size_t why_len);

/* Free tr's arrays and empty it; an empty trace is fine. */
void mmc_trace_fini(struct mmc_trace *tr);

#endif
