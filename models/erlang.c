/*
 * erlang.c - closed forms of the M/M/c queue without factorials or powers.
 *
 * Design. Everything rests on one pass over k = 1..c of the Erlang B
 * recursion (Jagerman, "Some properties of the Erlang loss function", Bell
 * Syst. Tech. J. 53, 1974; Gross et al., Fundamentals of Queueing Theory,
 * 4th ed., 2008, Sec. 2.5):
 *
 *     x_k = a B(k-1) / k,   B(k) = x_k / (1 + x_k),   B(0) = 1.
 *
 * With S_k = sum_{n<=k} a^n/n!, the same x_k is the ratio (a^k/k!)/S_{k-1},
 * so S_k = S_{k-1} (1 + x_k) and log S_c = sum log1p(x_k). Each term is
 * positive and has a relative error of a few ulps; the sum is compensated,
 * so log S_c (and log P0) keep ~1e-15 relative accuracy for c = 1e5. We sum
 * log1p(x_k) rather than -log1p(-B(k)) because 1 - B(k) cancels when B(k)
 * is near 1 (small k, large a), while 1 + x_k never does.
 *
 * The recursion damps errors: d log B(k) / d log B(k-1) = 1 - B(k) <= 1, so
 * after c steps the relative error is at most a few c ulps (~1e-11 for
 * c = 1e5). Nothing overflows: 0 <= x_k <= a and 0 <= B(k) <= 1. When B(k)
 * underflows to 0 it stays 0 and every later log1p term is 0, so the loop
 * stops early; results that are below DBL_MIN in exact arithmetic come out
 * as 0 or as subnormals without relative accuracy (log_p0 stays accurate).
 *
 * Then, for rho = a/c < 1 (Kleinrock, Queueing Systems Vol. 1, 1975,
 * Sec. 3.5 and 3.7; Gross et al. Sec. 2.3):
 *
 *     C    = B / (1 - rho (1 - B)) = B / ((1 - rho) + rho B)
 *     Lq   = C rho / (1 - rho),  Wq = C / (c mu - lambda)
 *     1/P0 = S_{c-1} + (a^c/c!) / (1 - rho) = S_c (1 + B rho / (1 - rho))
 *
 * Invariant: theta = c mu - lambda is computed with one rounding (fma), and
 * 1 - rho is derived from it, so near saturation (rho = 0.9999) neither
 * loses digits to cancellation. Stability is decided on theta > 0, the exact
 * test lambda < c mu; rho itself may round to 1.0 just below saturation.
 *
 * Distributions (FCFS; Gross et al. Sec. 2.3): Wq has an atom 1 - C at 0
 * and P(Wq > t) = C exp(-theta t). W = Wq + S, S ~ Exp(mu) independent, so
 * W is a mixture: Exp(mu) with weight 1 - C, Exp(theta) + Exp(mu) (a
 * hypoexponential) with weight C. Its tail and CDF are written as sums of
 * nonnegative terms (see hypo_tail, hypo_cdf) so that neither cancels, not
 * even when theta is within 1e-9 of mu or t is tiny.
 *
 * Pure functions; no state outside the caller's struct; thread-safe.
 */
#include "erlang.h"

#include <float.h>
#include <math.h>

/* B(c, a) and log S_c from one pass of the recursion. */
struct erlang_pass {
    double b;
    double log_s;
};

/* Kahan-compensated running sum; the terms log1p(x_k) are all >= 0. */
struct ksum {
    double sum;
    double comp;
};

static void ksum_add(struct ksum *k, double x)
{
    double y = x - k->comp;
    double t = k->sum + y;
    k->comp = (t - k->sum) - y;
    k->sum = t;
}

/* One pass of the recursion for finite a >= 0. The loop counts up to c
 * without ever forming c + 1, so c = ULONG_MAX cannot wrap. */
static struct erlang_pass erlang_recurse(unsigned long c, double a)
{
    struct ksum log_s = {0.0, 0.0};
    double b = 1.0;
    for (unsigned long k = 0; k < c && b > 0.0; k++) {
        double x = a * b / ((double)k + 1.0);
        b = x / (1.0 + x);
        ksum_add(&log_s, log1p(x));
    }
    return (struct erlang_pass){b, log_s.sum};
}

double mmc_erlang_b(unsigned long c, double a)
{
    if (!(a >= 0.0))
        return NAN;
    if (isinf(a)) /* x_k = inf; the limit of B is 1 */
        return 1.0;
    return erlang_recurse(c, a).b;
}

/* Erlang C from B; both terms of the denominator are >= 0, so no cancellation. */
static double erlang_c_from_b(double b, double rho, double one_minus_rho)
{
    return b / (one_minus_rho + rho * b);
}

double mmc_erlang_c(unsigned long c, double a)
{
    double cd = (double)c;
    if (!(a >= 0.0 && a < cd))
        return NAN;
    /* c - a is exact when a >= c/2 (Sterbenz), the range where it matters. */
    return erlang_c_from_b(erlang_recurse(c, a).b, a / cd, (cd - a) / cd);
}

static bool args_ok(double lambda, double mu, unsigned long c, double d)
{
    return isfinite(lambda) && lambda > 0.0 && isfinite(mu) && mu > 0.0 && c >= 1 && isfinite(d) &&
           d >= 0.0;
}

/* c mu - lambda rounded once; the queue drains at this rate (Wq's decay). */
static double drain_rate(double lambda, double mu, double c)
{
    return fma(c, mu, -lambda);
}

/* Only a, rho and B have meaning at or beyond saturation; a may be inf. */
static void set_unstable(struct mmc_erlang *e, unsigned long c)
{
    e->stable = false;
    e->erlang_b = mmc_erlang_b(c, e->a);
    e->p0 = e->log_p0 = e->p_wait = NAN;
    e->lq = e->l = e->wq = e->w = e->t = e->throughput = NAN;
}

/* Fills everything but the inputs, a and rho; requires theta > 0. */
static void set_stable(struct mmc_erlang *e, unsigned long c, double theta)
{
    struct erlang_pass pass = erlang_recurse(c, e->a);
    double one_minus_rho = theta / (e->c * e->mu);
    double c_wait = erlang_c_from_b(pass.b, e->rho, one_minus_rho);

    e->stable = true;
    e->erlang_b = pass.b;
    e->log_p0 = -(pass.log_s + log1p(pass.b * e->rho / one_minus_rho));
    e->p0 = exp(e->log_p0);
    e->p_wait = c_wait;
    e->lq = c_wait * e->rho / one_minus_rho;
    e->l = e->lq + e->a;
    e->wq = c_wait / theta;
    e->w = e->wq + 1.0 / e->mu;
    e->t = e->d + e->w;
    e->throughput = e->lambda;
}

int mmc_erlang_mmc(double lambda, double mu, unsigned long c, double d, struct mmc_erlang *out)
{
    if (!args_ok(lambda, mu, c, d))
        return -1;
    out->lambda = lambda;
    out->mu = mu;
    out->c = (double)c;
    out->d = d;
    out->a = lambda / mu;
    out->rho = out->a / out->c;
    double theta = drain_rate(lambda, mu, out->c);
    if (theta > 0.0) /* then a < c: finite */
        set_stable(out, c, theta);
    else
        set_unstable(out, c);
    return 0;
}

/*
 * P(Wq = 0) = 1 - C. Near saturation with small c, C is close to 1 and
 * 1.0 - C would keep only the digits C has beyond its leading 9s (M/M/1 at
 * rho = 1 - 1e-6: ~1e-10 relative). From C = B / ((1 - rho) + rho B):
 *     1 - C = (1 - rho)(1 - B) / ((1 - rho) + rho B),
 * all positive; 1 - B does not cancel since B(c, a) <= 1/2 for a <= c.
 */
static double no_wait_prob(const struct mmc_erlang *e)
{
    double one_minus_rho = drain_rate(e->lambda, e->mu, e->c) / (e->c * e->mu);
    double b = e->erlang_b;
    return one_minus_rho * (1.0 - b) / (one_minus_rho + e->rho * b);
}

double mmc_erlang_wait_tail(const struct mmc_erlang *e, double t)
{
    if (!e->stable)
        return NAN;
    if (t < 0.0)
        return 1.0;
    return e->p_wait * exp(-drain_rate(e->lambda, e->mu, e->c) * t);
}

double mmc_erlang_wait_quantile(const struct mmc_erlang *e, double p)
{
    if (!e->stable || !(p >= 0.0 && p < 1.0))
        return NAN;
    if (p <= no_wait_prob(e))
        return 0.0;
    /* Just above the atom, rounding could make the log slightly negative. */
    double t = log(e->p_wait / (1.0 - p)) / drain_rate(e->lambda, e->mu, e->c);
    return t > 0.0 ? t : 0.0;
}

/* (1 - e^-y) / y = integral_0^1 e^-yu du: 1 at y = 0, -> 0 as y -> inf. */
static double expm1_ratio(double y)
{
    if (y < DBL_EPSILON) /* 1 - y/2 + ... rounds to 1; also avoids 0/0 */
        return 1.0;
    return -expm1(-y) / y;
}

/* 1 - e^-x (1 + x) = P(Gamma(2, 1) <= x). Below 1 it is e^-x sum_{n>=2} x^n/n!,
 * whose terms are all positive; above 1 the subtraction loses < 2 bits. */
static double gamma2_cdf(double x)
{
    if (x >= 1.0)
        return 1.0 - exp(-x) * (1.0 + x);
    double term = x * x / 2.0, sum = 0.0;
    for (int n = 3; term > DBL_EPSILON * sum / 4.0; n++) {
        sum += term;
        term *= x / n;
    }
    return exp(-x) * sum;
}

/* 1 - expm1_ratio(y) = (y - 1 + e^-y) / y. Below 1 it is
 * e^-y sum_{m>=2} (m-1) y^(m-1) / m!, all terms positive; above 1 the
 * subtraction loses < 2 bits. */
static double expm1_ratio_complement(double y)
{
    if (y >= 1.0)
        return (y + expm1(-y)) / y;
    double u = y / 2.0, sum = 0.0; /* u = y^(m-1)/m!, from m = 2 */
    for (int m = 2; (m - 1) * u > DBL_EPSILON * sum / 4.0; m++) {
        sum += (m - 1) * u;
        u *= y / (m + 1);
    }
    return exp(-y) * sum;
}

/* The two rates of W's hypoexponential part: slow = min, gap = max - min >= 0. */
struct hypo {
    double slow;
    double gap;
};

static struct hypo hypo_rates(const struct mmc_erlang *e)
{
    double theta = drain_rate(e->lambda, e->mu, e->c);
    /* mu - theta = lambda - (c - 1) mu, again with a single rounding */
    double delta = fma(1.0 - e->c, e->mu, e->lambda);
    if (delta >= 0.0)
        return (struct hypo){theta, delta};
    return (struct hypo){e->mu, -delta};
}

/*
 * P(X + Y > t), X ~ Exp(s), Y ~ Exp(f), s <= f, g = f - s. The textbook form
 * (f e^-st - s e^-ft)/(f - s) cancels as g -> 0; rearranged it is
 *     e^-st (1 + s t (1 - e^-gt)/(gt)),
 * all terms positive, and (1 + s t) e^-st at g = 0.
 */
static double hypo_tail(struct hypo h, double t)
{
    double x = h.slow * t;
    double e = exp(-x);
    if (e == 0.0) /* also keeps 0 * inf out when s t overflows */
        return 0.0;
    return e * (1.0 + x * expm1_ratio(h.gap * t));
}

/* P(X + Y <= t) = 1 - hypo_tail, regrouped as
 * gamma2_cdf(s t) + s t e^-st (1 - expm1_ratio(g t)), both terms >= 0. */
static double hypo_cdf(struct hypo h, double t)
{
    double x = h.slow * t;
    return gamma2_cdf(x) + x * exp(-x) * expm1_ratio_complement(h.gap * t);
}

/* P(W > t) for finite t >= 0. */
static double sojourn_tail(const struct mmc_erlang *e, double t)
{
    double service = no_wait_prob(e) * exp(-e->mu * t);
    return service + e->p_wait * hypo_tail(hypo_rates(e), t);
}

/* P(W <= t) for finite t >= 0, accurate also where it is tiny. */
static double sojourn_cdf(const struct mmc_erlang *e, double t)
{
    double service = no_wait_prob(e) * -expm1(-e->mu * t);
    return service + e->p_wait * hypo_cdf(hypo_rates(e), t);
}

double mmc_erlang_sojourn_tail(const struct mmc_erlang *e, double t)
{
    if (!e->stable || isnan(t))
        return NAN;
    if (t < 0.0)
        return 1.0;
    if (isinf(t))
        return 0.0;
    return sojourn_tail(e, t);
}

/* Is P(W <= t) < p? Asks the CDF for small p and the tail for large p so
 * that the side compared is the one known to full relative accuracy. */
static bool below_quantile(const struct mmc_erlang *e, double t, double p)
{
    if (isinf(t))
        return false;
    if (p < 0.5)
        return sojourn_cdf(e, t) < p;
    return sojourn_tail(e, t) > 1.0 - p;
}

double mmc_erlang_sojourn_quantile(const struct mmc_erlang *e, double p)
{
    if (!e->stable || !(p >= 0.0 && p < 1.0))
        return NAN;
    if (p == 0.0)
        return 0.0;
    /* Bracket [lo, hi] by doubling from the mean; the CDF is continuous and
     * strictly increasing, so bisection then converges to the one root. */
    double lo = 0.0, hi = e->w;
    while (below_quantile(e, hi, p)) {
        lo = hi;
        hi *= 2.0;
    }
    /* Width 1e-14 hi leaves margin under the promised 1e-12; the second test
     * stops once lo and hi are adjacent doubles. */
    for (;;) {
        double mid = lo + (hi - lo) / 2.0;
        if (hi - lo <= 1e-14 * hi || mid <= lo || mid >= hi)
            return mid;
        if (below_quantile(e, mid, p))
            lo = mid;
        else
            hi = mid;
    }
}
