/*
 * hist.c - the cold half of the histogram: reset, merge, quantiles.
 */
#include "hist.h"

#include <math.h>

void mmc_hist_reset(struct mmc_hist *h)
{
    memset(h, 0, sizeof *h);
}

void mmc_hist_merge(struct mmc_hist *dst, const struct mmc_hist *src)
{
    dst->n += src->n;
    dst->zero += src->zero;
    dst->under += src->under;
    dst->over += src->over;
    for (size_t i = 0; i < MMC_HIST_BUCKETS; i++)
        dst->count[i] += src->count[i];
}

/* Lower edge of bucket i (the inverse of mmc_hist_index). */
static double bucket_lo(int64_t i)
{
    const int64_t base = (int64_t)(1023 + MMC_HIST_EXP_MIN) << MMC_HIST_SUB_BITS;
    uint64_t bits = (uint64_t)(i + base) << (52 - MMC_HIST_SUB_BITS);
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

double mmc_hist_quantile(const struct mmc_hist *h, double p)
{
    if (h->n == 0 || !(p > 0.0 && p < 1.0))
        return NAN;
    double rank = p * (double)h->n, cum = (double)h->zero;
    if (rank <= cum)
        return 0.0;
    cum += (double)h->under;
    if (rank <= cum)
        return bucket_lo(0);
    for (int64_t i = 0; i < MMC_HIST_BUCKETS; i++) {
        double c = (double)h->count[i];
        if (c > 0.0 && rank <= cum + c) {
            double lo = bucket_lo(i), hi = bucket_lo(i + 1);
            return lo + (hi - lo) * (rank - cum) / c;
        }
        cum += c;
    }
    return bucket_lo(MMC_HIST_BUCKETS);
}
