#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Idempotent set-up for building and testing net_vpair on Debian 12:
#  1. install the Debian packages that are missing (as root; otherwise say which),
#  2. make the DPDK driver SDK headers available (see config/sdk-dir.sh).
# --deb (make deb): also the tools that build the Debian packages (debhelper), which nothing
# else needs.
# Every failure stops here with what to do, so the build never starts half-equipped.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

packages="dpdk dpdk-dev libdpdk-dev libnuma-dev meson ninja-build pkg-config python3-pyelftools dpkg-dev gcc"
[ "${1:-}" = --deb ] && packages="$packages debhelper"

missing=""
for p in $packages; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		die "missing Debian packages:$missing; run as root or: sudo apt-get install$missing"
	fi
	note "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || die "apt-get update failed"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		die "apt-get install$missing failed"
fi

sdk=$("$here/sdk-dir.sh" --fetch) || exit 1
note "driver SDK headers: $sdk"
