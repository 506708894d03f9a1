/*
 * dist.h - shapes of inter-arrival and service time distributions.
 *
 * Every distribution is a scale family: a struct mmc_dist holds the SHAPE
 * scaled to mean 1, and a draw at mean m is m times a unit-mean draw. So a
 * sweep over rates keeps the shape, and with it the squared coefficient of
 * variation (scv = variance / mean^2), fixed. Constructors take either the
 * scv or the family's own parameters; the latter may imply a mean (a uniform
 * range, hyperexponential rates, a sample file), which they write out for
 * the caller to use as the time scale.
 *
 * Constructors return 0, or -1 with *why set to a static English message
 * naming the valid range (why may be NULL); on failure *d is unchanged.
 * Ownership: an empirical dist borrows its sample array, which must outlive
 * it. Thread-safety: a built dist is read-only and may be shared; draws
 * touch only the generator passed in.
 */
#ifndef MMC_DIST_H
#define MMC_DIST_H

#include "rng.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>

enum mmc_dist_kind {
    MMC_DIST_EXPONENTIAL,
    MMC_DIST_DETERMINISTIC,
    MMC_DIST_UNIFORM,
    MMC_DIST_ERLANG,
    MMC_DIST_GAMMA,
    MMC_DIST_LOGNORMAL,
    MMC_DIST_WEIBULL,
    MMC_DIST_PARETO,
    MMC_DIST_HYPEREXPONENTIAL,
    MMC_DIST_EMPIRICAL,
    MMC_DIST_COUNT
};

/* Most samples an empirical distribution (or a sample file) may hold. */
#define MMC_DIST_MAX_SAMPLES 10000000UL

/* Bounds of the Weibull shape k; they bound the scv to about [1.6e-6, 1.4e11]. */
#define MMC_DIST_WEIBULL_K_MIN 0.05
#define MMC_DIST_WEIBULL_K_MAX 1000.0

/* Largest Erlang phase count. */
#define MMC_DIST_ERLANG_K_MAX 1000

/* A distribution shape at unit mean. Fields not used by a kind are 0. */
struct mmc_dist {
    enum mmc_dist_kind kind;
    double scv; /* variance / mean^2; INFINITY when the variance is infinite (Pareto alpha <= 2) */
    double shape; /* kind-specific, unit mean: erlang k, gamma alpha, lognormal sigma, weibull k,
                     pareto alpha, uniform half-width h (U(1-h,1+h)) */
    double scale; /* kind-specific, unit mean: gamma theta=1/alpha, lognormal zeta (= -sigma^2/2),
                     weibull lambda, pareto x_m */
    double p1, r1, r2;     /* hyperexponential, unit mean: rate r1 with probability p1, else r2 */
    const double *samples; /* empirical: samples divided by their mean (not owned) */
    size_t n_samples;
};

/* The YAML spelling of k ("exponential", "hyperexponential", ...); NULL if k is not a kind. */
const char *mmc_dist_kind_name(enum mmc_dist_kind k);

/* The kind spelled name (exactly, as in YAML), or -1 when there is none. */
int mmc_dist_kind_find(const char *name);

/* Exponential, scv 1. Always 0. */
int mmc_dist_exponential(struct mmc_dist *d);

/* Deterministic (every draw is the mean), scv 0. Always 0. */
int mmc_dist_deterministic(struct mmc_dist *d);

/* Uniform U(1-h, 1+h) with h = sqrt(3 scv); -1 unless 0 <= scv <= 1/3. */
int mmc_dist_uniform_scv(struct mmc_dist *d, double scv, const char **why);

/* Uniform on [lo, hi]; writes the mean (lo+hi)/2 (mean may be NULL). -1 unless
 * 0 <= lo <= hi and hi > 0. */
int mmc_dist_uniform_range(struct mmc_dist *d, double lo, double hi, double *mean,
                           const char **why);

/* Erlang with k phases, scv 1/k; -1 unless k is a whole number in 1..MMC_DIST_ERLANG_K_MAX. */
int mmc_dist_erlang(struct mmc_dist *d, double k, const char **why);

/* Gamma with shape alpha = 1/scv; -1 unless scv > 0. */
int mmc_dist_gamma_scv(struct mmc_dist *d, double scv, const char **why);

/* Gamma with shape alpha (scv 1/alpha); -1 unless alpha > 0. */
int mmc_dist_gamma_shape(struct mmc_dist *d, double alpha, const char **why);

/* Lognormal with sigma^2 = log(1 + scv); -1 unless scv > 0. */
int mmc_dist_lognormal_scv(struct mmc_dist *d, double scv, const char **why);

/* Weibull with shape k; -1 unless MMC_DIST_WEIBULL_K_MIN <= k <= MMC_DIST_WEIBULL_K_MAX. */
int mmc_dist_weibull_shape(struct mmc_dist *d, double k, const char **why);

/* Weibull whose shape k gives this scv (k to relative accuracy 1e-12); -1 unless scv > 0 and
 * within what the k bounds allow. */
int mmc_dist_weibull_scv(struct mmc_dist *d, double scv, const char **why);

/* Pareto with tail index alpha (scv INFINITY when alpha <= 2); -1 unless alpha > 1. */
int mmc_dist_pareto_shape(struct mmc_dist *d, double alpha, const char **why);

/* Pareto with alpha = 1 + sqrt(1 + 1/scv) (always > 2); -1 unless scv > 0. */
int mmc_dist_pareto_scv(struct mmc_dist *d, double scv, const char **why);

/* Two-phase hyperexponential with balanced means (p1/r1 = p2/r2); -1 unless scv >= 1.
 * scv 1 gives two equal phases of rate 1, i.e. an exponential. */
int mmc_dist_hyperexp_scv(struct mmc_dist *d, double scv, const char **why);

/* Hyperexponential: rate rates[i] with probability p[i]. Writes the mean p1/r1 + p2/r2
 * (mean may be NULL). -1 unless p[i] in [0, 1] sum to 1 within 1e-9 and rates are > 0. */
int mmc_dist_hyperexp(struct mmc_dist *d, const double p[2], const double rates[2], double *mean,
                      const char **why);

/* Resampling from samples[0..n-1]: divides them IN PLACE by their mean, writes the mean (mean
 * may be NULL) and borrows the array. -1 (array untouched) unless 1 <= n <= MMC_DIST_MAX_SAMPLES,
 * every sample is finite and >= 0 and the mean is > 0. */
int mmc_dist_empirical(struct mmc_dist *d, double *samples, size_t n, double *mean,
                       const char **why);

/*
 * Read samples from a text/CSV file: the first comma-separated field of each line; blank lines
 * and lines starting with '#' are skipped, and a first non-numeric line is taken as a header.
 * On success *out (the caller frees it) holds *n >= 1 samples. On error returns -1, *out = NULL,
 * *n = 0, *line = the 1-based line at fault (0 when none, e.g. the file cannot be opened) and a
 * message in why. At most MMC_DIST_MAX_SAMPLES samples.
 */
int mmc_dist_read_samples(const char *path, double **out, size_t *n, unsigned long *line, char *why,
                          size_t why_len);

/* One draw of d at mean 1. */
double mmc_dist_draw_unit(const struct mmc_dist *d, const gsl_rng *r);

/* E[X^2] at mean 1: 1 + scv (INFINITY when the variance is infinite). */
double mmc_dist_second_moment(const struct mmc_dist *d);

/* One draw of d at the given mean; exponentials are inlined, the same draw as
 * mmc_rng_exponential. */
static inline double mmc_dist_draw(const struct mmc_dist *d, double mean, const gsl_rng *r)
{
    if (d->kind == MMC_DIST_EXPONENTIAL)
        return mmc_rng_exponential(r, mean);
    return mean * mmc_dist_draw_unit(d, r);
}

#endif
