/*
 * forms.h - pieces every model's closed form is built from: a result that
 * knows only utilization and throughput, the means that follow from a mean
 * wait by Little's law, a result whose means hold but not its distribution,
 * and the forms of a pool of c queues, one per worker, each fed by its own
 * share of a Poisson stream (models push and steal).
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

/* Percentiles and P(Wq > t) NaN: the means (and P(wait)) hold, the distribution of the waits
 * does not (another order of service, the same number in system). */
void mmc_form_means_only(struct mmc_analytic *out);

/*
 * Per-worker queues with Poisson arrivals: each worker is an M/G/1 queue at
 * its share of lambda. Workers with the same share are grouped (few
 * distinct shares): group g has n[g] workers, each taking a share f[g] of
 * the arrivals at load rho[g] = lambda f[g] / mu.
 */
#define MMC_MIXTURE_MAX_GROUPS 256
struct mmc_mixture {
    size_t n_groups;
    double f[MMC_MIXTURE_MAX_GROUPS], n[MMC_MIXTURE_MAX_GROUPS], rho[MMC_MIXTURE_MAX_GROUPS];
    double mu;
};

/* One group: c workers with a share 1 / c each (random dispatch). */
void mmc_mixture_even(const struct mmc_point *p, struct mmc_mixture *m);

/* The pool of m's queues: Pollaczek-Khinchine means per worker, weighted by its tasks; with
 * exponential services (exp_service) the M/M/1 percentiles of the mixture too. Returns 0. */
int mmc_form_mixture(const struct mmc_point *p, const struct mmc_mixture *m, bool exp_service,
                     struct mmc_analytic *out);

/* Round robin with Poisson arrivals and exponential services: E_c/M/1 at every worker (the
 * GI/M/1 root, dispatch_forms.h). 0, or -1 when the root cannot be had. */
int mmc_form_round_robin(const struct mmc_point *p, struct mmc_analytic *out);

#endif
