#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# install-layout.sh BUILDDIR: `make install DESTDIR=<dir>` stages exactly the files of a DPDK
# driver, without touching the system:
#  1. the plugin in EAL's plugin directory as librte_net_vpair.so.<ABI> with the links .so.<N>
#     and .so, the three same names in libdir linking into it, rte_pmd_vpair.h next to DPDK's
#     headers, libdpdk-vpair.pc; nothing else. The links are exactly those of DPDK's own
#     librte_net_ring there, and the SONAME is librte_net_vpair.so.<N>, as its is.
#  2. A C program of the API (vpair-api-app.c) builds with only
#     PKG_CONFIG_PATH=<dir>/<libdir>/pkgconfig pkg-config --cflags --libs libdpdk-vpair, needs
#     librte_net_vpair.so.<N>, and runs: with LD_LIBRARY_PATH=<dir>/<libdir> the loader finds the
#     staged plugin through the libdir links, one copy is mapped, the pair works.
#  3. The guard of the tests that load the build's plugin fires when a plugin is where EAL
#     loads plugins from (a libdpdk.pc whose pmdsdir is the staged plugin directory).
#  4. `make uninstall DESTDIR=<dir>` leaves no file.
# Runs as any user; no hugepages (the program uses --no-huge).

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

builddir=$(cd "${1:?usage: $0 BUILDDIR}" && pwd)
# Nothing to copy: the program links the staged plugin.
VPAIR_PLUGIN=
t_init "$builddir" install-layout
# The program also gets EAL's plugin directory: an installed net_vpair would be a second copy.
vpair_check_no_installed_plugin || t_die "remove the installed net_vpair first (above)"
vpair_dpdk_layout || t_die "cannot find the installed DPDK's layout"
command -v cc >/dev/null || t_die "no C compiler (cc)"

dest=$t_work/dest
so=${vpair_dpdk_abi%%.*}
libdir=$vpair_dpdk_libdir
pmd=$vpair_pmd_dir
inc=$(pkg-config --variable=includedir libdpdk)
# The links in libdir are relative when the plugin directory is under it, as DPDK's are.
case $pmd in "$libdir"/*) pmd_from_libdir=${pmd#"$libdir"/} ;; *) pmd_from_libdir=$pmd ;; esac
echo "install-layout: DPDK ABI $vpair_dpdk_abi, plugin directory $pmd ($vpair_pmd_dir_from)"

# --- 1. the staged files
make -s -C "$t_root" install BUILD="$builddir" DESTDIR="$dest" >"$t_work/install.log" 2>&1 ||
	{ cat "$t_work/install.log"; t_die "make install DESTDIR=$dest failed"; }
cat "$t_work/install.log"
n=librte_net_vpair.so
{
	echo "${inc#/}/rte_pmd_vpair.h f "
	echo "${libdir#/}/pkgconfig/libdpdk-vpair.pc f "
	echo "${pmd#/}/$n.$vpair_dpdk_abi f "
	echo "${pmd#/}/$n.$so l $n.$vpair_dpdk_abi"
	echo "${pmd#/}/$n l $n.$so"
	for s in "" ".$so" ".$vpair_dpdk_abi"; do
		echo "${libdir#/}/$n$s l $pmd_from_libdir/$n$s"
	done
} | sort >"$t_work/want"
find "$dest" \( -type f -o -type l \) -printf '%P %y %l\n' | sort >"$t_work/have"
echo "install-layout: staged (path type link):"
sed 's/^/  /' "$t_work/have"
diff -u "$t_work/want" "$t_work/have" || t_fail "the staged files are not the expected ones (diff above)"

# The same links as DPDK's own net_ring, name for name.
if [ -e "$pmd/librte_net_ring.so.$vpair_dpdk_abi" ]; then
	for s in "" ".$so"; do
		ring=$(readlink "$pmd/librte_net_ring.so$s" 2>/dev/null | sed 's/net_ring/net_vpair/')
		ours=$(readlink "$dest$pmd/$n$s")
		[ "$ring" = "$ours" ] ||
			t_fail "$n$s -> '$ours', but DPDK's librte_net_ring.so$s links the same way to '$ring'"
	done
fi
soname=$(LC_ALL=C readelf -d "$dest$pmd/$n.$vpair_dpdk_abi" |
	sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
ring_soname=$(LC_ALL=C readelf -d "$pmd/librte_net_ring.so.$vpair_dpdk_abi" 2>/dev/null |
	sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
echo "install-layout: SONAME $soname (DPDK's net_ring: ${ring_soname:-not installed})"
[ "$soname" = "$n.$so" ] || t_fail "SONAME '$soname', expected $n.$so"

# --- 2. a program of the C API, from pkg-config alone
pcdir=$dest$libdir/pkgconfig
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs libdpdk-vpair) ||
	t_die "pkg-config finds no libdpdk-vpair in $pcdir"
echo "install-layout: PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs libdpdk-vpair:"
echo "  $flags" | fold -w 200
app=$t_work/vpair-api-app
# shellcheck disable=SC2086 # pkg-config's flags are meant to split
cc -Wall -Werror -DALLOW_EXPERIMENTAL_API -o "$app" "$t_here/vpair-api-app.c" $flags \
	>"$t_work/cc.log" 2>&1 || { cat "$t_work/cc.log"; t_die "the program did not build"; }
LC_ALL=C readelf -d "$app" | grep -q "NEEDED.*\[$n\.$so\]" ||
	t_fail "the program does not need $n.$so"
prefix=$(vpair_file_prefix install-app)
t_prefix=$prefix
LD_LIBRARY_PATH=$dest$libdir timeout -k 5 60 "$app" -l 0 --no-pci --no-huge -m 128 \
	--no-shconf --file-prefix "$prefix" >"$t_work/app.log" 2>&1
rc=$?
cat "$t_work/app.log"
vpair_eal_cleanup "$prefix" || t_fail "cannot remove the EAL files of $prefix"
t_prefix=
[ "$rc" -eq 0 ] || t_fail "the program exited with status $rc"
grep -qx "vpair-api-app: driver $dest$pmd/$n.$vpair_dpdk_abi" "$t_work/app.log" ||
	t_fail "the driver was not loaded from $dest$pmd/$n.$vpair_dpdk_abi"
grep -qx "vpair-api-app: copies 1" "$t_work/app.log" || t_fail "not exactly one copy of the driver"

# --- 3. the guard of the tests that load the build's plugin
fake=$t_work/pc
mkdir -p "$fake"
dpdk_pc=$(pkg-config --variable=pcfiledir libdpdk)
cp "$dpdk_pc"/libdpdk*.pc "$fake"/
printf 'pmdsdir=%s\n' "$dest$pmd" >>"$fake/libdpdk.pc"
guard=$(PKG_CONFIG_PATH=$fake sh -c ". '$t_root/config/eal-env.sh'; vpair_check_no_installed_plugin" 2>&1)
rc=$?
echo "install-layout: the guard with $dest$pmd as EAL's plugin directory said ($rc):"
echo "$guard" | sed 's/^/  /'
[ "$rc" -ne 0 ] || t_fail "the guard did not refuse"
case $guard in *"$dest$pmd/$n"*"make uninstall"*) ;;
*) t_fail "the guard did not name the installed files and the cure" ;; esac
out=$(PKG_CONFIG_PATH=$fake VPAIR_PLUGIN=$builddir/drivers/net/vpair/$n \
	timeout -k 5 30 sh "$t_here/testpmd-io.sh" "$builddir" 2>&1)
rc=$?
echo "install-layout: testpmd-io.sh then exited $rc: $(echo "$out" | grep FAIL)"
[ "$rc" -ne 0 ] && echo "$out" | grep -q "remove the installed one first" ||
	t_fail "testpmd-io.sh did not refuse to load the build's plugin next to an installed one"
case $out in *"running "*) t_fail "testpmd-io.sh started testpmd anyway" ;; esac

# --- 4. uninstall
make -s -C "$t_root" uninstall BUILD="$builddir" DESTDIR="$dest" >"$t_work/uninstall.log" 2>&1 ||
	{ cat "$t_work/uninstall.log"; t_fail "make uninstall DESTDIR=$dest failed"; }
left=$(find "$dest" \( -type f -o -type l \) -printf '  %P\n')
[ -z "$left" ] || t_fail "make uninstall left files:
$left"

t_finish
