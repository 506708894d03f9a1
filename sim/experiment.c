/*
 * experiment.c - sweep expansion, the thread pool, aggregation, verdicts.
 *
 * Work. A round is a list of (point, replication) units. Threads take unit
 * numbers from one atomic counter; each unit writes only its own run record
 * and merges its tasks' histograms into its point's pooled histograms under
 * a mutex (integer counts: the sum does not depend on the order). Without a
 * precision rule there is one round of every point's replications; with
 * one, later rounds add replications to the points whose interval is still
 * too wide, sized from the current interval (half-widths shrink like
 * 1/sqrt(n)), at most doubling a point per round. Every decision depends
 * only on results, so the output is the same for any thread count.
 *
 * Verdicts. Each compared metric has a 95 % Student-t interval over the
 * replications. A run compares up to MMC_M_COUNT metrics on every row, and
 * that many 95 % tests would call a correct simulator "differs" on most runs
 * (and make --validate fail CI for no reason); the verdict therefore widens
 * each interval to the Bonferroni level 1 - 0.05 / K for the K comparisons
 * of the whole run, so a correct simulator sees "differs" anywhere in a run
 * at most 5 % of the time. Percentiles also get the histogram's
 * resolution (MMC_HIST_REL_ERROR of the value) as tolerance, since their
 * estimates can be off by that much whatever the run length. The printed
 * half-widths stay the plain 95 % ones.
 */
#include "experiment.h"

#include "rng.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Differences below this (relative to the closed form) are rounding, not disagreement. */
#define MMC_VERDICT_REL_FLOOR 1e-9

static const char *const metric_names[MMC_M_COUNT] = {
    "utilization", "throughput", "Lq",     "L",          "Wq",        "W",
    "T",           "P_wait",     "Wq_p50", "Wq_p90",     "Wq_p95",    "Wq_p99",
    "Wq_p999",     "T_p50",      "T_p90",  "T_p95",      "T_p99",     "T_p999",
    "P_Wq_gt_t",   "P_block",    "P_shed", "P_throttle", "P_abandon",
};

const char *mmc_metric_name(enum mmc_metric m)
{
    return metric_names[m];
}

static bool is_percentile(int m)
{
    return m >= MMC_M_WQ_P50 && m <= MMC_M_T_P999;
}

bool mmc_analytic_is_approx(const struct mmc_analytic *an, enum mmc_metric m)
{
    return an->approx && m != MMC_M_UTIL && m != MMC_M_THROUGHPUT;
}

double mmc_analytic_metric(const struct mmc_analytic *an, enum mmc_metric m)
{
    if (!an->stable)
        return NAN;
    const double v[MMC_M_PWAIT + 1] = {an->util, an->throughput, an->lq, an->l,
                                       an->wq,   an->w,          an->t,  an->p_wait};
    if (m <= MMC_M_PWAIT)
        return v[m];
    if (m <= MMC_M_WQ_P999)
        return an->wq_pct[m - MMC_M_WQ_P50];
    if (m <= MMC_M_T_P999)
        return an->t_pct[m - MMC_M_T_P50];
    const double loss[] = {an->p_wait_gt, an->p_block, an->p_shed, an->p_throttle, an->p_abandon};
    return loss[m - MMC_M_PWAIT_GT];
}

static struct mmc_point base_point(const struct mmc_scenario *s, const gsl_rng_type *type)
{
    return (struct mmc_point){
        .variant = s->variant,
        .protect = &s->protect,
        .process = &s->process,
        .staffing = &s->staffing,
        .mem_per_task = s->mem_per_task,
        .arrival = &s->arrival_dist.shape,
        .service = &s->service_dist.shape,
        .stop = s->stop,
        .warmup = s->warmup,
        .initial = s->initial,
        .wait_threshold = s->wait_threshold,
        .control_variates = s->control_variates,
        .n_fine_batches = s->method == MMC_METHOD_BATCH_MEANS ? s->batches * MMC_FINE_PER_BATCH : 0,
        .seed = s->seed,
        .rng_type = type,
    };
}

/* Add t to the sorted list v[0 .. *n - 1] unless it is there or the list is full. */
static void add_breakpoint(double *v, size_t *n, double t)
{
    size_t i = 0;
    while (i < *n && v[i] < t)
        i++;
    if ((i < *n && v[i] == t) || *n == MMC_MAX_INTERVALS)
        return;
    memmove(&v[i + 1], &v[i], (*n - i) * sizeof *v);
    v[i] = t;
    (*n)++;
}

/* A time-varying point reports its waits per interval between rate and staffing breakpoints
 * (by queue arrival: shifted by the network delay); the first MMC_MAX_INTERVALS of them. */
static void set_intervals(struct mmc_point *p)
{
    const struct mmc_process *pr = p->process;
    const struct mmc_staffing *sf = p->staffing;
    size_t n = 0;
    if (pr->kind == MMC_PROCESS_SCHEDULE)
        for (size_t i = 0; i < pr->schedule.n; i++)
            add_breakpoint(p->t_interval, &n, pr->schedule.t[i] + p->d);
    for (size_t i = 0; i < sf->n; i++)
        add_breakpoint(p->t_interval, &n, sf->t[i] + p->d);
    if (n == 0)
        return;
    p->t_interval[0] = 0.0; /* the first interval also holds the tasks that cross the network */
    p->t_interval[n] = INFINITY;
    p->n_intervals = n;
}

/* Append the product of s's axes to x->points (room for them is there), workers varying fastest. */
static void expand(struct mmc_experiment *x, const struct mmc_scenario *s, const gsl_rng_type *t)
{
    const struct mmc_axis *a = &s->arrival, *m = &s->service, *d = &s->network_delay,
                          *c = &s->workers;
    size_t i = x->n_points;
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
                    set_intervals(p);
                }
    x->n_points = i;
}

static size_t n_points_of(const struct mmc_scenario *s)
{
    return s->arrival.n * s->service.n * s->network_delay.n * s->workers.n;
}

/* A stationary start needs a stationary law at every point. */
static int check_initial(const struct mmc_experiment *x, struct mmc_error *err)
{
    if (x->scenario->initial.kind != MMC_INITIAL_STATIONARY)
        return 0;
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_point *p = &x->points[i];
        struct mmc_analytic an;
        if (p->arrival->kind != MMC_DIST_EXPONENTIAL || p->service->kind != MMC_DIST_EXPONENTIAL ||
            mmc_protection_is_on(p->protect)) {
            mmc_error_set(err, x->scenario->file, 0, 0,
                          "initial: stationary needs exponential arrival and service times and no "
                          "overload protection (the stationary law is known only for M/M/c); use "
                          "warmup: auto");
            return -1;
        }
        if (x->model->closed_form(p, &an) != 0 || !an.stable) {
            mmc_error_set(err, x->scenario->file, 0, 0,
                          "initial: stationary needs a steady state, but at workers %lu, "
                          "lambda %g, mu %g the load is rho = %g >= 1",
                          p->c, p->lambda, p->mu, p->load);
            return -1;
        }
    }
    return 0;
}

/* What batch-means needs: a task count to cut and a steady state to measure. */
static int check_batch_means(const struct mmc_scenario *s, struct mmc_error *err)
{
    if (s->method != MMC_METHOD_BATCH_MEANS)
        return 0;
    double fine = (double)(s->batches * MMC_FINE_PER_BATCH);
    if (s->stop.kind != MMC_LIMIT_TASKS || s->stop.value < MMC_TASKS_PER_FINE_BATCH * fine) {
        mmc_error_set(err, s->file, 0, 0,
                      "method: batch-means needs stop: {tasks: N} with N >= %.0f (10 tasks for "
                      "each of %lu x %d fine batches)",
                      MMC_TASKS_PER_FINE_BATCH * fine, s->batches, MMC_FINE_PER_BATCH);
        return -1;
    }
    if (mmc_protection_is_on(&s->protect)) {
        mmc_error_set(err, s->file, 0, 0,
                      "method: batch-means does not measure losses; with capacity, shed, "
                      "throttle or patience use method: replications");
        return -1;
    }
    if (s->warmup.kind == MMC_LIMIT_NONE && s->initial.kind != MMC_INITIAL_STATIONARY) {
        mmc_error_set(err, s->file, 0, 0,
                      "method: batch-means measures a steady state: it needs a warmup (or "
                      "initial: stationary)");
        return -1;
    }
    return 0;
}

int mmc_experiment_init(struct mmc_experiment *x, const struct mmc_scenario *s,
                        struct mmc_error *err)
{
    return mmc_experiment_init_variants(x, s, 1, err);
}

int mmc_experiment_init_variants(struct mmc_experiment *x, const struct mmc_scenario *s,
                                 size_t n_variants, struct mmc_error *err)
{
    assert(n_variants >= 1);
    *x = (struct mmc_experiment){.scenario = s, .variants = s, .n_variants = n_variants};
    for (size_t v = 0; v < n_variants; v++)
        if (check_batch_means(&s[v], err) != 0)
            return -1;
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
    size_t total = 0;
    for (size_t v = 0; v < n_variants; v++)
        total += n_points_of(&s[v]); /* each at most MMC_MAX_POINTS: no overflow */
    if (total > MMC_MAX_POINTS) {
        mmc_error_set(err, s->file, 0, 0,
                      "the variants' sweeps have %zu points together, at most %d", total,
                      MMC_MAX_POINTS);
        return -1;
    }
    x->points = mmc_xcalloc(total, sizeof *x->points);
    for (size_t v = 0; v < n_variants; v++)
        expand(x, &s[v], type);
    x->summaries = mmc_xcalloc(x->n_points, sizeof *x->summaries);
    x->runs = mmc_xcalloc(x->n_points, sizeof *x->runs);
    x->n_runs = mmc_xcalloc(x->n_points, sizeof *x->n_runs);
    if (check_initial(x, err) != 0) {
        mmc_experiment_fini(x);
        return -1;
    }
    return 0;
}

void mmc_experiment_fini(struct mmc_experiment *x)
{
    for (size_t i = 0; x->runs != NULL && i < x->n_points; i++) {
        for (size_t r = 0; r < x->n_runs[i]; r++) {
            free(x->runs[i][r].batch);
            mmc_hist_span_fini(&x->runs[i][r].wait_span);
            mmc_hist_span_fini(&x->runs[i][r].sojourn_span);
        }
        free(x->runs[i]);
    }
    free(x->runs);
    free(x->n_runs);
    free(x->pooled);
    free(x->points);
    free(x->summaries);
    *x = (struct mmc_experiment){0};
}

/* ---- the thread pool ---- */

/* A replication of a point, or (pilot != NULL) a pilot path recording into series. */
struct unit {
    size_t point, rep;
    const struct mmc_point *pilot;
    struct mmc_mser *series;
};

struct pool {
    struct mmc_experiment *x;
    const struct unit *units;
    const atomic_int *cancel; /* may be NULL */
    size_t total;
    atomic_size_t next, done;
    pthread_mutex_t merge;
};

/* Percentiles of one run from its own histograms. */
static void run_percentiles(struct mmc_run *r, const struct mmc_run_hist *h)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        r->wq_pct[k] = mmc_hist_quantile(&h->wait, level[k]);
        r->w_pct[k] = mmc_hist_quantile(&h->sojourn, level[k]);
    }
}

/* Has the caller asked the run to stop? */
static bool cancelled(const struct mmc_run_options *opt)
{
    return opt->cancel != NULL && atomic_load(opt->cancel) != 0;
}

static void *worker_main(void *arg)
{
    struct pool *pool = arg;
    struct mmc_run_hist *h = mmc_xmalloc(1, sizeof *h);
    for (;;) {
        size_t u = atomic_fetch_add(&pool->next, 1);
        if (u >= pool->total)
            break;
        if (pool->cancel != NULL && atomic_load(pool->cancel) != 0) {
            atomic_fetch_add(&pool->done, 1); /* not run: counted so progress ends */
            continue;
        }
        const struct unit *un = &pool->units[u];
        mmc_hist_reset(&h->wait);
        mmc_hist_reset(&h->sojourn);
        if (un->pilot != NULL) {
            struct mmc_run scratch = {0};
            pool->x->model->run(un->pilot, un->rep, &scratch, h, un->series);
            atomic_fetch_add(&pool->done, 1);
            continue;
        }
        struct mmc_run *r = &pool->x->runs[un->point][un->rep];
        pool->x->model->run(&pool->x->points[un->point], un->rep, r, h, NULL);
        if (r->cut_short) {
            atomic_fetch_add(&pool->done, 1);
            continue;
        }
        r->finished = true;
        run_percentiles(r, h);
        mmc_hist_span_init(&r->wait_span, &h->wait);
        mmc_hist_span_init(&r->sojourn_span, &h->sojourn);
        pthread_mutex_lock(&pool->merge);
        mmc_hist_merge(&pool->x->pooled[un->point].wait, &h->wait);
        mmc_hist_merge(&pool->x->pooled[un->point].sojourn, &h->sojourn);
        pthread_mutex_unlock(&pool->merge);
        atomic_fetch_add(&pool->done, 1);
    }
    free(h);
    return NULL;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Wait for the pool, reporting progress about ten times a second. */
static void watch(struct pool *pool, const struct mmc_run_options *opt, const struct timespec *t0,
                  const struct timespec *t_round)
{
    struct mmc_progress *pg = &pool->x->progress;
    size_t before = pg->runs_done;
    struct timespec tick = {0, 100000000};
    for (;;) {
        size_t done = atomic_load(&pool->done);
        pg->done = done;
        pg->runs_done = before + done;
        pg->elapsed_s = seconds_since(t0);
        pg->round_elapsed_s = seconds_since(t_round);
        opt->progress(opt->progress_ctx, pg);
        if (done >= pool->total)
            break;
        nanosleep(&tick, NULL);
    }
}

/* Run the units of one round on opt->threads threads (or here, if none starts). */
static void run_round(struct mmc_experiment *x, const struct unit *units, size_t n_units,
                      const struct mmc_run_options *opt, const struct timespec *t0)
{
    struct pool pool = {.x = x, .units = units, .cancel = opt->cancel, .total = n_units};
    struct timespec t_round;
    clock_gettime(CLOCK_MONOTONIC, &t_round);
    x->progress.round++;
    x->progress.pilots = units[0].pilot != NULL;
    x->progress.last_round = !x->progress.pilots && !(x->scenario->precision.target > 0.0);
    x->progress.total = n_units;
    atomic_init(&pool.next, 0);
    atomic_init(&pool.done, 0);
    pthread_mutex_init(&pool.merge, NULL);
    unsigned n = opt->threads ? opt->threads : 1;
    if (n > n_units)
        n = (unsigned)n_units;
    pthread_t *tid = mmc_xmalloc(n, sizeof *tid);
    unsigned started = 0;
    for (; started < n; started++)
        if (pthread_create(&tid[started], NULL, worker_main, &pool) != 0)
            break;
    if (started == 0)
        worker_main(&pool);
    if (opt->progress != NULL) /* otherwise joining is all the waiting needed */
        watch(&pool, opt, t0, &t_round);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    free(tid);
    pthread_mutex_destroy(&pool.merge);
}

/* ---- aggregation ---- */

/* Per-replication values of every compared metric. */
static void run_metrics(const struct mmc_point *p, const struct mmc_run *r, double v[MMC_M_COUNT])
{
    double n = r->n_measured ? (double)r->n_measured : NAN;
    v[MMC_M_UTIL] = r->busy / (double)p->c;
    v[MMC_M_THROUGHPUT] = r->throughput;
    v[MMC_M_LQ] = r->lq;
    v[MMC_M_L] = r->l;
    v[MMC_M_WQ] = r->wq;
    v[MMC_M_W] = r->w;
    v[MMC_M_T] = p->d + r->w;
    /* P(wait) of admitted tasks: those that left the queue unserved all waited */
    double left = (double)(r->n_abandoned + (p->protect->drop == MMC_DROP_OLDEST ? r->n_shed : 0));
    v[MMC_M_PWAIT] = ((double)r->n_waited + left) / (n + left);
    for (int k = 0; k < MMC_N_PCT; k++) {
        v[MMC_M_WQ_P50 + k] = r->wq_pct[k];
        v[MMC_M_T_P50 + k] = p->d + r->w_pct[k];
    }
    v[MMC_M_PWAIT_GT] = isnan(p->wait_threshold) ? NAN : (double)r->n_wait_gt / n;
    const struct mmc_protection *pr = p->protect;
    double offered = r->n_offered ? (double)r->n_offered : NAN;
    v[MMC_M_P_BLOCK] = pr->capacity > 0 ? (double)r->n_blocked / offered : NAN;
    v[MMC_M_P_SHED] = pr->shed ? (double)r->n_shed / offered : NAN;
    v[MMC_M_P_THROTTLE] =
        pr->throttle && pr->excess == MMC_EXCESS_REJECT ? (double)r->n_throttled / offered : NAN;
    v[MMC_M_P_ABANDON] = pr->patience ? (double)r->n_abandoned / offered : NAN;
}

/* (lhs - rhs) relative to the larger of the two, so that a side that is 0 (no task waited inside
 * the window, some after it) gives a finite residual. */
static double rel_residual(double lhs, double rhs)
{
    if (lhs == rhs)
        return 0.0;
    return (lhs - rhs) / fmax(fabs(lhs), fabs(rhs));
}

/* Keep the residual of largest magnitude (NaN until there is one: a replication without a
 * window or without a served task has none). */
static void worst_of(double *worst, double r)
{
    if (!isnan(r) && (isnan(*worst) || fabs(r) > fabs(*worst)))
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
static void check_run(struct mmc_summary *sm, const struct mmc_run *r, const double v[MMC_M_COUNT])
{
    double x = v[MMC_M_THROUGHPUT], left = r->wait_left; /* the unserved tasks' waits */
    worst_of(&sm->little_l, rel_residual(v[MMC_M_L], x * (v[MMC_M_W] + left)));
    worst_of(&sm->little_lq, rel_residual(v[MMC_M_LQ], x * (v[MMC_M_WQ] + left)));
}

static void add_run(struct mmc_summary *sm, const struct mmc_run *r, struct mmc_welford *acc,
                    struct mmc_welford *mem)
{
    double v[MMC_M_COUNT];
    run_metrics(&sm->point, r, v);
    /* a replication whose measured tasks were all turned away or lost has no per-task means,
       one without a window no time averages: each mean is over the replications that have it */
    for (int k = 0; k < MMC_M_COUNT; k++)
        if (!isnan(v[k]))
            mmc_welford_add(&acc[k], v[k]);
    check_run(sm, r, v);
    if (!isnan(r->l))
        mmc_welford_add(mem, r->l * sm->point.mem_per_task);
    double peak = (double)r->max_in_system * sm->point.mem_per_task;
    sm->mem_peak = peak > sm->mem_peak ? peak : sm->mem_peak;
    sm->tasks += r->n_measured;
    sm->min_rep_tasks = r->n_measured < sm->min_rep_tasks ? r->n_measured : sm->min_rep_tasks;
    sm->window_min = r->t_window < sm->window_min ? r->t_window : sm->window_min;
    sm->events += r->n_events;
    sm->max_queue = r->max_queue > sm->max_queue ? r->max_queue : sm->max_queue;
    sm->max_in_system = r->max_in_system > sm->max_in_system ? r->max_in_system : sm->max_in_system;
    sm->offered += r->n_offered;
    sm->blocked += r->n_blocked;
    sm->shed += r->n_shed;
    sm->throttled += r->n_throttled;
    sm->abandoned += r->n_abandoned;
    if (!isnan(r->worker_util_min)) { /* a replication without a window has none */
        sm->worker_util_min += r->worker_util_min;
        sm->worker_util_max += r->worker_util_max;
        sm->worker_util_n++;
    }
    sm->arrived += r->n_arrived;
    sm->completed += r->n_completed;
    sm->in_system_end += r->n_in_system_end;
    sm->rejected += r->n_rejected;
    sm->lost += r->n_lost;
    sm->conserved &=
        r->n_arrived == r->n_completed + r->n_rejected + r->n_lost + r->n_in_system_end;
    sm->work_violations += r->work_violations;
}

/* Percentile point estimates from all tasks of all replications. */
static void pooled_percentiles(struct mmc_summary *sm, const struct mmc_run_hist *h)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        sm->m[MMC_M_WQ_P50 + k].mean = mmc_hist_quantile(&h->wait, level[k]);
        sm->m[MMC_M_T_P50 + k].mean = sm->point.d + mmc_hist_quantile(&h->sojourn, level[k]);
    }
}

/*
 * The half-width of the interval of the pooled p-quantile q of one
 * distribution (sojourn: the time in system, else the wait), over n_runs
 * replications. Not from the spread of the replications' own quantiles:
 * far in the tail a replication's quantile is a nonlinear function of a
 * few autocorrelated values, and that spread understates the pooled
 * estimate's (by 1.2x at p99 of M/M/1 at rho 0.95: intervals covering
 * 0.88). Instead, each replication's count of values <= q is a sum of
 * indicators, and the pooled fraction F(q) their ratio estimate over
 * independent replications, so its Student t interval [p - h, p + h] is
 * honest; read back through the pooled distribution it gives the quantile's
 * interval [Q(p - h), Q(p + h)] (the inversion behind order-statistic
 * intervals; no density estimate needed). Half its length is returned; 0
 * when every replication has the same fraction below q (an atom, such as no
 * wait at all). NaN with fewer than two replications. (Where the tail is
 * too thin for any of this, the interval is withheld afterwards:
 * withhold_thin_percentiles, withhold_sparse_tails.)
 */
static double percentile_half(const struct mmc_run *runs, size_t n_runs, bool sojourn,
                              const struct mmc_hist *pooled, double p, double q)
{
    double sum_c = 0.0, sum_n = 0.0, k = 0.0;
    for (size_t r = 0; r < n_runs; r++) {
        const struct mmc_hist_span *sp = sojourn ? &runs[r].sojourn_span : &runs[r].wait_span;
        sum_c += mmc_hist_span_count_le(sp, q);
        sum_n += (double)sp->n;
        k += sp->n > 0;
    }
    if (k < 2.0 || isnan(q))
        return NAN;
    double f = sum_c / sum_n, ss = 0.0;
    for (size_t r = 0; r < n_runs; r++) {
        const struct mmc_hist_span *sp = sojourn ? &runs[r].sojourn_span : &runs[r].wait_span;
        double dev = mmc_hist_span_count_le(sp, q) - f * (double)sp->n;
        ss += dev * dev;
    }
    double se = sqrt(ss / (k * (k - 1.0))) / (sum_n / k);
    if (se == 0.0)
        return 0.0;
    double h = mmc_t_quantile(0.975, k - 1.0) * se;
    double top = 1.0 - 0.5 / (double)pooled->n; /* the largest value's rank */
    double lo = p - h > 0.0 ? mmc_hist_quantile(pooled, p - h) : 0.0;
    double hi = mmc_hist_quantile(pooled, p + h < top ? p + h : top);
    return fmax(hi - q, q - lo);
}

/* Percentile intervals by inversion (percentile_half), where the runs kept their distributions. */
static void percentile_intervals(struct mmc_summary *sm, const struct mmc_run *runs, size_t n_runs,
                                 const struct mmc_run_hist *pooled)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        struct mmc_ci *wq = &sm->m[MMC_M_WQ_P50 + k], *t = &sm->m[MMC_M_T_P50 + k];
        if (isnan(wq->half) && isnan(t->half))
            continue; /* no interval to begin with (batch means, one replication) */
        wq->half = percentile_half(runs, n_runs, false, &pooled->wait, level[k], wq->mean);
        t->half =
            percentile_half(runs, n_runs, true, &pooled->sojourn, level[k], t->mean - sm->point.d);
        if (isnan(wq->half) || isnan(t->half))
            sm->pct_withheld |= 1u << k;
    }
}

static void control_variates(struct mmc_summary *sm, const struct mmc_run *runs, size_t n);

/* Withhold the intervals of percentiles too far out for the replications' length. */
static void withhold_thin_percentiles(struct mmc_summary *sm)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        if ((double)sm->min_rep_tasks * (1.0 - level[k]) >= MMC_PCT_MIN_TAIL)
            continue;
        sm->m[MMC_M_WQ_P50 + k].half = NAN;
        sm->m[MMC_M_T_P50 + k].half = NAN;
        sm->pct_withheld |= 1u << k;
    }
}

/* Per interval of a time-varying point: the mean wait over the replications that saw tasks. */
static void aggregate_intervals(struct mmc_summary *sm, const struct mmc_run *runs, size_t n_runs)
{
    for (size_t i = 0; i < sm->point.n_intervals; i++) {
        struct mmc_welford acc;
        mmc_welford_reset(&acc);
        for (size_t r = 0; r < n_runs; r++)
            if (runs[r].interval_n[i] > 0)
                mmc_welford_add(&acc, runs[r].interval_wq[i] / (double)runs[r].interval_n[i]);
        sm->interval_wq[i] = mmc_welford_ci(&acc, 0.95);
    }
}

/*
 * The mean sojourn a steady-state window is measured against: the closed
 * form's where there is one (a biased simulation must not excuse itself by
 * its own long sojourns), else the simulated one; at least a service time.
 */
double mmc_summary_sojourn(const struct mmc_summary *sm)
{
    double w =
        sm->has_analytic && sm->an.stable && isfinite(sm->an.w) ? sm->an.w : sm->m[MMC_M_W].mean;
    return fmax(w, 1.0 / sm->point.mu);
}

static double replication_act(const struct mmc_run *runs, size_t n_runs,
                              const struct mmc_run_hist *pooled);

/* Is the point measured in steady state (after a warm-up, or from the stationary law)? */
static bool is_steady(const struct mmc_point *p)
{
    return p->warmup.kind != MMC_LIMIT_NONE || p->initial.kind == MMC_INITIAL_STATIONARY;
}

static void aggregate(struct mmc_summary *sm, const struct mmc_run *runs, size_t n_runs,
                      const struct mmc_run_hist *pooled)
{
    struct mmc_welford acc[MMC_M_COUNT], mem;
    for (int k = 0; k < MMC_M_COUNT; k++)
        mmc_welford_reset(&acc[k]);
    mmc_welford_reset(&mem);
    sm->conserved = true;
    sm->min_rep_tasks = UINT64_MAX;
    sm->window_min = INFINITY;
    sm->little_l = sm->little_lq = NAN;
    for (size_t i = 0; i < n_runs; i++)
        add_run(sm, &runs[i], acc, &mem);
    for (int k = 0; k < MMC_M_COUNT; k++)
        sm->m[k] = mmc_welford_ci(&acc[k], 0.95);
    /* a loss fraction equal in every replication (typically 0: a rare loss never seen) has
       no interval worth the name */
    for (int k = MMC_M_P_BLOCK; k <= MMC_M_P_ABANDON; k++)
        if (sm->m[k].half == 0.0)
            sm->m[k].half = NAN;
    pooled_percentiles(sm, pooled);
    percentile_intervals(sm, runs, n_runs, pooled);
    withhold_thin_percentiles(sm);
    aggregate_intervals(sm, runs, n_runs);
    sm->worker_util_min = sm->worker_util_n ? sm->worker_util_min / (double)sm->worker_util_n : NAN;
    sm->worker_util_max = sm->worker_util_n ? sm->worker_util_max / (double)sm->worker_util_n : NAN;
    sm->mem_mean = mmc_welford_ci(&mem, 0.95);
    sm->replications = n_runs;
    sm->simulated = true;
    if (sm->point.control_variates)
        control_variates(sm, runs, n_runs);
    double cmu = (double)sm->point.c * sm->point.mu;
    sm->util_residual = rel_residual(sm->m[MMC_M_UTIL].mean, sm->m[MMC_M_THROUGHPUT].mean / cmu);
    sm->act = replication_act(runs, n_runs, pooled);
}

/*
 * The autocorrelation time of the time in system, from replications of
 * n_r tasks: n Var(W_r) / Var(W) (the variance of a replication's mean
 * times its length, over the variance of one task's, read off the pooled
 * histogram). NaN with fewer than two replications that measured tasks.
 */
static double replication_act(const struct mmc_run *runs, size_t n_runs,
                              const struct mmc_run_hist *pooled)
{
    struct mmc_welford w;
    mmc_welford_reset(&w);
    double tasks = 0.0;
    for (size_t i = 0; i < n_runs; i++)
        if (runs[i].n_measured > 0) {
            mmc_welford_add(&w, runs[i].w);
            tasks += (double)runs[i].n_measured;
        }
    double var = mmc_hist_variance(&pooled->sojourn);
    if (w.n < 2 || !(var > 0.0))
        return NAN;
    return tasks / (double)w.n * (w.m2 / (double)(w.n - 1)) / var;
}

/* Tasks a replication of p discards before measuring (NaN: a stationary start, nothing to
 * discard). */
static double warmup_tasks(const struct mmc_point *p)
{
    if (p->initial.kind == MMC_INITIAL_STATIONARY)
        return NAN;
    switch (p->warmup.kind) {
    case MMC_LIMIT_TASKS:
        return p->warmup.value;
    case MMC_LIMIT_AUTO:
        return (double)p->warmup_cut;
    case MMC_LIMIT_TIME:
        return p->warmup.value * p->lambda;
    default:
        return 0.0;
    }
}

/*
 * The relative bias a replication's mean is likely to keep from its start:
 * a start that is not stationary relaxes on the scale of the autocorrelation
 * time act, so what is left after a warm-up of d tasks is about
 * D (act / n) e^(-d / act) of the mean, over n measured tasks, where D is
 * the start's distance from steady state relative to the mean: 1 from empty
 * (nothing in system, nothing waiting), 1 + N / L from a backlog of N tasks
 * (L the mean number in system). residual_start_bias: 0 for a stationary start.
 */
static double start_bias(const struct mmc_point *p, double l, double act, double n, double d)
{
    double dist = 1.0;
    if (p->initial.kind == MMC_INITIAL_IN_SYSTEM)
        dist += p->initial.in_system / fmax(l, 1.0);
    return dist * act / n * exp(-d / act);
}

/* start_bias of a simulated point (its mean L, act and warm-up); 0 for a stationary start. */
static double residual_start_bias(const struct mmc_summary *sm)
{
    double d = sm->warmup_tasks;
    if (isnan(d))
        return 0.0;
    double n = (double)sm->tasks / (double)sm->replications;
    if (sm->point.n_fine_batches > 0)
        n = (double)sm->tasks;
    return start_bias(&sm->point, sm->m[MMC_M_L].mean, sm->act, n, d);
}

/* T's relative half-width (the scale a bias must be small against). */
static double t_relative_half(const struct mmc_summary *sm)
{
    return sm->m[MMC_M_T].half / fabs(sm->m[MMC_M_T].mean);
}

/* Which of the MMC_WARN_ reasons make a simulated steady-state point too short to judge. */
static void set_warnings(struct mmc_summary *sm)
{
    sm->warnings = 0;
    sm->warmup_tasks = warmup_tasks(&sm->point);
    if (!sm->simulated || !is_steady(&sm->point) || sm->tasks == 0)
        return;
    if (!(sm->window_min >= MMC_MIN_WINDOW_SOJOURNS * mmc_summary_sojourn(sm)))
        sm->warnings |= MMC_WARN_SHORT_WINDOW;
    double act = sm->act;
    if (!(act > 0.0) || !isfinite(act))
        return;
    if (residual_start_bias(sm) > MMC_MAX_BIAS_SHARE * t_relative_half(sm))
        sm->warnings |= MMC_WARN_SHORT_WARMUP;
    double per_rep = sm->point.n_fine_batches > 0 ? (double)sm->tasks
                                                  : (double)sm->tasks / (double)sm->replications;
    if (per_rep < MMC_MIN_REP_ACTS * act || sm->act_unsettled)
        sm->warnings |= MMC_WARN_SHORT_REPLICATIONS;
}

void mmc_warnings_format(unsigned w, char *buf, size_t size)
{
    static const char *const names[] = {"short-window", "short-warmup", "short-replications"};
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof names / sizeof *names && len < size; k++)
        if (w & (1u << k))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", names[k]);
}

/* ---- control variates ---- */

/* Fewest replications for which the adjusted interval (n - 3 degrees of freedom) is used. */
#define CV_MIN_REPS 8

static double det3(const double m[3][3])
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* Solve m b = v by Cramer's rule; returns [0][0] of m's inverse (NaN if m is singular). */
static double solve3(const double m[3][3], const double v[3], double b[3])
{
    double det = det3(m), t[3][3];
    if (det == 0.0 || !isfinite(det))
        return NAN;
    for (int col = 0; col < 3; col++) {
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                t[i][j] = j == col ? v[i] : m[i][j];
        b[col] = det3((const double(*)[3])t) / det;
    }
    return (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
}

/*
 * Control variates (Law, 5th ed., section 11.5; Lavenberg and Welch 1981).
 * Each replication's figure Y is regressed on two centred controls whose
 * means are known exactly: the measured tasks' mean service time minus 1/mu
 * and their mean inter-arrival gap minus 1/lambda. The intercept - Y at
 * controls equal to their expectations - is the adjusted estimate; its
 * standard error comes from the regression, on n - 3 degrees of freedom. A
 * replication that drew short services or long gaps (a lucky run) is thus
 * corrected by how much such luck moves Y.
 */
/* Returns whether metric k was adjusted (false when the controls are missing or degenerate). */
/* Does a control vary between replications beyond rounding? (A deterministic service or
 * arrival time gives the same mean in every replication, up to the last bits: a regression on
 * those bits is noise.) */
static bool control_varies(const struct mmc_run *runs, size_t n, bool svc, double expect)
{
    struct mmc_welford w;
    mmc_welford_reset(&w);
    for (size_t r = 0; r < n; r++)
        mmc_welford_add(&w, (svc ? runs[r].svc_mean : runs[r].gap_mean) - expect);
    double var = w.n > 1 ? w.m2 / (double)(w.n - 1) : 0.0;
    return sqrt(var) > 1e-9 * fabs(expect);
}

static bool cv_adjust(struct mmc_summary *sm, const struct mmc_run *runs, size_t n, int k)
{
    double xtx[3][3] = {{0}}, xty[3] = {0}, b[3];
    double mu_inv = 1.0 / sm->point.mu, gap = 1.0 / sm->point.lambda;
    if (!control_varies(runs, n, true, mu_inv) || !control_varies(runs, n, false, gap))
        return false;
    /* T = d + W: regress W, so that a huge d cannot overflow the sums of squares */
    int y = k == MMC_M_T ? MMC_M_W : k;
    double shift = k == MMC_M_T ? sm->point.d : 0.0;
    for (size_t r = 0; r < n; r++) {
        double v[MMC_M_COUNT];
        run_metrics(&sm->point, &runs[r], v);
        double x[3] = {1.0, runs[r].svc_mean - mu_inv, runs[r].gap_mean - gap};
        for (int i = 0; i < 3; i++) {
            xty[i] += x[i] * v[y];
            for (int j = 0; j < 3; j++)
                xtx[i][j] += x[i] * x[j];
        }
    }
    double inv00 = solve3((const double(*)[3])xtx, xty, b);
    if (!isfinite(inv00))
        return false;
    double rss = 0.0;
    for (size_t r = 0; r < n; r++) {
        double v[MMC_M_COUNT];
        run_metrics(&sm->point, &runs[r], v);
        double e =
            v[y] - b[0] - b[1] * (runs[r].svc_mean - mu_inv) - b[2] * (runs[r].gap_mean - gap);
        rss += e * e;
    }
    b[0] += shift;
    /* an intercept outside what the metric can be (a negative probability, a utilization above
       1) says the regression is not to be trusted here: the plain estimate stands */
    bool fraction = k == MMC_M_UTIL || k == MMC_M_PWAIT;
    if (!(b[0] >= 0.0) || (fraction && b[0] > 1.0))
        return false;
    double var_cv = rss / (double)(n - 3) * inv00;
    double t_plain = mmc_t_quantile(0.975, (double)(n - 1));
    double var_plain = sm->m[k].half / t_plain * (sm->m[k].half / t_plain);
    sm->cv_reduction[k] = var_plain > 0.0 ? 1.0 - var_cv / var_plain : 0.0;
    sm->m[k].mean = b[0];
    sm->m[k].half = mmc_t_quantile(0.975, (double)(n - 3)) * sqrt(var_cv);
    return true;
}

static void control_variates(struct mmc_summary *sm, const struct mmc_run *runs, size_t n)
{
    /* losses break the arrival control (served tasks' gaps do not average 1 / lambda) */
    if (n < CV_MIN_REPS || sm->tasks < 2 * n || mmc_protection_is_on(sm->point.protect))
        return;
    for (int k = 0; k <= MMC_M_PWAIT; k++)
        sm->cv_applied |= cv_adjust(sm, runs, n, k);
}

/* ---- batch means ---- */

static void merge_pairs(struct mmc_batch *b, size_t *k)
{
    for (size_t j = 0; j < *k / 2; j++) {
        const struct mmc_batch *x = &b[2 * j], *y = &b[2 * j + 1];
        b[j] = (struct mmc_batch){
            .n = x->n + y->n,
            .n_waited = x->n_waited + y->n_waited,
            .n_wait_gt = x->n_wait_gt + y->n_wait_gt,
            .done = x->done + y->done,
            .sum_wq = x->sum_wq + y->sum_wq,
            .sum_w = x->sum_w + y->sum_w,
            .sum_svc = x->sum_svc + y->sum_svc,
            .area_q = x->area_q + y->area_q,
            .area_busy = x->area_busy + y->area_busy,
            .span = x->span + y->span,
        };
    }
    *k /= 2;
}

/* Lag-1 autocorrelation of the batches' mean latency. */
static double lag1(const struct mmc_batch *b, size_t k)
{
    double mean = 0.0, num = 0.0, den = 0.0;
    for (size_t j = 0; j < k; j++)
        mean += b[j].sum_w / (double)b[j].n / (double)k;
    for (size_t j = 0; j < k; j++) {
        double e = b[j].sum_w / (double)b[j].n - mean;
        den += e * e;
        if (j + 1 < k)
            num += e * (b[j + 1].sum_w / (double)b[j + 1].n - mean);
    }
    return den > 0.0 ? num / den : 0.0;
}

/* A batch as a run record, so that batches aggregate exactly like replications. */
static struct mmc_run batch_record(const struct mmc_batch *b)
{
    double n = (double)b->n;
    struct mmc_run r = {
        .n_measured = b->n,
        .n_waited = b->n_waited,
        .n_wait_gt = b->n_wait_gt,
        .t_window = b->span,
        .throughput = (double)b->done / b->span,
        .lq = b->area_q / b->span,
        .busy = b->area_busy / b->span,
        .l = (b->area_q + b->area_busy) / b->span,
        .wq = b->sum_wq / n,
        .w = b->sum_w / n,
        .svc_mean = b->sum_svc / n,
        .gap_mean = NAN, /* not recorded per batch: control variates use replications */
    };
    for (int k = 0; k < MMC_N_PCT; k++)
        r.wq_pct[k] = r.w_pct[k] = NAN; /* percentile intervals need replications */
    return r;
}

/*
 * Batch means (Law, 5th ed., section 9.5.3): the fine batches of the one
 * long run are merged in pairs down to the scenario's `batches`, then merged
 * further while their lag-1 autocorrelation is significant (r1 > 1.96 /
 * sqrt(k): batches too short to be nearly independent), keeping at least 10.
 * The batches then aggregate like replications; the run itself supplies the
 * invariants.
 */
static void aggregate_batches(struct mmc_summary *sm, const struct mmc_run *run, size_t target,
                              const struct mmc_run_hist *pooled)
{
    size_t k = sm->point.n_fine_batches;
    struct mmc_batch *b = mmc_xmalloc(k, sizeof *b);
    memcpy(b, run->batch, k * sizeof *b);
    while (k > target)
        merge_pairs(b, &k);
    double r1 = lag1(b, k);
    while (r1 > 1.96 / sqrt((double)k) && k / 2 >= 10) {
        merge_pairs(b, &k);
        r1 = lag1(b, k);
    }
    struct mmc_run *recs = mmc_xmalloc(k, sizeof *recs);
    for (size_t j = 0; j < k; j++)
        recs[j] = batch_record(&b[j]);
    /* the one long run gives the totals, invariants and warm-up; the batches the intervals */
    aggregate(sm, run, 1, pooled);
    struct mmc_summary *bs = mmc_xcalloc(1, sizeof *bs);
    bs->point = sm->point;
    aggregate(bs, recs, k, pooled);
    memcpy(sm->m, bs->m, sizeof sm->m);
    sm->mem_mean = bs->mem_mean;
    sm->util_residual = bs->util_residual;
    sm->cv_applied = bs->cv_applied;
    memcpy(sm->cv_reduction, bs->cv_reduction, sizeof sm->cv_reduction);
    sm->act = bs->act;
    free(bs);
    sm->batches = k;
    sm->batch_lag1 = r1;
    free(recs);
    free(b);
}

/* How far metric k (closed form a) may be from a and still be a's value: rounding for an
 * exact form, the histogram's resolution for a percentile, the tolerance of an approximation. */
static double tolerance(const struct mmc_summary *sm, int k, double a)
{
    if (mmc_analytic_is_approx(&sm->an, k))
        return fabs(a) * MMC_APPROX_REL_TOL;
    return fabs(a) * (is_percentile(k) ? MMC_HIST_REL_ERROR : MMC_VERDICT_REL_FLOOR);
}

/*
 * z-scores of every metric that has both a closed form and an interval. A
 * value equal to the closed form up to rounding (or the histogram's
 * resolution) has z = 0, whatever its spread. A metric that every run saw
 * at the same value (no spread: a rare event never seen, a deterministic
 * system) carries no standard error: its z is undefined (NaN), and unless
 * it equals the closed form it goes into no_spread, outside the family.
 */
static void z_scores(struct mmc_summary *sm)
{
    sm->no_spread = 0;
    for (int k = 0; k < MMC_M_COUNT; k++) {
        double a = mmc_analytic_metric(&sm->an, k), se = NAN;
        if (sm->m[k].n >= 2)
            se = sm->m[k].half / mmc_t_quantile(0.975, (double)(sm->m[k].n - 1));
        double diff = sm->m[k].mean - a;
        bool exact = !mmc_analytic_is_approx(&sm->an, k);
        if (isnan(diff)) {
            sm->z[k] = NAN; /* no closed form (or no simulated value): nothing to compare */
        } else if (diff == 0.0 || (exact && fabs(diff) <= tolerance(sm, k, a))) {
            sm->z[k] = 0.0;
        } else if (se == 0.0) {
            sm->z[k] = NAN; /* an approximation is still judged by its tolerance */
            sm->no_spread |= exact ? 1u << k : 0u;
        } else {
            sm->z[k] = diff / se;
        }
    }
}

/* Metrics of sm that have a closed form, an interval and a spread: the ones judged. */
static bool is_judged(const struct mmc_summary *sm, int k)
{
    return !isnan(mmc_analytic_metric(&sm->an, k)) && !isnan(sm->m[k].half) &&
           !(sm->no_spread & (1u << k));
}

static int comparable(const struct mmc_summary *sm)
{
    int n = 0;
    for (int k = 0; k < MMC_M_COUNT; k++)
        n += is_judged(sm, k);
    return n;
}

static void judge(struct mmc_summary *sm)
{
    struct mmc_verdict *v = &sm->verdict;
    int k_cmp = sm->family > 0 ? sm->family : comparable(sm);
    double df = (double)(sm->m[MMC_M_T].n - 1);
    double widen = mmc_t_quantile(1.0 - 0.025 / k_cmp, df) / mmc_t_quantile(0.975, df);
    *v = (struct mmc_verdict){.kind = MMC_VERDICT_AGREES, .worst_ratio = -1.0, .n_compared = k_cmp};
    double approx_worst = -1.0;
    for (int k = 0; k < MMC_M_COUNT; k++) {
        double a = mmc_analytic_metric(&sm->an, k), s = sm->m[k].mean;
        if (!is_judged(sm, k))
            continue; /* no closed form, no interval (percentiles under batch means), no spread */
        bool approx = mmc_analytic_is_approx(&sm->an, k);
        double tol = tolerance(sm, k, a);
        double diff = fabs(s - a), allowed = sm->m[k].half * widen + tol;
        double ratio = diff <= tol ? 0.0 : diff / allowed;
        if (isnan(ratio))
            ratio = INFINITY;
        if (approx) { /* a miss says as much about the approximation: kept apart */
            if (ratio > approx_worst) {
                approx_worst = ratio;
                v->approx_worst = k;
                v->approx_rel = a != 0.0 ? (s - a) / a : NAN;
            }
            continue;
        }
        if (ratio > v->worst_ratio) {
            v->worst_ratio = ratio;
            v->worst = k;
            v->worst_rel = a != 0.0 ? (s - a) / a : NAN;
            v->worst_z = sm->z[k];
        }
    }
    if (v->worst_ratio > 1.0)
        v->kind = MMC_VERDICT_DIFFERS;
    else if (approx_worst > 1.0)
        v->kind = MMC_VERDICT_APPROX_OFF;
    else if (v->worst_ratio < 0.0 && approx_worst < 0.0)
        v->kind = MMC_VERDICT_NO_COMPARISON;
}

/* The verdict kind before any comparison; MMC_VERDICT_AGREES means "to be judged". */
static enum mmc_verdict_kind pre_verdict(const struct mmc_summary *sm)
{
    if (!sm->simulated)
        return sm->stop_reason == MMC_STOP_INTERRUPTED ? MMC_VERDICT_NOT_RUN : MMC_VERDICT_ANALYTIC;
    if (sm->tasks == 0)
        return MMC_VERDICT_NO_DATA;
    if (!sm->has_analytic)
        return MMC_VERDICT_NO_CLOSED_FORM;
    if (!sm->an.stable)
        return MMC_VERDICT_UNSTABLE;
    if (!is_steady(&sm->point))
        return MMC_VERDICT_TRANSIENT;
    if (sm->warnings != 0)
        return MMC_VERDICT_TOO_SHORT;
    if (sm->m[MMC_M_T].n < 2)
        return MMC_VERDICT_NO_CI;
    return MMC_VERDICT_AGREES;
}

void mmc_summary_judge(struct mmc_summary *sm)
{
    struct mmc_verdict *v = &sm->verdict;
    z_scores(sm);
    v->kind = pre_verdict(sm);
    if (v->kind == MMC_VERDICT_AGREES)
        judge(sm);
}

bool mmc_summary_differs(const struct mmc_summary *sm)
{
    return sm->verdict.kind == MMC_VERDICT_DIFFERS;
}

/* ---- rounds and the precision rule ---- */

static int precision_metric(const char *name)
{
    for (int k = 0; k < MMC_M_COUNT; k++)
        if (strcmp(metric_names[k], name) == 0)
            return k;
    return MMC_M_T;
}

/* Relative half-width of point i's precision metric at the rule's confidence. */
static double relative_half(const struct mmc_experiment *x, size_t i)
{
    const struct mmc_precision *pr = &x->scenario->precision;
    int m = precision_metric(pr->metric);
    struct mmc_welford w;
    mmc_welford_reset(&w);
    for (size_t r = 0; r < x->n_runs[i]; r++) {
        double v[MMC_M_COUNT];
        run_metrics(&x->points[i], &x->runs[i][r], v);
        mmc_welford_add(&w, v[m]);
    }
    struct mmc_ci ci = mmc_welford_ci(&w, pr->confidence);
    if (ci.half == 0.0)
        return 0.0;
    return ci.half / fabs(ci.mean);
}

/* Replications point i should run next round: 0 when it is done (reason set). */
static size_t wanted(struct mmc_experiment *x, size_t i, double rel)
{
    const struct mmc_precision *pr = &x->scenario->precision;
    size_t n = x->n_runs[i];
    x->summaries[i].precision_reached = rel;
    if (rel <= pr->target) {
        x->summaries[i].stop_reason = MMC_STOP_PRECISION;
        return 0;
    }
    if (n >= pr->max_replications) {
        x->summaries[i].stop_reason = MMC_STOP_MAX_REPS;
        return 0;
    }
    /* half-widths shrink like 1/sqrt(n): aim for the target, at most doubling */
    double need = isfinite(rel) ? (double)n * (rel / pr->target) * (rel / pr->target) : 2.0 * n;
    size_t add = need > 2.0 * (double)n ? n : (size_t)ceil(need) - n;
    add = add < 2 ? 2 : add;
    if (n + add > pr->max_replications)
        add = pr->max_replications - n;
    return add;
}

/* Grow point i to n + add replications and list the new units. */
static void schedule(struct mmc_experiment *x, size_t i, size_t add, struct unit *u,
                     size_t *n_units)
{
    size_t n = x->n_runs[i];
    x->runs[i] = mmc_xrealloc(x->runs[i], n + add, sizeof *x->runs[i]);
    size_t fine = x->points[i].n_fine_batches;
    for (size_t r = n; r < n + add; r++) {
        x->runs[i][r] = (struct mmc_run){0};
        if (fine > 0)
            x->runs[i][r].batch = mmc_xcalloc(fine, sizeof *x->runs[i][r].batch);
        u[(*n_units)++] = (struct unit){.point = i, .rep = r};
    }
    x->n_runs[i] = n + add;
}

/* Mixed into the seed of the pilot paths, so their streams are independent of the measured ones. */
#define PILOT_SALT 0x9e3779b97f4a7c15ULL

/*
 * warmup: auto, once per point before its replications (Welch's procedure
 * with MSER-5 as the rule). MMC_PILOTS pilot paths from the point's initial
 * state, on streams independent of the measured ones and with nothing
 * discarded, record their sojourn series; MSER picks the cut on their
 * average, and every replication of the point discards exactly that many
 * tasks (time averages and distributions included).
 *
 * Why a pilot and not the measured path: on a strongly autocorrelated queue
 * MSER likes to cut just after a large early excursion, and applied to the
 * data it was chosen on, that selection biases the estimate low (about
 * -1.4 % on Lq for M/M/1 at rho 0.9, 10 x 100000 tasks). Chosen on
 * independent paths with the same transient, the cut is uncorrelated with
 * the data it removes. Why the average: it damps the excursions that make
 * MSER on one path cut too little or far too much.
 *
 * Cost: a pilot path is a fifth of a replication's run length, so the
 * pilots together cost about one replication. MSER searches only the first
 * half of a series; if the cut lands past a quarter of the pilot, the
 * transient may be longer than the pilot can show, so the pilots are run
 * again twice as long (at most to the full run length).
 */
/* MSER's cut, raised to MMC_WARMUP_ACTS autocorrelation times (act, tasks; NaN: MSER's alone). */
static uint64_t warmup_floor(uint64_t mser, double act)
{
    double floor_tasks = ceil(MMC_WARMUP_ACTS * act);
    if (!(floor_tasks > (double)mser))
        return mser;
    return floor_tasks < 1e18 ? (uint64_t)floor_tasks : UINT64_MAX / 2;
}

/*
 * Does the precision rule own point p's run length (a target, replications
 * to lengthen, and a steady state for them to approach)? Without a steady
 * state (a closed form that says unstable) the autocorrelation time grows
 * with whatever length it is measured on, and lengthening would only
 * multiply the cost of a point reported as unstable.
 */
static bool length_grows(const struct mmc_experiment *x, const struct mmc_point *p)
{
    if (!(x->scenario->precision.target > 0.0) || p->n_fine_batches > 0)
        return false;
    struct mmc_analytic an;
    return x->model->closed_form(p, &an) != 0 || an.stable;
}

/*
 * The precision rule's replication length for point p, from its pilots
 * (act, cut: their autocorrelation time and the warm-up, tasks; rate: tasks
 * per unit of stop.value): at least MMC_REP_ACTS autocorrelation times, and
 * long enough that the start bias left after the warm-up (as the
 * short-warmup warning models it) is under MMC_MAX_BIAS_SHARE of the target
 * half-width; never shorter than the scenario asks, never more than
 * MMC_MAX_LENGTH_GROWTH times longer.
 */
static void lengthen(const struct mmc_experiment *x, struct mmc_point *p, double rate)
{
    double act = p->pilot_act, asked = p->stop.value;
    if (!(act > 0.0) || !isfinite(act) || !(rate > 0.0))
        return;
    /* the start bias over one task, with the offered load standing in for L (not yet measured) */
    double bias_tasks = start_bias(p, p->lambda / p->mu, act, 1.0, (double)p->warmup_cut) /
                        (MMC_MAX_BIAS_SHARE * x->scenario->precision.target);
    double need = fmax(MMC_REP_ACTS * act, bias_tasks) / rate;
    need = fmin(need, MMC_MAX_LENGTH_GROWTH * asked);
    if (p->stop.kind == MMC_LIMIT_TASKS)
        need = ceil(need);
    if (!(need > asked))
        return;
    p->stop.value = need;
    p->stop_asked = asked;
}

static void choose_warmups(struct mmc_experiment *x, const struct mmc_run_options *opt,
                           const struct timespec *t0)
{
    size_t n = x->n_points;
    struct mmc_point *pilot = mmc_xcalloc(n, sizeof *pilot);
    struct mmc_mser *series = mmc_xmalloc(n * MMC_PILOTS, sizeof *series);
    struct unit *units = mmc_xmalloc(n * MMC_PILOTS, sizeof *units);
    bool *open = mmc_xcalloc(n, sizeof *open);
    bool *grows = mmc_xcalloc(n, sizeof *grows);
    for (size_t i = 0; i < n; i++) {
        if (x->points[i].warmup.kind != MMC_LIMIT_AUTO)
            continue;
        open[i] = true;
        grows[i] = length_grows(x, &x->points[i]);
        pilot[i] = x->points[i];
        pilot[i].warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0.0};
        pilot[i].n_fine_batches = 0;
        pilot[i].seed ^= PILOT_SALT;
        double len = pilot[i].stop.value / MMC_PILOTS;
        pilot[i].stop.value = pilot[i].stop.kind == MMC_LIMIT_TASKS ? ceil(len) : len;
    }
    struct mmc_mser avg;
    mmc_mser_init(&avg);
    for (;;) {
        size_t n_units = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; open[i] && k < MMC_PILOTS; k++) {
                mmc_mser_init(&series[i * MMC_PILOTS + k]);
                units[n_units++] = (struct unit){i, k, &pilot[i], &series[i * MMC_PILOTS + k]};
            }
        if (n_units == 0)
            break;
        run_round(x, units, n_units, opt, t0);
        if (cancelled(opt)) { /* the pilots are partial: choose nothing */
            for (size_t k = 0; k < n_units; k++)
                mmc_mser_fini(units[k].series);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (!open[i])
                continue;
            mmc_mser_average(&avg, &series[i * MMC_PILOTS], MMC_PILOTS);
            uint64_t mser = mmc_mser_cut(&avg), seen = mmc_mser_observations(&avg);
            double act = mmc_mser_act(&series[i * MMC_PILOTS], MMC_PILOTS, mser);
            for (size_t k = 0; k < MMC_PILOTS; k++)
                mmc_mser_fini(&series[i * MMC_PILOTS + k]);
            uint64_t cut = warmup_floor(mser, act);
            struct mmc_point *p = &x->points[i];
            /* with a precision target, the pilots may outgrow the scenario's length as the
               replications may (lengthen) */
            double full = p->stop.value * (grows[i] ? MMC_MAX_LENGTH_GROWTH : 1.0);
            bool settled = cut <= seen / 4 && act * MMC_PILOT_ACTS <= (double)seen;
            if (!settled && pilot[i].stop.value < full) {
                double len = 2.0 * pilot[i].stop.value;
                pilot[i].stop.value = len < full ? len : full;
                continue;
            }
            p->warmup_cut = cut;
            p->mser_cut = mser;
            p->pilot_act = act;
            p->pilot_tasks = seen;
            p->pilot_short = !settled;
            if (grows[i])
                lengthen(x, p, (double)seen / pilot[i].stop.value);
            open[i] = false;
        }
    }
    mmc_mser_fini(&avg);
    free(grows);
    free(open);
    free(units);
    free(series);
    free(pilot);
}

/* Keep the runs of point i that finished, in replication order; free the others' storage. */
static void keep_finished(struct mmc_experiment *x, size_t i)
{
    size_t kept = 0;
    for (size_t r = 0; r < x->n_runs[i]; r++) {
        if (x->runs[i][r].finished)
            x->runs[i][kept++] = x->runs[i][r];
        else
            free(x->runs[i][r].batch);
    }
    x->n_runs[i] = kept;
}

static void simulate(struct mmc_experiment *x, const struct mmc_run_options *opt)
{
    const struct mmc_scenario *s = x->scenario;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    x->pooled = mmc_xcalloc(x->n_points, sizeof *x->pooled);
    for (size_t i = 0; i < x->n_points; i++)
        x->points[i].cancel = opt->cancel;
    x->progress = (struct mmc_progress){
        .n_points = x->n_points, .target = fmax(s->precision.target, 0.0), .widest = NAN};
    choose_warmups(x, opt, &t0);
    if (cancelled(opt)) {
        x->interrupted = true;
        return;
    }
    size_t cap = x->n_points * (s->replications > s->precision.max_replications
                                    ? s->replications
                                    : s->precision.max_replications);
    struct unit *units = mmc_xmalloc(cap ? cap : 1, sizeof *units);
    size_t n_units = 0;
    for (size_t i = 0; i < x->n_points; i++)
        schedule(x, i, s->replications, units, &n_units);
    while (n_units > 0) {
        run_round(x, units, n_units, opt, &t0);
        n_units = 0;
        if (cancelled(opt)) {
            x->interrupted = true;
            for (size_t i = 0; i < x->n_points; i++)
                keep_finished(x, i);
            break;
        }
        if (s->precision.target <= 0.0)
            break;
        bool late = s->precision.max_time > 0.0 && seconds_since(&t0) >= s->precision.max_time;
        x->progress.points_done = 0;
        x->progress.widest = 0.0;
        for (size_t i = 0; i < x->n_points; i++) {
            double rel = relative_half(x, i);
            size_t add = wanted(x, i, rel);
            if (add > 0 && late)
                x->summaries[i].stop_reason = MMC_STOP_MAX_TIME;
            else if (add > 0)
                schedule(x, i, add, units, &n_units);
            if (add > 0 && !late)
                x->progress.widest = fmax(x->progress.widest, rel);
            else
                x->progress.points_done++;
        }
    }
    free(units);
}

/* ---- paired comparisons ---- */

/* Welch half-width at 95 % for the difference of two independent means. */
static double unpaired_half(const struct mmc_welford *a, const struct mmc_welford *b)
{
    double va = mmc_welford_var(a) / (double)a->n, vb = mmc_welford_var(b) / (double)b->n;
    double se2 = va + vb;
    double df = se2 * se2 / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    if (!(se2 > 0.0))
        return 0.0;
    return mmc_t_quantile(0.975, df) * sqrt(se2);
}

/*
 * Point i minus point j, replication by replication. Replication r of every
 * point draws from the same streams, so the two runs share their luck and
 * most of it cancels in the difference: the paired interval is the honest
 * one, the unpaired (Welch) half-width shows what the sharing bought.
 */
static void paired_diff(struct mmc_experiment *x, size_t i, size_t j)
{
    const enum mmc_metric m[MMC_N_CMP] = MMC_CMP_METRICS;
    struct mmc_diff *df = &x->summaries[i].diff;
    size_t n = x->n_runs[i] < x->n_runs[j] ? x->n_runs[i] : x->n_runs[j];
    struct mmc_welford d[MMC_N_CMP], a[MMC_N_CMP], b[MMC_N_CMP];
    for (int k = 0; k < MMC_N_CMP; k++) {
        mmc_welford_reset(&d[k]);
        mmc_welford_reset(&a[k]);
        mmc_welford_reset(&b[k]);
    }
    for (size_t r = 0; r < n; r++) {
        double vi[MMC_M_COUNT], vj[MMC_M_COUNT];
        run_metrics(&x->points[i], &x->runs[i][r], vi);
        run_metrics(&x->points[j], &x->runs[j][r], vj);
        for (int k = 0; k < MMC_N_CMP; k++) {
            mmc_welford_add(&d[k], vi[m[k]] - vj[m[k]]);
            mmc_welford_add(&a[k], vi[m[k]]);
            mmc_welford_add(&b[k], vj[m[k]]);
        }
    }
    df->present = true;
    df->ref = j;
    for (int k = 0; k < MMC_N_CMP; k++) {
        df->d[k] = mmc_welford_ci(&d[k], 0.95);
        df->unpaired_half[k] = n >= 2 ? unpaired_half(&a[k], &b[k]) : NAN;
    }
}

static void compare(struct mmc_experiment *x)
{
    enum mmc_compare_kind kind = x->scenario->compare;
    if (kind == MMC_COMPARE_NONE)
        return;
    for (size_t i = 1; i < x->n_points; i++)
        paired_diff(x, i, kind == MMC_COMPARE_ADJACENT ? i - 1 : 0);
}

/* Withhold the intervals of percentiles whose tail holds too few autocorrelation times of T
 * (MMC_PCT_MIN_TAIL_ACTS); needs sm->act, so runs after the warnings chose it. */
static void withhold_sparse_tails(struct mmc_summary *sm)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    if (!sm->simulated || !is_steady(&sm->point) || !(sm->act > 0.0) || !isfinite(sm->act))
        return;
    for (int k = 0; k < MMC_N_PCT; k++) {
        if (isnan(sm->m[MMC_M_T_P50 + k].half) && isnan(sm->m[MMC_M_WQ_P50 + k].half))
            continue;
        if ((double)sm->tasks * (1.0 - level[k]) >= MMC_PCT_MIN_TAIL_ACTS * sm->act)
            continue;
        sm->m[MMC_M_WQ_P50 + k].half = NAN;
        sm->m[MMC_M_T_P50 + k].half = NAN;
        sm->pct_withheld |= 1u << k;
    }
}

/*
 * The autocorrelation time the warnings use: the pilots' when warmup: auto
 * ran them, else the replications' own (or the batches'). The pilots run on
 * streams of their own, so a warning decided on them is independent of the
 * figures it qualifies; one decided on the replications' spread is not (a
 * replication with a long excursion has both a high mean and a high
 * autocorrelation estimate), and the points it leaves unwarned lean low.
 */
static void choose_act_and_warn(struct mmc_summary *sm)
{
    if (sm->point.warmup.kind == MMC_LIMIT_AUTO && sm->point.pilot_act > 0.0) {
        sm->act = sm->point.pilot_act;
        sm->act_unsettled = sm->point.pilot_short;
    }
    set_warnings(sm);
    withhold_sparse_tails(sm);
}

void mmc_experiment_run(struct mmc_experiment *x, const struct mmc_run_options *opt)
{
    if (!opt->analytic_only)
        simulate(x, opt);
    for (size_t i = 0; i < x->n_points; i++) {
        struct mmc_summary *sm = &x->summaries[i];
        enum mmc_stop_reason reason = sm->stop_reason;
        double reached = sm->precision_reached;
        *sm = (struct mmc_summary){
            .point = x->points[i], .stop_reason = reason, .precision_reached = reached};
        sm->has_analytic = x->model->closed_form(&sm->point, &sm->an) == 0;
        if (x->interrupted)
            sm->stop_reason = MMC_STOP_INTERRUPTED;
        if (x->interrupted && (x->n_runs == NULL || x->n_runs[i] == 0))
            continue; /* nothing finished: not simulated (verdict not-run) */
        if (!opt->analytic_only && sm->point.n_fine_batches > 0)
            aggregate_batches(sm, &x->runs[i][0], x->scenario->batches, &x->pooled[i]);
        else if (!opt->analytic_only)
            aggregate(sm, x->runs[i], x->n_runs[i], &x->pooled[i]);
    }
    for (size_t i = 0; i < x->n_points; i++)
        choose_act_and_warn(&x->summaries[i]);
    /* one family for the whole run: every comparison of every judged row */
    int family = 0;
    for (size_t i = 0; i < x->n_points; i++) {
        z_scores(&x->summaries[i]);
        if (pre_verdict(&x->summaries[i]) == MMC_VERDICT_AGREES)
            family += comparable(&x->summaries[i]);
    }
    for (size_t i = 0; i < x->n_points; i++) {
        x->summaries[i].family = family;
        mmc_summary_judge(&x->summaries[i]);
    }
    if (!opt->analytic_only)
        compare(x);
}
