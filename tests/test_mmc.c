/*
 * test_mmc.c - the M/M/c simulator against its closed form, and the
 * engine's guarantees: reproducibility, thread-count independence, common
 * random numbers, invariants, finite and overloaded workloads.
 *
 * Coverage tests use fixed seeds and 99.9 % intervals: eight configurations
 * x three metrics are 24 comparisons, and at 95 % about one would fail by
 * chance for any seed; at 99.9 % the family-wise error is about 2.4 %, and
 * the fixed seed makes the outcome deterministic without choosing seeds to
 * pass. Each test also bounds the interval's relative width, so a biased
 * simulator cannot hide behind a wide interval.
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define run_experiment fixture_run

static const struct {
    double c, rho, tasks;
} cases[] = {
    {1, 0.5, 100000}, {2, 0.5, 100000}, {4, 0.5, 100000}, {16, 0.5, 100000},
    {1, 0.9, 400000}, {2, 0.9, 400000}, {4, 0.9, 400000}, {16, 0.9, 400000},
};

START_TEST(intervals_cover_closed_form)
{
    struct fixture f;
    double c = cases[_i].c, rho = cases[_i].rho;
    fixture_init(&f, rho * c, 1.0, c, cases[_i].tasks);
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(rho * c, 1.0, (unsigned long)c, 0.0, &e), 0);
    /* Lq is tiny at c = 16, rho = 0.5 (about 1e-3): its relative interval is wide by nature */
    double lq_rel = e.lq < 0.01 ? 0.5 : 0.06;
    assert_covers(sm, MMC_M_LQ, e.lq, lq_rel);
    assert_covers(sm, MMC_M_WQ, e.wq, lq_rel);
    assert_covers(sm, MMC_M_T, e.t, 0.03);
    assert_covers(sm, MMC_M_UTIL, e.rho, 0.01);
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->work_violations, 0);
    ck_assert_double_lt(fabs(sm->little_l), 0.01);
    /* workers are identical: each is busy close to rho of the time */
    ck_assert_double_le(sm->worker_util_min, sm->worker_util_max);
    ck_assert_double_gt(sm->worker_util_min, 0.8 * e.rho);
    ck_assert_double_lt(sm->worker_util_max, 1.2 * e.rho);
    ck_assert_uint_ge(sm->max_queue, 1);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(verdict_agrees_on_a_correct_model)
{
    struct fixture f;
    fixture_init(&f, 0.9, 1.0, 1, 200000);
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    ck_assert_int_eq(x.summaries[0].verdict.kind, MMC_VERDICT_AGREES);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(verdict_differs_on_a_wrong_reference)
{
    /* the same run judged against a closed form 10 % off must be called "differs" */
    struct fixture f;
    fixture_init(&f, 0.9, 1.0, 1, 200000);
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    struct mmc_summary sm = x.summaries[0];
    ck_assert_int_eq(sm.verdict.kind, MMC_VERDICT_AGREES);
    sm.an.lq *= 1.10;
    mmc_summary_judge(&sm);
    ck_assert_int_eq(sm.verdict.kind, MMC_VERDICT_DIFFERS);
    ck_assert_int_eq(sm.verdict.worst, MMC_M_LQ);
    ck_assert_double_eq_tol(sm.verdict.worst_rel, 1.0 / 1.1 - 1.0, 0.03);
    /* and a 10 % error in T (a few ms on 0.1 s) as well */
    sm = x.summaries[0];
    sm.an.t *= 1.10;
    mmc_summary_judge(&sm);
    ck_assert_int_eq(sm.verdict.kind, MMC_VERDICT_DIFFERS);
    mmc_experiment_fini(&x);
}
END_TEST

static void summaries_equal(const struct mmc_experiment *a, const struct mmc_experiment *b)
{
    ck_assert_uint_eq(a->n_points, b->n_points);
    for (size_t i = 0; i < a->n_points; i++) {
        ck_assert_uint_eq(a->n_runs[i], b->n_runs[i]);
        for (size_t r = 0; r < a->n_runs[i]; r++)
            assert_runs_equal(&a->runs[i][r], &b->runs[i][r]);
        ck_assert_int_eq(memcmp(&a->pooled[i], &b->pooled[i], sizeof a->pooled[i]), 0);
    }
}

START_TEST(same_seed_same_result_any_thread_count)
{
    struct fixture f;
    fixture_init(&f, 1.5, 1.0, 2, 20000);
    f.s.replications = 7;
    struct mmc_experiment a, b, c;
    run_experiment(&a, &f.s, 1);
    run_experiment(&b, &f.s, 2);
    run_experiment(&c, &f.s, 5);
    summaries_equal(&a, &b);
    summaries_equal(&a, &c);
    f.s.seed = 999;
    struct mmc_experiment d;
    run_experiment(&d, &f.s, 2);
    ck_assert_double_ne(a.runs[0][0].l, d.runs[0][0].l);
    mmc_experiment_fini(&a);
    mmc_experiment_fini(&b);
    mmc_experiment_fini(&c);
    mmc_experiment_fini(&d);
}
END_TEST

START_TEST(sweep_points_share_arrival_streams)
{
    /* stop by time: with common random numbers, every point of a replication sees the
       same arrivals, so the counts agree exactly across worker counts */
    struct fixture f;
    double cs[] = {2, 3, 4};
    fixture_init(&f, 1.5, 1.0, 2, 1000);
    f.s.workers = (struct mmc_axis){3, cs};
    f.s.stop = (struct mmc_limit){MMC_LIMIT_TIME, 5000};
    f.s.warmup = (struct mmc_limit){MMC_LIMIT_TIME, 100};
    f.s.replications = 3;
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    for (size_t r = 0; r < 3; r++) {
        uint64_t n = x.runs[0][r].n_arrived;
        ck_assert_uint_eq(x.runs[1][r].n_arrived, n);
        ck_assert_uint_eq(x.runs[2][r].n_arrived, n);
        ck_assert_uint_eq(x.runs[2][r].n_measured, x.runs[0][r].n_measured);
    }
    /* more workers, less waiting, replication by replication */
    for (size_t r = 0; r < 3; r++)
        ck_assert_double_gt(x.runs[0][r].wq, x.runs[1][r].wq);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(finite_overloaded_workload_drains)
{
    /* seed 000: 50 tasks, lambda 200/s, mu 100/s, 1 worker: rho = 2, no steady state */
    struct fixture f;
    fixture_init(&f, 200, 100, 1, 50);
    f.s.stop.value = 50;
    f.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    f.d = 0.005;
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_UNSTABLE);
    ck_assert_uint_eq(sm->tasks, 50 * 10);
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->in_system_end, 0);
    /* the worker is busy nearly all the time, so throughput = 50 / makespan is close to mu
       (a little above on average: E[50 / sum of 50 services] = 100 x 50/49, Jensen) */
    ck_assert_double_gt(sm->m[MMC_M_UTIL].mean, 0.9);
    ck_assert_double_gt(sm->m[MMC_M_THROUGHPUT].mean, 95.0);
    ck_assert_double_lt(sm->m[MMC_M_THROUGHPUT].mean, 110.0);
    /* task k arrives near k/200 s and leaves near k/100 s: the backlog makes the mean
       latency about 25/200 s = 0.125 s, far above d + 1/mu = 15 ms */
    ck_assert_double_gt(sm->m[MMC_M_T].mean, 0.09);
    ck_assert_double_lt(sm->m[MMC_M_T].mean, 0.2);
    ck_assert(isnan(mmc_analytic_metric(&sm->an, MMC_M_LQ)));
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(finite_stable_workload_is_transient)
{
    struct fixture f;
    fixture_init(&f, 200, 100, 4, 50);
    f.s.stop.value = 50;
    f.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    ck_assert_int_eq(x.summaries[0].verdict.kind, MMC_VERDICT_TRANSIENT);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(network_delay_shifts_latency_only)
{
    /* the same streams with and without a delay: T differs by exactly d, Wq not at all */
    struct fixture f;
    double ds[] = {0.0, 0.25};
    fixture_init(&f, 0.8, 1.0, 2, 20000);
    f.s.network_delay = (struct mmc_axis){2, ds};
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *a = &x.summaries[0], *b = &x.summaries[1];
    ck_assert_double_eq_tol(b->m[MMC_M_T].mean - a->m[MMC_M_T].mean, 0.25, 1e-9);
    ck_assert_double_eq_tol(b->m[MMC_M_WQ].mean, a->m[MMC_M_WQ].mean, 1e-9);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(analytic_only_simulates_nothing)
{
    struct fixture f;
    fixture_init(&f, 45, 50, 1, 1000);
    struct mmc_experiment x;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_experiment_init(&x, &f.s, &err), 0);
    struct mmc_run_options opt = {.threads = 2, .analytic_only = true};
    mmc_experiment_run(&x, &opt);
    ck_assert(!x.summaries[0].simulated);
    ck_assert_uint_eq(x.n_runs[0], 0);
    ck_assert_int_eq(x.summaries[0].verdict.kind, MMC_VERDICT_ANALYTIC);
    ck_assert_double_eq_tol(x.summaries[0].an.lq, 8.1, 1e-12);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(auto_warmup_detects_a_backlog)
{
    /* 500 tasks queued at time 0, M/M/1 at rho 0.5: the backlog takes about
       500 / (mu - lambda) = 1000 s, some 500 arrivals, to drain. MSER must cut
       at least that much, and what remains must agree with the closed form. */
    struct fixture f;
    fixture_init(&f, 0.5, 1.0, 1, 50000);
    f.s.warmup.kind = MMC_LIMIT_AUTO;
    f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 500};
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_uint_gt(sm->point.warmup_cut, 400);
    ck_assert_uint_lt(sm->point.warmup_cut, 5000);
    ck_assert_uint_eq(sm->point.pilot_tasks, 10000); /* a fifth of the run */
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    ck_assert_uint_eq(sm->arrived, sm->completed);
    /* without a warm-up the backlog's drain drags every figure up */
    f.s.warmup.kind = MMC_LIMIT_NONE;
    struct mmc_experiment y;
    run_experiment(&y, &f.s, 2);
    ck_assert_double_gt(y.summaries[0].m[MMC_M_WQ].mean, 2.0 * sm->m[MMC_M_WQ].mean);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

START_TEST(auto_warmup_lengthens_a_short_pilot)
{
    /* 5000 tasks queued at time 0, M/M/1 at rho 0.5: some 5000 arrivals
       before the backlog is gone, more than a quarter of a 10000-task pilot.
       The pilots must grow (to 40000 tasks) until the cut sits in their first
       quarter, and the cut must cover the drain. */
    struct fixture f;
    fixture_init(&f, 0.5, 1.0, 1, 50000);
    f.s.warmup.kind = MMC_LIMIT_AUTO;
    f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 5000};
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_uint_gt(sm->point.pilot_tasks, 10000);
    ck_assert_uint_gt(sm->point.warmup_cut, 4000);
    ck_assert_uint_le(sm->point.warmup_cut, sm->point.pilot_tasks / 4);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(mg1_agrees_with_pollaczek_khinchine)
{
    /* M/D/1, M/E4/1 and M/H2/1 (scv 4) at rho 0.7: the P-K means are exact, and
       the simulation must agree with them; the closed form says which it is */
    const char *why = NULL;
    for (int kind = 0; kind < 3; kind++) {
        struct fixture f;
        fixture_init(&f, 0.7, 1.0, 1, 100000);
        struct mmc_dist *d = &f.s.service_dist.shape;
        if (kind == 0)
            ck_assert_int_eq(mmc_dist_deterministic(d), 0);
        else if (kind == 1)
            ck_assert_int_eq(mmc_dist_erlang(d, 4, &why), 0);
        else
            ck_assert_int_eq(mmc_dist_hyperexp_scv(d, 4, &why), 0);
        struct mmc_experiment x;
        run_experiment(&x, &f.s, 2);
        const struct mmc_summary *sm = &x.summaries[0];
        ck_assert_str_eq(sm->an.form, "M/G/1 P-K");
        ck_assert(!sm->an.approx);
        double cs2 = d->scv;
        ck_assert_double_eq_tol(sm->an.wq, 0.7 * (1 + cs2) / (2 * 0.3), 1e-12);
        ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
        ck_assert_double_le(fabs(sm->m[MMC_M_WQ].mean - sm->an.wq), sm->m[MMC_M_WQ].half * 1.5);
        mmc_experiment_fini(&x);
    }
}
END_TEST

START_TEST(ggc_is_an_approximation)
{
    /* M/D/2: Allen-Cunneen, flagged approx., no percentiles; utilization exact */
    struct fixture f;
    fixture_init(&f, 1.6, 1.0, 2, 50000);
    ck_assert_int_eq(mmc_dist_deterministic(&f.s.service_dist.shape), 0);
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->an.approx);
    ck_assert(isnan(sm->an.t_pct[0]));
    ck_assert_double_eq_tol(sm->an.util, 0.8, 1e-15);
    ck_assert(sm->verdict.kind == MMC_VERDICT_AGREES || sm->verdict.kind == MMC_VERDICT_APPROX_OFF);
    mmc_experiment_fini(&x);
    /* no stationary law beyond M/M/c */
    f.s.initial.kind = MMC_INITIAL_STATIONARY;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_experiment_init(&x, &f.s, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "exponential"));
}
END_TEST

START_TEST(stationary_start_needs_no_warmup)
{
    /* started from the stationary law, no warm-up: already agrees with the closed form */
    struct fixture f;
    fixture_init(&f, 3.6, 1.0, 4, 100000);
    f.s.warmup.kind = MMC_LIMIT_NONE;
    f.s.initial.kind = MMC_INITIAL_STATIONARY;
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    ck_assert_int_eq(x.summaries[0].verdict.kind, MMC_VERDICT_AGREES);
    ck_assert_uint_gt(x.runs[0][0].n_initial + x.runs[0][1].n_initial, 0);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(precision_rule_adds_replications)
{
    /* T to 1 % at 95 %: more than the first 10 replications are needed, and the
       interval that stops the run meets the target */
    struct fixture f;
    fixture_init(&f, 0.9, 1.0, 1, 20000);
    f.s.precision.target = 0.01;
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_int_eq(sm->stop_reason, MMC_STOP_PRECISION);
    ck_assert_uint_gt(sm->replications, 10);
    ck_assert_double_le(sm->m[MMC_M_T].half / sm->m[MMC_M_T].mean, 0.01);
    /* a cap below what is needed stops there and says so */
    f.s.precision.max_replications = 12;
    struct mmc_experiment y;
    run_experiment(&y, &f.s, 2);
    ck_assert_int_eq(y.summaries[0].stop_reason, MMC_STOP_MAX_REPS);
    ck_assert_uint_eq(y.summaries[0].replications, 12);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

START_TEST(percentiles_match_closed_form)
{
    /* M/M/2 at rho 0.8: every Wq and T percentile within its 99.9 % interval and the
       histogram's resolution */
    struct fixture f;
    fixture_init(&f, 1.6, 1.0, 2, 200000);
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    for (int k = MMC_M_WQ_P50; k <= MMC_M_T_P999; k++) {
        double a = mmc_analytic_metric(&sm->an, k), n = (double)sm->m[k].n;
        double wide = sm->m[k].half * mmc_t_quantile(0.9995, n - 1) / mmc_t_quantile(0.975, n - 1);
        ck_assert_msg(fabs(sm->m[k].mean - a) <= wide + a * MMC_HIST_REL_ERROR, "%s: %.6g vs %.6g",
                      mmc_metric_name(k), sm->m[k].mean, a);
    }
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(control_variates_narrow_the_intervals)
{
    /* M/M/4 at rho 0.9: the service-time control explains most of the utilization's
       and much of T's spread; the adjusted estimates still cover the closed form */
    struct fixture f;
    fixture_init(&f, 3.6, 1.0, 4, 50000);
    f.s.replications = 20;
    struct mmc_experiment plain, cv;
    run_experiment(&plain, &f.s, 2);
    f.s.control_variates = true;
    run_experiment(&cv, &f.s, 2);
    const struct mmc_summary *a = &plain.summaries[0], *b = &cv.summaries[0];
    ck_assert(b->cv_applied);
    ck_assert_double_lt(b->m[MMC_M_UTIL].half, 0.5 * a->m[MMC_M_UTIL].half);
    ck_assert_double_gt(b->cv_reduction[MMC_M_UTIL], 0.5);
    ck_assert_double_lt(b->m[MMC_M_T].half, a->m[MMC_M_T].half);
    ck_assert_int_eq(b->verdict.kind, MMC_VERDICT_AGREES);
    mmc_experiment_fini(&plain);
    mmc_experiment_fini(&cv);
    /* batches carry no inter-arrival control: nothing is adjusted, and it says so */
    f.s.replications = 1;
    f.s.method = MMC_METHOD_BATCH_MEANS;
    f.s.batches = 30;
    f.s.stop.value = 300000;
    struct mmc_experiment bm;
    run_experiment(&bm, &f.s, 2);
    ck_assert(!bm.summaries[0].cv_applied);
    mmc_experiment_fini(&bm);
}
END_TEST

START_TEST(batch_means_one_long_run)
{
    /* one run of M/M/2 at rho 0.8 cut into 30 batches: agrees, says how it was cut */
    struct fixture f;
    fixture_init(&f, 1.6, 1.0, 2, 1000000);
    f.s.replications = 1;
    f.s.method = MMC_METHOD_BATCH_MEANS;
    f.s.batches = 30;
    struct mmc_experiment x;
    run_experiment(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_uint_eq(x.n_runs[0], 1);
    ck_assert(sm->batches == 30 || sm->batches == 15);
    ck_assert_uint_eq(sm->m[MMC_M_T].n, sm->batches);
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->tasks, 1000000);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    /* the relative half-width is itself random: 0.012 to 0.022 over seeds 1-12
       (mean 0.016); a broken batching gives intervals several times wider */
    ck_assert_double_lt(sm->m[MMC_M_T].half / sm->m[MMC_M_T].mean, 0.03);
    mmc_experiment_fini(&x);
    /* too few tasks for the batches, or no steady state to measure: refused */
    struct mmc_error err = {0};
    f.s.stop.value = 1000;
    ck_assert_int_eq(mmc_experiment_init(&x, &f.s, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "batch-means needs stop"));
}
END_TEST

Suite *mmc_suite(void)
{
    Suite *s = suite_create("mmc");
    TCase *tc = tcase_create("closed form coverage");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, intervals_cover_closed_form, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, verdict_agrees_on_a_correct_model);
    tcase_add_test(tc, verdict_differs_on_a_wrong_reference);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("engine guarantees");
    tcase_set_timeout(te, 600);
    tcase_add_test(te, same_seed_same_result_any_thread_count);
    tcase_add_test(te, sweep_points_share_arrival_streams);
    tcase_add_test(te, finite_overloaded_workload_drains);
    tcase_add_test(te, finite_stable_workload_is_transient);
    tcase_add_test(te, network_delay_shifts_latency_only);
    tcase_add_test(te, analytic_only_simulates_nothing);
    tcase_add_test(te, auto_warmup_detects_a_backlog);
    tcase_add_test(te, auto_warmup_lengthens_a_short_pilot);
    tcase_add_test(te, mg1_agrees_with_pollaczek_khinchine);
    tcase_add_test(te, ggc_is_an_approximation);
    tcase_add_test(te, stationary_start_needs_no_warmup);
    tcase_add_test(te, precision_rule_adds_replications);
    tcase_add_test(te, percentiles_match_closed_form);
    tcase_add_test(te, control_variates_narrow_the_intervals);
    tcase_add_test(te, batch_means_one_long_run);
    suite_add_tcase(s, te);
    return s;
}
