/*
 * props.h - what must hold of every mmcsim report, whatever the scenario
 * (issue 13): the checks shared by the soak driver (tests/soak/soak.c) and the
 * whole-pipeline fuzz target (tests/fuzz/fuzz_simulate.c).
 *
 * The checks read what a user reads: the CSV, JSON and table texts that
 * mmc_report_write made of a run experiment. The experiment itself is read
 * only for facts about the scenario (does the run start empty, are control
 * variates on, the verdict family's size) that decide which promise applies.
 * Each broken promise is one message starting with a short tag naming the
 * property ("prob-range:", "little:", ...), so failures can be counted by
 * kind.
 *
 * Ownership: a soak_fails is caller storage. Thread-safety: reentrant.
 */
#ifndef SOAK_PROPS_H
#define SOAK_PROPS_H

#include "error.h"
#include "experiment.h"

#include <stdarg.h>
#include <stddef.h>

#define SOAK_MAX_FAILS 24
#define SOAK_FAIL_LEN 320

#define SOAK_MAX_NOTES 8

/* Broken promises, in the order found (the first SOAK_MAX_FAILS kept; n counts all), and notes:
 * things allowed but worth a look (a "differs" verdict past its limit: 5 % of correct rows, or a
 * wrong closed form). */
struct soak_fails {
    size_t n, n_notes;
    char msg[SOAK_MAX_FAILS][SOAK_FAIL_LEN];
    char note[SOAK_MAX_NOTES][SOAK_FAIL_LEN];
};

/* Record one broken promise; fmt starts with its tag ("little: ..."). */
void soak_fail(struct soak_fails *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record a note (not a failure), likewise tagged. */
void soak_note(struct soak_fails *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Check the three reports of the run experiment x (csv, json and table as
 * mmc_report_write wrote them, NUL-terminated): well-formed, every number
 * finite, probabilities and utilizations in [0, 1], conservation, Little's
 * law where README promises it exactly, internal consistency of the
 * figures, and no "differs" verdict unless its z is finite and past the
 * family-wise limit. Failures are added to f.
 */
void soak_check_reports(const struct mmc_experiment *x, const char *csv, const char *json,
                        const char *table, struct soak_fails *f);

/* Check that a refused scenario's error is one line with a file, line and column. */
void soak_check_error(const struct mmc_error *err, struct soak_fails *f);

#endif
