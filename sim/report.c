/*
 * report.c - table, CSV and JSON writers.
 *
 * CSV and JSON share one list of named cells per sweep point (row_cells),
 * so the two formats cannot drift apart: a JSON point is an object with
 * exactly the CSV columns as keys. A cell is empty when it has no value (a
 * number that is NaN, a word that is ""): CSV writes nothing, JSON writes
 * null. So a JSON column is typed whatever the run: a number column holds
 * numbers or null, a word column strings or null, never "" in place of a
 * count (tests/json_schema.py checks every shipped scenario against one
 * schema). The table is written separately because it rounds, aligns and
 * converts times to its display unit.
 */
#include "report.h"

#include "fmt.h"
#include "table.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS 256

enum cell_type { CELL_NUM, CELL_INT, CELL_STR };

struct cell {
    const char *name;
    enum cell_type type;
    double num;
    unsigned long long n;
    const char *str;
};

int mmc_format_parse(const char *name, enum mmc_format *out)
{
    static const char *const names[] = {"table", "csv", "json"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum mmc_format)i;
            return 0;
        }
    return -1;
}

const char *mmc_verdict_token(enum mmc_verdict_kind kind)
{
    switch (kind) {
    case MMC_VERDICT_AGREES:
        return "agrees";
    case MMC_VERDICT_DIFFERS:
        return "differs";
    case MMC_VERDICT_TRANSIENT:
        return "transient";
    case MMC_VERDICT_UNSTABLE:
        return "unstable";
    case MMC_VERDICT_NO_CI:
        return "no-ci";
    case MMC_VERDICT_NO_DATA:
        return "no-data";
    case MMC_VERDICT_NO_CLOSED_FORM:
        return "no-closed-form";
    case MMC_VERDICT_APPROX_OFF:
        return "approx-off";
    case MMC_VERDICT_NOT_RUN:
        return "not-run";
    case MMC_VERDICT_TOO_SHORT:
        return "too-short";
    case MMC_VERDICT_NO_COMPARISON:
        return "no-comparison";
    default:
        return "analytic-only";
    }
}

/* The first reason a point is too short to judge, in words. */
static void too_short_detail(const struct mmc_summary *sm, char *buf, size_t size)
{
    if (sm->warnings & MMC_WARN_SHORT_WINDOW)
        snprintf(buf, size, "no verdict: window %.3g s < %g mean sojourns", sm->window_min,
                 MMC_MIN_WINDOW_SOJOURNS);
    else if (sm->warnings & MMC_WARN_SHORT_WARMUP)
        snprintf(buf, size, "no verdict: the warm-up (%.0f tasks) likely left a bias",
                 sm->warmup_tasks);
    else if (sm->act_unsettled)
        snprintf(buf, size,
                 "no verdict: replications of %.0f tasks too short to measure their "
                 "autocorrelation time (at least %.0f)",
                 (double)sm->tasks / (double)sm->replications, sm->act);
    else
        snprintf(buf, size,
                 "no verdict: replications of %.0f tasks < %g autocorrelation times of %.0f",
                 (double)sm->tasks / (double)sm->replications, MMC_MIN_REP_ACTS, sm->act);
}

void mmc_verdict_format(const struct mmc_summary *sm, char *buf, size_t size)
{
    const struct mmc_verdict *v = &sm->verdict;
    const char *m = mmc_metric_name(v->worst);
    switch (v->kind) {
    case MMC_VERDICT_AGREES:
        if (v->worst_ratio > 0.0)
            snprintf(buf, size, "agrees (closest call of %d: %s, z = %+.2f)", v->n_compared, m,
                     v->worst_z);
        else
            snprintf(buf, size, "agrees (every figure compared equals its closed form)");
        break;
    case MMC_VERDICT_DIFFERS:
        snprintf(buf, size, "differs: %s %+.2f%%, z = %+.2f (%.1fx the family-wise limit)", m,
                 100.0 * v->worst_rel, v->worst_z, v->worst_ratio);
        break;
    case MMC_VERDICT_TRANSIENT:
        snprintf(buf, size, "transient, steady-state reference shown");
        break;
    case MMC_VERDICT_UNSTABLE:
        snprintf(buf, size, "unstable: rho = %.4g >= 1, no steady state", sm->an.rho);
        break;
    case MMC_VERDICT_NO_CI:
        snprintf(buf, size, "no verdict: one replication gives no CI");
        break;
    case MMC_VERDICT_NO_DATA:
        snprintf(buf, size, "no verdict: no task was measured");
        break;
    case MMC_VERDICT_NO_CLOSED_FORM:
        snprintf(buf, size, "no closed form for this point");
        break;
    case MMC_VERDICT_NOT_RUN:
        snprintf(buf, size, "not run: interrupted before a replication finished");
        break;
    case MMC_VERDICT_TOO_SHORT:
        too_short_detail(sm, buf, size);
        break;
    case MMC_VERDICT_NO_COMPARISON:
        snprintf(buf, size, "no verdict: no figure with a closed form varied between runs");
        break;
    case MMC_VERDICT_APPROX_OFF:
        if (isfinite(v->approx_rel))
            snprintf(buf, size, "exact figures agree; approx. off: %s %+.1f%% (beyond %g%% + CI)",
                     mmc_metric_name(v->approx_worst), 100.0 * v->approx_rel,
                     100.0 * MMC_APPROX_REL_TOL);
        else /* the approximation is 0: no relative error */
            snprintf(buf, size, "exact figures agree; approx. off: %s %.4g against 0",
                     mmc_metric_name(v->approx_worst), sm->m[v->approx_worst].mean);
        break;
    default:
        snprintf(buf, size, "closed form only");
        break;
    }
}

/* The canonical resolved scenario (every variant, one YAML document each) as a string the
 * caller frees. */
static char *scenario_text(const struct mmc_scenario *s, size_t n, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (f == NULL) {
        fputs("mmcsim: out of memory\n", stderr);
        exit(1);
    }
    for (size_t v = 0; v < n; v++) {
        if (v > 0)
            fputs("---\n", f);
        mmc_scenario_print(&s[v], f);
    }
    fclose(f);
    return text;
}

unsigned long long mmc_scenario_hash(const struct mmc_scenario *s, size_t n_variants)
{
    size_t len = 0;
    char *text = scenario_text(s, n_variants, &len);
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
    free(text);
    return (unsigned long long)h;
}

/* ---- the shared cells ---- */

static void add_num(struct cell *c, size_t *n, const char *name, double v)
{
    assert(*n < MAX_CELLS);
    c[(*n)++] = (struct cell){.name = name, .type = CELL_NUM, .num = v};
}

static void add_int(struct cell *c, size_t *n, const char *name, unsigned long long v)
{
    assert(*n < MAX_CELLS);
    c[(*n)++] = (struct cell){.name = name, .type = CELL_INT, .n = v};
}

static void add_str(struct cell *c, size_t *n, const char *name, const char *v)
{
    assert(*n < MAX_CELLS);
    c[(*n)++] = (struct cell){.name = name, .type = CELL_STR, .str = v};
}

/* A count, or an empty cell when there is none (nothing simulated, not applicable): an empty
 * number, so that JSON says null, not "", where a consumer expects a number. */
static void add_count(struct cell *c, size_t *n, const char *name, bool present,
                      unsigned long long v)
{
    if (present)
        add_int(c, n, name, v);
    else
        add_num(c, n, name, NAN);
}

/* No value: written as nothing in CSV and as null in JSON. */
static bool cell_is_empty(const struct cell *c)
{
    if (c->type == CELL_STR)
        return c->str[0] == '\0';
    return c->type == CELL_NUM && !isfinite(c->num);
}

/* Column names of a metric's five cells. */
#define COLS(n)                                                                                    \
    {                                                                                              \
        n, n "_ci95", n "_analytic", n "_rel_error", n "_z"                                        \
    }
static const char *const metric_cols[MMC_M_COUNT][5] = {
    COLS("utilization"), COLS("throughput"), COLS("Lq"),        COLS("L"),
    COLS("Wq"),          COLS("W"),          COLS("T"),         COLS("P_wait"),
    COLS("Wq_p50"),      COLS("Wq_p90"),     COLS("Wq_p95"),    COLS("Wq_p99"),
    COLS("Wq_p999"),     COLS("T_p50"),      COLS("T_p90"),     COLS("T_p95"),
    COLS("T_p99"),       COLS("T_p999"),     COLS("P_Wq_gt_t"), COLS("P_block"),
    COLS("P_shed"),      COLS("P_throttle"), COLS("P_abandon"), COLS("conflicts_per_request"),
};

static void add_metrics(struct cell *c, size_t *n, const struct mmc_summary *sm)
{
    for (int k = 0; k < MMC_M_COUNT; k++) {
        double mean = sm->simulated ? sm->m[k].mean : NAN;
        double half = sm->simulated ? sm->m[k].half : NAN;
        double a = mmc_analytic_metric(&sm->an, k);
        add_num(c, n, metric_cols[k][0], mean);
        add_num(c, n, metric_cols[k][1], half);
        add_num(c, n, metric_cols[k][2], a);
        add_num(c, n, metric_cols[k][3], a != 0.0 ? (mean - a) / a : NAN);
        add_num(c, n, metric_cols[k][4], sm->simulated ? sm->z[k] : NAN);
    }
}

/* Columns of the paired comparisons, in MMC_CMP_METRICS order. */
#define DIFF_COLS(n)                                                                               \
    {                                                                                              \
        n "_diff", n "_diff_ci95", n "_diff_ci95_unpaired"                                         \
    }
static const char *const diff_cols[MMC_N_CMP][3] = {
    DIFF_COLS("T"), DIFF_COLS("Wq"),          DIFF_COLS("Lq"),
    DIFF_COLS("L"), DIFF_COLS("utilization"), DIFF_COLS("T_p99"),
};

/* Only with control_variates: the variance reduction obtained per metric. */
static void add_cv(struct cell *c, size_t *n, const struct mmc_summary *sm)
{
    static const char *const names[MMC_M_PWAIT + 1] = {
        "utilization_cv_reduction", "throughput_cv_reduction", "Lq_cv_reduction",
        "L_cv_reduction",           "Wq_cv_reduction",         "W_cv_reduction",
        "T_cv_reduction",           "P_wait_cv_reduction",
    };
    if (!sm->point.control_variates)
        return;
    for (int k = 0; k <= MMC_M_PWAIT; k++)
        add_num(c, n, names[k], sm->cv_applied ? sm->cv_reduction[k] : NAN);
}

/* Only when the scenario compares: this point minus its reference point. */
static void add_diffs(struct cell *c, size_t *n, const struct mmc_experiment *x,
                      const struct mmc_summary *sm)
{
    if (x->scenario->compare == MMC_COMPARE_NONE)
        return;
    const struct mmc_diff *df = &sm->diff;
    add_count(c, n, "compare_ref", df->present, df->ref);
    for (int k = 0; k < MMC_N_CMP; k++) {
        add_num(c, n, diff_cols[k][0], df->present ? df->d[k].mean : NAN);
        add_num(c, n, diff_cols[k][1], df->present ? df->d[k].half : NAN);
        add_num(c, n, diff_cols[k][2], df->present ? df->unpaired_half[k] : NAN);
    }
}

static const char *stop_reason_name(enum mmc_stop_reason r)
{
    switch (r) {
    case MMC_STOP_PRECISION:
        return "precision";
    case MMC_STOP_MAX_REPS:
        return "max_replications";
    case MMC_STOP_MAX_TIME:
        return "max_time";
    case MMC_STOP_INTERRUPTED:
        return "interrupted";
    default:
        return "fixed";
    }
}

static void add_method(struct cell *c, size_t *n, const struct mmc_experiment *x,
                       const struct mmc_summary *sm)
{
    const struct mmc_precision *pr = &x->scenario->precision;
    bool batching = sm->point.n_fine_batches > 0;
    add_str(c, n, "method", batching ? "batch-means" : "replications");
    add_count(c, n, "batches", batching && sm->simulated, sm->batches);
    add_num(c, n, "batch_lag1", batching && sm->simulated ? sm->batch_lag1 : NAN);
    add_str(c, n, "stop_reason", sm->simulated ? stop_reason_name(sm->stop_reason) : "");
    add_num(c, n, "precision_target", pr->target > 0.0 ? pr->target : NAN);
    add_num(c, n, "precision_reached",
            sm->simulated && pr->target > 0.0 ? sm->precision_reached : NAN);
    add_num(c, n, "wait_threshold", sm->point.wait_threshold);
    bool cut = sm->simulated && sm->point.warmup.kind == MMC_LIMIT_AUTO;
    add_num(c, n, "warmup_tasks_cut", cut ? (double)sm->point.warmup_cut : NAN);
    add_num(c, n, "warmup_pilot_tasks", cut ? (double)sm->point.pilot_tasks : NAN);
    add_num(c, n, "replication_length", sm->simulated && !batching ? sm->point.stop.value : NAN);
}

/* Model place's own figures (empty for the other models): per offered request, conflicts,
 * retries and the fraction that failed; placements per worker; each resource's use. */
static void add_place(struct cell *c, size_t *n, const struct mmc_summary *sm)
{
    static const char *const util[MMC_PLACE_RESOURCES][2] = {{"util_cpu", "util_cpu_peak"},
                                                             {"util_mem_mb", "util_mem_mb_peak"},
                                                             {"util_gpu", "util_gpu_peak"}};
    const struct mmc_place *pl = sm->point.place;
    bool place = sm->simulated && pl != NULL;
    double offered = place && sm->offered > 0 ? (double)sm->offered : NAN;
    add_count(c, n, "threads", pl != NULL, sm->point.c);
    add_num(c, n, "retries_per_request", place ? (double)sm->retries / offered : NAN);
    add_num(c, n, "failed_fraction", place ? (double)sm->failed / offered : NAN);
    add_num(c, n, "placements_min", place ? sm->placed_min : NAN);
    add_num(c, n, "placements_max", place ? sm->placed_max : NAN);
    add_num(c, n, "placements_cv", place ? sm->placed_cv : NAN);
    for (size_t k = 0; k < MMC_PLACE_RESOURCES; k++) {
        bool had = false;
        for (size_t i = 0; place && i < pl->n_pools; i++)
            had |= pl->pool[i].cap[k] > 0.0;
        add_num(c, n, util[k][0], had ? sm->res_util[k] : NAN);
        add_num(c, n, util[k][1], had ? sm->res_peak[k] : NAN);
    }
}

/* Whether some variant of x places requests of varying size: then its rows have the sizes
 * group (whole, on every row, so that the CSV's columns stay one list). */
static bool sizes_vary(const struct mmc_experiment *x)
{
    for (size_t i = 0; i < x->n_variants; i++)
        if (strcmp(x->variants[i].model, "place") == 0 && x->variants[i].place.varying)
            return true;
    return false;
}

/* Model place with sizes that vary: per resource requested, the free fraction stranded when a
 * request found no room, and the share of its offered demand blocked. */
static void add_sizes(struct cell *c, size_t *n, const struct mmc_experiment *x,
                      const struct mmc_summary *sm)
{
    static const char *const names[MMC_PLACE_RESOURCES][2] = {
        {"stranded_cpu", "blocked_demand_cpu"},
        {"stranded_mem_mb", "blocked_demand_mem_mb"},
        {"stranded_gpu", "blocked_demand_gpu"}};
    if (!sizes_vary(x))
        return;
    const struct mmc_place *pl = sm->point.place;
    bool vary = sm->simulated && pl != NULL && pl->varying;
    for (size_t k = 0; k < MMC_PLACE_RESOURCES; k++) {
        bool asked = vary && pl->request[k] > 0.0;
        add_num(c, n, names[k][0], asked ? sm->stranded[k] : NAN);
        add_num(c, n, names[k][1], asked ? sm->blocked_demand[k] : NAN);
    }
}

static void add_memory(struct cell *c, size_t *n, const struct mmc_summary *sm)
{
    bool sim = sm->simulated;
    add_num(c, n, "mem_mean_mb", sim ? sm->mem_mean.mean : NAN);
    add_num(c, n, "mem_mean_mb_ci95", sim ? sm->mem_mean.half : NAN);
    add_num(c, n, "mem_peak_mb", sim ? sm->mem_peak : NAN);
    add_num(c, n, "worker_util_min", sim ? sm->worker_util_min : NAN);
    add_num(c, n, "worker_util_max", sim ? sm->worker_util_max : NAN);
    add_num(c, n, "worker_tasks_cv", sim ? sm->worker_tasks_cv : NAN);
    /* model steal's own figures, per measured task (empty for the other models, and for a
       class's row: steals and first workers are the pool's) */
    bool steals = sim && sm->point.model->steals && sm->tasks > 0 && sm->point.class_index == 0;
    double tasks = (double)sm->tasks;
    add_num(c, n, "steals_per_task", steals ? (double)sm->steals / tasks : NAN);
    add_num(c, n, "failed_steals_per_task", steals ? (double)sm->steal_failed / tasks : NAN);
    add_num(c, n, "first_worker_share", steals ? (double)sm->first_worker / tasks : NAN);
    add_place(c, n, sm);
    /* a finite workload from empty: makespan, speedup = work / makespan, efficiency = speedup /
       c (empty for a steady-state point) */
    bool fin = sim && !isnan(sm->makespan.mean);
    double cw = (double)sm->point.c;
    add_num(c, n, "makespan", fin ? sm->makespan.mean : NAN);
    add_num(c, n, "makespan_ci95", fin ? sm->makespan.half : NAN);
    add_num(c, n, "speedup", fin ? sm->speedup.mean : NAN);
    add_num(c, n, "speedup_ci95", fin ? sm->speedup.half : NAN);
    add_num(c, n, "efficiency", fin ? sm->speedup.mean / cw : NAN);
    add_num(c, n, "efficiency_ci95", fin ? sm->speedup.half / cw : NAN);
    add_count(c, n, "max_queue", sim, sm->max_queue);
    add_count(c, n, "max_in_system", sim, sm->max_in_system);
    add_num(c, n, "mem_expected_mb", sm->an.stable ? sm->an.l * sm->point.mem_per_task : NAN);
}

/* Measured tasks by fate (summed over replications); empty where nothing was simulated. */
static void add_fates(struct cell *c, size_t *n, const struct mmc_summary *sm)
{
    bool sim = sm->simulated;
    add_count(c, n, "offered", sim, sm->offered);
    add_count(c, n, "blocked", sim, sm->blocked);
    add_count(c, n, "shed", sim, sm->shed);
    add_count(c, n, "throttled", sim, sm->throttled);
    add_count(c, n, "abandoned", sim, sm->abandoned);
}

static void add_checks(struct cell *c, size_t *n, const struct mmc_summary *sm)
{
    bool sim = sm->simulated;
    add_str(c, n, "conservation", !sim ? "" : sm->conserved ? "ok" : "FAILED");
    add_num(c, n, "little_L_residual", sim ? sm->little_l : NAN);
    add_num(c, n, "little_Lq_residual", sim ? sm->little_lq : NAN);
    add_num(c, n, "utilization_residual", sim ? sm->util_residual : NAN);
    add_count(c, n, "work_conservation_violations", sim, sm->work_violations);
    add_num(c, n, "priority_inversions_per_1000",
            sim && mmc_point_classes(&sm->point) > 0 && sm->tasks > 0
                ? 1000.0 * (double)sm->inversions / (double)sm->tasks
                : NAN);
}

/* Caller storage for the texts a row's cells point to. */
struct row_text {
    char detail[160];     /* the verdict in words */
    char not_judged[256]; /* the metrics without spread, space-separated */
    char warnings[96];    /* why the point is too short to judge, space-separated */
};

/* The metrics every replication saw at one value other than the closed form's. */
static void not_judged_names(const struct mmc_summary *sm, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < MMC_M_COUNT && len < size; k++)
        if (sm->no_spread & (1u << k))
            len +=
                (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", mmc_metric_name(k));
}

/* Fill cells for one point; t is caller storage for its texts. */
static size_t row_cells(const struct mmc_experiment *x, const struct mmc_summary *sm,
                        struct cell *c, struct row_text *t)
{
    size_t n = 0;
    const struct mmc_point *p = &sm->point;
    add_str(c, &n, "scenario", x->scenario->name);
    add_str(c, &n, "variant", p->variant);
    add_str(c, &n, "model", p->model->name);
    add_str(c, &n, "dispatch", p->model->dispatches ? mmc_policy_name(p->dispatch->policy) : "");
    add_str(c, &n, "class", p->class_index > 0 ? p->classes->c[p->class_index - 1].name : "");
    add_int(c, &n, "workers", p->place != NULL ? p->place_workers : p->c);
    add_num(c, &n, "arrival_rate", p->lambda);
    add_num(c, &n, "service_rate", p->mu);
    add_num(c, &n, "network_delay", p->d);
    add_str(c, &n, "network_delay_where", p->hold > 0.0 ? "held" : "transit");
    add_num(c, &n, "rho", p->load);
    add_str(c, &n, "closed_form", sm->has_analytic && sm->an.form != NULL ? sm->an.form : "none");
    add_int(c, &n, "closed_form_approx", sm->has_analytic && sm->an.approx);
    add_metrics(c, &n, sm);
    add_num(c, &n, "P0_analytic", sm->an.stable ? sm->an.p0 : NAN);
    add_memory(c, &n, sm);
    add_fates(c, &n, sm);
    add_int(c, &n, "tasks", sm->simulated ? sm->tasks : 0);
    add_int(c, &n, "replications", sm->simulated ? sm->replications : 0);
    add_int(c, &n, "events", sm->simulated ? sm->events : 0);
    add_method(c, &n, x, sm);
    add_diffs(c, &n, x, sm);
    add_cv(c, &n, sm);
    add_sizes(c, &n, x, sm);
    add_checks(c, &n, sm);
    add_num(c, &n, "window_s", sm->simulated ? sm->window_min : NAN);
    add_num(c, &n, "act_tasks", sm->simulated ? sm->act : NAN);
    mmc_warnings_format(sm->warnings, t->warnings, sizeof t->warnings);
    add_str(c, &n, "warnings", t->warnings);
    not_judged_names(sm, t->not_judged, sizeof t->not_judged);
    add_str(c, &n, "not_judged", sm->simulated ? t->not_judged : "");
    mmc_verdict_format(sm, t->detail, sizeof t->detail);
    add_str(c, &n, "verdict", mmc_verdict_token(sm->verdict.kind));
    add_str(c, &n, "verdict_detail", t->detail);
    return n;
}

/* ---- CSV ---- */

static void csv_string(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_cell(FILE *f, const struct cell *c)
{
    char buf[MMC_FMT_DOUBLE_MAX];
    if (cell_is_empty(c))
        return;
    if (c->type == CELL_STR)
        csv_string(f, c->str);
    else if (c->type == CELL_INT)
        fprintf(f, "%llu", c->n);
    else
        fputs(mmc_fmt_double(buf, sizeof buf, c->num), f);
}

/* The rows of the report in order: each point's, then its classes' (class order). */
static size_t n_rows(const struct mmc_experiment *x)
{
    return x->n_points + x->n_class_rows;
}

/* Row j of n_rows(x); *i walks the points (start at 0, rows in order). */
static const struct mmc_summary *row_at(const struct mmc_experiment *x, size_t j, size_t *i)
{
    size_t n_cls = 0;
    const struct mmc_summary *cls = mmc_experiment_class_rows(x, *i, &n_cls);
    size_t first = *i + x->class_first[*i]; /* the point's own row */
    if (j == first)
        return &x->summaries[*i];
    if (j <= first + n_cls)
        return &cls[j - first - 1];
    (*i)++;
    return row_at(x, j, i);
}

static void write_csv(FILE *f, const struct mmc_experiment *x)
{
    struct cell cells[MAX_CELLS];
    struct row_text text;
    for (size_t j = 0, i = 0; j < n_rows(x); j++) {
        size_t n = row_cells(x, row_at(x, j, &i), cells, &text);
        if (j == 0)
            for (size_t k = 0; k < n; k++)
                fprintf(f, "%s%s", cells[k].name, k + 1 < n ? "," : "\n");
        for (size_t k = 0; k < n; k++) {
            csv_cell(f, &cells[k]);
            fputc(k + 1 < n ? ',' : '\n', f);
        }
    }
}

/* ---- JSON ---- */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_num(FILE *f, double v)
{
    char buf[MMC_FMT_DOUBLE_MAX];
    fputs(isfinite(v) ? mmc_fmt_double(buf, sizeof buf, v) : "null", f);
}

static void json_cell(FILE *f, const struct cell *c)
{
    if (cell_is_empty(c))
        fputs("null", f);
    else if (c->type == CELL_STR)
        json_string(f, c->str);
    else if (c->type == CELL_INT)
        fprintf(f, "%llu", c->n);
    else
        json_num(f, c->num);
}

static void json_limit(FILE *f, const char *key, const struct mmc_limit *l)
{
    fprintf(f, "    \"%s\": ", key);
    if (l->kind == MMC_LIMIT_NONE || l->kind == MMC_LIMIT_AUTO) {
        fputs(l->kind == MMC_LIMIT_NONE ? "null,\n" : "\"auto\",\n", f);
        return;
    }
    fprintf(f, "{\"%s\": ", l->kind == MMC_LIMIT_TASKS ? "tasks" : "time");
    json_num(f, l->value);
    fputs("},\n", f);
}

/* Everything needed to reproduce the file: version, the resolved scenario and its hash. */
static void json_provenance(FILE *f, const struct mmc_experiment *x,
                            const struct mmc_report_info *info)
{
    const struct mmc_scenario *s = x->scenario;
    size_t len = 0;
    char *text = scenario_text(x->variants, x->n_variants, &len);
    fputs("  \"provenance\": {\n    \"mmcsim_version\": ", f);
    json_string(f, info->version);
    fputs(",\n    \"scenario_file\": ", f);
    json_string(f, s->file);
    fprintf(f, ",\n    \"scenario_hash\": \"fnv1a64:%016llx\",\n",
            mmc_scenario_hash(x->variants, x->n_variants));
    fputs("    \"scenario_resolved\": ", f);
    json_string(f, text);
    fputs(",\n    \"rng\": ", f);
    json_string(f, s->rng);
    fprintf(f, ",\n    \"seed\": %llu,\n", (unsigned long long)s->seed);
    fprintf(f, "    \"replications\": %lu,\n", info->analytic_only ? 0UL : s->replications);
    json_limit(f, "stop", &s->stop);
    json_limit(f, "warmup", &s->warmup);
    fprintf(f, "    \"analytic_only\": %s,\n", info->analytic_only ? "true" : "false");
    fprintf(f, "    \"partial\": %s\n  },\n", x->interrupted ? "true" : "false");
    free(text);
}

static void write_json(FILE *f, const struct mmc_experiment *x, const struct mmc_report_info *info)
{
    struct cell cells[MAX_CELLS];
    struct row_text text;
    fputs("{\n", f);
    json_provenance(f, x, info);
    fputs("  \"units\": {\"time\": \"s\", \"rate\": \"tasks/s\", \"memory\": \"MB\"},\n", f);
    fputs("  \"model\": ", f);
    json_string(f, x->model->title);
    fputs(",\n  \"points\": [\n", f);
    for (size_t j = 0, i = 0; j < n_rows(x); j++) {
        size_t n = row_cells(x, row_at(x, j, &i), cells, &text);
        fputs("    {", f);
        for (size_t k = 0; k < n; k++) {
            fprintf(f, "%s\"%s\": ", k ? ", " : "", cells[k].name);
            json_cell(f, &cells[k]);
        }
        fprintf(f, "}%s\n", j + 1 < n_rows(x) ? "," : "");
    }
    fputs("  ]\n}\n", f);
}

int mmc_report_write(FILE *f, enum mmc_format fmt, const struct mmc_experiment *x,
                     const struct mmc_report_info *info)
{
    switch (fmt) {
    case MMC_FORMAT_CSV:
        write_csv(f, x);
        break;
    case MMC_FORMAT_JSON:
        write_json(f, x, info);
        break;
    default:
        mmc_table_write(f, x, info);
        break;
    }
    return ferror(f) ? -1 : 0;
}
