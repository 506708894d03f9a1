/*
 * deque.h - a double-ended ring of tasks: each entry a queue-arrival time,
 * a 32-bit tag (model steal: the worker the task was first given to) and,
 * when a trace gives them, its own service time (u; NULL otherwise). The
 * owner of a work-stealing deque takes from either end (its order), a thief
 * from the front (the oldest). The capacity is a power of two and doubles
 * when full (amortised, never per event once warm). Push and pop are static
 * inline: they sit on the hot path. The owner of a struct mmc_deque frees it
 * with mmc_deque_fini.
 */
#ifndef MMC_DEQUE_H
#define MMC_DEQUE_H

#include "error.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmc_deque {
    double *t, *u; /* queue-arrival times; service times, or NULL when not carried */
    uint32_t *o;   /* tags */
    size_t head, n, mask;
};

/* An empty deque of cap slots (a power of two); with_u: it carries service times too. */
void mmc_deque_init(struct mmc_deque *d, bool with_u, size_t cap);
void mmc_deque_fini(struct mmc_deque *d);
/* Double the capacity (called by push when full). */
void mmc_deque_grow(struct mmc_deque *d);

/* At the back: time t, service time u (kept only when carried), tag o. */
static inline void mmc_deque_push(struct mmc_deque *d, double t, double u, uint32_t o)
{
    if (MMC_UNLIKELY(d->n > d->mask))
        mmc_deque_grow(d);
    size_t i = (d->head + d->n++) & d->mask;
    d->t[i] = t;
    d->o[i] = o;
    if (d->u != NULL)
        d->u[i] = u;
}

/* Slot i's entry: its time, its service time in *u (NaN when not carried), its tag in *o. */
static inline double mmc_deque_take_slot(const struct mmc_deque *d, size_t i, double *u,
                                         uint32_t *o)
{
    *u = d->u != NULL ? d->u[i] : NAN;
    *o = d->o[i];
    return d->t[i];
}

/* The front (oldest) entry, removed; the deque is not empty. */
static inline double mmc_deque_pop_front(struct mmc_deque *d, double *u, uint32_t *o)
{
    size_t i = d->head;
    d->head = (d->head + 1) & d->mask;
    d->n--;
    return mmc_deque_take_slot(d, i, u, o);
}

/* The back (newest) entry, removed; the deque is not empty. */
static inline double mmc_deque_pop_back(struct mmc_deque *d, double *u, uint32_t *o)
{
    return mmc_deque_take_slot(d, (d->head + --d->n) & d->mask, u, o);
}

/* Move the k oldest entries of src (k <= src->n) to the back of dst, in their order. */
void mmc_deque_move_front(struct mmc_deque *dst, struct mmc_deque *src, size_t k);

#endif
