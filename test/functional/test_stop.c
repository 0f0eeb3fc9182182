/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Nothing slips past a stop. A worker lcore sends sequenced frames on port a without pause
 * while the main lcore stops b, sometimes reconfigures it, and starts it again. When
 * rte_eth_dev_stop(b) returns, every frame a accepted is in b's ipackets, a named drop or
 * rx_flushed_dropped; after the restart, no frame from before the stop arrives.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "vpair_test.h"

#define STOP_ROUNDS	1000
#define SENDER_TXQ	2
#define MAX_RXQ		4
#define SEND_BURST	32

/* Payload after the Ethernet header: which tx queue, and its sequence number there. */
struct stamp {
	uint32_t seq;
	uint16_t txq;
};

struct sender {
	uint16_t port;
	struct rte_ether_addr dst, other, src;
	volatile bool stop;
};

/*
 * Frame kinds by sequence number, so that every reconfiguration of b drops some of them
 * under a named reason: to b, to a foreign unicast address (otherhost unless b is
 * promiscuous), to a group b did not join, and longer than the smaller MTU.
 */
static struct rte_mbuf *
stamped_frame(const struct sender *s, uint16_t txq, uint32_t seq)
{
	static const struct rte_ether_addr group = {{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x07 }};
	const struct rte_ether_addr *dst = &s->dst;
	struct stamp st = { .seq = seq, .txq = txq };
	uint16_t len = seq % 3 == 0 ? 300 : 64;
	struct rte_mbuf *m;

	if (seq % 7 == 3)
		dst = &s->other;
	else if (seq % 11 == 5)
		dst = &group;
	m = vt_frame(dst, &s->src, seq, len);
	if (m != NULL)
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, RTE_ETHER_HDR_LEN), &st, sizeof(st));
	return m;
}

static struct stamp
stamp_of(const struct rte_mbuf *m)
{
	struct stamp st;

	memcpy(&st, rte_pktmbuf_mtod_offset(m, const uint8_t *, RTE_ETHER_HDR_LEN), sizeof(st));
	return st;
}

/* Refused frames are kept and sent again: accepted sequence numbers are consecutive. */
static int
send_loop(void *arg)
{
	struct sender *s = arg;
	struct rte_mbuf *pending[SENDER_TXQ][SEND_BURST];
	uint16_t nb_pending[SENDER_TXQ] = { 0 };
	uint64_t next[SENDER_TXQ] = { 0 };
	uint16_t q, n;

	while (!s->stop) {
		for (q = 0; q < SENDER_TXQ; q++) {
			while (nb_pending[q] < SEND_BURST) {
				struct rte_mbuf *m = stamped_frame(s, q,
					next[q] + nb_pending[q]);

				if (m == NULL)
					break;
				pending[q][nb_pending[q]++] = m;
			}
			n = rte_eth_tx_burst(s->port, q, pending[q], nb_pending[q]);
			memmove(pending[q], pending[q] + n,
				(nb_pending[q] - n) * sizeof(pending[q][0]));
			nb_pending[q] -= n;
			next[q] += n;
		}
	}
	for (q = 0; q < SENDER_TXQ; q++)
		rte_pktmbuf_free_bulk(pending[q], nb_pending[q]);
	return 0;
}

struct receiver {
	uint16_t port;
	uint16_t nb_rxq;
	/* Per sender tx queue: every frame received has a sequence number at least this. */
	uint64_t floor[SENDER_TXQ];
	uint64_t received;
};

/* Receive on every rx queue; any frame out of order or from before a stop fails. */
static int
receive_some(struct receiver *r, unsigned int bursts)
{
	struct rte_mbuf *pkts[SEND_BURST];
	unsigned int i;
	uint16_t q, n, k;

	for (i = 0; i < bursts; i++) {
		for (q = 0; q < r->nb_rxq; q++) {
			n = rte_eth_rx_burst(r->port, q, pkts, RTE_DIM(pkts));
			for (k = 0; k < n; k++) {
				struct stamp st = stamp_of(pkts[k]);

				if (st.txq >= SENDER_TXQ || st.seq < r->floor[st.txq]) {
					fprintf(stderr, "rx queue %u: frame %u of tx queue %u, expected at least %" PRIu64 "\n",
						q, st.seq, st.txq, st.txq < SENDER_TXQ ?
						r->floor[st.txq] : 0);
					rte_pktmbuf_free_bulk(pkts, n);
					return -1;
				}
				r->floor[st.txq] = (uint64_t)st.seq + 1;
			}
			rte_pktmbuf_free_bulk(pkts, n);
			r->received += n;
		}
	}
	return 0;
}

/* Every 10th stop: rx queues, MTU, promiscuous mode and parsing all change. */
static int
reconfigure(uint16_t port, unsigned int round, uint16_t *nb_rxq)
{
	unsigned int step = round / 10;
	uint16_t q;

	*nb_rxq = 1 + step % MAX_RXQ;
	CHECK_OK(vt_port_setup(port, *nb_rxq, 1, 256 + 64 * (step % 4), false));
	CHECK_OK(rte_eth_dev_set_mtu(port, step % 2 ? 1500 : 200));
	if (step % 3 == 0)
		CHECK_OK(rte_eth_promiscuous_enable(port));
	else
		CHECK_OK(rte_eth_promiscuous_disable(port));
	CHECK_OK(rte_eth_dev_set_ptypes(port, step % 5 < 2 ? RTE_PTYPE_UNKNOWN :
		RTE_PTYPE_ALL_MASK, NULL, 0));
	for (q = 0; q < *nb_rxq; q++)
		CHECK_EQ(rte_eth_rx_queue_count(port, q), -ENOTSUP);	/* stopped */
	return 0;
}

static int
stop_start_rounds(struct sender *s, struct receiver *r, uint16_t a, uint16_t b)
{
	uint64_t before = rte_get_timer_cycles();
	struct rte_eth_stats sent;
	unsigned int round;
	uint16_t q;

	for (round = 0; round < STOP_ROUNDS; round++) {
		CHECK(receive_some(r, 4 + round % 16) == 0);
		CHECK_OK(rte_eth_dev_stop(b));
		/* Exact at this moment: b is stopped and a's sends are all refused now. */
		if (vt_check_identity(a, b) != 0)
			fprintf(stderr, "round %u\n", round);
		CHECK(vt_check_identity(a, b) == 0);
		/* Sequence numbers are consecutive per tx queue: all before are below. */
		CHECK_OK(rte_eth_stats_get(a, &sent));
		for (q = 0; q < SENDER_TXQ; q++)
			r->floor[q] = sent.q_opackets[q];
		if (round % 10 == 9)
			CHECK(reconfigure(b, round, &r->nb_rxq) == 0);
		CHECK_OK(rte_eth_dev_start(b));
	}
	printf("%u stops in %.2f s, %" PRIu64 " frames received, %" PRIu64 " flushed\n",
		STOP_ROUNDS, (double)(rte_get_timer_cycles() - before) / rte_get_timer_hz(),
		r->received, vt_xstat(b, "rx_flushed_dropped"));
	return 0;
}

VT_CASE(stop_no_slip)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct sender s = { .other = {{ 0x02, 0, 0, 0, 0, 0x99 }} };
	struct receiver r = { .nb_rxq = 1 };
	uint16_t a, b;
	int ret;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", "max_queues=4", &a, &b));
	CHECK_OK(vt_port_setup(a, 1, SENDER_TXQ, 256, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 256, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_macaddr_get(b, &s.dst));
	CHECK_OK(rte_eth_macaddr_get(a, &s.src));
	s.port = a;
	r.port = b;

	CHECK_OK(rte_eal_remote_launch(send_loop, &s, worker));
	ret = stop_start_rounds(&s, &r, a, b);
	s.stop = true;
	CHECK_OK(rte_eal_wait_lcore(worker));
	CHECK_OK(ret);
	/* The last frames: received, then the identity with nothing in flight. */
	CHECK(receive_some(&r, 64) == 0);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(r.received > 0);
	CHECK(vt_xstat(b, "rx_flushed_dropped") > 0);
	CHECK(vt_xstat(b, "rx_otherhost_dropped") > 0);
	CHECK(vt_xstat(b, "rx_oversize_errors") > 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}
