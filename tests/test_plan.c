/*
 * test_plan.c - the capacity planner's core (sim/plan.h): the SLO term
 * parser (valid terms, and invalid ones with the exact column of the
 * error), the M/M/c smallest count against an exhaustive search written
 * here (c = 1, 2, ... with the closed form, no monotonicity assumed), the
 * headroom against the closed form at the rate found, and the what-ifs
 * against the closed form at the perturbed inputs and its finite
 * differences. The cases with c in the tens of thousands run the search for
 * real: a slow search would show as a Check timeout.
 */
#include "plan.h"

#include <check.h>
#include <math.h>
#include <string.h>

#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct mmc_slo parse_ok(const char *text)
{
    struct mmc_slo s;
    struct mmc_error err = {0};
    ck_assert_msg(mmc_slo_parse(text, &s, &err) == 0, "%s: %s", text, err.msg);
    return s;
}

static const struct {
    const char *text;
    enum mmc_slo_kind kind;
    double level, value, threshold;
    bool strict;
    enum mmc_metric metric;
    const char *cls, *label;
} valid[] = {
    {"T.p99<=0.1", MMC_SLO_T, 0.99, 0.1, NAN, false, MMC_M_T_P99, "", "T.p99"},
    {"T<=0.05", MMC_SLO_T, 0.0, 0.05, NAN, false, MMC_M_T, "", "T.mean"},
    {"T.mean<=0.05", MMC_SLO_T, 0.0, 0.05, NAN, false, MMC_M_T, "", "T.mean"},
    {"Wq<0.002", MMC_SLO_WQ, 0.0, 0.002, NAN, true, MMC_M_WQ, "", "Wq.mean"},
    {"Wq.p50<=0", MMC_SLO_WQ, 0.5, 0.0, NAN, false, MMC_M_WQ_P50, "", "Wq.p50"},
    {"Wq.p90 <= 1e-3", MMC_SLO_WQ, 0.9, 1e-3, NAN, false, MMC_M_WQ_P90, "", "Wq.p90"},
    {" T.p95 < 2 ", MMC_SLO_T, 0.95, 2.0, NAN, true, MMC_M_T_P95, "", "T.p95"},
    {"T.p99.9<=1.5", MMC_SLO_T, 0.999, 1.5, NAN, false, MMC_M_T_P999, "", "T.p99.9"},
    {"W.p99.9<=1.5", MMC_SLO_W, 0.999, 1.5, NAN, false, MMC_M_COUNT, "", "W.p99.9"},
    {"W<=3", MMC_SLO_W, 0.0, 3.0, NAN, false, MMC_M_W, "", "W.mean"},
    {"utilization<=0.8", MMC_SLO_UTIL, 0.0, 0.8, NAN, false, MMC_M_UTIL, "", "utilization"},
    {"P_wait<0.2", MMC_SLO_P_WAIT, 0.0, 0.2, NAN, true, MMC_M_PWAIT, "", "P_wait"},
    {"P(Wq>0.01)<=0.05", MMC_SLO_P_WQ_GT, 0.0, 0.05, 0.01, false, MMC_M_PWAIT_GT, "", "P(Wq>0.01)"},
    {"P( Wq > 0 ) < 0.5", MMC_SLO_P_WQ_GT, 0.0, 0.5, 0.0, true, MMC_M_PWAIT_GT, "", "P(Wq>0)"},
    {"P_block<=0.001", MMC_SLO_P_BLOCK, 0.0, 0.001, NAN, false, MMC_M_P_BLOCK, "", "P_block"},
    {"P_shed<=0.01", MMC_SLO_P_SHED, 0.0, 0.01, NAN, false, MMC_M_P_SHED, "", "P_shed"},
    {"P_throttle<=0.01", MMC_SLO_P_THROTTLE, 0.0, 0.01, NAN, false, MMC_M_P_THROTTLE, "",
     "P_throttle"},
    {"P_abandon < 0.05", MMC_SLO_P_ABANDON, 0.0, 0.05, NAN, true, MMC_M_P_ABANDON, "", "P_abandon"},
    {"T.p99[interactive]<=0.1", MMC_SLO_T, 0.99, 0.1, NAN, false, MMC_M_T_P99, "interactive",
     "T.p99[interactive]"},
    {"P_wait[batch-2]<=0.5", MMC_SLO_P_WAIT, 0.0, 0.5, NAN, false, MMC_M_PWAIT, "batch-2",
     "P_wait[batch-2]"},
};

START_TEST(test_parse_valid)
{
    struct mmc_slo s = parse_ok(valid[_i].text);
    ck_assert_int_eq(s.kind, valid[_i].kind);
    ck_assert_double_eq(s.level, valid[_i].level);
    ck_assert_double_eq(s.value, valid[_i].value);
    if (isnan(valid[_i].threshold))
        ck_assert(isnan(s.threshold));
    else
        ck_assert_double_eq(s.threshold, valid[_i].threshold);
    ck_assert_int_eq(s.strict, valid[_i].strict);
    ck_assert_int_eq(s.metric, valid[_i].metric);
    ck_assert_str_eq(s.cls, valid[_i].cls);
    ck_assert_str_eq(s.label, valid[_i].label);
    ck_assert_str_eq(s.text, valid[_i].text);
}
END_TEST

static const struct {
    const char *text;
    int col;
    const char *expected; /* a part of the message */
} invalid[] = {
    {"", 1,
     "expected a metric (T, W, Wq, utilization, P_wait, P(Wq>t), P_block, P_shed, "
     "P_throttle or P_abandon), got the end of the term"},
    {"X<=1", 1, "got \"X\""},
    {"t.p99<=1", 1, "got \"t\""},
    {"T.p98<=0.1", 3, "expected a statistic (mean, p50, p90, p95, p99 or p99.9), got \"p98\""},
    {"T.<=0.1", 3, "expected a statistic"},
    {"utilization.p99<=0.8", 12, "expected no statistic (only T, W and Wq take one), got \".\""},
    {"T.p99>=0.1", 6, "expected \"<=\" or \"<\" (a term is an upper bound), got \">=\""},
    {"T.p99=0.1", 6, "got \"=\""},
    {"T.p99", 6, "got the end of the term"},
    {"T.p99 0.1", 7, "expected \"<=\" or \"<\""},
    {"T.p99<=", 8, "expected a finite number >= 0, got the end of the term"},
    {"T.p99<=-1", 8, "expected a finite number >= 0, got \"-1\""},
    {"T.p99<=nan", 8, "got \"nan\""},
    {"T<=inf", 4, "got \"inf\""},
    {"T<=1e999", 4, "got \"1e999\""},
    {"T<= x", 5, "expected a finite number"},
    {"T.p99<=0.1x", 11, "expected the end of the term, got \"x\""},
    {"T.p99<=0.1 0.2", 12, "got \"0.2\""},
    {"P(Wq>)<=0.1", 6, "expected a time t >= 0 in seconds in P(Wq>t), got \")\""},
    {"P(Wq>-1)<=0.1", 6, "got \"-1\""},
    {"P(Wq>0.1<=0.1", 9, "expected \")\" closing P(Wq>t)"},
    {"P(W>0.1)<=0.1", 3, "expected \"Wq\" in P(Wq>t)"},
    {"P(Wq<0.1)<=0.1", 5, "expected \">\" in P(Wq>t)"},
    {"P(Wq>0.1).p99<=0.1", 10, "expected \"<=\" or \"<\""},
    {"T[]<=1", 3, "expected a class name (letters, digits, '_' or '-'), got \"]\""},
    {"T[a<=1", 4, "expected \"]\" closing the class"},
    {"T[a b]<=1", 4, "expected \"]\" closing the class"},
};

START_TEST(test_parse_invalid)
{
    struct mmc_slo s;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_slo_parse(invalid[_i].text, &s, &err), -1);
    ck_assert_msg(err.col == invalid[_i].col, "%s: column %d, expected %d (%s)", invalid[_i].text,
                  err.col, invalid[_i].col, err.msg);
    ck_assert_msg(strstr(err.msg, invalid[_i].expected) != NULL, "%s: %s", invalid[_i].text,
                  err.msg);
    /* the message names the term and the column */
    char head[160];
    snprintf(head, sizeof head, "\"%s\", column %d: ", invalid[_i].text, invalid[_i].col);
    ck_assert_msg(strncmp(err.msg, head, strlen(head)) == 0, "%s", err.msg);
    ck_assert_str_eq(err.file, "");
}
END_TEST

START_TEST(test_is_met)
{
    struct mmc_slo le = parse_ok("T<=1"), lt = parse_ok("T<1");
    ck_assert(mmc_slo_is_met(&le, 1.0));
    ck_assert(!mmc_slo_is_met(&lt, 1.0));
    ck_assert(mmc_slo_is_met(&lt, 0.999));
    ck_assert(!mmc_slo_is_met(&le, 1.001));
    ck_assert(!mmc_slo_is_met(&le, NAN));
    ck_assert(!mmc_slo_is_met(&lt, INFINITY));
}
END_TEST

/* The figures against erlang.h directly, and what M/M/c has no figure for. */
START_TEST(test_mmc_figures)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(9.0, 1.0, 10, 0.25, &e), 0);
    ck_assert_double_eq(mmc_slo_mmc_figure(&(struct mmc_slo){0}, &e), e.t);
    struct mmc_slo t99 = parse_ok("T.p99<=1"), w99 = parse_ok("W.p99<=1");
    struct mmc_slo q90 = parse_ok("Wq.p90<=1"), tail = parse_ok("P(Wq>0.5)<=1");
    ck_assert_double_eq(mmc_slo_mmc_figure(&t99, &e), 0.25 + mmc_erlang_sojourn_quantile(&e, 0.99));
    ck_assert_double_eq(mmc_slo_mmc_figure(&w99, &e), mmc_erlang_sojourn_quantile(&e, 0.99));
    ck_assert_double_eq(mmc_slo_mmc_figure(&q90, &e), mmc_erlang_wait_quantile(&e, 0.9));
    ck_assert_double_eq(mmc_slo_mmc_figure(&tail, &e), mmc_erlang_wait_tail(&e, 0.5));
    ck_assert_double_eq(mmc_slo_mmc_figure(&(struct mmc_slo){.kind = MMC_SLO_UTIL}, &e), 0.9);
    ck_assert_double_eq(mmc_slo_mmc_figure(&(struct mmc_slo){.kind = MMC_SLO_P_WAIT}, &e),
                        e.p_wait);
    ck_assert_double_eq(mmc_slo_mmc_figure(&(struct mmc_slo){.kind = MMC_SLO_P_BLOCK}, &e), 0.0);
    struct mmc_slo cls = parse_ok("T[a]<=1");
    ck_assert(isnan(mmc_slo_mmc_figure(&cls, &e)));
    ck_assert_int_eq(mmc_erlang_mmc(9.0, 1.0, 9, 0.25, &e), 0); /* unstable */
    ck_assert(isnan(mmc_slo_mmc_figure(&t99, &e)));
}
END_TEST

/* Figure of term s for M/M/c, or NaN when unstable: the test's own, from erlang.h. */
static double figure(const struct mmc_slo *s, double lambda, double mu, unsigned long c, double d)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(lambda, mu, c, d, &e), 0);
    return mmc_slo_mmc_figure(s, &e);
}

/* The smallest c meeting every term: c = 1, 2, ... (unstable counts skipped without evaluating
 * the closed form, which has none), 0 when none up to c_max. */
static unsigned long exhaustive(const struct mmc_slo *slo, size_t n, double lambda, double mu,
                                double d, unsigned long c_max)
{
    for (unsigned long c = 1; c <= c_max; c++) {
        if (!(lambda < (double)c * mu))
            continue;
        bool ok = true;
        /* utilization first, needing no Erlang pass; rounded as erlang.h rounds rho, a / c,
         * since a what-if can land exactly on a target (45000 1.1 / 1.5 / 0.8 = 41250) */
        for (size_t i = 0; i < n && ok; i++)
            if (slo[i].kind == MMC_SLO_UTIL)
                ok = mmc_slo_is_met(&slo[i], lambda / mu / (double)c);
        for (size_t i = 0; i < n && ok; i++)
            ok = mmc_slo_is_met(&slo[i], figure(&slo[i], lambda, mu, c, d));
        if (ok)
            return c;
    }
    return 0;
}

/* (lambda, mu, d) and a target per term family, scaled by the service time 1/mu. */
static const struct {
    double lambda, mu, d;
} loads[] = {
    {0.5, 1.0, 0.0},       /* one worker is enough for loose targets */
    {9.0, 1.0, 0.01},      /* high_load-like */
    {95.0, 2.0, 0.005},    /* 47.5 Erlangs */
    {800.0, 0.5, 0.0},     /* 1600 Erlangs */
    {20000.0, 1.0, 0.001}, /* tens of thousands */
    {45000.0, 1.5, 0.0},   /* 30000 Erlangs */
};

static const char *const term_sets[][3] = {
    {"Wq<=0.01", NULL, NULL}, /* times in units of 1/mu: multiplied below */
    {"T.p99<=6", NULL, NULL}, /* p99 of the service time alone: 4.6 */
    {"P_wait<=0.2", NULL, NULL},
    {"Wq.p99<0.05", NULL, NULL},
    {"P(Wq>0.01)<=0.05", NULL, NULL},
    {"Wq<=0.01", "T.p99<=6", "P_wait<=0.2"},
    {"utilization<=0.8", "Wq<=0.01", NULL},
};

/* Parses term_sets[k] with times scaled by 1/mu (and d added to T's targets). */
static size_t load_terms(int k, double mu, double d, struct mmc_slo *slo)
{
    size_t n = 0;
    for (int j = 0; j < 3 && term_sets[k][j] != NULL; j++) {
        slo[n] = parse_ok(term_sets[k][j]);
        if (slo[n].kind == MMC_SLO_T || slo[n].kind == MMC_SLO_W || slo[n].kind == MMC_SLO_WQ)
            slo[n].value = slo[n].value / mu + (slo[n].kind == MMC_SLO_T ? d : 0.0);
        if (slo[n].kind == MMC_SLO_P_WQ_GT)
            slo[n].threshold /= mu;
        n++;
    }
    return n;
}

START_TEST(test_smallest_c)
{
    int nl = N_ROWS(loads);
    double lambda = loads[_i % nl].lambda, mu = loads[_i % nl].mu, d = loads[_i % nl].d;
    struct mmc_slo slo[3];
    size_t n = load_terms(_i / nl, mu, d, slo);
    struct mmc_plan_in in = {lambda, mu, d, 1000000, slo, n};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    unsigned long want = exhaustive(slo, n, lambda, mu, d, in.c_max);
    ck_assert(want > 0);
    ck_assert(r.found);
    ck_assert_msg(r.at.c == want, "lambda %g mu %g %s: c %lu, exhaustive %lu", lambda, mu,
                  slo[0].text, r.at.c, want);
    ck_assert(r.at.met && r.at.stable);
    ck_assert(r.below.c == want - 1);
    ck_assert(want == 1 || !r.below.met);
    for (size_t i = 0; i < n; i++) {
        ck_assert_double_eq(r.at.fig[i], figure(&slo[i], lambda, mu, want, d));
        ck_assert_double_eq(r.at.margin[i], slo[i].value - r.at.fig[i]);
        if (want > 1 && r.below.stable)
            ck_assert_double_eq(r.below.fig[i], figure(&slo[i], lambda, mu, want - 1, d));
    }
    /* O(log) evaluations: doubling then bisection over c - lambda/mu */
    ck_assert_uint_le(r.evaluations, 2 * (unsigned long)log2((double)want + 2.0) + 6);
    ck_assert_uint_lt(r.binding, n);
}
END_TEST

/* A count that cannot meet the terms up to c_max; unstable c_max; bad inputs. */
START_TEST(test_not_found)
{
    struct mmc_slo slo = parse_ok("Wq<=0.001");
    struct mmc_plan_in in = {9.0, 1.0, 0.0, 10, &slo, 1};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert(!r.found);
    ck_assert_uint_eq(r.at.c, 10);
    ck_assert(r.at.stable && !r.at.met);
    in.c_max = 9; /* a = 9: not even stable */
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert(!r.found && !r.at.stable && isnan(r.at.fig[0]));
    slo = parse_ok("T<=0.5"); /* below the mean service time: never */
    in.c_max = 1000;
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert(!r.found);
    in.lambda = 1e30; /* far beyond any count */
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert(!r.found);
}
END_TEST

START_TEST(test_bad_in)
{
    struct mmc_slo slo = parse_ok("Wq<=0.001"), cls = parse_ok("T[a]<=1");
    struct mmc_plan_result r;
    struct mmc_plan_in bad[] = {
        {0.0, 1.0, 0.0, 10, &slo, 1},      {9.0, NAN, 0.0, 10, &slo, 1},
        {9.0, 1.0, -1.0, 10, &slo, 1},     {9.0, 1.0, 0.0, 0, &slo, 1},
        {9.0, 1.0, 0.0, 10, &slo, 0},      {9.0, 1.0, 0.0, 10, &slo, MMC_PLAN_MAX_SLO + 1},
        {INFINITY, 1.0, 0.0, 10, &slo, 1},
    };
    for (int i = 0; i < N_ROWS(bad); i++) {
        struct mmc_error err = {0};
        ck_assert_int_eq(mmc_plan_mmc(&bad[i], &r, &err), -1);
        ck_assert(mmc_error_is_set(&err));
    }
    struct mmc_error err = {0};
    struct mmc_plan_in in = {9.0, 1.0, 0.0, 10, &cls, 1};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), -1);
    ck_assert_str_eq(err.msg,
                     "T[a]<=1: a per-class term needs a model with classes; M/M/c has none");
}
END_TEST

/* c = 1e5 workers: the search and the headroom at a scale well past the shipped scenarios. */
START_TEST(test_huge_c)
{
    struct mmc_slo slo[2] = {parse_ok("T.p99<=0.005"), parse_ok("P_wait<=0.1")};
    double lambda = 95000.0, mu = 1000.0; /* a = 95 Erlangs... */
    lambda *= 1000.0;                     /* ... times 1000: 95000 Erlangs */
    struct mmc_plan_in in = {lambda, mu, 0.0, 1000000, slo, 2};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert(r.found && r.at.met && !r.below.met);
    ck_assert_uint_gt(r.at.c, 95000);
    ck_assert_uint_lt(r.at.c, 100000);
    double h = mmc_plan_headroom(&in, r.at.c);
    ck_assert(h >= lambda && h < (double)r.at.c * mu);
}
END_TEST

/* The headroom: c meets every term there, the terms' worst figure is its target to 1e-6, and a
 * rate 1e-8 higher fails. */
START_TEST(test_headroom)
{
    int nl = N_ROWS(loads);
    double lambda = loads[_i % nl].lambda, mu = loads[_i % nl].mu, d = loads[_i % nl].d;
    struct mmc_slo slo[3];
    size_t n = load_terms(_i / nl, mu, d, slo);
    struct mmc_plan_in in = {lambda, mu, d, 1000000, slo, n};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    unsigned long c = r.at.c;
    double h = mmc_plan_headroom(&in, c);
    ck_assert(h >= lambda);
    double worst = -INFINITY;
    bool all = true;
    for (size_t i = 0; i < n; i++) {
        double f = figure(&slo[i], h, mu, c, d);
        all = all && mmc_slo_is_met(&slo[i], f);
        if (slo[i].value > 0.0)
            worst = fmax(worst, f / slo[i].value);
    }
    ck_assert_msg(all, "not met at the headroom");
    ck_assert_msg(fabs(worst - 1.0) < 1e-6, "%s at %g Erlangs, c %lu: worst figure/target %.12g",
                  slo[0].text, lambda / mu, c, worst);
    bool above = true;
    for (size_t i = 0; i < n; i++)
        above = above && mmc_slo_is_met(&slo[i], figure(&slo[i], h * (1.0 + 1e-8), mu, c, d));
    ck_assert(!above);
}
END_TEST

/* utilization alone: the headroom is value c mu, the count ceil(a / value). */
START_TEST(test_headroom_utilization)
{
    struct mmc_slo slo = parse_ok("utilization<=0.8");
    struct mmc_plan_in in = {9.0, 1.0, 0.0, 100, &slo, 1};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert_uint_eq(r.at.c, 12); /* 9 / 0.8 = 11.25 */
    ck_assert_double_eq_tol(r.at.fig[0], 0.75, 1e-15);
    ck_assert_double_eq_tol(r.below.fig[0], 9.0 / 11.0, 1e-15);
    ck_assert_double_eq_tol(mmc_plan_headroom(&in, 12), 0.8 * 12.0, 9.6e-9);
}
END_TEST

/* What-ifs: the figure and counts are the closed form's at the perturbed inputs. */
START_TEST(test_whatif)
{
    int nl = N_ROWS(loads);
    double lambda = loads[_i % nl].lambda, mu = loads[_i % nl].mu, d = loads[_i % nl].d;
    struct mmc_slo slo[3];
    size_t n = load_terms(_i / nl, mu, d, slo);
    struct mmc_plan_in in = {lambda, mu, d, 1000000, slo, n};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    const double sf[] = {1.05, 1.10, 1.0, 1.0, 1.07}, af[] = {1.0, 1.0, 1.10, 1.05, 1.07};
    for (int k = 0; k < N_ROWS(sf); k++) {
        struct mmc_plan_whatif w;
        ck_assert_int_eq(mmc_plan_whatif(&in, &r, sf[k], af[k], &w, &err), 0);
        double l2 = lambda * af[k], m2 = mu / sf[k];
        double f = figure(&slo[r.binding], l2, m2, r.at.c, d);
        if (isnan(f))
            ck_assert(isnan(w.figure));
        else
            ck_assert_double_eq(w.figure, f);
        unsigned long want = exhaustive(slo, n, l2, m2, d, in.c_max);
        ck_assert_int_eq(w.found, want > 0);
        ck_assert_uint_eq(w.c_needed, want);
        ck_assert_int_eq(w.still_met, want <= r.at.c);
        ck_assert(w.service_factor == sf[k] && w.arrival_factor == af[k]);
    }
    struct mmc_plan_whatif w;
    ck_assert_int_eq(mmc_plan_whatif(&in, &r, 0.0, 1.0, &w, &err), -1);
}
END_TEST

/* A what-if that no count meets: the p99 of a 10 % longer service time alone is 5.07 s. */
START_TEST(test_whatif_not_found)
{
    struct mmc_slo slo = parse_ok("T.p99<=5");
    struct mmc_plan_in in = {0.5, 1.0, 0.0, 50, &slo, 1};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    ck_assert_uint_eq(r.at.c, exhaustive(&slo, 1, 0.5, 1.0, 0.0, 50));
    struct mmc_plan_whatif w;
    ck_assert_int_eq(mmc_plan_whatif(&in, &r, 1.10, 1.0, &w, &err), 0);
    ck_assert_uint_eq(exhaustive(&slo, 1, 0.5, 1.0 / 1.10, 0.0, 50), 0);
    ck_assert(!w.found && !w.still_met);
    ck_assert_uint_eq(w.c_needed, 0);
    ck_assert_double_eq(w.figure, figure(&slo, 0.5, 1.0 / 1.10, r.at.c, 0.0));
    ck_assert(w.figure > 5.0);
}
END_TEST

/* The what-if's change in the binding figure over a small step against the derivative of the
 * closed form by central differences (in the service time and in the arrival rate). */
START_TEST(test_whatif_differences)
{
    struct mmc_slo slo[2] = {parse_ok("T.p99<=5.2"), parse_ok("Wq<=0.03")};
    struct mmc_plan_in in = {9.0, 1.0, 0.01, 100, slo, 2};
    struct mmc_plan_result r;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_plan_mmc(&in, &r, &err), 0);
    unsigned long c = r.at.c;
    const struct mmc_slo *b = &slo[r.binding];
    double f0 = figure(b, 9.0, 1.0, c, 0.01), step = 1e-3, hd = 1e-6;
    for (int arrival = 0; arrival < 2; arrival++) {
        struct mmc_plan_whatif w;
        double s = 1.0 + step;
        ck_assert_int_eq(mmc_plan_whatif(&in, &r, arrival ? 1.0 : s, arrival ? s : 1.0, &w, &err),
                         0);
        double slope = (w.figure - f0) / step;
        double up = arrival ? figure(b, 9.0 * (1 + hd), 1.0, c, 0.01)
                            : figure(b, 9.0, 1.0 / (1 + hd), c, 0.01);
        double down = arrival ? figure(b, 9.0 * (1 - hd), 1.0, c, 0.01)
                              : figure(b, 9.0, 1.0 / (1 - hd), c, 0.01);
        double deriv = (up - down) / (2 * hd);
        ck_assert_msg(deriv > 0.0, "the figure grows with the load");
        ck_assert_msg(fabs(slope / deriv - 1.0) < 0.01, "slope %g, derivative %g", slope, deriv);
    }
}
END_TEST

/* Declared here for -Wmissing-prototypes; check_main.c gets it from suites.h. */
Suite *plan_suite(void);

Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    int cases = N_ROWS(loads) * N_ROWS(term_sets);
    struct {
        const char *name;
        const TTest *fn;
        int n;
    } tests[] = {
        {"parse_valid", test_parse_valid, N_ROWS(valid)},
        {"parse_invalid", test_parse_invalid, N_ROWS(invalid)},
        {"is_met", test_is_met, 1},
        {"mmc_figures", test_mmc_figures, 1},
        {"smallest_c", test_smallest_c, cases},
        {"not_found", test_not_found, 1},
        {"bad_in", test_bad_in, 1},
        {"huge_c", test_huge_c, 1},
        {"headroom", test_headroom, cases},
        {"headroom_utilization", test_headroom_utilization, 1},
        {"whatif", test_whatif, cases},
        {"whatif_not_found", test_whatif_not_found, 1},
        {"whatif_differences", test_whatif_differences, 1},
    };
    for (int i = 0; i < N_ROWS(tests); i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_add_loop_test(tc, tests[i].fn, 0, tests[i].n);
        suite_add_tcase(s, tc);
    }
    return s;
}
