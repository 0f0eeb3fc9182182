#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# telemetry.sh BUILDDIR: /vpair/list and /vpair/info,<port> through the EAL telemetry socket,
# read with the distro's dpdk-telemetry.py while the distro dpdk-testpmd (interactive, its
# commands written into a FIFO) runs --vdev=net_vpair0 --vdev=net_null0. Four snapshots:
#  fwd      forwarding after `start tx_first`: /vpair/list is ports 0 and 1 and not net_null0's
#           port 2, which /ethdev/list has; each port names its device, side and the other as
#           peer; carrier, admin and started up; testpmd's rx policy (promiscuous, parse off,
#           MTU 1500, one address) and nb_desc 512; ring counts within the 64 packets in
#           flight; no drops. A port that is not net_vpair's, out of range, missing or
#           malformed gets {"/vpair/info": null}, as /ethdev/info does.
#  quiet    after `stop`: the 64 packets wait in the rings, each counted once, as a tx ring of
#           one port and as an rx queue of the other.
#  stopped  after `port stop 1`: carrier down on both, port 1 not started and no rx counts;
#           what waited for it is in its rx_flushed_dropped, what it sent still waits for 0.
#  closed   after `port close 1`: /vpair/list is port 0 alone, its peer is -1, port 1 is null.
# Every wait is bounded and polls telemetry: testpmd's stdout to a file is buffered, useless to
# wait on.
# Fails also unless testpmd quits with status 0, without EAL errors and leaving no EAL file.

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

t_init "${1:-}" telemetry
command -v dpdk-telemetry.py >/dev/null ||
	t_die "dpdk-telemetry.py not found: install the Debian package dpdk-dev"
command -v python3 >/dev/null || t_die "python3 not found"

burst=32
desc=512
prefix=$(vpair_file_prefix telemetry)
t_prefix=$prefix
t_log=$t_work/testpmd.log
# The verdict goes last in the logs that t_finish prints on failure, after testpmd's 100 lines.
checks=$t_work/checks.txt
: >"$checks"
t_logs="$t_log $checks"
fifo=$t_work/cmds
mkfifo "$fifo" || t_die "cannot make the FIFO $fifo"

echo "telemetry: running $VPAIR_TESTPMD -l 0-1 --no-pci $t_mem_args --file-prefix $prefix" \
	"$t_plugin_args --vdev=net_vpair0 --vdev=net_null0 -- -i ..."
# Started by hand rather than with vpair_testpmd_run, which waits for it; the same timeout
# bounds it, and lib.sh's trap ends it by vpair_testpmd_pid.
# shellcheck disable=SC2086 # the EAL argument strings are meant to split
timeout --preserve-status -k 5 -s INT 90 "$VPAIR_TESTPMD" -l 0-1 --no-pci $t_mem_args \
	--file-prefix "$prefix" $t_plugin_args --vdev=net_vpair0 --vdev=net_null0 -- -i \
	--total-num-mbufs=8192 --portmask=0x3 --burst=$burst --txd=$desc --rxd=$desc \
	<"$fifo" >"$t_log" 2>&1 &
vpair_testpmd_pid=$!
# Held open until quit: testpmd reads its commands from it, and ends at its EOF.
exec 3>"$fifo"

# Fails with the logs, and lib.sh's trap ends testpmd.
die() {
	echo "$*" >>"$checks"
	t_fail "$*"
	t_finish
}

alive() {
	kill -0 "$vpair_testpmd_pid" 2>/dev/null
}

# tel CMD...: one connection, one reply per line.
tel() {
	printf '%s\n' "$@" | timeout 10 dpdk-telemetry.py -f "$prefix" 2>&1
}

# snap TAG PATTERN CMD...: polls (up to 30 s) until the reply to the first command matches
# PATTERN, so that the replies after it see the state it waits for; keeps them for the checks.
snap() {
	_tag=$1 _pat=$2
	shift 2
	printf '%s\n' "$@" >"$t_work/$_tag.cmds"
	_end=$(($(date +%s) + 30))
	until tel "$@" >"$t_work/$_tag.json" && head -n 1 "$t_work/$_tag.json" | grep -q -e "$_pat"
	do
		alive || die "$_tag: testpmd exited while waiting for $_pat from $1"
		[ "$(date +%s)" -lt "$_end" ] || die "$_tag: no $_pat from $1 within 30 s"
		sleep 0.2
	done
	echo "telemetry: $_tag:"
	sed 's/^/  /' "$t_work/$_tag.json"
}

info_cmds="/vpair/info,0 /vpair/info,1"

# Queued until testpmd has started its ports and reads commands.
echo 'start tx_first' >&3
# shellcheck disable=SC2086
snap fwd '"ipackets": [1-9]' /ethdev/stats,0 /ethdev/list /vpair/list $info_cmds \
	/ethdev/info,2 /vpair/info,2 /vpair/info,31 /vpair/info,65536 /vpair/info \
	/vpair/info,1x /vpair/info,-1 /vpair/info,0x1 / /help,/vpair/info

# testpmd runs its commands in order and `stop` returns once the forwarding lcore has: the
# next command's visible effect (on net_null0, outside the checks) marks the traffic quiet.
printf 'stop\nport config mtu 2 1400\n' >&3
# shellcheck disable=SC2086
snap quiet '"mtu": 1400' /ethdev/info,2 $info_cmds

echo 'port stop 1' >&3
# shellcheck disable=SC2086
snap stopped '"started": 0' /vpair/info,1 $info_cmds

echo 'port close 1' >&3
snap closed '": \[0\]}$' /vpair/list /ethdev/list /vpair/info,0 /vpair/info,1

echo 'quit' >&3
exec 3>&-
t_testpmd_wait
t_check_eal_clean

python3 - "$t_work" "$burst" "$desc" >>"$checks" 2>&1 <<'EOF' || t_fail "telemetry replies"
import json
import sys

work, burst, desc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
errors = []


def check(ok, msg):
    if not ok:
        errors.append(msg)
    return ok


def replies(tag):
    """Commands and replies of one snapshot, as {cmd: [reply, ...]} in order."""
    cmds = open(f"{work}/{tag}.cmds").read().split()
    lines = [l for l in open(f"{work}/{tag}.json").read().splitlines() if l]
    out = {}
    if not check(len(lines) == len(cmds), f"{tag}: {len(cmds)} commands, {len(lines)} replies"):
        return out
    for cmd, line in zip(cmds, lines):
        try:
            reply = json.loads(line)
        except ValueError:
            check(False, f"{tag}: {cmd}: not JSON: {line}")
            continue
        key = cmd.split(",")[0]
        if check(list(reply) == [key], f"{tag}: {cmd}: reply to another command: {line}"):
            out[cmd] = reply[key]
    return out


def info(tag, r, port):
    i = r.get(f"/vpair/info,{port}")
    check(isinstance(i, dict), f"{tag}: /vpair/info,{port} is {i!r}")
    return i if isinstance(i, dict) else {}


def expect(tag, port, d, **want):
    for k, v in want.items():
        check(d.get(k) == v, f"{tag}: port {port}: {k} is {d.get(k)!r}, expected {v!r}")


DROPS = ["rx_otherhost_dropped", "rx_mcast_filter_dropped", "rx_oversize_errors",
         "rx_undersized_errors", "rx_flushed_dropped", "rx_scatter_errors",
         "tx_ring_full_errors", "tx_link_down_errors", "tx_queue_stopped_errors",
         "tx_malformed_errors", "tx_offload_errors"]
inflight = 2 * burst        # tx_first: one burst from each port, then they circulate

# --- fwd
r = replies("fwd")
check(r.get("/ethdev/list") == [0, 1, 2], f"fwd: /ethdev/list is {r.get('/ethdev/list')!r}")
check(r.get("/vpair/list") == [0, 1], f"fwd: /vpair/list is {r.get('/vpair/list')!r}")
fwd = {}
for port, side in ((0, "a"), (1, "b")):
    i = fwd[port] = info("fwd", r, port)
    expect("fwd", port, i, name=f"net_vpair0_{side}", device="net_vpair0", side=side,
           port_id=port, peer_port_id=1 - port, carrier=1, admin_up=1, started=1,
           max_queues=16, max_desc=4096, nb_rx_queues=1, nb_tx_queues=1,
           txq_nb_desc=[desc])
    expect("fwd", port, i.get("rx_policy", {}), promiscuous=1, all_multicast=1, parse=0,
           mtu=1500, nb_unicast_addrs=1, nb_multicast_addrs=0)
    for k in ("txq_ring_count", "rxq_count"):
        v = i.get(k)
        check(isinstance(v, list) and len(v) == 1 and isinstance(v[0], int) and
              0 <= v[0] <= inflight, f"fwd: port {port}: {k} is {v!r}, expected [0..{inflight}]")
    drops = i.get("drops", {})
    check(sorted(drops) == sorted(DROPS), f"fwd: port {port}: drops are {sorted(drops)}")
    check(not any(drops.values()), f"fwd: port {port}: drops while forwarding: {drops}")
check((r.get("/ethdev/info,2") or {}).get("name") == "net_null0",
      f"fwd: /ethdev/info,2 is {r.get('/ethdev/info,2')!r}, expected net_null0")
for bad in ("/vpair/info,2", "/vpair/info,31", "/vpair/info,65536", "/vpair/info",
            "/vpair/info,1x", "/vpair/info,-1", "/vpair/info,0x1"):
    check(bad in r and r[bad] is None, f"fwd: {bad} is {r.get(bad)!r}, expected null")
check({"/vpair/list", "/vpair/info", "/ethdev/list"} <= set(r.get("/") or []),
      f"fwd: / lists {r.get('/')!r}")
check("port_id" in str(r.get("/help,/vpair/info")), "fwd: no help text for /vpair/info")

# --- quiet: every packet in flight waits in exactly one ring, seen from both of its ends
r = replies("quiet")
a, b = info("quiet", r, 0), info("quiet", r, 1)
tx_a, tx_b = a.get("txq_ring_count", [None])[0], b.get("txq_ring_count", [None])[0]
rx_a, rx_b = a.get("rxq_count", [None])[0], b.get("rxq_count", [None])[0]
check(tx_a == rx_b, f"quiet: port 0 tx ring holds {tx_a}, port 1 rx queue counts {rx_b}")
check(tx_b == rx_a, f"quiet: port 1 tx ring holds {tx_b}, port 0 rx queue counts {rx_a}")
check(isinstance(tx_a, int) and isinstance(tx_b, int) and tx_a + tx_b == inflight,
      f"quiet: the rings hold {tx_a} + {tx_b} packets, expected {inflight} in all")

# --- stopped: port 1 flushed what waited for it; what it sent still waits for port 0
r = replies("stopped")
a, b = info("stopped", r, 0), info("stopped", r, 1)
expect("stopped", 0, a, carrier=0, started=1, admin_up=1, peer_port_id=1,
       txq_ring_count=[0], rxq_count=[rx_a])
expect("stopped", 1, b, carrier=0, started=0, admin_up=1, peer_port_id=0,
       txq_ring_count=[tx_b], rxq_count=[])
check(b.get("drops", {}).get("rx_flushed_dropped") == rx_b,
      f"stopped: port 1 rx_flushed_dropped is {b.get('drops')}, expected {rx_b}")

# --- closed
r = replies("closed")
check(r.get("/ethdev/list") == [0, 2], f"closed: /ethdev/list is {r.get('/ethdev/list')!r}")
check(r.get("/vpair/list") == [0], f"closed: /vpair/list is {r.get('/vpair/list')!r}")
expect("closed", 0, info("closed", r, 0), peer_port_id=-1, carrier=0)
check("/vpair/info,1" in r and r["/vpair/info,1"] is None,
      f"closed: /vpair/info,1 is {r.get('/vpair/info,1')!r}, expected null")

for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
EOF

# As t_testpmd: --huge-unlink leaves no hugepage file, our clean-up the rest.
for f in "$VPAIR_HUGE_DIR/${prefix}map_"*; do
	[ ! -e "$f" ] || { t_fail "EAL left hugepage files $VPAIR_HUGE_DIR/${prefix}map_*"; break; }
done
vpair_eal_cleanup "$prefix" || t_fail "cannot remove the EAL files of $prefix"
t_prefix=

t_finish
