/*
 * model.h - what a queueing model provides, and the records that flow
 * between the experiment runner and a model.
 *
 * A (point, replication) pair is the unit of work: the model reads the
 * point (const), draws from streams derived from (seed, replication,
 * purpose), and writes one struct mmc_run. It shares nothing mutable, so
 * units run on any thread in any order and merge in a fixed order.
 *
 * A model owns its event loop (no function pointer per event) and, where
 * one exists, its closed form. Adding a model is one file in models/ and
 * one line in models/registry.c.
 */
#ifndef MMC_MODEL_H
#define MMC_MODEL_H

#include "hist.h"
#include "mser.h"
#include "scenario.h"

/* Most intervals of a time-varying run reported separately (rate and staffing breakpoints). */
#define MMC_MAX_INTERVALS 64

/* Percentile levels reported for Wq and T. */
#define MMC_N_PCT 5
#define MMC_PCT_LEVELS                                                                             \
    {                                                                                              \
        0.50, 0.90, 0.95, 0.99, 0.999                                                              \
    }

#include <gsl/gsl_rng.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Additive totals of one batch of a long run (method: batch-means): tasks
 * n[0] ... n[m-1] of the batch by arrival order for the per-task sums, and
 * the time from the arrival of its first task to the arrival of the next
 * batch's first task (the last batch: to the last arrival) for the areas.
 * Adjacent batches merge by adding fields.
 */
struct mmc_batch {
    uint64_t n, n_waited, n_wait_gt, done;
    double sum_wq, sum_w, sum_svc, area_q, area_busy, span;
};

/* One fully resolved parameter set of a sweep. */
struct mmc_point {
    size_t index;                         /* position in the sweep, 0-based */
    const struct mmc_model *model;        /* the variant's model */
    const char *variant;                  /* the scenario variant's name ("" without variants) */
    const struct mmc_protection *protect; /* overload protection (capacity, shed, ...) */
    const struct mmc_process *process;    /* MMPP, schedule, trace, batches (the scenario's) */
    const struct mmc_staffing *staffing;  /* worker schedule; n == 0: c workers throughout */
    const struct mmc_dispatch *dispatch;  /* model: push's dispatcher (the scenario's) */
    const struct mmc_pull *pull;          /* model: pull's requests (the scenario's) */
    const struct mmc_steal *steal;        /* model: steal's deques and thieves (the scenario's) */
    const struct mmc_place *place;   /* model: place's cluster and scheduler (the scenario's), else
                                        NULL; the queue is the scheduler's: c is its threads, mu
                                        1 / E[decision] (INFINITY: instantaneous), service the
                                        decision's shape */
    unsigned long place_workers;     /* model place: N, the cluster's workers (else 0) */
    double place_slots;              /* and its slots: requests it holds at once */
    double place_lifetime;           /* a container's mean lifetime, s (the service axis) */
    const struct mmc_dist *lifetime; /* its unit-mean shape (the scenario's service) */
    const struct mmc_classes *classes;  /* priority classes (the scenario's; n == 0: none) */
    double class_mean[MMC_MAX_CLASSES]; /* each class's mean service time, s (its own, or
                                           the point's 1 / mu) */
    size_t class_index; /* a class's row: 1 + the class's index (its lambda, mu, service and
                           load are the class's); 0: the point, every task */
    size_t n_intervals; /* time-varying: intervals [t_interval[i], [i + 1]) */
    double t_interval[MMC_MAX_INTERVALS + 1]; /* by queue arrival; the last ends at infinity */
    double lambda;                  /* arrival rate, tasks/s (resolved from load if given so) */
    double load;                    /* lambda / (c mu): offered load per worker */
    double mu;                      /* service rate per worker, tasks/s */
    unsigned long c;                /* workers */
    double d;                       /* network delay, s */
    double hold;                    /* network_delay where: held: d, else 0: the worker holds
                                       each task for hold + its service time */
    double dispatch_delay;          /* model: push: dispatcher to worker, s (else 0) */
    double mem_per_task;            /* MB */
    const struct mmc_dist *arrival; /* unit-mean shapes (the scenario's): gaps have mean */
    const struct mmc_dist *service; /* 1 / lambda, services 1 / mu */
    struct mmc_limit stop;          /* counted after the warm-up */
    struct mmc_limit warmup;
    uint64_t warmup_cut;  /* warmup: auto: tasks to discard, chosen by the experiment's pilot */
    uint64_t pilot_tasks; /* warmup: auto: tasks per pilot path that MSER searched */
    uint64_t mser_cut;    /* warmup: auto: MSER's own cut, before the autocorrelation floor */
    double pilot_act;     /* warmup: auto: the pilots' autocorrelation time of T, tasks */
    bool pilot_short;     /* warmup: auto: the pilots reached the run length before they
                             covered MMC_PILOT_ACTS of their autocorrelation times (or past
                             four warm-ups): pilot_act is then a lower bound */
    double stop_asked;    /* the scenario's stop.value when the precision rule lengthened the
                             replications (stop.value is then the length used), else 0 */
    struct mmc_initial initial;
    double wait_threshold; /* s, for P(Wq > t); NaN: not asked for */
    bool control_variates; /* adjust means by the service and arrival controls */
    size_t n_fine_batches; /* batch-means: batches recorded per run (0: not batching) */
    uint64_t seed;
    const gsl_rng_type *rng_type;
    const atomic_int *cancel; /* NULL, or nonzero when the run should stop (SIGINT): the model
                                 checks it every MMC_CANCEL_EVENTS events and sets cut_short */
};

/* The point's priority classes (0: none, one FCFS stream). */
static inline size_t mmc_point_classes(const struct mmc_point *p)
{
    return p->classes != NULL ? p->classes->n : 0;
}

/* A steady-state point (a warm-up, or the stationary law at the start): its run is measured
 * over the arrival window, first measured arrival to last arrival; any other is a finite
 * workload, measured to its last completion (see mmc_kernel_finish). */
static inline bool mmc_point_steady(const struct mmc_point *p)
{
    return p->warmup.kind != MMC_LIMIT_NONE || p->initial.kind == MMC_INITIAL_STATIONARY;
}

/* Tasks of an initial backlog {in_system: N} (0 for any other start). */
static inline uint64_t mmc_point_backlog(const struct mmc_point *p)
{
    return p->initial.kind == MMC_INITIAL_IN_SYSTEM ? (uint64_t)p->initial.in_system : 0;
}

/*
 * A finite workload from empty: no warm-up, not a stationary start, no initial backlog. Such
 * a run is measured to its last completion, and it has a makespan (first submission to last
 * completion) and a speedup (its measured tasks' work over the makespan).
 */
static inline bool mmc_point_finite(const struct mmc_point *p)
{
    return p->warmup.kind == MMC_LIMIT_NONE && p->initial.kind == MMC_INITIAL_EMPTY;
}

/* Network delay crossed before the queue (0 when the worker holds it instead). */
static inline double mmc_point_queue_delay(const struct mmc_point *p)
{
    return p->hold > 0.0 ? 0.0 : p->d;
}

/* What lies between a task's submission and its queue: T = this + W. */
static inline double mmc_point_transit(const struct mmc_point *p)
{
    return mmc_point_queue_delay(p) + p->dispatch_delay;
}

/* The rate at which a busy worker releases tasks: mu, or 1 / (hold + 1/mu) when it holds the
 * network delay too (written so that hold = 0 gives mu exactly). */
static inline double mmc_point_hold_rate(const struct mmc_point *p)
{
    return p->hold > 0.0 ? p->mu / (1.0 + p->mu * p->hold) : p->mu; /* mu may be infinite */
}

/*
 * A point whose workers hold the network delay, as the same point with a
 * service time of hold + S and no delay: its closed forms are those of that
 * service (mean hold + 1/mu, SCV scv(S) / (1 + mu hold)^2; no longer
 * exponential, so only the forms for general service apply). Returns p itself
 * when nothing is held, else q, built in the caller's q and svc.
 */
static inline const struct mmc_point *mmc_point_unhold(const struct mmc_point *p,
                                                       struct mmc_point *q, struct mmc_dist *svc)
{
    if (!(p->hold > 0.0))
        return p;
    double f = 1.0 + p->mu * p->hold;
    *q = *p;
    *svc = *p->service;
    svc->scv = p->service->scv / (f * f);
    svc->kind = svc->scv == 0.0 ? MMC_DIST_DETERMINISTIC : MMC_DIST_GAMMA; /* a label: forms
                                                                          read mean and SCV */
    q->service = svc;
    q->mu = mmc_point_hold_rate(p);
    q->hold = 0.0;
    q->d = 0.0;
    q->load = p->lambda / ((double)p->c * q->mu);
    return q;
}

/* How often (in events) a model looks at point->cancel: about a millisecond of simulation. */
#define MMC_CANCEL_EVENTS 65536

/*
 * What one replication of one point saw. Per-task means are over the
 * measured tasks (those after the warm-up), all of which complete: the run
 * drains. The window for time averages and throughput opens at the first
 * measured arrival and closes, in a steady-state run (a warm-up or a
 * stationary start), at the last arrival; in a finite workload from empty,
 * at the last completion.
 */
struct mmc_run {
    uint64_t n_arrived;       /* tasks that reached the queue, warm-up included */
    uint64_t n_completed;     /* tasks that finished, warm-up included */
    uint64_t n_in_system_end; /* counted from the queue and workers at the end */
    uint64_t n_measured;      /* tasks in the per-task statistics */
    uint64_t n_waited;        /* measured tasks that found every worker busy */
    uint64_t n_wait_gt;       /* measured tasks that waited longer than wait_threshold */
    uint64_t n_initial;       /* tasks present at time 0 */
    uint64_t n_events;        /* events processed */
    uint64_t work_violations; /* events after which a task waited while a worker idled */
    uint64_t n_inversions;    /* classes: measured tasks that started service while a task of
                                 strictly higher priority waited in the same queue */
    uint64_t max_in_system;   /* peak tasks in system inside the window */
    uint64_t max_queue;       /* peak tasks waiting inside the window */
    /* overload protection: measured tasks (arrived in the window) by fate */
    uint64_t n_offered; /* measured arrivals, whatever became of them (guarded runs) */
    uint64_t n_blocked; /* turned away: capacity K reached */
    uint64_t n_shed;    /* dropped by load shedding (newest: at arrival; oldest: from the queue) */
    uint64_t n_throttled; /* refused a token (throttle excess: reject) */
    uint64_t n_abandoned; /* left the queue when their patience ran out */
    uint64_t n_rejected;  /* every task turned away at arrival, warm-up included */
    uint64_t n_lost;      /* every task that left the queue unserved, warm-up included */
    double wait_left;     /* waits of measured tasks that left unserved, per served task, s
                             (Lq = X (wq + wait_left) by Little's law) */
    uint64_t interval_n[MMC_MAX_INTERVALS]; /* served tasks by the interval of their arrival */
    double interval_wq[MMC_MAX_INTERVALS];  /* and the sum of their waits, s */
    double t_window;                        /* window length, s */
    double throughput;                      /* completions per second in the window */
    double worker_util_min; /* least and most busy worker: measured service per window */
    double worker_util_max;
    double worker_tasks_cv; /* coefficient of variation of measured tasks served per worker */
    /* model steal, from the window's opening to the run's end (else 0) */
    uint64_t n_steals;       /* successful steals (one or more tasks taken at once) */
    uint64_t n_steal_failed; /* attempts that found the victim's deque empty */
    uint64_t n_first_worker; /* measured tasks served by the worker whose deque they joined */
    /* model place: measured requests' conflicts, retries and failures (max_retries exceeded);
       placements per worker from the window's opening to the run's end (min, max, CV);
       cluster-wide use of each resource over the window (time average, peak), NaN for a
       resource no worker has */
    uint64_t n_conflicts, n_retries, n_failed;
    double placed_min, placed_max, placed_cv;
    double res_util[MMC_PLACE_RESOURCES], res_peak[MMC_PLACE_RESOURCES];
    /* model place, sizes that vary: at each measured request that found no room (blocked or
       parked), the cluster's free fraction of each resource, summed, and their number; each
       resource's demand of the measured requests offered and of those blocked */
    double free_sum[MMC_PLACE_RESOURCES];
    uint64_t n_no_room;
    double demand_offered[MMC_PLACE_RESOURCES], demand_blocked[MMC_PLACE_RESOURCES];
    double t_end;             /* time of the last completion, s (the loop's clock: the queue's
                                 minus d, so a task's queue arrival reads its submission) */
    double makespan;          /* finite workload from empty (mmc_point_finite): its first
                                 submission to its last completion, s (d included); else NaN */
    double work;              /* the measured tasks' service times summed, a held delay
                                 excluded (what one worker would take back to back), s */
    double lq, l, busy;       /* time averages: waiting, in system, busy workers */
    double wq, w;             /* mean wait and time in system of measured tasks, s */
    double svc_mean;          /* mean service time of measured tasks (E = 1/mu), s */
    double gap_mean;          /* mean gap between their arrivals (E = 1/lambda), s */
    double wq_pct[MMC_N_PCT]; /* percentiles of the wait (MMC_PCT_LEVELS), s */
    double w_pct[MMC_N_PCT];  /* percentiles of the time in system, s */
    struct mmc_batch *batch;  /* caller storage for n_fine_batches batches, or NULL; kept
                                 by the model across the reset of the other fields */
    struct mmc_run *cls;      /* with classes: caller storage for one record per class (kept
                                 likewise), else NULL */
    struct mmc_hist_span wait_span, sojourn_span; /* set by the runner when the run finished:
                                                     its distributions (owned; the experiment
                                                     frees them) */
    bool cut_short; /* stopped by point->cancel: the rest of the record is not valid */
    bool finished;  /* set by the runner: the run completed and was merged */
};

/* Distributions of one run's measured tasks, in caller storage (about 82 KB). */
struct mmc_run_hist {
    struct mmc_hist wait, sojourn;
    struct mmc_run_hist *cls; /* with classes: one per class, the caller's (reset), else NULL */
};

/* Closed-form steady state of a point (when the model has one). */
struct mmc_analytic {
    bool stable; /* false: no steady state; only rho is meaningful */
    double rho;  /* offered load lambda / (c mu) */
    double util, throughput, lq, l, wq, w, t, p_wait, p0;
    double wq_pct[MMC_N_PCT], t_pct[MMC_N_PCT]; /* closed-form percentiles, s */
    double p_wait_gt;                           /* P(Wq > wait_threshold) */
    /* overload protection: fractions of arrivals blocked, shed, refused a token, abandoning
       (NaN where the point has no such mechanism or no closed form for it) */
    double p_block, p_shed, p_throttle, p_abandon;
    /* model place: failed commits per offered request, always an approximation (mean field);
       only where has_conflicts (a zeroed record offers none) */
    bool has_conflicts;
    double conflicts;
    /* time-varying points: the pointwise-stationary Erlang C per interval (p->t_interval) */
    double interval_lambda[MMC_MAX_INTERVALS]; /* mean arrival rate over the interval */
    double interval_c[MMC_MAX_INTERVALS];      /* workers at its start */
    double interval_wq[MMC_MAX_INTERVALS];     /* M/M/c Wq at those; INFINITY: overloaded */
    const char *form;  /* which closed form: "M/M/c", "M/G/1 P-K", "G/G/c Allen-Cunneen" */
    bool approx;       /* lq, l, wq, w, t and p_wait are approximations (util and throughput
                          stay exact); judged with MMC_APPROX_REL_TOL, never as exact */
    bool approx_rates; /* with approx: util and throughput are approximations too */
};

struct mmc_model {
    const char *name;     /* as in the scenario's model key */
    const char *title;    /* one line for reports */
    bool work_conserving; /* no task waits while a worker idles (checked as an invariant) */
    bool dispatches;      /* a dispatcher assigns tasks by p->dispatch->policy */
    bool steals;          /* idle workers steal: the record's steal counters are its own */
    /* Simulate one replication of p, adding each measured task to hist (which the
       caller has reset). With series (a pilot for warmup: auto; p has no warm-up),
       also append every task's time in system to series, in the order of service
       start. warmup: auto in p means: discard the first p->warmup_cut tasks. Never
       fails for a checked point. */
    void (*run)(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                struct mmc_run_hist *hist, struct mmc_mser *series);
    /* Closed form of p: 0 when the model has one for p (out filled), -1 when not. */
    int (*closed_form)(const struct mmc_point *p, struct mmc_analytic *out);
    /* Closed form of class k of p (a point with classes), as closed_form; NULL: none. */
    int (*class_form)(const struct mmc_point *p, size_t k, struct mmc_analytic *out);
};

/* The model called name, or NULL. */
const struct mmc_model *mmc_model_find(const char *name);

#endif
