#!/bin/sh
# make bench: events per second of mmcsim on one core, as the median of
# RUNS runs, beside the median of a reference run (the bare GSL draws the
# same workload needs, tests/bench/ref_draws.c) timed in the same
# invocation; the ratio is what to compare across machines and days. With
# valgrind present it also counts instructions per event (callgrind), which
# is repeatable on a noisy machine: compare builds by that number.
# Usage: sh tests/bench/run.sh path/to/mmcsim path/to/ref_draws
set -eu
BIN=$1
REF=$2
RUNS=${RUNS:-5}
SCEN=tests/bench/bench.yaml
TASKS=2010000 # stop + warm-up

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

events=$("$BIN" -q --threads 1 --format csv "$SCEN" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "events") k = i } NR == 2 { print $k }')
: >/tmp/mmc_bench_sim.$$
: >/tmp/mmc_bench_ref.$$
i=0
while [ $i -lt "$RUNS" ]; do
    t0=$(now); "$BIN" -q --threads 1 --format csv "$SCEN" >/dev/null; t1=$(now)
    "$REF" "$TASKS" >/dev/null; t2=$(now)
    awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }" >>/tmp/mmc_bench_sim.$$
    awk -v a="$t1" -v b="$t2" "BEGIN { print b - a }" >>/tmp/mmc_bench_ref.$$
    i=$((i + 1))
done
sim=$(median </tmp/mmc_bench_sim.$$)
ref=$(median </tmp/mmc_bench_ref.$$)
rm -f /tmp/mmc_bench_sim.$$ /tmp/mmc_bench_ref.$$
awk -v e="$events" -v s="$sim" -v r="$ref" -v n="$RUNS" 'BEGIN {
    printf "bench: M/M/4 rho 0.9, %d events, median of %d runs, 1 thread\n", e, n
    printf "  mmcsim          %.3f s   %.2f M events/s\n", s, e / s / 1e6
    printf "  reference draws %.3f s   (GSL draws alone)\n", r
    printf "  ratio mmcsim / reference: %.2f\n", s / r
}'
if command -v valgrind >/dev/null 2>&1; then
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" -q --threads 1 --format csv \
        --set stop.tasks=200000 "$SCEN" 2>"$out" >/dev/null
    ev=$("$BIN" -q --threads 1 --format csv --set stop.tasks=200000 "$SCEN" |
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "events") k = i } NR == 2 { print $k }')
    ir=$(grep -o "refs: *[0-9,]*" "$out" | tr -d ', ' | cut -d: -f2)
    rm -f "$out"
    awk -v ir="$ir" -v e="$ev" 'BEGIN { printf "  callgrind: %d instructions for %d events = %.1f instructions/event (whole process)\n", ir, e, ir / e }'
fi
