/*
 * summary.c - a point's replications (or batches) into one summary.
 *
 * Means and their Student t intervals over replications, each metric over
 * the replications that have it; percentile point estimates from the pooled
 * histograms and their intervals by inversion of the fraction below the
 * quantile; the per-replication invariants (Little, conservation, work);
 * the replications' autocorrelation time of T; batch means, which merge the
 * one long run's fine batches and aggregate them like replications. What the
 * figures can be trusted for (warnings, verdicts) is verdict.c's.
 */
#include "summary.h"

#include "control.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per-replication values of every compared metric. */
void mmc_run_metrics(const struct mmc_point *p, const struct mmc_run *r, double v[MMC_M_COUNT])
{
    double n = r->n_measured ? (double)r->n_measured : NAN;
    v[MMC_M_UTIL] = r->busy / (double)p->c;
    v[MMC_M_THROUGHPUT] = r->throughput;
    v[MMC_M_LQ] = r->lq;
    v[MMC_M_L] = r->l;
    v[MMC_M_WQ] = r->wq;
    v[MMC_M_W] = r->w;
    v[MMC_M_T] = mmc_point_transit(p) + r->w;
    /* P(wait) of admitted tasks: those that left the queue unserved all waited */
    double left = (double)(r->n_abandoned + (p->protect->drop == MMC_DROP_OLDEST ? r->n_shed : 0));
    v[MMC_M_PWAIT] = ((double)r->n_waited + left) / (n + left);
    for (int k = 0; k < MMC_N_PCT; k++) {
        v[MMC_M_WQ_P50 + k] = r->wq_pct[k];
        v[MMC_M_T_P50 + k] = mmc_point_transit(p) + r->w_pct[k];
    }
    v[MMC_M_PWAIT_GT] = isnan(p->wait_threshold) ? NAN : (double)r->n_wait_gt / n;
    const struct mmc_protection *pr = p->protect;
    double offered = r->n_offered ? (double)r->n_offered : NAN;
    bool rejects = pr->capacity > 0 || (p->place != NULL && p->place->on_full == MMC_PLACE_REJECT);
    v[MMC_M_P_BLOCK] = rejects ? (double)r->n_blocked / offered : NAN;
    v[MMC_M_P_SHED] = pr->shed ? (double)r->n_shed / offered : NAN;
    v[MMC_M_P_THROTTLE] =
        pr->throttle && pr->excess == MMC_EXCESS_REJECT ? (double)r->n_throttled / offered : NAN;
    v[MMC_M_P_ABANDON] = pr->patience ? (double)r->n_abandoned / offered : NAN;
    v[MMC_M_CONFLICTS] = p->place != NULL ? (double)r->n_conflicts / offered : NAN;
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

/* Model place's figures of one replication. */
static void add_place(struct mmc_summary *sm, const struct mmc_run *r)
{
    sm->conflicts += r->n_conflicts;
    sm->retries += r->n_retries;
    sm->failed += r->n_failed;
    sm->n_no_room += r->n_no_room;
    for (size_t k = 0; k < MMC_PLACE_RESOURCES; k++) {
        sm->free_sum[k] += r->free_sum[k];
        sm->demand_offered[k] += r->demand_offered[k];
        sm->demand_blocked[k] += r->demand_blocked[k];
    }
    if (!isnan(r->placed_cv)) {
        sm->placed_min += r->placed_min;
        sm->placed_max += r->placed_max;
        sm->placed_cv += r->placed_cv;
        sm->placed_n++;
    }
    if (r->t_window > 0.0) {
        for (size_t k = 0; k < MMC_PLACE_RESOURCES; k++) {
            sm->res_util[k] += r->res_util[k];
            sm->res_peak[k] = fmax(sm->res_peak[k], r->res_peak[k]);
        }
        sm->res_n++;
    }
}

/* Model place's means over the replications that have them. */
static void finish_place(struct mmc_summary *sm)
{
    double pn = sm->placed_n ? (double)sm->placed_n : NAN, rn = sm->res_n ? (double)sm->res_n : NAN;
    sm->placed_min /= pn;
    sm->placed_max /= pn;
    sm->placed_cv /= pn;
    for (size_t k = 0; k < MMC_PLACE_RESOURCES; k++) {
        sm->res_util[k] /= rn;
        sm->stranded[k] = sm->n_no_room > 0 ? sm->free_sum[k] / (double)sm->n_no_room : NAN;
        sm->blocked_demand[k] =
            sm->demand_offered[k] > 0.0 ? sm->demand_blocked[k] / sm->demand_offered[k] : NAN;
    }
}

static void add_run(struct mmc_summary *sm, const struct mmc_run *r, struct mmc_welford *acc,
                    struct mmc_welford *mem, struct mmc_welford *span)
{
    if (isfinite(r->makespan) && r->makespan > 0.0) { /* a finite workload that measured a task */
        mmc_welford_add(&span[0], r->makespan);
        mmc_welford_add(&span[1], r->work / r->makespan);
    }
    double v[MMC_M_COUNT];
    mmc_run_metrics(&sm->point, r, v);
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
    if (!isnan(r->worker_tasks_cv)) {
        sm->worker_tasks_cv += r->worker_tasks_cv;
        sm->worker_tasks_cv_n++;
    }
    sm->steals += r->n_steals;
    sm->steal_failed += r->n_steal_failed;
    sm->first_worker += r->n_first_worker;
    if (sm->point.place != NULL)
        add_place(sm, r);
    sm->arrived += r->n_arrived;
    sm->completed += r->n_completed;
    sm->in_system_end += r->n_in_system_end;
    sm->rejected += r->n_rejected;
    sm->lost += r->n_lost;
    sm->conserved &=
        r->n_arrived == r->n_completed + r->n_rejected + r->n_lost + r->n_in_system_end;
    sm->work_violations += r->work_violations;
    sm->inversions += r->n_inversions;
}

/* Percentile point estimates from all tasks of all replications. */
static void pooled_percentiles(struct mmc_summary *sm, const struct mmc_run_hist *h)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        sm->m[MMC_M_WQ_P50 + k].mean = mmc_hist_quantile(&h->wait, level[k]);
        sm->m[MMC_M_T_P50 + k].mean =
            mmc_point_transit(&sm->point) + mmc_hist_quantile(&h->sojourn, level[k]);
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
        t->half = percentile_half(runs, n_runs, true, &pooled->sojourn, level[k],
                                  t->mean - mmc_point_transit(&sm->point));
        if (isnan(wq->half) || isnan(t->half))
            sm->pct_withheld |= 1u << k;
    }
}

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
    return fmax(w, 1.0 / mmc_point_hold_rate(&sm->point));
}

static double replication_act(const struct mmc_run *runs, size_t n_runs,
                              const struct mmc_run_hist *pooled);

void mmc_summary_aggregate(struct mmc_summary *sm, const struct mmc_run *runs, size_t n_runs,
                           const struct mmc_run_hist *pooled)
{
    struct mmc_welford acc[MMC_M_COUNT], mem, span[2];
    for (int k = 0; k < MMC_M_COUNT; k++)
        mmc_welford_reset(&acc[k]);
    mmc_welford_reset(&mem);
    mmc_welford_reset(&span[0]);
    mmc_welford_reset(&span[1]);
    sm->conserved = true;
    sm->min_rep_tasks = UINT64_MAX;
    sm->window_min = INFINITY;
    sm->little_l = sm->little_lq = NAN;
    for (size_t i = 0; i < n_runs; i++)
        add_run(sm, &runs[i], acc, &mem, span);
    for (int k = 0; k < MMC_M_COUNT; k++)
        sm->m[k] = mmc_welford_ci(&acc[k], 0.95);
    /* a class's row has no makespan of its own (its record is the class's share) */
    bool finite = mmc_point_finite(&sm->point) && sm->point.class_index == 0 && span[0].n > 0;
    struct mmc_ci none = {.mean = NAN, .half = NAN, .n = 0};
    sm->makespan = finite ? mmc_welford_ci(&span[0], 0.95) : none;
    sm->speedup = finite ? mmc_welford_ci(&span[1], 0.95) : none;
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
    sm->worker_tasks_cv =
        sm->worker_tasks_cv_n ? sm->worker_tasks_cv / (double)sm->worker_tasks_cv_n : NAN;
    sm->mem_mean = mmc_welford_ci(&mem, 0.95);
    if (sm->point.place != NULL)
        finish_place(sm);
    sm->replications = n_runs;
    sm->simulated = true;
    if (sm->point.control_variates)
        mmc_control_variates(sm, runs, n_runs);
    double cmu = (double)sm->point.c * mmc_point_hold_rate(&sm->point);
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
        .makespan = NAN, /* batch means are steady-state: no makespan */
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
void mmc_summary_aggregate_batches(struct mmc_summary *sm, const struct mmc_run *run, size_t target,
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
    mmc_summary_aggregate(sm, run, 1, pooled);
    struct mmc_summary *bs = mmc_xcalloc(1, sizeof *bs);
    bs->point = sm->point;
    mmc_summary_aggregate(bs, recs, k, pooled);
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
