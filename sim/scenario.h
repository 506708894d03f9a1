/*
 * scenario.h - a scenario file (YAML, via libyaml) turned into a checked
 * plain struct, with command-line overrides (--set KEY=VALUE) applied first.
 *
 * Loading happens in three steps: the YAML document becomes a small node
 * tree that remembers every node's file, line and column; each override is
 * parsed as a YAML flow value and grafted into that tree at its dotted key;
 * the tree is then checked key by key into struct mmc_scenario. So a bad
 * value is reported at its true origin, "file:line:col" for the file and
 * "--set:N:col" for the N-th override, with one message format for both.
 *
 * Units: times in seconds, rates in tasks per second, memory in MB.
 * Ownership: a scenario owns its arrays; mmc_scenario_fini frees them.
 * Thread-safety: a loaded scenario is read-only and may be shared.
 */
#ifndef MMC_SCENARIO_H
#define MMC_SCENARIO_H

#include "dist.h"
#include "error.h"
#include "process.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A distribution as written: its unit-mean shape, and how the shape was
 * given (for printing it back). The mean comes from the rate axis, except
 * where the parameters fix it (probs and rates, min and max, or a samples
 * file without a rate): then the axis holds the one rate they imply.
 */
struct mmc_dist_spec {
    struct mmc_dist shape;
    const char *param;         /* the shape key given: NULL, "scv", "k", "shape", "probs",
                                  "min" (with max) or "file"; static string */
    double value;              /* its value, for scv, k and shape; for file, the samples' mean */
    double probs[2], rates[2]; /* hyperexponential given by probs and rates */
    double min, max;           /* uniform given by its range */
    char *file;                /* empirical: the samples file as written (owned) */
    double *samples;           /* empirical: the samples over their mean (owned) */
    bool fixed_mean;           /* the parameters fix the mean: no rate axis was given */
};

/* A sweep axis: one value or a list of values (n >= 1). */
struct mmc_axis {
    size_t n;
    double *v;
};

enum mmc_limit_kind {
    MMC_LIMIT_NONE,  /* only for warmup: nothing discarded */
    MMC_LIMIT_TASKS, /* a number of tasks (value is a whole number) */
    MMC_LIMIT_TIME,  /* simulated seconds */
    MMC_LIMIT_AUTO,  /* only for warmup: chosen per point by MSER-5 on pilot paths */
};

struct mmc_limit {
    enum mmc_limit_kind kind;
    double value;
};

/* How a run starts. */
enum mmc_initial_kind {
    MMC_INITIAL_EMPTY,      /* no task present (default) */
    MMC_INITIAL_IN_SYSTEM,  /* in_system tasks present at time 0 (a backlog) */
    MMC_INITIAL_STATIONARY, /* number present drawn from the closed-form stationary law */
};

struct mmc_initial {
    enum mmc_initial_kind kind;
    double in_system; /* whole number >= 0, for MMC_INITIAL_IN_SYSTEM */
};

/* Sequential stopping: add replications until the metric's interval is narrow enough. */
struct mmc_precision {
    double target;                  /* relative half-width (0 < target < 1); 0 = off */
    double confidence;              /* of that interval, 0 < c < 1, default 0.95 */
    char metric[16];                /* utilization, throughput, Lq, L, Wq, W, T or P_wait;
                                       default "T" */
    unsigned long max_replications; /* >= replications, default 1000 */
    double max_time;                /* wall-clock seconds > 0, 0 = no limit (default) */
};

enum mmc_method {
    MMC_METHOD_REPLICATIONS, /* independent replications (default) */
    MMC_METHOD_BATCH_MEANS,  /* one long run cut into batches */
};

/* Batch means records batches x this many fine batches of at least MMC_TASKS_PER_FINE_BATCH
 * tasks each: the loader refuses a stop with fewer tasks (experiment.c cuts the run so). */
#define MMC_FINE_PER_BATCH 8
#define MMC_TASKS_PER_FINE_BATCH 10

enum mmc_compare_kind {
    MMC_COMPARE_NONE,     /* default */
    MMC_COMPARE_ADJACENT, /* each sweep point minus the one before it */
    MMC_COMPARE_BASELINE, /* each sweep point minus the first */
};

/* What load shedding drops when the queue would exceed its threshold. */
enum mmc_drop {
    MMC_DROP_NEWEST, /* the arriving task */
    MMC_DROP_OLDEST, /* the task at the head of the queue; the arriving one joins */
};

/* What a token bucket does with a task that finds no token. */
enum mmc_excess {
    MMC_EXCESS_REJECT, /* turn it away */
    MMC_EXCESS_DELAY,  /* hold it until a token comes (FIFO); it counts as waiting */
};

/* Overload protection: every part is off unless its key is given. */
struct mmc_protection {
    double capacity;        /* K: most tasks in queue + in service (whole >= workers); 0: none */
    bool shed;              /* shed: drop when the queue would exceed shed_threshold */
    double shed_threshold;  /* tasks waiting, whole >= 0 */
    enum mmc_drop drop;     /* default newest */
    bool throttle;          /* throttle: a token bucket in front of the queue */
    double throttle_rate;   /* tokens per second > 0 */
    double throttle_burst;  /* bucket size, >= 1 (default 1); the bucket starts full */
    enum mmc_excess excess; /* default reject */
    bool patience;          /* patience: a waiting task leaves after its patience */
    struct mmc_dist_spec patience_dist; /* its shape, at mean 1 / patience_rate */
    double patience_rate;               /* 1 / mean patience, per second > 0 */
};

/* How tasks arrive, beyond a renewal process of arrival_dist. */
enum mmc_process_kind {
    MMC_PROCESS_RENEWAL,  /* gaps drawn from arrival_dist (default) */
    MMC_PROCESS_MMPP,     /* dist: mmpp: on/off bursts; rates scaled to the rate axis */
    MMC_PROCESS_SCHEDULE, /* schedule: a rate that varies in time (thinning) */
    MMC_PROCESS_TRACE,    /* trace: arrival times (and service times) from a file */
};

/* Most breakpoints in a rate or staffing schedule. */
#define MMC_MAX_BREAKPOINTS 1000

struct mmc_process {
    enum mmc_process_kind kind;
    struct mmc_mmpp mmpp;         /* MMPP: as written; the model scales the rates */
    struct mmc_schedule schedule; /* SCHEDULE: points into sched_t, sched_v */
    double *sched_t, *sched_v;    /* owned */
    struct mmc_trace trace;       /* TRACE: times (and services) as read, owned */
    char *trace_file;             /* as written, owned */
    double trace_scale;           /* load multiplier: times divided by it (default 1) */
    bool trace_service;           /* service: {dist: trace}: the trace's service times */
    bool batched;                 /* batch: tasks arrive in batches */
    struct mmc_batch_size batch;  /* batch sizes */
    const char *batch_param;      /* "size", "mean" or "sizes" (static), for printing */
    double batch_value;           /* size or mean as written */
    /* sizes: the probs as written, for printing */
    double batch_probs[MMC_BATCH_MAX_SIZES];
};

/* A worker count that varies in time: step schedule, breakpoints in s. */
struct mmc_staffing {
    size_t n;     /* 0: no staffing schedule */
    double *t;    /* t[0] = 0 < t[1] < ...; owned */
    double *c;    /* whole numbers >= 1 */
    double c_max; /* the most workers at once: the point's c */
};

/* How model: push assigns an arriving task to a worker's own queue (dispatch.policy). */
enum mmc_policy {
    MMC_POLICY_ROUND_ROBIN, /* workers 1, 2, ..., c, 1, ... (the default) */
    MMC_POLICY_RANDOM,      /* uniform, independent of state */
    MMC_POLICY_JSQ,         /* fewest tasks (waiting + in service); ties to the lowest index */
    MMC_POLICY_POWER_OF_D,  /* fewest tasks among d distinct sampled; ties to the first sampled */
    MMC_POLICY_LEAST_WORK,  /* least unfinished work; ties to the lowest index */
    MMC_POLICY_HASH         /* a key uniform in [0, keys), worker = hash(key) mod c */
};

/* The dispatch block (model: push only; refused elsewhere). d and keys hold their defaults
 * unless their policy is chosen: the loader refuses them with any other. */
struct mmc_dispatch {
    enum mmc_policy policy;
    unsigned long d;    /* power_of_d: workers sampled, 1 <= d <= every workers value, default 2 */
    unsigned long keys; /* hash: distinct keys, 1 to 1e9, default 1000 */
    double delay;       /* s >= 0, finite: from the dispatcher to the worker's queue, default 0 */
};

/* The pull block (model: pull only; refused elsewhere): an idle worker requests work from the
 * central queue. Times in s, each >= 0 and finite, default 0. */
struct mmc_pull {
    double rtt;           /* a request's trip to the queue and its reply's trip back */
    double poll_interval; /* after an empty reply, before the next request */
};

/* At most this many priority classes. */
#define MMC_MAX_CLASSES 16

/* What an arriving task of higher priority does to a lower one in service (preemption:). */
enum mmc_preemption {
    MMC_PREEMPT_NONE,  /* it waits for a worker to free up (the default) */
    MMC_PREEMPT_RESUME /* it interrupts the lowest-priority task in service, which later
                          continues where it stopped */
};

/* One priority class (classes: [...]): a share of the arrival stream, a priority, and
 * optionally its own service time. */
struct mmc_task_class {
    char name[32];
    double share;  /* fraction of arrivals, in (0, 1]; the classes' shares sum to 1 */
    double rate;   /* tasks/s as written (rate: key), else NaN: the class was given a share */
    long priority; /* >= 0; smaller is served first */
    bool has_service;
    struct mmc_dist_spec service_dist; /* its own service: shape */
    double service_rate;               /* and rate (tasks/s) */
};

/* The classes block: n == 0 without classes (one stream, FCFS). */
struct mmc_classes {
    size_t n;
    enum mmc_preemption preemption;
    struct mmc_task_class c[MMC_MAX_CLASSES];
};

/* Model steal: which worker's deque an arriving task joins (steal.arrive). */
enum mmc_steal_arrive {
    MMC_STEAL_ARRIVE_RANDOM,      /* uniform, independent of state (the default) */
    MMC_STEAL_ARRIVE_ROUND_ROBIN, /* workers 1, 2, ..., c, 1, ... */
};

/* Which end of its own deque a worker takes from (steal.order). */
enum mmc_steal_order {
    MMC_STEAL_ORDER_LIFO, /* the newest (the default, as work-stealing runtimes do) */
    MMC_STEAL_ORDER_FIFO, /* the oldest */
};

/* Whom a worker with an empty deque steals from (steal.victim); thieves take the oldest. */
enum mmc_steal_victim {
    MMC_STEAL_VICTIM_RANDOM,      /* a uniform other worker (the default) */
    MMC_STEAL_VICTIM_MOST_LOADED, /* the one with the most tasks in its deque, ties to the lowest
                                     index (at least 2 workers) */
    MMC_STEAL_VICTIM_NONE,        /* no stealing: c independent queues */
};

/* How much a successful steal takes (steal.amount). */
enum mmc_steal_amount {
    MMC_STEAL_AMOUNT_ONE,  /* the victim's oldest task (the default) */
    MMC_STEAL_AMOUNT_HALF, /* its ceil(n / 2) oldest, into the thief's deque */
};

/* The steal block (model: steal only; refused elsewhere). */
struct mmc_steal {
    enum mmc_steal_arrive arrive;
    enum mmc_steal_order order;
    enum mmc_steal_victim victim;
    enum mmc_steal_amount amount;
    double cost; /* s >= 0, finite: one steal attempt, successful or not (default 0) */
};

/* The names of the steal block's values as written in a scenario ("lifo", ...). */
const char *mmc_steal_arrive_name(enum mmc_steal_arrive a);
const char *mmc_steal_order_name(enum mmc_steal_order o);
const char *mmc_steal_victim_name(enum mmc_steal_victim v);
const char *mmc_steal_amount_name(enum mmc_steal_amount a);

/* Model place: the resources a worker has and a request asks for, in this order. */
#define MMC_PLACE_RESOURCES 3 /* cpu, mem_mb, gpu */

/* At most this many worker pools (worker_pools: [...]). */
#define MMC_PLACE_MAX_POOLS 16

/* How a scheduler thread chooses among the workers a request fits (placement.policy); "load"
 * of a worker is the largest fraction used over its resources. */
enum mmc_place_policy {
    MMC_PLACE_FIRST_FIT,    /* the lowest-numbered worker that fits */
    MMC_PLACE_BEST_FIT,     /* the most loaded after placing (least room left) */
    MMC_PLACE_LEAST_LOADED, /* the least loaded (most room) */
    MMC_PLACE_POWER_OF_TWO, /* two uniform workers that fit, the less loaded */
    MMC_PLACE_RANDOM,       /* a uniform worker among those that fit */
    MMC_PLACE_HASH,         /* the request's key names a worker; if it does not fit, fallback */
};

/* How concurrent threads commit (scheduler.concurrency). */
enum mmc_place_concurrency {
    MMC_PLACE_OPTIMISTIC, /* commit fails when the chosen worker changed since the read */
    MMC_PLACE_LOCKED,     /* a thread locks the worker it chose until it commits */
};

/* What a request that fits no worker does (scheduler.on_full). */
enum mmc_place_on_full {
    MMC_PLACE_WAIT,   /* parks until a container ends, then rejoins the pending queue */
    MMC_PLACE_REJECT, /* is blocked (counted in P_block) */
};

/* At most this many request sizes in a mix (request: [...]). */
#define MMC_PLACE_MAX_SIZES 16

/* One size of a request mix: its demands and the share of the requests that ask for it. */
struct mmc_place_size {
    double req[MMC_PLACE_RESOURCES];
    double share;
};

/* count workers with these capacities (0: the worker lacks the resource). */
struct mmc_place_pool {
    unsigned long count;
    double cap[MMC_PLACE_RESOURCES];
};

/* The model place blocks (worker_capacity or worker_pools, request, scheduler, placement);
 * refused with any other model. */
struct mmc_place {
    size_t n_pools;                                  /* 1 with worker_capacity */
    bool pools;                                      /* worker_pools given: N is their sum */
    struct mmc_place_pool pool[MMC_PLACE_MAX_POOLS]; /* worker_capacity: count 0, N = workers */
    double request[MMC_PLACE_RESOURCES];             /* > 0, or 0: not asked for; sizes that
                                                        vary: the mean demand */
    size_t n_sizes;                                  /* request: [...]: the mix's sizes, else 0 */
    struct mmc_place_size size[MMC_PLACE_MAX_SIZES];
    bool law[MMC_PLACE_RESOURCES];                    /* request: {r: {dist ...}}: r is drawn */
    struct mmc_dist_spec demand[MMC_PLACE_RESOURCES]; /* its law's shape (mean: request[r]) */
    double demand_max[MMC_PLACE_RESOURCES];           /* the largest demand (INFINITY: unbounded) */
    bool varying;                                     /* a mix or a law: no slots */
    bool forever;                                     /* service: {dist: forever}: no ends */
    unsigned long threads;                            /* scheduler threads k >= 1 (default 1) */
    struct mmc_dist_spec decision;                    /* a decision's shape */
    double decision_mean;                             /* s >= 0 (0: instantaneous) */
    struct mmc_dist_spec backoff;                     /* after a conflict: shape */
    double backoff_mean;                              /* s >= 0 (default 0) */
    enum mmc_place_concurrency concurrency;           /* default optimistic */
    unsigned long max_retries;                        /* retries after a conflict (default 3) */
    enum mmc_place_on_full on_full;                   /* default wait */
    enum mmc_place_policy policy, fallback;           /* default hash's fallback: least_loaded */
};

/* The names of the place block's values as written in a scenario ("first_fit", ...). */
const char *mmc_place_policy_name(enum mmc_place_policy p);
const char *mmc_place_resource_name(size_t r);

/* Slots of one worker of capacities cap for request req: the fewest requests over the resources
 * asked for (floor(cap / req), to within a relative 1e-12). */
unsigned long mmc_place_slots(const double cap[MMC_PLACE_RESOURCES],
                              const double req[MMC_PLACE_RESOURCES]);

/* Workers of the cluster with n workers (worker_capacity), or the pools' sum. */
unsigned long mmc_place_workers(const struct mmc_place *pl, unsigned long n);

/* Slots of the cluster with n workers: the sum of mmc_place_slots over its workers. */
double mmc_place_total_slots(const struct mmc_place *pl, unsigned long n);

/* The policy's name as written in a scenario ("round_robin", ...). */
const char *mmc_policy_name(enum mmc_policy p);

/* Is any part of pr on (capacity, shed, throttle or patience)? */
bool mmc_protection_is_on(const struct mmc_protection *pr);

/* At most this many variants in one scenario. */
#define MMC_MAX_VARIANTS 64

/* At most this many sweep points in one scenario (every variant's together), and so at most
 * this many values in any YAML list of a scenario. */
#define MMC_MAX_POINTS 10000

struct mmc_scenario {
    char file[256];    /* path it was loaded from ("" for a string) */
    char variant[64];  /* the variant's name ("" without variants) */
    size_t n_variants; /* variants in the file (0: none); this is one of them */
    char name[128];    /* default: file's base name without extension */
    char *description; /* default "" (never NULL once loaded) */
    char model[32];    /* "mmc", "push", "pull", "steal" or "place" */
    /* model: push's dispatcher (the defaults with any other model) */
    struct mmc_dispatch dispatch;
    struct mmc_pull pull;       /* model: pull's requests (zeros with any other model) */
    struct mmc_steal steal;     /* model: steal's deques and thieves (the defaults elsewhere) */
    struct mmc_place place;     /* model: place's cluster and scheduler (the defaults elsewhere) */
    struct mmc_classes classes; /* priority classes (n == 0: none) */
    struct mmc_dist_spec arrival_dist;
    struct mmc_process process; /* MMPP, schedule, trace, batches */
    struct mmc_staffing staffing;
    bool arrival_is_load;    /* arrival given as load: lambda = load * c * mu */
    struct mmc_axis arrival; /* rates (tasks/s) or loads (fraction of capacity) */
    struct mmc_dist_spec service_dist;
    struct mmc_axis service;        /* service rate per worker (tasks/s) */
    struct mmc_axis workers;        /* whole numbers >= 1 */
    struct mmc_axis network_delay;  /* seconds >= 0, default [0] */
    bool delay_held;                /* network_delay where: held (the worker holds it) */
    double mem_per_task;            /* MB >= 0, default 0 */
    struct mmc_limit stop;          /* per replication; default {tasks: 100000} */
    struct mmc_limit warmup;        /* default AUTO; NONE for `none` or 0 */
    unsigned long replications;     /* >= 1, default 10 (1 with batch-means) */
    struct mmc_initial initial;     /* default EMPTY */
    struct mmc_precision precision; /* from stop's precision keys; target 0 = off */
    enum mmc_method method;         /* default REPLICATIONS */
    unsigned long batches;          /* batch-means: 10 ... 1000, default 30 */
    enum mmc_compare_kind compare;  /* default NONE */
    bool control_variates;          /* default false */
    double wait_threshold;          /* s >= 0, for P(Wq > t); NaN when not given */
    struct mmc_protection protect;  /* capacity, shed, throttle, patience */
    uint64_t seed;                  /* default 1 */
    char rng[32];                   /* GSL generator name, default "taus2" */
};

/* One override from the command line: "KEY=VALUE". */
struct mmc_override {
    const char *text;
};

/*
 * Load and check the scenario at path, applying n_ov overrides in order.
 * Returns 0, or -1 with err set (file:line:col of the offending node, or
 * "--set" with line = override index (1-based) and col = column in the
 * argument). Keys that cannot go together (method: batch-means with
 * capacity, initial: stationary with a gamma law, ...) are refused at the
 * one read last: the file in order, then each override. On error *s holds
 * nothing that needs freeing. A file with variants loads as its first
 * variant (s->n_variants tells how many).
 */
int mmc_scenario_load(struct mmc_scenario *s, const char *path, const struct mmc_override *ov,
                      size_t n_ov, struct mmc_error *err);

/*
 * As mmc_scenario_load, as variant number `variant` (0-based, below the
 * file's n_variants): the base scenario, then the overrides, then the
 * variant's keys on top. Every variant is checked whole, so its errors
 * point into the variant's own lines (a mapping merged into the base's is
 * the variant's); an error the base alone does not have ends with
 * ` (variant "NAME")`.
 */
int mmc_scenario_load_variant(struct mmc_scenario *s, const char *path,
                              const struct mmc_override *ov, size_t n_ov, size_t variant,
                              struct mmc_error *err);

/* As mmc_scenario_load_variant, from a string in memory; name_for_errors is used as the file.
 * Variant 0 of a string without variants is the whole scenario. */
int mmc_scenario_load_string(struct mmc_scenario *s, const char *yaml, size_t len,
                             const char *name_for_errors, const struct mmc_override *ov,
                             size_t n_ov, size_t variant, struct mmc_error *err);

/* Free what the scenario owns. Safe on a zeroed struct. */
void mmc_scenario_fini(struct mmc_scenario *s);

/*
 * Write the resolved scenario (every key, defaults filled in, full
 * round-trip precision) as YAML to f. The text is canonical: two scenarios
 * that resolve to the same values print identically, so it can be hashed
 * for provenance. Returns 0, or -1 on a write error.
 */
int mmc_scenario_print(const struct mmc_scenario *s, FILE *f);

#endif
