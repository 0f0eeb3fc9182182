/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * The packet type parser against DPDK's own rte_net_get_ptype(), over a
 * corpus of VLAN tags x L3 x L4, each frame cut at every length from 0 to
 * whole. Each cut frame is an exact-size heap block, so in the -san build
 * a read past its end is an ASan error; rte_net_get_ptype() reads it from
 * a one-segment mbuf built by hand, with no EAL.
 *
 * Per cut frame:
 *  - vpair reports no layer whose header is not wholly in the frame;
 *  - every layer, outer and inner, is the same in both, unless one of the
 *    differences documented in vpair_l2.h accounts for it. Each difference
 *    names the frames it applies to and what each side reports there, and
 *    must account for at least one frame, so the list stays honest.
 *    Where DPDK misreads the tags, the layers above L2 are held to its
 *    answer for the same frame under tags it reads right.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_net.h>

#include "vpair_l2.h"
#include "unit_check.h"

#define L2(p) ((p) & RTE_PTYPE_L2_MASK)
#define L3(p) ((p) & RTE_PTYPE_L3_MASK)
#define L4(p) ((p) & RTE_PTYPE_L4_MASK)

#define FRAME_MAX 256
#define EXT_MAX 6

/* A frame and where its headers are, from the generator. */
struct frame {
	uint8_t b[FRAME_MAX];
	uint32_t len;
	char name[96];
	int ntags;
	uint16_t tpid[2];
	uint16_t type;		/* EtherType under the tags */
	uint32_t l3;		/* offset of the IP header */
	uint32_t l3_len;	/* IPv4: IHL * 4, IPv6: 40 */
	bool ip_bad;		/* IP version, or IHL, vpair refuses */
	bool frag;
	int nb_ext;		/* IPv6 extension headers */
	uint8_t ext_type[EXT_MAX];
	uint32_t ext_start[EXT_MAX], ext_end[EXT_MAX];
	uint8_t proto;		/* upper layer */
	uint32_t l4;		/* offset of its header */
	uint32_t tcp_len;	/* TCP header with options */
};

static void
put8(struct frame *f, uint8_t v)
{
	if (f->len == FRAME_MAX) {
		fprintf(stderr, "%s: frame too long\n", f->name);
		exit(EXIT_FAILURE);
	}
	f->b[f->len++] = v;
}

static void
put16(struct frame *f, uint16_t v)
{
	put8(f, v >> 8);
	put8(f, v & 0xff);
}

static void
fill(struct frame *f, uint32_t n, uint8_t v)
{
	while (n--)
		put8(f, v);
}

static void
set16(struct frame *f, uint32_t off, uint16_t v)
{
	f->b[off] = v >> 8;
	f->b[off + 1] = v & 0xff;
}

/* --- The corpus --- */

static const struct {
	const char *name;
	int n;
	uint16_t tpid[2];
} tag_list[] = {
	{ "untagged", 0, { 0 } },
	{ "8100", 1, { 0x8100 } },
	{ "88a8", 1, { 0x88a8 } },
	{ "9100", 1, { 0x9100 } },
	{ "88a8 8100", 2, { 0x88a8, 0x8100 } },
	{ "8100 8100", 2, { 0x8100, 0x8100 } },
	{ "9100 8100", 2, { 0x9100, 0x8100 } },
};

static const struct {
	const char *name;
	uint8_t ver_ihl;
	uint16_t frag;		/* flags and offset */
} ip4_list[] = {
	{ "ipv4", 0x45, 0x4000 },
	{ "ipv4 options", 0x47, 0 },
	{ "ipv4 first fragment", 0x45, 0x2000 },
	{ "ipv4 non-first fragment", 0x45, 0x2010 },
	{ "ipv4 options last fragment", 0x46, 0x0020 },
	{ "ipv4 version 6", 0x65, 0 },
	{ "ipv4 ihl 4", 0x44, 0 },
};

struct ext {
	uint8_t type;
	uint8_t len;
	uint16_t frag;		/* fragment header: offset and M */
};

static const struct {
	const char *name;
	uint8_t version;
	int n;
	struct ext ext[EXT_MAX];
} ip6_list[] = {
	{ "ipv6", 6, 0, { { 0 } } },
	{ "ipv6 hbh", 6, 1, { { IPPROTO_HOPOPTS, 8, 0 } } },
	{ "ipv6 routing", 6, 1, { { IPPROTO_ROUTING, 24, 0 } } },
	{ "ipv6 dstopts", 6, 1, { { IPPROTO_DSTOPTS, 16, 0 } } },
	{ "ipv6 first fragment", 6, 1, { { IPPROTO_FRAGMENT, 8, 1 } } },
	{ "ipv6 non-first fragment", 6, 1, { { IPPROTO_FRAGMENT, 8, 0x100 } } },
	{ "ipv6 ah", 6, 1, { { IPPROTO_AH, 24, 0 } } },
	{ "ipv6 hbh dstopts", 6, 2, { { IPPROTO_HOPOPTS, 8, 0 },
		{ IPPROTO_DSTOPTS, 8, 0 } } },
	{ "ipv6 hbh routing fragment", 6, 3, { { IPPROTO_HOPOPTS, 8, 0 },
		{ IPPROTO_ROUTING, 24, 0 }, { IPPROTO_FRAGMENT, 8, 1 } } },
	{ "ipv6 hbh ah dstopts", 6, 3, { { IPPROTO_HOPOPTS, 8, 0 },
		{ IPPROTO_AH, 16, 0 }, { IPPROTO_DSTOPTS, 8, 0 } } },
	{ "ipv6 5 extension headers", 6, 5, { { IPPROTO_HOPOPTS, 8, 0 },
		{ IPPROTO_DSTOPTS, 8, 0 }, { IPPROTO_ROUTING, 8, 0 },
		{ IPPROTO_DSTOPTS, 8, 0 }, { IPPROTO_DSTOPTS, 16, 0 } } },
	{ "ipv6 mobility", 6, 1, { { IPPROTO_MH, 8, 0 } } },
	{ "ipv6 esp", 6, 1, { { IPPROTO_ESP, 8, 0 } } },
	{ "ipv6 version 4", 4, 0, { { 0 } } },
};

enum l4_kind { TCP5, TCP8, UDP, ICMP, SCTP, UNKNOWN, IPIP, GRE };

static const struct {
	const char *name;
	enum l4_kind kind;
} l4_list[] = {
	{ "tcp", TCP5 },
	{ "tcp options", TCP8 },
	{ "udp", UDP },
	{ "icmp", ICMP },
	{ "sctp", SCTP },
	{ "proto 253", UNKNOWN },
	{ "ipip", IPIP },
	{ "gre", GRE },
};

static uint8_t
l4_proto(enum l4_kind kind, bool v6)
{
	static const uint8_t proto[] = {
		[TCP5] = IPPROTO_TCP, [TCP8] = IPPROTO_TCP,
		[UDP] = IPPROTO_UDP, [ICMP] = IPPROTO_ICMP,
		[SCTP] = IPPROTO_SCTP, [UNKNOWN] = 253,
		[IPIP] = IPPROTO_IPIP, [GRE] = IPPROTO_GRE,
	};

	return kind == ICMP && v6 ? IPPROTO_ICMPV6 : proto[kind];
}

static void
eth(struct frame *f, int ti, uint16_t type)
{
	int i;

	f->len = 0;
	fill(f, 5, 0x02);
	put8(f, 0x02);
	fill(f, 5, 0x02);
	put8(f, 0x01);
	f->ntags = tag_list[ti].n;
	for (i = 0; i < f->ntags; i++) {
		f->tpid[i] = tag_list[ti].tpid[i];
		put16(f, f->tpid[i]);
		put16(f, 100 + i);
	}
	f->type = type;
	put16(f, type);
	f->l3 = f->len;
}

/* Inner IPv4 and UDP of a tunnel. */
static void
inner_ipv4_udp(struct frame *f)
{
	put8(f, 0x45);
	fill(f, 5, 0);
	put16(f, 0);
	put8(f, 64);
	put8(f, IPPROTO_UDP);
	fill(f, 10, 0x0a);
	fill(f, 8, 0x35);
}

static void
l4(struct frame *f, enum l4_kind kind, bool v6)
{
	uint32_t i;

	f->proto = l4_proto(kind, v6);
	f->l4 = f->len;
	switch (kind) {
	case TCP5:
	case TCP8:
		f->tcp_len = kind == TCP5 ? 20 : 32;
		put16(f, 1024);
		put16(f, 80);
		fill(f, 8, 0);
		put8(f, f->tcp_len / 4 << 4);
		put8(f, 0x02);	/* SYN */
		put16(f, 65535);
		fill(f, 4, 0);
		/* Options: MSS, then NOPs. */
		for (i = 20; i < f->tcp_len; i += 4) {
			put16(f, i == 20 ? 0x0204 : 0x0101);
			put16(f, i == 20 ? 1460 : 0x0101);
		}
		break;
	case UDP:
		put16(f, 1024);
		put16(f, 53);
		put16(f, 8 + 16);
		put16(f, 0);
		break;
	case ICMP:
		put8(f, v6 ? 128 : 8);	/* echo request */
		fill(f, 7, 0);
		break;
	case SCTP:
		put16(f, 1024);
		put16(f, 2905);
		fill(f, 8, 0);
		break;
	case UNKNOWN:
		break;
	case IPIP:
		inner_ipv4_udp(f);
		break;
	case GRE:
		put16(f, 0);
		put16(f, 0x0800);
		inner_ipv4_udp(f);
		break;
	}
	fill(f, 16, 0x77);
}

static void
gen_ipv4(struct frame *f, int ti, int i3, int i4)
{
	uint8_t vi = ip4_list[i3].ver_ihl;

	snprintf(f->name, sizeof(f->name), "%s / %s / %s", tag_list[ti].name,
		 ip4_list[i3].name, l4_list[i4].name);
	eth(f, ti, RTE_ETHER_TYPE_IPV4);
	f->l3_len = (vi & 0xf) * 4;
	f->ip_bad = (vi >> 4) != 4 || f->l3_len < 20;
	f->frag = ip4_list[i3].frag & 0x3fff;
	put8(f, vi);
	put8(f, 0);
	put16(f, 0);		/* total length, below */
	put16(f, 0x1234);
	put16(f, ip4_list[i3].frag);
	put8(f, 64);
	put8(f, l4_proto(l4_list[i4].kind, false));
	put16(f, 0);
	fill(f, 8, 0x0a);
	if (f->l3_len > 20) {	/* options: NOPs, then end of list */
		fill(f, f->l3_len - 21, 1);
		put8(f, 0);
	}
	l4(f, l4_list[i4].kind, false);
	set16(f, f->l3 + 2, f->len - f->l3);
}

static void
gen_ipv6(struct frame *f, int ti, int i3, int i4)
{
	enum l4_kind kind = l4_list[i4].kind;
	int i, n = ip6_list[i3].n;
	uint8_t nh;

	snprintf(f->name, sizeof(f->name), "%s / %s / %s", tag_list[ti].name,
		 ip6_list[i3].name, l4_list[i4].name);
	eth(f, ti, RTE_ETHER_TYPE_IPV6);
	f->l3_len = 40;
	f->ip_bad = ip6_list[i3].version != 6;
	f->nb_ext = n;
	put8(f, ip6_list[i3].version << 4);
	fill(f, 3, 0);
	put16(f, 0);		/* payload length, below */
	put8(f, n ? ip6_list[i3].ext[0].type : l4_proto(kind, true));
	put8(f, 64);
	fill(f, 32, 0xfe);
	for (i = 0; i < n; i++) {
		const struct ext *e = &ip6_list[i3].ext[i];

		nh = i + 1 < n ? ip6_list[i3].ext[i + 1].type :
				 l4_proto(kind, true);
		f->ext_type[i] = e->type;
		f->ext_start[i] = f->len;
		switch (e->type) {
		case IPPROTO_ESP:	/* SPI and sequence number */
			fill(f, e->len, 0x5e);
			break;
		case IPPROTO_FRAGMENT:
			f->frag = true;
			put8(f, nh);
			put8(f, 0);
			put16(f, e->frag);
			fill(f, 4, 0x1d);
			break;
		case IPPROTO_AH:
			put8(f, nh);
			put8(f, e->len / 4 - 2);
			fill(f, e->len - 2, 0xa4);
			break;
		default:	/* options: Pad1 */
			put8(f, nh);
			put8(f, e->len / 8 - 1);
			fill(f, e->len - 2, 0);
			break;
		}
		f->ext_end[i] = f->len;
	}
	l4(f, kind, true);
	set16(f, f->l3 + 4, f->len - f->l3 - 40);
}

static void
gen_other(struct frame *f, int ti, uint16_t type, const char *name)
{
	snprintf(f->name, sizeof(f->name), "%s / %s", tag_list[ti].name, name);
	eth(f, ti, type);
	switch (type) {
	case RTE_ETHER_TYPE_ARP:	/* request */
		put16(f, 1);
		put16(f, RTE_ETHER_TYPE_IPV4);
		put8(f, 6);
		put8(f, 4);
		put16(f, 1);
		fill(f, 20, 0x0a);
		break;
	case RTE_ETHER_TYPE_LLDP:	/* chassis ID, port ID, TTL, end */
		put16(f, 1 << 9 | 7);
		put8(f, 4);
		fill(f, 6, 0x02);
		put16(f, 2 << 9 | 2);
		put8(f, 7);
		put8(f, '1');
		put16(f, 3 << 9 | 2);
		put16(f, 120);
		put16(f, 0);
		break;
	default:
		fill(f, 16, 0x77);
		break;
	}
}

/* --- What vpair may report at all --- */

/* Bytes from the L4 header on that L4 type t needs in frame f; more than
 * any frame if f has no such L4 header. */
static uint32_t
l4_need(const struct frame *f, uint32_t t)
{
	bool v6 = f->type == RTE_ETHER_TYPE_IPV6;

	if (t == RTE_PTYPE_L4_TCP && f->proto == IPPROTO_TCP)
		return f->tcp_len;
	if (t == RTE_PTYPE_L4_UDP && f->proto == IPPROTO_UDP)
		return 8;
	if (t == RTE_PTYPE_L4_ICMP &&
	    f->proto == (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		return 8;
	return FRAME_MAX;
}

/* No layer whose header is cut off, nor of a frame with no such header. */
static void
check_inside(const struct frame *f, uint32_t cut, uint32_t v)
{
	CHECK_EQ(v & ~(RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK |
		       RTE_PTYPE_L4_MASK), 0);
	if (cut < RTE_ETHER_HDR_LEN) {
		CHECK_EQ(v, 0);
		return;
	}
	CHECK(L2(v) != 0);
	if (L3(v) != 0) {
		CHECK(!f->ip_bad);
		CHECK(f->l3 + f->l3_len <= cut);
	}
	if (L4(v) == RTE_PTYPE_L4_FRAG)
		CHECK(f->frag && f->l4 <= cut);
	else if (L4(v) != 0)
		CHECK(f->l4 + l4_need(f, L4(v)) <= cut);
}

/* --- The differences from rte_net_get_ptype(), as in vpair_l2.h --- */

/* Layers, one bit each. */
enum {
	LAY_L2 = 1 << 0,
	LAY_L3 = 1 << 1,
	LAY_L4 = 1 << 2,
	LAY_TUNNEL = 1 << 3,
	LAY_INNER_L2 = 1 << 4,
	LAY_INNER_L3 = 1 << 5,
	LAY_INNER_L4 = 1 << 6,
	LAY_INNER = LAY_TUNNEL | LAY_INNER_L2 | LAY_INNER_L3 | LAY_INNER_L4,
	/* Not a layer: DPDK misread the tags above L2. */
	LAY_TAGS_MISREAD = 1 << 7,
};

static const uint32_t lay_mask[] = {
	RTE_PTYPE_L2_MASK, RTE_PTYPE_L3_MASK, RTE_PTYPE_L4_MASK,
	RTE_PTYPE_TUNNEL_MASK, RTE_PTYPE_INNER_L2_MASK,
	RTE_PTYPE_INNER_L3_MASK, RTE_PTYPE_INNER_L4_MASK,
};

static uint32_t
lay_differ(uint32_t a, uint32_t b)
{
	uint32_t lay = 0, i;

	for (i = 0; i < RTE_DIM(lay_mask); i++)
		if ((a & lay_mask[i]) != (b & lay_mask[i]))
			lay |= 1u << i;
	return lay;
}

/* One frame cut to len bytes, and the answers. */
struct cut {
	const struct frame *f;
	uint32_t len;
	uint32_t raw;	/* rte_net_get_ptype() */
	/*
	 * What vpair is held to: raw, but above L2 DPDK's answer for the
	 * same bytes under tags it reads as tags (0x8100, or 0x88A8 0x8100)
	 * where it misreads the frame's own.
	 */
	uint32_t ref;
	uint32_t v;	/* vpair_ptype_parse() */
};

static bool
is_ip(const struct frame *f)
{
	return f->type == RTE_ETHER_TYPE_IPV4 || f->type == RTE_ETHER_TYPE_IPV6;
}

static bool
has_ext(const struct frame *f, uint8_t type)
{
	int i;

	for (i = 0; i < f->nb_ext; i++)
		if (f->ext_type[i] == type)
			return true;
	return false;
}

static uint32_t
tags_misread(const struct cut *c)
{
	return (c->raw ^ c->ref) & ~RTE_PTYPE_L2_MASK ? LAY_TAGS_MISREAD : 0;
}

/* Each returns the layers in which it accounts for ref and v differing. */

static uint32_t
d_arp_lldp(const struct cut *c)
{
	uint16_t t = c->f->type;

	if (c->f->ntags != 0 || L2(c->ref) != RTE_PTYPE_L2_ETHER)
		return 0;
	if ((t == RTE_ETHER_TYPE_ARP && L2(c->v) == RTE_PTYPE_L2_ETHER_ARP) ||
	    (t == RTE_ETHER_TYPE_LLDP && L2(c->v) == RTE_PTYPE_L2_ETHER_LLDP))
		return LAY_L2;
	return 0;
}

/* DPDK stops at the unknown EtherType 0x9100. */
static uint32_t
d_tpid_9100(const struct cut *c)
{
	if (c->f->ntags == 0 || c->f->tpid[0] != 0x9100)
		return 0;
	if (L2(c->raw) == RTE_PTYPE_L2_ETHER &&
	    L2(c->v) == RTE_PTYPE_L2_ETHER_QINQ)
		return LAY_L2 | tags_misread(c);
	return tags_misread(c);
}

/* DPDK reads the bytes under an S-tag as a C-tag, and the EtherType 4
 * bytes too far. */
static uint32_t
d_s_tag_alone(const struct cut *c)
{
	if (c->f->ntags != 1 || c->f->tpid[0] != 0x88a8)
		return 0;
	return tags_misread(c);
}

/*
 * DPDK: one tag, then the second tag and what it carries as inner layers;
 * with the inner TCP header cut it keeps only the inner L2 and L3, and so
 * loses the outer L2.
 */
static uint32_t
d_c_tag_twice(const struct cut *c)
{
	if (c->f->ntags != 2 || c->f->tpid[0] != 0x8100)
		return 0;
	if ((L2(c->raw) == RTE_PTYPE_L2_ETHER_VLAN || L2(c->raw) == 0) &&
	    L2(c->v) == RTE_PTYPE_L2_ETHER_QINQ)
		return LAY_L2 | tags_misread(c);
	return tags_misread(c);
}

static uint32_t
d_tunnel(const struct cut *c)
{
	if (is_ip(c->f) && (c->f->proto == IPPROTO_IPIP ||
			    c->f->proto == IPPROTO_GRE))
		return LAY_INNER;
	return 0;
}

static uint32_t
d_icmp(const struct cut *c)
{
	if (is_ip(c->f) && (c->f->proto == IPPROTO_ICMP ||
			    c->f->proto == IPPROTO_ICMPV6) &&
	    L4(c->ref) == 0 && L4(c->v) == RTE_PTYPE_L4_ICMP)
		return LAY_L4;
	return 0;
}

static uint32_t
d_sctp(const struct cut *c)
{
	if (is_ip(c->f) && c->f->proto == IPPROTO_SCTP &&
	    L4(c->ref) == RTE_PTYPE_L4_SCTP && L4(c->v) == 0)
		return LAY_L4;
	return 0;
}

/* Both say no L3; DPDK still takes L4 from the protocol field. */
static uint32_t
d_ipv4_version_ihl(const struct cut *c)
{
	if (c->f->type == RTE_ETHER_TYPE_IPV4 && c->f->ip_bad &&
	    L3(c->v) == 0 && L4(c->v) == 0)
		return LAY_L4;
	return 0;
}

static uint32_t
d_ipv6_version(const struct cut *c)
{
	if (c->f->type == RTE_ETHER_TYPE_IPV6 && c->f->ip_bad &&
	    L3(c->v) == 0 && L4(c->v) == 0)
		return LAY_L3 | LAY_L4;
	return 0;
}

static uint32_t
d_ipv4_options_cut(const struct cut *c)
{
	const struct frame *f = c->f;
	uint32_t lay = 0;

	if (f->type != RTE_ETHER_TYPE_IPV4 || f->ip_bad ||
	    c->len < f->l3 + 20 || c->len >= f->l3 + f->l3_len)
		return 0;
	if (L3(c->ref) == RTE_PTYPE_L3_IPV4_EXT && L3(c->v) == 0)
		lay |= LAY_L3;
	if (L4(c->v) == 0)
		lay |= LAY_L4;
	return lay;
}

static uint32_t
d_udp_cut(const struct cut *c)
{
	if (is_ip(c->f) && c->f->proto == IPPROTO_UDP &&
	    c->len < c->f->l4 + 8 &&
	    L4(c->ref) == RTE_PTYPE_L4_UDP && L4(c->v) == 0)
		return LAY_L4;
	return 0;
}

static uint32_t
d_tcp_options_cut(const struct cut *c)
{
	if (is_ip(c->f) && c->f->proto == IPPROTO_TCP &&
	    c->len >= c->f->l4 + 20 && c->len < c->f->l4 + c->f->tcp_len &&
	    L4(c->ref) == RTE_PTYPE_L4_TCP && L4(c->v) == 0)
		return LAY_L4;
	return 0;
}

/* DPDK reads the first 2 bytes of each; vpair crosses only whole ones. */
static uint32_t
d_ipv6_ext_cut(const struct cut *c)
{
	const struct frame *f = c->f;
	int i;

	if (f->type != RTE_ETHER_TYPE_IPV6 || L4(c->v) != 0)
		return 0;
	for (i = 0; i < f->nb_ext; i++)
		if (f->ext_start[i] + 2 <= c->len && c->len < f->ext_end[i])
			return LAY_L4;
	return 0;
}

/* DPDK stops at AH. */
static uint32_t
d_ipv6_ah(const struct cut *c)
{
	if (c->f->type == RTE_ETHER_TYPE_IPV6 && has_ext(c->f, IPPROTO_AH) &&
	    L4(c->ref) == 0)
		return LAY_L4;
	return 0;
}

/* DPDK: L3_IPV6, and stops at the mobility header. */
static uint32_t
d_ipv6_mobility(const struct cut *c)
{
	uint32_t lay = 0;

	if (c->f->type != RTE_ETHER_TYPE_IPV6 || c->f->nb_ext == 0 ||
	    c->f->ext_type[0] != IPPROTO_MH)
		return 0;
	if (L3(c->ref) == RTE_PTYPE_L3_IPV6 &&
	    L3(c->v) == RTE_PTYPE_L3_IPV6_EXT)
		lay |= LAY_L3;
	if (L4(c->ref) == 0)
		lay |= LAY_L4;
	return lay;
}

/* DPDK crosses 4 extension headers at most before the upper layer. */
static uint32_t
d_ipv6_ext_bound(const struct cut *c)
{
	const struct frame *f = c->f;
	int i, n = 0;

	for (i = 0; i < f->nb_ext; i++)
		n += f->ext_type[i] == IPPROTO_HOPOPTS ||
		     f->ext_type[i] == IPPROTO_ROUTING ||
		     f->ext_type[i] == IPPROTO_DSTOPTS;
	if (f->type == RTE_ETHER_TYPE_IPV6 && n == f->nb_ext && n > 4 &&
	    L4(c->ref) == 0)
		return LAY_L4;
	return 0;
}

static struct diff {
	const char *name;
	uint32_t (*lays)(const struct cut *c);
	unsigned long frames;
} diffs[] = {
	{ "untagged ARP and LLDP", d_arp_lldp, 0 },
	{ "TPID 0x9100", d_tpid_9100, 0 },
	{ "0x88A8 tag alone", d_s_tag_alone, 0 },
	{ "two 0x8100 tags", d_c_tag_twice, 0 },
	{ "no tunnel or inner layers", d_tunnel, 0 },
	{ "ICMP and ICMPv6", d_icmp, 0 },
	{ "no SCTP", d_sctp, 0 },
	{ "IPv4 version and IHL", d_ipv4_version_ihl, 0 },
	{ "IPv6 version", d_ipv6_version, 0 },
	{ "IPv4 options cut", d_ipv4_options_cut, 0 },
	{ "UDP header cut", d_udp_cut, 0 },
	{ "TCP options cut", d_tcp_options_cut, 0 },
	{ "IPv6 extension header cut", d_ipv6_ext_cut, 0 },
	{ "IPv6 AH walked", d_ipv6_ah, 0 },
	{ "IPv6 mobility header", d_ipv6_mobility, 0 },
	{ "IPv6 extension header bound", d_ipv6_ext_bound, 0 },
};

static unsigned long corpus_frames, corpus_cuts, agreed;

static uint32_t
ref_ptype(void *data, uint32_t len)
{
	static struct rte_mbuf m;

	/* One segment: data_off 0, no next. */
	memset(&m, 0, sizeof(m));
	m.buf_addr = data;
	m.buf_len = len;
	m.data_len = len;
	m.pkt_len = len;
	m.nb_segs = 1;
	return rte_net_get_ptype(&m, NULL, RTE_PTYPE_ALL_MASK);
}

/* DPDK's answer for p with tags it reads as it should. */
static uint32_t
ref_ptype_retagged(const struct frame *f, const void *p, uint32_t len)
{
	uint8_t *q = unit_exact(p, len);
	uint32_t r;

	if (f->ntags == 1 && len >= 14) {
		q[12] = 0x81;
		q[13] = 0x00;
	} else if (f->ntags == 2 && len >= 18) {
		q[12] = 0x88;
		q[13] = 0xa8;
		q[16] = 0x81;
		q[17] = 0x00;
	}
	r = ref_ptype(q, len);
	free(q);
	return r;
}

static void
check_agree(const struct cut *c)
{
	uint32_t differ = lay_differ(c->ref, c->v), covered = 0, lays, i;
	char rn[160], vn[160];

	if (differ == 0 && c->ref == c->raw)
		agreed++;
	for (i = 0; i < RTE_DIM(diffs); i++) {
		lays = diffs[i].lays(c) & (differ | LAY_TAGS_MISREAD);
		if (lays != 0)
			diffs[i].frames++;
		covered |= lays;
	}
	unit_checks++;
	if ((differ & ~covered) == 0)
		return;
	rte_get_ptype_name(c->ref, rn, sizeof(rn));
	rte_get_ptype_name(c->v, vn, sizeof(vn));
	fprintf(stderr, "%s, %u of %u bytes: rte_net_get_ptype %#x (%s), "
		"vpair %#x (%s): layers %#x differ, no documented difference "
		"for %#x\n", c->f->name, c->len, c->f->len, c->ref, rn, c->v, vn,
		differ, differ & ~covered);
	unit_failures++;
}

/*
 * The inline parser against the reference one, on the same bytes: they must agree on every
 * frame and cut. Counts the cuts the inline templates took, so that a corpus that never
 * reaches them fails.
 */
static unsigned long fast_cuts;

static void
check_fast(const void *p, uint32_t len, uint32_t v)
{
	uint32_t ipv4_diff;

	CHECK_EQ(v, vpair_ptype_parse_ref(p, len));
	if (len < VPAIR_PTYPE_LONG)
		return;
	ipv4_diff = vpair_ptype_tmpl_diff(p, VPAIR_PTYPE_TMPL_IPV4_UDP);
	if (ipv4_diff == 0 || ipv4_diff == VPAIR_PTYPE_TMPL_PROTO ||
	    vpair_ptype_tmpl_diff(p, VPAIR_PTYPE_TMPL_IPV6) == 0)
		fast_cuts++;
}

static void
run(const struct frame *f)
{
	struct cut c = { .f = f };
	void *p;

	corpus_frames++;
	for (c.len = 0; c.len <= f->len; c.len++) {
		p = unit_exact(f->b, c.len);
		c.v = vpair_ptype_parse(p, c.len);
		c.raw = ref_ptype(p, c.len);
		c.ref = c.raw;
		if ((f->ntags != 0 && f->tpid[0] == 0x9100) ||
		    (f->ntags == 1 && f->tpid[0] == 0x88a8) ||
		    (f->ntags == 2 && f->tpid[0] == 0x8100))
			c.ref = L2(c.raw) | (ref_ptype_retagged(f, p, c.len) &
					     ~RTE_PTYPE_L2_MASK);
		corpus_cuts++;
		UNIT_CTX("%s, %u of %u bytes, vpair %#x", f->name, c.len,
			 f->len, c.v);
		check_inside(f, c.len, c.v);
		check_agree(&c);
		check_fast(p, c.len, c.v);
		free(p);
	}
}

int
main(void)
{
	static struct frame f;
	unsigned int ti, i3, i4, i;

	for (ti = 0; ti < RTE_DIM(tag_list); ti++) {
		for (i3 = 0; i3 < RTE_DIM(ip4_list); i3++)
			for (i4 = 0; i4 < RTE_DIM(l4_list); i4++) {
				memset(&f, 0, sizeof(f));
				gen_ipv4(&f, ti, i3, i4);
				run(&f);
			}
		for (i3 = 0; i3 < RTE_DIM(ip6_list); i3++)
			for (i4 = 0; i4 < RTE_DIM(l4_list); i4++) {
				memset(&f, 0, sizeof(f));
				gen_ipv6(&f, ti, i3, i4);
				run(&f);
			}
		memset(&f, 0, sizeof(f));
		gen_other(&f, ti, RTE_ETHER_TYPE_ARP, "arp");
		run(&f);
		memset(&f, 0, sizeof(f));
		gen_other(&f, ti, RTE_ETHER_TYPE_LLDP, "lldp");
		run(&f);
		memset(&f, 0, sizeof(f));
		gen_other(&f, ti, 0x88b5, "ethertype 88b5");
		run(&f);
	}

	unit_ctx[0] = '\0';
	printf("corpus: %lu frames, cut at every length: %lu; "
	       "rte_net_get_ptype agrees on %lu\n",
	       corpus_frames, corpus_cuts, agreed);
	printf("inline templates matched on %lu cuts, each as the reference "
	       "parser\n", fast_cuts);
	CHECK(fast_cuts >= 1000);
	for (i = 0; i < RTE_DIM(diffs); i++) {
		printf("  %-30s %7lu\n", diffs[i].name, diffs[i].frames);
		UNIT_CTX("difference \"%s\" accounts for no frame",
			 diffs[i].name);
		CHECK(diffs[i].frames != 0);
	}
	unit_ctx[0] = '\0';
	return unit_done("unit-ptype-ref");
}
