/*
 * stats.c - Welford accumulators and t intervals.
 *
 * Replications are independent and identically distributed, so the
 * replication means are i.i.d. and, for the run lengths we use, close to
 * normal: the Student-t interval over them is the standard
 * independent-replications method (Law, "Simulation Modeling and Analysis",
 * 5th ed., section 9.4.1).
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void mmc_welford_reset(struct mmc_welford *w)
{
    w->n = 0;
    w->mean = 0.0;
    w->m2 = 0.0;
}

void mmc_welford_add(struct mmc_welford *w, double x)
{
    w->n++;
    double delta = x - w->mean;
    w->mean += delta / (double)w->n;
    w->m2 += delta * (x - w->mean);
}

double mmc_welford_var(const struct mmc_welford *w)
{
    if (w->n < 2)
        return NAN;
    return w->m2 / (double)(w->n - 1);
}

double mmc_t_quantile(double p, double df)
{
    return gsl_cdf_tdist_Pinv(p, df);
}

struct mmc_ci mmc_welford_ci(const struct mmc_welford *w, double conf)
{
    struct mmc_ci ci = {w->n ? w->mean : NAN, NAN, w->n};
    if (w->n < 2)
        return ci;
    double t = mmc_t_quantile(0.5 + conf / 2.0, (double)(w->n - 1));
    ci.half = t * sqrt(mmc_welford_var(w) / (double)w->n);
    return ci;
}
