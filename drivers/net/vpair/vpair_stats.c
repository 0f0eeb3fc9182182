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
	struct vpair_tx_counters tx;
	struct vpair_rx_counters rx;
	uint64_t rx_flushed;
};

static const struct {
	const char *name;
	size_t offset;
} vpair_xstats[] = {
	/* Names ending in _errors / _dropped are what OVS-DPDK shows as custom statistics. */
	{ "tx_ring_full_errors", offsetof(struct vpair_totals, tx.ring_full) },
	{ "tx_link_down_errors", offsetof(struct vpair_totals, tx.link_down) },
	{ "rx_flushed_dropped", offsetof(struct vpair_totals, rx_flushed) },
};

static inline uint64_t
vpair_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* out[i] = cur[i] - base[i] over n counters; with rebase, base[i] = cur[i] instead. */
static void
vpair_counters_since(const void *cur, void *base, void *out, size_t n, bool rebase)
{
	const uint64_t *c = cur;
	uint64_t *b = base;
	uint64_t *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = vpair_read(&c[i]);

		if (rebase)
			b[i] = v;
		else
			o[i] = v - b[i];
	}
}

static void
vpair_totals(struct rte_eth_dev *dev, struct vpair_totals *t, struct rte_eth_stats *stats,
	bool rebase)
{
	struct vpair_port *port = dev->data->dev_private;
	struct vpair_side *side = &port->pair->side[port->side];
	uint16_t q;

	/* Every queue ever used, not only the configured ones: totals never go backwards. */
	memset(t, 0, sizeof(*t));
	for (q = 0; q < port->pair->max_queues; q++) {
		struct vpair_tx_counters tx = { 0 };
		struct vpair_rx_counters rx = { 0 };

		vpair_counters_since(&side->txq[q].c, &side->tx_base[q], &tx,
			VPAIR_COUNTERS_N(tx), rebase);
		vpair_counters_since(&side->rxq[q].c, &side->rx_base[q], &rx,
			VPAIR_COUNTERS_N(rx), rebase);
		t->tx.packets += tx.packets;
		t->tx.bytes += tx.bytes;
		t->tx.ring_full += tx.ring_full;
		t->tx.link_down += tx.link_down;
		t->rx.packets += rx.packets;
		t->rx.bytes += rx.bytes;

		if (stats != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			stats->q_opackets[q] = tx.packets;
			stats->q_obytes[q] = tx.bytes;
			stats->q_ipackets[q] = rx.packets;
			stats->q_ibytes[q] = rx.bytes;
		}
	}
	vpair_counters_since(&side->rx_flushed, &side->rx_flushed_base, &t->rx_flushed, 1,
		rebase);
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
	/* As net_ring: packets the ring refused count as failed transmissions. */
	stats->oerrors = t.tx.ring_full + t.tx.link_down;
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
