/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * The fast path. No locks, no atomic read-modify-write: each queue is used by one thread,
 * each ring has one producer (a tx queue) and one consumer (an rx queue), and every counter
 * has a single writer. Packets are passed by pointer, never copied.
 */

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "vpair.h"

static inline uint16_t
vpair_ring_dequeue(char *ring, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	return (uint16_t)rte_ring_sc_dequeue_burst((struct rte_ring *)ring, (void **)pkts,
		nb_pkts, NULL);
}

/* Several peer tx queues map onto this rx queue: poll their rings round robin. */
static uint16_t
vpair_rx_rings(struct vpair_rxq *rxq, uint16_t nb_rings, struct rte_mbuf **pkts,
	uint16_t nb_pkts)
{
	uint16_t ring = rxq->next;
	uint16_t nb_rx = 0;
	uint16_t polled;

	if (ring >= nb_rings)
		ring = rxq->first;
	for (polled = rxq->first; polled < nb_rings && nb_rx < nb_pkts;
			polled += rxq->step) {
		nb_rx += vpair_ring_dequeue(rxq->rings + (size_t)ring * rxq->ring_bytes,
			pkts + nb_rx, nb_pkts - nb_rx);
		ring += rxq->step;
		if (ring >= nb_rings)
			ring = rxq->first;
	}
	rxq->next = ring;
	return nb_rx;
}

uint16_t
vpair_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vpair_rxq *rxq = queue;
	uint16_t nb_rings = __atomic_load_n(rxq->peer_nb_rings, __ATOMIC_RELAXED);
	uint64_t bytes = 0;
	uint16_t nb_rx;
	uint16_t i;

	if (likely(nb_rings <= rxq->first + rxq->step)) {
		if (unlikely(nb_rings <= rxq->first))
			return 0;
		nb_rx = vpair_ring_dequeue(rxq->rings + (size_t)rxq->first * rxq->ring_bytes,
			pkts, nb_pkts);
	} else {
		nb_rx = vpair_rx_rings(rxq, nb_rings, pkts, nb_pkts);
	}

	for (i = 0; i < nb_rx; i++) {
		pkts[i]->port = rxq->port_id;
		bytes += pkts[i]->pkt_len;
	}
	VPAIR_COUNT(rxq->c.packets, nb_rx);
	VPAIR_COUNT(rxq->c.bytes, bytes);
	return nb_rx;
}

uint16_t
vpair_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vpair_txq *txq = queue;
	uint64_t bytes = 0;
	uint16_t nb_tx;
	uint16_t i;

	/* Like a NIC without carrier: refuse, and leave the packets to the caller. */
	if (unlikely(!*txq->carrier)) {
		VPAIR_COUNT(txq->c.link_down, nb_pkts);
		return 0;
	}

	/*
	 * Once enqueued, a packet belongs to the peer's rx thread, which may free it at once:
	 * sum the lengths before, and take back those of the packets the ring refused.
	 */
	for (i = 0; i < nb_pkts; i++)
		bytes += pkts[i]->pkt_len;
	nb_tx = (uint16_t)rte_ring_sp_enqueue_burst(txq->ring, (void **)pkts, nb_pkts, NULL);
	for (i = nb_tx; i < nb_pkts; i++)
		bytes -= pkts[i]->pkt_len;

	VPAIR_COUNT(txq->c.packets, nb_tx);
	VPAIR_COUNT(txq->c.bytes, bytes);
	VPAIR_COUNT(txq->c.ring_full, nb_pkts - nb_tx);
	return nb_tx;
}
