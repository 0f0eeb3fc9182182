#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# testpmd-queues.sh BUILDDIR: what DPDK's test plans do with a port's queues and reset, with the
# distro dpdk-testpmd in interactive mode fed commands on stdin:
#  - `port reset 1` after `port stop 1`, then `port start 1`: testpmd reconfigures the port and
#    forwarding resumes (the second `start tx_first` forwards on both ports);
#  - `port 1 rxq 0 stop|start`, `port 1 txq 0 stop|start`: `show rxq|txq info` report the state;
#  - no command fails.

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

t_init "${1:-}" testpmd-queues
cat >"$t_work/cmds" <<'CMDS'
start tx_first
stop
port stop 1
port reset 1
port start 1
start tx_first
stop
port 1 rxq 0 stop
show rxq info 1 0
port 1 rxq 0 start
show rxq info 1 0
port 1 txq 0 stop
show txq info 1 0
port 1 txq 0 start
show txq info 1 0
quit
CMDS

t_testpmd 30 queues "$t_work/cmds" --vdev=net_vpair0 -- -i --total-num-mbufs=8192
[ "$t_rc" -eq 0 ] || t_fail "testpmd exited with status $t_rc"
t_check_eal_clean
if grep -n -i -E 'fail|not supported|invalid' "$t_log"; then
	t_fail "a command failed (lines above)"
fi

# Forward statistics of each `stop`: the RX-packets of port 1's block, in order.
rx1=$(awk '/Forward statistics for port 1/ { p = 1 } p && /RX-packets:/ { print $2; p = 0 }' \
	"$t_log")
echo "port 1 RX-packets per run: $(echo $rx1)"
[ "$(echo "$rx1" | grep -c .)" -eq 2 ] || t_fail "expected forward statistics of two runs"
for n in $rx1; do
	[ "$n" -gt 0 ] || t_fail "a run forwarded nothing to port 1 (after the reset if the second)"
done
grep -q '^Resetting ports' "$t_log" || t_fail "testpmd did not reset the port"

states=$(grep -E '^(Rx|Tx) queue state:' "$t_log" | awk '{ print $1 ":" $4 }' | tr '\n' ' ')
echo "queue states: $states"
[ "$states" = "Rx:stopped Rx:started Tx:stopped Tx:started " ] ||
	t_fail "queue states: got '$states'"

t_finish
