/* line.c - a waiting line with tombstones (line.h). */
#include "line.h"

#include <math.h>

void mmc_line_init(struct mmc_line *l, bool with_u)
{
    mmc_fifo_init(&l->q, with_u);
    l->n_waiting = 0;
    l->popped = 0;
}

void mmc_line_fini(struct mmc_line *l)
{
    mmc_fifo_fini(&l->q);
}

void mmc_line_abandon(struct mmc_line *l, struct mmc_kernel *k, double *slot)
{
    double t_qa = *slot;
    *slot = NAN;
    l->n_waiting--;
    mmc_kernel_lose(k, t_qa, &k->out->n_abandoned);
}
