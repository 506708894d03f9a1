/*
 * test_erlang.c - the M/M/c closed forms (models/erlang.h) against
 * high-precision values and against the published tables of
 * ../shared/seeds/001 (orchestrator performance).
 *
 * Reference values come from mpmath 1.3 at mp.dps = 50, with the inputs
 * taken as the exact doubles written in each row:
 *
 *   a = mpf(lam) / mpf(mu); rho = a / c
 *   logS = a + log(gammainc(c + 1, a, regularized=True))  # log sum_{n<=c} a^n/n!
 *   B = exp(c * log(a) - loggamma(c + 1) - logS); C = B / (1 - rho * (1 - B))
 *   lq = C * rho / (1 - rho); wq = C / (c * mu - lam); t = d + wq + 1 / mu
 *   log_p0 = -(logS + log(1 + B * rho / (1 - rho))); p0 = exp(log_p0)
 *
 * For c <= 8 this agreed to 40 digits with the seeds' own formula,
 * P0 = 1 / (sum_{n<c} a^n/n! + a^c / (c! (1 - rho))),
 * Lq = a^c rho P0 / (c! (1 - rho)^2). Every value is printed with 17
 * significant digits; a 0.0 marks a value below DBL_MIN (noted beside it),
 * which the code must return as 0 or a subnormal.
 *
 * Tolerance: relative error < 1e-9 everywhere (REL_TOL).
 *
 * M/M/c/K+M (mmc_erlang_loss, section 7) has its own references, each noted
 * where it is used: exact rational arithmetic (Python fractions) for M/M/c/K,
 * direct summation of the birth-death chain in mpmath for patience, and the
 * M/M/c and Erlang B functions above for the special cases; tolerance 1e-12
 * (LOSS_TOL) except against M/M/c.
 */
#include "erlang.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define REL_TOL 1e-9
#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Absolute tolerance for a relative error of REL_TOL; an underflowed
 * reference (0.0) accepts anything below DBL_MIN. */
static double rel_tol(double want)
{
    return want == 0.0 ? DBL_MIN : REL_TOL * fabs(want);
}

#define ck_assert_rel(got, want) ck_assert_double_eq_tol((got), (want), rel_tol(want))

/* One M/M/c case with its mpmath values. */
struct ref {
    double lambda, mu, d;
    unsigned long c;
    double p_wait, lq, wq, t, log_p0, p0;
};

static struct mmc_erlang solve(const struct ref *r)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(r->lambda, r->mu, r->c, r->d, &e), 0);
    ck_assert(e.stable);
    return e;
}

static void check_ref(const struct ref *r)
{
    struct mmc_erlang e = solve(r);
    ck_assert_rel(e.p_wait, r->p_wait);
    ck_assert_rel(e.lq, r->lq);
    ck_assert_rel(e.wq, r->wq);
    ck_assert_rel(e.t, r->t);
    ck_assert_rel(e.log_p0, r->log_p0);
    ck_assert_rel(e.p0, r->p0);
    ck_assert_rel(e.l, r->lq + r->lambda / r->mu);
    ck_assert_rel(e.w, r->t - r->d);
    ck_assert_double_eq(e.throughput, r->lambda);
}

/* ---- 1. small cases by hand ---- */

/* M/M/1 (Kleinrock Vol. 1 Sec. 3.2): Lq = rho^2/(1-rho), P0 = 1 - rho. */
START_TEST(test_mm1_by_hand)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.0, 4.0, 1, 0.01, &e), 0);
    double rho = 0.75;
    ck_assert(e.stable);
    ck_assert_rel(e.a, 0.75);
    ck_assert_rel(e.rho, rho);
    ck_assert_rel(e.erlang_b, 0.75 / 1.75);
    ck_assert_rel(e.p_wait, rho);
    ck_assert_rel(e.p0, 1.0 - rho);
    ck_assert_rel(e.log_p0, log(1.0 - rho));
    ck_assert_rel(e.lq, rho * rho / (1.0 - rho));
    ck_assert_rel(e.l, rho / (1.0 - rho));
    ck_assert_rel(e.wq, rho / (4.0 - 3.0));
    ck_assert_rel(e.w, 1.0 / (4.0 - 3.0));
    ck_assert_rel(e.t, 0.01 + 1.0);
    ck_assert_double_eq(e.throughput, 3.0);
}
END_TEST

/* M/M/2: Lq = 2 rho^3 / (1 - rho^2), P0 = (1 - rho) / (1 + rho). */
START_TEST(test_mm2_by_hand)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.0, 2.0, 2, 0.0, &e), 0);
    double rho = 0.75;
    ck_assert_rel(e.rho, rho);
    ck_assert_rel(e.lq, 2.0 * rho * rho * rho / (1.0 - rho * rho));
    ck_assert_rel(e.p0, (1.0 - rho) / (1.0 + rho));
    ck_assert_rel(e.p_wait, 2.0 * rho * rho / (1.0 + rho));
    ck_assert_rel(e.wq, e.lq / 3.0);
    ck_assert_rel(e.l, e.lq + 1.5);
    ck_assert_rel(e.t, e.wq + 0.5);
}
END_TEST

/* ---- 2. the published tables of seed 001 ---- */

/* A row of a published table: the model's exact values and the table's
 * two-decimal strings (NULL where the table has no such column). */
struct published {
    struct ref ref;
    const char *rho, *t_ms, *lq;
};

static void assert_rounds(double x, const char *want)
{
    char got[64];
    if (want == NULL)
        return;
    snprintf(got, sizeof got, "%.2f", x);
    ck_assert_str_eq(got, want);
}

static void check_published(const struct published *p)
{
    struct mmc_erlang e = solve(&p->ref);
    check_ref(&p->ref);
    assert_rounds(e.rho, p->rho);
    assert_rounds(1e3 * e.t, p->t_ms);
    assert_rounds(e.lq, p->lq);
}

/* "High-load scheduling benchmark": lambda 45, mu 50, c = 1..4. rho = 0.225
 * prints as 0.23: the double 45/50/4 is 0.22500000000000000555. */
static const struct published high_load[] = {
    {{45.0, 50.0, 0.0, 1, 0.9, 8.1, 0.18, 0.2, -2.3025850929940457, 0.1}, "0.90", NULL, "8.10"},
    {{45.0, 50.0, 0.0, 2, 0.27931034482758621, 0.22852664576802508, 0.0050783699059561129,
      0.025078369905956113, -0.96940055718810348, 0.37931034482758621},
     "0.45",
     NULL,
     "0.23"},
    {{45.0, 50.0, 0.0, 3, 0.070028818443804035, 0.030012350761630301, 6.669411280362289e-4,
      0.020666941128036229, -0.90768235733755489, 0.40345821325648415},
     "0.30",
     NULL,
     "0.03"},
    {{45.0, 50.0, 0.0, 4, 0.014328768918299155, 0.0041599651698287869, 9.2443670440639709e-5,
      0.02009244367044064, -0.90088230688193908, 0.40621109873550416},
     "0.23",
     NULL,
     "0.00"},
};

START_TEST(test_seed_high_load)
{
    check_published(&high_load[_i]);
}
END_TEST

/* "Arrivals at ninety five percent of capacity": rho = 0.95, mu = 1,
 * lambda = 0.95 c (the doubles below), c = 1, 2, 4, 8. */
static const struct published capacity95[] = {
    {{0.95, 1.0, 0.0, 1, 0.94999999999999996, 18.049999999999982, 18.999999999999982,
      19.999999999999982, -2.9957322735539901, 0.050000000000000044},
     "0.95",
     NULL,
     "18.05"},
    {{1.9, 1.0, 0.0, 2, 0.92564102564102558, 17.587179487179469, 9.2564102564102475,
      10.256410256410248, -3.6635616461296455, 0.025641025641025664},
     "0.95",
     NULL,
     "17.59"},
    {{3.8, 1.0, 0.0, 4, 0.89141899517767356, 16.936960908375782, 4.4570949758883638,
      5.4570949758883638, -5.2726234194562319, 0.0051301344095215344},
     "0.95",
     NULL,
     "16.94"},
    {{7.6, 1.0, 0.0, 8, 0.84416863060968383, 16.039203981583978, 2.1104215765242077,
      3.1104215765242077, -8.7857183541898513, 1.5290123709434976e-4},
     "0.95",
     NULL,
     "16.04"},
};

START_TEST(test_seed_capacity95)
{
    check_published(&capacity95[_i]);
}
END_TEST

/* "Distributed throughput model", d = 5 ms: (lambda, mu) = (50, 80),
 * (80, 100), (120, 150), c = 1..4; latency T in ms. */
static const struct published distributed[] = {
    {{50.0, 80.0, 0.005, 1, 0.625, 1.0416666666666667, 0.020833333333333333, 0.038333333333333333,
      -0.98082925301172624, 0.375},
     NULL,
     "38.33",
     "1.04"},
    {{50.0, 80.0, 0.005, 2, 0.14880952380952381, 0.067640692640692641, 0.0013528138528138528,
      0.018852813852813853, -0.64662716492505245, 0.52380952380952381},
     NULL,
     "18.85",
     "0.07"},
    {{50.0, 80.0, 0.005, 3, 0.027460456942003515, 0.007226436037369346, 1.4452872074738692e-4,
      0.017644528720747387, -0.62685273272010922, 0.53427065026362039},
     NULL,
     "17.64",
     "0.01"},
    {{50.0, 80.0, 0.005, 4, 0.0040326743405770918, 7.467915445513133e-4, 1.4935830891026266e-5,
      0.017514935830891026, -0.62515620449488997, 0.53517782480772209},
     NULL,
     "17.51",
     "0.00"},
    {{80.0, 100.0, 0.005, 1, 0.8, 3.2, 0.04, 0.055, -1.6094379124341004, 0.2},
     NULL,
     "55.00",
     "3.20"},
    {{80.0, 100.0, 0.005, 2, 0.22857142857142857, 0.15238095238095238, 0.0019047619047619048,
      0.016904761904761905, -0.84729786038720361, 0.42857142857142857},
     NULL,
     "16.90",
     "0.15"},
    {{80.0, 100.0, 0.005, 3, 0.052032520325203252, 0.018920916481892092, 2.3651145602365115e-4,
      0.015236511456023651, -0.80485117013994658, 0.44715447154471545},
     NULL,
     "15.24",
     "0.02"},
    {{80.0, 100.0, 0.005, 4, 0.0095808383233532934, 0.0023952095808383234, 2.9940119760479042e-5,
      0.015029940119760479, -0.80050569888044467, 0.44910179640718563},
     NULL,
     "15.03",
     "0.00"},
    {{120.0, 150.0, 0.005, 1, 0.8, 3.2, 0.026666666666666667, 0.038333333333333333,
      -1.6094379124341004, 0.2},
     NULL,
     "38.33",
     "3.20"},
    {{120.0, 150.0, 0.005, 2, 0.22857142857142857, 0.15238095238095238, 0.0012698412698412698,
      0.012936507936507937, -0.84729786038720361, 0.42857142857142857},
     NULL,
     "12.94",
     "0.15"},
    {{120.0, 150.0, 0.005, 3, 0.052032520325203252, 0.018920916481892092, 1.5767430401576743e-4,
      0.011824340970682434, -0.80485117013994658, 0.44715447154471545},
     NULL,
     "11.82",
     "0.02"},
    {{120.0, 150.0, 0.005, 4, 0.0095808383233532934, 0.0023952095808383234, 1.9960079840319361e-5,
      0.011686626746506986, -0.80050569888044467, 0.44910179640718563},
     NULL,
     "11.69",
     "0.00"},
};

START_TEST(test_seed_distributed)
{
    check_published(&distributed[_i]);
}
END_TEST

/* ---- 3. large c ---- */

/* c = 1e3, 1e4, 1e5 at rho = 0.5, 0.9, 0.99, 0.9999 (mu = 1, lambda = rho c),
 * then mu = 3.7 (a is rounded) and a mid-size c. */
static const struct ref large_c[] = {
    {500.0, 1.0, 0.0, 1000, 3.3048302555026836e-86, 3.3048302555026836e-86, 6.6096605110053672e-89,
     1.0, -500.0, 7.1245764067412855e-218},
    {900.0, 1.0, 0.0, 1000, 5.9266996637878122e-4, 0.005334029697409031, 5.9266996637878122e-6,
     1.0000059266996638, -900.00004279214723, 0.0 /* 1.3644e-391 */},
    {990.0, 1.0, 0.0, 1000, 0.65908042188085444, 65.24896176620459, 0.065908042188085444,
     1.0659080421880854, -990.59884454214778, 0.0 /* 6.1431e-431 */},
    {999.9, 1.0, 0.0, 1000, 0.996075123873247, 9959.755163606332, 9.9607512387302052,
     10.960751238730205, -1004.7413684642826, 0.0 /* 4.4296e-437 */},
    {5000.0, 1.0, 0.0, 10000, 0.0 /* 1.1868e-841 */, 0.0 /* 1.1868e-841 */, 0.0 /* 2.3737e-845 */,
     1.0, -5000.0, 0.0 /* 3.3697e-2172 */},
    {9000.0, 1.0, 0.0, 10000, 2.0916197944192896e-25, 1.8824578149773607e-24,
     2.0916197944192896e-28, 1.0, -9000.0, 0.0 /* 2.237e-3909 */},
    {9900.0, 1.0, 0.0, 10000, 0.22277692886414824, 22.054915957550676, 0.0022277692886414824,
     1.0022277692886415, -9900.0792789256174, 0.0 /* 2.8197e-4300 */},
    {9999.0, 1.0, 0.0, 10000, 0.98755625243448581, 9874.5749680924236, 0.98755625243448581,
     1.9875562524344858, -10002.698695135455, 0.0 /* 7.641e-4345 */},
    {50000.0, 1.0, 0.0, 100000, 0.0 /* 1.338e-8391 */, 0.0 /* 1.338e-8391 */,
     0.0 /* 2.6761e-8396 */, 1.0, -50000.0, 0.0 /* 1.8876e-21715 */},
    {90000.0, 1.0, 0.0, 100000, 1.98003409635906e-235, 1.782030686723154e-234,
     1.98003409635906e-239, 1.0, -90000.0, 0.0 /* 3.1378e-39087 */},
    {99000.0, 1.0, 0.0, 100000, 8.219082374107954e-4, 0.081368915503668745, 8.219082374107954e-7,
     1.0000008219082374, -99000.000064539281, 0.0 /* 7.0188e-42996 */},
    {99990.0, 1.0, 0.0, 100000, 0.96096542829972441, 9608.6933175689444, 0.096096542829972441,
     1.0960965428299724, -99992.57425508499, 0.0 /* 5.9809e-43427 */},
    {3699.63, 3.7, 0.0, 1000, 0.99607512387324717, 9959.7551636067549, 2.6920949293866561,
     2.9623651996569264, -1004.7413684642827, 0.0 /* 4.4296e-437 */},
    {369963.0, 3.7, 0.0, 100000, 0.96096542829970595, 9608.6933175641467, 0.025972038602682286,
     0.29624230887295254, -99992.574255084985, 0.0 /* 5.9809e-43427 */},
    {7.0, 0.3, 0.0, 30, 0.13225268024473806, 0.46288438085658329, 0.066126340122369041,
     3.3994596734557025, -23.365370591331826, 7.1211229565392649e-11},
};

START_TEST(test_large_c)
{
    check_ref(&large_c[_i]);
}
END_TEST

/* Erlang B and C alone; same mpmath formulas with lam = a, mu = 1. */
START_TEST(test_erlang_b_c)
{
    ck_assert_rel(mmc_erlang_b(10, 5.0), 0.018384570336648133);
    ck_assert_rel(mmc_erlang_c(10, 5.0), 0.036105359158320186);
    ck_assert_rel(mmc_erlang_b(100, 80.0), 0.0039920286045531975);
    ck_assert_rel(mmc_erlang_c(100, 80.0), 0.019646426634359511);
    ck_assert_rel(mmc_erlang_b(100000, 99990.0), 0.0024557858872472416);
    ck_assert_rel(mmc_erlang_c(100000, 99990.0), 0.96096542829972441);
    ck_assert_rel(mmc_erlang_b(1000, 5000.0), 0.80004996878315329);
    ck_assert_rel(mmc_erlang_b(1, 3.0), 0.75);
    ck_assert_rel(mmc_erlang_c(1, 0.25), 0.25);
    ck_assert_double_eq(mmc_erlang_b(0, 3.0), 1.0);
    ck_assert_double_eq(mmc_erlang_b(5, 0.0), 0.0);
    ck_assert_double_eq(mmc_erlang_b(5, INFINITY), 1.0);
    ck_assert_double_nan(mmc_erlang_b(5, -1.0));
    ck_assert_double_nan(mmc_erlang_b(5, NAN));
    ck_assert_double_nan(mmc_erlang_c(1000, 5000.0));
    ck_assert_double_nan(mmc_erlang_c(2, 2.0));
    ck_assert_double_nan(mmc_erlang_c(0, 0.0));
}
END_TEST

/* ---- 4. unstable and bad arguments ---- */

static void assert_unstable(double lambda, double mu, unsigned long c, double b)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(lambda, mu, c, 0.005, &e), 0);
    ck_assert(!e.stable);
    ck_assert_rel(e.a, lambda / mu);
    ck_assert_rel(e.rho, lambda / mu / (double)c);
    ck_assert_rel(e.erlang_b, b);
    double rest[] = {e.p0, e.log_p0, e.p_wait, e.lq, e.l, e.wq, e.w, e.t, e.throughput};
    for (int i = 0; i < N_ROWS(rest); i++)
        ck_assert_double_nan(rest[i]);
    ck_assert_double_nan(mmc_erlang_wait_tail(&e, 1.0));
    ck_assert_double_nan(mmc_erlang_wait_quantile(&e, 0.5));
    ck_assert_double_nan(mmc_erlang_sojourn_tail(&e, 1.0));
    ck_assert_double_nan(mmc_erlang_sojourn_quantile(&e, 0.5));
}

/* B(2, 2) = 2 / (1 + 2 + 2), B(2, 4) = 8 / (1 + 4 + 8), B(1, 1) = 1/2. */
START_TEST(test_unstable)
{
    assert_unstable(2.0, 1.0, 2, 0.4);
    assert_unstable(4.0, 1.0, 2, 8.0 / 13.0);
    assert_unstable(50.0, 50.0, 1, 0.5);
    assert_unstable(100000.0, 1.0, 100000, 0.0025188934235469064); /* mpmath */
}
END_TEST

static const struct {
    double lambda, mu;
    unsigned long c;
    double d;
} bad_args[] = {
    {0.0, 1.0, 1, 0.0}, {-1.0, 1.0, 1, 0.0},   {NAN, 1.0, 1, 0.0}, {INFINITY, 1.0, 1, 0.0},
    {1.0, 0.0, 1, 0.0}, {1.0, -2.0, 1, 0.0},   {1.0, NAN, 1, 0.0}, {1.0, INFINITY, 1, 0.0},
    {1.0, 2.0, 0, 0.0}, {1.0, 2.0, 1, -0.001}, {1.0, 2.0, 1, NAN}, {1.0, 2.0, 1, INFINITY},
};

START_TEST(test_bad_args)
{
    struct mmc_erlang e, before;
    memset(&e, 0x5a, sizeof e);
    memcpy(&before, &e, sizeof e);
    ck_assert_int_eq(
        mmc_erlang_mmc(bad_args[_i].lambda, bad_args[_i].mu, bad_args[_i].c, bad_args[_i].d, &e),
        -1);
    ck_assert_int_eq(memcmp(&e, &before, sizeof e), 0);
}
END_TEST

/* ---- 5. waiting time in queue ---- */

/* M/M/1, lambda 3, mu 4: P(Wq > t) = 0.75 e^-t, atom 0.25 at 0. */
START_TEST(test_wait_known)
{
    struct mmc_erlang e;
    mmc_erlang_mmc(3.0, 4.0, 1, 0.0, &e);
    ck_assert_double_eq(mmc_erlang_wait_tail(&e, -1.0), 1.0);
    ck_assert_rel(mmc_erlang_wait_tail(&e, 0.0), 0.75);
    ck_assert_rel(mmc_erlang_wait_tail(&e, 2.0), 0.75 * exp(-2.0));
    ck_assert_double_eq(mmc_erlang_wait_tail(&e, INFINITY), 0.0);
    ck_assert_double_eq(mmc_erlang_wait_quantile(&e, 0.0), 0.0);
    ck_assert_double_eq(mmc_erlang_wait_quantile(&e, 0.25), 0.0);
    ck_assert_rel(mmc_erlang_wait_quantile(&e, 0.9), log(7.5));
    ck_assert_rel(mmc_erlang_wait_quantile(&e, 0.5), log(1.5));
    ck_assert_double_nan(mmc_erlang_wait_quantile(&e, 1.0));
    ck_assert_double_nan(mmc_erlang_wait_quantile(&e, -0.1));
    ck_assert_double_nan(mmc_erlang_wait_quantile(&e, NAN));
}
END_TEST

/* tail(quantile(p)) = 1 - p above the atom, quantile 0 inside it. */
START_TEST(test_wait_consistency)
{
    static const double lambdas[] = {0.5, 1.9, 1.99, 990.0, 99990.0};
    unsigned long c = _i == 4 ? 100000 : _i == 3 ? 1000 : 2;
    struct mmc_erlang e;
    mmc_erlang_mmc(lambdas[_i], 1.0, c, 0.0, &e);
    for (double p = 0.0; p < 1.0; p += 1.0 / 64.0) {
        double q = mmc_erlang_wait_quantile(&e, p);
        if (p <= 1.0 - e.p_wait)
            ck_assert_double_eq(q, 0.0);
        else
            ck_assert_rel(mmc_erlang_wait_tail(&e, q), 1.0 - p);
    }
}
END_TEST

/* ---- 6. time in system ---- */

/* P(W > t) and quantiles from mpmath:
 *   th = c*mu - lam; h = (1 + mu*t)*exp(-mu*t) if th == mu else
 *       (mu*exp(-th*t) - th*exp(-mu*t)) / (mu - th)
 *   tail = (1 - C)*exp(-mu*t) + C*h
 * quantile: 250 bisection steps on 1 - tail(t) < p from [0, 2^k]. */
struct dist_ref {
    double lambda, mu;
    unsigned long c;
    double x, want; /* x is t for a tail, p for a quantile */
};

/* Cases: theta = 1 < mu = 2; theta == mu exactly; theta = mu -/+ 1e-9;
 * c = 1000 at rho 0.99; M/M/1 (W ~ Exp(mu - lambda)). */
static const struct dist_ref sojourn_tails[] = {
    {3.0, 2.0, 2, 1e-06, 0.99999928571435714},
    {3.0, 2.0, 2, 0.01, 0.99286445101842884},
    {3.0, 2.0, 2, 0.5, 0.67471672215297374},
    {3.0, 2.0, 2, 2.0, 0.16876946733600655},
    {3.0, 2.0, 2, 10.0, 5.837074936501697e-5},
    {3.0, 2.0, 2, 40.0, 5.4621697568034716e-18},
    {1.0, 1.0, 2, 1e-06, 0.9999993333335},
    {1.0, 1.0, 2, 0.01, 0.99334999986166528},
    {1.0, 1.0, 2, 0.5, 0.70761910299807233},
    {1.0, 1.0, 2, 2.0, 0.22555880539435449},
    {1.0, 1.0, 2, 10.0, 1.9673302897076769e-4},
    {1.0, 1.0, 2, 40.0, 6.0893077659179442e-17},
    {1.000000001, 1.0, 2, 1e-06, 0.99999933333350056},
    {1.000000001, 1.0, 2, 0.01, 0.99334999986718206},
    {1.000000001, 1.0, 2, 0.5, 0.70761910319182519},
    {1.000000001, 1.0, 2, 2.0, 0.22555880563495057},
    {1.000000001, 1.0, 2, 10.0, 1.9673302997965511e-4},
    {1.000000001, 1.0, 2, 40.0, 6.0893078886481901e-17},
    {0.999999999, 1.0, 2, 1e-06, 0.99999933333349944},
    {0.999999999, 1.0, 2, 0.01, 0.9933499998561485},
    {0.999999999, 1.0, 2, 0.5, 0.70761910280431948},
    {0.999999999, 1.0, 2, 2.0, 0.22555880515375843},
    {0.999999999, 1.0, 2, 10.0, 1.9673302796188039e-4},
    {0.999999999, 1.0, 2, 40.0, 6.0893076431877154e-17},
    {990.0, 1.0, 1000, 1e-06, 0.99999965907729695},
    {990.0, 1.0, 1000, 0.01, 0.99629003762669563},
    {990.0, 1.0, 1000, 0.5, 0.65045417461666757},
    {990.0, 1.0, 1000, 2.0, 0.14524604259355554},
    {990.0, 1.0, 1000, 10.0, 4.872461919150926e-5},
    {990.0, 1.0, 1000, 40.0, 4.5594661569445783e-18},
    {3.0, 4.0, 1, 1e-06, 0.9999990000005},
    {3.0, 4.0, 1, 0.01, 0.99004983374916805},
    {3.0, 4.0, 1, 0.5, 0.60653065971263342},
    {3.0, 4.0, 1, 2.0, 0.13533528323661269},
    {3.0, 4.0, 1, 10.0, 4.5399929762484852e-5},
    {3.0, 4.0, 1, 40.0, 4.248354255291589e-18},
};

static const struct dist_ref sojourn_quantiles[] = {
    {3.0, 2.0, 2, 1e-09, 1.4000000001960001e-9},
    {3.0, 2.0, 2, 0.001, 0.0014001966948787775},
    {3.0, 2.0, 2, 0.5, 0.84403396145210588},
    {3.0, 2.0, 2, 0.9, 2.5361494352520871},
    {3.0, 2.0, 2, 0.99, 4.854751720893489},
    {3.0, 2.0, 2, 0.999999, 14.066824813376874},
    {1.0, 1.0, 2, 1e-09, 1.5000000005625001e-9},
    {1.0, 1.0, 2, 0.001, 0.0015005629221652805},
    {1.0, 1.0, 2, 0.5, 0.97441160518992912},
    {1.0, 1.0, 2, 0.9, 2.9948782908174139},
    {1.0, 1.0, 2, 0.99, 5.6659606837929962},
    {1.0, 1.0, 2, 0.999999, 15.6423332447667},
    {1.000000001, 1.0, 2, 1e-09, 1.5000000018125002e-9},
    {1.000000001, 1.0, 2, 0.001, 0.0015005629234153748},
    {1.000000001, 1.0, 2, 0.5, 0.97441160589553372},
    {1.000000001, 1.0, 2, 0.9, 2.9948782927145797},
    {1.000000001, 1.0, 2, 0.99, 5.6659606871187144},
    {1.000000001, 1.0, 2, 0.999999, 15.642333253178958},
    {0.999999999, 1.0, 2, 1e-09, 1.4999999993125001e-9},
    {0.999999999, 1.0, 2, 0.001, 0.0015005629209151865},
    {0.999999999, 1.0, 2, 0.5, 0.9744116044843246},
    {0.999999999, 1.0, 2, 0.9, 2.9948782889202482},
    {0.999999999, 1.0, 2, 0.99, 5.6659606804672784},
    {0.999999999, 1.0, 2, 0.999999, 15.642333236354442},
    {990.0, 1.0, 1000, 1e-09, 2.9332430206275234e-9},
    {990.0, 1.0, 1000, 0.001, 0.0028591312148889536},
    {990.0, 1.0, 1000, 0.5, 0.76375045578133723},
    {990.0, 1.0, 1000, 0.9, 2.3732589648925835},
    {990.0, 1.0, 1000, 0.99, 4.6758440579227493},
    {990.0, 1.0, 1000, 0.999999, 13.886184429870177},
    {3.0, 4.0, 1, 1e-09, 1.0000000005000001e-9},
    {3.0, 4.0, 1, 0.001, 0.0010005003335835335},
    {3.0, 4.0, 1, 0.5, 0.69314718055994531},
    {3.0, 4.0, 1, 0.9, 2.3025850929940459},
    {3.0, 4.0, 1, 0.99, 4.6051701859880905},
    {3.0, 4.0, 1, 0.999999, 13.815510557935518},
};

static struct mmc_erlang solve_dist(const struct dist_ref *r)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(r->lambda, r->mu, r->c, 0.0, &e), 0);
    return e;
}

START_TEST(test_sojourn_tail_ref)
{
    struct mmc_erlang e = solve_dist(&sojourn_tails[_i]);
    ck_assert_rel(mmc_erlang_sojourn_tail(&e, sojourn_tails[_i].x), sojourn_tails[_i].want);
}
END_TEST

START_TEST(test_sojourn_quantile_ref)
{
    struct mmc_erlang e = solve_dist(&sojourn_quantiles[_i]);
    ck_assert_rel(mmc_erlang_sojourn_quantile(&e, sojourn_quantiles[_i].x),
                  sojourn_quantiles[_i].want);
}
END_TEST

/* M/M/1: W ~ Exp(mu - lambda) (Kleinrock Vol. 1 Sec. 3.2), so the mixture
 * must collapse to one exponential, including near saturation. The second
 * load (C is not exactly rho there) once lost 3e-8 at p = 1e-6: 1 - C was
 * formed as 1.0 - C. */
static void check_sojourn_mm1(double lambda, double x)
{
    struct mmc_erlang e;
    mmc_erlang_mmc(lambda, 1.0, 1, 0.0, &e);
    double theta = 1.0 - lambda; /* exact for both loads */
    ck_assert_rel(mmc_erlang_sojourn_tail(&e, x / theta), exp(-x));
    double p = -expm1(-x); /* compared with the exact quantile of this rounded p */
    ck_assert_rel(mmc_erlang_sojourn_quantile(&e, p), -log1p(-p) / theta);
}

START_TEST(test_sojourn_mm1)
{
    static const double small[] = {1e-12, 1e-9, 1e-6, 1e-3};
    double lambda = _i == 0 ? 0.99 : 0.99999999726;
    for (int k = 0; k < N_ROWS(small); k++)
        check_sojourn_mm1(lambda, small[k]);
    for (double x = 0.0; x < 30.0; x += 0.37)
        check_sojourn_mm1(lambda, x);
}
END_TEST

START_TEST(test_sojourn_edges)
{
    struct mmc_erlang e;
    mmc_erlang_mmc(3.0, 2.0, 2, 0.0, &e);
    ck_assert_double_eq(mmc_erlang_sojourn_tail(&e, -1.0), 1.0);
    ck_assert_double_eq(mmc_erlang_sojourn_tail(&e, 0.0), 1.0);
    ck_assert_double_eq(mmc_erlang_sojourn_tail(&e, INFINITY), 0.0);
    ck_assert_double_eq(mmc_erlang_sojourn_tail(&e, 1e6), 0.0);
    ck_assert_double_nan(mmc_erlang_sojourn_tail(&e, NAN));
    ck_assert_double_eq(mmc_erlang_sojourn_quantile(&e, 0.0), 0.0);
    ck_assert_double_nan(mmc_erlang_sojourn_quantile(&e, 1.0));
    ck_assert_double_nan(mmc_erlang_sojourn_quantile(&e, -1e-300));
    ck_assert_double_nan(mmc_erlang_sojourn_quantile(&e, NAN));
}
END_TEST

/* tail(quantile(p)) = 1 - p and quantiles increase with p, over loads from
 * light to c = 1e5 at rho 0.9999, with p from 1e-12 to 1 - 1e-12. Relative
 * accuracy at small p is covered by the mpmath quantiles above. */
START_TEST(test_sojourn_consistency)
{
    static const double lambdas[] = {0.2, 1.0, 3.99, 999.9, 99990.0};
    static const unsigned long cs[] = {2, 2, 4, 1000, 100000};
    static const double ps[] = {1e-12, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.9, 0.999, 1.0 - 1e-12};
    struct mmc_erlang e;
    mmc_erlang_mmc(lambdas[_i], 1.0, cs[_i], 0.0, &e);
    double prev = 0.0;
    for (int k = 0; k < N_ROWS(ps); k++) {
        double q = mmc_erlang_sojourn_quantile(&e, ps[k]);
        ck_assert_double_gt(q, prev);
        double tail = mmc_erlang_sojourn_tail(&e, q);
        if (ps[k] < 0.5) /* the tail only knows 1 - p to an ulp of 1 */
            ck_assert_double_eq_tol(1.0 - tail, ps[k], fmax(rel_tol(ps[k]), 4.0 * DBL_EPSILON));
        else
            ck_assert_rel(tail, 1.0 - ps[k]);
        prev = q;
    }
}
END_TEST

/* ---- 7. M/M/c/K+M ---- */

#define LOSS_TOL 1e-12

static double loss_tol(double want)
{
    return want == 0.0 ? DBL_MIN : LOSS_TOL * fabs(want);
}

#define ck_assert_loss(got, want) ck_assert_double_eq_tol((got), (want), loss_tol(want))

/* The arguments of mmc_erlang_loss (k = 0: unlimited). */
struct loss_args {
    double lambda, mu;
    unsigned long c, k;
    double theta, d;
};

/* A case with its reference values. */
struct loss_ref {
    struct loss_args in;
    double p_block, p_abandon, p_wait, lq, l, wq, wq_all, t, throughput, util, p0, log_p0;
};

static struct mmc_erlang_loss solve_loss(const struct loss_args *r)
{
    struct mmc_erlang_loss e;
    ck_assert_int_eq(mmc_erlang_loss(r->lambda, r->mu, r->c, r->k, r->theta, r->d, &e), 0);
    ck_assert(e.stable);
    return e;
}

/* Balance laws of any steady state: abandonment (theta Lq = lambda p_abandon),
 * flow (throughput = lambda (1 - p_block - p_abandon) = mu busy), Little. */
static void check_loss_laws(const struct mmc_erlang_loss *e, const struct loss_args *r)
{
    double cmu = (double)r->c * r->mu;
    ck_assert_loss(e->p_abandon, r->theta * e->lq / r->lambda);
    ck_assert_double_eq_tol(e->throughput, r->lambda * (1.0 - e->p_block - e->p_abandon),
                            LOSS_TOL * r->lambda);
    ck_assert_loss(e->util, e->throughput / cmu);
    ck_assert_loss(e->l, e->lq + e->throughput / r->mu);
    ck_assert_loss(e->wq_all, e->lq / (r->lambda * (1.0 - e->p_block)));
    ck_assert_loss(e->w, e->wq + 1.0 / r->mu);
    ck_assert_loss(e->t, r->d + e->w);
    ck_assert_loss(e->rho, r->lambda / cmu);
}

static void check_loss_ref(const struct loss_ref *r)
{
    struct mmc_erlang_loss e = solve_loss(&r->in);
    ck_assert_loss(e.p_block, r->p_block);
    ck_assert_loss(e.p_abandon, r->p_abandon);
    ck_assert_loss(e.p_wait, r->p_wait);
    ck_assert_loss(e.lq, r->lq);
    ck_assert_loss(e.l, r->l);
    ck_assert_loss(e.wq, r->wq);
    ck_assert_loss(e.wq_all, r->wq_all);
    ck_assert_loss(e.t, r->t);
    ck_assert_loss(e.throughput, r->throughput);
    ck_assert_loss(e.util, r->util);
    ck_assert_loss(e.p0, r->p0);
    ck_assert_loss(e.log_p0, r->log_p0);
    check_loss_laws(&e, &r->in);
}

/* K unlimited (and K = 1e9, where pi_K underflows), theta 0 is M/M/c. */
static const struct {
    double lambda, mu;
    unsigned long c;
} loss_mmc_cases[] = {
    {0.9, 1.0, 1},  {3.6, 1.0, 4},      {57.6, 1.0, 64},        {45.0, 50.0, 2},
    {7.0, 0.3, 30}, {990.0, 1.0, 1000}, {99990.0, 1.0, 100000},
};

START_TEST(test_loss_mmc)
{
    double lambda = loss_mmc_cases[_i].lambda, mu = loss_mmc_cases[_i].mu;
    unsigned long c = loss_mmc_cases[_i].c;
    struct mmc_erlang m;
    ck_assert_int_eq(mmc_erlang_mmc(lambda, mu, c, 0.005, &m), 0);
    static const unsigned long ks[] = {0, 1000000000};
    for (int i = 0; i < N_ROWS(ks); i++) {
        struct loss_args r = {lambda, mu, c, ks[i], 0.0, 0.005};
        struct mmc_erlang_loss e = solve_loss(&r);
        ck_assert_double_eq(e.p_block, 0.0);
        ck_assert_double_eq(e.p_abandon, 0.0);
        ck_assert_rel(e.rho, m.rho);
        ck_assert_rel(e.p_wait, m.p_wait);
        ck_assert_rel(e.lq, m.lq);
        ck_assert_rel(e.l, m.l);
        ck_assert_rel(e.wq, m.wq);
        ck_assert_rel(e.wq_all, m.wq);
        ck_assert_rel(e.w, m.w);
        ck_assert_rel(e.t, m.t);
        ck_assert_rel(e.throughput, lambda);
        ck_assert_rel(e.util, m.rho);
        ck_assert_rel(e.p0, m.p0);
        ck_assert_rel(e.log_p0, m.log_p0);
        check_loss_laws(&e, &r);
    }
}
END_TEST

/* K = c is Erlang's loss system M/M/c/c: p_block = B(c, a), nobody waits,
 * so patience changes nothing; L = a (1 - B), with 1 - B = c / (c + a B(c-1, a))
 * from the recursion (1.0 - B would cancel at a = 1e6). */
static const struct {
    unsigned long c;
    double a;
} loss_b_cases[] = {
    {1, 3.0}, {4, 7.0}, {10, 5.0}, {100, 80.0}, {1000, 5000.0}, {100000, 99990.0}, {3, 1e6},
};

START_TEST(test_loss_erlang_b)
{
    unsigned long c = loss_b_cases[_i].c;
    double a = loss_b_cases[_i].a, b = mmc_erlang_b(c, a);
    double one_minus_b = (double)c / ((double)c + a * mmc_erlang_b(c - 1, a));
    static const double thetas[] = {0.0, 0.7};
    for (int i = 0; i < N_ROWS(thetas); i++) {
        struct loss_args r = {a, 1.0, c, c, thetas[i], 0.0};
        struct mmc_erlang_loss e = solve_loss(&r);
        ck_assert_loss(e.p_block, b);
        ck_assert_double_eq(e.p_abandon, 0.0);
        ck_assert_double_eq(e.p_wait, 0.0);
        ck_assert_double_eq(e.lq, 0.0);
        ck_assert_double_eq(e.wq, 0.0);
        ck_assert_double_eq(e.wq_all, 0.0);
        ck_assert_loss(e.l, a * one_minus_b);
        ck_assert_loss(e.throughput, a * one_minus_b);
        check_loss_laws(&e, &r);
    }
}
END_TEST

/* M/M/1/K (Gross et al. Sec. 2.5): P0 = (1 - rho) / (1 - rho^(K+1)),
 * p_block = P0 rho^K, L = rho / (1 - rho) - (K+1) rho^(K+1) / (1 - rho^(K+1));
 * at rho = 1 all K+1 states are equally likely. Evaluated here in doubles,
 * which is accurate for these small K. */
static void check_mm1k(double rho, unsigned long k)
{
    struct loss_args r = {rho, 1.0, 1, k, 0.0, 0.0};
    struct mmc_erlang_loss e = solve_loss(&r);
    double kd = (double)k, p0, l;
    if (rho == 1.0) {
        p0 = 1.0 / (kd + 1.0);
        l = kd / 2.0;
    } else {
        double top = 1.0 - pow(rho, kd + 1.0);
        p0 = (1.0 - rho) / top;
        l = rho / (1.0 - rho) - (kd + 1.0) * pow(rho, kd + 1.0) / top;
    }
    ck_assert_loss(e.p0, p0);
    ck_assert_loss(e.p_block, p0 * pow(rho, kd));
    ck_assert_loss(e.l, l);
    ck_assert_double_eq_tol(e.lq, l - (1.0 - p0), LOSS_TOL * l); /* Lq = 0 at K = 1 */
    check_loss_laws(&e, &r);
}

START_TEST(test_loss_mm1k)
{
    static const double rhos[] = {0.5, 0.9, 1.0, 2.0};
    static const unsigned long ks[] = {1, 2, 5, 20, 60};
    for (int i = 0; i < N_ROWS(rhos); i++)
        for (int j = 0; j < N_ROWS(ks); j++)
            check_mm1k(rhos[i], ks[j]);
    /* K = 1e9: rho = 1 still gives 1/(K+1); rho = 2 gives 1 - 1/rho to within
     * 2^-1e9, and rho^K must not overflow. */
    struct loss_args r = {1.0, 1.0, 1, 1000000000, 0.0, 0.0};
    ck_assert_loss(solve_loss(&r).p_block, 1.0 / 1000000001.0);
    r.lambda = 2.0;
    struct mmc_erlang_loss e = solve_loss(&r);
    ck_assert_loss(e.p_block, 0.5);
    ck_assert_loss(e.throughput, 1.0);
    check_loss_laws(&e, &r);
}
END_TEST

/*
 * Reference table. Rows 1-3, M/M/c/K (theta 0), are exact rationals from
 * Python's fractions (pi_n = u_n / sum u, u_n = u_{n-1} lambda / (min(n, c) mu),
 * Wq = Lq / (lambda (1 - pi_K))), rounded to 17 digits; row 3 is K = c.
 * The other rows come from mpmath 1.3 at mp.dps = 60, summing the chain
 * directly (u_n with death rate min(n, c) mu + max(n - c, 0) theta, to K or
 * until u_n < 1e-70 u_c) and, for the served wait, differentiating the
 * Laplace transform of the time to service start numerically:
 *     E[V 1{served} | n] = -d/ds prod_{k<=n-c} (c mu + k theta)/(c mu + k theta + s) at s = theta
 * (mpmath diff); P(served | n) is that product at s = theta, not telescoped.
 * A second evaluation with the product and the sum of 1/(c mu + (k+1) theta)
 * accumulated along n agreed to 30 digits. Row 6 (theta = mu) is M/M/inf:
 * L = 12 and P0 = e^-12 exactly. Row 8 (c = 1e4) uses the accumulated form.
 */
static const struct loss_ref loss_table[] = {
    {{4.0, 1.5, 3, 10, 0.0, 0.005},
     0.056376059282126740,
     0.0,
     0.68862816777998663,
     2.0413888831599409,
     4.5577193917409363,
     0.54083750821511845,
     0.54083750821511845,
     1.2125041748817851,
     3.7744957628714930,
     0.83877683619366512,
     0.040682480586645250,
     -3.2019577316214025},
    {{3.0, 1.0, 2, 5, 0.0, 0.0},
     0.37442218798151002,
     0.0,
     0.84236453201970443,
     1.7889060092449923,
     3.6656394453004622,
     0.95320197044334975,
     0.95320197044334975,
     1.9532019704433498,
     1.8767334360554700,
     0.93836671802773498,
     0.024653312788906009,
     -3.7028439944643088},
    {{7.0, 1.0, 4, 4, 0.0, 0.0},
     0.52734460795080167,
     0.0,
     0.0,
     0.0,
     3.3085877443443883,
     0.0,
     0.0,
     1.0,
     3.3085877443443883,
     0.82714693608609708,
     0.0052712497254557435,
     -5.2454878049868365},
    {{10.0, 1.0, 10, 0, 0.5, 0.0},
     0.0,
     0.10391321232630818,
     0.61965523088407752,
     2.0782642465261636,
     11.039132123263082,
     0.19958120717059197,
     0.20782642465261636,
     1.1995812071705920,
     8.9608678767369182,
     0.89608678767369182,
     3.7708026488970713e-5,
     -10.185637581954466},
    {{48.0, 1.0, 50, 0, 2.0, 0.005},
     0.0,
     0.048021774232970486,
     0.34230880342267646,
     1.1525225815912917,
     46.847477418408708,
     0.022243196557686488,
     0.024010887116485243,
     1.0272431965576865,
     45.694954836817417,
     0.91389909673634833,
     1.5763955586325184e-21,
     -47.899146003951712},
    {{12.0, 1.0, 10, 0, 1.0, 0.0},
     0.0,
     0.21363235295796404,
     0.75760783832948765,
     2.5635882354955685,
     12.0,
     0.20988542794414884,
     0.21363235295796404,
     1.2098854279441488,
     9.4364117645044315,
     0.94364117645044315,
     6.1442123533282098e-6,
     -12.0},
    {{4.0, 1.5, 3, 10, 0.3, 0.005},
     0.014397977164893950,
     0.093633664675300719,
     0.61698867095480687,
     1.2484488623373430,
     3.6270311507634905,
     0.30406955882672134,
     0.31667164672261735,
     0.97573622549338801,
     3.5678734326392213,
     0.79286076280871585,
     0.052268779478174505,
     -2.9513560368613914},
    {{9500.0, 1.0, 10000, 0, 0.1, 0.0},
     0.0,
     3.8131944598530266e-11,
     1.9213021637916682e-7,
     3.6225347368603751e-6,
     9500.0000032602813,
     3.8124404370250798e-10,
     3.8131944598530264e-10,
     1.0000000003812440,
     9499.9999996377465,
     0.94999999996377465,
     0.0 /* 1.5938e-4126 */,
     -9500.0000000058848},
};

START_TEST(test_loss_table)
{
    check_loss_ref(&loss_table[_i]);
}
END_TEST

/* Large c, with and without a capacity: finite, sane, and obeying the laws.
 * (c = 1e4 against mpmath is the last row of loss_table.) */
static const struct loss_args loss_large[] = {
    {9500.0, 1.0, 10000, 0, 0.1, 0.0},      {9500.0, 1.0, 10000, 1000000000, 0.1, 0.0},
    {99990.0, 1.0, 100000, 0, 0.01, 0.0},   {12000.0, 1.0, 10000, 0, 0.1, 0.0},
    {12000.0, 1.0, 10000, 10500, 0.1, 0.0},
};

START_TEST(test_loss_large_c)
{
    const struct loss_args *r = &loss_large[_i];
    struct mmc_erlang_loss e = solve_loss(r);
    ck_assert_double_gt(e.p_abandon, 0.0);
    ck_assert_double_lt(e.p_abandon, 1.0);
    ck_assert_double_ge(e.p_block, 0.0);
    ck_assert_double_lt(e.p_block + e.p_abandon, 1.0);
    ck_assert_double_gt(e.wq, 0.0);
    ck_assert_double_gt(e.log_p0, -1e6);
    ck_assert_double_le(e.util, 1.0);
    check_loss_laws(&e, r);
}
END_TEST

/* No steady state only with K unlimited, theta 0 and lambda >= c mu; a
 * capacity or any patience makes the same load stable. */
START_TEST(test_loss_unstable)
{
    static const struct loss_args cases[] = {
        {2.0, 1.0, 2, 0, 0.0, 0.0},
        {4.0, 1.0, 2, 0, 0.0, 0.0},
        {50.0, 50.0, 1, 0, 0.0, 0.0},
        {100000.0, 1.0, 100000, 0, 0.0, 0.0},
    };
    for (int i = 0; i < N_ROWS(cases); i++) {
        struct loss_args r = cases[i];
        struct mmc_erlang_loss e;
        ck_assert_int_eq(mmc_erlang_loss(r.lambda, r.mu, r.c, 0, 0.0, 0.0, &e), 0);
        ck_assert(!e.stable);
        ck_assert_rel(e.rho, r.lambda / (r.mu * (double)r.c));
        double rest[] = {e.p_block, e.p_abandon, e.p_wait,     e.lq,   e.l,  e.wq,    e.wq_all,
                         e.w,       e.t,         e.throughput, e.util, e.p0, e.log_p0};
        for (int j = 0; j < N_ROWS(rest); j++)
            ck_assert_double_nan(rest[j]);
        r.k = 2 * r.c;
        check_loss_laws((struct mmc_erlang_loss[]){solve_loss(&r)}, &r);
        r.k = 0;
        r.theta = 0.5;
        check_loss_laws((struct mmc_erlang_loss[]){solve_loss(&r)}, &r);
    }
}
END_TEST

/* Out of range, and sums that cannot be evaluated: lambda/mu overflows, or
 * the tail terms grow for 1e9 states before they fall. */
static const struct loss_args loss_bad[] = {
    {0.0, 1.0, 1, 0, 0.0, 0.0},      {-1.0, 1.0, 1, 0, 0.0, 0.0},
    {NAN, 1.0, 1, 0, 0.0, 0.0},      {INFINITY, 1.0, 1, 0, 0.0, 0.0},
    {1.0, 0.0, 1, 0, 0.0, 0.0},      {1.0, NAN, 1, 0, 0.0, 0.0},
    {1.0, INFINITY, 1, 0, 0.0, 0.0}, {1.0, 2.0, 0, 0, 0.0, 0.0},
    {1.0, 2.0, 3, 1, 0.0, 0.0},      {1.0, 2.0, 3, 2, 0.5, 0.0},
    {1.0, 2.0, 1, 0, -0.1, 0.0},     {1.0, 2.0, 1, 5, -1e-300, 0.0},
    {1.0, 2.0, 1, 0, NAN, 0.0},      {1.0, 2.0, 1, 0, INFINITY, 0.0},
    {1.0, 2.0, 1, 0, 0.0, -0.001},   {1.0, 2.0, 1, 0, 0.0, NAN},
    {1.0, 2.0, 1, 0, 0.0, INFINITY}, {1e300, 1e-300, 1, 5, 0.0, 0.0},
    {1e9, 1.0, 1, 0, 1.0, 0.0},
};

START_TEST(test_loss_bad_args)
{
    const struct loss_args *r = &loss_bad[_i];
    struct mmc_erlang_loss e, before;
    memset(&e, 0x5a, sizeof e);
    memcpy(&before, &e, sizeof e);
    ck_assert_int_eq(mmc_erlang_loss(r->lambda, r->mu, r->c, r->k, r->theta, r->d, &e), -1);
    ck_assert_int_eq(memcmp(&e, &before, sizeof e), 0);
}
END_TEST

/* Declared here for -Wmissing-prototypes; check_main.c gets it from suites.h. */
Suite *erlang_suite(void);

Suite *erlang_suite(void)
{
    Suite *s = suite_create("erlang");
    struct {
        const char *name;
        const TTest *fn;
        int n;
    } cases[] = {
        {"mm1_by_hand", test_mm1_by_hand, 1},
        {"mm2_by_hand", test_mm2_by_hand, 1},
        {"seed_high_load", test_seed_high_load, N_ROWS(high_load)},
        {"seed_capacity95", test_seed_capacity95, N_ROWS(capacity95)},
        {"seed_distributed", test_seed_distributed, N_ROWS(distributed)},
        {"large_c", test_large_c, N_ROWS(large_c)},
        {"erlang_b_c", test_erlang_b_c, 1},
        {"unstable", test_unstable, 1},
        {"bad_args", test_bad_args, N_ROWS(bad_args)},
        {"wait_known", test_wait_known, 1},
        {"wait_consistency", test_wait_consistency, 5},
        {"sojourn_tail_ref", test_sojourn_tail_ref, N_ROWS(sojourn_tails)},
        {"sojourn_quantile_ref", test_sojourn_quantile_ref, N_ROWS(sojourn_quantiles)},
        {"sojourn_mm1", test_sojourn_mm1, 2},
        {"sojourn_edges", test_sojourn_edges, 1},
        {"sojourn_consistency", test_sojourn_consistency, 5},
        {"loss_mmc", test_loss_mmc, N_ROWS(loss_mmc_cases)},
        {"loss_erlang_b", test_loss_erlang_b, N_ROWS(loss_b_cases)},
        {"loss_mm1k", test_loss_mm1k, 1},
        {"loss_table", test_loss_table, N_ROWS(loss_table)},
        {"loss_large_c", test_loss_large_c, N_ROWS(loss_large)},
        {"loss_unstable", test_loss_unstable, 1},
        {"loss_bad_args", test_loss_bad_args, N_ROWS(loss_bad)},
    };
    for (int i = 0; i < N_ROWS(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_loop_test(tc, cases[i].fn, 0, cases[i].n);
        suite_add_tcase(s, tc);
    }
    return s;
}
