/*
 * test_stats.c - Welford accumulators and t intervals against known values.
 */
#include "stats.h"

#include <check.h>
#include <math.h>

START_TEST(welford_matches_two_pass)
{
    struct mmc_welford w;
    mmc_welford_reset(&w);
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    for (int i = 0; i < 8; i++)
        mmc_welford_add(&w, x[i]);
    ck_assert_double_eq_tol(w.mean, 5.0, 1e-15);
    ck_assert_double_eq_tol(mmc_welford_var(&w), 32.0 / 7.0, 1e-14);
}
END_TEST

START_TEST(welford_is_stable_with_large_offset)
{
    struct mmc_welford w;
    mmc_welford_reset(&w);
    for (int i = 0; i < 1000; i++)
        mmc_welford_add(&w, 1e9 + (i % 2 ? 1.0 : -1.0));
    ck_assert_double_eq_tol(mmc_welford_var(&w), 1000.0 / 999.0, 1e-6);
}
END_TEST

START_TEST(t_interval_known_values)
{
    /* t_{0.975, 9} = 2.2621571627982 (tables); n = 10, s = 1 -> half = t / sqrt(10) */
    ck_assert_double_eq_tol(mmc_t_quantile(0.975, 9), 2.2621571627982, 1e-10);
    struct mmc_welford w;
    mmc_welford_reset(&w);
    for (int i = 0; i < 10; i++)
        mmc_welford_add(&w, i % 2 ? 1.0 : -1.0);
    double s = sqrt(10.0 / 9.0);
    struct mmc_ci ci = mmc_welford_ci(&w, 0.95);
    ck_assert_double_eq_tol(ci.mean, 0.0, 1e-15);
    ck_assert_double_eq_tol(ci.half, 2.2621571627982 * s / sqrt(10.0), 1e-10);
}
END_TEST

START_TEST(one_observation_has_no_interval)
{
    struct mmc_welford w;
    mmc_welford_reset(&w);
    mmc_welford_add(&w, 3.0);
    struct mmc_ci ci = mmc_welford_ci(&w, 0.95);
    ck_assert_double_eq(ci.mean, 3.0);
    ck_assert(isnan(ci.half));
}
END_TEST

Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("welford");
    tcase_add_test(tc, welford_matches_two_pass);
    tcase_add_test(tc, welford_is_stable_with_large_offset);
    tcase_add_test(tc, t_interval_known_values);
    tcase_add_test(tc, one_observation_has_no_interval);
    suite_add_tcase(s, tc);
    return s;
}
