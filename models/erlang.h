/*
 * erlang.h - closed forms of the M/M/c queue (Erlang B and C) with a fixed
 * network delay d in front of it, and of its birth-death relative M/M/c/K+M
 * (finite capacity K, exponential patience; see mmc_erlang_loss below).
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

/*
 * M/M/c/K+M: Poisson arrivals (lambda), c exponential workers (mu each), at
 * most K tasks in system (arrivals finding K are blocked), and a waiting task
 * abandons after an Exp(theta) patience unless its service has started
 * (theta = 0: nobody abandons). theta = 0 is M/M/c/K, K unlimited is
 * Erlang A (M/M/c+M), and both together are M/M/c above.
 *
 * Method: the birth-death chain's pi_n. For n <= c the weights a^n/n! come
 * from the Erlang B pass (no factorials); for n = c + j the ratios
 * pi_{c+j}/pi_c = prod_{i<=j} lambda/(c mu + i theta). theta = 0 uses closed
 * geometric sums (any K, rho = 1 and rho > 1 included); theta > 0 sums the
 * tail until the rest is provably below 1e-17 of every sum, or to K, with
 * power-of-two rescaling so nothing overflows. A served task's mean wait uses
 * P(served | j ahead) = c mu / (c mu + (j+1) theta) (the product telescopes).
 * Accuracy against 60-digit values: ~1e-15 relative with theta = 0 (any K,
 * rho near or above 1); p0 has |log p0| ulps, as for M/M/c. With theta > 0
 * each tail term carries a few roundings: ~1e-15 for the ~1e3 terms of
 * c = 1e4, rho = 0.95, theta = 0.1, still 2e-13 for the 9e7 terms of
 * lambda = c mu = 1, theta = 1e-14. Cost O(c + terms), ~20 ns a term; over
 * 1e8 terms is refused with -1 (after ~2 s unless the terms visibly keep
 * growing that long). Results below DBL_MIN come back as 0 or subnormal.
 */

/* Steady state of M/M/c/K+M. Fractions are of all arriving tasks unless said. */
struct mmc_erlang_loss {
    bool stable;       /* a steady state exists: K finite, or theta > 0, or lambda < c mu */
    double rho;        /* offered load lambda / (c mu) */
    double p_block;    /* P(an arrival finds K in system) (PASTA); 0 when K is unlimited */
    double p_abandon;  /* P(an arrival is admitted and then abandons) = theta Lq / lambda */
    double p_wait;     /* P(an ADMITTED task finds all c workers busy) */
    double lq, l;      /* time-average number waiting, in system */
    double wq;         /* mean wait of the tasks that are SERVED (abandoners excluded), s */
    double wq_all;     /* mean wait of all admitted tasks, abandoners up to their abandonment:
                          Lq / (lambda (1 - p_block)) */
    double w;          /* wq + 1/mu, s */
    double t;          /* d + w, s */
    double throughput; /* completions per second: lambda (1 - p_block - p_abandon) */
    double util;       /* mean busy workers / c = throughput / (c mu), <= 1 */
    double p0;         /* P(empty); may underflow to 0 for huge c */
    double log_p0;     /* natural log of p0, finite even when p0 underflows */
};

/*
 * Fill out for lambda > 0, mu > 0, c >= 1, k == 0 (unlimited) or k >= c,
 * theta >= 0 finite, d >= 0 finite. Returns 0, or -1 when an argument is out
 * of range or the sums cannot be evaluated (over 1e8 tail terms, overflow);
 * out is then untouched. No steady state (k unlimited, theta 0,
 * lambda >= c mu) is not an error: out->stable false, only rho set, the rest NaN.
 */
int mmc_erlang_loss(double lambda, double mu, unsigned long c, unsigned long k, double theta,
                    double d, struct mmc_erlang_loss *out);

#endif
