/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef VPAIR_PAIR_H
#define VPAIR_PAIR_H

/*
 * The pair: everything the two ports of a net_vpair device share, in one memzone.
 *
 * The memzone (struct vpair_pair followed by the rings) is reserved at probe, never
 * resized, and freed only when both ports are closed, so stopping, reconfiguring or
 * closing one port never pulls memory from under the peer's fast path. It holds no
 * pointer to process-local memory: a secondary process maps it at the same address and
 * finds it by name.
 *
 * Data flow: tx queue q of side s produces into ring (s, q), which only side !s consumes.
 * A slot (struct vpair_slot) is the frame and the ring's running byte total; the producer
 * sets each frame's port, so the consumer touches no frame.
 * Rx queue r of a port with n rx queues polls the peer's rings r, r + n, r + 2n, ... below
 * the peer's ring bound. Every ring therefore has exactly one producer thread and one
 * consumer thread: single-producer / single-consumer, no locks.
 *
 * Gates: each tx queue has a gate (txq->gate), open while the carrier is up, the tx queue
 * is started and so is the peer's rx queue it feeds. The control path sets every gate
 * under the pair lock whenever one of these changes (vpair_gates_update); the tx fast path
 * reads only its own. The gate also says when that rx queue sleeps, armed for an Rx
 * interrupt: then the burst that enqueues for it writes its eventfd. Arming waits for the
 * feeders' bursts in flight (the stop protocol again) and then looks at the rings itself,
 * so no frame slips past the arming either. Polling applications pay nothing for this: the
 * burst already has the gate in a register.
 *
 * Stop protocol: nothing slips past a stop.
 * A tx burst marks its queue busy (txq->in_burst = 1), then a full fence, then reads its
 * gate; it clears the mark, with release order, after its last enqueue. A stopping port or
 * rx queue closes the gates that feed it, then a full fence, then waits until none of those
 * tx queues is marked, then empties its rings. By the two fences, either the stopping side
 * sees the mark of a burst that read its gate open, and waits for that burst's enqueues, or
 * the burst reads the gate closed and enqueues nothing. So when the stop returns, every
 * frame the peer ever accepted for that port or queue was received, dropped by name or
 * flushed and counted, and the gates stay closed until it starts again. The fast path pays
 * one fence and two stores per burst; no lock, no atomic read-modify-write.
 */

#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <ethdev_driver.h>

#include "vpair_l2.h"

#define VPAIR_QUEUES_LIMIT	64	/* hard cap of max_queues */
#define VPAIR_DESC_MIN		32u
#define VPAIR_DESC_MAX_LIMIT	32768u
#define VPAIR_MAC_ADDRS_MAX	VPAIR_L2_MAX_UC	/* ethdev's table mirrors the filter's */

enum vpair_side_id { VPAIR_SIDE_A = 0, VPAIR_SIDE_B = 1 };

enum vpair_cast { VPAIR_UNICAST, VPAIR_MULTICAST, VPAIR_BROADCAST, VPAIR_NB_CAST };

/*
 * Counters of a tx queue. Written only by the thread that owns the queue; the control path
 * reads them and keeps its own baseline for resets, so nothing else ever writes them.
 */
struct vpair_tx_counters {
	uint64_t packets;	/* sent: accepted, whatever the receiver then does with them */
	uint64_t bytes;
	uint64_t ring_full;	/* refused: the ring to the peer was full */
	uint64_t link_down;	/* refused: the link was down */
	uint64_t queue_stopped;	/* refused: this tx queue or the peer rx queue it feeds stopped */
	uint64_t malformed;	/* accepted and freed, not sent: inconsistent mbuf */
	uint64_t offload;	/* accepted and freed, not sent: an offload request not honoured */
	uint64_t cast[VPAIR_NB_CAST];	/* sent, by destination, while classifying */
	/*
	 * The receiver's side of the frames, decided here where the header is hot. They
	 * are the receiver's statistics: it sums them over the peer's tx queues.
	 */
	uint64_t rx_cast[VPAIR_NB_CAST];	/* passed its filter, into its ring */
	uint64_t rx_drop[VPAIR_L2_NB_DROPS];	/* dropped, by reason */
	uint64_t rx_scatter;	/* a chain too long for one of its mbufs, without Rx SCATTER */
	uint64_t rx_nombuf;	/* no mbuf in its mempool for a copy or a segment */
};

struct vpair_rx_counters {
	uint64_t packets;
	uint64_t bytes;
};

#define VPAIR_COUNTERS_N(c) (sizeof(c) / sizeof(uint64_t))

/*
 * A ring slot: the frame, and the bytes its producer has put into that ring so far, this
 * frame included. The consumer counts the bytes of a burst from its last slot, without
 * touching a frame (the producer also sets each frame's port).
 */
struct vpair_slot {
	struct rte_mbuf *m;
	uint64_t bytes_total;
};

/* Consumer state of one ring: the bytes_total of the last slot taken from it. */
struct vpair_ring_cons {
	uint64_t bytes_total;
} __rte_cache_aligned;

#define VPAIR_GATE_OPEN	RTE_BIT32(0)	/* enqueue */
#define VPAIR_GATE_WAKE	RTE_BIT32(1)	/* and then wake the receiver: wake_fd */

/* A process-local value different in every process that maps the pair (its pid). */
extern uint64_t vpair_process_token;

/* Single-writer update: a plain add, stored whole so concurrent readers never see a tear. */
#define VPAIR_COUNT(counter, n) \
	__atomic_store_n(&(counter), (counter) + (n), __ATOMIC_RELAXED)

/* The Rx offloads a port enabled, as the peer's tx path needs them (rx_policy.offloads). */
#define VPAIR_RX_IP_CKSUM	RTE_BIT32(0)
#define VPAIR_RX_TCP_CKSUM	RTE_BIT32(1)
#define VPAIR_RX_UDP_CKSUM	RTE_BIT32(2)
#define VPAIR_RX_LRO		RTE_BIT32(3)
#define VPAIR_RX_VLAN_STRIP	RTE_BIT32(4)
#define VPAIR_RX_SCATTER	RTE_BIT32(5)
/* A checksum left to a port with the Rx offload stays partial (devarg csum_partial). */
#define VPAIR_RX_CSUM_PARTIAL	RTE_BIT32(6)

/*
 * How a port wants its frames received. Written by the port's control path, read by the
 * peer's tx fast path at each burst: a change takes effect from the next burst.
 */
struct vpair_rx_policy {
	struct vpair_l2_filter filter;
	uint8_t parse;		/* write packet_type and the pkt_type dynfield */
	uint8_t classify;	/* parse, or the filter can drop by address */
	uint8_t inspect;	/* classify, or an Rx offload looks at every frame */
	uint8_t offloads;	/* VPAIR_RX_* */
	uint32_t max_lro_pkt_size;
} __rte_cache_aligned;

struct vpair_txq {
	/* Written by the queue's thread at every burst. */
	struct vpair_tx_counters c;
	uint32_t in_burst;	/* see the stop protocol */
	uint64_t ring_bytes_total;	/* bytes ever put into its ring (vpair_slot) */
	/* Written by the control path: the gate and the wake-up at any time, under the pair
	 * lock, the rest while stopped. */
	uint8_t gate;		/* VPAIR_GATE_* (see the gates) */
	uint16_t peer_port_id;	/* written into each frame it enqueues */
	int wake_fd;		/* the eventfd of the rx queue it feeds, while it sleeps */
	uint64_t wake_token;	/* the process that fd belongs to (vpair_process_token) */
	uint32_t nb_desc;	/* the ring takes at most this many */
	struct rte_ring *ring;
	const uint8_t *carrier;	/* why a closed gate refused: link down or a queue stopped */
	const struct vpair_rx_policy *peer;
	/* The mempool of the rx queue it feeds, for copies and segments, and its mbufs' room. */
	struct rte_mempool *rx_mp;
	uint32_t rx_buf_len;
	int dynfield_offset;
	struct rte_eth_txconf conf;	/* control path only */
} __rte_cache_aligned;

struct vpair_rxq {
	struct vpair_rx_counters c;
	uint16_t next;		/* ring to poll first: keeps several rings fair */
	uint16_t first;		/* this queue's first ring index on the peer side */
	uint16_t step;		/* this port's rx queue count */
	uint32_t ring_bytes;	/* distance between consecutive rings */
	char *rings;		/* the peer's ring 0 */
	struct vpair_ring_cons *cons;	/* of the peer's ring 0 */
	const uint16_t *peer_nb_rings;
	/* Control path only. */
	uint16_t nb_desc;
	struct rte_mempool *mp;
	uint32_t buf_len;	/* of an mbuf of mp, after the headroom */
	struct rte_eth_rxconf conf;
} __rte_cache_aligned;

/* Per-port state. */
struct vpair_side {
	struct vpair_txq txq[VPAIR_QUEUES_LIMIT];
	struct vpair_rxq rxq[VPAIR_QUEUES_LIMIT];
	struct vpair_rx_policy rx_policy;

	/*
	 * Read by the peer's rx fast path: rings [0, nb_rings) of this side may hold packets.
	 * It only grows (a ring set up once may still hold packets after a reconfigure), so
	 * the peer never misses a packet. Written by this port's control path only.
	 */
	uint16_t nb_rings __rte_cache_aligned;

	/* The consumer's state of each of this side's rings: the peer's rx queue, or a flush. */
	struct vpair_ring_cons ring_cons[VPAIR_QUEUES_LIMIT];

	/* Control path only, under the pair lock. */
	uint16_t port_id;
	uint16_t nb_rxq;	/* rx queues while started; the peer's tx queue t feeds t % nb_rxq */
	uint8_t txq_started[VPAIR_QUEUES_LIMIT];
	uint8_t rxq_started[VPAIR_QUEUES_LIMIT];
	uint8_t rxq_armed[VPAIR_QUEUES_LIMIT];	/* asleep until an Rx interrupt */
	int rxq_wake_fd[VPAIR_QUEUES_LIMIT];	/* its eventfd, -1 without Rx interrupts */
	uint64_t wake_token;	/* the process those fds belong to */
	uint8_t allocated;	/* the ethdev port exists (probed, not yet closed) */
	uint8_t started;
	uint8_t admin_up;	/* not set down with rte_eth_dev_set_link_down */
	uint8_t lsc_reported_up;	/* link state last reported with an LSC event */
	uint64_t rx_flushed;	/* packets freed from this port's rx rings at stop */

	/* Baselines subtracted from the counters: rte_eth_stats_reset never writes them. */
	struct vpair_tx_counters tx_base[VPAIR_QUEUES_LIMIT];
	struct vpair_tx_counters peer_tx_base[VPAIR_QUEUES_LIMIT];	/* its rx_ fields */
	struct vpair_rx_counters rx_base[VPAIR_QUEUES_LIMIT];
	uint64_t rx_flushed_base;
};

struct vpair_pair {
	char name[RTE_DEV_NAME_MAX_LEN];
	rte_spinlock_t lock;	/* serialises the two ports' control paths */
	struct rte_ether_addr mac[2];	/* each side's, whenever its port is added */
	uint16_t max_queues;
	uint32_t max_desc;
	uint8_t csum_partial;	/* devarg: see VPAIR_RX_CSUM_PARTIAL */
	uint32_t ring_bytes;
	uint32_t rings_offset;	/* from the start of this struct */
	int dynfield_offset;	/* of rte_net_vpair_dynfield_pkt_type, same in every process */

	/* Read by both tx fast paths: both ports started and administratively up. */
	uint8_t carrier __rte_cache_aligned;

	struct vpair_side side[2] __rte_cache_aligned;
};

static inline enum vpair_side_id
vpair_peer(enum vpair_side_id side)
{
	return side == VPAIR_SIDE_A ? VPAIR_SIDE_B : VPAIR_SIDE_A;
}

/* 'a' or 'b': in port names (NAME_a) and everything that shows a side. */
static inline char
vpair_side_char(enum vpair_side_id side)
{
	return side == VPAIR_SIDE_A ? 'a' : 'b';
}

static inline struct rte_ring *
vpair_ring(const struct vpair_pair *pair, enum vpair_side_id side, uint16_t q)
{
	return (struct rte_ring *)((const char *)pair + pair->rings_offset +
		((size_t)side * pair->max_queues + q) * pair->ring_bytes);
}

/* Wake a receiver asleep on its eventfd: an Rx interrupt. */
static inline void
vpair_wake(int fd)
{
	uint64_t one = 1;

	/* Only EAGAIN can fail, at a counter of 2^64 - 2: the receiver is awake by then. */
	if (write(fd, &one, sizeof(one)) < 0)
		return;
}

/* The stop protocol, fast-path half: around everything a tx burst does. */
static inline void
vpair_burst_enter(struct vpair_txq *txq)
{
	__atomic_store_n(&txq->in_burst, 1, __ATOMIC_RELAXED);
	/* Store-load order: a stopping peer sees the mark before we read our gate. */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Acquire: wake_fd, written before the gate that says to use it. */
static inline uint8_t
vpair_burst_gate(const struct vpair_txq *txq)
{
	return __atomic_load_n(&txq->gate, __ATOMIC_ACQUIRE);
}

static inline void
vpair_burst_leave(struct vpair_txq *txq)
{
	/* Release: whoever sees the mark cleared also sees every enqueue of the burst. */
	__atomic_store_n(&txq->in_burst, 0, __ATOMIC_RELEASE);
}

/*
 * Lifetime. A pair is created with its first port and freed when its last port closes; in
 * between, either port may be closed and added again (see vpair_probe.c's device names).
 */
struct vpair_pair_conf {
	struct rte_ether_addr mac[2];
	uint16_t max_queues;
	uint32_t max_desc;
	uint8_t csum_partial;
	int dynfield_offset;
};
/* NULL with rte_errno set, and a log line, on failure. */
struct vpair_pair *vpair_pair_create(const char *name, const struct vpair_pair_conf *conf,
	int socket);
/* The pair of that name, in this or the primary process; NULL if there is none. */
struct vpair_pair *vpair_pair_find(const char *name);
/* Port `side` exists as ethdev port port_id, with the pair's MAC for it and that MTU. */
void vpair_pair_port_add(struct vpair_pair *pair, enum vpair_side_id side, uint16_t port_id,
	uint16_t mtu);
/* Port `side` is closed (it was stopped): the pair is freed with the second one. */
void vpair_pair_port_close(struct vpair_pair *pair, enum vpair_side_id side);
/* Both ports are gone, or were never added: free the memzone. */
void vpair_pair_free(struct vpair_pair *pair);

/* Carrier and LSC. */
/*
 * Rx queues [0, nb_rxq) take the peer's tx queues; the queues in the masks (bit q: queue q)
 * start with the port, the others wait for vpair_pair_queue_start (deferred start).
 */
void vpair_pair_start(struct vpair_pair *pair, enum vpair_side_id side, uint16_t nb_rxq,
	uint64_t rxq_started, uint64_t txq_started);
/* Carrier down, in-flight peer bursts waited for, then the rx rings flushed and counted. */
void vpair_pair_stop(struct vpair_pair *pair, enum vpair_side_id side);
/*
 * One queue of a started port. Stopping an rx queue closes the peer's gates that feed it,
 * waits for their bursts in flight and flushes its rings, as a port stop does.
 */
void vpair_pair_queue_start(struct vpair_pair *pair, enum vpair_side_id side, bool rx,
	uint16_t q);
void vpair_pair_queue_stop(struct vpair_pair *pair, enum vpair_side_id side, bool rx,
	uint16_t q);
/*
 * Rx interrupts of a port, in the process that calls: the eventfd of each rx queue while it
 * is started (-1: none), and arming one to be written when a frame comes.
 */
void vpair_pair_set_wake_fds(struct vpair_pair *pair, enum vpair_side_id side,
	const int *fds, uint16_t nb_fds);
void vpair_pair_rxq_arm(struct vpair_pair *pair, enum vpair_side_id side, uint16_t q,
	bool armed);
void vpair_pair_set_admin(struct vpair_pair *pair, enum vpair_side_id side, bool up);
/* Set the ethdev link status of port `side` from the carrier. */
void vpair_pair_link_update(struct vpair_pair *pair, enum vpair_side_id side);

/* Queues: the control path of `side`, while it is stopped. */
struct vpair_txq *vpair_pair_txq_setup(struct vpair_pair *pair, enum vpair_side_id side,
	uint16_t q, uint16_t nb_desc);
struct vpair_rxq *vpair_pair_rxq_setup(struct vpair_pair *pair, enum vpair_side_id side,
	uint16_t q, struct rte_mempool *mp);

/* Receive policy of port `side`, read by the peer's tx. */
static inline struct vpair_rx_policy *
vpair_pair_rx_policy(struct vpair_pair *pair, enum vpair_side_id side)
{
	return &pair->side[side].rx_policy;
}
/* Back to what a port has after probe: only its MAC, not promiscuous, parsing on. */
void vpair_pair_rx_policy_reset(struct vpair_pair *pair, enum vpair_side_id side,
	const struct rte_ether_addr *mac, uint16_t mtu);
void vpair_pair_set_parse(struct vpair_pair *pair, enum vpair_side_id side, bool parse);
/* The Rx offloads the port enabled (RTE_ETH_RX_OFFLOAD_*) and its LRO frame limit. */
void vpair_pair_set_rx_offloads(struct vpair_pair *pair, enum vpair_side_id side,
	uint64_t offloads, uint32_t max_lro_pkt_size);
/* Promiscuous implies all-multicast, as on a NIC. */
void vpair_pair_set_rx_modes(struct vpair_pair *pair, enum vpair_side_id side, bool promisc,
	bool allmulti);

#endif /* VPAIR_PAIR_H */
