#!/bin/sh
# The promises of README "Guarantees" that only the command line can show:
# results are never lost or half-written (signals, full disks, devices, temp
# files) and the output does not depend on the thread count.
# Usage: sh tests/guarantees.sh path/to/mmcsim
set -u
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
count=0

check() { # check DESCRIPTION COMMAND...: the command must succeed
    desc=$1
    shift
    count=$((count + 1))
    "$@" || { echo "FAIL: $desc" >&2; fails=$((fails + 1)); }
}

cat >"$T/long.yaml" <<'EOF'
model: mmc
arrival: {rate: 45}
service: {rate: 50}
workers: [1, 2]
warmup: {tasks: 1000}
stop: {tasks: 2000000}
replications: 100000
EOF
cat >"$T/short.yaml" <<'EOF'
model: mmc
arrival: {rate: 45}
service: {rate: 50}
workers: [1, 2]
warmup: {tasks: 200}
stop: {tasks: 2000}
replications: 3
EOF

# interrupt SIG STATUS FORMAT: a run far too long to finish, signalled once it has had time to
# finish some replications, stops within a second or two, writes a whole report marked partial
# to the -o file, and exits with STATUS.
interrupt() {
    sig=$1 status=$2 fmt=$3
    rm -f "$T/partial"
    "$BIN" -q -j 2 --format "$fmt" -o "$T/partial" "$T/long.yaml" 2>"$T/err" &
    pid=$!
    sleep 3
    kill -"$sig" "$pid"
    t0=$(date +%s)
    wait "$pid"
    rc=$?
    t1=$(date +%s)
    check "$sig: exit $rc, expected $status" [ "$rc" -eq "$status" ]
    check "$sig: stopped within 10 s of the signal (took $((t1 - t0)) s)" [ $((t1 - t0)) -le 10 ]
    check "$sig: says so on stderr" grep -q "interrupted by SIG$sig" "$T/err"
    check "$sig: the report was written" [ -s "$T/partial" ]
    check "$sig: no temporary file left" sh -c "! ls '$T'/partial.* 2>/dev/null | grep -q ."
}
interrupt INT 130 table
check "table: marked partial" grep -q "^PARTIAL: interrupted" "$T/partial"
check "table: whole (ends with the checks)" grep -q "^checks:" "$T/partial"
check "table: some replications finished and are reported" \
    grep -Eq "^ +[1-9][0-9]* replications, [1-9][0-9]* tasks measured" "$T/partial"
interrupt TERM 143 json
check "json: marked partial" grep -q '"partial": true' "$T/partial"
check "json: whole (closes its object)" sh -c "tail -n 1 '$T/partial' | grep -qx '}'"
check "json: rows say interrupted" grep -q '"stop_reason": "interrupted"' "$T/partial"

# a run that is not interrupted is not partial
"$BIN" -q --format json "$T/short.yaml" >"$T/whole.json"
check "json: an uninterrupted run says partial false" grep -q '"partial": false' "$T/whole.json"

# a failure to write is reported (exit 1, one line naming the target), never ignored
"$BIN" -q -o /dev/full "$T/short.yaml" 2>"$T/err"
rc=$?
check "-o /dev/full: exit $rc, expected 1" [ "$rc" -eq 1 ]
check "-o /dev/full: names the file and the error" grep -q "^mmcsim: /dev/full: No space left" "$T/err"
check "-o /dev/full: the device is still a device" test -c /dev/full
"$BIN" -q "$T/short.yaml" >/dev/full 2>"$T/err"
rc=$?
check "stdout on /dev/full: exit $rc, expected 1" [ "$rc" -eq 1 ]
check "stdout on /dev/full: reported" grep -q "standard output: No space left" "$T/err"

# files: written whole through a temporary beside them, with the usual mode; an old file
# survives a failed run
(umask 022 && "$BIN" -q --format csv -o "$T/out.csv" "$T/short.yaml")
check "-o: the file is there" [ -s "$T/out.csv" ]
check "-o: mode 0644 under umask 022" [ "$(stat -c %a "$T/out.csv")" = 644 ]
check "-o: no temporary left" sh -c "! ls '$T'/out.csv.* 2>/dev/null | grep -q ."
cp "$T/out.csv" "$T/before.csv"
"$BIN" -q --format csv --set workers=0 -o "$T/out.csv" "$T/short.yaml" 2>/dev/null
check "-o: a failed run leaves the old file as it was" cmp -s "$T/out.csv" "$T/before.csv"
"$BIN" -q --format csv -o /dev/stdout "$T/short.yaml" >"$T/dev.csv"
check "-o /dev/stdout: written through the link" cmp -s "$T/dev.csv" "$T/before.csv"
check "-o /dev/stdout: the link is still a link" test -L /dev/stdout

# byte-identical whatever the thread count, for every shipped scenario (shortened)
for f in scenarios/*.yaml; do
    case $f in
    *trace_replay*) short="" ;; # already short: the whole trace
    *overload*) short="--set stop.time=120" ;;
    *) short="--set stop.tasks=3000" ;;
    esac
    for j in 1 2 3; do
        # shellcheck disable=SC2086
        "$BIN" -q -j $j --replications 4 $short --format csv "$f" >"$T/j$j.csv" 2>"$T/err" ||
            { check "$f -j $j: runs" false; continue 2; }
    done
    check "$f: -j 1 and -j 2 give the same bytes" cmp -s "$T/j1.csv" "$T/j2.csv"
    check "$f: -j 1 and -j 3 give the same bytes" cmp -s "$T/j1.csv" "$T/j3.csv"
done

echo "guarantees: $count checks, $fails failed"
[ "$fails" -eq 0 ]
