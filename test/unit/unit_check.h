/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H

/*
 * Minimal checks: keep going after a failure so one run shows them all,
 * and make the exit status say whether any failed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long unit_checks;
static unsigned long unit_failures;
/* What the checks in a loop are about, printed with a failure. */
static char unit_ctx[160];

#define UNIT_CTX(...) snprintf(unit_ctx, sizeof(unit_ctx), __VA_ARGS__)

static inline void
unit_fail(const char *file, int line, const char *what)
{
	unit_failures++;
	fprintf(stderr, "%s:%d: check failed: %s%s%s\n", file, line, what,
		unit_ctx[0] ? " -- " : "", unit_ctx);
}

#define CHECK(expr) do { \
	unit_checks++; \
	if (!(expr)) \
		unit_fail(__FILE__, __LINE__, #expr); \
} while (0)

/* Integer equality, printing both values. */
#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	unit_checks++; \
	if (a_ != b_) { \
		char buf_[256]; \
		snprintf(buf_, sizeof(buf_), "(%s) == (%s): %lld != %lld", \
			 #a, #b, a_, b_); \
		unit_fail(__FILE__, __LINE__, buf_); \
	} \
} while (0)

static inline int
unit_done(const char *name)
{
	if (unit_failures != 0) {
		printf("%s: %lu of %lu checks FAILED\n", name, unit_failures,
		       unit_checks);
		return EXIT_FAILURE;
	}
	printf("%s: %lu checks passed\n", name, unit_checks);
	return EXIT_SUCCESS;
}

/*
 * A copy of the first data_len bytes of src in a heap block of exactly
 * that size, so that reading past data_len is an ASan error.
 */
static inline void *
unit_exact(const void *src, size_t data_len)
{
	/* malloc(0) may be NULL: fine, nothing may be read from it. */
	void *p = malloc(data_len);

	if (p == NULL && data_len != 0) {
		perror("malloc");
		exit(EXIT_FAILURE);
	}
	if (data_len != 0)
		memcpy(p, src, data_len);
	return p;
}

#endif /* UNIT_CHECK_H */
