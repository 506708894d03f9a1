/*
 * bucket.c - the token bucket (see bucket.h).
 */
#include "bucket.h"

void mmc_bucket_init(struct mmc_bucket *b, double rate, double burst, double t0)
{
    *b = (struct mmc_bucket){.rate = rate, .burst = burst, .level = burst, .t_last = t0};
}

double mmc_bucket_take(struct mmc_bucket *b, double t, bool may_wait)
{
    double level = b->level + b->rate * (t - b->t_last);
    b->level = level < b->burst ? level : b->burst;
    b->t_last = t;
    if (b->level >= 1.0) {
        b->level -= 1.0;
        return 0.0;
    }
    if (!may_wait)
        return -1.0;
    b->level -= 1.0; /* on credit: due when the level is back at zero */
    return -b->level / b->rate;
}
