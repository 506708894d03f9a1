/*
 * table.h - the human-readable report: aligned columns, rounded values,
 * times in one display unit named in the header.
 */
#ifndef MMC_TABLE_H
#define MMC_TABLE_H

#include "experiment.h"
#include "report.h"

#include <stdio.h>

/* Write the table report for x to f (write errors show in ferror(f)). */
void mmc_table_write(FILE *f, const struct mmc_experiment *x, const struct mmc_report_info *info);

#endif
