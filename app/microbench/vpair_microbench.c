/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * vpair-microbench: the cost of the net_vpair fast path alone, in TSC cycles per packet.
 *
 * One core, one process, no testpmd. Each iteration transmits a burst of N pre-built frames
 * on port A, tx queue q, and receives them on port B, rx queue q; q goes round robin over
 * the queues. The same mbufs come back every time, so mbuf allocation and freeing are not
 * measured, and the frames stay hot in cache: this is the driver's own cost, not the memory
 * system's.
 *
 * Frame sets (key frames=):
 *   udp  every frame 64 bytes of Ethernet/IPv4/UDP addressed to the receiving port's MAC
 *        (the default, and the only set of the rows before the key existed).
 *   mix  frame j of the run of frames (queue q, place i: j = q * burst + i) is kind j % 8:
 *        IPv4 TCP, IPv4 UDP, IPv6 TCP, IPv6 UDP, 802.1Q-tagged IPv4 UDP, broadcast ARP
 *        request, IPv4 UDP to a multicast group the receiving vpair port has joined
 *        (rte_eth_dev_set_mc_addr_list), IPv4 ICMP echo request; 64 bytes each, but 66 for
 *        IPv6 UDP and 78 for IPv6 TCP. At burst 8 and above every burst holds all 8 kinds.
 *        All pass the receiver's filter.
 *
 * Rows (key config=):
 *   vpair     rte_eth_tx_burst(A) + rte_eth_rx_burst(B) with B's packet type parsing on or
 *             off (rte_eth_dev_set_ptypes) and its address filter on (promiscuous off, the
 *             frames are for B's MAC, broadcast or its joined group, so all pass and are
 *             classified) or off (promiscuous and allmulticast on). parse off + filter off is
 *             the plain path (lengths only).
 *   net_ring  the same loop over DPDK's net_ring PMD (rte_eth_from_rings, one port looped
 *             onto itself): ethdev dispatch plus a bare ring, the driver vpair is measured
 *             against in the testpmd bench. Only when librte_net_ring was found at build time.
 *   user      what an application on net_ring does instead of vpair's parsing: the net_ring
 *             loop, the frames addressed to the net_ring port's MAC, and after each rx burst
 *             user_classify() (not inlined, so a profile shows it apart) takes every frame's
 *             class from its destination MAC against the port's (host, broadcast, multicast,
 *             otherhost: rte_is_same_ether_addr and friends) and its packet_type from
 *             rte_net_get_ptype(m, NULL, RTE_PTYPE_ALL_MASK), and stores both where vpair
 *             does (packet_type, the pkt_type dynfield). It drops nothing and looks up no
 *             multicast list: less than vpair's filter does. Compare it with vpair parse=on
 *             filter=on. Only with net_ring.
 *   ring      the same loop over rte_ring_sp_enqueue_burst + rte_ring_sc_dequeue_burst on
 *             the same rings, inlined: the floor.
 *
 * Timing: rte_rdtsc_precise() around `iterations` iterations (one repetition), after a
 * warm-up; cycles/packet = elapsed TSC / (iterations * burst). Per row: median, min and max
 * over the repetitions. Repetitions are interleaved over the rows of a queue count, so a
 * disturbance spreads over rows instead of spoiling one. TSC cycles are not core cycles when
 * the core clock differs from the TSC rate (turbo, VM).
 *
 * Correctness is checked while measuring, so a broken fast path cannot give a nice number:
 * every burst must be sent and received whole, as the same mbufs in the same order (checked
 * in the timed loop), the ports' counters must match (packets, and bytes for vpair), each
 * frame's packet type and class must be written exactly when parsing is on (vpair) or by the
 * application (user) with the values expected for its kind, the mbuf port set by the vpair
 * fast path (by its tx), and the filter must drop a frame for a foreign MAC exactly when it
 * is on. The expected packet types are hard-coded per kind; rte_net_get_ptype() must agree
 * with them when the frames are built, except where the vpair parser differs on purpose
 * (lib/vpair_l2.h): untagged ARP is L2_ETHER_ARP for vpair, L2_ETHER for DPDK; ICMP is
 * L4_ICMP for vpair, no L4 for DPDK. Any failure aborts with exit status 1.
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_ptype.h>
#include <rte_icmp.h>
#include <rte_net.h>
#include <rte_ring.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#ifdef MB_HAVE_NET_RING
#include <rte_eth_ring.h>
#endif

#include <rte_pmd_vpair.h>

#include "bench_eal.h"

#define MB_MAX_BURST	512
#define MB_MAX_QUEUES	64
#define MB_MAX_LIST	16
#define MB_FRAME_LEN	64
#define MB_PAIR_NAME	"net_vpair_mb"
#define MB_NET_RING	"net_ring_mb"
#define MB_PTYPE_SENTINEL	0x0badc0deu	/* no valid packet type */
#define MB_PORT_SENTINEL	0xfffeu
#define MB_PKT_L2L3L4	(RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)

enum mb_kind { MB_RING, MB_NETRING, MB_VPAIR, MB_USER, MB_NB_KINDS };
static const char *const mb_kind_name[] = { "ring", "net_ring", "vpair", "user" };

/* Frame sets; MB_FRAMES_ALL only in --only. */
enum mb_frames { MB_FRAMES_UDP, MB_FRAMES_MIX, MB_NB_FRAMES, MB_FRAMES_ALL = MB_NB_FRAMES };
static const char *const mb_frames_name[] = { "udp", "mix", "all" };

/* The kinds of frame of the mix, in the order they come in a burst. */
enum mb_fkind {
	MB_F_IPV4_TCP, MB_F_IPV4_UDP, MB_F_IPV6_TCP, MB_F_IPV6_UDP, MB_F_VLAN_UDP,
	MB_F_ARP_BCAST, MB_F_MCAST_UDP, MB_F_IPV4_ICMP, MB_NB_FKINDS
};

static const struct mb_fkind_info {
	const char *name;
	uint16_t len;		/* frame length */
	uint32_t ptype_vpair;	/* what the vpair parser reports */
	uint32_t ptype_dpdk;	/* what rte_net_get_ptype() reports */
	uint8_t cls;		/* enum rte_pmd_vpair_pkt_type at the receiver */
} mb_fkind[MB_NB_FKINDS] = {
#define MB_ETH_IP4(l4)	(RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | (l4))
#define MB_ETH_IP6(l4)	(RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | (l4))
	[MB_F_IPV4_TCP] = { "ipv4-tcp", 64, MB_ETH_IP4(RTE_PTYPE_L4_TCP),
		MB_ETH_IP4(RTE_PTYPE_L4_TCP), RTE_PMD_VPAIR_PKT_HOST },
	[MB_F_IPV4_UDP] = { "ipv4-udp", MB_FRAME_LEN, MB_ETH_IP4(RTE_PTYPE_L4_UDP),
		MB_ETH_IP4(RTE_PTYPE_L4_UDP), RTE_PMD_VPAIR_PKT_HOST },
	[MB_F_IPV6_TCP] = { "ipv6-tcp", 78, MB_ETH_IP6(RTE_PTYPE_L4_TCP),
		MB_ETH_IP6(RTE_PTYPE_L4_TCP), RTE_PMD_VPAIR_PKT_HOST },
	[MB_F_IPV6_UDP] = { "ipv6-udp", 66, MB_ETH_IP6(RTE_PTYPE_L4_UDP),
		MB_ETH_IP6(RTE_PTYPE_L4_UDP), RTE_PMD_VPAIR_PKT_HOST },
	[MB_F_VLAN_UDP] = { "vlan-ipv4-udp", 64,
		RTE_PTYPE_L2_ETHER_VLAN | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP,
		RTE_PTYPE_L2_ETHER_VLAN | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP,
		RTE_PMD_VPAIR_PKT_HOST },
	/* Documented difference: DPDK calls untagged ARP plain L2_ETHER. */
	[MB_F_ARP_BCAST] = { "arp-broadcast", 64, RTE_PTYPE_L2_ETHER_ARP, RTE_PTYPE_L2_ETHER,
		RTE_PMD_VPAIR_PKT_BROADCAST },
	[MB_F_MCAST_UDP] = { "ipv4-udp-multicast", 64, MB_ETH_IP4(RTE_PTYPE_L4_UDP),
		MB_ETH_IP4(RTE_PTYPE_L4_UDP), RTE_PMD_VPAIR_PKT_MULTICAST },
	/* Documented difference: DPDK reports no L4 for ICMP. */
	[MB_F_IPV4_ICMP] = { "ipv4-icmp-echo", 64, MB_ETH_IP4(RTE_PTYPE_L4_ICMP),
		MB_ETH_IP4(0), RTE_PMD_VPAIR_PKT_HOST },
#undef MB_ETH_IP4
#undef MB_ETH_IP6
};

/* The group the receiving vpair port joins, and the mix's multicast frames go to. */
static const struct rte_ether_addr mb_mcast_mac = {{ 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 }};
#define MB_MCAST_IP	RTE_IPV4(239, 1, 2, 3)

struct mb_row {
	enum mb_kind kind;
	enum mb_frames frames;
	uint16_t burst;
	uint16_t queues;
	int8_t parse;		/* -1: not applicable */
	int8_t filter;
	uint64_t iterations;
	unsigned int nb_samples;
	double *samples;	/* cycles per packet, one per repetition */
	double med, min, max;
};

/* --only: -1 = any; for frames, -1 = udp (both sets with --quick), MB_FRAMES_ALL = both. */
struct mb_only {
	int kind, parse, filter, burst, queues, frames;
};

static struct {
	uint64_t iterations;	/* 0: from packets */
	uint64_t packets;	/* per repetition, when iterations is 0 */
	unsigned int reps;
	uint16_t bursts[MB_MAX_LIST];
	unsigned int nb_bursts;
	uint16_t queues[MB_MAX_LIST];
	unsigned int nb_queues;
	uint16_t desc;
	struct mb_only only;
	const char *csv;
	const char *json;
	bool quick;
} opt = {
	.packets = 1u << 21,
	.reps = 7,
	.bursts = { 1, 4, 8, 16, 32, 64 },
	.nb_bursts = 6,
	.queues = { 1, 4 },
	.nb_queues = 2,
	.desc = 1024,
	.only = { -1, -1, -1, -1, -1, -1 },
};

/* Calls into the vpair fast path over the whole run, warm-ups and checks included: the
 * denominators for a profile (callgrind) of the run. */
static struct {
	uint64_t tx_calls, tx_pkts, rx_calls, rx_pkts;
} mb_vpair_calls;

/* The same for the user rows (calls of each of net_ring's tx and rx bursts and of
 * user_classify(), and the packets each of them handled) and for the net_ring rows. */
static struct {
	uint64_t calls, pkts;
} mb_user_calls, mb_net_ring_calls;

static volatile sig_atomic_t mb_stop;

static struct mb_row *mb_rows;
static unsigned int mb_nb_rows;

/* The state of one queue-count phase. */
struct mb_phase {
	uint16_t queues;
	uint16_t port_a, port_b;
	int dynfield;
	struct rte_ether_addr mac_a, mac_b;
	struct rte_ether_addr mac_ring;	/* of the net_ring port: the user rows' host */
	struct rte_mbuf *frames[MB_MAX_QUEUES][MB_MAX_BURST];
	uint16_t max_burst;
};

static struct rte_mempool *mb_pool;
static struct rte_ring *mb_rings[MB_MAX_QUEUES];
static uint16_t mb_ring_port = RTE_MAX_ETHPORTS;
static bool mb_pair_exists;

static void
mb_signal(int sig)
{
	mb_stop = sig;
}

static void
usage(const char *prog, FILE *f)
{
	fprintf(f,
"usage: %s [options] [-- EAL args]\n"
"Cost of the net_vpair fast path in TSC cycles per packet, one core, hot cache.\n"
"  --iterations N   tx+rx bursts per repetition and row (default: as --packets)\n"
"  --packets N      packets per repetition and row, iterations = N / burst (default %" PRIu64 ")\n"
"  --reps N         repetitions per row; median, min, max reported (default %u)\n"
"  --bursts LIST    burst sizes, e.g. 1,32 (default 1,4,8,16,32,64; at most %u)\n"
"  --queues LIST    queue counts: tx queues on A = rx queues on B (default 1,4)\n"
"  --desc N         ring size (nb_desc) of every queue (default %u)\n"
"  --only SPEC      run only matching rows: comma-separated key=value with keys\n"
"                   config=ring|net_ring|vpair|user, parse=on|off, filter=on|off,\n"
"                   burst=N, queues=N, frames=udp|mix|all (parse/filter select vpair\n"
"                   rows only; without frames=, only udp rows run, both with --quick)\n"
"                   e.g. --only parse=on,filter=on,burst=32,queues=1,frames=mix\n"
"  --csv FILE       also write the results as CSV\n"
"  --json FILE      also write the results as JSON\n"
"  --quick          a few thousand packets, 2 repetitions: a smoke test (seconds);\n"
"                   without frames= in --only, both frame sets\n"
"Frame sets: udp = 64 B IPv4/UDP to the receiver's MAC; mix = per burst, in turn, IPv4\n"
"TCP, IPv4 UDP, IPv6 TCP, IPv6 UDP, 802.1Q IPv4 UDP, broadcast ARP, IPv4 UDP to a joined\n"
"multicast group, IPv4 ICMP echo (64 B; IPv6 UDP 66, IPv6 TCP 78), all passing the filter.\n"
"Configs: ring = bare rte_ring; net_ring = DPDK's ring PMD; vpair = net_vpair A -> B;\n"
"user = net_ring plus the application classifying each frame by destination MAC and\n"
"rte_net_get_ptype() (compare with vpair parse=on filter=on).\n"
"EAL defaults: -l 0 --no-pci -m 512 --no-shconf --no-telemetry --file-prefix vpair_mb_<pid>\n"
"--log-level notice, and --huge-dir DIR --huge-unlink when hugetlbfs is mounted on DIR\n"
"($VPAIR_HUGE_DIR, default /dev/hugepages) with 512 MiB of hugepages free, else --no-huge:\n"
"then every mbuf starts at the same offset of a 4 KiB page of its own, a burst's mbufs\n"
"evict one another from one L1 cache set, and that, which a deployment on hugepages does\n"
"not pay, dominates the cycles of the rows that touch mbufs.\n"
"EAL args after -- are appended; -l/-c/--lcores replace -l 0, -m/--socket-mem replace\n"
"-m 512, --no-huge/--huge-dir/--huge-unlink/--socket-mem replace the memory choice.\n"
"Exit status: 0 ok, 1 a check failed or set-up error, 2 usage.\n",
		prog, opt.packets, opt.reps, MB_MAX_BURST, opt.desc);
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

static int
parse_list(const char *s, uint16_t *out, unsigned int *n, uint64_t max)
{
	char buf[256], *tok, *save = NULL;
	uint64_t v;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (*n == MB_MAX_LIST || parse_u64(tok, 1, max, &v) != 0)
			return -1;
		out[(*n)++] = (uint16_t)v;
	}
	return *n > 0 ? 0 : -1;
}

static int
parse_onoff(const char *v)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0)
		return 0;
	return -1;
}

static int
parse_only(const char *s, struct mb_only *o)
{
	char buf[256], *tok, *save = NULL;
	uint64_t v;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '=');
		int k;

		if (val == NULL)
			return -1;
		*val++ = '\0';
		if (strcmp(tok, "config") == 0) {
			for (k = 0; k < MB_NB_KINDS; k++)
				if (strcmp(val, mb_kind_name[k]) == 0)
					break;
			if (k == MB_NB_KINDS)
				return -1;
			o->kind = k;
		} else if (strcmp(tok, "parse") == 0) {
			if ((o->parse = parse_onoff(val)) < 0)
				return -1;
		} else if (strcmp(tok, "filter") == 0) {
			if ((o->filter = parse_onoff(val)) < 0)
				return -1;
		} else if (strcmp(tok, "burst") == 0) {
			if (parse_u64(val, 1, MB_MAX_BURST, &v) != 0)
				return -1;
			o->burst = (int)v;
		} else if (strcmp(tok, "queues") == 0) {
			if (parse_u64(val, 1, MB_MAX_QUEUES, &v) != 0)
				return -1;
			o->queues = (int)v;
		} else if (strcmp(tok, "frames") == 0) {
			for (k = 0; k <= MB_FRAMES_ALL; k++)
				if (strcmp(val, mb_frames_name[k]) == 0)
					break;
			if (k > MB_FRAMES_ALL)
				return -1;
			o->frames = k;
		} else {
			return -1;
		}
	}
	return 0;
}

static bool
only_match(const struct mb_row *r)
{
	const struct mb_only *o = &opt.only;

	if (o->kind >= 0 && (int)r->kind != o->kind)
		return false;
	if (o->parse >= 0 && r->parse != o->parse)
		return false;
	if (o->filter >= 0 && r->filter != o->filter)
		return false;
	if (o->burst >= 0 && r->burst != o->burst)
		return false;
	if (o->queues >= 0 && r->queues != o->queues)
		return false;
	if (o->frames < 0)
		return opt.quick || r->frames == MB_FRAMES_UDP;
	return o->frames == MB_FRAMES_ALL || (int)r->frames == o->frames;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
row_stats(struct mb_row *r)
{
	double s[r->nb_samples ? r->nb_samples : 1];
	unsigned int n = r->nb_samples;

	if (n == 0) {
		r->med = r->min = r->max = 0;
		return;
	}
	memcpy(s, r->samples, n * sizeof(s[0]));
	qsort(s, n, sizeof(s[0]), cmp_double);
	r->min = s[0];
	r->max = s[n - 1];
	r->med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* The ring row with the same burst and queues, if it ran. */
static const struct mb_row *
ring_ref(const struct mb_row *r)
{
	unsigned int i;

	for (i = 0; i < mb_nb_rows; i++)
		if (mb_rows[i].kind == MB_RING && mb_rows[i].burst == r->burst &&
				mb_rows[i].queues == r->queues && mb_rows[i].frames == r->frames &&
				mb_rows[i].nb_samples > 0)
			return &mb_rows[i];
	return NULL;
}

static const char *
onoff(int v)
{
	return v < 0 ? "-" : v ? "on" : "off";
}

/* A row as failure messages name it. */
static const char *
row_name(const struct mb_row *r)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s frames %s burst %u queues %u parse %s filter %s",
		mb_kind_name[r->kind], mb_frames_name[r->frames], r->burst, r->queues,
		onoff(r->parse), onoff(r->filter));
	return buf;
}

/*
 * The timed loops. Not inlined, so that a profile shows them apart; the checks in them are
 * a predictable branch per burst and an xor/or per packet, the same in every row.
 */
struct mb_loop {
	uint16_t tx_port, rx_port;
	uint16_t queues;
	uint16_t burst;
	struct rte_mbuf *(*frames)[MB_MAX_BURST];
	struct rte_ether_addr host;	/* user rows: the receiving port's MAC */
	int dynfield;			/* user rows: where the class goes */
	/* Results. */
	uint64_t cycles;
	uint64_t done;		/* iterations completed */
	uint16_t bad_queue, bad_tx, bad_rx;
	uintptr_t bad_ptr;	/* non-zero: some mbuf came back as another */
};

/*
 * What an application receiving from a port without packet type parsing does to know what
 * it got, in the plainest DPDK idiom: the class of each frame from its destination MAC
 * against the port's own, its packet type from rte_net_get_ptype(). Both are stored where
 * net_vpair stores them, so that the same checks apply. Not inlined: callgrind shows its
 * inclusive cost apart from the ring PMD's bursts.
 */
static __rte_noinline void
user_classify(struct rte_mbuf **pkts, uint16_t n, const struct rte_ether_addr *host,
	int dynfield)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		uint8_t cls;

		if (rte_is_same_ether_addr(&eth->dst_addr, host))
			cls = RTE_PMD_VPAIR_PKT_HOST;
		else if (rte_is_broadcast_ether_addr(&eth->dst_addr))
			cls = RTE_PMD_VPAIR_PKT_BROADCAST;
		else if (rte_is_multicast_ether_addr(&eth->dst_addr))
			cls = RTE_PMD_VPAIR_PKT_MULTICAST;
		else
			cls = RTE_PMD_VPAIR_PKT_OTHERHOST;
		m->packet_type = rte_net_get_ptype(m, NULL, RTE_PTYPE_ALL_MASK);
		*RTE_MBUF_DYNFIELD(m, dynfield, uint8_t *) = cls;
	}
}

/*
 * The timed loop: a tx burst and an rx burst per iteration, round robin over the queues;
 * with `user`, user_classify() on what each rx burst returned (the user rows).
 */
static __rte_always_inline int
loop_bursts(struct mb_loop *l, uint64_t iterations, const bool user)
{
	struct rte_mbuf *rx[MB_MAX_BURST];
	const uint16_t n = l->burst, nq = l->queues;
	const uint16_t tx_port = l->tx_port, rx_port = l->rx_port;
	const struct rte_ether_addr host = l->host;
	const int dynfield = l->dynfield;
	uintptr_t bad = 0;
	uint64_t it, t0, t1;
	uint16_t q = 0, i;
	int ret = 0;

	t0 = rte_rdtsc_precise();
	for (it = 0; it < iterations; it++) {
		struct rte_mbuf **tx = l->frames[q];
		uint16_t nb_tx = rte_eth_tx_burst(tx_port, q, tx, n);
		uint16_t nb_rx = rte_eth_rx_burst(rx_port, q, rx, n);

		if (user)
			user_classify(rx, nb_rx, &host, dynfield);
		if (unlikely((nb_tx ^ n) | (nb_rx ^ n))) {
			l->bad_queue = q;
			l->bad_tx = nb_tx;
			l->bad_rx = nb_rx;
			ret = -1;
			break;
		}
		for (i = 0; i < n; i++)
			bad |= (uintptr_t)rx[i] ^ (uintptr_t)tx[i];
		if (++q == nq)
			q = 0;
	}
	t1 = rte_rdtsc_precise();
	l->cycles = t1 - t0;
	l->done = it;
	l->bad_ptr = bad;
	return ret == 0 && bad == 0 ? 0 : -1;
}

static __rte_noinline int
loop_ethdev(struct mb_loop *l, uint64_t iterations)
{
	return loop_bursts(l, iterations, false);
}

static __rte_noinline int
loop_user(struct mb_loop *l, uint64_t iterations)
{
	return loop_bursts(l, iterations, true);
}

static __rte_noinline int
loop_ring(struct mb_loop *l, uint64_t iterations)
{
	struct rte_mbuf *rx[MB_MAX_BURST];
	const uint16_t n = l->burst, nq = l->queues;
	uintptr_t bad = 0;
	uint64_t it, t0, t1;
	uint16_t q = 0, i;
	int ret = 0;

	t0 = rte_rdtsc_precise();
	for (it = 0; it < iterations; it++) {
		struct rte_mbuf **tx = l->frames[q];
		struct rte_ring *r = mb_rings[q];
		uint16_t nb_tx = (uint16_t)rte_ring_sp_enqueue_burst(r, (void **)tx, n, NULL);
		uint16_t nb_rx = (uint16_t)rte_ring_sc_dequeue_burst(r, (void **)rx, n, NULL);

		if (unlikely((nb_tx ^ n) | (nb_rx ^ n))) {
			l->bad_queue = q;
			l->bad_tx = nb_tx;
			l->bad_rx = nb_rx;
			ret = -1;
			break;
		}
		for (i = 0; i < n; i++)
			bad |= (uintptr_t)rx[i] ^ (uintptr_t)tx[i];
		if (++q == nq)
			q = 0;
	}
	t1 = rte_rdtsc_precise();
	l->cycles = t1 - t0;
	l->done = it;
	l->bad_ptr = bad;
	return ret == 0 && bad == 0 ? 0 : -1;
}

static int
mb_run_loop(const struct mb_row *r, struct mb_loop *l, uint64_t iterations)
{
	int ret;

	l->done = 0;
	if (r->kind == MB_RING)
		return loop_ring(l, iterations);
	if (r->kind == MB_USER) {
		ret = loop_user(l, iterations);
		mb_user_calls.calls += l->done;
		mb_user_calls.pkts += l->done * l->burst;
		return ret;
	}
	ret = loop_ethdev(l, iterations);
	if (r->kind == MB_NETRING) {
		mb_net_ring_calls.calls += l->done;
		mb_net_ring_calls.pkts += l->done * l->burst;
	}
	if (r->kind == MB_VPAIR) {
		mb_vpair_calls.tx_calls += l->done;
		mb_vpair_calls.tx_pkts += l->done * l->burst;
		mb_vpair_calls.rx_calls += l->done;
		mb_vpair_calls.rx_pkts += l->done * l->burst;
	}
	return ret;
}

static void
loop_report(const struct mb_row *r, const struct mb_loop *l, const char *what)
{
	if (l->bad_ptr != 0)
		fprintf(stderr, "vpair-microbench: FAILED (%s, %s): a received mbuf is not the one sent at its place\n",
			what, row_name(r));
	else
		fprintf(stderr, "vpair-microbench: FAILED (%s, %s): iteration %" PRIu64 " queue %u sent %u received %u of %u\n",
			what, row_name(r), l->done, l->bad_queue, l->bad_tx, l->bad_rx, r->burst);
}

/* IPv4 header at ip, protocol proto, to dst, carrying len bytes (header included). */
static void
put_ipv4(struct rte_ipv4_hdr *ip, uint8_t proto, uint32_t dst, uint16_t len, uint32_t seq)
{
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len);
	ip->packet_id = rte_cpu_to_be_16((uint16_t)seq);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

static void
put_ipv6(struct rte_ipv6_hdr *ip6, uint8_t proto, uint16_t payload_len, uint32_t seq)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28 | (seq & 0xfffff));
	ip6->payload_len = rte_cpu_to_be_16(payload_len);
	ip6->proto = proto;
	ip6->hop_limits = 64;
	memcpy(ip6->src_addr, src, sizeof(src));
	memcpy(ip6->dst_addr, dst, sizeof(dst));
}

static void
put_udp(struct rte_udp_hdr *udp, uint16_t len, uint32_t seq)
{
	udp->src_port = rte_cpu_to_be_16(1024 + (seq & 0xfff));
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16(len);
}

static void
put_tcp(struct rte_tcp_hdr *tcp, uint32_t seq)
{
	tcp->src_port = rte_cpu_to_be_16(1024 + (seq & 0xfff));
	tcp->dst_port = rte_cpu_to_be_16(9);
	tcp->sent_seq = rte_cpu_to_be_32(seq);
	tcp->recv_ack = rte_cpu_to_be_32(1);
	tcp->data_off = 5 << 4;
	tcp->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	tcp->rx_win = rte_cpu_to_be_16(65535);
}

/*
 * Rewrite m as a frame of kind k from src, to host (unicast kinds; broadcast and the joined
 * group for theirs), with seq in the last 4 bytes of the payload, and check that
 * rte_net_get_ptype() sees in it what mb_fkind[] says it does. 0 or -1.
 */
static int
frame_fill(struct rte_mbuf *m, enum mb_fkind k, const struct rte_ether_addr *host,
	const struct rte_ether_addr *src, uint32_t seq)
{
	const uint16_t len = mb_fkind[k].len;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_ipv6_hdr *ip6;
	uint8_t *data, *l4;
	uint16_t l3 = sizeof(*eth);
	uint32_t ptype;

	rte_pktmbuf_reset(m);
	data = (uint8_t *)rte_pktmbuf_append(m, len);
	if (data == NULL)
		return -1;
	memset(data, 0, len);
	eth = (struct rte_ether_hdr *)data;
	eth->dst_addr = *host;
	eth->src_addr = *src;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memcpy(data + len - sizeof(seq), &seq, sizeof(seq));

	switch (k) {
	case MB_F_ARP_BCAST: {
		struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);

		memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
		arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
		arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		arp->arp_hlen = RTE_ETHER_ADDR_LEN;
		arp->arp_plen = 4;
		arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
		arp->arp_data.arp_sha = *src;
		arp->arp_data.arp_sip = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1));
		arp->arp_data.arp_tip = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 2));
		break;
	}
	case MB_F_VLAN_UDP: {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(100);
		vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		l3 += sizeof(*vh);
	}
		/* fall through */
	case MB_F_IPV4_UDP:
	case MB_F_MCAST_UDP:
		ip = (struct rte_ipv4_hdr *)(data + l3);
		if (k == MB_F_MCAST_UDP)
			eth->dst_addr = mb_mcast_mac;
		put_ipv4(ip, IPPROTO_UDP,
			k == MB_F_MCAST_UDP ? MB_MCAST_IP : RTE_IPV4(198, 18, 0, 2),
			len - l3, seq);
		put_udp((struct rte_udp_hdr *)(ip + 1), len - l3 - sizeof(*ip), seq);
		break;
	case MB_F_IPV4_TCP:
		ip = (struct rte_ipv4_hdr *)(data + l3);
		put_ipv4(ip, IPPROTO_TCP, RTE_IPV4(198, 18, 0, 2), len - l3, seq);
		put_tcp((struct rte_tcp_hdr *)(ip + 1), seq);
		((struct rte_tcp_hdr *)(ip + 1))->cksum = rte_ipv4_udptcp_cksum(ip, ip + 1);
		break;
	case MB_F_IPV4_ICMP: {
		struct rte_icmp_hdr *icmp;

		ip = (struct rte_ipv4_hdr *)(data + l3);
		put_ipv4(ip, IPPROTO_ICMP, RTE_IPV4(198, 18, 0, 2), len - l3, seq);
		icmp = (struct rte_icmp_hdr *)(ip + 1);
		icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
		icmp->icmp_ident = rte_cpu_to_be_16(0x4d42);
		icmp->icmp_seq_nb = rte_cpu_to_be_16((uint16_t)seq);
		icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, len - l3 - sizeof(*ip));
		break;
	}
	case MB_F_IPV6_TCP:
	case MB_F_IPV6_UDP:
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		ip6 = (struct rte_ipv6_hdr *)(data + l3);
		l4 = (uint8_t *)(ip6 + 1);
		put_ipv6(ip6, k == MB_F_IPV6_TCP ? IPPROTO_TCP : IPPROTO_UDP,
			len - l3 - sizeof(*ip6), seq);
		if (k == MB_F_IPV6_TCP) {
			put_tcp((struct rte_tcp_hdr *)l4, seq);
			((struct rte_tcp_hdr *)l4)->cksum = rte_ipv6_udptcp_cksum(ip6, l4);
		} else {
			put_udp((struct rte_udp_hdr *)l4, len - l3 - sizeof(*ip6), seq);
			((struct rte_udp_hdr *)l4)->dgram_cksum = rte_ipv6_udptcp_cksum(ip6, l4);
		}
		break;
	default:
		return -1;
	}

	ptype = rte_net_get_ptype(m, NULL, RTE_PTYPE_ALL_MASK);
	if (ptype != mb_fkind[k].ptype_dpdk) {
		fprintf(stderr, "vpair-microbench: frame kind %s: rte_net_get_ptype() says 0x%08x, expected 0x%08x\n",
			mb_fkind[k].name, ptype, mb_fkind[k].ptype_dpdk);
		return -1;
	}
	return 0;
}

/* A new 64-byte Ethernet/IPv4/UDP frame (the udp set's) to dst from src. */
static struct rte_mbuf *
build_frame(const struct rte_ether_addr *dst, const struct rte_ether_addr *src, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mb_pool);

	if (m != NULL && frame_fill(m, MB_F_IPV4_UDP, dst, src, seq) != 0) {
		rte_pktmbuf_free(m);
		m = NULL;
	}
	return m;
}

/* Kind of the frame at place i of queue q's burst in row r. */
static enum mb_fkind
frame_kind(const struct mb_row *r, uint16_t q, uint16_t i)
{
	if (r->frames == MB_FRAMES_UDP)
		return MB_F_IPV4_UDP;
	return (enum mb_fkind)(((uint32_t)q * r->burst + i) % MB_NB_FKINDS);
}

/* Bytes of the frames the row sends in iterations iterations (queues round robin). */
static uint64_t
row_bytes(const struct mb_row *r, uint64_t iterations)
{
	uint64_t per_q[MB_MAX_QUEUES] = { 0 }, all = 0, bytes;
	uint16_t q, i;

	for (q = 0; q < r->queues; q++) {
		for (i = 0; i < r->burst; i++)
			per_q[q] += mb_fkind[frame_kind(r, q, i)].len;
		all += per_q[q];
	}
	bytes = iterations / r->queues * all;
	for (q = 0; q < iterations % r->queues; q++)
		bytes += per_q[q];
	return bytes;
}

/* The frames of the phase as row r sends them: its set, to its receiver's MAC. */
static int
frames_fill(struct mb_phase *p, const struct mb_row *r)
{
	const struct rte_ether_addr *host = r->kind == MB_USER ? &p->mac_ring : &p->mac_b;
	uint16_t q, i;

	for (q = 0; q < r->queues; q++)
		for (i = 0; i < r->burst; i++)
			if (frame_fill(p->frames[q][i], frame_kind(r, q, i), host, &p->mac_a,
					(uint32_t)q << 16 | i) != 0) {
				fprintf(stderr, "vpair-microbench: cannot build the frames of %s\n",
					row_name(r));
				return -1;
			}
	return 0;
}

static int
port_setup(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq)
{
	struct rte_eth_conf conf = { 0 };
	uint16_t q;
	int ret;

	ret = rte_eth_dev_configure(port, nb_rxq, nb_txq, &conf);
	for (q = 0; q < nb_rxq && ret == 0; q++)
		ret = rte_eth_rx_queue_setup(port, q, opt.desc, rte_socket_id(), NULL, mb_pool);
	for (q = 0; q < nb_txq && ret == 0; q++)
		ret = rte_eth_tx_queue_setup(port, q, opt.desc, rte_socket_id(), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0)
		fprintf(stderr, "vpair-microbench: cannot set up port %u with %u/%u queues: %s\n",
			port, nb_rxq, nb_txq, rte_strerror(-ret));
	return ret;
}

/* B's receive policy as the row wants it; then check that the filter does what it says. */
static int
vpair_policy(struct mb_phase *p, const struct mb_row *r)
{
	static const struct rte_ether_addr foreign = {{ 0x02, 0x00, 0x5e, 0xba, 0xdb, 0xad }};
	struct rte_mbuf *m, *got = NULL;
	uint16_t b = p->port_b;
	uint16_t sent, nb_rx;
	int ret;

	ret = rte_eth_dev_set_ptypes(b, r->parse ? MB_PKT_L2L3L4 : RTE_PTYPE_UNKNOWN, NULL, 0);
	if (ret == 0)
		ret = r->filter ? rte_eth_promiscuous_disable(b) : rte_eth_promiscuous_enable(b);
	if (ret == 0)
		ret = r->filter ? rte_eth_allmulticast_disable(b) : rte_eth_allmulticast_enable(b);
	if (ret != 0) {
		fprintf(stderr, "vpair-microbench: cannot set the receive policy of port %u: %s\n",
			b, rte_strerror(-ret));
		return -1;
	}

	/* A frame for someone else: dropped by the filter exactly when it is on. */
	m = build_frame(&foreign, &p->mac_a, 0);
	if (m == NULL) {
		fprintf(stderr, "vpair-microbench: mbuf pool empty\n");
		return -1;
	}
	sent = rte_eth_tx_burst(p->port_a, 0, &m, 1);
	nb_rx = rte_eth_rx_burst(b, 0, &got, 1);
	mb_vpair_calls.tx_calls++;
	mb_vpair_calls.tx_pkts++;
	mb_vpair_calls.rx_calls++;
	mb_vpair_calls.rx_pkts += nb_rx;
	if (sent != 1) {
		rte_pktmbuf_free(m);
		fprintf(stderr, "vpair-microbench: FAILED: port %u refused a frame\n", p->port_a);
		return -1;
	}
	if (nb_rx == 1)
		rte_pktmbuf_free(got);
	if (nb_rx != (r->filter ? 0 : 1) || (nb_rx == 1 && got != m)) {
		fprintf(stderr, "vpair-microbench: FAILED: with the filter %s, a frame for a foreign MAC was %s\n",
			onoff(r->filter), nb_rx ? "received" : "dropped");
		return -1;
	}
	return 0;
}

static void
frames_mark(struct mb_phase *p, const struct mb_row *r)
{
	uint16_t q, i;

	for (q = 0; q < r->queues; q++)
		for (i = 0; i < r->burst; i++) {
			struct rte_mbuf *m = p->frames[q][i];

			m->packet_type = MB_PTYPE_SENTINEL;
			m->port = MB_PORT_SENTINEL;
			if (p->dynfield >= 0)
				*RTE_MBUF_DYNFIELD(m, p->dynfield, uint8_t *) = 0xff;
		}
}

/* After a repetition: what the rx side wrote into the mbufs, and nothing else. */
static int
frames_check(struct mb_phase *p, const struct mb_row *r)
{
	bool vpair = r->kind == MB_VPAIR;
	bool parsed = (vpair && r->parse) || r->kind == MB_USER;
	uint16_t want_port = vpair ? p->port_b : MB_PORT_SENTINEL;
	uint16_t q, i;

	for (q = 0; q < r->queues; q++)
		for (i = 0; i < r->burst; i++) {
			const struct rte_mbuf *m = p->frames[q][i];
			const struct mb_fkind_info *k = &mb_fkind[frame_kind(r, q, i)];
			uint32_t want_ptype = !parsed ? MB_PTYPE_SENTINEL :
				vpair ? k->ptype_vpair : k->ptype_dpdk;
			uint8_t want_cls = parsed ? k->cls : 0xff;
			uint8_t cls = p->dynfield >= 0 ?
				rte_pmd_vpair_pkt_type(m, p->dynfield) : 0xff;

			if (m->packet_type != want_ptype || m->port != want_port ||
					m->pkt_len != k->len || cls != want_cls) {
				fprintf(stderr, "vpair-microbench: FAILED (%s): queue %u frame %u (%s): packet_type 0x%08x (want 0x%08x), port %u (want %u), length %u (want %u), class %u (want %u)\n",
					row_name(r), q, i, k->name, m->packet_type, want_ptype,
					m->port, want_port, m->pkt_len, k->len, cls, want_cls);
				return -1;
			}
		}
	return 0;
}

static int
stats_of(uint16_t port, struct rte_eth_stats *s)
{
	int ret = rte_eth_stats_get(port, s);

	if (ret != 0)
		fprintf(stderr, "vpair-microbench: cannot read the counters of port %u: %s\n",
			port, rte_strerror(-ret));
	return ret;
}

static uint64_t
row_iterations(const struct mb_row *r)
{
	if (opt.iterations)
		return opt.iterations;
	return RTE_MAX((opt.packets + r->burst - 1) / r->burst, (uint64_t)1);
}

static int
run_row(struct mb_phase *p, struct mb_row *r)
{
	struct rte_eth_stats a0, b0, a1, b1;
	struct mb_loop l = {
		.queues = r->queues,
		.burst = r->burst,
		.frames = p->frames,
		.host = p->mac_ring,
		.dynfield = p->dynfield,
	};
	uint64_t iterations = row_iterations(r);
	uint64_t warmup = RTE_MAX(iterations / 8, (uint64_t)64);
	uint64_t pkts;
	bool ethdev = r->kind != MB_RING;

	if (frames_fill(p, r) != 0)
		return -1;
	if (r->kind == MB_VPAIR) {
		if (vpair_policy(p, r) != 0)
			return -1;
		l.tx_port = p->port_a;
		l.rx_port = p->port_b;
	} else {
		l.tx_port = l.rx_port = mb_ring_port;
	}

	if (mb_run_loop(r, &l, warmup) != 0) {
		loop_report(r, &l, "warm-up");
		return -1;
	}
	frames_mark(p, r);
	if (ethdev && (stats_of(l.tx_port, &a0) != 0 || stats_of(l.rx_port, &b0) != 0))
		return -1;

	if (mb_run_loop(r, &l, iterations) != 0) {
		loop_report(r, &l, "measuring");
		return -1;
	}

	pkts = iterations * r->burst;
	if (ethdev) {
		if (stats_of(l.tx_port, &a1) != 0 || stats_of(l.rx_port, &b1) != 0)
			return -1;
		/* net_ring counts no bytes. */
		if (a1.opackets - a0.opackets != pkts || b1.ipackets - b0.ipackets != pkts ||
				(r->kind == MB_VPAIR &&
				 b1.ibytes - b0.ibytes != row_bytes(r, iterations)) ||
				b1.imissed != b0.imissed || b1.ierrors != b0.ierrors ||
				a1.oerrors != a0.oerrors) {
			fprintf(stderr, "vpair-microbench: FAILED (%s): counters: sent %" PRIu64 " received %" PRIu64 " (%" PRIu64 " bytes), expected %" PRIu64 " (%" PRIu64 " bytes)\n",
				row_name(r), a1.opackets - a0.opackets,
				b1.ipackets - b0.ipackets, b1.ibytes - b0.ibytes, pkts,
				row_bytes(r, iterations));
			return -1;
		}
	}
	if (frames_check(p, r) != 0)
		return -1;

	r->iterations = iterations;
	r->samples[r->nb_samples++] = (double)l.cycles / (double)pkts;
	return 0;
}

static void
phase_free_frames(struct mb_phase *p)
{
	uint16_t q, i;

	for (q = 0; q < MB_MAX_QUEUES; q++)
		for (i = 0; i < MB_MAX_BURST; i++)
			if (p->frames[q][i] != NULL) {
				rte_pktmbuf_free(p->frames[q][i]);
				p->frames[q][i] = NULL;
			}
}

static int
phase_run(struct mb_phase *p)
{
	uint16_t nq = p->queues, q, i;
	unsigned int rep, k, nb = 0;
	char devargs[64];
	int ret;

	for (k = 0; k < mb_nb_rows; k++)
		if (mb_rows[k].queues == nq) {
			nb++;
			p->max_burst = RTE_MAX(p->max_burst, mb_rows[k].burst);
		}
	if (nb == 0)
		return 0;

	/* A fresh pair per queue count: a port's ring bound only grows (vpair.h), and a pair
	 * that had more tx queues would send a 1-queue receiver through the multi-ring path. */
	snprintf(devargs, sizeof(devargs), "max_queues=%u,max_desc=%u",
		RTE_MAX(nq, (uint16_t)1), RTE_MAX(opt.desc, (uint16_t)32));
	ret = rte_pmd_vpair_create(MB_PAIR_NAME, devargs, &p->port_a, &p->port_b);
	if (ret != 0) {
		fprintf(stderr, "vpair-microbench: rte_pmd_vpair_create(%s, %s): %s\n",
			MB_PAIR_NAME, devargs, rte_strerror(-ret));
		return -1;
	}
	mb_pair_exists = true;
	p->dynfield = rte_pmd_vpair_pkt_type_offset();
	if (p->dynfield < 0) {
		fprintf(stderr, "vpair-microbench: no pkt_type dynfield after probing\n");
		return -1;
	}
	if (port_setup(p->port_a, 1, nq) != 0 || port_setup(p->port_b, nq, 1) != 0)
		return -1;
	if (rte_eth_macaddr_get(p->port_a, &p->mac_a) != 0 ||
			rte_eth_macaddr_get(p->port_b, &p->mac_b) != 0)
		return -1;
	/* The mix's multicast frames pass B's filter because B joined their group. */
	ret = rte_eth_dev_set_mc_addr_list(p->port_b, (struct rte_ether_addr *)&mb_mcast_mac, 1);
	if (ret != 0) {
		fprintf(stderr, "vpair-microbench: cannot join a multicast group on port %u: %s\n",
			p->port_b, rte_strerror(-ret));
		return -1;
	}
#ifdef MB_HAVE_NET_RING
	if (mb_ring_port != RTE_MAX_ETHPORTS) {
		rte_eth_dev_stop(mb_ring_port);
		if (port_setup(mb_ring_port, nq, nq) != 0 ||
				rte_eth_macaddr_get(mb_ring_port, &p->mac_ring) != 0)
			return -1;
	}
#endif

	for (q = 0; q < nq; q++)
		for (i = 0; i < p->max_burst; i++) {
			p->frames[q][i] = build_frame(&p->mac_b, &p->mac_a,
				(uint32_t)q << 16 | i);
			if (p->frames[q][i] == NULL) {
				fprintf(stderr, "vpair-microbench: mbuf pool empty\n");
				return -1;
			}
		}

	for (rep = 0; rep < opt.reps && !mb_stop; rep++)
		for (k = 0; k < mb_nb_rows && !mb_stop; k++)
			if (mb_rows[k].queues == nq && run_row(p, &mb_rows[k]) != 0)
				return -1;

	/* Every frame is back in our hands (each burst was received whole). */
	phase_free_frames(p);
	ret = rte_pmd_vpair_destroy(MB_PAIR_NAME);
	mb_pair_exists = false;
	if (ret != 0) {
		fprintf(stderr, "vpair-microbench: rte_pmd_vpair_destroy: %s\n",
			rte_strerror(-ret));
		return -1;
	}
	return 0;
}

static int
make_rows(void)
{
	unsigned int qi, fi, bi, k;
	int kind, parse, filter;

	/* Per queue count, frame set and burst: one row per config, four for vpair. */
	mb_rows = calloc((size_t)opt.nb_queues * MB_NB_FRAMES * opt.nb_bursts * (MB_NB_KINDS + 3),
		sizeof(*mb_rows));
	if (mb_rows == NULL)
		return -1;
	for (qi = 0; qi < opt.nb_queues; qi++)
		for (fi = 0; fi < MB_NB_FRAMES; fi++)
			for (bi = 0; bi < opt.nb_bursts; bi++)
				for (kind = 0; kind < MB_NB_KINDS; kind++) {
#ifndef MB_HAVE_NET_RING
					if (kind == MB_NETRING || kind == MB_USER)
						continue;
#endif
					for (k = 0; k < (kind == MB_VPAIR ? 4u : 1u); k++) {
						struct mb_row *r = &mb_rows[mb_nb_rows];

						parse = kind == MB_VPAIR ? !(k & 2) : -1;
						filter = kind == MB_VPAIR ? !(k & 1) : -1;
						r->kind = kind;
						r->frames = fi;
						r->burst = opt.bursts[bi];
						r->queues = opt.queues[qi];
						r->parse = (int8_t)parse;
						r->filter = (int8_t)filter;
						if (!only_match(r))
							continue;
						r->samples = calloc(opt.reps, sizeof(double));
						if (r->samples == NULL)
							return -1;
						mb_nb_rows++;
					}
				}
	return 0;
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static double
mpps(double cpp, uint64_t hz)
{
	return cpp > 0 ? (double)hz / cpp / 1e6 : 0;
}

static void
print_results(uint64_t hz, const char *load_before, const char *load_after)
{
	unsigned int i;

	printf("\n%-9s %6s %5s %6s %5s %6s %5s %10s %8s %8s %10s %7s\n", "config", "frames",
		"burst", "queues", "parse", "filter", "reps", "cyc/pkt", "min", "max", "Mpps(med)",
		"x ring");
	for (i = 0; i < mb_nb_rows; i++) {
		const struct mb_row *r = &mb_rows[i];
		const struct mb_row *ref = ring_ref(r);
		char ratio[16] = "-";

		if (r->nb_samples == 0)
			continue;
		if (ref != NULL && ref->med > 0)
			snprintf(ratio, sizeof(ratio), "%.2f", r->med / ref->med);
		printf("%-9s %6s %5u %6u %5s %6s %5u %10.2f %8.2f %8.2f %10.2f %7s\n",
			mb_kind_name[r->kind], mb_frames_name[r->frames], r->burst, r->queues,
			onoff(r->parse),
			onoff(r->filter), r->nb_samples, r->med, r->min, r->max,
			mpps(r->med, hz), ratio);
	}
	printf("cycles are TSC cycles (%.3f GHz) per packet for tx burst + rx burst; Mpps = TSC rate / cycles\n",
		(double)hz / 1e9);
	printf("load average before: %s, after: %s\n", load_before, load_after);
	printf("vpair fast-path calls in this run (warm-ups and checks included): tx_burst %" PRIu64 " calls, %" PRIu64 " packets; rx_burst %" PRIu64 " calls, %" PRIu64 " packets\n",
		mb_vpair_calls.tx_calls, mb_vpair_calls.tx_pkts, mb_vpair_calls.rx_calls,
		mb_vpair_calls.rx_pkts);
	if (mb_user_calls.calls > 0)
		printf("user-row calls in this run (warm-ups included): net_ring tx_burst, rx_burst and user_classify %" PRIu64 " calls each, %" PRIu64 " packets each\n",
			mb_user_calls.calls, mb_user_calls.pkts);
	if (mb_net_ring_calls.calls > 0)
		printf("net_ring-row calls in this run (warm-ups included): tx_burst and rx_burst %" PRIu64 " calls each, %" PRIu64 " packets each\n",
			mb_net_ring_calls.calls, mb_net_ring_calls.pkts);
	fflush(stdout);
}

static int
write_csv(const char *path, uint64_t hz)
{
	FILE *f = fopen(path, "w");
	unsigned int i;

	if (f == NULL) {
		fprintf(stderr, "vpair-microbench: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "config,burst,queues,parse,filter,reps,iterations,cycles_per_pkt_median,"
		"cycles_per_pkt_min,cycles_per_pkt_max,mpps_median,x_ring,tsc_hz,frames\n");
	for (i = 0; i < mb_nb_rows; i++) {
		const struct mb_row *r = &mb_rows[i];
		const struct mb_row *ref = ring_ref(r);

		if (r->nb_samples == 0)
			continue;
		fprintf(f, "%s,%u,%u,%s,%s,%u,%" PRIu64 ",%.3f,%.3f,%.3f,%.3f,",
			mb_kind_name[r->kind], r->burst, r->queues, onoff(r->parse),
			onoff(r->filter), r->nb_samples, r->iterations, r->med, r->min, r->max,
			mpps(r->med, hz));
		if (ref != NULL && ref->med > 0)
			fprintf(f, "%.3f", r->med / ref->med);
		fprintf(f, ",%" PRIu64 ",%s\n", hz, mb_frames_name[r->frames]);
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int
write_json(const char *path, uint64_t hz, int eal_argc, char **eal_argv,
	const char *load_before, const char *load_after)
{
	FILE *f = fopen(path, "w");
	unsigned int i, j;
	int a;

	if (f == NULL) {
		fprintf(stderr, "vpair-microbench: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"tsc_hz\": %" PRIu64 ",\n  \"frame_len\": %u,\n  \"desc\": %u,\n",
		hz, MB_FRAME_LEN, opt.desc);
	fprintf(f, "  \"load_before\": ");
	json_str(f, load_before);
	fprintf(f, ",\n  \"load_after\": ");
	json_str(f, load_after);
	fprintf(f, ",\n  \"eal_args\": [");
	for (a = 1; a < eal_argc; a++) {
		if (a > 1)
			fputs(", ", f);
		json_str(f, eal_argv[a]);
	}
	fprintf(f, "],\n  \"mix\": [");
	for (a = 0; a < MB_NB_FKINDS; a++)
		fprintf(f, "%s{\"kind\": \"%s\", \"len\": %u}", a ? ", " : "", mb_fkind[a].name,
			mb_fkind[a].len);
	fprintf(f, "],\n  \"user_calls\": {\"calls\": %" PRIu64 ", \"pkts\": %" PRIu64 "}",
		mb_user_calls.calls, mb_user_calls.pkts);
	fprintf(f, ",\n  \"net_ring_calls\": {\"calls\": %" PRIu64 ", \"pkts\": %" PRIu64 "}",
		mb_net_ring_calls.calls, mb_net_ring_calls.pkts);
	fprintf(f, ",\n  \"vpair_calls\": {\"tx_calls\": %" PRIu64 ", \"tx_pkts\": %" PRIu64
		", \"rx_calls\": %" PRIu64 ", \"rx_pkts\": %" PRIu64 "},\n  \"rows\": [",
		mb_vpair_calls.tx_calls, mb_vpair_calls.tx_pkts, mb_vpair_calls.rx_calls,
		mb_vpair_calls.rx_pkts);
	for (i = 0, j = 0; i < mb_nb_rows; i++) {
		const struct mb_row *r = &mb_rows[i];
		const struct mb_row *ref = ring_ref(r);
		unsigned int s;

		if (r->nb_samples == 0)
			continue;
		fprintf(f, "%s\n    {\"config\": \"%s\", \"frames\": \"%s\", \"burst\": %u, "
			"\"queues\": %u, ", j++ ? "," : "", mb_kind_name[r->kind],
			mb_frames_name[r->frames], r->burst, r->queues);
		if (r->parse < 0)
			fprintf(f, "\"parse\": null, \"filter\": null, ");
		else
			fprintf(f, "\"parse\": %s, \"filter\": %s, ", r->parse ? "true" : "false",
				r->filter ? "true" : "false");
		fprintf(f, "\"reps\": %u, \"iterations\": %" PRIu64 ", "
			"\"cycles_per_pkt\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f, "
			"\"samples\": [", r->nb_samples, r->iterations, r->med, r->min, r->max);
		for (s = 0; s < r->nb_samples; s++)
			fprintf(f, "%s%.3f", s ? ", " : "", r->samples[s]);
		fprintf(f, "]}, \"mpps_median\": %.3f, \"x_ring\": ", mpps(r->med, hz));
		if (ref != NULL && ref->med > 0)
			fprintf(f, "%.3f}", r->med / ref->med);
		else
			fprintf(f, "null}");
	}
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) == 0 ? 0 : -1;
}

static void
loadavg(char *buf, size_t size)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double l1, l5, l15;

	if (f != NULL && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3)
		snprintf(buf, size, "%.2f %.2f %.2f", l1, l5, l15);
	else
		snprintf(buf, size, "unknown");
	if (f != NULL)
		fclose(f);
}

static bool
has_arg(int argc, char **argv, const char *const *prefixes)
{
	int i, k;

	for (i = 0; i < argc; i++)
		for (k = 0; prefixes[k] != NULL; k++)
			if (strncmp(argv[i], prefixes[k], strlen(prefixes[k])) == 0)
				return true;
	return false;
}

/* EAL memory (-m) unless given: on hugepages, as many of them must be free. */
#define MB_MEM_MB 512

/* Whether hugetlbfs of 2 MiB pages is mounted on dir with at least mb MiB of them free. */
static bool
hugepages_usable(const char *dir, unsigned int mb)
{
	char line[512], mnt[256], type[64];
	unsigned long free_pages = 0;
	bool mounted = false;
	FILE *f;

	f = fopen("/proc/mounts", "r");
	if (f == NULL)
		return false;
	while (!mounted && fgets(line, sizeof(line), f) != NULL)
		mounted = sscanf(line, "%*s %255s %63s", mnt, type) == 2 &&
			strcmp(mnt, dir) == 0 && strcmp(type, "hugetlbfs") == 0;
	fclose(f);
	f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "r");
	if (f == NULL)
		return false;
	if (fscanf(f, "%lu", &free_pages) != 1)
		free_pages = 0;
	fclose(f);
	return mounted && free_pages * 2 >= mb;
}

static int
parse_args(int argc, char **argv)
{
	enum { O_ITER = 256, O_PKTS, O_REPS, O_BURSTS, O_QUEUES, O_DESC, O_ONLY, O_CSV,
		O_JSON, O_QUICK, O_HELP };
	static const struct option longopts[] = {
		{ "iterations", required_argument, NULL, O_ITER },
		{ "packets", required_argument, NULL, O_PKTS },
		{ "reps", required_argument, NULL, O_REPS },
		{ "bursts", required_argument, NULL, O_BURSTS },
		{ "queues", required_argument, NULL, O_QUEUES },
		{ "desc", required_argument, NULL, O_DESC },
		{ "only", required_argument, NULL, O_ONLY },
		{ "csv", required_argument, NULL, O_CSV },
		{ "json", required_argument, NULL, O_JSON },
		{ "quick", no_argument, NULL, O_QUICK },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool reps_set = false, iter_set = false;
	uint64_t v;
	unsigned int i;
	int c;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case O_ITER:
			if (parse_u64(optarg, 1, UINT64_MAX / MB_MAX_BURST, &opt.iterations) != 0)
				goto bad;
			iter_set = true;
			break;
		case O_PKTS:
			if (parse_u64(optarg, 1, UINT64_MAX / 2, &opt.packets) != 0)
				goto bad;
			iter_set = true;
			break;
		case O_REPS:
			if (parse_u64(optarg, 1, 1000, &v) != 0)
				goto bad;
			opt.reps = (unsigned int)v;
			reps_set = true;
			break;
		case O_BURSTS:
			if (parse_list(optarg, opt.bursts, &opt.nb_bursts, MB_MAX_BURST) != 0)
				goto bad;
			break;
		case O_QUEUES:
			if (parse_list(optarg, opt.queues, &opt.nb_queues, MB_MAX_QUEUES) != 0)
				goto bad;
			break;
		case O_DESC:
			if (parse_u64(optarg, 32, 32768, &v) != 0)
				goto bad;
			opt.desc = (uint16_t)v;
			break;
		case O_ONLY:
			if (parse_only(optarg, &opt.only) != 0)
				goto bad;
			break;
		case O_CSV:
			opt.csv = optarg;
			break;
		case O_JSON:
			opt.json = optarg;
			break;
		case O_QUICK:
			opt.quick = true;
			break;
		case 'h':
		case O_HELP:
			usage(argv[0], stdout);
			exit(0);
		default:
			usage(argv[0], stderr);
			return -1;
		}
	}
	if (opt.quick) {
		if (!iter_set)
			opt.packets = 8192;
		if (!reps_set)
			opt.reps = 2;
	}
	for (i = 0; i < opt.nb_bursts; i++)
		if (opt.bursts[i] > opt.desc) {
			fprintf(stderr, "vpair-microbench: burst %u exceeds --desc %u\n",
				opt.bursts[i], opt.desc);
			return -1;
		}
	return 0;
bad:
	fprintf(stderr, "vpair-microbench: bad value for --%s: %s\n",
		longopts[c - O_ITER].name, optarg);
	usage(argv[0], stderr);
	return -1;
}

int
main(int argc, char **argv)
{
	static const char *const lcore_args[] = { "-l", "-c", "--lcores", NULL };
	static const char *const mem_args[] = { "-m", "--socket-mem", NULL };
	static const char *const huge_args[] = { "--no-huge", "--huge-dir", "--huge-unlink",
		"--socket-mem", NULL };
	const char *huge_dir = getenv("VPAIR_HUGE_DIR");
	char runtime_dir[PATH_MAX] = "";
	char load_before[64], load_after[64];
	char prefix[64];
	char **eal_argv;
	int eal_argc = 0, nb_extra, ret = 1, i;
	struct mb_phase *phase = NULL;
	bool eal_up = false;
	uint64_t hz;
	unsigned int qi;

	if (parse_args(argc, argv) != 0)
		return 2;
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "vpair-microbench: unexpected argument %s (EAL args go after --)\n",
			argv[optind]);
		return 2;
	}
	nb_extra = argc - optind;

	snprintf(prefix, sizeof(prefix), "vpair_mb_%d", (int)getpid());
	eal_argv = calloc(16 + nb_extra + 1, sizeof(char *));
	if (eal_argv == NULL)
		return 1;
	eal_argv[eal_argc++] = argv[0];
	if (!has_arg(nb_extra, argv + optind, lcore_args)) {
		eal_argv[eal_argc++] = "-l";
		eal_argv[eal_argc++] = "0";
	}
	eal_argv[eal_argc++] = "--no-pci";
	if (huge_dir == NULL || huge_dir[0] == '\0')
		huge_dir = "/dev/hugepages";
	if (!has_arg(nb_extra, argv + optind, huge_args)) {
		if (hugepages_usable(huge_dir, MB_MEM_MB)) {
			eal_argv[eal_argc++] = "--huge-dir";
			eal_argv[eal_argc++] = (char *)(uintptr_t)huge_dir;
			eal_argv[eal_argc++] = "--huge-unlink";
		} else {
			eal_argv[eal_argc++] = "--no-huge";
		}
	}
	if (!has_arg(nb_extra, argv + optind, mem_args)) {
		eal_argv[eal_argc++] = "-m";
		eal_argv[eal_argc++] = RTE_STR(MB_MEM_MB);
	}
	eal_argv[eal_argc++] = "--no-shconf";
	eal_argv[eal_argc++] = "--no-telemetry";
	eal_argv[eal_argc++] = "--file-prefix";
	eal_argv[eal_argc++] = prefix;
	eal_argv[eal_argc++] = "--log-level";
	eal_argv[eal_argc++] = "notice";
	for (i = 0; i < nb_extra; i++)
		eal_argv[eal_argc++] = argv[optind + i];

	if (make_rows() != 0) {
		fprintf(stderr, "vpair-microbench: out of memory\n");
		return 1;
	}
	if (mb_nb_rows == 0) {
		fprintf(stderr, "vpair-microbench: --only matches no configuration\n");
		return 2;
	}

	{
		/* rte_eal_init permutes its argv: keep ours for the report. */
		char *copy[eal_argc + 1];

		memcpy(copy, eal_argv, sizeof(copy[0]) * eal_argc);
		copy[eal_argc] = NULL;
		if (rte_eal_init(eal_argc, copy) < 0) {
			fprintf(stderr, "vpair-microbench: EAL init failed: %s\n",
				rte_strerror(rte_errno));
			snprintf(runtime_dir, sizeof(runtime_dir), "%s",
				rte_eal_get_runtime_dir());
			goto out;
		}
	}
	eal_up = true;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	signal(SIGINT, mb_signal);
	signal(SIGTERM, mb_signal);
	hz = rte_get_tsc_hz();

	/* The rings of the ring and net_ring rows, sized as vpair sizes its own; the pool
	 * holds the frames of the largest phase plus a few for the filter checks. */
	{
		uint16_t qmax = 1, bmax = 1;
		unsigned int nb_mbufs;

		for (qi = 0; qi < opt.nb_queues; qi++)
			qmax = RTE_MAX(qmax, opt.queues[qi]);
		for (qi = 0; qi < opt.nb_bursts; qi++)
			bmax = RTE_MAX(bmax, opt.bursts[qi]);
		nb_mbufs = RTE_MAX((unsigned int)qmax * bmax + 64, 1023u);
		mb_pool = rte_pktmbuf_pool_create("mb_pool", nb_mbufs, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
		phase = calloc(1, sizeof(*phase));
		if (mb_pool == NULL || phase == NULL) {
			fprintf(stderr, "vpair-microbench: cannot create a pool of %u mbufs: %s\n",
				nb_mbufs, rte_strerror(rte_errno));
			goto out;
		}
		for (qi = 0; qi < qmax; qi++) {
			char name[RTE_RING_NAMESIZE];

			snprintf(name, sizeof(name), "mb_ring%u", qi);
			mb_rings[qi] = rte_ring_create(name, opt.desc, rte_socket_id(),
				RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
			if (mb_rings[qi] == NULL) {
				fprintf(stderr, "vpair-microbench: cannot create ring %s: %s\n",
					name, rte_strerror(rte_errno));
				goto out;
			}
		}
#ifdef MB_HAVE_NET_RING
		{
			int port = rte_eth_from_rings(MB_NET_RING, mb_rings, qmax, mb_rings, qmax,
				rte_socket_id());

			if (port < 0) {
				fprintf(stderr, "vpair-microbench: rte_eth_from_rings: %s\n",
					rte_strerror(rte_errno));
				goto out;
			}
			mb_ring_port = (uint16_t)port;
		}
#endif
	}

	loadavg(load_before, sizeof(load_before));
	printf("vpair-microbench: lcore %u (cpu %d), TSC %.3f GHz, %u rep(s), %s %" PRIu64 " per rep, %u B frames, nb_desc %u, load average %s\n",
		rte_lcore_id(), rte_lcore_to_cpu_id(rte_lcore_id()), (double)hz / 1e9, opt.reps,
		opt.iterations ? "iterations" : "packets",
		opt.iterations ? opt.iterations : opt.packets, MB_FRAME_LEN, opt.desc,
		load_before);
	printf("vpair-microbench: EAL args:");
	for (i = 1; i < eal_argc; i++)
		printf(" %s", eal_argv[i]);
	printf("\n");
	fflush(stdout);

	for (qi = 0; qi < opt.nb_queues && !mb_stop; qi++) {
		memset(phase, 0, sizeof(*phase));
		phase->queues = opt.queues[qi];
		if (phase_run(phase) != 0)
			goto out;
	}
	loadavg(load_after, sizeof(load_after));

	for (qi = 0; qi < mb_nb_rows; qi++)
		row_stats(&mb_rows[qi]);
	print_results(hz, load_before, load_after);
	ret = 0;
	if (opt.csv != NULL && write_csv(opt.csv, hz) != 0)
		ret = 1;
	if (opt.json != NULL &&
			write_json(opt.json, hz, eal_argc, eal_argv, load_before, load_after) != 0)
		ret = 1;
	if (mb_stop) {
		fprintf(stderr, "vpair-microbench: interrupted (signal %d): partial results\n",
			(int)mb_stop);
		ret = 128 + (int)mb_stop;
	}

out:
	if (eal_up) {
		if (phase != NULL)
			phase_free_frames(phase);
		if (mb_pair_exists)
			rte_pmd_vpair_destroy(MB_PAIR_NAME);
		if (mb_ring_port != RTE_MAX_ETHPORTS) {
			rte_eth_dev_stop(mb_ring_port);
			rte_eth_dev_close(mb_ring_port);
		}
		for (qi = 0; qi < MB_MAX_QUEUES; qi++)
			rte_ring_free(mb_rings[qi]);
		if (ret == 0 && mb_pool != NULL &&
				rte_mempool_avail_count(mb_pool) != mb_pool->size) {
			fprintf(stderr, "vpair-microbench: FAILED: %u mbufs not returned to the pool\n",
				mb_pool->size - rte_mempool_avail_count(mb_pool));
			ret = 1;
		}
		rte_mempool_free(mb_pool);
		rte_eal_cleanup();
	}
	if (remove_runtime_dir(runtime_dir) != 0) {
		fprintf(stderr, "vpair-microbench: cannot remove %s\n", runtime_dir);
		if (ret == 0)
			ret = 1;
	}
	free(phase);
	free(eal_argv);
	for (qi = 0; qi < mb_nb_rows; qi++)
		free(mb_rows[qi].samples);
	free(mb_rows);
	return ret;
}
