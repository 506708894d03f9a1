/*
 * compare.c - paired comparisons of sweep points (compare: adjacent | baseline).
 */
#include "compare.h"

#include "stats.h"
#include "summary.h"

#include <math.h>

/* Welch half-width at 95 % for the difference of two independent means. */
static double unpaired_half(const struct mmc_welford *a, const struct mmc_welford *b)
{
    double va = mmc_welford_var(a) / (double)a->n, vb = mmc_welford_var(b) / (double)b->n;
    double se2 = va + vb;
    double df = se2 * se2 / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    if (!(se2 > 0.0))
        return 0.0;
    return mmc_t_quantile(0.975, df) * sqrt(se2);
}

/*
 * Point i minus point j, replication by replication. Replication r of every
 * point draws from the same streams, so the two runs share their luck and
 * most of it cancels in the difference: the paired interval is the honest
 * one, the unpaired (Welch) half-width shows what the sharing bought.
 */
static void paired_diff(struct mmc_experiment *x, size_t i, size_t j)
{
    const enum mmc_metric m[MMC_N_CMP] = MMC_CMP_METRICS;
    struct mmc_diff *df = &x->summaries[i].diff;
    size_t n = x->n_runs[i] < x->n_runs[j] ? x->n_runs[i] : x->n_runs[j];
    struct mmc_welford d[MMC_N_CMP], a[MMC_N_CMP], b[MMC_N_CMP];
    for (int k = 0; k < MMC_N_CMP; k++) {
        mmc_welford_reset(&d[k]);
        mmc_welford_reset(&a[k]);
        mmc_welford_reset(&b[k]);
    }
    for (size_t r = 0; r < n; r++) {
        double vi[MMC_M_COUNT], vj[MMC_M_COUNT];
        mmc_run_metrics(&x->points[i], &x->runs[i][r], vi);
        mmc_run_metrics(&x->points[j], &x->runs[j][r], vj);
        for (int k = 0; k < MMC_N_CMP; k++) {
            mmc_welford_add(&d[k], vi[m[k]] - vj[m[k]]);
            mmc_welford_add(&a[k], vi[m[k]]);
            mmc_welford_add(&b[k], vj[m[k]]);
        }
    }
    df->present = true;
    df->ref = j;
    for (int k = 0; k < MMC_N_CMP; k++) {
        df->d[k] = mmc_welford_ci(&d[k], 0.95);
        df->unpaired_half[k] = n >= 2 ? unpaired_half(&a[k], &b[k]) : NAN;
    }
}

void mmc_compare_points(struct mmc_experiment *x)
{
    enum mmc_compare_kind kind = x->scenario->compare;
    if (kind == MMC_COMPARE_NONE)
        return;
    for (size_t i = 1; i < x->n_points; i++)
        paired_diff(x, i, kind == MMC_COMPARE_ADJACENT ? i - 1 : 0);
}
