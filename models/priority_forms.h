/*
 * priority_forms.h - closed forms for PRIORITY CLASSES: mean waits per class
 * under non-preemptive and preemptive-resume priority, on one server (M/G/1,
 * any service distribution per class) and on c servers (M/M/c, one service
 * rate mu for every class).
 *
 * Semantics (the simulator's): class k has Poisson arrivals (lambda), a
 * service time of mean es and second moment es2, and an integer priority,
 * smaller served first. Classes of EQUAL priority form one level and are
 * served FCFS among themselves. Wq is the mean time a task spends in the
 * system not being served (under preemption that includes the time it spends
 * interrupted); W = Wq + E[S].
 *
 * Notation, for class k: s_hi = load (sum of lambda E[S], or lambda / (c mu)
 * on c servers) of the strictly higher levels, s_le = the same plus k's own
 * level; R_le = sum of lambda E[S^2] / 2 over levels <= k, W0 the same over
 * all classes (served ones; see priority_forms.c for overload). The formulas
 * and their sources are in priority_forms.c.
 *
 * No steady state: a class whose level brings the cumulative load (its own
 * level and every higher one) to >= 1 gets wq = w = INFINITY; higher classes
 * keep their finite values. Under preemption lower classes do not matter to
 * them; without preemption they do (through the residual service a task finds
 * in progress), and the forms account for a saturated lower level exactly
 * (see priority_forms.c).
 *
 * Units: rates per second, times in seconds. Arguments are borrowed; results
 * go to the caller's array out[0..n-1]. Pure functions, thread-safe.
 */
#ifndef MMC_PRIORITY_FORMS_H
#define MMC_PRIORITY_FORMS_H

#include <stddef.h>

/* One class: its arrivals, service moments and priority. */
struct mmc_prio_class {
    double lambda; /* Poisson arrival rate, >= 0 (0 is allowed: the limit lambda -> 0) */
    double es;     /* E[S], mean service time, > 0 (M/G/1 forms only) */
    double es2;    /* E[S^2], >= es^2 (M/G/1 forms only; exponential: 2 es^2) */
    int priority;  /* smaller is served first; equal values share one FCFS level */
};

/* Steady-state means of one class. */
struct mmc_prio_result {
    double wq;     /* mean time in system not being served, s; INFINITY without steady state */
    double w;      /* wq + E[S], s */
    double p_wait; /* P(a task of this class waits at all), where exact (see each form), else NaN */
};

/*
 * Non-preemptive priority M/G/1 (Cobham 1954): wq_k = W0 / ((1 - s_hi) (1 - s_le)).
 * p_wait = min(total load, 1) for every class (PASTA: an arrival waits iff the
 * server is busy). Returns 0, or -1 for n == 0 or a class out of range (out untouched).
 */
int mmc_prio_mg1_np(const struct mmc_prio_class *cls, size_t n, struct mmc_prio_result *out);

/*
 * Preemptive-resume priority M/G/1: w_k = E[S_k] / (1 - s_hi) + R_le / ((1 - s_hi) (1 - s_le)).
 * Classes of one level share the wait before service but not wq (interruptions
 * grow with E[S_k]). p_wait: the top level's load (capped at 1) for the top
 * level, which is never interrupted; NaN for the others. Returns 0 or -1 as above.
 */
int mmc_prio_mg1_pr(const struct mmc_prio_class *cls, size_t n, struct mmc_prio_result *out);

/*
 * Non-preemptive priority M/M/c, service Exp(mu) for every class (Cobham 1954):
 * wq_k = C(c, a) / (c mu (1 - s_hi) (1 - s_le)), a = total lambda / mu. Only
 * lambda and priority are read from cls. p_wait = C(c, a) for every class (1
 * when a >= c). Returns 0, or -1 for n == 0, a class out of range, mu <= 0 or
 * not finite, or c == 0 (out untouched). Cost O(c).
 */
int mmc_prio_mmc_np(const struct mmc_prio_class *cls, size_t n, double mu, unsigned long c,
                    struct mmc_prio_result *out);

/*
 * Preemptive-resume priority M/M/c, service Exp(mu) for every class: exact,
 * because levels <= k form an M/M/c queue of their own. Only lambda and
 * priority are read. p_wait: C(c, a_top) for the top level, NaN below it.
 * Results below DBL_MIN come back as 0. Returns 0 or -1 as for mmc_prio_mmc_np.
 * Cost O(n c).
 */
int mmc_prio_mmc_pr(const struct mmc_prio_class *cls, size_t n, double mu, unsigned long c,
                    struct mmc_prio_result *out);

#endif
