#!/bin/sh
# The progress line on a terminal: mmcsim runs under script(1), so its stderr is a
# pseudo-terminal, and what it drew there is checked: no nan or inf; every line
# is one of the three forms
#   mmcsim: warm-up pilots, D/T paths, E s elapsed               (warmup: auto)
#   mmcsim: D/T runs, P%, E s elapsed[, ~S s left]               (no precision rule)
#   mmcsim: K/P points at +-X%[, widest +-Y%], N runs, E s elapsed (precision rule)
# and across the run no counter (D within a form, N, K), percentage or elapsed
# time goes back; the time left, when shown, is a whole number; the line is
# cleared at the end. Two runs of a few seconds (nothing is shown in the first
# second): one with pilot and precision rounds, one of a single round.
# Usage: sh tests/progress.sh path/to/mmcsim
set -u
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# on_pty NAME ARGS...: run mmcsim with stderr on a pty, the report to /dev/null;
# what the terminal received goes to $T/NAME.
on_pty() {
    name=$1
    shift
    script -qfec "'$BIN' $* >/dev/null" /dev/null </dev/null >"$T/$name"
    rc=$?
    [ "$rc" -eq 0 ] || fail "$name: mmcsim $* exited $rc"
}

# check NAME MIN_ROUNDS: the captured terminal output of run NAME, as described above;
# MIN_ROUNDS: the fewest distinct run counts the precision form must show (1: the
# one-round form instead).
check() {
    name=$1 min_rounds=$2
    f="$T/$name"
    if grep -Eiwq 'nan|-?inf|infinity' "$f"; then
        fail "$name: nan or inf on the terminal: $(tr '\r' '\n' <"$f" | grep -Eiw 'nan|-?inf|infinity' | head -n 1)"
    fi
    esc=$(printf '\033')
    tail -c 4 "$f" | od -An -c | tr -d ' \n' | grep -q '\\r033\[K$' ||
        fail "$name: the progress line is not cleared at the end"
    tr '\r' '\n' <"$f" | sed "s/$esc\[[0-9;]*[A-Za-z]//g" | awk -v name="$name" -v min_rounds="$min_rounds" '
        function bad(msg) { print "FAIL: " name ": " msg ": \"" $0 "\""; errors++ }
        /^$/ { next }
        {
            lines++
            if (!match($0, / [0-9]+\.[0-9] s elapsed/)) { bad("no elapsed time"); next }
            e = substr($0, RSTART + 1, RLENGTH - 11) + 0
            if (e < last_e) bad("elapsed time went back")
            last_e = e
        }
        /^mmcsim: warm-up pilots, [0-9]+\/[0-9]+ paths, [0-9]+\.[0-9] s elapsed$/ {
            if (single || precise) bad("pilots after the replications")
            pilots++
            next
        }
        /^mmcsim: [0-9]+\/[0-9]+ runs, [0-9]+%, [0-9]+\.[0-9] s elapsed(, ~[0-9]+ s left)?$/ {
            if (precise) bad("one-round form after the precision form")
            split(substr($0, 9), a, /[\/ ,%]+/)
            d = a[1] + 0; t = a[2] + 0; p = a[4] + 0
            if (d < last_n) bad("run count went back")
            if (p < last_p) bad("percentage went back")
            if (last_t && t != last_t) bad("the total changed")
            if (d > t || p != int(100 * d / t)) bad("count and percentage disagree")
            if ($0 ~ /left$/) etas++
            last_n = d; last_p = p; last_t = t; single++
            next
        }
        /^mmcsim: [0-9]+\/[0-9]+ points at \+-[0-9.]+%(, widest \+-[0-9.e+-]+%)?, [0-9]+ runs, [0-9]+\.[0-9] s elapsed$/ {
            if (single) bad("precision form after the one-round form")
            split(substr($0, 9), a, /[\/ ,]+/)
            k = a[1] + 0; np = a[2] + 0
            n = $0; sub(/ runs,.*/, "", n); sub(/.* /, "", n); n += 0
            if (k < last_k) bad("points done went back")
            if (k > np) bad("more points done than points")
            if (n < last_runs) bad("run count went back")
            if (n != last_runs) precise_steps++
            last_k = k; last_runs = n; precise++
            next
        }
        { bad("not a progress line") }
        END {
            if (lines < 3) { print "FAIL: " name ": " lines + 0 " progress lines (the run is too short to test)"; errors++ }
            if (min_rounds > 1 && precise_steps < min_rounds) {
                print "FAIL: " name ": " precise_steps + 0 " precision-form steps shown, expected at least " min_rounds; errors++
            }
            if (min_rounds == 1 && (single == 0 || etas == 0)) {
                print "FAIL: " name ": no one-round line with a time left"; errors++
            }
            exit errors > 0
        }' || fails=$((fails + 1))
}

# Pilot rounds, then precision rounds of 10, 20, 40, ... replications (rho 0.96, one worker).
on_pty rounds scenarios/high_load.yaml --set arrival.rate=48 --set workers=1 -j 1
check rounds 3
# One round: fixed warm-up, no precision rule.
on_pty single scenarios/capacity_95.yaml -j 1
check single 1

if [ "$fails" -ne 0 ]; then
    echo "progress: $fails checks failed"
    exit 1
fi
echo "progress: $(tr '\r' '\n' <"$T/rounds" | grep -c elapsed) + $(tr '\r' '\n' <"$T/single" | grep -c elapsed) lines on a pty, nothing went back, no nan"
