#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Prints, for meson, where the installed DPDK loads plugins from and its ABI version
# (vpair_dpdk_layout in eal-env.sh: the tests look for an installed plugin the same way):
#   abi=<DPDK ABI version, 23.0 for 22.11>
#   pmd_dir=<directory EAL loads every plugin from at start-up>
#   pmd_dir_from=<pkg-config|eal|libdir: how it was found>

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
. "$here/eal-env.sh"

vpair_dpdk_layout || die "cannot find the installed DPDK's ABI and plugin directory: install \
libdpdk-dev (config/setup.sh does)"
echo "abi=$vpair_dpdk_abi"
echo "pmd_dir=$vpair_pmd_dir"
echo "pmd_dir_from=$vpair_pmd_dir_from"
