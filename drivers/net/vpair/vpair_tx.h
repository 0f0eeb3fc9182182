/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef VPAIR_TX_H
#define VPAIR_TX_H

/*
 * What the two halves of the tx path share: the fast path (vpair_rxtx.c) and the frames it
 * hands to the offload path (vpair_offload.c).
 */

#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_ring_peek_zc.h>

#include "vpair.h"

/* The mbuf's own state in ol_flags, not a flag about the frame: never cleared. */
#define VPAIR_MBUF_STATE	(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL)
/* Tx flags that only describe the frame: nothing to do, cleared like Rx flags. */
#define VPAIR_TX_INFO (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_OUTER_IPV4 | \
	RTE_MBUF_F_TX_OUTER_IPV6 | RTE_MBUF_F_TX_TUNNEL_MASK | RTE_MBUF_F_TX_IEEE1588_TMST)
/* Requests: a frame with one of these goes to the offload path. */
#define VPAIR_TX_WORK		(RTE_MBUF_F_TX_OFFLOAD_MASK & ~VPAIR_TX_INFO)

/* Room this queue's nb_desc leaves: the ring itself is sized for max_desc. */
static inline unsigned int
vpair_txq_room(const struct vpair_txq *txq)
{
	unsigned int used = rte_ring_count(txq->ring);

	return used < txq->nb_desc ? txq->nb_desc - used : 0;
}

/*
 * Frame m, of len bytes, into slot sp, for the receiver's port; the slot gets the ring's
 * running byte total with it, which is returned.
 */
static __rte_always_inline uint64_t
vpair_slot_put(struct vpair_slot *sp, struct rte_mbuf *m, uint16_t port, uint32_t len,
	uint64_t total)
{
	m->port = port;
	sp->m = m;
	sp->bytes_total = total + len;
	return total + len;
}

/*
 * Write frames into consecutive slots [sp, end): each frame gets the receiver's port, each
 * slot the ring's running byte total. With `check`, the first frame that is not a
 * consistent single segment of at most mtu + 14 bytes without flags ends the run,
 * unwritten. Returns where it stopped in pkts.
 */
static __rte_always_inline struct rte_mbuf **
vpair_slots_fill(struct vpair_slot *sp, struct vpair_slot *const end, struct rte_mbuf **pp,
	const bool check, uint32_t mtu, uint16_t port, uint64_t *bytes_total)
{
	uint64_t total = *bytes_total;
	uint64_t odd_flags = ~VPAIR_MBUF_STATE;

	/* A 64-bit constant, kept in a register rather than rebuilt for every frame. */
	__asm__("" : "+r"(odd_flags));
	/* Within this MTU a frame's length fits data_len's 16 bits, so those are compared. */
	mtu = RTE_MIN(mtu, (uint32_t)UINT16_MAX - RTE_ETHER_HDR_LEN);
	for (; sp != end; sp++, pp++) {
		struct rte_mbuf *m = *pp;
		const uint32_t pkt_len = m->pkt_len;

		/* Unsigned: a runt wraps around to a huge length, caught the same way. */
		if (check && unlikely(pkt_len - RTE_ETHER_HDR_LEN > mtu || m->nb_segs != 1 ||
				(uint16_t)pkt_len != m->data_len || (m->ol_flags & odd_flags) != 0))
			break;
		total = vpair_slot_put(sp, m, port, pkt_len, total);
	}
	*bytes_total = total;
	return pp;
}

/*
 * Put n frames into the queue's ring, which has room for them (struct vpair_slot), so that
 * the receiver touches no frame. Nothing is published before the last slot is written; once
 * it is, a frame is the peer's rx thread's, and nothing here reads it again.
 * With `check` (the plain path), see vpair_slots_fill(). Returns how many went in.
 */
static __rte_always_inline unsigned int
vpair_ring_fill(struct vpair_txq *txq, struct rte_mbuf **pkts, unsigned int n,
	const bool check, uint32_t mtu)
{
	const uint16_t port = txq->peer_port_id;
	uint64_t total = txq->ring_bytes_total;
	struct rte_ring_zc_data zcd = { 0 };
	struct vpair_slot *s1, *s2;
	struct rte_mbuf **pp;
	unsigned int i;

	if (n == 0)
		return 0;
	/* The caller saw the room: all n slots are there. */
	n = rte_ring_enqueue_zc_burst_elem_start(txq->ring, sizeof(struct vpair_slot), n, &zcd,
		NULL);
	s1 = zcd.ptr1;
	pp = vpair_slots_fill(s1, s1 + zcd.n1, pkts, check, mtu, port, &total);
	/* Once per lap of the ring, the slots wrap. */
	if (unlikely(n != zcd.n1) && pp == pkts + zcd.n1) {
		s2 = zcd.ptr2;
		pp = vpair_slots_fill(s2, s2 + (n - zcd.n1), pp, check, mtu, port, &total);
	}
	i = pp - pkts;
	rte_ring_enqueue_zc_elem_finish(txq->ring, i);
	txq->ring_bytes_total = total;
	return i;
}

static inline void
vpair_ring_put(struct vpair_txq *txq, struct rte_mbuf **pkts, unsigned int n)
{
	vpair_ring_fill(txq, pkts, n, false, 0);
}

bool vpair_chain_malformed(const struct rte_mbuf *m);

/* An mbuf that does not describe one frame of pkt_len bytes: not sent, counted. */
static inline bool
vpair_malformed(const struct rte_mbuf *m)
{
	if (likely(m->nb_segs == 1))
		return m->pkt_len != m->data_len;
	return vpair_chain_malformed(m);
}

/* Whether a frame the fast path took needs the offload path towards a receiver. */
static inline bool
vpair_tx_needs_offload(const struct rte_mbuf *m, uint8_t rx_offloads)
{
	return (m->ol_flags & VPAIR_TX_WORK) != 0 ||
		(m->nb_segs > 1 && !(rx_offloads & VPAIR_RX_SCATTER)) ||
		(rx_offloads & VPAIR_RX_VLAN_STRIP);
}

static const uint8_t vpair_cast_of[] = {
	[RTE_PMD_VPAIR_PKT_HOST] = VPAIR_UNICAST,
	[RTE_PMD_VPAIR_PKT_BROADCAST] = VPAIR_BROADCAST,
	[RTE_PMD_VPAIR_PKT_MULTICAST] = VPAIR_MULTICAST,
	[RTE_PMD_VPAIR_PKT_OTHERHOST] = VPAIR_UNICAST,
};

/*
 * vpair_offload.c: send one frame that needs the offload path. False, the frame untouched,
 * when the ring has no room for what it becomes; true once it is consumed: sent, as one
 * frame or its segments, or dropped and counted.
 */
bool vpair_tx_offload(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct rte_mbuf *m);

#endif /* VPAIR_TX_H */
