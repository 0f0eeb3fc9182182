#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# make install / make uninstall / the prefix of `make`'s meson setup.
#   install.sh meson-args          prints --prefix and --libdir of the installed DPDK (PREFIX
#                                  replaces the prefix): what `meson setup` is given, so the
#                                  header, the .pc and the libdir links land next to DPDK's own
#   install.sh install BUILDDIR    meson install of BUILDDIR (DESTDIR stages it)
#   install.sh uninstall BUILDDIR  removes exactly what install puts there
# The plugin always goes to where EAL loads plugins from (packaging/meson.build has the
# layout), whatever the prefix. A build directory set up for another prefix is reconfigured
# first. Neither action touches a file that a Debian package owns (make deb; apt-get remove).
# After a real (not DESTDIR) install or uninstall, root runs ldconfig, as for any library.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

action=${1:?usage: $0 meson-args|install|uninstall [BUILDDIR]}
destdir=${DESTDIR:-}

dpdk_prefix=$(pkg-config --variable=prefix libdpdk 2>/dev/null) && [ -n "$dpdk_prefix" ] ||
	die "pkg-config finds no libdpdk: install libdpdk-dev (config/setup.sh does)"
dpdk_libdir=$(pkg-config --variable=libdir libdpdk)
prefix=${PREFIX:-$dpdk_prefix}
# DPDK's libdir under whatever prefix: lib/x86_64-linux-gnu on Debian.
libdir=${dpdk_libdir#"$dpdk_prefix"/}

if [ "$action" = meson-args ]; then
	echo "--prefix=$prefix --libdir=$libdir"
	exit 0
fi

builddir=${2:?usage: $0 $action BUILDDIR}
[ -f "$builddir/build.ninja" ] || die "$builddir is not a meson build directory: run make first"
manifest=$builddir/packaging/install-manifest.txt

# A relocatable .pc (the project's default, which a build directory set up before it lacks)
# works from a DESTDIR too.
have=$(meson introspect --buildoptions "$builddir" | /usr/bin/python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"], o["libdir"], str(o["pkgconfig.relocatable"]).lower())')
if [ "$have" != "$prefix $libdir true" ]; then
	note "reconfiguring $builddir for --prefix=$prefix --libdir=$libdir (was: $have)"
	meson configure "$builddir" -Dprefix="$prefix" -Dlibdir="$libdir" \
		-Dpkgconfig.relocatable=true >/dev/null
fi
# Regenerates the manifest (and, for install, builds what is out of date).
if [ "$action" = install ]; then
	ninja -C "$builddir" >/dev/null
else
	ninja -C "$builddir" build.ninja >/dev/null
fi
[ -f "$manifest" ] || die "no $manifest"

# Files of ours that dpkg knows: installed by the .deb, so apt must remove them.
if [ -z "$destdir" ] && command -v dpkg-query >/dev/null 2>&1; then
	while read -r f; do
		owner=$(dpkg-query -S "$f" 2>/dev/null | cut -d: -f1) || continue
		[ -n "$owner" ] || continue
		die "$f belongs to the Debian package $owner: remove it with apt-get remove $owner \
instead of make $action"
	done <"$manifest"
fi

case $action in
install)
	meson install -C "$builddir" --no-rebuild --quiet ${destdir:+--destdir "$destdir"}
	note "installed in ${destdir:-/}:"
	;;
uninstall)
	while read -r f; do
		rm -f "$destdir$f"
	done <"$manifest"
	while read -r f; do
		if [ -e "$destdir$f" ] || [ -L "$destdir$f" ]; then
			die "cannot remove $destdir$f"
		fi
	done <"$manifest"
	note "removed from ${destdir:-/}:"
	;;
*)
	die "unknown action $action"
	;;
esac
sed "s|^|  $destdir|" "$manifest" >&2
if [ -z "$destdir" ] && [ "$(id -u)" -eq 0 ]; then
	ldconfig
fi
