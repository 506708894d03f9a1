/* deque.c - the cold half of deque.h: allocation, growth and bulk moves. */
#include "deque.h"

#include <stdlib.h>

void mmc_deque_init(struct mmc_deque *d, bool with_u, size_t cap)
{
    d->mask = cap - 1;
    d->t = mmc_xmalloc(cap, sizeof *d->t);
    d->o = mmc_xmalloc(cap, sizeof *d->o);
    d->u = with_u ? mmc_xmalloc(cap, sizeof *d->u) : NULL;
    d->head = d->n = 0;
}

void mmc_deque_fini(struct mmc_deque *d)
{
    free(d->t);
    free(d->o);
    free(d->u);
}

void mmc_deque_grow(struct mmc_deque *d)
{
    size_t cap = d->mask + 1;
    double *t = mmc_xmalloc(2 * cap, sizeof *t);
    uint32_t *o = mmc_xmalloc(2 * cap, sizeof *o);
    double *u = d->u != NULL ? mmc_xmalloc(2 * cap, sizeof *u) : NULL;
    for (size_t i = 0; i < d->n; i++) { /* unrolled: the head goes to 0 */
        size_t j = (d->head + i) & d->mask;
        t[i] = d->t[j];
        o[i] = d->o[j];
        if (u != NULL)
            u[i] = d->u[j];
    }
    free(d->t);
    free(d->o);
    free(d->u);
    d->t = t;
    d->o = o;
    d->u = u;
    d->head = 0;
    d->mask = 2 * cap - 1;
}

void mmc_deque_move_front(struct mmc_deque *dst, struct mmc_deque *src, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        double u;
        uint32_t o;
        double t = mmc_deque_pop_front(src, &u, &o);
        mmc_deque_push(dst, t, u, o);
    }
}
