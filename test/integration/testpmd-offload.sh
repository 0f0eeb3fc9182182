#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# testpmd-offload.sh BUILDDIR: the Tx offloads (checksum, TSO) and the receiver's checksum and
# LRO offloads of net_vpair, through the distro dpdk-testpmd's csum forwarding engine.
# Ports: 0 = net_vpair0_a, 1 = net_vpair0_b, 2 = net_pcap0 (rx_pcap: the frames of
# offload-frames.py; tx_pcap: a sink), chained: 2 -> 0, 0 -> 1, 1 -> 2. testpmd reads each
# frame once from the pcap file, and the csum engine transmits it on port 0 with
# `csum set ip|tcp|udp hw 0` and `tso set 800 0`: the TCP frames with more than 800 bytes of
# payload go out as RTE_MBUF_F_TX_TCP_SEG, the others with the checksum requests only. Every
# checksum in the input frames is wrong on purpose, and the csum engine leaves it alone when
# it requests the offload: only the driver can make it right.
# dpdk-dumpcap (a secondary process) captures what port 1 receives; offload-frames.py check
# compares it frame by frame with the spec: the segments (lengths, seq, IPv4 id, flags,
# payload), the IPv4 header checksum, and the L4 checksum field: the full checksum, unless
# port 1 has the Rx checksum offload on a pair created with csum_partial=1: then the
# pseudo-header checksum (RX_L4_CKSUM_NONE).
# testpmd's verbose csum lines must show that it did request the offloads on port 0 and the
# Rx flags port 1 got. Three runs, port 1 configured:
#   full  no Rx offloads
#   scatter  rx_offload scatter only: as full (the segments may be chains that hold the
#         sender's payload)
#   good  rx_offload ipv4_cksum, tcp_cksum, udp_cksum: full checksums, flagged GOOD
#   phdr  the same, the pair with csum_partial=1: pseudo-header checksums, flagged NONE
#   lro   the same and tcp_lro, max-lro-pkt-size 9000, scatter: TSO frames arrive whole
# Each run also fails on: testpmd's Bad-ipcsum / Bad-l4csum of port 1 not 0 (the csum engine
# counts the receiver's RX_*_CKSUM_BAD flags), `csum set`/`tso set` refused, a tx_prepare
# refusal, port 0's tx_offload_errors not 0 or missing, any drop, an EAL error.
# VPAIR_OFFLOAD_MODES: the runs (default "full scatter good phdr lro"). Needs hugepages (dumpcap attaches as
# a secondary process): skipped (77) otherwise.
# VPAIR_OFFLOAD_RX_MODE: check every run against this mode's expectations instead of its own
# (to see the check fail: VPAIR_OFFLOAD_MODES=phdr VPAIR_OFFLOAD_RX_MODE=full, a receiver that
# ignores RX_L4_CKSUM_NONE and verifies the L4 checksum finds every one of them bad).
# Seen to fail too against the driver before offloads: `csum set ... hw` and `tso set` refused,
# the TSO frames arrive unsegmented with the sender's bogus checksums, the 3000-byte ones are
# dropped as oversize, and there is no tx_offload_errors.

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

modes=${VPAIR_OFFLOAD_MODES:-full scatter good phdr lro}
mac_b=02:76:70:00:00:0b

t_init "${1:-}" testpmd-offload
case $t_mem_args in
*--no-huge*) echo "testpmd-offload: no hugepages here, dpdk-dumpcap cannot attach: skipped"
	exit 77 ;;
esac
command -v dpdk-dumpcap >/dev/null || t_die "dpdk-dumpcap not found: install dpdk-dev"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
# dumpcap's mempool ops must be numbered as testpmd's (see capture.sh).
preload=$(ldd "$(command -v "$VPAIR_TESTPMD")" |
	awk '$1 ~ /^librte_mempool_/ && $3 ~ /^\// { printf "%s ", $3 }')
[ -z "$t_plugin" ] || preload="$preload$t_work/${t_plugin##*/}"

"$py" "$t_here/offload-frames.py" gen "$t_work/in.pcap" || t_die "cannot write the input frames"
# Frames in; frames port 1 gets with segmentation; and with LRO (TSO frames whole).
counts=$("$py" "$t_here/offload-frames.py" count) || t_die "offload-frames.py count"
set -- $counts
nin=$1 nseg=$2 nlro=$3

mem_args=$(echo "$t_mem_args" | sed 's/--huge-unlink//')
fifo=$t_work/cmds.fifo
mkfifo "$fifo" || t_die "mkfifo $fifo"

# wait_for FILE PATTERN SECS: until FILE has a line matching PATTERN.
wait_for() {
	wf_i=0
	until grep -q -E "$2" "$1" 2>/dev/null; do
		wf_i=$((wf_i + 1))
		[ "$wf_i" -lt $(($3 * 10)) ] || return 1
		kill -0 "$vpair_testpmd_pid" 2>/dev/null || return 1
		sleep 0.1
	done
}

run() {
	mode=$1
	case $mode in
	full) rxoff= nexp=$nseg devargs= ;;
	scatter) rxoff=scatter nexp=$nseg devargs= ;;
	good) rxoff="ipv4_cksum tcp_cksum udp_cksum" nexp=$nseg devargs= ;;
	phdr) rxoff="ipv4_cksum tcp_cksum udp_cksum" nexp=$nseg devargs=,csum_partial=1 ;;
	lro) rxoff="ipv4_cksum tcp_cksum udp_cksum tcp_lro scatter" nexp=$nlro
		devargs=,csum_partial=1 ;;
	*) t_die "unknown mode $mode" ;;
	esac
	checkmode=$mode
	[ "$mode" != scatter ] || checkmode=full
	checkmode=${VPAIR_OFFLOAD_RX_MODE:-$checkmode}
	log=$t_work/$mode.log
	dlog=$t_work/dumpcap-$mode.log
	cap=$t_work/rx-$mode.pcapng
	t_logs="$t_logs $log $dlog"
	t_log=$log
	t_prefix=$(vpair_file_prefix vpi-offload)
	echo "--- $mode: port 1 rx offloads: ${rxoff:-none}; $nin frames in, $nexp expected at port 1"
	echo "testpmd-offload: $VPAIR_TESTPMD -l 0-1 --no-pci $mem_args --file-prefix $t_prefix" \
		"$t_plugin_args --vdev=net_vpair0$devargs --vdev=net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap" \
		"-- -i --forward-mode=csum --port-topology=chained --eth-peer=0,$mac_b --no-flush-rx ..."
	# shellcheck disable=SC2086
	timeout --preserve-status -k 5 -s INT 120 "$VPAIR_TESTPMD" -l 0-1 --no-pci $mem_args \
		--file-prefix "$t_prefix" $t_plugin_args --vdev=net_vpair0$devargs \
		--vdev="net_pcap0,rx_pcap=$t_work/in.pcap,tx_pcap=$t_work/out-$mode.pcap" -- -i \
		--forward-mode=csum --port-topology=chained --eth-peer=0,$mac_b \
		--no-flush-rx --total-num-mbufs=8192 <"$fifo" >"$log" 2>&1 &
	vpair_testpmd_pid=$!
	exec 3>"$fifo"
	{
		echo "show port info all"
		echo "port stop all"
		echo "csum set ip hw 0"
		echo "csum set tcp hw 0"
		echo "csum set udp hw 0"
		echo "tso set 800 0"
		for o in $rxoff; do echo "port config 1 rx_offload $o on"; done
		[ "$mode" != lro ] || echo "port config all max-lro-pkt-size 9000"
		echo "port start all"
		echo "show port 1 rx_offload configuration"
		echo "set verbose 1"
	} >&3
	if ! wait_for "$log" 'Change verbose level from 0 to 1' 30 ||
		grep -E 'Fail to (configure|start)|not match|not allowed|Invalid' "$log"; then
		t_fail "$mode: testpmd did not take the configuration (above, or: $(tail -n 3 "$log"))"
		echo quit >&3
		exec 3>&-
		wait "$vpair_testpmd_pid"
		vpair_testpmd_pid=
		vpair_eal_cleanup "$t_prefix" || t_fail "cannot remove the EAL files of $t_prefix"
		t_prefix=
		return
	fi
	# shellcheck disable=SC2086
	LD_PRELOAD=$preload timeout -k 5 60 dpdk-dumpcap --file-prefix "$t_prefix" \
		-i net_vpair0_b -p -s 9000 -c "$nexp" -a duration:30 -w "$cap" >"$dlog" 2>&1 &
	dpid=$!
	# dumpcap prints "Capturing on" only when it exits (stdout is a file): wait for its
	# multi-process socket in the primary's runtime dir, then for its capture request.
	i=0
	until ls "$(vpair_runtime_dir)/$t_prefix/" 2>/dev/null | grep -q '^mp_socket_'; do
		i=$((i + 1))
		kill -0 "$dpid" 2>/dev/null && [ "$i" -lt 300 ] ||
			{ t_fail "$mode: dumpcap did not start: $(cat "$dlog")"; break; }
		sleep 0.1
	done
	sleep 2
	echo "start" >&3
	# dumpcap ends at the expected count (or after 30 s without).
	wait "$dpid"
	drc=$?
	sleep 0.5
	{
		echo "stop"
		echo "show port xstats 0"
		echo "show port xstats 1"
		echo "quit"
	} >&3
	exec 3>&-
	t_testpmd_wait
	cat "$dlog"
	[ "$drc" -eq 0 ] || t_fail "$mode: dpdk-dumpcap exited with status $drc"
	t_check_eal_clean
	for d in net_vpair0_a net_vpair0_b net_pcap0; do
		grep -q "^Device name: $d" "$log" || t_fail "$mode: no port $d in testpmd"
	done
	# testpmd must have taken every request (with the driver before offloads it refuses).
	if grep -E 'not supported by port|Error: TSO is not supported|Please stop|Bad arguments|Fail' "$log"; then
		t_fail "$mode: testpmd refused part of the configuration (above)"
	fi
	grep -E 'Preparing packet burst to transmit failed' "$log" | head -3
	! grep -q 'Preparing packet burst to transmit failed' "$log" ||
		t_fail "$mode: rte_eth_tx_prepare refused frames"
	# Forward statistics of port 1 (the receiver): RX-packets and Bad-* counts.
	awk -v nexp="$nexp" -v mode="$mode" '
		/Forward statistics for port 1 / { f = 1; next }
		/Forward statistics for port/ { f = 0 }
		f && /RX-packets:/ { rx = $2; seen = 1 }
		f && /Bad-ipcsum:/ { bip = $2; bl4 = $4 }
		f && /RX-dropped:/ { drop = $4 }
		END {
			printf "    port 1 forward stats: RX-packets %s, Bad-ipcsum %s, Bad-l4csum %s\n", rx, bip + 0, bl4 + 0
			if (!seen) { print "FAIL: " mode ": no forward statistics for port 1"; exit 1 }
			if (rx != nexp) { print "FAIL: " mode ": port 1 received " rx " frames, expected " nexp; bad = 1 }
			if (bip + 0 != 0 || bl4 + 0 != 0) { print "FAIL: " mode ": bad checksums at port 1"; bad = 1 }
			exit bad
		}' "$log" || t_fail "$mode: forward statistics (above)"
	# xstats: tx_offload_errors of port 0 must exist and be 0; no drop anywhere on the pair.
	awk -v mode="$mode" '
		# (testpmd'"'"'s echo of the next command can split the header line: "for port N" is enough)
		/for port [0-9]+ *$/ { for (i = 1; i < NF; i++) if ($i == "port") p = $(i + 1); next }
		p != "" && /^[a-z_0-9]+: [0-9]+$/ {
			n = $1; sub(/:$/, "", n); v[p, n] = $2
		}
		END {
			if (!((0, "tx_offload_errors") in v)) { print "FAIL: " mode ": port 0 has no xstat tx_offload_errors"; bad = 1 }
			else printf "    port 0 tx_offload_errors %d, tx_packets %d; port 1 rx_packets %d\n",
				v[0, "tx_offload_errors"], v[0, "tx_good_packets"], v[1, "rx_good_packets"]
			split("tx_offload_errors tx_errors tx_ring_full_errors tx_malformed_errors", t0, " ")
			for (i in t0) if (v[0, t0[i]] + 0 != 0) { print "FAIL: " mode ": port 0 " t0[i] " " v[0, t0[i]]; bad = 1 }
			split("rx_missed_errors rx_errors rx_mbuf_allocation_errors rx_oversize_errors rx_scatter_errors rx_undersized_errors rx_flushed_dropped", t1, " ")
			for (i in t1) if (v[1, t1[i]] + 0 != 0) { print "FAIL: " mode ": port 1 " t1[i] " " v[1, t1[i]]; bad = 1 }
			exit bad
		}' "$log" || t_fail "$mode: xstats (above)"
	if [ -s "$cap" ]; then
		"$py" "$t_here/offload-frames.py" check "$cap" --mode "$checkmode" --log "$log" ||
			t_fail "$mode: the frames port 1 received (above)"
	else
		t_fail "$mode: dumpcap wrote no capture"
	fi
	vpair_eal_cleanup "$t_prefix" || t_fail "cannot remove the EAL files of $t_prefix"
	t_prefix=
}

for m in $modes; do
	run "$m"
done
t_finish
