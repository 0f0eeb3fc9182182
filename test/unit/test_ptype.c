/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Unit tests of the packet type parser. Each frame is parsed at every
 * truncation, from an exact-size heap block, so a read past data_len is
 * an ASan error in the -san build; the answer must be the full type from
 * a known length on, its L2 and L3 alone from an earlier one, and less
 * before. test_ptype_ref.c holds the parser against rte_net_get_ptype().
 */

#include <stdint.h>

#include "vpair_l2.h"
#include "unit_check.h"

#define L2(p) ((p) & RTE_PTYPE_L2_MASK)
#define L3(p) ((p) & RTE_PTYPE_L3_MASK)
#define L4(p) ((p) & RTE_PTYPE_L4_MASK)
#define ALL_MASKS (RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)

struct pkt {
	uint8_t b[512];
	uint32_t len;
};

/* Values the parser returned in the structured tests, per layer. */
static uint32_t seen[64];
static unsigned int nb_seen;

static void
mark_seen(uint32_t v)
{
	unsigned int i;

	if (v == 0)
		return;
	for (i = 0; i < nb_seen; i++)
		if (seen[i] == v)
			return;
	if (nb_seen < RTE_DIM(seen))
		seen[nb_seen++] = v;
}

static bool
supported(uint32_t v)
{
	unsigned int i;

	if (v == 0)
		return true;
	for (i = 0; vpair_ptype_supported[i] != RTE_PTYPE_UNKNOWN; i++)
		if (vpair_ptype_supported[i] == v)
			return true;
	return false;
}

/* Only bits the parser may set, each layer a value from the list. */
static void
check_supported(uint32_t p)
{
	CHECK_EQ(p & ~ALL_MASKS, 0);
	CHECK(supported(L2(p)));
	CHECK(supported(L3(p)));
	CHECK(supported(L4(p)));
}

static void
put8(struct pkt *k, uint8_t v)
{
	k->b[k->len++] = v;
}

static void
put16(struct pkt *k, uint16_t v)
{
	put8(k, v >> 8);
	put8(k, v & 0xff);
}

static void
fill(struct pkt *k, uint32_t n, uint8_t v)
{
	while (n--)
		put8(k, v);
}

/* Ethernet header with the given TPIDs (each with a TCI) and type. */
static void
eth(struct pkt *k, const uint16_t *tpid, int ntags, uint16_t type)
{
	int i;

	k->len = 0;
	fill(k, 6, 0xff);
	put8(k, 0x02);
	fill(k, 5, 0x11);
	for (i = 0; i < ntags; i++) {
		put16(k, tpid[i]);
		put16(k, 100 + i);
	}
	put16(k, type);
}

/* IPv4 header of ihl words: the options, if any, are NOPs. */
static void
ipv4(struct pkt *k, uint8_t ver_ihl, uint16_t frag, uint8_t proto)
{
	uint32_t ihl = ver_ihl & 0xf;

	put8(k, ver_ihl);
	put8(k, 0);
	put16(k, 20 + 8);
	put16(k, 0x1234);
	put16(k, frag);
	put8(k, 64);
	put8(k, proto);
	put16(k, 0);
	fill(k, 8, 0x0a);
	fill(k, ihl > 5 ? (ihl - 5) * 4 : 0, 1);
}

static void
ipv6(struct pkt *k, uint8_t ver, uint8_t nh)
{
	put8(k, ver << 4);
	fill(k, 3, 0);
	put16(k, 64);
	put8(k, nh);
	put8(k, 64);
	fill(k, 32, 0xfe);
}

/* Extension header of len bytes in the 8-byte-unit format. */
static void
ext(struct pkt *k, uint8_t nh, uint32_t len)
{
	put8(k, nh);
	put8(k, len / 8 - 1);
	fill(k, len - 2, 0);
}

/* AH: the length field counts 4-byte units, minus 2. */
static void
ah(struct pkt *k, uint8_t nh, uint32_t len)
{
	put8(k, nh);
	put8(k, len / 4 - 2);
	fill(k, len - 2, 0);
}

static void
payload(struct pkt *k)
{
	fill(k, 16, 0x77);
}

/* TCP header with data offset doff: at least its fixed 20 bytes. */
static void
tcp(struct pkt *k, uint8_t doff)
{
	uint32_t start = k->len;

	fill(k, RTE_MAX(doff * 4, 20), 0);
	k->b[start + 12] = doff << 4;
	payload(k);
}

/* UDP, ICMP and ICMPv6 headers: 8 bytes. */
static void
l4_8(struct pkt *k)
{
	fill(k, 8, 0x33);
	payload(k);
}

/*
 * Parse k at every data_len. From need on the answer is expect; from
 * need_l3 to need it is expect without L4; from 14 to need_l3 it has no
 * L3 or L4, and an L2 that is expect's, or VLAN while the second tag of a
 * QinQ is cut. Below need it is never expect: need is the least length.
 */
static void
check_pkt(const char *name, const struct pkt *k, uint32_t expect,
	  uint32_t need_l3, uint32_t need)
{
	uint32_t dl, got;
	void *p;

	CHECK(need_l3 >= 14 && need_l3 <= need && need <= k->len);
	for (dl = 0; dl <= k->len; dl++) {
		p = unit_exact(k->b, dl);
		got = vpair_ptype_parse(p, dl);
		free(p);
		UNIT_CTX("%s, data_len %u of %u, got %#x, expect %#x", name,
			 dl, k->len, got, expect);
		check_supported(got);
		if (dl < 14) {
			CHECK_EQ(got, RTE_PTYPE_UNKNOWN);
		} else if (dl >= need) {
			CHECK_EQ(got, expect);
		} else if (dl >= need_l3) {
			CHECK(got != expect);
			CHECK_EQ(got, L2(expect) | L3(expect));
		} else {
			CHECK(got != expect);
			CHECK_EQ(L4(got), 0);
			CHECK_EQ(L3(got), 0);
			CHECK(L2(got) == L2(expect) ||
			      (L2(got) == RTE_PTYPE_L2_ETHER_VLAN &&
			       L2(expect) == RTE_PTYPE_L2_ETHER_QINQ));
		}
		mark_seen(L2(got));
		mark_seen(L3(got));
		mark_seen(L4(got));
	}
}

static void
test_l2(void)
{
	static const uint16_t v[] = { 0x8100 }, s[] = { 0x88a8 },
		sv[] = { 0x88a8, 0x8100 }, vv[] = { 0x8100, 0x8100 },
		qv[] = { 0x9100, 0x8100 }, vvv[] = { 0x8100, 0x8100, 0x8100 },
		old[] = { 0x9200 };
	struct pkt k;

	eth(&k, NULL, 0, 0x0806);
	payload(&k);
	check_pkt("arp", &k, RTE_PTYPE_L2_ETHER_ARP, 14, 14);
	eth(&k, NULL, 0, 0x88cc);
	payload(&k);
	check_pkt("lldp", &k, RTE_PTYPE_L2_ETHER_LLDP, 14, 14);
	eth(&k, NULL, 0, 0x1234);
	payload(&k);
	check_pkt("unknown type", &k, RTE_PTYPE_L2_ETHER, 14, 14);
	eth(&k, NULL, 0, 0x0608);
	payload(&k);
	check_pkt("arp byte-swapped", &k, RTE_PTYPE_L2_ETHER, 14, 14);
	eth(&k, NULL, 0, 0x8100);
	check_pkt("vlan, tag cut", &k, RTE_PTYPE_L2_ETHER_VLAN, 14, 14);

	/* Tagged ARP/LLDP: the L2 field says the tag. */
	eth(&k, v, 1, 0x0806);
	payload(&k);
	check_pkt("vlan arp", &k, RTE_PTYPE_L2_ETHER_VLAN, 14, 14);
	eth(&k, v, 1, 0x88cc);
	payload(&k);
	check_pkt("vlan lldp", &k, RTE_PTYPE_L2_ETHER_VLAN, 14, 14);
	eth(&k, s, 1, 0x1234);
	payload(&k);
	check_pkt("s-tag alone", &k, RTE_PTYPE_L2_ETHER_QINQ, 14, 14);
	eth(&k, sv, 2, 0x0806);
	payload(&k);
	check_pkt("qinq 88a8", &k, RTE_PTYPE_L2_ETHER_QINQ, 14, 14);
	eth(&k, vv, 2, 0x0806);
	payload(&k);
	check_pkt("qinq 8100 8100", &k, RTE_PTYPE_L2_ETHER_QINQ, 18, 18);
	eth(&k, qv, 2, 0x1234);
	payload(&k);
	check_pkt("qinq 9100", &k, RTE_PTYPE_L2_ETHER_QINQ, 14, 14);
	eth(&k, vvv, 3, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	check_pkt("three tags", &k, RTE_PTYPE_L2_ETHER_QINQ, 18, 18);
	eth(&k, old, 1, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	check_pkt("9200 is no tag", &k, RTE_PTYPE_L2_ETHER, 14, 14);
}

static void
test_ipv4(void)
{
	static const uint16_t v[] = { 0x8100 }, s[] = { 0x88a8 },
		sv[] = { 0x88a8, 0x8100 }, qv[] = { 0x9100, 0x8100 };
	const uint32_t e4 = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4;
	const uint32_t e4x = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT;
	struct pkt k;
	int bit;

	/* L3 from the whole IPv4 header on, L4 from the whole L4 header. */
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	tcp(&k, 5);
	check_pkt("ipv4 tcp", &k, e4 | RTE_PTYPE_L4_TCP, 34, 54);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	tcp(&k, 8);
	check_pkt("ipv4 tcp options", &k, e4 | RTE_PTYPE_L4_TCP, 34, 66);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	tcp(&k, 15);
	check_pkt("ipv4 tcp 60-byte header", &k, e4 | RTE_PTYPE_L4_TCP, 34, 94);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	tcp(&k, 4);
	check_pkt("ipv4 tcp data offset 4", &k, e4 | RTE_PTYPE_L4_TCP, 34, 54);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0x4000, 17);
	l4_8(&k);
	check_pkt("ipv4 udp DF", &k, e4 | RTE_PTYPE_L4_UDP, 34, 42);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 1);
	l4_8(&k);
	check_pkt("ipv4 icmp", &k, e4 | RTE_PTYPE_L4_ICMP, 34, 42);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 47);
	payload(&k);
	check_pkt("ipv4 gre", &k, e4, 34, 34);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 58);
	l4_8(&k);
	check_pkt("ipv4 proto 58", &k, e4, 34, 34);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0, 132);
	l4_8(&k);
	check_pkt("ipv4 sctp", &k, e4, 34, 34);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0x2000, 6);
	payload(&k);
	check_pkt("ipv4 MF", &k, e4 | RTE_PTYPE_L4_FRAG, 34, 34);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0x0001, 17);
	payload(&k);
	check_pkt("ipv4 offset 1", &k, e4 | RTE_PTYPE_L4_FRAG, 34, 34);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x45, 0x1fff | 0x4000, 17);
	payload(&k);
	check_pkt("ipv4 last fragment", &k, e4 | RTE_PTYPE_L4_FRAG, 34, 34);
	/* Each offset bit and MF is a fragment; DF and the reserved bit
	 * are not. */
	for (bit = 0; bit < 16; bit++) {
		char name[32];

		snprintf(name, sizeof(name), "ipv4 flags bit %d", bit);
		eth(&k, NULL, 0, 0x0800);
		ipv4(&k, 0x45, 1u << bit, 6);
		tcp(&k, 5);
		if (bit < 14)
			check_pkt(name, &k, e4 | RTE_PTYPE_L4_FRAG, 34, 34);
		else
			check_pkt(name, &k, e4 | RTE_PTYPE_L4_TCP, 34, 54);
	}
	/* The options are part of the header. */
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x46, 0, 6);
	tcp(&k, 5);
	check_pkt("ipv4 options tcp", &k, e4x | RTE_PTYPE_L4_TCP, 38, 58);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x4f, 0x2000, 17);
	payload(&k);
	check_pkt("ipv4 ihl 15 MF", &k, e4x | RTE_PTYPE_L4_FRAG, 74, 74);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x44, 0, 6);
	tcp(&k, 5);
	check_pkt("ipv4 ihl 4", &k, RTE_PTYPE_L2_ETHER, 14, 14);
	eth(&k, NULL, 0, 0x0800);
	ipv4(&k, 0x65, 0, 6);
	tcp(&k, 5);
	check_pkt("ipv4 version 6", &k, RTE_PTYPE_L2_ETHER, 14, 14);

	eth(&k, v, 1, 0x0800);
	ipv4(&k, 0x45, 0, 6);
	tcp(&k, 5);
	check_pkt("vlan ipv4 tcp", &k, RTE_PTYPE_L2_ETHER_VLAN |
		  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP, 38, 58);
	eth(&k, s, 1, 0x0800);
	ipv4(&k, 0x45, 0, 17);
	l4_8(&k);
	check_pkt("s-tag ipv4 udp", &k, RTE_PTYPE_L2_ETHER_QINQ |
		  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP, 38, 46);
	eth(&k, sv, 2, 0x0800);
	ipv4(&k, 0x45, 0x2000, 6);
	payload(&k);
	check_pkt("qinq ipv4 frag", &k, RTE_PTYPE_L2_ETHER_QINQ |
		  RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_FRAG, 42, 42);
	eth(&k, qv, 2, 0x0800);
	ipv4(&k, 0x47, 0, 1);
	l4_8(&k);
	check_pkt("qinq 9100 ipv4 options icmp", &k, RTE_PTYPE_L2_ETHER_QINQ |
		  RTE_PTYPE_L3_IPV4_EXT | RTE_PTYPE_L4_ICMP, 50, 58);
}

static void
test_ipv6(void)
{
	static const uint16_t v[] = { 0x8100 }, vv[] = { 0x8100, 0x8100 };
	const uint32_t e6 = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6;
	const uint32_t e6x = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT;
	struct pkt k;
	int i;

	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 6);
	tcp(&k, 5);
	check_pkt("ipv6 tcp", &k, e6 | RTE_PTYPE_L4_TCP, 54, 74);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 6);
	tcp(&k, 6);
	check_pkt("ipv6 tcp options", &k, e6 | RTE_PTYPE_L4_TCP, 54, 78);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 17);
	l4_8(&k);
	check_pkt("ipv6 udp", &k, e6 | RTE_PTYPE_L4_UDP, 54, 62);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 58);
	l4_8(&k);
	check_pkt("ipv6 icmpv6", &k, e6 | RTE_PTYPE_L4_ICMP, 54, 62);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 1);
	l4_8(&k);
	check_pkt("ipv6 nh 1", &k, e6, 54, 54);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 59);
	check_pkt("ipv6 no next header", &k, e6, 54, 54);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 4, 6);
	tcp(&k, 5);
	check_pkt("ipv6 version 4", &k, RTE_PTYPE_L2_ETHER, 14, 14);

	/* Each extension header is crossed only when it is all there. */
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 44);
	ext(&k, 6, 8);
	payload(&k);
	check_pkt("ipv6 fragment", &k, e6x | RTE_PTYPE_L4_FRAG, 54, 62);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 0);
	ext(&k, 58, 8);
	l4_8(&k);
	check_pkt("ipv6 hbh icmpv6 (mld)", &k, e6x | RTE_PTYPE_L4_ICMP, 54, 70);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 0);
	ext(&k, 43, 8);
	ext(&k, 6, 24);
	tcp(&k, 5);
	check_pkt("ipv6 hbh routing tcp", &k, e6x | RTE_PTYPE_L4_TCP, 54, 106);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 60);
	ext(&k, 17, 16);
	l4_8(&k);
	check_pkt("ipv6 dstopts udp", &k, e6x | RTE_PTYPE_L4_UDP, 54, 78);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 0);
	ext(&k, 44, 8);
	ext(&k, 6, 8);
	payload(&k);
	check_pkt("ipv6 hbh fragment", &k, e6x | RTE_PTYPE_L4_FRAG, 54, 70);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 51);
	ah(&k, 6, 24);
	tcp(&k, 5);
	check_pkt("ipv6 ah tcp", &k, e6x | RTE_PTYPE_L4_TCP, 54, 98);
	/* The AH length unit differs: a wrong one lands elsewhere. */
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 51);
	ah(&k, 60, 24);
	ext(&k, 17, 8);
	l4_8(&k);
	check_pkt("ipv6 ah dstopts udp", &k, e6x | RTE_PTYPE_L4_UDP, 54, 94);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 50);
	payload(&k);
	check_pkt("ipv6 esp", &k, e6x, 54, 54);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 135);
	ext(&k, 6, 8);
	tcp(&k, 5);
	check_pkt("ipv6 mobility tcp", &k, e6x | RTE_PTYPE_L4_TCP, 54, 82);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 0);
	ext(&k, 59, 8);
	check_pkt("ipv6 hbh no next", &k, e6x, 54, 54);
	/* A header said to be longer than the frame ends the walk, whatever
	 * its next-header field says. */
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 0);
	put8(&k, 6);
	put8(&k, 255);
	tcp(&k, 5);
	check_pkt("ipv6 hbh past end, tcp", &k, e6x, 54, 54);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 0);
	put8(&k, 44);
	put8(&k, 255);
	payload(&k);
	check_pkt("ipv6 hbh past end, fragment", &k, e6x, 54, 54);

	/* The walk is bounded: 8 headers then TCP is TCP, 9 is not. */
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 60);
	for (i = 0; i < VPAIR_PTYPE_IPV6_EXT_MAX; i++)
		ext(&k, i + 1 < VPAIR_PTYPE_IPV6_EXT_MAX ? 60 : 6, 8);
	tcp(&k, 5);
	check_pkt("ipv6 8 ext tcp", &k, e6x | RTE_PTYPE_L4_TCP, 54,
		  54 + 8 * VPAIR_PTYPE_IPV6_EXT_MAX + 20);
	eth(&k, NULL, 0, 0x86dd);
	ipv6(&k, 6, 60);
	for (i = 0; i <= VPAIR_PTYPE_IPV6_EXT_MAX; i++)
		ext(&k, i < VPAIR_PTYPE_IPV6_EXT_MAX ? 60 : 6, 8);
	tcp(&k, 5);
	check_pkt("ipv6 9 ext tcp", &k, e6x, 54, 54);

	eth(&k, v, 1, 0x86dd);
	ipv6(&k, 6, 0);
	ext(&k, 58, 8);
	l4_8(&k);
	check_pkt("vlan ipv6 hbh icmpv6", &k, RTE_PTYPE_L2_ETHER_VLAN |
		  RTE_PTYPE_L3_IPV6_EXT | RTE_PTYPE_L4_ICMP, 58, 74);
	eth(&k, vv, 2, 0x86dd);
	ipv6(&k, 6, 17);
	l4_8(&k);
	check_pkt("qinq ipv6 udp", &k, RTE_PTYPE_L2_ETHER_QINQ |
		  RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP, 62, 70);
}

/* The list: terminated, no duplicates, one layer per entry, and each
 * entry really produced by some frame above. */
static void
test_supported_list(void)
{
	unsigned int i, j, n;

	for (n = 0; vpair_ptype_supported[n] != RTE_PTYPE_UNKNOWN; n++)
		;
	UNIT_CTX("supported list");
	CHECK_EQ(n, 13);
	for (i = 0; i < n; i++) {
		uint32_t v = vpair_ptype_supported[i];

		UNIT_CTX("supported[%u] = %#x", i, v);
		CHECK((v == L2(v)) + (v == L3(v)) + (v == L4(v)) == 1);
		for (j = 0; j < i; j++)
			CHECK(vpair_ptype_supported[j] != v);
		for (j = 0; j < nb_seen && seen[j] != v; j++)
			;
		CHECK(j < nb_seen);
	}
	for (i = 0; i < nb_seen; i++) {
		UNIT_CTX("seen %#x", seen[i]);
		CHECK(supported(seen[i]));
	}
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x9e3779b97f4a7c15ULL) >> 32) % n;
}

/* Random bytes salted with the values the parser branches on, cut at
 * random: only supported values, and no read past the end (ASan). */
static void
test_fuzz(void)
{
	static const uint16_t types[] = { 0x8100, 0x88a8, 0x9100, 0x0800,
		0x86dd, 0x0806, 0x88cc };
	static const uint8_t nhs[] = { 0, 43, 44, 50, 51, 60, 135, 6, 17, 58 };
	static const uint8_t l4s[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	struct pkt k;
	uint32_t i, dl, got;
	int iter;
	void *p;

	for (iter = 0; iter < 20000; iter++) {
		k.len = 14 + rnd(200);
		for (i = 0; i < k.len; i++)
			k.b[i] = rnd(256);
		for (i = 12; i < 24 && rnd(4) != 0; i += 4) {
			uint16_t t = types[rnd(RTE_DIM(types))];

			k.b[i] = t >> 8;
			k.b[i + 1] = t & 0xff;
		}
		/* i is where the type after the tags goes. */
		if (rnd(2)) {
			k.b[i] = 0x08;
			k.b[i + 1] = 0x00;
			k.b[i + 2] = rnd(2) ? 0x45 : 0x40 | rnd(16);
			/* Often what the inline templates take: not a fragment, TCP/UDP/ICMP. */
			if (rnd(2)) {
				k.b[i + 2 + 6] &= 0xc0;
				k.b[i + 2 + 7] = 0;
				k.b[i + 2 + 9] = l4s[rnd(RTE_DIM(l4s))];
			}
		} else {
			k.b[i] = 0x86;
			k.b[i + 1] = 0xdd;
			k.b[i + 2] = 0x60;
		}
		k.b[i + 2 + 6] = nhs[rnd(RTE_DIM(nhs))];
		for (dl = i + 2 + 40; dl + 2 < k.len && rnd(8) != 0; ) {
			k.b[dl] = nhs[rnd(RTE_DIM(nhs))];
			k.b[dl + 1] = rnd(4);
			dl += (k.b[dl + 1] + 1) * 8;
		}
		dl = rnd(k.len + 1);
		p = unit_exact(k.b, dl);
		got = vpair_ptype_parse(p, dl);
		UNIT_CTX("fuzz iter %d data_len %u got %#x", iter, dl, got);
		CHECK_EQ(got, vpair_ptype_parse_ref(p, dl));
		free(p);
		check_supported(got);
		if (dl < 14)
			CHECK_EQ(got, RTE_PTYPE_UNKNOWN);
		else
			CHECK(L2(got) != 0);
	}
}

int
main(void)
{
	test_l2();
	test_ipv4();
	test_ipv6();
	test_supported_list();
	test_fuzz();
	unit_ctx[0] = '\0';
	return unit_done("unit-ptype");
}
