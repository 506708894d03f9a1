/* forms.c - shared pieces of the closed forms (forms.h). */
#include "forms.h"

#include "dispatch_forms.h"

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

void mmc_form_means_only(struct mmc_analytic *out)
{
    for (int k = 0; k < MMC_N_PCT; k++)
        out->wq_pct[k] = out->t_pct[k] = NAN;
    out->p_wait_gt = NAN;
}

/* ---- per-worker queues ---- */

/* Smallest x in [0, hi] with f(x, a) <= target, f decreasing in x (bisection to 1e-13). */
static double decreasing_root(double (*f)(double, const void *), const void *a, double target,
                              double hi)
{
    double lo = 0.0;
    if (f(0.0, a) <= target)
        return 0.0;
    while (f(hi, a) > target)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (f(mid, a) > target)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* P(Wq > t) of a task: it joins group g's worker with probability n f, waits past t with
 * probability rho exp(-mu (1 - rho) t) (M/M/1). */
static double mixture_wait_tail(double t, const void *a)
{
    const struct mmc_mixture *m = a;
    double s = 0.0;
    for (size_t g = 0; g < m->n_groups; g++)
        s += m->n[g] * m->f[g] * m->rho[g] * exp(-m->mu * (1.0 - m->rho[g]) * t);
    return s;
}

/* P(W > t): the M/M/1 sojourn is exponential with rate mu (1 - rho). */
static double mixture_sojourn_tail(double t, const void *a)
{
    const struct mmc_mixture *m = a;
    double s = 0.0;
    for (size_t g = 0; g < m->n_groups; g++)
        s += m->n[g] * m->f[g] * exp(-m->mu * (1.0 - m->rho[g]) * t);
    return s;
}

/* The offered load per worker. */
static double rho_of(const struct mmc_point *p)
{
    return p->lambda / ((double)p->c * p->mu);
}

void mmc_mixture_even(const struct mmc_point *p, struct mmc_mixture *m)
{
    m->n_groups = 1;
    m->f[0] = 1.0 / (double)p->c;
    m->n[0] = (double)p->c;
    m->rho[0] = rho_of(p);
    m->mu = p->mu;
}

int mmc_form_mixture(const struct mmc_point *p, const struct mmc_mixture *m, bool exp_service,
                     struct mmc_analytic *out)
{
    bool stable = true;
    for (size_t g = 0; g < m->n_groups; g++)
        stable = stable && m->rho[g] < 1.0;
    bool one = m->n_groups == 1;
    mmc_form_base(out, stable, rho_of(p), p->lambda,
                  exp_service
                      ? (one ? "M/M/1 per worker" : "M/M/1 per worker, hash shares")
                      : (one ? "M/G/1 P-K per worker" : "M/G/1 P-K per worker, hash shares"));
    if (!stable || !isfinite(p->service->scv))
        return 0;
    double es = 1.0 / p->mu, es2 = (1.0 + p->service->scv) * es * es, wq = 0.0, pw = 0.0;
    for (size_t g = 0; g < m->n_groups; g++) { /* P-K per worker, weighted by its tasks */
        double share = m->n[g] * m->f[g], rate = p->lambda * m->f[g];
        wq += share * rate * es2 / (2.0 * (1.0 - m->rho[g]));
        pw += share * m->rho[g]; /* PASTA: an arrival finds its worker busy */
    }
    mmc_form_means(p, wq, out);
    out->p_wait = pw;
    if (!exp_service)
        return 0;
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        out->wq_pct[k] = decreasing_root(mixture_wait_tail, m, 1.0 - level[k], es);
        out->t_pct[k] =
            mmc_point_transit(p) + decreasing_root(mixture_sojourn_tail, m, 1.0 - level[k], es);
    }
    if (!isnan(p->wait_threshold))
        out->p_wait_gt = mixture_wait_tail(p->wait_threshold, m);
    return 0;
}

int mmc_form_round_robin(const struct mmc_point *p, struct mmc_analytic *out)
{
    struct mmc_gim1 g;
    if (mmc_gim1_erlang(p->c, p->lambda / (double)p->c, p->mu, &g) != 0)
        return -1;
    mmc_form_base(out, g.stable, rho_of(p), p->lambda, "E_c/M/1 per worker");
    if (!g.stable)
        return 0;
    mmc_form_means(p, g.wq, out);
    out->p_wait = g.p_wait;
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        out->wq_pct[k] = mmc_gim1_wait_quantile(&g, level[k]);
        out->t_pct[k] = mmc_point_transit(p) + mmc_gim1_sojourn_quantile(&g, level[k]);
    }
    if (!isnan(p->wait_threshold))
        out->p_wait_gt = mmc_gim1_wait_tail(&g, p->wait_threshold);
    return 0;
}
