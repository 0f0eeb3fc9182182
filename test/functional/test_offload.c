/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Offloads (issue 9): what a receiver gets for each Tx request of the sender (IPv4 header
 * checksum, TCP/UDP checksum, TSO, VLAN insert) against each set of Rx offloads it enabled
 * (checksums, LRO, VLAN strip, scatter). The receiver checks every frame in software: the
 * checksums with our own one's-complement code (and DPDK's as a second opinion), every
 * header byte against what was sent, the payload byte for byte, the exact ol_flags. The
 * verifier is itself run on hand-made good frames and on corrupted copies of them first,
 * so a check that cannot fail shows up as a failed case.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vpair_test.h"

#define TX_CAPA (RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT | \
	RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO)
#define RX_CAPA (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_VLAN_STRIP | \
	RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO)
#define RX_CKSUMS (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define LRO_MAX		(65535 + 22)
#define NB_DESC		512
#define MAX_GOT		256
#define FRAME_MAX	70000
/* Largest TCP payloads of a "64 KiB" TSO request: the IPv4 total_length limit, and for IPv6
 * the largest frame max_lro_pkt_size (65535 + 22) lets arrive whole, both with l4_len 32.
 */
#define P4_MAX		(65535 - 20 - 32)
#define P6_MAX		(LRO_MAX - 14 - 40 - 32)

#define TX4 (RTE_MBUF_F_TX_IPV4)
#define TX6 (RTE_MBUF_F_TX_IPV6)
#define IPCK (RTE_MBUF_F_TX_IP_CKSUM)
#define TCPCK (RTE_MBUF_F_TX_TCP_CKSUM)
#define UDPCK (RTE_MBUF_F_TX_UDP_CKSUM)
#define TSO (RTE_MBUF_F_TX_TCP_SEG)
#define TXVLAN (RTE_MBUF_F_TX_VLAN)

/* Rx flags a sender's mbuf may carry from the NIC it came from: none may arrive. */
#define STALE_RX (RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_IP_CKSUM_BAD | \
	RTE_MBUF_F_RX_L4_CKSUM_BAD | RTE_MBUF_F_RX_QINQ | RTE_MBUF_F_RX_QINQ_STRIPPED | \
	RTE_MBUF_F_RX_OUTER_L4_CKSUM_BAD | RTE_MBUF_F_RX_FDIR_ID)
/* Those the receiver sets itself, when due: a stale one shows as a wrong flag. */
#define STALE_ALL (STALE_RX | RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED | \
	RTE_MBUF_F_RX_LRO)
#define RX_KNOWN (RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK | \
	RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED | RTE_MBUF_F_RX_LRO | \
	RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL)

/*
 * The verifier's checks: like CHECK, but silent while the verifier is fed corrupted frames on
 * purpose, where failing is what we want.
 */
static bool quiet;
#define VERIFY(cond) do { \
	vt_checks++; \
	if (!(cond)) { \
		if (!quiet) \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		return -1; \
	} \
} while (0)
#define VERIFY_EQ(a, b) do { \
	uint64_t va_ = (uint64_t)(a), vb_ = (uint64_t)(b); \
	vt_checks++; \
	if (va_ != vb_) { \
		if (!quiet) \
			fprintf(stderr, "%s:%d: check failed: %s == %s (0x%" PRIx64 " != 0x%" \
				PRIx64 ")\n", __FILE__, __LINE__, #a, #b, va_, vb_); \
		return -1; \
	} \
} while (0)

/* The pair, and the receiver's current configuration as ethdev holds it. */
static struct {
	uint16_t tx, rx;
	uint64_t rxo;
	uint32_t max_lro;
	uint16_t mtu;
	struct rte_mempool *rx_mp;
	bool partial;		/* the pair was created with csum_partial=1 */
	const char *what;	/* the sub-case, for messages */
} cur;

static const char *
pair_devargs(void)
{
	return cur.partial ? "csum_partial=1" : NULL;
}

/* A frame: Ethernet (optionally one 802.1Q tag in it), IPv4 or IPv6, TCP or UDP, payload. */
struct pkt {
	bool v6;
	uint8_t proto;		/* IPPROTO_TCP, IPPROTO_UDP */
	uint8_t l3_len;		/* IPv4: 20, or 24 with options; IPv6: 40 */
	uint8_t l4_len;		/* UDP 8; TCP 20, or 32 with the timestamp option */
	uint32_t payload;
	uint8_t tcp_flags;
	uint16_t ip_id;
	uint32_t seq;
	uint16_t in_tag;	/* != 0: a tag with this TCI in the frame's data */
	bool zero_len;		/* IPv4 total_length / IPv6 payload_len 0, as BIG TCP sends */
	bool udp_zero;		/* payload chosen so that the UDP checksum computes to 0 */
	uint32_t seed;
};

/* What the sender asks for. */
struct req {
	uint64_t tx;		/* RTE_MBUF_F_TX_* */
	uint16_t tci;		/* TX_VLAN */
	uint16_t mss;		/* TCP_SEG */
};

/* A frame as sent: the bytes of the sender's mbuf. */
struct sent {
	const struct pkt *p;
	const struct req *r;
	const uint8_t *ref;
	uint32_t len;
	uint32_t l2, l3, l4;	/* in ref */
};

enum split {
	SPLIT_ONE,	/* one segment; mbufs as full as vt_pool allows if it does not fit */
	SPLIT_HDR,	/* the headers alone in the first segment, the payload in full ones */
	SPLIT_ODD,	/* headers and 5 bytes first, then odd, empty and tiny segments */
	NB_SPLITS,
};
static const char * const split_name[] = { "one", "hdr", "odd" };

static uint8_t ref_buf[FRAME_MAX];
static uint8_t lin_buf[FRAME_MAX];

/* ---------------------------------------------------------------------------------- */
/* One's-complement arithmetic, on big-endian 16-bit words: independent of DPDK's. */

static uint64_t
sum_be(const uint8_t *p, uint32_t len, uint64_t s)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static uint16_t
fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* Pseudo-header sum for an L4 segment of l4_bytes bytes. */
static uint64_t
phdr_sum(const uint8_t *ip, bool v6, uint8_t proto, uint32_t l4_bytes)
{
	if (v6)
		return sum_be(ip + 8, 32, 0) + proto + (l4_bytes >> 16) + (l4_bytes & 0xffff);
	return sum_be(ip + 12, 8, 0) + proto + l4_bytes;
}

/* A valid IPv4 header checksum sums with the header to 0xffff. */
static bool
ip4_ok(const uint8_t *ip, uint32_t l3)
{
	return fold(sum_be(ip, l3, 0)) == 0xffff;
}

/* The full L4 checksum is right (and, for UDP, not the "no checksum" 0). */
static bool
l4_full_ok(const uint8_t *ip, bool v6, uint8_t proto, const uint8_t *th, uint32_t l4_bytes)
{
	uint32_t off = proto == IPPROTO_UDP ? 6 : 16;

	if (proto == IPPROTO_UDP && get16(th + off) == 0)
		return false;
	return fold(phdr_sum(ip, v6, proto, l4_bytes) + sum_be(th, l4_bytes, 0)) == 0xffff;
}

/* The checksum field value for the whole L4 segment. */
static uint16_t
l4_full(const uint8_t *ip, bool v6, uint8_t proto, const uint8_t *th, uint32_t l4_bytes)
{
	uint32_t off = proto == IPPROTO_UDP ? 6 : 16;
	uint64_t s = phdr_sum(ip, v6, proto, l4_bytes) + sum_be(th, l4_bytes, 0) -
		get16(th + off);
	uint16_t c = (uint16_t)~fold(s);

	return c == 0 && proto == IPPROTO_UDP ? 0xffff : c;
}

/* ---------------------------------------------------------------------------------- */
/* Frames */

static uint32_t
hdr_len(const struct pkt *p)
{
	return RTE_ETHER_HDR_LEN + (p->in_tag ? 4 : 0) + (p->v6 ? 40 : p->l3_len) + p->l4_len;
}

/*
 * The frame's bytes into out, with the checksum fields as an application fills them for
 * the request (rte_mbuf_core.h): IPv4 checksum 0 with IP_CKSUM, the L4 field the
 * pseudo-header checksum (without the length for TCP_SEG) with an L4 request; whatever is
 * not requested is computed here, right. Returns the length.
 */
static uint32_t
build(const struct pkt *p, const struct req *r, uint16_t from, uint16_t to, uint8_t *out)
{
	struct rte_ether_addr src, dst;
	uint32_t l2 = RTE_ETHER_HDR_LEN, l3 = p->v6 ? 40 : p->l3_len, l4 = p->l4_len;
	uint32_t len, i, x = p->seed | 1;
	uint8_t *ip, *th, *pl;
	uint16_t ck;

	rte_eth_macaddr_get(to, &dst);
	rte_eth_macaddr_get(from, &src);
	memcpy(out, &dst, 6);
	memcpy(out + 6, &src, 6);
	if (p->in_tag) {
		put16(out + 12, RTE_ETHER_TYPE_VLAN);
		put16(out + 14, p->in_tag);
		l2 += 4;
	}
	put16(out + l2 - 2, p->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	ip = out + l2;
	th = ip + l3;
	pl = th + l4;
	len = l2 + l3 + l4 + p->payload;
	/* A pseudo-random payload: a misplaced or repeated chunk never matches. */
	for (i = 0; i < p->payload; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pl[i] = (uint8_t)(x >> 7);
	}
	memset(ip, 0, l3 + l4);
	if (!p->v6) {
		ip[0] = 0x40 | l3 / 4;
		ip[1] = 0x28;	/* DSCP AF11: copied to every segment */
		put16(ip + 2, p->zero_len ? 0 : l3 + l4 + p->payload);
		put16(ip + 4, p->ip_id);
		put16(ip + 6, RTE_IPV4_HDR_DF_FLAG);
		ip[8] = 61;
		ip[9] = p->proto;
		put32(ip + 12, RTE_IPV4(10, 0, 0, 1));
		put32(ip + 16, RTE_IPV4(10, 0, 0, 2));
		for (i = 20; i < l3; i++)
			ip[i] = i + 1 < l3 ? 1 : 0;	/* NOPs, then end of options */
	} else {
		put32(ip, 6u << 28 | 0x2au << 20 | 0x12345);
		put16(ip + 4, p->zero_len ? 0 : l4 + p->payload);
		ip[6] = p->proto;
		ip[7] = 61;
		ip[8] = 0x20;
		ip[9] = 0x01;
		ip[10] = 0x0d;
		ip[11] = 0xb8;
		memcpy(ip + 24, ip + 8, 16);
		ip[23] = 1;
		ip[39] = 2;
	}
	if (p->proto == IPPROTO_TCP) {
		put16(th, 40000);
		put16(th + 2, 80);
		put32(th + 4, p->seq);
		put32(th + 8, 0x01020304);
		th[12] = (l4 / 4) << 4;
		th[13] = p->tcp_flags;
		put16(th + 14, 0xfff0);
		if (l4 >= 32) {		/* NOP, NOP, timestamps */
			th[20] = 1;
			th[21] = 1;
			th[22] = 8;
			th[23] = 10;
			put32(th + 24, 0xa1b2c3d4);
			put32(th + 28, 0x0badcafe);
		}
	} else {
		put16(th, 40000);
		put16(th + 2, 5001);
		put16(th + 4, l4 + p->payload);
		if (p->udp_zero && p->payload >= 2) {
			/* The last word makes the sum 0xffff: the checksum computes to 0. */
			put16(pl + p->payload - 2, 0);
			put16(pl + p->payload - 2, (uint16_t)~fold(phdr_sum(ip, p->v6, p->proto,
				l4 + p->payload) + sum_be(th, l4 + p->payload, 0)));
		}
	}
	if (!p->v6 && !p->zero_len)
		put16(ip + 10, (r->tx & IPCK) ? 0 : (uint16_t)~fold(sum_be(ip, l3, 0)));
	ck = p->proto == IPPROTO_UDP ? 6 : 16;
	if (r->tx & TSO)
		put16(th + ck, fold(phdr_sum(ip, p->v6, p->proto, 0)));
	else if (r->tx & RTE_MBUF_F_TX_L4_MASK)
		put16(th + ck, fold(phdr_sum(ip, p->v6, p->proto, l4 + p->payload)));
	else if (!p->zero_len)
		put16(th + ck, l4_full(ip, p->v6, p->proto, th, l4 + p->payload));
	return len;
}

/* The sender's mbuf: bytes cut as sp says, with the request and stale Rx state. */
static struct rte_mbuf *
make_mbuf(const uint8_t *bytes, uint32_t len, uint32_t hdrs, enum split sp)
{
	static const uint16_t odd[] = { 1, 0, 7, 2047, 333, 1023, 2 };
	static uint16_t seg[1024];
	uint32_t done, c, room = rte_pktmbuf_data_room_size(vt_pool) - RTE_PKTMBUF_HEADROOM;
	unsigned int n = 0, k = 0;

	if (sp == SPLIT_ONE)
		c = RTE_MIN(len, room);
	else
		c = RTE_MIN(len, sp == SPLIT_HDR ? hdrs : hdrs + 5);
	seg[n++] = c;
	for (done = c; done < len && n < RTE_DIM(seg); done += c) {
		c = sp == SPLIT_ODD ? odd[k++ % RTE_DIM(odd)] : room;
		c = RTE_MIN(c, len - done);
		seg[n++] = c;
	}
	if (done < len)
		return NULL;
	return vt_chain(bytes, seg, n);
}

static void
set_request(struct rte_mbuf *m, const struct pkt *p, const struct req *r)
{
	m->ol_flags = r->tx | STALE_RX;
	m->l2_len = RTE_ETHER_HDR_LEN + (p->in_tag ? 4 : 0);
	m->l3_len = p->v6 ? 40 : p->l3_len;
	m->l4_len = p->l4_len;
	m->tso_segsz = r->mss;
	/* Without TX_VLAN the TCI is stale too: it must not be taken for a stripped tag. */
	m->vlan_tci = (r->tx & TXVLAN) ? r->tci : 0x0bad;
	m->hash.rss = 0x5eed;
}

/* Chain well formed: segments add up to nb_segs and pkt_len. */
static bool
chain_ok(const struct rte_mbuf *m)
{
	const struct rte_mbuf *s = m;
	uint32_t len = 0;
	unsigned int n = 0;

	for (; s != NULL && n <= m->nb_segs; s = s->next, n++)
		len += s->data_len;
	return s == NULL && n == m->nb_segs && len == m->pkt_len;
}

/* ---------------------------------------------------------------------------------- */
/* The verifier */

/*
 * One received frame m: the whole frame of s (seg false), or segment i of n of it, whose
 * payload starts at off (seg true). lro: expected to arrive whole as an LRO super-frame.
 * Every byte is compared with what was sent, except the fields the request lets change,
 * which are checked for their right value. *plen: the payload bytes m holds.
 */
static int
verify_one(const struct rte_mbuf *m, const struct sent *s, unsigned int i, unsigned int n,
	uint32_t off, bool seg, bool lro, uint32_t *plen)
{
	const struct pkt *p = s->p;
	const struct req *r = s->r;
	const uint64_t tx = r->tx, ol = m->ol_flags;
	const bool tcp = p->proto == IPPROTO_TCP;
	const bool ins = (tx & TXVLAN) && !(cur.rxo & RTE_ETH_RX_OFFLOAD_VLAN_STRIP);
	const bool strip_tx = (tx & TXVLAN) && (cur.rxo & RTE_ETH_RX_OFFLOAD_VLAN_STRIP);
	const bool strip_in = !(tx & TXVLAN) && p->in_tag &&
		(cur.rxo & RTE_ETH_RX_OFFLOAD_VLAN_STRIP);
	const bool l4_req = (tx & (TSO | RTE_MBUF_F_TX_L4_MASK)) != 0;
	const bool l4_rx = (cur.rxo & (tcp ? RTE_ETH_RX_OFFLOAD_TCP_CKSUM :
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM)) != 0;
	const uint32_t l3 = s->l3, l4 = s->l4, ck = tcp ? 16 : 6;
	const uint8_t *d, *ip, *th, *rip = s->ref + s->l2, *rth = rip + l3;
	uint8_t el2[32], flags = p->tcp_flags;
	uint32_t el2len, pl;
	uint64_t want, f;

	/* The L2 header as it must arrive. */
	memcpy(el2, s->ref, 12);
	if (ins) {
		put16(el2 + 12, RTE_ETHER_TYPE_VLAN);
		put16(el2 + 14, r->tci);
		memcpy(el2 + 16, s->ref + 12, s->l2 - 12);
		el2len = s->l2 + 4;
	} else if (strip_in) {
		memcpy(el2 + 12, s->ref + 16, s->l2 - 16);
		el2len = s->l2 - 4;
	} else {
		memcpy(el2 + 12, s->ref + 12, s->l2 - 12);
		el2len = s->l2;
	}

	VERIFY(chain_ok(m));
	VERIFY(m->pkt_len >= el2len + l3 + l4 && m->pkt_len <= FRAME_MAX);
	d = rte_pktmbuf_read(m, 0, m->pkt_len, lin_buf);
	VERIFY(d != NULL);
	pl = m->pkt_len - el2len - l3 - l4;
	if (seg)
		VERIFY(pl >= 1 && pl <= r->mss && off + pl <= p->payload);
	else
		VERIFY_EQ(pl, p->payload);
	VERIFY(memcmp(d, el2, el2len) == 0);
	ip = d + el2len;
	th = ip + l3;

	/* L3: lengths for what arrived, the id per segment, all else as sent. */
	if (!p->v6) {
		VERIFY(memcmp(ip, rip, 2) == 0);
		VERIFY_EQ(get16(ip + 2), l3 + l4 + pl);
		VERIFY_EQ(get16(ip + 4), (uint16_t)(p->ip_id + i));
		VERIFY(memcmp(ip + 6, rip + 6, 4) == 0);
		VERIFY(memcmp(ip + 12, rip + 12, l3 - 12) == 0);
		VERIFY(ip4_ok(ip, l3));
		if (!(tx & (IPCK | TSO)) && !p->zero_len)
			VERIFY(memcmp(ip + 10, rip + 10, 2) == 0);
	} else {
		VERIFY(memcmp(ip, rip, 4) == 0);
		VERIFY_EQ(get16(ip + 4), l4 + pl);
		VERIFY(memcmp(ip + 6, rip + 6, 34) == 0);
	}

	/* L4: seq advanced by the payload before, flags per segment, all else as sent. */
	if (tcp) {
		if (seg) {
			if (i != 0)
				flags &= ~RTE_TCP_CWR_FLAG;
			if (i != n - 1)
				flags &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		}
		VERIFY(memcmp(th, rth, 4) == 0);
		VERIFY_EQ(get32(th + 4), (uint32_t)(p->seq + off));
		VERIFY(memcmp(th + 8, rth + 8, 5) == 0);
		VERIFY_EQ(th[13], flags);
		VERIFY(memcmp(th + 14, rth + 14, 2) == 0);
		VERIFY(memcmp(th + 18, rth + 18, l4 - 18) == 0);
	} else {
		VERIFY(memcmp(th, rth, 6) == 0);
	}
	VERIFY(memcmp(th + l4, s->ref + s->l2 + l3 + l4 + off, pl) == 0);

	/* The L4 checksum, and its flag. */
	f = ol & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	if (l4_req && l4_rx && cur.partial) {
		uint16_t field, want_ph;

		VERIFY_EQ(f, RTE_MBUF_F_RX_L4_CKSUM_NONE);
		/* DPDK's pseudo-header checksum, in the field's byte order. */
		memcpy(&field, th + ck, 2);
		want_ph = p->v6 ? rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)ip, 0) :
			rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)ip, 0);
		VERIFY_EQ(field, want_ph);
		VERIFY_EQ(get16(th + ck), fold(phdr_sum(ip, p->v6, p->proto, l4 + pl)));
	} else if (l4_req) {
		/* Computed: and reported good to a port that asked to be told. */
		VERIFY_EQ(f, l4_rx ? RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0);
		VERIFY(l4_full_ok(ip, p->v6, p->proto, th, l4 + pl));
		/*
		 * DPDK's verifier agrees, on the linear copy: its rte_raw_cksum_mbuf (22.11)
		 * gets chains with odd-length segments wrong.
		 */
		if (p->v6)
			VERIFY(rte_ipv6_udptcp_cksum_verify((const struct rte_ipv6_hdr *)ip,
				th) == 0);
		else
			VERIFY(rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)ip,
				th) == 0);
	} else {
		VERIFY(memcmp(th + ck, rth + ck, 2) == 0);
		/* Not asked: a flag, if any, must be true. */
		VERIFY(f == 0 || (f == RTE_MBUF_F_RX_L4_CKSUM_GOOD && l4_rx &&
			l4_full_ok(ip, p->v6, p->proto, th, l4 + pl)));
	}

	/* The IPv4 checksum flag: GOOD if asked and enabled, none if not enabled. */
	f = ol & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (!p->v6 && (tx & IPCK))
		VERIFY_EQ(f, (cur.rxo & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) ?
			RTE_MBUF_F_RX_IP_CKSUM_GOOD : 0);
	else
		VERIFY(f == 0 || (f == RTE_MBUF_F_RX_IP_CKSUM_GOOD && !p->v6 &&
			(cur.rxo & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)));

	want = (strip_tx || strip_in) ? RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED : 0;
	VERIFY_EQ(ol & (RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED), want);
	if (want != 0)
		VERIFY_EQ(m->vlan_tci, strip_tx ? r->tci : p->in_tag);
	VERIFY_EQ(ol & RTE_MBUF_F_RX_LRO, lro ? RTE_MBUF_F_RX_LRO : 0);
	if (lro)
		VERIFY_EQ(m->tso_segsz, r->mss);
	VERIFY_EQ(ol & RTE_MBUF_F_TX_OFFLOAD_MASK, 0);
	VERIFY_EQ(ol & ~RX_KNOWN, 0);
	VERIFY_EQ(m->port, cur.rx);
	if (!(cur.rxo & RTE_ETH_RX_OFFLOAD_SCATTER))
		VERIFY_EQ(m->nb_segs, 1);
	*plen = pl;
	return 0;
}

/* The n frames received for s: one, or its segments in order. */
static int
verify_frames(struct rte_mbuf **got, unsigned int n, const struct sent *s, bool lro)
{
	const struct pkt *p = s->p;
	uint32_t off = 0, pl;
	unsigned int i, nseg;

	if (!(s->r->tx & TSO) || lro) {
		VERIFY_EQ(n, 1);
		return verify_one(got[0], s, 0, 1, 0, false, lro, &pl);
	}
	nseg = (p->payload + s->r->mss - 1) / s->r->mss;
	VERIFY_EQ(n, nseg);
	for (i = 0; i < n; i++) {
		if (verify_one(got[i], s, i, n, off, true, false, &pl) != 0) {
			if (!quiet)
				fprintf(stderr, "segment %u of %u (payload offset %u)\n", i, n,
					off);
			return -1;
		}
		off += pl;
	}
	VERIFY_EQ(off, p->payload);
	return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Ports */

static int
port_config(uint16_t port, uint64_t rxo, uint32_t max_lro, uint16_t mtu,
	struct rte_mempool *mp)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = rxo, .max_lro_pkt_size = max_lro, .mtu = mtu },
		.txmode = { .offloads = TX_CAPA },
	};

	CHECK_OK(rte_eth_dev_stop(port));
	CHECK_OK(rte_eth_dev_configure(port, 1, 1, &conf));
	CHECK_OK(rte_eth_rx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL, mp));
	CHECK_OK(rte_eth_tx_queue_setup(port, 0, NB_DESC, rte_socket_id(), NULL));
	CHECK_OK(rte_eth_dev_start(port));
	return 0;
}

/* Reconfigure the receiver; remember what ethdev made of it (max_lro_pkt_size 0, mtu 0). */
static int
rx_config(const char *what, uint64_t rxo, uint32_t max_lro, uint16_t mtu,
	struct rte_mempool *mp)
{
	struct rte_eth_conf conf;

	CHECK(port_config(cur.rx, rxo, max_lro, mtu, mp) == 0);
	CHECK_OK(rte_eth_dev_conf_get(cur.rx, &conf));
	CHECK_EQ(conf.rxmode.offloads, rxo);
	CHECK_OK(rte_eth_dev_get_mtu(cur.rx, &cur.mtu));
	cur.rxo = rxo;
	cur.max_lro = conf.rxmode.max_lro_pkt_size;
	cur.rx_mp = mp;
	cur.what = what;
	return 0;
}

static int
pair_create(uint16_t *a, uint16_t *b)
{
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", pair_devargs(), a, b));
	cur.tx = *a;
	cur.rx = *b;
	return 0;
}

/* Both ports configured for the offloads, started; the receiver's pool rx_mp. */
static int
ports_up(struct rte_mempool *rx_mp)
{
	CHECK(port_config(cur.tx, 0, 0, 0, vt_pool) == 0);
	CHECK(port_config(cur.rx, 0, 0, 0, rx_mp) == 0);
	cur.rx_mp = rx_mp;
	return 0;
}

/* The pair again, with csum_partial=1 (pair_partial) or without (pair_default). */
static int
pair_again(struct rte_mempool *rx_mp, bool partial)
{
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	cur.partial = partial;
	CHECK(pair_create(&a, &b) == 0);
	CHECK(ports_up(rx_mp) == 0);
	return 0;
}

static int
pair_partial(struct rte_mempool *rx_mp)
{
	return pair_again(rx_mp, true);
}

static int
pair_default(struct rte_mempool *rx_mp)
{
	return pair_again(rx_mp, false);
}

static int
pair_up(uint16_t *a, uint16_t *b, struct rte_mempool *rx_mp)
{
	CHECK(pair_create(a, b) == 0);
	CHECK(ports_up(rx_mp) == 0);
	return 0;
}

/* Conservation of frames, with the counters of the offloads in it. */
static int
identity(uint16_t sender, uint16_t receiver)
{
	static const char * const drops[] = {
		"rx_otherhost_dropped", "rx_mcast_filter_dropped", "rx_oversize_errors",
		"rx_undersized_errors", "rx_flushed_dropped", "rx_scatter_errors",
	};
	struct rte_eth_stats tx, rx;
	uint64_t sum, v;
	int64_t pending = vt_rx_pending(receiver);
	unsigned int i;

	CHECK(vt_check_identity(sender, receiver) == 0);
	CHECK_OK(rte_eth_stats_get(sender, &tx));
	CHECK_OK(rte_eth_stats_get(receiver, &rx));
	CHECK(pending >= 0);
	sum = rx.ipackets + rx.rx_nombuf + (uint64_t)pending;
	for (i = 0; i < RTE_DIM(drops); i++) {
		v = vt_xstat(receiver, drops[i]);
		CHECK(v != UINT64_MAX);
		sum += v;
	}
	CHECK_EQ(tx.opackets, sum);
	CHECK_EQ(vt_xstat(receiver, "rx_mbuf_allocation_errors"), rx.rx_nombuf);
	return 0;
}

/* Every mbuf back in its pool. */
static int
pools_full(void)
{
	CHECK_EQ(rte_mempool_avail_count(vt_pool), VT_POOL_SIZE);
	if (cur.rx_mp != NULL && cur.rx_mp != vt_pool)
		CHECK_EQ(rte_mempool_avail_count(cur.rx_mp), cur.rx_mp->size);
	return 0;
}

/* Will the receiver take this TSO frame whole, as LRO? */
static bool
lro_due(const struct sent *s)
{
	return (s->r->tx & TSO) && (cur.rxo & RTE_ETH_RX_OFFLOAD_TCP_LRO) &&
		s->len <= cur.max_lro &&
		((cur.rxo & RTE_ETH_RX_OFFLOAD_SCATTER) ||
			s->len <= (uint32_t)(rte_pktmbuf_data_room_size(cur.rx_mp) - RTE_PKTMBUF_HEADROOM)) &&
		s->l2 + s->l3 + s->l4 + s->r->mss <= (uint32_t)cur.mtu + RTE_ETHER_HDR_LEN;
}

static void
fail_ctx(const struct pkt *p, const struct req *r, enum split sp)
{
	fprintf(stderr, "  in: %s; receiver offloads 0x%" PRIx64 " mtu %u max_lro %u; %s %s "
		"l3 %u l4 %u payload %u; tx 0x%" PRIx64 " mss %u tci 0x%x; split %s\n",
		cur.what, cur.rxo, cur.mtu, cur.max_lro, p->v6 ? "IPv6" : "IPv4",
		p->proto == IPPROTO_TCP ? "TCP" : "UDP", p->v6 ? 40 : p->l3_len, p->l4_len,
		p->payload, r->tx, r->mss, r->tci, split_name[sp]);
}

/* Each segment of m direct, from the receiver's pool, its data in its own buffer. */
static bool
copy_owned(const struct rte_mbuf *m)
{
	for (; m != NULL; m = m->next)
		if (!RTE_MBUF_DIRECT(m) || m->pool != cur.rx_mp ||
				rte_mbuf_refcnt_read(m) != 1)
			return false;
	return true;
}

/* Whatever is still arriving: freed, so that the next sub-case starts clean. */
static void
drain(void)
{
	struct rte_mbuf *got[MAX_GOT];
	uint16_t n;

	while ((n = vt_rx_wait(cur.rx, 0, got, 1)) != 0) {
		n += rte_eth_rx_burst(cur.rx, 0, got + n, MAX_GOT - n);
		rte_pktmbuf_free_bulk(got, n);
	}
}

/*
 * The sub-case: build the frame, send it through rte_eth_tx_prepare and tx_burst, receive
 * and verify what arrives, the counters of both ports, the identity. The frames received
 * are left in got[0..*n) for the caller to free.
 */
static int
run_got(const struct pkt *p, const struct req *r, enum split sp, struct rte_mbuf **got,
	unsigned int *n)
{
	struct rte_eth_stats ts, rs;
	struct sent s = { .p = p, .r = r, .ref = ref_buf };
	struct rte_mbuf *m;
	uint64_t bytes = 0;
	unsigned int i, want;
	bool lro, copied;

	s.len = build(p, r, cur.tx, cur.rx, ref_buf);
	s.l2 = RTE_ETHER_HDR_LEN + (p->in_tag ? 4 : 0);
	s.l3 = p->v6 ? 40 : p->l3_len;
	s.l4 = p->l4_len;
	lro = lro_due(&s);
	want = (r->tx & TSO) && !lro ? (p->payload + r->mss - 1) / r->mss : 1;
	CHECK(want <= MAX_GOT);
	CHECK_OK(vt_stats_reset_pair(cur.tx, cur.rx));
	m = make_mbuf(ref_buf, s.len, s.l2 + s.l3 + s.l4, sp);
	CHECK(m != NULL);
	set_request(m, p, r);
	/* A chain towards a port without scatter, or segments: copies into its pool. */
	copied = ((r->tx & TSO) && !lro) ||
		(m->nb_segs > 1 && !(cur.rxo & RTE_ETH_RX_OFFLOAD_SCATTER));
	if (rte_eth_tx_prepare(cur.tx, 0, &m, 1) != 1) {
		fprintf(stderr, "tx_prepare refused a good packet: %s\n", rte_strerror(rte_errno));
		rte_pktmbuf_free(m);
		return -1;
	}
	CHECK_EQ(rte_eth_tx_burst(cur.tx, 0, &m, 1), 1);
	*n = vt_rx_wait(cur.rx, 0, got, want);
	*n += rte_eth_rx_burst(cur.rx, 0, got + *n, MAX_GOT - *n);
	if (verify_frames(got, *n, &s, lro) != 0)
		return -1;
	for (i = 0; i < *n; i++) {
		bytes += got[i]->pkt_len;
		if (copied)
			CHECK(got[i]->pool == cur.rx_mp && got[i] != m);
	}
	/* Zero copy otherwise: the very mbuf sent. */
	if (!copied)
		CHECK(got[0] == m);

	CHECK_OK(rte_eth_stats_get(cur.tx, &ts));
	CHECK_OK(rte_eth_stats_get(cur.rx, &rs));
	CHECK_EQ(ts.opackets, *n);
	CHECK_EQ(ts.oerrors, 0);
	CHECK_EQ(rs.ipackets, *n);
	CHECK_EQ(rs.ierrors, 0);
	CHECK_EQ(rs.rx_nombuf, 0);
	/* Bytes of frames on the wire: a tag added or stripped on the way aside. */
	if (!(r->tx & TXVLAN) && !p->in_tag) {
		CHECK_EQ(ts.obytes, bytes);
		CHECK_EQ(rs.ibytes, bytes);
	}
	CHECK_EQ(vt_xstat(cur.tx, "tx_offload_errors"), 0);
	CHECK_EQ(vt_xstat(cur.rx, "rx_scatter_errors"), 0);
	CHECK(identity(cur.tx, cur.rx) == 0);
	/*
	 * A copy: every segment of it the receiver's own mbuf, holding its data; towards a
	 * port with SCATTER, TSO segments attach their payload to the sent frame's buffers,
	 * and only the first (the headers) is the receiver's own.
	 */
	for (i = 0; copied && i < *n; i++) {
		if ((r->tx & TSO) && !lro && (cur.rxo & RTE_ETH_RX_OFFLOAD_SCATTER)) {
			CHECK(RTE_MBUF_DIRECT(got[i]) && got[i]->pool == cur.rx_mp);
			continue;
		}
		if (!copy_owned(got[i]))
			fprintf(stderr, "frame %u of %u: not a copy in the receiver's mbufs "
				"(a segment attached to another mbuf's buffer, or of another "
				"pool)\n", i, *n);
		CHECK(copy_owned(got[i]));
	}
	return 0;
}

/*
 * A failed sub-case is reported with its context and counted; the case goes on with the
 * next, so that one run shows every disagreement, and fails at its end.
 */
static unsigned int nb_failed;

static int
run_one(const struct pkt *p, const struct req *r, enum split sp)
{
	struct rte_mbuf *got[MAX_GOT];
	unsigned int n = 0;
	int ret;

	ret = run_got(p, r, sp, got, &n);
	rte_pktmbuf_free_bulk(got, n);
	if (ret != 0) {
		fail_ctx(p, r, sp);
		drain();
	}
	if (pools_full() != 0)
		ret = -1;
	nb_failed += ret != 0;
	return ret;
}

/* The same for a sub-case of its own. */
static void
soft(int ret, const char *what)
{
	if (ret == 0)
		return;
	fprintf(stderr, "  in: %s (%s)\n", what, cur.what);
	drain();
	nb_failed++;
}

/* At the end of a case: all sub-cases passed. */
static int
none_failed(void)
{
	if (nb_failed != 0)
		fprintf(stderr, "%u sub-cases failed\n", nb_failed);
	CHECK_EQ(nb_failed, 0);
	return 0;
}

/*
 * The footprint of a pair, after one was up once: ethdev's shared port data and the
 * driver's mbuf dynamic field are the process's, made by the first pair, kept after it.
 */
static int
footprint_warm(struct vt_footprint *before, struct rte_mempool *rx_mp)
{
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", pair_devargs(), &a, &b));
	cur.tx = a;
	cur.rx = b;
	CHECK(ports_up(rx_mp) == 0);
	CHECK(rx_config("warm-up", RX_CAPA, LRO_MAX, 0, rx_mp) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	vt_footprint_get(before);
	return 0;
}

static void
run_splits(const struct pkt *p, const struct req *r)
{
	unsigned int sp;

	for (sp = 0; sp < NB_SPLITS; sp++)
		run_one(p, r, sp);
}

static struct rte_mempool *
pool(const char *name, unsigned int n, uint16_t room)
{
	/* No per-lcore cache: the free count is exact at any time. */
	return rte_pktmbuf_pool_create(name, n, 0, 0, room + RTE_PKTMBUF_HEADROOM,
		rte_socket_id());
}

/* ---------------------------------------------------------------------------------- */
/* The verifier against hand-made frames: right ones pass, corrupted ones fail. */

/* A hand-made received frame holding bytes, as the receiver would hand it over. */
static struct rte_mbuf *
fake_rx(const uint8_t *bytes, uint32_t len, uint64_t ol)
{
	struct rte_mbuf *m = make_mbuf(bytes, len, len, SPLIT_ONE);

	if (m != NULL) {
		m->ol_flags = ol;
		m->port = cur.rx;
	}
	return m;
}

/* verify_frames must fail on what mutate did to the good frames, and pass once undone. */
#define MUST_FAIL(got, n, s, lro, mutate, undo) do { \
	mutate; \
	quiet = true; \
	ret = verify_frames(got, n, s, lro); \
	quiet = false; \
	undo; \
	if (ret == 0) \
		fprintf(stderr, "%s:%d: the verifier missed: %s\n", __FILE__, __LINE__, \
			#mutate); \
	CHECK(ret != 0); \
	CHECK(verify_frames(got, n, s, lro) == 0); \
} while (0)

static uint8_t *
mb(struct rte_mbuf *m, uint32_t off)
{
	return rte_pktmbuf_mtod_offset(m, uint8_t *, off);
}

static int
selftest_cksum(void)
{
	static uint8_t good[2048];
	struct pkt p = { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32, .payload = 1001,
		.tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, .ip_id = 7, .seq = 1,
		.seed = 11 };
	struct req r = { .tx = TX4 | IPCK | TCPCK };
	struct sent s = { .p = &p, .r = &r, .ref = ref_buf, .l2 = 14, .l3 = 20, .l4 = 32 };
	struct rte_mbuf *m;
	uint8_t *ip, *th;
	uint16_t ph, phl;
	int ret;

	s.len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	/* Right: IPv4 checksum filled, full TCP checksum, no flags (receiver enabled none). */
	memcpy(good, ref_buf, s.len);
	ip = good + 14;
	th = ip + 20;
	put16(ip + 10, (uint16_t)~fold(sum_be(ip, 20, 0)));
	put16(th + 16, l4_full(ip, false, IPPROTO_TCP, th, 32 + p.payload));
	cur.rxo = 0;
	m = fake_rx(good, s.len, 0);
	CHECK(m != NULL);
	CHECK(verify_frames(&m, 1, &s, false) == 0);
	MUST_FAIL(&m, 1, &s, false, mb(m, 100)[0] ^= 1, mb(m, 100)[0] ^= 1);
	MUST_FAIL(&m, 1, &s, false, mb(m, s.len - 1)[0] ^= 0x80, mb(m, s.len - 1)[0] ^= 0x80);
	MUST_FAIL(&m, 1, &s, false, mb(m, 24)[0]++, mb(m, 24)[0]--);	/* IPv4 checksum */
	MUST_FAIL(&m, 1, &s, false, mb(m, 19)[0]++, mb(m, 19)[0]--);	/* IPv4 id */
	MUST_FAIL(&m, 1, &s, false, mb(m, 50)[0]++, mb(m, 50)[0]--);	/* TCP checksum */
	MUST_FAIL(&m, 1, &s, false, mb(m, 47)[0] |= RTE_TCP_FIN_FLAG,
		mb(m, 47)[0] &= ~RTE_TCP_FIN_FLAG);
	MUST_FAIL(&m, 1, &s, false, mb(m, 6)[0]++, mb(m, 6)[0]--);	/* source MAC */
	/* The sender's field left as it was: the pseudo-header only. */
	MUST_FAIL(&m, 1, &s, false, memcpy(mb(m, 50), ref_buf + 50, 2),
		memcpy(mb(m, 50), good + 50, 2));
	MUST_FAIL(&m, 1, &s, false, m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH, m->ol_flags = 0);
	MUST_FAIL(&m, 1, &s, false, m->ol_flags |= TCPCK, m->ol_flags = 0);
	MUST_FAIL(&m, 1, &s, false, m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD,
		m->ol_flags = 0);
	MUST_FAIL(&m, 1, &s, false, m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD,
		m->ol_flags = 0);
	MUST_FAIL(&m, 1, &s, false, m->port = cur.tx, m->port = cur.rx);
	MUST_FAIL(&m, 1, &s, false, rte_pktmbuf_trim(m, 1), rte_pktmbuf_append(m, 1));

	/* Receiver with TCP and IPv4 checksums, by default: computed, GOOD and GOOD. */
	cur.rxo = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	m->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD | RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	CHECK(verify_frames(&m, 1, &s, false) == 0);
	MUST_FAIL(&m, 1, &s, false, m->ol_flags &= ~RTE_MBUF_F_RX_L4_CKSUM_GOOD,
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	MUST_FAIL(&m, 1, &s, false, mb(m, 50)[0]++, mb(m, 50)[0]--);

	/* With csum_partial: pseudo-header with the length, NONE, GOOD. */
	cur.partial = true;
	ph = fold(phdr_sum(ip, false, IPPROTO_TCP, 32 + p.payload));
	phl = fold(phdr_sum(ip, false, IPPROTO_TCP, 0));
	put16(mb(m, 50), ph);
	m->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_NONE | RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	CHECK(verify_frames(&m, 1, &s, false) == 0);
	MUST_FAIL(&m, 1, &s, false, put16(mb(m, 50), phl), put16(mb(m, 50), ph));
	MUST_FAIL(&m, 1, &s, false, put16(mb(m, 50), get16(good + 50)), put16(mb(m, 50), ph));
	MUST_FAIL(&m, 1, &s, false, m->ol_flags &= ~RTE_MBUF_F_RX_L4_CKSUM_BAD,
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_BAD);
	MUST_FAIL(&m, 1, &s, false, m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD,
		m->ol_flags &= ~RTE_MBUF_F_RX_IP_CKSUM_BAD);
	MUST_FAIL(&m, 1, &s, false, mb(m, 900)[0] ^= 4, mb(m, 900)[0] ^= 4);
	rte_pktmbuf_free(m);
	cur.partial = false;

	/* UDP whose checksum computes to 0: sent as 0xffff, never as 0 ("none"). */
	p = (struct pkt){ .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8, .payload = 512,
		.udp_zero = true, .seed = 5 };
	r = (struct req){ .tx = TX4 | UDPCK };
	s = (struct sent){ .p = &p, .r = &r, .ref = ref_buf, .l2 = 14, .l3 = 20, .l4 = 8 };
	s.len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	memcpy(good, ref_buf, s.len);
	ip = good + 14;
	th = ip + 20;
	CHECK_EQ(l4_full(ip, false, IPPROTO_UDP, th, 8 + p.payload), 0xffff);
	put16(th + 6, 0xffff);
	cur.rxo = 0;
	m = fake_rx(good, s.len, 0);
	CHECK(m != NULL);
	CHECK(verify_frames(&m, 1, &s, false) == 0);
	MUST_FAIL(&m, 1, &s, false, put16(mb(m, 40), 0), put16(mb(m, 40), 0xffff));
	rte_pktmbuf_free(m);
	return 0;
}

/* Segments as the spec describes them, made here, for the verifier's self-test. */
static unsigned int
ref_segment(const struct sent *s, struct rte_mbuf **out)
{
	static uint8_t f[2048];
	const struct pkt *p = s->p;
	uint32_t hl = s->l2 + s->l3 + s->l4, off, pl;
	unsigned int i = 0, n = (p->payload + s->r->mss - 1) / s->r->mss;
	uint8_t *ip = f + s->l2, *th = ip + s->l3;

	for (off = 0; off < p->payload; off += pl, i++) {
		pl = RTE_MIN(s->r->mss, p->payload - off);
		memcpy(f, s->ref, hl);
		memcpy(f + hl, s->ref + hl + off, pl);
		put16(ip + 2, s->l3 + s->l4 + pl);
		put16(ip + 4, p->ip_id + i);
		put16(ip + 10, 0);
		put16(ip + 10, (uint16_t)~fold(sum_be(ip, s->l3, 0)));
		put32(th + 4, p->seq + off);
		if (i != 0)
			th[13] &= ~RTE_TCP_CWR_FLAG;
		if (i != n - 1)
			th[13] &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		put16(th + 16, l4_full(ip, false, IPPROTO_TCP, th, s->l4 + pl));
		out[i] = fake_rx(f, hl + pl, 0);
		if (out[i] == NULL)
			return 0;
	}
	return n;
}

static int
selftest_tso(void)
{
	struct pkt p = { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32, .payload = 2500,
		.tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_FIN_FLAG |
		RTE_TCP_CWR_FLAG, .ip_id = 0xffff, .seq = 0xfffffc00, .seed = 3 };
	struct req r = { .tx = TX4 | IPCK | TSO, .mss = 1000 };
	struct sent s = { .p = &p, .r = &r, .ref = ref_buf, .l2 = 14, .l3 = 20, .l4 = 32 };
	struct rte_mbuf *g[4], *t;
	int ret;

	s.len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	cur.rxo = 0;
	CHECK_EQ(ref_segment(&s, g), 3);
	CHECK(verify_frames(g, 3, &s, false) == 0);
	/* A segment missing. */
	quiet = true;
	ret = verify_frames(g, 2, &s, false);
	quiet = false;
	CHECK(ret != 0);
	MUST_FAIL(g, 3, &s, false, (t = g[1], g[1] = g[2], g[2] = t),
		(t = g[1], g[1] = g[2], g[2] = t));		/* out of order */
	MUST_FAIL(g, 3, &s, false, mb(g[0], 47)[0] |= RTE_TCP_PSH_FLAG,
		mb(g[0], 47)[0] &= ~RTE_TCP_PSH_FLAG);
	MUST_FAIL(g, 3, &s, false, mb(g[1], 47)[0] |= RTE_TCP_CWR_FLAG,
		mb(g[1], 47)[0] &= ~RTE_TCP_CWR_FLAG);
	MUST_FAIL(g, 3, &s, false, mb(g[2], 47)[0] &= ~RTE_TCP_FIN_FLAG,
		mb(g[2], 47)[0] |= RTE_TCP_FIN_FLAG);
	MUST_FAIL(g, 3, &s, false, mb(g[1], 19)[0]--, mb(g[1], 19)[0]++);	/* id */
	MUST_FAIL(g, 3, &s, false, mb(g[2], 41)[0]++, mb(g[2], 41)[0]--);	/* seq */
	MUST_FAIL(g, 3, &s, false, mb(g[1], 17)[0]++, mb(g[1], 17)[0]--);	/* length */
	MUST_FAIL(g, 3, &s, false, mb(g[1], 500)[0]++, mb(g[1], 500)[0]--);
	MUST_FAIL(g, 3, &s, false, mb(g[2], 24)[0]++, mb(g[2], 24)[0]--);	/* IPv4 ck */
	MUST_FAIL(g, 3, &s, false, g[0]->ol_flags |= RTE_MBUF_F_RX_LRO, g[0]->ol_flags = 0);
	MUST_FAIL(g, 3, &s, false, g[2]->ol_flags |= TSO, g[2]->ol_flags = 0);
	/* One segment longer than the MSS (and one shorter). */
	r.mss = 999;
	quiet = true;
	ret = verify_frames(g, 3, &s, false);
	quiet = false;
	r.mss = 1000;
	CHECK(ret != 0);
	/* Whole, as LRO: must say so. */
	rte_pktmbuf_free_bulk(g, 3);
	g[0] = fake_rx(ref_buf, s.len, 0);
	CHECK(g[0] != NULL);
	quiet = true;
	ret = verify_frames(g, 1, &s, true);
	quiet = false;
	CHECK(ret != 0);	/* no RX_LRO, no checksum */
	rte_pktmbuf_free(g[0]);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

VT_CASE(offload_capa)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t port[2];
	unsigned int i;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &port[0], &port[1]));
	for (i = 0; i < 2; i++) {
		CHECK_OK(rte_eth_dev_info_get(port[i], &info));
		CHECK_EQ(info.tx_offload_capa, TX_CAPA);
		CHECK_EQ(info.rx_offload_capa, RX_CAPA);
		CHECK_EQ(info.tx_queue_offload_capa, 0);
		CHECK_EQ(info.rx_queue_offload_capa, 0);
		CHECK_EQ(info.max_lro_pkt_size, LRO_MAX);
		/* Everything at once configures; the LRO limit is the device's. */
		conf.rxmode.offloads = RX_CAPA;
		conf.rxmode.max_lro_pkt_size = LRO_MAX;
		conf.txmode.offloads = TX_CAPA;
		CHECK_OK(rte_eth_dev_configure(port[i], 1, 1, &conf));
		conf.rxmode.max_lro_pkt_size = LRO_MAX + 1;
		CHECK_EQ(rte_eth_dev_configure(port[i], 1, 1, &conf), -EINVAL);
		/* Left 0, ethdev sets it to the MTU plus the overhead (22). */
		conf.rxmode.max_lro_pkt_size = 0;
		CHECK_OK(rte_eth_dev_configure(port[i], 1, 1, &conf));
		CHECK_OK(rte_eth_dev_conf_get(port[i], &conf));
		/* (The overhead is ethdev's guess from max_rx_pktlen and max_mtu.) */
		CHECK(conf.rxmode.max_lro_pkt_size >= RTE_ETHER_MTU + RTE_ETHER_HDR_LEN &&
			conf.rxmode.max_lro_pkt_size <= RTE_ETHER_MTU + 22);
		/* Nothing beyond the capabilities. */
		conf = (struct rte_eth_conf){ .txmode.offloads = RTE_ETH_TX_OFFLOAD_SCTP_CKSUM };
		CHECK_EQ(rte_eth_dev_configure(port[i], 1, 1, &conf), -EINVAL);
		conf = (struct rte_eth_conf){ .txmode.offloads = RTE_ETH_TX_OFFLOAD_UDP_TSO };
		CHECK_EQ(rte_eth_dev_configure(port[i], 1, 1, &conf), -EINVAL);
		conf = (struct rte_eth_conf){ .rxmode.offloads = RTE_ETH_RX_OFFLOAD_TIMESTAMP };
		CHECK_EQ(rte_eth_dev_configure(port[i], 1, 1, &conf), -EINVAL);
		conf = (struct rte_eth_conf){ .rxmode.offloads = RTE_ETH_RX_OFFLOAD_QINQ_STRIP };
		CHECK_EQ(rte_eth_dev_configure(port[i], 1, 1, &conf), -EINVAL);
		conf = (struct rte_eth_conf){ 0 };
	}
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/* Receivers of the checksum cases: none, all checksums, UDP but not TCP, TCP alone. */
static const struct {
	const char *name;
	uint64_t rxo;
} ck_rx[] = {
	{ "no rx offloads", 0 },
	{ "rx checksums", RX_CKSUMS },
	{ "rx ipv4+udp checksums, scatter", RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_SCATTER },
	{ "rx tcp checksum, scatter", RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_SCATTER },
	{ "all rx offloads", RX_CAPA },
};

VT_CASE(offload_cksum)
{
	const uint8_t ack_psh = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	const struct {
		struct pkt p;
		struct req r;
	} t[] = {
		/* IPv4 header checksum alone, over TCP and UDP. */
		{ { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32, .payload = 1000,
			.tcp_flags = ack_psh, .ip_id = 1 }, { .tx = TX4 | IPCK } },
		{ { .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8, .payload = 100,
			.ip_id = 2 }, { .tx = TX4 | IPCK } },
		/* IPv4 options: offsets come from l3_len. */
		{ { .proto = IPPROTO_UDP, .l3_len = 24, .l4_len = 8, .payload = 99,
			.ip_id = 3 }, { .tx = TX4 | IPCK } },
		/* TCP over IPv4, with and without the header checksum. */
		{ { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32, .payload = 1000,
			.tcp_flags = ack_psh, .ip_id = 4 }, { .tx = TX4 | TCPCK } },
		{ { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32, .payload = 1448,
			.tcp_flags = ack_psh, .ip_id = 5 }, { .tx = TX4 | IPCK | TCPCK } },
		{ { .proto = IPPROTO_TCP, .l3_len = 24, .l4_len = 20, .payload = 333,
			.tcp_flags = ack_psh, .ip_id = 6 }, { .tx = TX4 | IPCK | TCPCK } },
		{ { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 20, .payload = 0,
			.tcp_flags = RTE_TCP_ACK_FLAG, .ip_id = 7 }, { .tx = TX4 | IPCK | TCPCK } },
		{ { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 20, .payload = 1,
			.tcp_flags = ack_psh, .ip_id = 8 }, { .tx = TX4 | IPCK | TCPCK } },
		/* UDP over IPv4. */
		{ { .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8, .payload = 777,
			.ip_id = 9 }, { .tx = TX4 | UDPCK } },
		{ { .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8, .payload = 1472,
			.ip_id = 10 }, { .tx = TX4 | IPCK | UDPCK } },
		{ { .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8, .payload = 512,
			.udp_zero = true }, { .tx = TX4 | IPCK | UDPCK } },
		/* Over IPv6. */
		{ { .v6 = true, .proto = IPPROTO_TCP, .l4_len = 32, .payload = 1000,
			.tcp_flags = ack_psh }, { .tx = TX6 | TCPCK } },
		{ { .v6 = true, .proto = IPPROTO_TCP, .l4_len = 20, .payload = 1,
			.tcp_flags = ack_psh }, { .tx = TX6 | TCPCK } },
		{ { .v6 = true, .proto = IPPROTO_UDP, .l4_len = 8, .payload = 513 },
			{ .tx = TX6 | UDPCK } },
		{ { .v6 = true, .proto = IPPROTO_UDP, .l4_len = 8, .payload = 1440 },
			{ .tx = TX6 | UDPCK } },
		{ { .v6 = true, .proto = IPPROTO_UDP, .l4_len = 8, .payload = 600,
			.udp_zero = true }, { .tx = TX6 | UDPCK } },
	};
	struct vt_footprint before;
	struct rte_mempool *rx_mp;
	unsigned int c, k;
	uint16_t a, b;

	rx_mp = pool("ol_rx", 2047, 2048);
	CHECK(rx_mp != NULL);
	CHECK(footprint_warm(&before, rx_mp) == 0);
	/* The verifier first: it needs the ports' addresses only. */
	CHECK(pair_create(&a, &b) == 0);
	CHECK(selftest_cksum() == 0);
	CHECK(pools_full() == 0);
	CHECK(ports_up(rx_mp) == 0);
	for (c = 0; c < 2 * RTE_DIM(ck_rx); c++) {
		if (c == RTE_DIM(ck_rx))
			CHECK(pair_partial(rx_mp) == 0);
		CHECK(rx_config(ck_rx[c % RTE_DIM(ck_rx)].name, ck_rx[c % RTE_DIM(ck_rx)].rxo,
			LRO_MAX, 0, rx_mp) == 0);
		for (k = 0; k < RTE_DIM(t); k++) {
			struct pkt p = t[k].p;

			p.seed = k + 1;
			p.seq = 0x10000 * k;
			run_splits(&p, &t[k].r);
		}
	}
	CHECK(pools_full() == 0);
	CHECK(none_failed() == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(vt_footprint_same(&before) == 0);
	rte_mempool_free(rx_mp);
	return 0;
}

/* Receivers of the TSO cases. */
static const struct {
	const char *name;
	uint64_t rxo;
} tso_rx[] = {
	{ "no rx offloads", 0 },
	{ "rx checksums, no lro", RX_CKSUMS },
	{ "all rx offloads", RX_CAPA },
	{ "lro alone", RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER },
	/* Segmented towards chains: the segments may have several mbufs each. */
	{ "scatter alone", RTE_ETH_RX_OFFLOAD_SCATTER },
	{ "rx checksums, scatter, no lro", RX_CKSUMS | RTE_ETH_RX_OFFLOAD_SCATTER },
};

static struct pkt
tso_pkt(bool v6, uint32_t payload, uint32_t seed)
{
	return (struct pkt){ .v6 = v6, .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32,
		.payload = payload, .seed = seed,
		.tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_FIN_FLAG |
			RTE_TCP_CWR_FLAG | RTE_TCP_ECE_FLAG,
		/* Both wrap within the frame. */
		.ip_id = 0xfff0, .seq = 0xfffff000 };
}

static struct req
tso_req(bool v6, uint16_t mss)
{
	return (struct req){ .tx = (v6 ? TX6 : TX4 | IPCK) | TSO, .mss = mss };
}

/*
 * Towards an LRO receiver whose MTU is below the segments: not whole, and the receiver
 * enforces its MTU on each segment, as on any frame: those longer dropped as oversize,
 * counted, the others (the last, shorter one) delivered.
 */
static int
tso_past_mtu(const struct pkt *p, const struct req *r)
{
	struct rte_mbuf *m, *got[MAX_GOT];
	struct rte_eth_stats ts, rs;
	unsigned int n, i, nseg = (p->payload + r->mss - 1) / r->mss;
	uint32_t len, big = 0;
	bool fit = true;

	CHECK_OK(vt_stats_reset_pair(cur.tx, cur.rx));
	len = build(p, r, cur.tx, cur.rx, ref_buf);
	m = make_mbuf(ref_buf, len, hdr_len(p), SPLIT_HDR);
	CHECK(m != NULL);
	set_request(m, p, r);
	CHECK_EQ(rte_eth_tx_prepare(cur.tx, 0, &m, 1), 1);
	CHECK_EQ(rte_eth_tx_burst(cur.tx, 0, &m, 1), 1);
	/* With segments of the full MSS all but the last are too long for the MTU. */
	for (i = 0; i < nseg; i++)
		big += RTE_MIN(r->mss, p->payload - i * r->mss) + hdr_len(p) >
			(uint32_t)cur.mtu + RTE_ETHER_HDR_LEN;
	n = vt_rx_wait(cur.rx, 0, got, nseg - big);
	n += rte_eth_rx_burst(cur.rx, 0, got + n, MAX_GOT - n);
	for (i = 0; i < n; i++)
		fit &= got[i]->pkt_len <= (uint32_t)cur.mtu + RTE_ETHER_HDR_LEN &&
			!(got[i]->ol_flags & RTE_MBUF_F_RX_LRO);
	rte_pktmbuf_free_bulk(got, n);
	CHECK_OK(rte_eth_stats_get(cur.tx, &ts));
	CHECK_OK(rte_eth_stats_get(cur.rx, &rs));
	if (n != nseg - big || ts.opackets != nseg ||
			vt_xstat(cur.rx, "rx_oversize_errors") != big)
		fprintf(stderr, "TSO towards LRO at MTU %u below its segments: %u arrived, "
			"opackets %" PRIu64 ", rx_oversize_errors %" PRIu64 "; want %u, %u, %u\n",
			cur.mtu, n, ts.opackets, vt_xstat(cur.rx, "rx_oversize_errors"),
			nseg - big, nseg, big);
	CHECK(fit);
	CHECK(big > 0);
	CHECK_EQ(n, nseg - big);
	CHECK_EQ(ts.opackets, nseg);
	CHECK_EQ(vt_xstat(cur.rx, "rx_oversize_errors"), big);
	CHECK_EQ(rs.ierrors, big);
	CHECK_EQ(vt_xstat(cur.tx, "tx_offload_errors"), 0);
	CHECK(identity(cur.tx, cur.rx) == 0);
	CHECK(pools_full() == 0);
	return 0;
}

/* A receiver whose pool runs dry while a TSO frame is cut: rx_nombuf, the identity. */
static int
tso_nombuf(struct rte_mempool *tiny)
{
	struct pkt p = tso_pkt(false, 20000, 99);
	struct req r = tso_req(false, 1000);
	struct rte_mbuf *m, *got[MAX_GOT];
	struct rte_eth_stats ts, rs;
	uint32_t len;
	unsigned int n;

	CHECK(rx_config("tiny pool", 0, 0, 1500, tiny) == 0);
	CHECK_OK(vt_stats_reset_pair(cur.tx, cur.rx));
	len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	m = make_mbuf(ref_buf, len, 66, SPLIT_ONE);
	CHECK(m != NULL);
	set_request(m, &p, &r);
	CHECK_EQ(rte_eth_tx_prepare(cur.tx, 0, &m, 1), 1);
	CHECK_EQ(rte_eth_tx_burst(cur.tx, 0, &m, 1), 1);
	n = vt_rx_wait(cur.rx, 0, got, 8);
	n += rte_eth_rx_burst(cur.rx, 0, got + n, MAX_GOT - n);
	CHECK(n <= 8);
	rte_pktmbuf_free_bulk(got, n);
	CHECK_OK(rte_eth_stats_get(cur.tx, &ts));
	CHECK_OK(rte_eth_stats_get(cur.rx, &rs));
	/* 20 segments on the wire; what found no mbuf is counted, not lost. */
	CHECK_EQ(ts.opackets, 20);
	CHECK_EQ(rs.ipackets, n);
	CHECK_EQ(rs.rx_nombuf, 20 - n);
	CHECK_EQ(vt_xstat(cur.tx, "tx_offload_errors"), 0);
	CHECK(identity(cur.tx, cur.rx) == 0);
	CHECK(pools_full() == 0);
	CHECK(rx_config("back", 0, 0, 1500, vt_pool) == 0);
	return 0;
}

VT_CASE(offload_tso)
{
	static const uint16_t mss[] = { 1448, 1000 };
	struct rte_mempool *rx_mp, *tiny;
	struct vt_footprint before;
	struct pkt p;
	struct req r;
	unsigned int c, k, v;
	uint16_t a, b;

	/* Enough for a few 64 KiB frames cut in 66 segments, with room to spare. */
	rx_mp = pool("ol_rx", 2047, 2048);
	tiny = pool("ol_tiny", 8, 2048);
	CHECK(rx_mp != NULL && tiny != NULL);
	CHECK(footprint_warm(&before, rx_mp) == 0);
	CHECK(pair_create(&a, &b) == 0);
	CHECK(selftest_tso() == 0);
	CHECK(pools_full() == 0);
	CHECK(ports_up(rx_mp) == 0);

	/* 64 KiB over IPv4 and IPv6, two MSS, each receiver, each way of cutting the input. */
	for (c = 0; c < 2 * RTE_DIM(tso_rx); c++) {
		if (c == RTE_DIM(tso_rx))
			CHECK(pair_partial(rx_mp) == 0);
		/* The MTU lets segments of the larger MSS through, over IPv6 too. */
		CHECK(rx_config(tso_rx[c % RTE_DIM(tso_rx)].name, tso_rx[c % RTE_DIM(tso_rx)].rxo,
			LRO_MAX, 40 + 32 + 1448, rx_mp) == 0);
		for (v = 0; v < 2; v++) {
			for (k = 0; k < RTE_DIM(mss); k++) {
				p = tso_pkt(v, v ? P6_MAX : P4_MAX, 17 * c + 5 * v + k);
				r = tso_req(v, mss[k]);
				run_splits(&p, &r);
			}
			/* Payload of exactly one MSS, one byte more, from one mbuf. */
			p = tso_pkt(v, 1000, 77);
			r = tso_req(v, 1000);
			run_one(&p, &r, SPLIT_ONE);
			p.payload = 1001;
			run_one(&p, &r, SPLIT_ONE);
			p.payload = 1900;
			run_splits(&p, &r);
			/* The sender's length field left 0 (only pkt_len tells). */
			p = tso_pkt(v, 30000, 78);
			p.zero_len = true;
			run_one(&p, &r, SPLIT_HDR);
		}
	}

	CHECK(pair_default(rx_mp) == 0);
	/* LRO's limits: max_lro_pkt_size and the MTU, at the boundary and one past it. */
	p = tso_pkt(false, P4_MAX, 5);
	r = tso_req(false, 1448);
	CHECK(rx_config("lro, max_lro = frame", RX_CAPA, 14 + 20 + 32 + P4_MAX, 1500,
		rx_mp) == 0);
	CHECK(lro_due(&(struct sent){ .p = &p, .r = &r, .len = 14 + 20 + 32 + P4_MAX,
		.l2 = 14, .l3 = 20, .l4 = 32 }));
	run_one(&p, &r, SPLIT_HDR);
	CHECK(rx_config("lro, max_lro = frame - 1", RX_CAPA, 14 + 20 + 32 + P4_MAX - 1, 1500,
		rx_mp) == 0);
	run_one(&p, &r, SPLIT_HDR);
	CHECK(rx_config("lro, max_lro default", RX_CAPA, 0, 1500, rx_mp) == 0);
	CHECK(cur.max_lro >= 1514 && cur.max_lro <= 1522);
	run_one(&p, &r, SPLIT_HDR);
	/* MSS 1448 + 32 + 20 = 1500: whole at MTU 1500; at 1499 not, and no segment fits. */
	CHECK(rx_config("lro, mtu = segment", RX_CAPA, LRO_MAX, 1500, rx_mp) == 0);
	run_one(&p, &r, SPLIT_ODD);
	CHECK(rx_config("lro, mtu = segment - 1", RX_CAPA, LRO_MAX, 1499, rx_mp) == 0);
	soft(tso_past_mtu(&p, &r), "TSO past the MTU");
	/* IPv6 payload_len 65535: past max_lro_pkt_size, so cut even towards LRO. */
	p = tso_pkt(true, 65535 - 32, 6);
	r = tso_req(true, 1448);
	CHECK(rx_config("lro, frame past max_lro", RX_CAPA, LRO_MAX, 1520, rx_mp) == 0);
	run_one(&p, &r, SPLIT_HDR);

	soft(tso_nombuf(tiny), "TSO, receiver's pool dry");
	CHECK(none_failed() == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(vt_footprint_same(&before) == 0);
	rte_mempool_free(rx_mp);
	rte_mempool_free(tiny);
	return 0;
}

/* A UDP/IPv4 frame. */
static struct pkt
udp_pkt(uint32_t payload)
{
	return (struct pkt){ .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8,
		.payload = payload, .seed = payload };
}

/* A frame built, sent with TX_VLAN from an mbuf without headroom. */
static int
vlan_no_headroom(uint16_t tci)
{
	struct pkt p = udp_pkt(500);
	struct req r = { .tx = TX4 | IPCK | UDPCK | TXVLAN, .tci = tci };
	struct sent s = { .p = &p, .r = &r, .ref = ref_buf, .l2 = 14, .l3 = 20, .l4 = 8 };
	struct rte_mbuf *m, *got[4];
	uint32_t pl;
	unsigned int n;

	s.len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	m = rte_pktmbuf_alloc(vt_pool);
	CHECK(m != NULL);
	m->data_off = 0;
	memcpy(rte_pktmbuf_append(m, s.len), ref_buf, s.len);
	set_request(m, &p, &r);
	CHECK_OK(vt_stats_reset_pair(cur.tx, cur.rx));
	CHECK_EQ(rte_eth_tx_prepare(cur.tx, 0, &m, 1), 1);
	CHECK_EQ(rte_eth_tx_burst(cur.tx, 0, &m, 1), 1);
	n = vt_rx_wait(cur.rx, 0, got, 1);
	n += rte_eth_rx_burst(cur.rx, 0, got + n, RTE_DIM(got) - n);
	CHECK_EQ(n, 1);
	if (verify_one(got[0], &s, 0, 1, 0, false, false, &pl) != 0) {
		fprintf(stderr, "  in: TX_VLAN from an mbuf without headroom, %s\n", cur.what);
		rte_pktmbuf_free(got[0]);
		return -1;
	}
	rte_pktmbuf_free(got[0]);
	CHECK(identity(cur.tx, cur.rx) == 0);
	CHECK(pools_full() == 0);
	return 0;
}

VT_CASE(offload_vlan)
{
	static const uint16_t tcis[] = { 0x2005, 0, 0xffff };
	static const struct {
		const char *name;
		uint64_t rxo;
	} rxs[] = {
		{ "no rx offloads", 0 },
		{ "vlan strip", RTE_ETH_RX_OFFLOAD_VLAN_STRIP },
		{ "all rx offloads", RX_CAPA },
		{ "vlan strip, checksums, no lro", RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RX_CKSUMS },
	};
	struct vt_footprint before;
	struct rte_mempool *rx_mp;
	struct pkt p;
	struct req r;
	unsigned int c, k;
	uint16_t a, b;

	rx_mp = pool("ol_rx", 2047, 2048);
	CHECK(rx_mp != NULL);
	CHECK(footprint_warm(&before, rx_mp) == 0);
	CHECK(pair_up(&a, &b, rx_mp) == 0);
	for (c = 0; c < RTE_DIM(rxs); c++) {
		/* MTU 1500: a tag inserted on a full-sized frame does not count against it. */
		CHECK(rx_config(rxs[c].name, rxs[c].rxo, LRO_MAX, 1500, rx_mp) == 0);
		for (k = 0; k < RTE_DIM(tcis); k++) {
			/* Insert alone, no offsets needed. */
			p = udp_pkt(100);
			r = (struct req){ .tx = TX4 | TXVLAN, .tci = tcis[k] };
			run_splits(&p, &r);
			p.payload = 1500 - 28;	/* 1514 bytes: the MTU exactly */
			run_splits(&p, &r);
		}
		/* With checksums: their offsets are the untagged frame's. */
		p = udp_pkt(777);
		r = (struct req){ .tx = TX4 | IPCK | UDPCK | TXVLAN, .tci = 0x0123 };
		run_splits(&p, &r);
		p = (struct pkt){ .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 32,
			.payload = 1000, .tcp_flags = RTE_TCP_ACK_FLAG, .seed = 8 };
		r = (struct req){ .tx = TX4 | IPCK | TCPCK | TXVLAN, .tci = 0x0456 };
		run_splits(&p, &r);
		p.v6 = true;
		r.tx = TX6 | TCPCK | TXVLAN;
		run_splits(&p, &r);
		/* With TSO: every segment tagged, or each stripped, or the whole frame. */
		p = tso_pkt(false, P4_MAX, 9);
		r = tso_req(false, 1000);
		r.tx |= TXVLAN;
		r.tci = 0x0789;
		run_one(&p, &r, SPLIT_ODD);
		p = tso_pkt(true, 20000, 10);
		r = tso_req(true, 1000);
		r.tx |= TXVLAN;
		r.tci = 0x0abc;
		run_one(&p, &r, SPLIT_HDR);
		/* A tag in the frame: stripped by VLAN_STRIP like a NIC, else left. */
		p = udp_pkt(200);
		p.in_tag = 0x3064;
		r = (struct req){ .tx = 0 };
		run_splits(&p, &r);
		p = (struct pkt){ .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 20,
			.payload = 900, .tcp_flags = RTE_TCP_ACK_FLAG, .seed = 12,
			.in_tag = 0x0065 };
		r = (struct req){ .tx = TX4 | IPCK | TCPCK };
		run_splits(&p, &r);
		/* No headroom in front of the frame: the tag goes in all the same. */
		soft(vlan_no_headroom(0x0777), "TX_VLAN without headroom");
	}
	CHECK(pools_full() == 0);
	CHECK(none_failed() == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(vt_footprint_same(&before) == 0);
	rte_mempool_free(rx_mp);
	return 0;
}

/* Send the chains; return how many arrived in got. */
static int
send_chains(struct rte_mbuf **m, unsigned int nb, struct rte_mbuf **got, unsigned int want,
	unsigned int *n)
{
	CHECK_OK(vt_stats_reset_pair(cur.tx, cur.rx));
	CHECK_EQ(rte_eth_tx_prepare(cur.tx, 0, m, nb), nb);
	CHECK_EQ(rte_eth_tx_burst(cur.tx, 0, m, nb), nb);
	*n = vt_rx_wait(cur.rx, 0, got, want);
	*n += rte_eth_rx_burst(cur.rx, 0, got + *n, MAX_GOT - *n);
	return 0;
}

static struct rte_mbuf *
plain_chain(const uint8_t *bytes, uint32_t len)
{
	uint16_t seg[3] = { 60, 1, (uint16_t)(len - 61) };

	return vt_chain(bytes, seg, 3);
}

VT_CASE(offload_scatter)
{
	static uint8_t bytes[600];
	const uint16_t room = 256;
	struct rte_mbuf *m[4], *got[MAX_GOT], *held[8];
	struct rte_mempool *small, *tiny;
	struct vt_footprint before;
	struct rte_eth_stats ts, rs;
	struct rte_ether_addr mac;
	unsigned int n, i;
	uint16_t a, b;

	small = pool("ol_small", 511, room);
	tiny = pool("ol_tiny", 8, 2048);
	CHECK(small != NULL && tiny != NULL);
	CHECK(footprint_warm(&before, small) == 0);
	CHECK(pair_up(&a, &b, small) == 0);
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 7 + 3);
	CHECK_OK(rte_eth_macaddr_get(b, &mac));
	memcpy(bytes, &mac, 6);

	/* Without scatter: a chain that fits one mbuf of the receiver's pool arrives in one. */
	CHECK(rx_config("small room, no scatter", 0, 0, 0, small) == 0);
	m[0] = plain_chain(bytes, room);
	CHECK(m[0] != NULL);
	CHECK(send_chains(m, 1, got, 1, &n) == 0);
	CHECK_EQ(n, 1);
	CHECK(got[0] != m[0]);
	CHECK(got[0]->pool == small);
	CHECK_EQ(got[0]->nb_segs, 1);
	CHECK_EQ(got[0]->pkt_len, room);
	CHECK_EQ(got[0]->data_len, room);
	CHECK(memcmp(rte_pktmbuf_mtod(got[0], void *), bytes, room) == 0);
	CHECK_EQ(got[0]->ol_flags & ~RX_KNOWN, 0);
	rte_pktmbuf_free(got[0]);
	CHECK(identity(a, b) == 0);
	CHECK(pools_full() == 0);

	/* One byte more: dropped, counted in rx_scatter_errors and ierrors. */
	m[0] = plain_chain(bytes, room + 1);
	CHECK(m[0] != NULL);
	CHECK(send_chains(m, 1, got, 1, &n) == 0);
	CHECK_EQ(n, 0);
	CHECK_OK(rte_eth_stats_get(a, &ts));
	CHECK_OK(rte_eth_stats_get(b, &rs));
	CHECK_EQ(ts.opackets, 1);
	CHECK_EQ(ts.oerrors, 0);
	CHECK_EQ(rs.ipackets, 0);
	CHECK_EQ(rs.ierrors, 1);
	CHECK_EQ(vt_xstat(b, "rx_scatter_errors"), 1);
	CHECK(identity(a, b) == 0);
	CHECK(pools_full() == 0);

	/* Mixed, in order: fits, too long, fits, too long. */
	for (i = 0; i < 4; i++) {
		bytes[20] = (uint8_t)i;
		m[i] = plain_chain(bytes, i & 1 ? 599 : 200 + i);
		CHECK(m[i] != NULL);
	}
	CHECK(send_chains(m, 4, got, 2, &n) == 0);
	CHECK_EQ(n, 2);
	CHECK_EQ(got[0]->pkt_len, 200);
	CHECK_EQ(rte_pktmbuf_mtod(got[0], uint8_t *)[20], 0);
	CHECK_EQ(got[1]->pkt_len, 202);
	CHECK_EQ(rte_pktmbuf_mtod(got[1], uint8_t *)[20], 2);
	rte_pktmbuf_free_bulk(got, n);
	CHECK_EQ(vt_xstat(b, "rx_scatter_errors"), 2);
	CHECK_OK(rte_eth_stats_get(b, &rs));
	CHECK_EQ(rs.ierrors, 2);
	CHECK(identity(a, b) == 0);
	CHECK(pools_full() == 0);

	/* With scatter: the chain itself, zero copy, whatever the receiver's room. */
	CHECK(rx_config("small room, scatter", RTE_ETH_RX_OFFLOAD_SCATTER, 0, 0, small) == 0);
	m[0] = plain_chain(bytes, 599);
	CHECK(m[0] != NULL);
	CHECK(send_chains(m, 1, got, 1, &n) == 0);
	CHECK_EQ(n, 1);
	CHECK(got[0] == m[0]);
	CHECK_EQ(got[0]->nb_segs, 3);
	CHECK_EQ(got[0]->pkt_len, 599);
	CHECK_EQ(vt_xstat(b, "rx_scatter_errors"), 0);
	rte_pktmbuf_free(got[0]);
	CHECK(identity(a, b) == 0);
	CHECK(pools_full() == 0);

	/* No mbuf for the copy: rx_nombuf, in the sender's opackets. */
	CHECK(rx_config("empty pool, no scatter", 0, 0, 0, tiny) == 0);
	CHECK_OK(rte_pktmbuf_alloc_bulk(tiny, held, RTE_DIM(held)));
	m[0] = plain_chain(bytes, 100);
	CHECK(m[0] != NULL);
	CHECK(send_chains(m, 1, got, 1, &n) == 0);
	CHECK_EQ(n, 0);
	CHECK_OK(rte_eth_stats_get(a, &ts));
	CHECK_OK(rte_eth_stats_get(b, &rs));
	CHECK_EQ(ts.opackets, 1);
	CHECK_EQ(rs.rx_nombuf, 1);
	CHECK_EQ(rs.ipackets, 0);
	CHECK(identity(a, b) == 0);
	rte_pktmbuf_free_bulk(held, RTE_DIM(held));
	CHECK(pools_full() == 0);
	CHECK(rx_config("back", 0, 0, 0, vt_pool) == 0);

	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(vt_footprint_same(&before) == 0);
	rte_mempool_free(small);
	rte_mempool_free(tiny);
	return 0;
}

/* ---------------------------------------------------------------------------------- */
/* rte_eth_tx_prepare */

enum bad {
	BAD_PKT_LEN, BAD_NB_SEGS, BAD_IPCK_V6, BAD_IPCK_ALONE, BAD_TCPCK_NO_L3,
	BAD_UDPCK_BOTH, BAD_TSO_NO_L3, BAD_L2_LEN, BAD_L3_V4, BAD_L3_V6, BAD_TSO_L4,
	BAD_TSO_MSS0, BAD_TSO_DESC, BAD_TSO_SPLIT_HDR, BAD_V4_LEN, BAD_V6_LEN,
	NOTSUP_SCTP, NOTSUP_UDP_SEG, NOTSUP_OUTER_IP, NOTSUP_OUTER_UDP, NOTSUP_TUNNEL,
	NOTSUP_QINQ, NOTSUP_SEC, NB_BAD,
};

static const char * const bad_name[] = {
	"pkt_len past the segments", "nb_segs wrong", "IP_CKSUM with IPV6",
	"IP_CKSUM without IPV4", "TCP_CKSUM without IPV4/IPV6", "UDP_CKSUM with IPV4 and IPV6",
	"TCP_SEG without IPV4/IPV6", "l2_len 13", "IPv4 l3_len 19", "IPv6 l3_len 39",
	"TCP_SEG l4_len 19", "TCP_SEG tso_segsz 0", "TCP_SEG more segments than nb_desc",
	"TCP_SEG headers across segments", "IPv4 total_length past the frame",
	"IPv6 payload_len past the frame", "SCTP_CKSUM", "UDP_SEG", "OUTER_IP_CKSUM",
	"OUTER_UDP_CKSUM", "TUNNEL_VXLAN", "QINQ", "SEC_OFFLOAD",
};

/* A good packet for each kind of request. */
static struct rte_mbuf *
good_mbuf(unsigned int k, uint32_t *segs)
{
	struct pkt p = { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 20, .payload = 1000,
		.tcp_flags = RTE_TCP_ACK_FLAG, .seed = k };
	struct req r = { .tx = TX4 | IPCK | TCPCK };
	enum split sp = SPLIT_ONE;
	struct rte_mbuf *m;
	uint32_t len;

	switch (k % 6) {
	case 1:
		p = (struct pkt){ .v6 = true, .proto = IPPROTO_UDP, .l4_len = 8,
			.payload = 300, .seed = k };
		r.tx = TX6 | UDPCK;
		break;
	case 2:
		p.payload = 1500;
		r = (struct req){ .tx = TX4 | IPCK | TSO, .mss = 1000 };
		break;
	case 3:
		r = (struct req){ .tx = TXVLAN, .tci = 5 };
		break;
	case 4:
		r = (struct req){ 0 };
		break;
	case 5:
		p = tso_pkt(false, P4_MAX, k);
		r = tso_req(false, 1448);
		sp = SPLIT_ODD;
		break;
	}
	len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	m = make_mbuf(ref_buf, len, hdr_len(&p), sp);
	if (m != NULL)
		set_request(m, &p, &r);
	*segs = (r.tx & TSO) ? (p.payload + r.mss - 1) / r.mss : 1;
	return m;
}

/* A packet tx_prepare must refuse with *err. */
static struct rte_mbuf *
bad_mbuf(enum bad k, int *err)
{
	struct pkt p = { .proto = IPPROTO_TCP, .l3_len = 20, .l4_len = 20, .payload = 1000,
		.tcp_flags = RTE_TCP_ACK_FLAG, .seed = k };
	struct req r = { .tx = TX4 | IPCK | TCPCK };
	enum split sp = SPLIT_ONE;
	uint32_t len, hdrs;
	struct rte_mbuf *m;

	*err = k >= NOTSUP_SCTP ? ENOTSUP : EINVAL;
	switch (k) {
	case BAD_NB_SEGS:
		sp = SPLIT_HDR;
		break;
	case BAD_L3_V6:
	case BAD_V6_LEN:
		p = (struct pkt){ .v6 = true, .proto = IPPROTO_UDP, .l4_len = 8,
			.payload = 300, .seed = k };
		r.tx = TX6 | UDPCK;
		break;
	case BAD_TSO_NO_L3:
	case BAD_TSO_L4:
	case BAD_TSO_MSS0:
		r = (struct req){ .tx = TX4 | IPCK | TSO, .mss = 500 };
		break;
	case BAD_TSO_DESC:
		p = tso_pkt(false, P4_MAX, k);
		r = (struct req){ .tx = TX4 | IPCK | TSO, .mss = 100 };	/* 655 > 512 */
		sp = SPLIT_HDR;
		break;
	case BAD_TSO_SPLIT_HDR:
		p = tso_pkt(false, 20000, k);
		r = (struct req){ .tx = TX4 | IPCK | TSO, .mss = 1000 };
		break;
	case NOTSUP_UDP_SEG:
		p = (struct pkt){ .proto = IPPROTO_UDP, .l3_len = 20, .l4_len = 8,
			.payload = 1800, .seed = k };
		r = (struct req){ .tx = TX4 | IPCK | RTE_MBUF_F_TX_UDP_SEG, .mss = 500 };
		break;
	default:
		break;
	}
	len = build(&p, &r, cur.tx, cur.rx, ref_buf);
	hdrs = hdr_len(&p);
	if (k == BAD_TSO_SPLIT_HDR) {
		/* The TCP header's last byte in the second segment. */
		uint16_t seg[16];
		uint32_t done = hdrs - 1, i = 0;

		seg[i++] = (uint16_t)done;
		for (; done < len; done += seg[i++])
			seg[i] = (uint16_t)RTE_MIN(2000u, len - done);
		m = vt_chain(ref_buf, seg, i);
	} else {
		m = make_mbuf(ref_buf, len, hdrs, sp);
	}
	if (m == NULL)
		return NULL;
	set_request(m, &p, &r);
	switch (k) {
	case BAD_PKT_LEN:
		m->pkt_len++;
		break;
	case BAD_NB_SEGS:
		m->nb_segs++;
		break;
	case BAD_IPCK_V6:
		m->ol_flags = (m->ol_flags & ~TX4) | TX6;
		break;
	case BAD_IPCK_ALONE:
		m->ol_flags &= ~(TX4 | TCPCK);
		break;
	case BAD_TCPCK_NO_L3:
		m->ol_flags &= ~(TX4 | IPCK);
		break;
	case BAD_UDPCK_BOTH:
		m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_L4_MASK) | UDPCK | TX6;
		break;
	case BAD_TSO_NO_L3:
		m->ol_flags &= ~(TX4 | IPCK);
		break;
	case BAD_L2_LEN:
		m->l2_len = 13;
		break;
	case BAD_L3_V4:
		m->l3_len = 19;
		break;
	case BAD_L3_V6:
		m->l3_len = 39;
		break;
	case BAD_TSO_L4:
		m->l4_len = 19;
		break;
	case BAD_TSO_MSS0:
		m->tso_segsz = 0;
		break;
	case BAD_V4_LEN:
		put16(mb(m, 16), (uint16_t)(m->pkt_len - 14 + 1));
		break;
	case BAD_V6_LEN:
		put16(mb(m, 18), (uint16_t)(m->pkt_len - 14 - 40 + 1));
		break;
	case NOTSUP_SCTP:
		m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_L4_MASK) | RTE_MBUF_F_TX_SCTP_CKSUM;
		break;
	case NOTSUP_OUTER_IP:
		m->ol_flags |= RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IP_CKSUM;
		m->outer_l2_len = 14;
		m->outer_l3_len = 20;
		break;
	case NOTSUP_OUTER_UDP:
		m->ol_flags |= RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_UDP_CKSUM;
		m->outer_l2_len = 14;
		m->outer_l3_len = 20;
		break;
	case NOTSUP_TUNNEL:
		m->ol_flags |= RTE_MBUF_F_TX_TUNNEL_VXLAN | RTE_MBUF_F_TX_OUTER_IPV4;
		m->outer_l2_len = 14;
		m->outer_l3_len = 20;
		break;
	case NOTSUP_QINQ:
		m->ol_flags |= RTE_MBUF_F_TX_QINQ | TXVLAN;
		m->vlan_tci_outer = 7;
		break;
	case NOTSUP_SEC:
		m->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		break;
	default:
		break;
	}
	return m;
}

/* Undo what would make rte_pktmbuf_free walk a wrong chain. */
static void
bad_free(enum bad k, struct rte_mbuf *m)
{
	if (k == BAD_NB_SEGS)
		m->nb_segs--;
	rte_pktmbuf_free(m);
}

VT_CASE(offload_prepare)
{
	struct rte_mbuf *m[8], *got[MAX_GOT];
	struct vt_footprint before;
	struct rte_eth_stats ts, rs;
	uint32_t segs, want = 0, nbad = 0;
	unsigned int k, n, i, j;
	uint16_t a, b, ret;
	int err = 0;

	RTE_BUILD_BUG_ON(RTE_DIM(bad_name) != NB_BAD);
	CHECK(footprint_warm(&before, vt_pool) == 0);
	CHECK(pair_up(&a, &b, vt_pool) == 0);
	cur.rx_mp = vt_pool;
	CHECK(rx_config("all rx offloads, no lro", RX_CAPA & ~RTE_ETH_RX_OFFLOAD_TCP_LRO,
		0, 9000, vt_pool) == 0);

	/* Good packets of every kind pass, and all arrive. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	for (k = 0; k < 6; k++) {
		m[k] = good_mbuf(k, &segs);
		CHECK(m[k] != NULL);
		want += segs;
	}
	CHECK_EQ(rte_eth_tx_prepare(a, 0, m, 6), 6);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 6), 6);
	n = vt_rx_wait(b, 0, got, want);
	n += rte_eth_rx_burst(b, 0, got + n, MAX_GOT - n);
	CHECK_EQ(n, want);
	rte_pktmbuf_free_bulk(got, n);
	CHECK_EQ(vt_xstat(a, "tx_offload_errors"), 0);
	CHECK(identity(a, b) == 0);
	CHECK(pools_full() == 0);

	/* Each bad one: the index of the first refused, with its errno; first or after good. */
	for (k = 0; k < NB_BAD; k++) {
		for (i = 0; i < 3; i += 2) {
			/* Good ones before it and after it: prepare stops at the bad one. */
			for (j = 0; j < 4; j++) {
				m[j] = j == i ? bad_mbuf(k, &err) : good_mbuf(j, &segs);
				CHECK(m[j] != NULL);
			}
			rte_errno = 0;
			ret = rte_eth_tx_prepare(a, 0, m, 4);
			if (ret != i || rte_errno != err)
				fprintf(stderr, "tx_prepare, %s at %u: returned %u, rte_errno %d "
					"(%s); want %u, %s\n", bad_name[k], i, ret, rte_errno,
					rte_strerror(rte_errno), i, err == EINVAL ? "EINVAL" :
					"ENOTSUP");
			CHECK_EQ(ret, i);
			CHECK_EQ(rte_errno, err);
			bad_free(k, m[i]);
			m[i] = NULL;
			rte_pktmbuf_free_bulk(m, 4);
		}
	}
	CHECK(pools_full() == 0);

	/*
	 * Sent without tx_prepare, requests the driver cannot honour are freed and counted in
	 * tx_offload_errors and oerrors, not in opackets; the good ones around them arrive.
	 */
	CHECK_OK(vt_stats_reset_pair(a, b));
	want = 0;
	for (k = 0; k < NB_BAD; k++) {
		if (k == BAD_PKT_LEN || k == BAD_NB_SEGS)
			continue;	/* malformed: counted as such, not as an offload */
		m[0] = good_mbuf(0, &segs);
		m[1] = bad_mbuf(k, &err);
		m[2] = good_mbuf(4, &segs);
		CHECK(m[0] != NULL && m[1] != NULL && m[2] != NULL);
		CHECK_EQ(rte_eth_tx_burst(a, 0, m, 3), 3);
		nbad++;
		want += 2;
		n = vt_rx_wait(b, 0, got, 2);
		n += rte_eth_rx_burst(b, 0, got + n, MAX_GOT - n);
		if (n != 2)
			fprintf(stderr, "tx_burst with %s: %u frames arrived\n", bad_name[k], n);
		CHECK_EQ(n, 2);
		/* The good ones, zero copy, in order. */
		CHECK(got[0] == m[0] && got[1] == m[2]);
		rte_pktmbuf_free_bulk(got, n);
		if (vt_xstat(a, "tx_offload_errors") != nbad)
			fprintf(stderr, "tx_burst with %s: not counted\n", bad_name[k]);
		CHECK_EQ(vt_xstat(a, "tx_offload_errors"), nbad);
		CHECK(pools_full() == 0);
	}
	CHECK_OK(rte_eth_stats_get(a, &ts));
	CHECK_OK(rte_eth_stats_get(b, &rs));
	CHECK_EQ(ts.opackets, want);
	CHECK_EQ(ts.oerrors, nbad);
	CHECK_EQ(rs.ipackets, want);
	CHECK(identity(a, b) == 0);

	/*
	 * Malformed mbufs between offload requests (the burst goes frame by frame): counted in
	 * tx_malformed_errors and oerrors, not as offload errors; the good ones arrive.
	 */
	CHECK_OK(vt_stats_reset_pair(a, b));
	for (k = BAD_PKT_LEN; k <= BAD_NB_SEGS; k++) {
		m[0] = good_mbuf(0, &segs);
		m[1] = bad_mbuf(k, &err);
		m[2] = good_mbuf(4, &segs);
		CHECK(m[0] != NULL && m[1] != NULL && m[2] != NULL);
		CHECK_EQ(rte_eth_tx_burst(a, 0, m, 3), 3);
		n = vt_rx_wait(b, 0, got, 2);
		n += rte_eth_rx_burst(b, 0, got + n, MAX_GOT - n);
		CHECK_EQ(n, 2);
		CHECK(got[0] == m[0] && got[1] == m[2]);
		rte_pktmbuf_free_bulk(got, n);
		CHECK_EQ(vt_xstat(a, "tx_malformed_errors"), k - BAD_PKT_LEN + 1);
		CHECK(pools_full() == 0);
	}
	CHECK_EQ(vt_xstat(a, "tx_offload_errors"), 0);
	CHECK_OK(rte_eth_stats_get(a, &ts));
	CHECK_EQ(ts.oerrors, 2);
	CHECK(identity(a, b) == 0);

	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(vt_footprint_same(&before) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/*
 * No Tx flag arrives, whatever the sender set, and no stale Rx flag: frames without a
 * request but with Tx flags that need no work (TX_IPV4 alone, TX_IPV6 alone), with every
 * stale Rx flag, towards each receiver; they travel untouched and zero copy.
 */
VT_CASE(offload_no_tx_flags)
{
	static const uint64_t txs[] = { 0, TX4, TX6 };
	static const struct {
		const char *name;
		uint64_t rxo;
	} rxs[] = {
		{ "no rx offloads", 0 },
		{ "all rx offloads", RX_CAPA },
		{ "rx checksums", RX_CKSUMS },
	};
	struct rte_mbuf *m[16], *got[MAX_GOT];
	struct vt_footprint before;
	struct pkt p[16];
	struct req r[16];
	struct sent s;
	unsigned int c, k, n, i;
	uint32_t pl, len;
	uint16_t a, b;

	CHECK(footprint_warm(&before, vt_pool) == 0);
	CHECK(pair_up(&a, &b, vt_pool) == 0);
	for (c = 0; c < RTE_DIM(rxs); c++) {
		CHECK(rx_config(rxs[c].name, rxs[c].rxo, LRO_MAX, 0, vt_pool) == 0);
		CHECK_OK(vt_stats_reset_pair(a, b));
		for (k = 0; k < 16; k++) {
			p[k] = (struct pkt){ .v6 = (k & 1) != 0, .l3_len = 20,
				.proto = k & 2 ? IPPROTO_UDP : IPPROTO_TCP,
				.l4_len = k & 2 ? 8 : 20, .payload = 100 + k,
				.tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, .seed = k };
			r[k] = (struct req){ .tx = txs[k % RTE_DIM(txs)] };
			if (p[k].v6 && (r[k].tx & TX4))
				r[k].tx = (r[k].tx & ~TX4) | TX6;
			if (!p[k].v6 && (r[k].tx & TX6))
				r[k].tx = (r[k].tx & ~TX6) | TX4;
			len = build(&p[k], &r[k], a, b, ref_buf);
			m[k] = make_mbuf(ref_buf, len, len, SPLIT_ONE);
			CHECK(m[k] != NULL);
			set_request(m[k], &p[k], &r[k]);
			/* Every stale Rx flag, those the receiver sets itself included. */
			m[k]->ol_flags |= STALE_ALL;
			m[k]->tso_segsz = 1000;
		}
		CHECK_EQ(rte_eth_tx_prepare(a, 0, m, 16), 16);
		CHECK_EQ(rte_eth_tx_burst(a, 0, m, 16), 16);
		n = vt_rx_wait(b, 0, got, 16);
		n += rte_eth_rx_burst(b, 0, got + n, MAX_GOT - n);
		CHECK_EQ(n, 16);
		for (i = 0; i < n; i++) {
			s = (struct sent){ .p = &p[i], .r = &r[i], .ref = ref_buf, .l2 = 14,
				.l3 = p[i].v6 ? 40 : 20, .l4 = p[i].l4_len };
			s.len = build(&p[i], &r[i], a, b, ref_buf);
			CHECK(got[i] == m[i]);
			CHECK_EQ(got[i]->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK, 0);
			CHECK_EQ(got[i]->ol_flags & (STALE_RX | RTE_MBUF_F_RX_LRO |
				RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED), 0);
			if (verify_one(got[i], &s, 0, 1, 0, false, false, &pl) != 0) {
				fprintf(stderr, "  in: frame %u, tx 0x%" PRIx64 ", %s\n", i,
					r[i].tx, cur.what);
				rte_pktmbuf_free_bulk(got, n);
				return -1;
			}
		}
		rte_pktmbuf_free_bulk(got, n);
		CHECK_EQ(vt_xstat(a, "tx_offload_errors"), 0);
		CHECK(identity(a, b) == 0);
		CHECK(pools_full() == 0);
	}
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(vt_footprint_same(&before) == 0);
	return 0;
}
