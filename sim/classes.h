/*
 * classes.h - priority classes in a run: which class each task is, the
 * priority line the classes wait in, and each class's measurement.
 *
 * A task's class is drawn at its queue arrival from the point's shares,
 * from a stream of its own (MMC_STREAM_CLASS), so a scenario without
 * classes draws exactly what it drew before. Its service time is drawn from
 * its class's distribution (the scenario's when the class has none).
 *
 * The line: one FCFS queue per class; a worker takes the head of the class
 * of smallest priority number, and among classes of equal priority the
 * head that arrived first (FCFS within a priority level). An interrupted
 * task (preemption: resume) goes back to the head of its class's queue: it
 * started before every task of its class still waiting, so FCFS within the
 * class holds. Entries carry the queue arrival, the service time still to
 * do and the whole service time.
 *
 * Measurement. A task's statistics are final when it completes (with
 * preemption its wait is known only then): its wait is the time it spent
 * in the line, summed over its stays (one without preemption: service start
 * minus queue arrival, exactly as without classes), its sojourn wait +
 * service. The task joins the run's
 * totals (mmc_kernel_measure: the same figures a run without classes
 * records) and its class's. A class's time averages (waiting, busy) are
 * integrated lazily: each class's integral is brought up to date only when
 * its own count changes, so an event costs one class's update, not K. The
 * window, the warm-up and the steady/finite rule are the kernel's; each
 * class gets a struct mmc_run of its own (out[k]) at the end of the run,
 * which the experiment aggregates into the class's rows.
 */
#ifndef MMC_CLASSES_H
#define MMC_CLASSES_H

#include "kernel.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* A task in a priority line. */
struct mmc_cls_task {
    double t_qa;   /* queue arrival */
    double t_in;   /* when it joined the line last (t_qa, or when it was interrupted) */
    double waited; /* time spent in the line before that, s */
    double left;   /* service still to do, s (NaN: not drawn yet) */
    double svc;    /* whole service time, s (NaN: not drawn yet) */
};

/* One class's FIFO in one line (a ring of tasks; both ends may be pushed and popped). A
 * queue never used has no ring: mask is SIZE_MAX (capacity mask + 1 = 0), so its first push
 * grows it. */
struct mmc_cls_queue {
    struct mmc_cls_task *v;
    size_t head, n, mask;
};

/* A task in service: its class, queue arrival, time waited so far, whole and remaining service
 * (as of t_start, when its current stint began). */
struct mmc_cls_work {
    double t_qa, waited, svc, left, t_start;
    uint32_t cls;
};

/* One class's measurement in one run. */
struct mmc_cls_meter {
    uint64_t arrived, completed, measured, waited, wait_gt, initial, done_open, inversions;
    uint64_t n_q, n_busy;     /* now: waiting, in service */
    uint64_t max_q, max_sys;  /* peaks inside the window */
    double area_q, area_busy; /* integrals of n_q and n_busy, current to t_mark */
    double t_mark;            /* the integrals are current to this time */
    double snap_q, snap_busy; /* the integrals at the last arrival */
    double sum_wq, sum_w, sum_svc;
};

struct mmc_cls_run {
    size_t n;                                      /* classes */
    const struct mmc_classes *def;                 /* the scenario's classes */
    double cum[MMC_MAX_CLASSES];                   /* cumulative shares: class k if u < cum[k] */
    double mean[MMC_MAX_CLASSES];                  /* mean service time of each class, s */
    const struct mmc_dist *shape[MMC_MAX_CLASSES]; /* and its shape */
    uint32_t order[MMC_MAX_CLASSES]; /* classes by priority (then index): the line's order */
    gsl_rng *r_class;
    struct mmc_cls_meter m[MMC_MAX_CLASSES];
    struct mmc_cls_queue q[MMC_MAX_CLASSES]; /* the central line (a model with one) */
    uint64_t n_waiting;                      /* tasks waiting, in every line: the sum of m[].n_q */
    struct mmc_run_hist *hist;               /* per class, the caller's (reset) */
    struct mmc_run *out;                     /* per class, the caller's */
    bool own_hist, own_out;                  /* scratch of ours instead (a caller without them) */
};

/* Set up the classes of k's point for replication rep (k->cls points to c). */
void mmc_cls_init(struct mmc_cls_run *c, struct mmc_kernel *k, uint64_t rep);
/* n lines of c->n queues each, every one empty and without a ring (a line per worker); the
 * queues of line j are the result's [j * c->n, (j + 1) * c->n). */
struct mmc_cls_queue *mmc_cls_lines(const struct mmc_cls_run *c, size_t n);
void mmc_cls_lines_free(const struct mmc_cls_run *c, struct mmc_cls_queue *lines, size_t n);
/* Double a class queue's ring (a push calls it when full). */
void mmc_cls_grow(struct mmc_cls_queue *q);
void mmc_cls_fini(struct mmc_cls_run *c);

/* The class of the task arriving now (a draw). */
static inline uint32_t mmc_cls_draw(struct mmc_cls_run *c)
{
    double u = gsl_rng_uniform(c->r_class);
    uint32_t i = 0;
    while (i + 1 < c->n && !(u < c->cum[i]))
        i++;
    return i;
}

/* A service time of class i, drawn now (a held delay included). */
static inline double mmc_cls_draw_service(struct mmc_cls_run *c, struct mmc_kernel *k, uint32_t i)
{
    return mmc_dist_draw(c->shape[i], c->mean[i], k->r_service) + k->hold;
}

/* Bring a class's integrals up to now. */
static inline void mmc_cls_mark(struct mmc_cls_meter *m, double now)
{
    m->area_q += (double)m->n_q * (now - m->t_mark);
    m->area_busy += (double)m->n_busy * (now - m->t_mark);
    m->t_mark = now;
}

/* Class i's waiting count changes by +1 / -1 now (integrals first). */
static inline void mmc_cls_waiting(struct mmc_cls_run *c, double now, uint32_t i, int delta)
{
    struct mmc_cls_meter *m = &c->m[i];
    mmc_cls_mark(m, now);
    m->n_q = delta > 0 ? m->n_q + 1 : m->n_q - 1;
    c->n_waiting = delta > 0 ? c->n_waiting + 1 : c->n_waiting - 1;
    if (m->n_q > m->max_q)
        m->max_q = m->n_q;
    if (m->n_q + m->n_busy > m->max_sys)
        m->max_sys = m->n_q + m->n_busy;
}

/* Class i's busy count changes by +1 / -1 now. */
static inline void mmc_cls_busy(struct mmc_cls_run *c, double now, uint32_t i, int delta)
{
    struct mmc_cls_meter *m = &c->m[i];
    mmc_cls_mark(m, now);
    m->n_busy = delta > 0 ? m->n_busy + 1 : m->n_busy - 1;
    if (m->n_q + m->n_busy > m->max_sys)
        m->max_sys = m->n_q + m->n_busy;
}

/*
 * A task of class i (queue arrival t_qa) starts service now: a priority
 * inversion when a task of strictly higher priority is waiting, anywhere
 * (counted for measured tasks, in the run and the class). A central
 * priority line never has one; with a line per worker (push, steal), a
 * worker's own line never does either, but another worker's may: the
 * dispatch sent the tasks apart.
 */
static inline void mmc_cls_note_start(struct mmc_cls_run *c, struct mmc_kernel *k, uint32_t i,
                                      double t_qa)
{
    if (t_qa < k->t_measure_from)
        return;
    for (size_t j = 0; j < c->n && c->def->c[c->order[j]].priority < c->def->c[i].priority; j++)
        if (c->m[c->order[j]].n_q > 0) {
            k->out->n_inversions++;
            c->m[i].inversions++;
            return;
        }
}

/* Raw ring operations on one queue (no counting). */
static inline void mmc_cls_queue_push(struct mmc_cls_queue *q, struct mmc_cls_task t, bool front)
{
    if (q->n == q->mask + 1)
        mmc_cls_grow(q);
    if (front) {
        q->head = (q->head - 1) & q->mask;
        q->v[q->head] = t;
    } else {
        q->v[(q->head + q->n) & q->mask] = t;
    }
    q->n++;
}

static inline struct mmc_cls_task mmc_cls_queue_pop(struct mmc_cls_queue *q)
{
    struct mmc_cls_task t = q->v[q->head];
    q->head = (q->head + 1) & q->mask;
    q->n--;
    return t;
}

static inline struct mmc_cls_task mmc_cls_queue_pop_tail(struct mmc_cls_queue *q)
{
    q->n--;
    return q->v[(q->head + q->n) & q->mask];
}

/* Queue t at the tail (front: at the head) of class i's queue in line (c->n queues); counted
 * as waiting. */
static inline void mmc_cls_enqueue(struct mmc_cls_run *c, struct mmc_cls_queue *line, double now,
                                   uint32_t i, struct mmc_cls_task t, bool front)
{
    mmc_cls_queue_push(&line[i], t, front);
    mmc_cls_waiting(c, now, i, +1);
}

/* The class of line whose head is served next, or -1 when every queue is empty. */
static inline int mmc_cls_next(const struct mmc_cls_run *c, const struct mmc_cls_queue *line)
{
    const struct mmc_classes *def = c->def;
    for (size_t j = 0; j < c->n; j++) {
        uint32_t i = c->order[j];
        if (line[i].n == 0)
            continue;
        /* the first nonempty class; among its level's classes, the earliest head */
        int best = (int)i;
        for (size_t l = j + 1; l < c->n && def->c[c->order[l]].priority == def->c[i].priority;
             l++) {
            const struct mmc_cls_queue *q = &line[c->order[l]], *b = &line[best];
            if (q->n > 0 && q->v[q->head].t_qa < b->v[b->head].t_qa)
                best = (int)c->order[l];
        }
        return best;
    }
    return -1;
}

/* Take the head of class i's queue in line (not empty). */
static inline struct mmc_cls_task mmc_cls_dequeue(struct mmc_cls_run *c, struct mmc_cls_queue *line,
                                                  double now, uint32_t i)
{
    struct mmc_cls_task t = mmc_cls_queue_pop(&line[i]);
    mmc_cls_waiting(c, now, i, -1);
    return t;
}

/*
 * Worker w starts (or resumes) task t of class i now: its service time is
 * drawn at its first start, its wait so far brought up to now, an
 * inversion noted at its first start, its class counted busy, and its
 * departure put on the calendar (one event: a model that drops stale
 * departures records k->heap.next_seq before the call).
 */
static inline struct mmc_cls_work mmc_cls_begin(struct mmc_cls_run *c, struct mmc_kernel *k,
                                                uint32_t w, uint32_t i, struct mmc_cls_task t)
{
    if (isnan(t.svc))
        t.svc = t.left = mmc_cls_draw_service(c, k, i);
    double waited = t.t_in == t.t_qa ? k->now - t.t_qa : t.waited + (k->now - t.t_in);
    if (t.t_in == t.t_qa)
        mmc_cls_note_start(c, k, i, t.t_qa);
    mmc_cls_busy(c, k->now, i, +1);
    k->wbusy[w] += t.left;
    mmc_heap_push(&k->heap, k->now + t.left, MMC_EV_DEPART, w);
    return (struct mmc_cls_work){t.t_qa, waited, t.svc, t.left, k->now, i};
}

/* Worker w's task x is interrupted now: back to the head of its class's queue in line, with
 * what is left of its service (its departure on the calendar is the caller's to drop). */
static inline void mmc_cls_interrupt(struct mmc_cls_run *c, struct mmc_kernel *k,
                                     struct mmc_cls_queue *line, uint32_t w,
                                     const struct mmc_cls_work *x)
{
    double left = x->left - (k->now - x->t_start);
    k->wbusy[w] -= left;
    mmc_cls_busy(c, k->now, x->cls, -1);
    mmc_cls_enqueue(c, line, k->now, x->cls,
                    (struct mmc_cls_task){x->t_qa, k->now, x->waited, left, x->svc}, true);
}

/* A task of class i completes now on worker w (queue arrival t_qa, wait and service svc in
 * all): measured in the run's totals and its class's. */
static inline void mmc_cls_complete(struct mmc_cls_run *c, struct mmc_kernel *k, uint32_t i,
                                    double t_qa, double wait, double svc, uint32_t w, bool record)
{
    struct mmc_cls_meter *m = &c->m[i];
    double latest = k->t_qa_last;
    mmc_kernel_measure(k, t_qa, wait, svc, w, record);
    if (latest > k->t_qa_last) /* completions come out of arrival order */
        k->t_qa_last = latest;
    m->completed++;
    m->done_open += k->open;
    if (t_qa < k->t_measure_from)
        return;
    m->measured++;
    m->waited += wait > 0.0;
    m->wait_gt += wait > k->wait_threshold;
    m->sum_wq += wait;
    m->sum_w += wait + svc;
    m->sum_svc += svc;
    mmc_hist_add(&c->hist[i].wait, wait);
    mmc_hist_add(&c->hist[i].sojourn, wait + svc);
}

/* The kernel's window opens, the arrivals close, the run ends (cold: once each). */
void mmc_cls_open(struct mmc_cls_run *c, double now);
void mmc_cls_close(struct mmc_cls_run *c, double now);
void mmc_cls_finish(struct mmc_cls_run *c, const struct mmc_kernel *k);

#endif
