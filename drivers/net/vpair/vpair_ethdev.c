/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Control path: ethdev ops, link state and LSC events, queue set-up, flush on stop/close.
 * Both ports' control paths may run in different threads; they meet under the pair lock.
 */

#include <rte_alarm.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "vpair.h"

static inline struct vpair_port *
vpair_port(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static void
vpair_link_set(uint16_t port_id, bool up)
{
	struct rte_eth_link link = {
		.link_speed = VPAIR_LINK_SPEED,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = up ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN,
	};

	rte_eth_linkstatus_set(&rte_eth_devices[port_id], &link);
}

/*
 * LSC events are raised from the EAL alarm thread, never from inside the call that
 * changed the link: the application's callback may well call back into ethdev.
 */
static void
vpair_lsc_alarm(void *arg)
{
	uint16_t port_id = (uint16_t)(uintptr_t)arg;
	struct rte_eth_dev *dev = &rte_eth_devices[port_id];
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;
	struct vpair_side *side = &pair->side[port->side];
	bool changed;

	rte_spinlock_lock(&pair->lock);
	changed = side->lsc_reported_up != pair->carrier;
	side->lsc_reported_up = pair->carrier;
	rte_spinlock_unlock(&pair->lock);

	if (changed && dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/*
 * Recompute the carrier after a change made by port `actor`, under the pair lock. Both
 * ports' link status follows at once; the peer also gets an LSC event, since its link
 * changed through no action of its own.
 */
static void
vpair_carrier_update(struct vpair_pair *pair, enum vpair_side_id actor)
{
	const struct vpair_side *a = &pair->side[VPAIR_SIDE_A];
	const struct vpair_side *b = &pair->side[VPAIR_SIDE_B];
	struct vpair_side *peer = &pair->side[vpair_peer(actor)];
	uint8_t up = a->started && b->started && a->admin_up && b->admin_up;

	pair->side[actor].lsc_reported_up = up;
	if (up == pair->carrier)
		return;
	__atomic_store_n(&pair->carrier, up, __ATOMIC_RELEASE);

	if (pair->side[actor].allocated)
		vpair_link_set(pair->side[actor].port_id, up);
	if (peer->allocated) {
		vpair_link_set(peer->port_id, up);
		if (rte_eal_alarm_set(1, vpair_lsc_alarm, (void *)(uintptr_t)peer->port_id) != 0)
			VPAIR_LOG(ERR, "%s: cannot schedule the link event of port %u",
				pair->name, peer->port_id);
	}
}

/*
 * Free the packets waiting in the rings that `consumer` receives from. Only called when the
 * consumer's rx fast path is not running (port stopped or closed), so this thread is the
 * rings' single consumer.
 */
uint64_t
vpair_flush_rings(struct vpair_pair *pair, enum vpair_side_id consumer)
{
	enum vpair_side_id producer = vpair_peer(consumer);
	uint16_t nb_rings = __atomic_load_n(&pair->side[producer].nb_rings, __ATOMIC_ACQUIRE);
	struct rte_mbuf *burst[64];
	uint64_t flushed = 0;
	unsigned int n;
	uint16_t q;

	for (q = 0; q < nb_rings; q++) {
		struct rte_ring *ring = vpair_ring(pair, producer, q);

		while ((n = rte_ring_sc_dequeue_burst(ring, (void **)burst, RTE_DIM(burst),
				NULL)) > 0) {
			rte_pktmbuf_free_bulk(burst, n);
			flushed += n;
		}
	}
	return flushed;
}

static void
vpair_flush_rx(struct vpair_pair *pair, enum vpair_side_id side)
{
	struct vpair_side *s = &pair->side[side];

	__atomic_store_n(&s->rx_flushed, s->rx_flushed + vpair_flush_rings(pair, side),
		__ATOMIC_RELAXED);
}

static struct vpair_rx_policy *
vpair_rx_policy(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);

	return &port->pair->side[port->side].rx_policy;
}

static int
vpair_dev_configure(struct rte_eth_dev *dev)
{
	struct vpair_rx_policy *policy = vpair_rx_policy(dev);

	/* As after any configure, parsing is on until rte_eth_dev_set_ptypes says otherwise. */
	policy->parse = 1;
	dev->data->scattered_rx =
		!!(dev->data->dev_conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER);
	vpair_rx_policy_changed(policy);
	return vpair_l2_set_mtu(&policy->filter, dev->data->mtu);
}

static int
vpair_dev_start(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;
	struct vpair_side *side = &pair->side[port->side];
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	uint16_t q;

	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		if (dev->data->tx_queues[q] == NULL) {
			VPAIR_LOG(ERR, "%s: tx queue %u is not set up", dev->data->name, q);
			return -EINVAL;
		}
	}
	for (q = 0; q < nb_rxq; q++) {
		struct vpair_rxq *rxq = dev->data->rx_queues[q];

		if (rxq == NULL) {
			VPAIR_LOG(ERR, "%s: rx queue %u is not set up", dev->data->name, q);
			return -EINVAL;
		}
		/* The peer's tx queue t lands on rx queue t mod nb_rxq. */
		rxq->first = q;
		rxq->next = q;
		rxq->step = nb_rxq;
	}

	for (q = 0; q < nb_rxq; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;

	rte_spinlock_lock(&pair->lock);
	side->started = 1;
	vpair_carrier_update(pair, port->side);
	rte_spinlock_unlock(&pair->lock);
	return 0;
}

static int
vpair_dev_stop(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;
	uint16_t q;

	rte_spinlock_lock(&pair->lock);
	pair->side[port->side].started = 0;
	vpair_carrier_update(pair, port->side);
	rte_spinlock_unlock(&pair->lock);

	/* The peer now refuses to send here: what it sent before is freed, and counted. */
	vpair_flush_rx(pair, port->side);

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
vpair_set_admin_link(struct rte_eth_dev *dev, uint8_t up)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;

	rte_spinlock_lock(&pair->lock);
	pair->side[port->side].admin_up = up;
	vpair_carrier_update(pair, port->side);
	rte_spinlock_unlock(&pair->lock);
	return 0;
}

static int
vpair_dev_set_link_up(struct rte_eth_dev *dev)
{
	return vpair_set_admin_link(dev, 1);
}

static int
vpair_dev_set_link_down(struct rte_eth_dev *dev)
{
	return vpair_set_admin_link(dev, 0);
}

static int
vpair_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct vpair_port *port = vpair_port(dev);

	vpair_link_set(dev->data->port_id,
		__atomic_load_n(&port->pair->carrier, __ATOMIC_ACQUIRE));
	return 0;
}

static int
vpair_dev_close(struct rte_eth_dev *dev)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;
	bool last;

	/* A secondary process only drops its own view of the port. */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;

	rte_eal_alarm_cancel(vpair_lsc_alarm, (void *)(uintptr_t)dev->data->port_id);
	/* Stragglers a peer tx thread enqueued while this port stopped. */
	vpair_flush_rx(pair, port->side);

	rte_spinlock_lock(&pair->lock);
	pair->side[port->side].allocated = 0;
	vpair_carrier_update(pair, port->side);
	last = !pair->side[vpair_peer(port->side)].allocated;
	rte_spinlock_unlock(&pair->lock);

	/* The memory is shared with the peer's fast path until both ports are closed. */
	if (last)
		vpair_pair_free(pair);
	return 0;
}

static int
vpair_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	const struct vpair_pair *pair = vpair_port(dev)->pair;
	const struct rte_eth_desc_lim desc_lim = {
		.nb_max = pair->max_desc,
		.nb_min = VPAIR_DESC_MIN,
		.nb_align = 1,
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
	/* Mbufs travel untouched: chained ones arrive chained. */
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	return 0;
}

static int
vpair_rx_queue_setup(struct rte_eth_dev *dev, uint16_t q, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_rxconf *conf, struct rte_mempool *mp)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;
	enum vpair_side_id producer = vpair_peer(port->side);
	struct vpair_rxq *rxq = &pair->side[port->side].rxq[q];

	rxq->port_id = dev->data->port_id;
	rxq->rings = (char *)vpair_ring(pair, producer, 0);
	rxq->ring_bytes = pair->ring_bytes;
	rxq->peer_nb_rings = &pair->side[producer].nb_rings;
	rxq->first = q;
	rxq->next = q;
	rxq->step = dev->data->nb_rx_queues;
	rxq->nb_desc = nb_desc;
	rxq->mp = mp;
	rxq->conf = *conf;
	dev->data->rx_queues[q] = rxq;
	return 0;
}

/*
 * Give a ring the capacity nb_desc. Its memory was sized for max_desc once and for all,
 * because the peer may be dequeuing from it at any time; what changes is how much of it is
 * used. Only the producer (this port, stopped) moves the ring forward, so an empty ring can
 * take a new slot range just above nb_desc, keeping its head and tail: the consumer sees no
 * entry until the producer adds some under the new mask. The cache footprint then follows
 * nb_desc, not max_desc. Packets still queued pin the slot range and the capacity's floor.
 */
static int
vpair_ring_resize(struct rte_ring *ring, uint32_t nb_desc)
{
	uint32_t queued = ring->prod.tail - ring->cons.tail;

	if (queued == 0) {
		ring->size = rte_align32pow2(nb_desc + 1);
		ring->mask = ring->size - 1;
	} else if (queued > nb_desc || nb_desc > ring->mask) {
		return -EBUSY;
	}
	ring->capacity = nb_desc;
	return 0;
}

static int
vpair_tx_queue_setup(struct rte_eth_dev *dev, uint16_t q, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct vpair_port *port = vpair_port(dev);
	struct vpair_pair *pair = port->pair;
	struct vpair_side *side = &pair->side[port->side];
	struct vpair_txq *txq = &side->txq[q];
	struct rte_ring *ring = vpair_ring(pair, port->side, q);
	int ret = vpair_ring_resize(ring, nb_desc);

	if (ret != 0) {
		VPAIR_LOG(ERR, "%s: tx queue %u: cannot resize to nb_desc %u while the peer has %u packets of it to receive; the queue keeps nb_desc %u",
			dev->data->name, q, nb_desc, rte_ring_count(ring),
			rte_ring_get_capacity(ring));
		/* ethdev dropped the queue before asking: what was set up stays set up. */
		if (txq->ring != NULL)
			dev->data->tx_queues[q] = txq;
		return ret;
	}

	txq->ring = ring;
	txq->carrier = &pair->carrier;
	txq->peer = &pair->side[vpair_peer(port->side)].rx_policy;
	txq->dynfield_offset = pair->dynfield_offset;
	txq->conf = *conf;
	dev->data->tx_queues[q] = txq;

	rte_spinlock_lock(&pair->lock);
	if (side->nb_rings <= q)
		__atomic_store_n(&side->nb_rings, q + 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&pair->lock);
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
	info->nb_desc = rte_ring_get_capacity(txq->ring);
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
	return vpair_l2_set_mtu(&vpair_rx_policy(dev)->filter, mtu);
}

/*
 * As a NIC, a promiscuous port takes every frame, multicast included: the filter's
 * allmulti is on whenever either mode is. ethdev records the new mode only after these
 * return, so the new value is passed in.
 */
static int
vpair_rx_modes_set(struct rte_eth_dev *dev, bool promisc, bool allmulti)
{
	struct vpair_rx_policy *policy = vpair_rx_policy(dev);

	vpair_l2_set_promisc(&policy->filter, promisc);
	vpair_l2_set_allmulti(&policy->filter, promisc || allmulti);
	vpair_rx_policy_changed(policy);
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
	return vpair_l2_uc_set(&vpair_rx_policy(dev)->filter, 0, addr);
}

static int
vpair_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *addr, uint32_t index,
	uint32_t vmdq)
{
	int ret = vpair_l2_uc_set(&vpair_rx_policy(dev)->filter, index, addr);

	if (ret != 0)
		VPAIR_LOG(ERR, "%s: cannot add MAC address %02x:%02x:%02x:%02x:%02x:%02x: a port's own addresses are unicast",
			dev->data->name, RTE_ETHER_ADDR_BYTES(addr));
	return ret;
}

static void
vpair_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	vpair_l2_uc_clear(&vpair_rx_policy(dev)->filter, index);
}

static int
vpair_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t nb)
{
	int ret = vpair_l2_mc_set(&vpair_rx_policy(dev)->filter, list, nb);

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
	struct vpair_rx_policy *policy = vpair_rx_policy(dev);

	policy->parse = ptype_mask != RTE_PTYPE_UNKNOWN;
	vpair_rx_policy_changed(policy);
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
	.rx_queue_setup = vpair_rx_queue_setup,
	.tx_queue_setup = vpair_tx_queue_setup,
	.rxq_info_get = vpair_rxq_info_get,
	.txq_info_get = vpair_txq_info_get,
	.rx_burst_mode_get = vpair_burst_mode_get,
	.tx_burst_mode_get = vpair_burst_mode_get,
	.mtu_set = vpair_mtu_set,
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
