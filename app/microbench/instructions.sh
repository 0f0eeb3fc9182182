#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Instructions per packet of each fast path, counted by valgrind's callgrind over
# vpair-microbench (burst 32, one queue, 64 B frames): the inclusive instructions of the
# row's burst functions divided by the packets they handled, warm-up bursts included, as the
# micro-benchmark itself reports them. Exact and repeatable where time on this machine is not.
#
# usage: app/microbench/instructions.sh [BUILD [ROW...]]
#   rows: plain filter parse-filter mix user user-mix net_ring (default: all); tx and rx
#   apart for the net_vpair rows, the total alone for the others
# VPAIR_IR_ITERATIONS: timed bursts per row (default 2000; 1/8 as many warm up first).
set -eu

build=${1:-build}
[ $# -gt 0 ] && shift
rows=${*:-plain filter parse-filter mix user user-mix net_ring}
it=${VPAIR_IR_ITERATIONS:-2000}
bench=$build/app/microbench/vpair-microbench
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind" >&2; exit 1; }
[ -x "$bench" ] || { echo "instructions.sh: no $bench (build first)" >&2; exit 1; }
out=$(mktemp -d /run/vpair-ir.XXXXXX)
trap 'rm -rf "$out"' EXIT

spec_of() {
	case $1 in
	plain)		echo "config=vpair,parse=off,filter=off" ;;
	filter)		echo "config=vpair,parse=off,filter=on" ;;
	parse-filter)	echo "config=vpair,parse=on,filter=on" ;;
	mix)		echo "config=vpair,parse=on,filter=on,frames=mix" ;;
	user)		echo "config=user" ;;
	user-mix)	echo "config=user,frames=mix" ;;
	net_ring)	echo "config=net_ring" ;;
	*)		echo "instructions.sh: unknown row $1" >&2; exit 2 ;;
	esac
}

printf '%-13s %8s %8s %8s\n' row tx rx total
for row in $rows; do
	spec=$(spec_of "$row")
	valgrind --tool=callgrind --callgrind-out-file="$out/$row.cg" "$bench" \
		--only "$spec,burst=32,queues=1" --iterations "$it" --reps 1 -- --no-huge -m 128 \
		>"$out/$row.log" 2>&1 || { cat "$out/$row.log" >&2; exit 1; }
	callgrind_annotate --tree=calling --inclusive=yes --threshold=100 "$out/$row.cg" \
		>"$out/$row.txt" 2>/dev/null
	# The packets every burst function of the row handled (they all see the same ones).
	case $row in
	user*)		pkts=$(sed -n 's/^user-row calls.* \([0-9]*\) packets each$/\1/p' "$out/$row.log") ;;
	net_ring)	pkts=$(sed -n 's/^net_ring-row calls.* \([0-9]*\) packets each$/\1/p' "$out/$row.log") ;;
	*)		pkts=$(sed -n 's/^vpair fast-path calls.*, \([0-9]*\) packets; rx_burst.*/\1/p' "$out/$row.log") ;;
	esac
	# What the timed loops (loop_ethdev, loop_user) call: the burst functions and
	# user_classify(), nothing else. net_ring's bursts are static functions of a stripped
	# library, known only by their caller: callgrind names them by address and may even
	# give them another library's name.
	awk -v row="$row" -v pkts="$pkts" '
	function ir(s) { gsub(",", "", s); return s + 0 }
	/^ *[0-9,]+ .*\* .*:loop_(ethdev|user)/ { inloop = 1; next }
	/^$/ { inloop = 0 }
	!inloop || !/>/ { next }
	/:vpair_tx_burst / { tx += ir($1); next }
	/:vpair_rx_burst / { rx += ir($1); next }
	{ other += ir($1) }
	END {
		if (pkts == 0 || tx + rx + other == 0) {
			print "instructions.sh: " row ": nothing profiled" > "/dev/stderr"
			exit 1
		}
		if (other > 0)
			printf "%-13s %8s %8s %8.2f\n", row, "-", "-", other / pkts
		else
			printf "%-13s %8.2f %8.2f %8.2f\n", row, tx / pkts, rx / pkts, (tx + rx) / pkts
	}' "$out/$row.txt"
done
