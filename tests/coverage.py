#!/usr/bin/env python3
"""Coverage of mmcsim's 95 % intervals, as an outside statistician counts it.

    python3 tests/coverage.py MMCSIM N CONFIG...

For each CONFIG (a name from CONFIGS below), N independent experiments (seeds
1000, 1001, ...) run `mmcsim --format csv` on scenarios/high_load.yaml with the
configuration's overrides, and for every metric we count how often the
reported interval (value +- `_ci95`) contains the closed form (`_analytic`,
exact for M/M/c). Printed per metric: the coverage with its own 95 % binomial
interval, how many experiments reported an interval, the mean relative bias of
the estimates and the ratio of their spread to the reported standard error
(1 when the intervals have the right width). An experiment whose point carries
a too-short warning reports no judgement; it is counted apart ("warned"), and a
configuration may either cover or warn.

`make coverage` runs every configuration with N = 200 (about an hour on two
cores); exit status 1 when a metric that reported an interval in most
experiments covers outside [0.93, 0.97].
"""
import csv
import io
import math
import os
import statistics
import subprocess
import sys

SCENARIO = os.path.join(os.path.dirname(__file__), "..", "scenarios", "high_load.yaml")

# name -> (what it is, overrides)
CONFIGS = {
    "A": ("M/M/1 at rho 0.95, the shipped precision rule",
          ["workers=1", "arrival.rate=47.5"]),
    "B": ("M/M/8 at rho 0.95, the shipped precision rule",
          ["workers=8", "arrival.rate=380"]),
    "C": ("M/M/2 at rho 0.9, 5 x 5000 tasks (a hurried user)",
          ["workers=2", "arrival.rate=90", "stop={tasks: 5000}", "replications=5"]),
    "D": ("M/M/1 at rho 0.98, the shipped precision rule",
          ["workers=1", "arrival.rate=49"]),
    "S": ("M/M/1 at rho 0.95, stationary start, 20 x 100000 tasks",
          ["workers=1", "arrival.rate=47.5", "initial=stationary", "warmup=none",
           "stop={tasks: 100000}", "replications=20"]),
}
METRICS = ["Wq", "W", "T", "Lq", "Wq_p90", "Wq_p99", "Wq_p999", "T_p90", "T_p99", "T_p999"]


def run(binary, seed, sets):
    args = [binary, "-q", "--format", "csv", "-j", "2", "--seed", str(seed)]
    for s in sets:
        args += ["--set", s]
    out = subprocess.run(args + [SCENARIO], capture_output=True, text=True, check=True).stdout
    return next(csv.DictReader(io.StringIO(out)))


def binomial_ci(k, n):
    """Wilson 95 % interval of a proportion."""
    if n == 0:
        return (math.nan, math.nan)
    z, p = 1.96, k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (c - h, c + h)


def coverage(binary, n, name):
    what, sets = CONFIGS[name]
    rows = [run(binary, 1000 + e, sets) for e in range(n)]
    warned = sum(1 for r in rows if r["warnings"])
    print(f"{name}: {what}; {n} experiments, {warned} warned (too short: not judged)")
    bad = 0
    for m in METRICS:
        got = [r for r in rows if r[m + "_ci95"] != "" and not r["warnings"]]
        if not got:
            print(f"  {m:8s} no interval reported")
            continue
        a = float(got[0][m + "_analytic"])
        hits = sum(1 for r in got if abs(float(r[m]) - a) <= float(r[m + "_ci95"]))
        vals = [float(r[m]) for r in got]
        se = statistics.mean(float(r[m + "_ci95"]) for r in got) / 1.96
        spread = statistics.pstdev(vals) / se if se > 0 and len(vals) > 1 else math.nan
        lo, hi = binomial_ci(hits, len(got))
        cover = hits / len(got)
        print(f"  {m:8s} coverage {cover:.3f} [{lo:.3f}, {hi:.3f}] of {len(got)};"
              f" bias {100 * (statistics.mean(vals) - a) / a:+.2f} %; spread / SE {spread:.2f}")
        if len(got) >= n // 2 and not 0.93 <= cover <= 0.97:
            bad += 1
    return bad


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, n = sys.argv[1], int(sys.argv[2])
    bad = sum(coverage(binary, n, name) for name in sys.argv[3:])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
