/*
 * fmt.c - shortest round-trip formatting of doubles.
 *
 * Tries precisions 1..17 and keeps the first that strtod maps back to the
 * same bits: 17 significant digits always round-trip an IEEE double, so the
 * loop ends. This is the "shortest" form among %g spellings, which is what
 * CSV and JSON readers need to recover the value exactly.
 */
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

char *mmc_fmt_double(char *buf, size_t size, double x)
{
    if (isnan(x)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(x)) {
        snprintf(buf, size, x > 0 ? "inf" : "-inf");
        return buf;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}
