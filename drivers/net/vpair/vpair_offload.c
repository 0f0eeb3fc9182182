/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Offloads, as veth does them. What a sender leaves to the device reaches the receiving
 * port as that port enabled its Rx offloads: a TSO super-frame whole (RTE_MBUF_F_RX_LRO), a
 * VLAN tag in vlan_tci, a checksum reported good or, on a pair created with csum_partial=1,
 * left to it (RTE_MBUF_F_RX_L4_CKSUM_NONE, the pseudo-header sum in the field, as vhost
 * and the kernel's CHECKSUM_PARTIAL). What the port did not enable is done here, in
 * software on the sender's core, so that it gets what a wire would have carried: checksums
 * filled in, segments, a VLAN tag in the frame. Copies and segments are made in the mbufs
 * of the receiving rx queue's mempool, as a NIC fills its receive buffers.
 *
 * The fast path sends here only frames with a request (ol_flags & VPAIR_TX_WORK), chains
 * for a port without Rx SCATTER and every frame for a port that strips VLAN tags, one at a
 * time: the rest of a burst pays nothing for it.
 */

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_ring.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vpair.h"
#include "vpair_tx.h"

/* Requests the driver cannot carry out, and a tunnel's, whose offsets mean other things. */
#define VPAIR_TX_UNSUPPORTED (RTE_MBUF_F_TX_OUTER_IP_CKSUM | RTE_MBUF_F_TX_OUTER_UDP_CKSUM | \
	RTE_MBUF_F_TX_QINQ | RTE_MBUF_F_TX_SEC_OFFLOAD | RTE_MBUF_F_TX_MACSEC | \
	RTE_MBUF_F_TX_UDP_SEG)
/* Requests that read the L3 and L4 headers at l2_len and l3_len. */
#define VPAIR_TX_HEADERS (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG)

#define VPAIR_TCP_CKSUM_OFF	offsetof(struct rte_tcp_hdr, cksum)
#define VPAIR_UDP_CKSUM_OFF	offsetof(struct rte_udp_hdr, dgram_cksum)
#define VPAIR_IPV6_HDR_LEN	sizeof(struct rte_ipv6_hdr)

/* Frames built in one go before they are filtered and enqueued. */
#define VPAIR_OFFLOAD_BATCH 32

/* The L4 protocol a request is about: TCP for TSO. */
static inline uint64_t
vpair_l4_request(uint64_t ol)
{
	return (ol & RTE_MBUF_F_TX_TCP_SEG) ? RTE_MBUF_F_TX_TCP_CKSUM : ol & RTE_MBUF_F_TX_L4_MASK;
}

static inline uint32_t
vpair_hdr_len(const struct rte_mbuf *m)
{
	return m->l2_len + m->l3_len + m->l4_len;
}

/* Frames a TSO request becomes: one per MSS of payload, at least one. */
static uint32_t
vpair_tso_frames(const struct rte_mbuf *m)
{
	uint32_t payload = m->pkt_len - vpair_hdr_len(m);

	return payload == 0 ? 1 : (payload + m->tso_segsz - 1) / m->tso_segsz;
}

/* Bytes the L4 header and payload take, as the IP header says. */
static uint32_t
vpair_l4_len_of(const struct rte_mbuf *m, const void *l3, bool ipv4)
{
	if (ipv4) {
		const struct rte_ipv4_hdr *ip = l3;

		return rte_be_to_cpu_16(ip->total_length) - m->l3_len;
	}
	return rte_be_to_cpu_16(((const struct rte_ipv6_hdr *)l3)->payload_len) -
		(m->l3_len - VPAIR_IPV6_HDR_LEN);
}

/*
 * Whether the driver can honour the frame's offload requests: 0, or -EINVAL / -ENOTSUP as
 * rte_eth_tx_prepare() reports them. Everything it accepts, the offload path can do
 * without reading outside the frame.
 */
static int
vpair_offload_check(const struct rte_mbuf *m, uint32_t nb_desc)
{
	const uint64_t ol = m->ol_flags;
	const uint64_t l4 = vpair_l4_request(ol);
	const bool ipv4 = ol & RTE_MBUF_F_TX_IPV4;
	const bool ipv6 = ol & RTE_MBUF_F_TX_IPV6;
	const uint8_t *l3;
	uint32_t hdr, len;
	uint8_t proto;

	if ((ol & VPAIR_TX_UNSUPPORTED) || (ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_SCTP_CKSUM)
		return -ENOTSUP;
	/* A tag goes in after the addresses, which must be in the first segment. */
	if ((ol & RTE_MBUF_F_TX_VLAN) && m->data_len < 2 * RTE_ETHER_ADDR_LEN)
		return -EINVAL;
	if (!(ol & VPAIR_TX_HEADERS))
		return 0;	/* a VLAN tag to insert needs nothing of the frame */
	if (ol & RTE_MBUF_F_TX_TUNNEL_MASK)
		return -ENOTSUP;
	if (ipv4 == ipv6 || ((ol & RTE_MBUF_F_TX_IP_CKSUM) && !ipv4))
		return -EINVAL;
	if ((ol & RTE_MBUF_F_TX_TCP_SEG) &&
			(ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM)
		return -EINVAL;
	if (m->l2_len < RTE_ETHER_HDR_LEN ||
			m->l3_len < (ipv4 ? sizeof(struct rte_ipv4_hdr) : VPAIR_IPV6_HDR_LEN))
		return -EINVAL;

	hdr = m->l2_len + m->l3_len;
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		if (m->l4_len < sizeof(struct rte_tcp_hdr) || m->tso_segsz == 0)
			return -EINVAL;
		hdr += m->l4_len;
	} else if (l4 == RTE_MBUF_F_TX_TCP_CKSUM) {
		hdr += sizeof(struct rte_tcp_hdr);
	} else if (l4 == RTE_MBUF_F_TX_UDP_CKSUM) {
		hdr += sizeof(struct rte_udp_hdr);
	}
	/* Headers are written in place: they must all be in the first segment. */
	if (hdr > m->data_len)
		return -EINVAL;

	l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);
	if (ipv4) {
		const struct rte_ipv4_hdr *ip = (const void *)l3;

		if (ip->version_ihl >> 4 != 4 || rte_ipv4_hdr_len(ip) != m->l3_len)
			return -EINVAL;
		proto = ip->next_proto_id;
	} else {
		const struct rte_ipv6_hdr *ip6 = (const void *)l3;

		if (rte_be_to_cpu_32(ip6->vtc_flow) >> 28 != 6)
			return -EINVAL;
		/* Behind extension headers, l3_len says where L4 starts; trust it. */
		proto = m->l3_len == VPAIR_IPV6_HDR_LEN ? ip6->proto :
			(l4 == RTE_MBUF_F_TX_UDP_CKSUM ? IPPROTO_UDP : IPPROTO_TCP);
	}
	if ((l4 == RTE_MBUF_F_TX_TCP_CKSUM && proto != IPPROTO_TCP) ||
			(l4 == RTE_MBUF_F_TX_UDP_CKSUM && proto != IPPROTO_UDP))
		return -EINVAL;

	if (ol & RTE_MBUF_F_TX_TCP_SEG)
		return vpair_tso_frames(m) <= nb_desc ? 0 : -EINVAL;
	if (l4 != 0) {
		/* A checksum covers what the IP header says: that must be in the frame. */
		len = vpair_l4_len_of(m, l3, ipv4);
		if (len > UINT16_MAX || hdr - m->l2_len - m->l3_len > len ||
				m->l2_len + m->l3_len + len > m->pkt_len)
			return -EINVAL;
	}
	return 0;
}

uint16_t
vpair_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct vpair_txq *txq = queue;
	uint16_t i;
	int ret;

	for (i = 0; i < nb_pkts; i++) {
		if (vpair_malformed(pkts[i])) {
			rte_errno = EINVAL;
			return i;
		}
		ret = vpair_offload_check(pkts[i], txq->nb_desc);
		if (ret != 0) {
			rte_errno = -ret;
			return i;
		}
	}
	return nb_pkts;
}

/* The one's complement sum of the pseudo-header, not folded. */
static uint32_t
vpair_pseudo_sum(const void *l3, bool ipv4, uint8_t proto, uint32_t l4_len)
{
	uint32_t sum;

	if (ipv4)
		sum = rte_raw_cksum(&((const struct rte_ipv4_hdr *)l3)->src_addr, 8);
	else
		sum = rte_raw_cksum(((const struct rte_ipv6_hdr *)l3)->src_addr, 32);
	return sum + rte_cpu_to_be_16(proto) + rte_cpu_to_be_16(l4_len & 0xffff) +
		rte_cpu_to_be_16(l4_len >> 16);
}

/* The segment of chain m that holds byte off of the frame; off becomes its offset there. */
static inline const struct rte_mbuf *
vpair_seg_at(const struct rte_mbuf *m, uint32_t *off)
{
	while (*off >= m->data_len && m->next != NULL) {
		*off -= m->data_len;
		m = m->next;
	}
	return m;
}

/*
 * The one's complement sum of len bytes of chain m from offset off, not folded. Not DPDK
 * 22.11's rte_raw_cksum_mbuf(), which truncates the sum of a segment that starts at an odd
 * offset before swapping its bytes: each piece is reduced first here.
 */
static uint32_t
vpair_chain_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint32_t sum = 0, done = 0;

	m = vpair_seg_at(m, &off);
	while (len > 0 && m != NULL) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);
		uint16_t piece = rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const void *, off), n);

		/* A piece at an odd position has its bytes in the other halves of the words. */
		sum += (done & 1) ? rte_bswap16(piece) : piece;
		done += n;
		len -= n;
		off = 0;
		m = m->next;
	}
	return sum;
}

static inline uint16_t
vpair_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

/*
 * The L4 checksum of frame f (headers in its first segment): computed, and reported good to
 * a receiver that enabled that offload. With devarg csum_partial, such a receiver gets it
 * left to itself instead, the pseudo-header sum in the field as a partial checksum: not by
 * default, because OVS 3.1 enables the offload on every port that has it and then sends
 * such frames on to kernel ports unfinished, where TCP drops them.
 * Returns the Rx flag the receiver gets.
 */
static uint64_t
vpair_l4_cksum(struct rte_mbuf *f, uint64_t l4, bool ipv4, uint8_t rx_offloads)
{
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(f, const uint8_t *, f->l2_len);
	const uint32_t l4_off = f->l2_len + f->l3_len;
	const bool tcp = l4 == RTE_MBUF_F_TX_TCP_CKSUM;
	const uint32_t l4_len = vpair_l4_len_of(f, l3, ipv4);
	uint16_t *field = rte_pktmbuf_mtod_offset(f, uint16_t *,
		l4_off + (tcp ? VPAIR_TCP_CKSUM_OFF : VPAIR_UDP_CKSUM_OFF));
	const bool offload = rx_offloads & (tcp ? VPAIR_RX_TCP_CKSUM : VPAIR_RX_UDP_CKSUM);
	uint32_t sum = vpair_pseudo_sum(l3, ipv4, tcp ? IPPROTO_TCP : IPPROTO_UDP, l4_len);
	uint16_t cksum;

	if (offload && (rx_offloads & VPAIR_RX_CSUM_PARTIAL)) {
		*field = vpair_fold(sum);
		return RTE_MBUF_F_RX_L4_CKSUM_NONE;
	}
	*field = 0;
	cksum = (uint16_t)~vpair_fold(sum + vpair_fold(vpair_chain_sum(f, l4_off, l4_len)));
	/* RFC 768: a computed UDP checksum of 0 is sent as all ones. */
	if (cksum == 0 && !tcp)
		cksum = 0xffff;
	*field = cksum;
	return offload ? RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0;
}

/* Does the frame carry a tag a stripping port takes out? */
static bool
vpair_tagged(const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	return m->data_len >= RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN &&
		eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN);
}

/*
 * Carry out the requests of frame f, writable, as the receiver configured its port, and
 * leave it only the Rx flags that says so. lro: a TSO frame that arrives whole.
 */
static void
vpair_finish(struct rte_mbuf *f, uint64_t ol, uint8_t rx_offloads, bool lro)
{
	const bool ipv4 = ol & RTE_MBUF_F_TX_IPV4;
	const uint64_t l4 = vpair_l4_request(ol);
	uint64_t rx_flags = 0;

	if (ol & VPAIR_TX_HEADERS) {
		uint8_t *l3 = rte_pktmbuf_mtod_offset(f, uint8_t *, f->l2_len);
		uint32_t l3_len = f->pkt_len - f->l2_len;

		if (lro) {
			/* What the super-frame holds, as a NIC that coalesced it writes it. */
			if (ipv4)
				((struct rte_ipv4_hdr *)l3)->total_length = rte_cpu_to_be_16(l3_len);
			else
				((struct rte_ipv6_hdr *)l3)->payload_len =
					rte_cpu_to_be_16(l3_len - VPAIR_IPV6_HDR_LEN);
			rx_flags |= RTE_MBUF_F_RX_LRO;
		}
		if (ipv4 && (ol & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG))) {
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			if (rx_offloads & VPAIR_RX_IP_CKSUM)
				rx_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		}
		if (l4 == RTE_MBUF_F_TX_TCP_CKSUM || l4 == RTE_MBUF_F_TX_UDP_CKSUM)
			rx_flags |= vpair_l4_cksum(f, l4, ipv4, rx_offloads);
	}

	if (ol & RTE_MBUF_F_TX_VLAN) {
		if (rx_offloads & VPAIR_RX_VLAN_STRIP)
			rx_flags |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
		else
			rte_vlan_insert(&f);	/* writable with headroom: cannot fail */
	}
	f->ol_flags = (f->ol_flags & VPAIR_MBUF_STATE) | rx_flags;
	/* A tag in the frame, for a port that strips: a NIC takes the outer one. */
	if (!(ol & RTE_MBUF_F_TX_VLAN) && (rx_offloads & VPAIR_RX_VLAN_STRIP) && vpair_tagged(f))
		rte_vlan_strip(f);
}

/* Append len bytes of src from offset off to frame f, adding segments up to max_segs. */
static int
vpair_append(struct rte_mbuf *f, struct rte_mempool *mp, uint16_t max_segs,
	const struct rte_mbuf *src, uint32_t off, uint32_t len)
{
	struct rte_mbuf *last = rte_pktmbuf_lastseg(f);

	src = vpair_seg_at(src, &off);
	while (len > 0) {
		uint32_t chunk;

		if (off == src->data_len) {
			src = src->next;
			off = 0;
			continue;
		}
		if (rte_pktmbuf_tailroom(last) == 0) {
			struct rte_mbuf *seg;

			if (f->nb_segs >= max_segs)
				return -ENOSPC;
			seg = rte_pktmbuf_alloc(mp);
			if (seg == NULL)
				return -ENOMEM;
			last->next = seg;
			last = seg;
			f->nb_segs++;
		}
		chunk = RTE_MIN(len, RTE_MIN((uint32_t)rte_pktmbuf_tailroom(last),
			src->data_len - off));
		rte_memcpy(rte_pktmbuf_mtod_offset(last, uint8_t *, last->data_len),
			rte_pktmbuf_mtod_offset(src, const uint8_t *, off), chunk);
		last->data_len += chunk;
		f->pkt_len += chunk;
		off += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Append len bytes of src from offset off to frame f without copying them: segments of mp
 * attached to src's buffers, which they keep alive.
 */
static int
vpair_attach(struct rte_mbuf *f, struct rte_mempool *mp, const struct rte_mbuf *src,
	uint32_t off, uint32_t len)
{
	struct rte_mbuf *last = rte_pktmbuf_lastseg(f);

	src = vpair_seg_at(src, &off);
	while (len > 0) {
		struct rte_mbuf *piece;
		uint32_t n;

		if (off == src->data_len) {
			src = src->next;
			off = 0;
			continue;
		}
		piece = rte_pktmbuf_alloc(mp);
		if (piece == NULL)
			return -ENOMEM;
		n = RTE_MIN(len, src->data_len - off);
		rte_pktmbuf_attach(piece, (struct rte_mbuf *)(uintptr_t)src);
		/* Attaching copies the source's flags: a segment keeps only its own state. */
		piece->ol_flags &= VPAIR_MBUF_STATE;
		piece->data_off += off;
		piece->data_len = n;
		piece->pkt_len = n;
		last->next = piece;
		last = piece;
		f->nb_segs++;
		f->pkt_len += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Where a frame goes and what it is counted as, for a run of frames of the offload path. */
struct vpair_offload_ctx {
	struct vpair_txq *txq;
	const struct vpair_rx_policy *rx;
	uint8_t rx_offloads;
	uint16_t max_segs;	/* of a frame for the receiver: 1 without Rx SCATTER */
};

/* A frame lost on the wire's far side: no buffer for it, or one too small. */
static void
vpair_lost(const struct vpair_offload_ctx *ctx, uint32_t len, int err)
{
	struct vpair_txq *txq = ctx->txq;

	VPAIR_COUNT(txq->c.packets, 1);
	VPAIR_COUNT(txq->c.bytes, len);
	if (err == -ENOSPC)
		VPAIR_COUNT(txq->c.rx_scatter, 1);
	else
		VPAIR_COUNT(txq->c.rx_nombuf, 1);
}

/* A copy of frame m with its metadata, in the receiver's mbufs; NULL if lost (counted). */
static struct rte_mbuf *
vpair_copy(const struct vpair_offload_ctx *ctx, const struct rte_mbuf *m)
{
	struct rte_mbuf *f = rte_pktmbuf_alloc(ctx->txq->rx_mp);
	int err = -ENOMEM;

	if (f != NULL) {
		err = vpair_append(f, ctx->txq->rx_mp, ctx->max_segs, m, 0, m->pkt_len);
		if (err == 0) {
			f->ol_flags = m->ol_flags & ~VPAIR_MBUF_STATE;
			f->tx_offload = m->tx_offload;
			f->vlan_tci = m->vlan_tci;
			return f;
		}
		rte_pktmbuf_free(f);
	}
	vpair_lost(ctx, m->pkt_len, err);
	return NULL;
}

/* Through the receiver's filter and into the ring, counted: the ring has room for them. */
static void
vpair_deliver(const struct vpair_offload_ctx *ctx, struct rte_mbuf **frames, uint16_t n)
{
	struct vpair_txq *txq = ctx->txq;
	const struct vpair_rx_policy *rx = ctx->rx;
	struct rte_mbuf *pass[VPAIR_OFFLOAD_BATCH];
	struct rte_mbuf *drop[VPAIR_OFFLOAD_BATCH];
	uint16_t nb_pass = 0, nb_drop = 0, i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *f = frames[i];
		const void *frame = rte_pktmbuf_mtod(f, const void *);
		/* A coalesced frame may exceed the MTU its segments each kept to. */
		uint32_t len = (f->ol_flags & RTE_MBUF_F_RX_LRO) ?
			RTE_MIN(f->pkt_len, rx->filter.mtu + (uint32_t)RTE_ETHER_HDR_LEN) :
			f->pkt_len;
		enum vpair_l2_drop verdict;
		enum vpair_cast c;
		uint8_t cls;

		verdict = vpair_l2_verdict(&rx->filter, frame, f->data_len, len, &cls);
		c = vpair_cast_of[cls];
		VPAIR_COUNT(txq->c.packets, 1);
		VPAIR_COUNT(txq->c.bytes, f->pkt_len);
		/* As the fast path: a runt or oversize frame is refused before its address. */
		if (rx->classify && verdict != VPAIR_L2_DROP_RUNT &&
				verdict != VPAIR_L2_DROP_OVERSIZE)
			VPAIR_COUNT(txq->c.cast[c], 1);
		if (verdict == VPAIR_L2_PASS) {
			if (rx->parse) {
				f->packet_type = vpair_ptype_parse(frame, f->data_len);
				*RTE_MBUF_DYNFIELD(f, txq->dynfield_offset, uint8_t *) = cls;
			}
			if (rx->classify)
				VPAIR_COUNT(txq->c.rx_cast[c], 1);
			pass[nb_pass++] = f;
		} else {
			VPAIR_COUNT(txq->c.rx_drop[verdict], 1);
			drop[nb_drop++] = f;
		}
	}
	vpair_ring_put(txq, pass, nb_pass);
	rte_pktmbuf_free_bulk(drop, nb_drop);
}

/*
 * TSO for a receiver that does not take the super-frame: segments in its mbufs, each with a
 * copy of the original's headers, fixed up as the segment's, and its payload: copied for a
 * port that takes one mbuf per frame, else attached to the original's buffers.
 */
static void
vpair_tso_segment(const struct vpair_offload_ctx *ctx, const struct rte_mbuf *m,
	uint32_t nb_frames)
{
	const uint32_t hdr = vpair_hdr_len(m);
	const bool ipv4 = m->ol_flags & RTE_MBUF_F_TX_IPV4;
	/* Each segment's own requests: its checksums, its tag. */
	const uint64_t seg_ol = (m->ol_flags & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 |
		RTE_MBUF_F_TX_VLAN)) | RTE_MBUF_F_TX_TCP_CKSUM | (ipv4 ? RTE_MBUF_F_TX_IP_CKSUM : 0);
	struct rte_mbuf *batch[VPAIR_OFFLOAD_BATCH];
	uint32_t i, off = hdr;
	uint16_t n = 0;

	for (i = 0; i < nb_frames; i++) {
		const uint32_t len = RTE_MIN((uint32_t)m->tso_segsz, m->pkt_len - off);
		struct rte_mbuf *f = rte_pktmbuf_alloc(ctx->txq->rx_mp);
		int err = f == NULL ? -ENOMEM : 0;
		struct rte_tcp_hdr *tcp;
		uint8_t *l3;

		/* The headers are fixed up in place: they must fit the first mbuf. */
		if (err == 0 && rte_pktmbuf_tailroom(f) < hdr)
			err = -ENOSPC;
		if (err == 0)
			err = vpair_append(f, ctx->txq->rx_mp, ctx->max_segs, m, 0, hdr);
		if (err == 0 && ctx->max_segs > 1)
			err = vpair_attach(f, ctx->txq->rx_mp, m, off, len);
		else if (err == 0)
			err = vpair_append(f, ctx->txq->rx_mp, ctx->max_segs, m, off, len);
		off += len;
		if (err != 0) {
			rte_pktmbuf_free(f);
			vpair_lost(ctx, hdr + len, err);
			continue;
		}

		f->tx_offload = m->tx_offload;
		f->vlan_tci = m->vlan_tci;
		l3 = rte_pktmbuf_mtod_offset(f, uint8_t *, m->l2_len);
		tcp = (struct rte_tcp_hdr *)(l3 + m->l3_len);
		if (ipv4) {
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

			ip->total_length = rte_cpu_to_be_16(m->l3_len + m->l4_len + len);
			ip->packet_id = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->packet_id) + i);
		} else {
			((struct rte_ipv6_hdr *)l3)->payload_len = rte_cpu_to_be_16(
				m->l3_len - VPAIR_IPV6_HDR_LEN + m->l4_len + len);
		}
		tcp->sent_seq = rte_cpu_to_be_32(rte_be_to_cpu_32(tcp->sent_seq) +
			(off - len - hdr));
		if (i != nb_frames - 1)
			tcp->tcp_flags &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		if (i != 0)
			tcp->tcp_flags &= ~RTE_TCP_CWR_FLAG;
		vpair_finish(f, seg_ol, ctx->rx_offloads, false);

		batch[n++] = f;
		if (n == VPAIR_OFFLOAD_BATCH) {
			vpair_deliver(ctx, batch, n);
			n = 0;
		}
	}
	vpair_deliver(ctx, batch, n);
}

/*
 * The super-frame goes whole: the receiver coalesces, has the buffers for it (a chain, or
 * one mbuf), and would have taken each segment.
 */
static bool
vpair_lro_takes(const struct vpair_offload_ctx *ctx, const struct rte_mbuf *m)
{
	const struct vpair_rx_policy *rx = ctx->rx;
	const uint32_t ip_hdr = (m->ol_flags & RTE_MBUF_F_TX_IPV4) ? 0 : VPAIR_IPV6_HDR_LEN;

	return (ctx->rx_offloads & VPAIR_RX_LRO) &&
		(ctx->max_segs > 1 || m->pkt_len <= ctx->txq->rx_buf_len) &&
		m->pkt_len <= __atomic_load_n(&rx->max_lro_pkt_size, __ATOMIC_RELAXED) &&
		m->pkt_len - m->l2_len - ip_hdr <= UINT16_MAX &&
		vpair_hdr_len(m) + m->tso_segsz <= rx->filter.mtu + (uint32_t)RTE_ETHER_HDR_LEN;
}

bool
vpair_tx_offload(struct vpair_txq *txq, const struct vpair_rx_policy *rx, struct rte_mbuf *m)
{
	const uint8_t rx_offloads = __atomic_load_n(&rx->offloads, __ATOMIC_ACQUIRE);
	const struct vpair_offload_ctx ctx = {
		.txq = txq,
		.rx = rx,
		.rx_offloads = rx_offloads,
		.max_segs = (rx_offloads & VPAIR_RX_SCATTER) ? UINT16_MAX : 1,
	};
	const bool strip = rx_offloads & VPAIR_RX_VLAN_STRIP;
	const bool insert = (m->ol_flags & RTE_MBUF_F_TX_VLAN) && !strip;
	const uint64_t ol = m->ol_flags;
	const unsigned int room = vpair_txq_room(txq);
	bool lro = false, write;

	if (vpair_malformed(m)) {
		VPAIR_COUNT(txq->c.malformed, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	if (vpair_offload_check(m, txq->nb_desc) != 0) {
		VPAIR_COUNT(txq->c.offload, 1);
		rte_pktmbuf_free(m);
		return true;
	}
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		uint32_t nb_frames;

		lro = vpair_lro_takes(&ctx, m);
		nb_frames = lro ? 1 : vpair_tso_frames(m);
		if (nb_frames > room)
			return false;
		if (!lro) {
			vpair_tso_segment(&ctx, m, nb_frames);
			rte_pktmbuf_free(m);
			return true;
		}
	}
	if (room == 0)
		return false;

	/* In place when the sender's mbuf is ours to write, else in a copy. */
	write = (ol & VPAIR_TX_HEADERS) || insert ||
		(strip && !(ol & RTE_MBUF_F_TX_VLAN) && vpair_tagged(m));
	if (m->nb_segs > ctx.max_segs || (write && (!RTE_MBUF_DIRECT(m) ||
			rte_mbuf_refcnt_read(m) != 1)) ||
			(insert && rte_pktmbuf_headroom(m) < RTE_VLAN_HLEN)) {
		struct rte_mbuf *f = vpair_copy(&ctx, m);

		rte_pktmbuf_free(m);
		if (f == NULL)
			return true;
		m = f;
	}
	vpair_finish(m, ol, ctx.rx_offloads, lro);
	vpair_deliver(&ctx, &m, 1);
	return true;
}
