/*
 * test_steal.c - model steal (a deque per worker, idle workers steal): its
 * exact limits (stealing at cost 0 is a work-conserving pool, so its number
 * in system is model mmc's path on common random numbers and its means are
 * M/M/c's, while lifo moves its percentiles; no stealing with random
 * arrival is c independent M/M/1 queues), the limit cost -> 0, its
 * bookkeeping (steals, failed attempts counted exactly on a hand-counted
 * path, conservation, work conservation at cost 0) and threads. With
 * priority classes: one level is the class-free model task for task, one
 * worker is model mmc with classes record for record, no stealing is
 * Cobham's priority queue per worker, and stealing at cost 0 keeps M/M/c's
 * figures for every task (conservation).
 *
 * The closed forms are computed here from models/erlang.h, not read from
 * the model, so a wrong form in steal.c fails too.
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"
#include "models.h"

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

/* ---- priority classes ---- */

/* Three classes (shares .2/.5/.3, priorities 0/1/2, means .5/1/1.5, exponential /
 * deterministic / gamma scv 2) at load rho on f's workers; their lambda, E[S], E[S^2]. */
static void three_mixed_classes(struct fixture *f, double rho, double *lambda, double *es,
                                double *es2)
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
        if (lambda != NULL) {
            lambda[k] = f->lambda * share[k];
            es[k] = mean[k];
            es2[k] = (1.0 + scv[k]) * mean[k] * mean[k];
        }
    }
}

/* Three classes of one exponential service (mu = 1): high 30 %, normal 50 %, low 20 %. */
static void three_mm_classes(struct fixture *f)
{
    fixture_add_class(f, "high", 0.3, 0);
    fixture_add_class(f, "normal", 0.5, 1);
    fixture_add_class(f, "low", 0.2, 2);
}

/* Relative agreement of two sums of the same terms added in another order. */
static void assert_close(double a, double b, const char *what)
{
    ck_assert_msg(fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b)), "%s: %.17g vs %.17g", what, a, b);
}

/*
 * One level (two classes of one priority, the scenario's service) is the class-free model task
 * for task, however it steals: the same deque operations, victims and services, the class
 * draws from a stream of their own. Counts, steals, failed attempts, first workers and the
 * waits' distributions are equal; sums equal up to their order of addition (a task is
 * measured at its completion with classes, at its start without).
 */
START_TEST(one_level_is_class_free)
{
    const enum mmc_steal_victim victim[] = {MMC_STEAL_VICTIM_RANDOM, MMC_STEAL_VICTIM_MOST_LOADED,
                                            MMC_STEAL_VICTIM_RANDOM, MMC_STEAL_VICTIM_NONE};
    const double cost[] = {0.0, 0.05, 0.1, 0.0};
    for (int i = 0; i < 4; i++) {
        struct fixture f, g;
        steal_init(&f, 4, 0.85, 20000, victim[i], cost[i]);
        steal_init(&g, 4, 0.85, 20000, victim[i], cost[i]);
        f.s.steal.amount = g.s.steal.amount = i == 1 ? MMC_STEAL_AMOUNT_HALF : MMC_STEAL_AMOUNT_ONE;
        f.s.steal.order = g.s.steal.order = i == 2 ? MMC_STEAL_ORDER_FIFO : MMC_STEAL_ORDER_LIFO;
        f.s.initial = g.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, (double)(6 * i)};
        fixture_add_class(&g, "a", 0.25, 3);
        fixture_add_class(&g, "b", 0.75, 3);
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 2);
        fixture_run(&y, &g.s, 2);
        for (size_t r = 0; r < x.n_runs[0]; r++) {
            const struct mmc_run *a = &x.runs[0][r], *b = &y.runs[0][r];
            ck_assert_uint_eq(a->n_arrived, b->n_arrived);
            ck_assert_uint_eq(a->n_measured, b->n_measured);
            ck_assert_uint_eq(a->n_waited, b->n_waited);
            ck_assert_uint_eq(a->n_events, b->n_events);
            ck_assert_uint_eq(a->n_steals, b->n_steals);
            ck_assert_uint_eq(a->n_steal_failed, b->n_steal_failed);
            ck_assert_uint_eq(a->n_first_worker, b->n_first_worker);
            ck_assert_uint_eq(a->work_violations, b->work_violations);
            ck_assert_uint_eq(a->max_in_system, b->max_in_system);
            ck_assert_uint_eq(a->max_queue, b->max_queue);
            ck_assert_uint_eq(b->n_inversions, 0);
            ck_assert(a->t_end == b->t_end);
            ck_assert_uint_eq(a->wait_span.len, b->wait_span.len);
            ck_assert_int_eq(memcmp(a->wait_span.count, b->wait_span.count,
                                    a->wait_span.len * sizeof *a->wait_span.count),
                             0);
            ck_assert_uint_eq(a->sojourn_span.len, b->sojourn_span.len);
            ck_assert_int_eq(memcmp(a->sojourn_span.count, b->sojourn_span.count,
                                    a->sojourn_span.len * sizeof *a->sojourn_span.count),
                             0);
            assert_close(a->wq, b->wq, "Wq");
            assert_close(a->w, b->w, "W");
            assert_close(a->lq, b->lq, "Lq");
            assert_close(a->busy, b->busy, "busy");
        }
        if (victim[i] != MMC_STEAL_VICTIM_NONE)
            ck_assert_uint_gt(y.summaries[0].steals, 0);
        else
            ck_assert_uint_eq(y.summaries[0].first_worker, y.summaries[0].tasks);
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/* One worker with classes is model mmc with classes record for record (a worker never steals
 * from itself; its top level's oldest is the priority line's head), every class's record too,
 * in fifo order; and the closed forms are mmc's (lifo: its means, no percentiles). Besides, the
 * steal record counts every task as served by its first worker. */
START_TEST(one_worker_classes_are_mmc)
{
    for (int lifo = 0; lifo <= 1; lifo++) {
        struct fixture f, g;
        fixture_init(&f, 1.0, 1.0, 1, 30000);
        steal_init(&g, 1, 0.8, 30000, MMC_STEAL_VICTIM_RANDOM, 0.0);
        g.s.steal.order = lifo ? MMC_STEAL_ORDER_LIFO : MMC_STEAL_ORDER_FIFO;
        three_mixed_classes(&f, 0.8, NULL, NULL, NULL);
        three_mixed_classes(&g, 0.8, NULL, NULL, NULL);
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 1);
        fixture_run(&y, &g.s, 2);
        ck_assert_uint_eq(x.n_runs[0], y.n_runs[0]);
        for (size_t r = 0; !lifo && r < x.n_runs[0]; r++) {
            struct mmc_run b = y.runs[0][r];
            ck_assert_uint_eq(b.n_first_worker, b.n_measured);
            ck_assert_uint_eq(b.n_steals + b.n_steal_failed, 0);
            b.n_first_worker = 0;
            assert_runs_equal(&x.runs[0][r], &b);
            for (size_t k = 0; k < 3; k++)
                assert_runs_equal(&x.runs[0][r].cls[k], &y.runs[0][r].cls[k]);
        }
        const struct mmc_summary *a = fixture_class_rows(&x, 3), *b = fixture_class_rows(&y, 3);
        ck_assert(x.summaries[0].has_analytic && y.summaries[0].has_analytic);
        ck_assert(x.summaries[0].an.wq == y.summaries[0].an.wq);
        for (size_t k = 0; k < 3; k++) {
            ck_assert(a[k].has_analytic && b[k].has_analytic);
            ck_assert(a[k].an.wq == b[k].an.wq && a[k].an.lq == b[k].an.lq);
            ck_assert(a[k].an.p_wait == b[k].an.p_wait);
            if (lifo)
                ck_assert(isnan(b[k].an.wq_pct[0]) && isnan(b[k].an.t_pct[4]));
            else
                ck_assert(memcmp(a[k].an.t_pct, b[k].an.t_pct, sizeof a[k].an.t_pct) == 0);
        }
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/* The forms of a steal point with classes, without simulating: exact ones only. */
static void forms_of(struct fixture *f, bool want)
{
    struct mmc_experiment x;
    struct mmc_error err = {0};
    ck_assert_int_eq(mmc_experiment_init(&x, &f->s, &err), 0);
    struct mmc_run_options opt = {.threads = 1, .analytic_only = true};
    mmc_experiment_run(&x, &opt);
    const struct mmc_summary *rows = fixture_class_rows(&x, 3);
    ck_assert(x.summaries[0].has_analytic == want);
    for (size_t k = 0; k < 3; k++)
        ck_assert(rows[k].has_analytic == want);
    mmc_experiment_fini(&x);
}

/*
 * Class forms are offered where exact: one worker (M/G/1 priority), and victim: none with
 * random arrival (a priority M/G/1 per worker at lambda / c: Cobham's, computed here); none
 * with round-robin arrival (Erlang gaps), and none while stealing, at any cost or victim (a
 * thief takes its victim's best, not the pool's).
 */
START_TEST(class_forms_where_exact)
{
    struct fixture f;
    double lambda[3], es[3], es2[3], wq[3];
    steal_init(&f, 4, 0.8, 1000, MMC_STEAL_VICTIM_NONE, 0.0);
    three_mixed_classes(&f, 0.8, lambda, es, es2);
    for (int k = 0; k < 3; k++)
        lambda[k] /= 4.0;
    fixture_cobham_mg1(lambda, es, es2, 3, false, wq);
    struct mmc_analytic an;
    for (size_t k = 0; k < 3; k++) {
        struct mmc_experiment x;
        struct mmc_error err = {0};
        ck_assert_int_eq(mmc_experiment_init(&x, &f.s, &err), 0);
        ck_assert_int_eq(mmc_model_steal.class_form(&x.points[0], k, &an), 0);
        ck_assert_double_eq_tol(an.wq, wq[k], 1e-12 * wq[k]);
        ck_assert_str_eq(an.form, "M/G/1 priority (Cobham) per worker");
        ck_assert(isnan(an.wq_pct[2])); /* lifo */
        mmc_experiment_fini(&x);
    }
    forms_of(&f, true);
    f.s.steal.arrive = MMC_STEAL_ARRIVE_ROUND_ROBIN;
    forms_of(&f, false);
    const enum mmc_steal_victim victim[] = {MMC_STEAL_VICTIM_RANDOM, MMC_STEAL_VICTIM_MOST_LOADED};
    for (int i = 0; i < 4; i++) {
        struct fixture g;
        steal_init(&g, 4, 0.8, 1000, victim[i % 2], i < 2 ? 0.0 : 0.1);
        three_mm_classes(&g);
        forms_of(&g, false);
        g.c = 1;
        g.s.steal.victim = MMC_STEAL_VICTIM_RANDOM; /* one worker: most_loaded is refused */
        forms_of(&g, true);
    }
}
END_TEST

/*
 * Bookkeeping with stealing at a cost, half the level stolen, fifo and a backlog: the classes'
 * counts add up to the run's (arrivals, backlog, completions, measured tasks, inversions),
 * their time averages and waits to the run's, each class is conserved and keeps Little's law;
 * higher classes wait less; tasks are inverted (a thief takes its victim's best, not the
 * pool's; a task waits at one worker while another starts a lower one); and the records are
 * the same on 1 and 2 threads.
 */
START_TEST(class_bookkeeping_adds_up)
{
    for (int i = 0; i < 2; i++) {
        struct fixture f;
        steal_init(&f, 4, 0.8, 30000,
                   i == 0 ? MMC_STEAL_VICTIM_RANDOM : MMC_STEAL_VICTIM_MOST_LOADED,
                   i == 0 ? 0.05 : 0.0);
        f.s.replications = 4;
        f.s.steal.amount = i == 0 ? MMC_STEAL_AMOUNT_HALF : MMC_STEAL_AMOUNT_ONE;
        f.s.steal.order = i == 0 ? MMC_STEAL_ORDER_FIFO : MMC_STEAL_ORDER_LIFO;
        f.s.initial = (struct mmc_initial){MMC_INITIAL_IN_SYSTEM, 20};
        three_mixed_classes(&f, 0.8, NULL, NULL, NULL);
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 1);
        fixture_run(&y, &f.s, 2);
        for (size_t r = 0; r < x.n_runs[0]; r++) {
            const struct mmc_run *a = &x.runs[0][r];
            assert_runs_equal(a, &y.runs[0][r]);
            uint64_t inversions = fixture_assert_class_books(a, &y.runs[0][r], 3, 20);
            ck_assert_uint_eq(a->cls[0].n_inversions, 0); /* nothing outranks the top class */
            ck_assert_uint_gt(inversions, a->n_measured / 1000);
            ck_assert_uint_gt(a->n_steals, a->n_measured / 100);
        }
        const struct mmc_summary *rows = fixture_class_rows(&x, 3);
        ck_assert(x.summaries[0].conserved);
        for (size_t k = 0; k < 3; k++) {
            ck_assert(rows[k].conserved);
            ck_assert_double_lt(fabs(rows[k].little_lq), 0.02);
            ck_assert_double_lt(fabs(rows[k].little_l), 0.02);
            ck_assert(!rows[k].has_analytic);
        }
        for (size_t k = 0; k + 1 < 3; k++) {
            const struct mmc_ci *hi = &rows[k].m[MMC_M_WQ], *lo = &rows[k + 1].m[MMC_M_WQ];
            ck_assert_msg(hi->mean + hi->half < lo->mean - lo->half, "class %zu: %g >= %g", k,
                          hi->mean, lo->mean);
        }
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/*
 * No stealing, random arrival: every worker is an M/G/1 priority queue fed a Poisson 1/c of
 * every class, so each class's Wq is Cobham's at lambda / c (computed here), in fifo and in
 * lifo order (the order within a class moves no mean), and Lq is c times it.
 */
START_TEST(no_stealing_classes_are_cobham_per_worker)
{
    for (int lifo = 0; lifo <= 1; lifo++) {
        struct fixture f;
        double lambda[3], es[3], es2[3], wq[3];
        steal_init(&f, 4, 0.8, 100000, MMC_STEAL_VICTIM_NONE, 0.0);
        f.s.replications = 20;
        f.s.steal.order = lifo ? MMC_STEAL_ORDER_LIFO : MMC_STEAL_ORDER_FIFO;
        three_mixed_classes(&f, 0.8, lambda, es, es2);
        for (int k = 0; k < 3; k++)
            lambda[k] /= 4.0;
        fixture_cobham_mg1(lambda, es, es2, 3, false, wq);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *rows = fixture_class_rows(&x, 3);
        for (size_t k = 0; k < 3; k++) {
            ck_assert(rows[k].has_analytic);
            assert_covers(&rows[k], MMC_M_WQ, wq[k], 0.08);
            assert_covers(&rows[k], MMC_M_LQ, 4.0 * lambda[k] * wq[k], 0.08);
            ck_assert_int_eq(rows[k].verdict.kind, MMC_VERDICT_AGREES);
        }
        mmc_experiment_fini(&x);
    }
}
END_TEST

/*
 * One worker, lifo, a level of two classes of different laws (exponential mean 0.5 and
 * deterministic 1.5) between a top and a bottom class: the newest task of the level is of
 * either class alike, so both wait the level's mean, Cobham's for the level as one class.
 */
START_TEST(one_worker_lifo_level_is_cobham)
{
    struct fixture f;
    steal_init(&f, 1, 0.8, 200000, MMC_STEAL_VICTIM_RANDOM, 0.0);
    f.s.replications = 20;
    const double share[4] = {0.2, 0.3, 0.3, 0.2}, mean[4] = {1.0, 0.5, 1.5, 1.0};
    const double scv[4] = {1.0, 1.0, 0.0, 1.0};
    const long prio[4] = {0, 1, 1, 2};
    const char *names[4] = {"top", "a", "b", "bottom"};
    double per = 0.0;
    for (int k = 0; k < 4; k++)
        per += share[k] * mean[k];
    f.lambda = 0.8 / per;
    for (int k = 0; k < 4; k++) {
        struct mmc_dist d;
        if (scv[k] == 1.0)
            mmc_dist_exponential(&d);
        else
            mmc_dist_deterministic(&d);
        fixture_add_class(&f, names[k], share[k], prio[k]);
        fixture_class_service(&f, d, 1.0 / mean[k]);
    }
    /* the levels as classes: top, a + b, bottom */
    double lambda[3] = {0}, es[3] = {0}, es2[3] = {0}, wq[3];
    for (int k = 0; k < 4; k++) {
        int l = (int)prio[k];
        double lk = f.lambda * share[k];
        lambda[l] += lk;
        es[l] += lk * mean[k];
        es2[l] += lk * (1.0 + scv[k]) * mean[k] * mean[k];
    }
    for (int l = 0; l < 3; l++) {
        es[l] /= lambda[l];
        es2[l] /= lambda[l];
    }
    fixture_cobham_mg1(lambda, es, es2, 3, false, wq);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *rows = fixture_class_rows(&x, 4);
    for (size_t k = 0; k < 4; k++) {
        double want = wq[prio[k]];
        ck_assert(rows[k].has_analytic);
        ck_assert_double_eq_tol(rows[k].an.wq, want, 1e-9 * want);
        assert_covers(&rows[k], MMC_M_WQ, want, 0.08);
    }
    mmc_experiment_fini(&x);
}
END_TEST

/*
 * Stealing at cost 0, amount one, most_loaded: the pool is work-conserving and services are
 * drawn as they start, so every task's figures are M/M/c's whatever the order (conservation):
 * the row of every task within its intervals of Erlang C's Wq and Lq; the classes split them
 * by priority, the top class waiting least.
 */
START_TEST(cost0_classes_conserve_mmc)
{
    struct fixture f;
    steal_init(&f, 4, 0.8, 100000, MMC_STEAL_VICTIM_MOST_LOADED, 0.0);
    f.s.replications = 20;
    three_mm_classes(&f);
    struct mmc_erlang e;
    ck_assert_int_eq(mmc_erlang_mmc(3.2, 1.0, 4, 0.0, &e), 0);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    const struct mmc_summary *all = &x.summaries[0], *rows = fixture_class_rows(&x, 3);
    ck_assert(!all->has_analytic);
    assert_covers(all, MMC_M_WQ, e.wq, 0.05);
    assert_covers(all, MMC_M_LQ, e.lq, 0.05);
    assert_covers(all, MMC_M_PWAIT, e.p_wait, 0.02);
    ck_assert_uint_eq(all->work_violations, 0);
    for (size_t k = 0; k + 1 < 3; k++)
        ck_assert_double_lt(rows[k].m[MMC_M_WQ].mean + rows[k].m[MMC_M_WQ].half,
                            rows[k + 1].m[MMC_M_WQ].mean - rows[k + 1].m[MMC_M_WQ].half);
    mmc_experiment_fini(&x);
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
    tcase_add_test(tc, one_level_is_class_free);
    tcase_add_test(tc, one_worker_classes_are_mmc);
    tcase_add_test(tc, class_forms_where_exact);
    tcase_add_test(tc, class_bookkeeping_adds_up);
    suite_add_tcase(s, tc);
    tc = tcase_create("classes against closed forms");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, no_stealing_classes_are_cobham_per_worker);
    tcase_add_test(tc, one_worker_lifo_level_is_cobham);
    tcase_add_test(tc, cost0_classes_conserve_mmc);
    tcase_set_tags(tc, "slow");
    suite_add_tcase(s, tc);
    return s;
}
