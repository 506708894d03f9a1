/*
 * test_edge.c - numerical edge cases, each with its stated expectation:
 * load at and next to 1, no arrivals, extreme service rates, one and a
 * hundred thousand workers, no and huge network delays, a task arriving at
 * t = 1e9 s, 1e10 events in one run (tagged "long": `make unit-long`), and
 * the numbers YAML can spell that a scenario must refuse (NaN, infinities,
 * overflow, negative zero, integers too large for their type).
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- load at and next to 1 ---- */

START_TEST(closed_forms_next_to_rho_one)
{
    /* M/M/1: Wq = rho / (mu - lambda), Lq = rho^2 / (1 - rho): exact in rationals */
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(0.999, 1.0, 1, 0.0, &e), 0);
    ck_assert(e.stable);
    ck_assert_double_eq_tol(e.wq, 999.0, 999.0 * 1e-10);
    ck_assert_double_eq_tol(e.lq, 998.001, 998.001 * 1e-10);
    ck_assert_int_eq(mmc_erlang_mmc(0.9999, 1.0, 1, 0.0, &e), 0);
    ck_assert_double_eq_tol(e.wq, 9999.0, 9999.0 * 1e-9);
    ck_assert_double_eq_tol(e.lq, 9998.0001, 9998.0001 * 1e-9);
    /* M/M/10 at rho 0.999 and 0.9999: Erlang C in exact rational arithmetic (python3
       fractions), as the reference */
    ck_assert_int_eq(mmc_erlang_mmc(9.99, 1.0, 10, 0.0, &e), 0);
    ck_assert_double_eq_tol(e.p_wait, 0.9963431823647697, 1e-12);
    ck_assert_double_eq_tol(e.wq, 99.63431823647697, 99.6 * 1e-10);
    ck_assert_double_eq_tol(e.lq, 995.3468391824049, 995.3 * 1e-10);
    ck_assert_int_eq(mmc_erlang_mmc(9.999, 1.0, 10, 0.0, &e), 0);
    ck_assert_double_eq_tol(e.p_wait, 0.9996340124046549, 1e-12);
    ck_assert_double_eq_tol(e.wq, 999.6340124046549, 999.6 * 1e-9);
    /* exactly 1, and above: no steady state, said so (not a huge or negative number) */
    ck_assert_int_eq(mmc_erlang_mmc(10.0, 1.0, 10, 0.0, &e), 0);
    ck_assert(!e.stable);
    ck_assert(isnan(e.wq) && isnan(e.lq));
    ck_assert_double_eq(e.rho, 1.0);
    ck_assert_int_eq(mmc_erlang_mmc(1.0, 1.0, 1, 0.0, &e), 0);
    ck_assert(!e.stable);
}
END_TEST

/* A simulation at exactly rho = 1 runs a finite workload, conserves it and says "unstable". */
START_TEST(simulation_at_rho_one_is_unstable)
{
    struct fixture f;
    struct mmc_experiment x;
    fixture_init(&f, 10.0, 1.0, 10, 20000);
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->work_violations, 0);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_UNSTABLE);
    ck_assert(isfinite(sm->m[MMC_M_WQ].mean) && sm->m[MMC_M_WQ].mean > 0);
    ck_assert_double_eq(sm->an.rho, 1.0);
    mmc_experiment_fini(&x);
}
END_TEST

/* ---- scales ---- */

/* Service 1e9 times faster or 1e6 times slower than a second: the same dimensionless queue. */
START_TEST(extreme_service_rates)
{
    const double mu[] = {1e9, 1e-6};
    for (int i = 0; i < 2; i++) {
        struct fixture f;
        struct mmc_experiment x;
        fixture_init(&f, 0.8 * mu[i], mu[i], 1, 40000);
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *sm = &x.summaries[0];
        struct mmc_erlang e;
        ck_assert_int_eq(mmc_erlang_mmc(0.8 * mu[i], mu[i], 1, 0.0, &e), 0);
        ck_assert_double_eq_tol(e.w, 5.0 / mu[i], 5.0 / mu[i] * 1e-12);
        assert_covers(sm, MMC_M_W, e.w, 0.1);
        assert_covers(sm, MMC_M_LQ, e.lq, 0.15);
        ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* c = 100000 at rho 0.9: Erlang C underflows to a true 0 (not NaN), and no task waits. */
START_TEST(a_hundred_thousand_workers)
{
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(90000.0, 1.0, 100000, 0.0, &e), 0);
    ck_assert(e.stable);
    ck_assert(e.p_wait >= 0.0 && e.p_wait < 1e-100);
    ck_assert_double_eq_tol(e.w, 1.0, 1e-12);
    struct fixture f;
    struct mmc_experiment x;
    fixture_init(&f, 90000.0, 1.0, 100000, 300000);
    f.s.replications = 2;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->conserved);
    ck_assert_double_eq(sm->m[MMC_M_PWAIT].mean, 0.0);
    ck_assert_double_eq(sm->m[MMC_M_WQ].mean, 0.0);
    assert_covers(sm, MMC_M_W, 1.0, 0.01);
    mmc_experiment_fini(&x);
}
END_TEST

/*
 * The network delay is a pure shift: with d = 1e9 s or 1e300 s the waits and
 * sojourns are the d = 0 run's to the last bit (the model's clock is the
 * queue's minus d), and T = d + W.
 */
START_TEST(network_delay_zero_and_huge)
{
    const double d[] = {0.0, 1e9, 1e300};
    double w0 = NAN, wq0 = NAN;
    for (int i = 0; i < 3; i++) {
        struct fixture f;
        struct mmc_experiment x;
        fixture_init(&f, 45.0, 50.0, 1, 20000);
        f.d = d[i];
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *sm = &x.summaries[0];
        if (i == 0) {
            w0 = sm->m[MMC_M_W].mean;
            wq0 = sm->m[MMC_M_WQ].mean;
            ck_assert_double_eq(sm->m[MMC_M_T].mean, w0);
        }
        ck_assert_double_eq(sm->m[MMC_M_W].mean, w0);
        ck_assert_double_eq(sm->m[MMC_M_WQ].mean, wq0);
        ck_assert_double_eq(sm->m[MMC_M_T].mean, d[i] + w0);
        ck_assert(sm->conserved);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/*
 * A task arriving at t = 1e9 s (a rate schedule that is 0 until then): doubles
 * resolve 1.2e-7 s there, so the latencies are the same path's from t = 0 to
 * within a few 1e-7 s each: the mean W of 20000 tasks agrees to 1e-5.
 */
START_TEST(latency_at_a_billion_seconds)
{
    static const double t_late[] = {0.0, 1e9}, r_late[] = {0.0, 45.0};
    static const double t_now[] = {0.0}, r_now[] = {45.0};
    double w[2];
    for (int i = 0; i < 2; i++) {
        struct fixture f;
        struct mmc_experiment x;
        fixture_init(&f, 45.0, 50.0, 1, 0);
        f.s.process.kind = MMC_PROCESS_SCHEDULE;
        f.s.process.schedule = i == 0 ? (struct mmc_schedule){1, t_now, r_now, false}
                                      : (struct mmc_schedule){2, t_late, r_late, false};
        f.s.stop = (struct mmc_limit){MMC_LIMIT_TIME, 450.0};
        f.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
        f.s.replications = 2;
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *sm = &x.summaries[0];
        ck_assert(sm->conserved);
        ck_assert_uint_gt(sm->tasks, 30000);
        w[i] = sm->m[MMC_M_W].mean;
        mmc_experiment_fini(&x);
    }
    ck_assert_msg(fabs(w[1] - w[0]) <= 1e-5 * w[0], "W at 1e9 s %.12g, from 0 %.12g", w[1], w[0]);
}
END_TEST

/*
 * 1e10 events in one run: 5e9 measured tasks, more than 2^32, so a 32-bit
 * counter anywhere would wrap; the batch-means interval still covers the
 * M/M/1 closed form. About four minutes: tagged "long" (make unit-long).
 */
START_TEST(ten_billion_events)
{
    struct fixture f;
    struct mmc_experiment x;
    fixture_init(&f, 25.0, 50.0, 1, 5e9);
    f.s.replications = 1;
    f.s.method = MMC_METHOD_BATCH_MEANS;
    f.s.batches = 30;
    f.s.initial = (struct mmc_initial){.kind = MMC_INITIAL_STATIONARY};
    f.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    fixture_run(&x, &f.s, 1);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_uint_eq(sm->tasks, 5000000000ULL);
    ck_assert_uint_ge(sm->events, 10000000000ULL);
    ck_assert(sm->conserved);
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(25.0, 50.0, 1, 0.0, &e), 0);
    assert_covers(sm, MMC_M_W, e.w, 0.001);
    assert_covers(sm, MMC_M_LQ, e.lq, 0.001);
    mmc_experiment_fini(&x);
}
END_TEST

/* ---- numbers YAML can spell ---- */

/* Loading BASE with key: value must fail with a message containing part. */
static void expect_refused(const char *key_value, const char *part)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "model: mmc\narrival: {rate: 45}\nservice: {rate: 50}\nworkers: 2\n%s\n", key_value);
    struct mmc_scenario s;
    struct mmc_error err = {.line = 0};
    int rc = mmc_scenario_load_string(&s, yaml, strlen(yaml), "edge", NULL, 0, 0, &err);
    if (rc == 0)
        mmc_scenario_fini(&s);
    ck_assert_msg(rc != 0, "%s: accepted", key_value);
    ck_assert_msg(strstr(err.msg, part) != NULL, "%s: message \"%s\" lacks \"%s\"", key_value,
                  err.msg, part);
    ck_assert_int_eq(err.line, 5); /* the offending line */
}

START_TEST(nan_infinity_and_overflow_are_refused)
{
    const char *nan_inf[] = {".nan", ".NaN", ".NAN", ".inf", "-.inf", "+.Inf", ".Inf"};
    char kv[64];
    for (size_t i = 0; i < sizeof nan_inf / sizeof nan_inf[0]; i++) {
        snprintf(kv, sizeof kv, "network_delay: %s", nan_inf[i]);
        expect_refused(kv, "network_delay");
        snprintf(kv, sizeof kv, "mem_per_task: %s", nan_inf[i]);
        expect_refused(kv, "mem_per_task");
    }
    /* beyond the largest double: strtod says infinity, the loader says not finite */
    expect_refused("network_delay: 1e400", "finite");
    expect_refused("network_delay: -1e400", "network_delay");
    expect_refused("mem_per_task: 1e999999", "finite");
    expect_refused("wait_threshold: .nan", "wait_threshold");
    /* below the smallest: 1e-400 is a number (0 after rounding) where 0 is fine, refused
       where it must be > 0 */
    expect_refused("seed: 1e-400", "seed");
}
END_TEST

START_TEST(negative_zero_is_zero_where_zero_is_allowed)
{
    const char *yaml = "model: mmc\narrival: {rate: 45}\nservice: {rate: 50}\nworkers: 2\n"
                       "network_delay: -0\nmem_per_task: -0.0\nwait_threshold: -0e0\n";
    struct mmc_scenario s;
    struct mmc_error err = {.line = 0};
    ck_assert_int_eq(mmc_scenario_load_string(&s, yaml, strlen(yaml), "edge", NULL, 0, 0, &err), 0);
    ck_assert(!signbit(s.network_delay.v[0]));
    ck_assert(!signbit(s.mem_per_task));
    ck_assert(!signbit(s.wait_threshold));
    mmc_scenario_fini(&s);
    /* and refused where the value must be above 0 */
    expect_refused("stop: {time: -0}", "stop.time");
    const char *neg = "model: mmc\narrival: {rate: -0}\nservice: {rate: 50}\nworkers: 2\n";
    ck_assert_int_ne(mmc_scenario_load_string(&s, neg, strlen(neg), "edge", NULL, 0, 0, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "> 0"));
}
END_TEST

START_TEST(integers_too_large_are_refused)
{
    expect_refused("seed: 18446744073709551616", "<= 18446744073709551615");
    expect_refused("seed: 1e20", "seed");
    expect_refused("seed: -1", "seed");
    expect_refused("replications: 1000001", "<= 1000000");
    expect_refused("replications: 1e300", "<= 1000000");
    expect_refused("stop: {tasks: 9007199254740993}", "<= 9007199254740992");
    expect_refused("stop: {tasks: 1e300}", "stop.tasks");
    expect_refused("warmup: {tasks: 1e19}", "warmup.tasks");
    expect_refused("capacity: 1e30", "capacity");
    expect_refused("initial: {in_system: 1e30}", "initial.in_system");
    expect_refused("shed: {threshold: 1e300}", "shed.threshold");
    expect_refused("batches: 4294967297", "batches");
}
END_TEST

/* No arrivals at all would be a run that never ends: lambda = 0 is refused, however spelt. */
START_TEST(zero_arrival_rate_is_refused)
{
    const char *arrival[] = {"{rate: 0}",
                             "{load: 0}",
                             "{rate: [45, 0]}",
                             "{mean: .inf}",
                             "{schedule: {times: [0, 10], rates: [0, 0]}}",
                             "{dist: mmpp, rates: [0, 0], sojourns: [1, 1]}"};
    for (size_t i = 0; i < sizeof arrival / sizeof arrival[0]; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, "model: mmc\narrival: %s\nservice: {rate: 50}\nworkers: 2\n",
                 arrival[i]);
        struct mmc_scenario s;
        struct mmc_error err = {.line = 0};
        ck_assert_msg(mmc_scenario_load_string(&s, yaml, strlen(yaml), "edge", NULL, 0, 0, &err) !=
                          0,
                      "arrival: %s accepted", arrival[i]);
        ck_assert_msg(strstr(err.msg, "arrival") != NULL, "%s: %s", arrival[i], err.msg);
        ck_assert_int_eq(err.line, 2);
    }
}
END_TEST

/* workers on its own line 4 of BASE: a different line, so not through expect_refused */
START_TEST(worker_counts_too_large_are_refused)
{
    const char *bad[] = {"1e20", "10000001", "4294967296", "18446744073709551617", "2.5", "-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml,
                 "model: mmc\narrival: {rate: 45}\nservice: {rate: 50}\n"
                 "workers: %s\n",
                 bad[i]);
        struct mmc_scenario s;
        struct mmc_error err = {.line = 0};
        ck_assert_int_ne(mmc_scenario_load_string(&s, yaml, strlen(yaml), "edge", NULL, 0, 0, &err),
                         0);
        ck_assert_msg(strstr(err.msg, "workers") != NULL, "%s: %s", bad[i], err.msg);
        ck_assert_int_eq(err.line, 4);
    }
}
END_TEST

Suite *edge_suite(void)
{
    Suite *s = suite_create("edge");
    TCase *tc = tcase_create("numerical edge cases");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, closed_forms_next_to_rho_one);
    tcase_add_test(tc, simulation_at_rho_one_is_unstable);
    tcase_add_test(tc, extreme_service_rates);
    tcase_add_test(tc, a_hundred_thousand_workers);
    tcase_add_test(tc, network_delay_zero_and_huge);
    tcase_add_test(tc, latency_at_a_billion_seconds);
    tcase_add_test(tc, nan_infinity_and_overflow_are_refused);
    tcase_add_test(tc, negative_zero_is_zero_where_zero_is_allowed);
    tcase_add_test(tc, integers_too_large_are_refused);
    tcase_add_test(tc, zero_arrival_rate_is_refused);
    tcase_add_test(tc, worker_counts_too_large_are_refused);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("ten billion events");
    tcase_set_tags(tl, "long");
    tcase_set_timeout(tl, 3600);
    tcase_add_test(tl, ten_billion_events);
    suite_add_tcase(s, tl);
    return s;
}
