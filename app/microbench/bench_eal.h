/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef BENCH_EAL_H
#define BENCH_EAL_H

/* What the micro-benchmarks share around the EAL. */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The EAL runtime directory holds plain files only (as the functional test runner). */
static inline int
remove_runtime_dir(const char *path)
{
	char file[PATH_MAX];
	struct dirent *e;
	DIR *dir;

	if (path == NULL || path[0] == '\0')
		return 0;
	dir = opendir(path);
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

#endif /* BENCH_EAL_H */
