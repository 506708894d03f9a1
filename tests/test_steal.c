/*
 * test_steal.c - model steal (a deque per worker, idle workers steal): its
 * exact limits (stealing at cost 0 is a work-conserving pool, so its number
 * in system is model mmc's path on common random numbers and its means are
 * M/M/c's, while lifo moves its percentiles; no stealing with random
 * arrival is c independent M/M/1 queues), the limit cost -> 0, its
 * bookkeeping (steals, failed attempts counted exactly on a hand-counted
 * path, conservation, work conservation at cost 0) and threads.
 *
 * The closed forms are computed here from models/erlang.h, not read from
 * the model, so a wrong form in steal.c fails too.
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A steal fixture: c workers at load rho (mu = 1), tasks per replication, how they steal. */
static void steal_init(struct fixture *f, double c, double rho, double tasks,
                       enum mmc_steal_victim victim, double cost)
{
    fixture_init(f, rho * c, 1.0, c, tasks);
    strcpy(f->s.model, "steal");
    f->s.steal = (struct mmc_steal){.victim = victim, .cost = cost};
}

/* The figures that follow from the number in system alone, of replication r. */
static void assert_same_counts(const struct mmc_run *a, const struct mmc_run *b)
{
    ck_assert(a->l == b->l && a->lq == b->lq && a->busy == b->busy);
    ck_assert(a->throughput == b->throughput && a->t_window == b->t_window);
    ck_assert_uint_eq(a->n_waited, b->n_waited);
    ck_assert_uint_eq(a->n_blocked, b->n_blocked);
    ck_assert_uint_eq(a->max_in_system, b->max_in_system);
    ck_assert_uint_eq(a->n_events, b->n_events);
}

/*
 * Cost 0, amount one, most_loaded (the check): no task waits beside an idle worker, and
 * service times are drawn when services start, so the number in system is model mmc's sample
 * path exactly (every replication: L, Lq, utilization, throughput, P(wait)); its means are
 * M/M/c's within their intervals. The lifo order moves the waits' distribution: Wq's p99 is
 * far beyond Erlang C's.
 */
START_TEST(cost0_most_loaded_is_mmc)
{
    struct fixture f, g;
    steal_init(&f, 4, 0.8, 200000, MMC_STEAL_VICTIM_MOST_LOADED, 0.0);
    fixture_init(&g, 3.2, 1.0, 4, 200000);
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.2, 1.0, 4, 0.0, &e), 0);
    for (size_t r = 0; r < x.n_runs[0]; r++)
        assert_same_counts(&x.runs[0][r], &y.runs[0][r]);
    assert_covers(sm, MMC_M_L, e.l, 0.02);
    assert_covers(sm, MMC_M_LQ, e.lq, 0.05);
    assert_covers(sm, MMC_M_W, e.w, 0.02);
    assert_covers(sm, MMC_M_WQ, e.wq, 0.05);
    assert_covers(sm, MMC_M_T, e.t, 0.02);
    assert_covers(sm, MMC_M_PWAIT, e.p_wait, 0.02);
    assert_covers(sm, MMC_M_UTIL, e.rho, 0.01);
    ck_assert_uint_eq(sm->work_violations, 0);
    /* the closed form is mmc's means, without its percentiles */
    ck_assert_str_eq(sm->an.form, "M/M/c");
    ck_assert_double_eq_tol(sm->an.l, e.l, 1e-12 * e.l);
    ck_assert(isnan(sm->an.wq_pct[3]) && isnan(sm->an.t_pct[3]));
    /* lifo: Wq's p99 is 9.03 +- 0.27 (seed 12345) where FCFS's is 5.11, 14 half-widths off */
    double p99 = mmc_erlang_wait_quantile(&e, 0.99);
    const struct mmc_ci *q = &sm->m[MMC_M_WQ_P99];
    ck_assert_msg(q->mean - 10.0 * q->half > p99, "lifo Wq p99 %g +- %g, FCFS %g", q->mean, q->half,
                  p99);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* Random victims and amount half at cost 0 are work-conserving too: model mmc's path. */
START_TEST(cost0_random_half_is_mmc)
{
    struct fixture f, g;
    steal_init(&f, 8, 0.9, 50000, MMC_STEAL_VICTIM_RANDOM, 0.0);
    f.s.steal.amount = MMC_STEAL_AMOUNT_HALF;
    fixture_init(&g, 7.2, 1.0, 8, 50000);
    f.s.initial = g.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 30};
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    for (size_t r = 0; r < x.n_runs[0]; r++)
        assert_same_counts(&x.runs[0][r], &y.runs[0][r]);
    ck_assert_uint_eq(x.summaries[0].work_violations, 0);
    ck_assert_uint_gt(x.summaries[0].steals, 0);
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

/* The same pool in lifo and fifo order (4 workers, rho 0.9): the same number in system (so the
 * same means), and waits distributed differently: lifo serves most tasks sooner (T's median
 * 1.53 +- 0.02 against 2.04 +- 0.05) and leaves a few far longer (Wq's p99 26.9 +- 1.6
 * against 13.3 +- 0.8), each beyond both intervals. */
START_TEST(lifo_and_fifo_differ_in_percentiles)
{
    struct mmc_experiment x[2];
    for (int i = 0; i < 2; i++) {
        struct fixture f;
        steal_init(&f, 4, 0.9, 100000, MMC_STEAL_VICTIM_MOST_LOADED, 0.0);
        f.s.steal.order = i == 0 ? MMC_STEAL_ORDER_LIFO : MMC_STEAL_ORDER_FIFO;
        fixture_run(&x[i], &f.s, 2);
    }
    const struct mmc_summary *lifo = &x[0].summaries[0], *fifo = &x[1].summaries[0];
    ck_assert(lifo->m[MMC_M_L].mean == fifo->m[MMC_M_L].mean);
    ck_assert(lifo->m[MMC_M_PWAIT].mean == fifo->m[MMC_M_PWAIT].mean);
    const struct mmc_ci *a = &lifo->m[MMC_M_T_P50], *b = &fifo->m[MMC_M_T_P50];
    ck_assert_msg(a->mean + a->half < b->mean - b->half, "T p50: lifo %g +- %g, fifo %g +- %g",
                  a->mean, a->half, b->mean, b->half);
    a = &lifo->m[MMC_M_WQ_P99];
    b = &fifo->m[MMC_M_WQ_P99];
    ck_assert_msg(a->mean - a->half > b->mean + b->half, "Wq p99: lifo %g +- %g, fifo %g +- %g",
                  a->mean, a->half, b->mean, b->half);
    mmc_experiment_fini(&x[0]);
    mmc_experiment_fini(&x[1]);
}
END_TEST

/* victim: none and random arrival: c independent M/M/1 queues at lambda / c, percentiles too in
 * fifo order; nothing is stolen and every task is served where it arrived. In lifo order the
 * means are the same queues' and the form offers no percentiles. */
START_TEST(no_stealing_is_c_mm1_queues)
{
    for (int order = 0; order < 2; order++) {
        struct fixture f;
        steal_init(&f, 4, 0.8, 200000, MMC_STEAL_VICTIM_NONE, 0.0);
        f.s.steal.order = order == 0 ? MMC_STEAL_ORDER_FIFO : MMC_STEAL_ORDER_LIFO;
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *sm = &x.summaries[0];
        struct mmc_erlang e; /* one worker: Poisson at lambda / c */
        ck_assert_int_eq(mmc_erlang_mmc(0.8, 1.0, 1, 0.0, &e), 0);
        assert_covers(sm, MMC_M_WQ, e.wq, 0.06);
        assert_covers(sm, MMC_M_LQ, 4 * e.lq, 0.06);
        assert_covers(sm, MMC_M_L, 4 * e.l, 0.05);
        assert_covers(sm, MMC_M_T, e.t, 0.05);
        assert_covers(sm, MMC_M_PWAIT, 0.8, 0.01);
        ck_assert_str_eq(sm->an.form, "M/M/1 per worker");
        ck_assert_double_eq_tol(sm->an.wq, e.wq, 1e-12);
        if (order == 0) {
            assert_covers(sm, MMC_M_WQ_P90, mmc_erlang_wait_quantile(&e, 0.90), 0.05);
            assert_covers(sm, MMC_M_T_P99, mmc_erlang_sojourn_quantile(&e, 0.99), 0.05);
        } else {
            ck_assert(isnan(sm->an.wq_pct[1]));
        }
        ck_assert_uint_eq(sm->steals, 0);
        ck_assert_uint_eq(sm->steal_failed, 0);
        ck_assert_uint_eq(sm->first_worker, sm->tasks);
        ck_assert_uint_gt(sm->work_violations, 0); /* tasks wait beside idle workers */
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* Bookkeeping: every task accounted for, Little's law, steals where there is work to steal,
 * and tasks served away from where they arrived; with a cost, tasks wait beside thieves. */
START_TEST(bookkeeping)
{
    const enum mmc_steal_victim victim[] = {MMC_STEAL_VICTIM_RANDOM, MMC_STEAL_VICTIM_MOST_LOADED};
    for (int i = 0; i < 4; i++) {
        struct fixture f;
        steal_init(&f, 8, 0.95, 50000, victim[i % 2], i < 2 ? 0.0 : 0.05);
        f.s.steal.amount = MMC_STEAL_AMOUNT_HALF;
        f.s.steal.order = MMC_STEAL_ORDER_FIFO;
        f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 40};
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *sm = &x.summaries[0];
        ck_assert(sm->conserved);
        ck_assert_uint_eq(sm->arrived, sm->completed + sm->in_system_end);
        ck_assert_uint_eq(sm->in_system_end, 0);
        ck_assert_double_lt(fabs(sm->little_l), 0.01);
        ck_assert_double_lt(fabs(sm->little_lq), 0.01);
        ck_assert_uint_gt(sm->steals, sm->tasks / 100);
        ck_assert_uint_gt(sm->steal_failed, 0);
        ck_assert_uint_lt(sm->first_worker, sm->tasks);
        ck_assert_uint_gt(sm->first_worker, sm->tasks / 4);
        if (i < 2)
            ck_assert_uint_eq(sm->work_violations, 0);
        else
            ck_assert_uint_gt(sm->work_violations, 0);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* A cost of 1e-7 / mu is the cost-0 pool: its number in system moves by at most the cost at
 * each event, so L, Lq and utilization agree to a millionth (measured: 5e-7); the victims are
 * drawn differently, so which tasks wait moves, and the measured tasks' Wq and W agree to
 * 1e-4 (measured: 2e-5). A task that joins an idle thief's deque waits for the end of its
 * attempt, so P(wait) has no such limit (1 - 1e-5 against 0.59). */
START_TEST(cost_to_zero_is_cost_zero)
{
    const enum mmc_steal_victim victim[] = {MMC_STEAL_VICTIM_RANDOM, MMC_STEAL_VICTIM_MOST_LOADED};
    for (int i = 0; i < 2; i++) {
        struct mmc_experiment x[2];
        for (int k = 0; k < 2; k++) {
            struct fixture f;
            steal_init(&f, 4, 0.8, 50000, victim[i], k == 0 ? 0.0 : 1e-7);
            fixture_run(&x[k], &f.s, 2);
        }
        const struct mmc_summary *a = &x[0].summaries[0], *b = &x[1].summaries[0];
        const enum mmc_metric m[] = {MMC_M_UTIL, MMC_M_LQ, MMC_M_L, MMC_M_WQ, MMC_M_W};
        const double tol[] = {1e-6, 1e-6, 1e-6, 1e-4, 1e-4};
        for (size_t j = 0; j < sizeof m / sizeof *m; j++)
            ck_assert_msg(fabs(b->m[m[j]].mean - a->m[m[j]].mean) <= tol[j] * a->m[m[j]].mean,
                          "%s: cost 1e-7 %.9g, cost 0 %.9g", mmc_metric_name(m[j]), b->m[m[j]].mean,
                          a->m[m[j]].mean);
        ck_assert_uint_eq(a->work_violations, 0);
        mmc_experiment_fini(&x[0]);
        mmc_experiment_fini(&x[1]);
    }
}
END_TEST

/* A larger cost lengthens the waits (thieves idle between attempts), each step beyond both
 * intervals. */
START_TEST(cost_lengthens_waits)
{
    const double cost[] = {0.0, 0.2, 1.0};
    double wq_prev = 0.0, half_prev = 0.0;
    for (size_t i = 0; i < 3; i++) {
        struct fixture f;
        steal_init(&f, 8, 0.8, 50000, MMC_STEAL_VICTIM_RANDOM, cost[i]);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_ci *ci = &x.summaries[0].m[MMC_M_WQ];
        ck_assert_msg(ci->mean - ci->half > wq_prev + half_prev, "cost %g: Wq %g +- %g after %g",
                      cost[i], ci->mean, ci->half, wq_prev);
        wq_prev = ci->mean;
        half_prev = ci->half;
        mmc_experiment_fini(&x);
    }
}
END_TEST

/*
 * Failed attempts are counted exactly, counted or simulated alike: a replayed path on two
 * workers (round-robin arrival, so worker 1's victim is worker 0 and back), cost 0.1, tasks at
 * 1.05 (to worker 0, service 0.55) and 3.02 (to worker 1, service 0.3); the window opens at
 * the first. Worker 0: parked from 0, finds its task at 1.1; parked from 1.65, fails at 1.75
 * ... 2.95 (13) and steals worker 1's at 3.05. Worker 1: parked from 0, fails at 1.1 (1);
 * parked, fails at 1.2 ... 3.0 (19) and 3.1 (1); parked, fails at 3.2 and 3.3 (2) before the
 * last completion at 3.35. 36 failed, 1 steal, 1 task served where it arrived.
 */
START_TEST(failed_attempts_counted_exactly)
{
    double t[] = {1.05, 3.02}, svc[] = {0.55, 0.3}, unit[] = {0.55, 0.3};
    for (int victim = 0; victim < 2; victim++) {
        struct fixture f;
        steal_init(&f, 2, 0.5, 2,
                   victim == 0 ? MMC_STEAL_VICTIM_RANDOM : MMC_STEAL_VICTIM_MOST_LOADED, 0.1);
        struct mmc_scenario *s = &f.s;
        s->steal.arrive = MMC_STEAL_ARRIVE_ROUND_ROBIN;
        s->process.kind = MMC_PROCESS_TRACE;
        s->process.trace = (struct mmc_trace){t, svc, 2};
        s->process.trace_scale = 1.0;
        s->process.trace_service = true;
        double mean = 0.0;
        memcpy(unit, svc, sizeof unit);
        ck_assert_int_eq(mmc_dist_empirical(&s->service_dist.shape, unit, 2, &mean, NULL), 0);
        f.mu = 1.0 / mean;
        s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
        s->replications = 2;
        struct mmc_experiment x;
        fixture_run(&x, s, 1);
        const struct mmc_run *r = &x.runs[0][0];
        ck_assert_uint_eq(r->n_steal_failed, 36);
        ck_assert_uint_eq(r->n_steals, 1);
        ck_assert_uint_eq(r->n_first_worker, 1);
        ck_assert_double_eq_tol(r->t_end, 3.35, 1e-12);
        ck_assert_double_eq_tol(r->wq, (0.05 + 0.03) / 2.0, 1e-12);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* Capacity K at cost 0: model mmc's M/M/c/K path (the same tasks blocked); its blocking and
 * means are the closed form's. */
START_TEST(cost0_capacity_is_mmck)
{
    struct fixture f, g;
    steal_init(&f, 3, 0.9, 50000, MMC_STEAL_VICTIM_RANDOM, 0.0);
    fixture_init(&g, 2.7, 1.0, 3, 50000);
    f.s.protect = g.s.protect = (struct mmc_protection){.capacity = 6};
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 2);
    fixture_run(&y, &g.s, 2);
    for (size_t r = 0; r < x.n_runs[0]; r++)
        assert_same_counts(&x.runs[0][r], &y.runs[0][r]);
    const struct mmc_summary *sm = &x.summaries[0];
    struct mmc_erlang_loss e;
    ck_assert_int_eq(mmc_erlang_loss(2.7, 1.0, 3, 6, 0.0, 0.0, &e), 0);
    ck_assert_str_eq(sm->an.form, "M/M/c/K");
    assert_covers(sm, MMC_M_P_BLOCK, e.p_block, 0.05);
    assert_covers(sm, MMC_M_L, e.l, 0.02);
    ck_assert(isnan(sm->an.wq_pct[0]));
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

START_TEST(same_result_on_any_thread_count)
{
    const double cost[] = {0.0, 0.05, 0.0, 0.3};
    for (int i = 0; i < 4; i++) {
        struct fixture f;
        steal_init(&f, 6, 0.85, 20000,
                   i % 2 ? MMC_STEAL_VICTIM_MOST_LOADED : MMC_STEAL_VICTIM_RANDOM, cost[i]);
        f.s.steal.amount = i >= 2 ? MMC_STEAL_AMOUNT_HALF : MMC_STEAL_AMOUNT_ONE;
        f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, (double)(5 * i)};
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

/* The steal block: defaults, every key read, printed back as it loads. */
START_TEST(scenario_block)
{
    const char *yaml = "model: steal\narrival: {rate: 3}\nservice: {rate: 1}\nworkers: 4\n"
                       "steal: {arrive: round_robin, order: fifo, victim: most_loaded, amount: "
                       "half, cost: 0.25}\n";
    struct mmc_scenario s;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_scenario_load_string(&s, yaml, strlen(yaml), "t.yaml", NULL, 0, 0, &err),
                     0);
    ck_assert_int_eq(s.steal.arrive, MMC_STEAL_ARRIVE_ROUND_ROBIN);
    ck_assert_int_eq(s.steal.order, MMC_STEAL_ORDER_FIFO);
    ck_assert_int_eq(s.steal.victim, MMC_STEAL_VICTIM_MOST_LOADED);
    ck_assert_int_eq(s.steal.amount, MMC_STEAL_AMOUNT_HALF);
    ck_assert_double_eq(s.steal.cost, 0.25);
    char buf[4096] = {0};
    FILE *m = fmemopen(buf, sizeof buf - 1, "w");
    ck_assert_int_eq(mmc_scenario_print(&s, m), 0);
    fclose(m);
    ck_assert_ptr_nonnull(strstr(buf, "steal: {arrive: round_robin, order: fifo, victim: "
                                      "most_loaded, amount: half, cost: 0.25}\n"));
    struct mmc_scenario t;
    ck_assert_int_eq(mmc_scenario_load_string(&t, buf, strlen(buf), "p.yaml", NULL, 0, 0, &err), 0);
    ck_assert(memcmp(&s.steal, &t.steal, sizeof s.steal) == 0);
    mmc_scenario_fini(&t);
    mmc_scenario_fini(&s);
    const char *plain = "model: steal\narrival: {rate: 3}\nservice: {rate: 1}\nworkers: 1\n";
    ck_assert_int_eq(mmc_scenario_load_string(&s, plain, strlen(plain), "d.yaml", NULL, 0, 0, &err),
                     0);
    ck_assert_int_eq(s.steal.arrive, MMC_STEAL_ARRIVE_RANDOM);
    ck_assert_int_eq(s.steal.order, MMC_STEAL_ORDER_LIFO);
    ck_assert_int_eq(s.steal.victim, MMC_STEAL_VICTIM_RANDOM);
    ck_assert_int_eq(s.steal.amount, MMC_STEAL_AMOUNT_ONE);
    ck_assert_double_eq(s.steal.cost, 0.0);
    mmc_scenario_fini(&s);
}
END_TEST

Suite *steal_suite(void)
{
    Suite *s = suite_create("steal");
    TCase *tc = tcase_create("limits, closed forms and bookkeeping");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, cost0_most_loaded_is_mmc);
    tcase_add_test(tc, cost0_random_half_is_mmc);
    tcase_add_test(tc, lifo_and_fifo_differ_in_percentiles);
    tcase_add_test(tc, no_stealing_is_c_mm1_queues);
    tcase_add_test(tc, bookkeeping);
    tcase_add_test(tc, cost_to_zero_is_cost_zero);
    tcase_add_test(tc, cost_lengthens_waits);
    tcase_add_test(tc, failed_attempts_counted_exactly);
    tcase_add_test(tc, cost0_capacity_is_mmck);
    tcase_add_test(tc, same_result_on_any_thread_count);
    tcase_add_test(tc, scenario_block);
    suite_add_tcase(s, tc);
    return s;
}
