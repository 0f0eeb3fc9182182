/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * The offload path under stops. A worker lcore sends TSO frames (some with a VLAN tag to
 * insert) on port a without pause, while the main lcore stops b, reconfigures its Rx
 * offloads and its mempool (LRO whole frames, segments copied or attached, checksums left
 * or computed, tags stripped or not) and starts it again. After every stop the accounting
 * identity is exact; TCP sequence numbers arrive in order, never twice; and at the end every
 * mbuf is back in its pool: no segment, copy or attached payload is lost or leaked.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_tcp.h>

#include "vpair_test.h"

#define OS_ROUNDS	300
#define OS_MSS		1000
#define OS_PAYLOAD	(8 * OS_MSS + 123)	/* 9 segments, the last one short */
#define OS_HDR		(RTE_ETHER_HDR_LEN + 20 + 20)
#define OS_BURST	8
#define OS_POOL		2047

struct os_sender {
	uint16_t port;
	struct rte_mempool *mp;
	struct rte_ether_addr dst, src;
	volatile bool stop;
	uint64_t failed_builds;
};

static struct rte_mbuf *
os_frame(const struct os_sender *s, uint32_t k)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(s->mp);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *tcp;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, OS_HDR + OS_PAYLOAD);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, (int)k, OS_HDR + OS_PAYLOAD);
	eth = (struct rte_ether_hdr *)p;
	eth->dst_addr = s->dst;
	eth->src_addr = s->src;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, 40);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = RTE_BE32(0xc6120001);
	ip->dst_addr = RTE_BE32(0xc6120002);
	ip->total_length = rte_cpu_to_be_16(40 + OS_PAYLOAD);
	tcp = (struct rte_tcp_hdr *)(ip + 1);
	tcp->sent_seq = rte_cpu_to_be_32(k * OS_PAYLOAD);
	tcp->data_off = 5 << 4;
	tcp->tcp_flags = RTE_TCP_ACK_FLAG;
	tcp->cksum = rte_ipv4_phdr_cksum(ip, RTE_MBUF_F_TX_TCP_SEG);
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG;
	if (k % 3 == 1) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		m->vlan_tci = 100 + k % 7;
	}
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = OS_MSS;
	return m;
}

/* Refused frames are kept and sent again, so frame k always follows frame k - 1. */
static int
os_send(void *arg)
{
	struct os_sender *s = arg;
	struct rte_mbuf *pending[OS_BURST];
	uint16_t nb_pending = 0, n;
	uint32_t next = 0;

	while (!s->stop) {
		while (nb_pending < OS_BURST) {
			struct rte_mbuf *m = os_frame(s, next + nb_pending);

			if (m == NULL) {
				s->failed_builds++;
				break;
			}
			pending[nb_pending++] = m;
		}
		n = rte_eth_tx_burst(s->port, 0, pending, nb_pending);
		memmove(pending, pending + n, (nb_pending - n) * sizeof(pending[0]));
		nb_pending -= n;
		next += n;
	}
	rte_pktmbuf_free_bulk(pending, nb_pending);
	return 0;
}

/*
 * Poll for `us` microseconds. TCP seq of each frame or segment received: strictly
 * increasing, nothing twice.
 */
static int
os_receive(uint16_t port, uint32_t *last_end, uint64_t *received, unsigned int us)
{
	const uint64_t end = rte_get_timer_cycles() + us * rte_get_timer_hz() / 1000000;
	struct rte_mbuf *pkts[32];
	uint16_t n, k;

	while (rte_get_timer_cycles() < end) {
		n = rte_eth_rx_burst(port, 0, pkts, RTE_DIM(pkts));
		for (k = 0; k < n; k++) {
			const struct rte_mbuf *m = pkts[k];
			/* A stripped or an inserted tag moves the IP header. */
			uint32_t l2 = RTE_ETHER_HDR_LEN +
				(*rte_pktmbuf_mtod_offset(m, const uint16_t *, 12) ==
				 RTE_BE16(RTE_ETHER_TYPE_VLAN) ? 4 : 0);
			const struct rte_ipv4_hdr *ip =
				rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2);
			const struct rte_tcp_hdr *tcp = (const void *)(ip + 1);
			uint32_t seq = rte_be_to_cpu_32(tcp->sent_seq);
			uint32_t len = rte_be_to_cpu_16(ip->total_length) - 40;

			if (m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK) {
				fprintf(stderr, "a Tx flag arrived: 0x%" PRIx64 "\n", m->ol_flags);
				rte_pktmbuf_free_bulk(pkts, n);
				return -1;
			}
			if (seq < *last_end) {
				fprintf(stderr, "seq %u after %u: reordered or twice\n", seq,
					*last_end);
				rte_pktmbuf_free_bulk(pkts, n);
				return -1;
			}
			*last_end = seq + len;
		}
		rte_pktmbuf_free_bulk(pkts, n);
		*received += n;
	}
	return 0;
}

/* Round r's receiver: Rx offloads, and which of the two pools its queue takes. */
static int
os_reconfigure(uint16_t port, unsigned int round, struct rte_mempool *const *pools)
{
	static const uint64_t rxo[] = {
		0,
		RTE_ETH_RX_OFFLOAD_CHECKSUM,
		RTE_ETH_RX_OFFLOAD_SCATTER,
		RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER |
			RTE_ETH_RX_OFFLOAD_CHECKSUM,
		RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_CHECKSUM,
		RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_VLAN_STRIP,
	};
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = rxo[round % RTE_DIM(rxo)],
			.max_lro_pkt_size = UINT16_MAX + 22 },
	};

	CHECK_OK(rte_eth_dev_configure(port, 1, 1, &conf));
	CHECK_OK(rte_eth_rx_queue_setup(port, 0, 512, rte_socket_id(), NULL,
		pools[round % 2]));
	CHECK_OK(rte_eth_tx_queue_setup(port, 0, 512, rte_socket_id(), NULL));
	return 0;
}

static int
os_rounds(uint16_t a, uint16_t b, struct rte_mempool *const *pools, uint64_t *received)
{
	uint32_t last_end = 0;
	unsigned int round;

	for (round = 0; round < OS_ROUNDS; round++) {
		CHECK(os_receive(b, &last_end, received, 50 + 50 * (round % 8)) == 0);
		CHECK_OK(rte_eth_dev_stop(b));
		if (vt_check_identity(a, b) != 0)
			fprintf(stderr, "round %u\n", round);
		CHECK(vt_check_identity(a, b) == 0);
		CHECK(os_reconfigure(b, round + 1, pools) == 0);
		CHECK_OK(rte_eth_dev_start(b));
	}
	/* The last frames, then nothing in flight. */
	CHECK(os_receive(b, &last_end, received, 10000) == 0);
	return 0;
}

VT_CASE(offload_stop_no_slip)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct os_sender s = { 0 };
	struct rte_mempool *pools[2];
	uint64_t received = 0;
	uint16_t a, b;
	int ret;

	CHECK(worker < RTE_MAX_LCORE);
	s.mp = rte_pktmbuf_pool_create("os_tx", 255, 0, 0, RTE_PKTMBUF_HEADROOM + 10240,
		rte_socket_id());
	pools[0] = rte_pktmbuf_pool_create("os_rx0", OS_POOL, 32, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		rte_socket_id());
	pools[1] = rte_pktmbuf_pool_create("os_rx1", OS_POOL, 32, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		rte_socket_id());
	CHECK(s.mp != NULL && pools[0] != NULL && pools[1] != NULL);
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 512, false));
	CHECK(os_reconfigure(b, 0, pools) == 0);
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_macaddr_get(b, &s.dst));
	CHECK_OK(rte_eth_macaddr_get(a, &s.src));
	s.port = a;

	CHECK_OK(rte_eal_remote_launch(os_send, &s, worker));
	ret = os_rounds(a, b, pools, &received);
	s.stop = true;
	CHECK_OK(rte_eal_wait_lcore(worker));
	CHECK_OK(ret);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK(vt_check_identity(a, b) == 0);
	printf("%u stops, %" PRIu64 " frames and segments received, %" PRIu64 " flushed\n",
		OS_ROUNDS, received, vt_xstat(b, "rx_flushed_dropped"));
	CHECK(received > 0);
	CHECK_EQ(vt_xstat(a, "tx_offload_errors"), 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	/* Every mbuf home: the frames, their copies, segments and attached payloads. */
	CHECK_EQ(rte_mempool_avail_count(s.mp), s.mp->size);
	CHECK_EQ(rte_mempool_avail_count(pools[0]), pools[0]->size);
	CHECK_EQ(rte_mempool_avail_count(pools[1]), pools[1]->size);
	rte_mempool_free(s.mp);
	rte_mempool_free(pools[0]);
	rte_mempool_free(pools[1]);
	return 0;
}
