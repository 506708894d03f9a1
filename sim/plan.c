/*
 * plan.c - SLO terms and the M/M/c capacity plan (see plan.h).
 *
 * Parser. A hand-written scanner over the term, one position (0-based,
 * reported 1-based) and one error per term: the first thing that does not
 * fit the grammar is named with its column, what was expected and what was
 * found, so that `--slo 'T.p98<=0.1'` says "column 3: expected a statistic".
 *
 * Search. For fixed lambda, mu and d every M/M/c figure the terms name is
 * nonincreasing in c over the stable counts c > lambda/mu: Erlang C
 * decreases in c for a fixed offered load (Gross et al., Fundamentals of
 * Queueing Theory, 4th ed., 2008, Sec. 2.3), the drain rate c mu - lambda
 * grows, so P(Wq > t) = C e^-(c mu - lambda) t falls for every t and with it
 * every quantile of Wq, of W = Wq + S (S independent of c) and of T = d + W;
 * utilization lambda/(c mu) falls; the loss fractions are 0. Meeting every
 * term is therefore monotone in c, and so is failing one: the smallest count
 * is found by doubling steps from the smallest stable count, then bisection,
 * O(log(c - lambda/mu)) evaluations. The same figures are nondecreasing in
 * lambda for fixed c (Erlang C increases with the offered load), which makes
 * the headroom a bisection on lambda. Unstable counts meet nothing: there is
 * no steady state to measure.
 *
 * Each evaluation is one Erlang B pass, O(c) (models/erlang.c), so a plan at
 * c = 1e5 is a few dozen milliseconds.
 */
#include "plan.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statistics of T, W and Wq, in enum mmc_metric's percentile order after the mean. */
static const struct {
    const char *name;
    double level;
} stats[] = {{"mean", 0.0}, {"p50", 0.50}, {"p90", 0.90},
             {"p95", 0.95}, {"p99", 0.99}, {"p99.9", 0.999}};
#define N_STATS (sizeof stats / sizeof stats[0])

/* The metrics named by a word (P(Wq>t) has its own syntax). */
static const struct {
    const char *name;
    enum mmc_slo_kind kind;
    enum mmc_metric metric; /* of the mean, or of the only figure */
} words[] = {
    {"T", MMC_SLO_T, MMC_M_T},
    {"W", MMC_SLO_W, MMC_M_W},
    {"Wq", MMC_SLO_WQ, MMC_M_WQ},
    {"utilization", MMC_SLO_UTIL, MMC_M_UTIL},
    {"P_wait", MMC_SLO_P_WAIT, MMC_M_PWAIT},
    {"P_block", MMC_SLO_P_BLOCK, MMC_M_P_BLOCK},
    {"P_shed", MMC_SLO_P_SHED, MMC_M_P_SHED},
    {"P_throttle", MMC_SLO_P_THROTTLE, MMC_M_P_THROTTLE},
    {"P_abandon", MMC_SLO_P_ABANDON, MMC_M_P_ABANDON},
};
#define N_WORDS (sizeof words / sizeof words[0])

#define METRICS_EXPECTED                                                                           \
    "a metric (T, W, Wq, utilization, P_wait, P(Wq>t), P_block, P_shed, P_throttle or P_abandon)"

/* The scanner: the term and the position of the next character. */
struct scan {
    const char *text;
    size_t pos;
    struct mmc_slo *out;
    struct mmc_error *err;
};

static void skip_space(struct scan *s)
{
    while (s->text[s->pos] == ' ' || s->text[s->pos] == '\t')
        s->pos++;
}

/* Records "TERM", column COL: expected WHAT, got "FOUND" (what is found from at on, up to n
 * characters; "the end of the term" when nothing is left). Always -1. */
static int fail_at(struct scan *s, size_t at, size_t n, const char *what)
{
    const char *found = s->text + at;
    if (n == 0) /* one token's worth: up to a space or an operator */
        while (found[n] != '\0' && found[n] != ' ' && found[n] != '<' && found[n] != '>' &&
               found[n] != '=' && n < 24)
            n++;
    if (n == 0 && found[0] != '\0')
        n = 1;
    if (found[0] == '\0')
        mmc_error_set(s->err, "", 0, (int)at + 1,
                      "\"%.80s\", column %zu: expected %s, got the end of the term", s->text,
                      at + 1, what);
    else
        mmc_error_set(s->err, "", 0, (int)at + 1,
                      "\"%.80s\", column %zu: expected %s, got \"%.*s\"", s->text, at + 1, what,
                      (int)n, found);
    return -1;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* A number from the current position: finite and >= 0. */
static int scan_number(struct scan *s, const char *what, double *v)
{
    const char *start = s->text + s->pos;
    char *end;
    errno = 0;
    double x = strtod(start, &end);
    if (end == start || isspace((unsigned char)*start) || !isfinite(x) || x < 0.0)
        return fail_at(s, s->pos, (size_t)(end - start), what);
    *v = x;
    s->pos += (size_t)(end - start);
    return 0;
}

/* Expects the literal lit at the current position. */
static int expect(struct scan *s, const char *lit, const char *what)
{
    skip_space(s);
    size_t n = strlen(lit);
    if (strncmp(s->text + s->pos, lit, n) != 0)
        return fail_at(s, s->pos, 0, what);
    s->pos += n;
    return 0;
}

/* P(Wq>t), the "P(" already matched. */
static int scan_wait_tail(struct scan *s)
{
    struct mmc_slo *o = s->out;
    if (expect(s, "Wq", "\"Wq\" in P(Wq>t)") != 0 || expect(s, ">", "\">\" in P(Wq>t)") != 0)
        return -1;
    skip_space(s);
    if (scan_number(s, "a time t >= 0 in seconds in P(Wq>t)", &o->threshold) != 0)
        return -1;
    if (expect(s, ")", "\")\" closing P(Wq>t)") != 0)
        return -1;
    o->kind = MMC_SLO_P_WQ_GT;
    o->metric = MMC_M_PWAIT_GT;
    snprintf(o->label, sizeof o->label, "P(Wq>%g)", o->threshold);
    return 0;
}

/* The statistic after '.', for T, W and Wq. */
static int scan_stat(struct scan *s)
{
    struct mmc_slo *o = s->out;
    size_t start = s->pos, n = 0;
    while (isalnum((unsigned char)s->text[start + n]) || s->text[start + n] == '.')
        n++;
    for (size_t i = 0; i < N_STATS; i++)
        if (strlen(stats[i].name) == n && strncmp(s->text + start, stats[i].name, n) == 0) {
            o->level = stats[i].level;
            if (i > 0)
                o->metric = o->kind == MMC_SLO_W   ? MMC_M_COUNT
                            : o->kind == MMC_SLO_T ? (enum mmc_metric)(MMC_M_T_P50 + (i - 1))
                                                   : (enum mmc_metric)(MMC_M_WQ_P50 + (i - 1));
            s->pos += n;
            return 0;
        }
    return fail_at(s, start, n, "a statistic (mean, p50, p90, p95, p99 or p99.9)");
}

/* METRIC[.STAT] */
static int scan_metric(struct scan *s)
{
    struct mmc_slo *o = s->out;
    skip_space(s);
    if (strncmp(s->text + s->pos, "P(", 2) == 0) {
        s->pos += 2;
        return scan_wait_tail(s);
    }
    size_t start = s->pos, n = 0;
    while (word_char(s->text[start + n]))
        n++;
    size_t i = 0;
    while (i < N_WORDS &&
           !(strlen(words[i].name) == n && strncmp(s->text + start, words[i].name, n) == 0))
        i++;
    if (i == N_WORDS)
        return fail_at(s, start, n, METRICS_EXPECTED);
    o->kind = words[i].kind;
    o->metric = words[i].metric;
    s->pos += n;
    if (s->text[s->pos] != '.') {
        snprintf(o->label, sizeof o->label, "%s%s", words[i].name,
                 o->kind <= MMC_SLO_WQ ? ".mean" : "");
        return 0;
    }
    if (o->kind > MMC_SLO_WQ)
        return fail_at(s, s->pos, 1, "no statistic (only T, W and Wq take one)");
    s->pos++;
    size_t stat_at = s->pos;
    if (scan_stat(s) != 0)
        return -1;
    snprintf(o->label, sizeof o->label, "%s.%.*s", words[i].name, (int)(s->pos - stat_at),
             s->text + stat_at);
    return 0;
}

/* [class], optional. */
static int scan_class(struct scan *s)
{
    struct mmc_slo *o = s->out;
    skip_space(s);
    if (s->text[s->pos] != '[')
        return 0;
    size_t start = ++s->pos, n = 0;
    while (word_char(s->text[start + n]) || s->text[start + n] == '-')
        n++;
    if (n == 0)
        return fail_at(s, start, 0, "a class name (letters, digits, '_' or '-')");
    if (n >= sizeof o->cls)
        return fail_at(s, start, n, "a class name of at most 63 characters");
    if (s->text[start + n] != ']')
        return fail_at(s, start + n, 0, "\"]\" closing the class");
    memcpy(o->cls, s->text + start, n);
    o->cls[n] = '\0';
    s->pos = start + n + 1;
    size_t len = strlen(o->label);
    snprintf(o->label + len, sizeof o->label - len, "[%s]", o->cls);
    return 0;
}

/* OP VALUE and the end of the term. */
static int scan_bound(struct scan *s)
{
    struct mmc_slo *o = s->out;
    skip_space(s);
    const char *op = s->text + s->pos;
    if (strncmp(op, "<=", 2) == 0)
        s->pos += 2;
    else if (op[0] == '<' && op[1] != '=')
        s->pos += 1, o->strict = true;
    else
        return fail_at(s, s->pos, op[0] == '>' || op[0] == '=' ? (op[1] == '=' ? 2 : 1) : 0,
                       "\"<=\" or \"<\" (a term is an upper bound)");
    skip_space(s);
    if (scan_number(s, "a finite number >= 0", &o->value) != 0)
        return -1;
    skip_space(s);
    if (s->text[s->pos] != '\0')
        return fail_at(s, s->pos, strlen(s->text + s->pos), "the end of the term");
    return 0;
}

int mmc_slo_parse(const char *text, struct mmc_slo *out, struct mmc_error *err)
{
    struct mmc_slo o = {.threshold = NAN};
    snprintf(o.text, sizeof o.text, "%s", text);
    struct scan s = {text, 0, &o, err};
    if (scan_metric(&s) != 0 || scan_class(&s) != 0 || scan_bound(&s) != 0)
        return -1;
    *out = o;
    return 0;
}

bool mmc_slo_is_met(const struct mmc_slo *s, double figure)
{
    return s->strict ? figure < s->value : figure <= s->value;
}

double mmc_slo_mmc_figure(const struct mmc_slo *s, const struct mmc_erlang *e)
{
    if (!e->stable || s->cls[0] != '\0')
        return NAN;
    switch (s->kind) {
    case MMC_SLO_T:
        return s->level > 0.0 ? e->d + mmc_erlang_sojourn_quantile(e, s->level) : e->t;
    case MMC_SLO_W:
        return s->level > 0.0 ? mmc_erlang_sojourn_quantile(e, s->level) : e->w;
    case MMC_SLO_WQ:
        return s->level > 0.0 ? mmc_erlang_wait_quantile(e, s->level) : e->wq;
    case MMC_SLO_UTIL:
        return e->rho;
    case MMC_SLO_P_WAIT:
        return e->p_wait;
    case MMC_SLO_P_WQ_GT:
        return mmc_erlang_wait_tail(e, s->threshold);
    case MMC_SLO_P_BLOCK:
    case MMC_SLO_P_SHED:
    case MMC_SLO_P_THROTTLE:
    case MMC_SLO_P_ABANDON:
        return 0.0;
    }
    return NAN;
}

/* Every term's figure at (lambda, c); in->lambda is not used. */
static void evaluate(const struct mmc_plan_in *in, double lambda, unsigned long c,
                     struct mmc_plan_figures *f)
{
    struct mmc_erlang e;
    int rc = mmc_erlang_mmc(lambda, in->mu, c, in->d, &e);
    assert(rc == 0); /* inputs checked by the callers */
    (void)rc;
    f->c = c;
    f->stable = e.stable;
    f->met = e.stable;
    for (size_t i = 0; i < in->n_slo; i++) {
        f->fig[i] = mmc_slo_mmc_figure(&in->slo[i], &e);
        f->margin[i] = in->slo[i].value - f->fig[i];
        f->met = f->met && mmc_slo_is_met(&in->slo[i], f->fig[i]);
    }
}

static bool meets(const struct mmc_plan_in *in, double lambda, unsigned long c, unsigned long *n)
{
    struct mmc_plan_figures f;
    evaluate(in, lambda, c, &f);
    if (n != NULL)
        (*n)++;
    return f.met;
}

static int check_in(const struct mmc_plan_in *in, struct mmc_error *err)
{
    if (!(isfinite(in->lambda) && in->lambda > 0.0 && isfinite(in->mu) && in->mu > 0.0 &&
          isfinite(in->d) && in->d >= 0.0 && in->c_max >= 1)) {
        mmc_error_set(err, "", 0, 0,
                      "plan: expected a finite arrival rate > 0, service rate > 0, delay >= 0 and "
                      "a maximum of at least 1 worker");
        return -1;
    }
    if (in->n_slo == 0 || in->n_slo > MMC_PLAN_MAX_SLO) {
        mmc_error_set(err, "", 0, 0, "plan: expected 1 to %d SLO terms, got %zu", MMC_PLAN_MAX_SLO,
                      in->n_slo);
        return -1;
    }
    for (size_t i = 0; i < in->n_slo; i++)
        if (in->slo[i].cls[0] != '\0') {
            mmc_error_set(err, "", 0, 0,
                          "%s: a per-class term needs a model with classes; M/M/c has none",
                          in->slo[i].text);
            return -1;
        }
    return 0;
}

/* The smallest stable count, lambda < c mu decided as erlang.c decides it (fma, one rounding);
 * c_max + 1 when even c_max is not stable. */
static unsigned long smallest_stable(const struct mmc_plan_in *in)
{
    double a = in->lambda / in->mu;
    if (!(a < (double)in->c_max))
        return fma((double)in->c_max, in->mu, -in->lambda) > 0.0 ? in->c_max : in->c_max + 1;
    unsigned long c = (unsigned long)a + 1;
    while (c > 1 && fma((double)(c - 1), in->mu, -in->lambda) > 0.0)
        c--;
    while (c <= in->c_max && !(fma((double)c, in->mu, -in->lambda) > 0.0))
        c++;
    return c;
}

/* The term with the smallest margin relative to its target (absolute for a target of 0). */
static size_t binding_term(const struct mmc_plan_in *in, const struct mmc_plan_figures *f)
{
    size_t best = 0;
    double best_rel = INFINITY;
    for (size_t i = 0; i < in->n_slo; i++) {
        double v = in->slo[i].value;
        double rel = v != 0.0 ? f->margin[i] / v : f->margin[i];
        if (rel < best_rel) {
            best_rel = rel;
            best = i;
        }
    }
    return best;
}

/* The smallest c in [lo, c_max] meeting every term at lambda, or 0; lo is stable. */
static unsigned long search(const struct mmc_plan_in *in, double lambda, unsigned long lo,
                            unsigned long *n)
{
    if (meets(in, lambda, lo, n))
        return lo;
    /* lo fails; double the step until hi meets (or c_max fails), then bisect (lo, hi]. */
    unsigned long hi = lo, step = 1;
    for (;;) {
        hi = in->c_max - lo > step ? lo + step : in->c_max;
        if (meets(in, lambda, hi, n))
            break;
        if (hi == in->c_max)
            return 0;
        lo = hi;
        step *= 2;
    }
    while (hi - lo > 1) {
        unsigned long mid = lo + (hi - lo) / 2;
        if (meets(in, lambda, mid, n))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

int mmc_plan_mmc(const struct mmc_plan_in *in, struct mmc_plan_result *out, struct mmc_error *err)
{
    if (check_in(in, err) != 0)
        return -1;
    struct mmc_plan_result r = {0};
    unsigned long c0 = smallest_stable(in);
    unsigned long c = c0 <= in->c_max ? search(in, in->lambda, c0, &r.evaluations) : 0;
    r.found = c > 0;
    evaluate(in, in->lambda, r.found ? c : in->c_max, &r.at);
    if (r.at.c > 1)
        evaluate(in, in->lambda, r.at.c - 1, &r.below);
    r.evaluations += r.at.c > 1 ? 2 : 1;
    r.binding = binding_term(in, &r.at);
    *out = r;
    return 0;
}

double mmc_plan_headroom(const struct mmc_plan_in *in, unsigned long c)
{
    assert(meets(in, in->lambda, c, NULL));
    double lo = in->lambda, hi = (double)c * in->mu; /* unstable at hi: fails */
    /* Relative 1e-9 of the rate, and of the drain rate c mu - lambda as well: near saturation
     * the figures move with the drain rate (Wq's tail decays as e^-(c mu - lambda) t), so a
     * bracket narrow against lambda alone could leave them 1e-5 off. */
    while (hi - lo > 1e-9 * fmin(lo, (double)c * in->mu - lo)) {
        double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi)
            break;
        if (meets(in, mid, c, NULL))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int mmc_plan_whatif(const struct mmc_plan_in *in, const struct mmc_plan_result *r,
                    double service_factor, double arrival_factor, struct mmc_plan_whatif *out,
                    struct mmc_error *err)
{
    assert(r->found);
    if (!(isfinite(service_factor) && service_factor >= 1e-9 && isfinite(arrival_factor) &&
          arrival_factor >= 1e-9)) {
        mmc_error_set(err, "", 0, 0, "plan: expected finite what-if factors >= 1e-9");
        return -1;
    }
    struct mmc_plan_in w = *in;
    w.mu = in->mu / service_factor;
    w.lambda = in->lambda * arrival_factor;
    struct mmc_plan_result wr;
    if (mmc_plan_mmc(&w, &wr, err) != 0)
        return -1;
    struct mmc_plan_figures f;
    evaluate(&w, w.lambda, r->at.c, &f);
    *out = (struct mmc_plan_whatif){
        .service_factor = service_factor,
        .arrival_factor = arrival_factor,
        .figure = f.fig[r->binding],
        .still_met = f.met,
        .found = wr.found,
        .c_needed = wr.found ? wr.at.c : 0,
    };
    return 0;
}
