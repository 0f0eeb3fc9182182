# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Reads a dpdk-testpmd 22.11 log that has "show port info" blocks, the periodic NIC statistics
# (--stats-period) and the forward statistics testpmd prints when forwarding stops (on SIGINT
# or `stop`). Prints them as a table, then one "FAIL: ..." line per violated expectation and
# exits 1 if there is any. Variables (-v):
#   names     the device names expected, in port order ("net_vpair0_a net_vpair0_b")
#   inflight  most packets that may be sent but not yet received when forwarding stops
#             (--tx-first puts one burst per port in flight: ports * burst)
# Forward statistics lines look like (RX-error/RX-nombufs only appear when non-zero):
#   ---------------------- Forward statistics for port 0  ----------------------
#   RX-packets: 1429677440     RX-dropped: 0             RX-total: 1429677440
#   TX-packets: 1429677472     TX-dropped: 0             TX-total: 1429677472

function num(v) { return v + 0 }

/Infos for port [0-9]+/ {
	for (i = 1; i <= NF; i++) if ($i == "port") info_port = $(i + 1)
	next
}
/^Device name:/ && info_port != "" { devname[info_port] = $3; next }

/NIC statistics for port [0-9]+/ {
	for (i = 1; i <= NF; i++) if ($i == "port") nic_port = $(i + 1)
	sect = "nic"; next
}
/Forward statistics for port [0-9]+/ {
	for (i = 1; i <= NF; i++) if ($i == "port") fwd_port = $(i + 1)
	if (!(fwd_port in seen)) { seen[fwd_port] = 1; order[nports++] = fwd_port }
	sect = "fwd"; next
}
/Accumulated forward statistics/ { fwd_port = "total"; have_total = 1; sect = "fwd"; next }
/^ *(-+|\++|#+) *$/ { sect = ""; next }

sect == "fwd" && $1 == "RX-packets:" { rx[fwd_port] = $2; rxd[fwd_port] = $4 }
sect == "fwd" && $1 == "RX-error:" { rxe[fwd_port] = $2 }
sect == "fwd" && $1 == "RX-nombufs:" { rxnb[fwd_port] = $2 }
sect == "fwd" && $1 == "TX-packets:" { tx[fwd_port] = $2; txd[fwd_port] = $4 }

# Periodic NIC statistics: the last block of each port wins.
sect == "nic" && $1 == "RX-packets:" { nic_missed[nic_port] = $4 }
sect == "nic" && $1 == "RX-errors:" { nic_ierr[nic_port] = $2 }
sect == "nic" && $1 == "RX-nombuf:" { nic_nombuf[nic_port] = $2 }
sect == "nic" && $1 == "TX-packets:" { nic_oerr[nic_port] = $4 }

END {
	nfail = 0
	printf "%-6s %-16s %14s %10s %14s %10s %8s %9s | %s\n", "port", "device", "RX-packets",
		"RX-dropped", "TX-packets", "TX-dropped", "RX-error", "RX-nombuf",
		"NIC missed/ierrors/nombuf/oerrors"
	for (k = 0; k < nports; k++) {
		p = order[k]
		nic = (p in nic_missed) ? sprintf("%s/%s/%s/%s", nic_missed[p], nic_ierr[p],
			nic_nombuf[p], nic_oerr[p]) : "-"
		printf "%-6s %-16s %14s %10s %14s %10s %8s %9s | %s\n", p,
			(p in devname) ? devname[p] : "?", rx[p], rxd[p], tx[p], txd[p],
			num(rxe[p]), num(rxnb[p]), nic
	}
	if (have_total)
		printf "%-6s %-16s %14s %10s %14s %10s\n", "total", "", rx["total"], rxd["total"],
			tx["total"], txd["total"]

	n = split(names, want, " ")
	for (i = 1; i <= n; i++) {
		p = i - 1
		if (devname[p] != want[i]) {
			printf "FAIL: port %d is '%s', expected '%s'\n", p, devname[p], want[i]
			nfail++
		}
	}
	if (nports != n) {
		printf "FAIL: forward statistics for %d ports, expected %d\n", nports, n
		nfail++
	}
	for (k = 0; k < nports; k++) {
		p = order[k]
		if (num(rx[p]) <= 0) { printf "FAIL: port %s received nothing\n", p; nfail++ }
		if (num(tx[p]) <= 0) { printf "FAIL: port %s sent nothing\n", p; nfail++ }
		if (num(rxd[p]) || num(txd[p]) || num(rxe[p]) || num(rxnb[p])) {
			printf "FAIL: port %s dropped: RX-dropped %s TX-dropped %s RX-error %s RX-nombufs %s\n",
				p, rxd[p], txd[p], num(rxe[p]), num(rxnb[p])
			nfail++
		}
		nic = sprintf("%s/%s/%s/%s", nic_missed[p], nic_ierr[p], nic_nombuf[p], nic_oerr[p])
		if (!(p in nic_missed)) {
			printf "FAIL: no periodic NIC statistics for port %s\n", p; nfail++
		} else if (num(nic_missed[p]) || num(nic_ierr[p]) || num(nic_nombuf[p]) ||
			   num(nic_oerr[p])) {
			printf "FAIL: port %s NIC counters RX-missed/RX-errors/RX-nombuf/TX-errors %s\n",
				p, nic
			nfail++
		}
	}
	if (!have_total) {
		print "FAIL: no accumulated forward statistics (did testpmd stop forwarding cleanly?)"
		nfail++
	} else if (inflight != "") {
		d = num(tx["total"]) - num(rx["total"])
		printf "sent but not received at stop: %d (at most %d may be in flight)\n", d, inflight
		if (d < 0 || d > num(inflight)) {
			printf "FAIL: %d packets unaccounted for between TX and RX\n", d
			nfail++
		}
	}
	exit nfail > 0
}
