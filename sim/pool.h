/*
 * pool.h - c identical workers taken from a stack of idle ones (the highest
 * index on top at the start, so worker 0 is taken first), and a staffing
 * schedule: workers off duty on a stack of their own, busy ones retiring
 * when their task is done. Used by the models whose idle workers take work
 * from one place (a central queue). The owner frees it with mmc_pool_fini.
 */
#ifndef MMC_POOL_H
#define MMC_POOL_H

#include "kernel.h"

#include <stddef.h>
#include <stdint.h>

struct mmc_pool {
    uint32_t *idle; /* stack of idle worker indices */
    size_t n_idle;
    uint32_t *off; /* stack of off-duty workers */
    size_t n_off;
    uint64_t duty;       /* workers on duty (retiring ones excluded) */
    uint64_t n_retiring; /* busy workers that leave when their task is done */
    size_t staff_next;   /* next staffing breakpoint */
};

/* c idle workers; with a staffing schedule, only its first shift on duty and its next
 * breakpoint on k's calendar. */
void mmc_pool_init(struct mmc_pool *pl, struct mmc_kernel *k);
void mmc_pool_fini(struct mmc_pool *pl);

/* Staffing: put the next breakpoint's event, if any, on the calendar. */
void mmc_pool_schedule_staffing(struct mmc_pool *pl, struct mmc_kernel *k);

/* Workers busy, as a count. */
static inline uint64_t mmc_pool_busy(const struct mmc_pool *pl, const struct mmc_kernel *k)
{
    return k->p->c - pl->n_idle - pl->n_off;
}

#endif
