#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# testpmd-io.sh BUILDDIR: the distro dpdk-testpmd loads the net_vpair plugin (-d), gets the two
# ports of --vdev=net_vpair0 and forwards with io mode and --tx-first for a few seconds: the
# packets circulate A -> B -> A. SIGINT makes testpmd print its forward statistics and exit.
# Fails unless testpmd exits 0 without EAL errors, the ports are net_vpair0_a and net_vpair0_b,
# both received and sent packets, nothing was dropped or in error, TX - RX at stop is at most
# the 2 bursts in flight, and no EAL file (runtime dir, hugepage file) is left behind.
# VPAIR_TEST_VDEVS / VPAIR_TEST_NAMES replace the vdev arguments / expected device names
# (e.g. "--vdev=net_ring0 --vdev=net_ring1" / "net_ring0 net_ring1" with VPAIR_PLUGIN=).

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

vdevs=${VPAIR_TEST_VDEVS:---vdev=net_vpair0}
names=${VPAIR_TEST_NAMES:-net_vpair0_a net_vpair0_b}
secs=${VPAIR_TEST_SECONDS:-3}
burst=32

t_init "${1:-}" testpmd-io

# testpmd runs --cmdline-file commands before forwarding starts, also when not interactive.
printf 'show port info all\n' >"$t_work/cmds"

# shellcheck disable=SC2086
t_testpmd "$secs" io /dev/null $vdevs -- \
	--forward-mode=io --tx-first --burst=$burst --stats-period=1 \
	--total-num-mbufs=8192 --cmdline-file="$t_work/cmds"

[ "$t_rc" -eq 0 ] || t_fail "testpmd exited with status $t_rc"
t_check_eal_clean
nports=$(echo "$names" | wc -w)
awk -v names="$names" -v inflight=$((nports * burst)) -f "$t_here/testpmd-stats.awk" "$t_log" ||
	t_fail "forwarding statistics (above)"

t_finish
