/*
 * dist.c - distribution shapes at unit mean: constructors, draws, sample files.
 *
 * Invariants of a built struct mmc_dist: the mean is 1 (exactly in closed
 * form, up to rounding for empirical samples) and scv is the variance, or
 * INFINITY when that is infinite. Constructors validate everything first
 * (NaN fails every comparison, so each check is written as "!(valid)") and
 * build into a local, so a rejected call leaves *d as it was and no GSL
 * routine is ever handed a parameter outside its domain.
 *
 * Unit-mean parameterisations (closed forms from Johnson, Kotz and
 * Balakrishnan, "Continuous Univariate Distributions", 2nd ed.):
 *   uniform U(1-h, 1+h)          scv = h^2 / 3
 *   erlang k, gamma alpha        theta = 1/alpha, scv = 1/alpha
 *   lognormal (zeta, sigma)      E = exp(zeta + sigma^2/2) = 1 => zeta = -sigma^2/2,
 *                                scv = exp(sigma^2) - 1 => sigma^2 = log1p(scv)
 *   weibull (lambda, k)          E = lambda Gamma(1+1/k) = 1,
 *                                scv = Gamma(1+2/k) / Gamma(1+1/k)^2 - 1
 *   pareto (x_m, alpha)          E = alpha x_m / (alpha-1) = 1, scv = 1/(alpha(alpha-2))
 *   hyperexponential (p, r1, r2) E = p/r1 + (1-p)/r2 = 1,
 *                                scv = 1 + 2 p (1-p) (1/r1 - 1/r2)^2
 *
 * No state outside the arguments: the name table is static const.
 */
#include "dist.h"

#include "csv.h"
#include "error.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[MMC_DIST_COUNT] = {
    [MMC_DIST_EXPONENTIAL] = "exponential",
    [MMC_DIST_DETERMINISTIC] = "deterministic",
    [MMC_DIST_UNIFORM] = "uniform",
    [MMC_DIST_ERLANG] = "erlang",
    [MMC_DIST_GAMMA] = "gamma",
    [MMC_DIST_LOGNORMAL] = "lognormal",
    [MMC_DIST_WEIBULL] = "weibull",
    [MMC_DIST_PARETO] = "pareto",
    [MMC_DIST_HYPEREXPONENTIAL] = "hyperexponential",
    [MMC_DIST_EMPIRICAL] = "empirical",
};

/* Erlang draws up to this many phases sum exponentials; beyond, one gamma draw is cheaper. */
#define ERLANG_SUM_MAX 16

const char *mmc_dist_kind_name(enum mmc_dist_kind k)
{
    if ((unsigned)k >= MMC_DIST_COUNT)
        return NULL;
    return kind_names[k];
}

int mmc_dist_kind_find(const char *name)
{
    for (int k = 0; k < MMC_DIST_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

/* Report msg through why (which may be NULL) and fail. */
static int fail(const char **why, const char *msg)
{
    if (why != NULL)
        *why = msg;
    return -1;
}

/* A dist of kind k with every parameter 0. */
static struct mmc_dist blank(enum mmc_dist_kind k, double scv)
{
    struct mmc_dist d = {0};
    d.kind = k;
    d.scv = scv;
    return d;
}

int mmc_dist_exponential(struct mmc_dist *d)
{
    *d = blank(MMC_DIST_EXPONENTIAL, 1.0);
    return 0;
}

int mmc_dist_deterministic(struct mmc_dist *d)
{
    *d = blank(MMC_DIST_DETERMINISTIC, 0.0);
    return 0;
}

int mmc_dist_uniform_scv(struct mmc_dist *d, double scv, const char **why)
{
    if (!(scv >= 0.0 && scv <= 1.0 / 3.0))
        return fail(why, "uniform: scv must be in [0, 1/3]");
    struct mmc_dist u = blank(MMC_DIST_UNIFORM, scv);
    u.shape = sqrt(3.0 * scv);
    *d = u;
    return 0;
}

int mmc_dist_uniform_range(struct mmc_dist *d, double lo, double hi, double *mean, const char **why)
{
    if (!(lo >= 0.0 && lo <= hi && hi > 0.0 && isfinite(hi)))
        return fail(why, "uniform: need finite 0 <= lo <= hi with hi > 0");
    /* halves first: lo + hi may overflow */
    double m = lo / 2.0 + hi / 2.0;
    double h = (hi / 2.0 - lo / 2.0) / m;
    struct mmc_dist u = blank(MMC_DIST_UNIFORM, h * h / 3.0);
    u.shape = h;
    *d = u;
    if (mean != NULL)
        *mean = m;
    return 0;
}

int mmc_dist_erlang(struct mmc_dist *d, double k, const char **why)
{
    if (!(k >= 1.0 && k <= MMC_DIST_ERLANG_K_MAX && k == floor(k)))
        return fail(why, "erlang: k must be a whole number in 1..1000");
    struct mmc_dist e = blank(MMC_DIST_ERLANG, 1.0 / k);
    e.shape = k;
    e.scale = 1.0 / k;
    *d = e;
    return 0;
}

/* Gamma of shape alpha, already checked finite and > 0. */
static struct mmc_dist gamma_of(double alpha)
{
    struct mmc_dist g = blank(MMC_DIST_GAMMA, 1.0 / alpha);
    g.shape = alpha;
    g.scale = 1.0 / alpha;
    return g;
}

int mmc_dist_gamma_scv(struct mmc_dist *d, double scv, const char **why)
{
    /* 1/scv must stay finite: subnormal scv would give an infinite shape */
    if (!(scv > 0.0 && isfinite(scv) && isfinite(1.0 / scv)))
        return fail(why, "gamma: scv must be finite and > 0");
    *d = gamma_of(1.0 / scv);
    return 0;
}

int mmc_dist_gamma_shape(struct mmc_dist *d, double alpha, const char **why)
{
    if (!(alpha > 0.0 && isfinite(alpha) && isfinite(1.0 / alpha)))
        return fail(why, "gamma: alpha must be finite and > 0");
    *d = gamma_of(alpha);
    return 0;
}

int mmc_dist_lognormal_scv(struct mmc_dist *d, double scv, const char **why)
{
    if (!(scv > 0.0 && isfinite(scv)))
        return fail(why, "lognormal: scv must be finite and > 0");
    /* log1p: sigma^2 keeps full precision for small scv */
    double s2 = log1p(scv);
    struct mmc_dist l = blank(MMC_DIST_LOGNORMAL, scv);
    l.shape = sqrt(s2);
    l.scale = -s2 / 2.0;
    *d = l;
    return 0;
}

/* Weibull scv at shape k. Through lngamma (Gamma(1+2/k) overflows for k < 0.012) and expm1
 * (the ratio tends to 1 as k grows, scv ~ (pi^2/6) / k^2). */
static double weibull_scv_at(double k)
{
    return expm1(gsl_sf_lngamma(1.0 + 2.0 / k) - 2.0 * gsl_sf_lngamma(1.0 + 1.0 / k));
}

int mmc_dist_weibull_shape(struct mmc_dist *d, double k, const char **why)
{
    if (!(k >= MMC_DIST_WEIBULL_K_MIN && k <= MMC_DIST_WEIBULL_K_MAX))
        return fail(why, "weibull: shape k must be in [0.05, 1000]");
    struct mmc_dist w = blank(MMC_DIST_WEIBULL, weibull_scv_at(k));
    w.shape = k;
    w.scale = exp(-gsl_sf_lngamma(1.0 + 1.0 / k));
    *d = w;
    return 0;
}

int mmc_dist_weibull_scv(struct mmc_dist *d, double scv, const char **why)
{
    /* scv is decreasing in k: bisect on log k, where the search range is only ~10 wide and
       relative accuracy in k is absolute accuracy in log k */
    double lo = log(MMC_DIST_WEIBULL_K_MIN), hi = log(MMC_DIST_WEIBULL_K_MAX);
    if (!(scv >= weibull_scv_at(MMC_DIST_WEIBULL_K_MAX) &&
          scv <= weibull_scv_at(MMC_DIST_WEIBULL_K_MIN)))
        return fail(why, "weibull: scv must be between about 1.64e-6 and 1.38e11 "
                         "(shape k in [0.05, 1000])");
    while (hi - lo > 1e-13) {
        double mid = (lo + hi) / 2.0;
        if (weibull_scv_at(exp(mid)) > scv)
            lo = mid; /* too variable: k must grow */
        else
            hi = mid;
    }
    return mmc_dist_weibull_shape(d, exp((lo + hi) / 2.0), why);
}

int mmc_dist_pareto_shape(struct mmc_dist *d, double alpha, const char **why)
{
    if (!(alpha > 1.0 && isfinite(alpha)))
        return fail(why, "pareto: alpha must be > 1 for a finite mean");
    double scv = alpha > 2.0 ? 1.0 / (alpha * (alpha - 2.0)) : INFINITY;
    struct mmc_dist p = blank(MMC_DIST_PARETO, scv);
    p.shape = alpha;
    p.scale = 1.0 - 1.0 / alpha; /* (alpha-1)/alpha without the cancellation for large alpha */
    *d = p;
    return 0;
}

int mmc_dist_pareto_scv(struct mmc_dist *d, double scv, const char **why)
{
    if (!(scv > 0.0 && isfinite(scv) && isfinite(1.0 / scv)))
        return fail(why, "pareto: scv must be finite and > 0");
    /* alpha(alpha-2) = 1/scv is a quadratic in alpha; its root > 2 */
    return mmc_dist_pareto_shape(d, 1.0 + sqrt(1.0 + 1.0 / scv), why);
}

int mmc_dist_hyperexp_scv(struct mmc_dist *d, double scv, const char **why)
{
    if (!(scv >= 1.0))
        return fail(why, "hyperexponential: scv must be >= 1 (use erlang or gamma below 1)");
    if (!isfinite(scv))
        return fail(why, "hyperexponential: scv must be finite");
    /* Balanced means (Whitt 1982, "Approximating a point process by a renewal process"):
       p1 = (1 + t)/2 with t = sqrt((scv-1)/(scv+1)). p2 = 1 - p1 cancels as scv grows;
       (1 - t) = (1 - t^2)/(1 + t) = 2/((scv+1)(1+t)) does not. */
    double t = sqrt((scv - 1.0) / (scv + 1.0));
    double p2 = 1.0 / ((scv + 1.0) * (1.0 + t));
    struct mmc_dist h = blank(MMC_DIST_HYPEREXPONENTIAL, scv);
    h.p1 = (1.0 + t) / 2.0;
    h.r1 = 2.0 * h.p1;
    h.r2 = 2.0 * p2;
    if (!(h.r2 > 0.0 && isfinite(1.0 / h.r2)))
        return fail(why, "hyperexponential: scv too large");
    *d = h;
    return 0;
}

int mmc_dist_hyperexp(struct mmc_dist *d, const double p[2], const double rates[2], double *mean,
                      const char **why)
{
    if (!(p[0] >= 0.0 && p[0] <= 1.0 && p[1] >= 0.0 && p[1] <= 1.0 &&
          fabs(p[0] + p[1] - 1.0) <= 1e-9))
        return fail(why, "hyperexponential: probabilities must be in [0, 1] and sum to 1");
    if (!(rates[0] > 0.0 && rates[1] > 0.0 && isfinite(rates[0]) && isfinite(rates[1])))
        return fail(why, "hyperexponential: rates must be finite and > 0");
    /* renormalise so that the phase choice and the moments use the same probabilities */
    double p1 = p[0] / (p[0] + p[1]), p2 = 1.0 - p1;
    double m = p1 / rates[0] + p2 / rates[1];
    struct mmc_dist h = blank(MMC_DIST_HYPEREXPONENTIAL, 0.0);
    h.p1 = p1;
    h.r1 = rates[0] * m;
    h.r2 = rates[1] * m;
    if (!(isfinite(m) && h.r1 > 0.0 && h.r2 > 0.0 && isfinite(h.r1) && isfinite(h.r2)))
        return fail(why, "hyperexponential: rates too far apart");
    /* scv = E[X^2] - 1 = 2 sum p_i / r_i^2 - 1 at unit mean; written as 1 + 2 Var(1/R), the
       same value without the cancellation, and never below 1 */
    double gap = 1.0 / h.r1 - 1.0 / h.r2;
    h.scv = 1.0 + 2.0 * p1 * p2 * gap * gap;
    *d = h;
    if (mean != NULL)
        *mean = m;
    return 0;
}

int mmc_dist_empirical(struct mmc_dist *d, double *samples, size_t n, double *mean,
                       const char **why)
{
    if (n == 0 || n > MMC_DIST_MAX_SAMPLES)
        return fail(why, "empirical: need 1 to 10000000 samples");
    /* running mean: a plain sum of large samples could overflow */
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(samples[i] >= 0.0 && isfinite(samples[i])))
            return fail(why, "empirical: samples must be finite and >= 0");
        m += (samples[i] - m) / (double)(i + 1);
    }
    if (!(m > 0.0))
        return fail(why, "empirical: the mean of the samples must be > 0");
    /* two passes over the scaled samples: their mean is 1 only up to rounding */
    double m1 = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        samples[i] /= m;
        m1 += samples[i];
    }
    m1 /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (samples[i] - m1) * (samples[i] - m1);
    struct mmc_dist e = blank(MMC_DIST_EMPIRICAL, ss / (double)n / (m1 * m1));
    e.samples = samples;
    e.n_samples = n;
    *d = e;
    if (mean != NULL)
        *mean = m;
    return 0;
}

/* ---- sample files ---- */

/* The samples of one file, as read so far. */
struct samples {
    double *v;
    size_t n, cap;
};

/* Take the first field of a sample file's data line into ctx (a struct samples). */
static int take_sample(void *ctx, const char *const field[], size_t n_fields, char *why,
                       size_t why_len)
{
    struct samples *s = ctx;
    double x = 0.0;
    (void)n_fields; /* other columns are the file's business */
    enum mmc_csv_number st = mmc_csv_number(field[0], &x);
    if (st != MMC_CSV_NUMBER || x < 0.0) {
        mmc_csv_expected(why, why_len,
                         st == MMC_CSV_NOT_FINITE ? "a finite number >= 0" : "a number >= 0",
                         field[0]);
        return -1;
    }
    if (s->n == MMC_DIST_MAX_SAMPLES) {
        snprintf(why, why_len, "more than %lu samples", MMC_DIST_MAX_SAMPLES);
        return -1;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->v = mmc_xrealloc(s->v, s->cap, sizeof *s->v);
    }
    s->v[s->n++] = x;
    return 0;
}

int mmc_dist_read_samples(const char *path, double **out, size_t *n, unsigned long *line, char *why,
                          size_t why_len)
{
    *out = NULL;
    *n = 0;
    struct samples s = {0};
    int rc = mmc_csv_read(path, take_sample, &s, line, why, why_len);
    if (rc == 0 && s.n == 0) {
        snprintf(why, why_len, "no samples in the file");
        rc = -1;
    }
    if (rc != 0) {
        free(s.v);
        return -1;
    }
    *out = s.v;
    *n = s.n;
    return 0;
}

/* ---- draws ---- */

double mmc_dist_draw_unit(const struct mmc_dist *d, const gsl_rng *r)
{
    switch (d->kind) {
    case MMC_DIST_EXPONENTIAL:
        return mmc_rng_exponential(r, 1.0);
    case MMC_DIST_DETERMINISTIC:
        return 1.0;
    case MMC_DIST_UNIFORM:
        return 1.0 + d->shape * (2.0 * gsl_rng_uniform(r) - 1.0);
    case MMC_DIST_ERLANG:
        if (d->shape <= ERLANG_SUM_MAX) {
            /* a sum of logs rather than the log of a product: no underflow to think about */
            double s = 0.0;
            for (int i = 0; i < (int)d->shape; i++)
                s -= log(1.0 - gsl_rng_uniform(r));
            return s * d->scale;
        }
        return gsl_ran_gamma(r, d->shape, d->scale);
    case MMC_DIST_GAMMA:
        return gsl_ran_gamma(r, d->shape, d->scale);
    case MMC_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->scale, d->shape);
    case MMC_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->scale, d->shape);
    case MMC_DIST_PARETO:
        return gsl_ran_pareto(r, d->shape, d->scale);
    case MMC_DIST_HYPEREXPONENTIAL: {
        double rate = gsl_rng_uniform(r) < d->p1 ? d->r1 : d->r2;
        return -log(1.0 - gsl_rng_uniform(r)) / rate;
    }
    case MMC_DIST_EMPIRICAL:
        return d->samples[mmc_rng_index(r, d->n_samples)];
    case MMC_DIST_COUNT:
        break;
    }
    assert(!"mmc_dist_draw_unit: not a distribution kind");
    return NAN;
}

double mmc_dist_second_moment(const struct mmc_dist *d)
{
    return isinf(d->scv) ? INFINITY : 1.0 + d->scv;
}
