/*
 * erlang.h - closed forms of the M/M/c queue (Erlang B and C) with a fixed
 * network delay d in front of it.
 *
 * Everything is computed without factorials or powers: Erlang B by its
 * forward recursion B(k) = a B(k-1) / (k + a B(k-1)), which is stable and
 * needs no large intermediate values, so c = 100000 and rho = 0.9999 are
 * fine (O(c) time: about 1 ms at c = 100000). P0 is computed in log space.
 * Relative error is below 1e-9 against 50-digit values (tests/test_erlang.c)
 * for every result in the normal double range; results smaller than
 * DBL_MIN come back as 0 or subnormal, while log_p0 stays accurate.
 *
 * Units: rates per second, times in seconds. Pure functions, thread-safe.
 */
#ifndef MMC_ERLANG_H
#define MMC_ERLANG_H

#include <stdbool.h>

/* Closed-form steady state of M/M/c with network delay d. */
struct mmc_erlang {
    bool stable;       /* lambda < c mu exactly (rho may print as 1.0 when barely stable);
                          when false only a, rho, erlang_b are set, the rest NaN */
    double a;          /* offered load lambda / mu, in Erlangs */
    double rho;        /* utilization lambda / (c mu) */
    double erlang_b;   /* blocking probability of M/M/c/c with the same a, c */
    double p0;         /* P(no task in system); may underflow to 0 for huge c */
    double log_p0;     /* natural log of p0, finite even when p0 underflows */
    double p_wait;     /* Erlang C: probability that an arriving task waits */
    double lq;         /* mean number waiting */
    double l;          /* mean number in system (waiting + in service) = lq + a */
    double wq;         /* mean wait in queue, s */
    double w;          /* mean time in system, wq + 1/mu, s */
    double t;          /* mean latency including network delay, d + w, s */
    double throughput; /* lambda */
    /* kept for the distribution functions below */
    double lambda, mu, c, d;
};

/*
 * Fill out for lambda > 0, mu > 0, c >= 1, d >= 0 (finite). Returns 0, or -1
 * when an argument is out of range (out untouched). rho >= 1 is not an error:
 * out->stable is false.
 */
int mmc_erlang_mmc(double lambda, double mu, unsigned long c, double d, struct mmc_erlang *out);

/* Erlang B, B(c, a), for c >= 0 and a >= 0. */
double mmc_erlang_b(unsigned long c, double a);

/* Erlang C, C(c, a), for 0 <= a < c; NaN otherwise. */
double mmc_erlang_c(unsigned long c, double a);

/* P(Wq > t) for t >= 0: p_wait * exp(-(c mu - lambda) t). NaN when unstable. */
double mmc_erlang_wait_tail(const struct mmc_erlang *e, double t);

/* Smallest t with P(Wq <= t) >= p, for 0 <= p < 1: 0 when p <= 1 - p_wait. NaN when unstable. */
double mmc_erlang_wait_quantile(const struct mmc_erlang *e, double p);

/* P(W > t), W = Wq + service time (time in system, delay excluded). NaN when unstable. */
double mmc_erlang_sojourn_tail(const struct mmc_erlang *e, double t);

/* Quantile of W for 0 <= p < 1 (relative accuracy 1e-12). Latency T's quantile is d + this. */
double mmc_erlang_sojourn_quantile(const struct mmc_erlang *e, double p);

#endif
