/*
 * line.h - a FCFS waiting line that tasks can leave from the middle: a task
 * with patience p still waiting at its arrival + p abandons. Removing it
 * would cost O(n), so its slot becomes a tombstone (NaN) that the head
 * skips; n_waiting counts the live tasks. An abandonment event names its slot
 * by the low 32 bits of the slot's absolute index (popped + position),
 * enough while fewer than 2^32 tasks wait; one whose task has left already
 * finds no slot, and the loop drops it without advancing the clock.
 *
 * A plain run (no protection) uses only q (mmc_fifo_push/pop, q.n); the
 * guarded handlers keep n_waiting and popped. The owner frees it with
 * mmc_line_fini.
 */
#ifndef MMC_LINE_H
#define MMC_LINE_H

#include "fifo.h"
#include "kernel.h"

#include <stdint.h>

struct mmc_line {
    struct mmc_fifo q;
    uint64_t n_waiting; /* live tasks (guarded runs) */
    uint64_t popped;    /* entries ever taken from the head: the head's absolute index */
};

/* with_u: the line carries the tasks' own service times (traces). */
void mmc_line_init(struct mmc_line *l, bool with_u);
void mmc_line_fini(struct mmc_line *l);

/* Guarded: queue a task that arrived at t_qa (service time u), with an abandonment event when
 * the kernel draws patience. */
static inline void mmc_line_enqueue(struct mmc_line *l, struct mmc_kernel *k, double t_qa, double u)
{
    uint64_t pos = l->popped + l->q.n;
    mmc_fifo_push_task(&l->q, t_qa, u);
    l->n_waiting++;
    if (k->r_patience != NULL)
        mmc_heap_push(&k->heap, mmc_kernel_patience_deadline(k), MMC_EV_ABANDON, (uint32_t)pos);
}

/* Guarded: the first live task's arrival time, its slot taken, its service time (if carried)
 * in *u; NaN when none is left. */
static inline double mmc_line_pop_live(struct mmc_line *l, double *u)
{
    *u = NAN;
    while (l->q.n > 0) {
        double t = mmc_fifo_pop_task(&l->q, u);
        l->popped++;
        if (!isnan(t)) {
            l->n_waiting--;
            return t;
        }
    }
    return NAN;
}

/* The slot named by an abandonment event, if its task is still waiting; else NULL. */
static inline double *mmc_line_abandon_slot(struct mmc_line *l, uint32_t arg)
{
    uint32_t offset = arg - (uint32_t)l->popped;
    if (offset >= l->q.n)
        return NULL; /* served or shed already */
    double *t = mmc_fifo_at(&l->q, offset);
    return isnan(*t) ? NULL : t;
}

/* The task in slot (from mmc_line_abandon_slot) abandons now: counted as lost. */
void mmc_line_abandon(struct mmc_line *l, struct mmc_kernel *k, double *slot);

/*
 * Load shedding, then the line (guarded runs): a task (queue arrival t_qa,
 * service u) that finds shed_threshold live tasks waiting is shed, itself
 * (drop: newest; also when nothing waits to drop) or the head (oldest, and it
 * joins); otherwise it joins. False when the task itself was turned away.
 */
bool mmc_line_join(struct mmc_line *l, struct mmc_kernel *k, double t_qa, double u);

#endif
