/*
 * test_mser.c - MSER-5: the cut on series with a known transient, bounded
 * memory by coarsening, and Welch's average of several paths.
 */
#include "mser.h"

#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

START_TEST(cut_finds_a_step)
{
    /* 1000 observations at 10, then 9000 of unit-variance noise around 0:
       the cut must remove the step and little else */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 7);
    struct mmc_mser m;
    mmc_mser_init(&m);
    for (int i = 0; i < 10000; i++)
        mmc_mser_add(&m, (i < 1000 ? 10.0 : 0.0) + gsl_ran_gaussian(r, 1.0));
    uint64_t cut = mmc_mser_cut(&m);
    ck_assert_uint_ge(cut, 1000);
    ck_assert_uint_le(cut, 1100);
    ck_assert_uint_eq(cut % MMC_MSER_BATCH, 0);
    mmc_mser_fini(&m);
    gsl_rng_free(r);
}
END_TEST

START_TEST(stationary_noise_is_barely_cut)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 11);
    struct mmc_mser m;
    mmc_mser_init(&m);
    for (int i = 0; i < 20000; i++)
        mmc_mser_add(&m, gsl_ran_gaussian(r, 1.0));
    /* nothing to remove: MSER may shave a little noise, never a large part */
    ck_assert_uint_le(mmc_mser_cut(&m), 2000);
    mmc_mser_fini(&m);
    gsl_rng_free(r);
}
END_TEST

START_TEST(coarsening_bounds_memory_and_keeps_the_mean)
{
    struct mmc_mser m;
    mmc_mser_init(&m);
    uint64_t n = (uint64_t)MMC_MSER_CAP * MMC_MSER_BATCH * 4; /* two doublings */
    for (uint64_t i = 0; i < n; i++)
        mmc_mser_add(&m, (double)(i % 10));
    ck_assert_uint_le(m.n, MMC_MSER_CAP);
    ck_assert_uint_eq(m.batch, 4 * MMC_MSER_BATCH);
    ck_assert_uint_eq(mmc_mser_observations(&m), n);
    double sum = 0.0;
    for (size_t j = 0; j < m.n; j++)
        sum += m.z[j];
    ck_assert_double_eq_tol(sum / (double)m.n, 4.5, 1e-12);
    mmc_mser_fini(&m);
}
END_TEST

START_TEST(average_aligns_batches_and_lengths)
{
    /* a: 40 observations of 1 (batches of 5); b: enough observations of 3
       to coarsen once (batches of 10). The average has b's batch size, the
       common length, and the mean 2 in every batch. */
    struct mmc_mser s[2], avg;
    mmc_mser_init(&s[0]);
    mmc_mser_init(&s[1]);
    mmc_mser_init(&avg);
    for (int i = 0; i < 40; i++)
        mmc_mser_add(&s[0], 1.0);
    for (int i = 0; i < MMC_MSER_CAP * MMC_MSER_BATCH + 10; i++)
        mmc_mser_add(&s[1], 3.0);
    ck_assert_uint_eq(s[1].batch, 2 * MMC_MSER_BATCH);
    mmc_mser_average(&avg, s, 2);
    ck_assert_uint_eq(avg.batch, 2 * MMC_MSER_BATCH);
    ck_assert_uint_eq(avg.n, 4); /* 40 observations in batches of 10 */
    for (size_t j = 0; j < avg.n; j++)
        ck_assert_double_eq(avg.z[j], 2.0);
    mmc_mser_fini(&s[0]);
    mmc_mser_fini(&s[1]);
    mmc_mser_fini(&avg);
}
END_TEST

START_TEST(averaging_paths_steadies_the_cut)
{
    /* five paths of one AR(1) transient (phi 0.99, start 30 above a mean of 0):
       the cut on their average removes the transient (e-folding 100 steps;
       30 x 0.99^t falls to the averaged noise, sd 7.1 / sqrt 5, near t = 220)
       and stays far from the search limit */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 3);
    struct mmc_mser s[5], avg;
    mmc_mser_init(&avg);
    for (int k = 0; k < 5; k++) {
        mmc_mser_init(&s[k]);
        double x = 30.0;
        for (int i = 0; i < 20000; i++) {
            x = 0.99 * x + gsl_ran_gaussian(r, 1.0);
            mmc_mser_add(&s[k], x);
        }
    }
    mmc_mser_average(&avg, s, 5);
    uint64_t cut = mmc_mser_cut(&avg);
    ck_assert_uint_ge(cut, 100);
    ck_assert_uint_le(cut, 2000);
    for (int k = 0; k < 5; k++)
        mmc_mser_fini(&s[k]);
    mmc_mser_fini(&avg);
    gsl_rng_free(r);
}
END_TEST

/* The autocorrelation time of AR(1) with phi 0.95 is (1 + phi) / (1 - phi) = 39 observations;
 * one estimate has 15 degrees of freedom (a relative sd of about 0.37), so the mean of 20 is
 * checked: within 20 % (2.5 of its standard deviations). */
START_TEST(act_of_an_ar1_series)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 11);
    struct mmc_mser s[5];
    double sum = 0.0;
    for (int e = 0; e < 20; e++) {
        for (int k = 0; k < 5; k++) {
            mmc_mser_init(&s[k]);
            double x = gsl_ran_gaussian(r, 1.0 / sqrt(1.0 - 0.95 * 0.95)); /* stationary */
            for (int i = 0; i < 100000; i++) {
                x = 0.95 * x + gsl_ran_gaussian(r, 1.0);
                mmc_mser_add(&s[k], x);
            }
        }
        sum += mmc_mser_act(s, 5, 0);
        for (int k = 0; k < 5; k++)
            mmc_mser_fini(&s[k]);
    }
    ck_assert_double_ge(sum / 20.0, 0.8 * 39.0);
    ck_assert_double_le(sum / 20.0, 1.2 * 39.0);
    double act;
    /* independent values: about 1 */
    for (int k = 0; k < 5; k++) {
        mmc_mser_init(&s[k]);
        for (int i = 0; i < 100000; i++)
            mmc_mser_add(&s[k], gsl_ran_gaussian(r, 1.0));
    }
    act = mmc_mser_act(s, 5, 0);
    ck_assert_double_ge(act, 0.3); /* 1, within two of its standard deviations */
    ck_assert_double_le(act, 1.8);
    /* a series too short for four batches after the cut: NaN */
    ck_assert(isnan(mmc_mser_act(s, 5, 100000)));
    for (int k = 0; k < 5; k++)
        mmc_mser_fini(&s[k]);
    gsl_rng_free(r);
}
END_TEST

Suite *mser_suite(void)
{
    Suite *s = suite_create("mser");
    TCase *tc = tcase_create("mser");
    tcase_add_test(tc, cut_finds_a_step);
    tcase_add_test(tc, stationary_noise_is_barely_cut);
    tcase_add_test(tc, coarsening_bounds_memory_and_keeps_the_mean);
    tcase_add_test(tc, average_aligns_batches_and_lengths);
    tcase_add_test(tc, averaging_paths_steadies_the_cut);
    tcase_add_test(tc, act_of_an_ar1_series);
    suite_add_tcase(s, tc);
    return s;
}
