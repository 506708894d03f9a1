/*
 * verdict.h - warnings and verdicts of aggregated summaries.
 *
 * mmc_summary_judge, mmc_summary_differs and mmc_warnings_format, declared
 * in experiment.h for the report writers, live in verdict.c too.
 */
#ifndef MMC_VERDICT_H
#define MMC_VERDICT_H

#include "experiment.h"

#include <stddef.h>

/*
 * The relative bias a replication's mean likely keeps from a start that is
 * not stationary (point p, mean number in system l, autocorrelation time
 * act, n measured tasks, d tasks discarded): see verdict.c.
 */
double mmc_start_bias(const struct mmc_point *p, double l, double act, double n, double d);

/* Choose the autocorrelation time sm's warnings use (the pilots' where they ran), set
 * sm->warnings, and withhold percentile intervals whose tails are too sparse. */
void mmc_verdict_warn(struct mmc_summary *sm);

/* z-scores and verdicts of the n summaries of one run and its n_more class rows, judged as one
 * Bonferroni family. */
void mmc_verdict_judge_all(struct mmc_summary *sms, size_t n, struct mmc_summary *more,
                           size_t n_more);

#endif
