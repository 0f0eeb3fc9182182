#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# ovs.sh BUILDDIR: OVS-DPDK end to end. The distro ovs-vswitchd-dpdk (Debian
# openvswitch-switch-dpdk) loads the net_vpair plugin and joins two userspace bridges, br1 and
# br2, with the two ports of one net_vpair (vpa = port a in br1, vpb = port b in br2). Two
# network namespaces hang off the bridges through kernel veths (198.18.0.1 on br1, 198.18.0.2
# on br2). Its own ovsdb-server, database, run and log directory; no system service is used.
# Checks, each reported as ok/FAIL:
#   ping with 0 loss both ways; a 3 s iperf3 TCP run; the vpair xstats in OVS's interface
#   statistics and, at quiet points, tx_packets of one port = rx_packets of the other + its
#   named drops, both directions; del-port of either side while traffic runs (the other side
#   stays, link down, tx_link_down_errors counts the loss) and re-add (traffic resumes);
#   every add/delete/re-add order; mtu_request=9000 on both sides carries 8000-byte pings, on
#   one side only gives rx_oversize_errors on the other; ovs-vswitchd restarts (ovs-appctl exit,
#   and SIGKILL) with the same database bring both ports back; no unexpected ERR/WARN in
#   OVS's log (a check during which OVS complained fails, even if its ports came right).
# A failed check prints OVS's log lines of that time, then both ports are put back (deleted
# and added again, else ovs-vswitchd restarted without them first) so the next check starts
# from a working pair. Runs in about 90 s.
# Installs what it needs (apt-get, no service started), bounds every wait, ends what it
# started by PID. Skipped (77) only without root or without network namespaces.
#
# Knobs (environment):
#   VPAIR_OVS_MODE  perport (default, the guide's recipe: dpdk-devargs=net_vpair0_a and
#                   net_vpair0_b, each port hot-plugged as a device of its own), vdev
#                   (--vdev=net_vpair0 in dpdk-extra and class=eth,mac=<MAC> for both ports;
#                   make test runs it too), hotplug (dpdk-devargs=net_vpair0 for port a and
#                   class=eth,mac=<MAC of b> for port b; one device for both ports, known to
#                   break on some orders)
#   VPAIR_OVS_DEVARGS_A, VPAIR_OVS_DEVARGS_B, VPAIR_OVS_VDEV  override what the mode sets
#   VPAIR_OVS_LSC   options:dpdk-lsc-interrupt of both ports (false; it gains nothing in 3.1)
#   VPAIR_OVS_ONLY  run only the checks whose names contain this string (and the set-up)
#   VPAIR_OVS_TSO   1: other_config:userspace-tso-enable=true, and the namespaces' veths keep
#                   their default offloads (checksum, TSO); iperf3 runs both ways, and a
#                   check "userspace TSO" fails on any TSO or checksum trouble: OVS's
#                   "Tx TSO offload is not supported" for vpa/vpb, "Packet dropped",
#                   coverage netdev_send_prepare_drops, the vpair's tx_offload_errors, a
#                   namespace's TcpInCsumErrors, or a vpa/vpb that did not get TSO (make test
#                   runs it as ovs-tso). 0 (default): tso off, as before, eth0 tx offload off.
#   VPAIR_OVS_IPERF_SECS  length of each iperf3 run (3); the rate is printed (performance
#                   report: VPAIR_OVS_ONLY=iperf3 VPAIR_OVS_IPERF_SECS=10, TSO 1 and 0)
#   VPAIR_PLUGIN, VPAIR_KEEP=1  as for the other integration tests (lib.sh)

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
. "$t_here/ovs-lib.sh"

t_name=ovs
builddir=${1:?usage: $0 BUILDDIR}
t_start=$(date +%s)

# ---- the recipe: one place for the devices and devargs --------------------------------------
mac_a=02:76:70:00:00:0a
mac_b=02:76:70:00:00:0b
mode=${VPAIR_OVS_MODE:-perport}
case $mode in
vdev) vdev_arg=--vdev=net_vpair0 da="class=eth,mac=$mac_a" db="class=eth,mac=$mac_b" ;;
hotplug) vdev_arg= da=net_vpair0 db="class=eth,mac=$mac_b" ;;
perport) vdev_arg= da=net_vpair0_a db=net_vpair0_b ;;
*) t_die "VPAIR_OVS_MODE must be vdev, hotplug or perport, not '$mode'" ;;
esac
devargs_a=${VPAIR_OVS_DEVARGS_A:-$da}
devargs_b=${VPAIR_OVS_DEVARGS_B:-$db}
vdev_arg=${VPAIR_OVS_VDEV-$vdev_arg}
lsc=${VPAIR_OVS_LSC:-false}
only=${VPAIR_OVS_ONLY:-}
tso=${VPAIR_OVS_TSO:-0}
case $tso in 0 | 1) ;; *) t_die "VPAIR_OVS_TSO must be 0 or 1, not '$tso'" ;; esac
iperf_secs=${VPAIR_OVS_IPERF_SECS:-3}
ovs_veth_offloads=$tso

ip1=198.18.0.1 ip2=198.18.0.2
ns1=vpair-ovs1-$$ ns2=vpair-ovs2-$$
sw1=vpovs1-sw sw2=vpovs2-sw

# ---- set-up ----------------------------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "ovs: skipped: needs root (network namespaces, veths, ovs-vswitchd with DPDK)"
	exit 77
fi
command -v ip >/dev/null || t_die "ip (iproute2) not found"
command -v timeout >/dev/null || t_die "timeout (coreutils) not found"

w=
prefix=
state=
cleanup() {
	ovs_cleanup
	[ -z "$prefix" ] || vpair_eal_cleanup "$prefix" || echo "ovs: cannot remove EAL files of $prefix"
	[ -z "$state" ] || rm -f "$state"
	if [ -n "$w" ]; then
		if [ "${VPAIR_KEEP:-0}" = 1 ]; then
			echo "ovs: logs kept in $w"
		else
			vpair_private_remove "$w"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! ip netns add "$ns1" 2>"/tmp/ovs-netns.$$"; then
	echo "ovs: skipped: no network namespaces here: $(cat "/tmp/ovs-netns.$$")"
	rm -f "/tmp/ovs-netns.$$"
	exit 77
fi
rm -f "/tmp/ovs-netns.$$"
ip netns del "$ns1"

# One run at a time on this machine: the bridge taps and veths have fixed names.
base=$(vpair_private_base)
mkdir -p "$base" && chmod 0700 "$base" || t_die "cannot make $base"
exec 9>"$base/ovs.lock"
flock -w 600 9 || t_die "another ovs.sh held $base/ovs.lock for 10 minutes"

# What a run killed by SIGKILL left (it records itself in ovs.state): its processes (found by
# its private directory), namespaces, links and EAL files.
state=$base/ovs.state
if [ -r "$state" ]; then
	read -r old_pid old_dir old_prefix old_ns <"$state"
	if ! ovs_pid_running "$old_pid"; then
		echo "ovs: removing what a killed run (pid $old_pid) left behind"
		for p in $(grep -l -s -F "$old_dir" /proc/[0-9]*/cmdline | cut -d/ -f3); do
			[ "$p" != $$ ] && ovs_pid_end "$p" 5
		done
		for n in $old_ns; do ip netns del "$n" 2>/dev/null; done
		for l in br1 br2 ovs-netdev $sw1 $sw2; do ip link del "$l" 2>/dev/null; done
		vpair_eal_cleanup "$old_prefix" 2>/dev/null
		case $old_dir in "$base"/?*) rm -rf "$old_dir" ;; esac
	fi
fi
for l in br1 br2 ovs-netdev $sw1 $sw2; do
	if ip link show "$l" >/dev/null 2>&1; then
		t_die "interface $l exists already: not ours to use (ip link del $l removes it)"
	fi
done

plugin=${VPAIR_PLUGIN:-$builddir/drivers/net/vpair/librte_net_vpair.so}
[ -f "$plugin" ] || t_die "no plugin $plugin: build it first (ninja -C $builddir)"
# A private directory of our own (0700, no world-writable parent: EAL loads -d from there):
# the plugin, the database, sockets, logs.
w=$(vpair_private_dir ovs) || t_die "cannot make a private directory"
cp "$plugin" "$w/" && chmod 0755 "$w/${plugin##*/}" || t_die "cannot copy $plugin to $w"
ovs_install "$w/apt.log" || t_die "cannot install the packages this test needs"
prefix=$(vpair_file_prefix ovs)
echo "$$ $w $prefix $ns1 $ns2" >"$state"

dpdk_extra="--no-pci --no-huge -m 512 --legacy-mem --file-prefix $prefix -d $w/${plugin##*/}"
[ -z "$vdev_arg" ] || dpdk_extra="$dpdk_extra $vdev_arg"
echo "ovs: mode $mode: dpdk-extra \"$dpdk_extra\""
echo "ovs: vpa dpdk-devargs \"$devargs_a\", vpb dpdk-devargs \"$devargs_b\", lsc interrupt $lsc"
[ "$tso" = 1 ] && tso_db=true || tso_db=false
echo "ovs: userspace-tso-enable=$tso_db, namespace veths' tx offloads $([ "$tso" = 1 ] && echo default || echo off)"
echo "ovs: $("$OVS_VSWITCHD" --version | head -1), run dir $w"

ovs_db_start "$w" || t_die "ovsdb-server did not start"
export OVS_RUNDIR="$w" OVS_LOGDIR="$w" OVS_DBDIR="$w"
ovs_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
	other_config:dpdk-extra="$dpdk_extra" other_config:shared-mempool-config=9000 \
	other_config:userspace-tso-enable="$tso_db" || t_die "cannot configure the database"
ovs_vswitchd_start || t_die "ovs-vswitchd-dpdk did not start"
ovs_links="$ovs_links br1 br2 ovs-netdev"
ovs_vsctl add-br br1 -- set bridge br1 datapath_type=netdev \
	-- add-br br2 -- set bridge br2 datapath_type=netdev || t_die "cannot add the bridges"
ovs_netns_add "$ns1" "$sw1" "$ip1/24" && ovs_netns_add "$ns2" "$sw2" "$ip2/24" ||
	t_die "cannot make the namespaces and veths"
ovs_vsctl add-port br1 "$sw1" -- set Interface "$sw1" ofport_request=1 \
	-- add-port br2 "$sw2" -- set Interface "$sw2" ofport_request=1 ||
	t_die "cannot add the veths to the bridges"
mac1=$(ip -n "$ns1" -br link show eth0 | awk '{ print $3 }')
mac2=$(ip -n "$ns2" -br link show eth0 | awk '{ print $3 }')

# ---- helpers ---------------------------------------------------------------------------------
vlog=$w/ovs-vswitchd.log
# Expected: OVS's own notes on this set-up (no legacy telemetry, no rx checksum offload on
# net_vpair). And stalls of the main thread while DPDK touches new --no-huge memory (EAL
# init, a new mempool: the first port, a new MTU), but only in checks that make mempools.
benign='TELEMETRY: No legacy callbacks|Rx checksum offload is not supported'
# With userspace TSO, OVS 3.1 also says that it will drop SCTP for a port without Tx SCTP
# checksum offload (net_vpair has none: the spec refuses it with ENOTSUP).
[ "$tso" = 0 ] || benign="$benign|vp[ab]: Tx SCTP checksum offload is not supported"
stall='Unreasonably long [0-9]+ms poll interval|\|timeval\|WARN\|(faults|disk|context switches):|blocked [0-9]+ ms waiting for .* to quiesce'

# The mtu_request the ports have now (recover() adds them back with it).
mtu_now=1500

# add_port a|b [more ovs-vsctl arguments for the interface]
add_port() {
	if [ "$1" = a ]; then ap_br=br1 ap_if=vpa ap_dev=$devargs_a; else ap_br=br2 ap_if=vpb ap_dev=$devargs_b; fi
	shift
	ovs_vsctl add-port "$ap_br" "$ap_if" -- set Interface "$ap_if" type=dpdk \
		options:dpdk-devargs="$ap_dev" ofport_request=2 options:dpdk-lsc-interrupt="$lsc" "$@"
}

del_port() {
	ovs_vsctl del-port "vp$1"
}

# t_ping NS DST COUNT [ping options]: sets ping_tx, ping_rx; succeeds on 0 loss.
t_ping() {
	tp_ns=$1 tp_dst=$2 tp_n=$3
	shift 3
	tp_out=$(timeout 60 ip netns exec "$tp_ns" ping -q -n -c "$tp_n" -i 0.05 -W 1 \
		-w $((tp_n / 10 + 5)) "$@" "$tp_dst" 2>&1)
	ping_tx=$(echo "$tp_out" | awk '/packets transmitted/ { print $1 }')
	ping_rx=$(echo "$tp_out" | awk '/packets transmitted/ { print $4 }')
	: "${ping_tx:=0}" "${ping_rx:=0}"
	[ "$ping_tx" -eq "$tp_n" ] && [ "$ping_rx" -eq "$tp_n" ]
}

# ping_both COUNT [ping options]: 0 loss from ns1 to ns2 and from ns2 to ns1.
ping_both() {
	pb_n=$1
	shift
	t_ping "$ns1" "$ip2" "$pb_n" "$@" ||
		{ ck_fail "ping $ip1 -> $ip2${*:+ $*}: $ping_rx replies to $ping_tx pings, not $pb_n to $pb_n"; return 1; }
	t_ping "$ns2" "$ip1" "$pb_n" "$@" ||
		{ ck_fail "ping $ip2 -> $ip1${*:+ $*}: $ping_rx replies to $ping_tx pings, not $pb_n to $pb_n"; return 1; }
	return 0
}

# link_of IF: IF's link as OpenFlow sees it (the netdev's carrier): up or down.
link_of() {
	[ "$1" = vpa ] && lo_br=br1 || lo_br=br2
	timeout 20 ovs-ofctl show "unix:$w/$lo_br.mgmt" 2>/dev/null | awk -v p="($1):" '
		$1 ~ /^[0-9]+\(/ { f = index($1, p) > 0; next }
		f && $1 == "state:" { print ($0 ~ /LINK_DOWN/) ? "down" : "up"; exit }'
}

# wait_link_of IF up|down SECS: prints the milliseconds it took.
wait_link_of() {
	wl_t0=$(ovs_now_ms)
	while :; do
		wl_s=$(link_of "$1")
		[ "$wl_s" = "$2" ] && { echo $(($(ovs_now_ms) - wl_t0)); return 0; }
		[ $(($(ovs_now_ms) - wl_t0)) -le $(($3 * 1000)) ] ||
			{ echo "never (still '$wl_s' after $3 s)"; return 1; }
		sleep 0.05
	done
}

# ports_ok [restart]: both vpair interfaces there as configured: ofport, no error, MAC,
# link up (for OpenFlow, and link_state in the database), then traffic both ways.
# After a restart, OVS 3.1 can leave link_state "down" in the database for a port whose link
# came up while it was being added (see the NIC guide): there that is a note, not a failure.
ports_ok() {
	po_ok=0
	for po in a b; do
		po_if=vp$po
		[ $po = a ] && po_mac=$mac_a || po_mac=$mac_b
		po_of=$(ovs_vsctl --if-exists get Interface "$po_if" ofport)
		po_err=$(ovs_vsctl --if-exists get Interface "$po_if" error)
		po_m=$(ovs_vsctl --if-exists get Interface "$po_if" mac_in_use | tr -d '"')
		[ "$po_of" = 2 ] || { ck_fail "$po_if: ofport '$po_of', not 2"; po_ok=1; }
		[ "$po_err" = "[]" ] || { ck_fail "$po_if: error $po_err"; po_ok=1; }
		[ "$po_m" = "$po_mac" ] || { ck_fail "$po_if: MAC '$po_m', not $po_mac"; po_ok=1; }
	done
	# Without both ports as configured the link cannot come up: no point waiting for it.
	[ "$po_ok" -eq 0 ] || return 1
	for po_if in vpa vpb; do
		po_t=$(wait_link_of "$po_if" up 15) || { ck_fail "$po_if: OpenFlow link up $po_t"; po_ok=1; }
		if [ "${1:-}" = restart ]; then
			po_t=$(ovs_wait_link "$po_if" up 6) ||
				echo "    NOTE: $po_if: link up for OpenFlow, but link_state in the database $po_t (OVS 3.1 status update lost)"
		else
			po_t=$(ovs_wait_link "$po_if" up 15) || { ck_fail "$po_if: link_state up $po_t"; po_ok=1; }
		fi
	done
	[ "$po_ok" -eq 0 ] || return 1
	ping_both 3
}

# ---- checks ----------------------------------------------------------------------------------
ck_name=
ck_fail() { t_fail "$ck_name: $*"; }
ck_results=
ck_recover=1
ck_starts="0:1"
# ck_begin NAME [stall]: stall = the check makes mempools (main thread stalls are expected).
ck_begin() {
	ck_name=$1
	ck_nfail0=$t_nfail
	ck_line0=$(wc -l <"$vlog")
	ck_stall=0
	[ "${2:-}" = stall ] && ck_stall=1
	ck_starts="$ck_starts $ck_line0:$ck_stall"
	ck_t0=$(ovs_now_ms)
	echo "--- $ck_name"
}

# The log lines of the check, when it failed (what OVS and the driver said about it).
ck_loglines() {
	tail -n +$((ck_line0 + 1)) "$vlog" | grep -E '\|(ERR|EMER|WARN)\||already in use|attached|has been removed|Link (Up|Down)' |
		grep -v -E "$benign|$stall" | cut -c 1-240 | head -20 | sed 's/^/    log: /'
}

# log_bad FROM ALLOW_STALL: the ERR, EMER and WARN lines after line FROM of OVS's log that
# are not expected (the patterns go through the environment: awk -v would eat backslashes).
log_bad() {
	tail -n +$(($1 + 1)) "$vlog" | allow=$2 benign="$benign" stall="$stall" awk '
		/\|(ERR|EMER|WARN)\|/ {
			if ($0 ~ ENVIRON["benign"]) next
			if (ENVIRON["allow"] == 1 && $0 ~ ENVIRON["stall"]) next
			print
		}'
}

ck_end() {
	ck_ms=$(($(ovs_now_ms) - ck_t0))
	# OVS's complaints during a check fail it, even when the ports came right in the end.
	ck_bad=$(log_bad "$ck_line0" "$ck_stall" | head -1 | cut -d'|' -f 3-)
	[ -z "$ck_bad" ] || ck_fail "OVS logged: $ck_bad"
	if [ "$t_nfail" -eq "$ck_nfail0" ]; then
		ck_res=ok
	else
		ck_res=FAIL
		ck_loglines
	fi
	ck_line=$(printf '%-4s %-58s %3d.%01d s' "$ck_res" "$ck_name" $((ck_ms / 1000)) $((ck_ms % 1000 / 100)))
	echo "$ck_line"
	ck_results="$ck_results$ck_line
"
	[ "$ck_res" = ok ] || [ -z "$ck_recover" ] || recover
}

# Back to both ports up after a failed check: re-add both, else restart ovs-vswitchd
# without them first (what a hot-plugged device left may need a fresh process).
recover() {
	echo "    recovering: deleting and re-adding both ports"
	ck_starts="$ck_starts $(wc -l <"$vlog"):1"
	rc_nfail=$t_nfail
	ovs_vsctl -- --if-exists del-port vpa -- --if-exists del-port vpb
	add_port a mtu_request=$mtu_now >/dev/null 2>&1 && add_port b mtu_request=$mtu_now >/dev/null 2>&1
	if ports_ok >/dev/null 2>&1; then t_nfail=$rc_nfail; return 0; fi
	echo "    recovering: restarting ovs-vswitchd without the vpair ports"
	ovs_vsctl -- --if-exists del-port vpa -- --if-exists del-port vpb
	ovs_vswitchd_stop exit
	ovs_vswitchd_start || t_die "ovs-vswitchd does not start again"
	add_port a mtu_request=$mtu_now >/dev/null 2>&1 && add_port b mtu_request=$mtu_now >/dev/null 2>&1
	ports_ok >/dev/null 2>&1 || t_die "cannot recover two working vpair ports; giving up"
	t_nfail=$rc_nfail
}

want() {
	[ -z "$only" ] && return 0
	case $1 in *"$only"*) return 0 ;; esac
	return 1
}

# acct: at a quiet point, for both directions, tx_packets of the sender = rx_packets of the
# receiver + the receiver's named drops; and OVS's sums agree with the driver's xstats.
drop_names="rx_otherhost_dropped rx_mcast_filter_dropped rx_oversize_errors rx_undersized_errors rx_flushed_dropped"
acct() {
	ovs_fresh vpa vpb || { ck_fail "$*"; return 1; }
	for ax in $drop_names tx_ring_full_errors tx_link_down_errors tx_malformed_errors \
		rx_multicast_packets rx_broadcast_packets tx_multicast_packets tx_broadcast_packets; do
		for ai in vpa vpb; do
			grep -q "^$ax=" "$ovs_dir/stats.$ai" || ck_fail "$ai: no $ax in OVS's statistics"
		done
	done
	for ad in "vpa vpb" "vpb vpa"; do
		# shellcheck disable=SC2086 # two names
		set -- $ad
		tx=$(ovs_stat "$1" tx_packets)
		rx=$(ovs_stat "$2" rx_packets)
		drops=0 named=
		for ax in $drop_names; do
			v=$(ovs_stat "$2" $ax)
			drops=$((drops + v))
			[ "$v" -eq 0 ] || named="$named $ax=$v"
		done
		echo "    $1 -> $2: tx_packets $tx = rx_packets $rx + drops $drops${named:+ (}${named# }${named:+)}"
		[ "$tx" -eq $((rx + drops)) ] ||
			ck_fail "$1 -> $2: tx_packets $tx != rx_packets $rx + named drops $drops"
		ie=$(($(ovs_stat "$2" rx_oversize_errors) + $(ovs_stat "$2" rx_undersized_errors)))
		[ "$(ovs_stat "$2" rx_errors)" -eq "$ie" ] ||
			ck_fail "$2: rx_errors $(ovs_stat "$2" rx_errors) != oversize + undersized $ie"
		im=$(($(ovs_stat "$2" rx_otherhost_dropped) + $(ovs_stat "$2" rx_mcast_filter_dropped) + $(ovs_stat "$2" rx_flushed_dropped)))
		rd=$(($(ovs_stat "$2" rx_dropped) - $(ovs_stat "$2" ovs_rx_qos_drops)))
		[ "$rd" -eq "$im" ] || ck_fail "$2: rx_dropped $rd != otherhost + mcast + flushed $im"
		# oerrors: malformed mbufs, and offload requests the driver could not honour.
		te=$(($(ovs_stat "$1" tx_malformed_errors) + $(ovs_stat "$1" tx_offload_errors)))
		[ "$(ovs_stat "$1" tx_errors)" -eq "$te" ] ||
			ck_fail "$1: tx_errors $(ovs_stat "$1" tx_errors) != tx_malformed_errors + tx_offload_errors $te"
		# OVS's own counters start again with each new netdev (del-port, add-port), the
		# driver's go on: OVS's count of refused packets is at most the driver's.
		fd=$(ovs_stat "$1" ovs_tx_failure_drops)
		ld=$(ovs_stat "$1" tx_link_down_errors)
		rf=$(ovs_stat "$1" tx_ring_full_errors)
		[ "$rf" -eq 0 ] || echo "    $1: tx_ring_full_errors $rf"
		[ "$fd" -le $((ld + rf)) ] ||
			ck_fail "$1: ovs_tx_failure_drops $fd > tx_link_down_errors $ld + tx_ring_full_errors $rf"
	done
}

# iperf [-R] [2]: a TCP run from ns1 to ns2 (with -R: ns2 sends to ns1), $iperf_secs s; with 2,
# the client is in ns2 and the server in ns1 (the connection starts from the other side). The
# server serves one test (-1) and exits. Sets iperf_rate ("<number> Mbits/sec").
iperf() {
	ip_r=${1:-} ip_cns=$ns1 ip_sns=$ns2 ip_s=$ip2 ip_c=$ip1
	[ "${2:-}" != 2 ] || ip_cns=$ns2 ip_sns=$ns1 ip_s=$ip1 ip_c=$ip2
	ip_dir="$ip_c -> $ip_s"
	[ "$ip_r" = -R ] && ip_dir="$ip_s -> $ip_c"
	ovs_iperf_pidfile=$w/iperf3.pid
	rm -f "$ovs_iperf_pidfile"
	ip netns exec "$ip_sns" iperf3 -s -D -1 -B "$ip_s" --pidfile "$ovs_iperf_pidfile" \
		--logfile "$w/iperf3-server.log" 9>&- || { ck_fail "iperf3 server did not start"; return 1; }
	i=0
	until ip netns exec "$ip_sns" ss -Hltn 'sport = :5201' | grep -q 5201; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { ck_fail "iperf3 server not listening after 10 s"; return 1; }
		sleep 0.1
	done
	# shellcheck disable=SC2086 # -R or nothing
	timeout $((iperf_secs + 40)) ip netns exec "$ip_cns" iperf3 -c "$ip_s" -t "$iperf_secs" -f m \
		--connect-timeout 5000 $ip_r >"$w/iperf3-client.log" 2>&1
	rc=$?
	rate=$(awk '/receiver$/ { print $(NF - 2), $(NF - 1) }' "$w/iperf3-client.log")
	iperf_rate=$rate
	echo "    iperf3 TCP $ip_dir (client $ip_c), $iperf_secs s: ${rate:-no result} (exit status $rc)"
	# The server's end too (a run that never connected leaves it waiting: end it).
	if [ -r "$ovs_iperf_pidfile" ]; then
		ip_p=$(tr -d '\0' <"$ovs_iperf_pidfile")
		[ "$(cat "/proc/$ip_p/comm" 2>/dev/null)" = iperf3 ] && ovs_pid_end "$ip_p" 2
	fi
	if [ "$rc" -ne 0 ] || [ -z "$rate" ] || [ "${rate%% *}" = 0.00 ]; then
		sed 's/^/    /' "$w/iperf3-client.log"
		ck_fail "iperf3 client failed"
	fi
}

# del_traffic X: X's peer keeps sending (a ping from the namespace on its side) while X is
# deleted, then X comes back.
del_traffic() {
	x=$1
	if [ "$x" = b ]; then y=a src=$ns1 dst=$ip2; else y=b src=$ns2 dst=$ip1; fi
	ovs_fresh vpa vpb || { ck_fail "no quiet point before"; return 1; }
	ld0=$(ovs_stat vp$y tx_link_down_errors)
	rf0=$(ovs_stat vp$y tx_ring_full_errors)
	fd0=$(ovs_stat vp$y ovs_tx_failure_drops)
	fl0=$(ovs_stat vp$x rx_flushed_dropped)
	timeout 20 ip netns exec "$src" ping -q -n -i 0.02 -W 1 -w 7 "$dst" \
		>"$w/ping-del-$x.log" 2>&1 9>&- &
	pp=$!
	ovs_bg_pids="$ovs_bg_pids $pp"
	sleep 1
	del_port "$x" || ck_fail "del-port vp$x failed"
	t=$(ovs_wait_link vp$y down 15) || ck_fail "vp$y: link down $t"
	echo "    vp$y: link_state down $t ms after del-port vp$x returned"
	[ "$(ovs_vsctl --if-exists get Interface vp$y ofport)" = 2 ] || ck_fail "vp$y lost its ofport"
	[ "$(ovs_vsctl --if-exists get Interface vp$y error)" = "[]" ] || ck_fail "vp$y got an error"
	sleep 1.5
	add_port "$x" || ck_fail "add-port vp$x failed"
	t=$(ovs_wait_link vp$y up 15) || ck_fail "vp$y: link up $t"
	echo "    vp$y: link_state up $t ms after add-port vp$x returned"
	wait "$pp"
	ovs_bg_pids=
	ptx=$(awk '/packets transmitted/ { print $1 }' "$w/ping-del-$x.log")
	prx=$(awk '/packets transmitted/ { print $4 }' "$w/ping-del-$x.log")
	echo "    ping during del/re-add: ${prx:-?} of ${ptx:-?} replies"
	[ "${ptx:-0}" -gt "${prx:-0}" ] && [ "${prx:-0}" -gt 0 ] ||
		ck_fail "ping during del/re-add: ${prx:-?} of ${ptx:-?} replies: expected some lost, some not"
	ping_both 5 || return 1
	acct "quiet point after"
	ld=$(($(ovs_stat vp$y tx_link_down_errors) - ld0))
	fl=$(($(ovs_stat vp$x rx_flushed_dropped) - fl0))
	echo "    vp$y: tx_link_down_errors +$ld; vp$x: rx_flushed_dropped +$fl; pings lost $((${ptx:-0} - ${prx:-0}))"
	[ "$ld" -gt 0 ] || ck_fail "vp$y: tx_link_down_errors did not count the loss"
	# vp$y's netdev lived through it: OVS counted exactly the refused packets as dropped.
	fd=$(($(ovs_stat vp$y ovs_tx_failure_drops) - fd0))
	rf=$(($(ovs_stat vp$y tx_ring_full_errors) - rf0))
	[ "$rf" -ne 0 ] || [ "$fd" -eq "$ld" ] ||
		ck_fail "vp$y: ovs_tx_failure_drops +$fd != tx_link_down_errors +$ld"
	[ "$ld" -le $((${ptx:-0} - ${prx:-0})) ] ||
		ck_fail "vp$y: tx_link_down_errors +$ld > pings lost $((${ptx:-0} - ${prx:-0}))"
}

# order "STEPS": each step is del:a, del:b, add:a, add:b or a quoted ovs-vsctl transaction.
order() {
	for step; do
		case $step in
		del:?) del_port "${step#del:}" || ck_fail "del-port vp${step#del:} failed" ;;
		add:?) add_port "${step#add:}" || ck_fail "add-port vp${step#add:} failed" ;;
		delboth) ovs_vsctl del-port vpa -- del-port vpb || ck_fail "del-port vpa, vpb failed" ;;
		addboth)
			ovs_vsctl add-port br1 vpa -- set Interface vpa type=dpdk \
				options:dpdk-devargs="$devargs_a" ofport_request=2 \
				options:dpdk-lsc-interrupt="$lsc" \
				-- add-port br2 vpb -- set Interface vpb type=dpdk \
				options:dpdk-devargs="$devargs_b" ofport_request=2 \
				options:dpdk-lsc-interrupt="$lsc" || ck_fail "add-port vpa, vpb failed" ;;
		esac
	done
	ports_ok
}

mtu_set() {
	ovs_vsctl set Interface vpa mtu_request="$1" -- set Interface vpb mtu_request="$2" ||
		ck_fail "mtu_request failed"
	for i in vpa vpb; do
		t=$(ovs_wait_link $i up 15) || ck_fail "$i: link up after the MTU change $t"
	done
	[ "$(ovs_vsctl get Interface vpa mtu)" = "$1" ] || ck_fail "vpa: mtu $(ovs_vsctl get Interface vpa mtu), not $1"
	[ "$(ovs_vsctl get Interface vpb mtu)" = "$2" ] || ck_fail "vpb: mtu $(ovs_vsctl get Interface vpb mtu), not $2"
}

restart() {
	ovs_vswitchd_stop "$1"
	echo "    ovs-vswitchd stopped ($1), starting it again on the same database"
	t0=$(ovs_now_ms)
	ovs_vswitchd_start || { ck_fail "ovs-vswitchd did not start again"; return 1; }
	echo "    up and configured in $(($(ovs_now_ms) - t0)) ms"
	# A port that failed to come up with the others: does it come back by itself (without a
	# database change), or with the next reconfiguration? Either way the restart failed.
	for i in vpa vpb; do
		e=$(ovs_vsctl get Interface $i error)
		[ "$e" = "[]" ] && continue
		ck_fail "$i failed when ovs-vswitchd started: $e"
		rs_t0=$(ovs_now_ms)
		while [ "$(ovs_vsctl get Interface $i error)" != "[]" ] &&
			[ $(($(ovs_now_ms) - rs_t0)) -lt 10000 ]; do
			sleep 0.2
		done
		if [ "$(ovs_vsctl get Interface $i error)" = "[]" ]; then
			echo "    $i came back by itself $(($(ovs_now_ms) - rs_t0)) ms later"
		else
			ovs_sync
			if [ "$(ovs_vsctl get Interface $i error)" = "[]" ]; then
				echo "    $i still failed 10 s later; came back with the next reconfiguration"
			else
				echo "    $i still failed 10 s later and after the next reconfiguration"
			fi
		fi
	done
	ports_ok restart || return 1
	for i in vpa vpb; do
		[ "$(ovs_vsctl get Interface $i mtu)" = 9000 ] || ck_fail "$i: mtu not 9000 after the restart"
	done
	ping_both 3 -M do -s 8000
}

# ---- the run ---------------------------------------------------------------------------------
ck_begin "add port a, then port b" stall
add_port a && add_port b || ck_fail "add-port failed"
ports_ok
ck_end

ck_begin "ping, 0 loss"
# The first ping resolves addresses (broadcast ARP); then static neighbours keep the quiet
# points quiet (no ARP probes at random times).
ping_both 20
ip -n "$ns1" neigh replace "$ip2" lladdr "$mac2" dev eth0 nud permanent &&
	ip -n "$ns2" neigh replace "$ip1" lladdr "$mac1" dev eth0 nud permanent ||
	ck_fail "cannot set static neighbours"
ck_end

# TcpInCsumErrors UdpInCsumErrors of namespace NS (nstat's counters since boot, per netns).
csum_errs() {
	ip netns exec "$1" nstat -asz TcpInCsumErrors UdpInCsumErrors 2>/dev/null |
		awk '$1 == "TcpInCsumErrors" { t = $2 } $1 == "UdpInCsumErrors" { u = $2 }
			END { print t + 0, u + 0 }'
}

if want iperf3; then
	ck_begin "iperf3 TCP, $iperf_secs s"
	ce1_0=$(csum_errs "$ns1") ce2_0=$(csum_errs "$ns2")
	# Frames ns1's stack gave its veth (a TSO super-frame is one) against frames vpa sent
	# (the driver counts segments): with TSO end to end there are several per super-frame.
	sw1_0=$(cat "/sys/class/net/$sw1/statistics/rx_packets")
	vpa_tx0=$(ovs_live vpa | awk '{ print $2 }')
	iperf
	rate_fwd=$iperf_rate
	sw1_n=$(($(cat "/sys/class/net/$sw1/statistics/rx_packets") - sw1_0))
	vpa_n=$(($(ovs_live vpa | awk '{ print $2 }') - ${vpa_tx0:-0}))
	echo "    frames from ns1 into $sw1: $sw1_n; frames vpa sent: $vpa_n"
	if [ "$tso" = 1 ] && [ "$vpa_n" -le $((sw1_n * 3 / 2)) ]; then
		ck_fail "vpa sent $vpa_n frames for $sw1_n from ns1: the kernel's TSO super-frames did not go through the vpair as TSO"
	fi
	ck_end
	if [ "$tso" = 1 ]; then
		ck_begin "iperf3 TCP reverse (-R), $iperf_secs s"
		iperf -R
		rate_rev=$iperf_rate
		ck_end

		# The same, the connection started from ns2 (its SYN crosses vpb -> vpa first).
		ck_begin "iperf3 TCP from a client in ns2, $iperf_secs s"
		iperf "" 2
		ck_end

		ck_begin "userspace TSO: no TSO or checksum trouble"
		grep -E 'vp[ab]: Tx TSO offload is not supported' "$vlog" | head -2 | sed 's/^/    log: /'
		! grep -q -E 'vp[ab]: Tx TSO offload is not supported' "$vlog" ||
			ck_fail "OVS found no TSO on the vpair ports"
		grep -i 'packet dropped' "$vlog" | head -5 | cut -c 1-200 | sed 's/^/    log: /'
		! grep -q -i 'packet dropped' "$vlog" || ck_fail "OVS logged dropped packets"
		spd=$(ovs_appctl coverage/show | awk '$1 == "netdev_send_prepare_drops" { print $NF }')
		echo "    coverage netdev_send_prepare_drops: ${spd:-absent}"
		[ "${spd:-0}" = 0 ] || ck_fail "netdev_send_prepare_drops total $spd"
		ovs_fresh vpa vpb || ck_fail "no quiet point"
		for i in vpa vpb; do
			grep -q '^tx_offload_errors=' "$ovs_dir/stats.$i" ||
				ck_fail "$i: no tx_offload_errors in OVS's statistics (driver without offloads?)"
			v=$(ovs_stat $i tx_offload_errors)
			echo "    $i: tx_offload_errors $v"
			[ "$v" -eq 0 ] || ck_fail "$i: tx_offload_errors $v"
		done
		for n in 1 2; do
			[ $n = 1 ] && { ns=$ns1; c0=$ce1_0; } || { ns=$ns2; c0=$ce2_0; }
			c=$(csum_errs "$ns")
			dt=$((${c% *} - ${c0% *})) du=$((${c#* } - ${c0#* }))
			echo "    ns$n: TcpInCsumErrors +$dt, UdpInCsumErrors +$du"
			[ "$dt" -eq 0 ] && [ "$du" -eq 0 ] ||
				ck_fail "ns$n received frames with bad checksums (TcpInCsumErrors +$dt, UdpInCsumErrors +$du)"
		done
		ck_end
	fi
fi

ck_begin "xstats in OVS statistics, tx = rx + named drops"
acct "first quiet point"
if want iperf3 && [ "$(ovs_stat vpa tx_packets)" -le 1000 ]; then
	ck_fail "vpa: only $(ovs_stat vpa tx_packets) packets sent: did iperf3 take the vpair?"
fi
ck_end

for x in b a; do
	want "del-port vp$x while" || continue
	ck_begin "del-port vp$x while traffic runs, re-add"
	del_traffic $x
	ck_end
done

for o in "del:a add:a" "del:b add:b" "del:a del:b add:a add:b" "del:a del:b add:b add:a" \
	"del:b del:a add:a add:b" "del:b del:a add:b add:a" "delboth addboth"; do
	n=
	for st in $o; do
		case $st in
		del:?) st="del-port vp${st#del:}" ;;
		add:?) st="add-port vp${st#add:}" ;;
		delboth) st="del both in one transaction" ;;
		addboth) st="add both in one transaction" ;;
		esac
		n="${n:+$n, }$st"
	done
	want "$n" || continue
	ck_begin "$n"
	# shellcheck disable=SC2086 # the steps
	order $o
	ck_end
done

if want mtu; then
	ck_begin "mtu_request=9000 both: 8000-byte pings" stall
	for n in "$ns1" "$ns2"; do ip -n "$n" link set eth0 mtu 9000 || ck_fail "veth mtu 9000 in $n"; done
	ip link set "$sw1" mtu 9000 && ip link set "$sw2" mtu 9000 || ck_fail "veth mtu 9000"
	mtu_set 9000 9000
	mtu_now=9000
	ping_both 5 -M do -s 8000
	ping_both 3
	ck_end

	ck_begin "mtu 9000 on one side: rx_oversize_errors" stall
	ovs_fresh vpa vpb || ck_fail "no quiet point before"
	ova=$(ovs_stat vpa rx_oversize_errors) ovb=$(ovs_stat vpb rx_oversize_errors)
	mtu_set 9000 1500
	t_ping "$ns1" "$ip2" 5 -M do -s 8000 -w 2
	n1=$ping_tx
	echo "    vpa 9000, vpb 1500: $ping_rx of $n1 8000-byte pings $ip1 -> $ip2 answered"
	[ "$ping_rx" -eq 0 ] || ck_fail "8000-byte pings passed a 1500-byte MTU"
	mtu_set 1500 9000
	t_ping "$ns2" "$ip1" 5 -M do -s 8000 -w 2
	n2=$ping_tx
	echo "    vpa 1500, vpb 9000: $ping_rx of $n2 8000-byte pings $ip2 -> $ip1 answered"
	[ "$ping_rx" -eq 0 ] || ck_fail "8000-byte pings passed a 1500-byte MTU"
	acct "quiet point after"
	dob=$(($(ovs_stat vpb rx_oversize_errors) - ovb)) doa=$(($(ovs_stat vpa rx_oversize_errors) - ova))
	echo "    vpb: rx_oversize_errors +$dob (sent $n1); vpa: rx_oversize_errors +$doa (sent $n2)"
	[ "$dob" -eq "$n1" ] || ck_fail "vpb: rx_oversize_errors +$dob, $n1 oversize frames sent"
	[ "$doa" -eq "$n2" ] || ck_fail "vpa: rx_oversize_errors +$doa, $n2 oversize frames sent"
	mtu_set 9000 9000
	mtu_now=9000
	ping_both 3 -M do -s 8000
	ck_end
else
	mtu_now=9000
	ovs_vsctl set Interface vpa mtu_request=9000 -- set Interface vpb mtu_request=9000
	for n in "$ns1" "$ns2"; do ip -n "$n" link set eth0 mtu 9000; done
	ip link set "$sw1" mtu 9000 && ip link set "$sw2" mtu 9000
fi

for how in exit kill; do
	want "restart" || continue
	[ $how = exit ] && n="ovs-vswitchd restart (ovs-appctl exit)" || n="ovs-vswitchd restart after SIGKILL"
	ck_begin "$n" stall
	restart $how
	acct "quiet point after"
	ck_end
done

ck_begin "OVS log: no unexpected ERR, EMER or WARN"
# Each check has judged its own lines; this catches the rest (set-up, recoveries).
bad=$(starts="$ck_starts" benign="$benign" stall="$stall" awk '
	BEGIN { n = split(ENVIRON["starts"], s, " ") }
	/\|(ERR|EMER|WARN)\|/ {
		if ($0 ~ ENVIRON["benign"]) next
		if ($0 ~ ENVIRON["stall"]) {
			ok = 0
			for (i = 1; i <= n; i++) { split(s[i], f, ":"); if (f[1] < NR) ok = f[2] }
			if (ok) next
		}
		print
	}' "$vlog")
if [ -n "$bad" ]; then
	echo "$bad" | cut -c 1-240 | head -40 | sed 's/^/    log: /'
	ck_fail "$(echo "$bad" | wc -l) unexpected ERR/EMER/WARN lines in ovs-vswitchd.log"
fi
grep -n -i 'packet dropped' "$vlog" | head -5 | sed 's/^/    log: /'
! grep -q -i 'packet dropped' "$vlog" || ck_fail "OVS logged dropped packets"
ck_line0=$(wc -l <"$vlog")
ck_recover=
ck_end

echo "===== ovs ($mode, userspace TSO $tso_db) summary, $(($(date +%s) - t_start)) s"
printf '%s' "$ck_results"
[ -z "${rate_fwd:-}" ] || echo "iperf3 $iperf_secs s, $ip1 -> $ip2: $rate_fwd"
[ -z "${rate_rev:-}" ] || echo "iperf3 $iperf_secs s, $ip2 -> $ip1: $rate_rev"
if [ "$t_nfail" -ne 0 ]; then
	echo "----- ovs-vswitchd.log (last 60 lines without coverage/poll_loop)"
	grep -v -E '\|(coverage|poll_loop)\|' "$vlog" | tail -60
	echo "ovs: FAILED ($t_nfail)"
	exit 1
fi
echo "ovs: PASS"
exit 0
