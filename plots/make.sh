#!/bin/sh
# make plots: runs the seed scenarios to CSV and draws, for each, the
# simulated mean latency T and queue length Lq per worker count with their
# 95 % intervals, over the closed form. Output: plots/<scenario>.png
# (generated; the CSVs they come from are kept beside them in build/plots).
# Usage: sh plots/make.sh path/to/mmcsim
set -eu
BIN=$1
OUT=build/plots
mkdir -p "$OUT"
for name in high_load delay_50_80 delay_80_100 delay_120_150 capacity_95; do
    "$BIN" -q --format csv -o "$OUT/$name.csv" "scenarios/$name.yaml"
    gnuplot -e "csv='$OUT/$name.csv'; png='plots/$name.png'; title='$name'" plots/latency.gp
    echo "plots/$name.png"
done
