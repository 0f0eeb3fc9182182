#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# capture.sh BUILDDIR: dpdk-dumpcap captures from a dpdk-testpmd that forwards over net_vpair.
# testpmd (the primary, with hugepages: dumpcap is a secondary process) forwards the burst of
# --tx-first round the pair (io mode); dumpcap takes N frames of net_vpair0_a with -p; then
# pcapng-check.py reads the file back: N to N+31 frames (dumpcap writes whole bursts), what
# dumpcap said it captured, every one of them testpmd's frame for its direction, both
# directions. testpmd must exit 0 without drops: -p left the port promiscuous.
# Two Debian 12 caveats, both handled here and documented in the NIC guide:
#  - dpdk-testpmd links librte_mempool_dpaa.so.23, dpdk-dumpcap does not: mempool ops are
#    numbered in the order they register, so without LD_PRELOAD of the mempool drivers that
#    testpmd links, the primary copies frames into dumpcap's pool with another driver's ops
#    (nothing is captured, or the primary crashes).
#  - dumpcap without -p turns promiscuous mode off on exit: port A then drops the frames for
#    testpmd's peer addresses (rx_otherhost_dropped).
# dpdk-dumpcap has no EAL -d (its -d prints BPF code) and passes no EAL argument on, so the
# build's plugin goes in with LD_PRELOAD too. With VPAIR_PLUGIN= (empty), neither process gets
# the plugin: the installed one (install-deb.sh runs it that way).
# To see each caveat bite: VPAIR_DUMPCAP_P= (no -p), VPAIR_DUMPCAP_PRELOAD= (no mempool
# driver preloaded). VPAIR_CAPTURE_FRAMES: N (512).
# Needs hugepages (root): skipped (77) otherwise.

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

nframes=${VPAIR_CAPTURE_FRAMES:-512}

t_init "${1:-}" capture
case $t_mem_args in
*--no-huge*) echo "capture: no hugepages here, dpdk-dumpcap cannot attach: skipped"
	exit 77 ;;
esac
command -v dpdk-dumpcap >/dev/null || t_die "dpdk-dumpcap not found: install dpdk-dev"

promisc=${VPAIR_DUMPCAP_P--p}
preload=${VPAIR_DUMPCAP_PRELOAD-$(ldd "$(command -v "$VPAIR_TESTPMD")" |
	awk '$1 ~ /^librte_mempool_/ && $3 ~ /^\// { printf "%s ", $3 }')}
[ -z "$t_plugin" ] || preload="$preload$t_work/${t_plugin##*/}"
echo "capture: dumpcap's LD_PRELOAD: ${preload:-none}"

prefix=$(vpair_file_prefix capture)
t_prefix=$prefix
# A secondary maps the primary's hugepage files: no --huge-unlink. vpair_eal_cleanup removes
# them on every exit.
mem_args=$(echo "$t_mem_args" | sed 's/--huge-unlink//')
primary_log=$t_work/primary.log
dumpcap_log=$t_work/dumpcap.log
pcap=$t_work/capture.pcapng
t_logs="$primary_log $dumpcap_log"
echo "capture: $VPAIR_TESTPMD -l 0-1 --no-pci $mem_args --file-prefix $prefix $t_plugin_args" \
	"--vdev=net_vpair0 -- --forward-mode=io --tx-first ..."
# --stats-period: testpmd forwards until SIGINT instead of reading stdin. The port names are
# for testpmd-stats.awk.
printf 'show port info all\n' >"$t_work/cmds"
# shellcheck disable=SC2086
timeout --preserve-status -k 5 -s INT 90 "$VPAIR_TESTPMD" -l 0-1 --no-pci $mem_args \
	--file-prefix "$prefix" $t_plugin_args --vdev=net_vpair0 -- \
	--forward-mode=io --tx-first --total-num-mbufs=8192 --stats-period=1 \
	--cmdline-file="$t_work/cmds" </dev/null >"$primary_log" 2>&1 &
vpair_testpmd_pid=$!

i=0
until grep -q "packet forwarding - ports=" "$primary_log" 2>/dev/null; do
	kill -0 "$vpair_testpmd_pid" 2>/dev/null || t_die "testpmd exited early: $(tail -n 5 "$primary_log")"
	i=$((i + 1))
	[ "$i" -lt 300 ] || t_die "testpmd did not start forwarding within 30 s"
	sleep 0.1
done
sleep 1

echo "capture: LD_PRELOAD=\"$preload\" dpdk-dumpcap --file-prefix $prefix -i net_vpair0_a" \
	"$promisc -c $nframes -w $pcap"
# shellcheck disable=SC2086
LD_PRELOAD=$preload timeout -k 5 60 dpdk-dumpcap --file-prefix "$prefix" -i net_vpair0_a \
	$promisc -c "$nframes" -w "$pcap" >"$dumpcap_log" 2>&1
rc=$?
cat "$dumpcap_log"
[ "$rc" -eq 0 ] || t_fail "dpdk-dumpcap exited with status $rc"

kill -INT "$vpair_testpmd_pid" 2>/dev/null
t_testpmd_wait
t_log=$primary_log
t_check_eal_clean
awk -v names="net_vpair0_a net_vpair0_b" -v inflight=64 -f "$t_here/testpmd-stats.awk" \
	"$primary_log" || t_fail "testpmd's statistics (above): with -p nothing may be dropped"

if [ -s "$pcap" ]; then
	/usr/bin/python3 "$t_here/pcapng-check.py" "$pcap" --mac-a 02:76:70:00:00:0a \
		--mac-b 02:76:70:00:00:0b --min "$nframes" --max $((nframes + 31)) \
		--dumpcap-log "$dumpcap_log" || t_fail "the capture (above)"
else
	t_fail "dumpcap wrote no capture file"
fi

vpair_eal_cleanup "$prefix" || t_fail "cannot remove the EAL files of $prefix"
t_prefix=

t_finish
