#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Finds the DPDK driver SDK (ethdev_driver.h and friends) matching the installed libdpdk and
# prints two lines for meson:
#   include=<dir holding the SDK headers>
#   buildtools=<dir holding pmdinfogen.py, or empty>
# 1. A DPDK built with -Denable_driver_sdk=true already ships them next to rte_ethdev.h.
# 2. Otherwise they come from the Debian source package of exactly the installed libdpdk-dev
#    version, kept in a cache outside git and fetched again only when that version changes.
# With --fetch, case 2 downloads what is missing; without it, a missing SDK is an error.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

fetch=0
[ "${1:-}" = "--fetch" ] && fetch=1

sdk_headers="ethdev_driver.h ethdev_vdev.h bus_vdev_driver.h dev_driver.h bus_driver.h"
pmdinfo_tools="pmdinfogen.py coff.py gen-pmdinfo-cfile.py"

pkg-config --exists libdpdk 2>/dev/null ||
	die "pkg-config finds no libdpdk: install libdpdk-dev (config/setup.sh does)"

sys_inc=$(pkg-config --variable=includedir libdpdk)
for d in "$sys_inc/dpdk" "$sys_inc"; do
	if [ -f "$d/ethdev_driver.h" ] && [ -f "$d/bus_vdev_driver.h" ]; then
		echo "include=$d"
		echo "buildtools="
		exit 0
	fi
done

src_pkg=$(dpkg-query -W -f '${source:Package}' libdpdk-dev 2>/dev/null) ||
	die "libdpdk has no driver SDK headers and libdpdk-dev is not a Debian package: \
use a DPDK installed with -Denable_driver_sdk=true"
src_ver=$(dpkg-query -W -f '${source:Version}' libdpdk-dev)
sdk="$vpair_cache/sdk/$src_pkg-$src_ver"

if [ -f "$sdk/.complete" ]; then
	echo "include=$sdk/include"
	echo "buildtools=$sdk/buildtools"
	exit 0
fi

[ "$fetch" -eq 1 ] ||
	die "no driver SDK headers for $src_pkg $src_ver in $vpair_cache: run config/setup.sh (or make)"

# apt-get source needs a deb-src entry for the archive the binary came from: mirror every
# deb entry as deb-src, once, in a file of our own.
add_deb_src() {
	[ "$(id -u)" -eq 0 ] ||
		die "no deb-src entry for $src_pkg $src_ver; as root, config/setup.sh adds one"
	list=/etc/apt/sources.list.d/dpdk-vpair-src.sources
	note "adding deb-src entries in $list"
	: >"$list.tmp"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$list" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*deb([ \t\n]|$)/ && !/(^|\n)Enabled: *no/ {
			sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' \
			"$f" >>"$list.tmp"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { opts = ""; i = 2
			if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
			for (j = i + 2; j <= NF; j++) printf " %s", $j
			printf "\n\n" }' "$f" >>"$list.tmp"
	done
	mv "$list.tmp" "$list"
	apt-get update -q >/dev/null || die "apt-get update failed after adding $list"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/vpair-sdk.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

get_source() {
	(cd "$work" && apt-get source -q --download-only "$src_pkg=$src_ver" >/dev/null 2>&1)
}

note "fetching the driver SDK from the Debian source of $src_pkg $src_ver"
if ! get_source; then
	grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/dpdk-vpair-src.sources || add_deb_src
	get_source || die "apt-get source $src_pkg=$src_ver failed: that exact version is in no \
deb-src archive reachable here. Install the libdpdk-dev version your deb-src archive offers \
(apt-get install libdpdk-dev=<version>) or use a DPDK installed with -Denable_driver_sdk=true"
fi

dsc=$(ls "$work"/*.dsc)
if command -v dpkg-source >/dev/null 2>&1; then
	(cd "$work" && dpkg-source -q --no-check -x "$dsc" tree >/dev/null 2>&1) ||
		die "dpkg-source -x $dsc failed"
else
	mkdir "$work/tree"
	tar -xf "$work"/*.orig.tar.* -C "$work/tree" --strip-components=1 ||
		die "cannot unpack the $src_pkg source"
fi

grep -q "$(pkg-config --modversion libdpdk)" "$work/tree/VERSION" ||
	die "source $src_ver says version $(cat "$work/tree/VERSION"), installed libdpdk is \
$(pkg-config --modversion libdpdk): reinstall libdpdk-dev and dpdk from the same archive"

stage="$work/sdk"
mkdir -p "$stage/include" "$stage/buildtools"
for h in $sdk_headers; do
	path=$(find "$work/tree/lib" "$work/tree/drivers/bus" -name "$h" | head -n 1)
	[ -n "$path" ] || die "$h is not in the $src_pkg $src_ver source"
	cp "$path" "$stage/include/"
done
for t in $pmdinfo_tools; do
	cp "$work/tree/buildtools/$t" "$stage/buildtools/"
done
touch "$stage/.complete"

mkdir -p "$vpair_cache/sdk"
rm -rf "$sdk"
mv "$stage" "$sdk"
echo "include=$sdk/include"
echo "buildtools=$sdk/buildtools"
