/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Telemetry: /vpair/list and /vpair/info,<port>, next to ethdev's /ethdev/list and
 * /ethdev/info, for what ethdev cannot show: the peer, the carrier and why it is down, the
 * receive policy the peer's tx applies, and where packets wait.
 *
 * The callbacks run in the EAL's telemetry thread, alongside the application, and only
 * read. Counters and ring counts have a single writer and are stored whole, so they are read
 * while the fast path runs, without a lock. The port's state is read under the pair lock,
 * which only the two ports' control paths take: the snapshot is consistent, and a port seen
 * started cannot be stopped, so neither reconfigured, until its rx queues are counted.
 * As with /ethdev/info in DPDK 22.11, closing a port while a query runs is the application's
 * race: ethdev offers a telemetry thread nothing to hold a port by.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "vpair.h"

#define VPAIR_TEL_LIST_HELP \
	"Returns the port ids of the net_vpair ports. Takes no parameters"
#define VPAIR_TEL_INFO_HELP \
	"Returns peer, carrier, rx policy, queue and ring occupancy, drops of a net_vpair port. Parameters: int port_id"
/* A help text too long makes the registration fail, and the command silently missing. */
_Static_assert(sizeof(VPAIR_TEL_LIST_HELP) <= RTE_TEL_MAX_STRING_LEN, "help text too long");
_Static_assert(sizeof(VPAIR_TEL_INFO_HELP) <= RTE_TEL_MAX_STRING_LEN, "help text too long");

/* What /vpair/info reads under the pair lock. */
struct vpair_tel_state {
	uint8_t started;
	uint8_t admin_up;
	uint8_t carrier;
	int peer_port_id;	/* -1: the peer port is closed */
	uint16_t nb_txq;
	uint16_t nb_rxq;
	bool rxq_counted;	/* rxq_count is valid: the port is started */
	uint32_t txq_nb_desc[VPAIR_QUEUES_LIMIT];
	uint32_t txq_ring_count[VPAIR_QUEUES_LIMIT];
	uint32_t rxq_count[VPAIR_QUEUES_LIMIT];
};

/* The shape of /ethdev/list, so that a tool walking it then /ethdev/info walks these too. */
static int
vpair_tel_list(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	uint16_t port_id;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	RTE_ETH_FOREACH_DEV(port_id)
		if (vpair_is_port(port_id))
			rte_tel_data_add_array_int(d, port_id);
	return 0;
}

/* Plain decimal, as the devargs: "1x" is refused, not read as 1. */
static int
vpair_tel_port_param(const char *params, uint16_t *port_id)
{
	uint32_t id;

	if (vpair_decimal(params, RTE_MAX_ETHPORTS - 1, &id) != 0)
		return -EINVAL;
	*port_id = id;
	return 0;
}

static void
vpair_tel_state_read(const struct rte_eth_dev *dev, struct vpair_tel_state *st)
{
	const struct vpair_port *port = dev->data->dev_private;
	struct vpair_pair *pair = port->pair;
	struct vpair_side *side = &pair->side[port->side];
	const struct vpair_side *peer = &pair->side[vpair_peer(port->side)];
	uint16_t q;

	rte_spinlock_lock(&pair->lock);
	/*
	 * Under the lock: a port seen started keeps the queue counts it started with until we
	 * are done. ethdev keeps them within max_queues; clamped as a stopped port may be
	 * reconfigured meanwhile.
	 */
	st->nb_txq = RTE_MIN(dev->data->nb_tx_queues, pair->max_queues);
	st->nb_rxq = RTE_MIN(dev->data->nb_rx_queues, pair->max_queues);
	st->started = side->started;
	st->admin_up = side->admin_up;
	st->carrier = pair->carrier;
	st->peer_port_id = peer->allocated ? peer->port_id : -1;
	for (q = 0; q < st->nb_txq; q++) {
		st->txq_nb_desc[q] = side->txq[q].nb_desc;
		st->txq_ring_count[q] = rte_ring_count(vpair_ring(pair, port->side, q));
	}
	/* An rx queue learns its rings at start: as ethdev, count only on a started port. */
	st->rxq_counted = side->started;
	for (q = 0; st->rxq_counted && q < st->nb_rxq; q++)
		st->rxq_count[q] = vpair_rx_queue_count(&side->rxq[q]);
	rte_spinlock_unlock(&pair->lock);
}

/* Every drop reason of the driver's xstats ends in _errors or _dropped (vpair_stats.c). */
static bool
vpair_tel_is_drop(const char *name)
{
	static const char *const suffix[] = { "_errors", "_dropped" };
	size_t len = strlen(name);
	unsigned int i;

	for (i = 0; i < RTE_DIM(suffix); i++) {
		size_t n = strlen(suffix[i]);

		if (len >= n && strcmp(name + len - n, suffix[i]) == 0)
			return true;
	}
	return false;
}

/* The driver's own xstats, not ethdev's generic ones: their table lives in vpair_stats.c. */
static int
vpair_tel_drops(struct rte_eth_dev *dev, struct rte_tel_data *drops)
{
	int n = vpair_xstats_get_names(dev, NULL, 0);
	struct rte_eth_xstat_name *names = calloc(n, sizeof(*names));
	struct rte_eth_xstat *values = calloc(n, sizeof(*values));
	int ret = -ENOMEM;
	int i;

	rte_tel_data_start_dict(drops);
	if (names != NULL && values != NULL &&
			vpair_xstats_get_names(dev, names, n) == n &&
			vpair_xstats_get(dev, values, n) == n) {
		for (i = 0; i < n; i++) {
			uint64_t id = values[i].id;

			if (id < (uint64_t)n && vpair_tel_is_drop(names[id].name))
				rte_tel_data_add_dict_u64(drops, names[id].name, values[i].value);
		}
		ret = 0;
	}
	free(names);
	free(values);
	return ret;
}

static int
vpair_tel_info(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	enum { POLICY, TXQ_NB_DESC, TXQ_RING_COUNT, RXQ_COUNT, DROPS, NB_PARTS };
	static const char *const part_name[NB_PARTS] = {
		[POLICY] = "rx_policy",
		[TXQ_NB_DESC] = "txq_nb_desc",
		[TXQ_RING_COUNT] = "txq_ring_count",
		[RXQ_COUNT] = "rxq_count",
		[DROPS] = "drops",
	};
	struct rte_tel_data *part[NB_PARTS] = { NULL };
	const struct vpair_l2_filter *filter;
	const struct vpair_rx_policy *policy;
	const struct vpair_port *port;
	struct vpair_tel_state st;
	struct rte_eth_dev *dev;
	uint16_t port_id;
	unsigned int i;
	uint16_t q;

	/* As /ethdev/info: a bad or missing port id gets {"/vpair/info": null}. */
	if (vpair_tel_port_param(params, &port_id) != 0 || !vpair_is_port(port_id))
		return -EINVAL;
	dev = &rte_eth_devices[port_id];
	port = dev->data->dev_private;
	policy = vpair_pair_rx_policy(port->pair, port->side);
	filter = &policy->filter;

	for (i = 0; i < NB_PARTS; i++) {
		part[i] = rte_tel_data_alloc();
		if (part[i] == NULL)
			goto nomem;
	}
	if (vpair_tel_drops(dev, part[DROPS]) != 0)
		goto nomem;
	vpair_tel_state_read(dev, &st);

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", dev->data->name);
	rte_tel_data_add_dict_string(d, "device", port->pair->name);
	rte_tel_data_add_dict_string(d, "side", (char[]){ vpair_side_char(port->side), '\0' });
	rte_tel_data_add_dict_int(d, "port_id", port_id);
	rte_tel_data_add_dict_int(d, "peer_port_id", st.peer_port_id);
	rte_tel_data_add_dict_int(d, "carrier", st.carrier);
	rte_tel_data_add_dict_int(d, "admin_up", st.admin_up);
	rte_tel_data_add_dict_int(d, "started", st.started);
	rte_tel_data_add_dict_int(d, "max_queues", port->pair->max_queues);
	rte_tel_data_add_dict_int(d, "max_desc", port->pair->max_desc);
	rte_tel_data_add_dict_int(d, "nb_rx_queues", st.nb_rxq);
	rte_tel_data_add_dict_int(d, "nb_tx_queues", st.nb_txq);

	/* The policy the peer's tx applies, which may differ from ethdev's flags. */
	rte_tel_data_start_dict(part[POLICY]);
	rte_tel_data_add_dict_int(part[POLICY], "promiscuous",
		__atomic_load_n(&filter->promisc, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_int(part[POLICY], "all_multicast",
		__atomic_load_n(&filter->allmulti, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_int(part[POLICY], "parse",
		__atomic_load_n(&policy->parse, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_int(part[POLICY], "classify",
		__atomic_load_n(&policy->classify, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_int(part[POLICY], "mtu",
		__atomic_load_n(&filter->mtu, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_int(part[POLICY], "nb_unicast_addrs",
		__builtin_popcount(__atomic_load_n(&filter->uc_valid, __ATOMIC_RELAXED)));
	rte_tel_data_add_dict_int(part[POLICY], "nb_multicast_addrs",
		__atomic_load_n(&filter->nb_mc, __ATOMIC_RELAXED));

	rte_tel_data_start_array(part[TXQ_NB_DESC], RTE_TEL_INT_VAL);
	rte_tel_data_start_array(part[TXQ_RING_COUNT], RTE_TEL_U64_VAL);
	for (q = 0; q < st.nb_txq; q++) {
		rte_tel_data_add_array_int(part[TXQ_NB_DESC], st.txq_nb_desc[q]);
		rte_tel_data_add_array_u64(part[TXQ_RING_COUNT], st.txq_ring_count[q]);
	}
	/* Empty while the port is stopped: rte_eth_rx_queue_count() needs it started. */
	rte_tel_data_start_array(part[RXQ_COUNT], RTE_TEL_U64_VAL);
	for (q = 0; st.rxq_counted && q < st.nb_rxq; q++)
		rte_tel_data_add_array_u64(part[RXQ_COUNT], st.rxq_count[q]);

	/* Handed over one by one: telemetry frees each with the reply, a refused one is ours. */
	for (i = 0; i < NB_PARTS; i++) {
		if (rte_tel_data_add_dict_container(d, part_name[i], part[i], 0) < 0)
			rte_tel_data_free(part[i]);
	}
	return 0;

nomem:
	for (i = 0; i < NB_PARTS; i++)
		rte_tel_data_free(part[i]);
	return -ENOMEM;
}

/*
 * A constructor, as ethdev registers its commands: they exist before the EAL starts the
 * telemetry thread. In a secondary process, to which DPDK 22.11 gives no telemetry socket,
 * they are never called; if they were, they would read the same memzone, under the same
 * (shared) pair lock.
 */
RTE_INIT(vpair_telemetry_init)
{
	rte_telemetry_register_cmd("/vpair/list", vpair_tel_list, VPAIR_TEL_LIST_HELP);
	rte_telemetry_register_cmd("/vpair/info", vpair_tel_info, VPAIR_TEL_INFO_HELP);
}
