/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * The pair's control half: the shared memzone and its lifetime, the carrier and LSC
 * events, queue set-up, the receive policy, and stop, which waits for the peer's bursts
 * in flight and flushes (see the stop protocol in vpair_pair.h). Both ports' control
 * paths may run in different threads; they meet under the pair lock.
 */

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "vpair.h"

#define VPAIR_MZ_PREFIX		"vpair_"
/* A burst lasts microseconds; this long means its thread died inside it. */
#define VPAIR_BURST_WAIT_MAX_S	5

uint64_t vpair_process_token;

RTE_INIT(vpair_process_token_init)
{
	vpair_process_token = (uint64_t)getpid();
}

static int
vpair_mz_name(const char *dev_name, char *buf)
{
	strlcpy(buf, VPAIR_MZ_PREFIX, RTE_MEMZONE_NAMESIZE);
	return strlcat(buf, dev_name, RTE_MEMZONE_NAMESIZE) < RTE_MEMZONE_NAMESIZE ?
		0 : -ENAMETOOLONG;
}

struct vpair_pair *
vpair_pair_create(const char *name, const struct vpair_pair_conf *conf, int socket)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct vpair_pair *pair;
	/* Room for max_desc packets in every ring, whatever nb_desc a queue later asks. */
	ssize_t ring_bytes = rte_ring_get_memsize_elem(sizeof(struct vpair_slot),
		rte_align32pow2(conf->max_desc + 1));
	size_t rings_offset = RTE_ALIGN_CEIL(sizeof(*pair), RTE_CACHE_LINE_SIZE);
	enum vpair_side_id s;
	uint16_t q;

	if (vpair_mz_name(name, mz_name) != 0) {
		VPAIR_LOG(ERR, "%s: device name too long (at most %zu characters)", name,
			RTE_MEMZONE_NAMESIZE - sizeof(VPAIR_MZ_PREFIX));
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	if (ring_bytes < 0) {
		VPAIR_LOG(ERR, "%s: no ring of %u packets", name, conf->max_desc);
		rte_errno = EINVAL;
		return NULL;
	}
	mz = rte_memzone_reserve_aligned(mz_name,
		rings_offset + 2 * (size_t)conf->max_queues * ring_bytes, socket, 0,
		RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		VPAIR_LOG(ERR, "%s: cannot reserve memzone %s: %s", name, mz_name,
			rte_strerror(rte_errno));
		return NULL;
	}

	pair = mz->addr;
	memset(pair, 0, sizeof(*pair));
	strlcpy(pair->name, name, sizeof(pair->name));
	rte_spinlock_init(&pair->lock);
	pair->mac[VPAIR_SIDE_A] = conf->mac[VPAIR_SIDE_A];
	pair->mac[VPAIR_SIDE_B] = conf->mac[VPAIR_SIDE_B];
	pair->max_queues = conf->max_queues;
	pair->max_desc = conf->max_desc;
	pair->csum_partial = conf->csum_partial;
	pair->ring_bytes = ring_bytes;
	pair->rings_offset = rings_offset;
	pair->dynfield_offset = conf->dynfield_offset;
	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		pair->side[s].admin_up = 1;
		pair->side[s].port_id = RTE_MAX_ETHPORTS;
		for (q = 0; q < VPAIR_QUEUES_LIMIT; q++)
			pair->side[s].rxq_wake_fd[q] = -1;
		for (q = 0; q < conf->max_queues; q++) {
			char ring_name[RTE_RING_NAMESIZE];

			snprintf(ring_name, sizeof(ring_name), "vpair_%c%u", vpair_side_char(s), q);
			rte_ring_init(vpair_ring(pair, s, q), ring_name, conf->max_desc,
				RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		}
	}
	return pair;
}

struct vpair_pair *
vpair_pair_find(const char *name)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	if (vpair_mz_name(name, mz_name) != 0 || (mz = rte_memzone_lookup(mz_name)) == NULL)
		return NULL;
	return mz->addr;
}

#define VPAIR_ALL_QUEUES UINT64_MAX

/*
 * Free the packets waiting in the rings (bit q: ring q) that `consumer` receives from, and
 * count them. Only called when the consumer's rx fast path is not running on them and its
 * peer can no longer enqueue into them (stop protocol), so this thread is their single
 * consumer.
 */
static uint64_t
vpair_flush_rx(struct vpair_pair *pair, enum vpair_side_id consumer, uint64_t rings)
{
	enum vpair_side_id producer = vpair_peer(consumer);
	uint16_t nb_rings = __atomic_load_n(&pair->side[producer].nb_rings, __ATOMIC_ACQUIRE);
	struct vpair_side *side = &pair->side[consumer];
	struct vpair_slot burst[64];
	uint64_t flushed = 0;
	unsigned int n, i;
	uint16_t q;

	for (q = 0; q < nb_rings; q++) {
		struct rte_ring *ring = vpair_ring(pair, producer, q);

		if (!(rings & RTE_BIT64(q)))
			continue;

		while ((n = rte_ring_sc_dequeue_burst_elem(ring, burst, sizeof(burst[0]),
				RTE_DIM(burst), NULL)) > 0) {
			for (i = 0; i < n; i++)
				rte_pktmbuf_free(burst[i].m);
			/* Their bytes are not received: the next receiver starts after them. */
			pair->side[producer].ring_cons[q].bytes_total = burst[n - 1].bytes_total;
			flushed += n;
		}
	}
	__atomic_store_n(&side->rx_flushed, side->rx_flushed + flushed, __ATOMIC_RELAXED);
	return flushed;
}

/* Both ports are gone: nothing runs on these rings any more. */
void
vpair_pair_free(struct vpair_pair *pair)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	uint64_t stray = vpair_flush_rx(pair, VPAIR_SIDE_A, VPAIR_ALL_QUEUES) +
		vpair_flush_rx(pair, VPAIR_SIDE_B, VPAIR_ALL_QUEUES);

	/* Every stop flushed: only a burst that outlived its wait can leave any. */
	if (stray != 0)
		VPAIR_LOG(ERR, "%s: freed %" PRIu64 " packets that no port counted", pair->name,
			stray);
	vpair_mz_name(pair->name, mz_name);
	mz = rte_memzone_lookup(mz_name);
	if (mz == NULL || rte_memzone_free(mz) != 0)
		VPAIR_LOG(ERR, "%s: cannot free memzone %s", pair->name, mz_name);
}

/*
 * After any change to the receive policy: the peer's tx path classifies only when the
 * frames must be parsed or the filter can refuse an address, so a promiscuous port with
 * parsing off costs it nothing.
 */
static void
vpair_rx_policy_changed(struct vpair_rx_policy *policy)
{
	uint8_t classify = policy->parse || !vpair_l2_filter_is_open(&policy->filter);

	__atomic_store_n(&policy->classify, classify, __ATOMIC_RELEASE);
	__atomic_store_n(&policy->inspect,
		classify || (policy->offloads & VPAIR_RX_VLAN_STRIP), __ATOMIC_RELEASE);
}

void
vpair_pair_set_rx_offloads(struct vpair_pair *pair, enum vpair_side_id side,
	uint64_t offloads, uint32_t max_lro_pkt_size)
{
	static const struct {
		uint64_t ethdev;
		uint8_t vpair;
	} map[] = {
		{ RTE_ETH_RX_OFFLOAD_IPV4_CKSUM, VPAIR_RX_IP_CKSUM },
		{ RTE_ETH_RX_OFFLOAD_TCP_CKSUM, VPAIR_RX_TCP_CKSUM },
		{ RTE_ETH_RX_OFFLOAD_UDP_CKSUM, VPAIR_RX_UDP_CKSUM },
		{ RTE_ETH_RX_OFFLOAD_TCP_LRO, VPAIR_RX_LRO },
		{ RTE_ETH_RX_OFFLOAD_VLAN_STRIP, VPAIR_RX_VLAN_STRIP },
		{ RTE_ETH_RX_OFFLOAD_SCATTER, VPAIR_RX_SCATTER },
	};
	struct vpair_rx_policy *policy = vpair_pair_rx_policy(pair, side);
	uint8_t flags = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(map); i++)
		if (offloads & map[i].ethdev)
			flags |= map[i].vpair;
	if (pair->csum_partial)
		flags |= VPAIR_RX_CSUM_PARTIAL;
	__atomic_store_n(&policy->max_lro_pkt_size, max_lro_pkt_size, __ATOMIC_RELAXED);
	__atomic_store_n(&policy->offloads, flags, __ATOMIC_RELEASE);
	vpair_rx_policy_changed(policy);
}

void
vpair_pair_set_parse(struct vpair_pair *pair, enum vpair_side_id side, bool parse)
{
	struct vpair_rx_policy *policy = vpair_pair_rx_policy(pair, side);

	__atomic_store_n(&policy->parse, parse, __ATOMIC_RELEASE);
	vpair_rx_policy_changed(policy);
}

void
vpair_pair_set_rx_modes(struct vpair_pair *pair, enum vpair_side_id side, bool promisc,
	bool allmulti)
{
	struct vpair_rx_policy *policy = vpair_pair_rx_policy(pair, side);

	vpair_l2_set_promisc(&policy->filter, promisc);
	vpair_l2_set_allmulti(&policy->filter, promisc || allmulti);
	vpair_rx_policy_changed(policy);
}

void
vpair_pair_rx_policy_reset(struct vpair_pair *pair, enum vpair_side_id side,
	const struct rte_ether_addr *mac, uint16_t mtu)
{
	/* Probe or a stopped port: its gates are closed, no peer burst reads the filter. */
	vpair_l2_filter_init(&pair->side[side].rx_policy.filter, mac, mtu);
	vpair_pair_set_rx_offloads(pair, side, 0, 0);
	vpair_pair_set_parse(pair, side, true);
}

void
vpair_pair_port_add(struct vpair_pair *pair, enum vpair_side_id side, uint16_t port_id,
	uint16_t mtu)
{
	struct vpair_side *s = &pair->side[side];

	vpair_pair_rx_policy_reset(pair, side, &pair->mac[side], mtu);
	s->port_id = port_id;
	s->allocated = 1;
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

void
vpair_pair_link_update(struct vpair_pair *pair, enum vpair_side_id side)
{
	vpair_link_set(pair->side[side].port_id,
		__atomic_load_n(&pair->carrier, __ATOMIC_ACQUIRE));
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
	struct vpair_port *port = dev->data->dev_private;
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

/* Under the pair lock, after any change to the carrier or a queue's state: every gate. */
static void
vpair_gates_update(struct vpair_pair *pair)
{
	enum vpair_side_id s;
	uint16_t t;

	for (s = VPAIR_SIDE_A; s <= VPAIR_SIDE_B; s++) {
		const struct vpair_side *tx = &pair->side[s];
		const struct vpair_side *rx = &pair->side[vpair_peer(s)];

		for (t = 0; t < pair->max_queues; t++) {
			struct vpair_txq *txq = &pair->side[s].txq[t];
			uint16_t r = rx->nb_rxq != 0 ? t % rx->nb_rxq : 0;
			uint8_t gate = 0;

			if (pair->carrier && tx->txq_started[t] && rx->nb_rxq != 0 &&
					rx->rxq_started[r]) {
				gate = VPAIR_GATE_OPEN;
				txq->peer_port_id = rx->port_id;
				txq->rx_mp = rx->rxq[r].mp;
				txq->rx_buf_len = rx->rxq[r].buf_len;
				if (rx->rxq_armed[r] && rx->rxq_wake_fd[r] >= 0) {
					gate |= VPAIR_GATE_WAKE;
					txq->wake_fd = rx->rxq_wake_fd[r];
					txq->wake_token = rx->wake_token;
				}
			}
			__atomic_store_n(&txq->gate, gate, __ATOMIC_RELEASE);
		}
	}
}

/*
 * Recompute the carrier after a change made by port `actor`, and then the gates, under the
 * pair lock. Both ports' link status follows at once; the peer also gets an LSC event,
 * since its link changed through no action of its own.
 */
static void
vpair_carrier_update(struct vpair_pair *pair, enum vpair_side_id actor)
{
	const struct vpair_side *a = &pair->side[VPAIR_SIDE_A];
	const struct vpair_side *b = &pair->side[VPAIR_SIDE_B];
	struct vpair_side *peer = &pair->side[vpair_peer(actor)];
	uint8_t up = a->started && b->started && a->admin_up && b->admin_up;

	pair->side[actor].lsc_reported_up = up;
	if (up == pair->carrier) {
		vpair_gates_update(pair);
		return;
	}
	__atomic_store_n(&pair->carrier, up, __ATOMIC_RELEASE);
	vpair_gates_update(pair);

	if (pair->side[actor].allocated)
		vpair_link_set(pair->side[actor].port_id, up);
	if (peer->allocated) {
		vpair_link_set(peer->port_id, up);
		if (rte_eal_alarm_set(1, vpair_lsc_alarm, (void *)(uintptr_t)peer->port_id) != 0)
			VPAIR_LOG(ERR, "%s: cannot schedule the link event of port %u",
				pair->name, peer->port_id);
	}
}

void
vpair_pair_start(struct vpair_pair *pair, enum vpair_side_id side, uint16_t nb_rxq,
	uint64_t rxq_started, uint64_t txq_started)
{
	struct vpair_side *s = &pair->side[side];
	uint16_t q;

	/* The peer's tx queue t lands on rx queue t mod nb_rxq. */
	for (q = 0; q < nb_rxq; q++) {
		struct vpair_rxq *rxq = &s->rxq[q];

		rxq->first = q;
		rxq->next = q;
		rxq->step = nb_rxq;
	}
	rte_spinlock_lock(&pair->lock);
	s->nb_rxq = nb_rxq;
	for (q = 0; q < VPAIR_QUEUES_LIMIT; q++) {
		s->rxq_started[q] = !!(rxq_started & RTE_BIT64(q));
		s->txq_started[q] = !!(txq_started & RTE_BIT64(q));
	}
	s->started = 1;
	vpair_carrier_update(pair, side);
	rte_spinlock_unlock(&pair->lock);
}

/*
 * The stop protocol, control half: once their gates are closed, wait until no burst of the
 * tx queues in `txqs` (bit q: queue q) of side `producer` is in flight.
 */
static void
vpair_wait_bursts(struct vpair_pair *pair, enum vpair_side_id producer, uint64_t txqs,
	enum vpair_side_id waiter)
{
	const struct vpair_side *p = &pair->side[producer];
	uint64_t give_up = 0;
	uint16_t q;

	/* Orders our gate stores before the loads of the marks (see vpair_burst_enter). */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (q = 0; q < pair->max_queues; q++) {
		if (!(txqs & RTE_BIT64(q)))
			continue;
		while (__atomic_load_n(&p->txq[q].in_burst, __ATOMIC_ACQUIRE)) {
			if (give_up == 0) {
				give_up = rte_get_timer_cycles() +
					VPAIR_BURST_WAIT_MAX_S * rte_get_timer_hz();
			} else if (rte_get_timer_cycles() > give_up) {
				VPAIR_LOG(ERR, "%s: tx queue %u of port %u has been inside a burst for %u s: stopping port %u without it, its frames may arrive after the stop",
					pair->name, q, p->port_id, VPAIR_BURST_WAIT_MAX_S,
					pair->side[waiter].port_id);
				break;
			}
			rte_pause();
		}
	}
}

void
vpair_pair_stop(struct vpair_pair *pair, enum vpair_side_id side)
{
	struct vpair_side *s = &pair->side[side];

	rte_spinlock_lock(&pair->lock);
	s->started = 0;
	s->nb_rxq = 0;
	memset(s->rxq_started, 0, sizeof(s->rxq_started));
	memset(s->txq_started, 0, sizeof(s->txq_started));
	memset(s->rxq_armed, 0, sizeof(s->rxq_armed));
	vpair_carrier_update(pair, side);
	rte_spinlock_unlock(&pair->lock);

	/* The carrier stays down until this port starts again: nothing can follow. */
	vpair_wait_bursts(pair, vpair_peer(side), VPAIR_ALL_QUEUES, side);
	vpair_flush_rx(pair, side, VPAIR_ALL_QUEUES);
}

/* The peer's tx queues, and so the rings, that rx queue q of `side` takes. */
static uint64_t
vpair_rxq_feeds(const struct vpair_pair *pair, enum vpair_side_id side, uint16_t q)
{
	uint16_t nb_rxq = pair->side[side].nb_rxq;
	uint64_t feeds = 0;
	uint16_t t;

	for (t = q; nb_rxq != 0 && t < pair->max_queues; t += nb_rxq)
		feeds |= RTE_BIT64(t);
	return feeds;
}

void
vpair_pair_set_wake_fds(struct vpair_pair *pair, enum vpair_side_id side, const int *fds,
	uint16_t nb_fds)
{
	struct vpair_side *s = &pair->side[side];
	uint16_t q;

	rte_spinlock_lock(&pair->lock);
	for (q = 0; q < VPAIR_QUEUES_LIMIT; q++)
		s->rxq_wake_fd[q] = q < nb_fds ? fds[q] : -1;
	s->wake_token = vpair_process_token;
	vpair_gates_update(pair);
	rte_spinlock_unlock(&pair->lock);
}

void
vpair_pair_rxq_arm(struct vpair_pair *pair, enum vpair_side_id side, uint16_t q, bool armed)
{
	struct vpair_side *s = &pair->side[side];
	uint64_t feeds;
	int fd;

	rte_spinlock_lock(&pair->lock);
	s->rxq_armed[q] = armed;
	vpair_gates_update(pair);
	feeds = vpair_rxq_feeds(pair, side, q);
	fd = s->rxq_wake_fd[q];
	rte_spinlock_unlock(&pair->lock);
	if (!armed || fd < 0)
		return;
	/*
	 * A burst that read its gate before the arming may still be enqueueing and will not
	 * wake us: let it finish, then look at the rings ourselves.
	 */
	vpair_wait_bursts(pair, vpair_peer(side), feeds, side);
	if (vpair_rx_queue_count(&s->rxq[q]) != 0)
		vpair_wake(fd);
}

/* One queue's state, then every gate; returns the peer's tx queues rx queue q takes. */
static uint64_t
vpair_queue_state_set(struct vpair_pair *pair, enum vpair_side_id side, bool rx, uint16_t q,
	uint8_t started)
{
	struct vpair_side *s = &pair->side[side];
	uint64_t feeds;

	rte_spinlock_lock(&pair->lock);
	if (rx)
		s->rxq_started[q] = started;
	else
		s->txq_started[q] = started;
	vpair_gates_update(pair);
	feeds = vpair_rxq_feeds(pair, side, q);
	rte_spinlock_unlock(&pair->lock);
	return feeds;
}

void
vpair_pair_queue_start(struct vpair_pair *pair, enum vpair_side_id side, bool rx, uint16_t q)
{
	vpair_queue_state_set(pair, side, rx, q, 1);
}

void
vpair_pair_queue_stop(struct vpair_pair *pair, enum vpair_side_id side, bool rx, uint16_t q)
{
	uint64_t feeds = vpair_queue_state_set(pair, side, rx, q, 0);

	if (rx) {
		vpair_wait_bursts(pair, vpair_peer(side), feeds, side);
		vpair_flush_rx(pair, side, feeds);
	} else {
		/* What it sent stays for the peer to receive; only its own burst is waited. */
		vpair_wait_bursts(pair, side, RTE_BIT64(q), side);
	}
}

void
vpair_pair_set_admin(struct vpair_pair *pair, enum vpair_side_id side, bool up)
{
	rte_spinlock_lock(&pair->lock);
	pair->side[side].admin_up = up;
	vpair_carrier_update(pair, side);
	rte_spinlock_unlock(&pair->lock);
}

void
vpair_pair_port_close(struct vpair_pair *pair, enum vpair_side_id side)
{
	bool last;

	rte_eal_alarm_cancel(vpair_lsc_alarm, (void *)(uintptr_t)pair->side[side].port_id);
	rte_spinlock_lock(&pair->lock);
	pair->side[side].allocated = 0;
	last = !pair->side[vpair_peer(side)].allocated;
	rte_spinlock_unlock(&pair->lock);

	/* The memory is shared with the peer's fast path until both ports are closed. */
	if (last)
		vpair_pair_free(pair);
}

struct vpair_txq *
vpair_pair_txq_setup(struct vpair_pair *pair, enum vpair_side_id side, uint16_t q,
	uint16_t nb_desc)
{
	struct vpair_side *s = &pair->side[side];
	struct vpair_txq *txq = &s->txq[q];

	txq->nb_desc = nb_desc;
	txq->ring = vpair_ring(pair, side, q);
	txq->carrier = &pair->carrier;
	txq->peer = &pair->side[vpair_peer(side)].rx_policy;
	txq->dynfield_offset = pair->dynfield_offset;
	/* Only this port's control path writes its bound; the peer's rx reads it. */
	if (s->nb_rings <= q)
		__atomic_store_n(&s->nb_rings, q + 1, __ATOMIC_RELEASE);
	return txq;
}

struct vpair_rxq *
vpair_pair_rxq_setup(struct vpair_pair *pair, enum vpair_side_id side, uint16_t q,
	struct rte_mempool *mp)
{
	enum vpair_side_id producer = vpair_peer(side);
	struct vpair_rxq *rxq = &pair->side[side].rxq[q];

	rxq->mp = mp;
	rxq->buf_len = rte_pktmbuf_data_room_size(mp) > RTE_PKTMBUF_HEADROOM ?
		rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM : 0;
	rxq->rings = (char *)vpair_ring(pair, producer, 0);
	rxq->cons = pair->side[producer].ring_cons;
	rxq->ring_bytes = pair->ring_bytes;
	rxq->peer_nb_rings = &pair->side[producer].nb_rings;
	return rxq;
}
