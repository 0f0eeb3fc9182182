/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * An application of the C API, built by the install tests from the installed header and
 * pkg-config file only (cc ... $(pkg-config --cflags --libs libdpdk-vpair)), as a user would.
 * It creates a pair, checks the ports and their peers and destroys it, and prints which file
 * the driver was loaded from and how many copies of it are mapped: the tests want the
 * installed one, once, even though EAL also loads its plugin directory at start-up.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_pmd_vpair.h>

static int
count_copies(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *base = strrchr(info->dlpi_name, '/');

	(void)size;
	base = base != NULL ? base + 1 : info->dlpi_name;
	if (strncmp(base, "librte_net_vpair.so", strlen("librte_net_vpair.so")) == 0) {
		printf("vpair-api-app: mapped %s\n", info->dlpi_name);
		(*(unsigned int *)arg)++;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char path[PATH_MAX];
	unsigned int copies = 0;
	uint16_t a, b, peer_a, peer_b;
	Dl_info dli;
	int ret;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "vpair-api-app: EAL init failed\n");
		return 1;
	}
	if (dladdr((void *)rte_pmd_vpair_create, &dli) != 0 && dli.dli_fname != NULL &&
			realpath(dli.dli_fname, path) != NULL)
		printf("vpair-api-app: driver %s\n", path);
	dl_iterate_phdr(count_copies, &copies);
	printf("vpair-api-app: copies %u\n", copies);

	ret = rte_pmd_vpair_create("net_vpair9", "max_queues=2", &a, &b);
	if (ret != 0) {
		fprintf(stderr, "vpair-api-app: rte_pmd_vpair_create: %s\n", strerror(-ret));
		goto out;
	}
	ret = rte_pmd_vpair_get_peer(a, &peer_a);
	if (ret == 0)
		ret = rte_pmd_vpair_get_peer(b, &peer_b);
	if (ret == 0 && (peer_a != b || peer_b != a))
		ret = -EINVAL;
	printf("vpair-api-app: ports %u %u, peers %u %u, %u ports in all\n", a, b,
		ret == 0 ? peer_a : 0, ret == 0 ? peer_b : 0, rte_eth_dev_count_avail());
	if (ret == 0 && rte_eth_dev_count_avail() != 2)
		ret = -EEXIST;
	if (rte_pmd_vpair_destroy("net_vpair9") != 0 && ret == 0)
		ret = -EIO;
out:
	rte_eal_cleanup();
	printf("vpair-api-app: %s\n", ret == 0 ? "OK" : "FAILED");
	return ret == 0 ? 0 : 1;
}
