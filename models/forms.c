/* forms.c - shared pieces of the closed forms (forms.h). */
#include "forms.h"

#include <math.h>

void mmc_form_base(struct mmc_analytic *out, bool stable, double rho, double lambda,
                   const char *form)
{
    double nan = NAN;
    *out = (struct mmc_analytic){
        .stable = stable,
        .rho = rho,
        .util = stable ? rho : nan,
        .throughput = lambda,
        .lq = nan,
        .l = nan,
        .wq = nan,
        .w = nan,
        .t = nan,
        .p_wait = nan,
        .p0 = nan,
        .p_wait_gt = nan,
        .p_block = nan,
        .p_shed = nan,
        .p_throttle = nan,
        .p_abandon = nan,
        .form = form,
    };
    for (int k = 0; k < MMC_N_PCT; k++)
        out->wq_pct[k] = out->t_pct[k] = nan;
}

void mmc_form_means(const struct mmc_point *p, double wq, struct mmc_analytic *out)
{
    out->wq = wq;
    out->w = wq + 1.0 / p->mu;
    out->lq = p->lambda * out->wq;
    out->l = p->lambda * out->w;
    out->t = mmc_point_transit(p) + out->w;
}
