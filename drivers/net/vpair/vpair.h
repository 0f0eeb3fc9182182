/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef VPAIR_H
#define VPAIR_H

/*
 * What the driver's files share besides the pair (vpair_pair.h): logging, the ethdev
 * port's private data, and the entry points each file offers the others.
 * Dependencies go one way: probe -> ethdev -> pair; stats and rxtx read the pair's layout.
 */

#include <stdint.h>

#include <rte_ether.h>
#include <rte_log.h>

#include <ethdev_driver.h>

#include "vpair_pair.h"

extern int vpair_logtype;
#define VPAIR_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vpair_logtype, "net_vpair: " fmt "\n", ##__VA_ARGS__)

#define VPAIR_QUEUES_DEFAULT	16
#define VPAIR_DESC_MAX_DEFAULT	4096u
#define VPAIR_DESC_DEFAULT	1024u
#define VPAIR_MTU_MIN		68	/* as veth: ETH_MIN_MTU */
#define VPAIR_MTU_MAX		UINT16_MAX
/* Frame overhead over the MTU: Ethernet header plus up to two VLAN tags. */
#define VPAIR_FRAME_OVERHEAD	(RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN)
#define VPAIR_LINK_SPEED	RTE_ETH_SPEED_NUM_10G	/* what veth reports */
/* The largest IP packet behind the largest frame header. */
#define VPAIR_LRO_PKT_MAX	(UINT16_MAX + VPAIR_FRAME_OVERHEAD)

#define VPAIR_RX_OFFLOAD_CAPA (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_VLAN_STRIP | \
	RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO)
#define VPAIR_TX_OFFLOAD_CAPA (RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT | \
	RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO)

/* dev_private of each port, in shared memory: the same in every process. */
struct vpair_port {
	struct vpair_pair *pair;
	enum vpair_side_id side;
};

/* vpair_ethdev.c */
extern const struct eth_dev_ops vpair_ops;

/* A valid port of this driver. */
static inline bool
vpair_is_port(uint16_t port_id)
{
	return rte_eth_dev_is_valid_port(port_id) &&
		rte_eth_devices[port_id].dev_ops == &vpair_ops;
}

/*
 * Plain decimal digits and nothing else (no sign, space, base prefix or octal), at most
 * max: 0, or -EINVAL. Every number a user gives the driver is read this way.
 */
static inline int
vpair_decimal(const char *s, uint32_t max, uint32_t *out)
{
	const char *p = s;
	uint64_t v = 0;

	if (s == NULL)
		return -EINVAL;
	for (; *p >= '0' && *p <= '9' && v <= max; p++)
		v = v * 10 + (*p - '0');
	if (p == s || *p != '\0' || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* vpair_stats.c */
int vpair_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats);
int vpair_stats_reset(struct rte_eth_dev *dev);
int vpair_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int n);
int vpair_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names,
	unsigned int size);

/* vpair_rxtx.c: the fast path. */
uint16_t vpair_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
uint16_t vpair_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
uint32_t vpair_rx_queue_count(void *queue);
int vpair_rx_descriptor_status(void *queue, uint16_t offset);
int vpair_tx_descriptor_status(void *queue, uint16_t offset);
int vpair_get_monitor_addr(void *queue, struct rte_power_monitor_cond *pmc);

/* vpair_offload.c: frames with offload requests, or that the receiver's offloads change. */
uint16_t vpair_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);

#endif /* VPAIR_H */
