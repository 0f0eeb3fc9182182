# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# plot.gp: bar chart of testpmd-bench.py results (gnuplot 5).
#   gnuplot -e "datafile='results.dat'; outfile='results.png'; subtitle='...'" plot.gp
# datafile columns: index name median min max group (0 net_ring, 1 net_vpair, 2 other PMDs).
# Log scale: the rates span three orders of magnitude (af_xdp on veth .. net_vpair).

if (!exists("subtitle")) subtitle = ""
set terminal pngcairo size 1200,650 font "Sans,10" noenhanced
set output outfile
set title "dpdk-testpmd forwarding rate, 1 forwarding lcore, burst 32\n" . subtitle
set ylabel "Mpps (bar: median over runs, whiskers: min-max)"
set logscale y
set yrange [0.1:*]
set format y "%g"
set grid ytics mytics
stats datafile using 1 nooutput
set xrange [-0.6:STATS_max + 0.6]
set xtics rotate by -30 left nomirror
set bmargin 6
set rmargin 8
set key top right
set style fill solid 0.85 border -1
set boxwidth 0.7
set pointintervalbox 0
color(g) = g == 0 ? 0x7f7f7f : (g == 1 ? 0x1f77b4 : 0xff7f0e)
plot datafile using 1:3:(color($6)):xtic(2) with boxes lc rgb variable notitle, \
     '' using 1:3:4:5 with yerrorbars lc rgb "black" pt 7 ps 0.5 notitle, \
     '' using 1:3:(sprintf("%.2f", $3)) with labels offset 0,0.9 font ",8" notitle, \
     NaN with boxes lc rgb "#7f7f7f" title "net_ring (reference)", \
     NaN with boxes lc rgb "#1f77b4" title "net_vpair", \
     NaN with boxes lc rgb "#ff7f0e" title "other PMDs"
