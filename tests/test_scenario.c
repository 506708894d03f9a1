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

/* Load yaml named NAME with the NULL-terminated overrides; returns the load's result. */
static int load_ov(struct mmc_scenario *s, const char *yaml, const char *const *texts,
                   struct mmc_error *err)
{
    struct ovs o = ovs_of(texts);
    *err = (struct mmc_error){.line = 0};
    return mmc_scenario_load_string(s, yaml, strlen(yaml), NAME, o.v, o.n, 0, err);
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

/* The load must fail at file:line:col with a message containing fragment. */
static void expect_fail(const char *yaml, const char *const *texts, struct where at,
                        const char *fragment)
{
    struct mmc_scenario s;
    struct mmc_error err;
    char msg[1024];
    int rc = load_ov(&s, yaml, texts, &err);
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

static void expect_error(const char *yaml, int line, int col, const char *fragment)
{
    expect_fail(yaml, NULL, (struct where){NAME, line, col}, fragment);
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
        "unknown key \"colour\" (known: name, description, model, arrival, service, "
        "workers, network_delay, mem_per_task, stop, warmup, initial, replications, method, "
        "batches, compare, control_variates, wait_threshold, capacity, shed, throttle, patience, "
        "staffing, variants, seed, rng)");
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
                 "model: unknown model \"foo\" (known: mmc)");
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
                 "Wq, W, T, P_wait)");
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
static void assert_same_double(double a, double b)
{
    ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);
}

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

static void assert_same(const struct mmc_scenario *a, const struct mmc_scenario *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_str_eq(a->description, b->description);
    ck_assert_str_eq(a->model, b->model);
    ck_assert_int_eq(a->arrival_dist.shape.kind, b->arrival_dist.shape.kind);
    ck_assert_int_eq(a->arrival_is_load, b->arrival_is_load);
    assert_same_axis(&a->arrival, &b->arrival);
    ck_assert_int_eq(a->service_dist.shape.kind, b->service_dist.shape.kind);
    assert_same_axis(&a->service, &b->service);
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

/* Write text to a new file under /tmp; returns its path in path. */
static void temp_file(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/mmcsim_scenario_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_load_file)
{
    char path[64];
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
    char path[64];
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

static void add(Suite *su, const char *name, const TTest *t)
{
    TCase *tc = tcase_create(name);
    tcase_add_test(tc, t);
    suite_add_tcase(su, tc);
}

/* Called by check_main.c through the generated suites.h. */
Suite *scenario_suite(void);

Suite *scenario_suite(void)
{
    Suite *su = suite_create("scenario");
    add(su, "full_file", test_full_file);
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
    return su;
}
