/*
 * bucket.h - a token bucket: the admission throttle of an orchestrator.
 *
 * Tokens accrue at `rate` per second up to `burst`; a task passes by taking
 * one. The bucket starts full. A task that finds no token is either refused
 * (no token taken) or, when it may wait, takes a token on credit: the level
 * goes negative, and the task passes when the level would have refilled to
 * zero, so waiting tasks pass in order, 1/rate apart. Either way, over any
 * interval of length t at most burst + rate t tasks pass (tests/test_bucket.c
 * checks this, and that refusals match the GCRA virtual-scheduling rule).
 *
 * Thread-safety: one bucket per run; caller storage, nothing to free.
 */
#ifndef MMC_BUCKET_H
#define MMC_BUCKET_H

#include <stdbool.h>

struct mmc_bucket {
    double rate, burst; /* tokens per second > 0, bucket size >= 1 */
    double level;       /* tokens at t_last; negative: owed to waiting tasks */
    double t_last;      /* time of the last take, s */
};

/* A full bucket at time t0. */
void mmc_bucket_init(struct mmc_bucket *b, double rate, double burst, double t0);

/*
 * A task asks at time t (never earlier than the previous ask). Returns the
 * delay until it passes: 0 when a token was there; with may_wait, the wait
 * for its token (> 0); without, -1 (refused, no token taken).
 */
double mmc_bucket_take(struct mmc_bucket *b, double t, bool may_wait);

#endif
