/*
 * test_replay.c - replaying a trace's arrival and service times
 * (service: {dist: trace}). A replay is a deterministic sample path, so the
 * simulator must reproduce, to rounding, what the FCFS recursions give on
 * the same numbers: start = max(arrival, earliest free worker) (Kiefer and
 * Wolfowitz), with blocking at capacity K and a token-bucket shaper in front
 * where those are on. The recursions are computed here, independently of
 * models/mmc.c.
 */
#include "bucket.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_TASKS 20000

/* A replayable workload: Poisson arrivals at lambda and service times of mean 1 / mu and SCV 4
 * (a lognormal: no closed form helps here), on fixed seeds. */
struct workload {
    double t[N_TASKS], svc[N_TASKS], unit[N_TASKS];
};

static void make_workload(struct workload *w, double lambda, double mu, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    double sigma = sqrt(log(1.0 + 4.0)), m = -log(mu) - sigma * sigma / 2;
    double t = 0.0;
    for (size_t i = 0; i < N_TASKS; i++) {
        w->t[i] = t;
        w->svc[i] = gsl_ran_lognormal(r, m, sigma);
        t += gsl_ran_exponential(r, 1.0 / lambda);
    }
    gsl_rng_free(r);
}

/* The fixture as a replay of w on c workers (scale: the trace's load multiplier). */
static void replay_fixture(struct fixture *f, struct workload *w, double c, double scale)
{
    fixture_init(f, 1.0, 1.0, c, N_TASKS);
    struct mmc_scenario *s = &f->s;
    s->process.kind = MMC_PROCESS_TRACE;
    s->process.trace = (struct mmc_trace){w->t, w->svc, N_TASKS};
    s->process.trace_scale = scale;
    s->process.trace_service = true;
    memcpy(w->unit, w->svc, sizeof w->unit);
    double mean = 0.0;
    ck_assert_int_eq(mmc_dist_empirical(&s->service_dist.shape, w->unit, N_TASKS, &mean, NULL), 0);
    f->mu = 1.0 / mean;
    f->lambda = (double)(N_TASKS - 1) / w->t[N_TASKS - 1] * scale;
    s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    s->stop = (struct mmc_limit){MMC_LIMIT_TASKS, N_TASKS};
    s->replications = 2;
}

/* What FCFS does with the trace: sums of waits and sojourns of the served, and the fates. */
struct expected {
    double sum_wq, sum_w;
    size_t served, waited, blocked, throttled;
};

/*
 * FCFS on c workers, arrival i at t[i] / scale: a shaper (rate > 0) delays
 * or refuses it first; then, with capacity k > 0, it is blocked when k tasks
 * are in the system at its admission (admitted ones not yet departed, kept
 * in live[]). free_at[] holds each worker's next free time.
 */
static struct expected fcfs(const struct workload *w, size_t c, double scale, size_t k, double rate,
                            double burst, bool delay)
{
    struct expected e = {0};
    double *free_at = calloc(c, sizeof *free_at);
    double *live = calloc(k + 1, sizeof *live);
    size_t n_live = 0;
    struct mmc_bucket b;
    if (rate > 0)
        mmc_bucket_init(&b, rate, burst, 0.0);
    for (size_t i = 0; i < N_TASKS; i++) {
        double a = w->t[i] / scale, in = a;
        if (rate > 0) {
            double hold = mmc_bucket_take(&b, a, delay);
            if (hold < 0) {
                e.throttled++;
                continue;
            }
            in = a + hold;
        }
        if (k > 0) {
            size_t kept = 0;
            for (size_t j = 0; j < n_live; j++)
                if (live[j] > in)
                    live[kept++] = live[j];
            n_live = kept;
            if (n_live >= k) {
                e.blocked++;
                continue;
            }
        }
        size_t m = 0;
        for (size_t j = 1; j < c; j++)
            if (free_at[j] < free_at[m])
                m = j;
        double start = in > free_at[m] ? in : free_at[m];
        free_at[m] = start + w->svc[i];
        if (k > 0)
            live[n_live++] = free_at[m];
        e.served++;
        e.waited += start > a;
        e.sum_wq += start - a;
        e.sum_w += start - a + w->svc[i];
    }
    free(live);
    free(free_at);
    return e;
}

static void assert_replayed(const struct mmc_summary *sm, const struct expected *e)
{
    double n = (double)e->served;
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->work_violations, 0);
    ck_assert_uint_eq(sm->tasks, 2 * e->served); /* two identical replications */
    ck_assert_uint_eq(sm->blocked, 2 * e->blocked);
    ck_assert_uint_eq(sm->throttled, 2 * e->throttled);
    ck_assert_double_eq_tol(sm->m[MMC_M_WQ].mean, e->sum_wq / n, 1e-9 * (1 + e->sum_wq / n));
    ck_assert_double_eq_tol(sm->m[MMC_M_W].mean, e->sum_w / n, 1e-9 * e->sum_w / n);
    ck_assert_double_eq_tol(sm->m[MMC_M_PWAIT].mean, (double)e->waited / n, 1e-12);
    ck_assert_double_eq_tol(sm->m[MMC_M_WQ].half, 0.0, 1e-12); /* nothing random in a replay */
}

/* How one replay is set up: workers, load scale, capacity (0: none), shaper (rate 0: none). */
struct setup {
    size_t c;
    double scale;
    size_t k;
    double rate, burst;
    bool delay;
};

/* Replay w under su in the simulator and by the recursion; they must agree. The recursion's
 * result is returned for the caller's check that the case exercised what it meant to. */
static struct expected replay(struct workload *w, const struct setup *su)
{
    struct fixture f;
    struct mmc_experiment x;
    replay_fixture(&f, w, (double)su->c, su->scale);
    f.s.protect.capacity = (double)su->k;
    if (su->rate > 0) {
        f.s.protect.throttle = true;
        f.s.protect.throttle_rate = su->rate;
        f.s.protect.throttle_burst = su->burst;
        f.s.protect.excess = su->delay ? MMC_EXCESS_DELAY : MMC_EXCESS_REJECT;
    }
    fixture_run(&x, &f.s, 2);
    struct expected e = fcfs(w, su->c, su->scale, su->k, su->rate, su->burst, su->delay);
    assert_replayed(&x.summaries[0], &e);
    mmc_experiment_fini(&x);
    return e;
}

START_TEST(replay_is_the_fcfs_recursion)
{
    static struct workload w;
    make_workload(&w, 45.0, 10.0, 7);
    const struct setup su[] = {
        {.c = 1, .scale = 0.2}, {.c = 5, .scale = 1.0}, {.c = 6, .scale = 1.1}};
    for (size_t i = 0; i < 3; i++) {
        struct expected e = replay(&w, &su[i]);
        ck_assert_uint_eq(e.served, N_TASKS);
        ck_assert_msg(e.waited > N_TASKS / 20, "c=%zu: too few waits to test", su[i].c);
    }
}
END_TEST

START_TEST(replay_keeps_service_times_through_blocking)
{
    static struct workload w;
    make_workload(&w, 45.0, 10.0, 11);
    const struct setup su[] = {{.c = 5, .scale = 1.0, .k = 5}, {.c = 5, .scale = 1.0, .k = 8}};
    for (size_t i = 0; i < 2; i++)
        ck_assert_uint_gt(replay(&w, &su[i]).blocked, N_TASKS / 100);
}
END_TEST

START_TEST(replay_keeps_service_times_through_the_shaper)
{
    static struct workload w;
    make_workload(&w, 45.0, 10.0, 13);
    struct setup su = {.c = 5, .scale = 1.0, .rate = 46.0, .burst = 5.0, .delay = true};
    ck_assert_uint_gt(replay(&w, &su).waited, N_TASKS / 100); /* held for tokens */
    su.delay = false;
    ck_assert_uint_gt(replay(&w, &su).throttled, N_TASKS / 100);
}
END_TEST

Suite *replay_suite(void)
{
    Suite *s = suite_create("replay");
    TCase *tc = tcase_create("trace service times");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, replay_is_the_fcfs_recursion);
    tcase_add_test(tc, replay_keeps_service_times_through_blocking);
    tcase_add_test(tc, replay_keeps_service_times_through_the_shaper);
    suite_add_tcase(s, tc);
    return s;
}
