/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Runner and helpers of the functional tests. Each case runs in its own process with a
 * fresh EAL, then the runner checks that the case gave back every mbuf and removes the
 * EAL runtime directory, so nothing is left in /run/dpdk.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* dladdr(), dl_iterate_phdr() */
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

#include "vpair_test.h"

unsigned int vt_checks;
struct rte_mempool *vt_pool;

#define VT_CASES_MAX 64
static struct {
	const char *name;
	vt_case_fn fn;
} vt_cases[VT_CASES_MAX];
static unsigned int vt_nb_cases;

void
vt_register(const char *name, vt_case_fn fn)
{
	if (vt_nb_cases == VT_CASES_MAX)
		abort();
	vt_cases[vt_nb_cases].name = name;
	vt_cases[vt_nb_cases].fn = fn;
	vt_nb_cases++;
}

int
vt_port_config(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq, uint16_t nb_desc,
	const struct rte_eth_conf *conf)
{
	uint16_t q;
	int ret;

	ret = rte_eth_dev_configure(port, nb_rxq, nb_txq, conf);
	for (q = 0; q < nb_rxq && ret == 0; q++)
		ret = rte_eth_rx_queue_setup(port, q, nb_desc, rte_socket_id(), NULL, vt_pool);
	for (q = 0; q < nb_txq && ret == 0; q++)
		ret = rte_eth_tx_queue_setup(port, q, nb_desc, rte_socket_id(), NULL);
	return ret;
}

int
vt_port_setup(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq, uint16_t nb_desc, bool lsc)
{
	struct rte_eth_conf conf = { .intr_conf.lsc = lsc };

	return vt_port_config(port, nb_rxq, nb_txq, nb_desc, &conf);
}

int
vt_port_restart(uint16_t port, uint64_t rx_offloads)
{
	struct rte_eth_conf conf = { .rxmode.offloads = rx_offloads };
	int ret = rte_eth_dev_stop(port);

	if (ret == 0)
		ret = vt_port_config(port, 1, 1, 512, &conf);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	return ret;
}

int
vt_pair_up(const char *name, const char *devargs, uint16_t *a, uint16_t *b)
{
	int ret = rte_pmd_vpair_create(name, devargs, a, b);

	if (ret == 0)
		ret = vt_port_setup(*a, 1, 1, 512, false);
	if (ret == 0)
		ret = vt_port_setup(*b, 1, 1, 512, false);
	if (ret == 0)
		ret = rte_eth_dev_start(*a);
	if (ret == 0)
		ret = rte_eth_dev_start(*b);
	return ret;
}

struct rte_mbuf *
vt_frame(const struct rte_ether_addr *dst, const struct rte_ether_addr *src, uint32_t seq,
	uint16_t len)
{
	return vt_frame_pool(vt_pool, dst, src, seq, len);
}

struct rte_mbuf *
vt_frame_pool(struct rte_mempool *mp, const struct rte_ether_addr *dst,
	const struct rte_ether_addr *src, uint32_t seq, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct rte_ether_hdr *eth;
	uint8_t *data;
	uint16_t i;

	if (m == NULL)
		return NULL;
	data = (uint8_t *)rte_pktmbuf_append(m, len);
	if (data == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	for (i = 0; i < len; i++)
		data[i] = (uint8_t)(seq + i);
	if (len >= RTE_ETHER_HDR_LEN) {
		eth = (struct rte_ether_hdr *)data;
		eth->dst_addr = *dst;
		eth->src_addr = *src;
		eth->ether_type = rte_cpu_to_be_16(0x88b5);	/* local experimental */
	}
	if (len >= RTE_ETHER_HDR_LEN + sizeof(seq))
		memcpy(data + RTE_ETHER_HDR_LEN, &seq, sizeof(seq));
	return m;
}

struct rte_mbuf *
vt_chain(const uint8_t *bytes, const uint16_t *seg, unsigned int nb_seg)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0;
	unsigned int i;
	char *p;

	for (i = 0; i < nb_seg; i++) {
		m = rte_pktmbuf_alloc(vt_pool);
		if (m == NULL)
			goto fail;
		p = rte_pktmbuf_append(m, seg[i]);
		if (p == NULL && seg[i] > 0) {
			rte_pktmbuf_free(m);
			goto fail;
		}
		if (seg[i] > 0)
			memcpy(p, bytes + off, seg[i]);
		off += seg[i];
		if (head == NULL) {
			head = m;
		} else if (rte_pktmbuf_chain(head, m) != 0) {
			rte_pktmbuf_free(m);
			goto fail;
		}
	}
	return head;
fail:
	rte_pktmbuf_free(head);
	return NULL;
}

struct rte_mbuf *
vt_frame_to(uint16_t from, uint16_t to, uint32_t seq, uint16_t len)
{
	struct rte_ether_addr src, dst;

	rte_eth_macaddr_get(from, &src);
	rte_eth_macaddr_get(to, &dst);
	return vt_frame(&dst, &src, seq, len);
}

uint32_t
vt_seq(const struct rte_mbuf *m)
{
	uint32_t seq;

	memcpy(&seq, rte_pktmbuf_mtod_offset(m, const uint8_t *, RTE_ETHER_HDR_LEN),
		sizeof(seq));
	return seq;
}

uint64_t
vt_xstat(uint16_t port, const char *name)
{
	uint64_t id, value;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
			rte_eth_xstats_get_by_id(port, &id, &value, 1) != 1)
		return UINT64_MAX;
	return value;
}

uint16_t
vt_rx_wait(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t want)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	uint16_t got = 0;

	while (got < want && rte_get_timer_cycles() < deadline)
		got += rte_eth_rx_burst(port, queue, pkts + got, want - got);
	return got;
}

int64_t
vt_rx_pending(uint16_t port)
{
	struct rte_eth_dev_info info;
	struct rte_eth_rxq_info qinfo;
	int64_t pending = 0;
	uint16_t q;
	int n;

	if (rte_eth_dev_info_get(port, &info) != 0)
		return -1;
	for (q = 0; q < info.nb_rx_queues; q++) {
		n = rte_eth_rx_queue_count(port, q);
		if (n >= 0) {
			pending += n;
			continue;
		}
		/* Stopped: ethdev's dummy fast path has no rx_queue_count. */
		if (n != -ENOTSUP || rte_eth_rx_queue_info_get(port, q, &qinfo) != 0 ||
				qinfo.queue_state != RTE_ETH_QUEUE_STATE_STOPPED) {
			fprintf(stderr, "port %u rx queue %u: rx_queue_count %d\n", port, q, n);
			return -1;
		}
	}
	return pending;
}

int
vt_stats_reset_pair(uint16_t a, uint16_t b)
{
	int64_t pa = vt_rx_pending(a), pb = vt_rx_pending(b);

	if (pa != 0 || pb != 0) {
		fprintf(stderr, "stats reset of ports %u and %u with %" PRId64 " and %" PRId64
			" packets in flight\n", a, b, pa, pb);
		return -1;
	}
	if (rte_eth_stats_reset(a) != 0 || rte_eth_stats_reset(b) != 0)
		return -1;
	return 0;
}

int
vt_check_identity(uint16_t sender, uint16_t receiver)
{
	static const char * const drop_names[] = {
		"rx_otherhost_dropped", "rx_mcast_filter_dropped", "rx_oversize_errors",
		"rx_undersized_errors", "rx_flushed_dropped", "rx_scatter_errors",
	};
	enum { OTHERHOST, MCAST, OVERSIZE, UNDERSIZED, FLUSHED, SCATTER, NB_DROPS };
	struct rte_eth_stats tx, rx;
	uint64_t drop[NB_DROPS], sum;
	int64_t pending;
	unsigned int i;
	bool ok;

	RTE_BUILD_BUG_ON(RTE_DIM(drop_names) != NB_DROPS);
	vt_checks += 3;
	if (rte_eth_stats_get(sender, &tx) != 0 || rte_eth_stats_get(receiver, &rx) != 0) {
		fprintf(stderr, "identity %u -> %u: cannot read the stats\n", sender, receiver);
		return -1;
	}
	for (i = 0; i < NB_DROPS; i++) {
		drop[i] = vt_xstat(receiver, drop_names[i]);
		if (drop[i] == UINT64_MAX) {
			fprintf(stderr, "identity %u -> %u: no xstat %s\n", sender, receiver,
				drop_names[i]);
			return -1;
		}
	}
	pending = vt_rx_pending(receiver);
	if (pending < 0) {
		fprintf(stderr, "identity %u -> %u: cannot count the packets in flight\n",
			sender, receiver);
		return -1;
	}
	/* A frame no mbuf was left for, on the way in: rx_mbuf_allocation_errors. */
	sum = rx.ipackets + (uint64_t)pending + rx.rx_nombuf;
	for (i = 0; i < NB_DROPS; i++)
		sum += drop[i];
	ok = tx.opackets == sum &&
		rx.ierrors == drop[OVERSIZE] + drop[UNDERSIZED] + drop[SCATTER] &&
		rx.imissed == drop[OTHERHOST] + drop[MCAST] + drop[FLUSHED];
	if (!ok)
		fprintf(stderr, "identity %u -> %u broken: opackets %" PRIu64 " vs ipackets %"
			PRIu64 " + otherhost %" PRIu64 " + mcast_filter %" PRIu64 " + oversize %"
			PRIu64 " + undersized %" PRIu64 " + flushed %" PRIu64 " + scatter %" PRIu64
			" + nombuf %" PRIu64 " + in rings %" PRId64 " = %" PRIu64 "; ierrors %"
			PRIu64 ", imissed %" PRIu64 "\n",
			sender, receiver, tx.opackets, rx.ipackets, drop[OTHERHOST], drop[MCAST],
			drop[OVERSIZE], drop[UNDERSIZED], drop[FLUSHED], drop[SCATTER], rx.rx_nombuf,
			pending, sum, rx.ierrors, rx.imissed);
	return ok ? 0 : -1;
}

static void
vt_memzone_counter(const struct rte_memzone *mz, void *arg)
{
	(*(unsigned int *)arg)++;
}

unsigned int
vt_memzone_count(void)
{
	unsigned int n = 0;

	rte_memzone_walk(vt_memzone_counter, &n);
	return n;
}

size_t
vt_heap_allocated(void)
{
	struct rte_malloc_socket_stats stats;

	rte_malloc_get_socket_stats(rte_socket_id(), &stats);
	return stats.heap_allocsz_bytes;
}

static char *vt_log_buf;
static size_t vt_log_len;
static FILE *vt_log_file;

void
vt_log_capture(void)
{
	if (vt_log_file == NULL) {
		vt_log_file = open_memstream(&vt_log_buf, &vt_log_len);
		rte_openlog_stream(vt_log_file);
	}
	fflush(vt_log_file);
	rewind(vt_log_file);
	memset(vt_log_buf, 0, vt_log_len);
}

const char *
vt_log_peek(void)
{
	fflush(vt_log_file);
	return vt_log_buf;
}

const char *
vt_log_text(void)
{
	vt_log_peek();
	/* Echo what was captured, so a failing run shows it. */
	fprintf(stderr, "%s", vt_log_buf);
	return vt_log_buf;
}

void
vt_footprint_get(struct vt_footprint *f)
{
	f->ports = rte_eth_dev_count_total();
	f->memzones = vt_memzone_count();
	f->heap = vt_heap_allocated();
}

int
vt_footprint_same(const struct vt_footprint *before)
{
	struct vt_footprint now;

	vt_footprint_get(&now);
	CHECK_EQ(now.ports, before->ports);
	CHECK_EQ(now.memzones, before->memzones);
	CHECK_EQ(now.heap, before->heap);
	return 0;
}

/* The EAL runtime directory holds plain files only. */
static int
vt_remove_dir(const char *path)
{
	char file[PATH_MAX];
	struct dirent *e;
	DIR *dir = opendir(path);

	if (dir == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(file, sizeof(file), "%s/%s", path, e->d_name) < (int)sizeof(file))
			unlink(file);
	}
	closedir(dir);
	return rmdir(path);
}

static char vt_runtime_dir[PATH_MAX];

#ifdef __SANITIZE_ADDRESS__
/* A sanitizer that stops the process inside a case must not leave the directory behind. */
static void
vt_sanitizer_death(void)
{
	if (vt_runtime_dir[0] != '\0')
		vt_remove_dir(vt_runtime_dir);
}

static void
vt_sanitizer_death_callbacks(void)
{
	void (*ubsan_set)(void (*)(void));
	void *ubsan;

	__sanitizer_set_death_callback(vt_sanitizer_death);
	/* GCC's UBSan is a library of its own, with its own copy of the callback. */
	ubsan = dlopen("libubsan.so.1", RTLD_LAZY | RTLD_NOLOAD);
	if (ubsan == NULL)
		return;
	ubsan_set = (void (*)(void (*)(void)))dlsym(ubsan, "__sanitizer_set_death_callback");
	if (ubsan_set != NULL)
		ubsan_set(vt_sanitizer_death);
	dlclose(ubsan);
}
#endif

struct vt_copies {
	const char *ours;		/* real path of the object holding the driver we test */
	char other[PATH_MAX];		/* another librte_net_vpair mapped in the process */
};

static int
vt_find_other_copy(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct vt_copies *c = arg;
	const char *base = strrchr(info->dlpi_name, '/');
	char path[PATH_MAX];

	RTE_SET_USED(size);
	base = base != NULL ? base + 1 : info->dlpi_name;
	if (strncmp(base, "librte_net_vpair.so", strlen("librte_net_vpair.so")) != 0 ||
			realpath(info->dlpi_name, path) == NULL || strcmp(path, c->ours) == 0)
		return 0;
	snprintf(c->other, sizeof(c->other), "%s", info->dlpi_name);
	return 1;
}

/*
 * rte_eal_init() loads every plugin in EAL's plugin directory. A net_vpair installed there
 * (make install, the librte-net-vpair23 package) is then a second copy of the driver, next to
 * the one this runner is linked with or has compiled in: both register "net_vpair", and the
 * cases would test whichever the vdev bus picks. Refuse to run, saying what to remove.
 */
static int
vt_check_one_driver(void)
{
	struct vt_copies c;
	char ours[PATH_MAX];
	Dl_info dli;

	if (dladdr((void *)(uintptr_t)rte_pmd_vpair_create, &dli) == 0 || dli.dli_fname == NULL ||
			realpath(dli.dli_fname, ours) == NULL)
		ours[0] = '\0';
	c.ours = ours;
	if (dl_iterate_phdr(vt_find_other_copy, &c) == 0)
		return 0;
	fprintf(stderr, "net_vpair is loaded twice: this runner tests the driver in %s, and EAL also "
		"loaded %s, an installed net_vpair, from its plugin directory. Remove that one first "
		"(apt-get remove librte-net-vpair23, or make uninstall).\n",
		ours[0] != '\0' ? ours : "the runner", c.other);
	return -1;
}

static int
vt_run(const char *argv0, const char *name, vt_case_fn fn)
{
	char prefix[64];
	char *eal_argv[] = {
		(char *)argv0, "-l", "0-1", "--no-pci", "--no-huge", "-m", "256", "--no-shconf",
		"--file-prefix", prefix, "--log-level", "pmd.net.vpair:info", NULL,
	};
	int ret;

	snprintf(prefix, sizeof(prefix), "vpair_ft_%s_%d", name, (int)getpid());
	if (rte_eal_init(RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "EAL init failed: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	snprintf(vt_runtime_dir, sizeof(vt_runtime_dir), "%s", rte_eal_get_runtime_dir());
	if (vt_check_one_driver() != 0) {
		rte_eal_cleanup();
		vt_remove_dir(vt_runtime_dir);
		return -1;
	}
#ifdef __SANITIZE_ADDRESS__
	vt_sanitizer_death_callbacks();
#endif
	/* No per-lcore cache: the pool's free count is exact at any time. */
	vt_pool = rte_pktmbuf_pool_create("vt_pool", VT_POOL_SIZE, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (vt_pool == NULL) {
		fprintf(stderr, "cannot create the mbuf pool\n");
		return -1;
	}

	ret = fn();
	if (ret == 0 && rte_mempool_avail_count(vt_pool) != VT_POOL_SIZE) {
		fprintf(stderr, "%s: %u mbufs not returned to the pool\n", name,
			VT_POOL_SIZE - rte_mempool_avail_count(vt_pool));
		ret = -1;
	}
	rte_eal_cleanup();
	if (vt_remove_dir(vt_runtime_dir) != 0) {
		fprintf(stderr, "cannot remove %s\n", vt_runtime_dir);
		ret = -1;
	}
	return ret;
}

int
main(int argc, char **argv)
{
	unsigned int i;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <case>\ncases:", argv[0]);
		for (i = 0; i < vt_nb_cases; i++)
			fprintf(stderr, " %s", vt_cases[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	for (i = 0; i < vt_nb_cases; i++) {
		if (strcmp(vt_cases[i].name, argv[1]) != 0)
			continue;
		ret = vt_run(argv[0], argv[1], vt_cases[i].fn);
		printf("%s: %s, %u checks\n", argv[1], ret == 0 ? "passed" : "FAILED", vt_checks);
		return ret == 0 ? 0 : 1;
	}
	fprintf(stderr, "no case %s\n", argv[1]);
	return 2;
}
