/*
 * scenario.c - scenario files (YAML) and --set overrides into a checked
 * struct mmc_scenario: the schema tables, the checks, and loading.
 *
 * Three passes, so that every message points at the text that caused it:
 *
 *  1. read: the text becomes a tree of nodes that keep their origins
 *     (yaml_tree.c); anchors, aliases and tags are refused there.
 *  2. graft: each override "KEY=VALUE" is read by the same code and
 *     replaces the node at KEY; then the chosen variant, if any, is merged
 *     into the base (scenario_merge.c).
 *  3. check: the tree is walked in schema order into the struct (here, with
 *     the field and value readers of scenario_field.c); defaults fill what
 *     is absent. Keys that cannot go together are checked last, and
 *     reported at the one read last (read_after). When a variant's load
 *     fails, the base is checked alone: an error it does not share names
 *     the variant.
 *
 * Printing the checked struct back as YAML is scenario_print.c.
 *
 * Invariants: the tree is owned by one load call and freed before it
 * returns; node origins borrow the file name, which the caller keeps alive
 * for that long. The checker reports the first bad key of a mapping
 * (unknown or repeated) before reading any value from it, so the lookups
 * that follow see each known key at most once.
 *
 * Nothing here is mutable static state: every table is const and all work
 * happens on the caller's structs, so loads may run in parallel.
 */
#include "scenario.h"

#include "fmt.h"
#include "scenario_internal.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Scenario files are a few hundred bytes; refuse to slurp a device. */
#define MAX_FILE_BYTES ((size_t)4 << 20)

/* ---- schema tables ---- */

const char *const scn_top_keys[] = {
    "name",
    "description",
    "model",
    "dispatch",
    "pull",
    "steal",
    "worker_capacity",
    "worker_pools",
    "request",
    "scheduler",
    "placement",
    "classes",
    "preemption",
    "arrival",
    "service",
    "workers",
    "network_delay",
    "mem_per_task",
    "stop",
    "warmup",
    "initial",
    "replications",
    "method",
    "batches",
    "compare",
    "control_variates",
    "wait_threshold",
    "capacity",
    "shed",
    "throttle",
    "patience",
    "staffing",
    "variants",
    "seed",
    "rng",
    NULL,
};
static const char *const arrival_keys[] = {
    "dist", "rate", "load", "mean",  "scv",      "k",        "shape", "probs", "rates",
    "min",  "max",  "file", "batch", "sojourns", "schedule", "trace", "scale", NULL};
/* The arrival keys each process reads (batch: every process but a trace). */
static const char *const mmpp_keys[] = {"dist", "rates", "sojourns", "rate",
                                        "load", "mean",  "batch",    NULL};
static const char *const schedule_only_keys[] = {"schedule", "batch", NULL};
static const char *const trace_only_keys[] = {"trace", "scale", NULL};
static const char *const trace_service_keys[] = {"dist", NULL};
static const char *const process_keys[] = {"sojourns", "schedule", "trace", "scale", NULL};
static const char *const batch_keys[] = {"size", "mean", "sizes", "probs", NULL};
static const char *const sched_keys[] = {"times", "rates", "interpolate", NULL};
static const char *const staffing_keys[] = {"times", "workers", NULL};
static const char *const interpolate_names[] = {"step", "linear", NULL};
static const char *const service_keys[] = {"dist",  "rate",  "mean", "scv", "k",    "shape",
                                           "probs", "rates", "min",  "max", "file", NULL};
static const char *const limit_keys[] = {"tasks", "time", NULL};
static const char *const stop_keys[] = {
    "tasks", "time", "precision", "confidence", "metric", "max_replications", "max_time", NULL,
};
/* The stop keys that refine stop.precision and mean nothing without it. */
static const char *const precision_keys[] = {"confidence", "metric", "max_replications", "max_time",
                                             NULL};
static const char *const initial_keys[] = {"in_system", NULL};
static const char *const delay_keys[] = {"value", "where", NULL};
/* Where the network delay lives: crossed before the queue, or held by the worker. */
static const char *const where_names[] = {"transit", "held", NULL};
static const char *const shed_keys[] = {"threshold", "drop", NULL};
static const char *const throttle_keys[] = {"rate", "burst", "excess", NULL};
static const char *const patience_keys[] = {"dist",  "rate",  "mean", "scv", "k",    "shape",
                                            "probs", "rates", "min",  "max", "file", NULL};
static const char *const dispatch_keys[] = {"policy", "d", "keys", "delay", NULL};
static const char *const pull_keys[] = {"rtt", "poll_interval", NULL};
static const char *const class_keys[] = {"name", "share", "rate", "priority", "service", NULL};
static const char *const preemption_names[] = {"none", "resume", NULL};
static const char *const steal_keys[] = {"arrive", "order", "victim", "amount", "cost", NULL};
/* Model place: the resources (indexed as MMC_PLACE_RESOURCES), a pool, the scheduler. */
static const char *const resource_keys[] = {"cpu", "mem_mb", "gpu", NULL};
static const char *const pool_keys[] = {"count", "cpu", "mem_mb", "gpu", NULL};
static const char *const scheduler_keys[] = {"threads",     "decision", "concurrency", "backoff",
                                             "max_retries", "on_full",  NULL};
static const char *const placement_keys[] = {"policy", "fallback", NULL};
/* The top-level keys whose value is a mapping, and its keys. */
const struct sub_level scn_sub_levels[SUB_LEVEL_COUNT] = {
    {"arrival", arrival_keys},     {"service", service_keys},
    {"stop", stop_keys},           {"warmup", limit_keys},
    {"initial", initial_keys},     {"shed", shed_keys},
    {"throttle", throttle_keys},   {"patience", patience_keys},
    {"staffing", staffing_keys},   {"dispatch", dispatch_keys},
    {"pull", pull_keys},           {"steal", steal_keys},
    {"network_delay", delay_keys}, {"worker_capacity", resource_keys},
    {"request", resource_keys},    {"scheduler", scheduler_keys},
    {"placement", placement_keys},
};

/* Pairs of keys that exclude each other; an override of one drops the other. */
const struct choice scn_choices[CHOICE_COUNT] = {
    [CHOICE_ARRIVAL] = {"arrival", "rate", "load", "a rate or a load"},
    [CHOICE_ARRIVAL_MEAN] = {"arrival", "rate", "mean", "a rate or a mean"},
    [CHOICE_LOAD_MEAN] = {"arrival", "load", "mean", "a load or a mean"},
    [CHOICE_SERVICE_MEAN] = {"service", "rate", "mean", "a rate or a mean"},
    [CHOICE_PATIENCE_MEAN] = {"patience", "rate", "mean", "a rate or a mean"},
    [CHOICE_STOP] = {"stop", "tasks", "time", "tasks or time"},
    [CHOICE_WARMUP] = {"warmup", "tasks", "time", "tasks or time"},
};

/* Models the simulator knows; add a name here when a model is added. */
static const char *const model_names[] = {"mmc", "push", "pull", "steal", "place", NULL};

/* Indexed by enum mmc_place_policy, mmc_place_concurrency and mmc_place_on_full. */
static const char *const place_policy_names[] = {[MMC_PLACE_FIRST_FIT] = "first_fit",
                                                 [MMC_PLACE_BEST_FIT] = "best_fit",
                                                 [MMC_PLACE_LEAST_LOADED] = "least_loaded",
                                                 [MMC_PLACE_POWER_OF_TWO] = "power_of_two",
                                                 [MMC_PLACE_RANDOM] = "random",
                                                 [MMC_PLACE_HASH] = "hash",
                                                 NULL};
const char *const scn_concurrency_names[] = {
    [MMC_PLACE_OPTIMISTIC] = "optimistic", [MMC_PLACE_LOCKED] = "locked", NULL};
const char *const scn_on_full_names[] = {
    [MMC_PLACE_WAIT] = "wait", [MMC_PLACE_REJECT] = "reject", NULL};

/* Indexed by enum mmc_policy. */
static const char *const policy_names[] = {
    [MMC_POLICY_ROUND_ROBIN] = "round_robin",
    [MMC_POLICY_RANDOM] = "random",
    [MMC_POLICY_JSQ] = "jsq",
    [MMC_POLICY_POWER_OF_D] = "power_of_d",
    [MMC_POLICY_LEAST_WORK] = "least_work",
    [MMC_POLICY_HASH] = "hash",
    NULL,
};

/* Indexed by enum mmc_steal_arrive, mmc_steal_order, mmc_steal_victim and mmc_steal_amount. */
const char *const scn_steal_arrive_names[] = {
    [MMC_STEAL_ARRIVE_RANDOM] = "random", [MMC_STEAL_ARRIVE_ROUND_ROBIN] = "round_robin", NULL};
const char *const scn_steal_order_names[] = {
    [MMC_STEAL_ORDER_LIFO] = "lifo", [MMC_STEAL_ORDER_FIFO] = "fifo", NULL};
const char *const scn_steal_victim_names[] = {[MMC_STEAL_VICTIM_RANDOM] = "random",
                                              [MMC_STEAL_VICTIM_MOST_LOADED] = "most_loaded",
                                              [MMC_STEAL_VICTIM_NONE] = "none",
                                              NULL};
const char *const scn_steal_amount_names[] = {
    [MMC_STEAL_AMOUNT_ONE] = "one", [MMC_STEAL_AMOUNT_HALF] = "half", NULL};

/* Indexed by enum mmc_method and enum mmc_compare_kind. */
const char *const scn_method_names[] = {
    [MMC_METHOD_REPLICATIONS] = "replications", [MMC_METHOD_BATCH_MEANS] = "batch-means", NULL};
const char *const scn_drop_names[] = {
    [MMC_DROP_NEWEST] = "newest", [MMC_DROP_OLDEST] = "oldest", NULL};
const char *const scn_excess_names[] = {
    [MMC_EXCESS_REJECT] = "reject", [MMC_EXCESS_DELAY] = "delay", NULL};
const char *const scn_compare_names[] = {[MMC_COMPARE_NONE] = "none",
                                         [MMC_COMPARE_ADJACENT] = "adjacent",
                                         [MMC_COMPARE_BASELINE] = "baseline",
                                         NULL};

/* What stop.metric may name: the estimators the report computes. */
static const char *const metric_names[] = {"utilization", "throughput", "Lq",     "L", "Wq",
                                           "W",           "T",          "P_wait", NULL};

/* ---- pass 3: checking the tree into the struct ---- */

static const struct rule positive = {
    .type = "a number",
    .low = "a finite number > 0",
    .high = "a finite number > 0",
    .min = 0,
    .max = DBL_MAX,
    .above_min = true,
};
static const struct rule nonnegative = {
    .type = "a number",
    .low = "a finite number >= 0",
    .high = "a finite number >= 0",
    .min = 0,
    .max = DBL_MAX,
};
static const struct rule workers_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 10000000",
    .min = 1,
    .max = 1e7,
    .whole = true,
};
static const struct rule stop_tasks = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 9007199254740992",
    .min = 1,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule stop_bare = {
    .type = "a whole number or a mapping",
    .low = "a whole number >= 1",
    .high = "a whole number <= 9007199254740992",
    .min = 1,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule warmup_tasks = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 9007199254740992",
    .min = 0,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule warmup_bare = {
    .type = "auto, none, a whole number or a mapping",
    .low = "a whole number >= 0",
    .high = "a whole number <= 9007199254740992",
    .min = 0,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule replications_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 1000000",
    .min = 1,
    .max = 1e6,
    .whole = true,
};
static const struct rule in_system_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 10000000",
    .min = 0,
    .max = 1e7,
    .whole = true,
};
static const struct rule capacity_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 1000000000",
    .min = 1,
    .max = 1e9,
    .whole = true,
};
static const struct rule threshold_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 1000000000",
    .min = 0,
    .max = 1e9,
    .whole = true,
};
static const struct rule burst_rule = {
    .type = "a number",
    .low = "a finite number >= 1",
    .high = "a number <= 1000000000",
    .min = 1,
    .max = 1e9,
};
/* A relative precision or a confidence level: strictly between 0 and 1. */
static const struct rule fraction = {
    .type = "a number",
    .low = "a finite number > 0 and < 1",
    .high = "a finite number > 0 and < 1",
    .min = 0,
    .max = 1,
    .above_min = true,
    .below_max = true,
};
static const struct rule batches_rule = {
    .type = "a whole number",
    .low = "a whole number >= 10",
    .high = "a whole number <= 1000",
    .min = 10,
    .max = 1000,
    .whole = true,
};
/* dispatch.keys: how many distinct keys hash: spreads over the workers. */
static const struct rule keys_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 1000000000",
    .min = 1,
    .max = 1e9,
    .whole = true,
};
/* max: the largest double below 2^64, so that the conversion to uint64_t is defined */
static const struct rule seed_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 18446744073709551615",
    .min = 0,
    .max = 0x1.fffffffffffffp63,
    .whole = true,
};

/* Everything a top-level check needs. */
struct check {
    const struct node *root;
    const char *file; /* where the scenario came from: the default name */
    struct mmc_scenario *s;
    struct mmc_error *err;
};

typedef int check_fn(const struct check *c);

static struct field top(const struct check *c, const char *key)
{
    return scn_field_in(c->root, "", key);
}

/*
 * Reading order, for a combination of keys that cannot run: it is reported
 * at the key read last of those that make it impossible, in file order,
 * then each override in turn (its nodes say "--set:N:col"). Values are
 * compared, not keys: an override replaces the value and leaves the file's
 * key in place.
 */
static bool is_override(const struct node *nd)
{
    return strcmp(nd->at.file, SCN_OVERRIDE_FILE) == 0;
}

/* Was a's value read after b's? An absent value (NULL) is read before anything. */
static bool read_after(const struct field *a, const struct field *b)
{
    if (a->v == NULL || b->v == NULL)
        return b->v == NULL && a->v != NULL;
    if (is_override(a->v) != is_override(b->v))
        return is_override(a->v);
    if (a->v->at.line != b->v->at.line)
        return a->v->at.line > b->v->at.line;
    return a->v->at.col > b->v->at.col;
}

static bool is_utf8(const char *s)
{
    uint32_t cp;
    for (size_t n; *s != '\0'; s += n)
        if ((n = yt_utf8_char((const unsigned char *)s, &cp)) == 0)
            return false;
    return true;
}

/*
 * The file's base name without its extension ("runs/mm1.yaml" -> "mm1").
 * It must fit and be text that YAML can hold, or printing would not round-trip.
 */
static int default_name(const struct check *c)
{
    const char *base = strrchr(c->file, '/');
    base = base ? base + 1 : c->file;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    struct origin at = {c->file, 0, 0};
    if (n >= sizeof c->s->name)
        return yt_fail(c->err, at, "name: the file name is longer than %zu bytes; set name",
                       sizeof c->s->name - 1);
    memcpy(c->s->name, base, n);
    c->s->name[n] = '\0';
    if (!is_utf8(c->s->name))
        return yt_fail(c->err, at, "name: the file name is not UTF-8 text; set name");
    return 0;
}

static int check_name(const struct check *c)
{
    struct field f = top(c, "name");
    const char *text = "";
    if (f.v == NULL)
        return default_name(c);
    if (scn_string(&f, &text, c->err) < 0)
        return -1;
    if (strlen(text) >= sizeof c->s->name)
        return scn_bad(&f, "a name of at most 127 bytes", c->err);
    memcpy(c->s->name, text, strlen(text) + 1);
    return 0;
}

static int check_description(const struct check *c)
{
    struct field f = top(c, "description");
    const char *text = "";
    if (f.v != NULL && scn_string(&f, &text, c->err) < 0)
        return -1;
    c->s->description = mmc_xstrdup(text);
    return 0;
}

static int check_model(const struct check *c)
{
    struct field f = top(c, "model");
    const char *name = "";
    if (f.v == NULL)
        return scn_missing(&f, c->err);
    if (scn_string(&f, &name, c->err) < 0)
        return -1;
    if (yt_find_name(model_names, name, strlen(name)) == NULL)
        return scn_unknown_value(&f, "model", model_names, c->err);
    snprintf(c->s->model, sizeof c->s->model, "%s", name);
    return 0;
}

/* A key of the dispatch block that only policy p reads is given only with p. */
static int policy_key(const struct check *c, const struct field *f, const char *key,
                      enum mmc_policy p)
{
    struct field k = scn_field_in(f->v, f->path, key);
    if (k.v == NULL || c->s->dispatch.policy == p)
        return 0;
    return yt_fail(c->err, k.key->at, "%s: only meaningful with dispatch.policy: %s", k.path,
                   policy_names[p]);
}

/* dispatch: {policy, d (power_of_d), keys (hash), delay}. Whether the model dispatches at all,
 * and d against the workers, are checked with the other combinations. */
static int check_dispatch(const struct check *c)
{
    struct field f = top(c, "dispatch");
    struct mmc_dispatch *dp = &c->s->dispatch;
    double d = (double)dp->d, keys = (double)dp->keys;
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, dispatch_keys, c->err) < 0)
        return -1;
    struct field pol = scn_field_in(f.v, f.path, "policy");
    if (pol.v != NULL && scn_name_index(&pol, "policy", policy_names, &i, c->err) < 0)
        return -1;
    dp->policy = (enum mmc_policy)i;
    if (policy_key(c, &f, "d", MMC_POLICY_POWER_OF_D) < 0 ||
        policy_key(c, &f, "keys", MMC_POLICY_HASH) < 0 ||
        scn_opt_number(&f, "d", &workers_rule, &d, c->err) < 0 ||
        scn_opt_number(&f, "keys", &keys_rule, &keys, c->err) < 0 ||
        scn_opt_number(&f, "delay", &nonnegative, &dp->delay, c->err) < 0)
        return -1;
    dp->d = (unsigned long)d;
    dp->keys = (unsigned long)keys;
    return 0;
}

/* pull: {rtt, poll_interval}. */
static int check_pull(const struct check *c)
{
    struct field f = top(c, "pull");
    struct mmc_pull *pl = &c->s->pull;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, pull_keys, c->err) < 0 ||
        scn_opt_number(&f, "rtt", &nonnegative, &pl->rtt, c->err) < 0 ||
        scn_opt_number(&f, "poll_interval", &nonnegative, &pl->poll_interval, c->err) < 0)
        return -1;
    return 0;
}

/* One named choice of the steal block, when given: its index among names into *out. */
static int steal_choice(const struct check *c, const struct field *f, const char *key,
                        const char *const *names, int *out)
{
    struct field k = scn_field_in(f->v, f->path, key);
    size_t i = 0;
    if (k.v == NULL)
        return 0;
    if (scn_name_index(&k, key, names, &i, c->err) < 0)
        return -1;
    *out = (int)i;
    return 0;
}

/* steal: {arrive, order, victim, amount, cost}. Whether the model steals at all, and
 * most_loaded against the workers, are checked with the other combinations. */
static int check_steal(const struct check *c)
{
    struct field f = top(c, "steal");
    struct mmc_steal *st = &c->s->steal;
    int arrive = (int)st->arrive, order = (int)st->order, victim = (int)st->victim;
    int amount = (int)st->amount;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, steal_keys, c->err) < 0 ||
        steal_choice(c, &f, "arrive", scn_steal_arrive_names, &arrive) < 0 ||
        steal_choice(c, &f, "order", scn_steal_order_names, &order) < 0 ||
        steal_choice(c, &f, "victim", scn_steal_victim_names, &victim) < 0 ||
        steal_choice(c, &f, "amount", scn_steal_amount_names, &amount) < 0 ||
        scn_opt_number(&f, "cost", &nonnegative, &st->cost, c->err) < 0)
        return -1;
    st->arrive = (enum mmc_steal_arrive)arrive;
    st->order = (enum mmc_steal_order)order;
    st->victim = (enum mmc_steal_victim)victim;
    st->amount = (enum mmc_steal_amount)amount;
    return 0;
}

/* The blocks of the models beyond mmc (dispatch: push's, pull: pull's, steal: steal's);
 * whether the model reads them is checked with the other combinations. */
static int check_model_blocks(const struct check *c)
{
    if (check_dispatch(c) < 0 || check_pull(c) < 0)
        return -1;
    return check_steal(c);
}

/* ---- distributions ---- */

/* Which shape keys a distribution takes: alternatives, each one key or a pair. */
static const struct {
    const char *keys[3][2]; /* up to three alternatives of one or two keys */
    bool needs;             /* one alternative is required */
} shape_keys[MMC_DIST_COUNT] = {
    [MMC_DIST_EXPONENTIAL] = {{{NULL}}, false},
    [MMC_DIST_DETERMINISTIC] = {{{NULL}}, false},
    [MMC_DIST_UNIFORM] = {{{"scv", NULL}, {"min", "max"}}, true},
    [MMC_DIST_ERLANG] = {{{"k", NULL}}, true},
    [MMC_DIST_GAMMA] = {{{"scv", NULL}, {"shape", NULL}}, true},
    [MMC_DIST_LOGNORMAL] = {{{"scv", NULL}}, true},
    [MMC_DIST_WEIBULL] = {{{"scv", NULL}, {"shape", NULL}}, true},
    [MMC_DIST_PARETO] = {{{"scv", NULL}, {"shape", NULL}}, true},
    [MMC_DIST_HYPEREXPONENTIAL] = {{{"scv", NULL}, {"probs", "rates"}}, true},
    [MMC_DIST_EMPIRICAL] = {{{"file", NULL}}, true},
};

/* The keys that give a shape, whatever the distribution. */
static const char *const all_shape_keys[] = {"scv", "k",   "shape", "probs", "rates",
                                             "min", "max", "file",  NULL};

static const struct rule shape_number = {
    .type = "a number",
    .low = "a finite number",
    .high = "a finite number",
    .min = -DBL_MAX,
    .max = DBL_MAX,
};

/* A file named in the scenario: relative to the scenario's directory unless absolute (freed by
 * the caller). */
static char *beside_scenario(const struct check *c, const char *name)
{
    const char *slash = strrchr(c->file, '/');
    size_t dir = name[0] != '/' && slash != NULL ? (size_t)(slash - c->file) + 1 : 0;
    size_t len = dir + strlen(name) + 1;
    char *path = mmc_xmalloc(len, 1);
    snprintf(path, len, "%.*s%s", (int)dir, c->file, name);
    return path;
}

/*
 * A samples or trace file that did not read: at the key when it cannot be opened (line 0), else
 * at the file's offending line. Control bytes of the path are escaped: a message is one line.
 */
static int file_error(const struct check *c, const struct field *f, const char *path,
                      unsigned long line, const char *why)
{
    char shown[SHOW_BUF];
    size_t o = 0;
    shown[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0' && o + 8 < sizeof shown;
         p++) {
        char piece[8] = {(char)*p, '\0'};
        if (*p < 0x20 || *p == 0x7F)
            snprintf(piece, sizeof piece, "\\x%02x", *p);
        yt_put(shown, sizeof shown, &o, piece);
    }
    if (line == 0)
        return yt_fail(c->err, f->v->at, "%s: cannot read %s: %s", f->path, shown, why);
    mmc_error_set(c->err, shown, line > INT_MAX ? 0 : (int)line, 1, "%s: %s", f->path, why);
    return -1;
}

/* The samples file, relative to the scenario's directory unless absolute. */
static int read_samples(const struct check *c, const struct field *f, struct mmc_dist_spec *d)
{
    const char *name = "";
    if (scn_string(f, &name, c->err) < 0)
        return -1;
    if (*name == '\0')
        return scn_bad(f, "a file name", c->err);
    char *path = beside_scenario(c, name);
    d->file = mmc_xmalloc(strlen(name) + 1, 1);
    memcpy(d->file, name, strlen(name) + 1);
    char why[160];
    unsigned long line = 0;
    size_t n = 0;
    int rc = mmc_dist_read_samples(path, &d->samples, &n, &line, why, sizeof why);
    if (rc != 0)
        file_error(c, f, path, line, why);
    free(path);
    if (rc != 0)
        return -1;
    double mean = 0;
    const char *bad_why = NULL;
    if (mmc_dist_empirical(&d->shape, d->samples, n, &mean, &bad_why) != 0)
        return yt_fail(c->err, f->v->at, "%s: %s", f->path, bad_why);
    d->value = mean;
    return 0;
}

/* Build the shape from the keys given; *mean is set when they fix the mean. */
static int build_shape(const struct check *c, const struct field *f, enum mmc_dist_kind kind,
                       struct mmc_dist_spec *d, double *mean)
{
    const char *why = NULL;
    struct field at = *f;
    int rc = 0;
    *mean = NAN;
    d->shape.kind = kind;
    if (shape_keys[kind].keys[0][0] == NULL) {
        rc = kind == MMC_DIST_EXPONENTIAL ? mmc_dist_exponential(&d->shape)
                                          : mmc_dist_deterministic(&d->shape);
        return rc;
    }
    for (size_t alt = 0; alt < 3 && shape_keys[kind].keys[alt][0] != NULL; alt++) {
        const char *k0 = shape_keys[kind].keys[alt][0];
        struct field v0 = scn_field_in(f->v, f->path, k0);
        if (v0.v == NULL)
            continue;
        at = v0;
        d->param = k0;
        if (strcmp(k0, "file") == 0)
            return read_samples(c, &v0, d);
        if (strcmp(k0, "probs") == 0 || strcmp(k0, "min") == 0) {
            struct field v1 = scn_field_in(f->v, f->path, shape_keys[kind].keys[alt][1]);
            if (v1.v == NULL)
                return yt_fail(c->err, v0.key->at, "%s: %s needs %s too", f->path, k0,
                               shape_keys[kind].keys[alt][1]);
            if (strcmp(k0, "probs") == 0) {
                if (scn_pair(&v0, &shape_number, d->probs, c->err) < 0 ||
                    scn_pair(&v1, &shape_number, d->rates, c->err) < 0)
                    return -1;
                rc = mmc_dist_hyperexp(&d->shape, d->probs, d->rates, mean, &why);
            } else {
                if (scn_number(&v0, &shape_number, &d->min, c->err) < 0 ||
                    scn_number(&v1, &shape_number, &d->max, c->err) < 0)
                    return -1;
                rc = mmc_dist_uniform_range(&d->shape, d->min, d->max, mean, &why);
            }
            d->fixed_mean = true;
            break;
        }
        if (scn_number(&v0, &shape_number, &d->value, c->err) < 0)
            return -1;
        bool scv = strcmp(k0, "scv") == 0;
        switch (kind) {
        case MMC_DIST_UNIFORM:
            rc = mmc_dist_uniform_scv(&d->shape, d->value, &why);
            break;
        case MMC_DIST_ERLANG:
            rc = mmc_dist_erlang(&d->shape, d->value, &why);
            break;
        case MMC_DIST_GAMMA:
            rc = scv ? mmc_dist_gamma_scv(&d->shape, d->value, &why)
                     : mmc_dist_gamma_shape(&d->shape, d->value, &why);
            break;
        case MMC_DIST_LOGNORMAL:
            rc = mmc_dist_lognormal_scv(&d->shape, d->value, &why);
            break;
        case MMC_DIST_WEIBULL:
            rc = scv ? mmc_dist_weibull_scv(&d->shape, d->value, &why)
                     : mmc_dist_weibull_shape(&d->shape, d->value, &why);
            break;
        case MMC_DIST_PARETO:
            rc = scv ? mmc_dist_pareto_scv(&d->shape, d->value, &why)
                     : mmc_dist_pareto_shape(&d->shape, d->value, &why);
            break;
        default: /* hyperexponential by scv */
            rc = mmc_dist_hyperexp_scv(&d->shape, d->value, &why);
            break;
        }
        break;
    }
    if (d->param == NULL) {
        const char *const *k = shape_keys[kind].keys[0];
        const char *const *k2 = shape_keys[kind].keys[1];
        if (k2[0] == NULL)
            return yt_fail(c->err, f->v->at, "%s: %s needs %s", f->path, mmc_dist_kind_name(kind),
                           k[0]);
        return yt_fail(c->err, f->v->at, "%s: %s needs %s or %s%s%s", f->path,
                       mmc_dist_kind_name(kind), k[0], k2[0], k2[1] ? " and " : "",
                       k2[1] ? k2[1] : "");
    }
    if (rc != 0)
        return yt_fail(c->err, at.v->at, "%s: %s", at.path, why);
    return 0;
}

/* A shape key that the distribution does not take, or (once the shape is built from the
   first alternative given, d->param) one of another alternative. */
static int stray_shape_key(const struct check *c, const struct field *f, enum mmc_dist_kind kind,
                           const struct mmc_dist_spec *d)
{
    for (size_t i = 0; all_shape_keys[i] != NULL; i++) {
        const char *key = all_shape_keys[i];
        struct field v = scn_field_in(f->v, f->path, key);
        if (v.v == NULL)
            continue;
        bool known = false, used = false;
        for (size_t alt = 0; alt < 3 && shape_keys[kind].keys[alt][0] != NULL; alt++)
            for (size_t j = 0; j < 2; j++) {
                const char *k = shape_keys[kind].keys[alt][j];
                bool same = k != NULL && strcmp(k, key) == 0;
                known |= same;
                used |= same && d->param != NULL &&
                        strcmp(shape_keys[kind].keys[alt][0], d->param) == 0;
            }
        if (d->param == NULL && known)
            continue; /* before the shape is built: only keys foreign to the kind */
        if (!used)
            return yt_fail(c->err, v.key->at, "%s: %s %s", v.path,
                           d->param != NULL && strcmp(d->param, key) != 0
                               ? "conflicts with the parameter given first:"
                               : "is not a parameter of",
                           d->param != NULL && strcmp(d->param, key) != 0
                               ? d->param
                               : mmc_dist_kind_name(kind));
    }
    return 0;
}

/* The axis of the one rate that a shape fixing the mean implies. */
static int one_rate(struct mmc_axis *rates, double rate)
{
    rates->v = mmc_xmalloc(1, sizeof *rates->v);
    rates->n = 1;
    rates->v[0] = rate;
    return 0;
}

/* Which key of a distribution's mapping sets its time scale. */
enum rate_key { RATE_KEY_NONE, RATE_KEY_RATE, RATE_KEY_LOAD, RATE_KEY_MEAN };

/* Which of rate, load and mean f gives: at most one (*pick is it, *which says which). */
static int rate_key(const struct check *c, const struct field *f, struct field *pick,
                    enum rate_key *which)
{
    const char *const names[] = {"rate", "load", "mean"};
    *which = RATE_KEY_NONE;
    for (size_t i = 0; i < 3; i++) {
        struct field g = scn_field_in(f->v, f->path, names[i]);
        if (g.v == NULL)
            continue;
        if (*which != RATE_KEY_NONE) {
            const struct field *later = g.index > pick->index ? &g : pick;
            return yt_fail(c->err, later->key->at, "%s: give %s or %s, not both", f->path,
                           pick->path + strlen(f->path) + 1, g.path + strlen(f->path) + 1);
        }
        *pick = g;
        *which = (enum rate_key)(i + 1);
    }
    return 0;
}

/* The rate axis pick gives: rates or loads as written, a mean inverted to a rate. */
static int rate_axis(const struct check *c, const struct field *pick, enum rate_key which,
                     struct mmc_axis *rates)
{
    if (scn_axis(pick, &positive, rates, c->err) < 0)
        return -1;
    if (which == RATE_KEY_MEAN)
        for (size_t i = 0; i < rates->n; i++) {
            rates->v[i] = 1.0 / rates->v[i];
            if (!isfinite(rates->v[i]))
                return scn_bad(pick, "a mean whose inverse is a finite rate", c->err);
        }
    return 0;
}

/* dist (default exponential), its shape, and the rate axis (arrival: or load). */
static int check_dist_at(const struct check *c, struct field f, const char *const *keys,
                         struct mmc_dist_spec *d, struct mmc_axis *rates, bool *is_load)
{
    if (f.v == NULL)
        return scn_missing(&f, c->err);
    if (scn_mapping(&f, keys, c->err) < 0)
        return -1;
    enum mmc_dist_kind kind = MMC_DIST_EXPONENTIAL;
    struct field df = scn_field_in(f.v, f.path, "dist");
    if (df.v != NULL) {
        const char *name = "";
        if (scn_string(&df, &name, c->err) < 0)
            return -1;
        int k = mmc_dist_kind_find(name);
        if (k < 0) {
            const char *names[MMC_DIST_COUNT + 1];
            for (int i = 0; i < MMC_DIST_COUNT; i++)
                names[i] = mmc_dist_kind_name((enum mmc_dist_kind)i);
            names[MMC_DIST_COUNT] = NULL;
            return scn_unknown_value(&df, "distribution", names, c->err);
        }
        kind = (enum mmc_dist_kind)k;
    }
    double mean = NAN;
    if (stray_shape_key(c, &f, kind, d) < 0 || build_shape(c, &f, kind, d, &mean) < 0 ||
        stray_shape_key(c, &f, kind, d) < 0)
        return -1;
    struct field pick;
    enum rate_key which = RATE_KEY_NONE;
    if (rate_key(c, &f, &pick, &which) < 0)
        return -1;
    if (d->fixed_mean && which != RATE_KEY_NONE) {
        /* at the later of the two: a variant's probs on a base's rate point into the variant */
        struct field param = scn_field_in(f.v, f.path, d->param);
        const struct field *later = read_after(&param, &pick) ? &param : &pick;
        return yt_fail(c->err, later->key->at, "%s: %s fix the mean; %s is not wanted", f.path,
                       strcmp(d->param, "probs") == 0 ? "probs and rates" : "min and max",
                       pick.path + strlen(f.path) + 1);
    }
    if (d->fixed_mean)
        return one_rate(rates, 1.0 / mean);
    if (which == RATE_KEY_NONE && kind == MMC_DIST_EMPIRICAL) {
        d->fixed_mean = true; /* the samples' own mean (read_samples keeps it in value) */
        return one_rate(rates, 1.0 / d->value);
    }
    if (which == RATE_KEY_NONE)
        return yt_fail(c->err, f.v->at, "%s: expected %s", f.path,
                       is_load != NULL ? "a rate, a load or a mean" : "a rate or a mean");
    if (is_load != NULL)
        *is_load = which == RATE_KEY_LOAD;
    return rate_axis(c, &pick, which, rates);
}

static int check_dist(const struct check *c, const char *key, const char *const *keys,
                      struct mmc_dist_spec *d, struct mmc_axis *rates, bool *is_load)
{
    return check_dist_at(c, top(c, key), keys, d, rates, is_load);
}

/* ---- model place: cluster, request, scheduler, placement ---- */

static const struct rule threads_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 100000",
    .min = 1,
    .max = 1e5,
    .whole = true,
};
static const struct rule retries_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 1000000",
    .min = 0,
    .max = 1e6,
    .whole = true,
};

/* {cpu, mem_mb, gpu} (keys among names, at least one resource) into v (absent: 0). */
static int place_resources(const struct check *c, const struct field *f, const char *const *names,
                           double v[MMC_PLACE_RESOURCES])
{
    bool any = false;
    if (scn_mapping(f, names, c->err) < 0)
        return -1;
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        v[r] = 0.0;
        if (scn_opt_number(f, resource_keys[r], &positive, &v[r], c->err) < 0)
            return -1;
        any |= v[r] > 0.0;
    }
    if (!any)
        return scn_bad(f, "at least one of cpu, mem_mb, gpu", c->err);
    return 0;
}

/* worker_pools: [{count, cpu, mem_mb, gpu}, ...]: N is the sum of the counts. */
static int check_pools(const struct check *c, const struct field *f, struct mmc_place *pl)
{
    if (f->v->kind != NODE_SEQ || f->v->n == 0 || f->v->n > MMC_PLACE_MAX_POOLS)
        return scn_bad(f, "a list of 1 to 16 pools ({count, cpu, mem_mb, gpu})", c->err);
    double sum = 0.0;
    for (size_t i = 0; i < f->v->n; i++) {
        struct field item = scn_item_of(f, i);
        struct field n = scn_field_in(item.v, item.path, "count");
        double count = 0.0;
        if (item.v->kind == NODE_MAP && n.v == NULL)
            return scn_missing(&n, c->err);
        if (place_resources(c, &item, pool_keys, pl->pool[i].cap) < 0 ||
            scn_number(&n, &workers_rule, &count, c->err) < 0)
            return -1;
        pl->pool[i].count = (unsigned long)count;
        sum += count;
    }
    pl->n_pools = f->v->n;
    pl->pools = true;
    if (sum > workers_rule.max)
        return scn_bad(f, "pools of at most 10000000 workers in all", c->err);
    struct field w = top(c, "workers");
    if (w.v == NULL)
        return one_rate(&c->s->workers, sum);
    for (size_t i = 0; i < c->s->workers.n; i++)
        if (c->s->workers.v[i] != sum) {
            char what[96];
            snprintf(what, sizeof what, "the pools' sum of counts (%.0f), or no workers key", sum);
            return scn_bad(&w, what, c->err);
        }
    return 0;
}

/* The cluster: worker_capacity (N = workers) or worker_pools, not both. */
static int check_cluster(const struct check *c, struct mmc_place *pl)
{
    struct field cap = top(c, "worker_capacity"), pools = top(c, "worker_pools");
    if (cap.v != NULL && pools.v != NULL) {
        const struct field *later = read_after(&cap, &pools) ? &cap : &pools;
        return yt_fail(c->err, later->key->at, "%s: give worker_capacity or worker_pools, not both",
                       later->path);
    }
    if (pools.v != NULL)
        return check_pools(c, &pools, pl);
    if (cap.v == NULL)
        return 0; /* a model other than place; place misses it (check_place_needs) */
    pl->n_pools = 1;
    return place_resources(c, &cap, resource_keys, pl->pool[0].cap);
}

static const struct rule share_rule = {
    .type = "a number",
    .low = "a finite number > 0 and <= 1",
    .high = "a finite number > 0 and <= 1",
    .min = 0,
    .max = 1,
    .above_min = true,
};

/* The keys of one size of a request mix. */
static const char *const size_keys[] = {"cpu", "mem_mb", "gpu", "share", NULL};

/* The largest draw of a demand law of this mean: its support's top, INFINITY if unbounded. */
static double law_max(const struct mmc_dist *d, double mean)
{
    double top = INFINITY;
    if (d->kind == MMC_DIST_DETERMINISTIC)
        top = 1.0;
    else if (d->kind == MMC_DIST_UNIFORM)
        top = 1.0 + d->shape;
    else if (d->kind == MMC_DIST_EMPIRICAL) {
        top = 0.0;
        for (size_t i = 0; i < d->n_samples; i++)
            top = fmax(top, d->samples[i]);
    }
    return mean * top;
}

/* request: {cpu, mem_mb, gpu}, each a number or a law ({dist, ...} as service takes, one mean). */
static int request_laws(const struct check *c, const struct field *f, struct mmc_place *pl)
{
    bool any = false;
    if (scn_mapping(f, resource_keys, c->err) < 0)
        return -1;
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        struct field g = scn_field_in(f->v, f->path, resource_keys[r]);
        pl->request[r] = 0.0;
        pl->law[r] = g.v != NULL && g.v->kind == NODE_MAP;
        if (!pl->law[r]) {
            if (scn_opt_number(f, resource_keys[r], &positive, &pl->request[r], c->err) < 0)
                return -1;
            pl->demand_max[r] = pl->request[r];
            any |= pl->request[r] > 0.0;
            continue;
        }
        struct mmc_axis rates = {0};
        int rc = check_dist_at(c, g, service_keys, &pl->demand[r], &rates, NULL);
        if (rc == 0 && rates.n != 1) {
            struct field m = scn_field_in(g.v, g.path, "rate");
            if (m.v == NULL)
                m = scn_field_in(g.v, g.path, "mean");
            rc = scn_bad(&m, "one value (a demand is not swept)", c->err);
        }
        if (rc == 0) {
            pl->request[r] = 1.0 / rates.v[0];
            pl->demand_max[r] = law_max(&pl->demand[r].shape, pl->request[r]);
        }
        free(rates.v);
        if (rc < 0)
            return -1;
        pl->varying = any = true;
    }
    if (!any)
        return scn_bad(f, "at least one of cpu, mem_mb, gpu", c->err);
    return 0;
}

/* request: [{cpu, mem_mb, gpu, share}, ...]: 1 to 16 sizes, shares summing to 1; request[] gets
 * the mean demand. */
static int request_mix(const struct check *c, const struct field *f, struct mmc_place *pl)
{
    if (f->v->n == 0 || f->v->n > MMC_PLACE_MAX_SIZES)
        return scn_bad(f, "a list of 1 to 16 sizes ({cpu, mem_mb, gpu, share})", c->err);
    double sum = 0.0;
    for (size_t i = 0; i < f->v->n; i++) {
        struct field item = scn_item_of(f, i);
        struct field sh = scn_field_in(item.v, item.path, "share");
        if (item.v->kind == NODE_MAP && sh.v == NULL)
            return scn_missing(&sh, c->err);
        if (place_resources(c, &item, size_keys, pl->size[i].req) < 0 ||
            scn_number(&sh, &share_rule, &pl->size[i].share, c->err) < 0)
            return -1;
        sum += pl->size[i].share;
    }
    if (fabs(sum - 1.0) > 1e-9)
        return yt_fail(c->err, f->v->at, "%s: the shares sum to %.17g; expected 1 (within 1e-9)",
                       f->path, sum);
    pl->n_sizes = f->v->n;
    pl->varying = true;
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        pl->request[r] = pl->demand_max[r] = 0.0;
        for (size_t i = 0; i < pl->n_sizes; i++) {
            pl->request[r] += pl->size[i].share * pl->size[i].req[r];
            pl->demand_max[r] = fmax(pl->demand_max[r], pl->size[i].req[r]);
        }
    }
    return 0;
}

/* Whether some worker holds one request of demands req. */
static bool some_worker_holds(const struct mmc_place *pl, const double req[MMC_PLACE_RESOURCES])
{
    for (size_t i = 0; i < pl->n_pools; i++)
        if (mmc_place_slots(pl->pool[i].cap, req) > 0)
            return true;
    return false;
}

/* request: every resource asked for is had by some worker, and some worker holds a request: a
 * fixed one, every size of a mix, a law's largest draws when all are bounded (an unbounded law's
 * draw that fits no worker is unplaceable: failed, at run time). */
static int check_request(const struct check *c, struct mmc_place *pl)
{
    struct field f = top(c, "request");
    if (f.v == NULL)
        return 0;
    if ((f.v->kind == NODE_SEQ ? request_mix(c, &f, pl) : request_laws(c, &f, pl)) < 0)
        return -1;
    if (pl->n_pools == 0)
        return 0; /* no cluster: check_place_needs says so */
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        bool had = false;
        for (size_t i = 0; i < pl->n_pools; i++)
            had |= pl->pool[i].cap[r] > 0.0;
        if (pl->request[r] > 0.0 && !had) {
            struct field k = f;
            for (size_t i = 0; f.v->kind == NODE_SEQ && i < pl->n_sizes; i++)
                if (pl->size[i].req[r] > 0.0) {
                    struct field item = scn_item_of(&f, i);
                    k = scn_field_in(item.v, item.path, resource_keys[r]);
                    break;
                }
            if (f.v->kind != NODE_SEQ)
                k = scn_field_in(f.v, f.path, resource_keys[r]);
            return yt_fail(c->err, k.key->at, "%s: no worker has %s", k.path, resource_keys[r]);
        }
    }
    for (size_t i = 0; i < pl->n_sizes; i++)
        if (!some_worker_holds(pl, pl->size[i].req)) {
            struct field item = scn_item_of(&f, i);
            return yt_fail(c->err, item.v->at,
                           "%s: larger than every worker (it could never be placed)", item.path);
        }
    if (pl->n_sizes > 0)
        return 0;
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++)
        if (!isfinite(pl->demand_max[r]))
            return 0;
    if (some_worker_holds(pl, pl->demand_max))
        return 0;
    return yt_fail(
        c->err, f.v->at, "request: %s",
        pl->varying ? "its largest draws are larger than every worker (they could never be placed)"
                    : "larger than every worker (it could never be placed)");
}

static int only_keys(const struct check *c, const struct field *f, const char *const *names,
                     const char *what);
/* The keys of a scheduler time of mean 0. */
static const char *const zero_time_keys[] = {"dist", "mean", NULL};

/* A plain scalar that reads as the number 0 ("0", "0.0", "0e0"). */
static bool is_zero(const struct node *nd)
{
    if (nd->kind != NODE_SCALAR || nd->len == 0 || nd->len > 32)
        return false;
    char buf[40], *end = NULL;
    memcpy(buf, nd->text, nd->len);
    buf[nd->len] = '\0';
    double v = strtod(buf, &end);
    return end == buf + nd->len && v == 0.0;
}

/* A scheduler time (decision, backoff): a distribution like service, with one mean or rate;
 * {mean: 0} (any dist) is no time at all. */
static int check_time_dist(const struct check *c, const struct field *f, struct mmc_dist_spec *d,
                           double *mean)
{
    struct field m = scn_field_in(f->v, f->path, "mean");
    if (f->v->kind == NODE_MAP && m.v != NULL && is_zero(m.v)) {
        if (scn_mapping(f, service_keys, c->err) < 0 ||
            only_keys(c, f, zero_time_keys, "mean: 0") < 0)
            return -1;
        *mean = 0.0;
        return mmc_dist_deterministic(&d->shape);
    }
    struct mmc_axis rates = {0};
    int rc = check_dist_at(c, *f, service_keys, d, &rates, NULL);
    if (rc == 0 && rates.n != 1) {
        struct field r = scn_field_in(f->v, f->path, "rate");
        rc = scn_bad(r.v != NULL ? &r : &m, "one value (not swept)", c->err);
    }
    if (rc == 0)
        *mean = 1.0 / rates.v[0];
    free(rates.v);
    return rc;
}

/* scheduler: {threads, decision, concurrency, backoff, max_retries, on_full}. */
static int check_scheduler(const struct check *c, struct mmc_place *pl)
{
    struct field f = top(c, "scheduler");
    double threads = (double)pl->threads, retries = (double)pl->max_retries;
    size_t conc = pl->concurrency, full = pl->on_full;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, scheduler_keys, c->err) < 0 ||
        scn_opt_number(&f, "threads", &threads_rule, &threads, c->err) < 0 ||
        scn_opt_number(&f, "max_retries", &retries_rule, &retries, c->err) < 0)
        return -1;
    struct field cc = scn_field_in(f.v, f.path, "concurrency"),
                 of = scn_field_in(f.v, f.path, "on_full"),
                 dec = scn_field_in(f.v, f.path, "decision"),
                 bo = scn_field_in(f.v, f.path, "backoff");
    if ((cc.v != NULL &&
         scn_name_index(&cc, "concurrency", scn_concurrency_names, &conc, c->err) < 0) ||
        (of.v != NULL && scn_name_index(&of, "on_full", scn_on_full_names, &full, c->err) < 0))
        return -1;
    pl->threads = (unsigned long)threads;
    pl->max_retries = (unsigned long)retries;
    pl->concurrency = (enum mmc_place_concurrency)conc;
    pl->on_full = (enum mmc_place_on_full)full;
    if (dec.v == NULL)
        return scn_missing(&dec, c->err);
    if (check_time_dist(c, &dec, &pl->decision, &pl->decision_mean) < 0)
        return -1;
    if (bo.v != NULL && check_time_dist(c, &bo, &pl->backoff, &pl->backoff_mean) < 0)
        return -1;
    return 0;
}

/* placement: {policy, fallback}; fallback is any policy but hash. */
static int check_placement(const struct check *c, struct mmc_place *pl)
{
    struct field f = top(c, "placement");
    size_t policy = pl->policy, fallback = pl->fallback;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, placement_keys, c->err) < 0)
        return -1;
    struct field po = scn_field_in(f.v, f.path, "policy"),
                 fb = scn_field_in(f.v, f.path, "fallback");
    if ((po.v != NULL && scn_name_index(&po, "policy", place_policy_names, &policy, c->err) < 0) ||
        (fb.v != NULL &&
         scn_name_index(&fb, "fallback", place_policy_names, &fallback, c->err) < 0))
        return -1;
    if (fallback == MMC_PLACE_HASH)
        return scn_bad(&fb, "a policy other than hash (the fallback when hash's worker is full)",
                       c->err);
    pl->policy = (enum mmc_place_policy)policy;
    pl->fallback = (enum mmc_place_policy)fallback;
    return 0;
}

/* Model place's blocks; whether the model reads them is checked with the other combinations. */
static int check_place(const struct check *c)
{
    struct mmc_place *pl = &c->s->place;
    if (check_cluster(c, pl) < 0 || check_request(c, pl) < 0 || check_scheduler(c, pl) < 0)
        return -1;
    return check_placement(c, pl);
}

/* Model place needs a cluster, a request and a scheduler (at model: place). */
static int check_place_needs(const struct check *c)
{
    if (strcmp(c->s->model, "place") != 0)
        return 0;
    struct field m = top(c, "model");
    const char *missing = c->s->place.n_pools == 0        ? "worker_capacity or worker_pools"
                          : top(c, "request").v == NULL   ? "request"
                          : top(c, "scheduler").v == NULL ? "scheduler (with its decision)"
                                                          : NULL;
    if (missing != NULL)
        return yt_fail(c->err, m.v->at, "model: place needs %s", missing);
    /* a load is of the cluster's slots per mean lifetime: neither is defined here */
    struct field a = top(c, "arrival");
    struct field load = a.v != NULL && a.v->kind == NODE_MAP ? scn_field_in(a.v, a.path, "load")
                                                             : (struct field){0};
    if (load.v == NULL || !(c->s->place.varying || c->s->place.forever))
        return 0;
    return yt_fail(c->err, load.key->at, "%s: give arrival.rate: %s", load.path,
                   c->s->place.varying ? "slots are not defined for requests of varying size"
                                       : "a lifetime of forever has no mean");
}

/* ---- priority classes ---- */

static const struct rule priority_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 1000000",
    .min = 0,
    .max = 1e6,
    .whole = true,
};

/* classes[i].service: a distribution with one rate (or mean), or one that fixes its mean. */
static int check_class_service(const struct check *c, const struct field *item,
                               struct mmc_task_class *k)
{
    struct field f = scn_field_in(item->v, item->path, "service");
    struct mmc_axis rates = {0};
    if (f.v == NULL)
        return 0;
    if (f.v->kind == NODE_MAP) {
        struct field df = scn_field_in(f.v, f.path, "dist");
        if (df.v != NULL && scn_is_name(df.v, "trace"))
            return yt_fail(c->err, df.v->at, "%s: a class's service is a distribution, not a trace",
                           df.path);
    }
    int rc = check_dist_at(c, f, service_keys, &k->service_dist, &rates, NULL);
    if (rc == 0 && rates.n != 1) {
        struct field r = scn_field_in(f.v, f.path, "rate");
        if (r.v == NULL)
            r = scn_field_in(f.v, f.path, "mean");
        rc = scn_bad(&r, "one value (a class's service is not swept)", c->err);
    }
    if (rc == 0) {
        k->has_service = true;
        k->service_rate = rates.v[0];
    }
    free(rates.v);
    return rc;
}

/* One item of classes: {name, share | rate, priority, service}. */
static int check_class(const struct check *c, const struct field *item, struct mmc_task_class *k,
                       size_t i)
{
    struct mmc_classes *cl = &c->s->classes;
    const char *name = "";
    double prio = 0;
    if (scn_mapping(item, class_keys, c->err) < 0)
        return -1;
    struct field nm = scn_field_in(item->v, item->path, "name");
    if (nm.v == NULL)
        return scn_missing(&nm, c->err);
    if (scn_string(&nm, &name, c->err) < 0)
        return -1;
    if (name[0] == '\0' || strlen(name) >= sizeof k->name || !is_utf8(name))
        return scn_bad(&nm, "a name of 1 to 31 bytes", c->err);
    for (size_t j = 0; j < i; j++)
        if (strcmp(cl->c[j].name, name) == 0)
            return yt_fail(c->err, nm.v->at, "%s: \"%s\" is the name of classes[%zu] already",
                           nm.path, name, j);
    snprintf(k->name, sizeof k->name, "%s", name);
    struct field sh = scn_field_in(item->v, item->path, "share"),
                 rt = scn_field_in(item->v, item->path, "rate"),
                 pr = scn_field_in(item->v, item->path, "priority");
    if (sh.v != NULL && rt.v != NULL) {
        const struct field *later = read_after(&sh, &rt) ? &sh : &rt;
        return yt_fail(c->err, later->key->at, "%s: give share or rate, not both", item->path);
    }
    if (sh.v == NULL && rt.v == NULL)
        return yt_fail(c->err, item->v->at, "%s: expected a share (of the arrivals) or a rate",
                       item->path);
    k->rate = NAN;
    if (sh.v != NULL && scn_number(&sh, &share_rule, &k->share, c->err) < 0)
        return -1;
    if (rt.v != NULL && scn_number(&rt, &positive, &k->rate, c->err) < 0)
        return -1;
    if (i > 0 && isnan(k->rate) != isnan(cl->c[0].rate)) {
        const struct field *f = sh.v != NULL ? &sh : &rt;
        return yt_fail(c->err, f->key->at, "%s: classes[0] gives a %s: give every class a %s",
                       f->path, isnan(cl->c[0].rate) ? "share" : "rate",
                       isnan(cl->c[0].rate) ? "share" : "rate");
    }
    if (pr.v == NULL)
        return scn_missing(&pr, c->err);
    if (scn_number(&pr, &priority_rule, &prio, c->err) < 0)
        return -1;
    k->priority = (long)prio;
    return check_class_service(c, item, k);
}

/* The shares sum to 1; rates become shares of their sum (the arrival rate). */
static int check_class_shares(const struct check *c, const struct field *f)
{
    struct mmc_classes *cl = &c->s->classes;
    double sum = 0.0;
    for (size_t i = 0; i < cl->n; i++)
        sum += isnan(cl->c[i].rate) ? cl->c[i].share : cl->c[i].rate;
    if (isnan(cl->c[0].rate)) {
        if (fabs(sum - 1.0) > 1e-9)
            return yt_fail(c->err, f->v->at,
                           "%s: the shares sum to %.17g; expected 1 (within 1e-9)", f->path, sum);
        return 0;
    }
    if (!isfinite(sum))
        return yt_fail(c->err, f->v->at, "%s: the rates sum to infinity", f->path);
    for (size_t i = 0; i < cl->n; i++)
        cl->c[i].share = cl->c[i].rate / sum;
    return 0;
}

/* classes: [{name, share | rate, priority, service}, ...] and preemption: none | resume. */
static int check_classes(const struct check *c)
{
    struct field f = top(c, "classes"), pe = top(c, "preemption");
    struct mmc_classes *cl = &c->s->classes;
    size_t mode = 0;
    if (pe.v != NULL && scn_name_index(&pe, "preemption", preemption_names, &mode, c->err) < 0)
        return -1;
    cl->preemption = (enum mmc_preemption)mode;
    if (f.v == NULL) {
        if (pe.v != NULL)
            return yt_fail(c->err, pe.key->at, "preemption: only with classes");
        return 0;
    }
    if (f.v->kind != NODE_SEQ || f.v->n == 0 || f.v->n > MMC_MAX_CLASSES)
        return scn_bad(&f, "a list of 1 to 16 classes ({name, share, priority})", c->err);
    for (size_t i = 0; i < f.v->n; i++) {
        struct field item = scn_item_of(&f, i);
        cl->n = i + 1; /* what check_class fills is freed with the scenario */
        if (check_class(c, &item, &cl->c[i], i) < 0)
            return -1;
    }
    return check_class_shares(c, &f);
}

/* Every key of f's mapping is among names, else "not used with what". */
static int only_keys(const struct check *c, const struct field *f, const char *const *names,
                     const char *what)
{
    for (size_t i = 0; i + 1 < f->v->n; i += 2) {
        const struct node *k = f->v->kids[i];
        if (yt_find_name(names, k->text, k->len) == NULL)
            return yt_fail(c->err, k->at, "%s.%s: not used with %s", f->path, k->text, what);
    }
    return 0;
}

/* batch: {size: N} | {mean: m} (geometric) | {sizes: [...], probs: [...]}. */
static int check_batch(const struct check *c, const struct field *arrival)
{
    struct field f = scn_field_in(arrival->v, arrival->path, "batch");
    struct mmc_process *pr = &c->s->process;
    const char *why = NULL;
    int rc = 0;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, batch_keys, c->err) < 0)
        return -1;
    struct field size = scn_field_in(f.v, f.path, "size"), mean = scn_field_in(f.v, f.path, "mean");
    struct field sizes = scn_field_in(f.v, f.path, "sizes"),
                 probs = scn_field_in(f.v, f.path, "probs");
    const struct field *pick = size.v ? &size : mean.v ? &mean : sizes.v ? &sizes : NULL;
    if (pick == NULL || (size.v != NULL) + (mean.v != NULL) + (sizes.v != NULL) != 1)
        return yt_fail(c->err, f.v->at, "%s: expected one of size, mean or sizes (with probs)",
                       f.path);
    if (pick != &sizes && probs.v != NULL)
        return yt_fail(c->err, probs.key->at, "%s: only with sizes", probs.path);
    if (pick == &sizes) {
        double *sz = NULL, *pb = NULL;
        size_t n = 0, m = 0;
        if (probs.v == NULL)
            return scn_missing(&probs, c->err);
        rc = scn_number_list(&sizes, &positive, MMC_BATCH_MAX_SIZES, &sz, &n, c->err);
        if (rc == 0)
            rc = scn_number_list(&probs, &nonnegative, MMC_BATCH_MAX_SIZES, &pb, &m, c->err);
        if (rc == 0 && m != n)
            rc = scn_bad_length(&probs, "as many probabilities as sizes", c->err);
        if (rc == 0 && mmc_batch_size_table(&pr->batch, sz, pb, n, &why) != 0)
            rc = yt_fail(c->err, f.v->at, "%s: %s", f.path, why);
        if (rc == 0) /* printed as written: differences of the cumulative ones would drift */
            memcpy(pr->batch_probs, pb, n * sizeof *pb);
        free(sz);
        free(pb);
        pr->batch_param = "sizes";
    } else {
        double x = 0;
        if (scn_number(pick, &positive, &x, c->err) < 0)
            return -1;
        rc = pick == &size ? mmc_batch_size_constant(&pr->batch, x, &why)
                           : mmc_batch_size_geometric(&pr->batch, x, &why);
        if (rc != 0)
            return yt_fail(c->err, pick->v->at, "%s: %s", pick->path, why);
        pr->batch_param = pick == &size ? "size" : "mean";
        pr->batch_value = x;
    }
    pr->batched = rc == 0;
    return rc;
}

/* dist: mmpp, rates: [on, off], sojourns: [on, off]; a rate, load or mean rescales the rates. */
static int check_mmpp(const struct check *c, const struct field *f)
{
    struct mmc_process *pr = &c->s->process;
    struct field rates = scn_field_in(f->v, f->path, "rates");
    struct field soj = scn_field_in(f->v, f->path, "sojourns");
    const char *why = NULL;
    if (only_keys(c, f, mmpp_keys, "dist: mmpp") < 0)
        return -1;
    if (rates.v == NULL)
        return scn_missing(&rates, c->err);
    if (soj.v == NULL)
        return scn_missing(&soj, c->err);
    if (scn_pair(&rates, &nonnegative, pr->mmpp.rate, c->err) < 0 ||
        scn_pair(&soj, &positive, pr->mmpp.sojourn, c->err) < 0)
        return -1;
    if (mmc_mmpp_check(&pr->mmpp, &why) != 0)
        return yt_fail(c->err, f->v->at, "%s: %s", f->path, why);
    pr->kind = MMC_PROCESS_MMPP;
    struct mmc_dist_spec *d = &c->s->arrival_dist;
    mmc_dist_exponential(&d->shape);
    struct field pick;
    enum rate_key which = RATE_KEY_NONE;
    if (rate_key(c, f, &pick, &which) < 0)
        return -1;
    if (which == RATE_KEY_NONE) { /* the rates as written: their long-run mean is the rate */
        d->fixed_mean = true;
        return one_rate(&c->s->arrival, mmc_mmpp_mean_rate(&pr->mmpp));
    }
    c->s->arrival_is_load = which == RATE_KEY_LOAD;
    return rate_axis(c, &pick, which, &c->s->arrival);
}

/* schedule: {times: [0, ...], rates: [...], interpolate: step|linear}: a time-varying rate. */
static int check_schedule(const struct check *c, const struct field *f)
{
    struct mmc_process *pr = &c->s->process;
    struct field sf = scn_field_in(f->v, f->path, "schedule");
    const char *why = NULL;
    size_t n = 0, m = 0, lin = 0;
    if (only_keys(c, f, schedule_only_keys, "schedule") < 0 ||
        scn_mapping(&sf, sched_keys, c->err) < 0)
        return -1;
    struct field times = scn_field_in(sf.v, sf.path, "times"),
                 rates = scn_field_in(sf.v, sf.path, "rates");
    struct field interp = scn_field_in(sf.v, sf.path, "interpolate");
    if (times.v == NULL)
        return scn_missing(&times, c->err);
    if (rates.v == NULL)
        return scn_missing(&rates, c->err);
    if (scn_number_list(&times, &nonnegative, MMC_MAX_BREAKPOINTS, &pr->sched_t, &n, c->err) < 0 ||
        scn_number_list(&rates, &nonnegative, MMC_MAX_BREAKPOINTS, &pr->sched_v, &m, c->err) < 0)
        return -1;
    if (m != n)
        return scn_bad_length(&rates, "as many rates as times", c->err);
    if (interp.v != NULL &&
        scn_name_index(&interp, "interpolation", interpolate_names, &lin, c->err) < 0)
        return -1;
    pr->schedule = (struct mmc_schedule){n, pr->sched_t, pr->sched_v, lin == 1};
    if (mmc_schedule_check(&pr->schedule, &why) != 0)
        return yt_fail(c->err, sf.v->at, "%s: %s", sf.path, why);
    double span = pr->sched_t[n - 1];
    double mean = span > 0 ? mmc_schedule_integral(&pr->schedule, 0, span) / span : pr->sched_v[0];
    if (!(mean > 0)) /* silent up to the last breakpoint: the rate that holds from then on */
        mean = pr->sched_v[n - 1];
    if (!(mean > 0))
        return yt_fail(c->err, sf.v->at, "%s: expected a rate above 0 somewhere", sf.path);
    pr->kind = MMC_PROCESS_SCHEDULE;
    mmc_dist_exponential(&c->s->arrival_dist.shape);
    c->s->arrival_dist.fixed_mean = true;
    return one_rate(&c->s->arrival, mean);
}

/* trace: FILE (timestamp[,service] per line), scale: x (load multiplier, default 1). */
static int check_trace(const struct check *c, const struct field *f)
{
    struct mmc_process *pr = &c->s->process;
    struct field tf = scn_field_in(f->v, f->path, "trace");
    const char *name = "";
    char why[160];
    unsigned long line = 0;
    if (only_keys(c, f, trace_only_keys, "trace") < 0 || scn_string(&tf, &name, c->err) < 0)
        return -1;
    if (*name == '\0')
        return scn_bad(&tf, "a file name", c->err);
    pr->trace_scale = 1.0;
    if (scn_opt_number(f, "scale", &positive, &pr->trace_scale, c->err) < 0)
        return -1;
    pr->trace_file = mmc_xmalloc(strlen(name) + 1, 1);
    memcpy(pr->trace_file, name, strlen(name) + 1);
    char *path = beside_scenario(c, name);
    int rc = mmc_trace_read(path, &pr->trace, &line, why, sizeof why);
    if (rc != 0)
        file_error(c, &tf, path, line, why);
    free(path);
    if (rc != 0)
        return -1;
    double span = pr->trace.t[pr->trace.n - 1];
    if (pr->trace.n < 2 || !(span > 0))
        return yt_fail(c->err, tf.v->at, "%s: expected at least two distinct arrival times",
                       tf.path);
    pr->kind = MMC_PROCESS_TRACE;
    mmc_dist_exponential(&c->s->arrival_dist.shape);
    c->s->arrival_dist.fixed_mean = true;
    return one_rate(&c->s->arrival, (double)(pr->trace.n - 1) / span * pr->trace_scale);
}

/* Classes given by rates: independent Poisson streams, whose sum is the arrival stream. */
static int check_class_rates(const struct check *c, const struct field *f)
{
    const struct mmc_classes *cl = &c->s->classes;
    double sum = 0.0;
    if (f->v != NULL)
        return yt_fail(c->err, f->key->at,
                       "arrival: the classes give their own rates (Poisson streams); leave "
                       "arrival out, or give the classes shares");
    for (size_t i = 0; i < cl->n; i++)
        sum += cl->c[i].rate;
    c->s->arrival_dist = (struct mmc_dist_spec){0};
    mmc_dist_exponential(&c->s->arrival_dist.shape);
    return one_rate(&c->s->arrival, sum);
}

static int check_arrival(const struct check *c)
{
    struct field f = top(c, "arrival");
    if (c->s->classes.n > 0 && !isnan(c->s->classes.c[0].rate))
        return check_class_rates(c, &f);
    if (f.v == NULL || f.v->kind != NODE_MAP) /* check_dist says what is expected */
        return check_dist(c, "arrival", arrival_keys, &c->s->arrival_dist, &c->s->arrival,
                          &c->s->arrival_is_load);
    if (scn_mapping(&f, arrival_keys, c->err) < 0)
        return -1;
    struct field df = scn_field_in(f.v, f.path, "dist");
    int rc = 0;
    if (df.v != NULL && scn_is_name(df.v, "mmpp"))
        rc = check_mmpp(c, &f);
    else if (scn_field_in(f.v, f.path, "schedule").v != NULL)
        rc = check_schedule(c, &f);
    else if (scn_field_in(f.v, f.path, "trace").v != NULL)
        return check_trace(c, &f);
    else {
        for (size_t i = 0; process_keys[i] != NULL && rc == 0; i++) {
            struct field k = scn_field_in(f.v, f.path, process_keys[i]);
            if (k.v != NULL)
                rc = yt_fail(c->err, k.key->at, "%s: only with %s", k.path,
                             i == 0   ? "dist: mmpp"
                             : i == 3 ? "trace"
                                      : process_keys[i]);
        }
        if (rc == 0)
            rc = check_dist(c, "arrival", arrival_keys, &c->s->arrival_dist, &c->s->arrival,
                            &c->s->arrival_is_load);
    }
    return rc == 0 ? check_batch(c, &f) : rc;
}

/* staffing: {times: [0, ...], workers: [...]}: the worker count from each time on. */
static int check_staffing(const struct check *c)
{
    struct field f = top(c, "staffing");
    struct mmc_staffing *st = &c->s->staffing;
    struct mmc_schedule sch;
    const char *why = NULL;
    size_t m = 0;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, staffing_keys, c->err) < 0)
        return -1;
    struct field times = scn_field_in(f.v, f.path, "times"),
                 w = scn_field_in(f.v, f.path, "workers");
    if (times.v == NULL)
        return scn_missing(&times, c->err);
    if (w.v == NULL)
        return scn_missing(&w, c->err);
    if (scn_number_list(&times, &nonnegative, MMC_MAX_BREAKPOINTS, &st->t, &st->n, c->err) < 0 ||
        scn_number_list(&w, &workers_rule, MMC_MAX_BREAKPOINTS, &st->c, &m, c->err) < 0)
        return -1;
    if (m != st->n)
        return scn_bad_length(&w, "as many worker counts as times", c->err);
    sch = (struct mmc_schedule){st->n, st->t, st->c, false};
    if (mmc_schedule_check(&sch, &why) != 0)
        return yt_fail(c->err, f.v->at, "%s: %s", f.path, why);
    st->c_max = 0;
    for (size_t i = 0; i < st->n; i++)
        st->c_max = st->c[i] > st->c_max ? st->c[i] : st->c_max;
    return one_rate(&c->s->workers, st->c_max);
}

/*
 * A rate schedule, a trace or a staffing schedule has no steady state: no
 * warm-up (the default becomes none), no stationary start, no batch means.
 */
static int check_time_varying(const struct check *c)
{
    struct mmc_scenario *s = c->s;
    if (s->process.kind != MMC_PROCESS_SCHEDULE && s->process.kind != MMC_PROCESS_TRACE &&
        s->staffing.n == 0)
        return 0;
    struct field w = top(c, "warmup"), in = top(c, "initial"), m = top(c, "method");
    if (w.v != NULL && s->warmup.kind != MMC_LIMIT_NONE)
        return yt_fail(c->err, w.v->at,
                       "warmup: a time-varying workload has no steady state to warm up to; use "
                       "warmup: none");
    if (in.v != NULL && s->initial.kind == MMC_INITIAL_STATIONARY)
        return yt_fail(c->err, in.v->at, "initial: a time-varying workload has no stationary law");
    if (m.v != NULL && s->method == MMC_METHOD_BATCH_MEANS)
        return yt_fail(c->err, m.v->at, "method: batch-means needs a steady state");
    s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    return 0;
}

/* The sweep is the product of the four axes: at most MMC_MAX_POINTS points. */
static int check_sweep(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    double n = (double)s->arrival.n * (double)s->service.n * (double)s->network_delay.n *
               (double)s->workers.n;
    if (n <= MMC_MAX_POINTS)
        return 0;
    return yt_fail(c->err, c->root->at,
                   "the sweep has %.0f points (arrival x service x network_delay x workers), at "
                   "most %d",
                   n, MMC_MAX_POINTS);
}

/*
 * service: {dist: trace}: each task keeps the service time on its trace line.
 * The shape is the column's empirical law (its SCV for the table; its draws
 * only for an initial backlog, which has no lines) and the rate its mean's inverse.
 */
static int check_trace_service(const struct check *c, const struct field *f)
{
    struct mmc_scenario *s = c->s;
    struct mmc_dist_spec *d = &s->service_dist;
    if (scn_check_keys(f->v, f->path, service_keys, c->err) < 0 ||
        only_keys(c, f, trace_service_keys, "dist: trace") < 0)
        return -1;
    if (s->process.kind != MMC_PROCESS_TRACE)
        return yt_fail(c->err, f->v->at, "%s: dist: trace needs arrival: {trace: FILE}", f->path);
    if (s->process.trace.svc == NULL)
        return yt_fail(c->err, f->v->at,
                       "%s: dist: trace needs a second column (service times) in %s", f->path,
                       s->process.trace_file);
    size_t n = s->process.trace.n;
    d->samples = mmc_xmalloc(n, sizeof *d->samples);
    memcpy(d->samples, s->process.trace.svc, n * sizeof *d->samples);
    double mean = 0;
    const char *why = NULL;
    if (mmc_dist_empirical(&d->shape, d->samples, n, &mean, &why) != 0)
        return yt_fail(c->err, f->v->at, "%s: the trace's service times: %s", f->path, why);
    s->process.trace_service = true;
    d->param = "trace";
    d->value = mean;
    d->fixed_mean = true;
    return one_rate(&s->service, 1.0 / mean);
}

/*
 * service: {dist: forever}: model place's containers never end (no lifetime draws). The axis
 * holds one rate 0 (no mean lifetime); other models refuse it.
 */
static int check_forever_service(const struct check *c, const struct field *f,
                                 const struct field *df)
{
    if (scn_check_keys(f->v, f->path, service_keys, c->err) < 0 ||
        only_keys(c, f, trace_service_keys, "dist: forever") < 0)
        return -1;
    if (strcmp(c->s->model, "place") != 0)
        return yt_fail(c->err, df->v->at,
                       "%s: forever: only model place's containers outlive the run (model: %s)",
                       df->path, c->s->model);
    c->s->place.forever = true;
    mmc_dist_deterministic(&c->s->service_dist.shape);
    return one_rate(&c->s->service, 0.0);
}

static int check_service(const struct check *c)
{
    struct field f = top(c, "service");
    if (f.v != NULL && f.v->kind == NODE_MAP) {
        struct field df = scn_field_in(f.v, f.path, "dist");
        if (df.v != NULL && scn_is_name(df.v, "trace"))
            return check_trace_service(c, &f);
        if (df.v != NULL && scn_is_name(df.v, "forever"))
            return check_forever_service(c, &f, &df);
    }
    return check_dist(c, "service", service_keys, &c->s->service_dist, &c->s->service, NULL);
}

static int check_workers(const struct check *c)
{
    struct field f = top(c, "workers");
    if (f.v == NULL && top(c, "staffing").v != NULL)
        return 0; /* the staffing schedule sets them (check_staffing) */
    if (f.v == NULL && top(c, "worker_pools").v != NULL)
        return 0; /* the pools' counts set them (check_place) */
    if (f.v == NULL)
        return scn_missing(&f, c->err);
    if (top(c, "staffing").v != NULL)
        return yt_fail(c->err, f.key->at, "workers: staffing sets the workers; leave workers out");
    return scn_axis(&f, &workers_rule, &c->s->workers, c->err);
}

/* network_delay: seconds (or a list), or {value: seconds or a list (default 0), where: transit
 * | held (default transit)}. */
static int check_network_delay(const struct check *c)
{
    struct field f = top(c, "network_delay");
    if (f.v != NULL && f.v->kind == NODE_MAP) {
        if (scn_mapping(&f, delay_keys, c->err) < 0)
            return -1;
        struct field where = scn_field_in(f.v, f.path, "where");
        size_t i = 0;
        if (where.v != NULL && scn_name_index(&where, "place", where_names, &i, c->err) < 0)
            return -1;
        c->s->delay_held = i == 1;
        f = scn_field_in(f.v, f.path, "value");
    }
    if (f.v != NULL)
        return scn_axis(&f, &nonnegative, &c->s->network_delay, c->err);
    c->s->network_delay.v = mmc_xcalloc(1, sizeof *c->s->network_delay.v);
    c->s->network_delay.n = 1;
    return 0;
}

static int check_mem_per_task(const struct check *c)
{
    struct field f = top(c, "mem_per_task");
    if (f.v == NULL)
        return 0;
    return scn_number(&f, &nonnegative, &c->s->mem_per_task, c->err);
}

/* Without stop.precision, none of its refinements may appear. */
static int no_refinements(const struct field *stop, struct mmc_error *err)
{
    for (size_t i = 0; precision_keys[i] != NULL; i++) {
        struct field f = scn_field_in(stop->v, stop->path, precision_keys[i]);
        if (f.v != NULL)
            return yt_fail(err, f.key->at, "%s: only meaningful with stop.precision", f.path);
    }
    return 0;
}

static int precision_metric(const struct field *stop, struct mmc_precision *p,
                            struct mmc_error *err)
{
    struct field f = scn_field_in(stop->v, stop->path, "metric");
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (scn_name_index(&f, "metric", metric_names, &i, err) < 0)
        return -1;
    snprintf(p->metric, sizeof p->metric, "%s", metric_names[i]);
    return 0;
}

/* The precision keys of a stop mapping into p (defaults already there). */
static int check_precision(const struct field *stop, struct mmc_precision *p, struct mmc_error *err)
{
    double max_reps = (double)p->max_replications;
    if (stop->v->kind != NODE_MAP)
        return 0;
    if (scn_field_in(stop->v, stop->path, "precision").v == NULL)
        return no_refinements(stop, err);
    if (scn_opt_number(stop, "precision", &fraction, &p->target, err) < 0 ||
        scn_opt_number(stop, "confidence", &fraction, &p->confidence, err) < 0 ||
        precision_metric(stop, p, err) < 0 ||
        scn_opt_number(stop, "max_replications", &replications_rule, &max_reps, err) < 0 ||
        scn_opt_number(stop, "max_time", &positive, &p->max_time, err) < 0)
        return -1;
    p->max_replications = (unsigned long)max_reps;
    return 0;
}

static int check_stop(const struct check *c)
{
    static const struct limit_rules rules = {&scn_choices[CHOICE_STOP], stop_keys, &stop_bare,
                                             &stop_tasks, &positive};
    struct field f = top(c, "stop");
    if (f.v == NULL)
        return 0;
    if (scn_limit(&f, &rules, &c->s->stop, c->err) < 0)
        return -1;
    return check_precision(&f, &c->s->precision, c->err);
}

static int check_warmup(const struct check *c)
{
    static const struct limit_rules rules = {&scn_choices[CHOICE_WARMUP], limit_keys, &warmup_bare,
                                             &warmup_tasks, &nonnegative};
    struct field f = top(c, "warmup");
    if (f.v == NULL || scn_is_word(f.v, "auto"))
        return 0; /* the default: MMC_LIMIT_AUTO */
    if (scn_is_word(f.v, "none"))
        c->s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    else if (scn_limit(&f, &rules, &c->s->warmup, c->err) < 0)
        return -1;
    if (c->s->warmup.value == 0) /* nothing to discard, however it was said */
        c->s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    return 0;
}

/* empty, stationary or {in_system: N}; a backlog of 0 is empty, so it prints as such. */
static int check_initial(const struct check *c)
{
    struct field f = top(c, "initial");
    struct mmc_initial *in = &c->s->initial;
    if (f.v == NULL || scn_is_word(f.v, "empty"))
        return 0;
    if (scn_is_word(f.v, "stationary")) {
        in->kind = MMC_INITIAL_STATIONARY;
        return 0;
    }
    if (f.v->kind != NODE_MAP)
        return scn_bad(&f, "empty, stationary or a mapping {in_system: N}", c->err);
    if (scn_check_keys(f.v, f.path, initial_keys, c->err) < 0)
        return -1;
    struct field n = scn_field_in(f.v, f.path, "in_system");
    if (n.v == NULL)
        return scn_missing(&n, c->err);
    if (scn_number(&n, &in_system_rule, &in->in_system, c->err) < 0)
        return -1;
    in->kind = in->in_system > 0 ? MMC_INITIAL_IN_SYSTEM : MMC_INITIAL_EMPTY;
    return 0;
}

static int check_replications(const struct check *c)
{
    struct field f = top(c, "replications");
    double x = 0;
    if (f.v == NULL)
        return 0;
    if (scn_number(&f, &replications_rule, &x, c->err) < 0)
        return -1;
    c->s->replications = (unsigned long)x;
    return 0;
}

static int check_method(const struct check *c)
{
    struct field f = top(c, "method");
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (scn_name_index(&f, "method", scn_method_names, &i, c->err) < 0)
        return -1;
    c->s->method = (enum mmc_method)i;
    return 0;
}

static int check_batches(const struct check *c)
{
    struct field f = top(c, "batches");
    double x = 0;
    if (f.v == NULL)
        return 0;
    if (scn_number(&f, &batches_rule, &x, c->err) < 0)
        return -1;
    c->s->batches = (unsigned long)x;
    return 0;
}

static int check_compare(const struct check *c)
{
    struct field f = top(c, "compare");
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (scn_name_index(&f, "comparison", scn_compare_names, &i, c->err) < 0)
        return -1;
    c->s->compare = (enum mmc_compare_kind)i;
    return 0;
}

static int check_control_variates(const struct check *c)
{
    struct field f = top(c, "control_variates");
    if (f.v == NULL || scn_is_word(f.v, "false"))
        return 0;
    if (!scn_is_word(f.v, "true"))
        return scn_bad(&f, "true or false", c->err);
    c->s->control_variates = true;
    return 0;
}

static int check_wait_threshold(const struct check *c)
{
    struct field f = top(c, "wait_threshold");
    return f.v == NULL ? 0 : scn_number(&f, &nonnegative, &c->s->wait_threshold, c->err);
}

/* capacity: K, at least every workers value (a smaller K would idle workers for good). */
static int check_capacity(const struct check *c)
{
    struct field f = top(c, "capacity");
    struct mmc_protection *pr = &c->s->protect;
    char what[80];
    if (f.v == NULL)
        return 0;
    if (scn_number(&f, &capacity_rule, &pr->capacity, c->err) < 0)
        return -1;
    for (size_t i = 0; i < c->s->workers.n; i++)
        if (pr->capacity < c->s->workers.v[i]) {
            snprintf(what, sizeof what, "a whole number >= workers (%.0f)", c->s->workers.v[i]);
            return scn_bad(&f, what, c->err);
        }
    return 0;
}

/* shed: {threshold: N, drop: newest|oldest}. */
static int check_shed(const struct check *c)
{
    struct field f = top(c, "shed");
    struct mmc_protection *pr = &c->s->protect;
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, shed_keys, c->err) < 0)
        return -1;
    struct field thr = scn_field_in(f.v, f.path, "threshold");
    struct field drop = scn_field_in(f.v, f.path, "drop");
    if (thr.v == NULL)
        return scn_missing(&thr, c->err);
    if (scn_number(&thr, &threshold_rule, &pr->shed_threshold, c->err) < 0)
        return -1;
    if (drop.v != NULL && scn_name_index(&drop, "drop policy", scn_drop_names, &i, c->err) < 0)
        return -1;
    pr->drop = (enum mmc_drop)i;
    pr->shed = true;
    return 0;
}

/* throttle: {rate: r, burst: b, excess: reject|delay}. */
static int check_throttle(const struct check *c)
{
    struct field f = top(c, "throttle");
    struct mmc_protection *pr = &c->s->protect;
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (scn_mapping(&f, throttle_keys, c->err) < 0)
        return -1;
    struct field rate = scn_field_in(f.v, f.path, "rate");
    struct field excess = scn_field_in(f.v, f.path, "excess");
    if (rate.v == NULL)
        return scn_missing(&rate, c->err);
    pr->throttle_burst = 1;
    if (scn_number(&rate, &positive, &pr->throttle_rate, c->err) < 0 ||
        scn_opt_number(&f, "burst", &burst_rule, &pr->throttle_burst, c->err) < 0)
        return -1;
    if (excess.v != NULL &&
        scn_name_index(&excess, "excess policy", scn_excess_names, &i, c->err) < 0)
        return -1;
    pr->excess = (enum mmc_excess)i;
    pr->throttle = true;
    return 0;
}

/* patience: a distribution with one rate or mean (no sweep). */
static int check_patience(const struct check *c)
{
    struct field f = top(c, "patience");
    struct mmc_protection *pr = &c->s->protect;
    struct mmc_axis rates = {0};
    if (f.v == NULL)
        return 0;
    int rc = check_dist(c, "patience", patience_keys, &pr->patience_dist, &rates, NULL);
    if (rc == 0 && (rates.n != 1 || rates.v == NULL)) {
        struct field r = scn_field_in(f.v, f.path, "rate");
        if (r.v == NULL)
            r = scn_field_in(f.v, f.path, "mean");
        scn_bad_length(&r, "one value (patience is not swept)", c->err);
        rc = -1;
    }
    if (rc == 0) {
        pr->patience_rate = rates.v[0];
        pr->patience = true;
    }
    free(rates.v);
    return rc;
}

/* Plain digits are read with strtoull: seeds above 2^53 must keep every bit. */
_Static_assert(ULLONG_MAX == UINT64_MAX, "strtoull must cover exactly the uint64_t seeds");

static int check_seed(const struct check *c)
{
    struct field f = top(c, "seed");
    double x = 0;
    if (f.v == NULL)
        return 0;
    if (scn_number_node(&f, &seed_rule, c->err) < 0)
        return -1;
    if (strspn(f.v->text, "0123456789") == f.v->len) {
        errno = 0;
        unsigned long long u = strtoull(f.v->text, NULL, 10);
        if (errno == ERANGE)
            return scn_bad(&f, seed_rule.high, c->err);
        c->s->seed = (uint64_t)u;
        return 0;
    }
    if (scn_number(&f, &seed_rule, &x, c->err) < 0)
        return -1;
    c->s->seed = (uint64_t)x;
    return 0;
}

static int check_rng(const struct check *c)
{
    struct field f = top(c, "rng");
    const char *name = "";
    char shown[SHOW_BUF];
    if (f.v == NULL)
        return 0;
    if (scn_string(&f, &name, c->err) < 0)
        return -1;
    /* gsl_rng_types_setup refills a GSL-owned static array with the same pointers on each call */
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++)
        if (strcmp((*t)->name, name) == 0 && strlen(name) < sizeof c->s->rng) {
            memcpy(c->s->rng, name, strlen(name) + 1);
            return 0;
        }
    yt_show(f.v->text, f.v->len, shown, sizeof shown);
    return yt_fail(c->err, f.v->at,
                   "rng: unknown GSL generator \"%s\" (known: mt19937, ranlxd2, taus2, gfsr4, ...)",
                   shown);
}

/* Batch-means is one long run: one replication, no sequential stopping over runs. */
static int check_batch_means(const struct check *c)
{
    struct field reps = top(c, "replications"), batches = top(c, "batches");
    struct field stop = top(c, "stop");
    char got[SHOW_BUF + 16];
    if (c->s->method != MMC_METHOD_BATCH_MEANS) {
        if (batches.v != NULL)
            return yt_fail(c->err, batches.key->at,
                           "batches: only meaningful with method: batch-means");
        return 0;
    }
    if (reps.v != NULL && c->s->replications != 1)
        return yt_fail(c->err, reps.v->at,
                       "replications: batch-means uses one long run, expected 1, got %s",
                       yt_describe(reps.v, got, sizeof got));
    if (c->s->precision.target > 0) {
        struct field prec = scn_field_in(stop.v, "stop", "precision");
        return yt_fail(c->err, prec.key->at, "stop.precision: needs method: replications");
    }
    c->s->replications = 1;
    return 0;
}

/*
 * Sequential stopping starts from `replications` runs, so its cap cannot be
 * lower. A cap left at its default rises to meet replications instead.
 */
static int check_max_replications(const struct check *c)
{
    struct mmc_precision *p = &c->s->precision;
    char what[64];
    if (p->target == 0 || p->max_replications >= c->s->replications)
        return 0;
    struct field stop = top(c, "stop"); /* a mapping: it holds stop.precision */
    struct field f = scn_field_in(stop.v, "stop", "max_replications");
    if (f.v == NULL) {
        p->max_replications = c->s->replications;
        return 0;
    }
    snprintf(what, sizeof what, "a whole number >= replications (%lu)", c->s->replications);
    return scn_bad(&f, what, c->err);
}

/* ---- checks across keys (reported as read_after says) ---- */

/* The keys that turn overload protection on; each one present is on. */
static const char *const protection_keys[] = {"capacity", "shed", "throttle", "patience", NULL};

/* What decides a limit: its bare value, or the tasks or time in its mapping. */
static struct field limit_field(const struct check *c, const char *key)
{
    struct field f = top(c, key);
    if (f.v == NULL || f.v->kind != NODE_MAP)
        return f;
    struct field tasks = scn_field_in(f.v, f.path, "tasks");
    return tasks.v != NULL ? tasks : scn_field_in(f.v, f.path, "time");
}

/* The protection key read first (.v NULL when protection is off). */
static struct field first_protection(const struct check *c)
{
    struct field first = {.v = NULL};
    for (size_t i = 0; protection_keys[i] != NULL; i++) {
        struct field f = top(c, protection_keys[i]);
        if (f.v != NULL && (first.v == NULL || read_after(&first, &f)))
            first = f;
    }
    return first;
}

/* "path: value" for a message naming the other key of a combination (a scalar's text). */
static void show_value(const struct field *f, char *buf, size_t size)
{
    char got[SHOW_BUF];
    assert(f->v->kind == NODE_SCALAR); /* a limit's value: a number, none or auto */
    yt_show(f->v->text, f->v->len, got, sizeof got);
    snprintf(buf, size, "%s: %s", f->path, got);
}

/* Batch means cuts the run by task counts: stop: {tasks: N} with enough tasks for every batch. */
static int check_bm_stop(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    unsigned long fine = s->batches * MMC_FINE_PER_BATCH;
    double need = (double)MMC_TASKS_PER_FINE_BATCH * (double)fine;
    if (s->method != MMC_METHOD_BATCH_MEANS ||
        (s->stop.kind == MMC_LIMIT_TASKS && s->stop.value >= need))
        return 0;
    struct field m = top(c, "method"), stop = limit_field(c, "stop"), b = top(c, "batches");
    char why[128], what[192], got[SHOW_BUF + 80];
    snprintf(why, sizeof why, "%d tasks for each of %lu x %d fine batches",
             MMC_TASKS_PER_FINE_BATCH, s->batches, MMC_FINE_PER_BATCH);
    /* the default stop has enough tasks for the most batches */
    assert(stop.v != NULL);
    show_value(&stop, got, sizeof got);
    const struct field *at = read_after(&stop, &m) ? &stop : &m;
    if (s->stop.kind == MMC_LIMIT_TASKS && read_after(&b, at))
        at = &b;
    if (at == &stop && s->stop.kind == MMC_LIMIT_TASKS) {
        snprintf(what, sizeof what, "a whole number >= %.0f with method: batch-means (%s)", need,
                 why);
        return scn_bad(&stop, what, c->err);
    }
    if (at == &stop)
        return yt_fail(c->err, stop.v->at,
                       "%s: method: batch-means needs stop.tasks >= %.0f (%s), not a time limit",
                       stop.path, need, why);
    if (at == &b)
        return yt_fail(c->err, b.v->at, "batches: %lu batches need stop.tasks >= %.0f (%s), got %s",
                       s->batches, need, why, got);
    return yt_fail(c->err, m.v->at, "method: batch-means needs stop.tasks >= %.0f (%s), got %s",
                   need, why, got);
}

/* Batch means measures the queue, not what protection turns away. */
static int check_bm_losses(const struct check *c)
{
    if (c->s->method != MMC_METHOD_BATCH_MEANS || !mmc_protection_is_on(&c->s->protect))
        return 0;
    struct field m = top(c, "method"), p = first_protection(c);
    assert(p.v != NULL);
    if (read_after(&p, &m))
        return yt_fail(c->err, p.v->at,
                       "%s: not with method: batch-means, which does not measure losses; use "
                       "method: replications",
                       p.path);
    return yt_fail(c->err, m.v->at,
                   "method: batch-means does not measure losses, and %s is set; use method: "
                   "replications",
                   p.path);
}

/* Model place's blocking is a loss too: on_full: reject is not measured by batch means. */
static int check_bm_place(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    if (s->method != MMC_METHOD_BATCH_MEANS || strcmp(s->model, "place") != 0 ||
        s->place.on_full != MMC_PLACE_REJECT)
        return 0;
    struct field m = top(c, "method"), sc = top(c, "scheduler");
    struct field of = scn_field_in(sc.v, sc.path, "on_full");
    if (read_after(&of, &m))
        return yt_fail(c->err, of.v->at,
                       "scheduler.on_full: reject is not measured with method: batch-means, which "
                       "does not measure losses; use method: replications");
    return yt_fail(c->err, m.v->at,
                   "method: batch-means does not measure losses, and scheduler.on_full is reject; "
                   "use method: replications");
}

/* Batch means measures a steady state: something must bring the run there. */
static int check_bm_warmup(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    if (s->method != MMC_METHOD_BATCH_MEANS || s->warmup.kind != MMC_LIMIT_NONE ||
        s->initial.kind == MMC_INITIAL_STATIONARY)
        return 0;
    struct field m = top(c, "method"), w = limit_field(c, "warmup");
    char got[SHOW_BUF + 80];
    /* only a warmup key says none here: a time-varying workload refused batch means before */
    assert(w.v != NULL);
    if (read_after(&w, &m))
        return scn_bad(&w,
                       "a warm-up (method: batch-means measures a steady state; or use initial: "
                       "stationary)",
                       c->err);
    show_value(&w, got, sizeof got);
    return yt_fail(c->err, m.v->at,
                   "method: batch-means measures a steady state: it needs a warmup (or initial: "
                   "stationary), got %s",
                   got);
}

/* The dist of a law that is not exponential (every such law names its dist). */
static struct field dist_field(const struct check *c, const char *key)
{
    struct field f = top(c, key);
    struct field d = scn_field_in(f.v, f.path, "dist");
    assert(d.v != NULL);
    return d;
}

/* A stationary start draws from the M/M/c law: exponential times, nothing turned away. */
/* A stationary start needs a steady state at every point of the sweep: rho < 1 (at `initial`). */
static int check_stationary_load(const struct mmc_scenario *s, const struct field *in,
                                 struct mmc_error *err)
{
    const struct mmc_axis *a = &s->arrival, *m = &s->service, *w = &s->workers;
    for (size_t ia = 0; ia < a->n; ia++)
        for (size_t im = 0; im < m->n; im++)
            for (size_t ic = 0; ic < w->n; ic++) {
                double cm = w->v[ic] * m->v[im];
                double lambda = s->arrival_is_load ? a->v[ia] * cm : a->v[ia];
                if (lambda / cm < 1.0)
                    continue;
                return yt_fail(err, in->v->at,
                               "initial: stationary needs a steady state at every point, but at "
                               "workers %g, lambda %g, mu %g the load is rho = %g >= 1; use "
                               "warmup: auto",
                               w->v[ic], lambda, m->v[im], lambda / cm);
            }
    return 0;
}

static int check_stationary(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    if (s->initial.kind != MMC_INITIAL_STATIONARY)
        return 0;
    struct field in = top(c, "initial"), first = first_protection(c);
    if (s->service_dist.shape.kind != MMC_DIST_EXPONENTIAL) {
        struct field d = dist_field(c, "service");
        first = first.v == NULL || read_after(&first, &d) ? d : first;
    }
    if (s->arrival_dist.shape.kind != MMC_DIST_EXPONENTIAL) {
        struct field d = dist_field(c, "arrival");
        first = first.v == NULL || read_after(&first, &d) ? d : first;
    }
    char got[SHOW_BUF + 80];
    if (first.v == NULL)
        return check_stationary_load(s, &in, c->err);
    bool is_dist = strcmp(first.key->text, "dist") == 0; /* else a protection key */
    if (read_after(&in, &first)) {
        if (is_dist)
            show_value(&first, got, sizeof got);
        else
            snprintf(got, sizeof got, "%s (overload protection)", first.path);
        return yt_fail(c->err, in.v->at,
                       "initial: stationary needs exponential arrival and service times and no "
                       "overload protection (the stationary law is known only for M/M/c), got %s; "
                       "use warmup: auto",
                       got);
    }
    if (is_dist)
        return scn_bad(&first,
                       "exponential with initial: stationary (the stationary law is known only "
                       "for M/M/c)",
                       c->err);
    return yt_fail(c->err, first.v->at,
                   "%s: not with initial: stationary (the stationary law is known only for M/M/c "
                   "without overload protection); use warmup: auto",
                   first.path);
}

/* What the models beyond mmc do not take (yet), and why: a key, or a key's sub-key, with any
 * value or only the one named; models: those that lack it, each between spaces. */
static const struct {
    const char *key, *sub, *value, *why, *models;
} model_gaps[] = {
    {"initial", NULL, "stationary", "no exact stationary law is known for it; use warmup: auto",
     " push pull steal place "},
    {"patience", NULL, NULL,
     "a waiting task may move to another worker's deque; abandonment is not modelled there",
     " steal "},
    {"staffing", NULL, NULL,
     "shift changes of workers that own deques and steal are not modelled; use workers", " steal "},
    {"preemption", NULL, "resume", "the queue cannot interrupt a task a remote worker has taken",
     " pull "},
    {"preemption", NULL, "resume", "a task a worker has started is not interrupted", " steal "},
    {"initial", "in_system", NULL, "a backlog of requests at time 0 is not modelled yet",
     " place "},
    {"capacity", NULL, NULL,
     "the cluster's room limits it; scheduler.on_full: reject blocks what does not fit", " place "},
    {"shed", NULL, NULL, "overload protection is not modelled with the scheduler yet", " place "},
    {"throttle", NULL, NULL, "overload protection is not modelled with the scheduler yet",
     " place "},
    {"patience", NULL, NULL, "overload protection is not modelled with the scheduler yet",
     " place "},
    {"staffing", NULL, NULL, "scheduler threads are fixed (scheduler.threads)", " place "},
    {"network_delay", "where", "held", "the scheduler holds no network delay", " place "},
    {"service", "dist", "trace", "service is the containers' lifetime, drawn per container",
     " place "},
    {"control_variates", NULL, "true",
     "a request's decision time sums its retries: no known mean to control by", " place "},
};

/* model_gaps[i] as set in the scenario (.v NULL when it is not, or the model has it). */
static struct field model_gap(const struct check *c, size_t i)
{
    char word[sizeof c->s->model + 2];
    snprintf(word, sizeof word, " %s ", c->s->model);
    if (strstr(model_gaps[i].models, word) == NULL)
        return (struct field){.v = NULL};
    struct field f = top(c, model_gaps[i].key);
    if (f.v != NULL && model_gaps[i].sub != NULL)
        f = f.v->kind == NODE_MAP ? scn_field_in(f.v, f.path, model_gaps[i].sub)
                                  : (struct field){.v = NULL};
    if (f.v != NULL && model_gaps[i].value != NULL && !scn_is_name(f.v, model_gaps[i].value))
        f.v = NULL;
    return f;
}

/* The blocks that only one model reads, and what it does with tasks (for the messages). */
static const struct {
    const char *key, *model, *does, *to_do;
} model_blocks[] = {
    {"dispatch", "push", "dispatches", "dispatch"}, {"pull", "pull", "pulls", "pull"},
    {"steal", "steal", "steals", "steal"},          {"worker_capacity", "place", "places", "place"},
    {"worker_pools", "place", "places", "place"},   {"request", "place", "places", "place"},
    {"scheduler", "place", "places", "place"},      {"placement", "place", "places", "place"},
};

/* A model's own block under another model: at the one read last. */
static int check_block_owner(const struct check *c)
{
    struct field m = top(c, "model");
    for (size_t i = 0; i < sizeof model_blocks / sizeof *model_blocks; i++) {
        struct field b = top(c, model_blocks[i].key);
        const char *key = model_blocks[i].key, *own = model_blocks[i].model;
        if (b.v == NULL || strcmp(c->s->model, own) == 0)
            continue;
        if (read_after(&b, &m))
            return yt_fail(c->err, b.v->at, "%s: only model: %s %s tasks (model is %s)", key, own,
                           model_blocks[i].does, c->s->model);
        return yt_fail(c->err, m.v->at, "model: %s does not %s tasks, and %s is set; use model: %s",
                       c->s->model, model_blocks[i].to_do, key, own);
    }
    return 0;
}

/* A model beyond mmc with a key it does not take. Of those set, the one read first made the
 * combination (as first_protection); it is reported unless the model was read after it. */
static int check_model_keys(const struct check *c)
{
    struct field m = top(c, "model"), first = {.v = NULL};
    const char *model = c->s->model;
    size_t gap = 0;
    char what[sizeof first.path + 16];
    if (check_block_owner(c) < 0)
        return -1;
    if (strcmp(model, "mmc") == 0)
        return 0;
    for (size_t i = 0; i < sizeof model_gaps / sizeof *model_gaps; i++) {
        struct field f = model_gap(c, i);
        if (f.v != NULL && (first.v == NULL || read_after(&first, &f))) {
            first = f;
            gap = i;
        }
    }
    if (first.v == NULL)
        return 0;
    const char *value = model_gaps[gap].value;
    snprintf(what, sizeof what, "%s%s%s", first.path, value ? ": " : "", value ? value : "");
    if (read_after(&first, &m))
        return yt_fail(c->err, first.v->at, "%s%s not available with model: %s (%s)", what,
                       value ? " is" : ":", model, model_gaps[gap].why);
    return yt_fail(c->err, m.v->at, "model: %s does not take %s (%s)", model, what,
                   model_gaps[gap].why);
}

/* power_of_d samples d distinct workers: at most every workers value (as capacity, at its key;
 * a default d at the policy that chose it). */
static int check_dispatch_d(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    struct field f = top(c, "dispatch");
    char what[64];
    if (s->dispatch.policy != MMC_POLICY_POWER_OF_D)
        return 0;
    for (size_t i = 0; i < s->workers.n; i++) {
        if ((double)s->dispatch.d <= s->workers.v[i])
            continue;
        struct field d = scn_field_in(f.v, f.path, "d"), p = scn_field_in(f.v, f.path, "policy");
        if (d.v == NULL)
            return yt_fail(c->err, p.v->at,
                           "dispatch.policy: power_of_d samples d = %lu workers by default, more "
                           "than workers (%.0f); set dispatch.d",
                           s->dispatch.d, s->workers.v[i]);
        snprintf(what, sizeof what, "at most the number of workers (%.0f)", s->workers.v[i]);
        return scn_bad(&d, what, c->err);
    }
    return 0;
}

/* most_loaded steals from another worker: every workers value at least 2 (at the victim key;
 * staffing is refused with model: steal). */
static int check_steal_victim(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    if (strcmp(s->model, "steal") != 0 || s->steal.victim != MMC_STEAL_VICTIM_MOST_LOADED)
        return 0;
    for (size_t i = 0; i < s->workers.n; i++) {
        if (s->workers.v[i] >= 2)
            continue;
        struct field f = top(c, "steal");
        struct field v = scn_field_in(f.v, f.path, "victim");
        if (v.v == NULL) /* most_loaded is never the default: it was given */
            return yt_fail(c->err, f.v != NULL ? f.v->at : top(c, "model").v->at,
                           "steal.victim: most_loaded needs at least 2 workers");
        return scn_bad(&v,
                       "random or none with one worker (most_loaded steals from another worker; "
                       "workers includes 1)",
                       c->err);
    }
    return 0;
}

/* The combinations the run itself could not make: what the model takes first, then in the
 * order experiment.c used to find them. */
/* A held network delay makes the service d + S, whose stationary law is not M/M/c's. */
static int check_held_stationary(const struct check *c)
{
    if (!c->s->delay_held || c->s->initial.kind != MMC_INITIAL_STATIONARY)
        return 0;
    struct field in = top(c, "initial"), nd = top(c, "network_delay");
    struct field where = scn_field_in(nd.v, nd.path, "where");
    if (read_after(&in, &where))
        return yt_fail(c->err, in.v->at,
                       "initial: stationary is not available with network_delay where: held (the "
                       "worker holds d + S: no exact stationary law); use warmup: auto");
    return yt_fail(c->err, where.v->at,
                   "network_delay.where: held is not available with initial: stationary (the "
                   "worker holds d + S: no exact stationary law); use warmup: auto");
}

/* What priority classes do not take (yet): a key, with any value or only the one named. */
static const struct {
    const char *key, *sub, *value, *why;
} class_gaps[] = {
    {"model", NULL, "place", "classes are not simulated with the scheduler's queue (model: place)"},
    {"method", NULL, "batch-means", "class rows are aggregated over replications"},
    {"initial", NULL, "stationary", "no exact stationary law is known with classes"},
    {"service", "dist", "trace", "each class draws its own service times"},
    {"capacity", NULL, NULL, "protection is not simulated with classes yet"},
    {"shed", NULL, NULL, "protection is not simulated with classes yet"},
    {"throttle", NULL, NULL, "protection is not simulated with classes yet"},
    {"patience", NULL, NULL, "protection is not simulated with classes yet"},
    {"staffing", NULL, NULL, "a staffing schedule is not simulated with classes yet"},
};

/* Classes with a key they do not take: at the one read last. */
static int check_class_gaps(const struct check *c)
{
    struct field cl = top(c, "classes");
    if (c->s->classes.n == 0)
        return 0;
    for (size_t i = 0; i < sizeof class_gaps / sizeof *class_gaps; i++) {
        struct field f = top(c, class_gaps[i].key);
        if (f.v != NULL && class_gaps[i].sub != NULL)
            f = f.v->kind == NODE_MAP ? scn_field_in(f.v, f.path, class_gaps[i].sub)
                                      : (struct field){.v = NULL};
        if (f.v == NULL || (class_gaps[i].value != NULL && !scn_is_name(f.v, class_gaps[i].value)))
            continue;
        const char *value = class_gaps[i].value;
        if (read_after(&f, &cl))
            return yt_fail(c->err, f.v->at, "%s%s%s: not with classes (%s)", f.path,
                           value ? ": " : "", value ? value : "", class_gaps[i].why);
        return yt_fail(c->err, cl.v->at, "classes: not with %s%s%s (%s)", f.path, value ? ": " : "",
                       value ? value : "", class_gaps[i].why);
    }
    return 0;
}

static int check_combinations(const struct check *c)
{
    if (check_class_gaps(c) < 0)
        return -1;
    if (check_held_stationary(c) < 0)
        return -1;
    if (check_model_keys(c) < 0 || check_dispatch_d(c) < 0 || check_steal_victim(c) < 0 ||
        check_place_needs(c) < 0)
        return -1;
    if (check_bm_stop(c) < 0 || check_bm_losses(c) < 0 || check_bm_place(c) < 0 ||
        check_bm_warmup(c) < 0)
        return -1;
    return check_stationary(c);
}

static void set_defaults(struct mmc_scenario *s)
{
    s->dispatch = (struct mmc_dispatch){MMC_POLICY_ROUND_ROBIN, 2, 1000, 0};
    s->pull = (struct mmc_pull){0, 0};
    s->steal = (struct mmc_steal){MMC_STEAL_ARRIVE_RANDOM, MMC_STEAL_ORDER_LIFO,
                                  MMC_STEAL_VICTIM_RANDOM, MMC_STEAL_AMOUNT_ONE, 0};
    s->place = (struct mmc_place){.threads = 1,
                                  .max_retries = 3,
                                  .concurrency = MMC_PLACE_OPTIMISTIC,
                                  .on_full = MMC_PLACE_WAIT,
                                  .policy = MMC_PLACE_LEAST_LOADED,
                                  .fallback = MMC_PLACE_LEAST_LOADED};
    mmc_dist_deterministic(&s->place.decision.shape);
    mmc_dist_deterministic(&s->place.backoff.shape);
    s->stop = (struct mmc_limit){MMC_LIMIT_TASKS, DEFAULT_STOP_TASKS};
    s->warmup = (struct mmc_limit){MMC_LIMIT_AUTO, 0};
    s->replications = 10;
    s->initial = (struct mmc_initial){MMC_INITIAL_EMPTY, 0};
    s->precision = (struct mmc_precision){
        .target = 0, .confidence = 0.95, .metric = "T", .max_replications = 1000, .max_time = 0};
    s->method = MMC_METHOD_REPLICATIONS;
    s->batches = 30;
    s->compare = MMC_COMPARE_NONE;
    s->control_variates = false;
    s->wait_threshold = NAN;
    s->seed = 1;
    snprintf(s->rng, sizeof s->rng, "%s", "taus2");
}

/*
 * Defaults first; each check then overwrites what its key says, in schema
 * order; the checks across keys come last, when every value is known.
 */
static int check_root(const struct check *c)
{
    static check_fn *const steps[] = {
        check_name,
        check_description,
        check_model,
        check_classes,
        check_arrival,
        check_service,
        check_workers,
        check_network_delay,
        check_mem_per_task,
        check_stop,
        check_warmup,
        check_initial,
        check_replications,
        check_method,
        check_batches,
        check_compare,
        check_control_variates,
        check_wait_threshold,
        check_staffing,
        check_capacity,
        check_shed,
        check_throttle,
        check_patience,
        check_seed,
        check_rng,
        check_batch_means,
        check_max_replications,
        check_model_blocks,
        check_place,
        check_time_varying,
        check_sweep,
        check_combinations,
    };
    set_defaults(c->s);
    if (scn_check_keys(c->root, "", scn_top_keys, c->err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i](c) < 0)
            return -1;
    return 0;
}

/* ---- loading ---- */

/* The text of a scenario and the name its errors carry. */
struct source {
    const char *text;
    size_t len;
    const char *file;
};

static int read_root(const struct source *src, struct node **root, struct mmc_error *err)
{
    struct yt_input in = {.text = src->text, .len = src->len, .file = src->file};
    struct origin end = {src->file, 1, 1};
    char got[SHOW_BUF + 16];
    if (yt_parse(&in, root, &end, err) < 0)
        return -1;
    if (*root != NULL && (*root)->kind == NODE_MAP)
        return 0;
    if (*root == NULL || yt_is_null(*root))
        yt_fail(err, *root ? (*root)->at : end,
                "empty scenario: expected a mapping with model, arrival, service and workers");
    else
        yt_fail(err, (*root)->at,
                "expected a mapping (model: ..., arrival: ...) at the top, got %s",
                yt_describe(*root, got, sizeof got));
    yt_node_free(*root);
    *root = NULL;
    return -1;
}

/* The tree of src with the overrides applied; 0, or -1 with err set (*root is then NULL). */
static int read_with_overrides(const struct source *src, const struct mmc_override *ov, size_t n_ov,
                               struct node **root, struct mmc_error *err)
{
    if (read_root(src, root, err) < 0)
        return -1;
    for (size_t i = 0; i < n_ov; i++)
        if (scn_apply_override(*root, ov[i].text, yt_clamp_int(i + 1), err) < 0) {
            yt_node_free(*root);
            *root = NULL;
            return -1;
        }
    return 0;
}

/*
 * Did merging a variant cause err? Not when the base alone (overrides
 * applied, no variant) fails with the very same error: then it is the
 * base's, and every variant has it.
 */
static bool variant_caused(const struct source *src, const struct mmc_override *ov, size_t n_ov,
                           const struct mmc_error *err)
{
    struct node *root = NULL;
    struct mmc_error base_err = {0};
    struct mmc_scenario base = {0};
    /* the same text and overrides read before: they read again */
    if (read_with_overrides(src, ov, n_ov, &root, &base_err) < 0)
        return true;
    yt_map_remove(root, "variants", 8);
    int rc = check_root(&(struct check){root, src->file, &base, &base_err});
    yt_node_free(root);
    mmc_scenario_fini(&base);
    return rc == 0 || strcmp(base_err.file, err->file) != 0 || base_err.line != err->line ||
           base_err.col != err->col || strcmp(base_err.msg, err->msg) != 0;
}

/* Name the variant at the end of err's message, cutting the message rather than the name. */
static void name_variant(struct mmc_error *err, const char *name)
{
    char shown[SHOW_BUF], tail[SHOW_BUF + 16], msg[sizeof err->msg];
    yt_show(name, strlen(name), shown, sizeof shown);
    int n = snprintf(tail, sizeof tail, " (variant \"%s\")", shown);
    int room = (int)sizeof msg - 1 - n;
    snprintf(msg, sizeof msg, "%.*s%s", room > 0 ? room : 0, err->msg, tail);
    memcpy(err->msg, msg, sizeof msg);
}

static int load(struct mmc_scenario *s, const struct source *src, const struct mmc_override *ov,
                size_t n_ov, size_t variant, struct mmc_error *err)
{
    struct node *root = NULL;
    char name[sizeof s->variant] = "";
    size_t n_variants = 0;
    assert(ov != NULL || n_ov == 0);
    if (read_with_overrides(src, ov, n_ov, &root, err) < 0)
        return -1;
    int rc = scn_check_variants(root, &n_variants, err);
    if (rc == 0 && n_variants > 0)
        rc = scn_check_base_keys(root, err);
    if (rc == 0 && n_variants > 0) {
        assert(variant < n_variants);
        scn_apply_variant(root, variant, name, sizeof name);
    }
    assert(n_variants > 0 || variant == 0);
    if (rc == 0) {
        rc = check_root(&(struct check){root, src->file, s, err});
        if (rc < 0 && n_variants > 0 && variant_caused(src, ov, n_ov, err))
            name_variant(err, name);
    }
    yt_node_free(root);
    if (rc < 0) {
        mmc_scenario_fini(s);
        return rc;
    }
    memcpy(s->variant, name, sizeof name);
    s->n_variants = n_variants;
    return 0;
}

static int io_error(const char *path, int e, struct mmc_error *err)
{
    char msg[128];
    if (strerror_r(e, msg, sizeof msg) != 0) /* XSI strerror_r: reentrant */
        snprintf(msg, sizeof msg, "error %d", e);
    return yt_fail(err, (struct origin){path, 0, 0}, "cannot read: %s", msg);
}

/* The whole stream into *out (caller frees); returns 0 or an errno value. */
static int read_all(FILE *f, char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = mmc_xmalloc(cap, 1);
    while ((n += fread(buf + n, 1, cap - n, f)) == cap) {
        if (cap >= MAX_FILE_BYTES) {
            free(buf);
            return EFBIG;
        }
        cap *= 2;
        buf = mmc_xrealloc(buf, cap, 1);
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        return e;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* fopen succeeds on a directory on Linux and only the read fails: say why up front. */
static int slurp(const char *path, char **out, size_t *len, struct mmc_error *err)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return io_error(path, errno, err);
    errno = 0;
    int e = fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : read_all(f, out, len);
    fclose(f);
    return e ? io_error(path, e, err) : 0;
}

int mmc_scenario_load(struct mmc_scenario *s, const char *path, const struct mmc_override *ov,
                      size_t n_ov, struct mmc_error *err)
{
    return mmc_scenario_load_variant(s, path, ov, n_ov, 0, err);
}

int mmc_scenario_load_variant(struct mmc_scenario *s, const char *path,
                              const struct mmc_override *ov, size_t n_ov, size_t variant,
                              struct mmc_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *s = (struct mmc_scenario){0};
    if (strlen(path) >= sizeof s->file)
        return io_error(path, ENAMETOOLONG, err);
    if (slurp(path, &text, &len, err) < 0)
        return -1;
    int rc = load(s, &(struct source){text, len, path}, ov, n_ov, variant, err);
    free(text);
    if (rc == 0)
        memcpy(s->file, path, strlen(path) + 1);
    return rc;
}

int mmc_scenario_load_string(struct mmc_scenario *s, const char *yaml, size_t len,
                             const char *name_for_errors, const struct mmc_override *ov,
                             size_t n_ov, size_t variant, struct mmc_error *err)
{
    *s = (struct mmc_scenario){0};
    struct source src = {yaml ? yaml : "", yaml ? len : 0, name_for_errors ? name_for_errors : ""};
    return load(s, &src, ov, n_ov, variant, err);
}

void mmc_scenario_fini(struct mmc_scenario *s)
{
    free(s->description);
    free(s->arrival.v);
    free(s->service.v);
    free(s->workers.v);
    free(s->network_delay.v);
    free(s->arrival_dist.file);
    free(s->arrival_dist.samples);
    free(s->service_dist.file);
    free(s->service_dist.samples);
    free(s->process.sched_t);
    free(s->process.sched_v);
    free(s->process.trace_file);
    mmc_trace_fini(&s->process.trace);
    free(s->staffing.t);
    free(s->staffing.c);
    free(s->protect.patience_dist.file);
    free(s->protect.patience_dist.samples);
    free(s->place.decision.file);
    free(s->place.decision.samples);
    free(s->place.backoff.file);
    free(s->place.backoff.samples);
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        free(s->place.demand[r].file);
        free(s->place.demand[r].samples);
    }
    for (size_t i = 0; i < s->classes.n; i++) {
        free(s->classes.c[i].service_dist.file);
        free(s->classes.c[i].service_dist.samples);
    }
    *s = (struct mmc_scenario){0};
}

const char *mmc_policy_name(enum mmc_policy p)
{
    assert(p >= MMC_POLICY_ROUND_ROBIN && p <= MMC_POLICY_HASH);
    return policy_names[p];
}

const char *mmc_steal_arrive_name(enum mmc_steal_arrive a)
{
    assert(a >= MMC_STEAL_ARRIVE_RANDOM && a <= MMC_STEAL_ARRIVE_ROUND_ROBIN);
    return scn_steal_arrive_names[a];
}

const char *mmc_steal_order_name(enum mmc_steal_order o)
{
    assert(o >= MMC_STEAL_ORDER_LIFO && o <= MMC_STEAL_ORDER_FIFO);
    return scn_steal_order_names[o];
}

const char *mmc_steal_victim_name(enum mmc_steal_victim v)
{
    assert(v >= MMC_STEAL_VICTIM_RANDOM && v <= MMC_STEAL_VICTIM_NONE);
    return scn_steal_victim_names[v];
}

const char *mmc_steal_amount_name(enum mmc_steal_amount a)
{
    assert(a >= MMC_STEAL_AMOUNT_ONE && a <= MMC_STEAL_AMOUNT_HALF);
    return scn_steal_amount_names[a];
}

bool mmc_protection_is_on(const struct mmc_protection *pr)
{
    return pr->capacity > 0 || pr->shed || pr->throttle || pr->patience;
}

const char *mmc_place_policy_name(enum mmc_place_policy p)
{
    assert(p <= MMC_PLACE_HASH);
    return place_policy_names[p];
}

const char *mmc_place_resource_name(size_t r)
{
    assert(r < MMC_PLACE_RESOURCES);
    return resource_keys[r];
}

unsigned long mmc_place_slots(const double cap[MMC_PLACE_RESOURCES],
                              const double req[MMC_PLACE_RESOURCES])
{
    double slots = INFINITY;
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++)
        if (req[r] > 0.0) /* 0.3 / 0.1 is 2.9999999999999996: forgive the rounding */
            slots = fmin(slots, floor(cap[r] / req[r] * (1.0 + 1e-12)));
    assert(slots >= 0.0);
    return slots < 4e9 ? (unsigned long)slots : 4000000000UL;
}

unsigned long mmc_place_workers(const struct mmc_place *pl, unsigned long n)
{
    if (!pl->pools)
        return n;
    unsigned long sum = 0;
    for (size_t i = 0; i < pl->n_pools; i++)
        sum += pl->pool[i].count;
    return sum;
}

double mmc_place_total_slots(const struct mmc_place *pl, unsigned long n)
{
    if (!pl->pools)
        return (double)n * (double)mmc_place_slots(pl->pool[0].cap, pl->request);
    double sum = 0.0;
    for (size_t i = 0; i < pl->n_pools; i++)
        sum += (double)pl->pool[i].count * (double)mmc_place_slots(pl->pool[i].cap, pl->request);
    return sum;
}
