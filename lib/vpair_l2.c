/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#include <errno.h>

#include "vpair_l2.h"

_Static_assert(VPAIR_L2_MAX_UC <= 16, "uc_valid is a 16-bit map");
_Static_assert(VPAIR_L2_MAX_MC <= UINT8_MAX, "nb_mc is 8 bits");

/*
 * Fast-path readers may run while these write. Each 8-byte key and each
 * count is stored whole (atomic store, so the compiler cannot split it),
 * an entry is written before the count or bit that makes it visible and
 * hidden before it is overwritten.
 */
static inline void
store64(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline bool
is_group(const struct rte_ether_addr *a)
{
	return rte_is_multicast_ether_addr(a);
}

int
vpair_l2_filter_init(struct vpair_l2_filter *f,
		     const struct rte_ether_addr *primary, uint16_t mtu)
{
	unsigned int i;

	if (f == NULL || primary == NULL || is_group(primary))
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	f->mtu = mtu;
	f->uc_valid = 1;
	f->uc[0] = vpair_l2_addr_key(primary);
	for (i = 1; i < VPAIR_L2_MAX_UC; i++)
		f->uc[i] = VPAIR_L2_KEY_EMPTY;
	for (i = 0; i < VPAIR_L2_MAX_MC; i++)
		f->mc[i] = VPAIR_L2_KEY_EMPTY;
	return 0;
}

int
vpair_l2_uc_set(struct vpair_l2_filter *f, uint32_t index,
		const struct rte_ether_addr *addr)
{
	/* A group address in a unicast slot would never be HOST (the I/G
	 * bit is tested first): refuse it rather than accept it silently. */
	if (f == NULL || index >= VPAIR_L2_MAX_UC || addr == NULL ||
	    is_group(addr))
		return -EINVAL;
	store64(&f->uc[index], vpair_l2_addr_key(addr));
	__atomic_store_n(&f->uc_valid, (uint16_t)(f->uc_valid | 1u << index),
			 __ATOMIC_RELEASE);
	return 0;
}

int
vpair_l2_uc_clear(struct vpair_l2_filter *f, uint32_t index)
{
	if (f == NULL || index == 0 || index >= VPAIR_L2_MAX_UC)
		return -EINVAL;
	__atomic_store_n(&f->uc_valid, (uint16_t)(f->uc_valid & ~(1u << index)),
			 __ATOMIC_RELEASE);
	/* Emptied too, so a reader that loaded the old map cannot match. */
	store64(&f->uc[index], VPAIR_L2_KEY_EMPTY);
	return 0;
}

int
vpair_l2_mc_set(struct vpair_l2_filter *f, const struct rte_ether_addr *list,
		uint32_t nb)
{
	uint32_t i, old;

	if (f == NULL || (list == NULL && nb != 0))
		return -EINVAL;
	if (nb > VPAIR_L2_MAX_MC)
		return -ENOSPC;
	for (i = 0; i < nb; i++)
		if (!is_group(&list[i]))
			return -EINVAL;

	old = f->nb_mc;
	/* Shrink before rewriting, so readers never scan stale tail slots;
	 * grow only once the new entries are in place. */
	if (nb < old)
		__atomic_store_n(&f->nb_mc, (uint8_t)nb, __ATOMIC_RELEASE);
	for (i = 0; i < nb; i++)
		store64(&f->mc[i], vpair_l2_addr_key(&list[i]));
	for (; i < old; i++)
		store64(&f->mc[i], VPAIR_L2_KEY_EMPTY);
	if (nb > old)
		__atomic_store_n(&f->nb_mc, (uint8_t)nb, __ATOMIC_RELEASE);
	return 0;
}

int
vpair_l2_set_promisc(struct vpair_l2_filter *f, bool on)
{
	if (f == NULL)
		return -EINVAL;
	__atomic_store_n(&f->promisc, on, __ATOMIC_RELEASE);
	return 0;
}

int
vpair_l2_set_allmulti(struct vpair_l2_filter *f, bool on)
{
	if (f == NULL)
		return -EINVAL;
	__atomic_store_n(&f->allmulti, on, __ATOMIC_RELEASE);
	return 0;
}

int
vpair_l2_set_mtu(struct vpair_l2_filter *f, uint16_t mtu)
{
	if (f == NULL)
		return -EINVAL;
	__atomic_store_n(&f->mtu, mtu, __ATOMIC_RELEASE);
	return 0;
}

/* L4 type of each IPv4 protocol and IPv6 next header (ICMP differs). */
static const uint16_t vpair_ptype_l4_ipv4[256] = {
	[IPPROTO_ICMP] = RTE_PTYPE_L4_ICMP,
	[IPPROTO_TCP] = RTE_PTYPE_L4_TCP,
	[IPPROTO_UDP] = RTE_PTYPE_L4_UDP,
};

static const uint16_t vpair_ptype_l4_ipv6[256] = {
	[IPPROTO_TCP] = RTE_PTYPE_L4_TCP,
	[IPPROTO_UDP] = RTE_PTYPE_L4_UDP,
	[IPPROTO_ICMPV6] = RTE_PTYPE_L4_ICMP,
};

/** l4, an L4 type from the tables, if its header at h is within len. */
static uint32_t
vpair_ptype_l4(const uint8_t *h, uint32_t len, uint32_t l4)
{
	/* TCP: data offset words, and the fixed header even when the data
	 * offset is below 5. UDP, and every ICMP or ICMPv6 message: 8. */
	if (l4 == RTE_PTYPE_L4_TCP)
		return len >= 20 && vpair_ptype_tcp_whole(h, len) ? l4 : 0;
	return len >= 8 ? l4 : 0;
}

/* MF or a fragment offset: only the first fragment has the L4 header, so
 * no fragment is given an L4 type. */
static bool
vpair_ptype_ipv4_is_frag(const uint8_t *h)
{
	return vpair_l2_load16(h + 6) & RTE_BE16(0x3fff);
}

static uint32_t
vpair_ptype_ipv4(const uint8_t *h, uint32_t len)
{
	uint32_t hlen, l3;

	if (len < 20 || (h[0] >> 4) != 4)
		return 0;
	hlen = (uint32_t)(h[0] & 0xf) * 4;
	if (hlen < 20 || hlen > len)
		return 0;
	l3 = hlen == 20 ? RTE_PTYPE_L3_IPV4 : RTE_PTYPE_L3_IPV4_EXT;
	if (vpair_ptype_ipv4_is_frag(h))
		return l3 | RTE_PTYPE_L4_FRAG;
	return l3 | vpair_ptype_l4(h + hlen, len - hlen,
			       vpair_ptype_l4_ipv4[h[9]]);
}

/* The next-header values rte_mbuf_ptype.h calls extension headers. */
static bool
vpair_ptype_ipv6_is_ext(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_FRAGMENT || nh == IPPROTO_ESP ||
	       nh == IPPROTO_AH || nh == IPPROTO_DSTOPTS || nh == IPPROTO_MH;
}

static uint32_t
vpair_ptype_ipv6(const uint8_t *h, uint32_t len)
{
	uint32_t off = 40, hlen, i;
	uint8_t nh;

	if (len < 40 || (h[0] >> 4) != 6)
		return 0;
	nh = h[6];
	if (likely(!vpair_ptype_ipv6_is_ext(nh)))
		return RTE_PTYPE_L3_IPV6 | vpair_ptype_l4(h + off, len - off,
							  vpair_ptype_l4_ipv6[nh]);
	/* Walk to the upper layer: MLD, for one, is ICMPv6 after a
	 * hop-by-hop header. off never passes len. */
	for (i = 0; ; i++) {
		switch (nh) {
		case IPPROTO_FRAGMENT:
			return len - off >= 8 ?
				RTE_PTYPE_L3_IPV6_EXT | RTE_PTYPE_L4_FRAG :
				RTE_PTYPE_L3_IPV6_EXT;
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_MH:
		case IPPROTO_AH:	/* length in 4-byte units, minus 2 */
			if (i == VPAIR_PTYPE_IPV6_EXT_MAX || len - off < 2)
				return RTE_PTYPE_L3_IPV6_EXT;
			hlen = nh == IPPROTO_AH ?
				((uint32_t)h[off + 1] + 2) * 4 :
				((uint32_t)h[off + 1] + 1) * 8;
			if (len - off < hlen)
				return RTE_PTYPE_L3_IPV6_EXT;
			nh = h[off];
			off += hlen;
			break;
		default:	/* upper layer, or ESP which hides it */
			return RTE_PTYPE_L3_IPV6_EXT |
				vpair_ptype_l4(h + off, len - off,
					       vpair_ptype_l4_ipv6[nh]);
		}
	}
}

uint32_t
vpair_ptype_parse_ref(const void *frame, uint32_t data_len)
{
	const uint8_t *p = (const uint8_t *)frame;
	uint32_t l2 = RTE_PTYPE_L2_ETHER;
	uint32_t off = RTE_ETHER_HDR_LEN;
	rte_be16_t type;

	if (unlikely(data_len < RTE_ETHER_HDR_LEN))
		return RTE_PTYPE_UNKNOWN;
	type = vpair_l2_load16(p + 12);
	if (vpair_l2_is_tpid(type)) {
		/* An S-tag TPID alone says QinQ; 0x8100 needs a second tag. */
		l2 = type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ?
			RTE_PTYPE_L2_ETHER_VLAN : RTE_PTYPE_L2_ETHER_QINQ;
		if (data_len < off + 4)
			return l2;
		type = vpair_l2_load16(p + off + 2);
		off += 4;
		if (vpair_l2_is_tpid(type)) {
			l2 = RTE_PTYPE_L2_ETHER_QINQ;
			if (data_len < off + 4)
				return l2;
			type = vpair_l2_load16(p + off + 2);
			off += 4;
		}
	}
	switch (type) {
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		return l2 | vpair_ptype_ipv4(p + off, data_len - off);
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return l2 | vpair_ptype_ipv6(p + off, data_len - off);
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		return l2 == RTE_PTYPE_L2_ETHER ? RTE_PTYPE_L2_ETHER_ARP : l2;
	case RTE_BE16(RTE_ETHER_TYPE_LLDP):
		return l2 == RTE_PTYPE_L2_ETHER ? RTE_PTYPE_L2_ETHER_LLDP : l2;
	}
	return l2;
}

const uint32_t vpair_ptype_supported[] = {
	RTE_PTYPE_L2_ETHER,
	RTE_PTYPE_L2_ETHER_VLAN,
	RTE_PTYPE_L2_ETHER_QINQ,
	RTE_PTYPE_L2_ETHER_ARP,
	RTE_PTYPE_L2_ETHER_LLDP,
	RTE_PTYPE_L3_IPV4,
	RTE_PTYPE_L3_IPV4_EXT,
	RTE_PTYPE_L3_IPV6,
	RTE_PTYPE_L3_IPV6_EXT,
	RTE_PTYPE_L4_TCP,
	RTE_PTYPE_L4_UDP,
	RTE_PTYPE_L4_FRAG,
	RTE_PTYPE_L4_ICMP,
	RTE_PTYPE_UNKNOWN,
};
