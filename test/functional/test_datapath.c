/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/* Delivery, queue mapping, ring capacity and counters. */

#include <string.h>

#include "vpair_test.h"

#define BURST 32

/* Send BURST frames from `from` and check the peer gets exactly them, in order. */
static int
check_delivery(uint16_t from, uint16_t to)
{
	struct rte_mbuf *sent[BURST], *got[BURST];
	struct rte_eth_stats tx_stats, rx_stats;
	uint64_t bytes = 0;
	unsigned int i;

	CHECK_OK(rte_eth_stats_reset(from));
	CHECK_OK(rte_eth_stats_reset(to));
	for (i = 0; i < BURST; i++) {
		sent[i] = vt_frame_to(from, to, 1000 + i, 60 + i);
		CHECK(sent[i] != NULL);
		bytes += 60 + i;
	}
	CHECK_EQ(rte_eth_tx_burst(from, 0, sent, BURST), BURST);
	CHECK_EQ(vt_rx_wait(to, 0, got, BURST), BURST);
	for (i = 0; i < BURST; i++) {
		CHECK(got[i] == sent[i]);	/* zero copy: the very same mbuf */
		CHECK_EQ(got[i]->port, to);
		CHECK_EQ(got[i]->pkt_len, 60 + i);
		CHECK_EQ(vt_seq(got[i]), 1000 + i);
		CHECK_EQ(rte_pktmbuf_mtod_offset(got[i], uint8_t *, 59)[0], (uint8_t)(1000 + i + 59));
	}
	CHECK_EQ(rte_eth_rx_burst(to, 0, got, BURST), 0);
	rte_pktmbuf_free_bulk(got, BURST);

	CHECK_OK(rte_eth_stats_get(from, &tx_stats));
	CHECK_OK(rte_eth_stats_get(to, &rx_stats));
	CHECK_EQ(tx_stats.opackets, BURST);
	CHECK_EQ(tx_stats.obytes, bytes);
	CHECK_EQ(tx_stats.q_opackets[0], BURST);
	CHECK_EQ(tx_stats.q_obytes[0], bytes);
	CHECK_EQ(tx_stats.oerrors, 0);
	CHECK_EQ(tx_stats.ipackets, 0);
	CHECK_EQ(rx_stats.ipackets, BURST);
	CHECK_EQ(rx_stats.ibytes, bytes);
	CHECK_EQ(rx_stats.q_ipackets[0], BURST);
	CHECK_EQ(rx_stats.q_ibytes[0], bytes);
	CHECK_EQ(rx_stats.opackets, 0);
	return 0;
}

VT_CASE(delivery)
{
	uint16_t a, b;

	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	CHECK(check_delivery(a, b) == 0);
	CHECK(check_delivery(b, a) == 0);
	/* Many bursts, in order across them. */
	CHECK(check_delivery(a, b) == 0);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(!rte_eth_dev_is_valid_port(a));
	CHECK(!rte_eth_dev_is_valid_port(b));
	return 0;
}

VT_CASE(names_and_macs)
{
	struct rte_ether_addr mac[4];
	const struct rte_ether_addr want0a = {{ 0x02, 0x76, 0x70, 0x00, 0x00, 0x0a }};
	const struct rte_ether_addr want0b = {{ 0x02, 0x76, 0x70, 0x00, 0x00, 0x0b }};
	const struct rte_ether_addr want_set = {{ 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a }};
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t p[4], peer;
	unsigned int i, j;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &p[0], &p[1]));
	CHECK_OK(rte_pmd_vpair_create("net_vpair1", "mac_b=02:12:34:56:78:9a", &p[2], &p[3]));
	CHECK(p[0] < p[1]);	/* A is allocated first */
	CHECK_OK(rte_eth_dev_get_name_by_port(p[0], name));
	CHECK(strcmp(name, "net_vpair0_a") == 0);
	CHECK_OK(rte_eth_dev_get_name_by_port(p[1], name));
	CHECK(strcmp(name, "net_vpair0_b") == 0);
	CHECK_OK(rte_pmd_vpair_get_peer(p[0], &peer));
	CHECK_EQ(peer, p[1]);
	CHECK_OK(rte_pmd_vpair_get_peer(p[3], &peer));
	CHECK_EQ(peer, p[2]);

	for (i = 0; i < 4; i++)
		CHECK_OK(rte_eth_macaddr_get(p[i], &mac[i]));
	CHECK(rte_is_same_ether_addr(&mac[0], &want0a));
	CHECK(rte_is_same_ether_addr(&mac[1], &want0b));
	CHECK(rte_is_same_ether_addr(&mac[3], &want_set));
	for (i = 0; i < 4; i++) {
		CHECK(rte_is_unicast_ether_addr(&mac[i]));
		CHECK(rte_is_local_admin_ether_addr(&mac[i]));
		for (j = 0; j < i; j++)
			CHECK(!rte_is_same_ether_addr(&mac[i], &mac[j]));
	}
	/* Predictable: the same name gives the same MACs after re-creation. */
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &p[0], &p[1]));
	CHECK_OK(rte_eth_macaddr_get(p[1], &mac[1]));
	CHECK(rte_is_same_ether_addr(&mac[1], &want0b));
	/* Names without a number still get distinct, local, unicast MACs. */
	CHECK_OK(rte_pmd_vpair_create("net_vpair_x", NULL, &p[2], &p[3]));
	CHECK_OK(rte_eth_macaddr_get(p[2], &mac[2]));
	CHECK_OK(rte_eth_macaddr_get(p[3], &mac[3]));
	CHECK(!rte_is_same_ether_addr(&mac[2], &mac[3]));
	CHECK(rte_is_local_admin_ether_addr(&mac[2]) && rte_is_unicast_ether_addr(&mac[2]));
	CHECK(!rte_is_same_ether_addr(&mac[2], &want0a));
	CHECK(vt_check_identity(p[0], p[1]) == 0);
	CHECK(vt_check_identity(p[1], p[0]) == 0);
	CHECK(vt_check_identity(p[2], p[3]) == 0);
	CHECK(vt_check_identity(p[3], p[2]) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair1"));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair_x"));
	return 0;
}

/* Tx queue t of `from` must land on rx queue t mod nb_rxq of `to`. */
static int
check_mapping(uint16_t from, uint16_t nb_txq, uint16_t to, uint16_t nb_rxq)
{
	struct rte_mbuf *m, *got[BURST];
	uint16_t t, r, n, i;

	CHECK_OK(vt_port_setup(from, nb_rxq, nb_txq, 256, false));
	CHECK_OK(vt_port_setup(to, nb_rxq, nb_txq, 256, false));
	CHECK_OK(rte_eth_dev_start(from));
	CHECK_OK(rte_eth_dev_start(to));

	/* Several packets per tx queue, so each rx queue sees its rings interleaved. */
	for (i = 0; i < 3; i++) {
		for (t = 0; t < nb_txq; t++) {
			m = vt_frame_to(from, to, t * 100 + i, 64);
			CHECK(m != NULL);
			CHECK_EQ(rte_eth_tx_burst(from, t, &m, 1), 1);
		}
	}
	for (r = 0; r < nb_rxq; r++) {
		uint16_t expect = 0;
		uint32_t next_seq[64] = { 0 };

		for (t = r; t < nb_txq; t += nb_rxq)
			expect += 3;
		n = vt_rx_wait(to, r, got, expect);
		CHECK_EQ(n, expect);
		CHECK_EQ(rte_eth_rx_burst(to, r, got + n, 1), 0);
		for (i = 0; i < n; i++) {
			uint32_t seq = vt_seq(got[i]);

			t = seq / 100;
			CHECK_EQ(t % nb_rxq, r);
			CHECK_EQ(seq % 100, next_seq[t]);	/* in order per tx queue */
			next_seq[t]++;
		}
		rte_pktmbuf_free_bulk(got, n);
	}
	CHECK_OK(rte_eth_dev_stop(from));
	CHECK_OK(rte_eth_dev_stop(to));
	return 0;
}

VT_CASE(multiqueue)
{
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK(check_mapping(a, 1, b, 1) == 0);
	CHECK(check_mapping(a, 4, b, 4) == 0);
	CHECK(check_mapping(a, 16, b, 16) == 0);
	CHECK(check_mapping(a, 4, b, 2) == 0);	/* more tx than peer rx queues */
	CHECK(check_mapping(a, 7, b, 3) == 0);
	CHECK(check_mapping(b, 16, a, 5) == 0);
	CHECK(check_mapping(a, 2, b, 8) == 0);	/* fewer: some rx queues stay idle */
	/* Back to fewer queues after more: nothing stranded, nothing crossed. */
	CHECK(check_mapping(a, 1, b, 1) == 0);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

VT_CASE(queue_limits)
{
	struct rte_eth_dev_info info;
	struct rte_eth_txq_info txq_info;
	struct rte_eth_rxq_info rxq_info;
	struct rte_eth_burst_mode mode;
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", "max_queues=4,max_desc=1024", &a, &b));
	CHECK_OK(rte_eth_dev_info_get(a, &info));
	CHECK_EQ(info.max_rx_queues, 4);
	CHECK_EQ(info.max_tx_queues, 4);
	CHECK_EQ(info.tx_desc_lim.nb_max, 1024);
	CHECK(info.tx_desc_lim.nb_min > 0 && info.tx_desc_lim.nb_min <= 64);
	CHECK(info.min_mtu > 0 && info.max_mtu >= 9000);
	CHECK(info.max_rx_pktlen > info.max_mtu);
	/* Any chain an mbuf can hold travels as it is. */
	CHECK_EQ(info.tx_desc_lim.nb_seg_max, RTE_MBUF_MAX_NB_SEGS);
	CHECK_EQ(info.tx_desc_lim.nb_mtu_seg_max, RTE_MBUF_MAX_NB_SEGS);
	CHECK(vt_port_setup(a, 5, 1, 256, false) != 0);
	CHECK(vt_port_setup(a, 1, 1, 2048, false) != 0);
	CHECK(vt_port_setup(a, 1, 1, 16, false) != 0);
	CHECK_OK(vt_port_setup(a, 4, 4, 1000, false));	/* not a power of two: exact */
	CHECK_OK(rte_eth_tx_queue_info_get(a, 3, &txq_info));
	CHECK_EQ(txq_info.nb_desc, 1000);
	CHECK_OK(rte_eth_rx_queue_info_get(a, 3, &rxq_info));
	CHECK_EQ(rxq_info.nb_desc, 1000);
	CHECK(rxq_info.mp == vt_pool);
	CHECK_OK(rte_eth_tx_burst_mode_get(a, 0, &mode));
	CHECK(strlen(mode.info) > 0);
	CHECK_OK(rte_eth_rx_burst_mode_get(a, 0, &mode));

	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK_EQ(rte_pmd_vpair_destroy("net_vpair0"), -ENODEV);
	CHECK_EQ(rte_pmd_vpair_destroy("net_null0"), -ENODEV);
	return 0;
}

/* A full ring accepts a prefix, the rest stays the caller's, and the shortfall is counted. */
VT_CASE(ring_full)
{
	struct rte_mbuf *burst[BURST], *got[BURST];
	struct rte_eth_stats stats;
	uint64_t accepted = 0, refused = 0;
	uint16_t a, b, n, i;
	unsigned int round;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 100, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));

	for (round = 0; round < 5; round++) {
		for (i = 0; i < BURST; i++) {
			burst[i] = vt_frame_to(a, b, round * BURST + i, 64);
			CHECK(burst[i] != NULL);
		}
		n = rte_eth_tx_burst(a, 0, burst, BURST);
		accepted += n;
		refused += BURST - n;
		/* What was refused is still ours, untouched. */
		for (i = n; i < BURST; i++)
			CHECK_EQ(vt_seq(burst[i]), round * BURST + i);
		rte_pktmbuf_free_bulk(burst + n, BURST - n);
	}
	CHECK_EQ(accepted, 100);	/* the capacity is nb_desc, exactly */
	CHECK_EQ(refused, 5 * BURST - 100);
	CHECK_EQ(vt_xstat(a, "tx_ring_full_errors"), refused);
	CHECK_OK(rte_eth_stats_get(a, &stats));
	CHECK_EQ(stats.opackets, accepted);
	/* Handed back, so still the caller's: not a failed transmission. */
	CHECK_EQ(stats.oerrors, 0);

	/* Draining makes room again; order is kept throughout. */
	for (i = 0; i < 100; i += n) {
		n = vt_rx_wait(b, 0, got, RTE_MIN(BURST, 100 - i));
		CHECK(n > 0);
		for (uint16_t k = 0; k < n; k++)
			CHECK_EQ(vt_seq(got[k]), i + k);
		rte_pktmbuf_free_bulk(got, n);
	}
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_eth_xstats_reset(a));
	CHECK_EQ(vt_xstat(a, "tx_ring_full_errors"), 0);
	CHECK_OK(rte_eth_stats_get(a, &stats));
	CHECK_EQ(stats.opackets, 0);
	CHECK_OK(rte_eth_stats_get(b, &stats));
	CHECK_EQ(stats.ipackets, 100);	/* the reset was for port a only */
	/* The identity needs both reset, with nothing in flight. */
	CHECK_OK(vt_stats_reset_pair(a, b));
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

VT_CASE(xstats_names)
{
	static const char * const want[] = {
		"tx_ring_full_errors", "tx_link_down_errors", "rx_flushed_dropped",
		"rx_good_packets", "tx_good_bytes", "rx_q0_packets", "tx_q0_bytes",
	};
	struct rte_eth_xstat_name names[256];
	int n, i;
	unsigned int w;
	uint16_t a, b;

	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	n = rte_eth_xstats_get_names(a, names, RTE_DIM(names));
	CHECK(n > 0 && n <= (int)RTE_DIM(names));
	for (w = 0; w < RTE_DIM(want); w++) {
		bool found = false;

		for (i = 0; i < n; i++)
			found |= strcmp(names[i].name, want[w]) == 0;
		if (!found)
			fprintf(stderr, "missing xstat %s\n", want[w]);
		CHECK(found);
	}
	/* Every drop reason is a counter OVS-DPDK shows: its name says _errors or _dropped. */
	for (i = 0; i < n; i++) {
		const char *s = names[i].name;
		size_t len = strlen(s);

		if (strstr(s, "_full") || strstr(s, "_down") || strstr(s, "flush"))
			CHECK((len > 7 && strcmp(s + len - 7, "_errors") == 0) ||
				(len > 8 && strcmp(s + len - 8, "_dropped") == 0));
	}
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

VT_CASE(control_ops)
{
	struct rte_ether_addr mac = {{ 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee }}, got;
	struct rte_ether_addr extra = {{ 0x02, 0x01, 0x02, 0x03, 0x04, 0x05 }};
	struct rte_ether_addr mc = {{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }};
	uint16_t a, b, mtu;

	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	CHECK_OK(rte_eth_dev_default_mac_addr_set(a, &mac));
	CHECK_OK(rte_eth_macaddr_get(a, &got));
	CHECK(rte_is_same_ether_addr(&mac, &got));
	CHECK_OK(rte_eth_dev_mac_addr_add(a, &extra, 0));
	CHECK_OK(rte_eth_dev_mac_addr_remove(a, &extra));
	CHECK_OK(rte_eth_dev_set_mc_addr_list(a, &mc, 1));
	CHECK_OK(rte_eth_dev_set_mc_addr_list(a, NULL, 0));
	CHECK_OK(rte_eth_promiscuous_enable(a));
	CHECK_EQ(rte_eth_promiscuous_get(a), 1);
	CHECK_OK(rte_eth_promiscuous_disable(a));
	CHECK_EQ(rte_eth_promiscuous_get(a), 0);
	CHECK_OK(rte_eth_allmulticast_enable(a));
	CHECK_EQ(rte_eth_allmulticast_get(a), 1);
	CHECK_OK(rte_eth_allmulticast_disable(a));
	CHECK_OK(rte_eth_dev_stop(a));
	CHECK_OK(rte_eth_dev_set_mtu(a, 9000));
	CHECK_OK(rte_eth_dev_get_mtu(a, &mtu));
	CHECK_EQ(mtu, 9000);
	CHECK(rte_eth_dev_set_mtu(a, 20) != 0);
	CHECK_OK(rte_eth_dev_start(a));
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}
