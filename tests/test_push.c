/*
 * test_push.c - model push (a queue per worker, a dispatcher's policy)
 * against its closed forms, and the limits that have one: least work is one
 * FCFS queue (M/M/c), random dispatch is c M/M/1 queues, round robin is c
 * E_c/M/1 queues, power of d approaches the mean field as c grows, one
 * worker is model mmc's M/M/1, and a dispatch delay only shifts T.
 *
 * The closed forms are computed here from models/erlang.h and
 * models/dispatch_forms.h (whose own tests check them against 50-digit
 * values), not read from the model, so a wrong form in push.c fails too.
 */
#include "argmin.h"
#include "dispatch_forms.h"
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <string.h>

/* A push fixture: c workers at load rho (mu = 1), policy, tasks per replication. */
static void push_init(struct fixture *f, enum mmc_policy policy, double c, double rho, double tasks)
{
    fixture_init(f, rho * c, 1.0, c, tasks);
    strcpy(f->s.model, "push");
    f->s.dispatch = (struct mmc_dispatch){.policy = policy, .d = 2, .keys = 1000, .delay = 0.0};
}

START_TEST(random_is_c_mm1_queues)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_RANDOM, 4, 0.8, 200000);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang e; /* one worker: Poisson at lambda / c */
    ck_assert_int_eq(mmc_erlang_mmc(0.8, 1.0, 1, 0.0, &e), 0);
    assert_covers(sm, MMC_M_WQ, e.wq, 0.05);
    assert_covers(sm, MMC_M_LQ, 4 * e.lq, 0.05);
    assert_covers(sm, MMC_M_T, e.t, 0.03);
    assert_covers(sm, MMC_M_PWAIT, 0.8, 0.01);
    assert_covers(sm, MMC_M_WQ_P90, mmc_erlang_wait_quantile(&e, 0.90), 0.05);
    ck_assert(sm->conserved);
    ck_assert_uint_gt(sm->work_violations, 0); /* tasks wait beside idle workers */
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(round_robin_is_c_ecm1_queues)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_ROUND_ROBIN, 4, 0.8, 200000);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_gim1 g;
    ck_assert_int_eq(mmc_gim1_erlang(4, 0.8, 1.0, &g), 0);
    assert_covers(sm, MMC_M_WQ, g.wq, 0.05);
    assert_covers(sm, MMC_M_LQ, 4 * g.lq, 0.05);
    assert_covers(sm, MMC_M_PWAIT, g.p_wait, 0.01);
    assert_covers(sm, MMC_M_WQ_P90, mmc_gim1_wait_quantile(&g, 0.90), 0.05);
    assert_covers(sm, MMC_M_T_P99, mmc_gim1_sojourn_quantile(&g, 0.99), 0.05);
    /* workers take turns: the measured tasks per worker differ by at most one */
    ck_assert_double_lt(sm->worker_tasks_cv, 1e-4);
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(least_work_is_one_fcfs_queue)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_LEAST_WORK, 4, 0.9, 200000);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.6, 1.0, 4, 0.0, &e), 0);
    assert_covers(sm, MMC_M_WQ, e.wq, 0.06);
    assert_covers(sm, MMC_M_PWAIT, e.p_wait, 0.02);
    assert_covers(sm, MMC_M_WQ_P99, mmc_erlang_wait_quantile(&e, 0.99), 0.1);
    ck_assert_uint_eq(sm->work_violations, 0); /* never a task beside an idle worker */
    ck_assert_str_eq(sm->an.form, "M/M/c");
    mmc_experiment_fini(&x);
}
END_TEST

START_TEST(hash_shows_its_imbalance)
{
    struct fixture f; /* 10 keys on 4 workers: shares are multiples of 0.1, never all 0.25 */
    push_init(&f, MMC_POLICY_HASH, 4, 0.5, 200000);
    f.s.dispatch.keys = 10;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->has_analytic);
    ck_assert_str_eq(sm->an.form, "M/M/1 per worker, hash shares");
    assert_covers(sm, MMC_M_WQ, sm->an.wq, 0.05);
    assert_covers(sm, MMC_M_PWAIT, sm->an.p_wait, 0.02);
    assert_covers(sm, MMC_M_WQ_P90, sm->an.wq_pct[1], 0.05);
    /* uneven shares wait longer than random dispatch's even ones (M/M/1 at 0.5: Wq = 1) */
    ck_assert_double_gt(sm->an.wq, 1.0);
    ck_assert_double_gt(sm->worker_tasks_cv, 0.1);
    mmc_experiment_fini(&x);
}
END_TEST

/* The mean field is exact as c grows: at c = 1000 within 2 % (README quotes the figure). */
START_TEST(power_of_d_approaches_the_mean_field)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_POWER_OF_D, 1000, 0.9, 2000000);
    f.s.replications = 4;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_supermarket m;
    ck_assert_int_eq(mmc_supermarket(0.9, 2.0, 1.0, &m), 0);
    double wq = sm->m[MMC_M_WQ].mean;
    ck_assert_msg(fabs(wq / m.wq - 1.0) < 0.02, "Wq %g, mean field %g", wq, m.wq);
    ck_assert_msg(fabs(sm->m[MMC_M_PWAIT].mean - m.p_wait) < 0.01, "P(wait) %g",
                  sm->m[MMC_M_PWAIT].mean);
    ck_assert(sm->an.approx);
    mmc_experiment_fini(&x);
}
END_TEST

/* jsq's mean field (d = c): waiting vanishes as c grows below saturation. */
START_TEST(jsq_waiting_vanishes_at_large_c)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_JSQ, 1000, 0.9, 1000000);
    f.s.replications = 3;
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert_double_lt(sm->m[MMC_M_PWAIT].mean, 0.01);
    ck_assert_double_lt(sm->m[MMC_M_WQ].mean, 0.01); /* in units of the mean service */
    mmc_experiment_fini(&x);
}
END_TEST

/* With one worker every policy is model mmc's M/M/1, draw for draw. */
START_TEST(one_worker_is_mmc)
{
    struct fixture f, g;
    fixture_init(&f, 0.8, 1.0, 1, 50000);
    push_init(&g, MMC_POLICY_ROUND_ROBIN, 1, 0.8, 50000);
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 1);
    fixture_run(&y, &g.s, 2);
    for (int m = MMC_M_WQ; m <= MMC_M_T; m++)
        ck_assert_double_eq(x.summaries[0].m[m].mean, y.summaries[0].m[m].mean);
    ck_assert_double_eq(x.summaries[0].m[MMC_M_LQ].mean, y.summaries[0].m[MMC_M_LQ].mean);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* A state-blind policy routes the same tasks the same way whatever the delay: T grows by it,
 * every wait stays. */
START_TEST(dispatch_delay_shifts_latency_only)
{
    struct fixture f, g;
    push_init(&f, MMC_POLICY_RANDOM, 4, 0.8, 50000);
    push_init(&g, MMC_POLICY_RANDOM, 4, 0.8, 50000);
    g.s.dispatch.delay = 0.25;
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    const struct mmc_summary *a = &x.summaries[0], *b = &y.summaries[0];
    ck_assert_double_eq_tol(a->m[MMC_M_WQ].mean, b->m[MMC_M_WQ].mean, 1e-12);
    ck_assert_double_eq_tol(a->m[MMC_M_T].mean + 0.25, b->m[MMC_M_T].mean, 1e-12);
    ck_assert_double_eq_tol(a->an.t + 0.25, b->an.t, 1e-12);
    /* the time-average window opens and closes on the dispatcher's clock, d before the
       workers' one: the same queue, seen through a window shifted by the delay */
    ck_assert_double_eq_tol(a->m[MMC_M_LQ].mean, b->m[MMC_M_LQ].mean, 1e-3 * a->m[MMC_M_LQ].mean);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

START_TEST(same_result_on_any_thread_count)
{
    enum mmc_policy pol[] = {MMC_POLICY_POWER_OF_D, MMC_POLICY_LEAST_WORK, MMC_POLICY_HASH};
    for (size_t i = 0; i < 3; i++) {
        struct fixture f;
        push_init(&f, pol[i], 8, 0.9, 20000);
        f.s.dispatch.delay = 0.1;
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

START_TEST(argmin_tree)
{
    struct mmc_argmin t;
    mmc_argmin_init(&t, 5, 3.0);
    ck_assert_uint_eq(mmc_argmin_min(&t), 0); /* ties: the lowest index */
    mmc_argmin_set(&t, 3, 1.0);
    mmc_argmin_set(&t, 4, 1.0);
    ck_assert_uint_eq(mmc_argmin_min(&t), 3);
    ck_assert_uint_eq(mmc_argmin_first_at_most(&t, 2.0), 3);
    ck_assert_uint_eq(mmc_argmin_first_at_most(&t, 0.5), UINT32_MAX);
    ck_assert_uint_eq(mmc_argmin_first_at_most(&t, 3.0), 0);
    mmc_argmin_set(&t, 3, 9.0);
    ck_assert_uint_eq(mmc_argmin_min(&t), 4);
    mmc_argmin_fini(&t);
    mmc_argmin_init(&t, 1, 0.0);
    ck_assert_uint_eq(mmc_argmin_min(&t), 0);
    mmc_argmin_set(&t, 0, 5.0);
    ck_assert_uint_eq(mmc_argmin_first_at_most(&t, 5.0), 0);
    mmc_argmin_fini(&t);
}
END_TEST

/* Capacity, shedding, patience and a delaying throttle with one worker: model mmc's guarded run,
 * draw for draw (one worker's queue is the central queue). */
START_TEST(one_worker_guarded_is_mmc)
{
    struct fixture f, g;
    fixture_init(&f, 0.9, 1.0, 1, 30000);
    push_init(&g, MMC_POLICY_ROUND_ROBIN, 1, 0.9, 30000);
    struct mmc_protection pr = {.capacity = 8,
                                .shed = true,
                                .shed_threshold = 4,
                                .drop = MMC_DROP_OLDEST,
                                .throttle = true,
                                .throttle_rate = 1.2,
                                .throttle_burst = 2,
                                .excess = MMC_EXCESS_DELAY};
    f.s.protect = g.s.protect = pr;
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    for (size_t r = 0; r < x.n_runs[0]; r++)
        assert_runs_equal(&x.runs[0][r], &y.runs[0][r]);
    ck_assert_uint_gt(y.summaries[0].shed, 0);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* least_work with a capacity K is M/M/c/K (K counts the whole system either way). */
START_TEST(least_work_with_capacity_is_mmck)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_LEAST_WORK, 4, 0.9, 200000);
    f.s.protect = (struct mmc_protection){.capacity = 8};
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang_loss e;
    ck_assert_int_eq(mmc_erlang_loss(3.6, 1.0, 4, 8, 0.0, 0.0, &e), 0);
    ck_assert_str_eq(sm->an.form, "M/M/c/K");
    ck_assert_double_eq_tol(sm->an.p_block, e.p_block, 1e-12);
    assert_covers(sm, MMC_M_P_BLOCK, e.p_block, 0.05);
    assert_covers(sm, MMC_M_WQ, e.wq, 0.05);
    mmc_experiment_fini(&x);
}
END_TEST

/* Shedding at each worker's own queue, with a dispatch delay: every task accounted for. */
START_TEST(shedding_per_worker_conserves_tasks)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_RANDOM, 4, 0.95, 50000);
    f.s.dispatch.delay = 0.5;
    f.s.protect = (struct mmc_protection){
        .capacity = 30, .shed = true, .shed_threshold = 3, .drop = MMC_DROP_NEWEST};
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    ck_assert(sm->conserved);
    ck_assert_uint_gt(sm->shed, 0);
    ck_assert_uint_le(sm->max_queue, 4 * 3); /* at most 3 waiting at each worker */
    ck_assert(!sm->has_analytic);
    mmc_experiment_fini(&x);
}
END_TEST

/* random dispatch with patience: c independent M/M/1+M queues at lambda / c (Erlang A with one
 * worker), computed here from models/erlang.h. */
START_TEST(random_with_patience_is_c_erlang_a)
{
    struct fixture f;
    push_init(&f, MMC_POLICY_RANDOM, 4, 0.95, 200000);
    f.s.protect = (struct mmc_protection){.patience = true, .patience_rate = 0.5};
    mmc_dist_exponential(&f.s.protect.patience_dist.shape);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang_loss e;
    ck_assert_int_eq(mmc_erlang_loss(0.95, 1.0, 1, 0, 0.5, 0.0, &e), 0);
    ck_assert_double_eq_tol(sm->an.p_abandon, e.p_abandon, 1e-12);
    assert_covers(sm, MMC_M_P_ABANDON, e.p_abandon, 0.05);
    assert_covers(sm, MMC_M_LQ, 4.0 * e.lq, 0.05);
    assert_covers(sm, MMC_M_THROUGHPUT, 4.0 * e.throughput, 0.01);
    ck_assert(sm->conserved);
    mmc_experiment_fini(&x);
}
END_TEST

/* A shift schedule that never changes the count is no schedule: the same results (the shift
 * events only add events). */
START_TEST(constant_shifts_change_nothing)
{
    enum mmc_policy pol[] = {MMC_POLICY_ROUND_ROBIN, MMC_POLICY_JSQ, MMC_POLICY_LEAST_WORK};
    for (size_t i = 0; i < 3; i++) {
        struct fixture f, g;
        push_init(&f, pol[i], 4, 0.8, 20000);
        push_init(&g, pol[i], 4, 0.8, 20000);
        double t[] = {0, 500, 1500}, c[] = {4, 4, 4};
        g.s.staffing = (struct mmc_staffing){.n = 3, .t = t, .c = c, .c_max = 4};
        f.s.warmup = g.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 2);
        fixture_run(&y, &g.s, 2);
        /* time averages gather their areas in more steps: equal to rounding */
        for (int m = MMC_M_UTIL; m <= MMC_M_T; m++) {
            double a = x.summaries[0].m[m].mean, b = y.summaries[0].m[m].mean;
            ck_assert_msg(fabs(a - b) <= 1e-12 * fabs(a), "%s: %.17g %.17g", mmc_metric_name(m), a,
                          b);
        }
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/* Shifts that remove and add workers: a removed worker serves its queue and gets nothing new,
 * every task is accounted for, and fewer workers mean longer waits. */
START_TEST(shifts_remove_and_add_workers)
{
    enum mmc_policy pol[] = {MMC_POLICY_ROUND_ROBIN, MMC_POLICY_RANDOM,     MMC_POLICY_JSQ,
                             MMC_POLICY_POWER_OF_D,  MMC_POLICY_LEAST_WORK, MMC_POLICY_HASH};
    for (size_t i = 0; i < 6; i++) {
        struct fixture f, g;
        push_init(&f, pol[i], 4, 0.5, 20000);
        push_init(&g, pol[i], 4, 0.5, 20000);
        double t[] = {0, 2000, 4000}, c[] = {4, 3, 4}, t2[] = {0, 2000, 4000}, c2[] = {4, 4, 4};
        f.s.staffing = (struct mmc_staffing){.n = 3, .t = t, .c = c, .c_max = 4};
        g.s.staffing = (struct mmc_staffing){.n = 3, .t = t2, .c = c2, .c_max = 4};
        f.s.warmup = g.s.warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 2);
        fixture_run(&y, &g.s, 2);
        ck_assert(x.summaries[0].conserved);
        ck_assert(!x.summaries[0].has_analytic);
        ck_assert_msg(x.summaries[0].m[MMC_M_WQ].mean > y.summaries[0].m[MMC_M_WQ].mean,
                      "policy %zu: Wq %g with a worker off a while, %g without", i,
                      x.summaries[0].m[MMC_M_WQ].mean, y.summaries[0].m[MMC_M_WQ].mean);
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/* ---- priority classes ---- */

/* Three classes (shares .2/.5/.3, means .5/1/1.5, exponential / deterministic / gamma scv 2) at
 * load rho on f's workers (mu = 1 for the scenario). */
static void three_classes(struct fixture *f, double rho, bool resume, double *lambda, double *es,
                          double *es2)
{
    const double share[3] = {0.2, 0.5, 0.3}, mean[3] = {0.5, 1.0, 1.5}, scv[3] = {1.0, 0.0, 2.0};
    const char *names[3] = {"hi", "mid", "lo"};
    double per = 0.0;
    for (int k = 0; k < 3; k++)
        per += share[k] * mean[k];
    f->lambda = rho * f->c / per; /* the scenario's arrival axis points to it */
    f->s.classes.preemption = resume ? MMC_PREEMPT_RESUME : MMC_PREEMPT_NONE;
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
        lambda[k] = f->lambda * share[k];
        es[k] = mean[k];
        es2[k] = (1.0 + scv[k]) * mean[k] * mean[k];
    }
}

/*
 * Random dispatch with classes: every worker is an M/G/1 priority queue fed
 * a Poisson 1/c of each class, so each class's Wq is Cobham's at lambda / c
 * (computed here), without and with preemption; a class's Lq is c times a
 * worker's. Tasks of higher priority wait at one worker while another starts
 * a lower one: inversions are counted.
 */
START_TEST(random_classes_are_cobham_per_worker)
{
    for (int resume = 0; resume <= 1; resume++) {
        struct fixture f;
        double lambda[3], es[3], es2[3], per[3], wq[3];
        push_init(&f, MMC_POLICY_RANDOM, 3, 0.8, 150000);
        f.s.replications = 20;
        three_classes(&f, 0.8, resume, lambda, es, es2);
        for (int k = 0; k < 3; k++)
            per[k] = lambda[k] / 3.0;
        fixture_cobham_mg1(per, es, es2, 3, resume, wq);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        size_t n = 0;
        const struct mmc_summary *rows = mmc_experiment_class_rows(&x, 0, &n);
        ck_assert_uint_eq(n, 3);
        double lq = 0.0;
        for (size_t k = 0; k < 3; k++) {
            ck_assert(rows[k].has_analytic);
            ck_assert_double_eq_tol(rows[k].an.wq, wq[k], 1e-12 * wq[k]);
            assert_covers(&rows[k], MMC_M_WQ, wq[k], 0.06);
            assert_covers(&rows[k], MMC_M_LQ, lambda[k] * wq[k], 0.06);
            ck_assert(rows[k].conserved);
            lq += lambda[k] * wq[k];
        }
        assert_covers(&x.summaries[0], MMC_M_LQ, lq, 0.05);
        ck_assert_uint_eq(rows[0].inversions, 0); /* nothing outranks the top class */
        ck_assert_uint_gt(rows[2].inversions, rows[2].tasks / 100);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* With one worker, push with classes is model mmc with classes draw for draw (round robin
 * draws nothing): every record, each class's too, with and without preemption, a backlog
 * included; and no priority is ever inverted. */
START_TEST(one_worker_classes_are_mmc)
{
    for (int resume = 0; resume <= 1; resume++) {
        struct fixture f, g;
        double lambda[3], es[3], es2[3];
        fixture_init(&f, 0.8, 1.0, 1, 30000);
        push_init(&g, MMC_POLICY_ROUND_ROBIN, 1, 0.8, 30000);
        three_classes(&f, 0.8, resume, lambda, es, es2);
        three_classes(&g, 0.8, resume, lambda, es, es2);
        f.s.initial = g.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 5};
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 1);
        fixture_run(&y, &g.s, 2);
        for (size_t r = 0; r < x.n_runs[0]; r++) {
            assert_runs_equal(&x.runs[0][r], &y.runs[0][r]);
            for (size_t k = 0; k < 3; k++)
                assert_runs_equal(&x.runs[0][r].cls[k], &y.runs[0][r].cls[k]);
            ck_assert_uint_eq(y.runs[0][r].n_inversions, 0);
        }
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

Suite *push_suite(void)
{
    Suite *s = suite_create("push");
    TCase *tc = tcase_create("closed forms and limits");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, random_is_c_mm1_queues);
    tcase_add_test(tc, round_robin_is_c_ecm1_queues);
    tcase_add_test(tc, least_work_is_one_fcfs_queue);
    tcase_add_test(tc, hash_shows_its_imbalance);
    tcase_add_test(tc, power_of_d_approaches_the_mean_field);
    tcase_add_test(tc, jsq_waiting_vanishes_at_large_c);
    tcase_add_test(tc, one_worker_is_mmc);
    tcase_add_test(tc, dispatch_delay_shifts_latency_only);
    tcase_add_test(tc, same_result_on_any_thread_count);
    tcase_add_test(tc, argmin_tree);
    tcase_add_test(tc, one_worker_guarded_is_mmc);
    tcase_add_test(tc, least_work_with_capacity_is_mmck);
    tcase_add_test(tc, shedding_per_worker_conserves_tasks);
    tcase_add_test(tc, random_with_patience_is_c_erlang_a);
    tcase_add_test(tc, constant_shifts_change_nothing);
    tcase_add_test(tc, shifts_remove_and_add_workers);
    tcase_add_test(tc, random_classes_are_cobham_per_worker);
    tcase_add_test(tc, one_worker_classes_are_mmc);
    suite_add_tcase(s, tc);
    return s;
}
