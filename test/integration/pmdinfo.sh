#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# pmdinfo.sh BUILDDIR: the plugin carries its PMD info as DPDK's own drivers do, so the distro
# dpdk-pmdinfo.py names the driver and lists every devarg.

set -u
plugin=${VPAIR_PLUGIN:-${1:?usage: $0 BUILDDIR}/drivers/net/vpair/librte_net_vpair.so}
command -v dpdk-pmdinfo.py >/dev/null || { echo "FAIL: dpdk-pmdinfo.py (dpdk-dev) missing"; exit 1; }
# Debian's pyelftools is for /usr/bin/python3, whatever python3 is first on PATH.
out=$(/usr/bin/python3 "$(command -v dpdk-pmdinfo.py)" "$plugin" 2>&1) || {
	echo "$out"; echo "FAIL: dpdk-pmdinfo.py failed"; exit 1; }
echo "$out"
fail=0
for want in '"name": "net_vpair"' 'mac_a=' 'mac_b=' 'max_queues=' 'max_desc='; do
	case $out in *"$want"*) ;; *) echo "FAIL: no $want in the PMD info"; fail=1 ;; esac
done
[ "$fail" -eq 0 ] && echo "pmdinfo: PASS"
exit "$fail"
