/*
 * classes.c - the cold half of classes.h: set-up, the priority line's
 * queues, a completed task's measurement, and the per-class records.
 */
#include "classes.h"

#include "rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void mmc_cls_init(struct mmc_cls_run *c, struct mmc_kernel *k, uint64_t rep)
{
    const struct mmc_point *p = k->p;
    const struct mmc_classes *def = p->classes;
    memset(c, 0, sizeof *c);
    c->n = def->n;
    c->def = def;
    double cum = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        cum += def->c[i].share;
        c->cum[i] = cum;
        c->mean[i] = p->class_mean[i];
        c->shape[i] = def->c[i].has_service ? &def->c[i].service_dist.shape : p->service;
        c->order[i] = (uint32_t)i;
        c->m[i] = (struct mmc_cls_meter){0};
        c->q[i] = (struct mmc_cls_queue){.v = mmc_xmalloc(16, sizeof *c->q[i].v), .mask = 15};
    }
    c->cum[c->n - 1] = 1.0; /* the shares sum to 1 within 1e-9: no draw falls past the last */
    /* insertion sort by (priority, index): at most 16 */
    for (size_t i = 1; i < c->n; i++)
        for (size_t j = i; j > 0 && def->c[c->order[j]].priority < def->c[c->order[j - 1]].priority;
             j--) {
            uint32_t t = c->order[j];
            c->order[j] = c->order[j - 1];
            c->order[j - 1] = t;
        }
    c->r_class = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_CLASS);
    /* a caller without per-class storage (a warm-up pilot) gets scratch */
    c->own_hist = k->hist->cls == NULL;
    c->own_out = k->out->cls == NULL;
    c->hist = c->own_hist ? mmc_xcalloc(c->n, sizeof *c->hist) : k->hist->cls;
    c->out = c->own_out ? mmc_xcalloc(c->n, sizeof *c->out) : k->out->cls;
    k->cls = c;
}

void mmc_cls_fini(struct mmc_cls_run *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->q[i].v);
    if (c->own_hist)
        free(c->hist);
    if (c->own_out)
        free(c->out);
    gsl_rng_free(c->r_class);
}

/* ---- the priority line ---- */

void mmc_cls_grow(struct mmc_cls_queue *q)
{
    size_t cap = q->mask + 1, grown = cap == 0 ? 4 : 2 * cap; /* a line's first: 4 */
    struct mmc_cls_task *v = mmc_xmalloc(grown, sizeof *v);
    for (size_t i = 0; i < q->n; i++)
        v[i] = q->v[(q->head + i) & q->mask];
    free(q->v);
    q->v = v;
    q->head = 0;
    q->mask = grown - 1;
}

struct mmc_cls_queue *mmc_cls_lines(const struct mmc_cls_run *c, size_t n)
{
    struct mmc_cls_queue *lines = mmc_xmalloc(n * c->n, sizeof *lines);
    for (size_t j = 0; j < n * c->n; j++)
        lines[j] = (struct mmc_cls_queue){.v = NULL, .head = 0, .n = 0, .mask = SIZE_MAX};
    return lines;
}

void mmc_cls_lines_free(const struct mmc_cls_run *c, struct mmc_cls_queue *lines, size_t n)
{
    for (size_t j = 0; lines != NULL && j < n * c->n; j++)
        free(lines[j].v);
    free(lines);
}

/* ---- measurement ---- */

void mmc_cls_open(struct mmc_cls_run *c, double now)
{
    for (size_t i = 0; i < c->n; i++) {
        struct mmc_cls_meter *m = &c->m[i];
        m->area_q = m->area_busy = 0.0;
        m->t_mark = now;
        m->done_open = 0;
        m->max_q = m->n_q;
        m->max_sys = m->n_q + m->n_busy;
    }
}

void mmc_cls_close(struct mmc_cls_run *c, double now)
{
    for (size_t i = 0; i < c->n; i++) {
        mmc_cls_mark(&c->m[i], now);
        c->m[i].snap_q = c->m[i].area_q;
        c->m[i].snap_busy = c->m[i].area_busy;
    }
}

/* The run's end: each class's record, by the window the kernel used for the run's (out). */
void mmc_cls_finish(struct mmc_cls_run *c, const struct mmc_kernel *k)
{
    const struct mmc_run *all = k->out;
    bool steady = mmc_point_steady(k->p);
    double window = all->t_window > 0.0 ? all->t_window : NAN;
    for (size_t i = 0; i < c->n; i++) {
        struct mmc_cls_meter *m = &c->m[i];
        struct mmc_run *r = &c->out[i];
        mmc_cls_mark(m, k->now);
        double n = m->measured > 0 ? (double)m->measured : NAN;
        double area_q = steady ? m->snap_q : m->area_q;
        double area_busy = steady ? m->snap_busy : m->area_busy;
        *r = (struct mmc_run){
            .n_arrived = m->arrived,
            .n_completed = m->completed,
            .n_in_system_end = m->n_q + m->n_busy,
            .n_measured = m->measured,
            .n_waited = m->waited,
            .n_wait_gt = m->wait_gt,
            .n_initial = m->initial,
            .n_events = all->n_events,
            .n_inversions = m->inversions,
            .max_in_system = m->max_sys,
            .max_queue = m->max_q,
            .t_window = all->t_window,
            .throughput = (steady ? (double)m->done_open : n) / window,
            .worker_util_min = NAN,
            .worker_util_max = NAN,
            .worker_tasks_cv = NAN,
            .t_end = all->t_end,
            .makespan = NAN, /* the point's; a class has none of its own */
            .work = NAN,
            .lq = area_q / window,
            .l = (area_q + area_busy) / window,
            .busy = area_busy / window,
            .wq = m->sum_wq / n,
            .w = m->sum_w / n,
            .svc_mean = m->sum_svc / n,
            .gap_mean = NAN,
            .cut_short = all->cut_short,
        };
    }
}
