/*
 * mser.c - the cold half of MSER: coarsening and the truncation search.
 *
 * The search walks d from the end of the series backwards, keeping running
 * sums of Z and Z^2 over the tail, so all of MSER(0..k/2) costs O(k). The
 * tail variance is computed around the tail mean from those sums; batch
 * means are few (<= MMC_MSER_CAP) and of similar size, so the cancellation
 * in sum(Z^2) - k mean^2 is harmless here.
 */
#include "mser.h"

#include "error.h"

#include <stdlib.h>

void mmc_mser_init(struct mmc_mser *m)
{
    *m = (struct mmc_mser){.batch = MMC_MSER_BATCH};
    m->z = mmc_xmalloc(MMC_MSER_CAP, sizeof *m->z);
}

void mmc_mser_fini(struct mmc_mser *m)
{
    free(m->z);
    m->z = NULL;
}

void mmc_mser_coarsen(struct mmc_mser *m)
{
    for (size_t i = 0; i < m->n / 2; i++)
        m->z[i] = 0.5 * (m->z[2 * i] + m->z[2 * i + 1]);
    m->n /= 2;
    /* the open batch keeps its sum; it now needs twice as many observations */
    m->batch *= 2;
}

void mmc_mser_average(struct mmc_mser *dst, struct mmc_mser *src, size_t n)
{
    uint64_t batch = MMC_MSER_BATCH;
    for (size_t i = 0; i < n; i++)
        batch = src[i].batch > batch ? src[i].batch : batch;
    size_t k = MMC_MSER_CAP;
    for (size_t i = 0; i < n; i++) {
        while (src[i].batch < batch)
            mmc_mser_coarsen(&src[i]);
        k = src[i].n < k ? src[i].n : k;
    }
    dst->batch = batch;
    dst->n = n > 0 ? k : 0;
    dst->acc = 0.0;
    dst->in_acc = 0;
    for (size_t j = 0; j < dst->n; j++) {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += src[i].z[j];
        dst->z[j] = sum / (double)n;
    }
}

uint64_t mmc_mser_cut(const struct mmc_mser *m)
{
    size_t k = m->n;
    if (k < 4)
        return 0;
    double s1 = 0.0, s2 = 0.0, best = -1.0;
    size_t best_d = 0;
    for (size_t j = k; j-- > 0;) {
        s1 += m->z[j];
        s2 += m->z[j] * m->z[j];
        size_t d = j, rest = k - d;
        if (d > k / 2)
            continue;
        double mean = s1 / (double)rest;
        double ss = s2 - (double)rest * mean * mean;
        double score = (ss > 0.0 ? ss : 0.0) / ((double)rest * (double)rest);
        /* ties go to the smaller cut: d decreases, so <= keeps the latest (smallest) */
        if (best < 0.0 || score <= best) {
            best = score;
            best_d = d;
        }
    }
    return (uint64_t)best_d * m->batch;
}
