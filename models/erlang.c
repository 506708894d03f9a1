/*
 * erlang.c - closed forms of the M/M/c queue without factorials or powers,
 * and of M/M/c/K+M on the same Erlang B pass (its design is at its section).
 *
 * Design. Everything rests on one pass over k = 1..c of the Erlang B
 * recursion (Jagerman, "Some properties of the Erlang loss function", Bell
 * Syst. Tech. J. 53, 1974; Gross et al., Fundamentals of Queueing Theory,
 * 4th ed., 2008, Sec. 2.6):
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

/* B(c, a), 1 - B and log S_c from one pass of the recursion. */
struct erlang_pass {
    double b;
    double one_minus_b; /* 1 / (1 + x_c): no cancellation when B is near 1 */
    double log_s;
};

/* Kahan-compensated running sum; every sum here (log1p(x_k), the M/M/c/K+M
 * tail sums) has terms >= 0. */
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
    double b = 1.0, one_minus_b = 0.0;
    for (unsigned long k = 0; k < c && b > 0.0; k++) {
        double x = a * b / ((double)k + 1.0);
        b = x / (1.0 + x);
        one_minus_b = 1.0 / (1.0 + x);
        ksum_add(&log_s, log1p(x));
    }
    return (struct erlang_pass){b, one_minus_b, log_s.sum};
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

/*
 * ---- M/M/c/K+M ----
 *
 * States n = 0..K (K = c + m). For n <= c the weights are a^n/n!, which the
 * Erlang B pass gives relative to S_c: they sum to 1 - B below c and are B at
 * c. For n = c + j the ratio r_j = pi_{c+j}/pi_c = prod_{i<=j} lambda / D_i,
 * D_i = c mu + i theta. So every result is a ratio of two sums of the form
 * (1 - B) u + B sum_j r_j v_j with nonnegative u, v (Gross et al., Sec. 2.5
 * for M/M/c/K, Sec. 2.10 for impatience; Garnett, Mandelbaum and Reiman,
 * "Designing a call center with impatient customers", MSOM 4, 2002, for
 * M/M/c+M), e.g. Z = 1 + B sum_{j>=1} r_j and P0 = 1 / (S_c Z). No sum is
 * ever subtracted from another (1 - B comes from the recursion itself).
 *
 * A task admitted with j ahead leaves the queue at the end of V = sum_{k<=j}
 * Exp(D_k) (k ahead: service starts or one ahead abandons), independent of its
 * patience Exp(theta); so P(served | j) = E[e^-theta V] = c mu / D_{j+1}
 * (the product telescopes) and E[V 1{served} | j] = -d/ds E[e^-sV] at theta
 * = P(served | j) H_j, H_j = sum_{i=1}^{j+1} 1/D_i.
 *
 * theta = 0: r_j = rho^j, summed in closed form (geo_sums). rho > 1 (K finite)
 * is reflected, j -> m - j, and scaled by rho^m so that nothing overflows.
 * theta > 0: the ratios D_i decrease, so once lambda/D < 1 the rest of each sum
 * is bounded by its last term times a geometric series; summing stops when that
 * bound is below TAIL_EPS of every sum. Terms are rescaled by powers of two
 * (exact) once they pass 2^500. Each r_j carries ~3j roundings, so the error is
 * a few ulps times the number of significant terms.
 */

/* Past this many tail terms the sums are refused rather than left running. */
#define MAX_TERMS 1e8
/* The truncated rest of every tail sum is below this fraction of it. */
#define TAIL_EPS 1e-17

/* Inputs of mmc_erlang_loss and what follows from them. */
struct loss_in {
    double lambda, mu, theta, d;
    double c;   /* workers */
    double cmu; /* c mu, rounded once */
    double m;   /* K - c, the states beyond c; INFINITY when K is unlimited */
};

/* Sums over the tail j = 0..m of r_j = pi_{c+j}/pi_c, each divided by
 * e^log_scale; j < m are the states where an arrival is admitted. */
struct tail_sums {
    double log_scale;
    double t1;  /* sum_{1<=j<=m} r_j */
    double adm; /* sum_{j<m} r_j */
    double r_m; /* r_m, 0 when m is infinite */
    double q;   /* sum_{j<=m} j r_j = Lq / pi_c */
    double sv;  /* sum_{j<m} r_j P(served | j ahead) */
    double ab;  /* sum_{j<m} r_j P(abandon | j ahead) */
    double wv;  /* sum_{j<m} r_j E[wait 1{served} | j ahead], s */
};

/* sum_{j<m} e^-sj and sum_{1<=j<=m} j e^-sj for s > 0 and m >= 0 or infinite. */
struct geo {
    double g, qf;
};

/* sigma = e^-s and fs = 1 - e^-s are passed in, each accurate to an ulp. The
 * textbook sigma (1 - (m+1) sigma^m + m sigma^(m+1)) / fs^2 cancels when m s is
 * small; its numerator is regrouped as gamma2_cdf(m s) + m e^-ms (s - fs), two
 * terms >= 0, with s - fs = s expm1_ratio_complement(s). */
static struct geo geo_sums(double s, double sigma, double fs, double m)
{
    if (isinf(m))
        return (struct geo){1.0 / fs, sigma / (fs * fs)};
    double ms = m * s;
    double num = gamma2_cdf(ms) + m * exp(-ms) * s * expm1_ratio_complement(s);
    return (struct geo){-expm1(-ms) / fs, sigma * num / (fs * fs)};
}

/* theta = 0, rho < 1: r_j = sigma^j. */
static struct tail_sums geometric_below(const struct loss_in *in, double drain)
{
    double fs = drain / in->cmu; /* 1 - rho without cancellation */
    double sigma = in->lambda / in->cmu;
    /* log(rho) loses nothing for small rho; log1p(-fs) nothing near 1. */
    double s = sigma < 0.5 ? -log(sigma) : -log1p(-fs);
    struct geo g = geo_sums(s, sigma, fs, in->m);
    double r_m = isinf(in->m) ? 0.0 : exp(-in->m * s);
    return (struct tail_sums){0.0, sigma * g.g, g.g, r_m, g.qf, 0.0, 0.0, 0.0};
}

/* theta = 0, rho > 1, m >= 1 finite: with sigma = 1/rho, r_j / rho^m = sigma^(m-j), so
 * t1 = sum_{i<m} sigma^i, adm = sigma t1, q = sum_{i<m} (m - i) sigma^i. q's
 * difference m t1 - sum i sigma^i loses at most a bit: by Chebyshev's sum
 * inequality it is at least (m + 1) t1 / 2. */
static struct tail_sums geometric_above(const struct loss_in *in, double drain)
{
    double fs = -drain / in->lambda; /* 1 - 1/rho */
    double sigma = in->cmu / in->lambda;
    double s = log1p(-drain / in->cmu); /* log rho, > 0 */
    struct geo g = geo_sums(s, sigma, fs, in->m);
    struct geo g1 = geo_sums(s, sigma, fs, in->m - 1.0);
    double q = in->m * g.g - g1.qf;
    return (struct tail_sums){in->m * s, g.g, sigma * g.g, 1.0, q, 0.0, 0.0, 0.0};
}

/* theta = 0: every admitted task is served, and E[wait | j ahead] = (j+1)/(c mu),
 * whose sum is q / lambda (Little's law for the admitted stream). */
static struct tail_sums geometric_tail(const struct loss_in *in)
{
    struct tail_sums t = {0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0};
    double drain = fma(in->c, in->mu, -in->lambda); /* c mu - lambda, one rounding */
    if (in->m == 0.0)                               /* K = c: only r_0, the blocking state */
        return t;
    if (drain > 0.0)
        t = geometric_below(in, drain);
    else if (drain < 0.0)
        t = geometric_above(in, drain);
    else /* rho = 1 exactly (m finite here): r_j = 1 */
        t = (struct tail_sums){0.0, in->m, in->m, 1.0, in->m * (in->m + 1.0) / 2.0, 0.0, 0.0, 0.0};
    t.sv = t.adm;
    t.wv = t.q / in->lambda;
    return t;
}

/* The running sums of the theta > 0 tail, in the order of enum walk_sum. */
enum walk_sum { W_T1, W_ADM, W_Q, W_SV, W_AB, W_WV, W_N };

struct walk {
    double r;          /* r_j, divided by 2^scale_log2 */
    double scale_log2; /* integer-valued */
    struct ksum h;     /* H_j, s */
    struct ksum sum[W_N];
    double term[W_N]; /* the last terms added */
};

/* Adds the terms of state j; den = D_{j+1} = c mu + (j+1) theta. */
static void walk_add(struct walk *w, const struct loss_in *in, double j, double den)
{
    double r = w->r;
    bool admitted = j < in->m;
    double served = in->cmu / den; /* P(served | j ahead) */
    if (admitted)
        ksum_add(&w->h, 1.0 / den);
    w->term[W_T1] = j >= 1.0 ? r : 0.0;
    w->term[W_ADM] = admitted ? r : 0.0;
    w->term[W_Q] = j * r;
    w->term[W_SV] = admitted ? r * served : 0.0;
    w->term[W_AB] = admitted ? r * ((j + 1.0) * in->theta / den) : 0.0;
    w->term[W_WV] = admitted ? r * served * w->h.sum : 0.0;
    for (int i = 0; i < W_N; i++)
        ksum_add(&w->sum[i], w->term[i]);
}

/* Can the rest of every sum be dropped? The weights of the sums grow at most
 * like j, the ratios r_{i+1}/r_i = lambda / D_{i+1} fall, so with x the next
 * ratio (< 1) the rest is at most term x/(1-x) (1 + 1/(j (1-x))). */
static bool walk_converged(const struct walk *w, double j, double x)
{
    if (j < 1.0 || x >= 1.0)
        return false;
    double f = x / (1.0 - x) * (1.0 + 1.0 / (j * (1.0 - x)));
    for (int i = 0; i < W_N; i++)
        if (w->term[i] * f > TAIL_EPS * w->sum[i].sum)
            return false;
    return true;
}

/* Divides r and the sums by 2^ilogb(r); powers of two keep them exact. */
static void walk_rescale(struct walk *w)
{
    int e = ilogb(w->r);
    w->r = ldexp(w->r, -e);
    w->scale_log2 += e;
    for (int i = 0; i < W_N; i++) {
        w->sum[i].sum = ldexp(w->sum[i].sum, -e);
        w->sum[i].comp = ldexp(w->sum[i].comp, -e);
    }
}

/* Multiplies r on from state j to state m without summing (the sums have
 * converged), so that pi_K keeps its relative accuracy down to underflow.
 * With m infinite there is no blocking state: r_m = 0. */
static int walk_to_end(struct walk *w, const struct loss_in *in, double j)
{
    if (isinf(in->m))
        w->r = 0.0;
    for (; j < in->m && w->r > 0.0; j += 1.0) {
        if (j >= MAX_TERMS)
            return -1;
        w->r *= in->lambda / fma(j + 1.0, in->theta, in->cmu);
    }
    return 0;
}

/* Steps j = 0, 1, ... until j = m or the sums have converged; -1 past
 * MAX_TERMS or on overflow. Leaves w->r = r_m (0 when m is infinite). */
static int walk_run(struct walk *w, const struct loss_in *in)
{
    for (double j = 0.0;; j += 1.0) {
        if (j >= MAX_TERMS)
            return -1;
        double den = fma(j + 1.0, in->theta, in->cmu);
        walk_add(w, in, j, den);
        if (j == in->m)
            return 0;
        double x = in->lambda / den;
        bool done = walk_converged(w, j, x);
        w->r *= x;
        if (done)
            return walk_to_end(w, in, j + 1.0);
        if (!isfinite(w->r))
            return -1;
        if (w->r > 0x1p500) /* well before a step could overflow */
            walk_rescale(w);
    }
}

/* theta > 0: the tail summed term by term. */
static int abandon_tail(const struct loss_in *in, struct tail_sums *t)
{
    /* The terms grow until D_j passes lambda; refuse at once if that is too far. */
    if ((in->lambda - in->cmu) / in->theta > MAX_TERMS && in->m > MAX_TERMS)
        return -1;
    struct walk w = {.r = 1.0};
    if (walk_run(&w, in) != 0)
        return -1;
    const double ln2 = 0.693147180559945309417;
    *t = (struct tail_sums){w.scale_log2 * ln2, w.sum[W_T1].sum, w.sum[W_ADM].sum, w.r,
                            w.sum[W_Q].sum,     w.sum[W_SV].sum, w.sum[W_AB].sum,  w.sum[W_WV].sum};
    return 0;
}

/* The weights of the S_c block and of the tail sums, both divided by
 * e^log_norm = max(1, B e^log_scale) so that neither overflows. */
struct loss_weights {
    double head, tail, log_norm;
};

static struct loss_weights loss_weights(double b, double log_scale)
{
    if (log_scale == 0.0) /* B itself: exact, and B may underflow harmlessly */
        return (struct loss_weights){1.0, b, 0.0};
    double h = log(b) + log_scale; /* b > 0: rho > 1 or lambda > c mu here */
    if (h <= 0.0)
        return (struct loss_weights){1.0, exp(h), 0.0};
    return (struct loss_weights){exp(-h), 1.0, h};
}

/* Fills out (but rho) from the Erlang B pass and the tail sums. */
static void set_loss(struct mmc_erlang_loss *out, const struct loss_in *in, struct erlang_pass p,
                     const struct tail_sums *t)
{
    struct loss_weights wt = loss_weights(p.b, t->log_scale);
    double z = wt.head + wt.tail * t->t1; /* Z = 1 + B sum_{j>=1} r_j, over e^log_norm */
    double log_z = wt.log_norm == 0.0 ? log1p(wt.tail * t->t1) : wt.log_norm + log(z);
    double admitted = wt.head * p.one_minus_b + wt.tail * t->adm; /* (1 - p_block) Z */
    double served = wt.head * p.one_minus_b + wt.tail * t->sv;    /* P(served) Z */

    out->stable = true;
    out->p_block = wt.tail * t->r_m / z;
    out->p_abandon = wt.tail * t->ab / z;
    out->p_wait = wt.tail * t->adm / admitted;
    out->lq = wt.tail * t->q / z;
    out->throughput = in->lambda * (served / z);
    out->l = out->lq + out->throughput / in->mu;
    /* In overload util is 1 - (a tiny P(idle worker)); keep rounding from passing 1. */
    out->util = fmin(out->throughput / in->cmu, 1.0);
    out->wq = wt.tail * t->wv / served;
    out->wq_all = wt.tail * t->q / (in->lambda * admitted);
    out->w = out->wq + 1.0 / in->mu;
    out->t = in->d + out->w;
    out->log_p0 = -(p.log_s + log_z);
    out->p0 = exp(out->log_p0);
}

static void set_loss_unstable(struct mmc_erlang_loss *out, double rho)
{
    out->stable = false;
    out->rho = rho;
    out->p_block = out->p_abandon = out->p_wait = NAN;
    out->lq = out->l = out->wq = out->wq_all = out->w = out->t = NAN;
    out->throughput = out->util = out->p0 = out->log_p0 = NAN;
}

static bool loss_args_ok(double lambda, double mu, unsigned long c, unsigned long k, double theta,
                         double d)
{
    return args_ok(lambda, mu, c, d) && (k == 0 || k >= c) && isfinite(theta) && theta >= 0.0;
}

/* a = lambda/mu, c mu and rho must be finite and nonzero for the sums. */
static bool loss_in_ok(const struct loss_in *in)
{
    double a = in->lambda / in->mu, rho = in->lambda / in->cmu;
    return isfinite(in->cmu) && isfinite(a) && isfinite(rho) && a > 0.0 && rho > 0.0;
}

int mmc_erlang_loss(double lambda, double mu, unsigned long c, unsigned long k, double theta,
                    double d, struct mmc_erlang_loss *out)
{
    if (!loss_args_ok(lambda, mu, c, k, theta, d))
        return -1;
    double cd = (double)c;
    struct loss_in in = {lambda, mu, theta, d, cd, cd * mu, k == 0 ? INFINITY : (double)(k - c)};
    if (!loss_in_ok(&in))
        return -1;
    if (k == 0 && theta == 0.0 && !(drain_rate(lambda, mu, cd) > 0.0)) {
        set_loss_unstable(out, lambda / in.cmu);
        return 0;
    }
    struct tail_sums t;
    if (theta == 0.0)
        t = geometric_tail(&in);
    else if (abandon_tail(&in, &t) != 0)
        return -1;
    out->rho = lambda / in.cmu;
    set_loss(out, &in, erlang_recurse(c, lambda / mu), &t);
    return 0;
}
