#!/bin/sh
# make bench: mmcsim against a bare reference loop (tests/bench/bare.c), case
# by case, in the same invocation so that machine noise cancels in the ratio.
# Each case: events (calendar pops, counted the same way in both), median wall
# seconds of RUNS runs, events per second, ns per event, peak RSS, and the
# ratio mmcsim rate / bare rate. mmcsim runs one thread, one replication,
# every statistic on, no warm-up (so both simulate exactly the same tasks).
# Then peak memory at 10^6 and 10^8 tasks, the speed-up of -j 2 over -j 1,
# and instructions per event (callgrind), which is repeatable on a noisy
# machine: compare builds by that number.
# Usage: sh tests/bench/run.sh MMCSIM BARE
set -eu
BIN=$1
BARE=$2
RUNS=${RUNS:-5}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# scenario C RHO TASKS REPS: an M/M/c scenario file, mu = 1
scenario() {
    f="$T/c$1_$3_$4.yaml"
    printf 'model: mmc\narrival: {rate: %s}\nservice: {rate: 1}\nworkers: %s\nwarmup: none\nstop: {tasks: %s}\nreplications: %s\nseed: 1\n' \
        "$(awk -v c="$1" -v r="$2" 'BEGIN { printf "%.10g", c * r }')" "$1" "$3" "$4" >"$f"
    echo "$f"
}

# timed OUTFILE CMD...: run CMD, append "wall_s peak_kb" to OUTFILE
timed() {
    out=$1
    shift
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/stdout"
    cat "$T/time" >>"$out"
}

# the events column of the CSV's first row (a CSV reader: a warning may hold quoted commas)
events_of() { python3 -c 'import csv, sys; print(next(csv.DictReader(open(sys.argv[1])))["events"])' "$T/stdout"; }

# case NAME C RHO TASKS
case_row() {
    name=$1 c=$2 rho=$3 tasks=$4
    f=$(scenario "$c" "$rho" "$tasks" 1)
    : >"$T/sim" && : >"$T/bare"
    i=0
    while [ $i -lt "$RUNS" ]; do
        timed "$T/sim" "$BIN" -q -j 1 --format csv "$f"
        ev=$(events_of)
        timed "$T/bare" "$BARE" "$c" "$rho" "$tasks"
        bev=$(awk '{ print $2 }' "$T/stdout")
        i=$((i + 1))
    done
    s=$(cut -d' ' -f1 "$T/sim" | median)
    kb=$(cut -d' ' -f2 "$T/sim" | median)
    b=$(cut -d' ' -f1 "$T/bare" | median)
    awk -v n="$name" -v e="$ev" -v be="$bev" -v s="$s" -v b="$b" -v kb="$kb" 'BEGIN {
        printf "%-22s %11d %8.3f %8.2f %8.1f %8.1f %11d %8.3f %8.2f %7.2f\n",
            n, e, s, e / s / 1e6, s / e * 1e9, kb / 1024, be, b, be / b / 1e6, (e / s) / (be / b) }'
}

echo "mmcsim vs a bare M/M/c loop: median of $RUNS runs, 1 thread, all statistics on"
printf "%-22s %11s %8s %8s %8s %8s %11s %8s %8s %7s\n" case events wall_s Mev/s ns/ev rss_MB \
    bare_ev bare_s bareMev/s ratio
case_row "M/M/1 rho 0.9" 1 0.9 10000000
case_row "M/M/4 rho 0.9" 4 0.9 10000000
case_row "M/M/64 rho 0.95" 64 0.95 10000000
for c in 16 256 4096 65536; do
    case_row "M/M/$c rho 0.9" "$c" 0.9 10000000
done

# model_row NAME C RHO TASKS MODEL EXTRA: model MODEL (with the YAML line EXTRA) against model mmc
# at the same c, both timed in turn
model_row() {
    name=$1 c=$2 rho=$3 tasks=$4 model=$5 extra=$6
    f=$(scenario "$c" "$rho" "$tasks" 1)
    g="$T/${model}_${name}_${c}.yaml"
    sed "s/^model: mmc/model: $model/" "$f" >"$g"
    printf '%s\n' "$extra" >>"$g"
    : >"$T/model" && : >"$T/mmc"
    i=0
    while [ $i -lt "$RUNS" ]; do
        timed "$T/model" "$BIN" -q -j 1 --format csv "$g"
        pev=$(events_of)
        timed "$T/mmc" "$BIN" -q -j 1 --format csv "$f"
        mev=$(events_of)
        i=$((i + 1))
    done
    s=$(cut -d' ' -f1 "$T/model" | median)
    kb=$(cut -d' ' -f2 "$T/model" | median)
    m=$(cut -d' ' -f1 "$T/mmc" | median)
    awk -v n="$name c=$c" -v e="$pev" -v me="$mev" -v s="$s" -v m="$m" -v kb="$kb" 'BEGIN {
        printf "%-22s %11d %8.3f %8.2f %8.1f %8.1f %11d %8.3f %8.2f %7.2f\n",
            n, e, s, e / s / 1e6, s / e * 1e9, kb / 1024, me, m, me / m / 1e6, (e / s) / (me / m) }'
}

echo
echo "models push and pull (rho 0.9, 2000000 tasks) against model mmc at the same c: median of $RUNS runs"
printf "%-22s %11s %8s %8s %8s %8s %11s %8s %8s %7s\n" case events wall_s Mev/s ns/ev rss_MB \
    mmc_ev mmc_s mmcMev/s ratio
for c in 4 64 4096 65536; do
    for pol in round_robin random jsq power_of_d least_work hash; do
        model_row "$pol" "$c" 0.9 2000000 push "dispatch: {policy: $pol}"
    done
    model_row "pull rtt 0.01" "$c" 0.9 2000000 pull "pull: {rtt: 0.01}"
done

echo
echo "model steal (rho 0.9, 5000000 tasks) against model mmc at the same c: median of $RUNS runs"
printf "%-22s %11s %8s %8s %8s %8s %11s %8s %8s %7s\n" case events wall_s Mev/s ns/ev rss_MB \
    mmc_ev mmc_s mmcMev/s ratio
for c in 4 64 4096; do
    model_row "steal random" "$c" 0.9 5000000 steal "steal: {victim: random}"
    model_row "steal loaded" "$c" 0.9 5000000 steal "steal: {victim: most_loaded}"
    model_row "steal half" "$c" 0.9 5000000 steal "steal: {amount: half}"
    model_row "steal cost 0.01" "$c" 0.9 5000000 steal "steal: {cost: 0.01}"
done

echo
echo "model mmc with 3 priority classes (rho 0.9, 5000000 tasks) against plain mmc at the same c: median of $RUNS runs"
printf "%-22s %11s %8s %8s %8s %8s %11s %8s %8s %7s\n" case events wall_s Mev/s ns/ev rss_MB \
    mmc_ev mmc_s mmcMev/s ratio
CLASSES='classes: [{name: a, share: 0.3, priority: 0}, {name: b, share: 0.5, priority: 1}, {name: c, share: 0.2, priority: 2}]'
for c in 4 64 4096; do
    model_row "3 classes" "$c" 0.9 5000000 mmc "$CLASSES"
    model_row "3 classes resume" "$c" 0.9 5000000 mmc "$CLASSES
preemption: resume"
done

echo
echo "models push, pull and steal with 3 priority classes (rho 0.9, 5000000 tasks) against plain mmc at the same c: median of $RUNS runs"
printf "%-22s %11s %8s %8s %8s %8s %11s %8s %8s %7s\n" case events wall_s Mev/s ns/ev rss_MB \
    mmc_ev mmc_s mmcMev/s ratio
for c in 4 64 4096; do
    model_row "push random 3 cl" "$c" 0.9 5000000 push "dispatch: {policy: random}
$CLASSES"
    model_row "push jsq 3 cl" "$c" 0.9 5000000 push "dispatch: {policy: jsq}
$CLASSES"
    model_row "pull rtt 0.01 3 cl" "$c" 0.9 5000000 pull "pull: {rtt: 0.01}
$CLASSES"
    model_row "steal random 3 cl" "$c" 0.9 5000000 steal "steal: {victim: random}
$CLASSES"
done

# place_file N POLICY TASKS: model place, 8 optimistic threads, exponential decisions of mean 1,
# Poisson requests at 2.4 per unit (thread load 0.3 before conflicts: deterministic policies
# herd, every thread choosing the same worker, about 1.5 conflicts per request), N workers of 2
# slots, exponential lifetimes of mean N / 2 (the cluster 50-60 % full; 8 lifetimes per run at
# 10^6 requests)
place_file() {
    f="$T/place_$1_$2_$3.yaml"
    printf 'model: place\nworker_capacity: {cpu: 2}\nworkers: %s\nrequest: {cpu: 1}\nscheduler: {threads: 8, decision: {dist: exponential, mean: 1}}\nplacement: {policy: %s}\narrival: {rate: 2.4}\nservice: {dist: exponential, mean: %s}\nwarmup: none\nstop: {tasks: %s}\nreplications: 1\nseed: 1\n' \
        "$1" "$2" "$(awk -v n="$1" 'BEGIN { printf "%.10g", n / 2 }')" "$3" >"$f"
    echo "$f"
}

# decisions (commits and conflicted ones) in the CSV's first row
decisions_of() {
    python3 -c 'import csv, sys
r = next(csv.DictReader(open(sys.argv[1])))
print(round(int(r["tasks"]) + float(r["conflicts_per_request"]) * int(r["offered"])))' "$T/stdout"
}

# place_row N POLICY TASKS: model place against model mmc at c = 8 (the threads), rho 0.3 (10^7
# tasks: 10^6 take too little time to measure), both
# timed in turn; events per second and their ratio, decisions per second and ns per decision
place_row() {
    g=$(place_file "$1" "$2" "$3")
    f=$(scenario 8 0.3 10000000 1)
    : >"$T/model" && : >"$T/mmc"
    i=0
    while [ $i -lt "$RUNS" ]; do
        timed "$T/model" "$BIN" -q -j 1 --format csv "$g"
        pev=$(events_of)
        dec=$(decisions_of)
        timed "$T/mmc" "$BIN" -q -j 1 --format csv "$f"
        mev=$(events_of)
        i=$((i + 1))
    done
    s=$(cut -d' ' -f1 "$T/model" | median)
    kb=$(cut -d' ' -f2 "$T/model" | median)
    m=$(cut -d' ' -f1 "$T/mmc" | median)
    awk -v n="$2 N=$1" -v e="$pev" -v d="$dec" -v me="$mev" -v s="$s" -v m="$m" -v kb="$kb" 'BEGIN {
        printf "%-22s %11d %8.3f %8.2f %8.1f %11d %8.3f %8.1f %8.2f %7.2f\n",
            n, e, s, e / s / 1e6, kb / 1024, d, d / s / 1e6, s / d * 1e9, me / m / 1e6, (e / s) / (me / m) }'
}

echo
echo "model place (8 optimistic threads, 10^6 requests, cluster 50-60 % full) against model mmc at c = 8, rho 0.3, 10^7 tasks: median of $RUNS runs"
printf "%-22s %11s %8s %8s %8s %11s %8s %8s %8s %7s\n" case events wall_s Mev/s rss_MB \
    decisions Mdec/s ns/dec mmcMev/s ratio
for n in 20 1000 100000; do
    for pol in least_loaded best_fit first_fit power_of_two hash; do
        place_row "$n" "$pol" 1000000
    done
done

echo
echo "peak memory, M/M/4 rho 0.9, one run (median of $RUNS):"
for n in 1000000 100000000; do
    f=$(scenario 4 0.9 "$n" 1)
    : >"$T/mem"
    i=0
    while [ $i -lt "$RUNS" ]; do
        timed "$T/mem" "$BIN" -q -j 1 --format csv "$f"
        i=$((i + 1))
    done
    awk -v n="$n" -v kb="$(cut -d' ' -f2 "$T/mem" | median)" -v s="$(cut -d' ' -f1 "$T/mem" | median)" \
        'BEGIN { printf "  %11d tasks: peak RSS %.2f MB, %.2f s\n", n, kb / 1024, s }'
done

echo
echo "replications on threads, M/M/4 rho 0.9, 8 replications x 2000000 tasks (median of $RUNS):"
f=$(scenario 4 0.9 2000000 8)
for j in 1 2; do
    : >"$T/j$j"
    i=0
    while [ $i -lt "$RUNS" ]; do
        timed "$T/j$j" "$BIN" -q -j "$j" --format csv "$f"
        cp "$T/stdout" "$T/out$j.csv"
        i=$((i + 1))
    done
done
s1=$(cut -d' ' -f1 "$T/j1" | median)
s2=$(cut -d' ' -f1 "$T/j2" | median)
same=$(cmp -s "$T/out1.csv" "$T/out2.csv" && echo "byte-identical" || echo "DIFFERENT")
awk -v a="$s1" -v b="$s2" -v same="$same" 'BEGIN { printf "  -j 1 %.3f s, -j 2 %.3f s: speed-up %.2fx; output %s\n", a, b, a / b, same }'

if command -v valgrind >/dev/null 2>&1; then
    f=$(scenario 4 0.9 200000 1)
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" -q -j 1 --format csv "$f" \
        2>"$T/cg" >"$T/stdout"
    ir=$(grep -o "refs: *[0-9,]*" "$T/cg" | tr -d ', ' | cut -d: -f2)
    awk -v ir="$ir" -v e="$(events_of)" 'BEGIN { printf "\ncallgrind, M/M/4 rho 0.9, 200000 tasks: %.1f instructions/event (whole process)\n", ir / e }'
    # model place: instructions per decision, whole process and in the index alone (mmc_fit_*,
    # inclusive), at 1000 and 100000 workers: an indexed policy's cost must not grow with N
    # beyond the tree's log N
    echo "callgrind, model place as above, 100000 requests: instructions/decision (whole process; mmc_fit_* alone)"
    for pol in least_loaded best_fit first_fit power_of_two hash; do
        line="  $pol:"
        for n in 1000 100000; do
            g=$(place_file "$n" "$pol" 100000)
            valgrind --tool=callgrind --callgrind-out-file="$T/cg.out" "$BIN" -q -j 1 --format csv "$g" \
                2>"$T/cg" >"$T/stdout"
            ir=$(grep -o "refs: *[0-9,]*" "$T/cg" | tr -d ', ' | cut -d: -f2)
            fit=$(callgrind_annotate --inclusive=yes "$T/cg.out" 2>/dev/null |
                awk '/fittree[.]c:mmc_fit_(set|first|min_key|max_key) \[/ { gsub(",", "", $1); s += $1 } END { print s + 0 }')
            line=$(awk -v l="$line" -v n="$n" -v ir="$ir" -v f="$fit" -v d="$(decisions_of)" \
                'BEGIN { printf "%s  N=%d %.0f (%.0f)", l, n, ir / d, f / d }')
        done
        echo "$line"
    done
fi
