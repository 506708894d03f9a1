/*
 * test_hist.c - the log-bucketed histogram: resolution, quantiles against
 * exact values, zeros (the wait's atom), merging.
 */
#include "hist.h"

#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

static struct mmc_hist *new_hist(void)
{
    struct mmc_hist *h = malloc(sizeof *h);
    mmc_hist_reset(h);
    return h;
}

START_TEST(single_values_within_resolution)
{
    /* a histogram holding one value returns it to within 1/128 */
    struct mmc_hist *h = new_hist();
    const double xs[] = {1e-9, 3.3e-6, 0.001, 0.0179, 1.0, 2.5, 1234.5, 9e8};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        mmc_hist_reset(h);
        mmc_hist_add(h, xs[i]);
        double q = mmc_hist_quantile(h, 0.5);
        ck_assert_double_le(fabs(q - xs[i]), xs[i] / 64.0);
    }
    free(h);
}
END_TEST

START_TEST(exponential_quantiles)
{
    /* 10^6 Exp(1) draws: quantiles within the histogram error plus sampling noise */
    struct mmc_hist *h = new_hist();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    for (int i = 0; i < 1000000; i++)
        mmc_hist_add(h, gsl_ran_exponential(r, 1.0));
    const double p[] = {0.5, 0.9, 0.99, 0.999};
    for (int k = 0; k < 4; k++) {
        double exact = -log1p(-p[k]);
        ck_assert_double_le(fabs(mmc_hist_quantile(h, p[k]) / exact - 1.0), 0.012);
    }
    gsl_rng_free(r);
    free(h);
}
END_TEST

START_TEST(zeros_form_an_atom)
{
    /* 30 % zeros then Exp(2): quantiles below 0.3 are 0, above follow the tail */
    struct mmc_hist *h = new_hist();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 9);
    for (int i = 0; i < 1000000; i++)
        mmc_hist_add(h, gsl_rng_uniform(r) < 0.3 ? 0.0 : gsl_ran_exponential(r, 0.5));
    ck_assert_double_eq(mmc_hist_quantile(h, 0.2), 0.0);
    ck_assert_double_eq(mmc_hist_quantile(h, 0.29), 0.0);
    /* P(X > t) = 0.7 e^{-2t}: the 0.9-quantile is ln(7)/2 */
    ck_assert_double_le(fabs(mmc_hist_quantile(h, 0.9) / (log(7.0) / 2.0) - 1.0), 0.012);
    ck_assert_uint_eq(h->n, 1000000);
    gsl_rng_free(r);
    free(h);
}
END_TEST

START_TEST(merge_equals_adding_everything)
{
    struct mmc_hist *a = new_hist(), *b = new_hist(), *all = new_hist();
    for (int i = 1; i <= 1000; i++) {
        double x = i * 0.37;
        mmc_hist_add(i % 2 ? a : b, x);
        mmc_hist_add(all, x);
    }
    mmc_hist_merge(a, b);
    ck_assert_uint_eq(a->n, all->n);
    for (double p = 0.05; p < 1.0; p += 0.05)
        ck_assert_double_eq(mmc_hist_quantile(a, p), mmc_hist_quantile(all, p));
    free(a);
    free(b);
    free(all);
}
END_TEST

START_TEST(out_of_range_and_empty)
{
    struct mmc_hist *h = new_hist();
    ck_assert(isnan(mmc_hist_quantile(h, 0.5)));
    mmc_hist_add(h, 1e-20);
    mmc_hist_add(h, 1e20);
    ck_assert_uint_eq(h->under, 1);
    ck_assert_uint_eq(h->over, 1);
    ck_assert(isnan(mmc_hist_quantile(h, 1.0)));
    free(h);
}
END_TEST

/* A replication's kept buckets count the values at or below a quantile: p n, and the variance. */
START_TEST(span_counts_invert_the_quantile)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 5);
    struct mmc_hist *h = new_hist();
    for (int i = 0; i < 100000; i++)
        mmc_hist_add(h, i % 4 == 0 ? 0.0 : gsl_ran_exponential(r, 1.0));
    struct mmc_hist_span sp;
    mmc_hist_span_init(&sp, h);
    ck_assert_uint_lt(sp.len, MMC_HIST_BUCKETS / 3); /* only the occupied range is kept */
    const double p[] = {0.5, 0.9, 0.99, 0.999};
    for (int k = 0; k < 4; k++) {
        double q = mmc_hist_quantile(h, p[k]);
        ck_assert_double_eq_tol(mmc_hist_span_count_le(&sp, q), p[k] * 100000.0, 1e-6);
    }
    ck_assert_double_eq(mmc_hist_span_count_le(&sp, 0.0), (double)h->zero);
    ck_assert_double_eq(mmc_hist_span_count_le(&sp, 1e30), 100000.0);
    ck_assert_double_eq(mmc_hist_span_count_le(&sp, -1.0), 0.0);
    /* 3/4 exponential(1), 1/4 zero: mean 3/4, E[X^2] = 3/2, variance 15/16 */
    ck_assert_double_eq_tol(mmc_hist_variance(h), 15.0 / 16.0, 0.02);
    mmc_hist_span_fini(&sp);
    mmc_hist_span_fini(&sp); /* safe twice */
    free(h);
    gsl_rng_free(r);
}
END_TEST

Suite *hist_suite(void)
{
    Suite *s = suite_create("hist");
    TCase *tc = tcase_create("quantiles");
    tcase_add_test(tc, single_values_within_resolution);
    tcase_add_test(tc, exponential_quantiles);
    tcase_add_test(tc, zeros_form_an_atom);
    tcase_add_test(tc, merge_equals_adding_everything);
    tcase_add_test(tc, out_of_range_and_empty);
    tcase_add_test(tc, span_counts_invert_the_quantile);
    suite_add_tcase(s, tc);
    return s;
}
