/*
 * test_protect.c - overload protection: capacity K, load shedding, the
 * token-bucket throttle and patience (abandonment), simulated against the
 * M/M/c/K+M closed forms (models/erlang.h) where they exist, and the
 * sample-path identities that hold exactly where they do not.
 *
 * Coverage uses 99.9 % intervals on fixed seeds, as test_mmc.c does; the
 * identities (shedding the newest at threshold q is capacity c + q; shedding
 * the oldest moves the same counts) are exact, on common random numbers.
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <string.h>

/* Every replication conserved tasks and never let a task wait beside an idle worker. */
static void assert_sound(const struct mmc_summary *sm)
{
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->work_violations, 0);
    ck_assert_double_lt(fabs(sm->little_lq), 0.02);
    ck_assert_double_lt(fabs(sm->little_l), 0.02);
}

/* Run one point with protection pr at lambda 45, mu 10, c 5 (rho 0.9 offered, or lambda). */
static void run_protected(struct mmc_experiment *x, struct fixture *f, double lambda,
                          const struct mmc_protection *pr, double tasks)
{
    fixture_init(f, lambda, 10.0, 5, tasks);
    f->s.protect = *pr;
    fixture_run(x, &f->s, 2);
}

START_TEST(mmck_agrees_with_closed_form)
{
    struct fixture f;
    struct mmc_experiment x;
    struct mmc_protection pr = {.capacity = 8};
    run_protected(&x, &f, 45.0, &pr, 100000);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang_loss e;
    ck_assert_int_eq(mmc_erlang_loss(45.0, 10.0, 5, 8, 0.0, 0.0, &e), 0);
    ck_assert_str_eq(sm->an.form, "M/M/c/K");
    assert_covers(sm, MMC_M_P_BLOCK, e.p_block, 0.05);
    assert_covers(sm, MMC_M_LQ, e.lq, 0.05);
    assert_covers(sm, MMC_M_WQ, e.wq, 0.05);
    assert_covers(sm, MMC_M_PWAIT, e.p_wait, 0.05);
    assert_covers(sm, MMC_M_THROUGHPUT, e.throughput, 0.05);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    ck_assert_uint_le(sm->max_in_system, 8);
    assert_sound(sm);
    /* the closed form itself: P(block) for a = 4.5, c = 5, K = 8, from the birth-death law in
       exact rational arithmetic (python3 fractions): pi_K / sum pi_n = 0.111231977758... */
    ck_assert_double_eq_tol(e.p_block, 0.11123197775823546, 1e-12);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(erlang_a_agrees_with_closed_form)
{
    /* below capacity (lambda 45) and overloaded (lambda 60): patience keeps it stable */
    const double lambdas[] = {45.0, 60.0};
    for (int i = 0; i < 2; i++) {
        struct fixture f;
        struct mmc_experiment x;
        struct mmc_protection pr = {.patience = true, .patience_rate = 2.0};
        mmc_dist_exponential(&pr.patience_dist.shape);
        run_protected(&x, &f, lambdas[i], &pr, 100000);
        const struct mmc_summary *sm = &x.summaries[0];
        struct mmc_erlang_loss e;
        ck_assert_int_eq(mmc_erlang_loss(lambdas[i], 10.0, 5, 0, 2.0, 0.0, &e), 0);
        ck_assert_str_eq(sm->an.form, "Erlang A (M/M/c+M)");
        assert_covers(sm, MMC_M_P_ABANDON, e.p_abandon, 0.05);
        assert_covers(sm, MMC_M_PWAIT, e.p_wait, 0.05);
        assert_covers(sm, MMC_M_WQ, e.wq, 0.05); /* of the tasks served */
        assert_covers(sm, MMC_M_LQ, e.lq, 0.05);
        ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
        ck_assert_uint_gt(sm->abandoned, 0);
        assert_sound(sm);
        mmc_experiment_fini(&x);
    }
}
END_TEST

START_TEST(capacity_and_patience_together)
{
    struct fixture f;
    struct mmc_experiment x;
    struct mmc_protection pr = {.capacity = 12, .patience = true, .patience_rate = 2.0};
    mmc_dist_exponential(&pr.patience_dist.shape);
    run_protected(&x, &f, 45.0, &pr, 100000);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_str_eq(sm->an.form, "M/M/c/K+M");
    assert_covers(sm, MMC_M_P_BLOCK, sm->an.p_block, 0.1);
    assert_covers(sm, MMC_M_P_ABANDON, sm->an.p_abandon, 0.05);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    assert_sound(sm);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(shedding_newest_is_a_capacity)
{
    /* threshold q on the queue = capacity c + q, task for task (common random numbers) */
    struct fixture f, g;
    struct mmc_experiment x, y;
    struct mmc_protection shed = {.shed = true, .shed_threshold = 4, .drop = MMC_DROP_NEWEST};
    struct mmc_protection cap = {.capacity = 9};
    run_protected(&x, &f, 45.0, &shed, 20000);
    run_protected(&y, &g, 45.0, &cap, 20000);
    for (size_t r = 0; r < x.n_runs[0]; r++) {
        ck_assert_uint_eq(x.runs[0][r].n_shed, y.runs[0][r].n_blocked);
        ck_assert_double_eq(x.runs[0][r].wq, y.runs[0][r].wq);
        ck_assert_double_eq(x.runs[0][r].lq, y.runs[0][r].lq);
    }
    ck_assert_double_eq(x.summaries[0].an.p_shed, y.summaries[0].an.p_block);
    ck_assert(isnan(x.summaries[0].an.p_block));
    assert_sound(&x.summaries[0]);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

START_TEST(shedding_oldest_moves_the_same_counts)
{
    /* dropping the head instead of the arrival: the number in system follows the same path,
       so losses and Lq are equal; the served tasks are younger, so they waited less */
    struct fixture f, g;
    struct mmc_experiment x, y;
    struct mmc_protection newest = {.shed = true, .shed_threshold = 4, .drop = MMC_DROP_NEWEST};
    struct mmc_protection oldest = newest;
    oldest.drop = MMC_DROP_OLDEST;
    run_protected(&x, &f, 45.0, &newest, 20000);
    run_protected(&y, &g, 45.0, &oldest, 20000);
    for (size_t r = 0; r < x.n_runs[0]; r++) {
        /* all sheds, warm-up included, are equal; the measured ones differ at the window's
           edge (a measured arrival may push out an unmeasured head) */
        ck_assert_uint_eq(x.runs[0][r].n_rejected, y.runs[0][r].n_lost);
        ck_assert_uint_le(x.runs[0][r].n_shed - y.runs[0][r].n_shed + 10, 20);
        ck_assert_double_eq_tol(x.runs[0][r].lq, y.runs[0][r].lq, 1e-9 * x.runs[0][r].lq);
        ck_assert_double_lt(y.runs[0][r].wq, x.runs[0][r].wq);
    }
    const struct mmc_summary *sm = &y.summaries[0];
    ck_assert(isnan(sm->an.wq)); /* no closed form for who waits */
    assert_covers(sm, MMC_M_P_SHED, sm->an.p_shed, 0.1);
    assert_covers(sm, MMC_M_PWAIT, sm->an.p_wait, 0.05);
    assert_sound(sm);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

START_TEST(throttle_caps_the_admitted_rate)
{
    /* 45/s offered to a bucket of 30/s, burst 10: what passes is at most 30/s (plus the burst
       over the run); rejecting, the rest is refused; delaying, nothing is lost */
    struct fixture f;
    struct mmc_experiment x;
    struct mmc_protection pr = {
        .throttle = true, .throttle_rate = 30.0, .throttle_burst = 10, .excess = MMC_EXCESS_REJECT};
    run_protected(&x, &f, 45.0, &pr, 50000);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_NO_CLOSED_FORM);
    ck_assert_double_lt(sm->m[MMC_M_THROUGHPUT].mean, 30.0 * 1.001);
    ck_assert_double_gt(sm->m[MMC_M_THROUGHPUT].mean, 30.0 * 0.97);
    /* a Poisson stream twice as fast as... here 1.5x the bucket: about 1/3 refused */
    ck_assert_double_gt(sm->m[MMC_M_P_THROTTLE].mean, 0.30);
    ck_assert_double_lt(sm->m[MMC_M_P_THROTTLE].mean, 1.0 / 3.0 + 0.005);
    assert_sound(sm);
    mmc_experiment_fini(&x);
    /* delaying at 45/s into a 50/s bucket: every task passes, later */
    pr.excess = MMC_EXCESS_DELAY;
    pr.throttle_rate = 50.0;
    run_protected(&x, &f, 45.0, &pr, 50000);
    sm = &x.summaries[0];
    ck_assert(isnan(sm->m[MMC_M_P_THROTTLE].mean));
    ck_assert_uint_eq(sm->rejected + sm->lost, 0);
    assert_covers(sm, MMC_M_THROUGHPUT, 45.0, 0.05);
    assert_sound(sm);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(deterministic_patience_bounds_the_wait)
{
    /* patience of exactly 50 ms: no served task waited longer; no closed form */
    struct fixture f;
    struct mmc_experiment x;
    struct mmc_protection pr = {.patience = true, .patience_rate = 20.0};
    mmc_dist_deterministic(&pr.patience_dist.shape);
    run_protected(&x, &f, 50.0, &pr, 50000);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_NO_CLOSED_FORM);
    ck_assert_double_le(sm->m[MMC_M_WQ_P999].mean, 0.05 * (1 + MMC_HIST_REL_ERROR));
    ck_assert_double_gt(sm->m[MMC_M_P_ABANDON].mean, 0.05);
    assert_sound(sm);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(protected_runs_ignore_thread_count)
{
    struct fixture f;
    struct mmc_experiment a, b;
    struct mmc_protection pr = {.capacity = 20,
                                .shed = true,
                                .shed_threshold = 10,
                                .drop = MMC_DROP_OLDEST,
                                .throttle = true,
                                .throttle_rate = 55,
                                .throttle_burst = 5,
                                .excess = MMC_EXCESS_DELAY,
                                .patience = true,
                                .patience_rate = 4.0};
    mmc_dist_exponential(&pr.patience_dist.shape);
    fixture_init(&f, 50.0, 10.0, 5, 20000);
    f.s.protect = pr;
    f.s.replications = 5;
    fixture_run(&a, &f.s, 1);
    fixture_run(&b, &f.s, 3);
    for (size_t r = 0; r < a.n_runs[0]; r++)
        assert_runs_equal(&a.runs[0][r], &b.runs[0][r]);
    assert_sound(&a.summaries[0]);
    ck_assert_uint_gt(a.summaries[0].shed + a.summaries[0].abandoned, 0);
    mmc_experiment_fini(&a);
    mmc_experiment_fini(&b);
}
END_TEST

Suite *protect_suite(void)
{
    Suite *s = suite_create("protect");
    TCase *tc = tcase_create("closed_forms");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, mmck_agrees_with_closed_form);
    tcase_add_test(tc, erlang_a_agrees_with_closed_form);
    tcase_add_test(tc, capacity_and_patience_together);
    suite_add_tcase(s, tc);
    tc = tcase_create("identities");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, shedding_newest_is_a_capacity);
    tcase_add_test(tc, shedding_oldest_moves_the_same_counts);
    tcase_add_test(tc, throttle_caps_the_admitted_rate);
    tcase_add_test(tc, deterministic_patience_bounds_the_wait);
    tcase_add_test(tc, protected_runs_ignore_thread_count);
    suite_add_tcase(s, tc);
    return s;
}
