/*
 * warmup.c - warmup: auto: pilot paths choose each point's warm-up cut and,
 * under a precision rule, its replication length.
 */
#include "warmup.h"

#include "mser.h"
#include "runner.h"
#include "verdict.h"

#include <math.h>
#include <stdlib.h>

/* Mixed into the seed of the pilot paths, so their streams are independent of the measured ones. */
#define PILOT_SALT 0x9e3779b97f4a7c15ULL

/*
 * warmup: auto, once per point before its replications (Welch's procedure
 * with MSER-5 as the rule). MMC_PILOTS pilot paths from the point's initial
 * state, on streams independent of the measured ones and with nothing
 * discarded, record their sojourn series; MSER picks the cut on their
 * average, and every replication of the point discards exactly that many
 * tasks (time averages and distributions included).
 *
 * Why a pilot and not the measured path: on a strongly autocorrelated queue
 * MSER likes to cut just after a large early excursion, and applied to the
 * data it was chosen on, that selection biases the estimate low (about
 * -1.4 % on Lq for M/M/1 at rho 0.9, 10 x 100000 tasks). Chosen on
 * independent paths with the same transient, the cut is uncorrelated with
 * the data it removes. Why the average: it damps the excursions that make
 * MSER on one path cut too little or far too much.
 *
 * Cost: a pilot path is a fifth of a replication's run length, so the
 * pilots together cost about one replication. MSER searches only the first
 * half of a series; if the cut lands past a quarter of the pilot, the
 * transient may be longer than the pilot can show, so the pilots are run
 * again twice as long (at most to the full run length).
 */
/* MSER's cut, raised to MMC_WARMUP_ACTS autocorrelation times (act, tasks; NaN: MSER's alone). */
static uint64_t warmup_floor(uint64_t mser, double act)
{
    double floor_tasks = ceil(MMC_WARMUP_ACTS * act);
    if (!(floor_tasks > (double)mser))
        return mser;
    return floor_tasks < 1e18 ? (uint64_t)floor_tasks : UINT64_MAX / 2;
}

/*
 * Does the precision rule own point p's run length (a target, replications
 * to lengthen, and a steady state for them to approach)? Without a steady
 * state (a closed form that says unstable) the autocorrelation time grows
 * with whatever length it is measured on, and lengthening would only
 * multiply the cost of a point reported as unstable.
 */
static bool length_grows(const struct mmc_experiment *x, const struct mmc_point *p)
{
    if (!(x->scenario->precision.target > 0.0) || p->n_fine_batches > 0)
        return false;
    struct mmc_analytic an;
    return p->model->closed_form(p, &an) != 0 || an.stable;
}

/*
 * The precision rule's replication length for point p, from its pilots
 * (act, cut: their autocorrelation time and the warm-up, tasks; rate: tasks
 * per unit of stop.value): at least MMC_REP_ACTS autocorrelation times, and
 * long enough that the start bias left after the warm-up (as the
 * short-warmup warning models it) is under MMC_MAX_BIAS_SHARE of the target
 * half-width; never shorter than the scenario asks, never more than
 * MMC_MAX_LENGTH_GROWTH times longer.
 */
static void lengthen(const struct mmc_experiment *x, struct mmc_point *p, double rate)
{
    double act = p->pilot_act, asked = p->stop.value;
    if (!(act > 0.0) || !isfinite(act) || !(rate > 0.0))
        return;
    /* the start bias over one task, with the offered load standing in for L (not yet measured) */
    double bias_tasks =
        mmc_start_bias(p, p->lambda / mmc_point_hold_rate(p), act, 1.0, (double)p->warmup_cut) /
        (MMC_MAX_BIAS_SHARE * x->scenario->precision.target);
    double need = fmax(MMC_REP_ACTS * act, bias_tasks) / rate;
    need = fmin(need, MMC_MAX_LENGTH_GROWTH * asked);
    if (p->stop.kind == MMC_LIMIT_TASKS)
        need = ceil(need);
    if (!(need > asked))
        return;
    p->stop.value = need;
    p->stop_asked = asked;
}

void mmc_warmup_choose(struct mmc_experiment *x, const struct mmc_run_options *opt,
                       const struct timespec *t0)
{
    size_t n = x->n_points;
    struct mmc_point *pilot = mmc_xcalloc(n, sizeof *pilot);
    struct mmc_mser *series = mmc_xmalloc(n * MMC_PILOTS, sizeof *series);
    struct mmc_unit *units = mmc_xmalloc(n * MMC_PILOTS, sizeof *units);
    bool *open = mmc_xcalloc(n, sizeof *open);
    bool *grows = mmc_xcalloc(n, sizeof *grows);
    for (size_t i = 0; i < n; i++) {
        if (x->points[i].warmup.kind != MMC_LIMIT_AUTO)
            continue;
        open[i] = true;
        grows[i] = length_grows(x, &x->points[i]);
        pilot[i] = x->points[i];
        pilot[i].warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0.0};
        pilot[i].n_fine_batches = 0;
        pilot[i].seed ^= PILOT_SALT;
        double len = pilot[i].stop.value / MMC_PILOTS;
        pilot[i].stop.value = pilot[i].stop.kind == MMC_LIMIT_TASKS ? ceil(len) : len;
    }
    struct mmc_mser avg;
    mmc_mser_init(&avg);
    for (;;) {
        size_t n_units = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; open[i] && k < MMC_PILOTS; k++) {
                mmc_mser_init(&series[i * MMC_PILOTS + k]);
                units[n_units++] = (struct mmc_unit){i, k, &pilot[i], &series[i * MMC_PILOTS + k]};
            }
        if (n_units == 0)
            break;
        mmc_runner_round(x, units, n_units, opt, t0);
        if (mmc_runner_cancelled(opt)) { /* the pilots are partial: choose nothing */
            for (size_t k = 0; k < n_units; k++)
                mmc_mser_fini(units[k].series);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (!open[i])
                continue;
            mmc_mser_average(&avg, &series[i * MMC_PILOTS], MMC_PILOTS);
            uint64_t mser = mmc_mser_cut(&avg), seen = mmc_mser_observations(&avg);
            double act = mmc_mser_act(&series[i * MMC_PILOTS], MMC_PILOTS, mser);
            for (size_t k = 0; k < MMC_PILOTS; k++)
                mmc_mser_fini(&series[i * MMC_PILOTS + k]);
            uint64_t cut = warmup_floor(mser, act);
            struct mmc_point *p = &x->points[i];
            /* with a precision target, the pilots may outgrow the scenario's length as the
               replications may (lengthen) */
            double full = p->stop.value * (grows[i] ? MMC_MAX_LENGTH_GROWTH : 1.0);
            bool settled = cut <= seen / 4 && act * MMC_PILOT_ACTS <= (double)seen;
            if (!settled && pilot[i].stop.value < full) {
                double len = 2.0 * pilot[i].stop.value;
                pilot[i].stop.value = len < full ? len : full;
                continue;
            }
            p->warmup_cut = cut;
            p->mser_cut = mser;
            p->pilot_act = act;
            p->pilot_tasks = seen;
            p->pilot_short = !settled;
            if (grows[i])
                lengthen(x, p, (double)seen / pilot[i].stop.value);
            open[i] = false;
        }
    }
    mmc_mser_fini(&avg);
    free(grows);
    free(open);
    free(units);
    free(series);
    free(pilot);
}
