/*
 * compare.h - paired differences between the points of an experiment.
 */
#ifndef MMC_COMPARE_H
#define MMC_COMPARE_H

#include "experiment.h"

/* Fill each point's diff with its paired difference from the point before it (adjacent) or
 * from the first (baseline), as the scenario's compare says; a no-op for none. */
void mmc_compare_points(struct mmc_experiment *x);

#endif
