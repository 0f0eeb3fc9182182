/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/* Link follows both ports, like veth's carrier; LSC events reach the port that did not act. */

#include <pthread.h>

#include <rte_cycles.h>
#include <rte_memzone.h>

#include "vpair_test.h"

static unsigned int lsc_events[RTE_MAX_ETHPORTS];
static pthread_t lsc_thread[RTE_MAX_ETHPORTS];

static int
on_lsc(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	__atomic_add_fetch(&lsc_events[port], 1, __ATOMIC_RELAXED);
	lsc_thread[port] = pthread_self();
	return 0;
}

static unsigned int
events(uint16_t port)
{
	return __atomic_load_n(&lsc_events[port], __ATOMIC_RELAXED);
}

/* Wait long enough for any pending alarm to have fired, then read the count. */
static unsigned int
events_settled(uint16_t port, unsigned int expect)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 2;

	while (events(port) < expect && rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(1000);
	rte_delay_us_sleep(20 * 1000);	/* an extra event would show up by now */
	return events(port);
}

static int
link_up(uint16_t port)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port, &link) != 0)
		return -1;
	return link.link_status == RTE_ETH_LINK_UP;
}

static int
check_refused(uint16_t from, uint16_t to, uint64_t *refused)
{
	struct rte_mbuf *m = vt_frame_to(from, to, 7, 64);

	CHECK(m != NULL);
	CHECK_EQ(rte_eth_tx_burst(from, 0, &m, 1), 0);
	rte_pktmbuf_free(m);
	(*refused)++;
	CHECK_EQ(vt_xstat(from, "tx_link_down_errors"), *refused);
	return 0;
}

VT_CASE(link_and_lsc)
{
	struct rte_eth_link link;
	struct rte_mbuf *m;
	uint64_t refused_a = 0;
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 512, true));
	CHECK_OK(vt_port_setup(b, 1, 1, 512, true));
	CHECK_OK(rte_eth_dev_callback_register(a, RTE_ETH_EVENT_INTR_LSC, on_lsc, NULL));
	CHECK_OK(rte_eth_dev_callback_register(b, RTE_ETH_EVENT_INTR_LSC, on_lsc, NULL));

	/* One side started: no carrier, and sending is refused. */
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_EQ(link_up(a), 0);
	CHECK_EQ(link_up(b), 0);
	CHECK(check_refused(a, b, &refused_a) == 0);

	/* Both started: up on both sides; a gets the event, b (which acted) does not. */
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(link_up(a), 1);
	CHECK_EQ(link_up(b), 1);
	CHECK_EQ(events_settled(a, 1), 1);
	CHECK_EQ(events_settled(b, 0), 0);
	CHECK(!pthread_equal(lsc_thread[a], pthread_self()));	/* not from inside our call */
	CHECK_OK(rte_eth_link_get(a, &link));
	CHECK_EQ(link.link_speed, RTE_ETH_SPEED_NUM_10G);
	CHECK_EQ(link.link_duplex, RTE_ETH_LINK_FULL_DUPLEX);
	m = vt_frame_to(a, b, 1, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, &m, 1), 1);
	CHECK_EQ(vt_rx_wait(b, 0, &m, 1), 1);
	rte_pktmbuf_free(m);

	/* Peer stopped: refused and counted, down on both, one event for a. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_EQ(link_up(a), 0);
	CHECK_EQ(link_up(b), 0);
	CHECK(check_refused(a, b, &refused_a) == 0);
	CHECK(check_refused(a, b, &refused_a) == 0);
	CHECK_EQ(events_settled(a, 2), 2);
	CHECK_EQ(events_settled(b, 0), 0);

	/* Restart brings both up. */
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(link_up(a), 1);
	CHECK_EQ(link_up(b), 1);
	CHECK_EQ(events_settled(a, 3), 3);

	/* Now a acts: b hears of it, once per change. */
	CHECK_OK(rte_eth_dev_stop(a));
	CHECK_EQ(events_settled(b, 1), 1);
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_EQ(events_settled(b, 2), 2);
	CHECK_EQ(events_settled(a, 3), 3);

	/* Administrative down on one side takes the carrier away, like ip link set down. */
	CHECK_OK(rte_eth_dev_set_link_down(b));
	CHECK_EQ(link_up(a), 0);
	CHECK_EQ(link_up(b), 0);
	CHECK_EQ(events_settled(a, 4), 4);
	CHECK(check_refused(a, b, &refused_a) == 0);
	CHECK_OK(rte_eth_dev_set_link_up(b));
	CHECK_EQ(link_up(a), 1);
	CHECK_EQ(events_settled(a, 5), 5);
	CHECK_EQ(events_settled(b, 2), 2);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);

	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/* Without intr_conf.lsc no event is raised, but the link still reads right. */
VT_CASE(link_no_lsc)
{
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 512, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_callback_register(a, RTE_ETH_EVENT_INTR_LSC, on_lsc, NULL));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(link_up(a), 1);
	CHECK_EQ(events_settled(a, 0), 0);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_EQ(link_up(a), 0);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/*
 * Packets left in a ring are freed once, by the receiving side, when it stops or closes,
 * and counted. Closing one port leaves the other usable; the memory goes with the second.
 */
VT_CASE(flush_and_close_one)
{
	struct rte_mbuf *burst[16];
	unsigned int mz_pair;
	uint16_t a, b, i;

	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	mz_pair = vt_memzone_count();
	for (i = 0; i < 16; i++)
		burst[i] = vt_frame_to(a, b, i, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, burst, 16), 16);
	for (i = 0; i < 5; i++)
		burst[i] = vt_frame_to(b, a, i, 64);
	CHECK_EQ(rte_eth_tx_burst(b, 0, burst, 5), 5);

	/* b stops: the 16 waiting for it are freed and counted on b. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_EQ(vt_xstat(b, "rx_flushed_dropped"), 16);
	CHECK_EQ(vt_xstat(a, "rx_flushed_dropped"), 0);
	CHECK_EQ(rte_mempool_avail_count(vt_pool), VT_POOL_SIZE - 5);

	/* a closes with 5 waiting for it: freed; b stays usable, link down. */
	CHECK_OK(rte_eth_dev_stop(a));
	CHECK_EQ(vt_xstat(a, "rx_flushed_dropped"), 5);
	/* Both stopped, what was in flight is counted as flushed on each side. */
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_eth_dev_close(a));
	CHECK(!rte_eth_dev_is_valid_port(a));
	CHECK_EQ(rte_mempool_avail_count(vt_pool), VT_POOL_SIZE);
	CHECK_EQ(vt_memzone_count(), mz_pair);
	CHECK_EQ(rte_pmd_vpair_get_peer(b, NULL), -ENODEV);
	CHECK_OK(vt_port_setup(b, 2, 2, 256, false));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(link_up(b), 0);
	burst[0] = vt_frame_to(b, b, 0, 64);
	CHECK_EQ(rte_eth_tx_burst(b, 0, burst, 1), 0);
	CHECK_EQ(vt_xstat(b, "tx_link_down_errors"), 1);
	rte_pktmbuf_free(burst[0]);
	CHECK_EQ(rte_eth_rx_burst(b, 0, burst, 1), 0);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_close(b));
	CHECK_EQ(vt_memzone_count(), mz_pair - 1);
	/* Removing the device once its ports are gone is fine, and frees nothing twice. */
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}
