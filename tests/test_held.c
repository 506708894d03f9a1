/*
 * test_held.c - network_delay where: held (seed 000: the worker holds each
 * task for d + S). One worker is M/G/1 with service d + S, exact by
 * Pollaczek-Khinchine; more workers are Allen-Cunneen (approximate); a
 * vanishing held delay is the transit model without one.
 */
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <string.h>

/* M/G/1 with Exp(mu) service plus a fixed hold h: mean b = h + 1/mu, second moment
 * h^2 + 2h/mu + 2/mu^2; P-K: Wq = lambda E[B^2] / (2 (1 - lambda b)). */
static double pk_wait(double lambda, double mu, double h)
{
    double b = h + 1.0 / mu, b2 = h * h + 2.0 * h / mu + 2.0 / (mu * mu);
    return lambda * b2 / (2.0 * (1.0 - lambda * b));
}

START_TEST(one_worker_is_mg1_with_the_delay_in_service)
{
    struct fixture f;
    fixture_init(&f, 0.5, 1.0, 1, 200000);
    f.d = 0.5;
    f.s.delay_held = true;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    double wq = pk_wait(0.5, 1.0, 0.5); /* 3.25 */
    ck_assert_double_eq_tol(sm->an.wq, wq, 1e-12);
    ck_assert_double_eq_tol(sm->an.t, wq + 1.5, 1e-12); /* no transit: T = Wq + d + S */
    ck_assert_double_eq_tol(sm->an.util, 0.75, 1e-15);
    ck_assert(!sm->an.approx);
    assert_covers(sm, MMC_M_WQ, wq, 0.05);
    assert_covers(sm, MMC_M_T, wq + 1.5, 0.03);
    assert_covers(sm, MMC_M_UTIL, 0.75, 0.01);
    assert_covers(sm, MMC_M_PWAIT, 0.75, 0.01);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(several_workers_are_allen_cunneen)
{
    struct fixture f;
    fixture_init(&f, 2.4, 1.0, 4, 100000);
    f.d = 0.25;
    f.s.delay_held = true;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->an.approx);
    assert_covers(sm, MMC_M_UTIL, 2.4 * 1.25 / 4.0, 0.01); /* exact: lambda (d + 1/mu) / c */
    ck_assert_double_eq_tol(sm->point.load, 0.75, 1e-15);
    /* Allen-Cunneen's wait is within its loose tolerance here (SCV 0.64, rho 0.75) */
    ck_assert_double_lt(fabs(sm->m[MMC_M_WQ].mean / sm->an.wq - 1.0), MMC_APPROX_REL_TOL);
    mmc_experiment_fini(&x);
}
END_TEST

/* Held or in transit, a delay of 1e-9 s changes waits by about that much. */
START_TEST(a_vanishing_held_delay_is_no_delay)
{
    struct fixture f, g;
    fixture_init(&f, 3.2, 1.0, 4, 50000);
    fixture_init(&g, 3.2, 1.0, 4, 50000);
    g.d = 1e-9;
    g.s.delay_held = true;
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    const struct mmc_summary *a = &x.summaries[0], *b = &y.summaries[0];
    ck_assert_double_eq_tol(a->m[MMC_M_WQ].mean, b->m[MMC_M_WQ].mean, 1e-6);
    ck_assert_double_eq_tol(a->m[MMC_M_T].mean, b->m[MMC_M_T].mean, 1e-6);
    ck_assert_double_eq_tol(a->m[MMC_M_UTIL].mean, b->m[MMC_M_UTIL].mean, 1e-6);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* The same held delay in model push: random dispatch makes each worker M/G/1 with d + S. */
START_TEST(push_holds_it_too)
{
    struct fixture f;
    fixture_init(&f, 2.0, 1.0, 4, 200000);
    strcpy(f.s.model, "push");
    f.s.dispatch = (struct mmc_dispatch){.policy = MMC_POLICY_RANDOM, .d = 2, .keys = 1000};
    f.d = 0.5;
    f.s.delay_held = true;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    double wq = pk_wait(0.5, 1.0, 0.5);
    ck_assert_double_eq_tol(sm->an.wq, wq, 1e-12);
    assert_covers(sm, MMC_M_WQ, wq, 0.05);
    assert_covers(sm, MMC_M_T, wq + 1.5, 0.03);
    mmc_experiment_fini(&x);
}
END_TEST

Suite *held_suite(void)
{
    Suite *s = suite_create("held");
    TCase *tc = tcase_create("network delay held by the worker");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, one_worker_is_mg1_with_the_delay_in_service);
    tcase_add_test(tc, several_workers_are_allen_cunneen);
    tcase_add_test(tc, a_vanishing_held_delay_is_no_delay);
    tcase_add_test(tc, push_holds_it_too);
    suite_add_tcase(s, tc);
    return s;
}
