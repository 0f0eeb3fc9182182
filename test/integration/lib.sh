# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# Sourced by the integration tests (POSIX sh). Runs the distro dpdk-testpmd with the net_vpair
# plugin built in BUILDDIR, never leaves a testpmd or EAL files behind, and collects failures.
#   t_init BUILDDIR NAME     checks the tools, copies the plugin to a private dir, sets traps;
#                            fails at once if net_vpair is installed in EAL's plugin directory
#                            (it would be loaded next to the build's plugin)
#   t_testpmd SECS TAG IN ARGS...
#                            runs testpmd (EAL args from config/eal-env.sh, then ARGS) with
#                            stdin from file IN, SIGINT after SECS; sets t_rc and t_log, then
#                            checks that EAL left no hugepage file or runtime dir behind
#   t_fail MSG               records a failure; t_finish prints the verdict and exits
# Environment for trying the tests against something else while developing:
#   VPAIR_PLUGIN  the .so to load with -d (default BUILDDIR/drivers/net/vpair/librte_net_vpair.so;
#                 empty: load none)
#   VPAIR_KEEP=1  keep the logs (their directory is printed)

t_here=$(cd "$(dirname "$0")" && pwd)
t_root=$(cd "$t_here/../.." && pwd)
. "$t_root/config/eal-env.sh"

t_nfail=0
t_work=
t_prefix=
t_logs=

t_fail() {
	echo "FAIL: $*"
	t_nfail=$((t_nfail + 1))
}

t_die() {
	echo "FAIL: $*"
	exit 1
}

t_cleanup() {
	vpair_testpmd_kill
	[ -z "$t_prefix" ] || vpair_eal_cleanup "$t_prefix" || true
	if [ -n "$t_work" ]; then
		if [ "${VPAIR_KEEP:-0}" = 1 ]; then
			echo "logs kept in $t_work"
		else
			vpair_private_remove "$t_work"
		fi
	fi
}

t_init() {
	t_builddir=${1:?usage: $0 BUILDDIR}
	t_name=$2
	trap t_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	command -v "$VPAIR_TESTPMD" >/dev/null ||
		t_die "$VPAIR_TESTPMD not found: install the Debian package dpdk-dev"
	command -v timeout >/dev/null || t_die "timeout (coreutils) not found"
	t_plugin=${VPAIR_PLUGIN-$t_builddir/drivers/net/vpair/librte_net_vpair.so}
	if [ -n "$t_plugin" ]; then
		[ -f "$t_plugin" ] || t_die "no plugin $t_plugin: build it first (ninja -C $t_builddir)"
		# An installed net_vpair would be loaded too, by EAL, from its plugin directory.
		vpair_check_no_installed_plugin ||
			t_die "$t_name loads the build's plugin: remove the installed one first (above)"
		t_work=$(vpair_plugin_dir "$t_plugin") || t_die "cannot copy $t_plugin to a private dir"
		t_plugin_args="-d $t_work/${t_plugin##*/}"
	else
		t_work=$(vpair_private_dir "$t_name") || t_die "cannot make a private dir"
		t_plugin_args=
	fi
	# Hugepages when they can be had (as root this reserves them), else --no-huge.
	vpair_hugepages_setup || true
	t_mem_args=$(vpair_eal_mem_args)
	echo "$t_name: testpmd $(command -v "$VPAIR_TESTPMD"), plugin ${t_plugin:-none}"
	echo "$t_name: EAL memory: $t_mem_args"
}

t_testpmd() {
	t_secs=$1 t_tag=$2 t_in=$3
	shift 3
	t_prefix=$(vpair_file_prefix "$t_tag")
	t_log=$t_work/$t_tag.log
	t_logs="$t_logs $t_log"
	echo "$t_name: running $VPAIR_TESTPMD -l 0-1 --no-pci $t_mem_args --file-prefix $t_prefix" \
		"$t_plugin_args $*"
	# shellcheck disable=SC2086 # the EAL argument strings are meant to split
	vpair_testpmd_run "$t_secs" "$t_log" "$t_in" -l 0-1 --no-pci $t_mem_args \
		--file-prefix "$t_prefix" $t_plugin_args "$@"
	t_rc=$?
	echo "$t_name: testpmd exit status $t_rc"
	[ "$t_rc" -ne 137 ] || t_fail "testpmd did not exit on SIGINT and was killed"
	# --huge-unlink: no hugepage file may remain, even before our clean-up.
	for f in "$VPAIR_HUGE_DIR/${t_prefix}map_"*; do
		[ ! -e "$f" ] || { t_fail "EAL left hugepage files: $VPAIR_HUGE_DIR/${t_prefix}map_*"; break; }
	done
	vpair_eal_cleanup "$t_prefix" || t_fail "cannot remove the EAL files of $t_prefix"
	[ ! -e "$(vpair_runtime_dir)/$t_prefix" ] || t_fail "$(vpair_runtime_dir)/$t_prefix remains"
	t_prefix=
	return 0
}

# The background testpmd (vpair_testpmd_pid) has been told to quit: wait for it, and fail
# on a non-zero exit status (in t_rc).
t_testpmd_wait() {
	wait "$vpair_testpmd_pid"
	t_rc=$?
	vpair_testpmd_pid=
	echo "$t_name: testpmd exit status $t_rc"
	[ "$t_rc" -eq 0 ] || t_fail "testpmd exited with status $t_rc"
}

# Fails unless the last testpmd log is free of EAL errors.
t_check_eal_clean() {
	if grep -n -E 'EAL: Error|Cause:|probe failed|failed to initialize|Cannot|cannot' "$t_log"; then
		t_fail "EAL or testpmd reported errors (lines above)"
	fi
}

t_finish() {
	if [ "$t_nfail" -ne 0 ]; then
		for l in $t_logs; do
			echo "----- $l"
			cat "$l"
		done
		echo "$t_name: FAILED ($t_nfail)"
		exit 1
	fi
	echo "$t_name: PASS"
	exit 0
}
