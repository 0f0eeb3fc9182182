# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# parse-log.awk: reads the log of one interactive dpdk-testpmd 22.11 run driven by
# testpmd-bench.sh (stdout line-buffered) and prints one line of shell assignments:
#
#   samples=N mpps=X offered=X cyc=X tsc_mhz=N fwd_rx=N fwd_tx=N fwd_txdrop=N
#   classified=N otherhost=N mcfilter=N sizeerr=N ringfull=N ptype_ok=N promisc=WORD
#
# Variables (-v):
#   rate   rx | tx: the rate is the sum of the ports' Rx-pps (packets received, i.e.
#          forwarded) or Tx-pps (txonly: packets generated)
#   ports  "all" or a space-separated list of port ids whose pps are summed
#
# Rate: every `show port stats all` prints one "NIC statistics for port P" block per port,
# in port order, with "Rx-pps:"/"Tx-pps:" over the time since the previous show (testpmd's
# own nanosecond clock). A sample is one such command: a new one starts when a port number
# does not grow. The first sample is always 0 (no previous show) and is left out, as are
# incomplete ones; mpps is the median of the rest, offered the median of the other rate.
# cyc: testpmd's "CPU cycles/packet" (--record-core-cycles) at `stop`: TSC cycles spent in
# forwarding bursts that moved at least one packet, over the packets (received, or sent for
# txonly); empty polls are not counted.
# classified, otherhost, ...: sums over the ports of the net_vpair xstats
# rx_{unicast,multicast,broadcast}_packets (frames the tx side classified for the
# receiver: 0 on the fast path), rx_otherhost_dropped, rx_mcast_filter_dropped,
# rx_oversize_errors + rx_undersized_errors, tx_ring_full_errors; -1 when not shown.
# ptype_ok: how many `set port N ptype_mask` commands succeeded.
# promisc: "on", "off", "mixed" (from `show port info`) or "unknown".

function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	if (n == 0) return 0
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

BEGIN {
	if (rate == "") rate = "rx"
	if (ports == "") ports = "all"
	if (ports != "all") { n = split(ports, pl, " "); for (i = 1; i <= n; i++) want[pl[i]] = 1 }
	ns = 0; last = -1
	classified = otherhost = mcfilter = sizeerr = ringfull = -1
	cyc = -1; tsc = 0; fwd_rx = fwd_tx = fwd_txdrop = -1
	np_on = np_off = 0; ptype_ok = 0
}

/NIC statistics for port [0-9]+/ {
	for (i = 1; i <= NF; i++) if ($i == "port") p = $(i + 1) + 0
	if (p <= last || ns == 0) { ns++; nports[ns] = 0; rx[ns] = 0; tx[ns] = 0 }
	last = p; cur = p; nports[ns]++; in_nic = 1; in_x = 0
	next
}
/NIC extended statistics for port/ { in_x = 1; in_nic = 0; next }
/^ *#+ *$/ { in_nic = 0; next }
in_nic && $1 == "Rx-pps:" { if (ports == "all" || (cur in want)) rx[ns] += $2; next }
in_nic && $1 == "Tx-pps:" { if (ports == "all" || (cur in want)) tx[ns] += $2; next }

in_x && $1 ~ /^rx_(unicast|multicast|broadcast)_packets:$/ { classified = (classified < 0 ? 0 : classified) + $2 }
in_x && $1 == "rx_otherhost_dropped:" { otherhost = (otherhost < 0 ? 0 : otherhost) + $2 }
in_x && $1 == "rx_mcast_filter_dropped:" { mcfilter = (mcfilter < 0 ? 0 : mcfilter) + $2 }
in_x && $1 ~ /^rx_(oversize|undersized)_errors:$/ { sizeerr = (sizeerr < 0 ? 0 : sizeerr) + $2 }
in_x && $1 == "tx_ring_full_errors:" { ringfull = (ringfull < 0 ? 0 : ringfull) + $2 }

/Successfully set following ptypes for Port/ { ptype_ok++ }
/^Promiscuous mode: enabled/ { np_on++ }
/^Promiscuous mode: disabled/ { np_off++ }

/Accumulated forward statistics/ { acc = 1; next }
acc && $1 == "RX-packets:" { fwd_rx = $2 }
acc && $1 == "TX-packets:" { fwd_tx = $2; fwd_txdrop = $4; acc = 0 }

/CPU cycles\/packet=/ {
	s = $0; sub(/.*CPU cycles\/packet=/, "", s); sub(/[^0-9.].*/, "", s); cyc = s + 0
	s = $0; sub(/ MHz Clock.*/, "", s); sub(/.* at /, "", s); tsc = s + 0
}

END {
	maxp = 0
	for (i = 1; i <= ns; i++) if (nports[i] > maxp) maxp = nports[i]
	m = 0
	for (i = 2; i <= ns; i++)
		if (nports[i] == maxp) {
			m++
			r[m] = (rate == "tx" ? tx[i] : rx[i]) / 1e6
			o[m] = (rate == "tx" ? rx[i] : tx[i]) / 1e6
		}
	promisc = np_on && np_off ? "mixed" : np_on ? "on" : np_off ? "off" : "unknown"
	printf "samples=%d mpps=%.3f offered=%.3f cyc=%.2f tsc_mhz=%d fwd_rx=%d fwd_tx=%d " \
		"fwd_txdrop=%d classified=%d otherhost=%d mcfilter=%d sizeerr=%d ringfull=%d " \
		"ptype_ok=%d promisc=%s\n", m, median(r, m), median(o, m), cyc, tsc, fwd_rx, fwd_tx,
		fwd_txdrop, classified, otherhost, mcfilter, sizeerr, ringfull, ptype_ok, promisc
}
