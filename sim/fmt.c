/*
 * fmt.c - shortest round-trip formatting of doubles.
 *
 * Tries precisions 1..17 and keeps the first that strtod maps back to the
 * same bits: 17 significant digits always round-trip an IEEE double, so the
 * loop ends. This is the "shortest" form among %g spellings, which is what
 * CSV and JSON readers need to recover the value exactly. %g switches to an
 * exponent whenever the exponent reaches the precision (50 at one digit is
 * "5e+01"), so values of ordinary size are rewritten positionally with the
 * same significant digits ("50", "1000", "0.0005").
 */
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Positional form of x with prec significant digits, if it reads back exactly. */
static void positional(char *buf, size_t size, double x, int prec)
{
    char alt[MMC_FMT_DOUBLE_MAX];
    int e10 = (int)floor(log10(fabs(x)));
    int decimals = prec - 1 - e10;
    snprintf(alt, sizeof alt, "%.*f", decimals > 0 ? decimals : 0, x);
    if (strtod(alt, NULL) == x && strlen(alt) < size)
        memcpy(buf, alt, strlen(alt) + 1);
}

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
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    double ax = fabs(x);
    if (strchr(buf, 'e') != NULL && ax >= 1e-5 && ax < 1e17)
        positional(buf, size, x, prec);
    return buf;
}
