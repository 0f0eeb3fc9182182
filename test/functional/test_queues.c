/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Queues one by one: deferred start, rx and tx queue start and stop (nothing slips past an
 * rx queue stop either, under a sender on another lcore), descriptor status, port reset.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_epoll.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_power_intrinsics.h>

#include "vpair_test.h"

/* Two queues each way; queue 1 of both ports set up for deferred start when asked. */
static int
setup_two_queues(uint16_t port, bool defer_rx1, bool defer_tx1)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_rxconf rxconf = { .rx_deferred_start = defer_rx1 };
	struct rte_eth_txconf txconf = { .tx_deferred_start = defer_tx1 };

	CHECK_OK(rte_eth_dev_configure(port, 2, 2, &conf));
	CHECK_OK(rte_eth_rx_queue_setup(port, 0, 256, rte_socket_id(), NULL, vt_pool));
	CHECK_OK(rte_eth_rx_queue_setup(port, 1, 256, rte_socket_id(), &rxconf, vt_pool));
	CHECK_OK(rte_eth_tx_queue_setup(port, 0, 256, rte_socket_id(), NULL));
	CHECK_OK(rte_eth_tx_queue_setup(port, 1, 256, rte_socket_id(), &txconf));
	return 0;
}

static int
queue_state(uint16_t port, bool rx, uint16_t q)
{
	struct rte_eth_rxq_info rxi;
	struct rte_eth_txq_info txi;

	if (rx)
		return rte_eth_rx_queue_info_get(port, q, &rxi) == 0 ? rxi.queue_state : -1;
	return rte_eth_tx_queue_info_get(port, q, &txi) == 0 ? txi.queue_state : -1;
}

/* Send n frames on tx queue q of `from`; returns how many were taken, frees the rest. */
static uint16_t
send_on(uint16_t from, uint16_t to, uint16_t q, uint32_t seq, uint16_t n)
{
	struct rte_mbuf *burst[32];
	uint16_t i, sent;

	for (i = 0; i < n; i++)
		burst[i] = vt_frame_to(from, to, seq + i, 64);
	sent = rte_eth_tx_burst(from, q, burst, n);
	rte_pktmbuf_free_bulk(burst + sent, n - sent);
	return sent;
}

VT_CASE(deferred_start)
{
	struct rte_mbuf *got[32];
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK(setup_two_queues(a, false, true) == 0);
	CHECK(setup_two_queues(b, true, false) == 0);
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(queue_state(a, false, 0), RTE_ETH_QUEUE_STATE_STARTED);
	CHECK_EQ(queue_state(a, false, 1), RTE_ETH_QUEUE_STATE_STOPPED);
	CHECK_EQ(queue_state(b, true, 0), RTE_ETH_QUEUE_STATE_STARTED);
	CHECK_EQ(queue_state(b, true, 1), RTE_ETH_QUEUE_STATE_STOPPED);

	/* The started pair of queues carries; a's deferred tx queue refuses. */
	CHECK_EQ(send_on(a, b, 0, 0, 4), 4);
	CHECK_EQ(vt_rx_wait(b, 0, got, 4), 4);
	rte_pktmbuf_free_bulk(got, 4);
	CHECK_EQ(send_on(a, b, 1, 100, 4), 0);
	CHECK_EQ(vt_xstat(a, "tx_queue_stopped_errors"), 4);
	CHECK_EQ(vt_xstat(a, "tx_link_down_errors"), 0);

	/* Started, a's tx queue 1 feeds b's rx queue 1, still deferred: refused as well. */
	CHECK_OK(rte_eth_dev_tx_queue_start(a, 1));
	CHECK_EQ(queue_state(a, false, 1), RTE_ETH_QUEUE_STATE_STARTED);
	CHECK_EQ(send_on(a, b, 1, 100, 4), 0);
	CHECK_EQ(vt_xstat(a, "tx_queue_stopped_errors"), 8);
	/* b's other direction is untouched. */
	CHECK_EQ(send_on(b, a, 1, 200, 3), 3);
	CHECK_EQ(vt_rx_wait(a, 1, got, 3), 3);
	rte_pktmbuf_free_bulk(got, 3);

	CHECK_OK(rte_eth_dev_rx_queue_start(b, 1));
	CHECK_EQ(queue_state(b, true, 1), RTE_ETH_QUEUE_STATE_STARTED);
	CHECK_EQ(send_on(a, b, 1, 100, 4), 4);
	CHECK_EQ(vt_rx_wait(b, 1, got, 4), 4);
	CHECK_EQ(vt_seq(got[0]), 100);
	rte_pktmbuf_free_bulk(got, 4);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);

	/* A restart starts the deferred queues stopped again. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(queue_state(b, true, 1), RTE_ETH_QUEUE_STATE_STOPPED);
	CHECK_EQ(send_on(a, b, 1, 300, 2), 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/*
 * An rx queue stop frees and counts what waits for it, and only that; a tx queue stop
 * leaves what it sent for the peer. Descriptor status agrees with rx_queue_count.
 */
VT_CASE(queue_stop)
{
	struct rte_mbuf *got[32];
	uint16_t a, b, i;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK(setup_two_queues(a, false, false) == 0);
	CHECK(setup_two_queues(b, false, false) == 0);
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));

	CHECK_EQ(send_on(a, b, 0, 0, 5), 5);
	CHECK_EQ(send_on(a, b, 1, 100, 7), 7);
	CHECK_EQ(rte_eth_rx_queue_count(b, 1), 7);
	for (i = 0; i < 256; i++)
		CHECK_EQ(rte_eth_rx_descriptor_status(b, 1, i),
			i < 7 ? RTE_ETH_RX_DESC_DONE : RTE_ETH_RX_DESC_AVAIL);
	CHECK(rte_eth_rx_descriptor_status(b, 1, 256) < 0);
	for (i = 0; i < 256; i++)
		CHECK_EQ(rte_eth_tx_descriptor_status(a, 1, i),
			i < 7 ? RTE_ETH_TX_DESC_FULL : RTE_ETH_TX_DESC_DONE);

	CHECK_OK(rte_eth_dev_rx_queue_stop(b, 1));
	CHECK_EQ(queue_state(b, true, 1), RTE_ETH_QUEUE_STATE_STOPPED);
	CHECK_EQ(vt_xstat(b, "rx_flushed_dropped"), 7);
	CHECK_EQ(rte_eth_rx_queue_count(b, 1), 0);
	CHECK_EQ(rte_eth_tx_descriptor_status(a, 1, 0), RTE_ETH_TX_DESC_DONE);
	CHECK_EQ(send_on(a, b, 1, 107, 3), 0);	/* its feeder is refused */
	CHECK_EQ(vt_xstat(a, "tx_queue_stopped_errors"), 3);
	CHECK_EQ(rte_eth_rx_queue_count(b, 0), 5);	/* the other queue keeps its frames */
	CHECK(vt_check_identity(a, b) == 0);
	CHECK_OK(rte_eth_dev_rx_queue_start(b, 1));
	CHECK_EQ(send_on(a, b, 1, 110, 2), 2);
	CHECK_EQ(vt_rx_wait(b, 1, got, 2), 2);
	CHECK_EQ(vt_seq(got[0]), 110);	/* nothing from before the stop */
	rte_pktmbuf_free_bulk(got, 2);
	CHECK_EQ(vt_rx_wait(b, 0, got, 5), 5);
	rte_pktmbuf_free_bulk(got, 5);

	/* A tx queue stop: what it sent stays for the peer, what it is given is refused. */
	CHECK_EQ(send_on(b, a, 1, 200, 6), 6);
	CHECK_OK(rte_eth_dev_tx_queue_stop(b, 1));
	CHECK_EQ(queue_state(b, false, 1), RTE_ETH_QUEUE_STATE_STOPPED);
	CHECK_EQ(send_on(b, a, 1, 206, 2), 0);
	CHECK_EQ(vt_xstat(b, "tx_queue_stopped_errors"), 2);
	CHECK_EQ(send_on(b, a, 0, 300, 2), 2);
	CHECK_EQ(vt_rx_wait(a, 1, got, 6), 6);
	CHECK_EQ(vt_seq(got[5]), 205);
	rte_pktmbuf_free_bulk(got, 6);
	CHECK_EQ(vt_rx_wait(a, 0, got, 2), 2);
	rte_pktmbuf_free_bulk(got, 2);
	CHECK_OK(rte_eth_dev_tx_queue_start(b, 1));
	CHECK_EQ(send_on(b, a, 1, 208, 1), 1);
	CHECK_EQ(vt_rx_wait(a, 1, got, 1), 1);
	rte_pktmbuf_free(got[0]);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/* ---------------------------------------------------------------------------------- */
/* An rx queue stopped and started under a sender on another lcore. */

#define QSTOP_ROUNDS 1000

struct qsender {
	uint16_t port;
	struct rte_ether_addr dst, src;
	volatile bool stop;
};

/* Tx queue q sends 0, 1, 2, ...: refused frames are sent again, so accepted ones follow on. */
static int
qsend_loop(void *arg)
{
	struct qsender *s = arg;
	struct rte_mbuf *pend[2][32];
	uint16_t nb[2] = { 0, 0 }, q, n;
	uint32_t next[2] = { 0, 0 };

	while (!s->stop) {
		for (q = 0; q < 2; q++) {
			while (nb[q] < RTE_DIM(pend[q])) {
				struct rte_mbuf *m = vt_frame(&s->dst, &s->src, next[q] + nb[q],
					64);

				if (m == NULL)
					break;
				/* The tx queue in the last payload byte. */
				*rte_pktmbuf_mtod_offset(m, uint8_t *, 63) = q;
				pend[q][nb[q]++] = m;
			}
			n = rte_eth_tx_burst(s->port, q, pend[q], nb[q]);
			memmove(pend[q], pend[q] + n, (nb[q] - n) * sizeof(pend[q][0]));
			nb[q] -= n;
			next[q] += n;
		}
	}
	for (q = 0; q < 2; q++)
		rte_pktmbuf_free_bulk(pend[q], nb[q]);
	return 0;
}

/* Receive some on both queues: per tx queue in order, and from at least floor[q]. */
static int
qreceive(uint16_t port, uint64_t floor[2], uint64_t got_from[2], unsigned int bursts)
{
	struct rte_mbuf *pkts[32];
	unsigned int i;
	uint16_t q, n, k;

	for (i = 0; i < bursts; i++) {
		for (q = 0; q < 2; q++) {
			n = rte_eth_rx_burst(port, q, pkts, RTE_DIM(pkts));
			for (k = 0; k < n; k++) {
				uint8_t txq = *rte_pktmbuf_mtod_offset(pkts[k], uint8_t *, 63);
				uint32_t seq = vt_seq(pkts[k]);

				if (txq != q || seq < floor[txq]) {
					fprintf(stderr, "rx queue %u: frame %u of tx queue %u, expected tx queue %u from %" PRIu64 "\n",
						q, seq, txq, q, floor[q]);
					rte_pktmbuf_free_bulk(pkts, n);
					return -1;
				}
				floor[txq] = (uint64_t)seq + 1;
				got_from[txq]++;
			}
			rte_pktmbuf_free_bulk(pkts, n);
		}
	}
	return 0;
}

static int
qstop_rounds(uint16_t a, uint16_t b)
{
	uint64_t floor[2] = { 0, 0 }, got_from[2] = { 0, 0 };
	struct rte_eth_stats sent;
	unsigned int round;
	uint64_t deadline;

	for (round = 0; round < QSTOP_ROUNDS; round++) {
		CHECK(qreceive(b, floor, got_from, 2 + round % 8) == 0);
		CHECK_OK(rte_eth_dev_rx_queue_stop(b, 1));
		/*
		 * Tx queue 1 feeds only rx queue 1, whose flushes are the only ones: what it
		 * was ever given is received or flushed, exactly, the moment the stop returns.
		 */
		CHECK_OK(rte_eth_stats_get(a, &sent));
		CHECK_EQ(sent.q_opackets[1], got_from[1] + vt_xstat(b, "rx_flushed_dropped"));
		floor[1] = sent.q_opackets[1];
		CHECK_OK(rte_eth_dev_rx_queue_start(b, 1));
	}
	/* Not a test of nothing: both queues carried frames, however slow the worker is. */
	deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	while ((got_from[0] == 0 || got_from[1] == 0) && rte_get_timer_cycles() < deadline)
		CHECK(qreceive(b, floor, got_from, 1) == 0);
	CHECK(got_from[0] > 0 && got_from[1] > 0);
	return 0;
}

VT_CASE(rx_queue_stop_no_slip)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct qsender s = { 0 };
	uint16_t a, b;
	int ret;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK(setup_two_queues(a, false, false) == 0);
	CHECK(setup_two_queues(b, false, false) == 0);
	CHECK_OK(rte_eth_promiscuous_enable(b));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_macaddr_get(b, &s.dst));
	CHECK_OK(rte_eth_macaddr_get(a, &s.src));
	s.port = a;

	CHECK_OK(rte_eal_remote_launch(qsend_loop, &s, worker));
	ret = qstop_rounds(a, b);
	s.stop = true;
	CHECK_OK(rte_eal_wait_lcore(worker));
	CHECK_OK(ret);
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK(vt_check_identity(a, b) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/* ---------------------------------------------------------------------------------- */

/*
 * rte_eth_dev_reset(): the port starts over as after probe, keeping its MAC (ethdev gives
 * back its other addresses and modes at the next start), while the peer keeps running.
 */
VT_CASE(port_reset)
{
	static const struct rte_ether_addr group = {{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x09 }};
	struct rte_ether_addr mac_b, src;
	struct rte_mbuf *m, *got[4];
	uint16_t a, b;

	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	CHECK_OK(rte_eth_macaddr_get(b, &mac_b));
	CHECK_OK(rte_eth_macaddr_get(a, &src));
	CHECK_OK(rte_eth_dev_set_mc_addr_list(b, (struct rte_ether_addr *)&group, 1));
	CHECK_OK(rte_eth_promiscuous_enable(b));
	CHECK_EQ(send_on(a, b, 0, 0, 3), 3);	/* waiting in b's ring at the reset */

	CHECK_OK(rte_eth_dev_reset(b));
	CHECK_EQ(vt_xstat(b, "rx_flushed_dropped"), 3);
	/* The peer runs on: its sends are refused, its receive works. */
	CHECK_EQ(send_on(a, b, 0, 3, 2), 0);
	CHECK_EQ(vt_xstat(a, "tx_link_down_errors"), 2);

	CHECK_OK(vt_port_setup(b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(rte_eth_promiscuous_get(b), 1);
	m = vt_frame(&mac_b, &src, 10, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, &m, 1), 1);
	CHECK_EQ(vt_rx_wait(b, 0, got, 1), 1);
	CHECK_EQ(vt_seq(got[0]), 10);
	rte_pktmbuf_free(got[0]);
	/* The multicast list was the filter's: empty again, the group needs promiscuous. */
	CHECK_OK(rte_eth_promiscuous_disable(b));
	m = vt_frame(&group, &src, 11, 64);
	CHECK_EQ(rte_eth_tx_burst(a, 0, &m, 1), 1);
	CHECK_EQ(vt_xstat(b, "rx_mcast_filter_dropped"), 1);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Rx interrupts and the power-management monitor address. */

struct late_sender {
	uint16_t from, to;
	unsigned int delay_ms;
	uint32_t seq;
};

static int
send_late(void *arg)
{
	const struct late_sender *s = arg;
	struct rte_mbuf *m = vt_frame_to(s->from, s->to, s->seq, 64);

	rte_delay_us_sleep(s->delay_ms * 1000);
	if (rte_eth_tx_burst(s->from, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return -1;
	}
	return 0;
}

/* Sleep in rte_epoll_wait() on b's rx queue 0: returns the ms slept, -1 on no event. */
static int64_t
sleep_for_frame(uint16_t b, int timeout_ms)
{
	struct rte_epoll_event ev;
	uint64_t start = rte_get_timer_cycles();
	int n;

	if (rte_eth_dev_rx_intr_enable(b, 0) != 0)
		return -2;
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, timeout_ms);
	rte_eth_dev_rx_intr_disable(b, 0);
	if (n != 1)
		return -1;
	return (int64_t)((rte_get_timer_cycles() - start) * 1000 / rte_get_timer_hz());
}

VT_CASE(rx_interrupt)
{
	struct rte_eth_conf conf = { .intr_conf.rxq = 1 };
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct late_sender s = { .delay_ms = 50 };
	struct rte_epoll_event ev;
	struct rte_mbuf *got[4];
	unsigned int round;
	int64_t slept;
	uint16_t a, b;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 256, false));
	CHECK_OK(rte_eth_dev_configure(b, 1, 1, &conf));
	CHECK_OK(rte_eth_rx_queue_setup(b, 0, 256, rte_socket_id(), NULL, vt_pool));
	CHECK_OK(rte_eth_tx_queue_setup(b, 0, 256, rte_socket_id(), NULL));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_dev_rx_intr_ctl_q(b, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, NULL));
	/* a's port has no Rx interrupts configured: ethdev says so. */
	CHECK(rte_eth_dev_rx_intr_ctl_q(a, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD,
		NULL) < 0);

	s.from = a;
	s.to = b;
	for (round = 0; round < 5; round++) {
		/* Asleep until the peer, 50 ms later, sends. */
		s.seq = round;
		CHECK_OK(rte_eal_remote_launch(send_late, &s, worker));
		slept = sleep_for_frame(b, 5000);
		CHECK_OK(rte_eal_wait_lcore(worker));
		if (slept < 40)
			fprintf(stderr, "round %u: woke after %" PRId64 " ms\n", round, slept);
		CHECK(slept >= 40);
		CHECK_EQ(rte_eth_rx_burst(b, 0, got, 4), 1);
		CHECK_EQ(vt_seq(got[0]), round);
		rte_pktmbuf_free(got[0]);
	}

	/* A frame already waiting when the queue arms: no sleep at all. */
	s.delay_ms = 0;
	s.seq = 100;
	CHECK_OK(send_late(&s));
	slept = sleep_for_frame(b, 5000);
	CHECK(slept >= 0 && slept < 1000);
	CHECK_EQ(rte_eth_rx_burst(b, 0, got, 4), 1);
	rte_pktmbuf_free(got[0]);

	/* Not armed, a polling receiver: the sender writes no eventfd. */
	CHECK_OK(send_late(&s));
	CHECK_EQ(rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, 100), 0);
	CHECK_EQ(rte_eth_rx_burst(b, 0, got, 4), 1);
	rte_pktmbuf_free(got[0]);
	/* Nothing comes: the sleep times out. */
	CHECK_EQ(sleep_for_frame(b, 100), -1);

	CHECK_OK(rte_eth_dev_rx_intr_ctl_q(b, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL));
	CHECK(vt_check_identity(a, b) == 0);
	/* Stopped and started again, the interrupts are set up anew. */
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_dev_rx_intr_ctl_q(b, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, NULL));
	s.delay_ms = 50;
	s.seq = 200;
	CHECK_OK(rte_eal_remote_launch(send_late, &s, worker));
	slept = sleep_for_frame(b, 5000);
	CHECK_OK(rte_eal_wait_lcore(worker));
	CHECK(slept >= 40);
	CHECK_EQ(rte_eth_rx_burst(b, 0, got, 4), 1);
	rte_pktmbuf_free(got[0]);
	CHECK_OK(rte_eth_dev_rx_intr_ctl_q(b, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}

/*
 * The monitor condition says "sleep" while the queue's ring is empty and "wake" once the
 * peer sent; on a CPU with rte_power_monitor(), a real sleep ends when the peer sends.
 */
VT_CASE(power_monitor)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct late_sender s = { .delay_ms = 20, .seq = 1 };
	struct rte_cpu_intrinsics intr;
	struct rte_power_monitor_cond pmc;
	struct rte_mbuf *got[4];
	uint64_t value = 0;
	uint16_t a, b;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK_OK(vt_pair_up("net_vpair0", "max_queues=4", &a, &b));
	s.from = a;
	s.to = b;
	CHECK_OK(rte_eth_get_monitor_addr(b, 0, &pmc));
	CHECK(pmc.addr != NULL && pmc.fn != NULL);
	CHECK(pmc.size == sizeof(uint32_t));
	memcpy(&value, (const void *)(uintptr_t)pmc.addr, pmc.size);
	CHECK_EQ(pmc.fn(value, pmc.opaque), 0);		/* empty: sleep */
	CHECK_OK(send_late(&(struct late_sender){ .from = a, .to = b, .seq = 0 }));
	memcpy(&value, (const void *)(uintptr_t)pmc.addr, pmc.size);
	CHECK(pmc.fn(value, pmc.opaque) != 0);		/* a frame: wake */
	CHECK_OK(rte_eth_get_monitor_addr(b, 0, &pmc));	/* taken again: still there */
	memcpy(&value, (const void *)(uintptr_t)pmc.addr, pmc.size);
	CHECK(pmc.fn(value, pmc.opaque) != 0);
	CHECK_EQ(rte_eth_rx_burst(b, 0, got, 4), 1);
	rte_pktmbuf_free(got[0]);
	CHECK_OK(rte_eth_get_monitor_addr(b, 0, &pmc));
	memcpy(&value, (const void *)(uintptr_t)pmc.addr, pmc.size);
	CHECK_EQ(pmc.fn(value, pmc.opaque), 0);

	rte_cpu_get_intrinsics_support(&intr);
	if (intr.power_monitor) {
		uint64_t start = rte_get_tsc_cycles();

		CHECK_OK(rte_eal_remote_launch(send_late, &s, worker));
		CHECK_OK(rte_power_monitor(&pmc, start + 5 * rte_get_tsc_hz()));
		CHECK_OK(rte_eal_wait_lcore(worker));
		CHECK(rte_get_tsc_cycles() - start < 4 * rte_get_tsc_hz());
		CHECK_EQ(vt_rx_wait(b, 0, got, 1), 1);
		rte_pktmbuf_free(got[0]);
	} else {
		printf("rte_power_monitor() not supported by this CPU: condition checked only\n");
	}

	/* Four tx queues into two rx queues: each polls two rings, one address will not do. */
	CHECK_OK(rte_eth_dev_stop(a));
	CHECK_OK(rte_eth_dev_stop(b));
	CHECK_OK(vt_port_setup(a, 4, 4, 256, false));
	CHECK_OK(vt_port_setup(b, 2, 2, 256, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_EQ(rte_eth_get_monitor_addr(b, 0, &pmc), -ENOTSUP);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}
