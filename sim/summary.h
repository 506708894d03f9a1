/*
 * summary.h - aggregate a point's run records into its struct mmc_summary.
 *
 * Pure functions of the records (borrowed), called once per point after the
 * runs; deterministic whatever order the records were produced in.
 */
#ifndef MMC_SUMMARY_H
#define MMC_SUMMARY_H

#include "experiment.h"

#include <stddef.h>

/* The per-replication value of every metric (NaN where r has none: no served task, no
 * window, a loss that is not configured). */
void mmc_run_metrics(const struct mmc_point *p, const struct mmc_run *r, double v[MMC_M_COUNT]);

/*
 * Fill sm (whose point, closed form and stop reason are set) from n_runs
 * finished replications and the point's pooled histograms: means,
 * intervals, percentiles, invariants, control variates when asked, and the
 * replications' autocorrelation time.
 */
void mmc_summary_aggregate(struct mmc_summary *sm, const struct mmc_run *runs, size_t n_runs,
                           const struct mmc_run_hist *pooled);

/* As mmc_summary_aggregate for batch means: run is the one long replication, its fine
 * batches merged down to about target batches (fewer while they are correlated). */
void mmc_summary_aggregate_batches(struct mmc_summary *sm, const struct mmc_run *run, size_t target,
                                   const struct mmc_run_hist *pooled);

#endif
