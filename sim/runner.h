/*
 * runner.h - run a round of units of work (replications or pilot paths).
 *
 * The one part of an experiment that knows how work is handed out: today a
 * pool of threads on this machine. A unit owns its random streams (derived
 * from the point's seed and the replication number) and writes only its own
 * run record, so the records do not depend on who ran them or in what order.
 * Not reentrant for one experiment: one round at a time.
 */
#ifndef MMC_RUNNER_H
#define MMC_RUNNER_H

#include "experiment.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* A replication of a point, or (pilot != NULL) a pilot path recording into series. */
struct mmc_unit {
    size_t point, rep;
    const struct mmc_point *pilot;
    struct mmc_mser *series;
};

/*
 * Run the n_units units (n_units >= 1) on opt->threads threads, reporting
 * progress through opt->progress (t0: when the experiment started). A
 * replication writes x->runs[point][rep] (finished set, percentiles and
 * spans filled) and merges into x->pooled[point]; a pilot only records its
 * series. Units not started when opt->cancel is set are skipped.
 */
void mmc_runner_round(struct mmc_experiment *x, const struct mmc_unit *units, size_t n_units,
                      const struct mmc_run_options *opt, const struct timespec *t0);

/* Has the caller asked the run to stop (opt->cancel set and nonzero)? */
bool mmc_runner_cancelled(const struct mmc_run_options *opt);

/* Seconds of the monotonic clock since t0. */
double mmc_runner_elapsed(const struct timespec *t0);

#endif
