/*
 * scenario_print.c - a checked scenario back as canonical YAML.
 *
 * Every key is printed, defaults included, in schema order, so that equal
 * scenarios print alike and the output loads back to the same struct:
 * whole numbers as integers, others as the shortest text that reads back,
 * strings double-quoted with every character YAML might fold escaped.
 *
 * No state outside the arguments.
 */
#include "fmt.h"
#include "scenario_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Code points that YAML may not hold raw in a double-quoted scalar, or would fold. */
static bool needs_escape(uint32_t cp)
{
    return cp < 0x20 || cp == '"' || cp == '\\' || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static void put_escape(FILE *f, uint32_t cp)
{
    static const char from[] = "\"\\\n\t\r", to[] = "\"\\ntr";
    const char *p = cp != 0 && cp < 0x80 ? strchr(from, (int)cp) : NULL;
    if (p != NULL)
        fprintf(f, "\\%c", to[p - from]);
    else if (cp < 0x100)
        fprintf(f, "\\x%02X", (unsigned)cp);
    else
        fprintf(f, "\\u%04X", (unsigned)cp);
}

/* A double-quoted YAML string that reads back to exactly s. */
static void put_quoted(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p != '\0') {
        uint32_t cp = *p;
        size_t n = yt_utf8_char(p, &cp);
        if (n == 0) /* not text: cannot happen for loaded strings */
            n = 1;
        if (needs_escape(cp))
            put_escape(f, cp);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
    fputc('"', f);
}

/* Whole numbers print as integers ("100000", not "1e+05"); others as the shortest round-trip. */
static void put_number(FILE *f, double x)
{
    char buf[MMC_FMT_DOUBLE_MAX];
    if (x == floor(x) && fabs(x) <= TWO_POW_53)
        fprintf(f, "%.0f", x);
    else
        fputs(mmc_fmt_double(buf, sizeof buf, x), f);
}

static void put_axis(FILE *f, const struct mmc_axis *a)
{
    fputc('[', f);
    for (size_t i = 0; i < a->n; i++) {
        if (i > 0)
            fputs(", ", f);
        put_number(f, a->v[i]);
    }
    fputc(']', f);
}

/* A distribution as given: its name, the rate axis unless the shape fixes the mean, the shape;
 * the mapping is left open. */
static void put_dist_open(FILE *f, const char *key, const struct mmc_dist_spec *d,
                          const char *axis_key, const struct mmc_axis *a)
{
    fprintf(f, "%s: {dist: ", key);
    put_quoted(f, mmc_dist_kind_name(d->shape.kind));
    if (!d->fixed_mean) {
        fprintf(f, ", %s: ", axis_key);
        put_axis(f, a);
    }
    if (d->param == NULL)
        return;
    fprintf(f, ", %s: ", d->param);
    if (strcmp(d->param, "file") == 0) {
        put_quoted(f, d->file);
    } else if (strcmp(d->param, "probs") == 0) {
        struct mmc_axis p = {2, (double *)d->probs}, r = {2, (double *)d->rates};
        put_axis(f, &p);
        fputs(", rates: ", f);
        put_axis(f, &r);
    } else if (strcmp(d->param, "min") == 0) {
        put_number(f, d->min);
        fputs(", max: ", f);
        put_number(f, d->max);
    } else {
        put_number(f, d->value);
    }
}

static void put_dist(FILE *f, const char *key, const struct mmc_dist_spec *d, const char *axis_key,
                     const struct mmc_axis *a)
{
    put_dist_open(f, key, d, axis_key, a);
    fputs("}\n", f);
}

/* "tasks: N" or "time: X", the inside of a limit mapping. */
static void put_limit_body(FILE *f, const struct mmc_limit *l)
{
    fputs(l->kind == MMC_LIMIT_TIME ? "time: " : "tasks: ", f);
    put_number(f, l->kind == MMC_LIMIT_NONE ? 0 : l->value);
}

/* Nothing when sequential stopping is off; max_time only when it limits. */
static void put_precision(FILE *f, const struct mmc_precision *p)
{
    if (p->target <= 0)
        return;
    fputs(", precision: ", f);
    put_number(f, p->target);
    fputs(", confidence: ", f);
    put_number(f, p->confidence);
    fputs(", metric: ", f);
    put_quoted(f, p->metric);
    fprintf(f, ", max_replications: %lu", p->max_replications);
    if (p->max_time > 0) {
        fputs(", max_time: ", f);
        put_number(f, p->max_time);
    }
}

static void put_stop(FILE *f, const struct mmc_scenario *s)
{
    fputs("stop: {", f);
    put_limit_body(f, &s->stop);
    put_precision(f, &s->precision);
    fputs("}\n", f);
}

static void put_warmup(FILE *f, const struct mmc_limit *l)
{
    if (l->kind == MMC_LIMIT_AUTO || l->kind == MMC_LIMIT_NONE) {
        fprintf(f, "warmup: %s\n", l->kind == MMC_LIMIT_AUTO ? "auto" : "none");
        return;
    }
    fputs("warmup: {", f);
    put_limit_body(f, l);
    fputs("}\n", f);
}

static void put_initial(FILE *f, const struct mmc_initial *in)
{
    if (in->kind == MMC_INITIAL_IN_SYSTEM) {
        fputs("initial: {in_system: ", f);
        put_number(f, in->in_system);
        fputs("}\n", f);
        return;
    }
    fprintf(f, "initial: %s\n", in->kind == MMC_INITIAL_STATIONARY ? "stationary" : "empty");
}

static void put_string(FILE *f, const char *key, const char *s)
{
    fprintf(f, "%s: ", key);
    put_quoted(f, s ? s : "");
    fputc('\n', f);
}

/* How the runs are made and analysed; keys that only apply to a mode print only in it. */
static void put_method(FILE *f, const struct mmc_scenario *s)
{
    fprintf(f, "replications: %lu\n", s->replications);
    put_string(f, "method", scn_method_names[s->method]);
    if (s->method == MMC_METHOD_BATCH_MEANS)
        fprintf(f, "batches: %lu\n", s->batches);
    put_string(f, "compare", scn_compare_names[s->compare]);
    fprintf(f, "control_variates: %s\n", s->control_variates ? "true" : "false");
    if (!isnan(s->wait_threshold)) {
        fputs("wait_threshold: ", f);
        put_number(f, s->wait_threshold);
        fputc('\n', f);
    }
}

/* Overload protection: only the parts that are on, so unprotected scenarios print as before. */
static void put_protection(FILE *f, const struct mmc_protection *pr)
{
    if (pr->capacity > 0) {
        fputs("capacity: ", f);
        put_number(f, pr->capacity);
        fputc('\n', f);
    }
    if (pr->shed) {
        fputs("shed: {threshold: ", f);
        put_number(f, pr->shed_threshold);
        fprintf(f, ", drop: %s}\n", scn_drop_names[pr->drop]);
    }
    if (pr->throttle) {
        fputs("throttle: {rate: ", f);
        put_number(f, pr->throttle_rate);
        fputs(", burst: ", f);
        put_number(f, pr->throttle_burst);
        fprintf(f, ", excess: %s}\n", scn_excess_names[pr->excess]);
    }
    if (pr->patience) {
        struct mmc_axis rate = {1, (double *)&pr->patience_rate};
        put_dist(f, "patience", &pr->patience_dist, "rate", &rate);
    }
}

/* model: push's dispatcher: d and keys only with the policy that reads them (else refused). */
static void put_dispatch(FILE *f, const struct mmc_dispatch *d)
{
    fputs("dispatch: {policy: ", f);
    put_quoted(f, mmc_policy_name(d->policy));
    if (d->policy == MMC_POLICY_POWER_OF_D)
        fprintf(f, ", d: %lu", d->d);
    if (d->policy == MMC_POLICY_HASH)
        fprintf(f, ", keys: %lu", d->keys);
    fputs(", delay: ", f);
    put_number(f, d->delay);
    fputs("}\n", f);
}

/* model: pull's requests. */
static void put_pull(FILE *f, const struct mmc_pull *p)
{
    fputs("pull: {rtt: ", f);
    put_number(f, p->rtt);
    fputs(", poll_interval: ", f);
    put_number(f, p->poll_interval);
    fputs("}\n", f);
}

/* model: steal's deques and thieves. */
static void put_steal(FILE *f, const struct mmc_steal *st)
{
    fprintf(f, "steal: {arrive: %s, order: %s, victim: %s, amount: %s, cost: ",
            mmc_steal_arrive_name(st->arrive), mmc_steal_order_name(st->order),
            mmc_steal_victim_name(st->victim), mmc_steal_amount_name(st->amount));
    put_number(f, st->cost);
    fputs("}\n", f);
}

/* A flat list of n numbers. */
static void put_list(FILE *f, const double *v, size_t n)
{
    struct mmc_axis a = {n, (double *)v};
    put_axis(f, &a);
}

static void put_batch(FILE *f, const struct mmc_process *pr);

/* An arrival process that is not a plain renewal, as given. */
static void put_process(FILE *f, const struct mmc_scenario *s)
{
    const struct mmc_process *pr = &s->process;
    if (pr->kind == MMC_PROCESS_MMPP) {
        fputs("arrival: {dist: \"mmpp\", rates: ", f);
        put_list(f, pr->mmpp.rate, 2);
        fputs(", sojourns: ", f);
        put_list(f, pr->mmpp.sojourn, 2);
        if (!s->arrival_dist.fixed_mean) {
            fprintf(f, ", %s: ", s->arrival_is_load ? "load" : "rate");
            put_axis(f, &s->arrival);
        }
    } else if (pr->kind == MMC_PROCESS_SCHEDULE) {
        fputs("arrival: {schedule: {times: ", f);
        put_list(f, pr->schedule.t, pr->schedule.n);
        fputs(", rates: ", f);
        put_list(f, pr->schedule.v, pr->schedule.n);
        fprintf(f, ", interpolate: %s}", pr->schedule.linear ? "linear" : "step");
    } else if (pr->kind == MMC_PROCESS_TRACE) {
        fputs("arrival: {trace: ", f);
        put_quoted(f, pr->trace_file);
        fputs(", scale: ", f);
        put_number(f, pr->trace_scale);
        fputs("}\n", f);
        return;
    }
    put_batch(f, pr);
    fputs("}\n", f);
}

/* ", batch: {...}" when tasks come in batches. */
static void put_batch(FILE *f, const struct mmc_process *pr)
{
    if (pr->batched && pr->batch.kind == MMC_BATCH_TABLE) {
        fputs(", batch: {sizes: ", f);
        put_list(f, pr->batch.size, pr->batch.n);
        fputs(", probs: ", f);
        put_list(f, pr->batch_probs, pr->batch.n);
        fputs("}", f);
    } else if (pr->batched) {
        fprintf(f, ", batch: {%s: ", pr->batch_param);
        put_number(f, pr->batch_value);
        fputs("}", f);
    }
}

/* The arrival line: a renewal distribution (with its batches) or a process. */
static void put_arrival(FILE *f, const struct mmc_scenario *s)
{
    const struct mmc_process *pr = &s->process;
    if (pr->kind != MMC_PROCESS_RENEWAL) {
        put_process(f, s);
        return;
    }
    put_dist_open(f, "arrival", &s->arrival_dist, s->arrival_is_load ? "load" : "rate",
                  &s->arrival);
    put_batch(f, pr);
    fputs("}\n", f);
}

/* Priority classes, each with its resolved share (classes given by rates print as shares of the
 * arrival rate, which the arrival line gives): only with classes, so other scenarios print as
 * before. */
static void put_classes(FILE *f, const struct mmc_classes *cl)
{
    if (cl->n == 0)
        return;
    fputs("classes:\n", f);
    for (size_t i = 0; i < cl->n; i++) {
        const struct mmc_task_class *k = &cl->c[i];
        fputs("  - {name: ", f);
        put_quoted(f, k->name);
        fputs(", share: ", f);
        put_number(f, k->share);
        fprintf(f, ", priority: %ld", k->priority);
        if (k->has_service) {
            struct mmc_axis a = {1, (double *)&k->service_rate};
            fputs(", ", f);
            put_dist_open(f, "service", &k->service_dist, "rate", &a);
            fputc('}', f);
        }
        fputs("}\n", f);
    }
    fputs("preemption: ", f);
    put_quoted(f, cl->preemption == MMC_PREEMPT_RESUME ? "resume" : "none");
    fputc('\n', f);
}

/* {cpu: X, mem_mb: Y, ...}: the resources that are not 0. */
static void put_resources(FILE *f, const double v[MMC_PLACE_RESOURCES])
{
    const char *sep = "";
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        if (v[r] <= 0.0)
            continue;
        fprintf(f, "%s%s: ", sep, mmc_place_resource_name(r));
        put_number(f, v[r]);
        sep = ", ";
    }
}

/* A scheduler time: mean 0 is no time at all, whatever the law. */
static void put_time(FILE *f, const char *key, const struct mmc_dist_spec *d, double mean)
{
    if (mean == 0.0) {
        fprintf(f, "%s: {dist: \"deterministic\", mean: 0}", key);
        return;
    }
    struct mmc_axis a = {1, &mean};
    put_dist_open(f, key, d, "mean", &a);
    fputc('}', f);
}

/* request: fixed, a mix ([{..., share}, ...]) or a law per resource. */
static void put_request(FILE *f, const struct mmc_place *pl)
{
    if (pl->n_sizes > 0) {
        fputs("request: [", f);
        for (size_t i = 0; i < pl->n_sizes; i++) {
            fputs(i ? ", {" : "{", f);
            put_resources(f, pl->size[i].req);
            fputs(", share: ", f);
            put_number(f, pl->size[i].share);
            fputc('}', f);
        }
        fputc(']', f);
        return;
    }
    fputs("request: {", f);
    const char *sep = "";
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        if (pl->request[r] == 0.0)
            continue;
        fputs(sep, f);
        sep = ", ";
        if (!pl->law[r]) {
            fprintf(f, "%s: ", mmc_place_resource_name(r));
            put_number(f, pl->request[r]);
            continue;
        }
        struct mmc_axis a = {1, (double *)&pl->request[r]};
        put_dist_open(f, mmc_place_resource_name(r), &pl->demand[r], "mean", &a);
        fputc('}', f);
    }
    fputc('}', f);
}

/* model: place's cluster, request, scheduler and placement. */
static void put_place(FILE *f, const struct mmc_place *pl)
{
    if (pl->pools) {
        fputs("worker_pools:\n", f);
        for (size_t i = 0; i < pl->n_pools; i++) {
            fprintf(f, "  - {count: %lu, ", pl->pool[i].count);
            put_resources(f, pl->pool[i].cap);
            fputs("}\n", f);
        }
    } else {
        fputs("worker_capacity: {", f);
        put_resources(f, pl->pool[0].cap);
        fputs("}\n", f);
    }
    put_request(f, pl);
    fprintf(f, "\nscheduler: {threads: %lu, ", pl->threads);
    put_time(f, "decision", &pl->decision, pl->decision_mean);
    fprintf(f, ", concurrency: %s, ", scn_concurrency_names[pl->concurrency]);
    put_time(f, "backoff", &pl->backoff, pl->backoff_mean);
    fprintf(f, ", max_retries: %lu, on_full: %s}\n", pl->max_retries,
            scn_on_full_names[pl->on_full]);
    fprintf(f, "placement: {policy: %s, fallback: %s}\n", mmc_place_policy_name(pl->policy),
            mmc_place_policy_name(pl->fallback));
}

int mmc_scenario_print(const struct mmc_scenario *s, FILE *f)
{
    put_string(f, "name", s->name);
    if (s->n_variants > 0) { /* a comment: the printed text loads as this variant alone */
        fputs("# variant: ", f);
        put_quoted(f, s->variant);
        fputc('\n', f);
    }
    put_string(f, "description", s->description);
    put_string(f, "model", s->model);
    if (strcmp(s->model, "push") == 0) /* only there: other scenarios print as before */
        put_dispatch(f, &s->dispatch);
    if (strcmp(s->model, "pull") == 0)
        put_pull(f, &s->pull);
    if (strcmp(s->model, "steal") == 0)
        put_steal(f, &s->steal);
    if (strcmp(s->model, "place") == 0)
        put_place(f, &s->place);
    put_classes(f, &s->classes);
    put_arrival(f, s);
    if (s->process.trace_service)
        fputs("service: {dist: \"trace\"}\n", f);
    else if (s->place.forever)
        fputs("service: {dist: \"forever\"}\n", f);
    else
        put_dist(f, "service", &s->service_dist, "rate", &s->service);
    if (s->staffing.n == 0) { /* a staffing schedule sets the workers (printed below) */
        fputs("workers: ", f);
        put_axis(f, &s->workers);
        fputc('\n', f);
    }
    fputs(s->delay_held ? "network_delay: {value: " : "network_delay: ", f);
    put_axis(f, &s->network_delay);
    fputs(s->delay_held ? ", where: \"held\"}\nmem_per_task: " : "\nmem_per_task: ", f);
    put_number(f, s->mem_per_task);
    fputc('\n', f);
    put_stop(f, s);
    put_warmup(f, &s->warmup);
    put_initial(f, &s->initial);
    put_method(f, s);
    put_protection(f, &s->protect);
    if (s->staffing.n > 0) {
        fputs("staffing: {times: ", f);
        put_list(f, s->staffing.t, s->staffing.n);
        fputs(", workers: ", f);
        put_list(f, s->staffing.c, s->staffing.n);
        fputs("}\n", f);
    }
    fprintf(f, "seed: %" PRIu64 "\n", s->seed);
    put_string(f, "rng", s->rng);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
