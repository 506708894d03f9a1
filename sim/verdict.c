/*
 * verdict.c - what a summary's figures can be trusted for: warnings and verdicts.
 *
 * Warnings. A steady-state point is too short to judge when its window is
 * short, when the start likely left a bias the interval cannot see, or when
 * a replication covers too few autocorrelation times (experiment.h lists
 * the rules); its verdict then says so instead of agreeing or differing.
 *
 * Verdicts. Each compared metric has a 95 % Student-t interval over the
 * replications. A run compares up to MMC_M_COUNT metrics on every row, and
 * that many 95 % tests would call a correct simulator "differs" on most runs
 * (and make --validate fail CI for no reason); the verdict therefore widens
 * each interval to the Bonferroni level 1 - 0.05 / K for the K comparisons
 * of the whole run, so a correct simulator sees "differs" anywhere in a run
 * at most 5 % of the time. Percentiles also get the histogram's
 * resolution (MMC_HIST_REL_ERROR of the value) as tolerance, since their
 * estimates can be off by that much whatever the run length. The printed
 * half-widths stay the plain 95 % ones.
 */
#include "verdict.h"

#include "stats.h"

#include <math.h>
#include <stdio.h>

/* Differences below this (relative to the closed form) are rounding, not disagreement. */
#define MMC_VERDICT_REL_FLOOR 1e-9

/* Tasks a replication of p discards before measuring (NaN: a stationary start, nothing to
 * discard). */
static double warmup_tasks(const struct mmc_point *p)
{
    if (p->initial.kind == MMC_INITIAL_STATIONARY)
        return NAN;
    switch (p->warmup.kind) {
    case MMC_LIMIT_TASKS:
        return p->warmup.value;
    case MMC_LIMIT_AUTO:
        return (double)p->warmup_cut;
    case MMC_LIMIT_TIME:
        return p->warmup.value * p->lambda;
    default:
        return 0.0;
    }
}

/*
 * The relative bias a replication's mean is likely to keep from its start:
 * a start that is not stationary relaxes on the scale of the autocorrelation
 * time act, so what is left after a warm-up of d tasks is about
 * D (act / n) e^(-d / act) of the mean, over n measured tasks, where D is
 * the start's distance from steady state relative to the mean: 1 from empty
 * (nothing in system, nothing waiting), 1 + N / L from a backlog of N tasks
 * (L the mean number in system). residual_start_bias: 0 for a stationary start.
 */
double mmc_start_bias(const struct mmc_point *p, double l, double act, double n, double d)
{
    double dist = 1.0;
    if (p->initial.kind == MMC_INITIAL_IN_SYSTEM)
        dist += p->initial.in_system / fmax(l, 1.0);
    return dist * act / n * exp(-d / act);
}

/* start_bias of a simulated point (its mean L, act and warm-up); 0 for a stationary start. */
static double residual_start_bias(const struct mmc_summary *sm)
{
    double d = sm->warmup_tasks;
    if (isnan(d))
        return 0.0;
    double n = (double)sm->tasks / (double)sm->replications;
    if (sm->point.n_fine_batches > 0)
        n = (double)sm->tasks;
    return mmc_start_bias(&sm->point, sm->m[MMC_M_L].mean, sm->act, n, d);
}

/* T's relative half-width (the scale a bias must be small against). */
static double t_relative_half(const struct mmc_summary *sm)
{
    return sm->m[MMC_M_T].half / fabs(sm->m[MMC_M_T].mean);
}

/* Which of the MMC_WARN_ reasons make a simulated steady-state point too short to judge. */
static void set_warnings(struct mmc_summary *sm)
{
    sm->warnings = 0;
    sm->warmup_tasks = warmup_tasks(&sm->point);
    if (!sm->simulated || !mmc_point_steady(&sm->point) || sm->tasks == 0)
        return;
    if (!(sm->window_min >= MMC_MIN_WINDOW_SOJOURNS * mmc_summary_sojourn(sm)))
        sm->warnings |= MMC_WARN_SHORT_WINDOW;
    double act = sm->act;
    if (!(act > 0.0) || !isfinite(act))
        return;
    if (residual_start_bias(sm) > MMC_MAX_BIAS_SHARE * t_relative_half(sm))
        sm->warnings |= MMC_WARN_SHORT_WARMUP;
    double per_rep = sm->point.n_fine_batches > 0 ? (double)sm->tasks
                                                  : (double)sm->tasks / (double)sm->replications;
    if (per_rep < MMC_MIN_REP_ACTS * act || sm->act_unsettled)
        sm->warnings |= MMC_WARN_SHORT_REPLICATIONS;
}

void mmc_warnings_format(unsigned w, char *buf, size_t size)
{
    static const char *const names[] = {"short-window", "short-warmup", "short-replications"};
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof names / sizeof *names && len < size; k++)
        if (w & (1u << k))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", names[k]);
}

static bool is_percentile(int m)
{
    return m >= MMC_M_WQ_P50 && m <= MMC_M_T_P999;
}

/* How far metric k (closed form a) may be from a and still be a's value: rounding for an
 * exact form, the histogram's resolution for a percentile, the tolerance of an approximation. */
static double tolerance(const struct mmc_summary *sm, int k, double a)
{
    if (mmc_analytic_is_approx(&sm->an, k))
        return fabs(a) * MMC_APPROX_REL_TOL;
    return fabs(a) * (is_percentile(k) ? MMC_HIST_REL_ERROR : MMC_VERDICT_REL_FLOOR);
}

/*
 * z-scores of every metric that has both a closed form and an interval. A
 * value equal to the closed form up to rounding (or the histogram's
 * resolution) has z = 0, whatever its spread. A metric that every run saw
 * at the same value (no spread: a rare event never seen, a deterministic
 * system) carries no standard error: its z is undefined (NaN), and unless
 * it equals the closed form it goes into no_spread, outside the family.
 */
static void z_scores(struct mmc_summary *sm)
{
    sm->no_spread = 0;
    for (int k = 0; k < MMC_M_COUNT; k++) {
        double a = mmc_analytic_metric(&sm->an, k), se = NAN;
        if (sm->m[k].n >= 2)
            se = sm->m[k].half / mmc_t_quantile(0.975, (double)(sm->m[k].n - 1));
        double diff = sm->m[k].mean - a;
        bool exact = !mmc_analytic_is_approx(&sm->an, k);
        if (isnan(diff)) {
            sm->z[k] = NAN; /* no closed form (or no simulated value): nothing to compare */
        } else if (diff == 0.0 || (exact && fabs(diff) <= tolerance(sm, k, a))) {
            sm->z[k] = 0.0;
        } else if (se == 0.0) {
            sm->z[k] = NAN; /* an approximation is still judged by its tolerance */
            sm->no_spread |= exact ? 1u << k : 0u;
        } else {
            sm->z[k] = diff / se;
        }
    }
}

/* Metrics of sm that have a closed form, an interval and a spread: the ones judged. */
static bool is_judged(const struct mmc_summary *sm, int k)
{
    return !isnan(mmc_analytic_metric(&sm->an, k)) && !isnan(sm->m[k].half) &&
           !(sm->no_spread & (1u << k));
}

static int comparable(const struct mmc_summary *sm)
{
    int n = 0;
    for (int k = 0; k < MMC_M_COUNT; k++)
        n += is_judged(sm, k);
    return n;
}

static void judge(struct mmc_summary *sm)
{
    struct mmc_verdict *v = &sm->verdict;
    int k_cmp = sm->family > 0 ? sm->family : comparable(sm);
    double df = (double)(sm->m[MMC_M_T].n - 1);
    double widen = mmc_t_quantile(1.0 - 0.025 / k_cmp, df) / mmc_t_quantile(0.975, df);
    *v = (struct mmc_verdict){.kind = MMC_VERDICT_AGREES, .worst_ratio = -1.0, .n_compared = k_cmp};
    double approx_worst = -1.0;
    for (int k = 0; k < MMC_M_COUNT; k++) {
        double a = mmc_analytic_metric(&sm->an, k), s = sm->m[k].mean;
        if (!is_judged(sm, k))
            continue; /* no closed form, no interval (percentiles under batch means), no spread */
        bool approx = mmc_analytic_is_approx(&sm->an, k);
        double tol = tolerance(sm, k, a);
        double diff = fabs(s - a), allowed = sm->m[k].half * widen + tol;
        double ratio = diff <= tol ? 0.0 : diff / allowed;
        if (isnan(ratio))
            ratio = INFINITY;
        if (approx) { /* a miss says as much about the approximation: kept apart */
            if (ratio > approx_worst) {
                approx_worst = ratio;
                v->approx_worst = k;
                v->approx_rel = a != 0.0 ? (s - a) / a : NAN;
            }
            continue;
        }
        if (ratio > v->worst_ratio) {
            v->worst_ratio = ratio;
            v->worst = k;
            v->worst_rel = a != 0.0 ? (s - a) / a : NAN;
            v->worst_z = sm->z[k];
        }
    }
    if (v->worst_ratio > 1.0)
        v->kind = MMC_VERDICT_DIFFERS;
    else if (approx_worst > 1.0)
        v->kind = MMC_VERDICT_APPROX_OFF;
    else if (v->worst_ratio < 0.0 && approx_worst < 0.0)
        v->kind = MMC_VERDICT_NO_COMPARISON;
}

/* The verdict kind before any comparison; MMC_VERDICT_AGREES means "to be judged". */
static enum mmc_verdict_kind pre_verdict(const struct mmc_summary *sm)
{
    if (!sm->simulated)
        return sm->stop_reason == MMC_STOP_INTERRUPTED ? MMC_VERDICT_NOT_RUN : MMC_VERDICT_ANALYTIC;
    if (sm->tasks == 0)
        return MMC_VERDICT_NO_DATA;
    if (!sm->has_analytic)
        return MMC_VERDICT_NO_CLOSED_FORM;
    if (!sm->an.stable)
        return MMC_VERDICT_UNSTABLE;
    if (!mmc_point_steady(&sm->point))
        return MMC_VERDICT_TRANSIENT;
    if (sm->warnings != 0)
        return MMC_VERDICT_TOO_SHORT;
    if (sm->m[MMC_M_T].n < 2)
        return MMC_VERDICT_NO_CI;
    return MMC_VERDICT_AGREES;
}

void mmc_summary_judge(struct mmc_summary *sm)
{
    struct mmc_verdict *v = &sm->verdict;
    z_scores(sm);
    v->kind = pre_verdict(sm);
    if (v->kind == MMC_VERDICT_AGREES)
        judge(sm);
}

bool mmc_summary_differs(const struct mmc_summary *sm)
{
    return sm->verdict.kind == MMC_VERDICT_DIFFERS;
}
/* Withhold the intervals of percentiles whose tail holds too few autocorrelation times of T
 * (MMC_PCT_MIN_TAIL_ACTS); needs sm->act, so runs after the warnings chose it. */
static void withhold_sparse_tails(struct mmc_summary *sm)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    if (!sm->simulated || !mmc_point_steady(&sm->point) || !(sm->act > 0.0) || !isfinite(sm->act))
        return;
    for (int k = 0; k < MMC_N_PCT; k++) {
        if (isnan(sm->m[MMC_M_T_P50 + k].half) && isnan(sm->m[MMC_M_WQ_P50 + k].half))
            continue;
        if ((double)sm->tasks * (1.0 - level[k]) >= MMC_PCT_MIN_TAIL_ACTS * sm->act)
            continue;
        sm->m[MMC_M_WQ_P50 + k].half = NAN;
        sm->m[MMC_M_T_P50 + k].half = NAN;
        sm->pct_withheld |= 1u << k;
    }
}

/*
 * The autocorrelation time the warnings use: the pilots' when warmup: auto
 * ran them, else the replications' own (or the batches'). The pilots run on
 * streams of their own, so a warning decided on them is independent of the
 * figures it qualifies; one decided on the replications' spread is not (a
 * replication with a long excursion has both a high mean and a high
 * autocorrelation estimate), and the points it leaves unwarned lean low.
 */
void mmc_verdict_warn(struct mmc_summary *sm)
{
    if (sm->point.warmup.kind == MMC_LIMIT_AUTO && sm->point.pilot_act > 0.0) {
        sm->act = sm->point.pilot_act;
        sm->act_unsettled = sm->point.pilot_short;
    }
    set_warnings(sm);
    withhold_sparse_tails(sm);
}

void mmc_verdict_judge_all(struct mmc_summary *sms, size_t n, struct mmc_summary *more,
                           size_t n_more)
{
    /* one family for the whole run: every comparison of every judged row */
    int family = 0;
    for (size_t i = 0; i < n + n_more; i++) {
        struct mmc_summary *sm = i < n ? &sms[i] : &more[i - n];
        z_scores(sm);
        if (pre_verdict(sm) == MMC_VERDICT_AGREES)
            family += comparable(sm);
    }
    for (size_t i = 0; i < n + n_more; i++) {
        struct mmc_summary *sm = i < n ? &sms[i] : &more[i - n];
        sm->family = family;
        mmc_summary_judge(sm);
    }
}
