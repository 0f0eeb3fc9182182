#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# testpmd-devargs.sh BUILDDIR: devargs of net_vpair as the distro dpdk-testpmd sees them, in
# interactive mode fed commands on stdin (`show port info all`, `quit`).
#  1. --vdev=net_vpair0,mac_a=02:00:00:00:00:0a: two ports, port net_vpair0_a has that MAC
#     ("MAC address:" of `show port info`, not the echoed devargs), port b another one, and
#     testpmd exits 0 without EAL errors.
#  2. --vdev=net_vpair0,bogus=1: the device is refused: no port, and the log names `bogus`
#     (not in testpmd's "Devargs:" echo of an accepted port, nor in EAL's echo of the whole
#     device string: the driver must say it).
# Both leave no EAL file behind. VPAIR_TEST_VDEV replaces net_vpair0 (to see it fail).

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

vdev=${VPAIR_TEST_VDEV:-net_vpair0}
mac=02:00:00:00:00:0a

t_init "${1:-}" testpmd-devargs
printf 'show port info all\nquit\n' >"$t_work/cmds"

# Prints "<port> <device name> <MAC>" for each "show port info" block.
port_table() {
	awk '/Infos for port [0-9]+/ { for (i = 1; i <= NF; i++) if ($i == "port") p = $(i + 1) }
	     /^MAC address:/ { m[p] = $3 }
	     /^Device name:/ { d[p] = $3; order[n++] = p }
	     END { for (k = 0; k < n; k++) print order[k], d[order[k]], m[order[k]] }' "$1"
}

# --- 1. mac_a is applied to port A
t_testpmd 15 mac "$t_work/cmds" --vdev="$vdev,mac_a=$mac" -- -i --total-num-mbufs=8192
[ "$t_rc" -eq 0 ] || t_fail "mac_a: testpmd exited with status $t_rc"
t_check_eal_clean
ports=$(port_table "$t_log")
echo "mac_a: ports (port device MAC):"
echo "$ports" | sed 's/^/  /'
[ "$(echo "$ports" | grep -c .)" -eq 2 ] || t_fail "mac_a: expected 2 ports"
echo "$ports" | awk -v d="${vdev}_a" -v m="$mac" '$2 == d && tolower($3) == m { ok = 1 }
	END { exit !ok }' || t_fail "mac_a: ${vdev}_a does not have MAC $mac"
echo "$ports" | awk -v d="${vdev}_b" -v m="$mac" '$2 == d && tolower($3) != m { ok = 1 }
	END { exit !ok }' || t_fail "mac_a: ${vdev}_b missing or has the MAC of port A"

# --- 2. an unknown devarg refuses the device and says which
t_testpmd 15 badarg "$t_work/cmds" --vdev="$vdev,bogus=1" -- -i --total-num-mbufs=8192
echo "bogus: testpmd exit status $t_rc (either a failure or 0 ports is right)"
nports=$(port_table "$t_log" | grep -c .)
echo "bogus: $nports port(s)"
[ "$nports" -eq 0 ] || t_fail "bogus: the device was accepted with $nports port(s)"
echo "bogus: log lines naming it:"
# Not testpmd's "Devargs:" echo, nor EAL's echo of the whole device string.
if ! grep -v -e '^Devargs:' -e "$vdev,bogus" "$t_log" | grep 'bogus'; then
	t_fail "bogus: no log line names the bad devarg"
fi
if [ "$t_rc" -eq 0 ] && ! grep -q -i 'No probed ethernet devices' "$t_log"; then
	t_fail "bogus: testpmd neither failed nor said it found no ports"
fi

t_finish
