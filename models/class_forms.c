/*
 * class_forms.c - see class_forms.h.
 *
 * Which form. Every form needs Poisson arrivals (a renewal stream of
 * exponential gaps, no batches, no staffing): each class is then a Poisson
 * stream of its share of the rate. With one worker the M/G/1 forms hold for
 * any service of finite variance, per class (a held network delay is part of
 * the service: E[h + S] and E[(h + S)^2]). With more workers the forms need
 * one exponential service for every class (no held delay): Cobham's
 * non-preemptive M/M/c, or the preemptive-resume M/M/c (levels at or above a
 * class form an M/M/c queue of their own). Anything else has no exact form
 * here, and none is offered.
 *
 * Rows. A class's row is its class's result; the row of every task weighs
 * the classes by their rates (Wq, W, T) and adds them (Lq, L, utilization).
 * Percentiles are the M/M/c FCFS law where a row is such a queue: the top
 * level under preemption (it never sees the others) when it is one class,
 * and nothing else (a lower class's wait is a busy-period law).
 */
#include "class_forms.h"

#include "erlang.h"
#include "forms.h"
#include "priority_forms.h"

#include <math.h>

/* The point's arrivals are a Poisson stream. */
static bool poisson(const struct mmc_point *p)
{
    const struct mmc_process *pr = p->process;
    return p->arrival->kind == MMC_DIST_EXPONENTIAL && pr->kind == MMC_PROCESS_RENEWAL &&
           !pr->batched && p->staffing->n == 0 && !mmc_protection_is_on(p->protect);
}

/* The shape of class k's service. */
static const struct mmc_dist *shape(const struct mmc_point *p, size_t k)
{
    const struct mmc_task_class *t = &p->classes->c[k];
    return t->has_service ? &t->service_dist.shape : p->service;
}

/* Every class is served Exp(mu) with one mu, nothing held: the M/M/c forms apply. */
static bool one_exponential(const struct mmc_point *p)
{
    for (size_t k = 0; k < p->classes->n; k++)
        if (shape(p, k)->kind != MMC_DIST_EXPONENTIAL || p->class_mean[k] != p->class_mean[0])
            return false;
    return p->hold == 0.0;
}

/* The classes as the forms take them; false when a service has no finite variance. */
static bool classes_in(const struct mmc_point *p, struct mmc_prio_class *in)
{
    const struct mmc_classes *cl = p->classes;
    double shares = 0.0;
    for (size_t k = 0; k < cl->n; k++)
        shares += cl->c[k].share;
    for (size_t k = 0; k < cl->n; k++) {
        double m = p->class_mean[k], h = p->hold, scv = shape(p, k)->scv;
        in[k] = (struct mmc_prio_class){
            .lambda = p->lambda * cl->c[k].share / shares,
            .es = h + m,
            .es2 = h * h + 2.0 * h * m + (1.0 + scv) * m * m,
            .priority = (int)cl->c[k].priority,
        };
        if (!isfinite(in[k].es2))
            return false;
    }
    return true;
}

/* Class k is the only class of the top level. */
static bool alone_at_top(const struct mmc_classes *cl, size_t k)
{
    for (size_t j = 0; j < cl->n; j++)
        if (j != k && cl->c[j].priority <= cl->c[k].priority)
            return false;
    return true;
}

/* M/M/c FCFS percentiles of class k alone (rate lambda_k), for the top class under preemption. */
static void top_percentiles(const struct mmc_point *p, size_t k, double lambda,
                            struct mmc_analytic *out)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    struct mmc_erlang e;
    if (mmc_erlang_mmc(lambda, 1.0 / p->class_mean[k], p->c, 0.0, &e) != 0 || !e.stable)
        return;
    for (int i = 0; i < MMC_N_PCT; i++) {
        out->wq_pct[i] = mmc_erlang_wait_quantile(&e, level[i]);
        out->t_pct[i] = mmc_point_transit(p) + mmc_erlang_sojourn_quantile(&e, level[i]);
    }
}

/* Fill out from the classes' results res for row (0: every task, k + 1: class k). */
static void fill(const struct mmc_point *p, size_t row, const struct mmc_prio_class *in,
                 const struct mmc_prio_result *res, const char *form, struct mmc_analytic *out)
{
    size_t n = p->classes->n, lo = row == 0 ? 0 : row - 1, hi = row == 0 ? n : row;
    double lambda = 0.0, work = 0.0, lq = 0.0, l = 0.0, p_wait = 0.0;
    bool stable = true;
    for (size_t k = lo; k < hi; k++) {
        lambda += in[k].lambda;
        work += in[k].lambda * in[k].es;
        lq += in[k].lambda * res[k].wq;
        l += in[k].lambda * res[k].w;
        p_wait += in[k].lambda * res[k].p_wait;
        stable &= isfinite(res[k].wq);
    }
    double rho = work / (double)p->c;
    mmc_form_base(out, stable, rho, lambda, stable ? form : "none (no steady state)");
    if (!stable)
        return;
    out->lq = lq;
    out->l = l;
    out->wq = lq / lambda;
    out->w = l / lambda;
    out->t = mmc_point_transit(p) + out->w;
    out->p_wait = p_wait / lambda; /* NaN where a class's is not known */
}

int mmc_classes_form(const struct mmc_point *p, size_t row, struct mmc_analytic *out)
{
    const struct mmc_classes *cl = p->classes;
    struct mmc_prio_class in[MMC_MAX_CLASSES];
    struct mmc_prio_result res[MMC_MAX_CLASSES];
    bool resume = cl->preemption == MMC_PREEMPT_RESUME;
    const char *form;
    int rc;
    if (!poisson(p))
        return -1;
    if (!classes_in(p, in))
        return -1; /* an infinite variance: no finite mean wait */
    if (p->c == 1) {
        rc = resume ? mmc_prio_mg1_pr(in, cl->n, res) : mmc_prio_mg1_np(in, cl->n, res);
        form = resume ? "M/G/1 preemptive priority" : "M/G/1 priority (Cobham)";
    } else if (one_exponential(p)) {
        double mu = 1.0 / p->class_mean[0];
        rc = resume ? mmc_prio_mmc_pr(in, cl->n, mu, p->c, res)
                    : mmc_prio_mmc_np(in, cl->n, mu, p->c, res);
        form = resume ? "M/M/c preemptive priority" : "M/M/c priority (Cobham)";
    } else {
        return -1;
    }
    if (rc != 0)
        return -1;
    fill(p, row, in, res, form, out);
    if (out->stable && resume && row > 0 && alone_at_top(cl, row - 1) &&
        shape(p, row - 1)->kind == MMC_DIST_EXPONENTIAL && p->hold == 0.0)
        top_percentiles(p, row - 1, in[row - 1].lambda, out);
    return 0;
}

int mmc_classes_form_per_worker(const struct mmc_point *p, size_t row, struct mmc_analytic *out)
{
    struct mmc_point one = *p;
    double c = (double)p->c;
    one.c = 1;
    one.lambda = p->lambda / c;
    if (mmc_classes_form(&one, row, out) != 0)
        return -1;
    out->throughput *= c;
    out->lq *= c;
    out->l *= c;
    if (out->stable)
        out->form = p->classes->preemption == MMC_PREEMPT_RESUME
                        ? "M/G/1 preemptive priority per worker"
                        : "M/G/1 priority (Cobham) per worker";
    return 0;
}
