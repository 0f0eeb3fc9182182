/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef VPAIR_L2_H
#define VPAIR_L2_H

/**
 * @file
 * L2 receive filter and packet type parser for net_vpair.
 *
 * Nothing here needs the EAL: the per-packet part is header-only but for
 * the parser of uncommon frames, which is in vpair_l2.c with the control
 * path (which only writes plain memory). The transmitting
 * port runs the receiving port's filter, when the header is still hot in
 * cache, so the filter answers what a NIC's L2 filter would have:
 * Linux's eth_type_trans() class plus veth's is_skb_forwardable() length
 * rule plus unicast/multicast address filtering.
 *
 * Concurrency: control-path writers must be serialised by the caller
 * (ethdev does so per port). Readers may run at the same time; they see
 * each address, count and flag either old or new, never torn, but may see
 * a mix of old and new entries while a list is being replaced, as with a
 * NIC filter being reprogrammed under traffic.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf_ptype.h>
#if defined(RTE_ARCH_X86)
#include <emmintrin.h>
#endif

/* The frame class is the public enum rte_pmd_vpair_pkt_type: no second copy. */
#include <rte_pmd_vpair.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Unicast slots; slot 0 is the primary MAC, as ethdev's mac_addrs[0]. */
#define VPAIR_L2_MAX_UC 16
/** Multicast list capacity (set_mc_addr_list). */
#define VPAIR_L2_MAX_MC 64

/*
 * An address as a key: its 6 bytes as a little-endian 48-bit number, so
 * one compare decides equality and the I/G bit is bit 0 on any CPU.
 * An empty slot holds a value above 48 bits, which no frame can match.
 */
#define VPAIR_L2_KEY_EMPTY UINT64_MAX
#define VPAIR_L2_KEY_BCAST UINT64_C(0xffffffffffff)
#define VPAIR_L2_KEY_GROUP UINT64_C(1)


/**
 * What the receiver does with a frame: a drop reason, checked in this
 * order, or PASS. Reasons count from 0, so they index counters directly.
 */
enum vpair_l2_drop {
	VPAIR_L2_DROP_RUNT,		/**< shorter than an Ethernet header */
	VPAIR_L2_DROP_OVERSIZE,		/**< longer than MTU + header + tags */
	VPAIR_L2_DROP_OTHERHOST,	/**< not ours, not promiscuous */
	VPAIR_L2_DROP_MCAST_FILTER,	/**< group not joined, not allmulti */
	VPAIR_L2_NB_DROPS,
	VPAIR_L2_PASS = VPAIR_L2_NB_DROPS,	/**< not dropped */
};

/**
 * Receive filter state of one port.
 *
 * Plain data with no pointers: it lives in memory shared by processes
 * mapped at different addresses. Everything the common case needs
 * (lengths, flags, primary MAC) is in the first cache line.
 */
struct vpair_l2_filter {
	uint16_t mtu;
	uint16_t uc_valid;	/**< bit i: uc[i] in use; bit 0 always set */
	uint8_t promisc;
	uint8_t allmulti;
	uint8_t nb_mc;
	uint8_t reserved;
	uint64_t uc[VPAIR_L2_MAX_UC];	/**< keys, VPAIR_L2_KEY_EMPTY if unused */
	uint64_t mc[VPAIR_L2_MAX_MC];	/**< keys, first nb_mc are valid */
} __rte_cache_aligned;

/* Control path (vpair_l2.c). All return 0 or -errno and leave the
 * filter unchanged on error.
 */

/** Reset to: primary MAC only, no multicast, not promiscuous, not
 *  allmulti. Not safe against readers: call before the peer can send.
 *  -EINVAL if primary is NULL or a group address. */
int vpair_l2_filter_init(struct vpair_l2_filter *f,
			 const struct rte_ether_addr *primary, uint16_t mtu);
/** Put addr in unicast slot index (0 replaces the primary: mac_addr_set).
 *  -EINVAL for index out of range, NULL or group address. */
int vpair_l2_uc_set(struct vpair_l2_filter *f, uint32_t index,
		    const struct rte_ether_addr *addr);
/** Empty unicast slot index (mac_addr_remove). -EINVAL for index 0,
 *  which always holds the primary, or out of range. */
int vpair_l2_uc_clear(struct vpair_l2_filter *f, uint32_t index);
/** Replace the multicast list (set_mc_addr_list; NULL, 0 flushes).
 *  -ENOSPC above VPAIR_L2_MAX_MC, -EINVAL if an entry is not a group
 *  address (broadcast is accepted). */
int vpair_l2_mc_set(struct vpair_l2_filter *f,
		    const struct rte_ether_addr *list, uint32_t nb);
int vpair_l2_set_promisc(struct vpair_l2_filter *f, bool on);
int vpair_l2_set_allmulti(struct vpair_l2_filter *f, bool on);
int vpair_l2_set_mtu(struct vpair_l2_filter *f, uint16_t mtu);

/** Packet types vpair_ptype_parse() can return, RTE_PTYPE_UNKNOWN ended. */
extern const uint32_t vpair_ptype_supported[];

/* Fast path */

/** Key of the 6 bytes at addr; addr needs no alignment. */
static inline uint64_t
vpair_l2_addr_key(const void *addr)
{
	const uint8_t *p = (const uint8_t *)addr;
	uint32_t lo;
	uint16_t hi;

	/* Two loads, not one of 8 bytes: the frame may end right after. */
	memcpy(&lo, p, sizeof(lo));
	memcpy(&hi, p + 4, sizeof(hi));
	return rte_le_to_cpu_32(lo) | (uint64_t)rte_le_to_cpu_16(hi) << 32;
}

/**
 * The destination of a frame of at least 8 bytes as a key, in one load: the low 48 bits
 * are the key, the 16 above are the source's first bytes (see vpair_l2_key_eq).
 */
static inline uint64_t
vpair_l2_load_dst(const void *frame)
{
	uint64_t v;

	memcpy(&v, frame, sizeof(v));
	return rte_le_to_cpu_64(v);
}

/** Whether a vpair_l2_load_dst() value holds key. */
static inline bool
vpair_l2_key_eq(uint64_t dst, uint64_t key)
{
	return ((dst ^ key) << 16) == 0;
}

/** True when every class passes, so only lengths matter. */
static inline bool
vpair_l2_filter_is_open(const struct vpair_l2_filter *f)
{
	return f->promisc & f->allmulti;
}

static inline bool
vpair_l2_is_tpid(rte_be16_t t)
{
	/* Non-short-circuit: three compares and ORs, no branches. */
	return (t == RTE_BE16(RTE_ETHER_TYPE_VLAN)) |
	       (t == RTE_BE16(RTE_ETHER_TYPE_QINQ)) |
	       (t == RTE_BE16(RTE_ETHER_TYPE_QINQ1));
}

static inline rte_be16_t
vpair_l2_load16(const uint8_t *p)
{
	rte_be16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/**
 * Bytes of VLAN tags (0, 4 or 8) at the start of the frame that enlarge
 * its allowed length. A tag whose TPID lies beyond len is taken as absent.
 */
static inline uint32_t
vpair_l2_tags_len(const void *frame, uint32_t len)
{
	const uint8_t *p = (const uint8_t *)frame;

	if (len < RTE_ETHER_HDR_LEN ||
	    !vpair_l2_is_tpid(vpair_l2_load16(p + 12)))
		return 0;
	if (len < RTE_ETHER_HDR_LEN + 4 ||
	    !vpair_l2_is_tpid(vpair_l2_load16(p + 16)))
		return 4;
	return 8;
}

/**
 * Length rule alone: RUNT, OVERSIZE or PASS. For a frame no longer than
 * mtu + 14 it does not touch the frame.
 */
static inline enum vpair_l2_drop
vpair_l2_len_check(const struct vpair_l2_filter *f, const void *frame,
		   uint32_t data_len, uint32_t frame_len)
{
	uint32_t max_len = (uint32_t)f->mtu + RTE_ETHER_HDR_LEN;

	if (unlikely(frame_len < RTE_ETHER_HDR_LEN))
		return VPAIR_L2_DROP_RUNT;
	/* Tags only matter, and are only read, past the untagged limit. */
	if (unlikely(frame_len > max_len) &&
	    frame_len > max_len +
		vpair_l2_tags_len(frame, RTE_MIN(data_len, frame_len)))
		return VPAIR_L2_DROP_OVERSIZE;
	return VPAIR_L2_PASS;
}

/** Is key one of the secondary unicast addresses (slots 1..)? */
static inline bool
vpair_l2_uc_match(const struct vpair_l2_filter *f, uint64_t key)
{
	uint32_t m;

	/* Walk only used slots: with just the primary this is no loop. */
	for (m = f->uc_valid & ~1u; m != 0; m &= m - 1)
		if (f->uc[__builtin_ctz(m)] == key)
			return true;
	return false;
}

static inline bool
vpair_l2_mc_match(const struct vpair_l2_filter *f, uint64_t key)
{
	uint32_t i, n = f->nb_mc;

	for (i = 0; i < n; i++)
		if (f->mc[i] == key)
			return true;
	return false;
}

/** Class of a destination key against the filter's addresses. */
static inline enum rte_pmd_vpair_pkt_type
vpair_l2_class_of(const struct vpair_l2_filter *f, uint64_t dst)
{
	/* The primary is unicast, so equality settles the common case. */
	if (likely(dst == f->uc[0]))
		return RTE_PMD_VPAIR_PKT_HOST;
	if (dst & VPAIR_L2_KEY_GROUP)
		return dst == VPAIR_L2_KEY_BCAST ?
			RTE_PMD_VPAIR_PKT_BROADCAST : RTE_PMD_VPAIR_PKT_MULTICAST;
	return vpair_l2_uc_match(f, dst) ? RTE_PMD_VPAIR_PKT_HOST : RTE_PMD_VPAIR_PKT_OTHERHOST;
}

/**
 * What the receiving port with filter f does with a frame.
 *
 * @param frame
 *   First byte of the frame (destination MAC).
 * @param data_len
 *   Bytes readable at frame (first segment); never read beyond, nor
 *   beyond frame_len. With fewer than 6 the destination is unknown and
 *   the frame is OTHERHOST; a tag whose TPID is cut off counts as absent
 *   (an oversize frame then drops).
 * @param frame_len
 *   Whole frame length (pkt_len).
 * @param pkt_class
 *   If not NULL, receives the class. It is RTE_PMD_VPAIR_PKT_OTHERHOST for RUNT
 *   and OVERSIZE, which are decided before the address is looked at.
 *   If NULL and the filter is open, the frame is only read for the
 *   oversize check.
 * @return
 *   VPAIR_L2_PASS or the drop reason.
 */
static inline enum vpair_l2_drop
vpair_l2_verdict(const struct vpair_l2_filter *f, const void *frame,
		 uint32_t data_len, uint32_t frame_len, uint8_t *pkt_class)
{
	enum vpair_l2_drop v = vpair_l2_len_check(f, frame, data_len,
						  frame_len);
	enum rte_pmd_vpair_pkt_type cls = RTE_PMD_VPAIR_PKT_OTHERHOST;
	uint64_t dst = VPAIR_L2_KEY_EMPTY;

	if (unlikely(v != VPAIR_L2_PASS))
		goto out;
	if (pkt_class == NULL && vpair_l2_filter_is_open(f))
		return VPAIR_L2_PASS;
	/* frame_len >= 14 here, so only the segment can be too short. */
	if (likely(data_len >= RTE_ETHER_ADDR_LEN)) {
		dst = vpair_l2_addr_key(frame);
		cls = vpair_l2_class_of(f, dst);
	}
	if (cls == RTE_PMD_VPAIR_PKT_OTHERHOST)
		v = f->promisc ? VPAIR_L2_PASS : VPAIR_L2_DROP_OTHERHOST;
	else if (cls == RTE_PMD_VPAIR_PKT_MULTICAST && !f->allmulti &&
		 !vpair_l2_mc_match(f, dst))
		v = VPAIR_L2_DROP_MCAST_FILTER;
out:
	if (pkt_class != NULL)
		*pkt_class = (uint8_t)cls;
	return v;
}

/*
 * Packet type parser.
 *
 * Reports what the headers say, reading nothing past data_len. A layer is
 * reported only when its header is wholly within data_len, because an
 * application trusting the type goes on to read that header: the IPv4
 * header with its options (IHL), the 40-byte IPv6 header, the TCP header
 * with its options (data offset, at least 20 bytes), the 8 bytes of UDP,
 * ICMP and ICMPv6. The layers before a cut one are still reported. IPv6
 * extension headers are not part of the IPv6 header: L3_IPV6_EXT needs only
 * the fixed header, which names the first of them, but the walk to the L4
 * type (or L4_FRAG) crosses only extension headers wholly within data_len.
 *
 * Where rte_net_get_ptype() (DPDK 22.11) reports a layer too, it reports the
 * same, except on purpose, as below; test/unit/test_ptype_ref.c checks each
 * of these against it, and that nothing else differs:
 *  - Untagged ARP and LLDP are L2_ETHER_ARP and L2_ETHER_LLDP, not L2_ETHER.
 *    Tagged, they are L2_ETHER_VLAN/QINQ: the L2 field holds one value and
 *    the tag is what an application must strip first.
 *  - TPID 0x9100 is a tag (L2_ETHER_QINQ, then what is under it); DPDK takes
 *    it for an unknown EtherType.
 *  - An 0x88A8 tag alone is one tag; DPDK assumes a second tag follows and
 *    reads the EtherType 4 bytes too far.
 *  - Two 0x8100 tags are L2_ETHER_QINQ with the L3/L4 under them; DPDK says
 *    L2_ETHER_VLAN and puts the rest in the inner layers (and drops L2
 *    when the TCP header is cut).
 *  - No tunnel or inner layer: IP-in-IP and GRE are the outer L3, no L4.
 *  - ICMP (IPv4 protocol 1) and ICMPv6 (IPv6 next header 58) are L4_ICMP;
 *    DPDK reports neither.
 *  - SCTP is not reported (it is not in vpair_ptype_supported).
 *  - IPv4 with a version other than 4 or an IHL below 5 has no L3 and no
 *    L4; DPDK leaves out L3 but still takes L4 from the protocol field.
 *  - IPv6 with a version other than 6 has no L3 and no L4; DPDK does not
 *    look at the version.
 *  - IPv4 options cut: no L3, so no L4; DPDK needs only 20 bytes.
 *  - UDP header cut: no L4; DPDK reports L4_UDP without reading it.
 *  - TCP options cut: no L4; DPDK needs only the fixed 20 bytes.
 *  - IPv6 extension header cut: the walk stops at L3_IPV6_EXT; DPDK reads
 *    2 bytes of each, so reports L4_FRAG, L4_UDP or a tunnel past it.
 *  - AH (51) is walked through to the L4 type; DPDK stops at it.
 *  - The mobility header (135) is an extension header, as rte_mbuf_ptype.h
 *    says; DPDK reports L3_IPV6 and no L4.
 *  - Up to VPAIR_PTYPE_IPV6_EXT_MAX extension headers are walked; DPDK
 *    gives up after 4 before the upper layer.
 */

/* IPv6 extension headers walked before giving up on the L4 type:
 * a bound, so a crafted chain costs little. */
#define VPAIR_PTYPE_IPV6_EXT_MAX 8

/** The parser for every frame, as described above (vpair_l2.c). */
uint32_t vpair_ptype_parse_ref(const void *frame, uint32_t data_len);

/*
 * The frames most traffic is, recognised inline from one 16-byte load at the EtherType
 * compared, masked, with a template: untagged IPv4 without options and not a fragment
 * (EtherType, version and IHL, the MF bit and fragment offset, protocol UDP), or untagged
 * IPv6 (EtherType, version). Constants, so that a loop keeps them in registers.
 */
#define VPAIR_PTYPE_TMPL_OFF (RTE_ETHER_HDR_LEN - 2)	/* the EtherType */
#define VPAIR_PTYPE_TMPL_LEN (VPAIR_PTYPE_TMPL_OFF + 16)
enum vpair_ptype_tmpl { VPAIR_PTYPE_TMPL_IPV4_UDP, VPAIR_PTYPE_TMPL_IPV6 };
/* What vpair_ptype_tmpl_diff() returns when only the IPv4 protocol (byte 11) differs. */
#define VPAIR_PTYPE_TMPL_PROTO (1u << 11)

/*
 * 0 when the frame, which has VPAIR_PTYPE_TMPL_LEN bytes, matches template t;
 * VPAIR_PTYPE_TMPL_PROTO when it matches but for the IPv4 protocol; else another value.
 */
static inline uint32_t
vpair_ptype_tmpl_diff(const uint8_t *frame, enum vpair_ptype_tmpl t)
{
	const uint8_t *h = frame + VPAIR_PTYPE_TMPL_OFF;
	const bool ipv4 = t == VPAIR_PTYPE_TMPL_IPV4_UDP;
	/* Little-endian halves: byte i of the 16 is bits 8i.. of its half. */
	const uint64_t mask_lo = ipv4 ? 0xffffff : 0xf0ffff;
	const uint64_t mask_hi = ipv4 ? 0xff00ff3f : 0;
	const uint64_t value_lo = ipv4 ? 0x450008 : 0x60dd86;
	const uint64_t value_hi = ipv4 ? (uint64_t)IPPROTO_UDP << 24 : 0;
#if defined(RTE_ARCH_X86)
	const __m128i mask = _mm_set_epi64x((long long)mask_hi, (long long)mask_lo);
	const __m128i value = _mm_set_epi64x((long long)value_hi, (long long)value_lo);
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)h);

	v = _mm_cmpeq_epi8(_mm_and_si128(v, mask), value);
	return (uint32_t)_mm_movemask_epi8(v) ^ 0xffff;
#else
	uint64_t lo, hi;

	memcpy(&lo, h, sizeof(lo));
	memcpy(&hi, h + 8, sizeof(hi));
	lo = (rte_le_to_cpu_64(lo) & mask_lo) ^ value_lo;
	hi = (rte_le_to_cpu_64(hi) & mask_hi) ^ value_hi;
	return (lo != 0 || (hi & 0xffffff) != 0) | ((hi >> 24) != 0 ? VPAIR_PTYPE_TMPL_PROTO : 0);
#endif
}

/* Whether a TCP header at h, with len bytes from it, is whole: len >= 20 is known. */
static inline bool
vpair_ptype_tcp_whole(const uint8_t *h, uint32_t len)
{
	return (uint32_t)(h[12] >> 4) * 4 <= len;
}

/* The least length vpair_ptype_parse_long() takes: IPv4 with a whole fixed TCP header. */
#define VPAIR_PTYPE_LONG (RTE_ETHER_HDR_LEN + 20 + 20)
_Static_assert(VPAIR_PTYPE_LONG >= VPAIR_PTYPE_TMPL_LEN, "the template load is in the frame");

/**
 * vpair_ptype_parse() of a frame with at least VPAIR_PTYPE_LONG bytes: TCP, UDP
 * and ICMP over untagged IPv4 or IPv6 inline, every other frame through
 * vpair_ptype_parse_ref(), with the same result (test/unit checks it).
 */
static inline uint32_t
vpair_ptype_parse_long(const void *frame, uint32_t data_len)
{
	const uint8_t *p = (const uint8_t *)frame;
	const uint8_t *l4h;
	uint32_t diff, len;
	uint8_t proto;

	diff = vpair_ptype_tmpl_diff(p, VPAIR_PTYPE_TMPL_IPV4_UDP);
	/* 8 bytes of UDP or ICMP, 20 of TCP, are there. */
	if (likely(diff == 0))
		return RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP;
	if (diff == VPAIR_PTYPE_TMPL_PROTO) {
		proto = p[RTE_ETHER_HDR_LEN + 9];
		l4h = p + RTE_ETHER_HDR_LEN + 20;
		if (proto == IPPROTO_TCP &&
		    vpair_ptype_tcp_whole(l4h, data_len - RTE_ETHER_HDR_LEN - 20))
			return RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP;
		if (proto == IPPROTO_ICMP)
			return RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_ICMP;
	} else if (vpair_ptype_tmpl_diff(p, VPAIR_PTYPE_TMPL_IPV6) == 0 &&
		   data_len >= RTE_ETHER_HDR_LEN + 40 + 8) {
		proto = p[RTE_ETHER_HDR_LEN + 6];
		l4h = p + RTE_ETHER_HDR_LEN + 40;
		len = data_len - RTE_ETHER_HDR_LEN - 40;
		if (proto == IPPROTO_UDP)
			return RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP;
		if (proto == IPPROTO_TCP && len >= 20 && vpair_ptype_tcp_whole(l4h, len))
			return RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_TCP;
		if (proto == IPPROTO_ICMPV6)
			return RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_ICMP;
	}
	return vpair_ptype_parse_ref(frame, data_len);
}

/**
 * RTE_PTYPE_* bits of a frame from its first data_len bytes: L2, L3 and
 * L4 only, each left 0 when unknown, see above.
 */
static inline uint32_t
vpair_ptype_parse(const void *frame, uint32_t data_len)
{
	if (likely(data_len >= VPAIR_PTYPE_LONG))
		return vpair_ptype_parse_long(frame, data_len);
	return vpair_ptype_parse_ref(frame, data_len);
}

#ifdef __cplusplus
}
#endif

#endif /* VPAIR_L2_H */
