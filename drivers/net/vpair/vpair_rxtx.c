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

uint32_t
vpair_rx_queue_count(void *queue)
{
	const struct vpair_rxq *rxq = queue;
	uint16_t nb_rings = __atomic_load_n(rxq->peer_nb_rings, __ATOMIC_RELAXED);
	uint32_t count = 0;
	uint16_t ring;

	for (ring = rxq->first; ring < nb_rings; ring += rxq->step)
		count += rte_ring_count((struct rte_ring *)(rxq->rings +
			(size_t)ring * rxq->ring_bytes));
	return count;
}

static const uint8_t vpair_cast_of[] = {
	[VPAIR_PKT_HOST] = VPAIR_UNICAST,
	[VPAIR_PKT_BROADCAST] = VPAIR_BROADCAST,
	[VPAIR_PKT_MULTICAST] = VPAIR_MULTICAST,
	[VPAIR_PKT_OTHERHOST] = VPAIR_UNICAST,
};

#define VPAIR_TX_CHUNK 64

/*
 * Transmit up to VPAIR_TX_CHUNK packets through the receiver's filter. Frames the receiver
 * drops are accepted from the caller, freed here and counted by reason; the rest go into
 * the ring. Returns how many of pkts were consumed: always a prefix, so the first frame
 * the ring refused, and every frame after it, stays the caller's untouched.
 */
static uint16_t
vpair_tx_filtered(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rte_mbuf *pass[VPAIR_TX_CHUNK];
	struct rte_mbuf *drop[VPAIR_TX_CHUNK];
	uint32_t len[VPAIR_TX_CHUNK];
	uint8_t verdict[VPAIR_TX_CHUNK];
	uint8_t cls[VPAIR_TX_CHUNK];
	uint64_t cast[VPAIR_NB_CAST] = { 0 };
	uint64_t rx_cast[VPAIR_NB_CAST] = { 0 };
	uint64_t rx_drop[VPAIR_L2_DROP_MAX] = { 0 };
	const int dynfield = txq->dynfield_offset;
	const bool parse = rx->parse;
	uint16_t nb_pass = 0, nb_drop = 0, nb_sent, done, i;
	uint64_t bytes = 0;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		const void *frame = rte_pktmbuf_mtod(m, const void *);

		len[i] = m->pkt_len;
		verdict[i] = vpair_l2_verdict(&rx->filter, frame, m->data_len, len[i], &cls[i]);
		if (verdict[i] != VPAIR_L2_PASS)
			continue;
		if (parse) {
			m->packet_type = vpair_ptype_parse(frame, m->data_len);
			*RTE_MBUF_DYNFIELD(m, dynfield, uint8_t *) = cls[i];
		}
		pass[nb_pass++] = m;
	}

	/* From here on the enqueued mbufs are the peer's: only the local arrays are read. */
	nb_sent = (uint16_t)rte_ring_sp_enqueue_burst(txq->ring, (void **)pass, nb_pass, NULL);
	done = nb_pkts;
	if (unlikely(nb_sent < nb_pass)) {
		uint16_t passed = 0;

		/* Stop at the first frame the ring refused. */
		for (done = 0;; done++)
			if (verdict[done] == VPAIR_L2_PASS && passed++ == nb_sent)
				break;
	}

	for (i = 0; i < done; i++) {
		enum vpair_cast c = vpair_cast_of[cls[i]];

		bytes += len[i];
		if (verdict[i] == VPAIR_L2_PASS) {
			cast[c]++;
			rx_cast[c]++;
			continue;
		}
		rx_drop[verdict[i]]++;
		drop[nb_drop++] = pkts[i];
		/* A runt or oversize frame was refused before its address was read. */
		if (verdict[i] != VPAIR_L2_DROP_RUNT && verdict[i] != VPAIR_L2_DROP_OVERSIZE)
			cast[c]++;
	}
	rte_pktmbuf_free_bulk(drop, nb_drop);

	VPAIR_COUNT(txq->c.packets, done);
	VPAIR_COUNT(txq->c.bytes, bytes);
	for (i = 0; i < VPAIR_NB_CAST; i++) {
		VPAIR_COUNT(txq->c.cast[i], cast[i]);
		VPAIR_COUNT(txq->c.rx_cast[i], rx_cast[i]);
	}
	for (i = VPAIR_L2_PASS + 1; i < VPAIR_L2_DROP_MAX; i++)
		VPAIR_COUNT(txq->c.rx_drop[i], rx_drop[i]);
	return done;
}

uint16_t
vpair_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vpair_txq *txq = queue;
	const struct vpair_rx_policy *rx = txq->peer;
	uint32_t mtu = rx->filter.mtu;
	uint64_t bytes = 0;
	uint32_t longest = 0;
	uint16_t nb_tx;
	uint16_t i;

	/* Like a NIC without carrier: refuse, and leave the packets to the caller. */
	if (unlikely(!*txq->carrier)) {
		VPAIR_COUNT(txq->c.link_down, nb_pkts);
		return 0;
	}

	if (rx->classify)
		goto filtered;

	/*
	 * The receiver takes every address and parses nothing: only the length rule is left.
	 * Once enqueued, a packet belongs to the peer's rx thread, which may free it at once:
	 * sum the lengths before, and take back those of the packets the ring refused.
	 */
	for (i = 0; i < nb_pkts; i++) {
		uint32_t len = pkts[i]->pkt_len;

		bytes += len;
		/* Unsigned: a runt wraps around to a huge value, caught by the same compare. */
		longest = RTE_MAX(longest, len - RTE_ETHER_HDR_LEN);
	}
	if (unlikely(longest > mtu))
		goto filtered;

	nb_tx = (uint16_t)rte_ring_sp_enqueue_burst(txq->ring, (void **)pkts, nb_pkts, NULL);
	for (i = nb_tx; i < nb_pkts; i++)
		bytes -= pkts[i]->pkt_len;

	VPAIR_COUNT(txq->c.packets, nb_tx);
	VPAIR_COUNT(txq->c.bytes, bytes);
	VPAIR_COUNT(txq->c.ring_full, nb_pkts - nb_tx);
	return nb_tx;

filtered:
	for (nb_tx = 0; nb_tx < nb_pkts; ) {
		uint16_t chunk = RTE_MIN(nb_pkts - nb_tx, VPAIR_TX_CHUNK);
		uint16_t done = vpair_tx_filtered(txq, rx, pkts + nb_tx, chunk);

		nb_tx += done;
		if (done < chunk)
			break;	/* the ring is full */
	}
	VPAIR_COUNT(txq->c.ring_full, nb_pkts - nb_tx);
	return nb_tx;
}
