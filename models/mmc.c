/*
 * mmc.c - M/M/c: tasks cross a fixed network delay d, join one FCFS queue,
 * and are served by the first idle of c identical workers.
 *
 * Design. The network delay is the same for every task, so it shifts the
 * arrival stream without reordering it: a task submitted at s reaches the
 * queue at s + d, and we schedule that queue arrival directly instead of
 * spending an event on the crossing.
 *
 * Clock. Everything at the queue happens d after its submission-side cause
 * (arrivals, and staffing breakpoints, which are given in submission time),
 * so the loop runs on the queue's clock minus d: a task reaches the queue at
 * "s", the queue's time 0 is -d. Waits, sojourns and areas are differences,
 * the same on either clock, but they keep their precision however large d is
 * (d only enters T = d + W, in the experiment). Only one arrival is pending at a time
 * (the next one is drawn when the current one lands): it waits in a register
 * beside the heap, which holds only the departures (at most c), so an
 * arrival costs one comparison instead of a push and a pop. The register's
 * event takes its sequence number from the heap's counter, so events leave
 * in exactly the (time, sequence) order they would leave a single heap in,
 * and every output is the same as with one calendar. A task's wait is known
 * when its service starts, and its service
 * time is drawn then, so per-task statistics are recorded at service start
 * and departures carry nothing but the worker's index.
 *
 * Measurement. Tasks are numbered in submission order; the first measured
 * task is the first after the warm-up (by count, by submission time, or
 * the cut the experiment's pilot chose for warmup: auto) and
 * its queue arrival opens the window: that event has its own kind, which
 * zeroes the time averages, so the hot path has no warm-up test. The stop
 * rule ends the arrivals (a count of measured tasks, or a span of
 * submission time after the warm-up); the run then drains, so every
 * measured task completes.
 *
 * Initial state. A backlog of N tasks (or N drawn from the closed-form
 * stationary law) is placed at the queue's time 0: the first c go into service, the
 * rest queue. They count as arrived but are never measured (their arrival
 * times are unknown). A stationary start is exact: service and
 * inter-arrival times are memoryless, and the queue is in equilibrium at
 * any instant, so its loop starts at submission time 0 (the tasks then
 * crossing the network arrive as the same Poisson stream); with a delay of
 * 1e20 s, starting at -d would mean simulating 1e20 s before the first
 * measured submission.
 *
 * Batches (method: batch-means). The measured tasks are cut into
 * n_fine_batches batches of m tasks by arrival order. Cumulative totals are
 * snapshotted twice per boundary: the per-task sums when the boundary task
 * starts service (FCFS: service order is arrival order) and the time areas
 * when it arrives (its arrival event has its own kind, set by the generator
 * through the same "next special task" compare as the stop rule). A batch is
 * the difference of consecutive snapshots.
 *
 * Protection (capacity, shed, throttle, patience: a "guarded" run, with
 * its own specialisation of the loop so that plain runs pay nothing). A
 * throttled task that must wait for a token is held in a FIFO of its own
 * (the bucket releases tasks in order), reaches the queue at EV_ADMIT, and
 * counts as waiting from its arrival: its wait includes the hold. A held
 * task is in the system (L, Lq, the memory figures) but outside the capacity
 * K, which bounds the queue and the workers; one turned away when its token
 * comes (blocked, or shed as the newest) leaves unserved, and its hold is
 * counted with the waits of the tasks that left the queue unserved. At the
 * queue, a task that finds K in system is blocked; one that finds every
 * worker busy and shed_threshold tasks waiting is shed (newest: itself;
 * oldest: the head of the queue, and it joins). A task with patience p
 * that is still waiting at its arrival + p abandons (EV_ABANDON). Removing
 * a task from the middle of the FIFO would cost O(n), so an abandoning
 * task's slot becomes a tombstone (NaN) that the head skips; n_waiting
 * counts the live ones. An abandonment event names its slot by the low 32
 * bits of the slot's absolute index (q_popped + position), enough while
 * fewer than 2^32 tasks wait; one whose task has left already is dropped
 * without advancing the clock, so stale events cannot stretch a run.
 * Rejected tasks (blocked, shed newest, refused a token) never join; lost
 * ones (shed oldest, abandoned) leave unserved. Conservation: arrived ==
 * completed + rejected + lost + in system.
 *
 * Invariants: busy + idle == c; in system == queued + busy; a task waits
 * only while every worker is busy (counted, never assumed: work_violations).
 */
#include "bucket.h"
#include "erlang.h"
#include "error.h"
#include "heap.h"
#include "models.h"
#include "mser.h"
#include "process.h"
#include "rng.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

enum {
    EV_ARRIVE,
    EV_ARRIVE_FIRST_MEASURED,
    EV_ARRIVE_BATCH,
    EV_DEPART,
    EV_ADMIT,
    EV_ABANDON,
    EV_STAFF
};

/* FIFO of queue-arrival times, with the tasks' service times beside them when a trace gives
 * them (u, guarded runs only; else NULL); capacity a power of two. */
struct fifo {
    double *t, *u;
    size_t head, n, mask;
};

struct state {
    const struct mmc_point *p;
    struct mmc_heap heap;
    struct fifo q;
    uint32_t *idle; /* stack of idle worker indices */
    size_t n_idle;
    gsl_rng *r_arrive, *r_service;
    double mean_gap, mean_service;
    double now;
    double area_q, area_busy; /* integrals of queued and busy counts over the window */
    double t_window_start;
    double t_measure_from; /* queue-arrival time of the first measured task (inf before) */
    double s_next;         /* submission time of the next task to generate */
    double s_prev;         /* submission time of the task generated last (-inf before any) */
    double s_stop;         /* stop by time: no task submitted at or after this */
    uint64_t k_next;       /* number of the next task to generate */
    uint64_t k_stop;       /* stop by count: no task numbered this or more */
    uint64_t k_special;    /* min(k_stop, next batch boundary): the generator's one test */
    uint64_t k_boundary;   /* number of the next task that opens a batch */
    uint64_t batch_m;      /* tasks per batch */
    size_t batch_j;        /* batches opened on the arrival side */
    uint64_t n_task_cut;   /* measured ordinal at which the next per-task snapshot falls */
    size_t task_j;         /* batches opened on the service side */
    struct mmc_batch *tsnap, *asnap; /* cumulative snapshots, n_fine_batches + 1 each */
    double sum_wq, sum_w, sum_svc;
    double t_qa_first, t_qa_last; /* queue arrivals of the first and last measured tasks */
    struct mmc_run *out;
    struct mmc_run_hist *hist;
    struct mmc_event arrival; /* the next queue arrival, when arrival_pending */
    bool arrival_pending;
    bool measuring;
    bool open;               /* arrivals still coming */
    bool guard;              /* some protection is on: the guarded loop runs */
    bool custom;             /* next_submission draws the gaps */
    struct mmc_mser *series; /* pilot only: sojourn times in arrival order */
    double *wbusy;           /* per worker: busy time since the window opened (see open_window) */
    double *wclose;          /* steady runs: wbusy within the window, fixed when it closes */
    uint64_t seq_open;       /* the heap's sequence number when the window opened */
    /* the arrival window: from the first measured arrival to the last arrival */
    uint64_t done_open;       /* completions while arrivals were still coming */
    double snap_q, snap_busy; /* the area integrals when the last arrival landed */
    double t_last_arrival;
    /* overload protection (guarded runs only; see "Protection" above) */
    uint64_t n_waiting;      /* tasks in the queue that are still waiting (no tombstones) */
    uint64_t q_popped;       /* entries ever taken from the queue's head: its absolute index */
    uint64_t capacity;       /* K, or UINT64_MAX */
    uint64_t shed_threshold; /* or UINT64_MAX */
    struct mmc_bucket bucket;
    struct fifo held; /* throttle: arrival times of tasks waiting for a token, in order */
    gsl_rng *r_patience;
    double mean_patience;
    double sum_wait_left; /* waits of measured tasks that left the queue unserved */
    /* arrival processes beyond renewal (cold path: custom) */
    struct mmc_mmpp_state mmpp; /* MMPP phase */
    double mmpp_scale;          /* its rates times this give the point's lambda */
    size_t trace_i;             /* next trace line */
    const double *trace_svc;    /* service: {dist: trace}: each line's service time, else NULL */
    double arrival_svc;         /* its value for the pending arrival */
    uint64_t batch_left;        /* tasks still to come at the current batch epoch */
    /* staffing (guarded runs) */
    uint32_t *off; /* stack of off-duty workers */
    size_t n_off;
    uint64_t duty;       /* workers on duty (retiring ones excluded) */
    uint64_t n_retiring; /* busy workers that leave when their task is done */
    size_t staff_next;   /* next staffing breakpoint */
};

/* Inlined everywhere, so loop_with(st, true) and (st, false) become two specialised loops. */
#define HOT static inline __attribute__((always_inline))

/* Queue-arrival time given to initial tasks: before any task can arrive. */
#define T_INITIAL (-INFINITY)

static void fifo_init(struct fifo *f, bool with_u)
{
    f->mask = 1023;
    f->t = mmc_xmalloc(f->mask + 1, sizeof *f->t);
    f->u = with_u ? mmc_xmalloc(f->mask + 1, sizeof *f->u) : NULL;
    f->head = f->n = 0;
}

static void fifo_fini(struct fifo *f)
{
    free(f->t);
    free(f->u);
}

/* A copy of ring a (capacity cap, from head, n entries) into a new array of 2 cap, head at 0. */
static double *unroll(const double *a, size_t head, size_t n, size_t cap)
{
    double *b = mmc_xmalloc(2 * cap, sizeof *b);
    for (size_t i = 0; i < n; i++)
        b[i] = a[(head + i) & (cap - 1)];
    return b;
}

/* Double the ring, unrolling it so that head is 0 again. */
static void fifo_grow(struct fifo *f)
{
    size_t cap = f->mask + 1;
    double *t = unroll(f->t, f->head, f->n, cap);
    free(f->t);
    f->t = t;
    if (f->u != NULL) {
        double *u = unroll(f->u, f->head, f->n, cap);
        free(f->u);
        f->u = u;
    }
    f->head = 0;
    f->mask = 2 * cap - 1;
}

static inline void fifo_push(struct fifo *f, double t)
{
    if (MMC_UNLIKELY(f->n > f->mask))
        fifo_grow(f);
    f->t[(f->head + f->n++) & f->mask] = t;
}

static inline double fifo_pop(struct fifo *f)
{
    double t = f->t[f->head];
    f->head = (f->head + 1) & f->mask;
    f->n--;
    return t;
}

/* Guarded runs: push t with its service time u (kept only when the ring carries them). */
static void fifo_push_task(struct fifo *f, double t, double u)
{
    if (f->u != NULL) {
        if (MMC_UNLIKELY(f->n > f->mask))
            fifo_grow(f);
        f->u[(f->head + f->n) & f->mask] = u;
    }
    fifo_push(f, t);
}

/* Guarded runs: pop the head's time, its service time into *u (NaN when not carried). */
static double fifo_pop_task(struct fifo *f, double *u)
{
    *u = f->u != NULL ? f->u[f->head] : NAN;
    return fifo_pop(f);
}

/* Does task k, submitted at s, open the measurement? Decided once per run. */
static bool is_first_measured(const struct state *st, uint64_t k, double s)
{
    const struct mmc_limit *w = &st->p->warmup;
    switch (w->kind) {
    case MMC_LIMIT_TASKS:
        return (double)k >= w->value;
    case MMC_LIMIT_AUTO:
        return k >= st->p->warmup_cut;
    case MMC_LIMIT_TIME:
        return s >= w->value;
    default:
        return true;
    }
}

/* Fix the stop rule relative to the first measured task (number k, submitted at s). */
static void start_measuring(struct state *st, uint64_t k, double s)
{
    const struct mmc_limit *stop = &st->p->stop;
    st->measuring = true;
    st->t_measure_from = s;
    st->t_qa_first = st->t_measure_from;
    if (stop->kind == MMC_LIMIT_TIME) {
        st->s_stop = s + stop->value;
        st->k_stop = UINT64_MAX;
    } else {
        st->s_stop = INFINITY;
        st->k_stop = k + (uint64_t)stop->value;
    }
    st->k_special = st->k_stop;
    if (st->tsnap != NULL) {
        /* batch-means needs a task count (checked by experiment.c) */
        st->batch_m = (uint64_t)stop->value / st->p->n_fine_batches;
        st->k_boundary = k + st->batch_m;
        st->n_task_cut = st->batch_m;
        st->k_special = st->k_boundary < st->k_stop ? st->k_boundary : st->k_stop;
    }
}

/* Snapshot the arrival-side totals: batch j's time opens now. */
static void snap_arrival(struct state *st, size_t j)
{
    struct mmc_batch *a = &st->asnap[j];
    a->area_q = st->area_q;
    a->area_busy = st->area_busy;
    a->span = st->now;
    a->done = st->done_open;
}

/* The task numbered k opens a batch: mark its arrival and aim at the next boundary. */
static uint32_t next_boundary(struct state *st)
{
    if (++st->batch_j + 1 < st->p->n_fine_batches)
        st->k_boundary += st->batch_m;
    else
        st->k_boundary = UINT64_MAX;
    st->k_special = st->k_boundary < st->k_stop ? st->k_boundary : st->k_stop;
    return EV_ARRIVE_BATCH;
}

/*
 * The submission after one at s, for any process but a plain renewal: the
 * rest of a batch comes at once; a new epoch comes from the process (a
 * renewal gap of mean E[B] / lambda, an MMPP scaled to lambda / E[B], a
 * schedule thinned at 1 / E[B] of its task rate, the next trace line).
 * INFINITY: a trace is over (generate then ends the workload).
 */
static double next_submission(struct state *st, double s)
{
    const struct mmc_process *pr = st->p->process;
    if (st->batch_left > 0) {
        st->batch_left--;
        return s;
    }
    double b = pr->batched ? mmc_batch_size_mean(&pr->batch) : 1.0, t;
    switch (pr->kind) {
    case MMC_PROCESS_MMPP:
        t = mmc_mmpp_next(&pr->mmpp, &st->mmpp, s, st->mmpp_scale / b, st->r_arrive);
        break;
    case MMC_PROCESS_SCHEDULE:
        t = mmc_schedule_next(&pr->schedule, s, 1.0 / b, st->r_arrive);
        break;
    case MMC_PROCESS_TRACE:
        t = st->trace_i < pr->trace.n ? pr->trace.t[st->trace_i++] / pr->trace_scale : INFINITY;
        break;
    default:
        t = s + mmc_dist_draw(st->p->arrival, st->mean_gap * b, st->r_arrive);
        break;
    }
    if (pr->batched)
        st->batch_left = mmc_batch_size_draw(&pr->batch, st->r_arrive) - 1;
    return t;
}

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
static void open_worker_window(struct state *st)
{
    st->seq_open = st->heap.next_seq;
    for (size_t w = 0; w < st->p->c; w++)
        st->wbusy[w] = 0.0;
    for (size_t i = 0; i < st->heap.n; i++)
        if (st->heap.ev[i].kind == EV_DEPART)
            st->wbusy[st->heap.ev[i].arg] += st->heap.ev[i].t - st->now;
}

static void close_worker_window(struct state *st)
{
    for (size_t w = 0; w < st->p->c; w++)
        st->wclose[w] = st->wbusy[w];
    for (size_t i = 0; i < st->heap.n; i++) {
        const struct mmc_event *ev = &st->heap.ev[i];
        if (ev->kind != EV_DEPART)
            continue;
        if (ev->seq < st->seq_open) /* in service all window long: exactly its length */
            st->wclose[ev->arg] = st->now - st->t_window_start;
        else
            st->wclose[ev->arg] -= ev->t - st->now;
    }
}

/* Schedule the queue arrival of the next task, unless the stop rule says the workload is over. */
static void generate(struct state *st)
{
    uint64_t k = st->k_next;
    double s = st->s_next;
    uint32_t kind = EV_ARRIVE;
    if (MMC_UNLIKELY(!st->measuring)) {
        /* the tasks of one batch arrive together: a warm-up never splits them (s_prev) */
        if (s != st->s_prev && is_first_measured(st, k, s)) {
            start_measuring(st, k, s);
            kind = EV_ARRIVE_FIRST_MEASURED;
        }
        st->s_prev = s;
    }
    if (MMC_UNLIKELY(k >= st->k_special) && k < st->k_stop)
        kind = next_boundary(st);
    if (k >= st->k_stop || s >= st->s_stop) {
        /* the workload is complete: close the arrival window (areas are current to now) */
        st->open = false;
        st->snap_q = st->area_q;
        st->snap_busy = st->area_busy;
        st->t_last_arrival = st->now;
        close_worker_window(st);
        return;
    }
    st->arrival = (struct mmc_event){s, st->heap.next_seq++, kind, 0};
    st->arrival_pending = true;
    st->k_next = k + 1;
    if (MMC_UNLIKELY(st->custom)) {
        if (st->trace_svc != NULL) /* s is line trace_i - 1's time */
            st->arrival_svc = st->trace_svc[st->trace_i - 1];
        st->s_next = next_submission(st, s);
    } else {
        st->s_next = s + mmc_dist_draw(st->p->arrival, st->mean_gap, st->r_arrive);
    }
}

/* Snapshot the per-task totals: the task about to be counted opens a batch. */
static void snap_tasks(struct state *st)
{
    struct mmc_batch *t = &st->tsnap[++st->task_j];
    t->n = st->out->n_measured;
    t->n_waited = st->out->n_waited;
    t->n_wait_gt = st->out->n_wait_gt;
    t->sum_wq = st->sum_wq;
    t->sum_w = st->sum_w;
    t->sum_svc = st->sum_svc;
    st->n_task_cut =
        st->task_j + 1 < st->p->n_fine_batches ? st->n_task_cut + st->batch_m : UINT64_MAX;
}

/* A time-varying run: the wait of a task that arrived at t_qa, by interval. */
static void add_to_interval(struct state *st, double t_qa, double wait)
{
    const struct mmc_point *p = st->p;
    size_t lo = 0, hi = p->n_intervals - 1; /* the last interval whose start is <= t_qa */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (p->t_interval[mid] - p->d <= t_qa) /* breakpoints are in the queue's clock */
            lo = mid;
        else
            hi = mid - 1;
    }
    st->out->interval_n[lo]++;
    st->out->interval_wq[lo] += wait;
}

/*
 * Worker w takes the task that reached the queue at t_qa; its statistics are
 * final now. With record (a pilot for warmup: auto), the task's sojourn
 * also joins the MSER series.
 */
HOT void serve(struct state *st, double t_qa, double svc, uint32_t w, bool record)
{
    if (record && t_qa > T_INITIAL)
        mmc_mser_add(st->series, st->now - t_qa + svc);
    if (t_qa >= st->t_measure_from) {
        double wait = st->now - t_qa;
        if (MMC_UNLIKELY(st->out->n_measured == st->n_task_cut))
            snap_tasks(st);
        st->out->n_measured++;
        st->out->n_waited += wait > 0.0;
        st->out->n_wait_gt += wait > st->p->wait_threshold; /* false for NaN */
        st->sum_wq += wait;
        st->sum_w += wait + svc;
        st->sum_svc += svc;
        st->t_qa_last = t_qa; /* FCFS: served in arrival order */
        if (MMC_UNLIKELY(st->p->n_intervals > 0))
            add_to_interval(st, t_qa, wait);
        mmc_hist_add(&st->hist->wait, wait);
        mmc_hist_add(&st->hist->sojourn, wait + svc);
    }
    st->wbusy[w] += svc;
    mmc_heap_push(&st->heap, st->now + svc, EV_DEPART, w);
}

/* serve with a service time drawn now. */
HOT void start_service(struct state *st, double t_qa, uint32_t w, bool record)
{
    serve(st, t_qa, mmc_dist_draw(st->p->service, st->mean_service, st->r_service), w, record);
}

/* Guarded runs: the task's own service time u (from a trace), or a draw when u is NaN. */
static void serve_task(struct state *st, double t_qa, double u, uint32_t w, bool record)
{
    if (isnan(u))
        start_service(st, t_qa, w, record);
    else
        serve(st, t_qa, u, w, record);
}

/* Tasks waiting (in the queue, or held for a token); a plain run has no tombstones. */
HOT uint64_t waiting(const struct state *st, bool guard)
{
    return guard ? st->n_waiting + st->held.n : st->q.n;
}

static void open_window(struct state *st)
{
    st->open = true;
    st->done_open = 0;
    st->area_q = 0.0;
    st->area_busy = 0.0;
    st->t_window_start = st->now;
    if (st->asnap != NULL)
        snap_arrival(st, 0); /* batch 0 opens here; tsnap[0] is all zeros */
    uint64_t w = waiting(st, st->guard);
    st->out->max_in_system = w + (st->p->c - st->n_idle - st->n_off);
    st->out->max_queue = w;
    open_worker_window(st);
}

HOT void on_arrive(struct state *st, bool record)
{
    st->out->n_arrived++;
    if (st->n_idle > 0) {
        start_service(st, st->now, st->idle[--st->n_idle], record);
    } else {
        fifo_push(&st->q, st->now);
        if (st->q.n > st->out->max_queue)
            st->out->max_queue = st->q.n;
    }
    uint64_t in_system = st->q.n + (st->p->c - st->n_idle);
    if (in_system > st->out->max_in_system)
        st->out->max_in_system = in_system;
    generate(st);
}

HOT void on_depart(struct state *st, uint32_t w, bool record)
{
    st->out->n_completed++;
    st->done_open += st->open;
    if (st->q.n > 0)
        start_service(st, fifo_pop(&st->q), w, record);
    else
        st->idle[st->n_idle++] = w;
}

/* ---- protection: a guarded run's arrivals and departures ---- */

/* The first live task of the queue (guarded), its slot taken, its service time (if carried) in
 * *u; NaN when none is left. */
static double pop_live(struct state *st, double *u)
{
    *u = NAN;
    while (st->q.n > 0) {
        double t = fifo_pop_task(&st->q, u);
        st->q_popped++;
        if (!isnan(t)) {
            st->n_waiting--;
            return t;
        }
    }
    return NAN;
}

/*
 * A measured task (queue arrival t_qa) turned away at the door: counted in *n.
 * One that a delaying throttle held since t_qa was in the system, waiting,
 * until now: its hold joins the waits of the tasks that left unserved, as in
 * the queue-length integral, so Little's law covers it (see "Protection").
 */
static void reject(struct state *st, double t_qa, uint64_t *n)
{
    st->out->n_rejected++;
    if (t_qa >= st->t_measure_from) {
        (*n)++;
        st->sum_wait_left += st->now - t_qa;
    }
}

/* A task that waited since t_qa leaves the queue unserved now: counted in *n. */
static void lose(struct state *st, double t_qa, uint64_t *n)
{
    st->out->n_lost++;
    if (t_qa >= st->t_measure_from) {
        (*n)++;
        st->sum_wait_left += st->now - t_qa;
    }
}

static void note_peaks(struct state *st)
{
    uint64_t w = waiting(st, true);
    uint64_t in_system = w + (st->p->c - st->n_idle - st->n_off);
    if (w > st->out->max_queue)
        st->out->max_queue = w;
    if (in_system > st->out->max_in_system)
        st->out->max_in_system = in_system;
}

/* Queue a task that arrived at t_qa (service time u), with its patience when it has one. */
static void enqueue(struct state *st, double t_qa, double u)
{
    uint64_t pos = st->q_popped + st->q.n;
    fifo_push_task(&st->q, t_qa, u);
    st->n_waiting++;
    if (st->r_patience != NULL) {
        double p =
            mmc_dist_draw(&st->p->protect->patience_dist.shape, st->mean_patience, st->r_patience);
        mmc_heap_push(&st->heap, st->now + p, EV_ABANDON, (uint32_t)pos);
    }
}

/* A task that arrived at t_qa (service time u) reaches the queue now: capacity, then a worker,
 * then shedding. */
static void admit(struct state *st, double t_qa, double u, bool record)
{
    uint64_t busy = st->p->c - st->n_idle - st->n_off;
    if (st->n_waiting + busy >= st->capacity) {
        reject(st, t_qa, &st->out->n_blocked);
        return;
    }
    if (st->n_idle > 0) {
        serve_task(st, t_qa, u, st->idle[--st->n_idle], record);
    } else if (st->n_waiting >= st->shed_threshold) {
        if (st->p->protect->drop == MMC_DROP_NEWEST || st->n_waiting == 0) {
            reject(st, t_qa, &st->out->n_shed);
            return;
        }
        double u_oldest;
        lose(st, pop_live(st, &u_oldest), &st->out->n_shed);
        enqueue(st, t_qa, u);
    } else {
        enqueue(st, t_qa, u);
    }
    note_peaks(st);
}

/* An arrival of a guarded run: the token bucket first (if any), then the queue. */
static void on_arrive_guarded(struct state *st, bool record)
{
    const struct mmc_protection *pr = st->p->protect;
    st->out->n_arrived++;
    st->out->n_offered += st->now >= st->t_measure_from;
    double hold = 0.0, u = st->trace_svc != NULL ? st->arrival_svc : NAN;
    if (pr->throttle)
        hold = mmc_bucket_take(&st->bucket, st->now, pr->excess == MMC_EXCESS_DELAY);
    if (hold < 0.0) {
        reject(st, st->now, &st->out->n_throttled);
    } else if (hold > 0.0) {
        fifo_push_task(&st->held, st->now, u);
        mmc_heap_push(&st->heap, st->now + hold, EV_ADMIT, 0);
        note_peaks(st);
    } else {
        admit(st, st->now, u, record);
    }
    generate(st);
}

/* A held task gets its token: it reaches the queue, its wait counted from its arrival. */
static void on_admit(struct state *st, bool record)
{
    double u, t_qa = fifo_pop_task(&st->held, &u);
    admit(st, t_qa, u, record);
}

/* The queue slot named by an abandonment event, if its task is still waiting; else NULL. */
static double *abandon_slot(struct state *st, uint32_t arg)
{
    uint32_t offset = arg - (uint32_t)st->q_popped;
    if (offset >= st->q.n)
        return NULL; /* served or shed already */
    double *t = &st->q.t[(st->q.head + offset) & st->q.mask];
    return isnan(*t) ? NULL : t;
}

static void on_abandon(struct state *st, double *slot)
{
    double t_qa = *slot;
    *slot = NAN;
    st->n_waiting--;
    lose(st, t_qa, &st->out->n_abandoned);
}

/* A departure of a guarded run: the next live task of the queue, if any. */
static void on_depart_guarded(struct state *st, uint32_t w, bool record)
{
    st->out->n_completed++;
    st->done_open += st->open;
    if (st->n_retiring > 0) { /* a shift ended while this worker was busy */
        st->n_retiring--;
        st->off[st->n_off++] = w;
        return;
    }
    double u, t_qa = pop_live(st, &u);
    if (!isnan(t_qa))
        serve_task(st, t_qa, u, w, record);
    else
        st->idle[st->n_idle++] = w;
}

/* The earliest of the pending arrival and the first departure; false when both are gone. */
HOT bool next_event(struct state *st, struct mmc_event *ev)
{
    struct mmc_heap *h = &st->heap;
    if (st->arrival_pending &&
        (mmc_heap_is_empty(h) || mmc_event_before(&st->arrival, mmc_heap_peek(h)))) {
        *ev = st->arrival;
        st->arrival_pending = false; /* on_arrive draws the next one */
        return true;
    }
    if (mmc_heap_is_empty(h))
        return false;
    *ev = mmc_heap_pop(h);
    return true;
}

/* Staffing: the next breakpoint's event, if any. */
static void schedule_staffing(struct state *st)
{
    const struct mmc_staffing *sf = st->p->staffing;
    if (st->staff_next < sf->n)
        mmc_heap_push(&st->heap, sf->t[st->staff_next], EV_STAFF, (uint32_t)st->staff_next);
}

/*
 * The worker count becomes target: added workers cancel pending retirements
 * first, then come off duty idle and take waiting tasks; removed ones are
 * idle ones first, then busy ones, which finish their task and leave.
 */
static void set_staff(struct state *st, uint64_t target, bool record)
{
    if (target >= st->duty) {
        uint64_t add = target - st->duty;
        uint64_t cancel = add < st->n_retiring ? add : st->n_retiring;
        st->n_retiring -= cancel;
        for (add -= cancel; add > 0; add--)
            st->idle[st->n_idle++] = st->off[--st->n_off];
        while (st->n_idle > 0) {
            double u, t_qa = pop_live(st, &u);
            if (isnan(t_qa))
                break;
            serve_task(st, t_qa, u, st->idle[--st->n_idle], record);
        }
    } else {
        uint64_t rm = st->duty - target;
        for (; rm > 0 && st->n_idle > 0; rm--)
            st->off[st->n_off++] = st->idle[--st->n_idle];
        st->n_retiring += rm;
    }
    st->duty = target;
}

static void on_staff(struct state *st, uint32_t i, bool record)
{
    set_staff(st, (uint64_t)st->p->staffing->c[i], record);
    st->staff_next = (size_t)i + 1;
    schedule_staffing(st);
}

/* One event of a guarded run (arrivals, departures, admissions, abandonments). */
HOT void dispatch_guarded(struct state *st, const struct mmc_event *ev, bool record)
{
    switch (ev->kind) {
    case EV_DEPART:
        on_depart_guarded(st, ev->arg, record);
        break;
    case EV_ADMIT:
        on_admit(st, record);
        break;
    case EV_ABANDON:
        on_abandon(st, abandon_slot(st, ev->arg)); /* live: checked by the loop */
        break;
    case EV_STAFF:
        on_staff(st, ev->arg, record);
        break;
    case EV_ARRIVE_BATCH:
        snap_arrival(st, st->batch_j);
        on_arrive_guarded(st, record);
        break;
    case EV_ARRIVE_FIRST_MEASURED:
        open_window(st);
        on_arrive_guarded(st, record);
        break;
    default:
        on_arrive_guarded(st, record);
        break;
    }
}

/* One event of a plain run. */
HOT void dispatch_plain(struct state *st, const struct mmc_event *ev, bool record)
{
    switch (ev->kind) {
    case EV_ARRIVE:
        on_arrive(st, record);
        break;
    case EV_DEPART:
        on_depart(st, ev->arg, record);
        break;
    case EV_ARRIVE_BATCH: /* a batch boundary: n_fine_batches - 1 times per run */
        snap_arrival(st, st->batch_j);
        on_arrive(st, record);
        break;
    default: /* EV_ARRIVE_FIRST_MEASURED: once per run */
        open_window(st);
        on_arrive(st, record);
        break;
    }
}

HOT void loop_with(struct state *st, bool record, bool guard)
{
    const double c = (double)st->p->c;
    uint64_t n_events = 0, violations = 0;
    struct mmc_event ev;
    while (next_event(st, &ev)) {
        /* a stale abandonment (its task has left) is no event: the clock stays */
        if (guard && ev.kind == EV_ABANDON && abandon_slot(st, ev.arg) == NULL)
            continue;
        /* and a shift change after the last task has gone changes nothing */
        if (guard && ev.kind == EV_STAFF && !st->arrival_pending && !st->open &&
            st->q.n + st->held.n == 0 && st->n_idle + st->n_off == st->p->c)
            continue;
        double dt = ev.t - st->now;
        st->area_q += (double)waiting(st, guard) * dt;
        st->area_busy += (c - (double)(st->n_idle + st->n_off)) * dt;
        st->now = ev.t;
        if (guard)
            dispatch_guarded(st, &ev, record);
        else
            dispatch_plain(st, &ev, record);
        n_events++;
        violations += (guard ? st->n_waiting : st->q.n) > 0 && st->n_idle > 0;
        if (MMC_UNLIKELY(n_events % MMC_CANCEL_EVENTS == 0) && st->p->cancel != NULL &&
            atomic_load_explicit(st->p->cancel, memory_order_relaxed) != 0) {
            st->out->cut_short = true;
            break;
        }
    }
    st->out->n_events = n_events;
    st->out->work_violations = violations;
}

static void loop(struct state *st)
{
    bool guard = st->guard;
    if (st->series != NULL && guard)
        loop_with(st, true, true);
    else if (st->series != NULL)
        loop_with(st, true, false);
    else if (guard)
        loop_with(st, false, true);
    else
        loop_with(st, false, false);
}

/*
 * Number in system drawn from the M/M/c stationary law: with probability C
 * (Erlang C) at least c, and then c + j with j geometric, P(j) = (1 - rho)
 * rho^j; otherwise n < c with P(n) proportional to a^n / n!, a Poisson(a)
 * truncated to n < c, drawn by rejection (P(Poisson(a) < c) > 1/e for a < c,
 * so fewer than three tries on average).
 */
static uint64_t stationary_count(const struct mmc_point *p, gsl_rng *r)
{
    struct mmc_erlang e;
    if (mmc_erlang_mmc(p->lambda, p->mu, p->c, p->d, &e) != 0 || !e.stable)
        return 0; /* experiment.c refuses stationary starts without a steady state */
    if (gsl_rng_uniform(r) < e.p_wait)
        return p->c + gsl_ran_geometric(r, 1.0 - e.rho) - 1;
    for (;;) {
        unsigned int n = gsl_ran_poisson(r, e.a);
        if (n < p->c)
            return n;
    }
}

static uint64_t initial_count(const struct mmc_point *p, uint64_t rep)
{
    if (p->initial.kind == MMC_INITIAL_IN_SYSTEM)
        return (uint64_t)p->initial.in_system;
    if (p->initial.kind != MMC_INITIAL_STATIONARY)
        return 0;
    gsl_rng *r = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_INITIAL);
    uint64_t n = stationary_count(p, r);
    gsl_rng_free(r);
    return n;
}

/* Place n tasks at time 0: into service while workers are idle, then into the queue. */
static void place_initial(struct state *st, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        if (st->n_idle > 0)
            start_service(st, T_INITIAL, st->idle[--st->n_idle], false);
        else
            fifo_push_task(&st->q, T_INITIAL, NAN); /* a draw: it has no trace line */
    }
    if (st->guard) /* the backlog waits without patience, beyond capacity if it must */
        st->n_waiting = st->q.n;
    st->out->n_initial = n;
    st->out->n_arrived = n;
}

/* Limits at UINT64_MAX, no bucket and no patience stream unless the point asks for them. */
static void init_protection(struct state *st, uint64_t rep)
{
    const struct mmc_point *p = st->p;
    const struct mmc_protection *pr = p->protect;
    st->capacity = pr->capacity > 0 ? (uint64_t)pr->capacity : UINT64_MAX;
    st->shed_threshold = pr->shed ? (uint64_t)pr->shed_threshold : UINT64_MAX;
    if (pr->throttle)
        mmc_bucket_init(&st->bucket, pr->throttle_rate, pr->throttle_burst, 0.0);
    if (pr->patience) {
        st->r_patience = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_PATIENCE);
        st->mean_patience = 1.0 / pr->patience_rate;
    }
    st->guard = mmc_protection_is_on(pr) || p->staffing->n > 0 || st->trace_svc != NULL;
    if (st->guard)
        fifo_init(&st->held, st->trace_svc != NULL);
    st->duty = p->c;
    st->off = mmc_xmalloc(p->c, sizeof *st->off);
    if (p->staffing->n > 0) { /* the first shift: the rest of the c_max workers are off */
        uint64_t c0 = (uint64_t)p->staffing->c[0];
        while (st->n_idle > c0)
            st->off[st->n_off++] = st->idle[--st->n_idle];
        st->duty = c0;
        st->staff_next = 1;
        schedule_staffing(st);
    }
}

/* Where the first task is submitted after s0, per process. */
static double first_submission(struct state *st, double s0)
{
    const struct mmc_process *pr = st->p->process;
    st->custom = pr->kind != MMC_PROCESS_RENEWAL || pr->batched;
    if (!st->custom)
        return s0 + mmc_dist_draw(st->p->arrival, st->mean_gap, st->r_arrive);
    if (pr->kind == MMC_PROCESS_MMPP) {
        st->mmpp_scale = st->p->lambda / mmc_mmpp_mean_rate(&pr->mmpp);
        mmc_mmpp_start(&pr->mmpp, &st->mmpp, s0, st->r_arrive);
    }
    if (pr->kind == MMC_PROCESS_TRACE) {
        st->trace_i = 1;
        return pr->trace.t[0] / pr->trace_scale;
    }
    return next_submission(st, s0);
}

static void state_init(struct state *st, const struct mmc_point *p, uint64_t rep,
                       struct mmc_run *out, struct mmc_run_hist *hist)
{
    *st = (struct state){
        .p = p, .out = out, .hist = hist, .t_measure_from = INFINITY, .s_prev = -INFINITY};
    struct mmc_batch *batch = out->batch;
    *out = (struct mmc_run){.batch = batch};
    st->n_task_cut = UINT64_MAX;
    if (batch != NULL && p->n_fine_batches > 0) {
        st->tsnap = mmc_xcalloc(p->n_fine_batches + 1, sizeof *st->tsnap);
        st->asnap = mmc_xcalloc(p->n_fine_batches + 1, sizeof *st->asnap);
    }
    mmc_heap_init(&st->heap, p->c + 2);
    if (p->process->kind == MMC_PROCESS_TRACE && p->process->trace_service)
        st->trace_svc = p->process->trace.svc;
    fifo_init(&st->q, st->trace_svc != NULL);
    st->idle = mmc_xmalloc(p->c, sizeof *st->idle);
    st->wbusy = mmc_xcalloc(p->c, sizeof *st->wbusy);
    st->wclose = mmc_xcalloc(p->c, sizeof *st->wclose);
    /* highest index on top, so worker 0 is taken first */
    for (size_t i = 0; i < p->c; i++)
        st->idle[i] = (uint32_t)(p->c - 1 - i);
    st->n_idle = p->c;
    st->r_arrive = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_ARRIVAL);
    st->r_service = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_SERVICE);
    st->mean_gap = 1.0 / p->lambda;
    st->mean_service = 1.0 / p->mu;
    st->k_stop = UINT64_MAX;
    st->k_special = UINT64_MAX;
    st->s_stop = INFINITY;
    /* a stationary start has tasks in flight: submissions begin at -d */
    init_protection(st, rep);
    st->s_next = first_submission(st, 0.0);
    /* time 0 at the queue (see "Clock" above); a stationary start is stationary at any time, so
       it starts where the first submission can come, however large d is */
    st->now = p->initial.kind == MMC_INITIAL_STATIONARY ? 0.0 : -p->d;
    place_initial(st, initial_count(p, rep));
}

static void state_fini(struct state *st)
{
    free(st->wbusy);
    free(st->wclose);
    free(st->tsnap);
    free(st->asnap);
    mmc_heap_fini(&st->heap);
    fifo_fini(&st->q);
    free(st->idle);
    gsl_rng_free(st->r_arrive);
    gsl_rng_free(st->r_service);
    if (st->r_patience != NULL)
        gsl_rng_free(st->r_patience);
    fifo_fini(&st->held);
    free(st->off);
}

/* Turn the run's integrals and sums into means. */
/*
 * Which window the time averages and throughput use. A steady-state run
 * (after a warm-up, or from the stationary law) is measured over the arrival
 * window, first measured arrival to last arrival: both ends are arrival
 * epochs of a stationary process, and throughput is the completions inside
 * it per unit time. Measuring on into the drain after the arrivals stop would
 * bias every time average by O(W / window) - small, but larger than a
 * control-variate interval. A finite workload from empty is measured to its
 * last completion: what it "saw" includes the drain, and its throughput is
 * the seeds' tasks / duration.
 */
static bool is_steady(const struct mmc_point *p)
{
    return p->warmup.kind != MMC_LIMIT_NONE || p->initial.kind == MMC_INITIAL_STATIONARY;
}

static void finish(struct state *st)
{
    struct mmc_run *out = st->out;
    bool steady = is_steady(st->p);
    double area_q = steady ? st->snap_q : st->area_q;
    double area_busy = steady ? st->snap_busy : st->area_busy;
    double t_close = steady ? st->t_last_arrival : st->now;
    uint64_t waiting_end = waiting(st, st->guard);
    out->n_in_system_end = waiting_end + (st->p->c - st->n_idle - st->n_off);
    out->t_end = st->now;
    out->t_window = t_close - st->t_window_start;
    double window = out->t_window > 0.0 ? out->t_window : NAN;
    double n = out->n_measured > 0 ? (double)out->n_measured : NAN;
    out->throughput = (steady ? (double)st->done_open : n) / window;
    /* per worker: busy time in the window per unit of window (they average to busy / c) */
    const double *wb = steady ? st->wclose : st->wbusy;
    out->worker_util_min = INFINITY;
    out->worker_util_max = 0.0;
    for (size_t w = 0; w < st->p->c; w++) {
        /* a service in progress at a window's end enters as a difference of event times; in a
           window far shorter than a service that difference is rounding: keep it in [0, 1] */
        double u = fmin(fmax(wb[w] / window, 0.0), 1.0);
        out->worker_util_min = u < out->worker_util_min ? u : out->worker_util_min;
        out->worker_util_max = u > out->worker_util_max ? u : out->worker_util_max;
    }
    if (isnan(window)) /* no window, no time averages */
        out->worker_util_min = out->worker_util_max = NAN;
    out->lq = area_q / window;
    out->busy = area_busy / window;
    out->l = (area_q + area_busy) / window;
    out->wq = st->sum_wq / n;
    out->w = st->sum_w / n;
    out->wait_left = st->sum_wait_left / n;
    /* control variates: sample means whose expectations are known (1/mu, 1/lambda) */
    out->svc_mean = st->sum_svc / n;
    out->gap_mean = (st->t_qa_last - st->t_qa_first) / (n - 1.0);
}

/* Batch j = snapshot j + 1 minus snapshot j; the last snapshots are the run's end. */
static void write_batches(struct state *st)
{
    size_t k = st->p->n_fine_batches;
    struct mmc_batch *t = st->tsnap, *a = st->asnap;
    t[k] = (struct mmc_batch){.n = st->out->n_measured,
                              .n_waited = st->out->n_waited,
                              .n_wait_gt = st->out->n_wait_gt,
                              .sum_wq = st->sum_wq,
                              .sum_w = st->sum_w,
                              .sum_svc = st->sum_svc};
    a[k] = (struct mmc_batch){.area_q = st->snap_q,
                              .area_busy = st->snap_busy,
                              .span = st->t_last_arrival,
                              .done = st->done_open};
    for (size_t j = 0; j < k; j++)
        st->out->batch[j] = (struct mmc_batch){
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

/* One pass over the sample path of (p, replication); series, if given, records sojourns. */
static void mmc_run(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                    struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct state st;
    state_init(&st, p, replication, out, hist);
    st.series = series;
    generate(&st);
    loop(&st);
    if (!out->cut_short) {
        finish(&st);
        if (st.tsnap != NULL)
            write_batches(&st);
    }
    state_fini(&st);
}

/*
 * Beyond M/M/c. Utilization and throughput are exact for any stable G/G/c
 * (rho and lambda). With Poisson arrivals and one worker, Pollaczek-Khinchine
 * is exact for the means: Wq = rho (1 + cs^2) / (2 (1 - rho)) / mu, and
 * P(wait) = rho by PASTA. Otherwise the Allen-Cunneen approximation scales
 * the M/M/c wait by (ca^2 + cs^2) / 2 and, for Poisson arrivals only, keeps
 * the Erlang C probability of waiting: good for moderate variability, off by tens of percent for
 * very bursty input, so it is flagged approx and judged loosely. An infinite variance (Pareto with
 * alpha <= 2) leaves no finite mean wait to compare. No percentiles beyond M/M/c.
 */
static int general_closed_form(const struct mmc_point *p, const struct mmc_erlang *e,
                               struct mmc_analytic *out)
{
    double nan = NAN, ca2 = p->arrival->scv, cs2 = p->service->scv;
    *out = (struct mmc_analytic){
        .stable = e->stable,
        .rho = e->rho,
        .util = e->stable ? e->rho : nan,
        .throughput = e->throughput,
        .lq = nan,
        .l = nan,
        .wq = nan,
        .w = nan,
        .t = nan,
        .p_wait = nan,
        .p0 = nan,
        .p_wait_gt = nan,
        .form = "none (infinite variance)",
    };
    for (int k = 0; k < MMC_N_PCT; k++)
        out->wq_pct[k] = out->t_pct[k] = nan;
    if (!e->stable || !isfinite(ca2) || !isfinite(cs2))
        return 0;
    if (p->arrival->kind == MMC_DIST_EXPONENTIAL && p->c == 1) {
        out->form = "M/G/1 P-K";
        out->wq = e->rho * (1.0 + cs2) / (2.0 * (1.0 - e->rho)) / p->mu;
        out->p_wait = e->rho;
        out->p0 = 1.0 - e->rho;
    } else {
        out->form = "G/G/c Allen-Cunneen";
        out->approx = true;
        out->wq = e->wq * (ca2 + cs2) / 2.0;
        /* Erlang C is a fair guess of P(wait) only when arrivals are Poisson */
        if (p->arrival->kind == MMC_DIST_EXPONENTIAL)
            out->p_wait = e->p_wait;
    }
    out->lq = p->lambda * out->wq;
    out->w = out->wq + 1.0 / p->mu;
    out->l = p->lambda * out->w;
    out->t = p->d + out->w;
    return 0;
}

/* The loss fractions of a point without protection: not applicable. */
static void no_losses(struct mmc_analytic *out)
{
    out->p_block = out->p_shed = out->p_throttle = out->p_abandon = NAN;
}

/* The closed form's name: which parts of M/M/c/K+M the point has. */
static const char *loss_form(bool has_k, bool has_patience)
{
    if (has_k && has_patience)
        return "M/M/c/K+M";
    return has_k ? "M/M/c/K" : "Erlang A (M/M/c+M)";
}

/*
 * Capacity, shedding and exponential patience with Poisson arrivals and
 * exponential services: the birth-death law of M/M/c/K+M (erlang.h). A shed
 * threshold q acts as a capacity c + q (shedding the newest, or the oldest:
 * the number in system moves alike), and the smaller of the two limits is
 * the one that turns tasks away. Dropping the oldest changes who waits, not
 * how many: the served tasks' mean wait has no closed form then, and every
 * arrival joins, so P(wait) counts the arrivals that find K. A throttle or a
 * non-exponential patience has no closed form here.
 */
static int protected_closed_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    const struct mmc_protection *pr = p->protect;
    bool exp_patience = !pr->patience || pr->patience_dist.shape.kind == MMC_DIST_EXPONENTIAL;
    if (p->arrival->kind != MMC_DIST_EXPONENTIAL || p->service->kind != MMC_DIST_EXPONENTIAL ||
        pr->throttle || !exp_patience)
        return -1;
    unsigned long k = pr->capacity > 0 ? (unsigned long)pr->capacity : 0;
    bool shed_binds = false;
    if (pr->shed && (k == 0 || p->c + (unsigned long)pr->shed_threshold < k)) {
        k = p->c + (unsigned long)pr->shed_threshold;
        shed_binds = true;
    }
    struct mmc_erlang_loss e;
    if (mmc_erlang_loss(p->lambda, p->mu, p->c, k, pr->patience ? pr->patience_rate : 0.0, p->d,
                        &e) != 0)
        return -1;
    *out = (struct mmc_analytic){
        .stable = e.stable,
        .rho = e.rho,
        .util = e.util,
        .throughput = e.throughput,
        .lq = e.lq,
        .l = e.l,
        .wq = e.wq,
        .w = e.w,
        .t = e.t,
        .p_wait = e.p_wait,
        .p0 = e.p0,
        .p_wait_gt = NAN,
        .form = loss_form(k > 0, pr->patience),
        .p_block = pr->capacity > 0 ? (shed_binds ? 0.0 : e.p_block) : NAN,
        .p_shed = pr->shed ? (shed_binds ? e.p_block : 0.0) : NAN,
        .p_throttle = NAN,
        .p_abandon = pr->patience ? e.p_abandon : NAN,
    };
    for (int j = 0; j < MMC_N_PCT; j++)
        out->wq_pct[j] = out->t_pct[j] = NAN;
    if (shed_binds && pr->drop == MMC_DROP_OLDEST) {
        out->wq = out->w = out->t = NAN;
        out->p_wait = e.p_wait * (1.0 - e.p_block) + e.p_block;
    }
    return 0;
}

/*
 * Arrival processes beyond renewal. A time-varying rate, a trace or a
 * staffing schedule has no steady state (the per-interval table compares
 * with the pointwise-stationary Erlang C instead). MMPP and batch arrivals
 * are stationary: utilization and throughput are exact (rho, lambda); with
 * Poisson batch epochs and one worker the M^X/G/1 mean wait is exact too:
 * Wq = lambda E[S^2] / (2 (1 - rho)) + (E[B^2] - E[B]) / (2 E[B]) E[S] / (1 - rho),
 * lambda the task rate (the first term is P-K; the second the wait behind
 * the rest of one's own batch, served in random order within it).
 */
/*
 * The pointwise-stationary approximation: each interval between rate and
 * staffing breakpoints as if M/M/c had settled at its mean rate and its
 * worker count. It fails where the load changes faster than the queue
 * relaxes (about 1 / (c mu (1 - rho)^2)), and where an interval is
 * overloaded (rho >= 1: INFINITY here, while the simulated queue is finite).
 */
static int pointwise_stationary(const struct mmc_point *p, struct mmc_analytic *out)
{
    const struct mmc_process *pr = p->process;
    const struct mmc_staffing *sf = p->staffing;
    *out = (struct mmc_analytic){.stable = true, .rho = p->load, .form = "pointwise-stationary"};
    double nan = NAN;
    out->util = out->throughput = out->lq = out->l = out->wq = out->w = out->t = nan;
    out->p_wait = out->p0 = out->p_wait_gt = nan;
    no_losses(out);
    for (int j = 0; j < MMC_N_PCT; j++)
        out->wq_pct[j] = out->t_pct[j] = nan;
    for (size_t i = 0; i < p->n_intervals; i++) {
        double t0 = p->t_interval[i] - p->d, t1 = p->t_interval[i + 1] - p->d;
        if (t0 < 0)
            t0 = 0;
        double lam = p->lambda;
        if (pr->kind == MMC_PROCESS_SCHEDULE)
            lam = isfinite(t1) && t1 > t0 ? mmc_schedule_integral(&pr->schedule, t0, t1) / (t1 - t0)
                                          : mmc_schedule_at(&pr->schedule, t0);
        double c = (double)p->c;
        if (sf->n > 0)
            c = sf->c[mmc_schedule_segment(&(struct mmc_schedule){sf->n, sf->t, sf->c, false}, t0)];
        struct mmc_erlang e;
        out->interval_lambda[i] = lam;
        out->interval_c[i] = c;
        out->interval_wq[i] = lam <= 0 ? 0.0 : INFINITY;
        if (lam > 0 && mmc_erlang_mmc(lam, p->mu, (unsigned long)c, 0.0, &e) == 0 && e.stable)
            out->interval_wq[i] = e.wq;
    }
    return 0;
}

static int process_closed_form(const struct mmc_point *p, const struct mmc_erlang *e,
                               struct mmc_analytic *out)
{
    const struct mmc_process *pr = p->process;
    bool exp_service = p->service->kind == MMC_DIST_EXPONENTIAL;
    if (p->n_intervals > 0 && exp_service && !mmc_protection_is_on(p->protect) &&
        (pr->kind == MMC_PROCESS_SCHEDULE || pr->kind == MMC_PROCESS_RENEWAL) && !pr->batched &&
        p->arrival->kind == MMC_DIST_EXPONENTIAL)
        return pointwise_stationary(p, out);
    if (pr->kind == MMC_PROCESS_SCHEDULE || pr->kind == MMC_PROCESS_TRACE || p->staffing->n > 0 ||
        mmc_protection_is_on(p->protect))
        return -1;
    general_closed_form(p, e, out); /* util and throughput; the rest is replaced */
    no_losses(out);
    out->lq = out->l = out->wq = out->w = out->t = out->p_wait = out->p0 = NAN;
    out->approx = false;
    out->form = pr->kind == MMC_PROCESS_MMPP ? "MMPP: utilization, throughput"
                                             : "batches: utilization, throughput";
    bool poisson_epochs =
        pr->kind == MMC_PROCESS_RENEWAL && p->arrival->kind == MMC_DIST_EXPONENTIAL;
    if (!e->stable || !pr->batched || !poisson_epochs || p->c != 1 || !isfinite(p->service->scv))
        return 0;
    double b1 = mmc_batch_size_mean(&pr->batch), b2 = mmc_batch_size_second_moment(&pr->batch);
    double es = 1.0 / p->mu, es2 = (1.0 + p->service->scv) * es * es, rho = e->rho;
    out->form = "M^X/G/1";
    out->wq = p->lambda * es2 / (2.0 * (1.0 - rho)) + (b2 - b1) / (2.0 * b1) * es / (1.0 - rho);
    out->lq = p->lambda * out->wq;
    out->w = out->wq + es;
    out->l = p->lambda * out->w;
    out->t = p->d + out->w;
    out->p0 = 1.0 - rho;
    return 0;
}

static int mmc_closed_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    struct mmc_erlang e;
    const struct mmc_process *pr = p->process;
    bool custom = pr->kind != MMC_PROCESS_RENEWAL || pr->batched || p->staffing->n > 0;
    if (mmc_protection_is_on(p->protect) && !custom)
        return protected_closed_form(p, out);
    if (mmc_erlang_mmc(p->lambda, p->mu, p->c, p->d, &e) != 0)
        return -1;
    if (custom)
        return process_closed_form(p, &e, out);
    if (p->arrival->kind != MMC_DIST_EXPONENTIAL || p->service->kind != MMC_DIST_EXPONENTIAL) {
        int rc = general_closed_form(p, &e, out);
        no_losses(out);
        return rc;
    }
    *out = (struct mmc_analytic){
        .stable = e.stable,
        .rho = e.rho,
        .util = e.stable ? e.rho : NAN,
        .throughput = e.throughput,
        .lq = e.lq,
        .l = e.l,
        .wq = e.wq,
        .w = e.w,
        .t = e.t,
        .p_wait = e.p_wait,
        .p0 = e.p0,
        .p_wait_gt = NAN,
        .form = "M/M/c",
    };
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        out->wq_pct[k] = mmc_erlang_wait_quantile(&e, level[k]);
        out->t_pct[k] = p->d + mmc_erlang_sojourn_quantile(&e, level[k]);
    }
    if (!isnan(p->wait_threshold))
        out->p_wait_gt = mmc_erlang_wait_tail(&e, p->wait_threshold);
    no_losses(out);
    return 0;
}

const struct mmc_model mmc_model_mmc = {
    .name = "mmc",
    .title = "M/M/c: one FCFS queue, c identical workers",
    .run = mmc_run,
    .closed_form = mmc_closed_form,
};
