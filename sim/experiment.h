/*
 * experiment.h - from a checked scenario to one summary per sweep point:
 * sweep expansion, replications on worker threads, aggregation, verdicts.
 *
 * Units of work are (point, replication) pairs, numbered point-major; each
 * writes its own run record and the records are merged in unit order, so
 * the summaries never depend on the number of threads or on scheduling.
 *
 * Ownership: an experiment owns its points, runs and summaries; it borrows
 * the scenario, which must outlive it. Thread-safety: mmc_experiment_run
 * starts and joins its own threads; the struct is not shared otherwise.
 */
#ifndef MMC_EXPERIMENT_H
#define MMC_EXPERIMENT_H

#include "error.h"
#include "model.h"
#include "scenario.h"
#include "stats.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Metrics compared with the closed form, in report order. */
enum mmc_metric {
    MMC_M_UTIL,
    MMC_M_THROUGHPUT,
    MMC_M_LQ,
    MMC_M_L,
    MMC_M_WQ,
    MMC_M_W,
    MMC_M_T,
    MMC_M_PWAIT,
    MMC_M_WQ_P50, /* percentiles of the wait, MMC_PCT_LEVELS order */
    MMC_M_WQ_P90,
    MMC_M_WQ_P95,
    MMC_M_WQ_P99,
    MMC_M_WQ_P999,
    MMC_M_T_P50, /* percentiles of the latency T = d + W */
    MMC_M_T_P90,
    MMC_M_T_P95,
    MMC_M_T_P99,
    MMC_M_T_P999,
    MMC_M_PWAIT_GT,   /* P(Wq > wait_threshold), when a threshold is given */
    MMC_M_P_BLOCK,    /* fractions of measured arrivals: blocked at capacity K, */
    MMC_M_P_SHED,     /* shed, */
    MMC_M_P_THROTTLE, /* refused a token, */
    MMC_M_P_ABANDON,  /* abandoned (each only where its mechanism is on) */
    MMC_M_CONFLICTS,  /* model place: failed commits per offered request */
    MMC_M_COUNT
};

/* Why a point stopped adding replications. */
enum mmc_stop_reason {
    MMC_STOP_FIXED,       /* no precision rule: the scenario's replications */
    MMC_STOP_PRECISION,   /* the precision target was reached */
    MMC_STOP_MAX_REPS,    /* max_replications reached first */
    MMC_STOP_MAX_TIME,    /* the wall-clock limit was reached first */
    MMC_STOP_INTERRUPTED, /* cancelled (SIGINT/SIGTERM): the replications that finished */
};

enum mmc_verdict_kind {
    MMC_VERDICT_AGREES,
    MMC_VERDICT_DIFFERS,
    MMC_VERDICT_TRANSIENT,      /* no warm-up: the closed form is only a reference */
    MMC_VERDICT_UNSTABLE,       /* rho >= 1: no steady state to compare with */
    MMC_VERDICT_NO_CI,          /* one replication: no interval to judge by */
    MMC_VERDICT_NO_DATA,        /* no task was measured */
    MMC_VERDICT_ANALYTIC,       /* closed form only, nothing simulated */
    MMC_VERDICT_NO_CLOSED_FORM, /* the model has no closed form for this point */
    MMC_VERDICT_APPROX_OFF,     /* exact figures agree; an approximation misses its tolerance */
    MMC_VERDICT_NOT_RUN,        /* interrupted before any replication of the point finished */
    MMC_VERDICT_TOO_SHORT,      /* a steady-state point too short to judge (warnings say why) */
    MMC_VERDICT_NO_COMPARISON,  /* no figure both has a closed form and varies between runs */
};

struct mmc_verdict {
    enum mmc_verdict_kind kind;
    enum mmc_metric worst;        /* metric farthest from its closed form, in CI units */
    double worst_ratio;           /* |sim - closed form| / allowed deviation (> 1: differs) */
    double worst_rel;             /* (sim - closed form) / closed form (NaN if that is 0) */
    double worst_z;               /* (sim - closed form) / standard error of the worst metric */
    int n_compared;               /* comparisons in the family (the whole run's) */
    enum mmc_metric approx_worst; /* APPROX_OFF: the approximation that missed most */
    double approx_rel;            /* and its (sim - approx) / approx */
};

/* Metrics that `compare` differences, in order. */
/*
 * A percentile's interval comes from the spread of per-replication
 * estimates; it is credible only when every replication saw at least this
 * many tasks beyond the level (n (1 - q)). Below that, the per-replication
 * estimates of a far quantile are few-sample order statistics of an
 * autocorrelated series, skewed and biased, and the interval is withheld
 * (the pooled estimate is still printed, and not judged).
 */
#define MMC_PCT_MIN_TAIL 100

/*
 * ... and the whole point's tail beyond the level (its tasks times 1 - q)
 * must hold at least this many autocorrelation times of T: values beyond a
 * far quantile come in clusters about that long (one long busy period), so
 * this counts the independent clusters the interval rests on. With fewer,
 * the estimate leans low (most runs see fewer long excursions than the
 * average, a few see many) and its interval misses low: p99.9 of M/M/1 at
 * rho 0.95 over 20 x 100000 tasks (about 1.3 such times) was 0.9 % low and
 * covered 0.90; p99 there (13) covered 0.965. Withheld like the above.
 */
#define MMC_PCT_MIN_TAIL_ACTS 10.0

/*
 * An approximate closed form (Allen-Cunneen for G/G/c) is judged against
 * this relative tolerance on top of the interval: "agrees" then means
 * "within 15 % of the approximation", a statement about the approximation
 * as much as the simulation. Exact forms are judged by the interval alone.
 */
#define MMC_APPROX_REL_TOL 0.15

/*
 * A steady-state window (first measured arrival to last arrival) shorter
 * than this many mean sojourns (or mean service times, if longer) holds
 * mostly edge: tasks that arrived in it finish after it, so its time
 * averages and throughput say little about the steady state (at the
 * extreme, no task completes inside it and throughput reads 0). Such a
 * point is reported with a warning and not judged (MMC_WARN_SHORT_WINDOW).
 */
#define MMC_MIN_WINDOW_SOJOURNS 10.0

/*
 * Why a steady-state point is too short to judge (struct mmc_summary
 * warnings, a bit each; the verdict is then MMC_VERDICT_TOO_SHORT):
 * - the window is under MMC_MIN_WINDOW_SOJOURNS mean sojourns;
 * - the bias a start that is not stationary likely left after the warm-up
 *   (about (act / n) e^(-warm-up / act) of the mean, act the autocorrelation
 *   time of T and n the tasks a replication measures) is more than
 *   MMC_MAX_BIAS_SHARE of T's relative half-width;
 * - a replication measured fewer than MMC_MIN_REP_ACTS autocorrelation
 *   times: its means are biased (ratio estimators, what is left of the
 *   start) by about act / n and skewed, and an interval over replications
 *   under-covers however many there are; likewise when warm-up pilots as
 *   long as a replication did not settle (see MMC_PILOT_ACTS: their
 *   autocorrelation time is then a lower bound).
 */
enum mmc_warning {
    MMC_WARN_SHORT_WINDOW = 1u << 0,
    MMC_WARN_SHORT_WARMUP = 1u << 1,
    MMC_WARN_SHORT_REPLICATIONS = 1u << 2,
};

#define MMC_MIN_REP_ACTS 50.0
#define MMC_MAX_BIAS_SHARE 0.1

/* Short names of the warnings in w, space-separated, into buf (empty when none). */
void mmc_warnings_format(unsigned w, char *buf, size_t size);

/* warmup: auto: pilot paths per point, each a fifth of the run length (see experiment.c). */
#define MMC_PILOTS 5

/*
 * warmup: auto cuts at least this many of the pilots' autocorrelation times
 * of T: a start far from steady state relaxes on about that time scale, and
 * after five of them what is left of an exponentially relaxing bias is
 * e^-5 < 1 % of it. MSER alone cut 70 tasks at rho 0.95 (one worker), where
 * the relaxation takes about 1500, and left a -0.4 % bias that more
 * replications only expose.
 */
#define MMC_WARMUP_ACTS 5.0

/*
 * The pilots are run longer until they cover this many autocorrelation times
 * (or the full run length): a quarter of a pilot is the batch its
 * autocorrelation is measured with, and batches of a few autocorrelation
 * times read it short. The test is on the pilots' own estimate, which a
 * short series understates: with 20, pilots of 20000 tasks at rho 0.95 (one
 * worker) stopped on an estimate of 500-800 tasks where the truth is about
 * 1500, and the warm-up floor built on it left a -0.13 % bias. At 100 the
 * batches hold 25 estimated autocorrelation times, and a series short
 * enough to fool the test is far shorter than the test asks.
 */
#define MMC_PILOT_ACTS 100.0

/*
 * With a precision target (stop.precision), the precision rule owns the
 * run length: after the pilots, a replication shorter than MMC_REP_ACTS
 * autocorrelation times, or whose start bias (see the warnings above) would
 * exceed MMC_MAX_BIAS_SHARE of the target half-width, is lengthened (at most
 * MMC_MAX_LENGTH_GROWTH times the scenario's stop). MMC_REP_ACTS is twice
 * MMC_MIN_REP_ACTS: the pilots' estimate is noisy, and a lengthened run
 * should not then be warned about.
 */
#define MMC_REP_ACTS 100.0
#define MMC_MAX_LENGTH_GROWTH 64.0

#define MMC_N_CMP 6
#define MMC_CMP_METRICS                                                                            \
    {                                                                                              \
        MMC_M_T, MMC_M_WQ, MMC_M_LQ, MMC_M_L, MMC_M_UTIL, MMC_M_T_P99                              \
    }

/* A paired comparison of this point with a reference point (same replications, CRN). */
struct mmc_diff {
    bool present;                    /* false for the reference itself, or compare: none */
    size_t ref;                      /* index of the point subtracted */
    struct mmc_ci d[MMC_N_CMP];      /* this - ref, paired by replication, 95 % */
    double unpaired_half[MMC_N_CMP]; /* the Welch half-width if the runs were independent */
};

struct mmc_summary {
    struct mmc_point point;
    bool has_analytic; /* the model has a closed form for this point */
    struct mmc_analytic an;
    bool simulated;
    size_t replications;
    uint64_t tasks;               /* measured tasks, summed over replications */
    uint64_t events;              /* events processed, summed over replications */
    struct mmc_ci m[MMC_M_COUNT]; /* simulated means with 95 % half-widths (percentiles:
                                     pooled over replications, half-width from their spread) */
    double z[MMC_M_COUNT];        /* (sim - closed form) / standard error; NaN if none */
    unsigned no_spread;           /* bit k: every run gave metric k the same value, and it is not
                                     the closed form's: no spread to judge by, left out of the family */
    enum mmc_stop_reason stop_reason;
    double precision_reached; /* relative half-width of the precision metric */
    struct mmc_ci mem_mean;   /* time-average memory, MB */
    double mem_peak;          /* largest memory seen in any replication, MB */
    uint64_t max_queue;       /* longest queue seen in any replication */
    uint64_t max_in_system;   /* most tasks in system (held ones included) in any replication */
    struct mmc_ci interval_wq[MMC_MAX_INTERVALS]; /* time-varying: mean wait of the tasks
                                                     arriving in each interval, over replications */
    /* overload protection: measured tasks by fate, summed over replications */
    uint64_t offered, blocked, shed, throttled, abandoned;
    double worker_util_min;   /* least busy worker's utilization, mean over replications */
    double worker_util_max;   /* most busy worker's, likewise (first idle worker serves) */
    size_t worker_util_n;     /* replications behind them (those with a window) */
    double worker_tasks_cv;   /* CV of measured tasks per worker, mean over replications */
    size_t worker_tasks_cv_n; /* replications behind it (those that measured a task) */
    uint64_t steals, steal_failed, first_worker; /* model steal: summed over replications */
    /* model place: conflicts, retries, failed requests (summed over replications); placements
       per worker (min, max, CV) and each resource's time-average use, means over the
       replications that have them; each resource's peak, the largest in any replication */
    uint64_t conflicts, retries, failed;
    double placed_min, placed_max, placed_cv;
    size_t placed_n;
    double res_util[MMC_PLACE_RESOURCES], res_peak[MMC_PLACE_RESOURCES];
    size_t res_n;
    /* sizes that vary, pooled over the replications: the mean free fraction of each resource
       when a measured request found no room (stranded), NaN if none did; the share of each
       resource's offered demand that was blocked (blocked_demand), NaN if none was offered */
    double stranded[MMC_PLACE_RESOURCES], blocked_demand[MMC_PLACE_RESOURCES];
    double free_sum[MMC_PLACE_RESOURCES], demand_offered[MMC_PLACE_RESOURCES],
        demand_blocked[MMC_PLACE_RESOURCES];
    uint64_t n_no_room;
    /* a finite workload from empty (mmc_point_finite), else NaN: first submission to last
       completion, s, and the measured tasks' work over it (sequential time over parallel
       time), each a mean over replications with its 95 % half-width */
    struct mmc_ci makespan, speedup;
    /* invariants */
    bool conserved; /* arrived == completed + rejected + lost + in system, every replication */
    uint64_t arrived, completed, rejected, lost, in_system_end;
    /* X = measured throughput; Little residuals are the worst replication's */
    double little_l;      /* (L - X W) / L */
    double little_lq;     /* (Lq - X Wq) / Lq */
    double util_residual; /* (util - X / (c mu)) / util, on the means */
    uint64_t work_violations;
    uint64_t inversions; /* priority inversions (struct mmc_run n_inversions), summed */
    int family;          /* comparisons in the run's verdict family (0: this row's) */
    struct mmc_verdict verdict;
    struct mmc_diff diff;
    unsigned pct_withheld;  /* bit k: intervals of percentile level k withheld (thin tail) */
    uint64_t min_rep_tasks; /* fewest measured tasks in one replication */
    double window_min;      /* shortest measurement window of a replication (batch means: the
                               run's), s */
    double act;             /* autocorrelation time of T, tasks: the warm-up pilots', else from
                               the replications (the batches); NaN if none */
    bool act_unsettled;     /* act is the pilots', which reached the run length unsettled
                               (point.pilot_short): a lower bound, and the point is warned */
    double warmup_tasks;    /* tasks cut from the start of each replication (a time warm-up:
                               its expected number); NaN for a stationary start */
    unsigned warnings;      /* enum mmc_warning bits: too short to judge, and why */
    bool cv_applied;        /* control variates adjusted m[0..MMC_M_PWAIT] */
    size_t batches;         /* batch-means: batches behind the intervals */
    double batch_lag1;      /* their lag-1 autocorrelation (of T) */
    double cv_reduction[MMC_M_PWAIT + 1]; /* 1 - var(adjusted) / var(plain) */
};

/*
 * The whole run as a progress display sees it. A run is rounds of units:
 * warm-up pilot paths (warmup: auto), then replications, then, with a
 * precision rule, as many further rounds as the rule asks for, each of a
 * size known only when it starts.
 */
struct mmc_progress {
    double elapsed_s;       /* since the run began */
    double round_elapsed_s; /* since the current round began */
    size_t round;           /* rounds begun, pilot rounds included (1-based) */
    bool pilots;            /* the current round runs warm-up pilot paths */
    bool last_round;        /* no round can follow this one (no precision rule) */
    size_t done, total;     /* units of the current round */
    size_t runs_done;       /* units finished in all rounds, this one included */
    size_t points_done;     /* points whose stop rule is met (after the last round ended) */
    size_t n_points;
    double target; /* the precision rule's relative half-width; 0 without one */
    double widest; /* the widest relative half-width of a point not done yet, after
                      the last replication round; NaN before one has ended */
};

struct mmc_experiment {
    const struct mmc_scenario *scenario; /* how to run and measure: variants[0] */
    const struct mmc_scenario *variants; /* every variant (one: the scenario itself) */
    size_t n_variants;
    const struct mmc_model *model;
    size_t n_points;
    struct mmc_point *points;
    struct mmc_summary *summaries;
    struct mmc_run **runs;       /* runs[i][r]: replication r of point i */
    size_t *n_runs;              /* replications run per point */
    struct mmc_run_hist *pooled; /* per point: every measured task of every replication */
    /* priority classes: every point's class rows, point by point (a point with classes has
       one per class, from class_first[i]; n_class_rows: 0 without classes), and per point its
       classes' pooled histograms */
    struct mmc_summary *class_rows;
    size_t *class_first;
    size_t n_class_rows;
    size_t max_classes; /* the most classes of any point */
    struct mmc_run_hist **pooled_cls;
    bool interrupted;             /* opt->cancel stopped the run: the results are partial */
    struct mmc_progress progress; /* where the run is (for opt->progress) */
};

/* Called on the calling thread about ten times a second while units run; p is valid during
 * the call only. */
typedef void mmc_progress_fn(void *ctx, const struct mmc_progress *p);

struct mmc_run_options {
    unsigned threads;          /* >= 1 */
    bool analytic_only;        /* closed forms only, no simulation */
    mmc_progress_fn *progress; /* may be NULL */
    void *progress_ctx;
    const atomic_int *cancel; /* may be NULL; nonzero: stop soon, keep what finished */
};

/*
 * Expand the scenario's sweep (arrival x service x network_delay x workers,
 * workers varying fastest). Returns 0, or -1 with err set (unknown model or
 * generator, a stationary start where a point has no steady state). The
 * experiment borrows s.
 */
int mmc_experiment_init(struct mmc_experiment *x, const struct mmc_scenario *s,
                        struct mmc_error *err);

/*
 * As mmc_experiment_init for the n_variants variants of one scenario file
 * (s[0 .. n_variants - 1], loaded with mmc_scenario_load_variant): their
 * points in order, run and measured as s[0] says (variants cannot change
 * that). Borrows the array.
 */
int mmc_experiment_init_variants(struct mmc_experiment *x, const struct mmc_scenario *s,
                                 size_t n_variants, struct mmc_error *err);

/* Free what the experiment owns. Safe on a zeroed struct. */
void mmc_experiment_fini(struct mmc_experiment *x);

/*
 * Run every unit and fill x->summaries. With a precision rule, replications
 * are added in rounds to the points whose interval is still too wide; each
 * round's decisions depend only on results, so the outcome is reproducible
 * (unless the wall-clock limit max_time cuts it short, which is reported).
 * When opt->cancel becomes nonzero, no new replication starts, running ones
 * stop within MMC_CANCEL_EVENTS events and are discarded, and the summaries
 * hold the replications that finished (x->interrupted; stop reason
 * interrupted; a point with none is not simulated, verdict not-run).
 */
void mmc_experiment_run(struct mmc_experiment *x, const struct mmc_run_options *opt);

/* Point i's class rows (NULL and *n = 0 when it has no classes). */
const struct mmc_summary *mmc_experiment_class_rows(const struct mmc_experiment *x, size_t i,
                                                    size_t *n);

/* (Re)compute sm->verdict from the summary's simulated and closed-form values. */
void mmc_summary_judge(struct mmc_summary *sm);

/* The mean sojourn that sm's window is judged short against (MMC_MIN_WINDOW_SOJOURNS): the
 * closed form's W where it has one, else the simulated W; at least 1 / mu. */
double mmc_summary_sojourn(const struct mmc_summary *sm);

/* True when sm has a "differs" verdict on a steady-state comparison. */
bool mmc_summary_differs(const struct mmc_summary *sm);

/* Short name of a metric as in CSV headers ("Lq", "P_wait", "T_p99", ...). */
const char *mmc_metric_name(enum mmc_metric m);

/* The closed-form value of metric m, NaN when there is none. */
double mmc_analytic_metric(const struct mmc_analytic *an, enum mmc_metric m);

/* Is an's value of metric m an approximation? (Utilization and throughput never are.) */
bool mmc_analytic_is_approx(const struct mmc_analytic *an, enum mmc_metric m);

#endif
