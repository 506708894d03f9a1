/*
 * priority_forms.c - mean waits of priority classes, M/G/1 and M/M/c.
 *
 * Notation for class k: "hi" = the strictly higher levels (smaller priority
 * value), "le" = those and k's own level. s = load (sum of lambda E[S]),
 * R = sum of lambda E[S^2] / 2. No sorting: each class sums over the others
 * by comparing priority values, O(n^2), n being a handful.
 *
 * 1. Non-preemptive M/G/1 (Cobham, "Priority assignment in waiting line
 *    problems", Oper. Res. 2, 1954, eq. 3; Kleinrock, Queueing Systems
 *    Vol. 2, 1976, ch. 3):
 *
 *        Wq_k = W0 / ((1 - s_hi) (1 - s_le)),   W0 = sum_i X_i E[S_i^2] / 2,
 *
 *    W0 being the mean residual service an arrival finds (PASTA) and X_i the
 *    rate at which class i is SERVED. With total load < 1, X_i = lambda_i and
 *    W0 is Cobham's. Above it, the first level j with s_le >= 1 is served
 *    whenever nothing higher waits, so it takes the server's remaining time,
 *    X_i = lambda_i (1 - s_hi) / s_j, and the levels below it are never served
 *    (X = 0); the derivation (residual + work found + higher arrivals during
 *    the wait) holds unchanged for every class with s_le < 1. Checked against
 *    a numerically solved Markov chain in tests/test_priority_forms.c.
 *
 * 2. Preemptive-resume M/G/1 (Kleinrock Vol. 2, ch. 3): levels below k do
 *    not exist for k. A tagged task waits until the level-<=k work it finds
 *    is cleared, R_le / (1 - s_le) on average (the FCFS M/G/1 workload of
 *    levels <= k), stretched by higher arrivals, then is served with
 *    interruptions, E[S_k] / (1 - s_hi):
 *
 *        W_k = E[S_k] / (1 - s_hi) + R_le / ((1 - s_hi) (1 - s_le)),
 *        Wq_k = E[S_k] s_hi / (1 - s_hi) + R_le / (...)    (W_k - E[S_k], no cancellation).
 *
 * 3. Non-preemptive M/M/c, one rate mu (Cobham 1954, eq. 6): with all c
 *    servers busy they free up at rate c mu, so
 *
 *        Wq_k = C(c, a) / (c mu (1 - s_hi) (1 - s_le)) = C c mu / (D_hi D_le),
 *
 *    a = lambda / mu, s = lambda_cum / (c mu), D = c mu - lambda_cum (one
 *    rounding, fma, as in erlang.c). Overload (a >= c): every server is busy
 *    forever, so C = 1 and the classes with s_le < 1 stay finite.
 *
 * 4. Preemptive-resume M/M/c, one rate mu (exact; Buzen and Bondi, "The
 *    response times of priority classes under preemptive resume in M/M/m
 *    queues", Oper. Res. 31, 1983): with identical exponential service the
 *    tasks of levels <= k see nothing below them, so their number is that of
 *    an M/M/c queue with a2 = lambda_le / mu; likewise a1 = lambda_hi / mu.
 *    Level k's mean number is L(a2) - L(a1) with L(a) = a + Lq(a), its tasks
 *    in service average a2 - a1, so by Little
 *
 *        Wq_k = (Lq(a2) - Lq(a1)) / (mu (a2 - a1)) = Lq[a1, a2] / mu,
 *
 *    the divided difference of Lq (the derivative Lq'(a1) for a level of
 *    rate 0); the classes of one level share it (same exponential service).
 *    Subtracting Lq(a2) - Lq(a1) would cancel (a class of rate 1e-9 under a
 *    load of 3 loses 9 digits), so lq_divided computes Lq[a1, a2] as a sum of
 *    positive terms; see there.
 *
 * P(wait) = P(a task ever waits, before or during service) is given where
 * it is exact: non-preemptive forms, PASTA (an arrival waits iff the server
 * is busy, resp. all c are); preemptive forms, only the top level, which is
 * never interrupted and sees an FCFS queue of its own.
 *
 * Pure functions; thread-safe.
 */
#include "priority_forms.h"

#include "erlang.h"

#include <math.h>
#include <stdbool.h>

/* Sums over the classes above (hi) and up to (le) one priority level. */
struct level_sums {
    size_t n_hi; /* classes of strictly higher priority */
    double lambda_hi, lambda_le;
    double load_hi;            /* s_hi */
    double slack_hi, slack_le; /* 1 - s_hi, 1 - s_le */
    double level_load;         /* s_le - s_hi, the level's own load */
    double r_le;               /* R_le = sum of lambda E[S^2] / 2 */
};

/*
 * The slacks are 1 - sum lambda E[S] accumulated with fma, each step rounded
 * once from an exact product, so 1 - s keeps its relative accuracy near
 * saturation instead of inheriting the rounding of s ~ 1.
 */
static void sum_levels(const struct mmc_prio_class *cls, size_t n, int priority,
                       struct level_sums *s)
{
    *s = (struct level_sums){.slack_hi = 1.0, .slack_le = 1.0};
    for (size_t i = 0; i < n; i++) {
        const struct mmc_prio_class *c = &cls[i];
        if (c->priority > priority)
            continue;
        s->lambda_le += c->lambda;
        s->slack_le = fma(-c->lambda, c->es, s->slack_le);
        s->r_le += c->lambda * c->es2 / 2.0;
        if (c->priority == priority) {
            s->level_load += c->lambda * c->es;
            continue;
        }
        s->n_hi++;
        s->lambda_hi += c->lambda;
        s->load_hi += c->lambda * c->es;
        s->slack_hi = fma(-c->lambda, c->es, s->slack_hi);
    }
}

static bool rate_ok(double lambda)
{
    return isfinite(lambda) && lambda >= 0.0;
}

/* E[S^2] >= E[S]^2 (Jensen), with room for the rounding of a literal like 0.64 = 0.8^2. */
static bool mg1_args_ok(const struct mmc_prio_class *cls, size_t n)
{
    if (cls == NULL || n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        const struct mmc_prio_class *c = &cls[i];
        if (!rate_ok(c->lambda) || !isfinite(c->es) || !(c->es > 0.0) || !isfinite(c->es2) ||
            !(c->es2 >= c->es * c->es * (1.0 - 1e-12)))
            return false;
    }
    return true;
}

static bool mmc_args_ok(const struct mmc_prio_class *cls, size_t n, double mu, unsigned long c)
{
    if (cls == NULL || n == 0 || !isfinite(mu) || !(mu > 0.0) || c == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!rate_ok(cls[i].lambda))
            return false;
    return true;
}

static void set_unstable(struct mmc_prio_result *r, double p_wait)
{
    r->wq = r->w = INFINITY;
    r->p_wait = p_wait;
}

/* The rate at which class c is served (X_i in the opening comment). */
static double served_rate(const struct mmc_prio_class *c, const struct level_sums *s)
{
    if (s->slack_le > 0.0)
        return c->lambda;
    if (s->slack_hi > 0.0)
        return c->lambda * s->slack_hi / s->level_load;
    return 0.0;
}

int mmc_prio_mg1_np(const struct mmc_prio_class *cls, size_t n, struct mmc_prio_result *out)
{
    if (!mg1_args_ok(cls, n))
        return -1;
    double w0 = 0.0, load = 0.0;
    struct level_sums s;
    for (size_t i = 0; i < n; i++) {
        sum_levels(cls, n, cls[i].priority, &s);
        w0 += served_rate(&cls[i], &s) * cls[i].es2 / 2.0;
        load += cls[i].lambda * cls[i].es;
    }
    double p_wait = fmin(load, 1.0);
    for (size_t k = 0; k < n; k++) {
        sum_levels(cls, n, cls[k].priority, &s);
        if (!(s.slack_le > 0.0)) {
            set_unstable(&out[k], p_wait);
            continue;
        }
        out[k].wq = w0 / (s.slack_hi * s.slack_le);
        out[k].w = out[k].wq + cls[k].es;
        out[k].p_wait = p_wait;
    }
    return 0;
}

int mmc_prio_mg1_pr(const struct mmc_prio_class *cls, size_t n, struct mmc_prio_result *out)
{
    if (!mg1_args_ok(cls, n))
        return -1;
    for (size_t k = 0; k < n; k++) {
        struct level_sums s;
        sum_levels(cls, n, cls[k].priority, &s);
        double p_wait = s.n_hi == 0 ? fmin(s.level_load, 1.0) : NAN;
        if (!(s.slack_le > 0.0)) {
            set_unstable(&out[k], p_wait);
            continue;
        }
        double es = cls[k].es;
        out[k].wq = es * s.load_hi / s.slack_hi + s.r_le / (s.slack_hi * s.slack_le);
        out[k].w = out[k].wq + es;
        out[k].p_wait = p_wait;
    }
    return 0;
}

/* Erlang C for arrivals of rate lambda: 0 without arrivals, 1 at or beyond saturation. */
static double erlang_c_or_one(double lambda, double mu, unsigned long c)
{
    struct mmc_erlang e;
    if (lambda == 0.0)
        return 0.0;
    /* Cannot fail: lambda > 0, mu > 0, c >= 1, all finite (checked by the caller). */
    (void)mmc_erlang_mmc(lambda, mu, c, 0.0, &e);
    return e.stable ? e.p_wait : 1.0;
}

/* Rates only: the M/M/c forms ignore es and es2 (service is Exp(mu)). */
static void sum_rates(const struct mmc_prio_class *cls, size_t n, int priority, double *lambda_hi,
                      double *lambda_le, size_t *n_hi)
{
    *lambda_hi = *lambda_le = 0.0;
    *n_hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (cls[i].priority > priority)
            continue;
        *lambda_le += cls[i].lambda;
        if (cls[i].priority < priority) {
            *lambda_hi += cls[i].lambda;
            (*n_hi)++;
        }
    }
}

int mmc_prio_mmc_np(const struct mmc_prio_class *cls, size_t n, double mu, unsigned long c,
                    struct mmc_prio_result *out)
{
    if (!mmc_args_ok(cls, n, mu, c))
        return -1;
    double lambda = 0.0, cd = (double)c, cmu = cd * mu;
    for (size_t i = 0; i < n; i++)
        lambda += cls[i].lambda;
    double p_wait = erlang_c_or_one(lambda, mu, c);
    for (size_t k = 0; k < n; k++) {
        double lambda_hi, lambda_le;
        size_t n_hi;
        sum_rates(cls, n, cls[k].priority, &lambda_hi, &lambda_le, &n_hi);
        double d_hi = fma(cd, mu, -lambda_hi), d_le = fma(cd, mu, -lambda_le);
        if (!(d_le > 0.0)) {
            set_unstable(&out[k], p_wait);
            continue;
        }
        out[k].wq = p_wait * cmu / (d_hi * d_le);
        out[k].w = out[k].wq + 1.0 / mu;
        out[k].p_wait = p_wait;
    }
    return 0;
}

/*
 * Lq[a1, a2] = (Lq(a2) - Lq(a1)) / (a2 - a1) for 0 <= a1 <= a2 < c, Lq'(a1)
 * when a1 == a2, Lq(a) = C(c, a) a / (c - a) the M/M/c mean queue; ca1, ca2
 * are c - a1, c - a2 (computed by the caller from c mu - lambda, one rounding).
 *
 * Divided differences obey the product rule (fg)[a1, a2] = f[a1, a2] g(a2) +
 * f(a1) g[a1, a2], exactly, without subtraction. Write, with E = (c - a) + a B
 * and B = B(c, a) the Erlang B function,
 *
 *     Lq = c a B / ((c - a) E),   1 / Lq = (c - a) / c + (c - a)^2 / (c a) * (1 / B),
 *
 * a sum of products of positive DECREASING functions of a, whose divided
 * differences are all negative: -(1/Lq)[.] is a sum of positive terms. With
 * (c - a)^2 / (c a) = (c^2/a - 2c + a) / c, its divided difference is
 * -(c^2 - a1 a2) / (c a1 a2), c^2 - a1 a2 = c ca2 + a2 ca1 (no cancellation).
 * For 1/B = I: I(k) = 1 + k I(k-1) / a (the Erlang B recursion inverted)
 * gives, for u(k) = -I(k)[.] / I(k)(a1) >= 0,
 *
 *     u(k) = k (a1 u(k-1) + 1) / (a2 (k + a1 B(k-1, a1))),   u(0) = 0,
 *
 * again positive terms only, run alongside B(k, a1) and B(k, a2) (the
 * forward recursion of erlang.c, stable for c = 1e5). Then Lq[.] =
 * Lq(a1) Lq(a2) (-(1/Lq)[.]), which with q = Lq / a = c B / ((c - a) E)
 * becomes three positive terms free of 1/B (no overflow when B underflows):
 *
 *     Lq[a1, a2] = a1 a2 q1 q2 / c + q1 (c ca2 + a2 ca1) / (ca2 E2) + a2 q2 u(c) ca1 / E1.
 *
 * Each operation rounds a positive quantity, so the relative error is a few
 * ulps per recursion step, as for Erlang C itself (~1e-11 at c = 1e5).
 * c = 1: Lq[a1, a2] = (a1 + a2 - a1 a2) / ((1 - a1)(1 - a2)), the classic
 * M/M/1 preemptive form. Once B(k, a2) underflows to 0 (then B(k, a1) has too,
 * since B rises with a) the result is below DBL_MIN: 0.
 */
static double lq_divided(unsigned long c, double a1, double a2, double ca1, double ca2)
{
    if (a2 == 0.0)
        return 0.0; /* Lq(a) = O(a^(c+1)): Lq'(0) = 0 */
    double b1 = 1.0, b2 = 1.0, u = 0.0;
    for (unsigned long k = 1; k <= c; k++) {
        double kd = (double)k;
        u = kd * fma(a1, u, 1.0) / (a2 * fma(a1, b1, kd));
        double x1 = a1 * b1 / kd, x2 = a2 * b2 / kd;
        b1 = x1 / (1.0 + x1);
        b2 = x2 / (1.0 + x2);
        if (b2 == 0.0)
            return 0.0;
    }
    double cd = (double)c;
    double e1 = ca1 + a1 * b1, e2 = ca2 + a2 * b2;
    double q1 = cd * b1 / (ca1 * e1), q2 = cd * b2 / (ca2 * e2);
    return a1 * a2 * q1 * q2 / cd + q1 * (cd * ca2 + a2 * ca1) / (ca2 * e2) +
           a2 * q2 * u * ca1 / e1;
}

int mmc_prio_mmc_pr(const struct mmc_prio_class *cls, size_t n, double mu, unsigned long c,
                    struct mmc_prio_result *out)
{
    if (!mmc_args_ok(cls, n, mu, c))
        return -1;
    double cd = (double)c;
    for (size_t k = 0; k < n; k++) {
        double lambda_hi, lambda_le;
        size_t n_hi;
        sum_rates(cls, n, cls[k].priority, &lambda_hi, &lambda_le, &n_hi);
        double p_wait = n_hi == 0 ? erlang_c_or_one(lambda_le, mu, c) : NAN;
        double d_hi = fma(cd, mu, -lambda_hi), d_le = fma(cd, mu, -lambda_le);
        if (!(d_le > 0.0)) {
            set_unstable(&out[k], p_wait);
            continue;
        }
        out[k].wq = lq_divided(c, lambda_hi / mu, lambda_le / mu, d_hi / mu, d_le / mu) / mu;
        out[k].w = out[k].wq + 1.0 / mu;
        out[k].p_wait = p_wait;
    }
    return 0;
}
