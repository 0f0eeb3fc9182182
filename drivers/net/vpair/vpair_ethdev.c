/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * The ethdev ops: each checks what ethdev leaves to the driver and translates the call
 * into the pair's terms (vpair_pair.h), which owns the shared state.
 */

#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_interrupts.h>
#include <rte_mbuf.h>

#include "vpair.h"

static inline struct vpair_port *
vpair_port(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static struct vpair_l2_filter *
vpair_filter(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);

	return &vpair_pair_rx_policy(port->pair, port->side)->filter;
}

/* What the peer's tx does for this port (vpair_offload.c): the Rx offloads it enabled. */
static void
vpair_rx_offloads_update(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	const struct rte_eth_rxmode *rxmode = &dev->data->dev_conf.rxmode;

	vpair_pair_set_rx_offloads(port->pair, port->side, rxmode->offloads,
		rxmode->max_lro_pkt_size);
}

static int
vpair_dev_configure(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);

	/* As after any configure, parsing is on until rte_eth_dev_set_ptypes says otherwise. */
	vpair_pair_set_parse(port->pair, port->side, true);
	dev->data->scattered_rx =
		!!(dev->data->dev_conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER);
	vpair_rx_offloads_update(dev);
	return vpair_l2_set_mtu(vpair_filter(dev), dev->data->mtu);
}

/* ethdev has already updated rxmode.offloads; only VLAN strip means anything here. */
static int
vpair_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	vpair_rx_offloads_update(dev);
	return 0;
}

/*
 * Rx interrupts: an eventfd per rx queue, which the peer's tx writes while the queue is
 * armed (vpair_pair_rxq_arm). ethdev's rx_intr_ctl puts them in the application's epoll.
 */
static void
vpair_rx_intr_uninstall(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	struct rte_intr_handle *ih = dev->intr_handle;
	int q;

	if (ih == NULL)
		return;
	vpair_pair_set_wake_fds(port->pair, port->side, NULL, 0);
	for (q = 0; q < rte_intr_nb_efd_get(ih); q++)
		close(rte_intr_efds_index_get(ih, q));
	rte_intr_free_epoll_fd(ih);
	rte_intr_vec_list_free(ih);
	rte_intr_instance_free(ih);
	dev->intr_handle = NULL;
}

static int
vpair_rx_intr_install(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	int fds[VPAIR_QUEUES_LIMIT];
	struct rte_intr_handle *ih;
	uint16_t q;

	if (!dev->data->dev_conf.intr_conf.rxq)
		return 0;
	ih = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (ih == NULL || rte_intr_type_set(ih, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_efd_counter_size_set(ih, sizeof(uint64_t)) != 0 ||
			rte_intr_vec_list_alloc(ih, NULL, nb_rxq) != 0)
		goto fail;
	dev->intr_handle = ih;
	for (q = 0; q < nb_rxq; q++) {
		fds[q] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fds[q] < 0 ||
				rte_intr_vec_list_index_set(ih, q, RTE_INTR_VEC_RXTX_OFFSET + q) != 0 ||
				rte_intr_efds_index_set(ih, q, fds[q]) != 0 ||
				rte_intr_nb_efd_set(ih, q + 1) != 0) {
			if (fds[q] >= 0)
				close(fds[q]);
			goto fail;
		}
	}
	if (rte_intr_max_intr_set(ih, nb_rxq + 1) != 0)
		goto fail;
	vpair_pair_set_wake_fds(port->pair, port->side, fds, nb_rxq);
	return 0;
fail:
	VPAIR_LOG(ERR, "%s: cannot set up Rx interrupts for %u queues: %s", dev->data->name,
		nb_rxq, rte_strerror(errno != 0 ? errno : ENOMEM));
	if (dev->intr_handle == NULL)
		rte_intr_instance_free(ih);
	vpair_rx_intr_uninstall(dev);
	return -ENOMEM;
}

static int
vpair_dev_start(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	uint64_t rx_started = 0, tx_started = 0;
	uint16_t q;
	int ret;

	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		if (dev->data->tx_queues[q] == NULL) {
			VPAIR_LOG(ERR, "%s: tx queue %u is not set up", dev->data->name, q);
			return -EINVAL;
		}
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		if (dev->data->rx_queues[q] == NULL) {
			VPAIR_LOG(ERR, "%s: rx queue %u is not set up", dev->data->name, q);
			return -EINVAL;
		}
	}

	/* A queue set up for deferred start waits for rte_eth_dev_*_queue_start(). */
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct vpair_rxq *rxq = dev->data->rx_queues[q];

		if (rxq->conf.rx_deferred_start) {
			dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
		} else {
			dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
			rx_started |= RTE_BIT64(q);
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct vpair_txq *txq = dev->data->tx_queues[q];

		if (txq->conf.tx_deferred_start) {
			dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
		} else {
			dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
			tx_started |= RTE_BIT64(q);
		}
	}
	ret = vpair_rx_intr_install(dev);
	if (ret != 0)
		return ret;
	vpair_pair_start(port->pair, port->side, dev->data->nb_rx_queues, rx_started,
		tx_started);
	return 0;
}

static int
vpair_dev_stop(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	uint16_t q;

	vpair_pair_stop(port->pair, port->side);
	/* After the stop: no burst of the peer holds an eventfd any more. */
	vpair_rx_intr_uninstall(dev);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
vpair_set_admin_link(struct rte_eth_dev *dev, bool up)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_set_admin(port->pair, port->side, up);
	return 0;
}

static int
vpair_dev_set_link_up(struct rte_eth_dev *dev)
{
	return vpair_set_admin_link(dev, true);
}

static int
vpair_dev_set_link_down(struct rte_eth_dev *dev)
{
	return vpair_set_admin_link(dev, false);
}

static int
vpair_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_link_update(port->pair, port->side);
	return 0;
}

static int
vpair_dev_close(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);

	/* A secondary process only drops its own view of the port. */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		vpair_pair_port_close(port->pair, port->side);
	return 0;
}

static int
vpair_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	const struct vpair_pair *pair = vpair_port(dev)->pair;
	/* Chains travel as they are: any chain an mbuf can hold. */
	const struct rte_eth_desc_lim desc_lim = {
		.nb_max = pair->max_desc,
		.nb_min = VPAIR_DESC_MIN,
		.nb_align = 1,
		.nb_seg_max = RTE_MBUF_MAX_NB_SEGS,
		.nb_mtu_seg_max = RTE_MBUF_MAX_NB_SEGS,
	};

	info->max_mac_addrs = VPAIR_MAC_ADDRS_MAX;
	info->max_rx_pktlen = VPAIR_MTU_MAX + VPAIR_FRAME_OVERHEAD;
	info->min_mtu = VPAIR_MTU_MIN;
	info->max_mtu = VPAIR_MTU_MAX;
	info->max_rx_queues = pair->max_queues;
	info->max_tx_queues = pair->max_queues;
	info->rx_desc_lim = desc_lim;
	info->tx_desc_lim = desc_lim;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.ring_size = RTE_MIN(VPAIR_DESC_DEFAULT, pair->max_desc);
	info->default_txportconf.ring_size = RTE_MIN(VPAIR_DESC_DEFAULT, pair->max_desc);
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->speed_capa = RTE_ETH_LINK_SPEED_10G | RTE_ETH_LINK_SPEED_FIXED;
	/*
	 * As veth: what the sender leaves to the device is done by the receiving port when it
	 * enabled the offload, else in software on the sender's core (vpair_offload.c).
	 */
	info->rx_offload_capa = VPAIR_RX_OFFLOAD_CAPA;
	info->tx_offload_capa = VPAIR_TX_OFFLOAD_CAPA;
	info->max_lro_pkt_size = VPAIR_LRO_PKT_MAX;
	return 0;
}

static int
vpair_rx_queue_setup(struct rte_eth_dev *dev, uint16_t q, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_rxconf *conf, struct rte_mempool *mp)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_rxq *rxq = vpair_pair_rxq_setup(port->pair, port->side, q, mp);

	rxq->nb_desc = nb_desc;
	rxq->conf = *conf;
	dev->data->rx_queues[q] = rxq;
	return 0;
}

static int
vpair_tx_queue_setup(struct rte_eth_dev *dev, uint16_t q, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_txq *txq = vpair_pair_txq_setup(port->pair, port->side, q, nb_desc);

	txq->conf = *conf;
	dev->data->tx_queues[q] = txq;
	return 0;
}

static int
vpair_queue_set(struct rte_eth_dev *dev, bool rx, uint16_t q, bool start)
{
	struct vpair_port *port = vpair_port(dev);
	uint8_t *state = rx ? &dev->data->rx_queue_state[q] : &dev->data->tx_queue_state[q];

	if (start)
		vpair_pair_queue_start(port->pair, port->side, rx, q);
	else
		vpair_pair_queue_stop(port->pair, port->side, rx, q);
	*state = start ? RTE_ETH_QUEUE_STATE_STARTED : RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
vpair_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t q)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_rxq_arm(port->pair, port->side, q, true);
	return 0;
}

static int
vpair_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t q)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_rxq_arm(port->pair, port->side, q, false);
	return 0;
}

static int
vpair_rx_queue_start(struct rte_eth_dev *dev, uint16_t q)
{
	return vpair_queue_set(dev, true, q, true);
}

static int
vpair_rx_queue_stop(struct rte_eth_dev *dev, uint16_t q)
{
	return vpair_queue_set(dev, true, q, false);
}

static int
vpair_tx_queue_start(struct rte_eth_dev *dev, uint16_t q)
{
	return vpair_queue_set(dev, false, q, true);
}

static int
vpair_tx_queue_stop(struct rte_eth_dev *dev, uint16_t q)
{
	return vpair_queue_set(dev, false, q, false);
}

/*
 * As a NIC's reset, on a port ethdev has just stopped: its receive filter starts over from
 * its MAC address and MTU. ethdev restores the other addresses and the promiscuous and
 * all-multicast modes at the next start; the multicast list is the application's to set
 * again. The peer keeps running, with the link down.
 */
static int
vpair_dev_reset(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_rx_policy_reset(port->pair, port->side, &dev->data->mac_addrs[0],
		dev->data->mtu);
	return 0;
}

static void
vpair_rxq_info_get(struct rte_eth_dev *dev, uint16_t q, struct rte_eth_rxq_info *info)
{
	const struct vpair_rxq *rxq = dev->data->rx_queues[q];

	info->mp = rxq->mp;
	info->conf = rxq->conf;
	info->nb_desc = rxq->nb_desc;
	info->scattered_rx = dev->data->scattered_rx;
	info->rx_buf_size = 0;
}

static void
vpair_txq_info_get(struct rte_eth_dev *dev, uint16_t q, struct rte_eth_txq_info *info)
{
	const struct vpair_txq *txq = dev->data->tx_queues[q];

	info->conf = txq->conf;
	info->nb_desc = txq->nb_desc;
}

static int
vpair_burst_mode_get(struct rte_eth_dev *dev, uint16_t q, struct rte_eth_burst_mode *mode)
{
	snprintf(mode->info, sizeof(mode->info), "Scalar, zero-copy SPSC ring");
	return 0;
}

static int
vpair_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	return vpair_l2_set_mtu(vpair_filter(dev), mtu);
}

/* ethdev records the new mode only after these return, so the new value is passed in. */
static int
vpair_rx_modes_set(struct rte_eth_dev *dev, bool promisc, bool allmulti)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_set_rx_modes(port->pair, port->side, promisc, allmulti);
	return 0;
}

static int
vpair_promiscuous_enable(struct rte_eth_dev *dev)
{
	return vpair_rx_modes_set(dev, true, dev->data->all_multicast);
}

static int
vpair_promiscuous_disable(struct rte_eth_dev *dev)
{
	return vpair_rx_modes_set(dev, false, dev->data->all_multicast);
}

static int
vpair_allmulticast_enable(struct rte_eth_dev *dev)
{
	return vpair_rx_modes_set(dev, dev->data->promiscuous, true);
}

static int
vpair_allmulticast_disable(struct rte_eth_dev *dev)
{
	return vpair_rx_modes_set(dev, dev->data->promiscuous, false);
}

static int
vpair_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	return vpair_l2_uc_set(vpair_filter(dev), 0, addr);
}

static int
vpair_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr, uint32_t index,
	uint32_t vmdq)
{
	int ret = vpair_l2_uc_set(vpair_filter(dev), index, addr);

	if (ret != 0)
		VPAIR_LOG(ERR, "%s: cannot add MAC address %02x:%02x:%02x:%02x:%02x:%02x: a port's own addresses are unicast",
			dev->data->name, RTE_ETHER_ADDR_BYTES(addr));
	return ret;
}

static void
vpair_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	vpair_l2_uc_clear(vpair_filter(dev), index);
}

static int
vpair_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t nb)
{
	int ret = vpair_l2_mc_set(vpair_filter(dev), list, nb);

	if (ret == -ENOSPC)
		VPAIR_LOG(ERR, "%s: %u multicast addresses, at most %u", dev->data->name, nb,
			VPAIR_L2_MAX_MC);
	else if (ret != 0)
		VPAIR_LOG(ERR, "%s: the multicast list holds a unicast address", dev->data->name);
	return ret;
}

static const uint32_t *
vpair_supported_ptypes_get(struct rte_eth_dev *dev)
{
	return vpair_ptype_supported;
}

/* Any mask but RTE_PTYPE_UNKNOWN turns the whole parser on: it is one pass either way. */
static int
vpair_ptypes_set(struct rte_eth_dev *dev, uint32_t ptype_mask)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_pair_set_parse(port->pair, port->side, ptype_mask != RTE_PTYPE_UNKNOWN);
	return 0;
}

const struct eth_dev_ops vpair_ops = {
	.dev_configure = vpair_dev_configure,
	.dev_start = vpair_dev_start,
	.dev_stop = vpair_dev_stop,
	.dev_set_link_up = vpair_dev_set_link_up,
	.dev_set_link_down = vpair_dev_set_link_down,
	.dev_close = vpair_dev_close,
	.link_update = vpair_link_update,
	.dev_infos_get = vpair_dev_infos_get,
	.dev_reset = vpair_dev_reset,
	.rx_queue_setup = vpair_rx_queue_setup,
	.tx_queue_setup = vpair_tx_queue_setup,
	.rx_queue_start = vpair_rx_queue_start,
	.rx_queue_stop = vpair_rx_queue_stop,
	.tx_queue_start = vpair_tx_queue_start,
	.tx_queue_stop = vpair_tx_queue_stop,
	.rx_queue_intr_enable = vpair_rx_queue_intr_enable,
	.get_monitor_addr = vpair_get_monitor_addr,
	.rx_queue_intr_disable = vpair_rx_queue_intr_disable,
	.rxq_info_get = vpair_rxq_info_get,
	.txq_info_get = vpair_txq_info_get,
	.rx_burst_mode_get = vpair_burst_mode_get,
	.tx_burst_mode_get = vpair_burst_mode_get,
	.mtu_set = vpair_mtu_set,
	.vlan_offload_set = vpair_vlan_offload_set,
	.promiscuous_enable = vpair_promiscuous_enable,
	.promiscuous_disable = vpair_promiscuous_disable,
	.allmulticast_enable = vpair_allmulticast_enable,
	.allmulticast_disable = vpair_allmulticast_disable,
	.mac_addr_set = vpair_mac_addr_set,
	.mac_addr_add = vpair_mac_addr_add,
	.mac_addr_remove = vpair_mac_addr_remove,
	.set_mc_addr_list = vpair_set_mc_addr_list,
	.dev_supported_ptypes_get = vpair_supported_ptypes_get,
	.dev_ptypes_set = vpair_ptypes_set,
	.stats_get = vpair_stats_get,
	.stats_reset = vpair_stats_reset,
	.xstats_get = vpair_xstats_get,
	.xstats_get_names = vpair_xstats_get_names,
	.xstats_reset = vpair_stats_reset,
};
