#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# install-deb.sh BUILDDIR: the packages, installed for real (root only; skipped, 77, otherwise).
# Builds the .debs (packaging/build-deb.sh), installs both with apt-get, and then, in a window
# kept as short as possible, with the distribution's tools and no -d anywhere:
#  1. the files are DPDK's driver layout (the same as before plus exactly ours);
#  2. dpdk-testpmd forwards over --vdev=net_vpair0 (testpmd-io.sh with VPAIR_PLUGIN=);
#  3. dpdk-dumpcap captures what it forwards (capture.sh with VPAIR_PLUGIN=);
#  4. the guards hold: testpmd-io.sh with the build's plugin and the functional runners (which
#     link or compile in the driver) refuse to run next to the installed plugin;
#  5. a program of the C API builds with the system's pkg-config libdpdk-vpair alone and runs
#     with a single copy of the driver (EAL loads .so and .so.23.0 of the plugin directory and
#     the program needs .so.23: one file, mapped once);
#  6. with the -dev package removed, testpmd still gets the driver (.so.23.0 is the name EAL
#     loads from the runtime package alone);
# then purges both, and checks that the plugin directory, libdir, the header and the .pc are
# exactly as before. The packages are purged on every exit (a trap, in its own session so that a
# kill of this test's process group cannot stop it half way).
# While the plugin is installed every DPDK process on the machine loads it: this test refuses
# to start while another DPDK process runs (it waits up to VPAIR_INSTALL_WAIT seconds, 120, for
# them to end), or when a net_vpair plugin or package is already installed, or while another
# run of it holds its lock.

set -u
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deb: installs Debian packages, so only as root: skipped"
	exit 77
fi
builddir=$(cd "${1:?usage: $0 BUILDDIR}" && pwd)
VPAIR_PLUGIN=
t_init "$builddir" install-deb
vpair_dpdk_layout || t_die "cannot find the installed DPDK's layout"
so=${vpair_dpdk_abi%%.*}
pmd=$vpair_pmd_dir
libdir=$vpair_dpdk_libdir
inc=$(pkg-config --variable=includedir libdpdk)
runtime_pkg=librte-net-vpair$so
dev_pkg=libdpdk-vpair-dev
subtests=$t_here

# Only one run at a time on the machine: two would install and purge under each other.
lock=/run/lock/dpdk-vpair-install-deb.lock
exec 9>"$lock"
flock -n 9 || t_die "another install-deb test holds $lock"

# --- who else uses DPDK
dpdk_processes() {
	for m in /proc/[0-9]*/maps; do
		pid=${m#/proc/}
		pid=${pid%/maps}
		[ "$pid" != "$$" ] || continue
		grep -q 'librte_eal\.so' "$m" 2>/dev/null || continue
		echo "  $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-150)"
	done
}

preflight() {
	inst=$(vpair_installed_plugin)
	[ -z "$inst" ] || t_die "net_vpair is already installed, and not by this test:
$inst
  remove it first (apt-get remove $runtime_pkg, or make uninstall)"
	for p in "$runtime_pkg" "$dev_pkg"; do
		if dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			t_die "the package $p is already installed, and not by this test: apt-get remove $p"
		fi
	done
	waited=0
	while others=$(dpdk_processes) && [ -n "$others" ]; do
		if [ "$waited" -ge "${VPAIR_INSTALL_WAIT:-120}" ]; then
			t_die "other DPDK processes run: an installed net_vpair would be loaded by every \
DPDK process started on this machine while it is, and a test that also loads its build's plugin \
would get two. Run this test when they are done:
$others"
		fi
		[ "$waited" -gt 0 ] || echo "install-deb: waiting for other DPDK processes to end:
$others"
		sleep 2
		waited=$((waited + 2))
	done
}

# Everything of ours that an install may touch, as "name type link-target size mode" lines.
snapshot() {
	find "$pmd" -mindepth 1 -maxdepth 1 -printf '%p %y %l %s %m\n'
	find "$libdir" -maxdepth 1 -name 'librte_net_vpair*' -printf '%p %y %l %s %m\n'
	find "$libdir/pkgconfig" -maxdepth 1 -name 'libdpdk-vpair*' -printf '%p %y %l %s %m\n'
	find "$inc" -maxdepth 1 -name 'rte_pmd_vpair*' -printf '%p %y %l %s %m\n'
}

# Prints those of our packages that dpkg has in any state but gone.
known_packages() {
	for p in "$runtime_pkg" "$dev_pkg"; do
		case $(dpkg-query -W -f '${Status}' "$p" 2>/dev/null) in
		"" | *" not-installed") ;;
		*) echo "$p" ;;
		esac
	done
}

installed=0
purge_packages() {
	[ "$installed" -eq 1 ] || return 0
	pkgs=$(known_packages | tr '\n' ' ')
	if [ -n "$pkgs" ]; then
		echo "install-deb: purging $pkgs"
		# Its own session: the purge finishes even if this test's process group is killed.
		# apt-get waits for the dpkg lock; dpkg itself is the fallback.
		# shellcheck disable=SC2086
		setsid -w apt-get purge -y -q -o DPkg::Lock::Timeout=60 $pkgs \
			>"$t_work/purge.log" 2>&1 </dev/null ||
			setsid -w dpkg --purge $pkgs >>"$t_work/purge.log" 2>&1 </dev/null
	fi
	if [ -n "$(known_packages)" ] || [ -n "$(vpair_installed_plugin)" ]; then
		cat "$t_work/purge.log"
		echo "FAIL: the packages could not be purged: $(known_packages | tr '\n' ' ')"
		echo "FAIL: REMOVE THEM BY HAND: apt-get purge $runtime_pkg $dev_pkg"
		return 1
	fi
	installed=0
}

id_cleanup() {
	purge_packages || t_nfail=$((t_nfail + 1))
	t_cleanup
}
trap id_cleanup EXIT

preflight

# --- build the packages (outside the window), in this test's own directory
"$t_root/config/setup.sh" --deb >"$t_work/setup.log" 2>&1 ||
	{ cat "$t_work/setup.log"; t_die "config/setup.sh --deb failed"; }
debs=$t_work/deb
t0=$(date +%s)
"$t_root/packaging/build-deb.sh" "$debs" >"$t_work/build-deb.log" 2>&1 ||
	{ cat "$t_work/build-deb.log"; t_die "packaging/build-deb.sh failed"; }
echo "install-deb: packages built in $(($(date +%s) - t0)) s:"
runtime_deb=$(ls "$debs/${runtime_pkg}_"*.deb)
dev_deb=$(ls "$debs/${dev_pkg}_"*.deb)
for d in "$runtime_deb" "$dev_deb"; do
	echo "  $d"
	dpkg-deb -c "$d" | awk '{ print "    " $1, $6, $7, $8 }'
done

# apt must install these two and nothing else.
inst=$(apt-get install -s -q -o DPkg::Lock::Timeout=60 "$runtime_deb" "$dev_deb" 2>&1 |
	awk '$1 == "Inst" { print $2 }' | sort | tr '\n' ' ')
[ "$inst" = "$dev_pkg $runtime_pkg " ] ||
	t_die "apt-get would install '$inst', not just $runtime_pkg and $dev_pkg"

snapshot | sort >"$t_work/before"

# --- the window: as short as possible
preflight
w0=$(date +%s)
installed=1
apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=60 \
	"$runtime_deb" "$dev_deb" >"$t_work/install.log" 2>&1 ||
	{ cat "$t_work/install.log"; t_die "apt-get install failed"; }

# 1. the files: what was there, plus exactly ours
snapshot | sort >"$t_work/during"
n=librte_net_vpair.so
{
	cat "$t_work/before"
	echo "$pmd/$n.$vpair_dpdk_abi f  [0-9]* 644"
	echo "$pmd/$n.$so l $n.$vpair_dpdk_abi [0-9]* 777"
	echo "$pmd/$n l $n.$so [0-9]* 777"
	for s in "" ".$so" ".$vpair_dpdk_abi"; do
		echo "$libdir/$n$s l ${pmd#"$libdir"/}/$n$s [0-9]* 777"
	done
	echo "$libdir/pkgconfig/libdpdk-vpair.pc f  [0-9]* 644"
	echo "$inc/rte_pmd_vpair.h f  [0-9]* 644"
} | sort >"$t_work/want"
# Sizes vary: compare all but the size.
cut -d' ' -f1-3,5 "$t_work/want" | sort >"$t_work/want.cmp"
cut -d' ' -f1-3,5 "$t_work/during" | sort >"$t_work/during.cmp"
if ! diff -u "$t_work/want.cmp" "$t_work/during.cmp"; then
	t_fail "installed files differ from the expected ones (diff above: -expected +installed)"
fi

sub() {
	tag=$1
	shift
	"$@" >"$t_work/$tag.log" 2>&1
	sub_rc=$?
	t_logs="$t_logs $t_work/$tag.log"
	echo "install-deb: $tag: exit $sub_rc, $(grep -E 'PASS|FAIL' "$t_work/$tag.log" | tail -n 1)"
}

# The guards' pass is a refusal.
sub_refusal() {
	sub "$@"
	echo "install-deb: $1: a refusal is what is wanted here"
}

# 2. testpmd forwards with the installed plugin, no -d
sub testpmd-io env VPAIR_PLUGIN= sh "$subtests/testpmd-io.sh" "$builddir"
[ "$sub_rc" -eq 0 ] || t_fail "testpmd did not forward over the installed plugin (log below)"
# 3. dumpcap captures it
sub capture env VPAIR_PLUGIN= sh "$subtests/capture.sh" "$builddir"
[ "$sub_rc" -eq 0 ] || t_fail "the capture with the installed plugin failed (log below)"

# 4. the guards: nothing loads the build's plugin next to the installed one
sub_refusal guard-testpmd-io env VPAIR_PLUGIN="$builddir/drivers/net/vpair/$n" \
	sh "$subtests/testpmd-io.sh" "$builddir"
if [ "$sub_rc" -eq 0 ] || ! grep -q "remove the installed one first" "$t_work/guard-testpmd-io.log" ||
		grep -q "running $VPAIR_TESTPMD" "$t_work/guard-testpmd-io.log"; then
	t_fail "testpmd-io.sh did not refuse the build's plugin next to the installed one"
fi
for r in ${VPAIR_FUNC_RUNNERS:-}; do
	tag=guard-${r##*/}
	sub_refusal "$tag" timeout -k 5 60 "$r" delivery
	if [ "$sub_rc" -eq 0 ] || ! grep -q "net_vpair is loaded twice" "$t_work/$tag.log"; then
		t_fail "${r##*/} did not refuse to run next to the installed plugin"
	fi
done

# 5. the C API from the system's pkg-config
app=$t_work/vpair-api-app
flags=$(env -u PKG_CONFIG_PATH pkg-config --cflags --libs libdpdk-vpair) ||
	t_fail "pkg-config finds no libdpdk-vpair"
# shellcheck disable=SC2086
if cc -Wall -Werror -DALLOW_EXPERIMENTAL_API -o "$app" "$t_here/vpair-api-app.c" $flags \
		>"$t_work/cc.log" 2>&1; then
	prefix=$(vpair_file_prefix install-app)
	t_prefix=$prefix
	# Not meson's LD_LIBRARY_PATH, which has the build's plugin first.
	env -u LD_LIBRARY_PATH timeout -k 5 60 "$app" -l 0 --no-pci --no-huge -m 128 --no-shconf \
		--file-prefix "$prefix" >"$t_work/app.log" 2>&1
	rc=$?
	t_logs="$t_logs $t_work/app.log"
	vpair_eal_cleanup "$prefix" || t_fail "cannot remove the EAL files of $prefix"
	t_prefix=
	echo "install-deb: the API program (pkg-config: $(env -u PKG_CONFIG_PATH pkg-config --path \
		libdpdk-vpair)) exited $rc:"
	grep '^vpair-api-app:' "$t_work/app.log" | sed 's/^/  /'
	[ "$rc" -eq 0 ] || t_fail "the API program failed"
	grep -qx "vpair-api-app: driver $pmd/$n.$vpair_dpdk_abi" "$t_work/app.log" ||
		t_fail "the API program did not get the installed driver"
	grep -qx "vpair-api-app: copies 1" "$t_work/app.log" ||
		t_fail "not exactly one copy of the driver in the API program"
else
	cat "$t_work/cc.log"
	t_fail "the API program did not build with pkg-config libdpdk-vpair"
fi

# 6. the runtime package alone
apt-get remove -y -q -o DPkg::Lock::Timeout=60 "$dev_pkg" >>"$t_work/install.log" 2>&1 ||
	t_fail "apt-get remove $dev_pkg failed"
left=$(vpair_installed_plugin | tr '\n' ' ')
[ "$left" = "$pmd/$n.$so $pmd/$n.$vpair_dpdk_abi " ] ||
	t_fail "with $runtime_pkg alone, the plugin directory has: $left"
sub testpmd-runtime-only env VPAIR_PLUGIN= VPAIR_TEST_SECONDS=2 sh "$subtests/testpmd-io.sh" \
	"$builddir"
[ "$sub_rc" -eq 0 ] || t_fail "testpmd did not forward with $runtime_pkg alone"

purge_packages || t_fail "the packages could not be purged"
echo "install-deb: installed for $(($(date +%s) - w0)) s"
# --- the window is closed

snapshot | sort >"$t_work/after"
if ! diff -u "$t_work/before" "$t_work/after"; then
	t_fail "after the purge the files differ from before (diff above: -before +after)"
fi
for p in "$runtime_pkg" "$dev_pkg"; do
	status=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)
	case $status in
	"" | *" not-installed") ;;
	*) t_fail "$p is still known to dpkg: $status" ;;
	esac
done

t_finish
