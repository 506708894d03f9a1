/*
 * mmc.c - M/M/c: tasks cross a fixed network delay d, join one FCFS queue,
 * and are served by the first idle of c identical workers.
 *
 * The discipline only: the calendar, the arrival side, the measurement and
 * protection's counting are the kernel's (sim/kernel.h, which also says how
 * the clock, the window and batches work); the queue is a waiting line
 * (sim/line.h) and the workers a pool (sim/pool.h).
 *
 * Design. The network delay is the same for every task, so it shifts the
 * arrival stream without reordering it: a task submitted at s reaches the
 * queue at s + d, and the kernel schedules that queue arrival directly
 * instead of spending an event on the crossing. The calendar holds only the
 * departures (at most c) besides the pending arrival. A task's wait is known
 * when its service starts, and its service time is drawn then, so per-task
 * statistics are recorded at service start (FCFS: in arrival order) and
 * departures carry nothing but the worker's index.
 *
 * Initial state. A backlog of N tasks (or N drawn from the closed-form
 * stationary law) is placed at the queue's time 0: the first c go into service, the
 * rest queue. They count as arrived but are never measured (their arrival
 * times are unknown). A stationary start is exact: service and
 * inter-arrival times are memoryless, and the queue is in equilibrium at
 * any instant, so its loop starts at submission time 0 (the tasks then
 * crossing the network arrive as the same Poisson stream); with a delay of
 * 1e20 s, starting at -d would mean simulating 1e20 s before the first
 * measured submission.
 *
 * Protection (capacity, shed, throttle, patience: a "guarded" run, with
 * its own specialisation of the loop so that plain runs pay nothing). A
 * throttled task that must wait for a token is held in a FIFO of its own
 * (the bucket releases tasks in order), reaches the queue at MMC_EV_ADMIT, and
 * counts as waiting from its arrival: its wait includes the hold. A held
 * task is in the system (L, Lq, the memory figures) but outside the capacity
 * K, which bounds the queue and the workers; one turned away when its token
 * comes (blocked, or shed as the newest) leaves unserved, and its hold is
 * counted with the waits of the tasks that left the queue unserved. At the
 * queue, a task that finds K in system is blocked; one that finds every
 * worker busy and shed_threshold tasks waiting is shed (newest: itself;
 * oldest: the head of the queue, and it joins). A task with patience p
 * that is still waiting at its arrival + p abandons (MMC_EV_ABANDON; the
 * line leaves a tombstone). Rejected tasks (blocked, shed newest, refused a
 * token) never join; lost ones (shed oldest, abandoned) leave unserved.
 * Conservation: arrived == completed + rejected + lost + in system.
 *
 * Invariants: busy + idle == c; in system == queued + busy; a task waits
 * only while every worker is busy (counted, never assumed: work_violations).
 */
#include "class_forms.h"
#include "classes.h"
#include "erlang.h"
#include "kernel.h"
#include "line.h"
#include "models.h"
#include "pool.h"
#include "rng.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

struct state {
    struct mmc_kernel k;
    struct mmc_line line; /* the one FCFS queue */
    struct mmc_pool pool;
};

/* Tasks waiting (in the queue, or held for a token); a plain run has no tombstones. */
MMC_HOT uint64_t waiting(const struct state *st, bool guard)
{
    return guard ? st->line.n_waiting + st->k.held.n : st->line.q.n;
}

static uint64_t busy(const struct state *st)
{
    return mmc_pool_busy(&st->pool, &st->k);
}

MMC_HOT void on_arrive(struct state *st, bool record)
{
    struct mmc_kernel *k = &st->k;
    struct mmc_pool *pl = &st->pool;
    k->out->n_arrived++;
    if (pl->n_idle > 0) {
        mmc_kernel_start_service(k, k->now, pl->idle[--pl->n_idle], record);
    } else {
        mmc_fifo_push(&st->line.q, k->now);
        if (st->line.q.n > k->out->max_queue)
            k->out->max_queue = st->line.q.n;
    }
    uint64_t in_system = st->line.q.n + (k->p->c - pl->n_idle);
    if (in_system > k->out->max_in_system)
        k->out->max_in_system = in_system;
    mmc_kernel_generate(k);
}

MMC_HOT void on_depart(struct state *st, uint32_t w, bool record)
{
    mmc_kernel_depart(&st->k);
    if (st->line.q.n > 0)
        mmc_kernel_start_service(&st->k, mmc_fifo_pop(&st->line.q), w, record);
    else
        st->pool.idle[st->pool.n_idle++] = w;
}

/* ---- protection: a guarded run's arrivals and departures ---- */

/* A task that arrived at t_qa (service time u) reaches the queue now: capacity, then a worker,
 * then shedding. */
static void admit(struct state *st, double t_qa, double u, bool record)
{
    struct mmc_kernel *k = &st->k;
    struct mmc_pool *pl = &st->pool;
    if (st->line.n_waiting + busy(st) >= k->capacity) {
        mmc_kernel_reject(k, t_qa, &k->out->n_blocked);
        return;
    }
    if (pl->n_idle > 0)
        mmc_kernel_serve_task(k, t_qa, u, pl->idle[--pl->n_idle], record);
    else if (!mmc_line_join(&st->line, k, t_qa, u))
        return;
    mmc_kernel_note_peaks(k, waiting(st, true), busy(st));
}

/* An arrival of a guarded run: the token bucket first (if any), then the queue. */
static void on_arrive_guarded(struct state *st, bool record)
{
    double u;
    switch (mmc_kernel_arrive_guarded(&st->k, &u)) {
    case MMC_GATE_ADMIT:
        admit(st, st->k.now, u, record);
        break;
    case MMC_GATE_HELD:
        mmc_kernel_note_peaks(&st->k, waiting(st, true), busy(st));
        break;
    default:
        break;
    }
    mmc_kernel_generate(&st->k);
}

/* A held task gets its token: it reaches the queue, its wait counted from its arrival. */
static void on_admit(struct state *st, bool record)
{
    double u, t_qa = mmc_fifo_pop_task(&st->k.held, &u);
    admit(st, t_qa, u, record);
}

/* A departure of a guarded run: the next live task of the queue, if any. */
static void on_depart_guarded(struct state *st, uint32_t w, bool record)
{
    struct mmc_pool *pl = &st->pool;
    mmc_kernel_depart(&st->k);
    if (pl->n_retiring > 0) { /* a shift ended while this worker was busy */
        pl->n_retiring--;
        pl->off[pl->n_off++] = w;
        return;
    }
    double u, t_qa = mmc_line_pop_live(&st->line, &u);
    if (!isnan(t_qa))
        mmc_kernel_serve_task(&st->k, t_qa, u, w, record);
    else
        pl->idle[pl->n_idle++] = w;
}

/*
 * The worker count becomes target: added workers cancel pending retirements
 * first, then come off duty idle and take waiting tasks; removed ones are
 * idle ones first, then busy ones, which finish their task and leave.
 */
static void set_staff(struct state *st, uint64_t target, bool record)
{
    struct mmc_pool *pl = &st->pool;
    if (target >= pl->duty) {
        uint64_t add = target - pl->duty;
        uint64_t cancel = add < pl->n_retiring ? add : pl->n_retiring;
        pl->n_retiring -= cancel;
        for (add -= cancel; add > 0; add--)
            pl->idle[pl->n_idle++] = pl->off[--pl->n_off];
        while (pl->n_idle > 0) {
            double u, t_qa = mmc_line_pop_live(&st->line, &u);
            if (isnan(t_qa))
                break;
            mmc_kernel_serve_task(&st->k, t_qa, u, pl->idle[--pl->n_idle], record);
        }
    } else {
        uint64_t rm = pl->duty - target;
        for (; rm > 0 && pl->n_idle > 0; rm--)
            pl->off[pl->n_off++] = pl->idle[--pl->n_idle];
        pl->n_retiring += rm;
    }
    pl->duty = target;
}

static void on_staff(struct state *st, uint32_t i, bool record)
{
    set_staff(st, (uint64_t)st->k.p->staffing->c[i], record);
    st->pool.staff_next = (size_t)i + 1;
    mmc_pool_schedule_staffing(&st->pool, &st->k);
}

/* One event of a guarded run (arrivals, departures, admissions, abandonments, shifts). */
MMC_HOT void dispatch_guarded(struct state *st, const struct mmc_event *ev, bool record)
{
    switch (ev->kind) {
    case MMC_EV_DEPART:
        on_depart_guarded(st, ev->arg, record);
        break;
    case MMC_EV_ADMIT:
        on_admit(st, record);
        break;
    case MMC_EV_ABANDON: /* live: checked by the loop */
        mmc_line_abandon(&st->line, &st->k, mmc_line_abandon_slot(&st->line, ev->arg));
        break;
    case MMC_EV_STAFF:
        on_staff(st, ev->arg, record);
        break;
    case MMC_EV_ARRIVE_BATCH:
        mmc_kernel_snap_arrival(&st->k, st->k.batch_j);
        on_arrive_guarded(st, record);
        break;
    case MMC_EV_ARRIVE_FIRST_MEASURED:
        mmc_kernel_open_window(&st->k, waiting(st, true), busy(st));
        on_arrive_guarded(st, record);
        break;
    default:
        on_arrive_guarded(st, record);
        break;
    }
}

/* One event of a plain run. */
MMC_HOT void dispatch_plain(struct state *st, const struct mmc_event *ev, bool record)
{
    switch (ev->kind) {
    case MMC_EV_ARRIVE:
        on_arrive(st, record);
        break;
    case MMC_EV_DEPART:
        on_depart(st, ev->arg, record);
        break;
    case MMC_EV_ARRIVE_BATCH: /* a batch boundary: n_fine_batches - 1 times per run */
        mmc_kernel_snap_arrival(&st->k, st->k.batch_j);
        on_arrive(st, record);
        break;
    default: /* MMC_EV_ARRIVE_FIRST_MEASURED: once per run */
        mmc_kernel_open_window(&st->k, waiting(st, false), busy(st));
        on_arrive(st, record);
        break;
    }
}

MMC_HOT void loop_with(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    struct mmc_pool *pl = &st->pool;
    const double c = (double)k->p->c;
    uint64_t n_events = 0, violations = 0;
    struct mmc_event ev;
    while (mmc_kernel_next_event(k, &ev)) {
        /* a stale abandonment (its task has left) is no event: the clock stays */
        if (guard && ev.kind == MMC_EV_ABANDON && mmc_line_abandon_slot(&st->line, ev.arg) == NULL)
            continue;
        /* and a shift change after the last task has gone changes nothing */
        if (guard && ev.kind == MMC_EV_STAFF && !k->arrival_pending && !k->open &&
            st->line.q.n + k->held.n == 0 && pl->n_idle + pl->n_off == k->p->c)
            continue;
        mmc_kernel_advance(k, ev.t, (double)waiting(st, guard),
                           c - (double)(pl->n_idle + pl->n_off));
        if (guard)
            dispatch_guarded(st, &ev, record);
        else
            dispatch_plain(st, &ev, record);
        n_events++;
        violations += (guard ? st->line.n_waiting : st->line.q.n) > 0 && pl->n_idle > 0;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = violations;
}

static void loop(struct state *st)
{
    MMC_LOOP_SPECIALISED(loop_with, st, st->k.series != NULL, st->k.guard);
}

/*
 * Number in system drawn from the M/M/c stationary law: with probability C
 * (Erlang C) at least c, and then c + j with j geometric, P(j) = (1 - rho)
 * rho^j; otherwise n < c with P(n) proportional to a^n / n!, a Poisson(a)
 * truncated to n < c, drawn by rejection (P(Poisson(a) < c) > 1/e for a < c,
 * so fewer than three tries on average).
 */
static uint64_t stationary_count(const struct mmc_point *p, gsl_rng *r)
{
    struct mmc_erlang e;
    if (mmc_erlang_mmc(p->lambda, p->mu, p->c, p->d, &e) != 0 || !e.stable)
        return 0; /* experiment.c refuses stationary starts without a steady state */
    if (gsl_rng_uniform(r) < e.p_wait)
        return p->c + gsl_ran_geometric(r, 1.0 - e.rho) - 1;
    for (;;) {
        unsigned int n = gsl_ran_poisson(r, e.a);
        if (n < p->c)
            return n;
    }
}

static uint64_t initial_count(const struct mmc_point *p, uint64_t rep)
{
    if (p->initial.kind != MMC_INITIAL_STATIONARY)
        return mmc_point_backlog(p);
    gsl_rng *r = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_INITIAL);
    uint64_t n = stationary_count(p, r);
    gsl_rng_free(r);
    return n;
}

/* Place n tasks at time 0: into service while workers are idle, then into the queue. */
static void place_initial(struct state *st, uint64_t n)
{
    struct mmc_pool *pl = &st->pool;
    for (uint64_t i = 0; i < n; i++) {
        if (pl->n_idle > 0)
            mmc_kernel_start_service(&st->k, MMC_T_INITIAL, pl->idle[--pl->n_idle], false);
        else
            mmc_fifo_push_task(&st->line.q, MMC_T_INITIAL, NAN); /* a draw: no trace line */
    }
    if (st->k.guard) /* the backlog waits without patience, beyond capacity if it must */
        st->line.n_waiting = st->line.q.n;
    st->k.out->n_initial = n;
    st->k.out->n_arrived = n;
}

/* ---- priority classes ---- */

/*
 * With classes the queue is a priority line (sim/classes.h) and a worker
 * knows its task: class, queue arrival, whole and remaining service, when
 * its current stint began. A task's service time is drawn when it first
 * starts (as without classes, so one class reads the service stream in
 * model mmc's order). Its statistics are recorded when it completes.
 *
 * preemption: resume. An arriving task that finds every worker busy
 * interrupts the task of the lowest priority in service, if that is
 * strictly lower than its own; among several, the one that started last
 * (it has done least of the stint). The interrupted task goes back to the
 * head of its class's queue with what is left of its service; its departure
 * stays on the calendar, stale: each worker keeps the sequence number of its
 * live departure (wseq), and the loop drops any other without advancing the
 * clock. The workers serving each class form a list, most recent last.
 */
#define NIL UINT32_MAX

struct cworker {
    struct mmc_cls_work x;
    uint32_t prev, next;
};

struct cstate {
    struct mmc_kernel k;
    struct mmc_cls_run cls;
    struct mmc_pool pool;
    struct cworker *wk;
    uint64_t *wseq;
    uint32_t first[MMC_MAX_CLASSES], last[MMC_MAX_CLASSES]; /* workers serving each class */
    uint64_t n_busy;
};

/* Worker w's task leaves the class lists (with preemption, which reads them). */
MMC_HOT void unlink_worker(struct cstate *st, uint32_t w)
{
    struct cworker *x = &st->wk[w];
    if (x->prev != NIL)
        st->wk[x->prev].next = x->next;
    else
        st->first[x->x.cls] = x->next;
    if (x->next != NIL)
        st->wk[x->next].prev = x->prev;
    else
        st->last[x->x.cls] = x->prev;
}

/* Worker w starts (or resumes) task t of class i. */
MMC_HOT void cstart(struct cstate *st, uint32_t w, uint32_t i, struct mmc_cls_task t, bool preempt)
{
    struct mmc_kernel *k = &st->k;
    if (preempt) {
        if (st->last[i] != NIL)
            st->wk[st->last[i]].next = w;
        else
            st->first[i] = w;
        st->wseq[w] = k->heap.next_seq;
    }
    st->wk[w] = (struct cworker){mmc_cls_begin(&st->cls, k, w, i, t), st->last[i], NIL};
    if (preempt)
        st->last[i] = w;
    st->n_busy++;
}

/* The worker serving the task an arrival of class i interrupts, or NIL. */
static uint32_t victim(const struct cstate *st, uint32_t i)
{
    const struct mmc_cls_run *c = &st->cls;
    long prio = c->def->c[i].priority;
    for (size_t j = c->n; j-- > 0;) {
        uint32_t v = c->order[j];
        if (c->def->c[v].priority <= prio)
            return NIL;
        if (st->last[v] != NIL)
            return st->last[v];
    }
    return NIL;
}

static void cpreempt(struct cstate *st, uint32_t w)
{
    unlink_worker(st, w);
    st->n_busy--;
    mmc_cls_interrupt(&st->cls, &st->k, st->cls.q, w, &st->wk[w].x);
}

MMC_HOT void con_arrive(struct cstate *st, bool preempt)
{
    struct mmc_kernel *k = &st->k;
    uint32_t i = mmc_cls_draw(&st->cls), w;
    struct mmc_cls_task t = {k->now, k->now, 0.0, NAN, NAN};
    k->out->n_arrived++;
    st->cls.m[i].arrived++;
    if (st->pool.n_idle > 0) {
        cstart(st, st->pool.idle[--st->pool.n_idle], i, t, preempt);
    } else if (preempt && (w = victim(st, i)) != NIL) {
        cpreempt(st, w);
        cstart(st, w, i, t, true);
    } else {
        mmc_cls_enqueue(&st->cls, st->cls.q, k->now, i, t, false);
    }
    mmc_kernel_note_peaks(k, st->cls.n_waiting, st->n_busy);
    mmc_kernel_generate(k);
}

MMC_HOT void con_depart(struct cstate *st, uint32_t w, bool record, bool preempt)
{
    struct mmc_cls_work *x = &st->wk[w].x;
    mmc_kernel_depart(&st->k);
    mmc_cls_complete(&st->cls, &st->k, x->cls, x->t_qa, x->waited, x->svc, w, record);
    if (preempt)
        unlink_worker(st, w);
    mmc_cls_busy(&st->cls, st->k.now, x->cls, -1);
    st->n_busy--;
    int next = mmc_cls_next(&st->cls, st->cls.q);
    if (next < 0) {
        st->pool.idle[st->pool.n_idle++] = w;
        return;
    }
    cstart(st, w, (uint32_t)next, mmc_cls_dequeue(&st->cls, st->cls.q, st->k.now, (uint32_t)next),
           preempt);
}

MMC_HOT void cloop_with(struct cstate *st, bool record, bool preempt)
{
    struct mmc_kernel *k = &st->k;
    uint64_t n_events = 0, violations = 0;
    struct mmc_event ev;
    while (mmc_kernel_next_event(k, &ev)) {
        if (preempt && ev.kind == MMC_EV_DEPART && ev.seq != st->wseq[ev.arg])
            continue; /* an interrupted service's: no event */
        mmc_kernel_advance(k, ev.t, (double)st->cls.n_waiting, (double)st->n_busy);
        switch (ev.kind) {
        case MMC_EV_DEPART:
            con_depart(st, ev.arg, record, preempt);
            break;
        case MMC_EV_ARRIVE_FIRST_MEASURED:
            mmc_kernel_open_window(k, st->cls.n_waiting, st->n_busy);
            con_arrive(st, preempt);
            break;
        default:
            con_arrive(st, preempt);
            break;
        }
        n_events++;
        violations += st->cls.n_waiting > 0 && st->pool.n_idle > 0;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = violations;
}

/* A backlog of n tasks at time 0, each of a drawn class: into service, then into the line. */
static void cplace_initial(struct cstate *st, uint64_t n)
{
    for (uint64_t j = 0; j < n; j++) {
        uint32_t i = mmc_cls_draw(&st->cls);
        struct mmc_cls_task t = {MMC_T_INITIAL, MMC_T_INITIAL, 0.0, NAN, NAN};
        st->cls.m[i].arrived++;
        st->cls.m[i].initial++;
        if (st->pool.n_idle > 0)
            cstart(st, st->pool.idle[--st->pool.n_idle], i, t,
                   st->cls.def->preemption == MMC_PREEMPT_RESUME);
        else
            mmc_cls_enqueue(&st->cls, st->cls.q, st->k.now, i, t, false);
    }
    st->k.out->n_initial = n;
    st->k.out->n_arrived = n;
}

static void mmc_run_classes(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                            struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct cstate st;
    bool preempt = p->classes->preemption == MMC_PREEMPT_RESUME;
    mmc_kernel_init(&st.k, p, replication, out, hist, series, p->c + 2);
    mmc_cls_init(&st.cls, &st.k, replication);
    mmc_pool_init(&st.pool, &st.k);
    st.wk = mmc_xcalloc(p->c, sizeof *st.wk);
    st.wseq = mmc_xcalloc(p->c, sizeof *st.wseq);
    st.k.wseq = preempt ? st.wseq : NULL;
    st.n_busy = 0;
    for (size_t i = 0; i < MMC_MAX_CLASSES; i++)
        st.first[i] = st.last[i] = NIL;
    mmc_kernel_first_submission(&st.k);
    cplace_initial(&st, mmc_point_backlog(p));
    mmc_kernel_generate(&st.k);
    MMC_LOOP_SPECIALISED(cloop_with, &st, st.k.series != NULL, preempt);
    if (!out->cut_short)
        mmc_kernel_finish(&st.k, st.cls.n_waiting, st.n_busy);
    free(st.wseq);
    free(st.wk);
    mmc_pool_fini(&st.pool);
    mmc_cls_fini(&st.cls);
    mmc_kernel_fini(&st.k);
}

/* One pass over the sample path of (p, replication); series, if given, records sojourns. */
static void mmc_run(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                    struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct state st;
    if (p->classes != NULL && p->classes->n > 0) {
        mmc_run_classes(p, replication, out, hist, series);
        return;
    }
    mmc_kernel_init(&st.k, p, replication, out, hist, series, p->c + 2);
    mmc_line_init(&st.line, st.k.trace_svc != NULL);
    mmc_pool_init(&st.pool, &st.k);
    mmc_kernel_first_submission(&st.k);
    place_initial(&st, initial_count(p, replication));
    mmc_kernel_generate(&st.k);
    loop(&st);
    if (!out->cut_short)
        mmc_kernel_finish(&st.k, waiting(&st, st.k.guard), busy(&st));
    mmc_pool_fini(&st.pool);
    mmc_line_fini(&st.line);
    mmc_kernel_fini(&st.k);
}

/*
 * Beyond M/M/c. Utilization and throughput are exact for any stable G/G/c
 * (rho and lambda). With Poisson arrivals and one worker, Pollaczek-Khinchine
 * is exact for the means: Wq = rho (1 + cs^2) / (2 (1 - rho)) / mu, and
 * P(wait) = rho by PASTA. Otherwise the Allen-Cunneen approximation scales
 * the M/M/c wait by (ca^2 + cs^2) / 2 and, for Poisson arrivals only, keeps
 * the Erlang C probability of waiting: good for moderate variability, off by tens of percent for
 * very bursty input, so it is flagged approx and judged loosely. An infinite variance (Pareto with
 * alpha <= 2) leaves no finite mean wait to compare. No percentiles beyond M/M/c.
 */
static int general_closed_form(const struct mmc_point *p, const struct mmc_erlang *e,
                               struct mmc_analytic *out)
{
    double nan = NAN, ca2 = p->arrival->scv, cs2 = p->service->scv;
    *out = (struct mmc_analytic){
        .stable = e->stable,
        .rho = e->rho,
        .util = e->stable ? e->rho : nan,
        .throughput = e->throughput,
        .lq = nan,
        .l = nan,
        .wq = nan,
        .w = nan,
        .t = nan,
        .p_wait = nan,
        .p0 = nan,
        .p_wait_gt = nan,
        .form = e->stable ? "none (infinite variance)" : "none (no steady state)",
    };
    for (int k = 0; k < MMC_N_PCT; k++)
        out->wq_pct[k] = out->t_pct[k] = nan;
    if (!e->stable || !isfinite(ca2) || !isfinite(cs2))
        return 0;
    if (p->arrival->kind == MMC_DIST_EXPONENTIAL && p->c == 1) {
        out->form = "M/G/1 P-K";
        out->wq = e->rho * (1.0 + cs2) / (2.0 * (1.0 - e->rho)) / p->mu;
        out->p_wait = e->rho;
        out->p0 = 1.0 - e->rho;
    } else {
        out->form = "G/G/c Allen-Cunneen";
        out->approx = true;
        out->wq = e->wq * (ca2 + cs2) / 2.0;
        /* Erlang C is a fair guess of P(wait) only when arrivals are Poisson */
        if (p->arrival->kind == MMC_DIST_EXPONENTIAL)
            out->p_wait = e->p_wait;
    }
    out->lq = p->lambda * out->wq;
    out->w = out->wq + 1.0 / p->mu;
    out->l = p->lambda * out->w;
    out->t = mmc_point_transit(p) + out->w;
    return 0;
}

/* The loss fractions of a point without protection: not applicable. */
static void no_losses(struct mmc_analytic *out)
{
    out->p_block = out->p_shed = out->p_throttle = out->p_abandon = NAN;
}

/* The closed form's name: which parts of M/M/c/K+M the point has. */
static const char *loss_form(bool has_k, bool has_patience)
{
    if (has_k && has_patience)
        return "M/M/c/K+M";
    return has_k ? "M/M/c/K" : "Erlang A (M/M/c+M)";
}

/*
 * Capacity, shedding and exponential patience with Poisson arrivals and
 * exponential services: the birth-death law of M/M/c/K+M (erlang.h). A shed
 * threshold q acts as a capacity c + q (shedding the newest, or the oldest:
 * the number in system moves alike), and the smaller of the two limits is
 * the one that turns tasks away. Dropping the oldest changes who waits, not
 * how many: the served tasks' mean wait has no closed form then, and every
 * arrival joins, so P(wait) counts the arrivals that find K. A throttle or a
 * non-exponential patience has no closed form here.
 */
static int protected_closed_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    const struct mmc_protection *pr = p->protect;
    bool exp_patience = !pr->patience || pr->patience_dist.shape.kind == MMC_DIST_EXPONENTIAL;
    if (p->arrival->kind != MMC_DIST_EXPONENTIAL || p->service->kind != MMC_DIST_EXPONENTIAL ||
        pr->throttle || !exp_patience)
        return -1;
    unsigned long k = pr->capacity > 0 ? (unsigned long)pr->capacity : 0;
    bool shed_binds = false;
    if (pr->shed && (k == 0 || p->c + (unsigned long)pr->shed_threshold < k)) {
        k = p->c + (unsigned long)pr->shed_threshold;
        shed_binds = true;
    }
    struct mmc_erlang_loss e;
    if (mmc_erlang_loss(p->lambda, p->mu, p->c, k, pr->patience ? pr->patience_rate : 0.0, p->d,
                        &e) != 0)
        return -1;
    *out = (struct mmc_analytic){
        .stable = e.stable,
        .rho = e.rho,
        .util = e.util,
        .throughput = e.throughput,
        .lq = e.lq,
        .l = e.l,
        .wq = e.wq,
        .w = e.w,
        .t = e.t,
        .p_wait = e.p_wait,
        .p0 = e.p0,
        .p_wait_gt = NAN,
        .form = loss_form(k > 0, pr->patience),
        .p_block = pr->capacity > 0 ? (shed_binds ? 0.0 : e.p_block) : NAN,
        .p_shed = pr->shed ? (shed_binds ? e.p_block : 0.0) : NAN,
        .p_throttle = NAN,
        .p_abandon = pr->patience ? e.p_abandon : NAN,
    };
    for (int j = 0; j < MMC_N_PCT; j++)
        out->wq_pct[j] = out->t_pct[j] = NAN;
    if (shed_binds && pr->drop == MMC_DROP_OLDEST) {
        out->wq = out->w = out->t = NAN;
        out->p_wait = e.p_wait * (1.0 - e.p_block) + e.p_block;
    }
    return 0;
}

/*
 * Arrival processes beyond renewal. A time-varying rate, a trace or a
 * staffing schedule has no steady state (the per-interval table compares
 * with the pointwise-stationary Erlang C instead). MMPP and batch arrivals
 * are stationary: utilization and throughput are exact (rho, lambda); with
 * Poisson batch epochs and one worker the M^X/G/1 mean wait is exact too:
 * Wq = lambda E[S^2] / (2 (1 - rho)) + (E[B^2] - E[B]) / (2 E[B]) E[S] / (1 - rho),
 * lambda the task rate (the first term is P-K; the second the wait behind
 * the rest of one's own batch, served in random order within it).
 */
/*
 * The pointwise-stationary approximation: each interval between rate and
 * staffing breakpoints as if M/M/c had settled at its mean rate and its
 * worker count. It fails where the load changes faster than the queue
 * relaxes (about 1 / (c mu (1 - rho)^2)), and where an interval is
 * overloaded (rho >= 1: INFINITY here, while the simulated queue is finite).
 */
static int pointwise_stationary(const struct mmc_point *p, struct mmc_analytic *out)
{
    const struct mmc_process *pr = p->process;
    const struct mmc_staffing *sf = p->staffing;
    *out = (struct mmc_analytic){.stable = true, .rho = p->load, .form = "pointwise-stationary"};
    double nan = NAN;
    out->util = out->throughput = out->lq = out->l = out->wq = out->w = out->t = nan;
    out->p_wait = out->p0 = out->p_wait_gt = nan;
    no_losses(out);
    for (int j = 0; j < MMC_N_PCT; j++)
        out->wq_pct[j] = out->t_pct[j] = nan;
    for (size_t i = 0; i < p->n_intervals; i++) {
        double t0 = p->t_interval[i] - p->d, t1 = p->t_interval[i + 1] - p->d;
        if (t0 < 0)
            t0 = 0;
        double lam = p->lambda;
        if (pr->kind == MMC_PROCESS_SCHEDULE)
            lam = isfinite(t1) && t1 > t0 ? mmc_schedule_integral(&pr->schedule, t0, t1) / (t1 - t0)
                                          : mmc_schedule_at(&pr->schedule, t0);
        double c = (double)p->c;
        if (sf->n > 0)
            c = sf->c[mmc_schedule_segment(&(struct mmc_schedule){sf->n, sf->t, sf->c, false}, t0)];
        struct mmc_erlang e;
        out->interval_lambda[i] = lam;
        out->interval_c[i] = c;
        out->interval_wq[i] = lam <= 0 ? 0.0 : INFINITY;
        if (lam > 0 && mmc_erlang_mmc(lam, p->mu, (unsigned long)c, 0.0, &e) == 0 && e.stable)
            out->interval_wq[i] = e.wq;
    }
    return 0;
}

static int process_closed_form(const struct mmc_point *p, const struct mmc_erlang *e,
                               struct mmc_analytic *out)
{
    const struct mmc_process *pr = p->process;
    bool exp_service = p->service->kind == MMC_DIST_EXPONENTIAL;
    if (p->n_intervals > 0 && exp_service && !mmc_protection_is_on(p->protect) &&
        (pr->kind == MMC_PROCESS_SCHEDULE || pr->kind == MMC_PROCESS_RENEWAL) && !pr->batched &&
        p->arrival->kind == MMC_DIST_EXPONENTIAL)
        return pointwise_stationary(p, out);
    if (pr->kind == MMC_PROCESS_SCHEDULE || pr->kind == MMC_PROCESS_TRACE || p->staffing->n > 0 ||
        mmc_protection_is_on(p->protect))
        return -1;
    general_closed_form(p, e, out); /* util and throughput; the rest is replaced */
    no_losses(out);
    out->lq = out->l = out->wq = out->w = out->t = out->p_wait = out->p0 = NAN;
    out->approx = false;
    out->form = pr->kind == MMC_PROCESS_MMPP ? "MMPP: utilization, throughput"
                                             : "batches: utilization, throughput";
    bool poisson_epochs =
        pr->kind == MMC_PROCESS_RENEWAL && p->arrival->kind == MMC_DIST_EXPONENTIAL;
    if (!e->stable || !pr->batched || !poisson_epochs || p->c != 1 || !isfinite(p->service->scv))
        return 0;
    double b1 = mmc_batch_size_mean(&pr->batch), b2 = mmc_batch_size_second_moment(&pr->batch);
    double es = 1.0 / p->mu, es2 = (1.0 + p->service->scv) * es * es, rho = e->rho;
    out->form = "M^X/G/1";
    out->wq = p->lambda * es2 / (2.0 * (1.0 - rho)) + (b2 - b1) / (2.0 * b1) * es / (1.0 - rho);
    out->lq = p->lambda * out->wq;
    out->w = out->wq + es;
    out->l = p->lambda * out->w;
    out->t = mmc_point_transit(p) + out->w;
    out->p0 = 1.0 - rho;
    return 0;
}

static int mmc_closed_form(const struct mmc_point *held, struct mmc_analytic *out)
{
    struct mmc_point q;
    struct mmc_dist svc;
    const struct mmc_point *p = mmc_point_unhold(held, &q, &svc);
    struct mmc_erlang e;
    const struct mmc_process *pr = p->process;
    if (mmc_point_classes(held) > 0)
        return mmc_classes_form(held, 0, out);
    bool custom = pr->kind != MMC_PROCESS_RENEWAL || pr->batched || p->staffing->n > 0;
    if (mmc_protection_is_on(p->protect) && !custom)
        return protected_closed_form(p, out);
    if (mmc_erlang_mmc(p->lambda, p->mu, p->c, mmc_point_transit(p), &e) != 0)
        return -1;
    if (custom)
        return process_closed_form(p, &e, out);
    if (p->arrival->kind != MMC_DIST_EXPONENTIAL || p->service->kind != MMC_DIST_EXPONENTIAL) {
        int rc = general_closed_form(p, &e, out);
        no_losses(out);
        return rc;
    }
    *out = (struct mmc_analytic){
        .stable = e.stable,
        .rho = e.rho,
        .util = e.stable ? e.rho : NAN,
        .throughput = e.throughput,
        .lq = e.lq,
        .l = e.l,
        .wq = e.wq,
        .w = e.w,
        .t = e.t,
        .p_wait = e.p_wait,
        .p0 = e.p0,
        .p_wait_gt = NAN,
        .form = "M/M/c",
    };
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        out->wq_pct[k] = mmc_erlang_wait_quantile(&e, level[k]);
        out->t_pct[k] = mmc_point_transit(p) + mmc_erlang_sojourn_quantile(&e, level[k]);
    }
    if (!isnan(p->wait_threshold))
        out->p_wait_gt = mmc_erlang_wait_tail(&e, p->wait_threshold);
    no_losses(out);
    return 0;
}

/* Class k's row. */
static int mmc_class_form(const struct mmc_point *p, size_t k, struct mmc_analytic *out)
{
    return mmc_classes_form(p, k + 1, out);
}

const struct mmc_model mmc_model_mmc = {
    .name = "mmc",
    .title = "M/M/c: one FCFS queue, c identical workers",
    .work_conserving = true,
    .run = mmc_run,
    .closed_form = mmc_closed_form,
    .class_form = mmc_class_form,
};
