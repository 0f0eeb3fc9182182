#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# testpmd-bench.sh BUILDDIR [options]: net_vpair against the alternatives, in one run. The
# distro dpdk-testpmd (unchanged, interactive, driven through a FIFO) forwards with one
# forwarding lcore and bursts of 32 over each configuration; configurations run interleaved,
# round robin, run by run. One row per configuration: Mpps median/min/max over runs (a run's
# rate is the median of its 1 s `show port stats` samples), TSC cycles per packet on the
# forwarding core (--record-core-cycles), the ratio to net_ring from the same invocation and
# the features that were on (parsing, promiscuous, filtering), checked against the driver's
# xstats. Writes BUILDDIR/bench/results.{txt,csv,json,png} and commands.txt (what ran).
# See doc/perf/README.md.
#
# Options:
#   -d SECONDS       measured seconds per run, one sample a second (default 5)
#   -r RUNS          runs per configuration (default 3)
#   -w SECONDS       warm-up before the first sample (default 1)
#   --only A,B,...   only these configurations (--list shows them)
#   --skip A,B,...   all but these
#   --sizes S[,L]    frame size of the small rows (64) and of the *-large rows (1500)
#   --vdev ARG       devargs of the net_vpair device (default net_vpair0; the macswap row
#                    addresses its ports by mac_a=/mac_b= or the default MACs)
#   --out DIR        output directory (default BUILDDIR/bench, BUILDDIR/bench-smoke with --smoke)
#   --keep-logs      copy every testpmd log to OUT/logs (also VPAIR_KEEP=1)
#   --no-plot        no PNG (otherwise gnuplot, installed with apt-get if root and missing)
#   --list           print the configurations and exit
#   --smoke          ring-io and vpair-io, 1 run of 1 s, no install: checks that everything
#                    runs and parses (the integration test bench-smoke)
# Exit status: 0 when every run of every net_ring/net_vpair row gave a rate and every
# feature check held; rows of other PMDs (null, memif, af_xdp) may be skipped or fail
# with a reason without failing the benchmark. Targets are reported, never asserted.
# VPAIR_PLUGIN: the plugin (default BUILDDIR/drivers/net/vpair/librte_net_vpair.so);
# VPAIR_NO_HUGE=1: --no-huge (vpair-2p is then replaced by the one-process vpair-2c).

# Argument strings ($vdevs, $(common_pmd), ...) are meant to split; parse-log.awk's output is
# eval'ed into samples, mpps, cyc, ...
# shellcheck disable=SC2046,SC2086,SC2154
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/config/eal-env.sh"

usage() {
	sed -n '5,35s/^# \{0,1\}//p' "$0"
	exit "${1:-2}"
}

all_configs="ring-io vpair-io-parse vpair-io ring-macswap vpair-macswap ring-io-large
vpair-io-large null-io memif-1p afxdp-veth null-txonly vpair-2p memif-2p vpair-2p-large
memif-2p-large vpair-2c"
# vpair-2c (one process) runs only when asked for, or instead of vpair-2p without hugepages.
default_configs="ring-io vpair-io-parse vpair-io ring-macswap vpair-macswap ring-io-large
vpair-io-large null-io memif-1p afxdp-veth null-txonly vpair-2p memif-2p vpair-2p-large
memif-2p-large"
smoke_configs="ring-io vpair-io"

secs=5
runs=3
warm=1
only=
skip=
small=64
large=1500
dut=net_vpair0
out=
keep=${VPAIR_KEEP:-0}
plot=1
smoke=0
list=0
[ $# -ge 1 ] || usage
case $1 in -h | --help) usage 0 ;; --list) list=1 ;; -*) usage ;; esac
builddir=$1
shift
while [ $# -gt 0 ]; do
	case $1 in
	-d) secs=${2:?-d needs SECONDS}; shift ;;
	-r) runs=${2:?-r needs RUNS}; shift ;;
	-w) warm=${2:?-w needs SECONDS}; shift ;;
	--only) only=${2:?--only needs names}; shift ;;
	--only=*) only=${1#--only=} ;;
	--skip) skip=${2:?--skip needs names}; shift ;;
	--skip=*) skip=${1#--skip=} ;;
	--sizes) sizes=${2:?--sizes needs S[,L]}; shift; small=${sizes%%,*}
		case $sizes in *,*) large=${sizes#*,} ;; esac ;;
	--vdev) dut=${2:?--vdev needs devargs}; shift ;;
	--vdev=*) dut=${1#--vdev=} ;;
	--out) out=${2:?--out needs DIR}; shift ;;
	--keep-logs) keep=1 ;;
	--no-plot) plot=0 ;;
	--list) list=1 ;;
	--smoke) smoke=1 secs=1 runs=1 warm=0.5 ;;
	-h | --help) usage 0 ;;
	*) echo "testpmd-bench: unknown option $1" >&2; usage ;;
	esac
	shift
done
case $secs$runs$small$large in *[!0-9]*)
	echo "testpmd-bench: -d, -r and --sizes take integers" >&2; exit 2 ;;
esac
case $warm in *[!0-9.]* | "") echo "testpmd-bench: -w takes seconds" >&2; exit 2 ;; esac
[ "$secs" -ge 1 ] && [ "$runs" -ge 1 ] || { echo "testpmd-bench: -d, -r must be >= 1" >&2; exit 2; }
[ "$small" -ge 60 ] && [ "$large" -ge 60 ] && [ "$large" -le 1514 ] && [ "$small" -le 1514 ] || {
	echo "testpmd-bench: frame sizes must be 60-1514 (MTU 1500)" >&2; exit 2; }
case $dut in net_vpair* | eth_vpair*) ;; *)
	echo "testpmd-bench: --vdev must name a net_vpair device" >&2; exit 2 ;;
esac
dut_name=${dut%%,*}

burst=32
nmbufs=8192
# The MACs of the device's ports, for the macswap row: mac_a=/mac_b= devargs, or the defaults
# (README: 02:76:70:<N>:0a/0b, N the number that ends the device name, as two bytes).
dut_mac() {	# dut_mac a|b
	_m=$(echo ",${dut#*,}," | sed -n "s/.*,mac_$1=\([0-9A-Fa-f:]*\),.*/\1/p")
	[ "$dut" != "${dut#*,}" ] || _m=
	if [ -z "$_m" ]; then
		_n=$(echo "$dut_name" | sed -n 's/^[a-z_]*[^0-9]\([0-9]\{1,5\}\)$/\1/p')
		[ -n "$_n" ] && [ "$_n" -le 65535 ] || return 1
		_m=$(printf '02:76:70:%02x:%02x:0%s' $((_n / 256)) $((_n % 256)) "$1")
	fi
	echo "$_m"
}
mac_a=$(dut_mac a) && mac_b=$(dut_mac b) || {
	echo "testpmd-bench: cannot tell the MACs of $dut_name: give mac_a= and mac_b= in --vdev" >&2
	exit 2
}

# --- The configurations ---------------------------------------------------------------------
# cfg NAME sets C_* for one configuration, or fails for an unknown name:
#   C_kind     single: one testpmd, one forwarding lcore (-l 0-1: main cpu 0, forwarding cpu 1)
#              pair: generator process A (--lcores 0@0,1@0: forwarding on cpu 0) and receiver
#              process B (--lcores 2@1,3@1: forwarding on cpu 1); B's rate is the row's rate
#   C_vdevs, C_pmd    EAL vdev args and testpmd args of (A) ; C_vdevs2, C_pmd2 of B
#   C_cmds     testpmd commands run before `start` (newline separated)
#   C_start    start | start tx_first
#   C_rate     rx | tx (which pps is the rate), C_ports (ports summed, "all")
#   C_mp       B is: primary (own --file-prefix) | secondary (A's prefix, --proc-type)
#   C_core     1: a failure fails the benchmark (net_ring, net_vpair rows)
#   C_check    what the driver's xstats must show: parse | fast | addressed | none
#   C_parse C_promisc C_filter: the features (on/off/-) ; C_ref: the net_ring row it is
#   compared with ; C_desc: what it measures
cfg() {
	C_kind=single C_vdevs='' C_pmd='' C_vdevs2='' C_pmd2='' C_cmds='' C_start="start tx_first"
	C_rate=rx C_ports=all C_mp='' C_core=0 C_check=none C_parse=- C_promisc=on C_filter=-
	C_ref=ring-io C_size=$small C_mode=io C_pmdname='' C_lcores="-l 0-1" C_nthr=1
	ptype_on="set port 0 ptype_mask 0xfff
set port 1 ptype_mask 0xfff"
	case $1 in
	ring-io)
		C_pmdname=net_ring C_core=1 C_ref=''
		C_vdevs="--vdev=net_ring0 --vdev=net_ring1"
		C_desc="two net_ring ports, each its own loop (tx ring = rx ring); io, tx_first: pointers passed through an rte_ring, the reference" ;;
	ring-macswap)
		C_pmdname=net_ring C_core=1 C_ref=ring-io C_mode=macswap
		C_vdevs="--vdev=net_ring0 --vdev=net_ring1" C_pmd="--port-topology=loop"
		C_desc="net_ring, macswap (every frame's MACs swapped: one write per frame), reference for vpair-macswap" ;;
	ring-io-large)
		C_pmdname=net_ring C_core=1 C_ref=ring-io C_size=$large
		C_vdevs="--vdev=net_ring0 --vdev=net_ring1"
		C_desc="ring-io with $large B frames, reference for vpair-io-large" ;;
	vpair-io-parse)
		C_pmdname=net_vpair C_core=1 C_check=parse C_parse=on C_filter=off
		C_vdevs="--vdev=$dut" C_cmds=$ptype_on
		C_desc="net_vpair io, tx_first, packet-type parsing on (set port N ptype_mask 0xfff), promiscuous: the tx side classifies and parses every frame" ;;
	vpair-io)
		C_pmdname=net_vpair C_core=1 C_check=fast C_parse=off C_filter=off
		C_vdevs="--vdev=$dut"
		C_desc="net_vpair io, tx_first, testpmd defaults (parsing off, promiscuous): the fast path, length check only" ;;
	vpair-macswap)
		C_pmdname=net_vpair C_core=1 C_check=addressed C_parse=on C_promisc=off C_filter=on
		C_ref=ring-macswap C_mode=macswap C_vdevs="--vdev=$dut" C_cmds="set promisc all off
$ptype_on"
		# Loop topology: a frame received on a port is swapped and sent back out of the
		# same port, so it reaches the peer addressed to the peer (the tx_first frames are
		# sent from each port to the other's MAC: eth-peer N is what port N sends to).
		C_pmd="--port-topology=loop --eth-peer=0,$mac_b --eth-peer=1,$mac_a"
		C_desc="net_vpair macswap, parsing on, promiscuous off: each frame is addressed to the receiving port, classified, accepted by the unicast filter (rx_otherhost_dropped must stay 0)" ;;
	vpair-io-large)
		C_pmdname=net_vpair C_core=1 C_check=parse C_parse=on C_filter=off C_size=$large
		C_ref=ring-io-large C_vdevs="--vdev=$dut" C_cmds=$ptype_on
		C_desc="vpair-io-parse with $large B frames (MTU check, parsing reads the headers only)" ;;
	null-io)
		C_pmdname=net_null C_start=start C_promisc=-
		C_vdevs="--vdev=net_null0,size=$small --vdev=net_null1,size=$small"
		C_desc="net_null io: rx allocates the mbufs, tx frees them, nothing is transferred: the mbuf alloc/free a NIC-like PMD pays, which ring and vpair (mbufs circulate) do not" ;;
	null-txonly)
		C_pmdname=net_null C_start=start C_promisc=- C_mode=txonly C_rate=tx
		C_vdevs="--vdev=net_null0" C_pmd="--port-topology=loop"
		C_desc="txonly into net_null on one core: the generator alone (alloc + header write + free), the ceiling for vpair-2p" ;;
	memif-1p)
		C_pmdname=net_memif C_promisc=-
		C_vdevs="--vdev=net_memif0,role=server,socket=@SOCK@,socket-abstract=no --vdev=net_memif1,role=client,socket=@SOCK@,socket-abstract=no"
		C_desc="net_memif server + client in one process, io, tx_first: shared-memory rings, one copy per frame each way" ;;
	memif-2p | memif-2p-large)
		C_pmdname=net_memif C_kind=pair C_mp=primary C_start=start C_promisc=-
		[ "$1" = memif-2p ] || C_size=$large C_ref=ring-io-large
		C_vdevs="--vdev=net_memif0,role=server,socket=@SOCK@,socket-abstract=no"
		C_vdevs2="--vdev=net_memif0,role=client,socket=@SOCK@,socket-abstract=no"
		C_desc="net_memif, two processes: txonly (server, cpu 0) -> rxonly (client, cpu 1); $C_size B: memif copies each frame into its shared-memory buffers and out again" ;;
	afxdp-veth)
		C_pmdname=net_af_xdp C_promisc=-
		C_vdevs="--vdev=net_af_xdp0,iface=@VETHA@ --vdev=net_af_xdp1,iface=@VETHB@"
		C_desc="net_af_xdp on a kernel veth pair, io, tx_first: AF_XDP sockets, the kernel's veth in between" ;;
	vpair-2p | vpair-2p-large)
		C_pmdname=net_vpair C_kind=pair C_mp=secondary C_start=start C_check=fast
		[ "$1" = vpair-2p ] || C_size=$large C_ref=ring-io-large
		C_parse=off C_filter=off C_vdevs="--vdev=$dut" C_pmd="--portlist=0" C_pmd2="--portlist=1"
		C_desc="net_vpair, two processes: txonly on port 0 (primary, cpu 0) -> rxonly on port 1 (secondary process, cpu 1); $C_size B, zero copy: the mbufs cross cores" ;;
	vpair-2c)
		C_pmdname=net_vpair C_start=start C_check=none C_parse=off C_filter=off C_ports=2
		C_vdevs="--vdev=net_null0,size=$small --vdev=$dut" C_lcores="--lcores=0@0,1@0,2@1"
		C_pmd="--nb-cores=2 --port-topology=chained" C_nthr=2
		C_desc="net_vpair, one process, two forwarding cores: net_null0 -> vpair_a (core 1), vpair_b -> net_null0 (core 2); io, net_null as source and sink" ;;
	*) return 1 ;;
	esac
	return 0
}

if [ "$list" = 1 ]; then
	for n in $all_configs; do cfg "$n"; printf '%-15s %s\n' "$n" "$C_desc"; done
	exit 0
fi

# The configurations to run.
if [ "$smoke" = 1 ] && [ -z "$only" ]; then
	configs=$smoke_configs
elif [ -n "$only" ]; then
	configs=$(echo "$only" | tr ',' ' ')
else
	configs=$(echo "$default_configs" | tr "\n" " ")
fi
for n in $(echo "$skip" | tr ',' ' '); do
	configs=$(echo " $configs " | sed "s/ $n / /; s/^ *//; s/ *$//")
done
for n in $configs; do
	cfg "$n" || { echo "testpmd-bench: unknown configuration $n (--list)" >&2; exit 2; }
done
[ -n "$configs" ] || { echo "testpmd-bench: no configuration left" >&2; exit 2; }

# stdbuf: testpmd's output line-buffered, so that the log follows the commands as they run.
for t in "$VPAIR_TESTPMD" timeout mkfifo stdbuf awk pgrep; do
	command -v "$t" >/dev/null || {
		echo "testpmd-bench: $t not found (dpdk-testpmd: package dpdk-dev; stdbuf, timeout," \
			"mkfifo: coreutils; pgrep: procps)" >&2; exit 1; }
done
stdbuf="stdbuf -oL"

[ -n "$out" ] || { if [ "$smoke" = 1 ]; then out=$builddir/bench-smoke; else out=$builddir/bench; fi; }
mkdir -p "$out" || exit 1

# --- Clean-up: every testpmd we started, EAL files, the veth pair, the private dir ----------
work=
pids=
prefixes=
veth=
cleanup() {
	trap '' INT TERM
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	pids=
	for p in $prefixes; do vpair_eal_cleanup "$p" || echo "testpmd-bench: EAL files of $p remain"; done
	[ -z "$veth" ] || ip link del "${veth}a" 2>/dev/null
	if [ -n "$work" ]; then
		if [ "$keep" = 1 ] && [ -d "$work" ]; then
			mkdir -p "$out/logs" && cp "$work"/*.log "$out/logs/" 2>/dev/null &&
				echo "testpmd-bench: logs in $out/logs"
		fi
		vpair_private_remove "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# A testpmd that dies makes our writes to its FIFO fail, not kill us.
trap '' PIPE

plugin=${VPAIR_PLUGIN-$builddir/drivers/net/vpair/librte_net_vpair.so}
if [ -n "$plugin" ] && [ -f "$plugin" ]; then
	work=$(vpair_plugin_dir "$plugin") || exit 1
	plugin_args="-d $work/${plugin##*/}"
else
	echo "testpmd-bench: no plugin $plugin: build it first (ninja -C $builddir)" >&2
	exit 1
fi
vpair_hugepages_setup || true

# --- Running testpmd ------------------------------------------------------------------------
# tp_start SLOT LOG ARGS...: starts testpmd ARGS (interactive) with stdin from a FIFO held
# open on fd 3 (slot A) or 4 (slot B); sets tp_A/tp_B to the pid of its `timeout` wrapper.
# The timeout is a safety net only: runs end with `quit`.
tp_start() {
	_slot=$1 _log=$2
	shift 2
	_fifo=$work/fifo-$_slot
	rm -f "$_fifo"
	mkfifo -m 0600 "$_fifo" || return 1
	[ -z "$cmdlog" ] || echo "[$_slot] $VPAIR_TESTPMD $*" >>"$cmdlog"
	timeout -k 5 -s INT $((secs + 60)) $stdbuf "$VPAIR_TESTPMD" "$@" <"$_fifo" >"$_log" 2>&1 &
	eval "tp_$_slot=\$!"
	pids="$pids $!"
	case $_slot in A) exec 3>"$_fifo" ;; B) exec 4>"$_fifo" ;; esac
	rm -f "$_fifo"
}

tp_send() {
	[ -z "$cmdlog" ] || { _s=$1; shift; printf '%s\n' "$@" | sed "s/^/[$_s] testpmd> /" >>"$cmdlog"
		set -- "$_s" "$@"; }
	case $1 in
	A) shift; printf '%s\n' "$@" >&3 ;;
	B) shift; printf '%s\n' "$@" >&4 ;;
	esac 2>/dev/null
}

# tp_wait SLOT LOG PATTERN SECONDS: until LOG has a line matching PATTERN (fixed string);
# fails if testpmd exited or the time ran out.
tp_wait() {
	eval "_pid=\$tp_$1"
	_n=$(awk -v s="$4" 'BEGIN { print int(s * 10) }')
	while [ "$_n" -gt 0 ]; do
		grep -qF -- "$3" "$2" 2>/dev/null && return 0
		kill -0 "$_pid" 2>/dev/null || return 1
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# tp_end SLOT: closes the FIFO (testpmd sees EOF after its last command) and waits.
tp_end() {
	eval "_pid=\$tp_$1"
	case $1 in A) exec 3>&- ;; B) exec 4>&- ;; esac
	[ -n "$_pid" ] || return 0
	wait "$_pid"
	_rc=$?
	pids=$(echo " $pids " | sed "s/ $_pid / /")
	eval "tp_$1="
	return $_rc
}

# Ticks (1/CLK_TCK s) of CPU time of testpmd's forwarding threads (rte-worker-*) under the
# `timeout` pid $1, and the uptime in centiseconds: "ticks uptime_cs".
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
fwd_ticks() {
	_t=0
	for _c in $(pgrep -P "$1" 2>/dev/null); do
		for _d in /proc/"$_c"/task/*; do
			case $(cat "$_d/comm" 2>/dev/null) in rte-worker-*)
				_t=$((_t + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$_d/stat"))) ;;
			esac
		done
	done
	echo "$_t $(awk '{ printf "%d", $1 * 100 }' /proc/uptime)"
}
# Share (%) of the wall time the forwarding threads ran between two fwd_ticks, per thread.
cpu_share() {
	awk -v a="$1" -v b="$2" -v n="$3" -v hz="$clk_tck" 'BEGIN {
		split(a, x, " "); split(b, y, " "); wall = (y[2] - x[2]) / 100
		if (wall <= 0 || n <= 0) { print -1; exit }
		s = int(100 * (y[1] - x[1]) / hz / wall / n + 0.5); print (s > 100 ? 100 : s) }'
}

# The whole machine: "busy steal ours uptime_cs": ticks of busy CPU time (user, nice, system,
# irq, softirq) and of steal over all CPUs (/proc/stat), and of our testpmds (the children of
# the `timeout` pids $pids). Two snapshots give the load of everything else during a run.
machine_snap() {
	_o=0
	for _p in $pids; do
		for _c in $(pgrep -P "$_p" 2>/dev/null); do
			_o=$((_o + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$_c/stat" 2>/dev/null || echo 0)))
		done
	done
	awk -v o="$_o" '$1 == "cpu" { b = $2 + $3 + $4 + $7 + $8; st = $9 }
		END { printf "%d %d %d ", b, st, o }' /proc/stat
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}
# "other steal": % of the machine (all CPUs) busy with other processes, and stolen by the host.
machine_load() {
	awk -v a="$1" -v b="$2" -v hz="$clk_tck" -v n="$(nproc)" 'BEGIN {
		split(a, x, " "); split(b, y, " "); t = (y[4] - x[4]) / 100 * hz * n
		if (t <= 0) { print "-1 -1"; exit }
		o = 100 * ((y[1] - x[1]) - (y[3] - x[3])) / t; if (o < 0) o = 0
		printf "%d %d\n", o + 0.5, 100 * (y[2] - x[2]) / t + 0.5 }'
}

# Other DPDK processes (not ours) at the moment: warns, for they share our 2 cores.
others_running() {
	_mine=" "
	for _p in $pids; do _mine="$_mine$_p $(pgrep -P "$_p" 2>/dev/null | tr '\n' ' ')"; done
	ps -eo pid=,comm= 2>/dev/null | awk -v mine="$_mine" '
		$2 ~ /^(dpdk-|test_|vpair_)|_test$|vswitchd|valgrind|callgrind|memcheck/ && index(mine, " " $1 " ") == 0 { printf " %s(%s)", $2, $1 }'
}

# A veth pair for af_xdp, made once: vpb<pid>a / vpb<pid>b.
veth_setup() {
	[ -n "$veth" ] && return 0
	[ "$(id -u)" -eq 0 ] || { skip_reason="needs root (veth pair, XDP)"; return 1; }
	command -v ip >/dev/null || { skip_reason="no ip command (iproute2)"; return 1; }
	_v=vpb$$
	if ! _e=$(ip link add "${_v}a" type veth peer name "${_v}b" 2>&1); then
		skip_reason="cannot create a veth pair: $_e"; return 1
	fi
	veth=$_v
	for _end in a b; do
		# No IPv6 autoconfiguration chatter (router/neighbour solicitations) on the pair.
		[ ! -w "/proc/sys/net/ipv6/conf/$veth$_end/disable_ipv6" ] ||
			echo 1 >"/proc/sys/net/ipv6/conf/$veth$_end/disable_ipv6"
		ip link set "$veth$_end" up || { skip_reason="cannot set $veth$_end up"; return 1; }
	done
	return 0
}

# Why a testpmd failed, from its log: its error lines, shortened.
fail_reason() {
	_r=$(grep -iE "error|fail|cannot|can't|invalid|not |unable|no such" "$1" 2>/dev/null |
		grep -vE "errors: |_errors|error: 0|RX-error" | head -n 3 | tr '\n' ' ' |
		sed 's/  */ /g; s/|/\//g' | cut -c1-160)
	echo "${_r:-$2}"
}

common_pmd() {	# the testpmd args every process gets
	echo "-i --burst=$burst --total-num-mbufs=$nmbufs --record-core-cycles --txpkts=$C_size"
}

# run_one NAME RUN: one run of one configuration; appends a line to $work/results:
#   name run status mpps samples cyc cyc_peer offered classified otherhost mcfilter
#   promisc ptype_ok cpu_share other_load steal others reason...
run_one() {
	cfg "$1"
	_i=$2
	# The exact commands of the first run, for OUT/commands.txt.
	cmdlog=
	[ "$_i" != 1 ] || { cmdlog=$work/commands-$1; : >"$cmdlog"; }
	_tag=$1-$_i
	logA=$work/$_tag.log logB=$work/$_tag-rx.log
	skip_reason=
	vdevs=$C_vdevs vdevs2=$C_vdevs2
	case "$vdevs $vdevs2" in *@SOCK@*)
		sock=$work/memif-$_tag.sock
		vdevs=$(echo "$vdevs" | sed "s|@SOCK@|$sock|g")
		vdevs2=$(echo "$vdevs2" | sed "s|@SOCK@|$sock|g") ;;
	esac
	case $vdevs in *@VETHA@*)
		if veth_setup; then
			vdevs=$(echo "$vdevs" | sed "s|@VETHA@|${veth}a|; s|@VETHB@|${veth}b|")
		fi ;;
	esac
	memA=$(vpair_eal_mem_args)
	if [ "$C_mp" = secondary ]; then
		case $memA in *--no-huge*)
			skip_reason="a secondary process needs hugepages; this run has --no-huge" ;;
		esac
		# A secondary maps the primary's hugepage files: they must not be unlinked.
		memA=$(echo "$memA" | sed 's/--huge-unlink//')
	fi
	if [ -n "$skip_reason" ]; then
		echo "$1 $_i skipped 0 0 -1 -1 0 -1 -1 -1 - 0 -1 -1 -1 - $skip_reason" >>"$work/results"
		return
	fi
	others=$(others_running)
	[ -z "$others" ] || echo "testpmd-bench: warning: other DPDK processes running:$others"

	pA=$(vpair_file_prefix "bench-$1")
	prefixes="$prefixes $pA"
	status=ok reason=
	if [ "$C_kind" = single ]; then
		tp_start A "$logA" $C_lcores --no-pci $memA --file-prefix "$pA" $plugin_args $vdevs \
			-- $(common_pmd) --forward-mode=$C_mode --nb-cores=1 $C_pmd
	else
		tp_start A "$logA" --lcores=0@0,1@0 --no-pci $memA --file-prefix "$pA" $plugin_args \
			$vdevs -- $(common_pmd) --forward-mode=txonly --nb-cores=1 \
			--port-topology=loop $C_pmd
	fi
	# Commands queue up in the FIFO until testpmd's command line reads them. The set-up
	# commands, then what they achieved; its output means testpmd is up (the prompt is no
	# good sign: an LSC event printed by another thread may cut it in two).
	[ -z "$C_cmds" ] || tp_send A "$C_cmds"
	tp_send A "show port info all"
	# Another PMD that cannot start here (no XDP, ...) is skipped, with the reason.
	nostart=failed
	[ "$C_core" = 1 ] || nostart=skipped
	if ! tp_wait A "$logA" "Infos for port" 30; then
		status=$nostart reason=$(fail_reason "$logA" "testpmd did not start")
	fi
	if [ "$status" = ok ] && [ "$C_kind" = pair ]; then
		if [ "$C_mp" = secondary ]; then
			pB=$pA
			eal2="--proc-type=secondary --huge-dir $VPAIR_HUGE_DIR"
		else
			pB=$(vpair_file_prefix "bench-$1")
			prefixes="$prefixes $pB"
			eal2=$(vpair_eal_mem_args)
		fi
		tp_start B "$logB" --lcores=2@1,3@1 --no-pci $eal2 --file-prefix "$pB" \
			$plugin_args $vdevs2 -- $(common_pmd) --forward-mode=rxonly --nb-cores=1 \
			--port-topology=loop $C_pmd2
		tp_send B "show port info all"
		if ! tp_wait B "$logB" "Infos for port" 30; then
			status=$nostart reason=$(fail_reason "$logB" "the receiving testpmd did not start")
		fi
	fi
	if [ "$status" = ok ]; then
		if [ "$C_kind" = pair ]; then
			tp_send B start
			tp_wait B "$logB" "packet forwarding - ports=" 10 ||
				status=failed reason=$(fail_reason "$logB" "receiver did not start forwarding")
		fi
		tp_send A "$C_start"
		tp_wait A "$logA" "packet forwarding - ports=" 10 ||
			status=failed reason=$(fail_reason "$logA" "forwarding did not start")
	fi
	share=-1 load="-1 -1"
	if [ "$status" = ok ]; then
		[ -z "$cmdlog" ] || echo "    (${warm} s warm-up, then $secs x: 1 s, show port stats all)" >>"$cmdlog"
		sleep "$warm"
		m0=$(machine_snap)
		a0=$(fwd_ticks "$tp_A")
		[ "$C_kind" = single ] || b0=$(fwd_ticks "$tp_B")
		tp_send A "show port stats all"
		[ "$C_kind" = single ] || tp_send B "show port stats all"
		k=0
		c=$cmdlog
		cmdlog=
		while [ "$k" -lt "$secs" ]; do
			sleep 1
			tp_send A "show port stats all"
			[ "$C_kind" = single ] || tp_send B "show port stats all"
			k=$((k + 1))
		done
		cmdlog=$c
		load=$(machine_load "$m0" "$(machine_snap)")
		share=$(cpu_share "$a0" "$(fwd_ticks "$tp_A")" "$C_nthr")
		if [ "$C_kind" = pair ]; then
			shareB=$(cpu_share "$b0" "$(fwd_ticks "$tp_B")" 1)
			[ "$shareB" -ge "$share" ] || share=$shareB
		fi
		others2=$(others_running)
		[ -z "$others2" ] || others="$others$others2"
	fi
	# Stop the generator, then the receiver; the receiver quits first (a secondary process
	# must end before its primary), the generator (net_vpair's xstats) last. Stopping both
	# before either quits keeps the forward statistics whole (memif's counters go when its
	# peer disconnects).
	if [ -n "${tp_A:-}" ] && [ "$C_kind" = pair ]; then
		tp_send A stop
		tp_wait A "$logA" "Accumulated forward statistics" 10 || true
	fi
	if [ -n "${tp_B:-}" ]; then
		tp_send B stop "show port xstats all" quit
		tp_end B || [ "$status" != ok ] || status=failed reason="receiver exited with an error"
	fi
	if [ -n "${tp_A:-}" ]; then
		[ "$C_kind" = pair ] || tp_send A stop
		tp_send A "show port xstats all" quit
		tp_end A || [ "$status" != ok ] || status=failed reason="testpmd exited with an error"
	fi
	for p in $pA ${pB:-}; do
		vpair_eal_cleanup "$p" || echo "testpmd-bench: warning: EAL files of $p remain"
		prefixes=$(echo " $prefixes " | sed "s/ $p / /")
	done
	pB=
	[ -z "${sock:-}" ] || rm -f "$sock"
	sock=

	# The numbers: the measuring process's rate and cycles, the generator's cycles.
	if [ "$C_kind" = single ]; then
		eval "$(awk -v rate="$C_rate" -v ports="$C_ports" -f "$here/parse-log.awk" "$logA")"
		cyc2=-1
	else
		eval "$(awk -v rate=tx -f "$here/parse-log.awk" "$logA")"
		cyc2=$cyc gen_classified=$classified gen_otherhost=$otherhost gen_ptype=$ptype_ok
		gen_promisc=$promisc
		eval "$(awk -v rate=rx -f "$here/parse-log.awk" "$logB")"
		# net_vpair's xstats and the port info come from the primary (A)
		classified=$gen_classified otherhost=$gen_otherhost ptype_ok=$gen_ptype
		promisc=$gen_promisc
	fi
	if [ "$status" = ok ] && { [ "$samples" -lt 1 ] ||
		! awk -v v="$mpps" 'BEGIN { exit !(v > 0) }'; }; then
		status=failed reason="no rate (samples: $samples)"
	fi
	# Does the row measure what it says?
	if [ "$status" = ok ]; then
		case $C_check in
		parse)
			[ "$ptype_ok" -ge 2 ] && [ "$classified" -gt 0 ] ||
				status=badcheck reason="parsing not on (ptype set $ptype_ok/2, classified $classified)" ;;
		addressed)
			[ "$ptype_ok" -ge 2 ] && [ "$classified" -gt 0 ] && [ "$otherhost" -eq 0 ] &&
				[ "$mcfilter" -eq 0 ] && [ "$promisc" = off ] ||
				status=badcheck reason="filter drops or wrong set-up (otherhost $otherhost, mcast $mcfilter, classified $classified, promisc $promisc)" ;;
		esac
	fi
	[ -n "$others" ] || others=-
	others=$(echo "$others" | tr ' ' ',' | sed 's/^,//')
	echo "$1 $_i $status $mpps $samples $cyc $cyc2 $offered $classified $otherhost $mcfilter" \
		"$promisc $ptype_ok $share $load $others $reason" >>"$work/results"
	if [ "$status" != ok ] && [ "$status" != skipped ]; then
		echo "testpmd-bench: $1 run $_i $status: $reason; end of its log:"
		tail -n 25 "$logA" | sed 's/^/  | /'
		[ ! -f "$logB" ] || { echo "  receiver:"; tail -n 15 "$logB" | sed 's/^/  | /'; }
	fi
}

# --- Main loop: interleaved, round robin ---------------------------------------------------
# What was measured: the source tree's commit (and whether the driver differs from it), the .so.
if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
	[ -z "$(git -C "$root" status --porcelain -- drivers lib 2>/dev/null)" ] ||
		rev="$rev, with changes in drivers/ or lib/"
fi
{
	echo "testpmd-bench: $(command -v "$VPAIR_TESTPMD") ($(dpkg-query -W -f '${Version}' dpdk-dev 2>/dev/null || echo '?')), plugin $plugin"
	echo "testpmd-bench: source ${rev:-not a git checkout}; plugin sha256" \
		"$(sha256sum "$plugin" | cut -c1-16)"
	echo "testpmd-bench: $(awk -F': ' '/^model name/ { m = $2 } END { print m }' /proc/cpuinfo)," \
		"$(nproc) CPUs, kernel $(uname -r); EAL memory: $(vpair_eal_mem_args)"
	echo "testpmd-bench: $runs run(s) x ${secs} s (+${warm} s warm-up) of: $configs"
	echo "testpmd-bench: burst $burst, 1 forwarding lcore (cpu 1; pair rows: generator cpu 0," \
		"receiver cpu 1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/results.txt"
: >"$work/results"
# A configuration that needs what is missing is skipped once, not per run.
case " $configs " in *" vpair-2p "* | *" vpair-2p-large "*)
	case $(vpair_eal_mem_args) in *--no-huge*)
		case " $configs " in *" vpair-2c "*) ;; *)
			configs="$configs vpair-2c"
			echo "testpmd-bench: no hugepages: vpair-2c (one process) added for vpair-2p" ;;
		esac ;;
	esac ;;
esac
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for n in $configs; do
		run_one "$n" "$i"
		tail -n 1 "$work/results" | awk '{
			if ($3 == "ok") printf "run %s %-15s %8.3f Mpps %8.2f cyc/pkt  (%d samples; fwd cpu %s%%, others %s%%, steal %s%%)\n",
				$2, $1, $4, $6, $5, $14, $15, $16
			else { r = ""; for (i = 18; i <= NF; i++) r = r " " $i
				printf "run %s %-15s %s:%s\n", $2, $1, $3, r } }'
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/results.txt"
cmdlog=
# The commands, as run (the first run of each configuration; "[A]" the generator or only
# process, "[B]" the receiver; file prefixes, paths and the veth names vary per invocation).
{
echo "# testpmd-bench.sh: the commands of the first run of each configuration, as run. [A] is the"
echo "# only (or the generating) testpmd, [B] the receiving one; \"testpmd>\" lines are written to"
echo "# its stdin (a FIFO). File prefixes, the plugin's private copy and the veth names change"
echo "# with every invocation."
echo
for n in $configs; do
	[ -f "$work/commands-$n" ] || continue
	echo "## $n"
	cat "$work/commands-$n"
	echo
done
} >"$out/commands.txt"

# --- Report ---------------------------------------------------------------------------------
# The configurations' static description, one line each, for report.awk.
: >"$work/meta"
for n in $configs; do
	cfg "$n"
	[ "$C_kind" = single ] || C_mode="tx>rx"
	echo "$n|$C_pmdname|$C_mode|$C_size|$C_parse|$C_promisc|$C_filter|$C_ref|$C_core|$C_kind|$C_desc" >>"$work/meta"
done
echo
awk -v runs="$runs" -v secs="$secs" -v csv="$out/results.csv" -v json="$out/results.json" \
	-v dat="$out/results.dat" -v host="$(uname -n)" \
	-v cpu="$(awk -F': ' '/^model name/ { m = $2 } END { print m }' /proc/cpuinfo)" \
	-v ncpu="$(nproc)" -v kernel="$(uname -r)" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	-v testpmd="$(dpkg-query -W -f '${Version}' dpdk-dev 2>/dev/null || echo unknown)" \
	-f "$here/report.awk" FS='|' "$work/meta" FS=' ' "$work/results" | tee -a "$out/results.txt"
[ -s "$out/results.csv" ] || { echo "testpmd-bench: no report" >&2; exit 1; }
# The raw material of the report: awk -f report.awk FS='|' configs.txt FS=' ' runs.txt
cp "$work/meta" "$out/configs.txt" && cp "$work/results" "$out/runs.txt"
# Failed runs of net_ring/net_vpair rows (a skipped vpair-2p is not one: it says why).
nfail=$(awk 'NR == FNR { split($0, f, "|"); core[f[1]] = f[9]; next }
	($3 == "failed" || $3 == "badcheck") && core[$1] == 1 { n++ }
	END { print n + 0 }' "$work/meta" "$work/results")

# --- Plot -----------------------------------------------------------------------------------
vm=
! grep -qw hypervisor /proc/cpuinfo || vm=" (VM)"
subtitle="$(awk -F': ' '/^model name/ { m = $2 } END { print m }' /proc/cpuinfo | tr -d "'")$vm, $(nproc) CPUs, kernel $(uname -r), $runs x $secs s, $(date -u +%Y-%m-%d), source ${rev:-?}"
if [ "$plot" = 1 ] && [ -s "$out/results.dat" ]; then
	if ! command -v gnuplot >/dev/null && [ "$smoke" = 0 ] && [ "$(id -u)" -eq 0 ] &&
		command -v apt-get >/dev/null; then
		echo "testpmd-bench: installing gnuplot-nox for the plot"
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			gnuplot-nox >"$work/apt.log" 2>&1; then
			echo "testpmd-bench: apt-get install gnuplot-nox failed:"
			grep "^E:" "$work/apt.log" | head -n 3
		fi
	fi
	if command -v gnuplot >/dev/null; then
		if gnuplot -e "datafile='$out/results.dat'; outfile='$out/results.png'; subtitle='$subtitle'" \
			"$here/plot.gp" >"$work/gnuplot.log" 2>&1; then
			echo "plot: $out/results.png"
		else
			echo "testpmd-bench: gnuplot failed: $(head -n 3 "$work/gnuplot.log")"
		fi
	elif [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
		/usr/bin/python3 "$here/plot.py" "$out/results.dat" "$out/results.png" "$subtitle" &&
			echo "plot: $out/results.png"
	else
		echo "plot: skipped (no gnuplot; as root the full run installs gnuplot-nox)"
	fi
fi
echo "results: $out/results.txt $out/results.csv $out/results.json"

if [ "$nfail" -ne 0 ]; then
	echo "testpmd-bench: FAILED: $nfail run(s) of net_ring/net_vpair rows failed or did not measure what they say"
	exit 1
fi
exit 0
