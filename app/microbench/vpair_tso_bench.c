/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * vpair-tso-bench: what a TCP super-frame costs across the pair, on two lcores.
 *
 * Lcore 1 sends 64 KiB TSO frames (Ethernet/IPv4/TCP, 45 x 1448 bytes of payload, as a chain
 * of 8 KiB segments) on port A with RTE_MBUF_F_TX_TCP_SEG; the main lcore receives on port B,
 * configured one of three ways:
 *   lro       Rx TCP_LRO + checksum offloads: each frame arrives whole, zero copy, its TCP
 *             checksum computed (the default), and goes back to the sender through a ring to
 *             be sent again;
 *   lro-partial  the same on a pair with csum_partial=1: the checksum left to the receiver;
 *   segment   no Rx offload: the sender's tx segments it in software into B's mbufs, TCP
 *             checksums computed;
 *   segment-partial  Rx checksum offloads, csum_partial=1: segmented, checksums left to the
 *             receiver;
 *   scatter-partial  the same with Rx SCATTER: each segment's payload attached to the
 *             sender's buffers, not copied.
 * In the segment modes the sender keeps a reference to its frames (the driver only reads
 * them), so no mode builds frames while measuring.
 *
 * Reported per mode: frames and payload Gbit/s over the run, and the sender's TSC cycles per
 * frame inside rte_eth_tx_burst. Every frame and segment received is checked (flags,
 * lengths, count) and the ports' counters must agree, or the run fails (exit status 1).
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include <rte_pmd_vpair.h>

#include "bench_eal.h"

#define TB_MSS		1448
#define TB_NB_SEGS	45
#define TB_HDR		(RTE_ETHER_HDR_LEN + 20 + 20)
#define TB_PAYLOAD	(TB_MSS * TB_NB_SEGS)
#define TB_CHUNK	8192
#define TB_FRAMES	64	/* in flight */
#define TB_BURST	4

enum tb_mode {
	TB_LRO, TB_LRO_PARTIAL, TB_SEGMENT, TB_SEGMENT_PARTIAL, TB_SCATTER_PARTIAL, TB_NB_MODES
};
static const char *const tb_mode_name[] = {
	"lro", "lro-partial", "segment", "segment-partial", "scatter-partial",
};

struct tb_run {
	enum tb_mode mode;
	uint16_t a, b;
	struct rte_ring *recycle;	/* lro: received frames back to the sender */
	struct rte_mbuf *frames[TB_FRAMES];
	volatile bool stop;
	/* sender */
	uint64_t sent, tx_cycles;
	/* receiver */
	uint64_t received, bad;
};

static struct rte_mempool *tb_src_pool, *tb_rx_pool;

static bool
tb_lro(enum tb_mode mode)
{
	return mode == TB_LRO || mode == TB_LRO_PARTIAL;
}
static struct rte_ether_addr tb_dst, tb_src;

static struct rte_mbuf *
tb_frame(uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(tb_src_pool);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *tcp;
	uint32_t left = TB_PAYLOAD;
	struct rte_mbuf *last;
	char *hdr;

	if (m == NULL)
		return NULL;
	hdr = rte_pktmbuf_append(m, TB_HDR);
	if (hdr == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(hdr, 0, TB_HDR);
	eth = (struct rte_ether_hdr *)hdr;
	eth->dst_addr = tb_dst;
	eth->src_addr = tb_src;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = RTE_BE32(0xc6120001);	/* 198.18.0.1 */
	ip->dst_addr = RTE_BE32(0xc6120002);
	ip->total_length = rte_cpu_to_be_16(40 + TB_PAYLOAD);
	tcp = (struct rte_tcp_hdr *)(ip + 1);
	tcp->sent_seq = rte_cpu_to_be_32(seq);
	tcp->data_off = 5 << 4;
	tcp->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	tcp->rx_win = RTE_BE16(0xffff);
	tcp->cksum = rte_ipv4_phdr_cksum(ip, RTE_MBUF_F_TX_TCP_SEG);

	last = m;
	while (left > 0) {
		struct rte_mbuf *seg = rte_pktmbuf_alloc(tb_src_pool);
		uint32_t n = RTE_MIN(left, (uint32_t)TB_CHUNK);
		char *p;

		if (seg == NULL) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		p = rte_pktmbuf_append(seg, n);
		memset(p, (int)(seq + left), n);
		last->next = seg;
		last = seg;
		m->nb_segs++;
		m->pkt_len += n;
		left -= n;
	}
	return m;
}

/* What the application sets for a TSO frame, again before every send. */
static void
tb_request(struct rte_mbuf *m)
{
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG;
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = TB_MSS;
}

static int
tb_sender(void *arg)
{
	struct tb_run *r = arg;
	struct rte_mbuf *burst[TB_BURST];
	unsigned int next = 0, n, i, k;

	while (!r->stop) {
		if (tb_lro(r->mode)) {
			n = rte_ring_sc_dequeue_burst(r->recycle, (void **)burst, TB_BURST, NULL);
		} else {
			/* The driver frees what it segmented: keep every segment alive. */
			for (n = 0; n < TB_BURST; n++, next = (next + 1) % TB_FRAMES) {
				struct rte_mbuf *seg;

				burst[n] = r->frames[next];
				for (seg = burst[n]; seg != NULL; seg = seg->next)
					rte_mbuf_refcnt_update(seg, 1);
			}
		}
		for (i = 0; i < n; i++)
			tb_request(burst[i]);
		for (i = 0; i < n; ) {
			uint64_t t0 = rte_rdtsc();

			k = rte_eth_tx_burst(r->a, 0, burst + i, n - i);
			r->tx_cycles += rte_rdtsc() - t0;
			r->sent += k;
			i += k;
			if (r->stop && k == 0) {
				/* The receiver is gone: give back what was not taken. */
				for (; i < n; i++)
					rte_pktmbuf_free(burst[i]);
			}
		}
	}
	return 0;
}

/* Receive until the sender stops and the ring is empty; check everything. */
static void
tb_receiver(struct tb_run *r, uint64_t cycles)
{
	const uint64_t end = rte_rdtsc() + cycles;
	struct rte_mbuf *pkts[64];
	uint64_t idle = 0;
	uint16_t n, i;

	for (;;) {
		if (!r->stop && rte_rdtsc() > end)
			r->stop = true;
		n = rte_eth_rx_burst(r->b, 0, pkts, RTE_DIM(pkts));
		if (n == 0) {
			if (r->stop && rte_eal_get_lcore_state(1) != RUNNING && ++idle > 1000)
				break;
			continue;
		}
		idle = 0;
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];

			if (tb_lro(r->mode)) {
				r->bad += !(m->ol_flags & RTE_MBUF_F_RX_LRO) ||
					m->pkt_len != TB_HDR + TB_PAYLOAD;
				if (rte_ring_sp_enqueue(r->recycle, m) != 0)
					rte_pktmbuf_free(m);
			} else {
				r->bad += m->pkt_len != TB_HDR + TB_MSS ||
					(m->nb_segs != 1) != (r->mode == TB_SCATTER_PARTIAL) ||
					(m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK) != 0;
				rte_pktmbuf_free(m);
			}
		}
		r->received += n;
	}
}

static int
tb_port(uint16_t port, uint64_t rx_offloads, uint64_t tx_offloads)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = rx_offloads,
			.max_lro_pkt_size = (rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) ?
				UINT16_MAX + 22 : 0 },
		.txmode.offloads = tx_offloads,
	};
	int ret = rte_eth_dev_configure(port, 1, 1, &conf);

	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, 1024, rte_socket_id(), NULL, tb_rx_pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, 1024, rte_socket_id(), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	return ret;
}

static int
tb_run_mode(enum tb_mode mode, double seconds)
{
	static const uint64_t rx_of[TB_NB_MODES] = {
		[TB_LRO] = RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_CHECKSUM |
			RTE_ETH_RX_OFFLOAD_SCATTER,
		[TB_LRO_PARTIAL] = RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_CHECKSUM |
			RTE_ETH_RX_OFFLOAD_SCATTER,
		[TB_SEGMENT] = 0,
		[TB_SEGMENT_PARTIAL] = RTE_ETH_RX_OFFLOAD_CHECKSUM,
		[TB_SCATTER_PARTIAL] = RTE_ETH_RX_OFFLOAD_CHECKSUM | RTE_ETH_RX_OFFLOAD_SCATTER,
	};
	struct tb_run r = { .mode = mode };
	struct rte_eth_stats sa, sb;
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t t0, elapsed, segs;
	unsigned int i;
	uint16_t a, b;
	int ret = -1;

	if (rte_pmd_vpair_create("net_vpair_tso", mode == TB_LRO_PARTIAL ||
			mode == TB_SEGMENT_PARTIAL || mode == TB_SCATTER_PARTIAL ?
			"csum_partial=1" : NULL, &a, &b) != 0) {
		fprintf(stderr, "vpair-tso-bench: cannot create the pair\n");
		return -1;
	}
	r.a = a;
	r.b = b;
	rte_eth_macaddr_get(b, &tb_dst);
	rte_eth_macaddr_get(a, &tb_src);

	if (tb_port(a, 0, RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0 ||
			tb_port(b, rx_of[mode], 0) != 0) {
		fprintf(stderr, "vpair-tso-bench: %s: port set-up failed\n", tb_mode_name[mode]);
		return -1;
	}
	r.recycle = rte_ring_create("tb_recycle", 2 * TB_FRAMES, rte_socket_id(),
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	for (i = 0; i < TB_FRAMES; i++) {
		r.frames[i] = tb_frame(i * TB_PAYLOAD);
		if (r.frames[i] == NULL || r.recycle == NULL) {
			fprintf(stderr, "vpair-tso-bench: out of mbufs\n");
			goto out;
		}
		if (tb_lro(mode))
			rte_ring_sp_enqueue(r.recycle, r.frames[i]);
	}
	rte_eth_stats_reset(a);
	rte_eth_stats_reset(b);

	t0 = rte_rdtsc();
	rte_eal_remote_launch(tb_sender, &r, 1);
	tb_receiver(&r, (uint64_t)(seconds * hz));
	rte_eal_wait_lcore(1);
	elapsed = rte_rdtsc() - t0;

	rte_eth_stats_get(a, &sa);
	rte_eth_stats_get(b, &sb);
	segs = tb_lro(mode) ? r.sent : r.sent * TB_NB_SEGS;
	if (r.bad != 0 || r.received != segs || sa.opackets != segs || sb.ipackets != segs ||
			sa.oerrors != 0) {
		fprintf(stderr, "vpair-tso-bench: %s: %" PRIu64 " frames sent, %" PRIu64
			" received (%" PRIu64 " due), %" PRIu64 " bad; opackets %" PRIu64
			", ipackets %" PRIu64 ", oerrors %" PRIu64 "\n", tb_mode_name[mode],
			r.sent, r.received, segs, r.bad, sa.opackets, sb.ipackets, sa.oerrors);
		goto out;
	}
	printf("%-16s %9" PRIu64 " frames  %7.2f Gbit/s payload  %9.0f tx cycles/frame  (%.0f per segment)\n",
		tb_mode_name[mode], r.sent,
		(double)r.sent * TB_PAYLOAD * 8 / ((double)elapsed / hz) / 1e9,
		r.sent ? (double)r.tx_cycles / r.sent : 0.0,
		r.sent ? (double)r.tx_cycles / r.sent / TB_NB_SEGS : 0.0);
	ret = 0;
out:
	/* Frames still held: in the recycle ring (lro), or the sender's own references. */
	if (tb_lro(mode)) {
		struct rte_mbuf *m = NULL;

		while (r.recycle != NULL && rte_ring_sc_dequeue(r.recycle, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	} else {
		for (i = 0; i < TB_FRAMES; i++)
			rte_pktmbuf_free(r.frames[i]);
	}
	rte_ring_free(r.recycle);
	rte_eth_dev_stop(a);
	rte_eth_dev_stop(b);
	rte_pmd_vpair_destroy("net_vpair_tso");
	return ret;
}

int
main(int argc, char **argv)
{
	char prefix[64], runtime_dir[PATH_MAX], *eal_argv[32];
	double seconds = 2;
	int eal_argc = 0, i, ret = 0;
	unsigned int mode;

	snprintf(prefix, sizeof(prefix), "--file-prefix=vpair_tso_%d", (int)getpid());
	eal_argv[eal_argc++] = argv[0];
	eal_argv[eal_argc++] = "-l";
	eal_argv[eal_argc++] = "0-1";
	eal_argv[eal_argc++] = "--no-pci";
	eal_argv[eal_argc++] = "--no-huge";
	eal_argv[eal_argc++] = "-m";
	eal_argv[eal_argc++] = "1024";
	eal_argv[eal_argc++] = "--no-shconf";
	eal_argv[eal_argc++] = "--no-telemetry";
	eal_argv[eal_argc++] = "--log-level=notice";
	eal_argv[eal_argc++] = prefix;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			seconds = 0.2;
		} else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else if (strcmp(argv[i], "--") == 0) {
			for (i++; i < argc && eal_argc < (int)RTE_DIM(eal_argv); i++)
				eal_argv[eal_argc++] = argv[i];
		} else {
			fprintf(stderr, "usage: %s [--quick | --seconds S] [-- EAL args]\n",
				argv[0]);
			return 2;
		}
	}
	if (rte_eal_init(eal_argc, eal_argv) < 0 || rte_lcore_count() < 2) {
		fprintf(stderr, "vpair-tso-bench: EAL init failed, or fewer than 2 lcores\n");
		return 1;
	}
	tb_src_pool = rte_pktmbuf_pool_create("tb_src", 2 * TB_FRAMES * 10, 0, 0,
		RTE_PKTMBUF_HEADROOM + TB_CHUNK, rte_socket_id());
	tb_rx_pool = rte_pktmbuf_pool_create("tb_rx", 16383, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (tb_src_pool == NULL || tb_rx_pool == NULL) {
		fprintf(stderr, "vpair-tso-bench: set-up failed\n");
		return 1;
	}
	printf("vpair-tso-bench: %u-byte TSO frames (%u x %u), %.1f s per mode\n",
		TB_HDR + TB_PAYLOAD, TB_NB_SEGS, TB_MSS, seconds);
	for (mode = 0; mode < TB_NB_MODES && ret == 0; mode++)
		ret = tb_run_mode(mode, seconds);
	rte_mempool_free(tb_src_pool);
	rte_mempool_free(tb_rx_pool);
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	if (remove_runtime_dir(runtime_dir) != 0)
		fprintf(stderr, "vpair-tso-bench: cannot remove %s\n", runtime_dir);
	return ret == 0 ? 0 : 1;
}
