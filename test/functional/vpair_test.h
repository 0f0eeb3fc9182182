/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef VPAIR_TEST_H
#define VPAIR_TEST_H

/* Shared by the functional tests: the real EAL, the real driver, no mocks. */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <rte_pmd_vpair.h>

extern unsigned int vt_checks;

#define CHECK(cond) do { \
	vt_checks++; \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		return -1; \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	uint64_t va_ = (uint64_t)(a), vb_ = (uint64_t)(b); \
	vt_checks++; \
	if (va_ != vb_) { \
		fprintf(stderr, "%s:%d: check failed: %s == %s (%" PRIu64 " != %" PRIu64 ")\n", \
			__FILE__, __LINE__, #a, #b, va_, vb_); \
		return -1; \
	} \
} while (0)

#define CHECK_OK(expr) do { \
	int rc_ = (expr); \
	vt_checks++; \
	if (rc_ != 0) { \
		fprintf(stderr, "%s:%d: %s returned %d (%s)\n", __FILE__, __LINE__, #expr, \
			rc_, rte_strerror(-rc_)); \
		return -1; \
	} \
} while (0)

extern struct rte_mempool *vt_pool;
#define VT_POOL_SIZE 8191

/* Configure nb_rxq / nb_txq queues of nb_desc descriptors, without starting. */
int vt_port_setup(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq, uint16_t nb_desc, bool lsc);
int vt_port_config(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq, uint16_t nb_desc,
	const struct rte_eth_conf *conf);
/* Stop, configure one queue each way of 512 with these Rx offloads, start. */
int vt_port_restart(uint16_t port, uint64_t rx_offloads);
/* Create pair `name` with devargs, set up both ports with one queue each and start them. */
int vt_pair_up(const char *name, const char *devargs, uint16_t *a, uint16_t *b);
/* A frame to dst from src, with seq in the payload, total length len. */
struct rte_mbuf *vt_frame(const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	uint32_t seq, uint16_t len);
/* A frame from port `from` addressed to port `to`'s MAC. */
struct rte_mbuf *vt_frame_to(uint16_t from, uint16_t to, uint32_t seq, uint16_t len);
uint32_t vt_seq(const struct rte_mbuf *m);
/* Value of the named xstat of a port, or UINT64_MAX if it does not exist. */
uint64_t vt_xstat(uint16_t port, const char *name);
/* Receive until `want` packets arrived on (port, queue) or a timeout; returns the count. */
uint16_t vt_rx_wait(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t want);
unsigned int vt_memzone_count(void);
size_t vt_heap_allocated(void);
/* Log lines written since vt_log_capture() started, NUL-terminated. */
void vt_log_capture(void);
const char *vt_log_text(void);
/* As vt_log_text, without echoing to stderr: for loops that look at thousands of logs. */
const char *vt_log_peek(void);

/* Any new port, memzone or heap allocation left behind shows as a difference here. */
struct vt_footprint {
	uint16_t ports;
	unsigned int memzones;
	size_t heap;
};

void vt_footprint_get(struct vt_footprint *f);
/* 0 if ports, memzones and heap bytes are as in before; else -1, each difference printed. */
int vt_footprint_same(const struct vt_footprint *before);

/*
 * A chain from vt_pool holding bytes, cut into nb_seg segments of the given lengths (0 is
 * a valid, empty segment); NULL if vt_pool runs out.
 */
struct rte_mbuf *vt_chain(const uint8_t *bytes, const uint16_t *seg, unsigned int nb_seg);
/* The arguments (seg, nb_seg) of vt_chain for a list of segment lengths. */
#define VT_SEGS(...) (const uint16_t[]){ __VA_ARGS__ }, \
	sizeof((const uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t)
/* As vt_frame, from mempool mp (for frames larger than vt_pool's buffers). */
struct rte_mbuf *vt_frame_pool(struct rte_mempool *mp, const struct rte_ether_addr *dst,
	const struct rte_ether_addr *src, uint32_t seq, uint16_t len);
/*
 * Packets waiting in the rings port receives from: rte_eth_rx_queue_count summed over its
 * configured rx queues. A stopped port counts 0 (ethdev hides its fast path; the driver
 * flushed its rings at stop and nothing can be enqueued without carrier). -1 on error.
 */
int64_t vt_rx_pending(uint16_t port);
/* Reset the stats of both ports; fails unless nothing is in flight between them. */
int vt_stats_reset_pair(uint16_t a, uint16_t b);
/*
 * Conservation of packets from sender to receiver, since both were last reset with nothing
 * in flight: sender opackets == receiver ipackets + its rx_otherhost_dropped +
 * rx_mcast_filter_dropped + rx_oversize_errors + rx_undersized_errors + rx_flushed_dropped
 * + rx_scatter_errors + rx_nombuf + vt_rx_pending(receiver). Also receiver ierrors ==
 * oversize + undersized + scatter and imissed == otherhost + mcast_filter + flushed. 0, or
 * -1 with every term printed.
 */
int vt_check_identity(uint16_t sender, uint16_t receiver);



/* Test cases register themselves; `vpair_test <case>` runs one in a fresh EAL. */
typedef int (*vt_case_fn)(void);
void vt_register(const char *name, vt_case_fn fn);
#define VT_CASE(name) \
	static int vt_case_ ## name(void); \
	RTE_INIT(vt_register_ ## name) { vt_register(#name, vt_case_ ## name); } \
	static int vt_case_ ## name(void)
#endif
