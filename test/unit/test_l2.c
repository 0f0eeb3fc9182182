/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Unit tests of the L2 filter: classes, verdicts in every filter state,
 * the MTU rule with tags, short segments, and the control path.
 * Every frame handed to the filter sits in a heap block of exactly
 * data_len bytes, so a read past it is an ASan error in the -san build.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "vpair_l2.h"
#include "unit_check.h"

#define MTU 1500
#define FRAME_MAX (UINT16_MAX + 64)

static const struct rte_ether_addr primary = {{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }};
static const struct rte_ether_addr bcast = {{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }};

static uint8_t frame[FRAME_MAX];

static struct rte_ether_addr
uc_addr(uint8_t n)
{
	struct rte_ether_addr a = {{ 0x02, 0x00, 0x5e, 0x10, 0x00, n }};

	return a;
}

static struct rte_ether_addr
mc_addr(uint8_t n)
{
	struct rte_ether_addr a = {{ 0x01, 0x00, 0x5e, 0x00, 0x01, n }};

	return a;
}

/* Destination, source, the given TPIDs each with a TCI, ethertype IPv4. */
static void
build(const struct rte_ether_addr *dst, const uint16_t *tpid, int ntags)
{
	uint32_t off = 12;
	int i;

	memset(frame, 0xa5, 64);
	memcpy(frame, dst, RTE_ETHER_ADDR_LEN);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x99", RTE_ETHER_ADDR_LEN);
	for (i = 0; i < ntags; i++, off += 4) {
		frame[off] = tpid[i] >> 8;
		frame[off + 1] = tpid[i] & 0xff;
		frame[off + 2] = 0;
		frame[off + 3] = 10 + i;
	}
	frame[off] = 0x08;
	frame[off + 1] = 0x00;
}

/*
 * Verdict on the first data_len bytes of frame[]. Also checks that the
 * class-less call and the length-only check agree with it.
 */
static int
run(const struct vpair_l2_filter *f, uint32_t data_len, uint32_t frame_len,
    uint8_t *cls)
{
	void *p = unit_exact(frame, data_len);
	enum vpair_l2_drop v, v_nocls, v_len;
	uint8_t c = 0xee;

	v = vpair_l2_verdict(f, p, data_len, frame_len, &c);
	v_nocls = vpair_l2_verdict(f, p, data_len, frame_len, NULL);
	v_len = vpair_l2_len_check(f, p, data_len, frame_len);
	free(p);

	CHECK_EQ(v_nocls, v);
	if (v == VPAIR_L2_DROP_RUNT || v == VPAIR_L2_DROP_OVERSIZE)
		CHECK_EQ(v_len, v);
	else
		CHECK_EQ(v_len, VPAIR_L2_PASS);
	CHECK(c <= RTE_PMD_VPAIR_PKT_OTHERHOST);
	if (cls != NULL)
		*cls = c;
	return v;
}

static void
test_init(void)
{
	struct vpair_l2_filter f;
	struct rte_ether_addr m = mc_addr(1);
	int i;

	UNIT_CTX("init");
	memset(&f, 0x5a, sizeof(f));
	CHECK_EQ(vpair_l2_filter_init(&f, &primary, MTU), 0);
	CHECK_EQ(f.mtu, MTU);
	CHECK_EQ(f.uc_valid, 1);
	CHECK_EQ(f.promisc, 0);
	CHECK_EQ(f.allmulti, 0);
	CHECK_EQ(f.nb_mc, 0);
	CHECK(f.uc[0] == vpair_l2_addr_key(&primary));
	/* The key is the address read little-endian. */
	CHECK(f.uc[0] == UINT64_C(0x010000000002));
	for (i = 1; i < VPAIR_L2_MAX_UC; i++)
		CHECK(f.uc[i] == VPAIR_L2_KEY_EMPTY);
	for (i = 0; i < VPAIR_L2_MAX_MC; i++)
		CHECK(f.mc[i] == VPAIR_L2_KEY_EMPTY);
	CHECK(vpair_l2_addr_key(&bcast) == VPAIR_L2_KEY_BCAST);
	CHECK(vpair_l2_addr_key(&m) & VPAIR_L2_KEY_GROUP);
	CHECK(!vpair_l2_filter_is_open(&f));

	CHECK_EQ(vpair_l2_filter_init(&f, &m, MTU), -EINVAL);
	CHECK_EQ(vpair_l2_filter_init(&f, &bcast, MTU), -EINVAL);
	CHECK_EQ(vpair_l2_filter_init(&f, NULL, MTU), -EINVAL);
	CHECK_EQ(vpair_l2_filter_init(NULL, &primary, MTU), -EINVAL);
	/* Failed init leaves the filter alone. */
	CHECK(f.uc[0] == vpair_l2_addr_key(&primary));

	/* Shared memory: fixed size, hot fields in the first cache line. */
	CHECK_EQ(sizeof(f) % 64, 0);
	CHECK_EQ(_Alignof(struct vpair_l2_filter), 64);
	CHECK(offsetof(struct vpair_l2_filter, uc) + sizeof(uint64_t) <= 64);
	CHECK(offsetof(struct vpair_l2_filter, mtu) < 64);
	CHECK(offsetof(struct vpair_l2_filter, promisc) < 64);
	CHECK(offsetof(struct vpair_l2_filter, allmulti) < 64);
}

enum dst_kind {
	DST_PRIMARY, DST_UC_ADDED, DST_UC_OTHER, DST_BCAST,
	DST_MC_LISTED, DST_MC_UNLISTED, DST_MC_NEAR_BCAST, DST_KINDS
};

/* Every destination kind in every promisc x allmulti state, with 0-3
 * tags and a few lengths: the expected class and drop reason. */
static void
test_matrix(void)
{
	static const uint16_t tpids[] = { 0x8100, 0x88a8, 0x9100 };
	const struct rte_ether_addr near_bcast = {{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe }};
	struct rte_ether_addr mcl[2] = { mc_addr(1), mc_addr(2) };
	struct rte_ether_addr added = uc_addr(5), other = uc_addr(6);
	struct rte_ether_addr mc_other = mc_addr(3);
	struct vpair_l2_filter f;
	int promisc, allmulti, kind, ntags, li;

	vpair_l2_filter_init(&f, &primary, MTU);
	CHECK_EQ(vpair_l2_uc_set(&f, 7, &added), 0);
	CHECK_EQ(vpair_l2_mc_set(&f, mcl, 2), 0);

	for (promisc = 0; promisc < 2; promisc++)
	for (allmulti = 0; allmulti < 2; allmulti++) {
		vpair_l2_set_promisc(&f, promisc);
		vpair_l2_set_allmulti(&f, allmulti);
		CHECK_EQ(vpair_l2_filter_is_open(&f), promisc && allmulti);
		for (kind = 0; kind < DST_KINDS; kind++)
		for (ntags = 0; ntags <= 3; ntags++) {
			const uint32_t lens[] = { 14 + 4 * ntags, 60, 64,
				MTU + 14 + 4 * RTE_MIN(ntags, 2) };
			const struct rte_ether_addr *dst;
			int exp_cls, exp_v;

			switch (kind) {
			case DST_PRIMARY:
				dst = &primary;
				exp_cls = RTE_PMD_VPAIR_PKT_HOST;
				exp_v = VPAIR_L2_PASS;
				break;
			case DST_UC_ADDED:
				dst = &added;
				exp_cls = RTE_PMD_VPAIR_PKT_HOST;
				exp_v = VPAIR_L2_PASS;
				break;
			case DST_UC_OTHER:
				dst = &other;
				exp_cls = RTE_PMD_VPAIR_PKT_OTHERHOST;
				exp_v = promisc ? VPAIR_L2_PASS :
					VPAIR_L2_DROP_OTHERHOST;
				break;
			case DST_BCAST:
				dst = &bcast;
				exp_cls = RTE_PMD_VPAIR_PKT_BROADCAST;
				exp_v = VPAIR_L2_PASS;
				break;
			case DST_MC_LISTED:
				dst = &mcl[1];
				exp_cls = RTE_PMD_VPAIR_PKT_MULTICAST;
				exp_v = VPAIR_L2_PASS;
				break;
			case DST_MC_UNLISTED:
				dst = &mc_other;
				exp_cls = RTE_PMD_VPAIR_PKT_MULTICAST;
				exp_v = allmulti ? VPAIR_L2_PASS :
					VPAIR_L2_DROP_MCAST_FILTER;
				break;
			default:
				dst = &near_bcast;
				exp_cls = RTE_PMD_VPAIR_PKT_MULTICAST;
				exp_v = allmulti ? VPAIR_L2_PASS :
					VPAIR_L2_DROP_MCAST_FILTER;
				break;
			}
			build(dst, (const uint16_t[]){ tpids[ntags % 3],
				tpids[(ntags + 1) % 3], tpids[(ntags + 2) % 3] },
				ntags);
			for (li = 0; li < 4; li++) {
				uint32_t dl = RTE_MIN(lens[li], 64u);
				uint8_t cls;

				UNIT_CTX("promisc %d allmulti %d kind %d tags %d len %u",
					 promisc, allmulti, kind, ntags, lens[li]);
				CHECK_EQ(run(&f, dl, lens[li], &cls), exp_v);
				CHECK_EQ(cls, exp_cls);
				CHECK_EQ(vpair_l2_class_of(&f, vpair_l2_addr_key(frame)),
					 exp_cls);
			}
		}
	}
}

/* Unicast slots: each index alone, all together, replace and clear. */
static void
test_unicast(void)
{
	struct vpair_l2_filter f;
	struct rte_ether_addr a, m = mc_addr(9), p2 = uc_addr(0xee);
	uint8_t cls;
	uint32_t i, j;
	int bit;

	for (i = 1; i < VPAIR_L2_MAX_UC; i++) {
		UNIT_CTX("uc index %u alone", i);
		vpair_l2_filter_init(&f, &primary, MTU);
		a = uc_addr(i);
		CHECK_EQ(vpair_l2_uc_set(&f, i, &a), 0);
		CHECK_EQ(f.uc_valid, 1u | 1u << i);
		for (j = 1; j < VPAIR_L2_MAX_UC; j++) {
			a = uc_addr(j);
			build(&a, NULL, 0);
			CHECK_EQ(run(&f, 60, 60, &cls),
				 i == j ? VPAIR_L2_PASS : VPAIR_L2_DROP_OTHERHOST);
			CHECK_EQ(cls, i == j ? RTE_PMD_VPAIR_PKT_HOST : RTE_PMD_VPAIR_PKT_OTHERHOST);
		}
		build(&primary, NULL, 0);
		CHECK_EQ(run(&f, 60, 60, &cls), VPAIR_L2_PASS);
		CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_HOST);

		CHECK_EQ(vpair_l2_uc_clear(&f, i), 0);
		CHECK_EQ(f.uc_valid, 1);
		CHECK(f.uc[i] == VPAIR_L2_KEY_EMPTY);
		a = uc_addr(i);
		build(&a, NULL, 0);
		CHECK_EQ(run(&f, 60, 60, &cls), VPAIR_L2_DROP_OTHERHOST);
		CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_OTHERHOST);
		/* Clearing an empty slot is harmless. */
		CHECK_EQ(vpair_l2_uc_clear(&f, i), 0);
	}

	UNIT_CTX("uc all slots");
	vpair_l2_filter_init(&f, &primary, MTU);
	for (i = 1; i < VPAIR_L2_MAX_UC; i++) {
		a = uc_addr(i);
		CHECK_EQ(vpair_l2_uc_set(&f, i, &a), 0);
	}
	CHECK_EQ(f.uc_valid, 0xffff);
	for (i = 1; i < VPAIR_L2_MAX_UC; i += 2)
		CHECK_EQ(vpair_l2_uc_clear(&f, i), 0);
	CHECK_EQ(f.uc_valid, 0x5555);
	for (i = 1; i < VPAIR_L2_MAX_UC + 2; i++) {
		a = uc_addr(i);
		build(&a, NULL, 0);
		CHECK_EQ(run(&f, 60, 60, &cls),
			 i % 2 == 0 && i < VPAIR_L2_MAX_UC ?
			 VPAIR_L2_PASS : VPAIR_L2_DROP_OTHERHOST);
	}

	UNIT_CTX("uc replace slot");
	a = uc_addr(0x40);
	CHECK_EQ(vpair_l2_uc_set(&f, 2, &a), 0);
	build(&a, NULL, 0);
	CHECK_EQ(run(&f, 60, 60, NULL), VPAIR_L2_PASS);
	a = uc_addr(2);
	build(&a, NULL, 0);
	CHECK_EQ(run(&f, 60, 60, NULL), VPAIR_L2_DROP_OTHERHOST);

	UNIT_CTX("uc index 0 is mac_addr_set");
	CHECK_EQ(vpair_l2_uc_set(&f, 0, &p2), 0);
	CHECK_EQ(f.uc_valid & 1, 1);
	build(&primary, NULL, 0);
	CHECK_EQ(run(&f, 60, 60, &cls), VPAIR_L2_DROP_OTHERHOST);
	CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_OTHERHOST);
	build(&p2, NULL, 0);
	CHECK_EQ(run(&f, 60, 60, &cls), VPAIR_L2_PASS);
	CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_HOST);

	UNIT_CTX("uc errors");
	CHECK_EQ(vpair_l2_uc_set(&f, VPAIR_L2_MAX_UC, &a), -EINVAL);
	CHECK_EQ(vpair_l2_uc_set(&f, UINT32_MAX, &a), -EINVAL);
	CHECK_EQ(vpair_l2_uc_set(&f, 3, NULL), -EINVAL);
	CHECK_EQ(vpair_l2_uc_set(NULL, 3, &a), -EINVAL);
	CHECK_EQ(vpair_l2_uc_set(&f, 3, &m), -EINVAL);
	CHECK_EQ(vpair_l2_uc_set(&f, 0, &bcast), -EINVAL);
	CHECK_EQ(vpair_l2_uc_clear(&f, 0), -EINVAL);
	CHECK_EQ(vpair_l2_uc_clear(&f, VPAIR_L2_MAX_UC), -EINVAL);
	CHECK_EQ(vpair_l2_uc_clear(NULL, 1), -EINVAL);
	/* Rejected calls changed nothing. */
	CHECK(f.uc[0] == vpair_l2_addr_key(&p2));
	CHECK(f.uc[3] == VPAIR_L2_KEY_EMPTY);
	CHECK_EQ(f.uc_valid, 0x5555);

	/* One bit off the primary anywhere is not the primary; off in the
	 * I/G bit it is multicast. Catches a key that drops or mixes bytes. */
	vpair_l2_filter_init(&f, &primary, MTU);
	for (bit = 0; bit < 48; bit++) {
		a = primary;
		a.addr_bytes[bit / 8] ^= 1u << (bit % 8);
		UNIT_CTX("primary with bit %d flipped", bit);
		build(&a, NULL, 0);
		CHECK_EQ(run(&f, 60, 60, &cls),
			 bit == 0 ? VPAIR_L2_DROP_MCAST_FILTER :
			 VPAIR_L2_DROP_OTHERHOST);
		CHECK_EQ(cls, bit == 0 ? RTE_PMD_VPAIR_PKT_MULTICAST :
			 RTE_PMD_VPAIR_PKT_OTHERHOST);
	}
}

static bool
mc_passes(const struct vpair_l2_filter *f, const struct rte_ether_addr *a)
{
	build(a, NULL, 0);
	return run(f, 60, 60, NULL) == VPAIR_L2_PASS;
}

/* Multicast list: replace, flush, capacity, rejects. */
static void
test_multicast(void)
{
	struct rte_ether_addr list[VPAIR_L2_MAX_MC + 1];
	struct rte_ether_addr a;
	struct vpair_l2_filter f;
	uint8_t cls;
	uint32_t i, k;

	for (i = 0; i <= VPAIR_L2_MAX_MC; i++)
		list[i] = mc_addr(i);
	vpair_l2_filter_init(&f, &primary, MTU);

	UNIT_CTX("mc set 3");
	CHECK_EQ(vpair_l2_mc_set(&f, list, 3), 0);
	CHECK_EQ(f.nb_mc, 3);
	for (i = 0; i < 6; i++)
		CHECK_EQ(mc_passes(&f, &list[i]), i < 3);

	UNIT_CTX("mc replace");
	CHECK_EQ(vpair_l2_mc_set(&f, &list[4], 1), 0);
	CHECK_EQ(f.nb_mc, 1);
	for (i = 0; i < 6; i++)
		CHECK_EQ(mc_passes(&f, &list[i]), i == 4);
	CHECK(f.mc[1] == VPAIR_L2_KEY_EMPTY);
	CHECK(f.mc[2] == VPAIR_L2_KEY_EMPTY);

	UNIT_CTX("mc flush");
	CHECK_EQ(vpair_l2_mc_set(&f, NULL, 0), 0);
	CHECK_EQ(f.nb_mc, 0);
	CHECK(f.mc[0] == VPAIR_L2_KEY_EMPTY);
	for (i = 0; i < 6; i++)
		CHECK(!mc_passes(&f, &list[i]));
	CHECK_EQ(vpair_l2_mc_set(&f, NULL, 1), -EINVAL);
	CHECK_EQ(vpair_l2_mc_set(NULL, list, 1), -EINVAL);

	UNIT_CTX("mc full");
	CHECK_EQ(vpair_l2_mc_set(&f, list, VPAIR_L2_MAX_MC), 0);
	CHECK_EQ(f.nb_mc, VPAIR_L2_MAX_MC);
	for (i = 0; i <= VPAIR_L2_MAX_MC; i++) {
		UNIT_CTX("mc full, entry %u", i);
		CHECK_EQ(mc_passes(&f, &list[i]), i < VPAIR_L2_MAX_MC);
	}
	UNIT_CTX("mc over capacity");
	CHECK_EQ(vpair_l2_mc_set(&f, list, VPAIR_L2_MAX_MC + 1), -ENOSPC);
	CHECK_EQ(vpair_l2_mc_set(&f, list, UINT32_MAX), -ENOSPC);
	CHECK_EQ(f.nb_mc, VPAIR_L2_MAX_MC);
	CHECK(mc_passes(&f, &list[VPAIR_L2_MAX_MC - 1]));

	/* A unicast entry anywhere rejects the whole list, atomically. */
	for (k = 0; k < 5; k++) {
		UNIT_CTX("mc unicast at %u", k);
		a = list[k];
		list[k] = uc_addr(k);
		CHECK_EQ(vpair_l2_mc_set(&f, list, 5), -EINVAL);
		CHECK_EQ(f.nb_mc, VPAIR_L2_MAX_MC);
		CHECK(mc_passes(&f, &list[40]));
		list[k] = a;
	}

	UNIT_CTX("mc shrink");
	CHECK_EQ(vpair_l2_mc_set(&f, &list[10], 2), 0);
	CHECK_EQ(f.nb_mc, 2);
	for (i = 2; i < VPAIR_L2_MAX_MC; i++)
		CHECK(f.mc[i] == VPAIR_L2_KEY_EMPTY);
	CHECK(mc_passes(&f, &list[11]));
	CHECK(!mc_passes(&f, &list[12]));

	UNIT_CTX("mc broadcast in list");
	CHECK_EQ(vpair_l2_mc_set(&f, &bcast, 1), 0);
	build(&bcast, NULL, 0);
	CHECK_EQ(run(&f, 60, 60, &cls), VPAIR_L2_PASS);
	CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_BROADCAST);
	CHECK(!mc_passes(&f, &list[0]));
}

/* The MTU rule at mtu+14 (+4 per tag, two at most), both sides. */
static void
test_lengths(void)
{
	static const uint16_t mtus[] = { 0, 1, 68, 1500, 9000, 65535 };
	static const uint16_t counted[] = { 0x8100, 0x88a8, 0x9100 };
	static const uint16_t not_tags[] = { 0x9200, 0x0800, 0x86dd, 0x0081 };
	struct vpair_l2_filter f;
	uint16_t tp[3];
	uint8_t cls;
	unsigned int m, t0, t1, ntags;
	int d;

	vpair_l2_filter_init(&f, &primary, MTU);
	for (m = 0; m < RTE_DIM(mtus); m++) {
		CHECK_EQ(vpair_l2_set_mtu(&f, mtus[m]), 0);
		CHECK_EQ(f.mtu, mtus[m]);
		for (ntags = 0; ntags <= 3; ntags++)
		for (t0 = 0; t0 < 3; t0++)
		for (t1 = 0; t1 < 3; t1++) {
			uint32_t allowed = mtus[m] + 14 + 4 * RTE_MIN(ntags, 2u);

			if (ntags < 2 && t1 != 0)
				continue;
			if (ntags == 0 && t0 != 0)
				continue;
			tp[0] = counted[t0];
			tp[1] = counted[t1];
			tp[2] = 0x8100;
			build(&primary, tp, ntags);
			for (d = -1; d <= 1; d++) {
				uint32_t len = allowed + d;
				int exp = len < 14 ? VPAIR_L2_DROP_RUNT :
					d > 0 ? VPAIR_L2_DROP_OVERSIZE :
					VPAIR_L2_PASS;

				UNIT_CTX("mtu %u tags %u (%04x %04x) len %u",
					 mtus[m], ntags, tp[0], tp[1], len);
				CHECK_EQ(run(&f, len, len, &cls), exp);
				CHECK_EQ(cls, exp == VPAIR_L2_PASS ?
					 RTE_PMD_VPAIR_PKT_HOST : RTE_PMD_VPAIR_PKT_OTHERHOST);
			}
		}
		/* Not a tag: untagged limit. Also a TPID in the second
		 * slot only does not count. */
		for (t0 = 0; t0 < RTE_DIM(not_tags); t0++) {
			tp[0] = not_tags[t0];
			tp[1] = 0x8100;
			build(&primary, tp, 2);
			UNIT_CTX("mtu %u not a tag %04x", mtus[m], tp[0]);
			CHECK_EQ(run(&f, mtus[m] + 14, mtus[m] + 14, NULL),
				 mtus[m] + 14 < 14 ? VPAIR_L2_DROP_RUNT :
				 VPAIR_L2_PASS);
			CHECK_EQ(run(&f, mtus[m] + 15, mtus[m] + 15, NULL),
				 VPAIR_L2_DROP_OVERSIZE);
		}
	}
	/* Oversize beats the address filter: a frame for nobody that is
	 * also too long counts as oversize. */
	vpair_l2_set_mtu(&f, MTU);
	tp[0] = 0x8100;
	build(&bcast, tp, 0);
	frame[0] = 0x02;
	UNIT_CTX("oversize before otherhost");
	CHECK_EQ(run(&f, MTU + 15, MTU + 15, &cls), VPAIR_L2_DROP_OVERSIZE);
	CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_OTHERHOST);
	CHECK_EQ(run(&f, MTU + 14, MTU + 14, &cls), VPAIR_L2_DROP_OTHERHOST);
}

/* Runts, the 14-byte minimum, and segments shorter than the header. */
static void
test_short(void)
{
	static const uint16_t tp[] = { 0x88a8, 0x8100, 0x8100 };
	struct vpair_l2_filter f;
	uint8_t cls;
	uint32_t len, dl;
	int state;

	vpair_l2_filter_init(&f, &primary, MTU);
	for (state = 0; state < 4; state++) {
		vpair_l2_set_promisc(&f, state & 1);
		vpair_l2_set_allmulti(&f, state >> 1);
		build(&primary, NULL, 0);
		for (len = 0; len < 14; len++) {
			UNIT_CTX("state %d runt %u", state, len);
			CHECK_EQ(run(&f, len, len, &cls), VPAIR_L2_DROP_RUNT);
			CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_OTHERHOST);
		}
		UNIT_CTX("state %d len 14", state);
		CHECK_EQ(run(&f, 14, 14, &cls), VPAIR_L2_PASS);
		CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_HOST);
		build(&bcast, NULL, 0);
		CHECK_EQ(run(&f, 14, 14, &cls), VPAIR_L2_PASS);
		CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_BROADCAST);

		/* Destination not in the segment: unknown, so OTHERHOST. */
		build(&primary, NULL, 0);
		for (dl = 0; dl <= 60; dl++) {
			UNIT_CTX("state %d data_len %u of 60", state, dl);
			CHECK_EQ(run(&f, dl, 60, &cls),
				 dl >= 6 || (state & 1) ? VPAIR_L2_PASS :
				 VPAIR_L2_DROP_OTHERHOST);
			CHECK_EQ(cls, dl >= 6 ? RTE_PMD_VPAIR_PKT_HOST :
				 RTE_PMD_VPAIR_PKT_OTHERHOST);
		}
		/* A tag whose TPID is not in the segment is absent. */
		build(&primary, tp, 1);
		for (dl = 0; dl <= 22; dl++) {
			UNIT_CTX("state %d 1 tag, data_len %u", state, dl);
			CHECK_EQ(run(&f, dl, MTU + 18, NULL),
				 dl >= 14 ? VPAIR_L2_PASS :
				 VPAIR_L2_DROP_OVERSIZE);
		}
		build(&primary, tp, 2);
		for (dl = 0; dl <= 22; dl++) {
			UNIT_CTX("state %d 2 tags, data_len %u", state, dl);
			CHECK_EQ(run(&f, dl, MTU + 22, NULL),
				 dl >= 18 ? VPAIR_L2_PASS :
				 VPAIR_L2_DROP_OVERSIZE);
			CHECK_EQ(run(&f, dl, MTU + 18, NULL),
				 dl >= 14 ? VPAIR_L2_PASS :
				 VPAIR_L2_DROP_OVERSIZE);
			CHECK_EQ(run(&f, dl, MTU + 14, NULL),
				 dl >= 6 || (state & 1) ? VPAIR_L2_PASS :
				 VPAIR_L2_DROP_OTHERHOST);
		}
		/* A segment longer than the frame reads only the frame. */
		build(&primary, tp, 2);
		UNIT_CTX("state %d data_len > frame_len", state);
		CHECK_EQ(run(&f, 64, 14, &cls), VPAIR_L2_PASS);
		CHECK_EQ(cls, RTE_PMD_VPAIR_PKT_HOST);
		CHECK_EQ(run(&f, 64, 13, &cls), VPAIR_L2_DROP_RUNT);
	}
}

/*
 * An open filter without a class wanted, and a length check of a frame
 * within the MTU, must not read the frame: hand them a pointer with no
 * readable byte behind it and let ASan say otherwise.
 */
static void
test_no_read(void)
{
	struct vpair_l2_filter f;
	uint8_t *block = unit_exact("", 1);
	/* One past the end: any byte read from here is out of bounds.
	 * Laundered through a volatile so the compiler does not warn about
	 * the paths that would read it. */
	const void *volatile launder = block + 1;
	const void *empty = launder;

	vpair_l2_filter_init(&f, &primary, MTU);
	UNIT_CTX("no read");
	CHECK_EQ(vpair_l2_len_check(&f, empty, 60, 60), VPAIR_L2_PASS);
	CHECK_EQ(vpair_l2_len_check(&f, empty, 60, MTU + 14), VPAIR_L2_PASS);
	CHECK_EQ(vpair_l2_len_check(&f, empty, 0, 5), VPAIR_L2_DROP_RUNT);
	vpair_l2_set_promisc(&f, true);
	vpair_l2_set_allmulti(&f, true);
	CHECK(vpair_l2_filter_is_open(&f));
	CHECK_EQ(vpair_l2_verdict(&f, empty, 60, 60, NULL), VPAIR_L2_PASS);
	CHECK_EQ(vpair_l2_verdict(&f, empty, 60, 13, NULL), VPAIR_L2_DROP_RUNT);
	free(block);
}

/* Classes are numbered as Linux PACKET_HOST etc. */
static void
test_class_numbers(void)
{
	UNIT_CTX("class numbers");
	CHECK_EQ(RTE_PMD_VPAIR_PKT_HOST, 0);
	CHECK_EQ(RTE_PMD_VPAIR_PKT_BROADCAST, 1);
	CHECK_EQ(RTE_PMD_VPAIR_PKT_MULTICAST, 2);
	CHECK_EQ(RTE_PMD_VPAIR_PKT_OTHERHOST, 3);
}

/*
 * Random control-path operations and frames, the filter against a
 * byte-by-byte model of the rules written separately from it.
 */
struct model {
	struct rte_ether_addr uc[VPAIR_L2_MAX_UC];
	bool uc_ok[VPAIR_L2_MAX_UC];
	struct rte_ether_addr mc[VPAIR_L2_MAX_MC];
	uint32_t nb_mc;
	bool promisc, allmulti;
	uint16_t mtu;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(uint32_t n)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

/* A small address space, so random addresses collide with set ones. */
static struct rte_ether_addr
rnd_addr(bool group)
{
	struct rte_ether_addr a = {{ 0x02, 0, 0, 0, 0, rnd(8) }};

	if (group)
		a.addr_bytes[0] = 0x01;
	if (rnd(16) == 0)
		a.addr_bytes[rnd(6)] ^= 1u << rnd(8);
	return a;
}

static bool
model_tpid(const uint8_t *p)
{
	uint16_t t = p[0] << 8 | p[1];

	return t == 0x8100 || t == 0x88a8 || t == 0x9100;
}

static void
model_verdict(const struct model *m, const uint8_t *fr, uint32_t dl,
	      uint32_t fl, int *cls, int *v)
{
	uint32_t tags = 0, i;

	*cls = RTE_PMD_VPAIR_PKT_OTHERHOST;
	if (dl > fl)
		dl = fl;
	if (fl < 14) {
		*v = VPAIR_L2_DROP_RUNT;
		return;
	}
	if (dl >= 14 && model_tpid(fr + 12)) {
		tags = 1;
		if (dl >= 18 && model_tpid(fr + 16))
			tags = 2;
	}
	if (fl > m->mtu + 14u + 4 * tags) {
		*v = VPAIR_L2_DROP_OVERSIZE;
		return;
	}
	if (dl >= 6) {
		if (memcmp(fr, &bcast, 6) == 0)
			*cls = RTE_PMD_VPAIR_PKT_BROADCAST;
		else if (fr[0] & 1)
			*cls = RTE_PMD_VPAIR_PKT_MULTICAST;
		else
			for (i = 0; i < VPAIR_L2_MAX_UC; i++)
				if (m->uc_ok[i] && memcmp(fr, &m->uc[i], 6) == 0)
					*cls = RTE_PMD_VPAIR_PKT_HOST;
	}
	*v = VPAIR_L2_PASS;
	if (*cls == RTE_PMD_VPAIR_PKT_OTHERHOST && !m->promisc)
		*v = VPAIR_L2_DROP_OTHERHOST;
	if (*cls == RTE_PMD_VPAIR_PKT_MULTICAST && !m->allmulti) {
		*v = VPAIR_L2_DROP_MCAST_FILTER;
		for (i = 0; i < m->nb_mc; i++)
			if (memcmp(fr, &m->mc[i], 6) == 0)
				*v = VPAIR_L2_PASS;
	}
}

static void
random_op(struct vpair_l2_filter *f, struct model *m)
{
	static const uint16_t mtus[] = { 0, 10, 46, 1500, 9000 };
	struct rte_ether_addr a, list[VPAIR_L2_MAX_MC + 2];
	uint32_t i, n;
	bool bad;

	switch (rnd(6)) {
	case 0:
		i = rnd(VPAIR_L2_MAX_UC + 1);
		a = rnd_addr(rnd(8) == 0);
		bad = i >= VPAIR_L2_MAX_UC || rte_is_multicast_ether_addr(&a);
		CHECK_EQ(vpair_l2_uc_set(f, i, &a), bad ? -EINVAL : 0);
		if (!bad) {
			m->uc[i] = a;
			m->uc_ok[i] = true;
		}
		break;
	case 1:
		i = rnd(VPAIR_L2_MAX_UC + 1);
		bad = i == 0 || i >= VPAIR_L2_MAX_UC;
		CHECK_EQ(vpair_l2_uc_clear(f, i), bad ? -EINVAL : 0);
		if (!bad)
			m->uc_ok[i] = false;
		break;
	case 2:
		n = rnd(8) == 0 ? rnd(VPAIR_L2_MAX_MC + 2) : rnd(6);
		bad = false;
		for (i = 0; i < n; i++) {
			list[i] = rnd_addr(rnd(16) != 0);
			bad |= !rte_is_multicast_ether_addr(&list[i]);
		}
		CHECK_EQ(vpair_l2_mc_set(f, list, n),
			 n > VPAIR_L2_MAX_MC ? -ENOSPC : bad ? -EINVAL : 0);
		if (n <= VPAIR_L2_MAX_MC && !bad) {
			memcpy(m->mc, list, n * sizeof(list[0]));
			m->nb_mc = n;
		}
		break;
	case 3:
		m->promisc = rnd(2);
		vpair_l2_set_promisc(f, m->promisc);
		break;
	case 4:
		m->allmulti = rnd(2);
		vpair_l2_set_allmulti(f, m->allmulti);
		break;
	default:
		m->mtu = mtus[rnd(RTE_DIM(mtus))];
		vpair_l2_set_mtu(f, m->mtu);
		break;
	}
}

static void
test_random(void)
{
	static const uint16_t types[] = { 0x8100, 0x88a8, 0x9100, 0x9200,
		0x0800, 0x86dd, 0x8181 };
	struct vpair_l2_filter f;
	struct model m;
	struct rte_ether_addr a;
	int iter, exp_cls, exp_v, got;
	uint32_t fl, dl, i;
	uint8_t cls;

	memset(&m, 0, sizeof(m));
	m.uc[0] = primary;
	m.uc_ok[0] = true;
	m.mtu = MTU;
	vpair_l2_filter_init(&f, &primary, MTU);

	for (iter = 0; iter < 50000; iter++) {
		if (rnd(4) == 0)
			random_op(&f, &m);

		switch (rnd(6)) {
		case 0:
			a = m.uc[0];
			break;
		case 1:
			a = bcast;
			break;
		case 2:
			a = m.nb_mc ? m.mc[rnd(m.nb_mc)] : rnd_addr(true);
			break;
		default:
			a = rnd_addr(rnd(3) == 0);
			break;
		}
		memcpy(frame, &a, 6);
		for (i = 6; i < 64; i++)
			frame[i] = rnd(256);
		for (i = 12; i < 24 && rnd(3) != 0; i += 4) {
			uint16_t t = types[rnd(RTE_DIM(types))];

			frame[i] = t >> 8;
			frame[i + 1] = t & 0xff;
		}
		switch (rnd(3)) {
		case 0:
			fl = rnd(40);
			break;
		case 1:
			fl = m.mtu + 14 + rnd(12) - 2;
			break;
		default:
			fl = rnd(12000);
			break;
		}
		dl = rnd(4) == 0 ? rnd(RTE_MIN(fl, 60u) + 4) : RTE_MIN(fl, 64u);

		model_verdict(&m, frame, dl, fl, &exp_cls, &exp_v);
		UNIT_CTX("random iter %d fl %u dl %u mtu %u promisc %d allmulti %d",
			 iter, fl, dl, m.mtu, m.promisc, m.allmulti);
		got = run(&f, dl, fl, &cls);
		CHECK_EQ(got, exp_v);
		CHECK_EQ(cls, exp_cls);
	}
}

int
main(void)
{
	test_init();
	test_matrix();
	test_unicast();
	test_multicast();
	test_lengths();
	test_short();
	test_no_read();
	test_class_numbers();
	test_random();
	unit_ctx[0] = '\0';
	return unit_done("unit-l2");
}
