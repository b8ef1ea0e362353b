# legal-kiosk — the two commands a newcomer needs:
#   make demo   install what is needed, build, start the kiosk with simulated devices
#   make test   install what is needed, run every test (headless)
# Both install their Debian packages themselves (idempotent apt-get) on Debian 12.

SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TARGET_DIR ?= $(CURDIR)/target
TARGET_DIR := $(CARGO_TARGET_DIR)

# Build: Slint (fontconfig, libinput, gbm for the device backend), pcsc-lite.
# Tests: pcscd + vpcd (virtual smart card), Xvfb (window smoke test), espeak-ng (voice),
# mosquitto (fleet telemetry), shellcheck + python3 + openssl (image recipe checks),
# util-linux (unshare: a private pcscd per test), fonts (fontconfig must know one),
# baresip-core (the SIP engine the kiosk runs; tests/telephony_baresip.rs calls a second one,
# audio through ALSA's file plugin from libasound2, a dependency).
APT_PACKAGES := build-essential pkg-config libfontconfig1-dev libinput-dev libudev-dev \
	libxkbcommon-dev libxkbcommon-x11-0 libgbm-dev libpcsclite-dev pcscd pcsc-tools \
	vsmartcard-vpcd xvfb xauth fonts-dejavu-core fonts-noto-cjk espeak-ng mosquitto \
	shellcheck python3 openssl util-linux baresip-core

.PHONY: deps demo run test test-fast lint fmt bench golden review-sheet layout-check fuzz clean help

help:
	@echo "make demo    - build and start the kiosk with simulated devices and a local case server"
	@echo "make test    - run every test headless"
	@echo "make bench   - run the benchmarks and print their figures"
	@echo "make golden  - regenerate golden screenshots (review the diff before committing)"
	@echo "make review-sheet - contact sheets of every golden screen, one per viewport and mode"
	@echo "make layout-check - the layout rules over every screen, panel size and display mode"
	@echo "make lint    - rustfmt and clippy"
	@echo "make fuzz    - run each fuzz target for a bounded time"

# Installs only what is missing; a no-op on a prepared machine.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust >= 1.92 with rustup"; exit 1; }

demo: deps
	$(CARGO) build --release
	$(TARGET_DIR)/release/legal-kiosk demo --windowed

test: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --features ui-tests --all-targets -- -D warnings
	# The kiosk's own build (LinuxKMS + libinput + FemtoVG) must at least compile.
	$(CARGO) clippy --features device --bin legal-kiosk -- -D warnings
	# The image's own feature set (no desktop backend, no simulators) must compile too.
	$(CARGO) check --no-default-features --features device
	kiosk-image/tests/lint.sh
	$(CARGO) test --features ui-tests
	# The production feature set: no UI adapter, no simulators.
	$(CARGO) test --no-default-features --lib

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --features ui-tests --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

bench: deps
	$(CARGO) bench

golden: deps
	LEGAL_KIOSK_UPDATE_GOLDEN=1 $(CARGO) test --features ui-tests --test golden_screens

# One contact sheet per language, viewport and mode (target/review-sheet/*.png), every screen
# labelled, so a reviewer sees the whole product at a glance after `make golden`.
REVIEW_PACKAGES := imagemagick fonts-dejavu-core
REVIEW_DIR := $(TARGET_DIR)/review-sheet
review-sheet:
	@command -v montage >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(REVIEW_PACKAGES); }
	@mkdir -p $(REVIEW_DIR)
	@for mode in portrait landscape portrait-large portrait-contrast; do for lang in zh en; do \
		files=$$(ls tests/golden/screens/*-$$lang-$$mode.png); \
		montage -label '%t' -font DejaVu-Sans -pointsize 13 -background '#c8ccd2' \
			-tile 8x -geometry '+6+6' $$files $(REVIEW_DIR)/$$lang-$$mode.png || exit 1; \
		echo "$(REVIEW_DIR)/$$lang-$$mode.png: $$(echo $$files | wc -w) screens"; \
	done; done

# `make test` checks a representative subset (tests/layout/main.rs); this is the whole matrix.
layout-check: deps
	$(CARGO) test --features ui-tests --test layout -- --ignored --nocapture

# Each fuzz target runs for FUZZ_SECONDS (libFuzzer via cargo-fuzz; RUSTC_BOOTSTRAP lets the
# stable toolchain build with the sanitizer flags). The same checks run on every `make test`
# over a generated corpus (tests/codec_fuzz_corpus.rs).
FUZZ_SECONDS ?= 30
fuzz: deps
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && for target in $$(RUSTC_BOOTSTRAP=1 $(CARGO) fuzz list); do \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
		RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(CURDIR)/fuzz/target $(CARGO) fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

clean:
	$(CARGO) clean

# --- kiosk-image: the SD-card / disk image (kiosk-image/README.md) ---
# make image               Raspberry Pi 4/5 arm64 image (IMAGE_ARCH=amd64 for x86-64 UEFI)
# (ARCH=arm64|amd64 is accepted too)
# make image-test          build the x86-64 image and boot-test it in QEMU (minutes; not in every CI run)
# make image-lint          shellcheck, provisioning templates render and parse (tests/image_recipe.rs)
IMAGE_ARCH ?= $(or $(ARCH),arm64)
IMAGE_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -E)
# Host packages of the image targets only (make test needs none of them). build.sh checks
# the same again (steps/10-host-deps.sh), so kiosk-image/build.sh also works on its own.
IMAGE_APT_PACKAGES := mmdebstrap arch-test e2fsprogs dosfstools mtools fdisk rauc openssl \
	python3 zstd squashfs-tools curl
# arm64 on an x86 host: qemu-user for the root filesystem's maintainer scripts, the cross
# gcc for the kiosk binary (its arm64 libraries come from a sysroot, steps/15-sysroot.sh).
IMAGE_APT_PACKAGES_arm64 := qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross
IMAGE_APT_PACKAGES_amd64 :=
# The boot test: QEMU with UEFI firmware.
IMAGE_TEST_APT_PACKAGES := qemu-system-x86 ovmf

.PHONY: image image-test image-lint image-deps image-test-deps

# Installs only what is missing (idempotent), like `deps`.
image-deps image-test-deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(IMAGE_SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(IMAGE_SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
image-deps: PACKAGES = $(IMAGE_APT_PACKAGES) $(IMAGE_APT_PACKAGES_$(IMAGE_ARCH))
image-test-deps: PACKAGES = $(IMAGE_APT_PACKAGES) $(IMAGE_TEST_APT_PACKAGES)

image: image-deps
	$(IMAGE_SUDO) kiosk-image/build.sh --arch $(IMAGE_ARCH)

# BOOT_TEST_UPDATE=0 skips the update phase (install the bundle into slot B, trial boot,
# mark-good); BOOT_TEST_ACCEL=kvm where nested KVM works.
image-test: image-test-deps
	$(IMAGE_SUDO) kiosk-image/build.sh --arch amd64
	$(IMAGE_SUDO) kiosk-image/tests/rootfs-smoke.sh kiosk-image/build/image-amd64/work/rootfs
	$(IMAGE_SUDO) kiosk-image/tests/boot-test.sh kiosk-image/build/image-amd64/kiosk-amd64.img

image-lint:
	@command -v shellcheck >/dev/null || $(IMAGE_SUDO) apt-get install -y -qq shellcheck
	kiosk-image/tests/lint.sh
	$(CARGO) test --no-default-features --test image_recipe
