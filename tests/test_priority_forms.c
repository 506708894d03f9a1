/*
 * test_priority_forms.c - the priority-class closed forms (models/priority_forms.h):
 * non-preemptive and preemptive-resume priority on M/G/1 and M/M/c.
 *
 * Reference values come from mpmath 1.3 at mp.dps = 60, inputs taken as the
 * exact doubles written in each row, by the textbook formulas written out
 * directly (not the C method: no fma slacks, no divided-difference
 * recursion; Erlang C as the plain sum of a^k/k!):
 *
 *   # M/G/1, levels hi = {j: prio_j < prio_k}, le = {j: prio_j <= prio_k}
 *   s_hi = sum(lam[j]*es[j] for j in hi); s_le = sum(lam[j]*es[j] for j in le)
 *   # served rate: lam, or the first saturated level's share of what is left, or 0
 *   thr[i] = lam[i] if s_le(i) < 1 else lam[i]*(1-s_hi(i))/(s_le(i)-s_hi(i)) if s_hi(i) < 1 else 0
 *   np_wq[k] = sum(thr[i]*es2[i]/2) / ((1-s_hi)*(1-s_le))           (inf if s_le >= 1)
 *   pr_wq[k] = es[k]/(1-s_hi) + sum(lam[j]*es2[j]/2 for j in le)/((1-s_hi)*(1-s_le)) - es[k]
 *   np p_wait = min(sum(rho), 1); pr p_wait (top level) = min(s_le, 1)
 *
 *   # M/M/c, one mu
 *   def erlang_c(c, a):                       # (a^c/c!) c/(c-a) / (sum_{k<c} a^k/k! + same)
 *       t, s = mpf(1), mpf(0)
 *       for k in range(c): s += t; t = t*a/(k+1)
 *       return t*c/(c-a) / (s + t*c/(c-a))
 *   lq = lambda a: erlang_c(c, a)*a/(c-a)
 *   np_wq[k] = C(c, sum(lam)/mu)/(c*mu)/((1-s_hi)*(1-s_le))  (C = 1 if overloaded)
 *   pr_wq[k] = (lq(a2) - lq(a1))/(mu*(a2-a1)),  a1 = lam_hi/mu, a2 = lam_le/mu
 *              (rate-0 level: diff(lq, a1)/mu; mpmath's numerical derivative)
 *   pr p_wait (top level) = erlang_c(c, lam_top/mu)
 *
 * Printed with 17 significant digits; 0.0 marks a value below DBL_MIN
 * (printed beside it), which the code returns as 0 or a subnormal.
 * Tolerance: relative 1e-12 (REL_TOL); 1e-10 for c = 100000, where Erlang C
 * itself carries ~1e-13 (measured: below 1e-13 here). The code's error on
 * the other rows is below 5e-15.
 *
 * Independent of both: continuous-time Markov chains solved numerically
 * (scipy spsolve on the truncated generator, one balance equation replaced
 * by sum pi = 1), states
 *   PR M/M/c, 2 classes:       (n_high, n_low), n <= 300 each;
 *   NP M/M/c, 2 classes:       (n_high, n_low, servers busy with high), n <= 300;
 *   PR M/M/1, unequal rates:   (n_0, n_1), n <= 300;
 *   NP M/M/1 + saturated class (always a task waiting): (n_0, n_1, class in
 *                              service), n <= 300.
 * Probability on the truncation boundary below 1e-35 (1e-24 at n <= 150,
 * whose means agree with n <= 300 to 1e-14); the chain means agree with the
 * closed forms to 3e-13 relative (linear-solve rounding), so they are
 * checked at 1e-11.
 *
 * No published textbook value with stated inputs and answers could be found
 * reliably for these forms, so none is used.
 */
#include "erlang.h"
#include "priority_forms.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <string.h>

#define REL_TOL 1e-12
#define REL_TOL_BIG_C 1e-10
#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_CLASSES 4

/* Absolute tolerance for relative error tol; an underflowed reference (0.0)
 * accepts anything below DBL_MIN; an infinite one is compared exactly. */
static void check_rel(double got, double want, double tol)
{
    if (isinf(want)) {
        ck_assert_msg(got == want, "got %.17g, want %.17g", got, want);
        return;
    }
    double abs_tol = want == 0.0 ? DBL_MIN : tol * fabs(want);
    ck_assert_double_eq_tol(got, want, abs_tol);
}

/* ---- M/G/1 ---- */

/* One M/G/1 case with its mpmath values for both disciplines. */
struct mg1_ref {
    const char *what;
    size_t n;
    struct mmc_prio_class cls[MAX_CLASSES];
    double np_wq[MAX_CLASSES], np_p_wait;
    double pr_wq[MAX_CLASSES], pr_p_wait_top;
};

/* Service: exponential es2 = 2 es^2, deterministic es^2, gamma with scv v (1 + v) es^2. */
static const struct mg1_ref mg1_refs[] = {
    {"3 classes: exponential, deterministic, gamma scv 2; rho 0.74",
     3,
     {{0.2, 1.0, 2.0, 0}, {0.3, 0.8, 0.64, 1}, {0.25, 1.2, 4.32, 2}},
     {1.0450000000000001, 1.8660714285714287, 5.7417582417582423},
     0.74,
     {0.25000000000000002, 0.86071428571428579, 6.6846153846153852},
     0.2},
    {"4 classes, priorities 3, -1, 3, 7 (two share a level): exponential, deterministic, "
     "Erlang-2, hyperexponential scv 4; rho 0.8",
     4,
     {{0.1, 2.0, 8.0, 3}, {0.5, 0.5, 0.25, -1}, {0.2, 1.5, 3.375, 3}, {0.05, 1.0, 5.0, 7}},
     {4.9333333333333341, 1.2333333333333334, 4.9333333333333341, 18.500000000000006},
     0.80000000000000003,
     {4.933333333333334, 0.083333333333333333, 4.7666666666666674, 21.500000000000006},
     0.25},
    {"near saturation, rho 0.95: exponential, deterministic, gamma scv 2",
     3,
     {{0.3, 1.0, 2.0, 0}, {0.25, 1.2, 1.44, 1}, {0.2, 1.75, 9.1875, 2}},
     {1.9982142857142857, 4.995535714285714, 69.937499999999994},
     0.95,
     {0.42857142857142855, 2.2285714285714283, 72.562499999999994},
     0.3},
    {"overload, rho 1.1: class 2 has no steady state; exponential, rates 1, 0.5, 2",
     3,
     {{0.3, 1.0, 2.0, 0}, {0.15, 2.0, 8.0, 1}, {1.0, 0.5, 0.5, 2}},
     {1.5714285714285714, 3.9285714285714282, INFINITY},
     1.0,
     {0.42857142857142855, 4.071428571428571, INFINITY},
     0.3},
};

static bool is_top(const struct mmc_prio_class *cls, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        if (cls[i].priority < cls[k].priority)
            return false;
    return true;
}

START_TEST(test_mg1_np_ref)
{
    const struct mg1_ref *r = &mg1_refs[_i];
    struct mmc_prio_result out[MAX_CLASSES];
    ck_assert_int_eq(mmc_prio_mg1_np(r->cls, r->n, out), 0);
    for (size_t k = 0; k < r->n; k++) {
        check_rel(out[k].wq, r->np_wq[k], REL_TOL);
        check_rel(out[k].w, r->np_wq[k] + r->cls[k].es, REL_TOL);
        check_rel(out[k].p_wait, r->np_p_wait, REL_TOL);
    }
}
END_TEST

START_TEST(test_mg1_pr_ref)
{
    const struct mg1_ref *r = &mg1_refs[_i];
    struct mmc_prio_result out[MAX_CLASSES];
    ck_assert_int_eq(mmc_prio_mg1_pr(r->cls, r->n, out), 0);
    for (size_t k = 0; k < r->n; k++) {
        check_rel(out[k].wq, r->pr_wq[k], REL_TOL);
        check_rel(out[k].w, r->pr_wq[k] + r->cls[k].es, REL_TOL);
        if (is_top(r->cls, r->n, k))
            check_rel(out[k].p_wait, r->pr_p_wait_top, REL_TOL);
        else
            ck_assert(isnan(out[k].p_wait));
    }
}
END_TEST

/* Two classes sharing a level share the non-preemptive wait, but not the preemptive one. */
START_TEST(test_mg1_shared_level)
{
    const struct mg1_ref *r = &mg1_refs[1];
    struct mmc_prio_result np[MAX_CLASSES], pr[MAX_CLASSES];
    ck_assert_int_eq(mmc_prio_mg1_np(r->cls, r->n, np), 0);
    ck_assert_int_eq(mmc_prio_mg1_pr(r->cls, r->n, pr), 0);
    ck_assert_double_eq(np[0].wq, np[2].wq);
    /* Preemptive: same wait before service, interruptions E[S_k] s_hi / (1 - s_hi), s_hi = 0.25. */
    check_rel(pr[0].wq - pr[2].wq, (2.0 - 1.5) * 0.25 / 0.75, 1e-12);
}
END_TEST

/* Kleinrock's conservation law: sum rho_k Wq_k = rho W0 / (1 - rho), non-preemptive any
 * service; preemptive-resume only with exponential service (remaining work is memoryless). */
static double conservation_gap(const struct mmc_prio_class *cls, size_t n,
                               const struct mmc_prio_result *out)
{
    double lhs = 0.0, rho = 0.0, w0 = 0.0;
    for (size_t k = 0; k < n; k++) {
        lhs += cls[k].lambda * cls[k].es * out[k].wq;
        rho += cls[k].lambda * cls[k].es;
        w0 += cls[k].lambda * cls[k].es2 / 2.0;
    }
    double rhs = rho * w0 / (1.0 - rho);
    return fabs(lhs - rhs) / rhs;
}

START_TEST(test_mg1_np_conservation)
{
    for (int i = 0; i < 3; i++) { /* the stable rows */
        const struct mg1_ref *r = &mg1_refs[i];
        struct mmc_prio_result out[MAX_CLASSES];
        ck_assert_int_eq(mmc_prio_mg1_np(r->cls, r->n, out), 0);
        ck_assert_double_le(conservation_gap(r->cls, r->n, out), 1e-14);
    }
}
END_TEST

START_TEST(test_mg1_pr_conservation_exponential)
{
    /* exponential services of unequal means, a shared level, rho 0.9 */
    const struct mmc_prio_class cls[] = {
        {0.2, 0.5, 0.5, 1}, {0.3, 1.5, 4.5, 2}, {0.1, 2.0, 8.0, 0}, {0.15, 0.6, 0.72, 2}};
    struct mmc_prio_result out[4];
    ck_assert_int_eq(mmc_prio_mg1_pr(cls, 4, out), 0);
    ck_assert_double_le(conservation_gap(cls, 4, out), 1e-14);
}
END_TEST

/* One class: both disciplines are FCFS M/G/1, Pollaczek-Khinchine. */
START_TEST(test_mg1_single_class_pk)
{
    const struct mmc_prio_class cls[] = {
        {0.5, 1.0, 2.0, 0}, {0.9, 1.0, 1.0, 0}, {0.7, 1.2, 4.32, 5}, {1e-6, 3.0, 9.0, -2}};
    for (int i = 0; i < N_ROWS(cls); i++) {
        const struct mmc_prio_class *c = &cls[i];
        double rho = c->lambda * c->es, pk = c->lambda * c->es2 / (2.0 * (1.0 - rho));
        struct mmc_prio_result np, pr;
        ck_assert_int_eq(mmc_prio_mg1_np(c, 1, &np), 0);
        ck_assert_int_eq(mmc_prio_mg1_pr(c, 1, &pr), 0);
        check_rel(np.wq, pk, 1e-14);
        check_rel(pr.wq, pk, 1e-14);
        check_rel(np.p_wait, rho, 1e-15);
        check_rel(pr.p_wait, rho, 1e-15);
    }
}
END_TEST

/* A class of rate 0, at any level (top, shared, between, bottom), leaves the others exactly
 * unchanged; its own wait is the limit lambda -> 0. */
static void insert_class(const struct mmc_prio_class *cls, size_t n, size_t at,
                         struct mmc_prio_class extra, struct mmc_prio_class *with)
{
    for (size_t i = 0, j = 0; i <= n; i++)
        with[i] = i == at ? extra : cls[j++];
}

typedef int mg1_form_fn(const struct mmc_prio_class *, size_t, struct mmc_prio_result *);

static void check_zero_rate_mg1(mg1_form_fn *form)
{
    const struct mg1_ref *r = &mg1_refs[0];
    const int prios[] = {-1, 0, 1, 5};
    struct mmc_prio_result base[MAX_CLASSES], with_out[MAX_CLASSES + 1];
    ck_assert_int_eq(form(r->cls, r->n, base), 0);
    for (int p = 0; p < N_ROWS(prios); p++) {
        struct mmc_prio_class with[MAX_CLASSES + 1];
        insert_class(r->cls, r->n, 1, (struct mmc_prio_class){0.0, 3.0, 20.0, prios[p]}, with);
        ck_assert_int_eq(form(with, r->n + 1, with_out), 0);
        for (size_t k = 0, j = 0; k <= r->n; k++) {
            if (k == 1) {
                ck_assert(isfinite(with_out[k].wq) && with_out[k].wq >= 0.0);
                continue;
            }
            ck_assert_double_eq(with_out[k].wq, base[j].wq);
            ck_assert_double_eq(with_out[k].w, base[j].w);
            j++;
        }
    }
}

START_TEST(test_mg1_zero_rate_class)
{
    check_zero_rate_mg1(mmc_prio_mg1_np);
    check_zero_rate_mg1(mmc_prio_mg1_pr);
}
END_TEST

/* Chains (see the top): non-preemptive M/M/1, classes 0 > 1 > a saturated class 2 (rates 1,
 * 0.5, 2; lambda 0.3, 0.15): Lq_0 = 0.4714285714285681, Lq_1 = 0.5892857142857097 (n <= 150;
 * n <= 300: ...7017, ...7656). Preemptive M/M/1 (rates 1, 0.5; lambda 0.3, 0.25):
 * L_0 = 0.42857142857142444, L_1 = 3.0357142857142194. */
START_TEST(test_mg1_ctmc)
{
    /* class 2 saturates with any lambda above its share 0.8: the chain has it always waiting */
    const struct mmc_prio_class np_cls[] = {
        {0.3, 1.0, 2.0, 0}, {0.15, 2.0, 8.0, 1}, {5.0, 0.5, 0.5, 2}};
    struct mmc_prio_result out[3];
    ck_assert_int_eq(mmc_prio_mg1_np(np_cls, 3, out), 0);
    check_rel(0.3 * out[0].wq, 0.4714285714285681, 1e-11);
    check_rel(0.15 * out[1].wq, 0.5892857142857097, 1e-11);
    ck_assert(isinf(out[2].wq) && out[2].p_wait == 1.0);

    const struct mmc_prio_class pr_cls[] = {{0.3, 1.0, 2.0, 0}, {0.25, 2.0, 8.0, 1}};
    ck_assert_int_eq(mmc_prio_mg1_pr(pr_cls, 2, out), 0);
    check_rel(0.3 * out[0].w, 0.42857142857142444, 1e-11);
    check_rel(0.25 * out[1].w, 3.0357142857142194, 1e-11);
}
END_TEST

/* Preemptive: lower classes do not matter; an unstable top level makes every class unstable. */
START_TEST(test_mg1_unstable)
{
    const struct mmc_prio_class cls[] = {{1.0, 1.0, 2.0, 0}, {0.1, 1.0, 2.0, 1}};
    struct mmc_prio_result out[2];
    ck_assert_int_eq(mmc_prio_mg1_pr(cls, 2, out), 0);
    ck_assert(isinf(out[0].wq) && isinf(out[0].w) && out[0].p_wait == 1.0);
    ck_assert(isinf(out[1].wq) && isnan(out[1].p_wait));
    ck_assert_int_eq(mmc_prio_mg1_np(cls, 2, out), 0);
    ck_assert(isinf(out[0].wq) && isinf(out[1].wq) && out[1].p_wait == 1.0);

    /* a huge low class changes nothing above it under preemption */
    const struct mmc_prio_class two[] = {{0.5, 1.0, 2.0, 0}, {1e9, 1.0, 2.0, 1}};
    ck_assert_int_eq(mmc_prio_mg1_pr(two, 2, out), 0);
    check_rel(out[0].wq, 1.0, 1e-15); /* M/M/1 at rho 0.5 */
    ck_assert(isinf(out[1].wq));
}
END_TEST

/* ---- M/M/c ---- */

/* One M/M/c case with its mpmath values for both disciplines. */
struct mmc_ref {
    const char *what;
    double mu;
    unsigned long c;
    struct mmc_prio_class cls[3];
    double np_wq[3], np_p_wait;
    double pr_wq[3], pr_p_wait_top;
    double tol;
};

/* es and es2 are not read by the M/M/c forms; every row has 3 classes. */
static const struct mmc_ref mmc_refs[] = {
    {"c 3, rho 0.75",
     1.0,
     3,
     {{0.6, 1, 2, 0}, {0.9, 1, 2, 1}, {0.75, 1, 2, 2}},
     {0.23656542056074766, 0.47313084112149532, 1.514018691588785},
     0.56775700934579439,
     {0.010273972602739725, 0.25630857966834895, 1.955238563698967},
     0.02465753424657534,
     REL_TOL},
    {"c 4, mu 2, priorities 1, 0, 1 (shared level), rho 0.8125",
     2.0,
     4,
     {{2.0, 1, 2, 1}, {1.5, 1, 2, 0}, {3.0, 1, 2, 1}},
     {0.50799156044972398, 0.095248417584323246, 0.50799156044972398},
     0.6191147142981011,
     {0.53621246658593076, 0.0011787304636339824, 0.53621246658593076},
     0.0076617480136208854,
     REL_TOL},
    {"c 10, mu 0.5, rho 0.95",
     0.5,
     10,
     {{1.5, 1, 2, 0}, {2.0, 1, 2, 1}, {1.25, 1, 2, 2}},
     {0.23588159375019961, 0.78627197916733204, 11.007807708342649},
     0.82558557812569864,
     {0.00033065580748846957, 0.25843842667550167, 12.135002517860831},
     0.0011572953262096435,
     REL_TOL},
    /* A class of rate 1e-9 under a load of 3: (Lq(a2) - Lq(a1)) / (a2 - a1) in doubles
     * would keep ~7 digits of 3.2969028163386017. */
    {"c 4, a tiny middle class (1e-9)",
     1.0,
     4,
     {{3.0, 1, 2, 0}, {1e-9, 1, 2, 1}, {0.2, 1, 2, 2}},
     {0.59643247223738854, 2.385729891335284, 2.9821623678968081},
     0.59643247223738854,
     {0.50943396226415094, 3.2969028163386017, 4.2871400129395073},
     0.50943396226415094,
     REL_TOL},
    {"c 4, a middle class of rate 0 (preemptive: Lq'(a1) / mu)",
     1.0,
     4,
     {{3.0, 1, 2, 0}, {0.0, 1, 2, 1}, {0.2, 1, 2, 2}},
     {0.59643247178740445, 2.3857298871496178, 2.9821623589370223},
     0.59643247178740445,
     {0.50943396226415094, 3.2969028123887504, 4.2871400017858247},
     0.50943396226415094,
     REL_TOL},
    {"c 3, overload (rho 1.2): class 2 has no steady state",
     1.0,
     3,
     {{1.2, 1, 2, 0}, {0.9, 1, 2, 1}, {1.5, 1, 2, 2}},
     {0.55555555555555554, 1.8518518518518518, INFINITY},
     1.0,
     {0.078431372549019599, 1.1718735341026362, INFINITY},
     0.14117647058823528,
     REL_TOL},
    {"c 100000, rho 0.99",
     1.0,
     100000,
     {{30000.0, 1, 2, 0}, {40000.0, 1, 2, 1}, {29000.0, 1, 2, 2}},
     {1.1741546248725649e-08, 3.9138487495752162e-08, 2.7396941247026513e-06},
     0.0008219082374107954,
     {0.0 /* 1.4122735250212804e-21895 */, 0.0 /* 1.0669983955972523e-2468 */,
      2.8058246725403015e-06},
     0.0 /* 9.8859146751489631e-21891 */,
     REL_TOL_BIG_C},
    {"c 100000, levels at rho 0.9, 0.98, 0.995",
     1.0,
     100000,
     {{90000.0, 1, 2, 0}, {8000.0, 1, 2, 1}, {1500.0, 1, 2, 2}},
     {7.0906199355113304e-06, 0.00035453099677556652, 0.0070906199355113304},
     0.070906199355113304,
     {1.98003409635906e-239, 6.0746163855979439e-13, 0.0094068891112052363},
     1.98003409635906e-235,
     REL_TOL_BIG_C},
    {"c 100000, a class of rate 1e-6 between loads 98000 and 1000",
     1.0,
     100000,
     {{98000.0, 1, 2, 0}, {1e-6, 1, 2, 1}, {1000.0, 1, 2, 2}},
     {4.1095412326706578e-07, 2.0547706173627142e-05, 4.1095412388349697e-05},
     0.00082190824653413156,
     {4.9588705188554644e-14, 1.0408669328113303e-10, 8.1368911629376637e-05},
     9.9177410377109288e-11,
     REL_TOL_BIG_C},
};

START_TEST(test_mmc_np_ref)
{
    const struct mmc_ref *r = &mmc_refs[_i];
    struct mmc_prio_result out[3];
    ck_assert_int_eq(mmc_prio_mmc_np(r->cls, 3, r->mu, r->c, out), 0);
    for (size_t k = 0; k < 3; k++) {
        check_rel(out[k].wq, r->np_wq[k], r->tol);
        check_rel(out[k].w, r->np_wq[k] + 1.0 / r->mu, r->tol);
        check_rel(out[k].p_wait, r->np_p_wait, r->tol);
    }
}
END_TEST

START_TEST(test_mmc_pr_ref)
{
    const struct mmc_ref *r = &mmc_refs[_i];
    struct mmc_prio_result out[3];
    ck_assert_int_eq(mmc_prio_mmc_pr(r->cls, 3, r->mu, r->c, out), 0);
    for (size_t k = 0; k < 3; k++) {
        check_rel(out[k].wq, r->pr_wq[k], r->tol);
        check_rel(out[k].w, r->pr_wq[k] + 1.0 / r->mu, r->tol);
        if (is_top(r->cls, 3, k))
            check_rel(out[k].p_wait, r->pr_p_wait_top, r->tol);
        else
            ck_assert(isnan(out[k].p_wait));
    }
}
END_TEST

/* Chains (see the top), mu = 1, n <= 300 (n <= 150 agrees to 1e-14):
 *   c 2, lambda 0.6 > 0.8:  PR L_high 0.6593406593406533, L_low 2.085757379875008;
 *                           NP Lq_high 0.2470588235294093, Lq_low 1.0980392156862535
 *   c 3, lambda 1.2 > 1.05: PR L_high 1.2941176470588074, L_low 2.6591533809785277;
 *                           NP Lq_high 0.3785046728971845, Lq_low 1.3247663551401379
 * (mpmath closed forms: 0.65934065934065931, 2.0857573798750271, 0.24705882352941176,
 * 1.0980392156862746; 1.2941176470588235, 2.6591533809785597, 0.37850467289719624,
 * 1.3247663551401869.) */
struct ctmc_ref {
    unsigned long c;
    double lambda_high, lambda_low;
    double pr_l_high, pr_l_low, np_lq_high, np_lq_low;
};

static const struct ctmc_ref ctmc_refs[] = {
    {2, 0.6, 0.8, 0.6593406593406533, 2.085757379875008, 0.2470588235294093, 1.0980392156862535},
    {3, 1.2, 1.05, 1.2941176470588074, 2.6591533809785277, 0.3785046728971845, 1.3247663551401379},
};

START_TEST(test_mmc_ctmc)
{
    const struct ctmc_ref *r = &ctmc_refs[_i];
    const struct mmc_prio_class cls[] = {{r->lambda_high, 1, 2, 0}, {r->lambda_low, 1, 2, 1}};
    struct mmc_prio_result out[2];
    ck_assert_int_eq(mmc_prio_mmc_pr(cls, 2, 1.0, r->c, out), 0);
    check_rel(r->lambda_high * out[0].w, r->pr_l_high, 1e-11);
    check_rel(r->lambda_low * out[1].w, r->pr_l_low, 1e-11);
    ck_assert_int_eq(mmc_prio_mmc_np(cls, 2, 1.0, r->c, out), 0);
    check_rel(r->lambda_high * out[0].wq, r->np_lq_high, 1e-11);
    check_rel(r->lambda_low * out[1].wq, r->np_lq_low, 1e-11);
}
END_TEST

/* Four classes (two sharing a level) at rho 0.9: lambda-weighted means equal FCFS M/M/c's.
 * Non-preemptive: Wq (Cobham's form telescopes); preemptive: W (same number in system). */
START_TEST(test_mmc_conservation)
{
    const unsigned long cs[] = {1, 4, 100, 10000};
    const double share[] = {0.2, 0.3, 0.1, 0.4};
    const int prio[] = {2, 0, 1, 0};
    const double mu = 2.0;
    unsigned long c = cs[_i];
    double lambda = 0.0;
    struct mmc_prio_class cls[4];
    for (int k = 0; k < 4; k++) {
        cls[k] = (struct mmc_prio_class){share[k] * 0.9 * (double)c * mu, 1, 2, prio[k]};
        lambda += cls[k].lambda;
    }
    struct mmc_erlang fcfs;
    ck_assert_int_eq(mmc_erlang_mmc(lambda, mu, c, 0.0, &fcfs), 0);
    struct mmc_prio_result np[4], pr[4];
    ck_assert_int_eq(mmc_prio_mmc_np(cls, 4, mu, c, np), 0);
    ck_assert_int_eq(mmc_prio_mmc_pr(cls, 4, mu, c, pr), 0);
    double np_wq = 0.0, pr_w = 0.0;
    for (int k = 0; k < 4; k++) {
        np_wq += cls[k].lambda * np[k].wq / lambda;
        pr_w += cls[k].lambda * pr[k].w / lambda;
        ck_assert_double_eq(np[k].p_wait, fcfs.p_wait);
    }
    check_rel(np_wq, fcfs.wq, 1e-12);
    check_rel(pr_w, fcfs.w, 1e-12);
}
END_TEST

/* One class: both disciplines are FCFS M/M/c. */
START_TEST(test_mmc_single_class)
{
    const unsigned long cs[] = {1, 4, 100, 100000};
    const double rhos[] = {0.3, 0.9, 0.999};
    for (int i = 0; i < N_ROWS(cs); i++) {
        for (int j = 0; j < N_ROWS(rhos); j++) {
            double mu = 1.5, lambda = rhos[j] * (double)cs[i] * mu;
            const struct mmc_prio_class cls = {lambda, 1, 2, 0};
            struct mmc_erlang e;
            struct mmc_prio_result np, pr;
            ck_assert_int_eq(mmc_erlang_mmc(lambda, mu, cs[i], 0.0, &e), 0);
            ck_assert_int_eq(mmc_prio_mmc_np(&cls, 1, mu, cs[i], &np), 0);
            ck_assert_int_eq(mmc_prio_mmc_pr(&cls, 1, mu, cs[i], &pr), 0);
            double tol = cs[i] >= 100000 ? REL_TOL_BIG_C : REL_TOL;
            check_rel(np.wq, e.wq, tol);
            check_rel(pr.wq, e.wq, tol);
            check_rel(np.p_wait, e.p_wait, tol);
            check_rel(pr.p_wait, e.p_wait, tol);
        }
    }
}
END_TEST

/* On one server with exponential service of one rate, the M/M/c forms are the M/G/1 ones. */
START_TEST(test_mmc_one_server_is_mg1)
{
    const double mu = 4.0;
    const struct mmc_prio_class cls[] = {{1.0, 1.0 / mu, 2.0 / (mu * mu), 1},
                                         {0.5, 1.0 / mu, 2.0 / (mu * mu), 0},
                                         {1.5, 1.0 / mu, 2.0 / (mu * mu), 2},
                                         {0.6, 1.0 / mu, 2.0 / (mu * mu), 1}};
    struct mmc_prio_result a[4], b[4];
    ck_assert_int_eq(mmc_prio_mmc_np(cls, 4, mu, 1, a), 0);
    ck_assert_int_eq(mmc_prio_mg1_np(cls, 4, b), 0);
    for (int k = 0; k < 4; k++)
        check_rel(a[k].wq, b[k].wq, 1e-14);
    ck_assert_int_eq(mmc_prio_mmc_pr(cls, 4, mu, 1, a), 0);
    ck_assert_int_eq(mmc_prio_mg1_pr(cls, 4, b), 0);
    for (int k = 0; k < 4; k++)
        check_rel(a[k].wq, b[k].wq, 1e-14);
}
END_TEST

typedef int mmc_form_fn(const struct mmc_prio_class *, size_t, double, unsigned long,
                        struct mmc_prio_result *);

static void check_zero_rate_mmc(mmc_form_fn *form)
{
    const struct mmc_ref *r = &mmc_refs[0];
    const int prios[] = {-1, 0, 1, 5};
    struct mmc_prio_result base[3], with_out[4];
    ck_assert_int_eq(form(r->cls, 3, r->mu, r->c, base), 0);
    for (int p = 0; p < N_ROWS(prios); p++) {
        for (size_t at = 0; at <= 3; at++) {
            struct mmc_prio_class with[4];
            insert_class(r->cls, 3, at, (struct mmc_prio_class){0.0, 1, 2, prios[p]}, with);
            ck_assert_int_eq(form(with, 4, r->mu, r->c, with_out), 0);
            for (size_t k = 0, j = 0; k < 4; k++) {
                if (k == at)
                    continue;
                ck_assert_double_eq(with_out[k].wq, base[j].wq);
                j++;
            }
        }
    }
}

START_TEST(test_mmc_zero_rate_class)
{
    check_zero_rate_mmc(mmc_prio_mmc_np);
    check_zero_rate_mmc(mmc_prio_mmc_pr);
}
END_TEST

/* Under preemption a lower class, even overloading, changes nothing above it. */
START_TEST(test_mmc_pr_ignores_lower)
{
    const struct mmc_prio_class two[] = {{2.0, 1, 2, 0}, {1e6, 1, 2, 1}};
    struct mmc_prio_result out[2];
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_prio_mmc_pr(two, 2, 1.0, 3, out), 0);
    ck_assert_int_eq(mmc_erlang_mmc(2.0, 1.0, 3, 0.0, &e), 0);
    check_rel(out[0].wq, e.wq, 1e-14);
    check_rel(out[0].p_wait, e.p_wait, 1e-14);
    ck_assert(isinf(out[1].wq) && isinf(out[1].w) && isnan(out[1].p_wait));
}
END_TEST

/* No arrivals at all: nobody waits. */
START_TEST(test_zero_load)
{
    const struct mmc_prio_class cls[] = {{0.0, 1.0, 2.0, 0}, {0.0, 2.0, 5.0, 1}};
    struct mmc_prio_result out[2];
    ck_assert_int_eq(mmc_prio_mg1_np(cls, 2, out), 0);
    ck_assert(out[0].wq == 0.0 && out[1].wq == 0.0 && out[1].w == 2.0 && out[0].p_wait == 0.0);
    ck_assert_int_eq(mmc_prio_mg1_pr(cls, 2, out), 0);
    ck_assert(out[0].wq == 0.0 && out[1].wq == 0.0 && out[0].p_wait == 0.0);
    ck_assert_int_eq(mmc_prio_mmc_np(cls, 2, 2.0, 5, out), 0);
    ck_assert(out[0].wq == 0.0 && out[1].w == 0.5 && out[0].p_wait == 0.0);
    ck_assert_int_eq(mmc_prio_mmc_pr(cls, 2, 2.0, 5, out), 0);
    ck_assert(out[0].wq == 0.0 && out[1].wq == 0.0 && out[0].p_wait == 0.0);
}
END_TEST

/* ---- bad arguments: -1, out untouched ---- */

static const struct mmc_prio_class bad_classes[] = {
    {-0.1, 1.0, 2.0, 0}, {NAN, 1.0, 2.0, 0},  {INFINITY, 1.0, 2.0, 0}, {0.5, 0.0, 2.0, 0},
    {0.5, -1.0, 2.0, 0}, {0.5, NAN, 2.0, 0},  {0.5, INFINITY, 2.0, 0}, {0.5, 1.0, 0.5, 0},
    {0.5, 1.0, NAN, 0},  {0.5, 1.0, -2.0, 0}, {0.5, 1.0, INFINITY, 0},
};

START_TEST(test_mg1_bad_args)
{
    struct mmc_prio_class cls[2] = {{0.2, 1.0, 2.0, 0}, bad_classes[_i]};
    struct mmc_prio_result out[2], before[2];
    memset(out, 0x5a, sizeof out);
    memcpy(before, out, sizeof out);
    ck_assert_int_eq(mmc_prio_mg1_np(cls, 2, out), -1);
    ck_assert_int_eq(mmc_prio_mg1_pr(cls, 2, out), -1);
    ck_assert_int_eq(memcmp(out, before, sizeof out), 0);
    ck_assert_int_eq(mmc_prio_mg1_np(cls, 0, out), -1);
    ck_assert_int_eq(mmc_prio_mg1_pr(NULL, 1, out), -1);
    ck_assert_int_eq(memcmp(out, before, sizeof out), 0);
}
END_TEST

START_TEST(test_mmc_bad_args)
{
    const struct mmc_prio_class ok[] = {{1.0, 1.0, 2.0, 0}};
    const double bad_mu[] = {0.0, -1.0, NAN, INFINITY};
    const struct mmc_prio_class bad[] = {{-1.0, 1, 2, 0}, {NAN, 1, 2, 0}, {INFINITY, 1, 2, 0}};
    struct mmc_prio_result out[1], before[1];
    memset(out, 0x5a, sizeof out);
    memcpy(before, out, sizeof out);
    mmc_form_fn *forms[] = {mmc_prio_mmc_np, mmc_prio_mmc_pr};
    for (int f = 0; f < 2; f++) {
        for (int i = 0; i < N_ROWS(bad_mu); i++)
            ck_assert_int_eq(forms[f](ok, 1, bad_mu[i], 2, out), -1);
        for (int i = 0; i < N_ROWS(bad); i++)
            ck_assert_int_eq(forms[f](&bad[i], 1, 1.0, 2, out), -1);
        ck_assert_int_eq(forms[f](ok, 1, 1.0, 0, out), -1);
        ck_assert_int_eq(forms[f](ok, 0, 1.0, 2, out), -1);
        ck_assert_int_eq(forms[f](NULL, 1, 1.0, 2, out), -1);
    }
    ck_assert_int_eq(memcmp(out, before, sizeof out), 0);
}
END_TEST

/* Declared here for -Wmissing-prototypes; check_main.c gets it from suites.h. */
Suite *priority_forms_suite(void);

Suite *priority_forms_suite(void)
{
    Suite *s = suite_create("priority_forms");
    struct {
        const char *name;
        const TTest *fn;
        int n;
    } cases[] = {
        {"mg1_np_ref", test_mg1_np_ref, N_ROWS(mg1_refs)},
        {"mg1_pr_ref", test_mg1_pr_ref, N_ROWS(mg1_refs)},
        {"mg1_shared_level", test_mg1_shared_level, 1},
        {"mg1_np_conservation", test_mg1_np_conservation, 1},
        {"mg1_pr_conservation_exponential", test_mg1_pr_conservation_exponential, 1},
        {"mg1_single_class_pk", test_mg1_single_class_pk, 1},
        {"mg1_zero_rate_class", test_mg1_zero_rate_class, 1},
        {"mg1_ctmc", test_mg1_ctmc, 1},
        {"mg1_unstable", test_mg1_unstable, 1},
        {"mmc_np_ref", test_mmc_np_ref, N_ROWS(mmc_refs)},
        {"mmc_pr_ref", test_mmc_pr_ref, N_ROWS(mmc_refs)},
        {"mmc_ctmc", test_mmc_ctmc, N_ROWS(ctmc_refs)},
        {"mmc_conservation", test_mmc_conservation, 4},
        {"mmc_single_class", test_mmc_single_class, 1},
        {"mmc_one_server_is_mg1", test_mmc_one_server_is_mg1, 1},
        {"mmc_zero_rate_class", test_mmc_zero_rate_class, 1},
        {"mmc_pr_ignores_lower", test_mmc_pr_ignores_lower, 1},
        {"zero_load", test_zero_load, 1},
        {"mg1_bad_args", test_mg1_bad_args, N_ROWS(bad_classes)},
        {"mmc_bad_args", test_mmc_bad_args, 1},
    };
    for (int i = 0; i < N_ROWS(cases); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_loop_test(tc, cases[i].fn, 0, cases[i].n);
        suite_add_tcase(s, tc);
    }
    return s;
}

#ifdef MMC_PRIORITY_FORMS_MAIN
/* Stand-alone run: cc -DMMC_PRIORITY_FORMS_MAIN tests/test_priority_forms.c ... */
int main(void)
{
    SRunner *sr = srunner_create(priority_forms_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
#endif
