#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# testpmd-bench.sh BUILDDIR [options]: forwarding rate of net_vpair against the reference
# net_ring pair, both measured by the distro dpdk-testpmd: io forwarding, --tx-first, one
# forwarding lcore (-l 0-1 --nb-cores=1), bursts of 32. The rate is testpmd's own: the Rx-pps
# of its periodic statistics (--stats-period 1), summed over the ports; per run the median of
# the samples after the first (the first is always 0, the rest are steady state); per
# configuration the median over runs. Configurations run interleaved, run by run.
#
# Options:
#   -d SECONDS   steady-state seconds measured per run, about (default 5; each run takes
#                ~3 s more for start-up and the first, discarded, sample)
#   -r RUNS      runs per configuration (default 3)
#   --vdev ARG   the EAL vdev of the device under test, repeatable (default net_vpair0);
#                e.g. --vdev net_vpair0,max_desc=4096
#   --smoke      1 s, 1 run: checks that everything runs and parses (the integration tests)
# Exit status 0 only if every run of every configuration gave a rate > 0.
# VPAIR_KEEP=1 keeps the testpmd logs (their directory is printed). VPAIR_PLUGIN: the plugin
# (default BUILDDIR/drivers/net/vpair/librte_net_vpair.so).

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/config/eal-env.sh"

usage() {
	sed -n '5,22s/^# \{0,1\}//p' "$0"
	exit "${1:-2}"
}

secs=5
runs=3
dut=
[ $# -ge 1 ] || usage
case $1 in -h | --help) usage 0 ;; -*) usage ;; esac
builddir=$1
shift
while [ $# -gt 0 ]; do
	case $1 in
	-d) secs=${2:?-d needs SECONDS}; shift ;;
	-r) runs=${2:?-r needs RUNS}; shift ;;
	--vdev) dut="$dut --vdev=${2:?--vdev needs NAME}"; shift ;;
	--vdev=*) dut="$dut --vdev=${1#--vdev=}" ;;
	--smoke) secs=1 runs=1 ;;
	-h | --help) usage 0 ;;
	*) echo "testpmd-bench: unknown option $1" >&2; usage ;;
	esac
	shift
done
case $secs$runs in *[!0-9]*) echo "testpmd-bench: -d and -r take integers" >&2; exit 2 ;; esac
[ "$secs" -ge 1 ] && [ "$runs" -ge 1 ] || { echo "testpmd-bench: -d, -r must be >= 1" >&2; exit 2; }
dut=${dut:- --vdev=net_vpair0}
dut=${dut# }

burst=32
# The configurations: one row each, "name|EAL vdev args|testpmd args (after the common ones)".
# The first row is the reference the others are compared with.
configs="ring|--vdev=net_ring0 --vdev=net_ring1|
vpair|$dut|"
common_eal="-l 0-1 --no-pci"
common_pmd="--forward-mode=io --tx-first --nb-cores=1 --burst=$burst --stats-period=1 \
--total-num-mbufs=8192"

command -v "$VPAIR_TESTPMD" >/dev/null || {
	echo "testpmd-bench: $VPAIR_TESTPMD not found: install the Debian package dpdk-dev" >&2
	exit 1
}

work=
prefix=
cleanup() {
	vpair_testpmd_kill
	[ -z "$prefix" ] || vpair_eal_cleanup "$prefix" || true
	if [ -n "$work" ]; then
		if [ "${VPAIR_KEEP:-0}" = 1 ]; then
			echo "logs kept in $work"
		else
			vpair_private_remove "$work"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The plugin is loaded for every configuration, so that they run under the same conditions.
plugin=${VPAIR_PLUGIN-$builddir/drivers/net/vpair/librte_net_vpair.so}
if [ -n "$plugin" ] && [ -f "$plugin" ]; then
	work=$(vpair_plugin_dir "$plugin") || exit 1
	plugin_args="-d $work/${plugin##*/}"
else
	case $dut in *net_vpair*)
		echo "testpmd-bench: no $plugin: build it first (ninja -C $builddir)" >&2
		exit 1 ;;
	esac
	work=$(vpair_private_dir bench) || exit 1
	plugin_args=
fi
vpair_hugepages_setup || true
mem_args=$(vpair_eal_mem_args)

# Prints "<samples> <median Mpps> <drops>" from a testpmd log: each "Port statistics" block
# is one sample, the sum of its ports' Rx-pps; the first sample and incomplete blocks are left
# out. Drops: RX-dropped + TX-dropped of the accumulated forward statistics (-1 if missing).
parse_log() {
	awk '
	/Port statistics =/ { n++ }
	/NIC statistics for port/ && n { ports[n]++ }
	$1 == "Rx-pps:" && n { pps[n] += $2 }
	/Accumulated forward statistics/ { acc = 1 }
	acc && $1 == "RX-packets:" { drops = $4 }
	acc && $1 == "TX-packets:" { drops += $4; have_drops = 1; acc = 0 }
	END {
		for (i = 1; i <= n; i++) if (ports[i] > maxp) maxp = ports[i]
		m = 0
		for (i = 2; i <= n; i++) if (ports[i] == maxp) s[++m] = pps[i] / 1e6
		for (i = 2; i <= m; i++)	# insertion sort, m is small
			for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
		med = m == 0 ? 0 : (m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2)
		printf "%d %.3f %d\n", m, med, have_drops ? drops : -1
	}' "$1"
}

# Median of the numbers on stdin, one a line.
median() {
	awk 'NF' | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "testpmd-bench: $(command -v "$VPAIR_TESTPMD"), EAL memory: $mem_args, plugin: ${plugin_args:-none}"
echo "testpmd-bench: $runs run(s) of ~${secs} s per configuration, io forwarding, burst $burst;" \
	"load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

nfail=0
i=0
results=
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	while IFS='|' read -r name vdevs pmd_args; do
		[ -n "$name" ] || continue
		others=$(ps -C "${VPAIR_TESTPMD##*/}" -o pid= 2>/dev/null | awk '{ printf " %s", $1 }')
		[ -z "$others" ] ||
			echo "testpmd-bench: warning: other testpmd running (pid$others): numbers skewed"
		prefix=$(vpair_file_prefix "bench-$name")
		log=$work/$name-$i.log
		# shellcheck disable=SC2086 # argument strings are meant to split
		vpair_testpmd_run $((secs + 3)) "$log" /dev/null $common_eal $mem_args \
			--file-prefix "$prefix" $plugin_args $vdevs -- $common_pmd $pmd_args
		rc=$?
		vpair_eal_cleanup "$prefix" || echo "testpmd-bench: warning: EAL files of $prefix remain"
		prefix=
		read -r samples mpps drops <<-EOF
		$(parse_log "$log")
		EOF
		printf 'run %d/%d %-8s %8.3f Mpps  (%d samples, drops %s, exit %d)\n' \
			"$i" "$runs" "$name" "$mpps" "$samples" "$drops" "$rc"
		if [ "$rc" -ne 0 ] || [ "$samples" -lt 1 ] ||
			! awk -v v="$mpps" 'BEGIN { exit !(v > 0) }'; then
			echo "testpmd-bench: $name run $i gave no rate; its log:"
			sed 's/^/  | /' "$log"
			nfail=$((nfail + 1))
			continue
		fi
		results="$results
$name $mpps $drops"
	done <<EOF
$configs
EOF
done

echo
printf '%-8s %-40s %5s %10s %10s %10s %8s\n' config "vdev args" runs "Mpps(med)" min max drops
ref=
while IFS='|' read -r name vdevs pmd_args; do
	[ -n "$name" ] || continue
	vals=$(echo "$results" | awk -v n="$name" '$1 == n { print $2 }')
	nok=$(echo "$vals" | grep -c .)
	med=$(echo "$vals" | median)
	min=$(echo "$vals" | sort -g | head -n 1)
	max=$(echo "$vals" | sort -g | tail -n 1)
	drops=$(echo "$results" | awk -v n="$name" '$1 == n { d += $3 } END { print d + 0 }')
	printf '%-8s %-40s %5s %10.3f %10.3f %10.3f %8s\n' "$name" "$vdevs${pmd_args:+ $pmd_args}" \
		"$nok/$runs" "$med" "${min:-0}" "${max:-0}" "$drops"
	if [ -z "$ref" ]; then
		ref=$name ref_med=$med
	else
		awk -v a="$med" -v b="$ref_med" -v n="$name" -v r="$ref" \
			'BEGIN { printf "ratio %s/%s: ", n, r
				 if (a > 0 && b > 0) printf "%.3f\n", a / b; else print "n/a" }' >>"$work/ratios"
	fi
done <<EOF
$configs
EOF
[ ! -f "$work/ratios" ] || cat "$work/ratios"

if [ "$nfail" -ne 0 ]; then
	echo "testpmd-bench: FAILED: $nfail run(s) gave no rate"
	exit 1
fi
exit 0
