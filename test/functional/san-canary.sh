#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# san-canary.sh RUNNER CASE REPORT: a canary of the sanitized runner must fail with the
# sanitizer's REPORT, not merely fail: a crash or an EAL that did not start proves nothing.

set -u
runner=${1:?usage: $0 RUNNER CASE REPORT}
case=${2:?usage: $0 RUNNER CASE REPORT}
report=${3:?usage: $0 RUNNER CASE REPORT}
out=$("$runner" "$case" 2>&1)
status=$?
echo "$out"
if [ "$status" -eq 0 ]; then
	echo "FAIL: $case exited 0: the sanitizer did not stop it"
	exit 1
fi
case $out in
*"$report"*) echo "$case: PASS (stopped with \"$report\")" ;;
*) echo "FAIL: $case exited $status without \"$report\""; exit 1 ;;
esac
