# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper: set-up (config/setup.sh), then meson. Everything real lives in meson and config/.

BUILD ?= build
MESON_ARGS ?=
# make install: PREFIX (default the installed DPDK's, /usr on Debian) for the header, the .pc
# and the libdir links; the plugin always goes where EAL loads plugins from. DESTDIR stages.
PREFIX ?=
DESTDIR ?=

.PHONY: all setup build test bench install uninstall deb clean

all: build

setup:
	@config/setup.sh

$(BUILD)/build.ninja: | setup
	meson setup $(BUILD) $$(PREFIX='$(PREFIX)' config/install.sh meson-args) $(MESON_ARGS)

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)
	@# A build directory from before the plugin had a SONAME holds the old real .so in ninja's
	@# log, so each regeneration deleted the new librte_net_vpair.so link: forget it, relink.
	@[ -e $(BUILD)/drivers/net/vpair/librte_net_vpair.so ] || \
		{ ninja -C $(BUILD) -t recompact && ninja -C $(BUILD) reconfigure >/dev/null; }

test: build
	meson test -C $(BUILD) --print-errorlogs $(TESTS)

bench: build
	app/bench/testpmd-bench.py $(BUILD) $(BENCH_ARGS)

install: build
	@PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' config/install.sh install $(BUILD)

uninstall: | setup $(BUILD)/build.ninja
	@PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' config/install.sh uninstall $(BUILD)

# Debian packages in $(BUILD)/deb (packaging/build-deb.sh); the set-up adds debhelper.
deb:
	@config/setup.sh --deb
	packaging/build-deb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)
