/*
 * report.h - writes an experiment's summaries as an aligned table, CSV or
 * JSON. The report never simulates and never decides a verdict: it formats
 * what experiment.c computed.
 *
 * CSV and JSON carry every number at full precision (shortest round-trip
 * form) with times in seconds; only the table rounds, and it says its units.
 * Thread-safety: none needed (called once, from main).
 */
#ifndef MMC_REPORT_H
#define MMC_REPORT_H

#include "experiment.h"

#include <stdbool.h>
#include <stdio.h>

enum mmc_format {
    MMC_FORMAT_TABLE,
    MMC_FORMAT_CSV,
    MMC_FORMAT_JSON,
};

struct mmc_report_info {
    const char *version;
    bool analytic_only;
};

/* Parse "table", "csv" or "json"; returns 0, or -1 when name is none of them. */
int mmc_format_parse(const char *name, enum mmc_format *out);

/* Write the report to f. Returns 0, or -1 when a write failed (errno set). */
int mmc_report_write(FILE *f, enum mmc_format fmt, const struct mmc_experiment *x,
                     const struct mmc_report_info *info);

/* One-line verdict text for a summary ("agrees (...)", "differs: ..."), into buf. */
void mmc_verdict_format(const struct mmc_summary *sm, char *buf, size_t size);

/* Token for the verdict kind ("agrees", "differs", "transient", ...). */
const char *mmc_verdict_token(enum mmc_verdict_kind kind);

/* 64-bit FNV-1a hash of the canonical resolved scenario (mmc_scenario_print of each of the
 * n_variants variants s[0 .. n - 1], separated by "---" lines). */
unsigned long long mmc_scenario_hash(const struct mmc_scenario *s, size_t n_variants);

#endif
