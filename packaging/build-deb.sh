#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# build-deb.sh OUTDIR: builds the Debian packages with Debian's tooling (dpkg-buildpackage,
# debhelper) and leaves them in OUTDIR:
#   librte-net-vpair23_<ver>_<arch>.deb   the plugin, in DPDK's plugin directory
#   libdpdk-vpair-dev_<ver>_<arch>.deb    rte_pmd_vpair.h, libdpdk-vpair.pc, the .so links
# (and the -dbgsym package). The packaging is packaging/debian/, not debian/ at the top:
# dpkg-buildpackage writes its results next to the source tree, so it runs on a copy of the
# tree under OUTDIR, with packaging/debian as its debian/. Set-up first (config/setup.sh --deb,
# as make deb does): the build needs debhelper and the cached driver SDK headers.

set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/config/common.sh"
. "$root/config/eal-env.sh"

out=${1:?usage: $0 OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for t in dpkg-buildpackage dh dpkg-parsechangelog; do
	command -v "$t" >/dev/null || die "$t not found: run config/setup.sh --deb (make deb does)"
done

# The version is the project's; the changelog must say the same.
version=$(sed -n "s/^[[:space:]]*version: '\([^']*\)'.*/\1/p" "$root/meson.build" | head -n 1)
deb_version=$(dpkg-parsechangelog -l "$root/packaging/debian/changelog" -S Version)
[ "${deb_version%-*}" = "$version" ] || die "packaging/debian/changelog is at $deb_version, \
meson.build at $version: add a changelog entry (dch -v $version-1)"

# The runtime package is named for the SONAME, which is DPDK's ABI: a DPDK with another ABI
# needs packaging/debian/ renamed, not a package that lies about it.
vpair_dpdk_layout || die "cannot find the installed DPDK (libdpdk-dev)"
so=${vpair_dpdk_abi%%.*}
grep -q "^Package: librte-net-vpair$so\$" "$root/packaging/debian/control" ||
	die "DPDK's ABI is $vpair_dpdk_abi but packaging/debian/control has no librte-net-vpair$so: \
rename the package and its .install file for this DPDK"

stage=$out/src
src=$stage/dpdk-vpair-$version
rm -rf "$stage"
mkdir -p "$src"
# The tree as it is checked out (with uncommitted changes), without build directories.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$src" -xf -
else
	(cd "$root" && tar --exclude=./build --exclude="./${out#"$root"/}" -cf - .) |
		tar -C "$src" -xf -
fi
rm -rf "$src/debian"
cp -a "$root/packaging/debian" "$src/debian"

export VPAIR_CACHE_DIR="$vpair_cache"
log=$out/build.log
note "dpkg-buildpackage in $src (log: $log)"
if ! (cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)") >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "dpkg-buildpackage failed (whole log: $log)"
fi
rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.buildinfo "$out"/*.changes
mv "$stage"/*.deb "$stage"/*.buildinfo "$stage"/*.changes "$out"/
for f in "$stage"/*.ddeb; do
	[ -e "$f" ] && mv "$f" "$out"/
done
rm -rf "$stage"
for d in "$out"/*.deb; do
	echo "$d"
done
