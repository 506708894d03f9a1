/*
 * plan_table.c - `mmcsim plan` over a scenario's sweep (see plan_table.h).
 *
 * The sweep is walked in the experiment's order (arrival, then service,
 * then network delay; the workers axis is what is solved for, so it is
 * ignored). Each point gets a block: the recommended count, every term's
 * figure at c and at c - 1 with pass or fail and the margin at c, the
 * headroom rate (sim/plan.h: the largest arrival rate at which c still
 * meets every term) and the what-ifs of the binding term (the one with the
 * smallest relative margin at c). Every figure is the M/M/c closed form,
 * exact for the scenarios mmc_plan_table_check accepts.
 *
 * Confirmation runs the scenario itself, narrowed to the point's rates and
 * delay and to the workers c - 1 and c (a shallow copy whose axes point at
 * local arrays: the loaded scenario keeps ownership), through the
 * experiment runner, so the replications, warm-up and precision rule are
 * the scenario's. A count below that has no steady state is not simulated:
 * it misses every term by the closed form. The verdict is deliberately
 * one-sided: "confirmed" needs every interval at c inside its target and
 * one interval at c - 1 wholly outside; anything else is reported as
 * undecided at this precision, with the figure that left it so.
 */
#include "plan_table.h"

#include "dist.h"
#include "experiment.h"

#include <math.h>
#include <string.h>

/* "worker" or "workers", after a count n. */
static const char *workers(unsigned long n)
{
    return n == 1 ? "worker" : "workers";
}

/* A feature the closed form does not cover: the first one found, or NULL. */
static const char *unsupported(const struct mmc_scenario *s)
{
    if (s->n_variants > 0)
        return "variants";
    if (strcmp(s->model, "mmc") != 0)
        return "a model other than mmc (planning by simulation is not implemented yet)";
    if (s->arrival_dist.shape.kind != MMC_DIST_EXPONENTIAL ||
        s->process.kind != MMC_PROCESS_RENEWAL || s->process.batched)
        return "arrivals other than exponential gaps (MMPP, schedules, traces, batches, other "
               "laws)";
    if (s->service_dist.shape.kind != MMC_DIST_EXPONENTIAL || s->process.trace_service)
        return "service times other than exponential";
    if (s->classes.n > 0)
        return "priority classes";
    if (mmc_protection_is_on(&s->protect))
        return "overload protection (capacity, shed, throttle, patience)";
    if (s->staffing.n > 0)
        return "a staffing schedule";
    if (s->arrival_is_load)
        return "arrival given as a load (it depends on the workers being planned: give a rate)";
    for (size_t i = 0; i < s->network_delay.n; i++)
        if (s->delay_held && s->network_delay.v[i] > 0.0)
            return "a network delay held by the worker";
    for (size_t i = 0; i < s->service.n; i++)
        if (!isfinite(s->service.v[i]))
            return "instantaneous service";
    return NULL;
}

int mmc_plan_table_check(const struct mmc_scenario *s, struct mmc_error *err)
{
    const char *what = unsupported(s);
    if (what == NULL)
        return 0;
    mmc_error_set(err, s->file, 0, 0,
                  "plan: only M/M/c scenarios (model mmc, exponential arrival and service, no "
                  "classes, protection, staffing or variants) are planned so far; this one has %s",
                  what);
    return -1;
}

static int check_options(const struct mmc_plan_options *o, struct mmc_error *err)
{
    if (o->n_slo == 0 || o->n_slo > MMC_PLAN_MAX_SLO) {
        mmc_error_set(err, "", 0, 0, "plan: expected 1 to %d --slo terms, got %zu",
                      MMC_PLAN_MAX_SLO, o->n_slo);
        return -1;
    }
    if (o->simulate && o->threads == 0) {
        mmc_error_set(err, "", 0, 0, "plan: expected at least 1 thread");
        return -1;
    }
    if (o->n_sens > MMC_PLAN_MAX_SENS) {
        mmc_error_set(err, "", 0, 0, "plan: expected at most %d --sensitivity values",
                      MMC_PLAN_MAX_SENS);
        return -1;
    }
    for (size_t i = 0; i < o->n_sens; i++)
        if (!(isfinite(o->sens[i]) && o->sens[i] > 0.0)) {
            mmc_error_set(err, "", 0, 0, "plan: expected --sensitivity fractions > 0, got %g",
                          o->sens[i]);
            return -1;
        }
    return 0;
}

/* Width of the term column: the longest label, at least "term". */
static int label_width(const struct mmc_plan_options *o)
{
    size_t w = 4;
    for (size_t i = 0; i < o->n_slo; i++)
        if (strlen(o->slo[i].label) > w)
            w = strlen(o->slo[i].label);
    return (int)w;
}

/* "%.4g" of a figure, or "unstable" when there is none. */
static const char *figure_text(char *buf, size_t size, bool stable, double x)
{
    if (!stable)
        return "unstable";
    snprintf(buf, size, "%.4g", x);
    return buf;
}

/* The term table: figures at c (and c - 1 when found) with pass/fail, and the margin at c. */
static void write_terms(FILE *f, const struct mmc_plan_options *o, const struct mmc_plan_result *r)
{
    int w = label_width(o);
    char at[32], below[32];
    snprintf(at, sizeof at, "at %lu", r->at.c);
    snprintf(below, sizeof below, "at %lu", r->below.c);
    fprintf(f, r->found ? "  %-*s  %-10s  %-10s %-4s" : "  %-*s  %-10s  %-10s %s", w, "term",
            "target", at, "pass");
    if (r->found)
        fprintf(f, "  %-10s %-4s  %s", r->below.c > 0 ? below : "below", "pass", "margin");
    fputc('\n', f);
    for (size_t i = 0; i < o->n_slo; i++) {
        const struct mmc_slo *s = &o->slo[i];
        char target[32], buf[32];
        snprintf(target, sizeof target, "%s %.10g", s->strict ? "<" : "<=", s->value);
        fprintf(f, r->found ? "  %-*s  %-10s  %-10s %-4s" : "  %-*s  %-10s  %-10s %s", w, s->label,
                target, figure_text(buf, sizeof buf, r->at.stable, r->at.fig[i]),
                mmc_slo_is_met(s, r->at.fig[i]) ? "yes" : "no");
        if (r->found) {
            if (r->below.c == 0)
                fprintf(f, "  %-10s %-4s", "(none)", "-");
            else
                fprintf(f, "  %-10s %-4s",
                        figure_text(buf, sizeof buf, r->below.stable, r->below.fig[i]),
                        mmc_slo_is_met(s, r->below.fig[i]) ? "yes" : "no");
            fprintf(f, "  %.4g", r->at.margin[i]);
            if (s->value > 0.0)
                fprintf(f, " (%.1f %%)", 100.0 * r->at.margin[i] / s->value);
        }
        fputc('\n', f);
    }
}

/* One what-if row. */
static int write_whatif(FILE *f, const struct mmc_plan_in *in, const struct mmc_plan_result *r,
                        double sf, double af, struct mmc_error *err)
{
    struct mmc_plan_whatif wi;
    if (mmc_plan_whatif(in, r, sf, af, &wi, err) != 0)
        return -1;
    char what[48], buf[32], need[48];
    if (sf != 1.0)
        snprintf(what, sizeof what, "service +%g %%", 100.0 * (sf - 1.0));
    else
        snprintf(what, sizeof what, "arrival +%g %%", 100.0 * (af - 1.0));
    if (wi.found)
        snprintf(need, sizeof need, "%lu", wi.c_needed);
    else
        snprintf(need, sizeof need, "none <= %lu", in->c_max);
    fprintf(f, "    %-16s %-12s %-9s %s\n", what,
            figure_text(buf, sizeof buf, !isnan(wi.figure), wi.figure),
            wi.still_met ? "meets" : "fails", need);
    return 0;
}

/* Headroom and what-ifs of a found plan. */
static int write_found(FILE *f, const struct mmc_plan_in *in, const struct mmc_plan_options *o,
                       const struct mmc_plan_result *r, struct mmc_error *err)
{
    double h = mmc_plan_headroom(in, r->at.c);
    fprintf(f, "  headroom: %lu %s meet%s every term up to lambda %.6g/s (+%.3g %%)\n", r->at.c,
            workers(r->at.c), r->at.c == 1 ? "s" : "", h, 100.0 * (h / in->lambda - 1.0));
    if (o->n_sens == 0)
        return 0;
    fprintf(f, "  sensitivity of the binding term %s at %lu %s:\n", o->slo[r->binding].label,
            r->at.c, workers(r->at.c));
    fprintf(f, "    %-16s %-12s %-9s %s\n", "what-if", o->slo[r->binding].label, "all terms",
            "workers needed");
    for (size_t k = 0; k < o->n_sens; k++)
        if (write_whatif(f, in, r, 1.0 + o->sens[k], 1.0, err) != 0)
            return -1;
    for (size_t k = 0; k < o->n_sens; k++)
        if (write_whatif(f, in, r, 1.0, 1.0 + o->sens[k], err) != 0)
            return -1;
    return 0;
}

/* ---- confirmation by simulation ---- */

/* One term's simulated interval at one count. */
struct sim_figure {
    bool known;         /* the simulation measures this figure */
    struct mmc_ci ci;   /* 95 %; mean and half 0 for a loss M/M/c cannot have */
    bool meets, misses; /* the whole interval meets the target / misses it */
};

/* What the simulation said about one point. */
struct confirmation {
    bool confirmed;
    size_t reps_at, reps_below; /* replications run at c and at c - 1 (0: not run) */
    struct sim_figure at[MMC_PLAN_MAX_SLO], below[MMC_PLAN_MAX_SLO];
    char why[320]; /* what could not be decided ("" when confirmed) */
};

/* The scenario s with one point's rates and delay, and the workers counts w[0 .. n - 1]. Its
 * axes point into the caller's storage: the copy owns nothing and is never finalized. */
static struct mmc_scenario scenario_at(const struct mmc_scenario *s, double *rates, double *w,
                                       size_t n, const struct mmc_plan_options *o)
{
    struct mmc_scenario q = *s;
    q.arrival = (struct mmc_axis){1, &rates[0]};
    q.service = (struct mmc_axis){1, &rates[1]};
    q.network_delay = (struct mmc_axis){1, &rates[2]};
    q.workers = (struct mmc_axis){n, w};
    q.compare = MMC_COMPARE_NONE;
    for (size_t i = 0; i < o->n_slo; i++) /* the run measures one P(Wq > t): the first term's */
        if (o->slo[i].kind == MMC_SLO_P_WQ_GT) {
            q.wait_threshold = o->slo[i].threshold;
            break;
        }
    return q;
}

/* The simulated metric behind term s, and the constant to subtract from it: a percentile of W
 * is T's less the fixed delay d (T = d + W). MMC_M_COUNT when the run does not measure it. */
static enum mmc_metric sim_metric(const struct mmc_slo *s, const struct mmc_summary *sm,
                                  double *minus)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    *minus = 0.0;
    if (s->kind == MMC_SLO_P_WQ_GT && s->threshold != sm->point.wait_threshold)
        return MMC_M_COUNT;
    if (s->metric != MMC_M_COUNT)
        return s->metric;
    for (int k = 0; k < MMC_N_PCT; k++)
        if (s->kind == MMC_SLO_W && s->level == level[k]) {
            *minus = sm->point.d;
            return (enum mmc_metric)(MMC_M_T_P50 + k);
        }
    return MMC_M_COUNT;
}

/* Term s's simulated figure in summary sm. */
static struct sim_figure sim_figure(const struct mmc_slo *s, const struct mmc_summary *sm)
{
    struct sim_figure f = {0};
    double minus;
    enum mmc_metric m = sim_metric(s, sm, &minus);
    if (m == MMC_M_COUNT)
        return f;
    f.known = true;
    f.ci = sm->m[m];
    f.ci.mean -= minus;
    if (s->kind >= MMC_SLO_P_BLOCK && isnan(f.ci.mean)) /* no such mechanism: never happens */
        f.ci = (struct mmc_ci){0.0, 0.0, sm->replications};
    f.meets = isfinite(f.ci.half) && mmc_slo_is_met(s, f.ci.mean + f.ci.half);
    f.misses = isfinite(f.ci.half) && !mmc_slo_is_met(s, f.ci.mean - f.ci.half);
    return f;
}

/* The verdict from the figures; c - 1 is below_run (simulated) or unstable or absent. */
static void judge(struct confirmation *cf, const struct mmc_plan_options *o,
                  const struct mmc_plan_result *r)
{
    bool below_misses = r->below.c == 0 || !r->below.stable;
    for (size_t i = 0; i < o->n_slo; i++) {
        const struct mmc_slo *s = &o->slo[i];
        if (!cf->at[i].known) {
            snprintf(cf->why, sizeof cf->why, "%s is not a simulated figure%s", s->label,
                     s->kind == MMC_SLO_P_WQ_GT ? " (one P(Wq>t) threshold per run)" : "");
            return;
        }
        if (!cf->at[i].meets) {
            snprintf(cf->why, sizeof cf->why,
                     "%s's interval at %lu %s [%.4g, %.4g] does not lie within %s %.10g", s->label,
                     r->at.c, workers(r->at.c), cf->at[i].ci.mean - cf->at[i].ci.half,
                     cf->at[i].ci.mean + cf->at[i].ci.half, s->strict ? "<" : "<=", s->value);
            return;
        }
        below_misses = below_misses || (cf->reps_below > 0 && cf->below[i].misses);
    }
    if (!below_misses) {
        snprintf(cf->why, sizeof cf->why,
                 "no term's interval at %lu %s lies wholly beyond its target", r->below.c,
                 workers(r->below.c));
        return;
    }
    cf->confirmed = true;
}

/* Runs c (and c - 1 when it has a steady state) and judges; 0, or -1 with err set. */
static int confirm(const struct mmc_scenario *s, const struct mmc_plan_in *in,
                   const struct mmc_plan_options *o, const struct mmc_plan_result *r,
                   struct confirmation *cf, struct mmc_error *err)
{
    double rates[3] = {in->lambda, in->mu, in->d};
    double w[2];
    size_t n = 0;
    if (r->below.c > 0 && r->below.stable)
        w[n++] = (double)r->below.c;
    w[n++] = (double)r->at.c;
    struct mmc_scenario q = scenario_at(s, rates, w, n, o);
    struct mmc_experiment x = {0};
    if (mmc_experiment_init(&x, &q, err) != 0)
        return -1;
    mmc_experiment_run(&x, &(struct mmc_run_options){.threads = o->threads});
    *cf = (struct confirmation){0};
    const struct mmc_summary *at = &x.summaries[n - 1], *below = n == 2 ? &x.summaries[0] : NULL;
    cf->reps_at = at->replications;
    cf->reps_below = below != NULL ? below->replications : 0;
    for (size_t i = 0; i < o->n_slo; i++) {
        cf->at[i] = sim_figure(&o->slo[i], at);
        if (below != NULL)
            cf->below[i] = sim_figure(&o->slo[i], below);
    }
    mmc_experiment_fini(&x);
    judge(cf, o, r);
    return 0;
}

/* "mean +- half meets|misses|?" of one simulated figure; the characters written. */
static int write_sim_figure(FILE *f, const struct sim_figure *g)
{
    char buf[64];
    if (!g->known)
        return fprintf(f, "  %s", "(not simulated)");
    snprintf(buf, sizeof buf, "%.4g +- %.2g", g->ci.mean, g->ci.half);
    return fprintf(f, "  %-20s %s", buf, g->meets ? "meets" : g->misses ? "misses" : "undecided");
}

static void write_confirmation(FILE *f, const struct mmc_plan_options *o,
                               const struct mmc_plan_result *r, const struct confirmation *cf)
{
    int w = label_width(o);
    fprintf(f, "  simulation (95 %% intervals; %zu replications at %lu", cf->reps_at, r->at.c);
    if (cf->reps_below > 0)
        fprintf(f, ", %zu at %lu", cf->reps_below, r->below.c);
    fputs("):\n", f);
    for (size_t i = 0; i < o->n_slo; i++) {
        fprintf(f, "    %-*s  at %-8lu", w, o->slo[i].label, r->at.c);
        int n = write_sim_figure(f, &cf->at[i]);
        if (cf->reps_below > 0) {
            fprintf(f, "%*s  at %-8lu", n < 30 ? 30 - n : 0, "", r->below.c);
            write_sim_figure(f, &cf->below[i]);
        }
        fputc('\n', f);
    }
    if (r->below.c > 0 && !r->below.stable)
        fprintf(f, "    (%lu %s: no steady state, not simulated)\n", r->below.c,
                workers(r->below.c));
    if (cf->confirmed && r->at.c == 1)
        fputs("  confirmed: 1 worker meets every term, within the intervals\n", f);
    else if (cf->confirmed)
        fprintf(f, "  confirmed: %lu workers meet every term and %lu %s, within the intervals\n",
                r->at.c, r->at.c - 1, r->at.c == 2 ? "does not" : "do not");
    else
        fprintf(f, "  not confirmed at this precision: %s\n", cf->why);
}

/* One point's block; *missed is incremented when no count meets the terms. */
static int write_point(FILE *f, const struct mmc_scenario *s, const struct mmc_plan_in *in,
                       const struct mmc_plan_options *o, int *missed, struct mmc_error *err)
{
    struct mmc_plan_result r;
    if (mmc_plan_mmc(in, &r, err) != 0)
        return -1;
    struct confirmation cf = {0};
    if (r.found && o->simulate && confirm(s, in, o, &r, &cf, err) != 0)
        return -1;
    fprintf(f, "\nlambda %g/s, mu %g/s, d %g s (a = %.6g Erlangs): ", in->lambda, in->mu, in->d,
            in->lambda / in->mu);
    if (!r.found)
        fprintf(f, "no count up to %lu %s meets every term\n", in->c_max, workers(in->c_max));
    else if (!o->simulate)
        fprintf(f, "%lu %s (closed form, not yet confirmed by simulation)\n", r.at.c,
                workers(r.at.c));
    else
        fprintf(f, "%lu %s (closed form, %s)\n", r.at.c, workers(r.at.c),
                cf.confirmed ? "confirmed by simulation" : "not confirmed by simulation");
    write_terms(f, o, &r);
    if (!r.found) {
        (*missed)++;
        return 0;
    }
    if (o->simulate)
        write_confirmation(f, o, &r, &cf);
    return write_found(f, in, o, &r, err);
}

int mmc_plan_table_write(FILE *f, const struct mmc_scenario *s, const struct mmc_plan_options *o,
                         struct mmc_error *err)
{
    if (mmc_plan_table_check(s, err) != 0 || check_options(o, err) != 0)
        return -1;
    fprintf(f, "# mmcsim plan: %s (model mmc: the M/M/c closed form, exact for this scenario)\n",
            s->name);
    fputs("# terms:", f);
    for (size_t i = 0; i < o->n_slo; i++)
        fprintf(f, " %s%s%.10g", o->slo[i].label, o->slo[i].strict ? "<" : "<=", o->slo[i].value);
    fprintf(f, "; workers searched 1..%lu\n", o->c_max);
    int missed = 0;
    for (size_t ia = 0; ia < s->arrival.n; ia++)
        for (size_t im = 0; im < s->service.n; im++)
            for (size_t id = 0; id < s->network_delay.n; id++) {
                struct mmc_plan_in in = {s->arrival.v[ia], s->service.v[im], s->network_delay.v[id],
                                         o->c_max,         o->slo,           o->n_slo};
                if (write_point(f, s, &in, o, &missed, err) != 0)
                    return -1;
            }
    return missed;
}
