# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# report.awk: the tables of testpmd-bench.sh. Usage:
#   awk -v runs=R -v secs=S -v csv=F -v json=F -v dat=F [-v cpu= ncpu= kernel= host= date=
#       testpmd=] -f report.awk FS='|' META FS=' ' RESULTS
# META, one line per configuration, in order:
#   name|pmd|mode|size|parse|promisc|filter|ref|core|kind|description
# RESULTS, one line per run:
#   name run status mpps samples cyc cyc_gen offered classified otherhost mcfilter promisc
#   ptype_ok cpu_share other_load steal others reason...
# A run is disturbed when its forwarding thread(s) ran < 90% of the time, other processes
# kept > 10% of the machine busy, the host stole > 5%, or other DPDK processes were seen.
# Prints the table, the legend and the targets on stdout; writes CSV, JSON and the plot's
# data file (index name median min max group).

function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	if (n == 0) return 0
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function jnum(v) { return v == "" ? "null" : v }
function csvq(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }

# Ratio a/b of two configurations' medians, or "" when one is missing.
function ratio(a, b) {
	if (!(a in med) || !(b in med) || med[a] <= 0 || med[b] <= 0) return ""
	return med[a] / med[b]
}

NR == FNR {
	n++; name[n] = $1; idx[$1] = n
	pmd[$1] = $2; mode[$1] = $3; size[$1] = $4; parse[$1] = $5; promisc[$1] = $6
	filter[$1] = $7; ref[$1] = $8; core[$1] = $9; kind[$1] = $10; desc[$1] = $11
	next
}
{
	c = $1
	if (!(c in idx)) next
	nrun[c]++
	st = $3
	if (st == "ok") {
		k = ++nok[c]
		v[c, k] = $4; cy[c, k] = $6; cg[c, k] = $7
		if ($14 >= 0 && (!(c in share) || $14 < share[c])) share[c] = $14
		x = $9 < 0 ? "na" : $9 > 0 ? "classify" : "fast"
		if (c in cls && cls[c] != x) x = "mixed"
		cls[c] = x
		obs_promisc[c] = $12; obs_ptype[c] = $13
		if ($15 >= 0 && (!(c in load) || $15 + 0 > load[c] + 0)) load[c] = $15 + 0
		d = ""
		if ($14 >= 0 && $14 < 90) d = d " fwd-cpu=" $14 "%"
		if ($15 > 10) d = d " others=" $15 "%"
		if ($16 > 5) d = d " steal=" $16 "%"
		if ($17 != "-") d = d " " $17
		if (d != "") { disturbed[c] = disturbed[c] "\n    run " $2 ":" d; ndist[c]++ }
	} else {
		r = ""; for (i = 18; i <= NF; i++) r = r (r == "" ? "" : " ") $i
		if (!(c in why)) { why[c] = r; whyst[c] = st }
		if (st == "badcheck") bad[c] = 1
	}
}

END {
	for (i = 1; i <= n; i++) {
		c = name[i]; m = nok[c] + 0
		for (k = 1; k <= m; k++) { a[k] = v[c, k] + 0 }
		if (m > 0) {
			med[c] = median(a, m)
			lo[c] = a[1]; hi[c] = a[m]	# median() sorted a
			for (k = 1; k <= m; k++) b[k] = cy[c, k] + 0
			cyc[c] = median(b, m)
			for (k = 1; k <= m; k++) b[k] = cg[c, k] + 0
			cycg[c] = median(b, m)
			runlist[c] = ""
			for (k = 1; k <= m; k++) runlist[c] = runlist[c] (k > 1 ? "," : "") sprintf("%.3f", v[c, k])
		}
		# Observed features of net_vpair rows; other PMDs have no MAC filter or parser.
		if (pmd[c] == "net_vpair" && m > 0) {
			oparse[c] = obs_ptype[c] >= 2 ? "on" : "off"
			opromisc[c] = obs_promisc[c]
			ofilter[c] = obs_promisc[c] == "off" ? "on" : obs_promisc[c] == "on" ? "off" : "?"
			path[c] = cls[c] == "na" ? "?" : cls[c]
		} else {
			oparse[c] = parse[c]; opromisc[c] = promisc[c]; ofilter[c] = filter[c]
			path[c] = "-"
			if (pmd[c] != "net_vpair") { oparse[c] = opromisc[c] = ofilter[c] = "-" }
		}
		status[c] = m == nrun[c] && m > 0 ? "ok" : m > 0 ? "partial" : (c in whyst) ? whyst[c] : "none"
		if (bad[c]) status[c] = "badcheck"
	}

	printf "%-15s %-8s %4s %-5s %-7s %-6s %-8s %4s %9s %8s %8s %11s %8s %4s %4s\n",
		"config", "mode", "size", "parse", "promisc", "filter", "tx path", "runs", "Mpps med",
		"min", "max", "cyc/pkt", "vs ring", "cpu%", "oth%"
	for (i = 1; i <= n; i++) {
		c = name[i]
		if (!(c in med)) {
			printf "%-15s %-8s %4s %-5s %-7s %-6s %-8s %4s  %s: %s\n", c, mode[c], size[c],
				"-", "-", "-", "-", "0/" nrun[c], status[c], why[c]
			continue
		}
		rt = ref[c] == "" ? "ref" : ratio(c, ref[c]) == "" ? "n/a" : sprintf("%.3f", ratio(c, ref[c]))
		cs = kind[c] == "pair" ? sprintf("%.1f/%.1f", cyc[c], cycg[c]) : sprintf("%.2f", cyc[c])
		printf "%-15s %-8s %4s %-5s %-7s %-6s %-8s %4s %9.3f %8.3f %8.3f %11s %8s %4s %4s%s\n", c,
			mode[c], size[c], oparse[c], opromisc[c], ofilter[c], path[c], nok[c] "/" nrun[c],
			med[c], lo[c], hi[c], cs, rt, (c in share) ? share[c] : "?", (c in load) ? load[c] : "?",
			status[c] == "ok" ? "" : "  " status[c] ": " why[c]
	}
	print ""
	print "Mpps: median over runs of each run's median 1 s sample (min/max: of the run values);"
	print "packets received per second (forwarded; txonly: generated). cyc/pkt: testpmd's TSC"
	print "cycles per packet in non-empty bursts of the forwarding core (pair rows: receiver/"
	print "generator). vs ring: median / median of its net_ring reference row (in parentheses"
	print "below). cpu%: least share of wall time the forwarding thread(s) ran; oth%: most of the"
	print "machine (all CPUs) other processes used during a run (disturbed: cpu% < 90, oth% > 10)."
	print "parse/promisc/filter/tx path: what net_vpair did, read back from testpmd (show port"
	print "info, set port ptype_mask) and the driver's xstats (rx_*cast_packets > 0: the tx side"
	print "classified the frames; filter on: promiscuous off, the receiver's MAC filter applies)."
	print ""
	for (i = 1; i <= n; i++) {
		c = name[i]
		printf "  %-15s %s%s\n", c, desc[c], ref[c] == "" ? "" : " (vs " ref[c] ")"
	}
	dist = ""
	for (i = 1; i <= n; i++) if (name[i] in disturbed) dist = dist "\n  " name[i] ":" disturbed[name[i]]
	ndisturbed = 0
	for (i = 1; i <= n; i++) ndisturbed += ndist[name[i]]
	if (dist != "") print "\nDisturbed runs (forwarding thread preempted, other load, host steal, other DPDK processes):" dist

	# The targets: numerator, denominator, factor.
	nt = split("vpair-io-parse/ring-io/0.6 vpair-io/ring-io/0.85 vpair-macswap/ring-macswap/0.95 " \
		"vpair-2p/memif-2p/3 vpair-2p/null-txonly/0.9 vpair-io-parse/afxdp-veth/100 " \
		"vpair-2p-large/memif-2p-large/-", tl, " ")
	print "\nTargets (reported, not asserted):"
	for (t = 1; t <= nt; t++) {
		split(tl[t], f, "/")
		if (f[1] == "vpair-2p" && !("vpair-2p" in med) && ("vpair-2c" in med)) f[1] = "vpair-2c"
		r = ratio(f[1], f[2])
		tnum[t] = f[1]; tden[t] = f[2]; tfac[t] = f[3]; tval[t] = r
		if (r == "") { tres[t] = "n/a"; verdict = "n/a (not measured)" }
		else if (f[3] == "-") { tres[t] = "info"; verdict = "(no target: vpair-2p / memif-2p at the large size)" }
		else if (r >= f[3]) { tres[t] = "met"; verdict = "met" }
		else { tres[t] = "missed"
			verdict = sprintf("MISSED by %.1f%% (%.3f Mpps short)", 100 * (1 - r / f[3]),
				f[3] * med[f[2]] - med[f[1]]) }
		printf "  %-15s / %-14s = %8s   %-16s %s\n", f[1], f[2],
			r == "" ? "-" : (r >= 10 ? sprintf("%.1f", r) : sprintf("%.3f", r)),
			f[3] == "-" ? "" : "target >= " f[3], verdict
	}

	if (csv != "") {
		print "config,pmd,mode,size,parse,promisc,filter,tx_path,runs_ok,runs,mpps_median," \
			"mpps_min,mpps_max,mpps_runs,cycles_per_packet,cycles_per_packet_generator,ref," \
			"ratio_to_ref,ratio_to_ring_io,fwd_cpu_share_min,other_load_max,disturbed_runs,status," \
			"reason,description" >csv
		for (i = 1; i <= n; i++) {
			c = name[i]; ok = c in med
			printf "%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s\n",
				c, pmd[c], mode[c], size[c], oparse[c], opromisc[c], ofilter[c], path[c],
				nok[c], nrun[c], ok ? sprintf("%.3f", med[c]) : "", ok ? sprintf("%.3f", lo[c]) : "",
				ok ? sprintf("%.3f", hi[c]) : "", csvq(runlist[c]),
				ok ? sprintf("%.2f", cyc[c]) : "",
				ok && kind[c] == "pair" ? sprintf("%.2f", cycg[c]) : "", ref[c],
				ratio(c, ref[c]) == "" ? "" : sprintf("%.4f", ratio(c, ref[c])),
				ratio(c, "ring-io") == "" ? "" : sprintf("%.4f", ratio(c, "ring-io")),
				(c in share) ? share[c] : "", (c in load) ? load[c] : "", ndist[c],
				status[c], csvq(why[c]), csvq(desc[c]) >csv
		}
		close(csv)
	}
	if (json != "") {
		printf "{\n  \"date\": %s,\n  \"host\": %s,\n  \"cpu\": %s,\n  \"cpus\": %s,\n" \
			"  \"kernel\": %s,\n  \"dpdk_testpmd\": %s,\n  \"runs\": %s,\n  \"seconds\": %s,\n" \
			"  \"configs\": [\n", jstr(date), jstr(host), jstr(cpu), jnum(ncpu), jstr(kernel),
			jstr(testpmd), jnum(runs), jnum(secs) >json
		for (i = 1; i <= n; i++) {
			c = name[i]; ok = c in med
			printf "    {\"name\": %s, \"pmd\": %s, \"mode\": %s, \"size\": %s, " \
				"\"features\": {\"parse\": %s, \"promiscuous\": %s, \"filter\": %s, \"tx_path\": %s}, " \
				"\"runs_ok\": %d, \"runs\": %d, \"mpps\": {\"median\": %s, \"min\": %s, \"max\": %s, " \
				"\"runs\": [%s]}, \"cycles_per_packet\": %s, \"cycles_per_packet_generator\": %s, " \
				"\"ref\": %s, \"ratio_to_ref\": %s, \"fwd_cpu_share_min\": %s, " \
				"\"other_load_max\": %s, \"disturbed_runs\": %d, \"status\": %s, " \
				"\"reason\": %s, \"description\": %s}%s\n",
				jstr(c), jstr(pmd[c]), jstr(mode[c]), jnum(size[c]), jstr(oparse[c]),
				jstr(opromisc[c]), jstr(ofilter[c]), jstr(path[c]), nok[c], nrun[c],
				ok ? sprintf("%.3f", med[c]) : "null", ok ? sprintf("%.3f", lo[c]) : "null",
				ok ? sprintf("%.3f", hi[c]) : "null", runlist[c],
				ok ? sprintf("%.2f", cyc[c]) : "null",
				ok && kind[c] == "pair" ? sprintf("%.2f", cycg[c]) : "null",
				ref[c] == "" ? "null" : jstr(ref[c]),
				ratio(c, ref[c]) == "" ? "null" : sprintf("%.4f", ratio(c, ref[c])),
				(c in share) ? share[c] : "null", (c in load) ? load[c] : "null", ndist[c],
				jstr(status[c]), jstr(why[c]), jstr(desc[c]),
				i < n ? "," : "" >json
		}
		printf "  ],\n  \"targets\": [\n" >json
		for (t = 1; t <= nt; t++)
			printf "    {\"config\": %s, \"versus\": %s, \"at_least\": %s, \"ratio\": %s, " \
				"\"result\": %s}%s\n", jstr(tnum[t]), jstr(tden[t]), tfac[t] == "-" ? "null" : tfac[t],
				tval[t] == "" ? "null" : sprintf("%.4f", tval[t]), jstr(tres[t]),
				t < nt ? "," : "" >json
		printf "  ]\n}\n" >json
		close(json)
	}
	if (dat != "") {
		j = 0
		for (i = 1; i <= n; i++) {
			c = name[i]
			if (!(c in med)) continue
			g = pmd[c] == "net_ring" ? 0 : pmd[c] == "net_vpair" ? 1 : 2
			printf "%d %s %.3f %.3f %.3f %d\n", j++, c, med[c], lo[c], hi[c], g >dat
		}
		close(dat)
	}
}
