# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# EAL defaults for the tests and benchmarks that run DPDK apps (dpdk-testpmd) on net_vpair.
# POSIX sh, to be sourced (`. config/eal-env.sh`), not run. Defines only vpair_* functions and
# VPAIR_* defaults; it changes nothing on the machine until a function is called.
#
#   vpair_hugepages_setup [PAGES]  as root: make sure PAGES 2 MiB hugepages exist and hugetlbfs
#                                  is mounted on $VPAIR_HUGE_DIR; idempotent, never shrinks the
#                                  pool. Non-zero when that is impossible: callers fall back to
#                                  --no-huge (vpair_eal_mem_args does so by itself).
#   vpair_eal_mem_args             prints the EAL memory arguments: "--huge-unlink ..." when
#                                  enough free hugepages are mounted, else "--no-huge -m ...".
#   vpair_plugin_dir SO            copies SO into a new private (0700) directory and prints it:
#                                  EAL refuses `-d` from a path with a world-writable directory
#                                  (/tmp, /var/tmp). The directory also suits logs; remove it
#                                  with vpair_private_remove.
#   vpair_file_prefix TAG          prints a --file-prefix unique on this machine (TAG-pid-n).
#   vpair_eal_cleanup PREFIX       removes what EAL leaves behind for PREFIX: its runtime
#                                  directory (EAL keeps it even after a clean exit) and hugepage
#                                  files. Returns non-zero if something could not be removed.
#   vpair_eal_pmd_dir              prints the directory EAL loads every plugin from at start-up
#                                  (see vpair_dpdk_layout)
#   vpair_installed_plugin         prints the net_vpair files installed there, if any
#   vpair_check_no_installed_plugin
#                                  fails, saying why and what to do, if net_vpair is installed
#                                  there: a process that also loads the build's plugin (-d, or
#                                  linked) would register net_vpair twice
#   vpair_testpmd_run SECS LOG IN ARGS...
#                                  runs dpdk-testpmd ARGS, stdin from file IN, stdout and stderr
#                                  to LOG, sends SIGINT after SECS (testpmd then prints its forward
#                                  statistics and exits 0) and SIGKILL 5 s later if still alive.
#                                  Returns testpmd's exit status. Callers trap EXIT/INT/TERM and
#                                  call vpair_testpmd_kill, so no testpmd outlives them.
#
# Knobs (environment): VPAIR_HUGEPAGES (pages vpair_hugepages_setup wants, 512),
# VPAIR_HUGE_MB (-m with hugepages, 256), VPAIR_NOHUGE_MB (-m with --no-huge, 512),
# VPAIR_NO_HUGE=1 (always --no-huge), VPAIR_HUGE_DIR (/dev/hugepages), VPAIR_TESTPMD.
# Note: testpmd's default mbuf pool (~155k mbufs, ~340 MB) does not fit in these -m values:
# pass it --total-num-mbufs=8192 (or another small number).

VPAIR_HUGEPAGES=${VPAIR_HUGEPAGES:-512}
VPAIR_HUGE_MB=${VPAIR_HUGE_MB:-256}
VPAIR_NOHUGE_MB=${VPAIR_NOHUGE_MB:-512}
VPAIR_HUGE_DIR=${VPAIR_HUGE_DIR:-/dev/hugepages}
VPAIR_TESTPMD=${VPAIR_TESTPMD:-dpdk-testpmd}

_vpair_hp_sys=/sys/kernel/mm/hugepages/hugepages-2048kB

# The directory under which EAL keeps /<prefix>/ for each process (same rule as EAL).
vpair_runtime_dir() {
	if [ "$(id -u)" -eq 0 ]; then
		echo /var/run/dpdk
	else
		echo "${XDG_RUNTIME_DIR:-/tmp}/dpdk"
	fi
}

# Private (0700, no world-writable parent) base for plugin copies and logs.
vpair_private_base() {
	if [ "$(id -u)" -eq 0 ]; then
		echo /run/dpdk-vpair
	elif [ -n "${XDG_RUNTIME_DIR:-}" ]; then
		echo "$XDG_RUNTIME_DIR/dpdk-vpair"
	else
		echo "$HOME/.cache/dpdk-vpair/run"
	fi
}

_vpair_huge_mounted() {
	awk -v d="$VPAIR_HUGE_DIR" '$2 == d && $3 == "hugetlbfs" { found = 1 } END { exit !found }' \
		/proc/mounts
}

vpair_hugepages_setup() (
	want=${1:-$VPAIR_HUGEPAGES}
	[ -r "$_vpair_hp_sys/nr_hugepages" ] || return 1
	have=$(cat "$_vpair_hp_sys/nr_hugepages")
	if [ "$have" -lt "$want" ]; then
		[ "$(id -u)" -eq 0 ] || return 1
		{ echo "$want" >"$_vpair_hp_sys/nr_hugepages"; } 2>/dev/null || return 1
		# The kernel may give fewer pages than asked (fragmented memory).
		have=$(cat "$_vpair_hp_sys/nr_hugepages")
		[ "$have" -ge "$want" ] || return 1
	fi
	if ! _vpair_huge_mounted; then
		[ "$(id -u)" -eq 0 ] || return 1
		mkdir -p "$VPAIR_HUGE_DIR" &&
			mount -t hugetlbfs -o pagesize=2M nodev "$VPAIR_HUGE_DIR" 2>/dev/null || return 1
	fi
	return 0
)

# Succeeds when MB megabytes of free 2 MiB hugepages are mounted and writable by us.
vpair_hugepages_usable() (
	mb=${1:-$VPAIR_HUGE_MB}
	[ "${VPAIR_NO_HUGE:-0}" != 1 ] || return 1
	_vpair_huge_mounted && [ -w "$VPAIR_HUGE_DIR" ] || return 1
	free=$(cat "$_vpair_hp_sys/free_hugepages" 2>/dev/null) || return 1
	# EAL needs a few pages beyond -m for its own bookkeeping.
	[ $((free * 2)) -ge $((mb + 32)) ]
)

vpair_eal_mem_args() {
	if vpair_hugepages_usable "$VPAIR_HUGE_MB"; then
		echo "--huge-unlink --huge-dir $VPAIR_HUGE_DIR -m $VPAIR_HUGE_MB"
	else
		echo "--no-huge -m $VPAIR_NOHUGE_MB"
	fi
}

# Prints a new private directory (0700) under vpair_private_base.
vpair_private_dir() (
	base=$(vpair_private_base)
	mkdir -p "$base" && chmod 0700 "$base" || return 1
	mktemp -d "$base/${1:-run}.XXXXXX"
)

vpair_private_remove() {
	case ${1:-} in
	"$(vpair_private_base)"/?*) rm -rf "$1" ;;
	*) echo "vpair_private_remove: not a private dir: ${1:-}" >&2; return 1 ;;
	esac
}

vpair_plugin_dir() (
	so=${1:?vpair_plugin_dir: missing .so path}
	[ -f "$so" ] || { echo "vpair_plugin_dir: no such file: $so" >&2; return 1; }
	# Whoever loads this copy with -d must not get an installed one as well.
	vpair_check_no_installed_plugin || return 1
	dir=$(vpair_private_dir plugin) || return 1
	if ! cp "$so" "$dir/" || ! chmod 0755 "$dir/${so##*/}"; then
		rm -rf "$dir"
		return 1
	fi
	echo "$dir"
)

vpair_file_prefix() {
	_vpair_prefix_n=$((${_vpair_prefix_n:-0} + 1))
	# Inside $(...) the counter does not advance in the caller: skip prefixes still in use.
	while [ -e "$(vpair_runtime_dir)/${1:-vpair}-$$-$_vpair_prefix_n" ]; do
		_vpair_prefix_n=$((_vpair_prefix_n + 1))
	done
	echo "${1:-vpair}-$$-$_vpair_prefix_n"
}

vpair_eal_cleanup() (
	p=${1:-}
	case $p in "" | */* | . | ..) echo "vpair_eal_cleanup: bad prefix '$p'" >&2; return 1 ;; esac
	rm -rf "$(vpair_runtime_dir)/${p:?}"
	# EAL names hugepage files <prefix>map_<n>.
	rm -f "$VPAIR_HUGE_DIR/${p}map_"* 2>/dev/null
	[ ! -e "$(vpair_runtime_dir)/$p" ] || return 1
	for f in "$VPAIR_HUGE_DIR/${p}map_"*; do
		[ ! -e "$f" ] || return 1
	done
	return 0
)

# Sets vpair_dpdk_libdir, vpair_dpdk_abi (DPDK's ABI version, 23.0 for 22.11), vpair_pmd_dir
# (the directory EAL loads every plugin from at start-up, without -d) and vpair_pmd_dir_from
# (how it was found). In order: the pmdsdir variable of libdpdk.pc, if this DPDK has one; the
# path compiled into EAL (RTE_EAL_PMD_PATH, as "DPDK_PLUGIN_PATH=<dir>"; Debian's libdpdk.pc
# has no pmdsdir); <libdir>/dpdk/pmds-<ABI>, DPDK's default layout. The ABI is the suffix of
# librte_eal's real file name (librte_eal.so.23.0). Non-zero when pkg-config finds no libdpdk.
vpair_dpdk_layout() {
	vpair_dpdk_libdir=$(pkg-config --variable=libdir libdpdk 2>/dev/null) &&
		[ -n "$vpair_dpdk_libdir" ] || return 1
	_vpair_eal=$(readlink -f "$vpair_dpdk_libdir/librte_eal.so" 2>/dev/null)
	vpair_dpdk_abi=${_vpair_eal##*/librte_eal.so.}
	case $vpair_dpdk_abi in
	[0-9]*.[0-9]*) ;;
	*) echo "vpair_dpdk_layout: no DPDK ABI version in '$_vpair_eal'" >&2; return 1 ;;
	esac
	vpair_pmd_dir=$(pkg-config --variable=pmdsdir libdpdk 2>/dev/null)
	vpair_pmd_dir_from=pkg-config
	if [ -z "$vpair_pmd_dir" ]; then
		# A NUL ends the string in the binary; [[:print:]] stops there.
		vpair_pmd_dir=$(LC_ALL=C grep -a -o 'DPDK_PLUGIN_PATH=[[:print:]]*' "$_vpair_eal" |
			head -n 1)
		vpair_pmd_dir=${vpair_pmd_dir#DPDK_PLUGIN_PATH=}
		vpair_pmd_dir_from=eal
	fi
	if [ -z "$vpair_pmd_dir" ]; then
		vpair_pmd_dir=$vpair_dpdk_libdir/dpdk/pmds-$vpair_dpdk_abi
		vpair_pmd_dir_from=libdir
	fi
	return 0
}

vpair_eal_pmd_dir() {
	vpair_dpdk_layout && echo "$vpair_pmd_dir"
}

vpair_installed_plugin() (
	dir=$(vpair_eal_pmd_dir) || return 0
	for f in "$dir"/librte_net_vpair.so*; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			echo "$f"
		fi
	done
)

vpair_check_no_installed_plugin() {
	_vpair_inst=$(vpair_installed_plugin)
	[ -n "$_vpair_inst" ] || return 0
	# shellcheck disable=SC2086 # one path a line, none with blanks (a DPDK plugin directory)
	_vpair_owner=$(dpkg-query -S $_vpair_inst 2>/dev/null | cut -d: -f1 | sort -u |
		tr '\n' ' ')
	{
		echo "error: net_vpair is installed where EAL loads plugins at start-up:"
		echo "$_vpair_inst" | sed 's/^/  /'
		echo "Every DPDK process loads it, so one that also loads this build's plugin (-d, or"
		echo "linked) would register net_vpair twice and test either copy. Remove it first:"
		if [ -n "$_vpair_owner" ]; then
			echo "  apt-get remove $_vpair_owner   (Debian packages)"
		else
			echo "  make uninstall    (installed by make install)"
		fi
	} >&2
	return 1
}

vpair_testpmd_run() {
	_vpair_secs=$1 _vpair_log=$2 _vpair_in=$3
	shift 3
	# Backgrounded so that the caller's signal traps run at once; `timeout` forwards them.
	timeout --preserve-status -k 5 -s INT "$_vpair_secs" "$VPAIR_TESTPMD" "$@" \
		<"$_vpair_in" >"$_vpair_log" 2>&1 &
	vpair_testpmd_pid=$!
	wait "$vpair_testpmd_pid"
	_vpair_rc=$?
	vpair_testpmd_pid=
	return $_vpair_rc
}

# Ends a testpmd started by vpair_testpmd_run (for traps); timeout SIGKILLs it within 5 s.
vpair_testpmd_kill() {
	if [ -n "${vpair_testpmd_pid:-}" ]; then
		kill -TERM "$vpair_testpmd_pid" 2>/dev/null
		wait "$vpair_testpmd_pid" 2>/dev/null
		vpair_testpmd_pid=
	fi
	return 0
}
