/*
 * test_process.c - arrival processes beyond renewal: MMPP-2 closed forms and
 * simulation, schedules (values, integrals, Poisson counts), batch sizes,
 * and trace files.
 *
 * Statistical checks (fixed seeds, taus2 streams from mmc_rng_create) allow
 * Z = 5 standard errors, each stated where it is used:
 *   - Poisson counts (schedules): variance = mean.
 *   - MMPP counts over a window of length t from the stationary start:
 *     Var N(t) = lambda t + 2 sigma^2 (t/a - (1 - exp(-a t))/a^2), with
 *     sigma^2 = pi0 pi1 (r0 - r1)^2 the variance of the rate process and
 *     a = 1/s0 + 1/s1 its decay rate (process.c derives it).
 *   - MMPP gaps are correlated, so their scv is judged by batch means: the
 *     standard error is the spread of per-batch estimates / sqrt(batches).
 *   - Sample variances: sqrt((m4 - s^4) / n) from the sample fourth moment.
 * Such tests are tagged "slow" (skipped under valgrind, as in test_dist.c);
 * the others draw briefly.
 */
#include "process.h"
#include "rng.h"
#include "tempfile.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Z 5.0 /* standard errors allowed */

/* The arrival stream of replication 0 of seed. */
static gsl_rng *stream(uint64_t seed)
{
    return mmc_rng_create(gsl_rng_taus2, seed, 0, MMC_STREAM_ARRIVAL);
}

/* ---- MMPP-2 ---- */

/* Bursty: pi = (0.2, 0.8), mean rate 1.4. By hand: a0 = 0.5, a1 = 0.125, a = 0.625,
 * sigma^2 = 0.16 * 4.5^2 = 3.24, r0 r1 + r0 a1 + r1 a0 = 2.5 + 0.625 + 0.25 = 3.375, so
 * scv = 1 + 6.48 / 3.375 = 2.92 and idc = 1 + 6.48 / (1.4 * 0.625) = 1 + 7.4057142857... */
static const struct mmc_mmpp bursty = {{5.0, 0.5}, {2.0, 8.0}};

/* Var N(t) of m at scale from the stationary start (see the top comment). */
static double count_var(const struct mmc_mmpp *m, double scale, double t)
{
    double s0 = m->sojourn[0], s1 = m->sojourn[1];
    double pi0 = s0 / (s0 + s1), d = scale * (m->rate[0] - m->rate[1]);
    double sigma2 = pi0 * (1.0 - pi0) * d * d, a = 1.0 / s0 + 1.0 / s1;
    return scale * mmc_mmpp_mean_rate(m) * t + 2.0 * sigma2 * (t / a + expm1(-a * t) / (a * a));
}

START_TEST(mmpp_closed_forms)
{
    ck_assert_int_eq(mmc_mmpp_check(&bursty, NULL), 0);
    ck_assert_double_eq_tol(mmc_mmpp_mean_rate(&bursty), 1.4, 1e-15);
    ck_assert_double_eq_tol(mmc_mmpp_gap_scv(&bursty), 2.92, 1e-14);
    ck_assert_double_eq_tol(mmc_mmpp_idc(&bursty), 1.0 + 6.48 / 0.875, 1e-14);

    /* equal rates: Poisson */
    const struct mmc_mmpp flat = {{2.0, 2.0}, {1.0, 3.0}};
    ck_assert_double_eq_tol(mmc_mmpp_mean_rate(&flat), 2.0, 1e-15);
    ck_assert_double_eq(mmc_mmpp_gap_scv(&flat), 1.0);
    ck_assert_double_eq(mmc_mmpp_idc(&flat), 1.0);

    /* interrupted Poisson (r1 = 0): a renewal process (H2), whose idc equals its scv;
       1 + 2 r0 a0 / (a0 + a1)^2 = 1 + 6 / 1.5625 = 4.84, and mean rate 0.2 * 3 */
    const struct mmc_mmpp ipp = {{3.0, 0.0}, {1.0, 4.0}};
    ck_assert_double_eq_tol(mmc_mmpp_mean_rate(&ipp), 0.6, 1e-15);
    ck_assert_double_eq_tol(mmc_mmpp_gap_scv(&ipp), 4.84, 1e-14);
    ck_assert_double_eq_tol(mmc_mmpp_idc(&ipp), 4.84, 1e-14);
    const struct mmc_mmpp ipp_swapped = {{0.0, 3.0}, {4.0, 1.0}};
    ck_assert_double_eq_tol(mmc_mmpp_gap_scv(&ipp_swapped), 4.84, 1e-14);
}
END_TEST

START_TEST(mmpp_invalid)
{
    const struct mmc_mmpp bad[] = {
        {{-1.0, 1.0}, {1.0, 1.0}}, {{1.0, NAN}, {1.0, 1.0}},      {{INFINITY, 1.0}, {1.0, 1.0}},
        {{0.0, 0.0}, {1.0, 1.0}},  {{1.0, 1.0}, {0.0, 1.0}},      {{1.0, 1.0}, {1.0, -2.0}},
        {{1.0, 1.0}, {NAN, 1.0}},  {{1.0, 1.0}, {1.0, INFINITY}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        ck_assert_int_eq(mmc_mmpp_check(&bad[i], &why), -1);
        ck_assert_ptr_nonnull(why);
        ck_assert_msg(strncmp(why, "mmpp: ", 6) == 0 && strlen(why) > 20, "%zu: %s", i, why);
    }
    const struct mmc_mmpp on_off = {{0.0, 1.0}, {1.0, 1.0}};
    ck_assert_int_eq(mmc_mmpp_check(&on_off, NULL), 0);
}
END_TEST

START_TEST(mmpp_start_is_stationary)
{
    /* phase 0 with probability pi0 = 0.2 (binomial se), the residual sojourn exponential with
       the phase's mean (se = mean / sqrt(count)) */
    enum { N = 100000 };
    gsl_rng *r = stream(11);
    double n[2] = {0, 0}, sum[2] = {0, 0};
    for (int i = 0; i < N; i++) {
        struct mmc_mmpp_state st;
        mmc_mmpp_start(&bursty, &st, 7.0, r);
        n[st.phase]++;
        sum[st.phase] += st.t_switch - 7.0;
    }
    ck_assert_double_eq_tol(n[0] / N, 0.2, Z * sqrt(0.2 * 0.8 / N));
    for (int i = 0; i < 2; i++) {
        double s = bursty.sojourn[i];
        ck_assert_double_eq_tol(sum[i] / n[i], s, Z * s / sqrt(n[i]));
    }
    gsl_rng_free(r);
}
END_TEST

/* What one long MMPP path gave. */
struct mmpp_path {
    double n;                         /* arrivals in [0, T) */
    double n_phase[2];                /* of which in each phase */
    double win_mean, win_var, win_se; /* window counts: mean, variance, se of the variance */
    double scv, scv_se;               /* gap scv by batch means, with its standard error */
};

enum { N_WINDOWS = 10000, GAP_BATCH = 10000 };

/* Summarise window counts c[0 .. N_WINDOWS-1] into p. */
static void summarise_windows(const double *c, struct mmpp_path *p)
{
    double mean = 0.0, m2 = 0.0, m4 = 0.0;
    for (int i = 0; i < N_WINDOWS; i++)
        mean += c[i] / N_WINDOWS;
    for (int i = 0; i < N_WINDOWS; i++) {
        double e = (c[i] - mean) * (c[i] - mean);
        m2 += e;
        m4 += e * e;
    }
    p->win_mean = mean;
    p->win_var = m2 / (N_WINDOWS - 1);
    p->win_se = sqrt((m4 / N_WINDOWS - p->win_var * p->win_var) / N_WINDOWS);
}

/* Run m at scale over [0, N_WINDOWS * window) from a stationary start. */
static void run_mmpp(const struct mmc_mmpp *m, double scale, double window, uint64_t seed,
                     struct mmpp_path *p)
{
    gsl_rng *r = stream(seed);
    double *count = calloc(N_WINDOWS, sizeof *count);
    ck_assert_ptr_nonnull(count);
    double horizon = N_WINDOWS * window;
    double g1 = 0.0, g2 = 0.0, b1 = 0.0, b2 = 0.0, n_batches = 0.0;
    int in_batch = 0;
    *p = (struct mmpp_path){0};
    struct mmc_mmpp_state st;
    mmc_mmpp_start(m, &st, 0.0, r);
    double t = mmc_mmpp_next(m, &st, 0.0, scale, r);
    while (t < horizon) {
        int w = (int)(t / window); /* t < horizon, but the division may round up to N_WINDOWS */
        count[w < N_WINDOWS ? w : N_WINDOWS - 1]++;
        p->n++;
        p->n_phase[st.phase]++;
        double next = mmc_mmpp_next(m, &st, t, scale, r), gap = next - t;
        t = next;
        g1 += gap;
        g2 += gap * gap;
        if (++in_batch == GAP_BATCH) {
            double mean = g1 / GAP_BATCH, scv = (g2 / GAP_BATCH - mean * mean) / (mean * mean);
            b1 += scv;
            b2 += scv * scv;
            n_batches++;
            g1 = g2 = 0.0;
            in_batch = 0;
        }
    }
    summarise_windows(count, p);
    p->scv = b1 / n_batches;
    p->scv_se = sqrt((b2 / n_batches - p->scv * p->scv) / (n_batches - 1.0));
    free(count);
    gsl_rng_free(r);
}

START_TEST(mmpp_path_matches_closed_forms)
{
    /* 10^6 expected arrivals in 10^4 windows of 100 */
    const struct mmc_mmpp *m = &bursty;
    double lambda = mmc_mmpp_mean_rate(m), window = 100.0 / lambda, horizon = N_WINDOWS * window;
    struct mmpp_path p;
    run_mmpp(m, 1.0, window, 2024, &p);

    double sd = sqrt(count_var(m, 1.0, horizon));
    ck_assert_msg(fabs(p.n - lambda * horizon) <= Z * sd, "count %.0f, want %.0f, sd %.0f", p.n,
                  lambda * horizon, sd);
    double want_var = count_var(m, 1.0, window);
    ck_assert_msg(fabs(p.win_var - want_var) <= Z * p.win_se,
                  "window variance %.2f, want %.2f, se %.2f", p.win_var, want_var, p.win_se);
    ck_assert_msg(fabs(p.scv - mmc_mmpp_gap_scv(m)) <= Z * p.scv_se,
                  "gap scv %.4f, want %.4f, se %.4f", p.scv, mmc_mmpp_gap_scv(m), p.scv_se);

    /* time in phase i, estimated as N_i / (r_i T): Var N_i = r_i E[T_i] + r_i^2 Var T_i, and
       Var T_i <= 2 pi0 pi1 T / a (the occupation time of a two-state chain) */
    const double pi[2] = {0.2, 0.8}, a = 0.625;
    for (int i = 0; i < 2; i++) {
        double frac = p.n_phase[i] / (m->rate[i] * horizon);
        double se = sqrt(pi[i] / (m->rate[i] * horizon) + 2.0 * pi[0] * pi[1] / (a * horizon));
        ck_assert_msg(fabs(frac - pi[i]) <= Z * se, "phase %d: time fraction %.5f, se %.5f", i,
                      frac, se);
    }
}
END_TEST

START_TEST(mmpp_scale_multiplies_the_rate)
{
    /* scale 2 over half the time: again 10^6 expected arrivals, Var from count_var at scale 2 */
    const struct mmc_mmpp *m = &bursty;
    double lambda = 2.0 * mmc_mmpp_mean_rate(m), window = 100.0 / lambda;
    double horizon = N_WINDOWS * window;
    struct mmpp_path p;
    run_mmpp(m, 2.0, window, 77, &p);
    double sd = sqrt(count_var(m, 2.0, horizon));
    ck_assert_msg(fabs(p.n - lambda * horizon) <= Z * sd, "count %.0f, want %.0f, sd %.0f", p.n,
                  lambda * horizon, sd);
    /* the gap scv at scale 2 is that of the process with doubled rates */
    const struct mmc_mmpp doubled = {{10.0, 1.0}, {2.0, 8.0}};
    ck_assert_msg(fabs(p.scv - mmc_mmpp_gap_scv(&doubled)) <= Z * p.scv_se,
                  "gap scv %.4f, want %.4f, se %.4f", p.scv, mmc_mmpp_gap_scv(&doubled), p.scv_se);
}
END_TEST

START_TEST(mmpp_next_carries_the_phase_forward)
{
    /* asking from a time past the state's switch: the arrival is later than that time, and
       the state is left consistent (its switch after the arrival it returned) */
    gsl_rng *r = stream(5);
    const struct mmc_mmpp on_off = {{3.0, 0.0}, {1.0, 1.0}};
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        struct mmc_mmpp_state st;
        mmc_mmpp_start(&on_off, &st, 0.0, r);
        double t = st.t_switch + 10.0 * (i % 7);
        double x = mmc_mmpp_next(&on_off, &st, t, 1.0, r);
        bad += !(x > t && isfinite(x) && st.t_switch > x && st.phase == 0);
    }
    ck_assert_int_eq(bad, 0);
    gsl_rng_free(r);
}
END_TEST

/* ---- schedules ---- */

static const double step_t[] = {0, 10, 20, 30}, step_v[] = {1, 5, 0, 2};
static const struct mmc_schedule step = {4, step_t, step_v, false};
static const double lin_t[] = {0, 10, 20}, lin_v[] = {0, 10, 2};
static const struct mmc_schedule lin = {3, lin_t, lin_v, true};

START_TEST(schedule_step_values)
{
    ck_assert_int_eq(mmc_schedule_check(&step, NULL), 0);
    ck_assert_uint_eq(mmc_schedule_segment(&step, 0.0), 0);
    ck_assert_uint_eq(mmc_schedule_segment(&step, 9.999), 0);
    ck_assert_uint_eq(mmc_schedule_segment(&step, 10.0), 1);
    ck_assert_uint_eq(mmc_schedule_segment(&step, 29.9), 2);
    ck_assert_uint_eq(mmc_schedule_segment(&step, 30.0), 3);
    ck_assert_uint_eq(mmc_schedule_segment(&step, 1e9), 3);
    ck_assert_double_eq(mmc_schedule_at(&step, 0.0), 1.0);
    ck_assert_double_eq(mmc_schedule_at(&step, 10.0), 5.0);
    ck_assert_double_eq(mmc_schedule_at(&step, 25.0), 0.0);
    ck_assert_double_eq(mmc_schedule_at(&step, 1e9), 2.0);
    /* 10 * 1 + 10 * 5 + 10 * 0 = 60; from 5 to 35: 5 + 50 + 0 + 5 * 2 = 65 */
    ck_assert_double_eq_tol(mmc_schedule_integral(&step, 0.0, 30.0), 60.0, 1e-12);
    ck_assert_double_eq_tol(mmc_schedule_integral(&step, 5.0, 35.0), 65.0, 1e-12);
    ck_assert_double_eq_tol(mmc_schedule_integral(&step, 12.0, 14.0), 10.0, 1e-12);
    ck_assert_double_eq(mmc_schedule_integral(&step, 22.0, 28.0), 0.0);
    ck_assert_double_eq(mmc_schedule_integral(&step, 3.0, 3.0), 0.0);
    ck_assert(isinf(mmc_schedule_integral(&step, 0.0, INFINITY)));

    const double one_t[] = {0}, one_v[] = {3};
    const struct mmc_schedule one = {1, one_t, one_v, true};
    ck_assert_int_eq(mmc_schedule_check(&one, NULL), 0);
    ck_assert_double_eq(mmc_schedule_at(&one, 5.0), 3.0);
    ck_assert_double_eq_tol(mmc_schedule_integral(&one, 2.0, 5.0), 9.0, 1e-12);
}
END_TEST

START_TEST(schedule_linear_values)
{
    ck_assert_int_eq(mmc_schedule_check(&lin, NULL), 0);
    ck_assert_double_eq(mmc_schedule_at(&lin, 0.0), 0.0);
    ck_assert_double_eq_tol(mmc_schedule_at(&lin, 5.0), 5.0, 1e-14);
    ck_assert_double_eq(mmc_schedule_at(&lin, 10.0), 10.0);
    ck_assert_double_eq_tol(mmc_schedule_at(&lin, 15.0), 6.0, 1e-14);
    ck_assert_double_eq(mmc_schedule_at(&lin, 20.0), 2.0);
    ck_assert_double_eq(mmc_schedule_at(&lin, 25.0), 2.0);
    /* triangles and trapezoids: 10 * 10 / 2 = 50; (10 + 2) / 2 * 10 = 60; tail 2 * 10 = 20;
       from 5 to 15: (5 + 10) / 2 * 5 + (10 + 6) / 2 * 5 = 37.5 + 40 */
    ck_assert_double_eq_tol(mmc_schedule_integral(&lin, 0.0, 10.0), 50.0, 1e-12);
    ck_assert_double_eq_tol(mmc_schedule_integral(&lin, 10.0, 20.0), 60.0, 1e-12);
    ck_assert_double_eq_tol(mmc_schedule_integral(&lin, 0.0, 30.0), 130.0, 1e-12);
    ck_assert_double_eq_tol(mmc_schedule_integral(&lin, 5.0, 15.0), 77.5, 1e-12);

    /* a tail of 0 has a finite total: linear 4 -> 0 is 20, the same steps 40 */
    const double t[] = {0, 10}, v[] = {4, 0};
    struct mmc_schedule s = {2, t, v, true};
    ck_assert_double_eq_tol(mmc_schedule_integral(&s, 0.0, INFINITY), 20.0, 1e-12);
    s.linear = false;
    ck_assert_double_eq_tol(mmc_schedule_integral(&s, 0.0, INFINITY), 40.0, 1e-12);
}
END_TEST

START_TEST(schedule_invalid)
{
    const double t_ok[] = {0, 1, 2}, v_ok[] = {1, 1, 1};
    const double t_late[] = {1, 2, 3}, t_flat[] = {0, 5, 5}, t_down[] = {0, 5, 3};
    const double t_nan[] = {0, NAN, 2}, t_inf[] = {0, 1, INFINITY};
    const double v_neg[] = {1, -1, 1}, v_nan[] = {1, 1, NAN}, v_inf[] = {INFINITY, 1, 1};
    const struct mmc_schedule bad[] = {
        {0, t_ok, v_ok, false},   {3, t_late, v_ok, false}, {3, t_flat, v_ok, true},
        {3, t_down, v_ok, false}, {3, t_nan, v_ok, false},  {3, t_inf, v_ok, true},
        {3, t_ok, v_neg, false},  {3, t_ok, v_nan, true},   {3, t_ok, v_inf, false},
        {3, NULL, v_ok, false},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        ck_assert_int_eq(mmc_schedule_check(&bad[i], &why), -1);
        ck_assert_ptr_nonnull(why);
        ck_assert_msg(strncmp(why, "schedule: ", 10) == 0 && strlen(why) > 25, "%zu: %s", i, why);
    }
}
END_TEST

/* Arrivals of s at scale from time 0 up to (not including) end, or until INFINITY, counted
 * into the windows [lo[k], hi[k]). Returns the total. */
static double count_schedule(const struct mmc_schedule *s, double scale, double end, uint64_t seed,
                             const double (*win)[2], double *n_win, int k)
{
    gsl_rng *r = stream(seed);
    double n = 0.0;
    for (double t = mmc_schedule_next(s, 0.0, scale, r); t < end;
         t = mmc_schedule_next(s, t, scale, r)) {
        n++;
        for (int i = 0; i < k; i++)
            n_win[i] += t >= win[i][0] && t < win[i][1];
    }
    gsl_rng_free(r);
    return n;
}

/* count (Poisson) is within Z sd of its mean scale * the integral over [a, b]. */
static void expect_poisson(const struct mmc_schedule *s, double scale, double a, double b,
                           double count)
{
    double mean = scale * mmc_schedule_integral(s, a, b);
    ck_assert_msg(fabs(count - mean) <= Z * sqrt(mean), "[%g, %g): %.0f arrivals, want %.0f", a, b,
                  count, mean);
}

START_TEST(schedule_step_counts)
{
    /* a spike of 50 on [100, 110), 1 around it, 0 after 200: 690000 arrivals at scale 1000,
       then INFINITY */
    const double t[] = {0, 100, 110, 200}, v[] = {1, 50, 1, 0};
    const struct mmc_schedule s = {4, t, v, false};
    const double win[][2] = {{0, 100}, {100, 110}, {105, 130}, {199, 200}};
    double n_win[4] = {0};
    double n = count_schedule(&s, 1000.0, INFINITY, 31, win, n_win, 4);
    expect_poisson(&s, 1000.0, 0.0, INFINITY, n);
    for (int i = 0; i < 4; i++)
        expect_poisson(&s, 1000.0, win[i][0], win[i][1], n_win[i]);
}
END_TEST

START_TEST(schedule_linear_counts)
{
    /* up from 0 to 20 at 50, down to 5 at 100 and 5 after: 1125 * 500 arrivals on [0, 100) */
    const double t[] = {0, 50, 100}, v[] = {0, 20, 5};
    const struct mmc_schedule s = {3, t, v, true};
    const double win[][2] = {{0, 10}, {40, 60}, {90, 100}, {49.5, 50.5}};
    double n_win[4] = {0};
    double n = count_schedule(&s, 500.0, 100.0, 32, win, n_win, 4);
    expect_poisson(&s, 500.0, 0.0, 100.0, n);
    for (int i = 0; i < 4; i++)
        expect_poisson(&s, 500.0, win[i][0], win[i][1], n_win[i]);

    /* down to 0 at 10 and 0 after: 20 * 1000 arrivals in all, then INFINITY */
    const double t0[] = {0, 10}, v0[] = {4, 0};
    const struct mmc_schedule z = {2, t0, v0, true};
    const double zwin[][2] = {{0, 2}, {8, 10}};
    double zn_win[2] = {0};
    n = count_schedule(&z, 1000.0, INFINITY, 33, zwin, zn_win, 2);
    expect_poisson(&z, 1000.0, 0.0, INFINITY, n);
    for (int i = 0; i < 2; i++)
        expect_poisson(&z, 1000.0, zwin[i][0], zwin[i][1], zn_win[i]);
}
END_TEST

START_TEST(schedule_next_skips_zero_segments)
{
    const double t[] = {0, 10, 20, 30}, v[] = {1, 0, 1, 0};
    struct mmc_schedule s = {4, t, v, false};
    gsl_rng *r = stream(3);
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        double x = mmc_schedule_next(&s, 12.0, 1.0, r);
        bad += !(x >= 20.0 && x < 30.0) && !isinf(x);
        bad += !isinf(mmc_schedule_next(&s, 30.0, 1.0, r));
        bad += !isinf(mmc_schedule_next(&s, 1e6, 1.0, r));
    }
    s.linear = true; /* the tail after 30 is still 0 */
    for (int i = 0; i < 1000; i++)
        bad += !isinf(mmc_schedule_next(&s, 30.0, 1.0, r));
    ck_assert_int_eq(bad, 0);
    gsl_rng_free(r);
}
END_TEST

/* ---- batch sizes ---- */

enum { N_BATCHES = 1000000 };

/* Draw N_BATCHES sizes of b (with n draws of size k counted into *n_k); mean and variance are
 * within Z se of the closed forms. */
static void expect_batch_moments(const struct mmc_batch_size *b, uint64_t seed, uint64_t k,
                                 double *n_k)
{
    gsl_rng *r = stream(seed);
    uint64_t *x = malloc(N_BATCHES * sizeof *x);
    ck_assert_ptr_nonnull(x);
    double sum = 0.0, n = N_BATCHES;
    *n_k = 0.0;
    for (int i = 0; i < N_BATCHES; i++) {
        x[i] = mmc_batch_size_draw(b, r);
        sum += (double)x[i];
        *n_k += x[i] == k;
    }
    double mean = sum / n, m2 = 0.0, m4 = 0.0;
    for (int i = 0; i < N_BATCHES; i++) {
        double e = ((double)x[i] - mean) * ((double)x[i] - mean);
        m2 += e;
        m4 += e * e;
    }
    double s2 = m2 / (n - 1.0), se_var = sqrt((m4 / n - s2 * s2) / n);
    double want_mean = mmc_batch_size_mean(b);
    double want_var = mmc_batch_size_second_moment(b) - want_mean * want_mean;
    ck_assert_msg(fabs(mean - want_mean) <= Z * sqrt(want_var / n), "mean %.5f, want %.5f", mean,
                  want_mean);
    ck_assert_msg(fabs(s2 - want_var) <= Z * se_var, "variance %.4f, want %.4f, se %.4f", s2,
                  want_var, se_var);
    free(x);
    gsl_rng_free(r);
}

START_TEST(batch_closed_forms)
{
    struct mmc_batch_size b;
    ck_assert_int_eq(mmc_batch_size_constant(&b, 3.0, NULL), 0);
    ck_assert_double_eq(mmc_batch_size_mean(&b), 3.0);
    ck_assert_double_eq(mmc_batch_size_second_moment(&b), 9.0);
    /* geometric mean 4: p = 1/4, Var = (1 - p) / p^2 = 12, E[B^2] = 12 + 16 */
    ck_assert_int_eq(mmc_batch_size_geometric(&b, 4.0, NULL), 0);
    ck_assert_double_eq(mmc_batch_size_mean(&b), 4.0);
    ck_assert_double_eq(mmc_batch_size_second_moment(&b), 28.0);
    ck_assert_int_eq(mmc_batch_size_geometric(&b, 1.0, NULL), 0);
    ck_assert_double_eq(mmc_batch_size_second_moment(&b), 1.0);
    /* 0.4 + 0.6 + 1 + 1 = 3; 0.4 + 1.2 + 5 + 10 = 16.6 */
    const double sizes[] = {1, 2, 5, 10}, probs[] = {0.4, 0.3, 0.2, 0.1};
    ck_assert_int_eq(mmc_batch_size_table(&b, sizes, probs, 4, NULL), 0);
    ck_assert_double_eq_tol(mmc_batch_size_mean(&b), 3.0, 1e-14);
    ck_assert_double_eq_tol(mmc_batch_size_second_moment(&b), 16.6, 1e-13);
}
END_TEST

START_TEST(batch_degenerate_draws)
{
    /* constant, geometric of mean 1, and a table whose other entries have probability 0 */
    struct mmc_batch_size c, g, t;
    ck_assert_int_eq(mmc_batch_size_constant(&c, 7.0, NULL), 0);
    ck_assert_int_eq(mmc_batch_size_geometric(&g, 1.0, NULL), 0);
    const double sizes[] = {4, 9, 6}, probs[] = {0.0, 1.0, 0.0};
    ck_assert_int_eq(mmc_batch_size_table(&t, sizes, probs, 3, NULL), 0);
    gsl_rng *r = stream(8);
    int bad = 0;
    for (int i = 0; i < 10000; i++) {
        bad += mmc_batch_size_draw(&c, r) != 7;
        bad += mmc_batch_size_draw(&g, r) != 1;
        bad += mmc_batch_size_draw(&t, r) != 9;
    }
    ck_assert_int_eq(bad, 0);
    gsl_rng_free(r);
}
END_TEST

START_TEST(batch_draws_have_the_stated_moments)
{
    /* geometric 4: P(1) = 1/4; table: P(5) = 0.2 (binomial se) */
    struct mmc_batch_size b;
    double n_k;
    ck_assert_int_eq(mmc_batch_size_geometric(&b, 4.0, NULL), 0);
    expect_batch_moments(&b, 41, 1, &n_k);
    ck_assert_double_eq_tol(n_k / N_BATCHES, 0.25, Z * sqrt(0.25 * 0.75 / N_BATCHES));
    const double sizes[] = {1, 2, 5, 10}, probs[] = {0.4, 0.3, 0.2, 0.1};
    ck_assert_int_eq(mmc_batch_size_table(&b, sizes, probs, 4, NULL), 0);
    expect_batch_moments(&b, 42, 5, &n_k);
    ck_assert_double_eq_tol(n_k / N_BATCHES, 0.2, Z * sqrt(0.2 * 0.8 / N_BATCHES));
    ck_assert_int_eq(mmc_batch_size_geometric(&b, 1000.0, NULL), 0);
    expect_batch_moments(&b, 43, 1, &n_k);
}
END_TEST

/* Call must fail with a message and leave b (a constant 7) alone. */
#define REJECTS(call)                                                                              \
    do {                                                                                           \
        const char *why = NULL;                                                                    \
        mmc_batch_size_constant(&b, 7.0, NULL);                                                    \
        ck_assert_int_eq((call), -1);                                                              \
        ck_assert_ptr_nonnull(why);                                                                \
        ck_assert_uint_gt(strlen(why), 20);                                                        \
        ck_assert_int_eq(b.kind, MMC_BATCH_CONSTANT);                                              \
        ck_assert_double_eq(b.mean, 7.0);                                                          \
    } while (0)

START_TEST(batch_invalid)
{
    struct mmc_batch_size b;
    const double bad_const[] = {0.0, 0.5, 2.5, -1.0, 1e6 + 1, NAN, INFINITY};
    for (int i = 0; i < 7; i++)
        REJECTS(mmc_batch_size_constant(&b, bad_const[i], &why));
    const double bad_mean[] = {0.999, 0.0, -2.0, 1e6 + 1, NAN, INFINITY};
    for (int i = 0; i < 6; i++)
        REJECTS(mmc_batch_size_geometric(&b, bad_mean[i], &why));
    const double sizes[] = {1, 2}, probs[] = {0.5, 0.5};
    double many[MMC_BATCH_MAX_SIZES + 1];
    for (int i = 0; i <= MMC_BATCH_MAX_SIZES; i++)
        many[i] = 1.0;
    REJECTS(mmc_batch_size_table(&b, sizes, probs, 0, &why));
    REJECTS(mmc_batch_size_table(&b, many, many, MMC_BATCH_MAX_SIZES + 1, &why));
    REJECTS(mmc_batch_size_table(&b, (const double[]){0, 2}, probs, 2, &why));
    REJECTS(mmc_batch_size_table(&b, (const double[]){1.5, 2}, probs, 2, &why));
    REJECTS(mmc_batch_size_table(&b, (const double[]){1, NAN}, probs, 2, &why));
    REJECTS(mmc_batch_size_table(&b, (const double[]){1, 2e6}, probs, 2, &why));
    REJECTS(mmc_batch_size_table(&b, sizes, (const double[]){-0.1, 1.1}, 2, &why));
    REJECTS(mmc_batch_size_table(&b, sizes, (const double[]){NAN, 0.5}, 2, &why));
    REJECTS(mmc_batch_size_table(&b, sizes, (const double[]){0.5, 0.4}, 2, &why));
    REJECTS(mmc_batch_size_table(&b, sizes, (const double[]){0.5, 0.5 - 2e-9}, 2, &why));
    /* within 1e-9 of 1 is accepted */
    ck_assert_int_eq(mmc_batch_size_table(&b, sizes, (const double[]){0.5, 0.5 - 5e-10}, 2, NULL),
                     0);
    ck_assert_int_eq(mmc_batch_size_table(&b, many, many, 1, NULL), 0);
}
END_TEST

/* ---- traces ---- */

/* A trace read from text, through a temporary file. */
struct trace_result {
    int rc;
    struct mmc_trace tr;
    unsigned long line;
    char why[256];
};

static struct trace_result read_trace(const char *text)
{
    char path[TEMP_PATH_SIZE];
    temp_file(path, sizeof path, text);
    struct trace_result res;
    res.rc = mmc_trace_read(path, &res.tr, &res.line, res.why, sizeof res.why);
    ck_assert_int_eq(remove(path), 0);
    return res;
}

START_TEST(trace_timestamps_only)
{
    struct trace_result res = read_trace("100\n101.5\n101.5\n110");
    ck_assert_msg(res.rc == 0, "%s", res.why);
    ck_assert_uint_eq(res.tr.n, 4);
    ck_assert_ptr_null(res.tr.svc);
    const double want[] = {0.0, 1.5, 1.5, 10.0};
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(res.tr.t[i], want[i]);
    mmc_trace_fini(&res.tr);
    ck_assert_ptr_null(res.tr.t);
    ck_assert_uint_eq(res.tr.n, 0);
    mmc_trace_fini(&res.tr); /* an empty trace is fine */

    res = read_trace("-5\n-3\n"); /* negative times are fine: only the differences count */
    ck_assert_msg(res.rc == 0, "%s", res.why);
    ck_assert_double_eq(res.tr.t[1], 2.0);
    mmc_trace_fini(&res.tr);
}
END_TEST

START_TEST(trace_with_header_service_and_crlf)
{
    struct trace_result res = read_trace("time,service\r\n"
                                         "# exported 2024-05-01\r\n"
                                         "\r\n"
                                         "1700000000.25, 0.5\r\n"
                                         "  1700000001.75 ,1.25\r\n"
                                         "1700000003.25,0\r\n");
    ck_assert_msg(res.rc == 0, "%s", res.why);
    ck_assert_uint_eq(res.tr.n, 3);
    ck_assert_ptr_nonnull(res.tr.svc);
    const double t[] = {0.0, 1.5, 3.0}, svc[] = {0.5, 1.25, 0.0};
    for (int i = 0; i < 3; i++) {
        ck_assert_double_eq(res.tr.t[i], t[i]); /* quarter seconds are exact at 1.7e9 */
        ck_assert_double_eq(res.tr.svc[i], svc[i]);
    }
    mmc_trace_fini(&res.tr);
}
END_TEST

/* text must fail at line with a message containing part, leaving the trace empty. */
static void expect_bad_trace(const char *text, unsigned long line, const char *part)
{
    struct trace_result res = read_trace(text);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_ptr_null(res.tr.t);
    ck_assert_ptr_null(res.tr.svc);
    ck_assert_uint_eq(res.tr.n, 0);
    ck_assert_msg(res.line == line, "\"%s\": line %lu, want %lu", text, res.line, line);
    ck_assert_msg(strstr(res.why, part) != NULL, "\"%s\" lacks \"%s\"", res.why, part);
}

START_TEST(trace_errors)
{
    expect_bad_trace("5\n4\n", 2, "timestamp 4 is before the previous one, 5");
    expect_bad_trace("t\n1\n# c\n3\n\n2\n", 6, "timestamp 2 is before");
    expect_bad_trace("1,0.5\n2\n", 2, "expected 2 fields as on the first line, got 1");
    expect_bad_trace("1\n2,0.5\n", 2, "expected 1 field as on the first line, got 2");
    expect_bad_trace("t,s,x\n1,2,3\n", 2, "expected timestamp[,service_time], got 3 fields");
    expect_bad_trace("1\nabc\n", 2, "expected a timestamp, got \"abc\"");
    expect_bad_trace("h1\nh2\n", 2, "got \"h2\""); /* only the first line may be a header */
    expect_bad_trace("1\ninf\n", 2, "expected a finite timestamp, got \"inf\"");
    expect_bad_trace("1,-0.5\n", 1, "expected a service time >= 0, got \"-0.5\"");
    expect_bad_trace("1,2\n3,x\n", 2, "expected a service time >= 0, got \"x\"");
    expect_bad_trace("1,nan\n", 1, "expected a finite service time >= 0, got \"nan\"");
    expect_bad_trace("1,\n", 1, "got \"\"");
    expect_bad_trace("", 0, "no arrivals");
    expect_bad_trace("time,service\n# nothing\n", 0, "no arrivals");
}
END_TEST

START_TEST(trace_missing_file)
{
    struct mmc_trace tr = {.n = 3};
    unsigned long line = 9;
    char why[128] = "";
    ck_assert_int_eq(mmc_trace_read("/nonexistent/dir/arrivals.csv", &tr, &line, why, sizeof why),
                     -1);
    ck_assert_ptr_null(tr.t);
    ck_assert_uint_eq(tr.n, 0);
    ck_assert_uint_eq(line, 0);
    ck_assert_str_eq(why, strerror(ENOENT));
}
END_TEST

Suite *process_suite(void)
{
    Suite *s = suite_create("process");

    TCase *tc = tcase_create("mmpp");
    tcase_add_test(tc, mmpp_closed_forms);
    tcase_add_test(tc, mmpp_invalid);
    tcase_add_test(tc, mmpp_next_carries_the_phase_forward);
    suite_add_tcase(s, tc);

    tc = tcase_create("schedule");
    tcase_add_test(tc, schedule_step_values);
    tcase_add_test(tc, schedule_linear_values);
    tcase_add_test(tc, schedule_invalid);
    tcase_add_test(tc, schedule_next_skips_zero_segments);
    suite_add_tcase(s, tc);

    tc = tcase_create("batch");
    tcase_add_test(tc, batch_closed_forms);
    tcase_add_test(tc, batch_degenerate_draws);
    tcase_add_test(tc, batch_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("trace");
    tcase_add_test(tc, trace_timestamps_only);
    tcase_add_test(tc, trace_with_header_service_and_crlf);
    tcase_add_test(tc, trace_errors);
    tcase_add_test(tc, trace_missing_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("statistics");
    tcase_add_test(tc, mmpp_start_is_stationary);
    tcase_add_test(tc, mmpp_path_matches_closed_forms);
    tcase_add_test(tc, mmpp_scale_multiplies_the_rate);
    tcase_add_test(tc, schedule_step_counts);
    tcase_add_test(tc, schedule_linear_counts);
    tcase_add_test(tc, batch_draws_have_the_stated_moments);
    tcase_set_timeout(tc, 60);
    tcase_set_tags(tc, "slow");
    suite_add_tcase(s, tc);
    return s;
}
