/*
 * pull.c - pull: one central FCFS queue, and workers that fetch their work
 * from it across a network. A worker that becomes idle sends a request; it
 * reaches the queue pull.rtt / 2 later. If tasks wait there, the request
 * takes the head (FCFS), which reaches the worker rtt / 2 later, and its
 * service starts then. If the queue is empty, the empty reply reaches the
 * worker rtt / 2 later and the worker sends its next request
 * pull.poll_interval after that: while it finds nothing, its requests reach
 * the queue every P = rtt + poll_interval. A task that arrives to an empty
 * queue waits for the next request to reach it. At time 0 every worker is
 * idle and sends a request (worker 0 first).
 *
 * With P = 0 a worker whose request finds the queue empty would ask again
 * at once, forever: its request waits at the queue instead (the worker
 * registers as idle there, as in model mmc) and takes the next task to
 * arrive, at once. This is the limit rtt, poll_interval -> 0: the model is
 * then model mmc, draw for draw (same streams, same order, same workers).
 *
 * The discipline only; the calendar, arrivals and measurement are the
 * kernel's (sim/kernel.h). Two events of its own: a request reaches the
 * queue (MMC_EV_REQUEST), a task taken reaches its worker (MMC_EV_DELIVER).
 * The reply's trip is the same for every task, so tasks on their way reach
 * their workers in the order they were taken: one FIFO holds them, and
 * services start in arrival order (FCFS). A zero rtt crosses inline.
 *
 * Empty polls are not simulated: a request that finds the queue empty
 * changes nothing but the worker's next poll. Such a worker parks (the
 * pool's idle stack) with the time its request reached the queue; when a
 * task arrives, every parked worker's next request is scheduled at its
 * first poll epoch t + n P after the arrival. That is exact (the polls in
 * between found the queue empty), and costs at most one event per worker
 * per arrival, never more than the polls themselves, however small P is.
 * (An epoch that falls on the arrival's instant counts as before it.)
 *
 * Counting. Waiting: the tasks in the queue, and the tasks taken but not
 * yet at their worker (a task waits until its service starts, so Little's
 * law holds for Lq and Wq). Busy: the workers serving. A worker is idle
 * while its request or its reply travels, so tasks wait beside idle
 * workers: the model is not work-conserving (for P > 0), and
 * work_violations counts the events after which that happened, as
 * information. Routing draws nothing: the arrival and service streams are
 * read as model mmc reads them.
 */
#include "classes.h"
#include "erlang.h"
#include "forms.h"
#include "kernel.h"
#include "line.h"
#include "models.h"
#include "pool.h"

#include <math.h>
#include <stdlib.h>

/* With polls (poll_interval > 0), the waits are offered up to this many workers (see below). */
#define MMC_POLL_FORM_MAX_C 4

enum {
    MMC_EV_REQUEST = MMC_EV_MODEL, /* a worker's request reaches the queue; arg: the worker */
    MMC_EV_DELIVER,                /* the task it took reaches the worker; arg: the worker */
};

struct state {
    struct mmc_kernel k;
    struct mmc_line line;    /* the central queue: queue-arrival times (tombstones: guarded) */
    struct mmc_fifo transit; /* tasks taken, on their way to their workers, in that order */
    struct mmc_pool pool;    /* idle stack: the parked workers (their request found no task) */
    double *t_poll;          /* per parked worker: when its last request reached the queue */
    double half;             /* rtt / 2, s */
    double period;           /* P = rtt + poll_interval: one empty poll to the next, s */
    uint64_t n_busy;         /* workers serving */
};

/* Tasks waiting: queued (live ones, guarded), taken and on their way, held for a token. */
MMC_HOT uint64_t waiting(const struct state *st, bool guard)
{
    return (guard ? st->line.n_waiting + st->k.held.n : st->line.q.n) + st->transit.n;
}

/* Worker w starts the task (queue arrival t_qa; u: its traced service time, or NaN: a draw). */
MMC_HOT void serve(struct state *st, double t_qa, double u, uint32_t w, bool record)
{
    st->n_busy++;
    mmc_kernel_serve_task(&st->k, t_qa, u, w, record);
}

/* The head of the queue (a guarded line skips the tasks that left it), or NaN; *u its traced
 * service time (NaN: none). */
MMC_HOT double take(struct state *st, double *u, bool guard)
{
    if (guard)
        return mmc_line_pop_live(&st->line, u);
    *u = NAN;
    return st->line.q.n > 0 ? mmc_fifo_pop(&st->line.q) : NAN;
}

/* Worker w is free (its task done, or its request found nothing): if a shift ended while it was
 * out, it goes off duty (guarded runs: staffing). */
MMC_HOT bool retire(struct state *st, uint32_t w, bool guard)
{
    struct mmc_pool *pl = &st->pool;
    if (!guard || pl->n_retiring == 0)
        return false;
    pl->n_retiring--;
    pl->off[pl->n_off++] = w;
    return true;
}

/* Worker w's request found the queue empty now: it parks until a task arrives. */
MMC_HOT void park(struct state *st, uint32_t w)
{
    st->t_poll[w] = st->k.now;
    st->pool.idle[st->pool.n_idle++] = w;
}

/* Worker w's request reaches the queue now: it takes the head, or the worker parks. */
MMC_HOT void request(struct state *st, uint32_t w, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    double u, t_qa = take(st, &u, guard);
    if (isnan(t_qa)) {
        if (!retire(st, w, guard))
            park(st, w);
        return;
    }
    if (st->half > 0.0) {
        mmc_fifo_push_task(&st->transit, t_qa, u);
        mmc_heap_push(&k->heap, k->now + st->half, MMC_EV_DELIVER, w);
    } else {
        serve(st, t_qa, u, w, record);
    }
}

/* Worker w is idle now: its request leaves. */
MMC_HOT void send(struct state *st, uint32_t w, bool record, bool guard)
{
    if (st->half > 0.0)
        mmc_heap_push(&st->k.heap, st->k.now + st->half, MMC_EV_REQUEST, w);
    else
        request(st, w, record, guard);
}

/* A task joined with workers parked: each polls again at its first epoch after now, in the
 * order they parked (so that equal epochs keep the order their polls would have). */
MMC_HOT void wake(struct state *st)
{
    struct mmc_kernel *k = &st->k;
    struct mmc_pool *pl = &st->pool;
    double period = st->period;
    for (size_t i = 0; i < pl->n_idle; i++) {
        uint32_t w = pl->idle[i];
        double t = st->t_poll[w], next = t + (floor((k->now - t) / period) + 1.0) * period;
        /* rounding may put an epoch of now an ulp before it */
        mmc_heap_push(&k->heap, next > k->now ? next : k->now, MMC_EV_REQUEST, w);
    }
    pl->n_idle = 0;
}

/* A task reaches the queue now (queue arrival t_qa). P = 0: a parked request takes it at once
 * (the one parked last, as model mmc's idle stack). Guarded: capacity, then shedding. */
MMC_HOT void join(struct state *st, double t_qa, double u, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    struct mmc_pool *pl = &st->pool;
    if (guard && st->line.n_waiting + st->transit.n + st->n_busy >= k->capacity) {
        mmc_kernel_reject(k, t_qa, &k->out->n_blocked);
        return;
    }
    if (st->period == 0.0 && pl->n_idle > 0) {
        serve(st, t_qa, u, pl->idle[--pl->n_idle], record); /* P = 0: rtt is 0 too */
    } else if (guard) {
        if (!mmc_line_join(&st->line, k, t_qa, u))
            return;
    } else {
        mmc_fifo_push(&st->line.q, t_qa);
    }
    if (pl->n_idle > 0 && st->period > 0.0)
        wake(st);
    mmc_kernel_note_peaks(k, waiting(st, guard), st->n_busy);
}

MMC_HOT void on_arrive(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    if (!guard) {
        k->out->n_arrived++;
        join(st, k->now, NAN, record, false);
    } else {
        double u;
        enum mmc_gate g = mmc_kernel_arrive_guarded(k, &u);
        if (g == MMC_GATE_ADMIT)
            join(st, k->now, u, record, true);
        else if (g == MMC_GATE_HELD)
            mmc_kernel_note_peaks(k, waiting(st, true), st->n_busy);
    }
    mmc_kernel_generate(k);
}

MMC_HOT void on_depart(struct state *st, uint32_t w, bool record, bool guard)
{
    mmc_kernel_depart(&st->k);
    st->n_busy--;
    if (!retire(st, w, guard))
        send(st, w, record, guard);
}

/*
 * A shift change: the workers on duty become target. Added ones cancel
 * pending retirements first, then come off duty and send a request; removed
 * ones are parked ones first (off at once), then others, each of which goes
 * off duty the next time it is free (a request finding nothing, or its task
 * done).
 */
static void on_staff(struct state *st, uint32_t i, bool record)
{
    struct mmc_pool *pl = &st->pool;
    uint64_t target = (uint64_t)st->k.p->staffing->c[i];
    if (target >= pl->duty) {
        uint64_t add = target - pl->duty;
        uint64_t cancel = add < pl->n_retiring ? add : pl->n_retiring;
        pl->n_retiring -= cancel;
        for (add -= cancel; add > 0; add--)
            send(st, pl->off[--pl->n_off], record, true);
    } else {
        uint64_t rm = pl->duty - target;
        for (; rm > 0 && pl->n_idle > 0; rm--)
            pl->off[pl->n_off++] = pl->idle[--pl->n_idle];
        pl->n_retiring += rm;
    }
    pl->duty = target;
    pl->staff_next = (size_t)i + 1;
    mmc_pool_schedule_staffing(pl, &st->k);
}

MMC_HOT void dispatch_event(struct state *st, const struct mmc_event *ev, bool record, bool guard)
{
    switch (ev->kind) {
    case MMC_EV_ARRIVE:
        on_arrive(st, record, guard);
        break;
    case MMC_EV_DEPART:
        on_depart(st, ev->arg, record, guard);
        break;
    case MMC_EV_REQUEST:
        request(st, ev->arg, record, guard);
        break;
    case MMC_EV_DELIVER: {
        double u, t_qa = mmc_fifo_pop_task(&st->transit, &u);
        serve(st, t_qa, u, ev->arg, record);
        break;
    }
    case MMC_EV_ADMIT: { /* a held task gets its token */
        double u, t_qa = mmc_fifo_pop_task(&st->k.held, &u);
        join(st, t_qa, u, record, true);
        break;
    }
    case MMC_EV_ABANDON: /* live: checked by the loop */
        mmc_line_abandon(&st->line, &st->k, mmc_line_abandon_slot(&st->line, ev->arg));
        break;
    case MMC_EV_STAFF:
        on_staff(st, ev->arg, record);
        break;
    case MMC_EV_ARRIVE_BATCH:
        mmc_kernel_snap_arrival(&st->k, st->k.batch_j);
        on_arrive(st, record, guard);
        break;
    default: /* MMC_EV_ARRIVE_FIRST_MEASURED */
        mmc_kernel_open_window(&st->k, waiting(st, guard), st->n_busy);
        on_arrive(st, record, guard);
        break;
    }
}

MMC_HOT void loop_with(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    const uint64_t c = k->p->c;
    uint64_t n_events = 0, idle_beside_waiting = 0;
    struct mmc_event ev;
    /* once the workload is done and gone, what is left (requests finding nothing, shift
       changes, stale abandonments) changes nothing: the run ends at its last completion */
    while (k->arrival_pending || k->open || waiting(st, guard) + st->n_busy > 0) {
        if (!mmc_kernel_next_event(k, &ev))
            break;
        /* a stale abandonment (its task has left) is no event: the clock stays */
        if (guard && ev.kind == MMC_EV_ABANDON && mmc_line_abandon_slot(&st->line, ev.arg) == NULL)
            continue;
        mmc_kernel_advance(k, ev.t, (double)waiting(st, guard), (double)st->n_busy);
        dispatch_event(st, &ev, record, guard);
        n_events++;
        /* held tasks wait for a token, not for a worker */
        idle_beside_waiting += waiting(st, guard) - (guard ? k->held.n : 0) > 0 && st->n_busy < c;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = idle_beside_waiting;
}

static void loop(struct state *st)
{
    MMC_LOOP_SPECIALISED(loop_with, st, st->k.series != NULL, st->k.guard);
}

/* The workers on duty (the pool's idle stack, worker 0 on top), in the order they send their
 * first requests (worker 0 first; *n of them), taken off the stack: each parks again if its
 * request finds no task. The caller frees the array. */
static uint32_t *take_duty(struct mmc_pool *pl, size_t *n)
{
    uint32_t *duty = mmc_xmalloc(pl->n_idle > 0 ? pl->n_idle : 1, sizeof *duty);
    *n = pl->n_idle;
    for (size_t i = 0; i < *n; i++)
        duty[i] = pl->idle[*n - 1 - i];
    pl->n_idle = 0;
    return duty;
}

/* Time 0: every worker sends its first request, worker 0 first (the pool's order). P = 0:
 * those whose request finds the queue empty stay parked where the pool put them. */
static void start_workers(struct state *st)
{
    struct mmc_pool *pl = &st->pool;
    bool guard = st->k.guard;
    if (st->period == 0.0) {
        while (pl->n_idle > 0 && st->line.q.n > 0)
            request(st, pl->idle[--pl->n_idle], false, guard);
        return;
    }
    size_t n;
    uint32_t *duty = take_duty(pl, &n);
    for (size_t i = 0; i < n; i++)
        send(st, duty[i], false, guard);
    free(duty);
}

/* ---- priority classes ----
 *
 * With classes the central queue is a priority line (sim/classes.h: one FCFS queue per class):
 * a request that reaches it takes the head of the highest-priority class waiting (FCFS within
 * a level), and the task crosses to its worker as without classes. A task's class is drawn
 * when it arrives, its service when it starts. A task taken stays counted as waiting, in its
 * class too, until it reaches its worker: its wait ends at its service start (Little's law per
 * class). So with rtt > 0 a task of lower priority taken before a higher one arrived may start
 * while that one waits (in the line, or on its way to another worker): the priority
 * inversions the report counts. With rtt = poll_interval = 0 this is model mmc with classes,
 * draw for draw (a backlog too: parked requests take its tasks in the order they are drawn).
 * preemption: resume is refused (sim/scenario.c: a task taken is a remote worker's); so are
 * protection, staffing, traced services and batch means (as for every model with classes).
 */
struct cstate {
    struct state s;          /* its line and transit unused: the classes' below */
    struct mmc_cls_run cls;  /* cls.q: the priority line */
    struct mmc_cls_work *x;  /* each worker's task in service */
    struct mmc_fifo transit; /* tasks taken, on their way: queue arrival, class (as u) */
};

/* Worker w starts task t of class i now. */
MMC_HOT void cstart(struct cstate *st, uint32_t w, uint32_t i, struct mmc_cls_task t)
{
    st->s.n_busy++;
    st->x[w] = mmc_cls_begin(&st->cls, &st->s.k, w, i, t);
}

/* Worker w's request reaches the priority line now: it takes the head of the class served
 * next, or the worker parks. On its way the task stays counted as waiting. */
MMC_HOT void crequest(struct cstate *st, uint32_t w)
{
    struct mmc_kernel *k = &st->s.k;
    int next = mmc_cls_next(&st->cls, st->cls.q);
    if (next < 0) {
        park(&st->s, w);
    } else if (st->s.half > 0.0) {
        struct mmc_cls_task t = mmc_cls_queue_pop(&st->cls.q[next]);
        mmc_fifo_push_task(&st->transit, t.t_qa, (double)next);
        mmc_heap_push(&k->heap, k->now + st->s.half, MMC_EV_DELIVER, w);
    } else {
        cstart(st, w, (uint32_t)next, mmc_cls_dequeue(&st->cls, st->cls.q, k->now, (uint32_t)next));
    }
}

/* Worker w is idle now: its request leaves. */
MMC_HOT void csend(struct cstate *st, uint32_t w)
{
    if (st->s.half > 0.0)
        mmc_heap_push(&st->s.k.heap, st->s.k.now + st->s.half, MMC_EV_REQUEST, w);
    else
        crequest(st, w);
}

/* The task taken first of those on their way reaches worker w now: its wait ends. */
MMC_HOT void cdeliver(struct cstate *st, uint32_t w)
{
    double u, t_qa = mmc_fifo_pop_task(&st->transit, &u);
    uint32_t i = (uint32_t)u;
    mmc_cls_waiting(&st->cls, st->s.k.now, i, -1);
    cstart(st, w, i, (struct mmc_cls_task){t_qa, t_qa, 0.0, NAN, NAN});
}

/* A task arrives now, of a class drawn now. P = 0: a parked request takes it at once (the one
 * parked last, as model mmc's idle stack); else it joins the line and the parked workers poll. */
MMC_HOT void carrive(struct cstate *st)
{
    struct state *s = &st->s;
    struct mmc_kernel *k = &s->k;
    struct mmc_pool *pl = &s->pool;
    uint32_t i = mmc_cls_draw(&st->cls);
    struct mmc_cls_task t = {k->now, k->now, 0.0, NAN, NAN};
    k->out->n_arrived++;
    st->cls.m[i].arrived++;
    if (s->period == 0.0 && pl->n_idle > 0) {
        cstart(st, pl->idle[--pl->n_idle], i, t);
    } else {
        mmc_cls_enqueue(&st->cls, st->cls.q, k->now, i, t, false);
        if (pl->n_idle > 0 && s->period > 0.0)
            wake(s);
    }
    mmc_kernel_note_peaks(k, st->cls.n_waiting, s->n_busy);
    mmc_kernel_generate(k);
}

MMC_HOT void cdepart(struct cstate *st, uint32_t w, bool record)
{
    struct mmc_cls_work *x = &st->x[w];
    mmc_kernel_depart(&st->s.k);
    mmc_cls_complete(&st->cls, &st->s.k, x->cls, x->t_qa, x->waited, x->svc, w, record);
    mmc_cls_busy(&st->cls, st->s.k.now, x->cls, -1);
    st->s.n_busy--;
    csend(st, w);
}

MMC_HOT void cloop_with(struct cstate *st, bool record)
{
    struct mmc_kernel *k = &st->s.k;
    const uint64_t c = k->p->c;
    uint64_t n_events = 0, idle_beside_waiting = 0;
    struct mmc_event ev;
    /* as without classes: the run ends at its last completion */
    while (k->arrival_pending || k->open || st->cls.n_waiting + st->s.n_busy > 0) {
        if (!mmc_kernel_next_event(k, &ev))
            break;
        mmc_kernel_advance(k, ev.t, (double)st->cls.n_waiting, (double)st->s.n_busy);
        switch (ev.kind) {
        case MMC_EV_DEPART:
            cdepart(st, ev.arg, record);
            break;
        case MMC_EV_REQUEST:
            crequest(st, ev.arg);
            break;
        case MMC_EV_DELIVER:
            cdeliver(st, ev.arg);
            break;
        case MMC_EV_ARRIVE_FIRST_MEASURED:
            mmc_kernel_open_window(k, st->cls.n_waiting, st->s.n_busy);
            carrive(st);
            break;
        default: /* MMC_EV_ARRIVE */
            carrive(st);
            break;
        }
        n_events++;
        idle_beside_waiting += st->cls.n_waiting > 0 && st->s.n_busy < c;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = idle_beside_waiting;
}

/* Time 0: a backlog of n tasks, each of a drawn class. P = 0: the workers' requests wait at
 * the line, so parked ones take the first tasks (as model mmc); the rest, or with P > 0
 * all, queue, and every worker then sends its first request, worker 0 first. */
static void cstart_workers(struct cstate *st, uint64_t n)
{
    struct state *s = &st->s;
    struct mmc_pool *pl = &s->pool;
    for (uint64_t j = 0; j < n; j++) {
        uint32_t i = mmc_cls_draw(&st->cls);
        struct mmc_cls_task t = {MMC_T_INITIAL, MMC_T_INITIAL, 0.0, NAN, NAN};
        st->cls.m[i].arrived++;
        st->cls.m[i].initial++;
        if (s->period == 0.0 && pl->n_idle > 0)
            cstart(st, pl->idle[--pl->n_idle], i, t);
        else
            mmc_cls_enqueue(&st->cls, st->cls.q, s->k.now, i, t, false);
    }
    s->k.out->n_initial = s->k.out->n_arrived = n;
    if (s->period == 0.0)
        return;
    size_t n_duty;
    uint32_t *duty = take_duty(pl, &n_duty);
    for (size_t i = 0; i < n_duty; i++)
        csend(st, duty[i]);
    free(duty);
}

static void pull_run_classes(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                             struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct cstate st;
    struct state *s = &st.s;
    mmc_kernel_init(&s->k, p, replication, out, hist, series, p->c + 2);
    mmc_cls_init(&st.cls, &s->k, replication);
    mmc_pool_init(&s->pool, &s->k);
    mmc_fifo_init(&st.transit, true);
    st.x = mmc_xcalloc(p->c, sizeof *st.x);
    s->t_poll = mmc_xcalloc(p->c, sizeof *s->t_poll);
    s->half = p->pull->rtt / 2.0;
    s->period = p->pull->rtt + p->pull->poll_interval;
    s->n_busy = 0;
    mmc_kernel_first_submission(&s->k);
    cstart_workers(&st, mmc_point_backlog(p));
    mmc_kernel_generate(&s->k);
    if (s->k.series != NULL)
        cloop_with(&st, true);
    else
        cloop_with(&st, false);
    if (!out->cut_short)
        mmc_kernel_finish(&s->k, st.cls.n_waiting, s->n_busy);
    free(s->t_poll);
    free(st.x);
    mmc_fifo_fini(&st.transit);
    mmc_pool_fini(&s->pool);
    mmc_cls_fini(&st.cls);
    mmc_kernel_fini(&s->k);
}

static void pull_run(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                     struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct state st;
    if (mmc_point_classes(p) > 0) {
        pull_run_classes(p, replication, out, hist, series);
        return;
    }
    mmc_kernel_init(&st.k, p, replication, out, hist, series, p->c + 2);
    mmc_line_init(&st.line, st.k.trace_svc != NULL); /* traced services travel with tasks */
    mmc_fifo_init(&st.transit, st.k.trace_svc != NULL);
    mmc_pool_init(&st.pool, &st.k);
    st.t_poll = mmc_xcalloc(p->c, sizeof *st.t_poll);
    st.half = p->pull->rtt / 2.0;
    st.period = p->pull->rtt + p->pull->poll_interval;
    st.n_busy = 0;
    mmc_kernel_first_submission(&st.k);
    /* a backlog of in_system tasks, queued (never measured: their arrival times are unknown;
       the scenario refuses a stationary start: no exact law); it waits without patience,
       beyond capacity if it must */
    uint64_t n = mmc_point_backlog(p);
    for (uint64_t i = 0; i < n; i++)
        mmc_fifo_push_task(&st.line.q, MMC_T_INITIAL, NAN); /* a draw: no trace line */
    st.line.n_waiting = st.line.q.n;
    out->n_initial = out->n_arrived = n;
    start_workers(&st);
    mmc_kernel_generate(&st.k);
    loop(&st);
    if (!out->cut_short)
        mmc_kernel_finish(&st.k, waiting(&st, st.k.guard), st.n_busy);
    free(st.t_poll);
    mmc_pool_fini(&st.pool);
    mmc_fifo_fini(&st.transit);
    mmc_line_fini(&st.line);
    mmc_kernel_fini(&st.k);
}

/*
 * Closed form. Seen from the queue, a worker's request is a server: it
 * takes the head task and is back at the queue h = rtt + S later (the
 * task's trip, its service, the next request's trip); one that finds the
 * queue empty is back P = rtt + poll_interval later. So with Poisson
 * arrivals this is M/G/c with holding time h and multiple vacations of
 * length P, and a task's Wq is its delay D at the queue plus the reply's
 * rtt / 2. Stable exactly when lambda E[h] < c; utilization (a worker is
 * busy only while serving: lambda / (c mu)) and throughput are then exact.
 * P(wait) = 1: every task waits for a poll or a reply. With P = 0 the
 * model is mmc: its forms, exact.
 *
 * One worker (exact: Fuhrmann and Cooper's decomposition, Oper. Res. 33,
 * 1985): D = P-K of h, plus the vacation's residual E[V^2] / (2 E[V]) = P / 2.
 *
 * More (approximate): D = Allen-Cunneen for h, Wq(M/M/c, mean E[h]) (1 +
 * cs_h^2) / 2 with cs_h^2 = Var(S) / E[h]^2 (at c = 1 this is P-K), plus
 * the wait for a poll: an arrival that finds k of the c requests idle
 * (M/M/c's law of the number holding, with mean E[h]) waits for the first
 * of their polls, P / (k + 1) if their phases were independent and
 * uniform; one that finds none idle gets the c = 1 share, P / (c + 1), as
 * if every worker polled. At c = 1 this is the exact P / 2.
 *
 * Against simulation (mu = 1, c = 2 to 64, lambda E[h] / c = 0.3 to 0.9,
 * rtt 0.01 to 1, poll_interval 0 to 3; the form's Wq relative to the
 * simulated one): with poll_interval = 0, -8 % to +1 %; with polls and at
 * most MMC_POLL_FORM_MAX_C workers, -8 % to +7 %; at rho 0.9, 4 workers,
 * rtt 0.1 / mu (the queue's load 0.99), -2.5 % (24.63 against 25.25 +-
 * 0.69). With polls and more workers the idle workers' phases are far from
 * uniform: each arrival takes the poll that follows it, so polls after long
 * gaps go first and gaps merge, and the wait for a poll grows like the log
 * of the number idle (-49 % at 64 workers lightly loaded; +22 % where long
 * polls leave the tasks to the workers coming back): no wait is offered.
 */
static double poll_wait(const struct mmc_erlang *e, unsigned long c, double period)
{
    double s = e->p_wait / ((double)c + 1.0), log_pn = e->log_p0, log_a = log(e->a);
    for (unsigned long n = 0; n < c; n++) { /* pi_n = p0 a^n / n!, in logs: p0 may underflow */
        s += exp(log_pn) / (double)(c - n + 1);
        log_pn += log_a - log((double)(n + 1));
    }
    return period * s;
}

/* With classes: P = 0 is model mmc with classes, whose forms hold exactly (Cobham's
 * non-preemptive M/M/c, or M/G/1 per class with one worker); with a round trip or polls none
 * is known (a task taken waits on its way while others arrive). row: 0 every task's, k + 1
 * class k's. */
static int pull_class_rows_form(const struct mmc_point *p, size_t row, struct mmc_analytic *out)
{
    if (p->pull->rtt + p->pull->poll_interval > 0.0)
        return -1;
    return row == 0 ? mmc_model_mmc.closed_form(p, out) : mmc_model_mmc.class_form(p, row - 1, out);
}

static int pull_class_form(const struct mmc_point *p, size_t k, struct mmc_analytic *out)
{
    return pull_class_rows_form(p, k + 1, out);
}

static int pull_closed_form(const struct mmc_point *held, struct mmc_analytic *out)
{
    if (mmc_point_classes(held) > 0)
        return pull_class_rows_form(held, 0, out);
    struct mmc_point q;
    struct mmc_dist svc;
    const struct mmc_point *p = mmc_point_unhold(held, &q, &svc);
    const struct mmc_pull *pl = p->pull;
    const struct mmc_process *pr = p->process;
    double period = pl->rtt + pl->poll_interval;
    if (period == 0.0)
        return mmc_model_mmc.closed_form(p, out);
    /* losses change the throughput and who waits: nothing known with a round trip */
    if (pr->kind == MMC_PROCESS_TRACE || pr->kind == MMC_PROCESS_SCHEDULE ||
        mmc_protection_is_on(p->protect) || p->staffing->n > 0)
        return -1;
    double es = 1.0 / p->mu, eh = es + pl->rtt, rho = p->lambda / ((double)p->c * p->mu);
    struct mmc_erlang e;
    if (mmc_erlang_mmc(p->lambda, 1.0 / eh, p->c, 0.0, &e) != 0)
        return -1;
    mmc_form_base(out, e.stable, rho, p->lambda, "utilization, throughput");
    bool poisson = pr->kind == MMC_PROCESS_RENEWAL && !pr->batched &&
                   p->arrival->kind == MMC_DIST_EXPONENTIAL && p->n_intervals == 0;
    if (!e.stable || !poisson || !isfinite(p->service->scv) ||
        (pl->poll_interval > 0.0 && p->c > MMC_POLL_FORM_MAX_C))
        return 0;
    double cs2 = p->service->scv * es * es / (eh * eh);
    out->approx = p->c > 1;
    out->form =
        p->c > 1 ? "M/G/c Allen-Cunneen, holding rtt + S" : "M/G/1 with vacations, holding rtt + S";
    mmc_form_means(p, e.wq * (1.0 + cs2) / 2.0 + poll_wait(&e, p->c, period) + pl->rtt / 2.0, out);
    out->p_wait = 1.0;
    return 0;
}

const struct mmc_model mmc_model_pull = {
    .name = "pull",
    .title = "pull: one FCFS queue, idle workers request tasks across a round trip",
    .work_conserving = false,
    .run = pull_run,
    .closed_form = pull_closed_form,
    .class_form = pull_class_form,
};
