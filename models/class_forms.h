/*
 * class_forms.h - closed forms of a point with priority classes, for its
 * row of all tasks and for each class's row, from models/priority_forms.
 */
#ifndef MMC_CLASS_FORMS_H
#define MMC_CLASS_FORMS_H

#include "model.h"

#include <stddef.h>

/*
 * Closed form of point p (which has classes) for row `row`: 0 the row of
 * every task, k + 1 class k's. Returns 0 with out filled, -1 when there is
 * none for p (its queue, arrivals or services are not those of a form).
 */
int mmc_classes_form(const struct mmc_point *p, size_t row, struct mmc_analytic *out);

/*
 * The same for c independent single-worker priority queues, each fed a
 * Poisson 1/c of every class (push with random dispatch, steal without
 * stealing and random arrival): the one-worker forms at lambda / c, with
 * counts and throughput scaled by c (waits, fractions and utilization are
 * every worker's).
 */
int mmc_classes_form_per_worker(const struct mmc_point *p, size_t row, struct mmc_analytic *out);

#endif
