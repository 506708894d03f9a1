/*
 * plan_table.h - `mmcsim plan`: the capacity plan of a scenario, solved by
 * the M/M/c closed form (sim/plan.h) for every point of the scenario's sweep
 * other than workers, written as a text table.
 *
 * Only scenarios where that closed form is exact are planned here: model
 * mmc, exponential (renewal) arrival and service, one FCFS class, no
 * overload protection, no staffing schedule, no held delay, arrival given
 * as a rate (a load would depend on the count being searched), no variants.
 * With simulate, each answer c is then run by the experiment runner at c and
 * c - 1 with the scenario's replication settings (and precision rule), and
 * called "confirmed" only when every term's simulated 95 % interval at c
 * meets its target and some term's interval at c - 1 misses it (c - 1
 * unstable: no steady state, misses by the closed form); otherwise the block
 * says which figure the intervals could not decide. Without simulate the
 * answers are labelled "closed form (not yet confirmed by simulation)".
 * Thread-safe; nothing is kept.
 */
#ifndef MMC_PLAN_TABLE_H
#define MMC_PLAN_TABLE_H

#include "error.h"
#include "plan.h"
#include "scenario.h"

#include <stdio.h>

/* At most this many what-if percentages. */
#define MMC_PLAN_MAX_SENS 8

/* What to plan for; arrays borrowed. */
struct mmc_plan_options {
    const struct mmc_slo *slo;
    size_t n_slo;        /* 1 .. MMC_PLAN_MAX_SLO */
    unsigned long c_max; /* the most workers considered, >= 1 */
    const double *sens;  /* what-if fractions, each finite > 0: service time and arrival rate
                            each that much higher */
    size_t n_sens;       /* 0 .. MMC_PLAN_MAX_SENS */
    bool simulate;       /* confirm each count (and the one below) by simulation */
    unsigned threads;    /* for the simulation, >= 1 */
};

/*
 * Checks that s can be planned by the closed form: 0, or -1 with err set
 * ("file: plan: ..." naming the feature that is not supported yet).
 */
int mmc_plan_table_check(const struct mmc_scenario *s, struct mmc_error *err);

/*
 * Plans every (arrival, service, network delay) point of s (checked above)
 * and writes the table to f. Returns the number of points for which no count
 * up to c_max meets every term (0: all found), or -1 with err set on bad
 * input (the scenario or the options).
 */
int mmc_plan_table_write(FILE *f, const struct mmc_scenario *s, const struct mmc_plan_options *o,
                         struct mmc_error *err);

#endif
