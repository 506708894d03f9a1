/*
 * test_scenario.c - scenario loading, checking, overrides and printing,
 * through the public header only.
 *
 * Most cases load from a string named "test.yaml" and assert the exact
 * file:line:col of an error plus a fragment of its message; file cases use
 * real files under /tmp, removed afterwards. Every successful load is
 * finished with mmc_scenario_fini so that valgrind sees no leaks.
 */
#include "scenario.h"
#include "tempfile.h"

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "test.yaml"

/* The smallest valid scenario, one key per line, so tests can swap lines. */
#define MODEL "model: mmc\n"
#define ARRIVAL "arrival: {rate: 1}\n"
#define SERVICE "service: {rate: 2}\n"
#define WORKERS "workers: 1\n"
#define BASE MODEL ARRIVAL SERVICE WORKERS

/* Overrides from plain strings (at most 8). */
struct ovs {
    struct mmc_override v[8];
    size_t n;
};

static struct ovs ovs_of(const char *const *texts)
{
    struct ovs o = {.n = 0};
    for (; texts != NULL && texts[o.n] != NULL; o.n++) {
        ck_assert_uint_lt(o.n, 8);
        o.v[o.n].text = texts[o.n];
    }
    return o;
}

/* Load variant number variant of yaml named NAME with the NULL-terminated overrides; returns the
 * load's result. */
static int load_ov_variant(struct mmc_scenario *s, const char *yaml, const char *const *texts,
                           size_t variant, struct mmc_error *err)
{
    struct ovs o = ovs_of(texts);
    *err = (struct mmc_error){.line = 0};
    return mmc_scenario_load_string(s, yaml, strlen(yaml), NAME, o.v, o.n, variant, err);
}

static int load_ov(struct mmc_scenario *s, const char *yaml, const char *const *texts,
                   struct mmc_error *err)
{
    return load_ov_variant(s, yaml, texts, 0, err);
}

static void load_ok(struct mmc_scenario *s, const char *yaml, const char *const *texts)
{
    struct mmc_error err;
    char msg[1024];
    int rc = load_ov(s, yaml, texts, &err);
    mmc_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == 0, "load failed: %s\n--- input:\n%s", msg, yaml);
}

/* Where an error must be reported. */
struct where {
    const char *file;
    int line, col;
};

/* Loading variant number variant must fail at file:line:col with a message containing fragment. */
static void expect_fail_variant(const char *yaml, const char *const *texts, size_t variant,
                                struct where at, const char *fragment)
{
    struct mmc_scenario s;
    struct mmc_error err;
    char msg[1024];
    int rc = load_ov_variant(&s, yaml, texts, variant, &err);
    mmc_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == -1, "load succeeded\n--- input:\n%s", yaml);
    ck_assert_msg(strcmp(err.file, at.file) == 0 && err.line == at.line && err.col == at.col,
                  "expected %s:%d:%d, got \"%s\"\n--- input:\n%s", at.file, at.line, at.col, msg,
                  yaml);
    ck_assert_msg(strstr(err.msg, fragment) != NULL, "message \"%s\" lacks \"%s\"", err.msg,
                  fragment);
    /* a failed load leaves nothing to free; fini on it must still be harmless */
    ck_assert_ptr_null(s.description);
    ck_assert_ptr_null(s.arrival.v);
    mmc_scenario_fini(&s);
}

static void expect_fail(const char *yaml, const char *const *texts, struct where at,
                        const char *fragment)
{
    expect_fail_variant(yaml, texts, 0, at, fragment);
}

static void expect_error(const char *yaml, int line, int col, const char *fragment)
{
    expect_fail(yaml, NULL, (struct where){NAME, line, col}, fragment);
}

/* Variant number variant of yaml must fail at NAME:line:col. */
static void expect_variant_error(const char *yaml, size_t variant, int line, int col,
                                 const char *fragment)
{
    expect_fail_variant(yaml, NULL, variant, (struct where){NAME, line, col}, fragment);
}

/* One override applied to BASE must fail at --set:1:col. */
static void expect_set_error(const char *override, int col, const char *fragment)
{
    const char *texts[] = {override, NULL};
    expect_fail(BASE, texts, (struct where){"--set", 1, col}, fragment);
}

static void assert_axis(const struct mmc_axis *a, size_t n, const double *v)
{
    ck_assert_uint_eq(a->n, n);
    ck_assert_ptr_nonnull(a->v);
    for (size_t i = 0; i < n; i++)
        ck_assert_double_eq(a->v[i], v[i]);
}

/* ---- valid files ---- */

static const char full_yaml[] = "# every key, in an unusual order\n"
                                "seed: 12345678901234567890\n"
                                "name: full-test\n"
                                "description: \"every key, \\\"quoted\\\"\"\n"
                                "model: mmc\n"
                                "arrival:\n"
                                "  dist: exponential\n"
                                "  rate: [0.5, 1.5, 2]\n"
                                "service:\n"
                                "  dist: 'exponential'\n"
                                "  rate: 3\n"
                                "workers: [1, 2, 1e3]\n"
                                "network_delay: [0, 0.25]\n"
                                "mem_per_task: 12.5\n"
                                "stop: {time: 3600}\n"
                                "warmup: {tasks: 500}\n"
                                "replications: 20\n"
                                "rng: ranlxd2\n";

START_TEST(test_full_file)
{
    struct mmc_scenario s;
    load_ok(&s, full_yaml, NULL);
    ck_assert_str_eq(s.file, "");
    ck_assert_str_eq(s.name, "full-test");
    ck_assert_str_eq(s.description, "every key, \"quoted\"");
    ck_assert_str_eq(s.model, "mmc");
    ck_assert_int_eq(s.arrival_dist.shape.kind, MMC_DIST_EXPONENTIAL);
    ck_assert(!s.arrival_is_load);
    assert_axis(&s.arrival, 3, (const double[]){0.5, 1.5, 2});
    ck_assert_int_eq(s.service_dist.shape.kind, MMC_DIST_EXPONENTIAL);
    assert_axis(&s.service, 1, (const double[]){3});
    assert_axis(&s.workers, 3, (const double[]){1, 2, 1000});
    assert_axis(&s.network_delay, 2, (const double[]){0, 0.25});
    ck_assert_double_eq(s.mem_per_task, 12.5);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TIME);
    ck_assert_double_eq(s.stop.value, 3600);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.warmup.value, 500);
    ck_assert_uint_eq(s.replications, 20);
    ck_assert(s.seed == 12345678901234567890u);
    ck_assert_str_eq(s.rng, "ranlxd2");
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_defaults)
{
    struct mmc_scenario s;
    load_ok(&s, BASE, NULL);
    ck_assert_str_eq(s.name, "test");
    ck_assert_str_eq(s.description, "");
    ck_assert_int_eq(s.arrival_dist.shape.kind, MMC_DIST_EXPONENTIAL);
    ck_assert_int_eq(s.service_dist.shape.kind, MMC_DIST_EXPONENTIAL);
    assert_axis(&s.network_delay, 1, (const double[]){0});
    ck_assert_double_eq(s.mem_per_task, 0);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.stop.value, 100000);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_AUTO);
    ck_assert_uint_eq(s.replications, 10);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_EMPTY);
    ck_assert_double_eq(s.precision.target, 0);
    ck_assert_double_eq(s.precision.confidence, 0.95);
    ck_assert_str_eq(s.precision.metric, "T");
    ck_assert_uint_eq(s.precision.max_replications, 1000);
    ck_assert_double_eq(s.precision.max_time, 0);
    ck_assert_int_eq(s.method, MMC_METHOD_REPLICATIONS);
    ck_assert_uint_eq(s.batches, 30);
    ck_assert_int_eq(s.compare, MMC_COMPARE_NONE);
    ck_assert(!s.control_variates);
    ck_assert(isnan(s.wait_threshold));
    ck_assert(s.seed == 1);
    ck_assert_str_eq(s.rng, "taus2");
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_default_name)
{
    static const struct {
        const char *file, *name;
    } cases[] = {
        {"runs/sub/mm1.yaml", "mm1"}, {"a.b.yml", "a.b"},     {"noext", "noext"},
        {"dir.d/plain", "plain"},     {".hidden", ".hidden"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct mmc_scenario s;
        struct mmc_error err = {.line = 0};
        ck_assert_int_eq(
            mmc_scenario_load_string(&s, BASE, strlen(BASE), cases[i].file, NULL, 0, 0, &err), 0);
        ck_assert_str_eq(s.name, cases[i].name);
        mmc_scenario_fini(&s);
    }
}
END_TEST

START_TEST(test_name_rules)
{
    char yaml[512], long_name[129];
    memset(long_name, 'n', 128);
    long_name[128] = '\0';
    snprintf(yaml, sizeof yaml, "name: %s\n" BASE, long_name);
    expect_error(yaml, 1, 7, "name: expected a name of at most 127 bytes");
    long_name[127] = '\0';
    snprintf(yaml, sizeof yaml, "name: %s\n" BASE, long_name);
    struct mmc_scenario s;
    load_ok(&s, yaml, NULL);
    ck_assert_str_eq(s.name, long_name);
    mmc_scenario_fini(&s);
    expect_error("name: [a]\n" BASE, 1, 7, "name: expected a string, got a list");
    expect_error("name: {a: 1}\n" BASE, 1, 7, "name: expected a string, got a mapping");
    expect_error("name:\n" BASE, 1, 6, "name: expected a string, got nothing");
    expect_error("description: ~\n" BASE, 1, 14, "description: expected a string, got nothing");
    expect_error("name: \"a\\0b\"\n" BASE, 1, 7, "without NUL bytes");
}
END_TEST

/* ---- numbers and lists ---- */

START_TEST(test_number_rejections)
{
    static const struct {
        const char *line, *fragment;
    } cases[] = {
        {"mem_per_task: \"45\"\n", "mem_per_task: expected a number, got string \"45\""},
        {"mem_per_task: '45'\n", "expected a number, got string \"45\""},
        {"mem_per_task: .inf\n", "expected a number, got \".inf\""},
        {"mem_per_task: .nan\n", "got \".nan\""},
        {"mem_per_task: nan\n", "got \"nan\""},
        {"mem_per_task: inf\n", "got \"inf\""},
        {"mem_per_task: -inf\n", "expected a finite number >= 0, got \"-inf\""},
        {"mem_per_task: 1e999\n", "expected a finite number >= 0, got \"1e999\""},
        {"mem_per_task: 0x10\n", "expected a number, got \"0x10\""},
        {"mem_per_task: 0x1p3\n", "expected a number, got \"0x1p3\""},
        {"mem_per_task: 1_000\n", "got \"1_000\""},
        {"mem_per_task: abc\n", "expected a number, got \"abc\""},
        {"mem_per_task: -1\n", "expected a finite number >= 0, got \"-1\""},
        {"mem_per_task: [1, 2]\n", "mem_per_task: expected a number, got a list"},
        {"mem_per_task: {a: 1}\n", "mem_per_task: expected a number, got a mapping"},
        {"mem_per_task: null\n", "mem_per_task: expected a number, got nothing"},
        {"mem_per_task: |\n  5\n", "expected a number, got string \"5\\x0a\""},
    };
    char yaml[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(yaml, sizeof yaml, BASE "%s", cases[i].line);
        expect_error(yaml, 5, 15, cases[i].fragment);
    }
}
END_TEST

START_TEST(test_whole_numbers)
{
    expect_error(MODEL ARRIVAL SERVICE "workers: 0\n", 4, 10, "");
    struct mmc_scenario s;
    struct mmc_error err;
    ck_assert_int_eq(load_ov(&s, MODEL ARRIVAL SERVICE "workers: 0\n", NULL, &err), -1);
    ck_assert_str_eq(err.msg, "workers: expected a whole number >= 1, got \"0\"");
    expect_error(MODEL ARRIVAL SERVICE "workers: 2.5\n", 4, 10,
                 "workers: expected a whole number >= 1, got \"2.5\"");
    expect_error(MODEL ARRIVAL SERVICE "workers: 10000001\n", 4, 10,
                 "workers: expected a whole number <= 10000000, got \"10000001\"");
    expect_error(MODEL ARRIVAL SERVICE "workers: \"4\"\n", 4, 10,
                 "workers: expected a whole number, got string \"4\"");
    expect_error(BASE "replications: 0\n", 5, 15, "expected a whole number >= 1");
    expect_error(BASE "replications: 1000001\n", 5, 15, "expected a whole number <= 1000000");
    load_ok(&s, MODEL ARRIVAL SERVICE "workers: [1e3, 10000000, +4, 007]\n", NULL);
    assert_axis(&s.workers, 4, (const double[]){1000, 1e7, 4, 7});
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_lists)
{
    expect_error(MODEL "arrival: {rate: [1, 2, -3]}\n" SERVICE WORKERS, 2, 24,
                 "arrival.rate[2]: expected a finite number > 0, got \"-3\"");
    expect_error(MODEL "arrival: {rate: [1, 0]}\n" SERVICE WORKERS, 2, 21,
                 "arrival.rate[1]: expected a finite number > 0, got \"0\"");
    expect_error(MODEL ARRIVAL SERVICE "workers: []\n", 4, 10,
                 "workers: expected at least one value, got an empty list");
    expect_error(MODEL ARRIVAL SERVICE "workers: [1, [2, 3]]\n", 4, 14,
                 "workers[1]: expected a whole number, got a list");
    expect_error(MODEL ARRIVAL SERVICE "workers:\n  - 1\n  - {a: 2}\n", 6, 5,
                 "workers[1]: expected a whole number, got a mapping");
    expect_error(BASE "network_delay: [0, -0.5]\n", 5, 20,
                 "network_delay[1]: expected a finite number >= 0, got \"-0.5\"");
    expect_error(BASE "network_delay: [1, ~]\n", 5, 20,
                 "network_delay[1]: expected a number, got nothing");
    struct mmc_scenario s;
    load_ok(&s, BASE "network_delay:\n  - 0.001\n  - 2\n", NULL);
    assert_axis(&s.network_delay, 2, (const double[]){0.001, 2});
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_negative_zero)
{
    /* -0 reads as 0 so that equal scenarios print (and hash) alike */
    struct mmc_scenario s;
    load_ok(&s, BASE "network_delay: -0\nmem_per_task: -0.0\n", NULL);
    ck_assert(!signbit(s.network_delay.v[0]));
    ck_assert(!signbit(s.mem_per_task));
    mmc_scenario_fini(&s);
}
END_TEST

/* ---- keys ---- */

START_TEST(test_unknown_keys)
{
    expect_error("model: mmc\narival: {rate: 1}\n" SERVICE WORKERS, 2, 1,
                 "unknown key \"arival\" (did you mean \"arrival\"?)");
    expect_error(BASE "netwrk_dely: 1\n", 5, 1, "(did you mean \"network_delay\"?)");
    expect_error(
        BASE "colour: red\n", 5, 1,
        "unknown key \"colour\" (known: name, description, model, dispatch, pull, steal, "
        "worker_capacity, worker_pools, request, scheduler, placement, classes, preemption, "
        "arrival, "
        "service, workers, network_delay, mem_per_task, stop, warmup, initial, replications, "
        "method, batches, compare, control_variates, wait_threshold, capacity, shed, throttle, "
        "patience, staffing, variants, seed, rng)");
    expect_error(MODEL "arrival: {rat: 1}\n" SERVICE WORKERS, 2, 11,
                 "unknown key \"arrival.rat\" (did you mean \"arrival.rate\"?)");
    expect_error(BASE "stop: {tasks: 5, times: 2}\n", 5, 18,
                 "unknown key \"stop.times\" (did you mean \"stop.time\"?)");
    expect_error(MODEL ARRIVAL "service: {load: 1, rate: 1}\n" WORKERS, 3, 11,
                 "unknown key \"service.load\" (known: service.dist, service.rate, service.mean");
    expect_error(BASE "\"x\\ty\": 1\n", 5, 1, "unknown key \"x\\x09y\"");
}
END_TEST

START_TEST(test_duplicate_and_odd_keys)
{
    expect_error(BASE "model: mmc\n", 5, 1, "duplicate key \"model\"");
    expect_error(MODEL "arrival: {rate: 1, rate: 2}\n" SERVICE WORKERS, 2, 20,
                 "duplicate key \"arrival.rate\"");
    expect_error(BASE "? [a, b]\n: 1\n", 5, 3, "expected a key name, got a list");
    expect_error(MODEL "arrival: {? {a: 1} : 2}\n" SERVICE WORKERS, 2, 13,
                 "arrival: expected a key name, got a mapping");
    /* quoted keys are keys like any other */
    struct mmc_scenario s;
    load_ok(&s, "\"model\": mmc\n" ARRIVAL SERVICE WORKERS, NULL);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_missing_required)
{
    expect_error(ARRIVAL SERVICE WORKERS, 1, 1, "missing key \"model\"");
    expect_error(MODEL SERVICE WORKERS, 1, 1, "missing key \"arrival\"");
    expect_error(MODEL ARRIVAL WORKERS, 1, 1, "missing key \"service\"");
    expect_error(MODEL ARRIVAL SERVICE, 1, 1, "missing key \"workers\"");
    expect_error("# a comment\n\n" ARRIVAL SERVICE WORKERS, 3, 1, "missing key \"model\"");
    expect_error(MODEL ARRIVAL "service:\n  dist: exponential\n" WORKERS, 4, 3,
                 "service: expected a rate or a mean");
    expect_error(MODEL ARRIVAL "service: {dist: exponential}\n" WORKERS, 3, 10,
                 "service: expected a rate or a mean");
}
END_TEST

START_TEST(test_model_and_dist)
{
    expect_error("model: foo\n" ARRIVAL SERVICE WORKERS, 1, 8,
                 "model: unknown model \"foo\" (known: mmc, push, pull, steal, place)");
    expect_error("model: 7\n" ARRIVAL SERVICE WORKERS, 1, 8, "unknown model \"7\"");
    expect_error("model: [mmc]\n" ARRIVAL SERVICE WORKERS, 1, 8,
                 "model: expected a string, got a list");
    expect_error(MODEL "arrival: {dist: normal, rate: 1}\n" SERVICE WORKERS, 2, 17,
                 "arrival.dist: unknown distribution \"normal\"");
    expect_error(MODEL ARRIVAL "service: {rate: 2, dist: {a: 1}}\n" WORKERS, 3, 26,
                 "service.dist: expected a string, got a mapping");
    ck_assert_str_eq(mmc_dist_kind_name(MMC_DIST_EXPONENTIAL), "exponential");
}
END_TEST

START_TEST(test_arrival_forms)
{
    struct mmc_scenario s;
    load_ok(&s, MODEL "arrival: {load: [0.5, 0.9]}\n" SERVICE WORKERS, NULL);
    ck_assert(s.arrival_is_load);
    assert_axis(&s.arrival, 2, (const double[]){0.5, 0.9});
    mmc_scenario_fini(&s);
    expect_error(MODEL "arrival: {dist: exponential}\n" SERVICE WORKERS, 2, 10,
                 "arrival: expected a rate, a load or a mean");
    expect_error(MODEL "arrival:\n  rate: 1\n  load: 0.5\n" SERVICE WORKERS, 4, 3,
                 "arrival: give rate or load, not both");
    expect_error(MODEL "arrival: {load: 0.5, rate: 1}\n" SERVICE WORKERS, 2, 22,
                 "arrival: give rate or load, not both");
    expect_error(MODEL "arrival: 5\n" SERVICE WORKERS, 2, 10,
                 "arrival: expected a mapping, got \"5\"");
    expect_error(MODEL "arrival:\n" SERVICE WORKERS, 2, 9,
                 "arrival: expected a mapping, got nothing");
    expect_error(MODEL "arrival: {load: 0}\n" SERVICE WORKERS, 2, 17,
                 "arrival.load: expected a finite number > 0, got \"0\"");
}
END_TEST

START_TEST(test_stop_and_warmup)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "stop: 5000\nwarmup: 100\n", NULL);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.stop.value, 5000);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.warmup.value, 100);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "stop: {tasks: 9007199254740992}\nwarmup: {time: 2.5}\n", NULL);
    ck_assert_double_eq(s.stop.value, 9007199254740992.0);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_TIME);
    ck_assert_double_eq(s.warmup.value, 2.5);
    mmc_scenario_fini(&s);
    static const char *const nones[] = {"warmup: 0\n", "warmup: {tasks: 0}\n",
                                        "warmup: {time: 0}\n"};
    for (size_t i = 0; i < 3; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, BASE "%s", nones[i]);
        load_ok(&s, yaml, NULL);
        ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
        mmc_scenario_fini(&s);
    }
}
END_TEST

START_TEST(test_limit_rejections)
{
    expect_error(BASE "stop: 0\n", 5, 7, "stop: expected a whole number >= 1, got \"0\"");
    expect_error(BASE "stop: {tasks: 0}\n", 5, 15, "stop.tasks: expected a whole number >= 1");
    expect_error(BASE "stop: {tasks: 9007199254740994}\n", 5, 15,
                 "stop.tasks: expected a whole number <= 9007199254740992");
    expect_error(BASE "stop: {time: 0}\n", 5, 14, "stop.time: expected a finite number > 0");
    expect_error(BASE "stop: {}\n", 5, 7, "stop: expected tasks or time");
    expect_error(BASE "stop: {tasks: 1, time: 2}\n", 5, 18, "stop: give tasks or time, not both");
    expect_error(BASE "stop: [1]\n", 5, 7,
                 "stop: expected a whole number or a mapping, got a list");
    expect_error(BASE "stop:\n", 5, 6, "stop: expected a whole number or a mapping, got nothing");
    expect_error(BASE "warmup: -1\n", 5, 9, "warmup: expected a whole number >= 0, got \"-1\"");
    expect_error(BASE "warmup: {time: -1}\n", 5, 16, "warmup.time: expected a finite number >= 0");
    expect_error(BASE "warmup: {tasks: 1.5}\n", 5, 17, "warmup.tasks: expected a whole number");
    expect_error(BASE "warmup:\n  time: 1\n  tasks: 2\n", 7, 3,
                 "warmup: give tasks or time, not both");
}
END_TEST

START_TEST(test_seed)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "seed: 18446744073709551615\n", NULL);
    ck_assert(s.seed == UINT64_MAX);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "seed: 0\n", NULL);
    ck_assert(s.seed == 0);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "seed: 1e3\n", NULL);
    ck_assert(s.seed == 1000);
    mmc_scenario_fini(&s);
    expect_error(BASE "seed: 18446744073709551616\n", 5, 7,
                 "seed: expected a whole number <= 18446744073709551615");
    expect_error(BASE "seed: -1\n", 5, 7, "seed: expected a whole number >= 0, got \"-1\"");
    expect_error(BASE "seed: 2.5\n", 5, 7, "seed: expected a whole number >= 0");
    expect_error(BASE "seed: 12abc\n", 5, 7, "seed: expected a whole number, got \"12abc\"");
    expect_error(BASE "seed: \"7\"\n", 5, 7, "seed: expected a whole number, got string \"7\"");
    expect_error(BASE "seed: 1e20\n", 5, 7, "seed: expected a whole number <= ");
}
END_TEST

START_TEST(test_rng)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "rng: taus2\n", NULL);
    ck_assert_str_eq(s.rng, "taus2");
    mmc_scenario_fini(&s);
    expect_error(BASE "rng: mt1993\n", 5, 6, "rng: unknown GSL generator \"mt1993\"");
    expect_error(BASE "rng: mt1993\n", 5, 6, "mt19937, ranlxd2, taus2");
    expect_error(BASE "rng: [mt19937]\n", 5, 6, "rng: expected a string, got a list");
}
END_TEST

/* ---- warm-up, initial state, precision, method, analysis ---- */

START_TEST(test_warmup_keywords)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "warmup: auto\n", NULL);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_AUTO);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "warmup: none\n", NULL);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
    ck_assert_double_eq(s.warmup.value, 0);
    mmc_scenario_fini(&s);
    expect_error(BASE "warmup: never\n", 5, 9,
                 "warmup: expected auto, none, a whole number or a mapping, got \"never\"");
    expect_error(BASE "warmup: \"auto\"\n", 5, 9,
                 "warmup: expected auto, none, a whole number or a mapping, got string \"auto\"");
    expect_error(BASE "warmup: Auto\n", 5, 9, "got \"Auto\"");
    expect_error(BASE "warmup: {auto: 1}\n", 5, 10, "unknown key \"warmup.auto\"");
    expect_error(BASE "warmup: {tasks: 1, precision: 0.1}\n", 5, 20,
                 "unknown key \"warmup.precision\"");
}
END_TEST

START_TEST(test_initial_forms)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "initial: empty\n", NULL);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_EMPTY);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "initial: stationary\n", NULL);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_STATIONARY);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "initial:\n  in_system: 500\n", NULL);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_IN_SYSTEM);
    ck_assert_double_eq(s.initial.in_system, 500);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "initial: {in_system: 10000000}\n", NULL);
    ck_assert_double_eq(s.initial.in_system, 1e7);
    mmc_scenario_fini(&s);
    /* no backlog is an empty start, and prints as one */
    load_ok(&s, BASE "initial: {in_system: 0}\n", NULL);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_EMPTY);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_initial_rejections)
{
    expect_error(BASE "initial: full\n", 5, 10,
                 "initial: expected empty, stationary or a mapping {in_system: N}, got \"full\"");
    expect_error(BASE "initial: \"empty\"\n", 5, 10, "got string \"empty\"");
    expect_error(BASE "initial: 5\n", 5, 10, "got \"5\"");
    expect_error(BASE "initial: [1]\n", 5, 10, "got a list");
    expect_error(BASE "initial:\n", 5, 9, "got nothing");
    expect_error(BASE "initial: {}\n", 5, 10, "missing key \"initial.in_system\"");
    expect_error(BASE "initial: {in_system: -1}\n", 5, 22,
                 "initial.in_system: expected a whole number >= 0, got \"-1\"");
    expect_error(BASE "initial: {in_system: 2.5}\n", 5, 22,
                 "initial.in_system: expected a whole number >= 0, got \"2.5\"");
    expect_error(BASE "initial: {in_system: 10000001}\n", 5, 22,
                 "initial.in_system: expected a whole number <= 10000000");
    expect_error(BASE "initial: {in_system: x}\n", 5, 22,
                 "initial.in_system: expected a whole number, got \"x\"");
    expect_error(BASE "initial: {in_systm: 3}\n", 5, 11,
                 "unknown key \"initial.in_systm\" (did you mean \"initial.in_system\"?)");
    expect_error(BASE "initial: {tasks: 3}\n", 5, 11,
                 "unknown key \"initial.tasks\" (known: initial.in_system)");
}
END_TEST

START_TEST(test_stop_precision)
{
    struct mmc_scenario s;
    load_ok(&s,
            BASE "stop:\n  time: 60\n  precision: 0.01\n  confidence: 0.99\n  metric: P_wait\n"
                 "  max_replications: 500\n  max_time: 30.5\n",
            NULL);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TIME);
    ck_assert_double_eq(s.stop.value, 60);
    ck_assert_double_eq(s.precision.target, 0.01);
    ck_assert_double_eq(s.precision.confidence, 0.99);
    ck_assert_str_eq(s.precision.metric, "P_wait");
    ck_assert_uint_eq(s.precision.max_replications, 500);
    ck_assert_double_eq(s.precision.max_time, 30.5);
    mmc_scenario_fini(&s);
    /* precision alone takes the defaults; a quoted metric is a string like any other */
    load_ok(&s, BASE "stop: {tasks: 5000, precision: 0.05}\n", NULL);
    ck_assert_double_eq(s.stop.value, 5000);
    ck_assert_double_eq(s.precision.target, 0.05);
    ck_assert_double_eq(s.precision.confidence, 0.95);
    ck_assert_str_eq(s.precision.metric, "T");
    ck_assert_uint_eq(s.precision.max_replications, 1000);
    ck_assert_double_eq(s.precision.max_time, 0);
    mmc_scenario_fini(&s);
    static const char *const metrics[] = {"utilization", "throughput", "Lq", "L",
                                          "Wq",          "W",          "T",  "\"P_wait\""};
    for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, BASE "stop: {tasks: 9, precision: 0.1, metric: %s}\n",
                 metrics[i]);
        load_ok(&s, yaml, NULL);
        ck_assert_str_eq(s.precision.metric, i == 7 ? "P_wait" : metrics[i]);
        mmc_scenario_fini(&s);
    }
    /* replications equal to the cap is fine; a default cap rises to meet replications */
    load_ok(&s, BASE "stop: {tasks: 9, precision: 0.1, max_replications: 20}\nreplications: 20\n",
            NULL);
    ck_assert_uint_eq(s.precision.max_replications, 20);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "stop: {tasks: 9, precision: 0.1}\nreplications: 2000\n", NULL);
    ck_assert_uint_eq(s.precision.max_replications, 2000);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_stop_precision_rejections)
{
    static const struct {
        const char *value, *fragment;
    } targets[] = {
        {"0", "stop.precision: expected a finite number > 0 and < 1, got \"0\""},
        {"1", "stop.precision: expected a finite number > 0 and < 1, got \"1\""},
        {"1.5", "got \"1.5\""},
        {"-0.1", "got \"-0.1\""},
        {".nan", "stop.precision: expected a number, got \".nan\""},
        {"\"0.1\"", "stop.precision: expected a number, got string \"0.1\""},
    };
    char yaml[256];
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        /* "stop: {tasks: 10, precision: " is 29 characters */
        snprintf(yaml, sizeof yaml, BASE "stop: {tasks: 10, precision: %s}\n", targets[i].value);
        expect_error(yaml, 5, 30, targets[i].fragment);
    }
    expect_error(BASE "stop: {precision: 0.1}\n", 5, 7, "stop: expected tasks or time");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, confidence: 1}\n", 5, 47,
                 "stop.confidence: expected a finite number > 0 and < 1, got \"1\"");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, confidence: 0}\n", 5, 47,
                 "stop.confidence: expected a finite number > 0 and < 1");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, metric: Tq}\n", 5, 43,
                 "stop.metric: unknown metric \"Tq\" (known: utilization, throughput, Lq, L, "
                 "Wq, W, T, P_wait; did you mean \"Lq\"?)");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, metric: [T]}\n", 5, 43,
                 "stop.metric: expected a string, got a list");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, max_replications: 0}\n", 5, 53,
                 "stop.max_replications: expected a whole number >= 1, got \"0\"");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, max_replications: 1000001}\n", 5, 53,
                 "stop.max_replications: expected a whole number <= 1000000");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, max_replications: 5}\n", 5, 53,
                 "stop.max_replications: expected a whole number >= replications (10), got "
                 "\"5\"");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, max_time: 0}\n", 5, 45,
                 "stop.max_time: expected a finite number > 0, got \"0\"");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, max_tim: 5}\n", 5, 35,
                 "unknown key \"stop.max_tim\" (did you mean \"stop.max_time\"?)");
    expect_error(BASE "stop: {tasks: 10, precision: 0.1, precision: 0.2}\n", 5, 35,
                 "duplicate key \"stop.precision\"");
}
END_TEST

START_TEST(test_precision_refinements_alone)
{
    expect_error(BASE "stop: {tasks: 10, metric: W}\n", 5, 19,
                 "stop.metric: only meaningful with stop.precision");
    expect_error(BASE "stop: {tasks: 10, confidence: 0.9}\n", 5, 19,
                 "stop.confidence: only meaningful with stop.precision");
    expect_error(BASE "stop:\n  time: 5\n  max_replications: 50\n", 7, 3,
                 "stop.max_replications: only meaningful with stop.precision");
    expect_error(BASE "stop: {max_time: 5, tasks: 10}\n", 5, 8,
                 "stop.max_time: only meaningful with stop.precision");
}
END_TEST

START_TEST(test_method_and_batches)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "method: batch-means\n", NULL);
    ck_assert_int_eq(s.method, MMC_METHOD_BATCH_MEANS);
    ck_assert_uint_eq(s.replications, 1);
    ck_assert_uint_eq(s.batches, 30);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "method: \"batch-means\"\nbatches: 1000\nreplications: 1\n", NULL);
    ck_assert_uint_eq(s.replications, 1);
    ck_assert_uint_eq(s.batches, 1000);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "method: replications\nreplications: 7\n", NULL);
    ck_assert_int_eq(s.method, MMC_METHOD_REPLICATIONS);
    ck_assert_uint_eq(s.replications, 7);
    mmc_scenario_fini(&s);
    expect_error(BASE "method: batch\n", 5, 9,
                 "method: unknown method \"batch\" (known: replications, batch-means)");
    /* a likely typo of an enumerated value is named */
    expect_error(BASE "method: batch_means\n", 5, 9,
                 "method: unknown method \"batch_means\" (known: replications, batch-means; did "
                 "you mean \"batch-means\"?)");
    expect_error(BASE "method: batch-means\nbatches: 9\n", 6, 10,
                 "batches: expected a whole number >= 10, got \"9\"");
    expect_error(BASE "method: batch-means\nbatches: 1001\n", 6, 10,
                 "batches: expected a whole number <= 1000, got \"1001\"");
    expect_error(BASE "method: batch-means\nbatches: 10.5\n", 6, 10,
                 "batches: expected a whole number >= 10, got \"10.5\"");
    expect_error(BASE "batches: 40\n", 5, 1, "batches: only meaningful with method: batch-means");
    expect_error(BASE "replications: 5\nmethod: batch-means\n", 5, 15,
                 "replications: batch-means uses one long run, expected 1, got \"5\"");
    expect_error(BASE "method: batch-means\nstop: {tasks: 10, precision: 0.1}\n", 6, 19,
                 "stop.precision: needs method: replications");
}
END_TEST

START_TEST(test_analysis_keys)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "compare: adjacent\ncontrol_variates: true\nwait_threshold: 0.25\n", NULL);
    ck_assert_int_eq(s.compare, MMC_COMPARE_ADJACENT);
    ck_assert(s.control_variates);
    ck_assert_double_eq(s.wait_threshold, 0.25);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "compare: baseline\ncontrol_variates: false\nwait_threshold: 0\n", NULL);
    ck_assert_int_eq(s.compare, MMC_COMPARE_BASELINE);
    ck_assert(!s.control_variates);
    ck_assert_double_eq(s.wait_threshold, 0);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "compare: none\n", NULL);
    ck_assert_int_eq(s.compare, MMC_COMPARE_NONE);
    mmc_scenario_fini(&s);
    expect_error(BASE "compare: sideways\n", 5, 10,
                 "compare: unknown comparison \"sideways\" (known: none, adjacent, baseline)");
    expect_error(BASE "compare: ~\n", 5, 10, "compare: expected a string, got nothing");
    expect_error(BASE "control_variates: yes\n", 5, 19,
                 "control_variates: expected true or false, got \"yes\"");
    expect_error(BASE "control_variates: \"true\"\n", 5, 19,
                 "control_variates: expected true or false, got string \"true\"");
    expect_error(BASE "control_variates: 1\n", 5, 19, "expected true or false, got \"1\"");
    expect_error(BASE "control_variates:\n", 5, 18, "expected true or false, got nothing");
    expect_error(BASE "wait_threshold: -0.5\n", 5, 17,
                 "wait_threshold: expected a finite number >= 0, got \"-0.5\"");
    expect_error(BASE "wait_threshold: .inf\n", 5, 17,
                 "wait_threshold: expected a number, got \".inf\"");
    expect_error(BASE "wait_threshold: \"1\"\n", 5, 17,
                 "wait_threshold: expected a number, got string \"1\"");
    expect_error(BASE "wait_thresold: 1\n", 5, 1, "(did you mean \"wait_threshold\"?)");
}
END_TEST

/* ---- YAML structure ---- */

START_TEST(test_yaml_structure)
{
    expect_error("", 1, 1, "empty scenario: expected a mapping");
    expect_error("# only a comment\n", 2, 1, "empty scenario: expected a mapping");
    expect_error("---\n", 2, 1, "empty scenario: expected a mapping");
    expect_error("- model\n- mmc\n", 1, 1,
                 "expected a mapping (model: ..., arrival: ...) at the "
                 "top, got a list");
    expect_error("just text\n", 1, 1, "at the top, got \"just text\"");
    expect_error(BASE "---\n" BASE, 5, 1, "expected one YAML document");
    expect_error(MODEL "arrival: {rate: 1\n" SERVICE WORKERS, 3, 8, "malformed YAML: ");
    expect_error(MODEL "arrival:\n  rate: 1\n load: 2\n" SERVICE WORKERS, 4, 2,
                 "malformed YAML: did not find expected key while parsing a block mapping");
    expect_error(MODEL "arrival: {rate: \"1}\n", 3, 1, "malformed YAML: found unexpected end");
    expect_error(MODEL "x: \t- 1\n", 2, 5, "malformed YAML");
    expect_error(MODEL "name: caf\xff\n", 2, 10, "malformed YAML: invalid leading UTF-8 octet");
}
END_TEST

START_TEST(test_yaml_refusals)
{
    expect_error("model: &m mmc\n" ARRIVAL SERVICE WORKERS, 1, 8, "aliases are not supported");
    expect_error("x: &a [1]\n", 1, 4, "aliases are not supported");
    expect_error(BASE "name: *a\n", 5, 7, "aliases are not supported");
    expect_error(BASE "<<: *a\n", 5, 5, "aliases are not supported");
    expect_error(BASE "name: !!str 5\n", 5, 7, "tags are not supported");
    expect_error(BASE "name: !<tag:x> [1]\n", 5, 7, "tags are not supported");
    expect_error("model: \"mmc\\0\"\n" ARRIVAL SERVICE WORKERS, 1, 8, "without NUL bytes");
}
END_TEST

START_TEST(test_deep_nesting)
{
    /* libyaml itself has no depth limit; the tree does (the 32nd "[" is column 35) */
    size_t n = 100000;
    char *yaml = malloc(2 * n + 16);
    ck_assert_ptr_nonnull(yaml);
    strcpy(yaml, "x: ");
    memset(yaml + 3, '[', n);
    memset(yaml + 3 + n, ']', n);
    yaml[3 + 2 * n] = '\0';
    struct mmc_scenario s;
    struct mmc_error err;
    ck_assert_int_eq(load_ov(&s, yaml, NULL, &err), -1);
    free(yaml);
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 35);
    ck_assert_str_eq(err.msg, "values are nested more than 32 deep");
}
END_TEST

START_TEST(test_garbage_is_quoted_short)
{
    /* a long bad value is cut in the message, and control bytes are escaped */
    char yaml[600] = BASE "rng: \"";
    size_t o = strlen(yaml);
    for (int i = 0; i < 300; i++)
        yaml[o++] = (char)('a' + i % 26);
    memcpy(yaml + o, "\\x01\"\n", 7);
    struct mmc_scenario s;
    struct mmc_error err;
    ck_assert_int_eq(load_ov(&s, yaml, NULL, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "...\""));
    ck_assert_uint_lt(strlen(err.msg), 200);
}
END_TEST

/* ---- overrides ---- */

START_TEST(test_override_values)
{
    struct mmc_scenario s;
    const char *sweep[] = {"workers=[1,2,8]", "arrival.rate=[0.5, 1.5]", NULL};
    load_ok(&s, BASE, sweep);
    assert_axis(&s.workers, 3, (const double[]){1, 2, 8});
    assert_axis(&s.arrival, 2, (const double[]){0.5, 1.5});
    mmc_scenario_fini(&s);

    const char *scalar[] = {"workers=64", NULL};
    load_ok(&s, MODEL ARRIVAL SERVICE "workers: [1, 2]\n", scalar);
    assert_axis(&s.workers, 1, (const double[]){64});
    mmc_scenario_fini(&s);

    const char *in_order[] = {"seed=5", "seed=6", "description=a = b", "name=\"x y\"", NULL};
    load_ok(&s, BASE, in_order);
    ck_assert(s.seed == 6);
    ck_assert_str_eq(s.description, "a = b");
    ck_assert_str_eq(s.name, "x y");
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_override_alternatives)
{
    struct mmc_scenario s;
    const char *to_load[] = {"arrival.load=0.8", NULL};
    load_ok(&s, BASE, to_load);
    ck_assert(s.arrival_is_load);
    assert_axis(&s.arrival, 1, (const double[]){0.8});
    mmc_scenario_fini(&s);

    const char *to_rate[] = {"arrival.rate=[2, 3]", NULL};
    load_ok(&s, MODEL "arrival: {dist: exponential, load: 0.5}\n" SERVICE WORKERS, to_rate);
    ck_assert(!s.arrival_is_load);
    assert_axis(&s.arrival, 2, (const double[]){2, 3});
    mmc_scenario_fini(&s);

    const char *to_tasks[] = {"stop.tasks=50", "warmup.time=7", NULL};
    load_ok(&s, BASE "stop: {time: 60}\nwarmup: {tasks: 3}\n", to_tasks);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.stop.value, 50);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_TIME);
    ck_assert_double_eq(s.warmup.value, 7);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_override_structure)
{
    struct mmc_scenario s;
    /* a scalar parent becomes a mapping */
    const char *stop_time[] = {"stop.time=60", NULL};
    load_ok(&s, BASE "stop: 1000\n", stop_time);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TIME);
    ck_assert_double_eq(s.stop.value, 60);
    mmc_scenario_fini(&s);

    /* a missing parent is created; so is a missing required key */
    const char *create[] = {"warmup.time=5", "workers=3", NULL};
    load_ok(&s, MODEL ARRIVAL SERVICE, create);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_TIME);
    assert_axis(&s.workers, 1, (const double[]){3});
    mmc_scenario_fini(&s);

    /* a whole mapping replaces a mapping, and a scalar replaces a mapping */
    const char *whole[] = {"arrival={load: [0.1, 0.2]}", "stop=77", NULL};
    load_ok(&s, BASE "stop: {time: 9}\n", whole);
    ck_assert(s.arrival_is_load);
    assert_axis(&s.arrival, 2, (const double[]){0.1, 0.2});
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.stop.value, 77);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_override_errors)
{
    expect_set_error("arival.rate=3", 1,
                     "unknown key \"arival.rate\" (did you mean \"arrival.rate\"?)");
    expect_set_error("arrival.rat=3", 1, "(did you mean \"arrival.rate\"?)");
    expect_set_error("workers.x=3", 1, "unknown key \"workers.x\" (did you mean \"workers\"?)");
    expect_set_error("arrival.rate.x=3", 1, "(did you mean \"arrival.rate\"?)");
    expect_set_error("colour=red", 1, "unknown key \"colour\" (known: name, description");
    expect_set_error("arrival.foo=1", 1,
                     "unknown key \"arrival.foo\" (known: arrival.dist, arrival.rate, "
                     "arrival.load, arrival.mean");
    expect_set_error("workers", 1, "expected KEY=VALUE, got \"workers\"");
    expect_set_error("=5", 1, "expected KEY=VALUE, got \"=5\"");
    expect_set_error("workers=abc", 9, "workers: expected a whole number, got \"abc\"");
    expect_set_error("workers=0", 9, "workers: expected a whole number >= 1, got \"0\"");
    expect_set_error("workers=[1, 2, x]", 16, "workers[2]: expected a whole number, got \"x\"");
    expect_set_error("workers=", 9, "workers: expected a whole number, got nothing");
    expect_set_error("workers=[1,", 12, "malformed YAML");
    expect_set_error("stop={tasks: 1, time: 2}", 17, "stop: give tasks or time, not both");
    expect_set_error("name=*x", 6, "aliases are not supported");
    expect_set_error("name=a\n---\nb", 8, "expected one YAML document");
    expect_set_error("name=\xc3", 6, "malformed YAML");

    /* the index of the failing override is the line */
    const char *second[] = {"workers=2", "seed=-4", NULL};
    expect_fail(BASE, second, (struct where){"--set", 2, 6}, "seed: expected a whole number >= 0");
    /* an untouched error in the file is still reported at the file */
    const char *fine[] = {"workers=2", NULL};
    expect_fail(BASE "seed: x\n", fine, (struct where){NAME, 5, 7},
                "seed: expected a whole number");
}
END_TEST

/* The new keys as overrides, including a scalar parent turned into a mapping. */
START_TEST(test_override_new_keys)
{
    struct mmc_scenario s;
    const char *words[] = {"warmup=none",           "initial=stationary", "compare=adjacent",
                           "control_variates=true", "wait_threshold=0.1", NULL};
    load_ok(&s, BASE "warmup: {tasks: 100}\n", words);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_STATIONARY);
    ck_assert_int_eq(s.compare, MMC_COMPARE_ADJACENT);
    ck_assert(s.control_variates);
    ck_assert_double_eq(s.wait_threshold, 0.1);
    mmc_scenario_fini(&s);

    const char *backlog[] = {"initial.in_system=500", "warmup=auto", NULL};
    load_ok(&s, BASE "initial: stationary\nwarmup: none\n", backlog);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_IN_SYSTEM);
    ck_assert_double_eq(s.initial.in_system, 500);
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_AUTO);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE, backlog);
    ck_assert_double_eq(s.initial.in_system, 500);
    mmc_scenario_fini(&s);

    const char *batch[] = {"method=batch-means", "batches=100", NULL};
    load_ok(&s, BASE, batch);
    ck_assert_int_eq(s.method, MMC_METHOD_BATCH_MEANS);
    ck_assert_uint_eq(s.batches, 100);
    ck_assert_uint_eq(s.replications, 1);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_override_precision)
{
    struct mmc_scenario s;
    /* an absent stop keeps its default count, a bare one its own */
    const char *prec[] = {"stop.precision=0.02", NULL};
    load_ok(&s, BASE, prec);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TASKS);
    ck_assert_double_eq(s.stop.value, 100000);
    ck_assert_double_eq(s.precision.target, 0.02);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "stop: 500\n", prec);
    ck_assert_double_eq(s.stop.value, 500);
    ck_assert_double_eq(s.precision.target, 0.02);
    mmc_scenario_fini(&s);

    /* only tasks and time exclude each other: the precision keys stay */
    const char *refine[] = {"stop.time=60", "stop.metric=Wq", "stop.max_time=5", NULL};
    load_ok(&s, BASE "stop: {tasks: 10, precision: 0.01, confidence: 0.9}\n", refine);
    ck_assert_int_eq(s.stop.kind, MMC_LIMIT_TIME);
    ck_assert_double_eq(s.stop.value, 60);
    ck_assert_double_eq(s.precision.target, 0.01);
    ck_assert_double_eq(s.precision.confidence, 0.9);
    ck_assert_str_eq(s.precision.metric, "Wq");
    ck_assert_double_eq(s.precision.max_time, 5);
    mmc_scenario_fini(&s);

    /* a whole stop mapping replaces the old one, precision and all */
    const char *whole[] = {"stop={tasks: 7}", NULL};
    load_ok(&s, BASE "stop: {tasks: 10, precision: 0.01}\n", whole);
    ck_assert_double_eq(s.precision.target, 0);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_override_new_errors)
{
    expect_set_error("stop.metric=Wq", 1, "stop.metric: only meaningful with stop.precision");
    expect_set_error("stop.precison=0.1", 1,
                     "unknown key \"stop.precison\" (did you mean \"stop.precision\"?)");
    expect_set_error("initial.foo=1", 1, "unknown key \"initial.foo\" (known: initial.in_system)");
    expect_set_error("initial.in_system=-3", 19, "initial.in_system: expected a whole number >= 0");
    expect_set_error("compare=sideways", 9, "compare: unknown comparison \"sideways\"");
    expect_set_error("warmup=never", 8, "warmup: expected auto, none, a whole number");
    expect_set_error("stop.precision=2", 16,
                     "stop.precision: expected a finite number > 0 and < 1");
    expect_set_error("control_variates=on", 18, "control_variates: expected true or false");
    expect_set_error("batches=50", 1, "batches: only meaningful with method: batch-means");
    /* a bare stop that is not a count stays wrong where the file says it */
    const char *prec[] = {"stop.precision=0.1", NULL};
    expect_fail(BASE "stop: abc\n", prec, (struct where){NAME, 5, 7},
                "stop.tasks: expected a whole number, got \"abc\"");
}
END_TEST

/* ---- printing ---- */

/* The scenario as printed, in a malloc'd string. */
static char *print_to_string(const struct mmc_scenario *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(mmc_scenario_print(s, f), 0);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

static void assert_same_axis(const struct mmc_axis *a, const struct mmc_axis *b)
{
    ck_assert_uint_eq(a->n, b->n);
    ck_assert_int_eq(memcmp(a->v, b->v, a->n * sizeof *a->v), 0);
}

/* Bits of equal doubles: -0 and NaN too. Structs are compared by field: padding is not data. */
static void assert_same_double_at(double a, double b, const char *what)
{
    ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s: %.17g, then %.17g", what, a, b);
}
#define assert_same_double(a, b) assert_same_double_at(a, b, #a)

static void assert_same_limit(const struct mmc_limit *a, const struct mmc_limit *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    assert_same_double(a->value, b->value);
}

static void assert_same_precision(const struct mmc_precision *a, const struct mmc_precision *b)
{
    assert_same_double(a->target, b->target);
    assert_same_double(a->confidence, b->confidence);
    ck_assert_str_eq(a->metric, b->metric);
    ck_assert_uint_eq(a->max_replications, b->max_replications);
    assert_same_double(a->max_time, b->max_time);
}

/* Both NULL, or equal strings. */
static void assert_same_str(const char *a, const char *b)
{
    ck_assert_msg((a == NULL) == (b == NULL), "one of \"%s\", \"%s\" is NULL", a ? a : "(null)",
                  b ? b : "(null)");
    if (a != NULL)
        ck_assert_str_eq(a, b);
}

/* n doubles, bit for bit (both arrays NULL when n is 0). */
static void assert_same_doubles(const double *a, const double *b, size_t n)
{
    ck_assert(n == 0 || (a != NULL && b != NULL));
    for (size_t i = 0; i < n; i++)
        assert_same_double(a[i], b[i]);
}

static void assert_same_dist(const struct mmc_dist_spec *a, const struct mmc_dist_spec *b)
{
    ck_assert_int_eq(a->shape.kind, b->shape.kind);
    assert_same_double(a->shape.scv, b->shape.scv);
    assert_same_double(a->shape.shape, b->shape.shape);
    assert_same_double(a->shape.scale, b->shape.scale);
    assert_same_double(a->shape.p1, b->shape.p1);
    assert_same_double(a->shape.r1, b->shape.r1);
    assert_same_double(a->shape.r2, b->shape.r2);
    ck_assert_uint_eq(a->shape.n_samples, b->shape.n_samples);
    assert_same_doubles(a->shape.samples, b->shape.samples, a->shape.n_samples);
    assert_same_str(a->param, b->param);
    assert_same_double(a->value, b->value);
    assert_same_str(a->file, b->file);
    ck_assert_int_eq(a->fixed_mean, b->fixed_mean);
}

static void assert_same_batch(const struct mmc_batch_size *a, const struct mmc_batch_size *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    assert_same_double(a->mean, b->mean);
    assert_same_double(a->second_moment, b->second_moment);
    assert_same_double(a->p, b->p);
    ck_assert_uint_eq(a->n, b->n);
    assert_same_doubles(a->size, b->size, a->n);
    assert_same_doubles(a->cum_prob, b->cum_prob, a->n);
}

static void assert_same_process(const struct mmc_process *a, const struct mmc_process *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    assert_same_doubles(a->mmpp.rate, b->mmpp.rate, 2);
    assert_same_doubles(a->mmpp.sojourn, b->mmpp.sojourn, 2);
    ck_assert_uint_eq(a->schedule.n, b->schedule.n);
    assert_same_doubles(a->schedule.t, b->schedule.t, a->schedule.n);
    assert_same_doubles(a->schedule.v, b->schedule.v, a->schedule.n);
    ck_assert_int_eq(a->schedule.linear, b->schedule.linear);
    ck_assert_uint_eq(a->trace.n, b->trace.n);
    assert_same_doubles(a->trace.t, b->trace.t, a->trace.n);
    ck_assert_int_eq(a->trace.svc == NULL, b->trace.svc == NULL);
    if (a->trace.svc != NULL)
        assert_same_doubles(a->trace.svc, b->trace.svc, a->trace.n);
    assert_same_str(a->trace_file, b->trace_file);
    assert_same_double(a->trace_scale, b->trace_scale);
    ck_assert_int_eq(a->trace_service, b->trace_service);
    ck_assert_int_eq(a->batched, b->batched);
    if (a->batched) {
        assert_same_batch(&a->batch, &b->batch);
        assert_same_str(a->batch_param, b->batch_param);
        assert_same_double(a->batch_value, b->batch_value);
    }
}

static void assert_same_protection(const struct mmc_protection *a, const struct mmc_protection *b)
{
    assert_same_double(a->capacity, b->capacity);
    ck_assert_int_eq(a->shed, b->shed);
    assert_same_double(a->shed_threshold, b->shed_threshold);
    ck_assert_int_eq(a->drop, b->drop);
    ck_assert_int_eq(a->throttle, b->throttle);
    assert_same_double(a->throttle_rate, b->throttle_rate);
    assert_same_double(a->throttle_burst, b->throttle_burst);
    ck_assert_int_eq(a->excess, b->excess);
    ck_assert_int_eq(a->patience, b->patience);
    if (a->patience)
        assert_same_dist(&a->patience_dist, &b->patience_dist);
    assert_same_double(a->patience_rate, b->patience_rate);
}

static void assert_same(const struct mmc_scenario *a, const struct mmc_scenario *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_str_eq(a->description, b->description);
    ck_assert_str_eq(a->model, b->model);
    ck_assert_int_eq(a->dispatch.policy, b->dispatch.policy);
    ck_assert_uint_eq(a->dispatch.d, b->dispatch.d);
    ck_assert_uint_eq(a->dispatch.keys, b->dispatch.keys);
    assert_same_double(a->dispatch.delay, b->dispatch.delay);
    assert_same_dist(&a->arrival_dist, &b->arrival_dist);
    assert_same_process(&a->process, &b->process);
    ck_assert_uint_eq(a->staffing.n, b->staffing.n);
    assert_same_doubles(a->staffing.t, b->staffing.t, a->staffing.n);
    assert_same_doubles(a->staffing.c, b->staffing.c, a->staffing.n);
    assert_same_double(a->staffing.c_max, b->staffing.c_max);
    ck_assert_int_eq(a->arrival_is_load, b->arrival_is_load);
    assert_same_axis(&a->arrival, &b->arrival);
    assert_same_dist(&a->service_dist, &b->service_dist);
    assert_same_axis(&a->service, &b->service);
    assert_same_protection(&a->protect, &b->protect);
    assert_same_axis(&a->workers, &b->workers);
    assert_same_axis(&a->network_delay, &b->network_delay);
    assert_same_double(a->mem_per_task, b->mem_per_task);
    assert_same_limit(&a->stop, &b->stop);
    assert_same_limit(&a->warmup, &b->warmup);
    ck_assert_uint_eq(a->replications, b->replications);
    ck_assert_int_eq(a->initial.kind, b->initial.kind);
    assert_same_double(a->initial.in_system, b->initial.in_system);
    assert_same_precision(&a->precision, &b->precision);
    ck_assert_int_eq(a->method, b->method);
    ck_assert_uint_eq(a->batches, b->batches);
    ck_assert_int_eq(a->compare, b->compare);
    ck_assert_int_eq(a->control_variates, b->control_variates);
    /* NaN (not given) is unequal to itself: compare the bits */
    assert_same_double(a->wait_threshold, b->wait_threshold);
    ck_assert(a->seed == b->seed);
    ck_assert_str_eq(a->rng, b->rng);
}

/* Load yaml, print, reload the print: same struct, same text. */
static void round_trip(const char *yaml)
{
    struct mmc_scenario a, b;
    struct mmc_error err = {.line = 0};
    load_ok(&a, yaml, NULL);
    char *text = print_to_string(&a);
    ck_assert_msg(mmc_scenario_load_string(&b, text, strlen(text), "printed", NULL, 0, 0, &err) ==
                      0,
                  "reload failed at %d:%d: %s\n--- printed:\n%s", err.line, err.col, err.msg, text);
    assert_same(&a, &b);
    char *again = print_to_string(&b);
    ck_assert_str_eq(text, again);
    free(again);
    free(text);
    mmc_scenario_fini(&a);
    mmc_scenario_fini(&b);
}

START_TEST(test_print_canonical)
{
    static const char expected[] = "name: \"test\"\n"
                                   "description: \"\"\n"
                                   "model: \"mmc\"\n"
                                   "arrival: {dist: \"exponential\", rate: [1]}\n"
                                   "service: {dist: \"exponential\", rate: [2]}\n"
                                   "workers: [1]\n"
                                   "network_delay: [0]\n"
                                   "mem_per_task: 0\n"
                                   "stop: {tasks: 100000}\n"
                                   "warmup: none\n"
                                   "initial: empty\n"
                                   "replications: 10\n"
                                   "method: \"replications\"\n"
                                   "compare: \"none\"\n"
                                   "control_variates: false\n"
                                   "seed: 1\n"
                                   "rng: \"taus2\"\n";
    struct mmc_scenario a, b;
    load_ok(&a, BASE "warmup: none\n", NULL);
    /* the same values spelt differently print the same */
    load_ok(&b,
            "workers: [1.0]\nservice: {rate: 2e0, dist: \"exponential\"}\nmodel: 'mmc'\n"
            "arrival: {rate: [+1]}\nname: test\nwarmup: {time: 0}\nstop: 1e5\n",
            NULL);
    char *ta = print_to_string(&a), *tb = print_to_string(&b);
    ck_assert_str_eq(ta, expected);
    ck_assert_str_eq(tb, expected);
    free(ta);
    free(tb);
    mmc_scenario_fini(&a);
    mmc_scenario_fini(&b);
}
END_TEST

START_TEST(test_print_round_trip)
{
    round_trip(BASE);
    round_trip(full_yaml);
    round_trip(MODEL "arrival: {load: [0.1, 0.3333333333333333, 0.95]}\n"
                     "service: {rate: [1e-7, 123456.789, 1.7976931348623157e308]}\n"
                     "workers: [10000000, 3]\n"
                     "network_delay: [5e-324, 0.1]\n"
                     "mem_per_task: 0.30000000000000004\n"
                     "stop: {tasks: 9007199254740992}\n"
                     "warmup: {time: 1e-300}\n"
                     "seed: 18446744073709551615\n");
    /* strings with every kind of character YAML makes awkward */
    round_trip("name: \"n\\\"a\\\\m\\te\"\n"
               "description: \"line\\nnext \\x01 \\x7f \\x85 \\u2028 \\u2029 \\uFEFF \\uFFFE "
               "\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80 'single' # not a comment\"\n" BASE);
    round_trip("name: \"\"\n" BASE);
}
END_TEST

START_TEST(test_print_new_fields)
{
    static const char expected[] = "stop: {time: 60, precision: 0.01, confidence: 0.99, "
                                   "metric: \"Wq\", max_replications: 500, max_time: 2.5}\n"
                                   "warmup: auto\n"
                                   "initial: {in_system: 500}\n"
                                   "replications: 10\n"
                                   "method: \"replications\"\n"
                                   "compare: \"baseline\"\n"
                                   "control_variates: true\n"
                                   "wait_threshold: 0.125\n"
                                   "seed: 1\n";
    struct mmc_scenario s;
    load_ok(&s,
            BASE "stop: {time: 60, precision: 0.01, confidence: 0.99, metric: Wq, "
                 "max_replications: 500, max_time: 2.5}\n"
                 "initial: {in_system: 500}\ncompare: baseline\ncontrol_variates: true\n"
                 "wait_threshold: 0.125\n",
            NULL);
    char *text = print_to_string(&s);
    ck_assert_msg(strstr(text, expected) != NULL, "printed:\n%s", text);
    free(text);
    mmc_scenario_fini(&s);
    /* batch-means prints its batches; precision defaults print in full */
    load_ok(&s, BASE "method: batch-means\nbatches: 50\ninitial: stationary\n", NULL);
    text = print_to_string(&s);
    ck_assert_msg(strstr(text, "stop: {tasks: 100000}\nwarmup: auto\ninitial: stationary\n"
                               "replications: 1\nmethod: \"batch-means\"\nbatches: 50\n") != NULL,
                  "printed:\n%s", text);
    free(text);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "stop: {tasks: 9, precision: 0.05}\n", NULL);
    text = print_to_string(&s);
    ck_assert_msg(strstr(text, "stop: {tasks: 9, precision: 0.05, confidence: 0.95, "
                               "metric: \"T\", max_replications: 1000}\n") != NULL,
                  "printed:\n%s", text);
    free(text);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_print_round_trip_new_fields)
{
    round_trip(BASE "stop: {tasks: 1000000, precision: 0.01, metric: T}\nwarmup: auto\n");
    round_trip(BASE "stop: {time: 1e-3, precision: 0.3333333333333333, confidence: 0.999, "
                    "metric: utilization, max_replications: 1000000, max_time: 0.1}\n"
                    "replications: 1000000\n");
    round_trip(BASE "stop: {tasks: 9, precision: 0.1}\nreplications: 2000\n");
    round_trip(BASE "warmup: none\ninitial: {in_system: 10000000}\n");
    round_trip(BASE "initial: stationary\nmethod: batch-means\nbatches: 10\n");
    round_trip(BASE "compare: adjacent\ncontrol_variates: true\nwait_threshold: 5e-324\n");
    round_trip(BASE "compare: baseline\nwait_threshold: 0\n");
}
END_TEST

START_TEST(test_print_escapes)
{
    struct mmc_scenario s;
    load_ok(&s, "description: \"q\\\" b\\\\ n\\n t\\t \\x01 \\u2028\"\n" BASE, NULL);
    char *text = print_to_string(&s);
    ck_assert_ptr_nonnull(strstr(text, "description: \"q\\\" b\\\\ n\\n t\\t \\x01 \\u2028\"\n"));
    free(text);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_print_write_error)
{
    FILE *f = fopen("/dev/full", "w");
    if (f == NULL)
        return; /* no /dev/full here: nothing to test */
    struct mmc_scenario s;
    load_ok(&s, BASE, NULL);
    ck_assert_int_eq(mmc_scenario_print(&s, f), -1);
    fclose(f);
    mmc_scenario_fini(&s);
}
END_TEST

/* ---- files and lifecycle ---- */

START_TEST(test_load_file)
{
    char path[TEMP_PATH_SIZE];
    temp_file(path, sizeof path, BASE "description: from a file\n");
    struct mmc_scenario s;
    struct mmc_error err = {.line = 0};
    const struct mmc_override ov[] = {{"workers=[2, 4]"}};
    ck_assert_int_eq(mmc_scenario_load(&s, path, ov, 1, &err), 0);
    ck_assert_str_eq(s.file, path);
    ck_assert_str_eq(s.name, strrchr(path, '/') + 1);
    ck_assert_str_eq(s.description, "from a file");
    assert_axis(&s.workers, 2, (const double[]){2, 4});
    mmc_scenario_fini(&s);
    unlink(path);
}
END_TEST

START_TEST(test_load_file_error)
{
    char path[TEMP_PATH_SIZE];
    temp_file(path, sizeof path, MODEL "arrival: {rate: abc}\n" SERVICE WORKERS);
    struct mmc_scenario s;
    struct mmc_error err = {.line = 0};
    ck_assert_int_eq(mmc_scenario_load(&s, path, NULL, 0, &err), -1);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 17);
    ck_assert_str_eq(err.msg, "arrival.rate: expected a number, got \"abc\"");
    unlink(path);
}
END_TEST

START_TEST(test_missing_file_and_directory)
{
    char dir[] = "/tmp/mmcsim_scenario_XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/absent.yaml", dir);
    struct mmc_scenario s;
    struct mmc_error err = {.line = 0};
    ck_assert_int_eq(mmc_scenario_load(&s, path, NULL, 0, &err), -1);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.msg, "cannot read: No such file or directory");

    err = (struct mmc_error){.line = 0};
    ck_assert_int_eq(mmc_scenario_load(&s, dir, NULL, 0, &err), -1);
    ck_assert_str_eq(err.file, dir);
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.msg, "cannot read: Is a directory");
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_fini_zeroed)
{
    struct mmc_scenario s = {.replications = 0};
    mmc_scenario_fini(&s);
    load_ok(&s, BASE, NULL);
    mmc_scenario_fini(&s);
    mmc_scenario_fini(&s); /* fini leaves a zeroed struct */
    ck_assert_ptr_null(s.description);
}
END_TEST

START_TEST(test_late_error_frees)
{
    /* axes and the description are allocated before rng is checked: valgrind sees them freed */
    expect_error("description: x\nnetwork_delay: [1, 2]\n" BASE "rng: nope\n", 7, 6,
                 "unknown GSL generator");
}
END_TEST

START_TEST(test_distributions)
{
    struct mmc_scenario s;
    /* every distribution by rate or mean, with its shape keys */
    load_ok(&s,
            MODEL WORKERS "arrival: {dist: hyperexponential, rate: 45, scv: 4}\n"
                          "service: {dist: lognormal, mean: 0.02, scv: 2}\n",
            NULL);
    ck_assert_int_eq(s.arrival_dist.shape.kind, MMC_DIST_HYPEREXPONENTIAL);
    ck_assert_double_eq_tol(s.arrival_dist.shape.scv, 4.0, 1e-12);
    ck_assert_double_eq_tol(s.service.v[0], 50.0, 1e-9);
    ck_assert_double_eq_tol(s.service_dist.shape.scv, 2.0, 1e-12);
    mmc_scenario_fini(&s);
    load_ok(&s, MODEL WORKERS ARRIVAL "service: {dist: erlang, k: 4, rate: [1, 2]}\n", NULL);
    ck_assert_double_eq_tol(s.service_dist.shape.scv, 0.25, 1e-12);
    ck_assert_uint_eq(s.service.n, 2);
    mmc_scenario_fini(&s);
    /* probs and rates fix the mean: the axis holds the one rate they imply */
    load_ok(&s,
            MODEL WORKERS ARRIVAL
            "service: {dist: hyperexponential, probs: [0.9, 0.1], rates: [2, 0.2]}\n",
            NULL);
    ck_assert_double_eq_tol(s.service.v[0], 1.0 / 0.95, 1e-12);
    mmc_scenario_fini(&s);
    load_ok(&s, MODEL WORKERS ARRIVAL "service: {dist: uniform, min: 2, max: 4}\n", NULL);
    ck_assert_double_eq_tol(s.service.v[0], 1.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(s.service_dist.shape.scv, 1.0 / 27.0, 1e-12);
    mmc_scenario_fini(&s);
    const char *ok[] = {
        "service: {dist: deterministic, rate: 30}\n",
        "service: {dist: gamma, rate: 1, shape: 0.5}\n",
        "service: {dist: weibull, mean: 1, scv: 3}\n",
        "service: {dist: pareto, rate: 1, shape: 2.5}\n",
        "service: {dist: uniform, rate: 1, scv: 0.2}\n",
        NULL,
    };
    for (size_t i = 0; ok[i] != NULL; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, MODEL WORKERS ARRIVAL "%s", ok[i]);
        load_ok(&s, yaml, NULL);
        mmc_scenario_fini(&s);
    }
}
END_TEST

START_TEST(test_distribution_errors)
{
#define SVC(x) MODEL WORKERS ARRIVAL "service: " x "\n"
    expect_error(SVC("{dist: lognormal, rate: 1}"), 4, 10, "service: lognormal needs scv");
    expect_error(SVC("{dist: lognormal, rate: 1, scv: -1}"), 4, 42, "service.scv:");
    expect_error(SVC("{dist: erlang, k: 2.5, rate: 1}"), 4, 28, "service.k:");
    expect_error(SVC("{dist: hyperexponential, scv: 0.5, rate: 1}"), 4, 40, ">= 1");
    expect_error(SVC("{dist: pareto, shape: 1, rate: 1}"), 4, 32, "service.shape:");
    expect_error(SVC("{dist: uniform, scv: 0.5, rate: 1}"), 4, 31, "service.scv:");
    expect_error(SVC("{dist: gamma, k: 3, rate: 1}"), 4, 24, "not a parameter of gamma");
    expect_error(SVC("{dist: gamma, scv: 2, shape: 3, rate: 1}"), 4, 32, "conflicts");
    expect_error(SVC("{dist: exponential, rate: 1, mean: 1}"), 4, 39, "give rate or mean");
    expect_error(SVC("{dist: uniform, min: 1, max: 2, rate: 1}"), 4, 42, "fix the mean");
    expect_error(SVC("{dist: uniform, min: 1}"), 4, 26, "min needs max");
    expect_error(SVC("{dist: hyperexponential, probs: [0.5, 0.6], rates: [1, 2]}"), 4, 42,
                 "service.probs:");
    expect_error(SVC("{dist: normal, rate: 1}"), 4, 17, "distribution");
    expect_error(SVC("{dist: empirical, file: no-such-file.csv}"), 4, 34, "cannot read");
#undef SVC
}
END_TEST

START_TEST(test_distribution_prints_back)
{
    /* the canonical text reloads to the same shape */
    const char *yaml[] = {
        MODEL WORKERS ARRIVAL "service: {dist: weibull, mean: 0.5, scv: 3}\n",
        MODEL WORKERS ARRIVAL "service: {dist: hyperexponential, probs: [0.9, 0.1], "
                              "rates: [2, 0.2]}\n",
        MODEL WORKERS ARRIVAL "service: {dist: uniform, min: 2, max: 4}\n",
        MODEL WORKERS "arrival: {dist: erlang, k: 3, load: [0.5, 0.9]}\nservice: {rate: 2}\n",
        NULL,
    };
    for (size_t i = 0; yaml[i] != NULL; i++) {
        struct mmc_scenario a, b;
        load_ok(&a, yaml[i], NULL);
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        ck_assert_int_eq(mmc_scenario_print(&a, f), 0);
        fclose(f);
        load_ok(&b, text, NULL);
        ck_assert_int_eq(a.service_dist.shape.kind, b.service_dist.shape.kind);
        ck_assert_double_eq_tol(a.service_dist.shape.scv, b.service_dist.shape.scv, 1e-12);
        ck_assert_double_eq_tol(a.arrival_dist.shape.scv, b.arrival_dist.shape.scv, 1e-12);
        ck_assert_double_eq_tol(a.service.v[0], b.service.v[0], 1e-12 * a.service.v[0]);
        free(text);
        mmc_scenario_fini(&a);
        mmc_scenario_fini(&b);
    }
}
END_TEST

/* ---- arrival processes: MMPP, schedules, batches, traces ---- */

/* One arrival line between the model and the service line: errors in it are on line 2. */
#define ARR(x) MODEL "arrival: " x "\n" SERVICE WORKERS

START_TEST(test_mmpp)
{
    struct mmc_scenario s;
    /* without a rate the rates are used as written: the axis is their long-run mean */
    load_ok(&s, ARR("{dist: mmpp, rates: [4, 1], sojourns: [1, 3]}"), NULL);
    ck_assert_int_eq(s.process.kind, MMC_PROCESS_MMPP);
    ck_assert_double_eq(s.process.mmpp.rate[0], 4);
    ck_assert_double_eq(s.process.mmpp.sojourn[1], 3);
    ck_assert(s.arrival_dist.fixed_mean);
    assert_axis(&s.arrival, 1, (const double[]){1.75});
    mmc_scenario_fini(&s);
    /* a rate, load or mean rescales them: the axis is that, and may be a sweep */
    load_ok(&s, ARR("{dist: \"mmpp\", rates: [4, 0], sojourns: [1, 3], load: [0.5, 0.9]}"), NULL);
    ck_assert(s.arrival_is_load);
    ck_assert(!s.arrival_dist.fixed_mean);
    assert_axis(&s.arrival, 2, (const double[]){0.5, 0.9});
    mmc_scenario_fini(&s);
    load_ok(&s, ARR("{dist: mmpp, rates: [4, 1], sojourns: [1, 3], mean: 0.25}"), NULL);
    assert_axis(&s.arrival, 1, (const double[]){4});
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_mmpp_errors)
{
    /* "arrival: {dist: mmpp, rates: " is 29 characters */
    expect_error(ARR("{dist: mmpp, rates: [1], sojourns: [1, 2]}"), 2, 30,
                 "arrival.rates: expected a list of two numbers, got a list of 1");
    expect_error(ARR("{dist: mmpp, rates: [1, 2, 3], sojourns: [1, 2]}"), 2, 30,
                 "arrival.rates: expected a list of two numbers, got a list of 3");
    expect_error(ARR("{dist: mmpp, rates: 3, sojourns: [1, 2]}"), 2, 30,
                 "arrival.rates: expected a list of two numbers, got \"3\"");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1]}"), 2, 48,
                 "arrival.sojourns: expected a list of two numbers, got a list of 1");
    expect_error(ARR("{dist: mmpp, rates: [-1, 2], sojourns: [1, 2]}"), 2, 31,
                 "arrival.rates[0]: expected a finite number >= 0, got \"-1\"");
    expect_error(ARR("{dist: mmpp, rates: [1, .inf], sojourns: [1, 2]}"), 2, 34,
                 "arrival.rates[1]: expected a number, got \".inf\"");
    expect_error(ARR("{dist: mmpp, rates: [0, 0], sojourns: [1, 2]}"), 2, 10,
                 "arrival: mmpp: at least one rate must be > 0");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [0, 2]}"), 2, 49,
                 "arrival.sojourns[0]: expected a finite number > 0, got \"0\"");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, -2]}"), 2, 52,
                 "arrival.sojourns[1]: expected a finite number > 0, got \"-2\"");
    expect_error(ARR("{dist: mmpp, sojourns: [1, 2]}"), 2, 10, "missing key \"arrival.rates\"");
    expect_error(ARR("{dist: mmpp, rates: [1, 2]}"), 2, 10, "missing key \"arrival.sojourns\"");
    /* two rate keys at once, reported at the later one */
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], rate: 3, load: 0.5}"), 2, 65,
                 "arrival: give rate or load, not both");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], mean: 3, rate: 0.5}"), 2, 65,
                 "arrival: give rate or mean, not both");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], load: 0.5, mean: 1}"), 2, 67,
                 "arrival: give load or mean, not both");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], rate: 0}"), 2, 62,
                 "arrival.rate: expected a finite number > 0, got \"0\"");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], mean: 5e-324}"), 2, 62,
                 "arrival.mean: expected a mean whose inverse is a finite rate");
    /* keys of other processes and of renewal shapes */
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], scv: 2}"), 2, 56,
                 "arrival.scv: not used with dist: mmpp");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], trace: a.csv}"), 2, 56,
                 "arrival.trace: not used with dist: mmpp");
    expect_error(ARR("{dist: mmpp, rates: [1, 2], sojourns: [1, 2], schedule: {}}"), 2, 56,
                 "arrival.schedule: not used with dist: mmpp");
    expect_error(ARR("{rates: [1, 2], sojourns: [1, 2]}"), 2, 26,
                 "arrival.sojourns: only with dist: mmpp");
    expect_error(ARR("{rate: 1, scale: 2}"), 2, 20, "arrival.scale: only with trace");
    /* MMPP is an arrival process, not a distribution of service times or patience */
    expect_error(MODEL ARRIVAL "service: {dist: mmpp, rate: 1}\n" WORKERS, 3, 17,
                 "service.dist: unknown distribution \"mmpp\"");
}
END_TEST

START_TEST(test_schedule)
{
    struct mmc_scenario s;
    load_ok(&s, ARR("{schedule: {times: [0, 300, 360], rates: [45, 120, 45]}}"), NULL);
    ck_assert_int_eq(s.process.kind, MMC_PROCESS_SCHEDULE);
    ck_assert_uint_eq(s.process.schedule.n, 3);
    ck_assert(!s.process.schedule.linear);
    ck_assert_double_eq(s.process.schedule.v[1], 120);
    /* the axis is the mean rate up to the last breakpoint: (300 x 45 + 60 x 120) / 360 */
    ck_assert(s.arrival_dist.fixed_mean);
    assert_axis(&s.arrival, 1, (const double[]){57.5});
    /* no steady state: the default warm-up becomes none */
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
    mmc_scenario_fini(&s);
    load_ok(&s, ARR("{schedule: {times: [0, 10], rates: [0, 2], interpolate: \"linear\"}}"), NULL);
    ck_assert(s.process.schedule.linear);
    assert_axis(&s.arrival, 1, (const double[]){1});
    mmc_scenario_fini(&s);
    /* one breakpoint: a constant rate */
    load_ok(&s, ARR("{schedule: {times: [0], rates: [3]}}"), NULL);
    assert_axis(&s.arrival, 1, (const double[]){3});
    mmc_scenario_fini(&s);
    /* silent until the last breakpoint, whose rate holds from then on */
    load_ok(&s, ARR("{schedule: {times: [0, 60], rates: [0, 10]}}"), NULL);
    ck_assert_double_eq(s.arrival.v[0], 10);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_schedule_errors)
{
    /* "arrival: {schedule: " is 20 characters: the schedule's mapping starts at 21 */
    expect_error(ARR("{schedule: {times: [1, 2], rates: [1, 2]}}"), 2, 21,
                 "arrival.schedule: schedule: the first breakpoint must be at time 0");
    expect_error(ARR("{schedule: {times: [0, 2, 2], rates: [1, 2, 3]}}"), 2, 21,
                 "arrival.schedule: schedule: breakpoint times must be finite and strictly "
                 "increasing");
    expect_error(ARR("{schedule: {times: [0, 3, 2], rates: [1, 2, 3]}}"), 2, 21,
                 "breakpoint times must be finite and strictly increasing");
    expect_error(ARR("{schedule: {times: [0, -1], rates: [1, 1]}}"), 2, 33,
                 "arrival.schedule.times[1]: expected a finite number >= 0, got \"-1\"");
    expect_error(ARR("{schedule: {times: [0, 2], rates: [1, 2, 3]}}"), 2, 44,
                 "arrival.schedule.rates: expected as many rates as times, got a list of 3");
    expect_error(ARR("{schedule: {times: [0, 2, 4], rates: [1, 2]}}"), 2, 47,
                 "arrival.schedule.rates: expected as many rates as times, got a list of 2");
    expect_error(ARR("{schedule: {times: [0, 2], rates: [1, -2]}}"), 2, 48,
                 "arrival.schedule.rates[1]: expected a finite number >= 0, got \"-2\"");
    expect_error(ARR("{schedule: {times: [0, 2], rates: [0, 0]}}"), 2, 21,
                 "arrival.schedule: expected a rate above 0 somewhere");
    expect_error(ARR("{schedule: {times: [0, 2], rates: [0, 0], interpolate: linear}}"), 2, 21,
                 "arrival.schedule: expected a rate above 0 somewhere");
    expect_error(ARR("{schedule: {times: [0], rates: [0]}}"), 2, 21,
                 "arrival.schedule: expected a rate above 0 somewhere");
    expect_error(ARR("{schedule: {times: [0, 2], rates: [1, 2], interpolate: cubic}}"), 2, 65,
                 "arrival.schedule.interpolate: unknown interpolation \"cubic\" (known: step, "
                 "linear)");
    expect_error(ARR("{schedule: {times: [0, 2], rates: [1, 2], interpolate: [step]}}"), 2, 65,
                 "arrival.schedule.interpolate: expected a string, got a list");
    expect_error(ARR("{schedule: {times: [], rates: []}}"), 2, 29,
                 "arrival.schedule.times: expected a list of 1 to 1000 numbers, got an empty list");
    expect_error(ARR("{schedule: {rates: [1]}}"), 2, 21, "missing key \"arrival.schedule.times\"");
    expect_error(ARR("{schedule: {times: [0]}}"), 2, 21, "missing key \"arrival.schedule.rates\"");
    expect_error(ARR("{schedule: 5}"), 2, 21, "arrival.schedule: expected a mapping, got \"5\"");
    expect_error(ARR("{schedule: {times: [0], rates: [1], step: 1}}"), 2, 46,
                 "unknown key \"arrival.schedule.step\" (known: arrival.schedule.times, "
                 "arrival.schedule.rates, arrival.schedule.interpolate)");
    /* a schedule is the whole arrival process: no rate, no distribution */
    expect_error(ARR("{schedule: {times: [0], rates: [1]}, rate: 5}"), 2, 47,
                 "arrival.rate: not used with schedule");
    expect_error(ARR("{schedule: {times: [0], rates: [1]}, dist: erlang}"), 2, 47,
                 "arrival.dist: not used with schedule");
    expect_error(ARR("{schedule: {times: [0], rates: [1]}, trace: x.csv}"), 2, 47,
                 "arrival.trace: not used with schedule");
}
END_TEST

/* A schedule of n breakpoints 0, 1, 2, ... at rate 1, in a malloc'd scenario text. */
static char *schedule_of(size_t n)
{
    size_t size = 64 + 24 * n, o = 0;
    char *yaml = malloc(size);
    ck_assert_ptr_nonnull(yaml);
    o += (size_t)snprintf(yaml + o, size - o, MODEL SERVICE WORKERS "arrival:\n  schedule:\n");
    o += (size_t)snprintf(yaml + o, size - o, "    times: [0");
    for (size_t i = 1; i < n; i++)
        o += (size_t)snprintf(yaml + o, size - o, ", %zu", i);
    o += (size_t)snprintf(yaml + o, size - o, "]\n    rates: [1");
    for (size_t i = 1; i < n; i++)
        o += (size_t)snprintf(yaml + o, size - o, ", 1");
    snprintf(yaml + o, size - o, "]\n");
    return yaml;
}

START_TEST(test_schedule_breakpoints)
{
    char *yaml = schedule_of(MMC_MAX_BREAKPOINTS);
    struct mmc_scenario s;
    load_ok(&s, yaml, NULL);
    ck_assert_uint_eq(s.process.schedule.n, MMC_MAX_BREAKPOINTS);
    mmc_scenario_fini(&s);
    free(yaml);
    yaml = schedule_of(MMC_MAX_BREAKPOINTS + 1);
    expect_error(yaml, 6, 12,
                 "arrival.schedule.times: expected a list of 1 to 1000 numbers, got a list of "
                 "1001");
    free(yaml);
}
END_TEST

START_TEST(test_batch)
{
    struct mmc_scenario s;
    load_ok(&s, ARR("{rate: 2, batch: {size: 3}}"), NULL);
    ck_assert(s.process.batched);
    ck_assert_int_eq(s.process.batch.kind, MMC_BATCH_CONSTANT);
    ck_assert_double_eq(s.process.batch.mean, 3);
    ck_assert_str_eq(s.process.batch_param, "size");
    /* the rate stays the task rate */
    assert_axis(&s.arrival, 1, (const double[]){2});
    mmc_scenario_fini(&s);
    load_ok(&s, ARR("{rate: 2, batch: {mean: 1}}"), NULL);
    ck_assert_int_eq(s.process.batch.kind, MMC_BATCH_GEOMETRIC);
    ck_assert_double_eq(s.process.batch.mean, 1);
    mmc_scenario_fini(&s);
    load_ok(&s, ARR("{rate: 2, batch: {sizes: [1, 4], probs: [0.75, 0.25]}}"), NULL);
    ck_assert_int_eq(s.process.batch.kind, MMC_BATCH_TABLE);
    ck_assert_double_eq(s.process.batch.mean, 1.75);
    mmc_scenario_fini(&s);
    /* batches of every process but a trace */
    load_ok(&s, ARR("{dist: mmpp, rates: [4, 1], sojourns: [1, 3], batch: {mean: 2}}"), NULL);
    ck_assert(s.process.batched);
    mmc_scenario_fini(&s);
    load_ok(&s, ARR("{schedule: {times: [0], rates: [1]}, batch: {size: 2}}"), NULL);
    ck_assert(s.process.batched);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_batch_errors)
{
    /* "arrival: {rate: 1, batch: " is 26 characters: the batch's mapping starts at 27 */
    expect_error(ARR("{rate: 1, batch: {size: 2.5}}"), 2, 34,
                 "arrival.batch.size: batch size: must be a whole number in 1..1000000");
    expect_error(ARR("{rate: 1, batch: {size: 2000000}}"), 2, 34,
                 "arrival.batch.size: batch size: must be a whole number in 1..1000000");
    expect_error(ARR("{rate: 1, batch: {size: 0}}"), 2, 34,
                 "arrival.batch.size: expected a finite number > 0, got \"0\"");
    expect_error(ARR("{rate: 1, batch: {mean: 0.5}}"), 2, 34,
                 "arrival.batch.mean: batch size: geometric mean must be in [1, 1000000]");
    expect_error(ARR("{rate: 1, batch: {sizes: [1, 2], probs: [0.5, 0.6]}}"), 2, 27,
                 "arrival.batch: batch size: table probabilities must sum to 1");
    expect_error(ARR("{rate: 1, batch: {sizes: [1, 2], probs: [0.5]}}"), 2, 50,
                 "arrival.batch.probs: expected as many probabilities as sizes, got a list of 1");
    expect_error(ARR("{rate: 1, batch: {sizes: [1, 2.5], probs: [0.5, 0.5]}}"), 2, 27,
                 "arrival.batch: batch size: table sizes must be whole numbers in 1..1000000");
    expect_error(ARR("{rate: 1, batch: {sizes: [1, 0], probs: [0.5, 0.5]}}"), 2, 39,
                 "arrival.batch.sizes[1]: expected a finite number > 0, got \"0\"");
    expect_error(ARR("{rate: 1, batch: {sizes: [1, 2], probs: [-0.5, 1.5]}}"), 2, 51,
                 "arrival.batch.probs[0]: expected a finite number >= 0, got \"-0.5\"");
    expect_error(ARR("{rate: 1, batch: {sizes: [1, 2]}}"), 2, 27,
                 "missing key \"arrival.batch.probs\"");
    expect_error(ARR("{rate: 1, batch: {probs: [1]}}"), 2, 27,
                 "arrival.batch: expected one of size, mean or sizes (with probs)");
    expect_error(ARR("{rate: 1, batch: {size: 2, mean: 3}}"), 2, 27,
                 "arrival.batch: expected one of size, mean or sizes (with probs)");
    expect_error(ARR("{rate: 1, batch: {}}"), 2, 27,
                 "arrival.batch: expected one of size, mean or sizes (with probs)");
    expect_error(ARR("{rate: 1, batch: {size: 2, probs: [1]}}"), 2, 37,
                 "arrival.batch.probs: only with sizes");
    expect_error(ARR("{rate: 1, batch: 5}"), 2, 27, "arrival.batch: expected a mapping, got \"5\"");
    expect_error(ARR("{rate: 1, batch: {colour: 1}}"), 2, 28,
                 "unknown key \"arrival.batch.colour\" (known: arrival.batch.size, "
                 "arrival.batch.mean, arrival.batch.sizes, arrival.batch.probs)");
}
END_TEST

/* ---- staffing ---- */

START_TEST(test_staffing)
{
    struct mmc_scenario s;
    load_ok(&s, MODEL ARRIVAL SERVICE "staffing: {times: [0, 10, 20], workers: [2, 5, 1]}\n", NULL);
    ck_assert_uint_eq(s.staffing.n, 3);
    ck_assert_double_eq(s.staffing.t[1], 10);
    ck_assert_double_eq(s.staffing.c[1], 5);
    ck_assert_double_eq(s.staffing.c_max, 5);
    /* the point's c is the most workers at once */
    assert_axis(&s.workers, 1, (const double[]){5});
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_staffing_errors)
{
#define STAFF(x) MODEL ARRIVAL SERVICE "staffing: " x "\n"
    expect_error(STAFF("{times: [0, 10], workers: [1, 2]}") WORKERS, 5, 1,
                 "workers: staffing sets the workers; leave workers out");
    expect_error(WORKERS STAFF("{times: [0, 10], workers: [1, 2]}"), 1, 1,
                 "workers: staffing sets the workers; leave workers out");
    expect_error(STAFF("{times: [0, 10], workers: [1, 2.5]}"), 4, 41,
                 "staffing.workers[1]: expected a whole number >= 1, got \"2.5\"");
    expect_error(STAFF("{times: [0, 10], workers: [0, 1]}"), 4, 38,
                 "staffing.workers[0]: expected a whole number >= 1, got \"0\"");
    expect_error(STAFF("{times: [0, 10, 5], workers: [1, 2, 3]}"), 4, 11,
                 "staffing: schedule: breakpoint times must be finite and strictly increasing");
    expect_error(STAFF("{times: [0, 10, 10], workers: [1, 2, 3]}"), 4, 11,
                 "staffing: schedule: breakpoint times must be finite and strictly increasing");
    expect_error(STAFF("{times: [5, 10], workers: [1, 2]}"), 4, 11,
                 "staffing: schedule: the first breakpoint must be at time 0");
    expect_error(STAFF("{times: [0, 10], workers: [1]}"), 4, 37,
                 "staffing.workers: expected as many worker counts as times, got a list of 1");
    expect_error(STAFF("{times: [0, 10]}"), 4, 11, "missing key \"staffing.workers\"");
    expect_error(STAFF("{workers: [1]}"), 4, 11, "missing key \"staffing.times\"");
    expect_error(STAFF("5"), 4, 11, "staffing: expected a mapping, got \"5\"");
    expect_error(STAFF("{times: [0], workers: [2], rates: [1]}"), 4, 38,
                 "unknown key \"staffing.rates\" (known: staffing.times, staffing.workers)");
    expect_error(STAFF("{times: [0], workers: 2}"), 4, 33,
                 "staffing.workers: expected a list of 1 to 1000 numbers, got \"2\"");
    /* capacity is checked against the most workers at once */
    expect_error(STAFF("{times: [0, 10], workers: [1, 3]}") "capacity: 2\n", 5, 11,
                 "capacity: expected a whole number >= workers (3), got \"2\"");
#undef STAFF
}
END_TEST

/* A rate schedule, a trace or a staffing schedule has no steady state. */
START_TEST(test_time_varying_refusals)
{
    char path[TEMP_PATH_SIZE], trace[256];
    temp_file(path, sizeof path, "0\n1\n2.5\n");
    snprintf(trace, sizeof trace, MODEL "arrival: {trace: %s}\n" SERVICE WORKERS, path);
    const char *const bases[] = {
        ARR("{schedule: {times: [0, 60], rates: [1, 2]}}"),
        trace,
        MODEL ARRIVAL SERVICE "staffing: {times: [0, 60], workers: [1, 2]}\n",
    };
    for (size_t i = 0; i < 3; i++) {
        char yaml[512];
        struct mmc_scenario s;
        static const char *const warmups[] = {"warmup: auto\n", "warmup: 100\n",
                                              "warmup: {time: 5}\n"};
        for (size_t w = 0; w < 3; w++) {
            snprintf(yaml, sizeof yaml, "%s%s", bases[i], warmups[w]);
            expect_error(yaml, 5, 9,
                         "warmup: a time-varying workload has no steady state to warm up to; use "
                         "warmup: none");
        }
        snprintf(yaml, sizeof yaml, "%sinitial: stationary\n", bases[i]);
        expect_error(yaml, 5, 10, "initial: a time-varying workload has no stationary law");
        snprintf(yaml, sizeof yaml, "%smethod: batch-means\n", bases[i]);
        expect_error(yaml, 5, 9, "method: batch-means needs a steady state");
        /* an override is reported where it was given */
        const char *set[] = {"warmup=auto", NULL};
        expect_fail(bases[i], set, (struct where){"--set", 1, 8},
                    "warmup: a time-varying workload has no steady state");
        /* none, a zero warm-up and a backlog are fine */
        snprintf(yaml, sizeof yaml, "%swarmup: none\ninitial: {in_system: 5}\n", bases[i]);
        load_ok(&s, yaml, NULL);
        ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
        ck_assert_int_eq(s.initial.kind, MMC_INITIAL_IN_SYSTEM);
        mmc_scenario_fini(&s);
        snprintf(yaml, sizeof yaml, "%swarmup: {tasks: 0}\n", bases[i]);
        load_ok(&s, yaml, NULL);
        ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
        mmc_scenario_fini(&s);
    }
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* ---- traces ---- */

/* Scenario text replaying the trace at path: "arrival:" with its keys one per line from line 3
 * (trace on line 3, then extra, each value at column 10), then service (from svc) and workers. */
static void trace_yaml(char *yaml, size_t size, const char *path, const char *extra,
                       const char *svc)
{
    snprintf(yaml, size, MODEL "arrival:\n  trace: %s\n%s%s" WORKERS, path, extra, svc);
}

START_TEST(test_trace)
{
    char path[TEMP_PATH_SIZE], yaml[512];
    temp_file(path, sizeof path, "# a log\ntimestamp\n100\n101\n102.5\n104\n");
    struct mmc_scenario s;
    trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
    load_ok(&s, yaml, NULL);
    ck_assert_int_eq(s.process.kind, MMC_PROCESS_TRACE);
    ck_assert_str_eq(s.process.trace_file, path);
    ck_assert_uint_eq(s.process.trace.n, 4);
    ck_assert_double_eq(s.process.trace.t[3], 4);
    ck_assert_double_eq(s.process.trace_scale, 1);
    ck_assert(!s.process.trace_service);
    /* the axis is the trace's own rate: 3 gaps in 4 s */
    assert_axis(&s.arrival, 1, (const double[]){0.75});
    ck_assert_int_eq(s.warmup.kind, MMC_LIMIT_NONE);
    mmc_scenario_fini(&s);
    trace_yaml(yaml, sizeof yaml, path, "  scale: 2\n", SERVICE);
    load_ok(&s, yaml, NULL);
    ck_assert_double_eq(s.process.trace_scale, 2);
    assert_axis(&s.arrival, 1, (const double[]){1.5});
    mmc_scenario_fini(&s);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

START_TEST(test_trace_errors)
{
    char path[TEMP_PATH_SIZE], yaml[512], msg[512];
    temp_file(path, sizeof path, "0\n1\n2.5\n");
    trace_yaml(yaml, sizeof yaml, path, "  scale: 0\n", SERVICE);
    expect_error(yaml, 4, 10, "arrival.scale: expected a finite number > 0, got \"0\"");
    trace_yaml(yaml, sizeof yaml, path, "  scale: -1.5\n", SERVICE);
    expect_error(yaml, 4, 10, "arrival.scale: expected a finite number > 0, got \"-1.5\"");
    trace_yaml(yaml, sizeof yaml, path, "  scale: [1, 2]\n", SERVICE);
    expect_error(yaml, 4, 10, "arrival.scale: expected a number, got a list");
    /* the trace is the whole arrival process */
    trace_yaml(yaml, sizeof yaml, path, "  rate: 3\n", SERVICE);
    expect_error(yaml, 4, 3, "arrival.rate: not used with trace");
    trace_yaml(yaml, sizeof yaml, path, "  dist: exponential\n", SERVICE);
    expect_error(yaml, 4, 3, "arrival.dist: not used with trace");
    trace_yaml(yaml, sizeof yaml, path, "  batch: {size: 2}\n", SERVICE);
    expect_error(yaml, 4, 3, "arrival.batch: not used with trace");
    trace_yaml(yaml, sizeof yaml, path, "  sojourns: [1, 2]\n", SERVICE);
    expect_error(yaml, 4, 3, "arrival.sojourns: not used with trace");
    trace_yaml(yaml, sizeof yaml, path, "  scael: 2\n", SERVICE);
    expect_error(yaml, 4, 3, "unknown key \"arrival.scael\" (did you mean \"arrival.scale\"?)");
    trace_yaml(yaml, sizeof yaml, "\"\"", "", SERVICE);
    expect_error(yaml, 3, 10, "arrival.trace: expected a file name, got string \"\"");
    trace_yaml(yaml, sizeof yaml, "[a.csv]", "", SERVICE);
    expect_error(yaml, 3, 10, "arrival.trace: expected a string, got a list");
    ck_assert_int_eq(unlink(path), 0);

    /* a file that is not there */
    char dir[] = "/tmp/mmcsim_test_XXXXXX", absent[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(absent, sizeof absent, "%s/absent.csv", dir);
    trace_yaml(yaml, sizeof yaml, absent, "", SERVICE);
    snprintf(msg, sizeof msg, "arrival.trace: cannot read %s: No such file or directory", absent);
    expect_error(yaml, 3, 10, msg);
    ck_assert_int_eq(rmdir(dir), 0);

    /* files without two distinct arrival times */
    static const char *const empty[] = {"", "# nothing\n\n", "timestamp\n"};
    for (size_t i = 0; i < 3; i++) {
        temp_file(path, sizeof path, empty[i]);
        trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
        expect_error(yaml, 3, 10, "arrival.trace: ");
        expect_error(yaml, 3, 10, "no arrivals in the file");
        ck_assert_int_eq(unlink(path), 0);
    }
    static const char *const one[] = {"5\n", "5\n5\n5\n"};
    for (size_t i = 0; i < 2; i++) {
        temp_file(path, sizeof path, one[i]);
        trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
        expect_error(yaml, 3, 10, "arrival.trace: expected at least two distinct arrival times");
        ck_assert_int_eq(unlink(path), 0);
    }

    /* a bad line is reported at the trace file's line */
    temp_file(path, sizeof path, "# times\n0\n2\n1\n");
    trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
    expect_fail(yaml, NULL, (struct where){path, 4, 1},
                "arrival.trace: timestamp 1 is before the previous one, 2");
    ck_assert_int_eq(unlink(path), 0);
    temp_file(path, sizeof path, "0\nsoon\n");
    trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
    expect_fail(yaml, NULL, (struct where){path, 2, 1}, "arrival.trace: expected a timestamp");
    ck_assert_int_eq(unlink(path), 0);
    temp_file(path, sizeof path, "0,1\n1\n");
    trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
    expect_fail(yaml, NULL, (struct where){path, 2, 1},
                "arrival.trace: expected 2 fields as on the first line, got 1");
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

START_TEST(test_trace_service)
{
    char path[TEMP_PATH_SIZE], yaml[512];
    temp_file(path, sizeof path, "time,service\n0,0.1\n1,0.2\n2.5,0.3\n");
    struct mmc_scenario s;
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace}\n");
    load_ok(&s, yaml, NULL);
    ck_assert(s.process.trace_service);
    ck_assert_str_eq(s.service_dist.param, "trace");
    ck_assert(s.service_dist.fixed_mean);
    ck_assert_double_eq_tol(s.service.v[0], 5.0, 1e-12);
    ck_assert_uint_eq(s.service_dist.shape.n_samples, 3);
    mmc_scenario_fini(&s);
    /* quoted like any string, and with a scaled trace */
    trace_yaml(yaml, sizeof yaml, path, "  scale: 2\n", "service: {dist: \"trace\"}\n");
    load_ok(&s, yaml, NULL);
    ck_assert(s.process.trace_service);
    mmc_scenario_fini(&s);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

START_TEST(test_trace_service_errors)
{
    char path[TEMP_PATH_SIZE], yaml[512], msg[512];
    /* no trace to take the service times from */
    expect_error(MODEL ARRIVAL "service: {dist: trace}\n" WORKERS, 3, 10,
                 "service: dist: trace needs arrival: {trace: FILE}");
    expect_error(MODEL "arrival: {dist: mmpp, rates: [1, 2], sojourns: [1, 2]}\n"
                       "service: {dist: trace}\n" WORKERS,
                 3, 10, "service: dist: trace needs arrival: {trace: FILE}");
    expect_error(MODEL ARRIVAL "service: {dist: trace, rate: 2}\n" WORKERS, 3, 24,
                 "service.rate: not used with dist: trace");
    /* a trace without a service column */
    temp_file(path, sizeof path, "0\n1\n2.5\n");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace}\n");
    snprintf(msg, sizeof msg, "service: dist: trace needs a second column (service times) in %s",
             path);
    expect_error(yaml, 4, 10, msg);
    ck_assert_int_eq(unlink(path), 0);
    /* the service column fixes the service law: no rate, mean or shape */
    temp_file(path, sizeof path, "0,0.1\n1,0.2\n");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace, rate: 3}\n");
    expect_error(yaml, 4, 24, "service.rate: not used with dist: trace");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace, mean: 3}\n");
    expect_error(yaml, 4, 24, "service.mean: not used with dist: trace");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace, scv: 2}\n");
    expect_error(yaml, 4, 24, "service.scv: not used with dist: trace");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace, colour: 2}\n");
    expect_error(yaml, 4, 24, "unknown key \"service.colour\"");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace, dist: exponential}\n");
    expect_error(yaml, 4, 24, "duplicate key \"service.dist\"");
    ck_assert_int_eq(unlink(path), 0);
    /* service times that are all zero have no mean to run at */
    temp_file(path, sizeof path, "0,0\n1,0\n");
    trace_yaml(yaml, sizeof yaml, path, "", "service: {dist: trace}\n");
    expect_error(yaml, 4, 10, "service: the trace's service times: ");
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* ---- overload protection ---- */

START_TEST(test_protection)
{
    struct mmc_scenario s;
    load_ok(&s, BASE, NULL);
    ck_assert(!mmc_protection_is_on(&s.protect));
    mmc_scenario_fini(&s);
    load_ok(&s,
            BASE "capacity: 10\nshed: {threshold: 0}\nthrottle: {rate: 5}\n"
                 "patience: {mean: 4}\n",
            NULL);
    ck_assert(mmc_protection_is_on(&s.protect));
    ck_assert_double_eq(s.protect.capacity, 10);
    ck_assert(s.protect.shed);
    ck_assert_double_eq(s.protect.shed_threshold, 0);
    ck_assert_int_eq(s.protect.drop, MMC_DROP_NEWEST);
    ck_assert(s.protect.throttle);
    ck_assert_double_eq(s.protect.throttle_rate, 5);
    ck_assert_double_eq(s.protect.throttle_burst, 1);
    ck_assert_int_eq(s.protect.excess, MMC_EXCESS_REJECT);
    ck_assert(s.protect.patience);
    ck_assert_double_eq(s.protect.patience_rate, 0.25);
    ck_assert_int_eq(s.protect.patience_dist.shape.kind, MMC_DIST_EXPONENTIAL);
    mmc_scenario_fini(&s);
    load_ok(&s,
            BASE "shed: {threshold: 60, drop: oldest}\n"
                 "throttle: {rate: 0.5, burst: 2.5, excess: delay}\n"
                 "patience: {dist: gamma, scv: 2, rate: [3]}\n",
            NULL);
    ck_assert_int_eq(s.protect.drop, MMC_DROP_OLDEST);
    ck_assert_double_eq(s.protect.throttle_burst, 2.5);
    ck_assert_int_eq(s.protect.excess, MMC_EXCESS_DELAY);
    ck_assert_int_eq(s.protect.patience_dist.shape.kind, MMC_DIST_GAMMA);
    ck_assert_double_eq(s.protect.patience_rate, 3);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_protection_errors)
{
#define W13 MODEL ARRIVAL SERVICE "workers: [1, 3]\n"
    /* capacity: a whole number, and not below any workers value */
    expect_error(W13 "capacity: 0\n", 5, 11, "capacity: expected a whole number >= 1, got \"0\"");
    expect_error(W13 "capacity: 4.5\n", 5, 11,
                 "capacity: expected a whole number >= 1, got \"4.5\"");
    expect_error(W13 "capacity: 2\n", 5, 11,
                 "capacity: expected a whole number >= workers (3), got \"2\"");
    expect_error(W13 "capacity: [3]\n", 5, 11, "capacity: expected a whole number, got a list");
    expect_error(W13 "capacity: 1e10\n", 5, 11,
                 "capacity: expected a whole number <= 1000000000, got \"1e10\"");
    /* shed */
    expect_error(BASE "shed: {threshold: -1}\n", 5, 19,
                 "shed.threshold: expected a whole number >= 0, got \"-1\"");
    expect_error(BASE "shed: {threshold: 1.5}\n", 5, 19,
                 "shed.threshold: expected a whole number >= 0, got \"1.5\"");
    expect_error(BASE "shed: {threshold: 2, drop: middle}\n", 5, 28,
                 "shed.drop: unknown drop policy \"middle\" (known: newest, oldest)");
    expect_error(BASE "shed: {threshold: 2, drop: [oldest]}\n", 5, 28,
                 "shed.drop: expected a string, got a list");
    expect_error(BASE "shed: {drop: oldest}\n", 5, 7, "missing key \"shed.threshold\"");
    expect_error(BASE "shed: 5\n", 5, 7, "shed: expected a mapping, got \"5\"");
    expect_error(BASE "shed: {threshold: 2, policy: oldest}\n", 5, 22,
                 "unknown key \"shed.policy\" (known: shed.threshold, shed.drop)");
    /* throttle */
    expect_error(BASE "throttle: {rate: 0}\n", 5, 18,
                 "throttle.rate: expected a finite number > 0, got \"0\"");
    expect_error(BASE "throttle: {rate: -1}\n", 5, 18,
                 "throttle.rate: expected a finite number > 0, got \"-1\"");
    expect_error(BASE "throttle: {rate: [1, 2]}\n", 5, 18,
                 "throttle.rate: expected a number, got a list");
    expect_error(BASE "throttle: {rate: 1, burst: 0.5}\n", 5, 28,
                 "throttle.burst: expected a finite number >= 1, got \"0.5\"");
    expect_error(BASE "throttle: {rate: 1, burst: 0}\n", 5, 28,
                 "throttle.burst: expected a finite number >= 1, got \"0\"");
    expect_error(BASE "throttle: {rate: 1, burst: 2e9}\n", 5, 28,
                 "throttle.burst: expected a number <= 1000000000, got \"2e9\"");
    expect_error(BASE "throttle: {rate: 1, excess: drop}\n", 5, 29,
                 "throttle.excess: unknown excess policy \"drop\" (known: reject, delay)");
    expect_error(BASE "throttle: {burst: 2}\n", 5, 11, "missing key \"throttle.rate\"");
    expect_error(BASE "throttle: 5\n", 5, 11, "throttle: expected a mapping, got \"5\"");
    /* patience: a distribution with one rate or mean */
    expect_error(BASE "patience: {}\n", 5, 11, "patience: expected a rate or a mean");
    expect_error(BASE "patience: {dist: exponential}\n", 5, 11,
                 "patience: expected a rate or a mean");
    expect_error(BASE "patience: {rate: 1, mean: 2}\n", 5, 21,
                 "patience: give rate or mean, not both");
    expect_error(BASE "patience: {mean: 1, rate: 2}\n", 5, 21,
                 "patience: give rate or mean, not both");
    expect_error(BASE "patience: {dist: normal, mean: 1}\n", 5, 18,
                 "patience.dist: unknown distribution \"normal\" (known: exponential, "
                 "deterministic, uniform, erlang, gamma, lognormal, weibull, pareto, "
                 "hyperexponential, empirical; did you mean \"lognormal\"?)");
    expect_error(BASE "patience: {dist: mmpp, mean: 1}\n", 5, 18,
                 "patience.dist: unknown distribution \"mmpp\"");
    expect_error(BASE "patience: {dist: trace, mean: 1}\n", 5, 18,
                 "patience.dist: unknown distribution \"trace\"");
    expect_error(BASE "patience: {dist: lognormal, mean: 1}\n", 5, 11,
                 "patience: lognormal needs scv");
    expect_error(BASE "patience: {dist: gamma, k: 2, mean: 1}\n", 5, 25,
                 "patience.k: is not a parameter of gamma");
    expect_error(BASE "patience: {rate: [1, 2]}\n", 5, 18,
                 "patience.rate: expected one value (patience is not swept), got a list of 2");
    expect_error(BASE "patience: {mean: [1, 2]}\n", 5, 18,
                 "patience.mean: expected one value (patience is not swept), got a list of 2");
    expect_error(BASE "patience: {rate: 0}\n", 5, 18,
                 "patience.rate: expected a finite number > 0, got \"0\"");
    expect_error(BASE "patience: {load: 0.5}\n", 5, 12, "unknown key \"patience.load\"");
    expect_error(BASE "patience: 5\n", 5, 11, "patience: expected a mapping, got \"5\"");
#undef W13
}
END_TEST

/* ---- variants ---- */

START_TEST(test_variants)
{
    static const char yaml[] =
        MODEL "arrival: {rate: 45}\n" SERVICE WORKERS "variants:\n"
              "  - {name: plain}\n"
              "  - {name: h2, arrival: {dist: hyperexponential, scv: 4}}\n"
              "  - {name: shifts, staffing: {times: [0, 60], workers: [2, 4]}}\n"
              "  - {name: guarded, capacity: 8, description: with a limit}\n";
    struct mmc_scenario s;
    load_ok(&s, yaml, NULL);
    ck_assert_uint_eq(s.n_variants, 4);
    ck_assert_str_eq(s.variant, "plain");
    mmc_scenario_fini(&s);
    struct mmc_error err;
    ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, 1, &err), 0);
    ck_assert_str_eq(s.variant, "h2");
    /* a new dist keeps the base's rate */
    ck_assert_int_eq(s.arrival_dist.shape.kind, MMC_DIST_HYPEREXPONENTIAL);
    assert_axis(&s.arrival, 1, (const double[]){45});
    mmc_scenario_fini(&s);
    /* a staffing schedule replaces the base's workers */
    ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, 2, &err), 0);
    ck_assert_uint_eq(s.staffing.n, 2);
    assert_axis(&s.workers, 1, (const double[]){4});
    mmc_scenario_fini(&s);
    ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, 3, &err), 0);
    ck_assert_double_eq(s.protect.capacity, 8);
    ck_assert_str_eq(s.description, "with a limit");
    mmc_scenario_fini(&s);
    /* and workers in a variant replace the base's staffing schedule */
    ck_assert_int_eq(load_ov_variant(&s,
                                     MODEL ARRIVAL SERVICE
                                     "staffing: {times: [0, 60], workers: [2, 4]}\n"
                                     "variants: [{name: shifts}, {name: fixed, workers: 3}]\n",
                                     NULL, 1, &err),
                     0);
    ck_assert_uint_eq(s.staffing.n, 0);
    assert_axis(&s.workers, 1, (const double[]){3});
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_variant_errors)
{
    /* "variants: " is 10 characters */
    expect_error(BASE "variants: 5\n", 5, 11,
                 "variants: expected a list of 1 to 64 mappings, got \"5\"");
    expect_error(BASE "variants: []\n", 5, 11,
                 "variants: expected a list of 1 to 64 mappings, got an empty list");
    expect_error(BASE "variants: {name: a}\n", 5, 11,
                 "variants: expected a list of 1 to 64 mappings, got a mapping");
    expect_error(BASE "variants: [5]\n", 5, 12, "variants[0]: expected a mapping, got \"5\"");
    expect_error(BASE "variants: [{name: a}, [b]]\n", 5, 23,
                 "variants[1]: expected a mapping, got a list");
    /* names: present, strings, 1 to 63 bytes, each its own */
    expect_error(BASE "variants: [{workers: 2}]\n", 5, 12, "missing key \"variants[0].name\"");
    expect_error(BASE "variants: [{name: a}, {name: a}]\n", 5, 30,
                 "variants[1].name: expected a name no other variant has, got \"a\"");
    expect_error(BASE "variants: [{name: ''}]\n", 5, 19,
                 "variants[0].name: expected a name of 1 to 63 bytes, got string \"\"");
    expect_error(BASE "variants: [{name: ~}]\n", 5, 19,
                 "variants[0].name: expected a string, got nothing");
    expect_error(BASE "variants: [{name: [a]}]\n", 5, 19,
                 "variants[0].name: expected a string, got a list");
    char yaml[512], name[65];
    memset(name, 'v', 64);
    name[64] = '\0';
    snprintf(yaml, sizeof yaml, BASE "variants: [{name: %s}]\n", name);
    expect_error(yaml, 5, 19, "variants[0].name: expected a name of 1 to 63 bytes");
    name[63] = '\0';
    snprintf(yaml, sizeof yaml, BASE "variants: [{name: %s}]\n", name);
    struct mmc_scenario s;
    load_ok(&s, yaml, NULL);
    ck_assert_str_eq(s.variant, name);
    mmc_scenario_fini(&s);
    /* keys: the system's, each once */
    expect_error(BASE "variants: [{name: a, workrs: 2}]\n", 5, 22,
                 "unknown key \"variants[0].workrs\" (did you mean \"variants[0].workers\"?)");
    expect_error(BASE "variants: [{name: a, colour: 2}]\n", 5, 22,
                 "unknown key \"variants[0].colour\" (known: variants[0].name, "
                 "variants[0].description, variants[0].model, variants[0].dispatch, "
                 "variants[0].pull, variants[0].steal, variants[0].classes, "
                 "variants[0].preemption, variants[0].arrival, variants[0].service, "
                 "variants[0].workers, variants[0].network_delay, variants[0].mem_per_task, "
                 "variants[0].capacity, variants[0].shed, variants[0].throttle, "
                 "variants[0].patience, variants[0].staffing, variants[0].worker_capacity, "
                 "variants[0].worker_pools, variants[0].request, varian"); /* at 255 bytes */
    expect_error(BASE "variants: [{name: a, name: b}]\n", 5, 22,
                 "duplicate key \"variants[0].name\"");
    expect_error(BASE "variants: [{name: a, capacity: 2, capacity: 3}]\n", 5, 35,
                 "duplicate key \"variants[0].capacity\"");
    /* how the run is made and measured is shared by every variant */
    static const char *const shared[] = {
        "seed: 2",     "stop: 5", "replications: 3", "warmup: none", "method: batch-means",
        "variants: []"};
    for (size_t i = 0; i < sizeof shared / sizeof *shared; i++) {
        char key[32];
        snprintf(yaml, sizeof yaml, BASE "variants: [{name: a, %s}]\n", shared[i]);
        snprintf(key, sizeof key, "variants[0].%.*s:", (int)strcspn(shared[i], ":"), shared[i]);
        expect_error(yaml, 5, 22, key);
        expect_error(yaml, 5, 22, "not set per variant");
    }
    /* a variant's mapping is checked like the base's before it is merged into it */
    expect_error(BASE "variants: [{name: a, arrival: {rate: 3, rate: 4}}]\n", 5, 41,
                 "duplicate key \"variants[0].arrival.rate\"");
    expect_error(BASE "variants: [{name: a, arrival: {rate: 3, load: 0.5}}]\n", 5, 41,
                 "variants[0].arrival: give rate or load, not both");
    expect_error(BASE "variants: [{name: a, arrival: {load: 0.5, mean: 2}}]\n", 5, 43,
                 "variants[0].arrival: give load or mean, not both");
    expect_error(BASE "variants: [{name: a, service: {mean: 1, rate: 2}}]\n", 5, 41,
                 "variants[0].service: give rate or mean, not both");
    expect_error(BASE "variants: [{name: a, arrival: {? [x] : 1}}]\n", 5, 34,
                 "variants[0].arrival: expected a key name, got a list");
    expect_error(BASE "variants: [{name: a, workers: 2, staffing: {times: [0], workers: [3]}}]\n",
                 5, 22, "variants[0].workers: staffing sets the workers; leave workers out");
    /* a key unknown inside a variant's mapping is reported where the variant says it */
    expect_error(BASE "variants: [{name: a, arrival: {rat: 3}}]\n", 5, 32,
                 "unknown key \"arrival.rat\" (did you mean \"arrival.rate\"?)");
    /* one variants list only */
    expect_error(BASE "variants: [{name: a}]\nvariants: [{name: b}]\n", 6, 1,
                 "duplicate key \"variants\"");
}
END_TEST

/* Each variant is checked whole when it is loaded: its errors point into its own lines. */
/* Limits that keep any input cheap (found by fuzzing), and base keys checked before a merge. */
START_TEST(test_size_limits_and_base_keys)
{
    /* a list of 10001 values, a mapping of 65 keys, a sweep of 100 x 101 points */
    size_t cap = 64 * 1024;
    char *yaml = malloc(cap);
    ck_assert_ptr_nonnull(yaml);
    size_t n = (size_t)snprintf(yaml, cap, MODEL ARRIVAL SERVICE "workers: [1");
    for (int i = 2; i <= 10001; i++)
        n += (size_t)snprintf(yaml + n, cap - n, ",%d", i);
    snprintf(yaml + n, cap - n, "]\n");
    expect_error(yaml, 4, 10, "a list of more than 10000 values");
    n = (size_t)snprintf(yaml, cap, BASE "description: {");
    for (int i = 0; i < 65; i++)
        n += (size_t)snprintf(yaml + n, cap - n, "%sk%d: 1", i ? ", " : "", i);
    snprintf(yaml + n, cap - n, "}\n");
    expect_error(yaml, 5, 14, "a mapping with more than 64 keys");
    n = (size_t)snprintf(yaml, cap, MODEL SERVICE "arrival: {rate: [1");
    for (int i = 2; i <= 100; i++)
        n += (size_t)snprintf(yaml + n, cap - n, ",%d", i);
    n += (size_t)snprintf(yaml + n, cap - n, "]}\nworkers: [1");
    for (int i = 2; i <= 101; i++)
        n += (size_t)snprintf(yaml + n, cap - n, ",%d", i);
    snprintf(yaml + n, cap - n, "]\n");
    expect_error(yaml, 1, 1, "the sweep has 10100 points");
    free(yaml);
    /* a misspelt base key must not vanish when every variant's dist drops the base's shape */
    expect_error(MODEL "arrival: {rate: 45, bogus: 1}\n" SERVICE WORKERS
                       "variants:\n  - {name: a, arrival: {dist: deterministic}}\n",
                 2, 21, "unknown key \"arrival.bogus\"");
}
END_TEST

START_TEST(test_variant_errors_in_place)
{
    static const char yaml[] = BASE "variants:\n"
                                    "  - name: good\n"
                                    "  - name: bad\n"
                                    "    workers: x\n"
                                    "  - name: untraced\n"
                                    "    service: {dist: trace}\n";
    struct mmc_scenario s;
    load_ok(&s, yaml, NULL);
    ck_assert_uint_eq(s.n_variants, 3);
    mmc_scenario_fini(&s);
    expect_variant_error(yaml, 1, 8, 14, "workers: expected a whole number, got \"x\"");
    expect_variant_error(yaml, 2, 10, 14, "service: dist: trace needs arrival: {trace: FILE}");
    /* an override reaches every variant */
    const char *set[] = {"service.rate=0", NULL};
    expect_fail_variant(yaml, set, 0, (struct where){"--set", 1, 14},
                        "service.rate: expected a finite number > 0, got \"0\"");
}
END_TEST

/* MMC_MAX_VARIANTS variants, or one more: a malloc'd scenario text. */
static char *variants_of(size_t n)
{
    size_t size = sizeof BASE + 16 + 20 * n, o = 0;
    char *yaml = malloc(size);
    ck_assert_ptr_nonnull(yaml);
    o += (size_t)snprintf(yaml + o, size - o, BASE "variants:\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(yaml + o, size - o, "  - name: v%zu\n", i);
    return yaml;
}

START_TEST(test_variant_count)
{
    char *yaml = variants_of(MMC_MAX_VARIANTS);
    struct mmc_scenario s;
    struct mmc_error err;
    ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, MMC_MAX_VARIANTS - 1, &err), 0);
    ck_assert_uint_eq(s.n_variants, MMC_MAX_VARIANTS);
    ck_assert_str_eq(s.variant, "v63");
    mmc_scenario_fini(&s);
    free(yaml);
    yaml = variants_of(MMC_MAX_VARIANTS + 1);
    expect_error(yaml, 6, 3, "variants: expected a list of 1 to 64 mappings, got a list of 65");
    free(yaml);
}
END_TEST

/* ---- issue 13: combinations of keys, variants and list lengths, at their exact place ---- */

/* Variant number variant of yaml, with the overrides, must fail at exactly at with exactly msg. */
static void expect_exact(const char *yaml, const char *const *texts, size_t variant,
                         struct where at, const char *msg)
{
    expect_fail_variant(yaml, texts, variant, at, msg);
    struct mmc_scenario s;
    struct mmc_error err;
    ck_assert_int_eq(load_ov_variant(&s, yaml, texts, variant, &err), -1);
    ck_assert_msg(strcmp(err.msg, msg) == 0, "message\n  \"%s\", expected\n  \"%s\"", err.msg, msg);
}

static void expect_exact_error(const char *yaml, int line, int col, const char *msg)
{
    expect_exact(yaml, NULL, 0, (struct where){NAME, line, col}, msg);
}

#define BM_LOSSES_AT_METHOD                                                                        \
    "method: batch-means does not measure losses, and %s is set; use method: replications"
#define BM_LOSSES_AT_KEY                                                                           \
    "%s: not with method: batch-means, which does not measure losses; use method: replications"

/* Item 6: batch means with protection, at the key read second (file order, then overrides). */
START_TEST(test_batch_means_protection_at_key)
{
    expect_exact_error(BASE "method: batch-means\ncapacity: 5\n", 6, 11,
                       "capacity: not with method: batch-means, which does not measure losses; "
                       "use method: replications");
    expect_exact_error(BASE "capacity: 5\nmethod: batch-means\n", 6, 9,
                       "method: batch-means does not measure losses, and capacity is set; use "
                       "method: replications");
    /* the first protection read is the one that made the combination impossible */
    expect_exact_error(BASE "method: batch-means\nthrottle: {rate: 3}\nshed: {threshold: 2}\n", 6,
                       11,
                       "throttle: not with method: batch-means, which does not measure losses; "
                       "use method: replications");
    expect_exact_error(BASE "patience: {mean: 3}\nshed: {threshold: 2}\nmethod: batch-means\n", 7,
                       9,
                       "method: batch-means does not measure losses, and patience is set; use "
                       "method: replications");
    /* an override is read after the file, each in turn: its error names --set:N:col */
    const char *set1[] = {"method=batch-means", NULL};
    expect_exact(BASE "capacity: 5\n", set1, 0, (struct where){"--set", 1, 8},
                 "method: batch-means does not measure losses, and capacity is set; use method: "
                 "replications");
    const char *set2[] = {"method=batch-means", "capacity=5", NULL};
    expect_exact(BASE, set2, 0, (struct where){"--set", 2, 10},
                 "capacity: not with method: batch-means, which does not measure losses; use "
                 "method: replications");
    const char *set3[] = {"capacity=5", NULL};
    expect_exact(BASE "method: batch-means\n", set3, 0, (struct where){"--set", 1, 10},
                 "capacity: not with method: batch-means, which does not measure losses; use "
                 "method: replications");
}
END_TEST

/* Item 6: batch means with too few tasks, or a time limit, at the key read last. */
START_TEST(test_batch_means_stop_at_key)
{
    expect_exact_error(BASE "method: batch-means\nstop: 1000\n", 6, 7,
                       "stop: expected a whole number >= 2400 with method: batch-means (10 tasks "
                       "for each of 30 x 8 fine batches), got \"1000\"");
    expect_exact_error(BASE "method: batch-means\nstop: {tasks: 2399}\n", 6, 15,
                       "stop.tasks: expected a whole number >= 2400 with method: batch-means (10 "
                       "tasks for each of 30 x 8 fine batches), got \"2399\"");
    expect_exact_error(BASE "stop: {tasks: 1000}\nmethod: batch-means\n", 6, 9,
                       "method: batch-means needs stop.tasks >= 2400 (10 tasks for each of 30 x 8 "
                       "fine batches), got stop.tasks: 1000");
    expect_exact_error(BASE "method: batch-means\nstop: {time: 50}\n", 6, 14,
                       "stop.time: method: batch-means needs stop.tasks >= 2400 (10 tasks for "
                       "each of 30 x 8 fine batches), not a time limit");
    expect_exact_error(BASE "stop: {time: 50}\nmethod: batch-means\n", 6, 9,
                       "method: batch-means needs stop.tasks >= 2400 (10 tasks for each of 30 x 8 "
                       "fine batches), got stop.time: 50");
    /* batches raise the count a stop needs */
    expect_exact_error(BASE "stop: 2000\nmethod: batch-means\nbatches: 100\n", 7, 10,
                       "batches: 100 batches need stop.tasks >= 8000 (10 tasks for each of 100 x "
                       "8 fine batches), got stop: 2000");
    /* but not a time limit's */
    expect_exact_error(BASE "stop: {time: 50}\nmethod: batch-means\nbatches: 100\n", 6, 9,
                       "method: batch-means needs stop.tasks >= 8000 (10 tasks for each of 100 x "
                       "8 fine batches), got stop.time: 50");
    struct mmc_scenario s;
    load_ok(&s, BASE "method: batch-means\nstop: 2400\n", NULL);
    mmc_scenario_fini(&s);
    const char *set[] = {"stop.tasks=1000", NULL};
    expect_exact(BASE "method: batch-means\nstop: {tasks: 5000}\n", set, 0,
                 (struct where){"--set", 1, 12},
                 "stop.tasks: expected a whole number >= 2400 with method: batch-means (10 tasks "
                 "for each of 30 x 8 fine batches), got \"1000\"");
    const char *set2[] = {"method=batch-means", "replications=1", NULL};
    expect_exact(BASE "stop: 1000\n", set2, 0, (struct where){"--set", 1, 8},
                 "method: batch-means needs stop.tasks >= 2400 (10 tasks for each of 30 x 8 fine "
                 "batches), got stop: 1000");
}
END_TEST

/* Item 6: batch means without a warm-up, at the key read last. */
START_TEST(test_batch_means_warmup_at_key)
{
    expect_exact_error(BASE "method: batch-means\nwarmup: none\n", 6, 9,
                       "warmup: expected a warm-up (method: batch-means measures a steady state; "
                       "or use initial: stationary), got \"none\"");
    expect_exact_error(BASE "method: batch-means\nwarmup: {time: 0}\n", 6, 16,
                       "warmup.time: expected a warm-up (method: batch-means measures a steady "
                       "state; or use initial: stationary), got \"0\"");
    expect_exact_error(BASE "warmup: {tasks: 0}\nmethod: batch-means\n", 6, 9,
                       "method: batch-means measures a steady state: it needs a warmup (or "
                       "initial: stationary), got warmup.tasks: 0");
    struct mmc_scenario s;
    load_ok(&s, BASE "warmup: none\ninitial: stationary\nmethod: batch-means\n", NULL);
    mmc_scenario_fini(&s);
    const char *set[] = {"warmup=none", NULL};
    expect_exact(BASE "method: batch-means\n", set, 0, (struct where){"--set", 1, 8},
                 "warmup: expected a warm-up (method: batch-means measures a steady state; or use "
                 "initial: stationary), got \"none\"");
}
END_TEST

#define STATIONARY_NEEDS                                                                           \
    "initial: stationary needs exponential arrival and service times and no overload protection "  \
    "(the stationary law is known only for M/M/c), got "

/* Item 6: a stationary start with a law that is not M/M/c, at the key read last. */
START_TEST(test_stationary_start_at_key)
{
    /* "service: {dist: " and "arrival: {dist: " are 16 characters */
    expect_exact_error(MODEL ARRIVAL "service: {dist: gamma, scv: 2, rate: 2}\n" WORKERS
                                     "initial: stationary\n",
                       5, 10, STATIONARY_NEEDS "service.dist: gamma; use warmup: auto");
    expect_exact_error(
        MODEL "initial: stationary\narrival: {dist: deterministic, rate: 1}\n" SERVICE WORKERS, 3,
        17,
        "arrival.dist: expected exponential with initial: stationary (the "
        "stationary law is known only for M/M/c), got \"deterministic\"");
    /* of two laws, the first read */
    expect_exact_error(MODEL "initial: stationary\narrival: {dist: erlang, k: 2, rate: 1}\n"
                             "service: {dist: gamma, scv: 2, rate: 2}\n" WORKERS,
                       3, 17,
                       "arrival.dist: expected exponential with initial: stationary (the "
                       "stationary law is known only for M/M/c), got \"erlang\"");
    expect_exact_error(BASE "initial: stationary\npatience: {mean: 3}\n", 6, 11,
                       "patience: not with initial: stationary (the stationary law is known only "
                       "for M/M/c without overload protection); use warmup: auto");
    expect_exact_error(BASE "capacity: 4\ninitial: stationary\n", 6, 10,
                       STATIONARY_NEEDS "capacity (overload protection); use warmup: auto");
    const char *set[] = {"service.dist=gamma", "service.scv=2", NULL};
    expect_exact(BASE "initial: stationary\n", set, 0, (struct where){"--set", 1, 14},
                 "service.dist: expected exponential with initial: stationary (the stationary law "
                 "is known only for M/M/c), got \"gamma\"");
    const char *set2[] = {"initial=stationary", NULL};
    expect_exact(BASE "shed: {threshold: 3}\n", set2, 0, (struct where){"--set", 1, 9},
                 STATIONARY_NEEDS "shed (overload protection); use warmup: auto");
    /* an MMPP's inter-arrival times are exponential in each phase: the model's own check */
    struct mmc_scenario s;
    load_ok(&s,
            MODEL "arrival: {dist: mmpp, rates: [2, 1], sojourns: [1, 1]}\n" SERVICE
                  "workers: 3\ninitial: stationary\n",
            NULL);
    mmc_scenario_fini(&s);
}
END_TEST

/* Item 7: what a variant's merge makes wrong is reported in the variant's lines, naming it. */
START_TEST(test_variant_merge_errors_name_the_variant)
{
    /* "  - {name: b, service: " is 23 characters */
    static const char h2[] = MODEL ARRIVAL
        "service: {dist: hyperexponential, probs: [0.5, 0.5], rates: [1, 5]}\n" WORKERS
        "variants:\n"
        "  - {name: a}\n"
        "  - {name: b, service: {dist: exponential}}\n";
    struct mmc_scenario s;
    load_ok(&s, h2, NULL);
    mmc_scenario_fini(&s);
    expect_exact(h2, NULL, 1, (struct where){NAME, 7, 24},
                 "service: expected a rate or a mean (variant \"b\")");
    static const char sched[] =
        MODEL "arrival: {schedule: {times: [0, 10], rates: [1, 2]}}\n" SERVICE WORKERS "variants:\n"
              "  - {name: a}\n"
              "  - {name: b, arrival: {dist: gamma, scv: 2}}\n";
    load_ok(&s, sched, NULL);
    mmc_scenario_fini(&s);
    expect_exact(sched, NULL, 1, (struct where){NAME, 7, 24},
                 "arrival: expected a rate, a load or a mean (variant \"b\")");
    /* block style: the variant's mapping starts at its first key */
    expect_exact(MODEL ARRIVAL SERVICE WORKERS "variants:\n"
                                               "  - name: g\n"
                                               "    service:\n"
                                               "      dist: gamma\n",
                 NULL, 0, (struct where){NAME, 8, 7},
                 "service: gamma needs scv or shape (variant \"g\")");
    /* a variant's probs on the base's rate: at the variant's key, read after the base's */
    expect_exact(BASE "variants:\n  - {name: h, service: {dist: hyperexponential, probs: [0.5, "
                      "0.5], rates: [1, 5]}}\n",
                 NULL, 0, (struct where){NAME, 6, 49},
                 "service: probs and rates fix the mean; rate is not wanted (variant \"h\")");
    /* a variant that makes a base key wrong: at that key, naming the variant */
    expect_exact(BASE "capacity: 2\nvariants: [{name: a}, {name: big, workers: 4}]\n", NULL, 1,
                 (struct where){NAME, 5, 11},
                 "capacity: expected a whole number >= workers (4), got \"2\" (variant \"big\")");
    /* a combination a variant completes: at its key (item 6 and 7 together) */
    expect_exact(BASE "method: batch-means\nvariants:\n  - {name: plain}\n  - {name: capped, "
                      "capacity: 5}\n",
                 NULL, 1, (struct where){NAME, 8, 30},
                 "capacity: not with method: batch-means, which does not measure losses; use "
                 "method: replications (variant \"capped\")");
    /* an error in the variant's own lines names it too */
    expect_exact(BASE "variants: [{name: a, workers: x}]\n", NULL, 0, (struct where){NAME, 5, 31},
                 "workers: expected a whole number, got \"x\" (variant \"a\")");
    /* the base's own error is every variant's: not named */
    expect_exact(BASE "seed: x\nvariants: [{name: a}, {name: b, workers: 3}]\n", NULL, 1,
                 (struct where){NAME, 5, 7}, "seed: expected a whole number, got \"x\"");
    const char *set[] = {"seed=x", NULL};
    expect_exact(BASE "variants: [{name: a}, {name: b, workers: 3}]\n", set, 1,
                 (struct where){"--set", 1, 6}, "seed: expected a whole number, got \"x\"");
}
END_TEST

/* Item 7: the variant's name survives a long message and is shown escaped. */
START_TEST(test_variant_name_in_long_messages)
{
    char yaml[1024], name[64], tail[128];
    memset(name, 'v', 63);
    name[63] = '\0';
    snprintf(yaml, sizeof yaml, BASE "variants:\n  - name: %s\n    service: {zzzzzz: 1}\n", name);
    struct mmc_scenario s;
    struct mmc_error err;
    ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, 0, &err), -1);
    ck_assert_int_eq(err.line, 7);
    ck_assert_int_eq(err.col, 15);
    ck_assert_msg(strncmp(err.msg, "unknown key \"service.zzzzzz\"", 28) == 0, "%s", err.msg);
    /* yt_show cuts a long name; whatever is shown closes the message */
    const char *open = strstr(err.msg, " (variant \"vvv");
    ck_assert_ptr_nonnull(open);
    ck_assert_msg(open[strlen(open) - 1] == ')' && open[strlen(open) - 2] == '"', "%s", err.msg);
    ck_assert_uint_lt(strlen(err.msg), sizeof err.msg);
    snprintf(yaml, sizeof yaml, BASE "variants:\n  - name: \"q\\\"\\t\"\n    workers: 0\n");
    ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, 0, &err), -1);
    snprintf(tail, sizeof tail, "(variant \"q\\\"\\x09\")");
    ck_assert_msg(strstr(err.msg, tail) != NULL, "%s", err.msg);
}
END_TEST

/* Item 8: a list of the wrong length says how long it is. */
START_TEST(test_list_lengths_counted)
{
    /* "service: {dist: hyperexponential, probs: " is 41 characters */
    expect_exact_error(MODEL ARRIVAL
                       "service: {dist: hyperexponential, probs: [0.2, 0.3, 0.5], rates: [1, 5, "
                       "25]}\n" WORKERS,
                       3, 42, "service.probs: expected a list of two numbers, got a list of 3");
    expect_exact_error(MODEL ARRIVAL "service: {dist: hyperexponential, probs: [0.2, 0.8], rates: "
                                     "[1]}\n" WORKERS,
                       3, 61, "service.rates: expected a list of two numbers, got a list of 1");
    /* what is not a list is described as before */
    expect_exact_error(MODEL ARRIVAL
                       "service: {dist: hyperexponential, probs: 1, rates: [1, 2]}\n" WORKERS,
                       3, 42, "service.probs: expected a list of two numbers, got \"1\"");
    expect_exact_error(MODEL ARRIVAL
                       "service: {dist: hyperexponential, probs: [], rates: [1, 2]}\n" WORKERS,
                       3, 42, "service.probs: expected a list of two numbers, got an empty list");
}
END_TEST

/* ---- printing the new keys ---- */

START_TEST(test_print_round_trip_processes)
{
    round_trip(ARR("{dist: mmpp, rates: [4, 1], sojourns: [1, 3]}"));
    round_trip(ARR("{dist: mmpp, rates: [4, 0], sojourns: [0.1, 3], load: [0.5, 0.9]}"));
    round_trip(ARR("{dist: mmpp, rates: [0, 7.5], sojourns: [1e-3, 3], mean: 0.3}"));
    round_trip(ARR("{dist: mmpp, rates: [4, 1], sojourns: [1, 3], rate: [7], batch: {mean: 2.5}}"));
    round_trip(ARR("{schedule: {times: [0, 300, 360], rates: [45, 120, 45]}}"));
    round_trip(ARR("{schedule: {times: [0, 0.5, 1e3], rates: [0, 1e-3, 7.25], "
                   "interpolate: linear}}"));
    round_trip(ARR("{schedule: {times: [0, 60], rates: [0, 10], interpolate: step}}"));
    round_trip(ARR("{schedule: {times: [0], rates: [3]}, batch: {size: 3}}"));
    round_trip(ARR("{rate: 2, batch: {size: 4}}"));
    round_trip(ARR("{dist: erlang, k: 3, load: 0.7, batch: {mean: 1.5}}"));
    round_trip(ARR("{rate: 2, batch: {sizes: [1, 2, 10], probs: [0.5, 0.3, 0.2]}}"));
    round_trip(ARR("{rate: 2, batch: {sizes: [5, 2, 7], probs: [0.7, 0.2, 0.1]}}"));
    round_trip(ARR("{rate: 2, batch: {sizes: [1, 3], probs: [0.3333333333333333, "
                   "0.6666666666666667]}}"));
    round_trip(MODEL ARRIVAL SERVICE "staffing: {times: [0, 10, 25.5], workers: [1, 7, 2]}\n");
    round_trip(MODEL ARRIVAL SERVICE "staffing: {times: [0], workers: [3]}\ncapacity: 3\n");
}
END_TEST

START_TEST(test_print_staffing)
{
    /* the staffing schedule is the workers: no workers line that would conflict on reload */
    struct mmc_scenario s;
    load_ok(&s, MODEL ARRIVAL SERVICE "staffing: {times: [0, 10], workers: [1, 2]}\n", NULL);
    char *text = print_to_string(&s);
    ck_assert_msg(strstr(text, "staffing: {times: [0, 10], workers: [1, 2]}\n") != NULL,
                  "printed:\n%s", text);
    ck_assert_msg(strstr(text, "\nworkers:") == NULL, "printed:\n%s", text);
    free(text);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_print_round_trip_traces)
{
    char path[TEMP_PATH_SIZE], svc[TEMP_PATH_SIZE], yaml[512];
    temp_file(path, sizeof path, "timestamp\n100\n101\n102.5\n104\n");
    temp_file(svc, sizeof svc, "time,service\n0,0.1\n1,0.25\n2.5,0.3\n");
    trace_yaml(yaml, sizeof yaml, path, "", SERVICE);
    round_trip(yaml);
    trace_yaml(yaml, sizeof yaml, path, "  scale: 1.5\n", SERVICE);
    round_trip(yaml);
    trace_yaml(yaml, sizeof yaml, path, "  scale: 0.3333333333333333\n",
               "service: {dist: gamma, scv: 2, mean: 0.1}\n");
    round_trip(yaml);
    trace_yaml(yaml, sizeof yaml, svc, "  scale: 2\n", "service: {dist: trace}\n");
    round_trip(yaml);
    /* with every protection on the replayed work */
    snprintf(yaml, sizeof yaml,
             MODEL "arrival: {trace: \"%s\"}\nservice: {dist: trace}\nworkers: 2\n"
                   "capacity: 5\nshed: {threshold: 2, drop: oldest}\n"
                   "throttle: {rate: 3, burst: 4, excess: delay}\npatience: {mean: 0.5}\n",
             svc);
    round_trip(yaml);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(unlink(svc), 0);
}
END_TEST

START_TEST(test_print_round_trip_protection)
{
    round_trip(BASE "capacity: 1\n");
    round_trip(MODEL ARRIVAL SERVICE "workers: [1, 2, 4]\ncapacity: 1000000000\n");
    round_trip(BASE "shed: {threshold: 0}\n");
    round_trip(BASE "shed: {threshold: 60, drop: oldest}\n");
    round_trip(BASE "throttle: {rate: 55, burst: 100, excess: reject}\n");
    round_trip(BASE "throttle: {rate: 0.1, burst: 2.5, excess: delay}\n");
    round_trip(BASE "throttle: {rate: 1e-300}\n");
    static const char *const patience[] = {
        "{mean: 2}",
        "{rate: 0.5}",
        "{rate: [3]}",
        "{dist: exponential, mean: 3}",
        "{dist: deterministic, mean: 3}",
        "{dist: gamma, scv: 2, rate: 1}",
        "{dist: weibull, shape: 1.5, mean: 3}",
        "{dist: hyperexponential, scv: 4, mean: 1}",
        "{dist: hyperexponential, probs: [0.9, 0.1], rates: [2, 0.2]}",
        "{dist: uniform, min: 1, max: 3}",
        "{dist: lognormal, scv: 0.5, mean: 10}",
        "{dist: erlang, k: 4, rate: 2}",
        "{dist: pareto, shape: 2.5, mean: 1}",
    };
    for (size_t i = 0; i < sizeof patience / sizeof *patience; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, BASE "patience: %s\n", patience[i]);
        round_trip(yaml);
    }
    round_trip(BASE "capacity: 10\nshed: {threshold: 3, drop: oldest}\nthrottle: {rate: 5}\n"
                    "patience: {mean: 1}\n");
}
END_TEST

START_TEST(test_print_round_trip_empirical_patience)
{
    char path[TEMP_PATH_SIZE], yaml[256];
    temp_file(path, sizeof path, "patience_s\n1\n2.5\n4\n");
    snprintf(yaml, sizeof yaml, BASE "patience: {dist: empirical, file: \"%s\"}\n", path);
    round_trip(yaml);
    snprintf(yaml, sizeof yaml, BASE "patience: {dist: empirical, file: \"%s\", mean: 2}\n", path);
    round_trip(yaml);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* Load variant number variant, print, reload the print (no variants: the text is that variant). */
static void round_trip_variant(const char *yaml, size_t variant)
{
    struct mmc_scenario a, b;
    struct mmc_error err = {.line = 0};
    ck_assert_msg(load_ov_variant(&a, yaml, NULL, variant, &err) == 0, "variant %zu: %s", variant,
                  err.msg);
    char *text = print_to_string(&a);
    char comment[128];
    snprintf(comment, sizeof comment, "\n# variant: \"%s\"\n", a.variant);
    ck_assert_msg(strstr(text, comment) != NULL, "printed:\n%s", text);
    ck_assert_msg(mmc_scenario_load_string(&b, text, strlen(text), "printed", NULL, 0, 0, &err) ==
                      0,
                  "reload failed at %d:%d: %s\n--- printed:\n%s", err.line, err.col, err.msg, text);
    ck_assert_uint_eq(b.n_variants, 0);
    assert_same(&a, &b);
    char *again = print_to_string(&b);
    /* the same text but for the variant's comment line */
    char *at = strstr(text, comment);
    memmove(at + 1, at + strlen(comment), strlen(at + strlen(comment)) + 1);
    ck_assert_str_eq(text, again);
    free(again);
    free(text);
    mmc_scenario_fini(&a);
    mmc_scenario_fini(&b);
}

START_TEST(test_print_round_trip_variants)
{
    char path[TEMP_PATH_SIZE], yaml[2048];
    temp_file(path, sizeof path, "time,service\n0,0.1\n1,0.25\n2.5,0.3\n4,0.05\n");
    snprintf(yaml, sizeof yaml,
             "name: what-if\n" MODEL "arrival: {rate: 45}\nservice: {rate: 50}\nworkers: 2\n"
             "mem_per_task: 0.5\nstop: {time: 60}\nwarmup: none\n"
             "variants:\n"
             "  - {name: poisson}\n"
             "  - {name: h2, arrival: {dist: hyperexponential, scv: 4}}\n"
             "  - {name: mmpp, arrival: {dist: mmpp, rates: [4, 1], sojourns: [1, 3]}}\n"
             "  - {name: batches, arrival: {batch: {sizes: [1, 4], probs: [0.8, 0.2]}}}\n"
             "  - {name: spike, arrival: {schedule: {times: [0, 30], rates: [45, 90]}}}\n"
             "  - {name: ramp, arrival: {schedule: {times: [0, 30], rates: [10, 90], "
             "interpolate: linear}}}\n"
             "  - {name: replay, arrival: {trace: \"%s\", scale: 1.5}}\n"
             "  - {name: replay-work, arrival: {trace: \"%s\"}, service: {dist: trace}}\n"
             "  - {name: shifts, staffing: {times: [0, 30], workers: [2, 3]}}\n"
             "  - {name: limit, capacity: 10, description: \"a \\\"quoted\\\" one\"}\n"
             "  - {name: shed, shed: {threshold: 5, drop: oldest}}\n"
             "  - {name: bucket, throttle: {rate: 40, burst: 10}}\n"
             "  - {name: held, throttle: {rate: 40, excess: delay}}\n"
             "  - {name: impatient, patience: {dist: erlang, k: 2, mean: 0.5}}\n"
             "  - {name: slower, service: {mean: 0.025}, workers: [2, 3], network_delay: 0.01}\n",
             path, path);
    struct mmc_scenario s;
    load_ok(&s, yaml, NULL);
    size_t n = s.n_variants;
    ck_assert_uint_eq(n, 15);
    mmc_scenario_fini(&s);
    for (size_t v = 0; v < n; v++)
        round_trip_variant(yaml, v);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* ---- model: push and its dispatch block ---- */

/* model: push with 4 workers, one key per line; an extra key goes on line 5. */
#define PUSH "model: push\n"
#define PUSH_BASE PUSH ARRIVAL SERVICE "workers: 4\n"

START_TEST(test_dispatch_defaults)
{
    struct mmc_scenario s;
    load_ok(&s, PUSH_BASE, NULL);
    ck_assert_str_eq(s.model, "push");
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_ROUND_ROBIN);
    ck_assert_uint_eq(s.dispatch.d, 2);
    ck_assert_uint_eq(s.dispatch.keys, 1000);
    ck_assert_double_eq(s.dispatch.delay, 0);
    mmc_scenario_fini(&s);
    /* an empty block is the defaults; without push the struct holds them too (delay 0) */
    load_ok(&s, PUSH_BASE "dispatch: {}\n", NULL);
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_ROUND_ROBIN);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE, NULL);
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_ROUND_ROBIN);
    ck_assert_double_eq(s.dispatch.delay, 0);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_dispatch_policies)
{
    static const char *const names[] = {"round_robin", "random",     "jsq",
                                        "power_of_d",  "least_work", "hash"};
    char yaml[256];
    struct mmc_scenario s;
    for (int p = MMC_POLICY_ROUND_ROBIN; p <= MMC_POLICY_HASH; p++) {
        ck_assert_str_eq(mmc_policy_name((enum mmc_policy)p), names[p]);
        snprintf(yaml, sizeof yaml, PUSH_BASE "dispatch: {policy: %s}\n", names[p]);
        load_ok(&s, yaml, NULL);
        ck_assert_int_eq(s.dispatch.policy, p);
        mmc_scenario_fini(&s);
    }
    load_ok(&s, PUSH_BASE "dispatch:\n  policy: \"power_of_d\"\n  d: 4\n  delay: 0.25\n", NULL);
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_POWER_OF_D);
    ck_assert_uint_eq(s.dispatch.d, 4);
    ck_assert_double_eq(s.dispatch.delay, 0.25);
    mmc_scenario_fini(&s);
    load_ok(&s, PUSH_BASE "dispatch: {keys: 7, policy: hash, delay: 1e-3}\n", NULL);
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_HASH);
    ck_assert_uint_eq(s.dispatch.keys, 7);
    ck_assert_double_eq(s.dispatch.delay, 1e-3);
    mmc_scenario_fini(&s);
    /* what push allows: a backlog, an arrival trace (below), MMPP, batches, batch means */
    load_ok(&s,
            PUSH
            "arrival: {dist: mmpp, rates: [2, 1], sojourns: [1, 1], batch: {size: 2}}\n" SERVICE
            "workers: 4\ninitial: {in_system: 3}\nmethod: batch-means\n",
            NULL);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_IN_SYSTEM);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_dispatch_errors)
{
    expect_exact_error(PUSH_BASE "dispatch: {policy: jsqq}\n", 5, 20,
                       "dispatch.policy: unknown policy \"jsqq\" (known: round_robin, random, jsq, "
                       "power_of_d, least_work, hash; did you mean \"jsq\"?)");
    expect_exact_error(PUSH_BASE "dispatch: {policy: fastest}\n", 5, 20,
                       "dispatch.policy: unknown policy \"fastest\" (known: round_robin, random, "
                       "jsq, power_of_d, least_work, hash)");
    expect_exact_error(PUSH_BASE "dispatch: {policy: [jsq]}\n", 5, 20,
                       "dispatch.policy: expected a string, got a list");
    expect_exact_error(PUSH_BASE "dispatch: {polcy: jsq}\n", 5, 12,
                       "unknown key \"dispatch.polcy\" (did you mean \"dispatch.policy\"?)");
    expect_exact_error(PUSH_BASE "dispatch: {policy: jsq, policy: hash}\n", 5, 25,
                       "duplicate key \"dispatch.policy\"");
    expect_exact_error(PUSH_BASE "dispatch: jsq\n", 5, 11,
                       "dispatch: expected a mapping, got \"jsq\"");
    /* d and keys only with the policy that reads them, at the key */
    expect_exact_error(PUSH_BASE "dispatch: {policy: jsq, d: 2}\n", 5, 25,
                       "dispatch.d: only meaningful with dispatch.policy: power_of_d");
    expect_exact_error(PUSH_BASE "dispatch:\n  d: 2\n", 6, 3,
                       "dispatch.d: only meaningful with dispatch.policy: power_of_d");
    expect_exact_error(PUSH_BASE "dispatch: {keys: 10, policy: random}\n", 5, 12,
                       "dispatch.keys: only meaningful with dispatch.policy: hash");
    /* values */
    expect_exact_error(PUSH_BASE "dispatch: {policy: power_of_d, d: 0}\n", 5, 35,
                       "dispatch.d: expected a whole number >= 1, got \"0\"");
    expect_exact_error(PUSH_BASE "dispatch: {policy: power_of_d, d: 1.5}\n", 5, 35,
                       "dispatch.d: expected a whole number >= 1, got \"1.5\"");
    expect_exact_error(PUSH_BASE "dispatch: {policy: power_of_d, d: two}\n", 5, 35,
                       "dispatch.d: expected a whole number, got \"two\"");
    expect_exact_error(PUSH_BASE "dispatch: {policy: hash, keys: 0}\n", 5, 32,
                       "dispatch.keys: expected a whole number >= 1, got \"0\"");
    expect_exact_error(PUSH_BASE "dispatch: {policy: hash, keys: 1e10}\n", 5, 32,
                       "dispatch.keys: expected a whole number <= 1000000000, got \"1e10\"");
    expect_exact_error(PUSH_BASE "dispatch: {delay: -1}\n", 5, 19,
                       "dispatch.delay: expected a finite number >= 0, got \"-1\"");
    expect_exact_error(PUSH_BASE "dispatch: {delay: 1e400}\n", 5, 19,
                       "dispatch.delay: expected a finite number >= 0, got \"1e400\"");
    expect_exact_error(PUSH_BASE "dispatch: {delay: .inf}\n", 5, 19,
                       "dispatch.delay: expected a number, got \".inf\"");
    /* d against every workers value of the sweep */
    expect_exact_error(PUSH ARRIVAL SERVICE
                       "workers: [4, 2]\ndispatch: {policy: power_of_d, d: 3}\n",
                       5, 35, "dispatch.d: expected at most the number of workers (2), got \"3\"");
    expect_exact_error(PUSH ARRIVAL SERVICE WORKERS "dispatch: {policy: power_of_d}\n", 5, 20,
                       "dispatch.policy: power_of_d samples d = 2 workers by default, more than "
                       "workers (1); set dispatch.d");
    struct mmc_scenario s;
    load_ok(&s, PUSH ARRIVAL SERVICE "workers: [4, 3]\ndispatch: {policy: power_of_d, d: 3}\n",
            NULL);
    mmc_scenario_fini(&s);
    load_ok(&s, PUSH ARRIVAL SERVICE WORKERS "dispatch: {policy: power_of_d, d: 1}\n", NULL);
    mmc_scenario_fini(&s);
}
END_TEST

#define NOT_PUSH "dispatch: only model: push dispatches tasks (model is mmc)"
#define MMC_HAS_DISPATCH "model: mmc does not dispatch tasks, and dispatch is set; use model: push"

/* A dispatch block with a model that does not dispatch: at the key read last. */
START_TEST(test_dispatch_needs_push)
{
    expect_exact_error(BASE "dispatch: {policy: jsq}\n", 5, 11, NOT_PUSH);
    expect_exact_error(BASE "dispatch: {}\n", 5, 11, NOT_PUSH);
    expect_exact_error(BASE "dispatch:\n  policy: jsq\n", 6, 3, NOT_PUSH);
    expect_exact_error("dispatch: {policy: jsq}\n" BASE, 2, 8, MMC_HAS_DISPATCH);
    const char *set1[] = {"dispatch.policy=jsq", NULL};
    expect_exact(BASE, set1, 0, (struct where){"--set", 1, 1}, NOT_PUSH);
    const char *set2[] = {"model=mmc", NULL};
    expect_exact(PUSH_BASE "dispatch: {policy: jsq}\n", set2, 0, (struct where){"--set", 1, 7},
                 MMC_HAS_DISPATCH);
    /* the block's own errors come first */
    expect_exact_error(BASE "dispatch: {policy: jsqq}\n", 5, 20,
                       "dispatch.policy: unknown policy \"jsqq\" (known: round_robin, random, jsq, "
                       "power_of_d, least_work, hash; did you mean \"jsq\"?)");
}
END_TEST

/* What push does not take: at the key read last, of those the one read first. */
START_TEST(test_push_refusals)
{
    struct mmc_scenario s; /* every kind of protection, and shifts: yes */
    load_ok(&s,
            PUSH_BASE
            "capacity: 5\nshed: {threshold: 3}\nthrottle: {rate: 3}\npatience: {mean: 2}\n",
            NULL);
    mmc_scenario_fini(&s);
    load_ok(&s, PUSH ARRIVAL SERVICE "staffing: {times: [0, 10], workers: [1, 2]}\n", NULL);
    mmc_scenario_fini(&s);
    expect_exact_error(PUSH_BASE "initial: stationary\n", 5, 10,
                       "initial: stationary is not available with model: push (no exact "
                       "stationary law is known for it; use warmup: auto)");
    /* the model read last */
    expect_exact_error("initial: stationary\n" PUSH ARRIVAL SERVICE WORKERS, 2, 8,
                       "model: push does not take initial: stationary (no exact stationary law is "
                       "known for it; use warmup: auto)");
    const char *set1[] = {"model=push", NULL};
    expect_exact(BASE "initial: stationary\n", set1, 0, (struct where){"--set", 1, 7},
                 "model: push does not take initial: stationary (no exact stationary law is known "
                 "for it; use warmup: auto)");
}
END_TEST

/* Arrival traces replay under push, their service column too. */
START_TEST(test_push_traces)
{
    char path[TEMP_PATH_SIZE], yaml[512];
    temp_file(path, sizeof path, "time,service\n0,0.1\n1,0.2\n2.5,0.3\n");
    struct mmc_scenario s;
    snprintf(yaml, sizeof yaml, PUSH "arrival: {trace: %s}\n" SERVICE WORKERS, path);
    load_ok(&s, yaml, NULL);
    ck_assert_int_eq(s.process.kind, MMC_PROCESS_TRACE);
    mmc_scenario_fini(&s);
    /* and its service column */
    snprintf(yaml, sizeof yaml, PUSH "arrival: {trace: %s}\nservice: {dist: trace}\n" WORKERS,
             path);
    load_ok(&s, yaml, NULL);
    ck_assert(s.process.trace_service);
    mmc_scenario_fini(&s);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* Item 6: --set model=push --set dispatch.policy=jsq on high_load.yaml, and typos of the path. */
START_TEST(test_dispatch_overrides)
{
    static const char high_load[] =
        "name: high_load\nmodel: mmc\narrival: {dist: exponential, rate: 45}\n"
        "service: {dist: exponential, rate: 50}\nworkers: [1, 2, 3, 4]\nnetwork_delay: 0\n"
        "mem_per_task: 0.5\nwarmup: auto\nstop: {tasks: 100000, precision: 0.01, metric: T}\n"
        "replications: 10\nseed: 1\n";
    const char *set[] = {"model=push", "dispatch.policy=jsq", NULL};
    struct mmc_scenario s;
    load_ok(&s, high_load, set);
    ck_assert_str_eq(s.model, "push");
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_JSQ);
    mmc_scenario_fini(&s);
    const char *set2[] = {"model=push", "dispatch={policy: power_of_d, d: 3}", "dispatch.delay=0.5",
                          NULL};
    load_ok(&s, PUSH_BASE, set2);
    ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_POWER_OF_D);
    ck_assert_uint_eq(s.dispatch.d, 3);
    ck_assert_double_eq(s.dispatch.delay, 0.5);
    mmc_scenario_fini(&s);
    const char *typo[] = {"dispatch.polcy=jsq", NULL};
    expect_exact(PUSH_BASE, typo, 0, (struct where){"--set", 1, 1},
                 "unknown key \"dispatch.polcy\" (did you mean \"dispatch.policy\"?)");
    const char *typo2[] = {"dispach.policy=jsq", NULL};
    expect_exact(PUSH_BASE, typo2, 0, (struct where){"--set", 1, 1},
                 "unknown key \"dispach.policy\" (did you mean \"dispatch.policy\"?)");
    const char *bad[] = {"dispatch.policy=jsqq", NULL};
    expect_exact(PUSH_BASE, bad, 0, (struct where){"--set", 1, 17},
                 "dispatch.policy: unknown policy \"jsqq\" (known: round_robin, random, jsq, "
                 "power_of_d, least_work, hash; did you mean \"jsq\"?)");
    /* the workers read last still refuse d at its key, as with capacity */
    const char *few[] = {"workers=2", NULL};
    expect_exact(PUSH_BASE "dispatch: {policy: power_of_d, d: 3}\n", few, 0,
                 (struct where){NAME, 5, 35},
                 "dispatch.d: expected at most the number of workers (2), got \"3\"");
}
END_TEST

/* The block prints only under push, keys fixed, d and keys only with their policy. */
START_TEST(test_print_dispatch)
{
    static const char *const cases[][2] = {
        {"", "dispatch: {policy: \"round_robin\", delay: 0}\n"},
        {"dispatch: {delay: 0.125, policy: jsq}\n", "dispatch: {policy: \"jsq\", delay: 0.125}\n"},
        {"dispatch: {policy: power_of_d}\n",
         "dispatch: {policy: \"power_of_d\", d: 2, delay: 0}\n"},
        {"dispatch: {policy: power_of_d, d: 4}\n",
         "dispatch: {policy: \"power_of_d\", d: 4, delay: 0}\n"},
        {"dispatch: {policy: hash}\n", "dispatch: {policy: \"hash\", keys: 1000, delay: 0}\n"},
        {"dispatch: {policy: least_work, delay: 2}\n",
         "dispatch: {policy: \"least_work\", delay: 2}\n"},
    };
    char yaml[256], want[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct mmc_scenario s;
        snprintf(yaml, sizeof yaml, PUSH_BASE "%s", cases[i][0]);
        load_ok(&s, yaml, NULL);
        char *text = print_to_string(&s);
        snprintf(want, sizeof want, "model: \"push\"\n%s", cases[i][1]);
        ck_assert_msg(strstr(text, want) != NULL, "printed:\n%s\nlacks:\n%s", text, want);
        free(text);
        mmc_scenario_fini(&s);
        round_trip(yaml);
    }
    struct mmc_scenario s;
    load_ok(&s, BASE, NULL);
    char *text = print_to_string(&s);
    ck_assert_ptr_null(strstr(text, "dispatch"));
    free(text);
    mmc_scenario_fini(&s);
}
END_TEST

/* ---- model: pull and its pull block ---- */

/* model: pull with 4 workers, one key per line; an extra key goes on line 5. */
#define PULL "model: pull\n"
#define PULL_BASE PULL ARRIVAL SERVICE "workers: 4\n"

START_TEST(test_pull_defaults)
{
    struct mmc_scenario s;
    load_ok(&s, PULL_BASE, NULL);
    ck_assert_str_eq(s.model, "pull");
    ck_assert_double_eq(s.pull.rtt, 0);
    ck_assert_double_eq(s.pull.poll_interval, 0);
    mmc_scenario_fini(&s);
    load_ok(&s, PULL_BASE "pull: {}\n", NULL);
    ck_assert_double_eq(s.pull.rtt, 0);
    mmc_scenario_fini(&s);
    load_ok(&s, PULL_BASE "pull:\n  poll_interval: 0.5\n  rtt: 2e-3\n", NULL);
    ck_assert_double_eq(s.pull.rtt, 2e-3);
    ck_assert_double_eq(s.pull.poll_interval, 0.5);
    mmc_scenario_fini(&s);
    /* what pull allows: a backlog, MMPP, batches, batch means; without pull the struct holds
       zeros */
    load_ok(&s,
            PULL
            "arrival: {dist: mmpp, rates: [2, 1], sojourns: [1, 1], batch: {size: 2}}\n" SERVICE
            "workers: 4\ninitial: {in_system: 3}\nmethod: batch-means\n",
            NULL);
    ck_assert_int_eq(s.initial.kind, MMC_INITIAL_IN_SYSTEM);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE, NULL);
    ck_assert_double_eq(s.pull.rtt, 0);
    ck_assert_double_eq(s.pull.poll_interval, 0);
    mmc_scenario_fini(&s);
}
END_TEST

START_TEST(test_pull_errors)
{
    expect_exact_error(PULL_BASE "pull: {rtt: -1}\n", 5, 13,
                       "pull.rtt: expected a finite number >= 0, got \"-1\"");
    expect_exact_error(PULL_BASE "pull: {rtt: 1e400}\n", 5, 13,
                       "pull.rtt: expected a finite number >= 0, got \"1e400\"");
    expect_exact_error(PULL_BASE "pull: {rtt: .inf}\n", 5, 13,
                       "pull.rtt: expected a number, got \".inf\"");
    expect_exact_error(PULL_BASE "pull: {rtt: .nan}\n", 5, 13,
                       "pull.rtt: expected a number, got \".nan\"");
    expect_exact_error(PULL_BASE "pull:\n  rtt: 0\n  poll_interval: -0.5\n", 7, 18,
                       "pull.poll_interval: expected a finite number >= 0, got \"-0.5\"");
    expect_exact_error(PULL_BASE "pull: {rtt: 1, rtt: 2}\n", 5, 16, "duplicate key \"pull.rtt\"");
    expect_exact_error(PULL_BASE "pull: {poll_intervall: 1}\n", 5, 8,
                       "unknown key \"pull.poll_intervall\" (did you mean "
                       "\"pull.poll_interval\"?)");
    expect_exact_error(PULL_BASE "pull: {poll: 1}\n", 5, 8,
                       "unknown key \"pull.poll\" (known: pull.rtt, pull.poll_interval)");
    expect_exact_error(PULL_BASE "pull: 0.1\n", 5, 7, "pull: expected a mapping, got \"0.1\"");
    const char *set[] = {"pull.rtt=-2", NULL};
    expect_exact(PULL_BASE, set, 0, (struct where){"--set", 1, 10},
                 "pull.rtt: expected a finite number >= 0, got \"-2\"");
}
END_TEST

/* A block under a model that does not read it, either way round: at the key read last. */
START_TEST(test_pull_blocks_need_their_model)
{
    expect_exact_error(BASE "pull: {rtt: 1}\n", 5, 7,
                       "pull: only model: pull pulls tasks (model is mmc)");
    expect_exact_error(PUSH_BASE "pull: {}\n", 5, 7,
                       "pull: only model: pull pulls tasks (model is push)");
    expect_exact_error("pull: {rtt: 1}\n" BASE, 2, 8,
                       "model: mmc does not pull tasks, and pull is set; use model: pull");
    expect_exact_error(PULL_BASE "dispatch: {policy: jsq}\n", 5, 11,
                       "dispatch: only model: push dispatches tasks (model is pull)");
    const char *set1[] = {"model=pull", NULL};
    expect_exact(PUSH_BASE "dispatch: {policy: jsq}\n", set1, 0, (struct where){"--set", 1, 7},
                 "model: pull does not dispatch tasks, and dispatch is set; use model: push");
    const char *set2[] = {"pull.rtt=0.1", NULL};
    expect_exact(BASE, set2, 0, (struct where){"--set", 1, 1},
                 "pull: only model: pull pulls tasks (model is mmc)");
    /* the block's own errors come first */
    expect_exact_error(BASE "pull: {rtt: -1}\n", 5, 13,
                       "pull.rtt: expected a finite number >= 0, got \"-1\"");
}
END_TEST

/* What pull does not take (yet), as push: at the key read last. */
START_TEST(test_pull_refusals)
{
    struct mmc_scenario s; /* protection and staffing: yes */
    load_ok(&s, PULL_BASE "capacity: 5\nshed: {threshold: 2}\npatience: {mean: 3}\n", NULL);
    mmc_scenario_fini(&s);
    load_ok(&s, PULL ARRIVAL SERVICE "staffing: {times: [0, 10], workers: [1, 2]}\n", NULL);
    mmc_scenario_fini(&s);
    expect_exact_error(PULL_BASE "initial: stationary\n", 5, 10,
                       "initial: stationary is not available with model: pull (no exact "
                       "stationary law is known for it; use warmup: auto)");
    expect_exact_error("initial: stationary\n" PULL ARRIVAL SERVICE WORKERS, 2, 8,
                       "model: pull does not take initial: stationary (no exact stationary law is "
                       "known for it; use warmup: auto)");
}
END_TEST

/* The block prints only under pull, both keys. */
START_TEST(test_print_pull)
{
    static const char *const cases[][2] = {
        {"", "pull: {rtt: 0, poll_interval: 0}\n"},
        {"pull: {poll_interval: 0.25, rtt: 1e-3}\n", "pull: {rtt: 0.001, poll_interval: 0.25}\n"},
    };
    char yaml[256], want[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct mmc_scenario s;
        snprintf(yaml, sizeof yaml, PULL_BASE "%s", cases[i][0]);
        load_ok(&s, yaml, NULL);
        char *text = print_to_string(&s);
        snprintf(want, sizeof want, "model: \"pull\"\n%s", cases[i][1]);
        ck_assert_msg(strstr(text, want) != NULL, "printed:\n%s\nlacks:\n%s", text, want);
        free(text);
        mmc_scenario_fini(&s);
        round_trip(yaml);
    }
    struct mmc_scenario s;
    load_ok(&s, PUSH_BASE, NULL);
    char *text = print_to_string(&s);
    ck_assert_ptr_null(strstr(text, "pull"));
    free(text);
    mmc_scenario_fini(&s);
}
END_TEST

static void add(Suite *su, const char *name, const TTest *t)
{
    TCase *tc = tcase_create(name);
    tcase_add_test(tc, t);
    suite_add_tcase(su, tc);
}

/* Called by check_main.c through the generated suites.h. */

/* network_delay: a bare value is in transit; {value, where: held} is held by the worker. */
START_TEST(test_network_delay_where)
{
    struct mmc_scenario s;
    load_ok(&s, BASE "network_delay: [0, 0.01]\n", NULL);
    ck_assert(!s.delay_held);
    ck_assert_uint_eq(s.network_delay.n, 2);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "network_delay: {value: 0.005, where: held}\n", NULL);
    ck_assert(s.delay_held);
    ck_assert_double_eq(s.network_delay.v[0], 0.005);
    char *text = print_to_string(&s);
    ck_assert_msg(strstr(text, "network_delay: {value: [0.005], where: \"held\"}\n") != NULL, "%s",
                  text);
    struct mmc_scenario t;
    load_ok(&t, text, NULL); /* the print reads back the same */
    ck_assert(t.delay_held);
    assert_same_axis(&s.network_delay, &t.network_delay);
    free(text);
    mmc_scenario_fini(&t);
    mmc_scenario_fini(&s);
    load_ok(&s, BASE "network_delay: {where: transit}\n", NULL);
    ck_assert(!s.delay_held);
    ck_assert_double_eq(s.network_delay.v[0], 0.0);
    mmc_scenario_fini(&s);
    /* --set where keeps the bare value as network_delay.value */
    const char *held[] = {"network_delay.where=held", NULL};
    load_ok(&s, BASE "network_delay: 0.02\n", held);
    ck_assert(s.delay_held);
    ck_assert_double_eq(s.network_delay.v[0], 0.02);
    mmc_scenario_fini(&s);
    expect_error(BASE "network_delay: {value: 0.1, where: hold}\n", 5, 36,
                 "network_delay.where: unknown place \"hold\" (known: transit, held; did you mean "
                 "\"held\"?)");
    expect_error(BASE "network_delay: {value: -1, where: held}\n", 5, 24,
                 "network_delay.value: expected a finite number >= 0");
    expect_error(BASE "network_delay: {valu: 1}\n", 5, 17,
                 "unknown key \"network_delay.valu\" (did you mean \"network_delay.value\"?)");
    expect_error(BASE "network_delay: {value: 0.1, where: held}\ninitial: stationary\n", 6, 10,
                 "initial: stationary is not available with network_delay where: held");
    expect_error(BASE "initial: stationary\nnetwork_delay: {value: 0.1, where: held}\n", 6, 36,
                 "network_delay.where: held is not available with initial: stationary");
}
END_TEST

/* Variants may differ in model (and its dispatch or pull keys): designs side by side. */
START_TEST(test_variant_models)
{
    static const char yaml[] = BASE "variants:\n"
                                    "  - {name: local}\n"
                                    "  - {name: pushed, model: push, dispatch: {policy: jsq}}\n"
                                    "  - {name: pulled, model: pull, pull: {rtt: 0.01}}\n";
    struct mmc_scenario s;
    struct mmc_error err;
    for (size_t v = 0; v < 3; v++) {
        ck_assert_int_eq(load_ov_variant(&s, yaml, NULL, v, &err), 0);
        ck_assert_str_eq(s.model, v == 0 ? "mmc" : v == 1 ? "push" : "pull");
        if (v == 1)
            ck_assert_int_eq(s.dispatch.policy, MMC_POLICY_JSQ);
        if (v == 2)
            ck_assert_double_eq(s.pull.rtt, 0.01);
        mmc_scenario_fini(&s);
    }
    /* a variant's dispatch under the base's model is refused in that variant */
    expect_variant_error(BASE "variants:\n  - {name: a}\n  - {name: b, dispatch: {policy: jsq}}\n",
                         1, 7, 25, "dispatch: only model: push dispatches tasks (model is mmc)");
}
END_TEST

Suite *scenario_suite(void);

Suite *scenario_suite(void)
{
    Suite *su = suite_create("scenario");
    add(su, "full_file", test_full_file);
    add(su, "network_delay_where", test_network_delay_where);
    add(su, "variant_models", test_variant_models);
    add(su, "distributions", test_distributions);
    add(su, "distribution_errors", test_distribution_errors);
    add(su, "distribution_prints_back", test_distribution_prints_back);
    add(su, "defaults", test_defaults);
    add(su, "default_name", test_default_name);
    add(su, "name_rules", test_name_rules);
    add(su, "number_rejections", test_number_rejections);
    add(su, "whole_numbers", test_whole_numbers);
    add(su, "lists", test_lists);
    add(su, "negative_zero", test_negative_zero);
    add(su, "unknown_keys", test_unknown_keys);
    add(su, "duplicate_and_odd_keys", test_duplicate_and_odd_keys);
    add(su, "missing_required", test_missing_required);
    add(su, "model_and_dist", test_model_and_dist);
    add(su, "arrival_forms", test_arrival_forms);
    add(su, "stop_and_warmup", test_stop_and_warmup);
    add(su, "limit_rejections", test_limit_rejections);
    add(su, "warmup_keywords", test_warmup_keywords);
    add(su, "initial_forms", test_initial_forms);
    add(su, "initial_rejections", test_initial_rejections);
    add(su, "stop_precision", test_stop_precision);
    add(su, "stop_precision_rejections", test_stop_precision_rejections);
    add(su, "precision_refinements_alone", test_precision_refinements_alone);
    add(su, "method_and_batches", test_method_and_batches);
    add(su, "analysis_keys", test_analysis_keys);
    add(su, "seed", test_seed);
    add(su, "rng", test_rng);
    add(su, "yaml_structure", test_yaml_structure);
    add(su, "yaml_refusals", test_yaml_refusals);
    add(su, "deep_nesting", test_deep_nesting);
    add(su, "garbage_is_quoted_short", test_garbage_is_quoted_short);
    add(su, "override_values", test_override_values);
    add(su, "override_alternatives", test_override_alternatives);
    add(su, "override_structure", test_override_structure);
    add(su, "override_errors", test_override_errors);
    add(su, "override_new_keys", test_override_new_keys);
    add(su, "override_precision", test_override_precision);
    add(su, "override_new_errors", test_override_new_errors);
    add(su, "print_canonical", test_print_canonical);
    add(su, "print_round_trip", test_print_round_trip);
    add(su, "print_new_fields", test_print_new_fields);
    add(su, "print_round_trip_new_fields", test_print_round_trip_new_fields);
    add(su, "print_escapes", test_print_escapes);
    add(su, "print_write_error", test_print_write_error);
    add(su, "load_file", test_load_file);
    add(su, "load_file_error", test_load_file_error);
    add(su, "missing_file_and_directory", test_missing_file_and_directory);
    add(su, "fini_zeroed", test_fini_zeroed);
    add(su, "late_error_frees", test_late_error_frees);
    add(su, "mmpp", test_mmpp);
    add(su, "mmpp_errors", test_mmpp_errors);
    add(su, "schedule", test_schedule);
    add(su, "schedule_errors", test_schedule_errors);
    add(su, "schedule_breakpoints", test_schedule_breakpoints);
    add(su, "batch", test_batch);
    add(su, "batch_errors", test_batch_errors);
    add(su, "staffing", test_staffing);
    add(su, "staffing_errors", test_staffing_errors);
    add(su, "time_varying_refusals", test_time_varying_refusals);
    add(su, "trace", test_trace);
    add(su, "trace_errors", test_trace_errors);
    add(su, "trace_service", test_trace_service);
    add(su, "trace_service_errors", test_trace_service_errors);
    add(su, "protection", test_protection);
    add(su, "protection_errors", test_protection_errors);
    add(su, "variants", test_variants);
    add(su, "variant_errors", test_variant_errors);
    add(su, "variant_errors_in_place", test_variant_errors_in_place);
    add(su, "size_limits_and_base_keys", test_size_limits_and_base_keys);
    add(su, "variant_count", test_variant_count);
    add(su, "batch_means_protection_at_key", test_batch_means_protection_at_key);
    add(su, "batch_means_stop_at_key", test_batch_means_stop_at_key);
    add(su, "batch_means_warmup_at_key", test_batch_means_warmup_at_key);
    add(su, "stationary_start_at_key", test_stationary_start_at_key);
    add(su, "variant_merge_errors_name_the_variant", test_variant_merge_errors_name_the_variant);
    add(su, "variant_name_in_long_messages", test_variant_name_in_long_messages);
    add(su, "list_lengths_counted", test_list_lengths_counted);
    add(su, "print_round_trip_processes", test_print_round_trip_processes);
    add(su, "print_staffing", test_print_staffing);
    add(su, "print_round_trip_traces", test_print_round_trip_traces);
    add(su, "print_round_trip_protection", test_print_round_trip_protection);
    add(su, "print_round_trip_empirical_patience", test_print_round_trip_empirical_patience);
    add(su, "print_round_trip_variants", test_print_round_trip_variants);
    add(su, "dispatch_defaults", test_dispatch_defaults);
    add(su, "dispatch_policies", test_dispatch_policies);
    add(su, "dispatch_errors", test_dispatch_errors);
    add(su, "dispatch_needs_push", test_dispatch_needs_push);
    add(su, "push_refusals", test_push_refusals);
    add(su, "push_traces", test_push_traces);
    add(su, "dispatch_overrides", test_dispatch_overrides);
    add(su, "print_dispatch", test_print_dispatch);
    add(su, "pull_defaults", test_pull_defaults);
    add(su, "pull_errors", test_pull_errors);
    add(su, "pull_blocks_need_their_model", test_pull_blocks_need_their_model);
    add(su, "pull_refusals", test_pull_refusals);
    add(su, "print_pull", test_print_pull);
    return su;
}
