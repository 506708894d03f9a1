/*
 * experiment.c - sweep expansion, the thread pool, aggregation, verdicts.
 *
 * Threads take unit numbers from one atomic counter and write only their
 * own run record; aggregation afterwards walks the records in unit order.
 * Nothing else is shared, so the output is the same for any thread count.
 *
 * Verdicts. Each simulated metric has a 95 % Student-t interval over the
 * replications. A row compares MMC_M_COUNT metrics at once, and eight
 * independent 95 % tests would call a correct simulator "differs" far more
 * often than one time in twenty; the verdict therefore widens each interval
 * to the Bonferroni level 1 - 0.05 / MMC_M_COUNT, so that a correct row is
 * called "differs" at most 5 % of the time. The printed half-widths stay the
 * plain 95 % ones.
 */
#include "experiment.h"

#include "rng.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Differences below this (relative to the closed form) are rounding, not disagreement. */
#define MMC_VERDICT_REL_FLOOR 1e-9

static const char *const metric_names[MMC_M_COUNT] = {
    "utilization", "throughput", "Lq", "L", "Wq", "W", "T", "P_wait",
};

const char *mmc_metric_name(enum mmc_metric m)
{
    return metric_names[m];
}

double mmc_analytic_metric(const struct mmc_analytic *an, enum mmc_metric m)
{
    if (!an->stable)
        return NAN;
    switch (m) {
    case MMC_M_UTIL:
        return an->util;
    case MMC_M_THROUGHPUT:
        return an->throughput;
    case MMC_M_LQ:
        return an->lq;
    case MMC_M_L:
        return an->l;
    case MMC_M_WQ:
        return an->wq;
    case MMC_M_W:
        return an->w;
    case MMC_M_T:
        return an->t;
    default:
        return an->p_wait;
    }
}

static struct mmc_point base_point(const struct mmc_scenario *s, const gsl_rng_type *type)
{
    return (struct mmc_point){
        .mem_per_task = s->mem_per_task,
        .arrival_dist = s->arrival_dist,
        .service_dist = s->service_dist,
        .stop = s->stop,
        .warmup = s->warmup,
        .seed = s->seed,
        .rng_type = type,
    };
}

/* Fill x->points with the product of the axes, workers varying fastest. */
static void expand(struct mmc_experiment *x, const struct mmc_scenario *s, const gsl_rng_type *t)
{
    const struct mmc_axis *a = &s->arrival, *m = &s->service, *d = &s->network_delay,
                          *c = &s->workers;
    x->n_points = a->n * m->n * d->n * c->n;
    x->points = mmc_xcalloc(x->n_points, sizeof *x->points);
    size_t i = 0;
    for (size_t ia = 0; ia < a->n; ia++)
        for (size_t im = 0; im < m->n; im++)
            for (size_t id = 0; id < d->n; id++)
                for (size_t ic = 0; ic < c->n; ic++, i++) {
                    struct mmc_point *p = &x->points[i];
                    *p = base_point(s, t);
                    p->index = i;
                    p->mu = m->v[im];
                    p->c = (unsigned long)c->v[ic];
                    p->d = d->v[id];
                    p->lambda = s->arrival_is_load ? a->v[ia] * (double)p->c * p->mu : a->v[ia];
                    p->load = p->lambda / ((double)p->c * p->mu);
                }
}

int mmc_experiment_init(struct mmc_experiment *x, const struct mmc_scenario *s,
                        struct mmc_error *err)
{
    *x = (struct mmc_experiment){.scenario = s};
    x->model = mmc_model_find(s->model);
    if (x->model == NULL) {
        mmc_error_set(err, s->file, 0, 0, "model: unknown model \"%s\"", s->model);
        return -1;
    }
    const gsl_rng_type *type = mmc_rng_type(s->rng);
    if (type == NULL) {
        mmc_error_set(err, s->file, 0, 0, "rng: unknown GSL generator \"%s\"", s->rng);
        return -1;
    }
    expand(x, s, type);
    x->summaries = mmc_xcalloc(x->n_points, sizeof *x->summaries);
    return 0;
}

void mmc_experiment_fini(struct mmc_experiment *x)
{
    free(x->points);
    free(x->summaries);
    free(x->runs);
    *x = (struct mmc_experiment){0};
}

/* ---- the thread pool ---- */

struct pool {
    struct mmc_experiment *x;
    size_t replications, total;
    atomic_size_t next, done;
};

static void *worker_main(void *arg)
{
    struct pool *pool = arg;
    for (;;) {
        size_t u = atomic_fetch_add(&pool->next, 1);
        if (u >= pool->total)
            break;
        const struct mmc_point *p = &pool->x->points[u / pool->replications];
        pool->x->model->run(p, u % pool->replications, &pool->x->runs[u]);
        atomic_fetch_add(&pool->done, 1);
    }
    return NULL;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Wait for the pool, reporting progress about ten times a second. */
static void watch(struct pool *pool, const struct mmc_run_options *opt)
{
    struct timespec t0, tick = {0, 100000000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        size_t done = atomic_load(&pool->done);
        if (opt->progress != NULL)
            opt->progress(opt->progress_ctx, done, pool->total, seconds_since(&t0));
        if (done >= pool->total)
            break;
        nanosleep(&tick, NULL);
    }
}

static void simulate(struct mmc_experiment *x, const struct mmc_run_options *opt)
{
    struct pool pool = {.x = x, .replications = x->scenario->replications};
    pool.total = x->n_points * pool.replications;
    atomic_init(&pool.next, 0);
    atomic_init(&pool.done, 0);
    x->runs = mmc_xcalloc(pool.total, sizeof *x->runs);
    unsigned n = opt->threads ? opt->threads : 1;
    if (n > pool.total)
        n = (unsigned)pool.total;
    pthread_t *tid = mmc_xmalloc(n, sizeof *tid);
    unsigned started = 0;
    for (; started < n; started++)
        if (pthread_create(&tid[started], NULL, worker_main, &pool) != 0)
            break;
    if (started == 0)
        worker_main(&pool); /* no thread could start: do the work here */
    watch(&pool, opt);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    free(tid);
}

/* ---- aggregation ---- */

/* Per-replication values of every compared metric. */
static void run_metrics(const struct mmc_point *p, const struct mmc_run *r, double v[MMC_M_COUNT])
{
    double n = r->n_measured ? (double)r->n_measured : NAN;
    v[MMC_M_UTIL] = r->busy / (double)p->c;
    v[MMC_M_THROUGHPUT] = n / r->t_window;
    v[MMC_M_LQ] = r->lq;
    v[MMC_M_L] = r->l;
    v[MMC_M_WQ] = r->wq;
    v[MMC_M_W] = r->w;
    v[MMC_M_T] = p->d + r->w;
    v[MMC_M_PWAIT] = (double)r->n_waited / n;
}

static double rel_residual(double lhs, double rhs)
{
    if (lhs == rhs)
        return 0.0;
    return (lhs - rhs) / lhs;
}

/* Keep the residual of largest magnitude. */
static void worst_of(double *worst, double r)
{
    if (fabs(r) > fabs(*worst) || isnan(r))
        *worst = r;
}

/*
 * Little's law holds on each sample path (exactly when the window starts
 * empty, up to the warm-up's leftover tasks otherwise), so it is checked per
 * replication and the worst replication is reported; on means across
 * replications it would mix in Jensen's inequality. Utilization against
 * X / (c mu) is a statistical identity (it differs by the sample mean of the
 * service times), so it is checked on the means.
 */
static void check_run(struct mmc_summary *sm, const double v[MMC_M_COUNT])
{
    double x = v[MMC_M_THROUGHPUT];
    worst_of(&sm->little_l, rel_residual(v[MMC_M_L], x * v[MMC_M_W]));
    worst_of(&sm->little_lq, rel_residual(v[MMC_M_LQ], x * v[MMC_M_WQ]));
}

static void aggregate(struct mmc_summary *sm, const struct mmc_run *runs, size_t n_runs)
{
    struct mmc_welford acc[MMC_M_COUNT], mem;
    for (int k = 0; k < MMC_M_COUNT; k++)
        mmc_welford_reset(&acc[k]);
    mmc_welford_reset(&mem);
    sm->conserved = true;
    for (size_t i = 0; i < n_runs; i++) {
        const struct mmc_run *r = &runs[i];
        double v[MMC_M_COUNT];
        run_metrics(&sm->point, r, v);
        for (int k = 0; k < MMC_M_COUNT; k++)
            mmc_welford_add(&acc[k], v[k]);
        check_run(sm, v);
        mmc_welford_add(&mem, r->l * sm->point.mem_per_task);
        double peak = (double)r->max_in_system * sm->point.mem_per_task;
        sm->mem_peak = peak > sm->mem_peak ? peak : sm->mem_peak;
        sm->tasks += r->n_measured;
        sm->events += r->n_events;
        sm->arrived += r->n_arrived;
        sm->completed += r->n_completed;
        sm->in_system_end += r->n_in_system_end;
        sm->conserved &= r->n_arrived == r->n_completed + r->n_in_system_end;
        sm->work_violations += r->work_violations;
    }
    for (int k = 0; k < MMC_M_COUNT; k++)
        sm->m[k] = mmc_welford_ci(&acc[k], 0.95);
    sm->mem_mean = mmc_welford_ci(&mem, 0.95);
    sm->replications = n_runs;
    sm->simulated = true;
    double cmu = (double)sm->point.c * sm->point.mu;
    sm->util_residual = rel_residual(sm->m[MMC_M_UTIL].mean, sm->m[MMC_M_THROUGHPUT].mean / cmu);
}

/* Compare every metric with its closed form at the family-wise level. */
static void judge(struct mmc_summary *sm)
{
    struct mmc_verdict *v = &sm->verdict;
    size_t n = sm->replications;
    double widen = mmc_t_quantile(1.0 - 0.025 / MMC_M_COUNT, (double)(n - 1)) /
                   mmc_t_quantile(0.975, (double)(n - 1));
    v->kind = MMC_VERDICT_AGREES;
    v->worst_ratio = -1.0;
    for (int k = 0; k < MMC_M_COUNT; k++) {
        double a = mmc_analytic_metric(&sm->an, k), s = sm->m[k].mean;
        double diff = fabs(s - a), half = sm->m[k].half * widen;
        double ratio = diff <= MMC_VERDICT_REL_FLOOR * fabs(a) ? 0.0 : diff / half;
        if (isnan(ratio))
            ratio = diff == 0.0 ? 0.0 : INFINITY;
        if (ratio > v->worst_ratio) {
            v->worst_ratio = ratio;
            v->worst = k;
            v->worst_rel = a != 0.0 ? (s - a) / a : NAN;
        }
    }
    if (v->worst_ratio > 1.0)
        v->kind = MMC_VERDICT_DIFFERS;
}

void mmc_summary_judge(struct mmc_summary *sm)
{
    struct mmc_verdict *v = &sm->verdict;
    if (!sm->simulated)
        v->kind = MMC_VERDICT_ANALYTIC;
    else if (sm->tasks == 0)
        v->kind = MMC_VERDICT_NO_DATA;
    else if (!sm->has_analytic)
        v->kind = MMC_VERDICT_NO_CLOSED_FORM;
    else if (!sm->an.stable)
        v->kind = MMC_VERDICT_UNSTABLE;
    else if (sm->point.warmup.kind == MMC_LIMIT_NONE)
        v->kind = MMC_VERDICT_TRANSIENT;
    else if (sm->replications < 2)
        v->kind = MMC_VERDICT_NO_CI;
    else
        judge(sm);
}

void mmc_experiment_run(struct mmc_experiment *x, const struct mmc_run_options *opt)
{
    if (!opt->analytic_only)
        simulate(x, opt);
    size_t reps = x->scenario->replications;
    for (size_t i = 0; i < x->n_points; i++) {
        struct mmc_summary *sm = &x->summaries[i];
        *sm = (struct mmc_summary){.point = x->points[i]};
        sm->has_analytic = x->model->closed_form(&sm->point, &sm->an) == 0;
        if (!opt->analytic_only)
            aggregate(sm, &x->runs[i * reps], reps);
        mmc_summary_judge(sm);
    }
}
