/*
 * test_dist.c - distribution shapes: every constructor route checked by its
 * moments on 10^6 draws, the closed-form parameters, rejection of invalid
 * parameters, sample files, and the exponential fast path.
 *
 * Moment checks (fixed seeds, gsl_rng_taus2): the sample mean is within 5
 * standard errors sqrt(scv/n) of 1, and the sample variance within 5
 * standard errors of scv, the latter estimated as sqrt((m4 - s^4)/n) from
 * the sample fourth central moment. Where the fourth moment is infinite
 * (Pareto alpha <= 4) the variance test is replaced by the median against
 * x_m 2^(1/alpha), whose standard error is median / (alpha sqrt n). Where
 * even the variance is infinite (alpha <= 2) the mean is held to 1 %.
 *
 * The moment tests are tagged "slow" and skipped under valgrind
 * (CK_EXCLUDE_TAGS): they check statistics, which valgrind cannot make more
 * or less true; "few_draws" runs every case briefly for valgrind instead.
 */
#include "dist.h"
#include "tempfile.h"

#include <check.h>
#include <errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_DRAWS 1000000
#define Z 5.0 /* standard errors allowed */

/* How a moment-test case builds its distribution. */
enum route {
    EXPONENTIAL,
    DETERMINISTIC,
    UNIFORM_SCV,
    UNIFORM_RANGE,
    ERLANG,
    GAMMA_SCV,
    GAMMA_SHAPE,
    LOGNORMAL_SCV,
    WEIBULL_SHAPE,
    WEIBULL_SCV,
    PARETO_SHAPE,
    PARETO_SCV,
    HYPEREXP_SCV,
    HYPEREXP,
    EMPIRICAL,
};

struct dist_case {
    enum route route;
    double x; /* the scv or shape parameter, when the route takes one */
};

static const struct dist_case cases[] = {
    {EXPONENTIAL, 0},      {DETERMINISTIC, 0},  {UNIFORM_SCV, 0},     {UNIFORM_SCV, 0.25},
    {UNIFORM_SCV, 1 / 3.}, {UNIFORM_RANGE, 0},  {ERLANG, 1},          {ERLANG, 4},
    {ERLANG, 16},          {ERLANG, 30},        {GAMMA_SCV, 0.25},    {GAMMA_SCV, 1},
    {GAMMA_SCV, 4},        {GAMMA_SCV, 16},     {GAMMA_SHAPE, 2.5},   {LOGNORMAL_SCV, 0.25},
    {LOGNORMAL_SCV, 1},    {LOGNORMAL_SCV, 4},  {WEIBULL_SHAPE, 0.5}, {WEIBULL_SHAPE, 1},
    {WEIBULL_SHAPE, 2},    {WEIBULL_SHAPE, 5},  {WEIBULL_SCV, 0.25},  {WEIBULL_SCV, 1},
    {WEIBULL_SCV, 4},      {PARETO_SHAPE, 2.5}, {PARETO_SHAPE, 5},    {PARETO_SCV, 0.25},
    {PARETO_SCV, 1},       {PARETO_SCV, 4},     {HYPEREXP_SCV, 1},    {HYPEREXP_SCV, 4},
    {HYPEREXP_SCV, 16},    {HYPEREXP, 0},       {EMPIRICAL, 0},       {LOGNORMAL_SCV, 16},
    {WEIBULL_SCV, 16},     {PARETO_SHAPE, 1.9},
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

static const double small_sample[] = {0.5, 1.0, 1.0, 2.0, 3.5, 0.0, 8.0};
#define N_SMALL (sizeof small_sample / sizeof small_sample[0])

/* Build case c into d; empirical samples go to buf (N_SMALL doubles). */
static void build(const struct dist_case *c, struct mmc_dist *d, double *buf)
{
    const char *why = NULL;
    double mean = 0.0;
    int rc = -1;
    switch (c->route) {
    case EXPONENTIAL:
        rc = mmc_dist_exponential(d);
        break;
    case DETERMINISTIC:
        rc = mmc_dist_deterministic(d);
        break;
    case UNIFORM_SCV:
        rc = mmc_dist_uniform_scv(d, c->x, &why);
        break;
    case UNIFORM_RANGE:
        rc = mmc_dist_uniform_range(d, 2.0, 4.0, &mean, &why);
        break;
    case ERLANG:
        rc = mmc_dist_erlang(d, c->x, &why);
        break;
    case GAMMA_SCV:
        rc = mmc_dist_gamma_scv(d, c->x, &why);
        break;
    case GAMMA_SHAPE:
        rc = mmc_dist_gamma_shape(d, c->x, &why);
        break;
    case LOGNORMAL_SCV:
        rc = mmc_dist_lognormal_scv(d, c->x, &why);
        break;
    case WEIBULL_SHAPE:
        rc = mmc_dist_weibull_shape(d, c->x, &why);
        break;
    case WEIBULL_SCV:
        rc = mmc_dist_weibull_scv(d, c->x, &why);
        break;
    case PARETO_SHAPE:
        rc = mmc_dist_pareto_shape(d, c->x, &why);
        break;
    case PARETO_SCV:
        rc = mmc_dist_pareto_scv(d, c->x, &why);
        break;
    case HYPEREXP_SCV:
        rc = mmc_dist_hyperexp_scv(d, c->x, &why);
        break;
    case HYPEREXP:
        rc = mmc_dist_hyperexp(d, (const double[]){0.9, 0.1}, (const double[]){2.0, 0.2}, &mean,
                               &why);
        break;
    case EMPIRICAL:
        memcpy(buf, small_sample, sizeof small_sample);
        rc = mmc_dist_empirical(d, buf, N_SMALL, &mean, &why);
        break;
    }
    ck_assert_msg(rc == 0, "case %d: %s", c->route, why ? why : "?");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

START_TEST(draws_have_the_stated_moments)
{
    const struct dist_case *c = &cases[_i];
    struct mmc_dist d;
    double buf[N_SMALL];
    build(c, &d, buf);
    const char *name = mmc_dist_kind_name(d.kind);

    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 1000 + (unsigned long)_i);
    double *x = malloc(N_DRAWS * sizeof *x);
    ck_assert_ptr_nonnull(x);
    double sum = 0.0;
    int bad = 0; /* counted, not asserted per draw: each Check assertion costs a pipe write */
    for (int i = 0; i < N_DRAWS; i++) {
        x[i] = mmc_dist_draw(&d, 1.0, r);
        bad += !(x[i] >= 0.0 && isfinite(x[i]));
        sum += x[i];
    }
    ck_assert_msg(bad == 0, "%s x=%g: %d draws negative or not finite", name, c->x, bad);
    double n = N_DRAWS, mean = sum / n, m2 = 0.0, m4 = 0.0;
    for (int i = 0; i < N_DRAWS; i++) {
        double e = (x[i] - mean) * (x[i] - mean);
        m2 += e;
        m4 += e * e;
    }
    double s2 = m2 / (n - 1.0);
    m4 /= n;

    if (isinf(d.scv)) {
        /* infinite variance (Pareto alpha <= 2): no standard error, but the mean still
           converges, at about n^(1/alpha - 1) (0.0014 for alpha 1.9) */
        ck_assert_msg(fabs(mean - 1.0) < 0.01, "%s x=%g: mean %.6f", name, c->x, mean);
    } else {
        double se = sqrt(d.scv / n);
        ck_assert_msg(fabs(mean - 1.0) <= Z * se + 1e-12, "%s x=%g: mean %.6f, se %.2e", name, c->x,
                      mean, se);
    }
    int m4_finite = !(d.kind == MMC_DIST_PARETO && d.shape <= 4.0);
    if (m4_finite) {
        double se_var = sqrt(fmax(m4 - s2 * s2, 0.0) / n);
        ck_assert_msg(fabs(s2 - d.scv) <= Z * se_var + 1e-12,
                      "%s x=%g: variance %.6f, scv %.6f, se %.2e", name, c->x, s2, d.scv, se_var);
    }
    if (d.kind == MMC_DIST_PARETO) {
        qsort(x, N_DRAWS, sizeof *x, cmp_double);
        double med = (x[N_DRAWS / 2 - 1] + x[N_DRAWS / 2]) / 2.0;
        double want = d.scale * pow(2.0, 1.0 / d.shape);
        double se = want / (d.shape * sqrt(n));
        ck_assert_msg(fabs(med - want) <= Z * se, "%s x=%g: median %.6f, want %.6f, se %.2e", name,
                      c->x, med, want, se);
    }
    ck_assert_double_eq(mmc_dist_second_moment(&d), 1.0 + d.scv);
    free(x);
    gsl_rng_free(r);
}
END_TEST

START_TEST(few_draws)
{
    struct mmc_dist d;
    double buf[N_SMALL];
    build(&cases[_i], &d, buf);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 5);
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        double x = mmc_dist_draw(&d, 2.0, r);
        bad += !(x >= 0.0 && isfinite(x));
    }
    ck_assert_int_eq(bad, 0);
    gsl_rng_free(r);
}
END_TEST

START_TEST(exponential_fast_path_is_bit_exact)
{
    struct mmc_dist d;
    mmc_dist_exponential(&d);
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(a, 42);
    gsl_rng_set(b, 42);
    int differ = 0;
    for (int i = 0; i < 10000; i++) {
        double x = mmc_dist_draw(&d, 2.5, a), y = mmc_rng_exponential(b, 2.5);
        differ += memcmp(&x, &y, sizeof x) != 0;
        x = mmc_dist_draw_unit(&d, a);
        y = mmc_rng_exponential(b, 1.0);
        differ += memcmp(&x, &y, sizeof x) != 0;
    }
    ck_assert_int_eq(differ, 0);
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

START_TEST(draw_scales_the_unit_draw)
{
    struct mmc_dist d;
    const char *why;
    ck_assert_int_eq(mmc_dist_gamma_scv(&d, 0.5, &why), 0);
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(a, 9);
    gsl_rng_set(b, 9);
    int differ = 0;
    for (int i = 0; i < 1000; i++)
        differ += mmc_dist_draw(&d, 3.0, a) != 3.0 * mmc_dist_draw_unit(&d, b);
    ck_assert_int_eq(differ, 0);
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

START_TEST(kind_names_round_trip)
{
    for (int k = 0; k < MMC_DIST_COUNT; k++) {
        const char *name = mmc_dist_kind_name((enum mmc_dist_kind)k);
        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(mmc_dist_kind_find(name), k);
    }
    ck_assert_str_eq(mmc_dist_kind_name(MMC_DIST_HYPEREXPONENTIAL), "hyperexponential");
    ck_assert_str_eq(mmc_dist_kind_name(MMC_DIST_EXPONENTIAL), "exponential");
    ck_assert_ptr_null(mmc_dist_kind_name(MMC_DIST_COUNT));
    ck_assert_int_eq(mmc_dist_kind_find("normal"), -1);
    ck_assert_int_eq(mmc_dist_kind_find("Exponential"), -1);
    ck_assert_int_eq(mmc_dist_kind_find(""), -1);
}
END_TEST

START_TEST(weibull_closed_forms)
{
    struct mmc_dist d;
    const char *why;
    ck_assert_int_eq(mmc_dist_weibull_shape(&d, 1.0, &why), 0);
    ck_assert_double_eq_tol(d.scv, 1.0, 1e-12);
    ck_assert_double_eq_tol(d.scale, 1.0, 1e-12);
    /* k = 2 (Rayleigh): lambda = 2/sqrt(pi), scv = 4/pi - 1 */
    const double pi = 4.0 * atan(1.0);
    ck_assert_int_eq(mmc_dist_weibull_shape(&d, 2.0, &why), 0);
    ck_assert_double_eq_tol(d.scale, 2.0 / sqrt(pi), 1e-12);
    ck_assert_double_eq_tol(d.scv, 4.0 / pi - 1.0, 1e-12);
    ck_assert_int_eq(mmc_dist_weibull_scv(&d, 1.0, &why), 0);
    ck_assert_double_eq_tol(d.shape, 1.0, 1e-9);
    const double scv[] = {0.1, 0.5, 3.0, 10.0};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(mmc_dist_weibull_scv(&d, scv[i], &why), 0);
        ck_assert_double_eq_tol(d.scv, scv[i], 1e-10 * scv[i]);
        struct mmc_dist e;
        ck_assert_int_eq(mmc_dist_weibull_shape(&e, d.shape, &why), 0);
        ck_assert_double_eq_tol(e.scv, scv[i], 1e-10 * scv[i]);
    }
}
END_TEST

START_TEST(other_closed_forms)
{
    struct mmc_dist d;
    const char *why;
    double mean;
    ck_assert_int_eq(mmc_dist_lognormal_scv(&d, 2.0, &why), 0);
    ck_assert_double_eq_tol(d.shape * d.shape, log(3.0), 1e-14);
    ck_assert_double_eq_tol(d.scale, -log(3.0) / 2.0, 1e-14);

    ck_assert_int_eq(mmc_dist_hyperexp_scv(&d, 4.0, &why), 0);
    ck_assert_double_eq_tol(d.p1, (1.0 + sqrt(3.0 / 5.0)) / 2.0, 1e-14);
    ck_assert_double_eq_tol(d.r1, 2.0 * d.p1, 1e-14);
    ck_assert_double_eq_tol(d.r2, 2.0 * (1.0 - d.p1), 1e-14);
    ck_assert_double_eq_tol(d.p1 / d.r1 + (1.0 - d.p1) / d.r2, 1.0, 1e-14);
    ck_assert_int_eq(mmc_dist_hyperexp_scv(&d, 1.0, &why), 0);
    ck_assert_double_eq(d.p1, 0.5);
    ck_assert_double_eq(d.r1, 1.0);
    ck_assert_double_eq(d.r2, 1.0);

    /* {0.9, 0.1} at rates {2, 0.2}: mean 0.95, E[X^2] = 2 (0.9/4 + 0.1/0.04) = 5.45 */
    ck_assert_int_eq(
        mmc_dist_hyperexp(&d, (const double[]){0.9, 0.1}, (const double[]){2, 0.2}, &mean, &why),
        0);
    ck_assert_double_eq_tol(mean, 0.95, 1e-14);
    ck_assert_double_eq_tol(d.scv, 5.45 / (0.95 * 0.95) - 1.0, 1e-12);
    ck_assert_double_eq_tol(d.r1, 1.9, 1e-14);
    ck_assert_double_eq_tol(d.r2, 0.19, 1e-14);

    const double pscv[] = {0.25, 1.0, 4.0, 16.0};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(mmc_dist_pareto_scv(&d, pscv[i], &why), 0);
        ck_assert_double_eq_tol(d.scv, pscv[i], 1e-12 * pscv[i]);
        ck_assert_double_eq_tol(d.scale, (d.shape - 1.0) / d.shape, 1e-15);
    }
    ck_assert_int_eq(mmc_dist_pareto_shape(&d, 2.0, &why), 0);
    ck_assert(isinf(d.scv));
    ck_assert(isinf(mmc_dist_second_moment(&d)));
    ck_assert_int_eq(mmc_dist_pareto_shape(&d, 3.0, &why), 0);
    ck_assert_double_eq_tol(d.scv, 1.0 / 3.0, 1e-15);

    ck_assert_int_eq(mmc_dist_uniform_range(&d, 2.0, 4.0, &mean, &why), 0);
    ck_assert_double_eq(mean, 3.0);
    ck_assert_double_eq_tol(d.scv, 1.0 / 27.0, 1e-15);
    ck_assert_int_eq(mmc_dist_uniform_scv(&d, 1.0 / 3.0, &why), 0);
    ck_assert_double_eq_tol(d.shape, 1.0, 1e-15);

    ck_assert_int_eq(mmc_dist_erlang(&d, 4.0, &why), 0);
    ck_assert_double_eq(d.scv, 0.25);
    ck_assert_int_eq(mmc_dist_gamma_scv(&d, 0.25, &why), 0);
    ck_assert_double_eq(d.shape, 4.0);
    ck_assert_double_eq(d.scale, 0.25);
    ck_assert_int_eq(mmc_dist_exponential(&d), 0);
    ck_assert_double_eq(d.scv, 1.0);
    ck_assert_int_eq(mmc_dist_deterministic(&d), 0);
    ck_assert_double_eq(d.scv, 0.0);
    ck_assert_double_eq(mmc_dist_second_moment(&d), 1.0);
}
END_TEST

START_TEST(empirical_scales_in_place)
{
    double x[] = {1.0, 2.0, 3.0, 6.0};
    struct mmc_dist d;
    const char *why;
    double mean;
    ck_assert_int_eq(mmc_dist_empirical(&d, x, 4, &mean, &why), 0);
    ck_assert_double_eq(mean, 3.0);
    ck_assert_double_eq_tol(x[3], 2.0, 1e-15);
    ck_assert_ptr_eq(d.samples, x);
    ck_assert_uint_eq(d.n_samples, 4);
    /* population variance of {1,2,3,6} is 3.5; / 3^2 */
    ck_assert_double_eq_tol(d.scv, 3.5 / 9.0, 1e-15);
    double one = 5.0;
    ck_assert_int_eq(mmc_dist_empirical(&d, &one, 1, &mean, &why), 0);
    ck_assert_double_eq(one, 1.0);
    ck_assert_double_eq(d.scv, 0.0);
}
END_TEST

/* Call must fail with a message and leave d (an exponential) alone. */
#define REJECTS(call)                                                                              \
    do {                                                                                           \
        const char *why = NULL;                                                                    \
        mmc_dist_exponential(&d);                                                                  \
        ck_assert_int_eq((call), -1);                                                              \
        ck_assert_ptr_nonnull(why);                                                                \
        ck_assert_uint_gt(strlen(why), 10);                                                        \
        ck_assert_int_eq(d.kind, MMC_DIST_EXPONENTIAL);                                            \
    } while (0)

START_TEST(bad_scv_is_rejected)
{
    struct mmc_dist d;
    const double bad[] = {-1.0, 0.0, NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 5; i++) {
        REJECTS(mmc_dist_gamma_scv(&d, bad[i], &why));
        REJECTS(mmc_dist_lognormal_scv(&d, bad[i], &why));
        REJECTS(mmc_dist_weibull_scv(&d, bad[i], &why));
        REJECTS(mmc_dist_pareto_scv(&d, bad[i], &why));
        REJECTS(mmc_dist_hyperexp_scv(&d, bad[i], &why));
        REJECTS(mmc_dist_gamma_shape(&d, bad[i], &why));
        REJECTS(mmc_dist_weibull_shape(&d, bad[i], &why));
        REJECTS(mmc_dist_pareto_shape(&d, bad[i], &why));
        REJECTS(mmc_dist_erlang(&d, bad[i], &why));
        if (bad[i] != 0.0)
            REJECTS(mmc_dist_uniform_scv(&d, bad[i], &why));
    }
    REJECTS(mmc_dist_uniform_scv(&d, 0.5, &why));
    REJECTS(mmc_dist_hyperexp_scv(&d, 0.5, &why));
    REJECTS(mmc_dist_gamma_scv(&d, 5e-324, &why)); /* 1/scv overflows */
    REJECTS(mmc_dist_weibull_scv(&d, 1e-7, &why));
    REJECTS(mmc_dist_weibull_scv(&d, 1e12, &why));
    REJECTS(mmc_dist_weibull_shape(&d, 0.04, &why));
    REJECTS(mmc_dist_weibull_shape(&d, 1001, &why));
}
END_TEST

START_TEST(bad_shapes_are_rejected)
{
    struct mmc_dist d;
    double mean;
    REJECTS(mmc_dist_erlang(&d, 0.0, &why));
    REJECTS(mmc_dist_erlang(&d, 2.5, &why));
    REJECTS(mmc_dist_erlang(&d, 1001.0, &why));
    REJECTS(mmc_dist_pareto_shape(&d, 1.0, &why));
    REJECTS(mmc_dist_pareto_shape(&d, 0.5, &why));
    REJECTS(mmc_dist_uniform_range(&d, -1.0, 1.0, &mean, &why));
    REJECTS(mmc_dist_uniform_range(&d, 3.0, 2.0, &mean, &why));
    REJECTS(mmc_dist_uniform_range(&d, 0.0, 0.0, &mean, &why));
    REJECTS(mmc_dist_uniform_range(&d, 0.0, INFINITY, &mean, &why));
    REJECTS(mmc_dist_uniform_range(&d, NAN, 1.0, &mean, &why));
    const double rates[2] = {1.0, 2.0};
    REJECTS(mmc_dist_hyperexp(&d, (const double[]){0.5, 0.6}, rates, &mean, &why));
    REJECTS(mmc_dist_hyperexp(&d, (const double[]){1.2, -0.2}, rates, &mean, &why));
    REJECTS(mmc_dist_hyperexp(&d, (const double[]){NAN, 0.5}, rates, &mean, &why));
    const double p[2] = {0.5, 0.5};
    REJECTS(mmc_dist_hyperexp(&d, p, (const double[]){-1.0, 2.0}, &mean, &why));
    REJECTS(mmc_dist_hyperexp(&d, p, (const double[]){1.0, 0.0}, &mean, &why));
    REJECTS(mmc_dist_hyperexp(&d, p, (const double[]){1.0, INFINITY}, &mean, &why));
    REJECTS(mmc_dist_hyperexp(&d, p, (const double[]){1e-300, 1e300}, &mean, &why));
}
END_TEST

START_TEST(bad_samples_are_rejected)
{
    struct mmc_dist d;
    double mean;
    double neg[] = {1.0, -0.5, 2.0}, zero[] = {0.0, 0.0}, nan[] = {1.0, NAN}, inf[] = {INFINITY};
    REJECTS(mmc_dist_empirical(&d, neg, 3, &mean, &why));
    ck_assert_double_eq(neg[0], 1.0); /* untouched on failure */
    REJECTS(mmc_dist_empirical(&d, zero, 2, &mean, &why));
    REJECTS(mmc_dist_empirical(&d, nan, 2, &mean, &why));
    REJECTS(mmc_dist_empirical(&d, inf, 1, &mean, &why));
    REJECTS(mmc_dist_empirical(&d, neg, 0, &mean, &why));
}
END_TEST

/* Read text as a sample file: its return code, with the samples, count, line and message. */
struct read_result {
    int rc;
    double *v;
    size_t n;
    unsigned long line;
    char why[256];
};

static struct read_result read_text(const char *text)
{
    char path[TEMP_PATH_SIZE];
    temp_file(path, sizeof path, text);
    struct read_result res;
    res.rc = mmc_dist_read_samples(path, &res.v, &res.n, &res.line, res.why, sizeof res.why);
    remove(path);
    return res;
}

START_TEST(sample_file_reads_header_comments_and_crlf)
{
    struct read_result res = read_text("service_time,server\r\n"
                                       "# measured 2024-05-01\r\n"
                                       "\r\n"
                                       "  1.5 ,a\r\n"
                                       "2\r\n"
                                       "   \t\r\n"
                                       "#2\n"
                                       "3e0\n"
                                       "0");
    ck_assert_msg(res.rc == 0, "%s", res.why);
    ck_assert_uint_eq(res.n, 4);
    ck_assert_double_eq(res.v[0], 1.5);
    ck_assert_double_eq(res.v[1], 2.0);
    ck_assert_double_eq(res.v[2], 3.0);
    ck_assert_double_eq(res.v[3], 0.0);
    struct mmc_dist d;
    const char *why;
    double mean;
    ck_assert_int_eq(mmc_dist_empirical(&d, res.v, res.n, &mean, &why), 0);
    ck_assert_double_eq_tol(mean, 1.625, 1e-15);
    free(res.v);
}
END_TEST

START_TEST(sample_file_takes_the_first_csv_field)
{
    struct read_result res = read_text("1,100\n2.25,200,x\n7,\n");
    ck_assert_msg(res.rc == 0, "%s", res.why);
    ck_assert_uint_eq(res.n, 3);
    ck_assert_double_eq(res.v[0], 1.0);
    ck_assert_double_eq(res.v[1], 2.25);
    ck_assert_double_eq(res.v[2], 7.0);
    free(res.v);
}
END_TEST

/* text must fail at line with a message containing part. */
static void expect_bad_file(const char *text, unsigned long line, const char *part)
{
    struct read_result res = read_text(text);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_ptr_null(res.v);
    ck_assert_uint_eq(res.n, 0);
    ck_assert_uint_eq(res.line, line);
    ck_assert_msg(strstr(res.why, part) != NULL, "\"%s\" lacks \"%s\"", res.why, part);
}

START_TEST(sample_file_errors)
{
    expect_bad_file("1\n2\nabc\n", 3, "expected a number >= 0, got \"abc\"");
    expect_bad_file("x\n# c\n1\n\nabc\n", 5, "got \"abc\"");
    expect_bad_file("1\n-1\n", 2, "got \"-1\"");
    expect_bad_file("-1\n", 1, "got \"-1\""); /* a negative number is no header */
    expect_bad_file("1\n1e400\n", 2, "finite number >= 0, got \"1e400\"");
    expect_bad_file("1\nnan\n", 2, "got \"nan\"");
    expect_bad_file("inf\n", 1, "got \"inf\"");
    expect_bad_file("1\n2.5x\n", 2, "got \"2.5x\"");
    expect_bad_file("1\n2 3\n", 2, "got \"2 3\"");
    expect_bad_file("h1\nh2\n", 2, "got \"h2\""); /* only the first line may be a header */
    expect_bad_file("", 0, "no samples");
    expect_bad_file("# nothing\n\nheader\n", 0, "no samples");
}
END_TEST

START_TEST(sample_file_missing)
{
    double dummy = 0.0, *v = &dummy; /* must be overwritten */
    size_t n = 7;
    unsigned long line = 9;
    char why[128] = "";
    ck_assert_int_eq(
        mmc_dist_read_samples("/nonexistent/dir/samples.csv", &v, &n, &line, why, sizeof why), -1);
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(line, 0);
    ck_assert_str_eq(why, strerror(ENOENT));
}
END_TEST

Suite *dist_suite(void)
{
    Suite *s = suite_create("dist");

    TCase *tc = tcase_create("moments");
    tcase_add_loop_test(tc, draws_have_the_stated_moments, 0, N_CASES);
    tcase_set_timeout(tc, 60);
    tcase_set_tags(tc, "slow");
    suite_add_tcase(s, tc);

    tc = tcase_create("draws");
    tcase_add_loop_test(tc, few_draws, 0, N_CASES);
    tcase_add_test(tc, exponential_fast_path_is_bit_exact);
    tcase_add_test(tc, draw_scales_the_unit_draw);
    suite_add_tcase(s, tc);

    tc = tcase_create("closed_forms");
    tcase_add_test(tc, kind_names_round_trip);
    tcase_add_test(tc, weibull_closed_forms);
    tcase_add_test(tc, other_closed_forms);
    tcase_add_test(tc, empirical_scales_in_place);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_test(tc, bad_scv_is_rejected);
    tcase_add_test(tc, bad_shapes_are_rejected);
    tcase_add_test(tc, bad_samples_are_rejected);
    suite_add_tcase(s, tc);

    tc = tcase_create("sample_files");
    tcase_add_test(tc, sample_file_reads_header_comments_and_crlf);
    tcase_add_test(tc, sample_file_takes_the_first_csv_field);
    tcase_add_test(tc, sample_file_errors);
    tcase_add_test(tc, sample_file_missing);
    suite_add_tcase(s, tc);
    return s;
}
