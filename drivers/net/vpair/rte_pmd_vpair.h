/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef RTE_PMD_VPAIR_H
#define RTE_PMD_VPAIR_H

/**
 * @file
 * net_vpair: two ethdev ports joined back to back, as Linux veth.
 *
 * A device named NAME (e.g. "net_vpair0") has two ports, named NAME_a and NAME_b, created
 * in that order. What one port transmits, the other receives, by pointer, in order. A
 * device named NAME_a (or NAME_b) is that one port of pair NAME, a device of its own that
 * can be removed and created again while the other port runs.
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdint.h>

#include <rte_compat.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Name of the mbuf dynamic field holding the class of a received frame: one uint8_t,
 * an enum rte_pmd_vpair_pkt_type. Written while packet type parsing is on (after
 * rte_eth_dev_configure, until rte_eth_dev_set_ptypes(port, RTE_PTYPE_UNKNOWN, ...)).
 */
#define RTE_PMD_VPAIR_DYNFIELD_PKT_TYPE "rte_net_vpair_dynfield_pkt_type"

/** Class of a frame by its destination MAC, numbered as Linux's PACKET_* (if_packet.h). */
enum rte_pmd_vpair_pkt_type {
	RTE_PMD_VPAIR_PKT_HOST = 0,		/**< a unicast address of the receiving port */
	RTE_PMD_VPAIR_PKT_BROADCAST = 1,	/**< ff:ff:ff:ff:ff:ff */
	RTE_PMD_VPAIR_PKT_MULTICAST = 2,	/**< any other group address */
	RTE_PMD_VPAIR_PKT_OTHERHOST = 3,	/**< unicast, not for this port (promiscuous) */
};

/**
 * Offset of the pkt_type field in the mbuf, or -1 (rte_errno ENOENT) before any net_vpair
 * device was probed. Look it up once, after probing, and keep it.
 */
__rte_experimental
static inline int
rte_pmd_vpair_pkt_type_offset(void)
{
	return rte_mbuf_dynfield_lookup(RTE_PMD_VPAIR_DYNFIELD_PKT_TYPE, NULL);
}

/** The class of a frame received on a net_vpair port with parsing on. */
__rte_experimental
static inline enum rte_pmd_vpair_pkt_type
rte_pmd_vpair_pkt_type(const struct rte_mbuf *m, int offset)
{
	return (enum rte_pmd_vpair_pkt_type)*RTE_MBUF_DYNFIELD(m, offset, const uint8_t *);
}

/**
 * Create a pair, as --vdev=name,devargs would.
 *
 * @param name
 *   Device name, starting with "net_vpair": "net_vpair0" for both ports of pair
 *   net_vpair0, "net_vpair0_a" or "net_vpair0_b" for one (creating the pair or joining it).
 * @param devargs
 *   Devargs string without the name (e.g. "mac_a=02:00:00:00:00:01"), or NULL.
 * @param port_a
 *   If not NULL, receives the port id of the pair's port a, RTE_MAX_ETHPORTS if none.
 * @param port_b
 *   If not NULL, receives the port id of the pair's port b, RTE_MAX_ETHPORTS if none.
 * @return
 *   0, or a negative errno: -EINVAL for a bad name or devargs (or the name of an
 *   existing port), -EEXIST if the device exists, -EADDRINUSE if a default MAC address
 *   (no mac_a or mac_b given) is already another port's.
 */
__rte_experimental
int rte_pmd_vpair_create(const char *name, const char *devargs, uint16_t *port_a,
	uint16_t *port_b);

/**
 * Remove a device: stop and close its ports that are still open; the pair's memory goes
 * with its last port.
 *
 * @return
 *   0, or a negative errno (-ENODEV if there is no such net_vpair device).
 */
__rte_experimental
int rte_pmd_vpair_destroy(const char *name);

/**
 * Find the two ports of a pair by device name.
 *
 * @return
 *   0, or -ENODEV if no port of that device is open. A port already closed is reported
 *   as RTE_MAX_ETHPORTS.
 */
__rte_experimental
int rte_pmd_vpair_get_ports(const char *name, uint16_t *port_a, uint16_t *port_b);

/**
 * The port joined to port_id.
 *
 * @return
 *   0, -ENOTSUP if port_id is not a net_vpair port, -ENODEV if it or its peer is closed.
 */
__rte_experimental
int rte_pmd_vpair_get_peer(uint16_t port_id, uint16_t *peer_port_id);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_VPAIR_H */
