/*
 * test_bucket.c - the token bucket against an independent rule and its
 * defining bound.
 *
 * Reference: the GCRA virtual-scheduling algorithm (ITU-T I.371), with
 * emission interval T = 1/rate and tolerance tau = (burst - 1) T: a request
 * at t conforms iff t >= TAT - tau, and then TAT = max(t, TAT) + T. It is
 * equivalent to a bucket of size burst refilled at rate, starting full, so
 * the two must agree on every refusal. The bound: over any window of length
 * w at most burst + rate w requests pass (conformance), and with waiting,
 * tasks pass in order, at least 1/rate apart once the burst is spent.
 */
#include "bucket.h"
#include "rng.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#define N_REQ 20000

/* Arrival times of a Poisson stream of the given rate (fixed seed). */
static double *poisson_times(double rate, unsigned long seed)
{
    gsl_rng *r = mmc_rng_create(gsl_rng_taus2, seed, 0, 0);
    double *t = malloc(N_REQ * sizeof *t);
    double now = 0.0;
    for (int i = 0; i < N_REQ; i++) {
        now += mmc_rng_exponential(r, 1.0 / rate);
        t[i] = now;
    }
    gsl_rng_free(r);
    return t;
}

/* Every window between two passing times holds at most burst + rate w of them. */
static void assert_conforms(const double *pass, int n, double rate, double burst)
{
    /* the tightest windows start and end at passes: check each pair (i, j > i) by sliding */
    for (int i = 0; i < n; i++) {
        /* a window from pass[i] to pass[k] holds k - i + 1 passes */
        for (int k = i; k < n && pass[k] - pass[i] < 50.0 / rate; k++)
            if ((double)(k - i + 1) > burst + rate * (pass[k] - pass[i]) + 1e-9)
                ck_abort_msg("%d passes in %.6g s", k - i + 1, pass[k] - pass[i]);
    }
}

START_TEST(refusals_match_gcra)
{
    const double rates[] = {5.0, 10.0, 20.0}, bursts[] = {1.0, 3.0, 10.5};
    double *t = poisson_times(10.0, 7);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            struct mmc_bucket bk;
            mmc_bucket_init(&bk, rates[a], bursts[b], 0.0);
            double T = 1.0 / rates[a], tau = (bursts[b] - 1.0) * T, tat = 0.0;
            double *pass = malloc(N_REQ * sizeof *pass);
            int n_pass = 0, n_refused = 0;
            for (int i = 0; i < N_REQ; i++) {
                bool gcra_ok = t[i] >= tat - tau - 1e-12;
                double d = mmc_bucket_take(&bk, t[i], false);
                if ((d == 0.0) != gcra_ok) /* not ck_assert: Check marks every call */
                    ck_abort_msg("request %d at %.9g: bucket %g, gcra %d", i, t[i], d, gcra_ok);
                if (gcra_ok) {
                    tat = (t[i] > tat ? t[i] : tat) + T;
                    pass[n_pass++] = t[i];
                } else {
                    n_refused++;
                }
            }
            assert_conforms(pass, n_pass, rates[a], bursts[b]);
            /* over the run, passes ~ min(offered, rate): a fair share is refused when over */
            if (rates[a] < 10.0)
                ck_assert_int_gt(n_refused, N_REQ / 3);
            free(pass);
        }
    free(t);
}
END_TEST

START_TEST(waiting_tasks_pass_in_order_at_the_rate)
{
    /* GCRA as a shaper: a request passes at max(t, TAT - tau), then TAT = max(t, TAT) + T */
    double *t = poisson_times(12.0, 11);
    struct mmc_bucket bk;
    mmc_bucket_init(&bk, 10.0, 4.0, 0.0);
    double T = 0.1, tau = 3.0 * T, tat = 0.0;
    double *pass = malloc(N_REQ * sizeof *pass);
    for (int i = 0; i < N_REQ; i++) {
        double d = mmc_bucket_take(&bk, t[i], true);
        double ref = t[i] > tat - tau ? t[i] : tat - tau;
        tat = (t[i] > tat ? t[i] : tat) + T;
        pass[i] = t[i] + d;
        if (d < 0.0 || (i > 0 && pass[i] < pass[i - 1]) || fabs(pass[i] - ref) > 1e-9 * tat)
            ck_abort_msg("request %d at %.9g: passes at %.12g, GCRA says %.12g", i, t[i], pass[i],
                         ref);
    }
    assert_conforms(pass, N_REQ, 10.0, 4.0);
    /* 12/s into 10/s: a backlog builds, and the last pass is no sooner than the bound allows */
    ck_assert_double_ge(pass[N_REQ - 1], (N_REQ - 4) / 10.0 - 1e-9);
    free(pass);
    free(t);
}
END_TEST

START_TEST(a_full_bucket_passes_its_burst_at_once)
{
    struct mmc_bucket bk;
    mmc_bucket_init(&bk, 2.0, 3.0, 0.0);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq(mmc_bucket_take(&bk, 1.0, false), 0.0);
    ck_assert_double_eq(mmc_bucket_take(&bk, 1.0, false), -1.0);
    ck_assert_double_eq(mmc_bucket_take(&bk, 1.0, true), 0.5);   /* on credit: due at 1.5 */
    ck_assert_double_eq(mmc_bucket_take(&bk, 1.25, true), 0.75); /* next: due at 2.0 */
    ck_assert_double_eq(mmc_bucket_take(&bk, 10.0, false), 0.0); /* refilled long since */
}
END_TEST

Suite *bucket_suite(void)
{
    Suite *s = suite_create("bucket");
    TCase *tc = tcase_create("conformance");
    tcase_add_test(tc, refusals_match_gcra);
    tcase_add_test(tc, waiting_tasks_pass_in_order_at_the_rate);
    tcase_add_test(tc, a_full_bucket_passes_its_burst_at_once);
    suite_add_tcase(s, tc);
    return s;
}
