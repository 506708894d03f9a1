#!/bin/sh
# Reproducible across builds: the same scenario and seed give the same bytes
# from every binary given (gcc -O0, -O2, -O3, clang -O2: no build-dependent
# arithmetic such as fused multiply-adds or reassociation), for every
# shipped scenario, shortened.
# Usage: sh tests/repro.sh REFERENCE_MMCSIM OTHER_MMCSIM...
set -u
REF=$1
shift
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
count=0
for f in scenarios/*.yaml; do
    case $f in
    *trace_replay*) short="" ;;
    *overload*) short="--set stop.time=120" ;;
    *) short="--set stop.tasks=5000" ;;
    esac
    # shellcheck disable=SC2086
    "$REF" -q --replications 4 $short --format json "$f" >"$T/ref.json" 2>"$T/err" ||
        { echo "FAIL: $REF $f: $(cat "$T/err")" >&2; fails=$((fails + 1)); continue; }
    for bin in "$@"; do
        count=$((count + 1))
        # shellcheck disable=SC2086
        "$bin" -q --replications 4 $short --format json "$f" >"$T/other.json" 2>"$T/err"
        if ! cmp -s "$T/ref.json" "$T/other.json"; then
            echo "FAIL: $bin differs from $REF on $f:" >&2
            diff "$T/ref.json" "$T/other.json" | head -5 >&2
            fails=$((fails + 1))
        fi
    done
done
echo "repro: $count comparisons, $fails failed"
[ "$fails" -eq 0 ]
