/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Statistics. The fast path's counters have one writer each and are never reset: a reset
 * records a baseline that later reads subtract, so the control path never writes a counter
 * a queue thread is updating.
 */

#include <string.h>

#include "vpair.h"

/* Everything a port reports, already net of the last reset. */
struct vpair_totals {
	struct vpair_tx_counters tx;	/* its own tx queues */
	struct vpair_tx_counters peer;	/* the peer's tx queues: only the rx_ fields are its */
	struct vpair_rx_counters rx;
	uint64_t rx_flushed;
};

#define VPAIR_XSTAT(name, field) { name, offsetof(struct vpair_totals, field) }

static const struct {
	const char *name;
	size_t offset;
} vpair_xstats[] = {
	/* Every drop reason ends in _errors or _dropped: OVS-DPDK shows those. */
	VPAIR_XSTAT("rx_otherhost_dropped", peer.rx_drop[VPAIR_L2_DROP_OTHERHOST]),
	VPAIR_XSTAT("rx_mcast_filter_dropped", peer.rx_drop[VPAIR_L2_DROP_MCAST_FILTER]),
	VPAIR_XSTAT("rx_oversize_errors", peer.rx_drop[VPAIR_L2_DROP_OVERSIZE]),
	VPAIR_XSTAT("rx_undersized_errors", peer.rx_drop[VPAIR_L2_DROP_RUNT]),
	VPAIR_XSTAT("rx_flushed_dropped", rx_flushed),
	VPAIR_XSTAT("rx_scatter_errors", peer.rx_scatter),
	VPAIR_XSTAT("rx_unicast_packets", peer.rx_cast[VPAIR_UNICAST]),
	VPAIR_XSTAT("rx_multicast_packets", peer.rx_cast[VPAIR_MULTICAST]),
	VPAIR_XSTAT("rx_broadcast_packets", peer.rx_cast[VPAIR_BROADCAST]),
	VPAIR_XSTAT("tx_unicast_packets", tx.cast[VPAIR_UNICAST]),
	VPAIR_XSTAT("tx_multicast_packets", tx.cast[VPAIR_MULTICAST]),
	VPAIR_XSTAT("tx_broadcast_packets", tx.cast[VPAIR_BROADCAST]),
	VPAIR_XSTAT("tx_ring_full_errors", tx.ring_full),
	VPAIR_XSTAT("tx_link_down_errors", tx.link_down),
	VPAIR_XSTAT("tx_queue_stopped_errors", tx.queue_stopped),
	VPAIR_XSTAT("tx_malformed_errors", tx.malformed),
	VPAIR_XSTAT("tx_offload_errors", tx.offload),
};

/*
 * sum[i] += cur[i] - base[i] over n counters; with rebase, base[i] = cur[i] instead.
 * Counters are read whole (single-writer, stored whole): never torn.
 */
static void
vpair_accumulate(const void *cur, void *base, void *sum, size_t n, bool rebase)
{
	const uint64_t *c = cur;
	uint64_t *b = base;
	uint64_t *o = sum;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = __atomic_load_n(&c[i], __ATOMIC_RELAXED);

		if (rebase)
			b[i] = v;
		else
			o[i] += v - b[i];
	}
}

static void
vpair_add(void *sum, const void *x, size_t n)
{
	uint64_t *o = sum;
	const uint64_t *v = x;
	size_t i;

	for (i = 0; i < n; i++)
		o[i] += v[i];
}

static void
vpair_totals(struct rte_eth_dev *dev, struct vpair_totals *t, struct rte_eth_stats *stats,
	bool rebase)
{
	struct vpair_port *port = dev->data->dev_private;
	struct vpair_side *side = &port->pair->side[port->side];
	struct vpair_side *peer = &port->pair->side[vpair_peer(port->side)];
	uint16_t q;

	/* Every queue ever used, not only the configured ones: totals never go backwards. */
	memset(t, 0, sizeof(*t));
	for (q = 0; q < port->pair->max_queues; q++) {
		struct vpair_tx_counters tx = { 0 };
		struct vpair_rx_counters rx = { 0 };

		vpair_accumulate(&side->txq[q].c, &side->tx_base[q], &tx,
			VPAIR_COUNTERS_N(tx), rebase);
		vpair_accumulate(&side->rxq[q].c, &side->rx_base[q], &rx,
			VPAIR_COUNTERS_N(rx), rebase);
		vpair_accumulate(&peer->txq[q].c, &side->peer_tx_base[q], &t->peer,
			VPAIR_COUNTERS_N(t->peer), rebase);
		vpair_add(&t->tx, &tx, VPAIR_COUNTERS_N(tx));
		vpair_add(&t->rx, &rx, VPAIR_COUNTERS_N(rx));

		if (stats != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			stats->q_opackets[q] = tx.packets;
			stats->q_obytes[q] = tx.bytes;
			stats->q_ipackets[q] = rx.packets;
			stats->q_ibytes[q] = rx.bytes;
		}
	}
	vpair_accumulate(&side->rx_flushed, &side->rx_flushed_base, &t->rx_flushed, 1, rebase);
}

int
vpair_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct vpair_totals t;

	vpair_totals(dev, &t, stats, false);
	stats->ipackets = t.rx.packets;
	stats->ibytes = t.rx.bytes;
	stats->opackets = t.tx.packets;
	stats->obytes = t.tx.bytes;
	/*
	 * Only what tx_burst took and could not send. What it handed back stays the caller's:
	 * counted again at each retry, it would make oerrors (and OVS's tx_dropped) lie.
	 */
	stats->oerrors = t.tx.malformed + t.tx.offload;
	/* Frames lost on their way in show as testpmd's RX-errors / RX-dropped. */
	stats->ierrors = t.peer.rx_drop[VPAIR_L2_DROP_OVERSIZE] +
		t.peer.rx_drop[VPAIR_L2_DROP_RUNT] + t.peer.rx_scatter;
	/* ethdev shows it as rx_mbuf_allocation_errors. */
	stats->rx_nombuf = t.peer.rx_nombuf;
	stats->imissed = t.peer.rx_drop[VPAIR_L2_DROP_OTHERHOST] +
		t.peer.rx_drop[VPAIR_L2_DROP_MCAST_FILTER] + t.rx_flushed;
	return 0;
}

int
vpair_stats_reset(struct rte_eth_dev *dev)
{
	struct vpair_totals t;

	vpair_totals(dev, &t, NULL, true);
	return 0;
}

int
vpair_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int n)
{
	struct vpair_totals t;
	unsigned int i;

	if (xstats == NULL || n < RTE_DIM(vpair_xstats))
		return RTE_DIM(vpair_xstats);

	vpair_totals(dev, &t, NULL, false);
	for (i = 0; i < RTE_DIM(vpair_xstats); i++) {
		xstats[i].id = i;
		xstats[i].value = *(const uint64_t *)((const char *)&t + vpair_xstats[i].offset);
	}
	return RTE_DIM(vpair_xstats);
}

int
vpair_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names,
	unsigned int size)
{
	unsigned int i;

	if (names == NULL || size < RTE_DIM(vpair_xstats))
		return RTE_DIM(vpair_xstats);

	for (i = 0; i < RTE_DIM(vpair_xstats); i++)
		strlcpy(names[i].name, vpair_xstats[i].name, sizeof(names[i].name));
	return RTE_DIM(vpair_xstats);
}
