/*
 * kernel.c - the cold half of kernel.h: set-up, the arrival processes beyond
 * renewal, the window's opening and closing, batch snapshots, protection's
 * counting, and the run's end.
 */
#include "kernel.h"

#include "classes.h"
#include "rng.h"

#include <stdlib.h>

void mmc_kernel_init(struct mmc_kernel *k, const struct mmc_point *p, uint64_t rep,
                     struct mmc_run *out, struct mmc_run_hist *hist, struct mmc_mser *series,
                     size_t n_heap)
{
    *k = (struct mmc_kernel){.p = p,
                             .out = out,
                             .hist = hist,
                             .series = series,
                             .t_measure_from = INFINITY,
                             .s_prev = -INFINITY};
    struct mmc_batch *batch = out->batch;
    struct mmc_run *cls = out->cls;
    *out = (struct mmc_run){.batch = batch, .cls = cls};
    k->n_task_cut = UINT64_MAX;
    if (batch != NULL && p->n_fine_batches > 0) {
        k->tsnap = mmc_xcalloc(p->n_fine_batches + 1, sizeof *k->tsnap);
        k->asnap = mmc_xcalloc(p->n_fine_batches + 1, sizeof *k->asnap);
    }
    mmc_heap_init(&k->heap, n_heap);
    if (p->process->kind == MMC_PROCESS_TRACE && p->process->trace_service)
        k->trace_svc = p->process->trace.svc;
    k->wbusy = mmc_xcalloc(p->c, sizeof *k->wbusy);
    k->wclose = mmc_xcalloc(p->c, sizeof *k->wclose);
    k->wtasks = mmc_xcalloc(p->c, sizeof *k->wtasks);
    k->r_arrive = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_ARRIVAL);
    k->r_service = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_SERVICE);
    k->mean_gap = 1.0 / p->lambda;
    k->mean_service = 1.0 / p->mu;
    k->hold = p->hold;
    k->wait_threshold = p->wait_threshold;
    k->intervals = p->n_intervals > 0;
    k->k_stop = UINT64_MAX;
    k->k_special = UINT64_MAX;
    k->s_stop = INFINITY;
    /* protection: limits at UINT64_MAX, no bucket and no patience stream unless asked for */
    const struct mmc_protection *pr = p->protect;
    k->capacity = pr->capacity > 0 ? (uint64_t)pr->capacity : UINT64_MAX;
    k->shed_threshold = pr->shed ? (uint64_t)pr->shed_threshold : UINT64_MAX;
    if (pr->throttle)
        mmc_bucket_init(&k->bucket, pr->throttle_rate, pr->throttle_burst, 0.0);
    if (pr->patience) {
        k->r_patience = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_PATIENCE);
        k->mean_patience = 1.0 / pr->patience_rate;
    }
    k->guard = mmc_protection_is_on(pr) || p->staffing->n > 0 || k->trace_svc != NULL;
    if (k->guard)
        mmc_fifo_init(&k->held, k->trace_svc != NULL);
}

void mmc_kernel_first_submission(struct mmc_kernel *k)
{
    const struct mmc_point *p = k->p;
    const struct mmc_process *pr = p->process;
    k->custom = pr->kind != MMC_PROCESS_RENEWAL || pr->batched;
    if (!k->custom) {
        k->s_next = 0.0 + mmc_dist_draw(p->arrival, k->mean_gap, k->r_arrive);
    } else {
        if (pr->kind == MMC_PROCESS_MMPP) {
            k->mmpp_scale = p->lambda / mmc_mmpp_mean_rate(&pr->mmpp);
            mmc_mmpp_start(&pr->mmpp, &k->mmpp, 0.0, k->r_arrive);
        }
        if (pr->kind == MMC_PROCESS_TRACE) {
            k->trace_i = 1;
            k->s_next = pr->trace.t[0] / pr->trace_scale;
        } else {
            k->s_next = mmc_kernel_next_submission(k, 0.0);
        }
    }
    /* time 0 at the queue (see "Clock"); a stationary start is stationary at any time, so it
       starts where the first submission can come, however large d is */
    k->now = p->initial.kind == MMC_INITIAL_STATIONARY ? 0.0 : -mmc_point_queue_delay(p);
}

void mmc_kernel_fini(struct mmc_kernel *k)
{
    free(k->wbusy);
    free(k->wclose);
    free(k->wtasks);
    free(k->tsnap);
    free(k->asnap);
    mmc_heap_fini(&k->heap);
    gsl_rng_free(k->r_arrive);
    gsl_rng_free(k->r_service);
    if (k->r_patience != NULL)
        gsl_rng_free(k->r_patience);
    mmc_fifo_fini(&k->held);
}

/* ---- the arrival side ---- */

bool mmc_kernel_is_first_measured(const struct mmc_kernel *k, uint64_t n, double s)
{
    const struct mmc_limit *w = &k->p->warmup;
    switch (w->kind) {
    case MMC_LIMIT_TASKS:
        return (double)n >= w->value;
    case MMC_LIMIT_AUTO:
        return n >= k->p->warmup_cut;
    case MMC_LIMIT_TIME:
        return s >= w->value;
    default:
        return true;
    }
}

/* Fix the stop rule relative to the first measured task (number n, submitted at s). */
void mmc_kernel_start_measuring(struct mmc_kernel *k, uint64_t n, double s)
{
    const struct mmc_limit *stop = &k->p->stop;
    k->measuring = true;
    /* a dispatcher's tasks reach their worker's queue dispatch_delay later, in order */
    k->t_measure_from = s + k->p->dispatch_delay;
    k->t_qa_first = k->t_measure_from;
    if (stop->kind == MMC_LIMIT_TIME) {
        k->s_stop = s + stop->value;
        k->k_stop = UINT64_MAX;
    } else {
        k->s_stop = INFINITY;
        k->k_stop = n + (uint64_t)stop->value;
    }
    k->k_special = k->k_stop;
    if (k->tsnap != NULL) {
        /* batch-means needs a task count (checked by experiment.c) */
        k->batch_m = (uint64_t)stop->value / k->p->n_fine_batches;
        k->k_boundary = n + k->batch_m;
        k->n_task_cut = k->batch_m;
        k->k_special = k->k_boundary < k->k_stop ? k->k_boundary : k->k_stop;
    }
}

/* Snapshot the arrival-side totals: batch j's time opens now. */
void mmc_kernel_snap_arrival(struct mmc_kernel *k, size_t j)
{
    struct mmc_batch *a = &k->asnap[j];
    a->area_q = k->area_q;
    a->area_busy = k->area_busy;
    a->span = k->now;
    a->done = k->done_open;
}

/* The task being generated opens a batch: mark its arrival and aim at the next boundary. */
uint32_t mmc_kernel_next_boundary(struct mmc_kernel *k)
{
    if (++k->batch_j + 1 < k->p->n_fine_batches)
        k->k_boundary += k->batch_m;
    else
        k->k_boundary = UINT64_MAX;
    k->k_special = k->k_boundary < k->k_stop ? k->k_boundary : k->k_stop;
    return MMC_EV_ARRIVE_BATCH;
}

/*
 * The submission after one at s, for any process but a plain renewal: the
 * rest of a batch comes at once; a new epoch comes from the process (a
 * renewal gap of mean E[B] / lambda, an MMPP scaled to lambda / E[B], a
 * schedule thinned at 1 / E[B] of its task rate, the next trace line).
 * INFINITY: a trace is over (generate then ends the workload).
 */
double mmc_kernel_next_submission(struct mmc_kernel *k, double s)
{
    const struct mmc_process *pr = k->p->process;
    if (k->batch_left > 0) {
        k->batch_left--;
        return s;
    }
    double b = pr->batched ? mmc_batch_size_mean(&pr->batch) : 1.0, t;
    switch (pr->kind) {
    case MMC_PROCESS_MMPP:
        t = mmc_mmpp_next(&pr->mmpp, &k->mmpp, s, k->mmpp_scale / b, k->r_arrive);
        break;
    case MMC_PROCESS_SCHEDULE:
        t = mmc_schedule_next(&pr->schedule, s, 1.0 / b, k->r_arrive);
        break;
    case MMC_PROCESS_TRACE:
        t = k->trace_i < pr->trace.n ? pr->trace.t[k->trace_i++] / pr->trace_scale : INFINITY;
        break;
    default:
        t = s + mmc_dist_draw(k->p->arrival, k->mean_gap * b, k->r_arrive);
        break;
    }
    if (pr->batched)
        k->batch_left = mmc_batch_size_draw(&pr->batch, k->r_arrive) - 1;
    return t;
}

/* ---- the window ---- */

/*
 * Per-worker busy time is measured over the same window as the busy-count
 * integral, so that the workers' utilizations average to the utilization
 * exactly: wbusy[w] collects every service started since the window opened
 * (whoever's task it is), plus, at the opening, what was left of the
 * services in progress then; at a steady run's closing (the last arrival)
 * the part of the services in progress that lies beyond it is taken off.
 * Both scans read the departures in the heap: O(c) once per run, nothing
 * per event.
 */
/* A departure on the calendar that will happen (not an interrupted service's). */
static bool live_departure(const struct mmc_kernel *k, const struct mmc_event *ev)
{
    return ev->kind == MMC_EV_DEPART && (k->wseq == NULL || k->wseq[ev->arg] == ev->seq);
}

static void open_workers(struct mmc_kernel *k)
{
    k->seq_open = k->heap.next_seq;
    for (size_t w = 0; w < k->p->c; w++)
        k->wbusy[w] = 0.0;
    for (size_t i = 0; i < k->heap.n; i++)
        if (live_departure(k, &k->heap.ev[i]))
            k->wbusy[k->heap.ev[i].arg] += k->heap.ev[i].t - k->now;
}

/* Coefficient of variation (population) of the counts n[0..c-1]; NaN when all are 0. */
static double tasks_cv(const uint64_t *n, size_t c)
{
    double sum = 0.0, sum2 = 0.0;
    for (size_t w = 0; w < c; w++)
        sum += (double)n[w];
    if (sum == 0.0)
        return NAN;
    double mean = sum / (double)c;
    for (size_t w = 0; w < c; w++)
        sum2 += ((double)n[w] - mean) * ((double)n[w] - mean);
    return sqrt(sum2 / (double)c) / mean;
}

void mmc_kernel_close_workers(struct mmc_kernel *k)
{
    for (size_t w = 0; w < k->p->c; w++)
        k->wclose[w] = k->wbusy[w];
    for (size_t i = 0; i < k->heap.n; i++) {
        const struct mmc_event *ev = &k->heap.ev[i];
        if (!live_departure(k, ev))
            continue;
        if (ev->seq < k->seq_open) /* in service all window long: exactly its length */
            k->wclose[ev->arg] = k->now - k->t_window_start;
        else
            k->wclose[ev->arg] -= ev->t - k->now;
    }
    if (k->cls != NULL)
        mmc_cls_close(k->cls, k->now);
}

void mmc_kernel_open_window(struct mmc_kernel *k, uint64_t waiting, uint64_t busy)
{
    k->open = true;
    k->done_open = 0;
    k->area_q = 0.0;
    k->area_busy = 0.0;
    k->t_window_start = k->now;
    if (k->asnap != NULL)
        mmc_kernel_snap_arrival(k, 0); /* batch 0 opens here; tsnap[0] is all zeros */
    k->out->max_in_system = waiting + busy;
    k->out->max_queue = waiting;
    open_workers(k);
    if (k->cls != NULL)
        mmc_cls_open(k->cls, k->now);
}

/* Snapshot the per-task totals: the task about to be counted opens a batch. */
void mmc_kernel_snap_tasks(struct mmc_kernel *k)
{
    struct mmc_batch *t = &k->tsnap[++k->task_j];
    t->n = k->out->n_measured;
    t->n_waited = k->out->n_waited;
    t->n_wait_gt = k->out->n_wait_gt;
    t->sum_wq = k->sum_wq;
    t->sum_w = k->sum_w;
    t->sum_svc = k->sum_svc;
    k->n_task_cut = k->task_j + 1 < k->p->n_fine_batches ? k->n_task_cut + k->batch_m : UINT64_MAX;
}

/* A time-varying run: the wait of a task that arrived at t_qa, by interval. */
void mmc_kernel_add_to_interval(struct mmc_kernel *k, double t_qa, double wait)
{
    const struct mmc_point *p = k->p;
    size_t lo = 0, hi = p->n_intervals - 1; /* the last interval whose start is <= t_qa */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (p->t_interval[mid] - mmc_point_queue_delay(p) <=
            t_qa) /* breakpoints are in the queue's clock */
            lo = mid;
        else
            hi = mid - 1;
    }
    k->out->interval_n[lo]++;
    k->out->interval_wq[lo] += wait;
}

/* ---- protection's counting ---- */

/* One that a delaying throttle held since t_qa was in the system, waiting, until now: its hold
 * joins the waits of the tasks that left unserved, as in the queue-length integral, so Little's
 * law covers it. */
void mmc_kernel_reject(struct mmc_kernel *k, double t_qa, uint64_t *n)
{
    k->out->n_rejected++;
    if (t_qa >= k->t_measure_from) {
        (*n)++;
        k->sum_wait_left += k->now - t_qa;
    }
}

void mmc_kernel_lose(struct mmc_kernel *k, double t_qa, uint64_t *n)
{
    k->out->n_lost++;
    if (t_qa >= k->t_measure_from) {
        (*n)++;
        k->sum_wait_left += k->now - t_qa;
    }
}

double mmc_kernel_patience_deadline(struct mmc_kernel *k)
{
    double p = mmc_dist_draw(&k->p->protect->patience_dist.shape, k->mean_patience, k->r_patience);
    return k->now + p;
}

enum mmc_gate mmc_kernel_arrive_guarded(struct mmc_kernel *k, double *u)
{
    const struct mmc_protection *pr = k->p->protect;
    k->out->n_arrived++;
    k->out->n_offered += k->now >= k->t_measure_from;
    double hold = 0.0;
    *u = k->trace_svc != NULL ? k->arrival_svc : NAN;
    if (pr->throttle)
        hold = mmc_bucket_take(&k->bucket, k->now, pr->excess == MMC_EXCESS_DELAY);
    if (hold < 0.0) {
        mmc_kernel_reject(k, k->now, &k->out->n_throttled);
        return MMC_GATE_REFUSED;
    }
    if (hold > 0.0) {
        mmc_fifo_push_task(&k->held, k->now, *u);
        mmc_heap_push(&k->heap, k->now + hold, MMC_EV_ADMIT, 0);
        return MMC_GATE_HELD;
    }
    return MMC_GATE_ADMIT;
}

/* ---- the run's end ---- */

/*
 * Which window the time averages and throughput use. A steady-state run
 * (after a warm-up, or from the stationary law) is measured over the arrival
 * window, first measured arrival to last arrival: both ends are arrival
 * epochs of a stationary process, and throughput is the completions inside
 * it per unit time. Measuring on into the drain after the arrivals stop would
 * bias every time average by O(W / window) - small, but larger than a
 * control-variate interval. A finite workload from empty is measured to its
 * last completion: what it "saw" includes the drain, and its throughput is
 * the seeds' tasks / duration. (mmc_point_steady says which a point is.)
 */

/* Batch j = snapshot j + 1 minus snapshot j; the last snapshots are the run's end. */
static void write_batches(struct mmc_kernel *k)
{
    size_t n = k->p->n_fine_batches;
    struct mmc_batch *t = k->tsnap, *a = k->asnap;
    t[n] = (struct mmc_batch){.n = k->out->n_measured,
                              .n_waited = k->out->n_waited,
                              .n_wait_gt = k->out->n_wait_gt,
                              .sum_wq = k->sum_wq,
                              .sum_w = k->sum_w,
                              .sum_svc = k->sum_svc};
    a[n] = (struct mmc_batch){.area_q = k->snap_q,
                              .area_busy = k->snap_busy,
                              .span = k->t_last_arrival,
                              .done = k->done_open};
    for (size_t j = 0; j < n; j++)
        k->out->batch[j] = (struct mmc_batch){
            .n = t[j + 1].n - t[j].n,
            .n_waited = t[j + 1].n_waited - t[j].n_waited,
            .n_wait_gt = t[j + 1].n_wait_gt - t[j].n_wait_gt,
            .done = a[j + 1].done - a[j].done,
            .sum_wq = t[j + 1].sum_wq - t[j].sum_wq,
            .sum_w = t[j + 1].sum_w - t[j].sum_w,
            .sum_svc = t[j + 1].sum_svc - t[j].sum_svc,
            .area_q = a[j + 1].area_q - a[j].area_q,
            .area_busy = a[j + 1].area_busy - a[j].area_busy,
            .span = a[j + 1].span - a[j].span,
        };
}

void mmc_kernel_finish(struct mmc_kernel *k, uint64_t waiting_end, uint64_t busy_end)
{
    struct mmc_run *out = k->out;
    bool steady = mmc_point_steady(k->p);
    double area_q = steady ? k->snap_q : k->area_q;
    double area_busy = steady ? k->snap_busy : k->area_busy;
    double t_close = steady ? k->t_last_arrival : k->now;
    out->n_in_system_end = waiting_end + busy_end;
    out->t_end = k->now;
    /* the window opens at the first measured task's queue arrival, which on this clock is its
       submission; its completions happen d later in submission time (a transit delay) */
    out->makespan = mmc_point_finite(k->p) && out->n_measured > 0
                        ? k->now - k->t_window_start + mmc_point_queue_delay(k->p)
                        : NAN;
    out->work = k->sum_svc - (double)out->n_measured * k->hold;
    out->t_window = t_close - k->t_window_start;
    double window = out->t_window > 0.0 ? out->t_window : NAN;
    double n = out->n_measured > 0 ? (double)out->n_measured : NAN;
    out->throughput = (steady ? (double)k->done_open : n) / window;
    /* per worker: busy time in the window per unit of window (they average to busy / c) */
    const double *wb = steady ? k->wclose : k->wbusy;
    out->worker_util_min = INFINITY;
    out->worker_util_max = 0.0;
    for (size_t w = 0; w < k->p->c; w++) {
        /* a service in progress at a window's end enters as a difference of event times; in a
           window far shorter than a service that difference is rounding: keep it in [0, 1] */
        double u = fmin(fmax(wb[w] / window, 0.0), 1.0);
        out->worker_util_min = u < out->worker_util_min ? u : out->worker_util_min;
        out->worker_util_max = u > out->worker_util_max ? u : out->worker_util_max;
    }
    if (isnan(window)) /* no window, no time averages */
        out->worker_util_min = out->worker_util_max = NAN;
    out->worker_tasks_cv = tasks_cv(k->wtasks, k->p->c);
    out->lq = area_q / window;
    out->busy = area_busy / window;
    out->l = (area_q + area_busy) / window;
    out->wq = k->sum_wq / n;
    out->w = k->sum_w / n;
    out->wait_left = k->sum_wait_left / n;
    /* control variates: sample means whose expectations are known (1/mu, 1/lambda) */
    out->svc_mean = k->sum_svc / n;
    out->gap_mean = (k->t_qa_last - k->t_qa_first) / (n - 1.0);
    if (k->tsnap != NULL)
        write_batches(k);
    if (k->cls != NULL)
        mmc_cls_finish(k->cls, k);
}
