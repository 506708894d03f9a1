/*
 * fifo.h - a ring of queue-arrival times, with the tasks' own service times
 * beside them when a trace gives them (u; NULL otherwise). The capacity is a
 * power of two and doubles when full (amortised, never per event once warm).
 * Push and pop are static inline: they sit on every model's hot path. The
 * owner of a struct mmc_fifo frees it with mmc_fifo_fini.
 */
#ifndef MMC_FIFO_H
#define MMC_FIFO_H

#include "error.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

struct mmc_fifo {
    double *t, *u;
    size_t head, n, mask;
};

/* An empty ring of 1024 slots; with_u: it carries service times too. */
void mmc_fifo_init(struct mmc_fifo *f, bool with_u);
/* An empty ring of cap slots (a power of two): many small queues start small. */
void mmc_fifo_init_cap(struct mmc_fifo *f, bool with_u, size_t cap);
void mmc_fifo_fini(struct mmc_fifo *f);
/* Double the capacity (called by push when full). */
void mmc_fifo_grow(struct mmc_fifo *f);

static inline void mmc_fifo_push(struct mmc_fifo *f, double t)
{
    if (MMC_UNLIKELY(f->n > f->mask))
        mmc_fifo_grow(f);
    f->t[(f->head + f->n++) & f->mask] = t;
}

static inline double mmc_fifo_pop(struct mmc_fifo *f)
{
    double t = f->t[f->head];
    f->head = (f->head + 1) & f->mask;
    f->n--;
    return t;
}

/* Push t with its service time u (kept only when the ring carries them). */
static inline void mmc_fifo_push_task(struct mmc_fifo *f, double t, double u)
{
    if (f->u != NULL) {
        if (MMC_UNLIKELY(f->n > f->mask))
            mmc_fifo_grow(f);
        f->u[(f->head + f->n) & f->mask] = u;
    }
    mmc_fifo_push(f, t);
}

/* Pop the head's time, its service time into *u (NaN when not carried). */
static inline double mmc_fifo_pop_task(struct mmc_fifo *f, double *u)
{
    *u = f->u != NULL ? f->u[f->head] : NAN;
    return mmc_fifo_pop(f);
}

/* The slot of the entry at position i from the head (i < n). */
static inline double *mmc_fifo_at(struct mmc_fifo *f, size_t i)
{
    return &f->t[(f->head + i) & f->mask];
}

#endif
