/* pool.c - a pool of identical workers and its staffing schedule (pool.h). */
#include "pool.h"

#include <stdlib.h>

void mmc_pool_init(struct mmc_pool *pl, struct mmc_kernel *k)
{
    const struct mmc_point *p = k->p;
    *pl = (struct mmc_pool){0};
    pl->idle = mmc_xmalloc(p->c, sizeof *pl->idle);
    for (size_t i = 0; i < p->c; i++)
        pl->idle[i] = (uint32_t)(p->c - 1 - i);
    pl->n_idle = p->c;
    pl->duty = p->c;
    pl->off = mmc_xmalloc(p->c, sizeof *pl->off);
    if (p->staffing->n > 0) { /* the first shift: the rest of the c_max workers are off */
        uint64_t c0 = (uint64_t)p->staffing->c[0];
        while (pl->n_idle > c0)
            pl->off[pl->n_off++] = pl->idle[--pl->n_idle];
        pl->duty = c0;
        pl->staff_next = 1;
        mmc_pool_schedule_staffing(pl, k);
    }
}

void mmc_pool_fini(struct mmc_pool *pl)
{
    free(pl->idle);
    free(pl->off);
}

void mmc_pool_schedule_staffing(struct mmc_pool *pl, struct mmc_kernel *k)
{
    const struct mmc_staffing *sf = k->p->staffing;
    if (pl->staff_next < sf->n)
        mmc_heap_push(&k->heap, sf->t[pl->staff_next], MMC_EV_STAFF, (uint32_t)pl->staff_next);
}
