/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef VPAIR_H
#define VPAIR_H

/*
 * Internal layout of a net_vpair instance.
 *
 * Everything both ports' fast paths can touch lives in one memzone per instance (struct
 * vpair_pair followed by the rings). It is reserved at probe, never resized, and freed only
 * when both ports are closed, so stopping, reconfiguring or closing one port can never pull
 * memory from under the peer's fast path. The memzone holds no pointer to process-local
 * memory: a secondary process maps it at the same address and finds it by name.
 *
 * Data flow: tx queue q of side s produces into ring (s, q), which only side !s consumes.
 * Rx queue r of a port with n rx queues polls the peer's rings r, r + n, r + 2n, ... below
 * the peer's ring bound. Every ring therefore has exactly one producer thread and one
 * consumer thread: single-producer / single-consumer, no locks.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <ethdev_driver.h>

#include "vpair_l2.h"

extern int vpair_logtype;
#define VPAIR_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vpair_logtype, "net_vpair: " fmt "\n", ##__VA_ARGS__)

#define VPAIR_QUEUES_LIMIT	64	/* hard cap of max_queues */
#define VPAIR_QUEUES_DEFAULT	16
#define VPAIR_DESC_MIN		32u
#define VPAIR_DESC_MAX_LIMIT	32768u
#define VPAIR_DESC_MAX_DEFAULT	4096u
#define VPAIR_DESC_DEFAULT	1024u
#define VPAIR_MAC_ADDRS_MAX	VPAIR_L2_MAX_UC	/* ethdev's table mirrors the filter's */
#define VPAIR_MTU_MIN		68	/* as veth: ETH_MIN_MTU */
#define VPAIR_MTU_MAX		UINT16_MAX
/* Frame overhead over the MTU: Ethernet header plus up to two VLAN tags. */
#define VPAIR_FRAME_OVERHEAD	(RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN)
#define VPAIR_LINK_SPEED	RTE_ETH_SPEED_NUM_10G	/* what veth reports */

enum vpair_side_id { VPAIR_SIDE_A = 0, VPAIR_SIDE_B = 1 };

enum vpair_cast { VPAIR_UNICAST, VPAIR_MULTICAST, VPAIR_BROADCAST, VPAIR_NB_CAST };

/*
 * Counters of a tx queue. Written only by the thread that owns the queue; the control path
 * reads them and keeps its own baseline for resets, so nothing else ever writes them.
 */
struct vpair_tx_counters {
	uint64_t packets;	/* accepted, whatever the receiver then does with them */
	uint64_t bytes;
	uint64_t ring_full;	/* refused: the ring to the peer was full */
	uint64_t link_down;	/* refused: the link was down */
	uint64_t cast[VPAIR_NB_CAST];	/* accepted, by destination, while classifying */
	/*
	 * The receiver's side of the frames, decided here where the header is hot. They
	 * are the receiver's statistics: it sums them over the peer's tx queues.
	 */
	uint64_t rx_cast[VPAIR_NB_CAST];	/* passed its filter, into its ring */
	uint64_t rx_drop[VPAIR_L2_DROP_MAX];	/* dropped, by reason; [VPAIR_L2_PASS] unused */
};

struct vpair_rx_counters {
	uint64_t packets;
	uint64_t bytes;
};

#define VPAIR_COUNTERS_N(c) (sizeof(c) / sizeof(uint64_t))

/* Single-writer update: a plain add, stored whole so concurrent readers never see a tear. */
#define VPAIR_COUNT(counter, n) \
	__atomic_store_n(&(counter), (counter) + (n), __ATOMIC_RELAXED)

/*
 * How a port wants its frames received. Written by the port's control path, read by the
 * peer's tx fast path at each burst: a change takes effect from the next burst.
 */
struct vpair_rx_policy {
	struct vpair_l2_filter filter;
	uint8_t parse;		/* write packet_type and the pkt_type dynfield */
	uint8_t classify;	/* parse, or the filter can drop by address */
} __rte_cache_aligned;

/*
 * After any change to the receive policy: the peer's tx path classifies only when the
 * frames must be parsed or the filter can refuse an address, so a promiscuous port with
 * parsing off costs it nothing.
 */
static inline void
vpair_rx_policy_changed(struct vpair_rx_policy *policy)
{
	__atomic_store_n(&policy->classify,
		policy->parse || !vpair_l2_filter_is_open(&policy->filter), __ATOMIC_RELEASE);
}

struct vpair_txq {
	struct vpair_tx_counters c;
	struct rte_ring *ring;
	const volatile uint8_t *carrier;
	const struct vpair_rx_policy *peer;
	int dynfield_offset;
	struct rte_eth_txconf conf;	/* control path only */
} __rte_cache_aligned;

struct vpair_rxq {
	struct vpair_rx_counters c;
	uint16_t next;		/* ring to poll first: keeps several rings fair */
	uint16_t first;		/* this queue's first ring index on the peer side */
	uint16_t step;		/* this port's rx queue count */
	uint16_t port_id;
	uint32_t ring_bytes;	/* distance between consecutive rings */
	char *rings;		/* the peer's ring 0 */
	const uint16_t *peer_nb_rings;
	/* Control path only. */
	uint16_t nb_desc;
	struct rte_mempool *mp;
	struct rte_eth_rxconf conf;
} __rte_cache_aligned;

/* Per-port state in the shared memzone. */
struct vpair_side {
	struct vpair_txq txq[VPAIR_QUEUES_LIMIT];
	struct vpair_rxq rxq[VPAIR_QUEUES_LIMIT];
	struct vpair_rx_policy rx_policy;

	/*
	 * Read by the peer's rx fast path: rings [0, nb_rings) of this side may hold packets.
	 * It only grows (a ring set up once may still hold packets after a reconfigure), so
	 * the peer never misses a packet. Written under the pair lock.
	 */
	uint16_t nb_rings __rte_cache_aligned;

	/* Control path only, under the pair lock. */
	uint16_t port_id;
	uint8_t allocated;	/* the ethdev port exists (probed, not yet closed) */
	uint8_t started;
	uint8_t admin_up;	/* not set down with rte_eth_dev_set_link_down */
	uint8_t lsc_reported_up;	/* link state last reported with an LSC event */
	uint64_t rx_flushed;	/* packets freed from this port's rx rings at stop/close */

	/* Baselines subtracted from the counters: rte_eth_stats_reset never writes them. */
	struct vpair_tx_counters tx_base[VPAIR_QUEUES_LIMIT];
	struct vpair_tx_counters peer_tx_base[VPAIR_QUEUES_LIMIT];	/* its rx_ fields */
	struct vpair_rx_counters rx_base[VPAIR_QUEUES_LIMIT];
	uint64_t rx_flushed_base;
};

struct vpair_pair {
	char name[RTE_DEV_NAME_MAX_LEN];
	rte_spinlock_t lock;	/* serialises the two ports' control paths */
	uint16_t max_queues;
	uint32_t max_desc;
	uint32_t ring_bytes;
	uint32_t rings_offset;	/* from the start of this struct */
	int dynfield_offset;	/* of rte_net_vpair_dynfield_pkt_type, same in every process */

	/* Read by both tx fast paths: both ports started and administratively up. */
	volatile uint8_t carrier __rte_cache_aligned;

	struct vpair_side side[2] __rte_cache_aligned;
};

/* dev_private of each port: process-independent handle on the shared state. */
struct vpair_port {
	struct vpair_pair *pair;
	enum vpair_side_id side;
};

static inline enum vpair_side_id
vpair_peer(enum vpair_side_id side)
{
	return side == VPAIR_SIDE_A ? VPAIR_SIDE_B : VPAIR_SIDE_A;
}

static inline struct rte_ring *
vpair_ring(struct vpair_pair *pair, enum vpair_side_id side, uint16_t q)
{
	return (struct rte_ring *)((char *)pair + pair->rings_offset +
		((size_t)side * pair->max_queues + q) * pair->ring_bytes);
}

extern const struct eth_dev_ops vpair_ops;

/* vpair_probe.c */
void vpair_pair_free(struct vpair_pair *pair);

/* vpair_ethdev.c */
uint64_t vpair_flush_rings(struct vpair_pair *pair, enum vpair_side_id consumer);

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

#endif /* VPAIR_H */
