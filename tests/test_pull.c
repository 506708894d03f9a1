/*
 * test_pull.c - model pull (one central queue, idle workers request tasks
 * across a round trip): its limit (rtt = poll_interval = 0 is model mmc
 * draw for draw, a tiny rtt is within mmc's intervals), its closed forms
 * (one worker exact, Allen-Cunneen with holding time rtt + S in heavy
 * traffic within its tolerance), its bookkeeping (conservation, Little's
 * law, threads) and the polls' cost at light load.
 *
 * The closed forms are computed here from models/erlang.h, not read from
 * the model, so a wrong form in pull.c fails too.
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <string.h>

/* A pull fixture: c workers at load rho (mu = 1), tasks per replication, the round trip and
 * the poll interval. */
static void pull_init(struct fixture *f, double c, double rho, double tasks, double rtt,
                      double poll)
{
    fixture_init(f, rho * c, 1.0, c, tasks);
    strcpy(f->s.model, "pull");
    f->s.pull = (struct mmc_pull){.rtt = rtt, .poll_interval = poll};
}

/* With no round trip and no poll, a request waits at the queue: model mmc, draw for draw (same
 * streams in the same order, same workers), so every replication's record is the same. */
START_TEST(zero_round_trip_is_mmc)
{
    for (int backlog = 0; backlog <= 12; backlog += 12) {
        struct fixture f, g;
        fixture_init(&f, 3.2, 1.0, 4, 50000);
        pull_init(&g, 4, 0.8, 50000, 0.0, 0.0);
        f.s.initial = g.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, backlog};
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 2);
        fixture_run(&y, &g.s, 2);
        ck_assert_uint_eq(x.n_runs[0], y.n_runs[0]);
        for (size_t r = 0; r < x.n_runs[0]; r++)
            assert_runs_equal(&x.runs[0][r], &y.runs[0][r]);
        for (int m = 0; m < MMC_M_COUNT; m++)
            ck_assert(
                memcmp(&x.summaries[0].m[m].mean, &y.summaries[0].m[m].mean, sizeof(double)) == 0);
        ck_assert_str_eq(y.summaries[0].an.form, "M/M/c");
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/* rtt = 1e-6 / mu: within M/M/c's intervals. P(wait) is not: with any rtt > 0 every task waits
 * for its reply's trip, so it is 1. */
START_TEST(tiny_round_trip_converges_to_mmc)
{
    struct fixture f;
    pull_init(&f, 4, 0.8, 200000, 1e-6, 0.0);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.2, 1.0, 4, 0.0, &e), 0);
    assert_covers(sm, MMC_M_WQ, e.wq, 0.05);
    assert_covers(sm, MMC_M_LQ, e.lq, 0.05);
    assert_covers(sm, MMC_M_T, e.t, 0.03);
    assert_covers(sm, MMC_M_UTIL, e.rho, 0.01);
    assert_covers(sm, MMC_M_WQ_P90, mmc_erlang_wait_quantile(&e, 0.90), 0.05);
    ck_assert_double_eq(sm->m[MMC_M_PWAIT].mean, 1.0);
    mmc_experiment_fini(&x);
}
END_TEST

/* One worker: M/G/1 with multiple vacations of P = rtt + poll_interval and holding time
 * h = rtt + S, exact: Wq = lambda E[h^2] / (2 (1 - lambda E[h])) + P / 2 + rtt / 2. */
START_TEST(one_worker_is_exact)
{
    const double rtt = 0.2, poll = 0.3, lambda = 0.5, eh = 1.0 + rtt, eh2 = 1.0 + eh * eh;
    struct fixture f;
    pull_init(&f, 1, lambda, 200000, rtt, poll);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    double wq = lambda * eh2 / (2.0 * (1.0 - lambda * eh)) + (rtt + poll) / 2.0 + rtt / 2.0;
    ck_assert(!sm->an.approx);
    ck_assert_double_eq_tol(sm->an.wq, wq, 1e-12 * wq);
    assert_covers(sm, MMC_M_WQ, wq, 0.03);
    assert_covers(sm, MMC_M_LQ, lambda * wq, 0.03);
    assert_covers(sm, MMC_M_UTIL, lambda, 0.01);
    mmc_experiment_fini(&x);
}
END_TEST

/*
 * Busy: rho 0.9, 4 workers, rtt 0.1 / mu. Held rtt + S each, the queue sees a load of 0.99:
 * Allen-Cunneen (scv of h 1 / 1.21) says Wq = 24.63; the simulation, within
 * MMC_APPROX_REL_TOL of it (measured at 40 x 5e6 tasks: 25.25 +- 0.69, 2.5 % above).
 */
START_TEST(busy_system_is_allen_cunneen)
{
    struct fixture f;
    pull_init(&f, 4, 0.9, 2000000, 0.1, 0.0);
    f.s.warmup.value = 100000;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang e;
    double eh = 1.1, cs2 = 1.0 / (eh * eh);
    ck_assert_int_eq(mmc_erlang_mmc(3.6, 1.0 / eh, 4, 0.0, &e), 0);
    double d = e.wq * (1.0 + cs2) / 2.0;
    ck_assert(sm->an.approx);
    ck_assert_str_eq(sm->an.form, "M/G/c Allen-Cunneen, holding rtt + S");
    /* the rest (the polls, the reply's trip) is under 0.5 % of it */
    ck_assert_double_gt(sm->an.wq, d);
    ck_assert_double_lt(sm->an.wq - d, 0.005 * d);
    const struct mmc_ci *ci = &sm->m[MMC_M_WQ];
    ck_assert_msg(fabs(ci->mean - sm->an.wq) <= ci->half + MMC_APPROX_REL_TOL * sm->an.wq,
                  "Wq %g +- %g, Allen-Cunneen %g", ci->mean, ci->half, sm->an.wq);
    assert_covers(sm, MMC_M_UTIL, 0.9, 0.01);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(conservation_and_little)
{
    struct fixture f;
    pull_init(&f, 4, 0.7, 100000, 0.1, 0.2);
    f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 20};
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->conserved);
    ck_assert_uint_eq(sm->in_system_end, 0);
    ck_assert_double_lt(fabs(sm->little_l), 0.01);
    ck_assert_double_lt(fabs(sm->little_lq), 0.01);
    ck_assert_double_lt(fabs(sm->util_residual), 0.01);
    ck_assert_uint_gt(sm->work_violations, 0); /* tasks wait while their reply travels */
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(same_result_on_any_thread_count)
{
    const double trip[][2] = {{0.1, 0.0}, {0.0, 0.5}, {0.05, 0.2}};
    for (size_t i = 0; i < 3; i++) {
        struct fixture f;
        pull_init(&f, 8, 0.8, 20000, trip[i][0], trip[i][1]);
        f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, (double)(4 * i)};
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 1);
        fixture_run(&y, &f.s, 2);
        for (size_t r = 0; r < x.n_runs[0]; r++)
            assert_runs_equal(&x.runs[0][r], &y.runs[0][r]);
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/* Light load: most tasks arrive to an empty queue and wait for a poll; longer polls, longer
 * waits, each step beyond both intervals. */
START_TEST(polls_lengthen_light_load_waits)
{
    const double poll[] = {0.0, 0.5, 2.0};
    double wq_prev = 0.0, half_prev = 0.0;
    for (size_t i = 0; i < 3; i++) {
        struct fixture f;
        pull_init(&f, 4, 0.2, 50000, 0.01, poll[i]);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_ci *ci = &x.summaries[0].m[MMC_M_WQ];
        ck_assert_msg(ci->mean - ci->half > wq_prev + half_prev, "poll %g: Wq %g +- %g after %g",
                      poll[i], ci->mean, ci->half, wq_prev);
        wq_prev = ci->mean;
        half_prev = ci->half;
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* Protection in front of the central queue: with no round trip, model mmc's guarded run draw
 * for draw (capacity, shedding the oldest, exponential patience, a throttle that delays). */
START_TEST(zero_round_trip_guarded_is_mmc)
{
    struct fixture f, g;
    fixture_init(&f, 3.6, 1.0, 4, 30000);
    pull_init(&g, 4, 0.9, 30000, 0.0, 0.0);
    struct mmc_protection pr = {.capacity = 12,
                                .shed = true,
                                .shed_threshold = 6,
                                .drop = MMC_DROP_OLDEST,
                                .throttle = true,
                                .throttle_rate = 5.0,
                                .throttle_burst = 3,
                                .excess = MMC_EXCESS_DELAY,
                                .patience = true,
                                .patience_rate = 0.5};
    mmc_dist_exponential(&pr.patience_dist.shape);
    f.s.protect = g.s.protect = pr;
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    for (size_t r = 0; r < x.n_runs[0]; r++)
        assert_runs_equal(&x.runs[0][r], &y.runs[0][r]);
    ck_assert_uint_gt(y.summaries[0].blocked + y.summaries[0].shed + y.summaries[0].abandoned, 0);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* A tiny round trip with capacity K: the blocking is M/M/c/K's, within its interval; every
 * task is accounted for. */
START_TEST(tiny_round_trip_blocks_as_mmck)
{
    struct fixture f;
    pull_init(&f, 2, 0.9, 200000, 1e-6, 0.0);
    f.s.protect = (struct mmc_protection){.capacity = 5};
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang_loss e;
    ck_assert_int_eq(mmc_erlang_loss(1.8, 1.0, 2, 5, 0.0, 0.0, &e), 0);
    assert_covers(sm, MMC_M_P_BLOCK, e.p_block, 0.05);
    ck_assert(sm->conserved);
    ck_assert(!sm->has_analytic); /* a round trip leaves no closed form with losses */
    mmc_experiment_fini(&x);
}
END_TEST

/* Shifts: with no round trip, model mmc's staffed run (workers join and leave as scheduled,
 * a leaving worker finishes its task first). */
START_TEST(zero_round_trip_staffed_is_mmc)
{
    struct fixture f, g;
    fixture_init(&f, 3.0, 1.0, 4, 30000);
    pull_init(&g, 4, 0.75, 30000, 0.0, 0.0);
    double t[] = {0, 2000, 5000, 9000}, c[] = {4, 2, 4, 3};
    struct mmc_staffing sf = {.n = 4, .t = t, .c = c, .c_max = 4};
    f.s.staffing = g.s.staffing = sf;
    f.s.warmup = g.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    for (int m = MMC_M_UTIL; m <= MMC_M_T; m++)
        ck_assert_msg(x.summaries[0].m[m].mean == y.summaries[0].m[m].mean, "%s: %.17g %.17g",
                      mmc_metric_name(m), x.summaries[0].m[m].mean, y.summaries[0].m[m].mean);
    ck_assert(y.summaries[0].conserved);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* Shifts with a round trip: every task accounted for, and fewer workers wait longer. */
START_TEST(staffed_with_round_trip_conserves)
{
    struct fixture g;
    pull_init(&g, 4, 0.6, 30000, 0.05, 0.1);
    double t[] = {0, 3000}, c[] = {4, 3};
    g.s.staffing = (struct mmc_staffing){.n = 2, .t = t, .c = c, .c_max = 4};
    g.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    struct mmc_experiment y;
    fixture_run(&y, &g.s, 2);
    ck_assert(y.summaries[0].conserved);
    ck_assert(!y.summaries[0].has_analytic);
    mmc_experiment_fini(&y);
}
END_TEST

/* ---- priority classes ---- */

/* Three classes (shares .2/.5/.3, priorities 0/1/2, means .5/1/1.5, exponential /
 * deterministic / gamma scv 2) at load rho on f's workers. */
static void three_mixed_classes(struct fixture *f, double rho)
{
    const double share[3] = {0.2, 0.5, 0.3}, mean[3] = {0.5, 1.0, 1.5}, scv[3] = {1.0, 0.0, 2.0};
    const char *names[3] = {"hi", "mid", "lo"};
    double per = 0.0;
    for (int k = 0; k < 3; k++)
        per += share[k] * mean[k];
    f->lambda = rho * f->c / per; /* the scenario's arrival axis points to it */
    for (int k = 0; k < 3; k++) {
        struct mmc_dist d;
        const char *why;
        if (scv[k] == 1.0)
            mmc_dist_exponential(&d);
        else if (scv[k] == 0.0)
            mmc_dist_deterministic(&d);
        else
            ck_assert_int_eq(mmc_dist_gamma_scv(&d, scv[k], &why), 0);
        fixture_add_class(f, names[k], share[k], k);
        fixture_class_service(f, d, 1.0 / mean[k]);
    }
}

/* Three classes of one exponential service (mu = 1): high 30 %, normal 50 %, low 20 %. */
static void three_mm_classes(struct fixture *f)
{
    fixture_add_class(f, "high", 0.3, 0);
    fixture_add_class(f, "normal", 0.5, 1);
    fixture_add_class(f, "low", 0.2, 2);
}

/* With no round trip and no poll, pull with classes is model mmc with classes draw for draw:
 * every record, each class's too, with and without a backlog (more tasks than workers: the
 * parked requests take the first ones drawn, as mmc's idle workers do); a central line inverts
 * no priority, and the class forms are mmc's. */
START_TEST(zero_round_trip_classes_are_mmc)
{
    for (int backlog = 0; backlog <= 7; backlog += 7) {
        struct fixture f, g;
        fixture_init(&f, 1.0, 1.0, 3, 30000);
        pull_init(&g, 3, 0.8, 30000, 0.0, 0.0);
        three_mixed_classes(&f, 0.8);
        three_mixed_classes(&g, 0.8);
        f.s.initial = g.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, backlog};
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 1);
        fixture_run(&y, &g.s, 2);
        ck_assert_uint_eq(x.n_runs[0], y.n_runs[0]);
        for (size_t r = 0; r < x.n_runs[0]; r++) {
            assert_runs_equal(&x.runs[0][r], &y.runs[0][r]);
            for (size_t k = 0; k < 3; k++)
                assert_runs_equal(&x.runs[0][r].cls[k], &y.runs[0][r].cls[k]);
            ck_assert_uint_eq(y.runs[0][r].n_inversions, 0);
            ck_assert_uint_eq(y.runs[0][r].n_initial, (uint64_t)backlog);
        }
        const struct mmc_summary *a = fixture_class_rows(&x, 3), *b = fixture_class_rows(&y, 3);
        ck_assert(x.summaries[0].has_analytic == y.summaries[0].has_analytic);
        for (size_t k = 0; k < 3; k++) {
            ck_assert(a[k].has_analytic == b[k].has_analytic);
            ck_assert(memcmp(&a[k].m[MMC_M_WQ].mean, &b[k].m[MMC_M_WQ].mean, sizeof(double)) == 0);
        }
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/*
 * M/M/c with one service rate, no round trip: Cobham's multi-server
 * non-preemptive form per class, Wq_k = C / (c mu (1 - s_<k)(1 - s_<=k))
 * (C Erlang's, s the classes' cumulative loads), computed here; the point's
 * row is FCFS M/M/c's (the conservation law). Simulation within the
 * intervals, and every verdict agrees.
 */
START_TEST(zero_round_trip_classes_are_cobham)
{
    struct fixture f;
    pull_init(&f, 4, 0.8, 100000, 0.0, 0.0);
    f.s.replications = 20;
    three_mm_classes(&f);
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.2, 1.0, 4, 0.0, &e), 0);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *all = &x.summaries[0], *rows = fixture_class_rows(&x, 3);
    ck_assert(all->has_analytic);
    ck_assert_double_eq_tol(all->an.wq, e.wq, 1e-12 * e.wq);
    assert_covers(all, MMC_M_WQ, e.wq, 0.05);
    assert_covers(all, MMC_M_LQ, e.lq, 0.05);
    const double s[4] = {0.0, 0.8 * 0.3, 0.8 * 0.8, 0.8};
    for (size_t k = 0; k < 3; k++) {
        double wq = e.p_wait / 4.0 / ((1.0 - s[k]) * (1.0 - s[k + 1]));
        ck_assert(rows[k].has_analytic);
        ck_assert_double_eq_tol(rows[k].an.wq, wq, 1e-12 * wq);
        assert_covers(&rows[k], MMC_M_WQ, wq, 0.06);
        assert_covers(&rows[k], MMC_M_PWAIT, e.p_wait, 0.05);
        ck_assert_int_eq(rows[k].verdict.kind, MMC_VERDICT_AGREES);
        ck_assert_uint_eq(rows[k].inversions, 0);
    }
    ck_assert_int_eq(all->verdict.kind, MMC_VERDICT_AGREES);
    mmc_experiment_fini(&x);
}
END_TEST

/*
 * Inversions come from the reply's trip: a request takes the best head
 * there is, and a task of higher priority that arrives while the taken one
 * travels waits as it starts. None without a round trip (polls alone
 * included: a request then starts the task it takes at once); with rtt > 0
 * the lower classes are inverted, the top class never (nothing outranks
 * it), and the run's count is the classes' sum. Priorities still order the
 * waits, and no closed form is offered with a round trip or polls.
 */
START_TEST(round_trip_inverts_priorities)
{
    const double trip[][2] = {{0.0, 0.0}, {0.0, 0.5}, {0.1, 0.0}, {0.1, 0.2}};
    for (size_t t = 0; t < 4; t++) {
        struct fixture f;
        pull_init(&f, 4, 0.7, 40000, trip[t][0], trip[t][1]);
        three_mm_classes(&f);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *all = &x.summaries[0], *rows = fixture_class_rows(&x, 3);
        uint64_t sum = 0;
        for (size_t k = 0; k < 3; k++)
            sum += rows[k].inversions;
        ck_assert_uint_eq(sum, all->inversions);
        ck_assert_uint_eq(rows[0].inversions, 0);
        bool round_trip = trip[t][0] > 0.0;
        if (round_trip) {
            ck_assert_uint_gt(rows[1].inversions, rows[1].tasks / 1000);
            ck_assert_uint_gt(rows[2].inversions, rows[2].tasks / 1000);
        } else {
            ck_assert_uint_eq(all->inversions, 0);
        }
        for (size_t k = 0; k + 1 < 3; k++) {
            const struct mmc_ci *hi = &rows[k].m[MMC_M_WQ], *lo = &rows[k + 1].m[MMC_M_WQ];
            ck_assert_msg(hi->mean + hi->half < lo->mean - lo->half, "rtt %g poll %g: %g >= %g",
                          trip[t][0], trip[t][1], hi->mean, lo->mean);
        }
        bool forms = trip[t][0] + trip[t][1] == 0.0;
        ck_assert(all->has_analytic == forms);
        for (size_t k = 0; k < 3; k++)
            ck_assert(rows[k].has_analytic == forms);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* Per class with a round trip, polls and a backlog: the classes' counts add up to the run's
 * (arrivals, backlog, completions, measured tasks, inversions), their time averages and waits
 * to the run's, each class is conserved and keeps Little's law (a task on its way counts as
 * waiting); the records are the same on 1 and 2 threads. */
START_TEST(class_bookkeeping_adds_up)
{
    struct fixture f;
    pull_init(&f, 4, 0.7, 30000, 0.05, 0.2);
    f.s.replications = 4;
    f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 20};
    three_mixed_classes(&f, 0.7);
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 1);
    fixture_run(&y, &f.s, 2);
    for (size_t r = 0; r < x.n_runs[0]; r++) {
        const struct mmc_run *a = &x.runs[0][r];
        assert_runs_equal(a, &y.runs[0][r]);
        uint64_t inversions = fixture_assert_class_books(a, &y.runs[0][r], 3, 20);
        ck_assert_uint_gt(inversions, 0);
    }
    const struct mmc_summary *rows = fixture_class_rows(&x, 3);
    ck_assert(x.summaries[0].conserved);
    for (size_t k = 0; k < 3; k++) {
        ck_assert(rows[k].conserved);
        ck_assert_double_lt(fabs(rows[k].little_lq), 0.02);
        ck_assert_double_lt(fabs(rows[k].little_l), 0.02);
    }
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

Suite *pull_suite(void)
{
    Suite *s = suite_create("pull");
    TCase *tc = tcase_create("limits, closed forms and bookkeeping");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, zero_round_trip_is_mmc);
    tcase_add_test(tc, tiny_round_trip_converges_to_mmc);
    tcase_add_test(tc, one_worker_is_exact);
    tcase_add_test(tc, busy_system_is_allen_cunneen);
    tcase_add_test(tc, conservation_and_little);
    tcase_add_test(tc, same_result_on_any_thread_count);
    tcase_add_test(tc, polls_lengthen_light_load_waits);
    tcase_add_test(tc, zero_round_trip_guarded_is_mmc);
    tcase_add_test(tc, tiny_round_trip_blocks_as_mmck);
    tcase_add_test(tc, zero_round_trip_staffed_is_mmc);
    tcase_add_test(tc, staffed_with_round_trip_conserves);
    tcase_add_test(tc, zero_round_trip_classes_are_mmc);
    tcase_add_test(tc, round_trip_inverts_priorities);
    tcase_add_test(tc, class_bookkeeping_adds_up);
    suite_add_tcase(s, tc);
    tc = tcase_create("classes against closed forms");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, zero_round_trip_classes_are_cobham);
    tcase_set_tags(tc, "slow");
    suite_add_tcase(s, tc);
    return s;
}
