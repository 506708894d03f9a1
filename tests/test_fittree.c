/*
 * test_fittree.c - the tree over bins' free amounts: every query against a
 * scan of all bins, through random changes, with many ties.
 */
#include "fittree.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* A scan: the fitting bin by the rule (0: lowest index, +1: smallest key, -1: largest). */
static size_t scan(const double *fr, const double *key, size_t n, unsigned nr, const double *need,
                   int rule)
{
    size_t best = SIZE_MAX;
    for (size_t j = 0; j < n; j++) {
        int fits = 1;
        for (unsigned r = 0; r < nr; r++)
            fits &= fr[j * nr + r] >= need[r];
        if (!fits)
            continue;
        if (rule == 0)
            return j;
        if (best == SIZE_MAX || (rule > 0 ? key[j] < key[best] : key[j] > key[best]))
            best = j;
    }
    return best;
}

/* n bins of nr resources, amounts and keys small whole numbers (ties everywhere): after each
 * of many random changes, the three queries for a random demand equal the scan's. */
static void against_scan(size_t n, unsigned nr, unsigned long seed)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, seed);
    double *fr = malloc(n * nr * sizeof *fr), *key = malloc(n * sizeof *key);
    double f0[MMC_FIT_MAX_RES] = {4, 4, 4};
    struct mmc_fit_tree t;
    mmc_fit_init(&t, n, nr, f0, 1.0);
    for (size_t j = 0; j < n; j++) {
        for (unsigned r = 0; r < nr; r++)
            fr[j * nr + r] = f0[r];
        key[j] = 1.0;
        ck_assert(mmc_fit_fits(&t, j, f0));
    }
    for (int step = 0; step < 4000; step++) {
        size_t j = gsl_rng_uniform_int(g, n);
        double f[MMC_FIT_MAX_RES];
        for (unsigned r = 0; r < nr; r++)
            f[r] = fr[j * nr + r] = (double)gsl_rng_uniform_int(g, 9);
        key[j] = (double)gsl_rng_uniform_int(g, 5);
        mmc_fit_set(&t, j, f, key[j]);
        ck_assert_double_eq(mmc_fit_key(&t, j), key[j]);
        ck_assert_double_eq(mmc_fit_free(&t, j, nr - 1), f[nr - 1]);
        double need[MMC_FIT_MAX_RES];
        for (unsigned r = 0; r < nr; r++)
            need[r] = (double)gsl_rng_uniform_int(g, 9);
        ck_assert_uint_eq(mmc_fit_first(&t, need), scan(fr, key, n, nr, need, 0));
        ck_assert_uint_eq(mmc_fit_min_key(&t, need), scan(fr, key, n, nr, need, +1));
        ck_assert_uint_eq(mmc_fit_max_key(&t, need), scan(fr, key, n, nr, need, -1));
    }
    mmc_fit_fini(&t);
    free(fr);
    free(key);
    gsl_rng_free(g);
}

START_TEST(queries_equal_a_scan)
{
    static const size_t ns[] = {1, 2, 3, 7, 8, 9, 100, 1000};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        for (unsigned nr = 1; nr <= MMC_FIT_MAX_RES; nr++)
            against_scan(ns[i], nr, 11 + i * 3 + nr);
}
END_TEST

/* Nothing fits: every query says so; a demand of exactly the free amount fits. */
START_TEST(exact_amounts_fit)
{
    double f0[2] = {10000, 20480}; /* whole units: millicores, MB */
    struct mmc_fit_tree t;
    mmc_fit_init(&t, 20, 2, f0, 0.0);
    double need[2] = {100, 256};
    /* fill bin 3 to its last slot: 10000 / 100 = 100 cpu slots, 20480 / 256 = 80 mem slots */
    double f[2] = {f0[0], f0[1]};
    for (int k = 0; k < 80; k++) {
        ck_assert(mmc_fit_fits(&t, 3, need));
        f[0] -= need[0];
        f[1] -= need[1];
        mmc_fit_set(&t, 3, f, (double)(k + 1) / 80.0);
    }
    ck_assert(!mmc_fit_fits(&t, 3, need));
    ck_assert_uint_eq(mmc_fit_max_key(&t, need), 0); /* bin 3 is full; the rest tie at 0 */
    ck_assert_uint_eq(mmc_fit_min_key(&t, need), 0);
    double big[2] = {10001, 1};
    ck_assert_uint_eq(mmc_fit_first(&t, big), SIZE_MAX);
    ck_assert_uint_eq(mmc_fit_min_key(&t, big), SIZE_MAX);
    ck_assert_uint_eq(mmc_fit_max_key(&t, big), SIZE_MAX);
    mmc_fit_fini(&t);
}
END_TEST

/* Best fit takes the fullest bin that still fits, least loaded the emptiest. */
START_TEST(best_and_least_loaded)
{
    double f0[1] = {10};
    struct mmc_fit_tree t;
    mmc_fit_init(&t, 5, 1, f0, 0.0);
    double f[1] = {2};
    mmc_fit_set(&t, 1, f, 0.8);
    f[0] = 0;
    mmc_fit_set(&t, 2, f, 1.0);
    f[0] = 5;
    mmc_fit_set(&t, 4, f, 0.5);
    double need[1] = {1};
    ck_assert_uint_eq(mmc_fit_max_key(&t, need), 1);
    ck_assert_uint_eq(mmc_fit_min_key(&t, need), 0);
    ck_assert_uint_eq(mmc_fit_first(&t, need), 0);
    need[0] = 3;
    ck_assert_uint_eq(mmc_fit_max_key(&t, need), 4);
    need[0] = 6;
    ck_assert_uint_eq(mmc_fit_max_key(&t, need), 0);
    ck_assert_uint_eq(mmc_fit_first(&t, need), 0);
    mmc_fit_fini(&t);
}
END_TEST

Suite *fittree_suite(void)
{
    Suite *s = suite_create("fittree");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, queries_equal_a_scan);
    tcase_add_test(tc, exact_amounts_fit);
    tcase_add_test(tc, best_and_least_loaded);
    suite_add_tcase(s, tc);
    return s;
}
