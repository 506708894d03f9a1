/*
 * test_coverage.c - the honest test of the output analysis: do the nominal
 * 95 % intervals cover the truth 95 % of the time?
 *
 * For each configuration, N_EXP independent experiments (seeds 1000, 1001,
 * ...) of 20 replications each estimate Wq, T and the p90 and p99 of Wq and
 * T, and we count how often each 95 % interval contains the closed-form
 * value. (With 10 replications of a few thousand tasks, replication means
 * are still skewed and the t interval covers only about 92 %; 20 longer
 * replications reach 94-96 %: the interval is right once its assumptions
 * hold, and this test holds it to that.) Runs start from the closed-form stationary law, so they
 * carry no warm-up bias and per-task figures are exactly unbiased; what is tested is the interval
 * construction itself (Student t over replications, and for percentiles the pooled histogram
 * estimate with the replications' spread). With N_EXP = 400 a true 95 % coverage lands in [0.92,
 * 0.98] with probability above 99 %; the seeds are fixed, so the test never flakes.
 *
 * This suite is tagged "slow" and skipped under valgrind (CK_EXCLUDE_TAGS):
 * it checks statistics, which valgrind cannot make more or less true.
 */
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <stdio.h>

#define N_EXP 400

static const struct {
    double c, rho, tasks;
} cases[] = {
    {1, 0.5, 10000},
    {4, 0.8, 20000},
    {2, 0.9, 40000},
};

static const enum mmc_metric checked[] = {
    MMC_M_WQ, MMC_M_T, MMC_M_WQ_P90, MMC_M_WQ_P99, MMC_M_T_P90, MMC_M_T_P99,
};
#define N_CHECKED (sizeof checked / sizeof checked[0])

/* Count, for the first n checked metrics, whether sm's 95 % interval holds the closed form. */
static void tally(const struct mmc_summary *sm, size_t n, size_t *hits)
{
    for (size_t k = 0; k < n; k++) {
        double a = mmc_analytic_metric(&sm->an, checked[k]);
        hits[k] += fabs(sm->m[checked[k]].mean - a) <= sm->m[checked[k]].half;
    }
}

/* Each of the first n checked metrics covered in 92 % to 98 % of N_EXP experiments. */
static void assert_coverage(const size_t *hits, size_t n, const char *what)
{
    for (size_t k = 0; k < n; k++) {
        double cover = (double)hits[k] / N_EXP;
        printf("coverage %s %s: %.3f\n", what, mmc_metric_name(checked[k]), cover);
        ck_assert_msg(cover >= 0.92 && cover <= 0.98, "%s %s: coverage %.3f", what,
                      mmc_metric_name(checked[k]), cover);
    }
}

START_TEST(nominal_95_percent_intervals_cover_95_percent)
{
    double c = cases[_i].c, rho = cases[_i].rho;
    size_t hits[N_CHECKED] = {0};
    for (int e = 0; e < N_EXP; e++) {
        struct fixture f;
        fixture_init(&f, rho * c, 1.0, c, cases[_i].tasks);
        f.s.seed = 1000 + (uint64_t)e;
        f.s.replications = 20;
        f.s.initial.kind = MMC_INITIAL_STATIONARY;
        f.s.warmup.kind = MMC_LIMIT_NONE;
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        tally(&x.summaries[0], N_CHECKED, hits);
        mmc_experiment_fini(&x);
    }
    char what[64];
    snprintf(what, sizeof what, "c=%g rho=%g", c, rho);
    assert_coverage(hits, N_CHECKED, what);
}
END_TEST

/*
 * The whole pipeline as users run it: empty start, warmup: auto, 10
 * replications. Choosing the MSER cut on the measured path itself biased
 * Lq by -1.4 % and left coverage near 0.88 here; with the cut chosen once
 * per point on the average of independent pilot paths (experiment.c) the
 * intervals cover as they should.
 */
START_TEST(auto_warmup_keeps_coverage)
{
    size_t hits[N_CHECKED] = {0};
    for (int e = 0; e < N_EXP; e++) {
        struct fixture f;
        fixture_init(&f, 0.9, 1.0, 1, 50000);
        f.s.seed = 90000 + (uint64_t)e;
        f.s.warmup.kind = MMC_LIMIT_AUTO;
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        tally(&x.summaries[0], 2, hits); /* Wq and T */
        mmc_experiment_fini(&x);
    }
    assert_coverage(hits, 2, "auto warm-up");
}
END_TEST

/* method: batch-means, one long run per experiment cut into 30 batches. */
START_TEST(batch_means_cover)
{
    size_t hits[2] = {0};
    for (int e = 0; e < N_EXP; e++) {
        struct fixture f;
        fixture_init(&f, 0.8, 1.0, 1, 200000);
        f.s.seed = 70000 + (uint64_t)e;
        f.s.replications = 1;
        f.s.method = MMC_METHOD_BATCH_MEANS;
        f.s.batches = 30;
        f.s.warmup.kind = MMC_LIMIT_AUTO;
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        ck_assert_uint_ge(x.summaries[0].batches, 10);
        tally(&x.summaries[0], 2, hits); /* Wq and T */
        mmc_experiment_fini(&x);
    }
    assert_coverage(hits, 2, "batch means");
}
END_TEST

Suite *coverage_suite(void)
{
    Suite *s = suite_create("coverage");
    TCase *tc = tcase_create("interval coverage");
    tcase_set_tags(tc, "slow");
    tcase_set_timeout(tc, 1200);
    tcase_add_loop_test(tc, nominal_95_percent_intervals_cover_95_percent, 0,
                        sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, auto_warmup_keeps_coverage);
    tcase_add_test(tc, batch_means_cover);
    suite_add_tcase(s, tc);
    return s;
}
