/*
 * fixture.h - a one-point M/M/c scenario built in caller storage, shared by
 * the simulation test suites (no YAML involved, so they test the engine
 * alone). The axes point into the fixture: never copy a fixture.
 */
#ifndef MMC_TEST_FIXTURE_H
#define MMC_TEST_FIXTURE_H

#include "experiment.h"

#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct fixture {
    struct mmc_scenario s;
    double lambda, mu, c, d;
};

/* lambda, mu, c; tasks measured per replication after a warm-up of tasks / 20. */
static inline void fixture_init(struct fixture *f, double lambda, double mu, double c, double tasks)
{
    *f = (struct fixture){.lambda = lambda, .mu = mu, .c = c, .d = 0.0};
    struct mmc_scenario *s = &f->s;
    strcpy(s->name, "test");
    strcpy(s->model, "mmc");
    strcpy(s->rng, "taus2");
    s->description = (char *)"";
    mmc_dist_exponential(&s->arrival_dist.shape);
    mmc_dist_exponential(&s->service_dist.shape);
    s->arrival = (struct mmc_axis){1, &f->lambda};
    s->service = (struct mmc_axis){1, &f->mu};
    s->workers = (struct mmc_axis){1, &f->c};
    s->network_delay = (struct mmc_axis){1, &f->d};
    s->mem_per_task = 0.5;
    s->stop = (struct mmc_limit){MMC_LIMIT_TASKS, tasks};
    s->warmup = (struct mmc_limit){MMC_LIMIT_TASKS, tasks / 20};
    s->replications = 10;
    s->seed = 12345;
    s->wait_threshold = NAN;
    s->batches = 30;
    s->precision = (struct mmc_precision){.confidence = 0.95, .max_replications = 1000};
    strcpy(s->precision.metric, "T");
}

/* Expand and run s on thr threads (the experiment must be finalised by the caller). */
static inline void fixture_run(struct mmc_experiment *x, const struct mmc_scenario *s, unsigned thr)
{
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_experiment_init(x, s, &err), 0);
    struct mmc_run_options opt = {.threads = thr};
    mmc_experiment_run(x, &opt);
}

/* |sim - exact| within the 99.9 % interval, and the 95 % interval narrower than max_rel. */
static inline void assert_covers(const struct mmc_summary *sm, enum mmc_metric m, double exact,
                                 double max_rel)
{
    const struct mmc_ci *ci = &sm->m[m];
    double n = (double)ci->n;
    double wide = ci->half * mmc_t_quantile(0.9995, n - 1) / mmc_t_quantile(0.975, n - 1);
    ck_assert_msg(fabs(ci->mean - exact) <= wide, "c=%lu rho=%g %s: sim %.6g +- %.3g, exact %.6g",
                  sm->point.c, sm->point.load, mmc_metric_name(m), ci->mean, wide, exact);
    ck_assert_msg(ci->half <= max_rel * exact, "c=%lu rho=%g %s: half-width %.3g too wide",
                  sm->point.c, sm->point.load, mmc_metric_name(m), ci->half);
}

/* Two run records hold the same results: every field, and the distributions they own. */
static inline void assert_runs_equal(const struct mmc_run *a, const struct mmc_run *b)
{
    struct mmc_run x = *a, y = *b;
    const struct mmc_hist_span *sa[2] = {&a->wait_span, &a->sojourn_span};
    const struct mmc_hist_span *sb[2] = {&b->wait_span, &b->sojourn_span};
    for (int k = 0; k < 2; k++) {
        ck_assert_uint_eq(sa[k]->len, sb[k]->len);
        if (sa[k]->len > 0)
            ck_assert_int_eq(memcmp(sa[k]->count, sb[k]->count, sa[k]->len * sizeof *sa[k]->count),
                             0);
    }
    x.wait_span.count = y.wait_span.count = NULL;
    x.sojourn_span.count = y.sojourn_span.count = NULL;
    x.batch = y.batch = NULL;
    x.cls = y.cls = NULL; /* the class records: compared by the caller */
    ck_assert_int_eq(memcmp(&x, &y, sizeof x), 0);
}

/* Point 0's class rows, which must number n_want. */
static inline const struct mmc_summary *fixture_class_rows(const struct mmc_experiment *x,
                                                           size_t n_want)
{
    size_t n = 0;
    const struct mmc_summary *rows = mmc_experiment_class_rows(x, 0, &n);
    ck_assert_uint_eq(n, n_want);
    return rows;
}

/*
 * Run a's class records add up to it, and each equals its twin's (the same run on another
 * thread count): arrivals, the initial backlog (initial tasks), completions, measured tasks
 * and inversions as counts, Lq, busy time and the waits' sums to 1e-9. Returns the inversions.
 */
static inline uint64_t fixture_assert_class_books(const struct mmc_run *a,
                                                  const struct mmc_run *twin, size_t n_cls,
                                                  uint64_t initial_tasks)
{
    uint64_t arrived = 0, initial = 0, completed = 0, measured = 0, inversions = 0;
    double lq = 0.0, busy = 0.0, sum_wq = 0.0, sum_w = 0.0;
    for (size_t k = 0; k < n_cls; k++) {
        const struct mmc_run *b = &a->cls[k];
        assert_runs_equal(b, &twin->cls[k]);
        ck_assert_uint_eq(b->n_arrived, b->n_completed + b->n_in_system_end);
        arrived += b->n_arrived;
        initial += b->n_initial;
        completed += b->n_completed;
        measured += b->n_measured;
        inversions += b->n_inversions;
        lq += b->lq;
        busy += b->busy;
        sum_wq += b->wq * (double)b->n_measured;
        sum_w += b->w * (double)b->n_measured;
    }
    ck_assert_uint_eq(arrived, a->n_arrived);
    ck_assert_uint_eq(initial, initial_tasks);
    ck_assert_uint_eq(initial, a->n_initial);
    ck_assert_uint_eq(completed, a->n_completed);
    ck_assert_uint_eq(measured, a->n_measured);
    ck_assert_uint_eq(inversions, a->n_inversions);
    ck_assert_double_eq_tol(lq, a->lq, 1e-9 * a->lq);
    ck_assert_double_eq_tol(busy, a->busy, 1e-9 * a->busy);
    ck_assert_double_eq_tol(sum_wq, a->wq * (double)a->n_measured, 1e-9 * sum_wq);
    ck_assert_double_eq_tol(sum_w, a->w * (double)a->n_measured, 1e-9 * sum_w);
    return inversions;
}

/* Add class {name, share, priority} (the scenario's service) to f's scenario. */
static inline void fixture_add_class(struct fixture *f, const char *name, double share,
                                     long priority)
{
    struct mmc_classes *cl = &f->s.classes;
    struct mmc_task_class *t = &cl->c[cl->n++];
    *t = (struct mmc_task_class){.share = share, .rate = NAN, .priority = priority};
    snprintf(t->name, sizeof t->name, "%s", name);
}

/* Give the last class its own service: shape d, rate. */
static inline void fixture_class_service(struct fixture *f, struct mmc_dist d, double rate)
{
    struct mmc_task_class *t = &f->s.classes.c[f->s.classes.n - 1];
    t->has_service = true;
    t->service_dist = (struct mmc_dist_spec){.shape = d};
    t->service_rate = rate;
}

/*
 * Cobham, one server, classes in priority order (lambda, E[S], E[S^2]):
 * non-preemptive Wq_k = W0 / ((1 - s_<k)(1 - s_<=k)), W0 = sum lambda E[S^2] / 2;
 * preemptive resume T_k = E[S_k] / (1 - s_<k) + R_<=k / ((1 - s_<k)(1 - s_<=k)).
 */
static inline void fixture_cobham_mg1(const double *lambda, const double *es, const double *es2,
                                      size_t n, bool resume, double *wq)
{
    double w0 = 0.0, above = 0.0;
    for (size_t k = 0; k < n; k++)
        w0 += lambda[k] * es2[k] / 2.0;
    for (size_t k = 0; k < n; k++) {
        double upto = above + lambda[k] * es[k], r = 0.0;
        for (size_t j = 0; j <= k; j++)
            r += lambda[j] * es2[j] / 2.0;
        if (resume)
            wq[k] = es[k] / (1.0 - above) + r / ((1.0 - above) * (1.0 - upto)) - es[k];
        else
            wq[k] = w0 / ((1.0 - above) * (1.0 - upto));
        above = upto;
    }
}

#endif
