/*
 * control.h - control-variate adjustment of a summary's means.
 */
#ifndef MMC_CONTROL_H
#define MMC_CONTROL_H

#include "experiment.h"

#include <stddef.h>

/* Replace sm's means of utilization .. P_wait (and their intervals) by their control-variate
 * estimates over the n replications where the controls allow (sm->cv_applied says which);
 * a no-op under protection or with too few replications. */
void mmc_control_variates(struct mmc_summary *sm, const struct mmc_run *runs, size_t n);

#endif
