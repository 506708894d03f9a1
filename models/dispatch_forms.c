/*
 * dispatch_forms.c - E_k/M/1 (round-robin dispatch) and the mean-field
 * supermarket model (power-of-d dispatch).
 *
 * 1. E_k/M/1 (GI/M/1 with Erlang-k gaps of mean 1/rate; Kleinrock,
 * Queueing Systems Vol. 1, 1975, Sec. 6.4; Gross et al., Fundamentals of
 * Queueing Theory, 4th ed., 2008, Sec. 6.3). An arrival finds n tasks with
 * probability (1 - sigma) sigma^n, where sigma is the root in (0, 1) of
 *
 *     sigma = A*(mu (1 - sigma)),   A*(s) = (1 + s / (k rate))^-k,
 *
 * which exists iff rho = rate / mu < 1 (sigma = 1 is always a root). Then
 * P(wait) = sigma, P(Wq > t) = sigma e^(-theta t) and W ~ Exp(theta) with
 * theta = mu (1 - sigma); Lq and L follow by Little.
 *
 * Method. In x = 1 - sigma the equation is g(x) = 1 - x - A(x) = 0 with
 * A(x) = (1 + u)^-k, u = x r / k, r = mu / rate = 1 / rho, evaluated as
 * exp(-k log1p(u)) so k = 1e6 (or ULONG_MAX) costs nothing. A is convex, so
 * g is concave with g(0) = 0 and g(1) = -A(1) < 0: the only root in (0, 1]
 * is x*, g > 0 left of it and g < 0 right of it. Newton started on the far
 * side of the root of a concave function moves monotonically towards it
 * (the tangent lies above the curve), so no bracketing is needed; a step
 * that no longer moves forward means rounding noise and ends the iteration.
 * Two regimes, so that the small one of sigma and 1 - sigma keeps its
 * relative accuracy:
 *
 *   rho > 1/2 (x* may be as small as ~1e-16): Newton on g from x = 1. The
 *   textbook form 1 - x - A(x) subtracts numbers near 1 when x is small;
 *   instead, with delta = (mu - rate) / rate = r - 1 (mu - rate exact by
 *   Sterbenz) and y = k log1p(u), so that A = e^-y and k u = x r,
 *
 *       g(x) = x delta - [E(y) + k G(u)],
 *       E(y) = e^-y - 1 + y >= 0,   G(u) = u - log1p(u) >= 0,
 *
 *   where E and G are evaluated by series of positive terms for small
 *   arguments (expm1_gap, log1p_gap). The bracket is a sum of two
 *   nonnegative terms ~ x^2, so the one subtraction left is the root's own:
 *   x* comes out with a few ulps of relative error even at rho = 1 - 1e-15,
 *   and sigma = 1 - x* >= 0.2 (the D/M/1 value at rho = 1/2).
 *
 *   rho <= 1/2 (sigma <= rho may be tiny): Newton on F(s) = s - A(1 - s)
 *   from s = 0. F is concave too (A convex), F(0) < 0 and F' > 0 up to the
 *   root, so the iterates increase monotonically to sigma, with full
 *   relative accuracy in sigma; 1 - sigma >= 1/2 is then exact to an ulp.
 *
 * Newton converges quadratically near the root; from x = 1 towards a tiny x*
 * it first halves x per step (g ~ -x^2/2 there), so rho = 1 - 2^-53 takes
 * ~60 steps. k = 1 is M/M/1 in closed form (sigma = rate / mu).
 *
 * 2. Supermarket model (Vvedenskaya, Dobrushin, Karpelevich, Probl. Inf.
 * Transm. 32, 1996; Mitzenmacher, IEEE TPDS 12(10), 2001). Each arrival
 * joins the shortest of d queues sampled uniformly (with replacement). As
 * c -> infinity the fraction of queues with at least j tasks tends to
 *
 *     s_j = rho^(e_j),   e_j = (d^j - 1) / (d - 1) = 1 + d + ... + d^(j-1),
 *
 * (d = 1: e_j = j, M/M/1). An APPROXIMATION for finite c: the fixed point
 * of the mean-field ODE, which assumes the queues independent. Since s_1 =
 * rho is the busy fraction, Lq = sum_{j >= 2} s_j = rho q with
 * q = sum_{j >= 2} rho^(d e_{j-1}) (e_j - 1 = d e_{j-1}); we sum q, whose
 * terms are positive, and derive L = rho (1 + q), Wq = Lq / (rho mu) = q / mu
 * and W = (1 + q) / mu, so neither W - 1/mu nor L - rho is ever formed. The
 * exponents d e_j are exact integers in doubles until they pass 2^53, by
 * which time the terms are far below an ulp of the sum. For d >= 2 the terms
 * fall doubly exponentially (s_{j+1} = rho s_j^d <= s_j^2), so the sum stops
 * after the first term below DBL_EPSILON/4 of it: at most ~60 terms, even at
 * rho = 1 - 2^-53. Each term has relative error ~|d e_j log rho| ulps, which
 * is large only for terms too small to matter: a few ulps overall.
 *
 * Pure functions; no state outside the caller's struct; thread-safe.
 */
#include "dispatch_forms.h"

#include <float.h>
#include <math.h>

/* More than any convergent run needs (~60 steps at rho = 1 - 2^-53). */
#define NEWTON_MAX 200
/* More than the ~60 supermarket terms at rho = 1 - 2^-53, d = 2. */
#define TERMS_MAX 200

/* G(u) = u - log1p(u) >= 0 for u >= 0. Below 1, with z = u / (2 + u),
 * log1p(u) = 2 atanh(z) = 2 (z + z^3/3 + ...) and u - 2z = u z, so
 * G = u z - 2 sum_{n odd >= 3} z^n / n, the sum at most 1/13 of u z
 * (z <= 1/3): no cancellation. Above 1, log1p(u) <= u ln 2: < 2 bits lost. */
static double log1p_gap(double u)
{
    if (u >= 1.0)
        return u - log1p(u);
    double z = u / (2.0 + u), z2 = z * z, term = z * z2, sum = 0.0;
    for (int n = 3; term > DBL_EPSILON / 4.0 * sum; n += 2) {
        sum += term / n;
        term *= z2;
    }
    return u * z - 2.0 * sum;
}

/* E(y) = e^-y - 1 + y >= 0 for y >= 0. Below 1 it is
 * e^-y sum_{m >= 2} (m - 1) y^m / m!, all terms positive; above 1,
 * y + expm1(-y) >= 0.36 y loses < 2 bits. */
static double expm1_gap(double y)
{
    if (y >= 1.0)
        return y + expm1(-y);
    double t = y * y / 2.0, sum = 0.0; /* t = y^m / m!, from m = 2 */
    for (int m = 2; (m - 1) * t > DBL_EPSILON / 4.0 * sum; m++) {
        sum += (m - 1) * t;
        t *= y / (m + 1);
    }
    return exp(-y) * sum;
}

/* The gap law in the units of x = 1 - sigma. */
struct ek {
    double k;     /* Erlang shape */
    double r;     /* mu / rate = 1 / rho */
    double delta; /* (mu - rate) / rate = r - 1, without cancellation */
};

/* The root and its complement, each to full relative accuracy. */
struct gim1_root {
    double sigma;
    double x; /* 1 - sigma */
};

/* rho > 1/2: Newton on g(x) = x delta - E(y) - k G(u) from x = 1 downwards.
 * g' = -1 + r A / (1 + u) = delta - r (u - expm1(-y)) / (1 + u), whose two
 * terms are both positive; g' < 0 right of the root. */
static double solve_x(const struct ek *e)
{
    double x = 1.0;
    for (int i = 0; i < NEWTON_MAX; i++) {
        double u = x * e->r / e->k, y = e->k * log1p(u);
        double g = x * e->delta - (expm1_gap(y) + e->k * log1p_gap(u));
        double dg = e->delta - e->r * (u - expm1(-y)) / (1.0 + u);
        double next = x - g / dg;
        if (!(next < x)) /* at the root within rounding (or NaN): keep x */
            break;
        bool done = x - next <= DBL_EPSILON / 2.0 * next;
        x = next;
        if (done)
            break;
    }
    return x;
}

/* rho <= 1/2: Newton on F(s) = s - A(1 - s) from s = 0 upwards;
 * F' = 1 - r A / (1 + u) > 0 left of the root. A(1) below DBL_MIN (then
 * sigma is too) gives F(0) = 0 and s = 0 at once. */
static double solve_sigma(const struct ek *e)
{
    double s = 0.0;
    for (int i = 0; i < NEWTON_MAX; i++) {
        double u = (1.0 - s) * e->r / e->k;
        double a = exp(-e->k * log1p(u));
        double next = s - (s - a) / (1.0 - a * e->r / (1.0 + u));
        if (!(next > s)) /* at the root within rounding (or NaN): keep s */
            break;
        bool done = next - s <= DBL_EPSILON / 2.0 * next;
        s = next;
        if (done)
            break;
    }
    return s;
}

/* sigma and 1 - sigma for 0 < rate < mu, k >= 1. */
static struct gim1_root gim1_root(unsigned long k, double rate, double mu)
{
    if (k == 1) /* M/M/1: sigma = rho exactly */
        return (struct gim1_root){rate / mu, (mu - rate) / mu};
    struct ek e = {(double)k, mu / rate, (mu - rate) / rate};
    if (e.delta < 1.0) {
        double x = solve_x(&e);
        return (struct gim1_root){1.0 - x, x};
    }
    /* r may be inf (mu / rate overflows): then u = inf, A = 0 and s = 0,
     * right since sigma <= A(1/2) <= 1 / (1 + r/2) < DBL_MIN. */
    double s = solve_sigma(&e);
    return (struct gim1_root){s, 1.0 - s};
}

int mmc_gim1_erlang(unsigned long k, double rate, double mu, struct mmc_gim1 *out)
{
    if (k < 1 || !(isfinite(rate) && rate > 0.0 && isfinite(mu) && mu > 0.0))
        return -1;
    out->k = (double)k;
    out->rate = rate;
    out->mu = mu;
    out->rho = rate / mu;
    if (!(rate < mu)) {
        out->stable = false;
        out->sigma = out->one_minus_sigma = out->p_wait = NAN;
        out->wq = out->w = out->lq = out->l = NAN;
        return 0;
    }
    struct gim1_root root = gim1_root(k, rate, mu);
    double theta = mu * root.x; /* decay rate of the wait tail, rate of W */
    out->stable = true;
    out->sigma = root.sigma;
    out->one_minus_sigma = root.x;
    out->p_wait = root.sigma;
    out->wq = root.sigma / theta;
    out->w = 1.0 / theta;
    out->lq = rate * out->wq;
    out->l = rate * out->w;
    return 0;
}

double mmc_gim1_wait_tail(const struct mmc_gim1 *g, double t)
{
    if (!g->stable || isnan(t))
        return NAN;
    if (t < 0.0)
        return 1.0;
    return g->sigma * exp(-g->mu * g->one_minus_sigma * t);
}

double mmc_gim1_wait_quantile(const struct mmc_gim1 *g, double p)
{
    if (!g->stable || !(p >= 0.0 && p < 1.0))
        return NAN;
    if (p <= g->one_minus_sigma) /* inside the atom at 0 */
        return 0.0;
    /* Just above the atom, rounding could make the log slightly negative. */
    double t = log(g->sigma / (1.0 - p)) / (g->mu * g->one_minus_sigma);
    return t > 0.0 ? t : 0.0;
}

double mmc_gim1_sojourn_tail(const struct mmc_gim1 *g, double t)
{
    if (!g->stable || isnan(t))
        return NAN;
    if (t < 0.0)
        return 1.0;
    return exp(-g->mu * g->one_minus_sigma * t);
}

double mmc_gim1_sojourn_quantile(const struct mmc_gim1 *g, double p)
{
    if (!g->stable || !(p >= 0.0 && p < 1.0))
        return NAN;
    return -log1p(-p) / (g->mu * g->one_minus_sigma);
}

/* q = sum_{j >= 2} rho^(d e_{j-1}) = Lq / rho for 0 < rho < 1, whole d >= 2. */
static double supermarket_q(double rho, double d)
{
    double log_rho = log(rho), e = 1.0, sum = 0.0; /* e = e_{j-1} */
    for (int j = 2; j < TERMS_MAX; j++) {
        double term = exp(d * e * log_rho);
        sum += term;
        if (term <= DBL_EPSILON / 4.0 * sum) /* the rest is below term^2 */
            break;
        e = 1.0 + d * e;
    }
    return sum;
}

int mmc_supermarket(double rho, double d, double mu, struct mmc_supermarket *out)
{
    if (!(isfinite(rho) && rho > 0.0 && isfinite(d) && d >= 1.0 && d == floor(d) && isfinite(mu) &&
          mu > 0.0))
        return -1;
    out->rho = rho;
    out->d = d;
    out->mu = mu;
    if (!(rho < 1.0)) {
        out->stable = false;
        out->p_wait = out->l = out->lq = out->w = out->wq = NAN;
        return 0;
    }
    /* d = 1 is M/M/1: q = rho / (1 - rho), 1 - rho exact for rho >= 1/2. */
    double q = d == 1.0 ? rho / (1.0 - rho) : supermarket_q(rho, d);
    out->stable = true;
    out->p_wait = pow(rho, d);
    out->lq = rho * q;
    out->l = rho * (1.0 + q);
    out->wq = q / mu;
    out->w = (1.0 + q) / mu;
    return 0;
}

double mmc_supermarket_at_least(const struct mmc_supermarket *s, unsigned long j)
{
    if (!s->stable)
        return NAN;
    if (s->d == 1.0)
        return pow(s->rho, (double)j);
    /* e_j by e_i = 1 + d e_{i-1}; once e |log rho| passes 1e4 the result is 0,
     * so a huge j stops early (e grows at least twofold per step). */
    double log_rho = log(s->rho), e = 0.0;
    for (unsigned long i = 0; i < j && e * -log_rho <= 1e4; i++)
        e = 1.0 + s->d * e;
    return exp(e * log_rho);
}
