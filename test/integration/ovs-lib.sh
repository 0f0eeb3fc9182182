# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Sourced by ovs.sh (POSIX sh), after lib.sh. A private OVS-DPDK: the distro ovs-vswitchd-dpdk
# with its own ovsdb-server, database, run and log directory, two network namespaces joined to
# their bridges by kernel veths; nothing of the system's openvswitch-switch service is used or
# touched. Everything it starts is recorded by PID and ended by ovs_cleanup. The daemons are
# started without fd 9, which ovs.sh holds its lock on.
#
#   ovs_install LOG          installs the missing Debian packages (openvswitch-switch-dpdk,
#                            iperf3, iputils-ping, ethtool) without starting any service;
#                            apt-get's output goes to LOG
#   ovs_db_start DIR         creates DIR/conf.db and runs ovsdb-server on DIR/db.sock
#   ovs_vswitchd_start       runs ovs-vswitchd-dpdk on it and waits until it has applied the
#                            database (DPDK initialised, bridges and ports configured)
#   ovs_vswitchd_stop [how]  how = exit (ovs-appctl exit, the database is kept), kill (SIGKILL)
#   ovs_vsctl ARGS / ovs_appctl ARGS   bounded ovs-vsctl / ovs-appctl on our instance
#   ovs_netns_add NS IFSW ADDR         a namespace whose eth0 (ADDR) is the peer of IFSW
#                            (eth0 with tx checksum offload off, unless ovs_veth_offloads=1)
#   ovs_live IF              prints "rx_packets tx_packets rx_dropped tx_dropped rx_errors
#                            tx_errors" of IF as ovs-vswitchd counts them now (dpctl/show -s)
#   ovs_fresh IF...          waits until traffic on the IFs is quiet and the database
#                            statistics of each IF are those of that quiet point, then writes
#                            them as key=value lines to $ovs_dir/stats.IF
#   ovs_stat IF KEY          prints KEY from the last ovs_fresh of IF (0 if missing)
#   ovs_cleanup              ends everything started here, by PID, removes what was made
# Knobs: VPAIR_OVS_VSWITCHD (the binary), VPAIR_OVS_SCHEMA.

OVS_VSWITCHD=${VPAIR_OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=${VPAIR_OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

ovs_dir=
ovs_db_pid=
ovs_vsd_pid=
ovs_policy_made=
ovs_netns_list=
ovs_links=
ovs_bg_pids=
ovs_iperf_pidfile=
ovs_sync_n=0

ovs_now_ms() { date +%s%3N; }

# Succeeds while PID is a live process (not a zombie waiting to be reaped).
ovs_pid_running() {
	ovs_st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $ovs_st in Z* | "") return 1 ;; esac
	return 0
}

# Ends PID (our own child or daemon): SIGTERM, up to SECS seconds, then SIGKILL.
ovs_pid_end() {
	ovs_p=$1 ovs_secs=${2:-10}
	[ -n "$ovs_p" ] || return 0
	ovs_pid_running "$ovs_p" || { wait "$ovs_p" 2>/dev/null; return 0; }
	kill -TERM "$ovs_p" 2>/dev/null
	ovs_i=0
	while ovs_pid_running "$ovs_p" && [ "$ovs_i" -lt $((ovs_secs * 10)) ]; do
		sleep 0.1
		ovs_i=$((ovs_i + 1))
	done
	ovs_pid_running "$ovs_p" && kill -KILL "$ovs_p" 2>/dev/null
	wait "$ovs_p" 2>/dev/null
	return 0
}

# PIDs of the system's own OVS daemons, if running (they are never ours to use).
ovs_system_pids() {
	for ovs_f in /run/openvswitch/ovs-vswitchd.pid /run/openvswitch/ovsdb-server.pid; do
		[ -r "$ovs_f" ] || continue
		ovs_p=$(cat "$ovs_f" 2>/dev/null)
		[ -n "$ovs_p" ] && ovs_pid_running "$ovs_p" && echo "$ovs_p"
	done
	return 0
}

ovs_apt() {
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -q -y --no-install-recommends \
		-o DPkg::Lock::Timeout=300 "$@"
}

ovs_install() {
	ovs_need=
	if [ ! -x "$OVS_VSWITCHD" ] || ! command -v ovsdb-server >/dev/null ||
		! command -v ovs-vsctl >/dev/null || ! command -v ovsdb-tool >/dev/null; then
		ovs_need=openvswitch-switch-dpdk
	fi
	command -v iperf3 >/dev/null || ovs_need="$ovs_need iperf3"
	command -v ping >/dev/null || ovs_need="$ovs_need iputils-ping"
	command -v ethtool >/dev/null || ovs_need="$ovs_need ethtool"
	[ -n "$ovs_need" ] || return 0
	command -v apt-get >/dev/null || { echo "ovs: no apt-get to install$ovs_need"; return 1; }
	ovs_had_switch=$(dpkg-query -W -f '${Status}' openvswitch-switch 2>/dev/null)
	# No service may start during the install (invoke-rc.d asks policy-rc.d; 101 = denied).
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# dpdk-vpair test/integration/ovs.sh: no service starts while it installs\nexit 101\n' \
			>/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d && ovs_policy_made=1
	fi
	ovs_sys_before=" $(ovs_system_pids | tr '\n' ' ') "
	echo "ovs: installing$ovs_need (apt-get, no recommends, no service started)"
	ovs_log=$1
	# shellcheck disable=SC2086 # a list of package names
	if ! ovs_apt install $ovs_need >"$ovs_log" 2>&1; then
		# The package lists may be missing or stale.
		ovs_apt update >>"$ovs_log" 2>&1
		# shellcheck disable=SC2086
		ovs_apt install $ovs_need >>"$ovs_log" 2>&1 || {
			tail -20 "$ovs_log"
			ovs_install_done
			echo "ovs: apt-get install$ovs_need failed"
			return 1
		}
	fi
	ovs_install_done
	# If the install started the system's daemons anyway, end exactly those.
	for ovs_p in $(ovs_system_pids); do
		case $ovs_sys_before in *" $ovs_p "*) ;; *)
			echo "ovs: the install started a system OVS daemon (pid $ovs_p): stopping it"
			kill -TERM "$ovs_p" 2>/dev/null ;;
		esac
	done
	# And the system service is not left enabled by an install that we made.
	case $ovs_had_switch in *"install ok installed"*) ;; *)
		if command -v systemctl >/dev/null; then
			systemctl disable openvswitch-switch.service >/dev/null 2>&1
		fi
		update-rc.d openvswitch-switch disable >/dev/null 2>&1 ;;
	esac
	return 0
}

ovs_install_done() {
	[ -z "$ovs_policy_made" ] || rm -f /usr/sbin/policy-rc.d
	ovs_policy_made=
}

ovs_vsctl() {
	timeout 120 ovs-vsctl --db="unix:$ovs_dir/db.sock" --timeout=90 "$@"
}

ovs_appctl() {
	timeout 40 ovs-appctl -t "$ovs_dir/ovs-vswitchd.ctl" --timeout=30 "$@"
}

ovs_db_start() {
	ovs_dir=$1
	ovsdb-tool create "$ovs_dir/conf.db" "$OVS_SCHEMA" || return 1
	ovsdb-server "$ovs_dir/conf.db" --remote="punix:$ovs_dir/db.sock" \
		--unixctl="$ovs_dir/ovsdb-server.ctl" --pidfile="$ovs_dir/ovsdb-server.pid" \
		--log-file="$ovs_dir/ovsdb-server.log" -vconsole:off \
		</dev/null >>"$ovs_dir/ovsdb-server.out" 2>&1 9>&- &
	ovs_db_pid=$!
	ovs_i=0
	until timeout 10 ovs-vsctl --db="unix:$ovs_dir/db.sock" --timeout=5 --no-wait init \
		>/dev/null 2>&1; do
		ovs_i=$((ovs_i + 1))
		if [ "$ovs_i" -ge 100 ] || ! ovs_pid_running "$ovs_db_pid"; then
			cat "$ovs_dir/ovsdb-server.out" "$ovs_dir/ovsdb-server.log" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# Waits until ovs-vswitchd has applied the database as it is now (bounded by ovs_vsctl).
ovs_sync() {
	ovs_sync_n=$((ovs_sync_n + 1))
	ovs_vsctl set Open_vSwitch . external_ids:vpair-test-sync="$ovs_sync_n"
}

ovs_vswitchd_start() {
	ovs_log_file=$ovs_dir/ovs-vswitchd.log
	"$OVS_VSWITCHD" "unix:$ovs_dir/db.sock" --pidfile="$ovs_dir/ovs-vswitchd.pid" \
		--unixctl="$ovs_dir/ovs-vswitchd.ctl" --log-file="$ovs_log_file" \
		-vconsole:off -vfile:netdev_dpdk:dbg \
		</dev/null >>"$ovs_dir/ovs-vswitchd.out" 2>&1 9>&- &
	ovs_vsd_pid=$!
	# Not ovs-appctl: while DPDK initialises, a client that gives up leaves a "Broken pipe"
	# warning in the log. The database says when it is done.
	ovs_i=0
	until [ -S "$ovs_dir/ovs-vswitchd.ctl" ]; do
		ovs_i=$((ovs_i + 1))
		if [ "$ovs_i" -ge 600 ] || ! ovs_pid_running "$ovs_vsd_pid"; then
			echo "ovs: ovs-vswitchd did not come up:"
			tail -30 "$ovs_dir/ovs-vswitchd.out" "$ovs_log_file" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	ovs_sync && ovs_pid_running "$ovs_vsd_pid"
}

# ovs_vswitchd_stop exit|kill: exit is what a service restart does (the database stays);
# kill is a crash. Either way the process is gone (and reaped) when this returns.
ovs_vswitchd_stop() {
	[ -n "$ovs_vsd_pid" ] || return 0
	if [ "${1:-exit}" = exit ]; then
		ovs_appctl exit >/dev/null 2>&1
		ovs_i=0
		while ovs_pid_running "$ovs_vsd_pid" && [ "$ovs_i" -lt 300 ]; do
			sleep 0.1
			ovs_i=$((ovs_i + 1))
		done
	fi
	if ovs_pid_running "$ovs_vsd_pid"; then
		[ "${1:-exit}" = exit ] && echo "ovs: ovs-vswitchd did not exit in 30 s: SIGKILL"
		kill -KILL "$ovs_vsd_pid" 2>/dev/null
	fi
	wait "$ovs_vsd_pid" 2>/dev/null
	ovs_vsd_pid=
	return 0
}

# ovs_netns_add NS IFSW ADDR/LEN MTU: namespace NS without IPv6 (no router solicitations or
# MLD reports to disturb the counters), eth0 = ADDR, its veth peer IFSW in this namespace.
# Checksum offload is off on eth0 (unless ovs_veth_offloads=1): without userspace TSO the
# userspace datapath forwards frames as the socket gives them, so a partial checksum would
# reach the other namespace unfinished. With userspace-tso-enable=true OVS reads the
# virtio-net header and finishes or offloads the checksums itself: eth0 keeps its defaults.
ovs_veth_offloads=0
ovs_netns_add() {
	ip netns add "$1" || return 1
	ovs_netns_list="$ovs_netns_list $1"
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
	ip link add "$2" type veth peer name eth0 netns "$1" || return 1
	ovs_links="$ovs_links $2"
	[ -w "/proc/sys/net/ipv6/conf/$2/disable_ipv6" ] &&
		echo 1 >"/proc/sys/net/ipv6/conf/$2/disable_ipv6"
	if [ "$ovs_veth_offloads" != 1 ]; then
		ip netns exec "$1" ethtool -K eth0 tx off >/dev/null 2>&1 || return 1
	fi
	ip link set "$2" up &&
		ip -n "$1" link set lo up &&
		ip -n "$1" addr add "$3" dev eth0 &&
		ip -n "$1" link set eth0 up
}

ovs_live() {
	ovs_appctl dpctl/show -s netdev@ovs-netdev | awk -v p="$1" '
		$1 == "port" { f = ($3 == p); next }
		function v(s) { sub(/^[a-z]+:/, "", s); return s }
		f && $1 == "RX" && $2 ~ /^packets:/ { rxp = v($2); rxe = v($3); rxd = v($4) }
		f && $1 == "TX" && $2 ~ /^packets:/ { txp = v($2); txe = v($3); txd = v($4); n = 1 }
		END { if (n) print rxp, txp, rxd, txd, rxe, txe; else exit 1 }'
}

ovs_db_stats() {
	ovs_vsctl get Interface "$1" statistics | tr -d '{}" ' | tr ',' '\n'
}

# The statistics column is refreshed every 5 s (stats-update-interval cannot be lower): wait
# for quiet, then for a refresh that shows the quiet counts.
ovs_fresh() {
	ovs_t0=$(ovs_now_ms)
	ovs_prev=
	while :; do
		ovs_cur=
		for ovs_if; do
			ovs_v=$(ovs_live "$ovs_if") || { echo "ovs: $ovs_if is not in the datapath"; return 1; }
			ovs_cur="$ovs_cur $ovs_if: $ovs_v"
		done
		if [ "$ovs_cur" = "$ovs_prev" ]; then
			ovs_ok=1
			for ovs_if; do
				ovs_db_stats "$ovs_if" >"$ovs_dir/stats.$ovs_if"
				ovs_db=$(awk -F= '{ s[$1] = $2 } END {
					print s["rx_packets"], s["tx_packets"], s["rx_dropped"],
						s["tx_dropped"], s["rx_errors"], s["tx_errors"] }' \
					"$ovs_dir/stats.$ovs_if")
				case $ovs_cur in *" $ovs_if: $ovs_db"*) ;; *) ovs_ok=0 ;; esac
			done
			[ "$ovs_ok" -eq 0 ] || return 0
		fi
		if [ $(($(ovs_now_ms) - ovs_t0)) -gt 30000 ]; then
			echo "ovs: no quiet, refreshed statistics within 30 s: live$ovs_cur"
			return 1
		fi
		ovs_prev=$ovs_cur
		sleep 0.5
	done
}

ovs_stat() {
	awk -F= -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' \
		"$ovs_dir/stats.$1" 2>/dev/null || echo 0
}

# ovs_wait_link IF STATE SECS: prints the milliseconds until IF's link_state was STATE.
ovs_wait_link() {
	ovs_t0=$(ovs_now_ms)
	while :; do
		ovs_ls=$(ovs_vsctl --if-exists get Interface "$1" link_state 2>/dev/null)
		[ "$ovs_ls" = "$2" ] && { echo $(($(ovs_now_ms) - ovs_t0)); return 0; }
		if [ $(($(ovs_now_ms) - ovs_t0)) -gt $(($3 * 1000)) ]; then
			echo "never (still '$ovs_ls' after $3 s)"
			return 1
		fi
		sleep 0.05
	done
}

ovs_cleanup() {
	for ovs_p in $ovs_bg_pids; do
		ovs_pid_end "$ovs_p" 2
	done
	ovs_bg_pids=
	if [ -n "$ovs_iperf_pidfile" ] && [ -r "$ovs_iperf_pidfile" ]; then
		ovs_p=$(tr -d '\0' <"$ovs_iperf_pidfile")
		[ "$(cat "/proc/$ovs_p/comm" 2>/dev/null)" = iperf3 ] && ovs_pid_end "$ovs_p" 2
	fi
	ovs_install_done
	if [ -n "$ovs_vsd_pid" ] && ovs_pid_running "$ovs_vsd_pid"; then
		# The bridges' tap devices persist unless ovs-vswitchd deletes them.
		timeout 20 ovs-vsctl --db="unix:$ovs_dir/db.sock" --timeout=15 \
			-- --if-exists del-br br1 -- --if-exists del-br br2 >/dev/null 2>&1
		timeout 20 ovs-appctl -t "$ovs_dir/ovs-vswitchd.ctl" --timeout=15 exit --cleanup \
			>/dev/null 2>&1
		ovs_i=0
		while ovs_pid_running "$ovs_vsd_pid" && [ "$ovs_i" -lt 100 ]; do
			sleep 0.1
			ovs_i=$((ovs_i + 1))
		done
	fi
	ovs_pid_end "$ovs_vsd_pid" 5
	ovs_vsd_pid=
	ovs_pid_end "$ovs_db_pid" 5
	ovs_db_pid=
	for ovs_ns in $ovs_netns_list; do
		ip netns del "$ovs_ns" 2>/dev/null
	done
	ovs_netns_list=
	# Our veths went with their namespaces; the taps of the netdev datapath are ours too
	# (ovs.sh checked that none of these names existed before it started).
	for ovs_l in $ovs_links; do
		ip link show "$ovs_l" >/dev/null 2>&1 && ip link del "$ovs_l" 2>/dev/null
	done
	ovs_links=
	return 0
}
