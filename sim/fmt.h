/*
 * fmt.h - number formatting shared by the writers.
 * Pure functions, thread-safe.
 */
#ifndef MMC_FMT_H
#define MMC_FMT_H

#include <stddef.h>

/* Largest buffer mmc_fmt_double needs, with the terminating NUL. */
#define MMC_FMT_DOUBLE_MAX 32

/*
 * Write x in the shortest "%.Ng" form that reads back (strtod) as exactly x;
 * "nan", "inf", "-inf" for non-finite values. Returns buf.
 */
char *mmc_fmt_double(char *buf, size_t size, double x);

#endif
