/*
 * test_dispatch_forms.c - the push-dispatch closed forms (models/dispatch_forms.h):
 * E_k/M/1 (round robin) and the mean-field supermarket model (power of d).
 *
 * Reference values come from mpmath 1.3 at mp.dps = 50, with the inputs
 * taken as the exact doubles written in each row, independently of the C
 * method (plain bisection on the textbook form, no series):
 *
 *   # E_k/M/1: x = 1 - sigma is the root in (0, 1) of 1 - x - A(x)
 *   k, rate, mu = mpf(k), mpf(rate), mpf(mu)
 *   A = lambda x: exp(-k * log1p(x * mu / (k * rate)))   # A*(mu x)
 *   lo = hi = mpf(1)
 *   while 1 - lo - A(lo) <= 0: lo /= 2                   # g > 0 left of the root
 *   for _ in range(400):                                  # bisection
 *       mid = (lo + hi) / 2
 *       if 1 - mid - A(mid) > 0: lo = mid
 *       else: hi = mid
 *   x = (lo + hi) / 2; sigma = A(x); wq = sigma / (mu x); w = 1 / (mu x)
 *
 *   # D/M/1 at rho = 0.95
 *   findroot(lambda s: s - exp(-(1 - s) / mpf(0.95)), 0.9)
 *
 *   # supermarket: s_j = rho^((d^j - 1)/(d - 1)) (rho^j for d = 1), summed
 *   # until a term is below 1e-70
 *   L = sum(s_j for j >= 1); lq = L - rho; w = L / (rho mu); wq = w - 1 / mu
 *   p_wait = rho^d
 *
 * Every value is printed with 17 significant digits; a 0.0 marks a value
 * below DBL_MIN (noted beside it), which the code must return as 0 or a
 * subnormal. Tolerance: relative error < 1e-12 (REL_TOL); the code's
 * actual error against these rows is below 2e-15.
 */
#include "dispatch_forms.h"
#include "erlang.h"

#include <check.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#define REL_TOL 1e-12
#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Absolute tolerance for a relative error of REL_TOL; an underflowed
 * reference (0.0) accepts anything below DBL_MIN. */
static double rel_tol(double want)
{
    return want == 0.0 ? DBL_MIN : REL_TOL * fabs(want);
}

#define ck_assert_rel(got, want) ck_assert_double_eq_tol((got), (want), rel_tol(want))

/* ---- 1. E_k/M/1 ---- */

/* One E_k/M/1 case with its mpmath values. */
struct gim1_ref {
    unsigned long k;
    double rate, mu;
    double sigma, x, wq, w; /* x = 1 - sigma */
};

static const struct gim1_ref gim1_refs[] = {
    /* k = 1: M/M/1, sigma = rho */
    {1, 0.5, 1.0, 0.5, 0.5, 1.0, 2.0},
    {1, 0.9, 1.0, 0.90000000000000002, 0.099999999999999978, 9.0000000000000022,
     10.000000000000002},
    /* k = 2, 4, 8, 64 at rho 0.5, 0.9, 0.99 */
    {2, 0.5, 1.0, 0.38196601125010515, 0.61803398874989485, 0.61803398874989485,
     1.6180339887498948},
    {2, 0.9, 1.0, 0.86821789367236471, 0.13178210632763529, 6.5882836286878775, 7.5882836286878775},
    {2, 0.99, 1.0, 0.98668154769319212, 0.013318452306807878, 74.083799300676900,
     75.083799300676900},
    {4, 0.5, 1.0, 0.30193108687768760, 0.69806891312231240, 0.43252332427641658,
     1.4325233242764166},
    {4, 0.9, 1.0, 0.84333507093972749, 0.15666492906027251, 5.3830495184744098, 6.3830495184744098},
    {4, 0.99, 1.0, 0.98403212866951551, 0.015967871330484492, 61.625755136871980,
     62.625755136871980},
    {8, 0.5, 1.0, 0.25505152443477616, 0.74494847556522384, 0.34237471825317558,
     1.3423747182531756},
    {8, 0.9, 1.0, 0.82701095588270908, 0.17298904411729092, 4.7807129064310853, 5.7807129064310853},
    {8, 0.99, 1.0, 0.98226848431485070, 0.017731515685149300, 55.396758052529672,
     56.396758052529672},
    {64, 0.5, 1.0, 0.20994155044190835, 0.79005844955809165, 0.26572913758385380,
     1.2657291375838538},
    {64, 0.9, 1.0, 0.80966509058667630, 0.19033490941332370, 4.2538969497625886,
     5.2538969497625886},
    {64, 0.99, 1.0, 0.98037152996221748, 0.019628470037782524, 49.946405811309602,
     50.946405811309602},
    /* k = 1e5 at rho 0.95, next to D/M/1 (see test_gim1_dm1_limit) */
    {100000, 0.95, 1.0, 0.90169605945697179, 0.098303940543028210, 9.1725321942948376,
     10.172532194294838},
    /* round robin of lambda = 9 over c = 4 workers with mu = 2.5: same rho as
     * {4, 0.9, 1.0}, times scaled by 1/mu */
    {4, 2.25, 2.5, 0.84333507093972746, 0.15666492906027254, 2.1532198073897634,
     2.5532198073897634},
    /* light load: sigma small, the rho <= 1/2 branch */
    {8, 0.3, 1.0, 0.073397785178907571, 0.92660221482109243, 0.079211752362451619,
     1.0792117523624516},
    {64, 0.01, 1.0, 7.0066763942308155e-27, 1.0, 7.0066763942308155e-27, 1.0},
    {3, 0.001, 1.0, 2.6758452884287256e-8, 0.99999997324154712, 2.6758453600302076e-8,
     1.0000000267584536},
    /* near saturation: 1 - sigma must keep its relative accuracy */
    {4, 0.999999999, 1.0, 0.99999999840000005, 1.5999999544289097e-9, 6.2500001680120766e+8,
     6.2500001780120766e+8},
    {1000000, 0.999999, 1.0, 0.99999800000266661, 1.9999973333946223e-6, 499999.66665223326,
     500000.66665223326},
};

static struct mmc_gim1 gim1_solve(unsigned long k, double rate, double mu)
{
    struct mmc_gim1 g;
    ck_assert_int_eq(mmc_gim1_erlang(k, rate, mu, &g), 0);
    ck_assert(g.stable);
    return g;
}

START_TEST(test_gim1_ref)
{
    const struct gim1_ref *r = &gim1_refs[_i];
    struct mmc_gim1 g = gim1_solve(r->k, r->rate, r->mu);
    ck_assert_double_eq(g.k, (double)r->k);
    ck_assert_double_eq(g.rate, r->rate);
    ck_assert_double_eq(g.mu, r->mu);
    ck_assert_double_eq(g.rho, r->rate / r->mu);
    ck_assert_rel(g.sigma, r->sigma);
    ck_assert_rel(g.one_minus_sigma, r->x);
    ck_assert_rel(g.p_wait, r->sigma);
    ck_assert_rel(g.wq, r->wq);
    ck_assert_rel(g.w, r->w);
    ck_assert_rel(g.lq, r->rate * r->wq);
    ck_assert_rel(g.l, r->rate * r->w);
}
END_TEST

/* k = 1 is M/M/1 to the last bit of sigma = rho, and agrees with the
 * M/M/c closed form at c = 1 (models/erlang.h). */
START_TEST(test_gim1_mm1)
{
    static const double rates[][2] = {{0.5, 1.0}, {0.9, 1.0}, {3.0, 4.0}, {0.999999, 1.0}};
    for (int i = 0; i < N_ROWS(rates); i++) {
        double rate = rates[i][0], mu = rates[i][1], rho = rate / mu;
        struct mmc_gim1 g = gim1_solve(1, rate, mu);
        struct mmc_erlang e;
        ck_assert_int_eq(mmc_erlang_mmc(rate, mu, 1, 0.0, &e), 0);
        ck_assert_double_eq(g.sigma, rho);
        ck_assert_double_eq(g.one_minus_sigma, (mu - rate) / mu);
        ck_assert_rel(g.p_wait, e.p_wait);
        ck_assert_rel(g.wq, e.wq);
        ck_assert_rel(g.w, e.w);
        ck_assert_rel(g.lq, e.lq);
        ck_assert_rel(g.l, e.l);
        ck_assert_rel(g.l, rho / (1.0 - rho));
    }
}
END_TEST

/* As k -> infinity the gaps become deterministic: sigma decreases to the
 * D/M/1 root sigma = exp(-(1 - sigma) / rho), 0.90169511003108829 at
 * rho = 0.95 (mpmath findroot, 50 digits); the gap is O(1/k), 9.5e-7 at
 * k = 1e5 (from the table above). At k = ULONG_MAX it is below an ulp. */
START_TEST(test_gim1_dm1_limit)
{
    const double sigma_dm1 = 0.90169511003108829;
    struct mmc_gim1 g = gim1_solve(100000, 0.95, 1.0);
    ck_assert_double_gt(g.sigma - sigma_dm1, 9.4e-7);
    ck_assert_double_lt(g.sigma - sigma_dm1, 9.6e-7);
    g = gim1_solve(ULONG_MAX, 0.95, 1.0);
    ck_assert_rel(g.sigma, sigma_dm1);
    ck_assert_rel(g.sigma, exp(-g.one_minus_sigma / 0.95));
}
END_TEST

/* Over a grid: 0 <= sigma <= rho (Erlang gaps are more regular than
 * Poisson), sigma + (1 - sigma) = 1 to rounding, sigma decreasing in k and
 * increasing in rho; also at the extremes of the double range. */
START_TEST(test_gim1_grid)
{
    static const unsigned long ks[] = {1, 2, 3, 7, 64, 1000, 1000000, ULONG_MAX};
    static const double rhos[] = {1e-300,    1e-10, 0.01, 0.3,         0.5,
                                  0.5000001, 0.9,   0.99, 1.0 - 1e-12, 1.0 - 0x1p-53};
    for (int i = 0; i < N_ROWS(rhos); i++) {
        double prev_sigma = INFINITY;
        for (int j = 0; j < N_ROWS(ks); j++) {
            struct mmc_gim1 g = gim1_solve(ks[j], rhos[i], 1.0);
            ck_assert(g.sigma >= 0.0 && g.sigma <= rhos[i]);
            ck_assert(g.one_minus_sigma > 0.0 && g.one_minus_sigma <= 1.0);
            ck_assert_double_le(fabs(g.sigma + g.one_minus_sigma - 1.0), DBL_EPSILON);
            ck_assert_double_le(g.sigma, prev_sigma);
            ck_assert(isfinite(g.wq) && isfinite(g.w) && isfinite(g.lq) && isfinite(g.l));
            if (i > 0) {
                struct mmc_gim1 lower = gim1_solve(ks[j], rhos[i - 1], 1.0);
                ck_assert_double_ge(g.sigma, lower.sigma);
            }
            prev_sigma = g.sigma;
        }
    }
    /* mu / rate overflows: sigma < 2 / (mu / rate) underflows */
    struct mmc_gim1 g = gim1_solve(3, 1e-300, 1e300);
    ck_assert_double_eq(g.sigma, 0.0);
    ck_assert_double_eq(g.one_minus_sigma, 1.0);
    ck_assert_rel(g.w, 1e-300);
    /* barely stable: rho = 1 - 2^-53, 1 - sigma ~ 1.5 (1 - rho) for k = 3 */
    g = gim1_solve(3, nextafter(2.0, 0.0), 2.0);
    ck_assert_double_lt(g.sigma, 1.0);
    ck_assert_double_gt(g.one_minus_sigma, 1.6e-16);
    ck_assert_double_lt(g.one_minus_sigma, 1.7e-16);
}
END_TEST

/* P(Wq > 0) = sigma, W ~ Exp(mu (1 - sigma)): its median is ln 2 * w. */
START_TEST(test_gim1_tails)
{
    struct mmc_gim1 g = gim1_solve(4, 0.9, 1.0);
    ck_assert_double_eq(mmc_gim1_wait_tail(&g, -1.0), 1.0);
    ck_assert_double_eq(mmc_gim1_wait_tail(&g, 0.0), g.sigma);
    ck_assert_rel(mmc_gim1_wait_tail(&g, 2.0), g.sigma * exp(-2.0 / g.w));
    ck_assert_double_eq(mmc_gim1_wait_tail(&g, INFINITY), 0.0);
    ck_assert(isnan(mmc_gim1_wait_tail(&g, NAN)));
    ck_assert_double_eq(mmc_gim1_sojourn_tail(&g, -1.0), 1.0);
    ck_assert_double_eq(mmc_gim1_sojourn_tail(&g, 0.0), 1.0);
    ck_assert_rel(mmc_gim1_sojourn_tail(&g, g.w), exp(-1.0));
    ck_assert(isnan(mmc_gim1_sojourn_tail(&g, NAN)));
    ck_assert_rel(mmc_gim1_sojourn_quantile(&g, 0.5), log(2.0) * g.w);
    ck_assert_double_eq(mmc_gim1_sojourn_quantile(&g, 0.0), 0.0);
    ck_assert_double_eq(mmc_gim1_wait_quantile(&g, 0.0), 0.0);
    /* the atom at 0: P(Wq = 0) = 1 - sigma ~ 0.157 */
    ck_assert_double_eq(mmc_gim1_wait_quantile(&g, 0.15), 0.0);
    ck_assert_double_gt(mmc_gim1_wait_quantile(&g, 0.16), 0.0);
    ck_assert(isnan(mmc_gim1_wait_quantile(&g, 1.0)));
    ck_assert(isnan(mmc_gim1_wait_quantile(&g, -0.1)));
    ck_assert(isnan(mmc_gim1_sojourn_quantile(&g, 1.0)));
    ck_assert(isnan(mmc_gim1_sojourn_quantile(&g, NAN)));
}
END_TEST

/* The quantile functions invert the tails: tail(quantile(p)) = 1 - p. */
START_TEST(test_gim1_quantiles_invert)
{
    static const double ps[] = {0.2, 0.5, 0.9, 0.99, 0.999999, 1.0 - 1e-12};
    const struct gim1_ref *r = &gim1_refs[_i];
    struct mmc_gim1 g = gim1_solve(r->k, r->rate, r->mu);
    for (int i = 0; i < N_ROWS(ps); i++) {
        double p = ps[i];
        double ts = mmc_gim1_sojourn_quantile(&g, p);
        ck_assert_double_eq_tol(mmc_gim1_sojourn_tail(&g, ts), 1.0 - p, 1e-12 * (1.0 - p));
        double tw = mmc_gim1_wait_quantile(&g, p);
        if (p <= g.one_minus_sigma) {
            ck_assert_double_eq(tw, 0.0);
        } else {
            ck_assert_double_eq_tol(mmc_gim1_wait_tail(&g, tw), 1.0 - p, 1e-12 * (1.0 - p));
            ck_assert_double_le(tw, ts); /* Wq <= W pathwise */
        }
    }
}
END_TEST

START_TEST(test_gim1_unstable)
{
    static const double rates[] = {1.0, 1.5, 1e300};
    for (int i = 0; i < N_ROWS(rates); i++) {
        struct mmc_gim1 g;
        ck_assert_int_eq(mmc_gim1_erlang(4, rates[i], 1.0, &g), 0);
        ck_assert(!g.stable);
        ck_assert_double_eq(g.rho, rates[i]);
        ck_assert_double_eq(g.k, 4.0);
        ck_assert(isnan(g.sigma) && isnan(g.one_minus_sigma) && isnan(g.p_wait));
        ck_assert(isnan(g.wq) && isnan(g.w) && isnan(g.lq) && isnan(g.l));
        ck_assert(isnan(mmc_gim1_wait_tail(&g, 1.0)));
        ck_assert(isnan(mmc_gim1_wait_quantile(&g, 0.5)));
        ck_assert(isnan(mmc_gim1_sojourn_tail(&g, 1.0)));
        ck_assert(isnan(mmc_gim1_sojourn_quantile(&g, 0.5)));
    }
}
END_TEST

struct gim1_args {
    unsigned long k;
    double rate, mu;
};

static const struct gim1_args gim1_bad[] = {
    {0, 0.5, 1.0}, {1, 0.0, 1.0},  {1, -0.5, 1.0}, {1, NAN, 1.0},      {1, INFINITY, 1.0},
    {2, 0.5, 0.0}, {2, 0.5, -1.0}, {2, 0.5, NAN},  {2, 0.5, INFINITY}, {2, -0.0, 1.0},
};

START_TEST(test_gim1_bad_args)
{
    const struct gim1_args *r = &gim1_bad[_i];
    struct mmc_gim1 g, before;
    memset(&g, 0x5a, sizeof g);
    memcpy(&before, &g, sizeof g);
    ck_assert_int_eq(mmc_gim1_erlang(r->k, r->rate, r->mu, &g), -1);
    ck_assert_int_eq(memcmp(&g, &before, sizeof g), 0);
}
END_TEST

/* ---- 2. supermarket (power of d, c -> infinity) ---- */

struct supermarket_ref {
    double rho, d, mu;
    double l, lq, w, wq, p_wait;
};

static const struct supermarket_ref supermarket_refs[] = {
    /* d = 1: M/M/1, L = rho / (1 - rho) */
    {0.9, 1.0, 1.0, 9.0000000000000022, 8.1000000000000022, 10.000000000000002, 9.0000000000000022,
     0.90000000000000002},
    {0.5, 1.0, 1.0, 1.0, 0.5, 2.0, 1.0, 0.5},
    /* d = 2, 3 */
    {0.9, 2.0, 1.0, 2.3526516395914883, 1.4526516395914882, 2.6140573773238758, 1.6140573773238758,
     0.81000000000000004},
    {0.5, 2.0, 1.0, 0.63284301804378629, 0.13284301804378629, 1.2656860360875726,
     0.26568603608757257, 0.25},
    {0.99, 2.0, 1.0, 5.3776766133702599, 4.3876766133702599, 5.4319965791618787, 4.4319965791618787,
     0.98009999999999998},
    {0.9, 3.0, 1.0, 1.8250703720957510, 0.92507037209575097, 2.0278559689952788, 1.0278559689952788,
     0.72900000000000005},
    {0.9, 2.0, 2.5, 2.3526516395914883, 1.4526516395914882, 1.0456229509295503, 0.64562295092955031,
     0.81000000000000004},
    {0.999, 10.0, 1.0, 3.2120053561901957, 2.2130053561901957, 3.2152205767669626,
     2.2152205767669626, 0.99004488020974820},
    /* d = c = 65536: s_2 = rho^65537 ~ 1e-1460, so lq, wq and p_wait are below DBL_MIN */
    {0.95, 65536.0, 1.0, 0.94999999999999996, 0.0, 1.0, 0.0, 0.0},
    /* rho = 1 - 2^-40 and 1 - 2^-53 */
    {0.9999999999990905, 2.0, 1.0, 38.667252617603431, 37.667252617604341, 38.667252617638599,
     37.667252617638599, 0.99999999999818101},
    {0.99999999999999989, 2.0, 1.0, 51.667252617567107, 50.667252617567107, 51.667252617567112,
     50.667252617567112, 0.99999999999999978},
};

static struct mmc_supermarket supermarket_solve(double rho, double d, double mu)
{
    struct mmc_supermarket s;
    ck_assert_int_eq(mmc_supermarket(rho, d, mu, &s), 0);
    ck_assert(s.stable);
    return s;
}

START_TEST(test_supermarket_ref)
{
    const struct supermarket_ref *r = &supermarket_refs[_i];
    struct mmc_supermarket s = supermarket_solve(r->rho, r->d, r->mu);
    ck_assert_double_eq(s.rho, r->rho);
    ck_assert_double_eq(s.d, r->d);
    ck_assert_double_eq(s.mu, r->mu);
    ck_assert_rel(s.l, r->l);
    ck_assert_rel(s.lq, r->lq);
    ck_assert_rel(s.w, r->w);
    ck_assert_rel(s.wq, r->wq);
    ck_assert_rel(s.p_wait, r->p_wait);
}
END_TEST

/* d = 1 (random dispatch) is M/M/1 for every c: against models/erlang.h. */
START_TEST(test_supermarket_mm1)
{
    static const double rhos[] = {0.1, 0.5, 0.9, 0.999};
    for (int i = 0; i < N_ROWS(rhos); i++) {
        struct mmc_supermarket s = supermarket_solve(rhos[i], 1.0, 2.0);
        struct mmc_erlang e;
        ck_assert_int_eq(mmc_erlang_mmc(2.0 * rhos[i], 2.0, 1, 0.0, &e), 0);
        ck_assert_rel(s.l, rhos[i] / (1.0 - rhos[i]));
        ck_assert_rel(s.l, e.l);
        ck_assert_rel(s.lq, e.lq);
        ck_assert_rel(s.w, e.w);
        ck_assert_rel(s.wq, e.wq);
        ck_assert_rel(s.p_wait, e.p_wait);
    }
}
END_TEST

/* s_j: s_0 = 1, s_1 = rho, s_2 = rho^(1 + d), s_3 = rho^(1 + d + d^2);
 * their sum over j >= 1 is L; more choices, shorter queues. */
START_TEST(test_supermarket_at_least)
{
    static const double ds[] = {1.0, 2.0, 3.0, 10.0};
    double prev_l = INFINITY;
    for (int i = 0; i < N_ROWS(ds); i++) {
        double d = ds[i];
        struct mmc_supermarket s = supermarket_solve(0.9, d, 1.0);
        ck_assert_double_eq(mmc_supermarket_at_least(&s, 0), 1.0);
        ck_assert_rel(mmc_supermarket_at_least(&s, 1), 0.9);
        ck_assert_rel(mmc_supermarket_at_least(&s, 2), pow(0.9, 1.0 + d));
        ck_assert_rel(mmc_supermarket_at_least(&s, 3), pow(0.9, 1.0 + d + d * d));
        ck_assert_double_eq(mmc_supermarket_at_least(&s, ULONG_MAX), 0.0);
        double sum = 0.0;
        for (unsigned long j = 1; j < 2000; j++)
            sum += mmc_supermarket_at_least(&s, j);
        ck_assert_double_eq_tol(sum, s.l, 1e-13 * s.l);
        ck_assert_double_lt(s.l, prev_l);
        prev_l = s.l;
    }
    /* a huge d: every arrival finds an idle server, L = rho */
    struct mmc_supermarket s = supermarket_solve(nextafter(1.0, 0.0), 1e300, 1.0);
    ck_assert_double_eq(s.l, nextafter(1.0, 0.0));
    ck_assert_double_eq(s.lq, 0.0);
    ck_assert_double_eq(s.w, 1.0);
}
END_TEST

START_TEST(test_supermarket_unstable)
{
    static const double rhos[] = {1.0, 1.5, 1e300};
    for (int i = 0; i < N_ROWS(rhos); i++) {
        struct mmc_supermarket s;
        ck_assert_int_eq(mmc_supermarket(rhos[i], 2.0, 1.0, &s), 0);
        ck_assert(!s.stable);
        ck_assert_double_eq(s.rho, rhos[i]);
        ck_assert(isnan(s.l) && isnan(s.lq) && isnan(s.w) && isnan(s.wq) && isnan(s.p_wait));
        ck_assert(isnan(mmc_supermarket_at_least(&s, 1)));
    }
}
END_TEST

struct supermarket_args {
    double rho, d, mu;
};

static const struct supermarket_args supermarket_bad[] = {
    {0.0, 2.0, 1.0},  {-0.5, 2.0, 1.0}, {NAN, 2.0, 1.0},      {INFINITY, 2.0, 1.0}, {0.5, 0.0, 1.0},
    {0.5, 0.5, 1.0},  {0.5, 2.5, 1.0},  {0.5, NAN, 1.0},      {0.5, INFINITY, 1.0}, {0.5, 2.0, 0.0},
    {0.5, 2.0, -1.0}, {0.5, 2.0, NAN},  {0.5, 2.0, INFINITY},
};

START_TEST(test_supermarket_bad_args)
{
    const struct supermarket_args *r = &supermarket_bad[_i];
    struct mmc_supermarket s, before;
    memset(&s, 0x5a, sizeof s);
    memcpy(&before, &s, sizeof s);
    ck_assert_int_eq(mmc_supermarket(r->rho, r->d, r->mu, &s), -1);
    ck_assert_int_eq(memcmp(&s, &before, sizeof s), 0);
}
END_TEST

/* Declared here for -Wmissing-prototypes; check_main.c gets it from suites.h. */
Suite *dispatch_forms_suite(void);

Suite *dispatch_forms_suite(void)
{
    Suite *s = suite_create("dispatch_forms");
    struct {
        const char *name;
        const TTest *fn;
        int n;
    } cases[] = {
        {"gim1_ref", test_gim1_ref, N_ROWS(gim1_refs)},
        {"gim1_mm1", test_gim1_mm1, 1},
        {"gim1_dm1_limit", test_gim1_dm1_limit, 1},
        {"gim1_grid", test_gim1_grid, 1},
        {"gim1_tails", test_gim1_tails, 1},
        {"gim1_quantiles_invert", test_gim1_quantiles_invert, N_ROWS(gim1_refs)},
        {"gim1_unstable", test_gim1_unstable, 1},
        {"gim1_bad_args", test_gim1_bad_args, N_ROWS(gim1_bad)},
        {"supermarket_ref", test_supermarket_ref, N_ROWS(supermarket_refs)},
        {"supermarket_mm1", test_supermarket_mm1, 1},
        {"supermarket_at_least", test_supermarket_at_least, 1},
        {"supermarket_unstable", test_supermarket_unstable, 1},
        {"supermarket_bad_args", test_supermarket_bad_args, N_ROWS(supermarket_bad)},
    };
    for (int i = 0; i < N_ROWS(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_loop_test(tc, cases[i].fn, 0, cases[i].n);
        suite_add_tcase(s, tc);
    }
    return s;
}
