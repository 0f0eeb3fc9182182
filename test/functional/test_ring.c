/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/* A tx queue's ring capacity follows its nb_desc across reconfigurations. */


#include "vpair_test.h"

/* Send until the ring refuses; returns how many it took. */
static unsigned int
fill(uint16_t from, uint16_t to)
{
	struct rte_mbuf *burst[32];
	unsigned int total = 0;
	uint16_t n, i;

	do {
		for (i = 0; i < RTE_DIM(burst); i++)
			burst[i] = vt_frame_to(from, to, total + i, 64);
		n = rte_eth_tx_burst(from, 0, burst, RTE_DIM(burst));
		rte_pktmbuf_free_bulk(burst + n, RTE_DIM(burst) - n);
		total += n;
	} while (n == RTE_DIM(burst));
	return total;
}

static unsigned int
drain(uint16_t port)
{
	struct rte_mbuf *burst[32];
	unsigned int total = 0;
	uint16_t n;

	while ((n = rte_eth_rx_burst(port, 0, burst, RTE_DIM(burst))) > 0) {
		rte_pktmbuf_free_bulk(burst, n);
		total += n;
	}
	return total;
}

static int
resize(uint16_t port, uint16_t nb_desc)
{
	int ret;

	CHECK_OK(rte_eth_dev_stop(port));
	ret = rte_eth_tx_queue_setup(port, 0, nb_desc, rte_socket_id(), NULL);
	CHECK_OK(rte_eth_dev_start(port));
	return ret;
}

VT_CASE(ring_resize)
{
	static const uint16_t sizes[] = { 64, 2048, 100, 1000, 4096, 32 };
	struct rte_eth_txq_info info;
	unsigned int i;
	uint16_t a, b;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, 512, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 512, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));

	/* Each size, larger or smaller, after the other: exactly nb_desc in flight. */
	for (i = 0; i < RTE_DIM(sizes); i++) {
		CHECK_OK(resize(a, sizes[i]));
		CHECK_OK(rte_eth_tx_queue_info_get(a, 0, &info));
		CHECK_EQ(info.nb_desc, sizes[i]);
		CHECK_EQ(fill(a, b), sizes[i]);
		CHECK_EQ(drain(b), sizes[i]);
	}

	/*
	 * A smaller nb_desc while packets of the old one still wait for the peer: the queue
	 * takes nothing more until the peer has received down below it. Nothing is lost.
	 */
	CHECK_OK(resize(a, 64));
	CHECK_EQ(fill(a, b), 64);
	CHECK_OK(resize(a, 32));
	CHECK_OK(rte_eth_tx_queue_info_get(a, 0, &info));
	CHECK_EQ(info.nb_desc, 32);
	CHECK_EQ(fill(a, b), 0);
	CHECK_EQ(drain(b), 64);
	CHECK_EQ(fill(a, b), 32);
	CHECK_OK(resize(a, 4096));	/* larger, with packets waiting: room at once */
	CHECK_EQ(fill(a, b), 4096 - 32);
	CHECK_EQ(drain(b), 4096);
	CHECK_OK(vt_check_identity(a, b));
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	return 0;
}
