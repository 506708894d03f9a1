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

#include <math.h>
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

double mmc_mser_act(const struct mmc_mser *m, size_t n, uint64_t cut)
{
    double ss_x = 0.0, df_x = 0.0, ss_b = 0.0, df_b = 0.0, obs = 0.0;
    for (size_t i = 0; i < n; i++) {
        const struct mmc_mser *s = &m[i];
        if (s->count < 2)
            return NAN;
        double mean = s->sum / (double)s->count;
        ss_x += fmax(s->sum2 - (double)s->count * mean * mean, 0.0);
        df_x += (double)s->count - 1.0;
        size_t skip = (size_t)((cut + s->batch - 1) / s->batch);
        if (skip + 4 > s->n)
            return NAN;
        size_t per = (s->n - skip) / 4; /* batch means in each of the four batches */
        double y[4], ybar = 0.0;
        for (int g = 0; g < 4; g++) {
            double sum = 0.0;
            for (size_t j = 0; j < per; j++)
                sum += s->z[skip + (size_t)g * per + j];
            y[g] = sum / (double)per;
            ybar += y[g] / 4.0;
        }
        for (int g = 0; g < 4; g++)
            ss_b += (y[g] - ybar) * (y[g] - ybar);
        df_b += 3.0;
        obs = (double)(per * s->batch);
    }
    double var_x = ss_x / df_x, var_b = ss_b / df_b;
    if (var_x <= 0.0)
        return 0.0;
    return obs * var_b / var_x;
}
