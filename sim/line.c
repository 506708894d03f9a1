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

bool mmc_line_join(struct mmc_line *l, struct mmc_kernel *k, double t_qa, double u)
{
    if (l->n_waiting >= k->shed_threshold) {
        if (k->p->protect->drop == MMC_DROP_NEWEST || l->n_waiting == 0) {
            mmc_kernel_reject(k, t_qa, &k->out->n_shed);
            return false;
        }
        double u_oldest;
        mmc_kernel_lose(k, mmc_line_pop_live(l, &u_oldest), &k->out->n_shed);
    }
    mmc_line_enqueue(l, k, t_qa, u);
    return true;
}

void mmc_line_abandon(struct mmc_line *l, struct mmc_kernel *k, double *slot)
{
    double t_qa = *slot;
    *slot = NAN;
    l->n_waiting--;
    mmc_kernel_lose(k, t_qa, &k->out->n_abandoned);
}
