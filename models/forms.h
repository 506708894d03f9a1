/*
 * forms.h - pieces every model's closed form is built from: a result that
 * knows only utilization and throughput, and the means that follow from a
 * mean wait by Little's law.
 */
#ifndef MMC_FORMS_H
#define MMC_FORMS_H

#include "model.h"

/* Utilization rho (when stable) and throughput lambda; every other figure NaN; named form. */
void mmc_form_base(struct mmc_analytic *out, bool stable, double rho, double lambda,
                   const char *form);

/* Wq given, the rest of the means: W = Wq + 1/mu, Lq = lambda Wq, L = lambda W, T = the
 * point's transit + W. */
void mmc_form_means(const struct mmc_point *p, double wq, struct mmc_analytic *out);

#endif
