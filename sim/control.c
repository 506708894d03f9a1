/*
 * control.c - control variates: each replication's figures regressed on
 * controls whose means are known exactly (see mmc_control_variates).
 */
#include "control.h"

#include "summary.h"

#include <math.h>

/* Fewest replications for which the adjusted interval (n - 3 degrees of freedom) is used. */
#define CV_MIN_REPS 8

static double det3(const double m[3][3])
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* Solve m b = v by Cramer's rule; returns [0][0] of m's inverse (NaN if m is singular). */
static double solve3(const double m[3][3], const double v[3], double b[3])
{
    double det = det3(m), t[3][3];
    if (det == 0.0 || !isfinite(det))
        return NAN;
    for (int col = 0; col < 3; col++) {
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                t[i][j] = j == col ? v[i] : m[i][j];
        b[col] = det3((const double(*)[3])t) / det;
    }
    return (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
}

/*
 * Control variates (Law, 5th ed., section 11.5; Lavenberg and Welch 1981).
 * Each replication's figure Y is regressed on two centred controls whose
 * means are known exactly: the measured tasks' mean service time minus 1/mu
 * and their mean inter-arrival gap minus 1/lambda. The intercept - Y at
 * controls equal to their expectations - is the adjusted estimate; its
 * standard error comes from the regression, on n - 3 degrees of freedom. A
 * replication that drew short services or long gaps (a lucky run) is thus
 * corrected by how much such luck moves Y.
 */
/* Returns whether metric k was adjusted (false when the controls are missing or degenerate). */
/* Does a control vary between replications beyond rounding? (A deterministic service or
 * arrival time gives the same mean in every replication, up to the last bits: a regression on
 * those bits is noise.) */
static bool control_varies(const struct mmc_run *runs, size_t n, bool svc, double expect)
{
    struct mmc_welford w;
    mmc_welford_reset(&w);
    for (size_t r = 0; r < n; r++)
        mmc_welford_add(&w, (svc ? runs[r].svc_mean : runs[r].gap_mean) - expect);
    double var = w.n > 1 ? w.m2 / (double)(w.n - 1) : 0.0;
    return sqrt(var) > 1e-9 * fabs(expect);
}

static bool cv_adjust(struct mmc_summary *sm, const struct mmc_run *runs, size_t n, int k)
{
    double xtx[3][3] = {{0}}, xty[3] = {0}, b[3];
    double mu_inv = 1.0 / mmc_point_hold_rate(&sm->point), gap = 1.0 / sm->point.lambda;
    if (!control_varies(runs, n, true, mu_inv) || !control_varies(runs, n, false, gap))
        return false;
    /* T = d + W: regress W, so that a huge d cannot overflow the sums of squares */
    int y = k == MMC_M_T ? MMC_M_W : k;
    double shift = k == MMC_M_T ? mmc_point_transit(&sm->point) : 0.0;
    for (size_t r = 0; r < n; r++) {
        double v[MMC_M_COUNT];
        mmc_run_metrics(&sm->point, &runs[r], v);
        double x[3] = {1.0, runs[r].svc_mean - mu_inv, runs[r].gap_mean - gap};
        for (int i = 0; i < 3; i++) {
            xty[i] += x[i] * v[y];
            for (int j = 0; j < 3; j++)
                xtx[i][j] += x[i] * x[j];
        }
    }
    double inv00 = solve3((const double(*)[3])xtx, xty, b);
    if (!isfinite(inv00))
        return false;
    double rss = 0.0;
    for (size_t r = 0; r < n; r++) {
        double v[MMC_M_COUNT];
        mmc_run_metrics(&sm->point, &runs[r], v);
        double e =
            v[y] - b[0] - b[1] * (runs[r].svc_mean - mu_inv) - b[2] * (runs[r].gap_mean - gap);
        rss += e * e;
    }
    b[0] += shift;
    /* an intercept outside what the metric can be (a negative probability, a utilization above
       1) says the regression is not to be trusted here: the plain estimate stands */
    bool fraction = k == MMC_M_UTIL || k == MMC_M_PWAIT;
    if (!(b[0] >= 0.0) || (fraction && b[0] > 1.0))
        return false;
    double var_cv = rss / (double)(n - 3) * inv00;
    double t_plain = mmc_t_quantile(0.975, (double)(n - 1));
    double var_plain = sm->m[k].half / t_plain * (sm->m[k].half / t_plain);
    sm->cv_reduction[k] = var_plain > 0.0 ? 1.0 - var_cv / var_plain : 0.0;
    sm->m[k].mean = b[0];
    sm->m[k].half = mmc_t_quantile(0.975, (double)(n - 3)) * sqrt(var_cv);
    return true;
}

void mmc_control_variates(struct mmc_summary *sm, const struct mmc_run *runs, size_t n)
{
    /* losses break the arrival control (served tasks' gaps do not average 1 / lambda) */
    if (n < CV_MIN_REPS || sm->tasks < 2 * n || mmc_protection_is_on(sm->point.protect))
        return;
    for (int k = 0; k <= MMC_M_PWAIT; k++)
        sm->cv_applied |= cv_adjust(sm, runs, n, k);
}
