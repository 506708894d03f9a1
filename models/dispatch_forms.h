/*
 * dispatch_forms.h - closed forms for a "push" dispatcher: c workers, each
 * with its own FCFS queue and exponential service (rate mu), fed by a
 * Poisson stream of total rate lambda that the dispatcher splits on arrival.
 *
 * 1. Round robin. Worker i gets every c-th arrival, so its gaps are Erlang-c
 *    with mean c / lambda and each worker is an E_k/M/1 queue with k = c and
 *    rate lambda / c (exact, not an approximation). mmc_gim1_erlang solves
 *    the GI/M/1 root sigma for Erlang-k gaps; k = 1 is M/M/1 (sigma = rho),
 *    k -> infinity tends to D/M/1 (sigma = exp(-(1 - sigma) / rho)).
 *    Relative error below 2e-15 against 50-digit values
 *    (tests/test_dispatch_forms.c), for sigma and for 1 - sigma alike: near
 *    saturation (rho = 1 - 1e-9, 1 - sigma = 1.6e-9) and for sigma = 7e-27;
 *    k up to ULONG_MAX. A tiny sigma costs up to ~|ln sigma| ulps (1.3e-14
 *    at sigma = 1.7e-73); below DBL_MIN it comes back as 0 or subnormal.
 *
 * 2. Power of d choices (join the shortest of d queues sampled at random).
 *    mmc_supermarket gives the mean-field fixed point of Vvedenskaya,
 *    Dobrushin and Karpelevich (1996) and Mitzenmacher (IEEE TPDS, 2001): an
 *    APPROXIMATION for finite c, exact only as c -> infinity (per-worker
 *    load rho fixed). For d = 1 (random dispatch) it is exact for every c:
 *    each worker is then M/M/1.
 *
 * Units: rates per second, times in seconds. Pure functions, thread-safe.
 */
#ifndef MMC_DISPATCH_FORMS_H
#define MMC_DISPATCH_FORMS_H

#include <stdbool.h>

/* Steady state of one E_k/M/1 worker. Means are per worker. */
struct mmc_gim1 {
    bool stable;            /* rate < mu exactly (rho may print as 1.0 when barely stable);
                               when false only k, rate, mu, rho are set, the rest NaN */
    double k;               /* Erlang shape of the gaps (c under round robin) */
    double rate;            /* arrival rate at this worker (lambda / c under round robin) */
    double mu;              /* service rate */
    double rho;             /* utilization rate / mu */
    double sigma;           /* GI/M/1 root in (0, 1); below DBL_MIN it is 0 or subnormal */
    double one_minus_sigma; /* 1 - sigma to full relative accuracy, also when sigma ~ 1 */
    double p_wait;          /* P(an arrival finds the worker busy) = sigma */
    double wq;              /* mean wait, sigma / (mu (1 - sigma)), s */
    double w;               /* mean sojourn (wait + service), 1 / (mu (1 - sigma)), s */
    double lq;              /* time-average number waiting, rate wq (Little) */
    double l;               /* time-average number in system, rate w (Little) */
};

/*
 * Fill out for k >= 1, rate > 0 and mu > 0 (finite). Returns 0, or -1 when an
 * argument is out of range (out untouched). rate >= mu is not an error:
 * out->stable is false. Cost: at most ~60 Newton steps (near saturation;
 * ~10 at rho = 0.9), each a few log/exp; independent of k.
 */
int mmc_gim1_erlang(unsigned long k, double rate, double mu, struct mmc_gim1 *out);

/* P(Wq > t): 1 for t < 0, else sigma exp(-mu (1 - sigma) t). NaN when unstable or t is NaN. */
double mmc_gim1_wait_tail(const struct mmc_gim1 *g, double t);

/* Smallest t with P(Wq <= t) >= p, for 0 <= p < 1: 0 when p <= 1 - sigma, else
 * log(sigma / (1 - p)) / (mu (1 - sigma)). NaN when unstable or p is outside [0, 1). */
double mmc_gim1_wait_quantile(const struct mmc_gim1 *g, double p);

/* P(W > t): W is exponential with rate mu (1 - sigma). 1 for t < 0; NaN when unstable. */
double mmc_gim1_sojourn_tail(const struct mmc_gim1 *g, double t);

/* Quantile of W for 0 <= p < 1: -log(1 - p) / (mu (1 - sigma)). NaN when unstable. */
double mmc_gim1_sojourn_quantile(const struct mmc_gim1 *g, double p);

/* Mean-field steady state of power-of-d dispatch (c -> infinity). Per queue. */
struct mmc_supermarket {
    bool stable;   /* 0 < rho < 1; when false only rho, d, mu are set, the rest NaN */
    double rho;    /* per-worker load lambda / (c mu) */
    double d;      /* queues sampled per arrival */
    double mu;     /* service rate */
    double p_wait; /* P(an arrival waits) = rho^d: all d sampled queues are busy */
    double l;      /* mean tasks per queue, L1 = sum_{j >= 1} s_j */
    double lq;     /* mean tasks waiting per queue, L1 - rho = sum_{j >= 2} s_j */
    double w;      /* mean sojourn, L1 / (rho mu) (Little at per-queue rate rho mu), s */
    double wq;     /* mean wait, w - 1 / mu = lq / (rho mu), s */
};

/*
 * Fill out for 0 < rho, d a whole number >= 1 (a double so that d may be as
 * large as c), mu > 0, all finite. Returns 0, or -1 when an argument is out of
 * range (out untouched). rho >= 1 is not an error: out->stable is false.
 * Approximation for finite c (see the top of this file). Cost: O(log_d of
 * log(1 / (1 - rho))) terms, at most ~60.
 */
int mmc_supermarket(double rho, double d, double mu, struct mmc_supermarket *out);

/* s_j, the fraction of queues with at least j tasks: rho^((d^j - 1) / (d - 1)), rho^j for
 * d = 1; s_0 = 1. NaN when unstable. */
double mmc_supermarket_at_least(const struct mmc_supermarket *s, unsigned long j);

#endif
