/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/* Probe, remove, hotplug, bad devargs, and one side's control path under the other's traffic. */

#include <string.h>

#include <rte_bus.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "vpair_test.h"

VT_CASE(bad_devargs)
{
	static const struct {
		const char *devargs;
		const char *must_log;	/* the key and the value are named */
	} bad[] = {
		{ "bogus=1", "bogus=1" },
		{ "mac_a=zz", "mac_a=zz" },
		{ "mac_b=02:00:00:00:00", "mac_b=02:00:00:00:00" },
		{ "mac_a=01:00:5e:00:00:01", "mac_a=01:00:5e:00:00:01" },	/* multicast */
		{ "mac_b=00:00:00:00:00:00", "mac_b=00:00:00:00:00:00" },
		{ "max_queues=0", "max_queues=0" },
		{ "max_queues=65", "max_queues=65" },
		{ "max_queues=-1", "max_queues=-1" },
		{ "max_queues=4x", "max_queues=4x" },
		/* Plain decimal only. */
		{ "max_queues=0x10", "max_queues=0x10" },
		{ "max_queues=+16", "max_queues=+16" },
		{ "max_queues= 16", "max_queues= 16" },
		{ "max_desc=1e3", "max_desc=1e3" },
		{ "max_queues=99999999999999999999", "max_queues=99999999999999999999" },
		{ "max_queues=", "max_queues" },
		{ "max_desc=1000", "max_desc=1000" },	/* not a power of two */
		{ "max_desc=16", "max_desc=16" },
		{ "max_desc=65536", "max_desc=65536" },
		{ "max_desc=99999999999999999999", "max_desc=99999999999999999999" },
		{ "mac_a=02:00:00:00:00:01,mac_a=02:00:00:00:00:02", "mac_a" },
		{ "max_queues=2,mac_b=xx", "mac_b=xx" },	/* a later bad key after a good one */
		{ "mac_a=02:00:00:00:00:07,mac_b=02:00:00:00:00:07", "same address" },
	};
	struct vt_footprint before;
	unsigned int i;
	uint16_t a, b;

	/* One good pair first: a failed probe must not disturb what exists. */
	CHECK_OK(vt_pair_up("net_vpair9", NULL, &a, &b));
	vt_footprint_get(&before);
	for (i = 0; i < RTE_DIM(bad); i++) {
		int ret;

		vt_log_capture();
		ret = rte_pmd_vpair_create("net_vpair0", bad[i].devargs, NULL, NULL);
		if (ret >= 0)
			fprintf(stderr, "devargs \"%s\" accepted\n", bad[i].devargs);
		CHECK(ret < 0);
		if (strstr(vt_log_text(), bad[i].must_log) == NULL)
			fprintf(stderr, "log does not name \"%s\"\n", bad[i].must_log);
		CHECK(strstr(vt_log_text(), bad[i].must_log) != NULL);
		CHECK(vt_footprint_same(&before) == 0);
		CHECK(!rte_eth_dev_is_valid_port(before.ports));
	}
	/* A name too long for the memzone is refused as clearly. */
	vt_log_capture();
	CHECK(rte_pmd_vpair_create("net_vpair_a_name_much_too_long_for_it", NULL, NULL, NULL) < 0);
	CHECK(strstr(vt_log_text(), "too long") != NULL);
	CHECK(vt_footprint_same(&before) == 0);
	CHECK(rte_pmd_vpair_create("net_other", NULL, NULL, NULL) == -EINVAL);

	/* The pair that was there works as before. */
	CHECK_EQ(rte_eth_dev_count_avail(), 2);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair9"));
	return 0;
}

/* Leading zeros are decimal, not octal. */
VT_CASE(devargs_decimal)
{
	struct rte_eth_dev_info info;
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", "max_queues=010,max_desc=0064", &a, &b));
	CHECK_OK(rte_eth_dev_info_get(a, &info));
	CHECK_EQ(info.max_rx_queues, 10);
	CHECK_EQ(info.tx_desc_lim.nb_max, 64);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/*
 * A port's name given as a device name, and a device whose default MACs another port
 * already has, are refused with what to do instead; what exists is left as it was.
 */
VT_CASE(names_refused)
{
	struct vt_footprint before;
	struct rte_ether_addr mac;
	uint16_t a, b, a2, b2;

	CHECK_OK(vt_pair_up("net_vpair1", NULL, &a, &b));
	vt_footprint_get(&before);

	vt_log_capture();
	CHECK_EQ(rte_pmd_vpair_create("net_vpair1_b", NULL, NULL, NULL), -EINVAL);
	CHECK(strstr(vt_log_text(), "net_vpair1_b is the name of port") != NULL);
	CHECK(strstr(vt_log_text(), "class=eth,mac=02:76:70:00:01:0b") != NULL);
	CHECK(vt_footprint_same(&before) == 0);
	/* What OVS does with it: rte_dev_probe, refused as well. */
	CHECK(rte_dev_probe("net_vpair1_a") < 0);
	CHECK(vt_footprint_same(&before) == 0);

	/* net_vpair01 and eth_vpair1 would both default to net_vpair1's addresses. */
	vt_log_capture();
	CHECK_EQ(rte_pmd_vpair_create("net_vpair01", NULL, NULL, NULL), -EADDRINUSE);
	CHECK(strstr(vt_log_text(), "02:76:70:00:01:0a") != NULL);
	CHECK(strstr(vt_log_text(), "mac_a") != NULL);
	CHECK_EQ(rte_pmd_vpair_create("eth_vpair1", "mac_a=02:00:00:00:00:01", NULL, NULL),
		-EADDRINUSE);
	CHECK(strstr(vt_log_text(), "mac_b") != NULL);
	CHECK(vt_footprint_same(&before) == 0);
	/* With addresses of its own it is welcome, and so is a name whose ports are new. */
	CHECK_OK(rte_pmd_vpair_create("net_vpair01",
		"mac_a=02:00:00:00:00:01,mac_b=02:00:00:00:00:02", &a2, &b2));
	CHECK_OK(rte_eth_macaddr_get(b2, &mac));
	CHECK(rte_is_same_ether_addr(&mac, &(struct rte_ether_addr){{ 2, 0, 0, 0, 0, 2 }}));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair01"));
	CHECK_OK(rte_pmd_vpair_create("net_vpair1_c", NULL, &a2, &b2));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair1_c"));

	CHECK_OK(rte_pmd_vpair_destroy("net_vpair1"));
	return 0;
}

/* Create and remove 100 times, with traffic left in flight: nothing may leak. */
VT_CASE(probe_remove_100)
{
	struct vt_footprint before;
	struct rte_mbuf *burst[8];
	unsigned int round, i;
	uint16_t a, b;

	/* Warm up once: the first ethdev use allocates ethdev's own tables for good. */
	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	vt_footprint_get(&before);

	for (round = 0; round < 100; round++) {
		CHECK_OK(vt_pair_up("net_vpair0", round % 2 ? "max_queues=4" : NULL, &a, &b));
		for (i = 0; i < 8; i++)
			burst[i] = vt_frame_to(a, b, i, 64);
		CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 8), 8);
		for (i = 0; i < 3; i++)
			burst[i] = vt_frame_to(b, a, i, 64);
		CHECK_EQ(rte_eth_tx_burst(b, 0, burst, 3), 3);
		CHECK_EQ(vt_rx_wait(b, 0, burst, 2), 2);	/* take some, leave the rest */
		rte_pktmbuf_free_bulk(burst, 2);
		if (round % 3 == 0)
			CHECK_OK(rte_eth_dev_stop(a));	/* a mix of stopped and running ports */
		CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
		CHECK_EQ(rte_mempool_avail_count(vt_pool), VT_POOL_SIZE);
	}
	CHECK(vt_footprint_same(&before) == 0);
	return 0;
}

VT_CASE(hotplug)
{
	struct vt_footprint before;
	struct rte_mbuf *m;
	struct rte_dev_iterator it;
	struct rte_eth_dev_info info;
	uint16_t a, b, port, found = 0;

	/* Warm up once: the first ethdev use allocates ethdev's own tables for good. */
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, NULL, NULL));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	vt_footprint_get(&before);
	CHECK_OK(rte_dev_probe("net_vpair1,mac_a=02:00:00:00:01:0a,max_queues=2"));
	CHECK_OK(rte_pmd_vpair_get_ports("net_vpair1", &a, &b));
	/* What OVS-DPDK does to find the second port: class=eth,mac=... */
	RTE_ETH_FOREACH_MATCHING_DEV(port, "class=eth,mac=02:76:70:00:01:0b", &it)
		found = port == b ? found + 1 : 100;
	CHECK_EQ(found, 1);
	CHECK_OK(vt_port_setup(a, 1, 1, 256, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 256, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	m = vt_frame_to(b, a, 5, 64);
	CHECK_EQ(rte_eth_tx_burst(b, 0, &m, 1), 1);
	CHECK_EQ(vt_rx_wait(a, 0, &m, 1), 1);
	CHECK_EQ(vt_seq(m), 5);
	rte_pktmbuf_free(m);
	/* Probing the same name again changes nothing. */
	rte_dev_probe("net_vpair1");
	CHECK_EQ(rte_eth_dev_count_avail(), 2);
	CHECK_OK(rte_pmd_vpair_get_ports("net_vpair1", &port, NULL));
	CHECK_EQ(port, a);
	CHECK_OK(rte_eth_dev_info_get(a, &info));
	CHECK_OK(rte_dev_remove(info.device));
	CHECK(!rte_eth_dev_is_valid_port(a));
	CHECK(!rte_eth_dev_is_valid_port(b));
	CHECK(vt_footprint_same(&before) == 0);
	return 0;
}

/* The peer keeps sending and receiving while this side is stopped, reconfigured, closed. */
struct traffic {
	uint16_t port;
	volatile bool stop;
	uint64_t sent, received;
};

static int
traffic_loop(void *arg)
{
	struct traffic *t = arg;
	struct rte_mbuf *burst[32];
	uint32_t seq = 0;

	while (!t->stop) {
		uint16_t n = 0, sent, got;

		while (n < RTE_DIM(burst)) {
			burst[n] = vt_frame(&(struct rte_ether_addr){{ 0x02, 0, 0, 0, 0, 1 }},
				&(struct rte_ether_addr){{ 0x02, 0, 0, 0, 0, 2 }}, seq++, 64);
			if (burst[n] == NULL)
				break;
			n++;
		}
		sent = rte_eth_tx_burst(t->port, 0, burst, n);
		rte_pktmbuf_free_bulk(burst + sent, n - sent);
		t->sent += sent;
		got = rte_eth_rx_burst(t->port, 0, burst, RTE_DIM(burst));
		rte_pktmbuf_free_bulk(burst, got);
		__atomic_store_n(&t->received, t->received + got, __ATOMIC_RELAXED);
	}
	return 0;
}

static int
drain(uint16_t port, uint16_t nb_rxq)
{
	struct rte_mbuf *burst[32];
	uint16_t q, n;
	int total = 0;

	for (q = 0; q < nb_rxq; q++) {
		while ((n = rte_eth_rx_burst(port, q, burst, RTE_DIM(burst))) > 0) {
			rte_pktmbuf_free_bulk(burst, n);
			total += n;
		}
	}
	return total;
}

static uint64_t
received(const struct traffic *t)
{
	return __atomic_load_n(&t->received, __ATOMIC_RELAXED);
}

/* The control-path side of peer_keeps_running, on the main lcore. */
static int
churn(struct traffic *t, uint16_t a, uint16_t b)
{
	uint64_t received_before;
	unsigned int round;

	/* a receives for a while, then is stopped and reconfigured under b's traffic. */
	for (round = 0; round < 200; round++) {
		uint16_t nb_q = 1 + round % 8;
		uint16_t nb_desc = 64 << (round % 6);

		CHECK_OK(rte_eth_dev_stop(a));
		CHECK_OK(vt_port_setup(a, nb_q, 9 - nb_q, nb_desc, false));
		CHECK_OK(rte_eth_dev_start(a));
		drain(a, nb_q);
	}
	received_before = received(t);
	/* a's own sending reaches b. */
	{
		struct rte_mbuf *m = vt_frame_to(a, b, 1, 64);
		uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz();

		CHECK_EQ(rte_eth_tx_burst(a, 0, &m, 1), 1);
		while (received(t) == received_before && rte_get_timer_cycles() < deadline)
			;
		CHECK(received(t) > received_before);
	}

	/* Close a while b still sends and polls: b must not crash, its sends are refused. */
	CHECK_OK(rte_eth_dev_stop(a));
	CHECK_OK(rte_eth_dev_close(a));
	rte_delay_us_sleep(20 * 1000);
	return 0;
}

VT_CASE(peer_keeps_running)
{
	struct traffic t = { 0 };
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	uint16_t a, b;
	int ret;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", "max_queues=8,max_desc=2048", &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 512, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_dev_start(a));
	t.port = b;
	CHECK_OK(rte_eal_remote_launch(traffic_loop, &t, worker));
	ret = churn(&t, a, b);
	t.stop = true;
	CHECK_OK(rte_eal_wait_lcore(worker));
	CHECK_OK(ret);
	CHECK(t.sent > 0);
	CHECK(vt_xstat(b, "tx_link_down_errors") > 0);

	/* The survivor is usable: reconfigure, restart, stop, close. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(vt_port_setup(b, 2, 2, 128, false));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(drain(b, 2), 0);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

static int
port_of(const char *name, uint16_t *port)
{
	return rte_eth_dev_get_port_by_name(name, port);
}

static int
send_and_receive(uint16_t from, uint16_t to, uint32_t seq)
{
	struct rte_mbuf *m = vt_frame_to(from, to, seq, 64);

	CHECK_EQ(rte_eth_tx_burst(from, 0, &m, 1), 1);
	CHECK_EQ(vt_rx_wait(to, 0, &m, 1), 1);
	CHECK_EQ(vt_seq(m), seq);
	rte_pktmbuf_free(m);
	return 0;
}

/* rte_dev_remove() of the device that owns port. */
static int
remove_device_of(uint16_t port)
{
	struct rte_eth_dev_info info;

	CHECK_OK(rte_eth_dev_info_get(port, &info));
	CHECK_OK(rte_dev_remove(info.device));
	return 0;
}

static int
start_port(uint16_t port)
{
	CHECK_OK(vt_port_setup(port, 1, 1, 256, false));
	CHECK_OK(rte_eth_dev_start(port));
	return 0;
}

/*
 * NAME_a and NAME_b as devices of their own, the way OVS-DPDK hot-plugs each port: any
 * order, either removed and probed again while the other runs, with the same MAC.
 */
VT_CASE(port_devices)
{
	const struct rte_ether_addr mac_a = {{ 0x02, 0x76, 0x70, 0x00, 0x03, 0x0a }};
	const struct rte_ether_addr mac_b = {{ 0x02, 0x76, 0x70, 0x00, 0x03, 0x0b }};
	struct rte_ether_addr mac;
	struct rte_eth_stats st;
	struct vt_footprint before;
	uint16_t a, b, peer, a2, b2;

	/* Warm up once: the first ethdev use allocates ethdev's own tables for good. */
	CHECK_OK(rte_pmd_vpair_create("net_vpair9", NULL, NULL, NULL));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair9"));
	vt_footprint_get(&before);

	/* b first: alone, its link down, no peer yet. */
	CHECK_OK(rte_dev_probe("net_vpair3_b"));
	CHECK_OK(port_of("net_vpair3_b", &b));
	CHECK_OK(rte_eth_macaddr_get(b, &mac));
	CHECK(rte_is_same_ether_addr(&mac, &mac_b));
	CHECK_EQ(rte_pmd_vpair_get_peer(b, &peer), -ENODEV);
	CHECK(start_port(b) == 0);
	/* Then a joins; devargs that contradict the pair are refused, naming it. */
	vt_log_capture();
	CHECK(rte_dev_probe("net_vpair3_a,max_queues=4") < 0);
	CHECK(strstr(vt_log_text(), "max_queues=4, but pair net_vpair3 has 16") != NULL);
	CHECK(rte_dev_probe("net_vpair3_a,csum_partial=1") < 0);
	CHECK(strstr(vt_log_text(), "csum_partial=1, but pair net_vpair3 has 0") != NULL);
	CHECK(rte_dev_probe("net_vpair3") < 0);
	CHECK(strstr(vt_log_text(), "net_vpair3_a and net_vpair3_b") != NULL);
	CHECK_OK(rte_dev_probe("net_vpair3_a,max_queues=16"));
	CHECK_OK(port_of("net_vpair3_a", &a));
	CHECK_OK(rte_eth_macaddr_get(a, &mac));
	CHECK(rte_is_same_ether_addr(&mac, &mac_a));
	CHECK_OK(rte_pmd_vpair_get_peer(a, &peer));
	CHECK_EQ(peer, b);
	CHECK_OK(rte_pmd_vpair_get_ports("net_vpair3", &a2, &b2));
	CHECK(a2 == a && b2 == b);
	CHECK(start_port(a) == 0);
	CHECK(send_and_receive(a, b, 1) == 0);
	CHECK(send_and_receive(b, a, 2) == 0);

	/* a goes while b runs: b's link drops, what a sent stays for b. */
	CHECK_EQ(rte_eth_tx_burst(a, 0, (struct rte_mbuf *[]){ vt_frame_to(a, b, 3, 64) }, 1), 1);
	CHECK(remove_device_of(a) == 0);
	CHECK(!rte_eth_dev_is_valid_port(a));
	CHECK_EQ(rte_pmd_vpair_get_peer(b, &peer), -ENODEV);
	{
		struct rte_eth_link link;
		struct rte_mbuf *m;

		CHECK_OK(rte_eth_link_get_nowait(b, &link));
		CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);

		CHECK_EQ(vt_rx_wait(b, 0, &m, 1), 1);
		CHECK_EQ(vt_seq(m), 3);
		CHECK_EQ(rte_eth_tx_burst(b, 0, &m, 1), 0);
		rte_pktmbuf_free(m);
		CHECK_EQ(vt_xstat(b, "tx_link_down_errors"), 1);
	}

	/* a again: same MAC, its counters where they were, so the identity holds throughout. */
	CHECK_OK(rte_dev_probe("net_vpair3_a"));
	CHECK_OK(port_of("net_vpair3_a", &a));
	CHECK_OK(rte_eth_macaddr_get(a, &mac));
	CHECK(rte_is_same_ether_addr(&mac, &mac_a));
	CHECK_OK(rte_eth_stats_get(a, &st));
	CHECK_EQ(st.opackets, 2);
	CHECK_EQ(st.ipackets, 1);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK(start_port(a) == 0);
	CHECK(send_and_receive(a, b, 4) == 0);
	CHECK(send_and_receive(b, a, 5) == 0);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);

	/* Both go, in the other order: the pair with the last. */
	CHECK(remove_device_of(b) == 0);
	CHECK(remove_device_of(a) == 0);
	CHECK(vt_footprint_same(&before) == 0);

	/* A two-port device lends a closed port to a device of its own, and keeps the other. */
	CHECK_OK(rte_pmd_vpair_create("net_vpair5", NULL, &a, &b));
	CHECK_OK(rte_eth_dev_close(a));
	CHECK_OK(rte_dev_probe("net_vpair5_a"));
	CHECK_OK(port_of("net_vpair5_a", &a));
	CHECK(start_port(a) == 0);
	CHECK(start_port(b) == 0);
	CHECK(send_and_receive(b, a, 7) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair5"));
	CHECK(rte_eth_dev_is_valid_port(a));
	CHECK(!rte_eth_dev_is_valid_port(b));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair5_a"));
	CHECK(vt_footprint_same(&before) == 0);
	return 0;
}
