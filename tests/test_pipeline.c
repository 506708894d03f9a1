/*
 * test_pipeline.c - whole-pipeline regressions: scenarios that outside
 * random testing found printing figures that were wrong or contradicted
 * each other (issue 13), each loaded from its YAML text and run through the
 * experiment as mmcsim runs it, with the figures it must print now.
 */
#include "experiment.h"

#include <check.h>
#include <math.h>
#include <string.h>

/* Load yaml (one point) and run it on two threads; the caller finalises both. */
static void run_yaml(struct mmc_experiment *x, struct mmc_scenario *s, const char *yaml)
{
    struct mmc_error err = {0};
    int rc = mmc_scenario_load_string(s, yaml, strlen(yaml), "pipeline", NULL, 0, 0, &err);
    ck_assert_msg(rc == 0, "%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    ck_assert_int_eq(mmc_experiment_init(x, s, &err), 0);
    struct mmc_run_options opt = {.threads = 2};
    mmc_experiment_run(x, &opt);
}

static void done(struct mmc_experiment *x, struct mmc_scenario *s)
{
    mmc_experiment_fini(x);
    mmc_scenario_fini(s);
}

/* ---- 1: per-worker utilization is measured over the utilization's own window ---- */

/* One worker: its utilization is the utilization, whatever the warm-up and the load. */
START_TEST(one_worker_utilization_is_the_utilization)
{
    const char *yaml[] = {
        /* rho 2: the measured tasks are served long after the last arrival */
        "model: mmc\narrival: {rate: 2}\nservice: {rate: 1}\nworkers: 1\nwarmup: 100\n"
        "stop: 1000\n",
        /* D/D/1: 100 arrivals span 99 gaps, 100 services of 0.995 */
        "model: mmc\narrival: {dist: deterministic, rate: 1}\n"
        "service: {dist: deterministic, mean: 0.995}\nworkers: 1\nwarmup: 10\nstop: 100\n",
        "model: mmc\narrival: {rate: 2}\nservice: {rate: 1}\nworkers: 1\nwarmup: none\n"
        "stop: 1000\n",
    };
    const double exact[] = {1.0, 0.995, NAN};
    for (int i = 0; i < 3; i++) {
        struct mmc_scenario s;
        struct mmc_experiment x;
        run_yaml(&x, &s, yaml[i]);
        const struct mmc_summary *sm = &x.summaries[0];
        double u = sm->m[MMC_M_UTIL].mean;
        ck_assert_double_eq_tol(sm->worker_util_min, u, 1e-12);
        ck_assert_double_eq_tol(sm->worker_util_max, u, 1e-12);
        ck_assert_double_le(sm->worker_util_max, 1.0 + 1e-12);
        if (!isnan(exact[i]))
            ck_assert_double_eq_tol(u, exact[i], 1e-12);
        done(&x, &s);
    }
}
END_TEST

/* Several workers, with a warm-up, staffing and protection: each in [0, 1], around the mean. */
START_TEST(per_worker_utilizations_bracket_the_utilization)
{
    const char *yaml[] = {
        "model: mmc\narrival: {rate: 7}\nservice: {rate: 2}\nworkers: 4\nwarmup: 200\n"
        "stop: 3000\nreplications: 3\n",
        "model: mmc\narrival: {rate: 12}\nservice: {rate: 2}\nworkers: 4\nwarmup: 200\n"
        "stop: 3000\nreplications: 3\n",
        "model: mmc\narrival: {rate: 7}\nservice: {rate: 2}\nworkers: 4\ncapacity: 6\n"
        "throttle: {rate: 6, excess: delay}\nwarmup: 100\nstop: 3000\nreplications: 3\n",
    };
    for (int i = 0; i < 3; i++) {
        struct mmc_scenario s;
        struct mmc_experiment x;
        run_yaml(&x, &s, yaml[i]);
        const struct mmc_summary *sm = &x.summaries[0];
        double u = sm->m[MMC_M_UTIL].mean;
        ck_assert_double_ge(sm->worker_util_min, 0.0);
        ck_assert_double_le(sm->worker_util_min, u + 1e-12);
        ck_assert_double_ge(sm->worker_util_max, u - 1e-12);
        ck_assert_double_le(sm->worker_util_max, 1.0 + 1e-12);
        done(&x, &s);
    }
}
END_TEST

/* ---- 2, 3: verdicts on metrics every replication saw at one value ---- */

/* No replication saw a wait at rho 0.1: Lq, Wq, P(wait) are 0 +- 0, not judged, not "differs". */
START_TEST(a_rare_event_never_seen_is_not_a_disagreement)
{
    const char *yaml[] = {
        "model: mmc\narrival: {rate: 1}\nservice: {rate: 1}\nworkers: 10\nstop: 1000\n",
        "model: mmc\narrival: {rate: 10}\nservice: {rate: 1}\nworkers: 80\nstop: 1000\n",
    };
    for (int i = 0; i < 2; i++) {
        struct mmc_scenario s;
        struct mmc_experiment x;
        run_yaml(&x, &s, yaml[i]);
        const struct mmc_summary *sm = &x.summaries[0];
        ck_assert_double_eq(sm->m[MMC_M_LQ].mean, 0.0);
        ck_assert_double_gt(mmc_analytic_metric(&sm->an, MMC_M_LQ), 0.0);
        const int unseen[] = {MMC_M_LQ, MMC_M_WQ, MMC_M_PWAIT};
        for (int k = 0; k < 3; k++) {
            ck_assert(sm->no_spread & (1u << unseen[k]));
            ck_assert(isnan(sm->z[unseen[k]]));
        }
        /* the figures that vary are judged, and agree */
        ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
        ck_assert(!(sm->no_spread & (1u << MMC_M_W)));
        ck_assert(isfinite(sm->verdict.worst_z));
        ck_assert_int_gt(sm->verdict.n_compared, 0);
        done(&x, &s);
    }
}
END_TEST

/* D/D/1 at rho 0.1: utilization equals rho to rounding with no spread: z = 0, not +inf. */
START_TEST(an_exact_figure_has_z_zero)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {dist: deterministic, rate: 1}\n"
             "service: {dist: deterministic, rate: 10}\nworkers: 1\nstop: 500\n");
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_double_eq(sm->m[MMC_M_UTIL].half, 0.0);
    ck_assert_double_eq(sm->z[MMC_M_UTIL], 0.0);
    ck_assert_double_eq(sm->z[MMC_M_THROUGHPUT], 0.0);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    ck_assert_double_eq(sm->verdict.worst_ratio, 0.0);
    ck_assert(isfinite(sm->verdict.worst_z));
    ck_assert_uint_eq(sm->no_spread, 0);
    done(&x, &s);
}
END_TEST

/* A differs verdict, when it comes, has a finite z past the family-wise limit. */
START_TEST(differs_has_a_finite_z)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 8}\nservice: {rate: 10}\nworkers: 1\nwarmup: 500\n"
             "stop: 20000\n");
    struct mmc_summary *sm = &x.summaries[0];
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    sm->an.wq *= 1.5; /* a wrong closed form */
    sm->an.lq *= 1.5;
    mmc_summary_judge(sm);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_DIFFERS);
    ck_assert(isfinite(sm->verdict.worst_z));
    ck_assert_double_gt(sm->verdict.worst_ratio, 1.0);
    done(&x, &s);
}
END_TEST

/* ---- 4: Little's law with tasks held by a delaying throttle ---- */

/* From an empty start every task is measured: L = X (W + waits of the unserved) to rounding. */
START_TEST(littles_law_holds_for_every_protection)
{
    const char *prot[] = {
        "capacity: 3\nthrottle: {rate: 5, excess: delay}\n",
        "shed: {threshold: 1, drop: newest}\nthrottle: {rate: 5, excess: delay}\n",
        "shed: {threshold: 1, drop: oldest}\nthrottle: {rate: 5, excess: delay}\n",
        "patience: {rate: 1}\nthrottle: {rate: 5, excess: delay}\n",
        "throttle: {rate: 5, excess: delay}\n",
        "throttle: {rate: 5, burst: 3, excess: reject}\ncapacity: 4\n",
        "capacity: 3\n",
        "shed: {threshold: 2, drop: newest}\npatience: {rate: 2}\n",
        "",
    };
    for (size_t i = 0; i < sizeof prot / sizeof *prot; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "model: mmc\narrival: {rate: 6}\nservice: {rate: 2}\nworkers: 3\n%s"
                 "warmup: none\nstop: 1000\nreplications: 2\n",
                 prot[i]);
        struct mmc_scenario s;
        struct mmc_experiment x;
        run_yaml(&x, &s, yaml);
        const struct mmc_summary *sm = &x.summaries[0];
        ck_assert_msg(fabs(sm->little_l) < 1e-12 && fabs(sm->little_lq) < 1e-12,
                      "%s: Little residuals L %.3g, Lq %.3g", prot[i], sm->little_l, sm->little_lq);
        ck_assert(sm->conserved);
        done(&x, &s);
    }
}
END_TEST

/* ---- 5: a steady-state window shorter than a few sojourns ---- */

/* 2 s of arrivals against 10 s services: warned and not judged, not "differs, z = -inf". */
START_TEST(a_window_shorter_than_a_sojourn_is_not_judged)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 100}\nservice: {dist: deterministic, mean: 10}\n"
             "workers: 5000\nwarmup: 10\nstop: 200\n");
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->warnings & MMC_WARN_SHORT_WINDOW);
    ck_assert_double_lt(sm->window_min, 10.0);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_TOO_SHORT);
    ck_assert(!mmc_summary_differs(sm));
    done(&x, &s);
    /* the same system measured over 100 s of arrivals (10 mean sojourns) is judged */
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 100}\nservice: {dist: deterministic, mean: 10}\n"
             "workers: 5000\nwarmup: {time: 20}\nstop: {time: 101}\nreplications: 3\n");
    sm = &x.summaries[0];
    ck_assert(!(sm->warnings & MMC_WARN_SHORT_WINDOW));
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    done(&x, &s);
}
END_TEST

/* A bad start makes the simulated sojourns long: the window is still measured against the
 * closed form's sojourn, so it is not called a short window; the warm-up that left the
 * backlog's bias in every figure is what the report names, and the point is not judged. */
START_TEST(a_biased_run_cannot_excuse_itself_as_short)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 45}\nservice: {rate: 50}\nworkers: 1\n"
             "initial: {in_system: 5000}\nwarmup: 1\nstop: 3000\nreplications: 3\n");
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(!(sm->warnings & MMC_WARN_SHORT_WINDOW));
    ck_assert(sm->warnings & MMC_WARN_SHORT_WARMUP);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_TOO_SHORT);
    done(&x, &s);
}
END_TEST

/* A throttle that lets one task through a million seconds: the window is all edge, said so. */
START_TEST(a_starved_throttle_is_a_short_window)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 5}\nservice: {rate: 10}\nworkers: 2\n"
             "throttle: {rate: 1e-6, excess: delay}\nwarmup: 10\nstop: 200\nreplications: 2\n");
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->warnings & MMC_WARN_SHORT_WINDOW);
    ck_assert(!mmc_summary_differs(sm));
    done(&x, &s);
}
END_TEST

/* ---- issue 14: replications too short for their autocorrelation, and the precision rule ---- */

/* M/M/2 at rho 0.9, 5 replications of 5000 tasks: the autocorrelation time of T is a few hundred
 * tasks, pilots as long as a replication cannot settle on it, and the point says so. */
START_TEST(replications_too_short_to_measure_are_warned)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 90}\nservice: {rate: 50}\nworkers: 2\n"
             "warmup: auto\nstop: {tasks: 5000}\nreplications: 5\n");
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->point.pilot_short);
    ck_assert(sm->act_unsettled);
    ck_assert_uint_eq(sm->point.pilot_tasks, 5000);
    ck_assert(sm->warnings & MMC_WARN_SHORT_REPLICATIONS);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_TOO_SHORT);
    ck_assert_double_eq(sm->point.stop_asked, 0.0); /* no precision rule: the length stands */
    ck_assert_double_eq(sm->point.stop.value, 5000.0);
    done(&x, &s);
}
END_TEST

/* The same kind of short replication under a precision target: the rule lengthens the
 * replications to MMC_REP_ACTS autocorrelation times instead of warning, and the longer ones
 * cover the exact mean. */
START_TEST(the_precision_rule_lengthens_short_replications)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 47.5}\nservice: {rate: 50}\nworkers: 1\n"
             "warmup: auto\nstop: {tasks: 5000, precision: 0.05}\nseed: 7\n");
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_double_eq(sm->point.stop_asked, 5000.0);
    ck_assert(!sm->point.pilot_short);
    ck_assert_double_ge(sm->point.stop.value, MMC_REP_ACTS * sm->act);
    ck_assert_double_le(sm->point.stop.value, MMC_REP_ACTS * sm->act + 1.0);
    ck_assert_uint_eq(sm->tasks, (uint64_t)sm->point.stop.value * sm->replications);
    ck_assert_uint_eq(sm->warnings, 0);
    ck_assert_int_eq(sm->stop_reason, MMC_STOP_PRECISION);
    /* exact M/M/1: T = 1 / (mu - lambda) = 0.4 s */
    ck_assert_double_le(fabs(sm->m[MMC_M_T].mean - 0.4), sm->m[MMC_M_T].half);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_AGREES);
    done(&x, &s);
    /* without a steady state there is no autocorrelation time to reach: the length stands */
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 60}\nservice: {rate: 50}\nworkers: 1\n"
             "warmup: auto\nstop: {tasks: 5000, precision: 0.05}\nseed: 7\n");
    sm = &x.summaries[0];
    ck_assert_double_eq(sm->point.stop_asked, 0.0);
    ck_assert_double_eq(sm->point.stop.value, 5000.0);
    ck_assert_uint_le(sm->point.pilot_tasks, 5000);
    ck_assert_int_eq(sm->verdict.kind, MMC_VERDICT_UNSTABLE);
    done(&x, &s);
}
END_TEST

/* p99.9 of M/M/1 at rho 0.95 over 20 x 100000 tasks: the point's whole tail beyond p99.9 is
 * about 2000 tasks, one or two autocorrelation times of T: its interval is withheld (it covered
 * 0.90), the p90 interval (about 130 of them) is kept. */
START_TEST(a_tail_of_few_autocorrelation_times_has_no_interval)
{
    struct mmc_scenario s;
    struct mmc_experiment x;
    run_yaml(&x, &s,
             "model: mmc\narrival: {rate: 47.5}\nservice: {rate: 50}\nworkers: 1\n"
             "initial: stationary\nwarmup: none\nstop: {tasks: 100000}\nreplications: 20\n");
    const struct mmc_summary *sm = &x.summaries[0];
    const int p90 = 1, p999 = 4;
    ck_assert_double_lt(2e6 * 0.001, MMC_PCT_MIN_TAIL_ACTS * sm->act);
    ck_assert(sm->pct_withheld & (1u << p999));
    ck_assert(isnan(sm->m[MMC_M_T_P50 + p999].half));
    ck_assert(isnan(sm->m[MMC_M_WQ_P50 + p999].half));
    ck_assert(isfinite(sm->m[MMC_M_T_P50 + p999].mean)); /* the estimate is still printed */
    ck_assert(!(sm->pct_withheld & (1u << p90)));
    ck_assert(isfinite(sm->m[MMC_M_T_P50 + p90].half));
    done(&x, &s);
}
END_TEST

Suite *pipeline_suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tcase_create("worker_utilization");
    tcase_add_test(tc, one_worker_utilization_is_the_utilization);
    tcase_add_test(tc, per_worker_utilizations_bracket_the_utilization);
    suite_add_tcase(s, tc);
    tc = tcase_create("zero_spread");
    tcase_add_test(tc, a_rare_event_never_seen_is_not_a_disagreement);
    tcase_add_test(tc, an_exact_figure_has_z_zero);
    tcase_add_test(tc, differs_has_a_finite_z);
    suite_add_tcase(s, tc);
    tc = tcase_create("little");
    tcase_add_test(tc, littles_law_holds_for_every_protection);
    suite_add_tcase(s, tc);
    tc = tcase_create("short_window");
    tcase_add_test(tc, a_window_shorter_than_a_sojourn_is_not_judged);
    tcase_add_test(tc, a_starved_throttle_is_a_short_window);
    tcase_add_test(tc, a_biased_run_cannot_excuse_itself_as_short);
    tcase_add_test(tc, replications_too_short_to_measure_are_warned);
    tcase_add_test(tc, the_precision_rule_lengthens_short_replications);
    tcase_add_test(tc, a_tail_of_few_autocorrelation_times_has_no_interval);
    suite_add_tcase(s, tc);
    return s;
}
