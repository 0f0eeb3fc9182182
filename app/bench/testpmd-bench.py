#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
"""
testpmd-bench.py BUILDDIR [options]: net_vpair against the alternatives, in one run. The
distro dpdk-testpmd (unchanged, interactive, driven through a pipe) forwards with one
forwarding lcore and bursts of 32 over each configuration; configurations run interleaved,
round robin, run by run. One row per configuration: Mpps median/min/max over runs (a run's
rate is the median of its 1 s `show port stats` samples), TSC cycles per packet on the
forwarding core (--record-core-cycles), the ratio to net_ring from the same invocation and
the features that were on (parsing, promiscuous, filtering), checked against the driver's
xstats. Writes BUILDDIR/bench/results.{txt,csv,json,png} and commands.txt (what ran).
See doc/perf/README.md.

Options:
  -d SECONDS       measured seconds per run, one sample a second (default 5)
  -r RUNS          runs per configuration (default 3)
  -w SECONDS       warm-up before the first sample (default 1)
  --only A,B,...   only these configurations (--list shows them)
  --skip A,B,...   all but these
  --sizes S[,L]    frame size of the small rows (64) and of the *-large rows (1500)
  --vdev ARG       devargs of the net_vpair device (default net_vpair0; the macswap row
                   addresses its ports by mac_a=/mac_b= or the default MACs)
  --out DIR        output directory (default BUILDDIR/bench, BUILDDIR/bench-smoke with --smoke)
  --keep-logs      copy every testpmd log to OUT/logs (also VPAIR_KEEP=1)
  --no-plot        no PNG (otherwise gnuplot, installed with apt-get if root and missing)
  --list           print the configurations and exit
  --smoke          ring-io and vpair-io, 1 run of 1 s, no install: checks that everything
                   runs and parses (the integration test bench-smoke)
Exit status: 0 when every run of every net_ring/net_vpair row gave a rate and every
feature check held; rows of other PMDs (null, memif, vhost/virtio-user, af_xdp) may be
skipped or fail with a reason without failing the benchmark. Targets are reported, never
asserted; 2 for a bad command line.
VPAIR_PLUGIN: the plugin (default BUILDDIR/drivers/net/vpair/librte_net_vpair.so);
VPAIR_NO_HUGE=1: --no-huge (vpair-2p is then replaced by the one-process vpair-2c);
VPAIR_BENCH_PREFIX: start of the EAL --file-prefix values (default bench).
"""

# Layout, as DPDK's usertools and DTS: the options, one table of configurations
# (configurations()), one parser of testpmd's output (parse_log()), running testpmd (Testpmd,
# run_one()), one report (report()). config/eal-env.sh stays the one source of the EAL set-up
# (hugepages, memory arguments, the plugin's private copy, EAL clean-up): it is called, not
# copied.

import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EAL_ENV = os.path.join(ROOT, "config", "eal-env.sh")
TESTPMD = os.environ.get("VPAIR_TESTPMD") or "dpdk-testpmd"
HUGE_DIR = os.environ.get("VPAIR_HUGE_DIR") or "/dev/hugepages"
PROG = "testpmd-bench"
BURST = 32
NMBUFS = 8192
CLK_TCK = os.sysconf("SC_CLK_TCK")
NCPU = len(os.sched_getaffinity(0))


def say(*a):
    print(*a, flush=True)


def die(msg, status=2):
    print("%s: %s" % (PROG, msg), file=sys.stderr, flush=True)
    sys.exit(status)


def usage(status):
    try:
        print(__doc__.strip("\n"), file=sys.stdout if status == 0 else sys.stderr, flush=True)
    except BrokenPipeError:
        pass
    sys.exit(status)


# --- Options --------------------------------------------------------------------------------
class Options:
    secs = 5
    runs = 3
    warm = "1"
    only = ""
    skip = ""
    small = 64
    large = 1500
    dut = "net_vpair0"
    out = ""
    keep = os.environ.get("VPAIR_KEEP", "0") == "1"
    plot = True
    smoke = False
    list = False
    builddir = ""


def parse_args(argv):
    o = Options()
    if not argv:
        usage(2)
    if argv[0] in ("-h", "--help"):
        usage(0)
    if argv[0] == "--list":
        o.list = True
    elif argv[0].startswith("-"):
        usage(2)
    o.builddir = argv[0]
    args = argv[1:]
    secs, runs, small, large = "5", "3", "64", "1500"

    def value(what):
        if len(args) < 2 or args[1] == "":
            die("%s needs %s" % (args[0], what))
        args.pop(0)
        return args[0]

    while args:
        a = args[0]
        if a == "-d":
            secs = value("SECONDS")
        elif a == "-r":
            runs = value("RUNS")
        elif a == "-w":
            o.warm = value("SECONDS")
        elif a in ("--only", "--skip", "--vdev", "--out", "--sizes"):
            v = value({"--sizes": "S[,L]", "--vdev": "devargs", "--out": "DIR"}.get(a, "names"))
            if a == "--sizes":
                small, _, rest = v.partition(",")
                if _:
                    large = rest
            else:
                setattr(o, {"--vdev": "dut"}.get(a, a[2:]), v)
        elif a.split("=", 1)[0] in ("--only", "--skip", "--vdev") and "=" in a:
            k, v = a.split("=", 1)
            setattr(o, {"--vdev": "dut"}.get(k, k[2:]), v)
        elif a == "--keep-logs":
            o.keep = True
        elif a == "--no-plot":
            o.plot = False
        elif a == "--list":
            o.list = True
        elif a == "--smoke":
            o.smoke = True
            secs, runs, o.warm = "1", "1", "0.5"
        elif a in ("-h", "--help"):
            usage(0)
        else:
            print("%s: unknown option %s" % (PROG, a), file=sys.stderr)
            usage(2)
        args.pop(0)
    if not all(re.fullmatch(r"[0-9]+", x) for x in (secs, runs, small, large)):
        die("-d, -r and --sizes take integers")
    if not re.fullmatch(r"[0-9.]+", o.warm) or o.warm.count(".") > 1 or o.warm == ".":
        die("-w takes seconds")
    o.secs, o.runs, o.small, o.large = int(secs), int(runs), int(small), int(large)
    if o.secs < 1 or o.runs < 1:
        die("-d, -r must be >= 1")
    if not (60 <= o.small <= 1514 and 60 <= o.large <= 1514):
        die("frame sizes must be 60-1514 (MTU 1500)")
    if not o.dut.startswith(("net_vpair", "eth_vpair")):
        die("--vdev must name a net_vpair device")
    o.dut_name = o.dut.split(",", 1)[0]
    o.mac_a, o.mac_b = dut_mac(o, "a"), dut_mac(o, "b")
    if not o.mac_a or not o.mac_b:
        die("cannot tell the MACs of %s: give mac_a= and mac_b= in --vdev" % o.dut_name)
    return o


def dut_mac(o, side):
    """The MAC of port a|b: mac_a=/mac_b= devargs, or the default (README: 02:76:70:<N>:0a/0b,
    N the number that ends the device name, as two bytes)."""
    if "," in o.dut:
        args = "," + o.dut.split(",", 1)[1] + ","
        found = re.findall(r",mac_%s=([0-9A-Fa-f:]*)(?=,)" % side, args)
        if found and found[-1]:
            return found[-1]
    m = re.fullmatch(r"[a-z_]*[^0-9]([0-9]{1,5})", o.dut_name)
    if not m or int(m.group(1)) > 65535:
        return None
    n = int(m.group(1))
    return "02:76:70:%02x:%02x:0%s" % (n // 256, n % 256, side)


# --- The configurations ---------------------------------------------------------------------
# One dict per configuration, in the order of --list. Fields (defaults in CFG_DEFAULTS):
#   kind     single: one testpmd, one forwarding lcore (-l 0-1: main cpu 0, forwarding cpu 1)
#            pair: generator process A (--lcores 0@0,1@0: forwarding on cpu 0) and receiver
#            process B (--lcores 2@1,3@1: forwarding on cpu 1); B's rate is the row's rate
#   vdevs, pmd    EAL vdev args and testpmd args of (A); vdevs2, pmd2 of B (@SOCK@: a unix
#            socket path in the private directory; @VETHA@/@VETHB@: a kernel veth pair)
#   cmds     testpmd commands run before `start`;  start: start | start tx_first
#   rate     rx | tx (which pps is the rate);  ports: the ports summed ("all" or ids)
#   mp       B is: primary (own --file-prefix) | secondary (A's prefix, --proc-type)
#   first    the process started first: A, or B when B is the server of a socket A connects to
#   shared   A|B: that process's memory is shared with its peer (virtio-user): hugepages
#            without --huge-unlink, with --single-file-segments; skipped under --no-huge
#   core     1: a failure fails the benchmark (net_ring, net_vpair rows)
#   check    what the driver's xstats must show: parse | fast | addressed | none
#   parse promisc filter: the features (on/off/-);  ref: the net_ring row it is compared with
#   pmdname, mode, size, lcores, nthr (forwarding threads), desc: what it measures
CFG_DEFAULTS = dict(kind="single", vdevs=[], pmd=[], vdevs2=[], pmd2=[], cmds=[],
                    start="start tx_first", rate="rx", ports="all", mp="", first="A", shared="",
                    core=0, check="none", parse="-", promisc="on", filter="-", ref="ring-io",
                    mode="io", lcores=["-l", "0-1"], nthr=1)

ALL_CONFIGS = """ring-io vpair-io-parse vpair-io ring-macswap vpair-macswap ring-io-large
vpair-io-large null-io memif-1p afxdp-veth null-txonly vpair-2p memif-2p vhost-2p virtio-2p
vpair-2p-large memif-2p-large vhost-2p-large virtio-2p-large vpair-2c""".split()
# vpair-2c (one process) runs only when asked for, or instead of vpair-2p without hugepages.
DEFAULT_CONFIGS = [c for c in ALL_CONFIGS if c != "vpair-2c"]
SMOKE_CONFIGS = ["ring-io", "vpair-io"]


def configurations(o):
    small, large, dut = o.small, o.large, o.dut
    ring = ["--vdev=net_ring0", "--vdev=net_ring1"]
    ptype_on = ["set port 0 ptype_mask 0xfff", "set port 1 ptype_mask 0xfff"]
    memif = "--vdev=net_memif0,role=%s,socket=@SOCK@,socket-abstract=no"
    vhost = "--vdev=net_vhost0,iface=@SOCK@,queues=1"
    virtio = "--vdev=net_virtio_user0,path=@SOCK@,queues=1"
    t = [
        dict(name="ring-io", pmdname="net_ring", core=1, ref="", vdevs=ring,
             desc="two net_ring ports, each its own loop (tx ring = rx ring); io, tx_first: "
             "pointers passed through an rte_ring, the reference"),
        dict(name="vpair-io-parse", pmdname="net_vpair", core=1, check="parse", parse="on",
             filter="off", vdevs=["--vdev=" + dut], cmds=ptype_on,
             desc="net_vpair io, tx_first, packet-type parsing on (set port N ptype_mask 0xfff), "
             "promiscuous: the tx side classifies and parses every frame"),
        dict(name="vpair-io", pmdname="net_vpair", core=1, check="fast", parse="off",
             filter="off", vdevs=["--vdev=" + dut],
             desc="net_vpair io, tx_first, testpmd defaults (parsing off, promiscuous): the fast "
             "path, length check only"),
        dict(name="ring-macswap", pmdname="net_ring", core=1, mode="macswap", vdevs=ring,
             pmd=["--port-topology=loop"],
             desc="net_ring, macswap (every frame's MACs swapped: one write per frame), "
             "reference for vpair-macswap"),
        # Loop topology: a frame received on a port is swapped and sent back out of the same
        # port, so it reaches the peer addressed to the peer (the tx_first frames are sent
        # from each port to the other's MAC: eth-peer N is what port N sends to).
        dict(name="vpair-macswap", pmdname="net_vpair", core=1, check="addressed", parse="on",
             promisc="off", filter="on", ref="ring-macswap", mode="macswap",
             vdevs=["--vdev=" + dut], cmds=["set promisc all off"] + ptype_on,
             pmd=["--port-topology=loop", "--eth-peer=0," + o.mac_b, "--eth-peer=1," + o.mac_a],
             desc="net_vpair macswap, parsing on, promiscuous off: each frame is addressed to "
             "the receiving port, classified, accepted by the unicast filter "
             "(rx_otherhost_dropped must stay 0)"),
        dict(name="ring-io-large", pmdname="net_ring", core=1, size=large, vdevs=ring,
             desc="ring-io with %d B frames, reference for vpair-io-large" % large),
        dict(name="vpair-io-large", pmdname="net_vpair", core=1, check="parse", parse="on",
             filter="off", size=large, ref="ring-io-large", vdevs=["--vdev=" + dut],
             cmds=ptype_on,
             desc="vpair-io-parse with %d B frames (MTU check, parsing reads the headers only)"
             % large),
        dict(name="null-io", pmdname="net_null", start="start", promisc="-",
             vdevs=["--vdev=net_null0,size=%d" % small, "--vdev=net_null1,size=%d" % small],
             desc="net_null io: rx allocates the mbufs, tx frees them, nothing is transferred: "
             "the mbuf alloc/free a NIC-like PMD pays, which ring and vpair (mbufs circulate) "
             "do not"),
        dict(name="memif-1p", pmdname="net_memif", promisc="-",
             vdevs=[memif % "server", (memif % "client").replace("memif0", "memif1")],
             desc="net_memif server + client in one process, io, tx_first: shared-memory rings, "
             "one copy per frame each way"),
        dict(name="afxdp-veth", pmdname="net_af_xdp", promisc="-",
             vdevs=["--vdev=net_af_xdp0,iface=@VETHA@", "--vdev=net_af_xdp1,iface=@VETHB@"],
             desc="net_af_xdp on a kernel veth pair, io, tx_first: AF_XDP sockets, the kernel's "
             "veth in between"),
        dict(name="null-txonly", pmdname="net_null", start="start", promisc="-", mode="txonly",
             rate="tx", vdevs=["--vdev=net_null0"], pmd=["--port-topology=loop"],
             desc="txonly into net_null on one core: the generator alone (alloc + header write "
             "+ free), the ceiling for vpair-2p"),
    ]
    for large_row in (False, True):
        sfx, size = ("-large", large) if large_row else ("", small)
        ref = "ring-io-large" if large_row else "ring-io"
        t += [
            dict(name="vpair-2p" + sfx, pmdname="net_vpair", kind="pair", mp="secondary",
                 start="start", check="fast", size=size, ref=ref, parse="off", filter="off",
                 vdevs=["--vdev=" + dut], pmd=["--portlist=0"], pmd2=["--portlist=1"],
                 desc="net_vpair, two processes: txonly on port 0 (primary, cpu 0) -> rxonly on "
                 "port 1 (secondary process, cpu 1); %d B, zero copy: the mbufs cross cores"
                 % size),
            dict(name="memif-2p" + sfx, pmdname="net_memif", kind="pair", mp="primary",
                 start="start", promisc="-", size=size, ref=ref,
                 vdevs=[memif % "server"], vdevs2=[memif % "client"],
                 desc="net_memif, two processes: txonly (server, cpu 0) -> rxonly (client, "
                 "cpu 1); %d B: memif copies each frame into its shared-memory buffers and out "
                 "again" % size),
            # rte_vhost is the socket's server: its process starts first.
            dict(name="vhost-2p" + sfx, pmdname="net_vhost", kind="pair", mp="primary",
                 start="start", promisc="-", size=size, ref=ref, shared="B",
                 vdevs=[vhost], vdevs2=[virtio],
                 desc="vhost-user -> virtio-user, two processes: txonly on net_vhost (cpu 0) "
                 "-> rxonly on net_virtio_user (cpu 1); %d B: vhost copies each frame into "
                 "the virtio-user process's hugepages" % size),
            dict(name="virtio-2p" + sfx, pmdname="net_virtio_user", kind="pair",
                 mp="primary", first="B", start="start", promisc="-", size=size, ref=ref,
                 shared="A", vdevs=[virtio], vdevs2=[vhost],
                 desc="virtio-user -> vhost-user, two processes: txonly on net_virtio_user "
                 "(cpu 0) -> rxonly on net_vhost (cpu 1); %d B: vhost copies each frame out of "
                 "the virtio-user process's hugepages" % size),
        ]
    t.append(dict(name="vpair-2c", pmdname="net_vpair", start="start", check="none",
                  parse="off", filter="off", ports="2",
                  vdevs=["--vdev=net_null0,size=%d" % small, "--vdev=" + dut],
                  lcores=["--lcores=0@0,1@0,2@1"], pmd=["--nb-cores=2", "--port-topology=chained"],
                  nthr=2,
                  desc="net_vpair, one process, two forwarding cores: net_null0 -> vpair_a (core "
                  "1), vpair_b -> net_null0 (core 2); io, net_null as source and sink"))
    table = {}
    for c in t:
        table[c["name"]] = {**CFG_DEFAULTS, "size": small, **c}
    assert list(table) == sorted(table, key=ALL_CONFIGS.index)
    return table


# --- The parser of testpmd's output ---------------------------------------------------------
def parse_log(path, rate="rx", ports="all"):
    """Reads the log of one interactive dpdk-testpmd 22.11 run (stdout line-buffered).

    rate: rx | tx: the rate is the sum of the ports' Rx-pps (packets received, i.e.
    forwarded) or Tx-pps (txonly: packets generated); ports: "all" or port ids (str).
    Rate: every `show port stats all` prints one "NIC statistics for port P" block per port,
    in port order, with "Rx-pps:"/"Tx-pps:" over the time since the previous show (testpmd's
    own nanosecond clock). A sample is one such command: a new one starts when a port number
    does not grow. The first sample is always 0 (no previous show) and is left out, as are
    incomplete ones; mpps is the median of the rest, offered the median of the other rate.
    cyc: testpmd's "CPU cycles/packet" (--record-core-cycles) at `stop`: TSC cycles spent in
    forwarding bursts that moved at least one packet, over the packets (received, or sent for
    txonly); empty polls are not counted.
    classified, otherhost, ...: sums over the ports of the net_vpair xstats
    rx_{unicast,multicast,broadcast}_packets (frames the tx side classified for the
    receiver: 0 on the fast path), rx_otherhost_dropped, rx_mcast_filter_dropped,
    rx_oversize_errors + rx_undersized_errors, tx_ring_full_errors; -1 when not shown.
    ptype_ok: how many `set port N ptype_mask` commands succeeded.
    promisc: "on", "off", "mixed" (from `show port info`) or "unknown".
    """
    want = None if ports == "all" else {int(p) for p in ports.split()}
    samples = []        # [nports, rx, tx]
    last = -1
    in_nic = in_x = acc = False
    x = dict(classified=-1, otherhost=-1, mcfilter=-1, sizeerr=-1, ringfull=-1)
    xstat = {"rx_unicast_packets:": "classified", "rx_multicast_packets:": "classified",
             "rx_broadcast_packets:": "classified", "rx_otherhost_dropped:": "otherhost",
             "rx_mcast_filter_dropped:": "mcfilter", "rx_oversize_errors:": "sizeerr",
             "rx_undersized_errors:": "sizeerr", "tx_ring_full_errors:": "ringfull"}
    r = dict(cyc=-1.0, tsc_mhz=0, fwd_rx=-1, fwd_tx=-1, fwd_txdrop=-1, ptype_ok=0)
    np_on = np_off = 0
    cur = 0
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        w = line.split()
        m = re.search(r"NIC statistics for port ([0-9]+)", line)
        if m:
            p = int(m.group(1))
            if p <= last or not samples:
                samples.append([0, 0.0, 0.0])
            last = cur = p
            samples[-1][0] += 1
            in_nic, in_x = True, False
            continue
        if "NIC extended statistics for port" in line:
            in_x, in_nic = True, False
            continue
        if re.fullmatch(r" *#+ *", line):
            in_nic = False
            continue
        if in_nic and w and w[0] in ("Rx-pps:", "Tx-pps:"):
            if (want is None or cur in want) and len(w) > 1:
                samples[-1][1 if w[0] == "Rx-pps:" else 2] += num(w[1])
            continue
        if in_x and len(w) > 1 and w[0] in xstat:
            k = xstat[w[0]]
            x[k] = max(x[k], 0) + int(num(w[1]))
        if "Successfully set following ptypes for Port" in line:
            r["ptype_ok"] += 1
        if line.startswith("Promiscuous mode: enabled"):
            np_on += 1
        if line.startswith("Promiscuous mode: disabled"):
            np_off += 1
        if "Accumulated forward statistics" in line:
            acc = True
            continue
        if acc and w and w[0] == "RX-packets:" and len(w) > 1:
            r["fwd_rx"] = int(num(w[1]))
        if acc and w and w[0] == "TX-packets:" and len(w) > 3:
            r["fwd_tx"], r["fwd_txdrop"] = int(num(w[1])), int(num(w[3]))
            acc = False
        m = re.search(r"CPU cycles/packet=([0-9.]*)", line)
        if m:
            r["cyc"] = num(m.group(1))
            m = re.search(r" at ([0-9.]*) MHz Clock", line)
            r["tsc_mhz"] = int(num(m.group(1))) if m else 0
    maxp = max((s[0] for s in samples), default=0)
    good = [s for s in samples[1:] if s[0] == maxp]
    ri, oi = (2, 1) if rate == "tx" else (1, 2)
    r["samples"] = len(good)
    r["mpps"] = median([s[ri] / 1e6 for s in good])
    r["offered"] = median([s[oi] / 1e6 for s in good])
    r["promisc"] = ("mixed" if np_on and np_off else "on" if np_on else "off" if np_off
                    else "unknown")
    r.update(x)
    return r


def num(s):
    """awk's string to number: the longest numeric prefix, else 0."""
    m = re.match(r"\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", s)
    return float(m.group(0)) if m else 0.0


def median(v):
    return statistics.median(v) if v else 0


# --- EAL set-up, through config/eal-env.sh --------------------------------------------------
def eal_env(func, *args, capture=True):
    """Runs the function func of config/eal-env.sh; returns (status, its stdout)."""
    p = subprocess.run(["sh", "-c", '. "$0"; f=$1; shift; "$f" "$@"', EAL_ENV, func, *args],
                       stdout=subprocess.PIPE if capture else None, text=True)
    return p.returncode, (p.stdout or "").strip()


def eal_mem_args():
    return eal_env("vpair_eal_mem_args")[1].split()


def runtime_dir():
    if os.getuid() == 0:
        return "/var/run/dpdk"
    return os.path.join(os.environ.get("XDG_RUNTIME_DIR") or "/tmp", "dpdk")


def private_base():
    if os.getuid() == 0:
        return "/run/dpdk-vpair"
    if os.environ.get("XDG_RUNTIME_DIR"):
        return os.environ["XDG_RUNTIME_DIR"] + "/dpdk-vpair"
    return os.path.expanduser("~/.cache/dpdk-vpair/run")


_prefix_n = 0


def file_prefix(tag):
    """A --file-prefix unique on this machine (TAG-pid-n)."""
    global _prefix_n
    _prefix_n += 1
    while os.path.exists("%s/%s-%d-%d" % (runtime_dir(), tag, os.getpid(), _prefix_n)):
        _prefix_n += 1
    return "%s-%d-%d" % (tag, os.getpid(), _prefix_n)


# --- /proc: processes, CPU time -------------------------------------------------------------
def proc_stat(path):
    """The fields of a /proc stat file after the command name: [state, ppid, ...]."""
    try:
        with open(path) as f:
            return f.read().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return None


def pids_all():
    return sorted(int(d) for d in os.listdir("/proc") if d.isdigit())


def children(pid):
    out = []
    for p in pids_all():
        s = proc_stat("/proc/%d/stat" % p)
        if s and int(s[1]) == pid:
            out.append(p)
    return out


def uptime_cs():
    with open("/proc/uptime") as f:
        return int(float(f.read().split()[0]) * 100)


def fwd_ticks(pid):
    """Ticks of CPU time of testpmd's forwarding threads (rte-worker-*) under the `timeout`
    pid, and the uptime in centiseconds."""
    t = 0
    for c in children(pid) if pid else []:
        try:
            tasks = os.listdir("/proc/%d/task" % c)
        except OSError:
            continue
        for task in tasks:
            try:
                with open("/proc/%d/task/%s/comm" % (c, task)) as f:
                    if not f.read().startswith("rte-worker-"):
                        continue
            except OSError:
                continue
            s = proc_stat("/proc/%d/task/%s/stat" % (c, task))
            if s:
                t += int(s[11]) + int(s[12])
    return t, uptime_cs()


def cpu_share(a, b, nthr):
    """Share (%) of the wall time the forwarding threads ran between two fwd_ticks, per thread."""
    wall = (b[1] - a[1]) / 100
    if wall <= 0 or nthr <= 0:
        return -1
    return min(100, int(100 * (b[0] - a[0]) / CLK_TCK / wall / nthr + 0.5))


def machine_snap(pids):
    """The whole machine: ticks of busy CPU time (user, nice, system, irq, softirq) and of steal
    over all CPUs, of our testpmds, and the uptime."""
    ours = 0
    for p in pids:
        for c in children(p):
            s = proc_stat("/proc/%d/stat" % c)
            if s:
                ours += int(s[11]) + int(s[12])
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    return cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6], cpu[7], ours, uptime_cs()


def machine_load(a, b):
    """(other, steal): % of the machine (all CPUs) busy with other processes, stolen by the host."""
    t = (b[3] - a[3]) / 100 * CLK_TCK * NCPU
    if t <= 0:
        return -1, -1
    other = max(0.0, 100 * ((b[0] - a[0]) - (b[2] - a[2])) / t)
    return int(other + 0.5), int(100 * (b[1] - a[1]) / t + 0.5)


OTHERS_RE = re.compile(r"^(dpdk-|test_|vpair_)|_test$|vswitchd|valgrind|callgrind|memcheck")


def others_running(pids):
    """Other DPDK processes (not ours) at the moment: " comm(pid)" each."""
    mine = set(pids)
    for p in pids:
        mine.update(children(p))
    s = ""
    for p in pids_all():
        try:
            with open("/proc/%d/comm" % p) as f:
                comm = f.read().strip()
        except OSError:
            continue
        if OTHERS_RE.search(comm) and p not in mine:
            s += " %s(%d)" % (comm, p)
    return s


def fail_reason(log, default):
    """Why a testpmd failed, from its log: its error lines, shortened."""
    try:
        with open(log, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    keep = re.compile(r"error|fail|cannot|can't|invalid|not |unable|no such", re.I)
    drop = re.compile(r"errors: |_errors|error: 0|RX-error")
    r = [ln for ln in lines if keep.search(ln) and not drop.search(ln)][:3]
    r = re.sub(r" +", " ", " ".join(r) + " " if r else "").replace("|", "/")[:160]
    return r or default


# --- Running testpmd ------------------------------------------------------------------------
class Testpmd:
    """One interactive dpdk-testpmd, stdin a pipe, stdout and stderr to its log, under
    `timeout` (a safety net only: runs end with `quit`). stdbuf: the log follows the commands
    as they run."""

    def __init__(self, bench, slot, log, args):
        self.bench, self.slot, self.log = bench, slot, log
        bench.cmdlog_add("[%s] %s %s" % (slot, TESTPMD, " ".join(args)))
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                ["timeout", "-k", "5", "-s", "INT", str(bench.o.secs + 60), "stdbuf", "-oL",
                 TESTPMD] + args, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        bench.pids.append(self.pid)

    def send(self, *cmds, log=True):
        if log:
            for c in cmds:
                self.bench.cmdlog_add("[%s] testpmd> %s" % (self.slot, c))
        try:
            self.proc.stdin.write("".join(c + "\n" for c in cmds).encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass    # a testpmd that died: its own status tells

    def wait_for(self, pattern, secs):
        """Until the log has a line with pattern; False if testpmd exited or time ran out."""
        for _ in range(int(secs * 10)):
            try:
                with open(self.log, errors="replace") as f:
                    if pattern in f.read():
                        return True
            except OSError:
                pass
            if self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def end(self):
        """Closes stdin (testpmd sees EOF after its last command) and waits: its status."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        rc = self.proc.wait()
        if self.pid in self.bench.pids:
            self.bench.pids.remove(self.pid)
        return rc


def common_pmd(c):
    """The testpmd args every process gets."""
    return ["-i", "--burst=%d" % BURST, "--total-num-mbufs=%d" % NMBUFS, "--record-core-cycles",
            "--txpkts=%d" % c["size"]]


class Bench:
    def __init__(self, o, table):
        self.o, self.table = o, table
        self.pids = []          # the `timeout` wrappers of our testpmds
        self.prefixes = []
        self.veth = ""
        self.work = ""
        self.cmdlog = None      # the list commands go to, during a configuration's first run
        self.cmdlogs = {}
        self.results = []       # one dict per run

    def cmdlog_add(self, line):
        if self.cmdlog is not None:
            self.cmdlog.append(line)

    def cleanup(self):
        """Every testpmd we started, EAL files, the veth pair, the private directory."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for p in self.pids:
            try:
                os.kill(p, signal.SIGTERM)
            except OSError:
                pass
        for p in self.pids:
            try:
                os.waitpid(p, 0)
            except OSError:
                pass
        self.pids = []
        for p in self.prefixes:
            if eal_env("vpair_eal_cleanup", p)[0]:
                say("%s: EAL files of %s remain" % (PROG, p))
        self.prefixes = []
        if self.veth:
            subprocess.run(["ip", "link", "del", self.veth + "a"], stderr=subprocess.DEVNULL)
            self.veth = ""
        if self.work:
            if self.o.keep and os.path.isdir(self.work):
                logs = [f for f in sorted(os.listdir(self.work)) if f.endswith(".log")]
                if logs:
                    os.makedirs(self.o.out + "/logs", exist_ok=True)
                    for f in logs:
                        shutil.copy(os.path.join(self.work, f), self.o.out + "/logs/")
                    say("%s: logs in %s/logs" % (PROG, self.o.out))
            # vpair_private_remove: only a directory under the private base.
            if os.path.dirname(self.work.rstrip("/")) == private_base():
                shutil.rmtree(self.work, ignore_errors=True)
            self.work = ""

    def veth_setup(self):
        """A veth pair for af_xdp, made once: vpb<pid>a / vpb<pid>b. None, or why not."""
        if self.veth:
            return None
        if os.getuid() != 0:
            return "needs root (veth pair, XDP)"
        if not shutil.which("ip"):
            return "no ip command (iproute2)"
        v = "vpb%d" % os.getpid()
        p = subprocess.run(["ip", "link", "add", v + "a", "type", "veth", "peer", "name", v + "b"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode:
            return "cannot create a veth pair: " + p.stdout.strip()
        self.veth = v
        for end in "ab":
            # No IPv6 autoconfiguration chatter (router/neighbour solicitations) on the pair.
            try:
                with open("/proc/sys/net/ipv6/conf/%s%s/disable_ipv6" % (v, end), "w") as f:
                    f.write("1\n")
            except OSError:
                pass
            if subprocess.run(["ip", "link", "set", v + end, "up"]).returncode:
                return "cannot set %s%s up" % (v, end)
        return None

    def run_one(self, name, i):
        """One run of one configuration: appends its result to self.results."""
        c, o = self.table[name], self.o
        pair = c["kind"] == "pair"
        # The exact commands of the first run, for OUT/commands.txt.
        self.cmdlog = self.cmdlogs.setdefault(name, []) if i == 1 else None
        tag = "%s-%d" % (name, i)
        log_a, log_b = "%s/%s.log" % (self.work, tag), "%s/%s-rx.log" % (self.work, tag)
        skip_reason = None
        vdevs, vdevs2 = list(c["vdevs"]), list(c["vdevs2"])
        sock = None
        if any("@SOCK@" in v for v in vdevs + vdevs2):
            sock = "%s/%s-%s.sock" % (self.work, c["pmdname"].split("_")[1], tag)
            vdevs = [v.replace("@SOCK@", sock) for v in vdevs]
            vdevs2 = [v.replace("@SOCK@", sock) for v in vdevs2]
        if any("@VETHA@" in v for v in vdevs):
            skip_reason = self.veth_setup()
            if not skip_reason:
                vdevs = [v.replace("@VETHA@", self.veth + "a").replace("@VETHB@", self.veth + "b")
                         for v in vdevs]
        mem = eal_mem_args()
        mem_a = mem
        if c["mp"] == "secondary":
            if "--no-huge" in mem:
                skip_reason = "a secondary process needs hugepages; this run has --no-huge"
            # A secondary maps the primary's hugepage files: they must not be unlinked.
            mem_a = [a for a in mem if a != "--huge-unlink"]
        if c["shared"]:
            if "--no-huge" in mem:
                skip_reason = "virtio-user shares its hugepages with vhost; this run has --no-huge"
            if c["shared"] == "A":
                mem_a = shared_mem(mem)
        if skip_reason:
            self.results.append(dict(name=name, run=i, status="skipped", mpps="0", samples=0,
                                     cyc="-1", cyc2="-1", offered="0", classified=-1,
                                     otherhost=-1, mcfilter=-1, promisc="-", ptype_ok=0,
                                     share=-1, other=-1, steal=-1, others="-",
                                     reason=skip_reason))
            return
        others = others_running(self.pids)
        if others:
            say("%s: warning: other DPDK processes running:%s" % (PROG, others))

        tag_p = os.environ.get("VPAIR_BENCH_PREFIX") or "bench"
        p_a = file_prefix("%s-%s" % (tag_p, name))
        self.prefixes.append(p_a)
        p_b = None
        status, reason = "ok", ""
        # Another PMD that cannot start here (no XDP, ...) is skipped, with the reason.
        nostart = "failed" if c["core"] else "skipped"
        tp = {}

        def start_a():
            if c["kind"] == "single":
                args = c["lcores"] + ["--no-pci"] + mem_a + ["--file-prefix", p_a] + \
                    self.plugin_args + vdevs + ["--"] + common_pmd(c) + \
                    ["--forward-mode=" + c["mode"], "--nb-cores=1"] + c["pmd"]
            else:
                args = ["--lcores=0@0,1@0", "--no-pci"] + mem_a + ["--file-prefix", p_a] + \
                    self.plugin_args + vdevs + ["--"] + common_pmd(c) + \
                    ["--forward-mode=txonly", "--nb-cores=1", "--port-topology=loop"] + c["pmd"]
            tp["A"] = Testpmd(self, "A", log_a, args)
            # Commands queue up in the pipe until testpmd's command line reads them. The
            # set-up commands, then what they achieved; its output means testpmd is up (the
            # prompt is no good sign: an LSC event printed by another thread may cut it in two).
            if c["cmds"]:
                tp["A"].send(*c["cmds"])
            tp["A"].send("show port info all")
            if not tp["A"].wait_for("Infos for port", 30):
                return fail_reason(log_a, "testpmd did not start")
            return None

        def start_b():
            nonlocal p_b
            if c["mp"] == "secondary":
                p_b = p_a
                eal2 = ["--proc-type=secondary", "--huge-dir", HUGE_DIR]
            else:
                p_b = file_prefix("%s-%s" % (tag_p, name))
                self.prefixes.append(p_b)
                eal2 = eal_mem_args()
                if c["shared"] == "B":
                    if "--no-huge" in eal2:
                        return "not enough free hugepages for the receiving testpmd"
                    eal2 = shared_mem(eal2)
            tp["B"] = Testpmd(self, "B", log_b, ["--lcores=2@1,3@1", "--no-pci"] + eal2 +
                              ["--file-prefix", p_b] + self.plugin_args + vdevs2 + ["--"] +
                              common_pmd(c) + ["--forward-mode=rxonly", "--nb-cores=1",
                                               "--port-topology=loop"] + c["pmd2"])
            tp["B"].send("show port info all")
            if not tp["B"].wait_for("Infos for port", 30):
                return fail_reason(log_b, "the receiving testpmd did not start")
            return None

        order = [start_a] if not pair else [start_b, start_a] if c["first"] == "B" \
            else [start_a, start_b]
        for f in order:
            r = f()
            if r:
                status, reason = nostart, r
                break
        if status == "ok":
            if pair:
                tp["B"].send("start")
                if not tp["B"].wait_for("packet forwarding - ports=", 10):
                    status = "failed"
                    reason = fail_reason(log_b, "receiver did not start forwarding")
            tp["A"].send(c["start"])
            if not tp["A"].wait_for("packet forwarding - ports=", 10):
                status, reason = "failed", fail_reason(log_a, "forwarding did not start")
        share, load = -1, (-1, -1)
        if status == "ok":
            self.cmdlog_add("    (%s s warm-up, then %d x: 1 s, show port stats all)"
                            % (o.warm, o.secs))
            time.sleep(float(o.warm))
            m0 = machine_snap(self.pids)
            a0 = fwd_ticks(tp["A"].pid)
            b0 = fwd_ticks(tp["B"].pid) if pair else None
            tp["A"].send("show port stats all")
            if pair:
                tp["B"].send("show port stats all")
            for _ in range(o.secs):
                time.sleep(1)
                tp["A"].send("show port stats all", log=False)
                if pair:
                    tp["B"].send("show port stats all", log=False)
            load = machine_load(m0, machine_snap(self.pids))
            share = cpu_share(a0, fwd_ticks(tp["A"].pid), c["nthr"])
            if pair:
                share = min(share, cpu_share(b0, fwd_ticks(tp["B"].pid), 1))
            others += others_running(self.pids)
        # Stop the generator, then the receiver. Stopping both before either quits keeps the
        # forward statistics whole (memif's counters go when its peer disconnects). The
        # receiver quits first (a secondary process must end before its primary, a memif
        # client before its server), the generator (net_vpair's xstats) last; but when the
        # receiver is the socket's server (virtio-2p: vhost), the generator quits first.
        if "A" in tp and pair:
            tp["A"].send("stop")
            tp["A"].wait_for("Accumulated forward statistics", 10)
        # The process started last (the client of a socket, the secondary) quits first.
        b_cmds = ["stop", "show port xstats all", "quit"]
        if "B" in tp and c["first"] == "B":
            tp["B"].send("stop")
            tp["B"].wait_for("Accumulated forward statistics", 10)
            b_cmds = b_cmds[1:]
        for slot in ("A", "B") if c["first"] == "B" else ("B", "A"):
            if slot not in tp:
                continue
            if slot == "B":
                tp["B"].send(*b_cmds)
                if tp["B"].end() and status == "ok":
                    status, reason = "failed", "receiver exited with an error"
            else:
                if not pair:
                    tp["A"].send("stop")
                tp["A"].send("show port xstats all", "quit")
                if tp["A"].end() and status == "ok":
                    status, reason = "failed", "testpmd exited with an error"
        for p in dict.fromkeys([p_a, p_b]):
            if p is None:
                continue
            if eal_env("vpair_eal_cleanup", p)[0]:
                say("%s: warning: EAL files of %s remain" % (PROG, p))
            if p in self.prefixes:
                self.prefixes.remove(p)
        if sock:
            try:
                os.unlink(sock)
            except OSError:
                pass

        # The numbers: the measuring process's rate and cycles, the generator's cycles.
        if not pair:
            v = parse_log(log_a, c["rate"], c["ports"])
            cyc2 = "-1"
        else:
            g = parse_log(log_a, "tx")
            v = parse_log(log_b, "rx")
            cyc2 = "%.2f" % g["cyc"]
            # net_vpair's xstats and the port info come from the primary (A)
            for k in ("classified", "otherhost", "ptype_ok", "promisc"):
                v[k] = g[k]
        if status == "ok" and (v["samples"] < 1 or not v["mpps"] > 0):
            status, reason = "failed", "no rate (samples: %d)" % v["samples"]
        # Does the row measure what it says?
        if status == "ok" and c["check"] == "parse":
            if not (v["ptype_ok"] >= 2 and v["classified"] > 0):
                status, reason = "badcheck", "parsing not on (ptype set %d/2, classified %d)" % (
                    v["ptype_ok"], v["classified"])
        if status == "ok" and c["check"] == "addressed":
            if not (v["ptype_ok"] >= 2 and v["classified"] > 0 and v["otherhost"] == 0 and
                    v["mcfilter"] == 0 and v["promisc"] == "off"):
                status, reason = "badcheck", (
                    "filter drops or wrong set-up (otherhost %d, mcast %d, classified %d, "
                    "promisc %s)" % (v["otherhost"], v["mcfilter"], v["classified"], v["promisc"]))
        others = others.strip().replace(" ", ",") or "-"
        self.results.append(dict(
            name=name, run=i, status=status, mpps="%.3f" % v["mpps"], samples=v["samples"],
            cyc="%.2f" % v["cyc"], cyc2=cyc2, offered="%.3f" % v["offered"],
            classified=v["classified"], otherhost=v["otherhost"], mcfilter=v["mcfilter"],
            promisc=v["promisc"], ptype_ok=v["ptype_ok"], share=share, other=load[0],
            steal=load[1], others=others, reason=reason))
        if status not in ("ok", "skipped"):
            say("%s: %s run %d %s: %s; end of its log:" % (PROG, name, i, status, reason))
            for path, n, head in ((log_a, 25, None), (log_b, 15, "  receiver:")):
                if not os.path.isfile(path):
                    continue
                if head:
                    say(head)
                with open(path, errors="replace") as f:
                    for ln in f.read().splitlines()[-n:]:
                        say("  | " + ln)


def shared_mem(mem):
    """EAL memory args of a virtio-user process: vhost maps its hugepage files."""
    return [a for a in mem if a != "--huge-unlink"] + ["--single-file-segments"]


def run_line(r):
    """A run as a line of runs.txt: name run status mpps samples cyc cyc_peer offered classified
    otherhost mcfilter promisc ptype_ok cpu_share other_load steal others reason..."""
    return "%s %d %s %s %d %s %s %s %d %d %d %s %d %d %d %d %s %s" % (
        r["name"], r["run"], r["status"], r["mpps"], r["samples"], r["cyc"], r["cyc2"],
        r["offered"], r["classified"], r["otherhost"], r["mcfilter"], r["promisc"],
        r["ptype_ok"], r["share"], r["other"], r["steal"], r["others"], r["reason"])


# --- The report -----------------------------------------------------------------------------
# Issue 10's: io with parsing off and on, mac forwarding with parsing and filtering, and across
# cores at least memif and vhost-user/virtio-user at 64 B and 3 x memif at 1500 B; with two
# of earlier issues (the generator's ceiling, AF_XDP on veth).
TARGETS = [("vpair-io", "ring-io", "0.85"), ("vpair-io-parse", "ring-io", "0.5"),
           ("vpair-macswap", "ring-macswap", "0.75"), ("vpair-2p", "memif-2p", "1"),
           ("vpair-2p", "vhost-2p", "1"), ("vpair-2p", "virtio-2p", "1"),
           ("vpair-2p-large", "memif-2p-large", "3"), ("vpair-2p", "null-txonly", "0.9"),
           ("vpair-io-parse", "afxdp-veth", "100")]

LEGEND = """
Mpps: median over runs of each run's median 1 s sample (min/max: of the run values);
packets received per second (forwarded; txonly: generated). cyc/pkt: testpmd's TSC
cycles per packet in non-empty bursts of the forwarding core (pair rows: receiver/
generator). vs ring: median over runs of run i's rate / run i's rate of its net_ring
reference row (in parentheses below; configurations interleave, so run i of each saw the
machine in the same state). cpu%: least share of wall time the forwarding thread(s) ran; oth%: most of the
machine (all CPUs) other processes used during a run (disturbed: cpu% < 90, oth% > 10).
parse/promisc/filter/tx path: what net_vpair did, read back from testpmd (show port
info, set port ptype_mask) and the driver's xstats (rx_*cast_packets > 0: the tx side
classified the frames; filter on: promiscuous off, the receiver's MAC filter applies).
"""


def jstr(s):
    return json.dumps(s, ensure_ascii=False)


def csvq(s):
    return '"' + s.replace('"', '""') + '"'


def report(meta, results, o, info, out):
    """The table, legend and targets (returned as text), results.csv, results.json and the
    plot's data file results.dat (index name median min max group).
    meta: the configurations run, in order (dicts of the table, mode "tx>rx" for pairs).
    A run is disturbed when its forwarding thread(s) ran < 90% of the time, other processes
    kept > 10% of the machine busy, the host stole > 5%, or other DPDK processes were seen."""
    rows = {}
    for c in meta:
        rows[c["name"]] = dict(c=c, nrun=0, ok=[], why=None, whyst=None, bad=False, share=None,
                               load=None, cls=None, disturbed=[])
    for r in results:
        w = rows.get(r["name"])
        if w is None:
            continue
        w["nrun"] += 1
        if r["status"] == "ok":
            w["ok"].append(r)
            if r["share"] >= 0 and (w["share"] is None or r["share"] < w["share"]):
                w["share"] = r["share"]
            x = "na" if r["classified"] < 0 else "classify" if r["classified"] > 0 else "fast"
            if w["cls"] is not None and w["cls"] != x:
                x = "mixed"
            w["cls"] = x
            w["obs_promisc"], w["obs_ptype"] = r["promisc"], r["ptype_ok"]
            if r["other"] >= 0 and (w["load"] is None or r["other"] > w["load"]):
                w["load"] = r["other"]
            d = ""
            if 0 <= r["share"] < 90:
                d += " fwd-cpu=%d%%" % r["share"]
            if r["other"] > 10:
                d += " others=%d%%" % r["other"]
            if r["steal"] > 5:
                d += " steal=%d%%" % r["steal"]
            if r["others"] != "-":
                d += " " + r["others"]
            if d:
                w["disturbed"].append("    run %d:%s" % (r["run"], d))
        else:
            if w["why"] is None:
                w["why"], w["whyst"] = " ".join(r["reason"].split()), r["status"]
            if r["status"] == "badcheck":
                w["bad"] = True
    med = {}
    for n, w in rows.items():
        c, ok = w["c"], w["ok"]
        w["why"] = w["why"] or ""
        if ok:
            v = sorted(float(r["mpps"]) for r in ok)
            med[n] = median(v)
            w["lo"], w["hi"] = v[0], v[-1]
            w["cyc"] = median([float(r["cyc"]) for r in ok])
            w["cycg"] = median([float(r["cyc2"]) for r in ok])
            w["runlist"] = ",".join("%.3f" % float(r["mpps"]) for r in ok)
            w["byrun"] = {r["run"]: float(r["mpps"]) for r in ok}
        else:
            w["runlist"] = ""
        # Observed features of net_vpair rows; other PMDs have no MAC filter or parser.
        if c["pmdname"] == "net_vpair" and ok:
            w["parse"] = "on" if w["obs_ptype"] >= 2 else "off"
            w["promisc"] = w["obs_promisc"]
            w["filter"] = {"off": "on", "on": "off"}.get(w["obs_promisc"], "?")
            w["path"] = "?" if w["cls"] == "na" else w["cls"]
        elif c["pmdname"] == "net_vpair":
            w["parse"], w["promisc"], w["filter"], w["path"] = (c["parse"], c["promisc"],
                                                               c["filter"], "-")
        else:
            w["parse"] = w["promisc"] = w["filter"] = w["path"] = "-"
        w["status"] = ("ok" if len(ok) == w["nrun"] and ok else "partial" if ok
                       else w["whyst"] or "none")
        if w["bad"]:
            w["status"] = "badcheck"

    def ratio(a, b):
        """The median of run i's rate over run i's rate of b. Configurations run interleaved,
        so run i of each saw the machine in the same state: this machine's speed moves by
        tens of percent between runs, the same for all."""
        if a not in med or b not in med or med[a] <= 0 or med[b] <= 0:
            return None
        ra, rb = rows[a]["byrun"], rows[b]["byrun"]
        paired = [ra[i] / rb[i] for i in ra if i in rb and rb[i] > 0]
        return median(paired) if paired else med[a] / med[b]

    txt = ["%-15s %-8s %4s %-5s %-7s %-6s %-8s %4s %9s %8s %8s %11s %8s %4s %4s" % (
        "config", "mode", "size", "parse", "promisc", "filter", "tx path", "runs", "Mpps med",
        "min", "max", "cyc/pkt", "vs ring", "cpu%", "oth%")]
    for n, w in rows.items():
        c = w["c"]
        if n not in med:
            txt.append("%-15s %-8s %4s %-5s %-7s %-6s %-8s %4s  %s: %s" % (
                n, c["mode"], c["size"], "-", "-", "-", "-", "0/%d" % w["nrun"], w["status"],
                w["why"]))
            continue
        rt = ratio(n, c["ref"])
        rt = "ref" if c["ref"] == "" else "n/a" if rt is None else "%.3f" % rt
        cs = ("%.1f/%.1f" % (w["cyc"], w["cycg"]) if c["kind"] == "pair"
              else "%.2f" % w["cyc"])
        txt.append("%-15s %-8s %4s %-5s %-7s %-6s %-8s %4s %9.3f %8.3f %8.3f %11s %8s %4s %4s%s" % (
            n, c["mode"], c["size"], w["parse"], w["promisc"], w["filter"], w["path"],
            "%d/%d" % (len(w["ok"]), w["nrun"]), med[n], w["lo"], w["hi"], cs, rt,
            "?" if w["share"] is None else w["share"], "?" if w["load"] is None else w["load"],
            "" if w["status"] == "ok" else "  %s: %s" % (w["status"], w["why"])))
    txt.append(LEGEND.rstrip("\n"))
    txt.append("")
    for n, w in rows.items():
        c = w["c"]
        txt.append("  %-15s %s%s" % (n, c["desc"], "" if c["ref"] == "" else " (vs %s)" % c["ref"]))
    dist = [("  %s:\n" % n) + "\n".join(w["disturbed"]) for n, w in rows.items() if w["disturbed"]]
    if dist:
        txt.append("\nDisturbed runs (forwarding thread preempted, other load, host steal, "
                   "other DPDK processes):\n" + "\n".join(dist))

    # The targets: numerator, denominator, factor.
    txt.append("\nTargets (reported, not asserted):")
    targets = []
    for a, b, fac in TARGETS:
        if a == "vpair-2p" and "vpair-2p" not in med and "vpair-2c" in med:
            a = "vpair-2c"
        r = ratio(a, b)
        if r is None:
            res, verdict = "n/a", "n/a (not measured)"
        elif r >= float(fac):
            res, verdict = "met", "met"
        else:
            res = "missed"
            verdict = "MISSED by %.1f%% (%.3f Mpps short)" % (
                100 * (1 - r / float(fac)), float(fac) * med[b] - med[a])
        targets.append((a, b, fac, r, res))
        txt.append("  %-15s / %-14s = %8s   %-16s %s" % (
            a, b, "-" if r is None else "%.1f" % r if r >= 10 else "%.3f" % r,
            "" if fac is None else "target >= " + fac, verdict))

    def f(fmt, v):
        return "" if v is None else fmt % v

    with open(out + "/results.csv", "w") as fh:
        fh.write("config,pmd,mode,size,parse,promisc,filter,tx_path,runs_ok,runs,mpps_median,"
                 "mpps_min,mpps_max,mpps_runs,cycles_per_packet,cycles_per_packet_generator,ref,"
                 "ratio_to_ref,ratio_to_ring_io,fwd_cpu_share_min,other_load_max,disturbed_runs,"
                 "status,reason,description\n")
        for n, w in rows.items():
            c, ok = w["c"], n in med
            fh.write(",".join(str(x) for x in (
                n, c["pmdname"], c["mode"], c["size"], w["parse"], w["promisc"], w["filter"],
                w["path"], len(w["ok"]), w["nrun"], f("%.3f", med.get(n)),
                f("%.3f", w.get("lo")), f("%.3f", w.get("hi")), csvq(w["runlist"]),
                f("%.2f", w.get("cyc")),
                f("%.2f", w.get("cycg") if c["kind"] == "pair" else None), c["ref"],
                f("%.4f", ratio(n, c["ref"])), f("%.4f", ratio(n, "ring-io")),
                f("%d", w["share"]), f("%d", w["load"]), len(w["disturbed"]), w["status"],
                csvq(w["why"]), csvq(c["desc"]))) + "\n")

    def jn(fmt, v):
        return "null" if v is None else fmt % v

    with open(out + "/results.json", "w") as fh:
        fh.write('{\n  "date": %s,\n  "host": %s,\n  "cpu": %s,\n  "cpus": %d,\n'
                 '  "kernel": %s,\n  "dpdk_testpmd": %s,\n  "runs": %d,\n  "seconds": %d,\n'
                 '  "configs": [\n' % (jstr(info["date"]), jstr(info["host"]), jstr(info["cpu"]),
                                       NCPU, jstr(info["kernel"]), jstr(info["testpmd"]), o.runs,
                                       o.secs))
        items = list(rows.items())
        for i, (n, w) in enumerate(items):
            c = w["c"]
            fh.write(
                '    {"name": %s, "pmd": %s, "mode": %s, "size": %d, '
                '"features": {"parse": %s, "promiscuous": %s, "filter": %s, "tx_path": %s}, '
                '"runs_ok": %d, "runs": %d, "mpps": {"median": %s, "min": %s, "max": %s, '
                '"runs": [%s]}, "cycles_per_packet": %s, "cycles_per_packet_generator": %s, '
                '"ref": %s, "ratio_to_ref": %s, "fwd_cpu_share_min": %s, '
                '"other_load_max": %s, "disturbed_runs": %d, "status": %s, '
                '"reason": %s, "description": %s}%s\n' % (
                    jstr(n), jstr(c["pmdname"]), jstr(c["mode"]), c["size"], jstr(w["parse"]),
                    jstr(w["promisc"]), jstr(w["filter"]), jstr(w["path"]), len(w["ok"]),
                    w["nrun"], jn("%.3f", med.get(n)), jn("%.3f", w.get("lo")),
                    jn("%.3f", w.get("hi")), w["runlist"], jn("%.2f", w.get("cyc")),
                    jn("%.2f", w.get("cycg") if c["kind"] == "pair" else None),
                    "null" if c["ref"] == "" else jstr(c["ref"]),
                    jn("%.4f", ratio(n, c["ref"])), jn("%d", w["share"]), jn("%d", w["load"]),
                    len(w["disturbed"]), jstr(w["status"]), jstr(w["why"]), jstr(c["desc"]),
                    "," if i < len(items) - 1 else ""))
        fh.write('  ],\n  "targets": [\n')
        for i, (a, b, fac, r, res) in enumerate(targets):
            fh.write('    {"config": %s, "versus": %s, "at_least": %s, "ratio": %s, '
                     '"result": %s}%s\n' % (jstr(a), jstr(b), fac or "null", jn("%.4f", r),
                                            jstr(res), "," if i < len(targets) - 1 else ""))
        fh.write("  ]\n}\n")

    with open(out + "/results.dat", "w") as fh:
        j = 0
        for n, w in rows.items():
            if n not in med:
                continue
            g = {"net_ring": 0, "net_vpair": 1}.get(w["c"]["pmdname"], 2)
            fh.write("%d %s %.3f %.3f %.3f %d\n" % (j, n, med[n], w["lo"], w["hi"], g))
            j += 1
    return "\n".join(txt) + "\n"


# --- Main -----------------------------------------------------------------------------------
def sh_out(*cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        return p.stdout.strip() if p.returncode == 0 else None
    except OSError:
        return None


def cpu_model():
    m = ""
    with open("/proc/cpuinfo") as f:
        for ln in f:
            if ln.startswith("model name") and ": " in ln:
                m = ln.split(": ", 1)[1].rstrip("\n")
    return m


def plot(o, bench, subtitle):
    dat, png = o.out + "/results.dat", o.out + "/results.png"
    if not os.path.getsize(dat):
        return
    if not shutil.which("gnuplot") and not o.smoke and os.getuid() == 0 and shutil.which("apt-get"):
        say("%s: installing gnuplot-nox for the plot" % PROG)
        p = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "gnuplot-nox"],
                           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode:
            say("%s: apt-get install gnuplot-nox failed:" % PROG)
            for ln in [ln for ln in p.stdout.splitlines() if ln.startswith("E:")][:3]:
                say(ln)
    if not shutil.which("gnuplot"):
        say("plot: skipped (no gnuplot; as root the full run installs gnuplot-nox)")
        return
    p = subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'; subtitle='%s'"
                        % (dat, png, subtitle.replace("'", "")), HERE + "/plot.gp"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode == 0:
        say("plot: " + png)
    else:
        say("%s: gnuplot failed: %s" % (PROG, "\n".join(p.stdout.splitlines()[:3])))


def main(argv):
    o = parse_args(argv)
    table = configurations(o)
    if o.list:
        try:
            for n, c in table.items():
                print("%-15s %s" % (n, c["desc"]), flush=True)
        except BrokenPipeError:
            pass
        return 0

    # The configurations to run.
    if o.smoke and not o.only:
        configs = list(SMOKE_CONFIGS)
    elif o.only:
        configs = [n for n in o.only.split(",") if n]
    else:
        configs = list(DEFAULT_CONFIGS)
    for n in [n for n in o.skip.split(",") if n]:
        if n in configs:
            configs.remove(n)
    for n in configs:
        if n not in table:
            die("unknown configuration %s (--list)" % n)
    if not configs:
        die("no configuration left")

    for t in (TESTPMD, "timeout", "stdbuf"):
        if not shutil.which(t):
            die("%s not found (dpdk-testpmd: package dpdk-dev; stdbuf, timeout: coreutils)" % t, 1)
    if not o.out:
        o.out = o.builddir + ("/bench-smoke" if o.smoke else "/bench")
    try:
        os.makedirs(o.out, exist_ok=True)
    except OSError as e:
        die("cannot make %s: %s" % (o.out, e), 1)

    bench = Bench(o, table)

    def on_signal(sig, _frame):
        sys.exit(130 if sig == signal.SIGINT else 143)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        return run(o, table, configs, bench)
    finally:
        bench.cleanup()


def run(o, table, configs, bench):
    plugin = os.environ.get("VPAIR_PLUGIN", o.builddir + "/drivers/net/vpair/librte_net_vpair.so")
    if not plugin or not os.path.isfile(plugin):
        die("no plugin %s: build it first (ninja -C %s)" % (plugin, o.builddir), 1)
    rc, work = eal_env("vpair_plugin_dir", plugin)
    if rc or not work:
        sys.exit(1)
    bench.work = work
    bench.plugin_args = ["-d", work + "/" + os.path.basename(plugin)]
    eal_env("vpair_hugepages_setup", capture=False)

    # What was measured: the source tree's commit (and whether the driver differs from it).
    rev = sh_out("git", "-C", ROOT, "rev-parse", "--short", "HEAD")
    if rev and sh_out("git", "-C", ROOT, "status", "--porcelain", "--", "drivers", "lib"):
        rev += ", with changes in drivers/ or lib/"
    testpmd_ver = sh_out("dpkg-query", "-W", "-f", "${Version}", "dpdk-dev")
    with open(plugin, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:16]
    with open("/proc/loadavg") as f:
        loadavg = " ".join(f.read().split()[:3])
    head = [
        "%s: %s (%s), plugin %s" % (PROG, shutil.which(TESTPMD), testpmd_ver or "?", plugin),
        "%s: source %s; plugin sha256 %s" % (PROG, rev or "not a git checkout", sha),
        "%s: %s, %d CPUs, kernel %s; EAL memory: %s" % (PROG, cpu_model(), NCPU, os.uname().release,
                                                       " ".join(eal_mem_args())),
        "%s: %d run(s) x %d s (+%s s warm-up) of: %s" % (PROG, o.runs, o.secs, o.warm,
                                                         " ".join(configs)),
        "%s: burst %d, 1 forwarding lcore (cpu 1; pair rows: generator cpu 0, receiver cpu 1); "
        "load average before: %s" % (PROG, BURST, loadavg)]
    say("\n".join(head))
    results_txt = "\n".join(head) + "\n"
    with open(o.out + "/results.txt", "w") as fh:
        fh.write(results_txt)
    # A configuration that needs what is missing is skipped once, not per run.
    if ("vpair-2p" in configs or "vpair-2p-large" in configs) and "--no-huge" in eal_mem_args() \
            and "vpair-2c" not in configs:
        configs.append("vpair-2c")
        say("%s: no hugepages: vpair-2c (one process) added for vpair-2p" % PROG)
    for i in range(1, o.runs + 1):
        for n in configs:
            bench.run_one(n, i)
            r = bench.results[-1]
            if r["status"] == "ok":
                say("run %d %-15s %8.3f Mpps %8.2f cyc/pkt  (%d samples; fwd cpu %d%%, others "
                    "%d%%, steal %d%%)" % (i, n, float(r["mpps"]), float(r["cyc"]), r["samples"],
                                           r["share"], r["other"], r["steal"]))
            else:
                say("run %d %-15s %s: %s" % (i, n, r["status"], " ".join(r["reason"].split())))
    with open("/proc/loadavg") as f:
        results_txt += "load average after: %s\n" % " ".join(f.read().split()[:3])
    bench.cmdlog = None
    # The commands, as run (the first run of each configuration; "[A]" the generator or only
    # process, "[B]" the receiver; file prefixes, paths and the veth names vary per invocation).
    with open(o.out + "/commands.txt", "w") as fh:
        fh.write("# testpmd-bench.py: the commands of the first run of each configuration, as "
                 "run. [A] is the\n# only (or the generating) testpmd, [B] the receiving one; "
                 "\"testpmd>\" lines are written to\n# its stdin (a pipe). File prefixes, the "
                 "plugin's private copy and the veth names change\n# with every invocation.\n\n")
        for n in configs:
            if n in bench.cmdlogs:
                fh.write("## %s\n%s\n\n" % (n, "\n".join(bench.cmdlogs[n])))

    # The report, and its raw material: configs.txt (one line per configuration) and runs.txt
    # (one line per run).
    meta = []
    for n in configs:
        c = dict(table[n])
        if c["kind"] != "single":
            c["mode"] = "tx>rx"
        meta.append(c)
    info = dict(date=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                host=os.uname().nodename, cpu=cpu_model(), kernel=os.uname().release,
                testpmd=testpmd_ver or "unknown")
    say("")
    text = report(meta, bench.results, o, info, o.out)
    sys.stdout.write(text)
    sys.stdout.flush()
    with open(o.out + "/results.txt", "w") as fh:
        fh.write(results_txt + text)
    with open(o.out + "/configs.txt", "w") as fh:
        for c in meta:
            fh.write("|".join(str(c[k]) for k in ("name", "pmdname", "mode", "size", "parse",
                                                  "promisc", "filter", "ref", "core", "kind",
                                                  "desc")) + "\n")
    with open(o.out + "/runs.txt", "w") as fh:
        fh.write("".join(run_line(r) + "\n" for r in bench.results))
    # Failed runs of net_ring/net_vpair rows (a skipped vpair-2p is not one: it says why).
    nfail = sum(1 for r in bench.results
                if r["status"] in ("failed", "badcheck") and table[r["name"]]["core"] == 1)

    if o.plot:
        with open("/proc/cpuinfo") as f:
            vm = " (VM)" if re.search(r"\bhypervisor\b", f.read()) else ""
        subtitle = "%s%s, %d CPUs, kernel %s, %d x %d s, %s, source %s" % (
            cpu_model().replace("'", ""), vm, NCPU, os.uname().release, o.runs, o.secs,
            datetime.now(timezone.utc).strftime("%Y-%m-%d"), rev or "?")
        plot(o, bench, subtitle)
    say("results: %s/results.txt %s/results.csv %s/results.json" % (o.out, o.out, o.out))
    if nfail:
        say("%s: FAILED: %d run(s) of net_ring/net_vpair rows failed or did not measure what "
            "they say" % (PROG, nfail))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
