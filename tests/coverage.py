#!/usr/bin/env python3
"""Coverage of mmcsim's 95 % intervals, as an outside statistician counts it.

    python3 tests/coverage.py [--seed0 S] [--rows DIR] MMCSIM N CONFIG[:N]...

For each CONFIG (a name from CONFIGS below), N independent experiments (seeds
S, S + 1, ..., S = 1000 unless --seed0 says otherwise; CONFIG:N gives that
configuration its own count) run `mmcsim --format csv` on scenarios/high_load.yaml with the
configuration's overrides, and for every metric we count how often the
reported interval (value +- `_ci95`) contains the closed form (`_analytic`,
exact for M/M/c). Printed per metric: the coverage with its own 95 % binomial
interval, how many experiments reported an interval, the mean relative bias of
the estimates and the ratio of their spread to the reported standard error
(1 when the intervals have the right width). An experiment whose point carries
a too-short warning reports no judgement; it is counted apart ("warned"), and a
configuration may either cover or warn.

`make coverage` runs every configuration with N = 200, and D with N = 400
(about two hours on two cores, most of it D); exit status 1 when a metric
that reported an interval in most experiments covers outside [0.93, 0.97].
Why 400 for D: with 200 experiments the binomial standard error of a
coverage is 0.015, so a procedure that covers exactly 0.95 lands outside
[0.93, 0.97] about one time in five per metric, and D's first 200 (0.92,
Wilson interval [0.875, 0.95]) could not tell a real shortfall from that;
at 400 a nominal procedure lands outside about one time in fifty (seeds
1000-1399 covered 0.927, seeds 1400-1799 0.935: pooled 0.931 [0.912, 0.947],
slightly narrow intervals, see README). Progress
goes to stderr every 50 experiments. With --rows DIR every experiment's CSV
row is kept in DIR/CONFIG.csv (a `seed` column first), and rows already
there are read instead of run again: an interrupted run resumes, and the
rows stay for any later analysis.

    python3 tests/coverage.py --quick MMCSIM N CONFIG...

is the small version `make check` runs (N = 30 of A, B and C): too few
experiments to pin coverage to [0.93, 0.97], so it fails only on what 30
can show, a regression: coverage that a binomial test puts below 0.95
(p < 0.001), or a mean bias over the experiments more than 3.5 of its
standard errors from 0 (the warm-up bias this file was written for,
-0.3 % at A, is -3.8 of them at N = 30), or an interval width off by a
factor (spread / SE outside [0.6, 1.5]; for a percentile, only above 1.5).
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


def binomial_cdf(k, n, p):
    """P(X <= k) for X ~ Binomial(n, p)."""
    return sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(k + 1))


def quick_failures(m, hits, got, vals, a, se):
    """What a small run can show is wrong with metric m (empty list: nothing)."""
    bad = []
    if binomial_cdf(hits, len(got), 0.95) < 0.001:
        bad.append(f"{m}: coverage {hits}/{len(got)} is below 0.95 (binomial p < 0.001)")
    ses = [float(r[m + "_ci95"]) / 1.96 for r in got]
    z = (statistics.mean(vals) - a) / (math.sqrt(sum(x * x for x in ses)) / len(ses))
    if abs(z) > 3.5:
        bad.append(f"{m}: mean bias z = {z:+.2f} over {len(got)} experiments")
    spread = statistics.pstdev(vals) / se if se > 0 and len(vals) > 1 else math.nan
    # A percentile's +- is the longer side of an asymmetric interval, wider than its standard
    # error by design (B's p99.9: spread / SE 0.75 over 200 experiments, covering 0.965): only
    # a too-narrow width is a regression there; a mean's width is off either way.
    low = 0.0 if "_p" in m else 0.6
    if len(vals) >= 10 and not low <= spread <= 1.5:
        bad.append(f"{m}: spread / SE {spread:.2f} (interval widths off)")
    return bad


def load_rows(path):
    """Rows kept by an earlier run, by seed (none when the file is missing)."""
    if not path or not os.path.exists(path):
        return {}
    with open(path, newline="") as f:
        return {int(r["seed"]): r for r in csv.DictReader(f)}


def keep_row(path, seed, row):
    """Append one experiment's row to path (header first when the file is new)."""
    new = not os.path.exists(path)
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["seed"] + list(row.keys()))
        if new:
            w.writeheader()
        w.writerow({"seed": seed, **row})


def coverage(binary, n, name, quick=False, seed0=1000, rows_dir=None):
    what, sets = CONFIGS[name]
    path = os.path.join(rows_dir, name + ".csv") if rows_dir else None
    kept = load_rows(path)
    rows = []
    for e in range(n):
        seed = seed0 + e
        if seed in kept:
            rows.append(kept[seed])
        else:
            rows.append(run(binary, seed, sets))
            if path:
                keep_row(path, seed, rows[-1])
        if (e + 1) % 50 == 0 and e + 1 < n:
            print(f"{name}: {e + 1}/{n} experiments", file=sys.stderr, flush=True)
    warned = sum(1 for r in rows if r["warnings"])
    print(f"{name}: {what}; {n} experiments (seeds {seed0}-{seed0 + n - 1}), {warned} warned (too short: not judged)", flush=True)
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
        if quick:
            for why in quick_failures(m, hits, got, vals, a, se):
                print(f"  FAIL {name} {why}")
                bad += 1
        elif len(got) >= n // 2 and not 0.93 <= cover <= 0.97:
            bad += 1
    return bad


def main():
    args = sys.argv[1:]
    quick, seed0, rows_dir = False, 1000, None
    while args and args[0].startswith("--"):
        if args[0] == "--quick":
            quick, args = True, args[1:]
        elif args[0] in ("--seed0", "--rows") and len(args) > 1:
            if args[0] == "--seed0":
                if not args[1].isdigit():
                    sys.exit(f"coverage.py: --seed0 expects a whole number, not {args[1]!r}")
                seed0 = int(args[1])
            else:
                rows_dir = args[1]
                os.makedirs(rows_dir, exist_ok=True)
            args = args[2:]
        else:
            sys.exit(f"coverage.py: unknown option {args[0]!r}\n" + __doc__)
    if len(args) < 3:
        sys.exit(__doc__)
    binary, n = args[0], int(args[1])
    bad = 0
    for spec in args[2:]:
        name, _, own = spec.partition(":")
        if name not in CONFIGS or (own and not own.isdigit()):
            sys.exit(f"coverage.py: unknown configuration {spec!r} (known: {', '.join(CONFIGS)}; NAME or NAME:N)")
        bad += coverage(binary, int(own) if own else n, name, quick, seed0, rows_dir)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
