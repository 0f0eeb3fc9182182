#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# secondary.sh BUILDDIR: a secondary process attaches both ports of a pair that a primary
# testpmd is forwarding over. dpdk-proc-info (--proc-type=secondary) loads the plugin, whose
# probe attaches net_vpair0_a and net_vpair0_b from the shared memzone, and reads their stats
# and xstats while the primary runs. Fails unless both ports show up in the secondary with
# packets counted and the driver's own xstats. Needs hugepages (root): skipped (77) otherwise.

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

t_init "${1:-}" secondary
case $t_mem_args in
*--no-huge*) echo "secondary: no hugepages here, a secondary process cannot attach: skipped"
	exit 77 ;;
esac

prefix=$(vpair_file_prefix secondary)
t_prefix=$prefix
# A secondary maps the primary's hugepage files: they must not be unlinked. Our clean-up
# (vpair_eal_cleanup, on every exit) removes them instead.
mem_args=$(echo "$t_mem_args" | sed 's/--huge-unlink//')
primary_log=$t_work/primary.log
# shellcheck disable=SC2086
vpair_testpmd_run 8 "$primary_log" /dev/null -l 0-1 --no-pci $mem_args \
	--file-prefix "$prefix" $t_plugin_args --vdev=net_vpair0 -- \
	--forward-mode=io --tx-first --total-num-mbufs=8192 --stats-period=1 &
primary=$!

# Wait until the primary forwards.
i=0
until grep -q "packet forwarding - ports=" "$primary_log" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || { kill -INT "$primary" 2>/dev/null; t_die "the primary did not start"; }
	sleep 0.1
done
sleep 1

secondary_log=$t_work/secondary.log
rc=0
for what in --stats --xstats; do
	# shellcheck disable=SC2086
	timeout -k 5 20 dpdk-proc-info --proc-type=secondary --file-prefix "$prefix" \
		--no-pci $t_plugin_args -- -p 3 $what >>"$secondary_log" 2>&1 || rc=$?
done
wait "$primary"
t_logs="$primary_log $secondary_log"
cat "$secondary_log"

[ "$rc" -eq 0 ] || t_fail "dpdk-proc-info exited with status $rc"
for port in 0 1; do
	grep -q "NIC statistics for port $port" "$secondary_log" ||
		t_fail "the secondary does not see port $port"
done
awk '/RX-packets:/ { if ($2 + 0 > 0) n++ } END { exit n >= 2 ? 0 : 1 }' "$secondary_log" ||
	t_fail "the secondary reads no received packets on both ports"
# Its exit is quiet: remove must not close ports that ethdev already released there.
if grep -n -E "Invalid port_id|net_vpair: .*(cannot|error)" "$secondary_log"; then
	t_fail "the secondary's exit logged errors (lines above)"
fi
for x in rx_otherhost_dropped tx_ring_full_errors rx_flushed_dropped tx_malformed_errors; do
	[ "$(grep -c "$x" "$secondary_log")" -ge 2 ] || t_fail "xstat $x missing on a port"
done
vpair_eal_cleanup "$prefix" || t_fail "cannot remove the EAL files of $prefix"
t_prefix=

t_finish
