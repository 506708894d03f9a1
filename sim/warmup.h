/*
 * warmup.h - choose warm-ups (and replication lengths) from pilot paths.
 */
#ifndef MMC_WARMUP_H
#define MMC_WARMUP_H

#include "experiment.h"

#include <time.h>

/*
 * For every point with warmup: auto, run pilot paths (on streams of their
 * own) and set its warmup_cut, mser_cut, pilot_act, pilot_tasks and
 * pilot_short; under a precision rule also lengthen its stop. Returns early,
 * choosing nothing, when opt->cancel is set.
 */
void mmc_warmup_choose(struct mmc_experiment *x, const struct mmc_run_options *opt,
                       const struct timespec *t0);

#endif
