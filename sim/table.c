/*
 * table.c - the table report.
 *
 * Layout: a heading (scenario, model, run length, units), then two aligned
 * blocks with one row per sweep point - load and queue (utilization,
 * throughput, P(wait), Lq, L) and latency and memory (Wq, W, T, memory,
 * verdict) - then one line of invariant checks per point. Each metric is
 * three sub-columns: simulated mean, "± 95 % half-width", "[closed form]",
 * with "-" where a value does not exist (no closed form, or --analytic).
 * A metric shows the seeds' precision (2 decimals; 4 for P(wait)), or more
 * when its half-width needs them to show one significant digit: the digits
 * printed are the digits the interval supports.
 * Times are shown in ms when every latency is below 10 s, else in s.
 */
#include "table.h"

#include "scenario.h"

#include <math.h>
#include <string.h>

#define CELL 96
#define MAX_COLS 32

enum align { LEFT, RIGHT };

struct grid {
    size_t rows, cols;
    char (*cell)[CELL]; /* rows x cols, row-major */
    enum align align[MAX_COLS];
    const char *group[MAX_COLS]; /* header label starting at this column, or NULL */
};

struct units {
    double time_scale; /* seconds -> display unit */
    const char *time;  /* "ms" or "s" */
    int time_dec;      /* decimals for times */
};

static char *at(struct grid *g, size_t r, size_t c)
{
    return g->cell[r * g->cols + c];
}

static void put(struct grid *g, size_t r, size_t c, const char *fmt, double v)
{
    if (isnan(v))
        snprintf(at(g, r, c), CELL, "-");
    else
        snprintf(at(g, r, c), CELL, fmt, v);
}

enum style { PLAIN, HALF, CF, CF_APPROX };

/* Decimals that show a positive half-width h with at least one significant digit. */
static int half_decimals(double h, int dec)
{
    while (dec < 6 && h > 0.0 && h < 0.95 * pow(10.0, -dec))
        dec++;
    return dec;
}

/* A number with dec decimals: plain, "± x" (a half-width) or "[x]" (closed form). */
static void put_dec(struct grid *g, size_t r, size_t c, int dec, double v, enum style st)
{
    char *cell = at(g, r, c);
    if (isnan(v)) {
        snprintf(cell, CELL, "%s", st == HALF ? "" : "-");
        return;
    }
    const char *pre = st == HALF ? "± " : st == CF ? "[" : st == CF_APPROX ? "[~" : "";
    snprintf(cell, CELL, "%s%.*f%s", pre, dec, v, st >= CF ? "]" : "");
}

static void grid_init(struct grid *g, size_t rows, size_t cols)
{
    *g = (struct grid){.rows = rows, .cols = cols};
    g->cell = mmc_xcalloc(rows * cols, sizeof *g->cell);
    for (size_t c = 0; c < cols; c++)
        g->align[c] = RIGHT;
}

/* Print the grid: a group label line, then rows (row 0 is the column header). */
static void grid_print(FILE *f, struct grid *g)
{
    size_t w[MAX_COLS] = {0};
    for (size_t r = 0; r < g->rows; r++)
        for (size_t c = 0; c < g->cols; c++) {
            size_t n = strlen(at(g, r, c));
            /* "±" is two bytes but one column */
            n -= strstr(at(g, r, c), "±") != NULL;
            w[c] = n > w[c] ? n : w[c];
        }
    for (size_t c = 0; c < g->cols; c++) {
        size_t span = w[c], k = c + 1;
        for (; k < g->cols && g->group[k] == NULL && g->group[c] != NULL; k++)
            span += 1 + w[k];
        if (g->group[c] == NULL)
            continue;
        fprintf(f, "%s%-*s", c ? " " : "", (int)span, g->group[c]);
        c = k - 1;
    }
    fputc('\n', f);
    for (size_t r = 0; r < g->rows; r++) {
        for (size_t c = 0; c < g->cols; c++) {
            const char *s = at(g, r, c);
            int width = (int)w[c] + (strstr(s, "±") != NULL);
            if (c + 1 == g->cols && g->align[c] == LEFT)
                fprintf(f, " %s", s);
            else
                fprintf(f, g->align[c] == LEFT ? "%s%-*s" : "%s%*s", c ? " " : "", width, s);
        }
        fputc('\n', f);
    }
    free(g->cell);
}

static void put_metric(struct grid *g, size_t r, size_t c, const struct mmc_summary *sm,
                       enum mmc_metric m, int dec, double scale)
{
    double mean = sm->simulated ? sm->m[m].mean * scale : NAN;
    double half = sm->simulated ? sm->m[m].half * scale : NAN;
    /* the row shows as many decimals as its interval can support, and no fewer than dec */
    dec = isnan(half) ? dec : half_decimals(half, dec);
    put_dec(g, r, c, dec, mean, PLAIN);
    put_dec(g, r, c + 1, dec, half, HALF);
    put_dec(g, r, c + 2, dec, mmc_analytic_metric(&sm->an, m) * scale,
            mmc_analytic_is_approx(&sm->an, m) ? CF_APPROX : CF);
}

static void header_metric(struct grid *g, size_t c, const char *label)
{
    g->group[c] = label;
    snprintf(at(g, 0, c), CELL, "sim");
    snprintf(at(g, 0, c + 1), CELL, "± 95%%");
    snprintf(at(g, 0, c + 2), CELL, "[cf]");
}

/* With variants, every block starts with the variant's name: 1 column, else 0. */
static size_t lead(struct grid *g, const struct mmc_experiment *x)
{
    if (x->n_variants < 2)
        return 0;
    g->group[0] = "";
    g->align[0] = LEFT;
    snprintf(at(g, 0, 0), CELL, "variant");
    for (size_t i = 0; i < x->n_points; i++)
        snprintf(at(g, i + 1, 0), CELL, "%s", x->points[i].variant);
    return 1;
}

static size_t lead_cols(const struct mmc_experiment *x)
{
    return x->n_variants < 2 ? 0 : 1;
}

static void queue_block(FILE *f, const struct mmc_experiment *x)
{
    struct grid g;
    grid_init(&g, x->n_points + 1, lead_cols(x) + 5 + 5 * 3);
    size_t o = lead(&g, x);
    const char *fixed[] = {"c", "lambda", "mu", "rho", "d ms"};
    for (size_t c = 0; c < 5; c++) {
        snprintf(at(&g, 0, o + c), CELL, "%s", fixed[c]);
        g.group[o + c] = "";
    }
    header_metric(&g, o + 5, "utilization");
    header_metric(&g, o + 8, "throughput /s");
    header_metric(&g, o + 11, "P(wait)");
    header_metric(&g, o + 14, "Lq (tasks waiting)");
    header_metric(&g, o + 17, "L (tasks in system)");
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        size_t r = i + 1;
        put(&g, r, o, "%.0f", (double)sm->point.c);
        put(&g, r, o + 1, "%.6g", sm->point.lambda);
        /* model place with instantaneous decisions: no rate (infinite), shown as "-" */
        put(&g, r, o + 2, "%.6g", isfinite(sm->point.mu) ? sm->point.mu : NAN);
        put(&g, r, o + 3, "%.4f", sm->point.load);
        put(&g, r, o + 4, "%.6g", sm->point.d * 1e3);
        put_metric(&g, r, o + 5, sm, MMC_M_UTIL, 2, 1.0);
        put_metric(&g, r, o + 8, sm, MMC_M_THROUGHPUT, 2, 1.0);
        put_metric(&g, r, o + 11, sm, MMC_M_PWAIT, 4, 1.0);
        put_metric(&g, r, o + 14, sm, MMC_M_LQ, 2, 1.0);
        put_metric(&g, r, o + 17, sm, MMC_M_L, 2, 1.0);
    }
    grid_print(f, &g);
}

static void latency_block(FILE *f, const struct mmc_experiment *x, const struct units *u)
{
    char labels[3][32];
    struct grid g;
    grid_init(&g, x->n_points + 1, lead_cols(x) + 1 + 3 * 3 + 3 + 1);
    size_t o = lead(&g, x);
    snprintf(at(&g, 0, o), CELL, "c");
    g.group[o] = "";
    const char *names[3] = {"Wq", "W", "T"};
    for (int k = 0; k < 3; k++) {
        snprintf(labels[k], sizeof labels[k], "%s %s", names[k], u->time);
        header_metric(&g, o + 1 + 3 * (size_t)k, labels[k]);
    }
    g.group[o + 10] = "memory MB";
    snprintf(at(&g, 0, o + 10), CELL, "mean");
    snprintf(at(&g, 0, o + 11), CELL, "peak");
    snprintf(at(&g, 0, o + 12), CELL, "[cf]");
    g.group[o + 13] = "";
    g.align[o + 13] = LEFT;
    snprintf(at(&g, 0, o + 13), CELL, "verdict");
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        size_t r = i + 1;
        put(&g, r, o, "%.0f", (double)sm->point.c);
        put_metric(&g, r, o + 1, sm, MMC_M_WQ, u->time_dec, u->time_scale);
        put_metric(&g, r, o + 4, sm, MMC_M_W, u->time_dec, u->time_scale);
        put_metric(&g, r, o + 7, sm, MMC_M_T, u->time_dec, u->time_scale);
        put_dec(&g, r, o + 10, 2, sm->simulated ? sm->mem_mean.mean : NAN, PLAIN);
        put_dec(&g, r, o + 11, 2, sm->simulated ? sm->mem_peak : NAN, PLAIN);
        put_dec(&g, r, o + 12, 2, sm->an.stable ? sm->an.l * sm->point.mem_per_task : NAN, CF);
        mmc_verdict_format(sm, at(&g, r, o + 13), CELL);
    }
    grid_print(f, &g);
}

/* Percentiles of one distribution (Wq or T), starting at metric first. */
static void percentile_block(FILE *f, const struct mmc_experiment *x, const struct units *u,
                             enum mmc_metric first, const char *what)
{
    const char *levels[MMC_N_PCT] = {"p50", "p90", "p95", "p99", "p99.9"};
    char labels[MMC_N_PCT][48];
    struct grid g;
    grid_init(&g, x->n_points + 1, lead_cols(x) + 1 + 3 * MMC_N_PCT);
    size_t o = lead(&g, x);
    snprintf(at(&g, 0, o), CELL, "c");
    g.group[o] = "";
    for (int k = 0; k < MMC_N_PCT; k++) {
        snprintf(labels[k], sizeof labels[k], "%s %s %s", what, levels[k], u->time);
        header_metric(&g, o + 1 + 3 * (size_t)k, labels[k]);
    }
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        put(&g, i + 1, o, "%.0f", (double)sm->point.c);
        for (int k = 0; k < MMC_N_PCT; k++)
            put_metric(&g, i + 1, o + 1 + 3 * (size_t)k, sm, first + k, u->time_dec, u->time_scale);
    }
    grid_print(f, &g);
}

/* Priority classes: one row per class of each point with classes. */
static void class_block(FILE *f, const struct mmc_experiment *x, const struct units *u)
{
    char labels[3][32];
    struct grid g;
    size_t lc = lead_cols(x), row = 1;
    grid_init(&g, x->n_class_rows + 1, lc + 5 + 5 * 3 + 1);
    const char *fixed[] = {"c", "lambda", "class", "prio", "rho"};
    if (lc > 0) {
        g.group[0] = "";
        g.align[0] = LEFT;
        snprintf(at(&g, 0, 0), CELL, "variant");
    }
    for (size_t c = 0; c < 5; c++) {
        snprintf(at(&g, 0, lc + c), CELL, "%s", fixed[c]);
        g.group[lc + c] = "";
    }
    g.align[lc + 2] = LEFT;
    const char *names[3] = {"Wq", "T", "T p99"};
    for (int k = 0; k < 3; k++) {
        snprintf(labels[k], sizeof labels[k], "%s %s", names[k], u->time);
        header_metric(&g, lc + 5 + 3 * (size_t)k, labels[k]);
    }
    header_metric(&g, lc + 14, "P(wait)");
    header_metric(&g, lc + 17, "Lq (tasks waiting)");
    size_t o = lc + 20;
    g.group[o] = "";
    g.align[o] = LEFT;
    snprintf(at(&g, 0, o), CELL, "verdict");
    for (size_t i = 0; i < x->n_points; i++) {
        size_t n = 0;
        const struct mmc_summary *cls = mmc_experiment_class_rows(x, i, &n);
        for (size_t k = 0; k < n; k++, row++) {
            const struct mmc_summary *sm = &cls[k];
            const struct mmc_task_class *t = &sm->point.classes->c[k];
            if (lc > 0)
                snprintf(at(&g, row, 0), CELL, "%s", sm->point.variant);
            put(&g, row, lc, "%.0f", (double)sm->point.c);
            put(&g, row, lc + 1, "%.6g", sm->point.lambda);
            snprintf(at(&g, row, lc + 2), CELL, "%s", t->name);
            put(&g, row, lc + 3, "%.0f", (double)t->priority);
            put(&g, row, lc + 4, "%.4f", sm->point.load);
            put_metric(&g, row, lc + 5, sm, MMC_M_WQ, u->time_dec, u->time_scale);
            put_metric(&g, row, lc + 8, sm, MMC_M_T, u->time_dec, u->time_scale);
            put_metric(&g, row, lc + 11, sm, MMC_M_T_P99, u->time_dec, u->time_scale);
            put_metric(&g, row, lc + 14, sm, MMC_M_PWAIT, 4, 1.0);
            put_metric(&g, row, lc + 17, sm, MMC_M_LQ, 2, 1.0);
            mmc_verdict_format(sm, at(&g, row, o), CELL);
        }
    }
    fprintf(f,
            "per class (priority: smaller is served first; preemption: %s; rho: the class's "
            "share of the workers)\n",
            x->scenario->classes.preemption == MMC_PREEMPT_RESUME ? "resume" : "none");
    grid_print(f, &g);
}

static bool any_protected(const struct mmc_experiment *x)
{
    for (size_t i = 0; i < x->n_points; i++) {
        if (mmc_protection_is_on(x->points[i].protect))
            return true;
    }
    return false;
}

/* Overload protection: what each mechanism turned away, what got through, the memory bound. */
static void loss_block(FILE *f, const struct mmc_experiment *x)
{
    struct grid g;
    grid_init(&g, x->n_points + 1, lead_cols(x) + 1 + 5 * 3 + 2);
    size_t o = lead(&g, x);
    snprintf(at(&g, 0, o), CELL, "c");
    g.group[o] = "";
    header_metric(&g, o + 1, "P(blocked: capacity)");
    header_metric(&g, o + 4, "P(shed)");
    header_metric(&g, o + 7, "P(throttled)");
    header_metric(&g, o + 10, "P(abandoned)");
    header_metric(&g, o + 13, "goodput /s");
    g.group[o + 16] = "peak in system";
    snprintf(at(&g, 0, o + 16), CELL, "tasks");
    snprintf(at(&g, 0, o + 17), CELL, "MB");
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        size_t r = i + 1;
        put(&g, r, o, "%.0f", (double)sm->point.c);
        put_metric(&g, r, o + 1, sm, MMC_M_P_BLOCK, 4, 1.0);
        put_metric(&g, r, o + 4, sm, MMC_M_P_SHED, 4, 1.0);
        put_metric(&g, r, o + 7, sm, MMC_M_P_THROTTLE, 4, 1.0);
        put_metric(&g, r, o + 10, sm, MMC_M_P_ABANDON, 4, 1.0);
        put_metric(&g, r, o + 13, sm, MMC_M_THROUGHPUT, 2, 1.0);
        put(&g, r, o + 16, "%.0f", sm->simulated ? (double)sm->max_in_system : NAN);
        put(&g, r, o + 17, "%.2f",
            sm->simulated ? (double)sm->max_in_system * sm->point.mem_per_task : NAN);
    }
    fputs("\noverload protection: fractions of the measured arrivals turned away or lost; goodput "
          "= completions/s; peak tasks in system x mem_per_task = the memory bound\n",
          f);
    grid_print(f, &g);
}

/*
 * Time-varying points: the mean wait of the tasks arriving in each interval
 * against the pointwise-stationary Erlang C. "fails" when the simulated
 * interval misses it by more than its half-width plus MMC_APPROX_REL_TOL of
 * it, or when the interval is overloaded (rho >= 1 has no stationary wait).
 */
static void interval_block(FILE *f, const struct mmc_experiment *x, const struct units *u)
{
    for (size_t k = 0; k < x->n_points; k++) {
        const struct mmc_summary *sm = &x->summaries[k];
        const struct mmc_point *p = &sm->point;
        if (p->n_intervals == 0 || !sm->simulated)
            continue;
        struct grid g;
        char wq[32];
        grid_init(&g, p->n_intervals + 1, 9);
        const char *head[9] = {"from s", "to s",         "lambda",
                               "c",      "rho",          "Wq sim",
                               "± 95%",  "[stationary]", "pointwise-stationary"};
        snprintf(wq, sizeof wq, "Wq %s", u->time);
        for (size_t c = 0; c < 9; c++) {
            snprintf(at(&g, 0, c), CELL, "%s", head[c]);
            g.group[c] = c == 5 ? wq : "";
        }
        g.group[6] = g.group[7] = NULL;
        g.align[8] = LEFT;
        for (size_t i = 0; i < p->n_intervals; i++) {
            size_t r = i + 1;
            double lam = sm->an.interval_lambda[i], c = sm->an.interval_c[i];
            double psa = sm->an.interval_wq[i];
            const struct mmc_ci *ci = &sm->interval_wq[i];
            put(&g, r, 0, "%.6g", p->t_interval[i]);
            put(&g, r, 1, "%.6g", p->t_interval[i + 1]);
            put(&g, r, 2, "%.6g", lam);
            put(&g, r, 3, "%.0f", c);
            put(&g, r, 4, "%.3f", lam / (c * mmc_point_hold_rate(p)));
            int dec = isnan(ci->half) ? u->time_dec
                                      : half_decimals(ci->half * u->time_scale, u->time_dec);
            put_dec(&g, r, 5, dec, ci->mean * u->time_scale, PLAIN);
            put_dec(&g, r, 6, dec, ci->half * u->time_scale, HALF);
            if (isfinite(psa))
                put_dec(&g, r, 7, dec, psa * u->time_scale, CF);
            else
                snprintf(at(&g, r, 7), CELL, "[overloaded]");
            bool off = !isfinite(psa) || fabs(ci->mean - psa) > (isnan(ci->half) ? 0.0 : ci->half) +
                                                                    MMC_APPROX_REL_TOL * psa;
            snprintf(at(&g, r, 8), CELL, "%s",
                     isnan(ci->mean) ? "no tasks"
                     : off           ? "fails"
                                     : "holds");
        }
        fprintf(f,
                "\n%s%sc=%lu: waits by arrival interval against the pointwise-stationary M/M/c "
                "(holds: within the 95%% interval + %g %%)\n",
                p->variant, p->variant[0] ? " " : "", p->c, 100.0 * MMC_APPROX_REL_TOL);
        grid_print(f, &g);
    }
}

/* Paired differences: each compared point minus its reference, with both half-widths. */
static void diff_block(FILE *f, const struct mmc_experiment *x, const struct units *u)
{
    const char *names[MMC_N_CMP] = {"T", "Wq", "Lq", "L", "utilization", "T p99"};
    const bool is_time[MMC_N_CMP] = {true, true, false, false, false, true};
    char labels[MMC_N_CMP][48];
    struct grid g;
    grid_init(&g, x->n_points, 1 + 3 * MMC_N_CMP);
    snprintf(at(&g, 0, 0), CELL, "point - ref");
    g.group[0] = "";
    for (int k = 0; k < MMC_N_CMP; k++) {
        size_t col = 1 + 3 * (size_t)k;
        snprintf(labels[k], sizeof labels[k], "%s%s%s", names[k], is_time[k] ? " " : "",
                 is_time[k] ? u->time : "");
        g.group[col] = labels[k];
        snprintf(at(&g, 0, col), CELL, "diff");
        snprintf(at(&g, 0, col + 1), CELL, "± paired");
        snprintf(at(&g, 0, col + 2), CELL, "(unpaired)");
    }
    for (size_t i = 1; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        const struct mmc_summary *ref = &x->summaries[sm->diff.ref];
        snprintf(at(&g, i, 0), CELL, "%s%sc=%lu - %s%sc=%lu", sm->point.variant,
                 sm->point.variant[0] ? " " : "", sm->point.c, ref->point.variant,
                 ref->point.variant[0] ? " " : "", ref->point.c);
        for (int k = 0; k < MMC_N_CMP; k++) {
            double scale = is_time[k] ? u->time_scale : 1.0;
            const struct mmc_ci *d = &sm->diff.d[k];
            int dec = isnan(d->half) ? 2 : half_decimals(d->half * scale, 2);
            size_t col = 1 + 3 * (size_t)k;
            put_dec(&g, i, col, dec, d->mean * scale, PLAIN);
            put_dec(&g, i, col + 1, dec, d->half * scale, HALF);
            char buf[CELL];
            if (isfinite(sm->diff.unpaired_half[k]))
                snprintf(buf, sizeof buf, "(± %.*f)", dec, sm->diff.unpaired_half[k] * scale);
            else
                snprintf(buf, sizeof buf, "(-)"); /* one replication: no spread to pair */
            snprintf(at(&g, i, col + 2), CELL, "%s", buf);
        }
    }
    fputs("\npaired differences (common random numbers): each point minus the one before it "
          "(compare: adjacent) or the first (compare: baseline)\n",
          f);
    grid_print(f, &g);
}

/* v in format fmt (one double conversion), or "-" when it is not a number (a window of no
 * length has no time averages to check). */
static const char *finite_or_dash(char *buf, size_t size, const char *fmt, double v)
{
    if (!isfinite(v))
        return "-";
    snprintf(buf, size, fmt, v);
    return buf;
}

/* The metrics every replication saw at one value other than the closed form's: not judged. */
/* Model steal's balance: steals and failed attempts per measured task, and the share of tasks
 * served by the worker whose deque they joined. */
static void steal_line(FILE *f, const struct mmc_summary *sm)
{
    double n = sm->tasks > 0 ? (double)sm->tasks : NAN;
    char st[16], fl[16], fw[16];
    fprintf(f,
            "    stealing: %s steals and %s failed attempts per task; %s of tasks served by the "
            "worker they arrived at\n",
            finite_or_dash(st, sizeof st, "%.4f", (double)sm->steals / n),
            finite_or_dash(fl, sizeof fl, "%.4f", (double)sm->steal_failed / n),
            finite_or_dash(fw, sizeof fw, "%.4f", (double)sm->first_worker / n));
}

/* Sizes that vary: per resource requested, its free fraction when a request found no room
 * (stranded) and the share of its offered demand blocked. */
static void sizes_line(FILE *f, const struct mmc_summary *sm)
{
    char fr[16], bl[16];
    fputs("    sizes vary:", f);
    const char *sep = " ";
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        if (!(sm->point.place->request[r] > 0.0))
            continue;
        fprintf(f, "%s%s free when no room %s, demand blocked %s", sep, mmc_place_resource_name(r),
                finite_or_dash(fr, sizeof fr, "%.3f", sm->stranded[r]),
                finite_or_dash(bl, sizeof bl, "%.4f", sm->blocked_demand[r]));
        sep = "; ";
    }
    fprintf(f, " (%llu requests found no room)\n", (unsigned long long)sm->n_no_room);
}

/* Model place's cluster: conflicts, retries and failures per offered request, placements per
 * worker, and each resource the workers have: its time-average use and peak. */
static void place_line(FILE *f, const struct mmc_summary *sm)
{
    const struct mmc_place *pl = sm->point.place;
    double n = sm->offered > 0 ? (double)sm->offered : NAN;
    char cf[16], ch[16], ca[16], rt[16], fl[16], lo[16], hi[16], cv[16];
    const struct mmc_ci *c = &sm->m[MMC_M_CONFLICTS];
    fprintf(f,
            "    placement: %lu workers, %lu threads; %s ± %s [%s] conflicts, %s retries per "
            "request, %s failed; placements per worker %s to %s (CV %s)",
            sm->point.place_workers, sm->point.c, finite_or_dash(cf, sizeof cf, "%.4f", c->mean),
            finite_or_dash(ch, sizeof ch, "%.4f", c->half),
            finite_or_dash(ca, sizeof ca, "%.4f", mmc_analytic_metric(&sm->an, MMC_M_CONFLICTS)),
            finite_or_dash(rt, sizeof rt, "%.4f", (double)sm->retries / n),
            finite_or_dash(fl, sizeof fl, "%.4f", (double)sm->failed / n),
            finite_or_dash(lo, sizeof lo, "%.2f", sm->placed_min),
            finite_or_dash(hi, sizeof hi, "%.2f", sm->placed_max),
            finite_or_dash(cv, sizeof cv, "%.3f", sm->placed_cv));
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        bool had = false;
        for (size_t i = 0; i < pl->n_pools; i++)
            had |= pl->pool[i].cap[r] > 0.0;
        if (had)
            fprintf(f, "; %s used %.3f (peak %.3f)", mmc_place_resource_name(r), sm->res_util[r],
                    sm->res_peak[r]);
    }
    fputc('\n', f);
    if (pl->varying)
        sizes_line(f, sm);
}

/* A finite workload from empty: its makespan (first submission to last completion), speedup
 * (the measured tasks' work over the makespan) and efficiency (speedup / c), means over the
 * replications with their 95 % half-widths ("-" with one replication). */
static void finite_line(FILE *f, const struct mmc_summary *sm)
{
    double ms = sm->makespan.mean, scale = ms < 10.0 ? 1e3 : 1.0, c = (double)sm->point.c;
    char mh[32], sh[32], eh[32];
    fprintf(f,
            "    finite workload: makespan %.3f ± %s %s (first submission to last completion); "
            "speedup %.3f ± %s (work / makespan); efficiency %.3f ± %s (speedup / c)\n",
            ms * scale, finite_or_dash(mh, sizeof mh, "%.3f", sm->makespan.half * scale),
            scale > 1.0 ? "ms" : "s", sm->speedup.mean,
            finite_or_dash(sh, sizeof sh, "%.3f", sm->speedup.half), sm->speedup.mean / c,
            finite_or_dash(eh, sizeof eh, "%.3f", sm->speedup.half / c));
}

static void no_spread_line(FILE *f, const struct mmc_summary *sm)
{
    if (sm->no_spread == 0)
        return;
    fputs("    not judged, every replication saw the same value (no spread to judge by; closed "
          "form in brackets):",
          f);
    for (int k = 0; k < MMC_M_COUNT; k++)
        if (sm->no_spread & (1u << k))
            fprintf(f, " %s %.4g [%.4g]", mmc_metric_name(k), sm->m[k].mean,
                    mmc_analytic_metric(&sm->an, k));
    fputc('\n', f);
}

/* Why a point is too short to judge, one line per reason. */
static void warning_lines(FILE *f, const struct mmc_summary *sm)
{
    if (sm->warnings & MMC_WARN_SHORT_WINDOW)
        fprintf(f,
                "    WARNING: the measurement window (%.4g s in the shortest replication) is "
                "under %g mean sojourns (%.4g s): most of its tasks finish after it, so "
                "throughput and the time averages are not steady-state figures (not judged); "
                "measure more tasks or a longer time\n",
                sm->window_min, MMC_MIN_WINDOW_SOJOURNS, mmc_summary_sojourn(sm));
    if (sm->warnings & MMC_WARN_SHORT_WARMUP)
        fprintf(f,
                "    WARNING: the warm-up (%.0f tasks) is short against the autocorrelation time "
                "of T (%.0f tasks): the start likely left a bias in every figure larger than "
                "%g of the interval (not judged); use warmup: auto or a longer warm-up\n",
                sm->warmup_tasks, sm->act, MMC_MAX_BIAS_SHARE);
    if ((sm->warnings & MMC_WARN_SHORT_REPLICATIONS) && sm->act_unsettled)
        fprintf(f,
                "    WARNING: each replication measures %.0f tasks, and warm-up pilots that long "
                "did not cover %g of their own autocorrelation times of T (at least %.0f tasks "
                "each, read short on so short a series): the means are biased and skewed, and "
                "the intervals under-cover however many replications run (not judged); measure "
                "more tasks per replication\n",
                (double)sm->tasks / (double)sm->replications, MMC_PILOT_ACTS, sm->act);
    else if (sm->warnings & MMC_WARN_SHORT_REPLICATIONS)
        fprintf(f,
                "    WARNING: each replication measures %.0f tasks, under %g autocorrelation "
                "times of T (%.0f tasks each): its means are biased by about 1/%.0f and "
                "skewed, and the intervals under-cover however many replications run (not "
                "judged); measure more tasks per replication\n",
                (double)sm->tasks / (double)sm->replications, MMC_MIN_REP_ACTS, sm->act,
                (double)sm->tasks / (double)sm->replications / sm->act);
}

static void checks(FILE *f, const struct mmc_experiment *x)
{
    fputs("\nchecks: conservation in every replication; Little's law in the worst replication; "
          "utilization on the means\n",
          f);
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        if (!sm->simulated) {
            fprintf(f, "  %s%sc=%lu lambda=%g: not run (interrupted)\n", sm->point.variant,
                    sm->point.variant[0] ? ": " : "", sm->point.c, sm->point.lambda);
            continue;
        }
        char rl[16], rlq[16], ru[16], wmin[16], wmax[16], wcv[16], work[96];
        snprintf(work, sizeof work,
                 sm->point.model->work_conserving
                     ? "work conservation %llu violations"
                     : "not work-conserving by design: %llu events left a task waiting beside an "
                       "idle worker",
                 (unsigned long long)sm->work_violations);
        fprintf(f,
                "  %s%sc=%lu lambda=%g: conservation %s (%llu arrived = %llu completed + %llu "
                "rejected + %llu lost + %llu in system); Little's law residual L %s, Lq %s; "
                "utilization vs X/(c mu) %s; %s\n",
                sm->point.variant, sm->point.variant[0] ? ": " : "", sm->point.c, sm->point.lambda,
                sm->conserved ? "ok" : "FAILED", (unsigned long long)sm->arrived,
                (unsigned long long)sm->completed, (unsigned long long)sm->rejected,
                (unsigned long long)sm->lost, (unsigned long long)sm->in_system_end,
                finite_or_dash(rl, sizeof rl, "%.1e", sm->little_l),
                finite_or_dash(rlq, sizeof rlq, "%.1e", sm->little_lq),
                finite_or_dash(ru, sizeof ru, "%.1e", sm->util_residual), work);
        fprintf(f,
                "    %zu replications, %llu tasks measured; longest queue %llu; per-worker "
                "utilization %s (least busy) to %s (most); tasks per worker CV %s\n",
                sm->replications, (unsigned long long)sm->tasks, (unsigned long long)sm->max_queue,
                finite_or_dash(wmin, sizeof wmin, "%.4f", sm->worker_util_min),
                finite_or_dash(wmax, sizeof wmax, "%.4f", sm->worker_util_max),
                finite_or_dash(wcv, sizeof wcv, "%.4f", sm->worker_tasks_cv));
        if (sm->point.model->steals)
            steal_line(f, sm);
        if (sm->point.place != NULL)
            place_line(f, sm);
        if (!isnan(sm->makespan.mean))
            finite_line(f, sm);
        if (sm->cv_applied)
            fprintf(f,
                    "    control variates: variance reduced by %.0f%% (T), %.0f%% (Wq), %.0f%% "
                    "(Lq), %.0f%% (utilization); negative means no gain\n",
                    100 * sm->cv_reduction[MMC_M_T], 100 * sm->cv_reduction[MMC_M_WQ],
                    100 * sm->cv_reduction[MMC_M_LQ], 100 * sm->cv_reduction[MMC_M_UTIL]);
        if (sm->pct_withheld != 0) {
            fprintf(f,
                    "    percentile intervals withheld (tail too thin: fewer than %d tasks beyond "
                    "the level in a replication, or than %g autocorrelation times of T in the "
                    "point; not judged):",
                    MMC_PCT_MIN_TAIL, MMC_PCT_MIN_TAIL_ACTS);
            const char *name[MMC_N_PCT] = {"p50", "p90", "p95", "p99", "p99.9"};
            for (int k = 0; k < MMC_N_PCT; k++)
                if (sm->pct_withheld & (1u << k))
                    fprintf(f, " %s", name[k]);
            fputc('\n', f);
        }
        no_spread_line(f, sm);
        warning_lines(f, sm);
        if (sm->point.warmup.kind == MMC_LIMIT_AUTO)
            fprintf(f,
                    "    warm-up (MSER-5 on %d pilot paths of %llu tasks): first %llu tasks cut\n",
                    MMC_PILOTS, (unsigned long long)sm->point.pilot_tasks,
                    (unsigned long long)sm->point.warmup_cut);
        if (sm->point.stop_asked > 0.0) {
            const char *unit = sm->point.stop.kind == MMC_LIMIT_TASKS ? "tasks" : "s";
            fprintf(f,
                    "    replications lengthened by the precision rule: %.6g %s each, not %.6g "
                    "(%g autocorrelation times of T, %.0f tasks each)\n",
                    sm->point.stop.value, unit, sm->point.stop_asked, MMC_REP_ACTS, sm->act);
        }
    }
}

static struct units pick_units(const struct mmc_experiment *x)
{
    double tmax = 0.0;
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        double t = sm->simulated ? sm->m[MMC_M_T].mean : sm->an.t;
        if (isfinite(t) && t > tmax)
            tmax = t;
    }
    if (tmax < 10.0)
        return (struct units){1e3, "ms", 2};
    return (struct units){1.0, "s", 3};
}

static void describe_limit(char *buf, size_t n, const struct mmc_limit *l)
{
    if (l->kind == MMC_LIMIT_TASKS)
        snprintf(buf, n, "%.0f tasks", l->value);
    else if (l->kind == MMC_LIMIT_TIME)
        snprintf(buf, n, "%g s", l->value);
    else if (l->kind == MMC_LIMIT_AUTO)
        snprintf(buf, n, "auto (MSER-5)");
    else
        snprintf(buf, n, "none");
}

/* Is v's workload a Poisson stream of exponential tasks? */
static bool is_markovian(const struct mmc_scenario *v)
{
    return v->process.kind == MMC_PROCESS_RENEWAL && !v->process.batched &&
           v->arrival_dist.shape.kind == MMC_DIST_EXPONENTIAL &&
           v->service_dist.shape.kind == MMC_DIST_EXPONENTIAL;
}

/* One law: its name, and its SCV unless it is exponential. */
static void shape_text(char *buf, size_t n, const struct mmc_dist *d)
{
    if (d->kind == MMC_DIST_EXPONENTIAL)
        snprintf(buf, n, "%s", mmc_dist_kind_name(d->kind));
    else
        snprintf(buf, n, "%s (scv %.4g)", mmc_dist_kind_name(d->kind), d->scv);
}

/* "arrival ..., service ..." of one variant: its process or renewal law, and its service law. */
static void workload(char *buf, size_t n, const struct mmc_scenario *v)
{
    const struct mmc_process *pr = &v->process;
    char arrival[64], batches[48] = "", service[64];
    if (pr->kind == MMC_PROCESS_MMPP)
        snprintf(arrival, sizeof arrival, "MMPP (two-state bursts)");
    else if (pr->kind == MMC_PROCESS_SCHEDULE)
        snprintf(arrival, sizeof arrival, "Poisson with a rate schedule");
    else if (pr->kind == MMC_PROCESS_TRACE)
        snprintf(arrival, sizeof arrival, "trace (%zu arrivals)", pr->trace.n);
    else
        shape_text(arrival, sizeof arrival, &v->arrival_dist.shape);
    if (pr->batched)
        snprintf(batches, sizeof batches, " in batches (mean size %.4g)",
                 mmc_batch_size_mean(&pr->batch));
    if (pr->trace_service)
        snprintf(service, sizeof service, "from the trace (scv %.4g)", v->service_dist.shape.scv);
    else if (v->place.forever)
        snprintf(service, sizeof service, "forever (containers never end)");
    else
        shape_text(service, sizeof service, &v->service_dist.shape);
    snprintf(buf, n, "arrival %s%s, service %s%s", arrival, batches, service,
             v->delay_held ? " after the network delay, both held by the worker" : "");
}

/*
 * Beyond M/M/c (another law, a held delay, another model): the workload (per
 * variant where they differ), and which closed forms the brackets hold.
 */
static void distributions(FILE *f, const struct mmc_experiment *x)
{
    bool plain = true, same = true;
    char first[256], text[256];
    workload(first, sizeof first, &x->variants[0]);
    for (size_t i = 0; i < x->n_variants; i++) {
        plain &= is_markovian(&x->variants[i]) && !x->variants[i].delay_held &&
                 strcmp(x->variants[i].model, "mmc") == 0; /* else the forms are worth naming */
        workload(text, sizeof text, &x->variants[i]);
        same &= strcmp(text, first) == 0;
    }
    if (plain)
        return;
    if (same) {
        fprintf(f, "distributions: %s\n", first);
    } else {
        fputs("distributions:\n", f);
        for (size_t i = 0; i < x->n_variants; i++) {
            workload(text, sizeof text, &x->variants[i]);
            fprintf(f, "  %s: %s\n", x->variants[i].variant, text);
        }
    }
    fputs("closed forms:", f);
    const char *seen[4] = {NULL};
    size_t n_seen = 0;
    for (size_t i = 0; i < x->n_points && n_seen < 4; i++) {
        const struct mmc_analytic *an = &x->summaries[i].an;
        if (!x->summaries[i].has_analytic || an->form == NULL)
            continue;
        bool dup = false;
        for (size_t j = 0; j < n_seen; j++)
            dup |= strcmp(seen[j], an->form) == 0;
        if (dup)
            continue;
        seen[n_seen++] = an->form;
        fprintf(f, "%s %s", n_seen > 1 ? "," : "", an->form);
        if (an->approx)
            fprintf(f, " (approx.: [~x], judged within %g %%)", 100.0 * MMC_APPROX_REL_TOL);
    }
    fputs(n_seen == 0 ? " none\n" : "\n", f);
}

/* Model steal's settings in words. */
static void steal_settings(char *buf, size_t n, const struct mmc_steal *st)
{
    snprintf(buf, n, "victim %s, %s, amount %s, cost %g s, arrive %s",
             mmc_steal_victim_name(st->victim), mmc_steal_order_name(st->order),
             mmc_steal_amount_name(st->amount), st->cost, mmc_steal_arrive_name(st->arrive));
}

/* Two variants' steal blocks say the same. */
static bool same_steal(const struct mmc_steal *a, const struct mmc_steal *b)
{
    return a->arrive == b->arrive && a->order == b->order && a->victim == b->victim &&
           a->amount == b->amount && a->cost == b->cost;
}

/* A variant's model, with its dispatch policy or steal settings where it has them. */
static void design_of(char *buf, size_t n, const struct mmc_scenario *v)
{
    char st[128];
    const struct mmc_model *m = mmc_model_find(v->model);
    if (m->dispatches) {
        snprintf(buf, n, "%s %s", v->model, mmc_policy_name(v->dispatch.policy));
    } else if (m->steals) {
        steal_settings(st, sizeof st, &v->steal);
        snprintf(buf, n, "%s (%s)", v->model, st);
    } else {
        snprintf(buf, n, "%s", v->model);
    }
}

/* The title line: the scenario and its model (with its dispatch policy), or, when variants
 * differ in model or policy, each variant's. */
static void heading_model(FILE *f, const struct mmc_experiment *x)
{
    const struct mmc_scenario *s = x->scenario;
    bool same = true;
    for (size_t v = 1; v < x->n_variants; v++)
        same = same && strcmp(x->variants[v].model, s->model) == 0 &&
               (!x->model->dispatches || x->variants[v].dispatch.policy == s->dispatch.policy) &&
               (!x->model->steals || same_steal(&x->variants[v].steal, &s->steal));
    if (!same) { /* each design once, in the order the variants bring them */
        fprintf(f, "%s: several models, by variant:", s->name);
        for (size_t v = 0; v < x->n_variants; v++) {
            char design[192];
            design_of(design, sizeof design, &x->variants[v]);
            bool seen = false;
            for (size_t u = 0; u < v && !seen; u++) {
                char other[192];
                design_of(other, sizeof other, &x->variants[u]);
                seen = strcmp(other, design) == 0;
            }
            if (!seen)
                fprintf(f, "%s %s", v ? "," : "", design);
        }
        fputc('\n', f);
    } else if (x->model->dispatches) {
        fprintf(f, "%s: %s; dispatch: %s\n", s->name, x->model->title,
                mmc_policy_name(s->dispatch.policy));
    } else if (x->model->steals) {
        char st[128];
        steal_settings(st, sizeof st, &s->steal);
        fprintf(f, "%s: %s; steal: %s\n", s->name, x->model->title, st);
    } else {
        fprintf(f, "%s: %s\n", s->name, x->model->title);
    }
}

static void heading(FILE *f, const struct mmc_experiment *x, const struct mmc_report_info *info,
                    const struct units *u)
{
    const struct mmc_scenario *s = x->scenario;
    char stop[64], warm[64];
    describe_limit(stop, sizeof stop, &s->stop);
    if (s->process.kind == MMC_PROCESS_TRACE &&
        (s->stop.kind != MMC_LIMIT_TASKS || s->stop.value >= (double)s->process.trace.n))
        snprintf(stop, sizeof stop, "the whole trace (%zu arrivals)", s->process.trace.n);
    describe_limit(warm, sizeof warm, &s->warmup);
    heading_model(f, x);
    if (s->description[0] != '\0')
        fprintf(f, "%s\n", s->description);
    if (x->interrupted)
        fputs("PARTIAL: interrupted; each row holds only the replications that finished (see the "
              "checks), a row with none says not run\n",
              f);
    if (info->analytic_only)
        fputs("closed form only (--analytic): nothing simulated\n", f);
    else if (s->method == MMC_METHOD_BATCH_MEANS)
        fprintf(f,
                "batch means: one run per point, warm-up %s, then %s measured, cut into %lu "
                "batches (merged further while correlated); seed %llu (%s)\n",
                warm, stop, s->batches, (unsigned long long)s->seed, s->rng);
    else if (s->precision.target > 0.0)
        fprintf(f,
                "%lu or more replications per point, until %s is within +-%g%% (at %g%%, at most "
                "%lu); each: warm-up %s, then %s measured; seed %llu (%s)\n",
                s->replications, s->precision.metric, 100 * s->precision.target,
                100 * s->precision.confidence, s->precision.max_replications, warm, stop,
                (unsigned long long)s->seed, s->rng);
    else
        fprintf(f,
                "%lu replications per point, each: warm-up %s, then %s measured; seed %llu (%s)\n",
                s->replications, warm, stop, (unsigned long long)s->seed, s->rng);
    distributions(f, x);
    fprintf(f,
            "times in %s, rates in tasks/s, memory in MB (%g MB per task); cells: simulated mean, "
            "± 95%% half-width, [closed form]\n\n",
            u->time, s->mem_per_task);
}

void mmc_table_write(FILE *f, const struct mmc_experiment *x, const struct mmc_report_info *info)
{
    struct units u = pick_units(x);
    heading(f, x, info, &u);
    queue_block(f, x);
    fputc('\n', f);
    latency_block(f, x, &u);
    fputc('\n', f);
    percentile_block(f, x, &u, MMC_M_T_P50, "T");
    fputc('\n', f);
    percentile_block(f, x, &u, MMC_M_WQ_P50, "Wq");
    if (x->n_class_rows > 0) {
        fputc('\n', f);
        class_block(f, x, &u);
    }
    if (any_protected(x))
        loss_block(f, x);
    interval_block(f, x, &u);
    if (!info->analytic_only && x->scenario->compare != MMC_COMPARE_NONE && x->n_points > 1)
        diff_block(f, x, &u);
    if (!info->analytic_only)
        checks(f, x);
}
