# Simulated T and Lq (mean with 95 % interval) against the closed form, per
# worker count. Variables: csv (input), png (output), title.
set datafile separator ","
set terminal pngcairo size 1000,420 font ",10" noenhanced
set output png
set multiplot layout 1,2 title title." (points: simulated mean and 95 % CI; line: closed form)"
set key top right
set xlabel "workers"
set xtics 1
set grid
# log scale: queue lengths span several decades across worker counts
set logscale y
set ylabel "latency T (ms)"
plot csv using "workers":(column("T")*1000):(column("T_ci95")*1000) with yerrorbars pt 7 title "simulated", \
     csv using "workers":(column("T_analytic")*1000) with linespoints dt 2 title "closed form"
set ylabel "tasks waiting Lq"
plot csv using "workers":"Lq":"Lq_ci95" with yerrorbars pt 7 title "simulated", \
     csv using "workers":"Lq_analytic" with linespoints dt 2 title "closed form"
unset multiplot
