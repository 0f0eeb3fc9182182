# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper: set-up (config/setup.sh), then meson. Everything real lives in meson and config/.

BUILD ?= build
MESON_ARGS ?=

.PHONY: all setup build test bench clean

all: build

setup:
	@config/setup.sh

$(BUILD)/build.ninja: | setup
	meson setup $(BUILD) $(MESON_ARGS)

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

test: build
	meson test -C $(BUILD) --print-errorlogs $(TESTS)

bench: build
	app/bench/testpmd-bench.sh $(BUILD) $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)
