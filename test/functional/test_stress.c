/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Stress: order across two lcores, closing one port under the other's traffic, fuzzed
 * devargs, and malformed mbufs. None of it depends on timing: every wait is for a condition
 * the other lcore will make true, so a slow or shared machine only makes it slower.
 *
 * VT_STRESS_SCALE, a fraction in (0, 1], shrinks the packet and string counts for a slow
 * machine; the sanitized runner is fast enough for the full counts, so `make test` leaves it
 * unset. VT_FUZZ_SEED replaces the fuzzer's seed.
 */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf_ptype.h>
#include <rte_pause.h>

#include "vpair_test.h"

static int
stress_scale(double *scale)
{
	const char *s = getenv("VT_STRESS_SCALE");
	char *end;

	*scale = 1.0;
	if (s == NULL || s[0] == '\0')
		return 0;
	errno = 0;
	*scale = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(*scale > 0.0) || *scale > 1.0) {
		fprintf(stderr, "VT_STRESS_SCALE=%s: expected a fraction in (0, 1]\n", s);
		return -1;
	}
	return 0;
}

static uint64_t
scaled(uint64_t n, double scale, uint64_t floor)
{
	uint64_t v = (uint64_t)((double)n * scale);

	return v < floor ? floor : v;
}

static double
seconds_since(uint64_t start)
{
	return (double)(rte_get_timer_cycles() - start) / (double)rte_get_timer_hz();
}

/* Wait until the counter, written by the worker, has moved by at least n. */
static void
wait_advance(const uint64_t *counter, uint64_t n)
{
	uint64_t start = __atomic_load_n(counter, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) - start < n)
		rte_pause();
}

/* ---------------------------------------------------------------------------------- */
/* Order across cores: sequence numbers per tx queue, from a worker lcore to the main one. */

#define ORDER_PACKETS	10000000u	/* per case, all tx queues together */
#define ORDER_TXQ_MAX	4
#define ORDER_RXQ_MAX	2
#define ORDER_BURST	32
#define ORDER_DESC	1024
#define ORDER_LEN	64
/* Cached, unlike vt_pool: mbufs go from the worker's cache to the main lcore's in bulk. */
#define ORDER_POOL	16383
#define ORDER_CACHE	256
/* After the Ethernet header: the sequence number (where vt_seq reads it), the tx queue, ~seq. */
#define ORDER_OFF_SEQ	RTE_ETHER_HDR_LEN
#define ORDER_OFF_TXQ	(ORDER_OFF_SEQ + 4)
#define ORDER_OFF_CHK	(ORDER_OFF_TXQ + 2)

struct order_sender {
	/* Set before launch. */
	uint16_t port;
	uint16_t nb_txq;
	uint32_t per_queue;
	struct rte_mempool *mp;
	struct rte_ether_hdr hdr;
	/* Main lcore to worker: the receiver failed, give up. */
	bool abort;
	/* Worker to main lcore; `finished` is stored last, with release. */
	bool finished;
	uint64_t accepted[ORDER_TXQ_MAX];
	uint64_t refused;
};

static void
order_fill(struct rte_mbuf *m, const struct rte_ether_hdr *hdr, uint16_t q, uint32_t seq)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t chk = ~seq;

	m->data_len = ORDER_LEN;
	m->pkt_len = ORDER_LEN;
	memcpy(p, hdr, sizeof(*hdr));
	memcpy(p + ORDER_OFF_SEQ, &seq, sizeof(seq));
	memcpy(p + ORDER_OFF_TXQ, &q, sizeof(q));
	memcpy(p + ORDER_OFF_CHK, &chk, sizeof(chk));
}

/*
 * Each tx queue sends 0, 1, 2, ... A refused tail stays at the head of the queue's pending
 * burst and goes first next time, so the frames the driver accepts are consecutive.
 */
static int
order_send(void *arg)
{
	struct order_sender *s = arg;
	struct rte_mbuf *pend[ORDER_TXQ_MAX][ORDER_BURST];
	uint16_t nb_pend[ORDER_TXQ_MAX] = { 0 };
	uint32_t built[ORDER_TXQ_MAX] = { 0 };
	uint64_t accepted[ORDER_TXQ_MAX] = { 0 };
	uint64_t refused = 0;
	uint16_t q, left = s->nb_txq;

	while (left > 0 && !__atomic_load_n(&s->abort, __ATOMIC_RELAXED)) {
		for (q = 0; q < s->nb_txq; q++) {
			uint16_t n = RTE_MIN((uint32_t)(ORDER_BURST - nb_pend[q]),
				s->per_queue - built[q]);
			uint16_t i, sent;

			if (accepted[q] == s->per_queue)
				continue;
			/* An empty pool only means the receiver holds the rest: try again. */
			if (n > 0 && rte_pktmbuf_alloc_bulk(s->mp, pend[q] + nb_pend[q], n) == 0) {
				for (i = 0; i < n; i++)
					order_fill(pend[q][nb_pend[q] + i], &s->hdr, q,
						built[q] + i);
				nb_pend[q] += n;
				built[q] += n;
			}
			if (nb_pend[q] == 0)
				continue;
			sent = rte_eth_tx_burst(s->port, q, pend[q], nb_pend[q]);
			refused += nb_pend[q] - sent;
			memmove(pend[q], pend[q] + sent, (nb_pend[q] - sent) * sizeof(pend[q][0]));
			nb_pend[q] -= sent;
			accepted[q] += sent;
			if (accepted[q] == s->per_queue)
				left--;
		}
	}
	for (q = 0; q < s->nb_txq; q++) {
		rte_pktmbuf_free_bulk(pend[q], nb_pend[q]);
		s->accepted[q] = accepted[q];
	}
	s->refused = refused;
	__atomic_store_n(&s->finished, true, __ATOMIC_RELEASE);
	return 0;
}

/* The next frame of its tx queue, on the rx queue that tx queue maps to, intact. */
static int
order_check(const struct rte_mbuf *m, uint16_t port, uint16_t r, uint16_t nb_rxq,
	uint16_t nb_txq, uint64_t *next)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t seq, chk;
	uint16_t q;

	memcpy(&seq, p + ORDER_OFF_SEQ, sizeof(seq));
	memcpy(&q, p + ORDER_OFF_TXQ, sizeof(q));
	memcpy(&chk, p + ORDER_OFF_CHK, sizeof(chk));
	if (m->pkt_len != ORDER_LEN || m->data_len != ORDER_LEN || m->nb_segs != 1 ||
			m->port != port || chk != ~seq || q >= nb_txq) {
		fprintf(stderr, "rx queue %u: corrupt frame: pkt_len %u data_len %u nb_segs %u port %u tx queue %u seq %u check %#x\n",
			r, m->pkt_len, m->data_len, m->nb_segs, m->port, q, seq, chk);
		return -1;
	}
	if (q % nb_rxq != r) {
		fprintf(stderr, "frame %u of tx queue %u on rx queue %u, expected %u\n",
			seq, q, r, q % nb_rxq);
		return -1;
	}
	if (seq != next[q]) {
		fprintf(stderr, "tx queue %u: frame %u where %" PRIu64 " was due: %s\n", q, seq,
			next[q], seq < next[q] ? "duplicated or reordered" :
			"lost or reordered");
		return -1;
	}
	next[q]++;
	return 0;
}

static int
order_receive(struct order_sender *s, uint16_t port, uint16_t nb_rxq, uint64_t *next,
	uint64_t *per_rxq)
{
	const uint64_t total = (uint64_t)s->per_queue * s->nb_txq;
	struct rte_mbuf *burst[64];
	uint64_t got = 0;
	uint16_t r, n, i;

	while (got < total) {
		uint64_t before = got;

		for (r = 0; r < nb_rxq; r++) {
			n = rte_eth_rx_burst(port, r, burst, RTE_DIM(burst));
			for (i = 0; i < n; i++) {
				if (order_check(burst[i], port, r, nb_rxq, s->nb_txq, next) != 0) {
					rte_pktmbuf_free_bulk(burst, n);
					return -1;
				}
			}
			rte_pktmbuf_free_bulk(burst, n);
			got += n;
			per_rxq[r] += n;
		}
		/*
		 * Everything was sent and the rings are empty, yet frames are missing: lost.
		 * `finished` comes after the sender's last enqueue, so the count sees it.
		 */
		if (got == before && __atomic_load_n(&s->finished, __ATOMIC_ACQUIRE) &&
				vt_rx_pending(port) == 0 && got < total) {
			fprintf(stderr, "%" PRIu64 " of %" PRIu64 " frames never arrived\n",
				total - got, total);
			for (i = 0; i < s->nb_txq; i++)
				fprintf(stderr, "tx queue %u: accepted %" PRIu64
					", received up to %" PRIu64 "\n", i,
					s->accepted[i], next[i]);
			return -1;
		}
	}
	return 0;
}

static int
order_case(uint16_t nb_txq, uint16_t nb_rxq)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	uint64_t next[ORDER_TXQ_MAX] = { 0 }, per_rxq[ORDER_RXQ_MAX] = { 0 };
	struct order_sender s = { 0 };
	struct rte_eth_stats sa, sb;
	struct rte_mbuf *m;
	uint64_t total, start;
	double scale, secs;
	uint16_t a, b, q;
	int ret, wret;

	CHECK(worker < RTE_MAX_LCORE);
	CHECK(nb_txq <= ORDER_TXQ_MAX && nb_rxq <= ORDER_RXQ_MAX);
	CHECK_OK(stress_scale(&scale));
	s.mp = rte_pktmbuf_pool_create("order_pool", ORDER_POOL, ORDER_CACHE, 0,
		RTE_PKTMBUF_HEADROOM + ORDER_LEN, rte_socket_id());
	CHECK(s.mp != NULL);
	CHECK_OK(rte_pmd_vpair_create("net_vpair0", NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, nb_txq, ORDER_DESC, false));
	CHECK_OK(vt_port_setup(b, nb_rxq, 1, ORDER_DESC, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	CHECK_OK(rte_eth_macaddr_get(b, &s.hdr.dst_addr));
	CHECK_OK(rte_eth_macaddr_get(a, &s.hdr.src_addr));
	s.hdr.ether_type = rte_cpu_to_be_16(0x88b5);
	s.port = a;
	s.nb_txq = nb_txq;
	total = scaled(ORDER_PACKETS, scale, 100000);
	s.per_queue = (total + nb_txq - 1) / nb_txq;
	total = (uint64_t)s.per_queue * nb_txq;
	printf("%u tx queue(s) to %u rx queue(s): %" PRIu64 " frames, %u per tx queue\n",
		nb_txq, nb_rxq, total, s.per_queue);

	start = rte_get_timer_cycles();
	CHECK_OK(rte_eal_remote_launch(order_send, &s, worker));
	ret = order_receive(&s, b, nb_rxq, next, per_rxq);
	if (ret != 0)
		__atomic_store_n(&s.abort, true, __ATOMIC_RELAXED);
	wret = rte_eal_wait_lcore(worker);
	CHECK(ret == 0);
	CHECK(wret == 0);
	secs = seconds_since(start);
	printf("%.2f s, %.2f Mpps, %" PRIu64 " frames refused by a full ring and sent again\n",
		secs, (double)total / secs / 1e6, s.refused);

	/* Nothing more than was sent, and every tx queue's frames all there. */
	for (q = 0; q < nb_rxq; q++)
		CHECK_EQ(rte_eth_rx_burst(b, q, &m, 1), 0);
	for (q = 0; q < nb_txq; q++) {
		CHECK_EQ(s.accepted[q], s.per_queue);
		CHECK_EQ(next[q], s.per_queue);
	}
	for (q = 0; q < nb_rxq; q++)
		CHECK_EQ(per_rxq[q], (uint64_t)s.per_queue * ((nb_txq - q + nb_rxq - 1) / nb_rxq));

	CHECK_OK(rte_eth_stats_get(a, &sa));
	CHECK_OK(rte_eth_stats_get(b, &sb));
	CHECK_EQ(sa.opackets, total);
	CHECK_EQ(sa.obytes, total * ORDER_LEN);
	/* Refused frames were handed back and sent again: counted as refused, not failed. */
	CHECK_EQ(sa.oerrors, 0);
	CHECK_EQ(vt_xstat(a, "tx_ring_full_errors"), s.refused);
	CHECK_EQ(vt_xstat(a, "tx_link_down_errors"), 0);
	for (q = 0; q < nb_txq; q++)
		CHECK_EQ(sa.q_opackets[q], s.per_queue);
	CHECK_EQ(sb.ipackets, total);
	CHECK_EQ(sb.ibytes, total * ORDER_LEN);
	CHECK_EQ(sb.ierrors, 0);
	CHECK_EQ(sb.imissed, 0);
	for (q = 0; q < nb_rxq; q++)
		CHECK_EQ(sb.q_ipackets[q], per_rxq[q]);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);

	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK_EQ(rte_mempool_avail_count(s.mp), ORDER_POOL);
	rte_mempool_free(s.mp);
	return 0;
}

VT_CASE(order_1q)
{
	return order_case(1, 1);
}

/* Tx queue q lands on rx queue q mod 2: each rx queue interleaves two sequence spaces. */
VT_CASE(order_4to2)
{
	return order_case(4, 2);
}

/* ---------------------------------------------------------------------------------- */
/* Close one port while the other sends. */

#define CLOSE_ROUNDS	100
#define CLOSE_BURST	32

struct churn_sender {
	uint16_t port;
	struct rte_ether_addr dst, src;
	bool stop;		/* main lcore to worker: return */
	/* Worker to main lcore; `bursts` is stored last, with release. */
	uint64_t accepted;	/* returned by tx_burst */
	uint64_t bursts;	/* tx_burst calls returned */
	uint32_t seq;
};

static int
churn_send(void *arg)
{
	struct churn_sender *s = arg;
	struct rte_mbuf *pend[CLOSE_BURST];
	uint16_t nb = 0, sent;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		while (nb < CLOSE_BURST) {
			pend[nb] = vt_frame(&s->dst, &s->src, s->seq, 64);
			if (pend[nb] == NULL)
				break;
			nb++;
			s->seq++;
		}
		sent = rte_eth_tx_burst(s->port, 0, pend, nb);
		memmove(pend, pend + sent, (nb - sent) * sizeof(pend[0]));
		nb -= sent;
		__atomic_store_n(&s->accepted, s->accepted + sent, __ATOMIC_RELAXED);
		__atomic_store_n(&s->bursts, s->bursts + 1, __ATOMIC_RELEASE);
	}
	rte_pktmbuf_free_bulk(pend, nb);
	return 0;
}

static int
link_is(uint16_t port, uint16_t status)
{
	struct rte_eth_link link;

	CHECK_OK(rte_eth_link_get_nowait(port, &link));
	CHECK_EQ(link.link_status, status);
	return 0;
}

/* The main lcore's side of a round: receive on b, stop it, check, close it. */
static int
close_peer(struct churn_sender *s, uint16_t a, uint16_t b, uint16_t nb_desc,
	unsigned int round)
{
	struct rte_mbuf *burst[64];
	uint64_t received = 0, stalled = __atomic_load_n(&s->bursts, __ATOMIC_ACQUIRE);
	uint64_t accepted;
	struct rte_eth_stats sa;
	uint16_t n;

	/* Frames flow through several ring-fulls before anything is stopped. */
	while (received < 4u * nb_desc) {
		n = rte_eth_rx_burst(b, 0, burst, RTE_DIM(burst));
		rte_pktmbuf_free_bulk(burst, n);
		received += n;
		if (n > 0) {
			stalled = __atomic_load_n(&s->bursts, __ATOMIC_ACQUIRE);
		} else if (__atomic_load_n(&s->bursts, __ATOMIC_ACQUIRE) - stalled > 10000000) {
			fprintf(stderr, "round %u: nothing received in 10^7 bursts\n", round);
			return -1;
		}
	}
	/* Every other round b stops with a full ring, so its flush has work. */
	if (round % 2 == 1)
		while (rte_eth_rx_queue_count(b, 0) < nb_desc)
			rte_pause();

	CHECK_OK(rte_eth_dev_stop(b));
	/* Exact the moment stop returns: no burst of a can add to b after it. */
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(link_is(a, RTE_ETH_LINK_DOWN) == 0);
	CHECK(link_is(b, RTE_ETH_LINK_DOWN) == 0);
	/* A burst that began before the stop has returned once two more have. */
	wait_advance(&s->bursts, 2);
	accepted = __atomic_load_n(&s->accepted, __ATOMIC_RELAXED);
	CHECK_OK(rte_eth_stats_get(a, &sa));
	CHECK_EQ(sa.opackets, accepted);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK_OK(rte_eth_dev_close(b));
	CHECK(!rte_eth_dev_is_valid_port(b));

	/* a keeps sending into the closed peer: refused, its counters move only there. */
	wait_advance(&s->bursts, 2);
	CHECK(link_is(a, RTE_ETH_LINK_DOWN) == 0);
	CHECK_EQ(__atomic_load_n(&s->accepted, __ATOMIC_RELAXED), accepted);
	return 0;
}

static int
close_round(unsigned int round, unsigned int worker)
{
	struct churn_sender s = { 0 };
	uint16_t nb_desc = round % 4 < 2 ? 512 : 64;
	struct rte_eth_stats sa;
	uint16_t a, b;
	int ret, wret;

	CHECK_OK(rte_pmd_vpair_create("net_vpair0", round % 3 == 0 ? "max_queues=2,max_desc=512" :
		NULL, &a, &b));
	CHECK_OK(vt_port_setup(a, 1, 1, nb_desc, false));
	CHECK_OK(vt_port_setup(b, 1, 1, nb_desc, round % 5 == 0));
	CHECK_OK(rte_eth_dev_start(round % 2 ? a : b));
	CHECK_OK(rte_eth_dev_start(round % 2 ? b : a));
	CHECK_OK(rte_eth_macaddr_get(b, &s.dst));
	CHECK_OK(rte_eth_macaddr_get(a, &s.src));
	s.port = a;

	CHECK_OK(rte_eal_remote_launch(churn_send, &s, worker));
	ret = close_peer(&s, a, b, nb_desc, round);
	__atomic_store_n(&s.stop, true, __ATOMIC_RELEASE);
	wret = rte_eal_wait_lcore(worker);
	CHECK(ret == 0);
	CHECK(wret == 0);

	CHECK_OK(rte_eth_stats_get(a, &sa));
	CHECK_EQ(sa.opackets, s.accepted);
	CHECK(vt_xstat(a, "tx_link_down_errors") > 0);
	CHECK_EQ(sa.oerrors, 0);	/* refused frames stay the caller's */
	CHECK_EQ(sa.ipackets, 0);

	/* Then a goes, three ways. */
	switch (round % 3) {
	case 0:
		break;	/* destroy stops and closes it */
	case 1:
		CHECK_OK(rte_eth_dev_stop(a));
		CHECK_OK(rte_eth_dev_close(a));
		break;
	case 2:
		CHECK_OK(rte_eth_dev_stop(a));
		break;
	}
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK(!rte_eth_dev_is_valid_port(a));
	CHECK_EQ(rte_mempool_avail_count(vt_pool), VT_POOL_SIZE);
	return 0;
}

VT_CASE(close_under_traffic)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	unsigned int round;
	struct vt_footprint before;

	CHECK(worker < RTE_MAX_LCORE);
	/* Warm up once: the first ethdev use allocates ethdev's own tables for good. */
	CHECK(close_round(0, worker) == 0);
	vt_footprint_get(&before);
	for (round = 0; round < CLOSE_ROUNDS; round++) {
		if (close_round(round, worker) != 0) {
			fprintf(stderr, "round %u failed\n", round);
			return -1;
		}
	}
	CHECK(vt_footprint_same(&before) == 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Devargs fuzz: a grammar of key=value lists with valid and invalid values, mutations. */

#define FUZZ_COUNT	12000
#define FUZZ_SEED	UINT64_C(0x76706169722d667a)	/* "vpair-fz" */
#define FUZZ_NAME	"net_vpair7"
#define FUZZ_MAX	600
#define FUZZ_REPORT	60	/* disagreements printed in full */

/* The defaults of FUZZ_NAME: 02:76:70, then the number 7 in two bytes, then 0a / 0b. */
static const struct rte_ether_addr fuzz_default_mac[2] = {
	{{ 0x02, 0x76, 0x70, 0x00, 0x07, 0x0a }},
	{{ 0x02, 0x76, 0x70, 0x00, 0x07, 0x0b }},
};

enum { K_MAC_A, K_MAC_B, K_MAX_QUEUES, K_MAX_DESC, K_CSUM_PARTIAL, K_NB };
static const char * const fuzz_keys[K_NB] = {
	"mac_a", "mac_b", "max_queues", "max_desc", "csum_partial",
};

/* splitmix64: the same sequence from the same seed on any machine. */
static uint64_t
rnd(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t
below(uint64_t *state, uint32_t n)
{
	return (uint32_t)(rnd(state) % n);
}

static bool
chance(uint64_t *state, unsigned int percent)
{
	return below(state, 100) < percent;
}

struct fuzz_str {
	char s[FUZZ_MAX];
	size_t len;
};

static void
fz_add(struct fuzz_str *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->len >= sizeof(f->s) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(f->s + f->len, sizeof(f->s) - f->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		f->len = RTE_MIN(f->len + (size_t)n, sizeof(f->s) - 1);
}

/*
 * A number for max_queues (queues) or max_desc, valid or not in one of many ways; mostly
 * valid and plainly written when clean.
 */
static void
gen_number(uint64_t *r, bool queues, bool clean, struct fuzz_str *v)
{
	static const char * const huge[] = {
		"99999999999999999999", "18446744073709551616", "18446744073709551615",
		"4294967296", "4294967328", "340282366920938463463374607431768211456",
	};
	static const char * const junk[] = {
		"abc", "four", "0x", "-", "+", "0b100", "1e3", "3.0", "12k", "NaN", "0x1g",
	};
	static const uint32_t bad_queues[] = { 0, 65, 100, 128, 255, 256, 1000, 65536 + 4 };
	static const uint32_t bad_desc[] = {
		0, 1, 16, 31, 33, 48, 1000, 4095, 4097, 32767, 32769, 65536, 131072,
	};
	uint32_t good = queues ? 1 + below(r, 64) : 32u << below(r, 11);

	if (clean && chance(r, 85)) {
		fz_add(v, "%u", good);
		return;
	}
	switch (below(r, 20)) {
	case 0 ... 6:
		fz_add(v, "%u", good);
		break;
	case 7:
	case 8:	/* decimal with leading zeros: "010" is ten */
		fz_add(v, "%0*u", 2 + below(r, 4), good);
		break;
	case 9:
		fz_add(v, "%u", queues ? bad_queues[below(r, RTE_DIM(bad_queues))] :
			bad_desc[below(r, RTE_DIM(bad_desc))]);
		break;
	case 10:	/* good modulo 2^32 */
		fz_add(v, "%" PRIu64, ((uint64_t)1 << 32) + good);
		break;
	case 11:
		fz_add(v, "%s", huge[below(r, RTE_DIM(huge))]);
		break;
	case 12:
		fz_add(v, "%s%u", below(r, 2) ? "+" : "-", good);
		break;
	case 13:
		fz_add(v, below(r, 3) == 0 ? "%u " : below(r, 2) ? " %u" : "\t%u", good);
		break;
	case 14:
		fz_add(v, below(r, 2) ? "0x%x" : "0X%X", good);
		break;
	case 15:
		break;	/* empty */
	case 16:
		fz_add(v, "%u%s", good, junk[below(r, RTE_DIM(junk))]);
		break;
	case 17:
		fz_add(v, "%s", junk[below(r, RTE_DIM(junk))]);
		break;
	case 18:
		fz_add(v, "-0");
		break;
	default:	/* digits 8 or 9 after a leading zero: no octal here */
		fz_add(v, "0%u", 8 + below(r, 2) + 10 * below(r, 3));
		break;
	}
}

static void
put_mac(struct fuzz_str *v, const uint8_t *m, bool upper, bool three)
{
	if (three)
		fz_add(v, upper ? "%02X%02X:%02X%02X:%02X%02X" : "%02x%02x:%02x%02x:%02x%02x",
			m[0], m[1], m[2], m[3], m[4], m[5]);
	else
		fz_add(v, upper ? "%02X:%02X:%02X:%02X:%02X:%02X" : "%02x:%02x:%02x:%02x:%02x:%02x",
			m[0], m[1], m[2], m[3], m[4], m[5]);
}

/*
 * A MAC address, valid or not, mostly valid when clean; other is the value given to the
 * other port's key, if any.
 */
static void
gen_mac(uint64_t *r, int side, bool clean, const char *other, struct fuzz_str *v)
{
	uint8_t m[6];
	unsigned int i;
	size_t at;

	for (i = 0; i < 6; i++)
		m[i] = (uint8_t)rnd(r);
	m[0] &= 0xfe;
	if (below(r, 2))
		m[0] |= 0x02;	/* locally administered, as most given ones are */
	if (below(r, 8) == 0) {
		memset(m, 0, sizeof(m));
		m[5] = 1;
	}
	if (clean && chance(r, 85)) {
		put_mac(v, m, false, false);
		return;
	}
	switch (below(r, 20)) {
	case 0 ... 6:
		put_mac(v, m, false, false);
		break;
	case 7:
		put_mac(v, m, true, false);
		break;
	case 8:	/* XXXX:XXXX:XXXX, the other form rte_ether_unformat_addr() documents */
		put_mac(v, m, below(r, 2), true);
		break;
	case 9:
		m[0] |= 1;	/* multicast */
		put_mac(v, m, false, false);
		break;
	case 10:
		fz_add(v, below(r, 2) ? "ff:ff:ff:ff:ff:ff" : "FF:FF:FF:FF:FF:FF");
		break;
	case 11:
		fz_add(v, below(r, 2) ? "00:00:00:00:00:00" : "0000:0000:0000");
		break;
	case 12:	/* five or seven groups */
		put_mac(v, m, false, false);
		if (below(r, 2)) {
			v->len -= 3;
			v->s[v->len] = '\0';
		} else {
			fz_add(v, ":%02x", m[0]);
		}
		break;
	case 13:	/* a digit that is not hex, or a separator that is not ':' */
		put_mac(v, m, false, false);
		at = below(r, v->len);
		v->s[at] = "gz -.G"[below(r, 6)];
		break;
	case 14:	/* groups of one digit */
		fz_add(v, "%x:%x:%x:%x:%x:%x", m[0] & 0xe, m[1] & 0xf, m[2] & 0xf,
			m[3] & 0xf, m[4] & 0xf, 1 + (m[5] & 0x7));
		break;
	case 15:
		break;	/* empty */
	case 16:	/* space around */
		fz_add(v, below(r, 2) ? " " : "");
		put_mac(v, m, false, false);
		fz_add(v, v->s[0] == ' ' ? "" : " ");
		break;
	case 17:	/* the other port's default address */
		put_mac(v, fuzz_default_mac[!side].addr_bytes, false, false);
		break;
	default:	/* the other port's given address, same spelling or not */
		if (other != NULL && other[0] != '\0') {
			struct rte_ether_addr o;

			if (below(r, 2) == 0 || rte_ether_unformat_addr(other, &o) != 0)
				fz_add(v, "%s", other);
			else
				put_mac(v, o.addr_bytes, true, below(r, 2));
		} else {
			put_mac(v, m, false, false);
		}
		break;
	}
}

/* A key: one of the four mostly, else a near miss. */
static const char *
gen_key(uint64_t *r, int *k)
{
	static const char * const bad[] = {
		"mac_c", "MAC_A", "Mac_b", "max_queue", "max_queuess", "max_descs", "mac",
		"mtu", "queues", "desc", "", "mac-a", "max-desc", "csum", "csum_partial ",
		"csum-partial",
		" mac_a", "mac_b ", "max_queues\t", "iface", "mac_a\x01",
	};

	if (below(r, 12) > 0) {
		*k = below(r, K_NB);
		return fuzz_keys[*k];
	}
	*k = -1;
	return bad[below(r, RTE_DIM(bad))];
}

/*
 * key=value[,key=value...] from the grammar. With clean, mostly distinct keys and valid
 * values, so that a good share is accepted.
 */
static void
gen_list(uint64_t *r, bool clean, struct fuzz_str *f)
{
	char given[2][FUZZ_MAX] = { "", "" };
	unsigned int nb = clean ? below(r, K_NB + 1) : below(r, 7);
	unsigned int i, order[K_NB] = { 0, 1, 2, 3, 4 };
	struct fuzz_str v;

	for (i = K_NB - 1; i > 0; i--) {
		unsigned int j = below(r, i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < nb; i++) {
		const char *key;
		int k;

		if (clean) {
			k = order[i % K_NB];
			key = fuzz_keys[k];
		} else {
			key = gen_key(r, &k);
		}
		if (i > 0)
			fz_add(f, ",");
		fz_add(f, "%s", key);
		if (!clean && below(r, 25) == 0)
			continue;	/* no '=', no value */
		fz_add(f, "=");
		memset(&v, 0, sizeof(v));
		if (k == K_MAC_A || k == K_MAC_B) {
			gen_mac(r, k, clean, given[!k][0] ? given[!k] : NULL, &v);
			snprintf(given[k], sizeof(given[k]), "%s", v.s);
		} else if (k == K_MAX_QUEUES || k == K_MAX_DESC) {
			gen_number(r, k == K_MAX_QUEUES, clean, &v);
		} else if (k == K_CSUM_PARTIAL) {
			/* 0 or 1; else a number of the queues' kind, rarely either. */
			if (clean && chance(r, 85))
				fz_add(&v, "%u", below(r, 2));
			else
				gen_number(r, true, false, &v);
		} else if (below(r, 2)) {
			/* An unknown key gets a value of either kind. */
			gen_number(r, below(r, 2), false, &v);
		} else {
			gen_mac(r, 0, false, NULL, &v);
		}
		fz_add(f, "%s", v.s);
	}
}

/* Break the list's structure: kvargs syntax the model does not speak. */
static void
mutate_structure(uint64_t *r, struct fuzz_str *f)
{
	struct fuzz_str t = { .len = 0 };
	unsigned int i, n;
	size_t at;

	switch (below(r, 9)) {
	case 0:
		fz_add(f, ",");
		break;
	case 1:
		t = *f;
		f->len = 0;
		fz_add(f, ",%s", t.s);
		break;
	case 2:	/* an empty element in the middle */
		at = f->len ? below(r, f->len) : 0;
		t = *f;
		f->len = at;
		fz_add(f, ",,%s", t.s + at);
		break;
	case 3:	/* brackets: a kvargs list value */
		fz_add(f, "%smax_queues=[%u,%u]", f->len ? "," : "", below(r, 70), below(r, 70));
		break;
	case 4:
		fz_add(f, "%smax_desc=64=64", f->len ? "," : "");
		break;
	case 5:	/* more pairs than kvargs holds */
		n = 30 + below(r, 10);
		for (i = 0; i < n; i++)
			fz_add(f, "%sx%u=%u", f->len ? "," : "", i, i);
		break;
	case 6:	/* a long value */
		fz_add(f, "%smac_a=", f->len ? "," : "");
		n = 100 + below(r, 400);
		for (i = 0; i < n; i++)
			fz_add(f, "%c", "0123456789abcdef:"[below(r, 17)]);
		break;
	case 7:
		fz_add(f, "%s[", f->len ? "," : "");
		break;
	default:
		fz_add(f, "%s=", f->len ? "," : "");
		break;
	}
}

/* Random bytes in, out or over a list. */
static void
mutate_bytes(uint64_t *r, struct fuzz_str *f)
{
	unsigned int i, n = 1 + below(r, 4);
	size_t at;

	for (i = 0; i < n; i++) {
		char c = (char)(1 + below(r, 255));

		at = f->len ? below(r, f->len + 1) : 0;
		switch (below(r, 4)) {
		case 0:
			if (at < f->len)
				f->s[at] = c;
			break;
		case 1:	/* insert */
			if (f->len + 1 < sizeof(f->s)) {
				memmove(f->s + at + 1, f->s + at, f->len - at + 1);
				f->s[at] = c;
				f->len++;
			}
			break;
		case 2:	/* delete */
			if (at < f->len) {
				memmove(f->s + at, f->s + at + 1, f->len - at);
				f->len--;
			}
			break;
		default:	/* cut */
			f->len = at;
			f->s[at] = '\0';
			break;
		}
	}
}

static void
gen_raw(uint64_t *r, struct fuzz_str *f)
{
	static const char alphabet[] = "mac_bxqueusdt=,:0123456789abcdefABCDEF[]+- x";
	unsigned int i, n = below(r, 80);
	bool printable = below(r, 2);

	for (i = 0; i < n; i++)
		fz_add(f, "%c", printable ? alphabet[below(r, sizeof(alphabet) - 1)] :
			(char)(1 + below(r, 255)));
}

/* The spec, for well-formed lists. */
struct fuzz_model {
	bool accept;
	char why[160];
	uint32_t max_queues, max_desc;
	struct rte_ether_addr mac[2];
};

/* One or more ASCII digits, nothing else, read as decimal; saturates above UINT32_MAX. */
static bool
model_number(const char *s, uint64_t *v)
{
	*v = 0;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		*v = RTE_MIN(*v * 10 + (uint64_t)(*s - '0'), (uint64_t)UINT32_MAX + 1);
	}
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* XX:XX:XX:XX:XX:XX or XXXX:XXXX:XXXX, hex digits of either case (rte_ether.h). */
static bool
model_mac(const char *s, struct rte_ether_addr *mac)
{
	size_t len = strlen(s);
	unsigned int group = len == 17 ? 2 : 4, i, j = 0, nib = 0;
	uint8_t *b = mac->addr_bytes;

	if (len != 17 && len != 14)
		return false;
	memset(mac, 0, sizeof(*mac));
	for (i = 0; i < len; i++) {
		int h;

		if ((i + 1) % (group + 1) == 0) {
			if (s[i] != ':')
				return false;
			continue;
		}
		h = hexval(s[i]);
		if (h < 0)
			return false;
		b[j] = (uint8_t)(b[j] << 4 | h);
		if (++nib == 2) {
			nib = 0;
			j++;
		}
	}
	return j == RTE_ETHER_ADDR_LEN;
}

static void
model_refuse(struct fuzz_model *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->accept)
		return;	/* the first reason is enough */
	m->accept = false;
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
}

/*
 * keys mac_a, mac_b, max_queues, max_desc, csum_partial, each at most once, each with a
 * value; numbers are one or more ASCII digits, decimal; max_queues 1..64, max_desc a power
 * of two 32..32768, csum_partial 0 or 1; MACs unicast, not all zeros, and the two ports'
 * addresses differ.
 */
static void
model_eval(const char *devargs, struct fuzz_model *m)
{
	char buf[FUZZ_MAX], *elem, *save = NULL;
	bool seen[K_NB] = { false };

	memset(m, 0, sizeof(*m));
	m->accept = true;
	m->max_queues = 16;
	m->max_desc = 4096;
	m->mac[0] = fuzz_default_mac[0];
	m->mac[1] = fuzz_default_mac[1];
	snprintf(buf, sizeof(buf), "%s", devargs);
	for (elem = strtok_r(buf, ",", &save); elem != NULL; elem = strtok_r(NULL, ",", &save)) {
		char *value = strchr(elem, '=');
		uint64_t n;
		int k;

		if (value != NULL)
			*value++ = '\0';
		for (k = 0; k < K_NB && strcmp(elem, fuzz_keys[k]) != 0; k++)
			;
		if (k == K_NB) {
			model_refuse(m, "unknown key \"%s\"", elem);
			continue;
		}
		if (seen[k])
			model_refuse(m, "%s given twice", elem);
		seen[k] = true;
		if (value == NULL) {
			model_refuse(m, "%s without a value", elem);
			continue;
		}
		switch (k) {
		case K_MAC_A:
		case K_MAC_B:
			if (!model_mac(value, &m->mac[k]))
				model_refuse(m, "%s=%s: not a MAC address", elem, value);
			else if (!rte_is_unicast_ether_addr(&m->mac[k]))
				model_refuse(m, "%s=%s: not unicast", elem, value);
			else if (rte_is_zero_ether_addr(&m->mac[k]))
				model_refuse(m, "%s=%s: all zeros", elem, value);
			break;
		case K_MAX_QUEUES:
			if (!model_number(value, &n))
				model_refuse(m, "%s=%s: not plain decimal", elem, value);
			else if (n < 1 || n > 64)
				model_refuse(m, "%s=%s: out of 1..64", elem, value);
			m->max_queues = (uint32_t)n;
			break;
		case K_CSUM_PARTIAL:
			if (!model_number(value, &n))
				model_refuse(m, "%s=%s: not plain decimal", elem, value);
			else if (n > 1)
				model_refuse(m, "%s=%s: not 0 or 1", elem, value);
			break;
		default:
			if (!model_number(value, &n))
				model_refuse(m, "%s=%s: not plain decimal", elem, value);
			else if (n < 32 || n > 32768 || !rte_is_power_of_2((uint32_t)n))
				model_refuse(m, "%s=%s: not a power of two in 32..32768", elem,
					value);
			m->max_desc = (uint32_t)n;
			break;
		}
	}
	if (rte_is_same_ether_addr(&m->mac[0], &m->mac[1]))
		model_refuse(m, "mac_a and mac_b are the same address");
}

static void
print_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (isprint((unsigned char)*s))
			fputc(*s, out);
		else
			fprintf(out, "\\x%02x", (unsigned char)*s);
	}
	fputc('"', out);
}

/* Accepted: the ports report what was asked (when the model knows it) and carry a frame. */
static int
fuzz_accepted(uint16_t a, uint16_t b, const struct fuzz_model *m, char *diff, size_t size)
{
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac[2];
	struct rte_mbuf *tx, *rx;
	uint16_t port[2] = { a, b };
	int s;

	diff[0] = '\0';
	for (s = 0; s < 2; s++) {
		CHECK_OK(rte_eth_dev_info_get(port[s], &info));
		CHECK_OK(rte_eth_macaddr_get(port[s], &mac[s]));
		CHECK(rte_is_valid_assigned_ether_addr(&mac[s]));
		CHECK(info.max_rx_queues >= 1 && info.max_rx_queues <= 64);
		CHECK_EQ(info.max_tx_queues, info.max_rx_queues);
		CHECK(rte_is_power_of_2(info.rx_desc_lim.nb_max));
		CHECK(info.rx_desc_lim.nb_max >= 32 && info.rx_desc_lim.nb_max <= 32768);
		if (m == NULL)
			continue;
		if (info.max_rx_queues != m->max_queues || info.rx_desc_lim.nb_max != m->max_desc ||
				!rte_is_same_ether_addr(&mac[s], &m->mac[s]))
			snprintf(diff, size, "port %c: max_queues %u, max_desc %u, mac "
				RTE_ETHER_ADDR_PRT_FMT "; the model has %u, %u, "
				RTE_ETHER_ADDR_PRT_FMT, 'a' + s,
				info.max_rx_queues, info.rx_desc_lim.nb_max,
				RTE_ETHER_ADDR_BYTES(&mac[s]), m->max_queues, m->max_desc,
				RTE_ETHER_ADDR_BYTES(&m->mac[s]));
	}
	CHECK_OK(vt_port_setup(a, 1, 1, 32, false));
	CHECK_OK(vt_port_setup(b, 1, 1, 32, false));
	CHECK_OK(rte_eth_dev_start(a));
	CHECK_OK(rte_eth_dev_start(b));
	tx = vt_frame_to(a, b, 7, 64);
	CHECK(tx != NULL);
	CHECK_EQ(rte_eth_tx_burst(a, 0, &tx, 1), 1);
	CHECK_EQ(vt_rx_wait(b, 0, &rx, 1), 1);
	CHECK(rx == tx);
	rte_pktmbuf_free(rx);
	CHECK(vt_check_identity(a, b) == 0);
	return 0;
}

enum fuzz_kind { FZ_CLEAN, FZ_GRAMMAR, FZ_STRUCTURE, FZ_BYTES, FZ_RAW, FZ_NB_KINDS };
static const char * const fuzz_kind_name[FZ_NB_KINDS] = {
	"clean lists", "grammar lists", "broken structure", "mutated bytes", "raw bytes",
};

VT_CASE(devargs_fuzz)
{
	unsigned int accepted[FZ_NB_KINDS] = { 0 }, tried[FZ_NB_KINDS] = { 0 };
	/* Disagreements: accepted against the model, refused against it, other values. */
	unsigned int wrongly_accepted = 0, wrongly_refused = 0, other_values = 0;
	unsigned int i, count, disagree = 0;
	uint64_t seed = FUZZ_SEED, state;
	struct vt_footprint before;
	const char *env = getenv("VT_FUZZ_SEED");
	double scale;
	uint16_t a, b;

	CHECK_OK(stress_scale(&scale));
	if (env != NULL && env[0] != '\0') {
		char *end;

		errno = 0;
		seed = strtoull(env, &end, 0);
		CHECK(errno == 0 && end != env && *end == '\0');
	}
	count = (unsigned int)scaled(FUZZ_COUNT, scale, 1000);
	printf("devargs fuzz: %u strings, seed %#" PRIx64 " (VT_FUZZ_SEED=%#" PRIx64
		" repeats this run)\n", count, seed, seed);

	/* Warm up once: the first probe registers the mbuf field and ethdev's tables. */
	CHECK_OK(rte_pmd_vpair_create(FUZZ_NAME, NULL, NULL, NULL));
	CHECK_OK(rte_pmd_vpair_destroy(FUZZ_NAME));
	vt_footprint_get(&before);
	state = seed;
	for (i = 0; i < count; i++) {
		struct fuzz_str f = { .len = 0 };
		struct fuzz_model m;
		char diff[256] = "";
		unsigned int kind = below(&state, 100);
		bool modeled;
		int ret;

		kind = kind < 25 ? FZ_CLEAN : kind < 60 ? FZ_GRAMMAR : kind < 75 ? FZ_STRUCTURE :
			kind < 90 ? FZ_BYTES : FZ_RAW;
		if (kind == FZ_RAW)
			gen_raw(&state, &f);
		else
			gen_list(&state, kind == FZ_CLEAN, &f);
		if (kind == FZ_STRUCTURE)
			mutate_structure(&state, &f);
		else if (kind == FZ_BYTES)
			mutate_bytes(&state, &f);
		modeled = kind == FZ_CLEAN || kind == FZ_GRAMMAR;
		if (modeled)
			model_eval(f.s, &m);
		tried[kind]++;

		vt_log_capture();
		ret = rte_pmd_vpair_create(FUZZ_NAME, f.s, &a, &b);
		if (ret == 0) {
			accepted[kind]++;
			if (fuzz_accepted(a, b, modeled ? &m : NULL, diff, sizeof(diff)) != 0) {
				fprintf(stderr, "string %u: ", i);
				print_escaped(stderr, f.s);
				fprintf(stderr, " accepted, but the ports do not work\n");
				return -1;
			}
			CHECK_OK(rte_pmd_vpair_destroy(FUZZ_NAME));
		} else {
			/* A refusal says why (a line of the driver's), and leaves nothing behind. */
			if (strstr(vt_log_peek(), "net_vpair: ") == NULL) {
				fprintf(stderr, "string %u: ", i);
				print_escaped(stderr, f.s);
				fprintf(stderr, " refused (%d) without a log line\n", ret);
				return -1;
			}
			CHECK_EQ(rte_pmd_vpair_get_ports(FUZZ_NAME, NULL, NULL), -ENODEV);
		}
		if (vt_footprint_same(&before) != 0) {
			fprintf(stderr, "string %u: ", i);
			print_escaped(stderr, f.s);
			fprintf(stderr, " (%s) left something behind\n", ret == 0 ? "accepted" :
				"refused");
			return -1;
		}
		CHECK_EQ(rte_mempool_avail_count(vt_pool), VT_POOL_SIZE);
		if (!modeled || ((ret == 0) == m.accept && diff[0] == '\0'))
			continue;
		if (ret == 0 && !m.accept)
			wrongly_accepted++;
		else if (ret != 0)
			wrongly_refused++;
		else
			other_values++;
		if (++disagree <= FUZZ_REPORT) {
			fprintf(stderr, "model disagrees, string %u: ", i);
			print_escaped(stderr, f.s);
			if (ret == 0 && !m.accept)
				fprintf(stderr, " accepted; the model refuses: %s\n", m.why);
			else if (ret != 0)
				fprintf(stderr, " refused (%d); the model accepts\n", ret);
			else
				fprintf(stderr, " accepted as %s\n", diff);
		}
	}
	for (i = 0; i < FZ_NB_KINDS; i++)
		printf("%-17s %5u tried, %5u accepted\n", fuzz_kind_name[i], tried[i], accepted[i]);
	printf("%u disagreements with the model: %u accepted that it refuses, %u refused that it accepts, %u accepted with other values\n",
		disagree, wrongly_accepted, wrongly_refused, other_values);
	/* Every kind ran, and the grammar reached both verdicts. */
	for (i = 0; i < FZ_NB_KINDS; i++)
		CHECK(tried[i] > 0);
	CHECK(accepted[FZ_CLEAN] > 0 && accepted[FZ_CLEAN] < tried[FZ_CLEAN]);
	CHECK_EQ(disagree, 0);
	return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Malformed mbufs: inconsistent lengths and segment counts, runts, jumbo frames. */

enum mal_fate {
	MAL_DELIVER,	/* consistent, addressed to the receiver, within any MTU */
	MAL_MALFORMED,	/* inconsistent: the sender's tx_malformed_errors */
	MAL_RUNT,	/* consistent, pkt_len < 14: the receiver's rx_undersized_errors */
	MAL_JUMBO,	/* consistent, 9000 bytes: oversize under MTU 1500, delivered at 9000 */
};

struct mal_ctx {
	struct rte_ether_addr dst, src;
	struct rte_mempool *big;	/* ~10 KB buffers */
};

/* A consistent chain from vt_pool, the header at the start of the first segment. */
static struct rte_mbuf *
mal_chain(const struct mal_ctx *c, const uint16_t *seg, unsigned int nb_seg)
{
	uint8_t bytes[9000];
	uint32_t len = 0, i;

	for (i = 0; i < nb_seg; i++)
		len += seg[i];
	for (i = 0; i < len && i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 13 + 5);
	memcpy(bytes, &c->dst, RTE_ETHER_ADDR_LEN);
	memcpy(bytes + 6, &c->src, RTE_ETHER_ADDR_LEN);
	bytes[12] = 0x88;
	bytes[13] = 0xb5;
	return vt_chain(bytes, seg, nb_seg);
}

static struct rte_mbuf *
mal_make(const struct mal_ctx *c, unsigned int kind)
{
	struct rte_mbuf *m = NULL;

	switch (kind) {
	case 0:
		return vt_frame(&c->dst, &c->src, 1, 64);
	case 1:	/* pkt_len 0, data_len 0: consistent, a runt */
		return rte_pktmbuf_alloc(vt_pool);
	case 2:
		return vt_frame(&c->dst, &c->src, 2, 13);
	case 3:
		return mal_chain(c, VT_SEGS(6, 7));
	case 4:	/* data_len 0 with pkt_len 64 */
		m = rte_pktmbuf_alloc(vt_pool);
		if (m != NULL)
			m->pkt_len = 64;
		return m;
	case 5:	/* pkt_len 0 with data_len 64 */
		m = vt_frame(&c->dst, &c->src, 5, 64);
		if (m != NULL)
			m->pkt_len = 0;
		return m;
	case 6:
		m = vt_frame(&c->dst, &c->src, 6, 64);
		if (m != NULL)
			m->pkt_len = 100;
		return m;
	case 7:
		m = vt_frame(&c->dst, &c->src, 7, 64);
		if (m != NULL)
			m->pkt_len = 40;
		return m;
	case 8:
		m = mal_chain(c, VT_SEGS(60, 40));
		if (m != NULL)
			m->pkt_len = 120;
		return m;
	case 9:
		m = mal_chain(c, VT_SEGS(60, 40));
		if (m != NULL)
			m->pkt_len = 80;
		return m;
	case 10:
		m = mal_chain(c, VT_SEGS(60, 40));
		if (m != NULL)
			m->nb_segs = 3;
		return m;
	case 11:
		m = mal_chain(c, VT_SEGS(60, 40, 20));
		if (m != NULL)
			m->nb_segs = 2;
		return m;
	case 12:
		m = mal_chain(c, VT_SEGS(60, 40));
		if (m != NULL)
			m->nb_segs = 1;
		return m;
	case 13:	/* an empty segment inside: the lengths still add up */
		return mal_chain(c, VT_SEGS(60, 0, 40));
	case 14:
		return vt_frame_pool(c->big, &c->dst, &c->src, 14, 9000);
	case 15:
		return mal_chain(c, VT_SEGS(1800, 1800, 1800, 1800, 1800));
	case 16:	/* 9000 bytes there, 1000 said */
		m = vt_frame_pool(c->big, &c->dst, &c->src, 16, 9000);
		if (m != NULL)
			m->pkt_len = 1000;
		return m;
	case 17:	/* 1000 bytes there, 9000 said */
		m = vt_frame_pool(c->big, &c->dst, &c->src, 17, 1000);
		if (m != NULL)
			m->pkt_len = 9000;
		return m;
	case 18:
		m = mal_chain(c, VT_SEGS(1800, 1800, 1800, 1800, 1800));
		if (m != NULL)
			m->pkt_len = 1500;
		return m;
	default:
		return NULL;
	}
}

static const struct {
	const char *name;
	enum mal_fate fate;
} mal_kinds[] = {
	{ "64-byte frame", MAL_DELIVER },
	{ "pkt_len 0, data_len 0", MAL_RUNT },
	{ "13-byte frame", MAL_RUNT },
	{ "13-byte chain 6+7", MAL_RUNT },
	{ "data_len 0, pkt_len 64", MAL_MALFORMED },
	{ "data_len 64, pkt_len 0", MAL_MALFORMED },
	{ "data_len 64, pkt_len 100", MAL_MALFORMED },
	{ "data_len 64, pkt_len 40", MAL_MALFORMED },
	{ "chain 60+40, pkt_len 120", MAL_MALFORMED },
	{ "chain 60+40, pkt_len 80", MAL_MALFORMED },
	{ "chain of 2, nb_segs 3", MAL_MALFORMED },
	{ "chain of 3, nb_segs 2", MAL_MALFORMED },
	{ "chain of 2, nb_segs 1", MAL_MALFORMED },
	{ "chain 60+0+40", MAL_DELIVER },
	{ "9000 bytes, one segment", MAL_JUMBO },
	{ "9000 bytes, 5 segments", MAL_JUMBO },
	{ "data_len 9000, pkt_len 1000", MAL_MALFORMED },
	{ "data_len 1000, pkt_len 9000", MAL_MALFORMED },
	{ "chain of 9000, pkt_len 1500", MAL_MALFORMED },
};
#define MAL_NB_KINDS RTE_DIM(mal_kinds)

/* The counters this case looks at. A missing xstat reads UINT64_MAX and shows as wrong. */
enum {
	C_OPACKETS, C_OBYTES, C_OERRORS, C_MALFORMED, C_RING_FULL, C_LINK_DOWN,	/* sender */
	C_IPACKETS, C_IBYTES, C_IERRORS, C_IMISSED, C_UNDERSIZED, C_OVERSIZE,	/* receiver */
	C_OTHERHOST, C_MCAST, C_FLUSHED, C_NB,
};
static const char * const mal_cnt_name[C_NB] = {
	"opackets", "obytes", "oerrors", "tx_malformed_errors", "tx_ring_full_errors",
	"tx_link_down_errors", "ipackets", "ibytes", "ierrors", "imissed",
	"rx_undersized_errors", "rx_oversize_errors", "rx_otherhost_dropped",
	"rx_mcast_filter_dropped", "rx_flushed_dropped",
};

static int
mal_counters(uint16_t tx, uint16_t rx, uint64_t *c)
{
	struct rte_eth_stats st, sr;
	unsigned int i;

	CHECK_OK(rte_eth_stats_get(tx, &st));
	CHECK_OK(rte_eth_stats_get(rx, &sr));
	c[C_OPACKETS] = st.opackets;
	c[C_OBYTES] = st.obytes;
	c[C_OERRORS] = st.oerrors;
	c[C_IPACKETS] = sr.ipackets;
	c[C_IBYTES] = sr.ibytes;
	c[C_IERRORS] = sr.ierrors;
	c[C_IMISSED] = sr.imissed;
	for (i = C_MALFORMED; i <= C_LINK_DOWN; i++)
		c[i] = vt_xstat(tx, mal_cnt_name[i]);
	for (i = C_UNDERSIZED; i < C_NB; i++)
		c[i] = vt_xstat(rx, mal_cnt_name[i]);
	return 0;
}

struct mal_conf {
	uint16_t mtu;
	bool parse, promisc;
};

/*
 * Send the frames of kinds[0..n) in one burst from a to b and check where each went.
 * Returns the number of wrong counts (each printed), or -1 if the case cannot go on.
 */
static int
mal_burst(const struct mal_ctx *c, uint16_t a, uint16_t b, const struct mal_conf *conf,
	const unsigned int *kinds, unsigned int n, const char *what)
{
	struct rte_mbuf *sent[MAL_NB_KINDS], *want[MAL_NB_KINDS] = { NULL };
	struct rte_mbuf *got[MAL_NB_KINDS + 8];
	uint32_t want_len[MAL_NB_KINDS] = { 0 };
	uint64_t before[C_NB], after[C_NB], delta[C_NB] = { 0 };
	unsigned int i, nb_want = 0, wrong = 0;
	uint16_t nb_got, nb_sent;

	CHECK(mal_counters(a, b, before) == 0);
	for (i = 0; i < n; i++) {
		enum mal_fate fate = mal_kinds[kinds[i]].fate;

		sent[i] = mal_make(c, kinds[i]);
		CHECK(sent[i] != NULL);
		if (fate == MAL_JUMBO)
			fate = conf->mtu >= 9000 ? MAL_DELIVER : MAL_JUMBO;
		if (fate == MAL_MALFORMED) {
			delta[C_OERRORS]++;
			delta[C_MALFORMED]++;
			continue;
		}
		delta[C_OPACKETS]++;
		delta[C_OBYTES] += sent[i]->pkt_len;
		if (fate == MAL_RUNT) {
			delta[C_UNDERSIZED]++;
			delta[C_IERRORS]++;
		} else if (fate == MAL_JUMBO) {
			delta[C_OVERSIZE]++;
			delta[C_IERRORS]++;
		} else {
			want_len[nb_want] = sent[i]->pkt_len;
			want[nb_want++] = sent[i];
			delta[C_IPACKETS]++;
			delta[C_IBYTES] += sent[i]->pkt_len;
		}
	}
	nb_sent = rte_eth_tx_burst(a, 0, sent, n);
	if (nb_sent != n) {
		fprintf(stderr, "%s: tx_burst took %u of %u\n", what, nb_sent, n);
		rte_pktmbuf_free_bulk(sent + nb_sent, n - nb_sent);
		wrong++;
	}
	/* tx_burst enqueued on this very thread: what b is to get is in its ring already. */
	nb_got = 0;
	while (nb_got < RTE_DIM(got) &&
			(i = rte_eth_rx_burst(b, 0, got + nb_got, RTE_DIM(got) - nb_got)) > 0)
		nb_got += i;
	for (i = 0; i < nb_got && i < nb_want; i++) {
		if (got[i] != want[i] || got[i]->pkt_len != want_len[i]) {
			fprintf(stderr, "%s: received frame %u is not the one due (pkt_len %u)\n",
				what, i, got[i]->pkt_len);
			wrong++;
		}
	}
	if (nb_got != nb_want) {
		fprintf(stderr, "%s: %u frames received, %u due\n", what, nb_got, nb_want);
		wrong++;
	}
	rte_pktmbuf_free_bulk(got, nb_got);
	CHECK(mal_counters(a, b, after) == 0);
	for (i = 0; i < C_NB; i++) {
		if (after[i] - before[i] == delta[i])
			continue;
		if (after[i] == UINT64_MAX)
			fprintf(stderr, "%s: no xstat %s\n", what, mal_cnt_name[i]);
		else
			fprintf(stderr, "%s: %s moved by %" PRIu64 ", expected %" PRIu64 "\n",
				what, mal_cnt_name[i], after[i] - before[i], delta[i]);
		wrong++;
	}
	if (vt_check_identity(a, b) != 0)
		wrong++;
	if (rte_mempool_avail_count(vt_pool) != VT_POOL_SIZE ||
			rte_mempool_avail_count(c->big) != c->big->size) {
		fprintf(stderr, "%s: %u + %u mbufs not back in their pools\n", what,
			VT_POOL_SIZE - rte_mempool_avail_count(vt_pool),
			c->big->size - rte_mempool_avail_count(c->big));
		wrong++;
	}
	vt_checks += C_NB + 3;
	return (int)wrong;
}

VT_CASE(malformed_mbufs)
{
	static const uint16_t mtus[] = { 1500, 9000 };
	unsigned int all[MAL_NB_KINDS], i, k, wrong = 0;
	struct mal_ctx c;
	uint16_t a, b;
	char what[160];
	int ret;

	c.big = rte_pktmbuf_pool_create("mal_big", 63, 0, 0, RTE_PKTMBUF_HEADROOM + 10112,
		rte_socket_id());
	CHECK(c.big != NULL);
	CHECK_OK(vt_pair_up("net_vpair0", NULL, &a, &b));
	/* Chains travel as they are to a port that takes them (Rx SCATTER). */
	CHECK_OK(vt_port_restart(b, RTE_ETH_RX_OFFLOAD_SCATTER));
	CHECK_OK(rte_eth_macaddr_get(b, &c.dst));
	CHECK_OK(rte_eth_macaddr_get(a, &c.src));
	for (k = 0; k < MAL_NB_KINDS; k++)
		all[k] = k;

	for (i = 0; i < 8; i++) {
		struct mal_conf conf = {
			.mtu = mtus[i & 1], .parse = i & 2, .promisc = i & 4,
		};

		CHECK_OK(rte_eth_dev_set_mtu(b, conf.mtu));
		CHECK_OK(rte_eth_dev_set_ptypes(b, conf.parse ? RTE_PTYPE_L2_MASK |
			RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK : RTE_PTYPE_UNKNOWN, NULL, 0));
		CHECK_OK(conf.promisc ? rte_eth_promiscuous_enable(b) :
			rte_eth_promiscuous_disable(b));
		for (k = 0; k <= MAL_NB_KINDS; k++) {
			/* Each kind alone, then all in one burst. */
			snprintf(what, sizeof(what), "MTU %u, parsing %s, promiscuous %s: %s",
				conf.mtu, conf.parse ? "on" : "off", conf.promisc ? "on" : "off",
				k < MAL_NB_KINDS ? mal_kinds[k].name : "all in one burst");
			ret = k < MAL_NB_KINDS ? mal_burst(&c, a, b, &conf, &all[k], 1, what) :
				mal_burst(&c, a, b, &conf, all, MAL_NB_KINDS, what);
			CHECK(ret >= 0);
			wrong += ret;
		}
	}
	printf("%u wrong counts or fates\n", wrong);
	CHECK(vt_check_identity(a, b) == 0);
	CHECK(vt_check_identity(b, a) == 0);
	CHECK_OK(rte_pmd_vpair_destroy("net_vpair0"));
	CHECK_EQ(rte_mempool_avail_count(c.big), c.big->size);
	rte_mempool_free(c.big);
	CHECK_EQ(wrong, 0);
	return 0;
}
