/*
 * test_classes.c - priority classes in model mmc: the limits that have an
 * exact answer (one class, or classes of equal priority, is model mmc task
 * for task), simulation against the priority closed forms computed here
 * from their textbook formulas (not read from the model), the conservation
 * law (the overall M/M/c figures do not depend on the order of service),
 * per-class bookkeeping (conservation, Little's law) and reproducibility.
 */
#include "erlang.h"
#include "experiment.h"
#include "fixture.h"

#include <check.h>
#include <math.h>
#include <string.h>

static const struct mmc_summary *class_row(const struct mmc_experiment *x, size_t i, size_t k)
{
    size_t n = 0;
    const struct mmc_summary *rows = mmc_experiment_class_rows(x, i, &n);
    ck_assert_uint_gt(n, k);
    return &rows[k];
}

/* Relative agreement of two sums of the same terms added in another order. */
static void assert_close(double a, double b, const char *what)
{
    ck_assert_msg(fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b)), "%s: %.17g vs %.17g", what, a, b);
}

/*
 * One class, and two classes of equal priority, serve tasks FCFS in arrival
 * order and draw services at service start: model mmc task for task (the
 * class draws come from a stream of their own). Counts and distributions
 * are equal; sums equal up to their order of addition.
 */
START_TEST(fcfs_classes_are_mmc)
{
    for (int two = 0; two <= 1; two++) {
        struct fixture f, g;
        fixture_init(&f, 3.2, 1.0, 4, 40000);
        fixture_init(&g, 3.2, 1.0, 4, 40000);
        if (two) {
            fixture_add_class(&g, "a", 0.25, 3);
            fixture_add_class(&g, "b", 0.75, 3);
        } else {
            fixture_add_class(&g, "only", 1.0, 0);
        }
        struct mmc_experiment x, y;
        fixture_run(&x, &f.s, 2);
        fixture_run(&y, &g.s, 2);
        for (size_t r = 0; r < x.n_runs[0]; r++) {
            const struct mmc_run *a = &x.runs[0][r], *b = &y.runs[0][r];
            ck_assert_uint_eq(a->n_measured, b->n_measured);
            ck_assert_uint_eq(a->n_waited, b->n_waited);
            ck_assert_uint_eq(a->n_events, b->n_events);
            ck_assert_uint_eq(a->wait_span.len, b->wait_span.len);
            ck_assert_int_eq(memcmp(a->wait_span.count, b->wait_span.count,
                                    a->wait_span.len * sizeof *a->wait_span.count),
                             0);
            assert_close(a->wq, b->wq, "Wq");
            assert_close(a->w, b->w, "W");
            assert_close(a->lq, b->lq, "Lq");
            assert_close(a->busy, b->busy, "busy");
            /* the classes add up to the run */
            uint64_t n = 0;
            double sum_w = 0.0;
            for (size_t k = 0; k < g.s.classes.n; k++) {
                n += b->cls[k].n_measured;
                sum_w += b->cls[k].w * (double)b->cls[k].n_measured;
            }
            ck_assert_uint_eq(n, b->n_measured);
            assert_close(sum_w, b->w * (double)b->n_measured, "sum of W");
        }
        /* one class: its row is the point's */
        if (!two)
            assert_close(class_row(&y, 0, 0)->m[MMC_M_T].mean, y.summaries[0].m[MMC_M_T].mean,
                         "class T");
        mmc_experiment_fini(&x);
        mmc_experiment_fini(&y);
    }
}
END_TEST

/*
 * Three classes on one worker, exponential, deterministic and gamma (scv 2)
 * services of different means, at load 0.8: each class's Wq, W and Lq
 * within their intervals of Cobham's values, without and with preemption.
 */
START_TEST(one_worker_matches_cobham)
{
    const double share[3] = {0.2, 0.5, 0.3}, mean[3] = {0.5, 1.0, 1.5}, scv[3] = {1.0, 0.0, 2.0};
    for (int resume = 0; resume <= 1; resume++) {
        struct fixture f;
        double load = 0.8, per = 0.0;
        for (int k = 0; k < 3; k++)
            per += share[k] * mean[k];
        fixture_init(&f, load / per, 1.0, 1, 200000);
        f.s.replications = 20;
        f.s.classes.preemption = resume ? MMC_PREEMPT_RESUME : MMC_PREEMPT_NONE;
        const char *names[3] = {"hi", "mid", "lo"};
        for (int k = 0; k < 3; k++) {
            struct mmc_dist d;
            if (scv[k] == 1.0)
                mmc_dist_exponential(&d);
            else if (scv[k] == 0.0)
                mmc_dist_deterministic(&d);
            else {
                const char *why;
                ck_assert_int_eq(mmc_dist_gamma_scv(&d, scv[k], &why), 0);
            }
            fixture_add_class(&f, names[k], share[k], k);
            fixture_class_service(&f, d, 1.0 / mean[k]);
        }
        double lambda[3], es2[3], wq[3];
        for (int k = 0; k < 3; k++) {
            lambda[k] = f.lambda * share[k];
            es2[k] = (1.0 + scv[k]) * mean[k] * mean[k];
        }
        fixture_cobham_mg1(lambda, mean, es2, 3, resume, wq);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        ck_assert_double_eq_tol(x.summaries[0].point.load, 0.8, 1e-12);
        double all = 0.0;
        for (size_t k = 0; k < 3; k++) {
            const struct mmc_summary *sm = class_row(&x, 0, k);
            ck_assert(sm->has_analytic);
            ck_assert_double_eq_tol(sm->an.wq, wq[k], 1e-12 * wq[k]);
            assert_covers(sm, MMC_M_WQ, wq[k], 0.05);
            assert_covers(sm, MMC_M_W, wq[k] + mean[k], 0.05);
            assert_covers(sm, MMC_M_LQ, lambda[k] * wq[k], 0.05);
            all += lambda[k] * wq[k];
            ck_assert(sm->conserved);
            ck_assert(fabs(sm->little_lq) < 0.02);
        }
        assert_covers(&x.summaries[0], MMC_M_WQ, all / f.lambda, 0.05);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/*
 * M/M/c with one service rate: Cobham's multi-server form per class
 * (Erlang C split by class), and the conservation law: the point's Wq, Lq,
 * L and P(wait) are FCFS M/M/c's, whatever the priorities and preemption.
 * Preemptive resume: levels at or above k form an M/M/c queue of their own,
 * so the top class is M/M/c at its own rate, exactly (percentiles too).
 */
START_TEST(many_workers_conserve_mmc)
{
    for (int resume = 0; resume <= 1; resume++) {
        struct fixture f;
        fixture_init(&f, 6.8, 1.0, 8, 100000);
        f.s.replications = 20;
        f.s.classes.preemption = resume ? MMC_PREEMPT_RESUME : MMC_PREEMPT_NONE;
        fixture_add_class(&f, "high", 0.3, 0);
        fixture_add_class(&f, "normal", 0.5, 1);
        fixture_add_class(&f, "low", 0.2, 2);
        struct mmc_erlang e, top;
        ck_assert_int_eq(mmc_erlang_mmc(6.8, 1.0, 8, 0.0, &e), 0);
        ck_assert_int_eq(mmc_erlang_mmc(6.8 * 0.3, 1.0, 8, 0.0, &top), 0);
        struct mmc_experiment x;
        fixture_run(&x, &f.s, 2);
        const struct mmc_summary *all = &x.summaries[0];
        ck_assert_double_eq_tol(all->an.wq, e.wq, 1e-12 * e.wq);
        ck_assert_double_eq_tol(all->an.lq, e.lq, 1e-12 * e.lq);
        assert_covers(all, MMC_M_WQ, e.wq, 0.05);
        assert_covers(all, MMC_M_LQ, e.lq, 0.05);
        assert_covers(all, MMC_M_L, e.l, 0.05);
        if (!resume) { /* Cobham: C / (c mu (1 - s_<k)(1 - s_<=k)), s the classes' loads */
            const double s[4] = {0.0, 0.85 * 0.3, 0.85 * 0.8, 0.85};
            for (size_t k = 0; k < 3; k++) {
                double wq = e.p_wait / 8.0 / ((1.0 - s[k]) * (1.0 - s[k + 1]));
                assert_covers(class_row(&x, 0, k), MMC_M_WQ, wq, 0.06);
                assert_covers(class_row(&x, 0, k), MMC_M_PWAIT, e.p_wait, 0.05);
            }
        } else {
            const struct mmc_summary *hi = class_row(&x, 0, 0);
            assert_covers(hi, MMC_M_WQ, top.wq, 0.3);
            assert_covers(hi, MMC_M_PWAIT, top.p_wait, 0.3);
            ck_assert_double_eq_tol(hi->an.t_pct[3], mmc_erlang_sojourn_quantile(&top, 0.99),
                                    1e-12);
        }
        for (size_t k = 0; k < 3; k++)
            ck_assert_int_eq(class_row(&x, 0, k)->verdict.kind, MMC_VERDICT_AGREES);
        ck_assert_int_eq(all->verdict.kind, MMC_VERDICT_AGREES);
        mmc_experiment_fini(&x);
    }
}
END_TEST

/* A class that almost never arrives leaves the others as they would be without it: the form
 * (exactly in the limit) and the simulation (within the intervals). */
START_TEST(vanishing_class_changes_nothing)
{
    struct fixture f;
    fixture_init(&f, 0.7, 1.0, 1, 100000);
    fixture_add_class(&f, "rare", 1e-7, 0);
    fixture_add_class(&f, "main", 1.0 - 1e-7, 1);
    struct mmc_experiment x;
    fixture_run(&x, &f.s, 2);
    double wq = 0.7 / 0.3; /* M/M/1 at rho 0.7, mu 1 */
    assert_covers(class_row(&x, 0, 1), MMC_M_WQ, wq, 0.05);
    ck_assert_double_eq_tol(class_row(&x, 0, 1)->an.wq, wq, 1e-5);
    mmc_experiment_fini(&x);
}
END_TEST

/* The record is the same on 1 and 2 threads, class records included; per class, arrivals
 * are conserved and no priority is inverted at a central queue. */
START_TEST(classes_reproducible_and_conserved)
{
    struct fixture f;
    fixture_init(&f, 1.8, 1.0, 2, 20000);
    f.s.replications = 4;
    f.s.classes.preemption = MMC_PREEMPT_RESUME;
    fixture_add_class(&f, "a", 0.5, 0);
    fixture_add_class(&f, "b", 0.5, 1);
    fixture_class_service(&f, (struct mmc_dist){0}, 2.0);
    mmc_dist_exponential(&f.s.classes.c[1].service_dist.shape);
    struct mmc_experiment x, y;
    fixture_run(&x, &f.s, 1);
    fixture_run(&y, &f.s, 2);
    for (size_t r = 0; r < x.n_runs[0]; r++)
        for (size_t k = 0; k < 2; k++) {
            const struct mmc_run *a = &x.runs[0][r].cls[k], *b = &y.runs[0][r].cls[k];
            ck_assert_uint_eq(a->n_arrived, b->n_arrived);
            ck_assert(memcmp(&a->w, &b->w, sizeof a->w) == 0);
            ck_assert(memcmp(&a->lq, &b->lq, sizeof a->lq) == 0);
            ck_assert_uint_eq(a->n_arrived, a->n_completed + a->n_in_system_end);
        }
    for (size_t k = 0; k < 2; k++) {
        ck_assert(class_row(&x, 0, k)->conserved);
        ck_assert_uint_eq(class_row(&x, 0, k)->inversions, 0);
    }
    mmc_experiment_fini(&x);
    mmc_experiment_fini(&y);
}
END_TEST

Suite *classes_suite(void)
{
    Suite *s = suite_create("classes");
    TCase *tc = tcase_create("limits, closed forms and bookkeeping");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, fcfs_classes_are_mmc);
    tcase_add_test(tc, one_worker_matches_cobham);
    tcase_add_test(tc, many_workers_conserve_mmc);
    tcase_add_test(tc, vanishing_class_changes_nothing);
    tcase_add_test(tc, classes_reproducible_and_conserved);
    suite_add_tcase(s, tc);
    return s;
}
