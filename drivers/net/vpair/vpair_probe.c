/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Probe and remove: device names, devargs, the ethdev ports of a pair, the public API.
 * A probe either creates everything or leaves nothing behind.
 *
 * Device names: NAME is pair NAME with both its ports, NAME_a and NAME_b. A device named
 * NAME_a (or NAME_b) is that one port of pair NAME: the first port probed creates the pair,
 * the other joins it, and each can be removed and probed again alone while the other runs,
 * keeping its MAC. That is what hot-plug needs (OVS-DPDK's dpdk-devargs=NAME_a): each port
 * is a device of its own.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>

#include "rte_pmd_vpair.h"
#include "vpair.h"

RTE_LOG_REGISTER_DEFAULT(vpair_logtype, NOTICE);

#define VPAIR_ARG_MAC_A		"mac_a"
#define VPAIR_ARG_MAC_B		"mac_b"
#define VPAIR_ARG_MAX_QUEUES	"max_queues"
#define VPAIR_ARG_MAX_DESC	"max_desc"
#define VPAIR_ARG_CSUM_PARTIAL	"csum_partial"


static const struct rte_mbuf_dynfield vpair_dynfield_desc = {
	.name = RTE_PMD_VPAIR_DYNFIELD_PKT_TYPE,
	.size = sizeof(uint8_t),
	.align = __alignof__(uint8_t),
};

struct vpair_config {
	struct vpair_pair_conf pair;
	bool mac_given[2];
	bool max_queues_given;
	bool max_desc_given;
	bool csum_partial_given;
};

/* What a device name stands for (see the top of this file). */
struct vpair_devname {
	char pair[RTE_DEV_NAME_MAX_LEN];
	uint8_t sides;		/* bit s: the device has the port of side s */
};

static void
vpair_devname_parse(const char *name, struct vpair_devname *dn)
{
	size_t len = strlen(name);

	strlcpy(dn->pair, name, sizeof(dn->pair));
	dn->sides = RTE_BIT32(VPAIR_SIDE_A) | RTE_BIT32(VPAIR_SIDE_B);
	if (len > 2 && len < sizeof(dn->pair) && name[len - 2] == '_' &&
			(name[len - 1] == 'a' || name[len - 1] == 'b')) {
		dn->pair[len - 2] = '\0';
		dn->sides = RTE_BIT32(name[len - 1] == 'a' ? VPAIR_SIDE_A : VPAIR_SIDE_B);
	}
}

static int
vpair_port_name(const char *dev_name, enum vpair_side_id side, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s_%c", dev_name, vpair_side_char(side));

	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/*
 * Default MACs: locally administered 02:76:70 ("vp"), then the number that ends the
 * device name in two bytes (net_vpair3 -> 00:03), then 0a for port a and 0b for port b.
 * A name without such a number uses a 16-bit FNV-1a hash of the name and 1a/1b instead,
 * so the two kinds never collide.
 */
static void
vpair_default_macs(const char *name, struct rte_ether_addr mac[2])
{
	size_t len = strlen(name);
	size_t digits = len;
	uint32_t id = 0;
	uint8_t kind = 0x00;
	enum vpair_side_id s;

	while (digits > 0 && name[digits - 1] >= '0' && name[digits - 1] <= '9')
		digits--;
	if (digits < len && len - digits <= 5)
		id = strtoul(name + digits, NULL, 10);
	if (digits == len || len - digits > 5 || id > UINT16_MAX) {
		uint32_t h = 2166136261u;
		size_t i;

		for (i = 0; i < len; i++)
			h = (h ^ (uint8_t)name[i]) * 16777619u;
		id = (h ^ (h >> 16)) & 0xffff;
		kind = 0x10;
	}
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		uint8_t *b = mac[s].addr_bytes;

		b[0] = 0x02;
		b[1] = 0x76;
		b[2] = 0x70;
		b[3] = id >> 8;
		b[4] = id & 0xff;
		b[5] = kind | (0x0a + s);
	}
}

static int
vpair_parse_u32(const char *key, const char *value, uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t v;

	if (vpair_decimal(value, max, &v) != 0 || v < min) {
		VPAIR_LOG(ERR, "devarg %s=%s: expected a decimal number from %u to %u",
			key, value, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int
vpair_parse_arg(const char *key, const char *value, struct vpair_config *cfg)
{
	uint32_t v = 0;
	int ret;

	if (strcmp(key, VPAIR_ARG_MAC_A) == 0 || strcmp(key, VPAIR_ARG_MAC_B) == 0) {
		enum vpair_side_id s = key[4] == 'a' ? VPAIR_SIDE_A : VPAIR_SIDE_B;

		if (rte_ether_unformat_addr(value, &cfg->pair.mac[s]) != 0 ||
				!rte_is_valid_assigned_ether_addr(&cfg->pair.mac[s])) {
			VPAIR_LOG(ERR, "devarg %s=%s: expected a unicast MAC address like 02:00:00:00:00:01",
				key, value);
			return -EINVAL;
		}
		cfg->mac_given[s] = true;
		return 0;
	}
	if (strcmp(key, VPAIR_ARG_MAX_QUEUES) == 0) {
		ret = vpair_parse_u32(key, value, 1, VPAIR_QUEUES_LIMIT, &v);
		cfg->pair.max_queues = v;
		cfg->max_queues_given = true;
		return ret;
	}
	if (strcmp(key, VPAIR_ARG_MAX_DESC) == 0) {
		ret = vpair_parse_u32(key, value, VPAIR_DESC_MIN, VPAIR_DESC_MAX_LIMIT, &v);
		if (ret == 0 && !rte_is_power_of_2(v)) {
			VPAIR_LOG(ERR, "devarg %s=%s: expected a power of two", key, value);
			ret = -EINVAL;
		}
		cfg->pair.max_desc = v;
		cfg->max_desc_given = true;
		return ret;
	}
	if (strcmp(key, VPAIR_ARG_CSUM_PARTIAL) == 0) {
		ret = vpair_parse_u32(key, value, 0, 1, &v);
		cfg->pair.csum_partial = v;
		cfg->csum_partial_given = true;
		return ret;
	}
	VPAIR_LOG(ERR, "unknown devarg %s=%s; valid keys: " VPAIR_ARG_MAC_A ", " VPAIR_ARG_MAC_B
		", " VPAIR_ARG_MAX_QUEUES ", " VPAIR_ARG_MAX_DESC ", " VPAIR_ARG_CSUM_PARTIAL,
		key, value);
	return -EINVAL;
}

static int
vpair_parse_devargs(const char *name, const char *params, struct vpair_config *cfg)
{
	struct rte_kvargs *kvlist;
	unsigned int i, j;
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	vpair_default_macs(name, cfg->pair.mac);
	cfg->pair.max_queues = VPAIR_QUEUES_DEFAULT;
	cfg->pair.max_desc = VPAIR_DESC_MAX_DEFAULT;
	if (params == NULL || params[0] == '\0')
		return 0;

	/* Keys are checked here rather than by rte_kvargs, so the log can name the bad one. */
	kvlist = rte_kvargs_parse(params, NULL);
	if (kvlist == NULL) {
		VPAIR_LOG(ERR, "%s: cannot parse devargs \"%s\": expected key=value[,key=value...]",
			name, params);
		return -EINVAL;
	}
	for (i = 0; i < kvlist->count && ret == 0; i++) {
		const struct rte_kvargs_pair *kv = &kvlist->pairs[i];

		for (j = 0; j < i; j++) {
			if (strcmp(kvlist->pairs[j].key, kv->key) == 0) {
				VPAIR_LOG(ERR, "devarg %s given twice", kv->key);
				ret = -EINVAL;
			}
		}
		if (ret == 0 && kv->value == NULL) {
			VPAIR_LOG(ERR, "devarg %s has no value", kv->key);
			ret = -EINVAL;
		}
		if (ret == 0)
			ret = vpair_parse_arg(kv->key, kv->value, cfg);
	}
	rte_kvargs_free(kvlist);
	if (ret == 0 && rte_is_same_ether_addr(&cfg->pair.mac[VPAIR_SIDE_A],
			&cfg->pair.mac[VPAIR_SIDE_B])) {
		VPAIR_LOG(ERR, "devargs " VPAIR_ARG_MAC_A " and " VPAIR_ARG_MAC_B
			" are the same address: the two ports need two");
		ret = -EINVAL;
	}
	if (ret != 0)
		VPAIR_LOG(ERR, "%s: rejected devargs \"%s\"", name, params);
	return ret;
}

/* Lower case, as the guide and OVS's examples write them. */
static const char *
vpair_mac_str(char buf[RTE_ETHER_ADDR_FMT_SIZE], const struct rte_ether_addr *mac)
{
	snprintf(buf, RTE_ETHER_ADDR_FMT_SIZE, "%02x:%02x:%02x:%02x:%02x:%02x",
		RTE_ETHER_ADDR_BYTES(mac));
	return buf;
}

/*
 * What OVS users type is a port name: net_vpair0_a would otherwise become a new device
 * whose ports nothing joins to. Say which port it is and how to select it.
 */
static int
vpair_check_name(const char *name)
{
	struct rte_eth_dev *port = rte_eth_dev_allocated(name);
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	if (port == NULL || port->state == RTE_ETH_DEV_UNUSED)
		return 0;
	VPAIR_LOG(ERR, "%s is the name of port %u of device %s, not of a device: select that port with class=eth,mac=%s",
		name, port->data->port_id,
		port->device != NULL ? rte_dev_name(port->device) : "?",
		vpair_mac_str(mac, &port->data->mac_addrs[0]));
	/* Not -EEXIST: rte_dev_probe() takes that for "probed already" and succeeds. */
	return -EINVAL;
}

/*
 * Default MACs come from the number that ends the name, so net_vpair1, net_vpair01 and
 * eth_vpair1 would share them (and hashes can collide): refuse rather than have two
 * ports answer to one address.
 */
static int
vpair_check_default_macs(const char *name, const struct vpair_config *cfg)
{
	enum vpair_side_id s;
	uint16_t port_id;

	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		if (cfg->mac_given[s])
			continue;
		RTE_ETH_FOREACH_DEV(port_id) {
			struct rte_eth_dev *other = &rte_eth_devices[port_id];

			if (!rte_is_same_ether_addr(&other->data->mac_addrs[0], &cfg->pair.mac[s]))
				continue;
			VPAIR_LOG(ERR, "%s: the default MAC %s of port %s_%c is already the MAC of port %u (%s): give %s devargs",
				name, vpair_mac_str(mac, &cfg->pair.mac[s]), name, vpair_side_char(s),
				port_id, other->data->name,
				s == VPAIR_SIDE_A ? VPAIR_ARG_MAC_A : VPAIR_ARG_MAC_B);
			return -EADDRINUSE;
		}
	}
	return 0;
}

/*
 * A port joining a pair its peer created: the pair's settings are the peer's devargs, and
 * devargs given again must say the same.
 */
static int
vpair_check_join(const char *name, const struct vpair_devname *dn,
	const struct vpair_pair *pair, const struct vpair_config *cfg)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	enum vpair_side_id s;

	if (dn->sides == (RTE_BIT32(VPAIR_SIDE_A) | RTE_BIT32(VPAIR_SIDE_B))) {
		VPAIR_LOG(ERR, "%s: the pair exists already, its ports as devices %s_a and %s_b",
			name, dn->pair, dn->pair);
		/* Not -EEXIST: rte_dev_probe() takes that for "probed already" and succeeds. */
		return -EINVAL;
	}
	if (cfg->max_queues_given && cfg->pair.max_queues != pair->max_queues) {
		VPAIR_LOG(ERR, "%s: devarg " VPAIR_ARG_MAX_QUEUES "=%u, but pair %s has %u",
			name, cfg->pair.max_queues, dn->pair, pair->max_queues);
		return -EINVAL;
	}
	if (cfg->max_desc_given && cfg->pair.max_desc != pair->max_desc) {
		VPAIR_LOG(ERR, "%s: devarg " VPAIR_ARG_MAX_DESC "=%u, but pair %s has %u",
			name, cfg->pair.max_desc, dn->pair, pair->max_desc);
		return -EINVAL;
	}
	if (cfg->csum_partial_given && cfg->pair.csum_partial != pair->csum_partial) {
		VPAIR_LOG(ERR, "%s: devarg " VPAIR_ARG_CSUM_PARTIAL "=%u, but pair %s has %u",
			name, cfg->pair.csum_partial, dn->pair, pair->csum_partial);
		return -EINVAL;
	}
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		if (!cfg->mac_given[s] || rte_is_same_ether_addr(&cfg->pair.mac[s], &pair->mac[s]))
			continue;
		VPAIR_LOG(ERR, "%s: devarg %s=%s, but pair %s has %s",
			name, s == VPAIR_SIDE_A ? VPAIR_ARG_MAC_A : VPAIR_ARG_MAC_B,
			vpair_mac_str(mac, &cfg->pair.mac[s]), dn->pair,
			vpair_mac_str((char [RTE_ETHER_ADDR_FMT_SIZE]){ 0 }, &pair->mac[s]));
		return -EINVAL;
	}
	return 0;
}

static void
vpair_set_burst_fns(struct rte_eth_dev *eth_dev)
{
	eth_dev->dev_ops = &vpair_ops;
	eth_dev->rx_pkt_burst = vpair_rx_burst;
	eth_dev->tx_pkt_burst = vpair_tx_burst;
	eth_dev->tx_pkt_prepare = vpair_tx_prepare;
	eth_dev->rx_queue_count = vpair_rx_queue_count;
	eth_dev->rx_descriptor_status = vpair_rx_descriptor_status;
	eth_dev->tx_descriptor_status = vpair_tx_descriptor_status;
}

static struct rte_eth_dev *
vpair_port_create(struct rte_vdev_device *vdev, struct vpair_pair *pair,
	enum vpair_side_id side)
{
	int socket = vdev->device.numa_node;
	char port_name[RTE_ETH_NAME_MAX_LEN];
	struct rte_eth_dev *eth_dev;
	struct vpair_port *port;

	if (vpair_port_name(pair->name, side, port_name, sizeof(port_name)) != 0) {
		VPAIR_LOG(ERR, "%s: device name too long for its port names", pair->name);
		return NULL;
	}
	eth_dev = rte_eth_dev_allocate(port_name);
	if (eth_dev == NULL)
		return NULL;

	port = rte_zmalloc_socket(port_name, sizeof(*port), 0, socket);
	eth_dev->data->mac_addrs = rte_zmalloc_socket(port_name,
		VPAIR_MAC_ADDRS_MAX * sizeof(struct rte_ether_addr), 0, socket);
	eth_dev->data->dev_private = port;
	if (port == NULL || eth_dev->data->mac_addrs == NULL) {
		VPAIR_LOG(ERR, "%s: out of memory", port_name);
		rte_eth_dev_release_port(eth_dev);	/* frees both */
		return NULL;
	}
	port->pair = pair;
	port->side = side;

	eth_dev->device = &vdev->device;
	eth_dev->intr_handle = NULL;
	eth_dev->data->numa_node = socket;
	eth_dev->data->mac_addrs[0] = pair->mac[side];
	eth_dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC | RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	eth_dev->data->dev_link = (struct rte_eth_link) {
		.link_speed = VPAIR_LINK_SPEED,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = RTE_ETH_LINK_DOWN,
	};
	vpair_set_burst_fns(eth_dev);
	/*
	 * A port added again takes up its side's counters where they were, as its peer's go
	 * on: the identity between the two holds across the removal.
	 */
	vpair_pair_port_add(pair, side, eth_dev->data->port_id, eth_dev->data->mtu);
	return eth_dev;
}

static int
vpair_probe_secondary(struct rte_vdev_device *vdev, const struct vpair_devname *dn)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *eth_dev[2] = { NULL, NULL };
	char port_name[RTE_ETH_NAME_MAX_LEN];
	enum vpair_side_id s;

	if (vpair_pair_find(dn->pair) == NULL) {
		VPAIR_LOG(ERR, "%s: the primary process has no such device", name);
		return -ENODEV;
	}
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		if (!(dn->sides & RTE_BIT32(s)))
			continue;
		if (vpair_port_name(dn->pair, s, port_name, sizeof(port_name)) != 0)
			return -ENAMETOOLONG;
		/* A port the primary already closed stays closed. */
		eth_dev[s] = rte_eth_dev_attach_secondary(port_name);
		if (eth_dev[s] == NULL)
			continue;
		eth_dev[s]->device = &vdev->device;
		vpair_set_burst_fns(eth_dev[s]);
	}
	if (eth_dev[VPAIR_SIDE_A] == NULL && eth_dev[VPAIR_SIDE_B] == NULL) {
		VPAIR_LOG(ERR, "%s: no port to attach in the primary process", name);
		return -ENODEV;
	}
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++)
		if (eth_dev[s] != NULL)
			rte_eth_dev_probing_finish(eth_dev[s]);
	return 0;
}

/* The first port of a pair creates it, with the mbuf field the fast path writes. */
static struct vpair_pair *
vpair_probe_new_pair(struct rte_vdev_device *vdev, const char *pair_name,
	struct vpair_config *cfg)
{
	const char *name = rte_vdev_device_name(vdev);
	int ret = vpair_check_default_macs(pair_name, cfg);

	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	cfg->pair.dynfield_offset = rte_mbuf_dynfield_register(&vpair_dynfield_desc);
	if (cfg->pair.dynfield_offset < 0) {
		VPAIR_LOG(ERR, "%s: cannot register mbuf field %s: %s", name,
			vpair_dynfield_desc.name, rte_strerror(rte_errno));
		return NULL;
	}
	if (vdev->device.numa_node == SOCKET_ID_ANY)
		vdev->device.numa_node = rte_socket_id();
	return vpair_pair_create(pair_name, &cfg->pair, vdev->device.numa_node);
}

static int
vpair_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *eth_dev[2] = { NULL, NULL };
	struct vpair_devname dn;
	struct vpair_config cfg;
	struct vpair_pair *pair;
	enum vpair_side_id s;
	bool created = false;
	int ret;

	vpair_devname_parse(name, &dn);
	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		return vpair_probe_secondary(vdev, &dn);

	ret = vpair_check_name(name);
	if (ret == 0)
		ret = vpair_parse_devargs(dn.pair, rte_vdev_device_args(vdev), &cfg);
	if (ret != 0)
		return ret;
	pair = vpair_pair_find(dn.pair);
	if (pair != NULL) {
		ret = vpair_check_join(name, &dn, pair, &cfg);
		if (ret != 0)
			return ret;
	} else {
		pair = vpair_probe_new_pair(vdev, dn.pair, &cfg);
		if (pair == NULL)
			return -rte_errno;
		created = true;
	}

	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		if (!(dn.sides & RTE_BIT32(s)))
			continue;
		eth_dev[s] = vpair_port_create(vdev, pair, s);
		if (eth_dev[s] != NULL)
			continue;
		if (s == VPAIR_SIDE_B && eth_dev[VPAIR_SIDE_A] != NULL) {
			vpair_pair_port_close(pair, VPAIR_SIDE_A);
			rte_eth_dev_release_port(eth_dev[VPAIR_SIDE_A]);
		} else if (created) {
			vpair_pair_free(pair);
		}
		return -ENOMEM;
	}
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++)
		if (eth_dev[s] != NULL)
			rte_eth_dev_probing_finish(eth_dev[s]);

	VPAIR_LOG(INFO, "%s: %s pair %s, %u queues, rings up to %u packets", name,
		created ? "new" : "joined", dn.pair, pair->max_queues, pair->max_desc);
	return 0;
}

static int
vpair_remove(struct rte_vdev_device *vdev)
{
	struct vpair_devname dn;
	char port_name[RTE_ETH_NAME_MAX_LEN];
	enum vpair_side_id s;
	int ret = 0;

	/* Every port of the device: removing it must not strand one (net_ring's flaw). */
	vpair_devname_parse(rte_vdev_device_name(vdev), &dn);
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		struct rte_eth_dev *eth_dev;
		int err;

		if (!(dn.sides & RTE_BIT32(s)) ||
				vpair_port_name(dn.pair, s, port_name, sizeof(port_name)) != 0)
			continue;
		eth_dev = rte_eth_dev_allocated(port_name);
		/*
		 * Closed already (in a secondary, ethdev keeps the data of a released port), or
		 * since probed again as a device of its own.
		 */
		if (eth_dev == NULL || eth_dev->state == RTE_ETH_DEV_UNUSED ||
				eth_dev->device != &vdev->device)
			continue;
		if (rte_eal_process_type() == RTE_PROC_PRIMARY && eth_dev->data->dev_started) {
			err = rte_eth_dev_stop(eth_dev->data->port_id);
			if (err != 0 && ret == 0)
				ret = err;
		}
		err = rte_eth_dev_close(eth_dev->data->port_id);
		if (err != 0 && ret == 0)
			ret = err;
	}
	return ret;
}

static struct rte_vdev_driver vpair_vdev_drv = {
	.probe = vpair_probe,
	.remove = vpair_remove,
};

RTE_PMD_REGISTER_VDEV(net_vpair, vpair_vdev_drv);
RTE_PMD_REGISTER_ALIAS(net_vpair, eth_vpair);
RTE_PMD_REGISTER_PARAM_STRING(net_vpair,
	VPAIR_ARG_MAC_A "=<mac> "
	VPAIR_ARG_MAC_B "=<mac> "
	VPAIR_ARG_MAX_QUEUES "=<1-64> "
	VPAIR_ARG_MAX_DESC "=<power of two, 32-32768> "
	VPAIR_ARG_CSUM_PARTIAL "=<0-1>");

/* Public API. */

/* The vdev bus gives names starting with the driver's name or alias to this driver. */
static bool
vpair_is_device_name(const char *name)
{
	return strncmp(name, "net_vpair", 9) == 0 || strncmp(name, "eth_vpair", 9) == 0;
}

int
rte_pmd_vpair_get_ports(const char *name, uint16_t *port_a, uint16_t *port_b)
{
	uint16_t *out[2] = { port_a, port_b };
	char port_name[RTE_ETH_NAME_MAX_LEN];
	enum vpair_side_id s;
	int found = 0;

	if (name == NULL)
		return -EINVAL;
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		uint16_t id = RTE_MAX_ETHPORTS;

		if (vpair_port_name(name, s, port_name, sizeof(port_name)) == 0 &&
				rte_eth_dev_get_port_by_name(port_name, &id) == 0 &&
				vpair_is_port(id))
			found++;
		else
			id = RTE_MAX_ETHPORTS;
		if (out[s] != NULL)
			*out[s] = id;
	}
	return found > 0 ? 0 : -ENODEV;
}

int
rte_pmd_vpair_get_peer(uint16_t port_id, uint16_t *peer_port_id)
{
	const struct vpair_port *port;
	const struct vpair_side *peer;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (!vpair_is_port(port_id))
		return -ENOTSUP;
	port = rte_eth_devices[port_id].data->dev_private;
	peer = &port->pair->side[vpair_peer(port->side)];
	if (!peer->allocated)
		return -ENODEV;
	if (peer_port_id != NULL)
		*peer_port_id = peer->port_id;
	return 0;
}

int
rte_pmd_vpair_create(const char *name, const char *devargs, uint16_t *port_a,
	uint16_t *port_b)
{
	struct vpair_devname dn;
	int ret;

	if (name == NULL || !vpair_is_device_name(name)) {
		VPAIR_LOG(ERR, "device name %s must start with net_vpair", name ? name : "(null)");
		return -EINVAL;
	}
	ret = rte_vdev_init(name, devargs);
	if (ret != 0)
		return ret;
	vpair_devname_parse(name, &dn);
	return rte_pmd_vpair_get_ports(dn.pair, port_a, port_b);
}

int
rte_pmd_vpair_destroy(const char *name)
{
	int ret;

	if (name == NULL)
		return -EINVAL;
	if (!vpair_is_device_name(name))
		return -ENODEV;
	ret = rte_vdev_uninit(name);
	return ret == -ENOENT ? -ENODEV : ret;
}
