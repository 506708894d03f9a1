/*
 * experiment.c - an experiment from start to end: the sweep's points, the
 * rounds of replications and the precision rule, then summaries, warnings,
 * verdicts and comparisons, in that order.
 *
 * The parts, each in a file of its own: runner.c runs a round of units (the
 * one part a cluster backend replaces); warmup.c chooses warm-ups and
 * replication lengths from pilot paths; summary.c (and control.c) turn run
 * records into summaries; verdict.c warns and judges; compare.c pairs points.
 *
 * Rounds. Without a precision rule there is one round of every point's
 * replications; with one, later rounds add replications to the points whose
 * interval is still too wide, sized from the current interval (half-widths
 * shrink like 1/sqrt(n)), at most doubling a point per round. Every decision
 * depends only on results, so the output is the same for any thread count.
 */
#include "experiment.h"

#include "compare.h"
#include "rng.h"
#include "runner.h"
#include "summary.h"
#include "verdict.h"
#include "warmup.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const metric_names[MMC_M_COUNT] = {
    "utilization", "throughput", "Lq",     "L",          "Wq",        "W",
    "T",           "P_wait",     "Wq_p50", "Wq_p90",     "Wq_p95",    "Wq_p99",
    "Wq_p999",     "T_p50",      "T_p90",  "T_p95",      "T_p99",     "T_p999",
    "P_Wq_gt_t",   "P_block",    "P_shed", "P_throttle", "P_abandon", "conflicts_per_request",
};

const char *mmc_metric_name(enum mmc_metric m)
{
    return metric_names[m];
}

bool mmc_analytic_is_approx(const struct mmc_analytic *an, enum mmc_metric m)
{
    bool rate = m == MMC_M_UTIL || m == MMC_M_THROUGHPUT;
    return m == MMC_M_CONFLICTS || (an->approx && (!rate || an->approx_rates));
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
    if (m == MMC_M_CONFLICTS)
        return an->has_conflicts ? an->conflicts : NAN;
    const double loss[] = {an->p_wait_gt, an->p_block, an->p_shed, an->p_throttle, an->p_abandon};
    return loss[m - MMC_M_PWAIT_GT];
}

static struct mmc_point base_point(const struct mmc_scenario *s, const gsl_rng_type *type)
{
    return (struct mmc_point){
        .model = mmc_model_find(s->model), /* known: checked by mmc_experiment_init_variants */
        .variant = s->variant,
        .protect = &s->protect,
        .process = &s->process,
        .staffing = &s->staffing,
        .dispatch = &s->dispatch,
        .pull = &s->pull,
        .steal = &s->steal,
        .dispatch_delay = s->dispatch.delay, /* 0 unless model: push says otherwise */
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
            add_breakpoint(p->t_interval, &n, pr->schedule.t[i] + mmc_point_queue_delay(p));
    for (size_t i = 0; i < sf->n; i++)
        add_breakpoint(p->t_interval, &n, sf->t[i] + mmc_point_queue_delay(p));
    if (n == 0)
        return;
    p->t_interval[0] = 0.0; /* the first interval also holds the tasks that cross the network */
    p->t_interval[n] = INFINITY;
    p->n_intervals = n;
}

/* Priority classes: each class's mean service time (its own, or the point's 1 / mu); the
 * point's mu becomes that of the mix of classes, so that its load is the workers' utilization. */
static void set_classes(struct mmc_point *p, const struct mmc_scenario *s)
{
    const struct mmc_classes *cl = &s->classes;
    double mean = 0.0, shares = 0.0;
    bool own = false;
    if (cl->n == 0)
        return;
    p->classes = cl;
    for (size_t k = 0; k < cl->n; k++) {
        const struct mmc_task_class *t = &cl->c[k];
        own |= t->has_service;
        p->class_mean[k] = t->has_service ? 1.0 / t->service_rate : 1.0 / p->mu;
        mean += t->share * p->class_mean[k];
        shares += t->share;
    }
    if (own)
        p->mu = shares / mean;
}

/* Class k's row of point p: the class's arrival rate, service and load; no control variates
 * (their expectations are the point's), no per-interval waits. */
static struct mmc_point class_point(const struct mmc_point *p, size_t k)
{
    const struct mmc_classes *cl = p->classes;
    double shares = 0.0;
    for (size_t j = 0; j < cl->n; j++)
        shares += cl->c[j].share;
    struct mmc_point q = *p;
    q.class_index = k + 1;
    q.lambda = p->lambda * cl->c[k].share / shares;
    q.mu = 1.0 / p->class_mean[k];
    if (cl->c[k].has_service)
        q.service = &cl->c[k].service_dist.shape;
    q.load = q.lambda / ((double)q.c * mmc_point_hold_rate(&q));
    q.control_variates = false;
    q.n_intervals = 0;
    return q;
}

/*
 * Model place: the latency queue is the scheduler's. Its k threads are the point's workers and
 * a decision its service (mean 0: mu infinite, load 0); the workers axis is the cluster's N and
 * the service axis the containers' lifetime. A load is of the cluster's slots: lambda = load x
 * slots / E[lifetime] (refused when sizes vary, NaN slots, or lifetimes are forever, infinite).
 */
static void set_place(struct mmc_point *p, const struct mmc_scenario *s, double arrival,
                      unsigned long n, double lifetime_rate)
{
    const struct mmc_place *pl = &s->place;
    p->place = pl;
    p->place_workers = mmc_place_workers(pl, n);
    p->place_slots = pl->varying ? NAN : mmc_place_total_slots(pl, p->place_workers);
    p->place_lifetime = pl->forever ? INFINITY : 1.0 / lifetime_rate;
    p->lifetime = &s->service_dist.shape;
    p->c = pl->threads;
    p->mu = pl->decision_mean > 0.0 ? 1.0 / pl->decision_mean : INFINITY;
    p->service = &pl->decision.shape;
    p->lambda = s->arrival_is_load ? arrival * p->place_slots / p->place_lifetime : arrival;
    p->load = pl->decision_mean > 0.0 ? p->lambda / ((double)p->c * p->mu) : 0.0;
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
                    set_classes(p, s);
                    p->c = (unsigned long)c->v[ic];
                    p->d = d->v[id];
                    p->hold = s->delay_held ? p->d : 0.0;
                    /* load: of the workers' capacity, which a held delay takes its share of */
                    double rate = mmc_point_hold_rate(p);
                    p->lambda = s->arrival_is_load ? a->v[ia] * (double)p->c * rate : a->v[ia];
                    p->load = p->lambda / ((double)p->c * rate);
                    if (strcmp(s->model, "place") == 0)
                        set_place(p, s, a->v[ia], p->c, m->v[im]);
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
        if (p->model->closed_form(p, &an) != 0 || !an.stable) {
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
    for (size_t v = 0; v < n_variants; v++)
        if (mmc_model_find(s[v].model) == NULL) {
            mmc_error_set(err, s->file, 0, 0, "model: unknown model \"%s\"", s[v].model);
            return -1;
        }
    x->model = mmc_model_find(s->model);
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
    x->class_first = mmc_xcalloc(x->n_points, sizeof *x->class_first);
    for (size_t i = 0; i < x->n_points; i++) {
        size_t n = mmc_point_classes(&x->points[i]);
        x->class_first[i] = x->n_class_rows;
        x->n_class_rows += n;
        x->max_classes = n > x->max_classes ? n : x->max_classes;
    }
    x->class_rows = mmc_xcalloc(x->n_class_rows ? x->n_class_rows : 1, sizeof *x->class_rows);
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
            struct mmc_run *run = &x->runs[i][r];
            free(run->batch);
            mmc_hist_span_fini(&run->wait_span);
            mmc_hist_span_fini(&run->sojourn_span);
            for (size_t k = 0; run->cls != NULL && k < mmc_point_classes(&x->points[i]); k++) {
                mmc_hist_span_fini(&run->cls[k].wait_span);
                mmc_hist_span_fini(&run->cls[k].sojourn_span);
            }
            free(run->cls);
        }
        free(x->runs[i]);
    }
    for (size_t i = 0; x->pooled_cls != NULL && i < x->n_points; i++)
        free(x->pooled_cls[i]);
    free(x->pooled_cls);
    free(x->class_rows);
    free(x->class_first);
    free(x->runs);
    free(x->n_runs);
    free(x->pooled);
    free(x->points);
    free(x->summaries);
    *x = (struct mmc_experiment){0};
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
        mmc_run_metrics(&x->points[i], &x->runs[i][r], v);
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
static void schedule(struct mmc_experiment *x, size_t i, size_t add, struct mmc_unit *u,
                     size_t *n_units)
{
    size_t n = x->n_runs[i];
    x->runs[i] = mmc_xrealloc(x->runs[i], n + add, sizeof *x->runs[i]);
    size_t fine = x->points[i].n_fine_batches;
    for (size_t r = n; r < n + add; r++) {
        x->runs[i][r] = (struct mmc_run){0};
        if (fine > 0)
            x->runs[i][r].batch = mmc_xcalloc(fine, sizeof *x->runs[i][r].batch);
        if (mmc_point_classes(&x->points[i]) > 0)
            x->runs[i][r].cls =
                mmc_xcalloc(mmc_point_classes(&x->points[i]), sizeof *x->runs[i][r].cls);
        u[(*n_units)++] = (struct mmc_unit){.point = i, .rep = r};
    }
    x->n_runs[i] = n + add;
}

/* Keep the runs of point i that finished, in replication order; free the others' storage. */
static void keep_finished(struct mmc_experiment *x, size_t i)
{
    size_t kept = 0;
    for (size_t r = 0; r < x->n_runs[i]; r++) {
        if (x->runs[i][r].finished)
            x->runs[i][kept++] = x->runs[i][r];
        else {
            free(x->runs[i][r].batch);
            free(x->runs[i][r].cls);
        }
    }
    x->n_runs[i] = kept;
}

static void simulate(struct mmc_experiment *x, const struct mmc_run_options *opt)
{
    const struct mmc_scenario *s = x->scenario;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    x->pooled = mmc_xcalloc(x->n_points, sizeof *x->pooled);
    if (x->n_class_rows > 0) {
        x->pooled_cls = mmc_xcalloc(x->n_points, sizeof *x->pooled_cls);
        for (size_t i = 0; i < x->n_points; i++)
            if (mmc_point_classes(&x->points[i]) > 0)
                x->pooled_cls[i] =
                    mmc_xcalloc(mmc_point_classes(&x->points[i]), sizeof *x->pooled_cls[i]);
    }
    for (size_t i = 0; i < x->n_points; i++)
        x->points[i].cancel = opt->cancel;
    x->progress = (struct mmc_progress){
        .n_points = x->n_points, .target = fmax(s->precision.target, 0.0), .widest = NAN};
    mmc_warmup_choose(x, opt, &t0);
    if (mmc_runner_cancelled(opt)) {
        x->interrupted = true;
        return;
    }
    size_t cap = x->n_points * (s->replications > s->precision.max_replications
                                    ? s->replications
                                    : s->precision.max_replications);
    struct mmc_unit *units = mmc_xmalloc(cap ? cap : 1, sizeof *units);
    size_t n_units = 0;
    for (size_t i = 0; i < x->n_points; i++)
        schedule(x, i, s->replications, units, &n_units);
    while (n_units > 0) {
        mmc_runner_round(x, units, n_units, opt, &t0);
        n_units = 0;
        if (mmc_runner_cancelled(opt)) {
            x->interrupted = true;
            for (size_t i = 0; i < x->n_points; i++)
                keep_finished(x, i);
            break;
        }
        if (s->precision.target <= 0.0)
            break;
        bool late = s->precision.max_time > 0.0 && mmc_runner_elapsed(&t0) >= s->precision.max_time;
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

const struct mmc_summary *mmc_experiment_class_rows(const struct mmc_experiment *x, size_t i,
                                                    size_t *n)
{
    *n = mmc_point_classes(&x->points[i]);
    return *n > 0 ? &x->class_rows[x->class_first[i]] : NULL;
}

/* Point i's class rows: each class's records of every replication, aggregated like a point's
 * (after the point's own summary, whose stop reason they share). */
static void summarise_classes(struct mmc_experiment *x, size_t i, bool analytic_only)
{
    const struct mmc_summary *all = &x->summaries[i];
    size_t n_cls = mmc_point_classes(&x->points[i]);
    size_t n_runs = x->n_runs != NULL ? x->n_runs[i] : 0;
    struct mmc_run *recs = n_cls > 0 ? mmc_xmalloc(n_runs ? n_runs : 1, sizeof *recs) : NULL;
    for (size_t k = 0; k < n_cls; k++) {
        struct mmc_summary *sm = &x->class_rows[x->class_first[i] + k];
        *sm = (struct mmc_summary){.point = class_point(&all->point, k),
                                   .stop_reason = all->stop_reason,
                                   .precision_reached = all->precision_reached};
        const struct mmc_model *m = all->point.model;
        sm->has_analytic = m->class_form != NULL && m->class_form(&all->point, k, &sm->an) == 0;
        if (analytic_only || !all->simulated)
            continue;
        for (size_t r = 0; r < n_runs; r++)
            recs[r] = x->runs[i][r].cls[k];
        mmc_summary_aggregate(sm, recs, n_runs, &x->pooled_cls[i][k]);
    }
    free(recs);
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
        sm->has_analytic = sm->point.model->closed_form(&sm->point, &sm->an) == 0;
        if (x->interrupted)
            sm->stop_reason = MMC_STOP_INTERRUPTED;
        if (x->interrupted && (x->n_runs == NULL || x->n_runs[i] == 0))
            continue; /* nothing finished: not simulated (verdict not-run) */
        if (!opt->analytic_only && sm->point.n_fine_batches > 0)
            mmc_summary_aggregate_batches(sm, &x->runs[i][0], x->scenario->batches, &x->pooled[i]);
        else if (!opt->analytic_only)
            mmc_summary_aggregate(sm, x->runs[i], x->n_runs[i], &x->pooled[i]);
    }
    for (size_t i = 0; i < x->n_points; i++)
        summarise_classes(x, i, opt->analytic_only);
    for (size_t i = 0; i < x->n_points; i++)
        mmc_verdict_warn(&x->summaries[i]);
    for (size_t j = 0; j < x->n_class_rows; j++)
        mmc_verdict_warn(&x->class_rows[j]);
    mmc_verdict_judge_all(x->summaries, x->n_points, x->class_rows, x->n_class_rows);
    if (!opt->analytic_only)
        mmc_compare_points(x);
}
