/*
 * kernel.h - what every model's run shares: the calendar (a heap of timed
 * events plus the register of the one pending arrival), the arrival side
 * (renewal draws, MMPP, batches, schedules, traces), the measurement (the
 * window, per-task records, histograms, time areas, batches, the MSER pilot
 * series, per-worker busy time), the counting half of overload protection
 * (the token bucket and its held tasks, rejections and losses, patience
 * draws), the run's end (finish, batches written) and cancellation.
 *
 * A model embeds a struct mmc_kernel in its run state and writes its own
 * loop: mmc_kernel_next_event, mmc_kernel_advance (with the model's own
 * counts of waiting and busy), a switch on event kinds that calls its
 * discipline's handlers, and mmc_kernel_tick. The hot helpers are static
 * inline, so each model's loop is specialised at compile time: no function
 * pointer per event, and a disabled feature costs a predicted branch at most.
 * The model decides where a task waits and which worker takes it; it tells
 * the kernel when a task starts service (mmc_kernel_serve) and the kernel
 * records it and schedules the departure.
 *
 * Clock. Everything at the queue happens d after its submission-side cause
 * (arrivals, and staffing breakpoints, which are given in submission time),
 * so the loop runs on the queue's clock minus d: a task reaches the queue at
 * "s", the queue's time 0 is -d. Waits, sojourns and areas are differences,
 * the same on either clock, but they keep their precision however large d
 * is (d only enters T = d + W, in the experiment). Only one arrival is
 * pending at a time (the next one is drawn when the current one lands): it
 * waits in a register beside the heap, so an arrival costs one comparison
 * instead of a push and a pop. The register's event takes its sequence
 * number from the heap's counter, so events leave in exactly the (time,
 * sequence) order they would leave a single heap in.
 *
 * Measurement. Tasks are numbered in submission order; the first measured
 * task is the first after the warm-up (by count, by submission time, or the
 * cut the experiment's pilot chose for warmup: auto) and its queue arrival
 * opens the window: that event has its own kind, which zeroes the time
 * averages, so the hot path has no warm-up test. The stop rule ends the
 * arrivals (a count of measured tasks, or a span of submission time after
 * the warm-up); the run then drains, so every measured task completes.
 *
 * Batches (method: batch-means). The measured tasks are cut into
 * n_fine_batches batches of m tasks. Cumulative totals are snapshotted twice
 * per boundary: the per-task sums when the boundary task starts service and
 * the time areas when it arrives (its arrival event has its own kind, set by
 * the generator through the same "next special task" compare as the stop
 * rule). A batch is the difference of consecutive snapshots.
 *
 * Everything here is owned by the run (mmc_kernel_init / mmc_kernel_fini);
 * the point, the record and the histograms are the caller's.
 */
#ifndef MMC_KERNEL_H
#define MMC_KERNEL_H

#include "bucket.h"
#include "fifo.h"
#include "heap.h"
#include "hist.h"
#include "model.h"
#include "mser.h"
#include "process.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Inlined everywhere, so a model's loop_with(st, true) and (st, false) become two loops. */
#define MMC_HOT static inline __attribute__((always_inline))

/*
 * Call fn(st, record, guard) with both flags as constants: a model's loop is
 * compiled four times, each without the branches its flags rule out (record:
 * a pilot's MSER series; guard: protection, shifts or traced services).
 */
#define MMC_LOOP_SPECIALISED(fn, st, record, guard)                                                \
    do {                                                                                           \
        if ((record) && (guard))                                                                   \
            fn(st, true, true);                                                                    \
        else if (record)                                                                           \
            fn(st, true, false);                                                                   \
        else if (guard)                                                                            \
            fn(st, false, true);                                                                   \
        else                                                                                       \
            fn(st, false, false);                                                                  \
    } while (0)

/* Queue-arrival time given to initial tasks: before any task can arrive. */
#define MMC_T_INITIAL (-INFINITY)

/* The kernel's event kinds; a model numbers its own from MMC_EV_MODEL. */
enum {
    MMC_EV_ARRIVE,
    MMC_EV_ARRIVE_FIRST_MEASURED,
    MMC_EV_ARRIVE_BATCH,
    MMC_EV_DEPART, /* arg: the worker */
    MMC_EV_ADMIT,  /* a throttled task gets its token */
    MMC_EV_ABANDON,
    MMC_EV_STAFF,
    MMC_EV_MODEL
};

struct mmc_kernel {
    const struct mmc_point *p;
    struct mmc_heap heap;
    gsl_rng *r_arrive, *r_service;
    double mean_gap, mean_service;
    double hold;           /* network_delay where: held: added to every service time (else 0) */
    double wait_threshold; /* the point's, kept beside the hot fields (NaN: not asked for) */
    bool intervals;        /* the point reports waits by arrival interval */
    double now;
    double area_q, area_busy; /* integrals of waiting and busy counts over the window */
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
    bool guard;              /* protection, staffing or traced services: the guarded loop runs */
    bool custom;             /* next_submission draws the gaps */
    struct mmc_mser *series; /* pilot only: sojourn times in arrival order */
    double *wbusy;           /* per worker: busy time since the window opened */
    uint64_t *wtasks;        /* per worker: measured tasks it served */
    double *wclose;          /* steady runs: wbusy within the window, fixed when it closes */
    uint64_t seq_open;       /* the heap's sequence number when the window opened */
    /* the arrival window: from the first measured arrival to the last arrival */
    uint64_t done_open;       /* completions while arrivals were still coming */
    double snap_q, snap_busy; /* the area integrals when the last arrival landed */
    double t_last_arrival;
    /* overload protection (guarded runs only) */
    uint64_t capacity;       /* K, or UINT64_MAX */
    uint64_t shed_threshold; /* or UINT64_MAX */
    struct mmc_bucket bucket;
    struct mmc_fifo held; /* throttle: arrival times of tasks waiting for a token, in order */
    gsl_rng *r_patience;
    double mean_patience;
    double sum_wait_left; /* waits of measured tasks that left unserved */
    /* arrival processes beyond renewal (cold path: custom) */
    struct mmc_mmpp_state mmpp; /* MMPP phase */
    double mmpp_scale;          /* its rates times this give the point's lambda */
    size_t trace_i;             /* next trace line */
    /* priority classes (sim/classes.h), or NULL; with preemption, per worker the sequence
       number of its live departure (an interrupted task's departure stays on the calendar,
       stale), else NULL */
    struct mmc_cls_run *cls;
    const uint64_t *wseq;
    const double *trace_svc; /* service: {dist: trace}: each line's service time, else NULL */
    double arrival_svc;      /* its value for the pending arrival */
    uint64_t batch_left;     /* tasks still to come at the current batch epoch */
};

/*
 * Set up replication rep of p: streams, calendar, measurement, protection
 * limits (guard: whether the guarded loop must run), and the first
 * submission. n_heap: the calendar's starting size. Staffing and the initial
 * backlog are the model's (they need its workers); the first arrival is
 * drawn by mmc_kernel_start, after them.
 */
void mmc_kernel_init(struct mmc_kernel *k, const struct mmc_point *p, uint64_t rep,
                     struct mmc_run *out, struct mmc_run_hist *hist, struct mmc_mser *series,
                     size_t n_heap);
/* The first submission after time 0, per process; the clock at the queue's time 0. */
void mmc_kernel_first_submission(struct mmc_kernel *k);
void mmc_kernel_fini(struct mmc_kernel *k);

/* Cold helpers of mmc_kernel_generate and the handlers (kernel.c). */
bool mmc_kernel_is_first_measured(const struct mmc_kernel *k, uint64_t n, double s);
void mmc_kernel_start_measuring(struct mmc_kernel *k, uint64_t n, double s);
uint32_t mmc_kernel_next_boundary(struct mmc_kernel *k);
double mmc_kernel_next_submission(struct mmc_kernel *k, double s);
void mmc_kernel_close_workers(struct mmc_kernel *k);
void mmc_kernel_snap_arrival(struct mmc_kernel *k, size_t j);
void mmc_kernel_snap_tasks(struct mmc_kernel *k);
void mmc_kernel_add_to_interval(struct mmc_kernel *k, double t_qa, double wait);

/* The arrival event of the task that opens the window: the time averages restart, with
 * `waiting` tasks waiting and `busy` workers busy. */
void mmc_kernel_open_window(struct mmc_kernel *k, uint64_t waiting, uint64_t busy);
/* Guarded runs: the peaks of waiting and in-system counts after a change. */
static inline void mmc_kernel_note_peaks(struct mmc_kernel *k, uint64_t waiting, uint64_t busy)
{
    uint64_t in_system = waiting + busy;
    if (waiting > k->out->max_queue)
        k->out->max_queue = waiting;
    if (in_system > k->out->max_in_system)
        k->out->max_in_system = in_system;
}
/* A measured task (queue arrival t_qa) turned away at the door: counted in *n; its hold (a
 * throttle's delay) joins the waits of the tasks that left unserved. */
void mmc_kernel_reject(struct mmc_kernel *k, double t_qa, uint64_t *n);
/* A task that waited since t_qa leaves unserved now: counted in *n. */
void mmc_kernel_lose(struct mmc_kernel *k, double t_qa, uint64_t *n);
/* Patience of a task queued now: the time its abandonment event is due. */
double mmc_kernel_patience_deadline(struct mmc_kernel *k);

/* What the token bucket did with an arriving task. */
enum mmc_gate { MMC_GATE_ADMIT, MMC_GATE_HELD, MMC_GATE_REFUSED };

/*
 * An arrival of a guarded run, before the model admits it: counted, then the
 * token bucket (if any). ADMIT: the model admits it now (*u: its service
 * time, NaN for a draw); HELD: it waits for a token in k->held (an
 * MMC_EV_ADMIT comes when it gets it; the model notes the peaks); REFUSED:
 * counted as throttled.
 */
enum mmc_gate mmc_kernel_arrive_guarded(struct mmc_kernel *k, double *u);

/* The run's end: means, window, per-worker utilization; then the batches, if any. The counts
 * are the model's at the end of the run. */
void mmc_kernel_finish(struct mmc_kernel *k, uint64_t waiting_end, uint64_t busy_end);

/* Schedule the queue arrival of the next task, unless the stop rule says the workload is over. */
static inline void mmc_kernel_generate(struct mmc_kernel *k)
{
    uint64_t n = k->k_next;
    double s = k->s_next;
    uint32_t kind = MMC_EV_ARRIVE;
    if (MMC_UNLIKELY(!k->measuring)) {
        /* the tasks of one batch arrive together: a warm-up never splits them (s_prev) */
        if (s != k->s_prev && mmc_kernel_is_first_measured(k, n, s)) {
            mmc_kernel_start_measuring(k, n, s);
            kind = MMC_EV_ARRIVE_FIRST_MEASURED;
        }
        k->s_prev = s;
    }
    if (MMC_UNLIKELY(n >= k->k_special) && n < k->k_stop)
        kind = mmc_kernel_next_boundary(k);
    if (n >= k->k_stop || s >= k->s_stop) {
        /* the workload is complete: close the arrival window (areas are current to now) */
        k->open = false;
        k->snap_q = k->area_q;
        k->snap_busy = k->area_busy;
        k->t_last_arrival = k->now;
        mmc_kernel_close_workers(k);
        return;
    }
    k->arrival = (struct mmc_event){s, k->heap.next_seq++, kind, 0};
    k->arrival_pending = true;
    k->k_next = n + 1;
    if (MMC_UNLIKELY(k->custom)) {
        if (k->trace_svc != NULL) /* s is line trace_i - 1's time */
            k->arrival_svc = k->trace_svc[k->trace_i - 1] + k->hold;
        k->s_next = mmc_kernel_next_submission(k, s);
    } else {
        k->s_next = s + mmc_dist_draw(k->p->arrival, k->mean_gap, k->r_arrive);
    }
}

/* The earliest of the pending arrival and the first heap event; false when both are gone. */
MMC_HOT bool mmc_kernel_next_event(struct mmc_kernel *k, struct mmc_event *ev)
{
    struct mmc_heap *h = &k->heap;
    if (k->arrival_pending &&
        (mmc_heap_is_empty(h) || mmc_event_before(&k->arrival, mmc_heap_peek(h)))) {
        *ev = k->arrival;
        k->arrival_pending = false; /* the arrival's handler draws the next one */
        return true;
    }
    if (mmc_heap_is_empty(h))
        return false;
    *ev = mmc_heap_pop(h);
    return true;
}

/* The clock moves to t: the time areas grow by the counts that held since the last event. */
MMC_HOT void mmc_kernel_advance(struct mmc_kernel *k, double t, double waiting, double busy)
{
    double dt = t - k->now;
    k->area_q += waiting * dt;
    k->area_busy += busy * dt;
    k->now = t;
}

/* After event number n_events: true when the run is cancelled (cut_short set). */
MMC_HOT bool mmc_kernel_cancelled(struct mmc_kernel *k, uint64_t n_events)
{
    if (MMC_UNLIKELY(n_events % MMC_CANCEL_EVENTS == 0) && k->p->cancel != NULL &&
        atomic_load_explicit(k->p->cancel, memory_order_relaxed) != 0) {
        k->out->cut_short = true;
        return true;
    }
    return false;
}

/*
 * A task that reached the queue at t_qa, waited wait seconds and was served
 * svc seconds by worker w: its statistics are final now (mmc_kernel_serve
 * calls it at service start, when they are known; a model that can interrupt
 * a service calls it at completion). With record (a pilot for warmup: auto),
 * the task's sojourn also joins the MSER series.
 */
MMC_HOT void mmc_kernel_measure(struct mmc_kernel *k, double t_qa, double wait, double svc,
                                uint32_t w, bool record)
{
    if (record && t_qa > MMC_T_INITIAL)
        mmc_mser_add(k->series, wait + svc);
    if (t_qa >= k->t_measure_from) {
        if (MMC_UNLIKELY(k->out->n_measured == k->n_task_cut))
            mmc_kernel_snap_tasks(k);
        k->out->n_measured++;
        k->out->n_waited += wait > 0.0;
        k->out->n_wait_gt += wait > k->wait_threshold; /* false for NaN */
        k->sum_wq += wait;
        k->sum_w += wait + svc;
        k->sum_svc += svc;
        k->t_qa_last = t_qa;
        k->wtasks[w]++;
        if (MMC_UNLIKELY(k->intervals))
            mmc_kernel_add_to_interval(k, t_qa, wait);
        mmc_hist_add(&k->hist->wait, wait);
        mmc_hist_add(&k->hist->sojourn, wait + svc);
    }
}

/*
 * Worker w takes the task that reached the queue at t_qa, for svc seconds;
 * its statistics are final now (mmc_kernel_measure). t_qa_last: the measured arrival
 * served last (FCFS: the latest; a model that serves out of arrival order
 * keeps the latest itself, as push does).
 */
MMC_HOT void mmc_kernel_serve(struct mmc_kernel *k, double t_qa, double svc, uint32_t w,
                              bool record)
{
    mmc_kernel_measure(k, t_qa, k->now - t_qa, svc, w, record);
    k->wbusy[w] += svc;
    mmc_heap_push(&k->heap, k->now + svc, MMC_EV_DEPART, w);
}

/* A service time drawn now: how long the worker holds the task (a held delay included). */
MMC_HOT double mmc_kernel_draw_service(struct mmc_kernel *k)
{
    return mmc_dist_draw(k->p->service, k->mean_service, k->r_service) + k->hold;
}

/* mmc_kernel_serve with a service time drawn now. */
MMC_HOT void mmc_kernel_start_service(struct mmc_kernel *k, double t_qa, uint32_t w, bool record)
{
    mmc_kernel_serve(k, t_qa, mmc_kernel_draw_service(k), w, record);
}

/* Guarded runs: the task's own service time u (from a trace), or a draw when u is NaN. */
static inline void mmc_kernel_serve_task(struct mmc_kernel *k, double t_qa, double u, uint32_t w,
                                         bool record)
{
    if (isnan(u))
        mmc_kernel_start_service(k, t_qa, w, record);
    else
        mmc_kernel_serve(k, t_qa, u, w, record);
}

/* mmc_kernel_serve_task for a model that serves out of arrival order (a queue per worker, a
 * deque): t_qa_last stays the latest measured arrival served, not the one served last. */
MMC_HOT void mmc_kernel_serve_unordered(struct mmc_kernel *k, double t_qa, double u, uint32_t w,
                                        bool record)
{
    double latest = k->t_qa_last;
    mmc_kernel_serve(k, t_qa, isnan(u) ? mmc_kernel_draw_service(k) : u, w, record);
    if (latest > k->t_qa_last)
        k->t_qa_last = latest;
}

/* A departure: counted (and within the arrival window while arrivals still come). */
MMC_HOT void mmc_kernel_depart(struct mmc_kernel *k)
{
    k->out->n_completed++;
    k->done_open += k->open;
}

#endif
