#!/bin/bash
# Host packages for building the image (idempotent), binfmt for foreign-architecture
# chroots and, for arm64, the cross toolchain and the arm64 -dev libraries that the Slint
# device backend links against.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$IMAGE_DIR/lib/common.sh"

apt_ensure mmdebstrap arch-test e2fsprogs dosfstools mtools fdisk rauc openssl \
    python3 zstd

if [ "$ARCH" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ]; then
    apt_ensure qemu-user-static binfmt-support gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] \
        || die "qemu-aarch64 binfmt is not registered (is binfmt_misc mounted?)"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        log "enabling the arm64 architecture for cross -dev libraries"
        dpkg --add-architecture arm64
        apt-get update -qq
    fi
    apt_ensure libinput-dev:arm64 libudev-dev:arm64 libxkbcommon-dev:arm64 libgbm-dev:arm64 \
        libfontconfig1-dev:arm64 libpcsclite-dev:arm64
fi
