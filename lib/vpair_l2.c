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

const uint16_t vpair_ptype_l4_ipv4[256] = {
	[IPPROTO_ICMP] = RTE_PTYPE_L4_ICMP,
	[IPPROTO_TCP] = RTE_PTYPE_L4_TCP,
	[IPPROTO_UDP] = RTE_PTYPE_L4_UDP,
};

const uint16_t vpair_ptype_l4_ipv6[256] = {
	[IPPROTO_TCP] = RTE_PTYPE_L4_TCP,
	[IPPROTO_UDP] = RTE_PTYPE_L4_UDP,
	[IPPROTO_ICMPV6] = RTE_PTYPE_L4_ICMP,
};

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
