#!/usr/bin/env python3
"""Check `mmcsim --format json` against one schema, for every shipped scenario.

Usage: python3 tests/json_schema.py path/to/mmcsim [scenario directory]

Each scenario in the directory (default: scenarios/) is run simulated, with
short overrides, and under --analytic; a few extra runs add the optional
column groups (compare, control_variates) and batch means. Every document
must match SCHEMA below: exactly its keys, each value of an allowed type
(number, string, bool, null). A number column holds numbers or null, a word
column non-empty strings or null ("" where a count belongs is the bug this
guards against); NaN and Infinity are not JSON and are refused. The points
must also be the CSV rows of the same run: the same columns in the same
order, null exactly where the CSV cell is empty, the same values elsewhere.
Exit 0 when every document passes, 1 otherwise (or when there is nothing to
check).
"""
import csv
import glob
import io
import json
import os
import subprocess
import sys

NUM, STR, BOOL, NULL = "number", "string", "bool", "null"
LIMIT = "limit"  # null, "auto", {"tasks": n} or {"time": s}: a run length

NUMBER = {NUM}  # always a number (a count or a parameter of the point)
NUM_OR_NULL = {NUM, NULL}
WORD = {STR}
WORD_OR_NULL = {STR, NULL}

METRICS = [
    "utilization", "throughput", "Lq", "L", "Wq", "W", "T", "P_wait",
    "Wq_p50", "Wq_p90", "Wq_p95", "Wq_p99", "Wq_p999",
    "T_p50", "T_p90", "T_p95", "T_p99", "T_p999",
    "P_Wq_gt_t", "P_block", "P_shed", "P_throttle", "P_abandon",
    "conflicts_per_request",
]
COMPARED = ["T", "Wq", "Lq", "L", "utilization", "T_p99"]
CV_METRICS = ["utilization", "throughput", "Lq", "L", "Wq", "W", "T", "P_wait"]


def metric_columns():
    cols = []
    for m in METRICS:
        for suffix in ("", "_ci95", "_analytic", "_rel_error", "_z"):
            cols.append((m + suffix, NUM_OR_NULL))
    return cols


# A point's columns in CSV order; the optional groups sit where the CSV puts them.
POINT_HEAD = [
    ("scenario", WORD),
    ("variant", WORD_OR_NULL),
    ("model", WORD),
    ("dispatch", WORD_OR_NULL),
    ("class", WORD_OR_NULL),
    ("workers", NUMBER),
    ("arrival_rate", NUM_OR_NULL),
    ("service_rate", NUM_OR_NULL),
    ("network_delay", NUM_OR_NULL),
    ("network_delay_where", WORD),
    ("rho", NUM_OR_NULL),
    ("closed_form", WORD),
    ("closed_form_approx", NUMBER),
] + metric_columns() + [
    ("P0_analytic", NUM_OR_NULL),
    ("mem_mean_mb", NUM_OR_NULL),
    ("mem_mean_mb_ci95", NUM_OR_NULL),
    ("mem_peak_mb", NUM_OR_NULL),
    ("worker_util_min", NUM_OR_NULL),
    ("worker_util_max", NUM_OR_NULL),
    ("worker_tasks_cv", NUM_OR_NULL),
    ("steals_per_task", NUM_OR_NULL),
    ("failed_steals_per_task", NUM_OR_NULL),
    ("first_worker_share", NUM_OR_NULL),
    ("threads", NUM_OR_NULL),
    ("retries_per_request", NUM_OR_NULL),
    ("failed_fraction", NUM_OR_NULL),
    ("placements_min", NUM_OR_NULL),
    ("placements_max", NUM_OR_NULL),
    ("placements_cv", NUM_OR_NULL),
    ("util_cpu", NUM_OR_NULL),
    ("util_cpu_peak", NUM_OR_NULL),
    ("util_mem_mb", NUM_OR_NULL),
    ("util_mem_mb_peak", NUM_OR_NULL),
    ("util_gpu", NUM_OR_NULL),
    ("util_gpu_peak", NUM_OR_NULL),
    ("makespan", NUM_OR_NULL),
    ("makespan_ci95", NUM_OR_NULL),
    ("speedup", NUM_OR_NULL),
    ("speedup_ci95", NUM_OR_NULL),
    ("efficiency", NUM_OR_NULL),
    ("efficiency_ci95", NUM_OR_NULL),
    ("max_queue", NUM_OR_NULL),
    ("max_in_system", NUM_OR_NULL),
    ("mem_expected_mb", NUM_OR_NULL),
    ("offered", NUM_OR_NULL),
    ("blocked", NUM_OR_NULL),
    ("shed", NUM_OR_NULL),
    ("throttled", NUM_OR_NULL),
    ("abandoned", NUM_OR_NULL),
    ("tasks", NUMBER),
    ("replications", NUMBER),
    ("events", NUMBER),
    ("method", WORD),
    ("batches", NUM_OR_NULL),
    ("batch_lag1", NUM_OR_NULL),
    ("stop_reason", WORD_OR_NULL),
    ("precision_target", NUM_OR_NULL),
    ("precision_reached", NUM_OR_NULL),
    ("wait_threshold", NUM_OR_NULL),
    ("warmup_tasks_cut", NUM_OR_NULL),
    ("warmup_pilot_tasks", NUM_OR_NULL),
    ("replication_length", NUM_OR_NULL),
]
POINT_COMPARE = [("compare_ref", NUM_OR_NULL)] + [
    (m + suffix, NUM_OR_NULL)
    for m in COMPARED
    for suffix in ("_diff", "_diff_ci95", "_diff_ci95_unpaired")
]
POINT_CV = [(m + "_cv_reduction", NUM_OR_NULL) for m in CV_METRICS]
# model place with requests of varying size (a mix or a law per resource)
POINT_SIZES = [
    (prefix + r, NUM_OR_NULL)
    for r in ("cpu", "mem_mb", "gpu")
    for prefix in ("stranded_", "blocked_demand_")
]
POINT_TAIL = [
    ("conservation", WORD_OR_NULL),
    ("little_L_residual", NUM_OR_NULL),
    ("little_Lq_residual", NUM_OR_NULL),
    ("utilization_residual", NUM_OR_NULL),
    ("work_conservation_violations", NUM_OR_NULL),
    ("priority_inversions_per_1000", NUM_OR_NULL),
    ("window_s", NUM_OR_NULL),
    ("act_tasks", NUM_OR_NULL),
    ("warnings", WORD_OR_NULL),
    ("not_judged", WORD_OR_NULL),
    ("verdict", WORD),
    ("verdict_detail", WORD),
]

PROVENANCE = [
    ("mmcsim_version", WORD),
    ("scenario_file", WORD),
    ("scenario_hash", WORD),
    ("scenario_resolved", WORD),
    ("rng", WORD),
    ("seed", NUMBER),
    ("replications", NUMBER),
    ("stop", {LIMIT}),
    ("warmup", {LIMIT}),
    ("analytic_only", {BOOL}),
    ("partial", {BOOL}),
]
UNITS = [("time", WORD), ("rate", WORD), ("memory", WORD)]

SCHEMA = {
    "doc": ["provenance", "units", "model", "points"],
    "provenance": PROVENANCE,
    "units": UNITS,
    "model": WORD,
    "point": (POINT_HEAD, POINT_COMPARE, POINT_CV, POINT_SIZES, POINT_TAIL),
}

SHORT = ["--set", "replications=2", "--set", "stop.tasks=2000"]
# (scenario file name, extra options): runs that show the optional groups and batch means.
EXTRA = [
    ("high_load.yaml", ["--compare", "--set", "control_variates=true", "--set", "replications=8",
                        "--set", "stop.tasks=2000"]),
    ("bursty.yaml", SHORT + ["--set", "compare=baseline"]),
    ("capacity_95.yaml", ["--set", "method=batch-means", "--set", "replications=1",
                          "--set", "stop.tasks=2400", "--set", "warmup.tasks=200"]),
]


class SchemaError(Exception):
    pass


def refuse_constant(name):
    raise SchemaError("non-JSON token %s" % name)


def no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise SchemaError("duplicate key %r" % k)
        obj[k] = v
    return obj


def type_of(v):
    if v is None:
        return NULL
    if isinstance(v, bool):  # before int: bool is an int in Python
        return BOOL
    if isinstance(v, (int, float)):
        return NUM
    if isinstance(v, str):
        return STR
    return type(v).__name__


def check_value(where, v, allowed):
    t = type_of(v)
    if t == STR and v == "":
        raise SchemaError('%s: "" (an empty value must be null)' % where)
    if LIMIT in allowed:
        ok = v is None or v == "auto" or (
            isinstance(v, dict) and len(v) == 1 and list(v)[0] in ("tasks", "time")
            and type_of(list(v.values())[0]) == NUM)
        if not ok:
            raise SchemaError("%s: %s is not a run length" % (where, json.dumps(v)[:60]))
        return
    if t not in allowed:
        raise SchemaError("%s: %s %s where %s is expected"
                          % (where, t, json.dumps(v)[:60], " or ".join(sorted(allowed))))


def check_object(where, obj, columns):
    if not isinstance(obj, dict):
        raise SchemaError("%s: not an object" % where)
    want = [name for name, _ in columns]
    if list(obj) != want:
        missing = [k for k in want if k not in obj]
        extra = [k for k in obj if k not in want]
        raise SchemaError("%s: keys differ from the schema: missing %s, extra %s%s"
                          % (where, missing, extra,
                             "" if missing or extra else " (same keys, other order)"))
    for name, allowed in columns:
        check_value("%s.%s" % (where, name), obj[name], allowed)


def point_columns(point):
    """The schema's columns for a point, with the optional groups it has (whole or not at all)."""
    head, compare, cv, sizes, tail = SCHEMA["point"]
    cols = list(head)
    for group in (compare, cv, sizes):
        if group[0][0] in point:
            cols += group
    return cols + list(tail)


def check_document(doc):
    if not isinstance(doc, dict) or list(doc) != SCHEMA["doc"]:
        raise SchemaError("top-level keys %s, expected %s"
                          % (list(doc) if isinstance(doc, dict) else doc, SCHEMA["doc"]))
    check_object("provenance", doc["provenance"], SCHEMA["provenance"])
    check_object("units", doc["units"], SCHEMA["units"])
    check_value("model", doc["model"], SCHEMA["model"])
    points = doc["points"]
    if not isinstance(points, list) or not points:
        raise SchemaError("points: expected a non-empty list")
    cols = point_columns(points[0])
    for i, p in enumerate(points):
        check_object("points[%d]" % i, p, cols)
    return cols


def check_csv(points, cols, text):
    """The CSV rows of the same run: same columns, empty exactly where JSON has null."""
    rows = list(csv.reader(io.StringIO(text)))
    if rows[0] != [name for name, _ in cols]:
        raise SchemaError("CSV header differs from the JSON keys")
    if len(rows) - 1 != len(points):
        raise SchemaError("%d CSV rows for %d JSON points" % (len(rows) - 1, len(points)))
    for i, (row, p) in enumerate(zip(rows[1:], points)):
        for cell, (name, _) in zip(row, cols):
            v = p[name]
            same = (cell == "" if v is None else
                    cell == v if isinstance(v, str) else
                    cell != "" and float(cell) == v)
            if not same:
                raise SchemaError("points[%d].%s: JSON %r, CSV %r" % (i, name, v, cell))


def run(binary, args):
    r = subprocess.run([binary, "-q"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=600)
    if r.returncode != 0:
        raise SchemaError("exit %d: %s" % (r.returncode, r.stderr.strip()))
    return r.stdout


def check_run(binary, path, opts):
    text = run(binary, ["--format", "json"] + opts + [path])
    doc = json.loads(text, parse_constant=refuse_constant, object_pairs_hook=no_duplicates)
    cols = check_document(doc)
    check_csv(doc["points"], cols, run(binary, ["--format", "csv"] + opts + [path]))
    return len(doc["points"])


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    binary, directory = argv[1], argv[2] if len(argv) == 3 else "scenarios"
    files = sorted(glob.glob(os.path.join(directory, "*.yaml")))
    if not files:
        print("json-schema: FAIL: no scenarios in %s" % directory)
        return 1
    runs = [(f, SHORT) for f in files] + [(f, ["--analytic"]) for f in files]
    for name, opts in EXTRA:
        path = os.path.join(directory, name)
        if path not in files:
            print("json-schema: FAIL: %s (an extra run's scenario) is gone: update EXTRA" % path)
            return 1
        runs.append((path, opts))
    fails = points = 0
    for path, opts in runs:
        try:
            points += check_run(binary, path, opts)
        except (SchemaError, ValueError, OSError, subprocess.SubprocessError) as e:
            print("json-schema: FAIL: mmcsim %s %s: %s" % (" ".join(opts), path, e))
            fails += 1
    if fails:
        print("json-schema: %d of %d runs failed" % (fails, len(runs)))
        return 1
    print("json-schema: %d runs of %d scenarios, %d points, every key typed as the schema says"
          % (len(runs), len(files), points))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
