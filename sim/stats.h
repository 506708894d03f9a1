/*
 * stats.h - streaming statistics: Welford mean/variance and Student-t
 * confidence intervals over independent replications.
 *
 * Plain structs in caller storage; no allocation. Thread-safety: one
 * accumulator per thread.
 */
#ifndef MMC_STATS_H
#define MMC_STATS_H

#include <stddef.h>

/* Running mean and sum of squared deviations (Welford 1962), numerically stable. */
struct mmc_welford {
    size_t n;
    double mean, m2;
};

/* A mean with its confidence half-width (NaN when n < 2). */
struct mmc_ci {
    double mean, half;
    size_t n;
};

/* Reset to no observations. */
void mmc_welford_reset(struct mmc_welford *w);

/* Add one observation. */
void mmc_welford_add(struct mmc_welford *w, double x);

/* Sample variance (n - 1 denominator); NaN when n < 2. */
double mmc_welford_var(const struct mmc_welford *w);

/*
 * Two-sided Student-t interval at confidence level conf (0 < conf < 1) for
 * the mean: half = t_{(1+conf)/2, n-1} * s / sqrt(n).
 */
struct mmc_ci mmc_welford_ci(const struct mmc_welford *w, double conf);

/* Quantile of Student's t with df degrees of freedom (p in (0,1), df > 0). */
double mmc_t_quantile(double p, double df);

#endif
