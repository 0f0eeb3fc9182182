# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
# Sourced by the scripts in config/.

note() { echo "vpair-setup: $*" >&2; }
die() { echo "vpair-setup: error: $*" >&2; exit 1; }

# Where fetched DPDK files live: outside git, kept across builds and clones.
if [ "$(id -u)" -eq 0 ]; then
	vpair_cache=${VPAIR_CACHE_DIR:-/var/cache/dpdk-vpair}
else
	vpair_cache=${VPAIR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dpdk-vpair}
fi
