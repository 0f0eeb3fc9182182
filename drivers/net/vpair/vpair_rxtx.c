/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * The fast path. No locks, no atomic read-modify-write: each queue is used by one thread,
 * each ring has one producer (a tx queue) and one consumer (an rx queue), and every counter
 * has a single writer. Packets are passed by pointer, never copied: frames that need work
 * for their offload requests or the receiver's Rx offloads go, one by one, to
 * vpair_offload.c.
 */

#include <rte_mbuf.h>
#include <rte_ring.h>
#if defined(RTE_ARCH_X86)
#include <emmintrin.h>
#endif

#include "vpair.h"
#include "vpair_tx.h"

/* Ring i of the peer side, of those this queue may poll. */
static inline struct rte_ring *
vpair_rxq_ring(const struct vpair_rxq *rxq, uint16_t i)
{
	return (struct rte_ring *)(rxq->rings + (size_t)i * rxq->ring_bytes);
}

/* The frames of n consecutive slots, which are 16-byte aligned (ring elements of 16 bytes). */
static __rte_always_inline void
vpair_slots_take(struct rte_mbuf **pkts, const struct vpair_slot *s, unsigned int n)
{
	const struct vpair_slot *const end = s + n;

#if defined(RTE_ARCH_X86)
	const struct vpair_slot *const end4 = s + (n & ~3u);

	/* Two slots' frames per 16-byte store. */
	for (; s != end4; s += 4, pkts += 4) {
		const __m128i *v = (const __m128i *)(const void *)s;

		_mm_storeu_si128((__m128i *)(void *)pkts,
			_mm_unpacklo_epi64(_mm_load_si128(v), _mm_load_si128(v + 1)));
		_mm_storeu_si128((__m128i *)(void *)(pkts + 2),
			_mm_unpacklo_epi64(_mm_load_si128(v + 2), _mm_load_si128(v + 3)));
	}
#endif
	for (; s != end; s++, pkts++)
		*pkts = s->m;
}

/*
 * Take up to nb_pkts frames of ring i; their bytes come from the running total in the last
 * slot (struct vpair_slot), so no frame is touched.
 */
static inline uint16_t
vpair_ring_take(struct vpair_rxq *rxq, uint16_t i, struct rte_mbuf **pkts, uint16_t nb_pkts,
	uint64_t *bytes)
{
	struct rte_ring *ring = vpair_rxq_ring(rxq, i);
	struct vpair_ring_cons *cons = &rxq->cons[i];
	const struct vpair_slot *s1, *s2;
	struct rte_ring_zc_data zcd = { 0 };
	unsigned int n, n2;
	uint64_t total;

	n = rte_ring_dequeue_zc_burst_elem_start(ring, sizeof(struct vpair_slot), nb_pkts,
		&zcd, NULL);
	if (n == 0)
		return 0;
	s1 = zcd.ptr1;
	s2 = zcd.ptr2;
	n2 = n - zcd.n1;
	vpair_slots_take(pkts, s1, zcd.n1);
	if (unlikely(n2 != 0))
		vpair_slots_take(pkts + zcd.n1, s2, n2);
	total = n2 != 0 ? s2[n2 - 1].bytes_total : s1[n - 1].bytes_total;
	rte_ring_dequeue_zc_elem_finish(ring, n);
	*bytes += total - cons->bytes_total;
	cons->bytes_total = total;
	return (uint16_t)n;
}

/* Several peer tx queues map onto this rx queue: poll their rings round robin. */
static uint16_t
vpair_rx_rings(struct vpair_rxq *rxq, uint16_t nb_rings, struct rte_mbuf **pkts,
	uint16_t nb_pkts, uint64_t *bytes)
{
	uint16_t ring = rxq->next;
	uint16_t nb_rx = 0;
	uint16_t polled;

	if (ring >= nb_rings)
		ring = rxq->first;
	for (polled = rxq->first; polled < nb_rings && nb_rx < nb_pkts;
			polled += rxq->step) {
		nb_rx += vpair_ring_take(rxq, ring, pkts + nb_rx, nb_pkts - nb_rx, bytes);
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

	if (likely(nb_rings <= rxq->first + rxq->step)) {
		if (unlikely(nb_rings <= rxq->first))
			return 0;
		nb_rx = vpair_ring_take(rxq, rxq->first, pkts, nb_pkts, &bytes);
	} else {
		nb_rx = vpair_rx_rings(rxq, nb_rings, pkts, nb_pkts, &bytes);
	}
	if (nb_rx == 0)
		return 0;
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

	/* Never started, the queue takes no ring yet (and its step is 0). */
	if (rxq->step == 0)
		return 0;
	for (ring = rxq->first; ring < nb_rings; ring += rxq->step)
		count += rte_ring_count(vpair_rxq_ring(rxq, ring));
	return count;
}

/* value: the ring's producer tail now; opaque[0]: where its consumer, this queue, is. */
static int
vpair_monitor_wake(const uint64_t value, const uint64_t opaque[RTE_POWER_MONITOR_OPAQUE_SZ])
{
	return value == opaque[0] ? 0 : -1;
}

/*
 * rte_power_monitor(): sleep until the peer's tx moves the producer tail of the ring this
 * queue reads (the public rte_ring_headtail, only read). One address: a queue that polls
 * several rings cannot sleep on one of them.
 */
int
vpair_get_monitor_addr(void *queue, struct rte_power_monitor_cond *pmc)
{
	const struct vpair_rxq *rxq = queue;
	uint16_t nb_rings = __atomic_load_n(rxq->peer_nb_rings, __ATOMIC_RELAXED);
	const struct rte_ring *ring;

	if (rxq->step != 0 && nb_rings > rxq->first + rxq->step)
		return -ENOTSUP;
	ring = vpair_rxq_ring(rxq, rxq->first);
	pmc->addr = (volatile void *)(uintptr_t)&ring->prod.tail;
	pmc->opaque[0] = __atomic_load_n(&ring->cons.tail, __ATOMIC_RELAXED);
	pmc->fn = vpair_monitor_wake;
	pmc->size = sizeof(ring->prod.tail);
	return 0;
}

/* Consistent with rx_queue_count: the first `count` descriptors hold a packet. */
int
vpair_rx_descriptor_status(void *queue, uint16_t offset)
{
	const struct vpair_rxq *rxq = queue;

	if (offset >= rxq->nb_desc)
		return -EINVAL;
	return offset < vpair_rx_queue_count(queue) ? RTE_ETH_RX_DESC_DONE : RTE_ETH_RX_DESC_AVAIL;
}

/* A packet still in the ring waits for the peer, as one a NIC has not sent yet. */
int
vpair_tx_descriptor_status(void *queue, uint16_t offset)
{
	const struct vpair_txq *txq = queue;

	if (offset >= txq->nb_desc)
		return -EINVAL;
	return offset < rte_ring_count(txq->ring) ? RTE_ETH_TX_DESC_FULL : RTE_ETH_TX_DESC_DONE;
}

/* The segments of a chain must add up to its pkt_len and nb_segs. */
__rte_noinline bool
vpair_chain_malformed(const struct rte_mbuf *m)
{
	const struct rte_mbuf *seg = m;
	uint32_t len = 0;
	uint16_t n;

	/* Bounded by nb_segs, so a chain that loops back cannot hold us. */
	for (n = 0; n < m->nb_segs && seg != NULL; n++, seg = seg->next)
		len += seg->data_len;
	return n != m->nb_segs || seg != NULL || len != m->pkt_len;
}

#define VPAIR_TX_CHUNK 64
#define VPAIR_LANE(i)		(UINT64_C(1) << (16 * (i)))
#define VPAIR_LANE_GET(v, i)	(((v) >> (16 * (i))) & 0xffff)
_Static_assert(VPAIR_NB_CAST <= 4 && VPAIR_L2_NB_DROPS <= 4 && VPAIR_TX_CHUNK < 0xffff,
	"tallies fit 16-bit lanes of a uint64_t");

/*
 * What a chunk's frames outside the inline cases came to: per-class and per-reason tallies
 * of at most VPAIR_TX_CHUNK, in 16-bit lanes.
 */
struct vpair_tx_tally {
	uint64_t passed;	/* by cast */
	uint64_t filtered;	/* by cast: dropped by address */
	uint64_t reasons;	/* by drop reason */
	uint32_t dropped_bytes;
	uint16_t nb_passed;	/* the sum of passed */
	uint16_t malformed;
	bool chained;
};

#define VPAIR_TX_DROPPED	(-1)
#define VPAIR_TX_NO_SLOT	(-2)

/*
 * A frame the inline test did not settle: a chain, a malformed mbuf, a length the MTU rule
 * must look at closer, a group address, a secondary MAC, or another host's address towards
 * a port that may refuse it. Returns its class when it passes, VPAIR_TX_DROPPED when the
 * receiver drops it or it is malformed, counted in t either way; with `full` (no slot
 * left), VPAIR_TX_NO_SLOT, uncounted, for a frame that would pass.
 */
static __rte_noinline int
vpair_tx_judge(const struct vpair_rx_policy *rx, const struct rte_mbuf *m,
	struct vpair_tx_tally *t, bool full)
{
	enum vpair_l2_drop verdict;
	enum vpair_cast c;
	uint8_t cls;

	if (vpair_malformed(m)) {
		t->malformed++;
		return VPAIR_TX_DROPPED;
	}
	verdict = vpair_l2_verdict(&rx->filter, rte_pktmbuf_mtod(m, const void *), m->data_len,
		m->pkt_len, &cls);
	c = vpair_cast_of[cls];
	if (likely(verdict == VPAIR_L2_PASS)) {
		if (full)
			return VPAIR_TX_NO_SLOT;
		if (m->nb_segs != 1)
			t->chained = true;
		t->passed += VPAIR_LANE(c);
		t->nb_passed++;
		return cls;
	}
	t->reasons += VPAIR_LANE(verdict);
	/* A runt or oversize frame is refused before its address is read. */
	if (verdict != VPAIR_L2_DROP_RUNT && verdict != VPAIR_L2_DROP_OVERSIZE)
		t->filtered += VPAIR_LANE(c);
	t->dropped_bytes += m->pkt_len;
	return VPAIR_TX_DROPPED;
}

/*
 * The class of an inline frame to a group address (dst from vpair_l2_load_dst()) that the
 * receiver takes, tallied in t; -1 for one it may refuse, left to vpair_tx_judge().
 */
static __rte_always_inline int
vpair_tx_group(const struct vpair_l2_filter *f, uint64_t dst, struct vpair_tx_tally *t)
{
	const uint64_t key = dst & VPAIR_L2_KEY_BCAST;
	int cls;

	if (key == VPAIR_L2_KEY_BCAST)
		cls = RTE_PMD_VPAIR_PKT_BROADCAST;
	else if (f->allmulti || vpair_l2_mc_match(f, key))
		cls = RTE_PMD_VPAIR_PKT_MULTICAST;
	else
		return -1;
	t->passed += VPAIR_LANE(vpair_cast_of[cls]);
	t->nb_passed++;
	return cls;
}

/* The class of an inline frame to another address than the port's; -1: for the judge. */
static __rte_always_inline int
vpair_tx_other(const struct vpair_l2_filter *f, uint64_t dst, const bool any_unicast,
	struct vpair_tx_tally *t)
{
	if (unlikely(dst & VPAIR_L2_KEY_GROUP))
		return vpair_tx_group(f, dst, t);
	return any_unicast ? RTE_PMD_VPAIR_PKT_OTHERHOST : -1;
}

/*
 * Whether a chunk's frames hold one for the offload path; if not, clears the flags that ask
 * nothing.
 */
static __rte_noinline bool
vpair_tx_flags(struct rte_mbuf **pkts, uint16_t n, uint64_t flags, bool chained,
	uint8_t rx_offloads, struct vpair_slot *slot, uint16_t nb_pass)
{
	uint16_t k;

	if ((flags & VPAIR_TX_WORK) != 0 || chained)
		for (k = 0; k < n; k++)
			if (vpair_tx_needs_offload(pkts[k], rx_offloads))
				return true;
	/* Rx flags of where the sender got them, Tx flags that ask nothing. */
	for (k = 0; k < nb_pass; k++)
		slot[k].m->ol_flags &= VPAIR_MBUF_STATE;
	return false;
}

/*
 * Count a chunk: i frames consumed, nb_pass of them into the ring with `bytes`, the
 * inline ones all unicast; free the dropped ones.
 */
static __rte_always_inline void
vpair_tx_count(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct vpair_tx_tally *t, uint16_t i, uint16_t nb_pass, uint64_t bytes,
	struct rte_mbuf **drop, uint16_t nb_drop)
{
	const uint16_t nb_inline = nb_pass - t->nb_passed;
	uint16_t k;

	VPAIR_COUNT(txq->c.packets, i - t->malformed);
	VPAIR_COUNT(txq->c.bytes, bytes + t->dropped_bytes);
	if (likely((t->passed | t->filtered) == 0)) {
		if (rx->classify) {
			VPAIR_COUNT(txq->c.cast[VPAIR_UNICAST], nb_inline);
			VPAIR_COUNT(txq->c.rx_cast[VPAIR_UNICAST], nb_inline);
		}
	} else if (rx->classify) {
		t->passed += nb_inline * VPAIR_LANE(VPAIR_UNICAST);
		for (k = 0; k < VPAIR_NB_CAST; k++) {
			VPAIR_COUNT(txq->c.cast[k], VPAIR_LANE_GET(t->passed + t->filtered, k));
			VPAIR_COUNT(txq->c.rx_cast[k], VPAIR_LANE_GET(t->passed, k));
		}
	}
	if (nb_drop != 0) {
		rte_pktmbuf_free_bulk(drop, nb_drop);
		VPAIR_COUNT(txq->c.malformed, t->malformed);
		for (k = 0; k < VPAIR_L2_NB_DROPS; k++)
			VPAIR_COUNT(txq->c.rx_drop[k], VPAIR_LANE_GET(t->reasons, k));
	}
}

/*
 * Transmit up to VPAIR_TX_CHUNK frames through the receiver's filter, and its parser with
 * `parse`, in one pass that writes each passing frame's ring slot as it goes. Frames the
 * receiver drops, and malformed mbufs, are accepted from the caller, freed here and counted
 * by reason. Returns how many of pkts were consumed: a prefix, ending before the first frame
 * that would pass once the ring has no slot left; that frame and those after it stay the
 * caller's, unwritten. (As a NIC's filter, which drops before its full queue would.)
 *
 * The receiver's policy is read once per chunk. Inline, each frame gets one length test and
 * one masked 8-byte compare of its destination with the receiver's MAC; then, if need be, a
 * test of the group bit (any unicast address, towards a port that takes them all; broadcast;
 * a multicast group the port takes). Everything else goes out of line to vpair_tx_judge().
 * The classes of the inline frames are counted per chunk.
 *
 * Offloads cost one OR per frame: should the chunk hold a frame for the offload path, it
 * consumes none of its frames (their packet types and port may be written already) and sets
 * *offload for the caller to take the chunk frame by frame.
 */
static __rte_always_inline uint16_t
vpair_tx_inspect(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct rte_mbuf **pkts, uint16_t nb_pkts, uint8_t rx_offloads, const bool parse,
	const bool any_unicast, bool *offload)
{
	const uint64_t own = rx->filter.uc[0];
	/* Inline frames have 8 bytes to read, or all the inline parser may read. */
	const uint32_t min_len = parse ? VPAIR_PTYPE_LONG : RTE_ETHER_HDR_LEN;
	/* Within this MTU a frame's length fits data_len's 16 bits, so those are compared. */
	const uint32_t span = RTE_MIN((uint32_t)rx->filter.mtu + RTE_ETHER_HDR_LEN,
		(uint32_t)UINT16_MAX) - min_len;
	const uint16_t port = txq->peer_port_id;
	const int dynfield = txq->dynfield_offset;
	struct vpair_slot wrapped[VPAIR_TX_CHUNK];
	struct rte_mbuf *drop[VPAIR_TX_CHUNK];
	struct vpair_tx_tally t = { 0 };
	struct rte_ring_zc_data zcd = { 0 };
	uint64_t total = txq->ring_bytes_total;
	const uint64_t before = total;
	uint64_t flags = 0;
	uint16_t nb_pass, nb_drop = 0, i, k;
	struct rte_mbuf **pp = pkts, **end;
	struct rte_mbuf **const last = pkts + nb_pkts;
	struct vpair_slot *slot, *sp, *slot_end;
	unsigned int n;

	n = RTE_MIN(nb_pkts, vpair_txq_room(txq));
	if (likely(n != 0))
		n = rte_ring_enqueue_zc_burst_elem_start(txq->ring, sizeof(struct vpair_slot), n,
			&zcd, NULL);
	/* Once per lap of the ring, the slots wrap: written here, copied at the end. */
	slot = zcd.n1 >= n ? zcd.ptr1 : wrapped;
	sp = slot;
	slot_end = slot + n;
	/* A frame takes at most one slot: the next slot_end - sp frames always fit. */
	while (sp != slot_end && pp != last) {
		end = pp + RTE_MIN(last - pp, slot_end - sp);
		for (; pp != end; pp++) {
			struct rte_mbuf *m = *pp;
			const uint32_t len = m->pkt_len;
			const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
			uint64_t dst;
			int cls;

			flags |= m->ol_flags;
			/* One consistent segment within the MTU, of at least min_len bytes. */
			if (unlikely(len - min_len > span || m->nb_segs != 1 ||
					(uint16_t)len != m->data_len))
				goto judge;
			dst = vpair_l2_load_dst(frame);
			if (likely(vpair_l2_key_eq(dst, own))) {
				cls = RTE_PMD_VPAIR_PKT_HOST;
			} else {
				cls = vpair_tx_other(&rx->filter, dst, any_unicast, &t);
				if (cls < 0)
					goto judge;
			}
			if (parse) {
				m->packet_type = vpair_ptype_parse_long(frame, len);
				*RTE_MBUF_DYNFIELD(m, dynfield, uint8_t *) = cls;
			}
pass:
			total = vpair_slot_put(sp++, m, port, len, total);
			continue;
judge:
			cls = vpair_tx_judge(rx, m, &t, false);
			if (cls < 0) {
				drop[nb_drop++] = m;
				continue;
			}
			if (parse) {
				m->packet_type = vpair_ptype_parse(frame, m->data_len);
				*RTE_MBUF_DYNFIELD(m, dynfield, uint8_t *) = cls;
			}
			goto pass;
		}
	}
	i = pp - pkts;
	nb_pass = sp - slot;
	/* No slot left: what the receiver drops is still taken, up to a frame that passes. */
	while (i < nb_pkts && !(pkts[i]->ol_flags & VPAIR_TX_WORK) &&
			vpair_tx_judge(rx, pkts[i], &t, true) == VPAIR_TX_DROPPED)
		drop[nb_drop++] = pkts[i++];

	if (unlikely((flags & ~VPAIR_MBUF_STATE) != 0 ||
			(t.chained && !(rx_offloads & VPAIR_RX_SCATTER))) &&
			vpair_tx_flags(pkts, i, flags, t.chained, rx_offloads, slot, nb_pass)) {
		if (n != 0)
			rte_ring_enqueue_zc_elem_finish(txq->ring, 0);
		*offload = true;
		return 0;
	}
	if (unlikely(slot == wrapped)) {
		k = RTE_MIN(nb_pass, (uint16_t)zcd.n1);
		memcpy(zcd.ptr1, wrapped, k * sizeof(*slot));
		memcpy(zcd.ptr2, wrapped + k, (nb_pass - k) * sizeof(*slot));
	}
	if (n != 0)
		rte_ring_enqueue_zc_elem_finish(txq->ring, nb_pass);
	txq->ring_bytes_total = total;
	vpair_tx_count(txq, rx, &t, i, nb_pass, total - before, drop, nb_drop);
	return i;
}

static __rte_noinline uint16_t vpair_tx_careful(struct vpair_txq *txq,
	const struct vpair_rx_policy *rx, struct rte_mbuf **pkts, uint16_t nb_pkts,
	uint8_t rx_offloads);

/* The filtered path, chunk by chunk; a chunk with frames for the offload path goes careful. */
static __rte_always_inline uint16_t
vpair_tx_chunks(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct rte_mbuf **pkts, uint16_t nb_pkts, uint8_t rx_offloads, const bool parse,
	const bool any_unicast)
{
	uint16_t nb_tx = 0;

	while (nb_tx < nb_pkts) {
		uint16_t chunk = RTE_MIN(nb_pkts - nb_tx, VPAIR_TX_CHUNK);
		bool offload = false;
		uint16_t done;

		done = vpair_tx_inspect(txq, rx, pkts + nb_tx, chunk, rx_offloads, parse,
			any_unicast, &offload);
		if (unlikely(offload))
			done = vpair_tx_careful(txq, rx, pkts + nb_tx, chunk, rx_offloads);
		nb_tx += done;
		if (done < chunk)
			break;	/* the ring is full */
	}
	return nb_tx;
}

/*
 * Frames through the receiver's filter (and parser), in the variant its policy needs, read
 * once; frames that need the offload path through it, in order. Returns how many of pkts
 * were consumed.
 */
static __rte_noinline uint16_t
vpair_tx_filtered(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const uint8_t rx_offloads = __atomic_load_n(&rx->offloads, __ATOMIC_ACQUIRE);
	/* Another unicast address passes as OTHERHOST, without a look at the secondary MACs. */
	const bool any_unicast = rx->filter.promisc && rx->filter.uc_valid == 1;

	/* A port that strips tags has every frame looked at. */
	if (unlikely(rx_offloads & VPAIR_RX_VLAN_STRIP))
		return vpair_tx_careful(txq, rx, pkts, nb_pkts, rx_offloads);
	if (rx->parse) {
		if (any_unicast)
			return vpair_tx_chunks(txq, rx, pkts, nb_pkts, rx_offloads, true, true);
		return vpair_tx_chunks(txq, rx, pkts, nb_pkts, rx_offloads, true, false);
	}
	if (any_unicast)
		return vpair_tx_chunks(txq, rx, pkts, nb_pkts, rx_offloads, false, true);
	return vpair_tx_chunks(txq, rx, pkts, nb_pkts, rx_offloads, false, false);
}

/*
 * The plain path: n frames (the ring has room for them) into the ring in one pass, each
 * checked as its slot is written (vpair_ring_fill). Returns how many went in.
 */
static inline uint16_t
vpair_tx_plain(struct vpair_txq *txq, struct rte_mbuf **pkts, uint16_t n, uint16_t mtu)
{
	const uint64_t before = txq->ring_bytes_total;
	unsigned int done = vpair_ring_fill(txq, pkts, n, true, mtu);

	VPAIR_COUNT(txq->c.packets, done);
	VPAIR_COUNT(txq->c.bytes, txq->ring_bytes_total - before);
	return (uint16_t)done;
}

/* Leading frames of pkts that the offload path has nothing to do for. */
static uint16_t
vpair_tx_run(struct rte_mbuf * const *pkts, uint16_t nb_pkts, uint8_t rx_offloads)
{
	uint16_t i;

	for (i = 0; i < nb_pkts; i++)
		if (vpair_tx_needs_offload(pkts[i], rx_offloads))
			break;
	return i;
}

/*
 * A chunk that holds frames for the offload path: runs of the others through the filter,
 * each of those through the offload path, in order. Returns how many were consumed.
 */
static __rte_noinline uint16_t
vpair_tx_careful(struct vpair_txq *txq, const struct vpair_rx_policy *rx,
	struct rte_mbuf **pkts, uint16_t nb_pkts, uint8_t rx_offloads)
{
	uint16_t i = 0;

	while (i < nb_pkts) {
		uint16_t run = vpair_tx_run(pkts + i, nb_pkts - i, rx_offloads);
		uint16_t done;

		if (run == 0) {
			if (!vpair_tx_offload(txq, rx, pkts[i]))
				break;	/* no room for what it becomes */
			i++;
			continue;
		}
		/* None of the run needs the offload path, so it does not come back here. */
		done = vpair_tx_filtered(txq, rx, pkts + i, run);
		i += done;
		if (done < run)
			break;	/* the ring is full */
	}
	return i;
}

static uint16_t
vpair_tx(struct vpair_txq *txq, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct vpair_rx_policy *rx = txq->peer;
	uint16_t nb_tx = 0, room;

	if (rx->inspect)
		goto filtered;

	/*
	 * The receiver takes every address and parses nothing: only the length rule is left.
	 * Frames each in one consistent segment, without flags, go straight into the slots
	 * that fit, checked as they are written; the first other frame ends the run, and it and
	 * those after it take the filtered path. Nothing is published before the run is done:
	 * once it is, a frame is the peer's rx thread's, which may free it at once.
	 */
	room = (uint16_t)RTE_MIN(nb_pkts, vpair_txq_room(txq));
	nb_tx = vpair_tx_plain(txq, pkts, room, rx->filter.mtu);
	if (likely(nb_tx == room)) {
		if (unlikely(nb_tx != nb_pkts))
			VPAIR_COUNT(txq->c.ring_full, nb_pkts - nb_tx);
		return nb_tx;
	}

filtered:
	nb_tx += vpair_tx_filtered(txq, rx, pkts + nb_tx, nb_pkts - nb_tx);
	if (unlikely(nb_tx != nb_pkts))
		VPAIR_COUNT(txq->c.ring_full, nb_pkts - nb_tx);
	return nb_tx;
}

/*
 * The receiver sleeps until an Rx interrupt. Its eventfd means something only in its own
 * process: a sender in another one cannot wake it (the guide says so).
 */
static __rte_noinline void
vpair_tx_wake(const struct vpair_txq *txq)
{
	if (txq->wake_token == vpair_process_token)
		vpair_wake(txq->wake_fd);
}

/* Like a NIC without carrier, or a stopped queue: refuse, leave the packets to the caller. */
static __rte_noinline void
vpair_tx_refuse(struct vpair_txq *txq, uint16_t nb_pkts)
{
	if (!__atomic_load_n(txq->carrier, __ATOMIC_RELAXED))
		VPAIR_COUNT(txq->c.link_down, nb_pkts);
	else
		VPAIR_COUNT(txq->c.queue_stopped, nb_pkts);
}

uint16_t
vpair_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct vpair_txq *txq = queue;
	uint16_t nb_tx = 0;

	uint8_t gate;

	vpair_burst_enter(txq);
	gate = vpair_burst_gate(txq);
	if (likely(gate & VPAIR_GATE_OPEN)) {
		nb_tx = vpair_tx(txq, pkts, nb_pkts);
		if (unlikely(gate & VPAIR_GATE_WAKE) && nb_tx != 0)
			vpair_tx_wake(txq);
	} else {
		vpair_tx_refuse(txq, nb_pkts);
	}
	vpair_burst_leave(txq);
	return nb_tx;
}
