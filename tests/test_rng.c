/*
 * test_rng.c - stream derivation: reproducible, distinct, independent.
 */
#include "rng.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

START_TEST(same_triple_same_stream)
{
    const gsl_rng_type *t = mmc_rng_type("mt19937");
    ck_assert_ptr_nonnull(t);
    gsl_rng *a = mmc_rng_create(t, 42, 3, MMC_STREAM_SERVICE);
    gsl_rng *b = mmc_rng_create(t, 42, 3, MMC_STREAM_SERVICE);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

static int cmp_ulong(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return (x > y) - (x < y);
}

START_TEST(derived_seeds_are_distinct)
{
    /* 200 seeds x 50 replications x 2 purposes: no two share a GSL seed */
    enum { N = 200 * 50 * 2 };
    static unsigned long seen[N];
    size_t n = 0;
    for (uint64_t s = 0; s < 200; s++)
        for (uint64_t r = 0; r < 50; r++)
            for (unsigned p = 0; p < 2; p++) {
                unsigned long v = mmc_rng_derive(s, r, p);
                ck_assert_uint_ne(v, 0);
                seen[n++] = v;
            }
    qsort(seen, n, sizeof seen[0], cmp_ulong);
    for (size_t i = 1; i < n; i++)
        ck_assert_uint_ne(seen[i - 1], seen[i]);
}
END_TEST

START_TEST(streams_are_uncorrelated)
{
    /* correlation of paired uniforms from the arrival and service streams of one replication,
       and of replication 0 and 1: |r| < 4/sqrt(n) (a 4-sigma bound) */
    const gsl_rng_type *t = mmc_rng_type("mt19937");
    const int n = 100000;
    gsl_rng *a = mmc_rng_create(t, 1, 0, MMC_STREAM_ARRIVAL);
    gsl_rng *b = mmc_rng_create(t, 1, 0, MMC_STREAM_SERVICE);
    gsl_rng *c = mmc_rng_create(t, 1, 1, MMC_STREAM_ARRIVAL);
    double sab = 0, sac = 0, sa = 0, sb = 0, sc = 0, saa = 0, sbb = 0, scc = 0;
    for (int i = 0; i < n; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b), z = gsl_rng_uniform(c);
        sa += x, sb += y, sc += z, saa += x * x, sbb += y * y, scc += z * z;
        sab += x * y, sac += x * z;
    }
    double va = saa - sa * sa / n, vb = sbb - sb * sb / n, vc = scc - sc * sc / n;
    double rab = (sab - sa * sb / n) / sqrt(va * vb);
    double rac = (sac - sa * sc / n) / sqrt(va * vc);
    ck_assert_double_lt(fabs(rab), 4.0 / sqrt(n));
    ck_assert_double_lt(fabs(rac), 4.0 / sqrt(n));
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}
END_TEST

START_TEST(unknown_generator_is_null)
{
    ck_assert_ptr_null(mmc_rng_type("no-such-generator"));
    ck_assert_ptr_nonnull(mmc_rng_type("ranlxd2"));
}
END_TEST

Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("streams");
    tcase_add_test(tc, same_triple_same_stream);
    tcase_add_test(tc, derived_seeds_are_distinct);
    tcase_add_test(tc, streams_are_uncorrelated);
    tcase_add_test(tc, unknown_generator_is_null);
    suite_add_tcase(s, tc);
    return s;
}
