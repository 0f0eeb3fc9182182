/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vpair authors
 */

/*
 * Canaries of the sanitized build: each does one thing a sanitizer must report, after the EAL
 * is up as in every case. san-canary.sh wants each to fail with that report, so a build where
 * ASan, UBSan or LeakSanitizer stopped working, or stopped running at exit, fails instead.
 * Only the sanitized runner has them: in the plain one nothing would catch them.
 */

#include <stdlib.h>
#include <string.h>

#include "vpair_test.h"

static void *volatile san_sink;

/* A block no pointer leads to when the process exits: LeakSanitizer reports it. */
VT_CASE(san_canary_leak)
{
	san_sink = malloc(77);
	CHECK(san_sink != NULL);
	memset(san_sink, 1, 77);
	san_sink = NULL;
	return 0;
}

/* One byte past a heap block: ASan stops the process. */
VT_CASE(san_canary_overflow)
{
	char *volatile p = malloc(13);
	volatile size_t i = 13;
	volatile char c;

	CHECK(p != NULL);
	c = p[i];
	free(p);
	return c == 0 ? 0 : 0;
}

/* A signed overflow: UBSan stops the process. */
VT_CASE(san_canary_ub)
{
	volatile int x = INT32_MAX;

	x = x + 1;
	return x == 0 ? 0 : 0;
}
