#!/bin/sh
# Command-line tests: exit codes, one-line errors with file:line:col, output
# formats, whole-or-nothing output files, reproducibility across thread
# counts. Usage: sh tests/cli.sh path/to/mmcsim
# MMC_WRAP (e.g. "valgrind --error-exitcode=99 -q") prefixes every run.
set -u
BIN=$1
WRAP=${MMC_WRAP:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
count=0
SHORT="--set stop.tasks=3000 --set warmup.tasks=300 --set replications=3 -q"

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# expect CODE PATTERN ARGS...: exit status CODE, stderr matching PATTERN (grep -E),
# and for errors exactly one line of stderr and nothing on stdout.
expect() {
    code=$1 pattern=$2
    shift 2
    count=$((count + 1))
    $WRAP "$BIN" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" -eq "$code" ] || { fail "mmcsim $* -> exit $rc, expected $code: $(head -c 300 "$T/err")"; return; }
    if [ -n "$pattern" ]; then
        grep -Eq -- "$pattern" "$T/err" || fail "mmcsim $*: stderr does not match /$pattern/: $(cat "$T/err")"
    fi
    if [ "$code" -ne 0 ]; then
        [ "$(wc -l <"$T/err")" -eq 1 ] || fail "mmcsim $*: expected one line on stderr, got: $(cat "$T/err")"
    fi
    if [ "$code" -eq 1 ] || [ "$code" -eq 2 ]; then
        [ -s "$T/out" ] && fail "mmcsim $*: printed output despite failing"
    fi
}

csv_cell() { # csv_cell FILE ROW COLUMN: one cell of a CSV without quoted commas
    awk -F, -v row="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) k = i }
        NR == row { print $k }' "$1"
}

scen() { # scen NAME TEXT: write a scenario file
    printf '%s\n' "$2" >"$T/$1.yaml"
}

GOOD='model: mmc
arrival: {rate: 45}
service: {rate: 50}
workers: [1, 2]
warmup: {tasks: 200}
stop: {tasks: 2000}
replications: 3'
scen good "$GOOD"

# --- usage errors: exit 1
expect 1 "missing SCENARIO" 
expect 1 "^mmcsim: unknown option --no-such-option" --no-such-option "$T/good.yaml"
expect 1 "^mmcsim: unknown option -x" -x "$T/good.yaml"
expect 1 "one scenario per run" "$T/good.yaml" "$T/good.yaml"
expect 0 "" --help
expect 0 "" --version
grep -q "^mmcsim [0-9]" "$T/out" || fail "--version prints 'mmcsim X.Y.Z'"

# --- bad option values: exit 2
expect 2 "--format: expected table, csv or json" --format xml "$T/good.yaml"
expect 2 "--seed: expected a whole number" --seed abc "$T/good.yaml"
expect 2 "--replications: expected a whole number" --replications 0 "$T/good.yaml"
expect 2 "--threads: expected a whole number" --threads -1 "$T/good.yaml"

# --- bad scenarios: exit 2, file:line:col
expect 2 "$T/missing.yaml: .*No such file" "$T/missing.yaml"
expect 2 "$T: " "$T"
scen malformed 'model: mmc
arrival: {rate: 45
service: {rate: 50}'
expect 2 "malformed.yaml:[0-9]+:[0-9]+: " "$T/malformed.yaml"
scen unknown "$(printf '%s\n' "$GOOD" | sed 's/^workers:/wokers:/')"
expect 2 "unknown.yaml:4:1: .*wokers.*did you mean .*workers" "$T/unknown.yaml"
scen wrongtype "$(printf '%s\n' "$GOOD" | sed 's/^workers: .*/workers: many/')"
expect 2 "wrongtype.yaml:4:10: workers: expected .*\"many\"" "$T/wrongtype.yaml"
scen zerorate "$(printf '%s\n' "$GOOD" | sed 's/rate: 50/rate: 0/')"
expect 2 "zerorate.yaml:3:17: service.rate: expected" "$T/zerorate.yaml"
scen negrate "$(printf '%s\n' "$GOOD" | sed 's/rate: 45/rate: -45/')"
expect 2 "negrate.yaml:2:17: arrival.rate: expected" "$T/negrate.yaml"
scen infrate "$(printf '%s\n' "$GOOD" | sed 's/rate: 45/rate: .inf/')"
expect 2 "infrate.yaml:2:17: arrival.rate: expected" "$T/infrate.yaml"
scen noworkers "$(printf '%s\n' "$GOOD" | sed 's/^workers: .*/workers: 0/')"
expect 2 "noworkers.yaml:4:10: workers: expected" "$T/noworkers.yaml"
scen noreps "$(printf '%s\n' "$GOOD" | sed 's/^replications: .*/replications: 0/')"
expect 2 "noreps.yaml:7:15: replications: expected" "$T/noreps.yaml"
scen listmem "$GOOD
mem_per_task: [1, 2]"
expect 2 "listmem.yaml:8:15: mem_per_task: expected a number" "$T/listmem.yaml"

# --- overrides
expect 2 "^mmcsim: --set:1:1: .*arival.*did you mean .*arrival" --set arival.rate=3 "$T/good.yaml"
expect 2 "^mmcsim: --set:1:9: workers: expected" --set workers=abc "$T/good.yaml"
expect 2 "^mmcsim: --set:4:1: expected KEY=VALUE" $SHORT --set workers "$T/good.yaml"
expect 2 "^mmcsim: --set:1:1: expected KEY=VALUE" --seed 3 --set workers "$T/good.yaml"
expect 1 "^mmcsim: option --format needs a value" "$T/good.yaml" --format
expect 0 "" $SHORT --set workers=3 --format csv "$T/good.yaml"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "--set workers=3 should give one CSV row"
expect 0 "" $SHORT --set 'workers=[1,2,8]' --format csv "$T/good.yaml"
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "--set workers=[1,2,8] should give three CSV rows"

# --- formats
expect 0 "" $SHORT --format csv "$T/good.yaml"
head -1 "$T/out" | grep -q "^scenario,variant,model,dispatch,class,workers,arrival_rate,service_rate,network_delay," ||
    fail "CSV header starts with the documented columns"
for col in utilization utilization_analytic throughput throughput_ci95 Lq Lq_ci95 Lq_analytic L \
    L_ci95 L_analytic Wq Wq_ci95 Wq_analytic W W_ci95 W_analytic T T_ci95 T_analytic P_wait \
    P_wait_analytic mem_mean_mb mem_peak_mb mem_expected_mb tasks replications verdict; do
    head -1 "$T/out" | tr ',' '\n' | grep -qx "$col" || fail "CSV lacks column $col"
done
expect 0 "" $SHORT --format json "$T/good.yaml"
grep -q '"scenario_hash": "fnv1a64:' "$T/out" || fail "JSON carries the scenario hash"
grep -q '"rng": "taus2"' "$T/out" || fail "JSON names the generator"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["points"])==2' "$T/out" ||
        fail "JSON does not parse"
fi
expect 0 "" --analytic --format csv "$T/good.yaml"
[ "$(csv_cell "$T/out" 2 Lq)" = "" ] || fail "--analytic leaves simulated cells empty"
[ "$(csv_cell "$T/out" 2 Lq_analytic)" = "8.1" ] || fail "--analytic: Lq_analytic at 1 worker is 8.1"
[ "$(csv_cell "$T/out" 2 utilization_analytic)" = "0.9" ] || fail "--analytic: utilization 0.9"
expect 0 "" $SHORT "$T/good.yaml"
grep -q "times in ms" "$T/out" || fail "table names its time unit"

# --- output files: whole or not at all
expect 0 "" $SHORT --format csv -o "$T/result.csv" "$T/good.yaml"
[ -s "$T/result.csv" ] && [ ! -e "$T/result.csv.tmp" ] || fail "--output writes the file whole"
expect 1 "nodir/x.csv" $SHORT -o "$T/nodir/x.csv" "$T/good.yaml"
expect 2 "" --set workers=0 -o "$T/never.csv" "$T/good.yaml"
[ -e "$T/never.csv" ] && fail "no output file after a bad scenario"

# --- reproducible whatever the thread count
$WRAP "$BIN" $SHORT --format csv --threads 1 "$T/good.yaml" >"$T/t1.csv"
$WRAP "$BIN" $SHORT --format csv --threads 2 "$T/good.yaml" >"$T/t2.csv"
$WRAP "$BIN" $SHORT --format json --threads 3 "$T/good.yaml" >"$T/t3.json"
$WRAP "$BIN" $SHORT --format json --threads 1 "$T/good.yaml" >"$T/t4.json"
cmp -s "$T/t1.csv" "$T/t2.csv" || fail "CSV differs between 1 and 2 threads"
cmp -s "$T/t3.json" "$T/t4.json" || fail "JSON differs between 3 and 1 threads"
count=$((count + 2))

# --- output analysis (issue 4)
expect 0 "" $SHORT --format csv "$T/good.yaml"
for col in T_p50 T_p90 T_p95 T_p99 T_p999 T_p99_ci95 T_p99_analytic Wq_p90 Wq_p99_ci95 \
    Lq_rel_error Lq_z method stop_reason warmup_tasks_cut max_queue worker_util_min \
    worker_util_max; do
    head -1 "$T/out" | tr ',' '\n' | grep -qx "$col" || fail "CSV lacks column $col"
done
expect 0 "" $SHORT --set warmup=auto --format csv "$T/good.yaml"
[ -n "$(csv_cell "$T/out" 2 warmup_tasks_cut)" ] || fail "warmup: auto reports the tasks it cut"
expect 0 "" $SHORT --compare --format csv "$T/good.yaml"
[ "$(csv_cell "$T/out" 2 compare_ref)" = "" ] && [ "$(csv_cell "$T/out" 3 compare_ref)" = "0" ] ||
    fail "--compare: the second point is compared with the first"
[ -n "$(csv_cell "$T/out" 3 T_diff_ci95)" ] || fail "--compare gives a paired interval"
expect 0 "" $SHORT --compare "$T/good.yaml"
grep -q "paired differences" "$T/out" || fail "--compare prints the paired differences"
# --validate on a correct simulator: runs long enough for honest intervals
# (10 x 20000 tasks; 3 x 3000 at rho 0.9 under-cover, see README)
expect 0 "" --set stop.tasks=20000 --set warmup.tasks=1000 --set replications=10 -q --validate \
    "$T/good.yaml"
# 5000 tasks queued at the start and a one-task warm-up: the closed form cannot agree, and the
# report says why instead of judging (verdict too-short, warning short-warmup)
expect 0 "" $SHORT --validate --set 'initial={in_system: 5000}' --set warmup.tasks=1 \
    --format csv "$T/good.yaml"
[ "$(csv_cell "$T/out" 2 verdict)" = "too-short" ] || fail "a backlog left in: verdict too-short"
case "$(csv_cell "$T/out" 3 warnings)" in short-warmup) ;; *) fail "a backlog left in: short-warmup" ;; esac
# --validate fails (exit 3) on a differs verdict and still writes the report. A correct
# simulator differs by chance in 5 % of runs (the family-wise level): seed 20 is one of them
# (2 of seeds 1-60 here; a change to the random streams or the estimators moves it)
expect 3 "validate" -q --validate --seed 20 --set stop.tasks=20000 --set warmup=auto \
    --set replications=10 "$T/good.yaml"
[ -s "$T/out" ] || fail "--validate still writes the report"
expect 0 "" $SHORT --set 'initial={in_system: 5000}' --set warmup.tasks=1 "$T/good.yaml"
expect 0 "" $SHORT --set stop.precision=0.05 --format csv "$T/good.yaml"
[ "$(csv_cell "$T/out" 2 stop_reason)" = "precision" ] || fail "stop.precision: stops at precision"
expect 0 "" $SHORT --set control_variates=true --set replications=10 --format csv "$T/good.yaml"
[ -n "$(csv_cell "$T/out" 2 T_cv_reduction)" ] || fail "control_variates reports the reduction"
expect 0 "" -q --set method=batch-means --set replications=1 --set stop.tasks=30000 --format csv \
    "$T/good.yaml"
[ "$(csv_cell "$T/out" 2 method)" = "batch-means" ] || fail "batch-means says so in the method column"
[ -n "$(csv_cell "$T/out" 2 batches)" ] || fail "batch-means reports its batch count"
expect 2 "batch-means needs stop" --set method=batch-means --set replications=1 "$T/good.yaml"

# --- the what-if scenarios: every variant runs, side by side, one row each
variant_rows() { # variant_rows SCENARIO NAME...: a table with a variant column and a row per NAME
    what=$1
    shift
    grep -q "^variant " "$T/out" || fail "$what: the table has no variant column"
    for v in "$@"; do
        count=$((count + 1))
        awk -v v="$v" '$1 == v { found = 1 } END { exit !found }' "$T/out" ||
            fail "$what: no row for variant $v"
    done
}
expect 0 "" -q --replications 2 --set stop.tasks=2000 scenarios/bursty.yaml
variant_rows bursty poisson h2-scv4 h2-scv16 mmpp
expect 0 "" -q --replications 2 --set stop.tasks=2000 --format csv scenarios/bursty.yaml
[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "variant") k = i }
    NR > 1 { printf "%s%s", (NR > 2 ? " " : ""), $k }' "$T/out")" = "poisson h2-scv4 h2-scv16 mmpp" ] ||
    fail "bursty: CSV rows are the four variants in order"
expect 0 "" -q --replications 2 --set stop.time=400 scenarios/overload.yaml
variant_rows overload unprotected queue-limit shed-oldest throttle patience more-workers
grep -q "waits by arrival interval" "$T/out" || fail "overload: no per-interval table"
grep -q "^overload protection" "$T/out" || fail "overload: no overload protection table"
expect 0 "" -q --replications 2 scenarios/trace_replay.yaml
variant_rows trace_replay as-recorded x1.2 x1.5 recorded-work
# service: {dist: trace} takes the service column of the arrival trace, or nothing
scen untraced 'model: mmc
arrival: {rate: 45}
service: {dist: trace}
workers: 2'
expect 2 "^mmcsim: $T/untraced.yaml:3:10: service: dist: trace needs arrival: \{trace: FILE\}$" \
    "$T/untraced.yaml"
printf 'timestamp\n0\n1\n2.5\n' >"$T/arrivals.csv"
scen nocolumn 'model: mmc
arrival: {trace: arrivals.csv}
service: {dist: trace}
workers: 2'
expect 2 "^mmcsim: $T/nocolumn.yaml:3:10: service: dist: trace needs a second column \(service times\) in arrivals.csv$" \
    "$T/nocolumn.yaml"
scen variantuntraced 'model: mmc
arrival: {rate: 45}
service: {rate: 50}
workers: 2
variants:
  - {name: drawn}
  - {name: replayed, service: {dist: trace}}'
expect 2 "^mmcsim: $T/variantuntraced.yaml:7:31: service: dist: trace needs arrival" \
    "$T/variantuntraced.yaml"

# --- the seeds' published model tables, end to end (--analytic, rounded as published)
published() { # published SCENARIO COLUMN SCALE DECIMALS EXPECTED...
    f=$1 col=$2 scale=$3 dec=$4
    shift 4
    count=$((count + 1))
    got=$($WRAP "$BIN" --analytic --format csv "scenarios/$f.yaml" |
        awk -F, -v name="$col" -v s="$scale" -v d="$dec" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) k = i }
            NR > 1 { printf "%s%.*f", (NR > 2 ? " " : ""), d, $k * s }')
    [ "$got" = "$*" ] || fail "$f $col: got $got, published $*"
}
published high_load utilization_analytic 1 2 0.90 0.45 0.30 0.23
published high_load Lq_analytic 1 2 8.10 0.23 0.03 0.00
published capacity_95 Lq_analytic 1 2 18.05 17.59 16.94 16.04
published delay_50_80 T_analytic 1000 2 38.33 18.85 17.64 17.51
published delay_50_80 Lq_analytic 1 2 1.04 0.07 0.01 0.00
published delay_80_100 T_analytic 1000 2 55.00 16.90 15.24 15.03
published delay_80_100 Lq_analytic 1 2 3.20 0.15 0.02 0.00
published delay_120_150 T_analytic 1000 2 38.33 12.94 11.82 11.69
published delay_120_150 Lq_analytic 1 2 3.20 0.15 0.02 0.00

# --- issue 13 (6-8): an error made by a combination of keys or by a variant is one line at
# the key that made it (--set:N:col for an override), exit 2
expect_line() { # expect_line LINE ARGS...: exit 2 with exactly LINE on stderr
    want=$1
    shift
    expect 2 "" "$@"
    count=$((count + 1))
    [ "$(cat "$T/err")" = "$want" ] || fail "mmcsim $*: expected '$want', got '$(cat "$T/err")'"
}
scen bm 'model: mmc
arrival: {rate: 45}
service: {rate: 50}
workers: 2
method: batch-means'
scen bmcap "$(cat "$T/bm.yaml")
capacity: 5"
expect_line "mmcsim: $T/bmcap.yaml:6:11: capacity: not with method: batch-means, which does not measure losses; use method: replications" \
    "$T/bmcap.yaml"
expect_line "mmcsim: --set:1:10: capacity: not with method: batch-means, which does not measure losses; use method: replications" \
    --set capacity=5 "$T/bm.yaml"
expect_line "mmcsim: --set:3:8: method: batch-means does not measure losses, and capacity is set; use method: replications" \
    --set method=replications --set capacity=5 --set method=batch-means "$T/bm.yaml"
expect_line "mmcsim: --set:1:6: stop: expected a whole number >= 2400 with method: batch-means (10 tasks for each of 30 x 8 fine batches), got \"1000\"" \
    --set stop=1000 "$T/bm.yaml"
expect_line "mmcsim: --set:1:8: warmup: expected a warm-up (method: batch-means measures a steady state; or use initial: stationary), got \"none\"" \
    --set warmup=none "$T/bm.yaml"
scen stationary 'model: mmc
arrival: {rate: 45}
service: {dist: gamma, scv: 2, rate: 50}
workers: 2
initial: stationary'
expect_line "mmcsim: $T/stationary.yaml:5:10: initial: stationary needs exponential arrival and service times and no overload protection (the stationary law is known only for M/M/c), got service.dist: gamma; use warmup: auto" \
    "$T/stationary.yaml"
expect_line "mmcsim: --set:2:14: arrival.dist: expected exponential with initial: stationary (the stationary law is known only for M/M/c), got \"uniform\"" \
    --set initial=stationary --set arrival.dist=uniform --set arrival.scv=0.2 "$T/good.yaml"
scen h2base 'model: mmc
arrival: {rate: 1}
service: {dist: hyperexponential, probs: [0.5, 0.5], rates: [1, 5]}
workers: 2
variants:
  - {name: a}
  - {name: b, service: {dist: exponential}}'
expect_line "mmcsim: $T/h2base.yaml:7:24: service: expected a rate or a mean (variant \"b\")" \
    -q "$T/h2base.yaml"
scen schedbase 'model: mmc
arrival: {schedule: {times: [0, 10], rates: [1, 2]}}
service: {rate: 5}
workers: 2
variants:
  - {name: a}
  - {name: b, arrival: {dist: gamma, scv: 2}}'
expect_line "mmcsim: $T/schedbase.yaml:7:24: arrival: expected a rate, a load or a mean (variant \"b\")" \
    -q "$T/schedbase.yaml"
scen h3 'model: mmc
arrival: {rate: 1}
service: {dist: hyperexponential, probs: [0.2, 0.3, 0.5], rates: [1, 5, 25]}
workers: 2'
expect_line "mmcsim: $T/h3.yaml:3:42: service.probs: expected a list of two numbers, got a list of 3" \
    "$T/h3.yaml"

# --- model: push: its dispatch block, and what it does not take yet; exit 2 at the key read last
expect 0 "" $SHORT --set model=push --set dispatch.policy=jsq --format csv "$T/good.yaml"
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "--set model=push --set dispatch.policy=jsq should give two CSV rows"
scen mmcdispatch "$GOOD
dispatch: {policy: jsq}"
expect_line "mmcsim: $T/mmcdispatch.yaml:8:11: dispatch: only model: push dispatches tasks (model is mmc)" \
    "$T/mmcdispatch.yaml"
expect_line "mmcsim: --set:1:7: model: mmc does not dispatch tasks, and dispatch is set; use model: push" \
    --set model=mmc "$T/mmcdispatch.yaml"
expect_line "mmcsim: --set:2:9: initial: stationary is not available with model: push (no exact stationary law is known for it; use warmup: auto)" \
    --set model=push --set initial=stationary "$T/good.yaml"
expect_line "mmcsim: --set:2:1: unknown key \"dispatch.polcy\" (did you mean \"dispatch.policy\"?)" \
    --set model=push --set dispatch.polcy=jsq "$T/good.yaml"
expect_line "mmcsim: --set:3:12: dispatch.d: expected at most the number of workers (1), got \"3\"" \
    --set model=push --set dispatch.policy=power_of_d --set dispatch.d=3 "$T/good.yaml"

# --- model: pull: seed 001's high-load run pulled across a 1 ms round trip; its block elsewhere
expect 0 "" $SHORT --set model=pull --set pull.rtt=0.001 --format csv scenarios/high_load.yaml
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "--set model=pull on high_load.yaml should give four CSV rows"
[ "$(csv_cell "$T/out" 2 model)" = pull ] || fail "--set model=pull: the model column should say pull"
expect_line "mmcsim: --set:1:10: pull.rtt: expected a finite number >= 0, got \"-1\"" \
    --set pull.rtt=-1 --set model=pull "$T/good.yaml"
expect_line "mmcsim: --set:1:1: pull: only model: pull pulls tasks (model is mmc)" \
    --set pull.rtt=0.001 "$T/good.yaml"

# --- traced service times under every model: least work and a zero round trip are one FCFS
# queue, so the replay is model mmc's, digit for digit (every variant, incl. recorded work)
replay_figures() {
    for row in 2 3 4 5; do
        for col in Wq T Lq P_wait throughput; do printf '%s ' "$(csv_cell "$T/out" $row $col)"; done
    done
}
expect 0 "" --set replications=2 --format csv scenarios/trace_replay.yaml
mmc_replay=$(replay_figures)
case $mmc_replay in *[0-9].[0-9]*) ;; *) fail "trace replay: no figures read ($mmc_replay)" ;; esac
expect 0 "" --set model=push --set dispatch.policy=least_work --set replications=2 --format csv \
    scenarios/trace_replay.yaml
[ "$(replay_figures)" = "$mmc_replay" ] || fail "trace replay: push with least_work should replay as model mmc"
expect 0 "" --set model=pull --set replications=2 --format csv scenarios/trace_replay.yaml
[ "$(replay_figures)" = "$mmc_replay" ] || fail "trace replay: pull with no round trip should replay as model mmc"

# with stealing at cost 0 the pool is work-conserving and services are drawn as they start: the
# number in system is model mmc's path, so the variants with drawn services have its Lq, P(wait)
# and throughput to the digit (the waits, summed in another order, only to rounding)
count_figures() {
    for row in 2 3 4; do
        for col in Lq P_wait throughput; do printf '%s ' "$(csv_cell "$T/out" $row $col)"; done
    done
}
expect 0 "" --set replications=2 --format csv scenarios/trace_replay.yaml
mmc_counts=$(count_figures)
expect 0 "" --set model=steal --set replications=2 --format csv scenarios/trace_replay.yaml
[ "$(count_figures)" = "$mmc_counts" ] || fail "trace replay: steal at cost 0 should have model mmc's number in system"

# --- model: steal: seed 001's high-load run; its block, its columns, and what it refuses
expect 0 "" $SHORT --set model=steal --set steal.victim=none --format csv scenarios/high_load.yaml
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "--set model=steal on high_load.yaml should give four CSV rows"
[ "$(csv_cell "$T/out" 2 model)" = steal ] || fail "--set model=steal: the model column should say steal"
[ "$(csv_cell "$T/out" 3 steals_per_task)" = 0 ] || fail "steal.victim: none should steal nothing"
[ "$(csv_cell "$T/out" 3 first_worker_share)" = 1 ] || fail "steal.victim: none serves every task where it arrived"
expect 0 "" $SHORT --format csv "$T/good.yaml"
[ -z "$(csv_cell "$T/out" 2 steals_per_task)" ] || fail "model mmc: steals_per_task should be empty"
expect_line "mmcsim: --set:2:14: steal.victim: expected random or none with one worker (most_loaded steals from another worker; workers includes 1), got \"most_loaded\"" \
    --set model=steal --set steal.victim=most_loaded "$T/good.yaml"
scen stealml "$(printf '%s\n' "$GOOD" | sed 's/^model: mmc/model: steal/')
steal: {victim: most_loaded, cost: 0.001}"
expect_line "mmcsim: $T/stealml.yaml:8:17: steal.victim: expected random or none with one worker (most_loaded steals from another worker; workers includes 1), got \"most_loaded\"" \
    "$T/stealml.yaml"
expect 0 "" $SHORT --set workers=2 "$T/stealml.yaml"
expect_line "mmcsim: --set:2:1: unknown key \"steal.victm\" (did you mean \"steal.victim\"?)" \
    --set model=steal --set steal.victm=random "$T/good.yaml"
expect_line "mmcsim: --set:2:13: steal.order: unknown order \"stack\" (known: lifo, fifo)" \
    --set model=steal --set steal.order=stack "$T/good.yaml"
expect_line "mmcsim: --set:2:12: steal.cost: expected a finite number >= 0, got \"-0.1\"" \
    --set model=steal --set steal.cost=-0.1 "$T/good.yaml"
expect_line "mmcsim: --set:1:7: model: mmc does not steal tasks, and steal is set; use model: steal" \
    --set model=mmc "$T/stealml.yaml"
scen mmcsteal "$GOOD
steal: {cost: 0.001}"
expect_line "mmcsim: $T/mmcsteal.yaml:8:8: steal: only model: steal steals tasks (model is mmc)" \
    "$T/mmcsteal.yaml"
expect_line "mmcsim: --set:2:10: patience: not available with model: steal (a waiting task may move to another worker's deque; abandonment is not modelled there)" \
    --set model=steal --set 'patience={rate: 2}' "$T/good.yaml"
expect_line "mmcsim: --set:2:9: initial: stationary is not available with model: steal (no exact stationary law is known for it; use warmup: auto)" \
    --set model=steal --set initial=stationary "$T/good.yaml"

# --- priority classes: one row per class, and what is refused
scen cls "$GOOD
classes: [{name: hi, share: 0.3, priority: 0}, {name: lo, share: 0.7, priority: 1}]"
expect 0 "" $SHORT --format csv "$T/cls.yaml"
[ "$(wc -l <"$T/out")" -eq 7 ] || fail "two points with two classes should give six CSV rows"
[ "$(csv_cell "$T/out" 3 class)" = hi ] || fail "the row after a point's is its first class's"
[ -z "$(csv_cell "$T/out" 2 class)" ] || fail "a point's own row has an empty class"
[ "$(csv_cell "$T/out" 3 priority_inversions_per_1000)" = 0 ] || fail "a central queue inverts no priority"
expect_line "mmcsim: --set:1:9: classes: the shares sum to 0.90000000000000002; expected 1 (within 1e-9)" \
    --set 'classes=[{name: a, share: 0.4, priority: 0}, {name: b, share: 0.5, priority: 1}]' "$T/good.yaml"
expect_line "mmcsim: --set:1:53: classes[1].name: \"a\" is the name of classes[0] already" \
    --set 'classes=[{name: a, share: 0.5, priority: 0}, {name: a, share: 0.5, priority: 1}]' "$T/good.yaml"
expect_line "mmcsim: --set:1:40: classes[0].priority: expected a whole number >= 0, got \"-1\"" \
    --set 'classes=[{name: a, share: 1, priority: -1}]' "$T/good.yaml"
expect_line "mmcsim: --set:1:10: missing key \"classes[0].priority\"" \
    --set 'classes=[{name: a, share: 1}]' "$T/good.yaml"
expect_line "mmcsim: --set:1:30: classes[0]: give share or rate, not both" \
    --set 'classes=[{name: a, share: 1, rate: 3, priority: 0}]' "$T/good.yaml"
expect_line "mmcsim: $T/cls.yaml:2:1: arrival: the classes give their own rates (Poisson streams); leave arrival out, or give the classes shares" \
    --set 'classes=[{name: a, rate: 1, priority: 0}]' "$T/cls.yaml"
expect_line "mmcsim: --set:1:1: preemption: only with classes" --set preemption=resume "$T/good.yaml"
expect_line "mmcsim: --set:1:12: preemption: unknown preemption \"always\" (known: none, resume)" \
    --set preemption=always "$T/cls.yaml"
expect_line "mmcsim: --set:1:8: method: batch-means: not with classes (class rows are aggregated over replications)" \
    --set method=batch-means --set replications=1 "$T/cls.yaml"
expect_line "mmcsim: --set:1:10: capacity: not with classes (protection is not simulated with classes yet)" \
    --set capacity=5 "$T/cls.yaml"
# model pull with classes: a row per class; with no round trip, model mmc's report (but the
# model's name), with one the reply's trip inverts priorities; preemption is refused either way
expect 0 "" $SHORT --set model=pull --set pull.rtt=0.001 --format csv "$T/cls.yaml"
[ "$(wc -l <"$T/out")" -eq 7 ] || fail "model pull: two points with two classes should give six CSV rows"
[ "$(csv_cell "$T/out" 3 class)" = hi ] && [ "$(csv_cell "$T/out" 4 class)" = lo ] ||
    fail "model pull: a point's rows should be followed by its classes' in order"
[ "$(csv_cell "$T/out" 3 priority_inversions_per_1000)" = 0 ] || fail "model pull: nothing outranks the top class"
[ "$(csv_cell "$T/out" 4 priority_inversions_per_1000)" != 0 ] || fail "model pull: a round trip should invert priorities"
[ "$(csv_cell "$T/out" 4 closed_form)" = none ] || fail "model pull: a round trip leaves a class no closed form"
expect 0 "" $SHORT --format csv "$T/cls.yaml"
sed 's/,mmc,/,pull,/' "$T/out" >"$T/cls_mmc.csv"
expect 0 "" $SHORT --set model=pull --format csv "$T/cls.yaml"
cmp -s "$T/out" "$T/cls_mmc.csv" || fail "model pull with rtt 0 and classes should report what model mmc does"
expect_line "mmcsim: --set:2:12: preemption: resume is not available with model: pull (the queue cannot interrupt a task a remote worker has taken)" \
    --set model=pull --set preemption=resume "$T/cls.yaml"
expect_line "mmcsim: --set:2:7: model: pull does not take preemption: resume (the queue cannot interrupt a task a remote worker has taken)" \
    --set preemption=resume --set model=pull "$T/cls.yaml"
# model steal with classes: a row per class; the pool's steal figures on the point's row only;
# one worker has model mmc's class forms, two stealing workers none; preemption is refused
expect 0 "" $SHORT --set model=steal --format csv "$T/cls.yaml"
[ "$(wc -l <"$T/out")" -eq 7 ] || fail "model steal: two points with two classes should give six CSV rows"
[ "$(csv_cell "$T/out" 3 class)" = hi ] && [ "$(csv_cell "$T/out" 4 class)" = lo ] ||
    fail "model steal: a point's rows should be followed by its classes' in order"
[ "$(csv_cell "$T/out" 3 priority_inversions_per_1000)" = 0 ] || fail "model steal: nothing outranks the top class"
[ -n "$(csv_cell "$T/out" 5 steals_per_task)" ] || fail "model steal with classes: the point's row should count steals"
[ -z "$(csv_cell "$T/out" 6 steals_per_task)" ] && [ -z "$(csv_cell "$T/out" 6 first_worker_share)" ] ||
    fail "model steal: a class's row should leave the pool's steal figures empty"
[ "$(csv_cell "$T/out" 3 closed_form)" != none ] || fail "model steal: one worker with classes should have a closed form"
[ "$(csv_cell "$T/out" 6 closed_form)" = none ] || fail "model steal: stealing leaves a class no closed form"
expect_line "mmcsim: --set:2:12: preemption: resume is not available with model: steal (a task a worker has started is not interrupted)" \
    --set model=steal --set preemption=resume "$T/cls.yaml"
expect_line "mmcsim: --set:2:7: model: steal does not take preemption: resume (a task a worker has started is not interrupted)" \
    --set preemption=resume --set model=steal "$T/cls.yaml"
scen clssteal "$(printf '%s\n' "$GOOD" | sed 's/^model: mmc/model: steal/')
classes: [{name: hi, share: 0.3, priority: 0}, {name: lo, share: 0.7, priority: 1}]
preemption: resume"
expect_line "mmcsim: $T/clssteal.yaml:9:13: preemption: resume is not available with model: steal (a task a worker has started is not interrupted)" \
    "$T/clssteal.yaml"
expect 0 "" $SHORT --set preemption=none "$T/clssteal.yaml"
# --- finite workloads: makespan, speedup, efficiency (issue 16). 16 deterministic tasks of 10 ms
# at one epoch, no overhead: c workers take exactly 160/c ms, so speedup c and efficiency 1, for
# every model; a steady-state point leaves the three columns empty
cell() { # cell FILE ROW COLUMN: one cell of a CSV (quoted commas allowed)
    python3 -c 'import csv, sys; print(list(csv.reader(open(sys.argv[1])))[int(sys.argv[2]) - 1][list(csv.reader(open(sys.argv[1])))[0].index(sys.argv[3])])' "$1" "$2" "$3"
}
near() { # near VALUE EXPECTED: |VALUE - EXPECTED| <= 1e-9 (1 + |EXPECTED|)
    awk -v v="$1" -v e="$2" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(v != "" && d <= 1e-9 * (1 + (e < 0 ? -e : e))) }'
}
scen batch16 'model: mmc
arrival: {dist: deterministic, rate: 0.001, batch: {size: 16}}
service: {dist: deterministic, mean: 0.01}
workers: [1, 2, 4, 8]
stop: {time: 1}
warmup: none
replications: 2'
for m in mmc steal push pull; do
    expect 0 "" -q --set model=$m --format csv "$T/batch16.yaml"
    for row in 2 3 4 5; do
        c=$((1 << (row - 2)))
        ms=$(cell "$T/out" $row makespan) sp=$(cell "$T/out" $row speedup) ef=$(cell "$T/out" $row efficiency)
        near "$ms" "$(awk -v c=$c 'BEGIN { print 0.16 / c }')" || fail "model $m, 16 x 10 ms on $c workers: makespan $ms, expected $((160 / c)) ms"
        near "$sp" $c || fail "model $m, 16 x 10 ms on $c workers: speedup $sp, expected $c"
        near "$ef" 1 || fail "model $m, 16 x 10 ms on $c workers: efficiency $ef, expected 1"
        [ "$(cell "$T/out" $row makespan_ci95)" = 0 ] || fail "model $m: a deterministic batch has makespan_ci95 0"
    done
done
# a held delay is the worker's time, not the task's work: 16 x (10 + 2) ms on 4 workers, 48 ms,
# speedup 160 / 48; a transit delay d is paid once: 40 ms + d
expect 0 "" -q --set workers=4 --set 'network_delay={value: 0.002, where: held}' --format csv "$T/batch16.yaml"
near "$(cell "$T/out" 2 makespan)" 0.048 || fail "held 2 ms: makespan should be 48 ms"
near "$(cell "$T/out" 2 speedup)" "$(awk 'BEGIN { printf "%.17g", 160 / 48 }')" || fail "held 2 ms: speedup should be 160/48"
expect 0 "" -q --set workers=4 --set network_delay=0.003 --format csv "$T/batch16.yaml"
near "$(cell "$T/out" 2 makespan)" 0.043 || fail "transit 3 ms: makespan should be 43 ms"
# seed 004's scenario: 10 x 10 ms on 4 workers is three rounds, 30 ms without overhead (the
# seed's "3.3x"), 34.5 ms with its 4.5 ms submit overhead; 16 tasks on 8 workers 24.5 ms
expect 0 "" -q --set network_delay=0 --format csv scenarios/work_stealing.yaml
near "$(cell "$T/out" 6 makespan)" 0.03 || fail "10 x 10 ms on 4 workers: makespan should be 30 ms"
near "$(cell "$T/out" 6 speedup)" "$(awk 'BEGIN { printf "%.17g", 10 / 3 }')" || fail "10 x 10 ms on 4 workers: speedup should be 10/3"
expect 0 "" -q --format csv scenarios/work_stealing.yaml
near "$(cell "$T/out" 6 makespan)" 0.0345 || fail "work_stealing.yaml: 10 x 10 ms with 4.5 ms submit overhead takes 34.5 ms"
near "$(cell "$T/out" 5 speedup)" "$(awk 'BEGIN { printf "%.17g", 160 / 24.5 }')" || fail "work_stealing.yaml: 16 tasks on 8 workers, speedup 160 / 24.5"
expect 0 "" -q scenarios/work_stealing.yaml
grep -q "finite workload: makespan 24.500 ± 0.000 ms" "$T/out" || fail "the table should show the finite workload line"
expect 0 "" $SHORT --format csv "$T/good.yaml"
for col in makespan makespan_ci95 speedup speedup_ci95 efficiency efficiency_ci95; do
    [ -z "$(cell "$T/out" 2 $col)" ] || fail "a steady-state point should leave $col empty"
done
# --- model: place: seed 003's container scheduler; its blocks, its columns, what it refuses
scen place 'model: place
worker_capacity: {cpu: 10, mem_mb: 20480}
request: {cpu: 0.1, mem_mb: 256}
scheduler: {threads: 4, decision: {dist: exponential, mean: 0.003}}
placement: {policy: hash}
arrival: {dist: deterministic, rate: 0.001, batch: {size: 100}}
service: {mean: 3600}
workers: 20
stop: {time: 1}
warmup: none
replications: 3'
expect 0 "" -q --format csv "$T/place.yaml"
[ "$(csv_cell "$T/out" 2 model)" = place ] || fail "model: place: the model column should say place"
[ "$(csv_cell "$T/out" 2 workers)" = 20 ] || fail "model: place: workers should be the cluster's 20"
[ "$(csv_cell "$T/out" 2 threads)" = 4 ] || fail "model: place: threads should be 4"
[ -n "$(csv_cell "$T/out" 2 conflicts_per_request)" ] || fail "model: place: conflicts_per_request should be set"
[ -n "$(csv_cell "$T/out" 2 makespan)" ] || fail "model: place: a batch should have a makespan"
expect 0 "" --set scheduler.threads=1 -q --format csv "$T/place.yaml"
[ "$(csv_cell "$T/out" 2 conflicts_per_request)" = 0 ] || fail "one scheduler thread should never conflict"
expect 0 "" $SHORT --format csv "$T/good.yaml"
[ -z "$(csv_cell "$T/out" 2 threads)" ] || fail "model mmc: threads should be empty"
[ -z "$(csv_cell "$T/out" 2 util_cpu)" ] || fail "model mmc: util_cpu should be empty"
expect_line "mmcsim: --set:1:9: request: larger than every worker (it could never be placed)" \
    --set 'request={cpu: 11}' "$T/place.yaml"
expect_line "mmcsim: --set:1:10: request.gpu: no worker has gpu" \
    --set 'request={gpu: 1}' "$T/place.yaml"
expect_line "mmcsim: --set:1:19: scheduler.threads: expected a whole number >= 1, got \"0\"" \
    --set scheduler.threads=0 "$T/place.yaml"
expect_line "mmcsim: --set:1:23: scheduler.max_retries: expected a whole number >= 0, got \"-1\"" \
    --set scheduler.max_retries=-1 "$T/place.yaml"
expect_line "mmcsim: --set:1:23: worker_capacity.cpu: expected a finite number > 0, got \"-1\"" \
    --set 'worker_capacity={cpu: -1}' "$T/place.yaml"
expect_line "mmcsim: --set:1:18: placement.policy: unknown policy \"spread\" (known: first_fit, best_fit, least_loaded, power_of_two, random, hash)" \
    --set placement.policy=spread "$T/place.yaml"
expect_line "mmcsim: --set:1:7: model: mmc does not place tasks, and worker_capacity is set; use model: place" \
    --set model=mmc "$T/place.yaml"
expect_line "mmcsim: --set:1:10: capacity: not available with model: place (the cluster's room limits it; scheduler.on_full: reject blocks what does not fit)" \
    --set capacity=50 "$T/place.yaml"
expect_line "mmcsim: --set:2:8: method: batch-means does not measure losses, and scheduler.on_full is reject; use method: replications" \
    --set scheduler.on_full=reject --set method=batch-means --set replications=1 --set stop=10000 "$T/place.yaml"

expect 0 "" $SHORT "$T/good.yaml"
grep -q "finite workload" "$T/out" && fail "a steady-state table should have no finite workload line"

# --- mmcsim plan (issue 18, step 1): the M/M/c closed form's smallest count, headroom, what-ifs.
# high_load (lambda 45, mu 50): T.p99 is 0.09333 s at 3 workers and 0.1075 s at 2 (an
# independent bisection on the hypoexponential mixture's tail agrees to 1e-10); 3 workers meet
# T.p99 <= 0.1 up to lambda 76.7513/s.
expect 0 "" plan --closed-form scenarios/high_load.yaml --slo 'T.p99<=0.1'
grep -q "^lambda 45/s, mu 50/s, d 0 s (a = 0.9 Erlangs): 3 workers (closed form, not yet confirmed by simulation)$" "$T/out" ||
    fail "plan high_load T.p99<=0.1: expected 3 workers: $(cat "$T/out")"
grep -q "^  simulation" "$T/out" && fail "plan --closed-form: simulated"
grep -Eq "^  T.p99 +<= 0.1 +0.09333 +yes +0.1075 +no +0.006669 \(6.7 %\)$" "$T/out" ||
    fail "plan high_load: the figures at 3 and 2 workers: $(cat "$T/out")"
grep -q "^  headroom: 3 workers meet every term up to lambda 76.7513/s (+70.6 %)$" "$T/out" ||
    fail "plan high_load: the headroom: $(cat "$T/out")"
# a 10 % longer service alone has a p99 of 0.1013 s: no count meets the term then
grep -Eq "^    service \+10 % +0.1031 +fails +none <= 1000000$" "$T/out" ||
    fail "plan high_load: the service +10 % what-if: $(cat "$T/out")"
grep -Eq "^    arrival \+10 % +0.09377 +meets +3$" "$T/out" ||
    fail "plan high_load: the arrival +10 % what-if: $(cat "$T/out")"
cp "$T/out" "$T/plan.out"
expect 0 "" plan --closed-form -o "$T/plan.txt" scenarios/high_load.yaml --slo 'T.p99<=0.1'
cmp -s "$T/plan.txt" "$T/plan.out" || fail "plan -o: not the plan printed on stdout"
[ -s "$T/out" ] && fail "plan -o: printed the plan on stdout too"
# confirmed by simulation (the scenario's 10 replications, precision rule on T): T.p99 at 3
# workers 0.09362 +- 0.00038, at 2 workers 0.1078 +- 0.00052; the same for any thread count
expect 0 "" plan -j 1 scenarios/high_load.yaml --slo 'T.p99<=0.1'
grep -q "^lambda 45/s, mu 50/s, d 0 s (a = 0.9 Erlangs): 3 workers (closed form, confirmed by simulation)$" "$T/out" ||
    fail "plan high_load: expected 3 workers, confirmed: $(cat "$T/out")"
grep -Eq "^    T.p99 +at 3 +0.09362 \+- 0.00038 +meets +at 2 +0.1078 \+- 0.00052 +misses$" "$T/out" ||
    fail "plan high_load: the simulated intervals: $(cat "$T/out")"
grep -q "^  confirmed: 3 workers meet every term and 2 do not, within the intervals$" "$T/out" ||
    fail "plan high_load: not confirmed: $(cat "$T/out")"
cp "$T/out" "$T/plan1.out"
expect 0 "" plan -j 2 scenarios/high_load.yaml --slo 'T.p99<=0.1'
cmp -s "$T/out" "$T/plan1.out" || fail "plan: the output depends on the thread count"
# a target the closed form meets by 0.07 % (T.p99 0.10333 at d = 0.01): the interval at 3
# workers straddles it, so the answer is not confirmed, and the block says why; W's percentile
# is simulated as T's less the delay
expect 0 "" plan scenarios/high_load.yaml --set network_delay=0.01 --slo 'W.p90<=0.05' \
    --slo 'T.p99<=0.1034'
grep -q "3 workers (closed form, not confirmed by simulation)$" "$T/out" ||
    fail "plan, straddling interval: expected not confirmed: $(cat "$T/out")"
grep -q "^  not confirmed at this precision: T.p99's interval at 3 workers \[0.1032, 0.104\] does not lie within <= 0.1034$" "$T/out" ||
    fail "plan, straddling interval: the reason: $(cat "$T/out")"
grep -Eq "^    W.p90 +at 3 +0.04723 \+- 0.00013 +meets +at 2 +0.05653 \+- 0.00015 +misses$" "$T/out" ||
    fail "plan: W.p90 simulated: $(cat "$T/out")"
# one block per arrival rate; --sensitivity none leaves the what-ifs out
expect 0 "" plan --closed-form --set 'arrival.rate=[45, 90]' --sensitivity none --slo 'Wq<=0.001' \
    --slo 'utilization<=0.8' scenarios/high_load.yaml
[ "$(grep -c "workers (closed form, not yet confirmed by simulation)" "$T/out")" = 2 ] ||
    fail "plan with two arrival rates: expected two answers: $(cat "$T/out")"
grep -q "sensitivity" "$T/out" && fail "plan --sensitivity none: printed what-ifs"
grep -q "^lambda 90/s, mu 50/s, d 0 s (a = 1.8 Erlangs): 5 workers" "$T/out" ||
    fail "plan at 90/s: expected 5 workers: $(cat "$T/out")"
expect 0 "" plan --closed-form scenarios/high_load.yaml --slo 'P_wait<0.5' --sensitivity 0.2
grep -q "service +20 %" "$T/out" || fail "plan --sensitivity 0.2: no service +20 % row"
expect 0 "" plan --help
grep -q "^usage: mmcsim plan" "$T/out" || fail "plan --help: no usage"
# exit 4: no count up to the maximum meets the terms (the plan is still printed)
expect 4 "^mmcsim: plan: no count up to 1000000 workers meets every term at 1 point$" \
    plan scenarios/high_load.yaml --slo 'T.p99<=0.05'
grep -q "no count up to 1000000 workers meets every term" "$T/out" || fail "plan, exit 4: no table"
expect 4 "no count up to 2 workers" plan --workers-max 2 scenarios/high_load.yaml --slo 'Wq<=0.001'
# bad input: one line, exit 2 (usage: exit 1)
expect_line 'mmcsim: --slo: "T.p98<=0.1", column 3: expected a statistic (mean, p50, p90, p95, p99 or p99.9), got "p98"' \
    plan scenarios/high_load.yaml --slo 'T.p98<=0.1'
expect_line 'mmcsim: --slo: "T.p99>=0.1", column 6: expected "<=" or "<" (a term is an upper bound), got ">="' \
    plan scenarios/high_load.yaml --slo 'T.p99>=0.1'
expect_line 'mmcsim: T[a]<=1: a per-class term needs a model with classes; M/M/c has none' \
    plan scenarios/high_load.yaml --slo 'T[a]<=1'
expect_line 'mmcsim: --sensitivity: expected '"'"'none'"'"' or up to 8 comma-separated fractions > 0 (0.05,0.10), got "0.05,-1"' \
    plan scenarios/high_load.yaml --slo 'T<=1' --sensitivity 0.05,-1
expect 2 "^mmcsim: --workers-max: expected a whole number" plan --workers-max 0 scenarios/high_load.yaml --slo 'T<=1'
expect 2 "work_stealing.yaml: plan: only M/M/c scenarios .* this one has variants$" \
    plan scenarios/work_stealing.yaml --slo 'T<=1'
scen plan_det 'model: mmc
arrival: {rate: 45}
service: {dist: deterministic, rate: 50}
workers: 2'
expect 2 "plan: only M/M/c scenarios .* this one has service times other than exponential$" \
    plan "$T/plan_det.yaml" --slo 'T<=1'
expect 2 "this one has arrival given as a load" plan --set 'arrival={load: 0.9}' "$T/good.yaml" --slo 'T<=1'
expect 2 "^mmcsim: --set:1:" plan --set 'workers=0' "$T/good.yaml" --slo 'T<=1'
expect 1 "give at least one --slo TERM" plan scenarios/high_load.yaml
expect 1 "^mmcsim: plan: missing SCENARIO.yaml" plan --slo 'T<=1'
expect 1 "^mmcsim: unknown option --format" plan --format csv scenarios/high_load.yaml --slo 'T<=1'

echo "cli: $count checks, $fails failed"
[ "$fails" -eq 0 ]
