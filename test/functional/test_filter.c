/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * MAC classes, packet types, L2 filtering, MTU and drop counters, as an application sees
 * them through ethdev. The receiving port's addresses and modes decide; the sender's
 * tx_burst consumes what the receiver drops. Every case checks every counter of both ports
 * exactly, and the conservation identity (vt_check_identity) after each scenario.
 */

#include <stddef.h>
#include <string.h>

#include <rte_mbuf_dyn.h>
#include <rte_mbuf_ptype.h>

#include "vpair_test.h"

/* What the sender leaves in the fields the receiver may write: seen again, they were not. */
#define SENT_PTYPE	0xdeadbeefu
#define SENT_CLASS	0x77
#define ALL_PTYPE_MASKS	(RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)
#define MAX_BURST	256
#define VPAIR_TEST_MC_MAX	64	/* multicast list capacity */

enum {
	HOST = RTE_PMD_VPAIR_PKT_HOST,
	BCAST = RTE_PMD_VPAIR_PKT_BROADCAST,
	MCAST = RTE_PMD_VPAIR_PKT_MULTICAST,
	OTHER = RTE_PMD_VPAIR_PKT_OTHERHOST,
	/* Not classes: why a frame is dropped. */
	DROP_OTHERHOST = 10,
	DROP_MCAST,
	DROP_OVERSIZE,
	DROP_RUNT,
};

static int dyn_off = -1;

static struct rte_ether_addr bcast = {{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }};
static struct rte_ether_addr mc1 = {{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }};
static struct rte_ether_addr mc2 = {{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x02 }};
static struct rte_ether_addr uc_other = {{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 }};

/* Every counter a test looks at, basic stats and xstats. */
struct cnt {
	uint64_t opackets, obytes, oerrors, ipackets, ibytes, ierrors, imissed;
	uint64_t otherhost, mcast, oversize, undersized, flushed;
	uint64_t rx_uc, rx_mc, rx_bc, tx_uc, tx_mc, tx_bc, ring_full, link_down, malformed;
};

#define CNT_FIELD(f, x) { #f, x, offsetof(struct cnt, f) }
static const struct {
	const char *name;
	const char *xstat;	/* NULL: a basic stat */
	size_t off;
} cnt_fields[] = {
	CNT_FIELD(opackets, NULL), CNT_FIELD(obytes, NULL), CNT_FIELD(oerrors, NULL),
	CNT_FIELD(ipackets, NULL), CNT_FIELD(ibytes, NULL), CNT_FIELD(ierrors, NULL),
	CNT_FIELD(imissed, NULL),
	CNT_FIELD(otherhost, "rx_otherhost_dropped"),
	CNT_FIELD(mcast, "rx_mcast_filter_dropped"),
	CNT_FIELD(oversize, "rx_oversize_errors"),
	CNT_FIELD(undersized, "rx_undersized_errors"),
	CNT_FIELD(flushed, "rx_flushed_dropped"),
	CNT_FIELD(rx_uc, "rx_unicast_packets"),
	CNT_FIELD(rx_mc, "rx_multicast_packets"),
	CNT_FIELD(rx_bc, "rx_broadcast_packets"),
	CNT_FIELD(tx_uc, "tx_unicast_packets"),
	CNT_FIELD(tx_mc, "tx_multicast_packets"),
	CNT_FIELD(tx_bc, "tx_broadcast_packets"),
	CNT_FIELD(ring_full, "tx_ring_full_errors"),
	CNT_FIELD(link_down, "tx_link_down_errors"),
	CNT_FIELD(malformed, "tx_malformed_errors"),
};
#define CNT(c, i) (*(uint64_t *)((char *)(c) + cnt_fields[i].off))

static int
cnt_get(uint16_t port, struct cnt *c)
{
	struct rte_eth_stats s;
	unsigned int i;

	if (rte_eth_stats_get(port, &s) != 0)
		return -1;
	c->opackets = s.opackets;
	c->obytes = s.obytes;
	c->oerrors = s.oerrors;
	c->ipackets = s.ipackets;
	c->ibytes = s.ibytes;
	c->ierrors = s.ierrors;
	c->imissed = s.imissed;
	for (i = 0; i < RTE_DIM(cnt_fields); i++) {
		if (cnt_fields[i].xstat == NULL)
			continue;
		CNT(c, i) = vt_xstat(port, cnt_fields[i].xstat);
		if (CNT(c, i) == UINT64_MAX) {
			fprintf(stderr, "port %u has no xstat %s\n", port, cnt_fields[i].xstat);
			return -1;
		}
	}
	return 0;
}

/* Every counter of port, minus base if given, equals want. */
static int
cnt_check(uint16_t port, const struct cnt *base, const struct cnt *want, int line)
{
	struct cnt now;
	unsigned int i;
	int ret = 0;

	if (cnt_get(port, &now) != 0)
		return -1;
	for (i = 0; i < RTE_DIM(cnt_fields); i++) {
		uint64_t v = CNT(&now, i) - (base != NULL ? CNT(base, i) : 0);
		uint64_t w = CNT(want, i);

		vt_checks++;
		if (v != w) {
			fprintf(stderr, "%s:%d: port %u: %s%s is %" PRIu64 ", expected %" PRIu64
				"\n", __FILE__, line, port, cnt_fields[i].name,
				base != NULL ? " (change)" : "", v, w);
			ret = -1;
		}
	}
	return ret;
}

/* Counters since the last reset; unnamed fields must be 0. */
#define EXPECT(port, ...) \
	CHECK(cnt_check((port), NULL, &(const struct cnt){ __VA_ARGS__ }, __LINE__) == 0)
/* Changes since the snapshot base; unnamed fields must not have changed. */
#define EXPECT_DELTA(port, base, ...) \
	CHECK(cnt_check((port), (base), &(const struct cnt){ __VA_ARGS__ }, __LINE__) == 0)
#define IDENTITY(a, b) do { \
	CHECK(vt_check_identity((a), (b)) == 0); \
	CHECK(vt_check_identity((b), (a)) == 0); \
} while (0)

static struct rte_ether_addr
mac_of(uint16_t port)
{
	struct rte_ether_addr mac = {{ 0 }};

	rte_eth_macaddr_get(port, &mac);
	return mac;
}

static void
mark(struct rte_mbuf *m)
{
	m->packet_type = SENT_PTYPE;
	*RTE_MBUF_DYNFIELD(m, dyn_off, uint8_t *) = SENT_CLASS;
}

static uint8_t
dyn(const struct rte_mbuf *m)
{
	return *RTE_MBUF_DYNFIELD(m, dyn_off, const uint8_t *);
}

/* vt_frame from port `from` to dst, fields preset to the sentinels. */
static struct rte_mbuf *
frame(uint16_t from, const struct rte_ether_addr *dst, uint32_t seq, uint16_t len)
{
	struct rte_ether_addr src = mac_of(from);
	struct rte_mbuf *m = vt_frame(dst, &src, seq, len);

	if (m != NULL)
		mark(m);
	return m;
}

/* Receive everything waiting on queue 0, up to max. */
static uint16_t
rx_all(uint16_t port, struct rte_mbuf **pkts, uint16_t max)
{
	uint16_t n = 0, got;

	while (n < max && (got = rte_eth_rx_burst(port, 0, pkts + n, max - n)) > 0)
		n += got;
	return n;
}

/* Promiscuous, all-multicast and parsing off: the receiver no longer classifies. */
static int
set_open(uint16_t port, bool open)
{
	if (open) {
		CHECK_OK(rte_eth_promiscuous_enable(port));
		CHECK_OK(rte_eth_allmulticast_enable(port));
		CHECK_OK(rte_eth_dev_set_ptypes(port, RTE_PTYPE_UNKNOWN, NULL, 0));
	} else {
		CHECK_OK(rte_eth_dev_set_ptypes(port, ALL_PTYPE_MASKS, NULL, 0));
		CHECK_OK(rte_eth_promiscuous_disable(port));
		CHECK_OK(rte_eth_allmulticast_disable(port));
	}
	return 0;
}

/* A started pair with a's tx queue of a_desc descriptors, stats reset, dyn_off found. */
static int
pair_setup(uint16_t *a, uint16_t *b, uint16_t a_desc)
{
	struct rte_mbuf_dynfield info;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, a, b));
	CHECK_OK(vt_port_setup(*a, 1, 1, a_desc, false));
	CHECK_OK(vt_port_setup(*b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_start(*a));
	CHECK_OK(rte_eth_dev_start(*b));
	dyn_off = rte_pmd_vpair_pkt_type_offset();
	CHECK(dyn_off > 0);
	/* Spelled out, not the macro: applications find the field by this very name. */
	memset(&info, 0, sizeof(info));
	CHECK_EQ(rte_mbuf_dynfield_lookup("rte_net_vpair_dynfield_pkt_type", &info), dyn_off);
	CHECK(strcmp(info.name, RTE_PMD_VPAIR_DYNFIELD_PKT_TYPE) == 0);
	CHECK_EQ(info.size, sizeof(uint8_t));
	/* ethdev's defaults after probe: the filter is closed. */
	CHECK_EQ(rte_eth_promiscuous_get(*a), 0);
	CHECK_EQ(rte_eth_promiscuous_get(*b), 0);
	CHECK_EQ(rte_eth_allmulticast_get(*a), 0);
	CHECK_EQ(rte_eth_allmulticast_get(*b), 0);
	CHECK_OK(vt_stats_reset_pair(*a, *b));
	return 0;
}

static int
pair_done(uint16_t a, uint16_t b)
{
	IDENTITY(a, b);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/* The tx and rx counters a frame of class / drop reason v moves, when classifying. */
static void
cast_counts(int v, struct cnt *tx, struct cnt *rx)
{
	switch (v) {
	case HOST:
	case OTHER:
		tx->tx_uc++;
		rx->rx_uc++;
		break;
	case BCAST:
		tx->tx_bc++;
		rx->rx_bc++;
		break;
	case MCAST:
		tx->tx_mc++;
		rx->rx_mc++;
		break;
	case DROP_OTHERHOST:
		tx->tx_uc++;
		rx->otherhost++;
		rx->imissed++;
		break;
	case DROP_MCAST:
		tx->tx_mc++;
		rx->mcast++;
		rx->imissed++;
		break;
	case DROP_OVERSIZE:
		rx->oversize++;
		rx->ierrors++;
		break;
	case DROP_RUNT:
		rx->undersized++;
		rx->ierrors++;
		break;
	}
}

/*
 * One frame of len bytes from `from` to dst, the receiver classifying and parsing: it must
 * arrive as the very mbuf sent with pkt_type v and packet_type L2_ETHER, or (v a DROP_)
 * be consumed by tx_burst, freed, and counted for that reason. Every counter of both ports
 * and the identity are checked.
 */
static int
one(uint16_t from, uint16_t to, const struct rte_ether_addr *dst, uint16_t len, int v)
{
	static uint32_t seq;
	struct cnt tx0, rx0, tx = { .opackets = 1, .obytes = len }, rx = { 0 };
	struct rte_mbuf *m, *got[4];
	unsigned int avail = rte_mempool_avail_count(vt_pool);
	bool pass = v < DROP_OTHERHOST;

	CHECK(cnt_get(from, &tx0) == 0);
	CHECK(cnt_get(to, &rx0) == 0);
	m = frame(from, dst, ++seq, len);
	CHECK(m != NULL);
	CHECK_EQ(rte_eth_tx_burst(from, 0, &m, 1), 1);
	cast_counts(v, &tx, &rx);
	if (pass) {
		rx.ipackets = 1;
		rx.ibytes = len;
		CHECK_EQ(rx_all(to, got, RTE_DIM(got)), 1);
		CHECK(got[0] == m);
		CHECK_EQ(got[0]->port, to);
		CHECK_EQ(dyn(got[0]), v);
		CHECK_EQ(got[0]->packet_type, RTE_PTYPE_L2_ETHER);
		rte_pktmbuf_free(got[0]);
	} else {
		CHECK_EQ(rx_all(to, got, RTE_DIM(got)), 0);
		CHECK_EQ(rte_mempool_avail_count(vt_pool), avail);	/* freed by the driver */
	}
	EXPECT_DELTA(from, &tx0, .opackets = tx.opackets, .obytes = tx.obytes,
		.tx_uc = tx.tx_uc, .tx_mc = tx.tx_mc, .tx_bc = tx.tx_bc);
	EXPECT_DELTA(to, &rx0, .ipackets = rx.ipackets, .ibytes = rx.ibytes,
		.ierrors = rx.ierrors, .imissed = rx.imissed, .otherhost = rx.otherhost,
		.mcast = rx.mcast, .oversize = rx.oversize, .undersized = rx.undersized,
		.rx_uc = rx.rx_uc, .rx_mc = rx.rx_mc, .rx_bc = rx.rx_bc);
	IDENTITY(from, to);
	return 0;
}

#define ONE(from, to, dst, len, v) CHECK(one((from), (to), (dst), (len), (v)) == 0)

/* ---------------------------------------------------------------------------------- */

/* Each class arrives with its value in the dynamic field and is counted by class. */
static int
classes_dir(uint16_t from, uint16_t to)
{
	struct rte_ether_addr to_mac = mac_of(to), from_mac = mac_of(from);
	struct rte_ether_addr secondary = {{ 0x02, 0x55, 0x00, 0x00, 0x00, (uint8_t)to }};
	struct rte_ether_addr universal = to_mac;	/* same bytes, U/L bit cleared */
	const struct rte_ether_addr ig_only = {{ 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 }};
	const struct rte_ether_addr almost_bcast = {{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe }};
	const struct rte_ether_addr bcast_but_ig = {{ 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff }};
	const struct {
		const struct rte_ether_addr *dst;
		uint8_t cls;
	} t[] = {
		{ &to_mac, HOST }, { &secondary, HOST }, { &bcast, BCAST },
		{ &mc1, MCAST }, { &mc2, MCAST }, { &ig_only, MCAST }, { &almost_bcast, MCAST },
		{ &uc_other, OTHER }, { &from_mac, OTHER }, { &universal, OTHER },
		{ &bcast_but_ig, OTHER },
	};
	struct rte_mbuf *sent[RTE_DIM(t)], *got[MAX_BURST];
	uint64_t bytes = 0;
	unsigned int i;
	uint16_t len;

	universal.addr_bytes[0] &= ~RTE_ETHER_LOCAL_ADMIN_ADDR;
	CHECK_OK(rte_eth_promiscuous_enable(to));	/* OTHERHOST is delivered too */
	CHECK_OK(rte_eth_dev_mac_addr_add(to, &secondary, 0));
	CHECK_OK(vt_stats_reset_pair(from, to));
	for (i = 0; i < RTE_DIM(t); i++) {
		len = 60 + 7 * i;
		sent[i] = frame(from, t[i].dst, i, len);
		CHECK(sent[i] != NULL);
		bytes += len;
	}
	CHECK_EQ(rte_eth_tx_burst(from, 0, sent, RTE_DIM(t)), RTE_DIM(t));

	/* Counted by class as they enter the receiver's ring, before it polls. */
	EXPECT(from, .opackets = RTE_DIM(t), .obytes = bytes, .tx_uc = 6, .tx_mc = 4,
		.tx_bc = 1);
	EXPECT(to, .rx_uc = 6, .rx_mc = 4, .rx_bc = 1);
	CHECK_EQ(vt_rx_pending(to), RTE_DIM(t));
	IDENTITY(from, to);

	CHECK_EQ(rx_all(to, got, RTE_DIM(got)), RTE_DIM(t));
	for (i = 0; i < RTE_DIM(t); i++) {
		CHECK(got[i] == sent[i]);
		CHECK_EQ(got[i]->port, to);
		CHECK_EQ(vt_seq(got[i]), i);
		if (rte_pmd_vpair_pkt_type(got[i], dyn_off) != t[i].cls)
			fprintf(stderr, "frame %u to %02x:%02x:%02x:%02x:%02x:%02x\n", i,
				RTE_ETHER_ADDR_BYTES(t[i].dst));
		CHECK_EQ(rte_pmd_vpair_pkt_type(got[i], dyn_off), t[i].cls);
		CHECK_EQ(got[i]->packet_type, RTE_PTYPE_L2_ETHER);
	}
	rte_pktmbuf_free_bulk(got, RTE_DIM(t));
	EXPECT(from, .opackets = RTE_DIM(t), .obytes = bytes, .tx_uc = 6, .tx_mc = 4,
		.tx_bc = 1);
	EXPECT(to, .ipackets = RTE_DIM(t), .ibytes = bytes, .rx_uc = 6, .rx_mc = 4,
		.rx_bc = 1);
	IDENTITY(from, to);

	CHECK_OK(rte_eth_dev_mac_addr_remove(to, &secondary));
	CHECK_OK(rte_eth_promiscuous_disable(to));
	return 0;
}

VT_CASE(classes)
{
	struct rte_ether_addr mac = {{ 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a }};
	uint16_t a, b;

	CHECK_OK(pair_setup(&a, &b, 512));
	CHECK_EQ(rte_pmd_vpair_pkt_type_offset(), dyn_off);
	CHECK(classes_dir(a, b) == 0);
	CHECK(classes_dir(b, a) == 0);
	/* A new primary MAC is the one HOST matches, in both directions. */
	CHECK_OK(rte_eth_dev_default_mac_addr_set(b, &mac));
	CHECK(classes_dir(a, b) == 0);
	CHECK(classes_dir(b, a) == 0);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/* Headers after the MAC addresses, built up in a buffer. */
struct hdr {
	uint8_t b[192];
	uint16_t n;
};

static void
put8(struct hdr *h, uint8_t v)
{
	h->b[h->n++] = v;
}

static void
put16(struct hdr *h, uint16_t v)
{
	put8(h, v >> 8);
	put8(h, v & 0xff);
}

static void
zeros(struct hdr *h, unsigned int n)
{
	while (n-- > 0)
		put8(h, 0);
}

static void
tag(struct hdr *h, uint16_t tpid)
{
	put16(h, tpid);
	put16(h, 0x0005);	/* VLAN 5 */
}

static void
ip4(struct hdr *h, uint8_t ihl, uint16_t frag, uint8_t proto)
{
	put16(h, 0x0800);
	put8(h, 0x40 | ihl);
	put8(h, 0);
	put16(h, 4 * ihl + 8);
	put16(h, 0x1234);
	put16(h, frag);
	put8(h, 64);
	put8(h, proto);
	zeros(h, 4 * ihl - 10);	/* checksum, addresses, options */
}

static void
ip6(struct hdr *h, uint8_t nh)
{
	put16(h, 0x86dd);
	put8(h, 0x60);
	zeros(h, 3);
	put16(h, 8);
	put8(h, nh);
	put8(h, 64);
	zeros(h, 32);
}

/* An IPv6 extension header of (len + 1) * 8 bytes. */
static void
ext6(struct hdr *h, uint8_t nh, uint8_t len)
{
	put8(h, nh);
	put8(h, len);
	zeros(h, (len + 1) * 8 - 2);
}

/*
 * A frame from mp: dst, from's MAC, then h from offset 12, then zeros, len bytes in all,
 * cut short if len is less. Fields preset to the sentinels.
 */
static struct rte_mbuf *
frame_hdr(struct rte_mempool *mp, uint16_t from, const struct rte_ether_addr *dst,
	const struct hdr *h, uint16_t len)
{
	struct rte_ether_addr src = mac_of(from);
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, len);
	memcpy(p, dst, RTE_MIN(len, 6));
	if (len > 6)
		memcpy(p + 6, &src, RTE_MIN(len - 6, 6));
	if (len > 12)
		memcpy(p + 12, h->b, RTE_MIN((unsigned int)(len - 12), h->n));
	mark(m);
	return m;
}

#define PT_MAX 48
struct pt {
	const char *name;
	uint32_t want;
	uint16_t len;	/* 0: the headers plus 26 bytes */
	struct hdr h;
};

#define PT(name_, want_, len_, ...) do { \
	struct pt *p_ = &pts[npts++]; \
	struct hdr *h = &p_->h; \
	p_->name = name_; \
	p_->want = want_; \
	p_->len = len_; \
	h->n = 0; \
	__VA_ARGS__; \
} while (0)

#define E RTE_PTYPE_L2_ETHER
#define V4 RTE_PTYPE_L3_IPV4
#define V4X RTE_PTYPE_L3_IPV4_EXT
#define V6 RTE_PTYPE_L3_IPV6
#define V6X RTE_PTYPE_L3_IPV6_EXT

static unsigned int
pt_table(struct pt *pts)
{
	unsigned int npts = 0;

	PT("ether", E, 0, put16(h, 0x88b5));
	PT("arp", RTE_PTYPE_L2_ETHER_ARP, 0, put16(h, 0x0806); zeros(h, 28));
	PT("lldp", RTE_PTYPE_L2_ETHER_LLDP, 0, put16(h, 0x88cc));
	PT("vlan", RTE_PTYPE_L2_ETHER_VLAN, 0, tag(h, 0x8100); put16(h, 0x88b5));
	PT("vlan arp", RTE_PTYPE_L2_ETHER_VLAN, 0, tag(h, 0x8100); put16(h, 0x0806));
	PT("s-tag 88a8", RTE_PTYPE_L2_ETHER_QINQ, 0, tag(h, 0x88a8); put16(h, 0x88b5));
	PT("s-tag 9100", RTE_PTYPE_L2_ETHER_QINQ, 0, tag(h, 0x9100); put16(h, 0x88b5));
	PT("s-tag lldp", RTE_PTYPE_L2_ETHER_QINQ, 0, tag(h, 0x88a8); put16(h, 0x88cc));
	PT("qinq ipv4 tcp", RTE_PTYPE_L2_ETHER_QINQ | V4 | RTE_PTYPE_L4_TCP, 0,
		tag(h, 0x88a8); tag(h, 0x8100); ip4(h, 5, 0, 6));
	PT("vlan vlan ipv6 udp", RTE_PTYPE_L2_ETHER_QINQ | V6 | RTE_PTYPE_L4_UDP, 0,
		tag(h, 0x8100); tag(h, 0x8100); ip6(h, 17));
	PT("vlan ipv4 udp", RTE_PTYPE_L2_ETHER_VLAN | V4 | RTE_PTYPE_L4_UDP, 0,
		tag(h, 0x8100); ip4(h, 5, 0, 17));
	PT("vlan ipv4 icmp", RTE_PTYPE_L2_ETHER_VLAN | V4 | RTE_PTYPE_L4_ICMP, 0,
		tag(h, 0x8100); ip4(h, 5, 0, 1));
	PT("ipv4 tcp", E | V4 | RTE_PTYPE_L4_TCP, 0, ip4(h, 5, 0, 6));
	PT("ipv4 udp", E | V4 | RTE_PTYPE_L4_UDP, 0, ip4(h, 5, 0, 17));
	PT("ipv4 icmp", E | V4 | RTE_PTYPE_L4_ICMP, 0, ip4(h, 5, 0, 1));
	PT("ipv4 gre", E | V4, 0, ip4(h, 5, 0, 47));
	PT("ipv4 DF tcp", E | V4 | RTE_PTYPE_L4_TCP, 0, ip4(h, 5, 0x4000, 6));
	PT("ipv4 options udp", E | V4X | RTE_PTYPE_L4_UDP, 0, ip4(h, 6, 0, 17));
	PT("ipv4 60-byte header tcp", E | V4X | RTE_PTYPE_L4_TCP, 0, ip4(h, 15, 0, 6));
	PT("ipv4 MF", E | V4 | RTE_PTYPE_L4_FRAG, 0, ip4(h, 5, 0x2000, 17));
	PT("ipv4 offset", E | V4 | RTE_PTYPE_L4_FRAG, 0, ip4(h, 5, 100, 6));
	PT("ipv4 options MF", E | V4X | RTE_PTYPE_L4_FRAG, 0, ip4(h, 7, 0x2000, 6));
	PT("ipv4 cut", E, 14 + 19, ip4(h, 5, 0, 6));
	PT("ipv4 version 6", E, 0, ip4(h, 5, 0, 6); h->b[2] = 0x65);
	PT("ipv4 ihl 4", E, 0, ip4(h, 5, 0, 6); h->b[2] = 0x44);
	PT("ipv6 tcp", E | V6 | RTE_PTYPE_L4_TCP, 0, ip6(h, 6));
	PT("ipv6 udp", E | V6 | RTE_PTYPE_L4_UDP, 0, ip6(h, 17));
	PT("ipv6 icmpv6", E | V6 | RTE_PTYPE_L4_ICMP, 0, ip6(h, 58));
	PT("ipv6 proto 1", E | V6, 0, ip6(h, 1));
	PT("ipv6 no next", E | V6, 0, ip6(h, 59));
	PT("ipv6 hop-by-hop icmpv6", E | V6X | RTE_PTYPE_L4_ICMP, 0, ip6(h, 0); ext6(h, 58, 0));
	PT("ipv6 fragment", E | V6X | RTE_PTYPE_L4_FRAG, 0, ip6(h, 44); ext6(h, 17, 0));
	PT("ipv6 routing tcp", E | V6X | RTE_PTYPE_L4_TCP, 0, ip6(h, 43); ext6(h, 6, 1));
	PT("ipv6 hbh dstopts udp", E | V6X | RTE_PTYPE_L4_UDP, 0,
		ip6(h, 0); ext6(h, 60, 0); ext6(h, 17, 2));
	PT("ipv6 esp", E | V6X, 0, ip6(h, 50));
	PT("ipv6 cut", E, 14 + 39, ip6(h, 6));
	PT("vlan ipv6 hbh cut", RTE_PTYPE_L2_ETHER_VLAN | V6X, 18 + 40 + 8,
		tag(h, 0x8100); ip6(h, 0); ext6(h, 43, 10));
	return npts;
}

static bool
in_list(uint32_t v, const uint32_t *list, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

VT_CASE(ptypes)
{
	static const uint32_t want_supported[] = {
		RTE_PTYPE_L2_ETHER, RTE_PTYPE_L2_ETHER_VLAN, RTE_PTYPE_L2_ETHER_QINQ,
		RTE_PTYPE_L2_ETHER_ARP, RTE_PTYPE_L2_ETHER_LLDP,
		RTE_PTYPE_L3_IPV4, RTE_PTYPE_L3_IPV4_EXT, RTE_PTYPE_L3_IPV6,
		RTE_PTYPE_L3_IPV6_EXT,
		RTE_PTYPE_L4_TCP, RTE_PTYPE_L4_UDP, RTE_PTYPE_L4_FRAG, RTE_PTYPE_L4_ICMP,
	};
	static struct pt pts[PT_MAX];
	struct rte_mbuf *sent[PT_MAX], *got[MAX_BURST];
	uint32_t supported[32], produced[32];
	unsigned int npts, nprod = 0, i, l;
	int n;
	uint64_t bytes = 0;
	struct rte_ether_addr dst;
	uint16_t a, b, to_dir, from, to;
	char name[64];

	CHECK_OK(pair_setup(&a, &b, 512));

	/* The supported list is exactly what the parser sets, per layer mask too. */
	n = rte_eth_dev_get_supported_ptypes(b, RTE_PTYPE_ALL_MASK, NULL, 0);
	CHECK_EQ(n, RTE_DIM(want_supported));
	n = rte_eth_dev_get_supported_ptypes(b, RTE_PTYPE_ALL_MASK, supported,
		RTE_DIM(supported));
	CHECK_EQ(n, RTE_DIM(want_supported));
	for (i = 0; i < RTE_DIM(want_supported); i++)
		CHECK(in_list(want_supported[i], supported, n));
	CHECK_EQ(rte_eth_dev_get_supported_ptypes(b, RTE_PTYPE_L2_MASK, NULL, 0), 5);
	CHECK_EQ(rte_eth_dev_get_supported_ptypes(b, RTE_PTYPE_L3_MASK, NULL, 0), 4);
	CHECK_EQ(rte_eth_dev_get_supported_ptypes(b, RTE_PTYPE_L4_MASK, NULL, 0), 4);
	CHECK_EQ(rte_eth_dev_get_supported_ptypes(b, RTE_PTYPE_TUNNEL_MASK, NULL, 0), 0);

	npts = pt_table(pts);
	CHECK(npts <= PT_MAX);
	for (to_dir = 0; to_dir < 2; to_dir++) {
		from = to_dir ? b : a;
		to = to_dir ? a : b;
		dst = mac_of(to);

		bytes = 0;
		CHECK_OK(vt_stats_reset_pair(a, b));
		for (i = 0; i < npts; i++) {
			uint16_t len = pts[i].len ? pts[i].len : 12 + pts[i].h.n + 26;

			sent[i] = frame_hdr(vt_pool, from, &dst, &pts[i].h, len);
			CHECK(sent[i] != NULL);
			bytes += len;
		}
		/* One burst: each frame is parsed on its own. */
		CHECK_EQ(rte_eth_tx_burst(from, 0, sent, npts), npts);
		CHECK_EQ(rx_all(to, got, RTE_DIM(got)), npts);
		for (i = 0; i < npts; i++) {
			CHECK(got[i] == sent[i]);
			if (got[i]->packet_type != pts[i].want) {
				rte_get_ptype_name(got[i]->packet_type, name, sizeof(name));
				fprintf(stderr, "%s: packet_type %#x (%s), expected %#x\n",
					pts[i].name, got[i]->packet_type, name, pts[i].want);
			}
			CHECK_EQ(got[i]->packet_type, pts[i].want);
			CHECK_EQ(dyn(got[i]), HOST);
			/* Every value set is listed as supported; note which were seen. */
			for (l = 0; l < 3; l++) {
				static const uint32_t masks[] = {
					RTE_PTYPE_L2_MASK, RTE_PTYPE_L3_MASK, RTE_PTYPE_L4_MASK,
				};
				uint32_t v = got[i]->packet_type & masks[l];

				if (v == 0)
					continue;
				CHECK(in_list(v, supported, RTE_DIM(want_supported)));
				if (!in_list(v, produced, nprod))
					produced[nprod++] = v;
			}
		}
		rte_pktmbuf_free_bulk(got, npts);
		EXPECT(from, .opackets = npts, .obytes = bytes, .tx_uc = npts);
		EXPECT(to, .ipackets = npts, .ibytes = bytes, .rx_uc = npts);
		IDENTITY(a, b);
	}
	/* ... and every supported value is set by some frame. */
	CHECK_EQ(nprod, RTE_DIM(want_supported));
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/*
 * A burst to `to`: an IPv4/UDP frame to its MAC, a broadcast ARP, one to another host and
 * one to a group it did not join; with the filter closed the last two are dropped. Returns
 * the frames received (2 or 4) in got, checked for order.
 */
static int
ptype_burst(uint16_t from, uint16_t to, struct rte_mbuf **got, uint16_t want_rx)
{
	struct rte_ether_addr to_mac = mac_of(to);
	struct hdr udp = { .n = 0 }, arp = { .n = 0 }, plain = { .n = 0 };
	struct rte_mbuf *sent[4];
	unsigned int i, k;

	ip4(&udp, 5, 0, 17);
	put16(&arp, 0x0806);
	zeros(&arp, 28);
	put16(&plain, 0x88b5);
	sent[0] = frame_hdr(vt_pool, from, &to_mac, &udp, 64);
	sent[1] = frame_hdr(vt_pool, from, &bcast, &arp, 64);
	sent[2] = frame_hdr(vt_pool, from, &uc_other, &plain, 64);
	sent[3] = frame_hdr(vt_pool, from, &mc1, &plain, 64);
	for (i = 0; i < 4; i++)
		CHECK(sent[i] != NULL);
	CHECK_EQ(rte_eth_tx_burst(from, 0, sent, 4), 4);
	CHECK_EQ(rx_all(to, got, 4), want_rx);
	for (i = 0, k = 0; i < 4 && k < want_rx; i++)
		if (want_rx == 4 || i < 2)
			CHECK(got[k++] == sent[i]);
	return 0;
}

/* The fields of a burst from ptype_burst: written (parse) or untouched. */
static int
ptype_fields(struct rte_mbuf **got, uint16_t n, bool parse)
{
	static const uint32_t ptype[] = {
		E | V4 | RTE_PTYPE_L4_UDP, RTE_PTYPE_L2_ETHER_ARP, E, E,
	};
	static const uint8_t cls[] = { HOST, BCAST, OTHER, MCAST };
	uint16_t i;

	for (i = 0; i < n; i++) {
		CHECK_EQ(got[i]->packet_type, parse ? ptype[i] : SENT_PTYPE);
		CHECK_EQ(dyn(got[i]), parse ? cls[i] : SENT_CLASS);
	}
	rte_pktmbuf_free_bulk(got, n);
	return 0;
}

VT_CASE(ptype_off)
{
	uint32_t set[4] = { 1, 1, 1, 1 };
	struct rte_mbuf *got[4];
	struct rte_eth_conf conf = { 0 };
	uint16_t a, b;

	CHECK_OK(pair_setup(&a, &b, 512));
	/* On after configure. */
	CHECK(ptype_burst(a, b, got, 2) == 0);
	CHECK(ptype_fields(got, 2, true) == 0);

	/* Off: neither field is written; the filter still drops, and still counts. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	CHECK_OK(rte_eth_dev_set_ptypes(b, RTE_PTYPE_UNKNOWN, set, RTE_DIM(set)));
	CHECK_EQ(set[0], RTE_PTYPE_UNKNOWN);
	CHECK(ptype_burst(a, b, got, 2) == 0);
	CHECK(ptype_fields(got, 2, false) == 0);
	EXPECT(a, .opackets = 4, .obytes = 4 * 64, .tx_uc = 2, .tx_mc = 1, .tx_bc = 1);
	EXPECT(b, .ipackets = 2, .ibytes = 2 * 64, .otherhost = 1, .mcast = 1, .imissed = 2,
		.rx_uc = 1, .rx_bc = 1);
	IDENTITY(a, b);
	/* Only for frames b receives: a still parses what b sends it. */
	CHECK(ptype_burst(b, a, got, 2) == 0);
	CHECK(ptype_fields(got, 2, true) == 0);

	/* Off and the filter open: nothing looks at the frames, nothing counts by class. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	CHECK_OK(rte_eth_promiscuous_enable(b));
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK(ptype_fields(got, 4, false) == 0);
	EXPECT(a, .opackets = 4, .obytes = 4 * 64);
	EXPECT(b, .ipackets = 4, .ibytes = 4 * 64);
	IDENTITY(a, b);

	/* A real mask turns it on again, from the next burst; counting by class resumes. */
	CHECK_OK(rte_eth_dev_set_ptypes(b, ALL_PTYPE_MASKS, NULL, 0));
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK(ptype_fields(got, 4, true) == 0);
	EXPECT(a, .opackets = 8, .obytes = 8 * 64, .tx_uc = 2, .tx_mc = 1, .tx_bc = 1);
	EXPECT(b, .ipackets = 8, .ibytes = 8 * 64, .rx_uc = 2, .rx_mc = 1, .rx_bc = 1);
	/* Any one layer's mask is a real mask too. */
	CHECK_OK(rte_eth_dev_set_ptypes(b, RTE_PTYPE_UNKNOWN, NULL, 0));
	CHECK_OK(rte_eth_dev_set_ptypes(b, RTE_PTYPE_L2_MASK, set, RTE_DIM(set)));
	CHECK_EQ(set[0], RTE_PTYPE_L2_ETHER);	/* ethdev lists the L2 types it keeps */
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK_EQ(got[1]->packet_type & RTE_PTYPE_L2_MASK, RTE_PTYPE_L2_ETHER_ARP);
	CHECK_EQ(dyn(got[2]), OTHER);
	rte_pktmbuf_free_bulk(got, 4);

	/* Toggled between bursts: each burst sees the state set before it. */
	CHECK_OK(rte_eth_dev_set_ptypes(b, RTE_PTYPE_UNKNOWN, NULL, 0));
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK(ptype_fields(got, 4, false) == 0);
	CHECK_OK(rte_eth_dev_set_ptypes(b, ALL_PTYPE_MASKS, NULL, 0));
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK(ptype_fields(got, 4, true) == 0);
	CHECK_OK(rte_eth_dev_set_ptypes(b, RTE_PTYPE_UNKNOWN, NULL, 0));
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK(ptype_fields(got, 4, false) == 0);
	IDENTITY(a, b);

	/* A reconfigure turns it on again (promiscuous mode survives it, as in ethdev). */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_configure(b, 1, 1, &conf));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(rte_eth_promiscuous_get(b), 1);
	CHECK(ptype_burst(a, b, got, 4) == 0);
	CHECK(ptype_fields(got, 4, true) == 0);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

enum kind { K_PRIMARY, K_SECONDARY, K_REMOVED, K_BCAST, K_MC_IN, K_MC_OUT, K_OTHER, K_NB };

/*
 * One burst with k + 1 frames of each kind k, interleaved, to a port in the given modes:
 * exactly the right frames arrive, in order, with the right fields; every counter exact.
 */
static int
matrix_run(uint16_t from, uint16_t to, const struct rte_ether_addr *dst, bool promisc,
	bool allmulti, bool parse)
{
	static const uint8_t cls[K_NB] = { HOST, HOST, OTHER, BCAST, MCAST, MCAST, OTHER };
	struct rte_mbuf *sent[MAX_BURST], *got[MAX_BURST];
	enum kind kind[MAX_BURST];
	struct cnt tx = { 0 }, rx = { 0 };
	/* As a NIC: promiscuous takes every multicast frame; open needs no classifying. */
	bool classify = parse || !promisc;
	bool pass[K_NB];
	uint16_t n = 0, nb_rx, i, k;
	unsigned int round;

	for (k = 0; k < K_NB; k++)
		pass[k] = true;
	pass[K_REMOVED] = pass[K_OTHER] = promisc;
	pass[K_MC_OUT] = promisc || allmulti;

	CHECK_OK(promisc ? rte_eth_promiscuous_enable(to) : rte_eth_promiscuous_disable(to));
	CHECK_OK(allmulti ? rte_eth_allmulticast_enable(to) :
		rte_eth_allmulticast_disable(to));
	CHECK_OK(rte_eth_dev_set_ptypes(to, parse ? ALL_PTYPE_MASKS : RTE_PTYPE_UNKNOWN,
		NULL, 0));
	CHECK_EQ(rte_eth_promiscuous_get(to), promisc);
	CHECK_EQ(rte_eth_allmulticast_get(to), allmulti);
	CHECK_OK(vt_stats_reset_pair(from, to));

	for (round = 0; round < K_NB; round++) {
		for (k = round; k < K_NB; k++) {
			uint16_t len = 60 + n % 50;

			kind[n] = k;
			sent[n] = frame(from, &dst[k], n, len);
			CHECK(sent[n] != NULL);
			tx.opackets++;
			tx.obytes += len;
			if (pass[k]) {
				rx.ipackets++;
				rx.ibytes += len;
				cast_counts(cls[k], &tx, &rx);
			} else {
				cast_counts(k == K_MC_OUT ? DROP_MCAST : DROP_OTHERHOST, &tx, &rx);
			}
			n++;
		}
	}
	if (!classify)
		tx.tx_uc = tx.tx_mc = tx.tx_bc = rx.rx_uc = rx.rx_mc = rx.rx_bc = 0;
	CHECK_EQ(n, K_NB * (K_NB + 1) / 2);
	CHECK_EQ(rte_eth_tx_burst(from, 0, sent, n), n);
	CHECK_EQ(vt_rx_pending(to), rx.ipackets);
	IDENTITY(from, to);

	nb_rx = rx_all(to, got, RTE_DIM(got));
	CHECK_EQ(nb_rx, rx.ipackets);
	for (i = 0, k = 0; i < n; i++) {
		if (!pass[kind[i]])
			continue;
		CHECK(got[k] == sent[i]);
		CHECK_EQ(got[k]->port, to);
		CHECK_EQ(dyn(got[k]), parse ? cls[kind[i]] : SENT_CLASS);
		CHECK_EQ(got[k]->packet_type, parse ? RTE_PTYPE_L2_ETHER : SENT_PTYPE);
		k++;
	}
	rte_pktmbuf_free_bulk(got, nb_rx);
	EXPECT(from, .opackets = tx.opackets, .obytes = tx.obytes, .tx_uc = tx.tx_uc,
		.tx_mc = tx.tx_mc, .tx_bc = tx.tx_bc);
	EXPECT(to, .ipackets = rx.ipackets, .ibytes = rx.ibytes, .ierrors = 0,
		.imissed = rx.imissed, .otherhost = rx.otherhost, .mcast = rx.mcast,
		.rx_uc = rx.rx_uc, .rx_mc = rx.rx_mc, .rx_bc = rx.rx_bc);
	IDENTITY(from, to);
	return 0;
}

VT_CASE(filter_matrix)
{
	struct rte_ether_addr dst[K_NB];
	struct rte_ether_addr mc_list[3] = {
		{{ 0x01, 0x00, 0x5e, 0x7f, 0x00, 0x01 }}, mc1,
		{{ 0x33, 0x33, 0xff, 0x00, 0x00, 0x01 }},
	};
	uint16_t a, b, dir, from, to;
	unsigned int state;

	CHECK_OK(pair_setup(&a, &b, 512));
	for (dir = 0; dir < 2; dir++) {
		from = dir ? b : a;
		to = dir ? a : b;
		dst[K_PRIMARY] = mac_of(to);
		dst[K_SECONDARY] = (struct rte_ether_addr){{ 0x02, 0x5e, 0, 0, 1, (uint8_t)to }};
		dst[K_REMOVED] = (struct rte_ether_addr){{ 0x02, 0x5e, 0, 0, 2, (uint8_t)to }};
		dst[K_BCAST] = bcast;
		dst[K_MC_IN] = mc1;
		dst[K_MC_OUT] = mc2;
		dst[K_OTHER] = uc_other;
		CHECK_OK(rte_eth_dev_mac_addr_add(to, &dst[K_SECONDARY], 0));
		CHECK_OK(rte_eth_dev_mac_addr_add(to, &dst[K_REMOVED], 0));
		CHECK_OK(rte_eth_dev_mac_addr_remove(to, &dst[K_REMOVED]));
		CHECK_OK(rte_eth_dev_set_mc_addr_list(to, mc_list, RTE_DIM(mc_list)));
		/* promiscuous x all-multicast x parsing, each from the previous state */
		for (state = 0; state < 8; state++)
			CHECK(matrix_run(from, to, dst, state & 1, state & 2, !(state & 4)) == 0);
		/* and back in reverse order */
		for (state = 8; state-- > 0; )
			CHECK(matrix_run(from, to, dst, state & 1, state & 2, !(state & 4)) == 0);
	}
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/* Each control change takes effect from the very next burst, one frame at a time. */
VT_CASE(filter_changes)
{
	struct rte_ether_addr mine, new_mac = {{ 0x02, 0xaa, 0, 0, 0, 0x0b }};
	struct rte_ether_addr sec = {{ 0x02, 0xbb, 0, 0, 0, 0x01 }};
	struct rte_ether_addr many[VPAIR_TEST_MC_MAX + 1], listed[16];
	uint16_t a, b, i;
	int n;

	CHECK_OK(pair_setup(&a, &b, 512));
	mine = mac_of(b);

	/* Closed: own MAC and broadcast only. */
	ONE(a, b, &mine, 64, HOST);
	ONE(a, b, &bcast, 64, BCAST);
	ONE(a, b, &mc1, 64, DROP_MCAST);
	ONE(a, b, &uc_other, 64, DROP_OTHERHOST);

	/* Multicast list. */
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, &mc1, 1));
	ONE(a, b, &mc1, 64, MCAST);
	ONE(a, b, &mc2, 64, DROP_MCAST);
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, &mc2, 1));
	ONE(a, b, &mc1, 64, DROP_MCAST);
	ONE(a, b, &mc2, 64, MCAST);
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, NULL, 0));
	ONE(a, b, &mc2, 64, DROP_MCAST);

	/* All-multicast. */
	CHECK_OK(rte_eth_allmulticast_enable(b));
	ONE(a, b, &mc1, 64, MCAST);
	ONE(a, b, &mc2, 64, MCAST);
	ONE(a, b, &uc_other, 64, DROP_OTHERHOST);
	ONE(a, b, &bcast, 64, BCAST);
	CHECK_OK(rte_eth_allmulticast_disable(b));
	ONE(a, b, &mc1, 64, DROP_MCAST);

	/* Promiscuous: every unicast, and every multicast as on a NIC. */
	CHECK_OK(rte_eth_promiscuous_enable(b));
	ONE(a, b, &uc_other, 64, OTHER);
	ONE(a, b, &mc2, 64, MCAST);
	ONE(a, b, &mine, 64, HOST);
	ONE(a, b, &bcast, 64, BCAST);
	/* Only the receiver's mode matters: b's promiscuity does not open a. */
	ONE(b, a, &uc_other, 64, DROP_OTHERHOST);
	ONE(b, a, &mc2, 64, DROP_MCAST);
	CHECK_OK(rte_eth_promiscuous_disable(b));
	ONE(a, b, &uc_other, 64, DROP_OTHERHOST);
	ONE(a, b, &mc2, 64, DROP_MCAST);
	/* Leaving promiscuous mode keeps all-multicast if it was on, and only then. */
	CHECK_OK(rte_eth_allmulticast_enable(b));
	CHECK_OK(rte_eth_promiscuous_enable(b));
	CHECK_OK(rte_eth_promiscuous_disable(b));
	ONE(a, b, &mc2, 64, MCAST);
	ONE(a, b, &uc_other, 64, DROP_OTHERHOST);
	CHECK_OK(rte_eth_allmulticast_disable(b));
	ONE(a, b, &mc2, 64, DROP_MCAST);

	/* A new primary MAC: the old one is another host's now. */
	CHECK_OK(rte_eth_dev_default_mac_addr_set(b, &new_mac));
	ONE(a, b, &mine, 64, DROP_OTHERHOST);
	ONE(a, b, &new_mac, 64, HOST);
	CHECK_OK(rte_eth_dev_default_mac_addr_set(b, &mine));
	ONE(a, b, &new_mac, 64, DROP_OTHERHOST);
	ONE(a, b, &mine, 64, HOST);

	/* Secondary unicast addresses, up to the 16 slots. */
	CHECK_OK(rte_eth_dev_mac_addr_add(b, &sec, 0));
	ONE(a, b, &sec, 64, HOST);
	CHECK_OK(rte_eth_dev_mac_addr_remove(b, &sec));
	ONE(a, b, &sec, 64, DROP_OTHERHOST);
	for (i = 0; i < 15; i++) {
		sec.addr_bytes[5] = 0x10 + i;
		CHECK_OK(rte_eth_dev_mac_addr_add(b, &sec, 0));
	}
	sec.addr_bytes[5] = 0x10 + 15;
	CHECK_EQ(rte_eth_dev_mac_addr_add(b, &sec, 0), -ENOSPC);
	ONE(a, b, &sec, 64, DROP_OTHERHOST);
	n = rte_eth_macaddrs_get(b, listed, RTE_DIM(listed));
	CHECK_EQ(n, 16);
	for (i = 0; i < 15; i++) {
		sec.addr_bytes[5] = 0x10 + i;
		ONE(a, b, &sec, 64, HOST);
	}
	ONE(a, b, &mine, 64, HOST);
	for (i = 0; i < 15; i++) {
		sec.addr_bytes[5] = 0x10 + i;
		CHECK_OK(rte_eth_dev_mac_addr_remove(b, &sec));
		ONE(a, b, &sec, 64, DROP_OTHERHOST);
	}

	/* A port's own addresses are unicast: a group address is refused, not made HOST. */
	CHECK_EQ(rte_eth_dev_mac_addr_add(b, &mc1, 0), -EINVAL);
	n = rte_eth_macaddrs_get(b, listed, RTE_DIM(listed));
	for (i = 0; i < n; i++)
		CHECK(!rte_is_same_ether_addr(&listed[i], &mc1));
	ONE(a, b, &mc1, 64, DROP_MCAST);
	CHECK_EQ(rte_eth_dev_mac_addr_add(b, &bcast, 0), -EINVAL);

	/* The multicast list holds up to 64 group addresses; a refused list changes nothing. */
	for (i = 0; i < RTE_DIM(many); i++)
		many[i] = (struct rte_ether_addr){{ 0x01, 0x00, 0x5e, 0x01, 0x00, (uint8_t)i }};
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, many, VPAIR_TEST_MC_MAX));
	ONE(a, b, &many[0], 64, MCAST);
	ONE(a, b, &many[VPAIR_TEST_MC_MAX - 1], 64, MCAST);
	ONE(a, b, &many[VPAIR_TEST_MC_MAX], 64, DROP_MCAST);
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(b, many, VPAIR_TEST_MC_MAX + 1), -ENOSPC);
	ONE(a, b, &many[VPAIR_TEST_MC_MAX - 1], 64, MCAST);
	ONE(a, b, &many[VPAIR_TEST_MC_MAX], 64, DROP_MCAST);
	many[1] = uc_other;
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(b, many, 3), -EINVAL);
	ONE(a, b, &many[VPAIR_TEST_MC_MAX - 1], 64, MCAST);
	ONE(a, b, &many[2], 64, MCAST);
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(b, &mine, 1), -EINVAL);
	ONE(a, b, &many[0], 64, MCAST);
	/* Shrinking forgets the tail. */
	many[1] = mc1;
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, many, 2));
	ONE(a, b, &mc1, 64, MCAST);
	ONE(a, b, &many[2], 64, DROP_MCAST);
	ONE(a, b, &many[VPAIR_TEST_MC_MAX - 1], 64, DROP_MCAST);

	/* MTU changed while started: from the next burst. */
	CHECK_OK(rte_eth_dev_set_mtu(b, 1000));
	ONE(a, b, &mine, 1014, HOST);
	ONE(a, b, &mine, 1015, DROP_OVERSIZE);
	CHECK_OK(rte_eth_dev_set_mtu(b, 1500));
	ONE(a, b, &mine, 1015, HOST);
	ONE(a, b, &mine, 1514, HOST);
	ONE(a, b, &mine, 1515, DROP_OVERSIZE);

	/* A stop and start keeps every setting: modes, MAC list, multicast list. */
	sec.addr_bytes[5] = 0x42;
	CHECK_OK(rte_eth_dev_mac_addr_add(b, &sec, 0));
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, &mc1, 1));
	CHECK_OK(rte_eth_promiscuous_enable(b));
	CHECK_OK(rte_eth_dev_set_mtu(b, 2000));
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_start(b));
	ONE(a, b, &uc_other, 64, OTHER);
	ONE(a, b, &mine, 2014, HOST);
	ONE(a, b, &mine, 2015, DROP_OVERSIZE);
	CHECK_OK(rte_eth_promiscuous_disable(b));
	ONE(a, b, &sec, 64, HOST);
	ONE(a, b, &mc1, 64, MCAST);
	ONE(a, b, &mc2, 64, DROP_MCAST);
	ONE(a, b, &uc_other, 64, DROP_OTHERHOST);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/* Frame shapes for the length rule: which TPIDs start it, how many tags count. */
static const struct {
	const char *name;
	uint16_t tpid[3];
	uint8_t nb_tpid;
	uint8_t counted;
	uint32_t l2;
} shapes[] = {
	{ "untagged", { 0 }, 0, 0, RTE_PTYPE_L2_ETHER },
	{ "8100", { 0x8100 }, 1, 1, RTE_PTYPE_L2_ETHER_VLAN },
	{ "88a8", { 0x88a8 }, 1, 1, RTE_PTYPE_L2_ETHER_QINQ },
	{ "9100", { 0x9100 }, 1, 1, RTE_PTYPE_L2_ETHER_QINQ },
	{ "88a8 8100", { 0x88a8, 0x8100 }, 2, 2, RTE_PTYPE_L2_ETHER_QINQ },
	{ "8100 8100", { 0x8100, 0x8100 }, 2, 2, RTE_PTYPE_L2_ETHER_QINQ },
	{ "9100 88a8", { 0x9100, 0x88a8 }, 2, 2, RTE_PTYPE_L2_ETHER_QINQ },
	{ "three tags", { 0x88a8, 0x8100, 0x8100 }, 3, 2, RTE_PTYPE_L2_ETHER_QINQ },
};

/*
 * Each shape at the receiver's limit - 1, the limit, and the limit + 1 bytes, one frame a
 * burst. open: the receiver neither classifies nor parses (the tx fast path).
 */
static int
mtu_probe(struct rte_mempool *mp, uint16_t from, uint16_t to, uint16_t mtu, bool open)
{
	struct rte_ether_addr dst = mac_of(to);
	struct cnt tx0, rx0;
	struct rte_mbuf *m, *got[4];
	unsigned int s, t;
	uint16_t cur;
	int delta;

	CHECK_OK(rte_eth_dev_get_mtu(to, &cur));
	CHECK_EQ(cur, mtu);
	for (s = 0; s < RTE_DIM(shapes); s++) {
		struct hdr h = { .n = 0 };
		uint32_t limit = mtu + RTE_ETHER_HDR_LEN + 4 * shapes[s].counted;

		for (t = 0; t < shapes[s].nb_tpid; t++)
			tag(&h, shapes[s].tpid[t]);
		put16(&h, 0x88b5);
		for (delta = -1; delta <= 1; delta++) {
			uint16_t len = limit + delta;
			bool pass = delta <= 0;

			CHECK(cnt_get(from, &tx0) == 0);
			CHECK(cnt_get(to, &rx0) == 0);
			m = frame_hdr(mp, from, &dst, &h, len);
			CHECK(m != NULL);
			CHECK_EQ(rte_eth_tx_burst(from, 0, &m, 1), 1);
			if (rx_all(to, got, RTE_DIM(got)) != pass) {
				fprintf(stderr, "mtu %u, %s frame of %u bytes: %s\n", mtu,
					shapes[s].name, len, pass ? "dropped" : "delivered");
				return -1;
			}
			/* Open, nothing is counted by class, even past MTU + 14 (tags). */
			if (pass) {
				CHECK(got[0] == m);
				CHECK_EQ(got[0]->pkt_len, len);
				CHECK_EQ(got[0]->packet_type, open ? SENT_PTYPE : shapes[s].l2);
				CHECK_EQ(dyn(got[0]), open ? SENT_CLASS : HOST);
				rte_pktmbuf_free(got[0]);
				EXPECT_DELTA(from, &tx0, .opackets = 1, .obytes = len,
					.tx_uc = !open);
				EXPECT_DELTA(to, &rx0, .ipackets = 1, .ibytes = len,
					.rx_uc = !open);
			} else {
				EXPECT_DELTA(from, &tx0, .opackets = 1, .obytes = len);
				EXPECT_DELTA(to, &rx0, .oversize = 1, .ierrors = 1);
			}
		}
	}
	IDENTITY(from, to);
	return 0;
}

static int
mtu_both(struct rte_mempool *mp, uint16_t from, uint16_t to, uint16_t mtu)
{
	CHECK(mtu_probe(mp, from, to, mtu, false) == 0);
	CHECK(set_open(to, true) == 0);
	CHECK(mtu_probe(mp, from, to, mtu, true) == 0);
	CHECK(set_open(to, false) == 0);
	return 0;
}

VT_CASE(mtu_boundary)
{
	const unsigned int pool_size = 15;
	struct rte_mempool *mp;
	struct rte_eth_conf conf = { .rxmode.mtu = 3000 };
	struct rte_ether_addr dst;
	uint16_t a, b, mtu;

	mp = rte_pktmbuf_pool_create("vt_big", pool_size, 0, 0,
		10240 + RTE_PKTMBUF_HEADROOM, rte_socket_id());
	CHECK(mp != NULL);
	CHECK_OK(pair_setup(&a, &b, 512));

	/* Default 1500, both directions. */
	CHECK(mtu_both(mp, a, b, 1500) == 0);
	CHECK(mtu_both(mp, b, a, 1500) == 0);

	/* Changed while started; only the receiver's MTU counts. */
	CHECK_OK(rte_eth_dev_set_mtu(b, 9000));
	CHECK(mtu_both(mp, a, b, 9000) == 0);
	CHECK(mtu_both(mp, b, a, 1500) == 0);
	CHECK_OK(rte_eth_dev_set_mtu(a, 68));	/* the minimum */
	CHECK(mtu_both(mp, b, a, 68) == 0);
	CHECK(mtu_both(mp, a, b, 9000) == 0);
	CHECK(rte_eth_dev_set_mtu(a, 67) != 0);
	CHECK_OK(rte_eth_dev_get_mtu(a, &mtu));
	CHECK_EQ(mtu, 68);
	CHECK(mtu_probe(mp, b, a, 68, false) == 0);

	/* Changed while stopped. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_set_mtu(b, 1000));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK(mtu_both(mp, a, b, 1000) == 0);

	/* Configured: from rxmode.mtu, or back to 1500 without it, as ethdev says. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_configure(b, 1, 1, &conf));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK(mtu_both(mp, a, b, 3000) == 0);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(vt_port_setup(b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK(mtu_both(mp, a, b, 1500) == 0);

	/* The sender's MTU never matters: a, at 68, still sends b all its 1500 allow. */
	CHECK_OK(rte_eth_dev_get_mtu(a, &mtu));
	CHECK_EQ(mtu, 68);
	dst = mac_of(b);
	ONE(a, b, &dst, 1514, HOST);
	ONE(a, b, &dst, 1515, DROP_OVERSIZE);

	CHECK(pair_done(a, b) == 0);
	CHECK_EQ(rte_mempool_avail_count(mp), pool_size);
	rte_mempool_free(mp);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/* A chain of vt_chain(), marked as this file's frames are. */
static struct rte_mbuf *
chain(const uint8_t *bytes, const uint16_t *seg, unsigned int nb_seg)
{
	struct rte_mbuf *head = vt_chain(bytes, seg, nb_seg);

	if (head != NULL)
		mark(head);
	return head;
}

/*
 * Frames of 0 to 13 bytes, each after a good frame, plus a 0-byte mbuf straight from the
 * pool, runts that start like a broadcast or like the receiver's MAC, a chained runt, and
 * a 14-byte frame, which is no runt. open: the receiver neither filters nor parses.
 */
static int
runts_round(uint16_t from, uint16_t to, bool open)
{
	struct rte_ether_addr dst = mac_of(to);
	struct rte_mbuf *sent[40], *good[40], *got[MAX_BURST], *m;
	const uint16_t seg[2] = { 5, 6 };
	uint8_t bytes[16] = { 0 };
	uint64_t obytes = 0, ibytes = 0;
	unsigned int n = 0, ng = 0, nr = 0, avail, i;
	uint16_t len;

	CHECK(set_open(to, open) == 0);
	CHECK_OK(vt_stats_reset_pair(from, to));
	for (len = 0; len < RTE_ETHER_HDR_LEN; len++) {
		good[ng++] = sent[n++] = frame(from, &dst, 100 + len, 64 + len);
		obytes += 64 + len;
		ibytes += 64 + len;
		sent[n++] = frame(from, &dst, len, len);
		nr++;
		obytes += len;
	}
	sent[n] = rte_pktmbuf_alloc(vt_pool);
	CHECK(sent[n] != NULL);
	mark(sent[n++]);
	nr++;
	m = sent[n++] = frame(from, &dst, 0, 13);
	CHECK(m != NULL);
	memset(rte_pktmbuf_mtod(m, void *), 0xff, 13);
	m = sent[n++] = frame(from, &dst, 0, 13);
	CHECK(m != NULL);
	memcpy(rte_pktmbuf_mtod(m, void *), &dst, RTE_ETHER_ADDR_LEN);
	memcpy(bytes, &dst, RTE_ETHER_ADDR_LEN);
	m = sent[n++] = chain(bytes, seg, 2);
	CHECK(m != NULL);
	CHECK_EQ(m->pkt_len, 11);
	nr += 3;
	obytes += 13 + 13 + 11;
	good[ng++] = sent[n++] = frame(from, &dst, 999, RTE_ETHER_HDR_LEN);
	obytes += RTE_ETHER_HDR_LEN;
	ibytes += RTE_ETHER_HDR_LEN;
	for (i = 0; i < n; i++)
		CHECK(sent[i] != NULL);

	avail = rte_mempool_avail_count(vt_pool);
	CHECK_EQ(rte_eth_tx_burst(from, 0, sent, n), n);
	/* Runts are freed at once, the chained one whole. */
	CHECK_EQ(rte_mempool_avail_count(vt_pool), avail + nr + 1);
	/* Open, nothing is counted by class, though the runts make tx check each frame. */
	EXPECT(from, .opackets = n, .obytes = obytes, .tx_uc = open ? 0 : ng);
	EXPECT(to, .undersized = nr, .ierrors = nr, .rx_uc = open ? 0 : ng);
	IDENTITY(from, to);
	CHECK_EQ(rx_all(to, got, RTE_DIM(got)), ng);
	for (i = 0; i < ng; i++) {
		CHECK(got[i] == good[i]);
		CHECK_EQ(got[i]->packet_type, open ? SENT_PTYPE : RTE_PTYPE_L2_ETHER);
		CHECK_EQ(dyn(got[i]), open ? SENT_CLASS : HOST);
	}
	rte_pktmbuf_free_bulk(got, ng);
	EXPECT(to, .ipackets = ng, .ibytes = ibytes, .undersized = nr, .ierrors = nr,
		.rx_uc = open ? 0 : ng);
	IDENTITY(from, to);

	/* Runts alone: never counted by class, open or not. */
	CHECK_OK(vt_stats_reset_pair(from, to));
	obytes = 0;
	for (len = 0; len < RTE_ETHER_HDR_LEN; len++) {
		sent[len] = frame(from, &dst, len, len);
		CHECK(sent[len] != NULL);
		obytes += len;
	}
	CHECK_EQ(rte_eth_tx_burst(from, 0, sent, RTE_ETHER_HDR_LEN), RTE_ETHER_HDR_LEN);
	EXPECT(from, .opackets = RTE_ETHER_HDR_LEN, .obytes = obytes);
	EXPECT(to, .undersized = RTE_ETHER_HDR_LEN, .ierrors = RTE_ETHER_HDR_LEN);
	CHECK_EQ(rx_all(to, got, RTE_DIM(got)), 0);
	IDENTITY(from, to);
	CHECK(set_open(to, false) == 0);
	return 0;
}

VT_CASE(runts)
{
	uint16_t a, b;

	CHECK_OK(pair_setup(&a, &b, 512));
	CHECK(runts_round(a, b, false) == 0);
	CHECK(runts_round(a, b, true) == 0);
	CHECK(runts_round(b, a, false) == 0);
	CHECK(runts_round(b, a, true) == 0);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/*
 * A returned frame is the caller's, as it gave it: same mbuf, length, bytes, and neither
 * packet_type nor the pkt_type field written (they still hold the sentinels).
 */
static int
returned_intact(const struct rte_mbuf *m, const struct rte_ether_addr *dst, uint32_t seq,
	uint16_t len)
{
	CHECK_EQ(m->packet_type, SENT_PTYPE);
	CHECK_EQ(dyn(m), SENT_CLASS);
	CHECK_EQ(rte_mbuf_refcnt_read(m), 1);
	CHECK_EQ(m->nb_segs, 1);
	CHECK(m->next == NULL);
	CHECK_EQ(m->pkt_len, len);
	CHECK_EQ(m->data_len, len);
	CHECK(memcmp(rte_pktmbuf_mtod(m, const void *), dst, RTE_ETHER_ADDR_LEN) == 0);
	CHECK_EQ(vt_seq(m), seq);
	CHECK_EQ(rte_pktmbuf_mtod(m, const uint8_t *)[len - 1], (uint8_t)(seq + len - 1));
	return 0;
}

VT_CASE(mixed_full_ring)
{
	struct rte_mbuf *burst[100], *keep[100], *got[MAX_BURST];
	struct rte_ether_addr dst;
	uint64_t obytes = 0, ibytes = 0;
	unsigned int avail, i, k;
	uint16_t a, b;

	CHECK_OK(pair_setup(&a, &b, 32));	/* a's ring to b holds 32 */
	dst = mac_of(b);

	/* 64 frames, every third to another host: tx stops at the 33rd that passes (#48). */
	for (i = 0; i < 64; i++) {
		keep[i] = burst[i] = frame(a, i % 3 == 2 ? &uc_other : &dst, i, 64 + i);
		CHECK(burst[i] != NULL);
	}
	avail = rte_mempool_avail_count(vt_pool);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 64), 48);
	/* Consumed: 32 in the ring and 16 dropped and freed. The last 16 are still ours. */
	CHECK_EQ(rte_mempool_avail_count(vt_pool), avail + 16);
	for (i = 48; i < 64; i++) {
		CHECK(burst[i] == keep[i]);
		CHECK(returned_intact(burst[i], i % 3 == 2 ? &uc_other : &dst, i, 64 + i) == 0);
	}
	for (i = 0; i < 48; i++)
		obytes += 64 + i;
	EXPECT(a, .opackets = 48, .obytes = obytes, .ring_full = 16,
		.tx_uc = 48);
	EXPECT(b, .otherhost = 16, .imissed = 16, .rx_uc = 32);
	CHECK_EQ(vt_rx_pending(b), 32);
	IDENTITY(a, b);

	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 32);
	for (i = 0, k = 0; i < 48; i++) {
		if (i % 3 == 2)
			continue;
		CHECK(got[k] == keep[i]);
		CHECK_EQ(dyn(got[k]), HOST);
		ibytes += 64 + i;
		k++;
	}
	rte_pktmbuf_free_bulk(got, 32);

	/* The caller sends the rest again: room now, 11 pass and 5 drop. */
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst + 48, 16), 16);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 11);
	for (i = 48, k = 0; i < 64; i++) {
		obytes += 64 + i;
		if (i % 3 == 2)
			continue;
		CHECK(got[k] == keep[i]);
		ibytes += 64 + i;
		k++;
	}
	rte_pktmbuf_free_bulk(got, 11);
	EXPECT(a, .opackets = 64, .obytes = obytes, .ring_full = 16,
		.tx_uc = 64);
	EXPECT(b, .ipackets = 43, .ibytes = ibytes, .otherhost = 21, .imissed = 21,
		.rx_uc = 43);
	IDENTITY(a, b);

	/* Across the driver's 64-frame chunks: 40 drops and 24 passes, then 8 of 36 fit. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	for (i = 0; i < 100; i++) {
		keep[i] = burst[i] = frame(a, i < 40 ? &uc_other : &dst, i, 64);
		CHECK(burst[i] != NULL);
	}
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 100), 72);
	for (i = 72; i < 100; i++) {
		CHECK(burst[i] == keep[i]);
		CHECK(returned_intact(burst[i], &dst, i, 64) == 0);
	}
	EXPECT(a, .opackets = 72, .obytes = 72 * 64, .ring_full = 28,
		.tx_uc = 72);
	EXPECT(b, .otherhost = 40, .imissed = 40, .rx_uc = 32);
	IDENTITY(a, b);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 32);
	for (k = 0; k < 32; k++)
		CHECK(got[k] == keep[40 + k]);
	rte_pktmbuf_free_bulk(got, 32);

	/*
	 * Ring full again (the 28 returned, then 4 more). Frames the receiver drops are
	 * consumed up to the first one that passes, even now; after it, all are returned.
	 */
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst + 72, 28), 28);
	for (i = 0; i < 4; i++)
		burst[i] = frame(a, &dst, 200 + i, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 4), 4);
	CHECK_EQ(vt_rx_pending(b), 32);
	burst[0] = frame(a, &uc_other, 300, 64);
	burst[1] = frame(a, &uc_other, 301, 64);
	burst[2] = frame(a, &dst, 302, 64);
	burst[3] = frame(a, &uc_other, 303, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 4), 2);
	CHECK(returned_intact(burst[2], &dst, 302, 64) == 0);
	CHECK(returned_intact(burst[3], &uc_other, 303, 64) == 0);
	keep[0] = burst[2];
	keep[1] = burst[3];
	burst[0] = frame(a, &uc_other, 400, 64);
	burst[1] = frame(a, &uc_other, 401, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 2), 2);
	burst[0] = frame(a, &dst, 500, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 1), 0);
	CHECK(returned_intact(burst[0], &dst, 500, 64) == 0);
	keep[2] = burst[0];
	EXPECT(a, .opackets = 108, .obytes = 108 * 64, .ring_full = 31,
		.tx_uc = 108);
	EXPECT(b, .otherhost = 44, .imissed = 44, .rx_uc = 64, .ipackets = 32,
		.ibytes = 32 * 64);
	IDENTITY(a, b);
	rte_pktmbuf_free_bulk(keep, 3);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 32);
	rte_pktmbuf_free_bulk(got, 32);
	IDENTITY(a, b);

	/* An open receiver: tx takes its fast path, which must stop at the room as well. */
	CHECK(set_open(b, true) == 0);
	CHECK_OK(vt_stats_reset_pair(a, b));
	for (i = 0; i < 40; i++) {
		keep[i] = burst[i] = frame(a, i % 3 == 2 ? &uc_other : &dst, i, 64);
		CHECK(burst[i] != NULL);
	}
	avail = rte_mempool_avail_count(vt_pool);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 40), 32);
	CHECK_EQ(rte_mempool_avail_count(vt_pool), avail);
	for (i = 32; i < 40; i++) {
		CHECK(burst[i] == keep[i]);
		CHECK(returned_intact(burst[i], i % 3 == 2 ? &uc_other : &dst, i, 64) == 0);
	}
	EXPECT(a, .opackets = 32, .obytes = 32 * 64, .ring_full = 8);
	EXPECT(b);
	IDENTITY(a, b);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 32);
	for (k = 0; k < 32; k++)
		CHECK(got[k] == keep[k]);
	rte_pktmbuf_free_bulk(got, 32);
	/* 28 of the 32 slots taken, then a runt within the room: checked frame by frame. */
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst + 32, 8), 8);
	for (i = 0; i < 20; i++)
		burst[i] = frame(a, &dst, 600 + i, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 20), 20);
	for (i = 0; i < 6; i++)
		keep[i] = burst[i] = frame(a, &dst, 700 + i, i == 1 ? 10 : 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 6), 5);
	CHECK(returned_intact(burst[5], &dst, 705, 64) == 0);
	EXPECT(a, .opackets = 32 + 28 + 5, .obytes = (32 + 28 + 4) * 64 + 10,
		.ring_full = 9);
	EXPECT(b, .ipackets = 32, .ibytes = 32 * 64, .undersized = 1, .ierrors = 1);
	IDENTITY(a, b);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 32);
	CHECK(got[28] == keep[0] && got[29] == keep[2] && got[31] == keep[4]);
	rte_pktmbuf_free_bulk(got, 32);
	rte_pktmbuf_free(keep[5]);
	CHECK(set_open(b, false) == 0);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/*
 * One chained frame: dst and from's MAC, then h, then a pattern, split into the given
 * segments. It must arrive whole with class / packet_type as given, or be dropped (v a
 * DROP_) and freed whole; bytes are counted by pkt_len.
 */
static int
chain_one(uint16_t from, uint16_t to, const struct rte_ether_addr *dst, const struct hdr *h,
	const uint16_t *seg, unsigned int nb_seg, int v, uint32_t ptype, bool open)
{
	struct rte_ether_addr src = mac_of(from);
	struct cnt tx0, rx0, tx = { 0 }, rx = { 0 };
	static uint8_t bytes[4096], back[4096];
	struct rte_mbuf *m, *got[4];
	uint32_t len = 0, i;
	unsigned int avail;
	bool pass = v < DROP_OTHERHOST;

	for (i = 0; i < nb_seg; i++)
		len += seg[i];
	for (i = 0; i < len; i++)
		bytes[i] = (uint8_t)(i * 7 + 1);
	memcpy(bytes, dst, 6);
	memcpy(bytes + 6, &src, 6);
	memcpy(bytes + 12, h->b, h->n);
	m = chain(bytes, seg, nb_seg);
	CHECK(m != NULL);
	CHECK_EQ(m->nb_segs, nb_seg);
	CHECK_EQ(m->pkt_len, len);
	CHECK(cnt_get(from, &tx0) == 0);
	CHECK(cnt_get(to, &rx0) == 0);
	avail = rte_mempool_avail_count(vt_pool);
	CHECK_EQ(rte_eth_tx_burst(from, 0, &m, 1), 1);
	tx.opackets = 1;
	tx.obytes = len;
	cast_counts(v, &tx, &rx);
	if (open)
		tx.tx_uc = rx.rx_uc = 0;
	if (pass) {
		rx.ipackets = 1;
		rx.ibytes = len;
		CHECK_EQ(rx_all(to, got, RTE_DIM(got)), 1);
		CHECK(got[0] == m);
		CHECK_EQ(m->nb_segs, nb_seg);
		CHECK_EQ(m->pkt_len, len);
		CHECK(rte_pktmbuf_read(m, 0, len, back) != NULL);
		CHECK(memcmp(rte_pktmbuf_read(m, 0, len, back), bytes, len) == 0);
		CHECK_EQ(m->packet_type, open ? SENT_PTYPE : ptype);
		CHECK_EQ(dyn(m), open ? SENT_CLASS : v);
		rte_pktmbuf_free(m);
	} else {
		CHECK_EQ(rx_all(to, got, RTE_DIM(got)), 0);
		CHECK_EQ(rte_mempool_avail_count(vt_pool), avail + nb_seg);
	}
	EXPECT_DELTA(from, &tx0, .opackets = tx.opackets, .obytes = tx.obytes,
		.tx_uc = tx.tx_uc);
	EXPECT_DELTA(to, &rx0, .ipackets = rx.ipackets, .ibytes = rx.ibytes,
		.ierrors = rx.ierrors, .imissed = rx.imissed, .otherhost = rx.otherhost,
		.oversize = rx.oversize, .rx_uc = rx.rx_uc);
	IDENTITY(from, to);
	return 0;
}


VT_CASE(chained)
{
	struct hdr udp = { .n = 0 }, plain = { .n = 0 }, qinq = { .n = 0 };
	struct rte_ether_addr dst;
	uint16_t a, b;
	const uint32_t udp_ptype = E | V4 | RTE_PTYPE_L4_UDP;

	ip4(&udp, 5, 0, 17);
	put16(&plain, 0x88b5);
	tag(&qinq, 0x88a8);
	tag(&qinq, 0x8100);
	put16(&qinq, 0x88b5);
	CHECK_OK(pair_setup(&a, &b, 512));
	/* Ports that take chains (Rx SCATTER): they arrive as they were sent. */
	CHECK_OK(vt_port_restart(a, RTE_ETH_RX_OFFLOAD_SCATTER));
	CHECK_OK(vt_port_restart(b, RTE_ETH_RX_OFFLOAD_SCATTER));
	dst = mac_of(b);

	/* Headers in the first segment: parsed; the chain arrives whole. */
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(42, 100, 50), HOST, udp_ptype, false) == 0);
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(42, 20, 20, 20, 20, 20, 20, 20, 20, 20, 1),
		HOST, udp_ptype, false) == 0);
	/* The UDP header in the second segment: no L4 type, as no L4 header to read. */
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(34, 100, 50), HOST, E | V4, false) == 0);
	CHECK(chain_one(b, a, &(struct rte_ether_addr){ .addr_bytes = { 0 } }, &udp,
		VT_SEGS(34, 30), DROP_OTHERHOST, 0, false) == 0);
	/* The parser reads the first segment only: what lies beyond is left unknown. */
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(20, 20, 20), HOST, E, false) == 0);
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(14, 86), HOST, E, false) == 0);
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(12, 2, 50), HOST, RTE_PTYPE_UNKNOWN,
		false) == 0);
	/* The length rule takes the whole chain. */
	CHECK(chain_one(a, b, &dst, &plain, VT_SEGS(600, 600, 314), HOST, E, false) == 0);
	CHECK(chain_one(a, b, &dst, &plain, VT_SEGS(600, 600, 315), DROP_OVERSIZE, 0,
		false) == 0);
	CHECK(chain_one(a, b, &dst, &qinq, VT_SEGS(22, 700, 800), HOST,
		RTE_PTYPE_L2_ETHER_QINQ, false) == 0);
	CHECK(chain_one(a, b, &dst, &qinq, VT_SEGS(22, 700, 801), DROP_OVERSIZE, 0,
		false) == 0);
	/* A tag whose TPID is not in the first segment counts as absent (vpair_l2.h). */
	CHECK(chain_one(a, b, &dst, &qinq, VT_SEGS(18, 704, 800), HOST,
		RTE_PTYPE_L2_ETHER_QINQ, false) == 0);
	CHECK(chain_one(a, b, &dst, &qinq, VT_SEGS(14, 708, 800), DROP_OVERSIZE, 0,
		false) == 0);
	/* Fewer than 6 bytes in the first segment: the destination is unknown, OTHERHOST. */
	CHECK(chain_one(a, b, &dst, &plain, VT_SEGS(4, 60), DROP_OTHERHOST, 0, false) == 0);
	CHECK_OK(rte_eth_promiscuous_enable(b));
	CHECK(chain_one(a, b, &dst, &plain, VT_SEGS(4, 60), OTHER, RTE_PTYPE_UNKNOWN,
		false) == 0);
	CHECK_OK(rte_eth_promiscuous_disable(b));
	/* Open receiver: the chain goes by the fast path, untouched. */
	CHECK(set_open(b, true) == 0);
	CHECK(chain_one(a, b, &dst, &udp, VT_SEGS(34, 100, 50), HOST, 0, true) == 0);
	CHECK(chain_one(a, b, &dst, &plain, VT_SEGS(1000, 514), HOST, 0, true) == 0);
	CHECK(set_open(b, false) == 0);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

#define XS_MAX 256

static int
xstats_all(uint16_t port, struct rte_eth_xstat *xs)
{
	int n = rte_eth_xstats_get(port, xs, XS_MAX);

	return n > 0 && n <= XS_MAX ? n : -1;
}

static int
xstats_zero(uint16_t port)
{
	struct rte_eth_xstat xs[XS_MAX];
	int n = xstats_all(port, xs), i;

	CHECK(n > 0);
	for (i = 0; i < n; i++)
		CHECK_EQ(xs[i].value, 0);
	return 0;
}

static int
xstats_same(uint16_t port, const struct rte_eth_xstat *before, int nb)
{
	struct rte_eth_xstat xs[XS_MAX];
	int n = xstats_all(port, xs), i;

	CHECK_EQ(n, nb);
	for (i = 0; i < n; i++) {
		CHECK_EQ(xs[i].id, before[i].id);
		CHECK_EQ(xs[i].value, before[i].value);
	}
	return 0;
}

/* A reset clears every counter of one port, and nothing of its peer's. */
VT_CASE(stats_reset)
{
	struct rte_eth_xstat xs[XS_MAX];
	struct rte_ether_addr mac_a, mac_b;
	struct rte_mbuf *m[4];
	struct cnt a0;
	int n, i;
	uint16_t a, b;

	CHECK_OK(pair_setup(&a, &b, 512));
	mac_a = mac_of(a);
	mac_b = mac_of(b);
	/* Something in every counter of b, and in a's. */
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, &mc1, 1));
	ONE(a, b, &mac_b, 64, HOST);
	ONE(a, b, &bcast, 65, BCAST);
	ONE(a, b, &mc1, 66, MCAST);
	ONE(a, b, &mc2, 67, DROP_MCAST);
	ONE(a, b, &uc_other, 68, DROP_OTHERHOST);
	ONE(a, b, &mac_b, 1515, DROP_OVERSIZE);
	ONE(a, b, &mac_b, 3, DROP_RUNT);
	ONE(b, a, &mac_a, 100, HOST);
	for (i = 0; i < 3; i++)
		m[i] = frame(a, &mac_b, i, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 3), 3);
	CHECK_OK(rte_eth_dev_stop(b));		/* 3 flushed */
	m[0] = frame(a, &mac_b, 9, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 1), 0);	/* link down */
	rte_pktmbuf_free(m[0]);
	CHECK_OK(rte_eth_dev_start(b));
	EXPECT(b, .opackets = 1, .obytes = 100, .tx_uc = 1, .ipackets = 3,
		.ibytes = 64 + 65 + 66, .ierrors = 2, .imissed = 5, .otherhost = 1, .mcast = 1,
		.oversize = 1, .undersized = 1, .flushed = 3, .rx_uc = 4, .rx_mc = 1,
		.rx_bc = 1);
	IDENTITY(a, b);

	/* b's reset: all of b's counters are 0, every one of a's is as it was. */
	n = xstats_all(a, xs);
	CHECK(n > 0);
	CHECK(cnt_get(a, &a0) == 0);
	CHECK_OK(rte_eth_xstats_reset(b));
	CHECK(xstats_zero(b) == 0);
	CHECK(xstats_same(a, xs, n) == 0);

	/* b counts afresh, a goes on. */
	m[0] = frame(a, &mac_b, 1, 64);
	m[1] = frame(a, &uc_other, 2, 64);
	m[2] = frame(a, &mac_b, 3, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 3), 3);
	CHECK_EQ(rx_all(b, m, RTE_DIM(m)), 2);
	rte_pktmbuf_free_bulk(m, 2);
	EXPECT(b, .ipackets = 2, .ibytes = 128, .otherhost = 1, .imissed = 1, .rx_uc = 2);
	EXPECT_DELTA(a, &a0, .opackets = 3, .obytes = 192, .tx_uc = 3);

	/* The same with the basic reset, the other way round. */
	n = xstats_all(b, xs);
	CHECK(n > 0);
	CHECK_OK(rte_eth_stats_reset(a));
	CHECK(xstats_zero(a) == 0);
	CHECK(xstats_same(b, xs, n) == 0);

	/* Reset on both with nothing in flight: the identity holds from there. */
	CHECK_OK(rte_eth_xstats_reset(b));
	IDENTITY(a, b);
	ONE(a, b, &mac_b, 64, HOST);
	ONE(a, b, &uc_other, 64, DROP_OTHERHOST);
	ONE(b, a, &mac_a, 64, HOST);
	CHECK(pair_done(a, b) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/*
 * Frames tx_burst hands back because the ring is full are not written either: sent again
 * after the receiver turned parsing off, they arrive with the sender's values, not with a
 * packet_type / pkt_type parsed for a burst that did not take them.
 */
VT_CASE(refused_untouched)
{
	struct rte_mbuf *burst[40], *got[MAX_BURST];
	struct rte_ether_addr dst;
	unsigned int touched = 0, stale = 0, i;
	uint16_t a, b;

	CHECK_OK(pair_setup(&a, &b, 32));
	dst = mac_of(b);
	for (i = 0; i < 40; i++) {
		burst[i] = frame(a, &dst, i, 64);
		CHECK(burst[i] != NULL);
	}
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 40), 32);
	for (i = 32; i < 40; i++)
		touched += burst[i]->packet_type != SENT_PTYPE || dyn(burst[i]) != SENT_CLASS;

	CHECK_OK(rte_eth_dev_set_ptypes(b, RTE_PTYPE_UNKNOWN, NULL, 0));
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 32);
	rte_pktmbuf_free_bulk(got, 32);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst + 32, 8), 8);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 8);
	for (i = 0; i < 8; i++)
		stale += got[i]->packet_type != SENT_PTYPE || dyn(got[i]) != SENT_CLASS;
	rte_pktmbuf_free_bulk(got, 8);
	CHECK(pair_done(a, b) == 0);

	if (touched != 0)
		fprintf(stderr, "%u of the 8 frames tx_burst returned had packet_type / pkt_type written\n",
			touched);
	if (stale != 0)
		fprintf(stderr, "%u of them then arrived with those values, parsing being off\n",
			stale);
	CHECK_EQ(touched, 0);
	CHECK_EQ(stale, 0);
	return 0;
}

/*
 * The class counters (tx_/rx_unicast_packets and so on) count only while the receiver
 * classifies; an open receiver (promiscuous, all-multicast, parsing off) does not, even
 * for a burst that the tx path must check frame by frame because one frame is longer than
 * MTU + 14 (an oversize frame, or a legal tagged one): the counters never depend on the
 * other frames of a burst.
 */
VT_CASE(cast_while_open)
{
	struct hdr vlan = { .n = 0 };
	struct rte_ether_addr dst;
	struct rte_mbuf *m[2], *got[4];
	int fails = 0;
	uint16_t a, b;

	tag(&vlan, 0x8100);
	put16(&vlan, 0x88b5);
	CHECK_OK(pair_setup(&a, &b, 512));
	CHECK(set_open(b, true) == 0);
	dst = mac_of(b);

	/* Alone, a good frame takes the fast path and is not counted by class. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	m[0] = frame(a, &dst, 1, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 1), 1);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 1);
	rte_pktmbuf_free(got[0]);
	EXPECT(a, .opackets = 1, .obytes = 64);
	EXPECT(b, .ipackets = 1, .ibytes = 64);

	/* Nor beside an oversize frame, which makes tx check each frame of the burst. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	m[0] = frame(a, &dst, 1, 64);
	m[1] = frame(a, &dst, 2, 1515);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 2), 2);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 1);
	rte_pktmbuf_free(got[0]);
	fails += cnt_check(a, NULL, &(const struct cnt){ .opackets = 2, .obytes = 64 + 1515 },
		__LINE__) != 0;
	fails += cnt_check(b, NULL, &(const struct cnt){ .ipackets = 1, .ibytes = 64,
		.oversize = 1, .ierrors = 1 }, __LINE__) != 0;
	IDENTITY(a, b);

	/* Nor a legal tagged frame of 1518 bytes, checked for its tag. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	m[0] = frame_hdr(vt_pool, a, &dst, &vlan, 1518);
	CHECK(m[0] != NULL);
	CHECK_EQ(rte_eth_tx_burst(a, 0, m, 1), 1);
	CHECK_EQ(rx_all(b, got, RTE_DIM(got)), 1);
	rte_pktmbuf_free(got[0]);
	fails += cnt_check(a, NULL, &(const struct cnt){ .opackets = 1, .obytes = 1518 },
		__LINE__) != 0;
	fails += cnt_check(b, NULL, &(const struct cnt){ .ipackets = 1, .ibytes = 1518 },
		__LINE__) != 0;
	CHECK(pair_done(a, b) == 0);
	CHECK_EQ(fails, 0);
	return 0;
}
